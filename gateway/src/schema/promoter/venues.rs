//! Venues: create and update (ADMIN), and the promoter's view of a venue.

use std::sync::Arc;

use async_graphql::{Context, Error, InputObject, MaybeUndefined, Object, SimpleObject};
use sellout_crds::Venue;
use sellout_crds::organization::Role;
use serde_json::{Value, json};

use super::{ConditionView, FieldOwnerView, clear, condition, set, spec_owners, writer};
use crate::apply::check_name;
use crate::auth;

/// Longest Venue name.
pub const MAX_VENUE_NAME: usize = 63;

/// A postal address.
#[derive(InputObject, Clone)]
pub struct AddressInput {
    /// Street and number.
    pub line1: String,
    /// Second line.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// State, province or region.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. "GB".
    pub country: String,
}

/// A point on the map.
#[derive(InputObject, Clone)]
pub struct GeoInput {
    /// Latitude in degrees, -90 to 90.
    pub latitude: f64,
    /// Longitude in degrees, -180 to 180.
    pub longitude: f64,
}

/// An unseated area.
#[derive(InputObject, Clone)]
pub struct GeneralAdmissionInput {
    /// How many people it holds.
    pub capacity: i64,
}

/// Seats sold one by one: `rows` × `seatsPerRow`, or explicit `labels`.
#[derive(InputObject, Clone)]
pub struct SeatedInput {
    /// Number of rows.
    pub rows: Option<i32>,
    /// Seats in each row.
    pub seats_per_row: Option<i32>,
    /// Explicit seat labels (e.g. "A1").
    pub labels: Option<Vec<String>>,
}

/// Tables, each sold whole.
#[derive(InputObject, Clone)]
pub struct TablesInput {
    /// Number of tables.
    pub count: i32,
    /// Seats at each table.
    pub seats_per_table: i32,
}

/// A sellable area of a venue: exactly one of `generalAdmission`,
/// `seated` and `tables`.
#[derive(InputObject, Clone)]
pub struct SectionInput {
    /// Unique name within the venue (lower-case letters, digits, `-`),
    /// referenced by tiers' `section`.
    pub name: String,
    /// An unseated area.
    pub general_admission: Option<GeneralAdmissionInput>,
    /// Individually sold seats.
    pub seated: Option<SeatedInput>,
    /// Tables sold whole.
    pub tables: Option<TablesInput>,
}

/// A new venue.
#[derive(InputObject)]
pub struct CreateVenueInput {
    /// The Venue's name in the organization's namespace (lower-case
    /// letters, digits and `-`). Fixed.
    pub name: String,
    /// Name shown to buyers.
    pub display_name: String,
    /// Postal address.
    pub address: AddressInput,
    /// Location, for maps.
    pub geo: Option<GeoInput>,
    /// IANA time zone, e.g. "Europe/London".
    pub timezone: String,
    /// Licensed capacity: the most people inside at once.
    pub capacity: i64,
    /// Sellable areas.
    pub sections: Option<Vec<SectionInput>>,
}

/// Changes to a venue: only the fields given are written; `null` clears an
/// optional one. Fields owned by another field manager are refused with
/// CONFLICT unless forced.
#[derive(InputObject, Default)]
pub struct UpdateVenueInput {
    /// Name shown to buyers.
    pub display_name: Option<String>,
    /// The whole postal address (replaces the one set here).
    pub address: Option<AddressInput>,
    /// Location; `null` clears it.
    pub geo: MaybeUndefined<GeoInput>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Licensed capacity.
    pub capacity: Option<i64>,
    /// The sections managed here (replaces them; sections another field
    /// manager set stay).
    pub sections: Option<Vec<SectionInput>>,
}

fn address(a: &AddressInput) -> Value {
    let mut v = json!({"line1": a.line1, "city": a.city, "country": a.country});
    let obj = v.as_object_mut().expect("a JSON object");
    for (k, x) in [
        ("line2", &a.line2),
        ("region", &a.region),
        ("postalCode", &a.postal_code),
    ] {
        if let Some(x) = x {
            obj.insert(k.into(), json!(x));
        }
    }
    v
}

fn geo(g: &GeoInput) -> Value {
    json!({"latitude": g.latitude, "longitude": g.longitude})
}

fn sections(sections: &[SectionInput]) -> Value {
    Value::Array(
        sections
            .iter()
            .map(|s| {
                let mut v = json!({"name": s.name});
                let obj = v.as_object_mut().expect("a JSON object");
                if let Some(ga) = &s.general_admission {
                    obj.insert("generalAdmission".into(), json!({"capacity": ga.capacity}));
                }
                if let Some(seated) = &s.seated {
                    let mut x = serde_json::Map::new();
                    if let Some(r) = seated.rows {
                        x.insert("rows".into(), json!(r));
                    }
                    if let Some(r) = seated.seats_per_row {
                        x.insert("seatsPerRow".into(), json!(r));
                    }
                    if let Some(l) = &seated.labels {
                        x.insert("labels".into(), json!(l));
                    }
                    obj.insert("seated".into(), Value::Object(x));
                }
                if let Some(t) = &s.tables {
                    obj.insert(
                        "tables".into(),
                        json!({"count": t.count, "seatsPerTable": t.seats_per_table}),
                    );
                }
                v
            })
            .collect(),
    )
}

impl CreateVenueInput {
    fn spec(&self) -> Value {
        let mut spec = json!({
            "displayName": self.display_name,
            "address": address(&self.address),
            "timezone": self.timezone,
            "capacity": self.capacity,
        });
        let obj = spec.as_object_mut().expect("a JSON object");
        if let Some(g) = &self.geo {
            obj.insert("geo".into(), geo(g));
        }
        if let Some(s) = &self.sections {
            obj.insert("sections".into(), sections(s));
        }
        spec
    }
}

