//! The GraphQL types of orders: the order as buyers and staff see it
//! ([`Order`], made from the stored document by [`Order::from_record`]),
//! its lines, charges, tickets and refunds, and the inputs of the order
//! mutations.

use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Enum, Error, ID, InputObject, SimpleObject};
use sellout_crds::organization::Role;
use sellout_store::orders::{self as store, OrderDoc};

use super::super::customers::{Customer, CustomerKey, CustomerLoader};
use super::super::public::split_slug;
use crate::auth;
use crate::error::{self, gql_error};

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

impl From<store::OrderState> for OrderState {
    fn from(s: store::OrderState) -> Self {
        match s {
            store::OrderState::AwaitingPayment => OrderState::AwaitingPayment,
            store::OrderState::Paid => OrderState::Paid,
            store::OrderState::Completed => OrderState::Completed,
            store::OrderState::PaymentFailed => OrderState::PaymentFailed,
            store::OrderState::RefundNeeded => OrderState::RefundNeeded,
            store::OrderState::Refunded => OrderState::Refunded,
            store::OrderState::Cancelled => OrderState::Cancelled,
        }
    }
}

impl From<OrderState> for store::OrderState {
    fn from(s: OrderState) -> Self {
        match s {
            OrderState::AwaitingPayment => store::OrderState::AwaitingPayment,
            OrderState::Paid => store::OrderState::Paid,
            OrderState::Completed => store::OrderState::Completed,
            OrderState::PaymentFailed => store::OrderState::PaymentFailed,
            OrderState::RefundNeeded => store::OrderState::RefundNeeded,
            OrderState::Refunded => store::OrderState::Refunded,
            OrderState::Cancelled => store::OrderState::Cancelled,
        }
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
    /// The signed payload its QR code carries (what scanners verify):
    /// for the buyer, and for the box office in the answer to the sale it
    /// makes; null in staff's order lists and lookups, so a staff login
    /// cannot copy tickets.
    pub qr_payload: Option<String>,
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
    /// In the answer to `createOrder` or `payOrder` with a
    /// `paymentMethod`: the card needs the buyer's action (3-D Secure).
    /// Complete it in Stripe.js with `clientSecret`
    /// (`stripe.confirmCardPayment(clientSecret)` or `handleNextAction`);
    /// the order completes once the payment succeeds. False elsewhere.
    pub requires_action: bool,
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
    /// the event's. Its tickets' QR payloads are the buyer's only.
    pub fn from_record(
        rec: &OrderDoc,
        slug: Option<String>,
        viewer_is_buyer: bool,
    ) -> Result<Self, Error> {
        Self::from_record_with_qr(rec, slug, viewer_is_buyer, viewer_is_buyer)
    }

    /// [`from_record`](Self::from_record), with the QR payloads when
    /// `show_qr` (the buyer; the box office answering the sale it just
    /// made, to print or hand the tickets over).
    pub fn from_record_with_qr(
        rec: &OrderDoc,
        slug: Option<String>,
        viewer_is_buyer: bool,
        show_qr: bool,
    ) -> Result<Self, Error> {
        let state = OrderState::from(rec.state);
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
                    qr_payload: show_qr.then(|| t.qr_payload.clone()),
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
                    state: r.state.as_str().into(),
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
            requires_action: false,
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
    /// Roughly where the buyer is, only when they chose to share it (the
    /// portal asks): rounded down to a 0.1-degree cell (about 11 km)
    /// before it goes further, and shown to the promoter only as orders
    /// per cell on the buyer map (`buyerMap`).
    pub area: Option<crate::schema::promoter::venues::GeoInput>,
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
