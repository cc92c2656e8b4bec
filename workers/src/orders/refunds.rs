//! Refunds, cancellation and bulk refunds of a cancelled event.
//!
//! A refund is recorded in its order first (`refunds.<id>`, Pending, with
//! its tickets reserved in `refundedTickets` by one conditional update, so
//! two refunds can never take the same ticket), then carried out step by
//! step, each idempotent: the Stripe refund (idempotency key from the
//! refund id), the inventory restocked (one restock per hold, idempotent
//! in the ledger), `TicketsRevoked` and `OrderRefunded` on the stream
//! (deduplicated by message id), Done. A crash in between is finished by
//! the resume loop.
//!
//! Amounts: each ticket's share of what the buyer paid *without* the
//! platform's fees and Stripe's fee (split in proportion to the tickets'
//! prices, by largest remainder); the refund that returns the order's last
//! tickets returns everything not yet returned, fees included, and asks
//! Stripe to refund the application fee.

use std::collections::BTreeMap;

use async_nats::HeaderMap;
use async_nats::header::NATS_MESSAGE_ID;
use prost::Message;

use sellout_common::money::{Currency, Money};
use sellout_common::proto::v1::{
    CheckoutError, ErrorCode, EventRefundReport, HoldRequest, ImportLegacyOrderRequest,
    OrderRefunded, OrderView, RefundRequest, RefundStats, RefundView, TicketsRevoked,
};

use sellout_client::valid_id;
use sellout_store::orders::{
    Changes, Channel, HoldDoc, LineDoc, OrderDoc, OrderState, RefundDoc, RefundState,
};

use super::service::{OrderService, bad, db_error, money, payment_error};
use crate::checkout::service::now_ms;
use crate::payments::{NewRefund, PaymentError, RefundTarget};
use crate::pricing::allocate;

/// What refunding `tickets` of `order` returns: (amount, fees returned).
fn amount_of(order: &OrderDoc, tickets: &[String]) -> (i64, bool) {
    let left: Vec<&str> = order
        .tickets
        .iter()
        .map(|t| t.ticket_id.as_str())
        .filter(|t| !order.refunded_tickets.iter().any(|r| r == t))
        .collect();
    let returned: i64 = order
        .refunds
        .values()
        .filter(|r| r.state != RefundState::Failed)
        .map(|r| r.amount)
        .sum();
    if left.iter().all(|t| tickets.iter().any(|x| x == t)) {
        // The last tickets: everything not returned yet, fees too.
        return (order.total - returned, true);
    }
    let pool = order.total - order.application_fee - order.stripe_fee;
    let weights: Vec<i64> = order
        .tickets
        .iter()
        .map(|t| {
            order
                .lines
                .iter()
                .find(|l| l.tier == t.tier)
                .map_or(0, |l| l.unit_price)
        })
        .collect();
    let shares = allocate(pool.max(0), &weights);
    let amount = order
        .tickets
        .iter()
        .zip(shares)
        .filter(|(t, _)| tickets.contains(&t.ticket_id))
        .map(|(_, s)| s)
        .sum();
    (amount, false)
}

fn view(order: &OrderDoc, id: &str, r: &RefundDoc) -> RefundView {
    RefundView {
        refund_id: id.to_owned(),
        order_id: order.id.clone(),
        ticket_ids: r.tickets.clone(),
        amount: money(r.amount, &order.currency),
        fees_returned: r.fees_returned,
        state: r.state.as_str().into(),
        stripe_refund_id: r.stripe_refund.clone().unwrap_or_default(),
    }
}

