//! The checkout role's inventory service: holds, releases, sales, restocks
//! and expiry of one event's tickets, exact under any concurrency.
//!
//! Design (chosen by measurement, see `docs/inventory.md`): a single
//! writer per event owns the [`Book`](crate::inventory::Book) in memory and
//! group-commits accepted operations to the event's JetStream stream
//! (`<event>.ledger`), answering only once a batch is stored. The writer
//! is whichever checkout worker holds the event's lease ([`lease`]);
//! appends are fenced by the ledger's last sequence, and a new writer
//! replays the ledger. Requests arrive as protobuf over NATS
//! request/reply ([`service`]); `sellout_client::CheckoutClient` is how
//! callers send them.
//!
//! The ledger is replayed whole when a writer starts (no snapshots yet);
//! only tier counts are projected to MongoDB, not single holds.

pub mod catalog;
pub mod lease;
pub mod ledger;
pub mod projection;
pub mod service;
pub mod source;
pub mod writer;

pub use catalog::Catalog;
pub use sellout_client::CheckoutClient;
pub use service::Service;
