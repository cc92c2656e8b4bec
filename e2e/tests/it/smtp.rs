//! The SMTP sink: lettre sends, mailpit receives, the test reads it back.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[tokio::test]
async fn lettre_message_arrives_in_the_sink() {
    let sink = sellout_e2e::mail().await;
    let to = format!("buyer-{}@example.com", std::process::id());
    let msg = Message::builder()
        .from("Sellout <tickets@sellout.test>".parse::<Mailbox>().unwrap())
        .to(to.parse::<Mailbox>().unwrap())
        .subject("Your tickets for Smoke Fest")
        .multipart(MultiPart::alternative_plain_html(
            "Order SMK-1: 2 tickets".to_owned(),
            "<p>Order <b>SMK-1</b>: 2 tickets</p>".to_owned(),
        ))
        .unwrap();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(sink.smtp_host())
        .port(sink.smtp_port())
        .build();
    transport.send(msg).await.unwrap();

    let got = sink
        .wait_for(&to, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "Your tickets for Smoke Fest");
    assert_eq!(got[0].from.address, "tickets@sellout.test");
    assert!(
        got[0].text.contains("Order SMK-1: 2 tickets"),
        "{:?}",
        got[0].text
    );
    assert!(got[0].html.contains("<b>SMK-1</b>"), "{:?}", got[0].html);
}
