//! Login codes and the rules around them, pure for testing: making codes
//! and tokens (the OS's CSPRNG), hashing what is stored, the lock after
//! repeated wrong codes, and sliding-window rate limits.
//!
//! Nothing secret is stored in clear. A code is stored as
//! `SHA-256(domain ‖ pepper ‖ login ‖ code)`, the pepper derived from a
//! JWT signing key (a Secret the store never sees), so a copy of the store
//! alone does not give the codes away even though a 6-digit code is easy
//! to enumerate. Refresh tokens are 256 random bits, stored as their
//! SHA-256.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Login;

/// Digits of a login code.
pub const CODE_DIGITS: usize = 6;

/// `n` random bytes from the OS.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the OS random number generator is available");
    b
}

/// A new 6-digit login code, uniformly drawn (rejection sampling, no
/// modulo bias).
pub fn new_code() -> String {
    // The largest multiple of 10^6 that fits in a u32.
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let n = u32::from_le_bytes(random_bytes::<4>());
        if n < LIMIT {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// A new opaque secret of 256 random bits, as 64 hex digits (refresh
/// tokens).
pub fn new_secret() -> String {
    hex::encode(random_bytes::<32>())
}

/// A new session id: 128 random bits, as 32 hex digits.
pub fn new_session_id() -> String {
    hex::encode(random_bytes::<16>())
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The pepper of login codes hashed under a signing key.
pub fn pepper(signing_key: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"sellout login-code pepper\0");
    h.update(signing_key);
    h.finalize().into()
}

/// What is stored for `code` sent to `login`.
pub fn hash_code(pepper: &[u8; 32], login: &Login, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"sellout login code\0");
    h.update(pepper);
    h.update(login.subject().as_bytes());
    h.update(b"\0");
    h.update(code.as_bytes());
    hex::encode(h.finalize())
}

/// The store key of everything about `login` (its hash, so logins do not
/// appear in key names).
pub fn login_key(login: &Login) -> String {
    sha256_hex(login.subject().as_bytes())
}

/// Equal without an early exit (the time taken does not say how much of
/// a hash matched).
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// How codes and locks behave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodePolicy {
    /// How long a code is valid, ms.
    pub code_ttl_ms: i64,
    /// Wrong codes in a row (within `failure_window_ms`) that lock a login.
    pub max_failures: u32,
    /// How long a lock lasts, ms.
    pub lock_ms: i64,
    /// Wrong codes older than this are forgotten, ms.
    pub failure_window_ms: i64,
}

impl Default for CodePolicy {
    fn default() -> Self {
        Self {
            code_ttl_ms: 10 * 60 * 1000,
            max_failures: 5,
            lock_ms: 15 * 60 * 1000,
            failure_window_ms: 15 * 60 * 1000,
        }
    }
}

/// What is stored per login: the pending code (hashed) and the wrong
/// attempts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeState {
    /// Hash of the pending code; `None` once used, voided or never sent.
    pub code_hash: Option<String>,
    /// Id of the signing key whose pepper hashed it.
    #[serde(default)]
    pub key_id: String,
    /// When the pending code expires, ms since the epoch.
    #[serde(default)]
    pub expires_at_ms: i64,
    /// Wrong codes since `first_failure_ms`.
    #[serde(default)]
    pub failures: u32,
    /// When the first of them was, ms.
    #[serde(default)]
    pub first_failure_ms: i64,
    /// Locked until then, ms (0: not locked).
    #[serde(default)]
    pub locked_until_ms: i64,
}

/// The outcome of a login attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The right code: it is used up.
    Accepted,
    /// A wrong code; this many attempts are left before the lock.
    Wrong {
        /// Attempts left.
        left: u32,
    },
    /// This wrong code locked the login until then (ms).
    NowLocked {
        /// Until when.
        until_ms: i64,
    },
    /// The login is locked until then (ms), whatever the code.
    Locked {
        /// Until when.
        until_ms: i64,
    },
    /// No code is pending (used, voided by a lock, or never sent).
    NoCode,
    /// The pending code has expired.
    Expired,
}

