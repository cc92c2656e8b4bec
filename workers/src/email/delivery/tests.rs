use super::*;
use crate::email::messages::*;
use crate::email::once::*;
use crate::email::{EmailError, EventDay, Venue};
use crate::ticket;
use sellout_common::proto::v1::{IssuedTicket, OrderCharge};
use sellout_store::sent::MailState;

fn gbp(minor: i64) -> Option<pb::Money> {
    Some(pb::Money {
        amount_minor: minor,
        currency: "GBP".into(),
    })
}

fn event() -> EventInfo {
    EventInfo {
        id: "roundhouse/summer-nights".into(),
        title: "Summer Nights".into(),
        venue: Venue {
            name: "The Roundhouse".into(),
            address: vec!["Chalk Farm Road".into()],
            timezone: "Europe/London".into(),
        },
        days: vec![EventDay {
            doors_at: "2026-06-13T17:30:00Z".parse().unwrap(),
            starts_at: "2026-06-13T18:30:00Z".parse().unwrap(),
            ends_at: "2026-06-13T22:00:00Z".parse().unwrap(),
        }],
    }
}

fn order() -> OrderCompleted {
    OrderCompleted {
        order_id: "ord-1".into(),
        order_number: "SO-7K3F9Q".into(),
        event_uid: "u".into(),
        buyer_email: "ada@example.com".into(),
        buyer_name: "Ada".into(),
        buyer_phone: String::new(),
        buyer_phone_verified: false,
        placed_at_ms: 1_777_629_600_000,
        lines: vec![pb::OrderLine {
            tier: "ga".into(),
            description: "General admission".into(),
            quantity: 2,
            unit_price: gbp(7500),
            amount: gbp(15000),
        }],
        charges: vec![OrderCharge {
            label: "Booking fee".into(),
            amount: gbp(300),
        }],
        total: gbp(15300),
        tickets: ["T-1", "T-2"]
            .map(|id| IssuedTicket {
                ticket_id: id.into(),
                label: "General admission".into(),
                qr_payload: format!("PAYLOAD {id}"),
                admissions: 1,
                tier: "ga".into(),
                seat: String::new(),
            })
            .into(),
    }
}

#[test]
fn an_order_completed_becomes_its_confirmation() {
    let (email, to) = order_confirmation(order(), event()).unwrap();
    assert_eq!(to, "ada@example.com");
    let Email::OrderConfirmation(o) = &email else {
        panic!("{email:?}")
    };
    assert_eq!(o.order_id, "ord-1");
    assert_eq!(o.order_number, "SO-7K3F9Q");
    assert_eq!(o.buyer_name.as_deref(), Some("Ada"));
    assert_eq!(o.placed_at.as_millisecond(), 1_777_629_600_000);
    assert_eq!(o.lines[0].quantity, 2);
    assert_eq!(o.lines[0].unit_price.minor, 7500);
    assert_eq!(o.charges[0].label, "Booking fee");
    assert_eq!(o.total.minor, 15300);
    assert_eq!(o.event, event());
    assert_eq!(o.tickets.len(), 2);
    assert_eq!(o.tickets[1].ticket_id, "T-2");
    assert_eq!(o.tickets[0].png, ticket::qr_png("PAYLOAD T-1").unwrap());
    // The key, hence the Message-ID, depends on the order only.
    let (again, _) = order_confirmation(
        OrderCompleted {
            buyer_name: String::new(),
            ..order()
        },
        event(),
    )
    .unwrap();
    assert_eq!(again.key(), email.key());
    let Email::OrderConfirmation(o) = again else {
        unreachable!()
    };
    assert_eq!(o.buyer_name, None);
}

#[test]
fn a_broken_order_is_refused_with_its_id() {
    type Break = fn(&mut OrderCompleted);
    let cases: [(&str, Break); 4] = [
        ("no amount", |o| o.total = None),
        ("not a currency", |o| {
            o.charges[0].amount = Some(pb::Money {
                amount_minor: 1,
                currency: "pounds".into(),
            })
        }),
        ("quantity -1", |o| o.lines[0].quantity = -1),
        ("does not fit a QR code", |o| {
            o.tickets[0].qr_payload = "x".repeat(5000)
        }),
    ];
    for (want, break_it) in cases {
        let mut o = order();
        break_it(&mut o);
        let e = order_confirmation(o, event()).unwrap_err();
        assert_eq!(e.order_id, "ord-1");
        assert!(e.to_string().contains(want), "{e} lacks {want:?}");
    }
}

