//! `organization(namespace)`: what Backstage shows of an organization, read
//! from the catalog (the gateway's in-memory copy of the resources).

use std::sync::Arc;

use async_graphql::connection::Connection;
use async_graphql::{Context, Error, Object};
use sellout_crds::Organization;
use sellout_crds::organization::Role;

use super::events::PromoterEvent;
use super::members::{MemberView, members_of};
use super::venues::PromoterVenue;
use super::{PageCursor, RoleKind, creation_key, page};
use crate::auth;
use crate::error::{self, gql_error, unavailable};
use crate::schema::Deps;

/// The promoter's queries.
#[derive(Default)]
pub struct OrganizationQuery;

#[Object]
impl OrganizationQuery {
    /// The organization whose namespace is `namespace`: its events, venues
    /// and members as Backstage shows them. Needs a staff role (SCANNER or
    /// higher) in it.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] namespace: String,
    ) -> Result<OrganizationView, Error> {
        let (_, role) = auth::require(ctx, &namespace, Role::Scanner)?;
        let deps = ctx.data::<Deps>()?;
        let org = deps
            .catalog
            .organizations_in(&namespace)
            .into_iter()
            .min_by(|a, b| a.metadata.name.cmp(&b.metadata.name))
            .ok_or_else(|| {
                gql_error(
                    error::NOT_FOUND,
                    format!("{namespace:?} holds no Organization"),
                )
            })?;
        Ok(OrganizationView {
            namespace,
            org,
            role,
        })
    }
}

/// An organization (one per namespace) as its staff see it.
pub struct OrganizationView {
    namespace: String,
    org: Arc<Organization>,
    role: Role,
}

#[Object(name = "Organization")]
impl OrganizationView {
    /// Its namespace: the `organization` argument of every promoter
    /// mutation.
    async fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The Organization resource's name.
    async fn name(&self) -> &str {
        self.org.metadata.name.as_deref().unwrap_or_default()
    }

    /// Name shown to buyers and in Backstage.
    async fn display_name(&self) -> &str {
        &self.org.spec.display_name
    }

    /// The caller's role in it.
    async fn viewer_role(&self) -> RoleKind {
        self.role.into()
    }

    /// Its events, oldest first (by creation time, then name), so paging
    /// through them while events are created sees each one once.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "The first this many (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The last this many (at most 100).")] last: Option<i32>,
    ) -> Result<Connection<PageCursor, PromoterEvent>, Error> {
        let deps = ctx.data::<Deps>()?;
        let events: Vec<_> = deps
            .catalog
            .events()
            .into_iter()
            .filter(|e| e.metadata.namespace.as_deref() == Some(self.namespace.as_str()))
            .collect();
        page(
            events,
            |e| creation_key(&e.metadata),
            PromoterEvent,
            after,
            before,
            first,
            last,
        )
        .await
    }

    /// The event `name` (null when there is none).
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's name.")] name: String,
    ) -> Result<Option<PromoterEvent>, Error> {
        let deps = ctx.data::<Deps>()?;
        Ok(deps
            .catalog
            .event(&self.namespace, &name)
            .await
            .map_err(|e| unavailable("the catalog", e))?
            .map(PromoterEvent))
    }

    /// Its venues, oldest first.
    async fn venues(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "The first this many (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The last this many (at most 100).")] last: Option<i32>,
    ) -> Result<Connection<PageCursor, PromoterVenue>, Error> {
        let deps = ctx.data::<Deps>()?;
        let venues: Vec<_> = deps
            .catalog
            .venues()
            .into_iter()
            .filter(|v| v.metadata.namespace.as_deref() == Some(self.namespace.as_str()))
            .collect();
        page(
            venues,
            |v| creation_key(&v.metadata),
            PromoterVenue,
            after,
            before,
            first,
            last,
        )
        .await
    }

    /// The venue `name` (null when there is none).
    async fn venue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The venue's name.")] name: String,
    ) -> Result<Option<PromoterVenue>, Error> {
        let deps = ctx.data::<Deps>()?;
        Ok(deps
            .catalog
            .venue(&self.namespace, &name)
            .map(PromoterVenue))
    }

    /// Its members and their roles, by e-mail address. Needs ADMIN or
    /// higher.
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Items before this cursor.")] before: Option<String>,
        #[graphql(desc = "The first this many (at most 100).")] first: Option<i32>,
        #[graphql(desc = "The last this many (at most 100).")] last: Option<i32>,
    ) -> Result<Connection<PageCursor, MemberView>, Error> {
        auth::require(ctx, &self.namespace, Role::Admin)?;
        page(
            members_of(&self.org),
            |m| (0, m.email.clone()),
            |m| m,
            after,
            before,
            first,
            last,
        )
        .await
    }
}
