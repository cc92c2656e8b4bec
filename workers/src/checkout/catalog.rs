//! What the checkout worker sells: the event's tiers and the rules a hold
//! must meet (per-order limits, sales windows, visibility and promo-code
//! unlocks), built from the Event and its TicketTiers. Pure: the checks
//! take the time as an argument.

use std::collections::{BTreeMap, BTreeSet};

use sellout_common::proto::v1::{CheckoutError, ErrorCode, HoldRequest};
use sellout_crds::common::{ChargeTarget, Fee, SecretKeyRef};
use sellout_crds::event::EventState;
use sellout_crds::tier::{TierKind, Visibility};
use sellout_crds::venue::{Seated, Tables};
use sellout_crds::{Event, Organization, TicketTier, Venue};

use crate::inventory::Millis;
use crate::pricing;

/// One tier's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierRules {
    /// Units the tier sells in total (tickets, or tables).
    pub capacity: i64,
    /// Fewest units in one order.
    pub min: i64,
    /// Most units in one order.
    pub max: i64,
    /// Sales open (ms since the epoch); `None`: not before the event's.
    pub sales_start: Option<Millis>,
    /// Sales close; `None`: open-ended.
    pub sales_end: Option<Millis>,
    /// Who may see and hold it.
    pub visibility: Visibility,
    /// Codes unlocking a `PromoCode` tier (compared case-insensitively).
    pub promo_codes: Vec<String>,
    /// Seats one unit admits: 1, or the seats at a table.
    pub seats_per_unit: i64,
    /// Price of one unit in minor units.
    pub price_minor: i64,
    /// What buyers see.
    pub display_name: String,
    /// An add-on (parking, merchandise), not an admission.
    pub add_on: bool,
    /// Event days (from 1) its tickets admit on; empty: every day.
    pub valid_days: Vec<u8>,
    /// For a tier of a seated or tables section: the section, and the
    /// labels of its seats or tables (holds name them; see
    /// [`seat_labels`] and [`table_labels`]).
    pub seat_map: Option<(String, BTreeSet<String>)>,
}

/// The seat labels of a seated section: explicit labels, or rows lettered
/// A, B, … Z, AA, AB, … with seats numbered from 1 ("A1", "A2", …).
pub fn seat_labels(seated: &Seated) -> BTreeSet<String> {
    if !seated.labels.is_empty() {
        return seated.labels.iter().cloned().collect();
    }
    let (rows, per_row) = (
        seated.rows.unwrap_or(0).max(0),
        seated.seats_per_row.unwrap_or(0).max(0),
    );
    let mut out = BTreeSet::new();
    for r in 0..rows {
        let row = row_name(r as u32);
        for n in 1..=per_row {
            out.insert(format!("{row}{n}"));
        }
    }
    out
}

/// The labels of a tables section: "T1" … "T<count>". A tier selling
/// these tables holds them by label, one unit per table.
pub fn table_labels(tables: &Tables) -> BTreeSet<String> {
    (1..=tables.count.max(0)).map(|n| format!("T{n}")).collect()
}

/// Labels in the order people read them: by row (its letters, shorter
/// first: Z before AA), then by seat number ("A2" before "A10").
pub fn reading_order(labels: &BTreeSet<String>) -> Vec<String> {
    let mut v: Vec<&String> = labels.iter().collect();
    v.sort_by_key(|l| {
        let digits = l.len() - l.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (row, number) = l.split_at(l.len() - digits);
        (
            row.len(),
            row.to_owned(),
            number.parse::<u64>().unwrap_or(0),
            (*l).clone(),
        )
    });
    v.into_iter().cloned().collect()
}

