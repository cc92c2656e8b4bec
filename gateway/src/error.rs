//! GraphQL errors with a stable `extensions.code` clients can switch on.
//!
//! Codes are SCREAMING_SNAKE_CASE and never change once published. The
//! checkout workers' codes (`SOLD_OUT`, `UNKNOWN_ORDER`, …) pass through
//! unchanged; the gateway's own are the constants below.

use async_graphql::{Error, ErrorExtensions};
use sellout_common::proto::v1::CheckoutError;

/// No valid access token was sent where one is needed.
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
/// The access token has expired: refresh it.
pub const TOKEN_EXPIRED: &str = "TOKEN_EXPIRED";
/// The token is malformed, tampered with or revoked.
pub const BAD_TOKEN: &str = "BAD_TOKEN";
/// The caller's role in the organization does not allow this.
pub const FORBIDDEN: &str = "FORBIDDEN";
/// The input is invalid; the message says what to fix.
pub const BAD_REQUEST: &str = "BAD_REQUEST";
/// No such event (slug `<namespace>/<name>`).
pub const UNKNOWN_EVENT: &str = "UNKNOWN_EVENT";
/// No such object (venue, tier, organization, order …).
pub const NOT_FOUND: &str = "NOT_FOUND";
/// A component the answer needs (API server, workers, database) did not
/// answer: retry.
pub const UNAVAILABLE: &str = "UNAVAILABLE";
/// The question covers more than the gateway reads at once (e.g. more
/// than 200,000 orders): narrow it (one event, a shorter period);
/// retrying does not help.
pub const TOO_LARGE: &str = "TOO_LARGE";
/// Too many attempts: wait and retry.
pub const RATE_LIMITED: &str = "RATE_LIMITED";
/// Locked after repeated failures.
pub const LOCKED: &str = "LOCKED";
/// A field is owned by another field manager (e.g. GitOps).
pub const CONFLICT: &str = "CONFLICT";
/// The API server refused the change (validation, CEL rules); the message
/// is the API server's.
pub const INVALID: &str = "INVALID";

/// A GraphQL error with a stable `code` extension.
pub fn gql_error(code: &str, message: impl Into<String>) -> Error {
    Error::new(message.into()).extend_with(|_, e| e.set("code", code.to_owned()))
}

/// A checkout worker's refusal, its code kept.
pub fn checkout_error(e: CheckoutError) -> Error {
    gql_error(e.code().as_str_name(), e.message)
}

/// The catalog (API server) could not be read.
pub fn unavailable(what: &str, e: impl std::fmt::Display) -> Error {
    gql_error(UNAVAILABLE, format!("{what} is unavailable: {e}"))
}

/// An event slug is not `<namespace>/<name>`.
pub const BAD_SLUG: &str = "BAD_SLUG";

/// A wrong login code; `extensions.attemptsLeft` says how many tries are
/// left before the login is locked.
pub const WRONG_CODE: &str = "WRONG_CODE";
/// No usable login code (expired, already used, or none asked for): ask
/// for a new one.
pub const CODE_EXPIRED: &str = "CODE_EXPIRED";
