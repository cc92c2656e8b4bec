use std::time::Duration;

use kube::api::{Api, DeleteParams, Patch, PatchParams};
use mongodb::bson::{Document, doc};
use sellout_crds::Event;

use crate::common::{
    Manifests, condition, db, event, kubectl, message, operator, wait_condition, wait_event,
    wait_for, wait_gone,
};

/// Namespace `ns` with the venue `hall` and the event `show`, whose one
/// tier `ga` has `quantity` tickets.
fn manifests(ns: &str, quantity: i64) -> Manifests {
    Manifests::new(ns)
        .namespace()
        .venue("hall")
        .event(event("show"))
        .tier("ga", "show", quantity)
}

fn set_quantity(api: &sellout_e2e::KubeApi, ns: &str, q: i64) {
    kubectl(
        api,
        &[
            "patch",
            "tier",
            "ga",
            "-n",
            ns,
            "--type=merge",
            "-p",
            &format!("{{\"spec\":{{\"quantity\":{q}}}}}"),
        ],
        None,
    );
}

async fn inventory(ns_uid_prefix: &str) -> Option<Document> {
    db().await
        .collection::<Document>(&format!("{ns_uid_prefix}inventory"))
        .find_one(doc! {"_id": "ga"})
        .await
        .ok()?
}

fn i(d: &Document, k: &str) -> i64 {
    d.get_i64(k)
        .unwrap_or_else(|_| i64::from(d.get_i32(k).unwrap()))
}

/// The tier's inventory: (capacity, available, sold).
async fn counts(prefix: &str) -> (i64, i64, i64) {
    // A read can fail while FerretDB is busy with every other test: retry.
    let doc = wait_for("the inventory document", 30, || inventory(prefix)).await;
    (i(&doc, "capacity"), i(&doc, "available"), i(&doc, "sold"))
}

/// Writes the tier's figures as the event's checkout writer projects its
/// book (the one writer of inventory documents; the operator only reads).
async fn writer_projects(prefix: &str, capacity: i64, sold: i64) {
    let coll = db().await.collection(&format!("{prefix}inventory"));
    sellout_store::inventory::project(
        &coll,
        &sellout_store::inventory::TierCounts {
            tier: "ga".into(),
            capacity,
            available: capacity - sold,
            held: 0,
            sold,
            admission: true,
        },
    )
    .await
    .unwrap();
}

/// Sells `n` of the tier's `capacity` (as the checkout writer projects it).
async fn sell(prefix: &str, capacity: i64, n: i64) {
    writer_projects(prefix, capacity, n).await;
}

/// Waits until the event is Ready with its data plane, returns its
/// collection prefix and stream name.
async fn ready(events: &Api<Event>) -> (String, String) {
    wait_event(
        events,
        "show",
        "the event Ready with stream and collections",
        60,
        |e| {
            let st = e.status.as_ref()?;
            if condition(&e, "Ready") != Some(("True".into(), "Reconciled".into())) {
                return None;
            }
            Some((st.collection_prefix.clone()?, st.stream.clone()?))
        },
    )
    .await
}

