//! Payment: Stripe's webhooks (`payment_intent.succeeded` moves an order
//! to Paid exactly once, `payment_failed` releases its holds) and, for a
//! lost webhook, asking Stripe about orders left unpaid.

use std::time::Duration;

use sellout_common::proto::v1::{CheckoutError, ErrorCode};

use super::service::*;
use crate::checkout::service::now_ms;
use crate::payments::webhook::EventType;
use sellout_store::orders::{Changes, OrderDoc, OrderState};

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
                self.fail(order_id, &why).await?;
                Ok(format!("order {order_id} payment failed"))
            }
            other => Ok(format!("ignored {}: {}", event.id, other.as_str())),
        }
    }
}

impl OrderService {
    pub(super) async fn reconcile_unpaid(&self) {
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
        let unpaid: Vec<OrderDoc> = match self.orders.unpaid(&uid, before).await {
            Ok(orders) => orders,
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
