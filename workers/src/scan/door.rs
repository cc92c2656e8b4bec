//! What the door knows of an event, and what a ticket's code says there
//! (pure): the event's days and when each is scanned, its tiers by their
//! 4-byte hash, its gates, and the checks of a code in order (Invalid,
//! WrongEvent, Revoked, WrongDay or NotYetValid, WrongGate) before the
//! ledger decides Admit, Redeemed or AlreadyScanned.

use sellout_common::proto::v1::{ScanOutcome, ScanResult};
use sellout_crds::tier::TierKind;
use sellout_crds::{Event, TicketTier};
use uuid::Uuid;

use crate::inventory::Millis;
use crate::ticket::{TicketClaims, TicketError, TierHash, Verifier};

use sellout_crds::event::{SCAN_AFTER_END_MS, SCAN_BEFORE_DOORS_MS};

/// One day of the event, times in ms since the epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// Day number, from 1.
    pub number: u8,
    /// Doors open.
    pub doors_ms: Millis,
    /// The show starts.
    pub starts_ms: Millis,
    /// The day ends.
    pub ends_ms: Millis,
}

impl Day {
    /// The first moment this day is scanned.
    pub fn scan_from(&self) -> Millis {
        self.doors_ms - SCAN_BEFORE_DOORS_MS
    }

    /// The moment scanning for this day stops (exclusive).
    pub fn scan_until(&self) -> Millis {
        self.ends_ms + SCAN_AFTER_END_MS
    }
}

/// A tier as the door shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoorTier {
    /// TicketTier name.
    pub name: String,
    /// What buyers and staff read.
    pub display_name: String,
    /// [`TierHash::of`] the name.
    pub hash: TierHash,
    /// An add-on (parking, merchandise) rather than an admission.
    pub add_on: bool,
}

/// What a scan worker checks tickets against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Door {
    /// The Event's `metadata.uid`, as tickets carry it.
    pub event_uid: Uuid,
    /// The event's title.
    pub title: String,
    /// The event's days, in order.
    pub days: Vec<Day>,
    /// The event's tiers.
    pub tiers: Vec<DoorTier>,
    /// The event's gates (none: every gate admits every tier).
    pub gates: Vec<DoorGate>,
}

/// A gate as the door knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoorGate {
    /// The gate's name.
    pub name: String,
    /// What door staff read.
    pub display_name: String,
    /// TicketTier names admitted; empty: every tier.
    pub tiers: Vec<String>,
    /// Whether people may leave and come back through it.
    pub reentry: bool,
}

