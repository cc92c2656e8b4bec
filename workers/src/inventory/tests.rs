use super::*;
use proptest::prelude::*;

fn hold(id: &str, tier: &str, quantity: i64, expires_at: Millis) -> Op {
    owned(id, tier, quantity, expires_at, vec![])
}

fn owned(id: &str, tier: &str, quantity: i64, expires_at: Millis, owners: Vec<String>) -> Op {
    Op::Hold {
        hold: id.into(),
        tier: tier.into(),
        quantity,
        expires_at,
        owners,
    }
}

#[test]
fn units_are_counted_per_owner_while_held() {
    let mut b = book(20);
    let owned = |id: &str, q: i64, owners: &[&str]| {
        owned(
            id,
            "ga",
            q,
            100,
            owners.iter().map(|o| o.to_string()).collect(),
        )
    };
    b.apply(&owned("h1", 3, &["s:a", "a:ip"])).unwrap();
    b.apply(&owned("h2", 2, &["s:a", "a:ip"])).unwrap();
    b.apply(&owned("h3", 4, &["s:b", "a:ip"])).unwrap();
    // A retry counts nothing again.
    b.apply(&owned("h1", 3, &["s:a", "a:ip"])).unwrap();
    assert_eq!(b.held_by("s:a", None), 5);
    assert_eq!(b.held_by("s:a", Some("ga")), 5);
    assert_eq!(b.held_by("s:a", Some("vip")), 0);
    assert_eq!(b.held_by("a:ip", None), 9);
    assert_eq!(b.held_by("s:nobody", None), 0);
    b.check().unwrap();
    // Sold, released and expired units are no longer held by anyone.
    b.apply(&Op::Sell { hold: "h1".into() }).unwrap();
    b.apply(&Op::Release { hold: "h2".into() }).unwrap();
    assert_eq!(b.held_by("s:a", None), 0);
    assert_eq!(b.held_by("a:ip", None), 4);
    b.apply(&Op::Expire { now: 100 }).unwrap();
    assert_eq!(b.held_by("a:ip", None), 0);
    assert_eq!(b.held_by("s:b", Some("ga")), 0);
    b.check().unwrap();
}

fn book(capacity: i64) -> Book {
    let mut b = Book::new();
    b.apply(&Op::SetCapacity {
        tier: "ga".into(),
        capacity,
    })
    .unwrap();
    b
}

fn stock(b: &Book) -> (i64, i64, i64) {
    let s = b.stock("ga").unwrap();
    (s.available, s.held, s.sold)
}

fn seats(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| format!("stalls/{s}")).collect()
}

#[test]
fn a_seat_is_sold_once_and_comes_back_when_given_back_or_refunded() {
    let mut b = book(10);
    let h1 = Op::HoldSeats {
        hold: "h1".into(),
        tier: "ga".into(),
        seats: seats(&["A1", "A2"]),
        expires_at: 100,
        owners: vec![],
    };
    assert!(b.apply(&h1).is_ok());
    assert_eq!(stock(&b), (8, 2, 0));
    let h2 = Op::HoldSeats {
        hold: "h2".into(),
        tier: "ga".into(),
        seats: seats(&["A2", "A3"]),
        expires_at: 100,
        owners: vec![],
    };
    assert_eq!(b.apply(&h2), Err(Refused::SeatTaken("stalls/A2".into())));
    let twice = Op::HoldSeats {
        hold: "h3".into(),
        tier: "ga".into(),
        seats: seats(&["B1", "B1"]),
        expires_at: 100,
        owners: vec![],
    };
    assert!(matches!(b.apply(&twice), Err(Refused::BadSeats(_))));
    assert_eq!(stock(&b), (8, 2, 0), "refusals change nothing");
    // Expired: the seats are free again.
    b.apply(&Op::Expire { now: 100 }).unwrap();
    assert!(b.apply(&h2).is_ok());
    // The late payment of h1 cannot have A2 back.
    assert_eq!(
        b.apply(&Op::Sell { hold: "h1".into() }),
        Err(Refused::LatePaymentSoldOut("h1".into()))
    );
    b.apply(&Op::Sell { hold: "h2".into() }).unwrap();
    // A seated hold is refunded by seat.
    assert!(matches!(
        b.apply(&Op::Refund {
            refund: "r0".into(),
            hold: "h2".into(),
            quantity: 1
        }),
        Err(Refused::BadSeats(_))
    ));
    let r = Op::RefundSeats {
        refund: "r1".into(),
        hold: "h2".into(),
        seats: seats(&["A3"]),
    };
    assert_eq!(b.apply(&r), Ok(Done::Refunded));
    assert_eq!(b.apply(&r), Ok(Done::Refunded), "idempotent");
    assert_eq!(stock(&b), (9, 0, 1));
    b.check().unwrap();
    // A3 can be sold again; A2 cannot.
    let h4 = Op::HoldSeats {
        hold: "h4".into(),
        tier: "ga".into(),
        seats: seats(&["A3"]),
        expires_at: 500,
        owners: vec![],
    };
    assert!(b.apply(&h4).is_ok());
    assert_eq!(
        b.apply(&Op::RefundSeats {
            refund: "r2".into(),
            hold: "h2".into(),
            seats: seats(&["A3"]),
        }),
        Err(Refused::RefundTooLarge {
            hold: "h2".into(),
            refundable: 1
        })
    );
    b.check().unwrap();
}

