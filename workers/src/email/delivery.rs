//! Sending buyers' mail as the event's JetStream stream says, exactly once
//! as far as SMTP allows.
//!
//! [`EmailSender`] pulls from the event's durable `email` consumer (which
//! the operator filters to `<event>.tickets` and `<event>.refunds`). For an
//! [`OrderCompleted`] on `<event>.tickets` it renders the order
//! confirmation (one inline QR image per ticket, the calendar) and sends it
//! to the buyer. Every mail has a record in the MongoDB collection
//! [`COLLECTION`] ([`SentLog`]), keyed by [`Email::key`]:
//!
//! 1. claim: insert the record as `sending` with a lease (or take over a
//!    `retry` record, or a `sending` one whose lease ran out: its sender
//!    died mid-attempt). A record already `sent` or `failed` means the mail
//!    is done: the message is acked without sending. A `sending` record
//!    with a live lease belongs to another attempt: the message is nak'ed
//!    and looked at again until that attempt records its outcome or its
//!    lease ends.
//! 2. send over SMTP, within [`Settings::attempt_timeout`] (the lease is
//!    twice that, so an attempt ends before anyone may take it over);
//! 3. mark the record `sent` (or `failed` for good: a malformed address, a
//!    recipient the server refuses with 550, 551 or 553; or `retry` after a
//!    transient failure, with the message nak'ed with a growing delay,
//!    until [`Settings::give_up_after`]);
//! 4. ack the message, only now.
//!
//! A crash before 3 leaves the message unacked and the record `sending`:
//! it is redelivered and, once the lease has run out, sent again. If the
//! crash came after the SMTP server accepted the mail, the buyer gets it
//! twice: the one window no SMTP sender can close. Both copies carry the
//! same `Message-ID` (derived from the order and kind), so the receiving
//! side can recognise the second one. See `docs/email.md`.
//!
//! The same `OrderCompleted` also records the order's reminders
//! ([`reminders::schedule`], sent later by [`reminders::Scheduler`]) and,
//! when [`EmailSender::sms`] is set and the buyer gave a phone number,
//! texts the buyer once (a record keyed `sms/<order id>` in
//! [`crate::sms::COLLECTION`], same protocol). An `OrderRefunded` that
//! returns the fees (the order's last tickets) skips the order's pending
//! reminders ([`reminders::cancel`]). The message is acked once all of it
//! is done.
//!
//! Buyers' addresses are logged at debug level only; SMTP replies (which
//! often quote the address) are logged and stored with addresses blanked.

use std::future::Future;
use std::time::Duration;

use async_nats::jetstream::{self, AckKind, consumer};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use jiff::Timestamp;
use lettre::message::Mailbox;
use mongodb::bson::{Bson, DateTime, Document, doc};
use mongodb::options::ReturnDocument;
use mongodb::{Collection, Database};
use prost::Message as _;
use sellout_common::money::Money;
use sellout_common::names::{EMAIL_CONSUMER, Names};
use sellout_common::proto::v1::{self as pb, OrderCompleted};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::reminders;
use super::{
    Brand, Charge, Email, EmailError, EventDay, EventInfo, Mailer, OrderConfirmation, OrderLine,
    Sender, TicketQr, Venue, compose,
};
use crate::sms::{self, SmsClient};
use crate::ticket;

/// The header marking an `OrderCompleted` sent again at the buyer's
/// request (its value: the resend window): mailed as a copy under its own
/// record, without reminders or SMS.
pub const RESEND_HEADER: &str = "Sellout-Resend";

/// The MongoDB collection holding one record per mail.
pub const COLLECTION: &str = "emails";

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

/// Sends the mail an event's stream asks for: see the [module
/// docs](self).
#[derive(Clone, Debug)]
pub struct EmailSender {
    /// JetStream.
    pub js: jetstream::Context,
    /// The event's names (stream, subjects).
    pub names: Names,
    /// The durable consumer to pull from, normally
    /// [`EMAIL_CONSUMER`](sellout_common::names::EMAIL_CONSUMER).
    pub consumer: String,
    /// SMTP.
    pub mailer: Mailer,
    /// The `From` mailbox and Message-ID domain.
    pub sender: Sender,
    /// The organization, as shown in the mail.
    pub brand: Brand,
    /// The database holding the [`COLLECTION`] of mail records.
    pub db: Database,
    /// The event as the mail shows it, kept current by the caller (e.g.
    /// from the Event and its Venue with [`event_info`]).
    pub event: watch::Receiver<EventInfo>,
    /// This worker, as written into the records it claims (pod name or
    /// replica id).
    pub identity: String,
    /// Pacing.
    pub settings: Settings,
    /// When set (the default), each completed order's reminders are
    /// recorded for the [`reminders::Scheduler`] with this schedule, and
    /// an order refunded in full has its pending reminders skipped.
    pub reminders: Option<reminders::Schedule>,
    /// When set, a completed order with a phone number is also texted
    /// once ([`crate::sms::order_text`]), recorded in the
    /// [`crate::sms::COLLECTION`] under `sms/<order id>`. None by default.
    pub sms: Option<SmsClient>,
}

impl EmailSender {
    /// A sender on the event's `email` consumer with default settings.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        js: jetstream::Context,
        names: Names,
        mailer: Mailer,
        sender: Sender,
        brand: Brand,
        db: Database,
        event: watch::Receiver<EventInfo>,
        identity: String,
    ) -> Self {
        EmailSender {
            js,
            names,
            consumer: EMAIL_CONSUMER.to_owned(),
            mailer,
            sender,
            brand,
            db,
            event,
            identity,
            settings: Settings::default(),
            reminders: Some(reminders::Schedule::default()),
            sms: None,
        }
    }

    /// Sends until `stop`: binds to the consumer (waiting for the operator
    /// to create it), and handles up to [`Settings::concurrency`] messages
    /// at a time. On `stop` it pulls no more and lets the attempts under
    /// way finish (each within [`Settings::attempt_timeout`]). Failures of
    /// NATS or MongoDB are logged and retried; it never gives up.
    pub async fn run(self, stop: CancellationToken) {
        let owner = format!("{}/{}", self.identity, uuid::Uuid::new_v4().simple());
        let worker = Worker {
            log: SentLog::new(&self.db),
            texts: SentLog::in_collection(&self.db, sms::COLLECTION),
            owner,
            s: &self,
        };
        let mut waiting_logged = false;
        while !stop.is_cancelled() {
            match worker.serve(&stop).await {
                Ok(()) => return,
                Err(e @ DeliveryError::Bind { .. }) if !waiting_logged => {
                    tracing::info!(error = %e, "e-mail: waiting for the event's stream and consumer");
                    waiting_logged = true;
                }
                Err(e @ DeliveryError::Bind { .. }) => {
                    tracing::debug!(error = %e, "e-mail: still waiting for the consumer")
                }
                Err(e) => {
                    tracing::warn!(error = %e, category = e.category(), "e-mail: pulling failed; binding again")
                }
            }
            tokio::select! {
                () = tokio::time::sleep(self.settings.rebind_after) => {}
                () = stop.cancelled() => {}
            }
        }
    }
}

