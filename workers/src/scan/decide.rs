//! What to do with a ticket's check-in record for one day (pure): given
//! the last record on the ticket's subject, answer at once or write a new
//! record conditioned on that one's sequence. The scan service runs these
//! steps against JetStream; the benchmark's naive baseline skips the
//! condition.

use sellout_common::proto::v1::{
    CheckedIn, CheckoutError, ErrorCode, ScanOutcome, ScanResult, UnscanRequest,
};

use super::door::Admissible;
use crate::checkout::catalog::error;
use crate::inventory::Millis;

/// The last check-in record of a ticket on a day, and its stream sequence.
#[derive(Clone, Debug, PartialEq)]
pub struct Last {
    /// Stream sequence of the record.
    pub seq: u64,
    /// The record.
    pub record: CheckedIn,
}

/// The next step of a scan or an undo.
#[derive(Clone, Debug, PartialEq)]
pub enum Step<A> {
    /// Answer this; nothing is written.
    Answer(A),
    /// Write `record` if the ticket's last record is still the one at
    /// `expected` (0: none), then answer with it.
    Write {
        /// `Nats-Expected-Last-Subject-Sequence`.
        expected: u64,
        /// The record to append.
        record: CheckedIn,
    },
}

/// Who scans, where and when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scanner {
    /// Idempotency key of the scan.
    pub scan_id: String,
    /// Gate.
    pub gate: String,
    /// The scanner device.
    pub device: String,
    /// Login of the staff.
    pub staff: String,
    /// When (the scanner's clock offline, the worker's online).
    pub at: Millis,
    /// Scanned offline and synced later.
    pub offline: bool,
}

/// A scan of an admissible ticket: ADMIT (REDEEMED for an add-on) when
/// it has no standing record that day (never scanned, or undone),
/// ALREADY_SCANNED (with the standing record) when it has. A retry of the
/// scan that made the standing record (same scan id, gate and device)
/// answers ADMIT again, marked not new; so does a scan id recorded before
/// (`recorded_before`) whose admission was undone since: replaying a scan
/// never admits again.
pub fn admit(
    ticket: &Admissible,
    last: Option<&Last>,
    by: &Scanner,
    recorded_before: bool,
) -> Step<ScanResult> {
    let done = if ticket.add_on {
        ScanOutcome::Redeemed
    } else {
        ScanOutcome::Admit
    };
    match last {
        Some(l) if !l.record.undone => {
            let mut answer = ticket.answer.clone();
            let r = &l.record;
            if r.scan_id == by.scan_id && r.gate == by.gate && r.device == by.device {
                answer.outcome = done as i32;
                answer.message = format!("{} (this scan was already recorded)", word(done));
                answer.new = false;
            } else {
                answer.outcome = ScanOutcome::AlreadyScanned as i32;
                answer.message = format!(
                    "already {}{}{}",
                    if r.redeemed { "redeemed" } else { "scanned" },
                    if r.gate.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", r.gate)
                    },
                    when(r.at_ms)
                );
            }
            answer.record = Some(l.record.clone());
            Step::Answer(answer)
        }
        Some(_) if recorded_before => {
            let mut answer = ticket.answer.clone();
            answer.outcome = done as i32;
            answer.message = format!(
                "{} (this scan was recorded before; its admission was undone since)",
                word(done)
            );
            answer.new = false;
            Step::Answer(answer)
        }
        _ => Step::Write {
            expected: last.map_or(0, |l| l.seq),
            record: CheckedIn {
                ticket_id: ticket.answer.ticket_id.clone(),
                tier: ticket.answer.tier.clone(),
                gate: by.gate.clone(),
                admissions: if ticket.add_on {
                    0
                } else {
                    ticket.answer.admissions
                },
                at_ms: by.at,
                undone: false,
                offline: by.offline,
                day: ticket.day,
                scan_id: by.scan_id.clone(),
                staff: by.staff.clone(),
                reason: String::new(),
                device: by.device.clone(),
                redeemed: ticket.add_on,
            },
        },
    }
}

fn word(outcome: ScanOutcome) -> &'static str {
    if outcome == ScanOutcome::Redeemed {
        "redeemed"
    } else {
        "admit"
    }
}

