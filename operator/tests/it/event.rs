use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use kube::api::{Api, ListParams, Patch, PatchParams};
use sellout_crds::{Event, TicketTier};

use crate::common::{
    Manifests, condition, event, kubectl, message, names, operator, repo, wait_condition,
    wait_event, wait_for, wait_kubernetes_event,
};

#[tokio::test]
async fn examples_become_ready_with_their_workers_and_nothing_is_rewritten() {
    // An operator of its own (the examples labelled for its shard), so
    // that the writes counted below are this event's only, not those of
    // the other tests' events.
    let (api, _) = operator().await;
    let ctx = crate::common::spawn_operator(
        |ctx| {
            ctx.event_selector = Some(format!("{}=examples", crate::common::SHARD));
            ctx.namespace = Some("riverside-presents".into());
        },
        None,
    );
    let client = api.client().await.unwrap();
    // The examples labelled for the shard (`kubectl label --local` prints
    // the objects as a stream of JSON documents, which apply reads).
    let labelled = kubectl(
        api,
        &[
            "label",
            "--local",
            "-o",
            "json",
            "-f",
            repo().join("examples").to_str().unwrap(),
            &format!("{}=examples", crate::common::SHARD),
        ],
        None,
    );
    kubectl(api, &["apply", "-f", "-"], Some(&labelled));
    let ns = "riverside-presents";
    let events: Api<Event> = Api::namespaced(client.clone(), ns);

    // Weekend, Saturday, Sunday and balcony tiers, 15 tables of 8, 50 crew
    // (the parking add-on admits nobody).
    let capacity = 1200 + 400 + 400 + 480 + 15 * 8 + 50;
    // The tiers arrive after the event: Ready comes first, the capacity
    // settles as each tier's watch event reaches the operator.
    let ready = wait_event(
        &events,
        "riverside-festival-2027",
        "the example event to be Ready with every tier counted",
        60,
        |e| {
            (condition(&e, "Ready") == Some(("True".into(), "Reconciled".into()))
                && e.status.as_ref()?.capacity == Some(capacity))
            .then_some(e)
        },
    )
    .await;
    let st = ready.status.unwrap();
    assert_eq!(st.observed_generation, ready.metadata.generation);
    // No checkout writer ran: every tier's quantity is available, in people.
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
    // watch event, so a reconcile) and count the Event controller's API
    // writes, once it has been quiet for 2 s (the tiers' status settles
    // after Ready).
    let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut writes_before = ctx.metrics.writes_of("event");
    loop {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let now = ctx.metrics.writes_of("event");
        if now == writes_before || tokio::time::Instant::now() > give_up {
            break;
        }
        writes_before = now;
    }
    let runs_before = ctx.metrics.reconcile_count("event");
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
        async move { (ctx.metrics.reconcile_count("event") > runs_before).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        ctx.metrics.writes_of("event"),
        writes_before,
        "an unchanged event caused API writes"
    );
}

#[tokio::test]
async fn missing_venue_is_degraded_until_it_exists() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    let ns = "op-venue-later";
    Manifests::new(ns)
        .namespace()
        .event(event("gig").venue("later-hall"))
        .apply(api);
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let degraded = wait_condition(&events, "gig", "Degraded", "VenueNotFound", 30).await;
    assert_eq!(condition(&degraded, "Ready").unwrap().0, "False");
    let msg = message(&degraded, "Degraded");
    assert!(
        msg.contains("later-hall") && msg.contains("create it"),
        "{msg}"
    );
    // Nothing was built for an inconsistent event.
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
    assert!(names(&deployments).await.unwrap().is_empty());
    // `kubectl describe` shows why.
    wait_kubernetes_event(&client, ns, "VenueNotFound", 20).await;

    // The venue appears: the event recovers by itself (venue watch).
    Manifests::new(ns).venue("later-hall").apply(api);
    wait_event(&events, "gig", "Ready after the venue exists", 30, |e| {
        (condition(&e, "Ready") == Some(("True".into(), "Reconciled".into()))
            && condition(&e, "Degraded").is_some_and(|d| d.0 == "False"))
        .then_some(())
    })
    .await;
    assert_eq!(
        names(&deployments).await.unwrap(),
        ["gig-checkout", "gig-scan"]
    );
}
