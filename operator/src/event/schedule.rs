//! When an event changes phase and how many workers it wants: pure
//! functions of the spec and the current time.

use k8s_openapi::jiff::{SignedDuration, Timestamp};
use sellout_crds::event::{EventPhase, EventSpec, EventState, ReplicaRange, WorkerPool};

/// How long after on-sale the checkout workers stay pre-warmed.
pub const RUSH: SignedDuration = SignedDuration::from_hours(1);

/// The event's phase now, and the next scheduled change of phase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseNow {
    /// The phase at `now`.
    pub phase: EventPhase,
    /// The next phase and when it starts, if one is scheduled.
    pub next: Option<(EventPhase, Timestamp)>,
}

/// End of the last day (days are validated non-empty by the CRD).
pub fn last_end(spec: &EventSpec) -> Option<Timestamp> {
    spec.days.iter().map(|d| d.ends_at.0).max()
}

/// When sales close: `offSaleAt`, or the end of the last day.
pub fn off_sale(spec: &EventSpec) -> Option<Timestamp> {
    spec.off_sale_at
        .as_ref()
        .map(|t| t.0)
        .or_else(|| last_end(spec))
}

/// The phase of an event at `now`. `sold_out` is whether nothing is left
/// to sell (from the inventory).
pub fn phase_at(spec: &EventSpec, now: Timestamp, sold_out: bool) -> PhaseNow {
    match spec.state {
        EventState::Draft => {
            return PhaseNow {
                phase: EventPhase::Draft,
                next: None,
            };
        }
        EventState::Cancelled => {
            return PhaseNow {
                phase: EventPhase::Cancelled,
                next: None,
            };
        }
        EventState::Published => {}
    }
    let on = spec.on_sale_at.0;
    let Some(end) = last_end(spec) else {
        return PhaseNow {
            phase: EventPhase::Scheduled,
            next: None,
        };
    };
    let off = off_sale(spec).unwrap_or(end).min(end);
    let ended = (EventPhase::Ended, end);
    if now >= end {
        PhaseNow {
            phase: EventPhase::Ended,
            next: None,
        }
    } else if now < on {
        PhaseNow {
            phase: EventPhase::Scheduled,
            next: Some((EventPhase::OnSale, on)),
        }
    } else if now < off {
        if sold_out {
            PhaseNow {
                phase: EventPhase::SoldOut,
                next: Some(ended),
            }
        } else {
            PhaseNow {
                phase: EventPhase::OnSale,
                next: Some(if off < end {
                    (EventPhase::SalesClosed, off)
                } else {
                    ended
                }),
            }
        }
    } else {
        PhaseNow {
            phase: if sold_out {
                EventPhase::SoldOut
            } else {
                EventPhase::SalesClosed
            },
            next: Some(ended),
        }
    }
}

/// Replicas one worker set should run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replicas {
    /// Autoscaled between `min` and `max` (an HPA owns the replica count).
    Scaled {
        /// HPA minReplicas (raised while pre-warmed).
        min: i32,
        /// HPA maxReplicas.
        max: i32,
    },
    /// A fixed count, no autoscaler (after the event; 0 stops the set).
    Fixed(i32),
}

impl Replicas {
    /// Replicas wanted at least.
    pub fn desired(self) -> i32 {
        match self {
            Replicas::Scaled { min, .. } => min,
            Replicas::Fixed(n) => n,
        }
    }
}

/// What the event's dedicated workers should be at `now`; `None` when it
/// has none (a draft, or an event served by the shared pool).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkerPlan {
    /// Checkout workers.
    pub checkout: Replicas,
    /// Scan workers.
    pub scan: Replicas,
}

fn scaled(range: &ReplicaRange, prewarm: bool) -> Replicas {
    let min = if prewarm {
        range.prewarm_replicas.unwrap_or(range.min_replicas)
    } else {
        range.min_replicas
    };
    if min >= range.max_replicas {
        Replicas::Fixed(range.max_replicas)
    } else if min < 1 {
        // An HPA needs at least one replica; a 0 minimum means "none until
        // pre-warm", which a fixed 0 expresses.
        Replicas::Fixed(0)
    } else {
        Replicas::Scaled {
            min,
            max: range.max_replicas,
        }
    }
}

