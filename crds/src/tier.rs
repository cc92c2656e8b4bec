//! `TicketTier`: one kind of ticket (or add-on) of an event.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::LocalObjectRef;

/// A ticket tier of an event: its price, how many there are, how many one
/// order may take, when it sells, where it admits to, and who can see it.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "sellout.io",
    version = "v1alpha1",
    kind = "TicketTier",
    doc = "A ticket tier of an Event: price in minor units, quantity, per-order limits, sales window, section or whole tables, valid days and visibility.",
    namespaced,
    status = "TicketTierStatus",
    shortname = "tier",
    category = "sellout",
    printcolumn = r#"{"name":"Event","type":"string","jsonPath":".spec.eventRef.name"}"#,
    printcolumn = r#"{"name":"Kind","type":"string","jsonPath":".spec.kind"}"#,
    printcolumn = r#"{"name":"Price","type":"integer","jsonPath":".spec.price.amountMinor"}"#,
    printcolumn = r#"{"name":"Currency","type":"string","jsonPath":".spec.price.currency"}"#,
    printcolumn = r#"{"name":"Quantity","type":"integer","jsonPath":".spec.quantity"}"#,
    printcolumn = r#"{"name":"Sold","type":"integer","jsonPath":".status.sold"}"#,
    printcolumn = r#"{"name":"Available","type":"integer","jsonPath":".status.available"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.eventRef == oldSelf.eventRef").message("eventRef cannot change: create a tier for the other event instead"))]
#[x_kube(validation = Rule::new("has(self.table) == has(oldSelf.table) && (!has(self.table) || self.table.seats == oldSelf.table.seats)").message("a table tier's seats per table are fixed: create a new tier to sell tables of another size"))]
#[x_kube(validation = Rule::new("self.visibility != 'PromoCode' || size(self.promoCodes) > 0").message("visibility PromoCode needs at least one entry in promoCodes"))]
#[x_kube(validation = Rule::new("!has(self.table) || self.kind == 'Admission'").message("only Admission tiers can sell tables"))]
pub struct TicketTierSpec {
    /// The Event (same namespace) this tier belongs to. Fixed once set.
    pub event_ref: LocalObjectRef,
    /// Name shown to buyers, e.g. "General admission" or "Parking".
    #[schemars(length(min = 1, max = 120))]
    pub display_name: String,
    /// Admission (gets a person in) or AddOn (parking, merchandise,
    /// upgrades; bought with an admission).
    #[serde(default)]
    pub kind: TierKind,
    /// Price of one unit (one ticket, one table, one add-on).
    pub price: Price,
    /// Units for sale in total. Lowering it below what is sold and held is
    /// refused by the operator (condition Degraded) and changes nothing.
    #[schemars(range(min = 0))]
    pub quantity: i64,
    /// Units one order may take.
    #[serde(default)]
    pub per_order: PerOrder,
    /// When this tier sells; default: the event's on-sale window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_window: Option<SalesWindow>,
    /// Venue section (by name) this tier admits to; default: anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 63))]
    pub section: Option<String>,
    /// Set to sell whole tables: each unit is one table of exactly `seats`
    /// seats, bought, scanned and refunded as one. Fixed once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableUnit>,
    /// Days of the event (from 1) the ticket is valid on; default: every day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 31))]
    pub valid_days: Vec<ValidDay>,
    /// Who can see and buy the tier.
    #[serde(default)]
    pub visibility: Visibility,
    /// Codes that unlock a PromoCode tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    pub promo_codes: Vec<PromoCode>,
}

/// A day number, from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ValidDay(#[schemars(range(min = 1, max = 31))] pub i32);

/// A promo code: letters, digits, `-` and `_`, up to 40 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct PromoCode(
    #[schemars(length(min = 1, max = 40), regex(pattern = r"^[A-Za-z0-9_-]+$"))] pub String,
);

/// What a tier sells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TierKind {
    /// Admits people.
    #[default]
    Admission,
    /// Parking, merchandise, upgrades: bought with an admission.
    AddOn,
}

/// A price in integer minor units (never a float).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    /// Amount in minor units of `currency` (cents for USD, yen for JPY);
    /// 0 for free tickets.
    #[schemars(range(min = 0))]
    pub amount_minor: i64,
    /// ISO 4217 currency; must be the event's currency.
    #[x_kube(validation = Rule::new(crate::common::ISO_4217_RULE).message(crate::common::ISO_4217_MESSAGE))]
    pub currency: String,
}

/// Units per order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.min <= self.max").message("perOrder.min must not exceed perOrder.max"))]
pub struct PerOrder {
    /// Fewest units in one order.
    #[schemars(range(min = 1, max = 1000))]
    pub min: i32,
    /// Most units in one order.
    #[schemars(range(min = 1, max = 1000))]
    pub max: i32,
}

impl Default for PerOrder {
    fn default() -> Self {
        PerOrder { min: 1, max: 10 }
    }
}

/// A tier's own sales window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("!has(self.startsAt) || !has(self.endsAt) || self.startsAt < self.endsAt").message("salesWindow.startsAt must be before salesWindow.endsAt"))]
pub struct SalesWindow {
    /// Sales start; default: the event's onSaleAt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<Time>,
    /// Sales end; default: the event's offSaleAt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<Time>,
}

/// A table sold as one unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TableUnit {
    /// Seats at each table sold by this tier.
    #[schemars(range(min = 1, max = 50))]
    pub seats: i32,
}

/// Who can see a tier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Visibility {
    /// Listed on the event page.
    #[default]
    Public,
    /// Not listed; sold by direct link or at the box office.
    Hidden,
    /// Listed only after a buyer enters one of `promoCodes`.
    PromoCode,
}

/// What the operator observed of a TicketTier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketTierStatus {
    /// The `metadata.generation` this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// `Ready`, `Progressing` and `Degraded`, one of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[x_kube(merge_strategy = ListMerge::Map(vec!["type".into()]))]
    pub conditions: Vec<Condition>,
    /// Units sold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold: Option<i64>,
    /// Units held in carts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<i64>,
    /// Units available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
}
