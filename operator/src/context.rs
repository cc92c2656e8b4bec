//! What every reconcile shares: the client, metrics, the event recorder,
//! worker settings, per-object backoff and the shutdown signal.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use kube::api::DynamicObject;
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::reflector::ObjectRef;
use tokio_util::sync::CancellationToken;

use crate::event::build::WorkerTemplate;
use crate::event::data::DataPlane;
use crate::event::local::LocalRuntime;

/// How event workers run.
#[derive(Clone, Default)]
pub enum WorkerRuntime {
    /// Deployment, Service, HPA and PodDisruptionBudget per worker set.
    #[default]
    Kubernetes,
    /// Supervised child processes of the operator.
    Local(std::sync::Arc<LocalRuntime>),
}
use crate::metrics::Metrics;

/// Shared by all reconciles.
pub struct Context {
    /// Kubernetes client.
    pub client: kube::Client,
    /// Prometheus metrics.
    pub metrics: Metrics,
    /// Records Kubernetes Events (`kubectl describe`).
    pub recorder: Recorder,
    /// How worker pods are made.
    pub worker_template: WorkerTemplate,
    /// Per-object retry delays.
    pub backoff: Backoff,
    /// Cancelled to stop the controllers.
    pub shutdown: CancellationToken,
    /// How event workers run.
    pub runtime: WorkerRuntime,
    /// Watch only this namespace (`None`: every namespace).
    pub namespace: Option<String>,
    /// Caches the Event controller reads (set when it starts).
    pub caches: std::sync::OnceLock<crate::event::Caches>,
    /// Label selector limiting which Events this operator manages (to
    /// shard a large fleet across operators); `None`: all.
    pub event_selector: Option<String>,
    /// Benchmark baseline only: write every child and status on every
    /// reconcile, as an operator without change detection does.
    pub naive_writes: bool,
    /// MongoDB and JetStream; `None` runs in objects-only mode (no
    /// streams, collections, inventory or finalizers), for tests and the
    /// operator-scale benchmark.
    pub data: Option<DataPlane>,
    /// What the operator last applied to each child, to skip unchanged ones.
    pub applied: Applied,
    /// The gateway's ServiceAccount, granted access to each organization
    /// namespace.
    pub gateway_account: crate::organization::AccountRef,
}

impl Context {
    /// A context for `client`.
    pub fn new(
        client: kube::Client,
        worker_template: WorkerTemplate,
        data: Option<DataPlane>,
    ) -> Self {
        let reporter = Reporter {
            controller: "sellout-operator".into(),
            instance: std::env::var("POD_NAME").ok(),
        };
        Context {
            recorder: Recorder::new(client.clone(), reporter),
            client,
            metrics: Metrics::default(),
            worker_template,
            backoff: Backoff::default(),
            shutdown: CancellationToken::new(),
            data,
            namespace: None,
            naive_writes: false,
            event_selector: None,
            caches: std::sync::OnceLock::new(),
            runtime: WorkerRuntime::Kubernetes,
            applied: Applied::default(),
            gateway_account: Default::default(),
        }
    }

    /// An API over the watched namespace(s).
    pub fn api<K>(&self) -> kube::Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
        <K as kube::Resource>::DynamicType: Default,
    {
        match &self.namespace {
            Some(ns) => kube::Api::namespaced(self.client.clone(), ns),
            None => kube::Api::all(self.client.clone()),
        }
    }
}

/// Identifies a child object: kind, namespace, name.
pub type ChildKey = (&'static str, String, String);

/// Per child, the content hash the operator applied and the object's
/// generation (or, for kinds without one, a digest of its spec) right
/// after that apply. A child whose live generation moved on was edited by someone
/// else and is applied again; one that only the operator wrote is not.
#[derive(Default)]
pub struct Applied {
    marks: Mutex<HashMap<ChildKey, (String, String)>>,
}

impl Applied {
    /// What was recorded for `key`.
    pub fn get(&self, key: &ChildKey) -> Option<(String, String)> {
        self.lock().get(key).cloned()
    }

    /// Records `hash` and `mark` for `key`.
    pub fn set(&self, key: ChildKey, hash: String, mark: String) {
        self.lock().insert(key, (hash, mark));
    }

    /// Forgets `key` (the child was deleted).
    pub fn forget(&self, key: &ChildKey) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ChildKey, (String, String)>> {
        self.marks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Exponential backoff per object (5 s, 10 s, … up to 5 min), reset by a
/// successful reconcile, so one failing object does not slow the others.
#[derive(Default)]
pub struct Backoff {
    failures: Mutex<HashMap<ObjectRef<DynamicObject>, u32>>,
}

impl Backoff {
    /// The delay before retrying `obj` after one more failure.
    pub fn next(&self, obj: &ObjectRef<DynamicObject>) -> Duration {
        let mut f = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let n = f.entry(obj.clone()).or_default();
        *n = n.saturating_add(1);
        let secs = 5u64.saturating_mul(1 << (*n - 1).min(6));
        Duration::from_secs(secs.min(300))
    }

    /// Forgets `obj`'s failures.
    pub fn reset(&self, obj: &ObjectRef<DynamicObject>) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(obj);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_resets() {
        let b = Backoff::default();
        let a = ObjectRef::<DynamicObject>::new_with(
            "a",
            kube::api::ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&()),
        );
        let other = ObjectRef::<DynamicObject>::new_with(
            "b",
            kube::api::ApiResource::erase::<k8s_openapi::api::core::v1::ConfigMap>(&()),
        );
        let delays: Vec<u64> = (0..9).map(|_| b.next(&a).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(
            b.next(&other).as_secs(),
            5,
            "objects back off independently"
        );
        b.reset(&a);
        assert_eq!(b.next(&a).as_secs(), 5);
    }
}