#[test]
fn hold_sell_release_expire_refund() {
    let mut b = book(10);
    assert_eq!(
        b.apply(&hold("h1", "ga", 4, 1000)),
        Ok(Done::Held {
            new: true,
            expires_at: 1000
        })
    );
    // A retry answers the same and takes nothing more.
    assert_eq!(
        b.apply(&hold("h1", "ga", 4, 5000)),
        Ok(Done::Held {
            new: false,
            expires_at: 1000
        })
    );
    assert_eq!(stock(&b), (6, 4, 0));
    assert_eq!(
        b.apply(&hold("h2", "ga", 7, 1000)),
        Err(Refused::NotEnough {
            tier: "ga".into(),
            available: 6
        })
    );
    assert_eq!(stock(&b), (6, 4, 0), "a refused hold changes nothing");
    b.apply(&hold("h2", "ga", 6, 2000)).unwrap();
    assert_eq!(stock(&b), (0, 10, 0));
    b.apply(&Op::Sell { hold: "h1".into() }).unwrap();
    // Payment webhooks come again: sold once.
    b.apply(&Op::Sell { hold: "h1".into() }).unwrap();
    assert_eq!(stock(&b), (0, 6, 4));
    assert_eq!(
        b.apply(&Op::Expire { now: 2000 }),
        Ok(Done::Expired {
            holds: vec!["h2".into()]
        })
    );
    assert_eq!(
        b.apply(&Op::Expire { now: 9999 }),
        Ok(Done::Expired { holds: vec![] })
    );
    assert_eq!(stock(&b), (6, 0, 4));
    assert_eq!(
        b.apply(&Op::Release { hold: "h1".into() }),
        Err(Refused::AlreadySold("h1".into()))
    );
    let refund = Op::Refund {
        refund: "r1".into(),
        hold: "h1".into(),
        quantity: 1,
    };
    b.apply(&refund).unwrap();
    // The refund webhook comes again: refunded once.
    b.apply(&refund).unwrap();
    assert_eq!(
        b.apply(&Op::Refund {
            refund: "r2".into(),
            hold: "h1".into(),
            quantity: 4
        }),
        Err(Refused::RefundTooLarge {
            hold: "h1".into(),
            refundable: 3
        })
    );
    assert_eq!(stock(&b), (7, 0, 3));
    b.check().unwrap();
}

#[test]
fn late_payment_takes_units_again_or_asks_for_a_refund() {
    let mut b = book(2);
    b.apply(&hold("a", "ga", 2, 100)).unwrap();
    b.apply(&Op::Expire { now: 100 }).unwrap();
    assert_eq!(
        b.apply(&hold("a", "ga", 2, 100)),
        Err(Refused::HoldEnded("a".into())),
        "a retried hold after expiry is not granted again"
    );
    // Paid after expiry while the units are still there: sold, late.
    assert_eq!(
        b.apply(&Op::Sell { hold: "a".into() }),
        Ok(Done::Sold { late: true })
    );
    let mut b = book(2);
    b.apply(&hold("a", "ga", 2, 100)).unwrap();
    b.apply(&Op::Expire { now: 100 }).unwrap();
    b.apply(&hold("b", "ga", 2, 900)).unwrap();
    assert_eq!(
        b.apply(&Op::Sell { hold: "a".into() }),
        Err(Refused::LatePaymentSoldOut("a".into()))
    );
    assert_eq!(stock(&b), (0, 2, 0));
    b.check().unwrap();
}

#[test]
fn capacity_changes_never_go_below_sold_and_held() {
    let mut b = book(10);
    b.apply(&hold("a", "ga", 3, 100)).unwrap();
    b.apply(&Op::Sell { hold: "a".into() }).unwrap();
    b.apply(&hold("b", "ga", 2, 100)).unwrap();
    assert_eq!(
        b.apply(&Op::SetCapacity {
            tier: "ga".into(),
            capacity: 4
        }),
        Err(Refused::CapacityBelowTaken {
            tier: "ga".into(),
            capacity: 4,
            taken: 5
        })
    );
    b.apply(&Op::SetCapacity {
        tier: "ga".into(),
        capacity: 5,
    })
    .unwrap();
    assert_eq!(stock(&b), (0, 2, 3));
    b.check().unwrap();
}