/// The answer to a scan whose record was written.
pub fn admitted(ticket: &Admissible, record: CheckedIn) -> ScanResult {
    let mut answer = ticket.answer.clone();
    if ticket.add_on {
        answer.outcome = ScanOutcome::Redeemed as i32;
        answer.message = format!(
            "redeemed: {} (an add-on; it admits nobody)",
            ticket.answer.tier_display_name
        );
    } else {
        answer.outcome = ScanOutcome::Admit as i32;
        answer.message = match ticket.answer.admissions {
            1 => "admit 1 person".into(),
            n => format!("admit {n} people"),
        };
    }
    answer.new = true;
    answer.record = Some(record);
    answer
}

/// An undo of the ticket's standing admission on `day`. A retry of the
/// undo that made the last record answers it again (`Ok(Answer((record,
/// false)))`); no standing admission is NOT_CHECKED_IN.
pub fn undo(
    req: &UnscanRequest,
    day: i32,
    last: Option<&Last>,
    at: Millis,
) -> Result<Step<(CheckedIn, bool)>, CheckoutError> {
    match last {
        Some(l) if l.record.undone && l.record.scan_id == req.scan_id => {
            Ok(Step::Answer((l.record.clone(), false)))
        }
        Some(l) if !l.record.undone => Ok(Step::Write {
            expected: l.seq,
            record: CheckedIn {
                ticket_id: req.ticket_id.clone(),
                tier: l.record.tier.clone(),
                gate: req.gate.clone(),
                admissions: l.record.admissions,
                at_ms: at,
                undone: true,
                offline: false,
                day,
                scan_id: req.scan_id.clone(),
                staff: req.staff.clone(),
                reason: req.reason.clone(),
                device: req.device.clone(),
                redeemed: l.record.redeemed,
            },
        }),
        Some(l) => Err(error(
            ErrorCode::NotCheckedIn,
            format!(
                "ticket {} is not checked in on day {day}: its admission was already undone{}",
                req.ticket_id,
                when(l.record.at_ms)
            ),
        )),
        None => Err(error(
            ErrorCode::NotCheckedIn,
            format!("ticket {} was never checked in on day {day}", req.ticket_id),
        )),
    }
}

