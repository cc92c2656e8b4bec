//! Sending one message exactly once as far as the channel allows: claim
//! its record in the sent log (`sellout_store::sent`), send, record the
//! outcome ([`Once`]), for buyers' mail, reminders and texts alike; how a
//! failure is classed (permanent or transient, [`Failure`]), the retry
//! pacing ([`Settings`]), and addresses blanked from what is logged and
//! stored ([`redact`]).

use std::future::Future;
use std::time::Duration;

use lettre::message::Mailbox;
use mongodb::bson::DateTime;
use sellout_store::sent::{Claim, MailState, NewRecord, SentLog};

use super::{Brand, Email, EmailError, Mailer, Sender, compose};

/// How the sender paces itself. The defaults suit production; tests
/// shorten the delays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Mails sent at the same time (also the most messages pulled ahead).
    pub concurrency: usize,
    /// The most one attempt (render and SMTP) may take; the lease on a
    /// mail's record is twice this.
    pub attempt_timeout: Duration,
    /// Delay before the first retry after a transient failure; doubled at
    /// each further attempt.
    pub first_retry: Duration,
    /// The longest delay between retries.
    pub max_retry: Duration,
    /// After this long since its first attempt, a mail that keeps failing
    /// transiently is recorded as failed.
    pub give_up_after: Duration,
    /// Delay before binding to the consumer again after it failed (missing
    /// stream or consumer, lost connection).
    pub rebind_after: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: 8,
            attempt_timeout: Duration::from_secs(60),
            first_retry: Duration::from_secs(10),
            max_retry: Duration::from_secs(600),
            give_up_after: Duration::from_secs(3 * 24 * 3600),
            rebind_after: Duration::from_secs(2),
        }
    }
}

impl Settings {
    /// How long a claim on a mail's record lasts.
    pub fn lease(&self) -> Duration {
        self.attempt_timeout * 2
    }

    /// Delay before attempt `attempts + 1`, after `attempts` (from 1)
    /// failed transiently: `first_retry`, doubled each time, at most
    /// `max_retry`.
    pub fn retry_delay(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(30);
        self.first_retry
            .saturating_mul(1 << doublings)
            .min(self.max_retry)
    }
}

/// Renders and sends one mail, telling permanent failures from transient
/// ones.
#[tracing::instrument(name = "smtp send", skip_all, fields(otel.kind = "client", kind = email.kind()))]
pub(crate) async fn send_mail(
    mailer: &Mailer,
    brand: &Brand,
    sender: &Sender,
    email: &Email,
    to: &str,
) -> Result<(), Failure> {
    let sent = async {
        if to.parse::<Mailbox>().is_err() {
            return Err(Failure::Permanent(format!(
                "the buyer's address {:?} is not an e-mail address",
                redact(to, to)
            )));
        }
        let message = compose(email, brand, sender, to).map_err(|e| classify(&e, to))?;
        mailer
            .send(message)
            .await
            .map_err(|e| classify(&EmailError::from(e), to))
    }
    .await;
    crate::metrics::get().message(
        "email",
        match &sent {
            Ok(()) => "sent",
            Err(Failure::Permanent(_)) => "undeliverable",
            Err(_) => "failed",
        },
    );
    sent
}

/// What became of one message (a mail, a text) handed to [`Once::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing more to do: sent now or before ([`MailState::Sent`]), or
    /// undeliverable ([`MailState::Failed`]).
    Done(MailState),
    /// Not done yet: look again after this delay (a transient failure,
    /// another attempt holding the record, the record unreachable).
    Later(Duration),
    /// Sent, but the record could not say so: it stays `sending` under
    /// this attempt's lease, and once the lease ends the message is sent
    /// again.
    Unrecorded,
}

/// The exactly-once protocol of the [module docs](self) (claim the record,
/// send, record the outcome) for anything with a record in a [`SentLog`]:
/// buyers' mail, reminders, SMS.
pub(crate) struct Once<'a> {
    /// The records.
    pub log: &'a SentLog,
    /// This attempt's owner id, written into the records it claims.
    pub owner: &'a str,
    /// Lease, timeouts and retry delays.
    pub settings: &'a Settings,
    /// What is sent, for logs ("e-mail", "SMS").
    pub what: &'static str,
}

