//! Orders: buyers place and read their own, the box office sells at the
//! door (complimentary or paid at the counter), promoters list an
//! organization's or an event's orders.
//!
//! Placing an order goes to the event's checkout workers
//! (`rpc.order.create`; they price it, take the holds and make the Stripe
//! PaymentIntent). Reading goes to MongoDB's `orders` collection, which
//! the workers write and the gateway only reads. Lists are Relay
//! connections sorted newest first by `(placedAtMs, _id)`: a key that is
//! unique and never changes, so a cursor (which encodes both) marks a fixed
//! place in the list, and orders placed while someone pages through it
//! never shift a page (no duplicates, no gaps).
//!
//! Who sees what: a buyer sees the orders of their login (its e-mail
//! address, or its phone number); BOX_OFFICE and above of the event's
//! organization see every order of it. Anyone else asking for an order is
//! told it does not exist.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::connection::{Connection, CursorType, Edge, OpaqueCursor};
use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Enum, Error, ID, InputObject, Object, SimpleObject};
use futures::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use sellout_common::names::Names;
use sellout_common::proto::v1::{Buyer, CreateOrderRequest, OrderHold};
use sellout_crds::Event;
use sellout_crds::organization::Role;
use sellout_workers::checkout::CheckoutClient;
use sellout_workers::orders::state;
use serde::Deserialize;

use super::Deps;
use super::customers::{Customer, CustomerKey, CustomerLoader};
use super::public::split_slug;
use crate::auth::{self, Login, Principal};
use crate::error::{self, checkout_error, gql_error, unavailable};

/// The MongoDB collection of orders (written by the checkout workers).
pub const COLLECTION: &str = "orders";
/// Default page size of order lists.
pub const DEFAULT_PAGE: i32 = 20;
/// Largest page of any list.
pub const MAX_PAGE: i32 = 100;
/// Most holds in one order.
const MAX_HOLDS: usize = 20;
/// Longest search text.
const MAX_SEARCH: usize = 100;

// ---------------------------------------------------------------------
// The stored order (read model of the workers' documents).
// ---------------------------------------------------------------------

/// An order as the workers store it; fields the gateway does not show are
/// left out, missing ones take their defaults.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRecord {
    #[serde(rename = "_id")]
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) number: String,
    pub(crate) event_uid: String,
    pub(crate) state: String,
    #[serde(default)]
    pub(crate) buyer_email: String,
    #[serde(default)]
    pub(crate) buyer_name: String,
    #[serde(default)]
    pub(crate) buyer_phone: String,
    #[serde(default)]
    pub(crate) currency: String,
    #[serde(default)]
    pub(crate) total: i64,
    #[serde(default)]
    lines: Vec<LineRecord>,
    #[serde(default)]
    charges: Vec<ChargeRecord>,
    #[serde(default)]
    payment_intent: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    payment_error: Option<String>,
    #[serde(default)]
    tickets: Vec<TicketRecord>,
    #[serde(default)]
    pub(crate) placed_at_ms: i64,
    #[serde(default)]
    pub(crate) refunds: BTreeMap<String, RefundRecord>,
    #[serde(default)]
    refunded_tickets: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineRecord {
    tier: String,
    #[serde(default)]
    description: String,
    quantity: i64,
    unit_price: i64,
    amount: i64,
}

#[derive(Clone, Debug, Deserialize)]
struct ChargeRecord {
    label: String,
    amount: i64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TicketRecord {
    ticket_id: String,
    tier: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    qr_payload: String,
    #[serde(default)]
    admissions: i32,
    #[serde(default)]
    seat: String,
}

/// A refund recorded in its order.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRecord {
    #[serde(default)]
    tickets: Vec<String>,
    pub(crate) amount: i64,
    #[serde(default)]
    fees_returned: bool,
    pub(crate) state: String,
    #[serde(default)]
    reason: String,
}

/// The state a refund has once its money went back.
pub const REFUND_DONE: &str = "Done";

impl OrderRecord {
    /// What its Done refunds returned.
    pub fn refunded(&self) -> i64 {
        self.refunds
            .values()
            .filter(|r| r.state == REFUND_DONE)
            .map(|r| r.amount)
            .sum()
    }

    /// Whether `login` is its buyer.
    pub fn bought_by(&self, login: &Login) -> bool {
        match login {
            Login::Email(e) => self.buyer_email.eq_ignore_ascii_case(e),
            Login::Phone(p) => !self.buyer_phone.is_empty() && self.buyer_phone == *p,
        }
    }
}

