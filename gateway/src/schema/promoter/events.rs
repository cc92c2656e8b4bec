//! Events: create, update, publish and cancel (ADMIN), and the promoter's
//! view of an event (every field, its tiers, the operator's status, and who
//! owns each field).

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, Error, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use sellout_crds::common::{Fee, Tax};
use sellout_crds::event::{EventDay, Promotion};
use sellout_crds::organization::Role;
use sellout_crds::tier::PromoCode;
use sellout_crds::{Event, Venue};
use serde_json::{Value, json};

use super::tiers::PromoterTier;
use super::venues::PromoterVenue;
use super::{
    ConditionView, FieldOwnerView, PageCursor, clear, condition, creation_key, page, set,
    spec_owners, writer,
};
use crate::apply::{ApplyError, check_name};
use crate::auth;
use crate::error::{self, unavailable};
use crate::schema::Deps;

/// Longest Event name (its workers' Service names must fit in 63).
pub const MAX_EVENT_NAME: usize = 54;

/// The promoter's intent for an event.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "sellout_crds::event::EventState")]
pub enum EventState {
    /// Being prepared: not visible, not on sale.
    Draft,
    /// Visible, and on sale between onSaleAt and offSaleAt.
    Published,
    /// Called off: no sales, tickets to be refunded. Final.
    Cancelled,
}

/// Where an event is in its life, as the operator computed it.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "sellout_crds::event::EventPhase")]
pub enum EventPhase {
    /// Not published.
    Draft,
    /// Published, sales not open yet.
    Scheduled,
    /// Tickets on sale.
    OnSale,
    /// Every ticket sold or held.
    SoldOut,
    /// Sales are over and the event is still ahead or under way.
    SalesClosed,
    /// The last day is over.
    Ended,
    /// Cancelled by the promoter.
    Cancelled,
}

/// What a fee, tax or promotion is charged on (or taken off).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "sellout_crds::common::ChargeTarget")]
pub enum ChargeTarget {
    /// Once per order.
    Order,
    /// Once per admission ticket.
    #[default]
    Ticket,
    /// Once per add-on (parking, merchandise, upgrades).
    AddOn,
}

/// One day of an event.
#[derive(InputObject, Clone)]
pub struct EventDayInput {
    /// When doors open and scanning starts; not after `startsAt`.
    pub doors_at: Timestamp,
    /// When the show starts; before `endsAt`.
    pub starts_at: Timestamp,
    /// When the day ends.
    pub ends_at: Timestamp,
}

/// A sales tax on ticket prices.
#[derive(InputObject, Clone)]
pub struct TaxInput {
    /// Name shown to buyers, e.g. "VAT".
    pub name: String,
    /// Rate in basis points (2000 = 20 %).
    pub rate_bps: i32,
    /// What it is charged on.
    #[graphql(default)]
    pub applies_to: ChargeTarget,
}

/// A fee added to prices: exactly one of `flatMinor` and `percentBps`.
#[derive(InputObject, Clone)]
pub struct FeeInput {
    /// Name shown on the receipt, e.g. "Service fee".
    pub name: String,
    /// What it is charged on.
    #[graphql(default)]
    pub applies_to: ChargeTarget,
    /// A flat amount in minor units of the event's currency.
    pub flat_minor: Option<i64>,
    /// A percentage in basis points (250 = 2.5 %).
    pub percent_bps: Option<i32>,
}

/// A discount unlocked by a promo code: exactly one of `flatMinor` and
/// `percentBps`.
#[derive(InputObject, Clone)]
pub struct PromotionInput {
    /// The code buyers enter (letters, digits, `-` and `_`).
    pub code: String,
    /// Name shown on the receipt, e.g. "Early bird".
    pub name: String,
    /// What it is taken off.
    #[graphql(default)]
    pub applies_to: ChargeTarget,
    /// Minor units off (per unit for tickets and add-ons, once for the
    /// order).
    pub flat_minor: Option<i64>,
    /// Basis points off (1000 = 10 %).
    pub percent_bps: Option<i32>,
}

