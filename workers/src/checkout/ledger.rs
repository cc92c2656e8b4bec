//! The inventory ledger's wire form: [`Op`]s as protobuf [`LedgerOp`]s,
//! and refusals of the book as typed [`CheckoutError`]s.

use sellout_common::proto::v1::{
    CheckoutError, ErrorCode, HoldOp, LedgerOp, RestockOp, SetCapacityOp, ledger_op,
};

use crate::inventory::{Op, Refused};

/// An operation as it is written to the ledger.
pub fn encode(op: &Op) -> LedgerOp {
    use ledger_op::Op as P;
    let op = match op {
        Op::SetCapacity { tier, capacity } => P::SetCapacity(SetCapacityOp {
            tier: tier.clone(),
            capacity: *capacity,
        }),
        Op::Hold {
            hold,
            tier,
            quantity,
            expires_at,
            owners,
        } => P::Hold(HoldOp {
            hold_id: hold.clone(),
            tier: tier.clone(),
            quantity: *quantity,
            expires_at_ms: *expires_at,
            seats: vec![],
            owners: owners.clone(),
        }),
        Op::HoldSeats {
            hold,
            tier,
            seats,
            expires_at,
            owners,
        } => P::Hold(HoldOp {
            hold_id: hold.clone(),
            tier: tier.clone(),
            quantity: seats.len() as i64,
            expires_at_ms: *expires_at,
            seats: seats.clone(),
            owners: owners.clone(),
        }),
        Op::RefundSeats {
            refund,
            hold,
            seats,
        } => P::Restock(RestockOp {
            refund_id: refund.clone(),
            hold_id: hold.clone(),
            quantity: seats.len() as i64,
            seats: seats.clone(),
        }),
        Op::Release { hold } => P::Release(hold.clone()),
        Op::Expire { now } => P::Expire(*now),
        Op::Sell { hold } => P::Sell(hold.clone()),
        Op::Refund {
            refund,
            hold,
            quantity,
        } => P::Restock(RestockOp {
            refund_id: refund.clone(),
            hold_id: hold.clone(),
            quantity: *quantity,
            seats: vec![],
        }),
    };
    LedgerOp { op: Some(op) }
}

/// A ledger entry as an operation; `None` for an empty entry (written by
/// a newer version with an operation this one does not know).
pub fn decode(op: LedgerOp) -> Option<Op> {
    use ledger_op::Op as P;
    Some(match op.op? {
        P::SetCapacity(s) => Op::SetCapacity {
            tier: s.tier,
            capacity: s.capacity,
        },
        P::Hold(h) if !h.seats.is_empty() => Op::HoldSeats {
            hold: h.hold_id,
            tier: h.tier,
            seats: h.seats,
            expires_at: h.expires_at_ms,
            owners: h.owners,
        },
        P::Hold(h) => Op::Hold {
            hold: h.hold_id,
            tier: h.tier,
            quantity: h.quantity,
            expires_at: h.expires_at_ms,
            owners: h.owners,
        },
        P::Restock(r) if !r.seats.is_empty() => Op::RefundSeats {
            refund: r.refund_id,
            hold: r.hold_id,
            seats: r.seats,
        },
        P::Release(hold) => Op::Release { hold },
        P::Expire(now) => Op::Expire { now },
        P::Sell(hold) => Op::Sell { hold },
        P::Restock(r) => Op::Refund {
            refund: r.refund_id,
            hold: r.hold_id,
            quantity: r.quantity,
        },
    })
}

