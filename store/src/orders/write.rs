//! The order service's writes: every change of an order or a hold claim.

use futures::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use mongodb::{Collection, Database};

use super::*;

/// Fields set with a state change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Why the payment failed (or why the order needs a refund).
    pub payment_error: Option<String>,
    /// The PaymentIntent that paid it.
    pub payment_intent: Option<String>,
}

/// The writes of the order service, the one writer of orders and hold
/// claims. Every change is one single-document update conditioned on what
/// the caller read, so two workers racing on one order move it once.
#[derive(Clone, Debug)]
pub struct OrderStore {
    orders: Collection<OrderDoc>,
    claims: Collection<Document>,
}

impl OrderStore {
    /// The order store in `db`.
    pub fn new(db: &Database) -> Self {
        OrderStore {
            orders: collection(db),
            claims: claims(db),
        }
    }

    /// The order `id` of event `event_uid`.
    pub async fn find(
        &self,
        event_uid: &str,
        id: &str,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        self.orders.find_one(by_id(Some(event_uid), id)).await
    }

    /// The order of event `event_uid` paid by PaymentIntent
    /// `payment_intent` or legacy Charge `charge`.
    pub async fn by_payment(
        &self,
        event_uid: &str,
        payment_intent: Option<&str>,
        charge: Option<&str>,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        match super::payment_filter(Some(event_uid), payment_intent, charge) {
            Some(filter) => self.orders.find_one(filter).await,
            None => Ok(None),
        }
    }

