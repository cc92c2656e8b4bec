//! Logging in by one-time code, refreshing and logging out: the service
//! behind the auth mutations, over the [`store`](super::store) buckets.
//!
//! - `requestLoginCode`: rate-limited per login and per client address
//!   (sliding windows), then a new 6-digit code replaces any pending one
//!   and is sent. Every well-formed request gets the same answer, whoever
//!   the login is (anyone may log in: buyers are not registered), so the
//!   answer tells nothing about who has an account. While a login is
//!   locked no code is sent (the answer is still the same).
//! - `login`: the code is checked against the pending one (hashes, by
//!   compare-and-set, so it is used once even with several gateway
//!   replicas); five wrong codes from one address lock that address out
//!   of the login for 15 minutes (others still get in), and 20 wrong
//!   codes in all burn the code.
//! - `refresh`, `logout`: see [`refresh`](super::refresh).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, kv};
use futures::StreamExt;
use tokio::sync::OnceCell;

use super::codes::{self, Attempt, CodePolicy, CodeState, RateLog};
use super::delivery::{Messenger, SendError};
use super::refresh::{Revoked, Rotation, Session, TokenRef};
use super::store::{Buckets, MaxAges, StoreError};
use super::{Auth, Login, Principal};

/// How logins behave; the defaults are the documented ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginConfig {
    /// Code lifetime and the lock.
    pub policy: CodePolicy,
    /// Codes per login (e-mail address or phone number) per window.
    pub per_login: u32,
    /// Codes per client address per window.
    pub per_address: u32,
    /// Codes typed (right or wrong, for any login) per client address per
    /// window: one address cannot spray guesses over many logins.
    pub attempts_per_address: u32,
    /// The rate-limit window.
    pub window: Duration,
    /// Take the client's address from `X-Forwarded-For` (set by a trusted
    /// proxy in front) rather than the connection.
    pub trust_forwarded_for: bool,
}

impl Default for LoginConfig {
    fn default() -> Self {
        Self {
            policy: CodePolicy::default(),
            per_login: 5,
            per_address: 20,
            attempts_per_address: 30,
            window: Duration::from_secs(3600),
            trust_forwarded_for: false,
        }
    }
}

/// Why a login operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Malformed input.
    #[error("{0}")]
    BadRequest(String),
    /// Too many codes asked for or typed.
    #[error("too many login codes {what}: try again in {}", wait_words(*retry_after_s))]
    RateLimited {
        /// "for this login", "from this address", "typed from this
        /// address".
        what: &'static str,
        /// Seconds until the next is allowed.
        retry_after_s: u64,
    },
    /// A wrong code.
    #[error("wrong code: {left} attempt{} left from here before this login is locked for you", if *left == 1 { "" } else { "s" })]
    WrongCode {
        /// Attempts left.
        left: u32,
    },
    /// Locked after repeated wrong codes.
    #[error(
        "too many wrong codes from here: this login is locked for you for {}; then ask for a new code",
        wait_words(*retry_after_s)
    )]
    Locked {
        /// Seconds until it unlocks.
        retry_after_s: u64,
    },
    /// No usable code: expired, used or never sent.
    #[error("{0}")]
    CodeExpired(&'static str),
    /// A refresh token that is not (or no longer) valid.
    #[error("{0}")]
    BadToken(&'static str),
    /// A refresh token that has expired.
    #[error("the refresh token has expired: log in again")]
    TokenExpired,
    /// The store, mail relay or SMS API failed, or a channel is missing.
    #[error("{0}")]
    Unavailable(String),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        tracing::warn!(error = %e, "login store failed");
        LoginError::Unavailable("logins are unavailable right now: retry".into())
    }
}

impl From<SendError> for LoginError {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Undeliverable(m) => LoginError::BadRequest(m),
            e => LoginError::Unavailable(e.to_string()),
        }
    }
}

/// What `requestLoginCode` answers (the same for every login).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeSent {
    /// How long the code is valid.
    pub expires_in: Duration,
}

