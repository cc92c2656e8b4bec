//! The calendar attached to an order confirmation.

use icalendar::{Calendar, Component, EventLike, Property};
use jiff::Timestamp;

use super::{EmailError, OrderConfirmation, format};

/// `20260613T183000Z`: a UTC date-time as iCalendar writes it.
fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The calendar for an order: one `VEVENT` per day of the event, from
/// its start to its end, in UTC, at the venue. Each UID is derived from the order,
/// the event and the day only, so sending the confirmation again updates
/// the buyer's calendar entry instead of adding a second one. `DTSTAMP` is
/// the order's time, so the same order always gives the same bytes.
pub fn calendar(order: &OrderConfirmation) -> Result<String, EmailError> {
    let event = &order.event;
    if event.days.is_empty() {
        return Err(EmailError::NoDays(event.id.clone()));
    }
    let base = super::digest("", &[&order.order_id, &event.id]);
    let tz = format::time_zone(&event.venue.timezone)?;
    // Titles and addresses are promoter input; icalendar does not escape a
    // bare CR, which could start a new property: control characters go.
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let title = clean(&event.title);
    let mut cal = Calendar::new();
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(&title);
    let location = clean(&event.venue.one_line());
    let many = event.days.len() > 1;
    for (i, day) in event.days.iter().enumerate() {
        let summary = if many {
            format!("{title} (day {})", i + 1)
        } else {
            title.clone()
        };
        let description = format!(
            "Order {}. Doors open at {}, the show starts at {} ({}). \
             Show your tickets' QR codes from the order confirmation at the door.",
            clean(&order.order_number),
            format::time(day.doors_at, &tz),
            format::time(day.starts_at, &tz),
            format::zone_abbreviation(day.starts_at, &tz),
        );
        let vevent = icalendar::Event::new()
            .uid(&format!("{base}-{}@sellout", i + 1))
            .add_property("DTSTAMP", utc(order.placed_at))
            .add_property("DTSTART", utc(day.starts_at))
            .add_property("DTEND", utc(day.ends_at))
            .summary(&summary)
            .location(&location)
            .description(&description)
            .add_property("SEQUENCE", "0")
            .add_property("STATUS", "CONFIRMED")
            .add_property("TRANSP", "OPAQUE")
            .done();
        cal.push(vevent);
    }
    Ok(cal.done().to_string())
}
