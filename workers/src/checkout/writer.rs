//! The event's single inventory writer: one task owns the [`Book`],
//! applies queued operations in batches, appends each batch's accepted
//! operations to the ledger as one message (group commit), and answers
//! only after JetStream has stored it. A crash loses nothing that was
//! answered; the next writer rebuilds the book by replaying the ledger.
//! The counts after each commit go to the event's live availability feed
//! ([`feed`]).

use anyhow::Context as _;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::header::{NATS_EXPECTED_LAST_SUBJECT_SEQUENCE, NATS_MESSAGE_ID};
use async_nats::jetstream::{self, consumer, stream};
use futures::StreamExt;
use prost::Message;
use tokio::sync::{mpsc, oneshot, watch};

use sellout_common::names::Names;
use sellout_common::proto::v1::{Availability, CheckoutError, ErrorCode, LedgerBatch, TierStock};

use super::catalog::error;
use super::ledger;
use crate::inventory::{Book, Done, Hold, HoldState, Op, Stock};

/// Most operations in one ledger message: ids are at most 100 bytes, so an
/// operation stays under about 250 bytes and a batch well under NATS's
/// 1 MiB payload limit.
pub const MAX_BATCH: usize = 2048;
/// How long an append may take before the writer gives up its state.
const APPEND_TIMEOUT: Duration = Duration::from_secs(5);

/// Every tier's counts after the last commit.
pub type Counts = Arc<BTreeMap<String, Stock>>;

/// A request for the writer and where its answer goes.
pub enum Command {
    /// An operation on the book.
    Apply {
        /// The operation.
        op: Op,
        /// Receives the answer once the operation is durable (or refused).
        reply: oneshot::Sender<Result<Done, CheckoutError>>,
    },
    /// A read of one hold, as the book has it once the batch it came in
    /// is durable (no ledger entry).
    Lookup {
        /// The hold's id.
        hold: String,
        /// Receives the hold, if the book has it.
        reply: oneshot::Sender<Option<Hold>>,
    },
}

/// The error every queued request gets when the writer stops with it.
pub fn unavailable(why: &str) -> CheckoutError {
    error(
        ErrorCode::Unavailable,
        format!("the inventory writer is changing hands ({why}): retry with the same id"),
    )
}

