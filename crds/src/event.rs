//! `Event`: a show that sells tickets, the main resource of Sellout.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{ChargeTarget, Fee, LocalObjectRef, Tax};
use crate::tier::PromoCode;

/// An event: when and where it happens, when tickets are on sale, what is
/// added to ticket prices, and how its checkout and scan workers scale.
/// Its ticket tiers are `TicketTier` objects that name it in `eventRef`.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "sellout.io",
    version = "v1alpha1",
    kind = "Event",
    validation = Rule::new("size(self.metadata.name) <= 54").message("an Event's name is at most 54 characters: its workers' Services are named <event>-checkout and <event>-scan, which must fit in 63"),
    doc = "A Sellout event: days, venue, on-sale window, taxes and fees, and how its checkout and scan workers scale. The operator reconciles it into workers, a JetStream stream and MongoDB collections.",
    namespaced,
    status = "EventStatus",
    shortname = "sev",
    category = "sellout",
    printcolumn = r#"{"name":"Venue","type":"string","jsonPath":".spec.venueRef.name"}"#,
    printcolumn = r#"{"name":"Starts","type":"string","format":"date-time","jsonPath":".spec.days[0].startsAt"}"#,
    printcolumn = r#"{"name":"Phase","type":"string","jsonPath":".status.phase"}"#,
    printcolumn = r#"{"name":"Sold","type":"integer","jsonPath":".status.sold"}"#,
    printcolumn = r#"{"name":"Capacity","type":"integer","jsonPath":".status.capacity"}"#,
    printcolumn = r#"{"name":"Checked-in","type":"integer","jsonPath":".status.checkedInTotal"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("!has(self.offSaleAt) || self.onSaleAt < self.offSaleAt").message("onSaleAt must be before offSaleAt"))]
#[x_kube(validation = Rule::new("oldSelf.state == 'Draft' || self.currency == oldSelf.currency").message("currency cannot change once the event is published: tickets may already be sold in it"))]
#[x_kube(validation = Rule::new("oldSelf.state != 'Cancelled' || self.state == 'Cancelled'").message("a cancelled event cannot be reopened; create a new event"))]
pub struct EventSpec {
    /// Title shown to buyers.
    #[schemars(length(min = 1, max = 200))]
    pub title: String,
    /// Longer description (plain text or Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20000))]
    pub description: Option<String>,
    /// The Venue (same namespace) where the event happens.
    pub venue_ref: LocalObjectRef,
    /// ISO 4217 currency of every price of the event (tiers, fees). Fixed
    /// once the event is published.
    #[x_kube(validation = Rule::new(crate::common::ISO_4217_RULE).message(crate::common::ISO_4217_MESSAGE))]
    pub currency: String,
    /// The event's days, in order (one entry for a single-day event).
    #[schemars(length(min = 1, max = 31))]
    pub days: Vec<EventDay>,
    /// When tickets go on sale.
    pub on_sale_at: Time,
    /// When sales stop; default: the end of the last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_sale_at: Option<Time>,
    /// Draft (invisible, not on sale), Published (on sale in its window) or
    /// Cancelled (no sales; refunds follow). A cancelled event stays
    /// cancelled.
    #[serde(default)]
    pub state: EventState,
    /// How long a buyer's hold on tickets lasts before it is released, in
    /// seconds (60 to 3600).
    #[serde(default = "default_hold_ttl")]
    #[schemars(range(min = 60, max = 3600))]
    pub hold_ttl_seconds: i32,
    /// How many units one buyer may hold at once, so nobody can take a
    /// tier off sale by holding it. Each tier also caps one checkout's
    /// holds of it at the tier's `perOrder.max`.
    #[serde(default)]
    pub hold_limits: HoldLimits,
    /// Sales taxes on ticket prices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10))]
    pub taxes: Vec<Tax>,
    /// Fees of this event, added to the organization's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub fees: Vec<Fee>,
    /// Discounts buyers get by entering a promo code (a tier's promoCodes
    /// may also unlock that tier).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub promotions: Vec<Promotion>,
    /// How the event's checkout and scan workers run and scale.
    #[serde(default)]
    pub workers: Workers,
    /// What deleting the Event does to its data. Orders, tickets and
    /// payments are never deleted.
    #[serde(default)]
    pub on_delete: DeletionPolicy,
    /// The entrances door staff scan at, each admitting some tiers or all
    /// (e.g. a "VIP entrance" for the VIP tiers only), and whether people
    /// may leave and come back through it. None: every scanner's gate
    /// admits every tier, and nobody re-enters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    #[x_kube(validation = Rule::new("self.all(g, self.exists_one(h, h.name == g.name))").message("gate names must be unique"))]
    pub gates: Vec<Gate>,
}

