//! The Sellout worker's domain logic and services:
//! - [`inventory`]: the book (exact counts, seats, and their invariant
//!   checker; pure);
//! - [`checkout`]: the hold service on it (a single writer per event over
//!   NATS request/reply, its ledger in JetStream);
//! - [`orders`]: orders, payments through [`payments`] (Stripe
//!   PaymentIntents on connected accounts, refunds of PaymentIntents and
//!   legacy Charges, webhook verification), tickets ([`ticket`]: signed QR
//!   payloads, keys, QR images), refunds and bulk refunds;
//! - [`pricing`]: discounts, fees, taxes, Stripe's fee grossed up;
//! - [`email`]: rendering, MIME and SMTP sending of buyers' mail, sent
//!   exactly once as the event's stream says, and reminders before the
//!   event; [`sms`]: texts through a Twilio-style API;
//! - [`cli`]: the SMTP and SMS flags the worker and the gateway share.
//!
//! The scan role is not built yet (the scanning issue).

pub mod checkout;
pub mod cli;
pub mod email;
pub mod inventory;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod sms;
pub mod ticket;