impl Once<'_> {
    /// Claims `record`, runs `send` (within the attempt timeout) if the
    /// claim is ours, and records its outcome.
    pub(crate) async fn run<F, Fut>(&self, record: &NewRecord<'_>, send: F) -> Outcome
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), Failure>>,
    {
        let s = self.settings;
        let what = self.what;
        let key = record.key;
        let claim = match self.log.claim(record, self.owner, s.lease()).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(what, error = %e, "cannot claim the record; retrying later");
                return Outcome::Later(s.first_retry);
            }
        };
        let (attempts, first_at) = match claim {
            Claim::Done(state) => {
                tracing::info!(
                    what,
                    state = state.as_str(),
                    "already done; not sending again"
                );
                return Outcome::Done(state);
            }
            Claim::Busy { for_ } => {
                tracing::info!(
                    what,
                    wait_ms = for_.as_millis() as u64,
                    "another attempt holds the record; waiting for it"
                );
                // Looks again at the lease's end, or sooner: the other
                // attempt usually finishes well before.
                return Outcome::Later((for_ + Duration::from_secs(1)).min(s.first_retry));
            }
            Claim::Mine {
                attempts,
                first_at,
                took_over,
            } => {
                if took_over {
                    tracing::warn!(
                        what,
                        attempts,
                        "an earlier attempt stopped before recording its outcome; sending again (if it had got through, the buyer gets this twice)"
                    );
                }
                (attempts, first_at)
            }
        };
        let outcome = match tokio::time::timeout(s.attempt_timeout, send()).await {
            Ok(r) => r,
            Err(_) => Err(Failure::Transient(format!(
                "no answer within {}s",
                s.attempt_timeout.as_secs()
            ))),
        };
        match outcome {
            Ok(()) => {
                if self.mark_sent(key).await {
                    tracing::info!(what, attempts, "sent");
                    Outcome::Done(MailState::Sent)
                } else {
                    Outcome::Unrecorded
                }
            }
            Err(Failure::Permanent(reason)) => {
                tracing::warn!(what, reason = %reason, attempts, "cannot be delivered; recorded as failed");
                match self
                    .log
                    .mark(key, self.owner, MailState::Failed, &reason)
                    .await
                {
                    Ok(()) => Outcome::Done(MailState::Failed),
                    Err(e) => {
                        tracing::warn!(what, error = %e, "cannot record the failure; retrying later");
                        Outcome::Later(s.retry_delay(attempts))
                    }
                }
            }
            Err(Failure::Transient(reason)) => {
                let age = DateTime::now().timestamp_millis() - first_at.timestamp_millis();
                if age >= s.give_up_after.as_millis() as i64 {
                    let reason = format!("gave up after {attempts} attempts: {reason}");
                    tracing::error!(what, reason = %reason, "recorded as failed");
                    return match self
                        .log
                        .mark(key, self.owner, MailState::Failed, &reason)
                        .await
                    {
                        Ok(()) => Outcome::Done(MailState::Failed),
                        Err(_) => Outcome::Later(s.max_retry),
                    };
                }
                let delay = s.retry_delay(attempts);
                tracing::warn!(what, reason = %reason, attempts, retry_in_s = delay.as_secs_f64(), "sending failed; will retry");
                if let Err(e) = self
                    .log
                    .mark(key, self.owner, MailState::Retry, &reason)
                    .await
                {
                    // The record stays `sending` under our lease: the
                    // retry waits for the lease to end.
                    tracing::warn!(what, error = %e, "cannot record the retry");
                }
                Outcome::Later(delay)
            }
        }
    }

    /// Marks the record sent, retrying MongoDB for up to the attempt
    /// timeout (the message has left: giving up here means sending it
    /// twice).
    async fn mark_sent(&self, key: &str) -> bool {
        let what = self.what;
        let deadline = tokio::time::Instant::now() + self.settings.attempt_timeout;
        let mut pause = Duration::from_millis(200);
        loop {
            match self.log.mark(key, self.owner, MailState::Sent, "").await {
                Ok(()) => return true,
                Err(e) if tokio::time::Instant::now() + pause < deadline => {
                    tracing::warn!(what, error = %e, "sent, but cannot record it yet; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
                Err(e) => {
                    tracing::error!(what, error = %e, "sent, but cannot record it; it will be sent again");
                    return false;
                }
            }
        }
    }
}

/// How an attempt failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Retrying cannot help: recorded as failed.
    Permanent(String),
    /// Try again later.
    Transient(String),
}

/// SMTP replies that refuse the recipient for good: mailbox unavailable
/// (550), user not local (551), mailbox name not allowed (553). Other 5xx
/// replies (552 storage exceeded, 554 transaction failed) are as often
/// about the relay's configuration or a passing state, so they are retried
/// until [`Settings::give_up_after`].
const RECIPIENT_REFUSED: [u16; 3] = [550, 551, 553];

/// Permanent or transient, with addresses blanked. `to` was parsed before,
/// so an [`EmailError::Address`] here is another address (the support
/// address of the brand): configuration, fixed by a person, so retried.
pub(crate) fn classify(e: &EmailError, to: &str) -> Failure {
    let text = redact(&e.to_string(), to);
    match e {
        EmailError::Rejected { code, .. } if RECIPIENT_REFUSED.contains(code) => {
            Failure::Permanent(text)
        }
        // The order's own data: it will not change.
        EmailError::UnknownCurrency(_) => Failure::Permanent(text),
        _ => Failure::Transient(text),
    }
}

pub use sellout_notify::redact;
