//! `make bench-flash-sale`: a flash crowd against the real checkout worker.
//!
//! B buyers (`BENCH_BUYERS`, default 5,000) race, C at a time
//! (`BENCH_CONCURRENCY`, default 1,000), for Q tickets (`BENCH_QUANTITY`,
//! default 2,600) of one tier of one event. Each wants 1 or 2 tickets and
//! sends one hold request over NATS to the `sellout-worker` binary in its
//! checkout role (its Event and tier read from a real API server, its
//! ledger and lease in NATS JetStream, its counts projected to FerretDB).
//! Holds run out after `BENCH_HOLD_TTL` seconds (default 10). Of the buyers
//! who got a hold, one in ten walks away; the rest pay through a Stripe
//! stand-in that completes at most 25 payments a second (Stripe's default
//! rate limit) for `BENCH_PAY_SECONDS` (default 15), then marks the hold
//! sold; holds not paid by then run out. Holds are answered without
//! waiting for payments: that is the point of the stand-in.
//!
//! Figures: holds/s (answered hold requests per second over the rush),
//! granted holds/s, p50/p99 hold latency, completed orders, expired holds.
//! Invariants, from the ledger (the JetStream stream, replayed operation by
//! operation, not from counters): oversold, undersold (units left while a
//! buyer was refused for lack of them), duplicate holds or sales.
//!
//! Baseline, in the same run with the same crowd per ticket: a naive NATS
//! responder that reads the tier's document in FerretDB and writes
//! `available - n` back (read-then-write, no condition). It must oversell.
//! FerretDB makes it slow, so it gets at most `BENCH_NAIVE_BUYERS`
//! (default 5,000) buyers, racing for tickets in the same proportion as
//! ours (Q × its buyers / B).
//!
//! Each buyer holds with its own checkout session and address, as the
//! gateway sends them, so the writer counts its caps on every hold;
//! `BENCH_NO_SESSIONS=1` sends holds without them, to compare.
//!
//! Writes `target/bench/flash-sale.json`; exits non-zero when an invariant
//! is broken or the baseline fails to show its oversell.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use mongodb::bson::{Document, doc};
use prost::Message;
use sellout_client::CheckoutClient;
use sellout_common::names::Names;
use sellout_common::proto::v1::{CheckoutReply, ErrorCode, HoldRequest, checkout_reply};
use sellout_workers::checkout::ledger;
use sellout_workers::inventory::{Book, Op};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc};

mod support;
use support::{cpu_model, env, quantile, round, write_report};

/// What one buyer's hold request got.
#[derive(Clone, Debug)]
enum Answer {
    Held(String),
    SoldOut,
    Failed(String),
}

#[derive(Default)]
struct Rush {
    seconds: f64,
    requests: usize,
    granted: usize,
    granted_units: i64,
    refused: usize,
    refused_min_units: i64,
    failed: Vec<String>,
    latencies_ms: Vec<f64>,
    granted_ms: Vec<f64>,
    /// Seconds from the first request to the last granted answer.
    granting_seconds: f64,
}

/// Sends `buyers` hold requests, `concurrency` at a time; buyer `i` wants
/// `1 + i % 2` units. Granted holds go to `paid` as they come.
async fn rush<F, Fut>(
    buyers: usize,
    concurrency: usize,
    hold: F,
    granted: Option<mpsc::UnboundedSender<String>>,
) -> Rush
where
    F: Fn(usize, i64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Answer> + Send,
{
    let hold = Arc::new(hold);
    let gate = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(buyers);
    for i in 0..buyers {
        let (hold, gate, granted) = (hold.clone(), gate.clone(), granted.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let units = 1 + (i % 2) as i64;
            let t = Instant::now();
            let answer = hold(i, units).await;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if let (Answer::Held(id), Some(tx)) = (&answer, granted) {
                let _ = tx.send(id.clone());
            }
            (answer, units, ms, started.elapsed().as_secs_f64())
        }));
    }
    let mut r = Rush::default();
    for t in tasks {
        let (answer, units, ms, at) = t.await.unwrap();
        r.requests += 1;
        r.latencies_ms.push(ms);
        match answer {
            Answer::Held(_) => {
                r.granted += 1;
                r.granted_units += units;
                r.granted_ms.push(ms);
                r.granting_seconds = r.granting_seconds.max(at);
            }
            Answer::SoldOut => {
                r.refused += 1;
                if r.refused_min_units == 0 || units < r.refused_min_units {
                    r.refused_min_units = units;
                }
            }
            Answer::Failed(e) => r.failed.push(e),
        }
    }
    r.seconds = started.elapsed().as_secs_f64();
    r.latencies_ms.sort_by(|a, b| a.total_cmp(b));
    r.granted_ms.sort_by(|a, b| a.total_cmp(b));
    r
}