/// Caps on units in active holds (held, not yet paid for). Box office
/// staff are not capped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct HoldLimits {
    /// Units one checkout session (a buyer's browser, or a signed-in
    /// buyer) may hold across the event's tiers. Default 20.
    #[serde(default = "default_per_checkout")]
    #[schemars(range(min = 1, max = 10000))]
    pub per_checkout: i32,
    /// Units all checkouts from one client address may hold together.
    /// Set it above `perCheckout`: buyers behind one address (a campus, a
    /// mobile carrier's NAT) share it. Default 60.
    #[serde(default = "default_per_address")]
    #[schemars(range(min = 1, max = 100000))]
    pub per_address: i32,
}

impl Default for HoldLimits {
    fn default() -> Self {
        Self {
            per_checkout: default_per_checkout(),
            per_address: default_per_address(),
        }
    }
}

fn default_per_checkout() -> i32 {
    20
}

fn default_per_address() -> i32 {
    60
}

/// An entrance of the event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gate {
    /// The gate's name, as scanners pick it (e.g. `north`, `vip`).
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub name: String,
    /// What door staff read, e.g. "VIP entrance"; default: the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 80))]
    pub display_name: Option<String>,
    /// TicketTier names (of this event) admitted here; empty: every tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub tiers: Vec<String>,
    /// Whether an exit may be scanned here, so the ticket admits again the
    /// same day (pass-outs). Default: no re-entry.
    #[serde(default)]
    pub reentry: bool,
}

/// A discount a buyer gets by entering its code, taken off before fees
/// and taxes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("has(self.flatMinor) != has(self.percentBps)").message("a promotion needs exactly one of flatMinor or percentBps"))]
pub struct Promotion {
    /// The code buyers enter (letters, digits, `-` and `_`; matched
    /// without regard to case).
    pub code: PromoCode,
    /// Name shown on the receipt, e.g. "Early bird".
    #[schemars(length(min = 1, max = 80))]
    pub name: String,
    /// What it is taken off: each ticket (default), each add-on, or the
    /// order.
    #[serde(default)]
    pub applies_to: ChargeTarget,
    /// Minor units off: per unit for tickets and add-ons, once for the
    /// order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub flat_minor: Option<i64>,
    /// Basis points off (1000 = 10 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 10000))]
    pub percent_bps: Option<i32>,
}

fn default_hold_ttl() -> i32 {
    600
}

/// One day of an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.doorsAt <= self.startsAt").message("doorsAt must not be after startsAt"))]
#[x_kube(validation = Rule::new("self.startsAt < self.endsAt").message("startsAt must be before endsAt"))]
pub struct EventDay {
    /// When doors open and scanning starts.
    pub doors_at: Time,
    /// When the show starts.
    pub starts_at: Time,
    /// When the day ends.
    pub ends_at: Time,
}

/// Door staff scan a day from this long before its doors open (ms) …
pub const SCAN_BEFORE_DOORS_MS: i64 = 12 * 3_600_000;
/// … until this long after it ends (ms).
pub const SCAN_AFTER_END_MS: i64 = 6 * 3_600_000;

impl EventDay {
    /// The first moment the day is scanned (ms since the epoch).
    pub fn scan_from_ms(&self) -> i64 {
        self.doors_at.0.as_millisecond() - SCAN_BEFORE_DOORS_MS
    }

    /// The moment scanning for the day stops, exclusive (ms since the epoch).
    pub fn scan_until_ms(&self) -> i64 {
        self.ends_at.0.as_millisecond() + SCAN_AFTER_END_MS
    }

    /// Whether the day is being scanned at `at_ms`.
    pub fn scanned_at(&self, at_ms: i64) -> bool {
        self.scan_from_ms() <= at_ms && at_ms < self.scan_until_ms()
    }
}

/// The promoter's intent for an event (the `status.phase` says where it
/// actually is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum EventState {
    /// Being prepared: not visible, not on sale.
    #[default]
    Draft,
    /// Visible, and on sale between onSaleAt and offSaleAt.
    Published,
    /// Called off: no sales, tickets to be refunded.
    Cancelled,
}

/// Where an event is in its life, as computed by the operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum EventPhase {
    /// Not published.
    Draft,
    /// Published, sales not open yet.
    Scheduled,
    /// Tickets on sale.
    OnSale,
    /// Every ticket sold or held.
    SoldOut,
    /// Sales are over (off-sale time passed) and the event is still ahead
    /// or under way.
    SalesClosed,
    /// The last day is over.
    Ended,
    /// Cancelled by the promoter.
    Cancelled,
}

