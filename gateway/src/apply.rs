//! Writes of the custom resources promoters edit (Events, TicketTiers,
//! Venues, an Organization's members), by Server-Side Apply as field
//! manager `sellout-gateway`, and what the API server answers, as GraphQL
//! errors with stable codes.
//!
//! The rules (see also `docs/gateway.md`, "Promoter mutations and GitOps"):
//! - An apply is never forced unless the caller asks (`force: true`), so a
//!   field another manager owns (GitOps' `kubectl apply --server-side`, a
//!   client-side `kubectl apply` or `kubectl edit`) is reported as a
//!   conflict naming the field and its owner, not overwritten.
//! - The gateway applies exactly the fields it owns (read from the live
//!   object's `managedFields`) plus the ones the mutation sets. Server-Side
//!   Apply removes a field its manager stops applying, so applying only the
//!   changed fields would delete the rest of what the gateway set; fields
//!   it does not own are never sent, so they stay with their owners.
//! - Updates carry the object's `uid` and `resourceVersion`: an update never
//!   creates an object, and a change made between the read and the write is
//!   re-read and applied again (up to three times) instead of lost.
//! - Creates carry `resourceVersion: "1"`, a version no stored object has,
//!   so an apply that would otherwise merge into an existing object of the
//!   same name fails instead (the API server creates an object that does
//!   not exist whatever resourceVersion the apply names).
//! - Nothing is written when the API server refuses: each apply is one
//!   atomic request.

use std::fmt::Write as _;

use async_graphql::{Error, ErrorExtensions};
use k8s_openapi::NamespaceResourceScope;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, Patch, PatchParams, Preconditions};
use kube::core::Status;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::error::{self, gql_error};

/// The gateway's field manager.
pub const MANAGER: &str = sellout_crds::FIELD_MANAGER_GATEWAY;

/// Attempts of an update whose object changed between read and write.
const ATTEMPTS: usize = 3;

/// A field of an object and the field manager that owns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldOwner {
    /// The field's path as the API server writes it (`.spec.title`,
    /// `.spec.sections[name="floor"].generalAdmission.capacity`).
    pub field: String,
    /// The field manager (`sellout-gateway`, `gitops`,
    /// `kubectl-client-side-apply`, …).
    pub manager: String,
    /// `Apply` (Server-Side Apply) or `Update` (any other write).
    pub operation: String,
}

/// A field another manager owns, met by an apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The field's path (`.spec.title`).
    pub field: String,
    /// Who owns it.
    pub manager: String,
}

/// One reason the API server gave for refusing an object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The field's path (`spec`, `spec.days[0]`); empty when the API
    /// server named none.
    pub field: String,
    /// The API server's message (for a CEL rule, the rule's message).
    pub message: String,
}

/// Why a write did not happen.
/// (Deliberately not `Display`: async-graphql turns any `Display` into an
/// error without a code, so `?` would lose it; this converts with its code.)
#[derive(Debug)]
pub enum ApplyError {
    /// Fields the write sets are owned by other field managers.
    Conflict(Vec<Conflict>),
    /// Fields (or list entries) to remove are also set by other field
    /// managers, so removing them here would leave them in place.
    Kept(Vec<Conflict>),
    /// The API server's validation (OpenAPI schema, CEL rules) refused it.
    Invalid {
        /// The API server's message.
        message: String,
        /// Each refused field.
        causes: Vec<Cause>,
    },
    /// A create met an object of the same name.
    Exists {
        /// The kind.
        kind: String,
        /// The name.
        name: String,
    },
    /// No such object.
    NotFound {
        /// The kind.
        kind: String,
        /// The name.
        name: String,
    },
    /// The API server refused the gateway's own service account.
    Denied(String),
    /// Refused by the gateway before anything was sent.
    Refused {
        /// A stable code from [`crate::error`].
        code: &'static str,
        /// What to fix.
        message: String,
    },
    /// The API server could not be reached or failed.
    Unavailable(String),
}

