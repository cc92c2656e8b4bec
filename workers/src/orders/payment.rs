//! Payment: cards confirmed on the server (`pay`: a decline keeps the
//! order and its holds for another card, a few times at most), Stripe's
//! webhooks (`payment_intent.succeeded` moves an order to Paid exactly
//! once, `payment_failed` records why and keeps it payable) and, for a
//! lost webhook, asking Stripe about orders left unpaid.

use std::time::Duration;

use sellout_common::proto::v1::{CheckoutError, ErrorCode, OrderView};

use super::service::*;
use crate::checkout::service::now_ms;
use crate::payments::webhook::{EventType, WebhookEvent};
use crate::payments::{
    IntentStatus, METADATA_EVENT_UID, METADATA_ORDER_ID, NewPaymentIntent, PaymentError,
};
use sellout_store::orders::{Changes, OrderDoc, OrderState};

/// Card payments confirmed on the server per order before the order fails
/// (each with another card the buyer typed): enough for typing mistakes,
/// too few to test stolen cards on one order.
pub const MAX_PAYMENT_ATTEMPTS: u32 = 5;

impl OrderService {
    /// A failed payment: the order is PaymentFailed and its holds are
    /// given back (both idempotent).
    pub(super) async fn fail(&self, order_id: &str, why: &str) -> Result<(), CheckoutError> {
        let failed = self
            .transition(
                order_id,
                &[OrderState::AwaitingPayment],
                OrderState::PaymentFailed,
                Changes {
                    payment_error: Some(why.into()),
                    ..Default::default()
                },
            )
            .await?;
        let order = match failed {
            Some(o) => o,
            None => self.load(order_id).await?,
        };
        if order.state == OrderState::PaymentFailed {
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

    /// Pays unpaid order `order_id` with `payment_method`: its
    /// PaymentIntent confirmed on the server. A decline keeps the order
    /// unpaid with its holds (the buyer tries another card) and answers
    /// PAYMENT_DECLINED; after [`MAX_PAYMENT_ATTEMPTS`] the order fails
    /// and its holds are given back, so one order cannot test a stack of
    /// stolen cards. An order already paid (or completed) answers as it
    /// is, charged nothing more.
    pub(super) async fn pay(
        &self,
        order_id: &str,
        payment_method: &str,
    ) -> Result<OrderView, CheckoutError> {
        let Some(stripe) = &self.payments else {
            return Err(bad(
                ErrorCode::PaymentUnavailable,
                "payments are not configured on this worker",
            ));
        };
        let order = self.load(order_id).await?;
        let (Some(pi), Some(account)) = (order.payment_intent.clone(), order.account.clone())
        else {
            return match order.state {
                OrderState::AwaitingPayment => Err(bad(
                    ErrorCode::PaymentUnavailable,
                    format!(
                        "order {order_id} has no payment yet: place it again with the same order id"
                    ),
                )),
                _ => Ok(order.view()),
            };
        };
        if order.state != OrderState::AwaitingPayment {
            return Ok(order.view());
        }
        let Some(counted) = self
            .orders
            .count_payment_attempt(order_id, MAX_PAYMENT_ATTEMPTS)
            .await
            .map_err(db_error)?
        else {
            let now = self.load(order_id).await?;
            if now.state != OrderState::AwaitingPayment {
                return Ok(now.view());
            }
            return Err(self.too_many_attempts(order_id).await);
        };
        let n = counted.payment_attempts;
        let key = format!("{}-confirm-{n}", NewPaymentIntent::order_key(order_id, 0));
        match stripe
            .payments
            .confirm_payment_intent(&pi, &account, payment_method, &key)
            .await
        {
            Ok(pi) => {
                let mut view = self.load(order_id).await?.view();
                view.requires_action = pi.status == IntentStatus::RequiresAction;
                Ok(view)
            }
            Err(PaymentError::Declined { message, .. }) => {
                if n >= MAX_PAYMENT_ATTEMPTS {
                    return Err(self.too_many_attempts(order_id).await);
                }
                self.note_payment_error(order_id, &message).await?;
                Err(bad(ErrorCode::PaymentDeclined, message))
            }
            // Paid meanwhile (another attempt, or the buyer's browser):
            // Stripe refuses to confirm it again.
            Err(PaymentError::InvalidRequest {
                code: Some(code), ..
            }) if code == "payment_intent_unexpected_state" => {
                Ok(self.load(order_id).await?.view())
            }
            Err(e) => Err(payment_error(e)),
        }
    }

    /// Fails an order whose payment attempts ran out (holds given back);
    /// the error to answer.
    async fn too_many_attempts(&self, order_id: &str) -> CheckoutError {
        let why = format!(
            "the payment was declined {MAX_PAYMENT_ATTEMPTS} times: the order is cancelled and its tickets released; start again to buy"
        );
        match self.fail(order_id, &why).await {
            Ok(()) => bad(ErrorCode::PaymentDeclined, why),
            Err(e) => e,
        }
    }

    /// Records why the payment of unpaid order `order_id` failed, keeping
    /// it unpaid (its holds stay the buyer's until they run out).
    pub(super) async fn note_payment_error(
        &self,
        order_id: &str,
        why: &str,
    ) -> Result<(), CheckoutError> {
        self.transition(
            order_id,
            &[OrderState::AwaitingPayment],
            OrderState::AwaitingPayment,
            Changes {
                payment_error: Some(why.into()),
                ..Default::default()
            },
        )
        .await?;
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
        let done = self.apply_webhook(payload, signature).await;
        crate::metrics::get().webhook(match &done {
            Ok(d) if d.starts_with("ignored") => "ignored",
            Ok(_) => "processed",
            Err(e) if e.code() == ErrorCode::BadSignature => "bad_signature",
            // Answered 200 "ignored" to Stripe: not an order of ours.
            Err(e) if e.code() == ErrorCode::UnknownOrder => "ignored",
            Err(_) => "error",
        });
        done
    }

    async fn apply_webhook(
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
        // Our metadata names the order on PaymentIntent events; refunds
        // and disputes name the payment, which names the order.
        let order = match (&event.object.order_id, &event.object.event_uid) {
            (Some(order_id), Some(event_uid)) => {
                if *event_uid != uid {
                    return Ok(format!("ignored {}: another event's order", event.id));
                }
                self.load(order_id).await?
            }
            _ => match self
                .orders
                .by_payment(
                    &uid,
                    event.object.payment_intent_id(),
                    event.object.charge_id(),
                )
                .await
                .map_err(db_error)?
            {
                Some(order) => order,
                None => {
                    return Ok(format!(
                        "ignored {}: not the payment of an order of this event",
                        event.id
                    ));
                }
            },
        };
        let order_id = order.id.clone();
        let order_id = order_id.as_str();
        let order = match self.payment_of(&event, order, stripe).await? {
            Ok(order) => order,
            Err(why) => {
                tracing::warn!(event = %event.id, order = %order_id, why, "webhook not applied");
                return Ok(format!("ignored {}: {why}", event.id));
            }
        };
        let _ = self.orders.record_webhook_event(order_id, &event.id).await;
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
                    &[OrderState::AwaitingPayment, OrderState::PaymentFailed],
                    OrderState::Paid,
                    Changes {
                        payment_intent: Some(event.object.id.clone()),
                        ..Default::default()
                    },
                )
                .await?;
                // Paid after it was cancelled: the money must go back.
                self.transition(
                    order_id,
                    &[OrderState::Cancelled],
                    OrderState::RefundNeeded,
                    Changes {
                        payment_error: Some("paid after the order was cancelled".into()),
                        ..Default::default()
                    },
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
                // The buyer may try again on the same PaymentIntent while
                // the holds last; an order never paid is cancelled once
                // they ran out (`reconcile_unpaid`).
                self.note_payment_error(order_id, &why).await?;
                Ok(format!("order {order_id} payment failed; still payable"))
            }
            EventType::ChargeRefunded => self.refunded_at_stripe(order, &event).await,
            EventType::ChargeDisputeCreated => self.disputed(order, &event).await,
            EventType::ChargeDisputeClosed => self.dispute_closed(order, &event).await,
            other => Ok(format!("ignored {}: {}", event.id, other.as_str())),
        }
    }
}

