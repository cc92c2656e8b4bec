use std::sync::Arc;
use std::time::Duration;

use kube::api::{Api, DeleteParams};
use sellout_crds::Event;
use sellout_operator::context::WorkerRuntime;
use sellout_operator::event::local::LocalRuntime;

use crate::common::{DB, Manifests, event, kubectl, operator, spawn_operator, wait_for};

const NS: &str = "op-local";

#[tokio::test]
async fn local_runtime_runs_supervised_workers_that_report_ready() {
    let (api, _shared) = operator().await;
    kubectl(api, &["create", "namespace", NS], None);
    let nats_url = sellout_e2e::nats().await.url().to_owned();
    let mongo_uri = sellout_e2e::mongo().await.uri().to_owned();
    let logs = sellout_e2e::run_dir().join("workers");
    let local = Arc::new(LocalRuntime::new(
        sellout_e2e::worker::worker_bin(),
        vec![
            ("SELLOUT_NATS_URL".into(), nats_url),
            ("SELLOUT_MONGO_URI".into(), mongo_uri),
            ("SELLOUT_MONGO_DATABASE".into(), DB.into()),
            // The checkout role reads its Event from the API.
            (
                "KUBECONFIG".into(),
                api.kubeconfig().to_string_lossy().into_owned(),
            ),
        ],
        logs.clone(),
    ));
    let local2 = local.clone();
    let (account, signer) = sellout_e2e::nats().await.worker_issuer();
    let issuer = sellout_common::nats_auth::WorkerIssuer::from_file(&account, signer).unwrap();
    let ctx = spawn_operator(
        move |ctx| {
            ctx.namespace = Some(NS.into());
            ctx.event_selector = Some("sellout.io/test-shard=local".into());
            ctx.runtime = WorkerRuntime::Local(local2);
            // Each event's workers get a NATS user of their own.
            ctx.worker_nats = Some(issuer);
        },
        None,
    );
    Manifests::new(NS)
        .venue("hall")
        .event(event("show").shard("local"))
        .apply(api);
    // One checkout and one scan worker, both answering /readyz (NATS and
    // MongoDB reachable).
    for c in [
        sellout_operator::event::build::Component::Checkout,
        sellout_operator::event::build::Component::Scan,
    ] {
        let local = local.clone();
        wait_for("a ready local worker", 60, || {
            let local = local.clone();
            async move { (local.ready(NS, "show", c).await == 1).then_some(()) }
        })
        .await;
    }
    // The checkout worker finds its event and stream and serves.
    let log_path = logs.join(NS).join("show-checkout-0.log");
    wait_for("the checkout worker to serve", 60, || {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        async move { log.contains("checkout role serving").then_some(()) }
    })
    .await;

    // A crashed worker is restarted.
    // Worker processes of this namespace, found by their environment.
    let pids = || -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                    let env = String::from_utf8_lossy(&env);
                    env.split('\0').any(|v| v == "SELLOUT_NAMESPACE=op-local")
                        && env
                            .split('\0')
                            .any(|v| v.starts_with("SELLOUT_WORKER_ROLE="))
                })
            })
            .collect()
    };
    let before = pids();
    assert_eq!(before.len(), 2, "{before:?}");
    #[allow(unsafe_code)]
    // SAFETY: killing a worker process this test's operator started.
    unsafe {
        libc::kill(before[0] as i32, libc::SIGKILL);
    }
    wait_for("the killed worker to be replaced", 30, || async {
        let now = pids();
        (now.len() == 2 && !now.contains(&before[0])).then_some(())
    })
    .await;

    // Deleting the (unsold) event stops its workers.
    let events: Api<Event> = Api::namespaced(api.client().await.unwrap(), NS);
    events
        .delete("show", &DeleteParams::default())
        .await
        .unwrap();
    wait_for("the workers to stop", 30, || async {
        pids().is_empty().then_some(())
    })
    .await;
    ctx.shutdown.cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
}
