use super::read::*;
use super::*;

#[test]
fn states_and_channels_are_stored_as_before() {
    for s in OrderState::ALL {
        let b = mongodb::bson::to_bson(&s).unwrap();
        assert_eq!(b, Bson::String(s.as_str().into()));
        assert_eq!(OrderState::parse(s.as_str()), Some(s));
    }
    assert_eq!(OrderState::parse("Nonsense"), None);
    // An order or refund read without its state is an error, never
    // awaiting payment or pending.
    assert!(mongodb::bson::from_document::<OrderDoc>(doc! {"_id": "o1"}).is_err());
    assert!(
        mongodb::bson::from_document::<OrderDoc>(doc! {
            "_id": "o1", "state": "Completed",
            "refunds": {"r1": {"tickets": [], "amount": 100_i64}},
        })
        .is_err()
    );
    assert!(
        mongodb::bson::from_document::<OrderDoc>(doc! {"_id": "o1", "state": "Shipped"}).is_err()
    );
    let old: OrderDoc = mongodb::bson::from_document(doc! {
        "_id": "o1", "state": "Completed", "channel": "",
    })
    .unwrap();
    assert_eq!(old.channel, Channel::Online);
    assert_eq!(old.state, OrderState::Completed);
    let comp = mongodb::bson::to_document(&OrderDoc {
        channel: Channel::Comp,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(comp.get_str("channel"), Ok("comp"));
    assert_eq!(Channel::of(true, true), Channel::Comp);
    assert_eq!(Channel::of(true, false), Channel::BoxOffice);
    assert_eq!(Channel::of(false, true), Channel::Online);
}

#[test]
fn add_on_lines_say_so_and_older_lines_read_as_admissions() {
    let mut line = LineDoc {
        tier: "ga".into(),
        quantity: 1,
        unit_price: 2500,
        amount: 2500,
        ..Default::default()
    };
    let stored = mongodb::bson::to_document(&line).unwrap();
    assert!(!stored.contains_key("addOn"), "admission lines unchanged");
    line.add_on = true;
    let stored = mongodb::bson::to_document(&line).unwrap();
    assert_eq!(stored.get_bool("addOn"), Ok(true));
    let old: LineDoc = mongodb::bson::from_document(doc! {
        "tier": "ga", "description": "GA", "quantity": 1_i64, "unitPrice": 2500_i64, "amount": 2500_i64,
    })
    .unwrap();
    assert!(!old.add_on);
}

#[test]
fn search_escapes_and_limits_its_text() {
    assert_eq!(regex_escape("a.b*c"), "a\\.b\\*c");
    assert_eq!(regex_escape("ada.l+x@ex"), "ada\\.l\\+x@ex");
    assert_eq!(regex_escape("(a|b)*"), "\\(a\\|b\\)\\*");
    assert_eq!(regex_escape("ana@x.io"), "ana@x\\.io");
    assert!(search_filter("  ").unwrap().is_none());
    assert!(search_filter(&"x".repeat(101)).is_err());
    let f = OrderFilter {
        search: Some("x".repeat(101)),
        ..Default::default()
    };
    assert!(f.to_document().is_err());
}
