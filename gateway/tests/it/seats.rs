//! Seats and tables through GraphQL: the seat map, holds naming seats and
//! tables, the map followed live by a second buyer, a seated order paid,
//! and hidden tiers for the box office only.

use std::time::Duration;

use serde_json::{Value, json};

use super::live::Ws;
use super::orders::{Shop, create_order, gql, ok, pay, start_checkout};
use super::token;

const MAP: &str = "query($e: String!, $t: String!) { seatMap(event: $e, tier: $t) { tier section tables seatsPerTable free rows { name seats { label state } } } }";

const HOLD: &str = "mutation($e: String!, $t: String!, $s: [String!], $q: Int, $c: String) { hold(event: $e, tier: $t, seats: $s, quantity: $q, checkout: $c) { id tier quantity seats expiresAtMs } }";

/// Each seat's state in a seat map, by label.
fn states(map: &Value) -> Vec<(String, String)> {
    map["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["seats"].as_array().unwrap().iter())
        .map(|s| {
            (
                s["label"].as_str().unwrap().to_owned(),
                s["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn state_of(map: &Value, label: &str) -> String {
    states(map)
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|(_, s)| s)
        .unwrap_or_else(|| panic!("no seat {label} in {map}"))
}

/// The next seat map the subscription sends in which `label` is `state`.
async fn until(ws: &mut Ws, label: &str, state: &str) -> Value {
    let give_up = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let left = give_up.saturating_duration_since(tokio::time::Instant::now());
        let map = ws.next_data(left).await["seatMap"].clone();
        if state_of(&map, label) == state {
            return map;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_and_tables_are_picked_on_the_map_held_bought_and_seen_taken_live() {
    let shop = Shop::with_venue(
        "gw-seats",
        &[
            (
                "balcony",
                json!({"eventRef": {"name": "show"}, "displayName": "Balcony",
                       "price": {"amountMinor": 4000, "currency": "GBP"}, "quantity": 6,
                       "section": "balcony", "perOrder": {"min": 1, "max": 4}}),
            ),
            (
                "table",
                json!({"eventRef": {"name": "show"}, "displayName": "Table for 8",
                       "price": {"amountMinor": 40000, "currency": "GBP"}, "quantity": 3,
                       "section": "tables", "table": {"seats": 8},
                       "perOrder": {"min": 1, "max": 2}}),
            ),
            (
                "parking",
                json!({"eventRef": {"name": "show"}, "displayName": "Parking", "kind": "AddOn",
                       "price": {"amountMinor": 1000, "currency": "GBP"}, "quantity": 10,
                       "salesWindow": {"startsAt": "2030-01-01T09:00:00Z"}}),
            ),
            (
                "early-bird",
                json!({"eventRef": {"name": "show"}, "displayName": "Early bird",
                       "price": {"amountMinor": 1500, "currency": "GBP"}, "quantity": 10,
                       "salesWindow": {"endsAt": "2026-02-01T00:00:00Z"}}),
            ),
        ],
        json!([
            {"name": "balcony", "seated": {"rows": 2, "seatsPerRow": 3}},
            {"name": "tables", "tables": {"count": 3, "seatsPerTable": 8}},
        ]),
    )
    .await;
    let (base, slug) = (&shop.base, shop.slug());

    // The event page says how each tier is sold and whether it is on
    // sale, and gives the days in the venue's timezone.
    let page = ok(
        base,
        None,
        "query($s: String!) { event(slug: $s) { timezone offSaleAt days { day doorsAt startsAt startsAtLocal endsAtLocal } tiers { name kind seating tableSeats salesState salesStartAt salesEndAt } } }",
        json!({"s": slug}),
    )
    .await["event"]
        .clone();
    assert_eq!(page["timezone"], "Europe/London", "{page}");
    assert_eq!(
        page["days"],
        json!([{"day": 1, "doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z",
                "startsAtLocal": "2027-05-01T20:00:00+01:00", "endsAtLocal": "2027-05-02T00:00:00+01:00"}])
    );
    assert_eq!(
        page["offSaleAt"], "2027-05-01T23:00:00Z",
        "the last day's end"
    );
    let tier = |name: &str| {
        page["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no tier {name} on {page}"))
            .clone()
    };
    for (name, kind, seating, state) in [
        ("ga", "ADMISSION", "GENERAL_ADMISSION", "ON_SALE"),
        ("balcony", "ADMISSION", "SEATED", "ON_SALE"),
        ("table", "ADMISSION", "TABLE", "ON_SALE"),
        ("parking", "ADD_ON", "GENERAL_ADMISSION", "NOT_YET_ON_SALE"),
        (
            "early-bird",
            "ADMISSION",
            "GENERAL_ADMISSION",
            "SALES_ENDED",
        ),
    ] {
        let t = tier(name);
        assert_eq!(
            (
                t["kind"].as_str(),
                t["seating"].as_str(),
                t["salesState"].as_str()
            ),
            (Some(kind), Some(seating), Some(state)),
            "{t}"
        );
    }
    assert_eq!(tier("table")["tableSeats"], 8);
    assert_eq!(tier("parking")["salesStartAt"], "2030-01-01T09:00:00Z");
    assert_eq!(
        tier("ga")["salesStartAt"],
        "2026-01-01T10:00:00Z",
        "the event's on-sale"
    );
    assert_eq!(tier("early-bird")["salesEndAt"], "2026-02-01T00:00:00Z");
    assert!(
        page["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"] != "crew"),
        "hidden tiers are not listed"
    );

    // The map: rows A and B of three seats, all free; three tables.
    let map = ok(base, None, MAP, json!({"e": slug, "t": "balcony"})).await["seatMap"].clone();
    assert_eq!(map["free"], 6, "{map}");
    assert_eq!(map["tables"], false);
    let rows: Vec<&str> = map["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["A", "B"], "{map}");
    assert_eq!(
        states(&map)
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["A1", "A2", "A3", "B1", "B2", "B3"]
    );
    let tables = ok(base, None, MAP, json!({"e": slug, "t": "table"})).await["seatMap"].clone();
    assert_eq!(tables["tables"], true, "{tables}");
    assert_eq!(tables["seatsPerTable"], 8);
    assert_eq!(
        states(&tables),
        [("T1", "FREE"), ("T2", "FREE"), ("T3", "FREE")].map(|(l, s)| (l.to_owned(), s.to_owned()))
    );
    // A tier sold by quantity has no map; a tier that does not exist, or
    // a hidden one for the public, is unknown.
    for (tier, want) in [
        ("ga", "UNKNOWN_SEAT"),
        ("nope", "UNKNOWN_TIER"),
        ("crew", "UNKNOWN_TIER"),
    ] {
        let v = gql(base, None, MAP, json!({"e": slug, "t": tier})).await;
        assert_eq!(super::code(&v), want, "{tier}: {v}");
    }

    // A second buyer follows the balcony live.
    let mut ws = Ws::connect(base, "/graphql/ws", json!({})).await;
    ws.subscribe(
        "map",
        &format!(
            "subscription {{ seatMap(event: \"{slug}\", tier: \"balcony\") {{ free rows {{ seats {{ label state }} }} }} }}"
        ),
    )
    .await;
    let first = ws.next_data(Duration::from_secs(10)).await["seatMap"].clone();
    assert_eq!(first["free"], 6, "{first}");

    // The first buyer holds two seats and a table.
    let seats = ok(
        base,
        None,
        HOLD,
        json!({"e": slug, "t": "balcony", "s": ["A2", "A3"], "c": shop.checkout}),
    )
    .await["hold"]
        .clone();
    assert_eq!(seats["quantity"], 2, "{seats}");
    assert_eq!(seats["seats"], json!(["A2", "A3"]));
    let table = ok(
        base,
        None,
        HOLD,
        json!({"e": slug, "t": "table", "s": ["T2"], "c": shop.checkout}),
    )
    .await["hold"]
        .clone();
    assert_eq!(table["seats"], json!(["T2"]), "{table}");
    let seen = until(&mut ws, "A3", "HELD").await;
    assert_eq!(state_of(&seen, "A2"), "HELD", "{seen}");
    assert_eq!(state_of(&seen, "A1"), "FREE", "{seen}");
    let tables = ok(base, None, MAP, json!({"e": slug, "t": "table"})).await["seatMap"].clone();
    assert_eq!(state_of(&tables, "T2"), "HELD", "{tables}");
    assert_eq!(tables["free"], 2);

    // The second buyer cannot take them, nor name what is not a seat, nor
    // hold a seated tier without naming seats.
    let other = start_checkout(base).await;
    for (vars, want) in [
        (json!({"s": ["A3", "B1"]}), "SEAT_TAKEN"),
        (json!({"s": ["Z9"]}), "UNKNOWN_SEAT"),
        (json!({"q": 1}), "UNKNOWN_SEAT"),
        (json!({"s": ["A1"], "q": 2}), "BAD_REQUEST"),
        (json!({}), "BAD_REQUEST"),
    ] {
        let mut v = json!({"e": slug, "t": "balcony", "c": other});
        v.as_object_mut()
            .unwrap()
            .extend(vars.as_object().unwrap().clone());
        let r = gql(base, None, HOLD, v.clone()).await;
        assert_eq!(super::code(&r), want, "{v}: {r}");
        assert!(r["data"]["hold"].is_null(), "{r}");
    }
    let v = gql(
        base,
        None,
        HOLD,
        json!({"e": slug, "t": "table", "s": ["T2"], "c": other}),
    )
    .await;
    assert_eq!(super::code(&v), "SEAT_TAKEN", "{v}");
    // Nothing the refused requests did shows on the map.
    let map = ok(base, None, MAP, json!({"e": slug, "t": "balcony"})).await["seatMap"].clone();
    assert_eq!(map["free"], 4, "{map}");
    assert_eq!(state_of(&map, "B1"), "FREE");

    // The first buyer pays: the seats and the table are sold, and each
    // ticket names its seat or table.
    let ada = format!("ada-{}@example.com", shop.ns);
    let ada_t = token(&ada);
    let holds = json!([
        {"holdId": seats["id"], "tier": "balcony", "quantity": 2, "seats": ["A2", "A3"]},
        {"holdId": table["id"], "tier": "table", "quantity": 1, "seats": ["T2"]},
    ]);
    let order_id = uuid::Uuid::new_v4().to_string();
    let placed = ok(
        base,
        Some(&ada_t),
        &create_order(),
        json!({"e": slug, "c": shop.checkout, "h": holds, "b": {"name": "Ada Lovelace"}, "id": order_id}),
    )
    .await["createOrder"]
        .clone();
    let pi = placed["paymentIntentId"].as_str().unwrap().to_owned();
    assert_eq!(pay(&pi, "pm_card_visa").await["status"], "succeeded");
    shop.wait_state(&ada_t, &order_id, "COMPLETED").await;
    let seen = until(&mut ws, "A3", "SOLD").await;
    assert_eq!(state_of(&seen, "A2"), "SOLD", "{seen}");
    let tickets = ok(
        base,
        Some(&ada_t),
        "query($e: String!, $id: ID!) { order(event: $e, id: $id) { tickets { tier seat admissions } } }",
        json!({"e": slug, "id": order_id}),
    )
    .await["order"]["tickets"]
        .clone();
    let mut got: Vec<(String, String, i64)> = tickets
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tier"].as_str().unwrap().to_owned(),
                t["seat"].as_str().unwrap_or_default().to_owned(),
                t["admissions"].as_i64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("balcony", "A2", 1),
            ("balcony", "A3", 1),
            ("table", "T2", 8)
        ]
        .map(|(t, s, n)| (t.to_owned(), s.to_owned(), n))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_tiers_are_held_by_the_box_office_only() {
    let shop = Shop::with_venue(
        "gw-seats-hidden",
        &[(
            "comps",
            json!({"eventRef": {"name": "show"}, "displayName": "Comps (seated)",
                   "price": {"amountMinor": 0, "currency": "GBP"}, "quantity": 4,
                   "section": "boxes", "visibility": "Hidden"}),
        )],
        json!([{"name": "boxes", "seated": {"labels": ["Box 1", "Box 2", "Box 3", "Box 4"]}}]),
    )
    .await;
    let (base, slug) = (&shop.base, shop.slug());
    let hold_crew = |who: Option<String>| {
        let checkout = shop.checkout.clone();
        let slug = slug.clone();
        async move {
            gql(
                base,
                who.as_deref(),
                HOLD,
                json!({"e": slug, "t": "crew", "q": 2, "c": checkout}),
            )
            .await
        }
    };
    // The public and a scanner are refused the hidden tier (as if it did
    // not exist); the box office and an admin hold it.
    let v = hold_crew(None).await;
    assert!(v["data"]["hold"].is_null(), "{v}");
    let public_code = super::code(&v).to_owned();
    assert!(!public_code.is_empty(), "{v}");
    let scanner = hold_crew(Some(token(&shop.member("SCANNER")))).await;
    assert_eq!(super::code(&scanner), public_code, "{scanner}");
    for role in ["BOX_OFFICE", "ADMIN"] {
        let v = hold_crew(Some(token(&shop.member(role)))).await;
        assert!(v["errors"].is_null(), "{role}: {v}");
        assert_eq!(v["data"]["hold"]["quantity"], 2, "{v}");
    }
    // A hidden seated tier's map: for the box office, not the public.
    let v = gql(base, None, MAP, json!({"e": slug, "t": "comps"})).await;
    assert_eq!(super::code(&v), "UNKNOWN_TIER", "{v}");
    let bo = token(&shop.member("BOX_OFFICE"));
    let map = ok(base, Some(&bo), MAP, json!({"e": slug, "t": "comps"})).await["seatMap"].clone();
    assert_eq!(map["free"], 4, "{map}");
    assert_eq!(map["rows"][0]["name"], "Box", "{map}");
    let held = ok(
        base,
        Some(&bo),
        HOLD,
        json!({"e": slug, "t": "comps", "s": ["Box 2"], "c": shop.checkout}),
    )
    .await;
    assert_eq!(held["hold"]["seats"], json!(["Box 2"]), "{held}");
}
