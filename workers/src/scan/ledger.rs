//! The check-in ledger: one subject per ticket and day in the event's
//! stream (`<event>.checkins.<ticket>.<day>`), whose last message is the
//! ticket's state that day. A record is appended only if the subject's
//! last sequence is still the one read (`Nats-Expected-Last-Subject-
//! Sequence`), so of any number of scans racing for one ticket, at any
//! gates and on any scan workers, exactly one is recorded; the others
//! read again and answer ALREADY_SCANNED. No single writer, no lock: the
//! stream's per-subject compare-and-set is the arbiter.

use anyhow::Context as _;
use async_nats::HeaderMap;
use async_nats::header::{NATS_EXPECTED_LAST_SUBJECT_SEQUENCE, NATS_MESSAGE_ID};
use async_nats::jetstream::{self, context::PublishErrorKind, stream::DirectGetErrorKind};
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{CheckedIn, CheckoutError, ErrorCode};

use super::decide::{Last, Step};
use crate::checkout::catalog::error;

/// How many times a step is read and tried again after losing a race
/// before giving up (each loss means another scan of the same ticket was
/// recorded in between: a handful at most, even with 20 gates).
const ATTEMPTS: usize = 32;

/// How a step ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Settled<A> {
    /// Answered without writing.
    Answered(A),
    /// `record` was appended at `seq`.
    Wrote {
        /// The record.
        record: CheckedIn,
        /// Its stream sequence.
        seq: u64,
    },
}

/// An event's check-in ledger.
#[derive(Clone, Debug)]
pub struct Ledger {
    js: jetstream::Context,
    stream: jetstream::stream::Stream,
    names: Names,
    direct: bool,
}

impl Ledger {
    /// The ledger in the event's stream (which the operator creates).
    pub async fn open(js: jetstream::Context, names: Names) -> anyhow::Result<Self> {
        let mut stream = js
            .get_stream(&names.stream)
            .await
            .with_context(|| format!("the event's stream {}", names.stream))?;
        let direct = stream
            .info()
            .await
            .map(|i| i.config.allow_direct)
            .unwrap_or(false);
        Ok(Ledger {
            js,
            stream,
            names,
            direct,
        })
    }

    /// The ticket's last record on `day`, if any.
    pub async fn last(&self, ticket_id: &str, day: i32) -> Result<Option<Last>, CheckoutError> {
        let subject = self.names.checkin(ticket_id, day);
        let msg = if self.direct {
            match self.stream.direct_get_last_for_subject(subject).await {
                Ok(m) => m,
                Err(e) if matches!(e.kind(), DirectGetErrorKind::NotFound) => return Ok(None),
                Err(e) => return Err(unavailable(e)),
            }
        } else {
            use jetstream::stream::LastRawMessageErrorKind as K;
            match self.stream.get_last_raw_message_by_subject(&subject).await {
                Ok(m) => m,
                Err(e) if matches!(e.kind(), K::NoMessageFound) => return Ok(None),
                Err(e) => return Err(unavailable(e)),
            }
        };
        let record = CheckedIn::decode(msg.payload.as_ref()).map_err(|e| {
            error(
                ErrorCode::Unavailable,
                format!("check-in record {} is undecodable: {e}", msg.sequence),
            )
        })?;
        Ok(Some(Last {
            seq: msg.sequence,
            record,
        }))
    }

    /// Appends `record` if the ticket's last record on its day is still at
    /// `expected` (0: none). `Ok(None)` when another record came first.
    /// Sending the same record again (same scan, same expectation) within
    /// the stream's duplicate window stores nothing new and answers the
    /// first append's sequence.
    pub async fn append(
        &self,
        expected: u64,
        record: &CheckedIn,
    ) -> Result<Option<u64>, CheckoutError> {
        let subject = self.names.checkin(&record.ticket_id, record.day);
        let mut headers = HeaderMap::new();
        headers.insert(
            NATS_EXPECTED_LAST_SUBJECT_SEQUENCE,
            expected.to_string().as_str(),
        );
        headers.insert(
            NATS_MESSAGE_ID,
            format!(
                "checkin-{}-{}-{expected}-{}",
                record.ticket_id, record.day, record.scan_id
            )
            .as_str(),
        );
        let ack = async {
            self.js
                .publish_with_headers(subject, headers, record.encode_to_vec().into())
                .await?
                .await
        };
        match ack.await {
            Ok(ack) => Ok(Some(ack.sequence)),
            Err(e) if e.kind() == PublishErrorKind::WrongLastSequence => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Runs `step` on the ticket's last record on `day` until it answers
    /// or its write lands: read, decide, append conditioned on what was
    /// read; a lost race reads again.
    pub async fn settle<A>(
        &self,
        ticket_id: &str,
        day: i32,
        mut step: impl FnMut(Option<&Last>) -> Result<Step<A>, CheckoutError>,
    ) -> Result<Settled<A>, CheckoutError> {
        for _ in 0..ATTEMPTS {
            let last = self.last(ticket_id, day).await?;
            match step(last.as_ref())? {
                Step::Answer(a) => return Ok(Settled::Answered(a)),
                Step::Write { expected, record } => {
                    if let Some(seq) = self.append(expected, &record).await? {
                        return Ok(Settled::Wrote { record, seq });
                    }
                }
            }
        }
        Err(error(
            ErrorCode::Unavailable,
            format!("ticket {ticket_id} is being scanned at many gates at once: scan again"),
        ))
    }

    /// The event's names.
    pub fn names(&self) -> &Names {
        &self.names
    }
}

fn unavailable(e: impl std::fmt::Display) -> CheckoutError {
    error(
        ErrorCode::Unavailable,
        format!("the check-in ledger is unreachable: {e}"),
    )
}