/// How an event's workers run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct Workers {
    /// Dedicated workers for this event, or the shared pool that serves
    /// every event asking for it (cheaper for small events). The shared
    /// pool is not available yet: an event asking for it is Degraded with
    /// reason SharedPoolUnavailable.
    #[serde(default)]
    pub pool: WorkerPool,
    /// Checkout workers (holds, payments, tickets).
    #[serde(default = "ReplicaRange::checkout")]
    pub checkout: ReplicaRange,
    /// Scan workers (door check-in).
    #[serde(default = "ReplicaRange::scan")]
    pub scan: ReplicaRange,
    /// How long before on-sale (checkout) and doors (scan) the workers are
    /// raised to `prewarmReplicas`, in seconds.
    #[serde(default = "default_prewarm_lead")]
    #[schemars(range(min = 0, max = 86400))]
    pub prewarm_lead_seconds: i32,
}

fn default_prewarm_lead() -> i32 {
    900
}

impl Default for Workers {
    fn default() -> Self {
        Workers {
            pool: WorkerPool::default(),
            checkout: ReplicaRange::checkout(),
            scan: ReplicaRange::scan(),
            prewarm_lead_seconds: default_prewarm_lead(),
        }
    }
}

/// Where an event's workers come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum WorkerPool {
    /// A checkout and a scan worker set of the event's own.
    #[default]
    Dedicated,
    /// The platform's shared workers. Not available yet: an event asking
    /// for them is `Degraded` (reason `SharedPoolUnavailable`) and changes
    /// nothing until the pool exists.
    Shared,
}

/// Replica bounds of one worker set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.minReplicas <= self.maxReplicas").message("minReplicas must not exceed maxReplicas"))]
#[x_kube(validation = Rule::new("!has(self.prewarmReplicas) || (self.prewarmReplicas >= self.minReplicas && self.prewarmReplicas <= self.maxReplicas)").message("prewarmReplicas must lie between minReplicas and maxReplicas"))]
pub struct ReplicaRange {
    /// Fewest replicas while the event is live.
    #[schemars(range(min = 0, max = 1000))]
    pub min_replicas: i32,
    /// Most replicas the autoscaler may run.
    #[schemars(range(min = 1, max = 1000))]
    pub max_replicas: i32,
    /// Replicas from `prewarmLeadSeconds` before on-sale (or doors) until
    /// the rush is over; default: minReplicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1000))]
    pub prewarm_replicas: Option<i32>,
}

impl ReplicaRange {
    fn checkout() -> Self {
        ReplicaRange {
            min_replicas: 1,
            max_replicas: 4,
            prewarm_replicas: None,
        }
    }
    fn scan() -> Self {
        ReplicaRange {
            min_replicas: 1,
            max_replicas: 2,
            prewarm_replicas: None,
        }
    }
}

/// What happens to an event's hot data (inventory, holds, check-ins, its
/// stream) when the Event is deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum DeletionPolicy {
    /// Deletion waits while tickets are sold and not refunded; cancel and
    /// refund the event first. An unsold event is cleaned up.
    #[default]
    Retain,
    /// Archive the hot data and delete, even with sold tickets (orders,
    /// tickets and payments stay).
    Archive,
}

/// Check-ins of one day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DayCount {
    /// Day number, from 1.
    pub day: i32,
    /// Tickets checked in on that day.
    pub checked_in: i64,
    /// People admitted that day (a table's ticket counts its seats).
    #[serde(default)]
    pub admissions: i64,
}

/// Replicas of one worker set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerSetStatus {
    /// Replicas wanted now (after pre-warming).
    pub desired: i32,
    /// Replicas ready.
    pub ready: i32,
}

/// Both worker sets of an event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkersStatus {
    /// Checkout workers.
    pub checkout: WorkerSetStatus,
    /// Scan workers.
    pub scan: WorkerSetStatus,
}

/// The next scheduled change of phase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    /// The phase the event enters then.
    pub phase: EventPhase,
    /// When.
    pub at: Time,
}

/// What the operator observed of an Event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventStatus {
    /// The `metadata.generation` this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// Where the event is in its life.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<EventPhase>,
    /// `Ready`, `Progressing` and `Degraded`, one of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[x_kube(merge_strategy = ListMerge::Map(vec!["type".into()]))]
    pub conditions: Vec<Condition>,
    /// Admissions the event can sell (sum of its admission tiers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    /// Tickets sold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold: Option<i64>,
    /// Tickets held in buyers' carts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<i64>,
    /// Tickets still available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
    /// Check-ins per day, as the scan workers last counted them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checked_in: Vec<DayCount>,
    /// Tickets checked in over all days (what `kubectl get` shows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_total: Option<i64>,
    /// Worker replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workers: Option<WorkersStatus>,
    /// The next scheduled phase change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_transition: Option<Transition>,
    /// Name of the event's JetStream stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    /// Prefix of the event's MongoDB collections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_prefix: Option<String>,
}
