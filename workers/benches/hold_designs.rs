//! `make bench-hold-designs`: the three candidate designs for holding
//! inventory under a flash crowd, plus a naive baseline, measured side by
//! side on this machine against the real NATS JetStream and FerretDB of the
//! test harness (storage layer only: no NATS request/reply in front).
//!
//! B buyers (`BENCH_BUYERS`, default 5,000) each try once to hold 1 or 2
//! tickets of one tier of Q (`BENCH_QUANTITY`, default 2,600), C at a time
//! (`BENCH_CONCURRENCY`, default 256). Per design: holds/s (answered
//! requests per second, granted or sold out), p50/p99 latency, units held,
//! oversold (held beyond Q, from the ledger: hold records, not counters),
//! and undersold (units left while a buyer was refused for lack of them).
//!
//! - `single-writer`: one task owns the event's [`Book`]; requests queue
//!   to it; each batch is applied in memory and group-committed as one
//!   JetStream message (the ledger) before anyone is answered.
//! - `mongo-buckets`: the tier split over K bucket documents; a hold is a
//!   conditional `$inc` (`available >= n`) on a bucket, then a hold record.
//! - `kv-cas`: K buckets as JetStream KV keys; a hold reads a bucket and
//!   writes it back with compare-and-set on its revision, retrying.
//! - `naive` (baseline): read a bucket document, then write
//!   `available - n` — no condition, so it can oversell.
//!
//! Writes `target/bench/hold-designs.json`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Instant;

use async_nats::jetstream;
use futures::StreamExt;
use mongodb::bson::{Document, doc};
use sellout_workers::inventory::{Book, Done, Op, Refused};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc, oneshot};

mod support;
use support::{cpu_model, env, quantile, round, write_report};

/// What one buyer's attempt got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Held,
    SoldOut,
}

#[derive(Default)]
struct Figures {
    seconds: f64,
    requests: usize,
    held_units: i64,
    refused: usize,
    /// Fewest units a refused buyer wanted (0: nobody refused).
    refused_min_units: i64,
    latencies_ms: Vec<f64>,
    granted_ms: Vec<f64>,
    oversold: i64,
    undersold: i64,
    ledger_units: i64,
}

impl Figures {
    fn quantile(&self, q: f64) -> f64 {
        quantile(&self.latencies_ms, q)
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "holds_per_second": round(self.requests as f64 / self.seconds),
            "p50_ms": round(self.quantile(0.5)),
            "p99_ms": round(self.quantile(0.99)),
            "granted": self.granted_ms.len(),
            "granted_p50_ms": round(quantile(&self.granted_ms, 0.5)),
            "granted_p99_ms": round(quantile(&self.granted_ms, 0.99)),
            "units_answered_held": self.held_units,
            "seconds": round(self.seconds),
            "requests": self.requests,
            "units_held": self.held_units,
            "units_in_ledger": self.ledger_units,
            "buyers_refused": self.refused,
            "oversold": self.oversold,
            "undersold": self.undersold,
        })
    }
}

/// Runs `buyers` attempts, `concurrency` at a time; attempt `i` wants
/// `1 + i % 2` units and calls `hold(i, units)`.
async fn crowd<F, Fut>(buyers: usize, concurrency: usize, hold: F) -> Figures
where
    F: Fn(usize, i64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Answer> + Send,
{
    let hold = Arc::new(hold);
    let gate = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(buyers);
    for i in 0..buyers {
        let (hold, gate) = (hold.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let units = 1 + (i % 2) as i64;
            let t = Instant::now();
            let answer = hold(i, units).await;
            (answer, units, t.elapsed().as_secs_f64() * 1000.0)
        }));
    }
    let mut f = Figures::default();
    for t in tasks {
        let (answer, units, ms) = t.await.unwrap();
        f.requests += 1;
        f.latencies_ms.push(ms);
        match answer {
            Answer::Held => {
                f.held_units += units;
                f.granted_ms.push(ms);
            }
            Answer::SoldOut => {
                f.refused += 1;
                if f.refused_min_units == 0 || units < f.refused_min_units {
                    f.refused_min_units = units;
                }
            }
        }
    }
    f.seconds = started.elapsed().as_secs_f64();
    f.latencies_ms.sort_by(|a, b| a.total_cmp(b));
    f.granted_ms.sort_by(|a, b| a.total_cmp(b));
    f
}

