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

/// An operator replica under leader election (the real binary, identity
/// `identity`, Lease `sellout-operator` in [`LEADER_NS`], 4 s).
fn start_replica(api: &sellout_e2e::KubeApi, identity: &str) -> Process {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-operator"));
    cmd.env("KUBECONFIG", api.kubeconfig())
        .env("RUST_LOG", "info")
        .env("POD_NAME", identity)
        .args([
            "--watch-namespace",
            LEADER_NS,
            "--event-selector",
            "sellout.io/test-shard=leader-kill",
            "--lease-namespace",
            LEADER_NS,
            "--lease-seconds",
            &LEASE_SECONDS.to_string(),
            "--listen",
            &format!("127.0.0.1:{}", sellout_e2e::free_port().unwrap()),
        ]);
    Process::spawn(
        identity,
        cmd,
        &sellout_e2e::run_dir().join(format!("{identity}.log")),
    )
    .unwrap()
}

const LEADER_NS: &str = "op-leader-kill";
const LEASE_SECONDS: u64 = 4;

/// Fault drill: of two operator replicas, the leader is killed with
/// SIGKILL (it cannot give the Lease up). The other takes the Lease over
/// once it has run out and reconciles an Event applied after the kill,
/// within the lease time and a reconcile.
#[tokio::test]
async fn the_second_replica_takes_over_from_a_leader_killed_with_sigkill() {
    use k8s_openapi::api::coordination::v1::Lease;
    let (api, _shared) = operator().await;
    Manifests::new(LEADER_NS)
        .namespace()
        .venue("hall")
        .apply(api);
    let client = api.client().await.unwrap();
    let events: Api<Event> = Api::namespaced(client.clone(), LEADER_NS);
    let leases: Api<Lease> = Api::namespaced(client.clone(), LEADER_NS);
    let mut replicas = std::collections::HashMap::new();
    for id in ["op-kill-a", "op-kill-b"] {
        replicas.insert(id, start_replica(api, id));
    }
    Manifests::new(LEADER_NS)
        .event(event("first").shard("leader-kill"))
        .apply(api);
    let ready = |name: &'static str| {
        let events = events.clone();
        async move {
            let e = events.get_opt(name).await.ok()??;
            condition(&e, "Ready")
                .is_some_and(|r| r.0 == "True")
                .then_some(())
        }
    };
    wait_for("the first event Ready", 60, || ready("first")).await;
    let holder = |leases: Api<Lease>| async move {
        leases
            .get_opt("sellout-operator")
            .await
            .ok()??
            .spec?
            .holder_identity
    };
    let leader = holder(leases.clone())
        .await
        .expect("a leader holds the Lease");
    let follower = if leader == "op-kill-a" {
        "op-kill-b"
    } else {
        "op-kill-a"
    };

    replicas.remove(leader.as_str()).unwrap().kill();
    let killed = std::time::Instant::now();
    Manifests::new(LEADER_NS)
        .event(event("second").shard("leader-kill"))
        .apply(api);
    wait_for("the follower to hold the Lease", 30, || {
        let leases = leases.clone();
        async move { (holder(leases).await? == follower).then_some(()) }
    })
    .await;
    let took_over = killed.elapsed();
    wait_for("the event applied after the kill Ready", 60, || {
        ready("second")
    })
    .await;
    let reconciled = killed.elapsed();
    eprintln!(
        "operator leader kill drill: {follower} held the Lease {:.1} s and reconciled the new event {:.1} s after the kill (lease {LEASE_SECONDS} s)",
        took_over.as_secs_f64(),
        reconciled.as_secs_f64()
    );
    assert!(
        took_over < Duration::from_secs(LEASE_SECONDS + 6),
        "took the Lease over after {took_over:?}, lease {LEASE_SECONDS} s"
    );
    assert!(
        reconciled < Duration::from_secs(LEASE_SECONDS + 20),
        "reconciled {reconciled:?} after the kill"
    );
    let deployments: Api<Deployment> = Api::namespaced(client, LEADER_NS);
    let mut names = names(&deployments).await.unwrap();
    let all = names.len();
    names.sort();
    names.dedup();
    assert_eq!(
        (all, names.len()),
        (4, 4),
        "one checkout and one scan set per event: {names:?}"
    );
}