/// A new event. It starts as a Draft: publish it with `publishEvent`.
/// Its workers scale as the defaults say until `updateEvent` changes
/// them (within the organization's limit); what deleting it does
/// (`spec.onDelete`) is an operations setting, made with kubectl or
/// GitOps.
#[derive(InputObject)]
pub struct CreateEventInput {
    /// The Event's name in the organization's namespace (lower-case
    /// letters, digits and `-`, at most 54 characters); its slug is
    /// `<organization>/<name>`. Fixed.
    pub name: String,
    /// Title shown to buyers.
    pub title: String,
    /// Longer description (plain text or Markdown).
    pub description: Option<String>,
    /// Name of the Venue (same organization) where it happens.
    pub venue: String,
    /// ISO 4217 currency of every price (e.g. GBP); fixed once published.
    pub currency: String,
    /// The days, in order (one for a single-day event).
    pub days: Vec<EventDayInput>,
    /// When tickets go on sale.
    pub on_sale_at: Timestamp,
    /// When sales stop; default: the end of the last day.
    pub off_sale_at: Option<Timestamp>,
    /// How long a buyer's hold lasts, in seconds (60 to 3600; default 600).
    pub hold_ttl_seconds: Option<i32>,
    /// Sales taxes.
    pub taxes: Option<Vec<TaxInput>>,
    /// Fees of this event (added to the organization's).
    pub fees: Option<Vec<FeeInput>>,
    /// Promo-code discounts.
    pub promotions: Option<Vec<PromotionInput>>,
}

/// Changes to an event: only the fields given are written. A field another
/// field manager (e.g. GitOps) owns is refused with CONFLICT unless the
/// mutation is forced. `null` clears an optional field.
#[derive(InputObject, Default)]
pub struct UpdateEventInput {
    /// Title shown to buyers.
    pub title: Option<String>,
    /// Longer description; `null` clears it.
    pub description: MaybeUndefined<String>,
    /// Name of the Venue (same organization).
    pub venue: Option<String>,
    /// ISO 4217 currency (only while the event is a Draft).
    pub currency: Option<String>,
    /// The days, in order (replaces them all).
    pub days: Option<Vec<EventDayInput>>,
    /// When tickets go on sale.
    pub on_sale_at: Option<Timestamp>,
    /// When sales stop; `null`: the end of the last day.
    pub off_sale_at: MaybeUndefined<Timestamp>,
    /// How long a buyer's hold lasts, in seconds (60 to 3600).
    pub hold_ttl_seconds: Option<i32>,
    /// Sales taxes (replaces them all).
    pub taxes: Option<Vec<TaxInput>>,
    /// Fees (replaces them all).
    pub fees: Option<Vec<FeeInput>>,
    /// Promo-code discounts (replaces them all).
    pub promotions: Option<Vec<PromotionInput>>,
    /// How the event's workers scale: the parts given replace theirs.
    pub workers: Option<WorkersInput>,
}

/// How an event's checkout and scan workers scale. Every replica count is
/// at most the organization's limit (`PromoterEvent.workers.replicaLimit`,
/// which platform staff set); the API server checks the rest (minReplicas
/// at most maxReplicas, prewarmReplicas between them).
#[derive(InputObject)]
pub struct WorkersInput {
    /// Checkout workers (holds, payments, tickets).
    pub checkout: Option<ReplicaRangeInput>,
    /// Scan workers (door check-in).
    pub scan: Option<ReplicaRangeInput>,
    /// How long before on-sale (checkout) and doors (scan) the workers are
    /// raised to prewarmReplicas, in seconds (0 to 86400).
    pub prewarm_lead_seconds: Option<i32>,
}

/// The replica range of one worker set.
#[derive(InputObject)]
pub struct ReplicaRangeInput {
    /// Fewest replicas while the event is live.
    pub min_replicas: i32,
    /// Most replicas the autoscaler may run.
    pub max_replicas: i32,
    /// Replicas from prewarmLeadSeconds before on-sale (or doors) until
    /// the rush is over; null: minReplicas.
    pub prewarm_replicas: Option<i32>,
}