/// The typed error for a refusal of the book.
pub fn refusal(r: &Refused) -> CheckoutError {
    let code = match r {
        Refused::UnknownTier(_) => ErrorCode::UnknownTier,
        Refused::UnknownHold(_) => ErrorCode::UnknownHold,
        Refused::BadQuantity => ErrorCode::QuantityTooSmall,
        Refused::NotEnough { .. } => ErrorCode::NotEnough,
        Refused::Conflict(_) => ErrorCode::HoldConflict,
        Refused::HoldEnded(_) => ErrorCode::HoldEnded,
        Refused::LatePaymentSoldOut(_) => ErrorCode::LatePaymentSoldOut,
        Refused::AlreadySold(_) => ErrorCode::AlreadySold,
        Refused::RefundTooLarge { .. } => ErrorCode::RefundTooLarge,
        Refused::CapacityBelowTaken { .. } => ErrorCode::BadRequest,
        Refused::SeatTaken(_) => ErrorCode::SeatTaken,
        Refused::BadSeats(_) => ErrorCode::UnknownSeat,
    };
    CheckoutError {
        code: code as i32,
        message: r.to_string(),
        available: match r {
            Refused::NotEnough { available, .. } => *available,
            _ => 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_survives_the_wire() {
        let ops = [
            Op::SetCapacity {
                tier: "ga".into(),
                capacity: 10,
            },
            Op::Hold {
                hold: "h".into(),
                tier: "ga".into(),
                quantity: 2,
                expires_at: 99,
                owners: vec!["s:checkout-1".into(), "a:192.0.2.1".into()],
            },
            Op::Release { hold: "h".into() },
            Op::Expire { now: 7 },
            Op::Sell { hold: "h".into() },
            Op::Refund {
                refund: "r".into(),
                hold: "h".into(),
                quantity: 1,
            },
            Op::HoldSeats {
                hold: "s".into(),
                tier: "stalls".into(),
                seats: vec!["stalls/A1".into(), "stalls/A2".into()],
                expires_at: 5,
                owners: vec![],
            },
            Op::RefundSeats {
                refund: "r2".into(),
                hold: "s".into(),
                seats: vec!["stalls/A2".into()],
            },
        ];
        for op in ops {
            assert_eq!(decode(encode(&op)), Some(op));
        }
        assert_eq!(decode(LedgerOp { op: None }), None);
    }

    use proptest::prelude::*;

    proptest::proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever bytes reach the ledger subject (a forged or corrupt
        /// batch), decoding and replaying them never panics, and the
        /// replayed book still passes its check.
        #[test]
        fn any_bytes_on_the_ledger_replay_without_a_panic(
            batches in proptest::collection::vec(proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256), 0..8)
        ) {
            use prost::Message;
            let mut book = crate::inventory::Book::new();
            for bytes in &batches {
                if let Ok(batch) = sellout_common::proto::v1::LedgerBatch::decode(bytes.as_slice()) {
                    for op in batch.ops.into_iter().filter_map(decode) {
                        let _ = book.apply(&op);
                    }
                }
            }
            proptest::prop_assert!(book.check().is_ok());
        }

        /// Every request the workers decode from NATS takes any bytes
        /// without a panic (a refusal is an error answer, never a crash).
        #[test]
        fn every_verbs_decoder_takes_any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            use prost::Message;
            use sellout_common::proto::v1 as pb;
            let b = bytes.as_slice();
            let _ = pb::HoldRequest::decode(b);
            let _ = pb::LookupHoldRequest::decode(b);
            let _ = pb::ReleaseRequest::decode(b);
            let _ = pb::SellRequest::decode(b);
            let _ = pb::RestockRequest::decode(b);
            let _ = pb::AvailabilityRequest::decode(b);
            let _ = pb::CreateOrderRequest::decode(b);
            let _ = pb::GetOrderRequest::decode(b);
            let _ = pb::ResendTicketsRequest::decode(b);
            let _ = pb::StripeWebhook::decode(b);
            let _ = pb::RefundRequest::decode(b);
            let _ = pb::CancelOrderRequest::decode(b);
            let _ = pb::RefundEventRequest::decode(b);
            let _ = pb::RefundStatsRequest::decode(b);
            let _ = pb::ImportLegacyOrderRequest::decode(b);
            let _ = pb::QuoteRequest::decode(b);
            let _ = pb::ScanRequest::decode(b);
            let _ = pb::UnscanRequest::decode(b);
            let _ = pb::SyncRequest::decode(b);
            let _ = pb::CountsRequest::decode(b);
            let _ = pb::BundleRequest::decode(b);
            let _ = pb::TicketsRevoked::decode(b);
            let _ = pb::OrderCompleted::decode(b);
            let _ = pb::CheckedIn::decode(b);
        }

        /// Any webhook body, signed or not, parses to an event or an
        /// error; never a panic.
        #[test]
        fn any_webhook_body_parses_or_is_refused(
            body in proptest::prelude::prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..512).boxed(),
                "[ -~]{0,300}".prop_map(String::into_bytes).boxed(),
                (
                    "[a-z_.]{0,30}",
                    proptest::option::of("[a-z_]{0,12}"),
                    proptest::option::of(proptest::prelude::any::<i64>()),
                    proptest::option::of("[a-zA-Z]{0,4}"),
                ).prop_map(|(kind, object, amount, currency)| serde_json::json!({
                    "id": "evt_1", "type": kind, "created": 1, "livemode": false,
                    "data": {"object": {"id": "x", "object": object, "amount": amount,
                        "currency": currency, "metadata": {"order_id": "o"},
                        "payment_intent": {"id": "pi"}, "charge": "ch"}}
                }).to_string().into_bytes()).boxed(),
            ]
        ) {
            let verifier = crate::payments::WebhookVerifier::new(crate::payments::Secret::new("whsec_fuzz"));
            let _ = crate::payments::webhook::parse_unverified(&body);
            let header = crate::payments::webhook::sign(&body, "whsec_fuzz", jiff::Timestamp::now().as_second());
            let _ = verifier.verify(&body, Some(&header));
            let _ = verifier.verify(&body, Some("t=1,v1=zz"));
        }
    }
}
