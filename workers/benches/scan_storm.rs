//! `make bench-scan-storm`: the doors open on a sold-out show.
//!
//! T signed tickets (`BENCH_TICKETS`, default 20,000) of one event whose
//! day is on now; 20 gates (`BENCH_GATES`) with `BENCH_DEVICES` scanners
//! each (default 5) scan them over NATS against the real `sellout-worker`
//! in its scan role (its Event read from a real API server, its check-in
//! ledger and revocations in NATS JetStream). One in five tickets is
//! scanned again at another gate at the same moment (a friend passing the
//! ticket back, two lanes racing); 1 % are revoked (refunded before the
//! doors opened) and 1 % of scans are forgeries signed with another key.
//!
//! Then T/4 more tickets (one in five again scanned twice at once) at a
//! steady `BENCH_PACED_RATE` (default 1,000 scans/s; a door of 20 gates
//! sees far less): the latency a scanner sees when the workers are not
//! saturated.
//!
//! Figures: scans/s, p50/p99 scan latency, and offline verifications per
//! second on one core (the scanner app's and the worker's signature check,
//! `Verifier::verify`). Invariants, from the answers and from the ledger
//! on the stream: double admissions, forged admitted, revoked admitted,
//! genuine tickets never admitted.
//!
//! Baseline, in the same run with the same scans: a naive NATS responder
//! that reads the ticket's last record and appends an admission when
//! there is none (read-then-write, no condition). It must double-admit.
//!
//! Writes `target/bench/scan-storm.json`; exits non-zero when an invariant
//! is broken or the baseline fails to show its double admissions.

use std::collections::HashMap;
use std::num::NonZeroU8;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use futures::StreamExt;
use prost::Message;
use sellout_client::ScanClient;
use sellout_common::names::Names;
use sellout_common::proto::v1::{CheckedIn, ScanOutcome, ScanRequest, TicketsRevoked};
use sellout_workers::ticket::{KeyId, Signer, TicketClaims, TierHash, ValidDays, Verifier};
use serde_json::json;

mod support;
use support::{cpu_model, env, quantile, round, write_report};

/// One scan to make.
#[derive(Clone)]
struct Scan {
    ticket: usize,
    code: Arc<str>,
}

/// What a storm found.
#[derive(Default)]
struct Storm {
    seconds: f64,
    scans: usize,
    latencies_ms: Vec<f64>,
    admitted: HashMap<usize, usize>,
    failed: Vec<String>,
}

/// Runs `scans` through `scan`, `lanes` at a time, in order (a ticket's
/// repeats sit next to each other, so they race): as fast as answers
/// come, or (`rate`) scan `i` no earlier than `i / rate` seconds in.
async fn storm<F, Fut>(
    scans: Arc<Vec<Scan>>,
    lanes: usize,
    gates: usize,
    rate: Option<f64>,
    scan: F,
) -> Storm
where
    F: Fn(Scan, String) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = Result<ScanOutcome, String>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..lanes)
        .map(|lane| {
            let (scans, next, scan) = (scans.clone(), next.clone(), scan.clone());
            tokio::spawn(async move {
                let gate = format!("gate-{}", lane % gates);
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(s) = scans.get(i) else { break };
                    if let Some(rate) = rate {
                        let due = started + Duration::from_secs_f64(i as f64 / rate);
                        tokio::time::sleep_until(due.into()).await;
                    }
                    let t = Instant::now();
                    let r = scan(s.clone(), gate.clone()).await;
                    out.push((s.ticket, r, t.elapsed().as_secs_f64() * 1000.0));
                }
                out
            })
        })
        .collect();
    let mut st = Storm::default();
    for t in tasks {
        for (ticket, r, ms) in t.await.unwrap() {
            st.scans += 1;
            st.latencies_ms.push(ms);
            match r {
                Ok(ScanOutcome::Admit) => *st.admitted.entry(ticket).or_default() += 1,
                Ok(_) => {}
                Err(e) => st.failed.push(e),
            }
        }
    }
    st.seconds = started.elapsed().as_secs_f64();
    st.latencies_ms.sort_by(f64::total_cmp);
    st
}

