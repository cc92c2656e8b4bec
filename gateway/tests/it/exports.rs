//! CSV exports through real HTTP, against a real checkout worker, NATS
//! and FerretDB: box-office orders (with an add-on) sold through GraphQL,
//! an ADMIN's links downloaded and parsed, check-ins published to the
//! event's stream as the scanners will; tampered, expired, misused and
//! out-of-role links refused; add-on and check-in series from the same
//! data.

use std::collections::HashMap;

use prost::Message as _;
use sellout_common::names::Names;
use sellout_common::proto::v1::CheckedIn;
use sellout_gateway::auth::export::ExportGrant;
use sellout_gateway::auth::{Login, Principal};
use serde_json::{Value, json};

use super::metric;
use super::orders::{Shop, box_office_order, gql, ok};
use super::token;

/// A CSV body's rows as column → value.
fn parse(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

const LINK: &str = "query($o: String!, $e: String, $k: ExportKind!) { exportLink(organization: $o, event: $e, kind: $k) { url expiresAt kind } }";

fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_download_orders_customers_and_check_ins_as_csv() {
    let parking = json!({
        "eventRef": {"name": "show"}, "displayName": "Parking", "kind": "AddOn",
        "price": {"amountMinor": 1000, "currency": "GBP"}, "quantity": 50, "visibility": "Public",
    });
    let shop = Shop::with_tiers("gw-export", &[("parking", parking)]).await;
    let (base, ns) = (shop.base.clone(), shop.ns.clone());
    let bo = token(&shop.member("BOX_OFFICE"));
    let admin_email = shop.member("ADMIN");
    let admin = token(&admin_email);

    // Two box-office sales: cash for two tickets and a parking add-on (the
    // buyer's name a spreadsheet would run, with a comma and quotes), and
    // a comp.
    let holds = json!([shop.hold("ga", 2).await, shop.hold("parking", 1).await]);
    let cash = ok(
        &base,
        Some(&bo),
        &box_office_order(),
        json!({"e": shop.slug(), "h": holds, "p": "CASH",
               "b": {"name": "=Eve, \"the\" Buyer", "email": "eve@example.com"}}),
    )
    .await["createBoxOfficeOrder"]
        .clone();
    assert_eq!(cash["state"], "COMPLETED", "{cash}");
    let comp = ok(
        &base,
        Some(&bo),
        &box_office_order(),
        json!({"e": shop.slug(), "h": [shop.hold("ga", 1).await], "p": "COMP",
               "b": {"name": "Bob", "email": "bob@example.com"}}),
    )
    .await["createBoxOfficeOrder"]
        .clone();
    assert_eq!(comp["state"], "COMPLETED", "{comp}");
    let cash_total = cash["totalMinor"].as_i64().unwrap();
    assert!(cash_total >= 2 * 2500 + 1000, "{cash}");

    // The worker stored the parking line as an add-on …
    let stored = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("sellout")
        .collection::<mongodb::bson::Document>("orders")
        .find_one(mongodb::bson::doc! {"_id": cash["id"].as_str().unwrap()})
        .await
        .unwrap()
        .unwrap();
    let lines: Vec<(String, bool)> = stored
        .get_array("lines")
        .unwrap()
        .iter()
        .map(|l| {
            let l = l.as_document().unwrap();
            (
                l.get_str("tier").unwrap().to_owned(),
                l.get_bool("addOn").unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [("ga".to_owned(), false), ("parking".to_owned(), true)]
    );
    // … and the figures count it apart from the tickets.
    let now = jiff::Timestamp::now();
    let tomorrow = now + jiff::SignedDuration::from_hours(24);
    let v = ok(
        &base,
        Some(&admin),
        "query($o: String!, $to: String!) { salesSeries(organization: $o, from: \"2026-01-01T00:00:00Z\", to: $to, bucket: WEEK) { currency total { orders tickets addOns addOnFaceMinor compTickets grossMinor } } }",
        json!({"o": ns, "to": tomorrow.to_string()}),
    )
    .await;
    assert_eq!(
        v["salesSeries"][0]["total"],
        json!({"orders": 2, "tickets": 3, "addOns": 1, "addOnFaceMinor": 1000, "compTickets": 1, "grossMinor": cash_total}),
        "{v}"
    );

    // Orders: a link for an ADMIN, downloaded over plain HTTP.
    let link =
        ok(&base, Some(&admin), LINK, json!({"o": ns, "k": "ORDERS"})).await["exportLink"].clone();
    let url = link["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&format!("{base}/exports/orders.csv?token=")),
        "{link}"
    );
    let expires: jiff::Timestamp = link["expiresAt"].as_str().unwrap().parse().unwrap();
    let left = expires.duration_since(now).as_secs();
    assert!((240..=301).contains(&left), "5 minutes: {link}");
    let r = reqwest::get(&url).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        format!("attachment; filename=\"orders-{ns}-{}.csv\"", today()).as_str()
    );
    let text = r.text().await.unwrap();
    assert!(
        text.contains("\"'=Eve, \"\"the\"\" Buyer\""),
        "quoted, formula defused: {text}"
    );
    let rows = parse(&text);
    assert_eq!(rows.len(), 2, "{text}");
    let row = |id: &Value| {
        rows.iter()
            .find(|r| r["order_id"] == id.as_str().unwrap())
            .unwrap_or_else(|| panic!("no row for {id}: {text}"))
    };
    let c = row(&cash["id"]);
    assert_eq!(c["number"], cash["number"].as_str().unwrap());
    assert_eq!(c["event"], shop.slug());
    assert_eq!(c["state"], "Completed");
    assert_eq!(c["channel"], "box_office");
    assert_eq!(c["buyer_name"], "'=Eve, \"the\" Buyer");
    assert_eq!(c["buyer_email"], "eve@example.com");
    assert_eq!((c["tickets"].as_str(), c["add_ons"].as_str()), ("2", "1"));
    assert_eq!(c["currency"], "GBP");
    assert_eq!(c["total_minor"], cash_total.to_string());
    assert_eq!(c["refunded_minor"], "0");
    let placed: jiff::Timestamp = c["placed_at"].parse().unwrap();
    assert_eq!(
        placed.as_millisecond(),
        cash["placedAtMs"].as_i64().unwrap()
    );
    let b = row(&comp["id"]);
    assert_eq!(
        (
            b["channel"].as_str(),
            b["total_minor"].as_str(),
            b["tickets"].as_str(),
            b["add_ons"].as_str()
        ),
        ("comp", "0", "1", "0")
    );
    // Oldest first.
    assert_eq!(rows[0]["order_id"], cash["id"].as_str().unwrap());

    // Customers of the one event.
    let link = ok(
        &base,
        Some(&admin),
        LINK,
        json!({"o": ns, "e": "show", "k": "CUSTOMERS"}),
    )
    .await["exportLink"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = reqwest::get(&link).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        format!(
            "attachment; filename=\"customers-{ns}-show-{}.csv\"",
            today()
        )
        .as_str()
    );
    let rows = parse(&r.text().await.unwrap());
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["email"].as_str(),
                r["currency"].as_str(),
                r["orders"].as_str(),
                r["lifetime_value_minor"].as_str(),
            )
        })
        .collect();
    let eve_ltv = cash_total.to_string();
    assert_eq!(
        got,
        [
            ("bob@example.com", "GBP", "1", "0"),
            ("eve@example.com", "GBP", "1", eve_ltv.as_str())
        ]
    );

    // Check-ins, as the scan workers will publish them: one admitted, one
    // undone later.
    let ticket = cash["tickets"][0].clone();
    let names = Names::for_uid(&shop.uid);
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let at = now.as_millisecond();
    for (gate, at_ms, undone) in [("=north", at, false), ("south", at + 60_000, true)] {
        let scan = CheckedIn {
            ticket_id: ticket["id"].as_str().unwrap().into(),
            tier: ticket["tier"].as_str().unwrap().into(),
            day: 1,
            gate: gate.into(),
            admissions: 1,
            at_ms,
            undone,
            ..Default::default()
        };
        js.publish(
            names.checkin(&scan.ticket_id, 1),
            scan.encode_to_vec().into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    }
    let link = ok(
        &base,
        Some(&admin),
        LINK,
        json!({"o": ns, "k": "CHECK_INS"}),
    )
    .await["exportLink"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(link.contains("/exports/check-ins.csv?token="), "{link}");
    let r = reqwest::get(&link).await.unwrap();
    assert_eq!(r.status(), 200);
    let rows = parse(&r.text().await.unwrap());
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["event"], shop.slug());
    assert_eq!(rows[0]["ticket_id"], ticket["id"].as_str().unwrap());
    assert_eq!(rows[0]["gate"], "'=north");
    assert_eq!(
        (rows[0]["undone"].as_str(), rows[1]["undone"].as_str()),
        ("false", "true")
    );
    let scanned: jiff::Timestamp = rows[0]["scanned_at"].parse().unwrap();
    assert_eq!(scanned.as_millisecond(), at);
    // The same check-ins in the figures, by hour.
    let hour = at / 3_600_000 * 3_600_000;
    let from = jiff::Timestamp::from_millisecond(hour).unwrap();
    let to = jiff::Timestamp::from_millisecond(hour + 3 * 3_600_000).unwrap();
    let v = ok(
        &base,
        Some(&admin),
        "query($o: String!, $f: String!, $t: String!) { checkInSeries(organization: $o, event: \"show\", from: $f, to: $t, bucket: HOUR) { buckets { checkIns } total { checkIns admissions undone } } }",
        json!({"o": ns, "f": from.to_string(), "t": to.to_string()}),
    )
    .await;
    let s = &v["checkInSeries"];
    assert_eq!(s["buckets"].as_array().unwrap().len(), 3, "{v}");
    assert_eq!(s["buckets"][0]["checkIns"], 1, "{v}");
    assert_eq!(
        s["total"],
        json!({"checkIns": 1, "admissions": 1, "undone": 1})
    );

    // Refusals: a tampered link, an expired one, a link for another file,
    // none, an access token in its place: 401 with what to do.
    let token_of = |url: &str| url.split_once("?token=").unwrap().1.to_owned();
    let orders_token = token_of(&url);
    let get = |path: String| {
        let base = base.clone();
        async move {
            let r = reqwest::get(format!("{base}{path}")).await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let mut tampered = orders_token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let (status, body) = get(format!("/exports/orders.csv?token={tampered}")).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("invalid"), "{body}");
    let admin_principal = Principal {
        login: Login::Email(admin_email.clone()),
        session: "it".into(),
    };
    let grant = |kind: &str| ExportGrant {
        organization: ns.clone(),
        event: None,
        kind: kind.into(),
    };
    let past = jiff::Timestamp::now().as_second() as u64 - 5;
    let expired = super::test_auth().export_token_until(&admin_principal, &grant("orders"), past);
    let (status, body) = get(format!("/exports/orders.csv?token={expired}")).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("expired"), "{body}");
    let (status, body) = get(format!("/exports/customers.csv?token={orders_token}")).await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("orders.csv"), "{body}");
    let (status, body) = get("/exports/orders.csv".into()).await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = get(format!("/exports/orders.csv?token={admin}")).await;
    assert_eq!(status, 401, "an access token is no export token");
    let (status, _) = get(format!("/exports/passwords.csv?token={orders_token}")).await;
    assert_eq!(status, 404);
    // … and an export token is no access token.
    let v = gql(
        &base,
        Some(&orders_token),
        LINK,
        json!({"o": ns, "k": "ORDERS"}),
    )
    .await;
    assert_eq!(super::code(&v), "BAD_TOKEN", "{v}");

    // Below ADMIN: no link, and a link made for them anyway (signed with
    // the gateway's key) is refused at download: the role is checked
    // again there.
    for role in ["SCANNER", "BOX_OFFICE"] {
        let v = gql(
            &base,
            Some(&token(&shop.member(role))),
            LINK,
            json!({"o": ns, "k": "ORDERS"}),
        )
        .await;
        assert_eq!(super::code(&v), "FORBIDDEN", "{role}: {v}");
    }
    let scanner = Principal {
        login: Login::Email(shop.member("SCANNER")),
        session: "it".into(),
    };
    let (forged, _) = super::test_auth().export_token(&scanner, &grant("orders"));
    let (status, body) = get(format!("/exports/orders.csv?token={forged}")).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("ADMIN"), "{body}");
    // An outsider's link to this organization.
    let outsider = Principal {
        login: Login::Email("someone@else.example".into()),
        session: "it".into(),
    };
    let (theirs, _) = super::test_auth().export_token(&outsider, &grant("customers"));
    let (status, _) = get(format!("/exports/customers.csv?token={theirs}")).await;
    assert_eq!(status, 403);
    let v = gql(
        &base,
        Some(&admin),
        LINK,
        json!({"o": ns, "e": "nope", "k": "ORDERS"}),
    )
    .await;
    assert_eq!(super::code(&v), "UNKNOWN_EVENT", "{v}");

    let counted = |kind: &str, outcome: &str| {
        format!("sellout_gateway_exports_total{{kind=\"{kind}\",outcome=\"{outcome}\"}}")
    };
    assert_eq!(metric(&base, &counted("orders", "ok")).await, 1);
    assert_eq!(metric(&base, &counted("orders", "expired")).await, 1);
    assert_eq!(metric(&base, &counted("orders", "forbidden")).await, 1);
    assert_eq!(metric(&base, &counted("check-ins", "ok")).await, 1);
}
