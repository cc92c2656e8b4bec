//! What an Event owns outside Kubernetes: its JetStream stream (with the
//! durable consumers that send e-mail and feed analytics) and its hot
//! MongoDB collections (inventory, holds, check-ins). Names derive from
//! the Event's UID, so a re-created Event with the same name never meets
//! the old one's data.
//!
//! Inventory: one document per tier, seeded from its quantity. A quantity
//! change is applied as a delta, conditionally on the capacity the
//! operator last applied (so a crash between write and status cannot apply
//! it twice) and on enough availability (so it never takes availability
//! below what is sold or held).

use async_nats::jetstream::{self, consumer};
use mongodb::bson::{Document, doc};
use mongodb::options::ReturnDocument;
use mongodb::{Collection, Database, IndexModel};
use sellout_crds::TicketTier;
use sellout_crds::tier::TierKind;

use super::validate::Problem;

/// Connections to the data plane.
#[derive(Clone)]
pub struct DataPlane {
    /// The Sellout database.
    pub db: Database,
    /// JetStream.
    pub js: jetstream::Context,
}

/// Why a data-plane step failed.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// MongoDB (FerretDB locally) failed.
    #[error("MongoDB: {0}")]
    Mongo(#[from] mongodb::error::Error),
    /// JetStream failed.
    #[error("JetStream: {0}")]
    Nats(String),
    /// A stored document is not as the operator wrote it.
    #[error("inventory document of tier {0} is malformed: {1}")]
    Malformed(String, String),
}

pub use sellout_common::names::{CONSUMERS, Names, consumer_config, stream_config};

/// Whether an existing durable consumer's configuration (`have`, as the
/// server reports it) differs from what the operator wants in what the
/// operator manages: the subjects it reads. Other fields the server
/// fills with its defaults are not compared.
pub fn consumer_outdated(have: &consumer::Config, want: &consumer::pull::Config) -> bool {
    use sellout_common::names::consumer_filters;
    consumer_filters(&have.filter_subject, &have.filter_subjects)
        != consumer_filters(&want.filter_subject, &want.filter_subjects)
}

impl DataPlane {
    /// Creates (or keeps) the stream and its durable consumers.
    pub async fn ensure_stream(&self, names: &Names) -> Result<(), DataError> {
        let want = stream_config(names);
        let mut stream = self
            .js
            .get_or_create_stream(want.clone())
            .await
            .map_err(|e| DataError::Nats(e.to_string()))?;
        // A stream made by an earlier version lacks newer subjects (the
        // inventory ledger).
        let have = &stream.cached_info().config;
        if have.subjects != want.subjects
            || have.description != want.description
            || have.max_age != want.max_age
        {
            self.js
                .update_stream(&want)
                .await
                .map_err(|e| DataError::Nats(format!("update stream {}: {e}", want.name)))?;
            stream = self
                .js
                .get_stream(&want.name)
                .await
                .map_err(|e| DataError::Nats(e.to_string()))?;
        }
        for name in CONSUMERS {
            let want = consumer_config(names, name);
            let consumer = stream
                .get_or_create_consumer(name, want.clone())
                .await
                .map_err(|e| DataError::Nats(e.to_string()))?;
            // A consumer made by an earlier version reads every subject
            // (the e-mail consumer now reads tickets and refunds only).
            // Its position and pending acks are kept.
            if consumer_outdated(&consumer.cached_info().config, &want) {
                stream.update_consumer(want).await.map_err(|e| {
                    DataError::Nats(format!("update consumer {name} of {}: {e}", names.stream))
                })?;
            }
        }
        Ok(())
    }

    /// Deletes the stream; a missing stream is success.
    pub async fn delete_stream(&self, names: &Names) -> Result<(), DataError> {
        match self.js.delete_stream(&names.stream).await {
            Ok(_) => Ok(()),
            Err(e) if e.to_string().to_lowercase().contains("not found") => Ok(()),
            Err(e) => Err(DataError::Nats(e.to_string())),
        }
    }

    fn inventory(&self, names: &Names) -> Collection<Document> {
        self.db
            .collection(&format!("{}inventory", names.collection_prefix))
    }

    /// Creates the hot collections' indexes (idempotent).
    pub async fn ensure_collections(&self, names: &Names) -> Result<(), DataError> {
        let [_, holds, checkins] = names.hot_collections();
        let holds: Collection<Document> = self.db.collection(&holds);
        holds
            .create_index(IndexModel::builder().keys(doc! {"expiresAt": 1}).build())
            .await?;
        let checkins: Collection<Document> = self.db.collection(&checkins);
        // First scan wins: one check-in per ticket and day.
        checkins
            .create_index(
                IndexModel::builder()
                    .keys(doc! {"ticket": 1, "day": 1})
                    .options(
                        mongodb::options::IndexOptions::builder()
                            .unique(true)
                            .build(),
                    )
                    .build(),
            )
            .await?;
        Ok(())
    }

