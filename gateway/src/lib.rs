//! The Sellout GraphQL gateway: one endpoint (`/graphql`, GraphiQL in a
//! browser) for every client, and the HTTP edges (`/webhooks/stripe`,
//! health).
//!
//! Built so far (first slice of issue #6): the public event query (the
//! Event, its TicketTiers and live availability from the checkout
//! workers), buyers' hold and release mutations, the SDL checked in
//! (`gateway/schema.graphql`) with a drift test, GraphiQL, `/healthz`,
//! `/readyz`, and Stripe webhooks forwarded to the event's checkout workers
//! over NATS. Not built yet: auth and roles, promoter mutations writing the
//! custom resources, orders, refunds, scanning, subscriptions, pagination,
//! analytics, `/metrics`, the benchmark.

pub mod http;
pub mod schema;
