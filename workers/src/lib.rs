//! The Sellout worker's domain logic, plain Rust testable without any
//! server. Built so far: [`pricing`]. The checkout role's holds, payments,
//! tickets, email and refunds, and the scan role, are not built yet
//! (issue #5 and the scanning issue).

pub mod pricing;
