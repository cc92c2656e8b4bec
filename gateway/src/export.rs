//! `GET /exports/<kind>.csv?token=…`: CSV downloads of an organization's
//! (or one event's) orders, customers or check-ins, behind the short-lived
//! links `exportLink` hands out ([`crate::auth::export`]).
//!
//! Each download checks the token (signature, expiry, audience, that it is
//! for this file), that the session that asked for it is still open, and
//! that its login is still ADMIN or above of the organization. Refusals are
//! plain text: 401 for a missing, expired or invalid token, 403 for a role
//! no longer held, 404 for an unknown file or event. The CSV is RFC 4180
//! (the `csv` crate: fields with commas, quotes or line breaks quoted),
//! UTF-8, with a header row; money is in integer minor units beside a
//! `currency` column; times are RFC 3339 UTC. Text typed by buyers or door
//! staff that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) gets a leading `'`. Orders stream
//! from MongoDB as they are read; a database failure half-way ends the
//! response with an error (the download fails) rather than a short file.

use std::collections::{HashMap, HashSet};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{StreamExt, stream};
use mongodb::bson::doc;
use sellout_common::proto::v1::CheckedIn;
use sellout_crds::organization::Role;
use serde::Deserialize;

use crate::auth::export::{ExportGrant, ExportTokenError};
use crate::auth::role_name;
use crate::http::AppState;
use crate::metrics::ExportLabels;
use crate::schema::analytics::{AnalyticsQuery, is_add_on};
use crate::schema::exports::ExportKind;
use crate::schema::{Deps, customers};
use sellout_store::orders::{LineDoc, OrderDoc};

/// Rows written per chunk of the response body.
const ROWS_PER_CHUNK: usize = 200;

/// The query string of a download.
#[derive(Deserialize)]
pub struct DownloadQuery {
    token: Option<String>,
}

/// A refusal or failure, as plain text.
fn text(status: StatusCode, message: impl Into<String>) -> Response {
    let mut body = message.into();
    body.push('\n');
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `GET /exports/{file}`.
pub async fn download(
    State(s): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Response {
    let kind = file.strip_suffix(".csv").and_then(ExportKind::from_stem);
    let label = kind.map_or("unknown", ExportKind::stem);
    let count = |outcome: &'static str| {
        s.metrics
            .exports
            .get_or_create(&ExportLabels {
                kind: label,
                outcome,
            })
            .inc();
    };
    let Some(kind) = kind else {
        count("invalid");
        return text(
            StatusCode::NOT_FOUND,
            "no such export: use the URL exportLink gave (orders.csv, customers.csv or check-ins.csv)",
        );
    };
    let (status, outcome, message) = match check(&s.deps, kind, q.token.as_deref()) {
        Ok(grant) => match respond(&s.deps, kind, &grant).await {
            Ok(r) => {
                count("ok");
                tracing::info!(organization = %grant.organization, event = ?grant.event, kind = label, "CSV export");
                return r;
            }
            Err((status, message)) => (status, "failed", message),
        },
        Err((status, message)) => {
            let outcome = match status {
                StatusCode::FORBIDDEN => "forbidden",
                StatusCode::NOT_FOUND => "failed",
                _ if message == ExportTokenError::Expired.to_string() => "expired",
                _ => "invalid",
            };
            (status, outcome, message)
        }
    };
    count(outcome);
    text(status, message)
}

/// The grant of a download's token, once token, session and role pass.
fn check(
    deps: &Deps,
    kind: ExportKind,
    token: Option<&str>,
) -> Result<ExportGrant, (StatusCode, String)> {
    let unauthorized = |m: String| (StatusCode::UNAUTHORIZED, m);
    let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
        unauthorized(
            "this download needs the link's token (?token=…): ask exportLink for a link".into(),
        )
    })?;
    let (who, grant) = deps
        .auth
        .verify_export(token)
        .map_err(|e| unauthorized(e.to_string()))?;
    if grant.kind != kind.stem() {
        return Err(unauthorized(format!(
            "this link is for {}.csv, not {}.csv",
            grant.kind,
            kind.stem()
        )));
    }
    if deps
        .auth
        .logins
        .as_ref()
        .is_some_and(|l| l.is_revoked(&who.session))
    {
        return Err(unauthorized(
            "the session that asked for this link has ended (logged out or revoked): log in and ask again".into(),
        ));
    }
    let ns = &grant.organization;
    match deps.auth.role_in(&deps.catalog, &who.login, ns) {
        None => Err((
            StatusCode::NOT_FOUND,
            format!("{ns:?} holds no Organization any more"),
        )),
        Some(role) if role <= Role::Admin => Ok(grant),
        Some(role) => Err((
            StatusCode::FORBIDDEN,
            format!(
                "exports need the ADMIN role or higher in organization {ns:?}; you are {}",
                role_name(role)
            ),
        )),
    }
}

