//! The mail each stream message becomes: an `OrderCompleted` the order
//! confirmation ([`order_confirmation`]), an `OrderRefunded` the refund
//! notice ([`refund_notice`]), and the event as mail shows it
//! ([`event_info`], with postal addresses written as each country does).
//! Pure: no I/O.

use jiff::Timestamp;
use sellout_common::money::Money;
use sellout_common::proto::v1::{self as pb, OrderCompleted};

use super::{Charge, Email, EventDay, EventInfo, OrderConfirmation, OrderLine, TicketQr, Venue};
use crate::ticket;

/// Why a stream message cannot become a mail.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("order {order_id:?}: {problem}")]
pub struct BadOrder {
    /// The order.
    pub order_id: String,
    /// What is wrong with it.
    pub problem: String,
}

/// The order confirmation of `order` about `event`, with one QR image per
/// ticket (from its signed payload), and the address to send it to (not
/// checked here).
pub fn order_confirmation(
    order: OrderCompleted,
    event: EventInfo,
) -> Result<(Email, String), BadOrder> {
    let bad = |problem: String| BadOrder {
        order_id: order.order_id.clone(),
        problem,
    };
    let money = |m: Option<pb::Money>, what: &str| -> Result<Money, BadOrder> {
        let m = m.ok_or_else(|| bad(format!("{what} has no amount")))?;
        Money::try_from(m).map_err(|e| bad(format!("{what}: {e}")))
    };
    if order.order_id.is_empty() {
        return Err(bad("no order id".into()));
    }
    let mut lines = Vec::with_capacity(order.lines.len());
    for l in &order.lines {
        lines.push(OrderLine {
            description: l.description.clone(),
            quantity: u32::try_from(l.quantity)
                .map_err(|_| bad(format!("line {:?} has quantity {}", l.tier, l.quantity)))?,
            unit_price: money(l.unit_price.clone(), "a line's unit price")?,
            amount: money(l.amount.clone(), "a line's amount")?,
        });
    }
    let mut charges = Vec::with_capacity(order.charges.len());
    for c in &order.charges {
        charges.push(Charge {
            label: c.label.clone(),
            amount: money(c.amount.clone(), "a charge")?,
        });
    }
    let mut tickets = Vec::with_capacity(order.tickets.len());
    for t in &order.tickets {
        let png = ticket::qr_png(&t.qr_payload)
            .map_err(|e| bad(format!("ticket {}: {e}", t.ticket_id)))?;
        tickets.push(TicketQr {
            ticket_id: t.ticket_id.clone(),
            label: t.label.clone(),
            png,
        });
    }
    let placed_at = Timestamp::from_millisecond(order.placed_at_ms)
        .map_err(|e| bad(format!("placed_at_ms {}: {e}", order.placed_at_ms)))?;
    let total = money(order.total.clone(), "the total")?;
    let email = Email::OrderConfirmation(OrderConfirmation {
        order_number: order.order_number,
        buyer_name: Some(order.buyer_name).filter(|n| !n.trim().is_empty()),
        placed_at,
        event,
        lines,
        charges,
        total,
        tickets,
        order_id: order.order_id,
        resend: None,
    });
    Ok((email, order.buyer_email))
}

/// The refund notice of `refund` about `event` (the event-cancelled mail,
/// with the refund, when the event was called off), and the address to
/// send it to.
pub fn refund_notice(
    refund: pb::OrderRefunded,
    event: EventInfo,
) -> Result<(Email, String), BadOrder> {
    let bad = |problem: String| BadOrder {
        order_id: refund.order_id.clone(),
        problem,
    };
    if refund.order_id.is_empty() || refund.refund_id.is_empty() {
        return Err(bad("no order or refund id".into()));
    }
    let total = refund
        .amount
        .clone()
        .ok_or_else(|| bad("the refund has no amount".into()))?;
    let total = Money::try_from(total).map_err(|e| bad(format!("the amount: {e}")))?;
    if refund.reason == crate::orders::EVENT_CANCELLED {
        // The event was called off: the buyer hears that, with the refund.
        let email = Email::EventCancelled(super::EventCancelled {
            order_id: refund.order_id,
            order_number: refund.order_number,
            event,
            refund: Some(total),
            note: None,
        });
        return Ok((email, refund.buyer_email));
    }
    let n = refund.ticket_ids.len();
    let mut label = format!("{n} ticket{}", if n == 1 { "" } else { "s" });
    if refund.fees_returned {
        label.push_str(", with the booking and service fees");
    }
    let email = Email::Refund(super::Refund {
        order_id: refund.order_id,
        refund_id: refund.refund_id,
        order_number: refund.order_number,
        event,
        items: vec![Charge {
            label,
            amount: total,
        }],
        total,
    });
    Ok((email, refund.buyer_email))
}

