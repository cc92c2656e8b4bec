//! Payments against localstripe (started by the e2e harness): PaymentIntents
//! with idempotency keys, declines, refunds of PaymentIntents and legacy
//! Charges, and webhooks delivered by localstripe to a local listener.
//!
//! localstripe ignores `Stripe-Account`; a recording proxy in front of it
//! shows what our client sends. What localstripe cannot show at all is
//! listed in `sellout_workers::payments`' module docs.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use sellout_client::webhook::EventType;
use sellout_common::money::{Currency, Money};
use sellout_e2e::stripe::SECRET_KEY;
use sellout_workers::payments::{
    IntentStatus, NewPaymentIntent, NewRefund, PaymentError, Payments, RefundTarget, Secret,
    StripeConfig, WebhookError, WebhookEvent, WebhookVerifier,
};
use serde_json::Value;
use tokio::sync::mpsc;

const ACCOUNT: &str = "acct_1SelloutRiverside";

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

fn config(api_base: &str, webhook_secret: &str) -> StripeConfig {
    StripeConfig::new(SECRET_KEY, webhook_secret)
        .unwrap()
        .with_api_base(api_base)
        .unwrap()
}

async fn payments() -> Payments {
    let stripe = sellout_e2e::stripe().await;
    Payments::new(&config(stripe.url(), "whsec_unused")).unwrap()
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::parse("USD").unwrap())
}

fn order(order_id: &str, amount: Money, payment_method: &str, attempt: u32) -> NewPaymentIntent {
    NewPaymentIntent {
        order_id: order_id.to_owned(),
        event_uid: "3f1c2a9e-0000-4000-8000-00000000e1e1".to_owned(),
        amount,
        application_fee: amount.minor / 20,
        connected_account: ACCOUNT.to_owned(),
        payment_method: Some(payment_method.to_owned()),
        idempotency_key: NewPaymentIntent::order_key(order_id, attempt),
    }
}

fn refund(target: RefundTarget, order_id: &str, amount: i64, key: &str) -> NewRefund {
    NewRefund {
        target,
        amount,
        order_id: order_id.to_owned(),
        connected_account: Some(ACCOUNT.to_owned()),
        refund_application_fee: false,
        idempotency_key: key.to_owned(),
    }
}

/// GET from localstripe directly, as a test looks behind our client.
async fn get(path: &str) -> Value {
    let stripe = sellout_e2e::stripe().await;
    let r = reqwest::Client::new()
        .get(format!("{}{path}", stripe.url()))
        .bearer_auth(SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "GET {path}: {}", r.status());
    r.json().await.unwrap()
}

