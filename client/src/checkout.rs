//! A client of an event's checkout workers, for the gateway, tests and
//! benchmarks: protobuf requests over NATS, retried (with the same
//! idempotency key) while the writer changes hands: the inventory verbs
//! (`rpc.<verb>`) and the order service's (`rpc.order.<verb>`). Requests
//! carry the current request id and trace context ([`trace::request`]).

use std::time::Duration;

use prost::Message;

use sellout_common::names::Names;
use sellout_common::proto::v1::{
    AvailabilityRequest, CancelOrderRequest, CheckoutError, CheckoutReply, CreateOrderRequest,
    ErrorCode, EventRefundReport, GetOrderRequest, Held, HoldRequest, LookupHoldRequest,
    OrderReply, OrderView, PayOrderRequest, QuoteRequest, QuoteView, RefundEventRequest,
    RefundRequest, RefundStats, RefundStatsRequest, RefundView, ReleaseRequest,
    ResendTicketsRequest, RestockRequest, Seats, SeatsRequest, SellRequest, TierStock,
    checkout_reply, order_reply,
};
use sellout_common::trace;

use crate::ids::error;

/// A client of one event's checkout workers.
#[derive(Clone, Debug)]
pub struct CheckoutClient {
    nats: async_nats::Client,
    names: Names,
    /// How long one call may take in all, retries included.
    pub deadline: Duration,
    /// How long one attempt waits for its answer before it is sent again
    /// (never past the deadline).
    pub attempt_timeout: Duration,
}

impl CheckoutClient {
    /// A client for the event with these names.
    pub fn new(nats: async_nats::Client, names: Names) -> Self {
        CheckoutClient {
            nats,
            names,
            deadline: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(10),
        }
    }

    /// The event's names (subjects, stream).
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// Sends `payload` to `rpc.<verb>` and decodes the answer as `R`. No
    /// worker answering, or an answer that `retry` picks out (the
    /// worker's UNAVAILABLE), is retried with the same request (so the
    /// same idempotency key) until the deadline.
    async fn request<R: Message + Default>(
        &self,
        verb: &str,
        payload: Vec<u8>,
        retry: impl Fn(&R) -> Option<String>,
    ) -> Result<R, CheckoutError> {
        request(
            &self.nats,
            self.names.subject(&format!("rpc.{verb}")),
            payload,
            (self.deadline, self.attempt_timeout),
            "checkout worker",
            retry,
        )
        .await
    }

    async fn call(
        &self,
        verb: &str,
        payload: Vec<u8>,
    ) -> Result<checkout_reply::Result, CheckoutError> {
        let reply: CheckoutReply = self
            .request(verb, payload, |r: &CheckoutReply| match &r.result {
                Some(checkout_reply::Result::Error(e)) if e.code() == ErrorCode::Unavailable => {
                    Some(e.message.clone())
                }
                _ => None,
            })
            .await?;
        reply.result.ok_or_else(|| {
            error(
                ErrorCode::BadRequest,
                "empty answer from the checkout worker".into(),
            )
        })
    }

    /// A request to the event's order service (`rpc.order.<verb>`); its
    /// refusals come back as errors.
    async fn order_call(
        &self,
        verb: &str,
        payload: Vec<u8>,
    ) -> Result<order_reply::Result, CheckoutError> {
        let reply: OrderReply = self
            .request(
                &format!("order.{verb}"),
                payload,
                |r: &OrderReply| match &r.result {
                    Some(order_reply::Result::Error(e)) if e.code() == ErrorCode::Unavailable => {
                        Some(e.message.clone())
                    }
                    _ => None,
                },
            )
            .await?;
        match reply.result {
            Some(order_reply::Result::Error(e)) => Err(e),
            Some(r) => Ok(r),
            None => Err(error(
                ErrorCode::BadRequest,
                "empty answer from the order service".into(),
            )),
        }
    }

    /// Holds units of a tier.
    pub async fn hold(&self, req: HoldRequest) -> Result<Held, CheckoutError> {
        match self.call("hold", req.encode_to_vec()).await? {
            checkout_reply::Result::Held(h) => Ok(h),
            other => Err(mismatch("hold", other)),
        }
    }

    /// Looks hold `hold_id` up without changing it: the hold while it is
    /// active or sold (`new` false); UNKNOWN_HOLD when there is none,
    /// HOLD_ENDED when it was released or expired.
    pub async fn lookup_hold(&self, hold_id: &str) -> Result<Held, CheckoutError> {
        let req = LookupHoldRequest {
            hold_id: hold_id.into(),
        };
        match self.call("lookup", req.encode_to_vec()).await? {
            checkout_reply::Result::Held(h) => Ok(h),
            other => Err(mismatch("lookup", other)),
        }
    }