/// What the ledger says, checked operation by operation.
#[derive(Debug, Default)]
struct Audit {
    /// Invariant violations seen after any operation (sold + held +
    /// available != capacity, or a negative count).
    violations: usize,
    /// Most units ever out (held + sold) beyond capacity.
    oversold: i64,
    /// Hold ids written twice, or sold twice.
    duplicates: usize,
    /// Units available when the rush ended.
    left_after_rush: i64,
    sold: i64,
    held: i64,
    available: i64,
    expired_holds: usize,
    ops: usize,
}

async fn audit(
    js: &async_nats::jetstream::Context,
    names: &Names,
    tier: &str,
    rush_end_seq: u64,
) -> Audit {
    let stream = js.get_stream(&names.stream).await.unwrap();
    let consumer = stream
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
            filter_subject: names.ledger(),
            ..Default::default()
        })
        .await
        .unwrap();
    let last = stream
        .get_last_raw_message_by_subject(&names.ledger())
        .await
        .unwrap()
        .sequence;
    let mut messages = consumer.messages().await.unwrap();
    let mut book = Book::new();
    let mut a = Audit::default();
    let (mut held_ids, mut sold_ids) = (HashSet::new(), HashSet::new());
    while let Some(m) = messages.next().await {
        let m = m.unwrap();
        let seq = m.info().unwrap().stream_sequence;
        let batch = sellout_common::proto::v1::LedgerBatch::decode(m.payload.as_ref()).unwrap();
        for op in batch.ops.into_iter().filter_map(ledger::decode) {
            a.ops += 1;
            match &op {
                Op::Hold { hold, .. } if !held_ids.insert(hold.clone()) => a.duplicates += 1,
                Op::Sell { hold } if !sold_ids.insert(hold.clone()) => a.duplicates += 1,
                _ => {}
            }
            if let Ok(sellout_workers::inventory::Done::Expired { holds }) = book.apply(&op) {
                a.expired_holds += holds.len();
            }
            if book.check().is_err() {
                a.violations += 1;
            }
            if let Some(s) = book.stock(tier) {
                a.oversold = a.oversold.max(s.sold + s.held - s.capacity);
            }
        }
        if seq <= rush_end_seq {
            a.left_after_rush = book.stock(tier).map_or(0, |s| s.available);
        }
        if seq >= last {
            break;
        }
    }
    let s = book.stock(tier).unwrap_or_default();
    (a.sold, a.held, a.available) = (s.sold, s.held, s.available);
    a
}

async fn last_ledger_seq(js: &async_nats::jetstream::Context, names: &Names) -> u64 {
    let stream = js.get_stream(&names.stream).await.unwrap();
    stream
        .get_last_raw_message_by_subject(&names.ledger())
        .await
        .map_or(0, |m| m.sequence)
}

