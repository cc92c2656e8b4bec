//! The labels and annotations the operator puts on the objects it makes,
//! and the label sets and selectors built from them. Every key is spelled
//! here only, so the labels written, the selectors that find the objects
//! again and the watches that filter on them cannot drift apart.
//!
//! Labels follow the Kubernetes recommended `app.kubernetes.io/*` set.
//! Orphan cleanup never trusts labels alone: it also requires the
//! operator's controller owner reference (see [`crate::children`]).

use std::collections::BTreeMap;

/// `app.kubernetes.io/name`: the application an object belongs to.
pub const NAME: &str = "app.kubernetes.io/name";
/// `app.kubernetes.io/instance`: which instance of it (the Event's name for
/// worker objects).
pub const INSTANCE: &str = "app.kubernetes.io/instance";
/// `app.kubernetes.io/component`: the worker set (`checkout`, `scan`).
pub const COMPONENT: &str = "app.kubernetes.io/component";
/// `app.kubernetes.io/part-of`: the larger system (`sellout`).
pub const PART_OF: &str = "app.kubernetes.io/part-of";
/// `app.kubernetes.io/managed-by`: who writes the object.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";

/// The [`MANAGED_BY`] value of everything the operator makes.
pub const OPERATOR: &str = "sellout-operator";
/// The [`NAME`] value of every event worker object.
pub const WORKER_APP: &str = "sellout-worker";
/// The [`PART_OF`] value of the operator's namespace RBAC objects.
pub const SYSTEM: &str = "sellout";

/// Annotation holding a hash of what the operator last applied to a child,
/// so an unchanged child is not written again.
pub const APPLIED_HASH: &str = "sellout.io/applied-hash";

/// Annotation on an event's worker NATS Secret: the public key of the
/// account whose signing key minted the user in it.
pub const NATS_ACCOUNT: &str = "sellout.io/nats-account";

/// Label selector of every object the operator manages, for the watches
/// of owned children.
pub fn managed_selector() -> String {
    format!("{MANAGED_BY}={OPERATOR}")
}

/// Labels of one worker set's objects (and its pods): the standard set
/// for `component` of event `event`.
pub fn worker(event: &str, component: &str) -> BTreeMap<String, String> {
    let mut l = worker_selector(event, component);
    l.insert(MANAGED_BY.into(), OPERATOR.into());
    l
}

/// The labels that select one worker set's pods (a Deployment's and a
/// PodDisruptionBudget's selector, a Service's): [`worker`] without
/// [`MANAGED_BY`], which a selector has no use for.
pub fn worker_selector(event: &str, component: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.into(), WORKER_APP.into()),
        (INSTANCE.into(), event.into()),
        (COMPONENT.into(), component.into()),
    ])
}

/// Label selector (as a string) of every worker pod of event `event`,
/// whatever its set.
pub fn event_workers_selector(event: &str) -> String {
    format!("{NAME}={WORKER_APP},{INSTANCE}={event}")
}

/// Labels of the Secret holding event `event`'s worker NATS user.
pub fn worker_credentials(event: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.into(), WORKER_APP.into()),
        (INSTANCE.into(), event.into()),
        (MANAGED_BY.into(), OPERATOR.into()),
    ])
}

/// Labels of an organization namespace's RBAC object called `name`.
pub fn rbac(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.into(), name.into()),
        (PART_OF.into(), SYSTEM.into()),
        (MANAGED_BY.into(), OPERATOR.into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_match_the_labels_they_select() {
        let l = worker("fest", "checkout");
        assert_eq!(l[MANAGED_BY], OPERATOR);
        let sel = worker_selector("fest", "checkout");
        assert!(sel.iter().all(|(k, v)| l.get(k) == Some(v)));
        assert!(!sel.contains_key(MANAGED_BY));
        assert_eq!(
            event_workers_selector("fest"),
            "app.kubernetes.io/name=sellout-worker,app.kubernetes.io/instance=fest"
        );
        assert_eq!(
            managed_selector(),
            "app.kubernetes.io/managed-by=sellout-operator"
        );
    }
}