/// The PaymentIntents localstripe holds for `order_id` (by our metadata).
pub(super) async fn intents_for(order_id: &str) -> Vec<String> {
    sellout_e2e::stripe()
        .await
        .intents_for(order_id)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_idempotency_key_twice_gives_one_payment_intent_and_a_visa_card_pays() {
    let payments = payments().await;
    let order_id = unique("ord-idem");
    let req = order(&order_id, usd(2500), "pm_card_visa", 1);

    let first = payments.create_payment_intent(&req).await.unwrap();
    assert!(first.id.starts_with("pi_"), "{first:?}");
    assert_eq!(first.status, IntentStatus::Succeeded);
    assert_eq!(first.amount, usd(2500));
    assert_eq!(first.amount_received, 2500);
    assert_eq!(first.application_fee, Some(125));
    assert_eq!(first.metadata["order_id"], order_id);
    assert_eq!(
        first.metadata["event_uid"],
        "3f1c2a9e-0000-4000-8000-00000000e1e1"
    );
    assert!(first.latest_charge.as_deref().unwrap().starts_with("ch_"));

    let again = payments.create_payment_intent(&req).await.unwrap();
    assert_eq!(again, first, "the second call must replay the first");
    assert_eq!(intents_for(&order_id).await, vec![first.id.clone()]);

    // The key is what makes it one: the same order under a new key is a
    // second PaymentIntent.
    let other_key = order(&order_id, usd(2500), "pm_card_visa", 2);
    let second = payments.create_payment_intent(&other_key).await.unwrap();
    assert_ne!(second.id, first.id);
    assert_eq!(intents_for(&order_id).await.len(), 2);

    // The same key for a different request is a bug on our side, refused.
    let changed = NewPaymentIntent {
        amount: usd(2600),
        ..req.clone()
    };
    match payments.create_payment_intent(&changed).await {
        Err(PaymentError::IdempotencyConflict { message }) => {
            assert!(message.contains(&req.idempotency_key), "{message}")
        }
        other => panic!("expected an idempotency conflict, got {other:?}"),
    }
    assert_eq!(intents_for(&order_id).await.len(), 2);
}

#[tokio::test]
async fn a_declined_card_is_a_typed_decline_and_a_new_attempt_needs_a_new_key() {
    let payments = payments().await;
    let order_id = unique("ord-decline");
    let req = order(&order_id, usd(1000), "pm_card_chargeCustomerFail", 1);

    let err = payments.create_payment_intent(&req).await.unwrap_err();
    match &err {
        PaymentError::Declined { code, message, .. } => {
            assert_eq!(code, "card_declined");
            assert_eq!(message, "Your card was declined.");
        }
        other => panic!("expected a decline, got {other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(err.category(), "declined");

    // Retrying the same key replays the decline; nothing new is created.
    assert_eq!(payments.create_payment_intent(&req).await.unwrap_err(), err);
    let intents = intents_for(&order_id).await;
    assert_eq!(intents.len(), 1);
    let declined = payments.payment_intent(&intents[0], ACCOUNT).await.unwrap();
    assert_eq!(declined.status, IntentStatus::RequiresPaymentMethod);
    assert_eq!(declined.amount_received, 0);
    assert_eq!(
        declined.last_payment_error.as_deref(),
        Some("Your card was declined.")
    );

    // The buyer's next card is a new attempt, under a new key.
    let retry = order(&order_id, usd(1000), "pm_card_visa", 2);
    let paid = payments.create_payment_intent(&retry).await.unwrap();
    assert_eq!(paid.status, IntentStatus::Succeeded);
    assert_eq!(intents_for(&order_id).await.len(), 2);
}

#[tokio::test]
async fn a_payment_intent_is_refunded_in_part_then_the_rest_and_no_more() {
    let payments = payments().await;
    let order_id = unique("ord-refund");
    let pi = payments
        .create_payment_intent(&order(&order_id, usd(5000), "pm_card_visa", 1))
        .await
        .unwrap();
    let target = RefundTarget::from_id(&pi.id).unwrap();
    let charge = pi.latest_charge.clone().unwrap();

    let part = refund(target.clone(), &order_id, 1500, &unique("rf-1"));
    let r1 = payments.refund(&part).await.unwrap();
    assert!(r1.id.starts_with("re_"), "{r1:?}");
    assert_eq!(r1.amount, usd(1500));
    assert_eq!(r1.status.as_deref(), Some("succeeded"));
    assert_eq!(r1.payment_intent.as_deref(), Some(pi.id.as_str()));
    assert_eq!(r1.charge.as_deref(), Some(charge.as_str()));
    // A retried refund (same key) is the same refund, made once.
    assert_eq!(payments.refund(&part).await.unwrap(), r1);
    assert_eq!(
        get(&format!("/v1/charges/{charge}")).await["amount_refunded"],
        1500
    );

    // More than remains (3,500): refused, nothing refunded.
    let too_much = refund(target.clone(), &order_id, 3501, &unique("rf-2"));
    match payments.refund(&too_much).await {
        Err(PaymentError::InvalidRequest { code, message, .. }) => {
            assert_eq!(code.as_deref(), Some("amount_too_large"), "{message}");
        }
        other => panic!("expected amount_too_large, got {other:?}"),
    }
    assert_eq!(
        get(&format!("/v1/charges/{charge}")).await["amount_refunded"],
        1500
    );

    // The rest, with the application fee (the whole order is refunded now).
    let rest = NewRefund {
        refund_application_fee: true,
        ..refund(target.clone(), &order_id, 3500, &unique("rf-3"))
    };
    let r3 = payments.refund(&rest).await.unwrap();
    assert_eq!(r3.amount, usd(3500));
    let ch = get(&format!("/v1/charges/{charge}")).await;
    assert_eq!(ch["amount_refunded"], 5000);
    assert_eq!(ch["refunded"], true);

    // Nothing is left.
    let one_more = refund(target, &order_id, 1, &unique("rf-4"));
    let e = payments.refund(&one_more).await.unwrap_err();
    assert!(
        matches!(&e, PaymentError::InvalidRequest { code: Some(c), .. } if c == "charge_already_refunded"),
        "expected charge_already_refunded, got {e:?}"
    );
    assert!(!e.is_retryable());
}

#[tokio::test]
async fn a_legacy_charge_is_refunded_in_part() {
    let stripe = sellout_e2e::stripe().await;
    let payments = payments().await;
    let order_id = unique("ord-legacy");
    // What the old platform did: a Charge, no PaymentIntent. localstripe
    // takes a payment method id as the source (not tok_visa).
    let r = reqwest::Client::new()
        .post(format!("{}/v1/charges", stripe.url()))
        .bearer_auth(SECRET_KEY)
        .form(&[
            ("amount", "4200"),
            ("currency", "eur"),
            ("source", "pm_card_visa"),
            ("metadata[order_id]", order_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "create charge: {}", r.status());
    let charge: Value = r.json().await.unwrap();
    let charge_id = charge["id"].as_str().unwrap().to_owned();
    assert_eq!(charge["status"], "succeeded");

    let target = RefundTarget::from_id(&charge_id).unwrap();
    assert_eq!(target, RefundTarget::Charge(charge_id.clone()));
    // Made on the platform's own account by the old platform.
    let part = NewRefund {
        connected_account: None,
        ..refund(target.clone(), &order_id, 1200, &unique("rf-legacy-1"))
    };
    let r1 = payments.refund(&part).await.unwrap();
    assert_eq!(r1.amount, Money::new(1200, Currency::parse("EUR").unwrap()));
    assert_eq!(r1.charge.as_deref(), Some(charge_id.as_str()));
    assert_eq!(r1.payment_intent, None);
    let after = get(&format!("/v1/charges/{charge_id}")).await;
    assert_eq!(after["amount_refunded"], 1200);
    assert_eq!(after["refunded"], false);

    let too_much = NewRefund {
        connected_account: None,
        ..refund(target, &order_id, 3001, &unique("rf-legacy-2"))
    };
    assert!(matches!(
        payments.refund(&too_much).await,
        Err(PaymentError::InvalidRequest { code: Some(c), .. }) if c == "amount_too_large"
    ));
}

/// What the recording proxy saw of one request.
#[derive(Clone, Debug)]
struct Recorded {
    method: Method,
    path: String,
    account: Option<String>,
    idempotency_key: Option<String>,
    form: Vec<(String, String)>,
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    p.seen.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: uri.path().to_owned(),
        account: header("stripe-account"),
        idempotency_key: header("idempotency-key"),
        form: form_pairs(&String::from_utf8_lossy(&body)),
    });
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut req = p
        .http
        .request(method, format!("{}{path_and_query}", p.upstream))
        .body(body.to_vec());
    for name in [
        "authorization",
        "content-type",
        "idempotency-key",
        "stripe-account",
        "stripe-version",
    ] {
        if let Some(v) = headers.get(name) {
            req = req.header(name, v);
        }
    }
    let answer = req.send().await.unwrap();
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
    let body = answer.bytes().await.unwrap();
    (status, [("content-type", "application/json")], body).into_response()
}

/// `a=1&metadata%5Border_id%5D=x` → pairs, percent-decoded.
fn form_pairs(body: &str) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    body.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn field<'a>(r: &'a Recorded, name: &str) -> Option<&'a str> {
    r.form
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn each_request_carries_the_connected_account_its_key_the_fee_and_our_metadata() {
    let stripe = sellout_e2e::stripe().await;
    let proxy = Proxy {
        upstream: stripe.url().to_owned(),
        http: reqwest::Client::new(),
        seen: Arc::default(),
    };
    let seen = proxy.seen.clone();
    let base = serve(Router::new().fallback(forward).with_state(proxy)).await;
    let payments = Payments::new(&config(&base, "whsec_unused")).unwrap();

    let order_id = unique("ord-wire");
    let req = order(&order_id, usd(3000), "pm_card_visa", 1);
    let pi = payments.create_payment_intent(&req).await.unwrap();
    let rf = NewRefund {
        refund_application_fee: true,
        ..refund(
            RefundTarget::from_id(&pi.id).unwrap(),
            &order_id,
            3000,
            "rf-wire",
        )
    };
    payments.refund(&rf).await.unwrap();
    let partial = refund(
        RefundTarget::from_id(&pi.id).unwrap(),
        &order_id,
        1,
        "rf-wire-2",
    );
    // Nothing left; the point is what was sent.
    let _ = payments.refund(&partial).await;

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:#?}");
    let create = &seen[0];
    assert_eq!(create.method, Method::POST);
    assert_eq!(create.path, "/v1/payment_intents");
    assert_eq!(create.account.as_deref(), Some(ACCOUNT));
    assert_eq!(
        create.idempotency_key.as_deref(),
        Some(format!("sellout-pi-{order_id}-1").as_str())
    );
    assert_eq!(field(create, "amount"), Some("3000"));
    assert_eq!(field(create, "currency"), Some("usd"));
    assert_eq!(field(create, "application_fee_amount"), Some("150"));
    assert_eq!(field(create, "metadata[order_id]"), Some(order_id.as_str()));
    assert_eq!(
        field(create, "metadata[event_uid]"),
        Some("3f1c2a9e-0000-4000-8000-00000000e1e1")
    );
    assert_eq!(field(create, "payment_method"), Some("pm_card_visa"));
    assert_eq!(field(create, "confirm"), Some("true"));
    assert_eq!(
        field(create, "automatic_payment_methods[allow_redirects]"),
        Some("never")
    );

    let refund_all = &seen[1];
    assert_eq!(refund_all.path, "/v1/refunds");
    assert_eq!(refund_all.account.as_deref(), Some(ACCOUNT));
    assert_eq!(refund_all.idempotency_key.as_deref(), Some("rf-wire"));
    assert_eq!(field(refund_all, "payment_intent"), Some(pi.id.as_str()));
    assert_eq!(field(refund_all, "amount"), Some("3000"));
    assert_eq!(field(refund_all, "refund_application_fee"), Some("true"));
    assert_eq!(
        field(refund_all, "metadata[order_id]"),
        Some(order_id.as_str())
    );

    // A partial refund leaves the platform's fee alone: not even sent.
    let refund_part = &seen[2];
    assert_eq!(refund_part.idempotency_key.as_deref(), Some("rf-wire-2"));
    assert_eq!(field(refund_part, "refund_application_fee"), None);
}

#[tokio::test]
async fn an_unreachable_stripe_is_unavailable_and_retryable() {
    // A port nothing listens on.
    let port = sellout_e2e::free_port().unwrap();
    let payments = Payments::new(&config(&format!("http://127.0.0.1:{port}"), "whsec_x")).unwrap();
    let err = payments
        .create_payment_intent(&order(&unique("ord-down"), usd(100), "pm_card_visa", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, PaymentError::Unavailable { .. }),
        "expected Unavailable, got {err:?}"
    );
    assert!(err.is_retryable());
}

/// One delivery as our endpoint received it.
#[derive(Debug)]
struct Delivery {
    signature: Option<String>,
    body: Vec<u8>,
}

async fn receive(
    State(tx): State<mpsc::UnboundedSender<Delivery>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let _ = tx.send(Delivery {
        signature,
        body: body.to_vec(),
    });
    StatusCode::OK
}

/// Waits for the first delivery whose verified event satisfies `wanted`.
/// Every delivery to our endpoint must verify: localstripe signs each with
/// the secret registered for it.
async fn next_event(
    rx: &mut mpsc::UnboundedReceiver<Delivery>,
    verifier: &WebhookVerifier,
    wanted: impl Fn(&WebhookEvent) -> bool,
) -> (Delivery, WebhookEvent) {
    let wait = async {
        loop {
            let d = rx.recv().await.expect("webhook listener stopped");
            let event = verifier
                .verify(&d.body, d.signature.as_deref())
                .unwrap_or_else(|e| panic!("delivery did not verify: {e}"));
            if wanted(&event) {
                return (d, event);
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), wait)
        .await
        .expect("no matching webhook within 30 s")
}

#[tokio::test]
async fn webhooks_from_localstripe_verify_and_parse_and_a_changed_byte_does_not() {
    let stripe = sellout_e2e::stripe().await;
    let secret = format!("whsec_{}", unique("it").replace('-', ""));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let base = serve(Router::new().route("/stripe", post(receive)).with_state(tx)).await;
    stripe
        .register_webhook(&unique("payments-it"), &format!("{base}/stripe"), &secret)
        .await
        .unwrap();
    let verifier = config(stripe.url(), &secret).webhook_verifier();
    let payments = payments().await;

    // payment_intent.succeeded, with our metadata.
    let order_id = unique("ord-hook");
    let pi = payments
        .create_payment_intent(&order(&order_id, usd(4200), "pm_card_visa", 1))
        .await
        .unwrap();
    let (delivery, event) = next_event(&mut rx, &verifier, |e| {
        e.kind == EventType::PaymentIntentSucceeded && e.object.id == pi.id
    })
    .await;
    assert!(event.id.starts_with("evt_"), "{event:?}");
    assert_eq!(event.object.object, "payment_intent");
    assert_eq!(event.object.amount, Some(usd(4200)));
    assert_eq!(event.object.order_id.as_deref(), Some(order_id.as_str()));
    assert_eq!(
        event.object.event_uid.as_deref(),
        Some("3f1c2a9e-0000-4000-8000-00000000e1e1")
    );
    assert_eq!(event.object.last_payment_error, None);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (now - event.created).abs() < 120,
        "created {}",
        event.created
    );

    // The same delivery with one byte changed, or checked with another
    // endpoint's secret, or replayed an hour later, is refused.
    let mut changed = delivery.body.clone();
    let at = changed
        .windows(4)
        .position(|w| w == b"4200")
        .expect("the amount is in the body");
    changed[at] = b'9';
    assert_eq!(
        verifier.verify(&changed, delivery.signature.as_deref()),
        Err(WebhookError::BadSignature)
    );
    let other = WebhookVerifier::new(Secret::new("whsec_another_endpoint"));
    assert_eq!(
        other.verify(&delivery.body, delivery.signature.as_deref()),
        Err(WebhookError::BadSignature)
    );
    assert!(matches!(
        verifier.verify_at(&delivery.body, delivery.signature.as_deref(), now + 3600),
        Err(WebhookError::TooOld { .. })
    ));
    assert_eq!(
        verifier.verify(&delivery.body, None),
        Err(WebhookError::MissingHeader)
    );

    // payment_intent.payment_failed, with the buyer's message.
    let failed_order = unique("ord-hook-fail");
    let err = payments
        .create_payment_intent(&order(
            &failed_order,
            usd(900),
            "pm_card_chargeCustomerFail",
            1,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.category(), "declined");
    let (_, failed) = next_event(&mut rx, &verifier, |e| {
        e.kind == EventType::PaymentIntentPaymentFailed
            && e.object.order_id.as_deref() == Some(failed_order.as_str())
    })
    .await;
    assert_eq!(
        failed.object.last_payment_error.as_deref(),
        Some("Your card was declined.")
    );

    // charge.refunded after a partial refund.
    payments
        .refund(&refund(
            RefundTarget::from_id(&pi.id).unwrap(),
            &order_id,
            700,
            &unique("rf-hook"),
        ))
        .await
        .unwrap();
    let (_, refunded) = next_event(&mut rx, &verifier, |e| {
        e.kind == EventType::ChargeRefunded && e.object.payment_intent.as_deref() == Some(&pi.id)
    })
    .await;
    assert_eq!(
        Some(refunded.object.id.as_str()),
        pi.latest_charge.as_deref()
    );
    assert_eq!(refunded.object.amount, Some(usd(4200)));
    assert_eq!(refunded.object.amount_refunded, Some(usd(700)));
}
