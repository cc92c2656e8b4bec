//! The scan role's request side: `<event>.rpc.scan.<verb>` (queue group
//! `scan`, any number of replicas, every request handled concurrently):
//! `admit`, `undo`, `sync` (offline scans), `counts`, `bundle` (what an
//! offline scanner needs). Admissions are decided by the check-in
//! [`Ledger`](super::ledger::Ledger), so replicas need no coordination.

use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::header::NATS_MESSAGE_ID;
use futures::StreamExt;
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{
    BundleRequest, CheckoutError, CountsRequest, ErrorCode, OfflineScan, ScanConflict, ScanDayInfo,
    ScanOutcome, ScanReply, ScanRequest, ScanResult, ScanTier, ScannerBundle, ScannerKey,
    SyncOutcome, SyncRequest, SyncResult, SyncedScan, UnscanRequest, UnscanResult, scan_reply,
};
use sellout_common::trace;
use tokio::sync::{Semaphore, watch};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::decide::{self, Scanner};
use super::door::Door;
use super::feed::Feed;
use super::ledger::{Ledger, Settled};
use crate::checkout::catalog::error;
use crate::checkout::service::now_ms;
use crate::orders::valid_id;
use crate::ticket::Verifier;

/// Offline scans one sync request may carry.
pub const MAX_SYNC: usize = 1_000;
/// Requests handled at once by one worker (more wait their turn).
const CONCURRENCY: usize = 1_024;
/// Longest text accepted for a gate, staff login, device or reason.
const MAX_TEXT: usize = 200;
/// Longest QR code text accepted (a version 1 ticket is 161 characters).
const MAX_CODE: usize = 1_000;

/// What the scan service needs.
#[derive(Clone)]
pub struct ScanService {
    /// NATS.
    pub nats: async_nats::Client,
    /// The event's check-in ledger.
    pub ledger: Ledger,
    /// The event's door (days, tiers), kept in step with the API server.
    pub door: watch::Receiver<Arc<Door>>,
    /// The ticket-signing public keys.
    pub verifier: Arc<Verifier>,
    /// Revocations and counts.
    pub feed: Feed,
}

impl ScanService {
    fn names(&self) -> &Names {
        self.ledger.names()
    }

    /// Serves until `stop`, once the feed has caught up with the stream
    /// (a revocation made before this worker started is never missed).
    pub async fn serve(self, stop: CancellationToken) -> anyhow::Result<()> {
        tokio::select! {
            ok = self.feed.caught_up() => if !ok { return Ok(()) },
            () = stop.cancelled() => return Ok(()),
        }
        let mut sub = self
            .nats
            .queue_subscribe(self.names().subject("rpc.scan.*"), "scan".into())
            .await
            .map_err(|e| anyhow::anyhow!("subscribe to scan requests: {e}"))?;
        tracing::info!(event = %self.names().stream, "scan role serving");
        let permits = Arc::new(Semaphore::new(CONCURRENCY));
        loop {
            let msg = tokio::select! {
                m = sub.next() => match m { Some(m) => m, None => break },
                () = stop.cancelled() => break,
            };
            let Some(reply_to) = msg.reply.clone() else {
                continue;
            };
            let Ok(permit) = permits.clone().acquire_owned().await else {
                break;
            };
            let svc = self.clone();
            let verb = msg
                .subject
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_owned();
            let span = trace::handler_span("scan", &verb, msg.headers.as_ref());
            let ctx = trace::from_headers(msg.headers.as_ref());
            let handled = async move {
                tracing::debug!("scan request");
                let result = svc
                    .handle(&verb, &msg.payload)
                    .await
                    .unwrap_or_else(scan_reply::Result::Error);
                let reply = ScanReply {
                    result: Some(result),
                };
                if let Err(e) = svc
                    .nats
                    .publish(reply_to, reply.encode_to_vec().into())
                    .await
                {
                    tracing::warn!(error = %e, "could not answer a scan request");
                }
                drop(permit);
            };
            tokio::spawn(trace::within(ctx, handled).instrument(span));
        }
        let _ = sub.unsubscribe().await;
        Ok(())
    }

    async fn handle(
        &self,
        verb: &str,
        payload: &[u8],
    ) -> Result<scan_reply::Result, CheckoutError> {
        use scan_reply::Result as R;
        match verb {
            "admit" => {
                let req = ScanRequest::decode(payload).map_err(|e| bad_request("scan", e))?;
                Ok(R::Scan(self.admit(req).await?))
            }
            "undo" => {
                let req = UnscanRequest::decode(payload).map_err(|e| bad_request("undo", e))?;
                Ok(R::Unscan(self.undo(req).await?))
            }
            "sync" => {
                let req = SyncRequest::decode(payload).map_err(|e| bad_request("sync", e))?;
                Ok(R::Sync(self.sync(req).await?))
            }
            "counts" => {
                CountsRequest::decode(payload).map_err(|e| bad_request("counts", e))?;
                Ok(R::Counts(self.feed.counts()))
            }
            "bundle" => {
                BundleRequest::decode(payload).map_err(|e| bad_request("bundle", e))?;
                Ok(R::Bundle(self.bundle()))
            }
            other => Err(error(
                ErrorCode::BadRequest,
                format!("unknown scan request {other:?}: admit, undo, sync, counts or bundle"),
            )),
        }
    }

