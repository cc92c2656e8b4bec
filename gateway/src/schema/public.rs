//! The public part of the schema: the event page, quotes, holds.

use std::time::Duration;

use async_graphql::{Context, Error, ID, InputObject, Object, SimpleObject};
use sellout_client::CheckoutClient;
use sellout_common::names::Names;
use sellout_common::proto::v1::{HoldRequest, OrderHold, QuoteRequest};

use super::Deps;
use crate::auth::checkout::checkout_owner;
use crate::error::{self, checkout_error, gql_error, unavailable};

/// `<namespace>/<name>` of an event.
pub fn split_slug(slug: &str) -> Result<(&str, &str), Error> {
    slug.split_once('/')
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty() && !name.contains('/'))
        .ok_or_else(|| {
            gql_error(
                error::BAD_SLUG,
                format!("event slug {slug:?} must be <organization namespace>/<event name>"),
            )
        })
}

/// Public queries: no login needed.
#[derive(Default)]
pub struct PublicQuery;

#[Object]
impl PublicQuery {
    /// What an order of these tickets would cost now: the same pricing as
    /// the order itself (discount from `promoCode`, fees, taxes, service
    /// fee). Nothing is held.
    async fn quote(
        &self,
        ctx: &Context<'_>,
        event: String,
        lines: Vec<QuoteLine>,
        promo_code: Option<String>,
    ) -> Result<QuoteView, Error> {
        if promo_code.as_deref().is_some_and(|c| !c.is_empty()) {
            promo_rate(ctx).await?;
        }
        let mut client = client_for(ctx, &event).await?;
        client.deadline = Duration::from_secs(5);
        let req = QuoteRequest {
            lines: lines
                .into_iter()
                .map(|l| OrderHold {
                    tier: l.tier,
                    quantity: l.quantity,
                    ..Default::default()
                })
                .collect(),
            promo_code: promo_code.unwrap_or_default(),
            ..Default::default()
        };
        let q = client.quote(req).await.map_err(checkout_error)?;
        let currency = q
            .total
            .as_ref()
            .map(|m| m.currency.clone())
            .unwrap_or_default();
        let minor =
            |m: &Option<sellout_common::proto::v1::Money>| m.as_ref().map_or(0, |m| m.amount_minor);
        Ok(QuoteView {
            lines: q
                .lines
                .iter()
                .map(|l| QuoteLineView {
                    tier: l.tier.clone(),
                    description: l.description.clone(),
                    quantity: l.quantity,
                    unit_price_minor: minor(&l.unit_price),
                    amount_minor: minor(&l.amount),
                })
                .collect(),
            charges: q
                .charges
                .iter()
                .map(|c| ChargeView {
                    label: c.label.clone(),
                    amount_minor: minor(&c.amount),
                })
                .collect(),
            total_minor: minor(&q.total),
            currency,
        })
    }

