//! `GET /feeds/{namespace}/events.json`: an organization's published
//! events as one JSON document, for a marketing site to list (Webflow CMS
//! collections, a static site generator, any script), each with the
//! portal's address and the embed button's markup to paste beside it.
//!
//! Only what the public event page shows anyway: published events (not
//! drafts, not cancelled ones), public tiers' prices. Answered from the
//! catalog in memory, cacheable for a minute, readable from any origin.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sellout_crds::event::EventState;
use sellout_crds::tier::{TierKind, Visibility};
use serde::Serialize;

use crate::http::AppState;

/// The feed of one organization.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Feed {
    /// The organization's namespace.
    pub organization: String,
    /// Its display name.
    pub display_name: String,
    /// Its published events, soonest first.
    pub events: Vec<FeedEvent>,
}

/// One published event.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedEvent {
    /// `<namespace>/<event>`: what the embed button names.
    pub slug: String,
    /// Title shown to buyers.
    pub title: String,
    /// Longer description (plain text or Markdown).
    pub description: Option<String>,
    /// Where it happens (null when the Venue is missing).
    pub venue: Option<FeedVenue>,
    /// The days, RFC 3339 in UTC.
    pub days: Vec<FeedDay>,
    /// When tickets go on sale (RFC 3339).
    pub on_sale_at: String,
    /// When sales stop (null: the end of the last day).
    pub off_sale_at: Option<String>,
    /// ISO 4217 currency of every price.
    pub currency: String,
    /// The lowest price of its public admission tiers, in minor units
    /// (null when it has none).
    pub from_price_minor: Option<i64>,
    /// The purchase portal's page of the event.
    pub portal_url: String,
    /// The embed button: paste it where the event is listed, with
    /// `embedScript` once per page.
    pub embed_button: String,
    /// The script that turns embed buttons into the portal overlay.
    pub embed_script: String,
}

/// An event's venue as buyers see it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedVenue {
    /// Its display name.
    pub name: String,
    /// City of its address.
    pub city: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// IANA time zone (to show the days in local time).
    pub timezone: String,
}

/// One day of an event, RFC 3339 in UTC.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedDay {
    /// Doors open.
    pub doors_at: String,
    /// The show starts.
    pub starts_at: String,
    /// It ends.
    pub ends_at: String,
}

/// Escapes `s` for an HTML attribute or text.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The feed of `namespace` from the catalog; `None` when no organization
/// lives there.
pub fn feed(catalog: &crate::catalog::Catalog, public_url: &str, namespace: &str) -> Option<Feed> {
    let org = catalog.organizations_in(namespace).into_iter().next()?;
    let base = public_url.trim_end_matches('/');
    let mut events: Vec<FeedEvent> = catalog
        .events()
        .into_iter()
        .filter(|e| e.metadata.namespace.as_deref() == Some(namespace))
        .filter(|e| e.spec.state == EventState::Published)
        .map(|e| {
            let name = e.metadata.name.clone().unwrap_or_default();
            let slug = format!("{namespace}/{name}");
            let from_price_minor = catalog
                .tiers_of(namespace, &name)
                .iter()
                .filter(|t| {
                    t.spec.visibility == Visibility::Public && t.spec.kind == TierKind::Admission
                })
                .map(|t| t.spec.price.amount_minor)
                .min();
            let venue = catalog
                .venue(namespace, &e.spec.venue_ref.name)
                .map(|v| FeedVenue {
                    name: v.spec.display_name.clone(),
                    city: v.spec.address.city.clone(),
                    country: v.spec.address.country.clone(),
                    timezone: v.spec.timezone.clone(),
                });
            FeedEvent {
                portal_url: format!("{base}/portal/{slug}"),
                embed_button: format!(
                    r#"<button type="button" data-sellout-event="{}">Buy tickets</button>"#,
                    html_escape(&slug)
                ),
                embed_script: format!(
                    r#"<script src="{}/embed.js" async></script>"#,
                    html_escape(base)
                ),
                slug,
                title: e.spec.title.clone(),
                description: e.spec.description.clone(),
                venue,
                days: e
                    .spec
                    .days
                    .iter()
                    .map(|d| FeedDay {
                        doors_at: d.doors_at.0.to_string(),
                        starts_at: d.starts_at.0.to_string(),
                        ends_at: d.ends_at.0.to_string(),
                    })
                    .collect(),
                on_sale_at: e.spec.on_sale_at.0.to_string(),
                off_sale_at: e.spec.off_sale_at.as_ref().map(|t| t.0.to_string()),
                currency: e.spec.currency.clone(),
                from_price_minor,
            }
        })
        .collect();
    events.sort_by(|a, b| {
        let first = |e: &FeedEvent| e.days.first().map(|d| d.starts_at.clone());
        first(a).cmp(&first(b)).then_with(|| a.slug.cmp(&b.slug))
    });
    Some(Feed {
        organization: namespace.to_owned(),
        display_name: org.spec.display_name.clone(),
        events,
    })
}

/// `GET /feeds/{namespace}/events.json`.
pub async fn events_json(State(s): State<AppState>, Path(namespace): Path<String>) -> Response {
    let Some(feed) = feed(&s.deps.catalog, &s.deps.public_url, &namespace) else {
        return (
            StatusCode::NOT_FOUND,
            format!("no organization in namespace {namespace:?}: the feed's address is /feeds/<organization namespace>/events.json\n"),
        )
            .into_response();
    };
    let mut resp = Json(feed).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::html_escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(html_escape(r#"a"<b>&"#), "a&quot;&lt;b&gt;&amp;");
    }
}
