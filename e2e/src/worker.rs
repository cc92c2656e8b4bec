//! A real `sellout-worker` in its checkout role, for tests of crates that
//! cannot name its binary through Cargo (the gateway's, the operator's):
//! where the binary is, the files it takes orders with (a ticket signing
//! key, localstripe's secret key, a Stripe webhook secret), the event's
//! stream and e-mail consumer (the operator's part), and the process
//! itself, wired to this test binary's shared API server, NATS, FerretDB,
//! localstripe and mail sink.

use std::path::{Path, PathBuf};

use sellout_common::names::{EMAIL_CONSUMER, Names, consumer_config, stream_config};

use crate::process::Process;
use crate::{Error, Result};

/// The `sellout-worker` binary of this build (`$CARGO_TARGET_DIR/debug`,
/// else the workspace's `target/debug`): `make test` builds it first.
pub fn binary() -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/sellout-worker");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(Error::other(format!(
            "{} is missing: run `cargo build -p sellout-workers` first (make test does)",
            bin.display()
        )))
    }
}

/// [`binary`], panicking with what to run when it is missing.
pub fn worker_bin() -> PathBuf {
    binary().unwrap_or_else(|e| panic!("{e}"))
}

/// Writes a new Ed25519 ticket signing key into `dir` as the worker reads
/// them (`1.pem` and `current` naming it), unless one is there; returns
/// the directory.
pub fn ticket_keys(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
    if dir.join("current").is_file() {
        return Ok(dir.to_owned());
    }
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

/// The event's JetStream stream and its e-mail consumer, as the operator
/// makes them.
pub async fn event_stream(uid: &str) -> Result<Names> {
    let names = Names::for_uid(uid);
    let js = crate::nats().await.jetstream().await?;
    let stream = js
        .get_or_create_stream(stream_config(&names))
        .await
        .map_err(|e| Error::other(format!("create stream {}: {e}", names.stream)))?;
    stream
        .get_or_create_consumer(EMAIL_CONSUMER, consumer_config(&names, EMAIL_CONSUMER))
        .await
        .map_err(|e| Error::other(format!("create consumer of {}: {e}", names.stream)))?;
    Ok(names)
}

/// The uid of Event `event` in namespace `ns` on the shared API server.
pub async fn event_uid(ns: &str, event: &str) -> Result<String> {
    let api = crate::kube_with_crds().await;
    let resource = kube::api::ApiResource {
        group: "sellout.io".into(),
        version: "v1alpha1".into(),
        api_version: "sellout.io/v1alpha1".into(),
        kind: "Event".into(),
        plural: "events".into(),
    };
    let events: kube::Api<kube::api::DynamicObject> =
        kube::Api::namespaced_with(api.client().await?, ns, &resource);
    let e = events
        .get(event)
        .await
        .map_err(|e| Error::other(format!("read Event {ns}/{event}: {e}")))?;
    e.metadata
        .uid
        .ok_or_else(|| Error::other(format!("Event {ns}/{event} has no uid")))
}

/// The command of a checkout worker of Event `event` in namespace `ns`
/// with identity `id`, listening on `listen`, against the shared API
/// server (with the CRDs), NATS and FerretDB (database `database`).
async fn command(
    ns: &str,
    event: &str,
    id: &str,
    database: &str,
    listen: &str,
) -> Result<std::process::Command> {
    let api = crate::kube_with_crds().await;
    let mut cmd = std::process::Command::new(binary()?);
    cmd.env("KUBECONFIG", api.kubeconfig())
        .env("SELLOUT_WORKER_ROLE", "checkout")
        .env("SELLOUT_EVENT", event)
        .env("SELLOUT_NAMESPACE", ns)
        .env("SELLOUT_WORKER_ID", id)
        .env("SELLOUT_NATS_URL", crate::nats().await.url())
        .envs(crate::nats().await.worker_env(&event_uid(ns, event).await?))
        .env("SELLOUT_MONGO_URI", crate::mongo().await.uri())
        .env("SELLOUT_MONGO_DATABASE", database)
        .env("SELLOUT_WORKER_LISTEN", listen)
        .env("RUST_LOG", "info");
    Ok(cmd)
}

/// Starts a checkout worker of Event `event` in namespace `ns` with
/// identity `id` (see [`command`]), with `env` on top (e.g.
/// `SELLOUT_TICKET_KEYS_DIR`, `RUST_LOG`). Its log is
/// `<run dir>/workers/<ns>/<id>.log`. Stopped when dropped.
pub async fn checkout_worker(
    ns: &str,
    event: &str,
    id: &str,
    database: &str,
    env: &[(&str, &str)],
) -> Result<Process> {
    let listen = format!("127.0.0.1:{}", crate::free_port()?);
    let mut cmd = command(ns, event, id, database, &listen).await?;
    cmd.envs(env.iter().copied());
    let log = crate::run_dir()
        .join("workers")
        .join(ns)
        .join(format!("{id}.log"));
    Ok(Process::spawn(&format!("worker {ns}/{id}"), cmd, &log)?)
}

/// A checkout worker of one event.
pub struct CheckoutWorker {
    /// The process (stopped when dropped).
    pub process: Process,
    /// Its `/healthz`, `/readyz` and `/webhooks/stripe` address.
    pub listen: String,
}

/// Starts a checkout worker (identity `id`) for Event `event` in
/// `namespace`, taking paid orders through localstripe (with Stripe
/// webhook secret `webhook_secret`, which whoever forwards webhooks to it
/// must share) and mailing buyers through the mail sink; orders go to
/// MongoDB database `database`. Its files and log live under `dir`.
pub async fn start_checkout(
    dir: &Path,
    namespace: &str,
    event: &str,
    id: &str,
    database: &str,
    webhook_secret: &str,
) -> Result<CheckoutWorker> {
    start_checkout_with(dir, namespace, event, id, database, webhook_secret, &[]).await
}

/// [`start_checkout`] with `env` on top (e.g. `OTEL_EXPORTER_OTLP_ENDPOINT`).
pub async fn start_checkout_with(
    dir: &Path,
    namespace: &str,
    event: &str,
    id: &str,
    database: &str,
    webhook_secret: &str,
    env: &[(&str, &str)],
) -> Result<CheckoutWorker> {
    let io = |what: &str, p: &Path, e| Error::io(format!("{what} {}", p.display()), e);
    std::fs::create_dir_all(dir).map_err(|e| io("create", dir, e))?;
    let keys = ticket_keys(&dir.join("ticket-keys"))?;
    let stripe_key = dir.join("stripe-key");
    std::fs::write(&stripe_key, crate::stripe::SECRET_KEY)
        .map_err(|e| io("write", &stripe_key, e))?;
    let webhook = dir.join("webhook-secret");
    std::fs::write(&webhook, webhook_secret).map_err(|e| io("write", &webhook, e))?;
    let mail = crate::mail().await;
    let listen = format!("127.0.0.1:{}", crate::free_port()?);
    let mut cmd = command(namespace, event, id, database, &listen).await?;
    cmd.env("SELLOUT_TICKET_KEYS_DIR", &keys)
        .env("SELLOUT_STRIPE_SECRET_KEY_FILE", &stripe_key)
        .env("SELLOUT_STRIPE_WEBHOOK_SECRET_FILE", &webhook)
        .env(
            "SELLOUT_STRIPE_API_BASE",
            format!("{}/", crate::stripe().await.url()),
        )
        .env("SELLOUT_SMTP_HOST", mail.smtp_host())
        .env("SELLOUT_SMTP_PORT", mail.smtp_port().to_string())
        .env("SELLOUT_SMTP_TLS", "none")
        .env(
            "SELLOUT_MAIL_FROM",
            "Sellout Tests <tickets@sellout.example>",
        )
        .envs(env.iter().copied());
    let process = Process::spawn(&format!("worker {id}"), cmd, &dir.join(format!("{id}.log")))?;
    Ok(CheckoutWorker { process, listen })
}

/// Starts a scan worker (identity `id`) for Event `event` in `namespace`,
/// verifying tickets with the keys in `dir/ticket-keys` (the ones
/// [`start_checkout`] with the same `dir` signs with) and projecting
/// check-in counts to database `database`. Its log is `dir/<id>.log`.
pub async fn start_scan(
    dir: &Path,
    namespace: &str,
    event: &str,
    id: &str,
    database: &str,
) -> Result<Process> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
    let keys = ticket_keys(&dir.join("ticket-keys"))?;
    let listen = format!("127.0.0.1:{}", crate::free_port()?);
    let mut cmd = command(namespace, event, id, database, &listen).await?;
    cmd.env("SELLOUT_WORKER_ROLE", "scan")
        .env("SELLOUT_TICKET_KEYS_DIR", &keys);
    Ok(Process::spawn(
        &format!("scan worker {id}"),
        cmd,
        &dir.join(format!("{id}.log")),
    )?)
}