/// The CSV response for `grant`.
async fn respond(
    deps: &Deps,
    kind: ExportKind,
    grant: &ExportGrant,
) -> Result<Response, (StatusCode, String)> {
    let unavailable = |m: String| (StatusCode::SERVICE_UNAVAILABLE, m);
    let events = AnalyticsQuery::events(deps, &grant.organization, grant.event.as_deref())
        .map_err(|e| (StatusCode::NOT_FOUND, e.message))?;
    let slugs: HashMap<String, String> = events
        .iter()
        .filter_map(|e| {
            Some((
                e.metadata.uid.clone()?,
                format!(
                    "{}/{}",
                    e.metadata.namespace.as_deref()?,
                    e.metadata.name.as_deref()?
                ),
            ))
        })
        .collect();
    let uids: Vec<String> = slugs.keys().cloned().collect();
    let body = match kind {
        ExportKind::Orders => {
            let add_ons = AnalyticsQuery::add_on_tiers(deps, &events);
            let cursor = sellout_store::orders::all_of(&deps.mongo, &uids)
                .await
                .map_err(|e| unavailable(format!("the order store is unavailable: {e}")))?;
            let rows = cursor.chunks(ROWS_PER_CHUNK).map(move |chunk| {
                let mut out = Vec::with_capacity(chunk.len());
                for r in chunk {
                    let r = r.map_err(|e| {
                        std::io::Error::other(format!("the order store failed: {e}"))
                    })?;
                    out.push(r.record(&slugs, &add_ons));
                }
                Ok::<_, std::io::Error>(csv_chunk(&out))
            });
            Body::from_stream(
                stream::once(async { Ok(csv_chunk(&[ORDER_HEADER.map(String::from).to_vec()])) })
                    .chain(rows),
            )
        }
        ExportKind::Customers => {
            let all = customers::scan(deps, &grant.organization, uids)
                .await
                .map_err(|e| unavailable(e.message))?;
            let mut rows = vec![CUSTOMER_HEADER.map(String::from).to_vec()];
            rows.extend(all.into_values().map(|c| {
                vec![
                    cell(&c.email),
                    cell(&c.name),
                    c.currency,
                    c.orders.to_string(),
                    c.lifetime_value_minor.to_string(),
                    c.refunded_minor.to_string(),
                    rfc3339(c.first_order_at_ms),
                    rfc3339(c.last_order_at_ms),
                ]
            }));
            chunked(rows)
        }
        ExportKind::CheckIns => {
            let mut rows = vec![CHECK_IN_HEADER.map(String::from).to_vec()];
            let mut by_slug: Vec<(&String, &String)> = slugs.iter().map(|(u, s)| (s, u)).collect();
            by_slug.sort();
            for (slug, uid) in by_slug {
                let scans = crate::checkins::read_all(&deps.nats, uid)
                    .await
                    .map_err(|e| unavailable(e.to_string()))?;
                rows.extend(scans.into_iter().map(|c| check_in_record(slug, c)));
            }
            chunked(rows)
        }
    };
    let day = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    let filename = match &grant.event {
        Some(e) => format!("{}-{}-{e}-{day}.csv", kind.stem(), grant.organization),
        None => format!("{}-{}-{day}.csv", kind.stem(), grant.organization),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::REFERRER_POLICY, "no-referrer".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// `rows` as CSV bytes (RFC 4180 quoting).
fn csv_chunk(rows: &[Vec<String>]) -> Bytes {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing into a Vec cannot fail.
        let _ = w.write_record(r);
    }
    Bytes::from(w.into_inner().unwrap_or_default())
}

/// `rows` as a body sent in chunks.
fn chunked(rows: Vec<Vec<String>>) -> Body {
    let chunks: Vec<Result<Bytes, std::io::Error>> = rows
        .chunks(ROWS_PER_CHUNK)
        .map(|c| Ok(csv_chunk(c)))
        .collect();
    Body::from_stream(stream::iter(chunks))
}

/// Text a spreadsheet must not run as a formula: a leading `'` when it
/// starts with `=`, `+`, `-`, `@`, tab or carriage return.
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
}