impl OrderService {
    /// Whether `event` is about `order`'s own payment: in the platform's
    /// mode, from the connected account the order is paid on, and about
    /// the order's PaymentIntent. Metadata alone proves nothing: any
    /// account connected to the platform can put an order's id and amount
    /// on a PaymentIntent of its own, and Stripe signs that event for our
    /// endpoint like any other. An order whose PaymentIntent is not
    /// recorded yet (the webhook outran the write, or a crash between
    /// them) has it read from Stripe on the order's account and checked
    /// (status, amount, currency, metadata) before it is recorded.
    /// `Ok(Err(why))`: not this order's payment.
    async fn payment_of(
        &self,
        event: &WebhookEvent,
        order: OrderDoc,
        stripe: &PaymentsSetup,
    ) -> Result<Result<OrderDoc, String>, CheckoutError> {
        let mode = |live: bool| if live { "live" } else { "test" };
        if event.livemode != stripe.livemode {
            return Ok(Err(format!(
                "a {}-mode event, and this platform takes {}-mode payments",
                mode(event.livemode),
                mode(stripe.livemode)
            )));
        }
        // A legacy order's Charge was made on the platform's own account
        // (events without `account`); every other order is paid on its
        // organization's connected account.
        let account = if order.charge.is_some() {
            None
        } else {
            order
                .account
                .clone()
                .or_else(|| self.catalog.borrow().stripe_account_id.clone())
        };
        if event.account != account {
            return Ok(Err(format!(
                "from Stripe account {}, not the account order {} is paid on",
                event.account.as_deref().unwrap_or("(the platform's own)"),
                order.id
            )));
        }
        let intent = if event.object.object == "payment_intent" {
            Some(event.object.id.as_str())
        } else {
            event.object.payment_intent.as_deref()
        };
        if order.charge.is_some() && order.charge.as_deref() == event.object.charge_id() {
            return Ok(Ok(order));
        }
        match (&order.payment_intent, intent) {
            (Some(ours), Some(theirs)) if ours == theirs => return Ok(Ok(order)),
            (None, Some(theirs)) if event.kind == EventType::PaymentIntentSucceeded => {
                let Some(account) = account else {
                    return Ok(Err("a legacy order is not paid by PaymentIntent".into()));
                };
                let pi = stripe
                    .payments
                    .payment_intent(theirs, &account)
                    .await
                    .map_err(payment_error)?;
                let meta = |k: &str| pi.metadata.get(k).map(String::as_str);
                if pi.status != IntentStatus::Succeeded
                    || pi.amount.minor != order.total
                    || !pi
                        .amount
                        .currency
                        .as_str()
                        .eq_ignore_ascii_case(&order.currency)
                    || meta(METADATA_ORDER_ID) != Some(order.id.as_str())
                    || meta(METADATA_EVENT_UID) != Some(order.event_uid.as_str())
                {
                    return Ok(Err(format!(
                        "PaymentIntent {theirs} on the order's account is not a succeeded payment of order {} for {} {}",
                        order.id, order.total, order.currency
                    )));
                }
                // Recorded once: a PaymentIntent recorded meanwhile wins,
                // and this one must then be it.
                let recorded = self
                    .orders
                    .record_payment_intent(&order.id, theirs, None, &account)
                    .await
                    .map_err(db_error)?;
                let order = match recorded {
                    Some(o) => o,
                    None => self.load(&order.id).await?,
                };
                if order.payment_intent.as_deref() == Some(theirs) {
                    tracing::info!(order = %order.id, payment_intent = theirs, "PaymentIntent recorded from its webhook");
                    return Ok(Ok(order));
                }
            }
            _ => {}
        }
        Ok(Err(format!("not the payment of order {}", order.id)))
    }

