//! Members and roles of an organization (OWNER): entries of its
//! Organization's `spec.members`, a list keyed by e-mail, applied one
//! entry at a time so members set elsewhere (GitOps) stay with their
//! owner.

use async_graphql::{Context, Error, Object, SimpleObject};
use sellout_crds::Organization;
use sellout_crds::organization::{Member, Role};
use serde_json::{Value, json};

use super::{FieldOwnerView, RoleKind, owners_under, writer};
use crate::apply::{self, ApplyError, Live};
use crate::auth::{self, role_name};
use crate::error::{self, gql_error};
use crate::schema::Deps;

/// A member of an organization and their role.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Member")]
pub struct MemberView {
    /// E-mail address they log in with.
    pub email: String,
    /// Their role.
    pub role: RoleKind,
    /// Who set this member: `sellout-gateway` (Backstage) or another field
    /// manager such as GitOps, where it must then be changed.
    pub field_owners: Vec<FieldOwnerView>,
}

/// The member path of `email` in the API server's notation.
pub fn member_path(email: &str) -> String {
    format!(".spec.members[email={}]", json!(email))
}

/// `org`'s members as shown to OWNER and ADMIN.
pub fn members_of(org: &Organization) -> Vec<MemberView> {
    org.spec
        .members
        .iter()
        .map(|m| MemberView {
            email: m.email.clone(),
            role: m.role.into(),
            field_owners: owners_under(org, &member_path(&m.email)),
        })
        .collect()
}

/// The single Organization of `namespace`, by name.
pub fn organization_name(ctx: &Context<'_>, namespace: &str) -> Result<String, Error> {
    let deps = ctx.data::<Deps>()?;
    let orgs = deps.catalog.organizations_in(namespace);
    match orgs.as_slice() {
        [one] => Ok(one.metadata.name.clone().unwrap_or_default()),
        [] => Err(gql_error(
            error::NOT_FOUND,
            format!("{namespace:?} holds no Organization"),
        )),
        _ => Err(gql_error(
            error::BAD_REQUEST,
            format!(
                "{namespace:?} holds {} Organizations, so which one's members to change is unclear: keep one per namespace",
                orgs.len()
            ),
        )),
    }
}

fn normalise(email: &str) -> Result<String, Error> {
    let e = email.trim().to_lowercase();
    let ok = (3..=254).contains(&e.len())
        && e.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.contains('@')
        })
        && !e.chars().any(char::is_whitespace);
    if ok {
        Ok(e)
    } else {
        Err(gql_error(
            error::BAD_REQUEST,
            format!("{email:?} is not an e-mail address"),
        ))
    }
}

/// Whether `role` can manage the organization (OWNER, or SUPER_USER which
/// counts as OWNER outside the platform namespace).
fn owns(role: Role) -> bool {
    role <= Role::Owner
}

/// Refuses a change of `members` that leaves no OWNER.
fn keep_an_owner(after: &[Member], email: &str) -> Result<(), ApplyError> {
    if after.iter().any(|m| owns(m.role)) {
        Ok(())
    } else {
        Err(ApplyError::refused(
            error::BAD_REQUEST,
            format!("{email} is the organization's last OWNER: make someone else OWNER first"),
        ))
    }
}

/// The live member matching `email` (e-mail addresses match without
/// regard to case, as at login).
fn find<'a>(live: &'a Live<Organization>, email: &str) -> Option<&'a Member> {
    live.object
        .spec
        .members
        .iter()
        .find(|m| m.email.eq_ignore_ascii_case(email))
}

/// The gateway's own entries of `members` in the apply body.
fn own_members(body: &mut Value) -> &mut Vec<Value> {
    let spec = apply::spec_mut(body);
    let members = spec.entry("members").or_insert_with(|| json!([]));
    if !members.is_array() {
        *members = json!([]);
    }
    members.as_array_mut().expect("made an array above")
}

/// Member mutations (OWNER or higher in the organization).
#[derive(Default)]
pub struct MemberMutation;

