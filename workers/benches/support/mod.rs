//! What the worker benchmarks share: parameters from the environment,
//! quantiles, the machine's description and the report file.

#![allow(dead_code)]

use std::path::PathBuf;

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