impl ReplicaRangeInput {
    /// Its spec (`spec.workers.<set>`), or what to fix when a count is
    /// above `limit`; `at` is the input's path (`workers.checkout`).
    fn spec(&self, at: &str, limit: i32) -> Result<Value, Error> {
        let counts = [
            ("minReplicas", Some(self.min_replicas)),
            ("maxReplicas", Some(self.max_replicas)),
            ("prewarmReplicas", self.prewarm_replicas),
        ];
        for (field, n) in counts {
            if n.is_some_and(|n| n > limit) {
                return Err(crate::error::gql_error(
                    error::BAD_REQUEST,
                    format!(
                        "{at}.{field} may be at most {limit} for this organization (platform staff can raise the limit: Organization spec.workerLimits.maxReplicas)"
                    ),
                ));
            }
        }
        let mut spec = json!({"minReplicas": self.min_replicas, "maxReplicas": self.max_replicas});
        if let Some(p) = self.prewarm_replicas {
            spec["prewarmReplicas"] = json!(p);
        }
        Ok(spec)
    }
}

/// Most replicas the promoters of `namespace` may give a worker set.
fn replica_limit(deps: &Deps, namespace: &str) -> i32 {
    deps.catalog
        .organizations_in(namespace)
        .iter()
        .map(|o| {
            o.spec.worker_limits.as_ref().map_or(
                sellout_crds::organization::WorkerLimits::DEFAULT_MAX_REPLICAS,
                |l| l.max_replicas,
            )
        })
        .min()
        .unwrap_or(sellout_crds::organization::WorkerLimits::DEFAULT_MAX_REPLICAS)
}

impl WorkersInput {
    /// The `spec.workers` parts it sets, checked against `limit`.
    fn parts(&self, limit: i32) -> Result<Vec<(&'static str, Value)>, Error> {
        let mut parts = Vec::new();
        if let Some(r) = &self.checkout {
            parts.push(("checkout", r.spec("workers.checkout", limit)?));
        }
        if let Some(r) = &self.scan {
            parts.push(("scan", r.spec("workers.scan", limit)?));
        }
        if let Some(s) = self.prewarm_lead_seconds {
            parts.push(("prewarmLeadSeconds", json!(s)));
        }
        Ok(parts)
    }
}

fn days(days: &[EventDayInput]) -> Vec<EventDay> {
    days.iter()
        .map(|d| EventDay {
            doors_at: Time(d.doors_at),
            starts_at: Time(d.starts_at),
            ends_at: Time(d.ends_at),
        })
        .collect()
}

fn taxes(taxes: &[TaxInput]) -> Vec<Tax> {
    taxes
        .iter()
        .map(|t| Tax {
            name: t.name.clone(),
            rate_bps: t.rate_bps,
            applies_to: t.applies_to.into(),
        })
        .collect()
}

fn fees(fees: &[FeeInput]) -> Vec<Fee> {
    fees.iter()
        .map(|f| Fee {
            name: f.name.clone(),
            applies_to: f.applies_to.into(),
            flat_minor: f.flat_minor,
            percent_bps: f.percent_bps,
        })
        .collect()
}

fn promotions(promotions: &[PromotionInput]) -> Vec<Promotion> {
    promotions
        .iter()
        .map(|p| Promotion {
            code: PromoCode(p.code.clone()),
            name: p.name.clone(),
            applies_to: p.applies_to.into(),
            flat_minor: p.flat_minor,
            percent_bps: p.percent_bps,
        })
        .collect()
}

fn time(t: Timestamp) -> Value {
    serde_json::to_value(Time(t)).unwrap_or_default()
}