impl Door {
    /// The door of `event` with those of `tiers` that belong to it. Fails
    /// only when the Event has no UID a ticket could carry (not stored by
    /// an API server).
    pub fn from_resources(event: &Event, tiers: &[TicketTier]) -> Result<Self, String> {
        let uid = event.metadata.uid.as_deref().unwrap_or_default();
        let event_uid = Uuid::parse_str(uid)
            .map_err(|e| format!("the Event's uid {uid:?} is not a UUID: {e}"))?;
        let name = event.metadata.name.as_deref().unwrap_or_default();
        let mut tiers: Vec<DoorTier> = tiers
            .iter()
            .filter(|t| t.spec.event_ref.name == name)
            .filter_map(|t| {
                let name = t.metadata.name.clone()?;
                Some(DoorTier {
                    hash: TierHash::of(&name),
                    display_name: t.spec.display_name.clone(),
                    add_on: t.spec.kind == TierKind::AddOn,
                    name,
                })
            })
            .collect();
        tiers.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Door {
            event_uid,
            title: event.spec.title.clone(),
            days: event
                .spec
                .days
                .iter()
                .zip(1u8..=31)
                .map(|(d, number)| Day {
                    number,
                    doors_ms: d.doors_at.0.as_millisecond(),
                    starts_ms: d.starts_at.0.as_millisecond(),
                    ends_ms: d.ends_at.0.as_millisecond(),
                })
                .collect(),
            tiers,
            gates: event
                .spec
                .gates
                .iter()
                .map(|g| DoorGate {
                    name: g.name.clone(),
                    display_name: g.display_name.clone().unwrap_or_else(|| g.name.clone()),
                    tiers: g.tiers.clone(),
                    reentry: g.reentry,
                })
                .collect(),
        })
    }

    /// The day scanned at `at`: of the days whose scanning window (12 h
    /// before doors to 6 h after the end) contains `at`, the one whose
    /// show is still running (the earliest, so a late evening is still
    /// that day even when the next day's window has opened), else the
    /// coming one (at 01:00 after a day that ended at 23:00, the next
    /// day). `None` when no day is on.
    pub fn day_at(&self, at: Millis) -> Option<u8> {
        let open = || {
            self.days
                .iter()
                .filter(move |d| d.scan_from() <= at && at < d.scan_until())
        };
        open()
            .filter(|d| at < d.ends_ms)
            .min_by_key(|d| d.doors_ms)
            .or_else(|| open().max_by_key(|d| d.doors_ms))
            .map(|d| d.number)
    }

    /// The tier a ticket names by its hash: the first by name of those
    /// with that hash (two tiers of one event colliding is about one in a
    /// million for 100 tiers).
    pub fn tier(&self, hash: TierHash) -> Option<&DoorTier> {
        self.tiers.iter().find(|t| t.hash == hash)
    }

    /// The gate named `name`, if the event names gates; `Ok(None)` when it
    /// names none (every gate admits every tier). An unknown name is
    /// `Err` with the names it has.
    pub fn gate(&self, name: &str) -> Result<Option<&DoorGate>, String> {
        if self.gates.is_empty() {
            return Ok(None);
        }
        self.gates
            .iter()
            .find(|g| g.name == name)
            .map(Some)
            .ok_or_else(|| {
                let names: Vec<&str> = self.gates.iter().map(|g| g.name.as_str()).collect();
                format!(
                    "{} has no gate {name:?}: its gates are {}",
                    self.title,
                    names.join(", ")
                )
            })
    }

    /// The checks of a code that need no ledger, in order: the signature
    /// and format (Invalid), the event (WrongEvent), revocation (Revoked),
    /// the tier (Invalid when the event sells no such tier), the day
    /// (WrongDay, NotYetValid), the gate (WrongGate). The day is
    /// `look.day`, which must be being scanned at `look.at`, or (0) the
    /// day being scanned then. A ticket that passes is [`Admissible`];
    /// otherwise the answer to give.
    pub fn judge(
        &self,
        verifier: &Verifier,
        look: &Look<'_>,
        revoked: impl Fn(&str) -> Option<String>,
    ) -> Result<Admissible, Box<ScanResult>> {
        let claims = match verifier.verify(look.code) {
            Ok(c) => c,
            Err(e) => {
                return Err(Box::new(ScanResult {
                    outcome: ScanOutcome::Invalid as i32,
                    message: format!("not a valid ticket: {e}"),
                    ..Default::default()
                }));
            }
        };
        let ticket_id = claims.ticket.to_string();
        let tier = self.tier(claims.tier);
        let mut answer = ScanResult {
            ticket_id: ticket_id.clone(),
            tier: tier.map(|t| t.name.clone()).unwrap_or_default(),
            tier_display_name: tier.map(|t| t.display_name.clone()).unwrap_or_default(),
            admissions: i32::from(claims.admits.get()),
            ..Default::default()
        };
        let refuse = |mut answer: ScanResult, outcome: ScanOutcome, message: String| {
            answer.outcome = outcome as i32;
            answer.message = message;
            Err(Box::new(answer))
        };
        if claims.event != self.event_uid {
            return refuse(
                answer,
                ScanOutcome::WrongEvent,
                format!("this ticket is for another event, not {}", self.title),
            );
        }
        if let Some(why) = revoked(&ticket_id) {
            return refuse(
                answer,
                ScanOutcome::Revoked,
                format!("this ticket was revoked ({why}): do not admit"),
            );
        }
        // Signed for this event, but of no tier it sells now (a deleted
        // tier): it lets nobody in.
        let Some(tier) = tier else {
            return refuse(
                answer,
                ScanOutcome::Invalid,
                format!(
                    "this ticket is of no tier {} sells: do not admit",
                    self.title
                ),
            );
        };
        let valid: Vec<i32> = claims.days.days().map(i32::from).collect();
        let day = match self.day_for(look) {
            Ok(d) => d,
            Err(DayProblem::NoSuchDay) => {
                return refuse(
                    answer,
                    ScanOutcome::WrongDay,
                    format!(
                        "{} has no day {}: its days are 1 to {}",
                        self.title,
                        look.day,
                        self.days.len()
                    ),
                );
            }
            Err(DayProblem::NotNow(d)) => {
                answer.valid_days = valid;
                return refuse(
                    answer,
                    ScanOutcome::WrongDay,
                    format!(
                        "day {d} of {} is not being scanned {} (from 12 hours before doors to 6 hours after the end)",
                        self.title,
                        if look.offline {
                            "at the time scanned"
                        } else {
                            "now"
                        }
                    ),
                );
            }
            Err(DayProblem::NoneOn) => {
                answer.valid_days = valid.clone();
                let later = self
                    .days
                    .iter()
                    .find(|d| d.scan_from() > look.at && valid.contains(&i32::from(d.number)));
                return match later {
                    Some(d) => refuse(
                        answer,
                        ScanOutcome::NotYetValid,
                        format!(
                            "not yet: this ticket is for day {}, scanned from {}",
                            d.number,
                            time(d.scan_from())
                        ),
                    ),
                    None => refuse(
                        answer,
                        ScanOutcome::WrongDay,
                        format!(
                            "no day of {} this ticket is valid on is being scanned now",
                            self.title
                        ),
                    ),
                };
            }
        };
        answer.day = i32::from(day);
        if let Err(TicketError::WrongDay { valid, .. }) = claims.check(self.event_uid, day) {
            answer.valid_days = valid.days().map(i32::from).collect();
            let list: Vec<String> = valid.days().map(|d| d.to_string()).collect();
            let later = valid.days().any(|d| d > day);
            return refuse(
                answer,
                if later {
                    ScanOutcome::NotYetValid
                } else {
                    ScanOutcome::WrongDay
                },
                format!(
                    "{}this ticket is not valid on day {day}: it is valid on day {}",
                    if later { "not yet: " } else { "" },
                    list.join(", ")
                ),
            );
        }
        if let Some(gate) = look.gate
            && !gate.tiers.is_empty()
            && !gate.tiers.contains(&tier.name)
        {
            return refuse(
                answer,
                ScanOutcome::WrongGate,
                format!(
                    "{} is not admitted at {}: send them to another entrance",
                    tier.display_name, gate.display_name
                ),
            );
        }
        Ok(Admissible {
            claims,
            day: i32::from(day),
            add_on: tier.add_on,
            answer,
        })
    }

    /// The day a scan is for: `look.day` when that day is being scanned at
    /// `look.at`, or (0) the day being scanned then.
    fn day_for(&self, look: &Look<'_>) -> Result<u8, DayProblem> {
        match u8::try_from(look.day) {
            Ok(0) => self.day_at(look.at).ok_or(DayProblem::NoneOn),
            Ok(d) => match self.days.iter().find(|x| x.number == d) {
                Some(x) if x.scan_from() <= look.at && look.at < x.scan_until() => Ok(d),
                Some(_) => Err(DayProblem::NotNow(d)),
                None => Err(DayProblem::NoSuchDay),
            },
            Err(_) => Err(DayProblem::NoSuchDay),
        }
    }
}

