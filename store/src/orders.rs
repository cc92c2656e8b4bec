//! Orders: one document per order in the `orders` collection, written only
//! by the event's checkout workers (the order service) and read by the
//! gateway. Its state changes by single-document updates conditioned on
//! the state before ([`OrderState`]); refunds are recorded inside it.
//!
//! Also here: `order_holds`, which order claimed each hold (`_id`: the
//! hold id), so one hold is bought by one order.

use std::collections::BTreeMap;
use std::fmt;

use futures::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use mongodb::{Collection, Database, IndexModel};
use serde::{Deserialize, Serialize};

use sellout_common::proto::v1::{self as pb, IssuedTicket, OrderView};

/// The collection of every event's orders (`eventUid` tells them apart).
const COLLECTION: &str = "orders";
/// The collection of hold claims.
const CLAIMS: &str = "order_holds";

/// Where an order is in its life.
///
/// ```text
/// create ──► AwaitingPayment ──payment_intent.succeeded──► Paid ──► Completed
///               │  (free / complimentary orders go straight to Paid)
///               └──payment_intent.payment_failed──► PaymentFailed (holds released)
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderState {
    /// Placed; waiting for Stripe's `payment_intent.succeeded`.
    #[default]
    AwaitingPayment,
    /// Paid (or free): tickets being issued.
    Paid,
    /// Tickets issued and announced on the stream.
    Completed,
    /// The payment failed; the holds were released.
    PaymentFailed,
    /// Paid after its hold ended and its units were sold meanwhile (or
    /// after it was cancelled): the payment must be refunded.
    RefundNeeded,
    /// Every ticket refunded.
    Refunded,
    /// Cancelled before it was paid; its holds were released.
    Cancelled,
}

impl OrderState {
    /// Every state.
    pub const ALL: [OrderState; 7] = [
        OrderState::AwaitingPayment,
        OrderState::Paid,
        OrderState::Completed,
        OrderState::PaymentFailed,
        OrderState::RefundNeeded,
        OrderState::Refunded,
        OrderState::Cancelled,
    ];

    /// The states of an order that took money (or was free): what sales
    /// figures count.
    pub const PAID: [OrderState; 4] = [
        OrderState::Paid,
        OrderState::Completed,
        OrderState::RefundNeeded,
        OrderState::Refunded,
    ];

    /// The state as stored (and in `OrderView.state`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::AwaitingPayment => "AwaitingPayment",
            OrderState::Paid => "Paid",
            OrderState::Completed => "Completed",
            OrderState::PaymentFailed => "PaymentFailed",
            OrderState::RefundNeeded => "RefundNeeded",
            OrderState::Refunded => "Refunded",
            OrderState::Cancelled => "Cancelled",
        }
    }

    /// Parses a stored state.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<OrderState> for Bson {
    fn from(s: OrderState) -> Self {
        Bson::String(s.as_str().into())
    }
}

/// How an order was sold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// Bought online by the buyer. Orders stored before the channel was
    /// recorded have an empty one, read as this.
    #[default]
    #[serde(rename = "online", alias = "")]
    Online,
    /// Sold at the box office (cash or card there).
    #[serde(rename = "box_office")]
    BoxOffice,
    /// Complimentary: given away by the box office.
    #[serde(rename = "comp")]
    Comp,
    /// Imported from the old platform.
    #[serde(rename = "imported")]
    Imported,
}

impl Channel {
    /// The channel of an order request.
    pub fn of(box_office: bool, complimentary: bool) -> Self {
        match (box_office, complimentary) {
            (true, true) => Channel::Comp,
            (true, false) => Channel::BoxOffice,
            _ => Channel::Online,
        }
    }

    /// The channel as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::BoxOffice => "box_office",
            Channel::Comp => "comp",
            Channel::Imported => "imported",
        }
    }
}

/// Where a refund is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundState {
    /// Tickets reserved for it; the money is on its way back.
    #[default]
    Pending,
    /// The money went back.
    Done,
    /// Stripe refused it; the tickets are free to refund again.
    Failed,
}

impl RefundState {
    /// The state as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundState::Pending => "Pending",
            RefundState::Done => "Done",
            RefundState::Failed => "Failed",
        }
    }
}

impl From<RefundState> for Bson {
    fn from(s: RefundState) -> Self {
        Bson::String(s.as_str().into())
    }
}

/// A hold bought by an order, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HoldDoc {
    /// The hold's id (chosen by the buyer's client).
    pub hold_id: String,
    /// Its tier.
    pub tier: String,
    /// Units held.
    pub quantity: i64,
    /// Its specific seats (labels), if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<String>,
}

