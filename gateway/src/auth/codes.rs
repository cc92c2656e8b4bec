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

use std::collections::BTreeMap;

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
    /// Wrong codes in a row (within `failure_window_ms`) from one address
    /// that lock that address out of a login.
    pub max_failures: u32,
    /// Wrong codes from all addresses together that burn a pending code.
    pub max_code_failures: u32,
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
            max_code_failures: 20,
            lock_ms: 15 * 60 * 1000,
            failure_window_ms: 15 * 60 * 1000,
        }
    }
}

/// What is stored per login: the pending code (hashed) and the wrong
/// attempts, counted per client address.
///
/// Wrong codes lock the *address* that typed them out of this login, not
/// the login: anyone can type wrong codes for someone else's e-mail, and a
/// lock on the login would let them keep its owner out for good. Guessing
/// from many addresses is bounded by [`CodePolicy::max_code_failures`]: so
/// many wrong codes from anywhere burn the pending code (its owner asks
/// for a new one; codes per login are rate-limited).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeState {
    /// Hash of the pending code; `None` once used, burned or never sent.
    pub code_hash: Option<String>,
    /// Id of the signing key whose pepper hashed it.
    #[serde(default)]
    pub key_id: String,
    /// When the pending code expires, ms since the epoch.
    #[serde(default)]
    pub expires_at_ms: i64,
    /// Wrong codes typed for the pending code, from every address.
    #[serde(default)]
    pub code_failures: u32,
    /// Wrong codes and locks by client address key (at most
    /// [`MAX_ADDRESSES`] kept, the oldest forgotten first).
    #[serde(default)]
    pub by_address: BTreeMap<String, Failures>,
}

/// Wrong codes from one address for one login.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    /// Wrong codes since `first_failure_ms`.
    pub failures: u32,
    /// When the first of them was, ms.
    pub first_failure_ms: i64,
    /// Locked until then, ms (0: not locked).
    pub locked_until_ms: i64,
}

/// Most addresses whose wrong codes one login keeps.
pub const MAX_ADDRESSES: usize = 64;

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
    /// This wrong code locked this address out of the login until then
    /// (ms).
    NowLocked {
        /// Until when.
        until_ms: i64,
    },
    /// This address is locked out of the login until then (ms), whatever
    /// the code.
    Locked {
        /// Until when.
        until_ms: i64,
    },
    /// This wrong code was one too many from all addresses together: the
    /// pending code is burned.
    Burned,
    /// No code is pending (used, burned, or never sent).
    NoCode,
    /// The pending code has expired.
    Expired,
}

impl CodeState {
    /// Forgets locks that have ended and wrong codes that are too old.
    fn age(&mut self, now_ms: i64, p: &CodePolicy) {
        self.by_address.retain(|_, f| {
            if f.locked_until_ms != 0 && f.locked_until_ms <= now_ms {
                return false;
            }
            f.locked_until_ms != 0 || now_ms - f.first_failure_ms < p.failure_window_ms
        });
    }

    /// Whether `address` is locked out of the login at `now_ms`.
    pub fn locked(&self, address: &str, now_ms: i64) -> bool {
        self.by_address
            .get(address)
            .is_some_and(|f| f.locked_until_ms > now_ms)
    }

    /// Stores a new code's hash; `false` (and nothing changes) while
    /// `address` is locked out of the login: no code is sent to it then.
    pub fn issue(
        &mut self,
        hash: String,
        key_id: &str,
        now_ms: i64,
        p: &CodePolicy,
        address: &str,
    ) -> bool {
        self.age(now_ms, p);
        if self.locked(address, now_ms) {
            return false;
        }
        self.code_hash = Some(hash);
        self.key_id = key_id.to_owned();
        self.expires_at_ms = now_ms + p.code_ttl_ms;
        self.code_failures = 0;
        true
    }

