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
use sellout_common::proto::v1::{
    Buyer, CreateOrderRequest, ErrorCode, GetOrderRequest, OrderCompleted, OrderHold, OrderReply,
    OrderView, order_reply,
};
use sellout_workers::payments::webhook::sign;
use sellout_workers::ticket::Verifier;
use uuid::Uuid;

use super::checkout::{Stage, hold, tier};

const WEBHOOK_SECRET_PREFIX: &str = "whsec_orders_it_";

/// A stage whose worker takes orders: ticket keys, Stripe (localstripe),
/// an Organization with a connected account, and a webhook endpoint
/// registered at localstripe.
struct Shop {
    stage: Stage,
    keys: tempfile::TempDir,
    secret: String,
}

impl Shop {
    async fn new(ns: &str, quantity: i64) -> Self {
        Self::with_tiers(ns, vec![tier("ga", quantity)]).await
    }

    async fn with_tiers(ns: &str, tiers: Vec<super::checkout::Tier>) -> Self {
        let mut stage = Stage::new(ns, &tiers).await;
        let client = sellout_e2e::kube().await.client().await.unwrap();
        let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(client.clone(), ns);
        secrets
            .create(
                &PostParams::default(),
                &serde_json::from_value(serde_json::json!({
                    "metadata": {"name": "stripe"},
                    "stringData": {"account": "acct_1SelloutOrdersIt"},
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
        let keys = tempfile::tempdir().unwrap();
        let key = SigningKey::from_bytes(&[42; 32]);
        std::fs::write(
            keys.path().join("1.pem"),
            key.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes(),
        )
        .unwrap();
        std::fs::write(keys.path().join("current"), "1\n").unwrap();
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
        ];
        Shop {
            stage,
            keys,
            secret,
        }
    }

    /// Starts worker `id` and points localstripe's webhooks at it.
    async fn start(&mut self, id: &str) {
        self.stage.start(id, 600).await;
        self.stage.ready().await;
        let url = format!("http://{}/webhooks/stripe", self.stage.listen[id]);
        sellout_e2e::stripe()
            .await
            .register_webhook(&format!("{}-{id}", self.stage.ns), &url, &self.secret)
            .await
            .unwrap();
    }

    async fn call(&self, verb: &str, payload: Vec<u8>) -> Result<OrderView, ErrorCode> {
        let nats = sellout_e2e::nats().await.client().await.unwrap();
        let subject = self.stage.names.subject(&format!("rpc.order.{verb}"));
        for _ in 0..100 {
            match nats.request(subject.clone(), payload.clone().into()).await {
                Ok(m) => {
                    return match OrderReply::decode(m.payload.as_ref()).unwrap().result {
                        Some(order_reply::Result::Order(o)) => Ok(o),
                        Some(order_reply::Result::Error(e)) => {
                            eprintln!("{verb}: {:?} {}", e.code(), e.message);
                            Err(e.code())
                        }
                        other => panic!("unexpected answer {other:?}"),
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
                })
                .collect(),
            buyer: Some(Buyer {
                email: "ada@example.com".into(),
                name: "Ada".into(),
                phone: String::new(),
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

    async fn wait_state(&self, order_id: &str, want: &str, secs: u64) -> OrderView {
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
        let js = sellout_e2e::nats().await.jetstream().await.unwrap();
        let stream = js.get_stream(&self.stage.names.stream).await.unwrap();
        let subject = self.stage.names.subject("tickets");
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
            out.push(OrderCompleted::decode(m.payload.as_ref()).unwrap());
            if m.info().unwrap().stream_sequence >= last.sequence {
                break;
            }
        }
        out
    }

    fn verifier(&self) -> Verifier {
        Verifier::from_dir(self.keys.path()).unwrap()
    }

    /// POSTs a webhook body to worker `id`, signed with `secret`.
    async fn post_webhook(&self, id: &str, body: &str, secret: &str) -> reqwest::StatusCode {
        let t = jiff::Timestamp::now().as_second();
        reqwest::Client::new()
            .post(format!("http://{}/webhooks/stripe", self.stage.listen[id]))
            .header("Stripe-Signature", sign(body.as_bytes(), secret, t))
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .status()
    }
}

fn id() -> String {
    Uuid::new_v4().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn buy_end_to_end_and_a_declined_card_releases_the_hold() {
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
    assert_eq!(announced[0].buyer_email, "ada@example.com");

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

    // A declined card: the order fails and the hold is given back.
    let h2 = c.hold(hold("ga", 3)).await.unwrap();
    assert_eq!(shop.stage.counts("ga").await, (5, 3, 2));
    let declined = id();
    assert_eq!(
        shop.order(&declined, &[(&h2.hold_id, 3)], "pm_card_chargeCustomerFail")
            .await,
        Err(ErrorCode::PaymentDeclined)
    );
    let failed = shop.wait_state(&declined, "PaymentFailed", 10).await;
    assert!(!failed.payment_error.is_empty());
    assert!(failed.tickets.is_empty());
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));

    // Bad input changes nothing: a hold that does not exist, and a hold
    // that belongs to another order.
    assert_eq!(
        shop.order(&id(), &[("no-such-hold", 1)], "pm_card_visa")
            .await,
        Err(ErrorCode::UnknownHold)
    );
    assert_eq!(
        shop.order(&id(), &[(&h.hold_id, 2)], "pm_card_visa").await,
        Err(ErrorCode::HoldConflict)
    );
    assert_eq!(shop.stage.counts("ga").await, (8, 0, 2));
    assert_eq!(shop.announced().await.len(), 1);
}

/// A Stripe event about a PaymentIntent of `order`.
fn pi_event(kind: &str, order: &OrderView, uid: &str) -> String {
    let total = order.total.clone().unwrap();
    serde_json::json!({
        "id": format!("evt_{}", Uuid::new_v4().simple()),
        "object": "event",
        "type": kind,
        "created": jiff::Timestamp::now().as_second(),
        "livemode": false,
        "data": {"object": {
            "id": order.payment_intent_id,
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
