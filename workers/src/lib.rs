//! The Sellout worker's domain logic and services:
//! - [`inventory`]: the book (exact counts, seats, and their invariant
//!   checker; pure);
//! - [`checkout`]: the hold service on it (a single writer per event over
//!   NATS request/reply, its ledger in JetStream, its counts projected to
//!   the inventory documents);
//! - [`orders`]: orders, payments through [`payments`] (Stripe
//!   PaymentIntents on connected accounts, refunds of PaymentIntents and
//!   legacy Charges), tickets ([`ticket`]: signed QR payloads, keys, QR
//!   images), refunds and bulk refunds;
//! - [`pricing`]: discounts, fees, taxes, Stripe's fee grossed up;
//! - [`email`]: rendering, MIME and sending of buyers' mail, sent exactly
//!   once as the event's stream says, reminders before the event, and
//!   texts.
//!
//! What the workers store is defined in `sellout_store`; how callers reach
//! them, in `sellout_client`; SMTP and SMS sending, in `sellout_notify`.
//! - [`scan`]: the scan role: tickets verified at the door, admitted
//!   exactly once per day across every gate (a per-ticket compare-and-set
//!   in the event's stream), undone by staff, offline scans synced with
//!   every conflict reported.

pub mod checkout;
pub mod email;
pub mod inventory;
pub mod metrics;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod scan;
pub mod ticket;
