//! Promoters' figures: series by hour, day or week of orders, tickets,
//! add-ons, gross sales, refunds, comps, box-office sales and promo-code
//! use (read from the orders in MongoDB), and of check-ins (read from the
//! events' streams, [`crate::checkins`]).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use async_graphql::{Context, Enum, Error, Object, SimpleObject};
use mongodb::bson::doc;
use sellout_common::proto::v1::CheckedIn;
use sellout_crds::Event;
use sellout_crds::organization::Role;
use sellout_crds::tier::TierKind;
use sellout_store::orders::{self as store, Channel, LineDoc, OrderDoc};

use super::Deps;
use crate::error::{self, gql_error};
use crate::{auth, checkins};

/// Width of one bucket of a series (UTC).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// One hour.
    Hour,
    /// One day (00:00 to 24:00 UTC).
    Day,
    /// One ISO week, Monday 00:00 UTC to the next Monday.
    Week,
}

impl Bucket {
    fn millis(self) -> i64 {
        match self {
            Bucket::Hour => 3_600_000,
            Bucket::Day => 86_400_000,
            Bucket::Week => 7 * 86_400_000,
        }
    }

    /// Start of the bucket holding `ms` (ms since the epoch).
    fn start(self, ms: i64) -> i64 {
        // 1970-01-01 was a Thursday: weeks start 3 days later (Monday
        // 1970-01-05).
        let offset = if self == Bucket::Week {
            4 * 86_400_000
        } else {
            0
        };
        (ms - offset).div_euclid(self.millis()) * self.millis() + offset
    }
}

/// Most buckets one series may have.
pub const MAX_BUCKETS: i64 = 2_000;

/// Figures of one bucket.
#[derive(SimpleObject, Clone, Debug, Default, PartialEq, Eq)]
pub struct SalesBucket {
    /// Start of the bucket (RFC 3339, UTC).
    pub start: String,
    /// Orders placed and paid (or complimentary) in the bucket.
    pub orders: i64,
    /// Tickets (units of admission tiers; a table counts once) in those
    /// orders.
    pub tickets: i64,
    /// Add-ons (units of add-on tiers: parking, merchandise) in those
    /// orders.
    pub add_ons: i64,
    /// Face value of those add-ons (unit price × quantity, before
    /// discounts, fees and taxes), minor units.
    pub add_on_face_minor: i64,
    /// What buyers paid, minor units.
    pub gross_minor: i64,
    /// Refunded so far of those orders, minor units.
    pub refunded_minor: i64,
    /// Tickets given away by the box office (add-ons not counted).
    pub comp_tickets: i64,
    /// Orders sold at the box office (not comps).
    pub box_office_orders: i64,
    /// Orders that used a promo code.
    pub promo_orders: i64,
}

/// A series in one currency.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct SalesSeries {
    /// ISO 4217 currency of the amounts.
    pub currency: String,
    /// Every bucket from `from` to `to`, empty ones included.
    pub buckets: Vec<SalesBucket>,
    /// Sum of the buckets.
    pub total: SalesBucket,
}

/// Use of one promo code.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct PromoUsage {
    /// The code.
    pub code: String,
    /// Orders that used it.
    pub orders: i64,
    /// Tickets in them.
    pub tickets: i64,
    /// What those buyers paid, minor units of `currency`.
    pub gross_minor: i64,
    /// ISO 4217 currency.
    pub currency: String,
}

/// Lines stored without the add-on flag (before it existed) take their
/// tier's kind: `add_on_tiers` holds `(event UID, tier name)` of the
/// add-on tiers in the catalog.
fn classify(sold: &mut [OrderDoc], add_on_tiers: &HashSet<(String, String)>) {
    for o in sold {
        let uid = o.event_uid.clone();
        for l in &mut o.lines {
            l.add_on = is_add_on(&uid, l, add_on_tiers);
        }
    }
}

/// Whether `line` of an order of event `event_uid` is an add-on: by the
/// workers' flag, or (lines stored before it) by its tier's kind.
pub(crate) fn is_add_on(
    event_uid: &str,
    line: &LineDoc,
    add_on_tiers: &HashSet<(String, String)>,
) -> bool {
    line.add_on || add_on_tiers.contains(&(event_uid.to_owned(), line.tier.clone()))
}

/// What the figures count of an order.
trait Sold {
    fn tickets(&self) -> i64;
    fn add_ons(&self) -> (i64, i64);
    fn add_to(&self, b: &mut SalesBucket);
}