    /// Gives a hold back (as an internal caller: whoever holds it).
    pub async fn release(&self, hold_id: &str) -> Result<(), CheckoutError> {
        self.release_as(hold_id, "").await
    }

    /// Gives back a hold of checkout session `session` (NOT_YOUR_HOLD when
    /// it is another's; an empty session releases any hold).
    pub async fn release_as(&self, hold_id: &str, session: &str) -> Result<(), CheckoutError> {
        let req = ReleaseRequest {
            hold_id: hold_id.into(),
            session: session.into(),
        };
        match self.call("release", req.encode_to_vec()).await? {
            checkout_reply::Result::Done(_) => Ok(()),
            other => Err(mismatch("release", other)),
        }
    }

    /// Marks a hold's units sold; `Ok(true)` when the hold had ended and
    /// its units were taken again from what was available.
    pub async fn sell(&self, hold_id: &str) -> Result<bool, CheckoutError> {
        let req = SellRequest {
            hold_id: hold_id.into(),
        };
        match self.call("sell", req.encode_to_vec()).await? {
            checkout_reply::Result::Done(d) => Ok(d.late),
            other => Err(mismatch("sell", other)),
        }
    }

    /// Returns sold units of a hold to sale (idempotent by `refund_id`).
    pub async fn restock(
        &self,
        refund_id: &str,
        hold_id: &str,
        quantity: i64,
    ) -> Result<(), CheckoutError> {
        self.restock_seats(refund_id, hold_id, quantity, vec![])
            .await
    }

    /// Returns sold units of a hold to sale, naming the seats (as held,
    /// `<section>/<label>`) for a seated hold.
    pub async fn restock_seats(
        &self,
        refund_id: &str,
        hold_id: &str,
        quantity: i64,
        seats: Vec<String>,
    ) -> Result<(), CheckoutError> {
        let req = RestockRequest {
            refund_id: refund_id.into(),
            hold_id: hold_id.into(),
            quantity,
            seats,
        };
        match self.call("restock", req.encode_to_vec()).await? {
            checkout_reply::Result::Done(_) => Ok(()),
            other => Err(mismatch("restock", other)),
        }
    }

    /// Every tier's counts as of the writer's last commit.
    pub async fn availability(&self) -> Result<Vec<TierStock>, CheckoutError> {
        match self
            .call("availability", AvailabilityRequest {}.encode_to_vec())
            .await?
        {
            checkout_reply::Result::Availability(a) => Ok(a.tiers),
            other => Err(mismatch("availability", other)),
        }
    }

    /// The seats (or tables) of a seated or tables tier, and which are
    /// taken, as of the writer's last commit.
    pub async fn seats(&self, tier: &str) -> Result<Seats, CheckoutError> {
        let req = SeatsRequest { tier: tier.into() };
        match self.call("seats", req.encode_to_vec()).await? {
            checkout_reply::Result::Seats(s) => Ok(s),
            other => Err(mismatch("seats", other)),
        }
    }
}

/// The order service's verbs (`rpc.order.<verb>`): placing, reading,
/// pricing, refunding and cancelling orders.
impl CheckoutClient {
    /// Places an order for held units (idempotent by `order_id`).
    pub async fn create_order(&self, req: CreateOrderRequest) -> Result<OrderView, CheckoutError> {
        match self.order_call("create", req.encode_to_vec()).await? {
            order_reply::Result::Order(o) => Ok(o),
            other => Err(order_mismatch("create", other)),
        }
    }

    /// Pays unpaid order `order_id` with a card (`pm_…` or `card_…` from
    /// Stripe.js), confirmed on the server; PAYMENT_DECLINED keeps the
    /// order payable with another card, a few times at most.
    pub async fn pay_order(
        &self,
        order_id: &str,
        payment_method: &str,
    ) -> Result<OrderView, CheckoutError> {
        let req = PayOrderRequest {
            order_id: order_id.into(),
            payment_method: payment_method.into(),
        };
        match self.order_call("pay", req.encode_to_vec()).await? {
            order_reply::Result::Order(o) => Ok(o),
            other => Err(order_mismatch("pay", other)),
        }
    }

    /// An order of this event.
    pub async fn order(&self, order_id: &str) -> Result<OrderView, CheckoutError> {
        let req = GetOrderRequest {
            order_id: order_id.into(),
        };
        match self.order_call("get", req.encode_to_vec()).await? {
            order_reply::Result::Order(o) => Ok(o),
            other => Err(order_mismatch("get", other)),
        }
    }

    /// What an order of these tiers and quantities would cost now.
    pub async fn quote(&self, req: QuoteRequest) -> Result<QuoteView, CheckoutError> {
        match self.order_call("quote", req.encode_to_vec()).await? {
            order_reply::Result::Quote(q) => Ok(q),
            other => Err(order_mismatch("quote", other)),
        }
    }