    /// An online scan.
    pub async fn admit(&self, req: ScanRequest) -> Result<ScanResult, CheckoutError> {
        valid_id("scan_id", &req.scan_id)?;
        text("code", &req.code, MAX_CODE)?;
        text("gate", &req.gate, MAX_TEXT)?;
        text("staff", &req.staff, MAX_TEXT)?;
        let by = Scanner {
            scan_id: req.scan_id.clone(),
            gate: req.gate.clone(),
            staff: req.staff.clone(),
            at: if req.at_ms > 0 { req.at_ms } else { now_ms() },
            offline: false,
        };
        self.scan(&req.code, req.day, &by).await
    }

    /// Judges a code and, when admissible, settles it with the ledger.
    async fn scan(&self, code: &str, day: i32, by: &Scanner) -> Result<ScanResult, CheckoutError> {
        let door = self.door.borrow().clone();
        let ticket = match door.judge(&self.verifier, code, day, by.at, |t| self.feed.revoked(t)) {
            Ok(t) => t,
            Err(answer) => return Ok(*answer),
        };
        let settled = self
            .ledger
            .settle(&ticket.answer.ticket_id, ticket.day, |last| {
                Ok(decide::admit(&ticket, last, by))
            })
            .await?;
        Ok(match settled {
            Settled::Answered(a) => a,
            Settled::Wrote { record, .. } => decide::admitted(&ticket, record),
        })
    }

    /// Undoes an admission.
    pub async fn undo(&self, req: UnscanRequest) -> Result<UnscanResult, CheckoutError> {
        valid_id("scan_id", &req.scan_id)?;
        uuid::Uuid::parse_str(&req.ticket_id).map_err(|_| {
            error(
                ErrorCode::BadRequest,
                format!("ticket_id {:?} is not a ticket id (a UUID)", req.ticket_id),
            )
        })?;
        text("gate", &req.gate, MAX_TEXT)?;
        text("staff", &req.staff, MAX_TEXT)?;
        text("reason", &req.reason, MAX_TEXT)?;
        let now = now_ms();
        let door = self.door.borrow().clone();
        let day = match u8::try_from(req.day) {
            Ok(0) => door.day_at(now).map(i32::from).ok_or_else(|| {
                error(
                    ErrorCode::BadRequest,
                    format!(
                        "no day of {} is being scanned now: name the day",
                        door.title
                    ),
                )
            })?,
            Ok(d) if door.days.iter().any(|x| x.number == d) => req.day,
            _ => {
                return Err(error(
                    ErrorCode::BadRequest,
                    format!(
                        "{} has no day {}: its days are 1 to {}",
                        door.title,
                        req.day,
                        door.days.len()
                    ),
                ));
            }
        };
        let settled = self
            .ledger
            .settle(&req.ticket_id, day, |last| {
                decide::undo(&req, day, last, now)
            })
            .await?;
        Ok(match settled {
            Settled::Answered((record, new)) => UnscanResult {
                record: Some(record),
                new,
            },
            Settled::Wrote { record, .. } => UnscanResult {
                record: Some(record),
                new: true,
            },
        })
    }

    /// Records offline scans in order; each gets RECORDED, DUPLICATE or
    /// CONFLICT, and every conflict is also appended to
    /// `<event>.conflicts` before the answer goes out.
    pub async fn sync(&self, req: SyncRequest) -> Result<SyncResult, CheckoutError> {
        if req.scans.len() > MAX_SYNC {
            return Err(error(
                ErrorCode::BadRequest,
                format!(
                    "{} scans in one sync: send at most {MAX_SYNC} a request",
                    req.scans.len()
                ),
            ));
        }
        text("device", &req.device, MAX_TEXT)?;
        for (i, s) in req.scans.iter().enumerate() {
            valid_id(&format!("scans[{i}].scan_id"), &s.scan_id)?;
            text(&format!("scans[{i}].code"), &s.code, MAX_CODE)?;
            text(&format!("scans[{i}].gate"), &s.gate, MAX_TEXT)?;
            text(&format!("scans[{i}].staff"), &s.staff, MAX_TEXT)?;
            if s.at_ms <= 0 {
                return Err(error(
                    ErrorCode::BadRequest,
                    format!("scans[{i}].at_ms is required: when the scanner admitted them"),
                ));
            }
        }
        let mut out = Vec::with_capacity(req.scans.len());
        for s in req.scans {
            let by = Scanner {
                scan_id: s.scan_id.clone(),
                gate: s.gate.clone(),
                staff: s.staff.clone(),
                at: s.at_ms,
                offline: true,
            };
            let result = self.scan(&s.code, s.day, &by).await?;
            let outcome = match result.outcome() {
                ScanOutcome::Admit if result.new => SyncOutcome::Recorded,
                ScanOutcome::Admit => SyncOutcome::Duplicate,
                _ => SyncOutcome::Conflict,
            };
            if outcome == SyncOutcome::Conflict {
                self.report(&s, &req.device, &result).await?;
            }
            out.push(SyncedScan {
                scan_id: s.scan_id,
                outcome: outcome as i32,
                result: Some(result),
            });
        }
        Ok(SyncResult { scans: out })
    }

