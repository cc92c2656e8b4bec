//! What an Event owns outside Kubernetes: its JetStream stream (with the
//! durable consumers that send e-mail and feed analytics) and its hot
//! MongoDB collections (inventory, holds, check-ins). Names derive from
//! the Event's UID, so a re-created Event with the same name never meets
//! the old one's data.
//!
//! Inventory: the operator only reads it. Each tier's document has one
//! writer, the event's checkout writer, which takes the tier's quantity
//! from the TicketTier itself and refuses a cut below what is sold and
//! held (`sellout_store::inventory`). The operator reports such a cut on
//! the Event ([`quantity_problems`]) and shows the figures in its status;
//! before any writer has run, a tier's figures are its quantity, nothing
//! sold or held.

use async_nats::jetstream::{self, consumer};
use mongodb::Database;
use sellout_crds::TicketTier;
use sellout_crds::event::DayCount;
use sellout_crds::tier::TierKind;

use super::validate::Problem;

/// Connections to the data plane.
#[derive(Clone)]
pub struct DataPlane {
    /// The Sellout database.
    pub db: Database,
    /// JetStream.
    pub js: jetstream::Context,
    /// Replicas of each event's stream (`--stream-replicas`).
    pub stream_replicas: usize,
}

/// Why a data-plane step failed.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// MongoDB (FerretDB locally) failed.
    #[error("MongoDB: {0}")]
    Mongo(#[from] mongodb::error::Error),
    /// JetStream failed while doing `what`.
    #[error("JetStream: {what}: {source}")]
    Nats {
        /// What was being done (`create stream …`, `update consumer …`).
        what: String,
        /// The client's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

pub use sellout_common::names::{CONSUMERS, Names, consumer_config, stream_config};

/// Maps a JetStream client error to [`DataError::Nats`], saying what was
/// being done.
fn nats<E>(what: String) -> impl FnOnce(E) -> DataError
where
    E: std::error::Error + Send + Sync + 'static,
{
    move |e| DataError::Nats {
        what,
        source: Box::new(e),
    }
}

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
    /// Creates (or keeps) the checkout writers' lease bucket, replicated
    /// as the streams are. Workers may use it but not create it.
    pub async fn ensure_writer_leases(&self) -> Result<(), DataError> {
        use sellout_common::names::{WRITER_LEASES, writer_leases_config};
        if self.js.get_key_value(WRITER_LEASES).await.is_ok() {
            return Ok(());
        }
        let config = async_nats::jetstream::kv::Config {
            num_replicas: self.stream_replicas,
            ..writer_leases_config()
        };
        match self.js.create_key_value(config).await {
            Ok(_) => Ok(()),
            // Another replica of the operator made it meanwhile.
            Err(_) if self.js.get_key_value(WRITER_LEASES).await.is_ok() => Ok(()),
            Err(e) => Err(nats(format!("create KV bucket {WRITER_LEASES}"))(e)),
        }
    }

    /// Creates (or keeps) the stream and its durable consumers, and the
    /// writer lease bucket.
    pub async fn ensure_stream(&self, names: &Names) -> Result<(), DataError> {
        self.ensure_writer_leases().await?;
        let want = sellout_common::names::stream_config_replicated(names, self.stream_replicas);
        let mut stream = self
            .js
            .get_or_create_stream(want.clone())
            .await
            .map_err(nats(format!("create stream {}", want.name)))?;
        // A stream made by an earlier version lacks newer subjects (the
        // inventory ledger).
        let have = &stream.cached_info().config;
        if have.subjects != want.subjects
            || have.description != want.description
            || have.max_age != want.max_age
            || have.allow_direct != want.allow_direct
            || have.num_replicas != want.num_replicas
        {
            self.js
                .update_stream(&want)
                .await
                .map_err(nats(format!("update stream {}", want.name)))?;
            stream = self
                .js
                .get_stream(&want.name)
                .await
                .map_err(nats(format!("read stream {}", want.name)))?;
        }
        for name in CONSUMERS {
            let want = consumer_config(names, name);
            let consumer = stream
                .get_or_create_consumer(name, want.clone())
                .await
                .map_err(nats(format!("create consumer {name} of {}", names.stream)))?;
            // A consumer made by an earlier version reads every subject
            // (the e-mail consumer now reads tickets and refunds only).
            // Its position and pending acks are kept.
            if consumer_outdated(&consumer.cached_info().config, &want) {
                stream
                    .update_consumer(want)
                    .await
                    .map_err(nats(format!("update consumer {name} of {}", names.stream)))?;
            }
        }
        Ok(())
    }

    /// Deletes the stream; a missing stream is success.
    pub async fn delete_stream(&self, names: &Names) -> Result<(), DataError> {
        match self.js.delete_stream(&names.stream).await {
            Ok(_) => Ok(()),
            Err(e) if e.to_string().to_lowercase().contains("not found") => Ok(()),
            Err(e) => Err(nats(format!("delete stream {}", names.stream))(e)),
        }
    }

    /// Creates the hot collections' indexes (idempotent).
    pub async fn ensure_collections(&self, names: &Names) -> Result<(), DataError> {
        Ok(sellout_store::hot::ensure_indexes(&self.db, names).await?)
    }

    /// Sold, held and available per tier of `tiers`, as the checkout
    /// writer last projected them; a tier it has not written yet counts
    /// its quantity as available. Documents of tiers no longer listed are
    /// left out.
    pub async fn counts(
        &self,
        names: &Names,
        tiers: &[TicketTier],
    ) -> Result<Vec<TierCounts>, DataError> {
        let mut stored = sellout_store::inventory::counts(&self.db, names).await?;
        Ok(tiers
            .iter()
            .map(|t| {
                let name = t.metadata.name.clone().unwrap_or_default();
                match stored.iter().position(|c| c.tier == name) {
                    Some(i) => stored.swap_remove(i),
                    None => TierCounts {
                        tier: name,
                        capacity: t.spec.quantity,
                        available: t.spec.quantity,
                        held: 0,
                        sold: 0,
                        admission: t.spec.kind == TierKind::Admission,
                    },
                }
            })
            .collect())
    }

    /// Every tier's figures as the checkout writer last projected them,
    /// tiers since deleted included (their sold tickets still count when
    /// the event is deleted).
    pub async fn stored_counts(&self, names: &Names) -> Result<Vec<TierCounts>, DataError> {
        Ok(sellout_store::inventory::counts(&self.db, names).await?)
    }

    /// Check-ins per day as the scan workers last projected them; `None`
    /// before the first scan.
    pub async fn checked_in(&self, names: &Names) -> Result<Option<Vec<DayCount>>, DataError> {
        Ok(sellout_store::checkins::read(&self.db, names)
            .await?
            .map(|c| {
                c.days
                    .into_iter()
                    .map(|d| DayCount {
                        day: d.day,
                        checked_in: d.checked_in,
                        admissions: d.admissions,
                    })
                    .collect()
            }))
    }

    /// Drops the hot collections (missing ones are fine).
    pub async fn drop_hot(&self, names: &Names) -> Result<(), DataError> {
        Ok(sellout_store::hot::drop(&self.db, names).await?)
    }

    /// Archives the hot collections as `archive_<name>` (a retry after a
    /// crash continues where it stopped).
    pub async fn archive_hot(&self, names: &Names) -> Result<(), DataError> {
        Ok(sellout_store::hot::archive(&self.db, names).await?)
    }
}

/// Inventory figures of one tier.
pub use sellout_store::inventory::TierCounts;

/// The tiers whose quantity is below what is sold and held: the checkout
/// writer keeps their capacity as it was, and the Event says what to set.
pub fn quantity_problems(tiers: &[TicketTier], counts: &[TierCounts]) -> Vec<Problem> {
    tiers
        .iter()
        .filter_map(|t| {
            let name = t.metadata.name.as_deref()?;
            let c = counts.iter().find(|c| c.tier == name)?;
            let want = t.spec.quantity;
            (want < c.sold + c.held).then(|| Problem {
                reason: "QuantityBelowSold",
                message: format!(
                    "tier {name} quantity {want} is below what is sold ({}) and held ({}): set spec.quantity to at least {}; inventory is unchanged",
                    c.sold,
                    c.held,
                    c.sold + c.held
                ),
            })
        })
        .collect()
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
