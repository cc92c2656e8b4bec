//! Sessions and rotating refresh tokens, the decisions pure for testing.
//!
//! A login starts a session (a refresh-token family). Each refresh token
//! is used once: `refresh` answers with a new pair and the used token
//! stops working. A refresh token presented again after it was rotated
//! means two parties hold it (one stole it): the whole session is revoked,
//! so the thief's and the owner's newest tokens both stop working and the
//! owner logs in again. Logging out revokes the session too.
//!
//! Revoked sessions are also remembered in memory (and shared between
//! gateway replicas through a watched bucket) until their access tokens
//! would have expired, so an access token of a revoked session is refused
//! at once; see [`Revoked`].

use std::collections::HashMap;
use std::sync::RwLock;

use serde::{Deserialize, Serialize};

use super::Login;

/// A session as stored (key `s.<session id>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Who logged in.
    pub login: Login,
    /// Which refresh token of the family is current (0 for the first).
    pub generation: u64,
    /// SHA-256 of the current refresh token.
    pub token_hash: String,
    /// When the current refresh token expires, ms since the epoch.
    pub refresh_expires_at_ms: i64,
    /// When the session started, ms.
    pub started_at_ms: i64,
    /// Revoked (logout, or a rotated token replayed).
    #[serde(default)]
    pub revoked: bool,
}

/// What a refresh token points at (key `t.<token hash>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRef {
    /// The session.
    pub session: String,
    /// The token's generation in it.
    pub generation: u64,
}

/// What a refresh does to a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rotation {
    /// The token is current: the session now has this new one.
    Rotated,
    /// The token was rotated before: the session is now revoked.
    Replayed,
    /// The session was revoked before (logout or an earlier replay).
    Revoked,
    /// The token has expired.
    Expired,
}

impl Session {
    /// Presents refresh token `presented` (its reference and hash) at
    /// `now_ms`; on [`Rotation::Rotated`] the session holds `new_hash`
    /// valid for `ttl_ms`. The caller stores the session after
    /// `Rotated` and `Replayed`.
    pub fn rotate(
        &mut self,
        presented: &TokenRef,
        presented_hash: &str,
        new_hash: &str,
        now_ms: i64,
        ttl_ms: i64,
    ) -> Rotation {
        if self.revoked {
            return Rotation::Revoked;
        }
        if presented.generation != self.generation
            || !super::codes::same(presented_hash, &self.token_hash)
        {
            self.revoked = true;
            return Rotation::Replayed;
        }
        if self.refresh_expires_at_ms <= now_ms {
            return Rotation::Expired;
        }
        self.generation += 1;
        self.token_hash = new_hash.to_owned();
        self.refresh_expires_at_ms = now_ms + ttl_ms;
        Rotation::Rotated
    }
}

/// Sessions revoked recently enough that their access tokens may still be
/// unexpired: session id → when the last of them expires (seconds since
/// the epoch). Checked on every authenticated request (a hash lookup).
#[derive(Debug, Default)]
pub struct Revoked {
    sessions: RwLock<HashMap<String, u64>>,
}

impl Revoked {
    /// Remembers `session` as revoked until `until_s`; forgets entries
    /// that have run out.
    pub fn insert(&self, session: &str, until_s: u64, now_s: u64) {
        let mut m = self.sessions.write().unwrap_or_else(|e| e.into_inner());
        m.retain(|_, &mut until| until > now_s);
        if until_s > now_s {
            let e = m.entry(session.to_owned()).or_default();
            *e = (*e).max(until_s);
        }
    }

    /// Whether `session` is revoked.
    pub fn contains(&self, session: &str) -> bool {
        self.sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(session)
    }

    /// How many are remembered.
    pub fn len(&self) -> usize {
        self.sessions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            login: Login::Email("ana@example.com".into()),
            generation: 0,
            token_hash: "h0".into(),
            refresh_expires_at_ms: 1000,
            started_at_ms: 0,
            revoked: false,
        }
    }

    fn r(generation: u64) -> TokenRef {
        TokenRef {
            session: "s".into(),
            generation,
        }
    }

    #[test]
    fn each_refresh_token_works_once_and_a_replay_revokes_the_session() {
        let mut s = session();
        assert_eq!(s.rotate(&r(0), "h0", "h1", 10, 1000), Rotation::Rotated);
        assert_eq!((s.generation, s.token_hash.as_str()), (1, "h1"));
        assert_eq!(s.refresh_expires_at_ms, 1010);
        assert_eq!(s.rotate(&r(1), "h1", "h2", 20, 1000), Rotation::Rotated);
        // The first token again: someone else holds it.
        assert_eq!(s.rotate(&r(0), "h0", "hx", 30, 1000), Rotation::Replayed);
        assert!(s.revoked);
        // Now the newest token is dead too.
        assert_eq!(s.rotate(&r(2), "h2", "h3", 40, 1000), Rotation::Revoked);
    }

    #[test]
    fn expired_tokens_are_not_rotated() {
        let mut s = session();
        assert_eq!(s.rotate(&r(0), "h0", "h1", 1000, 1000), Rotation::Expired);
        assert_eq!(s.generation, 0);
        assert!(!s.revoked);
    }

    #[test]
    fn a_reference_with_the_wrong_hash_counts_as_a_replay() {
        let mut s = session();
        assert_eq!(s.rotate(&r(0), "hz", "h1", 10, 1000), Rotation::Replayed);
    }

    #[test]
    fn revocations_are_forgotten_when_the_access_tokens_are_dead() {
        let r = Revoked::default();
        r.insert("a", 100, 10);
        r.insert("b", 50, 10);
        assert!(r.contains("a") && r.contains("b") && !r.contains("c"));
        r.insert("c", 200, 60);
        assert!(!r.contains("b"), "b's tokens expired at 50");
        assert!(r.contains("a") && r.contains("c"));
        r.insert("d", 5, 10);
        assert!(!r.contains("d"));
        assert_eq!(r.len(), 2);
    }
}
