//! The checkout role's request side: while this worker holds the event's
//! writer lease it replays the ledger, starts the [`Writer`], keeps
//! capacities in step with the catalog, sweeps expired holds, and answers
//! `<event>.rpc.<verb>` requests (protobuf over NATS request/reply).
//! Workers without the lease stand by and take over when it is free.

use anyhow::Context as _;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use prost::Message;
use tokio::sync::{mpsc, oneshot, watch};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use sellout_common::names::Names;
use sellout_common::proto::v1::{
    AvailabilityRequest, CheckoutError, CheckoutReply, ErrorCode, Held, HoldRequest,
    LookupHoldRequest, ReleaseRequest, RestockRequest, Seats, SeatsRequest, SellRequest, TakenSeat,
    checkout_reply,
};
use sellout_common::trace;

use super::catalog::{Catalog, error};
use super::lease::{self, Lease};
use super::writer::{Cap, Command, Counts, Guard, Writer, availability, replay, unavailable};
use crate::inventory::{Done, Hold, HoldState, Millis, Op};

/// How often expired holds are swept back into availability.
pub const SWEEP_EVERY: Duration = Duration::from_millis(500);
/// Requests queued for the writer before new ones wait.
const QUEUE: usize = 65_536;

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}

/// What the checkout service needs.
#[derive(Clone)]
pub struct Service {
    /// NATS.
    pub nats: async_nats::Client,
    /// The event's names.
    pub names: Names,
    /// This worker's identity (pod name or replica id).
    pub identity: String,
    /// The current catalog.
    pub catalog: watch::Receiver<Arc<Catalog>>,
    /// Counts after each commit (for availability answers and the Mongo
    /// projection).
    pub counts: watch::Sender<Counts>,
    /// True while this worker is the event's writer: the order service's
    /// resume loop (the one poller of Stripe per event) runs only then.
    pub writing: watch::Sender<bool>,
}

impl Service {
    /// Serves until `stop`: takes the writer lease when it is free,
    /// writes while holding it, stands by otherwise. Gives the lease up on
    /// the way out.
    pub async fn run(self, stop: CancellationToken) -> anyhow::Result<()> {
        let js = async_nats::jetstream::new(self.nats.clone());
        let store = loop {
            match lease::bucket(&js).await {
                Ok(s) => break s,
                Err(e) => tracing::warn!(
                    error = format!("{e:#}"),
                    "writer lease bucket unavailable; retrying"
                ),
            }
            if wait(&stop, Duration::from_secs(1)).await {
                return Ok(());
            }
        };
        while !stop.is_cancelled() {
            let lease = tokio::select! {
                l = Lease::acquire(&js, store.clone(), &self.names, &self.identity) => l,
                () = stop.cancelled() => break,
            };
            tracing::info!(event = %self.names.stream, "this worker is the inventory writer");
            self.writing.send_replace(true);
            crate::metrics::get().writing(true, now_ms());
            let term = self.write(&js, lease, &stop).await;
            self.writing.send_replace(false);
            crate::metrics::get().writing(false, now_ms());
            if let Err(e) = term {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "inventory writer stopped; standing by to take over again"
                );
                wait(&stop, Duration::from_millis(500)).await;
            }
        }
        lease::give_up(&store, &self.names, &self.identity).await;
        Ok(())
    }

    /// One term as the writer: until the lease is lost, the writer stops
    /// or `stop`.
    async fn write(
        &self,
        js: &async_nats::jetstream::Context,
        lease: Lease,
        stop: &CancellationToken,
    ) -> anyhow::Result<()> {
        let freshness = lease.freshness();
        let keep = lease.keep();
        tokio::pin!(keep);
        let started = std::time::Instant::now();
        let (book, last_seq, batches) = tokio::select! {
            r = replay(js, &self.names) => r?,
            () = &mut keep => anyhow::bail!("writer lease lost during replay"),
        };
        tracing::info!(
            batches,
            last_seq,
            ms = started.elapsed().as_millis() as u64,
            "inventory ledger replayed"
        );
        let (tx, rx) = mpsc::channel(QUEUE);
        let writer = Writer {
            js: js.clone(),
            names: self.names.clone(),
            identity: self.identity.clone(),
            book,
            last_seq,
            counts: self.counts.clone(),
            freshness: Some(freshness),
        };
        let mut writer = tokio::spawn(writer.run(rx));
        let mut tasks = tokio::task::JoinSet::new();
        // Capacities first, so the first holds find their tiers.
        let catalog = self.catalog.borrow().clone();
        sync_capacities(&catalog, &tx).await;
        tasks.spawn(keep_capacities(self.catalog.clone(), tx.clone()));
        tasks.spawn(sweep(tx.clone()));
        let sub = self
            .nats
            .queue_subscribe(
                self.names.subject("rpc.*"),
                sellout_common::names::CHECKOUT_QUEUE.into(),
            )
            .await
            .context("subscribe to requests")?;
        tasks.spawn(serve(self.clone(), sub, tx));
        let outcome = tokio::select! {
            () = &mut keep => Err(anyhow::anyhow!("writer lease lost")),
            r = &mut writer => Err(r.unwrap_or_else(|e| anyhow::anyhow!("writer panicked: {e}"))),
            () = stop.cancelled() => Ok(()),
        };
        // Stop taking requests first; queued ones are answered by the
        // writer or, when it is gone, get UNAVAILABLE and are retried.
        tasks.shutdown().await;
        writer.abort();
        outcome
    }
}