impl OrderService {
    /// Refunds tickets of a completed order (all that are left when none
    /// are named). Idempotent by refund id.
    pub async fn refund(&self, req: RefundRequest) -> Result<RefundView, CheckoutError> {
        valid_id("refund_id", &req.refund_id)?;
        let order = self.load(&req.order_id).await?;
        if let Some(r) = order.refunds.get(&req.refund_id) {
            if !req.ticket_ids.is_empty() && req.ticket_ids != r.tickets {
                return Err(bad(
                    ErrorCode::OrderConflict,
                    format!(
                        "refund {} exists for other tickets: use a new refund id",
                        req.refund_id
                    ),
                ));
            }
            return self.finish_refund(&order.id, &req.refund_id).await;
        }
        if order.state != OrderState::Completed {
            return Err(bad(
                ErrorCode::OrderState,
                format!(
                    "order {} is {}: only completed orders can be refunded",
                    order.id, order.state
                ),
            ));
        }
        let tickets: Vec<String> = if req.ticket_ids.is_empty() {
            order
                .tickets
                .iter()
                .map(|t| t.ticket_id.clone())
                .filter(|t| !order.refunded_tickets.contains(t))
                .collect()
        } else {
            req.ticket_ids.clone()
        };
        if tickets.is_empty() {
            return Err(bad(
                ErrorCode::RefundTooLarge,
                format!("order {} has nothing left to refund", order.id),
            ));
        }
        for (i, t) in tickets.iter().enumerate() {
            if tickets[..i].contains(t) {
                return Err(bad(
                    ErrorCode::BadRequest,
                    format!("ticket {t} is listed twice"),
                ));
            }
            if !order.tickets.iter().any(|x| &x.ticket_id == t) {
                return Err(bad(
                    ErrorCode::BadRequest,
                    format!("ticket {t} is not in order {}", order.id),
                ));
            }
            if order.refunded_tickets.contains(t) {
                return Err(bad(
                    ErrorCode::RefundTooLarge,
                    format!("ticket {t} is already refunded"),
                ));
            }
        }
        let (amount, fees_returned) = amount_of(&order, &tickets);
        let record = RefundDoc {
            tickets: tickets.clone(),
            amount,
            fees_returned,
            state: RefundState::Pending,
            stripe_refund: None,
            reason: req.reason.clone(),
            error: None,
        };
        let reserved = self
            .orders
            .reserve_refund(&order, &req.refund_id, &record)
            .await
            .map_err(db_error)?;
        if reserved.is_none() {
            return Err(bad(
                ErrorCode::Unavailable,
                "the order changed meanwhile (another refund?): retry",
            ));
        }
        tracing::info!(order = %order.id, refund = %req.refund_id, amount, fees_returned, "refund recorded");
        self.finish_refund(&order.id, &req.refund_id).await
    }