impl ApplyError {
    /// A refusal with `code` and `message`.
    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        ApplyError::Refused {
            code,
            message: message.into(),
        }
    }

    /// What the caller is told.
    pub fn message(&self) -> String {
        match self {
            ApplyError::Conflict(c) => conflict_message(c),
            ApplyError::Kept(c) => kept_message(c),
            ApplyError::Invalid { message, .. } | ApplyError::Refused { message, .. } => {
                message.clone()
            }
            ApplyError::Exists { kind, name } => {
                format!("{kind} {name:?} already exists in this organization: pick another name")
            }
            ApplyError::NotFound { kind, name } => {
                format!("no {kind} named {name:?} in this organization")
            }
            ApplyError::Denied(m) => format!(
                "the API server does not let the gateway's service account do this ({m}); a cluster administrator must grant it"
            ),
            ApplyError::Unavailable(m) => format!("the API server is unavailable: {m}"),
        }
    }

    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            ApplyError::Conflict(_) | ApplyError::Kept(_) | ApplyError::Exists { .. } => {
                error::CONFLICT
            }
            ApplyError::Invalid { .. } => error::INVALID,
            ApplyError::NotFound { .. } => error::NOT_FOUND,
            ApplyError::Denied(_) => error::FORBIDDEN,
            ApplyError::Refused { code, .. } => code,
            ApplyError::Unavailable(_) => error::UNAVAILABLE,
        }
    }
}

fn conflict_message(conflicts: &[Conflict]) -> String {
    let mut m = String::from("not changed: ");
    let list: Vec<String> = conflicts
        .iter()
        .map(|c| format!("{} is owned by field manager {:?}", c.field, c.manager))
        .collect();
    m.push_str(&list.join(", "));
    m.push_str(
        ". Change it where it is managed (e.g. in Git), or repeat with `force: true` to take it over",
    );
    m
}

fn kept_message(conflicts: &[Conflict]) -> String {
    let list: Vec<String> = conflicts
        .iter()
        .map(|c| format!("{} is set by field manager {:?}", c.field, c.manager))
        .collect();
    format!(
        "not changed: {}, so removing it here would leave it in place. Remove it where it is managed (e.g. in Git)",
        list.join(", ")
    )
}

impl From<ApplyError> for Error {
    fn from(e: ApplyError) -> Self {
        let code = e.code();
        let base = gql_error(code, e.message());
        match e {
            ApplyError::Conflict(conflicts) | ApplyError::Kept(conflicts) => {
                base.extend_with(|_, ext| {
                    ext.set(
                        "conflicts",
                        async_graphql::Value::from_json(json!(conflicts)).unwrap_or_default(),
                    );
                })
            }
            ApplyError::Invalid { causes, .. } => base.extend_with(|_, ext| {
                ext.set(
                    "causes",
                    async_graphql::Value::from_json(json!(causes)).unwrap_or_default(),
                );
            }),
            _ => base,
        }
    }
}

/// What the API server's refusal of an apply means.
#[derive(Debug)]
enum Refusal {
    /// The object changed since it was read (or, for a create, exists).
    Changed,
    /// Anything else.
    Final(ApplyError),
}

/// Classifies an API error of a write of `kind` `name`.
fn classify(e: kube::Error, kind: &str, name: &str) -> Refusal {
    let kube::Error::Api(status) = e else {
        return Refusal::Final(ApplyError::Unavailable(e.to_string()));
    };
    classify_status(&status, kind, name)
}

fn classify_status(status: &Status, kind: &str, name: &str) -> Refusal {
    let causes = status
        .details
        .as_ref()
        .map(|d| d.causes.as_slice())
        .unwrap_or_default();
    let not_found = || ApplyError::NotFound {
        kind: kind.to_owned(),
        name: name.to_owned(),
    };
    if status.is_conflict() {
        let conflicts: Vec<Conflict> = causes
            .iter()
            .filter(|c| c.reason == "FieldManagerConflict")
            .map(|c| Conflict {
                field: c.field.clone(),
                manager: manager_in(&c.message).unwrap_or_else(|| c.message.clone()),
            })
            .collect();
        if !conflicts.is_empty() {
            return Refusal::Final(ApplyError::Conflict(conflicts));
        }
        if status.message.starts_with("Apply failed") {
            // A conflict report without causes: keep the server's words.
            return Refusal::Final(ApplyError::Conflict(vec![Conflict {
                field: String::new(),
                manager: status.message.clone(),
            }]));
        }
        // "uid mismatch": the object was deleted (and maybe made again).
        if status.message.contains("uid mismatch") {
            return Refusal::Final(not_found());
        }
        return Refusal::Changed;
    }
    if status.is_invalid() || status.code == 400 {
        let causes: Vec<Cause> = causes
            .iter()
            .map(|c| Cause {
                field: c.field.clone(),
                message: c.message.clone(),
            })
            .collect();
        let mut message = String::from("the API server refused the change: ");
        if causes.is_empty() {
            message.push_str(&status.message);
        } else {
            let parts: Vec<String> = causes
                .iter()
                .map(|c| {
                    if c.field.is_empty() {
                        c.message.clone()
                    } else {
                        format!("{}: {}", c.field, c.message)
                    }
                })
                .collect();
            message.push_str(&parts.join("; "));
        }
        return Refusal::Final(ApplyError::Invalid { message, causes });
    }
    if status.is_not_found() {
        return Refusal::Final(not_found());
    }
    if status.is_forbidden() {
        return Refusal::Final(ApplyError::Denied(status.message.clone()));
    }
    Refusal::Final(ApplyError::Unavailable(format!(
        "{} ({})",
        status.message, status.code
    )))
}