    /// Records dispute `dispute_id` of order `id` as `dispute` (its
    /// latest status wins).
    pub async fn record_dispute(
        &self,
        id: &str,
        dispute_id: &str,
        dispute: &DisputeDoc,
    ) -> mongodb::error::Result<()> {
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {"$set": {format!("disputes.{dispute_id}"): mongodb::bson::to_bson(dispute)?}},
            )
            .await
            .map(|_| ())
    }

    /// Stores a new order; `false` when an order with its id exists.
    pub async fn insert(&self, order: &OrderDoc) -> mongodb::error::Result<bool> {
        match self.orders.insert_one(order).await {
            Ok(_) => Ok(true),
            Err(e) if crate::is_duplicate(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Claims hold `hold_id` for order `order_id`: `true` when it is that
    /// order's (claimed now or before), `false` when another order has it.
    pub async fn claim_hold(&self, hold_id: &str, order_id: &str) -> mongodb::error::Result<bool> {
        match self
            .claims
            .insert_one(doc! {"_id": hold_id, "order": order_id})
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if crate::is_duplicate(&e) => {
                let owner = self
                    .claims
                    .find_one(doc! {"_id": hold_id})
                    .await?
                    .and_then(|d| d.get_str("order").ok().map(str::to_owned));
                Ok(owner.as_deref() == Some(order_id))
            }
            Err(e) => Err(e),
        }
    }

    /// Moves order `id` from one of `from` to `to`, setting `changes`;
    /// the order after, or `None` when it was in none of `from`.
    pub async fn transition(
        &self,
        id: &str,
        from: &[OrderState],
        to: OrderState,
        changes: Changes,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        let mut set = doc! {"state": to};
        if let Some(e) = changes.payment_error {
            set.insert("paymentError", e);
        }
        if let Some(pi) = changes.payment_intent {
            set.insert("paymentIntent", pi);
        }
        self.orders
            .find_one_and_update(doc! {"_id": id, "state": {"$in": from}}, doc! {"$set": set})
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Counts a payment attempt of unpaid order `id`, unless it has had
    /// `max` already; the order after, or `None` when it is not unpaid or
    /// has none left.
    pub async fn count_payment_attempt(
        &self,
        id: &str,
        max: u32,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        self.orders
            .find_one_and_update(
                doc! {
                    "_id": id,
                    "state": OrderState::AwaitingPayment,
                    "$or": [{"paymentAttempts": {"$exists": false}}, {"paymentAttempts": {"$lt": max}}],
                },
                doc! {"$inc": {"paymentAttempts": 1}},
            )
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Records the PaymentIntent made for order `id` (once: a second one
    /// is never recorded over the first); the order after, or `None` when
    /// it already had one.
    pub async fn record_payment_intent(
        &self,
        id: &str,
        payment_intent: &str,
        client_secret: Option<String>,
        account: &str,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        self.orders
            .find_one_and_update(
                doc! {"_id": id, "paymentIntent": null},
                doc! {"$set": {"paymentIntent": payment_intent, "clientSecret": client_secret, "account": account}},
            )
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Notes that Stripe event `event_id` was applied to order `id`.
    pub async fn record_webhook_event(
        &self,
        id: &str,
        event_id: &str,
    ) -> mongodb::error::Result<()> {
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {"$addToSet": {"webhookEvents": event_id}},
            )
            .await
            .map(|_| ())
    }

    /// Stores the tickets of Paid order `id` if it has none yet (tickets
    /// once issued are kept).
    pub async fn issue_tickets(
        &self,
        id: &str,
        tickets: &[TicketDoc],
    ) -> mongodb::error::Result<()> {
        let tickets = mongodb::bson::to_bson(tickets)?;
        self.orders
            .update_one(
                doc! {"_id": id, "state": OrderState::Paid, "tickets": {"$size": 0}},
                doc! {"$set": {"tickets": tickets}},
            )
            .await
            .map(|_| ())
    }

    /// Reserves `refund`'s tickets of Completed `order` under `refund_id`,
    /// as priced against `order` as read: refused (`None`) when the refund
    /// id exists, a ticket is already refunded, or another refund came in
    /// since `order` was read (its count differs; the last refund returns
    /// the fees).
    pub async fn reserve_refund(
        &self,
        order: &OrderDoc,
        refund_id: &str,
        refund: &RefundDoc,
    ) -> mongodb::error::Result<Option<OrderDoc>> {
        let key = refund_key(refund_id);
        // A document written before the count existed has none.
        let count = match order.refunded_tickets.len() {
            0 => Bson::Document(doc! {"$in": [0_i64, Bson::Null]}),
            n => Bson::Int64(n as i64),
        };
        self.orders
            .find_one_and_update(
                doc! {
                    "_id": &order.id,
                    "state": OrderState::Completed,
                    &key: {"$exists": false},
                    "refundedTickets": {"$nin": &refund.tickets},
                    "refundedCount": count,
                },
                doc! {
                    "$set": {&key: mongodb::bson::to_bson(refund)?},
                    "$push": {"refundedTickets": {"$each": &refund.tickets}, "pendingRefunds": refund_id},
                    "$inc": {"refundedCount": refund.tickets.len() as i64},
                },
            )
            .return_document(mongodb::options::ReturnDocument::After)
            .await
    }

    /// Records Stripe's refund `stripe_refund` of refund `refund_id`.
    pub async fn refund_sent(
        &self,
        id: &str,
        refund_id: &str,
        stripe_refund: &str,
    ) -> mongodb::error::Result<()> {
        let key = refund_key(refund_id);
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {"$set": {format!("{key}.stripeRefund"): stripe_refund}},
            )
            .await
            .map(|_| ())
    }

    /// Marks Pending refund `refund_id` Failed with `error` and frees its
    /// `tickets` to be refunded again (the count of refunded tickets goes
    /// down with them, so the next refund's reservation matches). Once:
    /// a refund already Failed or Done is left as it is.
    pub async fn refund_failed(
        &self,
        id: &str,
        refund_id: &str,
        error: &str,
        tickets: &[String],
    ) -> mongodb::error::Result<()> {
        let key = refund_key(refund_id);
        self.orders
            .update_one(
                doc! {"_id": id, format!("{key}.state"): RefundState::Pending},
                doc! {
                    "$set": {format!("{key}.state"): RefundState::Failed, format!("{key}.error"): error},
                    "$pullAll": {"refundedTickets": tickets},
                    "$pull": {"pendingRefunds": refund_id},
                    "$inc": {"refundedCount": -(tickets.len() as i64)},
                },
            )
            .await
            .map(|_| ())
    }

    /// Marks refund `refund_id` Done.
    pub async fn refund_done(&self, id: &str, refund_id: &str) -> mongodb::error::Result<()> {
        let key = refund_key(refund_id);
        self.orders
            .update_one(
                doc! {"_id": id},
                doc! {
                    "$set": {format!("{key}.state"): RefundState::Done},
                    "$pull": {"pendingRefunds": refund_id},
                },
            )
            .await
            .map(|_| ())
    }

    /// Orders of event `event_uid` with a refund not carried out yet (a
    /// crash in the middle): read by the ids kept in `pendingRefunds`, so
    /// the resume loop does not load every completed order.
    pub async fn with_pending_refunds(
        &self,
        event_uid: &str,
    ) -> mongodb::error::Result<Vec<OrderDoc>> {
        self.orders
            .find(doc! {"eventUid": event_uid, "pendingRefunds.0": {"$exists": true}})
            .await?
            .try_collect()
            .await
    }

    /// Orders of event `event_uid` awaiting payment placed before
    /// `before_ms` (with or without a PaymentIntent): those whose holds
    /// have run out.
    pub async fn unpaid_since(
        &self,
        event_uid: &str,
        before_ms: i64,
    ) -> mongodb::error::Result<Vec<OrderDoc>> {
        self.orders
            .find(doc! {
                "eventUid": event_uid,
                "state": {"$in": [OrderState::AwaitingPayment, OrderState::PaymentFailed]},
                "placedAtMs": {"$lt": before_ms},
            })
            .await?
            .try_collect()
            .await
    }

    /// Orders of event `event_uid` in one of `states`.
    pub async fn of_event(
        &self,
        event_uid: &str,
        states: &[OrderState],
    ) -> mongodb::error::Result<Vec<OrderDoc>> {
        self.orders
            .find(doc! {"eventUid": event_uid, "state": {"$in": states}})
            .await?
            .try_collect()
            .await
    }

    /// Orders of event `event_uid` awaiting payment with a PaymentIntent,
    /// placed before `before_ms`: those whose webhook may have been lost.
    pub async fn unpaid(
        &self,
        event_uid: &str,
        before_ms: i64,
    ) -> mongodb::error::Result<Vec<OrderDoc>> {
        self.orders
            .find(doc! {
                "eventUid": event_uid,
                "state": OrderState::AwaitingPayment,
                "paymentIntent": {"$ne": null},
                "placedAtMs": {"$lt": before_ms},
            })
            .await?
            .try_collect()
            .await
    }
}

/// The path of refund `refund_id` in its order (refund ids are checked
/// ids: no dots).
fn refund_key(refund_id: &str) -> String {
    format!("refunds.{refund_id}")
}

/// The hold claims collection (`_id`: hold id, `order`: the order id).
fn claims(db: &Database) -> Collection<Document> {
    db.collection(CLAIMS)
}
