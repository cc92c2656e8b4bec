//! Placing an order: pricing it from the quote (never from the caller),
//! claiming each hold for this order, checking the holds are live, and
//! making the Stripe PaymentIntent (free and complimentary orders go
//! straight to Paid). A retry with the same order id answers the first
//! order; a different request under the same id is refused.

use prost::Message;
use sha2::{Digest, Sha256};

use sellout_common::money::{Currency, Money};
use sellout_common::proto::v1::{
    self as pb, CheckoutError, CreateOrderRequest, ErrorCode, OrderView,
};

use super::service::*;
use crate::checkout::catalog::Catalog;
use crate::checkout::service::now_ms;
use crate::payments::NewPaymentIntent;
use crate::pricing::{self, LineInput, LineKind, PriceInput};
use sellout_client::valid_id;
use sellout_store::orders::{Channel, ChargeDoc, HoldDoc, LineDoc, OrderDoc, OrderState};

/// The buyer-facing charges of a quote: discount (negative), promoter
/// fees, tax, and the service fee (platform fees and Stripe's fee).
pub(super) fn charges_of(quote: &pricing::Quote) -> Vec<ChargeDoc> {
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
pub(super) fn lines_of(quote: &pricing::Quote, catalog: &Catalog) -> Vec<LineDoc> {
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
pub(super) fn order_number(order_id: &str) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let h = Sha256::digest(order_id.as_bytes());
    let n: String = h[..8]
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("SO-{n}")
}

pub(super) fn request_hash(req: &CreateOrderRequest) -> String {
    let mut canonical = req.clone();
    canonical.payment_method.clear();
    let h = Sha256::digest(canonical.encode_to_vec());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

impl OrderService {
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
        catalog.order_limits(req.lines.iter().map(|l| (l.tier.as_str(), l.quantity)))?;
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
        // The holds must still pass the tier's rules as this order asks:
        // the event on sale, the sales window open, the tier visible to
        // this buyer (a PromoCode tier with this order's code, a Hidden
        // one for the box office only) and the per-order limits. A hold
        // unlocked with one code cannot be bought with another.
        {
            let now = now_ms();
            for h in &req.holds {
                catalog.admit(
                    &sellout_common::proto::v1::HoldRequest {
                        hold_id: h.hold_id.clone(),
                        tier: h.tier.clone(),
                        quantity: h.quantity,
                        promo_code: req.promo_code.clone(),
                        box_office: req.box_office,
                        seats: h.seats.clone(),
                        ..Default::default()
                    },
                    now,
                )?;
            }
        }
        catalog.order_limits(req.holds.iter().map(|h| (h.tier.as_str(), h.quantity)))?;
        // The holds must be live (or sold, for a retry), as the order says
        // and, for a buyer's checkout, that checkout's: looked up, never
        // changed, before any is claimed (an order naming someone else's
        // hold claims nothing).
        for h in &req.holds {
            let held = self.checkout.lookup_hold(&h.hold_id).await?;
            if held.tier != h.tier || held.quantity != h.quantity || held.seats != h.seats {
                return Err(bad(
                    ErrorCode::HoldConflict,
                    format!("hold {} exists with another tier or quantity", h.hold_id),
                ));
            }
            if !req.session.is_empty() && held.session != req.session {
                return Err(bad(
                    ErrorCode::NotYourHold,
                    format!(
                        "hold {} belongs to another checkout: order the holds this checkout placed",
                        h.hold_id
                    ),
                ));
            }
        }
        // Each hold belongs to one order at most: claimed by a
        // document whose id is the hold's.
        for h in &req.holds {
            if !self
                .orders
                .claim_hold(&h.hold_id, &req.order_id)
                .await
                .map_err(db_error)?
            {
                return Err(bad(
                    ErrorCode::HoldConflict,
                    format!("hold {} belongs to another order", h.hold_id),
                ));
            }
        }
        let charges = charges_of(&quote);
        let order = OrderDoc {
            id: req.order_id.clone(),
            number: order_number(&req.order_id),
            event_uid: catalog.event_uid.clone(),
            state: if quote.total == 0 || req.cash {
                OrderState::Paid
            } else {
                OrderState::AwaitingPayment
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
            buyer_phone_verified: buyer.phone_verified && !buyer.phone.is_empty(),
            buyer_phone: buyer.phone,
            buyer_area: buyer.area.map(|a| sellout_store::orders::AreaDoc {
                lat_tenths: a.lat_tenths.clamp(-900, 900),
                lon_tenths: a.lon_tenths.clamp(-1800, 1800),
            }),
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
            channel: Channel::of(req.box_office, complimentary),
            promo_code: Some(req.promo_code.clone()).filter(|c| !c.is_empty()),
            refunds: Default::default(),
            refunded_tickets: vec![],
            cash: req.cash,
            refunded_count: 0,
            disputes: Default::default(),
            pending_refunds: vec![],
            payment_attempts: 0,
        };
        if !self.orders.insert(&order).await.map_err(db_error)? {
            let existing = self.load(&req.order_id).await?;
            return self.again(existing, &fingerprint, &req).await;
        }
        tracing::info!(order = %order.id, total = order.total, "order placed");
        crate::metrics::get().order(order.state.as_str());
        self.announce_state(&order).await;
        self.proceed(order, &req).await
    }

    /// A create request for an order that exists: the same request goes
    /// on where it stopped; a different one under the same id is refused.
    pub(super) async fn again(
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
    pub(super) async fn proceed(
        &self,
        order: OrderDoc,
        req: &CreateOrderRequest,
    ) -> Result<OrderView, CheckoutError> {
        match order.state {
            OrderState::Paid => return self.complete(&order.id).await,
            OrderState::AwaitingPayment if order.payment_intent.is_none() => {}
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
            // Confirmed separately (`pay`), so that a declined card leaves
            // this one PaymentIntent to try another on: an order is paid
            // by one intent, charged at most once.
            payment_method: None,
            idempotency_key: NewPaymentIntent::order_key(&order.id, 0),
        };
        let pi = stripe
            .payments
            .create_payment_intent(&intent)
            .await
            .map_err(payment_error)?;
        let updated = self
            .orders
            .record_payment_intent(&order.id, &pi.id, pi.client_secret.clone(), &account)
            .await
            .map_err(db_error)?;
        if !req.payment_method.is_empty() {
            return self.pay(&order.id, &req.payment_method).await;
        }
        match updated {
            Some(o) => Ok(o.view()),
            None => Ok(self.load(&order.id).await?.view()),
        }
    }

    pub(super) fn quote(
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
}
