//! Rate limits of the public mutations that cost us or a buyer something
//! (a presale code tried, a PaymentIntent made), shared by every gateway
//! replica: counted in the login service's rates bucket (NATS KV, the
//! LOGIN account), so N replicas still allow the limit once. Without a
//! login service, or while its bucket cannot be reached, each replica
//! counts in its own memory (a limit per replica rather than none).

use std::num::NonZeroU32;
use std::time::Duration;

use async_graphql::{Context, Error, ErrorExtensions};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{self, gql_error};

/// The longest window of a [`Limit`]: the rates bucket keeps entries at
/// least this long.
pub const LONGEST_WINDOW: Duration = Duration::from_secs(600);

/// `limit` requests per `window` and key.
pub struct Limit {
    /// Key prefix in the shared bucket, and what the error names.
    name: &'static str,
    limit: u32,
    window: Duration,
    local: DefaultKeyedRateLimiter<String>,
}

impl Limit {
    /// A limit of `limit` (at least 1) per `window` (at most
    /// [`LONGEST_WINDOW`]).
    pub fn new(name: &'static str, limit: u32, window: Duration) -> Self {
        let n = NonZeroU32::new(limit.max(1)).expect("at least 1");
        let window = window.min(LONGEST_WINDOW).max(Duration::from_millis(1));
        Self {
            name,
            limit: n.get(),
            window,
            local: RateLimiter::keyed(
                Quota::with_period(window / n.get())
                    .expect("a period")
                    .allow_burst(n),
            ),
        }
    }

    /// Counts a request under `key`. Over the limit: `Err(wait)`, the
    /// time until the next is allowed.
    pub async fn check(&self, ctx: &Context<'_>, key: &str) -> Result<(), Duration> {
        let logins = ctx
            .data_opt::<crate::schema::Deps>()
            .and_then(|d| d.auth.logins.clone());
        if let Some(logins) = logins {
            match logins
                .admit_shared(&format!("{}.{key}", self.name), self.limit, self.window)
                .await
            {
                Ok(verdict) => return verdict,
                Err(e) => tracing::warn!(
                    limit = self.name,
                    error = %e,
                    "the shared rate limits cannot be reached: counting in this replica"
                ),
            }
        }
        if self.local.len() > 100_000 {
            self.local.retain_recent();
        }
        self.local
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// [`Self::check`] as a GraphQL error: `RATE_LIMITED` saying
    /// `too many <what> (<limit> in <window words>): try again in N s`,
    /// with `extensions.retryAfterSeconds`.
    pub async fn admit(
        &self,
        ctx: &Context<'_>,
        key: &str,
        what: &str,
        window_words: &str,
    ) -> Result<(), Error> {
        self.check(ctx, key).await.map_err(|wait| {
            let s = wait.as_secs().max(1);
            gql_error(
                error::RATE_LIMITED,
                format!(
                    "too many {what} ({} {window_words}): try again in {s} s",
                    self.limit
                ),
            )
            .extend_with(|_, x| x.set("retryAfterSeconds", s))
        })
    }
}
