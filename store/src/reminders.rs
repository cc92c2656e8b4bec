//! Reminders before the event: one document per order and reminder kind
//! in `reminders` (`_id`: `<order id>/<kind>`), written and read only by
//! the workers' e-mail sender (which records them when an order completes
//! and skips them when it is refunded in full) and their reminder
//! scheduler (which claims due ones with a lease, sends them through the
//! sent log, and records the outcome). When a reminder is due is the
//! workers' policy; the document stores no due time.
//!
//! Every change is one single-document conditional update, so two
//! schedulers never hold the same reminder.

use std::time::Duration;

use futures::TryStreamExt;
use mongodb::bson::{Bson, DateTime, Document, doc};
use mongodb::{Collection, Database};
use serde::Deserialize;

use crate::sent;

/// Where a reminder stands, as its document says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderState {
    /// Waiting for its due time (or for a retry after `notBefore`).
    Due,
    /// A scheduler holds it until its lease ends.
    Sending,
    /// Its mail is done (sent, per the mail's record).
    Sent,
    /// Not sent: past due when the order completed, past its window when
    /// looked at, or the order was refunded.
    Skipped,
    /// Its mail could not be delivered (bad address, refused recipient).
    Failed,
}

impl ReminderState {
    /// As stored in the document's `state`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderState::Due => "due",
            ReminderState::Sending => "sending",
            ReminderState::Sent => "sent",
            ReminderState::Skipped => "skipped",
            ReminderState::Failed => "failed",
        }
    }

    /// From the document's `state`.
    pub fn parse(s: &str) -> Option<Self> {
        [
            ReminderState::Due,
            ReminderState::Sending,
            ReminderState::Sent,
            ReminderState::Skipped,
            ReminderState::Failed,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// A reminder as the scheduler reads it to send it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Reminder {
    /// `<order id>/<kind>`.
    #[serde(rename = "_id")]
    pub id: String,
    /// The kind's short name (`2w`, `8h`).
    pub kind: String,
    /// The order.
    pub order_id: String,
    /// The number the buyer quotes.
    pub order_number: String,
    /// The event (`<namespace>/<name>`).
    pub event: String,
    /// The buyer's address.
    pub to: String,
    /// Tickets in the order.
    pub tickets: i64,
}

/// A reminder to record when its order completes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReminder<'a> {
    /// `<order id>/<kind>`.
    pub id: &'a str,
    /// The kind's short name.
    pub kind: &'a str,
    /// The order.
    pub order_id: &'a str,
    /// The number the buyer quotes.
    pub order_number: &'a str,
    /// The event (`<namespace>/<name>`).
    pub event: &'a str,
    /// The event's stream (the scheduler of that event picks it).
    pub stream: &'a str,
    /// The buyer's address.
    pub to: &'a str,
    /// Tickets in the order.
    pub tickets: i64,
    /// `Due`, or `Skipped` with `reason`.
    pub state: ReminderState,
    /// Why it was skipped.
    pub reason: &'a str,
}

/// The reminders collection.
#[derive(Clone, Debug)]
pub struct ReminderStore {
    coll: Collection<Document>,
}

impl ReminderStore {
    /// The reminders of `db`.
    pub fn new(db: &Database) -> Self {
        ReminderStore {
            coll: sent::reminders(db),
        }
    }