/// The manager named in a conflict cause's message: `conflict with
/// "gitops"` or `conflict with "kubectl" using sellout.io/v1alpha1`.
fn manager_in(message: &str) -> Option<String> {
    let rest = &message[message.find("conflict with \"")? + "conflict with \"".len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Every field of `object` (JSON, with `metadata.managedFields`) with its
/// owner, leaf by leaf, for paths starting with `prefix` (e.g. `.spec`).
/// Status (a subresource) is left out.
pub fn field_owners(managed: &[Value], prefix: &str) -> Vec<FieldOwner> {
    let mut out = Vec::new();
    for entry in managed {
        if entry
            .get("subresource")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
        {
            continue;
        }
        let (Some(manager), Some(fields)) = (
            entry.get("manager").and_then(Value::as_str),
            entry.get("fieldsV1"),
        ) else {
            continue;
        };
        let operation = entry
            .get("operation")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut paths = Vec::new();
        flatten(fields, "", &mut paths);
        out.extend(
            paths
                .into_iter()
                .filter(|p| {
                    p == prefix
                        || p.starts_with(&format!("{prefix}."))
                        || p.starts_with(&format!("{prefix}["))
                })
                .map(|field| FieldOwner {
                    field,
                    manager: manager.to_owned(),
                    operation: operation.to_owned(),
                }),
        );
    }
    out.sort_by(|a, b| (&a.field, &a.manager).cmp(&(&b.field, &b.manager)));
    out
}

/// The `managedFields` of a JSON object.
pub fn managed_fields(object: &Value) -> &[Value] {
    object
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The leaf paths of a FieldsV1 set, in the API server's notation.
fn flatten(fields: &Value, prefix: &str, out: &mut Vec<String>) {
    let Some(map) = fields.as_object() else {
        return;
    };
    for (key, sub) in map {
        if key == "." {
            continue;
        }
        let path = if let Some(name) = key.strip_prefix("f:") {
            format!("{prefix}.{name}")
        } else if let Some(k) = key.strip_prefix("k:") {
            let keys: Map<String, Value> = serde_json::from_str(k).unwrap_or_default();
            let inner: Vec<String> = keys.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{prefix}[{}]", inner.join(","))
        } else if let Some(v) = key.strip_prefix("v:") {
            format!("{prefix}[={v}]")
        } else if let Some(i) = key.strip_prefix("i:") {
            format!("{prefix}[{i}]")
        } else {
            continue;
        };
        let children = sub.as_object().is_some_and(|m| m.keys().any(|k| k != "."));
        if children {
            flatten(sub, &path, out);
        } else {
            out.push(path);
        }
    }
}

/// The fields of `object` that the FieldsV1 set `fields` names, with their
/// live values: what a manager that owns `fields` would apply to leave the
/// object as it is. List items keep their keys.
pub fn extract(object: &Value, fields: &Value) -> Option<Value> {
    let map = fields.as_object()?;
    if map.is_empty() {
        // A leaf (or a whole atomic value): the live value itself.
        return Some(object.clone());
    }
    match object {
        Value::Object(obj) => {
            let mut out = Map::new();
            for (key, sub) in map {
                if let Some(name) = key.strip_prefix("f:")
                    && let Some(v) = obj.get(name)
                    && let Some(x) = extract(v, sub)
                {
                    out.insert(name.to_owned(), x);
                }
            }
            Some(Value::Object(out))
        }
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                for (key, sub) in map {
                    if let Some(k) = key.strip_prefix("k:") {
                        let Ok(keys) = serde_json::from_str::<Map<String, Value>>(k) else {
                            continue;
                        };
                        if keys.iter().all(|(k, v)| item.get(k) == Some(v)) {
                            let mut x = extract(item, sub).unwrap_or_else(|| json!({}));
                            if let Some(o) = x.as_object_mut() {
                                for (k, v) in keys {
                                    o.insert(k, v);
                                }
                            }
                            out.push(x);
                        }
                    } else if let Some(v) = key.strip_prefix("v:")
                        && serde_json::from_str::<Value>(v).ok().as_ref() == Some(item)
                    {
                        out.push(item.clone());
                    }
                }
            }
            Some(Value::Array(out))
        }
        other => Some(other.clone()),
    }
}

/// What the gateway applied to `object` last and still owns: the fields
/// of its `Apply` entries, with their live values.
pub fn owned_config(object: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for entry in managed_fields(object) {
        let ours = entry.get("manager").and_then(Value::as_str) == Some(MANAGER)
            && entry.get("operation").and_then(Value::as_str) == Some("Apply")
            && entry
                .get("subresource")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty);
        if !ours {
            continue;
        }
        if let Some(Value::Object(part)) = entry.get("fieldsV1").and_then(|f| extract(object, f)) {
            merge(&mut out, part);
        }
    }
    out
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// A live object as read for an update.
pub struct Live<K> {
    /// Typed.
    pub object: K,
    /// As the API server sent it (with `managedFields`).
    pub json: Value,
}

impl<K> Live<K> {
    /// Owners other than the gateway of the fields under `path`
    /// (`.spec.description`, `.spec.members[email="a@b.c"]`).
    pub fn others_under(&self, path: &str) -> Vec<Conflict> {
        let managed = managed_fields(&self.json);
        let mut seen = Vec::new();
        for o in field_owners(managed, path) {
            let ours = o.manager == MANAGER && o.operation == "Apply";
            let c = Conflict {
                field: o.field,
                manager: o.manager,
            };
            if !ours && !seen.contains(&c) {
                seen.push(c);
            }
        }
        seen
    }
}

/// The `spec` of an apply body, made an object if it was not one.
pub fn spec_mut(body: &mut Value) -> &mut Map<String, Value> {
    let obj = body.as_object_mut().expect("an apply body is an object");
    let spec = obj.entry("spec").or_insert_with(|| json!({}));
    if !spec.is_object() {
        *spec = json!({});
    }
    spec.as_object_mut().expect("made an object above")
}

/// Writes resources of kind `K` in one namespace.
pub struct Writer<K>
where
    K: kube::Resource<DynamicType = ()>,
{
    api: Api<K>,
    raw: Api<DynamicObject>,
    namespace: String,
}

impl<K> Writer<K>
where
    K: kube::Resource<DynamicType = (), Scope = NamespaceResourceScope>
        + Clone
        + DeserializeOwned
        + Serialize
        + std::fmt::Debug,
{
    /// A writer in `namespace`.
    pub fn new(client: kube::Client, namespace: &str) -> Self {
        Writer {
            api: Api::namespaced(client.clone(), namespace),
            raw: Api::namespaced_with(client, namespace, &ApiResource::erase::<K>(&())),
            namespace: namespace.to_owned(),
        }
    }

    fn kind() -> String {
        K::kind(&()).into_owned()
    }

    /// Creates `name` with `spec` (camelCase JSON, only the fields the
    /// caller sets), owned by the gateway; fails with
    /// [`ApplyError::Exists`] when the name is taken.
    pub async fn create(&self, name: &str, spec: Value) -> Result<K, ApplyError> {
        let body = json!({
            "apiVersion": K::api_version(&()),
            "kind": K::kind(&()),
            "metadata": {"name": name, "namespace": self.namespace, "resourceVersion": "1"},
            "spec": spec,
        });
        self.api
            .patch(name, &PatchParams::apply(MANAGER), &Patch::Apply(&body))
            .await
            .map_err(|e| match classify(e, &Self::kind(), name) {
                Refusal::Changed => ApplyError::Exists {
                    kind: Self::kind(),
                    name: name.to_owned(),
                },
                Refusal::Final(e) => e,
            })
    }

    /// Reads `name` from the API server (not the catalog: an update needs
    /// the newest `resourceVersion` and `managedFields`).
    pub async fn get(&self, name: &str) -> Result<Live<K>, ApplyError> {
        let raw =
            self.raw
                .get_opt(name)
                .await
                .map_err(|e| match classify(e, &Self::kind(), name) {
                    Refusal::Changed => {
                        ApplyError::Unavailable("the object changed while read".into())
                    }
                    Refusal::Final(e) => e,
                })?;
        let raw = raw.ok_or_else(|| ApplyError::NotFound {
            kind: Self::kind(),
            name: name.to_owned(),
        })?;
        let json =
            serde_json::to_value(&raw).map_err(|e| ApplyError::Unavailable(e.to_string()))?;
        let object = serde_json::from_value(json.clone()).map_err(|e| {
            ApplyError::Unavailable(format!("{} {name:?} cannot be read: {e}", Self::kind()))
        })?;
        Ok(Live { object, json })
    }

    /// Applies what the gateway owns of `name` with `edit`'s changes (made
    /// on the apply body, `{"apiVersion", "kind", "metadata", "spec"}`);
    /// `force` takes fields over from other managers. Re-reads and retries
    /// when the object changed in between.
    pub async fn update<F>(&self, name: &str, force: bool, mut edit: F) -> Result<K, ApplyError>
    where
        F: FnMut(&Live<K>, &mut Value) -> Result<(), ApplyError>,
    {
        let mut params = PatchParams::apply(MANAGER);
        if force {
            params = params.force();
        }
        for attempt in 1..=ATTEMPTS {
            let live = self.get(name).await?;
            let owned = owned_config(&live.json);
            let mut metadata = owned
                .get("metadata")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            metadata.insert("name".into(), json!(name));
            metadata.insert("namespace".into(), json!(self.namespace));
            for key in ["uid", "resourceVersion"] {
                if let Some(v) = live.json.pointer(&format!("/metadata/{key}")) {
                    metadata.insert(key.into(), v.clone());
                }
            }
            let mut body = json!({
                "apiVersion": K::api_version(&()),
                "kind": K::kind(&()),
                "metadata": metadata,
                "spec": owned.get("spec").cloned().unwrap_or_else(|| json!({})),
            });
            edit(&live, &mut body)?;
            match self.api.patch(name, &params, &Patch::Apply(&body)).await {
                Ok(k) => return Ok(k),
                Err(e) => match classify(e, &Self::kind(), name) {
                    Refusal::Changed if attempt < ATTEMPTS => continue,
                    Refusal::Changed => {
                        return Err(ApplyError::refused(
                            error::CONFLICT,
                            format!(
                                "{} {name:?} kept changing while this edit was applied: retry",
                                Self::kind()
                            ),
                        ));
                    }
                    Refusal::Final(e) => return Err(e),
                },
            }
        }
        unreachable!("the loop returns on its last attempt")
    }

    /// Deletes `name`, unless another field manager owns part of its spec
    /// (GitOps would make it again) and `force` is not set. `check` may
    /// refuse after seeing the live object. The delete is conditional on the
    /// version `check` saw; when the object changed in between (the
    /// operator writing its status, say) it is read and checked again.
    pub async fn delete(
        &self,
        name: &str,
        force: bool,
        mut check: impl FnMut(&Live<K>) -> Result<(), ApplyError>,
    ) -> Result<(), ApplyError> {
        for attempt in 1..=ATTEMPTS {
            let live = self.get(name).await?;
            if !force {
                let others = live.others_under(".spec");
                if !others.is_empty() {
                    let mut seen: Vec<String> = Vec::new();
                    let conflicts = others
                        .into_iter()
                        .filter(|c| {
                            let new = !seen.contains(&c.manager);
                            seen.push(c.manager.clone());
                            new
                        })
                        .map(|c| Conflict {
                            field: ".spec".into(),
                            manager: c.manager,
                        })
                        .collect();
                    return Err(ApplyError::Conflict(conflicts));
                }
            }
            check(&live)?;
            let params = DeleteParams {
                preconditions: Some(Preconditions {
                    uid: live
                        .json
                        .pointer("/metadata/uid")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    resource_version: live
                        .json
                        .pointer("/metadata/resourceVersion")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                }),
                ..DeleteParams::default()
            };
            match self.api.delete(name, &params).await {
                Ok(_) => return Ok(()),
                Err(e) => match classify(e, &Self::kind(), name) {
                    Refusal::Changed if attempt < ATTEMPTS => continue,
                    Refusal::Changed => {
                        return Err(ApplyError::refused(
                            error::CONFLICT,
                            format!(
                                "{} {name:?} kept changing while being deleted: retry",
                                Self::kind()
                            ),
                        ));
                    }
                    Refusal::Final(e) => return Err(e),
                },
            }
        }
        unreachable!("the loop returns on its last attempt")
    }
}

/// `name` is a Kubernetes object name (DNS-1123 subdomain, here without
/// dots: lower-case letters, digits and `-`, at most `max` characters).
pub fn check_name(what: &str, name: &str, max: usize) -> Result<(), ApplyError> {
    let ok = !name.is_empty()
        && name.len() <= max
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        let mut m = String::new();
        let _ = write!(
            m,
            "{what} name {name:?} must be 1 to {max} lower-case letters, digits or '-', starting and ending with a letter or digit"
        );
        Err(ApplyError::refused(error::BAD_REQUEST, m))
    }
}

#[cfg(test)]
mod tests;