    /// Appends a conflict to `<event>.conflicts` (deduplicated by scan id
    /// within the stream's window).
    async fn report(
        &self,
        scan: &OfflineScan,
        device: &str,
        result: &ScanResult,
    ) -> Result<(), CheckoutError> {
        let conflict = ScanConflict {
            scan_id: scan.scan_id.clone(),
            ticket_id: result.ticket_id.clone(),
            tier: result.tier.clone(),
            day: if result.day > 0 { result.day } else { scan.day },
            gate: scan.gate.clone(),
            staff: scan.staff.clone(),
            device: device.to_owned(),
            scanned_at_ms: scan.at_ms,
            synced_at_ms: now_ms(),
            outcome: result.outcome,
            message: result.message.clone(),
            standing: result.record.clone(),
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            NATS_MESSAGE_ID,
            format!("conflict-{}", scan.scan_id).as_str(),
        );
        let js = async_nats::jetstream::new(self.nats.clone());
        let ack = async {
            js.publish_with_headers(
                self.names().conflicts(),
                headers,
                conflict.encode_to_vec().into(),
            )
            .await?
            .await
        };
        ack.await.map(|_| ()).map_err(|e| {
            error(
                ErrorCode::Unavailable,
                format!(
                    "the conflict of scan {} could not be recorded: {e}",
                    scan.scan_id
                ),
            )
        })
    }

    /// What an offline scanner checks tickets against.
    pub fn bundle(&self) -> ScannerBundle {
        let door = self.door.borrow().clone();
        let (revoked, seq) = self.feed.revoked_all();
        ScannerBundle {
            event_uid: door.event_uid.to_string(),
            keys: self
                .verifier
                .public_keys()
                .map(|(id, pem)| ScannerKey {
                    key_id: u32::from(id.0),
                    public_key_pem: pem,
                })
                .collect(),
            days: door
                .days
                .iter()
                .map(|d| ScanDayInfo {
                    day: i32::from(d.number),
                    doors_at_ms: d.doors_ms,
                    starts_at_ms: d.starts_ms,
                    ends_at_ms: d.ends_ms,
                    scan_from_ms: d.scan_from(),
                    scan_until_ms: d.scan_until(),
                })
                .collect(),
            tiers: door
                .tiers
                .iter()
                .map(|t| ScanTier {
                    name: t.name.clone(),
                    display_name: t.display_name.clone(),
                    hash: t.hash.0.to_vec(),
                    add_on: t.add_on,
                })
                .collect(),
            revoked,
            seq,
        }
    }
}

/// How often at most the counts are written to MongoDB.
const PROJECT_EVERY: Duration = Duration::from_secs(1);

/// Keeps the event's check-in counts in MongoDB
/// (`sellout_store::checkins`) for the operator's status, until `stop`.
/// Every replica writes; a write never replaces counts of a later stream
/// sequence.
pub async fn project_counts(
    feed: Feed,
    db: mongodb::Database,
    names: Names,
    stop: CancellationToken,
) {
    let mut changes = feed.changes();
    let mut written = 0u64;
    loop {
        tokio::select! {
            r = changes.changed() => if r.is_err() { return },
            () = stop.cancelled() => return,
        }
        let counts = feed.counts();
        if counts.seq > written {
            let stored = sellout_store::checkins::CheckInCounts {
                seq: counts.seq,
                days: counts
                    .days
                    .iter()
                    .map(|d| sellout_store::checkins::DayCounts {
                        day: d.day,
                        checked_in: d.checked_in,
                        admissions: d.admissions,
                    })
                    .collect(),
            };
            match sellout_store::checkins::project(&db, &names, &stored).await {
                Ok(()) => written = counts.seq,
                Err(e) => tracing::warn!(error = %e, "check-in counts not written; retrying"),
            }
        }
        tokio::select! {
            () = tokio::time::sleep(PROJECT_EVERY) => {}
            () = stop.cancelled() => return,
        }
    }
}

fn bad_request(what: &str, e: impl std::fmt::Display) -> CheckoutError {
    error(
        ErrorCode::BadRequest,
        format!("malformed {what} request: {e}"),
    )
}

fn text(field: &str, value: &str, max: usize) -> Result<(), CheckoutError> {
    if value.len() > max || value.chars().any(char::is_control) {
        Err(error(
            ErrorCode::BadRequest,
            format!("{field} must be at most {max} bytes, without control characters"),
        ))
    } else {
        Ok(())
    }
}
