//! DataLoader batching against FerretDB: a page of orders asks for each
//! order's customer (lifetime value), and the gateway reads them in one
//! query, as its `/metrics` counts show.

use mongodb::bson::doc;
use serde_json::{Value, json};

use super::metric;
use super::orders::{member, ok, org};
use super::token;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_orders_loads_its_customers_in_one_query() {
    let ns = "gw-batch";
    let uid = super::stage(ns).await;
    org(ns, false).await;
    let base = super::gateway(None).await;
    let orders = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("sellout")
        .collection::<mongodb::bson::Document>("orders");
    let t0 = 1_790_000_000_000_i64;
    let order = |n: i64, email: &str, state: &str, total: i64| {
        doc! {
            "_id": format!("{ns}-{n}"), "number": format!("SO-{n}"), "eventUid": &uid,
            "state": state, "placedAtMs": t0 + n, "currency": "GBP", "total": total,
            "buyerEmail": email, "buyerName": email, "channel": "online",
            "lines": [{"tier": "ga", "description": "GA", "quantity": 1, "unitPrice": total, "amount": total}],
        }
    };
    let mut refunded = order(4, "b@x.io", "Refunded", 2500);
    refunded.insert(
        "refunds",
        doc! {"r1": {"tickets": [], "amount": 2500, "feesReturned": true, "state": "Done"}},
    );
    orders
        .insert_many([
            order(1, "a@x.io", "Completed", 1000),
            order(2, "a@x.io", "Completed", 3000),
            order(3, "b@x.io", "Completed", 2500),
            refunded,
            order(5, "c@x.io", "Completed", 700),
            order(6, "d@x.io", "Completed", 900),
            order(7, "e@x.io", "AwaitingPayment", 2500),
        ])
        .await
        .unwrap();

    let queries = "sellout_gateway_loader_queries_total{loader=\"customer\"}";
    let keys = "sellout_gateway_loader_keys_total{loader=\"customer\"}";
    let (q0, k0) = (metric(&base, queries).await, metric(&base, keys).await);
    let staff = token(&member(ns, "BOX_OFFICE"));
    let page = ok(
        &base,
        Some(&staff),
        "query($o: String!) { orders(organization: $o, first: 20) { edges { node { id buyer { email } customer { email orders lifetimeValueMinor refundedMinor } } } } }",
        json!({"o": ns}),
    )
    .await;
    let edges = page["orders"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 7, "{page}");
    let customer_of = |id: &str| -> Value {
        edges
            .iter()
            .find(|e| e["node"]["id"] == format!("{ns}-{id}"))
            .unwrap()["node"]["customer"]
            .clone()
    };
    assert_eq!(
        customer_of("1"),
        json!({"email": "a@x.io", "orders": 2, "lifetimeValueMinor": 4000, "refundedMinor": 0})
    );
    assert_eq!(customer_of("2"), customer_of("1"));
    assert_eq!(
        customer_of("3"),
        json!({"email": "b@x.io", "orders": 2, "lifetimeValueMinor": 2500, "refundedMinor": 2500})
    );
    assert_eq!(customer_of("6")["lifetimeValueMinor"], 900);
    assert!(customer_of("7").is_null(), "no completed order yet: {page}");
    // Seven orders of five buyers: one query for all of them.
    assert_eq!(
        metric(&base, queries).await - q0,
        1,
        "the customers of a page are read in one query"
    );
    assert_eq!(metric(&base, keys).await - k0, 5);

    // A buyer sees their own orders, not their standing as a customer.
    let mine = ok(
        &base,
        Some(&token("a@x.io")),
        "{ myOrders { edges { node { id customer { orders } } } } }",
        json!({}),
    )
    .await;
    let mine = mine["myOrders"]["edges"].as_array().unwrap();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|e| e["node"]["customer"].is_null()));
}