/// The columns of `orders.csv`.
pub const ORDER_HEADER: [&str; 15] = [
    "order_id",
    "number",
    "event",
    "state",
    "channel",
    "placed_at",
    "buyer_name",
    "buyer_email",
    "buyer_phone",
    "tickets",
    "add_ons",
    "currency",
    "total_minor",
    "refunded_minor",
    "promo_code",
];

/// The columns of `customers.csv`.
pub const CUSTOMER_HEADER: [&str; 8] = [
    "email",
    "name",
    "currency",
    "orders",
    "lifetime_value_minor",
    "refunded_minor",
    "first_order_at",
    "last_order_at",
];

/// The columns of `check-ins.csv`.
pub const CHECK_IN_HEADER: [&str; 9] = [
    "event",
    "ticket_id",
    "tier",
    "day",
    "gate",
    "admissions",
    "scanned_at",
    "undone",
    "offline",
];

fn check_in_record(slug: &str, c: CheckedIn) -> Vec<String> {
    vec![
        slug.to_owned(),
        c.ticket_id,
        c.tier,
        c.day.to_string(),
        cell(&c.gate),
        c.admissions.to_string(),
        rfc3339(c.at_ms),
        c.undone.to_string(),
        c.offline.to_string(),
    ]
}

/// An order as a row of `orders.csv`.
trait OrderRow {
    fn record(
        &self,
        slugs: &HashMap<String, String>,
        add_on_tiers: &HashSet<(String, String)>,
    ) -> Vec<String>;
}

impl OrderRow for OrderDoc {
    fn record(
        &self,
        slugs: &HashMap<String, String>,
        add_on_tiers: &HashSet<(String, String)>,
    ) -> Vec<String> {
        let (add_ons, tickets): (Vec<&LineDoc>, Vec<&LineDoc>) = self
            .lines
            .iter()
            .partition(|l| is_add_on(&self.event_uid, l, add_on_tiers));
        let sum = |ls: Vec<&LineDoc>| ls.iter().map(|l| l.quantity).sum::<i64>();
        let refunded = self.refunded();
        vec![
            self.id.clone(),
            self.number.clone(),
            slugs.get(&self.event_uid).cloned().unwrap_or_default(),
            self.state.as_str().into(),
            self.channel.as_str().into(),
            rfc3339(self.placed_at_ms),
            cell(&self.buyer_name),
            cell(&self.buyer_email),
            self.buyer_phone.clone(),
            sum(tickets).to_string(),
            sum(add_ons).to_string(),
            self.currency.clone(),
            self.total.to_string(),
            refunded.to_string(),
            self.promo_code.clone().unwrap_or_default(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_fields_quoted() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Ada Lovelace"), "Ada Lovelace");
        let bytes = csv_chunk(&[vec!["a,b".into(), "say \"hi\"".into(), "two\nlines".into()]]);
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
        );
    }

    #[test]
    fn order_rows_split_tickets_from_add_ons_and_count_done_refunds() {
        let row: OrderDoc = serde_json::from_value(serde_json::json!({
            "_id": "o1", "number": "SO-1", "eventUid": "u1", "state": "Completed",
            "placedAtMs": 0, "buyerName": "-Ada", "buyerEmail": "ada@example.com",
            "currency": "GBP", "total": 7000,
            "lines": [
                {"tier": "ga", "quantity": 2},
                {"tier": "parking", "quantity": 1, "addOn": true},
                {"tier": "tee", "quantity": 3},
            ],
            "refunds": {
                "r1": {"tickets": [], "amount": 2500, "state": "Done"},
                "r2": {"tickets": [], "amount": 100, "state": "Pending"},
            },
        }))
        .unwrap();
        let slugs = HashMap::from([("u1".to_owned(), "acme/show".to_owned())]);
        let add_ons = HashSet::from([("u1".to_owned(), "tee".to_owned())]);
        let r = row.record(&slugs, &add_ons);
        let col = |name: &str| &r[ORDER_HEADER.iter().position(|h| *h == name).unwrap()];
        assert_eq!(col("event"), "acme/show");
        assert_eq!(col("channel"), "online");
        assert_eq!(col("placed_at"), "1970-01-01T00:00:00Z");
        assert_eq!(col("buyer_name"), "'-Ada");
        assert_eq!(
            (col("tickets").as_str(), col("add_ons").as_str()),
            ("2", "4")
        );
        assert_eq!(col("refunded_minor"), "2500");
        assert_eq!(r.len(), ORDER_HEADER.len());
    }
}
