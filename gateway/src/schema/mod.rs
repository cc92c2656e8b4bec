//! The GraphQL schema, split by domain: each module adds its queries and
//! mutations to the roots below.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::DataLoader;
use async_graphql::runtime::{TokioSpawner, TokioTimer};
use async_graphql::{MergedObject, MergedSubscription, Schema};

use crate::auth::Auth;
use crate::catalog::Catalog;
use crate::live::{Live, LiveConfig};
use crate::metrics::{GraphqlMetrics, LoaderLabel, Metrics};

pub mod analytics;
pub mod customers;
pub mod exports;
pub mod live;
pub mod orders;
pub mod paging;
pub mod promoter;
pub mod public;
pub mod refunds;
pub mod scan;
pub mod scanning;
pub mod seats;

/// The gateway's schema.
pub type GatewaySchema = Schema<Query, Mutation, Subscription>;

/// What resolvers need.
#[derive(Clone)]
pub struct Deps {
    /// The Kubernetes API (promoter mutations write through it).
    pub kube: kube::Client,
    /// Organizations, Events, tiers and Venues, kept in memory by watches.
    pub catalog: Catalog,
    /// NATS (the checkout workers).
    pub nats: async_nats::Client,
    /// MongoDB (orders and other read models).
    pub mongo: mongodb::Database,
    /// Tokens and roles.
    pub auth: Arc<Auth>,
    /// How long a live figure may take before it is left out.
    pub live_timeout: Duration,
    /// Where clients reach this gateway (`https://api.example.com`, no
    /// trailing `/`): the base of the links it hands out (CSV exports).
    pub public_url: String,
    /// What browsers load to take card payments (`portalConfig`).
    pub stripe_js: StripeJs,
}

/// Stripe.js as the purchase portal loads it.
#[derive(Clone, Debug)]
pub struct StripeJs {
    /// The platform's publishable key (`pk_live_…`, `pk_test_…`); `None`:
    /// the portal takes no card payments (free orders only).
    pub publishable_key: Option<String>,
    /// Where Stripe.js is loaded from: Stripe's own
    /// ([`STRIPE_JS_URL`]), or a local stand-in in development.
    pub url: String,
}

/// Stripe.js, from Stripe.
pub const STRIPE_JS_URL: &str = "https://js.stripe.com/v3/";

impl Default for StripeJs {
    fn default() -> Self {
        StripeJs {
            publishable_key: None,
            url: STRIPE_JS_URL.into(),
        }
    }
}

/// The default of [`Deps::public_url`] (`--public-url`).
pub const DEFAULT_PUBLIC_URL: &str = "http://localhost:4000";

/// Root of all queries.
#[derive(MergedObject, Default)]
pub struct Query(
    public::PublicQuery,
    seats::SeatsQuery,
    analytics::AnalyticsQuery,
    exports::ExportsQuery,
    scanning::ScanningQuery,
    scan::ScanQuery,
    orders::OrdersQuery,
    refunds::RefundsQuery,
    customers::CustomersQuery,
    promoter::PromoterQuery,
    crate::auth::schema::AuthQuery,
);

/// Root of all mutations.
#[derive(MergedObject, Default)]
pub struct Mutation(
    public::PublicMutation,
    orders::OrdersMutation,
    refunds::RefundsMutation,
    scan::ScanMutation,
    promoter::PromoterMutation,
    crate::auth::schema::AuthMutation,
);

/// Root of all subscriptions.
#[derive(MergedSubscription, Default)]
pub struct Subscription(
    live::LiveSubscription,
    seats::SeatsSubscription,
    scan::ScanSubscription,
);

/// Most nesting a query may have: 15, which GraphiQL's (graphql-js')
/// introspection query needs (it nests `ofType` to unwrap types; 12 was
/// refused, found by the browser test); our own queries need far less.
pub const MAX_DEPTH: usize = 15;
/// Most fields (weighted) a query may select.
pub const MAX_COMPLEXITY: usize = 500;

fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
}

/// Builds the schema with its limits (and a live availability cache and
/// metrics of its own; see [`schema_with`]).
pub fn schema(deps: Deps) -> GatewaySchema {
    let live = Live::new(
        deps.nats.clone(),
        LiveConfig {
            seed_timeout: deps.live_timeout,
            ..Default::default()
        },
    );
    let metrics = std::sync::Arc::new(Metrics::new(live.clone()));
    schema_with(deps, live, metrics)
}

/// Builds the schema with its limits, `live` (the availability cache,
/// schema data) and `metrics` (counted by an extension; schema data
/// too, for `/metrics`).
pub fn schema_with(deps: Deps, live: Live, metrics: std::sync::Arc<Metrics>) -> GatewaySchema {
    schema_built(deps, live, metrics, true)
}

/// [`schema_with`], with introspection (`__schema`, `__type`: what
/// GraphiQL and code generators read) on or off. Off in production when
/// the API should not describe itself to everyone.
pub fn schema_built(
    deps: Deps,
    live: Live,
    metrics: std::sync::Arc<Metrics>,
    introspection: bool,
) -> GatewaySchema {
    let mut builder = builder();
    if !introspection {
        builder = builder.disable_introspection();
    }
    // Batched lookups behind list fields (no cache: every load reads the
    // database). Needs a Tokio runtime to run its batches on.
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        let label = LoaderLabel { loader: "customer" };
        let loader = customers::CustomerLoader {
            mongo: deps.mongo.clone(),
            catalog: deps.catalog.clone(),
            queries: metrics.loader_queries.get_or_create(&label).clone(),
            keys: metrics.loader_keys.get_or_create(&label).clone(),
        };
        builder = builder.data(DataLoader::new(
            loader,
            TokioSpawner::with_handle(handle),
            TokioTimer::default(),
        ));
    }
    builder
        .data(deps)
        .data(live)
        .data(std::sync::Arc::new(seats::SeatMaps::default()))
        .data(metrics.clone())
        .extension(GraphqlMetrics(metrics))
        // After the metrics: the codes it sets are what they count.
        .extension(crate::limits::ErrorCodes)
        .extension(crate::limits::SocketViewer)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// The SDL of the schema (checked in as `gateway/schema.graphql`).
pub fn sdl() -> String {
    builder().finish().sdl()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checked_in_sdl_matches_the_schema() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        let now = sdl();
        if std::env::var_os("SELLOUT_UPDATE_SDL").is_some() {
            std::fs::write(path, &now).unwrap();
            return;
        }
        assert!(
            checked_in == now,
            "gateway/schema.graphql is stale: run `SELLOUT_UPDATE_SDL=1 cargo test -p sellout-gateway --lib` and commit it"
        );
    }
}
