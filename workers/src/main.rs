//! `sellout-worker`: the per-event worker, in its `checkout` or `scan` role.
//!
//! The checkout role serves the event's inventory (holds, releases, sales,
//! restocks, expiry) over NATS: see `sellout_workers::checkout`. It reads
//! its Event and TicketTiers from the Kubernetes API (in-cluster config or
//! `KUBECONFIG`). Payments, tickets, refunds and e-mail sending are not
//! wired into the worker yet (issue #5). The scan role is not built yet
//! (scanning issue): it connects and reports health only.
//!
//! Health: `/healthz` (process up) and `/readyz` (NATS connected and
//! MongoDB answering). Runs until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clap::{Parser, ValueEnum};
use mongodb::bson::doc;
use sellout_common::names::Names;
use sellout_common::telemetry::{self, LogArgs};
use sellout_crds::{Event, TicketTier};
use sellout_workers::checkout::{self, Catalog, Service};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// What a worker process serves.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Role {
    /// Holds, pricing, payments, tickets and refunds for one event.
    Checkout,
    /// Ticket verification and check-ins at the door.
    Scan,
}

/// The Sellout worker: the checkout role serves an event's inventory over
/// NATS; the scan role is not built yet.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Which role this process serves.
    #[arg(long, value_enum, env = "SELLOUT_WORKER_ROLE")]
    role: Role,
    /// The Event (name) this worker serves; unset for the shared pool.
    #[arg(long, env = "SELLOUT_EVENT")]
    event: Option<String>,
    /// Namespace of the Event.
    #[arg(long, env = "SELLOUT_NAMESPACE")]
    namespace: Option<String>,
    /// NATS server URL.
    #[arg(long, env = "SELLOUT_NATS_URL", hide_env_values = true)]
    nats_url: String,
    /// MongoDB connection string.
    #[arg(long, env = "SELLOUT_MONGO_URI", hide_env_values = true)]
    mongo_uri: String,
    /// MongoDB database.
    #[arg(long, env = "SELLOUT_MONGO_DATABASE", default_value = "sellout")]
    mongo_database: String,
    /// This worker's identity among the event's replicas (default: the
    /// host name, which is the pod name on Kubernetes). A restarted worker
    /// with the same identity takes its writer lease back at once.
    #[arg(long, env = "SELLOUT_WORKER_ID")]
    worker_id: Option<String>,
    /// Overrides every Event's holdTtlSeconds, in seconds (for tests and
    /// benchmarks that need holds to run out quickly).
    #[arg(long, env = "SELLOUT_HOLD_TTL_SECONDS")]
    hold_ttl_seconds: Option<u32>,
    /// Address for /healthz and /readyz.
    #[arg(long, env = "SELLOUT_WORKER_LISTEN", default_value = "0.0.0.0:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    log: LogArgs,
}

struct Deps {
    nats: async_nats::Client,
    db: mongodb::Database,
    role: &'static str,
}

async fn ready(State(deps): State<Arc<Deps>>) -> (StatusCode, String) {
    let nats = deps.nats.connection_state() == async_nats::connection::State::Connected;
    let mongo = tokio::time::timeout(
        Duration::from_secs(2),
        deps.db.run_command(doc! {"ping": 1}),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    let body = format!(
        "nats: {}\nmongo: {}\nrole: {}\n",
        ok(nats),
        ok(mongo),
        deps.role
    );
    if nats && mongo {
        (StatusCode::OK, body)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

fn ok(b: bool) -> &'static str {
    if b { "ok" } else { "unavailable" }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    let nats = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connect(args.nats_url.as_str())
        .await
        .map_err(|e| anyhow::anyhow!("invalid --nats-url: {e}"))?;
    let mongo = mongodb::Client::with_uri_str(&args.mongo_uri)
        .await
        .map_err(|e| anyhow::anyhow!("invalid --mongo-uri: {e}"))?;
    let db = mongo.database(&args.mongo_database);
    let stop = CancellationToken::new();
    let role_task = match args.role {
        Role::Checkout => {
            let (event, namespace) = match (args.event.clone(), args.namespace.clone()) {
                (Some(e), Some(n)) => (e, n),
                _ => anyhow::bail!(
                    "the checkout role needs --event and --namespace (the shared pool is not built yet)"
                ),
            };
            let identity = match &args.worker_id {
                Some(id) => id.clone(),
                None => hostname()?,
            };
            Some(tokio::spawn(checkout(
                nats.clone(),
                db.clone(),
                event,
                namespace,
                identity,
                args.hold_ttl_seconds,
                stop.clone(),
            )))
        }
        Role::Scan => {
            tracing::warn!(
                event = args.event.as_deref().unwrap_or("(shared pool)"),
                "the scan role is not built yet (scanning issue): this worker only connects and reports health"
            );
            None
        }
    };
    let deps = Arc::new(Deps {
        nats,
        db,
        role: match args.role {
            Role::Checkout => "checkout",
            Role::Scan => "scan (not built yet)",
        },
    });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .with_state(deps);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
    tracing::info!(role = ?args.role, listen = %args.listen, "sellout-worker started");
    let shutdown = stop.clone();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                () = shutdown.cancelled() => {}
            }
            shutdown.cancel();
        })
        .await?;
    if let Some(task) = role_task {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => anyhow::bail!("the {:?} role failed: {e}", args.role),
        }
    }
    Ok(())
}