/// Why the sender stopped pulling for a moment (it binds again).
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// The stream or the consumer does not exist (yet), or NATS is down.
    #[error("consumer {consumer} of stream {stream}: {message}")]
    Bind {
        /// The stream.
        stream: String,
        /// The consumer.
        consumer: String,
        /// What NATS said.
        message: String,
    },
    /// Pulling messages failed.
    #[error("pulling from consumer {consumer}: {message}")]
    Pull {
        /// The consumer.
        consumer: String,
        /// What NATS said.
        message: String,
    },
}

impl DeliveryError {
    /// A short label for metrics and logs.
    pub fn category(&self) -> &'static str {
        match self {
            DeliveryError::Bind { .. } => "bind",
            DeliveryError::Pull { .. } => "pull",
        }
    }
}

/// What to answer JetStream about a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reply {
    /// Done with it (sent, recorded as failed, or not mail).
    Ack,
    /// It can never be handled (undecodable, another event's).
    Term,
    /// Redeliver after this delay.
    Nak(Duration),
    /// No answer: redelivered once the consumer's ack wait runs out.
    None,
}

impl Reply {
    /// The answer for a message that asked for two things: the sooner
    /// redelivery wins; acked only when both are done.
    fn and(self, other: Reply) -> Reply {
        match (self, other) {
            (Reply::Term, _) | (_, Reply::Term) => Reply::Term,
            (Reply::Nak(a), Reply::Nak(b)) => Reply::Nak(a.min(b)),
            (Reply::Nak(a), _) | (_, Reply::Nak(a)) => Reply::Nak(a),
            (Reply::None, _) | (_, Reply::None) => Reply::None,
            (Reply::Ack, Reply::Ack) => Reply::Ack,
        }
    }
}

struct Worker<'a> {
    s: &'a EmailSender,
    log: SentLog,
    texts: SentLog,
    owner: String,
}