    /// Records `r` unless a reminder with its id exists (a redelivered
    /// order, a refund seen first): those are left as they are.
    pub async fn record(&self, r: &NewReminder<'_>, now: DateTime) -> mongodb::error::Result<()> {
        let insert = self
            .coll
            .insert_one(doc! {
                "_id": r.id,
                "kind": r.kind,
                "orderId": r.order_id,
                "orderNumber": r.order_number,
                "event": r.event,
                "stream": r.stream,
                "to": r.to,
                "tickets": r.tickets,
                "state": r.state.as_str(),
                "reason": r.reason,
                "notBefore": DateTime::from_millis(0),
                "attempts": 0_i64,
                "createdAt": now,
                "updatedAt": now,
            })
            .await;
        match insert {
            Ok(_) => Ok(()),
            Err(e) if crate::is_duplicate(&e) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Skips reminder `id` (of `kind`, order `order_id`, on `stream`)
    /// for `reason`: a `due` one becomes `skipped`; one not recorded yet is
    /// recorded `skipped`, so the order's completion handled later leaves
    /// it so; one being sent or done is left alone.
    pub async fn skip(
        &self,
        id: &str,
        kind: &str,
        order_id: &str,
        stream: &str,
        reason: &str,
    ) -> mongodb::error::Result<()> {
        let now = DateTime::now();
        let skip_due = || {
            self.coll.update_one(
                doc! {"_id": id, "state": ReminderState::Due.as_str()},
                doc! {"$set": {"state": ReminderState::Skipped.as_str(), "reason": reason, "updatedAt": now}},
            )
        };
        if skip_due().await?.matched_count > 0 {
            return Ok(());
        }
        let insert = self
            .coll
            .insert_one(doc! {
                "_id": id,
                "kind": kind,
                "orderId": order_id,
                "stream": stream,
                "state": ReminderState::Skipped.as_str(),
                "reason": reason,
                "attempts": 0_i64,
                "createdAt": now,
                "updatedAt": now,
            })
            .await;
        match insert {
            Ok(_) => Ok(()),
            // Recorded meanwhile (the order's completion handled at the
            // same time as its refund): skip what was just recorded.
            Err(e) if crate::is_duplicate(&e) => skip_due().await.map(|_| ()),
            Err(e) => Err(e),
        }
    }

    /// Marks every reminder of `kind` on `stream` that is due, or held
    /// under a lease that ran out, `skipped` for `reason`; how many.
    pub async fn skip_all(
        &self,
        stream: &str,
        kind: &str,
        reason: &str,
    ) -> mongodb::error::Result<u64> {
        let now = DateTime::now();
        Ok(self
            .coll
            .update_many(
                doc! {
                    "stream": stream,
                    "kind": kind,
                    "$or": [
                        {"state": ReminderState::Due.as_str()},
                        {"state": ReminderState::Sending.as_str(), "leaseUntil": {"$lt": now}},
                    ],
                },
                doc! {
                    "$set": {
                        "state": ReminderState::Skipped.as_str(),
                        "reason": reason,
                        "updatedAt": now,
                    },
                    "$unset": {"leaseUntil": ""},
                },
            )
            .await?
            .modified_count)
    }

    /// Claims up to `batch` reminders of `kind` on `stream` for `owner`
    /// for `lease`: due ones (past their `notBefore`), and ones held under
    /// a lease that ran out (their sender died). Each is claimed by its
    /// own conditional update from the state it was seen in. Returns the
    /// ids now held, each with whether it was taken over.
    pub async fn claim(
        &self,
        stream: &str,
        kind: &str,
        owner: &str,
        lease: Duration,
        batch: usize,
    ) -> mongodb::error::Result<Vec<(String, bool)>> {
        let now = DateTime::now();
        let candidates: Vec<Document> = self
            .coll
            .find(doc! {
                "stream": stream,
                "kind": kind,
                "$or": [
                    {"state": ReminderState::Due.as_str(), "notBefore": {"$lte": now}},
                    {"state": ReminderState::Sending.as_str(), "leaseUntil": {"$lt": now}},
                ],
            })
            .limit(batch.max(1) as i64)
            .await?
            .try_collect()
            .await?;
        let until = DateTime::from_millis(now.timestamp_millis() + lease.as_millis() as i64);
        let mut mine = Vec::with_capacity(candidates.len());
        for c in candidates {
            let Ok(id) = c.get_str("_id") else { continue };
            let was_due = c.get_str("state") == Ok(ReminderState::Due.as_str());
            // Only from the state it was seen in: another scheduler that
            // claimed it first has changed the state or the lease.
            let filter = if was_due {
                doc! {"_id": id, "state": ReminderState::Due.as_str()}
            } else {
                doc! {
                    "_id": id,
                    "state": ReminderState::Sending.as_str(),
                    "leaseUntil": {"$lt": now},
                }
            };
            let r = self
                .coll
                .update_one(
                    filter,
                    doc! {
                        "$set": {
                            "state": ReminderState::Sending.as_str(),
                            "owner": owner,
                            "leaseUntil": until,
                            "updatedAt": now,
                        },
                        "$inc": {"attempts": 1_i64},
                    },
                )
                .await?;
            if r.modified_count == 1 {
                mine.push((id.to_owned(), !was_due));
            }
        }
        Ok(mine)
    }

    /// Reminder `id`, to send.
    pub async fn get(&self, id: &str) -> mongodb::error::Result<Option<Reminder>> {
        let Some(d) = self.coll.find_one(doc! {"_id": id}).await? else {
            return Ok(None);
        };
        Ok(mongodb::bson::from_document(d).ok())
    }

    /// Records the outcome of `owner`'s attempt at reminder `id`: `state`
    /// with `reason`; back to `Due` not before `retry_in` when given.
    pub async fn finish(
        &self,
        id: &str,
        owner: &str,
        state: ReminderState,
        reason: &str,
        retry_in: Option<Duration>,
    ) -> mongodb::error::Result<()> {
        let now = DateTime::now();
        let mut set = doc! {"state": state.as_str(), "updatedAt": now, "reason": reason};
        if let Some(d) = retry_in {
            set.insert(
                "notBefore",
                DateTime::from_millis(now.timestamp_millis() + d.as_millis() as i64),
            );
        }
        if state == ReminderState::Sent {
            set.insert("sentAt", now);
        }
        self.coll
            .update_one(
                doc! {"_id": id, "owner": owner, "state": ReminderState::Sending.as_str()},
                doc! {"$set": set, "$unset": {"leaseUntil": Bson::String(String::new())}},
            )
            .await
            .map(|_| ())
    }
}