// ---------------------------------------------------------------------
// GraphQL types.
// ---------------------------------------------------------------------

/// Where an order is in its life.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OrderState {
    /// Placed; waiting for the buyer's payment (confirm it with
    /// `clientSecret`).
    AwaitingPayment,
    /// Paid (or free): its tickets are being issued.
    Paid,
    /// Tickets issued and e-mailed.
    Completed,
    /// The payment failed; the held tickets were given back. Place a new
    /// order to try again.
    PaymentFailed,
    /// Paid after its hold ran out and the tickets were sold meanwhile
    /// (or after it was cancelled): the payment is being refunded.
    RefundNeeded,
    /// Every ticket refunded.
    Refunded,
    /// Cancelled before it was paid.
    Cancelled,
}

impl OrderState {
    /// The state as the workers store it.
    pub fn stored(self) -> &'static str {
        match self {
            OrderState::AwaitingPayment => state::AWAITING_PAYMENT,
            OrderState::Paid => state::PAID,
            OrderState::Completed => state::COMPLETED,
            OrderState::PaymentFailed => state::PAYMENT_FAILED,
            OrderState::RefundNeeded => state::REFUND_NEEDED,
            OrderState::Refunded => state::REFUNDED,
            OrderState::Cancelled => state::CANCELLED,
        }
    }

    /// Parses a stored state.
    pub fn from_stored(s: &str) -> Option<Self> {
        [
            OrderState::AwaitingPayment,
            OrderState::Paid,
            OrderState::Completed,
            OrderState::PaymentFailed,
            OrderState::RefundNeeded,
            OrderState::Refunded,
            OrderState::Cancelled,
        ]
        .into_iter()
        .find(|st| st.stored() == s)
    }
}

/// Who bought an order.
#[derive(SimpleObject, Clone)]
pub struct OrderBuyer {
    /// Name, as given.
    pub name: String,
    /// E-mail address the tickets are sent to.
    pub email: String,
    /// Phone number (E.164), if given.
    pub phone: Option<String>,
}

/// A line of an order: tickets of one tier.
#[derive(SimpleObject, Clone)]
pub struct OrderLine {
    /// The tier's name.
    pub tier: String,
    /// What the buyer sees.
    pub description: String,
    /// How many.
    pub quantity: i64,
    /// Price of one, minor units.
    pub unit_price_minor: i64,
    /// Price of all, minor units.
    pub amount_minor: i64,
}

/// A discount (negative), fee or tax of an order.
#[derive(SimpleObject, Clone)]
pub struct OrderCharge {
    /// What the buyer sees, e.g. "Service fee".
    pub label: String,
    /// Minor units.
    pub amount_minor: i64,
}

/// A ticket of an order.
#[derive(SimpleObject, Clone)]
pub struct OrderTicket {
    /// The ticket's id.
    pub id: ID,
    /// The tier it was sold from.
    pub tier: String,
    /// What the buyer sees, e.g. "General admission 1 of 2".
    pub label: String,
    /// Its seat, for a seated tier.
    pub seat: Option<String>,
    /// People it admits (the seats of a table).
    pub admissions: i32,
    /// The signed payload its QR code carries (what scanners verify).
    pub qr_payload: String,
    /// Whether it was refunded (a refunded ticket no longer admits).
    pub refunded: bool,
}

