//! The GraphQL schema, split by domain: each module adds its queries and
//! mutations to the roots below.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{EmptySubscription, MergedObject, Schema};

use crate::auth::Auth;
use crate::catalog::Catalog;

pub mod promoter;
pub mod public;

/// The gateway's schema.
pub type GatewaySchema = Schema<Query, Mutation, EmptySubscription>;

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
}

/// Root of all queries.
#[derive(MergedObject, Default)]
pub struct Query(public::PublicQuery, promoter::PromoterQuery);

/// Root of all mutations.
#[derive(MergedObject, Default)]
pub struct Mutation(public::PublicMutation, promoter::PromoterMutation);

/// Most nesting a query may have.
pub const MAX_DEPTH: usize = 12;
/// Most fields (weighted) a query may select.
pub const MAX_COMPLEXITY: usize = 500;

fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// Builds the schema with its limits.
pub fn schema(deps: Deps) -> GatewaySchema {
    builder()
        .data(deps)
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
