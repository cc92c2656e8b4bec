//! Where login state lives: NATS JetStream key-value buckets, created on
//! start when missing, their `max_age` the longest any entry matters (a
//! bucket that exists with a shorter one is raised, never lowered).
//! Entries are JSON; every read-modify-write is a compare-and-set on the
//! key's revision, retried on a conflict, so replicas of the gateway
//! cannot race past a lock or a rate limit, nor both use one code or one
//! refresh token.
//!
//! | bucket | key | value |
//! |---|---|---|
//! | `sellout_login_codes` | SHA-256 of the login | [`CodeState`](super::codes::CodeState) |
//! | `sellout_login_rates` | `login.<SHA-256 of the login>`, `ip.<SHA-256 of the address>` | [`RateLog`](super::codes::RateLog) |
//! | `sellout_sessions` | `s.<session id>`, `t.<SHA-256 of a refresh token>` | [`Session`](super::refresh::Session), [`TokenRef`](super::refresh::TokenRef) |
//! | `sellout_revoked_sessions` | session id | seconds since the epoch until which its access tokens could live |

use std::time::Duration;

use async_nats::jetstream::{self, kv};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Bucket of pending codes and wrong attempts.
pub const CODES: &str = "sellout_login_codes";
/// Bucket of rate-limit windows.
pub const RATES: &str = "sellout_login_rates";
/// Bucket of sessions and refresh-token references.
pub const SESSIONS: &str = "sellout_sessions";
/// Bucket of recently revoked sessions (watched by every replica).
pub const REVOKED: &str = "sellout_revoked_sessions";

/// The store could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("the login store (NATS JetStream KV {bucket}) failed: {message}")]
pub struct StoreError {
    /// Which bucket.
    pub bucket: String,
    /// What failed.
    pub message: String,
}

/// The opened buckets.
#[derive(Clone)]
pub struct Buckets {
    /// Codes.
    pub codes: Bucket,
    /// Rate limits.
    pub rates: Bucket,
    /// Sessions.
    pub sessions: Bucket,
    /// Revocations.
    pub revoked: Bucket,
}

/// How long entries of each bucket must be kept.
#[derive(Clone, Copy, Debug)]
pub struct MaxAges {
    /// Codes and locks.
    pub codes: Duration,
    /// Rate windows.
    pub rates: Duration,
    /// Sessions.
    pub sessions: Duration,
    /// Revocations.
    pub revoked: Duration,
}

impl Buckets {
    /// Opens (creating or raising) the four buckets.
    pub async fn open(js: &jetstream::Context, ages: MaxAges) -> Result<Self, StoreError> {
        Ok(Self {
            codes: Bucket::open(
                js,
                CODES,
                "Sellout: pending login codes (hashed) and wrong attempts",
                ages.codes,
            )
            .await?,
            rates: Bucket::open(
                js,
                RATES,
                "Sellout: login-code requests per login and per address",
                ages.rates,
            )
            .await?,
            sessions: Bucket::open(
                js,
                SESSIONS,
                "Sellout: login sessions and refresh tokens (hashed)",
                ages.sessions,
            )
            .await?,
            revoked: Bucket::open(
                js,
                REVOKED,
                "Sellout: recently revoked sessions",
                ages.revoked,
            )
            .await?,
        })
    }
}

/// One bucket.
#[derive(Clone)]
pub struct Bucket {
    /// The store.
    pub store: kv::Store,
    name: &'static str,
}

/// How often a compare-and-set is tried before giving up.
const CAS_TRIES: usize = 20;

impl Bucket {
    /// Opens bucket `name`, creating it with `max_age` or raising its
    /// `max_age` to that.
    pub async fn open(
        js: &jetstream::Context,
        name: &'static str,
        description: &str,
        max_age: Duration,
    ) -> Result<Self, StoreError> {
        let err = |m: String| StoreError {
            bucket: name.into(),
            message: m,
        };
        let config = kv::Config {
            bucket: name.into(),
            description: description.into(),
            history: 1,
            max_age,
            storage: jetstream::stream::StorageType::File,
            ..Default::default()
        };
        let store = match js.get_key_value(name).await {
            Ok(mut store) => {
                let status = store.status().await.map_err(|e| err(e.to_string()))?;
                if status.max_age() < max_age {
                    store = js
                        .update_key_value(config)
                        .await
                        .map_err(|e| err(format!("raising max_age: {e}")))?;
                }
                store
            }
            Err(_) => match js.create_key_value(config).await {
                Ok(store) => store,
                // Another replica may have created it meanwhile.
                Err(e) => js
                    .get_key_value(name)
                    .await
                    .map_err(|_| err(format!("creating it: {e}")))?,
            },
        };
        Ok(Self { store, name })
    }

    fn error(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError {
            bucket: self.name.into(),
            message: e.to_string(),
        }
    }

    /// The value at `key` and its revision (0 when there is none).
    pub async fn get<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<(Option<T>, u64), StoreError> {
        match self.store.entry(key).await.map_err(|e| self.error(e))? {
            Some(e) if e.operation == kv::Operation::Put => {
                let v = serde_json::from_slice(&e.value)
                    .map_err(|x| self.error(format!("undecodable entry: {x}")))?;
                Ok((Some(v), e.revision))
            }
            Some(e) => Ok((None, e.revision)),
            None => Ok((None, 0)),
        }
    }

    /// Writes `value` at `key` whatever was there.
    pub async fn put<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(value).map_err(|e| self.error(e))?;
        self.store
            .put(key, bytes.into())
            .await
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// Read-modify-write of `key` by compare-and-set: `f` sees the current
    /// value and returns what to store (`None`: nothing) and its answer.
    /// On a conflict (another writer in between) it runs again on the new
    /// value.
    pub async fn modify<T, R>(
        &self,
        key: &str,
        mut f: impl FnMut(Option<T>) -> (Option<T>, R),
    ) -> Result<R, StoreError>
    where
        T: Serialize + DeserializeOwned,
    {
        for _ in 0..CAS_TRIES {
            let (current, revision) = self.get::<T>(key).await?;
            let (write, answer) = f(current);
            let Some(value) = write else {
                return Ok(answer);
            };
            let bytes = serde_json::to_vec(&value).map_err(|e| self.error(e))?;
            match self.store.update(key, bytes.into(), revision).await {
                Ok(_) => return Ok(answer),
                Err(e) if e.kind() == kv::UpdateErrorKind::WrongLastRevision => continue,
                Err(e) => return Err(self.error(e)),
            }
        }
        Err(self.error(format!("{CAS_TRIES} writers raced for one key; retry")))
    }
}
