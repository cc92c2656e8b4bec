//! Child objects of Sellout resources (an Event's worker Deployments,
//! Services, HPAs and PDBs; an Organization's RBAC): applied with
//! server-side apply and a controller owner reference, written only when
//! what the operator wants differs from what it last applied or someone
//! edited the object since, and never taken over from someone else.

use futures::StreamExt;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Resource, ResourceExt};
use sellout_crds::FIELD_MANAGER_OPERATOR;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::context::{Applied, Base};
use crate::error::{Error, Result};
use crate::labels::APPLIED_HASH;

/// Who writes a child: the handles every controller shares, the writing
/// controller's record of what it applied, and its metric label.
#[derive(Clone, Copy)]
pub struct Writer<'a> {
    /// Client, metrics and the write mode.
    pub base: &'a Base,
    /// What the controller last applied to each of its children.
    pub applied: &'a Applied,
    /// The controller's metric label.
    pub controller: &'static str,
}

/// A watch of child objects that yields an object when its spec (or
/// metadata other than status bookkeeping) changed or it was deleted, so a
/// hand edit or deletion is repaired while status updates (an autoscaler
/// writes its status every few seconds) trigger nothing.
pub fn spec_changes<K>(
    api: Api<K>,
    config: watcher::Config,
) -> impl futures::Stream<Item = std::result::Result<K, watcher::Error>> + Send + 'static
where
    K: Resource<DynamicType = ()>
        + Clone
        + std::fmt::Debug
        + Serialize
        + DeserializeOwned
        + Send
        + Sync
        + 'static,
{
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    watcher(api, config)
        .default_backoff()
        .filter_map(move |ev| {
            let out = match ev {
                Ok(watcher::Event::Apply(obj) | watcher::Event::InitApply(obj)) => {
                    let key = format!("{}/{}", obj.namespace().unwrap_or_default(), obj.name_any());
                    let mark = spec_mark(&obj);
                    (seen.insert(key, mark.clone()) != Some(mark)).then_some(Ok(obj))
                }
                Ok(watcher::Event::Delete(obj)) => {
                    let key = format!("{}/{}", obj.namespace().unwrap_or_default(), obj.name_any());
                    seen.remove(&key);
                    Some(Ok(obj))
                }
                Ok(watcher::Event::Init | watcher::Event::InitDone) => None,
                Err(e) => Some(Err(e)),
            };
            std::future::ready(out)
        })
}

/// What identifies a child's desired content: its generation where the
/// kind has one, else a digest of the whole object without its status and
/// server bookkeeping (a Role's `rules`, a RoleBinding's `subjects`, a
/// Service's `spec`, labels, annotations, owner references).
pub fn spec_mark<K: Resource + Serialize>(obj: &K) -> String {
    if let Some(g) = obj.meta().generation {
        return format!("g{g}");
    }
    let mut json = serde_json::to_value(obj).unwrap_or_default();
    if let Some(map) = json.as_object_mut() {
        map.remove("status");
        let m = obj.meta();
        map.insert(
            "metadata".into(),
            serde_json::json!([m.labels, m.annotations, m.owner_references]),
        );
    }
    content_hash(&json).unwrap_or_default()
}

/// Whether someone other than the operator (and the autoscaler, which
/// owns a Deployment's replicas) changed the object after the operator's
/// last apply, by its managed fields: edits made while no operator ran.
fn written_since_our_apply(meta: &ObjectMeta) -> bool {
    let fields = meta.managed_fields.as_deref().unwrap_or_default();
    let Some(ours) = fields
        .iter()
        .filter(|f| f.manager.as_deref() == Some(FIELD_MANAGER_OPERATOR))
        .filter_map(|f| f.time.as_ref())
        .max()
    else {
        return true;
    };
    fields.iter().any(|f| {
        let manager = f.manager.as_deref().unwrap_or_default();
        manager != FIELD_MANAGER_OPERATOR
            && manager != FIELD_MANAGER_HANDOVER
            && manager != "kube-controller-manager"
            && f.subresource.as_deref().is_none_or(|s| s.is_empty())
            && f.time.as_ref().is_some_and(|t| t > ours)
    })
}

/// Whether `desired` is a Deployment whose replicas the operator leaves to
/// an autoscaler (it sets no `spec.replicas`).
fn replicas_autoscaled<K: Resource<DynamicType = ()> + Serialize>(desired: &K) -> Result<bool> {
    Ok(K::kind(&()) == "Deployment"
        && serde_json::to_value(desired)?
            .pointer("/spec/replicas")
            .is_none())
}

