//! An order confirmation sent over SMTP to mailpit and read back.

use std::io::Cursor;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike};
use sellout_common::money::{Currency, Money};
use sellout_workers::email::{
    Brand, Charge, Email, EventDay, EventInfo, Mailer, OrderConfirmation, OrderLine, Sender,
    SmtpConfig, TicketQr, TlsMode, Venue, compose,
};

fn qr_png(payload: &str) -> Vec<u8> {
    let code = qrcode::QrCode::new(payload.as_bytes()).unwrap();
    let img = code.render::<image::Luma<u8>>().build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

#[tokio::test]
async fn order_confirmation_arrives_with_both_alternatives_two_inline_qrs_and_a_calendar() {
    let mail = sellout_e2e::mail().await;
    let gbp = Currency::parse("GBP").unwrap();
    let starts_at: jiff::Timestamp = "2026-06-13T18:30:00Z".parse().unwrap();
    let order_id = unique("ord");
    let to = format!("{}@example.com", unique("buyer"));
    let pngs = [qr_png("ticket one"), qr_png("ticket two")];
    let email = Email::OrderConfirmation(OrderConfirmation {
        order_id: order_id.clone(),
        order_number: "SO-IT-0001".into(),
        buyer_name: Some("Grace".into()),
        placed_at: "2026-05-01T10:00:00Z".parse().unwrap(),
        event: EventInfo {
            id: "it/summer-nights".into(),
            title: "Summer Nights <live>".into(),
            venue: Venue {
                name: "The Roundhouse".into(),
                address: vec!["Chalk Farm Road".into(), "London NW1 8EH".into()],
                timezone: "Europe/London".into(),
            },
            days: vec![EventDay {
                doors_at: "2026-06-13T17:30:00Z".parse().unwrap(),
                starts_at,
                ends_at: "2026-06-13T22:00:00Z".parse().unwrap(),
            }],
        },
        lines: vec![OrderLine {
            description: "General admission".into(),
            quantity: 2,
            unit_price: Money::new(7500, gbp),
            amount: Money::new(15000, gbp),
        }],
        charges: vec![Charge {
            label: "Booking fee".into(),
            amount: Money::new(300, gbp),
        }],
        total: Money::new(15300, gbp),
        tickets: vec![
            TicketQr {
                ticket_id: "T-1".into(),
                label: "General admission".into(),
                png: pngs[0].clone(),
            },
            TicketQr {
                ticket_id: "T-2".into(),
                label: "General admission".into(),
                png: pngs[1].clone(),
            },
        ],
        resend: None,
    });
    let brand = Brand {
        organization: "Roundhouse Presents".into(),
        legal_line: "Roundhouse Presents Ltd, London. Company no. 01234567.".into(),
        support_email: None,
    };
    let sender = Sender::new("Sellout <tickets@sellout.example>").unwrap();
    let mailer = Mailer::new(SmtpConfig {
        host: mail.smtp_host().into(),
        port: mail.smtp_port(),
        // mailpit accepts any credentials: they travel, and are not logged.
        credentials: Some(("sellout".into(), "not-a-secret".into())),
        tls: TlsMode::None,
        timeout: Duration::from_secs(10),
    })
    .unwrap();
    let message = compose(&email, &brand, &sender, &to).unwrap();
    mailer.send(message).await.unwrap();

    let got = mail
        .wait_for(&to, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(
        m.subject,
        "Your tickets for Summer Nights <live> (order SO-IT-0001)"
    );
    assert_eq!(m.from.address, "tickets@sellout.example");

    // Both alternatives, with the same facts; the HTML escaped.
    for fact in [
        "SO-IT-0001",
        "£75.00",
        "£153.00",
        "Saturday 13 June 2026",
        "19:30",
        "T-1",
        "T-2",
    ] {
        assert!(m.text.contains(fact), "text lacks {fact}:\n{}", m.text);
        assert!(m.html.contains(fact), "HTML lacks {fact}");
    }
    assert!(m.text.contains("Summer Nights <live>"));
    assert!(m.html.contains("Summer Nights &lt;live&gt;"));
    assert!(!m.html.contains("<live>"));

    // Two inline PNGs, each referenced from the HTML by its Content-ID,
    // carrying the bytes we sent.
    assert_eq!(m.inline.len(), 2, "{:?}", m.inline);
    for (i, png) in pngs.iter().enumerate() {
        let cid = email.qr_content_id(i);
        let part = m
            .inline
            .iter()
            .find(|p| p.content_id == cid)
            .unwrap_or_else(|| panic!("no inline part {cid} in {:?}", m.inline));
        assert_eq!(part.content_type, "image/png");
        assert!(m.html.contains(&format!("src=\"cid:{cid}\"")), "{cid}");
        assert_eq!(&mail.part(&m.id, &part.part_id).await.unwrap(), png);
    }

    // The calendar: an attachment that parses, with the event's start.
    assert_eq!(m.attachments.len(), 1, "{:?}", m.attachments);
    let ics = &m.attachments[0];
    assert_eq!(ics.file_name, "tickets.ics");
    assert!(
        ics.content_type.starts_with("text/calendar"),
        "{}",
        ics.content_type
    );
    let bytes = mail.part(&m.id, &ics.part_id).await.unwrap();
    let cal: icalendar::Calendar = String::from_utf8(bytes).unwrap().parse().unwrap();
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 1);
    let Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(start))) = events[0].get_start()
    else {
        panic!(
            "DTSTART is not a UTC date-time: {:?}",
            events[0].get_start()
        );
    };
    assert_eq!(start.timestamp(), starts_at.as_second());
    assert_eq!(
        events[0].get_location(),
        Some("The Roundhouse, Chalk Farm Road, London NW1 8EH")
    );

    // The Message-ID arrived as derived from the order and kind, so a
    // resend after a crash carries the same one.
    let headers: std::collections::HashMap<String, Vec<String>> = reqwest::get(format!(
        "{}/api/v1/message/{}/headers",
        mail.http_url(),
        m.id
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let id = email.message_id(&sender);
    assert_eq!(
        headers.get("Message-Id").or(headers.get("Message-ID")),
        Some(&vec![id.clone()]),
        "{headers:?}"
    );
    assert!(id.contains(&email.key()) && id.starts_with("<order-confirmation."));
}