    /// What the purchase portal needs to take card payments (Stripe.js's
    /// address and the platform's publishable key; null: no card
    /// payments here) and the address the portal is served at.
    async fn portal_config(&self, ctx: &Context<'_>) -> Result<PortalConfig, Error> {
        let deps = ctx.data::<Deps>()?;
        let js = &deps.stripe_js;
        Ok(PortalConfig {
            stripe_publishable_key: js.publishable_key.clone(),
            stripe_js_url: js.url.clone(),
            public_url: deps.public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The public page of an event: its title, dates, tiers and what is
    /// left of each. `slug` is `<organization namespace>/<event name>`.
    async fn event(&self, ctx: &Context<'_>, slug: String) -> Result<Option<EventPage>, Error> {
        let deps = ctx.data::<Deps>()?;
        let (ns, name) = split_slug(&slug)?;
        let Some(event) = deps
            .catalog
            .event(ns, name)
            .await
            .map_err(|e| unavailable("the catalog", e))?
        else {
            return Ok(None);
        };
        // A draft is not public yet: only the organization's members see
        // its page (to preview it); to everyone else it does not exist.
        if event.spec.state == sellout_crds::event::EventState::Draft && !member_of(ctx, ns) {
            return Ok(None);
        }
        let tiers = deps.catalog.tiers_of(ns, name);
        let venue = deps
            .catalog
            .venue(ns, &event.spec.venue_ref.name)
            .map(|v| VenueView {
                name: v.metadata.name.clone().unwrap_or_default(),
                display_name: v.spec.display_name.clone(),
                city: v.spec.address.city.clone(),
                country: v.spec.address.country.clone(),
                capacity: v.spec.capacity,
            });
        let uid = event.metadata.uid.clone().unwrap_or_default();
        // Live counts come from memory (the live cache, fed by the
        // checkout writer) and are a bonus: without an answering worker
        // they are left out, the page still shows.
        let (live, version) = ctx
            .data::<crate::live::Live>()?
            .availability_versioned(&uid)
            .await;
        if let Some(deps) = ctx.data_opt::<std::sync::Arc<crate::page_cache::PageDeps>>() {
            deps.live(&uid, version);
        }
        let venue_spec = deps.catalog.venue(ns, &event.spec.venue_ref.name);
        let now = jiff::Timestamp::now();
        let off_sale = event
            .spec
            .off_sale_at
            .as_ref()
            .map(|t| t.0)
            .or_else(|| event.spec.days.iter().map(|d| d.ends_at.0).max());
        let page_deps = ctx.data_opt::<std::sync::Arc<crate::page_cache::PageDeps>>();
        let tiers = tiers
            .iter()
            .filter(|t| t.spec.visibility == sellout_crds::tier::Visibility::Public)
            .map(|t| {
                let tier = t.metadata.name.clone().unwrap_or_default();
                let available = live
                    .as_ref()
                    .and_then(|l| l.iter().find(|s| s.tier == tier))
                    .map(|s| s.available);
                let window = t.spec.sales_window.as_ref();
                let start = window
                    .and_then(|w| w.starts_at.as_ref())
                    .map_or(event.spec.on_sale_at.0, |s| s.0);
                let end = window
                    .and_then(|w| w.ends_at.as_ref())
                    .map(|e| e.0)
                    .or(off_sale);
                // The page's content changes by the clock at these moments.
                if let Some(d) = page_deps {
                    for m in [Some(start), end]
                        .into_iter()
                        .flatten()
                        .filter(|m| *m > now)
                    {
                        d.until(m.as_millisecond());
                    }
                }
                let sales_state = if event.spec.state == sellout_crds::event::EventState::Cancelled
                    || end.is_some_and(|e| now >= e)
                {
                    SalesState::SalesEnded
                } else if now < start {
                    SalesState::NotYetOnSale
                } else if available == Some(0) {
                    SalesState::SoldOut
                } else {
                    SalesState::OnSale
                };
                let section = t.spec.section.as_ref().and_then(|name| {
                    venue_spec
                        .as_ref()?
                        .spec
                        .sections
                        .iter()
                        .find(|s| &s.name == name)
                        .cloned()
                });
                let seating = match section {
                    Some(s) if s.seated.is_some() => Seating::Seated,
                    Some(s) if s.tables.is_some() => Seating::Table,
                    _ => Seating::GeneralAdmission,
                };
                TierView {
                    name: tier,
                    display_name: t.spec.display_name.clone(),
                    price_minor: t.spec.price.amount_minor,
                    currency: t.spec.price.currency.clone(),
                    per_order_max: t.spec.per_order.max,
                    available,
                    kind: match t.spec.kind {
                        sellout_crds::tier::TierKind::Admission => TierKindView::Admission,
                        sellout_crds::tier::TierKind::AddOn => TierKindView::AddOn,
                    },
                    seating,
                    table_seats: t.spec.table.as_ref().map(|t| t.seats),
                    sales_state,
                    sales_start_at: start.to_string(),
                    sales_end_at: end.map(|e| e.to_string()),
                }
            })
            .collect();
        let zone = venue_spec
            .as_ref()
            .and_then(|v| jiff::tz::TimeZone::get(&v.spec.timezone).ok());
        // RFC 3339 with the venue's offset that day, e.g.
        // 2027-07-10T19:00:00+01:00.
        let local = |t: jiff::Timestamp| {
            zone.as_ref().map(|z| {
                t.to_zoned(z.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            })
        };
        let days = event
            .spec
            .days
            .iter()
            .enumerate()
            .map(|(i, d)| EventPageDay {
                day: i32::try_from(i + 1).unwrap_or(i32::MAX),
                doors_at: d.doors_at.0.to_string(),
                starts_at: d.starts_at.0.to_string(),
                ends_at: d.ends_at.0.to_string(),
                doors_at_local: local(d.doors_at.0),
                starts_at_local: local(d.starts_at.0),
                ends_at_local: local(d.ends_at.0),
            })
            .collect();
        let analytics = deps
            .catalog
            .organizations_in(ns)
            .first()
            .and_then(|o| o.spec.analytics.clone())
            .map(|a| AnalyticsView {
                google_analytics_id: a.google_analytics_id,
                segment_write_key: a.segment_write_key,
            });
        Ok(Some(EventPage {
            id: ID(uid),
            analytics,
            slug,
            title: event.spec.title.clone(),
            currency: event.spec.currency.clone(),
            description: event.spec.description.clone().filter(|d| !d.is_empty()),
            on_sale_at: event.spec.on_sale_at.0.to_string(),
            off_sale_at: off_sale.map(|t| t.to_string()),
            timezone: venue_spec.as_ref().map(|v| v.spec.timezone.clone()),
            days,
            state: format!("{:?}", event.spec.state),
            venue,
            tiers,
        }))
    }
}

/// What the purchase portal is configured with.
#[derive(SimpleObject)]
pub struct PortalConfig {
    /// The platform's Stripe publishable key; null when card payments are
    /// not set up.
    pub stripe_publishable_key: Option<String>,
    /// Where to load Stripe.js from.
    pub stripe_js_url: String,
    /// The address buyers reach the portal, the events feed and ticket
    /// links at (the gateway's `--public-url`), without a trailing slash.
    pub public_url: String,
}

/// Tickets to price: a tier and how many.
#[derive(InputObject)]
pub struct QuoteLine {
    /// The tier's name.
    pub tier: String,
    /// How many (tables, for a table tier).
    pub quantity: i64,
}

/// A line of a price quote.
#[derive(SimpleObject)]
pub struct QuoteLineView {
    /// The tier's name.
    pub tier: String,
    /// What buyers see.
    pub description: String,
    /// How many.
    pub quantity: i64,
    /// Price of one, minor units.
    pub unit_price_minor: i64,
    /// Price of all, minor units.
    pub amount_minor: i64,
}

/// A discount (negative), fee or tax of a quote.
#[derive(SimpleObject)]
pub struct ChargeView {
    /// What buyers see, e.g. "Service fee".
    pub label: String,
    /// Minor units.
    pub amount_minor: i64,
}

/// What an order of some tickets would cost now.
#[derive(SimpleObject)]
pub struct QuoteView {
    /// The tickets.
    pub lines: Vec<QuoteLineView>,
    /// Discounts, fees and taxes, in order.
    pub charges: Vec<ChargeView>,
    /// What the buyer pays, minor units of `currency`.
    pub total_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
}

/// An event as buyers see it.
#[derive(SimpleObject)]
pub struct EventPage {
    /// The event's id (its Kubernetes UID).
    pub id: ID,
    /// `<organization namespace>/<event name>`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// ISO 4217 currency of every price.
    pub currency: String,
    /// What buyers read about it (plain text or Markdown); null when none.
    pub description: Option<String>,
    /// When sales open (RFC 3339).
    pub on_sale_at: String,
    /// When sales stop (RFC 3339): `offSaleAt`, or the end of the last day.
    pub off_sale_at: Option<String>,
    /// The venue's IANA timezone (e.g. `Europe/London`), in which the
    /// `…Local` times are given; null when the Venue does not exist.
    pub timezone: Option<String>,
    /// Its days, in order.
    pub days: Vec<EventPageDay>,
    /// Draft, Published or Cancelled.
    pub state: String,
    /// Where it takes place (null when the Venue does not exist).
    pub venue: Option<VenueView>,
    /// The tiers on sale to everyone (hidden and promo-code tiers are not
    /// listed).
    pub tiers: Vec<TierView>,
    /// The organization's analytics tags for the portal, which loads them
    /// only after the buyer consents; null when it has none.
    pub analytics: Option<AnalyticsView>,
}

/// An organization's analytics tags (public identifiers).
#[derive(SimpleObject)]
pub struct AnalyticsView {
    /// Google Analytics 4 measurement id (`G-…`).
    pub google_analytics_id: Option<String>,
    /// Segment write key.
    pub segment_write_key: Option<String>,
}

/// The venue on the event page.
#[derive(SimpleObject)]
pub struct VenueView {
    /// The Venue's name.
    pub name: String,
    /// What buyers see.
    pub display_name: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Most people admitted at once.
    pub capacity: i64,
}

/// A ticket tier on the event page.
#[derive(SimpleObject)]
pub struct TierView {
    /// The tier's name (used to hold it).
    pub name: String,
    /// What buyers see.
    pub display_name: String,
    /// Price of one ticket in minor units of `currency`.
    pub price_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Most tickets in one order.
    pub per_order_max: i32,
    /// Tickets left right now; null when the checkout workers did not
    /// answer in time.
    pub available: Option<i64>,
    /// An admission ticket, or an add-on (parking, merchandise).
    pub kind: TierKindView,
    /// General admission (any place in its area), specific seats, or
    /// whole tables (see `seatMap`).
    pub seating: Seating,
    /// People one unit admits: 1, or the seats of a table.
    pub table_seats: Option<i32>,
    /// Whether it can be bought now.
    pub sales_state: SalesState,
    /// When its sales open (RFC 3339).
    pub sales_start_at: String,
    /// When its sales close (RFC 3339); null when open-ended.
    pub sales_end_at: Option<String>,
}

/// One day of an event, in UTC and in the venue's timezone.
#[derive(SimpleObject)]
pub struct EventPageDay {
    /// 1 for the first day.
    pub day: i32,
    /// Doors open (RFC 3339, UTC).
    pub doors_at: String,
    /// The show starts (RFC 3339, UTC).
    pub starts_at: String,
    /// It ends (RFC 3339, UTC).
    pub ends_at: String,
    /// Doors open, in the venue's timezone (RFC 3339 with its offset).
    pub doors_at_local: Option<String>,
    /// The show starts, in the venue's timezone.
    pub starts_at_local: Option<String>,
    /// It ends, in the venue's timezone.
    pub ends_at_local: Option<String>,
}

/// What a tier is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum TierKindView {
    /// Gets people in.
    Admission,
    /// Goes with an admission (parking, merchandise).
    AddOn,
}

/// How a tier's places are sold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum Seating {
    /// Any place in its area: hold a quantity.
    GeneralAdmission,
    /// Specific seats: pick them on the seat map.
    Seated,
    /// Whole tables: pick them on the seat map.
    Table,
}

/// Whether a tier can be bought now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum SalesState {
    /// On sale.
    OnSale,
    /// Its sales have not opened yet (`salesStartAt`).
    NotYetOnSale,
    /// Its sales have closed, or the event is cancelled.
    SalesEnded,
    /// None left.
    SoldOut,
}

/// A hold on tickets.
#[derive(SimpleObject)]
pub struct HoldView {
    /// The hold's id (the idempotency key given, or a new UUID).
    pub id: ID,
    /// The tier.
    pub tier: String,
    /// Tickets held.
    pub quantity: i64,
    /// The seats (or tables) held, for a seated or tables tier.
    pub seats: Vec<String>,
    /// When the hold runs out (ms since the epoch).
    pub expires_at_ms: i64,
}

/// Buyers' holds (no login needed).
#[derive(Default)]
pub struct PublicMutation;

/// The checkout client of the event `slug`.
pub async fn client_for(ctx: &Context<'_>, slug: &str) -> Result<CheckoutClient, Error> {
    Ok(event_client(ctx, slug).await?.0)
}

/// The checkout client of the event `slug`, and the event's uid.
pub async fn event_client(
    ctx: &Context<'_>,
    slug: &str,
) -> Result<(CheckoutClient, String), Error> {
    let deps = ctx.data::<Deps>()?;
    let (ns, name) = split_slug(slug)?;
    let event = deps
        .catalog
        .event(ns, name)
        .await
        .map_err(|e| unavailable("the catalog", e))?
        .ok_or_else(|| gql_error(error::UNKNOWN_EVENT, format!("no event {slug}")))?;
    // A draft does not exist for the public (as on its page): no prices,
    // no presale code checks, no holds before it is published.
    if event.spec.state == sellout_crds::event::EventState::Draft && !member_of(ctx, ns) {
        return Err(gql_error(error::UNKNOWN_EVENT, format!("no event {slug}")));
    }
    let uid = event.metadata.uid.clone().unwrap_or_default();
    let mut client = CheckoutClient::new(deps.nats.clone(), Names::for_uid(&uid));
    client.deadline = Duration::from_secs(10);
    Ok((client, uid))
}

/// A checkout session: pass its token as `checkout` to `hold`, `release`
/// and `createOrder`.
#[derive(SimpleObject)]
pub struct CheckoutSession {
    /// The session's token (opaque; keep it for the buyer's visit).
    pub token: String,
    /// When it expires (ms since the epoch); start a new one after.
    pub expires_at_ms: i64,
}

#[Object]
impl PublicMutation {
    /// Starts a checkout: a token the buyer's holds are bound to. A
    /// checkout holds at most the tier's per-order maximum of each tier
    /// and the event's `holdLimits.perCheckout` in all; checkouts from one
    /// client address together at most `holdLimits.perAddress`. Only the
    /// checkout that placed a hold can release it or order it. A
    /// signed-in buyer may instead hold as their login (no token).
    async fn start_checkout(&self, ctx: &Context<'_>) -> Result<CheckoutSession, Error> {
        let deps = ctx.data::<Deps>()?;
        let (token, exp) = deps.auth.checkout_token();
        Ok(CheckoutSession {
            token,
            expires_at_ms: i64::try_from(exp).unwrap_or(i64::MAX).saturating_mul(1000),
        })
    }

