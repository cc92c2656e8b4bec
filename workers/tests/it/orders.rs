//! Orders end to end through the real `sellout-worker`: hold, order, pay
//! with a localstripe test card, webhook, tickets; declines, duplicate and
//! out-of-order webhooks, a bad signature, and a worker killed mid-purchase.

use std::time::Duration;

use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use futures::StreamExt;
use kube::api::{Api, PostParams};
use prost::Message;
use sellout_client::webhook::sign;
use sellout_common::proto::v1::{
    Buyer, CreateOrderRequest, ErrorCode, EventRefundReport, GetOrderRequest,
    ImportLegacyOrderRequest, OrderCompleted, OrderHold, OrderRefunded, OrderReply, OrderView,
    RefundEventRequest, RefundRequest, RefundStats, RefundStatsRequest, RefundView, TicketsRevoked,
    order_reply,
};
use sellout_workers::ticket::Verifier;
use uuid::Uuid;

use super::checkout::{Stage, hold, tier};

const WEBHOOK_SECRET_PREFIX: &str = "whsec_orders_it_";

/// The organization's connected Stripe account.
const ACCOUNT: &str = "acct_1SelloutOrdersIt";

/// A stage whose worker takes orders: ticket keys, Stripe (localstripe),
/// an Organization with a connected account, and a webhook endpoint
/// registered at localstripe.
pub(super) struct Shop {
    pub(super) stage: Stage,
    /// The test's own NATS connection for the order requests: it
    /// reconnects by itself when the server comes back.
    rpc: async_nats::Client,
    keys: tempfile::TempDir,
    secret: String,
    /// The buyer's address (unique to the test, for the mail sink).
    pub(super) buyer: String,
}

impl Shop {
    pub(super) async fn new(ns: &str, quantity: i64) -> Self {
        Self::with_tiers(ns, vec![tier("ga", quantity)]).await
    }

    pub(super) async fn with_tiers(ns: &str, tiers: Vec<super::checkout::Tier>) -> Self {
        Self::on(ns, tiers, sellout_e2e::nats().await).await
    }

