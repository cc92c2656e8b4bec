//! An organization's customers: everyone who completed an order at one of
//! its events, by e-mail address (any case) and currency, with their
//! lifetime value.
//!
//! Computed in the gateway from a scan of the organization's completed
//! and refunded orders (at most [`MAX_SCAN`]), not with a MongoDB
//! `$group`: FerretDB v1 has `$group` with `$sum` and `$count` only (no
//! `$max`/`$last` for the latest name and date, no `$toLower` to merge an
//! address written in two cases), and an order's refunds are a map keyed
//! by refund id, which only `$objectToArray` (missing too) could sum.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Error, Object, SimpleObject};
use futures::TryStreamExt;
use mongodb::bson::doc;
use sellout_crds::organization::Role;
use sellout_store::orders::{self as store, OrderDoc};

use super::Deps;
use super::orders::{DEFAULT_PAGE, event_uids_in};
use super::paging::{self, decode_after, page_size};
use crate::auth;
use crate::catalog::Catalog;
use crate::error::{self, gql_error, unavailable};

/// Most orders one customer list reads.
pub const MAX_SCAN: usize = 200_000;

/// A customer of an organization, in one currency.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    /// Their e-mail address (lower case).
    pub email: String,
    /// The name on their latest order.
    pub name: String,
    /// ISO 4217 currency of the figures below.
    pub currency: String,
    /// Orders completed (refunded ones included).
    pub orders: i64,
    /// What they paid, less what was refunded, minor units of `currency`.
    pub lifetime_value_minor: i64,
    /// What was refunded to them, minor units of `currency`.
    pub refunded_minor: i64,
    /// When they placed their first order, ms since the epoch.
    pub first_order_at_ms: i64,
    /// When they placed their latest order, ms since the epoch.
    pub last_order_at_ms: i64,
}

/// Customers by `(e-mail, currency)` from their orders (pure).
fn customers(sales: impl IntoIterator<Item = OrderDoc>) -> BTreeMap<(String, String), Customer> {
    let mut out: BTreeMap<(String, String), Customer> = BTreeMap::new();
    for s in sales {
        let email = s.buyer_email.trim().to_lowercase();
        if email.is_empty() {
            continue;
        }
        let refunded = s.refunded();
        let c = out
            .entry((email.clone(), s.currency.clone()))
            .or_insert_with(|| Customer {
                email,
                name: String::new(),
                currency: s.currency.clone(),
                orders: 0,
                lifetime_value_minor: 0,
                refunded_minor: 0,
                first_order_at_ms: i64::MAX,
                last_order_at_ms: i64::MIN,
            });
        c.orders += 1;
        c.lifetime_value_minor += s.total - refunded;
        c.refunded_minor += refunded;
        c.first_order_at_ms = c.first_order_at_ms.min(s.placed_at_ms);
        if s.placed_at_ms >= c.last_order_at_ms {
            c.last_order_at_ms = s.placed_at_ms;
            if !s.buyer_name.trim().is_empty() {
                c.name = s.buyer_name.trim().to_owned();
            }
        }
    }
    out
}

/// Which customer a [`CustomerLoader`] loads: an e-mail address (lower
/// case) and a currency in an organization.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CustomerKey {
    /// The organization's namespace.
    pub organization: String,
    /// The buyer's e-mail address, lower case.
    pub email: String,
    /// ISO 4217 currency.
    pub currency: String,
}

/// Loads customers (as the `customers` list computes them) for many keys
/// at once: one MongoDB query per batch and organization, for every
/// address asked for in it, instead of one per order of a list
/// (`Order.customer`). Used through async-graphql's `DataLoader` (schema
/// data), which collects the keys the resolvers of one response (and of
/// responses executing at the same moment) ask for within 1 ms.
pub struct CustomerLoader {
    /// The orders.
    pub mongo: mongodb::Database,
    /// The organizations' events.
    pub catalog: Catalog,
    /// Counts the queries made (`sellout_gateway_loader_queries_total`).
    pub queries: prometheus_client::metrics::counter::Counter,
    /// Counts the keys asked for (`sellout_gateway_loader_keys_total`).
    pub keys: prometheus_client::metrics::counter::Counter,
}

impl async_graphql::dataloader::Loader<CustomerKey> for CustomerLoader {
    type Value = Customer;
    type Error = Arc<String>;

    async fn load(
        &self,
        keys: &[CustomerKey],
    ) -> Result<HashMap<CustomerKey, Customer>, Self::Error> {
        self.keys.inc_by(keys.len() as u64);
        let mut by_org: BTreeMap<&str, Vec<&CustomerKey>> = BTreeMap::new();
        for k in keys {
            by_org.entry(&k.organization).or_default().push(k);
        }
        let mut out = HashMap::new();
        for (org, keys) in by_org {
            let uids: Vec<String> = self
                .catalog
                .events()
                .iter()
                .filter(|e| e.metadata.namespace.as_deref() == Some(org))
                .filter_map(|e| e.metadata.uid.clone())
                .collect();
            let mut emails: Vec<&str> = keys.iter().map(|k| k.email.as_str()).collect();
            emails.sort_unstable();
            emails.dedup();
            self.queries.inc();
            let fail =
                |e: mongodb::error::Error| Arc::new(format!("the order store is unavailable: {e}"));
            let sales: Vec<OrderDoc> = store::sales(&self.mongo, &uids, Some(&emails))
                .await
                .map_err(fail)?
                .try_collect()
                .await
                .map_err(fail)?;
            let mut found = customers(sales);
            for k in keys {
                if let Some(c) = found.remove(&(k.email.clone(), k.currency.clone())) {
                    out.insert((*k).clone(), c);
                }
            }
        }
        Ok(out)
    }
}

