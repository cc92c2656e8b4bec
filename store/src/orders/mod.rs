//! Orders: one document per order in the `orders` collection, written only
//! by the event's checkout workers (the order service) and read by the
//! gateway. Its state changes by single-document updates conditioned on
//! the state before ([`OrderState`]); refunds are recorded inside it.
//!
//! Also here: `order_holds`, which order claimed each hold (`_id`: the
//! hold id), so one hold is bought by one order.

use std::collections::BTreeMap;
use std::fmt;

use mongodb::bson::{Bson, Document, doc};
use mongodb::{Collection, Database};
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

/// A 0.1-degree cell of the map (about 11 km): where a buyer is, as
/// coarsely as Sellout keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaDoc {
    /// Latitude of its south-west corner, tenths of a degree (-900 to 900).
    pub lat_tenths: i32,
    /// Longitude of its south-west corner, tenths of a degree (-1800 to
    /// 1800).
    pub lon_tenths: i32,
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
    /// The buyer proved the phone number is theirs (only then is it
    /// texted).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub buyer_phone_verified: bool,
    /// Roughly where the buyer is, when they chose to share it (the
    /// buyer map's only source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_area: Option<AreaDoc>,
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
    /// Ids of its refunds not yet Done or Failed (the resume loop finds
    /// them by it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_refunds: Vec<String>,
    /// Disputes (chargebacks) of its payment, by Stripe dispute id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub disputes: BTreeMap<String, DisputeDoc>,
    /// Payment attempts the workers confirmed on the server (each with a
    /// card the buyer gave); capped, so one order cannot test many cards.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub payment_attempts: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A dispute of an order's payment, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DisputeDoc {
    /// Stripe's status (`needs_response`, `won`, `lost`, …).
    pub status: String,
    /// Minor units disputed.
    pub amount: i64,
    /// The tickets it revoked while it is open.
    pub tickets: Vec<String>,
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
            requires_action: false,
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
fn collection(db: &Database) -> Collection<OrderDoc> {
    db.collection(COLLECTION)
}

/// The filter of order `id`, of event `event_uid` when given.
/// The order paid by PaymentIntent `payment_intent` (or, for an order
/// imported from the old platform, by Charge `charge`), of event
/// `event_uid` when given. `None` when neither is given.
fn payment_filter(
    event_uid: Option<&str>,
    payment_intent: Option<&str>,
    charge: Option<&str>,
) -> Option<Document> {
    let mut filter = match (payment_intent, charge) {
        (Some(pi), Some(ch)) => doc! {"$or": [{"paymentIntent": pi}, {"charge": ch}]},
        (Some(pi), None) => doc! {"paymentIntent": pi},
        (None, Some(ch)) => doc! {"charge": ch},
        (None, None) => return None,
    };
    if let Some(uid) = event_uid {
        filter.insert("eventUid", uid);
    }
    Some(filter)
}

fn by_id(event_uid: Option<&str>, id: &str) -> Document {
    let mut filter = doc! {"_id": id};
    if let Some(uid) = event_uid {
        filter.insert("eventUid", uid);
    }
    filter
}

mod read;
mod write;

pub use read::*;
pub use write::*;

#[cfg(test)]
mod tests;
