//! What was sent: one record per mail and per text, so each goes out
//! once (claimed with a lease before the send, marked after it), and the
//! reminders collection. Written and read only by the workers' e-mail
//! sender and reminder loop.

use std::time::Duration;

use mongodb::bson::{Bson, DateTime, Document, doc};
use mongodb::options::ReturnDocument;
use mongodb::{Collection, Database};

/// Buyers' mail records.
const EMAILS: &str = "emails";
/// Text records.
const TEXTS: &str = "sms";
/// Reminders due (one document per order and reminder kind).
const REMINDERS: &str = "reminders";

/// The reminders collection (`_id`: `<order id>/<2w|8h>`; its fields are
/// the reminder loop's, in the workers' `email::reminders`).
pub fn reminders(db: &Database) -> Collection<Document> {
    db.collection(REMINDERS)
}

/// Where a mail stands, as its record says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailState {
    /// An attempt holds it (until its lease ends); the SMTP server may or
    /// may not have it.
    Sending,
    /// The last attempt failed transiently; the next one may start at once.
    Retry,
    /// The SMTP server accepted it.
    Sent,
    /// It cannot be delivered (bad address, refused recipient, given up).
    Failed,
}

impl MailState {
    /// As stored in the record's `state`.
    pub fn as_str(self) -> &'static str {
        match self {
            MailState::Sending => "sending",
            MailState::Retry => "retry",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }

    /// From the record's `state`.
    pub fn parse(s: &str) -> Option<Self> {
        [
            MailState::Sending,
            MailState::Retry,
            MailState::Sent,
            MailState::Failed,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// The record of every mail (or text) sent, one document per message
/// key (the mail's key):
///
/// | field | what |
/// |---|---|
/// | `_id` | the mail's key |
/// | `state` | `sending`, `retry`, `sent` or `failed` ([`MailState`]) |
/// | `kind`, `orderId`, `event` | what the mail is |
/// | `to`, `messageId` | the recipient and the Message-ID it was sent with |
/// | `stream`, `seq` | the stream message that asked for it (first attempt) |
/// | `owner`, `leaseUntil` | the attempt holding it, and until when |
/// | `attempts` | attempts started |
/// | `error` | the last failure, addresses blanked |
/// | `createdAt`, `updatedAt`, `sentAt` | times |
///
/// Every change is one single-document atomic write (FerretDB v1 has no
/// transactions).
#[derive(Clone, Debug)]
pub struct SentLog {
    coll: Collection<Document>,
}

/// A claim's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This attempt holds the mail: the `attempts`-th, the first having
    /// started at `first_at`; `took_over` when an earlier attempt's lease
    /// ran out without an outcome.
    Mine {
        /// Attempts started, this one included.
        attempts: u32,
        /// When the first attempt started.
        first_at: DateTime,
        /// Whether an earlier attempt's lease ran out without an outcome.
        took_over: bool,
    },
    /// Sent or failed already.
    Done(MailState),
    /// Another attempt holds it for this much longer.
    Busy {
        /// How long the other attempt's lease still runs.
        for_: Duration,
    },
}

/// A record as first written by [`SentLog::claim`].
pub struct NewRecord<'a> {
    /// The message's key (`_id`).
    pub key: &'a str,
    /// What it is (`order-confirmation`, `sms`, …).
    pub kind: &'a str,
    /// The order it is about.
    pub order_id: &'a str,
    /// The event it is about.
    pub event: &'a str,
    /// The recipient.
    pub to: &'a str,
    /// The Message-ID it is sent with (empty for a text).
    pub message_id: &'a str,
    /// The stream that asked for it.
    pub stream: &'a str,
    /// The stream sequence that asked for it.
    pub seq: u64,
}

impl SentLog {
    /// The log of buyers' mail in `db` (`emails`, keyed by the mail's
    /// key).
    pub fn emails(db: &Database) -> Self {
        SentLog {
            coll: db.collection(EMAILS),
        }
    }

    /// The log of texts in `db` (`sms`, keyed `sms/<order id>`; the same
    /// fields as the mail records).
    pub fn texts(db: &Database) -> Self {
        SentLog {
            coll: db.collection(TEXTS),
        }
    }

    /// The state of the mail with key `key`, if it has a record.
    pub async fn state(&self, key: &str) -> Result<Option<MailState>, mongodb::error::Error> {
        Ok(self
            .coll
            .find_one(doc! {"_id": key})
            .await?
            .and_then(|d| d.get_str("state").ok().and_then(MailState::parse)))
    }

    /// The whole record of the mail with key `key`.
    pub async fn record(&self, key: &str) -> Result<Option<Document>, mongodb::error::Error> {
        self.coll.find_one(doc! {"_id": key}).await
    }

