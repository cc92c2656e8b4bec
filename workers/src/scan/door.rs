//! What the door knows of an event, and what a ticket's code says there
//! (pure): the event's days and when each is scanned, its tiers by their
//! 4-byte hash, and the checks of a code in order (Invalid, WrongEvent,
//! Revoked, WrongDay) before the ledger decides Admit or AlreadyScanned.

use sellout_common::proto::v1::{ScanOutcome, ScanResult};
use sellout_crds::tier::TierKind;
use sellout_crds::{Event, TicketTier};
use uuid::Uuid;

use crate::inventory::Millis;
use crate::ticket::{TicketClaims, TicketError, TierHash, Verifier};

/// Door staff scan a day from this long before its doors open …
pub const BEFORE_DOORS_MS: Millis = 12 * 3_600_000;
/// … until this long after it ends.
pub const AFTER_END_MS: Millis = 6 * 3_600_000;

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
        self.doors_ms - BEFORE_DOORS_MS
    }

    /// The moment scanning for this day stops (exclusive).
    pub fn scan_until(&self) -> Millis {
        self.ends_ms + AFTER_END_MS
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
        })
    }

    /// The day scanned at `at`: of the days whose scanning window (12 h
    /// before doors to 6 h after the end) contains `at`, the one whose
    /// doors open last (so at 01:00 between two festival days, the coming
    /// day). `None` when no day is on.
    pub fn day_at(&self, at: Millis) -> Option<u8> {
        self.days
            .iter()
            .filter(|d| d.scan_from() <= at && at < d.scan_until())
            .max_by_key(|d| d.doors_ms)
            .map(|d| d.number)
    }

    /// The tier a ticket names by its hash: the first by name of those
    /// with that hash (two tiers of one event colliding is about one in a
    /// million for 100 tiers).
    pub fn tier(&self, hash: TierHash) -> Option<&DoorTier> {
        self.tiers.iter().find(|t| t.hash == hash)
    }

    /// The checks of a code that need no ledger, in order: the signature
    /// and format (Invalid), the event (WrongEvent), revocation (Revoked),
    /// the day (WrongDay; `day` 0 means the day on at `at`). A ticket that
    /// passes them is [`Admissible`]; otherwise the answer to give.
    pub fn judge(
        &self,
        verifier: &Verifier,
        code: &str,
        day: i32,
        at: Millis,
        revoked: impl Fn(&str) -> Option<String>,
    ) -> Result<Admissible, Box<ScanResult>> {
        let claims = match verifier.verify(code) {
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
        // tier), or of an add-on: neither lets anybody in.
        match tier {
            None => {
                return refuse(
                    answer,
                    ScanOutcome::Invalid,
                    format!(
                        "this ticket is of no tier {} sells: do not admit",
                        self.title
                    ),
                );
            }
            Some(t) if t.add_on => {
                return refuse(
                    answer,
                    ScanOutcome::NotAnAdmission,
                    format!(
                        "{} is an add-on, not an admission: redeem it where it is sold",
                        t.display_name
                    ),
                );
            }
            Some(_) => {}
        }
        let day = match u8::try_from(day) {
            Ok(0) => self.day_at(at),
            Ok(d) if self.days.iter().any(|x| x.number == d) => Some(d),
            _ => {
                return refuse(
                    answer,
                    ScanOutcome::WrongDay,
                    format!(
                        "{} has no day {day}: its days are 1 to {}",
                        self.title,
                        self.days.len()
                    ),
                );
            }
        };
        let Some(day) = day else {
            answer.valid_days = claims.days.days().map(i32::from).collect();
            return refuse(
                answer,
                ScanOutcome::WrongDay,
                format!(
                    "no day of {} is being scanned now (from 12 hours before doors to 6 hours after the end)",
                    self.title
                ),
            );
        };
        answer.day = i32::from(day);
        if let Err(TicketError::WrongDay { valid, .. }) = claims.check(self.event_uid, day) {
            answer.valid_days = valid.days().map(i32::from).collect();
            let list: Vec<String> = valid.days().map(|d| d.to_string()).collect();
            return refuse(
                answer,
                ScanOutcome::WrongDay,
                format!(
                    "this ticket is not valid on day {day}: it is valid on day {}",
                    list.join(", ")
                ),
            );
        }
        Ok(Admissible {
            claims,
            day: i32::from(day),
            answer,
        })
    }
}

/// A ticket that may be admitted on `day`, if the ledger has not admitted
/// it that day already.
#[derive(Clone, Debug, PartialEq)]
pub struct Admissible {
    /// What the code says.
    pub claims: TicketClaims,
    /// The day scanned for, from 1.
    pub day: i32,
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