/// A refund of some or all of an order's tickets.
#[derive(SimpleObject, Clone)]
pub struct Refund {
    /// The refund's id (its idempotency key).
    pub id: ID,
    /// The order.
    pub order_id: ID,
    /// The tickets it refunds.
    pub ticket_ids: Vec<ID>,
    /// What goes back to the buyer, minor units of `currency`.
    pub amount_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Whether the platform's and Stripe's fees went back too (the refund
    /// of an order's last tickets returns them).
    pub fees_returned: bool,
    /// Pending (Stripe or inventory not done yet: ask again), Done or
    /// Failed.
    pub state: String,
    /// Why, as given.
    pub reason: String,
}

/// An order: tickets of one event bought (or being bought) by one buyer.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Order {
    /// The order's id (the idempotency key it was placed with).
    pub id: ID,
    /// The short number buyers and support quote, e.g. "SO-7K3F9QXA".
    pub number: String,
    /// The event's slug (`<namespace>/<name>`); null when the Event no
    /// longer exists.
    pub event: Option<String>,
    /// The event's id (its Kubernetes UID).
    pub event_id: ID,
    /// Where the order is in its life.
    pub state: OrderState,
    /// What the buyer pays, minor units of `currency`.
    pub total_minor: i64,
    /// What has been refunded so far, minor units of `currency`.
    pub refunded_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// When it was placed, ms since the epoch.
    pub placed_at_ms: i64,
    /// Who bought it.
    pub buyer: OrderBuyer,
    /// The tickets bought, by tier.
    pub lines: Vec<OrderLine>,
    /// Discounts, fees and taxes, in order.
    pub charges: Vec<OrderCharge>,
    /// The tickets issued (empty until the order is Completed).
    pub tickets: Vec<OrderTicket>,
    /// Refunds, oldest id first.
    pub refunds: Vec<Refund>,
    /// For the buyer's browser to confirm the payment with Stripe.js
    /// (`stripe.confirmPayment`), while the order awaits payment; shown to
    /// the buyer only.
    pub client_secret: Option<String>,
    /// The Stripe PaymentIntent, if any.
    pub payment_intent_id: Option<String>,
    /// Why the payment failed, for the buyer.
    pub payment_error: Option<String>,
}

#[ComplexObject]
impl Order {
    /// The buyer as a customer of the event's organization (by e-mail
    /// address and this order's currency): completed orders, lifetime
    /// value, refunds, as in `customers`. For BOX_OFFICE and above of the
    /// organization; null for anyone else, for a buyer without a
    /// completed order yet, and when the Event no longer exists. Loaded
    /// in batches: a page of orders asks the database once.
    async fn customer(&self, ctx: &Context<'_>) -> Result<Option<Customer>, Error> {
        let Some(slug) = self.event.as_deref() else {
            return Ok(None);
        };
        let (ns, _) = split_slug(slug)?;
        if auth::require(ctx, ns, Role::BoxOffice).is_err() {
            return Ok(None);
        }
        let email = self.buyer.email.trim().to_lowercase();
        if email.is_empty() {
            return Ok(None);
        }
        let loader = ctx.data::<DataLoader<CustomerLoader>>()?;
        loader
            .load_one(CustomerKey {
                organization: ns.to_owned(),
                email,
                currency: self.currency.clone(),
            })
            .await
            .map_err(|e| gql_error(error::UNAVAILABLE, e.to_string()))
    }
}

impl Order {
    /// The order as `viewer_is_buyer` (or staff) may see it; `slug` is
    /// the event's.
    pub fn from_record(
        rec: &OrderRecord,
        slug: Option<String>,
        viewer_is_buyer: bool,
    ) -> Result<Self, Error> {
        let state = OrderState::from_stored(&rec.state).ok_or_else(|| {
            gql_error(
                error::UNAVAILABLE,
                format!(
                    "order {} has a state this gateway does not know: {}",
                    rec.id, rec.state
                ),
            )
        })?;
        let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        Ok(Order {
            id: ID(rec.id.clone()),
            number: rec.number.clone(),
            event: slug,
            event_id: ID(rec.event_uid.clone()),
            state,
            total_minor: rec.total,
            refunded_minor: rec.refunded(),
            currency: rec.currency.clone(),
            placed_at_ms: rec.placed_at_ms,
            buyer: OrderBuyer {
                name: rec.buyer_name.clone(),
                email: rec.buyer_email.clone(),
                phone: Some(rec.buyer_phone.clone()).filter(|p| !p.is_empty()),
            },
            lines: rec
                .lines
                .iter()
                .map(|l| OrderLine {
                    tier: l.tier.clone(),
                    description: l.description.clone(),
                    quantity: l.quantity,
                    unit_price_minor: l.unit_price,
                    amount_minor: l.amount,
                })
                .collect(),
            charges: rec
                .charges
                .iter()
                .map(|c| OrderCharge {
                    label: c.label.clone(),
                    amount_minor: c.amount,
                })
                .collect(),
            tickets: rec
                .tickets
                .iter()
                .map(|t| OrderTicket {
                    id: ID(t.ticket_id.clone()),
                    tier: t.tier.clone(),
                    label: t.label.clone(),
                    seat: Some(t.seat.clone()).filter(|s| !s.is_empty()),
                    admissions: t.admissions,
                    qr_payload: t.qr_payload.clone(),
                    refunded: rec.refunded_tickets.contains(&t.ticket_id),
                })
                .collect(),
            refunds: rec
                .refunds
                .iter()
                .map(|(id, r)| Refund {
                    id: ID(id.clone()),
                    order_id: ID(rec.id.clone()),
                    ticket_ids: r.tickets.iter().cloned().map(ID).collect(),
                    amount_minor: r.amount,
                    currency: rec.currency.clone(),
                    fees_returned: r.fees_returned,
                    state: r.state.clone(),
                    reason: r.reason.clone(),
                })
                .collect(),
            client_secret: if viewer_is_buyer && state == OrderState::AwaitingPayment {
                nonempty(&rec.client_secret)
            } else {
                None
            },
            payment_intent_id: nonempty(&rec.payment_intent),
            payment_error: nonempty(&rec.payment_error),
        })
    }
}

