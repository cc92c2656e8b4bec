//! The Sellout GraphQL gateway: one endpoint (`/graphql`, GraphiQL in a
//! browser) for every client, and the HTTP edges (`/webhooks/stripe`,
//! health).
//!
//! Built so far (issue #6, in progress): the catalog (Organizations,
//! Events, tiers and Venues kept in memory by watches), access tokens and
//! the role rules in one place ([`auth::require`]), the public event query
//! (the Event, its Venue and TicketTiers, live availability from the
//! checkout workers), buyers' hold and release mutations, the SDL checked in
//! (`gateway/schema.graphql`) with a drift test, GraphiQL, `/healthz`,
//! `/readyz`, and Stripe webhooks forwarded to the event's checkout workers
//! over NATS. Not built yet: login by code, refresh tokens, promoter mutations writing the
//! custom resources, orders, refunds, scanning, subscriptions, pagination,
//! analytics, `/metrics`, the benchmark.

pub mod apply;
pub mod auth;
pub mod catalog;
pub mod error;
pub mod http;
pub mod schema;
