//! An event's hot collections (`<event>inventory`, `<event>holds`,
//! `<event>checkins`): their indexes, and what becomes of them when the
//! event is deleted (dropped, or archived as `archive_<name>` when
//! anything was sold or held). The operator creates them with the event
//! and removes them with it; the documents inside have writers of their
//! own ([`crate::inventory`]: the checkout writer).

use mongodb::bson::{Document, doc};
use mongodb::options::IndexOptions;
use mongodb::{Collection, Database, IndexModel};

use sellout_common::names::Names;

/// Creates the hot collections' indexes (idempotent): holds by expiry,
/// and one check-in per ticket and day (first scan wins).
pub async fn ensure_indexes(db: &Database, names: &Names) -> mongodb::error::Result<()> {
    let [_, holds, checkins] = names.hot_collections();
    let holds: Collection<Document> = db.collection(&holds);
    holds
        .create_index(IndexModel::builder().keys(doc! {"expiresAt": 1}).build())
        .await?;
    let checkins: Collection<Document> = db.collection(&checkins);
    checkins
        .create_index(
            IndexModel::builder()
                .keys(doc! {"ticket": 1, "day": 1})
                .options(IndexOptions::builder().unique(true).build())
                .build(),
        )
        .await?;
    Ok(())
}

/// Drops the hot collections (missing ones are fine).
pub async fn drop(db: &Database, names: &Names) -> mongodb::error::Result<()> {
    for c in names.hot_collections() {
        db.collection::<Document>(&c).drop().await?;
    }
    Ok(())
}

/// Renames the hot collections to `archive_<name>` (missing ones are
/// skipped, so a retry after a crash continues where it stopped), keeping
/// their data out of the hot path. Names come from the UID, so an archive
/// is never overwritten (FerretDB v1 has no `dropTarget`).
pub async fn archive(db: &Database, names: &Names) -> mongodb::error::Result<()> {
    let existing = db.list_collection_names().await?;
    let name = db.name().to_owned();
    for c in names.hot_collections() {
        if !existing.contains(&c) {
            continue;
        }
        db.client()
            .database("admin")
            .run_command(doc! {
                "renameCollection": format!("{name}.{c}"),
                "to": format!("{name}.archive_{c}"),
            })
            .await?;
    }
    Ok(())
}
