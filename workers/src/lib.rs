//! The Sellout worker's domain logic and services. Built so far:
//! [`pricing`], the [`inventory`] book (exact counts and their invariant
//! checker, pure) and the [`checkout`] service on it (single writer per
//! event over NATS, ledger in JetStream), [`email`] (rendering, MIME structure and SMTP sending of
//! buyers' mail, order confirmations and refund notices sent exactly once
//! as the event's stream says, and the reminders before the event), [`sms`]
//! (texts to buyers through a Twilio-style API),
//! [`ticket`] (signed QR payloads, their keys and QR images), and
//! [`payments`] (Stripe PaymentIntents on connected accounts, refunds of
//! PaymentIntents and legacy Charges, webhook verification; the order flow
//! that drives them is not built yet). The scan role is not built yet (the
//! scanning issue).

pub mod checkout;
pub mod email;
pub mod inventory;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod sms;
pub mod ticket;