impl Sold for OrderDoc {
    fn tickets(&self) -> i64 {
        self.lines
            .iter()
            .filter(|l| !l.add_on)
            .map(|l| l.quantity)
            .sum()
    }

    fn add_ons(&self) -> (i64, i64) {
        self.lines
            .iter()
            .filter(|l| l.add_on)
            .fold((0, 0), |(n, face), l| (n + l.quantity, face + l.amount))
    }

    fn add_to(&self, b: &mut SalesBucket) {
        b.orders += 1;
        b.tickets += self.tickets();
        let (add_ons, add_on_face) = self.add_ons();
        b.add_ons += add_ons;
        b.add_on_face_minor += add_on_face;
        b.gross_minor += self.total;
        b.refunded_minor += self.refunded();
        match self.channel {
            Channel::Comp => b.comp_tickets += self.tickets(),
            Channel::BoxOffice => b.box_office_orders += 1,
            Channel::Online | Channel::Imported => {}
        }
        if self.promo_code.is_some() {
            b.promo_orders += 1;
        }
    }
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
}

/// Buckets `orders` from `from` (inclusive) to `to` (exclusive), one
/// series per currency, empty buckets included.
fn series(orders: &[OrderDoc], from: i64, to: i64, bucket: Bucket) -> Vec<SalesSeries> {
    let first = bucket.start(from);
    let count = (to - first + bucket.millis() - 1) / bucket.millis();
    let mut by_currency: BTreeMap<&str, Vec<SalesBucket>> = BTreeMap::new();
    for o in orders {
        if o.placed_at_ms < from || o.placed_at_ms >= to {
            continue;
        }
        let buckets = by_currency.entry(&o.currency).or_insert_with(|| {
            (0..count)
                .map(|i| SalesBucket {
                    start: rfc3339(first + i * bucket.millis()),
                    ..Default::default()
                })
                .collect()
        });
        let i = (bucket.start(o.placed_at_ms) - first) / bucket.millis();
        o.add_to(&mut buckets[i as usize]);
    }
    by_currency
        .into_iter()
        .map(|(currency, buckets)| {
            let mut total = SalesBucket {
                start: rfc3339(from),
                ..Default::default()
            };
            for b in &buckets {
                total.orders += b.orders;
                total.tickets += b.tickets;
                total.add_ons += b.add_ons;
                total.add_on_face_minor += b.add_on_face_minor;
                total.gross_minor += b.gross_minor;
                total.refunded_minor += b.refunded_minor;
                total.comp_tickets += b.comp_tickets;
                total.box_office_orders += b.box_office_orders;
                total.promo_orders += b.promo_orders;
            }
            SalesSeries {
                currency: currency.to_owned(),
                buckets,
                total,
            }
        })
        .collect()
}

fn parse_time(what: &str, s: &str) -> Result<i64, Error> {
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| {
            gql_error(
                error::BAD_REQUEST,
                format!("{what} {s:?} is not an RFC 3339 time like 2026-11-01T00:00:00Z: {e}"),
            )
        })
}

/// Sales and check-in figures (ADMIN and above of the organization).
#[derive(Default)]
pub struct AnalyticsQuery;

impl AnalyticsQuery {
    /// The events of `organization` (or its event `event`).
    pub(crate) fn events(
        deps: &Deps,
        organization: &str,
        event: Option<&str>,
    ) -> Result<Vec<Arc<Event>>, Error> {
        let events: Vec<Arc<Event>> = deps
            .catalog
            .events()
            .into_iter()
            .filter(|e| e.metadata.namespace.as_deref() == Some(organization))
            .filter(|e| event.is_none_or(|n| e.metadata.name.as_deref() == Some(n)))
            .filter(|e| e.metadata.uid.is_some())
            .collect();
        if let Some(name) = event
            && events.is_empty()
        {
            return Err(gql_error(
                error::UNKNOWN_EVENT,
                format!("no event {organization}/{name}"),
            ));
        }
        Ok(events)
    }

    /// `(event UID, tier name)` of the add-on tiers of `events`.
    pub(crate) fn add_on_tiers(deps: &Deps, events: &[Arc<Event>]) -> HashSet<(String, String)> {
        let mut out = HashSet::new();
        for e in events {
            let (Some(ns), Some(name), Some(uid)) = (
                e.metadata.namespace.as_deref(),
                e.metadata.name.as_deref(),
                e.metadata.uid.as_deref(),
            ) else {
                continue;
            };
            for t in deps.catalog.tiers_of(ns, name) {
                if t.spec.kind == TierKind::AddOn
                    && let Some(tier) = t.metadata.name.clone()
                {
                    out.insert((uid.to_owned(), tier));
                }
            }
        }
        out
    }