/// The worker plan at `now` for an event in `phase`.
pub fn worker_plan(spec: &EventSpec, phase: EventPhase, now: Timestamp) -> Option<WorkerPlan> {
    if spec.workers.pool == WorkerPool::Shared || phase == EventPhase::Draft {
        return None;
    }
    let lead = SignedDuration::from_secs(i64::from(spec.workers.prewarm_lead_seconds));
    let on = spec.on_sale_at.0;
    let checkout_warm = now >= on - lead && now < on + RUSH;
    let scan_warm = spec
        .days
        .iter()
        .any(|d| now >= d.doors_at.0 - lead && now < d.ends_at.0);
    Some(match phase {
        EventPhase::Ended => WorkerPlan {
            // One checkout worker stays for refunds and late webhooks.
            checkout: Replicas::Fixed(1),
            scan: Replicas::Fixed(0),
        },
        EventPhase::Cancelled => WorkerPlan {
            checkout: scaled(&spec.workers.checkout, false),
            scan: Replicas::Fixed(0),
        },
        _ => WorkerPlan {
            checkout: scaled(&spec.workers.checkout, checkout_warm),
            scan: scaled(&spec.workers.scan, scan_warm),
        },
    })
}

/// Whether a day of the event is being scanned at `now`.
pub fn doors_open(spec: &EventSpec, now: Timestamp) -> bool {
    spec.days.iter().any(|d| d.scanned_at(now.as_millisecond()))
}