fn row_name(mut i: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The event as the checkout worker sells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog {
    /// The Event's UID (names its stream and collections).
    pub event_uid: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// How long a hold lasts.
    pub hold_ttl_ms: i64,
    /// Units one checkout session may hold at once.
    pub per_checkout: i64,
    /// Units the checkouts of one client address may hold at once.
    pub per_address: i64,
    /// Whether the event sells at all (Published, not Cancelled).
    pub published: bool,
    /// Whether the event is Cancelled (its orders may be refunded in
    /// bulk).
    pub cancelled: bool,
    /// Tiers by name.
    pub tiers: BTreeMap<String, TierRules>,
    /// The event's title.
    pub title: String,
    /// How many days the event has.
    pub days: u8,
    /// Fees the promoter adds: the organization's, then the event's.
    pub promoter_fees: Vec<pricing::Charge>,
    /// Sales taxes of the event.
    pub taxes: Vec<pricing::Tax>,
    /// Discounts by promo code (upper case).
    pub promotions: BTreeMap<String, pricing::Charge>,
    /// Where the organization's Stripe account id is (a Secret key), if
    /// it has one.
    pub stripe_account: Option<SecretKeyRef>,
    /// The organization's Stripe account id (`acct_…`), read from that
    /// Secret by the worker.
    pub stripe_account_id: Option<String>,
}

fn target(t: ChargeTarget) -> pricing::Target {
    match t {
        ChargeTarget::Order => pricing::Target::Order,
        ChargeTarget::Ticket => pricing::Target::Ticket,
        ChargeTarget::AddOn => pricing::Target::AddOn,
    }
}

/// A fee of a CRD as a pricing charge (a fee has exactly one of flat or
/// percent; the CRD validates that).
pub fn fee(f: &Fee) -> pricing::Charge {
    pricing::Charge {
        name: f.name.clone(),
        target: target(f.applies_to),
        amount: amount(f.flat_minor, f.percent_bps),
    }
}

/// A CRD's flat-or-percent pair (exactly one is set; the CRD validates
/// that) as a pricing amount.
fn amount(flat_minor: Option<i64>, percent_bps: Option<i32>) -> pricing::Amount {
    match (flat_minor, percent_bps) {
        (Some(flat), _) => pricing::Amount::Flat(flat),
        (None, Some(bps)) => pricing::Amount::Percent(bps.max(0) as u32),
        (None, None) => pricing::Amount::Flat(0),
    }
}

fn millis(t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> Millis {
    t.0.as_millisecond()
}

impl Catalog {
    /// The catalog of `event`, those of `tiers` that belong to it, the
    /// fees and Stripe account of its organization, and the seat maps of
    /// its venue's seated sections.
    pub fn from_resources(
        event: &Event,
        tiers: &[TicketTier],
        org: Option<&Organization>,
        venue: Option<&Venue>,
    ) -> Self {
        let name = event.metadata.name.as_deref().unwrap_or_default();
        let on_sale = millis(&event.spec.on_sale_at);
        let off_sale = event.spec.off_sale_at.as_ref().map(millis);
        let tiers = tiers
            .iter()
            .filter(|t| t.spec.event_ref.name == name)
            .filter_map(|t| {
                let tier = t.metadata.name.clone()?;
                let window = t.spec.sales_window.as_ref();
                let rules = TierRules {
                    capacity: t.spec.quantity,
                    min: i64::from(t.spec.per_order.min),
                    max: i64::from(t.spec.per_order.max),
                    sales_start: Some(
                        window
                            .and_then(|w| w.starts_at.as_ref())
                            .map_or(on_sale, millis),
                    ),
                    sales_end: window
                        .and_then(|w| w.ends_at.as_ref())
                        .map(millis)
                        .or(off_sale),
                    visibility: t.spec.visibility,
                    promo_codes: t.spec.promo_codes.iter().map(|c| c.0.clone()).collect(),
                    seats_per_unit: t.spec.table.as_ref().map_or(1, |t| i64::from(t.seats)),
                    price_minor: t.spec.price.amount_minor,
                    display_name: t.spec.display_name.clone(),
                    add_on: t.spec.kind == TierKind::AddOn,
                    valid_days: t
                        .spec
                        .valid_days
                        .iter()
                        .map(|d| d.0.clamp(1, 31) as u8)
                        .collect(),
                    seat_map: t.spec.section.as_ref().and_then(|name| {
                        let section = venue?.spec.sections.iter().find(|s| &s.name == name)?;
                        let labels = match (&section.seated, &section.tables) {
                            (Some(seated), _) => seat_labels(seated),
                            (None, Some(tables)) => table_labels(tables),
                            (None, None) => return None,
                        };
                        Some((name.clone(), labels))
                    }),
                };
                Some((tier, rules))
            })
            .collect();
        Catalog {
            event_uid: event.metadata.uid.clone().unwrap_or_default(),
            currency: event.spec.currency.clone(),
            hold_ttl_ms: i64::from(event.spec.hold_ttl_seconds) * 1000,
            per_checkout: i64::from(event.spec.hold_limits.per_checkout),
            per_address: i64::from(event.spec.hold_limits.per_address),
            published: event.spec.state == EventState::Published,
            cancelled: event.spec.state == EventState::Cancelled,
            tiers,
            title: event.spec.title.clone(),
            days: event.spec.days.len().clamp(1, 31) as u8,
            promoter_fees: org
                .map(|o| o.spec.fees.iter().map(fee).collect::<Vec<_>>())
                .unwrap_or_default()
                .into_iter()
                .chain(event.spec.fees.iter().map(fee))
                .collect(),
            taxes: event
                .spec
                .taxes
                .iter()
                .map(|t| pricing::Tax {
                    name: t.name.clone(),
                    target: target(t.applies_to),
                    rate_bps: t.rate_bps.max(0) as u32,
                })
                .collect(),
            promotions: event
                .spec
                .promotions
                .iter()
                .map(|p| {
                    (
                        p.code.0.to_ascii_uppercase(),
                        pricing::Charge {
                            name: p.name.clone(),
                            target: target(p.applies_to),
                            amount: amount(p.flat_minor, p.percent_bps),
                        },
                    )
                })
                .collect(),
            stripe_account: org.and_then(|o| o.spec.stripe_account.clone()),
            stripe_account_id: None,
        }
    }

    /// The discount of promo code `code`: `Ok(None)` for no code or a code
    /// that only unlocks a tier; an error for a code the event does not
    /// know.
    pub fn promotion(&self, code: &str) -> Result<Option<&pricing::Charge>, CheckoutError> {
        if code.is_empty() {
            return Ok(None);
        }
        if let Some(p) = self.promotions.get(&code.to_ascii_uppercase()) {
            return Ok(Some(p));
        }
        let unlocks = self
            .tiers
            .values()
            .any(|t| t.promo_codes.iter().any(|c| c.eq_ignore_ascii_case(code)));
        if unlocks {
            Ok(None)
        } else {
            Err(error(
                ErrorCode::PromoCodeInvalid,
                format!("promo code {code:?} is not valid for this event"),
            ))
        }
    }

    /// Checks the per-order maximum of each tier over a whole order: the
    /// units of one tier summed across its lines (an order may carry
    /// several holds of one tier, each within the limit on its own).
    pub fn order_limits<'a>(
        &self,
        lines: impl IntoIterator<Item = (&'a str, i64)>,
    ) -> Result<(), CheckoutError> {
        let mut per_tier: std::collections::BTreeMap<&str, i64> = Default::default();
        for (tier, quantity) in lines {
            *per_tier.entry(tier).or_default() += quantity;
        }
        for (tier, units) in per_tier {
            if let Some(rules) = self.tiers.get(tier)
                && units > rules.max
            {
                return Err(error(
                    ErrorCode::QuantityTooLarge,
                    format!(
                        "the order has {units} units of tier {tier}, above the maximum of {} per order",
                        rules.max
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Checks a hold request against the rules at time `now`: the tier
    /// exists, the quantity is within the per-order limits, and (unless
    /// box office staff ask) the tier is visible to this buyer and on sale.
    /// Availability is the writer's to check.
    pub fn admit(&self, req: &HoldRequest, now: Millis) -> Result<&TierRules, CheckoutError> {
        let rules = self.tiers.get(&req.tier).ok_or_else(|| {
            error(
                ErrorCode::UnknownTier,
                format!("tier {:?} is not sold at this event", req.tier),
            )
        })?;
        if req.quantity < rules.min.max(1) {
            return Err(error(
                ErrorCode::QuantityTooSmall,
                format!(
                    "quantity {} is below the minimum of {} per order for tier {}",
                    req.quantity,
                    rules.min.max(1),
                    req.tier
                ),
            ));
        }
        if req.seats.is_empty() && rules.seat_map.is_some() {
            return Err(error(
                ErrorCode::UnknownSeat,
                format!("tier {} sells specific seats: name them", req.tier),
            ));
        }
        if !req.seats.is_empty() {
            let Some((_, labels)) = &rules.seat_map else {
                return Err(error(
                    ErrorCode::UnknownSeat,
                    format!(
                        "tier {} has no seat map: hold a quantity, not seats",
                        req.tier
                    ),
                ));
            };
            if req.seats.len() as i64 != req.quantity {
                return Err(error(
                    ErrorCode::BadRequest,
                    format!(
                        "quantity {} differs from the {} seats named",
                        req.quantity,
                        req.seats.len()
                    ),
                ));
            }
            for (i, seat) in req.seats.iter().enumerate() {
                if !labels.contains(seat) || req.seats[..i].contains(seat) {
                    return Err(error(
                        ErrorCode::UnknownSeat,
                        format!(
                            "seat {seat:?} is not a seat of tier {} (or is named twice)",
                            req.tier
                        ),
                    ));
                }
            }
        }
        if req.quantity > rules.max {
            return Err(error(
                ErrorCode::QuantityTooLarge,
                format!(
                    "quantity {} is above the maximum of {} per order for tier {}",
                    req.quantity, rules.max, req.tier
                ),
            ));
        }
        if req.box_office {
            return Ok(rules);
        }
        let unlocked = match rules.visibility {
            Visibility::Public => true,
            Visibility::Hidden => false,
            Visibility::PromoCode => rules
                .promo_codes
                .iter()
                .any(|c| !req.promo_code.is_empty() && c.eq_ignore_ascii_case(&req.promo_code)),
        };
        if !unlocked {
            // Do not tell a guesser whether the tier exists behind a code.
            return Err(error(
                ErrorCode::TierNotAvailable,
                format!(
                    "tier {} is not available: it needs a valid promo code or the box office",
                    req.tier
                ),
            ));
        }
        if !self.published {
            return Err(error(
                ErrorCode::NotOnSale,
                "the event is not on sale (not published, or cancelled)".to_owned(),
            ));
        }
        if rules.sales_start.is_some_and(|s| now < s) {
            return Err(error(
                ErrorCode::NotOnSale,
                format!("tier {} is not on sale yet", req.tier),
            ));
        }
        if rules.sales_end.is_some_and(|e| now >= e) {
            return Err(error(
                ErrorCode::NotOnSale,
                format!("sales of tier {} have ended", req.tier),
            ));
        }
        Ok(rules)
    }
}

/// A checkout error with a message.
pub use sellout_client::error;

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let rules = TierRules {
            capacity: 100,
            min: 2,
            max: 6,
            sales_start: Some(1_000),
            sales_end: Some(2_000),
            visibility: Visibility::Public,
            promo_codes: vec![],
            seats_per_unit: 1,
            price_minor: 2500,
            display_name: "GA".into(),
            add_on: false,
            valid_days: vec![],
            seat_map: None,
        };
        let mut tiers = BTreeMap::new();
        tiers.insert("ga".to_owned(), rules.clone());
        tiers.insert(
            "crew".to_owned(),
            TierRules {
                visibility: Visibility::Hidden,
                ..rules.clone()
            },
        );
        tiers.insert(
            "fans".to_owned(),
            TierRules {
                visibility: Visibility::PromoCode,
                promo_codes: vec!["EARLY-BIRD".into()],
                ..rules
            },
        );
        Catalog {
            event_uid: "u".into(),
            currency: "USD".into(),
            hold_ttl_ms: 600_000,
            per_checkout: 20,
            per_address: 60,
            published: true,
            cancelled: false,
            tiers,
            title: "Show".into(),
            days: 1,
            promoter_fees: vec![],
            taxes: vec![],
            promotions: BTreeMap::new(),
            stripe_account: None,
            stripe_account_id: None,
        }
    }

    fn req(tier: &str, quantity: i64) -> HoldRequest {
        HoldRequest {
            hold_id: "h".into(),
            tier: tier.into(),
            quantity,
            ..Default::default()
        }
    }

    fn code(r: Result<&TierRules, CheckoutError>) -> ErrorCode {
        r.map(|_| ErrorCode::Unspecified)
            .unwrap_or_else(|e| e.code())
    }

    #[test]
    fn the_per_order_maximum_counts_every_line_of_a_tier() {
        let c = catalog();
        assert!(c.order_limits([("ga", 3), ("ga", 3), ("crew", 4)]).is_ok());
        let e = c
            .order_limits([("ga", 3), ("crew", 1), ("ga", 4)])
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::QuantityTooLarge);
        assert!(e.message.contains("7 units of tier ga"), "{}", e.message);
        assert!(e.message.contains("maximum of 6"), "{}", e.message);
    }

    #[test]
    fn rules_refuse_with_the_right_code() {
        let c = catalog();
        let cases: &[(HoldRequest, Millis, ErrorCode)] = &[
            (req("ga", 2), 1_500, ErrorCode::Unspecified),
            (req("nope", 2), 1_500, ErrorCode::UnknownTier),
            (req("ga", 0), 1_500, ErrorCode::QuantityTooSmall),
            (req("ga", 1), 1_500, ErrorCode::QuantityTooSmall),
            (req("ga", 7), 1_500, ErrorCode::QuantityTooLarge),
            (req("ga", 2), 999, ErrorCode::NotOnSale),
            (req("ga", 2), 2_000, ErrorCode::NotOnSale),
            (req("crew", 2), 1_500, ErrorCode::TierNotAvailable),
            (req("fans", 2), 1_500, ErrorCode::TierNotAvailable),
            (
                HoldRequest {
                    promo_code: "early-bird".into(),
                    ..req("fans", 2)
                },
                1_500,
                ErrorCode::Unspecified,
            ),
            (
                HoldRequest {
                    promo_code: "WRONG".into(),
                    ..req("fans", 2)
                },
                1_500,
                ErrorCode::TierNotAvailable,
            ),
            (
                HoldRequest {
                    box_office: true,
                    ..req("crew", 2)
                },
                5_000,
                ErrorCode::Unspecified,
            ),
        ];
        for (r, now, want) in cases {
            assert_eq!(code(c.admit(r, *now)), *want, "{r:?} at {now}");
        }
    }

    #[test]
    fn seat_labels_letter_rows_and_number_seats() {
        let s = Seated {
            rows: Some(28),
            seats_per_row: Some(2),
            labels: vec![],
        };
        let l = seat_labels(&s);
        assert_eq!(l.len(), 56);
        for want in ["A1", "A2", "Z2", "AA1", "AB2"] {
            assert!(l.contains(want), "{want}");
        }
        assert!(!l.contains("A3"));
        assert_eq!(row_name(0), "A");
        assert_eq!(row_name(25), "Z");
        assert_eq!(row_name(26), "AA");
        assert_eq!(row_name(701), "ZZ");
        assert_eq!(row_name(702), "AAA");
    }

    #[test]
    fn tables_are_labelled_and_labels_read_in_row_then_number_order() {
        let t = table_labels(&Tables {
            count: 12,
            seats_per_table: 8,
        });
        assert_eq!(t.len(), 12);
        assert!(t.contains("T1") && t.contains("T12") && !t.contains("T0"));
        let order = reading_order(&t);
        assert_eq!(order[..3], ["T1", "T2", "T3"]);
        assert_eq!(order[11], "T12");
        let grid = seat_labels(&Seated {
            rows: Some(27),
            seats_per_row: Some(10),
            labels: vec![],
        });
        let order = reading_order(&grid);
        assert_eq!(order[..3], ["A1", "A2", "A3"]);
        assert_eq!(order[9], "A10");
        assert_eq!(order[259], "Z10");
        assert_eq!(order[260], "AA1");
    }

    #[test]
    fn seats_must_be_the_tiers_and_match_the_quantity() {
        let mut c = catalog();
        c.tiers.get_mut("ga").unwrap().seat_map =
            Some(("stalls".into(), ["A1", "A2", "A3"].map(String::from).into()));
        let seated = |seats: &[&str], q: i64| HoldRequest {
            seats: seats.iter().map(|s| (*s).to_owned()).collect(),
            ..req("ga", q)
        };
        assert_eq!(
            code(c.admit(&seated(&["A1", "A2"], 2), 1_500)),
            ErrorCode::Unspecified
        );
        assert_eq!(
            code(c.admit(&seated(&["A1", "Z9"], 2), 1_500)),
            ErrorCode::UnknownSeat
        );
        assert_eq!(
            code(c.admit(&seated(&["A1", "A1"], 2), 1_500)),
            ErrorCode::UnknownSeat
        );
        assert_eq!(
            code(c.admit(&seated(&["A1", "A2"], 3), 1_500)),
            ErrorCode::BadRequest
        );
        assert_eq!(
            code(c.admit(&seated(&["A1"], 2), 1_500)),
            ErrorCode::BadRequest
        );
        assert_eq!(
            code(catalog().admit(&seated(&["A1", "A2"], 2), 1_500)),
            ErrorCode::UnknownSeat
        );
    }

    #[test]
    fn unpublished_event_is_not_on_sale() {
        let c = Catalog {
            published: false,
            ..catalog()
        };
        assert_eq!(code(c.admit(&req("ga", 2), 1_500)), ErrorCode::NotOnSale);
    }
}
