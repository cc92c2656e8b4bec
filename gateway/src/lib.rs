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
//! over NATS; logging in ([`auth::login`]: codes by e-mail or SMS, rotating
//! refresh tokens, logout, `me`); live data ([`live`]: availability in
//! memory, fed by the checkout writers over NATS; subscriptions over
//! graphql-ws for availability, order status and check-ins), CORS, request
//! ids carried into NATS and `/metrics` ([`metrics`]); promoter mutations
//! writing the custom resources with Server-Side Apply ([`apply`]); orders,
//! box office, refunds and the promoters' order and customer lists (Relay
//! connections); sales, add-on and check-in figures
//! ([`schema::analytics`]); CSV exports behind short-lived links
//! ([`export`]); batched customer lookups ([`schema::customers::CustomerLoader`]);
//! door staff's views ([`schema::scanning`]); `make bench-graphql`. See
//! `docs/gateway.md`. Not built yet: scanning itself (scan, un-scan,
//! offline sync).

pub mod apply;
pub mod auth;
pub mod catalog;
pub mod checkins;
pub mod error;
pub mod export;
pub mod graphiql;
pub mod http;
pub mod limits;
pub mod live;
pub mod metrics;
pub mod page_cache;
pub mod schema;
