//! Rules across objects, which CEL cannot check: the Event's venue exists,
//! its tiers agree with it. Pure: takes the dereferenced objects, returns
//! the problems with a reason (for the `Degraded` condition and the
//! Kubernetes Event) and a message saying what to fix.

use std::collections::BTreeMap;

use sellout_crds::venue::Section;
use sellout_crds::{EventSpec, TicketTier, Venue};

/// One thing wrong with a resource (an Event and its tiers, an
/// Organization): a reason and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Short CamelCase reason, e.g. `VenueNotFound`.
    pub reason: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

fn problem(reason: &'static str, message: String) -> Problem {
    Problem { reason, message }
}

/// Checks the event against its venue (if found) and tiers; empty when
/// everything is consistent.
pub fn validate(spec: &EventSpec, venue: Option<&Venue>, tiers: &[TicketTier]) -> Vec<Problem> {
    let mut out = Vec::new();
    if spec.workers.pool == sellout_crds::event::WorkerPool::Shared {
        out.push(problem(
            "SharedPoolUnavailable",
            "the shared worker pool is not available yet, so nothing could sell this event's tickets: set spec.workers.pool to Dedicated".into(),
        ));
    }
    let Some(venue) = venue else {
        out.push(problem(
            "VenueNotFound",
            format!(
                "venue {:?} does not exist in this namespace: create it or fix spec.venueRef.name",
                spec.venue_ref.name
            ),
        ));
        return out;
    };
    let sections: BTreeMap<&str, &Section> = venue
        .spec
        .sections
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    let mut tables_sold: BTreeMap<&str, i64> = BTreeMap::new();
    for tier in tiers {
        let name = tier.metadata.name.as_deref().unwrap_or("?");
        let t = &tier.spec;
        if t.price.currency != spec.currency {
            out.push(problem(
                "CurrencyMismatch",
                format!(
                    "tier {name} is priced in {} but the event sells in {}: set spec.price.currency to {}",
                    t.price.currency, spec.currency, spec.currency
                ),
            ));
        }
        let Some(section_name) = t.section.as_deref() else {
            if t.table.is_some() {
                out.push(problem(
                    "TableWithoutSection",
                    format!("tier {name} sells tables but names no section: set spec.section to a tables section of the venue"),
                ));
            }
            continue;
        };
        let Some(section) = sections.get(section_name) else {
            out.push(problem(
                "UnknownSection",
                format!(
                    "tier {name} admits to section {section_name:?}, which venue {} does not have (it has: {})",
                    spec.venue_ref.name,
                    sections.keys().copied().collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        };
        match (&section.tables, &t.table) {
            (Some(tables), Some(unit)) => {
                if unit.seats != tables.seats_per_table {
                    out.push(problem(
                        "TableSizeMismatch",
                        format!(
                            "tier {name} sells tables of {} but section {section_name} has tables of {}",
                            unit.seats, tables.seats_per_table
                        ),
                    ));
                }
                *tables_sold.entry(section_name).or_default() += t.quantity;
            }
            (Some(_), None) => out.push(problem(
                "TableSoldBySeat",
                format!(
                    "tier {name} sells section {section_name}, which is tables: set spec.table.seats so each table is sold whole"
                ),
            )),
            (None, Some(_)) => out.push(problem(
                "NotATableSection",
                format!("tier {name} sells tables but section {section_name} has no tables"),
            )),
            (None, None) => {}
        }
    }
    for (section_name, quantity) in tables_sold {
        let count = sections[section_name]
            .tables
            .as_ref()
            .map_or(0, |t| i64::from(t.count));
        if quantity > count {
            out.push(problem(
                "TooManyTables",
                format!(
                    "tiers sell {quantity} tables in section {section_name}, which has {count}: lower their quantities"
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn venue() -> Venue {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Venue",
            "metadata": {"name": "hall", "namespace": "ns"},
            "spec": {
                "displayName": "Hall",
                "address": {"line1": "1 Road", "city": "Town", "country": "GB"},
                "timezone": "Europe/London", "capacity": 500,
                "sections": [
                    {"name": "floor", "generalAdmission": {"capacity": 400}},
                    {"name": "vip", "tables": {"count": 10, "seatsPerTable": 8}}
                ]
            }
        }))
        .unwrap()
    }

    fn event() -> EventSpec {
        serde_json::from_value(serde_json::json!({
            "title": "Show", "venueRef": {"name": "hall"}, "currency": "GBP",
            "days": [{"doorsAt": "2027-01-01T18:00:00Z", "startsAt": "2027-01-01T19:00:00Z", "endsAt": "2027-01-01T23:00:00Z"}],
            "onSaleAt": "2026-12-01T10:00:00Z"
        }))
        .unwrap()
    }

    fn tier(name: &str, extra: serde_json::Value) -> TicketTier {
        let mut spec = serde_json::json!({
            "eventRef": {"name": "show"}, "displayName": name,
            "price": {"amountMinor": 1000, "currency": "GBP"}, "quantity": 5
        });
        for (k, v) in extra.as_object().unwrap() {
            spec[k] = v.clone();
        }
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
            "metadata": {"name": name, "namespace": "ns"}, "spec": spec
        }))
        .unwrap()
    }

    fn reasons(v: Option<&Venue>, tiers: &[TicketTier]) -> Vec<&'static str> {
        validate(&event(), v, tiers)
            .into_iter()
            .map(|p| p.reason)
            .collect()
    }

    #[test]
    fn consistent_event_has_no_problems() {
        let v = venue();
        let tiers = [
            tier("ga", serde_json::json!({"section": "floor"})),
            tier(
                "tables",
                serde_json::json!({"section": "vip", "table": {"seats": 8}}),
            ),
            tier("anywhere", serde_json::json!({})),
        ];
        assert_eq!(reasons(Some(&v), &tiers), Vec::<&str>::new());
    }

    #[test]
    fn each_inconsistency_is_named() {
        let v = venue();
        let cases = [
            (
                tier(
                    "a",
                    serde_json::json!({"price": {"amountMinor": 1, "currency": "USD"}}),
                ),
                "CurrencyMismatch",
            ),
            (
                tier("b", serde_json::json!({"section": "stalls"})),
                "UnknownSection",
            ),
            (
                tier("c", serde_json::json!({"section": "vip"})),
                "TableSoldBySeat",
            ),
            (
                tier(
                    "d",
                    serde_json::json!({"section": "floor", "table": {"seats": 8}}),
                ),
                "NotATableSection",
            ),
            (
                tier(
                    "e",
                    serde_json::json!({"section": "vip", "table": {"seats": 6}}),
                ),
                "TableSizeMismatch",
            ),
            (
                tier("f", serde_json::json!({"table": {"seats": 8}})),
                "TableWithoutSection",
            ),
            (
                tier(
                    "g",
                    serde_json::json!({"section": "vip", "table": {"seats": 8}, "quantity": 11}),
                ),
                "TooManyTables",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(reasons(Some(&v), &[t]), vec![want]);
        }
        assert_eq!(reasons(None, &[]), vec!["VenueNotFound"]);
        let msg = &validate(&event(), None, &[])[0].message;
        assert!(
            msg.contains("\"hall\"") && msg.contains("spec.venueRef.name"),
            "{msg}"
        );
    }

    #[test]
    fn the_shared_pool_is_refused_until_it_exists() {
        let mut e = event_spec_for_pool_test();
        e.workers.pool = sellout_crds::event::WorkerPool::Shared;
        let p = validate(&e, None, &[]);
        assert_eq!(p[0].reason, "SharedPoolUnavailable");
        assert!(
            p[0].message.contains("spec.workers.pool"),
            "{}",
            p[0].message
        );
    }

    fn event_spec_for_pool_test() -> sellout_crds::event::EventSpec {
        serde_json::from_value(serde_json::json!({
            "title": "T", "venueRef": {"name": "v"}, "currency": "GBP",
            "days": [{"doorsAt": "2027-01-01T18:00:00Z", "startsAt": "2027-01-01T19:00:00Z", "endsAt": "2027-01-01T23:00:00Z"}],
            "onSaleAt": "2026-12-01T10:00:00Z"
        }))
        .unwrap()
    }
}
