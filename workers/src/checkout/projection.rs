//! Keeps each tier's inventory document in MongoDB (capacity, available,
//! held, sold, whether it admits people) in step with the writer's book,
//! for the operator's status counts and the back office. The writer is
//! the only one to write these documents (`sellout_store::inventory`);
//! the ledger is the truth and this is a view of it, written at most a few
//! times a second and only for tiers that changed.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use mongodb::Collection;
use sellout_store::inventory::{self, TierCounts};
use tokio::sync::watch;

use super::Catalog;
use super::writer::Counts;

/// How often at most the projection is written.
pub const EVERY: Duration = Duration::from_millis(250);

/// Writes changed counts into `coll` until `counts` closes; whether a
/// tier admits people comes from `catalog`.
pub async fn run(
    coll: Collection<TierCounts>,
    mut counts: watch::Receiver<Counts>,
    catalog: watch::Receiver<Arc<Catalog>>,
) {
    let mut written: BTreeMap<String, TierCounts> = BTreeMap::new();
    loop {
        if counts.changed().await.is_err() {
            return;
        }
        let now = counts.borrow_and_update().clone();
        let catalog = catalog.borrow().clone();
        for (tier, stock) in now.iter() {
            let doc = TierCounts {
                tier: tier.clone(),
                capacity: stock.capacity,
                available: stock.available,
                held: stock.held,
                sold: stock.sold,
                admission: !catalog.tiers.get(tier).is_some_and(|t| t.add_on),
            };
            if written.get(tier) == Some(&doc) {
                continue;
            }
            match inventory::project(&coll, &doc).await {
                Ok(()) => {
                    written.insert(tier.clone(), doc);
                }
                Err(e) => {
                    tracing::warn!(tier, error = %e, "inventory projection not written; retrying")
                }
            }
        }
        tokio::time::sleep(EVERY).await;
    }
}
