//! The Sellout GraphQL gateway: one endpoint (`/graphql`, GraphiQL in a
//! browser) for every client, and the HTTP edges (`/webhooks/stripe`,
//! CSV exports, health, metrics).
//!
//! - [`schema`]: the GraphQL schema, split by domain: the public event
//!   page, holds, orders and box office, refunds, promoters' order and
//!   customer lists (Relay connections through [`schema::paging`]),
//!   figures, export links, door staff's views, promoter mutations, and
//!   subscriptions ([`schema::live`]). The SDL is checked in
//!   (`gateway/schema.graphql`) with a drift test.
//! - [`auth`]: logging in by one-time code (e-mail or SMS), short-lived
//!   access tokens, rotating refresh tokens, and the role rules in one
//!   place ([`auth::require`]).
//! - [`catalog`]: Organizations, Events, tiers and Venues kept in memory by
//!   watches; [`apply`]: writing them by Server-Side Apply with conflicts
//!   reported.
//! - [`live`]: availability in memory, fed by the checkout writers over
//!   NATS; [`checkins`]: check-ins read from the events' streams.
//! - [`http`]: the axum router (CORS, request ids carried into NATS, body
//!   limit, the page cache), [`export`]: CSV downloads, [`metrics`].
//!
//! Orders are read through `sellout_store` and sent to the event's
//! checkout workers through `sellout_client`; login codes go out through
//! `sellout_notify`. The gateway never depends on the workers' crate.
//! Scanning at the door (scan, undo, offline sync) needs the scan role,
//! which the workers do not serve yet. See `docs/gateway.md`.

pub mod apply;
pub mod auth;
pub mod catalog;
pub mod checkins;
pub mod error;
pub mod export;
pub mod feed;
pub mod graphiql;
pub mod http;
pub mod limits;
pub mod live;
pub mod metrics;
pub mod page_cache;
pub mod rates;
pub mod schema;