/// A new token pair.
#[derive(Clone, Debug)]
pub struct Tokens {
    /// The access token (JWT).
    pub access_token: String,
    /// When it expires, seconds since the epoch.
    pub access_expires_at_s: u64,
    /// The refresh token (opaque).
    pub refresh_token: String,
    /// When it expires, ms since the epoch.
    pub refresh_expires_at_ms: i64,
}

/// The login service; one per gateway, shared by its requests.
pub struct Logins {
    js: jetstream::Context,
    buckets: OnceCell<Buckets>,
    ages: MaxAges,
    messenger: Messenger,
    /// How logins behave.
    pub config: LoginConfig,
    revoked: Revoked,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

/// "40 seconds", "15 minutes".
fn wait_words(s: u64) -> String {
    if s >= 90 {
        format!("{} minutes", s.div_ceil(60))
    } else if s == 1 {
        "1 second".into()
    } else {
        format!("{s} seconds")
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn secs(ms: i64) -> u64 {
    u64::try_from(ms.max(0)).unwrap_or(0).div_ceil(1000)
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The rate-limit key of a client address: IPv6 addresses by their /64
/// (what one subscriber is usually given), hashed.
pub fn address_key(ip: IpAddr) -> String {
    format!("ip.{}", codes::sha256_hex(subscriber(ip).as_bytes()))
}

/// One subscriber's address as limits count it: an IPv4 address (IPv4
/// mapped into IPv6 included), or the /64 of an IPv6 address (one
/// subscriber gets a whole /64, so counting its addresses apart would
/// give each attacker 2^64 of them).
pub fn subscriber(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The message when no code is pending.
const NO_CODE: &str =
    "no code is waiting for this login (it was used, or none was asked for): ask for a new one";

/// Counts a request under `key` in the rates bucket, if fewer than
/// `limit` were counted in the last `window_ms`; `Ok(Err(wait_ms))`
/// otherwise (nothing counted).
async fn count(
    b: &Buckets,
    key: &str,
    limit: u32,
    window_ms: i64,
    now: i64,
) -> Result<Result<(), i64>, LoginError> {
    Ok(b.rates
        .modify(key, |log: Option<RateLog>| {
            let mut log = log.unwrap_or_default();
            match log.admit(now, limit, window_ms) {
                Ok(()) => (Some(log), Ok(())),
                Err(wait) => (None, Err(wait)),
            }
        })
        .await?)
}

impl Logins {
    /// A login service sending codes through `messenger`; the buckets are
    /// opened by [`start`](Self::start) or the first request. `access_ttl`
    /// and `refresh_ttl` are the [`Auth`]'s.
    pub fn new(
        nats: async_nats::Client,
        messenger: Messenger,
        config: LoginConfig,
        access_ttl: Duration,
        refresh_ttl: Duration,
    ) -> Self {
        let p = config.policy;
        let code_age = Duration::from_millis(
            u64::try_from(p.code_ttl_ms.max(p.lock_ms).max(p.failure_window_ms)).unwrap_or(0),
        );
        let ages = MaxAges {
            codes: code_age + Duration::from_secs(300),
            // The shared limits' windows too (crate::rates).
            rates: config.window.max(crate::rates::LONGEST_WINDOW) + Duration::from_secs(60),
            sessions: refresh_ttl + Duration::from_secs(24 * 3600),
            revoked: access_ttl + Duration::from_secs(60),
        };
        Self {
            js: jetstream::new(nats),
            buckets: OnceCell::new(),
            ages,
            messenger,
            config,
            revoked: Revoked::default(),
            access_ttl,
            refresh_ttl,
        }
    }

    /// Opens the buckets and keeps the revoked sessions of every replica
    /// in memory (a watch on the revocations bucket), retrying until the
    /// process ends.
    pub fn start(self: &Arc<Self>) {
        let me = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let Some(this) = me.upgrade() else { return };
                let watch = match this.buckets().await {
                    Ok(b) => b
                        .revoked
                        .store
                        .watch_with_history(">")
                        .await
                        .map_err(|e| format!("cannot watch revoked sessions yet: {e}")),
                    Err(e) => Err(format!("cannot open the login store yet: {e}")),
                };
                drop(this);
                match watch {
                    Ok(mut w) => {
                        while let Some(entry) = w.next().await {
                            let Some(this) = me.upgrade() else { return };
                            match entry {
                                Ok(e) if e.operation == kv::Operation::Put => {
                                    if let Ok(until) = serde_json::from_slice::<u64>(&e.value) {
                                        this.revoked.insert(&e.key, until, secs(now_ms()));
                                    }
                                }
                                Ok(_) => {}
                                Err(e) => {
                                    tracing::warn!(error = %e, "watch of revoked sessions failed; restarting it");
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "retrying"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    async fn buckets(&self) -> Result<&Buckets, LoginError> {
        let open = Box::pin(Buckets::open(&self.js, self.ages));
        match tokio::time::timeout(
            Duration::from_secs(10),
            self.buckets.get_or_try_init(|| open),
        )
        .await
        {
            Ok(r) => Ok(r?),
            Err(_) => Err(LoginError::Unavailable(
                "the login store did not answer: retry".into(),
            )),
        }
    }

    /// Whether `session` was revoked (logout or a replayed refresh token)
    /// while its access tokens may still be unexpired.
    pub fn is_revoked(&self, session: &str) -> bool {
        !self.revoked.is_empty() && self.revoked.contains(session)
    }

    /// Counts a request under `key` (hashed here; e.g. `promo.<address>`)
    /// against `limit` in `window`, in the rates bucket every gateway
    /// replica shares. `Ok(Err(wait))`: over the limit, the next allowed
    /// after `wait`. `Err`: the bucket cannot be reached.
    pub async fn admit_shared(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<Result<(), Duration>, LoginError> {
        let b = self.buckets().await?;
        let key = format!("shared.{}", codes::sha256_hex(key.as_bytes()));
        let verdict = count(b, &key, limit, ms(window), now_ms()).await?;
        Ok(verdict.map_err(|wait| Duration::from_millis(u64::try_from(wait).unwrap_or(0))))
    }

    async fn admit(
        &self,
        b: &Buckets,
        key: &str,
        limit: u32,
        what: &'static str,
        now: i64,
    ) -> Result<(), LoginError> {
        let verdict = count(b, key, limit, ms(self.config.window), now).await?;
        verdict.map_err(|wait| LoginError::RateLimited {
            what,
            retry_after_s: secs(wait),
        })
    }

    /// Sends a new code to `login` (see the module docs); `ip` is the
    /// client's address when known.
    pub async fn request_code(
        &self,
        auth: &Auth,
        login: &Login,
        ip: Option<IpAddr>,
    ) -> Result<CodeSent, LoginError> {
        self.messenger.can_send(login)?;
        let b = self.buckets().await?;
        let now = now_ms();
        if let Some(ip) = ip {
            self.admit(
                b,
                &address_key(ip),
                self.config.per_address,
                "from this address",
                now,
            )
            .await?;
        }
        let key = codes::login_key(login);
        self.admit(
            b,
            &format!("login.{key}"),
            self.config.per_login,
            "for this login",
            now,
        )
        .await?;
        let where_from = ip.map(address_key).unwrap_or_default();
        let code = codes::new_code();
        let (key_id, pepper) = auth.code_pepper();
        let hash = codes::hash_code(pepper, login, &code);
        let policy = self.config.policy;
        let issued = b
            .codes
            .modify(&key, |state: Option<CodeState>| {
                let mut s = state.unwrap_or_default();
                if s.issue(hash.clone(), key_id, now, &policy, &where_from) {
                    (Some(s), true)
                } else {
                    (None, false)
                }
            })
            .await?;
        let expires_in = Duration::from_millis(u64::try_from(policy.code_ttl_ms).unwrap_or(0));
        if issued {
            Box::pin(self.messenger.send(login, &code, expires_in)).await?;
            tracing::info!(channel = login.channel(), "login code sent");
        } else {
            tracing::info!(
                channel = login.channel(),
                "login code not sent: the login is locked"
            );
        }
        Ok(CodeSent { expires_in })
    }

    /// Checks `code` for `login`, typed from `ip` (when known), and
    /// starts a session.
    pub async fn login(
        &self,
        auth: &Auth,
        login: &Login,
        code: &str,
        ip: Option<IpAddr>,
    ) -> Result<Tokens, LoginError> {
        let b = self.buckets().await?;
        let now = now_ms();
        let policy = self.config.policy;
        let where_from = ip.map(address_key).unwrap_or_default();
        if ip.is_some() {
            self.admit(
                b,
                &format!("try.{where_from}"),
                self.config.attempts_per_address,
                "typed from this address",
                now,
            )
            .await?;
        }
        let outcome = b
            .codes
            .modify(&codes::login_key(login), |state: Option<CodeState>| {
                let Some(mut s) = state else {
                    return (None, Attempt::NoCode);
                };
                let a = s.attempt(
                    |kid| {
                        auth.code_pepper_for(kid)
                            .map(|p| codes::hash_code(p, login, code))
                    },
                    now,
                    &policy,
                    &where_from,
                );
                match a {
                    Attempt::Accepted
                    | Attempt::Wrong { .. }
                    | Attempt::NowLocked { .. }
                    | Attempt::Burned => (Some(s), a),
                    _ => (None, a),
                }
            })
            .await?;
        match outcome {
            Attempt::Accepted => {}
            Attempt::Wrong { left } => return Err(LoginError::WrongCode { left }),
            Attempt::NowLocked { until_ms } | Attempt::Locked { until_ms } => {
                return Err(LoginError::Locked {
                    retry_after_s: secs(until_ms - now),
                });
            }
            Attempt::NoCode => return Err(LoginError::CodeExpired(NO_CODE)),
            Attempt::Burned => {
                return Err(LoginError::CodeExpired(
                    "too many wrong codes were typed for this login: ask for a new code",
                ));
            }
            Attempt::Expired => {
                return Err(LoginError::CodeExpired(
                    "the code has expired: ask for a new one",
                ));
            }
        }
        let session = codes::new_session_id();
        let refresh = codes::new_secret();
        let hash = codes::sha256_hex(refresh.as_bytes());
        let refresh_expires_at_ms = now + ms(self.refresh_ttl);
        b.sessions
            .put(
                &format!("s.{session}"),
                &Session {
                    login: login.clone(),
                    generation: 0,
                    token_hash: hash.clone(),
                    refresh_expires_at_ms,
                    started_at_ms: now,
                    revoked: false,
                },
            )
            .await?;
        b.sessions
            .put(
                &format!("t.{hash}"),
                &TokenRef {
                    session: session.clone(),
                    generation: 0,
                },
            )
            .await?;
        tracing::info!(channel = login.channel(), "logged in");
        let (access_token, access_expires_at_s) = auth.access_token(login, &session);
        Ok(Tokens {
            access_token,
            access_expires_at_s,
            refresh_token: refresh,
            refresh_expires_at_ms,
        })
    }

    /// Rotates refresh token `token` (see [`refresh`](super::refresh)).
    pub async fn refresh(&self, auth: &Auth, token: &str) -> Result<Tokens, LoginError> {
        let token = token.trim();
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(LoginError::BadToken(
                "the refresh token is malformed: log in again",
            ));
        }
        let b = self.buckets().await?;
        let now = now_ms();
        let presented = codes::sha256_hex(token.as_bytes());
        let Some(r) = b
            .sessions
            .get::<TokenRef>(&format!("t.{presented}"))
            .await?
            .0
        else {
            return Err(LoginError::BadToken(
                "the refresh token is not valid (unknown, or from a session that has ended): log in again",
            ));
        };
        let fresh = codes::new_secret();
        let fresh_hash = codes::sha256_hex(fresh.as_bytes());
        let ttl = ms(self.refresh_ttl);
        let outcome = b
            .sessions
            .modify(&format!("s.{}", r.session), |s: Option<Session>| {
                let Some(mut s) = s else {
                    return (None, None);
                };
                let rotation = s.rotate(&r, &presented, &fresh_hash, now, ttl);
                let write = matches!(rotation, Rotation::Rotated | Rotation::Replayed);
                (write.then(|| s.clone()), Some((rotation, s)))
            })
            .await?;
        let Some((rotation, session)) = outcome else {
            return Err(LoginError::BadToken(
                "the session of this refresh token has ended: log in again",
            ));
        };
        match rotation {
            Rotation::Rotated => {}
            Rotation::Replayed => {
                tracing::warn!(
                    channel = session.login.channel(),
                    "a rotated refresh token was presented again: session revoked"
                );
                self.mark_revoked(b, &r.session).await?;
                return Err(LoginError::BadToken(
                    "this refresh token was already used, so it may have been stolen: the session is revoked, log in again",
                ));
            }
            Rotation::Revoked => {
                return Err(LoginError::BadToken(
                    "the session has ended (logged out or revoked): log in again",
                ));
            }
            Rotation::Expired => return Err(LoginError::TokenExpired),
        }
        b.sessions
            .put(
                &format!("t.{fresh_hash}"),
                &TokenRef {
                    session: r.session.clone(),
                    generation: session.generation,
                },
            )
            .await?;
        let (access_token, access_expires_at_s) = auth.access_token(&session.login, &r.session);
        Ok(Tokens {
            access_token,
            access_expires_at_s,
            refresh_token: fresh,
            refresh_expires_at_ms: session.refresh_expires_at_ms,
        })
    }

    /// Ends `who`'s session: its refresh token stops working at once, and
    /// so do its access tokens.
    pub async fn logout(&self, who: &Principal) -> Result<(), LoginError> {
        let b = self.buckets().await?;
        b.sessions
            .modify(
                &format!("s.{}", who.session),
                |s: Option<Session>| match s {
                    Some(mut s) if !s.revoked => {
                        s.revoked = true;
                        (Some(s), ())
                    }
                    _ => (None, ()),
                },
            )
            .await?;
        self.mark_revoked(b, &who.session).await?;
        tracing::info!(channel = who.login.channel(), "logged out");
        Ok(())
    }

    /// Remembers `session` as revoked here at once and, through the
    /// watched bucket, in every replica.
    async fn mark_revoked(&self, b: &Buckets, session: &str) -> Result<(), LoginError> {
        let now = secs(now_ms());
        let until = now + self.access_ttl.as_secs() + 1;
        self.revoked.insert(session, until, now);
        b.revoked.put(session, &until).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_limited_by_host_or_ipv6_slash_64() {
        let a = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(a("2001:db8:1:2::1"), a("2001:db8:1:2:ffff::9"));
        assert_ne!(a("2001:db8:1:2::1"), a("2001:db8:1:3::1"));
        assert_eq!(a("::ffff:192.0.2.1"), a("192.0.2.1"));
        assert_ne!(a("192.0.2.1"), a("192.0.2.2"));
        assert!(a("192.0.2.1").starts_with("ip.") && !a("192.0.2.1").contains("192"));
    }

    #[test]
    fn errors_say_what_to_do() {
        assert_eq!(
            LoginError::WrongCode { left: 1 }.to_string(),
            "wrong code: 1 attempt left from here before this login is locked for you"
        );
        assert_eq!(
            LoginError::WrongCode { left: 3 }.to_string(),
            "wrong code: 3 attempts left from here before this login is locked for you"
        );
        assert_eq!(
            LoginError::Locked { retry_after_s: 900 }.to_string(),
            "too many wrong codes from here: this login is locked for you for 15 minutes; then ask for a new code"
        );
        assert_eq!(
            LoginError::RateLimited {
                what: "from this address",
                retry_after_s: 42
            }
            .to_string(),
            "too many login codes from this address: try again in 42 seconds"
        );
        assert_eq!(wait_words(1), "1 second");
        assert_eq!(wait_words(3599), "60 minutes");
        assert_eq!(secs(1), 1);
        assert_eq!(secs(1000), 1);
        assert_eq!(secs(1001), 2);
        assert_eq!(secs(-5), 0);
    }
}
