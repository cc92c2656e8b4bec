//! Sending buyers' mail as the event's JetStream stream says, exactly once
//! as far as SMTP allows.
//!
//! [`EmailSender`] pulls from the event's durable `email` consumer (which
//! the operator filters to `<event>.tickets` and `<event>.refunds`). For an
//! [`OrderCompleted`] on `<event>.tickets` it renders the order
//! confirmation (one inline QR image per ticket, the calendar) and sends it
//! to the buyer. Every mail has a record in the MongoDB collection
//! `emails` ([`SentLog`]), keyed by [`Email::key`]:
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
//! `sms`, same protocol). An `OrderRefunded` that
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
use mongodb::Database;
use prost::Message as _;
use sellout_common::names::{EMAIL_CONSUMER, Names};
use sellout_common::proto::v1::{self as pb, OrderCompleted};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::messages::{order_confirmation, refund_notice};
use super::once::{Failure, Once, Outcome, Settings, send_mail};
use super::reminders;
use super::{Brand, Email, EventInfo, Mailer, Sender};
use sellout_notify::sms::{self, SmsClient};
use sellout_store::sent::{NewRecord, SentLog};

/// The header marking an `OrderCompleted` sent again at the buyer's
/// request (its value: the resend window): mailed as a copy under its own
/// record, without reminders or SMS.
pub const RESEND_HEADER: &str = "Sellout-Resend";

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
    /// The database holding the mail records.
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
    /// once ([`sellout_notify::sms::order_text`]), recorded in the
    /// `sms` under `sms/<order id>`. None by default.
    pub sms: Option<SmsClient>,
}

impl EmailSender {
    /// The reminder scheduler that goes with this sender (same database,
    /// event, SMTP and brand).
    pub fn scheduler(&self) -> reminders::Scheduler {
        reminders::Scheduler::new(
            self.db.clone(),
            self.names.clone(),
            self.mailer.clone(),
            self.sender.clone(),
            self.brand.clone(),
            self.event.clone(),
            self.identity.clone(),
        )
    }

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
            log: SentLog::emails(&self.db),
            texts: SentLog::texts(&self.db),
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
        let span = tracing::info_span!(
            "email",
            otel.name = "email message",
            otel.kind = "consumer",
            seq,
            delivered,
            subject = %m.subject
        );
        // A mail of a purchase (or refund) is part of its trace.
        sellout_common::trace::continue_from(&span, m.headers.as_ref());
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
    /// verified phone number.
    async fn text(&self, order: &OrderCompleted, event: &EventInfo, seq: u64) -> Reply {
        let s = self.s;
        let phone = order.buyer_phone.trim();
        if phone.is_empty() {
            return Reply::Ack;
        }
        if !order.buyer_phone_verified {
            tracing::debug!(order = %order.order_id, "SMS: the number is not verified; the order is not texted");
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
                let sent = client.send(phone, &body).await;
                crate::metrics::get().message(
                    "sms",
                    match &sent {
                        Ok(_) => "sent",
                        Err(e) if e.is_permanent() => "undeliverable",
                        Err(_) => "failed",
                    },
                );
                match sent {
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
                message_id: &email.message_id(&self.s.sender),
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

#[cfg(test)]
mod tests;
