//! The Sellout operator: reconciles `Event`s (with their `TicketTier`s and
//! `Venue`s) into per-event worker objects and status.
//!
//! Built: leader election on a Lease; the Event controller with the
//! Kubernetes worker runtime (Deployment, Service, HPA, PodDisruptionBudget
//! per worker set, pre-warm schedule) and the Local one (supervised worker
//! processes), cross-object validation reported as `Degraded` with a
//! Kubernetes Event, phases with requeue at the next transition, tier
//! status, the event's JetStream stream and MongoDB collections, inventory
//! deltas, finalizers; the Organization controller (namespace RBAC for
//! workers and the gateway, Stripe account Secret check); Venue status;
//! metrics. Not built yet: the shared worker pool (`workers.pool: Shared`
//! events get no workers).

pub mod children;
pub mod conditions;
pub mod context;
pub mod error;
pub mod event;
pub mod leader;
pub mod metrics;
pub mod organization;
pub mod venue;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;

pub use context::Context;

/// Serves `/metrics`, `/healthz` and `/readyz` on `addr` until shutdown.
pub async fn serve_http(
    listener: tokio::net::TcpListener,
    ctx: Arc<Context>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route(
            "/metrics",
            get(|State(ctx): State<Arc<Context>>| async move { ctx.metrics.encode() }),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(|| async { "ok" }))
        .with_state(ctx.clone());
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "serving /metrics, /healthz, /readyz");
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(ctx.shutdown.clone().cancelled_owned())
        .await
}

/// Runs every controller until `ctx.shutdown` is cancelled.
pub async fn run_controllers(ctx: Arc<Context>) {
    tokio::join!(
        event::run(ctx.clone()),
        venue::run_venues(ctx.clone()),
        organization::run(ctx),
    );
}
