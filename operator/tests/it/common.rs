//! What the tests share: the API server with the shared operator, more
//! operators, the manifests a test applies, and waiting for what the
//! operator does.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::api::{Api, DeleteParams, ListParams};
use kube::{Client, Resource};
use sellout_crds::Event;
use sellout_operator::Context;
use sellout_operator::event::build::WorkerTemplate;
use sellout_operator::event::data::DataPlane;
use sellout_operator::leader::Election;
use serde::de::DeserializeOwned;

/// Label of Events that the shared test operator leaves to another one.
pub const SHARD: &str = "sellout.io/test-shard";

/// The MongoDB database the operator under test uses.
pub const DB: &str = "sellout";

pub fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

pub fn kubectl(api: &sellout_e2e::KubeApi, args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write;
    use std::process::Stdio;
    let mut cmd = api.kubectl().unwrap();
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let input = stdin.unwrap_or("").to_owned();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `kubectl apply` of the `yaml` given.
pub fn apply(api: &sellout_e2e::KubeApi, yaml: &str) {
    kubectl(api, &["apply", "-f", "-"], Some(yaml));
}

/// Starts (once) the API server with the CRDs and an operator running on a
/// runtime of its own, so it outlives any single test.
pub async fn operator() -> (&'static sellout_e2e::KubeApi, Arc<Context>) {
    static CTX: OnceLock<Arc<Context>> = OnceLock::new();
    let api = sellout_e2e::kube_with_crds().await;
    if let Some(ctx) = CTX.get() {
        return (api, ctx.clone());
    }
    // Events of other test operators carry a shard label.
    let ctx = spawn_operator(
        |ctx| {
            ctx.event_selector = Some(format!("!{SHARD}"));
            ctx.members_policy_recheck = Duration::from_secs(2);
        },
        None,
    );
    let ctx = CTX.get_or_init(|| ctx).clone();
    (api, ctx)
}

/// The operator's MongoDB database.
pub async fn db() -> mongodb::Database {
    sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database(DB)
}

/// Starts an operator (with the test data plane) on a runtime of its own,
/// so it outlives any single test: `setup` adjusts its context, `leader`
/// runs it under leader election. Returns its context.
pub fn spawn_operator(
    setup: impl FnOnce(&mut Context) + Send + 'static,
    leader: Option<Election>,
) -> Arc<Context> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let client = sellout_e2e::kube().await.client().await.unwrap();
            let data = DataPlane {
                db: db().await,
                js: sellout_e2e::nats()
                    .await
                    .jetstream_as(sellout_common::nats_auth::Component::Operator)
                    .await
                    .unwrap(),
                stream_replicas: 1,
            };
            let template = WorkerTemplate {
                image: "sellout/worker:test".into(),
                env_secret: "sellout-worker".into(),
                per_event_nats: false,
                pod: Default::default(),
            };
            let mut ctx = Context::new(client, template, Some(data));
            setup(&mut ctx);
            let ctx = Arc::new(ctx);
            tx.send(ctx.clone()).unwrap();
            match leader {
                None => sellout_operator::run_controllers(ctx).await,
                Some(election) => sellout_operator::leader::run_as_leader(ctx, election)
                    .await
                    .unwrap(),
            }
        });
    });
    rx.recv().unwrap()
}

pub async fn wait_for<T, F, Fut>(what: &str, secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {secs}s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Status and reason of the Event's condition `type_`.
pub fn condition(e: &Event, type_: &str) -> Option<(String, String)> {
    e.status
        .as_ref()?
        .conditions
        .iter()
        .find(|c| c.type_ == type_)
        .map(|c| (c.status.clone(), c.reason.clone()))
}

/// The message of the Event's condition `type_`, which it must have.
pub fn message(e: &Event, type_: &str) -> String {
    e.status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .find(|c| c.type_ == type_)
        .unwrap()
        .message
        .clone()
}

/// Waits until `f` makes something of the Event `name`; returns that.
pub async fn wait_event<T>(
    events: &Api<Event>,
    name: &str,
    what: &str,
    secs: u64,
    f: impl Fn(Event) -> Option<T>,
) -> T {
    wait_for(what, secs, || {
        let f = &f;
        async move { f(events.get(name).await.ok()?) }
    })
    .await
}

/// Waits until the Event `name` has condition `type_` True with `reason`;
/// returns the Event.
pub async fn wait_condition(
    events: &Api<Event>,
    name: &str,
    type_: &str,
    reason: &str,
    secs: u64,
) -> Event {
    let what = format!("{name} to be {type_}/{reason}");
    let want = Some(("True".to_owned(), reason.to_owned()));
    wait_event(events, name, &what, secs, |e| {
        (condition(&e, type_) == want).then_some(e)
    })
    .await
}

/// Names of the objects `api` lists.
pub async fn names<K>(api: &Api<K>) -> kube::Result<Vec<String>>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    Ok(api
        .list(&ListParams::default())
        .await?
        .items
        .into_iter()
        .filter_map(|o| o.meta().name.clone())
        .collect())
}

/// Waits until the object `name` no longer exists.
pub async fn wait_gone<K>(api: &Api<K>, name: &str, what: &str, secs: u64)
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    wait_for(what, secs, || async move {
        api.get_opt(name).await.ok()?.is_none().then_some(())
    })
    .await;
}

