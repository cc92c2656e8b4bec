//! Orders: buyers place and read their own, the box office sells at the
//! door (complimentary or paid at the counter), promoters list an
//! organization's or an event's orders.
//!
//! Placing an order goes to the event's checkout workers
//! (`rpc.order.create`; they price it, take the holds and make the Stripe
//! PaymentIntent). Reading goes to MongoDB's `orders` collection, which
//! the workers write and the gateway only reads. Lists are Relay
//! connections sorted newest first by `(placedAtMs, _id)`: a key that is
//! unique and never changes, so a cursor (which encodes both) marks a fixed
//! place in the list, and orders placed while someone pages through it
//! never shift a page (no duplicates, no gaps).
//!
//! Who sees what: a buyer sees the orders of their login (its e-mail
//! address, or its phone number); BOX_OFFICE and above of the event's
//! organization see every order of it. Anyone else asking for an order is
//! told it does not exist.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Error, ID, Object};
use mongodb::bson::doc;
use sellout_client::CheckoutClient;
use sellout_common::names::Names;
use sellout_common::proto::v1::{Buyer, CreateOrderRequest, OrderHold};
use sellout_crds::Event;
use sellout_crds::organization::Role;
use sellout_store::orders::{self as store, OrderDoc, OrderFilter};

use super::Deps;
use super::paging::{self, decode_after, page_size};
use super::public::split_slug;
use crate::auth::{self, Login, Principal};
use crate::error::{self, checkout_error, gql_error, unavailable};

mod types;

pub use types::*;

/// Default page size of order lists.
pub const DEFAULT_PAGE: i32 = 20;
/// Most holds in one order.
const MAX_HOLDS: usize = 20;

/// Whether `login` is `order`'s buyer.
pub fn bought_by(order: &OrderDoc, login: &Login) -> bool {
    match login {
        Login::Email(e) => order.buyer_email.eq_ignore_ascii_case(e),
        Login::Phone(p) => !order.buyer_phone.is_empty() && order.buyer_phone == *p,
    }
}

// ---------------------------------------------------------------------
// Helpers shared by the order, refund and customer resolvers.
// ---------------------------------------------------------------------

/// The event named by `slug`, its namespace and its UID.
pub async fn event_of(deps: &Deps, slug: &str) -> Result<(String, Arc<Event>, String), Error> {
    let (ns, name) = split_slug(slug)?;
    let event = deps
        .catalog
        .event(ns, name)
        .await
        .map_err(|e| unavailable("the catalog", e))?
        .ok_or_else(|| gql_error(error::UNKNOWN_EVENT, format!("no event {slug}")))?;
    let uid = event.metadata.uid.clone().unwrap_or_default();
    Ok((ns.to_owned(), event, uid))
}

/// A client of the event's checkout workers that gives up after
/// `deadline`, sending a request again when an attempt had no answer
/// within `attempt` (every order verb is idempotent).
pub fn workers(deps: &Deps, uid: &str, deadline: Duration, attempt: Duration) -> CheckoutClient {
    let mut client = CheckoutClient::new(deps.nats.clone(), Names::for_uid(uid));
    client.deadline = deadline;
    client.attempt_timeout = attempt;
    client
}

/// The slugs of every event in the catalog, by UID.
pub fn slugs(deps: &Deps) -> HashMap<String, String> {
    deps.catalog
        .events()
        .iter()
        .filter_map(|e| {
            Some((
                e.metadata.uid.clone()?,
                format!(
                    "{}/{}",
                    e.metadata.namespace.as_deref()?,
                    e.metadata.name.as_deref()?
                ),
            ))
        })
        .collect()
}

/// The order `id` of event `uid`, if it exists.
pub async fn find_order(deps: &Deps, uid: &str, id: &str) -> Result<Option<OrderDoc>, Error> {
    store::find(&deps.mongo, Some(uid), id)
        .await
        .map_err(|e| unavailable("the order store", e))
}

fn not_found(id: &str) -> Error {
    gql_error(error::NOT_FOUND, format!("no order {id} of yours"))
}

