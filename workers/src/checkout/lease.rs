//! Which checkout worker of an event is its inventory writer: a lease in a
//! JetStream KV bucket (one key per event), taken with create-if-absent
//! and kept by compare-and-set renewals. An entry not renewed for
//! [`LEASE_TTL`] ages out of the bucket and another worker takes over.
//!
//! The lease only decides who *should* write. Safety does not rest on it:
//! every ledger append carries the ledger's last sequence as the writer
//! saw it (`Nats-Expected-Last-Subject-Sequence`), so a writer that lost
//! the lease without noticing (paused, partitioned) has its next append
//! refused and steps down, and two writers can never both append.

use std::time::Duration;

use async_nats::jetstream::{self, kv};
use bytes::Bytes;
use tokio::time::sleep;

use sellout_common::names::{Names, WRITER_LEASES};

/// How long a lease lives without renewal.
pub const LEASE_TTL: Duration = sellout_common::names::WRITER_LEASE_TTL;
/// How often the holder renews it.
pub const RENEW_EVERY: Duration = Duration::from_secs(2);

/// The bucket of writer leases. The operator creates it (workers may not
/// create streams); until it exists this is an error, and the caller
/// tries again.
pub async fn bucket(js: &jetstream::Context) -> anyhow::Result<kv::Store> {
    js.get_key_value(WRITER_LEASES).await.map_err(|e| {
        anyhow::anyhow!(
            "open KV bucket {WRITER_LEASES} ({e}): the operator creates it when it starts"
        )
    })
}

/// When the lease was last known to be held: the moment the last
/// create or renewal was acknowledged. The bucket ages an entry out
/// [`LEASE_TTL`] after the server stored it, which was before that
/// acknowledgement arrived, so until [`FRESH_FOR`] after it nobody else
/// can hold the lease (a monotonic clock: time a frozen process spent
/// stopped counts).
#[derive(Clone, Debug)]
pub struct Freshness(std::sync::Arc<std::sync::Mutex<std::time::Instant>>);

/// How long after its last acknowledged renewal the lease is taken as
/// still held: its TTL less a second of margin.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

impl Freshness {
    fn now() -> Self {
        Freshness(std::sync::Arc::new(std::sync::Mutex::new(
            std::time::Instant::now(),
        )))
    }

    fn renewed(&self) {
        *self.0.lock().expect("not poisoned") = std::time::Instant::now();
    }

    /// Whether the lease is certainly still held now.
    pub fn fresh(&self) -> bool {
        self.0.lock().expect("not poisoned").elapsed() < FRESH_FOR
    }
}

/// A held lease.
#[derive(Debug)]
pub struct Lease {
    store: kv::Store,
    key: String,
    me: Bytes,
    revision: u64,
    freshness: Freshness,
}

impl Lease {
    /// Waits until this worker (`me`) holds the event's lease. A lease
    /// still held under the same identity (this worker before a restart)
    /// is taken over at once instead of waiting for it to age out. When
    /// the bucket cannot be reached (NATS restarting, the bucket lost with
    /// a server), it is opened again, and created when missing.
    pub async fn acquire(
        js: &jetstream::Context,
        mut store: kv::Store,
        names: &Names,
        me: &str,
    ) -> Self {
        let key = names.writer_lease_key();
        let me = Bytes::from(me.to_owned());
        let mut waiting_logged = false;
        loop {
            match store.create(&key, me.clone()).await {
                Ok(revision) => {
                    return Lease {
                        store,
                        key,
                        me,
                        revision,
                        freshness: Freshness::now(),
                    };
                }
                Err(e) if e.kind() == kv::CreateErrorKind::AlreadyExists => {
                    if let Ok(Some(entry)) = store.entry(&key).await
                        && entry.value == me
                        && let Ok(revision) = store.update(&key, me.clone(), entry.revision).await
                    {
                        return Lease {
                            store,
                            key,
                            me,
                            revision,
                            freshness: Freshness::now(),
                        };
                    }
                    if !waiting_logged {
                        tracing::info!(
                            lease = %key,
                            "another checkout worker is the inventory writer; standing by"
                        );
                        waiting_logged = true;
                    }
                }
                Err(e) => {
                    tracing::warn!(lease = %key, error = %e, "cannot take the writer lease; retrying");
                    match bucket(js).await {
                        Ok(s) => store = s,
                        Err(e) => {
                            tracing::warn!(
                                error = format!("{e:#}"),
                                "writer lease bucket unavailable"
                            )
                        }
                    }
                }
            }
            sleep(Duration::from_millis(500)).await;
        }
    }

    /// When the lease was last known held (shared with the writer).
    pub fn freshness(&self) -> Freshness {
        self.freshness.clone()
    }

    /// Renews the lease until it is lost (someone else holds it, or it
    /// could not be renewed within its TTL); returns then.
    pub async fn keep(mut self) {
        let mut last_ok = tokio::time::Instant::now();
        loop {
            sleep(RENEW_EVERY).await;
            match self
                .store
                .update(&self.key, self.me.clone(), self.revision)
                .await
            {
                Ok(rev) => {
                    self.revision = rev;
                    last_ok = tokio::time::Instant::now();
                    self.freshness.renewed();
                }
                Err(e) if e.kind() == kv::UpdateErrorKind::WrongLastRevision => {
                    tracing::warn!(lease = %self.key, "writer lease taken by another worker");
                    return;
                }
                Err(e) => {
                    if last_ok.elapsed() + RENEW_EVERY >= LEASE_TTL {
                        tracing::warn!(lease = %self.key, error = %e, "writer lease could not be renewed in time");
                        return;
                    }
                    tracing::warn!(lease = %self.key, error = %e, "writer lease renewal failed; retrying");
                }
            }
        }
    }
}

/// Gives the lease up at shutdown so another worker takes over at once
/// (only if this worker still holds it).
pub async fn give_up(store: &kv::Store, names: &Names, me: &str) {
    let key = names.writer_lease_key();
    if let Ok(Some(entry)) = store.entry(&key).await
        && entry.value == me.as_bytes()
    {
        let _ = store
            .purge_expect_revision(&key, Some(entry.revision))
            .await;
    }
}
