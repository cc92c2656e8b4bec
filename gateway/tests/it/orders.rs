//! Orders, payments, refunds and the box office through GraphQL, against a
//! real `sellout-worker` checkout process, NATS, FerretDB, localstripe and
//! the mail sink; the promoters' order and customer lists paged while
//! orders arrive.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use kube::api::{Api, Patch, PatchParams, PostParams};
use mongodb::bson::{Document, doc};
use sellout_client::{Secret, WebhookVerifier};
use sellout_e2e::worker::CheckoutWorker;
use serde_json::{Value, json};

use super::token;

/// The Stripe webhook secret the tests' gateways and workers share.
pub(crate) const WEBHOOK_SECRET: &str = "whsec_gateway_orders_it";

/// A GraphQL request, with a token when given.
pub(crate) async fn gql(base: &str, token: Option<&str>, q: &str, vars: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({"query": q, "variables": vars}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

/// The data of a request that must succeed.
pub(crate) async fn ok(base: &str, token: Option<&str>, q: &str, vars: Value) -> Value {
    let v = gql(base, token, q, vars).await;
    assert!(v["errors"].is_null(), "{q}\n{v}");
    v["data"].clone()
}

/// A new checkout session's token.
pub(crate) async fn start_checkout(base: &str) -> String {
    ok(
        base,
        None,
        "mutation { startCheckout { token expiresAtMs } }",
        json!({}),
    )
    .await["startCheckout"]["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An organization staged for a test: namespace `ns` with Event `show`
/// (tiers `ga`, public, and `crew`, hidden, 25.00 GBP), an Organization
/// with a Stripe account, a booking fee and members of every role, a
/// Venue, the event's stream, a checkout worker and a gateway whose
/// Stripe webhooks localstripe delivers.
pub(crate) struct Shop {
    pub(crate) ns: String,
    pub(crate) uid: String,
    pub(crate) base: String,
    pub(crate) worker: CheckoutWorker,
    /// The buyer's checkout token (startCheckout): holds and orders of
    /// [`Shop::hold`] and the orders below belong to it.
    pub(crate) checkout: String,
}

impl Shop {
    async fn new(ns: &str) -> Self {
        Self::with_tiers(ns, &[]).await
    }

    /// A shop whose event also sells `tiers` (TicketTier specs, by name).
    pub(crate) async fn with_tiers(ns: &str, tiers: &[(&str, Value)]) -> Self {
        Self::with_venue(ns, tiers, json!([])).await
    }

    /// [`Shop::with_tiers`] in a Venue with `sections` besides its floor.
    pub(crate) async fn with_venue(ns: &str, tiers: &[(&str, Value)], sections: Value) -> Self {
        Self::with_worker_env(ns, tiers, sections, &[]).await
    }

    /// [`Shop::with_venue`], its worker with `worker_env` on top.
    pub(crate) async fn with_worker_env(
        ns: &str,
        tiers: &[(&str, Value)],
        sections: Value,
        worker_env: &[(&str, &str)],
    ) -> Self {
        let uid = super::stage(ns).await;
        let client = super::kube().await.client().await.unwrap();
        for (name, spec) in tiers {
            Api::<sellout_crds::TicketTier>::namespaced(client.clone(), ns)
                .create(
                    &PostParams::default(),
                    &serde_json::from_value(json!({
                        "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
                        "metadata": {"name": name, "namespace": ns},
                        "spec": spec,
                    }))
                    .unwrap(),
                )
                .await
                .unwrap();
        }
        Api::<k8s_openapi::api::core::v1::Secret>::namespaced(client.clone(), ns)
            .create(
                &PostParams::default(),
                &serde_json::from_value(json!({
                    "metadata": {"name": "stripe"},
                    "stringData": {"account": "acct_1SelloutGatewayIt"},
                }))
                .unwrap(),
            )
            .await
            .unwrap();
        org(ns, true).await;
        let mut all = vec![json!({"name": "floor", "generalAdmission": {"capacity": 500}})];
        all.extend(sections.as_array().cloned().unwrap_or_default());
        Api::<sellout_crds::Venue>::namespaced(client, ns)
            .create(
                &PostParams::default(),
                &serde_json::from_value(json!({
                    "apiVersion": "sellout.io/v1alpha1", "kind": "Venue",
                    "metadata": {"name": "hall", "namespace": ns},
                    "spec": {"displayName": "Riverside Hall",
                             "address": {"line1": "1 Road", "city": "York", "country": "GB"},
                             "timezone": "Europe/London", "capacity": 500,
                             "sections": all},
                }))
                .unwrap(),
            )
            .await
            .unwrap();
        sellout_e2e::worker::event_stream(&uid).await.unwrap();
        let db = sellout_e2e::mongo()
            .await
            .client()
            .await
            .unwrap()
            .database("sellout");
        sellout_store::orders::ensure_indexes(&db).await.unwrap();
        let dir = sellout_e2e::run_dir().join("gateway-workers").join(ns);
        let worker = sellout_e2e::worker::start_checkout_with(
            &dir,
            ns,
            "show",
            &format!("{ns}-1"),
            "sellout",
            WEBHOOK_SECRET,
            worker_env,
        )
        .await
        .unwrap();
        let base = super::gateway(Some(WebhookVerifier::new(Secret::new(WEBHOOK_SECRET)))).await;
        sellout_e2e::stripe()
            .await
            .register_webhook(
                &format!("gateway-{ns}"),
                &format!("{base}/webhooks/stripe"),
                WEBHOOK_SECRET,
            )
            .await
            .unwrap();
        let checkout = start_checkout(&base).await;
        let shop = Shop {
            ns: ns.to_owned(),
            uid,
            base,
            worker,
            checkout,
        };
        // Through GraphQL: the event page shows live figures once the
        // worker serves.
        let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let v = gql(
                &shop.base,
                None,
                "query($s: String!) { event(slug: $s) { tiers { available } } }",
                json!({"s": shop.slug()}),
            )
            .await;
            if v["data"]["event"]["tiers"][0]["available"].is_i64() {
                break;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "the worker does not serve within 60 s: {v}\n{}",
                shop.worker.process.tail(40)
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        shop
    }

    pub(crate) fn slug(&self) -> String {
        format!("{}/show", self.ns)
    }

    /// Who has which role in the organization.
    pub(crate) fn member(&self, role: &str) -> String {
        member(&self.ns, role)
    }

    /// Holds `quantity` of `tier` through GraphQL; returns the hold input
    /// for an order.
    pub(crate) async fn hold(&self, tier: &str, quantity: i64) -> Value {
        self.hold_in(&self.checkout, tier, quantity).await
    }

    /// [`Shop::hold`] for checkout `checkout`.
    pub(crate) async fn hold_in(&self, checkout: &str, tier: &str, quantity: i64) -> Value {
        let d = ok(
            &self.base,
            None,
            "mutation($e: String!, $t: String!, $q: Int!, $c: String) { hold(event: $e, tier: $t, quantity: $q, checkout: $c) { id tier quantity } }",
            json!({"e": self.slug(), "t": tier, "q": quantity, "c": checkout}),
        )
        .await;
        json!({"holdId": d["hold"]["id"], "tier": tier, "quantity": quantity})
    }

    /// Polls `order` (as `token`) until it is in `state`.
    pub(crate) async fn wait_state(&self, token: &str, id: &str, state: &str) -> Value {
        let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let v = gql(
                &self.base,
                Some(token),
                ORDER,
                json!({"e": self.slug(), "id": id}),
            )
            .await;
            if v["data"]["order"]["state"] == state {
                return v["data"]["order"].clone();
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "order {id} not {state} within 30 s: {v}\n{}",
                self.worker.process.tail(40)
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Polls the public event page until the first tier shows
    /// `available`: the page's live figures follow the checkout writer's
    /// feed, a moment behind the mutation that changed them.
    pub(crate) async fn wait_available(&self, available: i64) -> Value {
        let give_up = tokio::time::Instant::now() + Duration::from_secs(15);
        loop {
            let page = ok(
                &self.base,
                None,
                "query($s: String!) { event(slug: $s) { tiers { name available } } }",
                json!({"s": self.slug()}),
            )
            .await;
            if page["event"]["tiers"][0]["available"] == available {
                return page;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "the event page does not show {available} available within 15 s: {page}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

pub(crate) fn member(ns: &str, role: &str) -> String {
    format!("{}-{ns}@example.com", role.to_lowercase().replace('_', "-"))
}

/// The Organization of `ns`, with a member of every role (and a Stripe
/// account and booking fee when `paid`).
pub(crate) async fn org(ns: &str, paid: bool) {
    let client = super::kube().await.client().await.unwrap();
    let members: Vec<Value> = ["OWNER", "ADMIN", "BOX_OFFICE", "SCANNER"]
        .iter()
        .map(|r| json!({"email": member(ns, r), "role": r}))
        .collect();
    let mut spec = json!({"displayName": ns, "members": members});
    if paid {
        spec["stripeAccount"] = json!({"name": "stripe", "key": "account"});
        spec["fees"] = json!([{"name": "Booking fee", "appliesTo": "Order", "flatMinor": 150}]);
    }
    Api::<sellout_crds::Organization>::namespaced(client, ns)
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
                "metadata": {"name": "org", "namespace": ns},
                "spec": spec,
            }))
            .unwrap(),
        )
        .await
        .unwrap();
}

const ORDER_FIELDS: &str = "id number event state totalMinor refundedMinor currency placedAtMs
    buyer { name email phone } lines { tier quantity unitPriceMinor amountMinor }
    charges { label amountMinor } tickets { id label tier qrPayload refunded }
    refunds { id amountMinor state } clientSecret paymentIntentId paymentError";

pub(crate) const ORDER: &str = "query($e: String!, $id: ID!) { order(event: $e, id: $id) { id number state totalMinor refundedMinor tickets { id refunded } clientSecret paymentIntentId } }";

pub(crate) fn create_order() -> String {
    format!(
        "mutation($e: String!, $h: [OrderHoldInput!]!, $b: BuyerInput, $id: ID, $c: String) {{ createOrder(event: $e, holds: $h, buyer: $b, orderId: $id, checkout: $c) {{ {ORDER_FIELDS} }} }}"
    )
}

pub(crate) fn box_office_order() -> String {
    format!(
        "mutation($e: String!, $h: [OrderHoldInput!]!, $b: BuyerInput!, $p: BoxOfficePayment!) {{ createBoxOfficeOrder(event: $e, holds: $h, buyer: $b, payment: $p) {{ {ORDER_FIELDS} }} }}"
    )
}

/// What the buyer's browser does with Stripe.js, done over HTTP against
/// localstripe: attach a test card to the PaymentIntent and confirm it.
pub(crate) async fn pay(payment_intent: &str, card: &str) -> Value {
    sellout_e2e::stripe()
        .await
        .pay(payment_intent, card)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_pays_through_graphql_and_gets_the_tickets_by_mail() {
    let shop = Shop::new("gw-orders-buy").await;
    let base = &shop.base;
    let ada = format!("ada-{}@example.com", shop.ns);
    let ada_t = token(&ada);
    let eve_t = token(&format!("eve-{}@example.com", shop.ns));

    // The event page, a hold, and the order.
    let page = ok(
        base,
        None,
        "query($s: String!) { event(slug: $s) { title tiers { name priceMinor available } } }",
        json!({"s": shop.slug()}),
    )
    .await;
    assert_eq!(page["event"]["tiers"][0]["available"], 100);
    let hold = shop.hold("ga", 2).await;
    // Not logged in: no order.
    let v = gql(
        base,
        None,
        &create_order(),
        json!({"e": shop.slug(), "c": shop.checkout, "h": [hold.clone()]}),
    )
    .await;
    assert_eq!(super::code(&v), "UNAUTHENTICATED", "{v}");
    // An order in someone else's name is refused.
    let v = gql(
        base,
        Some(&ada_t),
        &create_order(),
        json!({"e": shop.slug(), "c": shop.checkout, "h": [hold.clone()], "b": {"email": "someone@else.example"}}),
    )
    .await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");
    // A hold that does not exist: the workers' code comes through.
    let v = gql(
        base,
        Some(&ada_t),
        &create_order(),
        json!({"e": shop.slug(), "c": shop.checkout, "h": [{"holdId": "no-such-hold", "tier": "ga", "quantity": 1}]}),
    )
    .await;
    assert_eq!(super::code(&v), "UNKNOWN_HOLD", "{v}");

    let order_id = uuid::Uuid::new_v4().to_string();
    let vars = json!({"e": shop.slug(), "c": shop.checkout, "h": [hold.clone()], "b": {"name": "Ada Lovelace"}, "id": order_id});
    let placed = ok(base, Some(&ada_t), &create_order(), vars.clone()).await["createOrder"].clone();
    assert_eq!(placed["state"], "AWAITING_PAYMENT", "{placed}");
    assert_eq!(placed["id"], order_id.as_str());
    assert_eq!(placed["event"], shop.slug());
    assert_eq!(placed["buyer"]["email"], ada.as_str());
    assert_eq!(placed["currency"], "GBP");
    // 2 x 25.00, the 1.50 booking fee and Stripe's fee grossed up.
    let total = placed["totalMinor"].as_i64().unwrap();
    assert!(total > 5150, "{placed}");
    let pi = placed["paymentIntentId"].as_str().unwrap().to_owned();
    let secret = placed["clientSecret"].as_str().unwrap();
    assert!(pi.starts_with("pi_") && secret.starts_with(&pi), "{placed}");
    // The same request again is the same order (nothing charged twice).
    let again = ok(base, Some(&ada_t), &create_order(), vars).await["createOrder"].clone();
    assert_eq!(again["paymentIntentId"], pi.as_str());

    // Someone else cannot see it, nor learn that it exists.
    let v = gql(
        base,
        Some(&eve_t),
        ORDER,
        json!({"e": shop.slug(), "id": order_id}),
    )
    .await;
    assert_eq!(super::code(&v), "NOT_FOUND", "{v}");
    let v = gql(base, None, ORDER, json!({"e": shop.slug(), "id": order_id})).await;
    assert_eq!(super::code(&v), "UNAUTHENTICATED", "{v}");
    // Staff see it, without the buyer's client secret.
    let staff = ok(
        base,
        Some(&token(&shop.member("BOX_OFFICE"))),
        ORDER,
        json!({"e": shop.slug(), "id": order_id}),
    )
    .await;
    assert_eq!(staff["order"]["state"], "AWAITING_PAYMENT");
    assert!(staff["order"]["clientSecret"].is_null(), "{staff}");

    // The browser's part: a test card, confirmed at localstripe, whose
    // webhook reaches the gateway and then the worker.
    let confirmed = pay(&pi, "pm_card_visa").await;
    assert_eq!(confirmed["status"], "succeeded", "{confirmed}");
    let done = shop.wait_state(&ada_t, &order_id, "COMPLETED").await;
    assert_eq!(done["tickets"].as_array().unwrap().len(), 2, "{done}");
    assert!(
        done["clientSecret"].is_null(),
        "no secret once paid: {done}"
    );

    // The tickets by e-mail: one mail, one inline QR per ticket.
    let mail = sellout_e2e::mail()
        .await
        .wait_for(&ada, 1, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    let number = done["number"].as_str().unwrap();
    assert!(mail[0].subject.contains(number), "{}", mail[0].subject);
    assert_eq!(mail[0].inline.len(), 2);

    // The buyer's orders.
    let mine = ok(
        base,
        Some(&ada_t),
        "{ myOrders(first: 10) { edges { node { id state event } } pageInfo { hasNextPage } } }",
        json!({}),
    )
    .await;
    let edges = mine["myOrders"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "{mine}");
    assert_eq!(edges[0]["node"]["id"], order_id.as_str());
    assert_eq!(edges[0]["node"]["state"], "COMPLETED");
    let theirs = ok(
        base,
        Some(&eve_t),
        "{ myOrders { edges { node { id } } } }",
        json!({}),
    )
    .await;
    assert_eq!(theirs["myOrders"]["edges"], json!([]));

    // Tickets sent again: one more mail; pressing again in the same 10
    // minutes sends nothing more. Someone else cannot ask.
    let resend = "mutation($id: ID!) { resendTickets(orderId: $id) { id state } }";
    let v = gql(base, Some(&eve_t), resend, json!({"id": order_id})).await;
    assert_eq!(super::code(&v), "NOT_FOUND", "{v}");
    ok(base, Some(&ada_t), resend, json!({"id": order_id})).await;
    let mail = sellout_e2e::mail()
        .await
        .wait_for(&ada, 2, Duration::from_secs(30))
        .await
        .unwrap();
    assert!(mail[0].subject.contains(number));
    assert_eq!(mail[0].inline.len(), 2);
    ok(base, Some(&ada_t), resend, json!({"id": order_id})).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        sellout_e2e::mail()
            .await
            .messages_to(&ada)
            .await
            .unwrap()
            .len(),
        2,
        "one copy per window"
    );

    // A SCANNER cannot refund; nothing changes.
    let refund = "mutation($e: String!, $id: ID!) { refundOrder(event: $e, orderId: $id, reason: \"asked\") { id amountMinor state feesReturned } }";
    let v = gql(
        base,
        Some(&token(&shop.member("SCANNER"))),
        refund,
        json!({"e": shop.slug(), "id": order_id}),
    )
    .await;
    assert_eq!(super::code(&v), "FORBIDDEN", "{v}");
    let v = gql(
        base,
        Some(&ada_t),
        refund,
        json!({"e": shop.slug(), "id": order_id}),
    )
    .await;
    assert_eq!(super::code(&v), "FORBIDDEN", "a buyer cannot refund: {v}");
    let after = ok(
        base,
        Some(&ada_t),
        ORDER,
        json!({"e": shop.slug(), "id": order_id}),
    )
    .await;
    assert_eq!(after["order"]["state"], "COMPLETED");
    assert_eq!(after["order"]["refundedMinor"], 0);
    // An ADMIN can: the whole order, through Stripe.
    let r = ok(
        base,
        Some(&token(&shop.member("ADMIN"))),
        refund,
        json!({"e": shop.slug(), "id": order_id}),
    )
    .await;
    assert_eq!(r["refundOrder"]["state"], "Done", "{r}");
    assert_eq!(r["refundOrder"]["amountMinor"], total);
    assert_eq!(r["refundOrder"]["feesReturned"], true);
    let after = shop.wait_state(&ada_t, &order_id, "REFUNDED").await;
    assert_eq!(after["refundedMinor"], total);
    assert!(
        after["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["refunded"] == true)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn box_office_sales_refunds_and_a_cancelled_events_bulk_refund() {
    let shop = Shop::new("gw-orders-desk").await;
    let base = &shop.base;
    let desk = token(&shop.member("BOX_OFFICE"));
    let admin = token(&shop.member("ADMIN"));
    let guest = format!("guest-{}@example.com", shop.ns);

    // A complimentary order completes at once, without Stripe.
    let h = shop.hold("ga", 2).await;
    // The counter cannot say where the buyer is for them.
    let v = gql(
        base,
        Some(&desk),
        &box_office_order(),
        json!({"e": shop.slug(), "h": [h], "b": {"email": guest, "area": {"latitude": 53.96, "longitude": -1.08}}, "p": "COMP"}),
    )
    .await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("buyer.area"),
        "{v}"
    );
    let comp = ok(
        base,
        Some(&desk),
        &box_office_order(),
        json!({"e": shop.slug(), "c": shop.checkout, "h": [h], "b": {"name": "Guest", "email": guest}, "p": "COMP"}),
    )
    .await["createBoxOfficeOrder"]
        .clone();
    assert_eq!(comp["state"], "COMPLETED", "{comp}");
    assert_eq!(comp["totalMinor"], 0);
    assert!(comp["paymentIntentId"].is_null(), "{comp}");
    assert_eq!(comp["tickets"].as_array().unwrap().len(), 2);
    // The sale's answer carries the tickets to hand over; staff looking
    // the order up later see no QR payload (a staff login cannot copy
    // tickets).
    assert!(comp["tickets"][0]["qrPayload"].is_string(), "{comp}");
    let looked_up = ok(
        base,
        Some(&desk),
        "query($e: String!, $id: ID!) { order(event: $e, id: $id) { tickets { id qrPayload } } }",
        json!({"e": shop.slug(), "id": comp["id"]}),
    )
    .await;
    let tickets = looked_up["order"]["tickets"].as_array().unwrap().clone();
    assert_eq!(tickets.len(), 2);
    assert!(
        tickets.iter().all(|t| t["qrPayload"].is_null()),
        "{looked_up}"
    );
    sellout_e2e::mail()
        .await
        .wait_for(&guest, 1, Duration::from_secs(30))
        .await
        .unwrap();
    // Cash at the counter: the prices and fees without Stripe's, paid at
    // once.
    let h = shop.hold("ga", 1).await;
    let cash = ok(
        base,
        Some(&desk),
        &box_office_order(),
        json!({"e": shop.slug(), "c": shop.checkout, "h": [h], "b": {"email": guest}, "p": "CASH"}),
    )
    .await["createBoxOfficeOrder"]
        .clone();
    assert_eq!(cash["state"], "COMPLETED", "{cash}");
    assert_eq!(cash["totalMinor"], 2500 + 150);
    assert!(cash["paymentIntentId"].is_null(), "{cash}");
    // A SCANNER cannot sell; a buyer cannot either.
    let h = shop.hold("ga", 1).await;
    for who in [
        shop.member("SCANNER"),
        format!("ada-{}@example.com", shop.ns),
    ] {
        let v = gql(
            base,
            Some(&token(&who)),
            &box_office_order(),
            json!({"e": shop.slug(), "c": shop.checkout, "h": [h.clone()], "b": {"email": guest}, "p": "COMP"}),
        )
        .await;
        assert_eq!(super::code(&v), "FORBIDDEN", "{who}: {v}");
    }

    // One ticket of the cash order refunded (handed back at the counter):
    // the whole order, as it is its only ticket.
    let ticket = cash["tickets"][0]["id"].as_str().unwrap();
    let r = ok(
        base,
        Some(&admin),
        "mutation($e: String!, $o: ID!, $t: [ID!]!) { refundTickets(event: $e, orderId: $o, ticketIds: $t) { amountMinor state ticketIds } }",
        json!({"e": shop.slug(), "o": cash["id"], "t": [ticket]}),
    )
    .await;
    assert_eq!(r["refundTickets"]["state"], "Done", "{r}");
    assert_eq!(r["refundTickets"]["amountMinor"], 2650);
    // Refunding it again: the workers' code comes through.
    let v = gql(
        base,
        Some(&admin),
        "mutation($e: String!, $o: ID!) { refundOrder(event: $e, orderId: $o) { id } }",
        json!({"e": shop.slug(), "o": cash["id"]}),
    )
    .await;
    assert_eq!(super::code(&v), "ORDER_STATE", "{v}");

    // A paid order not yet paid is cancelled; its hold goes back.
    let ada = format!("ada-{}@example.com", shop.ns);
    let h = shop.hold("ga", 3).await;
    let unpaid = ok(
        base,
        Some(&token(&ada)),
        &create_order(),
        json!({"e": shop.slug(), "c": shop.checkout, "h": [h]}),
    )
    .await["createOrder"]
        .clone();
    assert_eq!(unpaid["state"], "AWAITING_PAYMENT");
    let cancel = "mutation($e: String!, $o: ID!) { cancelOrder(event: $e, orderId: $o, reason: \"changed plans\") { state } }";
    let v = gql(
        base,
        Some(&desk),
        cancel,
        json!({"e": shop.slug(), "o": unpaid["id"]}),
    )
    .await;
    assert_eq!(
        super::code(&v),
        "FORBIDDEN",
        "box office cannot cancel: {v}"
    );
    let c = ok(
        base,
        Some(&admin),
        cancel,
        json!({"e": shop.slug(), "o": unpaid["id"]}),
    )
    .await;
    assert_eq!(c["cancelOrder"]["state"], "CANCELLED", "{c}");

    // Refund figures, and the bulk refund only once the event is
    // cancelled.
    let stats = "query($e: String!) { refundStats(event: $e) { refunds tickets amountMinor currency ordersFullyRefunded } }";
    let s = ok(base, Some(&admin), stats, json!({"e": shop.slug()})).await;
    assert_eq!(s["refundStats"]["refunds"], 1, "{s}");
    assert_eq!(s["refundStats"]["amountMinor"], 2650);
    assert_eq!(s["refundStats"]["ordersFullyRefunded"], 1);
    let v = gql(base, Some(&desk), stats, json!({"e": shop.slug()})).await;
    assert_eq!(super::code(&v), "FORBIDDEN", "{v}");
    let bulk = "mutation($e: String!, $d: Boolean!) { refundEvent(event: $e, dryRun: $d) { dryRun orders tickets amountMinor failedOrders } }";
    let v = gql(
        base,
        Some(&admin),
        bulk,
        json!({"e": shop.slug(), "d": true}),
    )
    .await;
    assert_eq!(super::code(&v), "ORDER_STATE", "not cancelled: {v}");
    let client = super::kube().await.client().await.unwrap();
    Api::<sellout_crds::Event>::namespaced(client, &shop.ns)
        .patch(
            "show",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"state": "Cancelled"}})),
        )
        .await
        .unwrap();
    // The worker sees the change through its watch.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    let dry = loop {
        let v = gql(
            base,
            Some(&admin),
            bulk,
            json!({"e": shop.slug(), "d": true}),
        )
        .await;
        if v["errors"].is_null() {
            break v["data"]["refundEvent"].clone();
        }
        assert!(tokio::time::Instant::now() < give_up, "{v}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    // The comp order (2 tickets, nothing paid) is the one left.
    assert_eq!(dry["dryRun"], true);
    assert_eq!(dry["orders"], 1, "{dry}");
    assert_eq!(dry["tickets"], 2);
    assert_eq!(dry["amountMinor"], 0);
    let done = ok(
        base,
        Some(&admin),
        bulk,
        json!({"e": shop.slug(), "d": false}),
    )
    .await;
    assert_eq!(done["refundEvent"]["orders"], 1, "{done}");
    assert_eq!(done["refundEvent"]["failedOrders"], json!([]));
    let o = ok(
        base,
        Some(&admin),
        ORDER,
        json!({"e": shop.slug(), "id": comp["id"]}),
    )
    .await;
    assert_eq!(o["order"]["state"], "REFUNDED", "{o}");
}

/// An order document as the workers write it.
fn order_doc(
    id: &str,
    uid: &str,
    at: i64,
    email: &str,
    name: &str,
    state: &str,
    total: i64,
) -> Document {
    doc! {
        "_id": id, "number": format!("SO-{}", id.to_uppercase()), "eventUid": uid, "state": state,
        "request": "", "holds": [], "buyerEmail": email, "buyerName": name, "buyerPhone": "",
        "currency": "GBP", "total": total, "applicationFee": 0_i64, "lines": [], "charges": [],
        "tickets": [], "webhookEvents": [], "placedAtMs": at, "stripeFee": 0_i64,
        "refunds": {}, "refundedTickets": [],
    }
}

const PAGE: &str = "query($o: String, $e: String, $a: String, $s: String, $st: [OrderState!], $f: Int, $t: Int) {
    orders(organization: $o, event: $e, first: 50, after: $a, search: $s, states: $st, placedFromMs: $f, placedToMs: $t) {
        edges { cursor node { id placedAtMs state } } pageInfo { hasNextPage endCursor } } }";

/// Every order of a list, page by page; the ids in order.
async fn walk(base: &str, token: &str, vars: Value, between: impl Fn()) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut v = vars.clone();
        v["a"] = after.clone();
        let d = ok(base, Some(token), PAGE, v).await;
        let page = &d["orders"];
        for e in page["edges"].as_array().unwrap() {
            out.push((
                e["node"]["placedAtMs"].as_i64().unwrap(),
                e["node"]["id"].as_str().unwrap().to_owned(),
            ));
        }
        between();
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
        // Let the inserts in between land.
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_lists_page_stably_while_orders_arrive_and_stay_in_their_organization() {
    let shop = Shop::new("gw-orders-pages").await;
    let base = shop.base.clone();
    let owner = token(&shop.member("OWNER"));
    let ns = shop.ns.clone();
    // A few real orders: complimentary box-office sales.
    let desk = token(&shop.member("BOX_OFFICE"));
    let mut real = Vec::new();
    for i in 0..3 {
        let h = shop.hold("ga", 1).await;
        let o = ok(
            &base,
            Some(&desk),
            &box_office_order(),
            json!({"e": shop.slug(), "c": shop.checkout, "h": [h], "b": {"email": format!("real{i}-{ns}@example.com")}, "p": "COMP"}),
        )
        .await;
        real.push(o["createBoxOfficeOrder"]["id"].as_str().unwrap().to_owned());
    }
    // 1,000 more written straight to MongoDB, three to a millisecond (so
    // the id breaks ties), in the past.
    let coll = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("sellout")
        .collection::<Document>("orders");
    let t0 = 1_700_000_000_000_i64;
    let mut docs = Vec::new();
    let mut expected: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for i in 0..1000_i64 {
        let email = format!("buyer{}-{ns}@example.com", i % 40);
        let stored = if i % 40 == 3 && i % 80 == 43 {
            email.to_uppercase()
        } else {
            email.clone()
        };
        let state = if i % 10 == 9 {
            "Cancelled"
        } else {
            "Completed"
        };
        let name = if i == 500 {
            "Zelda Quux".to_owned()
        } else {
            format!("Grace Hopper {}", i % 40)
        };
        let total = 1000 + i;
        let mut d = order_doc(
            &format!("pg-{ns}-{i:04}"),
            &shop.uid,
            t0 + i / 3,
            &stored,
            &name,
            state,
            total,
        );
        let mut refunded = 0;
        if i % 25 == 0 && state == "Completed" {
            d.insert("refunds", doc! {
                "r1": {"tickets": [], "amount": 300_i64, "feesReturned": false, "state": "Done"},
                "r2": {"tickets": [], "amount": 200_i64, "feesReturned": false, "state": "Failed"},
            });
            refunded = 300;
        }
        if state == "Completed" {
            let e = expected.entry(email).or_default();
            e.0 += 1;
            e.1 += total - refunded;
            e.2 += refunded;
        }
        docs.push(d);
    }
    coll.insert_many(docs).await.unwrap();
    let originals: HashSet<String> = (0..1000)
        .map(|i| format!("pg-{ns}-{i:04}"))
        .chain(real.iter().cloned())
        .collect();

    // Orders keep arriving while the owner pages: newest ones, and ones
    // dated anywhere in the range already paged.
    let stop = Arc::new(AtomicBool::new(false));
    let arrived = Arc::new(AtomicUsize::new(0));
    let inserter = {
        let (stop, arrived, coll, uid, ns) = (
            stop.clone(),
            arrived.clone(),
            coll.clone(),
            shop.uid.clone(),
            ns.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0_i64;
            while !stop.load(Ordering::Relaxed) {
                let at = if n % 2 == 0 {
                    jiff::Timestamp::now().as_millisecond()
                } else {
                    t0 + (n * 37) % 340
                };
                let d = order_doc(
                    &format!("late-{ns}-{n:05}"),
                    &uid,
                    at,
                    "late@example.com",
                    "Late",
                    "AwaitingPayment",
                    500,
                );
                coll.insert_one(d).await.unwrap();
                arrived.fetch_add(1, Ordering::Relaxed);
                n += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let seen = walk(&base, &owner, json!({"o": ns}), || {}).await;
    stop.store(true, Ordering::Relaxed);
    inserter.await.unwrap();
    assert!(
        arrived.load(Ordering::Relaxed) > 10,
        "orders arrived during the walk"
    );
    let mut ids = HashSet::new();
    for (_, id) in &seen {
        assert!(ids.insert(id.clone()), "order {id} listed twice");
    }
    let missing: Vec<_> = originals.difference(&ids).collect();
    assert!(
        missing.is_empty(),
        "{} orders never listed, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    for w in seen.windows(2) {
        assert!(w[0] > w[1], "newest first, by (placedAtMs, id): {w:?}");
    }
    // The event's list is the same list.
    let by_event = walk(&base, &owner, json!({"e": shop.slug()}), || {}).await;
    assert!(by_event.len() >= originals.len());

    // Search and filters.
    let count = |vars: Value| {
        let (base, owner) = (base.clone(), owner.clone());
        async move { walk(&base, &owner, vars, || {}).await.len() }
    };
    assert_eq!(
        count(json!({"o": ns, "s": "quux"})).await,
        1,
        "a word of the name"
    );
    assert_eq!(count(json!({"o": ns, "s": "zelda q"})).await, 1);
    assert_eq!(
        count(json!({"o": ns, "s": format!("so-pg-{ns}-0007")})).await,
        1,
        "an order number"
    );
    assert_eq!(
        count(json!({"o": ns, "s": format!("BUYER7-{ns}")})).await,
        25,
        "an e-mail prefix, any case"
    );
    assert_eq!(
        count(json!({"o": ns, "s": "a.*"})).await,
        0,
        "text, not a pattern"
    );
    // The late orders dated in the past are unpaid long after their holds
    // ran out, so the worker cancels them: the state counts are of the
    // 1,000 (their buyers' addresses start with "buyer").
    assert_eq!(
        count(json!({"o": ns, "s": "buyer", "st": ["CANCELLED"]})).await,
        100
    );
    assert_eq!(
        count(json!({"o": ns, "s": "buyer", "f": t0 + 10, "t": t0 + 20, "st": ["COMPLETED", "CANCELLED"]})).await,
        30,
        "placed in [t0+10, t0+20)"
    );
    // Bad input: a clear error.
    let v = gql(
        &base,
        Some(&owner),
        PAGE,
        json!({"o": ns, "a": "not-a-cursor"}),
    )
    .await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");
    let v = gql(
        &base,
        Some(&owner),
        PAGE,
        json!({"o": ns, "e": shop.slug()}),
    )
    .await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");
    let v = gql(
        &base,
        Some(&owner),
        "{ myOrders(first: 0) { edges { cursor } } }",
        json!({}),
    )
    .await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");

    // Customers with their lifetime value, paged 30 at a time.
    let mut customers = BTreeMap::new();
    let mut after = Value::Null;
    loop {
        let d = ok(
            &base,
            Some(&owner),
            "query($o: String!, $a: String) { customers(organization: $o, first: 30, after: $a) {
                edges { node { email currency orders lifetimeValueMinor refundedMinor } } pageInfo { hasNextPage endCursor } } }",
            json!({"o": ns, "a": after}),
        )
        .await;
        for e in d["customers"]["edges"].as_array().unwrap() {
            let n = &e["node"];
            assert_eq!(n["currency"], "GBP");
            let key = n["email"].as_str().unwrap().to_owned();
            let v = (
                n["orders"].as_i64().unwrap(),
                n["lifetimeValueMinor"].as_i64().unwrap(),
                n["refundedMinor"].as_i64().unwrap(),
            );
            assert!(
                customers.insert(key.clone(), v).is_none(),
                "{key} listed twice"
            );
        }
        if d["customers"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = d["customers"]["pageInfo"]["endCursor"].clone();
    }
    for i in 0..3 {
        expected.insert(format!("real{i}-{ns}@example.com"), (1, 0, 0));
    }
    assert_eq!(customers, expected);

    // Another organization's owner sees none of it.
    let other = "gw-orders-other";
    let nsapi: Api<k8s_openapi::api::core::v1::Namespace> =
        Api::all(super::kube().await.client().await.unwrap());
    nsapi
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": other}})).unwrap(),
        )
        .await
        .unwrap();
    org(other, false).await;
    let stranger = token(&member(other, "OWNER"));
    // The catalog sees the new Organization within moments.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let v = gql(&base, Some(&stranger), PAGE, json!({"o": other})).await;
        if v["errors"].is_null() {
            assert_eq!(v["data"]["orders"]["edges"], json!([]));
            break;
        }
        assert!(tokio::time::Instant::now() < give_up, "{v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for vars in [json!({"o": ns}), json!({"e": shop.slug()})] {
        let v = gql(&base, Some(&stranger), PAGE, vars).await;
        assert_eq!(super::code(&v), "FORBIDDEN", "{v}");
    }
    let v = gql(
        &base,
        Some(&stranger),
        "query($o: String!) { customers(organization: $o) { edges { cursor } } }",
        json!({"o": ns}),
    )
    .await;
    assert_eq!(super::code(&v), "FORBIDDEN", "{v}");
    let v = gql(
        &base,
        Some(&stranger),
        ORDER,
        json!({"e": shop.slug(), "id": real[0]}),
    )
    .await;
    assert_eq!(super::code(&v), "NOT_FOUND", "{v}");
    // And this organization's owner sees none of the other's.
    let v = gql(&base, Some(&owner), PAGE, json!({"o": other})).await;
    assert_eq!(super::code(&v), "FORBIDDEN", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_worker_answering_is_unavailable() {
    let base = super::gateway(None).await;
    super::stage("gw-orders-none").await;
    let v = gql(
        &base,
        Some(&token("ada@example.com")),
        &create_order(),
        json!({"e": "gw-orders-none/show", "h": [{"holdId": "h1", "tier": "ga", "quantity": 1}]}),
    )
    .await;
    assert_eq!(super::code(&v), "UNAVAILABLE", "{v}");
}

/// The hoarding drill: one anonymous request of 60 aliased holds, one
/// checkout holding more than an order can buy, many checkouts from one
/// address, and releasing or ordering someone else's hold. Each is
/// refused with its own code; the holds a checkout may have still answer
/// with their ids; nothing more is held than the caps allow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holds_are_bound_to_a_checkout_and_capped() {
    let shop = Shop::new("gw-orders-hoard").await;
    let base = &shop.base;
    // The event page's figure, once it settles (the live feed follows
    // the writer within a second).
    let available = || async {
        let mut last = None;
        for _ in 0..20 {
            let now = ok(
                base,
                Some(&token("watcher@example.com")),
                "query($s: String!) { event(slug: $s) { tiers { name available } } }",
                json!({"s": shop.slug()}),
            )
            .await["event"]["tiers"][0]["available"]
                .as_i64()
                .unwrap();
            if last == Some(now) {
                return now;
            }
            last = Some(now);
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        last.unwrap()
    };
    assert_eq!(available().await, 100);
    // Caps small enough to reach: 12 per checkout, 25 per address.
    let client = super::kube().await.client().await.unwrap();
    Api::<sellout_crds::Event>::namespaced(client, &shop.ns)
        .patch(
            "show",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"holdLimits": {"perCheckout": 12, "perAddress": 25}}})),
        )
        .await
        .unwrap();
    let holds = |checkout: &str, n: usize, quantity: i64| {
        let fields: String = (0..n)
            .map(|i| {
                format!(
                    r#"h{i}: hold(event: "{}", tier: "ga", quantity: {quantity}, checkout: "{checkout}") {{ id quantity }} "#,
                    shop.slug()
                )
            })
            .collect();
        format!("mutation {{ {fields} }}")
    };
    let codes = |v: &Value| -> Vec<String> {
        v["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };

    // Sixty aliased holds of 10 in one request: refused before any runs.
    let a = start_checkout(base).await;
    let v = gql(base, None, &holds(&a, 60, 10), json!({})).await;
    assert_eq!(codes(&v), ["TOO_MANY_MUTATIONS"], "{v}");
    assert_eq!(available().await, 100);
    // Without a checkout or a login: refused.
    let v = gql(
        base,
        None,
        &format!(
            r#"mutation {{ hold(event: "{}", tier: "ga", quantity: 1) {{ id }} }}"#,
            shop.slug()
        ),
        json!({}),
    )
    .await;
    assert_eq!(codes(&v), ["CHECKOUT_REQUIRED"], "{v}");
    // A forged checkout token: refused.
    let v = gql(
        base,
        None,
        &holds("eyJhbGciOiJIUzI1NiJ9.e30.x", 1, 1),
        json!({}),
    )
    .await;
    assert_eq!(codes(&v), ["BAD_TOKEN"], "{v}");

    // Once the caps are read (the catalog is reread every 2 s), one
    // checkout gets the per-order maximum of the tier (10), and the other
    // aliases are refused on their own: their neighbours keep their ids.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    let first = loop {
        let c = start_checkout(base).await;
        let v = gql(base, None, &holds(&c, 3, 5), json!({})).await;
        let held: Vec<&Value> = (0..3)
            .map(|i| &v["data"][format!("h{i}")])
            .filter(|h| h["id"].is_string())
            .collect();
        assert_eq!(held.len(), 2, "{v}");
        assert_eq!(codes(&v), ["HOLD_LIMIT"], "{v}");
        let message = v["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("this checkout already holds 10 units of tier ga"),
            "{message}"
        );
        // The address cap: a second checkout from here may hold 10 more,
        // a third not 6 (20 + 6 > 25) once the catalog has the patch.
        let other = start_checkout(base).await;
        let v2 = gql(base, None, &holds(&other, 2, 5), json!({})).await;
        let third = start_checkout(base).await;
        let v3 = gql(base, None, &holds(&third, 1, 6), json!({})).await;
        if codes(&v3) == ["HOLD_LIMIT"] {
            assert!(codes(&v2).is_empty(), "{v2}");
            let message = v3["errors"][0]["message"].as_str().unwrap();
            assert!(
                message.contains("checkouts from this address already hold 20 units"),
                "{message}"
            );
            break (c, held[0]["id"].as_str().unwrap().to_owned());
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "the address cap never applied: {v3}"
        );
        // Not applied yet: give those holds back and try again.
        for (checkout, v) in [(&c, &v), (&other, &v2), (&third, &v3)] {
            for i in 0..3 {
                if let Some(id) = v["data"][format!("h{i}")]["id"].as_str() {
                    ok(
                        base,
                        None,
                        "mutation($e: String!, $h: ID!, $c: String) { release(event: $e, holdId: $h, checkout: $c) }",
                        json!({"e": shop.slug(), "h": id, "c": checkout}),
                    )
                    .await;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(available().await, 80, "20 held: the caps, no more");

    // Someone else's hold: not released, not ordered.
    let (owner, hold) = first;
    let thief = start_checkout(base).await;
    let release = "mutation($e: String!, $h: ID!, $c: String) { release(event: $e, holdId: $h, checkout: $c) }";
    let v = gql(
        base,
        None,
        release,
        json!({"e": shop.slug(), "h": hold, "c": thief}),
    )
    .await;
    assert_eq!(codes(&v), ["NOT_YOUR_HOLD"], "{v}");
    let v = gql(
        base,
        Some(&token("mallory@example.com")),
        &create_order(),
        json!({"e": shop.slug(), "c": thief, "h": [{"holdId": hold, "tier": "ga", "quantity": 5}]}),
    )
    .await;
    assert_eq!(codes(&v), ["NOT_YOUR_HOLD"], "{v}");
    assert_eq!(available().await, 80);
    // Its own checkout releases it.
    ok(
        base,
        None,
        release,
        json!({"e": shop.slug(), "h": hold, "c": owner}),
    )
    .await;
    assert_eq!(available().await, 85);

    // Guessing presale codes through quotes: 30 tries per address per
    // ten minutes.
    let mut tries = Vec::new();
    for i in 0..31 {
        let v = gql(
            base,
            None,
            "query($e: String!, $p: String) { quote(event: $e, lines: [{tier: \"ga\", quantity: 1}], promoCode: $p) { totalMinor } }",
            json!({"e": shop.slug(), "p": format!("GUESS{i}")}),
        )
        .await;
        tries.extend(codes(&v));
    }
    assert!(
        tries[..30].iter().all(|c| c == "PROMO_CODE_INVALID"),
        "{tries:?}"
    );
    assert_eq!(tries[30], "RATE_LIMITED");

    // A card tester placing order after order: ten a minute per login.
    let tester = token(&format!("tester-{}@example.com", shop.ns));
    let mut refused = Vec::new();
    for _ in 0..12 {
        let v = gql(
            base,
            Some(&tester),
            &create_order(),
            json!({"e": shop.slug(), "h": [{"holdId": "no-such-hold", "tier": "ga", "quantity": 1}]}),
        )
        .await;
        refused.extend(codes(&v));
    }
    assert_eq!(
        refused.iter().filter(|c| *c == "RATE_LIMITED").count(),
        2,
        "{refused:?}"
    );
    assert_eq!(refused[..10], vec!["UNKNOWN_HOLD".to_owned(); 10][..]);
}

/// A draft event has no public page: to anyone but the organization's
/// staff it does not exist (its title, prices and date are not out before
/// the promoter publishes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_event_is_shown_to_its_organization_only() {
    let shop = Shop::new("gw-orders-draft").await;
    let client = super::kube().await.client().await.unwrap();
    let events = Api::<sellout_crds::Event>::namespaced(client, &shop.ns);
    let show = events.get("show").await.unwrap();
    let mut spec = serde_json::to_value(&show.spec).unwrap();
    spec["state"] = json!("Draft");
    spec["title"] = json!("Secret reunion tour");
    events
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
                "metadata": {"name": "preview", "namespace": shop.ns},
                "spec": spec,
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let page = "query($s: String!) { event(slug: $s) { title } }";
    let slug = format!("{}/preview", shop.ns);
    let as_member = token(&shop.member("SCANNER"));
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let v = ok(&shop.base, Some(&as_member), page, json!({"s": slug})).await;
        if v["event"]["title"] == "Secret reunion tour" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "the catalog never had it: {v}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for who in [None, Some(token("stranger@example.com"))] {
        let v = ok(&shop.base, who.as_deref(), page, json!({"s": slug})).await;
        assert!(v["event"].is_null(), "{who:?}: {v}");
    }
    // Nor can the public price it or hold it. (No promo code here: the
    // tests' gateways share one address, whose tries another test counts.)
    let quote = r#"query($e: String!) { quote(event: $e, lines: [{tier: "ga", quantity: 1}]) { totalMinor } }"#;
    let hold = r#"mutation($e: String!, $c: String) { hold(event: $e, tier: "ga", quantity: 1, checkout: $c) { id } }"#;
    let code = |v: &Value| v["errors"][0]["extensions"]["code"].clone();
    for who in [None, Some(token("stranger@example.com"))] {
        let v = gql(&shop.base, who.as_deref(), quote, json!({"e": slug})).await;
        assert_eq!(code(&v), "UNKNOWN_EVENT", "{who:?}: {v}");
        let v = gql(
            &shop.base,
            who.as_deref(),
            hold,
            json!({"e": slug, "c": shop.checkout}),
        )
        .await;
        assert_eq!(code(&v), "UNKNOWN_EVENT", "{who:?}: {v}");
    }
    // Its organization still may (it has no worker here: unavailable).
    let v = gql(&shop.base, Some(&as_member), quote, json!({"e": slug})).await;
    assert_ne!(code(&v), "UNKNOWN_EVENT", "{v}");
    assert!(v["errors"].is_array(), "{v}");
}

/// A `sellout-gateway` process of the drills (the real binary, so that it
/// can be killed with SIGKILL), on the test binary's NATS, FerretDB and
/// API server, verifying the tests' access tokens, taking the client's
/// address from `X-Forwarded-For` as behind an ingress.
pub(crate) struct GatewayProcess {
    process: sellout_common::process::Process,
    pub(crate) base: String,
}

impl GatewayProcess {
    pub(crate) async fn start(name: &str) -> Self {
        Self::start_with(name, &[]).await
    }

    /// [`GatewayProcess::start`] with `env` on top.
    pub(crate) async fn start_with(name: &str, env: &[(&str, &str)]) -> Self {
        let dir = sellout_e2e::run_dir().join("gateway-drill").join(name);
        let keys = dir.join("jwt-keys");
        std::fs::create_dir_all(&keys).unwrap();
        std::fs::write(keys.join("test"), super::TEST_KEY).unwrap();
        let port = sellout_e2e::free_port().unwrap();
        let nats = sellout_e2e::nats().await;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-gateway"));
        cmd.env("KUBECONFIG", super::kube().await.kubeconfig())
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--nats-url")
            .arg(nats.url())
            .arg("--nats-creds-file")
            .arg(nats.creds_file(sellout_common::nats_auth::Component::Gateway))
            .arg("--nats-login-creds-file")
            .arg(nats.creds_file(sellout_common::nats_auth::Component::Login))
            .arg("--mongo-uri")
            .arg(sellout_e2e::mongo().await.uri())
            .args(["--mongo-database", "sellout"])
            .arg("--jwt-keys-dir")
            .arg(&keys)
            .arg("--trust-forwarded-for")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied());
        let process = sellout_common::process::Process::spawn(
            &format!("gateway {name}"),
            cmd,
            &dir.join("gateway.log"),
        )
        .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if http
                .get(format!("{base}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "gateway {name} not ready in 60 s:\n{}",
                process.tail(30)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        GatewayProcess { process, base }
    }

    /// SIGKILL, and wait until it is gone.
    fn kill(&self) {
        self.process.kill();
    }
}

/// Sends a GraphQL request to `base` as `token` without waiting for it:
/// the answer, or the transport error of a gateway that died meanwhile.
fn in_background(
    base: &str,
    token: &str,
    query: &str,
    vars: &Value,
) -> tokio::task::JoinHandle<reqwest::Result<Value>> {
    let request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": vars}));
    tokio::spawn(async move { request.send().await?.json::<Value>().await })
}

/// A completed order of one `ga` ticket held in `checkout`, placed through
/// `base` by `buyer` and paid with a Visa card: its id, PaymentIntent and
/// ticket id.
async fn paid_order(
    shop: &Shop,
    base: &str,
    buyer: &str,
    checkout: &str,
) -> (String, String, String) {
    let hold = shop.hold_in(checkout, "ga", 1).await;
    let order_id = uuid::Uuid::new_v4().to_string();
    let placed = ok(
        base,
        Some(buyer),
        &create_order(),
        json!({"e": shop.slug(), "c": checkout, "h": [hold], "id": order_id}),
    )
    .await["createOrder"]
        .clone();
    let pi = placed["paymentIntentId"].as_str().unwrap().to_owned();
    assert_eq!(pay(&pi, "pm_card_visa").await["status"], "succeeded");
    let done = shop.wait_state(buyer, &order_id, "COMPLETED").await;
    let ticket = done["tickets"][0]["id"].as_str().unwrap().to_owned();
    (order_id, pi, ticket)
}

/// Asserts Stripe made exactly one refund of PaymentIntent `pi` (order
/// `order_id`), for the amount of `refund` (a `refundTickets` answer).
async fn refunded_once(pi: &str, order_id: &str, refund: &Value) {
    let made = refunds_of(pi).await;
    assert_eq!(
        made.len(),
        1,
        "one refund at Stripe for {order_id}: {made:?}"
    );
    assert_eq!(made[0]["amount"], refund["amountMinor"], "{made:?}");
}

/// Sends `query` as `token` through a new gateway process (`name`) while
/// checkout worker `worker` is frozen (SIGSTOP), kills that gateway, and
/// thaws the worker: the worker then receives the request the dead
/// gateway forwarded, and its answer has nobody to go to. Asserts the
/// client got no answer.
async fn forwarded_before_the_answer(
    name: &str,
    worker: u32,
    token: &str,
    query: &str,
    vars: &Value,
) {
    let doomed = GatewayProcess::start(name).await;
    signal(worker, "STOP");
    let first = in_background(&doomed.base, token, query, vars);
    tokio::time::sleep(Duration::from_millis(500)).await;
    doomed.kill();
    signal(worker, "CONT");
    let first = first.await.unwrap();
    let answered = first.as_ref().is_ok_and(|v| {
        v["data"]
            .as_object()
            .is_some_and(|d| d.values().any(|f| !f.is_null()))
    });
    assert!(!answered, "the killed gateway answered: {first:?}");
}

/// Sends signal `sig` (`STOP`, `CONT`) to process `pid`.
fn signal(pid: u32, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{sig} {pid}");
}

/// The PaymentIntents localstripe holds for `order_id` (by our metadata).
async fn intents_for(order_id: &str) -> Vec<String> {
    sellout_e2e::stripe()
        .await
        .intents_for(order_id)
        .await
        .unwrap()
}

/// The refunds localstripe made of PaymentIntent `pi` (by it or by one of
/// its charges).
async fn refunds_of(pi: &str) -> Vec<Value> {
    let intent: Value = reqwest::Client::new()
        .get(format!(
            "{}/v1/payment_intents/{pi}",
            sellout_e2e::stripe().await.url()
        ))
        .bearer_auth(sellout_e2e::stripe::SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut charges: Vec<Value> = intent["charges"]["data"]
        .as_array()
        .map(|c| c.iter().map(|c| c["id"].clone()).collect())
        .unwrap_or_default();
    charges.push(intent["latest_charge"].clone());
    sellout_e2e::stripe()
        .await
        .list_all("refunds")
        .await
        .unwrap()
        .into_iter()
        .filter(|r| {
            r["payment_intent"] == pi || (r["charge"].is_string() && charges.contains(&r["charge"]))
        })
        .collect()
}

/// Fault drill: a gateway is killed with SIGKILL while a buyer's
/// `createOrder` is on its way through it (at 0 to 105 ms after the
/// request was sent, so both before and after it reached the worker), and
/// the buyer's client sends the same request, same idempotency key,
/// through another gateway. Each order is created once with one
/// PaymentIntent, and an answer the first gateway gave names the same
/// PaymentIntent. The same for `refundTickets` of paid orders (same
/// `refundId`): one refund at Stripe each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_killed_mid_order_or_refund_charges_and_refunds_once_through_the_next() {
    let shop = Shop::new("gw-kill-order").await;
    let survivor = GatewayProcess::start("survivor").await;
    let mut answered_before_the_kill = 0;
    for i in 0..8u64 {
        let doomed = GatewayProcess::start(&format!("doomed-{i}")).await;
        let buyer = token(&format!("buyer{i}-{}@example.com", shop.ns));
        let hold = shop.hold("ga", 1).await;
        let order_id = uuid::Uuid::new_v4().to_string();
        let vars = json!({"e": shop.slug(), "c": shop.checkout, "h": [hold], "id": order_id});
        let first = in_background(&doomed.base, &buyer, &create_order(), &vars);
        tokio::time::sleep(Duration::from_millis(i * 15)).await;
        doomed.kill();
        let first = first.await.unwrap();
        let retried =
            ok(&survivor.base, Some(&buyer), &create_order(), vars).await["createOrder"].clone();
        assert_eq!(retried["id"], order_id.as_str(), "{retried}");
        assert_eq!(retried["state"], "AWAITING_PAYMENT", "{retried}");
        let pi = retried["paymentIntentId"].as_str().unwrap().to_owned();
        if let Ok(v) = &first
            && v["data"]["createOrder"].is_object()
        {
            answered_before_the_kill += 1;
            assert_eq!(
                v["data"]["createOrder"]["paymentIntentId"],
                pi.as_str(),
                "{v}"
            );
        }
        assert_eq!(
            intents_for(&order_id).await,
            vec![pi],
            "order {order_id} (killed after {} ms) has one PaymentIntent",
            i * 15
        );
    }
    eprintln!(
        "gateway kill drill: 8 orders, {answered_before_the_kill} answered before the kill, 8 with one PaymentIntent each"
    );

    // Pinned between the worker's receipt and its answer: the worker is
    // frozen (SIGSTOP, well within its writer lease) while the doomed
    // gateway forwards the request, the gateway is killed, then the
    // worker thaws and acts on the request it received; its answer has
    // nobody to go to. Only then does the buyer retry.
    let worker = shop.worker.process.pid();
    for i in 0..3 {
        let buyer = token(&format!("pinned{i}-{}@example.com", shop.ns));
        // A checkout of its own: the unpaid orders above keep theirs full.
        let checkout = start_checkout(&shop.base).await;
        let hold = shop.hold_in(&checkout, "ga", 1).await;
        let order_id = uuid::Uuid::new_v4().to_string();
        let vars = json!({"e": shop.slug(), "c": checkout, "h": [hold], "id": order_id});
        forwarded_before_the_answer(
            &format!("doomed-pinned-{i}"),
            worker,
            &buyer,
            &create_order(),
            &vars,
        )
        .await;
        // The worker acted on what the dead gateway forwarded.
        let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
        let made = loop {
            let made = intents_for(&order_id).await;
            if !made.is_empty() {
                break made;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "the frozen worker never took order {order_id}:\n{}",
                shop.worker.process.tail(30)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let retried =
            ok(&survivor.base, Some(&buyer), &create_order(), vars).await["createOrder"].clone();
        assert_eq!(retried["paymentIntentId"], made[0].as_str(), "{retried}");
        assert_eq!(
            intents_for(&order_id).await,
            made,
            "order {order_id} has one PaymentIntent"
        );
    }
    eprintln!(
        "gateway kill drill: 3 orders received by the worker from a gateway killed before it answered, one PaymentIntent each"
    );

    // Refunds: paid orders, each refunded through a gateway killed on the
    // way, then the same refund (same refundId) through the survivor.
    let admin = token(&shop.member("ADMIN"));
    let refund_q = "mutation($e: String!, $o: ID!, $t: [ID!]!, $r: ID) { refundTickets(event: $e, orderId: $o, ticketIds: $t, refundId: $r) { id amountMinor state ticketIds } }";
    let mut refunds_answered = 0;
    for i in 0..4u64 {
        let buyer = token(&format!("payer{i}-{}@example.com", shop.ns));
        let (order_id, pi, ticket) =
            paid_order(&shop, &survivor.base, &buyer, &shop.checkout).await;
        let refund_id = uuid::Uuid::new_v4().to_string();
        let vars = json!({"e": shop.slug(), "o": order_id, "t": [ticket], "r": refund_id});
        let doomed = GatewayProcess::start(&format!("doomed-refund-{i}")).await;
        let first = in_background(&doomed.base, &admin, refund_q, &vars);
        tokio::time::sleep(Duration::from_millis(i * 20)).await;
        doomed.kill();
        let first = first.await.unwrap();
        let retried =
            ok(&survivor.base, Some(&admin), refund_q, vars).await["refundTickets"].clone();
        assert_eq!(retried["state"], "Done", "{retried}");
        if let Ok(v) = &first
            && v["data"]["refundTickets"].is_object()
        {
            refunds_answered += 1;
            assert_eq!(v["data"]["refundTickets"]["id"], retried["id"], "{v}");
        }
        refunded_once(&pi, &order_id, &retried).await;
    }
    eprintln!(
        "gateway kill drill: 4 refunds, {refunds_answered} answered before the kill, 4 refunded once at Stripe"
    );

    // Refunds pinned between the worker's receipt and its answer, as the
    // orders above.
    for i in 0..2 {
        let buyer = token(&format!("pinned-payer{i}-{}@example.com", shop.ns));
        let checkout = start_checkout(&shop.base).await;
        let (order_id, pi, ticket) = paid_order(&shop, &survivor.base, &buyer, &checkout).await;
        let refund_id = uuid::Uuid::new_v4().to_string();
        let vars = json!({"e": shop.slug(), "o": order_id, "t": [ticket], "r": refund_id});
        forwarded_before_the_answer(
            &format!("doomed-pinned-refund-{i}"),
            worker,
            &admin,
            refund_q,
            &vars,
        )
        .await;
        let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
        while refunds_of(&pi).await.is_empty() {
            assert!(
                tokio::time::Instant::now() < give_up,
                "the frozen worker never refunded {order_id}:\n{}",
                shop.worker.process.tail(30)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let retried =
            ok(&survivor.base, Some(&admin), refund_q, vars).await["refundTickets"].clone();
        assert_eq!(retried["state"], "Done", "{retried}");
        refunded_once(&pi, &order_id, &retried).await;
    }
    eprintln!(
        "gateway kill drill: 2 refunds received by the worker from a gateway killed before it answered, refunded once each"
    );
}

/// A declined card through GraphQL: `createOrder(paymentMethod:)` answers
/// PAYMENT_DECLINED and leaves the order payable with its hold;
/// `payOrder` pays it with another card, for its buyer only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_is_tried_again_with_pay_order() {
    let shop = Shop::new("gw-orders-pay-again").await;
    let base = &shop.base;
    let config = ok(
        base,
        None,
        "{ portalConfig { stripePublishableKey stripeJsUrl } }",
        json!({}),
    )
    .await;
    assert_eq!(
        config["portalConfig"]["stripePublishableKey"],
        "pk_test_sellout_gateway_it"
    );
    assert!(
        config["portalConfig"]["stripeJsUrl"]
            .as_str()
            .unwrap()
            .ends_with("/js.stripe.com/v3/"),
        "{config}"
    );
    let ada_t = token(&format!("ada-{}@example.com", shop.ns));
    let hold = shop.hold("ga", 2).await;
    let order_id = uuid::Uuid::new_v4().to_string();
    let vars = |pm: &str| json!({"e": shop.slug(), "c": shop.checkout, "h": [hold.clone()], "id": order_id, "pm": pm});
    let create = format!(
        "mutation($e: String!, $h: [OrderHoldInput!]!, $id: ID, $c: String, $pm: String) {{ createOrder(event: $e, holds: $h, orderId: $id, checkout: $c, paymentMethod: $pm) {{ {ORDER_FIELDS} }} }}"
    );
    let v = gql(base, Some(&ada_t), &create, vars("not a card")).await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");
    let v = gql(
        base,
        Some(&ada_t),
        &create,
        vars("pm_card_chargeCustomerFail"),
    )
    .await;
    assert_eq!(super::code(&v), "PAYMENT_DECLINED", "{v}");
    let order = shop.wait_state(&ada_t, &order_id, "AWAITING_PAYMENT").await;
    // Still held: the declined card released nothing.
    shop.wait_available(98).await;

    let pay = "mutation($e: String!, $id: ID!, $pm: String!) { payOrder(event: $e, orderId: $id, paymentMethod: $pm) { id state paymentError } }";
    let pay_vars = |pm: &str| json!({"e": shop.slug(), "id": order_id, "pm": pm});
    // Someone else cannot pay it, nor learn it exists.
    let eve_t = token(&format!("eve-{}@example.com", shop.ns));
    let v = gql(base, Some(&eve_t), pay, pay_vars("pm_card_visa")).await;
    assert_eq!(super::code(&v), "NOT_FOUND", "{v}");
    let v = gql(base, None, pay, pay_vars("pm_card_visa")).await;
    assert_eq!(super::code(&v), "UNAUTHENTICATED", "{v}");
    let v = gql(base, Some(&ada_t), pay, pay_vars("tok_visa")).await;
    assert_eq!(super::code(&v), "BAD_REQUEST", "{v}");
    let v = gql(
        base,
        Some(&ada_t),
        pay,
        pay_vars("pm_card_chargeCustomerFail"),
    )
    .await;
    assert_eq!(super::code(&v), "PAYMENT_DECLINED", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("declined"),
        "{v}"
    );
    let paid = ok(base, Some(&ada_t), pay, pay_vars("pm_card_visa")).await;
    assert_ne!(paid["payOrder"]["state"], "PAYMENT_FAILED", "{paid}");
    let done = shop.wait_state(&ada_t, &order_id, "COMPLETED").await;
    assert_eq!(done["tickets"].as_array().unwrap().len(), 2, "{done}");
    assert_eq!(done["paymentIntentId"], order["paymentIntentId"]);

    // A card that needs 3-D Secure, as Stripe.js's card element hands it
    // over (a token's card, `card_…`): the answer asks for the buyer's
    // action, which Stripe.js completes with the client secret.
    let stripe = sellout_e2e::stripe().await;
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(format!("{}/v1/tokens", stripe.url()))
        .form(&[
            ("key", "pk_test_sellout_gateway_it"),
            ("card[number]", "4000002760003184"),
            ("card[exp_month]", "12"),
            ("card[exp_year]", "2030"),
            ("card[cvc]", "123"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let card = token["card"]["id"].as_str().unwrap().to_owned();
    assert!(card.starts_with("card_"), "{token}");
    let hold = shop.hold("ga", 1).await;
    let secure_id = uuid::Uuid::new_v4().to_string();
    let create_3ds = "mutation($e: String!, $h: [OrderHoldInput!]!, $id: ID, $c: String, $pm: String) { createOrder(event: $e, holds: $h, orderId: $id, checkout: $c, paymentMethod: $pm) { id state requiresAction clientSecret paymentIntentId } }";
    let placed = ok(
        base,
        Some(&ada_t),
        create_3ds,
        json!({"e": shop.slug(), "c": shop.checkout, "h": [hold], "id": secure_id, "pm": card}),
    )
    .await["createOrder"]
        .clone();
    assert_eq!(placed["requiresAction"], true, "{placed}");
    assert_eq!(placed["state"], "AWAITING_PAYMENT");
    let pi = placed["paymentIntentId"].as_str().unwrap();
    let authenticated = http
        .post(format!(
            "{}/v1/payment_intents/{pi}/_authenticate?success=true",
            stripe.url()
        ))
        .body(
            json!({"key": "pk_test_sellout_gateway_it", "client_secret": placed["clientSecret"]})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert!(authenticated.status().is_success(), "{authenticated:?}");
    shop.wait_state(&ada_t, &secure_id, "COMPLETED").await;
    // Read back later, the order no longer asks for anything.
    let later = ok(
        base,
        Some(&ada_t),
        "query($e: String!, $id: ID!) { order(event: $e, id: $id) { requiresAction } }",
        json!({"e": shop.slug(), "id": secure_id}),
    )
    .await;
    assert_eq!(later["order"]["requiresAction"], false);
}

/// The worker's and the gateway's `/metrics` read by Prometheus's own
/// OpenMetrics parser, and the worker's counting what one purchase did:
/// the holds, a declined card, the paid one, the order's states, the
/// webhook, the mail, the units sold, all labelled with the event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_and_gateway_metrics_parse_and_count_a_purchase() {
    let shop = Shop::new("gw-orders-metrics").await;
    let base = &shop.base;
    let buyer = token(&format!("ada-{}@example.com", shop.ns));
    let hold = shop.hold("ga", 2).await;
    let order_id = uuid::Uuid::new_v4().to_string();
    let create = format!(
        "mutation($e: String!, $h: [OrderHoldInput!]!, $id: ID, $c: String, $pm: String) {{ createOrder(event: $e, holds: $h, orderId: $id, checkout: $c, paymentMethod: $pm) {{ {ORDER_FIELDS} }} }}"
    );
    let v = gql(
        base,
        Some(&buyer),
        &create,
        json!({"e": shop.slug(), "c": shop.checkout, "h": [hold], "id": order_id, "pm": "pm_card_chargeCustomerFail"}),
    )
    .await;
    assert_eq!(super::code(&v), "PAYMENT_DECLINED", "{v}");
    let pay = "mutation($e: String!, $id: ID!, $pm: String!) { payOrder(event: $e, orderId: $id, paymentMethod: $pm) { id state } }";
    ok(
        base,
        Some(&buyer),
        pay,
        json!({"e": shop.slug(), "id": order_id, "pm": "pm_card_visa"}),
    )
    .await;
    shop.wait_state(&buyer, &order_id, "COMPLETED").await;

    let url = format!("http://{}/metrics", shop.worker.listen);
    let event = [("namespace", shop.ns.as_str()), ("event", "show")];
    let with = |more: &[(&'static str, &'static str)]| {
        let mut all = event.to_vec();
        all.extend_from_slice(more);
        all
    };
    // The confirmation mail is sent from the stream after completion.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    let worker = loop {
        let m = sellout_e2e::metrics::scrape(&url)
            .await
            .unwrap_or_else(|e| panic!("the worker's /metrics: {e}"));
        let mails = m.sum(
            "sellout_worker_messages_total",
            &with(&[("channel", "email"), ("outcome", "sent")]),
        );
        if mails >= 1.0 {
            break m;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "no e-mail counted as sent within 30 s: {m:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let n =
        |sample: &str, labels: &[(&'static str, &'static str)]| worker.sum(sample, &with(labels));
    assert!(
        n(
            "sellout_worker_checkout_requests_total",
            &[("verb", "hold"), ("result", "OK")]
        ) >= 1.0,
        "{worker:?}"
    );
    assert!(
        n(
            "sellout_worker_checkout_request_duration_seconds_count",
            &[("verb", "hold")]
        ) >= 1.0
    );
    assert_eq!(
        n("sellout_worker_payments_total", &[("outcome", "declined")]),
        1.0
    );
    assert_eq!(
        n("sellout_worker_payments_total", &[("outcome", "succeeded")]),
        1.0
    );
    for state in ["AwaitingPayment", "Paid", "Completed"] {
        assert_eq!(
            n("sellout_worker_orders_total", &[("state", state)]),
            1.0,
            "one order through {state}: {worker:?}"
        );
    }
    assert!(
        n(
            "sellout_worker_order_requests_total",
            &[("verb", "pay"), ("result", "OK")]
        ) >= 1.0
    );
    assert!(
        n(
            "sellout_worker_order_requests_total",
            &[("verb", "create"), ("result", "PAYMENT_DECLINED")]
        ) >= 1.0
    );
    assert!(
        n(
            "sellout_worker_stripe_webhooks_total",
            &[("outcome", "processed")]
        ) >= 1.0,
        "the forwarded payment_intent.succeeded: {worker:?}"
    );
    assert_eq!(
        n(
            "sellout_worker_tier_units",
            &[("tier", "ga"), ("state", "sold")]
        ),
        2.0
    );
    assert_eq!(n("sellout_worker_writer", &[]), 1.0);
    assert!(n("sellout_worker_ledger_batch_ops_count", &[]) >= 1.0);
    let swept = n("sellout_worker_hold_sweep_timestamp_seconds", &[]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (now - swept).abs() < 30.0,
        "swept {swept}, now {now}: the writer sweeps every 500 ms"
    );
    let kinds: BTreeMap<&str, &str> = worker
        .0
        .iter()
        .map(|f| (f.name.as_str(), f.kind.as_str()))
        .collect();
    assert_eq!(kinds["sellout_worker_checkout_requests"], "counter");
    assert_eq!(
        kinds["sellout_worker_checkout_request_duration_seconds"],
        "histogram"
    );
    assert_eq!(kinds["sellout_worker_tier_units"], "gauge");

    let gateway = sellout_e2e::metrics::scrape(&format!("{base}/metrics"))
        .await
        .unwrap_or_else(|e| panic!("the gateway's /metrics: {e}"));
    assert!(
        gateway.sum(
            "sellout_gateway_graphql_operations_total",
            &[("operation", "mutation")]
        ) >= 2.0,
        "{gateway:?}"
    );
    assert!(
        gateway
            .family("sellout_gateway_graphql_duration_seconds")
            .is_some()
    );
}

/// One purchase is one trace: the gateway's HTTP span, its NATS request,
/// the worker's handling of it and the worker's call to Stripe, exported
/// by both processes over OTLP/HTTP to a receiver, linked parent to child.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_purchase_is_one_trace_from_the_gateway_through_the_worker_to_stripe() {
    let sink = sellout_e2e::otlp::Sink::start().await.unwrap();
    let otel = |service: &'static str| {
        [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", sink.url().to_owned()),
            ("OTEL_BSP_SCHEDULE_DELAY", "200".to_owned()),
            ("OTEL_SERVICE_NAME", service.to_owned()),
        ]
    };
    let worker_env = otel("sellout-worker");
    let worker_env: Vec<(&str, &str)> = worker_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let shop = Shop::with_worker_env("gw-orders-traced", &[], json!([]), &worker_env).await;
    let gateway_env = otel("sellout-gateway");
    let gateway_env: Vec<(&str, &str)> =
        gateway_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let gateway = GatewayProcess::start_with("traced", &gateway_env).await;
    let buyer = token(&format!("ada-{}@example.com", shop.ns));
    let checkout = start_checkout(&gateway.base).await;
    let hold = shop.hold_in(&checkout, "ga", 1).await;
    let order_id = uuid::Uuid::new_v4().to_string();
    // The caller's own trace, continued by the gateway.
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let placed: Value = reqwest::Client::new()
        .post(format!("{}/graphql", gateway.base))
        .bearer_auth(&buyer)
        .header("traceparent", format!("00-{trace_id}-00f067aa0ba902b7-01"))
        .json(&json!({
            "query": "mutation($e: String!, $h: [OrderHoldInput!]!, $id: ID, $c: String, $pm: String) { createOrder(event: $e, holds: $h, orderId: $id, checkout: $c, paymentMethod: $pm) { id state } }",
            "variables": {"e": shop.slug(), "c": checkout, "h": [hold], "id": order_id, "pm": "pm_card_visa"},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(placed["errors"].is_null(), "{placed}");
    shop.wait_state(&buyer, &order_id, "COMPLETED").await;

    let stripe = sink
        .wait_for("linked trace from the gateway to Stripe", 30, |s, chain| {
            s.trace_id == trace_id
                && s.service == "sellout-worker"
                && s.name == "stripe create_payment_intent"
                && chain
                    .last()
                    .is_some_and(|root| root.service == "sellout-gateway")
        })
        .await;
    let chain = sink.ancestry(&stripe);
    let names: Vec<String> = chain
        .iter()
        .rev()
        .map(|s| format!("{}: {}", s.service, s.name))
        .collect();
    eprintln!("one purchase's trace {trace_id}: {}", names.join(" > "));
    assert_eq!(
        names,
        [
            "sellout-gateway: POST /graphql",
            "sellout-gateway: nats order.create",
            "sellout-worker: orders create",
            "sellout-worker: stripe create_payment_intent",
        ],
        "{chain:#?}"
    );
    // The gateway's span is a child of the caller's.
    assert_eq!(chain.last().unwrap().parent_span_id, "00f067aa0ba902b7");

    // The confirmation mail continues the trace of the order's completion
    // (the paid PaymentIntent's webhook, or the purchase itself).
    let mail = sink
        .wait_for("SMTP span linked to the order", 30, |s, chain| {
            s.name == "smtp send"
                && chain.iter().any(|p| p.name == "email message")
                && chain.iter().any(|p| p.name.starts_with("orders "))
                && chain.iter().any(|p| {
                    p.name == "deliver"
                        && p.attributes.get("order").map(String::as_str) == Some(order_id.as_str())
                })
        })
        .await;
    let names: Vec<String> = sink
        .ancestry(&mail)
        .iter()
        .rev()
        .map(|s| format!("{}: {}", s.service, s.name))
        .collect();
    eprintln!(
        "the confirmation mail's trace {}: {}",
        mail.trace_id,
        names.join(" > ")
    );
    // Nothing about the buyer travels with the traces.
    let email = format!("ada-{}@example.com", shop.ns);
    for s in sink.spans() {
        assert!(
            !s.attributes.values().any(|v| v.contains(&email))
                && !s.events.iter().any(|e| e.contains(&email)),
            "the buyer's address is in a span: {s:#?}"
        );
    }
    drop(gateway);
}
