//! Rendering, calendar and message structure, without a server.

use icalendar::{Component, EventLike};
use jiff::Timestamp;
use sellout_common::money::{Currency, Money};

use super::*;

fn gbp(minor: i64) -> Money {
    Money::new(minor, Currency::parse("GBP").unwrap())
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn brand() -> Brand {
    Brand {
        organization: "Roundhouse Presents".into(),
        legal_line:
            "Roundhouse Presents Ltd, Chalk Farm Road, London NW1 8EH. Company no. 01234567.".into(),
        support_email: Some("help@roundhouse.example".into()),
    }
}

fn event(title: &str) -> EventInfo {
    EventInfo {
        id: "roundhouse/summer-nights".into(),
        title: title.into(),
        venue: Venue {
            name: "The Roundhouse".into(),
            address: vec![
                "Chalk Farm Road".into(),
                "London NW1 8EH".into(),
                "United Kingdom".into(),
            ],
            timezone: "Europe/London".into(),
        },
        days: vec![EventDay {
            doors_at: ts("2026-06-13T17:30:00Z"),
            starts_at: ts("2026-06-13T18:30:00Z"),
            ends_at: ts("2026-06-13T22:00:00Z"),
        }],
    }
}

fn order(title: &str) -> OrderConfirmation {
    OrderConfirmation {
        order_id: "ord_01HZX".into(),
        order_number: "SO-7K2M-94".into(),
        buyer_name: Some("Ada".into()),
        placed_at: ts("2026-05-01T10:00:00Z"),
        event: event(title),
        lines: vec![OrderLine {
            description: "General admission".into(),
            quantity: 2,
            unit_price: gbp(7500),
            amount: gbp(15000),
        }],
        charges: vec![
            Charge {
                label: "Booking fee".into(),
                amount: gbp(300),
            },
            Charge {
                label: "Promo SUMMER".into(),
                amount: gbp(-1000),
            },
        ],
        total: gbp(14300),
        tickets: vec![
            TicketQr {
                ticket_id: "T-0001".into(),
                label: "General admission".into(),
                png: vec![0x89, b'P', b'N', b'G', 1],
            },
            TicketQr {
                ticket_id: "T-0002".into(),
                label: "General admission".into(),
                png: vec![0x89, b'P', b'N', b'G', 2],
            },
        ],
        resend: None,
    }
}

/// One of every kind (and both reminders, and a cancellation with and
/// without a known refund).
fn every_kind(title: &str) -> Vec<Email> {
    vec![
        Email::OrderConfirmation(order(title)),
        Email::Refund(Refund {
            order_id: "ord_01HZX".into(),
            refund_id: "re_1".into(),
            order_number: "SO-7K2M-94".into(),
            event: event(title),
            items: vec![Charge {
                label: "General admission, ticket T-0002".into(),
                amount: gbp(7500),
            }],
            total: gbp(7500),
        }),
        Email::EventReminder(EventReminder {
            order_id: "ord_01HZX".into(),
            order_number: "SO-7K2M-94".into(),
            event: event(title),
            kind: ReminderKind::TwoWeeks,
            tickets: 2,
        }),
        Email::EventReminder(EventReminder {
            order_id: "ord_01HZX".into(),
            order_number: "SO-7K2M-94".into(),
            event: event(title),
            kind: ReminderKind::EightHours,
            tickets: 1,
        }),
        Email::EventCancelled(EventCancelled {
            order_id: "ord_01HZX".into(),
            order_number: "SO-7K2M-94".into(),
            event: event(title),
            refund: Some(gbp(14300)),
            note: Some("The headliner is ill. Get well soon!".into()),
        }),
        Email::EventCancelled(EventCancelled {
            order_id: "ord_01HZX".into(),
            order_number: "SO-7K2M-94".into(),
            event: event(title),
            refund: None,
            note: None,
        }),
        Email::LoginCode(LoginCode {
            request_id: "login_42".into(),
            code: "481 027".into(),
            expires_at: ts("2026-05-01T10:10:00Z"),
            valid_minutes: 10,
            timezone: "Europe/London".into(),
        }),
    ]
}

/// The facts each kind must state, in both alternatives.
fn facts(email: &Email) -> Vec<&'static str> {
    let event = [
        "Summer Nights",
        "Saturday 13 June 2026",
        "18:30",
        "19:30",
        "23:00",
        "BST",
        "The Roundhouse",
        "Chalk Farm Road",
        "London NW1 8EH",
        "Roundhouse Presents",
        "Company no. 01234567",
    ];
    let mut f: Vec<&str> = match email {
        Email::LoginCode(_) => vec![
            "481 027",
            "10 minutes",
            "11:10",
            "Roundhouse Presents",
            "Company no. 01234567",
        ],
        _ => event.to_vec(),
    };
    match email {
        Email::OrderConfirmation(_) => f.extend([
            "SO-7K2M-94",
            "Ada",
            "General admission",
            "£75.00",
            "£150.00",
            "Booking fee",
            "£3.00",
            "Promo SUMMER",
            "-£10.00",
            "£143.00",
            "T-0001",
            "T-0002",
        ]),
        Email::Refund(_) => f.extend(["SO-7K2M-94", "ticket T-0002", "£75.00"]),
        Email::EventReminder(r) => f.extend(match r.kind {
            ReminderKind::TwoWeeks => ["SO-7K2M-94", "A reminder", "2 tickets"],
            ReminderKind::EightHours => ["SO-7K2M-94", "A reminder", "1 ticket"],
        }),
        Email::EventCancelled(c) => {
            f.extend(["SO-7K2M-94", "cancelled"]);
            if c.refund.is_some() {
                f.extend(["£143.00", "The headliner is ill"]);
            } else {
                f.push("We will write again");
            }
        }
        Email::LoginCode(_) => {}
    }
    f
}