/// Why a scan has no day.
enum DayProblem {
    /// The event has no such day.
    NoSuchDay,
    /// That day is not being scanned at the scan's time.
    NotNow(u8),
    /// No day is being scanned at the scan's time.
    NoneOn,
}

/// "2027-07-17T00:00:00Z".
fn time(ms: Millis) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// One scan as the door judges it.
#[derive(Clone, Copy, Debug)]
pub struct Look<'a> {
    /// The QR code's text.
    pub code: &'a str,
    /// The day asked for, from 1; 0: the day on at `at`.
    pub day: i32,
    /// When: the worker's clock online, the scanner's offline.
    pub at: Millis,
    /// Scanned offline (only changes the words of an answer).
    pub offline: bool,
    /// The gate, when the event names gates.
    pub gate: Option<&'a DoorGate>,
}

/// A ticket that may be admitted on `day`, if the ledger has not admitted
/// it that day already.
#[derive(Clone, Debug, PartialEq)]
pub struct Admissible {
    /// What the code says.
    pub claims: TicketClaims,
    /// The day scanned for, from 1.
    pub day: i32,
    /// An add-on (parking, merchandise): redeemed, admitting nobody.
    pub add_on: bool,
    /// The answer so far (ticket, tier, day, admissions).
    pub answer: ScanResult,
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU8;

