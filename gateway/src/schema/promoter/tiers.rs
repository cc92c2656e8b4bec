//! Ticket tiers: create, update, delete (ADMIN), and the promoter's view
//! of a tier.

use std::sync::Arc;

use async_graphql::{Context, Enum, Error, InputObject, MaybeUndefined, Object, SimpleObject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use sellout_crds::TicketTier;
use sellout_crds::organization::Role;
use serde_json::{Map, Value, json};

use super::{ConditionView, FieldOwnerView, clear, condition, set, spec_owners, writer};
use crate::apply::{ApplyError, check_name};
use crate::auth;
use crate::error::{self, gql_error, unavailable};
use crate::schema::Deps;

/// Longest TicketTier name.
pub const MAX_TIER_NAME: usize = 63;

/// What a tier sells.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "sellout_crds::tier::TierKind")]
pub enum TierKind {
    /// Admits people.
    #[default]
    Admission,
    /// Parking, merchandise, upgrades: bought with an admission.
    AddOn,
}

/// Who can see and buy a tier.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "sellout_crds::tier::Visibility")]
pub enum Visibility {
    /// Listed on the event page.
    #[default]
    Public,
    /// Not listed; sold by direct link or at the box office.
    Hidden,
    /// Listed only after a buyer enters one of `promoCodes`.
    PromoCode,
}

/// A price in integer minor units.
#[derive(InputObject, Clone)]
pub struct PriceInput {
    /// Amount in minor units (cents for USD); 0 for free tickets.
    pub amount_minor: i64,
    /// ISO 4217 currency; default and required: the event's currency.
    pub currency: Option<String>,
}

/// Units one order may take.
#[derive(InputObject, Clone)]
pub struct PerOrderInput {
    /// Fewest (1 to 1000).
    pub min: i32,
    /// Most (1 to 1000, at least `min`).
    pub max: i32,
}

/// A tier's own sales window; an end left out is the event's.
#[derive(InputObject, Clone)]
pub struct SalesWindowInput {
    /// Sales start; default: the event's onSaleAt.
    pub starts_at: Option<Timestamp>,
    /// Sales end; default: the event's offSaleAt.
    pub ends_at: Option<Timestamp>,
}

/// A new ticket tier of an event.
#[derive(InputObject)]
pub struct CreateTicketTierInput {
    /// The TicketTier's name in the organization's namespace (lower-case
    /// letters, digits and `-`); buyers hold tickets by it. Fixed.
    pub name: String,
    /// The event's name. Fixed.
    pub event: String,
    /// Name shown to buyers, e.g. "General admission".
    pub display_name: String,
    /// Admission (default) or AddOn.
    #[graphql(default)]
    pub kind: TierKind,
    /// Price of one unit (one ticket, table or add-on).
    pub price: PriceInput,
    /// Units for sale in total.
    pub quantity: i64,
    /// Units per order; default 1 to 10.
    pub per_order: Option<PerOrderInput>,
    /// Its own sales window; default: the event's.
    pub sales_window: Option<SalesWindowInput>,
    /// Venue section it admits to; default: anywhere.
    pub section: Option<String>,
    /// Set to sell whole tables of this many seats (a unit is a table).
    /// Fixed.
    pub table_seats: Option<i32>,
    /// Days of the event (from 1) it is valid on; default: every day.
    pub valid_days: Option<Vec<i32>>,
    /// Who sees it (default PUBLIC).
    #[graphql(default)]
    pub visibility: Visibility,
    /// Codes that unlock a PROMO_CODE tier.
    pub promo_codes: Option<Vec<String>>,
}

/// Changes to a tier: only the fields given are written; `null` clears an
/// optional one. Fields owned by another field manager are refused with
/// CONFLICT unless forced.
#[derive(InputObject, Default)]
pub struct UpdateTicketTierInput {
    /// Name shown to buyers.
    pub display_name: Option<String>,
    /// Admission or AddOn.
    pub kind: Option<TierKind>,
    /// Price of one unit (`currency` left out: unchanged).
    pub price: Option<PriceInput>,
    /// Units for sale in total (not below what is sold and held).
    pub quantity: Option<i64>,
    /// Units per order.
    pub per_order: Option<PerOrderInput>,
    /// Its own sales window; `null`: the event's.
    pub sales_window: MaybeUndefined<SalesWindowInput>,
    /// Venue section; `null`: anywhere.
    pub section: MaybeUndefined<String>,
    /// Valid days (replaces them); empty: every day.
    pub valid_days: Option<Vec<i32>>,
    /// Who sees it. HIDDEN takes a tier off the event page without
    /// deleting it.
    pub visibility: Option<Visibility>,
    /// Codes that unlock a PROMO_CODE tier (replaces them).
    pub promo_codes: Option<Vec<String>>,
}

fn window(w: &SalesWindowInput) -> Value {
    let mut m = Map::new();
    if let Some(t) = w.starts_at {
        m.insert("startsAt".into(), json!(Time(t)));
    }
    if let Some(t) = w.ends_at {
        m.insert("endsAt".into(), json!(Time(t)));
    }
    Value::Object(m)
}

impl CreateTicketTierInput {
    /// The spec fields this input sets; `currency` is the event's.
    fn spec(&self, currency: &str) -> Value {
        let mut spec = json!({
            "eventRef": {"name": self.event},
            "displayName": self.display_name,
            "kind": sellout_crds::tier::TierKind::from(self.kind),
            "price": {"amountMinor": self.price.amount_minor,
                      "currency": self.price.currency.as_deref().unwrap_or(currency)},
            "quantity": self.quantity,
            "visibility": sellout_crds::tier::Visibility::from(self.visibility),
        });
        let obj = spec.as_object_mut().expect("a JSON object");
        if let Some(p) = &self.per_order {
            obj.insert("perOrder".into(), json!({"min": p.min, "max": p.max}));
        }
        if let Some(w) = &self.sales_window {
            obj.insert("salesWindow".into(), window(w));
        }
        if let Some(s) = &self.section {
            obj.insert("section".into(), json!(s));
        }
        if let Some(seats) = self.table_seats {
            obj.insert("table".into(), json!({"seats": seats}));
        }
        if let Some(d) = &self.valid_days {
            obj.insert("validDays".into(), json!(d));
        }
        if let Some(c) = &self.promo_codes {
            obj.insert("promoCodes".into(), json!(c));
        }
        spec
    }
}

/// Tier mutations (ADMIN or higher in the organization).
#[derive(Default)]
pub struct TierMutation;

#[Object]
impl TierMutation {
    /// Creates a ticket tier of an event, as the TicketTier resource
    /// `<name>` written by Server-Side Apply. Needs ADMIN.
    async fn create_ticket_tier(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The tier.")] input: CreateTicketTierInput,
    ) -> Result<PromoterTier, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        check_name("ticket tier", &input.name, MAX_TIER_NAME)?;
        let deps = ctx.data::<Deps>()?;
        let event = deps
            .catalog
            .event(&organization, &input.event)
            .await
            .map_err(|e| unavailable("the catalog", e))?
            .ok_or_else(|| {
                gql_error(
                    error::NOT_FOUND,
                    format!(
                        "no event {:?} in organization {organization:?}: create it first (createEvent)",
                        input.event
                    ),
                )
            })?;
        let tier = writer::<TicketTier>(ctx, &organization)?
            .create(&input.name, input.spec(&event.spec.currency))
            .await?;
        Ok(PromoterTier(Arc::new(tier)))
    }

    /// Changes the fields of `input` that are given. A field owned by
    /// another field manager (GitOps) is refused with CONFLICT naming it,
    /// unless `force` is true. Needs ADMIN.
    async fn update_ticket_tier(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The tier's name.")] name: String,
        #[graphql(desc = "What to change.")] input: UpdateTicketTierInput,
        #[graphql(
            default_with = "Some(false)",
            desc = "Take over fields other field managers own instead of failing with CONFLICT."
        )]
        force: Option<bool>,
    ) -> Result<PromoterTier, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        let tier = writer::<TicketTier>(ctx, &organization)?
            .update(&name, force.unwrap_or(false), |live, body| {
                let i = &input;
                if let Some(v) = &i.display_name {
                    set(body, "displayName", v)?;
                }
                if let Some(v) = i.kind {
                    set(body, "kind", sellout_crds::tier::TierKind::from(v))?;
                }
                if let Some(p) = &i.price {
                    // Price is a struct: its two fields are owned apart.
                    let spec = crate::apply::spec_mut(body);
                    let price = spec.entry("price").or_insert_with(|| json!({}));
                    price["amountMinor"] = json!(p.amount_minor);
                    if let Some(c) = &p.currency {
                        price["currency"] = json!(c);
                    }
                }
                if let Some(v) = i.quantity {
                    set(body, "quantity", v)?;
                }
                if let Some(p) = &i.per_order {
                    set(body, "perOrder", json!({"min": p.min, "max": p.max}))?;
                }
                match &i.sales_window {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => clear(live, body, "salesWindow")?,
                    MaybeUndefined::Value(w) => set(body, "salesWindow", window(w))?,
                }
                match &i.section {
                    MaybeUndefined::Undefined => {}
                    MaybeUndefined::Null => clear(live, body, "section")?,
                    MaybeUndefined::Value(s) => set(body, "section", s)?,
                }
                if let Some(v) = &i.valid_days {
                    set(body, "validDays", v)?;
                }
                if let Some(v) = i.visibility {
                    set(body, "visibility", sellout_crds::tier::Visibility::from(v))?;
                }
                if let Some(v) = &i.promo_codes {
                    set(body, "promoCodes", v)?;
                }
                Ok(())
            })
            .await?;
        Ok(PromoterTier(Arc::new(tier)))
    }

    /// Deletes a tier that has sold nothing and holds nothing; a tier with
    /// sales is hidden instead (`updateTicketTier` with visibility HIDDEN),
    /// so its tickets stay valid. A tier another field manager (GitOps)
    /// also manages is refused with CONFLICT unless `force` is true (GitOps
    /// would make it again). Needs ADMIN. True when deleted.
    async fn delete_ticket_tier(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The tier's name.")] name: String,
        #[graphql(
            default_with = "Some(false)",
            desc = "Delete even though another field manager also manages the tier."
        )]
        force: Option<bool>,
    ) -> Result<bool, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        writer::<TicketTier>(ctx, &organization)?
            .delete(&name, force.unwrap_or(false), |live| {
                let s = live.object.status.clone().unwrap_or_default();
                let (sold, held) = (s.sold.unwrap_or(0), s.held.unwrap_or(0));
                if sold > 0 || held > 0 {
                    return Err(ApplyError::refused(
                        error::BAD_REQUEST,
                        format!(
                            "tier {name:?} has {sold} sold and {held} held: hide it instead (updateTicketTier with visibility: HIDDEN)"
                        ),
                    ));
                }
                Ok(())
            })
            .await?;
        Ok(true)
    }
}

