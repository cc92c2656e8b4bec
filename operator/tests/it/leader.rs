use std::sync::Arc;
use std::time::Duration;

use kube::api::{Api, Patch, PatchParams};
use sellout_crds::Event;
use sellout_operator::Context;
use sellout_operator::leader::Election;

use crate::common::{Manifests, condition, event, kubectl, operator, spawn_operator, wait_for};

const NS: &str = "op-leader";

/// An operator replica watching only this test's shard, under election.
fn replica(identity: &'static str) -> Arc<Context> {
    spawn_operator(
        |ctx| {
            ctx.namespace = Some(NS.into());
            ctx.event_selector = Some("sellout.io/test-shard=leader".into());
        },
        Some(Election {
            lease: "sellout-operator-test".into(),
            namespace: NS.into(),
            identity: identity.into(),
            duration_seconds: 3,
        }),
    )
}

#[tokio::test]
async fn two_replicas_never_both_act_and_the_second_takes_over() {
    // CRDs installed; the shared operator leaves shard-labelled events alone.
    let (api, _shared) = operator().await;
    kubectl(api, &["create", "namespace", NS], None);
    let a = replica("replica-a");
    let b = replica("replica-b");
    Manifests::new(NS)
        .venue("hall")
        .event(event("show").shard("leader").state("Draft"))
        .apply(api);
    let (leader, follower) = wait_for("one replica to reconcile", 30, || {
        let (a, b) = (a.clone(), b.clone());
        async move {
            match (
                a.metrics.reconcile_count("event"),
                b.metrics.reconcile_count("event"),
            ) {
                (0, 0) => None,
                (_, 0) => Some((a, b)),
                (0, _) => Some((b, a)),
                (x, y) => panic!("both replicas reconciled ({x} and {y})"),
            }
        }
    })
    .await;
    // Stay a while: the follower must not act, and the leader settles
    // (no reconcile storm).
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        follower.metrics.reconcile_count("event"),
        0,
        "the follower acted"
    );
    let settled = leader.metrics.reconcile_count("event");
    assert!(
        settled < 15,
        "{settled} reconciles of one unchanged event in 4 s"
    );

    // The leader stops (and releases the lease); the follower takes over.
    leader.shutdown.cancel();
    // Let a reconcile already under way finish.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let stopped_at = leader.metrics.reconcile_count("event");
    let events: Api<Event> = Api::namespaced(api.client().await.unwrap(), NS);
    wait_for("the follower to take over and reconcile", 30, || {
        let (events, follower) = (events.clone(), follower.clone());
        async move {
            // Each touch is a watch event, hence a reconcile by the leader.
            let patch = serde_json::json!({"metadata": {"annotations": {"touch": format!("{:?}", std::time::Instant::now())}}});
            events.patch("show", &PatchParams::default(), &Patch::Merge(&patch)).await.ok()?;
            (follower.metrics.reconcile_count("event") > 0).then_some(())
        }
    })
    .await;
    assert_eq!(
        leader.metrics.reconcile_count("event"),
        stopped_at,
        "the old leader kept acting"
    );
    let e = events.get("show").await.unwrap();
    assert!(condition(&e, "Ready").is_some());
}
