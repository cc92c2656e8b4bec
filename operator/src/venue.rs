//! The Venue controller: status only (observed generation, conditions,
//! section counts and capacity). The Event controller watches venues
//! itself for what an event needs from its venue.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use kube::runtime::{Controller, watcher};
use kube::{Resource, ResourceExt};
use sellout_crds::venue::{Section, VenueStatus};
use sellout_crds::{FIELD_MANAGER_OPERATOR, Venue};

use crate::conditions::{ConditionType, Want, merge};
use crate::context::{Base, VenueContext};
use crate::error::{Error, Result};

/// Places a section holds (seats, table seats or GA places).
pub fn section_capacity(s: &Section) -> i64 {
    if let Some(ga) = &s.general_admission {
        ga.capacity
    } else if let Some(seated) = &s.seated {
        match (seated.rows, seated.seats_per_row) {
            (Some(r), Some(n)) => i64::from(r) * i64::from(n),
            _ => seated.labels.len() as i64,
        }
    } else if let Some(t) = &s.tables {
        i64::from(t.count) * i64::from(t.seats_per_table)
    } else {
        0
    }
}

/// A Venue's status: Degraded when its sections hold more people than its
/// licensed capacity.
pub fn venue_status(v: &Venue, now: Timestamp) -> VenueStatus {
    let old = v.status.clone().unwrap_or_default();
    let total: i64 = v.spec.sections.iter().map(section_capacity).sum();
    let over = total > v.spec.capacity;
    let wants = if over {
        let msg = format!(
            "the sections hold {total} people, more than the venue's capacity of {}: raise spec.capacity or shrink the sections",
            v.spec.capacity
        );
        vec![
            Want::new(
                ConditionType::Ready,
                false,
                "OverCapacity",
                "see the Degraded condition",
            ),
            Want::stable(),
            Want::new(ConditionType::Degraded, true, "OverCapacity", msg),
        ]
    } else {
        vec![
            Want::new(
                ConditionType::Ready,
                true,
                "Reconciled",
                "the venue is consistent",
            ),
            Want::stable(),
            Want::as_expected("no problems found"),
        ]
    };
    VenueStatus {
        observed_generation: v.metadata.generation,
        conditions: merge(&old.conditions, wants, v.metadata.generation, now),
        sections: Some(v.spec.sections.len() as i64),
        section_capacity: Some(total),
    }
}

/// Metric label of this controller.
pub const CONTROLLER: &str = "venue";

/// Applies `status` as `obj`'s status subresource.
pub(crate) async fn write_status<K>(
    base: &Base,
    obj: &K,
    status: serde_json::Value,
    controller: &'static str,
    kind: &'static str,
) -> Result<()>
where
    K: Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + std::fmt::Debug
        + serde::de::DeserializeOwned,
{
    let ns = obj
        .namespace()
        .ok_or(Error::MissingField(kind, "metadata.namespace"))?;
    let patch = serde_json::json!({
        "apiVersion": K::api_version(&()),
        "kind": K::kind(&()),
        "status": status,
    });
    Api::<K>::namespaced(base.client.clone(), &ns)
        .patch_status(
            &obj.name_any(),
            &PatchParams::apply(FIELD_MANAGER_OPERATOR).force(),
            &Patch::Apply(&patch),
        )
        .await?;
    base.metrics.write(controller, kind, "apply");
    Ok(())
}

async fn reconcile_venue(v: Arc<Venue>, ctx: Arc<VenueContext>) -> Result<Action> {
    let t = Instant::now();
    let st = venue_status(&v, Timestamp::now());
    let r = if v.status.as_ref() != Some(&st) {
        write_status(
            &ctx.base,
            &*v,
            serde_json::to_value(&st)?,
            CONTROLLER,
            "Venue/status",
        )
        .await
    } else {
        Ok(())
    };
    ctx.base.metrics.reconciled(
        CONTROLLER,
        t.elapsed(),
        r.as_ref().err().map(Error::category),
    );
    r.map(|_| Action::await_change())
}

/// Error policy of the Venue and Organization controllers: per-object
/// backoff.
pub(crate) fn retry<K: Resource<DynamicType = ()>, C: AsRef<Base>>(
    obj: Arc<K>,
    err: &Error,
    ctx: Arc<C>,
) -> Action {
    let base: &Base = (*ctx).as_ref();
    let delay = base.backoff.next(&ObjectRef::from_obj(&*obj).erase());
    tracing::warn!(name = %obj.meta().name.clone().unwrap_or_default(), category = err.category(), error = %err, "reconcile failed");
    Action::requeue(delay.min(Duration::from_secs(300)))
}

/// Runs the Venue controller until shutdown.
pub async fn run_venues(ctx: Arc<VenueContext>) {
    Controller::new(ctx.base.api::<Venue>(), watcher::Config::default())
        .graceful_shutdown_on(ctx.base.shutdown.clone().cancelled_owned())
        .run(reconcile_venue, retry, ctx)
        .for_each(|_| std::future::ready(()))
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn venue(capacity: i64) -> Venue {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Venue",
            "metadata": {"name": "hall", "namespace": "ns", "generation": 3},
            "spec": {
                "displayName": "Hall",
                "address": {"line1": "1 Road", "city": "Town", "country": "GB"},
                "timezone": "Europe/London", "capacity": capacity,
                "sections": [
                    {"name": "floor", "generalAdmission": {"capacity": 100}},
                    {"name": "balcony", "seated": {"rows": 2, "seatsPerRow": 10}},
                    {"name": "boxes", "seated": {"labels": ["B1", "B2"]}},
                    {"name": "vip", "tables": {"count": 3, "seatsPerTable": 8}}
                ]
            }
        }))
        .unwrap()
    }

    #[test]
    fn venue_status_counts_sections_and_flags_over_capacity() {
        let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let ok = venue_status(&venue(146), now);
        assert_eq!(ok.section_capacity, Some(100 + 20 + 2 + 24));
        assert_eq!(ok.sections, Some(4));
        assert_eq!(ok.observed_generation, Some(3));
        assert!(
            ok.conditions
                .iter()
                .any(|c| ConditionType::Ready.is(c) && c.status == "True")
        );
        let over = venue_status(&venue(145), now);
        let d = over
            .conditions
            .iter()
            .find(|c| ConditionType::Degraded.is(c))
            .unwrap();
        assert_eq!(
            (d.status.as_str(), d.reason.as_str()),
            ("True", "OverCapacity")
        );
        assert!(
            d.message.contains("146") && d.message.contains("145"),
            "{}",
            d.message
        );
    }
}
