//! The order service: requests on `<event>.rpc.order.<verb>` (any checkout
//! replica answers, queue group `orders`) and Stripe webhooks.

use std::num::NonZeroU8;
use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::header::NATS_MESSAGE_ID;
use futures::{StreamExt, TryStreamExt};
use mongodb::bson::doc;
use mongodb::options::ReturnDocument;
use prost::Message;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;

use sellout_common::money::{Currency, Money};
use sellout_common::names::Names;
use sellout_common::proto::v1::{
    self as pb, CheckoutError, CreateOrderRequest, ErrorCode, GetOrderRequest, HoldRequest,
    IssuedTicket, OrderCompleted, OrderReply, OrderView, StripeWebhook, order_reply,
};
use sellout_common::trace;

use super::state;
use crate::checkout::catalog::{Catalog, error};
use crate::checkout::{CheckoutClient, service::now_ms};
use crate::email::delivery::RESEND_HEADER;
use crate::payments::webhook::EventType;
use crate::payments::{NewPaymentIntent, PaymentError, Payments, WebhookVerifier};
use crate::pricing::{self, LineInput, LineKind, PriceInput, StripeRate};
use crate::ticket::{Signer, TicketClaims, TierHash, ValidDays};

/// The platform's own fees, charged on every paid order and kept as the
/// Stripe application fee.
#[derive(Clone, Debug, Default)]
pub struct PlatformFees {
    /// Basis points of each ticket's price.
    pub percent_bps: u32,
    /// Minor units per ticket.
    pub per_ticket_minor: i64,
    /// Stripe's fee, grossed up so the promoter nets what they priced.
    pub stripe: Option<StripeRate>,
}

/// Stripe, when configured.
pub struct PaymentsSetup {
    /// The API client.
    pub payments: Payments,
    /// Checks webhook signatures.
    pub verifier: WebhookVerifier,
}

/// The order service of one event.
#[derive(Clone)]
pub struct OrderService {
    /// NATS.
    pub nats: async_nats::Client,
    /// Orders of every event (`eventUid` tells them apart).
    pub orders: mongodb::Collection<OrderDoc>,
    /// Which order each hold belongs to (`_id`: hold id).
    pub claims: mongodb::Collection<mongodb::bson::Document>,
    /// The event's names.
    pub names: Names,
    /// The catalog (prices, fees, Stripe account).
    pub catalog: watch::Receiver<Arc<Catalog>>,
    /// The event's inventory.
    pub checkout: CheckoutClient,
    /// Stripe; `None`: only free and complimentary orders.
    pub payments: Option<Arc<PaymentsSetup>>,
    /// Signs tickets.
    pub signer: Arc<Signer>,
    /// The platform's fees.
    pub fees: PlatformFees,
}

/// A hold bought by an order, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldDoc {
    pub(super) hold_id: String,
    pub(super) tier: String,
    pub(super) quantity: i64,
    /// Its specific seats (labels), if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) seats: Vec<String>,
}

/// A ticket as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketDoc {
    pub(super) ticket_id: String,
    /// The hold it was sold from (inventory comes back to it on refund).
    #[serde(default)]
    pub(super) hold_id: String,
    pub(super) tier: String,
    label: String,
    qr_payload: String,
    admissions: i32,
    /// Its seat label, for a seated tier.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) seat: String,
    /// Its seat as the inventory holds it (`<section>/<label>`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) seat_key: String,
}

/// A refund of some of an order's tickets, as stored (in the order, by
/// refund id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundDoc {
    pub(super) tickets: Vec<String>,
    pub(super) amount: i64,
    pub(super) fees_returned: bool,
    /// Pending, Done or Failed.
    pub(super) state: String,
    #[serde(default)]
    pub(super) stripe_refund: Option<String>,
    #[serde(default)]
    pub(super) reason: String,
    #[serde(default)]
    pub(super) error: Option<String>,
}

/// A line or charge as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineDoc {
    pub(super) tier: String,
    pub(super) description: String,
    pub(super) quantity: i64,
    pub(super) unit_price: i64,
    pub(super) amount: i64,
    /// An add-on line (parking, merchandise), not admissions. Stored only
    /// when true; orders stored before this field existed lack it (readers
    /// then go by the tier's kind).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) add_on: bool,
}

/// A fee or tax as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeDoc {
    label: String,
    amount: i64,
}

/// An order, as stored in MongoDB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDoc {
    #[serde(rename = "_id")]
    pub(super) id: String,
    pub(super) number: String,
    pub(super) event_uid: String,
    pub(super) state: String,
    /// SHA-256 of what was asked, to tell a retry from a different order
    /// under the same id.
    pub(super) request: String,
    pub(super) holds: Vec<HoldDoc>,
    pub(super) buyer_email: String,
    pub(super) buyer_name: String,
    pub(super) buyer_phone: String,
    pub(super) currency: String,
    pub(super) total: i64,
    pub(super) application_fee: i64,
    pub(super) lines: Vec<LineDoc>,
    pub(super) charges: Vec<ChargeDoc>,
    #[serde(default)]
    pub(super) payment_intent: Option<String>,
    #[serde(default)]
    pub(super) client_secret: Option<String>,
    #[serde(default)]
    pub(super) payment_error: Option<String>,
    #[serde(default)]
    pub(super) tickets: Vec<TicketDoc>,
    #[serde(default)]
    pub(super) webhook_events: Vec<String>,
    pub(super) placed_at_ms: i64,
    /// Stripe's fee grossed up into the total.
    #[serde(default)]
    pub(super) stripe_fee: i64,
    /// The connected account the PaymentIntent was made on.
    #[serde(default)]
    pub(super) account: Option<String>,
    /// The Charge of an order imported from the old platform (no
    /// PaymentIntent).
    #[serde(default)]
    pub(super) charge: Option<String>,
    /// How it was sold: `online`, `box_office` (cash) or `comp`
    /// (complimentary); `imported` for the old platform's orders. Empty in
    /// orders stored before this field existed (read them as `online`).
    #[serde(default)]
    pub(super) channel: String,
    /// The promo code the buyer used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) promo_code: Option<String>,
    /// Refunds by id.
    #[serde(default)]
    pub(super) refunds: std::collections::BTreeMap<String, RefundDoc>,
    /// Tickets refunded or being refunded.
    #[serde(default)]
    pub(super) refunded_tickets: Vec<String>,
    /// Paid at the box office's counter (no Stripe payment; refunds are
    /// handed back there).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) cash: bool,
}

