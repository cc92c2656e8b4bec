//! Door staff's views: the events on today (of every organization where
//! the caller is SCANNER or above) and check-in counts per day.
//!
//! Scanning itself (scan, un-scan, offline sync, live check-ins) comes with
//! the scanning workers; the counts here are the operator's `status`.

use async_graphql::{Context, Error, Object, SimpleObject};
use sellout_crds::Event;
use sellout_crds::organization::Role;

use super::Deps;
use crate::auth;
use crate::error::{self, gql_error};

/// One day of an event, as door staff see it.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct ScanDay {
    /// `<organization namespace>/<event name>`.
    pub event: String,
    /// The event's title.
    pub title: String,
    /// The Venue's name.
    pub venue: String,
    /// Day number, from 1.
    pub day: i32,
    /// Doors open (RFC 3339).
    pub doors_at: String,
    /// The show starts (RFC 3339).
    pub starts_at: String,
    /// The day ends (RFC 3339).
    pub ends_at: String,
    /// Tickets checked in on that day so far.
    pub checked_in: i64,
}

/// Check-ins of one day of an event.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct CheckInCount {
    /// Day number, from 1.
    pub day: i32,
    /// Tickets checked in.
    pub checked_in: i64,
}

/// The days of `event` that door staff work at `at` (ms since the epoch):
/// from 12 h before doors to 6 h after the end.
fn days_on(event: &Event, at: i64) -> Vec<ScanDay> {
    let ns = event.metadata.namespace.clone().unwrap_or_default();
    let name = event.metadata.name.clone().unwrap_or_default();
    let counts = event
        .status
        .as_ref()
        .map(|s| s.checked_in.as_slice())
        .unwrap_or_default();
    event
        .spec
        .days
        .iter()
        .enumerate()
        .filter(|(_, d)| d.scanned_at(at))
        .map(|(i, d)| {
            let day = i as i32 + 1;
            ScanDay {
                event: format!("{ns}/{name}"),
                title: event.spec.title.clone(),
                venue: event.spec.venue_ref.name.clone(),
                day,
                doors_at: d.doors_at.0.to_string(),
                starts_at: d.starts_at.0.to_string(),
                ends_at: d.ends_at.0.to_string(),
                checked_in: counts
                    .iter()
                    .find(|c| c.day == day)
                    .map_or(0, |c| c.checked_in),
            }
        })
        .collect()
}

/// Door staff's queries.
#[derive(Default)]
pub struct ScanningQuery;

#[Object]
impl ScanningQuery {
    /// The event days the caller can scan at `at` (RFC 3339; default now):
    /// events of every organization where they are SCANNER or above, with a
    /// day from 12 hours before doors to 6 hours after its end; by doors.
    async fn scan_days(
        &self,
        ctx: &Context<'_>,
        at: Option<String>,
    ) -> Result<Vec<ScanDay>, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let at = match at {
            Some(s) => s.parse::<jiff::Timestamp>().map_err(|e| {
                gql_error(
                    error::BAD_REQUEST,
                    format!("at {s:?} is not an RFC 3339 time like 2026-11-25T19:00:00Z: {e}"),
                )
            })?,
            None => jiff::Timestamp::now(),
        }
        .as_millisecond();
        let mut days: Vec<ScanDay> = deps
            .catalog
            .events()
            .iter()
            .filter(|e| {
                let ns = e.metadata.namespace.as_deref().unwrap_or_default();
                deps.auth
                    .role_in(&deps.catalog, &who.login, ns)
                    .is_some_and(|r| r <= Role::Scanner)
            })
            .flat_map(|e| days_on(e, at))
            .collect();
        days.sort_by(|a, b| {
            a.doors_at
                .cmp(&b.doors_at)
                .then_with(|| a.event.cmp(&b.event))
        });
        Ok(days)
    }

    /// Check-ins per day of an event (`slug` = `<namespace>/<name>`), as the
    /// operator last counted them. SCANNER or above.
    async fn check_in_counts(
        &self,
        ctx: &Context<'_>,
        event: String,
    ) -> Result<Vec<CheckInCount>, Error> {
        let (ns, name) = super::public::split_slug(&event)?;
        auth::require(ctx, ns, Role::Scanner)?;
        let deps = ctx.data::<Deps>()?;
        let e = deps
            .catalog
            .event(ns, name)
            .await
            .map_err(|e| error::unavailable("the catalog", e))?
            .ok_or_else(|| gql_error(error::UNKNOWN_EVENT, format!("no event {event}")))?;
        let counts = e
            .status
            .as_ref()
            .map(|s| s.checked_in.as_slice())
            .unwrap_or_default();
        Ok((1..=e.spec.days.len() as i32)
            .map(|day| CheckInCount {
                day,
                checked_in: counts
                    .iter()
                    .find(|c| c.day == day)
                    .map_or(0, |c| c.checked_in),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn door_staff_see_a_day_from_12_hours_before_doors_to_6_after_the_end() {
        let event: Event = serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
            "metadata": {"name": "fest", "namespace": "x"},
            "spec": {"title": "Fest", "venueRef": {"name": "park"}, "currency": "GBP",
                     "onSaleAt": "2026-01-01T10:00:00Z",
                     "days": [
                        {"doorsAt": "2026-07-01T16:00:00Z", "startsAt": "2026-07-01T17:00:00Z", "endsAt": "2026-07-01T23:00:00Z"},
                        {"doorsAt": "2026-07-02T16:00:00Z", "startsAt": "2026-07-02T17:00:00Z", "endsAt": "2026-07-02T23:00:00Z"}]},
            "status": {"checkedIn": [{"day": 2, "checkedIn": 40}]}
        }))
        .unwrap();
        let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        assert!(days_on(&event, at("2026-07-01T03:59:00Z")).is_empty());
        let d = days_on(&event, at("2026-07-01T04:00:00Z"));
        assert_eq!((d.len(), d[0].day, d[0].checked_in), (1, 1, 0));
        // 05:00 on the 2nd: day 1 ended 6 h ago, day 2's doors are 11 h away.
        let d = days_on(&event, at("2026-07-02T04:59:00Z"));
        assert_eq!(d.iter().map(|d| d.day).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(d[1].checked_in, 40);
        assert_eq!(d[1].event, "x/fest");
        assert!(days_on(&event, at("2026-07-03T05:00:00Z")).is_empty());
    }
}
