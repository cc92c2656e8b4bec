//! Keeps each tier's inventory document in MongoDB (`sold`, `held`,
//! `available`, written first by the operator) in step with the writer's
//! book, for the operator's status counts and the back office. The ledger
//! is the truth; this is a view, written at most a few times a second and
//! only for tiers that changed.

use std::collections::BTreeMap;
use std::time::Duration;

use mongodb::bson::{Document, doc};
use tokio::sync::watch;

use super::writer::Counts;
use crate::inventory::Stock;

/// How often at most the projection is written.
pub const EVERY: Duration = Duration::from_millis(250);

/// Writes changed counts into `coll` until `counts` closes.
pub async fn run(coll: mongodb::Collection<Document>, mut counts: watch::Receiver<Counts>) {
    let mut written: BTreeMap<String, Stock> = BTreeMap::new();
    loop {
        if counts.changed().await.is_err() {
            return;
        }
        let now = counts.borrow_and_update().clone();
        for (tier, stock) in now.iter() {
            if written.get(tier) == Some(stock) {
                continue;
            }
            let r = coll
                .update_one(
                    doc! {"_id": tier},
                    doc! {"$set": {
                        "available": stock.available,
                        "held": stock.held,
                        "sold": stock.sold,
                    }},
                )
                .await;
            match r {
                Ok(_) => {
                    written.insert(tier.clone(), *stock);
                }
                Err(e) => {
                    tracing::warn!(tier, error = %e, "inventory projection not written; retrying")
                }
            }
        }
        tokio::time::sleep(EVERY).await;
    }
}