/// The book rebuilt from the event's ledger, with the ledger's last
/// sequence (0: empty) and the number of batches read.
pub async fn replay(js: &jetstream::Context, names: &Names) -> anyhow::Result<(Book, u64, usize)> {
    let subject = names.ledger();
    let stream = js
        .get_stream(&names.stream)
        .await
        .with_context(|| format!("stream {}", names.stream))?;
    let last = match stream.get_last_raw_message_by_subject(&subject).await {
        Ok(m) => m.sequence,
        Err(e) if e.kind() == stream::LastRawMessageErrorKind::NoMessageFound => 0,
        Err(e) => anyhow::bail!("read the ledger's last entry: {e}"),
    };
    let mut book = Book::new();
    let mut batches = 0;
    if last == 0 {
        return Ok((book, 0, 0));
    }
    let consumer = stream
        .create_consumer(consumer::pull::OrderedConfig {
            filter_subject: subject.clone(),
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .context("read the ledger")?;
    let mut messages = consumer.messages().await.context("read the ledger")?;
    while let Some(m) = messages.next().await {
        let m = m.context("read the ledger")?;
        let seq = m
            .info()
            .map_err(anyhow::Error::from_boxed)
            .context("ledger message without metadata")?
            .stream_sequence;
        let batch = LedgerBatch::decode(m.payload.as_ref())
            .with_context(|| format!("ledger entry {seq} is not a LedgerBatch"))?;
        for op in batch.ops.into_iter().filter_map(ledger::decode) {
            if let Err(r) = book.apply(&op) {
                // The ledger holds accepted operations only.
                tracing::error!(seq, ?op, refused = %r, "ledger entry refused on replay");
            }
        }
        batches += 1;
        if seq >= last {
            break;
        }
    }
    Ok((book, last, batches))
}

/// The writer's state.
pub struct Writer {
    /// JetStream.
    pub js: jetstream::Context,
    /// The event's names.
    pub names: Names,
    /// This worker (written into each batch).
    pub identity: String,
    /// The book, as replayed.
    pub book: Book,
    /// The ledger's last sequence, as replayed.
    pub last_seq: u64,
    /// Publishes the counts after each commit.
    pub counts: watch::Sender<Counts>,
}

/// Whether an accepted operation changed the book (a retried hold, an
/// empty expiry sweep or an unchanged capacity did not, and needs no
/// ledger entry).
fn changed(done: &Done) -> bool {
    match done {
        Done::Held { new, .. } => *new,
        Done::Expired { holds } => !holds.is_empty(),
        Done::Capacity { delta } => *delta != 0,
        _ => true,
    }
}

/// Whether `op` repeats one already applied (a second sale, release or
/// refund of the same hold): accepted, changes nothing, needs no entry.
fn repeats(book: &Book, op: &Op) -> bool {
    match op {
        Op::Sell { hold } => book.hold(hold).is_some_and(|h| h.state == HoldState::Sold),
        Op::Release { hold } => book
            .hold(hold)
            .is_some_and(|h| h.state != HoldState::Active),
        Op::Refund { refund, hold, .. } | Op::RefundSeats { refund, hold, .. } => book
            .hold(hold)
            .is_some_and(|h| h.refunds.iter().any(|r| r == refund)),
        _ => false,
    }
}

/// Every tier's counts as an `Availability` message (the answer to
/// `rpc.availability` and the live feed's payload).
pub fn availability(counts: &Counts) -> Availability {
    Availability {
        tiers: counts
            .iter()
            .map(|(tier, s)| TierStock {
                tier: tier.clone(),
                capacity: s.capacity,
                available: s.available,
                held: s.held,
                sold: s.sold,
            })
            .collect(),
    }
}

/// Shortest gap between two messages of the live availability feed.
pub const FEED_MIN_GAP: Duration = Duration::from_millis(100);
/// The feed publishes at least this often, changed or not, so that a
/// newcomer learns the counts and a listener can tell the writer is alive.
pub const FEED_EVERY: Duration = Duration::from_secs(2);

/// Publishes the counts on the event's live availability subject (core
/// NATS, not stored; see [`Names::live_availability`]): the latest counts
/// after each change, at most every [`FEED_MIN_GAP`], and every
/// [`FEED_EVERY`] regardless. Runs until `counts` closes.
pub async fn feed(nats: async_nats::Client, subject: String, mut counts: watch::Receiver<Counts>) {
    loop {
        let now = counts.borrow_and_update().clone();
        let payload = availability(&now).encode_to_vec();
        if let Err(e) = nats.publish(subject.clone(), payload.into()).await {
            tracing::debug!(error = %e, "live availability not published");
        }
        let heartbeat = tokio::time::Instant::now() + FEED_EVERY;
        tokio::time::sleep(FEED_MIN_GAP).await;
        tokio::select! {
            changed = counts.changed() => if changed.is_err() { return },
            () = tokio::time::sleep_until(heartbeat) => {}
        }
    }
}

/// Aborts a task when dropped (the feed ends with the writer's term).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Writer {
    fn publish_counts(&self) {
        let counts: BTreeMap<String, Stock> =
            self.book.tiers().map(|(t, s)| (t.clone(), *s)).collect();
        self.counts.send_replace(Arc::new(counts));
    }

    /// Serves queued operations until the queue closes or an append
    /// fails; returns why it stopped. Its book is then stale: the next
    /// writer replays the ledger. While it runs, the counts are published
    /// on the live availability feed ([`feed`]).
    pub async fn run(mut self, mut rx: mpsc::Receiver<Command>) -> anyhow::Error {
        let ledger = self.names.ledger();
        self.publish_counts();
        let _feed = AbortOnDrop(tokio::spawn(feed(
            self.js.client(),
            self.names.live_availability(),
            self.counts.subscribe(),
        )));
        let epoch = uuid::Uuid::new_v4().simple().to_string();
        let mut batch_no: u64 = 0;
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            if rx.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return anyhow::anyhow!("the writer's queue closed");
            }
            let mut entries = Vec::new();
            let mut answers = Vec::with_capacity(batch.len());
            let mut lookups = Vec::new();
            for cmd in batch.drain(..) {
                let (op, reply) = match cmd {
                    Command::Apply { op, reply } => (op, reply),
                    Command::Lookup { hold, reply } => {
                        lookups.push((reply, self.book.hold(&hold).cloned()));
                        continue;
                    }
                };
                let repeat = repeats(&self.book, &op);
                let r = self.book.apply(&op);
                if let Ok(done) = &r
                    && !repeat
                    && changed(done)
                {
                    entries.push(ledger::encode(&op));
                }
                answers.push((reply, r.map_err(|e| ledger::refusal(&e))));
            }
            if !entries.is_empty() {
                batch_no += 1;
                let payload = LedgerBatch {
                    ops: entries,
                    writer: self.identity.clone(),
                }
                .encode_to_vec();
                let mut headers = HeaderMap::new();
                // Fencing: refused if anyone appended since our last.
                headers.insert(
                    NATS_EXPECTED_LAST_SUBJECT_SEQUENCE,
                    self.last_seq.to_string().as_str(),
                );
                headers.insert(NATS_MESSAGE_ID, format!("{epoch}-{batch_no}").as_str());
                let append = async {
                    self.js
                        .publish_with_headers(ledger.clone(), headers, payload.into())
                        .await?
                        .await
                };
                match tokio::time::timeout(APPEND_TIMEOUT, append).await {
                    Ok(Ok(ack)) => self.last_seq = ack.sequence,
                    failed => {
                        let why = match failed {
                            Ok(Err(e)) => format!("ledger append failed: {e}"),
                            _ => "ledger append timed out".to_owned(),
                        };
                        for (tx, _) in answers {
                            let _ = tx.send(Err(unavailable(&why)));
                        }
                        return anyhow::anyhow!(why);
                    }
                }
                self.publish_counts();
            }
            for (tx, r) in answers {
                let _ = tx.send(r);
            }
            // Answered after the batch is durable, so a lookup never shows
            // a hold a failed append would take back.
            for (tx, h) in lookups {
                let _ = tx.send(h);
            }
        }
    }
}