fn hostname() -> anyhow::Result<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").map_err(|e| {
        anyhow::anyhow!("no --worker-id given and the host name is unreadable: {e}")
    })?;
    Ok(name.trim().to_owned())
}

/// The checkout role: waits for its Event and stream (the operator's to
/// create), keeps the catalog in step with the Event and its tiers, and
/// serves the inventory until `stop`. A fatal error stops the worker (it
/// is restarted by its supervisor).
async fn checkout(
    nats: async_nats::Client,
    db: mongodb::Database,
    event: String,
    namespace: String,
    identity: String,
    hold_ttl: Option<u32>,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let r = checkout_inner(nats, db, event, namespace, identity, hold_ttl, stop.clone()).await;
    if r.is_err() {
        stop.cancel();
    }
    r
}

async fn checkout_inner(
    nats: async_nats::Client,
    db: mongodb::Database,
    event: String,
    namespace: String,
    identity: String,
    hold_ttl: Option<u32>,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let kube = kube::Client::try_default()
        .await
        .map_err(|e| anyhow::anyhow!("no Kubernetes API (in-cluster config or KUBECONFIG): {e}"))?;
    let source = CatalogSource {
        events: kube::Api::namespaced(kube.clone(), &namespace),
        tiers: kube::Api::namespaced(kube, &namespace),
        event: event.clone(),
        hold_ttl,
    };
    let first = loop {
        match source.load().await {
            Ok(c) => break c,
            Err(e) => {
                tracing::warn!(event, namespace, error = %e, "cannot read the event yet; retrying")
            }
        }
        if wait(&stop, Duration::from_secs(2)).await {
            return Ok(());
        }
    };
    let names = Names::for_uid(&first.event_uid);
    let js = async_nats::jetstream::new(nats.clone());
    let mut logged = false;
    while js.get_stream(&names.stream).await.is_err() {
        if !logged {
            tracing::info!(stream = %names.stream, "waiting for the operator to create the event's stream");
            logged = true;
        }
        if wait(&stop, Duration::from_secs(1)).await {
            return Ok(());
        }
    }
    let (catalog_tx, catalog_rx) = watch::channel(Arc::new(first));
    let (counts_tx, counts_rx) = watch::channel(Default::default());
    tokio::spawn(checkout::projection::run(
        db.collection(&names.collection("inventory")),
        counts_rx,
    ));
    let uid = catalog_tx.borrow().event_uid.clone();
    let refresh_stop = stop.clone();
    tokio::spawn(async move {
        while !wait(&refresh_stop, CATALOG_EVERY).await {
            match source.load().await {
                Ok(c) if c.event_uid != uid => {
                    tracing::error!(
                        "the event was deleted and re-created: this worker belongs to the old one; stopping"
                    );
                    refresh_stop.cancel();
                }
                Ok(c) => {
                    catalog_tx.send_if_modified(|old| {
                        let changed = **old != c;
                        if changed {
                            *old = Arc::new(c);
                        }
                        changed
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot refresh the catalog; keeping the last one")
                }
            }
        }
    });
    tracing::info!(stream = %names.stream, identity, "checkout role serving");
    Service {
        nats,
        names,
        identity,
        catalog: catalog_rx,
        counts: counts_tx,
    }
    .run(stop)
    .await
}

/// How often the Event and its tiers are read again.
const CATALOG_EVERY: Duration = Duration::from_secs(2);

struct CatalogSource {
    events: kube::Api<Event>,
    tiers: kube::Api<TicketTier>,
    event: String,
    hold_ttl: Option<u32>,
}

impl CatalogSource {
    async fn load(&self) -> anyhow::Result<Catalog> {
        let event = self.events.get(&self.event).await?;
        let tiers = self.tiers.list(&Default::default()).await?;
        let mut catalog = Catalog::from_resources(&event, &tiers.items);
        if let Some(s) = self.hold_ttl {
            catalog.hold_ttl_ms = i64::from(s) * 1000;
        }
        Ok(catalog)
    }
}

async fn wait(stop: &CancellationToken, d: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(d) => false,
        () = stop.cancelled() => true,
    }
}