impl CreateEventInput {
    /// The spec fields this input sets.
    fn spec(&self) -> Value {
        let mut spec = json!({
            "title": self.title,
            "venueRef": {"name": self.venue},
            "currency": self.currency,
            "days": days(&self.days),
            "onSaleAt": time(self.on_sale_at),
        });
        let obj = spec.as_object_mut().expect("a JSON object");
        if let Some(d) = &self.description {
            obj.insert("description".into(), json!(d));
        }
        if let Some(t) = self.off_sale_at {
            obj.insert("offSaleAt".into(), time(t));
        }
        if let Some(h) = self.hold_ttl_seconds {
            obj.insert("holdTtlSeconds".into(), json!(h));
        }
        if let Some(t) = &self.taxes {
            obj.insert("taxes".into(), json!(taxes(t)));
        }
        if let Some(f) = &self.fees {
            obj.insert("fees".into(), json!(fees(f)));
        }
        if let Some(p) = &self.promotions {
            obj.insert("promotions".into(), json!(promotions(p)));
        }
        spec
    }
}

/// Errs with NOT_FOUND unless Venue `name` exists in `namespace`.
pub async fn require_venue(ctx: &Context<'_>, namespace: &str, name: &str) -> Result<(), Error> {
    let deps = ctx.data::<Deps>()?;
    if deps.catalog.venue(namespace, name).is_some() {
        return Ok(());
    }
    // Made a moment ago, not in the catalog yet?
    let found = Api::<Venue>::namespaced(deps.kube.clone(), namespace)
        .get_opt(name)
        .await
        .map_err(|e| unavailable("the API server", e))?;
    match found {
        Some(_) => Ok(()),
        None => Err(crate::error::gql_error(
            error::NOT_FOUND,
            format!(
                "no venue {name:?} in organization {namespace:?}: create it first (createVenue)"
            ),
        )),
    }
}

/// Event mutations (ADMIN or higher in the organization).
#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
    /// Creates an event (a Draft) in the organization, as the Event
    /// resource `<name>` in its namespace, written by Server-Side Apply
    /// (field manager `sellout-gateway`). Needs ADMIN.
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The event.")] input: CreateEventInput,
    ) -> Result<PromoterEvent, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        check_name("event", &input.name, MAX_EVENT_NAME)?;
        require_venue(ctx, &organization, &input.venue).await?;
        let event = writer::<Event>(ctx, &organization)?
            .create(&input.name, input.spec())
            .await?;
        Ok(PromoterEvent(Arc::new(event)))
    }

    /// Changes the fields of `input` that are given, leaving every other
    /// field as it is (and with whoever set it). A field owned by another
    /// field manager (GitOps) is refused with CONFLICT naming the field and
    /// its owner, unless `force` is true, which takes it over: GitOps will
    /// then see a difference at its next sync. Needs ADMIN.
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The event's name.")] name: String,
        #[graphql(desc = "What to change.")] input: UpdateEventInput,
        #[graphql(
            default_with = "Some(false)",
            desc = "Take over fields other field managers own instead of failing with CONFLICT."
        )]
        force: Option<bool>,
    ) -> Result<PromoterEvent, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        if let Some(venue) = &input.venue {
            require_venue(ctx, &organization, venue).await?;
        }
        let workers = match &input.workers {
            Some(w) => w.parts(replica_limit(ctx.data::<Deps>()?, &organization))?,
            None => Vec::new(),
        };
        let event = writer::<Event>(ctx, &organization)?
            .update(&name, force.unwrap_or(false), |live, body| {
                let i = &input;
                if let Some(v) = &i.title {
                    set(body, "title", v)?;
                }
                match &i.description {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => clear(live, body, "description")?,
                    MaybeUndefined::Value(v) => set(body, "description", v)?,
                }
                if let Some(v) = &i.venue {
                    set(body, "venueRef", json!({"name": v}))?;
                }
                if let Some(v) = &i.currency {
                    set(body, "currency", v)?;
                }
                if let Some(v) = &i.days {
                    set(body, "days", days(v))?;
                }
                if let Some(v) = i.on_sale_at {
                    set(body, "onSaleAt", time(v))?;
                }
                match i.off_sale_at {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => clear(live, body, "offSaleAt")?,
                    MaybeUndefined::Value(v) => set(body, "offSaleAt", time(v))?,
                }
                if let Some(v) = i.hold_ttl_seconds {
                    set(body, "holdTtlSeconds", v)?;
                }
                if let Some(v) = &i.taxes {
                    set(body, "taxes", taxes(v))?;
                }
                if let Some(v) = &i.fees {
                    set(body, "fees", fees(v))?;
                }
                if let Some(v) = &i.promotions {
                    set(body, "promotions", promotions(v))?;
                }
                if !workers.is_empty() {
                    // Into what the gateway already sets of spec.workers:
                    // a part left out stays as it is.
                    let spec = crate::apply::spec_mut(body);
                    let w = spec.entry("workers").or_insert_with(|| json!({}));
                    if !w.is_object() {
                        *w = json!({});
                    }
                    for (part, v) in &workers {
                        w[*part] = v.clone();
                    }
                }
                Ok(())
            })
            .await?;
        Ok(PromoterEvent(Arc::new(event)))
    }

    /// Publishes the event (`spec.state: Published`): visible, and on sale
    /// between its onSaleAt and offSaleAt. Needs ADMIN.
    async fn publish_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The event's name.")] name: String,
        #[graphql(
            default_with = "Some(false)",
            desc = "Take over `spec.state` if another field manager owns it."
        )]
        force: Option<bool>,
    ) -> Result<PromoterEvent, Error> {
        set_state(
            ctx,
            organization,
            name,
            EventState::Published,
            force.unwrap_or(false),
        )
        .await
    }

    /// Cancels the event (`spec.state: Cancelled`): sales stop, and a
    /// cancelled event cannot be reopened. Needs ADMIN.
    async fn cancel_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The event's name.")] name: String,
        #[graphql(
            default_with = "Some(false)",
            desc = "Take over `spec.state` if another field manager owns it."
        )]
        force: Option<bool>,
    ) -> Result<PromoterEvent, Error> {
        set_state(
            ctx,
            organization,
            name,
            EventState::Cancelled,
            force.unwrap_or(false),
        )
        .await
    }
}

