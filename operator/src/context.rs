//! What the controllers run with. [`Context`] is the operator's
//! configuration and the handles that outlive any one controller (the
//! client, metrics, the shutdown signal): `main` and the tests build it.
//! [`crate::run_controllers`] derives from it one [`Base`] that every
//! controller shares, and each controller's own context holding only what
//! that controller uses: [`EventContext`], [`OrganizationContext`],
//! [`VenueContext`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kube::api::DynamicObject;
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::reflector::ObjectRef;
use tokio_util::sync::CancellationToken;

use crate::event::Caches;
use crate::event::build::WorkerTemplate;
use crate::event::data::DataPlane;
use crate::event::local::LocalRuntime;
use crate::metrics::Metrics;
use crate::organization::AccountRef;

/// How event workers run.
#[derive(Clone, Default)]
pub enum WorkerRuntime {
    /// Deployment, Service, HPA and PodDisruptionBudget per worker set.
    #[default]
    Kubernetes,
    /// Supervised child processes of the operator.
    Local(Arc<LocalRuntime>),
}

/// The operator's configuration and long-lived handles, from which
/// [`crate::run_controllers`] makes each controller's context. Set the
/// public fields before running the controllers; changing them afterwards
/// has no effect on running controllers.
pub struct Context {
    /// Kubernetes client.
    pub client: kube::Client,
    /// Prometheus metrics, shared with every controller.
    pub metrics: Arc<Metrics>,
    /// Cancelled to stop the controllers.
    pub shutdown: CancellationToken,
    /// Watch only this namespace (`None`: every namespace).
    pub namespace: Option<String>,
    /// Benchmark baseline only: write every child and status on every
    /// reconcile, as an operator without change detection does.
    pub naive_writes: bool,
    /// How worker pods are made (Event controller).
    pub worker_template: WorkerTemplate,
    /// How event workers run (Event controller).
    pub runtime: WorkerRuntime,
    /// Label selector limiting which Events this operator manages (to
    /// shard a large fleet across operators); `None`: all.
    pub event_selector: Option<String>,
    /// MongoDB and JetStream (Event controller); `None` runs in
    /// objects-only mode (no streams, collections, inventory or
    /// finalizers), for tests and the operator-scale benchmark.
    pub data: Option<DataPlane>,
    /// The gateway's ServiceAccount, granted access to each organization
    /// namespace (Organization controller).
    pub gateway_account: AccountRef,
    /// Mints each event's workers a NATS user allowed that event's
    /// subjects only (Event controller); `None`: workers use the
    /// credentials of the worker environment.
    pub worker_nats: Option<sellout_common::nats_auth::WorkerIssuer>,
    /// Whether the Organization controller installs the members policy
    /// (`organization::members_policy`) and then lets the gateway patch
    /// Organizations (so OWNERs manage their team in Backstage).
    pub gateway_members_policy: bool,
    /// How often the members policy is applied again (so one deleted by
    /// mistake comes back).
    pub members_policy_recheck: std::time::Duration,
}

impl Context {
    /// A context for `client`, with the defaults: every namespace, every
    /// Event, the Kubernetes worker runtime, change detection on, the
    /// default gateway account.
    pub fn new(
        client: kube::Client,
        worker_template: WorkerTemplate,
        data: Option<DataPlane>,
    ) -> Self {
        Context {
            client,
            metrics: Arc::default(),
            shutdown: CancellationToken::new(),
            namespace: None,
            naive_writes: false,
            worker_template,
            runtime: WorkerRuntime::Kubernetes,
            event_selector: None,
            data,
            gateway_account: AccountRef::default(),
            worker_nats: None,
            gateway_members_policy: true,
            members_policy_recheck: std::time::Duration::from_secs(60),
        }
    }

    /// The part every controller shares, with a fresh event recorder and
    /// no backoff recorded yet.
    pub fn base(&self) -> Base {
        let reporter = Reporter {
            controller: "sellout-operator".into(),
            instance: std::env::var("POD_NAME").ok(),
        };
        Base {
            recorder: Recorder::new(self.client.clone(), reporter),
            client: self.client.clone(),
            metrics: self.metrics.clone(),
            backoff: Backoff::default(),
            shutdown: self.shutdown.clone(),
            namespace: self.namespace.clone(),
            naive_writes: self.naive_writes,
        }
    }
}

/// What every controller shares.
pub struct Base {
    /// Kubernetes client.
    pub client: kube::Client,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// Records Kubernetes Events (`kubectl describe`).
    pub recorder: Recorder,
    /// Per-object retry delays.
    pub backoff: Backoff,
    /// Cancelled to stop the controllers.
    pub shutdown: CancellationToken,
    /// Watch only this namespace (`None`: every namespace).
    pub namespace: Option<String>,
    /// Benchmark baseline only: write every child and status on every
    /// reconcile.
    pub naive_writes: bool,
}

impl Base {
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

/// What the Event controller's reconciles use.
pub struct EventContext {
    /// What every controller shares.
    pub base: Arc<Base>,
    /// How worker pods are made.
    pub worker_template: WorkerTemplate,
    /// How event workers run.
    pub runtime: WorkerRuntime,
    /// MongoDB and JetStream; `None` in objects-only mode.
    pub data: Option<DataPlane>,
    /// Mints each event's workers their NATS user.
    pub worker_nats: Option<sellout_common::nats_auth::WorkerIssuer>,
    /// The tiers and venues a reconcile reads.
    pub caches: Caches,
    /// What this controller last applied to each worker object.
    pub applied: Applied,
}

impl EventContext {
    /// The Event controller's context: its settings from `ctx`, reading
    /// tiers and venues from `caches`.
    pub fn new(base: Arc<Base>, ctx: &Context, caches: Caches) -> Self {
        EventContext {
            base,
            worker_template: ctx.worker_template.clone(),
            runtime: ctx.runtime.clone(),
            data: ctx.data.clone(),
            worker_nats: ctx.worker_nats.clone(),
            caches,
            applied: Applied::default(),
        }
    }
}

/// What the Organization controller's reconciles use.
pub struct OrganizationContext {
    /// What every controller shares.
    pub base: Arc<Base>,
    /// The gateway's ServiceAccount, granted access to each organization
    /// namespace.
    pub gateway_account: AccountRef,
    /// What this controller last applied to each RBAC object.
    pub applied: Applied,
    /// Whether to install the members policy at start.
    pub install_members_policy: bool,
    /// Whether it is installed: the gateway's Role then patches
    /// Organizations.
    pub members_policy: std::sync::atomic::AtomicBool,
    /// How often it is applied again.
    pub members_policy_recheck: std::time::Duration,
}

impl OrganizationContext {
    /// The Organization controller's context, with its settings from `ctx`.
    pub fn new(base: Arc<Base>, ctx: &Context) -> Self {
        OrganizationContext {
            base,
            gateway_account: ctx.gateway_account.clone(),
            applied: Applied::default(),
            install_members_policy: ctx.gateway_members_policy,
            members_policy: std::sync::atomic::AtomicBool::new(false),
            members_policy_recheck: ctx.members_policy_recheck,
        }
    }
}

/// What the Venue controller's reconciles use: the shared part only.
pub struct VenueContext {
    /// What every controller shares.
    pub base: Arc<Base>,
}

impl AsRef<Base> for EventContext {
    fn as_ref(&self) -> &Base {
        &self.base
    }
}

impl AsRef<Base> for OrganizationContext {
    fn as_ref(&self) -> &Base {
        &self.base
    }
}

impl AsRef<Base> for VenueContext {
    fn as_ref(&self) -> &Base {
        &self.base
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