/// The customers of `organization` from the Completed and Refunded orders
/// of the events `uids` (at most [`MAX_SCAN`] orders), by `(e-mail,
/// currency)`.
pub(crate) async fn scan(
    deps: &Deps,
    organization: &str,
    uids: Vec<String>,
) -> Result<BTreeMap<(String, String), Customer>, Error> {
    Ok(customers(
        sales_of(deps, organization, &uids, "to total customers here").await?,
    ))
}

/// The Completed and Refunded orders of the events `uids` of
/// `organization`, at most [`MAX_SCAN`] (else an error saying they are too
/// many `for_what`).
async fn sales_of(
    deps: &Deps,
    organization: &str,
    uids: &[String],
    for_what: &str,
) -> Result<Vec<OrderDoc>, Error> {
    let mut cursor = store::sales(&deps.mongo, uids, None)
        .await
        .map_err(|e| unavailable("the order store", e))?;
    let mut sales = Vec::new();
    while let Some(s) = cursor
        .try_next()
        .await
        .map_err(|e| unavailable("the order store", e))?
    {
        if sales.len() == MAX_SCAN {
            return Err(gql_error(
                error::TOO_LARGE,
                format!(
                    "organization {organization} has more than {MAX_SCAN} orders: too many {for_what}"
                ),
            ));
        }
        sales.push(s);
    }
    Ok(sales)
}

/// The buyers of one 0.1-degree cell of the map (about 11 km), from the
/// orders whose buyers chose to share roughly where they are.
#[derive(SimpleObject, Clone, Debug, PartialEq)]
pub struct BuyerArea {
    /// Latitude of the cell's centre, degrees.
    pub latitude: f64,
    /// Longitude of the cell's centre, degrees.
    pub longitude: f64,
    /// Completed (or since refunded) orders from it.
    pub orders: i32,
    /// Different buyers (e-mail addresses) among them: at least 5.
    pub buyers: i32,
}

/// Fewest buyers (distinct e-mail addresses) a cell of the buyer map needs
/// to be shown: a cell of one or two buyers could tie them (a neighbour, a
/// colleague) to where they live, however many orders they placed.
pub const MIN_CELL_BUYERS: usize = 5;

/// The cells of `sales` with at least [`MIN_CELL_BUYERS`] buyers, with
/// their order counts, most orders first.
fn buyer_areas(sales: impl IntoIterator<Item = OrderDoc>) -> Vec<BuyerArea> {
    let mut cells: BTreeMap<sellout_store::orders::AreaDoc, (i32, HashSet<String>)> =
        BTreeMap::new();
    for s in sales {
        if let Some(a) = s.buyer_area {
            let (orders, buyers) = cells.entry(a).or_default();
            *orders += 1;
            buyers.insert(s.buyer_email.to_lowercase());
        }
    }
    let mut areas: Vec<BuyerArea> = cells
        .into_iter()
        .filter(|(_, (_, buyers))| buyers.len() >= MIN_CELL_BUYERS)
        .map(|(a, (orders, buyers))| BuyerArea {
            latitude: (f64::from(a.lat_tenths) + 0.5) / 10.0,
            longitude: (f64::from(a.lon_tenths) + 0.5) / 10.0,
            orders,
            buyers: i32::try_from(buyers.len()).unwrap_or(i32::MAX),
        })
        .collect();
    areas.sort_by_key(|a| std::cmp::Reverse(a.orders));
    areas
}

/// Customer lists.
#[derive(Default)]
pub struct CustomersQuery;

