//! The promoter's part of the schema (Backstage): the organization's
//! events, tiers, venues and members, and the mutations that write them as
//! custom resources by Server-Side Apply (see [`crate::apply`]).
//!
//! Every resolver decides its permission with [`crate::auth::require`] in
//! the organization's namespace: reads need a staff role (SCANNER or
//! higher; members ADMIN), events, tiers and venues ADMIN, members OWNER.

use async_graphql::{Context, Error, MergedObject, SimpleObject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::Resource;
use serde_json::Value;

use crate::apply::{self, ApplyError, FieldOwner};

pub mod events;
pub mod members;
pub mod organization;
pub mod tiers;
pub mod venues;

/// The promoter's queries.
#[derive(MergedObject, Default)]
pub struct PromoterQuery(organization::OrganizationQuery);

/// The promoter's mutations.
#[derive(MergedObject, Default)]
pub struct PromoterMutation(
    events::EventMutation,
    tiers::TierMutation,
    venues::VenueMutation,
    members::MemberMutation,
);

/// Roles in the schema: one GraphQL `Role` enum, defined with `me`.
pub use crate::auth::schema::RoleView as RoleKind;

/// Who owns a field of a resource: the field manager that last set it.
/// `sellout-gateway` is Backstage; anything else (`gitops`,
/// `kubectl-client-side-apply`, …) means the field is managed elsewhere,
/// and an edit here is refused with CONFLICT unless forced.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "FieldOwner")]
pub struct FieldOwnerView {
    /// The field's path as the API server writes it, e.g. `.spec.title` or
    /// `.spec.sections[name="floor"].generalAdmission.capacity`.
    pub field: String,
    /// The field manager, e.g. `sellout-gateway`, `gitops`,
    /// `kubectl-client-side-apply`.
    pub manager: String,
    /// `Apply` (Server-Side Apply) or `Update` (`kubectl edit`, client-side
    /// `kubectl apply`, other writes).
    pub operation: String,
    /// Whether the manager is the gateway (an edit made in Backstage).
    pub by_gateway: bool,
}

impl From<FieldOwner> for FieldOwnerView {
    fn from(o: FieldOwner) -> Self {
        FieldOwnerView {
            by_gateway: o.manager == apply::MANAGER,
            field: o.field,
            manager: o.manager,
            operation: o.operation,
        }
    }
}

/// The owners of the `.spec` fields of an object.
pub fn spec_owners<K: Resource + serde::Serialize>(object: &K) -> Vec<FieldOwnerView> {
    owners_under(object, ".spec")
}

/// The owners of the fields under `path` of an object.
pub fn owners_under<K: Resource + serde::Serialize>(object: &K, path: &str) -> Vec<FieldOwnerView> {
    let managed: Vec<Value> = object
        .meta()
        .managed_fields
        .iter()
        .flatten()
        .filter_map(|m| serde_json::to_value(m).ok())
        .collect();
    apply::field_owners(&managed, path)
        .into_iter()
        .map(Into::into)
        .collect()
}

/// A status condition reported by the operator.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Condition")]
pub struct ConditionView {
    /// `Ready`, `Progressing` or `Degraded`.
    #[graphql(name = "type")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// A CamelCase reason, e.g. `Reconciled` or `VenueNotFound`.
    pub reason: String,
    /// What it means, and for problems what to do.
    pub message: String,
    /// When the status last flipped (RFC 3339).
    pub last_transition_time: String,
    /// The `metadata.generation` the condition describes.
    pub observed_generation: Option<i64>,
}

impl From<&Condition> for ConditionView {
    fn from(c: &Condition) -> Self {
        ConditionView {
            type_: c.type_.clone(),
            status: c.status.clone(),
            reason: c.reason.clone(),
            message: c.message.clone(),
            last_transition_time: c.last_transition_time.0.to_string(),
            observed_generation: c.observed_generation,
        }
    }
}

/// The condition `type_` among `conditions`.
pub fn condition(conditions: &[Condition], type_: &str) -> Option<ConditionView> {
    conditions
        .iter()
        .find(|c| c.type_ == type_)
        .map(ConditionView::from)
}

pub use super::paging::{PageCursor, creation_key, page};

/// The Kubernetes client and the namespace's writer of kind `K`.
pub fn writer<K>(ctx: &Context<'_>, namespace: &str) -> Result<apply::Writer<K>, Error>
where
    K: Resource<DynamicType = (), Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + serde::de::DeserializeOwned
        + serde::Serialize
        + std::fmt::Debug,
{
    let deps = ctx.data::<super::Deps>()?;
    Ok(apply::Writer::new(deps.kube.clone(), namespace))
}

/// Sets `field` of the apply body's spec to `value`.
pub fn set(body: &mut Value, field: &str, value: impl serde::Serialize) -> Result<(), ApplyError> {
    let v = serde_json::to_value(value).map_err(|e| ApplyError::Unavailable(e.to_string()))?;
    apply::spec_mut(body).insert(field.to_owned(), v);
    Ok(())
}

/// Removes `field` from the apply body's spec (the gateway stops setting
/// it); refused when another manager sets it too, as it would stay.
pub fn clear<K>(live: &apply::Live<K>, body: &mut Value, field: &str) -> Result<(), ApplyError> {
    let others = live.others_under(&format!(".spec.{field}"));
    if !others.is_empty() {
        return Err(ApplyError::Kept(others));
    }
    apply::spec_mut(body).remove(field);
    Ok(())
}