    async fn sold(
        deps: &Deps,
        events: &[Arc<Event>],
        from: i64,
        to: i64,
    ) -> Result<Vec<OrderDoc>, Error> {
        let uids: Vec<&str> = events
            .iter()
            .filter_map(|e| e.metadata.uid.as_deref())
            .collect();
        let mut sold = store::sold(&deps.mongo, &uids, from, to)
            .await
            .map_err(|e| error::unavailable("the order database", e))?;
        classify(&mut sold, &Self::add_on_tiers(deps, events));
        Ok(sold)
    }
}

/// `from` and `to` parsed and checked against `bucket`.
fn range(from: &str, to: &str, bucket: Bucket) -> Result<(i64, i64), Error> {
    let (from, to) = (parse_time("from", from)?, parse_time("to", to)?);
    if to <= from {
        return Err(gql_error(error::BAD_REQUEST, "`to` must be after `from`"));
    }
    if (to - bucket.start(from)) / bucket.millis() > MAX_BUCKETS {
        return Err(gql_error(
            error::BAD_REQUEST,
            format!(
                "that is more than {MAX_BUCKETS} buckets: use a wider bucket or a shorter range"
            ),
        ));
    }
    Ok((from, to))
}

#[Object]
impl AnalyticsQuery {
    /// Sales of an organization's events (or of one, `event` = its name)
    /// from `from` to `to` (RFC 3339; `to` exclusive) by `bucket`, one
    /// series per currency. Needs ADMIN or above; at most 2,000 buckets.
    async fn sales_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "One event's name (default: every event of the organization).")]
        event: Option<String>,
        #[graphql(desc = "Start, RFC 3339 (e.g. 2026-11-01T00:00:00Z), inclusive.")] from: String,
        #[graphql(desc = "End, RFC 3339, exclusive.")] to: String,
        #[graphql(
            default_with = "Bucket::Day",
            desc = "Width of a bucket (default DAY)."
        )]
        bucket: Bucket,
    ) -> Result<Vec<SalesSeries>, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        let deps = ctx.data::<Deps>()?;
        let (from, to) = range(&from, &to, bucket)?;
        let events = Self::events(deps, &organization, event.as_deref())?;
        let sold = Self::sold(deps, &events, from, to).await?;
        Ok(series(&sold, from, to, bucket))
    }

    /// Check-ins at the door of an organization's events (or of one,
    /// `event` = its name) from `from` to `to` (RFC 3339; `to` exclusive)
    /// by `bucket`, by the time of the scan (the scanner's clock for
    /// offline scans). Needs ADMIN or above; at most 2,000 buckets.
    async fn check_in_series(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "One event's name (default: every event of the organization).")]
        event: Option<String>,
        #[graphql(desc = "Start, RFC 3339 (e.g. 2026-11-01T00:00:00Z), inclusive.")] from: String,
        #[graphql(desc = "End, RFC 3339, exclusive.")] to: String,
        #[graphql(
            default_with = "Bucket::Day",
            desc = "Width of a bucket (default DAY)."
        )]
        bucket: Bucket,
    ) -> Result<CheckInSeries, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        let deps = ctx.data::<Deps>()?;
        let (from, to) = range(&from, &to, bucket)?;
        let events = Self::events(deps, &organization, event.as_deref())?;
        let mut scans = Vec::new();
        for e in &events {
            let uid = e.metadata.uid.as_deref().unwrap_or_default();
            scans.extend(
                checkins::read_all(&deps.nats, uid)
                    .await
                    .map_err(|e| error::unavailable("the event's stream", e))?,
            );
        }
        Ok(check_in_series(&scans, from, to, bucket))
    }

    /// How often each promo code was used at an organization's events (or
    /// one), most used first. Needs ADMIN or above.
    async fn promo_usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's namespace.")] organization: String,
        #[graphql(desc = "One event's name (default: every event of the organization).")]
        event: Option<String>,
    ) -> Result<Vec<PromoUsage>, Error> {
        auth::require(ctx, &organization, Role::Admin)?;
        let deps = ctx.data::<Deps>()?;
        let events = Self::events(deps, &organization, event.as_deref())?;
        let sold = Self::sold(deps, &events, i64::MIN, i64::MAX).await?;
        Ok(promo_usage(&sold))
    }
}

