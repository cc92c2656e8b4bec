//! What callers of an event's checkout workers share with the workers:
//!
//! - [`CheckoutClient`]: protobuf requests over NATS request/reply to one
//!   event's checkout workers (inventory verbs `rpc.<verb>`, order verbs
//!   `rpc.order.<verb>`), retried with the same idempotency key while the
//!   writer changes hands, each carrying the caller's request id and
//!   trace context;
//! - [`ScanClient`]: the same for an event's scan workers
//!   (`rpc.scan.<verb>`: admit, undo, offline sync, counts, the offline
//!   scanner's bundle);
//! - [`valid_id`]: the rule for ids callers choose (orders, holds,
//!   refunds), checked on both sides;
//! - [`error`]: a [`CheckoutError`](sellout_common::proto::v1::CheckoutError)
//!   with a code and a message;
//! - [`webhook`]: Stripe's webhook signature check and the event fields
//!   Sellout acts on (the gateway checks deliveries before it hands them
//!   to the workers, who check again);
//! - [`Secret`]: a string that never reaches a log.
//!
//! The gateway depends on this crate, never on the workers' application
//! crate.

pub mod checkout;
mod ids;
pub mod scan;
mod secret;
pub mod webhook;

pub use checkout::CheckoutClient;
pub use ids::{error, valid_id};
pub use scan::ScanClient;
pub use secret::Secret;
pub use webhook::{SIGNATURE_HEADER, WebhookError, WebhookEvent, WebhookVerifier};