/// Oversold: units granted beyond Q, by the ledger (hold records) or by
/// what buyers were told, whichever is worse. Undersold: units left over
/// while a buyer who wanted no more than that was refused.
fn settle(f: &mut Figures, quantity: i64, ledger_units: i64, left: i64) {
    f.ledger_units = ledger_units;
    f.oversold = (ledger_units.max(f.held_units) - quantity).max(0);
    f.undersold = if f.refused > 0 && left >= f.refused_min_units {
        left
    } else {
        0
    };
}

// ---- single writer with group commit --------------------------------------

struct Request {
    op: Op,
    reply: oneshot::Sender<Result<Done, Refused>>,
}

/// The event's single writer: applies queued requests to the book in
/// batches and appends each batch to the ledger stream before answering.
async fn single_writer(js: jetstream::Context, subject: String, mut rx: mpsc::Receiver<Request>) {
    let mut book = Book::new();
    let mut batch: Vec<Request> = Vec::with_capacity(1024);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < 1024 {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let mut accepted: Vec<&Op> = Vec::with_capacity(batch.len());
        let mut answers = Vec::with_capacity(batch.len());
        for r in &batch {
            let a = book.apply(&r.op);
            if a.is_ok() {
                accepted.push(&r.op);
            }
            answers.push(a);
        }
        if !accepted.is_empty() {
            let payload = serde_json::to_vec(&accepted).unwrap();
            js.publish(subject.clone(), payload.into())
                .await
                .unwrap()
                .await
                .unwrap();
        }
        for (r, a) in batch.drain(..).zip(answers) {
            let _ = r.reply.send(a);
        }
    }
}

