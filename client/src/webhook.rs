//! Stripe webhooks: the `Stripe-Signature` check and the few event fields
//! Sellout acts on.
//!
//! Stripe signs each delivery with the endpoint's signing secret
//! (`whsec_…`): the header reads `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`
//! where each `v1` is HMAC-SHA256 of `"<t>.<raw body>"`. There are several
//! `v1` while a secret is being rolled. The delivery is accepted when one
//! `v1` matches (compared in constant time) and `t` is within the tolerance
//! of now (5 minutes by default), which bounds replays. The check runs on
//! the raw body bytes, before any JSON parsing.

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sellout_common::money::{Currency, Money};
use serde::Deserialize;
use sha2::Sha256;

use crate::Secret;

/// The PaymentIntent metadata key holding the Sellout order id.
pub const METADATA_ORDER_ID: &str = "order_id";

/// The PaymentIntent metadata key holding the Event's UID (which event's
/// workers a webhook goes to).
pub const METADATA_EVENT_UID: &str = "event_uid";

/// How far a signature's time may be from now unless configured
/// otherwise: 300 s, as Stripe's own libraries.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The header Stripe signs deliveries in.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// Checks webhook signatures for one endpoint. `Debug` hides the secret.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: Secret,
    tolerance: Duration,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &self.secret)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Why a delivery was refused. Answer 400 for all of them: Stripe retries
/// deliveries that are not acknowledged with 2xx.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No `Stripe-Signature` header at all.
    #[error(
        "no Stripe-Signature header: the request did not come from Stripe, or a proxy dropped the header"
    )]
    MissingHeader,
    /// The header is not `t=<unix>,v1=<hex>…`.
    #[error("malformed Stripe-Signature header: {0}")]
    MalformedHeader(String),
    /// No `v1` signature matches the body.
    #[error(
        "no Stripe-Signature v1 matches the body: the webhook signing secret is not this endpoint's (each endpoint has its own whsec_…), or the body was changed on the way (verify the raw bytes before parsing)"
    )]
    BadSignature,
    /// The signature is genuine but older than the tolerance: a replayed
    /// or long-delayed delivery (or a wrong clock here).
    #[error(
        "webhook signed {age_secs} s ago, more than the {tolerance_secs} s allowed: a replay, or this machine's clock is wrong"
    )]
    TooOld {
        /// How long ago it was signed.
        age_secs: u64,
        /// The tolerance.
        tolerance_secs: u64,
    },
    /// The signature is genuine but dated further in the future than the
    /// tolerance: a clock is wrong.
    #[error(
        "webhook signed {ahead_secs} s in the future, more than the {tolerance_secs} s allowed: this machine's clock is behind"
    )]
    FromTheFuture {
        /// How far ahead.
        ahead_secs: u64,
        /// The tolerance.
        tolerance_secs: u64,
    },
    /// The signature is genuine but the body is not a Stripe event.
    #[error("signed webhook body is not a Stripe event: {0}")]
    BadPayload(String),
}

impl WebhookError {
    /// A short, fixed name for metric labels and logs.
    pub fn category(&self) -> &'static str {
        match self {
            Self::MissingHeader => "missing_header",
            Self::MalformedHeader(_) => "malformed_header",
            Self::BadSignature => "bad_signature",
            Self::TooOld { .. } => "too_old",
            Self::FromTheFuture { .. } => "from_the_future",
            Self::BadPayload(_) => "bad_payload",
        }
    }
}

/// The kinds of event Sellout acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventType {
    /// `payment_intent.succeeded`: the order is paid; issue its tickets
    /// (once, however often Stripe delivers this event).
    PaymentIntentSucceeded,
    /// `payment_intent.payment_failed`: an attempt failed; the order stays
    /// open until its hold expires.
    PaymentIntentPaymentFailed,
    /// `charge.refunded`: a charge was refunded, wholly or in part (also
    /// refunds made in Stripe's dashboard).
    ChargeRefunded,
    /// `charge.dispute.created`: the buyer's bank disputes the payment
    /// (a chargeback); the object is the dispute.
    ChargeDisputeCreated,
    /// `charge.dispute.closed`: the dispute is decided (`status` won,
    /// lost or warning_closed).
    ChargeDisputeClosed,
    /// Any other type, as Stripe names it.
    Other(String),
}