impl Worker<'_> {
    async fn serve(&self, stop: &CancellationToken) -> Result<(), DeliveryError> {
        let s = self.s;
        let bind = |message: String| DeliveryError::Bind {
            stream: s.names.stream.clone(),
            consumer: s.consumer.clone(),
            message,
        };
        let stream =
            s.js.get_stream(&s.names.stream)
                .await
                .map_err(|e| bind(e.to_string()))?;
        let consumer: consumer::PullConsumer = stream
            .get_consumer(&s.consumer)
            .await
            .map_err(|e| bind(e.to_string()))?;
        // Keeps a message ours while it is handled: a third of the ack
        // wait between "in progress" replies.
        let progress_every =
            (consumer.cached_info().config.ack_wait / 3).max(Duration::from_secs(1));
        let concurrency = s.settings.concurrency.max(1);
        let mut messages = consumer
            .stream()
            .max_messages_per_batch(concurrency)
            .messages()
            .await
            .map_err(|e| DeliveryError::Pull {
                consumer: s.consumer.clone(),
                message: e.to_string(),
            })?;
        tracing::info!(stream = %s.names.stream, consumer = %s.consumer, owner = %self.owner, "e-mail sender pulling");
        let mut inflight = FuturesUnordered::new();
        let outcome = loop {
            tokio::select! {
                () = stop.cancelled() => break Ok(()),
                Some(()) = inflight.next(), if !inflight.is_empty() => {}
                m = messages.next(), if inflight.len() < concurrency => match m {
                    Some(Ok(m)) => inflight.push(self.handle(m, progress_every)),
                    Some(Err(e)) if e.kind() == consumer::pull::MessagesErrorKind::MissingHeartbeat => {
                        tracing::debug!("e-mail: missed a heartbeat of the consumer");
                    }
                    Some(Err(e)) => break Err(DeliveryError::Pull {
                        consumer: s.consumer.clone(),
                        message: e.to_string(),
                    }),
                    None => break Err(DeliveryError::Pull {
                        consumer: s.consumer.clone(),
                        message: "the message stream ended".into(),
                    }),
                },
            }
        };
        // Attempts under way finish (each is bounded by attempt_timeout).
        while inflight.next().await.is_some() {}
        outcome
    }

    async fn handle(&self, m: jetstream::Message, progress_every: Duration) {
        let (seq, delivered) = m
            .info()
            .map(|i| (i.stream_sequence, i.delivered))
            .unwrap_or_default();
        let span = tracing::info_span!("email", seq, delivered, subject = %m.subject);
        async {
            let reply = with_progress(&m, progress_every, self.process(&m, seq)).await;
            let acked = match reply {
                // Waits for the server's confirmation; a lost ack only
                // means a redelivery, which the record turns into an ack.
                Reply::Ack => m.double_ack().await,
                Reply::Term => m.ack_with(AckKind::Term).await,
                Reply::Nak(delay) => m.ack_with(AckKind::Nak(Some(delay))).await,
                Reply::None => Ok(()),
            };
            if let Err(e) = acked {
                tracing::warn!(error = %e, ?reply, "e-mail: answering JetStream failed; the message will come again");
            }
        }
        .instrument(span)
        .await
    }

    async fn process(&self, m: &jetstream::Message, seq: u64) -> Reply {
        let s = self.s;
        let Some(what) = m
            .subject
            .as_str()
            .strip_prefix(s.names.subject_prefix.as_str())
            .and_then(|w| w.strip_prefix('.'))
        else {
            tracing::error!("e-mail: a message from outside the event's subjects");
            return Reply::Term;
        };
        let (email, to) = match what {
            "tickets" => {
                let order = match OrderCompleted::decode(m.payload.as_ref()) {
                    Ok(o) => o,
                    Err(e) => {
                        tracing::error!(error = %e, "e-mail: not an OrderCompleted; dropped");
                        return Reply::Term;
                    }
                };
                if Names::for_uid(&order.event_uid).stream != s.names.stream {
                    tracing::error!(order = %order.order_id, event_uid = %order.event_uid, "e-mail: an order of another event; dropped");
                    return Reply::Term;
                }
                let event = s.event.borrow().clone();
                let order_id = order.order_id.clone();
                let (mut email, to) = match order_confirmation(order.clone(), event.clone()) {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::error!(order = %order_id, error = %e, "e-mail: cannot make the order confirmation; dropped");
                        return Reply::Term;
                    }
                };
                let resend = m
                    .headers
                    .as_ref()
                    .and_then(|h| h.get(RESEND_HEADER))
                    .map(|v| v.as_str().to_owned());
                if let (Some(window), Email::OrderConfirmation(c)) = (resend, &mut email) {
                    // A copy the buyer asked for: the mail only.
                    c.resend = Some(window);
                    return self.deliver(&email, &to, seq).await;
                }
                let scheduled = self.schedule_reminders(&order, &event).await;
                let mailed = self.deliver(&email, &to, seq).await;
                let texted = self.text(&order, &event, seq).await;
                return scheduled.and(mailed).and(texted);
            }
            "refunds" => {
                let refund = match pb::OrderRefunded::decode(m.payload.as_ref()) {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!(error = %e, "e-mail: not an OrderRefunded; dropped");
                        return Reply::Term;
                    }
                };
                if Names::for_uid(&refund.event_uid).stream != s.names.stream {
                    tracing::error!(order = %refund.order_id, "e-mail: a refund of another event; dropped");
                    return Reply::Term;
                }
                let event = s.event.borrow().clone();
                let order_id = refund.order_id.clone();
                // The fees go back with the order's last tickets only: the
                // order is refunded in full, so no reminders.
                if refund.fees_returned
                    && s.reminders.is_some()
                    && let Err(e) =
                        reminders::cancel(&s.db, &s.names.stream, &order_id, "refunded in full")
                            .await
                {
                    tracing::warn!(order = %order_id, error = %e, "e-mail: cannot skip the refunded order's reminders; retrying later");
                    return Reply::Nak(s.settings.first_retry);
                }
                match refund_notice(refund, event) {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::error!(order = %order_id, error = %e, "e-mail: cannot make the refund notice; dropped");
                        return Reply::Term;
                    }
                }
            }
            // Every other subject is not mail.
            other => {
                tracing::debug!(subject = other, "e-mail: nothing to send");
                return Reply::Ack;
            }
        };
        self.deliver(&email, &to, seq).await
    }

    /// Texts the buyer of `order` once, if SMS is on and the order has a
    /// phone number.
    async fn text(&self, order: &OrderCompleted, event: &EventInfo, seq: u64) -> Reply {
        let s = self.s;
        let phone = order.buyer_phone.trim();
        if phone.is_empty() {
            return Reply::Ack;
        }
        let Some(client) = &s.sms else {
            tracing::debug!(order = %order.order_id, "SMS: not configured; the order is not texted");
            return Reply::Ack;
        };
        let key = format!("sms/{}", order.order_id);
        let span = tracing::info_span!("text", key = %key, order = %order.order_id);
        async {
            tracing::debug!(to = phone, "SMS: texting");
            let body = sms::order_text(order.tickets.len(), &event.title, &order.order_number);
            let record = NewRecord {
                key: &key,
                kind: "order-sms",
                order_id: &order.order_id,
                event: &event.id,
                to: phone,
                message_id: "",
                stream: &s.names.stream,
                seq,
            };
            let once = Once {
                log: &self.texts,
                owner: &self.owner,
                settings: &s.settings,
                what: "SMS",
            };
            once.run(&record, || async {
                match client.send(phone, &body).await {
                    Ok(sid) => {
                        tracing::debug!(sid, "SMS: accepted");
                        Ok(())
                    }
                    Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
                    Err(e) => Err(Failure::Transient(e.to_string())),
                }
            })
            .await
            .reply()
        }
        .instrument(span)
        .await
    }

    /// Records `order`'s reminders, if reminders are on.
    async fn schedule_reminders(&self, order: &OrderCompleted, event: &EventInfo) -> Reply {
        let s = self.s;
        let Some(schedule) = &s.reminders else {
            return Reply::Ack;
        };
        match reminders::schedule(
            &s.db,
            &s.names.stream,
            order,
            event,
            schedule,
            Timestamp::now(),
        )
        .await
        {
            Ok(()) => Reply::Ack,
            Err(e) => {
                tracing::warn!(order = %order.order_id, error = %e, "e-mail: cannot record the order's reminders; retrying later");
                Reply::Nak(s.settings.first_retry)
            }
        }
    }

    /// Claims, sends and records one mail; returns the answer for its
    /// message.
    async fn deliver(&self, email: &Email, to: &str, seq: u64) -> Reply {
        let key = email.key();
        let span = tracing::info_span!("deliver", kind = email.kind(), key = %key, order = order_id(email));
        async {
            tracing::debug!(to, "e-mail: delivering");
            let record = NewRecord {
                key: &key,
                kind: email.kind(),
                order_id: order_id(email),
                event: email.event().map_or("", |e| e.id.as_str()),
                to,
                message_id: &self.s.sender.message_id(email),
                stream: &self.s.names.stream,
                seq,
            };
            let once = Once {
                log: &self.log,
                owner: &self.owner,
                settings: &self.s.settings,
                what: "e-mail",
            };
            once.run(&record, || self.send(email, to)).await.reply()
        }
        .instrument(span)
        .await
    }

    /// Renders and sends one mail.
    async fn send(&self, email: &Email, to: &str) -> Result<(), Failure> {
        let s = self.s;
        send_mail(&s.mailer, &s.brand, &s.sender, email, to).await
    }
}