/// Sleeps `d`; `true` when `stop` came first.
pub async fn wait(stop: &CancellationToken, d: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(d) => false,
        () = stop.cancelled() => true,
    }
}

/// Sends the writer one operation and waits for its answer.
async fn ask(tx: &mpsc::Sender<Command>, op: Op) -> Result<Done, CheckoutError> {
    ask_guarded(tx, op, Guard::default()).await
}

/// Sends the writer one operation, applied only if `guard` allows it.
async fn ask_guarded(
    tx: &mpsc::Sender<Command>,
    op: Op,
    guard: Guard,
) -> Result<Done, CheckoutError> {
    let (reply, answer) = oneshot::channel();
    tx.send(Command::Apply { op, guard, reply })
        .await
        .map_err(|_| unavailable("writer stopped"))?;
    answer.await.map_err(|_| unavailable("writer stopped"))?
}

/// Reads hold `hold` from the writer's book.
async fn lookup(tx: &mpsc::Sender<Command>, hold: String) -> Result<Option<Hold>, CheckoutError> {
    let (reply, answer) = oneshot::channel();
    tx.send(Command::Lookup { hold, reply })
        .await
        .map_err(|_| unavailable("writer stopped"))?;
    answer.await.map_err(|_| unavailable("writer stopped"))
}

async fn sync_capacities(catalog: &Catalog, tx: &mpsc::Sender<Command>) {
    for (tier, rules) in &catalog.tiers {
        let op = Op::SetCapacity {
            tier: tier.clone(),
            capacity: rules.capacity,
        };
        if let Err(e) = ask(tx, op).await {
            tracing::warn!(tier, capacity = rules.capacity, error = %e.message, "capacity not applied");
        }
    }
}

/// How often capacities are applied again even when the catalog did not
/// change (one refused below sold + held may fit after refunds).
const CAPACITY_EVERY: Duration = Duration::from_secs(10);

async fn keep_capacities(mut catalog: watch::Receiver<Arc<Catalog>>, tx: mpsc::Sender<Command>) {
    loop {
        tokio::select! {
            changed = catalog.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(CAPACITY_EVERY) => {}
        }
        let c = catalog.borrow_and_update().clone();
        sync_capacities(&c, &tx).await;
        if tx.is_closed() {
            return;
        }
    }
}

async fn sweep(tx: mpsc::Sender<Command>) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = now_ms();
        match ask(&tx, Op::Expire { now }).await {
            Ok(done) => {
                crate::metrics::get().swept(now);
                if let Done::Expired { holds } = done
                    && !holds.is_empty()
                {
                    tracing::debug!(expired = holds.len(), "expired holds given back");
                }
            }
            Err(_) => return,
        }
    }
}

async fn serve(svc: Service, mut sub: async_nats::Subscriber, tx: mpsc::Sender<Command>) {
    while let Some(msg) = sub.next().await {
        // Answers go only to inboxes (see `inbox_reply`).
        let Some(reply_to) = sellout_common::nats_auth::inbox_reply(msg.reply.as_ref()) else {
            continue;
        };
        let (svc, tx) = (svc.clone(), tx.clone());
        let verb = msg.subject.rsplit('.').next().unwrap_or_default();
        let span = trace::handler_span(
            sellout_common::names::CHECKOUT_QUEUE,
            verb,
            msg.headers.as_ref(),
        );
        let ctx = trace::from_headers(msg.headers.as_ref());
        let handled = async move {
            let verb = msg.subject.rsplit('.').next().unwrap_or_default();
            tracing::debug!("checkout request");
            let started = std::time::Instant::now();
            let result = svc.handle(verb, &msg.payload, &tx).await;
            crate::metrics::get().checkout_request(
                crate::metrics::verb_of(verb, VERBS),
                match &result {
                    Ok(_) => "OK",
                    Err(e) => e.code().as_str_name(),
                },
                started.elapsed(),
            );
            let reply = CheckoutReply {
                result: Some(result.unwrap_or_else(checkout_reply::Result::Error)),
            };
            if let Err(e) = svc
                .nats
                .publish(reply_to, reply.encode_to_vec().into())
                .await
            {
                tracing::warn!(error = %e, "could not answer a checkout request");
            }
        };
        tokio::spawn(trace::within(ctx, handled).instrument(span));
    }
}