/// A ticket as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TicketDoc {
    /// Its id (a UUID derived from the order id and its place).
    pub ticket_id: String,
    /// The hold it was sold from (inventory comes back to it on refund).
    pub hold_id: String,
    /// Its tier.
    pub tier: String,
    /// What it admits to, as buyers read it.
    pub label: String,
    /// The signed QR payload (docs/ticket-format.md).
    pub qr_payload: String,
    /// People it admits (a table's seats).
    pub admissions: i32,
    /// Its seat label, for a seated tier.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub seat: String,
    /// Its seat as the inventory holds it (`<section>/<label>`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub seat_key: String,
}

/// A refund of some of an order's tickets, as stored (in the order, by
/// refund id).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundDoc {
    /// The tickets it refunds.
    #[serde(default)]
    pub tickets: Vec<String>,
    /// Minor units going back.
    pub amount: i64,
    /// Whether the platform's fees go back with it (the order's last).
    #[serde(default)]
    pub fees_returned: bool,
    /// Where it is. Required: a refund read without it must not be
    /// taken as pending (and sent to Stripe again).
    pub state: RefundState,
    /// Stripe's refund id, once made.
    #[serde(default)]
    pub stripe_refund: Option<String>,
    /// Why, as the promoter said.
    #[serde(default)]
    pub reason: String,
    /// Stripe's error, when it failed.
    #[serde(default)]
    pub error: Option<String>,
}

/// A line as stored: units of one tier.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineDoc {
    /// The tier.
    pub tier: String,
    /// The tier as buyers see it.
    pub description: String,
    /// Units.
    pub quantity: i64,
    /// Price of one, minor units.
    pub unit_price: i64,
    /// What the line costs, discounts included, minor units.
    pub amount: i64,
    /// An add-on line (parking, merchandise), not admissions. Stored only
    /// when true; orders stored before this field existed lack it (readers
    /// then go by the tier's kind).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub add_on: bool,
}

/// A fee, tax or discount as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChargeDoc {
    /// What buyers read.
    pub label: String,
    /// Minor units (negative for a discount).
    pub amount: i64,
}

/// An order, as stored. Missing fields read as their defaults (a reader
/// given a projection gets the rest empty), but for its id and state,
/// which every read includes: an order read without its state is an
/// error, never taken as awaiting payment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDoc {
    /// The order id (chosen by the buyer's client; the Stripe idempotency
    /// key's root).
    #[serde(rename = "_id")]
    pub id: String,
    /// The number buyers quote ("SO-…").
    #[serde(default)]
    pub number: String,
    /// The Event's UID.
    #[serde(default)]
    pub event_uid: String,
    /// Where it is in its life.
    pub state: OrderState,
    /// SHA-256 of what was asked, to tell a retry from a different order
    /// under the same id.
    #[serde(default)]
    pub request: String,
    /// The holds it buys.
    #[serde(default)]
    pub holds: Vec<HoldDoc>,
    /// Where the tickets go (lower case).
    #[serde(default)]
    pub buyer_email: String,
    /// The buyer's name.
    #[serde(default)]
    pub buyer_name: String,
    /// E.164, or empty.
    #[serde(default)]
    pub buyer_phone: String,
    /// ISO 4217.
    #[serde(default)]
    pub currency: String,
    /// What the buyer pays, minor units.
    #[serde(default)]
    pub total: i64,
    /// The platform's share (Stripe's application fee), minor units.
    #[serde(default)]
    pub application_fee: i64,
    /// What was bought.
    #[serde(default)]
    pub lines: Vec<LineDoc>,
    /// Fees, taxes and discounts.
    #[serde(default)]
    pub charges: Vec<ChargeDoc>,
    /// The Stripe PaymentIntent.
    #[serde(default)]
    pub payment_intent: Option<String>,
    /// The PaymentIntent's client secret (the buyer's browser confirms
    /// with it).
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Why the payment failed.
    #[serde(default)]
    pub payment_error: Option<String>,
    /// Issued tickets.
    #[serde(default)]
    pub tickets: Vec<TicketDoc>,
    /// Stripe webhook events already applied.
    #[serde(default)]
    pub webhook_events: Vec<String>,
    /// When it was placed, ms since the epoch.
    #[serde(default)]
    pub placed_at_ms: i64,
    /// Stripe's fee grossed up into the total.
    #[serde(default)]
    pub stripe_fee: i64,
    /// The connected account the PaymentIntent was made on.
    #[serde(default)]
    pub account: Option<String>,
    /// The Charge of an order imported from the old platform (no
    /// PaymentIntent).
    #[serde(default)]
    pub charge: Option<String>,
    /// How it was sold.
    #[serde(default)]
    pub channel: Channel,
    /// The promo code the buyer used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promo_code: Option<String>,
    /// Refunds by id.
    #[serde(default)]
    pub refunds: BTreeMap<String, RefundDoc>,
    /// Tickets refunded or being refunded.
    #[serde(default)]
    pub refunded_tickets: Vec<String>,
    /// Paid at the box office's counter (no Stripe payment; refunds are
    /// handed back there).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cash: bool,
    /// How many tickets the refunds so far took (kept with
    /// `refundedTickets`, so a refund priced against a count it read is
    /// refused when another refund came in between). Older documents lack
    /// it (read as 0).
    #[serde(default)]
    pub refunded_count: i64,
}