/// The Stripe stand-in: completes at most `per_second` payments a second
/// for `seconds`, each then marking its hold sold. Returns completed
/// orders and late-payment refusals.
async fn payments(
    client: CheckoutClient,
    mut held: mpsc::UnboundedReceiver<String>,
    per_second: u32,
    seconds: u64,
) -> (usize, usize) {
    let until = tokio::time::Instant::now() + Duration::from_secs(seconds);
    let mut tick = tokio::time::interval(Duration::from_secs(1) / per_second);
    let (mut done, mut late_refused) = (0, 0);
    let mut n = 0usize;
    loop {
        let id = tokio::select! {
            id = held.recv() => match id { Some(id) => id, None => break },
            () = tokio::time::sleep_until(until) => break,
        };
        n += 1;
        // One in ten buyers walks away; their hold runs out.
        if n.is_multiple_of(10) {
            continue;
        }
        tokio::select! {
            _ = tick.tick() => {}
            () = tokio::time::sleep_until(until) => break,
        }
        match client.sell(&id).await {
            Ok(_) => done += 1,
            Err(e) if e.code() == ErrorCode::LatePaymentSoldOut => late_refused += 1,
            Err(e) => panic!("sell {id}: {e:?}"),
        }
    }
    (done, late_refused)
}

/// The naive baseline: read the tier document, write `available - n`.
async fn naive_responder(nats: async_nats::Client, subject: String, db: mongodb::Database) {
    let coll = db.collection::<Document>("naive_inventory");
    let holds = db.collection::<Document>("naive_holds");
    let mut sub = nats.subscribe(subject).await.unwrap();
    while let Some(msg) = sub.next().await {
        let (nats, coll, holds) = (nats.clone(), coll.clone(), holds.clone());
        tokio::spawn(async move {
            let req = HoldRequest::decode(msg.payload.as_ref()).unwrap();
            let d = coll.find_one(doc! {"_id": "ga"}).await.unwrap().unwrap();
            let available = d.get_i64("available").unwrap();
            let result = if available >= req.quantity {
                coll.update_one(
                    doc! {"_id": "ga"},
                    doc! {"$set": {"available": available - req.quantity}},
                )
                .await
                .unwrap();
                holds
                    .insert_one(doc! {"_id": &req.hold_id, "units": req.quantity})
                    .await
                    .unwrap();
                checkout_reply::Result::Done(Default::default())
            } else {
                checkout_reply::Result::Error(sellout_common::proto::v1::CheckoutError {
                    code: ErrorCode::NotEnough as i32,
                    ..Default::default()
                })
            };
            let reply = CheckoutReply {
                result: Some(result),
            };
            if let Some(r) = msg.reply {
                let _ = nats.publish(r, reply.encode_to_vec().into()).await;
            }
        });
    }
}

async fn naive(buyers: usize, concurrency: usize, quantity: i64) -> (Rush, i64) {
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let db = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database(&format!("bench_naive_{}", std::process::id()));
    db.collection::<Document>("naive_inventory")
        .insert_one(doc! {"_id": "ga", "available": quantity})
        .await
        .unwrap();
    let subject = format!("bench.naive.{}.hold", std::process::id());
    tokio::spawn(naive_responder(nats.clone(), subject.clone(), db.clone()));
    nats.flush().await.unwrap();
    let r = rush(
        buyers,
        concurrency,
        move |i, units| {
            let (nats, subject) = (nats.clone(), subject.clone());
            async move {
                let req = HoldRequest {
                    hold_id: format!("naive-{i}"),
                    tier: "ga".into(),
                    quantity: units,
                    ..Default::default()
                };
                match nats.request(subject, req.encode_to_vec().into()).await {
                    Ok(m) => match CheckoutReply::decode(m.payload.as_ref()).unwrap().result {
                        Some(checkout_reply::Result::Done(_)) => Answer::Held(format!("naive-{i}")),
                        _ => Answer::SoldOut,
                    },
                    Err(e) => Answer::Failed(e.to_string()),
                }
            }
        },
        None,
    )
    .await;
    // Units recorded as held, from the hold records (the ledger here).
    let mut units = 0;
    let mut cursor = db
        .collection::<Document>("naive_holds")
        .find(doc! {})
        .await
        .unwrap();
    while let Some(d) = cursor.next().await {
        units += d.unwrap().get_i64("units").unwrap();
    }
    let _ = db.drop().await;
    (r, units)
}

