use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ListParams};
use sellout_common::process::Process;
use sellout_crds::Event;

use crate::common::{Manifests, condition, event, names, operator, wait_for};

const NS: &str = "op-crash";
const EVENTS: usize = 30;

fn start_operator(api: &sellout_e2e::KubeApi, n: u32) -> Process {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-operator"));
    cmd.env("KUBECONFIG", api.kubeconfig())
        .env("RUST_LOG", "info")
        .args([
            "--watch-namespace",
            NS,
            "--event-selector",
            "sellout.io/test-shard=crash",
            "--lease-namespace",
            NS,
            "--listen",
            &format!("127.0.0.1:{}", sellout_e2e::free_port().unwrap()),
        ]);
    Process::spawn(
        "sellout-operator",
        cmd,
        &sellout_e2e::run_dir().join(format!("crash-operator-{n}.log")),
    )
    .unwrap()
}

/// An operator killed with SIGKILL in the middle of reconciling and started
/// again converges: every Event Ready, exactly one set of children each.
#[tokio::test]
async fn operator_killed_mid_reconcile_converges_without_duplicates() {
    let (api, _shared) = operator().await;
    Manifests::new(NS).namespace().venue("hall").apply(api);
    let client = api.client().await.unwrap();
    let events: Api<Event> = Api::namespaced(client.clone(), NS);

    let first = start_operator(api, 1);
    let mut shows = Manifests::new(NS);
    for i in 0..EVENTS {
        shows = shows.event(event(&format!("e{i:02}")).shard("crash"));
    }
    shows.apply(api);
    // Kill it once it has made some children, but not all.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);
    wait_for("the first children", 30, || {
        let deployments = deployments.clone();
        async move { (!names(&deployments).await.ok()?.is_empty()).then_some(()) }
    })
    .await;
    #[allow(unsafe_code)]
    // SAFETY: SIGKILL to the operator process this test started.
    unsafe {
        libc::kill(first.pid() as i32, libc::SIGKILL);
    }
    let made = names(&deployments).await.unwrap().len();
    drop(first);

    // A new operator finishes the job.
    let second = start_operator(api, 2);
    wait_for("every event Ready", 90, || {
        let events = events.clone();
        async move {
            let list = events.list(&ListParams::default()).await.ok()?;
            list.items
                .iter()
                .all(|e| condition(e, "Ready").is_some_and(|r| r.0 == "True"))
                .then_some(())
        }
    })
    .await;
    let names = names(&deployments).await.unwrap();
    assert_eq!(
        names.len(),
        2 * EVENTS,
        "one checkout and one scan set per event (had {made} when killed)"
    );
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "duplicate children: {names:?}");
    second.stop(Duration::from_secs(5));
}