    /// Refunds tickets of a completed order (idempotent by `refund_id`).
    pub async fn refund(&self, req: RefundRequest) -> Result<RefundView, CheckoutError> {
        match self.order_call("refund", req.encode_to_vec()).await? {
            order_reply::Result::Refund(r) => Ok(r),
            other => Err(order_mismatch("refund", other)),
        }
    }

    /// Cancels an order: an unpaid one is cancelled, a paid one refunded
    /// in full.
    pub async fn cancel_order(
        &self,
        order_id: &str,
        reason: &str,
    ) -> Result<OrderView, CheckoutError> {
        let req = CancelOrderRequest {
            order_id: order_id.into(),
            reason: reason.into(),
        };
        match self.order_call("cancel", req.encode_to_vec()).await? {
            order_reply::Result::Order(o) => Ok(o),
            other => Err(order_mismatch("cancel", other)),
        }
    }

    /// Refunds every order of the (cancelled) event, or with `dry_run`
    /// reports what that would do.
    pub async fn refund_event(&self, dry_run: bool) -> Result<EventRefundReport, CheckoutError> {
        let req = RefundEventRequest { dry_run };
        match self.order_call("refund_event", req.encode_to_vec()).await? {
            order_reply::Result::EventRefund(r) => Ok(r),
            other => Err(order_mismatch("refund_event", other)),
        }
    }

    /// Sends a completed order's tickets to its buyer again (at most one
    /// copy per order every 10 minutes).
    pub async fn resend_tickets(&self, order_id: &str) -> Result<OrderView, CheckoutError> {
        let req = ResendTicketsRequest {
            order_id: order_id.into(),
        };
        match self.order_call("resend", req.encode_to_vec()).await? {
            order_reply::Result::Order(o) => Ok(o),
            other => Err(order_mismatch("resend", other)),
        }
    }

    /// The event's refund figures.
    pub async fn refund_stats(&self) -> Result<RefundStats, CheckoutError> {
        match self
            .order_call("refund_stats", RefundStatsRequest {}.encode_to_vec())
            .await?
        {
            order_reply::Result::RefundStats(s) => Ok(s),
            other => Err(order_mismatch("refund_stats", other)),
        }
    }
}

/// Sends `payload` to `subject` and decodes the answer as `R`, sending it
/// again while nobody answers within an attempt's timeout or `retry` picks
/// the answer out, until the deadline (`times`: deadline, attempt
/// timeout). `who` names the workers in errors. Every request of the
/// workers is idempotent, so sending it again is safe.
pub(crate) async fn request<R: Message + Default>(
    nats: &async_nats::Client,
    subject: String,
    payload: Vec<u8>,
    (deadline, attempt_timeout): (Duration, Duration),
    who: &str,
    retry: impl Fn(&R) -> Option<String>,
) -> Result<R, CheckoutError> {
    let payload = bytes::Bytes::from(payload);
    let give_up = tokio::time::Instant::now() + deadline;
    let mut pause = Duration::from_millis(20);
    loop {
        let left = give_up.saturating_duration_since(tokio::time::Instant::now());
        // The caller's request id and trace context ride along.
        let answer = trace::request(
            nats,
            subject.clone(),
            payload.clone(),
            Some(left.min(attempt_timeout).max(Duration::from_millis(1))),
        )
        .await;
        let retry_why = match answer {
            Ok(msg) => match R::decode(msg.payload.as_ref()) {
                Ok(reply) => match retry(&reply) {
                    Some(why) => why,
                    None => return Ok(reply),
                },
                Err(e) => {
                    return Err(error(
                        ErrorCode::BadRequest,
                        format!("undecodable answer from the {who}: {e}"),
                    ));
                }
            },
            // No worker subscribed (changing hands) or no answer in time:
            // the same request again is safe.
            Err(e) => e.to_string(),
        };
        if tokio::time::Instant::now() + pause > give_up {
            return Err(error(
                ErrorCode::Unavailable,
                format!("no {who} answered in time: {retry_why}"),
            ));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

fn order_mismatch(verb: &str, got: order_reply::Result) -> CheckoutError {
    match got {
        order_reply::Result::Error(e) => e,
        other => error(
            ErrorCode::BadRequest,
            format!("unexpected answer to order {verb}: {other:?}"),
        ),
    }
}

fn mismatch(verb: &str, got: checkout_reply::Result) -> CheckoutError {
    match got {
        checkout_reply::Result::Error(e) => e,
        other => error(
            ErrorCode::BadRequest,
            format!("unexpected answer to {verb}: {other:?}"),
        ),
    }
}
