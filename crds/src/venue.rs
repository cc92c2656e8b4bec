//! `Venue`: where events happen, and how its space is sold.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A venue: its address, time zone, capacity and sections. A section is a
/// general-admission area, a seated section, or a set of tables each sold
/// as one unit.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "sellout.io",
    version = "v1alpha1",
    kind = "Venue",
    doc = "A venue: address, time zone, capacity, and sections (general admission, seated, tables sold whole).",
    namespaced,
    status = "VenueStatus",
    shortname = "ven",
    category = "sellout",
    printcolumn = r#"{"name":"City","type":"string","jsonPath":".spec.address.city"}"#,
    printcolumn = r#"{"name":"Capacity","type":"integer","jsonPath":".spec.capacity"}"#,
    printcolumn = r#"{"name":"Sections","type":"integer","jsonPath":".status.sections"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct VenueSpec {
    /// Name shown to buyers, e.g. "The Roundhouse".
    #[schemars(length(min = 1, max = 120))]
    pub display_name: String,
    /// Postal address.
    pub address: Address,
    /// Location, for maps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
    /// IANA time zone of the venue (e.g. "Europe/London"); event times are
    /// shown to buyers in it.
    #[schemars(
        length(min = 1, max = 64),
        regex(pattern = r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$")
    )]
    pub timezone: String,
    /// Licensed capacity: the most people inside at once. Events cannot
    /// sell more admissions than this.
    #[schemars(range(min = 0))]
    pub capacity: i64,
    /// The sellable areas of the venue, by unique name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 100))]
    #[x_kube(merge_strategy = ListMerge::Map(vec!["name".into()]))]
    pub sections: Vec<Section>,
}

/// A postal address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Street and number.
    #[schemars(length(min = 1, max = 200))]
    pub line1: String,
    /// Second line, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 200))]
    pub line2: Option<String>,
    /// City.
    #[schemars(length(min = 1, max = 100))]
    pub city: String,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. "GB" or "US".
    #[schemars(regex(pattern = r"^[A-Z]{2}$"))]
    pub country: String,
}

/// A point on the map.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Geo {
    /// Latitude in degrees, -90 to 90.
    #[schemars(range(min = -90.0, max = 90.0))]
    pub latitude: f64,
    /// Longitude in degrees, -180 to 180.
    #[schemars(range(min = -180.0, max = 180.0))]
    pub longitude: f64,
}

/// One sellable area. Exactly one of `generalAdmission`, `seated` and
/// `tables` is set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("[has(self.generalAdmission), has(self.seated), has(self.tables)].filter(x, x).size() == 1").message("a section is exactly one of generalAdmission, seated or tables"))]
pub struct Section {
    /// Unique name within the venue, referenced by ticket tiers
    /// (e.g. "floor", "balcony", "vip-tables").
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub name: String,
    /// An unseated area with a capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_admission: Option<GeneralAdmission>,
    /// Individually sold seats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seated: Option<Seated>,
    /// Tables, each sold whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Tables>,
}

/// An unseated area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GeneralAdmission {
    /// How many people the area holds.
    #[schemars(range(min = 1))]
    pub capacity: i64,
}

/// Seats sold one by one: a grid of rows × seats, or explicit labels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("has(self.rows) != (has(self.labels) && size(self.labels) > 0)").message("a seated section has either rows and seatsPerRow, or explicit seat labels"))]
#[x_kube(validation = Rule::new("has(self.rows) == has(self.seatsPerRow)").message("rows and seatsPerRow go together"))]
pub struct Seated {
    /// Number of rows (lettered A, B, … in the seat map).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 200))]
    pub rows: Option<i32>,
    /// Seats in each row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 500))]
    pub seats_per_row: Option<i32>,
    /// Explicit seat labels (e.g. "A1"), for irregular sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 10000))]
    pub labels: Vec<String>,
}

/// Tables, each a single bookable unit of a fixed number of seats (a
/// table of 8 is one purchase, not eight seats).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tables {
    /// Number of tables.
    #[schemars(range(min = 1, max = 1000))]
    pub count: i32,
    /// Seats at each table.
    #[schemars(range(min = 1, max = 50))]
    pub seats_per_table: i32,
}

/// What the operator observed of a Venue.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct VenueStatus {
    /// The `metadata.generation` this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// `Ready`, `Progressing` and `Degraded`, one of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[x_kube(merge_strategy = ListMerge::Map(vec!["type".into()]))]
    pub conditions: Vec<Condition>,
    /// Number of sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<i64>,
    /// Sum of the sections' capacities (seats, table seats, GA places).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_capacity: Option<i64>,
}