/// Venue mutations (ADMIN or higher in the organization).
#[derive(Default)]
pub struct VenueMutation;

#[Object]
impl VenueMutation {
    /// Creates a venue, as the Venue resource `<name>` written by
    /// Server-Side Apply. Needs ADMIN.
    async fn create_venue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The venue.")] input: CreateVenueInput,
    ) -> Result<PromoterVenue, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        check_name("venue", &input.name, MAX_VENUE_NAME)?;
        let venue = writer::<Venue>(ctx, &organization)?
            .create(&input.name, input.spec())
            .await?;
        Ok(PromoterVenue(Arc::new(venue)))
    }

    /// Changes the fields of `input` that are given. A field owned by
    /// another field manager (GitOps) is refused with CONFLICT naming it,
    /// unless `force` is true. Needs ADMIN.
    async fn update_venue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The venue's name.")] name: String,
        #[graphql(desc = "What to change.")] input: UpdateVenueInput,
        #[graphql(
            default_with = "Some(false)",
            desc = "Take over fields other field managers own instead of failing with CONFLICT."
        )]
        force: Option<bool>,
    ) -> Result<PromoterVenue, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        let venue = writer::<Venue>(ctx, &organization)?
            .update(&name, force.unwrap_or(false), |live, body| {
                let i = &input;
                if let Some(v) = &i.display_name {
                    set(body, "displayName", v)?;
                }
                if let Some(a) = &i.address {
                    set(body, "address", address(a))?;
                }
                match &i.geo {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => clear(live, body, "geo")?,
                    MaybeUndefined::Value(g) => set(body, "geo", geo(g))?,
                }
                if let Some(v) = &i.timezone {
                    set(body, "timezone", v)?;
                }
                if let Some(v) = i.capacity {
                    set(body, "capacity", v)?;
                }
                if let Some(s) = &i.sections {
                    set(body, "sections", sections(s))?;
                }
                Ok(())
            })
            .await?;
        Ok(PromoterVenue(Arc::new(venue)))
    }
}

/// A venue as its promoter sees it.
pub struct PromoterVenue(pub Arc<Venue>);

/// A postal address.
#[derive(SimpleObject)]
pub struct AddressView {
    /// Street and number.
    pub line1: String,
    /// Second line.
    pub line2: Option<String>,
    /// City.
    pub city: String,
    /// State, province or region.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

/// A point on the map.
#[derive(SimpleObject)]
pub struct GeoView {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
}

/// A sellable area of a venue (one of the three kinds is set).
#[derive(SimpleObject)]
pub struct SectionView {
    /// Unique name within the venue.
    pub name: String,
    /// People an unseated area holds.
    pub general_admission_capacity: Option<i64>,
    /// Rows of a seated section laid out as a grid.
    pub rows: Option<i32>,
    /// Seats per row of such a grid.
    pub seats_per_row: Option<i32>,
    /// Seat labels of an irregular seated section.
    pub seat_labels: Vec<String>,
    /// Number of tables of a tables section.
    pub tables: Option<i32>,
    /// Seats at each of those tables.
    pub seats_per_table: Option<i32>,
}

/// What the operator reports of a venue.
#[derive(SimpleObject)]
pub struct VenueStatusView {
    /// The `Ready` condition.
    pub ready: Option<ConditionView>,
    /// Every condition.
    pub conditions: Vec<ConditionView>,
    /// Sum of the sections' capacities.
    pub section_capacity: Option<i64>,
}

#[Object]
impl PromoterVenue {
    /// The Venue's name.
    async fn name(&self) -> &str {
        self.0.metadata.name.as_deref().unwrap_or_default()
    }

    /// Name shown to buyers.
    async fn display_name(&self) -> &str {
        &self.0.spec.display_name
    }

    /// Postal address.
    async fn address(&self) -> AddressView {
        let a = &self.0.spec.address;
        AddressView {
            line1: a.line1.clone(),
            line2: a.line2.clone(),
            city: a.city.clone(),
            region: a.region.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
        }
    }

    /// Location.
    async fn geo(&self) -> Option<GeoView> {
        self.0.spec.geo.as_ref().map(|g| GeoView {
            latitude: g.latitude,
            longitude: g.longitude,
        })
    }

    /// IANA time zone.
    async fn timezone(&self) -> &str {
        &self.0.spec.timezone
    }

    /// Licensed capacity.
    async fn capacity(&self) -> i64 {
        self.0.spec.capacity
    }

    /// Sellable areas.
    async fn sections(&self) -> Vec<SectionView> {
        self.0
            .spec
            .sections
            .iter()
            .map(|s| SectionView {
                name: s.name.clone(),
                general_admission_capacity: s.general_admission.as_ref().map(|g| g.capacity),
                rows: s.seated.as_ref().and_then(|x| x.rows),
                seats_per_row: s.seated.as_ref().and_then(|x| x.seats_per_row),
                seat_labels: s
                    .seated
                    .as_ref()
                    .map(|x| x.labels.clone())
                    .unwrap_or_default(),
                tables: s.tables.as_ref().map(|t| t.count),
                seats_per_table: s.tables.as_ref().map(|t| t.seats_per_table),
            })
            .collect()
    }

    /// What the operator reports.
    async fn status(&self) -> VenueStatusView {
        let s = self.0.status.clone().unwrap_or_default();
        VenueStatusView {
            ready: condition(&s.conditions, "Ready"),
            conditions: s.conditions.iter().map(ConditionView::from).collect(),
            section_capacity: s.section_capacity,
        }
    }

    /// Who set each field of the spec.
    async fn field_owners(&self) -> Vec<FieldOwnerView> {
        spec_owners(self.0.as_ref())
    }
}