impl CodeState {
    /// Forgets a lock that has ended and wrong codes that are too old.
    fn age(&mut self, now_ms: i64, p: &CodePolicy) {
        if self.locked_until_ms != 0 && self.locked_until_ms <= now_ms {
            self.locked_until_ms = 0;
            self.failures = 0;
        }
        if self.failures > 0 && now_ms - self.first_failure_ms >= p.failure_window_ms {
            self.failures = 0;
        }
    }

    /// Whether the login is locked at `now_ms`.
    pub fn locked(&self, now_ms: i64) -> bool {
        self.locked_until_ms > now_ms
    }

    /// Stores a new code's hash; `false` (and nothing changes) while the
    /// login is locked: no code is sent then.
    pub fn issue(&mut self, hash: String, key_id: &str, now_ms: i64, p: &CodePolicy) -> bool {
        self.age(now_ms, p);
        if self.locked(now_ms) {
            return false;
        }
        self.code_hash = Some(hash);
        self.key_id = key_id.to_owned();
        self.expires_at_ms = now_ms + p.code_ttl_ms;
        true
    }

    /// Checks a code: `hash_for(key_id)` hashes the typed code with the
    /// pepper of that key (`None`: the key is gone). Updates the state;
    /// the caller stores it unless the outcome is [`Attempt::Locked`],
    /// [`Attempt::NoCode`] or [`Attempt::Expired`] (which change nothing
    /// worth storing).
    pub fn attempt(
        &mut self,
        hash_for: impl Fn(&str) -> Option<String>,
        now_ms: i64,
        p: &CodePolicy,
    ) -> Attempt {
        self.age(now_ms, p);
        if self.locked(now_ms) {
            return Attempt::Locked {
                until_ms: self.locked_until_ms,
            };
        }
        let Some(stored) = &self.code_hash else {
            return Attempt::NoCode;
        };
        if self.expires_at_ms <= now_ms {
            return Attempt::Expired;
        }
        if hash_for(&self.key_id).is_some_and(|typed| same(&typed, stored)) {
            self.code_hash = None;
            self.failures = 0;
            return Attempt::Accepted;
        }
        if self.failures == 0 {
            self.first_failure_ms = now_ms;
        }
        self.failures += 1;
        if self.failures >= p.max_failures {
            self.locked_until_ms = now_ms + p.lock_ms;
            // The pending code dies with the lock: a new one is needed
            // after it.
            self.code_hash = None;
            Attempt::NowLocked {
                until_ms: self.locked_until_ms,
            }
        } else {
            Attempt::Wrong {
                left: p.max_failures - self.failures,
            }
        }
    }
}

/// Requests in a sliding window: the times (ms) of those still in it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLog {
    /// When each counted request was made, ms, oldest first.
    pub at_ms: Vec<i64>,
}