    /// Checks a code typed from `address`: `hash_for(key_id)` hashes it
    /// with the pepper of that key (`None`: the key is gone). Updates the
    /// state; the caller stores it unless the outcome is
    /// [`Attempt::Locked`], [`Attempt::NoCode`] or [`Attempt::Expired`]
    /// (which change nothing worth storing).
    pub fn attempt(
        &mut self,
        hash_for: impl Fn(&str) -> Option<String>,
        now_ms: i64,
        p: &CodePolicy,
        address: &str,
    ) -> Attempt {
        self.age(now_ms, p);
        if let Some(f) = self.by_address.get(address)
            && f.locked_until_ms > now_ms
        {
            return Attempt::Locked {
                until_ms: f.locked_until_ms,
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
            self.code_failures = 0;
            self.by_address.remove(address);
            return Attempt::Accepted;
        }
        if !self.by_address.contains_key(address) && self.by_address.len() >= MAX_ADDRESSES {
            let oldest = self
                .by_address
                .iter()
                .min_by_key(|(_, f)| f.first_failure_ms)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                self.by_address.remove(&k);
            }
        }
        let f = self.by_address.entry(address.to_owned()).or_default();
        if f.failures == 0 {
            f.first_failure_ms = now_ms;
        }
        f.failures += 1;
        self.code_failures += 1;
        if f.failures >= p.max_failures {
            f.locked_until_ms = now_ms + p.lock_ms;
            return Attempt::NowLocked {
                until_ms: f.locked_until_ms,
            };
        }
        let left = p.max_failures - f.failures;
        if self.code_failures >= p.max_code_failures {
            self.code_hash = None;
            return Attempt::Burned;
        }
        Attempt::Wrong { left }
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

    const HERE: &str = "ip.here";

    fn issued(now: i64) -> CodeState {
        let mut s = CodeState::default();
        assert!(s.issue("H".into(), "k", now, &p(), HERE));
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
        assert_eq!(s.attempt(right, 1000, &p(), HERE), Attempt::Accepted);
        assert_eq!(s.attempt(right, 1001, &p(), HERE), Attempt::NoCode);
        // A code hashed under a key that is gone no longer matches.
        let mut s = issued(0);
        assert_eq!(
            s.attempt(|_| None, 1, &p(), HERE),
            Attempt::Wrong { left: 4 }
        );
    }

    #[test]
    fn codes_expire() {
        let mut s = issued(0);
        assert_eq!(s.attempt(right, 10 * MIN, &p(), HERE), Attempt::Expired);
        let mut s = issued(0);
        assert_eq!(
            s.attempt(right, 10 * MIN - 1, &p(), HERE),
            Attempt::Accepted
        );
    }

    #[test]
    fn five_wrong_codes_lock_that_address_out_for_fifteen_minutes() {
        let mut s = issued(0);
        for left in (1..=4).rev() {
            assert_eq!(s.attempt(wrong, 1000, &p(), HERE), Attempt::Wrong { left });
        }
        assert_eq!(
            s.attempt(wrong, 2000, &p(), HERE),
            Attempt::NowLocked {
                until_ms: 2000 + 15 * MIN
            }
        );
        // Even the right code, and no new code is issued to it.
        assert_eq!(
            s.attempt(right, 3000, &p(), HERE),
            Attempt::Locked {
                until_ms: 2000 + 15 * MIN
            }
        );
        assert!(!s.issue("H".into(), "k", 4000, &p(), HERE));
        // The login's owner elsewhere is not locked out: the code works
        // for them.
        assert_eq!(s.attempt(right, 4000, &p(), "ip.owner"), Attempt::Accepted);
        // After the lock: a fresh start.
        let after = 2000 + 15 * MIN;
        assert!(s.issue("H".into(), "k", after, &p(), HERE));
        assert_eq!(
            s.attempt(wrong, after + 1, &p(), HERE),
            Attempt::Wrong { left: 4 }
        );
        assert_eq!(s.attempt(right, after + 2, &p(), HERE), Attempt::Accepted);
        assert!(s.by_address.is_empty(), "success forgets the wrong codes");
    }

    #[test]
    fn many_addresses_guessing_burn_the_code_and_new_codes_do_not_reset_an_address() {
        let mut s = issued(0);
        for i in 0..4 {
            s.attempt(wrong, 0, &p(), HERE);
            assert_ne!(s.code_hash, None, "{i}");
        }
        // A new code does not buy this address more guesses.
        assert!(s.issue("H".into(), "k", MIN, &p(), HERE));
        assert!(matches!(
            s.attempt(wrong, MIN, &p(), HERE),
            Attempt::NowLocked { .. }
        ));
        // Twenty wrong codes from as many addresses: the code is burned.
        let mut s = issued(0);
        for i in 0..19 {
            assert!(matches!(
                s.attempt(wrong, 1, &p(), &format!("ip.bot{i}")),
                Attempt::Wrong { .. }
            ));
        }
        assert_eq!(s.attempt(wrong, 1, &p(), "ip.bot19"), Attempt::Burned);
        assert_eq!(s.attempt(right, 2, &p(), "ip.owner"), Attempt::NoCode);
        // Old wrong codes are forgotten a quarter of an hour later.
        let mut s = issued(0);
        for _ in 0..4 {
            s.attempt(wrong, 0, &p(), HERE);
        }
        s.issue("H".into(), "k", 15 * MIN, &p(), HERE);
        assert_eq!(
            s.attempt(wrong, 15 * MIN, &p(), HERE),
            Attempt::Wrong { left: 4 }
        );
        // The addresses kept are bounded.
        let mut s = issued(0);
        for i in 0..200 {
            s.attempt(wrong, i, &p(), &format!("ip.{i}"));
            s.code_failures = 0;
            s.code_hash = Some("H".into());
        }
        assert_eq!(s.by_address.len(), MAX_ADDRESSES);
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