/// The next moment after `now` at which the phase or the worker plan
/// changes: when the operator must look at the event again.
pub fn next_wakeup(spec: &EventSpec, now: Timestamp, sold_out: bool) -> Option<Timestamp> {
    let lead = SignedDuration::from_secs(i64::from(spec.workers.prewarm_lead_seconds));
    let on = spec.on_sale_at.0;
    let mut candidates = vec![on - lead, on, on + RUSH];
    for d in &spec.days {
        candidates.push(d.doors_at.0 - lead);
        candidates.push(d.ends_at.0);
    }
    if let Some(off) = off_sale(spec) {
        candidates.push(off);
    }
    if let Some((_, at)) = phase_at(spec, now, sold_out).next {
        candidates.push(at);
    }
    candidates.into_iter().filter(|t| *t > now).min()
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use sellout_crds::event::{EventDay, Workers};

    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn spec(state: EventState, off_sale: Option<&str>) -> EventSpec {
        EventSpec {
            title: "T".into(),
            description: None,
            venue_ref: Default::default(),
            currency: "USD".into(),
            days: vec![
                EventDay {
                    doors_at: Time(ts("2027-07-17T11:00:00Z")),
                    starts_at: Time(ts("2027-07-17T12:00:00Z")),
                    ends_at: Time(ts("2027-07-17T22:00:00Z")),
                },
                EventDay {
                    doors_at: Time(ts("2027-07-18T11:00:00Z")),
                    starts_at: Time(ts("2027-07-18T12:00:00Z")),
                    ends_at: Time(ts("2027-07-18T22:00:00Z")),
                },
            ],
            on_sale_at: Time(ts("2027-01-01T10:00:00Z")),
            off_sale_at: off_sale.map(|s| Time(ts(s))),
            state,
            hold_ttl_seconds: 600,
            hold_limits: Default::default(),
            taxes: vec![],
            fees: vec![],
            promotions: vec![],
            gates: vec![],
            workers: Workers {
                checkout: ReplicaRange {
                    min_replicas: 1,
                    max_replicas: 8,
                    prewarm_replicas: Some(4),
                },
                prewarm_lead_seconds: 1800,
                ..Workers::default()
            },
            on_delete: Default::default(),
        }
    }

    #[test]
    fn phases_follow_the_calendar() {
        use EventPhase::*;
        let s = spec(EventState::Published, Some("2027-07-18T18:00:00Z"));
        let table = [
            (
                "2026-12-31T00:00:00Z",
                false,
                Scheduled,
                Some((OnSale, "2027-01-01T10:00:00Z")),
            ),
            (
                "2027-01-01T10:00:00Z",
                false,
                OnSale,
                Some((SalesClosed, "2027-07-18T18:00:00Z")),
            ),
            (
                "2027-03-01T00:00:00Z",
                true,
                SoldOut,
                Some((Ended, "2027-07-18T22:00:00Z")),
            ),
            (
                "2027-07-18T18:00:00Z",
                false,
                SalesClosed,
                Some((Ended, "2027-07-18T22:00:00Z")),
            ),
            ("2027-07-18T22:00:00Z", false, Ended, None),
            ("2030-01-01T00:00:00Z", true, Ended, None),
        ];
        for (now, sold_out, phase, next) in table {
            let got = phase_at(&s, ts(now), sold_out);
            assert_eq!(got.phase, phase, "at {now}");
            assert_eq!(got.next, next.map(|(p, t)| (p, ts(t))), "at {now}");
        }
    }

    #[test]
    fn off_sale_defaults_to_the_end_of_the_last_day() {
        let s = spec(EventState::Published, None);
        let got = phase_at(&s, ts("2027-02-01T00:00:00Z"), false);
        assert_eq!(got.phase, EventPhase::OnSale);
        assert_eq!(
            got.next,
            Some((EventPhase::Ended, ts("2027-07-18T22:00:00Z")))
        );
    }

    #[test]
    fn draft_and_cancelled_do_not_move() {
        for (state, phase) in [
            (EventState::Draft, EventPhase::Draft),
            (EventState::Cancelled, EventPhase::Cancelled),
        ] {
            let got = phase_at(&spec(state, None), ts("2027-02-01T00:00:00Z"), false);
            assert_eq!(got, PhaseNow { phase, next: None });
        }
    }

    #[test]
    fn checkout_is_prewarmed_around_on_sale_and_scan_around_doors() {
        let s = spec(EventState::Published, None);
        let plan = |now: &str| {
            let p = phase_at(&s, ts(now), false).phase;
            worker_plan(&s, p, ts(now)).unwrap()
        };
        // Before the lead: minimum.
        assert_eq!(
            plan("2027-01-01T09:29:59Z").checkout,
            Replicas::Scaled { min: 1, max: 8 }
        );
        // Within the lead and the rush hour: prewarmReplicas.
        assert_eq!(
            plan("2027-01-01T09:30:00Z").checkout,
            Replicas::Scaled { min: 4, max: 8 }
        );
        assert_eq!(
            plan("2027-01-01T10:59:59Z").checkout,
            Replicas::Scaled { min: 4, max: 8 }
        );
        assert_eq!(
            plan("2027-01-01T11:00:00Z").checkout,
            Replicas::Scaled { min: 1, max: 8 }
        );
        // Scan: min 1 = max 2 default → scaled 1..2; no prewarm value so
        // it stays at its minimum.
        assert_eq!(
            plan("2027-07-17T10:45:00Z").scan,
            Replicas::Scaled { min: 1, max: 2 }
        );
        // After the event.
        let ended = worker_plan(&s, EventPhase::Ended, ts("2027-08-01T00:00:00Z")).unwrap();
        assert_eq!(
            ended,
            WorkerPlan {
                checkout: Replicas::Fixed(1),
                scan: Replicas::Fixed(0)
            }
        );
        // Drafts and shared-pool events have no dedicated workers.
        assert_eq!(
            worker_plan(&s, EventPhase::Draft, ts("2027-01-01T00:00:00Z")),
            None
        );
        let mut shared = s.clone();
        shared.workers.pool = WorkerPool::Shared;
        assert_eq!(
            worker_plan(&shared, EventPhase::OnSale, ts("2027-02-01T00:00:00Z")),
            None
        );
    }

    #[test]
    fn wakes_up_exactly_at_the_next_change() {
        let s = spec(EventState::Published, Some("2027-07-18T18:00:00Z"));
        let cases = [
            ("2026-12-01T00:00:00Z", "2027-01-01T09:30:00Z"), // pre-warm starts
            ("2027-01-01T09:30:00Z", "2027-01-01T10:00:00Z"), // on sale
            ("2027-01-01T10:00:00Z", "2027-01-01T11:00:00Z"), // rush over
            ("2027-01-01T11:00:00Z", "2027-07-17T10:30:00Z"), // scan pre-warm, day 1
            ("2027-07-17T10:30:00Z", "2027-07-17T22:00:00Z"), // day 1 ends
            ("2027-07-18T12:00:00Z", "2027-07-18T18:00:00Z"), // sales close
            ("2027-07-18T18:00:00Z", "2027-07-18T22:00:00Z"), // ended
        ];
        for (now, want) in cases {
            assert_eq!(
                next_wakeup(&s, ts(now), false),
                Some(ts(want)),
                "from {now}"
            );
        }
        assert_eq!(next_wakeup(&s, ts("2027-07-18T22:00:00Z"), false), None);
    }
}