/// The verbs of `<event>.rpc.<verb>` (the metrics' label values).
const VERBS: &[&str] = &[
    "hold",
    "lookup",
    "release",
    "sell",
    "restock",
    "availability",
    "seats",
];

fn bad_request(what: &str, e: impl std::fmt::Display) -> CheckoutError {
    error(
        ErrorCode::BadRequest,
        format!("malformed {what} request: {e}"),
    )
}

fn required(field: &str, value: &str) -> Result<(), CheckoutError> {
    if value.is_empty() {
        Err(error(ErrorCode::BadRequest, format!("{field} is required")))
    } else {
        Ok(())
    }
}

impl Service {
    async fn handle(
        &self,
        verb: &str,
        payload: &[u8],
        tx: &mpsc::Sender<Command>,
    ) -> Result<checkout_reply::Result, CheckoutError> {
        use checkout_reply::Result as R;
        match verb {
            "hold" => {
                let req = HoldRequest::decode(payload).map_err(|e| bad_request("hold", e))?;
                sellout_client::valid_id("hold_id", &req.hold_id)?;
                let now = now_ms();
                let (ttl, section, guard) = {
                    let catalog = self.catalog.borrow();
                    let rules = catalog.admit(&req, now)?;
                    (
                        catalog.hold_ttl_ms,
                        rules.seat_map.as_ref().map(|(s, _)| s.clone()),
                        hold_guard(&req, rules.max, &catalog),
                    )
                };
                let owners: Vec<String> =
                    guard
                        .caps
                        .iter()
                        .map(|c| c.owner.clone())
                        .fold(Vec::new(), |mut v, o| {
                            if !v.contains(&o) {
                                v.push(o);
                            }
                            v
                        });
                let op = match (&section, req.seats.is_empty()) {
                    (Some(section), false) => Op::HoldSeats {
                        hold: req.hold_id.clone(),
                        tier: req.tier.clone(),
                        seats: req.seats.iter().map(|l| format!("{section}/{l}")).collect(),
                        expires_at: now + ttl,
                        owners,
                    },
                    _ => Op::Hold {
                        hold: req.hold_id.clone(),
                        tier: req.tier.clone(),
                        quantity: req.quantity,
                        expires_at: now + ttl,
                        owners,
                    },
                };
                match ask_guarded(tx, op, guard).await? {
                    Done::Held { new, expires_at } => Ok(R::Held(Held {
                        hold_id: req.hold_id,
                        tier: req.tier,
                        quantity: req.quantity,
                        expires_at_ms: expires_at,
                        new,
                        seats: req.seats,
                        session: req.session,
                    })),
                    other => Err(unexpected(other)),
                }
            }
            "lookup" => {
                let req =
                    LookupHoldRequest::decode(payload).map_err(|e| bad_request("lookup", e))?;
                sellout_client::valid_id("hold_id", &req.hold_id)?;
                let Some(h) = lookup(tx, req.hold_id.clone()).await? else {
                    return Err(error(
                        ErrorCode::UnknownHold,
                        format!("hold {} does not exist: place a hold first", req.hold_id),
                    ));
                };
                if matches!(h.state, HoldState::Released | HoldState::Expired) {
                    return Err(error(
                        ErrorCode::HoldEnded,
                        format!(
                            "hold {} has ended (released or expired): place a new hold",
                            req.hold_id
                        ),
                    ));
                }
                Ok(R::Held(Held {
                    hold_id: req.hold_id,
                    tier: h.tier,
                    quantity: h.quantity,
                    expires_at_ms: h.expires_at,
                    new: false,
                    session: h
                        .owners
                        .iter()
                        .find_map(|o| o.strip_prefix(SESSION_KEY))
                        .unwrap_or_default()
                        .to_owned(),
                    // Seats as the buyer named them (the book keys them
                    // `<section>/<label>`).
                    seats: h
                        .seats
                        .iter()
                        .map(|s| s.split_once('/').map_or(s.as_str(), |(_, l)| l).to_owned())
                        .collect(),
                }))
            }
            "release" => {
                let req = ReleaseRequest::decode(payload).map_err(|e| bad_request("release", e))?;
                required("hold_id", &req.hold_id)?;
                let guard = Guard {
                    owner: (!req.session.is_empty())
                        .then(|| format!("{SESSION_KEY}{}", req.session)),
                    ..Default::default()
                };
                ask_guarded(tx, Op::Release { hold: req.hold_id }, guard).await?;
                Ok(R::Done(Default::default()))
            }
            "sell" => {
                let req = SellRequest::decode(payload).map_err(|e| bad_request("sell", e))?;
                required("hold_id", &req.hold_id)?;
                match ask(tx, Op::Sell { hold: req.hold_id }).await? {
                    Done::Sold { late } => Ok(R::Done(sellout_common::proto::v1::Done { late })),
                    other => Err(unexpected(other)),
                }
            }
            "restock" => {
                let req = RestockRequest::decode(payload).map_err(|e| bad_request("restock", e))?;
                required("refund_id", &req.refund_id)?;
                required("hold_id", &req.hold_id)?;
                let op = if req.seats.is_empty() {
                    Op::Refund {
                        refund: req.refund_id,
                        hold: req.hold_id,
                        quantity: req.quantity,
                    }
                } else {
                    Op::RefundSeats {
                        refund: req.refund_id,
                        hold: req.hold_id,
                        seats: req.seats,
                    }
                };
                ask(tx, op).await?;
                Ok(R::Done(Default::default()))
            }
            "availability" => {
                AvailabilityRequest::decode(payload).map_err(|e| bad_request("availability", e))?;
                let counts = self.counts.borrow().clone();
                Ok(R::Availability(availability(&counts)))
            }
            "seats" => {
                let req = SeatsRequest::decode(payload).map_err(|e| bad_request("seats", e))?;
                let (section, labels) = {
                    let catalog = self.catalog.borrow();
                    let Some(rules) = catalog.tiers.get(&req.tier) else {
                        return Err(error(
                            ErrorCode::UnknownTier,
                            format!("tier {:?} is not a tier of this event", req.tier),
                        ));
                    };
                    let Some((section, labels)) = &rules.seat_map else {
                        return Err(error(
                            ErrorCode::UnknownSeat,
                            format!(
                                "tier {} sells no specific seats or tables: it has no seat map",
                                req.tier
                            ),
                        ));
                    };
                    (section.clone(), super::catalog::reading_order(labels))
                };
                let (reply, answer) = oneshot::channel();
                tx.send(Command::TakenSeats {
                    section: section.clone(),
                    reply,
                })
                .await
                .map_err(|_| unavailable("writer stopped"))?;
                let mut taken = answer.await.map_err(|_| unavailable("writer stopped"))?;
                taken.sort();
                Ok(R::Seats(Seats {
                    tier: req.tier,
                    section,
                    labels,
                    taken: taken
                        .into_iter()
                        .map(|(label, sold)| TakenSeat { label, sold })
                        .collect(),
                }))
            }
            other => Err(error(
                ErrorCode::BadRequest,
                format!(
                    "unknown checkout request {other:?}: use hold, lookup, release, sell, restock, availability or seats"
                ),
            )),
        }
    }
}