/// Deletes the object `name` and waits until it exists again (a new uid).
pub async fn delete_and_wait_remade<K>(api: &Api<K>, name: &str, what: &str, secs: u64)
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    let old_uid = api.get(name).await.unwrap().meta().uid.clone();
    api.delete(name, &DeleteParams::default()).await.unwrap();
    wait_for(what, secs, || {
        let old_uid = &old_uid;
        async move { (&api.get(name).await.ok()?.meta().uid != old_uid).then_some(()) }
    })
    .await;
}

/// Waits for a Kubernetes Event (what `kubectl describe` shows) with
/// `reason` in `ns`.
pub async fn wait_kubernetes_event(client: &Client, ns: &str, reason: &str, secs: u64) {
    let core_events: Api<CoreEvent> = Api::namespaced(client.clone(), ns);
    wait_for(&format!("a Kubernetes Event {reason}"), secs, || {
        let core_events = core_events.clone();
        async move {
            core_events
                .list(&ListParams::default())
                .await
                .ok()?
                .items
                .iter()
                .any(|e| e.reason.as_deref() == Some(reason))
                .then_some(())
        }
    })
    .await;
}

/// The YAML a test applies: objects in one namespace, in order.
pub struct Manifests {
    ns: String,
    yaml: String,
}

impl Manifests {
    pub fn new(ns: &str) -> Self {
        Manifests {
            ns: ns.to_owned(),
            yaml: String::new(),
        }
    }

    fn add(mut self, object: &str) -> Self {
        if !self.yaml.is_empty() {
            self.yaml.push_str("---\n");
        }
        self.yaml.push_str(object);
        self
    }

    /// The Namespace itself.
    pub fn namespace(self) -> Self {
        let ns = &self.ns;
        let object = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n");
        self.add(&object)
    }

    /// A Venue with one general-admission section, `floor`, for 1000.
    pub fn venue(self, name: &str) -> Self {
        let ns = &self.ns;
        let object = format!(
            r#"apiVersion: sellout.io/v1alpha1
kind: Venue
metadata: {{name: {name}, namespace: {ns}}}
spec:
  displayName: Hall
  address: {{line1: 1 Road, city: York, country: GB}}
  timezone: Europe/London
  capacity: 1000
  sections:
  - name: floor
    generalAdmission: {{capacity: 1000}}
"#
        );
        self.add(&object)
    }

    /// An Event, as [`event`] describes it.
    pub fn event(self, event: EventManifest) -> Self {
        let ns = &self.ns;
        let EventManifest {
            name,
            venue,
            state,
            shard,
            workers,
        } = event;
        let labels = match shard {
            Some(shard) => format!(", labels: {{{SHARD:?}: {shard:?}}}"),
            None => String::new(),
        };
        let mut object = format!(
            r#"apiVersion: sellout.io/v1alpha1
kind: Event
metadata: {{name: {name}, namespace: {ns}{labels}}}
spec:
  title: {name}
  venueRef: {{name: {venue}}}
  currency: GBP
  state: {state}
  days:
  - {{doorsAt: "2027-05-01T18:00:00Z", startsAt: "2027-05-01T19:00:00Z", endsAt: "2027-05-01T23:00:00Z"}}
  onSaleAt: "2027-02-01T10:00:00Z"
"#
        );
        if let Some((min, max)) = workers {
            writeln!(
                object,
                "  workers:\n    checkout: {{minReplicas: {min}, maxReplicas: {max}}}"
            )
            .unwrap();
        }
        self.add(&object)
    }

    /// A TicketTier of `event` on the `floor`: `quantity` tickets at
    /// GBP 20.00.
    pub fn tier(self, name: &str, event: &str, quantity: i64) -> Self {
        let ns = &self.ns;
        let object = format!(
            r#"apiVersion: sellout.io/v1alpha1
kind: TicketTier
metadata: {{name: {name}, namespace: {ns}}}
spec:
  eventRef: {{name: {event}}}
  displayName: {name}
  price: {{amountMinor: 2000, currency: GBP}}
  quantity: {quantity}
  section: floor
"#
        );
        self.add(&object)
    }

    /// `kubectl apply` of them all.
    pub fn apply(self, api: &sellout_e2e::KubeApi) {
        apply(api, &self.yaml);
    }
}

/// An Event `name` for [`Manifests::event`]: Published, at the venue
/// `hall`, one day (2027-05-01, doors 18:00), on sale from 2027-02-01,
/// default workers; the methods change that.
pub fn event(name: &str) -> EventManifest {
    EventManifest {
        name: name.to_owned(),
        venue: "hall".to_owned(),
        state: "Published",
        shard: None,
        workers: None,
    }
}

pub struct EventManifest {
    name: String,
    venue: String,
    state: &'static str,
    shard: Option<String>,
    workers: Option<(i32, i32)>,
}

impl EventManifest {
    pub fn venue(mut self, venue: &str) -> Self {
        self.venue = venue.to_owned();
        self
    }

    pub fn state(mut self, state: &'static str) -> Self {
        self.state = state;
        self
    }

    /// Labelled for the test operator of `shard` (see [`SHARD`]): the
    /// shared operator leaves it alone.
    pub fn shard(mut self, shard: &str) -> Self {
        self.shard = Some(shard.to_owned());
        self
    }

    /// Checkout workers between `min` and `max` replicas.
    pub fn workers(mut self, min: i32, max: i32) -> Self {
        self.workers = Some((min, max));
        self
    }
}