/// The mark a child is compared by: [`spec_mark`], except for a
/// Deployment whose replicas the operator leaves to an autoscaler: every
/// scale bumps its generation, so its spec without `replicas` is used and
/// the autoscaler's changes cause no writes.
fn applied_mark<K: Resource + Serialize>(live: &K, autoscaled: bool) -> Result<String> {
    if !autoscaled {
        return Ok(spec_mark(live));
    }
    let mut spec = serde_json::to_value(live)?
        .get("spec")
        .cloned()
        .unwrap_or_default();
    if let Some(m) = spec.as_object_mut() {
        m.remove("replicas");
    }
    let m = live.meta();
    let part = serde_json::json!([spec, m.labels, m.annotations, m.owner_references]);
    Ok(format!("s{}", content_hash(&part)?))
}

/// Whether the object of `meta` has a controller owner reference to
/// `owner_uid` (ours to change and delete).
pub fn controlled_by(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    owner_uid: &str,
) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .any(|o| o.uid == owner_uid && o.controller == Some(true))
}

/// Makes child `name` of kind `K` match `desired`: applies it when its
/// content changed since our last apply, deletes it when it is no longer
/// wanted and is ours (controller owner reference to `owner_uid`). An
/// existing object without that reference is an error, never taken over.
pub async fn sync<K>(
    w: Writer<'_>,
    ns: &str,
    owner_uid: &str,
    name: &str,
    desired: Option<&K>,
    kind: &'static str,
) -> Result<()>
where
    K: Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + std::fmt::Debug
        + Serialize
        + DeserializeOwned,
{
    let api: Api<K> = Api::namespaced(w.base.client.clone(), ns);
    let failed = |verb| {
        move |source| Error::Child {
            verb,
            kind,
            name: name.to_owned(),
            source,
        }
    };
    let existing = api.get_opt(name).await.map_err(failed("read"))?;
    let ours = existing
        .as_ref()
        .map(|e| controlled_by(e.meta(), owner_uid));
    let key = (kind, ns.to_owned(), name.to_owned());
    match desired {
        Some(_) if ours == Some(false) => {
            return Err(Error::ForeignChild {
                kind,
                name: name.to_owned(),
            });
        }
        Some(obj) => {
            let hash = content_hash(obj)?;
            let autoscaled = replicas_autoscaled(obj)?;
            if let Some(live) = &existing
                && !w.base.naive_writes
            {
                let annotated = live
                    .meta()
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(APPLIED_HASH));
                let mark = applied_mark(live, autoscaled)?;
                match w.applied.get(&key) {
                    // Applied by us and not edited since.
                    Some((h, m)) if h == hash && m == mark => return Ok(()),
                    // Applied by an earlier operator process and nobody
                    // wrote it since: trust the annotation and watch for
                    // edits from now on.
                    None if annotated == Some(&hash) && !written_since_our_apply(live.meta()) => {
                        w.applied.set(key, hash, mark);
                        return Ok(());
                    }
                    _ => {}
                }
                if autoscaled {
                    hand_over_replicas(&api, live, w)
                        .await
                        .map_err(failed("hand over replicas of"))?;
                }
            }
            let mut obj = obj.clone();
            obj.meta_mut()
                .annotations
                .get_or_insert_with(Default::default)
                .insert(APPLIED_HASH.into(), hash.clone());
            let applied = api
                .patch(
                    name,
                    &PatchParams::apply(FIELD_MANAGER_OPERATOR).force(),
                    &Patch::Apply(&obj),
                )
                .await
                .map_err(failed("apply"))?;
            w.base.metrics.write(w.controller, kind, "apply");
            let mark = applied_mark(&applied, autoscaled)?;
            w.applied.set(key, hash, mark);
        }
        None => {
            if ours == Some(true) {
                // Only the object that was read: one made anew meanwhile
                // under the same name is left alone.
                let mut params = DeleteParams::background();
                params.preconditions = Some(kube::api::Preconditions {
                    uid: existing.as_ref().and_then(|e| e.meta().uid.clone()),
                    resource_version: None,
                });
                api.delete(name, &params).await.map_err(failed("delete"))?;
                w.base.metrics.write(w.controller, kind, "delete");
            }
            w.applied.forget(&key);
        }
    }
    Ok(())
}

/// Manager that briefly co-owns `spec.replicas` while it passes from the
/// operator (fixed replicas) to the autoscaler.
const FIELD_MANAGER_HANDOVER: &str = "sellout-operator-handover";

