//! Fulfilment: a Paid order's holds sold, its tickets issued (ids derived
//! from the order id, signed, kept once issued), `OrderCompleted`
//! announced on the stream exactly once, then Completed; and copies of
//! the confirmation resent at the buyer's request.

use std::num::NonZeroU8;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::header::NATS_MESSAGE_ID;
use prost::Message;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use sellout_common::proto::v1::{self as pb, CheckoutError, ErrorCode, OrderCompleted, OrderView};

use super::service::*;
use crate::checkout::catalog::Catalog;
use crate::checkout::service::now_ms;
use crate::email::delivery::RESEND_HEADER;
use crate::ticket::{TicketClaims, TierHash, ValidDays};
use sellout_store::orders::{Changes, OrderDoc, OrderState, TicketDoc};

/// The id of an order's `i`-th ticket: the same on every run.
pub(super) fn ticket_id(order_id: &str, i: usize) -> Uuid {
    let h = Sha256::digest(format!("sellout-ticket\0{order_id}\0{i}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    uuid::Builder::from_random_bytes(b).into_uuid()
}

/// At most one copy of an order's confirmation per this long
/// ([`OrderService::resend`]).
pub const RESEND_EVERY: Duration = Duration::from_secs(600);

/// The announcement of a completed order with `tickets`.
pub(super) fn completed(order: &OrderDoc, tickets: &[TicketDoc]) -> OrderCompleted {
    OrderCompleted {
        order_id: order.id.clone(),
        order_number: order.number.clone(),
        event_uid: order.event_uid.clone(),
        buyer_email: order.buyer_email.clone(),
        buyer_name: order.buyer_name.clone(),
        buyer_phone: order.buyer_phone.clone(),
        buyer_phone_verified: order.buyer_phone_verified,
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
        tickets: tickets.iter().map(TicketDoc::issued).collect(),
    }
}

impl OrderService {
    /// Finishes a paid order: sells its holds, issues its tickets,
    /// announces them, marks it Completed. Every step is idempotent.
    pub async fn complete(&self, order_id: &str) -> Result<OrderView, CheckoutError> {
        let order = self.load(order_id).await?;
        if order.state != OrderState::Paid {
            return Ok(order.view());
        }
        for h in &order.holds {
            match self.checkout.sell(&h.hold_id).await {
                Ok(_) => {}
                Err(e) if e.code() == ErrorCode::LatePaymentSoldOut => {
                    tracing::error!(order = %order.id, hold = %h.hold_id, "paid after the hold ended and the units are gone: refunding");
                    self.transition(
                        order_id,
                        &[OrderState::Paid],
                        OrderState::RefundNeeded,
                        Changes {
                            payment_error: Some(e.message.clone()),
                            ..Default::default()
                        },
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
            self.orders
                .issue_tickets(order_id, &tickets)
                .await
                .map_err(db_error)?;
            self.load(order_id).await?.tickets
        } else {
            order.tickets.clone()
        };
        let announce = completed(&order, &tickets);
        let mut headers = HeaderMap::new();
        headers.insert(NATS_MESSAGE_ID, format!("tickets-{}", order.id).as_str());
        // The confirmation mail continues the purchase's trace.
        sellout_common::trace::inject_current(&mut headers);
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
        self.transition(
            order_id,
            &[OrderState::Paid],
            OrderState::Completed,
            Changes::default(),
        )
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
        if order.state != OrderState::Completed {
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
        sellout_common::trace::inject_current(&mut headers);
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
    pub(super) fn tickets(
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
}