impl EventType {
    /// Stripe's name for the type.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PaymentIntentSucceeded => "payment_intent.succeeded",
            Self::PaymentIntentPaymentFailed => "payment_intent.payment_failed",
            Self::ChargeRefunded => "charge.refunded",
            Self::ChargeDisputeCreated => "charge.dispute.created",
            Self::ChargeDisputeClosed => "charge.dispute.closed",
            Self::Other(s) => s,
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "payment_intent.succeeded" => Self::PaymentIntentSucceeded,
            "payment_intent.payment_failed" => Self::PaymentIntentPaymentFailed,
            "charge.refunded" => Self::ChargeRefunded,
            "charge.dispute.created" => Self::ChargeDisputeCreated,
            "charge.dispute.closed" => Self::ChargeDisputeClosed,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// A verified Stripe event, reduced to what Sellout uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `evt_…`: Stripe may deliver one event several times; act once per
    /// id (or make the action idempotent).
    pub id: String,
    /// The kind of event.
    pub kind: EventType,
    /// When Stripe created the event, Unix seconds.
    pub created: i64,
    /// The connected account it happened on (Connect webhooks), if any.
    pub account: Option<String>,
    /// Whether it is a live-mode event.
    pub livemode: bool,
    /// The object the event is about (`data.object`).
    pub object: EventObject,
}

/// The object an event is about: a PaymentIntent, a Charge or a Dispute
/// for the types Sellout acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventObject {
    /// Its id (`pi_…`, `ch_…`, `dp_…`).
    pub id: String,
    /// Its kind as Stripe names it (`payment_intent`, `charge`,
    /// `dispute`).
    pub object: String,
    /// Its amount, when it has one.
    pub amount: Option<Money>,
    /// What is refunded so far (charges).
    pub amount_refunded: Option<Money>,
    /// The PaymentIntent a charge or dispute belongs to (`None` for
    /// legacy charges made without one).
    pub payment_intent: Option<String>,
    /// The charge a dispute is about.
    pub charge: Option<String>,
    /// Its status as Stripe words it (a dispute's `won`, `lost`, …).
    pub status: Option<String>,
    /// Metadata `order_id`, as we set it on the PaymentIntent.
    pub order_id: Option<String>,
    /// Metadata `event_uid`, as we set it on the PaymentIntent.
    pub event_uid: Option<String>,
    /// The message of the last payment error (PaymentIntents) or the
    /// failure message (charges), as Stripe words it for the buyer.
    pub last_payment_error: Option<String>,
}

impl EventObject {
    /// The PaymentIntent it is or belongs to.
    pub fn payment_intent_id(&self) -> Option<&str> {
        if self.object == "payment_intent" {
            Some(&self.id)
        } else {
            self.payment_intent.as_deref()
        }
    }

    /// The charge it is or is about.
    pub fn charge_id(&self) -> Option<&str> {
        if self.object == "charge" {
            Some(&self.id)
        } else {
            self.charge.as_deref()
        }
    }
}

/// Reads a webhook body *without* checking its signature: only to route
/// it to where it is verified and acted on (the gateway finds the event's
/// checkout workers by it). Never act on what this returns.
pub fn parse_unverified(payload: &[u8]) -> Result<WebhookEvent, WebhookError> {
    parse_event(payload)
}

impl WebhookVerifier {
    /// A verifier for the endpoint whose signing secret is `secret`, with
    /// the [default tolerance](DEFAULT_TOLERANCE).
    pub fn new(secret: Secret) -> Self {
        Self {
            secret,
            tolerance: DEFAULT_TOLERANCE,
        }
    }

    /// The same verifier with another tolerance.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies a delivery now: `payload` is the raw request body,
    /// `signature` the `Stripe-Signature` header (`None` when absent).
    pub fn verify(
        &self,
        payload: &[u8],
        signature: Option<&str>,
    ) -> Result<WebhookEvent, WebhookError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        self.verify_at(payload, signature, now)
    }

    /// [`verify`](Self::verify) as if the time were `now` (Unix seconds).
    pub fn verify_at(
        &self,
        payload: &[u8],
        signature: Option<&str>,
        now: i64,
    ) -> Result<WebhookEvent, WebhookError> {
        let header = parse_header(signature.ok_or(WebhookError::MissingHeader)?)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret.expose().as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(header.t.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload);
        // Every candidate is checked, each in constant time.
        let matched = header
            .v1
            .iter()
            .fold(false, |ok, sig| mac.clone().verify_slice(sig).is_ok() | ok);
        if !matched {
            return Err(WebhookError::BadSignature);
        }
        let tolerance_secs = self.tolerance.as_secs();
        let age = i128::from(now) - i128::from(header.t);
        if age > i128::from(tolerance_secs) {
            return Err(WebhookError::TooOld {
                age_secs: u64::try_from(age).unwrap_or(u64::MAX),
                tolerance_secs,
            });
        }
        if -age > i128::from(tolerance_secs) {
            return Err(WebhookError::FromTheFuture {
                ahead_secs: u64::try_from(-age).unwrap_or(u64::MAX),
                tolerance_secs,
            });
        }
        parse_event(payload)
    }
}

