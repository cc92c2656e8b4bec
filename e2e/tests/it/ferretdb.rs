//! FerretDB: the MongoDB semantics the checkout relies on.

use std::sync::Arc;

use mongodb::bson::{Document, doc};
use mongodb::error::{ErrorKind, WriteFailure};
use mongodb::options::{IndexOptions, ReturnDocument};
use mongodb::{Collection, IndexModel};

#[tokio::test]
async fn unique_index_violation_is_a_duplicate_key_error() {
    let client = sellout_e2e::mongo().await.client().await.unwrap();
    let coll: Collection<Document> = client.database("smoke").collection("customers");
    coll.drop().await.unwrap();
    coll.create_index(
        IndexModel::builder()
            .keys(doc! {"email": 1})
            .options(IndexOptions::builder().unique(true).build())
            .build(),
    )
    .await
    .unwrap();
    coll.insert_one(doc! {"email": "ada@example.com"})
        .await
        .unwrap();
    let err = coll
        .insert_one(doc! {"email": "ada@example.com"})
        .await
        .unwrap_err();
    match *err.kind {
        ErrorKind::Write(WriteFailure::WriteError(ref w)) => assert_eq!(w.code, 11000, "{w:?}"),
        ref other => panic!("expected a duplicate key write error, got {other:?}"),
    }
    assert_eq!(coll.count_documents(doc! {}).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conditional_decrement_never_goes_below_zero() {
    const AVAILABLE: i64 = 150;
    const TASKS: usize = 200;
    let client = sellout_e2e::mongo().await.client().await.unwrap();
    let coll: Arc<Collection<Document>> =
        Arc::new(client.database("smoke").collection("inventory"));
    Collection::drop(&coll).await.unwrap();
    coll.insert_one(doc! {"_id": "tier-a", "available": AVAILABLE})
        .await
        .unwrap();

    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let coll = coll.clone();
        tasks.push(tokio::spawn(async move {
            let n = 1i64;
            coll.find_one_and_update(
                doc! {"_id": "tier-a", "available": {"$gte": n}},
                doc! {"$inc": {"available": -n}},
            )
            .return_document(ReturnDocument::After)
            .await
            .unwrap()
            .map(|d| d.get_i64("available").unwrap())
        }));
    }
    let mut won = 0;
    let mut seen_after = Vec::new();
    for t in tasks {
        if let Some(after) = t.await.unwrap() {
            won += 1;
            assert!(after >= 0, "availability went negative: {after}");
            seen_after.push(after);
        }
    }
    let doc = coll
        .find_one(doc! {"_id": "tier-a"})
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.get_i64("available").unwrap(), 0);
    assert_eq!(won, AVAILABLE, "exactly the available units were taken");
    // Every successful decrement saw a distinct value: no lost updates.
    seen_after.sort_unstable();
    seen_after.dedup();
    assert_eq!(seen_after.len() as i64, AVAILABLE);
}
