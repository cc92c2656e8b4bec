//! Subscriptions (over graphql-ws at `/graphql/ws`, or `/graphql` with a
//! websocket upgrade): live availability of an event's tiers, the state of
//! an order a buyer waits on, check-ins at the door. All are fed from NATS,
//! never by polling the database.

use async_graphql::{Context, Error, ID, SimpleObject, Subscription};
use futures::StreamExt;
use futures::stream::{self, BoxStream};
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{CheckedIn, OrderStateChanged, TierStock};
use sellout_crds::organization::Role;
use sellout_crds::tier::Visibility;
use sellout_store::orders::OrderDoc;

use super::Deps;
use super::public::split_slug;
use crate::auth;
use crate::catalog::Catalog;
use crate::error::{self, gql_error, unavailable};
use crate::live::{Live, Snapshot};

/// Live subscriptions.
#[derive(Default)]
pub struct LiveSubscription;

/// What is left of each public tier of an event, now.
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct LiveAvailability {
    /// The event's slug.
    pub event: String,
    /// The tiers on sale to everyone, by name.
    pub tiers: Vec<LiveTierAvailability>,
}

/// What is left of one tier.
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct LiveTierAvailability {
    /// The tier's name.
    pub name: String,
    /// Tickets left; null while unknown (the checkout workers have not
    /// told recently).
    pub available: Option<i64>,
}

/// The state of an order.
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct LiveOrderStatus {
    /// The order's id.
    pub order_id: ID,
    /// Short number shown to buyers, e.g. `SO-7K3F9Q`.
    pub number: String,
    /// AwaitingPayment, Paid, Completed, PaymentFailed, RefundNeeded,
    /// Refunded or Cancelled.
    pub state: String,
    /// Why the payment failed (PaymentFailed), for the buyer.
    pub payment_error: Option<String>,
}

/// A ticket admitted at the door, or an admission undone.
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct LiveCheckIn {
    /// The ticket's id.
    pub ticket_id: ID,
    /// Its tier's name.
    pub tier: String,
    /// The event day it was admitted for, from 1.
    pub day: i32,
    /// The gate or device that scanned it.
    pub gate: String,
    /// Who scanned it (door staff's login).
    pub staff: String,
    /// People admitted (1, or the seats at a table).
    pub admissions: i32,
    /// When (ms since the epoch; the scanner's clock for offline scans).
    pub at_ms: i64,
    /// True when staff undid an earlier admission.
    pub undone: bool,
    /// True when scanned offline and synced later.
    pub offline: bool,
}

/// The event `slug` (namespace, name, UID), or UNKNOWN_EVENT.
async fn event_of(deps: &Deps, slug: &str) -> Result<(String, String, String), Error> {
    let (ns, name) = split_slug(slug)?;
    let event = deps
        .catalog
        .event(ns, name)
        .await
        .map_err(|e| unavailable("the catalog", e))?
        .ok_or_else(|| gql_error(error::UNKNOWN_EVENT, format!("no event {slug}")))?;
    Ok((
        ns.to_owned(),
        name.to_owned(),
        event.metadata.uid.clone().unwrap_or_default(),
    ))
}

/// The public tiers of an event with what the snapshot says of them.
fn public_view(
    catalog: &Catalog,
    slug: &str,
    ns: &str,
    name: &str,
    live: Option<&[TierStock]>,
) -> LiveAvailability {
    LiveAvailability {
        event: slug.to_owned(),
        tiers: catalog
            .tiers_of(ns, name)
            .iter()
            .filter(|t| t.spec.visibility == Visibility::Public)
            .map(|t| {
                let tier = t.metadata.name.clone().unwrap_or_default();
                let available = live
                    .and_then(|l| l.iter().find(|s| s.tier == tier))
                    .map(|s| s.available);
                LiveTierAvailability {
                    name: tier,
                    available,
                }
            })
            .collect(),
    }
}

fn status_of(order: &OrderDoc) -> LiveOrderStatus {
    LiveOrderStatus {
        order_id: ID(order.id.clone()),
        number: order.number.clone(),
        state: order.state.as_str().into(),
        payment_error: order.payment_error.clone().filter(|e| !e.is_empty()),
    }
}

