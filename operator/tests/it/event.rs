use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Event as CoreEvent;
use kube::api::{Api, ListParams, Patch, PatchParams};
use sellout_crds::{Event, TicketTier};
use sellout_operator::Context;
use sellout_operator::event::build::WorkerTemplate;
use sellout_operator::event::data::DataPlane;
use sellout_operator::leader::Election;

/// Label of Events that the shared test operator leaves to another one.
pub const SHARD: &str = "sellout.io/test-shard";

/// The MongoDB database the operator under test uses.
pub const DB: &str = "sellout";

fn repo() -> &'static Path {
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

/// Starts (once) the API server with the CRDs and an operator running on a
/// runtime of its own, so it outlives any single test.
pub async fn operator() -> (&'static sellout_e2e::KubeApi, Arc<Context>) {
    static CTX: OnceLock<Arc<Context>> = OnceLock::new();
    let api = sellout_e2e::kube().await;
    if let Some(ctx) = CTX.get() {
        return (api, ctx.clone());
    }
    kubectl(
        api,
        &[
            "apply",
            "--server-side",
            "-f",
            repo().join("charts/sellout/crds").to_str().unwrap(),
        ],
        None,
    );
    kubectl(
        api,
        &[
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/events.sellout.io",
            "crd/tickettiers.sellout.io",
            "crd/venues.sellout.io",
            "crd/organizations.sellout.io",
        ],
        None,
    );
    // Events of other test operators carry a shard label.
    let ctx = spawn_operator(|ctx| ctx.event_selector = Some(format!("!{SHARD}")), None);
    let ctx = CTX.get_or_init(|| ctx).clone();
    (api, ctx)
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
                db: sellout_e2e::mongo()
                    .await
                    .client()
                    .await
                    .unwrap()
                    .database(DB),
                js: sellout_e2e::nats().await.jetstream().await.unwrap(),
            };
            let template = WorkerTemplate {
                image: "sellout/worker:test".into(),
                env_secret: "sellout-worker".into(),
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

pub fn condition(e: &Event, type_: &str) -> Option<(String, String)> {
    e.status
        .as_ref()?
        .conditions
        .iter()
        .find(|c| c.type_ == type_)
        .map(|c| (c.status.clone(), c.reason.clone()))
}

#[tokio::test]
async fn examples_become_ready_with_their_workers_and_nothing_is_rewritten() {
    let (api, ctx) = operator().await;
    let client = api.client().await.unwrap();
    kubectl(
        api,
        &["apply", "-f", repo().join("examples").to_str().unwrap()],
        None,
    );
    let ns = "riverside-presents";
    let events: Api<Event> = Api::namespaced(client.clone(), ns);

    // Weekend, Saturday, Sunday and balcony tiers, 15 tables of 8, 50 crew
    // (the parking add-on admits nobody).
    let capacity = 1200 + 400 + 400 + 480 + 15 * 8 + 50;
    // The tiers arrive after the event: Ready comes first, the capacity
    // settles as each tier's watch event reaches the operator.
    let ready = wait_for(
        "the example event to be Ready with every tier counted",
        60,
        || {
            let events = events.clone();
            async move {
                let e = events.get("riverside-festival-2027").await.ok()?;
                (condition(&e, "Ready") == Some(("True".into(), "Reconciled".into()))
                    && e.status.as_ref()?.capacity == Some(capacity))
                .then_some(e)
            }
        },
    )
    .await;
    let st = ready.status.unwrap();
    assert_eq!(st.observed_generation, ready.metadata.generation);
    // Inventory seeded from every tier: all of it available, in people.
    assert_eq!(
        (st.sold, st.held, st.available),
        (Some(0), Some(0), Some(capacity))
    );
    let workers = st.workers.expect("dedicated workers");
    assert_eq!(workers.checkout.ready, 0, "no kubelet runs pods here");

    // Children: owned by the event, labelled, autoscaled checkout.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
    let d = deployments
        .get("riverside-festival-2027-checkout")
        .await
        .unwrap();
    let owner = &d.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("Event", "riverside-festival-2027")
    );
    assert_eq!(owner.uid, ready.metadata.uid.clone().unwrap());
    let hpas: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), ns);
    let hpa = hpas.get("riverside-festival-2027-checkout").await.unwrap();
    assert_eq!(hpa.spec.max_replicas, 8);

    // Tiers are Ready too.
    let tiers: Api<TicketTier> = Api::namespaced(client.clone(), ns);
    wait_for("every tier to be Ready", 30, || {
        let tiers = tiers.clone();
        async move {
            let all = tiers.list(&ListParams::default()).await.ok()?.items;
            (all.len() == 7
                && all.iter().all(|t| {
                    t.status.as_ref().is_some_and(|s| {
                        s.conditions
                            .iter()
                            .any(|c| c.type_ == "Ready" && c.status == "True")
                    })
                }))
            .then_some(())
        }
    })
    .await;

    // A reconcile with nothing changed writes nothing: touch a label (a
    // watch event, so a reconcile) and count the operator's API writes.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let writes_before = ctx.metrics.total_writes();
    let reconciles = |ctx: &Context| {
        ctx.metrics
            .encode()
            .lines()
            .find(|l| l.starts_with("sellout_operator_reconciles_total{controller=\"event\"}"))
            .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let runs_before = reconciles(&ctx);
    let patch = serde_json::json!({"metadata": {"labels": {"touched": "yes"}}});
    events
        .patch(
            "riverside-festival-2027",
            &PatchParams::default(),
            &Patch::Merge(&patch),
        )
        .await
        .unwrap();
    wait_for("a reconcile after the touch", 20, || {
        let ctx = ctx.clone();
        async move { (reconciles(&ctx) > runs_before).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        ctx.metrics.total_writes(),
        writes_before,
        "an unchanged event caused API writes"
    );
}

const VENUE_LATER: &str = r#"apiVersion: sellout.io/v1alpha1
kind: Venue
metadata: {name: later-hall, namespace: op-venue-later}
spec:
  displayName: Later Hall
  address: {line1: 2 Road, city: Leeds, country: GB}
  timezone: Europe/London
  capacity: 300
  sections:
  - name: floor
    generalAdmission: {capacity: 300}
"#;

const EVENT_LATER: &str = r#"apiVersion: sellout.io/v1alpha1
kind: Event
metadata: {name: gig, namespace: op-venue-later}
spec:
  title: Gig
  venueRef: {name: later-hall}
  currency: GBP
  state: Published
  days:
  - {doorsAt: "2027-03-01T18:00:00Z", startsAt: "2027-03-01T19:00:00Z", endsAt: "2027-03-01T23:00:00Z"}
  onSaleAt: "2027-01-10T10:00:00Z"
"#;

#[tokio::test]
async fn missing_venue_is_degraded_until_it_exists() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    let ns = "op-venue-later";
    kubectl(api, &["create", "namespace", ns], None);
    kubectl(api, &["apply", "-f", "-"], Some(EVENT_LATER));
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let degraded = wait_for("Degraded/VenueNotFound", 30, || {
        let events = events.clone();
        async move {
            let e = events.get("gig").await.ok()?;
            (condition(&e, "Degraded") == Some(("True".into(), "VenueNotFound".into())))
                .then_some(e)
        }
    })
    .await;
    assert_eq!(condition(&degraded, "Ready").unwrap().0, "False");
    let msg = &degraded
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .find(|c| c.type_ == "Degraded")
        .unwrap()
        .message;
    assert!(
        msg.contains("later-hall") && msg.contains("create it"),
        "{msg}"
    );
    // Nothing was built for an inconsistent event.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
    assert!(
        deployments
            .list(&ListParams::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // `kubectl describe` shows why.
    let core_events: Api<CoreEvent> = Api::namespaced(client.clone(), ns);
    wait_for("a Kubernetes Event with reason VenueNotFound", 20, || {
        let core_events = core_events.clone();
        async move {
            let list = core_events.list(&ListParams::default()).await.ok()?;
            list.items
                .iter()
                .any(|e| e.reason.as_deref() == Some("VenueNotFound"))
                .then_some(())
        }
    })
    .await;

    // The venue appears: the event recovers by itself (venue watch).
    kubectl(api, &["apply", "-f", "-"], Some(VENUE_LATER));
    wait_for("Ready after the venue exists", 30, || {
        let events = events.clone();
        async move {
            let e = events.get("gig").await.ok()?;
            (condition(&e, "Ready") == Some(("True".into(), "Reconciled".into()))
                && condition(&e, "Degraded").is_some_and(|d| d.0 == "False"))
            .then_some(())
        }
    })
    .await;
    let names: Vec<String> = deployments
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|d| d.metadata.name)
        .collect();
    assert_eq!(names, ["gig-checkout", "gig-scan"]);
}
