//! Indexes and the gateway's reads: order pages with filters and search,
//! sales for customer lists, sold orders for figures, exports.

use futures::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use mongodb::{Collection, Database, IndexModel};

use super::*;

/// Indexes the order lists need (idempotent): an event's orders newest
/// first, and a buyer's (by e-mail or phone).
pub async fn ensure_indexes(db: &Database) -> mongodb::error::Result<()> {
    let coll: Collection<Document> = db.collection(COLLECTION);
    for key in ["eventUid", "buyerEmail", "buyerPhone"] {
        coll.create_index(
            IndexModel::builder()
                .keys(doc! {key: 1, "placedAtMs": -1, "_id": -1})
                .build(),
        )
        .await?;
    }
    // A webhook's order, found by its payment.
    for key in ["paymentIntent", "charge"] {
        coll.create_index(IndexModel::builder().keys(doc! {key: 1}).build())
            .await?;
    }
    // The door's lookup of a ticket's holder.
    coll.create_index(
        IndexModel::builder()
            .keys(doc! {"tickets.ticketId": 1})
            .build(),
    )
    .await?;
    Ok(())
}

/// [`ensure_indexes`], retried every few seconds until MongoDB answers
/// (run at start-up; reads work without the indexes, only slower).
pub async fn ensure_indexes_in_background(db: Database) {
    loop {
        match ensure_indexes(&db).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot create the orders indexes yet; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    }
}

/// Whose orders: a buyer's login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Buyer {
    /// By e-mail address (any case).
    Email(String),
    /// By phone number (E.164).
    Phone(String),
}

/// Which orders a list shows. Every part given must match.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    /// Orders of these events (UIDs); `None`: of any event.
    pub events: Option<Vec<String>>,
    /// Orders of this buyer.
    pub buyer: Option<Buyer>,
    /// In one of these states; `None`: any.
    pub states: Option<Vec<OrderState>>,
    /// Placed at or after (ms since the epoch).
    pub placed_from_ms: Option<i64>,
    /// Placed before.
    pub placed_to_ms: Option<i64>,
    /// A promoter's search: an order number, or the start of the buyer's
    /// e-mail address or of a word of their name (any case). At most
    /// [`MAX_SEARCH`] characters; blank is no search.
    pub search: Option<String>,
}

/// Longest search text.
pub const MAX_SEARCH: usize = 100;

/// Why a list's filter cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError(pub String);

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl OrderFilter {
    pub(super) fn to_document(&self) -> Result<Document, FilterError> {
        let mut clauses = Vec::new();
        if let Some(uids) = &self.events {
            clauses.push(doc! {"eventUid": {"$in": uids}});
        }
        match &self.buyer {
            Some(Buyer::Email(e)) => clauses.push(doc! {"buyerEmail": e.to_lowercase()}),
            Some(Buyer::Phone(p)) => clauses.push(doc! {"buyerPhone": p}),
            None => {}
        }
        if let Some(s) = self
            .search
            .as_deref()
            .map(search_filter)
            .transpose()?
            .flatten()
        {
            clauses.push(s);
        }
        if let Some(states) = &self.states {
            let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
            clauses.push(doc! {"state": {"$in": states}});
        }
        let mut placed = Document::new();
        if let Some(from) = self.placed_from_ms {
            placed.insert("$gte", Bson::Int64(from));
        }
        if let Some(to) = self.placed_to_ms {
            placed.insert("$lt", Bson::Int64(to));
        }
        if !placed.is_empty() {
            clauses.push(doc! {"placedAtMs": placed});
        }
        Ok(if clauses.is_empty() {
            Document::new()
        } else {
            doc! {"$and": clauses}
        })
    }
}

/// Where a list page starts: after the order with this `(placedAtMs, id)`.
pub type PageKey = (i64, String);

/// The key of `order` in lists (unique and never changing).
pub fn page_key(order: &OrderDoc) -> PageKey {
    (order.placed_at_ms, order.id.clone())
}

/// Why a read failed.
#[derive(Debug)]
pub enum ReadError {
    /// The filter cannot be used (the message says what to fix).
    Filter(FilterError),
    /// MongoDB failed.
    Mongo(mongodb::error::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Filter(e) => e.fmt(f),
            ReadError::Mongo(e) => write!(f, "the order store is unavailable: {e}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Filter(_) => None,
            ReadError::Mongo(e) => Some(e),
        }
    }
}

impl From<mongodb::error::Error> for ReadError {
    fn from(e: mongodb::error::Error) -> Self {
        ReadError::Mongo(e)
    }
}

impl From<FilterError> for ReadError {
    fn from(e: FilterError) -> Self {
        ReadError::Filter(e)
    }
}

/// Up to `limit` orders matching `filter`, newest first by `(placedAtMs,
/// _id)`, after `after`: a stable order, so orders placed while someone
/// pages never shift a page.
pub async fn page(
    db: &Database,
    filter: &OrderFilter,
    after: Option<&PageKey>,
    limit: i64,
) -> Result<Vec<OrderDoc>, ReadError> {
    let mut clauses = vec![filter.to_document()?];
    if let Some((t, id)) = after {
        clauses.push(doc! {"$or": [
            {"placedAtMs": {"$lt": t}},
            {"placedAtMs": t, "_id": {"$lt": id}},
        ]});
    }
    Ok(collection(db)
        .find(doc! {"$and": clauses})
        .sort(doc! {"placedAtMs": -1, "_id": -1})
        .limit(limit)
        .await?
        .try_collect()
        .await?)
}