    /// Parking, merchandise: sold with the tickets, admits nobody.
    #[test]
    fn add_ons_and_tiers_the_event_does_not_sell_admit_nobody() {
        let mut parking = tier("parking", "fest");
        parking.spec.kind = sellout_crds::tier::TierKind::AddOn;
        let d = Door::from_resources(&event(), &[tier("weekend", "fest"), parking]).unwrap();
        let (signer, verifier) = keys();
        let uid: Uuid = UID.parse().unwrap();
        let none = |_: &str| None;
        let at = ms("2027-07-17T12:30:00Z");
        let (weekend, _) = signed(&signer, uid, "weekend", &[1, 2]);
        assert_eq!(
            outcome(&d.judge(&verifier, &weekend, 1, at, none)),
            ScanOutcome::Admit
        );
        let (car, _) = signed(&signer, uid, "parking", &[1, 2]);
        let r = d.judge(&verifier, &car, 1, at, none);
        assert_eq!(outcome(&r), ScanOutcome::NotAnAdmission);
        assert!(r.unwrap_err().message.contains("add-on"));
        let (gone, _) = signed(&signer, uid, "deleted-tier", &[1, 2]);
        assert_eq!(
            outcome(&d.judge(&verifier, &gone, 1, at, none)),
            ScanOutcome::Invalid
        );
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
            // Day 1's window runs to 05:00; day 2's starts at 00:00: the
            // coming day wins the overlap.
            ("2027-07-18T01:00:00Z", Some(2)),
            ("2027-07-18T23:30:00Z", Some(2)),
            ("2027-07-19T04:59:59Z", Some(2)),
            ("2027-07-19T05:00:00Z", None), // 6 h after the end, exclusive
        ];
        for (at, want) in table {
            assert_eq!(d.day_at(ms(at)), want, "at {at}");
        }
    }

    #[test]
    fn codes_are_judged_invalid_then_wrong_event_then_revoked_then_wrong_day() {
        let (signer, verifier) = keys();
        let d = door();
        let event = d.event_uid;
        let at = ms("2027-07-17T19:00:00Z");
        let none = |_: &str| None;

        let (weekend, ticket) = signed(&signer, event, "weekend", &[1, 2]);
        let ok = d.judge(&verifier, &weekend, 0, at, none).unwrap();
        assert_eq!(ok.day, 1);
        assert_eq!(ok.answer.ticket_id, ticket.to_string());
        assert_eq!(ok.answer.tier, "weekend");
        assert_eq!(ok.answer.tier_display_name, "WEEKEND");
        assert_eq!(ok.answer.admissions, 1);
        // An explicit day.
        assert_eq!(d.judge(&verifier, &weekend, 2, at, none).unwrap().day, 2);

        // Altered: one character changed.
        let mut bytes = weekend.clone().into_bytes();
        bytes[100] = if bytes[100] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        let r = d.judge(&verifier, &altered, 0, at, none);
        assert_eq!(outcome(&r), ScanOutcome::Invalid);
        assert_eq!(r.unwrap_err().ticket_id, "");
        assert_eq!(
            outcome(&d.judge(&verifier, "hello", 0, at, none)),
            ScanOutcome::Invalid
        );
        // Signed by a key the door does not know.
        let stranger = Signer::new(KeyId(1), ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]));
        let (forged, _) = signed(&stranger, event, "weekend", &[1]);
        assert_eq!(
            outcome(&d.judge(&verifier, &forged, 0, at, none)),
            ScanOutcome::Invalid
        );

        let (other, _) = signed(&signer, Uuid::new_v4(), "weekend", &[1]);
        let r = d.judge(&verifier, &other, 0, at, |_: &str| Some("refund".into()));
        assert_eq!(
            outcome(&r),
            ScanOutcome::WrongEvent,
            "the event is checked before revocation"
        );

        let (sunday, sunday_id) = signed(&signer, event, "sat", &[2]);
        let revoked = |t: &str| (t == sunday_id.to_string()).then(|| "refund".to_owned());
        let r = d.judge(&verifier, &sunday, 0, at, revoked);
        assert_eq!(
            outcome(&r),
            ScanOutcome::Revoked,
            "revocation before the day"
        );
        assert!(r.unwrap_err().message.contains("refund"));

        let r = d.judge(&verifier, &sunday, 0, at, none);
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        let r = r.unwrap_err();
        assert_eq!(r.valid_days, [2]);
        assert_eq!(r.day, 1);
        assert!(r.message.contains("valid on day 2"), "{}", r.message);
        // No day on, and a day the event does not have.
        let r = d.judge(&verifier, &weekend, 0, ms("2027-08-01T12:00:00Z"), none);
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        assert_eq!(r.unwrap_err().day, 0);
        let r = d.judge(&verifier, &weekend, 3, at, none);
        assert_eq!(outcome(&r), ScanOutcome::WrongDay);
        assert!(r.unwrap_err().message.contains("no day 3"));
        assert_eq!(
            outcome(&d.judge(&verifier, &weekend, -1, at, none)),
            ScanOutcome::WrongDay
        );
    }
}