    /// Carries a recorded refund out (every step idempotent).
    pub(super) async fn finish_refund(
        &self,
        order_id: &str,
        refund_id: &str,
    ) -> Result<RefundView, CheckoutError> {
        let order = self.load(order_id).await?;
        let mut r = order
            .refunds
            .get(refund_id)
            .cloned()
            .ok_or_else(|| bad(ErrorCode::UnknownOrder, format!("no refund {refund_id}")))?;
        if r.state != RefundState::Pending {
            return Ok(view(&order, refund_id, &r));
        }
        // 1. Stripe (money taken at the counter is handed back there).
        if r.amount > 0 && r.stripe_refund.is_none() && !order.cash {
            let Some(stripe) = &self.payments else {
                return Err(bad(
                    ErrorCode::PaymentUnavailable,
                    "payments are not configured on this worker",
                ));
            };
            let (target, account) = self.refund_target(&order)?;
            let req = NewRefund {
                target,
                amount: r.amount,
                order_id: order.id.clone(),
                connected_account: account,
                refund_application_fee: r.fees_returned,
                idempotency_key: format!("sellout-refund-{}-{refund_id}", order.id),
            };
            match stripe.payments.refund(&req).await {
                Ok(done) => {
                    self.orders
                        .refund_sent(order_id, refund_id, &done.id)
                        .await
                        .map_err(db_error)?;
                    r.stripe_refund = Some(done.id);
                }
                Err(e @ PaymentError::InvalidRequest { .. }) => {
                    // Stripe refuses it for good (e.g. more than is left):
                    // the tickets are free to refund again.
                    let message = e.to_string();
                    self.orders
                        .refund_failed(order_id, refund_id, &message, &r.tickets)
                        .await
                        .map_err(db_error)?;
                    return Err(bad(ErrorCode::RefundTooLarge, message));
                }
                Err(e) => return Err(payment_error(e)),
            }
        }
        // 2. Scanners refuse the tickets (a refund of money only, made in
        //    Stripe's dashboard, has none).
        if !r.tickets.is_empty() {
            self.revoke(
                &order.id,
                &r.tickets,
                "refund",
                &format!("revoke-{refund_id}"),
            )
            .await?;
        }
        // 3. Inventory back for sale, per hold (a seated hold by seat),
        //    only once scanners refuse the old tickets.
        let mut per_hold: BTreeMap<&str, (i64, Vec<String>)> = BTreeMap::new();
        let catalog = self.catalog.borrow().clone();
        for t in order
            .tickets
            .iter()
            .filter(|t| r.tickets.contains(&t.ticket_id))
        {
            let e = per_hold.entry(t.hold_id.as_str()).or_default();
            e.0 += 1;
            if !t.seat_key.is_empty() {
                e.1.push(t.seat_key.clone());
            } else if !t.seat.is_empty() {
                let section = catalog
                    .tiers
                    .get(&t.tier)
                    .and_then(|rules| rules.seat_map.as_ref())
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                e.1.push(format!("{section}/{}", t.seat));
            }
        }
        for (hold, (n, seats)) in per_hold {
            if hold.is_empty() {
                continue;
            }
            self.checkout
                .restock_seats(&format!("{refund_id}/{hold}"), hold, n, seats)
                .await?;
        }
        // 4. E-mail hears of it.
        let refunded = OrderRefunded {
            order_id: order.id.clone(),
            order_number: order.number.clone(),
            event_uid: order.event_uid.clone(),
            buyer_email: order.buyer_email.clone(),
            buyer_name: order.buyer_name.clone(),
            refund_id: refund_id.to_owned(),
            amount: money(r.amount, &order.currency),
            ticket_ids: r.tickets.clone(),
            fees_returned: r.fees_returned,
            reason: r.reason.clone(),
        };
        self.announce(
            "refunds",
            &format!("refund-{refund_id}"),
            refunded.encode_to_vec(),
        )
        .await?;
        // 5. Done; the order is Refunded once every ticket is.
        self.orders
            .refund_done(order_id, refund_id)
            .await
            .map_err(db_error)?;
        if order.refunded_tickets.len() >= order.tickets.len() {
            self.transition(
                order_id,
                &[OrderState::Completed],
                OrderState::Refunded,
                Changes::default(),
            )
            .await?;
        }
        r.state = RefundState::Done;
        tracing::info!(order = %order.id, refund = %refund_id, amount = r.amount, "refund done");
        Ok(view(&order, refund_id, &r))
    }

    /// Tells the scanners that `tickets` of order `order_id` no longer
    /// admit (`why`: refund, dispute, …); once per `msg_id`.
    pub(super) async fn revoke(
        &self,
        order_id: &str,
        tickets: &[String],
        why: &str,
        msg_id: &str,
    ) -> Result<(), CheckoutError> {
        let revoked = TicketsRevoked {
            order_id: order_id.to_owned(),
            ticket_ids: tickets.to_vec(),
            reason: why.into(),
            at_ms: now_ms(),
            reinstated: false,
        };
        self.announce("revocations", msg_id, revoked.encode_to_vec())
            .await
    }

    pub(super) async fn announce(
        &self,
        subject: &str,
        msg_id: &str,
        payload: Vec<u8>,
    ) -> Result<(), CheckoutError> {
        let mut headers = HeaderMap::new();
        headers.insert(NATS_MESSAGE_ID, msg_id);
        sellout_common::trace::inject_current(&mut headers);
        let js = async_nats::jetstream::new(self.nats.clone());
        js.publish_with_headers(self.names.subject(subject), headers, payload.into())
            .await
            .map_err(|e| bad(ErrorCode::Unavailable, format!("publish {subject}: {e}")))?
            .await
            .map_err(|e| bad(ErrorCode::Unavailable, format!("publish {subject}: {e}")))?;
        Ok(())
    }