impl RateLog {
    /// Counts a request at `now_ms` if fewer than `limit` were made in
    /// the last `window_ms`; otherwise refuses it (nothing counted) and
    /// says in how many ms the next one is allowed.
    pub fn admit(&mut self, now_ms: i64, limit: u32, window_ms: i64) -> Result<(), i64> {
        self.at_ms.retain(|&t| now_ms - t < window_ms);
        if self.at_ms.len() >= limit as usize {
            let oldest = self.at_ms[self.at_ms.len() - limit as usize];
            return Err((oldest + window_ms - now_ms).max(1));
        }
        self.at_ms.push(now_ms);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> CodePolicy {
        CodePolicy::default()
    }

    const MIN: i64 = 60_000;

    #[test]
    fn codes_are_six_uniform_digits_and_secrets_are_long() {
        let codes: Vec<String> = (0..2000).map(|_| new_code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        // Every first digit shows up (a stuck generator would not).
        for d in b'0'..=b'9' {
            assert!(codes.iter().any(|c| c.as_bytes()[0] == d));
        }
        let a = new_secret();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_secret());
        assert_eq!(new_session_id().len(), 32);
    }

    #[test]
    fn hashes_bind_the_code_to_the_login_and_the_pepper() {
        let ana = Login::Email("ana@example.com".into());
        let bob = Login::Email("bob@example.com".into());
        let k1 = pepper(&[1; 32]);
        let k2 = pepper(&[2; 32]);
        let h = hash_code(&k1, &ana, "123456");
        assert_eq!(h, hash_code(&k1, &ana, "123456"));
        assert_ne!(h, hash_code(&k1, &bob, "123456"));
        assert_ne!(h, hash_code(&k2, &ana, "123456"));
        assert_ne!(h, hash_code(&k1, &ana, "123457"));
        assert!(!h.contains("123456"));
        assert_eq!(h.len(), 64);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(login_key(&ana), login_key(&bob));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }

    fn issued(now: i64) -> CodeState {
        let mut s = CodeState::default();
        assert!(s.issue("H".into(), "k", now, &p()));
        s
    }

    fn right(k: &str) -> Option<String> {
        (k == "k").then(|| "H".to_owned())
    }

    fn wrong(_: &str) -> Option<String> {
        Some("X".into())
    }

    #[test]
    fn a_right_code_is_accepted_once() {
        let mut s = issued(0);
        assert_eq!(s.attempt(right, 1000, &p()), Attempt::Accepted);
        assert_eq!(s.attempt(right, 1001, &p()), Attempt::NoCode);
        // A code hashed under a key that is gone no longer matches.
        let mut s = issued(0);
        assert_eq!(s.attempt(|_| None, 1, &p()), Attempt::Wrong { left: 4 });
    }

    #[test]
    fn codes_expire() {
        let mut s = issued(0);
        assert_eq!(s.attempt(right, 10 * MIN, &p()), Attempt::Expired);
        let mut s = issued(0);
        assert_eq!(s.attempt(right, 10 * MIN - 1, &p()), Attempt::Accepted);
    }

    #[test]
    fn five_wrong_codes_lock_the_login_for_fifteen_minutes() {
        let mut s = issued(0);
        for left in (1..=4).rev() {
            assert_eq!(s.attempt(wrong, 1000, &p()), Attempt::Wrong { left });
        }
        assert_eq!(
            s.attempt(wrong, 2000, &p()),
            Attempt::NowLocked {
                until_ms: 2000 + 15 * MIN
            }
        );
        // Even the right code, and no new code is issued while locked.
        assert_eq!(
            s.attempt(right, 3000, &p()),
            Attempt::Locked {
                until_ms: 2000 + 15 * MIN
            }
        );
        assert!(!s.issue("H".into(), "k", 4000, &p()));
        // After the lock: a fresh start, but the old code died with it.
        let after = 2000 + 15 * MIN;
        assert_eq!(s.attempt(right, after, &p()), Attempt::NoCode);
        assert!(s.issue("H".into(), "k", after, &p()));
        assert_eq!(
            s.attempt(wrong, after + 1, &p()),
            Attempt::Wrong { left: 4 }
        );
        assert_eq!(s.attempt(right, after + 2, &p()), Attempt::Accepted);
        assert_eq!(s.failures, 0, "success forgets the wrong codes");
    }

    #[test]
    fn old_wrong_codes_are_forgotten_and_new_codes_do_not_reset_the_count() {
        let mut s = issued(0);
        for _ in 0..4 {
            s.attempt(wrong, 0, &p());
        }
        // A new code does not buy more guesses.
        assert!(s.issue("H".into(), "k", MIN, &p()));
        assert!(matches!(
            s.attempt(wrong, MIN, &p()),
            Attempt::NowLocked { .. }
        ));
        // Four wrong codes, then a quarter of an hour later: counted afresh.
        let mut s = issued(0);
        for _ in 0..4 {
            s.attempt(wrong, 0, &p());
        }
        s.issue("H".into(), "k", 15 * MIN, &p());
        assert_eq!(s.attempt(wrong, 15 * MIN, &p()), Attempt::Wrong { left: 4 });
    }

    #[test]
    fn rate_limits_slide() {
        let mut log = RateLog::default();
        for i in 0..5 {
            assert_eq!(log.admit(i * MIN, 5, 60 * MIN), Ok(()));
        }
        // The sixth within the hour waits until the first leaves it.
        assert_eq!(log.admit(10 * MIN, 5, 60 * MIN), Err(50 * MIN));
        assert_eq!(log.at_ms.len(), 5, "a refused request is not counted");
        assert_eq!(log.admit(60 * MIN, 5, 60 * MIN), Ok(()));
        assert_eq!(log.admit(60 * MIN, 5, 60 * MIN), Err(MIN));
        assert_eq!(log.at_ms, vec![MIN, 2 * MIN, 3 * MIN, 4 * MIN, 60 * MIN]);
    }
}
