//! Status conditions: `Ready`, `Progressing` and `Degraded` (see
//! [`ConditionType`]), one of each, whose `lastTransitionTime` only moves
//! when the status flips, so a recomputed but unchanged status compares
//! equal and is not written.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use k8s_openapi::jiff::Timestamp;

/// The type of a status condition. Every Sellout resource has one
/// condition of each; on the wire (`status.conditions[].type`) it is the
/// variant's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionType {
    /// The resource is reconciled and usable.
    Ready,
    /// Something is changing (workers starting).
    Progressing,
    /// Something is wrong and needs a fix; the reason and message say what.
    Degraded,
}

impl ConditionType {
    /// The condition's `type` as written to status.
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionType::Ready => "Ready",
            ConditionType::Progressing => "Progressing",
            ConditionType::Degraded => "Degraded",
        }
    }

    /// Whether `c` is a condition of this type.
    pub fn is(self, c: &Condition) -> bool {
        c.type_ == self.as_str()
    }
}

impl std::fmt::Display for ConditionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The condition of type `t` in `conditions`, if any.
pub fn find(conditions: &[Condition], t: ConditionType) -> Option<&Condition> {
    conditions.iter().find(|c| t.is(c))
}

/// One condition's desired state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Want {
    /// Which condition.
    pub type_: ConditionType,
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
        type_: ConditionType,
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

    /// `Progressing` False: nothing is changing.
    pub fn stable() -> Self {
        Want::new(
            ConditionType::Progressing,
            false,
            "Stable",
            "nothing is changing",
        )
    }

    /// `Degraded` False, saying `message` (what was checked).
    pub fn as_expected(message: impl Into<String>) -> Self {
        Want::new(ConditionType::Degraded, false, "AsExpected", message)
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
        find(c, ConditionType::Degraded)
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
                .find(|c| w.type_.is(c) && c.status == status)
                .map(|c| c.last_transition_time.clone())
                .unwrap_or(Time(now));
            Condition {
                type_: w.type_.as_str().to_owned(),
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
    fn condition_types_are_written_by_name() {
        use ConditionType::*;
        let names: Vec<String> = [Ready, Progressing, Degraded]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(names, ["Ready", "Progressing", "Degraded"]);
        let t0: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let c = merge(
            &[],
            vec![Want::new(Degraded, true, "Why", "what")],
            None,
            t0,
        );
        assert_eq!(c[0].type_, "Degraded");
        assert!(Degraded.is(&c[0]) && find(&c, Ready).is_none());
    }

    #[test]
    fn transition_time_moves_only_when_status_flips() {
        let t0: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let t1: Timestamp = "2027-01-01T01:00:00Z".parse().unwrap();
        let first = merge(
            &[],
            vec![Want::new(ConditionType::Ready, false, "Pending", "wait")],
            Some(1),
            t0,
        );
        let same = merge(
            &first,
            vec![Want::new(ConditionType::Ready, false, "Pending", "wait")],
            Some(1),
            t1,
        );
        assert_eq!(first, same, "unchanged status must compare equal");
        let flipped = merge(
            &same,
            vec![Want::new(ConditionType::Ready, true, "Reconciled", "ok")],
            Some(2),
            t1,
        );
        assert_eq!(flipped[0].last_transition_time, Time(t1));
        assert_eq!(flipped[0].observed_generation, Some(2));
        // A new message alone keeps the transition time.
        let reworded = merge(
            &flipped,
            vec![Want::new(ConditionType::Ready, true, "Reconciled", "fine")],
            Some(2),
            t0,
        );
        assert_eq!(reworded[0].last_transition_time, Time(t1));
    }
}