    /// Cancels an order: an unpaid one is Cancelled and its holds given
    /// back; a completed one is refunded in full.
    pub async fn cancel(&self, order_id: &str, reason: &str) -> Result<OrderView, CheckoutError> {
        let order = self.load(order_id).await?;
        match order.state {
            OrderState::AwaitingPayment | OrderState::PaymentFailed => {
                // First make the payment impossible; a PaymentIntent that
                // succeeded meanwhile stays, and its webhook completes the
                // order instead (the state change below then does nothing).
                if let (Some(stripe), Some(pi)) = (&self.payments, &order.payment_intent) {
                    let account = order
                        .account
                        .clone()
                        .or_else(|| self.catalog.borrow().stripe_account_id.clone())
                        .unwrap_or_default();
                    match stripe.payments.cancel_payment_intent(pi, &account).await {
                        Ok(_) => {}
                        Err(PaymentError::InvalidRequest { message, .. }) => {
                            tracing::info!(order = %order_id, message, "PaymentIntent not cancelled (already paid or cancelled)");
                        }
                        Err(e) => return Err(payment_error(e)),
                    }
                }
                let cancelled = self
                    .transition(
                        order_id,
                        &[OrderState::AwaitingPayment, OrderState::PaymentFailed],
                        OrderState::Cancelled,
                        Changes::default(),
                    )
                    .await?;
                // Paid meanwhile: not cancelled, its holds are its own.
                let holds = if cancelled.is_some() {
                    order.holds.as_slice()
                } else {
                    &[]
                };
                for h in holds {
                    match self.checkout.release(&h.hold_id).await {
                        Ok(()) => {}
                        Err(e) if e.code() == ErrorCode::AlreadySold => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            OrderState::Completed => {
                self.refund(RefundRequest {
                    refund_id: format!("cancel-{order_id}"),
                    order_id: order_id.to_owned(),
                    ticket_ids: vec![],
                    reason: if reason.is_empty() {
                        "order cancelled".into()
                    } else {
                        reason.to_owned()
                    },
                })
                .await?;
            }
            _ => {}
        }
        Ok(self.load(order_id).await?.view())
    }

    async fn event_orders(&self, states: &[OrderState]) -> Result<Vec<OrderDoc>, CheckoutError> {
        let uid = self.catalog.borrow().event_uid.clone();
        self.orders.of_event(&uid, states).await.map_err(db_error)
    }

    /// Refunds every completed order of a cancelled event in full (or,
    /// with `dry_run`, reports what that would refund and changes
    /// nothing). Re-running it is safe: each order's refund id is fixed.
    pub async fn refund_event(&self, dry_run: bool) -> Result<EventRefundReport, CheckoutError> {
        let (cancelled, currency) = {
            let c = self.catalog.borrow();
            (c.cancelled, c.currency.clone())
        };
        if !cancelled {
            return Err(bad(
                ErrorCode::OrderState,
                "the event is not cancelled: set spec.state to Cancelled before refunding it in bulk",
            ));
        }
        let mut report = EventRefundReport {
            dry_run,
            ..Default::default()
        };
        let (mut amount, mut fees) = (0, 0);
        for order in self.event_orders(&[OrderState::Completed]).await? {
            let rid = format!("event-cancelled-{}", order.id);
            let left: Vec<String> = order
                .tickets
                .iter()
                .map(|t| t.ticket_id.clone())
                .filter(|t| !order.refunded_tickets.contains(t))
                .collect();
            if left.is_empty() && !order.refunds.contains_key(&rid) {
                continue;
            }
            let (a, _) = amount_of(&order, &left);
            if dry_run {
                report.orders += 1;
                report.tickets += left.len() as i64;
                amount += a;
                fees += order.application_fee;
                continue;
            }
            let req = RefundRequest {
                refund_id: rid,
                order_id: order.id.clone(),
                ticket_ids: vec![],
                reason: super::EVENT_CANCELLED.into(),
            };
            match self.refund(req).await {
                Ok(v) => {
                    report.orders += 1;
                    report.tickets += v.ticket_ids.len() as i64;
                    amount += v.amount.map_or(0, |m| m.amount_minor);
                    if v.fees_returned {
                        fees += order.application_fee;
                    }
                }
                Err(e) => {
                    tracing::warn!(order = %order.id, error = %e.message, "bulk refund: order not refunded");
                    report.failed_orders.push(order.id.clone());
                }
            }
        }
        report.amount = money(amount, &currency);
        report.fees_returned = money(fees, &currency);
        Ok(report)
    }

    /// Refund figures of the event (Done refunds only).
    pub async fn refund_stats(&self) -> Result<RefundStats, CheckoutError> {
        let currency = self.catalog.borrow().currency.clone();
        let orders = self
            .event_orders(&[OrderState::Completed, OrderState::Refunded])
            .await?;
        let mut stats = RefundStats::default();
        let (mut amount, mut fees) = (0, 0);
        for o in &orders {
            for r in o.refunds.values().filter(|r| r.state == RefundState::Done) {
                stats.refunds += 1;
                stats.tickets += r.tickets.len() as i64;
                amount += r.amount;
                if r.fees_returned {
                    fees += o.application_fee;
                }
            }
            if o.state == OrderState::Refunded {
                stats.orders_fully_refunded += 1;
            }
        }
        stats.amount = money(amount, &currency);
        stats.fees_returned = money(fees, &currency);
        Ok(stats)
    }

    /// Where an order's money is refunded: its PaymentIntent on the
    /// connected account it was made on, or a legacy Charge on the
    /// platform's account.
    fn refund_target(
        &self,
        order: &OrderDoc,
    ) -> Result<(RefundTarget, Option<String>), CheckoutError> {
        match (&order.payment_intent, &order.charge) {
            (_, Some(charge)) => Ok((RefundTarget::Charge(charge.clone()), None)),
            (Some(pi), None) => Ok((
                RefundTarget::PaymentIntent(pi.clone()),
                order
                    .account
                    .clone()
                    .or_else(|| self.catalog.borrow().stripe_account_id.clone()),
            )),
            (None, None) => Err(bad(
                ErrorCode::OrderState,
                format!("order {} has no payment to refund", order.id),
            )),
        }
    }

    /// Gives back what an order that cannot be fulfilled took (paid after
    /// its units went, or after it was cancelled): its sold holds are
    /// restocked and the whole payment refunded, fees included; the order
    /// ends Refunded. Idempotent; retried by the resume loop until done.
    pub(super) async fn refund_unfulfilled(
        &self,
        order_id: &str,
    ) -> Result<OrderView, CheckoutError> {
        let order = self.load(order_id).await?;
        if order.state != OrderState::RefundNeeded {
            return Ok(order.view());
        }
        for h in &order.holds {
            let seats = if h.seats.is_empty() {
                vec![]
            } else {
                let section = self
                    .catalog
                    .borrow()
                    .tiers
                    .get(&h.tier)
                    .and_then(|r| r.seat_map.as_ref())
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                h.seats.iter().map(|l| format!("{section}/{l}")).collect()
            };
            match self
                .checkout
                .restock_seats(
                    &format!("unfulfilled-{order_id}/{}", h.hold_id),
                    &h.hold_id,
                    h.quantity,
                    seats,
                )
                .await
            {
                Ok(()) => {}
                // Never sold (the late one, or released when cancelled).
                Err(e) if e.code() == ErrorCode::RefundTooLarge => {}
                Err(e) => return Err(e),
            }
        }
        if order.total > 0 {
            let Some(stripe) = &self.payments else {
                return Err(bad(
                    ErrorCode::PaymentUnavailable,
                    "payments are not configured on this worker",
                ));
            };
            let (target, account) = self.refund_target(&order)?;
            let req = NewRefund {
                target,
                amount: order.total,
                order_id: order.id.clone(),
                connected_account: account,
                refund_application_fee: true,
                idempotency_key: format!("sellout-refund-{order_id}-unfulfilled"),
            };
            stripe.payments.refund(&req).await.map_err(payment_error)?;
        }
        self.transition(
            order_id,
            &[OrderState::RefundNeeded],
            OrderState::Refunded,
            Changes::default(),
        )
        .await?;
        tracing::info!(order = %order_id, amount = order.total, "unfulfilled order refunded");
        Ok(self.load(order_id).await?.view())
    }

    /// Finishes refunds left Pending by a crash.
    pub(super) async fn resume_refunds(&self) {
        if let Ok(unfulfilled) = self.event_orders(&[OrderState::RefundNeeded]).await {
            for o in unfulfilled {
                if let Err(e) = self.refund_unfulfilled(&o.id).await {
                    tracing::warn!(order = %o.id, error = %e.message, "unfulfilled order not refunded yet; will retry");
                }
            }
        }
        let uid = self.catalog.borrow().event_uid.clone();
        let orders = match self
            .orders
            .with_pending_refunds(&uid)
            .await
            .map_err(db_error)
        {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(error = %e.message, "cannot list orders with refunds");
                return;
            }
        };
        for o in orders {
            for (id, r) in &o.refunds {
                if r.state == RefundState::Pending
                    && let Err(e) = self.finish_refund(&o.id, id).await
                {
                    tracing::warn!(order = %o.id, refund = %id, error = %e.message, "refund not finished yet; will retry");
                }
            }
        }
    }

    /// Brings an order paid by a Charge on the old platform over: its
    /// units are held (box office) and sold, and its tickets issued like
    /// any order's. Idempotent by order id.
    pub async fn import_legacy(
        &self,
        req: ImportLegacyOrderRequest,
    ) -> Result<OrderView, CheckoutError> {
        valid_id("order_id", &req.order_id)?;
        if !req.charge_id.starts_with("ch_") {
            return Err(bad(
                ErrorCode::BadRequest,
                "charge_id must be a Stripe Charge id (ch_…)",
            ));
        }
        let paid = req
            .paid
            .clone()
            .ok_or_else(|| bad(ErrorCode::BadRequest, "paid is required"))?;
        let catalog = self.catalog.borrow().clone();
        if !paid.currency.eq_ignore_ascii_case(&catalog.currency) {
            return Err(bad(
                ErrorCode::CurrencyMismatch,
                format!(
                    "paid in {}, but the event sells in {}",
                    paid.currency, catalog.currency
                ),
            ));
        }
        let currency = Currency::parse(&catalog.currency)
            .map_err(|e| bad(ErrorCode::CurrencyMismatch, e.to_string()))?;
        let _ = Money::new(paid.amount_minor, currency);
        if let Some(existing) = self.find(&req.order_id).await? {
            return Ok(existing.view());
        }
        let rules = catalog.tiers.get(&req.tier).ok_or_else(|| {
            bad(
                ErrorCode::UnknownTier,
                format!("tier {:?} is not sold at this event", req.tier),
            )
        })?;
        let hold_id = format!("legacy-{}", req.order_id);
        self.checkout
            .hold(HoldRequest {
                hold_id: hold_id.clone(),
                tier: req.tier.clone(),
                quantity: req.quantity,
                box_office: true,
                ..Default::default()
            })
            .await?;
        let buyer = req.buyer.clone().unwrap_or_default();
        let order = OrderDoc {
            id: req.order_id.clone(),
            number: format!("LEGACY-{}", req.order_id),
            event_uid: catalog.event_uid.clone(),
            state: OrderState::Paid,
            request: String::new(),
            holds: vec![HoldDoc {
                hold_id,
                tier: req.tier.clone(),
                quantity: req.quantity,
                seats: vec![],
            }],
            buyer_email: buyer.email,
            buyer_name: buyer.name,
            buyer_phone: buyer.phone,
            buyer_phone_verified: false,
            buyer_area: None,
            currency: catalog.currency.clone(),
            total: paid.amount_minor,
            application_fee: 0,
            lines: vec![LineDoc {
                tier: req.tier.clone(),
                description: rules.display_name.clone(),
                quantity: req.quantity,
                unit_price: rules.price_minor,
                amount: rules.price_minor * req.quantity,
                add_on: rules.add_on,
            }],
            charges: vec![],
            payment_intent: None,
            client_secret: None,
            payment_error: None,
            tickets: vec![],
            webhook_events: vec![],
            placed_at_ms: now_ms(),
            stripe_fee: 0,
            account: None,
            charge: Some(req.charge_id.clone()),
            channel: Channel::Imported,
            promo_code: None,
            refunds: Default::default(),
            refunded_tickets: vec![],
            cash: false,
            refunded_count: 0,
            disputes: Default::default(),
            pending_refunds: vec![],
            payment_attempts: 0,
        };
        // Imported before (the same id again): completed as it is.
        self.orders.insert(&order).await.map_err(db_error)?;
        self.complete(&req.order_id).await
    }
}

#[cfg(test)]
mod tests;
