//! Promoters' sales figures (ADMIN and above, from the orders stored in
//! MongoDB) and door staff's views (SCANNER and above) through GraphQL.

use kube::api::{Api, PostParams};
use mongodb::bson::doc;
use sellout_gateway::auth::Login;
use serde_json::{Value, json};

use crate::{code, gateway, kube, organization, stage, test_auth};

async fn query_as(base: &str, email: &str, q: &str) -> Value {
    let (token, _) = test_auth().access_token(&Login::Email(email.into()), "s");
    reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": q}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sales_figures_for_admins_and_door_views_for_scanners() {
    let ns = "gw-analytics";
    let uid = stage(ns).await;
    organization(
        ns,
        &[("admin@a.io", "ADMIN"), ("door@a.io", "SCANNER")],
        &[],
    )
    .await;
    stage("gw-analytics-b").await;
    organization("gw-analytics-b", &[("owner@b.io", "OWNER")], &[]).await;
    let base = gateway(None).await;

    let orders = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("sellout")
        .collection::<mongodb::bson::Document>("orders");
    let day = 86_400_000_i64;
    let t0 = 1_790_000_000_000_i64 / day * day; // a midnight (UTC)
    let order = |id: &str,
                 at: i64,
                 state: &str,
                 total: i64,
                 qty: i64,
                 channel: &str,
                 promo: Option<&str>| {
        let mut d = doc! {
            "_id": format!("{ns}-{id}"), "eventUid": &uid, "state": state, "placedAtMs": at,
            "currency": "GBP", "total": total, "channel": channel,
            "lines": [{"tier": "ga", "description": "GA", "quantity": qty, "unitPrice": 2500, "amount": total}],
        };
        if let Some(p) = promo {
            d.insert("promoCode", p);
        }
        d
    };
    orders
        .insert_many([
            order(
                "1",
                t0 + 1000,
                "Completed",
                5000,
                2,
                "online",
                Some("EARLY"),
            ),
            order("2", t0 + 2000, "Completed", 0, 3, "comp", None),
            order("3", t0 + day + 5, "Completed", 2500, 1, "box_office", None),
            order(
                "4",
                t0 + day + 6,
                "AwaitingPayment",
                2500,
                1,
                "online",
                None,
            ),
            order("5", t0 + day + 7, "PaymentFailed", 2500, 1, "online", None),
        ])
        .await
        .unwrap();
    let from = jiff::Timestamp::from_millisecond(t0).unwrap();
    let to = jiff::Timestamp::from_millisecond(t0 + 2 * day).unwrap();
    let q = format!(
        r#"{{ salesSeries(organization: "{ns}", from: "{from}", to: "{to}", bucket: DAY) {{ currency buckets {{ start orders tickets grossMinor compTickets boxOfficeOrders promoOrders }} total {{ orders grossMinor }} }}
             promoUsage(organization: "{ns}") {{ code orders tickets grossMinor }} }}"#
    );
    let v = query_as(&base, "admin@a.io", &q).await;
    assert!(v["errors"].is_null(), "{v}");
    let s = &v["data"]["salesSeries"][0];
    assert_eq!(s["currency"], "GBP");
    let b = s["buckets"].as_array().unwrap();
    assert_eq!(b.len(), 2, "{s}");
    assert_eq!(b[0]["start"], from.to_string());
    assert_eq!(
        (b[0]["orders"].as_i64(), b[0]["tickets"].as_i64()),
        (Some(2), Some(5))
    );
    assert_eq!(b[0]["compTickets"], 3);
    assert_eq!(b[0]["promoOrders"], 1);
    assert_eq!(b[1]["orders"], 1, "unpaid and failed orders are not sales");
    assert_eq!(b[1]["boxOfficeOrders"], 1);
    assert_eq!(s["total"]["grossMinor"], 7500);
    assert_eq!(
        v["data"]["promoUsage"],
        json!([{"code": "EARLY", "orders": 1, "tickets": 2, "grossMinor": 5000}])
    );

    // A scanner of the organization, an owner of another, an anonymous
    // caller: refused, each with its code.
    let v = query_as(&base, "door@a.io", &q).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let v = query_as(&base, "owner@b.io", &q).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let v = crate::query(&base, &q).await;
    assert_eq!(code(&v), "UNAUTHENTICATED", "{v}");
    // Door staff: the days they can scan, and check-ins per day (the
    // operator's status; no operator here, so set it as it would).
    let events: Api<sellout_crds::Event> =
        Api::namespaced(kube().await.client().await.unwrap(), ns);
    events
        .patch_status(
            "show",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(
                json!({"status": {"checkedIn": [{"day": 1, "checkedIn": 12}]}}),
            ),
        )
        .await
        .unwrap();
    let scan = r#"{ scanDays(at: "2027-05-01T12:00:00Z") { event day checkedIn } checkInCounts(event: "gw-analytics/show") { day checkedIn } }"#;
    let mut seen = Value::Null;
    for _ in 0..50 {
        // The catalog follows the status through its watch.
        seen = query_as(&base, "door@a.io", scan).await;
        if seen["data"]["checkInCounts"][0]["checkedIn"] == 12 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen["errors"].is_null(), "{seen}");
    assert_eq!(
        seen["data"]["scanDays"],
        json!([{"event": "gw-analytics/show", "day": 1, "checkedIn": 12}])
    );
    assert_eq!(
        seen["data"]["checkInCounts"],
        json!([{"day": 1, "checkedIn": 12}])
    );
    let v = query_as(
        &base,
        "owner@b.io",
        r#"{ scanDays(at: "2027-05-01T12:00:00Z") { event } }"#,
    )
    .await;
    assert_eq!(
        v["data"]["scanDays"],
        json!([{"event": "gw-analytics-b/show"}]),
        "only their own organization's events"
    );
    let v = query_as(
        &base,
        "owner@b.io",
        r#"{ checkInCounts(event: "gw-analytics/show") { day } }"#,
    )
    .await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let v = query_as(
        &base,
        "door@a.io",
        r#"{ scanDays(at: "2027-05-09T12:00:00Z") { event } }"#,
    )
    .await;
    assert_eq!(v["data"]["scanDays"], json!([]), "{v}");

    // Bad input says what to fix.
    let bad = q.replace(&to.to_string(), "next tuesday");
    let v = query_as(&base, "admin@a.io", &bad).await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_ons_by_flag_or_tier_kind_and_check_ins_by_hour() {
    let ns = "gw-analytics-extra";
    let uid = stage(ns).await;
    organization(
        ns,
        &[("admin@x.io", "ADMIN"), ("door@x.io", "SCANNER")],
        &[],
    )
    .await;
    let client = kube().await.client().await.unwrap();
    let tier: sellout_crds::TicketTier = serde_json::from_value(json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
        "metadata": {"name": "tee", "namespace": ns},
        "spec": {"eventRef": {"name": "show"}, "displayName": "T-shirt", "kind": "AddOn",
                 "price": {"amountMinor": 1500, "currency": "GBP"}, "quantity": 100},
    }))
    .unwrap();
    Api::<sellout_crds::TicketTier>::namespaced(client, ns)
        .create(&PostParams::default(), &tier)
        .await
        .unwrap();
    let base = gateway(None).await;
    let hour = 3_600_000_i64;
    let t0 = 1_790_000_000_000_i64 / hour * hour;
    let orders = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("sellout")
        .collection::<mongodb::bson::Document>("orders");
    orders
        .insert_many([
            // As the workers store add-on lines now.
            doc! {"_id": format!("{ns}-1"), "eventUid": &uid, "state": "Completed", "placedAtMs": t0 + 10,
                  "currency": "GBP", "total": 5500, "channel": "online",
                  "lines": [{"tier": "ga", "quantity": 1, "amount": 2500},
                            {"tier": "tee", "quantity": 2, "amount": 3000, "addOn": true}]},
            // Stored before the flag: the tier's kind in the catalog says.
            doc! {"_id": format!("{ns}-2"), "eventUid": &uid, "state": "Completed", "placedAtMs": t0 + hour + 10,
                  "currency": "GBP", "total": 4000, "channel": "online",
                  "lines": [{"tier": "ga", "quantity": 1, "amount": 2500},
                            {"tier": "tee", "quantity": 1, "amount": 1500}]},
        ])
        .await
        .unwrap();
    let at = |ms: i64| jiff::Timestamp::from_millisecond(ms).unwrap().to_string();
    let (from, to) = (at(t0), at(t0 + 2 * hour));
    let sales = format!(
        r#"{{ salesSeries(organization: "{ns}", from: "{from}", to: "{to}", bucket: HOUR) {{ buckets {{ tickets addOns addOnFaceMinor }} }} }}"#
    );
    let mut v = Value::Null;
    for _ in 0..50 {
        // The catalog learns of the add-on tier through its watch.
        v = query_as(&base, "admin@x.io", &sales).await;
        if v["data"]["salesSeries"][0]["buckets"][1]["addOns"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        v["data"]["salesSeries"][0]["buckets"],
        json!([
            {"tickets": 1, "addOns": 2, "addOnFaceMinor": 3000},
            {"tickets": 1, "addOns": 1, "addOnFaceMinor": 1500},
        ]),
        "{v}"
    );

    // Check-ins: none before the event has a stream, then by hour of the
    // scan, a scan published twice counted once, undos apart.
    let checkins = format!(
        r#"{{ checkInSeries(organization: "{ns}", event: "show", from: "{from}", to: "{to}", bucket: HOUR) {{ buckets {{ start checkIns admissions undone offline }} total {{ checkIns }} }} }}"#
    );
    let v = query_as(&base, "admin@x.io", &checkins).await;
    assert!(v["errors"].is_null(), "{v}");
    assert_eq!(v["data"]["checkInSeries"]["total"]["checkIns"], 0);
    assert_eq!(
        v["data"]["checkInSeries"]["buckets"][1]["start"],
        at(t0 + hour)
    );
    let names = sellout_common::names::Names::for_uid(&uid);
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    js.get_or_create_stream(sellout_common::names::stream_config(&names))
        .await
        .unwrap();
    let scan = |ticket: &str, at_ms: i64, admissions: i32, undone: bool, offline: bool| {
        sellout_common::proto::v1::CheckedIn {
            ticket_id: ticket.into(),
            tier: "ga".into(),
            day: 1,
            gate: "north".into(),
            admissions,
            at_ms,
            undone,
            offline,
            ..Default::default()
        }
    };
    for c in [
        scan("t1", t0 + 5, 1, false, false),
        scan("t2", t0 + 6, 4, false, true),
        scan("t2", t0 + 6, 4, false, true), // synced again
        scan("t1", t0 + hour + 5, 1, true, false),
        scan("t3", t0 + 3 * hour, 1, false, false), // after `to`
    ] {
        use prost::Message as _;
        js.publish(names.checkin(&c.ticket_id, c.day), c.encode_to_vec().into())
            .await
            .unwrap()
            .await
            .unwrap();
    }
    let v = query_as(&base, "admin@x.io", &checkins).await;
    assert!(v["errors"].is_null(), "{v}");
    let b = &v["data"]["checkInSeries"]["buckets"];
    assert_eq!(
        (
            b[0]["checkIns"].as_i64(),
            b[0]["admissions"].as_i64(),
            b[0]["offline"].as_i64()
        ),
        (Some(2), Some(5), Some(1)),
        "{v}"
    );
    assert_eq!(b[1]["undone"], 1, "{v}");
    assert_eq!(v["data"]["checkInSeries"]["total"]["checkIns"], 2);
    // Figures are for ADMIN and above.
    let v = query_as(&base, "door@x.io", &checkins).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let v = query_as(
        &base,
        "admin@x.io",
        &checkins.replace(r#"event: "show""#, r#"event: "nope""#),
    )
    .await;
    assert_eq!(code(&v), "UNKNOWN_EVENT", "{v}");
}
