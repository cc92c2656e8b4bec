//! The Sellout worker's domain logic, plain Rust testable without any
//! server. Built so far: [`pricing`] and the [`inventory`] book (exact
//! counts and their invariant checker; the concurrent hold service built on
//! it is not). Payments, refunds and the scan role are not built yet
//! (issue #5 and the scanning issue).

pub mod inventory;
pub mod pricing;