/// One page of orders matching `filter`, newest first, after `after`.
async fn order_page(
    deps: &Deps,
    filter: OrderFilter,
    first: Option<i32>,
    after: Option<String>,
    viewer: Option<&Login>,
) -> Result<Connection<String, Order>, Error> {
    let size = page_size(first, DEFAULT_PAGE)?;
    let key = decode_after::<store::PageKey>(after.as_deref())?;
    let records = store::page(&deps.mongo, &filter, key.as_ref(), size + 1)
        .await
        .map_err(|e| match e {
            store::ReadError::Filter(f) => gql_error(error::BAD_REQUEST, f.0),
            store::ReadError::Mongo(e) => unavailable("the order store", e),
        })?;
    let more = records.len() as i64 > size;
    let slugs = slugs(deps);
    let mut conn = Connection::new(after.is_some(), more);
    for rec in records.iter().take(size as usize) {
        let cursor = paging::cursor(store::page_key(rec));
        let mine = viewer.is_some_and(|l| bought_by(rec, l));
        let order = Order::from_record(rec, slugs.get(&rec.event_uid).cloned(), mine)?;
        conn.edges.push(Edge::new(cursor, order));
    }
    Ok(conn)
}

/// The 0.1-degree cell of `geo` (rounded down), or what is wrong with it.
pub(crate) fn area_of(
    geo: &crate::schema::promoter::venues::GeoInput,
) -> Result<sellout_common::proto::v1::Area, &'static str> {
    let (lat, lon) = (geo.latitude, geo.longitude);
    if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
        return Err("buyer.area.latitude must be between -90 and 90");
    }
    if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
        return Err("buyer.area.longitude must be between -180 and 180");
    }
    // In range, so the casts cannot overflow.
    Ok(sellout_common::proto::v1::Area {
        lat_tenths: (lat * 10.0).floor() as i32,
        lon_tenths: (lon * 10.0).floor() as i32,
    })
}

fn buyer_for(login: &Login, input: BuyerInput) -> Result<Buyer, Error> {
    let bad = |m: &str| gql_error(error::BAD_REQUEST, m.to_owned());
    let area = input.area.as_ref().map(area_of).transpose().map_err(bad)?;
    let name = input.name.unwrap_or_default().trim().to_owned();
    if name.chars().count() > 200 {
        return Err(bad("buyer.name must be at most 200 characters"));
    }
    let email = input
        .email
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    if email
        .as_ref()
        .is_some_and(|e| e.len() > 254 || !e.contains('@'))
    {
        return Err(bad("buyer.email must be an e-mail address"));
    }
    let phone = input
        .phone
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|p| !p.is_empty());
    if phone.as_ref().is_some_and(|p| {
        !p.starts_with('+') || p.len() > 16 || !p[1..].bytes().all(|b| b.is_ascii_digit())
    }) {
        return Err(bad("buyer.phone must be in E.164 form, e.g. +447700900123"));
    }
    match login {
        Login::Email(mine) => {
            if email
                .as_ref()
                .is_some_and(|e| !e.eq_ignore_ascii_case(mine))
            {
                return Err(bad(
                    "buyer.email must be the address you logged in with: orders belong to the login (leave it out to use it)",
                ));
            }
            Ok(Buyer {
                email: mine.to_lowercase(),
                name,
                // Typed, not proven: kept for the promoter, never texted.
                phone: phone.unwrap_or_default(),
                phone_verified: false,
                area,
            })
        }
        Login::Phone(mine) => {
            if phone.as_ref().is_some_and(|p| p != mine) {
                return Err(bad(
                    "buyer.phone must be the number you logged in with: orders belong to the login (leave it out to use it)",
                ));
            }
            let email =
                email.ok_or_else(|| bad("buyer.email is needed: tickets are sent by e-mail"))?;
            Ok(Buyer {
                email,
                name,
                phone: mine.clone(),
                // Proven by the login code.
                phone_verified: true,
                area,
            })
        }
    }
}

/// Whether `id` looks like a Stripe PaymentMethod or Card id.
fn payment_method_id(id: &str) -> bool {
    (id.starts_with("pm_") || id.starts_with("card_"))
        && id.len() <= 255
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn holds_of(holds: Vec<OrderHoldInput>) -> Result<Vec<OrderHold>, Error> {
    if holds.is_empty() || holds.len() > MAX_HOLDS {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!("an order buys 1 to {MAX_HOLDS} holds"),
        ));
    }
    Ok(holds
        .into_iter()
        .map(|h| OrderHold {
            hold_id: h.hold_id.0,
            tier: h.tier,
            quantity: h.quantity,
            seats: h.seats,
        })
        .collect())
}