    /// [`Shop::with_tiers`] on NATS server `nats`.
    pub(super) async fn on(
        ns: &str,
        tiers: Vec<super::checkout::Tier>,
        nats: &'static sellout_e2e::Nats,
    ) -> Self {
        let mut stage = Stage::new_on(ns, &tiers, nats).await;
        let client = sellout_e2e::kube().await.client().await.unwrap();
        let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(client.clone(), ns);
        secrets
            .create(
                &PostParams::default(),
                &serde_json::from_value(serde_json::json!({
                    "metadata": {"name": "stripe"},
                    "stringData": {"account": ACCOUNT},
                }))
                .unwrap(),
            )
            .await
            .unwrap();
        let orgs: Api<sellout_crds::Organization> = Api::namespaced(client, ns);
        orgs.create(
            &PostParams::default(),
            &serde_json::from_value(serde_json::json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
                "metadata": {"name": "riverside", "namespace": ns},
                "spec": {"displayName": "Riverside", "stripeAccount": {"name": "stripe", "key": "account"},
                         "fees": [{"name": "Booking fee", "appliesTo": "Order", "flatMinor": 150}]},
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        let venues: Api<sellout_crds::Venue> =
            Api::namespaced(sellout_e2e::kube().await.client().await.unwrap(), ns);
        venues
            .create(
                &PostParams::default(),
                &serde_json::from_value(serde_json::json!({
                    "apiVersion": "sellout.io/v1alpha1", "kind": "Venue",
                    "metadata": {"name": "hall", "namespace": ns},
                    "spec": {"displayName": "Riverside Hall",
                             "address": {"line1": "1 Road", "city": "York", "country": "GB"},
                             "timezone": "Europe/London", "capacity": 1010,
                             "sections": [{"name": "floor", "generalAdmission": {"capacity": 1000}},
                                          {"name": "stalls", "seated": {"rows": 2, "seatsPerRow": 5}}]},
                }))
                .unwrap(),
            )
            .await
            .unwrap();
        // The operator's part: the e-mail consumer.
        let js = nats.jetstream().await.unwrap();
        js.get_stream(&stage.names.stream)
            .await
            .unwrap()
            .get_or_create_consumer(
                sellout_common::names::EMAIL_CONSUMER,
                sellout_common::names::consumer_config(
                    &stage.names,
                    sellout_common::names::EMAIL_CONSUMER,
                ),
            )
            .await
            .unwrap();
        let mail = sellout_e2e::mail().await;
        // The organization's own ticket key (key id 1) in its own
        // directory; beside it another organization's key 1 and a shared
        // key 1 that none of this event's workers may use: the scan tests
        // sign with the first and the second and see only the first admit.
        let keys = tempfile::tempdir().unwrap();
        for (sub, seed) in [(ns, 42), ("other-org", 7), ("", 9)] {
            let dir = keys.path().join(sub);
            std::fs::create_dir_all(&dir).unwrap();
            let key = SigningKey::from_bytes(&[seed; 32]);
            std::fs::write(
                dir.join("1.pem"),
                key.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes(),
            )
            .unwrap();
            std::fs::write(dir.join("current"), "1\n").unwrap();
        }
        let secret = format!("{WEBHOOK_SECRET_PREFIX}{}", ns.replace('-', "_"));
        std::fs::write(
            keys.path().join("stripe-key"),
            sellout_e2e::stripe::SECRET_KEY,
        )
        .unwrap();
        std::fs::write(keys.path().join("webhook-secret"), &secret).unwrap();
        let p = |f: &str| keys.path().join(f).to_str().unwrap().to_owned();
        stage.order_env = vec![
            ("SELLOUT_TICKET_KEYS_DIR".into(), p("")),
            ("SELLOUT_STRIPE_SECRET_KEY_FILE".into(), p("stripe-key")),
            (
                "SELLOUT_STRIPE_WEBHOOK_SECRET_FILE".into(),
                p("webhook-secret"),
            ),
            (
                "SELLOUT_STRIPE_API_BASE".into(),
                format!("{}/", sellout_e2e::stripe().await.url()),
            ),
            ("SELLOUT_PLATFORM_FEE_BPS".into(), "500".into()),
            ("SELLOUT_SMTP_HOST".into(), mail.smtp_host().into()),
            ("SELLOUT_SMTP_PORT".into(), mail.smtp_port().to_string()),
            ("SELLOUT_SMTP_TLS".into(), "none".into()),
            (
                "SELLOUT_MAIL_FROM".into(),
                "Riverside <tickets@riverside.example>".into(),
            ),
        ];
        Shop {
            rpc: nats.client().await.unwrap(),
            stage,
            keys,
            secret,
            buyer: format!("ada-{ns}@example.com"),
        }
    }

    /// Starts worker `id` and points localstripe's webhooks at it.
    pub(super) async fn start(&mut self, id: &str) {
        self.start_with_ttl(id, 600).await;
    }

    /// [`start`](Self::start) with holds of `ttl` seconds.
    pub(super) async fn start_with_ttl(&mut self, id: &str, ttl: u32) {
        self.stage.start(id, ttl).await;
        self.stage.ready().await;
        let url = format!("http://{}/webhooks/stripe", self.stage.listen[id]);
        sellout_e2e::stripe()
            .await
            .register_webhook(&format!("{}-{id}", self.stage.ns), &url, &self.secret)
            .await
            .unwrap();
    }

    pub(super) async fn call(&self, verb: &str, payload: Vec<u8>) -> Result<OrderView, ErrorCode> {
        match self.call_raw(verb, payload).await? {
            order_reply::Result::Order(o) => Ok(o),
            other => panic!("unexpected answer {other:?}"),
        }
    }

    async fn call_raw(
        &self,
        verb: &str,
        payload: Vec<u8>,
    ) -> Result<order_reply::Result, ErrorCode> {
        let subject = self.stage.names.subject(&format!("rpc.order.{verb}"));
        for _ in 0..100 {
            match self
                .rpc
                .request(subject.clone(), payload.clone().into())
                .await
            {
                Ok(m) => {
                    return match OrderReply::decode(m.payload.as_ref()).unwrap().result {
                        Some(order_reply::Result::Error(e)) => {
                            eprintln!("{verb}: {:?} {}", e.code(), e.message);
                            Err(e.code())
                        }
                        Some(other) => Ok(other),
                        None => panic!("empty answer"),
                    };
                }
                // No worker subscribed yet (restarting): retry.
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
        panic!("no order service answered:\n{}", self.stage.logs());
    }

    async fn order(
        &self,
        order_id: &str,
        holds: &[(&str, i64)],
        card: &str,
    ) -> Result<OrderView, ErrorCode> {
        let req = CreateOrderRequest {
            order_id: order_id.into(),
            holds: holds
                .iter()
                .map(|(id, q)| OrderHold {
                    hold_id: (*id).into(),
                    tier: "ga".into(),
                    quantity: *q,
                    seats: vec![],
                })
                .collect(),
            buyer: Some(Buyer {
                email: self.buyer.clone(),
                name: "Ada".into(),
                phone: String::new(),
                phone_verified: false,
                area: None,
            }),
            payment_method: card.into(),
            ..Default::default()
        };
        self.call("create", req.encode_to_vec()).await
    }

    async fn get(&self, order_id: &str) -> OrderView {
        let req = GetOrderRequest {
            order_id: order_id.into(),
        };
        self.call("get", req.encode_to_vec()).await.unwrap()
    }

    pub(super) async fn wait_state(&self, order_id: &str, want: &str, secs: u64) -> OrderView {
        let give_up = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let o = self.get(order_id).await;
            if o.state == want {
                return o;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "order {order_id} is {} after {secs} s, not {want}\n{}",
                o.state,
                self.stage.logs()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// `OrderCompleted` messages on the event's stream, by order id.
    async fn announced(&self) -> Vec<OrderCompleted> {
        self.messages("tickets").await
    }

    /// Every message on one of the event's stream subjects.
    async fn messages<M: Message + Default>(&self, what: &str) -> Vec<M> {
        let js = self.stage.nats.jetstream().await.unwrap();
        let stream = js.get_stream(&self.stage.names.stream).await.unwrap();
        let subject = self.stage.names.subject(what);
        let Ok(last) = stream.get_last_raw_message_by_subject(&subject).await else {
            return vec![];
        };
        let consumer = stream
            .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
                filter_subject: subject,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut messages = consumer.messages().await.unwrap();
        let mut out = Vec::new();
        while let Some(m) = messages.next().await {
            let m = m.unwrap();
            out.push(M::decode(m.payload.as_ref()).unwrap());
            if m.info().unwrap().stream_sequence >= last.sequence {
                break;
            }
        }
        out
    }

    fn verifier(&self) -> Verifier {
        // The organization's own keys, which its workers sign with.
        Verifier::from_dir(&self.keys.path().join(&self.stage.ns)).unwrap()
    }

    /// POSTs a webhook body to worker `id`, signed with `secret`.
    async fn post_webhook(&self, id: &str, body: &str, secret: &str) -> reqwest::StatusCode {
        self.try_post_webhook(id, body, secret)
            .await
            .expect("the worker answers webhooks")
    }

    /// [`post_webhook`](Self::post_webhook), `None` when the worker did
    /// not answer at all.
    async fn try_post_webhook(
        &self,
        id: &str,
        body: &str,
        secret: &str,
    ) -> Option<reqwest::StatusCode> {
        let t = jiff::Timestamp::now().as_second();
        reqwest::Client::new()
            .post(format!("http://{}/webhooks/stripe", self.stage.listen[id]))
            .header("Stripe-Signature", sign(body.as_bytes(), secret, t))
            .body(body.to_owned())
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .ok()
            .map(|r| r.status())
    }
}

fn id() -> String {
    Uuid::new_v4().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn buy_end_to_end_a_declined_card_keeps_the_hold_and_a_card_tester_is_stopped() {
    let mut shop = Shop::new("orders-e2e", 10).await;
    shop.start("e2e-a").await;
    let c = &shop.stage.client;

    let h = c.hold(hold("ga", 2)).await.unwrap();
    let order_id = id();
    let placed = shop
        .order(&order_id, &[(&h.hold_id, 2)], "pm_card_visa")
        .await
        .unwrap();
    assert!(placed.payment_intent_id.starts_with("pi_"), "{placed:?}");
    // 2 x 20.00 + booking fee 1.50 + platform 5 % (2.00) + Stripe's fee
    // grossed up: the total is what the buyer pays, above 43.50.
    let total = placed.total.clone().unwrap();
    assert_eq!(total.currency, "GBP");
    assert!(total.amount_minor > 4350, "{total:?}");

    let done = shop.wait_state(&order_id, "Completed", 30).await;
    assert_eq!(done.tickets.len(), 2);
    let verifier = shop.verifier();
    for t in &done.tickets {
        let claims = verifier.verify(&t.qr_payload).expect("signature verifies");
        assert_eq!(claims.ticket.to_string(), t.ticket_id);
        assert_eq!(claims.event.to_string(), shop.stage.uid);
        assert_eq!(t.admissions, 1);
    }
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));
    let announced = shop.announced().await;
    assert_eq!(announced.len(), 1);
    assert_eq!(announced[0].order_id, order_id);
    assert_eq!(announced[0].tickets.len(), 2);
    assert_eq!(announced[0].buyer_email, shop.buyer);

    // The confirmation mail: one inline QR per ticket, each decoding to a
    // payload whose signature verifies.
    let mail = sellout_e2e::mail()
        .await
        .wait_for(&shop.buyer, 1, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].subject.contains(&done.order_number),
        "{}",
        mail[0].subject
    );
    assert_eq!(mail[0].inline.len(), 2);
    let mut decoded = Vec::new();
    for part in &mail[0].inline {
        let png = sellout_e2e::mail()
            .await
            .part(&mail[0].id, &part.part_id)
            .await
            .unwrap();
        let text = super::email_sender::read_qr(&png);
        let claims = verifier.verify(&text).expect("the mailed QR verifies");
        decoded.push(claims.ticket.to_string());
    }
    decoded.sort();
    let mut issued: Vec<String> = done.tickets.iter().map(|t| t.ticket_id.clone()).collect();
    issued.sort();
    assert_eq!(decoded, issued);

    // The same create request again is the same order.
    let again = shop
        .order(&order_id, &[(&h.hold_id, 2)], "pm_card_visa")
        .await
        .unwrap();
    assert_eq!(again.state, "Completed");
    assert_eq!(again.payment_intent_id, placed.payment_intent_id);
    // Another order under the same id is refused.
    let other = c.hold(hold("ga", 1)).await.unwrap();
    assert_eq!(
        shop.order(&order_id, &[(&other.hold_id, 1)], "pm_card_visa")
            .await,
        Err(ErrorCode::OrderConflict)
    );
    c.release(&other.hold_id).await.unwrap();

    // A declined card: the order stays payable with its hold (Stripe's
    // payment_failed webhook too leaves it so); another card pays it.
    let h2 = c.hold(hold("ga", 3)).await.unwrap();
    assert_eq!(shop.stage.counts("ga").await, (5, 3, 2));
    let declined = id();
    assert_eq!(
        shop.order(&declined, &[(&h2.hold_id, 3)], "pm_card_chargeCustomerFail")
            .await,
        Err(ErrorCode::PaymentDeclined)
    );
    let unpaid = shop.get(&declined).await;
    assert_eq!(unpaid.state, "AwaitingPayment");
    assert_eq!(
        unpaid.payment_error, "Your card was declined.",
        "{unpaid:?}"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(shop.get(&declined).await.state, "AwaitingPayment");
    assert_eq!(shop.stage.counts("ga").await, (5, 3, 2), "still held");
    let pi = unpaid.payment_intent_id.clone();
    let paid = c.pay_order(&declined, "pm_card_visa").await.unwrap();
    assert_eq!(paid.payment_intent_id, pi, "the same PaymentIntent");
    let done = shop.wait_state(&declined, "Completed", 20).await;
    assert_eq!(done.tickets.len(), 3);
    // Paying it again charges nothing more.
    let again = c.pay_order(&declined, "pm_card_visa").await.unwrap();
    assert_eq!(again.state, "Completed");
    assert_eq!(shop.stage.counts("ga").await, (5, 0, 5));
    assert_eq!(
        sellout_e2e::stripe()
            .await
            .intents_for(&declined)
            .await
            .unwrap()
            .len(),
        1,
        "one PaymentIntent for the order"
    );

    // A card tester's order: five declines, then the order fails and its
    // hold is given back; a sixth card is not even tried.
    let h5 = c.hold(hold("ga", 1)).await.unwrap();
    let tester = id();
    assert_eq!(
        shop.order(&tester, &[(&h5.hold_id, 1)], "pm_card_chargeCustomerFail")
            .await,
        Err(ErrorCode::PaymentDeclined)
    );
    for _ in 1..4 {
        assert_eq!(
            c.pay_order(&tester, "pm_card_chargeCustomerFail")
                .await
                .unwrap_err()
                .code(),
            ErrorCode::PaymentDeclined
        );
        assert_eq!(shop.get(&tester).await.state, "AwaitingPayment");
    }
    let last = c
        .pay_order(&tester, "pm_card_chargeCustomerFail")
        .await
        .unwrap_err();
    assert_eq!(last.code(), ErrorCode::PaymentDeclined);
    assert!(last.message.contains("5 times"), "{}", last.message);
    let failed = shop.wait_state(&tester, "PaymentFailed", 10).await;
    assert!(failed.tickets.is_empty());
    assert_eq!(shop.stage.counts("ga").await, (5, 0, 5), "the hold is back");
    let sixth = c.pay_order(&tester, "pm_card_visa").await.unwrap();
    assert_eq!(sixth.state, "PaymentFailed", "nothing charged");
    assert_eq!(shop.get(&tester).await.state, "PaymentFailed");

    // Bad input changes nothing: a hold that does not exist, and a hold
    // that belongs to another order.
    assert_eq!(
        shop.order(&id(), &[("no-such-hold", 1)], "pm_card_visa")
            .await,
        Err(ErrorCode::UnknownHold)
    );
    // Checked by a lookup: the made-up hold was never placed (not even
    // for a moment), so nothing was held for it.
    assert_eq!(
        c.lookup_hold("no-such-hold").await.unwrap_err().code(),
        ErrorCode::UnknownHold
    );
    assert_eq!(
        shop.order(&id(), &[(&h.hold_id, 2)], "pm_card_visa").await,
        Err(ErrorCode::HoldConflict)
    );
    let h3 = c.hold(hold("ga", 1)).await.unwrap();
    assert_eq!(
        shop.order(&id(), &[(&h3.hold_id, 1), (&h3.hold_id, 1)], "pm_card_visa")
            .await,
        Err(ErrorCode::BadRequest),
        "a hold listed twice"
    );
    assert_eq!(
        shop.order("bad\nid", &[(&h3.hold_id, 1)], "pm_card_visa")
            .await,
        Err(ErrorCode::BadRequest),
        "an id that is not a UUID-like token"
    );
    c.release(&h3.hold_id).await.unwrap();
    assert_eq!(shop.stage.counts("ga").await, (5, 0, 5));
    assert_eq!(shop.announced().await.len(), 2, "the two paid orders");
}

/// A Stripe event about a PaymentIntent of `order`, as Stripe sends it
/// for the organization's connected account in test mode.
fn pi_event(kind: &str, order: &OrderView, uid: &str) -> String {
    forged_pi_event(kind, order, uid, ACCOUNT, false, &order.payment_intent_id)
}

/// A Stripe event with `order`'s metadata and amount from `account` in
/// `livemode` about PaymentIntent `pi`.
fn forged_pi_event(
    kind: &str,
    order: &OrderView,
    uid: &str,
    account: &str,
    livemode: bool,
    pi: &str,
) -> String {
    let total = order.total.clone().unwrap();
    serde_json::json!({
        "id": format!("evt_{}", Uuid::new_v4().simple()),
        "object": "event",
        "type": kind,
        "created": jiff::Timestamp::now().as_second(),
        "livemode": livemode,
        "account": account,
        "data": {"object": {
            "id": pi,
            "object": "payment_intent",
            "amount": total.amount_minor,
            "currency": total.currency.to_lowercase(),
            "metadata": {"order_id": order.order_id, "event_uid": uid},
            "last_payment_error": if kind.ends_with("failed") { serde_json::json!({"message": "Your card was declined."}) } else { serde_json::Value::Null },
        }},
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_webhook_five_times_and_out_of_order_issues_tickets_once() {
    let mut shop = Shop::new("orders-webhooks", 10).await;
    shop.start("wh-a").await;
    let c = &shop.stage.client;
    let h = c.hold(hold("ga", 3)).await.unwrap();
    let order_id = id();
    // No card: the buyer's browser would confirm; the webhooks below are
    // what Stripe would send.
    let placed = shop.order(&order_id, &[(&h.hold_id, 3)], "").await.unwrap();
    assert_eq!(placed.state, "AwaitingPayment");
    let uid = shop.stage.uid.clone();

    // A bad signature changes nothing.
    let succeeded = pi_event("payment_intent.succeeded", &placed, &uid);
    assert_eq!(
        shop.post_webhook("wh-a", &succeeded, "whsec_not_ours")
            .await,
        reqwest::StatusCode::BAD_REQUEST
    );
    assert_eq!(shop.get(&order_id).await.state, "AwaitingPayment");
    // A succeeded event whose amount differs from the quote completes
    // nothing.
    let mut cheap = placed.clone();
    cheap.total.as_mut().unwrap().amount_minor = 1;
    let wrong = pi_event("payment_intent.succeeded", &cheap, &uid);
    assert_ne!(
        shop.post_webhook("wh-a", &wrong, &shop.secret).await,
        reqwest::StatusCode::OK
    );
    assert_eq!(shop.get(&order_id).await.state, "AwaitingPayment");

    // Five deliveries of the same event at once, and a failure of an
    // earlier attempt arriving after them.
    let statuses = futures::future::join_all(
        (0..5).map(|_| shop.post_webhook("wh-a", &succeeded, &shop.secret)),
    )
    .await;
    assert!(statuses.iter().all(|s| s.is_success()), "{statuses:?}");
    let failed = pi_event("payment_intent.payment_failed", &placed, &uid);
    assert!(
        shop.post_webhook("wh-a", &failed, &shop.secret)
            .await
            .is_success()
    );
    assert!(
        shop.post_webhook("wh-a", &succeeded, &shop.secret)
            .await
            .is_success()
    );

    let done = shop.wait_state(&order_id, "Completed", 20).await;
    assert_eq!(done.tickets.len(), 3);
    let announced = shop.announced().await;
    assert_eq!(announced.len(), 1, "one OrderCompleted for the order");
    assert_eq!(announced[0].tickets, done.tickets);
    assert_eq!(shop.stage.counts("ga").await, (7, 0, 3));
    let (book, ops) = shop.stage.ledger().await;
    assert_eq!(book.stock("ga").unwrap().sold, 3);
    let sells = ops
        .iter()
        .filter(|o| matches!(o, sellout_workers::inventory::Op::Sell { .. }))
        .count();
    assert_eq!(sells, 1, "the hold is sold once in the ledger");
    shop.one_mail().await;
}

/// Correctly signed deliveries that are not the order's payment: from
/// another connected account (any promoter on the platform can put an
/// order's metadata and amount on a PaymentIntent of their own), in live
/// mode for a test-mode platform, about another PaymentIntent. None
/// completes the order or fails it; the real payment still does.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_signed_webhook_that_is_not_the_orders_payment_completes_nothing() {
    let mut shop = Shop::new("orders-forged", 10).await;
    shop.start("forge-a").await;
    let c = &shop.stage.client;
    let h = c.hold(hold("ga", 2)).await.unwrap();
    let order_id = id();
    let placed = shop.order(&order_id, &[(&h.hold_id, 2)], "").await.unwrap();
    assert_eq!(placed.state, "AwaitingPayment");
    let uid = shop.stage.uid.clone();
    let pi = placed.payment_intent_id.clone();
    for (what, account, live, intent) in [
        ("another account", "acct_1Attacker", false, pi.as_str()),
        ("the platform's own account", "", false, pi.as_str()),
        ("live mode", ACCOUNT, true, pi.as_str()),
        ("another PaymentIntent", ACCOUNT, false, "pi_1NotThisOrders"),
    ] {
        for kind in ["payment_intent.succeeded", "payment_intent.payment_failed"] {
            let mut body: serde_json::Value =
                serde_json::from_str(&forged_pi_event(kind, &placed, &uid, account, live, intent))
                    .unwrap();
            if account.is_empty() {
                body.as_object_mut().unwrap().remove("account");
            }
            assert_eq!(
                shop.post_webhook("forge-a", &body.to_string(), &shop.secret)
                    .await,
                reqwest::StatusCode::OK,
                "{what}: acknowledged, so Stripe stops sending it"
            );
            assert_eq!(
                shop.get(&order_id).await.state,
                "AwaitingPayment",
                "{what} {kind}"
            );
        }
    }
    assert_eq!(shop.stage.counts("ga").await, (8, 2, 0), "still held");
    assert!(shop.announced().await.is_empty(), "no tickets issued");
    // The order's own payment completes it.
    let real = pi_event("payment_intent.succeeded", &placed, &uid);
    assert!(
        shop.post_webhook("forge-a", &real, &shop.secret)
            .await
            .is_success()
    );
    let done = shop.wait_state(&order_id, "Completed", 20).await;
    assert_eq!(done.tickets.len(), 2);
}

/// The per-order maximum (10 by default) holds across an order's holds:
/// three holds of 4, each within it, are not one order of 12. Refusing
/// claims nothing: two of the holds are bought afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_order_of_many_holds_stays_within_the_per_order_maximum() {
    let mut shop = Shop::new("orders-many-holds", 20).await;
    shop.start("many-a").await;
    let c = &shop.stage.client;
    let mut holds = Vec::new();
    for _ in 0..3 {
        holds.push(c.hold(hold("ga", 4)).await.unwrap().hold_id);
    }
    let all: Vec<(&str, i64)> = holds.iter().map(|h| (h.as_str(), 4)).collect();
    assert_eq!(
        shop.order(&id(), &all, "pm_card_visa").await,
        Err(ErrorCode::QuantityTooLarge)
    );
    assert_eq!(shop.stage.counts("ga").await, (8, 12, 0), "nothing sold");
    let order_id = id();
    let placed = shop
        .order(&order_id, &all[..2], "pm_card_visa")
        .await
        .unwrap();
    assert_ne!(placed.state, "PaymentFailed");
    let done = shop.wait_state(&order_id, "Completed", 20).await;
    assert_eq!(done.tickets.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_purchase_completes_the_order_once() {
    let mut shop = Shop::new("orders-kill", 10).await;
    shop.start("kill-o").await;
    let c = &shop.stage.client;
    let h = c.hold(hold("ga", 2)).await.unwrap();
    let order_id = id();
    let placed = shop
        .order(&order_id, &[(&h.hold_id, 2)], "pm_card_visa")
        .await
        .unwrap();
    // Killed right after the payment: Stripe's webhook may be lost.
    shop.stage.kill("kill-o");
    shop.start("kill-o").await;
    // Stripe retries the webhook; the restarted worker also asks Stripe
    // about unpaid orders on its own.
    let succeeded = pi_event("payment_intent.succeeded", &placed, &shop.stage.uid);
    for _ in 0..3 {
        let _ = shop.post_webhook("kill-o", &succeeded, &shop.secret).await;
    }
    let done = shop.wait_state(&order_id, "Completed", 30).await;
    assert_eq!(done.tickets.len(), 2);
    assert_eq!(shop.announced().await.len(), 1);
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));
    shop.one_mail().await;
}

/// What a fault drill kills.
#[derive(Clone, Copy, Debug)]
enum Outage {
    /// nats-server: the ledger, the requests and the event's stream.
    Nats,
    /// FerretDB: the orders' database.
    FerretDb,
}

/// Fault drill: a sale of `CAPACITY` units to `BUYERS` buyers arriving
/// 10 ms apart, each holding one unit, placing an order and paying for it
/// (a localstripe PaymentIntent, then Stripe's webhook). 1.5 s in, the
/// `outage`'s server is killed with SIGKILL, and started again `down`
/// later on the same files. Buyers retry their hold and their order with the
/// same ids, and the webhook is sent again until a worker takes it, as
/// Stripe does. Counted: exactly the capacity is sold and each unit once
/// (counts, ledger), every sold unit's order completes once (one
/// `OrderCompleted` on the stream) with one PaymentIntent, every other
/// buyer was told "sold out", and the worker reports ready again by
/// itself.
async fn orders_survive(outage: Outage, down: Duration, ns: &str) {
    const BUYERS: usize = 500;
    const CAPACITY: i64 = 100;
    let dir = sellout_e2e::run_dir().join(ns);
    // Its own server: the test binary's is shared with other tests.
    let (nats, mongo) = match outage {
        Outage::Nats => (
            Some(&*Box::leak(Box::new(
                sellout_e2e::Nats::start(&dir, sellout_e2e::Port::Free, sellout_e2e::Port::Free)
                    .await
                    .unwrap(),
            ))),
            None,
        ),
        Outage::FerretDb => (
            None,
            Some(&*Box::leak(Box::new(
                sellout_e2e::Mongo::start(&dir, sellout_e2e::Port::Free)
                    .await
                    .unwrap(),
            ))),
        ),
    };
    let on = match nats {
        Some(n) => n,
        None => sellout_e2e::nats().await,
    };
    let mut shop = Shop::on(ns, vec![tier("ga", CAPACITY)], on).await;
    if let Some(m) = mongo {
        shop.stage.mongo_uri = m.uri().to_owned();
    }
    shop.start("drill").await;
    let shop = std::sync::Arc::new(shop);
    let retries = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let slow = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let buyers = (0..BUYERS).map(|i| {
        let (shop, retries, slow) = (shop.clone(), retries.clone(), slow.clone());
        async move {
            tokio::time::sleep(Duration::from_millis(i as u64 * 10)).await;
            let h = match shop.stage.client.hold(hold("ga", 1)).await {
                Ok(h) => h,
                Err(e) if e.code() == ErrorCode::NotEnough => return None,
                Err(e) => panic!("buyer {i}'s hold: {e:?}"),
            };
            let order_id = id();
            let give_up = tokio::time::Instant::now() + Duration::from_secs(120);
            let placed = loop {
                let asked = tokio::time::Instant::now();
                let answer = shop
                    .order(&order_id, &[(&h.hold_id, 1)], "pm_card_visa")
                    .await;
                if asked.elapsed() > Duration::from_secs(1) {
                    slow.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                match answer {
                    Ok(o) => break o,
                    Err(code) => {
                        retries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        assert!(
                            tokio::time::Instant::now() < give_up,
                            "order {order_id} still refused ({code:?}) after 120 s\n{}",
                            shop.stage.logs()
                        );
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
            };
            // Stripe sends the webhook again until it is taken.
            let succeeded = pi_event("payment_intent.succeeded", &placed, &shop.stage.uid);
            loop {
                let status = shop
                    .try_post_webhook("drill", &succeeded, &shop.secret)
                    .await;
                if status == Some(reqwest::StatusCode::OK) {
                    break;
                }
                retries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                assert!(
                    tokio::time::Instant::now() < give_up,
                    "the webhook of {order_id} still refused ({status:?}) after 120 s\n{}",
                    shop.stage.logs()
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Some(order_id)
        }
    });
    let crowd = tokio::spawn(futures::future::join_all(buyers));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let log = match (nats, mongo) {
        (Some(n), _) => {
            n.kill();
            tokio::time::sleep(down).await;
            n.restart().await.unwrap();
            n.log_tail(40)
        }
        (_, Some(m)) => {
            m.kill();
            tokio::time::sleep(down).await;
            m.restart().await.unwrap();
            String::new()
        }
        _ => unreachable!(),
    };
    let orders: Vec<String> = crowd.await.unwrap().into_iter().flatten().collect();
    assert_eq!(
        orders.len() as i64,
        CAPACITY,
        "buyers who got a unit\n{log}\n{}",
        shop.stage.logs()
    );

    for order_id in &orders {
        let done = shop.wait_state(order_id, "Completed", 60).await;
        assert_eq!(done.tickets.len(), 1, "{order_id}");
        assert_eq!(
            super::payments::intents_for(order_id).await,
            vec![done.payment_intent_id.clone()],
            "{order_id} has one PaymentIntent"
        );
    }
    let announced = shop.announced().await;
    let mut once = std::collections::HashMap::new();
    for a in &announced {
        *once.entry(a.order_id.clone()).or_insert(0) += 1;
    }
    assert_eq!(once.len(), orders.len(), "every order announced");
    assert!(
        once.values().all(|n| *n == 1),
        "an order was completed twice: {once:?}"
    );
    assert_eq!(shop.stage.counts("ga").await, (0, 0, CAPACITY));
    let (book, _) = shop.stage.ledger().await;
    let s = book.stock("ga").unwrap();
    assert_eq!(
        (s.available, s.held, s.sold),
        (0, 0, CAPACITY),
        "the ledger"
    );
    // The outage was felt: orders answered late or refused and retried.
    let (slow, retries) = (
        slow.load(std::sync::atomic::Ordering::Relaxed),
        retries.load(std::sync::atomic::Ordering::Relaxed),
    );
    assert!(
        slow + retries > 0,
        "no order met the outage: the drill tested nothing"
    );
    let url = format!("http://{}/readyz", shop.stage.listen["drill"]);
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    while !reqwest::get(&url)
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            tokio::time::Instant::now() < give_up,
            "the worker is not ready 30 s after {outage:?} came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "{outage:?} kill drill ({} s down): {BUYERS} buyers, {CAPACITY} units; {} orders ({slow} answered after more than 1 s, {retries} refusals retried), {} announced, each once with one PaymentIntent; {CAPACITY} sold, 0 oversold",
        down.as_secs(),
        orders.len(),
        announced.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_survive_ferretdb_killed_and_restarted() {
    orders_survive(Outage::FerretDb, Duration::from_secs(3), "orders-db-crash").await;
}

/// The database stays away longer than the MongoDB driver waits to select
/// a server (30 s): requests in flight are refused, not only delayed, and
/// buyers and Stripe retry them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_survive_ferretdb_down_longer_than_the_drivers_wait() {
    orders_survive(
        Outage::FerretDb,
        Duration::from_secs(40),
        "orders-db-long-crash",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_and_webhooks_survive_nats_killed_and_restarted() {
    orders_survive(Outage::Nats, Duration::from_secs(3), "orders-nats-crash").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_table_sells_as_one_unit_and_a_complimentary_order_skips_stripe() {
    let mut shop = Shop::with_tiers(
        "orders-table",
        vec![super::checkout::Tier {
            name: "table",
            quantity: 5,
            extra: serde_json::json!({"table": {"seats": 6}, "perOrder": {"min": 1, "max": 2}}),
        }],
    )
    .await;
    shop.start("table-a").await;
    let c = &shop.stage.client;
    let h = c
        .hold(sellout_common::proto::v1::HoldRequest {
            box_office: true,
            ..hold("table", 1)
        })
        .await
        .unwrap();
    let order_id = id();
    let req = CreateOrderRequest {
        order_id: order_id.clone(),
        holds: vec![OrderHold {
            hold_id: h.hold_id.clone(),
            tier: "table".into(),
            quantity: 1,
            seats: vec![],
        }],
        buyer: Some(Buyer {
            email: "guest@example.com".into(),
            ..Default::default()
        }),
        box_office: true,
        complimentary: true,
        ..Default::default()
    };
    let done = shop.call("create", req.encode_to_vec()).await.unwrap();
    // Free: no PaymentIntent, completed at once.
    assert_eq!(done.state, "Completed");
    assert!(done.payment_intent_id.is_empty());
    assert_eq!(done.total.unwrap().amount_minor, 0);
    // One table: one ticket admitting its six seats.
    assert_eq!(done.tickets.len(), 1);
    assert_eq!(done.tickets[0].admissions, 6);
    let claims = shop.verifier().verify(&done.tickets[0].qr_payload).unwrap();
    assert_eq!(claims.admits.get(), 6);
    let announced = shop.announced().await;
    assert_eq!(announced.len(), 1);
    assert_eq!(announced[0].lines.len(), 1, "one order line for the table");
    assert_eq!(announced[0].lines[0].quantity, 1);
    assert_eq!(shop.stage.counts("table").await, (4, 0, 1));
}

impl Shop {
    /// Exactly one mail reaches the buyer (and no second one follows).
    async fn one_mail(&self) {
        let sink = sellout_e2e::mail().await;
        sink.wait_for(&self.buyer, 1, Duration::from_secs(30))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(
            sink.messages_to(&self.buyer).await.unwrap().len(),
            1,
            "one e-mail"
        );
    }

    pub(super) async fn refund(
        &self,
        refund_id: &str,
        order_id: &str,
        tickets: &[&str],
    ) -> Result<RefundView, ErrorCode> {
        let req = RefundRequest {
            refund_id: refund_id.into(),
            order_id: order_id.into(),
            ticket_ids: tickets.iter().map(|t| (*t).to_owned()).collect(),
            reason: "test".into(),
        };
        match self.call_raw("refund", req.encode_to_vec()).await? {
            order_reply::Result::Refund(r) => Ok(r),
            other => panic!("unexpected answer {other:?}"),
        }
    }

    async fn refund_event(&self, dry_run: bool) -> EventRefundReport {
        match self
            .call_raw(
                "refund_event",
                RefundEventRequest { dry_run }.encode_to_vec(),
            )
            .await
            .unwrap()
        {
            order_reply::Result::EventRefund(r) => r,
            other => panic!("unexpected answer {other:?}"),
        }
    }

    async fn stats(&self) -> RefundStats {
        match self
            .call_raw("refund_stats", RefundStatsRequest {}.encode_to_vec())
            .await
            .unwrap()
        {
            order_reply::Result::RefundStats(r) => r,
            other => panic!("unexpected answer {other:?}"),
        }
    }

    /// Buys `n` tickets with a visa card; returns the completed order.
    async fn buy(&self, n: i64) -> OrderView {
        let h = self.stage.client.hold(hold("ga", n)).await.unwrap();
        let order_id = id();
        self.order(&order_id, &[(&h.hold_id, n)], "pm_card_visa")
            .await
            .unwrap();
        self.wait_state(&order_id, "Completed", 30).await
    }
}

/// What localstripe says of a refund: (amount, charge).
async fn stripe_refund(id: &str) -> (i64, String) {
    let v: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/v1/refunds/{id}",
            sellout_e2e::stripe().await.url()
        ))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        v["amount"].as_i64().unwrap(),
        v["charge"].as_str().unwrap_or_default().to_owned(),
    )
}

fn minor(m: &Option<sellout_common::proto::v1::Money>) -> i64 {
    m.as_ref().map_or(0, |m| m.amount_minor)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refunds_one_ticket_then_the_rest_a_legacy_charge_and_a_cancelled_event_in_bulk() {
    let mut shop = Shop::new("orders-refunds", 10).await;
    shop.start("refund-a").await;

    // One ticket of three: its share, without the fees.
    let order = shop.buy(3).await;
    let total = minor(&order.total);
    let t: Vec<&str> = order.tickets.iter().map(|t| t.ticket_id.as_str()).collect();
    let first = shop
        .refund("r-first", &order.order_id, &t[..1])
        .await
        .unwrap();
    assert_eq!(first.state, "Done");
    assert!(!first.fees_returned);
    let first_amount = minor(&first.amount);
    // 3 x 20.00 face + 1.50 booking fee (the organization's, per order):
    // a third of 61.50.
    assert_eq!(first_amount, 2050, "{first:?}");
    assert_eq!(stripe_refund(&first.stripe_refund_id).await.0, first_amount);
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));
    // The same refund again changes nothing; the same ticket again is
    // refused.
    let again = shop
        .refund("r-first", &order.order_id, &t[..1])
        .await
        .unwrap();
    assert_eq!(again.stripe_refund_id, first.stripe_refund_id);
    assert_eq!(
        shop.refund("r-other", &order.order_id, &t[..1]).await,
        Err(ErrorCode::RefundTooLarge)
    );
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));
    let revoked: Vec<TicketsRevoked> = shop.messages("revocations").await;
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].ticket_ids, vec![t[0].to_owned()]);

    // The same ticket twice in one refund is refused.
    assert_eq!(
        shop.refund("r-twice", &order.order_id, &[t[1], t[1]]).await,
        Err(ErrorCode::BadRequest)
    );
    // The rest: everything left, platform and Stripe fees included.
    let rest = shop.refund("r-rest", &order.order_id, &[]).await.unwrap();
    assert!(rest.fees_returned);
    assert_eq!(minor(&rest.amount), total - first_amount);
    assert_eq!(rest.ticket_ids, vec![t[1].to_owned(), t[2].to_owned()]);
    assert_eq!(shop.get(&order.order_id).await.state, "Refunded");
    assert_eq!(shop.stage.counts("ga").await, (10, 0, 0));
    assert_eq!(
        shop.messages::<TicketsRevoked>("revocations").await.len(),
        2
    );
    let refunded: Vec<OrderRefunded> = shop.messages("refunds").await;
    assert_eq!(refunded.len(), 2);
    assert_eq!(
        refunded.iter().map(|r| minor(&r.amount)).sum::<i64>(),
        total,
        "exactly what was paid came back"
    );

    // A legacy order paid by a Charge on the old platform.
    let charge: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/charges", sellout_e2e::stripe().await.url()))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .form(&[
            ("amount", "4000"),
            ("currency", "gbp"),
            ("source", "pm_card_visa"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let charge_id = charge["id"].as_str().unwrap().to_owned();
    let legacy_id = id();
    let import = ImportLegacyOrderRequest {
        order_id: legacy_id.clone(),
        charge_id: charge_id.clone(),
        tier: "ga".into(),
        quantity: 2,
        paid: Some(sellout_common::proto::v1::Money {
            amount_minor: 4000,
            currency: "GBP".into(),
        }),
        buyer: Some(Buyer {
            email: "old@example.com".into(),
            ..Default::default()
        }),
    };
    let legacy = shop.call("import", import.encode_to_vec()).await.unwrap();
    assert_eq!(legacy.state, "Completed");
    assert_eq!(legacy.tickets.len(), 2);
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));
    let part = shop
        .refund(
            "r-legacy",
            &legacy_id,
            &[legacy.tickets[0].ticket_id.as_str()],
        )
        .await
        .unwrap();
    assert_eq!(minor(&part.amount), 2000);
    assert_eq!(
        stripe_refund(&part.stripe_refund_id).await,
        (2000, charge_id)
    );
    assert_eq!(shop.stage.counts("ga").await, (9, 0, 1));

    // Bulk refund of a cancelled event: one more order, then cancel.
    let last = shop.buy(2).await;
    assert_eq!(shop.stage.counts("ga").await, (7, 0, 3));
    let client = sellout_e2e::kube().await.client().await.unwrap();
    let events: Api<sellout_crds::Event> = Api::namespaced(client, &shop.stage.ns);
    events
        .patch(
            "show",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(serde_json::json!({"spec": {"state": "Cancelled"}})),
        )
        .await
        .unwrap();
    // The worker reads the catalog every 2 s.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    let dry = loop {
        match shop
            .call_raw(
                "refund_event",
                RefundEventRequest { dry_run: true }.encode_to_vec(),
            )
            .await
        {
            Ok(order_reply::Result::EventRefund(r)) => break r,
            Err(ErrorCode::OrderState) if tokio::time::Instant::now() < give_up => {
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            other => panic!("dry run: {other:?}"),
        }
    };
    assert!(dry.dry_run);
    assert_eq!((dry.orders, dry.tickets), (2, 3), "{dry:?}");
    assert_eq!(minor(&dry.amount), 2000 + minor(&last.total));
    // The dry run changed nothing.
    assert_eq!(shop.stage.counts("ga").await, (7, 0, 3));
    assert_eq!(
        shop.messages::<TicketsRevoked>("revocations").await.len(),
        3
    );

    let done = shop.refund_event(false).await;
    assert!(!done.dry_run);
    assert_eq!((done.orders, done.tickets), (dry.orders, dry.tickets));
    assert_eq!(done.amount, dry.amount);
    assert!(done.failed_orders.is_empty());
    assert_eq!(shop.stage.counts("ga").await, (10, 0, 0));
    assert_eq!(shop.get(&last.order_id).await.state, "Refunded");
    assert_eq!(shop.get(&legacy_id).await.state, "Refunded");
    // Running it again refunds nothing more.
    let again = shop.refund_event(false).await;
    assert_eq!(minor(&again.amount), 0, "{again:?}");
    assert_eq!(shop.stage.counts("ga").await, (10, 0, 0));

    // The buyers hear the event is cancelled, with what comes back.
    let sink = sellout_e2e::mail().await;
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let mails = sink.messages_to(&shop.buyer).await.unwrap();
        if mails
            .iter()
            .any(|m| m.subject.contains("has been cancelled"))
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "no event-cancelled mail: {:?}",
            mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let stats = shop.stats().await;
    assert_eq!(stats.refunds, 5);
    assert_eq!(stats.tickets, 7);
    assert_eq!(stats.orders_fully_refunded, 3);
    assert_eq!(minor(&stats.amount), total + 4000 + minor(&last.total));
    let (book, _) = shop.stage.ledger().await;
    assert_eq!(book.stock("ga").unwrap().sold, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn specific_seats_are_sold_once_and_a_refunded_seat_can_be_sold_again() {
    let mut shop = Shop::with_tiers(
        "orders-seats",
        vec![super::checkout::Tier {
            name: "stalls",
            quantity: 10,
            extra: serde_json::json!({"section": "stalls"}),
        }],
    )
    .await;
    shop.start("seats-a").await;
    let c = &shop.stage.client;
    let seats = |ids: &[&str]| sellout_common::proto::v1::HoldRequest {
        seats: ids.iter().map(|s| (*s).to_owned()).collect(),
        ..hold("stalls", ids.len() as i64)
    };
    let mine = c.hold(seats(&["A1", "A2"])).await.unwrap();
    assert_eq!(mine.seats, vec!["A1", "A2"]);
    // A seat already taken, a seat that does not exist, a seat twice:
    // refused, nothing changes.
    assert_eq!(
        c.hold(seats(&["A2", "A3"])).await.unwrap_err().code(),
        ErrorCode::SeatTaken
    );
    assert_eq!(
        c.hold(seats(&["Z9"])).await.unwrap_err().code(),
        ErrorCode::UnknownSeat
    );
    assert_eq!(
        c.hold(seats(&["B1", "B1"])).await.unwrap_err().code(),
        ErrorCode::UnknownSeat
    );
    assert_eq!(shop.stage.counts("stalls").await, (8, 2, 0));

    let order_id = id();
    let req = CreateOrderRequest {
        order_id: order_id.clone(),
        holds: vec![OrderHold {
            hold_id: mine.hold_id.clone(),
            tier: "stalls".into(),
            quantity: 2,
            seats: vec!["A1".into(), "A2".into()],
        }],
        buyer: Some(Buyer {
            email: shop.buyer.clone(),
            ..Default::default()
        }),
        payment_method: "pm_card_visa".into(),
        ..Default::default()
    };
    shop.call("create", req.encode_to_vec()).await.unwrap();
    let done = shop.wait_state(&order_id, "Completed", 30).await;
    let seat_of: Vec<&str> = done.tickets.iter().map(|t| t.seat.as_str()).collect();
    assert_eq!(seat_of, vec!["A1", "A2"]);
    assert!(
        done.tickets[0].label.contains("A1"),
        "{:?}",
        done.tickets[0]
    );
    assert_eq!(shop.stage.counts("stalls").await, (8, 0, 2));

    // Refund A1: it can be sold again; A2 cannot.
    shop.refund("r-a1", &order_id, &[done.tickets[0].ticket_id.as_str()])
        .await
        .unwrap();
    assert_eq!(shop.stage.counts("stalls").await, (9, 0, 1));
    assert!(c.hold(seats(&["A1"])).await.is_ok());
    assert_eq!(
        c.hold(seats(&["A2"])).await.unwrap_err().code(),
        ErrorCode::SeatTaken
    );
    shop.stage.ledger().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_promo_code_lowers_the_price_and_an_unknown_one_changes_nothing() {
    let mut shop = Shop::new("orders-promo", 10).await;
    let client = sellout_e2e::kube().await.client().await.unwrap();
    let events: Api<sellout_crds::Event> = Api::namespaced(client, &shop.stage.ns);
    events
        .patch(
            "show",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(serde_json::json!({"spec": {"promotions": [
                {"code": "EARLY", "name": "Early bird", "percentBps": 2500}
            ]}})),
        )
        .await
        .unwrap();
    shop.start("promo-a").await;
    let c = &shop.stage.client;
    let with_code = |order_id: &str, hold_id: &str, code: &str| CreateOrderRequest {
        order_id: order_id.into(),
        holds: vec![OrderHold {
            hold_id: hold_id.into(),
            tier: "ga".into(),
            quantity: 2,
            seats: vec![],
        }],
        buyer: Some(Buyer {
            email: shop.buyer.clone(),
            ..Default::default()
        }),
        promo_code: code.into(),
        ..Default::default()
    };
    // Cancelling an unpaid order: Cancelled, holds back, its
    // PaymentIntent cancelled at Stripe.
    let gone = c.hold(hold("ga", 1)).await.unwrap();
    let unpaid_id = id();
    let mut unpaid_req = with_code(&unpaid_id, &gone.hold_id, "");
    unpaid_req.holds[0].quantity = 1;
    let unpaid = shop
        .call("create", unpaid_req.encode_to_vec())
        .await
        .unwrap();
    assert_eq!(shop.stage.counts("ga").await, (9, 1, 0));
    let cancel = sellout_common::proto::v1::CancelOrderRequest {
        order_id: unpaid_id.clone(),
        reason: String::new(),
    };
    let cancelled = shop.call("cancel", cancel.encode_to_vec()).await.unwrap();
    assert_eq!(cancelled.state, "Cancelled");
    assert_eq!(shop.stage.counts("ga").await, (10, 0, 0));
    let pi: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/v1/payment_intents/{}",
            sellout_e2e::stripe().await.url(),
            unpaid.payment_intent_id
        ))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pi["status"], "canceled", "{pi}");

    let plain_hold = c.hold(hold("ga", 2)).await.unwrap();
    let plain = shop
        .call(
            "create",
            with_code(&id(), &plain_hold.hold_id, "").encode_to_vec(),
        )
        .await
        .unwrap();
    let h = c.hold(hold("ga", 2)).await.unwrap();
    assert_eq!(
        shop.call(
            "create",
            with_code(&id(), &h.hold_id, "NOPE").encode_to_vec()
        )
        .await,
        Err(ErrorCode::PromoCodeInvalid)
    );
    // The refusal claimed nothing: the hold goes into another order.
    let early = shop
        .call(
            "create",
            with_code(&id(), &h.hold_id, "early").encode_to_vec(),
        )
        .await
        .unwrap();
    // 25 % off 2 x 20.00 = 10.00 less before fees (more with the fees on it).
    let (p, e) = (minor(&plain.total), minor(&early.total));
    assert!(p - e >= 1000, "plain {p}, early {e}");
    // A quote prices the same as the order, without holding anything.
    let quote = |code: &str| sellout_common::proto::v1::QuoteRequest {
        lines: vec![OrderHold {
            tier: "ga".into(),
            quantity: 2,
            ..Default::default()
        }],
        promo_code: code.into(),
        ..Default::default()
    };
    let before = shop.stage.counts("ga").await;
    for (code, total) in [("", p), ("EARLY", e)] {
        match shop.call_raw("quote", quote(code).encode_to_vec()).await {
            Ok(order_reply::Result::Quote(q)) => {
                assert_eq!(minor(&q.total), total, "{code:?}: {q:?}");
                assert_eq!(q.lines.len(), 1);
            }
            other => panic!("quote: {other:?}"),
        }
    }
    assert_eq!(
        shop.stage.counts("ga").await,
        before,
        "a quote holds nothing"
    );
    assert_eq!(
        shop.call_raw("quote", quote("NOPE").encode_to_vec()).await,
        Err(ErrorCode::PromoCodeInvalid)
    );
}

/// A hold unlocked with a PromoCode tier's code cannot be bought with
/// another code (a discount the tier's code does not give), nor once the
/// tier is hidden: order creation checks the holds against the tier's
/// rules as the order asks, not only that they exist. Refused orders
/// change nothing; the code that unlocked the tier buys it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hold_unlocked_by_one_code_is_not_bought_with_another() {
    let mut shop = Shop::with_tiers(
        "orders-promo-swap",
        vec![super::checkout::Tier {
            name: "fans",
            quantity: 10,
            extra: serde_json::json!({"visibility": "PromoCode", "promoCodes": ["FANS"]}),
        }],
    )
    .await;
    let client = sellout_e2e::kube().await.client().await.unwrap();
    let events: Api<sellout_crds::Event> = Api::namespaced(client.clone(), &shop.stage.ns);
    events
        .patch(
            "show",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(serde_json::json!({"spec": {"promotions": [
                {"code": "HALF", "name": "Half price", "percentBps": 5000}
            ]}})),
        )
        .await
        .unwrap();
    shop.start("promo-swap-a").await;
    let c = &shop.stage.client;
    let held = c
        .hold(sellout_common::proto::v1::HoldRequest {
            promo_code: "FANS".into(),
            ..hold("fans", 2)
        })
        .await
        .unwrap();
    let order = |code: &str| CreateOrderRequest {
        order_id: id(),
        holds: vec![OrderHold {
            hold_id: held.hold_id.clone(),
            tier: "fans".into(),
            quantity: 2,
            seats: vec![],
        }],
        buyer: Some(Buyer {
            email: shop.buyer.clone(),
            ..Default::default()
        }),
        promo_code: code.into(),
        ..Default::default()
    };
    // The catalog is read every 2 s: wait until the promotion is known.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let q = c
            .quote(sellout_common::proto::v1::QuoteRequest {
                lines: vec![OrderHold {
                    tier: "fans".into(),
                    quantity: 2,
                    ..Default::default()
                }],
                promo_code: "HALF".into(),
                ..Default::default()
            })
            .await;
        if q.is_ok() {
            break;
        }
        assert!(tokio::time::Instant::now() < give_up, "{q:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for code in ["HALF", ""] {
        assert_eq!(
            shop.call("create", order(code).encode_to_vec()).await,
            Err(ErrorCode::TierNotAvailable),
            "bought with {code:?}"
        );
    }
    assert_eq!(
        shop.stage.counts("fans").await,
        (8, 2, 0),
        "nothing changed"
    );
    let bought = shop
        .call("create", order("FANS").encode_to_vec())
        .await
        .unwrap();
    assert_eq!(bought.state, "AwaitingPayment", "{bought:?}");
}

/// Refunds `amount` (everything left when `None`) of PaymentIntent `pi`
/// directly at localstripe, as a promoter would in Stripe's dashboard.
async fn dashboard_refund(pi: &str, amount: Option<i64>) {
    let mut form = vec![("payment_intent", pi.to_owned())];
    if let Some(a) = amount {
        form.push(("amount", a.to_string()));
    }
    let r = reqwest::Client::new()
        .post(format!("{}/v1/refunds", sellout_e2e::stripe().await.url()))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .header("Stripe-Account", ACCOUNT)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

impl Shop {
    /// Waits until the event's refund figures count `n` refunds.
    async fn wait_refunds(&self, n: i64) -> RefundStats {
        for _ in 0..100 {
            let s = self.stats().await;
            if s.refunds >= n {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("fewer than {n} refunds after 20 s\n{}", self.stage.logs());
    }

    /// Tickets the door refuses now: revocations less reinstatements, in
    /// stream order.
    async fn revoked(&self) -> std::collections::BTreeMap<String, String> {
        let mut out = std::collections::BTreeMap::new();
        for r in self.messages::<TicketsRevoked>("revocations").await {
            for t in r.ticket_ids {
                if r.reinstated {
                    out.remove(&t);
                } else {
                    out.insert(t, r.reason.clone());
                }
            }
        }
        out
    }
}

/// A Stripe event about a dispute of `order`'s payment.
fn dispute_event(kind: &str, order: &OrderView, dispute: &str, status: &str) -> String {
    serde_json::json!({
        "id": format!("evt_{}", Uuid::new_v4().simple()),
        "object": "event",
        "type": kind,
        "created": jiff::Timestamp::now().as_second(),
        "livemode": false,
        "account": ACCOUNT,
        "data": {"object": {
            "id": dispute,
            "object": "dispute",
            "amount": minor(&order.total),
            "currency": order.total.as_ref().unwrap().currency.to_lowercase(),
            "charge": "ch_1Unknown",
            "payment_intent": order.payment_intent_id,
            "status": status,
            "metadata": {},
        }},
    })
    .to_string()
}

/// Money moved at Stripe without Sellout: a dashboard refund of all that
/// is left takes the tickets back (door, inventory, order Refunded); a
/// partial one is recorded as money only; a refund Stripe then refuses
/// leaves the order refundable (not "retry" for ever); a dispute revokes
/// the tickets at once, a won one gives them back, a lost one puts the
/// units back on sale.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refunds_made_at_stripe_and_disputes_take_the_tickets_back() {
    let mut shop = Shop::new("orders-chargebacks", 20).await;
    shop.start("cb-a").await;

    // The whole order refunded in the dashboard.
    let a = shop.buy(2).await;
    assert_eq!(shop.stage.counts("ga").await, (18, 0, 2));
    dashboard_refund(&a.payment_intent_id, None).await;
    shop.wait_state(&a.order_id, "Refunded", 30).await;
    assert_eq!(shop.stage.counts("ga").await, (20, 0, 0), "units back");
    let revoked = shop.revoked().await;
    for t in &a.tickets {
        assert_eq!(
            revoked.get(&t.ticket_id).map(String::as_str),
            Some("refund")
        );
    }
    let stats = shop.wait_refunds(1).await;
    assert_eq!(stats.amount.unwrap().amount_minor, minor(&a.total));

    // Part of an order refunded in the dashboard: money only.
    let b = shop.buy(3).await;
    let total = minor(&b.total);
    dashboard_refund(&b.payment_intent_id, Some(100)).await;
    let stats = shop.wait_refunds(2).await;
    assert_eq!(stats.amount.unwrap().amount_minor, minor(&a.total) + 100);
    assert_eq!(shop.get(&b.order_id).await.state, "Completed");
    assert_eq!(
        shop.stage.counts("ga").await,
        (17, 0, 3),
        "no ticket chosen"
    );
    // Almost all the rest too: 1 minor unit is left at Stripe.
    dashboard_refund(&b.payment_intent_id, Some(total - 101)).await;
    shop.wait_refunds(3).await;
    // A ticket's share is more than Stripe has left: refused, twice, and
    // the order stays refundable.
    let t: Vec<&str> = b.tickets.iter().map(|t| t.ticket_id.as_str()).collect();
    assert_eq!(
        shop.refund(&id(), &b.order_id, &t[..1]).await.unwrap_err(),
        ErrorCode::RefundTooLarge
    );
    assert_eq!(
        shop.refund(&id(), &b.order_id, &t[1..2]).await.unwrap_err(),
        ErrorCode::RefundTooLarge,
        "a refund after a refused one reaches Stripe again"
    );
    let last = shop.refund(&id(), &b.order_id, &[]).await.unwrap();
    assert_eq!(minor(&last.amount), 1, "everything left");
    assert_eq!(last.ticket_ids.len(), 3);
    shop.wait_state(&b.order_id, "Refunded", 20).await;

    // A dispute opened, then won: the tickets are refused, then admit.
    let c = shop.buy(2).await;
    let created = dispute_event("charge.dispute.created", &c, "dp_1Won", "needs_response");
    for _ in 0..2 {
        assert!(
            shop.post_webhook("cb-a", &created, &shop.secret)
                .await
                .is_success()
        );
    }
    let revoked = shop.revoked().await;
    for t in &c.tickets {
        assert_eq!(
            revoked.get(&t.ticket_id).map(String::as_str),
            Some("dispute")
        );
    }
    assert_eq!(
        shop.stage.counts("ga").await,
        (18, 0, 2),
        "sold while disputed"
    );
    let won = dispute_event("charge.dispute.closed", &c, "dp_1Won", "won");
    assert!(
        shop.post_webhook("cb-a", &won, &shop.secret)
            .await
            .is_success()
    );
    // The opening delivered again after the close changes nothing.
    assert!(
        shop.post_webhook("cb-a", &created, &shop.secret)
            .await
            .is_success()
    );
    let revoked = shop.revoked().await;
    for t in &c.tickets {
        assert!(!revoked.contains_key(&t.ticket_id), "admits again");
    }
    assert_eq!(shop.get(&c.order_id).await.state, "Completed");

    // A dispute lost (its opening never seen): units back on sale.
    let d = shop.buy(2).await;
    let lost = dispute_event("charge.dispute.closed", &d, "dp_1Lost", "lost");
    assert!(
        shop.post_webhook("cb-a", &lost, &shop.secret)
            .await
            .is_success()
    );
    shop.wait_state(&d.order_id, "Refunded", 20).await;
    let revoked = shop.revoked().await;
    for t in &d.tickets {
        assert!(revoked.contains_key(&t.ticket_id));
    }
    assert_eq!(
        shop.stage.counts("ga").await,
        (18, 0, 2),
        "c's 2 sold, d's back"
    );
    // A dispute of another account's payment is not ours.
    let e = shop.buy(1).await;
    let forged = dispute_event("charge.dispute.created", &e, "dp_1Forged", "needs_response")
        .replace(ACCOUNT, "acct_1Attacker");
    assert!(
        shop.post_webhook("cb-a", &forged, &shop.secret)
            .await
            .is_success()
    );
    let revoked = shop.revoked().await;
    assert!(!revoked.contains_key(&e.tickets[0].ticket_id));
    let (book, _) = shop.stage.ledger().await;
    assert_eq!(book.stock("ga").unwrap().sold, 3);
}

/// An order nobody pays is cancelled once its holds have run out (and the
/// grace after): its PaymentIntent is cancelled at Stripe, so a late
/// payment cannot take money for units given back, and the units are on
/// sale again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unpaid_order_expires_with_its_holds() {
    let mut shop = Shop::new("orders-unpaid", 10).await;
    shop.stage
        .order_env
        .push(("SELLOUT_UNPAID_GRACE_SECONDS".into(), "1".into()));
    shop.start_with_ttl("unpaid-a", 3).await;
    let h = shop.stage.client.hold(hold("ga", 2)).await.unwrap();
    let order_id = id();
    let placed = shop.order(&order_id, &[(&h.hold_id, 2)], "").await.unwrap();
    assert_eq!(placed.state, "AwaitingPayment");
    shop.wait_state(&order_id, "Cancelled", 30).await;
    assert_eq!(shop.stage.counts("ga").await, (10, 0, 0));
    let pi: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/v1/payment_intents/{}",
            sellout_e2e::stripe().await.url(),
            placed.payment_intent_id
        ))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .header("Stripe-Account", ACCOUNT)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pi["status"], "canceled", "{pi}");
}

/// Creates a PaymentIntent at localstripe with `order`'s metadata for
/// `amount` (confirmed with a Visa card when `pay`), as anyone with a key
/// of the connected account could; returns its id.
async fn intent_like(order: &OrderView, uid: &str, amount: i64, pay: bool) -> String {
    let stripe = sellout_e2e::stripe().await;
    let total = order.total.clone().unwrap();
    let mut form = vec![
        ("amount", amount.to_string()),
        ("currency", total.currency.to_lowercase()),
        ("metadata[order_id]", order.order_id.clone()),
        ("metadata[event_uid]", uid.to_owned()),
    ];
    if pay {
        form.push(("payment_method", "pm_card_visa".into()));
        form.push(("confirm", "true".into()));
    }
    let v: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/v1/payment_intents", stripe.url()))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .header("Stripe-Account", ACCOUNT)
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["id"].as_str().unwrap_or_else(|| panic!("{v}")).to_owned()
}

/// A webhook that arrives before the order's PaymentIntent is recorded
/// (the write was lost, or the worker died between creating it at Stripe
/// and writing it down): the PaymentIntent it names is read from Stripe
/// on the order's account and checked. A succeeded one for another
/// amount, or one not paid, completes nothing and is not recorded; the
/// order's real one, once paid, is recorded and completes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_webhook_about_an_unrecorded_payment_intent_is_checked_at_stripe() {
    let mut shop = Shop::new("orders-unrecorded", 10).await;
    shop.start("unrec-a").await;
    let h = shop.stage.client.hold(hold("ga", 1)).await.unwrap();
    let order_id = id();
    let placed = shop.order(&order_id, &[(&h.hold_id, 1)], "").await.unwrap();
    assert_eq!(placed.state, "AwaitingPayment");
    let uid = shop.stage.uid.clone();
    let real = placed.payment_intent_id.clone();
    // As if the write of its PaymentIntent had been lost.
    let orders = mongodb::Client::with_uri_str(&shop.stage.mongo_uri)
        .await
        .unwrap()
        .database("sellout-workers-it")
        .collection::<mongodb::bson::Document>("orders");
    let unset = orders
        .update_one(
            mongodb::bson::doc! {"_id": &order_id},
            mongodb::bson::doc! {"$unset": {"paymentIntent": ""}},
        )
        .await
        .unwrap();
    assert_eq!(unset.modified_count, 1);
    let stored = || async {
        orders
            .find_one(mongodb::bson::doc! {"_id": &order_id})
            .await
            .unwrap()
            .unwrap()
            .get_str("paymentIntent")
            .ok()
            .map(str::to_owned)
    };

    let total = placed.total.clone().unwrap().amount_minor;
    for (what, pi) in [
        (
            "a paid PaymentIntent for 1 less",
            intent_like(&placed, &uid, total - 1, true).await,
        ),
        (
            "an unpaid PaymentIntent",
            intent_like(&placed, &uid, total, false).await,
        ),
    ] {
        let forged = forged_pi_event(
            "payment_intent.succeeded",
            &placed,
            &uid,
            ACCOUNT,
            false,
            &pi,
        );
        assert_eq!(
            shop.post_webhook("unrec-a", &forged, &shop.secret).await,
            reqwest::StatusCode::OK,
            "{what}: acknowledged, so Stripe stops sending it"
        );
        assert_eq!(shop.get(&order_id).await.state, "AwaitingPayment", "{what}");
        assert_eq!(stored().await, None, "{what} was recorded");
    }
    assert!(shop.announced().await.is_empty(), "no tickets issued");

    // The order's own PaymentIntent, paid.
    let confirmed = sellout_e2e::stripe()
        .await
        .pay(&real, "pm_card_visa")
        .await
        .unwrap();
    assert_eq!(confirmed["status"], "succeeded", "{confirmed}");
    let succeeded = pi_event("payment_intent.succeeded", &placed, &uid);
    assert!(
        shop.post_webhook("unrec-a", &succeeded, &shop.secret)
            .await
            .is_success()
    );
    let done = shop.wait_state(&order_id, "Completed", 20).await;
    assert_eq!(done.payment_intent_id, real);
    assert_eq!(stored().await.as_deref(), Some(real.as_str()));
    assert_eq!(shop.announced().await.len(), 1, "one OrderCompleted");
    assert_eq!(shop.stage.counts("ga").await, (9, 0, 1));
}