/// The naive baseline: reads the ticket's last record on its own subject
/// and, when there is none, appends an admission; no condition on the
/// append, so two scans reading at once both admit.
async fn naive_responder(nats: async_nats::Client, names: Names, verifier: Arc<Verifier>) {
    let js = async_nats::jetstream::new(nats.clone());
    // Its own stream, one subject per ticket as ours.
    let prefix = format!("storm.naive.{}", std::process::id());
    let stream = js
        .get_or_create_stream(async_nats::jetstream::stream::Config {
            name: format!("storm-naive-{}", std::process::id()),
            subjects: vec![format!("{prefix}.>")],
            ..Default::default()
        })
        .await
        .unwrap();
    let mut sub = nats
        .queue_subscribe(names.subject("rpc.naive.admit"), "naive".into())
        .await
        .unwrap();
    while let Some(m) = sub.next().await {
        let (nats, js, stream, prefix, verifier) = (
            nats.clone(),
            js.clone(),
            stream.clone(),
            prefix.clone(),
            verifier.clone(),
        );
        tokio::spawn(async move {
            let req = ScanRequest::decode(m.payload.as_ref()).unwrap();
            let outcome = match verifier.verify(&req.code) {
                Err(_) => ScanOutcome::Invalid,
                Ok(c) => {
                    let subject = format!("{prefix}.{}", c.ticket);
                    match stream.get_last_raw_message_by_subject(&subject).await {
                        Ok(_) => ScanOutcome::AlreadyScanned,
                        Err(_) => {
                            let record = CheckedIn {
                                ticket_id: c.ticket.to_string(),
                                gate: req.gate,
                                ..Default::default()
                            };
                            js.publish(subject, record.encode_to_vec().into())
                                .await
                                .unwrap()
                                .await
                                .unwrap();
                            ScanOutcome::Admit
                        }
                    }
                }
            };
            if let Some(reply) = m.reply {
                let _ = nats.publish(reply, vec![outcome as u8].into()).await;
            }
        });
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo test` runs benches without --bench: a small smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let tickets = env("BENCH_TICKETS", if smoke { 500 } else { 20_000 });
    let gates = env("BENCH_GATES", 20);
    let devices = env("BENCH_DEVICES", 5);
    let lanes = gates * devices;
    let rate = env("BENCH_PACED_RATE", 1_000) as f64;
    println!(
        "scan-storm: {tickets} tickets, {gates} gates x {devices} scanners, 1 in 5 scanned twice at once, 1 % revoked, 1 % forged"
    );
    let now = jiff::Timestamp::now();
    let at = |h: i64| (now + jiff::SignedDuration::from_hours(h)).to_string();
    let days = json!([{"doorsAt": at(-1), "startsAt": at(0), "endsAt": at(4)}]);
    let (names, ns, uid) = support::stage("storm", "Scan storm", days, 100_000).await;
    let event: uuid::Uuid = uid.parse().unwrap();

    // Tickets as the checkout signs them, and the forger's.
    let key = SigningKey::from_bytes(&[42; 32]);
    let keys = sellout_e2e::run_dir().join("scan-storm").join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    std::fs::write(
        keys.join("1.pem"),
        key.to_pkcs8_pem(LineEnding::LF).unwrap().as_bytes(),
    )
    .unwrap();
    std::fs::write(keys.join("current"), "1\n").unwrap();
    let signer = Signer::new(KeyId(1), key);
    let forger = Signer::new(KeyId(1), SigningKey::from_bytes(&[7; 32]));
    let claims = |ticket: uuid::Uuid| TicketClaims {
        event,
        ticket,
        tier: TierHash::of("ga"),
        days: ValidDays::from_days([1]).unwrap(),
        admits: NonZeroU8::new(1).unwrap(),
    };
    let ids: Vec<uuid::Uuid> = (0..tickets).map(|_| uuid::Uuid::new_v4()).collect();
    let codes: Vec<String> = ids.iter().map(|t| signer.sign(&claims(*t))).collect();
    // Forgeries are numbered after the genuine tickets.
    let forged: Vec<String> = (0..tickets / 100)
        .map(|_| forger.sign(&claims(uuid::Uuid::new_v4())))
        .collect();
    let revoked: Vec<usize> = (0..tickets).step_by(100).collect();

    // Offline verification on one core.
    let mut verifier = Verifier::new();
    verifier.insert(KeyId(1), signer.verifying_key());
    let verifier = Arc::new(verifier);
    let t = Instant::now();
    let mut ok = 0usize;
    for c in &codes {
        ok += usize::from(verifier.verify(c).is_ok());
    }
    let verify_per_s = codes.len() as f64 / t.elapsed().as_secs_f64();
    assert_eq!(ok, codes.len());

    // Refunds before the doors open.
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    js.publish(
        names.subject("revocations"),
        TicketsRevoked {
            order_id: "refunds".into(),
            ticket_ids: revoked.iter().map(|i| ids[*i].to_string()).collect(),
            reason: "refund".into(),
            at_ms: 1,
            reinstated: false,
        }
        .encode_to_vec()
        .into(),
    )
    .await
    .unwrap()
    .await
    .unwrap();

    // The scans: each ticket once, one in five twice in a row (racing);
    // a forgery every 100 scans.
    let mut scans = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let code: Arc<str> = code.as_str().into();
        scans.push(Scan {
            ticket: i,
            code: code.clone(),
        });
        if i.is_multiple_of(5) {
            scans.push(Scan { ticket: i, code });
        }
        if i % 100 == 50 {
            scans.push(Scan {
                ticket: tickets + i / 100,
                code: forged[i / 100].as_str().into(),
            });
        }
    }
    let scans = Arc::new(scans);
    // The paced run's own tickets (so it admits, not only repeats), one
    // in five scanned twice at once.
    let fresh = (tickets / 4).max(1);
    let paced_scans: Vec<Scan> = (0..fresh)
        .flat_map(|i| {
            let code: Arc<str> = signer.sign(&claims(uuid::Uuid::new_v4())).into();
            let n = if i.is_multiple_of(5) { 2 } else { 1 };
            (0..n).map(move |_| Scan {
                ticket: i,
                code: code.clone(),
            })
        })
        .collect();
    let paced_scans = Arc::new(paced_scans);

    let keys_env = [("SELLOUT_TICKET_KEYS_DIR", keys.display().to_string())];
    let worker = support::start_worker(
        env!("CARGO_BIN_EXE_sellout-worker"),
        "scan-storm",
        "scan",
        &ns,
        "storm-0",
        &keys_env,
    )
    .await;
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let mut door = ScanClient::new(nats.clone(), names.clone());
    door.deadline = Duration::from_secs(30);
    let ready_by = Instant::now() + Duration::from_secs(60);
    while door.counts().await.is_err() {
        assert!(
            Instant::now() < ready_by,
            "worker not ready:\n{}",
            worker.tail(30)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let d = door.clone();
    let ours_scan = move |s: Scan, gate: String| {
        let d = d.clone();
        async move {
            d.scan(ScanRequest {
                scan_id: uuid::Uuid::new_v4().to_string(),
                code: s.code.to_string(),
                gate,
                device: "bench".into(),
                staff: "bench".into(),
                ..Default::default()
            })
            .await
            .map(|r| r.outcome())
            .map_err(|e| format!("{:?}: {}", e.code(), e.message))
        }
    };
    let ours = storm(scans.clone(), lanes, gates, None, ours_scan.clone()).await;
    // The same door at a steady pace, with tickets of its own: the
    // latency a scanner sees when the workers are not saturated.
    let paced = storm(paced_scans.clone(), lanes, gates, Some(rate), ours_scan).await;
    // The ledger: admission records per ticket on the stream.
    let stream = js.get_stream(&names.stream).await.unwrap();
    let consumer = stream
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
            filter_subject: names.checkins(),
            ..Default::default()
        })
        .await
        .unwrap();
    let pending = consumer.clone().info().await.unwrap().num_pending;
    let mut records: HashMap<String, usize> = HashMap::new();
    let mut messages = consumer.messages().await.unwrap();
    for _ in 0..pending {
        let m = messages.next().await.unwrap().unwrap();
        let r = CheckedIn::decode(m.payload.as_ref()).unwrap();
        *records.entry(r.ticket_id).or_default() += 1;
    }
    worker.stop(Duration::from_secs(5));

    // The baseline with the same scans.
    tokio::spawn(naive_responder(
        nats.clone(),
        names.clone(),
        verifier.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let subject = names.subject("rpc.naive.admit");
    let base = storm(scans.clone(), lanes, gates, None, move |s, gate| {
        let (nats, subject) = (nats.clone(), subject.clone());
        async move {
            let req = ScanRequest {
                code: s.code.to_string(),
                gate,
                ..Default::default()
            };
            let r = nats
                .request(subject, req.encode_to_vec().into())
                .await
                .map_err(|e| e.to_string())?;
            Ok(ScanOutcome::try_from(i32::from(r.payload[0])).unwrap_or(ScanOutcome::Invalid))
        }
    })
    .await;

    let is_revoked = |i: usize| i < tickets && i.is_multiple_of(100);
    let double = |s: &Storm| s.admitted.values().filter(|n| **n > 1).count();
    let forged_admitted = ours.admitted.keys().filter(|i| **i >= tickets).count();
    let revoked_admitted = ours.admitted.keys().filter(|i| is_revoked(**i)).count();
    let never_admitted = (0..tickets)
        .filter(|i| !is_revoked(*i) && !ours.admitted.contains_key(i))
        .count();
    let ledger_double = records.values().filter(|n| **n > 1).count();
    let base_double = double(&base);

    let row = |name: &str, s: &Storm, doubles: usize| {
        println!(
            "{:<26} {:>9.0} {:>9.2} {:>9.2} {:>9} {:>14}",
            name,
            s.scans as f64 / s.seconds,
            quantile(&s.latencies_ms, 0.5),
            quantile(&s.latencies_ms, 0.99),
            s.admitted.values().sum::<usize>(),
            doubles
        );
    };
    println!(
        "\n{:<26} {:>9} {:>9} {:>9} {:>9} {:>14}",
        "", "scans/s", "p50 ms", "p99 ms", "admitted", "double admits"
    );
    row("compare-and-set (ours)", &ours, double(&ours));
    row(&format!("  paced at {rate:.0}/s"), &paced, double(&paced));
    row("naive read-then-write", &base, base_double);
    println!(
        "offline verifications: {verify_per_s:.0}/s on one core; forged admitted {forged_admitted}, revoked admitted {revoked_admitted}, genuine never admitted {never_admitted}, ledger double records {ledger_double}, failed scans {}",
        ours.failed.len()
    );
    if let Some(e) = ours.failed.first() {
        println!("first failure: {e}");
    }

    let invariants = json!({
        "double_admits": double(&ours),
        "ledger_double_records": ledger_double,
        "forged_admitted": forged_admitted,
        "revoked_admitted": revoked_admitted,
        "genuine_never_admitted": never_admitted,
        "failed_scans": ours.failed.len() + paced.failed.len(),
        "paced_double_admits": double(&paced),
        "paced_never_admitted": fresh - paced.admitted.len(),
    });
    let report = json!({
        "benchmark": "scan-storm",
        "machine": {"cpu": cpu_model(), "cores": std::thread::available_parallelism().map_or(0, |n| n.get())},
        "parameters": {"tickets": tickets, "gates": gates, "scanners_per_gate": devices,
                       "scans": scans.len(), "repeat_share": 0.2, "revoked": revoked.len(), "forged": forged.len()},
        "ours": {"design": "per-ticket subject, compare-and-set append (Nats-Expected-Last-Subject-Sequence)",
                 "scans_per_s": round(ours.scans as f64 / ours.seconds),
                 "p50_ms": round(quantile(&ours.latencies_ms, 0.5)),
                 "p99_ms": round(quantile(&ours.latencies_ms, 0.99)),
                 "admitted": ours.admitted.values().sum::<usize>(),
                 "paced": {"rate_per_s": rate,
                           "scans_per_s": round(paced.scans as f64 / paced.seconds),
                           "p50_ms": round(quantile(&paced.latencies_ms, 0.5)),
                           "p99_ms": round(quantile(&paced.latencies_ms, 0.99)),
                           "tickets": fresh, "scans": paced_scans.len(),
                           "admitted": paced.admitted.values().sum::<usize>()}},
        "offline_verifications_per_s_per_core": round(verify_per_s),
        "invariants": invariants,
        "baseline": {"design": "naive read-then-write (no condition)",
                     "scans_per_s": round(base.scans as f64 / base.seconds),
                     "p50_ms": round(quantile(&base.latencies_ms, 0.5)),
                     "p99_ms": round(quantile(&base.latencies_ms, 0.99)),
                     "double_admits": base_double},
    });
    let path = write_report("scan-storm", &report);
    println!("wrote {}", path.display());
    let broken = invariants
        .as_object()
        .unwrap()
        .values()
        .any(|v| v.as_u64() != Some(0));
    if broken {
        eprintln!("an invariant is broken: {invariants}");
        std::process::exit(1);
    }
    // The smoke run (`cargo test`) is too small to be sure of a race.
    if base_double == 0 && !smoke {
        eprintln!("the naive baseline admitted nobody twice: the race was not exercised");
        std::process::exit(1);
    }
}