async fn bench_single_writer(
    js: &jetstream::Context,
    buyers: usize,
    concurrency: usize,
    quantity: i64,
) -> Figures {
    let stream = js
        .get_or_create_stream(jetstream::stream::Config {
            name: "BENCH_LEDGER".into(),
            subjects: vec!["bench.ledger".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    stream.purge().await.unwrap();
    let (tx, rx) = mpsc::channel::<Request>(65_536);
    tokio::spawn(single_writer(js.clone(), "bench.ledger".into(), rx));
    let (rtx, rrx) = oneshot::channel();
    tx.send(Request {
        op: Op::SetCapacity {
            tier: "ga".into(),
            capacity: quantity,
        },
        reply: rtx,
    })
    .await
    .unwrap();
    rrx.await.unwrap().unwrap();
    let sender = tx.clone();
    let mut f = crowd(buyers, concurrency, move |i, units| {
        let tx = sender.clone();
        async move {
            let (reply, answer) = oneshot::channel();
            tx.send(Request {
                op: Op::Hold {
                    hold: format!("b{i}"),
                    tier: "ga".into(),
                    quantity: units,
                    expires_at: i64::MAX,
                    owners: vec![],
                },
                reply,
            })
            .await
            .unwrap();
            match answer.await.unwrap() {
                Ok(_) => Answer::Held,
                Err(_) => Answer::SoldOut,
            }
        }
    })
    .await;
    drop(tx);
    // The ledger, read back from the stream, replays to a checked book.
    let mut ops: Vec<Op> = Vec::new();
    let consumer = stream
        .create_consumer(jetstream::consumer::pull::Config {
            ..Default::default()
        })
        .await
        .unwrap();
    let info = stream.get_info().await.unwrap();
    let mut messages = consumer
        .fetch()
        .max_messages(info.state.messages as usize)
        .messages()
        .await
        .unwrap();
    let mut read = 0u64;
    while let Some(m) = messages.next().await {
        let m = m.unwrap();
        read += 1;
        ops.extend(serde_json::from_slice::<Vec<Op>>(&m.payload).unwrap());
    }
    assert_eq!(read, info.state.messages, "the whole ledger was read back");
    let book = Book::replay(&ops);
    book.check()
        .expect("the replayed ledger keeps every invariant");
    let s = book.stock("ga").unwrap();
    settle(&mut f, quantity, s.held, s.available);
    f
}

// ---- MongoDB (FerretDB) bucketed conditional $inc --------------------------

async fn bench_mongo(
    db: &mongodb::Database,
    buyers: usize,
    concurrency: usize,
    quantity: i64,
    buckets: i64,
    naive: bool,
) -> Figures {
    let name = if naive {
        "bench_naive"
    } else {
        "bench_buckets"
    };
    let inv = db.collection::<Document>(&format!("{name}_inventory"));
    let holds = db.collection::<Document>(&format!("{name}_holds"));
    inv.drop().await.unwrap();
    holds.drop().await.unwrap();
    for k in 0..buckets {
        let share = quantity / buckets + i64::from(k < quantity % buckets);
        inv.insert_one(doc! {"_id": k, "available": share})
            .await
            .unwrap();
    }
    let (inv2, holds2) = (inv.clone(), holds.clone());
    let mut f = crowd(buyers, concurrency, move |i, units| {
        let (inv, holds) = (inv2.clone(), holds2.clone());
        async move {
            let start = (i as i64) % buckets;
            for step in 0..buckets {
                let k = (start + step) % buckets;
                let took = if naive {
                    let d = inv.find_one(doc! {"_id": k}).await.unwrap().unwrap();
                    let available = d.get_i64("available").unwrap_or(0);
                    if available >= units {
                        inv.update_one(
                            doc! {"_id": k},
                            doc! {"$set": {"available": available - units}},
                        )
                        .await
                        .unwrap();
                        true
                    } else {
                        false
                    }
                } else {
                    inv.find_one_and_update(
                        doc! {"_id": k, "available": {"$gte": units}},
                        doc! {"$inc": {"available": -units}},
                    )
                    .await
                    .unwrap()
                    .is_some()
                };
                if took {
                    holds
                        .insert_one(doc! {"_id": format!("b{i}"), "bucket": k, "units": units})
                        .await
                        .unwrap();
                    return Answer::Held;
                }
            }
            Answer::SoldOut
        }
    })
    .await;
    let mut ledger = 0;
    let mut cursor = holds.find(doc! {}).await.unwrap();
    while let Some(d) = cursor.next().await {
        ledger += d.unwrap().get_i64("units").unwrap_or(0);
    }
    let mut left = 0;
    let mut cursor = inv.find(doc! {}).await.unwrap();
    while let Some(d) = cursor.next().await {
        left += d.unwrap().get_i64("available").unwrap_or(0);
    }
    settle(&mut f, quantity, ledger, left);
    f
}

// ---- JetStream KV compare-and-set per bucket -------------------------------

async fn bench_kv(
    js: &jetstream::Context,
    buyers: usize,
    concurrency: usize,
    quantity: i64,
    buckets: i64,
) -> Figures {
    let _ = js.delete_key_value("BENCH_INV").await;
    let kv = js
        .create_key_value(jetstream::kv::Config {
            bucket: "BENCH_INV".into(),
            history: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    for k in 0..buckets {
        let share = quantity / buckets + i64::from(k < quantity % buckets);
        kv.put(format!("ga.{k}"), share.to_string().into())
            .await
            .unwrap();
    }
    let ledger = Arc::new(AtomicI64::new(0));
    let retries = Arc::new(AtomicUsize::new(0));
    let (kv2, ledger2, retries2) = (kv.clone(), ledger.clone(), retries.clone());
    let mut f = crowd(buyers, concurrency, move |i, units| {
        let (kv, ledger, retries) = (kv2.clone(), ledger2.clone(), retries2.clone());
        async move {
            let start = (i as i64) % buckets;
            for step in 0..buckets {
                let key = format!("ga.{}", (start + step) % buckets);
                loop {
                    let e = kv.entry(key.clone()).await.unwrap().unwrap();
                    let available: i64 = std::str::from_utf8(&e.value).unwrap().parse().unwrap();
                    if available < units {
                        break;
                    }
                    let new = (available - units).to_string();
                    match kv.update(&key, new.into(), e.revision).await {
                        Ok(_) => {
                            ledger.fetch_add(units, Ordering::Relaxed);
                            return Answer::Held;
                        }
                        Err(_) => {
                            retries.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            Answer::SoldOut
        }
    })
    .await;
    let mut left = 0;
    for k in 0..buckets {
        let e = kv.entry(format!("ga.{k}")).await.unwrap().unwrap();
        left += std::str::from_utf8(&e.value)
            .unwrap()
            .parse::<i64>()
            .unwrap();
    }
    eprintln!(
        "kv-cas: {} compare-and-set retries",
        retries.load(Ordering::Relaxed)
    );
    // The KV design keeps no per-hold ledger here: counted from the
    // successful writes (a real one would append hold records too).
    settle(&mut f, quantity, ledger.load(Ordering::Relaxed), left);
    f
}

#[tokio::main]
async fn main() {
    // `cargo test` runs benches without --bench: a small smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let buyers = env("BENCH_BUYERS", if smoke { 300 } else { 5_000 });
    let quantity = env("BENCH_QUANTITY", if smoke { 150 } else { 2_600 }) as i64;
    let concurrency = env("BENCH_CONCURRENCY", if smoke { 32 } else { 256 });
    let buckets = env("BENCH_BUCKETS", 16) as i64;
    println!(
        "hold-designs: {buyers} buyers, {quantity} tickets, {concurrency} at a time, {buckets} buckets"
    );
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let db = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("bench");

    let mut results: Vec<(&str, Figures)> = Vec::new();
    results.push((
        "single-writer",
        bench_single_writer(&js, buyers, concurrency, quantity).await,
    ));
    results.push((
        "mongo-buckets",
        bench_mongo(&db, buyers, concurrency, quantity, buckets, false).await,
    ));
    results.push((
        "kv-cas",
        bench_kv(&js, buyers, concurrency, quantity, buckets).await,
    ));
    results.push((
        "naive (baseline)",
        bench_mongo(&db, buyers, concurrency, quantity, buckets, true).await,
    ));

    println!(
        "\n{:<18} {:>10} {:>9} {:>9} {:>11} {:>8} {:>9} {:>10}",
        "design", "answers/s", "p50 ms", "p99 ms", "granted p99", "held", "oversold", "undersold"
    );
    for (name, f) in &results {
        println!(
            "{:<18} {:>10.0} {:>9.2} {:>9.2} {:>11.2} {:>8} {:>9} {:>10}",
            name,
            f.requests as f64 / f.seconds,
            f.quantile(0.5),
            f.quantile(0.99),
            quantile(&f.granted_ms, 0.99),
            f.ledger_units,
            f.oversold,
            f.undersold
        );
    }
    let designs: HashMap<&str, serde_json::Value> =
        results.iter().map(|(n, f)| (*n, f.json())).collect();
    let exact = results
        .iter()
        .filter(|(n, _)| !n.starts_with("naive"))
        .all(|(_, f)| f.oversold == 0 && f.undersold == 0);
    let report = json!({
        "name": "hold-designs",
        "machine": {"cores": std::thread::available_parallelism().map_or(0, |n| n.get()), "cpu": cpu_model()},
        "params": {"buyers": buyers, "quantity": quantity, "concurrency": concurrency, "buckets": buckets, "smoke": smoke},
        "designs": designs,
        "baseline_is": "naive read-then-write on bucket documents (no condition)",
        "invariants": {"designs_exact": exact},
        "ok": exact,
    });
    let path = write_report("hold-designs", &report);
    println!("ok: {exact}\nwrote {}", path.display());
    if !exact {
        std::process::exit(1);
    }
}