#[test]
fn bad_input_changes_nothing() {
    let mut b = book(5);
    let before = b.clone();
    for op in [
        hold("x", "nope", 1, 0),
        hold("x", "ga", 0, 0),
        Op::Release { hold: "y".into() },
        Op::Sell { hold: "y".into() },
        Op::Refund {
            refund: "r".into(),
            hold: "y".into(),
            quantity: 1,
        },
    ] {
        assert!(b.apply(&op).is_err(), "{op:?}");
    }
    assert_eq!(b, before);
    b.apply(&hold("x", "ga", 1, 0)).unwrap();
    assert_eq!(
        b.apply(&hold("x", "ga", 2, 0)),
        Err(Refused::Conflict("x".into()))
    );
}

#[test]
fn check_catches_a_broken_counter() {
    let mut b = book(5);
    b.apply(&hold("x", "ga", 2, 0)).unwrap();
    b.tiers.get_mut("ga").unwrap().available += 1;
    assert!(b.check().is_err());
    let mut b = book(5);
    b.apply(&hold("x", "ga", 2, 0)).unwrap();
    let s = b.tiers.get_mut("ga").unwrap();
    s.held -= 1;
    s.available += 1;
    assert!(b.check().unwrap_err().what.contains("active holds"));
}

fn arb_op() -> impl Strategy<Value = Op> {
    let id = (0u8..12).prop_map(|i| format!("h{i}"));
    let tier = prop_oneof![Just("ga".to_string()), Just("vip".to_string())];
    prop_oneof![
        4 => (id.clone(), tier.clone(), 0i64..6, 0i64..100, prop::collection::vec(0u8..3, 0..3))
            .prop_map(|(h, t, q, e, owners)| {
                owned(&h, &t, q, e, owners.iter().map(|o| format!("s:{o}")).collect())
            }),
        1 => id.clone().prop_map(|hold| Op::Release { hold }),
        1 => (0i64..120).prop_map(|now| Op::Expire { now }),
        2 => id.clone().prop_map(|hold| Op::Sell { hold }),
        1 => (id, 0u8..4, 0i64..4).prop_map(|(hold, r, quantity)| Op::Refund { refund: format!("r{r}"), hold, quantity }),
        1 => (tier, -2i64..30).prop_map(|(tier, capacity)| Op::SetCapacity { tier, capacity }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Any sequence of operations (with retries, duplicates and
    /// nonsense) keeps every invariant after every step, and replaying
    /// the ledger of accepted operations rebuilds the same book.
    #[test]
    fn invariants_hold_and_the_ledger_replays(ops in prop::collection::vec(arb_op(), 0..200)) {
        let mut b = Book::new();
        b.apply(&Op::SetCapacity { tier: "ga".into(), capacity: 10 }).unwrap();
        let mut ledger = vec![Op::SetCapacity { tier: "ga".into(), capacity: 10 }];
        for op in &ops {
            let before = b.clone();
            match b.apply(op) {
                Ok(_) => ledger.push(op.clone()),
                Err(_) => prop_assert_eq!(&b, &before, "a refused {:?} changed the book", op),
            }
            prop_assert!(b.check().is_ok(), "{:?} after {:?}", b.check(), op);
        }
        prop_assert_eq!(Book::replay(&ledger), b);
    }
}

#[test]
fn taken_seats_are_those_of_active_and_sold_holds_of_the_section() {
    let mut b = book(10);
    let taken = |b: &Book| {
        let mut t = b.taken_seats("stalls");
        t.sort();
        t
    };
    let hold = |id: &str, s: &[&str], expires_at| Op::HoldSeats {
        hold: id.into(),
        tier: "ga".into(),
        seats: seats(s),
        expires_at,
        owners: vec![],
    };
    b.apply(&hold("h1", &["A1", "A2"], 100)).unwrap();
    b.apply(&hold("h2", &["B1"], 500)).unwrap();
    b.apply(&Op::Sell { hold: "h2".into() }).unwrap();
    assert_eq!(
        taken(&b),
        [("A1", false), ("A2", false), ("B1", true)].map(|(l, s)| (l.to_owned(), s))
    );
    assert!(b.taken_seats("balcony").is_empty(), "another section's");
    assert!(
        b.taken_seats("stall").is_empty(),
        "a prefix is not a section"
    );
    b.apply(&Op::Expire { now: 100 }).unwrap();
    b.apply(&Op::Release { hold: "h1".into() }).ok();
    assert_eq!(taken(&b), [("B1".to_owned(), true)]);
}
