//! Stripe: PaymentIntents for orders, refunds, and webhook verification.
//! See `docs/payments.md`.
//!
//! - [`StripeConfig`]: the API base URL (Stripe, or localstripe in tests),
//!   the platform's secret key and the webhook signing secret, from files
//!   (a mounted Kubernetes Secret) or values; `Debug` never shows secrets.
//! - [`Payments`]: the client (async-stripe). Every call is made on the
//!   organization's connected account (the `Stripe-Account` header, per
//!   request) with an idempotency key, sent once; failures come back as a
//!   [`PaymentError`] that says what to do next (show a decline to the
//!   buyer, retry with the same key, or stop).
//!   - [`Payments::create_payment_intent`]: amount and currency from our
//!     quote, the application fee, metadata `order_id` and `event_uid`,
//!     confirmed at once when a payment method is given.
//!   - [`Payments::refund`]: part or the rest of a PaymentIntent or of a
//!     legacy Charge (`ch_…`, orders imported from the old platform), with
//!     the application fee refunded only when the caller says so.
//! - [`webhook`]: the `Stripe-Signature` check (HMAC-SHA256, several `v1`,
//!   constant-time, 300 s tolerance) and the few event fields Sellout acts
//!   on.
//!
//! Nothing here decides *when* to charge or refund, nor issues tickets:
//! the order flow built on top does, and it owns the amounts (the quote,
//! what is left to refund) and the idempotency keys (derived from the
//! order and the refund).
//!
//! # What the tests against localstripe show, and what they cannot
//!
//! The integration tests (`workers/tests/it/payments.rs`) run against
//! localstripe, started by the e2e harness through
//! `e2e/localstripe/launch.py`. localstripe by itself has no Connect, no
//! idempotency keys, no application fees, no check that a refund fits in
//! what remains, and no `charge.refunded` event. The launcher adds the
//! Stripe behaviour our code depends on (idempotent replay per key and
//! account, `amount_too_large` / `charge_already_refunded`, the
//! `charge.refunded` event, accepting `application_fee_amount`,
//! `refund_application_fee` and `automatic_payment_methods`), so those
//! tests show that *our* client sends the key and reads the answers right;
//! they are not evidence of Stripe's own behaviour. Still not shown against
//! any server:
//! - Connect itself: localstripe ignores `Stripe-Account` (the tests check
//!   that we send it, through a recording proxy) and moves no money, so no
//!   application fee is collected or refunded: `refund_application_fee` is
//!   accepted and has no effect.
//! - Declines are HTTP 402 with code `card_declined` but type
//!   `invalid_request_error` and without the `payment_intent` Stripe adds;
//!   other decline codes, 3-D Secure and asynchronous payment methods are
//!   not exercised.
//! - Rate limiting (429), 5xx answers and idempotency conflicts from Stripe
//!   are mapped by unit tests only.
//! - Real webhook deliveries carry Connect's `account` field and the API
//!   version of the endpoint; localstripe's carry neither.

mod client;
mod config;
mod error;
pub use sellout_client::webhook;

pub use client::{
    IntentStatus, NewPaymentIntent, NewRefund, PaymentIntent, Payments, Refund, RefundTarget,
};
pub use config::{ConfigError, DEFAULT_API_BASE, DEFAULT_TIMEOUT, Secret, StripeConfig};
pub use error::PaymentError;
pub use webhook::{WebhookError, WebhookEvent, WebhookVerifier};

pub use webhook::{METADATA_EVENT_UID, METADATA_ORDER_ID};
