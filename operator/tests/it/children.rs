//! The Event's child objects stay as the operator built them: hand edits
//! and deletions are repaired, a fixed replica count survives the switch
//! to autoscaling, and an object of the same name that is not the Event's
//! is reported, never taken over.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Service;
use kube::api::{Api, DeleteParams};
use sellout_crds::Event;

use crate::common::{
    Manifests, condition, delete_and_wait_remade, event, kubectl, message, operator,
    wait_condition, wait_event, wait_for,
};

async fn replicas(deployments: &Api<Deployment>, name: &str) -> Option<i32> {
    deployments.get(name).await.ok()?.spec?.replicas
}

#[tokio::test]
async fn hand_edits_are_repaired_and_fixed_replicas_survive_autoscaling() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    let ns = "op-children";
    Manifests::new(ns)
        .namespace()
        .venue("hall")
        .event(event("show").workers(3, 3))
        .apply(api);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
    wait_for("a checkout Deployment with 3 fixed replicas", 60, || {
        let d = deployments.clone();
        async move { (replicas(&d, "show-checkout").await == Some(3)).then_some(()) }
    })
    .await;

    // Someone scales it by hand: the operator puts it back.
    kubectl(
        api,
        &[
            "scale",
            "deployment",
            "show-checkout",
            "-n",
            ns,
            "--replicas=7",
        ],
        None,
    );
    wait_for("the hand-scaled Deployment back at 3", 30, || {
        let d = deployments.clone();
        async move { (replicas(&d, "show-checkout").await == Some(3)).then_some(()) }
    })
    .await;

    // Someone deletes its Service: the operator makes it again.
    let services: Api<Service> = Api::namespaced(client.clone(), ns);
    delete_and_wait_remade(&services, "show-scan", "the deleted Service made again", 30).await;

    // Fixed 3 → autoscaled 2..6: the HPA takes over from the count the
    // Deployment had; server-side apply must not reset it to 1.
    kubectl(
        api,
        &[
            "patch",
            "sev",
            "show",
            "-n",
            ns,
            "--type=merge",
            "-p",
            r#"{"spec":{"workers":{"checkout":{"minReplicas":2,"maxReplicas":6}}}}"#,
        ],
        None,
    );
    let hpas: Api<HorizontalPodAutoscaler> = Api::namespaced(client.clone(), ns);
    wait_for("an HPA for the checkout workers", 30, || {
        let h = hpas.clone();
        async move {
            let hpa = h.get("show-checkout").await.ok()?;
            (hpa.spec.min_replicas == Some(2) && hpa.spec.max_replicas == 6).then_some(())
        }
    })
    .await;
    // The Deployment was applied before the HPA; give a wrong apply time
    // to show, then check.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let d = deployments.get("show-checkout").await.unwrap();
    let ours = d
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(sellout_operator::labels::APPLIED_HASH))
        .cloned();
    assert!(ours.is_some(), "the Deployment was applied by the operator");
    assert_eq!(
        d.spec.unwrap().replicas,
        Some(3),
        "switching to autoscaling changed the running replica count"
    );
}

#[tokio::test]
async fn a_same_named_object_of_someone_else_is_reported_not_taken_over() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    let ns = "op-foreign";
    kubectl(api, &["create", "namespace", ns], None);
    // Somebody's Service already has the name the scan workers need.
    kubectl(
        api,
        &[
            "create",
            "service",
            "clusterip",
            "gig-scan",
            "-n",
            ns,
            "--tcp=80:8080",
        ],
        None,
    );
    Manifests::new(ns)
        .venue("hall")
        .event(event("gig").workers(1, 4))
        .apply(api);
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let degraded = wait_condition(&events, "gig", "Degraded", "ReconcileFailed", 60).await;
    let message = message(&degraded, "Degraded");
    assert!(
        message.contains("Service gig-scan") && message.contains("not owned by this Event"),
        "{message}"
    );
    let services: Api<Service> = Api::namespaced(client.clone(), ns);
    let svc = services.get("gig-scan").await.unwrap();
    assert!(
        svc.metadata.owner_references.is_none(),
        "the operator took over somebody's Service"
    );
    assert_eq!(svc.spec.unwrap().ports.unwrap()[0].port, 80);

    // Once it is out of the way, the event recovers by itself (backoff).
    services
        .delete("gig-scan", &DeleteParams::default())
        .await
        .unwrap();
    wait_event(
        &events,
        "gig",
        "the event Ready after the Service is gone",
        90,
        |e| {
            condition(&e, "Ready")
                .is_some_and(|r| r.0 == "True")
                .then_some(())
        },
    )
    .await;
}

/// The autoscaler scaling an autoscaled Deployment bumps its generation;
/// that is not an edit to repair, and the operator writes nothing for it.
#[tokio::test]
async fn autoscaler_scaling_causes_no_operator_writes() {
    const NS: &str = "op-autoscaled";
    let (api, _shared) = operator().await;
    let ctx = crate::common::spawn_operator(
        |ctx| {
            ctx.event_selector = Some("sellout.io/test-shard=autoscaled".into());
            ctx.namespace = Some(NS.into());
        },
        None,
    );
    let client = api.client().await.unwrap();
    Manifests::new(NS)
        .namespace()
        .venue("hall")
        .event(event("show").shard("autoscaled").workers(2, 6))
        .apply(api);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);
    wait_for("the autoscaled checkout Deployment", 60, || {
        let d = deployments.clone();
        async move { d.get("show-checkout").await.ok() }
    })
    .await;
    let applies = |ctx: &sellout_operator::Context| -> u64 {
        ctx.metrics
            .encode()
            .lines()
            .filter(|l| {
                l.starts_with("sellout_operator_api_writes_total{")
                    && l.contains("kind=\"Deployment\"")
                    && l.contains("verb=\"apply\"")
            })
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    };
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let before = applies(&ctx);
    // What the HPA does: scale through the scale subresource.
    kubectl(
        api,
        &[
            "scale",
            "deployment",
            "show-checkout",
            "-n",
            NS,
            "--replicas=5",
        ],
        None,
    );
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        applies(&ctx),
        before,
        "the operator re-applied the Deployment after an autoscaler scale"
    );
    assert_eq!(replicas(&deployments, "show-checkout").await, Some(5));
    // A real edit is still repaired.
    kubectl(
        api,
        &[
            "set",
            "image",
            "deployment/show-checkout",
            "-n",
            NS,
            "worker=evil:latest",
        ],
        None,
    );
    wait_for("the edited image put back", 30, || {
        let d = deployments.clone();
        async move {
            let dep = d.get("show-checkout").await.ok()?;
            let image = dep.spec?.template.spec?.containers[0].image.clone()?;
            (image != "evil:latest").then_some(())
        }
    })
    .await;
}
