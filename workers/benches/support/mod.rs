//! What the worker benchmarks share: parameters from the environment,
//! quantiles, the machine's description and the report file.

#![allow(dead_code)]

use std::path::PathBuf;

use kube::api::{Api, PostParams};
use sellout_common::names::{Names, stream_config};
use sellout_common::process::Process;
use sellout_crds::{Event, TicketTier};
use serde_json::json;

/// `name` from the environment as a number, or `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The `q` quantile of sorted values (0 when empty).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Rounded to two decimals.
pub fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub use sellout_e2e::cpu_model;

/// Writes `target/bench/<name>.json`; returns its path.
pub fn write_report(name: &str, report: &serde_json::Value) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(report).unwrap()).unwrap();
    path
}

/// The stage of a benchmark: API server with the CRDs, namespace
/// `<prefix>-<pid>`, Event `show` (`title`, in USD, published, on sale
/// since 2026, on `days`), tier `ga` of `quantity` at 50.00, and the
/// event's stream. Returns the names, the namespace and the Event's UID.
pub async fn stage(
    prefix: &str,
    title: &str,
    days: serde_json::Value,
    quantity: i64,
) -> (Names, String, String) {
    let client = sellout_e2e::kube_with_crds().await.client().await.unwrap();
    let ns = format!("{prefix}-{}", std::process::id());
    Api::<k8s_openapi::api::core::v1::Namespace>::all(client.clone())
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": ns}})).unwrap(),
        )
        .await
        .unwrap();
    let event: Event = serde_json::from_value(json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
        "metadata": {"name": "show", "namespace": ns},
        "spec": {
            "title": title, "venueRef": {"name": "hall"}, "currency": "USD",
            "state": "Published", "onSaleAt": "2026-01-01T10:00:00Z",
            "days": days,
        }
    }))
    .unwrap();
    let event = Api::<Event>::namespaced(client.clone(), &ns)
        .create(&PostParams::default(), &event)
        .await
        .unwrap();
    let tier: TicketTier = serde_json::from_value(json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
        "metadata": {"name": "ga", "namespace": ns},
        "spec": {"eventRef": {"name": "show"}, "displayName": "GA",
                 "price": {"amountMinor": 5000, "currency": "USD"}, "quantity": quantity},
    }))
    .unwrap();
    Api::<TicketTier>::namespaced(client, &ns)
        .create(&PostParams::default(), &tier)
        .await
        .unwrap();
    let uid = event.metadata.uid.unwrap();
    let names = Names::for_uid(&uid);
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    js.get_or_create_stream(stream_config(&names))
        .await
        .unwrap();
    (names, ns, uid)
}

/// Starts `sellout-worker` (`bin`: the bench's
/// `env!("CARGO_BIN_EXE_sellout-worker")`) in `role` for Event `show` of
/// `ns` (identity `id`, database `bench`, warnings only), with `env` on
/// top; its log is `<run dir>/<dir>/worker.log`.
pub async fn start_worker(
    bin: &str,
    dir: &str,
    role: &str,
    ns: &str,
    id: &str,
    env: &[(&str, String)],
) -> Process {
    let dir = sellout_e2e::run_dir().join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = std::process::Command::new(bin);
    cmd.env("KUBECONFIG", sellout_e2e::kube().await.kubeconfig())
        .env("SELLOUT_WORKER_ROLE", role)
        .env("SELLOUT_EVENT", "show")
        .env("SELLOUT_NAMESPACE", ns)
        .env("SELLOUT_WORKER_ID", id)
        .env("SELLOUT_NATS_URL", sellout_e2e::nats().await.url())
        .envs(
            sellout_e2e::nats().await.worker_env(
                &sellout_e2e::worker::event_uid(ns, "show")
                    .await
                    .expect("the bench's Event"),
            ),
        )
        .env("SELLOUT_MONGO_URI", sellout_e2e::mongo().await.uri())
        .env("SELLOUT_MONGO_DATABASE", "bench")
        .env(
            "SELLOUT_WORKER_LISTEN",
            format!("127.0.0.1:{}", sellout_e2e::free_port().unwrap()),
        )
        .env("RUST_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    Process::spawn(&format!("{role} worker"), cmd, &dir.join("worker.log")).unwrap()
}