#[tokio::test]
async fn inventory_follows_quantity_and_never_drops_below_sold() {
    let (api, _ctx) = operator().await;
    let ns = "op-inventory";
    manifests(ns, 100).apply(api);
    let events: Api<Event> = Api::namespaced(api.client().await.unwrap(), ns);
    let (prefix, stream) = ready(&events).await;

    // The stream exists with the event's subjects and durable consumers.
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let mut s = js.get_stream(&stream).await.unwrap();
    let info = s.info().await.unwrap();
    assert!(
        info.config.subjects.iter().any(|x| x.ends_with(".orders")),
        "{:?}",
        info.config.subjects
    );
    for c in ["email", "analytics"] {
        s.consumer_info(c).await.unwrap();
    }

    // Before any checkout writer ran, the figures are the tier's quantity
    // and the operator writes no inventory document (one writer: the
    // event's checkout writer).
    let e = wait_event(&events, "show", "figures from the quantity", 30, |e| {
        (e.status.as_ref()?.available == Some(100)).then_some(e)
    })
    .await;
    assert_eq!(e.status.unwrap().sold, Some(0));
    set_quantity(api, ns, 150);
    wait_event(&events, "show", "figures from the new quantity", 30, |e| {
        (e.status.as_ref()?.available == Some(150)).then_some(())
    })
    .await;
    assert!(
        inventory(&prefix).await.is_none(),
        "the operator wrote an inventory document"
    );

    // The checkout writer applied the quantity and sells 120.
    sell(&prefix, 150, 120).await;

    // Lowered below sold: Degraded, and the writer's figures stand (the
    // operator changes nothing).
    set_quantity(api, ns, 110);
    let e = wait_condition(&events, "show", "Degraded", "QuantityBelowSold", 30).await;
    let msg = message(&e, "Degraded");
    assert!(msg.contains("at least 120"), "{msg}");
    assert_eq!(counts(&prefix).await, (150, 30, 120));

    // Lowered to a possible value: the writer applies it; the Event is
    // Ready again with the writer's figures.
    set_quantity(api, ns, 130);
    sell(&prefix, 130, 120).await;
    let e = wait_event(&events, "show", "Ready again with counts", 30, |e| {
        (condition(&e, "Degraded").is_some_and(|d| d.0 == "False")
            && e.status.as_ref()?.sold == Some(120)
            && e.status.as_ref()?.available == Some(10))
        .then_some(e)
    })
    .await;
    let st = e.status.unwrap();
    assert_eq!((st.held, st.available), (Some(0), Some(10)));
    assert_eq!(counts(&prefix).await, (130, 10, 120));
}

#[tokio::test]
async fn deleting_an_unsold_event_cleans_up_and_a_sold_one_is_held() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    let db = db().await;
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();

    // Unsold: stream and hot collections go with it.
    let ns = "op-delete-unsold";
    manifests(ns, 10).apply(api);
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let (prefix, stream) = ready(&events).await;
    // A worker pod still running (no kubelet here: it just exists): the
    // data stays until no worker of the event is left.
    let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(client.clone(), ns);
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "show-checkout-x", "labels": {
            "app.kubernetes.io/name": "sellout-worker",
            "app.kubernetes.io/instance": "show",
            "app.kubernetes.io/component": "checkout"}},
        "spec": {"containers": [{"name": "worker", "image": "sellout/worker:test"}]}
    }))
    .unwrap();
    pods.create(&Default::default(), &pod).await.unwrap();
    events
        .delete("show", &DeleteParams::default())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        events.get_opt("show").await.unwrap().is_some(),
        "the event's data went while a worker pod was still running"
    );
    assert!(
        db.list_collection_names()
            .await
            .unwrap()
            .iter()
            .any(|n| n.starts_with(&prefix)),
        "hot collections dropped while a worker pod was still running"
    );
    pods.delete("show-checkout-x", &DeleteParams::default().grace_period(0))
        .await
        .unwrap();
    wait_gone(&events, "show", "the unsold event to be gone", 30).await;
    assert!(
        js.get_stream(&stream).await.is_err(),
        "stream {stream} still exists"
    );
    let names = db.list_collection_names().await.unwrap();
    assert!(!names.iter().any(|n| n.starts_with(&prefix)), "{names:?}");

    // Sold: deletion waits and says why.
    let ns = "op-delete-sold";
    manifests(ns, 10).apply(api);
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let (prefix, _stream) = ready(&events).await;
    sell(&prefix, 10, 4).await;
    events
        .delete("show", &DeleteParams::default())
        .await
        .unwrap();
    wait_condition(&events, "show", "Degraded", "DeletionHeld", 60).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        events.get_opt("show").await.unwrap().is_some(),
        "a sold event was deleted"
    );
    // Its workers stay, so that it can be cancelled and refunded.
    let deployments: Api<k8s_openapi::api::apps::v1::Deployment> =
        Api::namespaced(client.clone(), ns);
    assert!(
        deployments
            .get_opt("show-checkout")
            .await
            .unwrap()
            .is_some(),
        "the held event's checkout workers were stopped: no refunds possible"
    );
    let inv = db.collection::<Document>(&format!("{prefix}inventory"));
    assert_eq!(
        inv.count_documents(doc! {}).await.unwrap(),
        1,
        "hot data was removed"
    );

    // Archive policy: deleted, hot data archived.
    let patch = serde_json::json!({"spec": {"onDelete": "Archive"}});
    events
        .patch("show", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .unwrap();
    wait_gone(
        &events,
        "show",
        "the sold event to be gone after onDelete: Archive",
        30,
    )
    .await;
    let archived: mongodb::Collection<Document> =
        db.collection(&format!("archive_{prefix}inventory"));
    let doc = archived
        .find_one(doc! {"_id": "ga"})
        .await
        .unwrap()
        .expect("archived inventory");
    assert_eq!(i(&doc, "sold"), 4);
}