struct Header {
    t: i64,
    v1: Vec<[u8; 32]>,
}

/// `t=<unix>,v1=<hex>[,v1=<hex>…]`; other schemes (`v0`, test-mode
/// signatures) are skipped, as Stripe's libraries do.
fn parse_header(raw: &str) -> Result<Header, WebhookError> {
    let malformed = WebhookError::MalformedHeader;
    let mut t = None;
    let mut v1 = Vec::new();
    for item in raw.split(',') {
        let item = item.trim();
        let (key, value) = item
            .split_once('=')
            .ok_or_else(|| malformed(format!("{item:?} is not key=value")))?;
        match key {
            "t" => {
                if t.is_some() {
                    return Err(malformed("more than one t=".into()));
                }
                t = Some(value.parse::<i64>().map_err(|_| {
                    malformed(format!("t={value:?} is not a Unix time in seconds"))
                })?);
            }
            "v1" => {
                let mut sig = [0u8; 32];
                hex::decode_to_slice(value, &mut sig).map_err(|_| {
                    malformed(format!(
                        "v1={value:?} is not a SHA-256 signature (64 hex digits)"
                    ))
                })?;
                v1.push(sig);
            }
            _ => {}
        }
    }
    let t = t.ok_or_else(|| malformed("no t= timestamp".into()))?;
    if v1.is_empty() {
        return Err(malformed("no v1= signature".into()));
    }
    Ok(Header { t, v1 })
}

#[derive(Deserialize)]
struct RawEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: i64,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    livemode: bool,
    data: RawData,
}

#[derive(Deserialize)]
struct RawData {
    object: RawObject,
}

#[derive(Deserialize)]
struct RawObject {
    id: String,
    object: String,
    #[serde(default)]
    amount: Option<i64>,
    #[serde(default)]
    amount_refunded: Option<i64>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    metadata: Option<HashMap<String, String>>,
    #[serde(default)]
    payment_intent: Option<IdOrObject>,
    #[serde(default)]
    charge: Option<IdOrObject>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    last_payment_error: Option<RawError>,
    #[serde(default)]
    failure_message: Option<String>,
}

/// An expandable field: an id, or the object with its id.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdOrObject {
    Id(String),
    Object { id: String },
}

impl IdOrObject {
    fn into_id(self) -> String {
        match self {
            IdOrObject::Id(id) | IdOrObject::Object { id } => id,
        }
    }
}

#[derive(Deserialize)]
struct RawError {
    #[serde(default)]
    message: Option<String>,
}

fn parse_event(payload: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let raw: RawEvent =
        serde_json::from_slice(payload).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    let o = raw.data.object;
    let currency = o
        .currency
        .as_deref()
        .map(|c| {
            Currency::parse(&c.to_ascii_uppercase())
                .map_err(|_| WebhookError::BadPayload(format!("currency {c:?} is not ISO 4217")))
        })
        .transpose()?;
    let money = |minor: Option<i64>| minor.zip(currency).map(|(m, c)| Money::new(m, c));
    let mut metadata = o.metadata.unwrap_or_default();
    Ok(WebhookEvent {
        id: raw.id,
        kind: EventType::parse(&raw.kind),
        created: raw.created,
        account: raw.account,
        livemode: raw.livemode,
        object: EventObject {
            amount: money(o.amount),
            amount_refunded: money(o.amount_refunded),
            payment_intent: o.payment_intent.map(IdOrObject::into_id),
            charge: o.charge.map(IdOrObject::into_id),
            status: o.status,
            order_id: metadata.remove(METADATA_ORDER_ID),
            event_uid: metadata.remove(METADATA_EVENT_UID),
            last_payment_error: o
                .last_payment_error
                .and_then(|e| e.message)
                .or(o.failure_message),
            id: o.id,
            object: o.object,
        },
    })
}

