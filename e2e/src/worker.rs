//! The `sellout-worker` binary for the tests of crates that do not build
//! it themselves (the gateway's, the operator's): where `make test` built
//! it, ticket signing keys for its order service, and a checkout worker of
//! one event started against this test binary's shared components.

use std::path::{Path, PathBuf};

use crate::{Error, Result, process::Process};

/// The `sellout-worker` binary that `make test` builds before the tests
/// (`$CARGO_TARGET_DIR/debug/sellout-worker`, or `target/debug/…`).
///
/// Panics with what to run when it is missing.
pub fn worker_bin() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/sellout-worker");
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build -p sellout-workers` first (make test does)",
        bin.display()
    );
    bin
}

/// Writes a new Ed25519 ticket signing key into `dir` as the worker reads
/// them (`1.pem` and `current` naming it); returns the directory.
pub fn ticket_keys(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519)
        .map_err(|e| Error::other(format!("generate a ticket key: {e}")))?;
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| Error::io(format!("write {}", path.display()), e))
    };
    write("1.pem", &key.serialize_pem())?;
    write("current", "1\n")?;
    Ok(dir.to_owned())
}

/// Starts a checkout worker of Event `event` in namespace `ns` with
/// identity `id`, against the shared API server (with the CRDs), NATS and
/// FerretDB (database `database`), with `env` on top (e.g.
/// `SELLOUT_TICKET_KEYS_DIR`, `RUST_LOG`). Its log is
/// `<run dir>/workers/<ns>/<id>.log`. Stopped when dropped.
pub async fn checkout_worker(
    ns: &str,
    event: &str,
    id: &str,
    database: &str,
    env: &[(&str, &str)],
) -> Result<Process> {
    let api = crate::kube_with_crds().await;
    let listen = format!("127.0.0.1:{}", crate::free_port()?);
    let mut cmd = std::process::Command::new(worker_bin());
    cmd.env("KUBECONFIG", api.kubeconfig())
        .env("SELLOUT_WORKER_ROLE", "checkout")
        .env("SELLOUT_EVENT", event)
        .env("SELLOUT_NAMESPACE", ns)
        .env("SELLOUT_WORKER_ID", id)
        .env("SELLOUT_NATS_URL", crate::nats().await.url())
        .env("SELLOUT_MONGO_URI", crate::mongo().await.uri())
        .env("SELLOUT_MONGO_DATABASE", database)
        .env("SELLOUT_WORKER_LISTEN", listen)
        .env("RUST_LOG", "info")
        .envs(env.iter().copied());
    let log = crate::run_dir()
        .join("workers")
        .join(ns)
        .join(format!("{id}.log"));
    Ok(Process::spawn(&format!("worker {ns}/{id}"), cmd, &log)?)
}
