//! Status conditions: `Ready`, `Progressing`, `Degraded`, one of each,
//! whose `lastTransitionTime` only moves when the status flips, so a
//! recomputed but unchanged status compares equal and is not written.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::jiff::Timestamp;

/// One condition's desired state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Want {
    /// `Ready`, `Progressing` or `Degraded`.
    pub type_: &'static str,
    /// Whether it holds.
    pub status: bool,
    /// CamelCase reason.
    pub reason: String,
    /// Human-readable message.
    pub message: String,
}

impl Want {
    /// A condition of `type_`.
    pub fn new(
        type_: &'static str,
        status: bool,
        reason: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Want {
            type_,
            status,
            reason: reason.into(),
            message: message.into(),
        }
    }
}

/// The Kubernetes Event (for `kubectl describe`) to record when the
/// `Degraded` condition changes from `before` to `after`: a Warning with
/// its reason and message when it turns (or stays, with another reason)
/// true, a Normal `Recovered` when it clears; `None` when nothing changed.
pub fn degraded_event(
    before: &[Condition],
    after: &[Condition],
    recovered: &str,
) -> Option<kube::runtime::events::Event> {
    use kube::runtime::events::{Event, EventType};
    let degraded = |c: &[Condition]| {
        c.iter()
            .find(|c| c.type_ == "Degraded")
            .map(|c| (c.status == "True", c.reason.clone(), c.message.clone()))
    };
    let (was, now) = (degraded(before), degraded(after));
    let (is_true, reason, message) = now?;
    let changed = was.as_ref().map(|w| (w.0, &w.1)) != Some((is_true, &reason));
    let was_true = was.is_some_and(|w| w.0);
    if !changed || !(is_true || was_true) {
        return None;
    }
    Some(if is_true {
        Event {
            type_: EventType::Warning,
            reason,
            note: Some(message),
            action: "Reconcile".into(),
            secondary: None,
        }
    } else {
        Event {
            type_: EventType::Normal,
            reason: "Recovered".into(),
            note: Some(recovered.into()),
            action: "Reconcile".into(),
            secondary: None,
        }
    })
}

/// The new condition list: `wants` in order, keeping each old
/// `lastTransitionTime` whose status did not change.
pub fn merge(
    old: &[Condition],
    wants: Vec<Want>,
    generation: Option<i64>,
    now: Timestamp,
) -> Vec<Condition> {
    wants
        .into_iter()
        .map(|w| {
            let status = if w.status { "True" } else { "False" }.to_owned();
            let last_transition_time = old
                .iter()
                .find(|c| c.type_ == w.type_ && c.status == status)
                .map(|c| c.last_transition_time.clone())
                .unwrap_or(Time(now));
            Condition {
                type_: w.type_.to_owned(),
                status,
                reason: w.reason,
                message: w.message,
                observed_generation: generation,
                last_transition_time,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_time_moves_only_when_status_flips() {
        let t0: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let t1: Timestamp = "2027-01-01T01:00:00Z".parse().unwrap();
        let first = merge(
            &[],
            vec![Want::new("Ready", false, "Pending", "wait")],
            Some(1),
            t0,
        );
        let same = merge(
            &first,
            vec![Want::new("Ready", false, "Pending", "wait")],
            Some(1),
            t1,
        );
        assert_eq!(first, same, "unchanged status must compare equal");
        let flipped = merge(
            &same,
            vec![Want::new("Ready", true, "Reconciled", "ok")],
            Some(2),
            t1,
        );
        assert_eq!(flipped[0].last_transition_time, Time(t1));
        assert_eq!(flipped[0].observed_generation, Some(2));
        // A new message alone keeps the transition time.
        let reworded = merge(
            &flipped,
            vec![Want::new("Ready", true, "Reconciled", "fine")],
            Some(2),
            t0,
        );
        assert_eq!(reworded[0].last_transition_time, Time(t1));
    }
}