/// Check-ins of one bucket.
#[derive(SimpleObject, Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckInBucket {
    /// Start of the bucket (RFC 3339, UTC).
    pub start: String,
    /// Tickets checked in (scans admitted) in the bucket.
    pub check_ins: i64,
    /// People those check-ins admitted (a table's seats count each).
    pub admissions: i64,
    /// Check-ins undone by staff in the bucket (by the time of the undo).
    pub undone: i64,
    /// Check-ins among `checkIns` made offline and synced later.
    pub offline: i64,
}

/// Check-ins by bucket.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct CheckInSeries {
    /// Every bucket from `from` to `to`, empty ones included.
    pub buckets: Vec<CheckInBucket>,
    /// Sum of the buckets.
    pub total: CheckInBucket,
}

/// Buckets `scans` by their time from `from` (inclusive) to `to`
/// (exclusive), empty buckets included.
fn check_in_series(scans: &[CheckedIn], from: i64, to: i64, bucket: Bucket) -> CheckInSeries {
    let first = bucket.start(from);
    let count = (to - first + bucket.millis() - 1) / bucket.millis();
    let mut buckets: Vec<CheckInBucket> = (0..count)
        .map(|i| CheckInBucket {
            start: rfc3339(first + i * bucket.millis()),
            ..Default::default()
        })
        .collect();
    let mut total = CheckInBucket {
        start: rfc3339(from),
        ..Default::default()
    };
    for c in scans {
        if c.at_ms < from || c.at_ms >= to {
            continue;
        }
        let i = ((bucket.start(c.at_ms) - first) / bucket.millis()) as usize;
        for b in [&mut buckets[i], &mut total] {
            if c.undone {
                b.undone += 1;
            } else {
                b.check_ins += 1;
                b.admissions += i64::from(c.admissions.max(1));
                b.offline += i64::from(c.offline);
            }
        }
    }
    CheckInSeries { buckets, total }
}