#[Object]
impl CustomersQuery {
    /// The customers of an organization (`organization`: its namespace),
    /// by e-mail address then currency, with their lifetime value (what
    /// their completed orders paid, less refunds); for BOX_OFFICE and
    /// above.
    async fn customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "Page size, 1 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the page before.")] after: Option<String>,
    ) -> Result<Connection<String, Customer>, Error> {
        auth::require(ctx, &organization, Role::BoxOffice)?;
        let deps = ctx.data::<Deps>()?;
        let size = page_size(first, DEFAULT_PAGE)? as usize;
        let after = decode_after::<(String, String)>(after.as_deref())?;
        let uids = event_uids_in(deps, &organization);
        let all = scan(deps, &organization, uids).await?;
        let mut page = all
            .into_iter()
            .filter(|(key, _)| after.as_ref().is_none_or(|a| key > a))
            .take(size + 1);
        let mut conn = Connection::new(after.is_some(), false);
        for (key, c) in page.by_ref().take(size) {
            conn.edges.push(Edge::new(paging::cursor(key), c));
        }
        conn.has_next_page = page.next().is_some();
        Ok(conn)
    }

    /// Where buyers are, roughly: completed orders per 0.1-degree cell of
    /// the map (about 11 km), counting only buyers who chose to share it
    /// when ordering, and only cells with at least 5 such buyers (so no
    /// cell points at one buyer). For one event (`event`: its name) or
    /// all of the organization's. Needs ADMIN or above; TOO_LARGE past
    /// 200,000 orders.
    async fn buyer_map(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "One event's name (default: every event of the organization).")]
        event: Option<String>,
    ) -> Result<Vec<BuyerArea>, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        let deps = ctx.data::<Deps>()?;
        let uids: Vec<String> = match &event {
            None => event_uids_in(deps, &organization),
            Some(name) => deps
                .catalog
                .events()
                .iter()
                .filter(|e| {
                    e.metadata.namespace.as_deref() == Some(organization.as_str())
                        && e.metadata.name.as_deref() == Some(name.as_str())
                })
                .filter_map(|e| e.metadata.uid.clone())
                .collect(),
        };
        if event.is_some() && uids.is_empty() {
            return Err(gql_error(
                error::UNKNOWN_EVENT,
                format!(
                    "organization {organization} has no event {:?}",
                    event.unwrap_or_default()
                ),
            ));
        }
        let sales = sales_of(deps, &organization, &uids, "to map here").await?;
        Ok(buyer_areas(sales))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale(email: &str, currency: &str, total: i64, at: i64, refunds: &[(i64, &str)]) -> OrderDoc {
        OrderDoc {
            buyer_email: email.into(),
            buyer_name: format!("name at {at}"),
            currency: currency.into(),
            total,
            placed_at_ms: at,
            refunds: refunds
                .iter()
                .enumerate()
                .map(|(i, (amount, st))| {
                    (
                        format!("r{i}"),
                        serde_json::from_value(serde_json::json!({
                            "tickets": [], "amount": amount, "feesReturned": false, "state": st
                        }))
                        .unwrap(),
                    )
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_buyer_map_counts_orders_per_cell_and_only_shared_areas() {
        let at = |who: &str, lat: i32, lon: i32| {
            let mut o = sale(who, "GBP", 100, 1, &[]);
            o.buyer_area = Some(sellout_store::orders::AreaDoc {
                lat_tenths: lat,
                lon_tenths: lon,
            });
            o
        };
        let buyer = |i: usize| format!("b{i}@example.com");
        // York: six buyers, one of them twice (in another case: the same
        // buyer).
        let mut sales: Vec<OrderDoc> = (0..6).map(|i| at(&buyer(i), 539, -11)).collect();
        sales.push(at("B0@Example.com", 539, -11));
        // London: five buyers.
        sales.extend((0..5).map(|i| at(&buyer(i), 515, -2)));
        sales.push(sale("x@example.com", "GBP", 100, 2, &[]));
        // Four buyers: one short of being shown.
        sales.extend((0..4).map(|i| at(&buyer(i), 100, 100)));
        // Ten orders of one regular: still one buyer, never shown.
        sales.extend((0..10).map(|_| at("regular@example.com", 200, 200)));
        assert_eq!(
            buyer_areas(sales),
            vec![
                BuyerArea {
                    latitude: 53.95,
                    longitude: -1.05,
                    orders: 7,
                    buyers: 6,
                },
                BuyerArea {
                    latitude: 51.55,
                    longitude: -0.15,
                    orders: 5,
                    buyers: 5,
                },
            ]
        );
    }

    #[test]
    fn lifetime_value_is_paid_less_done_refunds_per_address_and_currency() {
        let all = customers([
            sale(
                "Ada@Example.com",
                "GBP",
                5000,
                2,
                &[(1000, "Done"), (700, "Pending")],
            ),
            sale("ada@example.com", "GBP", 3000, 5, &[]),
            sale("ada@example.com", "EUR", 2000, 1, &[]),
            sale("bob@example.com", "GBP", 4000, 3, &[(4000, "Done")]),
            sale("", "GBP", 100, 1, &[]),
        ]);
        assert_eq!(all.len(), 3);
        let ada = &all[&("ada@example.com".to_owned(), "GBP".to_owned())];
        assert_eq!(ada.orders, 2);
        assert_eq!(ada.lifetime_value_minor, 7000);
        assert_eq!(ada.refunded_minor, 1000);
        assert_eq!((ada.first_order_at_ms, ada.last_order_at_ms), (2, 5));
        assert_eq!(ada.name, "name at 5");
        assert_eq!(
            all[&("ada@example.com".to_owned(), "EUR".to_owned())].lifetime_value_minor,
            2000
        );
        assert_eq!(
            all[&("bob@example.com".to_owned(), "GBP".to_owned())].lifetime_value_minor,
            0
        );
    }
}
