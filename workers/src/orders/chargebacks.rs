//! What happens to a payment at Stripe without Sellout asking: a refund
//! made in Stripe's dashboard (`charge.refunded` for more than Sellout's
//! own refunds) and disputes (chargebacks, `charge.dispute.*`).
//!
//! - A dashboard refund of everything left returns the order's remaining
//!   tickets like a refund made here: revoked at the door, units back on
//!   sale, the buyer told, the order Refunded. A partial one is recorded
//!   as a refund of money only (no ticket is chosen for the buyer); it
//!   shows in the refund figures and lowers what later refunds can return.
//! - A dispute opened revokes the order's tickets at once (a chargeback's
//!   tickets must not get in); lost, the units go back on sale and the
//!   order ends Refunded (the bank returned the money); won, the tickets
//!   admit again.
//!
//! Each is recorded in the order under an id from Stripe's own (the
//! event's, the dispute's), so a redelivered event changes nothing twice.

use sellout_common::proto::v1::{CheckoutError, ErrorCode, TicketsRevoked};
use sellout_store::orders::{DisputeDoc, OrderDoc, OrderState, RefundDoc, RefundState};

use super::service::{OrderService, bad, db_error};
use crate::checkout::service::now_ms;
use crate::payments::webhook::WebhookEvent;

/// Tickets of `order` not refunded (or being refunded).
fn unrefunded(order: &OrderDoc) -> Vec<String> {
    order
        .tickets
        .iter()
        .map(|t| t.ticket_id.clone())
        .filter(|t| !order.refunded_tickets.contains(t))
        .collect()
}

/// What Sellout's own refunds of `order` returned or are returning.
fn returned(order: &OrderDoc) -> i64 {
    order
        .refunds
        .values()
        .filter(|r| r.state != RefundState::Failed)
        .map(|r| r.amount)
        .sum()
}

/// Whether a dispute's status is final.
fn closed(status: &str) -> bool {
    matches!(status, "won" | "lost" | "warning_closed")
}

impl OrderService {
    /// Only a Completed order has tickets to take back; a Paid one is
    /// about to be (Stripe is asked to retry); others are left alone.
    fn settled(order: &OrderDoc, what: &str) -> Result<bool, CheckoutError> {
        match order.state {
            OrderState::Completed => Ok(true),
            OrderState::Paid => Err(bad(
                ErrorCode::Unavailable,
                format!(
                    "order {} is being completed: {what} is applied once it is (retry)",
                    order.id
                ),
            )),
            _ => Ok(false),
        }
    }

    /// `charge.refunded`: the part of the charge's refunded amount that
    /// Sellout's own refunds do not account for was refunded elsewhere.
    pub(super) async fn refunded_at_stripe(
        &self,
        order: OrderDoc,
        event: &WebhookEvent,
    ) -> Result<String, CheckoutError> {
        let refunded = event.object.amount_refunded.map_or(0, |m| m.minor);
        let outside = refunded - returned(&order);
        if outside <= 0 {
            return Ok(format!("order {}: refund already accounted for", order.id));
        }
        let refund_id = format!("stripe-{}", event.id);
        if !order.refunds.contains_key(&refund_id) {
            if !Self::settled(&order, "a refund made in Stripe's dashboard")? {
                return Ok(format!(
                    "ignored {}: order {} is {}",
                    event.id, order.id, order.state
                ));
            }
            let everything = returned(&order) + outside >= order.total;
            let record = RefundDoc {
                tickets: if everything {
                    unrefunded(&order)
                } else {
                    vec![]
                },
                amount: outside,
                fees_returned: everything,
                state: RefundState::Pending,
                stripe_refund: Some(format!("{} (made at Stripe)", event.object.id)),
                reason: "refunded in Stripe's dashboard".into(),
                error: None,
            };
            tracing::warn!(order = %order.id, amount = outside, everything, "a refund made outside Sellout: recorded");
            if self
                .orders
                .reserve_refund(&order, &refund_id, &record)
                .await
                .map_err(db_error)?
                .is_none()
            {
                return Err(bad(
                    ErrorCode::Unavailable,
                    "the order changed meanwhile (another refund?): retry",
                ));
            }
        }
        let done = self.finish_refund(&order.id, &refund_id).await?;
        Ok(format!(
            "order {}: {} refunded at Stripe recorded, {} tickets returned",
            order.id,
            outside,
            done.ticket_ids.len()
        ))
    }