/// A held tier an order buys (from the `hold` mutation).
#[derive(InputObject)]
pub struct OrderHoldInput {
    /// The hold's id.
    pub hold_id: ID,
    /// Its tier, as held.
    pub tier: String,
    /// Its quantity, as held.
    pub quantity: i64,
    /// Its seats, as held (seated tiers only).
    #[graphql(default)]
    pub seats: Vec<String>,
}

/// Who buys: the tickets are e-mailed to `email`.
#[derive(InputObject, Default)]
pub struct BuyerInput {
    /// Name for the tickets and the greeting.
    pub name: Option<String>,
    /// E-mail address the tickets are sent to.
    pub email: Option<String>,
    /// Phone number in E.164 form (`+447700900123`), for an SMS.
    pub phone: Option<String>,
}

/// How a box-office sale is paid.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum BoxOfficePayment {
    /// Paid at the counter (cash, or a card reader outside Stripe): sold
    /// at the tiers' prices without Stripe's fee, completed at once; a
    /// refund of it is handed back at the counter.
    Cash,
    /// Complimentary: free, no payment.
    Comp,
}

// ---------------------------------------------------------------------
// Helpers shared by the order, refund and customer resolvers.
// ---------------------------------------------------------------------

/// The orders collection.
pub fn orders(deps: &Deps) -> mongodb::Collection<OrderRecord> {
    deps.mongo.collection(COLLECTION)
}

/// The event named by `slug`, its namespace and its UID.
pub async fn event_of(deps: &Deps, slug: &str) -> Result<(String, Arc<Event>, String), Error> {
    let (ns, name) = split_slug(slug)?;
    let event = deps
        .catalog
        .event(ns, name)
        .await
        .map_err(|e| unavailable("the catalog", e))?
        .ok_or_else(|| gql_error(error::UNKNOWN_EVENT, format!("no event {slug}")))?;
    let uid = event.metadata.uid.clone().unwrap_or_default();
    Ok((ns.to_owned(), event, uid))
}

/// A client of the event's checkout workers that gives up after
/// `deadline`, sending a request again when an attempt had no answer
/// within `attempt` (every order verb is idempotent).
pub fn workers(deps: &Deps, uid: &str, deadline: Duration, attempt: Duration) -> CheckoutClient {
    let mut client = CheckoutClient::new(deps.nats.clone(), Names::for_uid(uid));
    client.deadline = deadline;
    client.attempt_timeout = attempt;
    client
}

/// The slugs of every event in the catalog, by UID.
pub fn slugs(deps: &Deps) -> HashMap<String, String> {
    deps.catalog
        .events()
        .iter()
        .filter_map(|e| {
            Some((
                e.metadata.uid.clone()?,
                format!(
                    "{}/{}",
                    e.metadata.namespace.as_deref()?,
                    e.metadata.name.as_deref()?
                ),
            ))
        })
        .collect()
}

/// The order `id` of event `uid`, if it exists.
pub async fn find_order(deps: &Deps, uid: &str, id: &str) -> Result<Option<OrderRecord>, Error> {
    orders(deps)
        .find_one(doc! {"_id": id, "eventUid": uid})
        .await
        .map_err(|e| unavailable("the order store", e))
}

fn not_found(id: &str) -> Error {
    gql_error(error::NOT_FOUND, format!("no order {id} of yours"))
}

/// Page size from `first`.
pub fn page_size(first: Option<i32>) -> Result<i64, Error> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!("first must be 1 to {MAX_PAGE}"),
        ));
    }
    Ok(i64::from(first))
}

