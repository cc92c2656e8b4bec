//! The Sellout operator: reconciles Sellout's custom resources into the
//! objects, data and status an event needs to sell and scan tickets.
//!
//! Three controllers run under one leader-elected Lease ([`leader`]):
//! - [`event`]: for each `Event` with its `TicketTier`s and `Venue`, checks
//!   that they are consistent (problems make the Event `Degraded`, with a
//!   Kubernetes Event saying what to fix), keeps the event's JetStream
//!   stream and hot MongoDB collections, reads each tier's inventory
//!   figures (written by the event's checkout writer only), runs its
//!   dedicated checkout and scan workers as the schedule asks (Deployment,
//!   Service, HorizontalPodAutoscaler and PodDisruptionBudget per worker
//!   set, or supervised local processes), moves it through its phases with
//!   a requeue at the next transition, and writes the Event's and its
//!   tiers' status. Finalizers guard the data outside Kubernetes; deleting
//!   an event with sold tickets is held until it is cancelled and refunded
//!   or its policy says to archive.
//! - [`organization`]: in each organization's namespace, the RBAC that
//!   event workers and the gateway need, and a check of the Stripe
//!   account Secret.
//! - [`venue`]: a Venue's status (section counts, over-capacity).
//!
//! Events with `spec.workers.pool: Shared` get no workers and are
//! `Degraded` (`SharedPoolUnavailable`): the operator has no shared worker
//! pool.
//!
//! Without a data plane (no MongoDB and NATS) the operator manages
//! Kubernetes objects only: no streams, collections, inventory or
//! finalizers. [`metrics`] are served on `/metrics` by [`serve_http`].

pub mod children;
pub mod conditions;
pub mod context;
pub mod error;
pub mod event;
pub mod labels;
pub mod leader;
pub mod metrics;
pub mod organization;
pub mod venue;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::routing::get;

pub use context::Context;
use context::{OrganizationContext, VenueContext};

/// Serves `/metrics`, `/healthz` and `/readyz` on `listener` until
/// shutdown.
pub async fn serve_http(
    listener: tokio::net::TcpListener,
    ctx: Arc<Context>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route(
            "/metrics",
            get(|State(ctx): State<Arc<Context>>| async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        sellout_common::telemetry::METRICS_CONTENT_TYPE,
                    )],
                    ctx.metrics.encode(),
                )
            }),
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

/// Runs every controller until `ctx.shutdown` is cancelled, each with its
/// own context derived from `ctx`.
pub async fn run_controllers(ctx: Arc<Context>) {
    let base = Arc::new(ctx.base());
    let venues = Arc::new(VenueContext { base: base.clone() });
    let organizations = Arc::new(OrganizationContext::new(base.clone(), &ctx));
    tokio::join!(
        event::run(base, &ctx),
        venue::run_venues(venues),
        organization::run(organizations),
    );
}