fn promo_usage(sold: &[OrderDoc]) -> Vec<PromoUsage> {
    let mut by_code: BTreeMap<(&str, &str), PromoUsage> = BTreeMap::new();
    for o in sold {
        let Some(code) = o.promo_code.as_deref() else {
            continue;
        };
        let u = by_code
            .entry((code, &o.currency))
            .or_insert_with(|| PromoUsage {
                code: code.to_owned(),
                orders: 0,
                tickets: 0,
                gross_minor: 0,
                currency: o.currency.clone(),
            });
        u.orders += 1;
        u.tickets += o.tickets();
        u.gross_minor += o.total;
    }
    let mut out: Vec<_> = by_code.into_values().collect();
    out.sort_by(|a, b| b.orders.cmp(&a.orders).then_with(|| a.code.cmp(&b.code)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;
    const D: i64 = 24 * H;

    fn sold(
        at: i64,
        currency: &str,
        total: i64,
        qty: i64,
        chan: Channel,
        promo: Option<&str>,
    ) -> OrderDoc {
        OrderDoc {
            event_uid: "u1".into(),
            placed_at_ms: at,
            currency: currency.into(),
            total,
            lines: vec![LineDoc {
                tier: "ga".into(),
                quantity: qty,
                amount: total,
                ..Default::default()
            }],
            channel: chan,
            promo_code: promo.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn weeks_start_on_monday_and_days_at_midnight() {
        // 2026-11-25 (a Wednesday) 13:00 UTC.
        let t: i64 = "2026-11-25T13:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond();
        assert_eq!(rfc3339(Bucket::Day.start(t)), "2026-11-25T00:00:00Z");
        assert_eq!(rfc3339(Bucket::Week.start(t)), "2026-11-23T00:00:00Z");
        assert_eq!(
            rfc3339(Bucket::Hour.start(t + 59 * 60_000)),
            "2026-11-25T13:00:00Z"
        );
    }

    #[test]
    fn series_fill_every_bucket_and_split_currencies() {
        let mut refunded = sold(D + 2 * H, "GBP", 5000, 2, Channel::Online, Some("EARLY"));
        refunded.refunds.insert(
            "r1".into(),
            store::RefundDoc {
                amount: 2500,
                state: store::RefundState::Done,
                ..Default::default()
            },
        );
        refunded.refunds.insert(
            "r2".into(),
            store::RefundDoc {
                amount: 2500,
                state: store::RefundState::Pending,
                ..Default::default()
            },
        );
        let orders = vec![
            sold(H, "GBP", 1000, 1, Channel::Online, None),
            refunded,
            sold(D + 3 * H, "GBP", 0, 4, Channel::Comp, None),
            sold(2 * D, "USD", 700, 1, Channel::BoxOffice, None),
            sold(5 * D, "GBP", 999, 9, Channel::Online, None), // after `to`
        ];
        let s = series(&orders, 0, 3 * D, Bucket::Day);
        assert_eq!(s.len(), 2);
        let gbp = &s[0];
        assert_eq!(gbp.currency, "GBP");
        assert_eq!(gbp.buckets.len(), 3);
        assert_eq!(gbp.buckets[0].orders, 1);
        assert_eq!(gbp.buckets[1].orders, 2);
        assert_eq!(gbp.buckets[1].tickets, 6);
        assert_eq!(gbp.buckets[1].refunded_minor, 2500, "only done refunds");
        assert_eq!(gbp.buckets[1].comp_tickets, 4);
        assert_eq!(gbp.buckets[1].promo_orders, 1);
        assert_eq!(
            gbp.buckets[2],
            SalesBucket {
                start: "1970-01-03T00:00:00Z".into(),
                ..Default::default()
            }
        );
        assert_eq!(gbp.total.gross_minor, 6000);
        assert_eq!(s[1].total.box_office_orders, 1);
        let usage = promo_usage(&orders);
        assert_eq!(usage.len(), 1);
        assert_eq!(
            (usage[0].code.as_str(), usage[0].orders, usage[0].tickets),
            ("EARLY", 1, 2)
        );
    }

    #[test]
    fn add_ons_are_counted_apart_from_tickets_by_flag_or_tier_kind() {
        let line = |tier: &str, qty: i64, amount: i64, add_on: bool| LineDoc {
            tier: tier.into(),
            quantity: qty,
            amount,
            add_on,
            ..Default::default()
        };
        let mut a = sold(H, "GBP", 7000, 0, Channel::Online, None);
        a.lines = vec![line("ga", 2, 5000, false), line("parking", 1, 1500, true)];
        // Stored before the flag: the tier's kind decides.
        let mut b = sold(2 * H, "GBP", 0, 0, Channel::Comp, None);
        b.lines = vec![line("ga", 1, 0, false), line("tee", 3, 0, false)];
        let mut orders = vec![a, b];
        let add_on_tiers = HashSet::from([("u1".to_owned(), "tee".to_owned())]);
        classify(&mut orders, &add_on_tiers);
        let s = series(&orders, 0, D, Bucket::Day);
        let t = &s[0].total;
        assert_eq!((t.tickets, t.add_ons, t.add_on_face_minor), (3, 4, 1500));
        assert_eq!(t.comp_tickets, 1, "comp add-ons are not comp tickets");
        let s = series(&orders, 0, 3 * H, Bucket::Hour);
        assert_eq!(s[0].buckets[1].add_ons, 1);
        assert_eq!(s[0].buckets[2].add_ons, 3);
    }

    #[test]
    fn check_ins_are_bucketed_by_scan_time_with_undos_apart() {
        let scan = |at: i64, admissions: i32, undone: bool, offline: bool| CheckedIn {
            ticket_id: format!("t{at}"),
            at_ms: at,
            admissions,
            undone,
            offline,
            ..Default::default()
        };
        let scans = [
            scan(H + 1, 1, false, false),
            scan(H + 2, 4, false, true),
            scan(2 * H, 1, true, false),
            scan(5 * H, 1, false, false), // after `to`
            scan(-1, 1, false, false),    // before `from`
        ];
        let s = check_in_series(&scans, 0, 3 * H, Bucket::Hour);
        assert_eq!(s.buckets.len(), 3);
        assert_eq!(
            s.buckets[0],
            CheckInBucket {
                start: "1970-01-01T00:00:00Z".into(),
                ..Default::default()
            }
        );
        let b = &s.buckets[1];
        assert_eq!(
            (b.check_ins, b.admissions, b.offline, b.undone),
            (2, 5, 1, 0)
        );
        assert_eq!(s.buckets[2].undone, 1);
        assert_eq!((s.total.check_ins, s.total.undone), (2, 1));
    }
}
