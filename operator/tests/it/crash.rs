use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ListParams, PostParams};
use sellout_common::process::Process;
use sellout_crds::Event;

use crate::event::{condition, kubectl, operator, wait_for};

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
    kubectl(api, &["create", "namespace", NS], None);
    kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&format!(
            "apiVersion: sellout.io/v1alpha1\nkind: Venue\nmetadata: {{name: hall, namespace: {NS}}}\nspec:\n  displayName: Hall\n  address: {{line1: 1 Road, city: Ely, country: GB}}\n  timezone: Europe/London\n  capacity: 100\n"
        )),
    );
    let client = api.client().await.unwrap();
    let events: Api<Event> = Api::namespaced(client.clone(), NS);

    let first = start_operator(api, 1);
    for i in 0..EVENTS {
        let ev: Event = serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
            "metadata": {"name": format!("e{i:02}"), "namespace": NS, "labels": {"sellout.io/test-shard": "crash"}},
            "spec": {"title": "E", "venueRef": {"name": "hall"}, "currency": "GBP", "state": "Published",
                     "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}],
                     "onSaleAt": "2027-02-01T10:00:00Z"}
        }))
        .unwrap();
        events.create(&PostParams::default(), &ev).await.unwrap();
    }
    // Kill it once it has made some children, but not all.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);
    wait_for("the first children", 30, || {
        let deployments = deployments.clone();
        async move {
            (!deployments
                .list(&ListParams::default())
                .await
                .ok()?
                .items
                .is_empty())
            .then_some(())
        }
    })
    .await;
    #[allow(unsafe_code)]
    // SAFETY: SIGKILL to the operator process this test started.
    unsafe {
        libc::kill(first.pid() as i32, libc::SIGKILL);
    }
    let made = deployments
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .len();
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
    let names: Vec<String> = deployments
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|d| d.metadata.name)
        .collect();
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
