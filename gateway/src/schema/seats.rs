//! Seat maps: the seats of a seated tier and the tables of a tables tier,
//! each free, held or sold, for the portal's picker (`seatMap`, and the
//! `seatMap` subscription that follows it live).
//!
//! The checkout writer answers which seats are taken (`rpc.seats`); its
//! queue is the one holds wait in, so a crowd reloading a seat map must
//! not reach it once per request. [`SeatMaps`] keeps each tier's last
//! answer and reuses it while the tier's counts in the live availability
//! cache have not moved (every hold, release, sale, refund and expiry
//! moves them), for at most [`SeatMaps::MAX_AGE`]; concurrent misses of
//! one tier share one request.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::{Context, Enum, Error, SimpleObject, Subscription};
use futures::StreamExt;
use futures::stream::{self, BoxStream};
use sellout_client::CheckoutClient;
use sellout_common::proto::v1::{CheckoutError, ErrorCode, Seats, TierStock};
use sellout_crds::organization::Role;
use sellout_crds::tier::Visibility;

use super::Deps;
use super::public::{event_client, has_role, promo_rate, split_slug};
use crate::error::{checkout_error, gql_error};
use crate::live::Live;

/// What a seat (or table) is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum SeatState {
    /// Nobody holds it: it can be held.
    Free,
    /// A checkout holds it (it may pay for it or let it go).
    Held,
    /// Paid for.
    Sold,
}

/// One seat, or one table of a tables tier.
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct SeatView {
    /// Its label: what `hold(seats:)` takes ("C12"; "T3" for a table).
    pub label: String,
    /// Free, held or sold.
    pub state: SeatState,
}

/// A row of seats (for tables: all of them, in one row named "").
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct SeatRow {
    /// The row's letters ("A", …, "AA"); "" for tables or labels without
    /// a row.
    pub name: String,
    /// Its seats in order.
    pub seats: Vec<SeatView>,
}

/// The seats of a seated tier, or the tables of a tables tier.
#[derive(Clone, Debug, PartialEq, Eq, SimpleObject)]
pub struct SeatMap {
    /// The event's slug.
    pub event: String,
    /// The tier.
    pub tier: String,
    /// The Venue section it sells.
    pub section: String,
    /// Whether each unit is a whole table (`seatsPerTable` people).
    pub tables: bool,
    /// People at each table, for a tables tier.
    pub seats_per_table: Option<i32>,
    /// Seats (or tables) free now.
    pub free: i64,
    /// Rows in order, front to back.
    pub rows: Vec<SeatRow>,
}

/// The workers' answers per tier, reused while the tier's counts stand.
pub struct SeatMaps {
    entries: Mutex<lru::LruCache<(String, String), Slot>>,
}

/// One tier's last answer; its lock makes concurrent misses wait for one
/// request.
type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

struct Cached {
    at: Instant,
    counts: Option<(i64, i64, i64)>,
    seats: Arc<Seats>,
}

