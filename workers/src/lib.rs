//! The Sellout worker's domain logic, plain Rust testable without any
//! server. Built so far: [`pricing`] and the [`inventory`] book (exact
//! counts and their invariant checker; the concurrent hold service built on
//! it is not), [`email`] (rendering, MIME structure and SMTP sending of
//! buyers' mail; the stream-driven sending and reminder schedule are not),
//! [`ticket`] (signed QR payloads, their keys and QR images), and
//! [`payments`] (Stripe PaymentIntents on connected accounts, refunds of
//! PaymentIntents and legacy Charges, webhook verification; the order flow
//! that drives them is not built yet). The scan role is not built yet (the
//! scanning issue).

pub mod email;
pub mod inventory;
pub mod payments;
pub mod pricing;
pub mod ticket;
