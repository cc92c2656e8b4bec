//! Each tier's inventory figures: one document per tier in the event's
//! `<event>inventory` collection (`_id`: the tier name).
//!
//! One writer: the event's checkout writer, which projects its book (the
//! ledger replayed) here with [`project`], capacity included: a tier's
//! quantity reaches the book through the writer's catalog (it reads the
//! TicketTiers itself) and a cut below what is sold and held is refused
//! there. The operator and Backstage only read ([`counts`]); before any
//! writer has run there is no document and readers go by the tiers'
//! quantities.

use futures::TryStreamExt;
use mongodb::bson::doc;
use mongodb::{Collection, Database};
use serde::{Deserialize, Serialize};

use sellout_common::names::Names;

/// One tier's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierCounts {
    /// The tier's name.
    #[serde(rename = "_id")]
    pub tier: String,
    /// Units for sale in total.
    pub capacity: i64,
    /// Units neither held nor sold.
    pub available: i64,
    /// Units in active holds.
    pub held: i64,
    /// Units sold (and not refunded).
    pub sold: i64,
    /// Whether the tier admits people (add-ons do not).
    pub admission: bool,
}

/// The event's inventory collection.
pub fn collection(db: &Database, names: &Names) -> Collection<TierCounts> {
    db.collection(&names.collection("inventory"))
}

/// Writes one tier's figures (the checkout writer's projection; nobody
/// else writes here).
pub async fn project(
    coll: &Collection<TierCounts>,
    counts: &TierCounts,
) -> mongodb::error::Result<()> {
    coll.update_one(
        doc! {"_id": &counts.tier},
        doc! {"$set": {
            "capacity": counts.capacity,
            "available": counts.available,
            "held": counts.held,
            "sold": counts.sold,
            "admission": counts.admission,
        }},
    )
    .upsert(true)
    .await
    .map(|_| ())
}

/// Every tier's figures, as last projected.
pub async fn counts(db: &Database, names: &Names) -> mongodb::error::Result<Vec<TierCounts>> {
    collection(db, names)
        .find(doc! {})
        .await?
        .try_collect()
        .await
}