    /// `charge.dispute.created`: the order's tickets stop admitting.
    pub(super) async fn disputed(
        &self,
        order: OrderDoc,
        event: &WebhookEvent,
    ) -> Result<String, CheckoutError> {
        let dispute_id = &event.object.id;
        if let Some(d) = order.disputes.get(dispute_id)
            && closed(&d.status)
        {
            return Ok(format!(
                "order {}: dispute {dispute_id} is closed already ({})",
                order.id, d.status
            ));
        }
        if !order.disputes.contains_key(dispute_id) && !Self::settled(&order, "a dispute")? {
            return Ok(format!(
                "ignored {}: order {} is {}",
                event.id, order.id, order.state
            ));
        }
        let tickets = match order.disputes.get(dispute_id) {
            Some(d) => d.tickets.clone(),
            None => unrefunded(&order),
        };
        self.orders
            .record_dispute(
                &order.id,
                dispute_id,
                &DisputeDoc {
                    status: event.object.status.clone().unwrap_or_default(),
                    amount: event.object.amount.map_or(0, |m| m.minor),
                    tickets: tickets.clone(),
                },
            )
            .await
            .map_err(db_error)?;
        if !tickets.is_empty() {
            self.revoke(
                &order.id,
                &tickets,
                "dispute",
                &format!("dispute-{dispute_id}"),
            )
            .await?;
        }
        tracing::warn!(order = %order.id, dispute = %dispute_id, tickets = tickets.len(), "payment disputed: tickets revoked");
        Ok(format!(
            "order {}: disputed, {} tickets revoked",
            order.id,
            tickets.len()
        ))
    }

    /// `charge.dispute.closed`: lost, the units go back on sale and the
    /// order is Refunded; won (or closed with a warning), the tickets
    /// admit again.
    pub(super) async fn dispute_closed(
        &self,
        order: OrderDoc,
        event: &WebhookEvent,
    ) -> Result<String, CheckoutError> {
        let dispute_id = &event.object.id;
        let status = event.object.status.clone().unwrap_or_default();
        let Some(open) = order.disputes.get(dispute_id).cloned() else {
            // Its opening was never seen (or came before the order was
            // complete): open it now, then close it.
            if !Self::settled(&order, "a dispute")? {
                return Ok(format!(
                    "ignored {}: order {} is {}",
                    event.id, order.id, order.state
                ));
            }
            self.disputed(order.clone(), event).await?;
            let order = self.load(&order.id).await?;
            return Box::pin(self.dispute_closed(order, event)).await;
        };
        let still_ours: Vec<String> = open
            .tickets
            .iter()
            .filter(|t| !order.refunded_tickets.contains(t))
            .cloned()
            .collect();
        self.orders
            .record_dispute(
                &order.id,
                dispute_id,
                &DisputeDoc {
                    status: status.clone(),
                    ..open.clone()
                },
            )
            .await
            .map_err(db_error)?;
        if status == "lost" {
            let refund_id = format!("dispute-{dispute_id}");
            if !order.refunds.contains_key(&refund_id) && !still_ours.is_empty() {
                let record = RefundDoc {
                    tickets: still_ours,
                    amount: open.amount.min(order.total - returned(&order)).max(0),
                    fees_returned: true,
                    state: RefundState::Pending,
                    stripe_refund: Some(format!("{dispute_id} (dispute lost)")),
                    reason: "payment disputed".into(),
                    error: None,
                };
                if self
                    .orders
                    .reserve_refund(&order, &refund_id, &record)
                    .await
                    .map_err(db_error)?
                    .is_none()
                {
                    return Err(bad(
                        ErrorCode::Unavailable,
                        "the order changed meanwhile (another refund?): retry",
                    ));
                }
            }
            if self.load(&order.id).await?.refunds.contains_key(&refund_id) {
                self.finish_refund(&order.id, &refund_id).await?;
            }
            return Ok(format!(
                "order {}: dispute lost, units back on sale",
                order.id
            ));
        }
        if !still_ours.is_empty() {
            let reinstated = TicketsRevoked {
                order_id: order.id.clone(),
                ticket_ids: still_ours.clone(),
                reason: "dispute".into(),
                at_ms: now_ms(),
                reinstated: true,
            };
            self.announce(
                "revocations",
                &format!("dispute-{dispute_id}-{status}"),
                prost::Message::encode_to_vec(&reinstated),
            )
            .await?;
        }
        tracing::info!(order = %order.id, dispute = %dispute_id, status, "dispute closed: tickets admit again");
        Ok(format!(
            "order {}: dispute {status}, {} tickets valid again",
            order.id,
            still_ours.len()
        ))
    }
}