#[Object]
impl MemberMutation {
    /// Makes `email` a member with `role`, or changes their role. Only
    /// platform staff (SUPER_USER) grant or change SUPER_USER, and the
    /// organization always keeps an OWNER. A member set by another field
    /// manager (GitOps) is refused with CONFLICT unless `force` is true.
    /// Needs OWNER.
    async fn set_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The member's e-mail address.")] email: String,
        #[graphql(desc = "Their new role.")] role: RoleKind,
        #[graphql(
            default_with = "Some(false)",
            desc = "Take the member's role over from another field manager instead of failing with CONFLICT."
        )]
        force: Option<bool>,
    ) -> Result<MemberView, Error> {
        let (_, caller) = auth::require(ctx, &organization, Role::Owner)?;
        let role: Role = role.into();
        let email = normalise(&email)?;
        if role == Role::SuperUser && caller != Role::SuperUser {
            return Err(gql_error(
                error::FORBIDDEN,
                "only platform staff (SUPER_USER) can grant SUPER_USER",
            ));
        }
        let name = organization_name(ctx, &organization)?;
        let mut key = email.clone();
        let org = writer::<Organization>(ctx, &organization)?
            .update(&name, force.unwrap_or(false), |live, body| {
                let existing = find(live, &email).cloned();
                if existing.as_ref().is_some_and(|m| m.role == Role::SuperUser)
                    && caller != Role::SuperUser
                {
                    return Err(ApplyError::refused(
                        error::FORBIDDEN,
                        format!("{email} is SUPER_USER: only platform staff change that"),
                    ));
                }
                // The entry keeps the address as it is spelled in the list.
                key = existing.map_or_else(|| email.clone(), |m| m.email);
                let mut after = live.object.spec.members.clone();
                after.retain(|m| m.email != key);
                after.push(Member {
                    email: key.clone(),
                    role,
                });
                keep_an_owner(&after, &key)?;
                let members = own_members(body);
                members.retain(|m| m.get("email").and_then(Value::as_str) != Some(&key));
                members.push(json!({"email": key, "role": role}));
                Ok(())
            })
            .await?;
        members_of(&org)
            .into_iter()
            .find(|m| m.email == key)
            .ok_or_else(|| {
                gql_error(
                    error::UNAVAILABLE,
                    format!("{key} is not among the members the API server returned"),
                )
            })
    }

    /// Removes `email` from the organization's members. The last OWNER
    /// cannot be removed; a SUPER_USER only by platform staff; a member set
    /// by another field manager (GitOps) must be removed there (CONFLICT).
    /// Needs OWNER. True when removed.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "The member's e-mail address.")] email: String,
    ) -> Result<bool, Error> {
        let (_, caller) = auth::require(ctx, &organization, Role::Owner)?;
        let email = normalise(&email)?;
        let name = organization_name(ctx, &organization)?;
        writer::<Organization>(ctx, &organization)?
            .update(&name, false, |live, body| {
                let Some(member) = find(live, &email).cloned() else {
                    return Err(ApplyError::refused(
                        error::NOT_FOUND,
                        format!("{email} is not a member of {organization:?}"),
                    ));
                };
                if member.role == Role::SuperUser && caller != Role::SuperUser {
                    return Err(ApplyError::refused(
                        error::FORBIDDEN,
                        format!(
                            "{} is {}: only platform staff remove them",
                            member.email,
                            role_name(member.role)
                        ),
                    ));
                }
                let others = live.others_under(&member_path(&member.email));
                if !others.is_empty() {
                    return Err(ApplyError::Kept(others));
                }
                let mut after = live.object.spec.members.clone();
                after.retain(|m| m.email != member.email);
                keep_an_owner(&after, &member.email)?;
                let members = own_members(body);
                members.retain(|m| m.get("email").and_then(Value::as_str) != Some(&member.email));
                if members.is_empty() {
                    apply::spec_mut(body).remove("members");
                }
                Ok(())
            })
            .await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_paths_match_the_api_servers() {
        assert_eq!(member_path("a@b.io"), ".spec.members[email=\"a@b.io\"]");
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalise(" Ana@Example.COM ").unwrap(), "ana@example.com");
        for bad in ["", "ana", "@x.io", "ana@", "ana@host", "a b@x.io"] {
            assert!(normalise(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_last_owner_stays() {
        let m = |e: &str, role| Member {
            email: e.into(),
            role,
        };
        assert!(keep_an_owner(&[m("a@x.io", Role::Admin)], "o@x.io").is_err());
        assert!(keep_an_owner(&[m("a@x.io", Role::Owner)], "o@x.io").is_ok());
        assert!(keep_an_owner(&[m("s@x.io", Role::SuperUser)], "o@x.io").is_ok());
    }
}