/// The owner key prefix of a checkout session.
const SESSION_KEY: &str = "s:";
/// The owner key prefix of a client address.
const ADDRESS_KEY: &str = "a:";

/// The caps on a buyer's new hold: the checkout session's units of the
/// tier (at most one order's worth) and of the event, and the client
/// address's units of the event. Staff at the box office are not capped.
fn hold_guard(req: &HoldRequest, tier_max: i64, catalog: &super::catalog::Catalog) -> Guard {
    let mut caps = Vec::new();
    if !req.box_office {
        if !req.session.is_empty() {
            let owner = format!("{SESSION_KEY}{}", req.session);
            caps.push(Cap {
                owner: owner.clone(),
                tier: Some(req.tier.clone()),
                max: tier_max,
                who: "this checkout already holds",
            });
            caps.push(Cap {
                owner,
                tier: None,
                max: catalog.per_checkout,
                who: "this checkout already holds",
            });
        }
        if !req.client.is_empty() {
            caps.push(Cap {
                owner: format!("{ADDRESS_KEY}{}", req.client),
                tier: None,
                max: catalog.per_address,
                who: "checkouts from this address already hold",
            });
        }
    }
    Guard { caps, owner: None }
}

fn unexpected(done: Done) -> CheckoutError {
    error(
        ErrorCode::Unavailable,
        format!("internal error: unexpected answer {done:?}"),
    )
}
