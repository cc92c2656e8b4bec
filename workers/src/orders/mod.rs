//! Orders: from held units to issued tickets, persisted in MongoDB as one
//! document per order whose state changes only by single-document atomic
//! updates conditioned on the state before (no multi-document
//! transactions, which FerretDB lacks).
//!
//! ```text
//! create ──► AwaitingPayment ──payment_intent.succeeded──► Paid ──► Completed
//!               │  (free / complimentary orders go straight to Paid)
//!               └──payment_intent.payment_failed──► PaymentFailed (holds released)
//! ```
//!
//! Every step is idempotent and resumable: the order id is the Stripe
//! idempotency key's root; a webhook delivered five times or out of order
//! moves the state once; `Paid → Completed` sells the holds (idempotent in
//! the inventory ledger), issues tickets with ids derived from the order
//! id (so a second run issues the same tickets), publishes
//! `OrderCompleted` with `Nats-Msg-Id = tickets-<order>` (JetStream drops
//! the duplicate), and only then marks the order Completed. A worker that
//! crashes anywhere in between finishes the job when it starts again
//! ([`OrderService::resume`]) or when Stripe redelivers the webhook.
//!
//! Refunds ([`refunds`](self)): whole orders or single tickets, on
//! PaymentIntents and legacy Charges, the platform's fees returned only
//! with the last refund of an order, inventory restocked, tickets revoked
//! on the stream; cancelled events refunded in bulk, with a dry run.
//!
//! Refunds made in Stripe's dashboard and disputes (chargebacks):
//! [`chargebacks`](self).
//!
//! An order paid after its units were gone, or after it was cancelled, is
//! `RefundNeeded` and refunded automatically by the resume loop.
//!
//! Modules: [`create`](self) (pricing, hold claims, the PaymentIntent),
//! `payment` (webhooks, unpaid orders), `fulfil` (tickets, the
//! announcement, resends), `refunds`, and `service` (the request loop and
//! the conditional state transitions they share). The documents are
//! `sellout_store::orders`.

mod chargebacks;
mod create;
mod fulfil;
mod payment;
mod refunds;
mod service;

pub use sellout_client::valid_id;
pub use sellout_store::orders::{Channel, OrderState};
pub use service::{OrderService, PaymentsSetup, PlatformFees};

/// The reason of the refunds of a cancelled event (their e-mail is the
/// event-cancelled notice, with the refund).
pub const EVENT_CANCELLED: &str = "event cancelled";