impl OrderDoc {
    /// What its Done refunds returned.
    pub fn refunded(&self) -> i64 {
        self.refunds
            .values()
            .filter(|r| r.state == RefundState::Done)
            .map(|r| r.amount)
            .sum()
    }

    /// The order as the workers answer it.
    pub fn view(&self) -> OrderView {
        OrderView {
            order_id: self.id.clone(),
            order_number: self.number.clone(),
            state: self.state.as_str().into(),
            total: Some(pb::Money {
                amount_minor: self.total,
                currency: self.currency.clone(),
            }),
            payment_intent_id: self.payment_intent.clone().unwrap_or_default(),
            client_secret: self.client_secret.clone().unwrap_or_default(),
            tickets: self.tickets.iter().map(TicketDoc::issued).collect(),
            payment_error: self.payment_error.clone().unwrap_or_default(),
        }
    }
}

impl TicketDoc {
    /// The ticket as announced and answered.
    pub fn issued(&self) -> IssuedTicket {
        IssuedTicket {
            ticket_id: self.ticket_id.clone(),
            label: self.label.clone(),
            qr_payload: self.qr_payload.clone(),
            admissions: self.admissions,
            tier: self.tier.clone(),
            seat: self.seat.clone(),
        }
    }
}

/// The orders collection, typed.
pub fn collection(db: &Database) -> Collection<OrderDoc> {
    db.collection(COLLECTION)
}

/// Fields set with a state change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Why the payment failed (or why the order needs a refund).
    pub payment_error: Option<String>,
    /// The PaymentIntent that paid it.
    pub payment_intent: Option<String>,
}

/// The writes of the order service, the one writer of orders and hold
/// claims. Every change is one single-document update conditioned on what
/// the caller read, so two workers racing on one order move it once.
#[derive(Clone, Debug)]
pub struct OrderStore {
    orders: Collection<OrderDoc>,
    claims: Collection<Document>,
}

impl OrderStore {
    /// The order store in `db`.
    pub fn new(db: &Database) -> Self {
        OrderStore {
            orders: collection(db),
            claims: claims(db),
        }
    }

    /// The order `id` of event `event_uid`.
    pub async fn find(
        &self,
        event_uid: &str,
        id: &str,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        self.orders
            .find_one(doc! {"_id": id, "eventUid": event_uid})
            .await
    }