/// A ticket tier as its promoter sees it.
pub struct PromoterTier(pub Arc<TicketTier>);

/// Units per order.
#[derive(SimpleObject)]
pub struct PerOrderView {
    /// Fewest.
    pub min: i32,
    /// Most.
    pub max: i32,
}

/// A tier's own sales window.
#[derive(SimpleObject)]
pub struct SalesWindowView {
    /// Sales start (null: the event's onSaleAt).
    pub starts_at: Option<Timestamp>,
    /// Sales end (null: the event's offSaleAt).
    pub ends_at: Option<Timestamp>,
}

/// What the operator reports of a tier.
#[derive(SimpleObject)]
pub struct TierStatusView {
    /// The `Ready` condition.
    pub ready: Option<ConditionView>,
    /// Every condition.
    pub conditions: Vec<ConditionView>,
    /// Units sold.
    pub sold: Option<i64>,
    /// Units held in carts.
    pub held: Option<i64>,
    /// Units available.
    pub available: Option<i64>,
}

#[Object]
impl PromoterTier {
    /// The TicketTier's name.
    async fn name(&self) -> &str {
        self.0.metadata.name.as_deref().unwrap_or_default()
    }

    /// The event's name.
    async fn event(&self) -> &str {
        &self.0.spec.event_ref.name
    }