/// Renders and sends one mail, telling permanent failures from transient
/// ones.
pub(crate) async fn send_mail(
    mailer: &Mailer,
    brand: &Brand,
    sender: &Sender,
    email: &Email,
    to: &str,
) -> Result<(), Failure> {
    if to.parse::<Mailbox>().is_err() {
        return Err(Failure::Permanent(format!(
            "the buyer's address {:?} is not an e-mail address",
            redact(to, to)
        )));
    }
    let message = compose(email, brand, sender, to).map_err(|e| classify(&e, to))?;
    mailer.send(message).await.map_err(|e| classify(&e, to))
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

impl Outcome {
    /// The answer for the stream message that asked for it.
    fn reply(self) -> Reply {
        match self {
            Outcome::Done(_) => Reply::Ack,
            Outcome::Later(d) => Reply::Nak(d),
            Outcome::Unrecorded => Reply::None,
        }
    }
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

fn order_id(email: &Email) -> &str {
    match email {
        Email::OrderConfirmation(o) => &o.order_id,
        Email::Refund(r) => &r.order_id,
        Email::EventReminder(r) => &r.order_id,
        Email::EventCancelled(c) => &c.order_id,
        Email::LoginCode(_) => "",
    }
}

/// Runs `work`, telling JetStream every `every` that `m` is still being
/// handled (so it is not redelivered to another sender meanwhile).
async fn with_progress<F: Future>(m: &jetstream::Message, every: Duration, work: F) -> F::Output {
    tokio::pin!(work);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tokio::select! {
            out = &mut work => return out,
            _ = tick.tick() => {
                if let Err(e) = m.ack_with(AckKind::Progress).await {
                    tracing::debug!(error = %e, "e-mail: cannot report progress");
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
fn classify(e: &EmailError, to: &str) -> Failure {
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

/// `text` with `to`, and anything else that looks like an e-mail address,
/// replaced by `<address>`: SMTP replies often quote the recipient, and
/// buyers' addresses go to debug logs only.
pub fn redact(text: &str, to: &str) -> String {
    let text = if to.is_empty() {
        text.to_owned()
    } else {
        text.replace(to, "<address>")
    };
    let delimiter = |c: char| c.is_whitespace() || "<>()[],;:\"'".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        match token.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
                out.push_str("<address>")
            }
            _ => out.push_str(token),
        }
        token.clear();
    };
    for c in text.chars() {
        if delimiter(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// Where a mail stands, as its record says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailState {
    /// An attempt holds it (until its lease ends); the SMTP server may or
    /// may not have it.
    Sending,
    /// The last attempt failed transiently; the next one may start at once.
    Retry,
    /// The SMTP server accepted it.
    Sent,
    /// It cannot be delivered (bad address, refused recipient, given up).
    Failed,
}

impl MailState {
    /// As stored in the record's `state`.
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Sending => "sending",
            MailState::Retry => "retry",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    /// From the record's `state`.
    pub fn parse(s: &str) -> Option<Self> {
        [
            MailState::Sending,
            MailState::Retry,
            MailState::Sent,
            MailState::Failed,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// The record of every mail in MongoDB ([`COLLECTION`]), one document per
/// [`Email::key`]:
///
/// | field | what |
/// |---|---|
/// | `_id` | the mail's key |
/// | `state` | `sending`, `retry`, `sent` or `failed` ([`MailState`]) |
/// | `kind`, `orderId`, `event` | what the mail is |
/// | `to`, `messageId` | the recipient and the Message-ID it was sent with |
/// | `stream`, `seq` | the stream message that asked for it (first attempt) |
/// | `owner`, `leaseUntil` | the attempt holding it, and until when |
/// | `attempts` | attempts started |
/// | `error` | the last failure, addresses blanked |
/// | `createdAt`, `updatedAt`, `sentAt` | times |
///
/// Every change is one single-document atomic write (FerretDB v1 has no
/// transactions).
#[derive(Clone, Debug)]
pub struct SentLog {
    coll: Collection<Document>,
}

/// A claim's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Claim {
    /// This attempt holds the mail: the `attempts`-th, the first having
    /// started at `first_at`; `took_over` when an earlier attempt's lease
    /// ran out without an outcome.
    Mine {
        attempts: u32,
        first_at: DateTime,
        took_over: bool,
    },
    /// Sent or failed already.
    Done(MailState),
    /// Another attempt holds it for this much longer.
    Busy { for_: Duration },
}

/// A record as first written by [`SentLog::claim`].
pub(crate) struct NewRecord<'a> {
    pub key: &'a str,
    pub kind: &'a str,
    pub order_id: &'a str,
    pub event: &'a str,
    pub to: &'a str,
    pub message_id: &'a str,
    pub stream: &'a str,
    pub seq: u64,
}

impl SentLog {
    /// The log in `db`.
    pub fn new(db: &Database) -> Self {
        Self::in_collection(db, COLLECTION)
    }

    /// A log of the same kind in another collection of `db` (e.g. the
    /// SMS records, [`crate::sms::COLLECTION`]).
    pub fn in_collection(db: &Database, collection: &str) -> Self {
        SentLog {
            coll: db.collection(collection),
        }
    }

    /// The state of the mail with key `key`, if it has a record.
    pub async fn state(&self, key: &str) -> Result<Option<MailState>, mongodb::error::Error> {
        Ok(self
            .coll
            .find_one(doc! {"_id": key})
            .await?
            .and_then(|d| d.get_str("state").ok().and_then(MailState::parse)))
    }

    /// The whole record of the mail with key `key`.
    pub async fn record(&self, key: &str) -> Result<Option<Document>, mongodb::error::Error> {
        self.coll.find_one(doc! {"_id": key}).await
    }

    async fn claim(
        &self,
        r: &NewRecord<'_>,
        owner: &str,
        lease: Duration,
    ) -> Result<Claim, mongodb::error::Error> {
        // A record deleted between two steps sends us round again.
        for _ in 0..3 {
            let now = DateTime::now();
            let until = DateTime::from_millis(now.timestamp_millis() + lease.as_millis() as i64);
            let insert = self
                .coll
                .insert_one(doc! {
                    "_id": r.key,
                    "state": MailState::Sending.as_str(),
                    "kind": r.kind,
                    "orderId": r.order_id,
                    "event": r.event,
                    "to": r.to,
                    "messageId": r.message_id,
                    "stream": r.stream,
                    "seq": r.seq as i64,
                    "owner": owner,
                    "leaseUntil": until,
                    "attempts": 1_i64,
                    "createdAt": now,
                    "updatedAt": now,
                })
                .await;
            match insert {
                Ok(_) => {
                    return Ok(Claim::Mine {
                        attempts: 1,
                        first_at: now,
                        took_over: false,
                    });
                }
                Err(e) if is_duplicate_key(&e) => {}
                Err(e) => return Err(e),
            }
            let before = self
                .coll
                .find_one_and_update(
                    doc! {
                        "_id": r.key,
                        "$or": [
                            {"state": MailState::Retry.as_str()},
                            {"state": MailState::Sending.as_str(), "leaseUntil": {"$lt": now}},
                            {"state": MailState::Sending.as_str(), "leaseUntil": {"$exists": false}},
                        ],
                    },
                    doc! {
                        "$set": {
                            "state": MailState::Sending.as_str(),
                            "owner": owner,
                            "leaseUntil": until,
                            "updatedAt": now,
                        },
                        "$inc": {"attempts": 1_i64},
                    },
                )
                .return_document(ReturnDocument::Before)
                .await?;
            if let Some(before) = before {
                return Ok(Claim::Mine {
                    attempts: int(&before, "attempts").map_or(1, |n| n.saturating_add(1)),
                    first_at: before.get_datetime("createdAt").copied().unwrap_or(now),
                    took_over: before.get_str("state") == Ok(MailState::Sending.as_str()),
                });
            }
            let Some(current) = self.coll.find_one(doc! {"_id": r.key}).await? else {
                continue;
            };
            let state = current.get_str("state").ok().and_then(MailState::parse);
            return Ok(match state {
                Some(done @ (MailState::Sent | MailState::Failed)) => Claim::Done(done),
                // Sending under a live lease, or just released for a retry
                // (claimable at the next delivery).
                _ => {
                    let until = current
                        .get_datetime("leaseUntil")
                        .map_or(0, |d| d.timestamp_millis());
                    let left = until.saturating_sub(DateTime::now().timestamp_millis());
                    Claim::Busy {
                        for_: Duration::from_millis(left.max(0) as u64),
                    }
                }
            });
        }
        Err(mongodb::error::Error::custom(format!(
            "the record of mail {} keeps vanishing",
            r.key
        )))
    }

    /// Records the outcome of `owner`'s attempt. `Sent` is recorded
    /// whoever holds the record (the mail has left); `Retry` and `Failed`
    /// only while `owner` holds it.
    async fn mark(
        &self,
        key: &str,
        owner: &str,
        state: MailState,
        error: &str,
    ) -> Result<(), mongodb::error::Error> {
        let now = DateTime::now();
        let (filter, update) = match state {
            MailState::Sent => (
                doc! {"_id": key},
                doc! {
                    "$set": {"state": state.as_str(), "sentAt": now, "updatedAt": now, "sentBy": owner},
                    "$unset": {"leaseUntil": "", "error": ""},
                },
            ),
            _ => (
                doc! {"_id": key, "owner": owner, "state": MailState::Sending.as_str()},
                doc! {
                    "$set": {"state": state.as_str(), "error": error, "updatedAt": now},
                    "$unset": {"leaseUntil": ""},
                },
            ),
        };
        self.coll.update_one(filter, update).await.map(|_| ())
    }
}

fn is_duplicate_key(e: &mongodb::error::Error) -> bool {
    use mongodb::error::{ErrorKind, WriteFailure};
    match e.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code == 11000,
        ErrorKind::Command(c) => c.code == 11000,
        _ => false,
    }
}

fn int(d: &Document, key: &str) -> Option<u32> {
    match d.get(key)? {
        Bson::Int32(n) => u32::try_from(*n).ok(),
        Bson::Int64(n) => u32::try_from(*n).ok(),
        _ => None,
    }
}

/// Why a stream message cannot become a mail.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("order {order_id:?}: {problem}")]
pub struct BadOrder {
    /// The order.
    pub order_id: String,
    /// What is wrong with it.
    pub problem: String,
}

/// The order confirmation of `order` about `event`, with one QR image per
/// ticket (from its signed payload), and the address to send it to (not
/// checked here).
pub fn order_confirmation(
    order: OrderCompleted,
    event: EventInfo,
) -> Result<(Email, String), BadOrder> {
    let bad = |problem: String| BadOrder {
        order_id: order.order_id.clone(),
        problem,
    };
    let money = |m: Option<pb::Money>, what: &str| -> Result<Money, BadOrder> {
        let m = m.ok_or_else(|| bad(format!("{what} has no amount")))?;
        Money::try_from(m).map_err(|e| bad(format!("{what}: {e}")))
    };
    if order.order_id.is_empty() {
        return Err(bad("no order id".into()));
    }
    let mut lines = Vec::with_capacity(order.lines.len());
    for l in &order.lines {
        lines.push(OrderLine {
            description: l.description.clone(),
            quantity: u32::try_from(l.quantity)
                .map_err(|_| bad(format!("line {:?} has quantity {}", l.tier, l.quantity)))?,
            unit_price: money(l.unit_price.clone(), "a line's unit price")?,
            amount: money(l.amount.clone(), "a line's amount")?,
        });
    }
    let mut charges = Vec::with_capacity(order.charges.len());
    for c in &order.charges {
        charges.push(Charge {
            label: c.label.clone(),
            amount: money(c.amount.clone(), "a charge")?,
        });
    }
    let mut tickets = Vec::with_capacity(order.tickets.len());
    for t in &order.tickets {
        let png = ticket::qr_png(&t.qr_payload)
            .map_err(|e| bad(format!("ticket {}: {e}", t.ticket_id)))?;
        tickets.push(TicketQr {
            ticket_id: t.ticket_id.clone(),
            label: t.label.clone(),
            png,
        });
    }
    let placed_at = Timestamp::from_millisecond(order.placed_at_ms)
        .map_err(|e| bad(format!("placed_at_ms {}: {e}", order.placed_at_ms)))?;
    let total = money(order.total.clone(), "the total")?;
    let email = Email::OrderConfirmation(OrderConfirmation {
        order_number: order.order_number,
        buyer_name: Some(order.buyer_name).filter(|n| !n.trim().is_empty()),
        placed_at,
        event,
        lines,
        charges,
        total,
        tickets,
        order_id: order.order_id,
        resend: None,
    });
    Ok((email, order.buyer_email))
}

/// The refund notice of `refund` about `event` (the event-cancelled mail,
/// with the refund, when the event was called off), and the address to
/// send it to.
pub fn refund_notice(
    refund: pb::OrderRefunded,
    event: EventInfo,
) -> Result<(Email, String), BadOrder> {
    let bad = |problem: String| BadOrder {
        order_id: refund.order_id.clone(),
        problem,
    };
    if refund.order_id.is_empty() || refund.refund_id.is_empty() {
        return Err(bad("no order or refund id".into()));
    }
    let total = refund
        .amount
        .clone()
        .ok_or_else(|| bad("the refund has no amount".into()))?;
    let total = Money::try_from(total).map_err(|e| bad(format!("the amount: {e}")))?;
    if refund.reason == crate::orders::EVENT_CANCELLED {
        // The event was called off: the buyer hears that, with the refund.
        let email = Email::EventCancelled(super::EventCancelled {
            order_id: refund.order_id,
            order_number: refund.order_number,
            event,
            refund: Some(total),
            note: None,
        });
        return Ok((email, refund.buyer_email));
    }
    let n = refund.ticket_ids.len();
    let mut label = format!("{n} ticket{}", if n == 1 { "" } else { "s" });
    if refund.fees_returned {
        label.push_str(", with the booking and service fees");
    }
    let email = Email::Refund(super::Refund {
        order_id: refund.order_id,
        refund_id: refund.refund_id,
        order_number: refund.order_number,
        event,
        items: vec![Charge {
            label,
            amount: total,
        }],
        total,
    });
    Ok((email, refund.buyer_email))
}

/// The event as mail shows it, from its `Event` and `Venue`: id
/// `<namespace>/<name>`, title, venue name, postal address (one line per
/// element, the locality written as is usual in the venue's country, the
/// country's English name last), time zone, and days.
pub fn event_info(event: &sellout_crds::Event, venue: &sellout_crds::Venue) -> EventInfo {
    let meta = &event.metadata;
    EventInfo {
        id: format!(
            "{}/{}",
            meta.namespace.as_deref().unwrap_or_default(),
            meta.name.as_deref().unwrap_or_default()
        ),
        title: event.spec.title.clone(),
        venue: Venue {
            name: venue.spec.display_name.clone(),
            address: address_lines(&venue.spec.address),
            timezone: venue.spec.timezone.clone(),
        },
        days: event
            .spec
            .days
            .iter()
            .map(|d| EventDay {
                doors_at: d.doors_at.0,
                starts_at: d.starts_at.0,
                ends_at: d.ends_at.0,
            })
            .collect(),
    }
}

/// Countries that write the postal code before the town ("75001 Paris").
const POSTCODE_FIRST: [&str; 22] = [
    "AT", "BE", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GR", "HR", "IS", "IT", "LI", "LU", "MX",
    "NL", "NO", "PL", "PT", "SE", "SK",
];
/// Countries that write "Town, REGION POSTCODE".
const REGION_POSTCODE: [&str; 3] = ["AU", "CA", "US"];

fn address_lines(a: &sellout_crds::venue::Address) -> Vec<String> {
    fn nonempty(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let postcode = nonempty(&a.postal_code);
    let region = nonempty(&a.region);
    let city = a.city.trim();
    let join = |parts: &[Option<&str>]| {
        parts
            .iter()
            .flatten()
            .copied()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let country = a.country.as_str();
    let locality = if POSTCODE_FIRST.contains(&country) {
        join(&[postcode, Some(city)])
    } else if REGION_POSTCODE.contains(&country) {
        match region {
            Some(r) => format!("{city}, {}", join(&[Some(r), postcode])),
            None => join(&[Some(city), postcode]),
        }
    } else {
        let town = match region {
            Some(r) => format!("{city}, {r}"),
            None => city.to_owned(),
        };
        join(&[Some(&town), postcode])
    };
    [
        Some(a.line1.trim().to_owned()),
        nonempty(&a.line2).map(str::to_owned),
        Some(locality),
        Some(country_name(country)),
    ]
    .into_iter()
    .flatten()
    .filter(|l| !l.is_empty())
    .collect()
}

/// The short English name of an ISO 3166-1 alpha-2 code ("GB" → "United
/// Kingdom"); the code itself when unknown.
fn country_name(code: &str) -> String {
    let short = match code {
        "GB" => Some("United Kingdom"),
        "US" => Some("United States"),
        "KR" => Some("South Korea"),
        "KP" => Some("North Korea"),
        "TW" => Some("Taiwan"),
        "CZ" => Some("Czechia"),
        "RU" => Some("Russia"),
        "CD" => Some("DR Congo"),
        "VN" => Some("Vietnam"),
        "LA" => Some("Laos"),
        _ => None,
    };
    if let Some(s) = short {
        return s.to_owned();
    }
    let Ok(country) = code.parse::<iso_currency::Country>() else {
        return code.to_owned();
    };
    let name = country.name();
    // "Bolivia (Plurinational State of)", "Moldova, Republic of".
    let name = name.split(" (").next().unwrap_or(name);
    let name = match name.split_once(", ") {
        Some((head, tail)) if tail.ends_with(" of") => head,
        _ => name,
    };
    if name.is_empty() {
        code.to_owned()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellout_common::proto::v1::{IssuedTicket, OrderCharge};

    fn gbp(minor: i64) -> Option<pb::Money> {
        Some(pb::Money {
            amount_minor: minor,
            currency: "GBP".into(),
        })
    }

    fn event() -> EventInfo {
        EventInfo {
            id: "roundhouse/summer-nights".into(),
            title: "Summer Nights".into(),
            venue: Venue {
                name: "The Roundhouse".into(),
                address: vec!["Chalk Farm Road".into()],
                timezone: "Europe/London".into(),
            },
            days: vec![EventDay {
                doors_at: "2026-06-13T17:30:00Z".parse().unwrap(),
                starts_at: "2026-06-13T18:30:00Z".parse().unwrap(),
                ends_at: "2026-06-13T22:00:00Z".parse().unwrap(),
            }],
        }
    }

    fn order() -> OrderCompleted {
        OrderCompleted {
            order_id: "ord-1".into(),
            order_number: "SO-7K3F9Q".into(),
            event_uid: "u".into(),
            buyer_email: "ada@example.com".into(),
            buyer_name: "Ada".into(),
            buyer_phone: String::new(),
            placed_at_ms: 1_777_629_600_000,
            lines: vec![pb::OrderLine {
                tier: "ga".into(),
                description: "General admission".into(),
                quantity: 2,
                unit_price: gbp(7500),
                amount: gbp(15000),
            }],
            charges: vec![OrderCharge {
                label: "Booking fee".into(),
                amount: gbp(300),
            }],
            total: gbp(15300),
            tickets: ["T-1", "T-2"]
                .map(|id| IssuedTicket {
                    ticket_id: id.into(),
                    label: "General admission".into(),
                    qr_payload: format!("PAYLOAD {id}"),
                    admissions: 1,
                    tier: "ga".into(),
                    seat: String::new(),
                })
                .into(),
        }
    }

    #[test]
    fn an_order_completed_becomes_its_confirmation() {
        let (email, to) = order_confirmation(order(), event()).unwrap();
        assert_eq!(to, "ada@example.com");
        let Email::OrderConfirmation(o) = &email else {
            panic!("{email:?}")
        };
        assert_eq!(o.order_id, "ord-1");
        assert_eq!(o.order_number, "SO-7K3F9Q");
        assert_eq!(o.buyer_name.as_deref(), Some("Ada"));
        assert_eq!(o.placed_at.as_millisecond(), 1_777_629_600_000);
        assert_eq!(o.lines[0].quantity, 2);
        assert_eq!(o.lines[0].unit_price.minor, 7500);
        assert_eq!(o.charges[0].label, "Booking fee");
        assert_eq!(o.total.minor, 15300);
        assert_eq!(o.event, event());
        assert_eq!(o.tickets.len(), 2);
        assert_eq!(o.tickets[1].ticket_id, "T-2");
        assert_eq!(o.tickets[0].png, ticket::qr_png("PAYLOAD T-1").unwrap());
        // The key, hence the Message-ID, depends on the order only.
        let (again, _) = order_confirmation(
            OrderCompleted {
                buyer_name: String::new(),
                ..order()
            },
            event(),
        )
        .unwrap();
        assert_eq!(again.key(), email.key());
        let Email::OrderConfirmation(o) = again else {
            unreachable!()
        };
        assert_eq!(o.buyer_name, None);
    }

    #[test]
    fn a_broken_order_is_refused_with_its_id() {
        type Break = fn(&mut OrderCompleted);
        let cases: [(&str, Break); 4] = [
            ("no amount", |o| o.total = None),
            ("not a currency", |o| {
                o.charges[0].amount = Some(pb::Money {
                    amount_minor: 1,
                    currency: "pounds".into(),
                })
            }),
            ("quantity -1", |o| o.lines[0].quantity = -1),
            ("does not fit a QR code", |o| {
                o.tickets[0].qr_payload = "x".repeat(5000)
            }),
        ];
        for (want, break_it) in cases {
            let mut o = order();
            break_it(&mut o);
            let e = order_confirmation(o, event()).unwrap_err();
            assert_eq!(e.order_id, "ord-1");
            assert!(e.to_string().contains(want), "{e} lacks {want:?}");
        }
    }

    #[test]
    fn retries_back_off_up_to_the_maximum() {
        let s = Settings {
            first_retry: Duration::from_secs(10),
            max_retry: Duration::from_secs(600),
            ..Settings::default()
        };
        let delays: Vec<u64> = (1..=8).map(|n| s.retry_delay(n).as_secs()).collect();
        assert_eq!(delays, [10, 20, 40, 80, 160, 320, 600, 600]);
        assert_eq!(s.retry_delay(u32::MAX), Duration::from_secs(600));
        assert_eq!(s.lease(), s.attempt_timeout * 2);
    }

    #[test]
    fn failures_are_permanent_only_when_retrying_cannot_help() {
        let to = "ada@example.com";
        let rejected = |code| EmailError::Rejected {
            code,
            message: format!(
                "smtp.example:587: permanent error ({code}): 5.1.1 <{to}>: no such user"
            ),
        };
        for code in [550, 551, 553] {
            assert!(
                matches!(classify(&rejected(code), to), Failure::Permanent(_)),
                "{code}"
            );
        }
        for code in [421, 450, 451, 452, 535, 552, 554] {
            assert!(
                matches!(classify(&rejected(code), to), Failure::Transient(_)),
                "{code}"
            );
        }
        for e in [
            EmailError::Smtp("smtp.example:587: Connection error: refused".into()),
            EmailError::UnknownTimeZone("Mars/Olympus".into()),
            EmailError::Address("help@@org".into(), "invalid".into()),
        ] {
            assert!(matches!(classify(&e, to), Failure::Transient(_)), "{e}");
        }
        assert!(matches!(
            classify(&EmailError::UnknownCurrency("XXX".into()), to),
            Failure::Permanent(_)
        ));
        // Addresses never reach the text that is logged and stored.
        let Failure::Permanent(text) = classify(&rejected(550), to) else {
            unreachable!()
        };
        assert!(!text.contains('@'), "{text}");
        assert!(
            text.contains("550") && text.contains("no such user"),
            "{text}"
        );
    }

    #[test]
    fn redact_blanks_every_address_and_keeps_the_rest() {
        assert_eq!(
            redact(
                "550 5.1.1 <Ada.Lovelace+x@mail.example.com>: rejected",
                "ada@x"
            ),
            "550 5.1.1 <<address>>: rejected"
        );
        assert_eq!(
            redact("to ada@x.io, bob@y.io", ""),
            "to <address>, <address>"
        );
        assert_eq!(
            redact("not an address: @ nor a@", ""),
            "not an address: @ nor a@"
        );
        // The recipient as given, even when it is not well formed.
        assert_eq!(redact("bad \"a b\"@c.d", "\"a b\"@c.d"), "bad <address>");
        assert_eq!(
            redact("smtp.example:587: timed out", "a@b.c"),
            "smtp.example:587: timed out"
        );
    }

    #[test]
    fn a_message_asking_for_two_things_is_acked_when_both_are_done() {
        let s = Duration::from_secs;
        assert_eq!(Reply::Ack.and(Reply::Ack), Reply::Ack);
        assert_eq!(Reply::Ack.and(Reply::Nak(s(3))), Reply::Nak(s(3)));
        assert_eq!(Reply::Nak(s(9)).and(Reply::Nak(s(3))), Reply::Nak(s(3)));
        assert_eq!(Reply::None.and(Reply::Nak(s(3))), Reply::Nak(s(3)));
        assert_eq!(Reply::Ack.and(Reply::None), Reply::None);
        assert_eq!(Reply::Nak(s(1)).and(Reply::Term), Reply::Term);
    }

    #[test]
    fn mail_states_round_trip() {
        for s in [
            MailState::Sending,
            MailState::Retry,
            MailState::Sent,
            MailState::Failed,
        ] {
            assert_eq!(MailState::parse(s.as_str()), Some(s));
        }
        assert_eq!(MailState::parse("queued"), None);
    }

    fn resources(address: &str, timezone: &str) -> (sellout_crds::Event, sellout_crds::Venue) {
        let event: sellout_crds::Event = serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1",
            "kind": "Event",
            "metadata": {"name": "summer-nights", "namespace": "roundhouse", "uid": "0b5e7c1e"},
            "spec": {
                "title": "Summer Nights",
                "venueRef": {"name": "roundhouse"},
                "currency": "GBP",
                "onSaleAt": "2026-03-01T10:00:00Z",
                "days": [
                    {"doorsAt": "2026-06-13T17:30:00Z", "startsAt": "2026-06-13T18:30:00Z", "endsAt": "2026-06-13T22:00:00Z"},
                    {"doorsAt": "2026-06-14T10:00:00Z", "startsAt": "2026-06-14T11:00:00Z", "endsAt": "2026-06-14T21:00:00Z"},
                ],
            },
        }))
        .unwrap();
        let venue: sellout_crds::Venue = serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1",
            "kind": "Venue",
            "metadata": {"name": "roundhouse", "namespace": "roundhouse"},
            "spec": {
                "displayName": "The Roundhouse",
                "address": serde_json::from_str::<serde_json::Value>(address).unwrap(),
                "timezone": timezone,
                "capacity": 3300,
            },
        }))
        .unwrap();
        (event, venue)
    }

    #[test]
    fn event_info_comes_from_the_event_and_its_venue() {
        let (event, venue) = resources(
            r#"{"line1": "Chalk Farm Road", "city": "London", "postalCode": "NW1 8EH", "country": "GB"}"#,
            "Europe/London",
        );
        let info = event_info(&event, &venue);
        assert_eq!(info.id, "roundhouse/summer-nights");
        assert_eq!(info.title, "Summer Nights");
        assert_eq!(info.venue.name, "The Roundhouse");
        assert_eq!(
            info.venue.address,
            ["Chalk Farm Road", "London NW1 8EH", "United Kingdom"]
        );
        assert_eq!(info.venue.timezone, "Europe/London");
        assert_eq!(info.days.len(), 2);
        assert_eq!(
            info.days[1],
            EventDay {
                doors_at: "2026-06-14T10:00:00Z".parse().unwrap(),
                starts_at: "2026-06-14T11:00:00Z".parse().unwrap(),
                ends_at: "2026-06-14T21:00:00Z".parse().unwrap(),
            }
        );
        // It renders: the order confirmation of an order at this event.
        let (email, _) = order_confirmation(order(), info).unwrap();
        let brand = Brand {
            organization: "Roundhouse Presents".into(),
            legal_line: "Roundhouse Presents Ltd".into(),
            support_email: None,
        };
        let r = email.render(&brand).unwrap();
        assert!(r.text.contains("Chalk Farm Road"), "{}", r.text);
        assert!(r.text.contains("Sunday 14 June 2026"), "{}", r.text);
    }

    #[test]
    fn addresses_are_written_as_in_their_country() {
        let cases = [
            (
                r#"{"line1": "Chalk Farm Road", "city": "London", "postalCode": "NW1 8EH", "country": "GB"}"#,
                vec!["Chalk Farm Road", "London NW1 8EH", "United Kingdom"],
            ),
            (
                r#"{"line1": "4 Pennsylvania Plaza", "line2": "Floor 2", "city": "New York", "region": "NY", "postalCode": "10001", "country": "US"}"#,
                vec![
                    "4 Pennsylvania Plaza",
                    "Floor 2",
                    "New York, NY 10001",
                    "United States",
                ],
            ),
            (
                r#"{"line1": "Mühlenstraße 12", "city": "Berlin", "postalCode": "10243", "country": "DE"}"#,
                vec!["Mühlenstraße 12", "10243 Berlin", "Germany"],
            ),
            (
                r#"{"line1": "Av. 16 de Julio", "city": "La Paz", "country": "BO"}"#,
                vec!["Av. 16 de Julio", "La Paz", "Bolivia"],
            ),
            (
                r#"{"line1": "1 Main St", "city": "Town", "region": "Region", "postalCode": "123", "country": "ZZ"}"#,
                vec!["1 Main St", "Town, Region 123", "ZZ"],
            ),
        ];
        for (address, want) in cases {
            let (event, venue) = resources(address, "UTC");
            assert_eq!(event_info(&event, &venue).venue.address, want, "{address}");
        }
    }
}