#[test]
fn every_template_renders_with_its_facts_in_both_alternatives() {
    for email in every_kind("Summer Nights") {
        let r = email
            .render(&brand())
            .unwrap_or_else(|e| panic!("{}: {e}", email.kind()));
        assert!(r.html.starts_with("<!doctype html>"), "{}", email.kind());
        assert!(r.html.contains("lang=\"en\""), "{}", email.kind());
        for leftover in ["{{", "{%", "<mj-"] {
            assert!(!r.html.contains(leftover), "{}: {leftover}", email.kind());
            assert!(!r.text.contains(leftover), "{}: {leftover}", email.kind());
        }
        // The plain text is plain.
        assert!(!r.text.contains('<'), "{}:\n{}", email.kind(), r.text);
        for fact in facts(&email) {
            let html_fact = fact.replace('\'', "&#x27;");
            assert!(
                r.html.contains(&html_fact),
                "{}: HTML lacks {fact:?}",
                email.kind()
            );
            assert!(
                r.text.contains(fact),
                "{}: text lacks {fact:?}:\n{}",
                email.kind(),
                r.text
            );
        }
        assert!(!r.subject.is_empty());
        assert!(!r.text.contains("\n\n\n"), "{}:\n{}", email.kind(), r.text);
    }
}

#[test]
fn order_confirmation_references_each_qr_by_content_id_with_alt_text() {
    let email = Email::OrderConfirmation(order("Summer Nights"));
    let r = email.render(&brand()).unwrap();
    for i in 0..2 {
        let cid = email.qr_content_id(i);
        assert!(r.html.contains(&format!("src=\"cid:{cid}\"")), "{cid}");
    }
    assert!(!r.html.contains(&email.qr_content_id(2)));
    assert_eq!(r.html.matches("alt=\"QR code of ticket T-000").count(), 2);
    assert_eq!(
        r.subject,
        "Your tickets for Summer Nights (order SO-7K2M-94)"
    );
}

#[test]
fn variables_are_html_escaped() {
    let title = "<script>alert(1)</script> & \"Friends\"";
    for email in every_kind(title) {
        let mut email = email;
        if let Email::OrderConfirmation(o) = &mut email {
            o.tickets[0].label = "\"><img src=x onerror=alert(1)>".into();
        }
        let r = email.render(&brand()).unwrap();
        assert!(!r.html.contains("<script>"), "{}", email.kind());
        assert!(!r.html.contains("<img src=x"), "{}", email.kind());
        if !matches!(email, Email::LoginCode(_)) {
            assert!(
                r.html.contains(
                    "&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &quot;Friends&quot;"
                ),
                "{}",
                email.kind()
            );
            // Plain text is not HTML: it shows the title as it is.
            assert!(r.text.contains(title), "{}", email.kind());
        }
    }
    let mut b = brand();
    b.organization = "A&B <Events>".into();
    let email = &every_kind("x")[6];
    let r = email.render(&b).unwrap();
    assert!(r.html.contains("A&amp;B &lt;Events&gt;"));
    assert!(!r.html.contains("<Events>"));
}