/// The event as mail shows it, from its `Event` and `Venue`: id
/// `<namespace>/<name>`, title, venue name, postal address (one line per
/// element, the locality written as is usual in the venue's country, the
/// country's English name last), time zone, and days.
pub fn event_info(event: &sellout_crds::Event, venue: &sellout_crds::Venue) -> EventInfo {
    let meta = &event.metadata;
    EventInfo {
        id: format!(
            "{}/{}",
            meta.namespace.as_deref().unwrap_or_default(),
            meta.name.as_deref().unwrap_or_default()
        ),
        title: event.spec.title.clone(),
        venue: Venue {
            name: venue.spec.display_name.clone(),
            address: address_lines(&venue.spec.address),
            timezone: venue.spec.timezone.clone(),
        },
        days: event
            .spec
            .days
            .iter()
            .map(|d| EventDay {
                doors_at: d.doors_at.0,
                starts_at: d.starts_at.0,
                ends_at: d.ends_at.0,
            })
            .collect(),
    }
}

/// Countries that write the postal code before the town ("75001 Paris").
const POSTCODE_FIRST: [&str; 22] = [
    "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "HR", "IS", "IT", "LI", "LU", "MX",
    "NL", "NO", "PL", "PT", "SE", "SK",
];
/// Countries that write "Town, REGION POSTCODE".
const REGION_POSTCODE: [&str; 3] = ["AU", "CA", "US"];

fn address_lines(a: &sellout_crds::venue::Address) -> Vec<String> {
    fn nonempty(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let postcode = nonempty(&a.postal_code);
    let region = nonempty(&a.region);
    let city = a.city.trim();
    let join = |parts: &[Option<&str>]| {
        parts
            .iter()
            .flatten()
            .copied()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let country = a.country.as_str();
    let locality = if POSTCODE_FIRST.contains(&country) {
        join(&[postcode, Some(city)])
    } else if REGION_POSTCODE.contains(&country) {
        match region {
            Some(r) => format!("{city}, {}", join(&[Some(r), postcode])),
            None => join(&[Some(city), postcode]),
        }
    } else {
        let town = match region {
            Some(r) => format!("{city}, {r}"),
            None => city.to_owned(),
        };
        join(&[Some(&town), postcode])
    };
    [
        Some(a.line1.trim().to_owned()),
        nonempty(&a.line2).map(str::to_owned),
        Some(locality),
        Some(country_name(country)),
    ]
    .into_iter()
    .flatten()
    .filter(|l| !l.is_empty())
    .collect()
}

/// The short English name of an ISO 3166-1 alpha-2 code ("GB" → "United
/// Kingdom"); the code itself when unknown.
fn country_name(code: &str) -> String {
    let short = match code {
        "GB" => Some("United Kingdom"),
        "US" => Some("United States"),
        "KR" => Some("South Korea"),
        "KP" => Some("North Korea"),
        "TW" => Some("Taiwan"),
        "CZ" => Some("Czechia"),
        "RU" => Some("Russia"),
        "CD" => Some("DR Congo"),
        "VN" => Some("Vietnam"),
        "LA" => Some("Laos"),
        _ => None,
    };
    if let Some(s) = short {
        return s.to_owned();
    }
    let Ok(country) = code.parse::<iso_currency::Country>() else {
        return code.to_owned();
    };
    let name = country.name();
    // "Bolivia (Plurinational State of)", "Moldova, Republic of".
    let name = name.split(" (").next().unwrap_or(name);
    let name = match name.split_once(", ") {
        Some((head, tail)) if tail.ends_with(" of") => head,
        _ => name,
    };
    if name.is_empty() {
        code.to_owned()
    } else {
        name.to_owned()
    }
}
