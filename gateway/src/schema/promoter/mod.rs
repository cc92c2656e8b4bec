//! The promoter's part of the schema (Backstage): the organization's
//! events, tiers, venues and members, and the mutations that write them as
//! custom resources by Server-Side Apply (see [`crate::apply`]).
//!
//! Every resolver decides its permission with [`crate::auth::require`] in
//! the organization's namespace: reads need a staff role (SCANNER or
//! higher; members ADMIN), events, tiers and venues ADMIN, members OWNER.

use async_graphql::connection::{Connection, CursorType, Edge, OpaqueCursor};
use async_graphql::{Context, Error, MergedObject, OutputType, SimpleObject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, ObjectMeta};
use kube::Resource;
use serde_json::Value;

use crate::apply::{self, ApplyError, FieldOwner};
use crate::error::{self, gql_error};

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

/// A page cursor: the creation time (seconds) and name of the last item
/// seen. Lists are ordered by creation, then name, so a walk through pages
/// sees every object that existed when it began exactly once, however
/// many are created meanwhile (they sort after it, unless made in the
/// cursor's second with a name before it: then this walk misses them).
pub type PageCursor = OpaqueCursor<(i64, String)>;

/// Items per page when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: usize = 50;
/// Most items one page may ask for.
pub const MAX_PAGE: i32 = 100;

/// The ordering key of an object: creation time, then name.
pub fn creation_key(meta: &ObjectMeta) -> (i64, String) {
    (
        meta.creation_timestamp
            .as_ref()
            .map_or(0, |t| t.0.as_second()),
        meta.name.clone().unwrap_or_default(),
    )
}

/// One page of `items` (any order) by `key`, as a Relay connection.
pub async fn page<T, N>(
    items: Vec<T>,
    key: impl Fn(&T) -> (i64, String),
    node: impl Fn(T) -> N,
    after: Option<String>,
    before: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
) -> Result<Connection<PageCursor, N>, Error>
where
    N: OutputType,
{
    for (arg, cursor) in [("after", &after), ("before", &before)] {
        if let Some(c) = cursor
            && PageCursor::decode_cursor(c).is_err()
        {
            return Err(gql_error(
                error::BAD_REQUEST,
                format!("`{arg}` is not a cursor this list gave out"),
            ));
        }
    }
    for (arg, n) in [("first", first), ("last", last)] {
        if let Some(n) = n
            && !(0..=MAX_PAGE).contains(&n)
        {
            return Err(gql_error(
                error::BAD_REQUEST,
                format!("`{arg}` must be between 0 and {MAX_PAGE}"),
            ));
        }
    }
    async_graphql::connection::query(
        after,
        before,
        first,
        last,
        |after: Option<PageCursor>, before: Option<PageCursor>, first, last| async move {
            let mut items: Vec<((i64, String), T)> =
                items.into_iter().map(|t| (key(&t), t)).collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            let total = items.len();
            let mut start = after.map_or(0, |a| items.partition_point(|(k, _)| *k <= a.0));
            let mut end = before
                .map_or(total, |b| items.partition_point(|(k, _)| *k < b.0))
                .max(start);
            match (first, last) {
                (None, None) => end = end.min(start + DEFAULT_PAGE),
                (first, last) => {
                    if let Some(f) = first {
                        end = end.min(start + f);
                    }
                    if let Some(l) = last {
                        start = start.max(end.saturating_sub(l));
                    }
                }
            }
            let mut connection = Connection::new(start > 0, end < total);
            connection.edges.extend(
                items
                    .into_iter()
                    .skip(start)
                    .take(end - start)
                    .map(|(k, t)| Edge::new(OpaqueCursor(k), node(t))),
            );
            Ok::<_, Error>(connection)
        },
    )
    .await
}

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
