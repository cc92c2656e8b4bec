use std::time::Duration;

use kube::api::{Api, DeleteParams, Patch, PatchParams};
use mongodb::bson::{Document, doc};
use sellout_crds::Event;

use crate::event::{DB, condition, kubectl, operator, wait_for};

fn manifests(ns: &str, quantity: i64) -> String {
    format!(
        r#"apiVersion: v1
kind: Namespace
metadata: {{name: {ns}}}
---
apiVersion: sellout.io/v1alpha1
kind: Venue
metadata: {{name: hall, namespace: {ns}}}
spec:
  displayName: Hall
  address: {{line1: 1 Road, city: York, country: GB}}
  timezone: Europe/London
  capacity: 1000
  sections:
  - name: floor
    generalAdmission: {{capacity: 1000}}
---
apiVersion: sellout.io/v1alpha1
kind: Event
metadata: {{name: show, namespace: {ns}}}
spec:
  title: Show
  venueRef: {{name: hall}}
  currency: GBP
  state: Published
  days:
  - {{doorsAt: "2027-05-01T18:00:00Z", startsAt: "2027-05-01T19:00:00Z", endsAt: "2027-05-01T23:00:00Z"}}
  onSaleAt: "2027-02-01T10:00:00Z"
---
apiVersion: sellout.io/v1alpha1
kind: TicketTier
metadata: {{name: ga, namespace: {ns}}}
spec:
  eventRef: {{name: show}}
  displayName: GA
  price: {{amountMinor: 2000, currency: GBP}}
  quantity: {quantity}
  section: floor
"#
    )
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
    let db = sellout_e2e::mongo().await.client().await.ok()?.database(DB);
    db.collection::<Document>(&format!("{ns_uid_prefix}inventory"))
        .find_one(doc! {"_id": "ga"})
        .await
        .ok()?
}

fn i(d: &Document, k: &str) -> i64 {
    d.get_i64(k)
        .unwrap_or_else(|_| i64::from(d.get_i32(k).unwrap()))
}

/// Waits until the event is Ready with its data plane, returns its
/// collection prefix and stream name.
async fn ready(events: &Api<Event>) -> (String, String) {
    wait_for("the event Ready with stream and collections", 60, || {
        let events = events.clone();
        async move {
            let e = events.get("show").await.ok()?;
            let st = e.status.as_ref()?;
            if condition(&e, "Ready") != Some(("True".into(), "Reconciled".into())) {
                return None;
            }
            Some((st.collection_prefix.clone()?, st.stream.clone()?))
        }
    })
    .await
}

#[tokio::test]
async fn inventory_follows_quantity_and_never_drops_below_sold() {
    let (api, _ctx) = operator().await;
    let ns = "op-inventory";
    kubectl(api, &["apply", "-f", "-"], Some(&manifests(ns, 100)));
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

    // Seeded from the tier.
    let doc = inventory(&prefix).await.unwrap();
    assert_eq!(
        (i(&doc, "capacity"), i(&doc, "available"), i(&doc, "sold")),
        (100, 100, 0)
    );

    // Raised: the delta is added to availability.
    set_quantity(api, ns, 150);
    let prefix2 = prefix.clone();
    wait_for("capacity 150", 30, || {
        let p = prefix2.clone();
        async move {
            inventory(&p)
                .await
                .filter(|d| i(d, "capacity") == 150 && i(d, "available") == 150)
        }
    })
    .await;

    // The checkout sells 120 (as it will: a conditional $inc).
    let db = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database(DB);
    db.collection::<Document>(&format!("{prefix}inventory"))
        .update_one(
            doc! {"_id": "ga"},
            doc! {"$inc": {"sold": 120_i64, "available": -120_i64}},
        )
        .await
        .unwrap();

    // Lowered below sold: refused, Degraded, inventory unchanged.
    set_quantity(api, ns, 110);
    let e = wait_for("Degraded/QuantityBelowSold", 30, || {
        let events = events.clone();
        async move {
            let e = events.get("show").await.ok()?;
            (condition(&e, "Degraded") == Some(("True".into(), "QuantityBelowSold".into())))
                .then_some(e)
        }
    })
    .await;
    let msg = &e
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .find(|c| c.type_ == "Degraded")
        .unwrap()
        .message;
    assert!(msg.contains("at least 120"), "{msg}");
    let doc = inventory(&prefix).await.unwrap();
    assert_eq!(
        (i(&doc, "capacity"), i(&doc, "available"), i(&doc, "sold")),
        (150, 30, 120)
    );

    // Lowered to a possible value: applied exactly.
    set_quantity(api, ns, 130);
    let p = prefix.clone();
    wait_for("capacity 130", 30, || {
        let p = p.clone();
        async move {
            inventory(&p)
                .await
                .filter(|d| i(d, "capacity") == 130 && i(d, "available") == 10)
        }
    })
    .await;
    let e = wait_for("Ready again with counts", 30, || {
        let events = events.clone();
        async move {
            let e = events.get("show").await.ok()?;
            (condition(&e, "Degraded").is_some_and(|d| d.0 == "False")
                && e.status.as_ref()?.sold == Some(120))
            .then_some(e)
        }
    })
    .await;
    let st = e.status.unwrap();
    assert_eq!((st.held, st.available), (Some(0), Some(10)));
}

#[tokio::test]
async fn deleting_an_unsold_event_cleans_up_and_a_sold_one_is_held() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    let db = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database(DB);
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();

    // Unsold: stream and hot collections go with it.
    let ns = "op-delete-unsold";
    kubectl(api, &["apply", "-f", "-"], Some(&manifests(ns, 10)));
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let (prefix, stream) = ready(&events).await;
    events
        .delete("show", &DeleteParams::default())
        .await
        .unwrap();
    wait_for("the unsold event to be gone", 30, || {
        let events = events.clone();
        async move { events.get_opt("show").await.ok()?.is_none().then_some(()) }
    })
    .await;
    assert!(
        js.get_stream(&stream).await.is_err(),
        "stream {stream} still exists"
    );
    let names = db.list_collection_names().await.unwrap();
    assert!(!names.iter().any(|n| n.starts_with(&prefix)), "{names:?}");

    // Sold: deletion waits and says why.
    let ns = "op-delete-sold";
    kubectl(api, &["apply", "-f", "-"], Some(&manifests(ns, 10)));
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let (prefix, _stream) = ready(&events).await;
    db.collection::<Document>(&format!("{prefix}inventory"))
        .update_one(
            doc! {"_id": "ga"},
            doc! {"$inc": {"sold": 4_i64, "available": -4_i64}},
        )
        .await
        .unwrap();
    events
        .delete("show", &DeleteParams::default())
        .await
        .unwrap();
    wait_for("Degraded/DeletionHeld", 30, || {
        let events = events.clone();
        async move {
            let e = events.get("show").await.ok()?;
            (condition(&e, "Degraded") == Some(("True".into(), "DeletionHeld".into())))
                .then_some(())
        }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        events.get_opt("show").await.unwrap().is_some(),
        "a sold event was deleted"
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
    wait_for(
        "the sold event to be gone after onDelete: Archive",
        30,
        || {
            let events = events.clone();
            async move { events.get_opt("show").await.ok()?.is_none().then_some(()) }
        },
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
