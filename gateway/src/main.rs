//! `sellout-gateway`: the GraphQL gateway every Sellout client talks to
//! (`/graphql`, GraphiQL in a browser), plus `/webhooks/stripe`,
//! `/healthz` and `/readyz`. See the crate docs for what is built so far.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use sellout_common::telemetry::{self, LogArgs};
use sellout_gateway::{http, schema::Deps};
use sellout_workers::payments::{Secret, WebhookVerifier};

/// The Sellout GraphQL gateway.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SELLOUT_GATEWAY_LISTEN", default_value = "127.0.0.1:4000")]
    listen: std::net::SocketAddr,
    /// NATS server URL (the checkout workers).
    #[arg(long, env = "SELLOUT_NATS_URL", hide_env_values = true)]
    nats_url: String,
    /// File holding the Stripe webhook signing secret: deliveries with a
    /// bad signature are refused here already (the worker checks again).
    #[arg(long, env = "SELLOUT_STRIPE_WEBHOOK_SECRET_FILE")]
    stripe_webhook_secret_file: Option<PathBuf>,
    #[command(flatten)]
    log: LogArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    let kube = kube::Client::try_default()
        .await
        .map_err(|e| anyhow::anyhow!("no Kubernetes API (in-cluster config or KUBECONFIG): {e}"))?;
    let nats = async_nats::ConnectOptions::new()
        .retry_on_initial_connect()
        .connect(args.nats_url.as_str())
        .await
        .map_err(|e| anyhow::anyhow!("invalid --nats-url: {e}"))?;
    let webhook = match &args.stripe_webhook_secret_file {
        Some(file) => {
            let secret = std::fs::read_to_string(file).map_err(|e| {
                anyhow::anyhow!("--stripe-webhook-secret-file {}: {e}", file.display())
            })?;
            Some(WebhookVerifier::new(Secret::new(secret.trim_end())))
        }
        None => None,
    };
    let deps = Deps {
        kube,
        nats,
        live_timeout: Duration::from_millis(500),
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
    tracing::info!(listen = %args.listen, "sellout-gateway serving /graphql (GraphiQL in a browser)");
    axum::serve(listener, http::router(deps, webhook))
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