/// Places `req` with the event's workers and reads the order back.
async fn place(
    deps: &Deps,
    uid: &str,
    slug: &str,
    req: CreateOrderRequest,
    viewer_is_buyer: bool,
) -> Result<Order, Error> {
    let id = req.order_id.clone();
    let view = workers(deps, uid, Duration::from_secs(30), Duration::from_secs(15))
        .create_order(req)
        .await
        .map_err(checkout_error)?;
    let rec = find_order(deps, uid, &id).await?.ok_or_else(|| {
        gql_error(
            error::UNAVAILABLE,
            format!("order {id} was placed but cannot be read yet: ask for it again"),
        )
    })?;
    // The one who just placed it sees its tickets (the box office hands
    // them over).
    let mut order = Order::from_record_with_qr(&rec, Some(slug.to_owned()), viewer_is_buyer, true)?;
    order.requires_action = view.requires_action;
    Ok(order)
}

fn new_order_id(given: Option<ID>) -> String {
    given.map_or_else(|| uuid::Uuid::new_v4().to_string(), |i| i.0)
}

/// Staff (BOX_OFFICE and above) of `ns`, or the order's buyer.
fn may_see(ctx: &Context<'_>, who: &Principal, ns: &str, rec: &OrderDoc) -> bool {
    bought_by(rec, &who.login) || auth::require(ctx, ns, Role::BoxOffice).is_ok()
}

// ---------------------------------------------------------------------
// Resolvers.
// ---------------------------------------------------------------------

/// Order queries: a buyer's own orders, an order, and the promoters'
/// lists.
#[derive(Default)]
pub struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// An order of event `event` (`<namespace>/<name>`): the buyer's own,
    /// or any of the event's for BOX_OFFICE and above of its
    /// organization. NOT_FOUND for anyone else.
    async fn order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The order's id.")] id: ID,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        let rec = find_order(deps, &uid, &id)
            .await?
            .filter(|rec| may_see(ctx, &who, &ns, rec))
            .ok_or_else(|| not_found(&id))?;
        let mine = bought_by(&rec, &who.login);
        Order::from_record(&rec, Some(event), mine)
    }

    /// The caller's orders (by their login's e-mail address or phone
    /// number), newest first.
    async fn my_orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before.")] after: Option<String>,
    ) -> Result<Connection<String, Order>, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let buyer = match &who.login {
            Login::Email(e) => store::Buyer::Email(e.clone()),
            Login::Phone(p) => store::Buyer::Phone(p.clone()),
        };
        let filter = OrderFilter {
            buyer: Some(buyer),
            ..Default::default()
        };
        order_page(deps, filter, first, after, Some(&who.login)).await
    }

    /// Orders of an organization (`organization`: its namespace) or of one
    /// event (`event`: `<namespace>/<name>`), newest first; for
    /// BOX_OFFICE and above. Give exactly one of the two. Pages stay
    /// stable while orders come in: the cursor marks a fixed place.
    #[allow(clippy::too_many_arguments)]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: Option<String>,
        #[graphql(desc = "One event: `<namespace>/<name>`.")] event: Option<String>,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before.")] after: Option<String>,
        #[graphql(
            desc = "An order number, or the start of the buyer's e-mail address or of a word of their name (any case)."
        )]
        search: Option<String>,
        #[graphql(desc = "Only orders in these states.")] states: Option<Vec<OrderState>>,
        #[graphql(desc = "Only orders placed at or after this time (ms since the epoch).")]
        placed_from_ms: Option<i64>,
        #[graphql(desc = "Only orders placed before this time (ms since the epoch).")]
        placed_to_ms: Option<i64>,
    ) -> Result<Connection<String, Order>, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, uids) = match (organization, event) {
            (Some(ns), None) => {
                let uids = event_uids_in(deps, &ns);
                (ns, uids)
            }
            (None, Some(slug)) => {
                let (ns, _, uid) = event_of(deps, &slug).await?;
                (ns, vec![uid])
            }
            _ => {
                return Err(gql_error(
                    error::BAD_REQUEST,
                    "give either organization or event",
                ));
            }
        };
        let (who, _) = auth::require(ctx, &ns, Role::BoxOffice)?;
        let filter = OrderFilter {
            events: Some(uids),
            states: states.map(|s| s.into_iter().map(Into::into).collect()),
            placed_from_ms,
            placed_to_ms,
            search,
            ..Default::default()
        };
        order_page(deps, filter, first, after, Some(&who.login)).await
    }
}

