//! Sellout's Kubernetes API types, group `sellout.io`, version `v1alpha1`.
//!
//! Not built yet: the `Organization`, `Venue`, `Event` and `TicketTier` kinds,
//! their CEL rules and the `crdgen` binary arrive with the CRDs-and-operator
//! issue (#4). Only the API coordinates are fixed here.

/// The API group of every Sellout custom resource.
pub const GROUP: &str = "sellout.io";
/// The API version served for every Sellout custom resource.
pub const VERSION: &str = "v1alpha1";