/// The order `id`, of event `event_uid` when given.
pub async fn find(
    db: &Database,
    event_uid: Option<&str>,
    id: &str,
) -> mongodb::error::Result<Option<OrderDoc>> {
    collection(db).find_one(by_id(event_uid, id)).await
}

/// The order paid by PaymentIntent `payment_intent` or legacy Charge
/// `charge` (of any event): where a Stripe event without our metadata
/// (refunds, disputes) belongs.
pub async fn by_payment(
    db: &Database,
    payment_intent: Option<&str>,
    charge: Option<&str>,
) -> mongodb::error::Result<Option<OrderDoc>> {
    match super::payment_filter(None, payment_intent, charge) {
        Some(filter) => collection(db).find_one(filter).await,
        None => Ok(None),
    }
}

/// The fields a customer list reads.
fn sale_fields() -> Document {
    doc! {
        "state": 1, "buyerEmail": 1, "buyerName": 1, "currency": 1, "total": 1,
        "placedAtMs": 1, "refunds": 1, "buyerArea": 1,
    }
}

/// The Completed and Refunded orders of events `uids` (of the buyers
/// `emails` when given), with only what a customer list reads (buyer,
/// currency, total, placed, refunds).
pub async fn sales(
    db: &Database,
    uids: &[String],
    emails: Option<&[&str]>,
) -> mongodb::error::Result<mongodb::Cursor<OrderDoc>> {
    let mut filter = doc! {
        "eventUid": {"$in": uids},
        "state": {"$in": [OrderState::Completed, OrderState::Refunded]},
    };
    if let Some(emails) = emails {
        filter.insert("buyerEmail", doc! {"$in": emails});
    }
    collection(db).find(filter).projection(sale_fields()).await
}

/// The paid orders ([`OrderState::PAID`]) of events `uids` placed in
/// `[from_ms, to_ms)`, with only what sales figures read (event, placed,
/// currency, total, lines without descriptions, channel, promo code,
/// refunds).
pub async fn sold(
    db: &Database,
    uids: &[&str],
    from_ms: i64,
    to_ms: i64,
) -> mongodb::error::Result<Vec<OrderDoc>> {
    collection(db)
        .find(doc! {
            "eventUid": {"$in": uids},
            "placedAtMs": {"$gte": from_ms, "$lt": to_ms},
            "state": {"$in": OrderState::PAID.as_slice()},
        })
        .projection(doc! {
            "state": 1, "eventUid": 1, "placedAtMs": 1, "currency": 1, "total": 1,
            "lines.tier": 1, "lines.quantity": 1, "lines.amount": 1, "lines.addOn": 1,
            "channel": 1, "promoCode": 1, "refunds": 1,
        })
        .await?
        .try_collect()
        .await
}

/// Who holds a ticket, as the door shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holder {
    /// The buyer's name ("" when they gave none).
    pub name: String,
    /// The ticket's seat ("" when unseated).
    pub seat: String,
}

/// The holder of ticket `ticket_id` of event `event_uid`, from the order
/// it was sold in (`tickets.ticketId`, indexed).
pub async fn holder(
    db: &Database,
    event_uid: &str,
    ticket_id: &str,
) -> mongodb::error::Result<Option<Holder>> {
    let Some(order) = collection(db)
        .find_one(doc! {"eventUid": event_uid, "tickets.ticketId": ticket_id})
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Holder {
        seat: order
            .tickets
            .iter()
            .find(|t| t.ticket_id == ticket_id)
            .map(|t| t.seat.clone())
            .unwrap_or_default(),
        name: order.buyer_name,
    }))
}

/// Every order of events `uids`, oldest first: what an export streams.
pub async fn all_of(
    db: &Database,
    uids: &[String],
) -> mongodb::error::Result<mongodb::Cursor<OrderDoc>> {
    collection(db)
        .find(doc! {"eventUid": {"$in": uids}})
        .sort(doc! {"placedAtMs": 1, "_id": 1})
        .await
}

/// Escapes `s` for a regular expression (MongoDB's PCRE; FerretDB's Go
/// RE2): every character but letters, digits and `@`, `_`, space is
/// escaped or dropped.
pub(super) fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if c.is_alphanumeric() || c == '@' || c == '_' || c == ' ' {
            out.push(c);
        } else if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

/// The filter for a promoter's search text (see [`OrderFilter::search`]).
pub(super) fn search_filter(text: &str) -> Result<Option<Document>, FilterError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_SEARCH {
        return Err(FilterError(format!(
            "search must be at most {MAX_SEARCH} characters"
        )));
    }
    let e = regex_escape(text);
    let re = |pattern: String| doc! {"$regex": pattern, "$options": "i"};
    Ok(Some(doc! {"$or": [
        {"number": re(format!("^{e}"))},
        {"buyerEmail": re(format!("^{e}"))},
        {"buyerName": re(format!("(^|\\s){e}"))},
    ]}))
}