/// The UIDs of the events of namespace `ns` (from the catalog).
pub fn event_uids_in(deps: &Deps, ns: &str) -> Vec<String> {
    deps.catalog
        .events()
        .iter()
        .filter(|e| e.metadata.namespace.as_deref() == Some(ns))
        .filter_map(|e| e.metadata.uid.clone())
        .collect()
}

/// Order mutations: buyers' orders and the box office's sales.
#[derive(Default)]
pub struct OrdersMutation;

#[Object]
impl OrdersMutation {
    /// Places an order for the caller's holds (from `hold`). Paid orders
    /// come back AWAITING_PAYMENT with a `clientSecret` for Stripe.js;
    /// free ones are completed at once. The order belongs to the caller's
    /// login: for an e-mail login its address is the buyer's e-mail; for
    /// a phone login `buyer.email` is needed. Retrying with the same
    /// `orderId` returns the same order and never charges twice.
    #[allow(clippy::too_many_arguments)] // one per GraphQL argument
    async fn create_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The holds to buy.")] holds: Vec<OrderHoldInput>,
        #[graphql(desc = "Who buys (defaults from the login).")] buyer: Option<BuyerInput>,
        #[graphql(desc = "A promo code for a discount or promo-code tiers.")] promo_code: Option<
            String,
        >,
        #[graphql(desc = "Idempotency key (a UUID); a new one when left out.")] order_id: Option<
            ID,
        >,
        #[graphql(
            desc = "The checkout the holds were placed in (startCheckout); without it, the login's own holds."
        )]
        checkout: Option<String>,
        #[graphql(
            desc = "A Stripe PaymentMethod (`pm_…`, or a card `card_…`) made by Stripe.js from the buyer's card: the order's payment is confirmed with it at once, on the server. Without it the order waits for the browser to confirm with `clientSecret`."
        )]
        payment_method: Option<String>,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        let payment_method = payment_method.unwrap_or_default();
        if !payment_method.is_empty() && !payment_method_id(&payment_method) {
            return Err(gql_error(
                error::BAD_REQUEST,
                "paymentMethod must be a Stripe PaymentMethod id (pm_…) or card id (card_…) from Stripe.js",
            ));
        }
        order_rate(ctx, &who.login.subject()).await?;
        let session = crate::auth::checkout::checkout_owner(ctx, checkout.as_deref())?;
        let deps = ctx.data::<Deps>()?;
        let buyer = buyer_for(&who.login, buyer.unwrap_or_default())?;
        let holds = holds_of(holds)?;
        let (_, _, uid) = event_of(deps, &event).await?;
        let req = CreateOrderRequest {
            order_id: new_order_id(order_id),
            holds,
            buyer: Some(buyer),
            promo_code: promo_code.unwrap_or_default(),
            session,
            payment_method,
            ..Default::default()
        };
        place(deps, &uid, &event, req, true).await
    }

    /// Pays the caller's unpaid order `orderId` with a card: its payment
    /// is confirmed on the server with `paymentMethod` (made by Stripe.js
    /// from the card the buyer typed). A declined card answers
    /// PAYMENT_DECLINED with the bank's message for the buyer and keeps
    /// the order and its holds for another card, up to 5 cards per
    /// order; then the order is cancelled and its tickets released. An
    /// order already paid answers as it is, charged nothing more.
    async fn pay_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The order's id.")] order_id: ID,
        #[graphql(desc = "A Stripe PaymentMethod (`pm_…`) or card (`card_…`) from Stripe.js.")]
        payment_method: String,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        if !payment_method_id(&payment_method) {
            return Err(gql_error(
                error::BAD_REQUEST,
                "paymentMethod must be a Stripe PaymentMethod id (pm_…) or card id (card_…) from Stripe.js",
            ));
        }
        sellout_client::valid_id("orderId", &order_id)
            .map_err(|e| gql_error(error::BAD_REQUEST, e.message))?;
        order_rate(ctx, &who.login.subject()).await?;
        let deps = ctx.data::<Deps>()?;
        let (_, _, uid) = event_of(deps, &event).await?;
        // Only the buyer pays: to anyone else the order does not exist.
        find_order(deps, &uid, &order_id)
            .await?
            .filter(|rec| bought_by(rec, &who.login))
            .ok_or_else(|| not_found(&order_id))?;
        let view = workers(deps, &uid, Duration::from_secs(30), Duration::from_secs(15))
            .pay_order(&order_id, &payment_method)
            .await
            .map_err(checkout_error)?;
        let rec = find_order(deps, &uid, &order_id)
            .await?
            .ok_or_else(|| not_found(&order_id))?;
        let mut order = Order::from_record_with_qr(&rec, Some(event), true, true)?;
        order.requires_action = view.requires_action;
        Ok(order)
    }

    /// A box-office sale (BOX_OFFICE and above): the holds sold to
    /// `buyer`, complimentary (COMP: free, completed at once) or paid at
    /// the counter (CASH). Retrying with the same `orderId` returns the
    /// same order.
    async fn create_box_office_order(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`<namespace>/<name>` of the event.")] event: String,
        #[graphql(desc = "The holds to sell.")] holds: Vec<OrderHoldInput>,
        #[graphql(desc = "Who the tickets are for (their e-mail gets them).")] buyer: BuyerInput,
        #[graphql(desc = "How it is paid.")] payment: BoxOfficePayment,
        #[graphql(desc = "Idempotency key (a UUID); a new one when left out.")] order_id: Option<
            ID,
        >,
    ) -> Result<Order, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, _, uid) = event_of(deps, &event).await?;
        auth::require(ctx, &ns, Role::BoxOffice)?;
        let holds = holds_of(holds)?;
        let email = buyer
            .email
            .as_deref()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty())
            .ok_or_else(|| {
                gql_error(
                    error::BAD_REQUEST,
                    "buyer.email is needed: tickets are sent by e-mail",
                )
            })?;
        if buyer.area.is_some() {
            // Where a buyer is is theirs to share at checkout, never
            // typed in for them at the counter.
            return Err(gql_error(
                error::BAD_REQUEST,
                "buyer.area is only given by buyers themselves at checkout: leave it out of a box-office sale",
            ));
        }
        let buyer = buyer_for(&Login::Email(email), buyer)?;
        let req = CreateOrderRequest {
            order_id: new_order_id(order_id),
            holds,
            buyer: Some(buyer),
            box_office: true,
            complimentary: payment == BoxOfficePayment::Comp,
            cash: payment == BoxOfficePayment::Cash,
            ..Default::default()
        };
        place(deps, &uid, &event, req, false).await
    }

    /// E-mails a completed order's tickets to its buyer again (the
    /// buyer, or BOX_OFFICE and above of the event's organization). At
    /// most one copy goes out per order every 10 minutes; asking again
    /// within that time sends nothing more.
    async fn resend_tickets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The order's id.")] order_id: ID,
    ) -> Result<Order, Error> {
        let who = auth::signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let rec = store::find(&deps.mongo, None, &order_id.0)
            .await
            .map_err(|e| unavailable("the order store", e))?;
        let slugs = slugs(deps);
        let Some((rec, slug)) = rec.and_then(|r| {
            let slug = slugs.get(&r.event_uid).cloned()?;
            Some((r, slug))
        }) else {
            return Err(not_found(&order_id));
        };
        let (ns, _) = split_slug(&slug)?;
        if !may_see(ctx, &who, ns, &rec) {
            return Err(not_found(&order_id));
        }
        workers(
            deps,
            &rec.event_uid,
            Duration::from_secs(15),
            Duration::from_secs(15),
        )
        .resend_tickets(&rec.id)
        .await
        .map_err(checkout_error)?;
        Order::from_record(&rec, Some(slug.clone()), bought_by(&rec, &who.login))
    }
}

/// Orders one login may place per minute (each makes a PaymentIntent at
/// Stripe): a person buys a few; a script testing stolen cards many.
pub const ORDERS_PER_MINUTE: u32 = 10;

/// Counts an order attempt of `login`; `RATE_LIMITED` past
/// [`ORDERS_PER_MINUTE`], counted across every gateway replica
/// ([`crate::rates`]).
async fn order_rate(ctx: &Context<'_>, login: &str) -> Result<(), Error> {
    use std::sync::LazyLock;
    static LIMIT: LazyLock<crate::rates::Limit> = LazyLock::new(|| {
        crate::rates::Limit::new("order", ORDERS_PER_MINUTE, Duration::from_secs(60))
    });
    LIMIT
        .admit(ctx, login, "orders from this login", "a minute")
        .await
}

#[cfg(test)]
mod tests;