#[test]
fn retries_back_off_up_to_the_maximum() {
    let s = Settings {
        first_retry: Duration::from_secs(10),
        max_retry: Duration::from_secs(600),
        ..Settings::default()
    };
    let delays: Vec<u64> = (1..=8).map(|n| s.retry_delay(n).as_secs()).collect();
    assert_eq!(delays, [10, 20, 40, 80, 160, 320, 600, 600]);
    assert_eq!(s.retry_delay(u32::MAX), Duration::from_secs(600));
    assert_eq!(s.lease(), s.attempt_timeout * 2);
}

#[test]
fn failures_are_permanent_only_when_retrying_cannot_help() {
    let to = "ada@example.com";
    let rejected = |code| EmailError::Rejected {
        code,
        message: format!("smtp.example:587: permanent error ({code}): 5.1.1 <{to}>: no such user"),
    };
    for code in [550, 551, 553] {
        assert!(
            matches!(classify(&rejected(code), to), Failure::Permanent(_)),
            "{code}"
        );
    }
    for code in [421, 450, 451, 452, 535, 552, 554] {
        assert!(
            matches!(classify(&rejected(code), to), Failure::Transient(_)),
            "{code}"
        );
    }
    for e in [
        EmailError::Smtp("smtp.example:587: Connection error: refused".into()),
        EmailError::UnknownTimeZone("Mars/Olympus".into()),
        EmailError::Address("help@@org".into(), "invalid".into()),
    ] {
        assert!(matches!(classify(&e, to), Failure::Transient(_)), "{e}");
    }
    assert!(matches!(
        classify(&EmailError::UnknownCurrency("XXX".into()), to),
        Failure::Permanent(_)
    ));
    // Addresses never reach the text that is logged and stored.
    let Failure::Permanent(text) = classify(&rejected(550), to) else {
        unreachable!()
    };
    assert!(!text.contains('@'), "{text}");
    assert!(
        text.contains("550") && text.contains("no such user"),
        "{text}"
    );
}

#[test]
fn redact_blanks_every_address_and_keeps_the_rest() {
    assert_eq!(
        redact(
            "550 5.1.1 <Ada.Lovelace+x@mail.example.com>: rejected",
            "ada@x"
        ),
        "550 5.1.1 <<address>>: rejected"
    );
    assert_eq!(
        redact("to ada@x.io, bob@y.io", ""),
        "to <address>, <address>"
    );
    assert_eq!(
        redact("not an address: @ nor a@", ""),
        "not an address: @ nor a@"
    );
    // The recipient as given, even when it is not well formed.
    assert_eq!(redact("bad \"a b\"@c.d", "\"a b\"@c.d"), "bad <address>");
    assert_eq!(
        redact("smtp.example:587: timed out", "a@b.c"),
        "smtp.example:587: timed out"
    );
}

#[test]
fn a_message_asking_for_two_things_is_acked_when_both_are_done() {
    let s = Duration::from_secs;
    assert_eq!(Reply::Ack.and(Reply::Ack), Reply::Ack);
    assert_eq!(Reply::Ack.and(Reply::Nak(s(3))), Reply::Nak(s(3)));
    assert_eq!(Reply::Nak(s(9)).and(Reply::Nak(s(3))), Reply::Nak(s(3)));
    assert_eq!(Reply::None.and(Reply::Nak(s(3))), Reply::Nak(s(3)));
    assert_eq!(Reply::Ack.and(Reply::None), Reply::None);
    assert_eq!(Reply::Nak(s(1)).and(Reply::Term), Reply::Term);
}

#[test]
fn mail_states_round_trip() {
    for s in [
        MailState::Sending,
        MailState::Retry,
        MailState::Sent,
        MailState::Failed,
    ] {
        assert_eq!(MailState::parse(s.as_str()), Some(s));
    }
    assert_eq!(MailState::parse("queued"), None);
}

