//! The Sellout worker's domain logic, plain Rust testable without any
//! server. Built so far: [`pricing`] and the [`inventory`] book (exact
//! counts and their invariant checker; the concurrent hold service built on
//! it is not), [`email`] (rendering, MIME structure and SMTP sending of
//! buyers' mail; the stream-driven sending and reminder schedule are not),
//! and [`ticket`] (signed QR payloads, their keys and QR
//! images). Payments, refunds and the scan role are not built yet
//! (issue #5 and the scanning issue).

pub mod checkout;
pub mod email;
pub mod inventory;
pub mod pricing;
pub mod ticket;
