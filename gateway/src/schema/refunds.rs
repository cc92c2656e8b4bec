//! Refunds (ADMIN and above of the event's organization): whole orders,
//! single tickets, cancelling an order, a cancelled event's orders in bulk
//! (with a dry run), and the event's refund figures. The event's checkout
//! workers do the work (Stripe, inventory, revoked tickets, the buyer's
//! e-mail); their refusals keep their codes (`ORDER_STATE`,
//! `REFUND_TOO_LARGE`, `UNKNOWN_ORDER`, …).

use std::time::Duration;

use async_graphql::{Context, Error, ID, Object, SimpleObject};
use sellout_common::proto::v1::{self as pb, RefundRequest};
use sellout_crds::organization::Role;

use super::Deps;
use super::orders::{Order, Refund, event_of, find_order, workers};
use crate::auth;
use crate::error::{self, checkout_error, gql_error};

/// How long a refund may take (Stripe, inventory, the stream).
const REFUND_DEADLINE: Duration = Duration::from_secs(30);
/// How long a bulk refund of an event may take in all.
const BULK_DEADLINE: Duration = Duration::from_secs(600);
/// Longest reason.
const MAX_REASON: usize = 500;

fn minor(m: &Option<pb::Money>) -> i64 {
    m.as_ref().map_or(0, |m| m.amount_minor)
}

fn currency(m: &Option<pb::Money>) -> String {
    m.as_ref().map(|m| m.currency.clone()).unwrap_or_default()
}

fn reason_of(reason: Option<String>) -> Result<String, Error> {
    let reason = reason.unwrap_or_default().trim().to_owned();
    if reason.chars().count() > MAX_REASON {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!("reason must be at most {MAX_REASON} characters"),
        ));
    }
    Ok(reason)
}

/// What a bulk refund of a cancelled event did, or (dry run) would do.
#[derive(SimpleObject)]
pub struct EventRefundReport {
    /// Whether nothing was changed (a dry run).
    pub dry_run: bool,
    /// Orders refunded (or that would be).
    pub orders: i64,
    /// Tickets refunded (or that would be).
    pub tickets: i64,
    /// Money back to buyers, minor units of `currency`.
    pub amount_minor: i64,
    /// Of which the platform's and Stripe's fees, minor units.
    pub fees_returned_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Orders that could not be refunded now: run it again.
    pub failed_orders: Vec<ID>,
}

/// The refund figures of an event (Done refunds only).
#[derive(SimpleObject)]
pub struct RefundStats {
    /// Refunds made.
    pub refunds: i64,
    /// Tickets refunded.
    pub tickets: i64,
    /// Money back to buyers, minor units of `currency`.
    pub amount_minor: i64,
    /// Of which the platform's and Stripe's fees, minor units.
    pub fees_returned_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Orders refunded in full.
    pub orders_fully_refunded: i64,
}

/// Refund figures.
#[derive(Default)]
pub struct RefundsQuery;

#[Object]
impl RefundsQuery {
    /// The event's refund figures (ADMIN and above).
    async fn refund_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
    ) -> Result<RefundStats, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        auth::require(ctx, &ns, Role::Admin)?;
        let s = workers(deps, &uid, REFUND_DEADLINE, REFUND_DEADLINE)
            .refund_stats()
            .await
            .map_err(checkout_error)?;
        Ok(RefundStats {
            refunds: s.refunds,
            tickets: s.tickets,
            amount_minor: minor(&s.amount),
            fees_returned_minor: minor(&s.fees_returned),
            currency: currency(&s.amount),
            orders_fully_refunded: s.orders_fully_refunded,
        })
    }
}

/// Refunds and cancellations.
#[derive(Default)]
pub struct RefundsMutation;