async fn set_state(
    ctx: &Context<'_>,
    organization: String,
    name: String,
    state: EventState,
    force: bool,
) -> Result<PromoterEvent, Error> {
    auth::require(ctx, &organization, Role::Admin)?;
    let state: sellout_crds::event::EventState = state.into();
    let event = writer::<Event>(ctx, &organization)?
        .update(&name, force, |live, body| {
            if live.object.spec.state == sellout_crds::event::EventState::Cancelled
                && state != sellout_crds::event::EventState::Cancelled
            {
                return Err(ApplyError::refused(
                    error::BAD_REQUEST,
                    "a cancelled event cannot be reopened; create a new event",
                ));
            }
            set(body, "state", state)
        })
        .await?;
    Ok(PromoterEvent(Arc::new(event)))
}

/// An event as its promoter sees it: every field, its tiers, what the
/// operator reports, and which field manager owns each field.
pub struct PromoterEvent(pub Arc<Event>);

/// One day of an event.
#[derive(SimpleObject)]
pub struct EventDayView {
    /// When doors open.
    pub doors_at: Timestamp,
    /// When the show starts.
    pub starts_at: Timestamp,
    /// When the day ends.
    pub ends_at: Timestamp,
}

/// A sales tax.
#[derive(SimpleObject)]
pub struct TaxView {
    /// Name shown to buyers.
    pub name: String,
    /// Rate in basis points.
    pub rate_bps: i32,
    /// What it is charged on.
    pub applies_to: ChargeTarget,
}

/// A fee.
#[derive(SimpleObject)]
pub struct FeeView {
    /// Name shown on the receipt.
    pub name: String,
    /// What it is charged on.
    pub applies_to: ChargeTarget,
    /// Flat amount in minor units, if flat.
    pub flat_minor: Option<i64>,
    /// Basis points, if a percentage.
    pub percent_bps: Option<i32>,
}

/// A promo-code discount.
#[derive(SimpleObject)]
pub struct PromotionView {
    /// The code.
    pub code: String,
    /// Name shown on the receipt.
    pub name: String,
    /// What it is taken off.
    pub applies_to: ChargeTarget,
    /// Minor units off, if flat.
    pub flat_minor: Option<i64>,
    /// Basis points off, if a percentage.
    pub percent_bps: Option<i32>,
}