/// Called before applying a Deployment that is to be autoscaled. When the
/// operator applied it with fixed replicas, the new apply leaves
/// `spec.replicas` out. Under server-side
/// apply a field nobody else owns is then removed and falls back to its
/// default of 1: a set scaled for the rush would drop to one pod. So first
/// the current count is applied by a second manager, which keeps the value
/// until the autoscaler takes the field over.
async fn hand_over_replicas<K>(api: &Api<K>, live: &K, w: Writer<'_>) -> kube::Result<()>
where
    K: Resource<DynamicType = ()> + Clone + std::fmt::Debug + Serialize + DeserializeOwned,
{
    let live_json = serde_json::to_value(live).map_err(kube::Error::SerdeError)?;
    let Some(current) = live_json.pointer("/spec/replicas").cloned() else {
        return Ok(());
    };
    let we_own_replicas = live.meta().managed_fields.iter().flatten().any(|m| {
        m.manager.as_deref() == Some(FIELD_MANAGER_OPERATOR)
            && m.fields_v1
                .as_ref()
                .and_then(|f| f.0.pointer("/f:spec/f:replicas"))
                .is_some()
    });
    if !we_own_replicas {
        return Ok(());
    }
    let patch = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": live.meta().name},
        "spec": {"replicas": current},
    });
    api.patch(
        &live.name_any(),
        &PatchParams::apply(FIELD_MANAGER_HANDOVER).force(),
        &Patch::Apply(&patch),
    )
    .await?;
    w.base.metrics.write(w.controller, "Deployment", "apply");
    Ok(())
}

/// A stable digest of `obj`'s JSON (the same across operator builds).
pub fn content_hash<T: Serialize>(obj: &T) -> Result<String> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(serde_json::to_vec(obj)?);
    Ok(digest[..12].iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::Service;

    #[test]
    fn content_hash_is_sha256_of_the_json_and_stable_across_builds() {
        // printf '{"a":1}' | sha256sum
        assert_eq!(
            content_hash(&serde_json::json!({"a": 1})).unwrap(),
            "015abd7f5cc57a2dd94b7590"
        );
    }

    #[test]
    fn edits_after_our_apply_are_seen_in_managed_fields() {
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ManagedFieldsEntry, Time};
        let entry = |manager: &str, secs: i64, sub: Option<&str>| ManagedFieldsEntry {
            manager: Some(manager.into()),
            time: Some(Time(
                k8s_openapi::jiff::Timestamp::from_second(secs).unwrap(),
            )),
            subresource: sub.map(Into::into),
            ..Default::default()
        };
        let meta = |f: Vec<ManagedFieldsEntry>| ObjectMeta {
            managed_fields: Some(f),
            ..Default::default()
        };
        assert!(!written_since_our_apply(&meta(vec![entry(
            FIELD_MANAGER_OPERATOR,
            10,
            None
        )])));
        assert!(written_since_our_apply(&meta(vec![
            entry(FIELD_MANAGER_OPERATOR, 10, None),
            entry("kubectl-edit", 20, None),
        ])));
        assert!(!written_since_our_apply(&meta(vec![
            entry(FIELD_MANAGER_OPERATOR, 10, None),
            entry("kubectl-edit", 5, None),
            entry("kube-controller-manager", 30, None),
            entry("somebody", 40, Some("status")),
        ])));
        assert!(
            written_since_our_apply(&meta(vec![])),
            "never applied by us"
        );
    }

    #[test]
    fn spec_mark_follows_generation_or_else_the_spec() {
        let mut d = Deployment::default();
        d.metadata.generation = Some(4);
        assert_eq!(spec_mark(&d), "g4");

        let mut s = Service::default();
        let before = spec_mark(&s);
        s.metadata.resource_version = Some("99".into());
        s.status = Some(Default::default());
        assert_eq!(
            spec_mark(&s),
            before,
            "status and resourceVersion do not count"
        );
        s.spec = Some(k8s_openapi::api::core::v1::ServiceSpec {
            cluster_ip: Some("None".into()),
            ..Default::default()
        });
        assert_ne!(spec_mark(&s), before, "a spec edit does");

        // Kinds without spec or generation: their content counts.
        let mut r = k8s_openapi::api::rbac::v1::Role::default();
        let before = spec_mark(&r);
        r.metadata.resource_version = Some("7".into());
        r.metadata.managed_fields = Some(vec![Default::default()]);
        assert_eq!(spec_mark(&r), before, "bookkeeping does not count");
        r.rules = Some(vec![Default::default()]);
        assert_ne!(spec_mark(&r), before, "an edit of the rules does");
    }
}