async fn refund(
    ctx: &Context<'_>,
    event: String,
    order_id: ID,
    ticket_ids: Vec<ID>,
    reason: Option<String>,
    refund_id: Option<ID>,
) -> Result<Refund, Error> {
    let deps = ctx.data::<Deps>()?;
    let (ns, _, uid) = event_of(deps, &event).await?;
    auth::require(ctx, &ns, Role::Admin)?;
    let reason = reason_of(reason)?;
    let refund_id = refund_id.map_or_else(|| uuid::Uuid::new_v4().to_string(), |i| i.0);
    let r = workers(deps, &uid, REFUND_DEADLINE, REFUND_DEADLINE)
        .refund(RefundRequest {
            refund_id,
            order_id: order_id.0,
            ticket_ids: ticket_ids.into_iter().map(|t| t.0).collect(),
            reason: reason.clone(),
        })
        .await
        .map_err(checkout_error)?;
    Ok(Refund {
        id: ID(r.refund_id),
        order_id: ID(r.order_id),
        ticket_ids: r.ticket_ids.into_iter().map(ID).collect(),
        amount_minor: minor(&r.amount),
        currency: currency(&r.amount),
        fees_returned: r.fees_returned,
        state: r.state,
        reason,
    })
}

#[Object]
impl RefundsMutation {
    /// Refunds everything of a completed order not refunded yet (ADMIN
    /// and above): the money back through Stripe (the fees too), the
    /// tickets revoked at every scanner, the inventory back on sale, the
    /// buyer e-mailed. Retrying with the same `refundId` never refunds
    /// twice.
    async fn refund_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The order's id.")] order_id: ID,
        #[graphql(desc = "Why, for the records and the buyer's e-mail.")] reason: Option<String>,
        #[graphql(desc = "Idempotency key (a UUID); a new one when left out.")] refund_id: Option<
            ID,
        >,
    ) -> Result<Refund, Error> {
        refund(ctx, event, order_id, vec![], reason, refund_id).await
    }

    /// Refunds some tickets (or add-ons) of a completed order (ADMIN and
    /// above): each ticket's share of what was paid, without the fees; the
    /// refund of an order's last tickets returns the fees too.
    async fn refund_tickets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The order's id.")] order_id: ID,
        #[graphql(desc = "The tickets to refund.")] ticket_ids: Vec<ID>,
        #[graphql(desc = "Why, for the records and the buyer's e-mail.")] reason: Option<String>,
        #[graphql(desc = "Idempotency key (a UUID); a new one when left out.")] refund_id: Option<
            ID,
        >,
    ) -> Result<Refund, Error> {
        if ticket_ids.is_empty() {
            return Err(gql_error(
                error::BAD_REQUEST,
                "name at least one ticket (refundOrder refunds them all)",
            ));
        }
        refund(ctx, event, order_id, ticket_ids, reason, refund_id).await
    }

    /// Cancels an order (ADMIN and above): an unpaid one is cancelled and
    /// its held tickets given back; a completed one is refunded in full.
    async fn cancel_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The order's id.")] order_id: ID,
        #[graphql(desc = "Why, for the records and the buyer's e-mail.")] reason: Option<String>,
    ) -> Result<Order, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        let (who, _) = auth::require(ctx, &ns, Role::Admin)?;
        let reason = reason_of(reason)?;
        workers(deps, &uid, REFUND_DEADLINE, REFUND_DEADLINE)
            .cancel_order(&order_id, &reason)
            .await
            .map_err(checkout_error)?;
        let rec = find_order(deps, &uid, &order_id).await?.ok_or_else(|| {
            gql_error(
                error::NOT_FOUND,
                format!("no order {} at this event", order_id.0),
            )
        })?;
        let mine = super::orders::bought_by(&rec, &who.login);
        Order::from_record(&rec, Some(event), mine)
    }

    /// Refunds every completed order of a cancelled event in full (ADMIN
    /// and above); the Event's `spec.state` must be Cancelled first
    /// (ORDER_STATE otherwise). With `dryRun` it only reports what it
    /// would refund. Running it again is safe: each order is refunded
    /// once.
    async fn refund_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "Report only; change nothing.")] dry_run: bool,
    ) -> Result<EventRefundReport, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        auth::require(ctx, &ns, Role::Admin)?;
        let r = workers(deps, &uid, BULK_DEADLINE, BULK_DEADLINE)
            .refund_event(dry_run)
            .await
            .map_err(checkout_error)?;
        Ok(EventRefundReport {
            dry_run: r.dry_run,
            orders: r.orders,
            tickets: r.tickets,
            amount_minor: minor(&r.amount),
            fees_returned_minor: minor(&r.fees_returned),
            currency: currency(&r.amount),
            failed_orders: r.failed_orders.into_iter().map(ID).collect(),
        })
    }
}