/// How an order was sold (`OrderDoc::channel`).
pub mod channel {
    /// Bought online by the buyer.
    pub const ONLINE: &str = "online";
    /// Sold at the box office (cash or card there).
    pub const BOX_OFFICE: &str = "box_office";
    /// Complimentary: given away by the box office.
    pub const COMP: &str = "comp";
    /// Imported from the old platform.
    pub const IMPORTED: &str = "imported";

    /// The channel of an order request.
    pub fn of(box_office: bool, complimentary: bool) -> &'static str {
        match (box_office, complimentary) {
            (true, true) => COMP,
            (true, false) => BOX_OFFICE,
            _ => ONLINE,
        }
    }
}

pub(super) fn bad(code: ErrorCode, message: impl Into<String>) -> CheckoutError {
    error(code, message.into())
}

pub(super) fn db_error(e: mongodb::error::Error) -> CheckoutError {
    bad(
        ErrorCode::Unavailable,
        format!("order store unavailable, retry: {e}"),
    )
}

pub(super) fn payment_error(e: PaymentError) -> CheckoutError {
    match e {
        PaymentError::Declined { message, .. } => bad(ErrorCode::PaymentDeclined, message),
        e if e.is_retryable() => bad(
            ErrorCode::PaymentUnavailable,
            format!("Stripe is unavailable, retry: {e}"),
        ),
        e => bad(ErrorCode::PaymentUnavailable, e.to_string()),
    }
}

/// The buyer-facing charges of a quote: discount (negative), promoter
/// fees, tax, and the service fee (platform fees and Stripe's fee).
fn charges_of(quote: &pricing::Quote) -> Vec<ChargeDoc> {
    [
        ("Discount", -quote.discount),
        ("Fees", quote.promoter_fees),
        ("Tax", quote.tax),
        ("Service fee", quote.platform_fees + quote.stripe_fee),
    ]
    .into_iter()
    .filter(|(_, amount)| *amount != 0)
    .map(|(label, amount)| ChargeDoc {
        label: label.into(),
        amount,
    })
    .collect()
}

/// The lines of a quote as stored, named as buyers see the tiers.
fn lines_of(quote: &pricing::Quote, catalog: &Catalog) -> Vec<LineDoc> {
    quote
        .lines
        .iter()
        .map(|l| LineDoc {
            tier: l.tier.clone(),
            description: catalog
                .tiers
                .get(&l.tier)
                .map_or_else(|| l.tier.clone(), |t| t.display_name.clone()),
            quantity: i64::from(l.quantity),
            unit_price: l.unit_price,
            amount: l.face,
            add_on: l.kind == LineKind::AddOn,
        })
        .collect()
}

/// A short order number for people: "SO-" and 8 characters derived from
/// the order id.
fn order_number(order_id: &str) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let h = Sha256::digest(order_id.as_bytes());
    let n: String = h[..8]
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("SO-{n}")
}