/// A stream and `email` consumer as an earlier operator left them (the
/// consumer reading every subject, part of the stream already consumed)
/// are brought up to date: the consumer then reads tickets and refunds
/// only, from where it was.
#[tokio::test]
async fn an_older_email_consumer_is_filtered_and_keeps_its_position() {
    use async_nats::jetstream::consumer::{self, AckPolicy};
    use futures::StreamExt;
    use sellout_common::names::{Names, stream_config};
    use sellout_operator::event::data::DataPlane;

    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let names = Names::for_uid("it-older-consumer-0001");
    let _ = js.delete_stream(&names.stream).await;
    let stream = js.create_stream(stream_config(&names)).await.unwrap();
    let old = stream
        .create_consumer(consumer::pull::Config {
            durable_name: Some("email".into()),
            ack_policy: AckPolicy::Explicit,
            ..Default::default()
        })
        .await
        .unwrap();
    let publish = |what: &str, body: &'static str| {
        let (js, subject) = (js.clone(), names.subject(what));
        async move {
            js.publish(subject, body.into())
                .await
                .unwrap()
                .await
                .unwrap()
                .sequence
        }
    };
    publish("orders", "o1").await;
    let consumed = publish("tickets", "t1").await;
    let mut batch = old.fetch().max_messages(2).messages().await.unwrap();
    while let Some(m) = batch.next().await {
        m.unwrap().double_ack().await.unwrap();
    }

    let data = DataPlane {
        db: db().await,
        js: js.clone(),
        stream_replicas: 1,
    };
    data.ensure_stream(&names).await.unwrap();
    // Twice: an up-to-date consumer is left as it is.
    data.ensure_stream(&names).await.unwrap();

    let mut stream = js.get_stream(&names.stream).await.unwrap();
    let info = stream.consumer_info("email").await.unwrap();
    let mut filters = info.config.filter_subjects.clone();
    filters.sort();
    assert_eq!(
        filters,
        [names.subject("refunds"), names.subject("tickets")]
    );
    assert_eq!(info.ack_floor.stream_sequence, consumed, "{info:?}");
    assert!(stream.info().await.unwrap().config.subjects.len() > 2);

    publish("orders", "o2").await;
    publish("checkins.t1.1", "c1").await;
    let t2 = publish("tickets", "t2").await;
    let r1 = publish("refunds", "r1").await;
    let consumer: consumer::PullConsumer = stream.get_consumer("email").await.unwrap();
    let mut batch = consumer
        .fetch()
        .max_messages(10)
        .expires(Duration::from_secs(1))
        .messages()
        .await
        .unwrap();
    let mut got = Vec::new();
    while let Some(m) = batch.next().await {
        let m = m.unwrap();
        got.push((m.info().unwrap().stream_sequence, m.payload.to_vec()));
        m.ack().await.unwrap();
    }
    assert_eq!(got, [(t2, b"t2".to_vec()), (r1, b"r1".to_vec())]);
    js.delete_stream(&names.stream).await.unwrap();
}
