//! The order service: requests on `<event>.rpc.order.<verb>` (any checkout
//! replica answers, queue group [`ORDER_QUEUE`](sellout_common::names::ORDER_QUEUE))
//! and Stripe webhooks; the conditional state transitions the create,
//! payment, fulfilment and refund modules share.

use anyhow::Context as _;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use prost::Message;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use sellout_common::names::Names;
use sellout_common::proto::v1::{
    self as pb, CheckoutError, CreateOrderRequest, ErrorCode, GetOrderRequest, OrderReply,
    StripeWebhook, order_reply,
};
use sellout_common::trace;

use crate::checkout::catalog::{Catalog, error};
use crate::checkout::service::now_ms;
use crate::payments::{PaymentError, Payments, WebhookVerifier};
use crate::pricing::StripeRate;
use crate::ticket::Signer;
use sellout_client::CheckoutClient;
use sellout_store::orders::{Changes, OrderDoc, OrderState, OrderStore};

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
    /// The mode webhooks must be in ([`StripeConfig::livemode`](crate::payments::StripeConfig::livemode)).
    pub livemode: bool,
}

/// The order service of one event.
#[derive(Clone)]
pub struct OrderService {
    /// NATS.
    pub nats: async_nats::Client,
    /// The orders and hold claims (every event's; `eventUid` tells them
    /// apart).
    pub orders: OrderStore,
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
    /// True while this worker is the event's inventory writer: only then
    /// does it run the resume loop (finishing orders, asking Stripe about
    /// unpaid ones, expiring them), so one replica per event polls.
    pub resumer: watch::Receiver<bool>,
    /// How long after its holds ran out an unpaid order is cancelled:
    /// time for a payment confirmed at the last moment (3-D Secure) to
    /// arrive (the worker's `--unpaid-grace-seconds`, 120 by default).
    pub expiry_grace: Duration,
    /// When each unpaid order is next asked about at Stripe, and the
    /// interval after (doubling to [`MAX_CHECK_INTERVAL`]).
    pub checks: Arc<std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>>>,
}

/// The longest wait between two questions to Stripe about one unpaid
/// order.
pub const MAX_CHECK_INTERVAL: Duration = Duration::from_secs(300);

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

pub(super) fn money(minor: i64, currency: &str) -> Option<pb::Money> {
    Some(pb::Money {
        amount_minor: minor,
        currency: currency.to_owned(),
    })
}

/// The verbs of `<event>.rpc.order.<verb>` (the metrics' label values).
const VERBS: &[&str] = &[
    "create",
    "get",
    "webhook",
    "refund",
    "cancel",
    "refund_event",
    "refund_stats",
    "pay",
    "resend",
    "quote",
    "import",
];

/// How often orders left half-way (a crash after payment) are finished.
const RESUME_EVERY: Duration = Duration::from_secs(5);

impl OrderService {
    /// Answers order requests until `stop`, and finishes paid orders left
    /// half-way.
    pub async fn serve(self, stop: CancellationToken) -> anyhow::Result<()> {
        let mut sub = self
            .nats
            .queue_subscribe(
                self.names.subject("rpc.order.*"),
                sellout_common::names::ORDER_QUEUE.into(),
            )
            .await
            .context("subscribe to order requests")?;
        let resumer = self.clone();
        let resume_stop = stop.clone();
        tokio::spawn(async move {
            loop {
                // Each pass in a task of its own: a panic is logged and the
                // next pass runs anyway. Only the event's writer runs them.
                let pass = resumer.clone();
                if *resumer.resumer.borrow()
                    && let Err(e) = tokio::spawn(async move { pass.resume().await }).await
                {
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
            // Answers go only to inboxes (see `inbox_reply`).
            let Some(reply_to) = sellout_common::nats_auth::inbox_reply(msg.reply.as_ref()) else {
                continue;
            };
            let svc = self.clone();
            let verb = msg.subject.rsplit('.').next().unwrap_or_default();
            let span = trace::handler_span(
                sellout_common::names::ORDER_QUEUE,
                verb,
                msg.headers.as_ref(),
            );
            let ctx = trace::from_headers(msg.headers.as_ref());
            let handled = async move {
                let verb = msg.subject.rsplit('.').next().unwrap_or_default();
                tracing::debug!("order request");
                let started = std::time::Instant::now();
                let result = svc.handle(verb, &msg.payload).await;
                crate::metrics::get().order_request(
                    crate::metrics::verb_of(verb, VERBS),
                    match &result {
                        Ok(_) => "OK",
                        Err(e) => e.code().as_str_name(),
                    },
                    started.elapsed(),
                );
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

    pub(super) async fn handle(
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
            "pay" => {
                let req = pb::PayOrderRequest::decode(payload).map_err(malformed)?;
                if req.payment_method.is_empty() {
                    return Err(bad(ErrorCode::BadRequest, "payment_method is required"));
                }
                Ok(R::Order(
                    self.pay(&req.order_id, &req.payment_method).await?,
                ))
            }
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
                    "unknown order request {other:?}: use create, get, pay, quote, webhook, refund, cancel, refund_event, refund_stats, resend or import"
                ),
            )),
        }
    }

    pub(super) async fn find(&self, order_id: &str) -> Result<Option<OrderDoc>, CheckoutError> {
        let uid = self.catalog.borrow().event_uid.clone();
        self.orders.find(&uid, order_id).await.map_err(db_error)
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
        from: &[OrderState],
        to: OrderState,
        changes: Changes,
    ) -> Result<Option<OrderDoc>, CheckoutError> {
        let moved = self
            .orders
            .transition(order_id, from, to, changes)
            .await
            .map_err(db_error)?;
        if let Some(order) = &moved {
            // A note on an unpaid order (AwaitingPayment to itself) is
            // no move.
            if from != [to] {
                crate::metrics::get().order(to.as_str());
            }
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
            state: order.state.as_str().into(),
            payment_error: order.payment_error.clone().unwrap_or_default(),
            at_ms: now_ms(),
        };
        let subject = self.names.live_order(&order.id);
        if let Err(e) = self.nats.publish(subject, msg.encode_to_vec().into()).await {
            tracing::debug!(order = %order.id, error = %e, "order state not announced");
        }
    }

    /// Finishes this event's orders left half-way: Paid ones (a crash
    /// between payment and completion) are completed; unpaid ones whose
    /// PaymentIntent Stripe reports succeeded (a webhook lost while this
    /// worker was down, before Stripe retries it) are treated as the
    /// webhook would, and those still unpaid when their holds have run out
    /// are cancelled (their PaymentIntent too).
    pub async fn resume(&self) {
        self.reconcile_unpaid().await;
        let uid = self.catalog.borrow().event_uid.clone();
        let ids: Vec<String> = match self.orders.of_event(&uid, &[OrderState::Paid]).await {
            Ok(orders) => orders.into_iter().map(|o| o.id).collect(),
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