#[test]
fn amounts_use_the_currency_minor_units() {
    let jpy = |minor| Money::new(minor, Currency::parse("JPY").unwrap());
    let mut o = order("Tokyo Nights");
    o.lines[0].unit_price = jpy(5000);
    o.lines[0].amount = jpy(10000);
    o.charges.clear();
    o.total = jpy(10000);
    let r = Email::OrderConfirmation(o).render(&brand()).unwrap();
    for s in ["¥5,000", "¥10,000"] {
        assert!(r.html.contains(s) && r.text.contains(s), "{s}");
    }
    assert!(!r.text.contains("¥50.00"));
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let mut o = order("x");
    o.event.venue.timezone = "Europe/Atlantis".into();
    assert_eq!(
        Email::OrderConfirmation(o).render(&brand()),
        Err(EmailError::UnknownTimeZone("Europe/Atlantis".into()))
    );
    let mut o = order("x");
    o.event.days.clear();
    assert!(matches!(
        Email::OrderConfirmation(o.clone()).render(&brand()),
        Err(EmailError::NoDays(_))
    ));
    assert!(matches!(calendar(&o), Err(EmailError::NoDays(_))));
    let mut o = order("x");
    o.total = Money::new(1, Currency::parse("ZZZ").unwrap());
    assert_eq!(
        Email::OrderConfirmation(o).render(&brand()),
        Err(EmailError::UnknownCurrency("ZZZ".into()))
    );
}

#[test]
fn mjml_problems_are_errors() {
    // An attribute mrml does not expect is a warning; we refuse it.
    let bad = "<mjml lnag=\"en\"><mj-body><mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section></mj-body></mjml>";
    assert!(matches!(
        render::mjml_to_html("t", bad),
        Err(EmailError::Mjml { .. })
    ));
    assert!(render::mjml_to_html("t", "<mjml><mj-body>").is_err());
    let good = bad.replace("lnag", "lang");
    assert!(render::mjml_to_html("t", &good).is_ok());
}

#[test]
fn keys_and_message_ids_are_deterministic_per_order_and_kind() {
    let sender = Sender::new("Sellout <tickets@sellout.example>").unwrap();
    let all = every_kind("x");
    let again = every_kind("a different title");
    let mut ids = std::collections::HashSet::new();
    for (a, b) in all.iter().zip(&again) {
        let id = a.message_id(&sender);
        assert_eq!(id, b.message_id(&sender), "{}", a.kind());
        assert!(id.starts_with(&format!("<{}.", a.kind())), "{id}");
        assert!(id.ends_with("@sellout.example>"), "{id}");
        ids.insert(id);
    }
    // The two cancellations share order and kind: one id.
    assert_eq!(ids.len(), all.len() - 1);
    let mut other = order("x");
    other.order_id = "ord_other".into();
    assert_ne!(
        Email::message_id(&Email::OrderConfirmation(other), &sender),
        Email::message_id(&all[0], &sender)
    );
}

#[test]
fn a_resent_confirmation_is_its_own_mail_once_per_window() {
    let sender = Sender::new("Sellout <tickets@sellout.example>").unwrap();
    let first = Email::OrderConfirmation(order("x"));
    let copy = |window: &str| {
        let mut o = order("x");
        o.resend = Some(window.into());
        Email::OrderConfirmation(o)
    };
    assert_ne!(copy("1").key(), first.key());
    assert_ne!(copy("1").message_id(&sender), first.message_id(&sender));
    assert_eq!(copy("1").key(), copy("1").key(), "one copy per window");
    assert_ne!(copy("1").key(), copy("2").key());
    // The calendar entry is the same event either way.
    let Email::OrderConfirmation(c) = copy("1") else {
        unreachable!()
    };
    assert_eq!(calendar(&c).unwrap(), calendar(&order("x")).unwrap());
}

#[test]
fn calendar_has_a_stable_uid_utc_times_and_the_venue() {
    let o = order("Summer Nights");
    let ics = calendar(&o).unwrap();
    assert_eq!(ics, calendar(&o).unwrap(), "same order, same bytes");
    assert!(ics.contains("METHOD:PUBLISH"));
    assert!(ics.contains("DTSTART:20260613T183000Z"), "{ics}");
    assert!(ics.contains("DTEND:20260613T220000Z"), "{ics}");
    let cal: icalendar::Calendar = ics.parse().unwrap();
    let events: Vec<_> = cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 1);
    let e = events[0];
    assert_eq!(
        e.get_location(),
        Some("The Roundhouse, Chalk Farm Road, London NW1 8EH, United Kingdom")
    );
    assert_eq!(e.get_summary(), Some("Summer Nights"));
    let uid = e.get_uid().unwrap().to_owned();
    // A new title or time keeps the UID; another order changes it.
    let mut moved = order("Summer Nights (moved)");
    moved.event.days[0].starts_at = ts("2026-06-14T18:30:00Z");
    assert!(calendar(&moved).unwrap().contains(&format!("UID:{uid}")));
    let mut other = order("Summer Nights");
    other.order_id = "ord_other".into();
    assert!(!calendar(&other).unwrap().contains(&format!("UID:{uid}")));
}

