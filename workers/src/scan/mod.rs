//! The scan role: tickets checked at the door, online and offline.
//!
//! - [`door`] (pure): the event's days and tiers as the door sees them,
//!   which day is scanned when, and the checks of a code that need no
//!   ledger (Invalid, WrongEvent, Revoked, WrongDay);
//! - [`decide`] (pure): given a ticket's last check-in record for a day,
//!   answer (AlreadyScanned, a retry) or write the next record;
//! - [`ledger`]: those records in the event's stream, one subject per
//!   ticket and day, appended with the subject's last sequence as a
//!   precondition: first scan wins across every gate and worker;
//! - [`feed`]: revocations and check-in counts followed from the stream;
//! - [`service`]: `rpc.scan.<verb>` (admit, undo, sync, counts, bundle) and
//!   the counts projection for the operator; `sellout_client::ScanClient`
//!   is how callers send them.
//!
//! See `docs/scanning.md`.

pub mod decide;
pub mod door;
pub mod feed;
pub mod ledger;
pub mod service;

pub use door::Door;
pub use service::ScanService;