    /// Brings each tier's inventory to its quantity. Returns the tiers whose
    /// quantity could not be applied (below sold + held); those are left as
    /// they were.
    pub async fn sync_inventory(
        &self,
        names: &Names,
        tiers: &[TicketTier],
    ) -> Result<Vec<Problem>, DataError> {
        let coll = self.inventory(names);
        let mut problems = Vec::new();
        for tier in tiers {
            let name = tier.metadata.name.clone().unwrap_or_default();
            let want = tier.spec.quantity;
            // Seed once.
            coll.update_one(
                doc! {"_id": &name},
                doc! {"$setOnInsert": {
                    "capacity": want, "available": want, "sold": 0_i64, "held": 0_i64,
                    "admission": tier.spec.kind == TierKind::Admission,
                }},
            )
            .upsert(true)
            .await?;
            let current = coll.find_one(doc! {"_id": &name}).await?.ok_or_else(|| {
                DataError::Malformed(name.clone(), "vanished after upsert".into())
            })?;
            let capacity = int(&current, "capacity", &name)?;
            if capacity == want {
                continue;
            }
            let delta = want - capacity;
            let applied = coll
                .find_one_and_update(
                    doc! {"_id": &name, "capacity": capacity, "available": {"$gte": -delta}},
                    doc! {"$inc": {"capacity": delta, "available": delta}},
                )
                .return_document(ReturnDocument::After)
                .await?;
            if applied.is_none() {
                let fresh = coll
                    .find_one(doc! {"_id": &name})
                    .await?
                    .unwrap_or_default();
                let sold = int(&fresh, "sold", &name).unwrap_or(0);
                let held = int(&fresh, "held", &name).unwrap_or(0);
                problems.push(Problem {
                    reason: "QuantityBelowSold",
                    message: format!(
                        "tier {name} quantity {want} is below what is sold ({sold}) and held ({held}): set spec.quantity to at least {}; inventory is unchanged",
                        sold + held
                    ),
                });
            }
        }
        Ok(problems)
    }

    /// Sold, held and available per tier, by tier name.
    pub async fn counts(&self, names: &Names) -> Result<Vec<TierCounts>, DataError> {
        use futures::TryStreamExt;
        let docs: Vec<Document> = self
            .inventory(names)
            .find(doc! {})
            .await?
            .try_collect()
            .await?;
        docs.iter()
            .map(|d| {
                let tier = d.get_str("_id").unwrap_or_default().to_owned();
                Ok(TierCounts {
                    capacity: int(d, "capacity", &tier)?,
                    sold: int(d, "sold", &tier)?,
                    held: int(d, "held", &tier)?,
                    available: int(d, "available", &tier)?,
                    admission: d.get_bool("admission").unwrap_or(true),
                    tier,
                })
            })
            .collect()
    }

    /// Drops the hot collections (missing ones are fine).
    pub async fn drop_hot(&self, names: &Names) -> Result<(), DataError> {
        for c in names.hot_collections() {
            self.db.collection::<Document>(&c).drop().await?;
        }
        Ok(())
    }

    /// Renames the hot collections to `archive_<name>` (missing ones are
    /// skipped, so a retry after a crash continues where it stopped),
    /// keeping their data out of the hot path. Names come from the UID, so
    /// an archive is never overwritten (FerretDB v1 has no `dropTarget`).
    pub async fn archive_hot(&self, names: &Names) -> Result<(), DataError> {
        let existing = self.db.list_collection_names().await?;
        let db = self.db.name().to_owned();
        for c in names.hot_collections() {
            if !existing.contains(&c) {
                continue;
            }
            self.db
                .client()
                .database("admin")
                .run_command(doc! {
                    "renameCollection": format!("{db}.{c}"),
                    "to": format!("{db}.archive_{c}"),
                })
                .await?;
        }
        Ok(())
    }
}

/// Inventory figures of one tier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierCounts {
    /// Tier name.
    pub tier: String,
    /// Units for sale in total.
    pub capacity: i64,
    /// Sold.
    pub sold: i64,
    /// Held in carts.
    pub held: i64,
    /// Available.
    pub available: i64,
    /// Whether the tier admits people (add-ons do not).
    pub admission: bool,
}

fn int(d: &Document, key: &str, tier: &str) -> Result<i64, DataError> {
    match d.get(key) {
        Some(mongodb::bson::Bson::Int64(v)) => Ok(*v),
        Some(mongodb::bson::Bson::Int32(v)) => Ok(i64::from(*v)),
        other => Err(DataError::Malformed(
            tier.into(),
            format!("{key} is {other:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_config_snapshot() {
        let cfg = stream_config(&Names::for_uid("0b5e7c1e-1234-4000-8000-00000000abcd"));
        insta::assert_yaml_snapshot!("stream_config", serde_json::to_value(&cfg).unwrap());
    }

    #[test]
    fn an_unfiltered_email_consumer_is_outdated() {
        let names = Names::for_uid("0b5e7c1e-1234-4000-8000-00000000abcd");
        let want = consumer_config(&names, "email");
        // As an earlier operator created it: every subject.
        let old = consumer::Config {
            durable_name: Some("email".into()),
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait: std::time::Duration::from_secs(30),
            ..Default::default()
        };
        assert!(consumer_outdated(&old, &want));
        // As the server reports the current one (defaults filled in, the
        // subjects in another order): up to date.
        let current = consumer::Config {
            filter_subjects: want.filter_subjects.iter().rev().cloned().collect(),
            ..old.clone()
        };
        assert!(!consumer_outdated(&current, &want));
        // The analytics consumer reads everything, as before.
        assert!(!consumer_outdated(
            &old,
            &consumer_config(&names, "analytics")
        ));
        // One subject, stored by the server as `filter_subject`.
        let one = consumer::pull::Config {
            filter_subjects: vec![names.subject("tickets")],
            ..want.clone()
        };
        let stored = consumer::Config {
            filter_subject: names.subject("tickets"),
            ..old
        };
        assert!(!consumer_outdated(&stored, &one));
        assert!(consumer_outdated(&stored, &want));
    }
}