/// What the operator reports of an event.
#[derive(SimpleObject)]
pub struct EventStatusView {
    /// Where the event is in its life (null until the operator has seen
    /// it).
    pub phase: Option<EventPhase>,
    /// The `Ready` condition: True once workers, stream and collections
    /// match the spec.
    pub ready: Option<ConditionView>,
    /// Every condition (`Ready`, `Progressing`, `Degraded`).
    pub conditions: Vec<ConditionView>,
    /// Whether the operator has seen the latest change of the spec.
    pub up_to_date: bool,
    /// Admissions the event can sell (sum of its admission tiers).
    pub capacity: Option<i64>,
    /// Tickets sold.
    pub sold: Option<i64>,
    /// Tickets held in carts.
    pub held: Option<i64>,
    /// Tickets still available.
    pub available: Option<i64>,
    /// The checkout workers (holds, payments, tickets): ready of wanted
    /// now, and the range they scale in (`spec.workers.checkout`, an
    /// operations setting). Null until the operator reports them.
    pub checkout_workers: Option<WorkerSetView>,
    /// The scan workers (door check-in), likewise.
    pub scan_workers: Option<WorkerSetView>,
}

/// How an event's workers scale.
#[derive(SimpleObject)]
pub struct WorkersView {
    /// Checkout workers (holds, payments, tickets).
    pub checkout: ReplicaRangeView,
    /// Scan workers (door check-in).
    pub scan: ReplicaRangeView,
    /// How long before on-sale (checkout) and doors (scan) the workers are
    /// raised to prewarmReplicas, in seconds.
    pub prewarm_lead_seconds: i32,
    /// The most replicas the organization's promoters may give a worker
    /// set (Organization `spec.workerLimits.maxReplicas`, 10 unless
    /// platform staff set it).
    pub replica_limit: i32,
}

/// The replica range of one worker set.
#[derive(SimpleObject)]
pub struct ReplicaRangeView {
    /// Fewest replicas while the event is live.
    pub min_replicas: i32,
    /// Most replicas the autoscaler may run.
    pub max_replicas: i32,
    /// Replicas from prewarmLeadSeconds before on-sale (or doors) until
    /// the rush is over; null: minReplicas.
    pub prewarm_replicas: Option<i32>,
}

impl From<&sellout_crds::event::ReplicaRange> for ReplicaRangeView {
    fn from(r: &sellout_crds::event::ReplicaRange) -> Self {
        ReplicaRangeView {
            min_replicas: r.min_replicas,
            max_replicas: r.max_replicas,
            prewarm_replicas: r.prewarm_replicas,
        }
    }
}

/// One of an event's worker sets, as the operator runs it.
#[derive(SimpleObject)]
pub struct WorkerSetView {
    /// Replicas ready.
    pub ready: i32,
    /// Replicas wanted now (after pre-warming).
    pub desired: i32,
    /// Fewest replicas while the event is live.
    pub min_replicas: i32,
    /// Most replicas the autoscaler may run.
    pub max_replicas: i32,
}

impl WorkerSetView {
    fn of(
        status: &sellout_crds::event::WorkerSetStatus,
        range: &sellout_crds::event::ReplicaRange,
    ) -> Self {
        WorkerSetView {
            ready: status.ready,
            desired: status.desired,
            min_replicas: range.min_replicas,
            max_replicas: range.max_replicas,
        }
    }
}

#[Object]
impl PromoterEvent {
    /// The event's id (its Kubernetes UID).
    async fn id(&self) -> ID {
        ID(self.0.metadata.uid.clone().unwrap_or_default())
    }

    /// The Event's name in the organization's namespace.
    async fn name(&self) -> &str {
        self.0.metadata.name.as_deref().unwrap_or_default()
    }

    /// `<organization namespace>/<event name>`: the public `event(slug)`.
    async fn slug(&self) -> String {
        format!(
            "{}/{}",
            self.0.metadata.namespace.as_deref().unwrap_or_default(),
            self.0.metadata.name.as_deref().unwrap_or_default()
        )
    }

    /// Title shown to buyers.
    async fn title(&self) -> &str {
        &self.0.spec.title
    }

