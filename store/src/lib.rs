//! Every document Sellout keeps in MongoDB (FerretDB locally), in one
//! place: for each collection its name, its document types, typed states,
//! its indexes (created idempotently by whoever starts first), and the
//! reads and writes the other crates call. No other crate spells a
//! collection name or a field path of these documents.
//!
//! One writer per document:
//!
//! | collection | documents | written by | read by |
//! |---|---|---|---|
//! | [`orders`] `orders` | one per order | the event's checkout workers (order service) | the gateway (orders, customers, figures, exports, live status) |
//! | [`orders`] `order_holds` | which order claimed each hold | the checkout workers | the checkout workers |
//! | [`hot`] `<event>holds`, `<event>checkins` | their indexes; dropped or archived with the event | the operator (indexes, deletion) | (no writer of holds documents yet: single holds are not projected; check-ins themselves are on the event's stream) |
//! | [`checkins`] `<event>checkins`, document `counts` | check-ins per day as of a stream sequence | the event's scan workers, each projecting the stream, never backwards | the operator (status), Backstage |
//! | [`inventory`] `<event>inventory` | one per tier: capacity, available, held, sold | the event's checkout writer only (its projection of the ledger) | the operator (status), Backstage |
//! | [`sent`] `emails`, `sms` | one per message sent | the workers' e-mail sender | the same (exactly-once sends) |
//! | [`reminders`] `reminders` | one per order's reminders | the workers' e-mail sender and reminder loop | the same |
//!
//! The ledger of an event's inventory (JetStream) is the truth; the
//! inventory documents are a view of it. Orders change only by
//! single-document updates conditioned on the state before (FerretDB has
//! no multi-document transactions).

pub mod checkins;
pub mod hot;
pub mod inventory;
pub mod orders;
pub mod reminders;
pub mod sent;

/// Whether `e` is MongoDB's duplicate-key error (E11000): an insert of an
/// `_id` (or unique key) that exists.
pub fn is_duplicate(e: &mongodb::error::Error) -> bool {
    use mongodb::error::{ErrorKind, WriteFailure};
    match e.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code == 11000,
        ErrorKind::Command(c) => c.code == 11000,
        _ => false,
    }
}
