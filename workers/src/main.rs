//! `sellout-worker`: the per-event worker, in its `checkout` or `scan` role.
//!
//! Not built yet: the checkout role arrives with the checkout issue (#5)
//! and the scan role with the scanning issue. Until then the worker
//! connects to NATS and MongoDB, reports health on `/healthz` (process up)
//! and `/readyz` (NATS connected and MongoDB answering), logs plainly that
//! it serves nothing yet, and runs until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clap::{Parser, ValueEnum};
use mongodb::bson::doc;
use sellout_common::telemetry::{self, LogArgs};

/// What a worker process serves.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Role {
    /// Holds, pricing, payments, tickets and refunds for one event.
    Checkout,
    /// Ticket verification and check-ins at the door.
    Scan,
}

/// The Sellout worker (its roles are not built yet: it connects, reports
/// health and serves nothing).
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
    /// Address for /healthz and /readyz.
    #[arg(long, env = "SELLOUT_WORKER_LISTEN", default_value = "0.0.0.0:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    log: LogArgs,
}

struct Deps {
    nats: async_nats::Client,
    db: mongodb::Database,
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
        "nats: {}\nmongo: {}\nrole: serves nothing yet\n",
        ok(nats),
        ok(mongo)
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
    let deps = Arc::new(Deps {
        nats,
        db: mongo.database(&args.mongo_database),
    });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .with_state(deps);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
    tracing::warn!(
        role = ?args.role,
        event = args.event.as_deref().unwrap_or("(shared pool)"),
        namespace = args.namespace.as_deref().unwrap_or(""),
        listen = %args.listen,
        "sellout-worker serves nothing yet (checkout issue #5, scanning issue): it only connects and reports health"
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        })
        .await?;
    Ok(())
}