    /// Claims the message `r` for `owner` for `lease`: a new record, or
    /// one whose last attempt failed transiently or whose lease ran out.
    /// A record sent or failed for good is [`Claim::Done`]; one another
    /// attempt holds is [`Claim::Busy`].
    pub async fn claim(
        &self,
        r: &NewRecord<'_>,
        owner: &str,
        lease: Duration,
    ) -> Result<Claim, mongodb::error::Error> {
        // A record deleted between two steps sends us round again.
        for _ in 0..3 {
            let now = DateTime::now();
            let until = DateTime::from_millis(now.timestamp_millis() + lease.as_millis() as i64);
            let insert = self
                .coll
                .insert_one(doc! {
                    "_id": r.key,
                    "state": MailState::Sending.as_str(),
                    "kind": r.kind,
                    "orderId": r.order_id,
                    "event": r.event,
                    "to": r.to,
                    "messageId": r.message_id,
                    "stream": r.stream,
                    "seq": r.seq as i64,
                    "owner": owner,
                    "leaseUntil": until,
                    "attempts": 1_i64,
                    "createdAt": now,
                    "updatedAt": now,
                })
                .await;
            match insert {
                Ok(_) => {
                    return Ok(Claim::Mine {
                        attempts: 1,
                        first_at: now,
                        took_over: false,
                    });
                }
                Err(e) if crate::is_duplicate(&e) => {}
                Err(e) => return Err(e),
            }
            let before = self
                .coll
                .find_one_and_update(
                    doc! {
                        "_id": r.key,
                        "$or": [
                            {"state": MailState::Retry.as_str()},
                            {"state": MailState::Sending.as_str(), "leaseUntil": {"$lt": now}},
                            {"state": MailState::Sending.as_str(), "leaseUntil": {"$exists": false}},
                        ],
                    },
                    doc! {
                        "$set": {
                            "state": MailState::Sending.as_str(),
                            "owner": owner,
                            "leaseUntil": until,
                            "updatedAt": now,
                        },
                        "$inc": {"attempts": 1_i64},
                    },
                )
                .return_document(ReturnDocument::Before)
                .await?;
            if let Some(before) = before {
                return Ok(Claim::Mine {
                    attempts: int(&before, "attempts").map_or(1, |n| n.saturating_add(1)),
                    first_at: before.get_datetime("createdAt").copied().unwrap_or(now),
                    took_over: before.get_str("state") == Ok(MailState::Sending.as_str()),
                });
            }
            let Some(current) = self.coll.find_one(doc! {"_id": r.key}).await? else {
                continue;
            };
            let state = current.get_str("state").ok().and_then(MailState::parse);
            return Ok(match state {
                Some(done @ (MailState::Sent | MailState::Failed)) => Claim::Done(done),
                // Sending under a live lease, or just released for a retry
                // (claimable at the next delivery).
                _ => {
                    let until = current
                        .get_datetime("leaseUntil")
                        .map_or(0, |d| d.timestamp_millis());
                    let left = until.saturating_sub(DateTime::now().timestamp_millis());
                    Claim::Busy {
                        for_: Duration::from_millis(left.max(0) as u64),
                    }
                }
            });
        }
        Err(mongodb::error::Error::custom(format!(
            "the record of mail {} keeps vanishing",
            r.key
        )))
    }

    /// Records the outcome of `owner`'s attempt. `Sent` is recorded
    /// whoever holds the record (the mail has left); `Retry` and `Failed`
    /// only while `owner` holds it.
    pub async fn mark(
        &self,
        key: &str,
        owner: &str,
        state: MailState,
        error: &str,
    ) -> Result<(), mongodb::error::Error> {
        let now = DateTime::now();
        let (filter, update) = match state {
            MailState::Sent => (
                doc! {"_id": key},
                doc! {
                    "$set": {"state": state.as_str(), "sentAt": now, "updatedAt": now, "sentBy": owner},
                    "$unset": {"leaseUntil": "", "error": ""},
                },
            ),
            _ => (
                doc! {"_id": key, "owner": owner, "state": MailState::Sending.as_str()},
                doc! {
                    "$set": {"state": state.as_str(), "error": error, "updatedAt": now},
                    "$unset": {"leaseUntil": ""},
                },
            ),
        };
        self.coll.update_one(filter, update).await.map(|_| ())
    }
}

fn int(d: &Document, key: &str) -> Option<u32> {
    match d.get(key)? {
        Bson::Int32(n) => u32::try_from(*n).ok(),
        Bson::Int64(n) => u32::try_from(*n).ok(),
        _ => None,
    }
}