fn resources(address: &str, timezone: &str) -> (sellout_crds::Event, sellout_crds::Venue) {
    let event: sellout_crds::Event = serde_json::from_value(serde_json::json!({
        "apiVersion": "sellout.io/v1alpha1",
        "kind": "Event",
        "metadata": {"name": "summer-nights", "namespace": "roundhouse", "uid": "0b5e7c1e"},
        "spec": {
            "title": "Summer Nights",
            "venueRef": {"name": "roundhouse"},
            "currency": "GBP",
            "onSaleAt": "2026-03-01T10:00:00Z",
            "days": [
                {"doorsAt": "2026-06-13T17:30:00Z", "startsAt": "2026-06-13T18:30:00Z", "endsAt": "2026-06-13T22:00:00Z"},
                {"doorsAt": "2026-06-14T10:00:00Z", "startsAt": "2026-06-14T11:00:00Z", "endsAt": "2026-06-14T21:00:00Z"},
            ],
        },
    }))
    .unwrap();
    let venue: sellout_crds::Venue = serde_json::from_value(serde_json::json!({
        "apiVersion": "sellout.io/v1alpha1",
        "kind": "Venue",
        "metadata": {"name": "roundhouse", "namespace": "roundhouse"},
        "spec": {
            "displayName": "The Roundhouse",
            "address": serde_json::from_str::<serde_json::Value>(address).unwrap(),
            "timezone": timezone,
            "capacity": 3300,
        },
    }))
    .unwrap();
    (event, venue)
}

#[test]
fn event_info_comes_from_the_event_and_its_venue() {
    let (event, venue) = resources(
        r#"{"line1": "Chalk Farm Road", "city": "London", "postalCode": "NW1 8EH", "country": "GB"}"#,
        "Europe/London",
    );
    let info = event_info(&event, &venue);
    assert_eq!(info.id, "roundhouse/summer-nights");
    assert_eq!(info.title, "Summer Nights");
    assert_eq!(info.venue.name, "The Roundhouse");
    assert_eq!(
        info.venue.address,
        ["Chalk Farm Road", "London NW1 8EH", "United Kingdom"]
    );
    assert_eq!(info.venue.timezone, "Europe/London");
    assert_eq!(info.days.len(), 2);
    assert_eq!(
        info.days[1],
        EventDay {
            doors_at: "2026-06-14T10:00:00Z".parse().unwrap(),
            starts_at: "2026-06-14T11:00:00Z".parse().unwrap(),
            ends_at: "2026-06-14T21:00:00Z".parse().unwrap(),
        }
    );
    // It renders: the order confirmation of an order at this event.
    let (email, _) = order_confirmation(order(), info).unwrap();
    let brand = Brand {
        organization: "Roundhouse Presents".into(),
        legal_line: "Roundhouse Presents Ltd".into(),
        support_email: None,
    };
    let r = email.render(&brand).unwrap();
    assert!(r.text.contains("Chalk Farm Road"), "{}", r.text);
    assert!(r.text.contains("Sunday 14 June 2026"), "{}", r.text);
}

#[test]
fn addresses_are_written_as_in_their_country() {
    let cases = [
        (
            r#"{"line1": "Chalk Farm Road", "city": "London", "postalCode": "NW1 8EH", "country": "GB"}"#,
            vec!["Chalk Farm Road", "London NW1 8EH", "United Kingdom"],
        ),
        (
            r#"{"line1": "4 Pennsylvania Plaza", "line2": "Floor 2", "city": "New York", "region": "NY", "postalCode": "10001", "country": "US"}"#,
            vec![
                "4 Pennsylvania Plaza",
                "Floor 2",
                "New York, NY 10001",
                "United States",
            ],
        ),
        (
            r#"{"line1": "Mühlenstraße 12", "city": "Berlin", "postalCode": "10243", "country": "DE"}"#,
            vec!["Mühlenstraße 12", "10243 Berlin", "Germany"],
        ),
        (
            r#"{"line1": "Av. 16 de Julio", "city": "La Paz", "country": "BO"}"#,
            vec!["Av. 16 de Julio", "La Paz", "Bolivia"],
        ),
        (
            r#"{"line1": "1 Main St", "city": "Town", "region": "Region", "postalCode": "123", "country": "ZZ"}"#,
            vec!["1 Main St", "Town, Region 123", "ZZ"],
        ),
    ];
    for (address, want) in cases {
        let (event, venue) = resources(address, "UTC");
        assert_eq!(event_info(&event, &venue).venue.address, want, "{address}");
    }
}