    /// Name shown to buyers.
    async fn display_name(&self) -> &str {
        &self.0.spec.display_name
    }

    /// Admission or AddOn.
    async fn kind(&self) -> TierKind {
        self.0.spec.kind.into()
    }

    /// Price of one unit in minor units of `currency`.
    async fn price_minor(&self) -> i64 {
        self.0.spec.price.amount_minor
    }

    /// ISO 4217 currency.
    async fn currency(&self) -> &str {
        &self.0.spec.price.currency
    }

    /// Units for sale in total.
    async fn quantity(&self) -> i64 {
        self.0.spec.quantity
    }

    /// Units per order.
    async fn per_order(&self) -> PerOrderView {
        PerOrderView {
            min: self.0.spec.per_order.min,
            max: self.0.spec.per_order.max,
        }
    }

    /// Its own sales window (null: the event's).
    async fn sales_window(&self) -> Option<SalesWindowView> {
        self.0.spec.sales_window.as_ref().map(|w| SalesWindowView {
            starts_at: w.starts_at.as_ref().map(|t| t.0),
            ends_at: w.ends_at.as_ref().map(|t| t.0),
        })
    }

    /// Venue section it admits to (null: anywhere).
    async fn section(&self) -> Option<&str> {
        self.0.spec.section.as_deref()
    }

    /// Seats per table, for a tier selling whole tables.
    async fn table_seats(&self) -> Option<i32> {
        self.0.spec.table.as_ref().map(|t| t.seats)
    }

    /// Days (from 1) it is valid on; empty: every day.
    async fn valid_days(&self) -> Vec<i32> {
        self.0.spec.valid_days.iter().map(|d| d.0).collect()
    }

    /// Who sees it.
    async fn visibility(&self) -> Visibility {
        self.0.spec.visibility.into()
    }

    /// Codes that unlock it.
    async fn promo_codes(&self) -> Vec<String> {
        self.0
            .spec
            .promo_codes
            .iter()
            .map(|c| c.0.clone())
            .collect()
    }

    /// What the operator reports.
    async fn status(&self) -> TierStatusView {
        let s = self.0.status.clone().unwrap_or_default();
        TierStatusView {
            ready: condition(&s.conditions, "Ready"),
            conditions: s.conditions.iter().map(ConditionView::from).collect(),
            sold: s.sold,
            held: s.held,
            available: s.available,
        }
    }

    /// Who set each field of the spec.
    async fn field_owners(&self) -> Vec<FieldOwnerView> {
        spec_owners(self.0.as_ref())
    }
}
