//! Check-in counts of an event, for the operator's status and Backstage:
//! one document (`_id`: `counts`) in the event's `<event>checkins`
//! collection. The check-ins themselves are records on the event's stream
//! (one subject per ticket and day); this document is their count as of a
//! stream sequence.
//!
//! Writers: the event's scan workers, each projecting the same stream.
//! A write is conditioned on a lower sequence than its own, so the
//! document only moves forward and every writer writes what the stream
//! says up to its sequence: a deterministic view, never two versions of
//! the truth.

use mongodb::bson::{Document, doc};
use mongodb::{Collection, Database};
use serde::{Deserialize, Serialize};

use sellout_common::names::Names;

/// Check-ins of one event day.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DayCounts {
    /// The event day, from 1.
    pub day: i32,
    /// Tickets admitted and not undone.
    pub checked_in: i64,
    /// People admitted (a table's ticket counts its seats).
    pub admissions: i64,
}

/// Check-ins per day as of stream sequence `seq`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CheckInCounts {
    /// The stream sequence the counts are read up to.
    pub seq: u64,
    /// Per day.
    pub days: Vec<DayCounts>,
}

/// The document's id.
const COUNTS: &str = "counts";

fn collection(db: &Database, names: &Names) -> Collection<Document> {
    db.collection(&names.collection("checkins"))
}

/// Writes `counts` unless counts of a later sequence are stored; whether
/// they were written (or a later one stands).
pub async fn project(
    db: &Database,
    names: &Names,
    counts: &CheckInCounts,
) -> mongodb::error::Result<()> {
    let days = mongodb::bson::to_bson(&counts.days)?;
    let r = collection(db, names)
        .update_one(
            doc! {"_id": COUNTS, "seq": {"$lt": counts.seq as i64}},
            doc! {"$set": {"seq": counts.seq as i64, "days": days}},
        )
        .upsert(true)
        .await;
    match r {
        Ok(_) => Ok(()),
        // A later sequence is stored already (another replica): the
        // upsert found no document below ours and the id exists.
        Err(e) if crate::is_duplicate(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The counts last projected, if any.
pub async fn read(db: &Database, names: &Names) -> mongodb::error::Result<Option<CheckInCounts>> {
    let Some(d) = collection(db, names).find_one(doc! {"_id": COUNTS}).await? else {
        return Ok(None);
    };
    Ok(Some(mongodb::bson::from_document(d)?))
}