fn decode_cursor<T: serde::de::DeserializeOwned + serde::Serialize>(
    after: Option<&str>,
) -> Result<Option<T>, Error> {
    after
        .map(|a| {
            OpaqueCursor::<T>::decode_cursor(a).map(|c| c.0).map_err(|_| {
                gql_error(
                    error::BAD_REQUEST,
                    "after is not a cursor of this list: pass an endCursor or cursor it returned",
                )
            })
        })
        .transpose()
}

/// Decodes an `after` cursor of a customer list.
pub fn decode_customer_cursor(after: Option<&str>) -> Result<Option<(String, String)>, Error> {
    decode_cursor(after)
}

/// One page of orders matching `filter`, newest first, after `after`.
async fn order_page(
    deps: &Deps,
    filter: Document,
    first: Option<i32>,
    after: Option<String>,
    viewer: Option<&Login>,
) -> Result<Connection<String, Order>, Error> {
    let size = page_size(first)?;
    let mut clauses = vec![filter];
    if let Some((t, id)) = decode_cursor::<(i64, String)>(after.as_deref())? {
        clauses.push(doc! {"$or": [
            {"placedAtMs": {"$lt": t}},
            {"placedAtMs": t, "_id": {"$lt": id}},
        ]});
    }
    let records: Vec<OrderRecord> = orders(deps)
        .find(doc! {"$and": clauses})
        .sort(doc! {"placedAtMs": -1, "_id": -1})
        .limit(size + 1)
        .await
        .map_err(|e| unavailable("the order store", e))?
        .try_collect()
        .await
        .map_err(|e| unavailable("the order store", e))?;
    let more = records.len() as i64 > size;
    let slugs = slugs(deps);
    let mut conn = Connection::new(after.is_some(), more);
    for rec in records.iter().take(size as usize) {
        let cursor = OpaqueCursor((rec.placed_at_ms, rec.id.clone())).encode_cursor();
        let mine = viewer.is_some_and(|l| rec.bought_by(l));
        let order = Order::from_record(rec, slugs.get(&rec.event_uid).cloned(), mine)?;
        conn.edges.push(Edge::new(cursor, order));
    }
    Ok(conn)
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

/// The filter for a promoter's search text: an order number, or the start
/// of the buyer's e-mail address or of a word of their name (any case).
fn search_filter(text: &str) -> Result<Option<Document>, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_SEARCH {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!("search must be at most {MAX_SEARCH} characters"),
        ));
    }
    let e = regex_escape(text);
    let re = |pattern: String| doc! {"$regex": pattern, "$options": "i"};
    Ok(Some(doc! {"$or": [
        {"number": re(format!("^{e}"))},
        {"buyerEmail": re(format!("^{e}"))},
        {"buyerName": re(format!("(^|\\s){e}"))},
    ]}))
}

/// Indexes the order lists need (idempotent): an organization's or event's
/// orders newest first, and a buyer's (by e-mail or phone).
pub async fn ensure_indexes(db: &mongodb::Database) -> mongodb::error::Result<()> {
    let coll: mongodb::Collection<Document> = db.collection(COLLECTION);
    for key in ["eventUid", "buyerEmail", "buyerPhone"] {
        coll.create_index(
            mongodb::IndexModel::builder()
                .keys(doc! {key: 1, "placedAtMs": -1, "_id": -1})
                .build(),
        )
        .await?;
    }
    Ok(())
}