#[test]
fn a_multi_day_event_gets_one_calendar_entry_per_day() {
    let mut o = order("Festival");
    let d = o.event.days[0];
    o.event.days.push(EventDay {
        doors_at: ts("2026-06-14T10:00:00Z"),
        starts_at: ts("2026-06-14T11:00:00Z"),
        ends_at: ts("2026-06-14T21:00:00Z"),
    });
    let ics = calendar(&o).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(ics.contains("DTSTART:20260614T110000Z"));
    assert!(ics.contains("SUMMARY:Festival (day 2)"));
    let r = Email::OrderConfirmation(o.clone())
        .render(&brand())
        .unwrap();
    assert!(
        r.text
            .contains("Sunday 14 June 2026: doors 11:00, starts 12:00")
    );
    assert_eq!(o.event.days[0], d);
}

#[test]
fn the_order_confirmation_is_mixed_alternative_related() {
    let sender = Sender::new("Sellout <tickets@sellout.example>").unwrap();
    let email = Email::OrderConfirmation(order("Summer Nights"));
    let msg = compose(&email, &brand(), &sender, "Ada <ada@example.com>").unwrap();
    let raw = String::from_utf8(msg.formatted()).unwrap();
    let pos = |s: &str| raw.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{raw}"));
    assert!(pos("multipart/mixed") < pos("multipart/alternative"));
    assert!(pos("multipart/alternative") < pos("text/plain"));
    assert!(pos("text/plain") < pos("multipart/related"));
    assert!(pos("multipart/related") < pos("text/html"));
    assert!(pos("text/html") < pos("image/png"));
    assert!(pos("image/png") < pos("text/calendar; charset=utf-8; method=PUBLISH"));
    for i in 0..2 {
        assert!(raw.contains(&format!("Content-ID: <{}>", email.qr_content_id(i))));
    }
    assert_eq!(raw.matches("Content-Disposition: inline").count(), 2);
    assert!(raw.contains("Content-Disposition: attachment; filename=\"tickets.ics\""));
    assert!(raw.contains(&format!("Message-ID: {}", email.message_id(&sender))));
    assert!(raw.contains("Reply-To: help@roundhouse.example"));
    assert!(raw.contains("From: Sellout <tickets@sellout.example>"));
}

#[test]
fn other_mails_are_just_text_and_html() {
    let sender = Sender::new("tickets@sellout.example").unwrap();
    let mut b = brand();
    b.support_email = None;
    for email in every_kind("x").into_iter().skip(1) {
        let raw = String::from_utf8(
            compose(&email, &b, &sender, "ada@example.com")
                .unwrap()
                .formatted(),
        )
        .unwrap();
        assert!(raw.contains("multipart/alternative"), "{}", email.kind());
        for absent in [
            "multipart/mixed",
            "multipart/related",
            "text/calendar",
            "Reply-To",
        ] {
            assert!(!raw.contains(absent), "{}: {absent}", email.kind());
        }
    }
    assert!(matches!(
        compose(&every_kind("x")[1], &b, &sender, "not an address"),
        Err(EmailError::Address(..))
    ));
    assert!(Sender::new("nobody").is_err());
}

#[test]
fn smtp_config_debug_hides_the_password() {
    let config = SmtpConfig {
        host: "smtp.example".into(),
        port: 587,
        credentials: Some(("apikey".into(), "s3cr3t-pa55".into())),
        tls: TlsMode::StartTls,
        timeout: std::time::Duration::from_secs(10),
    };
    let shown = format!("{config:?} {:?}", Mailer::new(config.clone()).unwrap());
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("apikey") && shown.contains("<redacted>"));
}

#[test]
fn calendar_strips_control_characters_from_promoter_text() {
    let o = order("Gig\rATTENDEE:mailto:evil@example.com");
    let ics = calendar(&o).unwrap();
    let bare_cr = ics
        .char_indices()
        .any(|(i, c)| c == '\r' && !ics[i + 1..].starts_with('\n'));
    assert!(
        !bare_cr,
        "a bare CR in the title could start a new property:\n{ics:?}"
    );
    assert!(ics.contains("Gig ATTENDEE"), "{ics:?}");
}

#[test]
fn smtp_credentials_need_tls_except_on_loopback() {
    let config = |host: &str, tls| SmtpConfig {
        host: host.into(),
        port: 25,
        credentials: Some(("user".into(), "pw".into())),
        tls,
        timeout: std::time::Duration::from_secs(10),
    };
    let err = Mailer::new(config("smtp.example", TlsMode::None)).unwrap_err();
    assert!(err.to_string().contains("without TLS"), "{err}");
    assert!(Mailer::new(config("127.0.0.1", TlsMode::None)).is_ok());
    assert!(Mailer::new(config("smtp.example", TlsMode::StartTls)).is_ok());
}