/// " at 2027-07-17T19:00:00Z" (UTC), or nothing for an unknown time.
fn when(at_ms: Millis) -> String {
    jiff::Timestamp::from_millisecond(at_ms)
        .map(|t| format!(" at {}", t.round(jiff::Unit::Second).unwrap_or(t)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU8;

    use super::*;
    use crate::ticket::{TicketClaims, TierHash, ValidDays};

    fn ticket() -> Admissible {
        Admissible {
            claims: TicketClaims {
                event: uuid::Uuid::nil(),
                ticket: uuid::Uuid::nil(),
                tier: TierHash::of("ga"),
                days: ValidDays::from_days([1]).unwrap(),
                admits: NonZeroU8::new(8).unwrap(),
            },
            day: 1,
            add_on: false,
            answer: ScanResult {
                ticket_id: "t1".into(),
                tier: "ga".into(),
                admissions: 8,
                day: 1,
                ..Default::default()
            },
        }
    }

    fn by(scan_id: &str, gate: &str) -> Scanner {
        Scanner {
            scan_id: scan_id.into(),
            gate: gate.into(),
            device: "d1".into(),
            staff: "ana@example.com".into(),
            at: 1_800_000_000_000,
            offline: false,
        }
    }

    fn last(seq: u64, scan_id: &str, undone: bool) -> Last {
        Last {
            seq,
            record: CheckedIn {
                ticket_id: "t1".into(),
                gate: "north".into(),
                device: "d1".into(),
                admissions: 8,
                at_ms: 1_799_999_000_000,
                undone,
                day: 1,
                scan_id: scan_id.into(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_first_scan_writes_an_admission_conditioned_on_no_record() {
        let Step::Write { expected, record } = admit(&ticket(), None, &by("s1", "south"), false)
        else {
            panic!("expected a write")
        };
        assert_eq!(expected, 0);
        assert_eq!(record.gate, "south");
        assert_eq!(record.admissions, 8, "a table's ticket admits its seats");
        assert!(!record.undone);
        assert_eq!((record.day, record.scan_id.as_str()), (1, "s1"));
        let answer = admitted(&ticket(), record.clone());
        assert_eq!(answer.outcome(), ScanOutcome::Admit);
        assert!(answer.new);
    }

    #[test]
    fn a_second_scan_is_already_scanned_and_a_retry_is_admit_again() {
        let l = last(7, "s1", false);
        let Step::Answer(a) = admit(&ticket(), Some(&l), &by("s2", "south"), false) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::AlreadyScanned);
        assert_eq!(a.record.as_ref().unwrap().gate, "north");
        assert!(
            a.message.contains("at north at 2027-01-15T07:43:20Z"),
            "{}",
            a.message
        );
        let Step::Answer(a) = admit(&ticket(), Some(&l), &by("s1", "north"), true) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::Admit);
        assert!(!a.new);
        // The same scan id from another gate or device is another scan.
        let Step::Answer(a) = admit(&ticket(), Some(&l), &by("s1", "south"), true) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::AlreadyScanned);
        let other_device = Scanner {
            device: "d2".into(),
            ..by("s1", "north")
        };
        let Step::Answer(a) = admit(&ticket(), Some(&l), &other_device, true) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::AlreadyScanned);
    }

    #[test]
    fn an_add_on_is_redeemed_once_and_admits_nobody() {
        let add_on = Admissible {
            add_on: true,
            ..ticket()
        };
        let Step::Write { record, .. } = admit(&add_on, None, &by("s1", "car park"), false) else {
            panic!("expected a write")
        };
        assert!(record.redeemed);
        assert_eq!(record.admissions, 0, "counted as nobody admitted");
        let a = admitted(&add_on, record.clone());
        assert_eq!(a.outcome(), ScanOutcome::Redeemed);
        let l = Last { seq: 3, record };
        let Step::Answer(a) = admit(&add_on, Some(&l), &by("s2", "car park"), false) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::AlreadyScanned);
        assert!(
            a.message.starts_with("already redeemed at car park"),
            "{}",
            a.message
        );
    }

    #[test]
    fn a_scan_replayed_after_its_admission_was_undone_admits_nobody() {
        let undone = last(9, "u1", true);
        let Step::Answer(a) = admit(&ticket(), Some(&undone), &by("s1", "north"), true) else {
            panic!("a replay must not write")
        };
        assert_eq!(a.outcome(), ScanOutcome::Admit);
        assert!(!a.new);
        assert!(a.message.contains("undone since"));
    }

    #[test]
    fn after_an_undo_the_ticket_is_admitted_again_on_the_undos_sequence() {
        let l = last(9, "u1", true);
        let Step::Write { expected, .. } = admit(&ticket(), Some(&l), &by("s3", "west"), false)
        else {
            panic!("expected a write")
        };
        assert_eq!(expected, 9);
    }

    #[test]
    fn undo_needs_a_standing_admission() {
        let req = UnscanRequest {
            scan_id: "u1".into(),
            ticket_id: "t1".into(),
            day: 1,
            gate: "office".into(),
            staff: "boss@example.com".into(),
            reason: "left to smoke".into(),
            device: "office-1".into(),
        };
        let e = undo(&req, 1, None, 5).unwrap_err();
        assert_eq!(e.code(), ErrorCode::NotCheckedIn);
        assert!(e.message.contains("never checked in on day 1"));

        let Ok(Step::Write { expected, record }) = undo(&req, 1, Some(&last(4, "s1", false)), 5)
        else {
            panic!("expected a write")
        };
        assert_eq!(expected, 4);
        assert!(record.undone);
        assert_eq!(record.admissions, 8);
        assert_eq!(record.reason, "left to smoke");
        assert_eq!(record.at_ms, 5);

        // The retry of that undo answers it again; another undo is refused.
        let done = Last { seq: 5, record };
        assert!(matches!(
            undo(&req, 1, Some(&done), 6),
            Ok(Step::Answer((_, false)))
        ));
        let other = UnscanRequest {
            scan_id: "u2".into(),
            ..req
        };
        let e = undo(&other, 1, Some(&done), 6).unwrap_err();
        assert_eq!(e.code(), ErrorCode::NotCheckedIn);
        assert!(e.message.contains("already undone"));
    }
}