/// [`ensure_indexes`], retried every few seconds until MongoDB answers
/// (run at start-up; the lists work without the indexes, only slower).
pub async fn ensure_indexes_in_background(db: mongodb::Database) {
    loop {
        match ensure_indexes(&db).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot create the orders indexes yet; retrying");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

fn buyer_for(login: &Login, input: BuyerInput) -> Result<Buyer, Error> {
    let bad = |m: &str| gql_error(error::BAD_REQUEST, m.to_owned());
    let name = input.name.unwrap_or_default().trim().to_owned();
    if name.chars().count() > 200 {
        return Err(bad("buyer.name must be at most 200 characters"));
    }
    let email = input
        .email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    if email
        .as_ref()
        .is_some_and(|e| e.len() > 254 || !e.contains('@'))
    {
        return Err(bad("buyer.email must be an e-mail address"));
    }
    let phone = input
        .phone
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|p| !p.is_empty());
    if phone.as_ref().is_some_and(|p| {
        !p.starts_with('+') || p.len() > 16 || !p[1..].bytes().all(|b| b.is_ascii_digit())
    }) {
        return Err(bad("buyer.phone must be in E.164 form, e.g. +447700900123"));
    }
    match login {
        Login::Email(mine) => {
            if email
                .as_ref()
                .is_some_and(|e| !e.eq_ignore_ascii_case(mine))
            {
                return Err(bad(
                    "buyer.email must be the address you logged in with: orders belong to the login (leave it out to use it)",
                ));
            }
            Ok(Buyer {
                email: mine.to_lowercase(),
                name,
                phone: phone.unwrap_or_default(),
            })
        }
        Login::Phone(mine) => {
            if phone.as_ref().is_some_and(|p| p != mine) {
                return Err(bad(
                    "buyer.phone must be the number you logged in with: orders belong to the login (leave it out to use it)",
                ));
            }
            let email =
                email.ok_or_else(|| bad("buyer.email is needed: tickets are sent by e-mail"))?;
            Ok(Buyer {
                email,
                name,
                phone: mine.clone(),
            })
        }
    }
}

fn holds_of(holds: Vec<OrderHoldInput>) -> Result<Vec<OrderHold>, Error> {
    if holds.is_empty() || holds.len() > MAX_HOLDS {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!("an order buys 1 to {MAX_HOLDS} holds"),
        ));
    }
    Ok(holds
        .into_iter()
        .map(|h| OrderHold {
            hold_id: h.hold_id.0,
            tier: h.tier,
            quantity: h.quantity,
            seats: h.seats,
        })
        .collect())
}

/// Places `req` with the event's workers and reads the order back.
async fn place(
    deps: &Deps,
    uid: &str,
    slug: &str,
    req: CreateOrderRequest,
    viewer_is_buyer: bool,
) -> Result<Order, Error> {
    let id = req.order_id.clone();
    workers(deps, uid, Duration::from_secs(30), Duration::from_secs(15))
        .create_order(req)
        .await
        .map_err(checkout_error)?;
    let rec = find_order(deps, uid, &id).await?.ok_or_else(|| {
        gql_error(
            error::UNAVAILABLE,
            format!("order {id} was placed but cannot be read yet: ask for it again"),
        )
    })?;
    Order::from_record(&rec, Some(slug.to_owned()), viewer_is_buyer)
}

fn new_order_id(given: Option<ID>) -> String {
    given.map_or_else(|| uuid::Uuid::new_v4().to_string(), |i| i.0)
}

/// Staff (BOX_OFFICE and above) of `ns`, or the order's buyer.
fn may_see(ctx: &Context<'_>, who: &Principal, ns: &str, rec: &OrderRecord) -> bool {
    rec.bought_by(&who.login) || auth::require(ctx, ns, Role::BoxOffice).is_ok()
}

// ---------------------------------------------------------------------
// Resolvers.
// ---------------------------------------------------------------------