#[Subscription]
impl LiveSubscription {
    /// What is left of each public tier of event `event` (slug
    /// `<organization namespace>/<event name>`): the current figures at
    /// once, then every change (at most ten a second). A tier's
    /// `available` is null while the checkout workers have not told
    /// recently. No login needed.
    async fn availability(
        &self,
        ctx: &Context<'_>,
        event: String,
    ) -> Result<BoxStream<'static, LiveAvailability>, Error> {
        let deps = ctx.data::<Deps>()?;
        let live = ctx.data::<Live>()?;
        let (ns, name, uid) = event_of(deps, &event).await?;
        let catalog = deps.catalog.clone();
        let mut watch = live.watch(&uid);
        // The first figures: wait for the workers' first answer (bounded by
        // the seed timeout) rather than start with nulls.
        let _ = tokio::time::timeout(
            live.config().seed_timeout,
            watch.rx.wait_for(|s: &Snapshot| !s.pending),
        )
        .await;
        let view = move |watch: &mut crate::live::Watch| {
            let snapshot = watch.rx.borrow_and_update().fresh(watch.stale_after);
            public_view(
                &catalog,
                &event,
                &ns,
                &name,
                snapshot.as_deref().map(|v| &v[..]),
            )
        };
        let first = view(&mut watch);
        let rest = stream::unfold((watch, first.clone()), move |(mut watch, mut last)| {
            let view = view.clone();
            async move {
                loop {
                    watch.rx.changed().await.ok()?;
                    let now = view(&mut watch);
                    if now != last {
                        last = now.clone();
                        return Some((now, (watch, last)));
                    }
                }
            }
        });
        Ok(stream::once(async move { first }).chain(rest).boxed())
    }

    /// The state of order `orderId` of event `event`: now, then at every
    /// change (e.g. AwaitingPayment → Completed once Stripe confirms the
    /// payment). For the order's buyer (the login the order was placed
    /// with) and the organization's BOX_OFFICE and above. Ends with
    /// TOKEN_EXPIRED or BAD_TOKEN when the socket's session does (token
    /// expired, logged out).
    async fn order_status(
        &self,
        ctx: &Context<'_>,
        event: String,
        order_id: ID,
    ) -> Result<BoxStream<'static, Result<LiveOrderStatus, Error>>, Error> {
        let who = auth::signed_in(ctx)?;
        sellout_client::valid_id("orderId", &order_id)
            .map_err(|e| gql_error(error::BAD_REQUEST, e.message))?;
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        let names = Names::for_uid(&uid);
        // Subscribed before reading, so no change falls in between.
        let sub = deps
            .nats
            .subscribe(names.live_order(&order_id))
            .await
            .map_err(|e| unavailable("NATS", e))?;
        let order = sellout_store::orders::find(&deps.mongo, Some(&uid), order_id.as_str())
            .await
            .map_err(|e| unavailable("the order database", e))?
            .ok_or_else(|| {
                gql_error(
                    error::NOT_FOUND,
                    format!("no order {} at event {event}", order_id.as_str()),
                )
            })?;
        if !super::orders::bought_by(&order, &who.login) {
            auth::require(ctx, &ns, Role::BoxOffice)?;
        }
        let first = status_of(&order);
        let rest = stream::unfold(
            (sub, first.state.clone()),
            |(mut sub, mut last)| async move {
                loop {
                    let m = sub.next().await?;
                    let Ok(changed) = OrderStateChanged::decode(m.payload.as_ref()) else {
                        tracing::warn!("undecodable order state change");
                        continue;
                    };
                    if changed.state == last {
                        continue;
                    }
                    last = changed.state.clone();
                    let status = LiveOrderStatus {
                        order_id: ID(changed.order_id),
                        number: changed.order_number,
                        state: changed.state,
                        payment_error: Some(changed.payment_error).filter(|e| !e.is_empty()),
                    };
                    return Some((status, (sub, last)));
                }
            },
        );
        Ok(auth::while_signed_in(
            ctx,
            stream::once(async move { first }).chain(rest).boxed(),
        ))
    }

    /// Tickets admitted at the door of event `event` from now on (and
    /// admissions undone), as the scanners report them. For the
    /// organization's SCANNER and above. Ends with TOKEN_EXPIRED or
    /// BAD_TOKEN when the socket's session does.
    async fn check_ins(
        &self,
        ctx: &Context<'_>,
        event: String,
    ) -> Result<BoxStream<'static, Result<LiveCheckIn, Error>>, Error> {
        let (ns, _) = split_slug(&event)?;
        auth::require(ctx, ns, Role::Scanner)?;
        let deps = ctx.data::<Deps>()?;
        let (_, _, uid) = event_of(deps, &event).await?;
        let names = Names::for_uid(&uid);
        let js = async_nats::jetstream::new(deps.nats.clone());
        let stream = js
            .get_stream(&names.stream)
            .await
            .map_err(|e| unavailable("the event's stream", e))?;
        // Ephemeral and ordered: removed by the server once this
        // subscription ends.
        let consumer = stream
            .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
                filter_subject: names.checkins(),
                deliver_policy: async_nats::jetstream::consumer::DeliverPolicy::New,
                ..Default::default()
            })
            .await
            .map_err(|e| unavailable("the event's stream", e))?;
        let messages = consumer
            .messages()
            .await
            .map_err(|e| unavailable("the event's stream", e))?;
        let checkins = messages
            .filter_map(|m| async move {
                let m = match m {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::warn!(error = %e, "check-in feed interrupted");
                        return None;
                    }
                };
                match CheckedIn::decode(m.payload.as_ref()) {
                    Ok(c) => Some(LiveCheckIn {
                        ticket_id: ID(c.ticket_id),
                        tier: c.tier,
                        day: c.day,
                        gate: c.gate,
                        staff: c.staff,
                        admissions: c.admissions,
                        at_ms: c.at_ms,
                        undone: c.undone,
                        offline: c.offline,
                    }),
                    Err(e) => {
                        tracing::warn!(error = %e, "undecodable check-in");
                        None
                    }
                }
            })
            .boxed();
        Ok(auth::while_signed_in(ctx, checkins))
    }
}