#[tokio::main]
async fn main() {
    // `cargo test` runs benches without --bench: a small smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let buyers = env("BENCH_BUYERS", if smoke { 400 } else { 5_000 });
    let quantity = env("BENCH_QUANTITY", if smoke { 200 } else { 2_600 }) as i64;
    let concurrency = env("BENCH_CONCURRENCY", if smoke { 100 } else { 1_000 });
    let ttl = env("BENCH_HOLD_TTL", if smoke { 3 } else { 10 });
    let pay_seconds = env("BENCH_PAY_SECONDS", if smoke { 2 } else { 15 }) as u64;
    let naive_buyers = env("BENCH_NAIVE_BUYERS", if smoke { 300 } else { 5_000 }).min(buyers);
    let pay_rate = 25;
    println!(
        "flash-sale: {buyers} buyers, {quantity} tickets, {concurrency} at a time, holds last {ttl} s, payments {pay_rate}/s for {pay_seconds} s"
    );

    let days = json!([{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}]);
    let (names, ns, _) = support::stage("flash", "Flash sale", days, quantity).await;
    let ttl_env = [("SELLOUT_HOLD_TTL_SECONDS", ttl.to_string())];
    let worker = support::start_worker(
        env!("CARGO_BIN_EXE_sellout-worker"),
        "flash-sale",
        "checkout",
        &ns,
        "flash-0",
        &ttl_env,
    )
    .await;
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let client = CheckoutClient::new(nats, names.clone());
    let ready_by = Instant::now() + Duration::from_secs(60);
    while client.availability().await.map_or(true, |t| t.is_empty()) {
        assert!(
            Instant::now() < ready_by,
            "worker not ready:\n{}",
            worker.tail(30)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let (paid_tx, paid_rx) = mpsc::unbounded_channel();
    let pay = tokio::spawn(payments(client.clone(), paid_rx, pay_rate, pay_seconds));
    let run = uuid::Uuid::new_v4().simple().to_string();
    let sessions = env("BENCH_NO_SESSIONS", 0) == 0;
    let c = client.clone();
    let ours = rush(
        buyers,
        concurrency,
        move |i, units| {
            let (c, run) = (c.clone(), run.clone());
            async move {
                // Each buyer with its own checkout session and address, as
                // the gateway sends them: the writer's per-checkout and
                // per-address caps are counted on every hold
                // (BENCH_NO_SESSIONS=1 leaves them out, to compare).
                let (session, client) = if sessions {
                    (
                        format!("cs:{run}-{i}"),
                        format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255),
                    )
                } else {
                    Default::default()
                };
                let req = HoldRequest {
                    hold_id: format!("{run}-{i}"),
                    tier: "ga".into(),
                    quantity: units,
                    session,
                    client,
                    ..Default::default()
                };
                match c.hold(req).await {
                    Ok(h) => Answer::Held(h.hold_id),
                    Err(e) if e.code() == ErrorCode::NotEnough => Answer::SoldOut,
                    Err(e) => Answer::Failed(format!("{:?}: {}", e.code(), e.message)),
                }
            }
        },
        Some(paid_tx),
    )
    .await;
    let rush_end_seq = last_ledger_seq(
        &sellout_e2e::nats().await.jetstream().await.unwrap(),
        &names,
    )
    .await;
    let (completed, late_refused) = pay.await.unwrap();
    // Every unpaid hold runs out; wait for the sweep to give them back.
    let settle_by = Instant::now() + Duration::from_secs(ttl as u64 + 30);
    loop {
        let t = client.availability().await.unwrap();
        if t.iter().all(|s| s.held == 0) || Instant::now() > settle_by {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let a = audit(&js, &names, "ga", rush_end_seq).await;
    worker.stop(Duration::from_secs(5));

    let undersold = if ours.refused > 0 && a.left_after_rush >= ours.refused_min_units {
        a.left_after_rush
    } else {
        0
    };
    let naive_quantity = (quantity * naive_buyers as i64 / buyers as i64).max(1);
    let (base, base_units) = naive(naive_buyers, concurrency, naive_quantity).await;
    let base_oversold = (base_units - naive_quantity).max(0);

    let holds_per_s = ours.requests as f64 / ours.seconds;
    let granted_per_s = ours.granted as f64 / ours.granting_seconds.max(1e-9);
    println!(
        "\n{:<22} {:>10} {:>10} {:>9} {:>9} {:>8} {:>9} {:>10}",
        "", "answers/s", "granted/s", "p50 ms", "p99 ms", "held", "oversold", "undersold"
    );
    println!(
        "{:<22} {:>10.0} {:>10.0} {:>9.2} {:>9.2} {:>8} {:>9} {:>10}",
        "single writer (ours)",
        holds_per_s,
        granted_per_s,
        quantile(&ours.latencies_ms, 0.5),
        quantile(&ours.latencies_ms, 0.99),
        ours.granted_units,
        a.oversold.max(0),
        undersold
    );
    println!(
        "{:<22} {:>10.0} {:>10} {:>9.2} {:>9.2} {:>8} {:>9} {:>10}",
        "naive (baseline)",
        base.requests as f64 / base.seconds,
        "",
        quantile(&base.latencies_ms, 0.5),
        quantile(&base.latencies_ms, 0.99),
        base_units,
        base_oversold,
        ""
    );
    println!(
        "granted holds {} ({} units), refused {}, failed {}; completed orders {completed} (late payments refused {late_refused}); expired holds {}; final sold {} held {} available {}; ledger ops {}",
        ours.granted,
        ours.granted_units,
        ours.refused,
        ours.failed.len(),
        a.expired_holds,
        a.sold,
        a.held,
        a.available,
        a.ops
    );
    if let Some(e) = ours.failed.first() {
        println!("first failure: {e}");
    }

    let invariants = json!({
        "oversold": a.oversold.max(0),
        "undersold": undersold,
        "duplicates": a.duplicates,
        "ledger_violations": a.violations,
        "failed_requests": ours.failed.len(),
        "held_after_expiry": a.held,
    });
    let ok = a.oversold <= 0
        && undersold == 0
        && a.duplicates == 0
        && a.violations == 0
        && ours.failed.is_empty()
        && a.held == 0
        && a.sold + a.available == quantity
        && base_oversold > 0;
    let report = json!({
        "name": "flash-sale",
        "machine": {"cores": std::thread::available_parallelism().map_or(0, |n| n.get()), "cpu": cpu_model()},
        "params": {
            "buyers": buyers, "quantity": quantity, "concurrency": concurrency,
            "hold_ttl_seconds": ttl, "payments_per_second": pay_rate, "pay_seconds": pay_seconds,
            "naive_buyers": naive_buyers, "naive_quantity": naive_quantity, "smoke": smoke,
            "checkout_sessions": sessions,
        },
        "figures": {
            "holds_per_second": round(holds_per_s),
            "granted_holds_per_second": round(granted_per_s),
            "p50_ms": round(quantile(&ours.latencies_ms, 0.5)),
            "p99_ms": round(quantile(&ours.latencies_ms, 0.99)),
            "granted_p99_ms": round(quantile(&ours.granted_ms, 0.99)),
            "rush_seconds": round(ours.seconds),
            "granted_holds": ours.granted,
            "granted_units": ours.granted_units,
            "refused": ours.refused,
            "completed_orders": completed,
            "late_payments_refused": late_refused,
            "expired_holds": a.expired_holds,
            "sold": a.sold,
            "available_at_end": a.available,
            "ledger_ops": a.ops,
        },
        "baseline": {
            "design": "naive read-then-write on a FerretDB document, behind NATS",
            "buyers": naive_buyers,
            "quantity": naive_quantity,
            "holds_per_second": round(base.requests as f64 / base.seconds),
            "p99_ms": round(quantile(&base.latencies_ms, 0.99)),
            "units_held": base_units,
            "oversold": base_oversold,
        },
        "ratio": {
            "holds_per_second": round(holds_per_s / (base.requests as f64 / base.seconds).max(1e-9)),
        },
        "invariants": invariants,
        "ok": ok,
    });
    let path = write_report("flash-sale", &report);
    println!("ok: {ok}\nwrote {}", path.display());
    if !ok {
        std::process::exit(1);
    }
}