/// Order queries: a buyer's own orders, an order, and the promoters'
/// lists.
#[derive(Default)]
pub struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// An order of event `event` (`<namespace>/<name>`): the buyer's own,
    /// or any of the event's for BOX_OFFICE and above of its
    /// organization. NOT_FOUND for anyone else.
    async fn order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The order's id.")] id: ID,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        let rec = find_order(deps, &uid, &id)
            .await?
            .filter(|rec| may_see(ctx, &who, &ns, rec))
            .ok_or_else(|| not_found(&id))?;
        let mine = rec.bought_by(&who.login);
        Order::from_record(&rec, Some(event), mine)
    }

    /// The caller's orders (by their login's e-mail address or phone
    /// number), newest first.
    async fn my_orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before.")] after: Option<String>,
    ) -> Result<Connection<String, Order>, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let filter = match &who.login {
            Login::Email(e) => doc! {"buyerEmail": e.to_lowercase()},
            Login::Phone(p) => doc! {"buyerPhone": p},
        };
        order_page(deps, filter, first, after, Some(&who.login)).await
    }

    /// Orders of an organization (`organization`: its namespace) or of one
    /// event (`event`: `<namespace>/<name>`), newest first; for
    /// BOX_OFFICE and above. Give exactly one of the two. Pages stay
    /// stable while orders come in: the cursor marks a fixed place.
    #[allow(clippy::too_many_arguments)]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: Option<String>,
        #[graphql(desc = "One event: `<namespace>/<name>`.")] event: Option<String>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before.")] after: Option<String>,
        #[graphql(
            desc = "An order number, or the start of the buyer's e-mail address or of a word of their name (any case)."
        )]
        search: Option<String>,
        #[graphql(desc = "Only orders in these states.")] states: Option<Vec<OrderState>>,
        #[graphql(desc = "Only orders placed at or after this time (ms since the epoch).")]
        placed_from_ms: Option<i64>,
        #[graphql(desc = "Only orders placed before this time (ms since the epoch).")]
        placed_to_ms: Option<i64>,
    ) -> Result<Connection<String, Order>, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, uids) = match (organization, event) {
            (Some(ns), None) => {
                let uids = event_uids_in(deps, &ns);
                (ns, uids)
            }
            (None, Some(slug)) => {
                let (ns, _, uid) = event_of(deps, &slug).await?;
                (ns, vec![uid])
            }
            _ => {
                return Err(gql_error(
                    error::BAD_REQUEST,
                    "give either organization or event",
                ));
            }
        };
        let (who, _) = auth::require(ctx, &ns, Role::BoxOffice)?;
        let mut clauses = vec![doc! {"eventUid": {"$in": uids}}];
        if let Some(s) = search.as_deref().map(search_filter).transpose()?.flatten() {
            clauses.push(s);
        }
        if let Some(states) = states {
            let states: Vec<&str> = states.iter().map(|s| s.stored()).collect();
            clauses.push(doc! {"state": {"$in": states}});
        }
        let mut placed = Document::new();
        if let Some(from) = placed_from_ms {
            placed.insert("$gte", Bson::Int64(from));
        }
        if let Some(to) = placed_to_ms {
            placed.insert("$lt", Bson::Int64(to));
        }
        if !placed.is_empty() {
            clauses.push(doc! {"placedAtMs": placed});
        }
        order_page(deps, doc! {"$and": clauses}, first, after, Some(&who.login)).await
    }
}

/// The UIDs of the events of namespace `ns` (from the catalog).
pub fn event_uids_in(deps: &Deps, ns: &str) -> Vec<String> {
    deps.catalog
        .events()
        .iter()
        .filter(|e| e.metadata.namespace.as_deref() == Some(ns))
        .filter_map(|e| e.metadata.uid.clone())
        .collect()
}

/// Order mutations: buyers' orders and the box office's sales.
#[derive(Default)]
pub struct OrdersMutation;

