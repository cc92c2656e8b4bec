//! The SMS sink answers like a Twilio-style API and keeps what it took.

use std::time::Duration;

use sellout_e2e::sms::{ACCOUNT_SID, FROM, TOKEN};

async fn send(sid: &str, token: &str, to: &str, body: &str) -> (u16, serde_json::Value) {
    let sms = sellout_e2e::sms().await;
    let r = reqwest::Client::new()
        .post(format!(
            "{}/2010-04-01/Accounts/{sid}/Messages.json",
            sms.base_url()
        ))
        .basic_auth(sid, Some(token))
        .form(&[("To", to), ("From", FROM), ("Body", body)])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn texts_are_taken_checked_and_kept() {
    let sms = sellout_e2e::sms().await;
    let token = std::fs::read_to_string(sms.token_file()).unwrap();
    assert_eq!(token, TOKEN);
    let to = "+447700900555";

    let (status, v) = send(ACCOUNT_SID, TOKEN, to, "hello").await;
    assert_eq!(status, 201, "{v}");
    assert!(v["sid"].as_str().unwrap().starts_with("SM"), "{v}");
    let (status, v) = send(ACCOUNT_SID, "wrong", to, "no").await;
    assert_eq!(status, 401, "{v}");
    let (status, v) = send(ACCOUNT_SID, TOKEN, "07700 900555", "no").await;
    assert_eq!((status, v["code"].as_i64()), (400, Some(21211)), "{v}");

    let texts = sms.wait_for(to, 1, Duration::from_secs(5)).await.unwrap();
    assert_eq!(texts.len(), 1, "refused texts are not kept: {texts:?}");
    assert_eq!(
        (texts[0].from.as_str(), texts[0].body.as_str()),
        (FROM, "hello")
    );
    let env = sms.env();
    assert!(env.contains(&("SELLOUT_SMS_API_BASE".into(), sms.base_url().into())));
    // The test binary's other tests may text too, but never this number.
    assert!(
        sms.wait_for(to, 2, Duration::from_millis(200))
            .await
            .is_err()
    );
}
