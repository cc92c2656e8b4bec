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
    /// Gate or device.
    pub gate: String,
    /// Login of the staff.
    pub staff: String,
    /// When (the scanner's clock offline, the worker's online).
    pub at: Millis,
    /// Scanned offline and synced later.
    pub offline: bool,
}

/// A scan of an admissible ticket: ADMIT when it has no standing
/// admission that day (never scanned, or undone), ALREADY_SCANNED (with
/// the standing record) when it has. A retry of the scan that made the
/// standing record answers ADMIT again, marked not new.
pub fn admit(ticket: &Admissible, last: Option<&Last>, by: &Scanner) -> Step<ScanResult> {
    match last {
        Some(l) if !l.record.undone => {
            let mut answer = ticket.answer.clone();
            if l.record.scan_id == by.scan_id {
                answer.outcome = ScanOutcome::Admit as i32;
                answer.message = "admit (this scan was already recorded)".into();
                answer.new = false;
            } else {
                answer.outcome = ScanOutcome::AlreadyScanned as i32;
                answer.message = format!(
                    "already scanned{}{}",
                    if l.record.gate.is_empty() {
                        String::new()
                    } else {
                        format!(" at {}", l.record.gate)
                    },
                    when(l.record.at_ms)
                );
            }
            answer.record = Some(l.record.clone());
            Step::Answer(answer)
        }
        _ => Step::Write {
            expected: last.map_or(0, |l| l.seq),
            record: CheckedIn {
                ticket_id: ticket.answer.ticket_id.clone(),
                tier: ticket.answer.tier.clone(),
                gate: by.gate.clone(),
                admissions: ticket.answer.admissions,
                at_ms: by.at,
                undone: false,
                offline: by.offline,
                day: ticket.day,
                scan_id: by.scan_id.clone(),
                staff: by.staff.clone(),
                reason: String::new(),
            },
        },
    }
}

/// The answer to a scan whose record was written.
pub fn admitted(ticket: &Admissible, record: CheckedIn) -> ScanResult {
    let mut answer = ticket.answer.clone();
    answer.outcome = ScanOutcome::Admit as i32;
    answer.message = "admit".into();
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
        let Step::Write { expected, record } = admit(&ticket(), None, &by("s1", "south")) else {
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
        let Step::Answer(a) = admit(&ticket(), Some(&l), &by("s2", "south")) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::AlreadyScanned);
        assert_eq!(a.record.as_ref().unwrap().gate, "north");
        assert!(
            a.message.contains("at north at 2027-01-15T07:43:20Z"),
            "{}",
            a.message
        );
        let Step::Answer(a) = admit(&ticket(), Some(&l), &by("s1", "north")) else {
            panic!("expected an answer")
        };
        assert_eq!(a.outcome(), ScanOutcome::Admit);
        assert!(!a.new);
    }

    #[test]
    fn after_an_undo_the_ticket_is_admitted_again_on_the_undos_sequence() {
        let l = last(9, "u1", true);
        let Step::Write { expected, .. } = admit(&ticket(), Some(&l), &by("s3", "west")) else {
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
