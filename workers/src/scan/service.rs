//! The scan role's request side: `<event>.rpc.scan.<verb>` (queue group
//! `scan`, any number of replicas, every request handled concurrently):
//! `admit`, `undo`, `sync` (offline scans), `counts`, `bundle` (what an
//! offline scanner needs). Admissions are decided by the check-in
//! [`Ledger`](super::ledger::Ledger), so replicas need no coordination.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_nats::HeaderMap;
use async_nats::header::NATS_MESSAGE_ID;
use futures::StreamExt;
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{
    BundleRequest, CheckoutError, CountsRequest, ErrorCode, OfflineScan, ScanConflict, ScanDayInfo,
    ScanGate, ScanOutcome, ScanReply, ScanRequest, ScanResult, ScanTier, ScannerBundle, ScannerKey,
    ScannerRawKey, SyncOutcome, SyncRequest, SyncResult, SyncedScan, UnscanRequest, UnscanResult,
    scan_reply,
};
use sellout_common::trace;
use tokio::sync::{Semaphore, watch};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::decide::{self, Scanner};
use super::door::{Door, DoorGate, Look};
use super::feed::Feed;
use super::ledger::{Ledger, Settled};
use crate::checkout::catalog::error;
use crate::checkout::service::now_ms;
use crate::inventory::Millis;
use crate::ticket::Verifier;