/// Signs `payload` as Stripe would at time `t` with `secret`: the
/// `Stripe-Signature` header value. For tests and local tools that send
/// webhooks to Sellout.
pub fn sign(payload: &[u8], secret: &str, t: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{t}.").as_bytes());
    mac.update(payload);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_sellout";
    const NOW: i64 = 1_790_000_000;

    fn verifier() -> WebhookVerifier {
        WebhookVerifier::new(Secret::new(SECRET))
    }

    fn succeeded() -> Vec<u8> {
        serde_json::json!({
            "id": "evt_1",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": NOW - 2,
            "livemode": false,
            "account": "acct_1Org",
            "data": {"object": {
                "id": "pi_1",
                "object": "payment_intent",
                "amount": 2500,
                "currency": "eur",
                "status": "succeeded",
                "metadata": {"order_id": "ord-1", "event_uid": "uid-1", "other": "x"},
                "last_payment_error": null,
                "latest_charge": "ch_1"
            }}
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_good_signature_verifies_and_the_event_is_parsed() {
        let body = succeeded();
        let header = sign(&body, SECRET, NOW - 1);
        let e = verifier().verify_at(&body, Some(&header), NOW).unwrap();
        assert_eq!(e.id, "evt_1");
        assert_eq!(e.kind, EventType::PaymentIntentSucceeded);
        assert_eq!(e.kind.as_str(), "payment_intent.succeeded");
        assert_eq!(e.created, NOW - 2);
        assert_eq!(e.account.as_deref(), Some("acct_1Org"));
        assert_eq!(e.object.id, "pi_1");
        assert_eq!(e.object.object, "payment_intent");
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(e.object.amount, Some(Money::new(2500, eur)));
        assert_eq!(e.object.order_id.as_deref(), Some("ord-1"));
        assert_eq!(e.object.event_uid.as_deref(), Some("uid-1"));
        assert_eq!(e.object.last_payment_error, None);
    }

    #[test]
    fn a_signature_computed_elsewhere_verifies() {
        // Computed with Python's hmac module, independently of `sign`:
        // hmac.new(b"whsec_test_sellout", b"1790000000." + body, sha256).
        let body = br#"{"id":"evt_kat","type":"charge.refunded","created":1790000000,"data":{"object":{"id":"ch_kat","object":"charge"}}}"#;
        let header =
            "t=1790000000,v1=9c3876ab7cbe1432eb26a68aa62f1993285adbe56b23670013dcf81f39a78c70";
        assert_eq!(sign(body, SECRET, NOW), header);
        let e = verifier().verify_at(body, Some(header), NOW).unwrap();
        assert_eq!(e.kind, EventType::ChargeRefunded);
        assert_eq!(e.object.id, "ch_kat");
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let body = succeeded();
        let header = sign(&body, SECRET, NOW);
        let tampered = String::from_utf8(body).unwrap().replace("2500", "2600");
        assert_eq!(
            verifier().verify_at(tampered.as_bytes(), Some(&header), NOW),
            Err(WebhookError::BadSignature)
        );
        // The timestamp is signed too: moving it breaks the signature.
        let body = succeeded();
        let moved =
            sign(&body, SECRET, NOW).replace(&format!("t={NOW}"), &format!("t={}", NOW + 1));
        assert_eq!(
            verifier().verify_at(&body, Some(&moved), NOW),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn another_secret_is_refused() {
        let body = succeeded();
        let header = sign(&body, "whsec_someone_else", NOW);
        let e = verifier().verify_at(&body, Some(&header), NOW).unwrap_err();
        assert_eq!(e, WebhookError::BadSignature);
        assert!(e.to_string().contains("signing secret"), "{e}");
    }

    #[test]
    fn old_and_future_signatures_are_refused_outside_the_tolerance() {
        let body = succeeded();
        let at = |t: i64| sign(&body, SECRET, t);
        // At the edge: accepted.
        assert!(
            verifier()
                .verify_at(&body, Some(&at(NOW - 300)), NOW)
                .is_ok()
        );
        assert!(
            verifier()
                .verify_at(&body, Some(&at(NOW + 300)), NOW)
                .is_ok()
        );
        assert_eq!(
            verifier().verify_at(&body, Some(&at(NOW - 301)), NOW),
            Err(WebhookError::TooOld {
                age_secs: 301,
                tolerance_secs: 300
            })
        );
        assert_eq!(
            verifier().verify_at(&body, Some(&at(NOW + 301)), NOW),
            Err(WebhookError::FromTheFuture {
                ahead_secs: 301,
                tolerance_secs: 300
            })
        );
        let strict = verifier().with_tolerance(Duration::from_secs(10));
        assert!(matches!(
            strict.verify_at(&body, Some(&at(NOW - 11)), NOW),
            Err(WebhookError::TooOld { age_secs: 11, .. })
        ));
        // The current time is used by verify().
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!(verifier().verify(&body, Some(&at(now))).is_ok());
        assert!(matches!(
            verifier().verify(&body, Some(&at(now - 3600))),
            Err(WebhookError::TooOld { .. })
        ));
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        let body = succeeded();
        let good = sign(&body, SECRET, NOW);
        let good_v1 = good.split_once(",v1=").unwrap().1;
        let other_v1 = sign(&body, "whsec_old", NOW)
            .split_once(",v1=")
            .unwrap()
            .1
            .to_owned();
        // The matching one last, first, and among test-mode v0 entries.
        for header in [
            format!("t={NOW},v1={other_v1},v1={good_v1}"),
            format!("t={NOW},v1={good_v1},v1={other_v1}"),
            format!("t={NOW},v0={other_v1},v1={other_v1},v1={good_v1}"),
        ] {
            let e = verifier().verify_at(&body, Some(&header), NOW);
            assert!(e.is_ok(), "{header}: {e:?}");
        }
        let none = format!("t={NOW},v1={other_v1},v1={other_v1}");
        assert_eq!(
            verifier().verify_at(&body, Some(&none), NOW),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn missing_and_malformed_headers_say_what_is_wrong() {
        let body = succeeded();
        let v1 = "a".repeat(64);
        assert_eq!(
            verifier().verify_at(&body, None, NOW),
            Err(WebhookError::MissingHeader)
        );
        for (header, says) in [
            ("", "not key=value"),
            ("garbage", "not key=value"),
            (&format!("v1={v1}") as &str, "no t="),
            (&format!("t={NOW}"), "no v1="),
            (&format!("t=yesterday,v1={v1}"), "Unix time"),
            (&format!("t={NOW},v1=abc"), "64 hex digits"),
            (&format!("t={NOW},v1={}", "zz".repeat(32)), "64 hex digits"),
            (&format!("t={NOW},t={NOW},v1={v1}"), "more than one t="),
        ] {
            match verifier().verify_at(&body, Some(header), NOW) {
                Err(e @ WebhookError::MalformedHeader(_)) => {
                    assert!(e.to_string().contains(says), "{header:?}: {e}")
                }
                other => panic!("{header:?}: expected MalformedHeader, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_signed_body_that_is_not_an_event_is_bad_payload() {
        for body in [&b"not json"[..], br#"{"id":"evt_1"}"#] {
            let header = sign(body, SECRET, NOW);
            assert!(matches!(
                verifier().verify_at(body, Some(&header), NOW),
                Err(WebhookError::BadPayload(_))
            ));
        }
    }

    #[test]
    fn failed_and_refunded_events_carry_their_error_and_refunded_amount() {
        let failed = serde_json::json!({
            "id": "evt_2", "object": "event", "type": "payment_intent.payment_failed",
            "created": NOW, "livemode": false,
            "data": {"object": {
                "id": "pi_2", "object": "payment_intent", "amount": 1000, "currency": "usd",
                "metadata": {"order_id": "ord-2"},
                "last_payment_error": {"code": "card_declined", "message": "Your card was declined."}
            }}
        })
        .to_string();
        let e = verifier()
            .verify_at(
                failed.as_bytes(),
                Some(&sign(failed.as_bytes(), SECRET, NOW)),
                NOW,
            )
            .unwrap();
        assert_eq!(e.kind, EventType::PaymentIntentPaymentFailed);
        assert_eq!(
            e.object.last_payment_error.as_deref(),
            Some("Your card was declined.")
        );
        assert_eq!(e.object.event_uid, None);

        let refunded = serde_json::json!({
            "id": "evt_3", "object": "event", "type": "charge.refunded",
            "created": NOW, "livemode": true,
            "data": {"object": {
                "id": "ch_3", "object": "charge", "amount": 5000, "amount_refunded": 1500,
                "currency": "gbp", "payment_intent": "pi_3", "metadata": {}
            }}
        })
        .to_string();
        let e = verifier()
            .verify_at(
                refunded.as_bytes(),
                Some(&sign(refunded.as_bytes(), SECRET, NOW)),
                NOW,
            )
            .unwrap();
        let gbp = Currency::parse("GBP").unwrap();
        assert_eq!(e.kind, EventType::ChargeRefunded);
        assert!(e.livemode);
        assert_eq!(e.object.amount_refunded, Some(Money::new(1500, gbp)));
        assert_eq!(e.object.payment_intent.as_deref(), Some("pi_3"));

        let other = br#"{"id":"evt_4","type":"customer.created","created":1,"data":{"object":{"id":"cus_1","object":"customer"}}}"#;
        let e = verifier()
            .verify_at(other, Some(&sign(other, SECRET, NOW)), NOW)
            .unwrap();
        assert_eq!(e.kind, EventType::Other("customer.created".into()));
        assert_eq!(e.object.amount, None);
    }
}
