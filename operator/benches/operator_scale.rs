//! `make bench-operator-scale`: how fast the operator brings many Events to
//! Ready on a real API server, what it costs, and that it then stays quiet.
//!
//! Creates `BENCH_EVENTS` Events (default 200) with 3 tiers each (16 at a
//! time; both times are reported from the start of creation), runs the
//! operator binary (objects only: Kubernetes runtime, no kubelet, no data
//! plane), and measures the time until every Event is Ready, the
//! operator's CPU seconds and peak memory, API writes per Event, and the
//! writes during `BENCH_IDLE_SECONDS` (default 60) with nothing changing.
//! The baseline is the same operator with `--naive-writes` (no change
//! detection), run the same way in a fresh API server. Prints a table and
//! writes `target/bench/operator-scale.json`; exits non-zero when an
//! invariant (idle writes, Events not Ready) is violated.

use sellout_e2e::cpu_model;
use std::time::{Duration, Instant};

use kube::api::{Api, ListParams, PostParams};
use sellout_crds::{Event, TicketTier, Venue};
use serde_json::json;

const NS: &str = "bench";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Figures {
    seconds_to_create: f64,
    seconds_to_ready: f64,
    ready: usize,
    cpu_seconds: f64,
    peak_rss_mib: f64,
    writes_per_event: f64,
    idle_writes: u64,
}

#[allow(unsafe_code)] // sysconf(_SC_CLK_TCK)
fn proc_cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks / hz
}

fn proc_peak_rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn writes(metrics_url: &str) -> u64 {
    writes_by_kind(metrics_url).await.values().sum()
}

/// API writes per `kind verb` (e.g. `Deployment apply`), from the
/// operator's metrics.
async fn writes_by_kind(metrics_url: &str) -> std::collections::BTreeMap<String, u64> {
    let text = reqwest::get(metrics_url)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let label = |l: &str, k: &str| {
        let start = l.find(&format!("{k}=\""))? + k.len() + 2;
        Some(l[start..].split('"').next()?.to_owned())
    };
    let mut out = std::collections::BTreeMap::new();
    for l in text
        .lines()
        .filter(|l| l.starts_with("sellout_operator_api_writes_total{"))
    {
        let key = format!(
            "{} {}",
            label(l, "kind").unwrap_or_default(),
            label(l, "verb").unwrap_or_default()
        );
        let n = l
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        *out.entry(key).or_default() += n;
    }
    out
}