/// Offline scans one sync request may carry.
pub const MAX_SYNC: usize = 1_000;
/// Requests handled at once by one worker (more wait their turn).
const CONCURRENCY: usize = 1_024;
/// Longest text accepted for a gate, staff login, device or reason.
const MAX_TEXT: usize = 200;
/// Longest QR code text accepted (a version 1 ticket is 161 characters).
const MAX_CODE: usize = 1_000;
/// The reason an exit's record gives.
pub const EXIT: &str = "exit";
/// Runs of one sync (the scans of one code) recorded side by side.
const SYNC_CONCURRENCY: usize = 64;
/// How far ahead of the worker's clock an offline scan's time may be.
const CLOCK_SKEW_MS: Millis = 60_000;
/// Revoked ticket ids in one bundle answer (about 400 KB, well under
/// NATS's 1 MB payload).
pub const BUNDLE_REVOKED: usize = 10_000;

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
            // Answers go only to inboxes: a request naming another subject
            // (another event's stream, a client's subscription) is dropped.
            let Some(reply_to) = sellout_common::nats_auth::inbox_reply(msg.reply.as_ref()) else {
                tracing::debug!("scan request without an _INBOX reply subject dropped");
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
                let result = svc.handle(&verb, &msg.payload).await;
                count(&verb, &result);
                let result = result.unwrap_or_else(scan_reply::Result::Error);
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
            "exit" => {
                let req = ScanRequest::decode(payload).map_err(|e| bad_request("exit", e))?;
                Ok(R::Unscan(self.exit(req).await?))
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
                let req = BundleRequest::decode(payload).map_err(|e| bad_request("bundle", e))?;
                Ok(R::Bundle(self.bundle(&req.revoked_after)))
            }
            other => Err(error(
                ErrorCode::BadRequest,
                format!(
                    "unknown scan request {other:?}: admit, exit, undo, sync, counts or bundle"
                ),
            )),
        }
    }

    /// An online scan, at the worker's clock.
    pub async fn admit(&self, req: ScanRequest) -> Result<ScanResult, CheckoutError> {
        scan_id("scan_id", &req.scan_id)?;
        text("code", &req.code, MAX_CODE)?;
        text("gate", &req.gate, MAX_TEXT)?;
        text("device", &req.device, MAX_TEXT)?;
        text("staff", &req.staff, MAX_TEXT)?;
        let by = Scanner {
            scan_id: req.scan_id.clone(),
            gate: req.gate.clone(),
            device: req.device.clone(),
            staff: req.staff.clone(),
            at: now_ms(),
            offline: false,
        };
        let door = self.door.borrow().clone();
        let gate = door
            .gate(&req.gate)
            .map_err(|e| error(ErrorCode::BadRequest, e))?;
        self.scan(&door, gate, &req.code, req.day, &by).await
    }

    /// Judges a code and, when admissible, settles it with the ledger.
    async fn scan(
        &self,
        door: &Door,
        gate: Option<&DoorGate>,
        code: &str,
        day: i32,
        by: &Scanner,
    ) -> Result<ScanResult, CheckoutError> {
        let look = Look {
            code,
            day,
            at: by.at,
            offline: by.offline,
            gate,
        };
        let ticket = match door.judge(&self.verifier, &look, |t| self.feed.revoked(t)) {
            Ok(t) => t,
            Err(answer) => return Ok(*answer),
        };
        let recorded_before = self.feed.recorded(&by.scan_id);
        let settled = self
            .ledger
            .settle(&ticket.answer.ticket_id, ticket.day, |last| {
                Ok(decide::admit(&ticket, last, by, recorded_before))
            })
            .await?;
        Ok(match settled {
            Settled::Answered(a) => a,
            Settled::Wrote { record, .. } => decide::admitted(&ticket, record),
        })
    }

    /// Someone leaving through a gate that allows re-entry: their
    /// ticket's admission today is ended (an undo with reason "exit"), so
    /// it admits again when they come back. The ticket must be genuine,
    /// admitted today, and of a tier the gate admits.
    pub async fn exit(&self, req: ScanRequest) -> Result<UnscanResult, CheckoutError> {
        scan_id("scan_id", &req.scan_id)?;
        text("code", &req.code, MAX_CODE)?;
        text("gate", &req.gate, MAX_TEXT)?;
        text("device", &req.device, MAX_TEXT)?;
        text("staff", &req.staff, MAX_TEXT)?;
        let door = self.door.borrow().clone();
        let gate = door
            .gate(&req.gate)
            .map_err(|e| error(ErrorCode::BadRequest, e))?
            .filter(|g| g.reentry)
            .ok_or_else(|| {
                error(
                    ErrorCode::BadRequest,
                    format!(
                        "gate {:?} of {} does not let people out and back in (the Event's spec.gates[].reentry)",
                        req.gate, door.title
                    ),
                )
            })?;
        let now = now_ms();
        let look = Look {
            code: &req.code,
            day: req.day,
            at: now,
            offline: false,
            gate: Some(gate),
        };
        let ticket = door
            .judge(&self.verifier, &look, |t| self.feed.revoked(t))
            .map_err(|answer| error(ErrorCode::BadRequest, answer.message))?;
        let undo = UnscanRequest {
            scan_id: req.scan_id,
            ticket_id: ticket.answer.ticket_id.clone(),
            day: ticket.day,
            gate: req.gate,
            staff: req.staff,
            reason: EXIT.into(),
            device: req.device,
        };
        self.end_admission(&undo, ticket.day, now).await
    }

    /// Ends the ticket's standing admission on `day` with an undo record
    /// (an undo by staff, or an exit).
    async fn end_admission(
        &self,
        req: &UnscanRequest,
        day: i32,
        now: Millis,
    ) -> Result<UnscanResult, CheckoutError> {
        let settled = self
            .ledger
            .settle(&req.ticket_id, day, |last| {
                decide::undo(req, day, last, now)
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

    /// Undoes an admission.
    pub async fn undo(&self, req: UnscanRequest) -> Result<UnscanResult, CheckoutError> {
        scan_id("scan_id", &req.scan_id)?;
        uuid::Uuid::parse_str(&req.ticket_id).map_err(|_| {
            error(
                ErrorCode::BadRequest,
                format!("ticket_id {:?} is not a ticket id (a UUID)", req.ticket_id),
            )
        })?;
        text("gate", &req.gate, MAX_TEXT)?;
        text("device", &req.device, MAX_TEXT)?;
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
        self.end_admission(&req, day, now).await
    }

    /// Records offline scans in scan-time order, scans of different
    /// tickets side by side; each gets RECORDED, DUPLICATE, CONFLICT or
    /// (the ledger unreachable for it) FAILED, and every conflict is also
    /// appended to `<event>.conflicts` before the answer goes out. One
    /// scan failing fails none of the others.
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
        let door = self.door.borrow().clone();
        let now = now_ms();
        // Scans of one code run one after another in scan-time order (the
        // first scanned is the first recorded); codes run side by side.
        let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut order: Vec<usize> = (0..req.scans.len()).collect();
        order.sort_by_key(|&i| (req.scans[i].at_ms, i));
        for i in order {
            by_code.entry(req.scans[i].code.trim()).or_default().push(i);
        }
        let runs = by_code.into_values().map(|run| {
            let (door, req) = (&door, &req);
            async move {
                let mut out = Vec::with_capacity(run.len());
                for i in run {
                    out.push((
                        i,
                        self.sync_one(door, &req.scans[i], &req.device, now).await,
                    ));
                }
                out
            }
        });
        let mut answers: Vec<Option<SyncedScan>> = vec![None; req.scans.len()];
        let mut runs = futures::stream::iter(runs).buffer_unordered(SYNC_CONCURRENCY);
        let metrics = crate::metrics::get();
        while let Some(run) = runs.next().await {
            for (i, s) in run {
                // A scan without a time (malformed) has no delay to tell.
                let at = req.scans[i].at_ms;
                let waited =
                    (at > 0).then(|| Duration::from_millis(now.saturating_sub(at).max(0) as u64));
                metrics.offline_scan(
                    SyncOutcome::try_from(s.outcome)
                        .unwrap_or(SyncOutcome::Unspecified)
                        .as_str_name(),
                    waited,
                );
                answers[i] = Some(s);
            }
        }
        Ok(SyncResult {
            scans: answers.into_iter().flatten().collect(),
        })
    }

    /// One offline scan: what the ledger makes of it. A malformed scan
    /// (its id, code, gate or time) is a conflict of its own, answered to
    /// the device but not published on `<event>.conflicts` (its id may
    /// not even be one): someone was let in on it, and the other scans
    /// go on.
    async fn sync_one(
        &self,
        door: &Door,
        s: &OfflineScan,
        device: &str,
        now: Millis,
    ) -> SyncedScan {
        let malformed = scan_id("scan_id", &s.scan_id)
            .and_then(|()| text("code", &s.code, MAX_CODE))
            .and_then(|()| text("gate", &s.gate, MAX_TEXT))
            .and_then(|()| text("staff", &s.staff, MAX_TEXT))
            .and_then(|()| {
                if s.at_ms > 0 {
                    Ok(())
                } else {
                    Err(error(
                        ErrorCode::BadRequest,
                        "at_ms is required: when the scanner admitted them".into(),
                    ))
                }
            });
        if let Err(e) = malformed {
            return SyncedScan {
                scan_id: s.scan_id.chars().take(100).collect(),
                outcome: SyncOutcome::Conflict as i32,
                result: Some(ScanResult {
                    outcome: ScanOutcome::Invalid as i32,
                    message: format!("not recorded, the scan is malformed: {}", e.message),
                    ..Default::default()
                }),
            };
        }
        let by = Scanner {
            scan_id: s.scan_id.clone(),
            gate: s.gate.clone(),
            device: device.to_owned(),
            staff: s.staff.clone(),
            at: s.at_ms,
            offline: true,
        };
        // What the ticket is, for a conflict that is not the ledger's.
        let refused = |outcome: ScanOutcome, message: String| {
            let look = Look {
                code: &s.code,
                day: s.day,
                at: s.at_ms.min(now),
                offline: true,
                gate: None,
            };
            let mut r = match door.judge(&self.verifier, &look, |t| self.feed.revoked(t)) {
                Ok(t) => t.answer,
                Err(answer) => *answer,
            };
            r.outcome = outcome as i32;
            r.message = message;
            r
        };
        let judged = if s.at_ms > now + CLOCK_SKEW_MS {
            Ok(refused(
                ScanOutcome::WrongDay,
                format!(
                    "scanned at {} by the scanner's clock, later than now: its clock is wrong",
                    s.at_ms
                ),
            ))
        } else {
            match door.gate(&s.gate) {
                Ok(gate) => self.scan(door, gate, &s.code, s.day, &by).await,
                Err(e) => Ok(refused(ScanOutcome::WrongGate, e)),
            }
        };
        let result = match judged {
            Ok(r) => r,
            Err(e) => return failed(s, e.message),
        };
        let outcome = match result.outcome() {
            ScanOutcome::Admit | ScanOutcome::Redeemed if result.new => SyncOutcome::Recorded,
            ScanOutcome::Admit | ScanOutcome::Redeemed => SyncOutcome::Duplicate,
            _ => SyncOutcome::Conflict,
        };
        if outcome == SyncOutcome::Conflict
            && let Err(e) = self.report(s, device, &result).await
        {
            return failed(s, e.message);
        }
        SyncedScan {
            scan_id: s.scan_id.clone(),
            outcome: outcome as i32,
            result: Some(result),
        }
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

    /// What an offline scanner checks tickets against, with the revoked
    /// ids after `revoked_after` (at most [`BUNDLE_REVOKED`]).
    pub fn bundle(&self, revoked_after: &str) -> ScannerBundle {
        let door = self.door.borrow().clone();
        let (revoked, seq) = self.feed.revoked_all();
        let from = revoked.partition_point(|id| id.as_str() <= revoked_after);
        let page: Vec<String> = revoked[from..]
            .iter()
            .take(BUNDLE_REVOKED)
            .cloned()
            .collect();
        let more_revoked = revoked.len() - from > page.len();
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
            revoked: page,
            seq,
            more_revoked,
            raw_keys: self
                .verifier
                .raw_public_keys()
                .map(|(id, key)| ScannerRawKey {
                    key_id: u32::from(id.0),
                    public_key: key.to_vec(),
                })
                .collect(),
            gates: door
                .gates
                .iter()
                .map(|g| ScanGate {
                    name: g.name.clone(),
                    display_name: g.display_name.clone(),
                    tiers: g.tiers.clone(),
                    reentry: g.reentry,
                })
                .collect(),
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

/// Counts an answered scan request ([`crate::metrics`]): admissions by
/// outcome, exits and undos as `DONE` or `REPEAT` (a retry), failures as
/// `ERROR`; offline scans are counted as they are synced.
fn count(verb: &str, result: &Result<scan_reply::Result, CheckoutError>) {
    use scan_reply::Result as R;
    let verb = crate::metrics::verb_of(verb, &["admit", "exit", "undo"]);
    if verb == "unknown" {
        return;
    }
    let outcome = match result {
        Ok(R::Scan(r)) => ScanOutcome::try_from(r.outcome)
            .unwrap_or(ScanOutcome::Unspecified)
            .as_str_name(),
        Ok(R::Unscan(u)) if u.new => "DONE",
        Ok(R::Unscan(_)) => "REPEAT",
        Ok(_) | Err(_) => "ERROR",
    };
    crate::metrics::get().scan(verb, outcome);
}

fn bad_request(what: &str, e: impl std::fmt::Display) -> CheckoutError {
    error(
        ErrorCode::BadRequest,
        format!("malformed {what} request: {e}"),
    )
}

/// A failed offline scan: nothing recorded, to send again.
fn failed(s: &OfflineScan, why: String) -> SyncedScan {
    SyncedScan {
        scan_id: s.scan_id.clone(),
        outcome: SyncOutcome::Failed as i32,
        result: Some(ScanResult {
            message: format!("not recorded now, send it again: {why}"),
            ..Default::default()
        }),
    }
}

/// A scan id: a UUID (the scanner picks one per scan), so that two
/// scanners never pick the same one.
fn scan_id(field: &str, id: &str) -> Result<(), CheckoutError> {
    match uuid::Uuid::try_parse(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok(()),
        _ => Err(error(
            ErrorCode::BadRequest,
            format!(
                "{field} {id:?} must be a UUID in lower case with hyphens, e.g. crypto.randomUUID()"
            ),
        )),
    }
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