/// The id of an order's `i`-th ticket: the same on every run.
fn ticket_id(order_id: &str, i: usize) -> Uuid {
    let h = Sha256::digest(format!("sellout-ticket\0{order_id}\0{i}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    uuid::Builder::from_random_bytes(b).into_uuid()
}

fn request_hash(req: &CreateOrderRequest) -> String {
    let mut canonical = req.clone();
    canonical.payment_method.clear();
    let h = Sha256::digest(canonical.encode_to_vec());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
impl TicketDoc {
    pub(super) fn for_test(id: &str, tier: &str) -> Self {
        TicketDoc {
            ticket_id: id.into(),
            hold_id: String::new(),
            tier: tier.into(),
            label: String::new(),
            qr_payload: String::new(),
            admissions: 1,
            seat: String::new(),
            seat_key: String::new(),
        }
    }
}

#[cfg(test)]
impl LineDoc {
    pub(super) fn for_test(tier: &str, unit_price: i64) -> Self {
        LineDoc {
            tier: tier.into(),
            description: String::new(),
            quantity: 1,
            unit_price,
            amount: unit_price,
            add_on: false,
        }
    }
}

#[cfg(test)]
impl OrderDoc {
    pub(super) fn for_test(
        total: i64,
        application_fee: i64,
        stripe_fee: i64,
        tickets: Vec<TicketDoc>,
        lines: Vec<LineDoc>,
    ) -> Self {
        OrderDoc {
            id: "o".into(),
            number: String::new(),
            event_uid: String::new(),
            state: super::state::COMPLETED.into(),
            request: String::new(),
            holds: vec![],
            buyer_email: String::new(),
            buyer_name: String::new(),
            buyer_phone: String::new(),
            currency: "USD".into(),
            total,
            application_fee,
            lines,
            charges: vec![],
            payment_intent: None,
            client_secret: None,
            payment_error: None,
            tickets,
            webhook_events: vec![],
            placed_at_ms: 0,
            stripe_fee,
            account: None,
            charge: None,
            channel: channel::ONLINE.into(),
            promo_code: None,
            refunds: Default::default(),
            refunded_tickets: vec![],
            cash: false,
        }
    }
}

impl OrderDoc {
    pub(super) fn view(&self) -> OrderView {
        let currency = self.currency.clone();
        OrderView {
            order_id: self.id.clone(),
            order_number: self.number.clone(),
            state: self.state.clone(),
            total: Some(pb::Money {
                amount_minor: self.total,
                currency,
            }),
            payment_intent_id: self.payment_intent.clone().unwrap_or_default(),
            client_secret: self.client_secret.clone().unwrap_or_default(),
            tickets: self.tickets.iter().map(issued).collect(),
            payment_error: self.payment_error.clone().unwrap_or_default(),
        }
    }
}

fn issued(t: &TicketDoc) -> IssuedTicket {
    IssuedTicket {
        ticket_id: t.ticket_id.clone(),
        label: t.label.clone(),
        qr_payload: t.qr_payload.clone(),
        admissions: t.admissions,
        tier: t.tier.clone(),
        seat: t.seat.clone(),
    }
}

pub(super) fn money(minor: i64, currency: &str) -> Option<pb::Money> {
    Some(pb::Money {
        amount_minor: minor,
        currency: currency.to_owned(),
    })
}

/// At most one copy of an order's confirmation per this long
/// ([`OrderService::resend`]).
pub const RESEND_EVERY: Duration = Duration::from_secs(600);

/// The announcement of a completed order with `tickets`.
fn completed(order: &OrderDoc, tickets: &[TicketDoc]) -> OrderCompleted {
    OrderCompleted {
        order_id: order.id.clone(),
        order_number: order.number.clone(),
        event_uid: order.event_uid.clone(),
        buyer_email: order.buyer_email.clone(),
        buyer_name: order.buyer_name.clone(),
        buyer_phone: order.buyer_phone.clone(),
        placed_at_ms: order.placed_at_ms,
        lines: order
            .lines
            .iter()
            .map(|l| pb::OrderLine {
                tier: l.tier.clone(),
                description: l.description.clone(),
                quantity: l.quantity,
                unit_price: money(l.unit_price, &order.currency),
                amount: money(l.amount, &order.currency),
            })
            .collect(),
        charges: order
            .charges
            .iter()
            .map(|c| pb::OrderCharge {
                label: c.label.clone(),
                amount: money(c.amount, &order.currency),
            })
            .collect(),
        total: money(order.total, &order.currency),
        tickets: tickets.iter().map(issued).collect(),
    }
}

/// How often orders left half-way (a crash after payment) are finished.
const RESUME_EVERY: Duration = Duration::from_secs(5);

impl OrderService {
    /// Answers order requests until `stop`, and finishes paid orders left
    /// half-way.
    pub async fn serve(self, stop: CancellationToken) -> anyhow::Result<()> {
        let mut sub = self
            .nats
            .queue_subscribe(self.names.subject("rpc.order.*"), "orders".into())
            .await
            .map_err(|e| anyhow::anyhow!("subscribe to order requests: {e}"))?;
        let resumer = self.clone();
        let resume_stop = stop.clone();
        tokio::spawn(async move {
            loop {
                // Each pass in a task of its own: a panic is logged and the
                // next pass runs anyway.
                let pass = resumer.clone();
                if let Err(e) = tokio::spawn(async move { pass.resume().await }).await {
                    tracing::error!(error = %e, "a resume pass failed; the next one follows");
                }
                tokio::select! {
                    () = tokio::time::sleep(RESUME_EVERY) => {}
                    () = resume_stop.cancelled() => return,
                }
            }
        });
        loop {
            let msg = tokio::select! {
                m = sub.next() => match m { Some(m) => m, None => return Ok(()) },
                () = stop.cancelled() => return Ok(()),
            };
            let Some(reply_to) = msg.reply.clone() else {
                continue;
            };
            let svc = self.clone();
            let verb = msg.subject.rsplit('.').next().unwrap_or_default();
            let span = trace::handler_span("orders", verb, msg.headers.as_ref());
            let ctx = trace::from_headers(msg.headers.as_ref());
            let handled = async move {
                let verb = msg.subject.rsplit('.').next().unwrap_or_default();
                tracing::debug!("order request");
                let result = svc.handle(verb, &msg.payload).await;
                let reply = OrderReply {
                    result: Some(result.unwrap_or_else(order_reply::Result::Error)),
                };
                if let Err(e) = svc
                    .nats
                    .publish(reply_to, reply.encode_to_vec().into())
                    .await
                {
                    tracing::warn!(error = %e, "could not answer an order request");
                }
            };
            tokio::spawn(trace::within(ctx, handled).instrument(span));
        }
    }

    async fn handle(
        &self,
        verb: &str,
        payload: &[u8],
    ) -> Result<order_reply::Result, CheckoutError> {
        use order_reply::Result as R;
        let malformed = |e: prost::DecodeError| {
            bad(
                ErrorCode::BadRequest,
                format!("malformed {verb} request: {e}"),
            )
        };
        match verb {
            "create" => Ok(R::Order(
                self.create(CreateOrderRequest::decode(payload).map_err(malformed)?)
                    .await?,
            )),
            "get" => {
                let req = GetOrderRequest::decode(payload).map_err(malformed)?;
                Ok(R::Order(self.load(&req.order_id).await?.view()))
            }
            "webhook" => {
                let req = StripeWebhook::decode(payload).map_err(malformed)?;
                Ok(R::Webhook(
                    self.webhook(&req.payload, Some(&req.signature)).await?,
                ))
            }
            "refund" => Ok(R::Refund(
                self.refund(pb::RefundRequest::decode(payload).map_err(malformed)?)
                    .await?,
            )),
            "cancel" => {
                let req = pb::CancelOrderRequest::decode(payload).map_err(malformed)?;
                Ok(R::Order(self.cancel(&req.order_id, &req.reason).await?))
            }
            "refund_event" => {
                let req = pb::RefundEventRequest::decode(payload).map_err(malformed)?;
                Ok(R::EventRefund(self.refund_event(req.dry_run).await?))
            }
            "refund_stats" => Ok(R::RefundStats(self.refund_stats().await?)),
            "resend" => {
                let req = pb::ResendTicketsRequest::decode(payload).map_err(malformed)?;
                Ok(R::Order(self.resend(&req.order_id).await?))
            }
            "quote" => Ok(R::Quote(
                self.price(pb::QuoteRequest::decode(payload).map_err(malformed)?)?,
            )),
            "import" => Ok(R::Order(
                self.import_legacy(
                    pb::ImportLegacyOrderRequest::decode(payload).map_err(malformed)?,
                )
                .await?,
            )),
            other => Err(bad(
                ErrorCode::BadRequest,
                format!(
                    "unknown order request {other:?}: use create, get, quote, webhook, refund, cancel, refund_event, refund_stats, resend or import"
                ),
            )),
        }
    }

    pub(super) async fn find(&self, order_id: &str) -> Result<Option<OrderDoc>, CheckoutError> {
        self.orders
            .find_one(doc! {"_id": order_id, "eventUid": &self.catalog.borrow().event_uid})
            .await
            .map_err(db_error)
    }

    pub(super) async fn load(&self, order_id: &str) -> Result<OrderDoc, CheckoutError> {
        self.find(order_id).await?.ok_or_else(|| {
            bad(
                ErrorCode::UnknownOrder,
                format!("order {order_id} does not exist at this event"),
            )
        })
    }

    /// Moves an order from one of `from` to `to` (with more `set`
    /// fields); `None` when it was not in one of `from`.
    pub(super) async fn transition(
        &self,
        order_id: &str,
        from: &[&str],
        to: &str,
        mut set: mongodb::bson::Document,
    ) -> Result<Option<OrderDoc>, CheckoutError> {
        set.insert("state", to);
        let moved = self
            .orders
            .find_one_and_update(
                doc! {"_id": order_id, "state": {"$in": from}},
                doc! {"$set": set},
            )
            .return_document(ReturnDocument::After)
            .await
            .map_err(db_error)?;
        if let Some(order) = &moved {
            self.announce_state(order).await;
        }
        Ok(moved)
    }

    /// Tells buyers waiting on `order` its state (core NATS, at most
    /// once: [`Names::live_order`]).
    pub(super) async fn announce_state(&self, order: &OrderDoc) {
        let msg = pb::OrderStateChanged {
            order_id: order.id.clone(),
            order_number: order.number.clone(),
            state: order.state.clone(),
            payment_error: order.payment_error.clone().unwrap_or_default(),
            at_ms: now_ms(),
        };
        let subject = self.names.live_order(&order.id);
        if let Err(e) = self.nats.publish(subject, msg.encode_to_vec().into()).await {
            tracing::debug!(order = %order.id, error = %e, "order state not announced");
        }
    }

    /// What an order of these tiers and quantities would cost now (the
    /// same pricing as [`create`](Self::create); nothing is held).
    pub fn price(&self, req: pb::QuoteRequest) -> Result<pb::QuoteView, CheckoutError> {
        if req.lines.is_empty() {
            return Err(bad(
                ErrorCode::BadRequest,
                "a quote needs at least one line",
            ));
        }
        if let Some(l) = req.lines.iter().find(|l| l.quantity < 1) {
            return Err(bad(
                ErrorCode::QuantityTooSmall,
                format!("quantity of tier {} must be at least 1", l.tier),
            ));
        }
        let catalog = self.catalog.borrow().clone();
        let as_order = CreateOrderRequest {
            holds: req.lines,
            promo_code: req.promo_code,
            box_office: req.box_office,
            complimentary: req.complimentary,
            ..Default::default()
        };
        let quote = self.quote(
            &catalog,
            &as_order,
            as_order.complimentary && as_order.box_office,
        )?;
        let currency = &catalog.currency;
        Ok(pb::QuoteView {
            lines: lines_of(&quote, &catalog)
                .into_iter()
                .map(|l| pb::OrderLine {
                    tier: l.tier,
                    description: l.description,
                    quantity: l.quantity,
                    unit_price: money(l.unit_price, currency),
                    amount: money(l.amount, currency),
                })
                .collect(),
            charges: charges_of(&quote)
                .into_iter()
                .map(|c| pb::OrderCharge {
                    label: c.label,
                    amount: money(c.amount, currency),
                })
                .collect(),
            total: money(quote.total, currency),
        })
    }

    /// Places an order for held units (idempotent by order id).
    pub async fn create(&self, req: CreateOrderRequest) -> Result<OrderView, CheckoutError> {
        valid_id("order_id", &req.order_id)?;
        if req.holds.is_empty() {
            return Err(bad(
                ErrorCode::BadRequest,
                "an order needs at least one hold",
            ));
        }
        for (i, h) in req.holds.iter().enumerate() {
            valid_id("hold_id", &h.hold_id)?;
            if req.holds[..i].iter().any(|o| o.hold_id == h.hold_id) {
                return Err(bad(
                    ErrorCode::BadRequest,
                    format!("hold {} is listed twice", h.hold_id),
                ));
            }
            for seat in &h.seats {
                if req.holds[..i]
                    .iter()
                    .any(|o| o.tier == h.tier && o.seats.contains(seat))
                {
                    return Err(bad(
                        ErrorCode::UnknownSeat,
                        format!("seat {seat} is in two holds of the order"),
                    ));
                }
            }
        }
        if req.cash && !req.box_office {
            return Err(bad(
                ErrorCode::BadRequest,
                "cash is taken at the box office only (set box_office)",
            ));
        }
        let buyer = req.buyer.clone().unwrap_or_default();
        if !buyer.email.contains('@') {
            return Err(bad(
                ErrorCode::BadRequest,
                "buyer.email must be an e-mail address (tickets are sent there)",
            ));
        }
        let fingerprint = request_hash(&req);
        if let Some(existing) = self.find(&req.order_id).await? {
            return self.again(existing, &fingerprint, &req).await;
        }
        // Priced before anything is claimed: a bad promo code or tier
        // changes nothing.
        let catalog = self.catalog.borrow().clone();
        let complimentary = req.complimentary && req.box_office;
        let quote = self.quote(&catalog, &req, complimentary)?;
        // Each hold belongs to one order at most: claimed first, by a
        // document whose id is the hold's.
        for h in &req.holds {
            let claim = doc! {"_id": &h.hold_id, "order": &req.order_id};
            match self.claims.insert_one(claim).await {
                Ok(_) => {}
                Err(e) if is_duplicate(&e) => {
                    let owner = self
                        .claims
                        .find_one(doc! {"_id": &h.hold_id})
                        .await
                        .map_err(db_error)?
                        .and_then(|d| d.get_str("order").ok().map(str::to_owned));
                    if owner.as_deref() != Some(req.order_id.as_str()) {
                        return Err(bad(
                            ErrorCode::HoldConflict,
                            format!("hold {} belongs to another order", h.hold_id),
                        ));
                    }
                }
                Err(e) => return Err(db_error(e)),
            }
        }
        // The holds must be live and as the order says (a hold request
        // with the same id is idempotent: it answers with the hold).
        for h in &req.holds {
            let held = self
                .checkout
                .hold(HoldRequest {
                    hold_id: h.hold_id.clone(),
                    tier: h.tier.clone(),
                    quantity: h.quantity,
                    promo_code: req.promo_code.clone(),
                    box_office: req.box_office,
                    seats: h.seats.clone(),
                })
                .await?;
            if held.new {
                // It did not exist: give back what this just held.
                self.checkout.release(&h.hold_id).await?;
                return Err(bad(
                    ErrorCode::UnknownHold,
                    format!("hold {} does not exist: place a hold first", h.hold_id),
                ));
            }
        }
        let charges = charges_of(&quote);
        let order = OrderDoc {
            id: req.order_id.clone(),
            number: order_number(&req.order_id),
            event_uid: catalog.event_uid.clone(),
            state: if quote.total == 0 || req.cash {
                state::PAID.into()
            } else {
                state::AWAITING_PAYMENT.into()
            },
            request: fingerprint.clone(),
            holds: req
                .holds
                .iter()
                .map(|h| HoldDoc {
                    hold_id: h.hold_id.clone(),
                    tier: h.tier.clone(),
                    quantity: h.quantity,
                    seats: h.seats.clone(),
                })
                .collect(),
            buyer_email: buyer.email,
            buyer_name: buyer.name,
            buyer_phone: buyer.phone,
            currency: catalog.currency.clone(),
            total: quote.total,
            application_fee: quote.platform_fees,
            lines: lines_of(&quote, &catalog),
            charges,
            payment_intent: None,
            client_secret: None,
            payment_error: None,
            tickets: vec![],
            webhook_events: vec![],
            placed_at_ms: now_ms(),
            stripe_fee: quote.stripe_fee,
            account: None,
            charge: None,
            channel: channel::of(req.box_office, complimentary).into(),
            promo_code: Some(req.promo_code.clone()).filter(|c| !c.is_empty()),
            refunds: Default::default(),
            refunded_tickets: vec![],
            cash: req.cash,
        };
        match self.orders.insert_one(&order).await {
            Ok(_) => {}
            Err(e) if is_duplicate(&e) => {
                let existing = self.load(&req.order_id).await?;
                return self.again(existing, &fingerprint, &req).await;
            }
            Err(e) => return Err(db_error(e)),
        }
        tracing::info!(order = %order.id, total = order.total, "order placed");
        self.announce_state(&order).await;
        self.proceed(order, &req).await
    }

    /// A create request for an order that exists: the same request goes
    /// on where it stopped; a different one under the same id is refused.
    async fn again(
        &self,
        existing: OrderDoc,
        fingerprint: &str,
        req: &CreateOrderRequest,
    ) -> Result<OrderView, CheckoutError> {
        if existing.request != fingerprint {
            return Err(bad(
                ErrorCode::OrderConflict,
                format!(
                    "order {} exists with other holds or buyer: use a new order id",
                    existing.id
                ),
            ));
        }
        self.proceed(existing, req).await
    }

    /// Takes a stored order as far as it can go now: a paid one to
    /// completion, an unpaid one to a PaymentIntent.
    async fn proceed(
        &self,
        order: OrderDoc,
        req: &CreateOrderRequest,
    ) -> Result<OrderView, CheckoutError> {
        match order.state.as_str() {
            state::PAID => return self.complete(&order.id).await,
            state::AWAITING_PAYMENT if order.payment_intent.is_none() => {}
            _ => return Ok(order.view()),
        }
        let Some(stripe) = &self.payments else {
            return Err(bad(
                ErrorCode::PaymentUnavailable,
                "payments are not configured on this worker (no Stripe key): only free and complimentary orders can be placed",
            ));
        };
        let account = self
            .catalog
            .borrow()
            .stripe_account_id
            .clone()
            .ok_or_else(|| {
                bad(
                    ErrorCode::NoStripeAccount,
                    "the organization has no Stripe account set up (spec.stripeAccount): paid orders cannot be taken",
                )
            })?;
        let currency = Currency::parse(&order.currency)
            .map_err(|e| bad(ErrorCode::CurrencyMismatch, e.to_string()))?;
        let intent = NewPaymentIntent {
            order_id: order.id.clone(),
            event_uid: order.event_uid.clone(),
            amount: Money::new(order.total, currency),
            application_fee: order.application_fee,
            connected_account: account.clone(),
            payment_method: (!req.payment_method.is_empty()).then(|| req.payment_method.clone()),
            idempotency_key: NewPaymentIntent::order_key(&order.id, 0),
        };
        match stripe.payments.create_payment_intent(&intent).await {
            Ok(pi) => {
                let updated = self
                    .orders
                    .find_one_and_update(
                        doc! {"_id": &order.id, "paymentIntent": null},
                        doc! {"$set": {"paymentIntent": &pi.id, "clientSecret": pi.client_secret.clone(), "account": &account}},
                    )
                    .return_document(ReturnDocument::After)
                    .await
                    .map_err(db_error)?;
                match updated {
                    Some(o) => Ok(o.view()),
                    None => Ok(self.load(&order.id).await?.view()),
                }
            }
            Err(PaymentError::Declined { message, .. }) => {
                // Stripe also sends payment_intent.payment_failed; both
                // paths end the same way, once.
                self.fail(&order.id, &message).await?;
                Err(bad(ErrorCode::PaymentDeclined, message))
            }
            Err(e) => Err(payment_error(e)),
        }
    }

    fn quote(
        &self,
        catalog: &Catalog,
        req: &CreateOrderRequest,
        complimentary: bool,
    ) -> Result<pricing::Quote, CheckoutError> {
        let mut lines = Vec::new();
        for h in &req.holds {
            let t = catalog.tiers.get(&h.tier).ok_or_else(|| {
                bad(
                    ErrorCode::UnknownTier,
                    format!("tier {:?} is not sold at this event", h.tier),
                )
            })?;
            lines.push(LineInput {
                tier: h.tier.clone(),
                kind: if t.add_on {
                    LineKind::AddOn
                } else {
                    LineKind::Admission
                },
                unit_price: t.price_minor,
                quantity: u32::try_from(h.quantity)
                    .map_err(|_| bad(ErrorCode::QuantityTooSmall, "quantity must be at least 1"))?,
            });
        }
        let mut platform_fees = Vec::new();
        if self.fees.percent_bps > 0 {
            platform_fees.push(pricing::Charge {
                name: "Platform fee".into(),
                target: pricing::Target::Ticket,
                amount: pricing::Amount::Percent(self.fees.percent_bps),
            });
        }
        if self.fees.per_ticket_minor > 0 {
            platform_fees.push(pricing::Charge {
                name: "Platform fee per ticket".into(),
                target: pricing::Target::Ticket,
                amount: pricing::Amount::Flat(self.fees.per_ticket_minor),
            });
        }
        let discounts = catalog
            .promotion(&req.promo_code)?
            .cloned()
            .into_iter()
            .collect();
        pricing::quote(&PriceInput {
            lines,
            discounts,
            promoter_fees: catalog.promoter_fees.clone(),
            taxes: catalog.taxes.clone(),
            platform_fees,
            // Money taken at the counter pays Stripe nothing.
            stripe: if req.cash && req.box_office {
                None
            } else {
                self.fees.stripe
            },
            complimentary,
        })
        .map_err(|e| {
            bad(
                ErrorCode::BadRequest,
                format!("cannot price the order: {e}"),
            )
        })
    }

    /// A failed payment: the order is PaymentFailed and its holds are
    /// given back (both idempotent).
    async fn fail(&self, order_id: &str, why: &str) -> Result<(), CheckoutError> {
        let failed = self
            .transition(
                order_id,
                &[state::AWAITING_PAYMENT],
                state::PAYMENT_FAILED,
                doc! {"paymentError": why},
            )
            .await?;
        let order = match failed {
            Some(o) => o,
            None => self.load(order_id).await?,
        };
        if order.state == state::PAYMENT_FAILED {
            for h in &order.holds {
                match self.checkout.release(&h.hold_id).await {
                    Ok(()) => {}
                    Err(e) if e.code() == ErrorCode::AlreadySold => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// Handles a Stripe webhook delivery (signature checked first).
    /// Returns what was done; deliveries for other events, other
    /// platforms or event types we do not act on are acknowledged and
    /// ignored.
    pub async fn webhook(
        &self,
        payload: &[u8],
        signature: Option<&str>,
    ) -> Result<String, CheckoutError> {
        let Some(stripe) = &self.payments else {
            return Err(bad(
                ErrorCode::PaymentUnavailable,
                "payments are not configured on this worker",
            ));
        };
        let event = stripe
            .verifier
            .verify(payload, signature)
            .map_err(|e| bad(ErrorCode::BadSignature, e.to_string()))?;
        let uid = self.catalog.borrow().event_uid.clone();
        let (Some(order_id), Some(event_uid)) = (&event.object.order_id, &event.object.event_uid)
        else {
            return Ok(format!("ignored {}: not a Sellout order", event.id));
        };
        if *event_uid != uid {
            return Ok(format!("ignored {}: another event's order", event.id));
        }
        let order = self.load(order_id).await?;
        if order.payment_intent.as_deref() != Some(event.object.id.as_str())
            && event.object.object == "payment_intent"
            && order.payment_intent.is_some()
        {
            return Ok(format!("ignored {}: not this order's payment", event.id));
        }
        let _ = self
            .orders
            .update_one(
                doc! {"_id": order_id},
                doc! {"$addToSet": {"webhookEvents": &event.id}},
            )
            .await;
        match event.kind {
            EventType::PaymentIntentSucceeded => {
                let paid = event.object.amount.ok_or_else(|| {
                    bad(
                        ErrorCode::BadRequest,
                        "payment_intent.succeeded without an amount",
                    )
                })?;
                if paid.minor != order.total
                    || !paid.currency.as_str().eq_ignore_ascii_case(&order.currency)
                {
                    tracing::error!(order = %order.id, paid = paid.minor, total = order.total, "payment differs from the order's quote: not completing");
                    return Err(bad(
                        ErrorCode::CurrencyMismatch,
                        format!(
                            "payment of {} {} does not match order total {} {}",
                            paid.minor,
                            paid.currency.as_str(),
                            order.total,
                            order.currency
                        ),
                    ));
                }
                self.transition(
                    order_id,
                    &[state::AWAITING_PAYMENT, state::PAYMENT_FAILED],
                    state::PAID,
                    doc! {"paymentIntent": &event.object.id},
                )
                .await?;
                // Paid after it was cancelled: the money must go back.
                self.transition(
                    order_id,
                    &[state::CANCELLED],
                    state::REFUND_NEEDED,
                    doc! {"paymentError": "paid after the order was cancelled"},
                )
                .await?;
                let view = self.complete(order_id).await?;
                Ok(format!("order {order_id} {}", view.state))
            }
            EventType::PaymentIntentPaymentFailed => {
                let why = event
                    .object
                    .last_payment_error
                    .clone()
                    .unwrap_or_else(|| "the payment failed".into());
                self.fail(order_id, &why).await?;
                Ok(format!("order {order_id} payment failed"))
            }
            other => Ok(format!("ignored {}: {}", event.id, other.as_str())),
        }
    }

    /// Finishes a paid order: sells its holds, issues its tickets,
    /// announces them, marks it Completed. Every step is idempotent.
    pub async fn complete(&self, order_id: &str) -> Result<OrderView, CheckoutError> {
        let order = self.load(order_id).await?;
        if order.state != state::PAID {
            return Ok(order.view());
        }
        for h in &order.holds {
            match self.checkout.sell(&h.hold_id).await {
                Ok(_) => {}
                Err(e) if e.code() == ErrorCode::LatePaymentSoldOut => {
                    tracing::error!(order = %order.id, hold = %h.hold_id, "paid after the hold ended and the units are gone: refunding");
                    self.transition(
                        order_id,
                        &[state::PAID],
                        state::REFUND_NEEDED,
                        doc! {"paymentError": e.message.clone()},
                    )
                    .await?;
                    return self.refund_unfulfilled(order_id).await;
                }
                Err(e) => return Err(e),
            }
        }
        // Tickets once issued are kept (a later catalog, e.g. a renamed
        // tier, must not change what was mailed).
        let tickets = if order.tickets.is_empty() {
            let catalog = self.catalog.borrow().clone();
            let tickets = self.tickets(&catalog, &order)?;
            let docs = mongodb::bson::to_bson(&tickets)
                .map_err(|e| bad(ErrorCode::BadRequest, e.to_string()))?;
            self.orders
                .update_one(
                    doc! {"_id": order_id, "state": state::PAID, "tickets": {"$size": 0}},
                    doc! {"$set": {"tickets": docs}},
                )
                .await
                .map_err(db_error)?;
            self.load(order_id).await?.tickets
        } else {
            order.tickets.clone()
        };
        let announce = completed(&order, &tickets);
        let mut headers = HeaderMap::new();
        headers.insert(NATS_MESSAGE_ID, format!("tickets-{}", order.id).as_str());
        let js = async_nats::jetstream::new(self.nats.clone());
        js.publish_with_headers(
            self.names.subject("tickets"),
            headers,
            announce.encode_to_vec().into(),
        )
        .await
        .map_err(|e| bad(ErrorCode::Unavailable, format!("announce tickets: {e}")))?
        .await
        .map_err(|e| bad(ErrorCode::Unavailable, format!("announce tickets: {e}")))?;
        self.transition(order_id, &[state::PAID], state::COMPLETED, doc! {})
            .await?;
        tracing::info!(order = %order.id, tickets = tickets.len(), "order completed");
        Ok(self.load(order_id).await?.view())
    }

    /// Sends a completed order's confirmation (its tickets, less refunded
    /// ones) again: its `OrderCompleted` once more on `<event>.tickets`,
    /// marked with [`RESEND_HEADER`] (the resend window) and deduplicated
    /// per window, so a buyer pressing "resend" ten times gets one copy.
    pub async fn resend(&self, order_id: &str) -> Result<OrderView, CheckoutError> {
        let order = self.load(order_id).await?;
        if order.state != state::COMPLETED {
            return Err(bad(
                ErrorCode::OrderState,
                format!(
                    "order {} is {}: only a completed order's tickets can be sent again",
                    order.id, order.state
                ),
            ));
        }
        let tickets: Vec<TicketDoc> = order
            .tickets
            .iter()
            .filter(|t| !order.refunded_tickets.contains(&t.ticket_id))
            .cloned()
            .collect();
        let window = (now_ms() / RESEND_EVERY.as_millis() as i64).to_string();
        let mut headers = HeaderMap::new();
        headers.insert(
            NATS_MESSAGE_ID,
            format!("resend-{}-{window}", order.id).as_str(),
        );
        headers.insert(RESEND_HEADER, window.as_str());
        let js = async_nats::jetstream::new(self.nats.clone());
        js.publish_with_headers(
            self.names.subject("tickets"),
            headers,
            completed(&order, &tickets).encode_to_vec().into(),
        )
        .await
        .map_err(|e| bad(ErrorCode::Unavailable, format!("resend tickets: {e}")))?
        .await
        .map_err(|e| bad(ErrorCode::Unavailable, format!("resend tickets: {e}")))?;
        tracing::info!(order = %order.id, window, "tickets sent again");
        Ok(order.view())
    }

    /// The order's tickets: one per unit, a table tier's unit as one
    /// ticket admitting its seats. Ids derive from the order id, and
    /// Ed25519 signatures are deterministic, so issuing twice gives the
    /// same tickets.
    fn tickets(
        &self,
        catalog: &Catalog,
        order: &OrderDoc,
    ) -> Result<Vec<TicketDoc>, CheckoutError> {
        let event = Uuid::parse_str(&order.event_uid).map_err(|e| {
            bad(
                ErrorCode::BadRequest,
                format!("event uid {} is not a UUID: {e}", order.event_uid),
            )
        })?;
        let mut out = Vec::new();
        for h in &order.holds {
            let rules = catalog.tiers.get(&h.tier);
            let seats = rules.map_or(1, |r| r.seats_per_unit).clamp(1, 255);
            let name = rules.map_or_else(|| h.tier.clone(), |r| r.display_name.clone());
            let section = rules
                .and_then(|r| r.seat_map.as_ref())
                .map(|(s, _)| s.clone())
                .unwrap_or_default();
            let days = match rules.map(|r| r.valid_days.clone()).unwrap_or_default() {
                d if d.is_empty() => ValidDays::all(catalog.days),
                d => ValidDays::from_days(d),
            }
            .ok_or_else(|| bad(ErrorCode::BadRequest, "tier has invalid validDays"))?;
            for unit in 0..h.quantity {
                let seat = h.seats.get(unit as usize).cloned().unwrap_or_default();
                let id = ticket_id(&order.id, out.len());
                let claims = TicketClaims {
                    event,
                    ticket: id,
                    tier: TierHash::of(&h.tier),
                    days,
                    admits: NonZeroU8::new(seats as u8).unwrap_or(NonZeroU8::MIN),
                };
                let label = if !seat.is_empty() {
                    format!("{name}, seat {seat}")
                } else if seats > 1 {
                    format!("{name}: table for {seats} ({} of {})", unit + 1, h.quantity)
                } else {
                    format!("{name} {} of {}", unit + 1, h.quantity)
                };
                out.push(TicketDoc {
                    ticket_id: id.to_string(),
                    hold_id: h.hold_id.clone(),
                    tier: h.tier.clone(),
                    label,
                    qr_payload: self.signer.sign(&claims),
                    admissions: seats as i32,
                    seat_key: if seat.is_empty() {
                        String::new()
                    } else {
                        format!("{section}/{seat}")
                    },
                    seat,
                });
            }
        }
        Ok(out)
    }

    /// Finishes this event's orders left half-way: Paid ones (a crash
    /// between payment and completion) are completed, and unpaid ones
    /// whose PaymentIntent Stripe reports succeeded (a webhook lost while
    /// this worker was down, before Stripe retries it) are treated as the
    /// webhook would.
    pub async fn resume(&self) {
        self.reconcile_unpaid().await;
        let uid = self.catalog.borrow().event_uid.clone();
        let ids: Vec<String> = match self
            .orders
            .find(doc! {"eventUid": &uid, "state": state::PAID})
            .await
        {
            Ok(cursor) => match cursor.map_ok(|o| o.id).try_collect().await {
                Ok(ids) => ids,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot list paid orders");
                    return;
                }
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot list paid orders");
                return;
            }
        };
        for id in ids {
            if let Err(e) = self.complete(&id).await {
                tracing::warn!(order = %id, error = %e.message, "paid order not completed yet; will retry");
            }
        }
        self.resume_refunds().await;
    }
}

impl OrderService {
    async fn reconcile_unpaid(&self) {
        let Some(stripe) = &self.payments else {
            return;
        };
        let (uid, account) = {
            let c = self.catalog.borrow();
            (c.event_uid.clone(), c.stripe_account_id.clone())
        };
        let Some(account) = account else {
            return;
        };
        let before = now_ms() - UNPAID_GRACE.as_millis() as i64;
        let unpaid: Vec<OrderDoc> = match self
            .orders
            .find(doc! {
                "eventUid": &uid,
                "state": state::AWAITING_PAYMENT,
                "paymentIntent": {"$ne": null},
                "placedAtMs": {"$lt": before},
            })
            .await
        {
            Ok(cursor) => cursor.try_collect().await.unwrap_or_default(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot list unpaid orders");
                return;
            }
        };
        for order in unpaid {
            let Some(pi) = &order.payment_intent else {
                continue;
            };
            match stripe.payments.payment_intent(pi, &account).await {
                Ok(intent) if intent.status == crate::payments::IntentStatus::Succeeded => {
                    if intent.amount.minor != order.total {
                        tracing::error!(order = %order.id, "paid amount differs from the order's total: not completing");
                        continue;
                    }
                    tracing::info!(order = %order.id, "payment succeeded without a webhook seen: completing");
                    if let Err(e) = self
                        .transition(&order.id, &[state::AWAITING_PAYMENT], state::PAID, doc! {})
                        .await
                    {
                        tracing::warn!(order = %order.id, error = %e.message, "cannot mark paid");
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(order = %order.id, error = %e, "cannot ask Stripe about a payment")
                }
            }
        }
    }
}

/// How old an unpaid order must be before Stripe is asked about it.
const UNPAID_GRACE: Duration = Duration::from_secs(10);

/// Ids chosen by callers (orders, holds, refunds): 1 to 100 of
/// `A-Z a-z 0-9 - _` (a UUID fits), so they are safe in subjects, headers,
/// document paths and logs.
pub fn valid_id(what: &str, id: &str) -> Result<(), CheckoutError> {
    let ok = (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(bad(
            ErrorCode::BadRequest,
            format!("{what} must be 1 to 100 letters, digits, '-' or '_' (use a UUID)"),
        ))
    }
}

pub(super) fn is_duplicate(e: &mongodb::error::Error) -> bool {
    matches!(
        e.kind.as_ref(),
        mongodb::error::ErrorKind::Write(mongodb::error::WriteFailure::WriteError(w)) if w.code == 11000
    )
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn add_on_lines_say_so_and_older_lines_read_as_admissions() {
        let mut line = LineDoc::for_test("ga", 2500);
        let stored = mongodb::bson::to_document(&line).unwrap();
        assert!(!stored.contains_key("addOn"), "admission lines unchanged");
        line.add_on = true;
        let stored = mongodb::bson::to_document(&line).unwrap();
        assert_eq!(stored.get_bool("addOn"), Ok(true));
        let old: LineDoc = mongodb::bson::from_document(mongodb::bson::doc! {
            "tier": "ga", "description": "GA", "quantity": 1_i64, "unitPrice": 2500_i64, "amount": 2500_i64,
        })
        .unwrap();
        assert!(!old.add_on);
    }
}