async fn run(events: usize, idle: Duration, naive: bool) -> Figures {
    let dir = std::env::temp_dir().join(format!(
        "sellout-bench-operator-{}-{naive}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let kube = sellout_e2e::KubeApi::start(&dir.join("kube"), sellout_e2e::kube_api::Ports::free())
        .await
        .expect("start the API server");
    let crds = concat!(env!("CARGO_MANIFEST_DIR"), "/../charts/sellout/crds");
    let ok = kube
        .kubectl()
        .unwrap()
        .args(["apply", "--server-side", "-f", crds])
        .status()
        .unwrap();
    assert!(ok.success());
    let ok = kube
        .kubectl()
        .unwrap()
        .args([
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/events.sellout.io",
            "crd/tickettiers.sellout.io",
            "crd/venues.sellout.io",
        ])
        .status()
        .unwrap();
    assert!(ok.success());
    let ok = kube
        .kubectl()
        .unwrap()
        .args(["create", "namespace", NS])
        .status()
        .unwrap();
    assert!(ok.success());

    let port = sellout_e2e::free_port().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-operator"));
    cmd.env("KUBECONFIG", kube.kubeconfig())
        .env("RUST_LOG", "warn")
        .args([
            "--no-leader-election",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ]);
    if naive {
        cmd.arg("--naive-writes");
    }
    let op =
        sellout_e2e::process::Process::spawn("sellout-operator", cmd, &dir.join("operator.log"))
            .unwrap();
    let metrics = format!("http://127.0.0.1:{port}/metrics");

    let client = kube.client().await.unwrap();
    let venues: Api<Venue> = Api::namespaced(client.clone(), NS);
    let venue: Venue = serde_json::from_value(json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "Venue",
        "metadata": {"name": "arena", "namespace": NS},
        "spec": {"displayName": "Arena", "address": {"line1": "1 Way", "city": "Leeds", "country": "GB"},
                 "timezone": "Europe/London", "capacity": 20000,
                 "sections": [{"name": "floor", "generalAdmission": {"capacity": 20000}}]}
    }))
    .unwrap();
    venues.create(&PostParams::default(), &venue).await.unwrap();

    let started = Instant::now();
    let eapi: Api<Event> = Api::namespaced(client.clone(), NS);
    let tapi: Api<TicketTier> = Api::namespaced(client.clone(), NS);
    use futures::StreamExt;
    futures::stream::iter(0..events)
        .for_each_concurrent(16, |i| {
            let (eapi, tapi) = (eapi.clone(), tapi.clone());
            async move {
                let name = format!("show-{i:05}");
                let ev: Event = serde_json::from_value(json!({
                    "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
                    "metadata": {"name": name, "namespace": NS},
                    "spec": {"title": format!("Show {i}"), "venueRef": {"name": "arena"}, "currency": "GBP",
                             "state": "Published",
                             "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}],
                             "onSaleAt": "2027-02-01T10:00:00Z"}
                }))
                .unwrap();
                eapi.create(&PostParams::default(), &ev).await.unwrap();
                for (t, price) in [("ga", 2500), ("vip", 9000), ("parking", 1500)] {
                    let tier: TicketTier = serde_json::from_value(json!({
                        "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
                        "metadata": {"name": format!("{name}-{t}"), "namespace": NS},
                        "spec": {"eventRef": {"name": name}, "displayName": t,
                                 "kind": if t == "parking" { "AddOn" } else { "Admission" },
                                 "price": {"amountMinor": price, "currency": "GBP"}, "quantity": 500}
                    }))
                    .unwrap();
                    tapi.create(&PostParams::default(), &tier).await.unwrap();
                }
            }
        })
        .await;
    let seconds_to_create = started.elapsed().as_secs_f64();

    let deadline = started + Duration::from_secs(600);
    let mut ready = 0;
    while Instant::now() < deadline {
        let list = eapi.list(&ListParams::default()).await.unwrap();
        ready = list
            .items
            .iter()
            .filter(|e| {
                e.status.as_ref().is_some_and(|s| {
                    s.capacity == Some(1000)
                        && s.conditions
                            .iter()
                            .any(|c| c.type_ == "Ready" && c.status == "True")
                })
            })
            .count();
        if ready == events {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let seconds_to_ready = started.elapsed().as_secs_f64();
    // Let in-flight reconciles finish before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let by_kind = writes_by_kind(&metrics).await;
    let total: u64 = by_kind.values().sum();
    eprintln!(
        "API writes by kind ({}): {by_kind:?}",
        if naive { "naive" } else { "sellout" }
    );
    let idle_start = writes(&metrics).await;
    tokio::time::sleep(idle).await;
    let idle_writes = writes(&metrics).await - idle_start;
    let figures = Figures {
        seconds_to_create,
        seconds_to_ready,
        ready,
        cpu_seconds: proc_cpu_seconds(op.pid()),
        peak_rss_mib: proc_peak_rss_mib(op.pid()),
        writes_per_event: total as f64 / events as f64,
        idle_writes,
    };
    op.stop(Duration::from_secs(5));
    kube.stop();
    drop(kube);
    let _ = std::fs::remove_dir_all(&dir);
    figures
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this
    // binary without it: then a 3-event smoke run checks the benchmark
    // still works, without the baseline and without writing figures.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let events = if smoke {
        3
    } else {
        env_num("BENCH_EVENTS", 200) as usize
    };
    let idle = Duration::from_secs(if smoke {
        1
    } else {
        env_num("BENCH_IDLE_SECONDS", 60)
    });
    let skip_baseline = smoke || std::env::var("BENCH_SKIP_BASELINE").is_ok_and(|v| v == "1");
    eprintln!(
        "operator-scale: {events} events x 3 tiers, idle {}s",
        idle.as_secs()
    );
    let ours = run(events, idle, false).await;
    let base = if skip_baseline {
        None
    } else {
        Some(run(events, idle, true).await)
    };

    let as_json = |f: &Figures| {
        json!({
            "seconds_to_create_objects": (f.seconds_to_create * 100.0).round() / 100.0,
            "seconds_to_ready": (f.seconds_to_ready * 100.0).round() / 100.0,
            "events_ready": f.ready,
            "events_per_second": ((f.ready as f64 / f.seconds_to_ready) * 10.0).round() / 10.0,
            "operator_cpu_seconds": (f.cpu_seconds * 100.0).round() / 100.0,
            "operator_peak_rss_mib": (f.peak_rss_mib * 10.0).round() / 10.0,
            "api_writes_per_event": (f.writes_per_event * 100.0).round() / 100.0,
            "idle_writes": f.idle_writes,
        })
    };
    let ratio = base.as_ref().map(|b| {
        json!({
            "seconds_to_ready": (ours.seconds_to_ready / b.seconds_to_ready * 100.0).round() / 100.0,
            "api_writes_per_event": (ours.writes_per_event / b.writes_per_event.max(1e-9) * 100.0).round() / 100.0,
            "operator_cpu_seconds": (ours.cpu_seconds / b.cpu_seconds.max(1e-9) * 100.0).round() / 100.0,
        })
    });
    let not_ready = events - ours.ready;
    let ok = ours.idle_writes == 0 && not_ready == 0;
    let report = json!({
        "name": "operator-scale",
        "machine": {"cores": std::thread::available_parallelism().map_or(0, |n| n.get()), "cpu": cpu_model()},
        "params": {"events": events, "tiers_per_event": 3, "idle_seconds": idle.as_secs(), "runtime": "kubernetes (objects only)"},
        "figures": as_json(&ours),
        "baseline": base.as_ref().map(as_json).unwrap_or(json!(null)),
        "baseline_is": "the same operator with --naive-writes (no change detection)",
        "ratio": ratio.unwrap_or(json!(null)),
        "invariants": {"idle_writes": ours.idle_writes, "events_not_ready": not_ready},
        "ok": ok,
    });

    println!("\noperator-scale ({events} events, 3 tiers each)");
    println!(
        "{:<26} {:>14} {:>14}",
        "figure", "sellout", "naive baseline"
    );
    let rows = [
        (
            "seconds to all Ready",
            ours.seconds_to_ready,
            base.as_ref().map(|b| b.seconds_to_ready),
        ),
        (
            "operator CPU seconds",
            ours.cpu_seconds,
            base.as_ref().map(|b| b.cpu_seconds),
        ),
        (
            "operator peak RSS MiB",
            ours.peak_rss_mib,
            base.as_ref().map(|b| b.peak_rss_mib),
        ),
        (
            "API writes per event",
            ours.writes_per_event,
            base.as_ref().map(|b| b.writes_per_event),
        ),
        (
            "writes while idle",
            ours.idle_writes as f64,
            base.as_ref().map(|b| b.idle_writes as f64),
        ),
    ];
    for (name, a, b) in rows {
        let b = b.map_or("-".to_owned(), |b| format!("{b:.2}"));
        println!("{name:<26} {a:>14.2} {b:>14}");
    }
    println!("ok: {ok}");
    if smoke {
        assert!(ok, "operator-scale smoke run failed: {report}");
        return;
    }
    let out = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench"));
    std::fs::create_dir_all(out).unwrap();
    let path = out.join("operator-scale.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    println!("wrote {}", path.display());
    if !ok {
        std::process::exit(1);
    }
}
