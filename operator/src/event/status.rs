//! The Event's and its tiers' status, computed by pure functions from what
//! the reconcile observed.

use k8s_openapi::jiff::Timestamp;
use sellout_crds::event::{DayCount, EventStatus, Transition, WorkersStatus};
use sellout_crds::tier::{TicketTierStatus, TierKind};
use sellout_crds::{Event, TicketTier};

use super::data::{Names, TierCounts};
use super::schedule::PhaseNow;
use super::validate::Problem;
use crate::conditions::{ConditionType, Want, merge};

/// What the reconcile saw and did.
#[derive(Clone, Debug, Default)]
pub struct Observed {
    /// Cross-object problems (empty when consistent).
    pub problems: Vec<Problem>,
    /// Worker replicas wanted and ready; `None` without dedicated workers.
    pub workers: Option<WorkersStatus>,
    /// Inventory per tier; `None` in objects-only mode.
    pub counts: Option<Vec<TierCounts>>,
    /// External names; `None` in objects-only mode.
    pub names: Option<Names>,
    /// Check-ins per day as the scan workers projected them; `None` when
    /// none are stored (no scan yet, or objects-only mode).
    pub checked_in: Option<Vec<DayCount>>,
}

/// Whether every admission unit is sold or held (and there were some).
pub fn sold_out(counts: &[TierCounts]) -> bool {
    let admission: Vec<_> = counts.iter().filter(|c| c.admission).collect();
    !admission.is_empty()
        && admission.iter().map(|c| c.capacity).sum::<i64>() > 0
        && admission.iter().all(|c| c.available == 0)
}

/// Admissions the event can sell: admission tiers' quantities, a table
/// counting as its seats.
pub fn capacity(tiers: &[TicketTier]) -> i64 {
    tiers
        .iter()
        .filter(|t| t.spec.kind == TierKind::Admission)
        .map(|t| t.spec.quantity * t.spec.table.as_ref().map_or(1, |u| i64::from(u.seats)))
        .sum()
}

/// An inventory figure summed over admission tiers, in people (a table
/// unit counts as its seats), like [`capacity`].
fn people(
    tiers: &[TicketTier],
    counts: Option<&[TierCounts]>,
    figure: impl Fn(&TierCounts) -> i64,
) -> Option<i64> {
    let counts = counts?;
    Some(
        counts
            .iter()
            .filter(|c| c.admission)
            .map(|c| {
                let seats = tiers
                    .iter()
                    .find(|t| t.metadata.name.as_deref() == Some(c.tier.as_str()))
                    .and_then(|t| t.spec.table.as_ref())
                    .map_or(1, |u| i64::from(u.seats));
                figure(c) * seats
            })
            .sum(),
    )
}

/// The Event's status. Capacity, sold, held and available are in people
/// over admission tiers; tiers report their own units.
pub fn event_status(
    event: &Event,
    tiers: &[TicketTier],
    phase: &PhaseNow,
    seen: &Observed,
    now: Timestamp,
) -> EventStatus {
    let old = event.status.clone().unwrap_or_default();
    let generation = event.metadata.generation;
    let degraded = !seen.problems.is_empty();
    let starting = seen
        .workers
        .as_ref()
        .is_some_and(|w| w.checkout.ready < w.checkout.desired || w.scan.ready < w.scan.desired);
    let wants = vec![
        if degraded {
            Want::new(
                ConditionType::Ready,
                false,
                seen.problems[0].reason,
                "the event's resources are inconsistent; see the Degraded condition",
            )
        } else {
            Want::new(
                ConditionType::Ready,
                true,
                "Reconciled",
                "workers, stream and collections match the spec",
            )
        },
        if starting {
            let w = seen.workers.as_ref().expect("starting implies workers");
            Want::new(
                ConditionType::Progressing,
                true,
                "WorkersStarting",
                format!(
                    "checkout {}/{} and scan {}/{} workers ready",
                    w.checkout.ready, w.checkout.desired, w.scan.ready, w.scan.desired
                ),
            )
        } else {
            Want::stable()
        },
        if degraded {
            Want::new(
                ConditionType::Degraded,
                true,
                seen.problems[0].reason,
                seen.problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        } else {
            Want::as_expected("no problems found")
        },
    ];
    EventStatus {
        observed_generation: generation,
        phase: Some(phase.phase),
        conditions: merge(&old.conditions, wants, generation, now),
        capacity: Some(capacity(tiers)),
        sold: people(tiers, seen.counts.as_deref(), |c| c.sold),
        held: people(tiers, seen.counts.as_deref(), |c| c.held),
        available: people(tiers, seen.counts.as_deref(), |c| c.available),
        checked_in_total: seen
            .checked_in
            .as_ref()
            .map(|d| d.iter().map(|d| d.checked_in).sum())
            .or(old.checked_in_total),
        checked_in: seen.checked_in.clone().unwrap_or(old.checked_in),
        workers: seen.workers.clone(),
        next_transition: phase.next.map(|(phase, at)| Transition {
            phase,
            at: k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at),
        }),
        stream: seen.names.as_ref().map(|n| n.stream.clone()),
        collection_prefix: seen.names.as_ref().map(|n| n.collection_prefix.clone()),
    }
}

/// A tier's status: `Degraded` with the problems that name it.
pub fn tier_status(
    tier: &TicketTier,
    event_problems: &[Problem],
    counts: Option<&TierCounts>,
    now: Timestamp,
) -> TicketTierStatus {
    let old = tier.status.clone().unwrap_or_default();
    let name = tier.metadata.name.as_deref().unwrap_or_default();
    let needle = format!("tier {name} ");
    let mine: Vec<&Problem> = event_problems
        .iter()
        .filter(|p| p.message.contains(&needle))
        .collect();
    let venue_missing = event_problems.iter().any(|p| p.reason == "VenueNotFound");
    let generation = tier.metadata.generation;
    let wants = if let Some(p) = mine.first() {
        vec![
            Want::new(
                ConditionType::Ready,
                false,
                p.reason,
                "see the Degraded condition",
            ),
            Want::stable(),
            Want::new(
                ConditionType::Degraded,
                true,
                p.reason,
                mine.iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ]
    } else if venue_missing {
        vec![
            Want::new(
                ConditionType::Ready,
                false,
                "EventDegraded",
                "the tier's event is degraded (its venue is missing)",
            ),
            Want::stable(),
            Want::as_expected("no problems with this tier"),
        ]
    } else {
        vec![
            Want::new(
                ConditionType::Ready,
                true,
                "Reconciled",
                "the tier is consistent with its event and venue",
            ),
            Want::stable(),
            Want::as_expected("no problems found"),
        ]
    };
    TicketTierStatus {
        observed_generation: generation,
        conditions: merge(&old.conditions, wants, generation, now),
        sold: counts.map(|c| c.sold).or(old.sold),
        held: counts.map(|c| c.held).or(old.held),
        available: counts.map(|c| c.available).or(old.available),
    }
}
