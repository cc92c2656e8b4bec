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
use sellout_common::proto::v1::{
    Availability, CheckoutError, ErrorCode, LedgerBatch, LedgerOp, TierStock,
};

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

/// A cap on what one owner may hold: `owner`'s units in active holds (of
/// `tier`, or in all) plus the new hold's must not pass `max`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cap {
    /// The owner key ([`Book::held_by`]).
    pub owner: String,
    /// Of this tier only; `None`: across the event.
    pub tier: Option<String>,
    /// Most units.
    pub max: i64,
    /// Who holds, for the refusal: "this checkout already holds",
    /// "checkouts from this address already hold".
    pub who: &'static str,
}

/// What the writer checks against its book before applying an operation:
/// the caps of a new hold, and who may release one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guard {
    /// Caps on a new hold (a retried hold is answered as before).
    pub caps: Vec<Cap>,
    /// The owner key a released hold must have.
    pub owner: Option<String>,
}

impl Guard {
    /// `Err` when `op` passes a cap or releases another owner's hold.
    pub fn check(&self, book: &Book, op: &Op) -> Result<(), CheckoutError> {
        match op {
            Op::Hold { hold, .. } | Op::HoldSeats { hold, .. } if book.hold(hold).is_none() => {
                let quantity = match op {
                    Op::Hold { quantity, .. } => *quantity,
                    Op::HoldSeats { seats, .. } => seats.len() as i64,
                    _ => 0,
                };
                for cap in &self.caps {
                    let held = book.held_by(&cap.owner, cap.tier.as_deref());
                    if held + quantity > cap.max {
                        let what = match &cap.tier {
                            Some(t) => {
                                format!("of tier {t}, and one order buys at most {}", cap.max)
                            }
                            None => {
                                format!("of this event, and may hold at most {} at once", cap.max)
                            }
                        };
                        return Err(error(
                            ErrorCode::HoldLimit,
                            format!(
                                "{} {held} units {what}: buy or release some before holding {quantity} more",
                                cap.who
                            ),
                        ));
                    }
                }
                Ok(())
            }
            Op::Release { hold } => match (&self.owner, book.hold(hold)) {
                (Some(owner), Some(h)) if !h.owners.contains(owner) => Err(error(
                    ErrorCode::NotYourHold,
                    format!(
                        "hold {hold} belongs to another checkout: only its own checkout may release it"
                    ),
                )),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }
}

/// A request for the writer and where its answer goes.
pub enum Command {
    /// An operation on the book.
    Apply {
        /// The operation.
        op: Op,
        /// Checked against the book first; refused, nothing is applied.
        guard: Guard,
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
    /// A read of the taken seats of a section ([`Book::taken_seats`]), as
    /// the book has them once the batch it came in is durable.
    TakenSeats {
        /// The Venue section.
        section: String,
        /// Receives each taken seat's label and whether it is sold.
        reply: oneshot::Sender<Vec<(String, bool)>>,
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
    let mut marked = false;
    while let Some(m) = messages.next().await {
        let m = m.context("read the ledger")?;
        let seq = m
            .info()
            .map_err(anyhow::Error::from_boxed)
            .context("ledger message without metadata")?
            .stream_sequence;
        let of = m
            .headers
            .as_ref()
            .and_then(|h| h.get(sellout_common::names::LEDGER_HEADER))
            .map(|v| v.as_str().to_owned());
        let ours = match of.as_deref() {
            Some(l) if l == subject => {
                marked = true;
                true
            }
            Some(_) => false,
            // Before the header existed, or a copy after it did.
            None => !marked,
        };
        if !ours {
            tracing::error!(
                seq,
                ledger = of.as_deref().unwrap_or("(none)"),
                "an entry that is not this ledger's batch (a copy from another stream?): skipped"
            );
            if seq >= last {
                break;
            }
            continue;
        }
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
    /// When the writer lease was last known held; `None`: no lease (a
    /// benchmark's writer).
    pub freshness: Option<super::lease::Freshness>,
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
        let metrics = crate::metrics::get();
        for (tier, stock) in &counts {
            metrics.tier(tier, stock);
        }
        self.counts.send_replace(Arc::new(counts));
    }

    /// Appends `ops` as one batch to `ledger`, fenced: refused if anyone
    /// appended since this writer's last (`Nats-Expected-Last-Subject-
    /// Sequence`), deduplicated by `msg_id`. On success the ledger's last
    /// sequence is this batch's; the error says why it was not stored.
    async fn append(
        &mut self,
        ledger: &str,
        ops: Vec<LedgerOp>,
        msg_id: String,
    ) -> Result<(), String> {
        let payload = LedgerBatch {
            ops,
            writer: self.identity.clone(),
        }
        .encode_to_vec();
        let mut headers = HeaderMap::new();
        headers.insert(
            NATS_EXPECTED_LAST_SUBJECT_SEQUENCE,
            self.last_seq.to_string().as_str(),
        );
        headers.insert(NATS_MESSAGE_ID, msg_id.as_str());
        headers.insert(sellout_common::names::LEDGER_HEADER, ledger);
        let append = async {
            self.js
                .publish_with_headers(ledger.to_owned(), headers, payload.into())
                .await?
                .await
        };
        match tokio::time::timeout(APPEND_TIMEOUT, append).await {
            Ok(Ok(ack)) => {
                self.last_seq = ack.sequence;
                Ok(())
            }
            Ok(Err(e)) => Err(format!("ledger append failed: {e}")),
            Err(_) => Err("ledger append timed out".to_owned()),
        }
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
        // The term starts with an empty batch on the ledger, fenced on the
        // sequence replayed: it moves the ledger's last sequence, so a
        // writer of an earlier term (frozen, partitioned) that still
        // believes it writes has its next append refused, and this
        // writer's book stays the ledger's. Without it, an old writer
        // waking before this one's first append could still append, and
        // this one would answer refusals from a book missing those holds.
        if let Err(why) = self
            .append(&ledger, Vec::new(), format!("{epoch}-term"))
            .await
        {
            return anyhow::anyhow!("the term's first {why}");
        }
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            if rx.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return anyhow::anyhow!("the writer's queue closed");
            }
            let mut entries = Vec::new();
            let mut answers = Vec::with_capacity(batch.len());
            // Reads, answered once the batch is durable.
            let mut lookups: Vec<Box<dyn FnOnce() + Send>> = Vec::new();
            for cmd in batch.drain(..) {
                let (op, reply) = match cmd {
                    Command::Apply { op, guard, reply } => {
                        if let Err(e) = guard.check(&self.book, &op) {
                            answers.push((reply, Err(e)));
                            continue;
                        }
                        (op, reply)
                    }
                    Command::Lookup { hold, reply } => {
                        let h = self.book.hold(&hold).cloned();
                        lookups.push(Box::new(move || drop(reply.send(h))));
                        continue;
                    }
                    Command::TakenSeats { section, reply } => {
                        let taken = self.book.taken_seats(&section);
                        lookups.push(Box::new(move || drop(reply.send(taken))));
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
            // A batch whose append was stored was answered from a book
            // the ledger agreed with (the fence checked it).
            let appended = !entries.is_empty();
            if appended {
                batch_no += 1;
                crate::metrics::get().ledger_batch(entries.len());
                if let Err(why) = self
                    .append(&ledger, entries, format!("{epoch}-{batch_no}"))
                    .await
                {
                    for (tx, _) in answers {
                        let _ = tx.send(Err(unavailable(&why)));
                    }
                    return anyhow::anyhow!(why);
                }
                self.publish_counts();
            }
            // A writer frozen past its lease (whose batch needed no append,
            // so no fence stopped it) must not answer from its stale book:
            // its queued callers get UNAVAILABLE and retry elsewhere.
            if !appended
                && let Some(freshness) = &self.freshness
                && !freshness.fresh()
            {
                let why = "the writer lease may have passed to another worker";
                for (tx, _) in answers {
                    let _ = tx.send(Err(unavailable(why)));
                }
                // Lookups' senders dropped: their callers retry.
                drop(lookups);
                return anyhow::anyhow!(why);
            }
            for (tx, r) in answers {
                let _ = tx.send(r);
            }
            // Answered after the batch is durable, so a read never shows
            // a hold a failed append would take back.
            for answer in lookups {
                answer();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold(id: &str, quantity: i64, owners: &[&str]) -> Op {
        Op::Hold {
            hold: id.into(),
            tier: "ga".into(),
            quantity,
            expires_at: 100,
            owners: owners.iter().map(|o| o.to_string()).collect(),
        }
    }

    fn caps(tier_max: i64, total: i64) -> Guard {
        Guard {
            caps: vec![
                Cap {
                    owner: "s:a".into(),
                    tier: Some("ga".into()),
                    max: tier_max,
                    who: "this checkout already holds",
                },
                Cap {
                    owner: "s:a".into(),
                    tier: None,
                    max: total,
                    who: "this checkout already holds",
                },
            ],
            owner: None,
        }
    }

    #[test]
    fn caps_count_what_the_owner_already_holds_and_retries_pass() {
        let mut book = Book::new();
        book.apply(&Op::SetCapacity {
            tier: "ga".into(),
            capacity: 100,
        })
        .unwrap();
        let guard = caps(6, 10);
        let first = hold("h1", 4, &["s:a"]);
        guard.check(&book, &first).unwrap();
        book.apply(&first).unwrap();
        let e = guard.check(&book, &hold("h2", 3, &["s:a"])).unwrap_err();
        assert_eq!(e.code(), ErrorCode::HoldLimit);
        assert!(
            e.message.contains("already holds 4 units of tier ga"),
            "{}",
            e.message
        );
        assert!(e.message.contains("at most 6"), "{}", e.message);
        // The same hold again is a retry, answered by the book.
        guard.check(&book, &first).unwrap();
        guard.check(&book, &hold("h2", 2, &["s:a"])).unwrap();
        // The event-wide cap.
        let e = caps(100, 5)
            .check(&book, &hold("h3", 2, &["s:a"]))
            .unwrap_err();
        assert!(e.message.contains("at most 5 at once"), "{}", e.message);
    }

    #[test]
    fn only_the_owner_releases_its_hold() {
        let mut book = Book::new();
        book.apply(&Op::SetCapacity {
            tier: "ga".into(),
            capacity: 10,
        })
        .unwrap();
        book.apply(&hold("h1", 2, &["s:a", "a:ip"])).unwrap();
        let release = Op::Release { hold: "h1".into() };
        let by = |owner: &str| Guard {
            owner: Some(owner.into()),
            ..Default::default()
        };
        assert_eq!(
            by("s:b").check(&book, &release).unwrap_err().code(),
            ErrorCode::NotYourHold
        );
        by("s:a").check(&book, &release).unwrap();
        Guard::default().check(&book, &release).unwrap();
        // An unknown hold is the book's to answer.
        by("s:b")
            .check(
                &book,
                &Op::Release {
                    hold: "nope".into(),
                },
            )
            .unwrap();
    }
}