    /// Whether unpaid order `id` is due to be asked about at Stripe now:
    /// at 10 s of age, then after 10 s, 20 s, 40 s … up to
    /// [`MAX_CHECK_INTERVAL`] (a lost webhook is found soon, a buyer who
    /// walked away costs few requests).
    fn due(&self, id: &str, now: i64) -> bool {
        let mut checks = self.checks.lock().expect("not poisoned");
        let first = UNPAID_GRACE.as_millis() as i64;
        let entry = checks.entry(id.to_owned()).or_insert((now, first));
        if now < entry.0 {
            return false;
        }
        let interval = entry.1;
        *entry = (
            now + interval,
            (interval * 2).min(MAX_CHECK_INTERVAL.as_millis() as i64),
        );
        true
    }

    /// Unpaid orders: ones whose PaymentIntent Stripe reports succeeded
    /// are marked paid (their webhook was lost); ones still unpaid when
    /// their holds ran out (hold time and [`OrderService::expiry_grace`]
    /// after they were placed) are cancelled, PaymentIntent first, so no late payment
    /// takes money for units given back.
    pub(super) async fn reconcile_unpaid(&self) {
        let (uid, account, ttl) = {
            let c = self.catalog.borrow();
            (
                c.event_uid.clone(),
                c.stripe_account_id.clone(),
                c.hold_ttl_ms,
            )
        };
        let now = now_ms();
        let before = now - UNPAID_GRACE.as_millis() as i64;
        let unpaid: Vec<OrderDoc> = match self.orders.unpaid_since(&uid, before).await {
            Ok(orders) => orders,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list unpaid orders");
                return;
            }
        };
        self.checks
            .lock()
            .expect("not poisoned")
            .retain(|id, _| unpaid.iter().any(|o| &o.id == id));
        for order in unpaid {
            if let (Some(stripe), Some(account), Some(pi), OrderState::AwaitingPayment) = (
                &self.payments,
                order.account.as_ref().or(account.as_ref()),
                &order.payment_intent,
                order.state,
            ) && self.due(&order.id, now)
            {
                match stripe.payments.payment_intent(pi, account).await {
                    Ok(intent) if intent.status == IntentStatus::Succeeded => {
                        if intent.amount.minor != order.total
                            || !intent
                                .amount
                                .currency
                                .as_str()
                                .eq_ignore_ascii_case(&order.currency)
                        {
                            tracing::error!(order = %order.id, "paid amount differs from the order's total: not completing");
                            continue;
                        }
                        tracing::info!(order = %order.id, "payment succeeded without a webhook seen: completing");
                        if let Err(e) = self
                            .transition(
                                &order.id,
                                &[OrderState::AwaitingPayment],
                                OrderState::Paid,
                                Changes::default(),
                            )
                            .await
                        {
                            tracing::warn!(order = %order.id, error = %e.message, "cannot mark paid");
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(order = %order.id, error = %e, "cannot ask Stripe about a payment");
                        continue;
                    }
                }
            }
            if order.placed_at_ms + ttl + self.expiry_grace.as_millis() as i64 <= now {
                match self
                    .cancel(&order.id, "not paid before its hold ran out")
                    .await
                {
                    Ok(o) => {
                        tracing::info!(order = %order.id, state = %o.state, "unpaid order expired")
                    }
                    Err(e) => {
                        tracing::warn!(order = %order.id, error = %e.message, "unpaid order not expired yet; will retry")
                    }
                }
            }
        }
    }
}

/// How old an unpaid order must be before Stripe is asked about it.
const UNPAID_GRACE: Duration = Duration::from_secs(10);