    /// Holds `quantity` tickets of `tier` (or the `seats` named, of a
    /// seated or tables tier: see `seatMap`) for the event's hold time,
    /// for the checkout `checkout` (from `startCheckout`; a signed-in
    /// buyer may leave it out). Retrying with the same `holdId` returns
    /// the same hold and never holds twice. Null with an error when
    /// refused (sold out, a seat taken, over a limit …), so the other
    /// holds of the same request still answer with their ids. The
    /// organization's BOX_OFFICE and above may also hold hidden tiers
    /// and outside the sales window.
    #[allow(clippy::too_many_arguments)] // one per GraphQL argument
    async fn hold(
        &self,
        ctx: &Context<'_>,
        event: String,
        tier: String,
        #[graphql(
            desc = "Tickets (tables, for a table tier); with `seats`, their number \
                          (which it may leave out)."
        )]
        quantity: Option<i64>,
        #[graphql(desc = "Labels of the seats (or tables) to hold, from `seatMap`; \
                          seated and tables tiers need them.")]
        seats: Option<Vec<String>>,
        hold_id: Option<ID>,
        promo_code: Option<String>,
        #[graphql(desc = "The checkout's token (startCheckout).")] checkout: Option<String>,
    ) -> Result<Option<HoldView>, Error> {
        let placed = async {
            let session = checkout_owner(ctx, checkout.as_deref())?;
            let seats = seats.unwrap_or_default();
            let quantity = match (quantity, seats.len()) {
                (Some(q), _) => q,
                (None, n) if n > 0 => n as i64,
                (None, _) => {
                    return Err(gql_error(
                        error::BAD_REQUEST,
                        "give a quantity, or the seats to hold",
                    ));
                }
            };
            if promo_code.as_deref().is_some_and(|c| !c.is_empty()) {
                promo_rate(ctx).await?;
            }
            let client = client_for(ctx, &event).await?;
            let (ns, _) = split_slug(&event)?;
            let box_office = has_role(ctx, ns, sellout_crds::organization::Role::BoxOffice);
            let hold_id = hold_id.map_or_else(|| uuid::Uuid::new_v4().to_string(), |i| i.0);
            client
                .hold(HoldRequest {
                    hold_id,
                    tier,
                    quantity,
                    promo_code: promo_code.unwrap_or_default(),
                    box_office,
                    seats,
                    session,
                    client: client_address(ctx),
                })
                .await
                .map_err(checkout_error)
        };
        match placed.await {
            Ok(held) => Ok(Some(HoldView {
                id: ID(held.hold_id),
                tier: held.tier,
                quantity: held.quantity,
                seats: held.seats,
                expires_at_ms: held.expires_at_ms,
            })),
            // This field alone is null: the request's other holds keep
            // their answers (a resolver's error would null them all).
            Err(e) => {
                ctx.add_error(ctx.set_error_path(e.into_server_error(ctx.item.pos)));
                Ok(None)
            }
        }
    }

    /// Gives a hold of checkout `checkout` back (a signed-in buyer's own
    /// without it). Another checkout's hold is refused (NOT_YOUR_HOLD).
    async fn release(
        &self,
        ctx: &Context<'_>,
        event: String,
        hold_id: ID,
        #[graphql(desc = "The checkout's token (startCheckout).")] checkout: Option<String>,
    ) -> Result<bool, Error> {
        let session = checkout_owner(ctx, checkout.as_deref())?;
        let client = client_for(ctx, &event).await?;
        client
            .release_as(&hold_id, &session)
            .await
            .map_err(checkout_error)?;
        Ok(true)
    }
}