    /// Longer description.
    async fn description(&self) -> Option<&str> {
        self.0.spec.description.as_deref()
    }

    /// The Venue's name.
    async fn venue_name(&self) -> &str {
        &self.0.spec.venue_ref.name
    }

    /// The Venue (null when it does not exist).
    async fn venue(&self, ctx: &Context<'_>) -> Result<Option<PromoterVenue>, Error> {
        let deps = ctx.data::<Deps>()?;
        let ns = self.0.metadata.namespace.as_deref().unwrap_or_default();
        Ok(deps
            .catalog
            .venue(ns, &self.0.spec.venue_ref.name)
            .map(PromoterVenue))
    }

    /// ISO 4217 currency of every price.
    async fn currency(&self) -> &str {
        &self.0.spec.currency
    }

    /// The days, in order.
    async fn days(&self) -> Vec<EventDayView> {
        self.0
            .spec
            .days
            .iter()
            .map(|d| EventDayView {
                doors_at: d.doors_at.0,
                starts_at: d.starts_at.0,
                ends_at: d.ends_at.0,
            })
            .collect()
    }

    /// When tickets go on sale.
    async fn on_sale_at(&self) -> Timestamp {
        self.0.spec.on_sale_at.0
    }

    /// When sales stop (null: the end of the last day).
    async fn off_sale_at(&self) -> Option<Timestamp> {
        self.0.spec.off_sale_at.as_ref().map(|t| t.0)
    }

    /// Draft, Published or Cancelled: the promoter's intent.
    async fn state(&self) -> EventState {
        self.0.spec.state.into()
    }

    /// How long a buyer's hold lasts, in seconds.
    async fn hold_ttl_seconds(&self) -> i32 {
        self.0.spec.hold_ttl_seconds
    }

    /// Sales taxes.
    async fn taxes(&self) -> Vec<TaxView> {
        self.0
            .spec
            .taxes
            .iter()
            .map(|t| TaxView {
                name: t.name.clone(),
                rate_bps: t.rate_bps,
                applies_to: t.applies_to.into(),
            })
            .collect()
    }

    /// Fees of this event.
    async fn fees(&self) -> Vec<FeeView> {
        self.0
            .spec
            .fees
            .iter()
            .map(|f| FeeView {
                name: f.name.clone(),
                applies_to: f.applies_to.into(),
                flat_minor: f.flat_minor,
                percent_bps: f.percent_bps,
            })
            .collect()
    }

    /// Promo-code discounts.
    async fn promotions(&self) -> Vec<PromotionView> {
        self.0
            .spec
            .promotions
            .iter()
            .map(|p| PromotionView {
                code: p.code.0.clone(),
                name: p.name.clone(),
                applies_to: p.applies_to.into(),
                flat_minor: p.flat_minor,
                percent_bps: p.percent_bps,
            })
            .collect()
    }

    /// When the event was created.
    async fn created_at(&self) -> Option<Timestamp> {
        self.0.metadata.creation_timestamp.as_ref().map(|t| t.0)
    }

    /// Changes of the spec so far (`metadata.generation`).
    async fn generation(&self) -> i64 {
        self.0.metadata.generation.unwrap_or_default()
    }

    /// What the operator reports.
    async fn status(&self) -> EventStatusView {
        let s = self.0.status.clone().unwrap_or_default();
        EventStatusView {
            phase: s.phase.map(Into::into),
            ready: condition(&s.conditions, "Ready"),
            conditions: s.conditions.iter().map(ConditionView::from).collect(),
            up_to_date: s.observed_generation.is_some()
                && s.observed_generation == self.0.metadata.generation,
            capacity: s.capacity,
            sold: s.sold,
            held: s.held,
            available: s.available,
            checkout_workers: s
                .workers
                .as_ref()
                .map(|w| WorkerSetView::of(&w.checkout, &self.0.spec.workers.checkout)),
            scan_workers: s
                .workers
                .as_ref()
                .map(|w| WorkerSetView::of(&w.scan, &self.0.spec.workers.scan)),
        }
    }

