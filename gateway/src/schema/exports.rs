//! CSV export links: `exportLink` hands an ADMIN (or above) a URL of
//! `GET /exports/<kind>.csv?token=…` that works for a few minutes; the
//! download itself is [`crate::export`].

use async_graphql::{Context, Enum, Error, Object, SimpleObject};
use sellout_crds::organization::Role;

use super::Deps;
use crate::auth::{self, export::ExportGrant};
use crate::error::{self, gql_error};

/// What a CSV export holds.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// One row per order (every state), oldest first: buyer, tickets,
    /// add-ons, total and refunded in minor units with the currency.
    Orders,
    /// One row per customer (e-mail address and currency): orders,
    /// lifetime value and refunds in minor units with the currency.
    Customers,
    /// One row per check-in or undo at the door, in the order recorded.
    CheckIns,
}

impl ExportKind {
    /// The file name's stem: `/exports/<stem>.csv`.
    pub fn stem(self) -> &'static str {
        match self {
            ExportKind::Orders => "orders",
            ExportKind::Customers => "customers",
            ExportKind::CheckIns => "check-ins",
        }
    }

    /// The kind of a file name's stem.
    pub fn from_stem(stem: &str) -> Option<Self> {
        [
            ExportKind::Orders,
            ExportKind::Customers,
            ExportKind::CheckIns,
        ]
        .into_iter()
        .find(|k| k.stem() == stem)
    }
}

/// A short-lived download link.
#[derive(SimpleObject, Clone, Debug)]
pub struct ExportLink {
    /// The URL to download the CSV from (GET, no other credentials needed;
    /// do not share it: it works for anyone until it expires).
    pub url: String,
    /// When the link stops working (RFC 3339).
    pub expires_at: String,
    /// What it exports.
    pub kind: ExportKind,
}

/// Export links.
#[derive(Default)]
pub struct ExportsQuery;

#[Object]
impl ExportsQuery {
    /// A link to download an organization's (or one event's) orders,
    /// customers or check-ins as CSV, valid for a few minutes (5 unless
    /// the gateway is set otherwise). Needs ADMIN or above; the download
    /// checks the role again.
    async fn export_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "One event's name (default: every event of the organization).")]
        event: Option<String>,
        #[graphql(desc = "What to export.")] kind: ExportKind,
    ) -> Result<ExportLink, Error> {
        let (who, _) = auth::require(ctx, &organization, Role::Admin)?;
        let deps = ctx.data::<Deps>()?;
        if let Some(name) = event.as_deref() {
            let found = deps
                .catalog
                .event(&organization, name)
                .await
                .map_err(|e| error::unavailable("the catalog", e))?;
            if found.is_none() {
                return Err(gql_error(
                    error::UNKNOWN_EVENT,
                    format!("no event {organization}/{name}"),
                ));
            }
        }
        let grant = ExportGrant {
            organization,
            event,
            kind: kind.stem().to_owned(),
        };
        let (token, exp) = deps.auth.export_token(&who, &grant);
        let expires_at = jiff::Timestamp::from_second(exp as i64)
            .map_or_else(|_| exp.to_string(), |t| t.to_string());
        Ok(ExportLink {
            url: format!(
                "{}/exports/{}.csv?token={token}",
                deps.public_url.trim_end_matches('/'),
                kind.stem()
            ),
            expires_at,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_file_names() {
        for k in [
            ExportKind::Orders,
            ExportKind::Customers,
            ExportKind::CheckIns,
        ] {
            assert_eq!(ExportKind::from_stem(k.stem()), Some(k));
        }
        assert_eq!(ExportKind::from_stem("passwords"), None);
    }
}