    /// Stores a new order; `false` when an order with its id exists.
    pub async fn insert(&self, order: &OrderDoc) -> mongodb::error::Result<bool> {
        match self.orders.insert_one(order).await {
            Ok(_) => Ok(true),
            Err(e) if crate::is_duplicate(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Claims hold `hold_id` for order `order_id`: `true` when it is that
    /// order's (claimed now or before), `false` when another order has it.
    pub async fn claim_hold(&self, hold_id: &str, order_id: &str) -> mongodb::error::Result<bool> {
        match self
            .claims
            .insert_one(doc! {"_id": hold_id, "order": order_id})
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if crate::is_duplicate(&e) => {
                let owner = self
                    .claims
                    .find_one(doc! {"_id": hold_id})
                    .await?
                    .and_then(|d| d.get_str("order").ok().map(str::to_owned));
                Ok(owner.as_deref() == Some(order_id))
            }
            Err(e) => Err(e),
        }
    }

    /// Moves order `id` from one of `from` to `to`, setting `changes`;
    /// the order after, or `None` when it was in none of `from`.
    pub async fn transition(
        &self,
        id: &str,
        from: &[OrderState],
        to: OrderState,
        changes: Changes,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        let mut set = doc! {"state": to};
        if let Some(e) = changes.payment_error {
            set.insert("paymentError", e);
        }
        if let Some(pi) = changes.payment_intent {
            set.insert("paymentIntent", pi);
        }
        self.orders
            .find_one_and_update(doc! {"_id": id, "state": {"$in": from}}, doc! {"$set": set})
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Records the PaymentIntent made for order `id` (once: a second one
    /// is never recorded over the first); the order after, or `None` when
    /// it already had one.
    pub async fn record_payment_intent(
        &self,
        id: &str,
        payment_intent: &str,
        client_secret: Option<String>,
        account: &str,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        self.orders
            .find_one_and_update(
                doc! {"_id": id, "paymentIntent": null},
                doc! {"$set": {"paymentIntent": payment_intent, "clientSecret": client_secret, "account": account}},
            )
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Notes that Stripe event `event_id` was applied to order `id`.
    pub async fn record_webhook_event(
        &self,
        id: &str,
        event_id: &str,
    ) -> mongodb::error::Result<()> {
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {"$addToSet": {"webhookEvents": event_id}},
            )
            .await
            .map(|_| ())
    }

    /// Stores the tickets of Paid order `id` if it has none yet (tickets
    /// once issued are kept).
    pub async fn issue_tickets(
        &self,
        id: &str,
        tickets: &[TicketDoc],
    ) -> mongodb::error::Result<()> {
        let tickets = mongodb::bson::to_bson(tickets)?;
        self.orders
            .update_one(
                doc! {"_id": id, "state": OrderState::Paid, "tickets": {"$size": 0}},
                doc! {"$set": {"tickets": tickets}},
            )
            .await
            .map(|_| ())
    }

    /// Reserves `refund`'s tickets of Completed `order` under `refund_id`,
    /// as priced against `order` as read: refused (`None`) when the refund
    /// id exists, a ticket is already refunded, or another refund came in
    /// since `order` was read (its count differs; the last refund returns
    /// the fees).
    pub async fn reserve_refund(
        &self,
        order: &OrderDoc,
        refund_id: &str,
        refund: &RefundDoc,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        let key = refund_key(refund_id);
        // A document written before the count existed has none.
        let count = match order.refunded_tickets.len() {
            0 => Bson::Document(doc! {"$in": [0_i64, Bson::Null]}),
            n => Bson::Int64(n as i64),
        };
        self.orders
            .find_one_and_update(
                doc! {
                    "_id": &order.id,
                    "state": OrderState::Completed,
                    &key: {"$exists": false},
                    "refundedTickets": {"$nin": &refund.tickets},
                    "refundedCount": count,
                },
                doc! {
                    "$set": {&key: mongodb::bson::to_bson(refund)?},
                    "$push": {"refundedTickets": {"$each": &refund.tickets}},
                    "$inc": {"refundedCount": refund.tickets.len() as i64},
                },
            )
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Records Stripe's refund `stripe_refund` of refund `refund_id`.
    pub async fn refund_sent(
        &self,
        id: &str,
        refund_id: &str,
        stripe_refund: &str,
    ) -> mongodb::error::Result<()> {
        let key = refund_key(refund_id);
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {"$set": {format!("{key}.stripeRefund"): stripe_refund}},
            )
            .await
            .map(|_| ())
    }

    /// Marks refund `refund_id` Failed with `error` and frees its
    /// `tickets` to be refunded again.
    pub async fn refund_failed(
        &self,
        id: &str,
        refund_id: &str,
        error: &str,
        tickets: &[String],
    ) -> mongodb::error::Result<()> {
        let key = refund_key(refund_id);
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {
                    "$set": {format!("{key}.state"): RefundState::Failed, format!("{key}.error"): error},
                    "$pullAll": {"refundedTickets": tickets},
                },
            )
            .await
            .map(|_| ())
    }

    /// Marks refund `refund_id` Done.
    pub async fn refund_done(&self, id: &str, refund_id: &str) -> mongodb::error::Result<()> {
        let key = refund_key(refund_id);
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {"$set": {format!("{key}.state"): RefundState::Done}},
            )
            .await
            .map(|_| ())
    }

    /// Orders of event `event_uid` in one of `states`.
    pub async fn of_event(
        &self,
        event_uid: &str,
        states: &[OrderState],
    ) -> mongodb::error::Result<Vec<OrderDoc>> {
        self.orders
            .find(doc! {"eventUid": event_uid, "state": {"$in": states}})
            .await?
            .try_collect()
            .await
    }

    /// Orders of event `event_uid` awaiting payment with a PaymentIntent,
    /// placed before `before_ms`: those whose webhook may have been lost.
    pub async fn unpaid(
        &self,
        event_uid: &str,
        before_ms: i64,
    ) -> mongodb::error::Result<Vec<OrderDoc>> {
        self.orders
            .find(doc! {
                "eventUid": event_uid,
                "state": OrderState::AwaitingPayment,
                "paymentIntent": {"$ne": null},
                "placedAtMs": {"$lt": before_ms},
            })
            .await?
            .try_collect()
            .await
    }
}

/// The path of refund `refund_id` in its order (refund ids are checked
/// ids: no dots).
fn refund_key(refund_id: &str) -> String {
    format!("refunds.{refund_id}")
}

/// The hold claims collection (`_id`: hold id, `order`: the order id).
pub fn claims(db: &Database) -> Collection<Document> {
    db.collection(CLAIMS)
}

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
    fn to_document(&self) -> Result<Document, FilterError> {
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
    let mut filter = doc! {"_id": id};
    if let Some(uid) = event_uid {
        filter.insert("eventUid", uid);
    }
    collection(db).find_one(filter).await
}

/// The fields a customer list reads.
fn sale_fields() -> Document {
    doc! {
        "state": 1, "buyerEmail": 1, "buyerName": 1, "currency": 1, "total": 1,
        "placedAtMs": 1, "refunds": 1,
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
fn regex_escape(s: &str) -> String {
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
fn search_filter(text: &str) -> Result<Option<Document>, FilterError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_channels_are_stored_as_before() {
        for s in OrderState::ALL {
            let b = mongodb::bson::to_bson(&s).unwrap();
            assert_eq!(b, Bson::String(s.as_str().into()));
            assert_eq!(OrderState::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrderState::parse("Nonsense"), None);
        // An order or refund read without its state is an error, never
        // awaiting payment or pending.
        assert!(mongodb::bson::from_document::<OrderDoc>(doc! {"_id": "o1"}).is_err());
        assert!(
            mongodb::bson::from_document::<OrderDoc>(doc! {
                "_id": "o1", "state": "Completed",
                "refunds": {"r1": {"tickets": [], "amount": 100_i64}},
            })
            .is_err()
        );
        assert!(
            mongodb::bson::from_document::<OrderDoc>(doc! {"_id": "o1", "state": "Shipped"})
                .is_err()
        );
        let old: OrderDoc = mongodb::bson::from_document(doc! {
            "_id": "o1", "state": "Completed", "channel": "",
        })
        .unwrap();
        assert_eq!(old.channel, Channel::Online);
        assert_eq!(old.state, OrderState::Completed);
        let comp = mongodb::bson::to_document(&OrderDoc {
            channel: Channel::Comp,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(comp.get_str("channel"), Ok("comp"));
        assert_eq!(Channel::of(true, true), Channel::Comp);
        assert_eq!(Channel::of(true, false), Channel::BoxOffice);
        assert_eq!(Channel::of(false, true), Channel::Online);
    }

    #[test]
    fn add_on_lines_say_so_and_older_lines_read_as_admissions() {
        let mut line = LineDoc {
            tier: "ga".into(),
            quantity: 1,
            unit_price: 2500,
            amount: 2500,
            ..Default::default()
        };
        let stored = mongodb::bson::to_document(&line).unwrap();
        assert!(!stored.contains_key("addOn"), "admission lines unchanged");
        line.add_on = true;
        let stored = mongodb::bson::to_document(&line).unwrap();
        assert_eq!(stored.get_bool("addOn"), Ok(true));
        let old: LineDoc = mongodb::bson::from_document(doc! {
            "tier": "ga", "description": "GA", "quantity": 1_i64, "unitPrice": 2500_i64, "amount": 2500_i64,
        })
        .unwrap();
        assert!(!old.add_on);
    }

    #[test]
    fn search_escapes_and_limits_its_text() {
        assert_eq!(regex_escape("a.b*c"), "a\\.b\\*c");
        assert_eq!(regex_escape("ada.l+x@ex"), "ada\\.l\\+x@ex");
        assert_eq!(regex_escape("(a|b)*"), "\\(a\\|b\\)\\*");
        assert_eq!(regex_escape("ana@x.io"), "ana@x\\.io");
        assert!(search_filter("  ").unwrap().is_none());
        assert!(search_filter(&"x".repeat(101)).is_err());
        let f = OrderFilter {
            search: Some("x".repeat(101)),
            ..Default::default()
        };
        assert!(f.to_document().is_err());
    }
}