    use super::*;
    use crate::ticket::{KeyId, Signer, ValidDays};

    const UID: &str = "0b5e7c1e-1234-4000-8000-00000000abcd";

    fn event() -> Event {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
            "metadata": {"name": "fest", "namespace": "org", "uid": UID},
            "spec": {
                "title": "Fest", "venueRef": {"name": "v"}, "currency": "GBP",
                "onSaleAt": "2027-01-01T10:00:00Z",
                "days": [
                    {"doorsAt": "2027-07-17T12:00:00Z", "startsAt": "2027-07-17T13:00:00Z", "endsAt": "2027-07-17T23:00:00Z"},
                    {"doorsAt": "2027-07-18T12:00:00Z", "startsAt": "2027-07-18T13:00:00Z", "endsAt": "2027-07-18T23:00:00Z"}
                ]
            }
        }))
        .unwrap()
    }

    fn tier(name: &str, event: &str) -> TicketTier {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
            "metadata": {"name": name, "namespace": "org"},
            "spec": {"eventRef": {"name": event}, "displayName": name.to_uppercase(),
                     "price": {"amountMinor": 1000, "currency": "GBP"}, "quantity": 10}
        }))
        .unwrap()
    }

    /// Parking, merchandise: sold with the tickets, redeemed, admits
    /// nobody; a tier the event no longer sells is nothing.
    #[test]
    fn add_ons_are_redeemable_and_tiers_the_event_does_not_sell_admit_nobody() {
        let mut parking = tier("parking", "fest");
        parking.spec.kind = sellout_crds::tier::TierKind::AddOn;
        let d = Door::from_resources(&event(), &[tier("weekend", "fest"), parking]).unwrap();
        let (signer, verifier) = keys();
        let uid: Uuid = UID.parse().unwrap();
        let none = |_: &str| None;
        let at = ms("2027-07-17T12:30:00Z");
        let (weekend, _) = signed(&signer, uid, "weekend", &[1, 2]);
        assert!(
            !d.judge(&verifier, &look(&weekend, 1, at), none)
                .unwrap()
                .add_on
        );
        let (car, _) = signed(&signer, uid, "parking", &[1, 2]);
        let r = d.judge(&verifier, &look(&car, 1, at), none).unwrap();
        assert!(r.add_on);
        assert_eq!(r.answer.tier, "parking");
        let (gone, _) = signed(&signer, uid, "deleted-tier", &[1, 2]);
        assert_eq!(
            outcome(&d.judge(&verifier, &look(&gone, 1, at), none)),
            ScanOutcome::Invalid
        );
    }

    #[test]
    fn a_gate_with_tiers_admits_only_those() {
        let mut e = event();
        e.spec.gates = vec![
            sellout_crds::event::Gate {
                name: "vip".into(),
                display_name: Some("VIP entrance".into()),
                tiers: vec!["weekend".into()],
                reentry: true,
            },
            sellout_crds::event::Gate {
                name: "main".into(),
                display_name: None,
                tiers: vec![],
                reentry: false,
            },
        ];
        let d = Door::from_resources(&e, &[tier("weekend", "fest"), tier("sat", "fest")]).unwrap();
        let (signer, verifier) = keys();
        let none = |_: &str| None;
        let at = ms("2027-07-17T12:30:00Z");
        let (sat, _) = signed(&signer, d.event_uid, "sat", &[1]);
        let (weekend, _) = signed(&signer, d.event_uid, "weekend", &[1]);
        let vip = d.gate("vip").unwrap();
        assert!(vip.is_some_and(|g| g.reentry));
        let at_vip = |code| Look {
            gate: vip,
            ..look(code, 0, at)
        };
        let r = d.judge(&verifier, &at_vip(&sat), none);
        assert_eq!(outcome(&r), ScanOutcome::WrongGate);
        assert!(r.unwrap_err().message.contains("VIP entrance"));
        assert!(d.judge(&verifier, &at_vip(&weekend), none).is_ok());
        let main = d.gate("main").unwrap();
        assert_eq!(main.map(|g| g.display_name.as_str()), Some("main"));
        let at_main = Look {
            gate: main,
            ..look(&sat, 0, at)
        };
        assert!(d.judge(&verifier, &at_main, none).is_ok());
        assert!(d.gate("back-door").unwrap_err().contains("vip, main"));
        assert_eq!(door().gate("anything"), Ok(None));
    }

    fn door() -> Door {
        Door::from_resources(
            &event(),
            &[
                tier("weekend", "fest"),
                tier("sat", "fest"),
                tier("x", "other"),
            ],
        )
        .unwrap()
    }

    fn look(code: &str, day: i32, at: Millis) -> Look<'_> {
        Look {
            code,
            day,
            at,
            offline: false,
            gate: None,
        }
    }

    fn ms(t: &str) -> Millis {
        t.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    fn signed(signer: &Signer, event: Uuid, tier: &str, days: &[u8]) -> (String, Uuid) {
        let ticket = Uuid::new_v4();
        let claims = TicketClaims {
            event,
            ticket,
            tier: TierHash::of(tier),
            days: ValidDays::from_days(days.iter().copied()).unwrap(),
            admits: NonZeroU8::new(1).unwrap(),
        };
        (signer.sign(&claims), ticket)
    }

    fn keys() -> (Signer, Verifier) {
        let signer = Signer::new(KeyId(1), ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]));
        let mut verifier = Verifier::new();
        verifier.insert(KeyId(1), signer.verifying_key());
        (signer, verifier)
    }

    fn outcome(r: &Result<Admissible, Box<ScanResult>>) -> ScanOutcome {
        match r {
            Ok(_) => ScanOutcome::Admit,
            Err(a) => a.outcome(),
        }
    }

    #[test]
    fn the_door_has_the_events_days_and_its_own_tiers() {
        let d = door();
        assert_eq!(d.event_uid.to_string(), UID);
        assert_eq!(d.days.len(), 2);
        assert_eq!(d.days[1].number, 2);
        assert_eq!(d.days[0].doors_ms, ms("2027-07-17T12:00:00Z"));
        let names: Vec<_> = d.tiers.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["sat", "weekend"]);
        assert_eq!(
            d.tier(TierHash::of("weekend")).unwrap().display_name,
            "WEEKEND"
        );
        assert!(d.tier(TierHash::of("x")).is_none());
        let mut e = event();
        e.metadata.uid = Some("not-a-uuid".into());
        assert!(
            Door::from_resources(&e, &[])
                .unwrap_err()
                .contains("not a UUID")
        );
    }

    #[test]
    fn the_day_scanned_is_the_one_whose_window_holds_the_time() {
        let d = door();
        let table = [
            ("2027-07-16T23:59:59Z", None),
            ("2027-07-17T00:00:00Z", Some(1)), // 12 h before doors
            ("2027-07-17T20:00:00Z", Some(1)),
            // Day 1's window runs to 05:00; day 2's starts at 00:00: day
            // 1 has ended, so the coming day wins the overlap.
            ("2027-07-18T01:00:00Z", Some(2)),
            ("2027-07-18T23:30:00Z", Some(2)),
            ("2027-07-19T04:59:59Z", Some(2)),
            ("2027-07-19T05:00:00Z", None), // 6 h after the end, exclusive
        ];
        for (at, want) in table {
            assert_eq!(d.day_at(ms(at)), want, "at {at}");
        }
    }

    /// A show running past midnight: its late evening is still its day,
    /// though the next day's scanning has opened.
    #[test]
    fn a_running_show_keeps_its_day_over_the_next_days_window() {
        let mut e = event();
        e.spec.days[0].ends_at =
            k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(ms_ts("2027-07-18T02:00:00Z"));
        let d = Door::from_resources(&e, &[]).unwrap();
        assert_eq!(d.day_at(ms("2027-07-18T00:30:00Z")), Some(1));
        assert_eq!(d.day_at(ms("2027-07-18T02:30:00Z")), Some(2));
    }

    fn ms_ts(t: &str) -> jiff::Timestamp {
        t.parse().unwrap()
    }

    #[test]
    fn codes_are_judged_invalid_then_wrong_event_then_revoked_then_wrong_day() {
        let (signer, verifier) = keys();
        let d = door();
        let event = d.event_uid;
        let at = ms("2027-07-17T19:00:00Z");
        let none = |_: &str| None;

        let (weekend, ticket) = signed(&signer, event, "weekend", &[1, 2]);
        let ok = d.judge(&verifier, &look(&weekend, 0, at), none).unwrap();
        assert_eq!(ok.day, 1);
        assert_eq!(ok.answer.ticket_id, ticket.to_string());
        assert_eq!(ok.answer.tier, "weekend");
        assert_eq!(ok.answer.tier_display_name, "WEEKEND");
        assert_eq!(ok.answer.admissions, 1);
        // An explicit day must be the one being scanned at the time.
        assert_eq!(
            d.judge(&verifier, &look(&weekend, 1, at), none)
                .unwrap()
                .day,
            1
        );
        let r = d.judge(&verifier, &look(&weekend, 2, at), none);
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        assert!(
            r.unwrap_err()
                .message
                .contains("day 2 of Fest is not being scanned now")
        );

        // Altered: one character changed.
        let mut bytes = weekend.clone().into_bytes();
        bytes[100] = if bytes[100] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        let r = d.judge(&verifier, &look(&altered, 0, at), none);
        assert_eq!(outcome(&r), ScanOutcome::Invalid);
        assert_eq!(r.unwrap_err().ticket_id, "");
        assert_eq!(
            outcome(&d.judge(&verifier, &look("hello", 0, at), none)),
            ScanOutcome::Invalid
        );
        // Signed by a key the door does not know.
        let stranger = Signer::new(KeyId(1), ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]));
        let (forged, _) = signed(&stranger, event, "weekend", &[1]);
        assert_eq!(
            outcome(&d.judge(&verifier, &look(&forged, 0, at), none)),
            ScanOutcome::Invalid
        );

        let (other, _) = signed(&signer, Uuid::new_v4(), "weekend", &[1]);
        let r = d.judge(&verifier, &look(&other, 0, at), |_: &str| {
            Some("refund".into())
        });
        assert_eq!(
            outcome(&r),
            ScanOutcome::WrongEvent,
            "the event is checked before revocation"
        );

        let (sunday, sunday_id) = signed(&signer, event, "sat", &[2]);
        let revoked = |t: &str| (t == sunday_id.to_string()).then(|| "refund".to_owned());
        let r = d.judge(&verifier, &look(&sunday, 0, at), revoked);
        assert_eq!(
            outcome(&r),
            ScanOutcome::Revoked,
            "revocation before the day"
        );
        assert!(r.unwrap_err().message.contains("refund"));

        // Valid on a later day: not yet; on an earlier one only: wrong day.
        let r = d.judge(&verifier, &look(&sunday, 0, at), none);
        assert_eq!(outcome(&r), ScanOutcome::NotYetValid);
        let r = r.unwrap_err();
        assert_eq!(r.valid_days, [2]);
        assert_eq!(r.day, 1);
        assert!(
            r.message
                .contains("not yet: this ticket is not valid on day 1: it is valid on day 2"),
            "{}",
            r.message
        );
        let (saturday, _) = signed(&signer, event, "sat", &[1]);
        let r = d.judge(
            &verifier,
            &look(&saturday, 0, ms("2027-07-18T19:00:00Z")),
            none,
        );
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        // Before the first day's scanning opens: not yet, and when it opens.
        let r = d.judge(
            &verifier,
            &look(&saturday, 0, ms("2027-07-16T09:00:00Z")),
            none,
        );
        assert_eq!(outcome(&r), ScanOutcome::NotYetValid);
        assert!(
            r.unwrap_err()
                .message
                .contains("scanned from 2027-07-17T00:00:00Z")
        );
        // No day on, and a day the event does not have.
        let r = d.judge(
            &verifier,
            &look(&weekend, 0, ms("2027-08-01T12:00:00Z")),
            none,
        );
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        assert_eq!(r.unwrap_err().day, 0);
        let r = d.judge(&verifier, &look(&weekend, 3, at), none);
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        assert!(r.unwrap_err().message.contains("no day 3"));
        assert_eq!(
            outcome(&d.judge(&verifier, &look(&weekend, -1, at), none)),
            ScanOutcome::WrongDay
        );
    }
}