#[Object]
impl OrdersMutation {
    /// Places an order for the caller's holds (from `hold`). Paid orders
    /// come back AWAITING_PAYMENT with a `clientSecret` for Stripe.js;
    /// free ones are completed at once. The order belongs to the caller's
    /// login: for an e-mail login its address is the buyer's e-mail; for
    /// a phone login `buyer.email` is needed. Retrying with the same
    /// `orderId` returns the same order and never charges twice.
    async fn create_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The holds to buy.")] holds: Vec<OrderHoldInput>,
        #[graphql(desc = "Who buys (defaults from the login).")] buyer: Option<BuyerInput>,
        #[graphql(desc = "A promo code for a discount or promo-code tiers.")] promo_code: Option<
            String,
        >,
        #[graphql(desc = "Idempotency key (a UUID); a new one when left out.")] order_id: Option<
            ID,
        >,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let buyer = buyer_for(&who.login, buyer.unwrap_or_default())?;
        let holds = holds_of(holds)?;
        let (_, _, uid) = event_of(deps, &event).await?;
        let req = CreateOrderRequest {
            order_id: new_order_id(order_id),
            holds,
            buyer: Some(buyer),
            promo_code: promo_code.unwrap_or_default(),
            ..Default::default()
        };
        place(deps, &uid, &event, req, true).await
    }

    /// A box-office sale (BOX_OFFICE and above): the holds sold to
    /// `buyer`, complimentary (COMP: free, completed at once) or paid at
    /// the counter (CASH). Retrying with the same `orderId` returns the
    /// same order.
    async fn create_box_office_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The holds to sell.")] holds: Vec<OrderHoldInput>,
        #[graphql(desc = "Who the tickets are for (their e-mail gets them).")] buyer: BuyerInput,
        #[graphql(desc = "How it is paid.")] payment: BoxOfficePayment,
        #[graphql(desc = "Idempotency key (a UUID); a new one when left out.")] order_id: Option<
            ID,
        >,
    ) -> Result<Order, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        auth::require(ctx, &ns, Role::BoxOffice)?;
        let holds = holds_of(holds)?;
        let email = buyer
            .email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .ok_or_else(|| {
                gql_error(
                    error::BAD_REQUEST,
                    "buyer.email is needed: tickets are sent by e-mail",
                )
            })?;
        let buyer = buyer_for(&Login::Email(email), buyer)?;
        let req = CreateOrderRequest {
            order_id: new_order_id(order_id),
            holds,
            buyer: Some(buyer),
            box_office: true,
            complimentary: payment == BoxOfficePayment::Comp,
            cash: payment == BoxOfficePayment::Cash,
            ..Default::default()
        };
        place(deps, &uid, &event, req, false).await
    }

    /// E-mails a completed order's tickets to its buyer again (the
    /// buyer, or BOX_OFFICE and above of the event's organization). At
    /// most one copy goes out per order every 10 minutes; asking again
    /// within that time sends nothing more.
    async fn resend_tickets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The order's id.")] order_id: ID,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let rec = orders(deps)
            .find_one(doc! {"_id": &order_id.0})
            .await
            .map_err(|e| unavailable("the order store", e))?;
        let slugs = slugs(deps);
        let Some((rec, slug)) = rec.and_then(|r| {
            let slug = slugs.get(&r.event_uid).cloned()?;
            Some((r, slug))
        }) else {
            return Err(not_found(&order_id));
        };
        let (ns, _) = split_slug(&slug)?;
        if !may_see(ctx, &who, ns, &rec) {
            return Err(not_found(&order_id));
        }
        workers(
            deps,
            &rec.event_uid,
            Duration::from_secs(15),
            Duration::from_secs(15),
        )
        .resend_tickets(&rec.id)
        .await
        .map_err(checkout_error)?;
        Order::from_record(&rec, Some(slug.clone()), rec.bought_by(&who.login))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_states_round_trip() {
        for s in [
            state::AWAITING_PAYMENT,
            state::PAID,
            state::COMPLETED,
            state::PAYMENT_FAILED,
            state::REFUND_NEEDED,
            state::REFUNDED,
            state::CANCELLED,
        ] {
            assert_eq!(OrderState::from_stored(s).unwrap().stored(), s);
        }
        assert_eq!(OrderState::from_stored("Nonsense"), None);
    }

    #[test]
    fn search_text_is_escaped() {
        assert_eq!(regex_escape("ada.l+x@ex"), "ada\\.l\\+x@ex");
        assert_eq!(regex_escape("(a|b)*"), "\\(a\\|b\\)\\*");
        assert!(search_filter("  ").unwrap().is_none());
        assert!(search_filter(&"x".repeat(101)).is_err());
    }

    #[test]
    fn the_buyer_is_the_login() {
        let email = Login::Email("ada@example.com".into());
        let b = buyer_for(&email, BuyerInput::default()).unwrap();
        assert_eq!(b.email, "ada@example.com");
        let b = buyer_for(
            &email,
            BuyerInput {
                email: Some(" ADA@example.com ".into()),
                name: Some("Ada".into()),
                phone: Some("+44 7700 900123".into()),
            },
        )
        .unwrap();
        assert_eq!(
            (b.email.as_str(), b.phone.as_str()),
            ("ada@example.com", "+447700900123")
        );
        assert!(
            buyer_for(
                &email,
                BuyerInput {
                    email: Some("eve@example.com".into()),
                    ..Default::default()
                }
            )
            .is_err()
        );
        let phone = Login::Phone("+447700900123".into());
        assert!(
            buyer_for(&phone, BuyerInput::default()).is_err(),
            "e-mail needed"
        );
        let b = buyer_for(
            &phone,
            BuyerInput {
                email: Some("ada@example.com".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(b.phone, "+447700900123");
        assert!(
            buyer_for(
                &phone,
                BuyerInput {
                    email: Some("ada@example.com".into()),
                    phone: Some("+15550100".into()),
                    ..Default::default()
                }
            )
            .is_err()
        );
        assert!(
            buyer_for(
                &email,
                BuyerInput {
                    phone: Some("0770".into()),
                    ..Default::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = OpaqueCursor((1_700_000_000_000_i64, String::from("o-1"))).encode_cursor();
        assert_eq!(
            decode_cursor::<(i64, String)>(Some(&c)).unwrap(),
            Some((1_700_000_000_000, "o-1".into()))
        );
        assert!(decode_cursor::<(i64, String)>(Some("garbage")).is_err());
        assert_eq!(decode_cursor::<(i64, String)>(None).unwrap(), None);
    }
}