impl Default for SeatMaps {
    fn default() -> Self {
        SeatMaps {
            entries: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(4096).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl SeatMaps {
    /// Longest an answer is reused even though the tier's counts stand (a
    /// release and a hold in one batch leave them equal).
    pub const MAX_AGE: Duration = Duration::from_secs(1);
    /// How long an answer is reused while the counts are unknown.
    pub const BLIND_AGE: Duration = Duration::from_millis(250);

    /// The taken seats of `tier` of event `uid`, from the workers or a
    /// recent answer given the same `counts` (the tier's available, held
    /// and sold in the live cache).
    pub async fn get(
        &self,
        client: &CheckoutClient,
        uid: &str,
        tier: &str,
        counts: Option<(i64, i64, i64)>,
    ) -> Result<Arc<Seats>, CheckoutError> {
        let slot = {
            let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries
                .get_or_insert((uid.to_owned(), tier.to_owned()), Default::default)
                .clone()
        };
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref() {
            let age = c.at.elapsed();
            let reusable = match counts {
                Some(_) => c.counts == counts && age < Self::MAX_AGE,
                None => age < Self::BLIND_AGE,
            };
            if reusable {
                return Ok(c.seats.clone());
            }
        }
        let seats = Arc::new(client.seats(tier).await?);
        *cached = Some(Cached {
            at: Instant::now(),
            counts,
            seats: seats.clone(),
        });
        Ok(seats)
    }
}

/// A tier's available, held and sold counts in `live`, if known.
fn counts_of(live: Option<&[TierStock]>, tier: &str) -> Option<(i64, i64, i64)> {
    live?
        .iter()
        .find(|s| s.tier == tier)
        .map(|s| (s.available, s.held, s.sold))
}

/// The map of `seats` as GraphQL shows it: labels grouped into rows by
/// their letters, in the workers' reading order.
fn view(slug: &str, seats: &Seats, seats_per_table: Option<i32>) -> SeatMap {
    let taken: std::collections::HashMap<&str, bool> = seats
        .taken
        .iter()
        .map(|t| (t.label.as_str(), t.sold))
        .collect();
    let mut rows: Vec<SeatRow> = Vec::new();
    let mut free = 0;
    for label in &seats.labels {
        let row = if seats_per_table.is_some() {
            ""
        } else {
            label
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end_matches([' ', '-'])
        };
        let state = match taken.get(label.as_str()) {
            None => {
                free += 1;
                SeatState::Free
            }
            Some(false) => SeatState::Held,
            Some(true) => SeatState::Sold,
        };
        let seat = SeatView {
            label: label.clone(),
            state,
        };
        match rows.last_mut() {
            Some(r) if r.name == row => r.seats.push(seat),
            _ => rows.push(SeatRow {
                name: row.to_owned(),
                seats: vec![seat],
            }),
        }
    }
    SeatMap {
        event: slug.to_owned(),
        tier: seats.tier.clone(),
        section: seats.section.clone(),
        tables: seats_per_table.is_some(),
        seats_per_table,
        free,
        rows,
    }
}

/// What a seat map request resolved to: the event's checkout client and
/// uid, and the tier's table size (if a tables tier).
struct Target {
    client: CheckoutClient,
    uid: String,
    seats_per_table: Option<i32>,
}

/// Checks that the caller may see `tier`'s seats: Public tiers for
/// everyone, PromoCode tiers with one of their codes, Hidden tiers for
/// the organization's BOX_OFFICE and above. Any other gets UNKNOWN_TIER,
/// as a tier that does not exist (nothing tells a hidden tier is there).
async fn target(
    ctx: &Context<'_>,
    event: &str,
    tier: &str,
    promo_code: Option<&str>,
) -> Result<Target, Error> {
    let deps = ctx.data::<Deps>()?;
    let (client, uid) = event_client(ctx, event).await?;
    let (ns, name) = split_slug(event)?;
    let unknown = || {
        gql_error(
            ErrorCode::UnknownTier.as_str_name(),
            format!("event {event} has no tier {tier:?} with a seat map"),
        )
    };
    let tiers = deps.catalog.tiers_of(ns, name);
    let t = tiers
        .iter()
        .find(|t| t.metadata.name.as_deref() == Some(tier))
        .ok_or_else(unknown)?;
    let code = promo_code.filter(|c| !c.is_empty());
    if code.is_some() {
        promo_rate(ctx).await?;
    }
    let visible = match t.spec.visibility {
        Visibility::Public => true,
        Visibility::PromoCode => {
            code.is_some_and(|c| {
                t.spec
                    .promo_codes
                    .iter()
                    .any(|p| p.0.eq_ignore_ascii_case(c))
            }) || has_role(ctx, ns, Role::BoxOffice)
        }
        Visibility::Hidden => has_role(ctx, ns, Role::BoxOffice),
    };
    if !visible {
        return Err(unknown());
    }
    Ok(Target {
        client,
        uid,
        seats_per_table: t.spec.table.as_ref().map(|t| t.seats),
    })
}

/// Reads the map of `tier` through the cache.
async fn read(
    maps: &SeatMaps,
    live: &Live,
    slug: &str,
    tier: &str,
    t: &Target,
) -> Result<SeatMap, CheckoutError> {
    let counts = live.availability(&t.uid).await;
    let counts = counts_of(counts.as_deref().map(|v| &v[..]), tier);
    let seats = maps.get(&t.client, &t.uid, tier, counts).await?;
    Ok(view(slug, &seats, t.seats_per_table))
}

/// The seat map query.
#[derive(Default)]
pub struct SeatsQuery;

#[async_graphql::Object]
impl SeatsQuery {
    /// The seats of seated tier `tier` (or the tables of a tables tier) of
    /// event `event`, each free, held or sold: what the portal's picker
    /// shows; hold the chosen ones with `hold(seats:)`. A tier sold by
    /// quantity (general admission) has none: UNKNOWN_SEAT. A promo-code
    /// tier needs one of its codes, a hidden one the BOX_OFFICE role.
    async fn seat_map(
        &self,
        ctx: &Context<'_>,
        event: String,
        tier: String,
        promo_code: Option<String>,
    ) -> Result<SeatMap, Error> {
        let t = target(ctx, &event, &tier, promo_code.as_deref()).await?;
        read(
            ctx.data::<Arc<SeatMaps>>()?,
            ctx.data::<Live>()?,
            &event,
            &tier,
            &t,
        )
        .await
        .map_err(checkout_error)
    }
}

/// The seat map subscription.
#[derive(Default)]
pub struct SeatsSubscription;

/// How often a followed seat map is read again though the tier's counts
/// in the live cache did not move (or are unknown).
const FOLLOW_EVERY: Duration = Duration::from_secs(5);

#[Subscription]
impl SeatsSubscription {
    /// The seat map of `tier` of event `event` (as the `seatMap` query):
    /// now, then again whenever a seat changes hands (at most ten times a
    /// second). No login needed for a public tier.
    async fn seat_map(
        &self,
        ctx: &Context<'_>,
        event: String,
        tier: String,
        promo_code: Option<String>,
    ) -> Result<BoxStream<'static, Result<SeatMap, Error>>, Error> {
        let t = Arc::new(target(ctx, &event, &tier, promo_code.as_deref()).await?);
        let maps = ctx.data::<Arc<SeatMaps>>()?.clone();
        let live = ctx.data::<Live>()?.clone();
        let watch = live.watch(&t.uid);
        let first = read(&maps, &live, &event, &tier, &t)
            .await
            .map_err(checkout_error)?;
        let state = (watch, first.clone(), maps, live, t, event, tier);
        let rest = stream::unfold(
            state,
            |(mut watch, mut last, maps, live, t, event, tier)| async move {
                loop {
                    // A change of the event's counts, or the periodic re-read.
                    let _ = tokio::time::timeout(FOLLOW_EVERY, watch.rx.changed()).await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    match read(&maps, &live, &event, &tier, &t).await {
                        Ok(now) if now != last => {
                            last = now.clone();
                            return Some((Ok(now), (watch, last, maps, live, t, event, tier)));
                        }
                        Ok(_) => {}
                        // The workers did not answer: keep following, the map
                        // shown stays the last one.
                        Err(e) if e.code() == ErrorCode::Unavailable => {}
                        Err(e) => {
                            return Some((
                                Err(checkout_error(e)),
                                (watch, last, maps, live, t, event, tier),
                            ));
                        }
                    }
                }
            },
        );
        Ok(stream::once(async move { Ok(first) }).chain(rest).boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellout_common::proto::v1::TakenSeat;

    fn seats(labels: &[&str], taken: &[(&str, bool)]) -> Seats {
        Seats {
            tier: "balcony".into(),
            section: "balcony".into(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            taken: taken
                .iter()
                .map(|(l, sold)| TakenSeat {
                    label: (*l).to_owned(),
                    sold: *sold,
                })
                .collect(),
        }
    }

    #[test]
    fn labels_group_into_rows_with_their_states() {
        let s = seats(
            &["A1", "A2", "A10", "B1", "AA1"],
            &[("A2", false), ("B1", true)],
        );
        let m = view("org/ev", &s, None);
        assert_eq!(m.free, 3);
        assert!(!m.tables);
        let rows: Vec<(&str, Vec<(&str, SeatState)>)> = m
            .rows
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    r.seats
                        .iter()
                        .map(|s| (s.label.as_str(), s.state))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "A",
                    vec![
                        ("A1", SeatState::Free),
                        ("A2", SeatState::Held),
                        ("A10", SeatState::Free)
                    ]
                ),
                ("B", vec![("B1", SeatState::Sold)]),
                ("AA", vec![("AA1", SeatState::Free)]),
            ]
        );
    }

    #[test]
    fn tables_are_one_row() {
        let m = view(
            "org/ev",
            &seats(&["T1", "T2", "T3"], &[("T2", true)]),
            Some(8),
        );
        assert!(m.tables);
        assert_eq!(m.seats_per_table, Some(8));
        assert_eq!(m.rows.len(), 1);
        assert_eq!(m.rows[0].name, "");
        assert_eq!(m.free, 2);
    }

    #[test]
    fn counts_of_finds_the_tier() {
        let live = [TierStock {
            tier: "balcony".into(),
            capacity: 10,
            available: 7,
            held: 2,
            sold: 1,
        }];
        assert_eq!(counts_of(Some(&live), "balcony"), Some((7, 2, 1)));
        assert_eq!(counts_of(Some(&live), "floor"), None);
        assert_eq!(counts_of(None, "balcony"), None);
    }
}