    /// The event's ticket tiers (hidden and promo-code ones too), oldest
    /// first.
    async fn tiers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "The first this many (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The last this many (at most 100).")] last: Option<i32>,
    ) -> Result<Connection<PageCursor, PromoterTier>, Error> {
        let deps = ctx.data::<Deps>()?;
        let ns = self.0.metadata.namespace.as_deref().unwrap_or_default();
        let name = self.0.metadata.name.as_deref().unwrap_or_default();
        let tiers = deps.catalog.tiers_of(ns, name);
        page(
            tiers,
            |t| creation_key(&t.metadata),
            PromoterTier,
            after,
            before,
            first,
            last,
        )
        .await
    }

    /// How the event's workers scale (`spec.workers`), and the most
    /// replicas its promoters may give a worker set.
    async fn workers(&self, ctx: &Context<'_>) -> Result<WorkersView, Error> {
        let w = &self.0.spec.workers;
        let ns = self.0.metadata.namespace.as_deref().unwrap_or_default();
        Ok(WorkersView {
            checkout: (&w.checkout).into(),
            scan: (&w.scan).into(),
            prewarm_lead_seconds: w.prewarm_lead_seconds,
            replica_limit: replica_limit(ctx.data::<Deps>()?, ns),
        })
    }

    /// Who set each field of the spec: `sellout-gateway` (Backstage) or
    /// another field manager such as GitOps, whose fields are edited where
    /// they are managed.
    async fn field_owners(&self) -> Vec<FieldOwnerView> {
        spec_owners(self.0.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_scaling_is_bounded_by_the_organizations_limit() {
        let range = |min, max, prewarm| ReplicaRangeInput {
            min_replicas: min,
            max_replicas: max,
            prewarm_replicas: prewarm,
        };
        assert_eq!(
            range(1, 4, None).spec("workers.scan", 10).unwrap(),
            json!({"minReplicas": 1, "maxReplicas": 4})
        );
        assert_eq!(
            range(1, 10, Some(6)).spec("workers.checkout", 10).unwrap(),
            json!({"minReplicas": 1, "maxReplicas": 10, "prewarmReplicas": 6})
        );
        for (r, field) in [
            (range(1, 11, None), "workers.checkout.maxReplicas"),
            (range(12, 12, None), "workers.checkout.minReplicas"),
            (range(1, 10, Some(40)), "workers.checkout.prewarmReplicas"),
        ] {
            let e = r.spec("workers.checkout", 10).unwrap_err();
            assert!(e.message.starts_with(field), "{}", e.message);
            assert!(e.message.contains("at most 10"), "{}", e.message);
        }
        // Only the parts given are set.
        let input = WorkersInput {
            checkout: None,
            scan: Some(range(0, 2, None)),
            prewarm_lead_seconds: Some(600),
        };
        let parts = input.parts(10).unwrap();
        assert_eq!(
            parts.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            ["scan", "prewarmLeadSeconds"]
        );
    }

    #[test]
    fn a_new_events_spec_holds_only_what_was_given() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let input = CreateEventInput {
            name: "show".into(),
            title: "Summer".into(),
            description: None,
            venue: "hall".into(),
            currency: "GBP".into(),
            days: vec![EventDayInput {
                doors_at: t("2027-05-01T18:00:00Z"),
                starts_at: t("2027-05-01T19:00:00Z"),
                ends_at: t("2027-05-01T23:00:00Z"),
            }],
            on_sale_at: t("2027-02-01T10:00:00Z"),
            off_sale_at: None,
            hold_ttl_seconds: None,
            taxes: None,
            fees: Some(vec![FeeInput {
                name: "Service".into(),
                applies_to: ChargeTarget::Order,
                flat_minor: Some(150),
                percent_bps: None,
            }]),
            promotions: None,
        };
        assert_eq!(
            input.spec(),
            json!({
                "title": "Summer", "venueRef": {"name": "hall"}, "currency": "GBP",
                "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}],
                "onSaleAt": "2027-02-01T10:00:00Z",
                "fees": [{"name": "Service", "appliesTo": "Order", "flatMinor": 150}]
            })
        );
    }
}