/// Requests with a promo code one client address may make per ten
/// minutes: a buyer tries a code or two; a script guessing presale codes
/// tries thousands.
pub const PROMO_TRIES_PER_10_MIN: u32 = 30;

/// Counts a request with a promo code from the caller's address;
/// `RATE_LIMITED` past [`PROMO_TRIES_PER_10_MIN`], counted across every
/// gateway replica ([`crate::rates`]).
pub async fn promo_rate(ctx: &Context<'_>) -> Result<(), Error> {
    use std::sync::LazyLock;
    static LIMIT: LazyLock<crate::rates::Limit> = LazyLock::new(|| {
        crate::rates::Limit::new("promo", PROMO_TRIES_PER_10_MIN, Duration::from_secs(600))
    });
    let address = client_address(ctx);
    if address.is_empty() {
        return Ok(());
    }
    LIMIT
        .admit(
            ctx,
            &address,
            "promo codes tried from this address",
            "in 10 minutes",
        )
        .await
}

/// Whether the caller is signed in as a member (any staff role) of
/// organization namespace `ns`.
fn member_of(ctx: &Context<'_>, ns: &str) -> bool {
    has_role(ctx, ns, sellout_crds::organization::Role::Scanner)
}

/// Whether the caller is signed in with at least role `at_least` in
/// organization namespace `ns`.
pub fn has_role(ctx: &Context<'_>, ns: &str, at_least: sellout_crds::organization::Role) -> bool {
    let (Ok(deps), Some(crate::auth::Viewer::User(p))) =
        (ctx.data::<Deps>(), ctx.data_opt::<crate::auth::Viewer>())
    else {
        return false;
    };
    deps.auth
        .role_in(&deps.catalog, &p.login, ns)
        .is_some_and(|r| r <= at_least)
}

/// The client's address as the workers count it (an IPv6 client by its
/// /64; "" when unknown).
pub fn client_address(ctx: &Context<'_>) -> String {
    ctx.data_opt::<crate::auth::ClientIp>()
        .and_then(|c| c.0)
        .map(crate::auth::login::subscriber)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_namespace_and_name() {
        assert_eq!(
            split_slug("riverside/festival").unwrap(),
            ("riverside", "festival")
        );
        for bad in ["festival", "/x", "x/", "a/b/c"] {
            assert!(split_slug(bad).is_err(), "{bad}");
        }
    }
}
