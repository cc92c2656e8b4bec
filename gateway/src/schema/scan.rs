//! Scanning at the door, over the event's scan workers
//! (`sellout_client::ScanClient`): `scan`, `undoScan` (BOX_OFFICE and
//! above, audited with the caller's login), `syncScans` (offline scans),
//! `scannerKit` (what an offline scanner verifies against),
//! `scanConflicts`, and the live `checkInCounts`. The staff of every
//! record is the caller's login, never what a client says.

use std::time::Duration;

use async_graphql::futures_util::FutureExt;
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::{Context, Enum, Error, ID, InputObject, Object, SimpleObject, Subscription};
use sellout_client::ScanClient;
use sellout_common::names::Names;
use sellout_common::proto::v1::{
    self as pb, CheckedIn, OfflineScan, ScanRequest, SyncRequest, UnscanRequest,
};
use sellout_crds::organization::Role;

use super::Deps;
use super::orders::event_of;
use crate::auth::{self, Login};
use crate::error::{self, checkout_error, gql_error, unavailable};

/// Offline scans one `syncScans` may carry.
pub const MAX_SYNC: usize = 1_000;
/// How long a sync may take in all (1,000 scans, retries included).
const SYNC_DEADLINE: Duration = Duration::from_secs(60);
/// How long one sync attempt waits before it is sent again.
const SYNC_ATTEMPT: Duration = Duration::from_secs(20);
/// Longest wait for a ticket holder's name (the answer goes without it).
const HOLDER_TIMEOUT: Duration = Duration::from_secs(1);
/// Live counts are sent at most this often.
const COUNTS_EVERY: Duration = Duration::from_millis(100);
/// How many times the counts are read after a change before waiting for
/// the next (an undo and a re-admission between two reads change
/// nothing).
const COUNTS_TRIES: usize = 30;

/// What a scan found.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ScanOutcome {
    /// Let them in: the admission is recorded.
    Admitted,
    /// Already admitted that day (`standing` says when, where and by
    /// which device), or an add-on already redeemed.
    AlreadyAdmitted,
    /// An add-on (parking, merchandise) redeemed: it admits nobody.
    Redeemed,
    /// Refunded or cancelled: do not admit.
    Revoked,
    /// A genuine ticket for another event.
    WrongEvent,
    /// A genuine ticket of this event, not valid on the day being scanned.
    WrongDay,
    /// A genuine ticket whose day has not come yet (`validDays`).
    NotYetValid,
    /// A genuine ticket whose tier this gate does not admit.
    WrongGate,
    /// Not a ticket of ours: unreadable, forged, altered, or of a tier the
    /// event does not sell.
    Invalid,
}

impl ScanOutcome {
    fn of(o: pb::ScanOutcome) -> Self {
        use pb::ScanOutcome as P;
        match o {
            P::Admit => ScanOutcome::Admitted,
            P::AlreadyScanned => ScanOutcome::AlreadyAdmitted,
            P::Redeemed => ScanOutcome::Redeemed,
            P::Revoked => ScanOutcome::Revoked,
            P::WrongEvent => ScanOutcome::WrongEvent,
            P::WrongDay => ScanOutcome::WrongDay,
            P::NotYetValid => ScanOutcome::NotYetValid,
            P::WrongGate => ScanOutcome::WrongGate,
            P::Invalid | P::Unspecified => ScanOutcome::Invalid,
        }
    }
}

/// An admission (or redemption) as recorded: when, where, by whom.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Admission {
    /// When (RFC 3339; the scanner's clock for offline scans).
    pub at: String,
    /// The gate.
    pub gate: String,
    /// The scanner device.
    pub device: String,
    /// Door staff's login.
    pub staff: String,
    /// Scanned offline and synced later.
    pub offline: bool,
    /// True for an undo (the admission was undone).
    pub undone: bool,
    /// For an undo: why.
    pub reason: Option<String>,
}

impl Admission {
    fn of(r: &CheckedIn) -> Self {
        Admission {
            at: rfc3339(r.at_ms),
            gate: r.gate.clone(),
            device: r.device.clone(),
            staff: r.staff.clone(),
            offline: r.offline,
            undone: r.undone,
            reason: Some(r.reason.clone()).filter(|r| !r.is_empty()),
        }
    }
}

/// The answer to a scan, for the door person.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScanAnswer {
    /// What to do.
    pub outcome: ScanOutcome,
    /// Why, in words.
    pub message: String,
    /// The ticket (null when INVALID and unreadable).
    pub ticket_id: Option<ID>,
    /// Its tier's name.
    pub tier: Option<String>,
    /// Its tier as buyers read it.
    pub tier_display_name: Option<String>,
    /// The buyer's name, when known (online scans).
    pub holder_name: Option<String>,
    /// The ticket's seat, for a seated tier.
    pub seat: Option<String>,
    /// The event day scanned for, from 1 (0 when none).
    pub day: i32,
    /// People this ticket admits (1, or a table's seats).
    pub admissions: i32,
    /// ADMITTED or REDEEMED: this admission; ALREADY_ADMITTED: the one
    /// that stands (when, gate, device).
    pub standing: Option<Admission>,
    /// WRONG_DAY, NOT_YET_VALID: the days the ticket is valid on.
    pub valid_days: Vec<i32>,
    /// True when this answered a retry of the same `scanId` (nothing new
    /// was recorded).
    pub retry: bool,
}

impl ScanAnswer {
    fn of(r: pb::ScanResult) -> Self {
        ScanAnswer {
            outcome: ScanOutcome::of(r.outcome()),
            message: r.message,
            ticket_id: Some(r.ticket_id).filter(|t| !t.is_empty()).map(ID),
            tier: Some(r.tier).filter(|t| !t.is_empty()),
            tier_display_name: Some(r.tier_display_name).filter(|t| !t.is_empty()),
            holder_name: None,
            seat: None,
            day: r.day,
            admissions: r.admissions,
            standing: r.record.as_ref().map(Admission::of),
            valid_days: r.valid_days,
            retry: !r.new
                && matches!(
                    pb::ScanOutcome::try_from(r.outcome),
                    Ok(pb::ScanOutcome::Admit | pb::ScanOutcome::Redeemed)
                ),
        }
    }
}

/// A scan made offline.
#[derive(InputObject, Clone, Debug)]
pub struct OfflineScanInput {
    /// The UUID the device gave the scan when it made it.
    pub scan_id: ID,
    /// The QR code's text.
    pub code: String,
    /// The gate.
    pub gate: String,
    /// The event day the device admitted for, from 1 (0: the day on at
    /// `scannedAt`).
    #[graphql(default)]
    pub day: i32,
    /// When the device admitted them (RFC 3339, its clock).
    pub scanned_at: String,
}

/// How an offline scan was taken.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SyncOutcome {
    /// Recorded as an admission.
    Recorded,
    /// Recorded by an earlier sync (a replayed batch changes nothing).
    Duplicate,
    /// The ledger says otherwise (admitted elsewhere first, revoked, not
    /// valid): someone was let in who should not have been, or twice.
    /// Reported to both devices (`scanConflicts`) and to Backstage.
    Conflict,
    /// Not recorded now (the ledger was unreachable): keep it and send it
    /// again.
    Failed,
}

/// One offline scan's fate.
#[derive(SimpleObject, Clone, Debug)]
pub struct SyncedScan {
    /// The scan's id.
    pub scan_id: ID,
    /// How it was taken.
    pub outcome: SyncOutcome,
    /// What an online scan would have answered.
    pub answer: ScanAnswer,
}

/// A ticket-signing public key.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScannerKey {
    /// The key id tickets carry (byte 1 of the payload).
    pub key_id: i32,
    /// The raw 32-byte Ed25519 public key, lowercase hex.
    pub public_key: String,
    /// The same key as SPKI PEM.
    pub public_key_pem: String,
}

/// A day of the event with its scanning window.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScanKitDay {
    /// Day number, from 1.
    pub day: i32,
    /// Doors open (RFC 3339).
    pub doors_at: String,
    /// The show starts.
    pub starts_at: String,
    /// The day ends.
    pub ends_at: String,
    /// Scanning for this day runs from here (12 hours before doors) …
    pub scan_from: String,
    /// … to here, exclusive (6 hours after the end).
    pub scan_until: String,
}

/// A tier as a scanner resolves it from a ticket's tier hash.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScanKitTier {
    /// The TicketTier's name.
    pub name: String,
    /// As buyers and door staff read it.
    pub display_name: String,
    /// The first 4 bytes of SHA-256 of the name, lowercase hex.
    pub hash: String,
    /// An add-on (parking, merchandise): redeemed, admits nobody.
    pub add_on: bool,
}

/// A gate of the event.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScanGate {
    /// Its name (what `scan` takes as `gate`).
    pub name: String,
    /// What door staff read.
    pub display_name: String,
    /// Tiers admitted here; empty: every tier.
    pub tiers: Vec<String>,
    /// Whether people may leave and come back through it.
    pub reentry: bool,
}

/// Everything an offline scanner verifies tickets against.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScannerKit {
    /// The Event's UID (tickets carry its 16 bytes).
    pub event_uid: ID,
    /// The ticket-signing public keys.
    pub keys: Vec<ScannerKey>,
    /// The days and their scanning windows.
    pub days: Vec<ScanKitDay>,
    /// The event's tiers.
    pub tiers: Vec<ScanKitTier>,
    /// The event's gates (empty: any gate admits every tier).
    pub gates: Vec<ScanGate>,
    /// Every revoked ticket id (refunded, cancelled).
    pub revoked: Vec<ID>,
    /// When the kit was made (RFC 3339).
    pub as_of: String,
}

/// An offline scan the ledger could not take as it was.
#[derive(SimpleObject, Clone, Debug)]
pub struct ScanConflict {
    /// The offline scan's id.
    pub scan_id: ID,
    /// The ticket (null when the code was unreadable).
    pub ticket_id: Option<ID>,
    /// Its tier's name.
    pub tier: String,
    /// The event day.
    pub day: i32,
    /// Where the offline scan was made.
    pub gate: String,
    /// The device that made it.
    pub device: String,
    /// Who made it.
    pub staff: String,
    /// When the device let them in (RFC 3339, its clock).
    pub scanned_at: String,
    /// When it was synced.
    pub synced_at: String,
    /// Why it conflicts: ALREADY_ADMITTED, REVOKED, WRONG_DAY …
    pub outcome: ScanOutcome,
    /// In words.
    pub message: String,
    /// ALREADY_ADMITTED: the admission that stands (its device learns of
    /// the conflict too).
    pub standing: Option<Admission>,
}

impl ScanConflict {
    fn of(c: pb::ScanConflict) -> Self {
        ScanConflict {
            scan_id: ID(c.scan_id.clone()),
            ticket_id: Some(c.ticket_id.clone()).filter(|t| !t.is_empty()).map(ID),
            outcome: ScanOutcome::of(c.outcome()),
            tier: c.tier,
            day: c.day,
            gate: c.gate,
            device: c.device,
            staff: c.staff,
            scanned_at: rfc3339(c.scanned_at_ms),
            synced_at: rfc3339(c.synced_at_ms),
            message: c.message,
            standing: c.standing.as_ref().map(Admission::of),
        }
    }
}

/// Check-ins of one gate or tier.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct NamedCheckIns {
    /// The gate's or tier's name.
    pub name: String,
    /// Tickets checked in.
    pub checked_in: i64,
    /// People admitted.
    pub admissions: i64,
}

/// Check-ins of one day.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct DayCheckIns {
    /// Day number, from 1.
    pub day: i32,
    /// Tickets checked in (and not undone).
    pub checked_in: i64,
    /// People admitted (a table's ticket counts its seats).
    pub admissions: i64,
    /// Add-ons redeemed.
    pub redeemed: i64,
    /// By the gate that admitted them.
    pub by_gate: Vec<NamedCheckIns>,
    /// By tier.
    pub by_tier: Vec<NamedCheckIns>,
}

/// Live check-in counts of an event.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct LiveCheckInCounts {
    /// Per day.
    pub days: Vec<DayCheckIns>,
}

impl LiveCheckInCounts {
    fn of(c: pb::CheckInCounts) -> Self {
        let named = |v: Vec<pb::NamedCheckIns>| {
            v.into_iter()
                .map(|n| NamedCheckIns {
                    name: n.name,
                    checked_in: n.checked_in,
                    admissions: n.admissions,
                })
                .collect()
        };
        LiveCheckInCounts {
            days: c
                .days
                .into_iter()
                .map(|d| DayCheckIns {
                    day: d.day,
                    checked_in: d.checked_in,
                    admissions: d.admissions,
                    redeemed: d.redeemed,
                    by_gate: named(d.by_gate),
                    by_tier: named(d.by_tier),
                })
                .collect(),
        }
    }
}

/// RFC 3339 of ms since the epoch ("" for none).
fn rfc3339(ms: i64) -> String {
    if ms <= 0 {
        return String::new();
    }
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The caller's login as door records name it (the address or number).
fn staff(login: &Login) -> String {
    match login {
        Login::Email(e) => e.clone(),
        Login::Phone(p) => p.clone(),
    }
}

fn scan_id(field: &str, id: &str) -> Result<String, Error> {
    match uuid::Uuid::try_parse(id) {
        Ok(u) => Ok(u.hyphenated().to_string()),
        Err(_) => Err(gql_error(
            error::BAD_REQUEST,
            format!("{field} {id:?} must be a UUID (e.g. crypto.randomUUID())"),
        )),
    }
}

/// A scan (or exit) at the door now, by `staff`.
fn at_the_door(
    id: &str,
    code: String,
    gate: String,
    device: String,
    staff: String,
) -> Result<ScanRequest, Error> {
    Ok(ScanRequest {
        scan_id: scan_id("scanId", id)?,
        code,
        gate,
        day: 0,
        staff,
        device,
    })
}

/// The event's scan client, after checking the caller is `role` or above
/// in its organization; and the caller's login.
async fn door(
    ctx: &Context<'_>,
    event: &str,
    role: Role,
) -> Result<(ScanClient, String, String), Error> {
    let (ns, _) = super::public::split_slug(event)?;
    let (who, _) = auth::require(ctx, ns, role)?;
    let deps = ctx.data::<Deps>()?;
    let (_, _, uid) = event_of(deps, event).await?;
    Ok((
        ScanClient::new(deps.nats.clone(), Names::for_uid(&uid)),
        uid,
        staff(&who.login),
    ))
}

/// Adds the holder's name and seat from the order the ticket is in.
async fn with_holder(deps: &Deps, uid: &str, mut answer: ScanAnswer) -> ScanAnswer {
    let Some(ticket) = answer.ticket_id.clone() else {
        return answer;
    };
    // The door's answer is decided already: it never waits long for a name.
    let read = sellout_store::orders::holder(&deps.mongo, uid, &ticket);
    match tokio::time::timeout(HOLDER_TIMEOUT, read).await {
        Ok(Ok(Some(h))) => {
            answer.holder_name = Some(h.name).filter(|n| !n.is_empty());
            answer.seat = Some(h.seat).filter(|s| !s.is_empty());
        }
        Ok(Ok(None)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "ticket holder not read"),
        Err(_) => tracing::warn!("ticket holder not read within {HOLDER_TIMEOUT:?}"),
    }
    answer
}

/// The record an undo or an exit wrote.
fn ended(r: pb::UnscanResult) -> Result<Admission, Error> {
    r.record
        .as_ref()
        .map(Admission::of)
        .ok_or_else(|| gql_error(error::UNAVAILABLE, "the scan workers answered nothing"))
}

/// Door staff's queries: the offline kit and the conflicts.
#[derive(Default)]
pub struct ScanQuery;

#[Object]
impl ScanQuery {
    /// Everything an offline scanner verifies tickets of event `event`
    /// against: the signing public keys, the days and their scanning
    /// windows, the tiers by hash, the gates and every revoked ticket.
    /// SCANNER or above. Fetch it again every minute or so while online:
    /// revocations keep coming.
    async fn scanner_kit(&self, ctx: &Context<'_>, event: String) -> Result<ScannerKit, Error> {
        let (client, uid, _) = door(ctx, &event, Role::Scanner).await?;
        let b = client.bundle().await.map_err(checkout_error)?;
        if b.event_uid != uid {
            return Err(gql_error(
                error::UNAVAILABLE,
                "the scan workers answered for another event: retry",
            ));
        }
        let pem = |id: u32| {
            b.keys
                .iter()
                .find(|k| k.key_id == id)
                .map(|k| k.public_key_pem.clone())
                .unwrap_or_default()
        };
        Ok(ScannerKit {
            event_uid: ID(b.event_uid.clone()),
            keys: b
                .raw_keys
                .iter()
                .map(|k| ScannerKey {
                    key_id: k.key_id as i32,
                    public_key: hex::encode(&k.public_key),
                    public_key_pem: pem(k.key_id),
                })
                .collect(),
            days: b
                .days
                .iter()
                .map(|d| ScanKitDay {
                    day: d.day,
                    doors_at: rfc3339(d.doors_at_ms),
                    starts_at: rfc3339(d.starts_at_ms),
                    ends_at: rfc3339(d.ends_at_ms),
                    scan_from: rfc3339(d.scan_from_ms),
                    scan_until: rfc3339(d.scan_until_ms),
                })
                .collect(),
            tiers: b
                .tiers
                .iter()
                .map(|t| ScanKitTier {
                    name: t.name.clone(),
                    display_name: t.display_name.clone(),
                    hash: hex::encode(&t.hash),
                    add_on: t.add_on,
                })
                .collect(),
            gates: b
                .gates
                .iter()
                .map(|g| ScanGate {
                    name: g.name.clone(),
                    display_name: g.display_name.clone(),
                    tiers: g.tiers.clone(),
                    reentry: g.reentry,
                })
                .collect(),
            revoked: b.revoked.into_iter().map(ID).collect(),
            as_of: jiff::Timestamp::now().to_string(),
        })
    }

    /// Offline scans of event `event` that conflicted when synced (one
    /// ticket let in at two places, a revoked or invalid ticket let in),
    /// oldest first, each once. With `device`: those that device synced
    /// and those whose standing admission it made. SCANNER or above.
    async fn scan_conflicts(
        &self,
        ctx: &Context<'_>,
        event: String,
        device: Option<String>,
    ) -> Result<Vec<ScanConflict>, Error> {
        let (ns, _) = super::public::split_slug(&event)?;
        auth::require(ctx, ns, Role::Scanner)?;
        let deps = ctx.data::<Deps>()?;
        let (_, _, uid) = event_of(deps, &event).await?;
        let all = crate::checkins::conflicts(&deps.nats, &uid)
            .await
            .map_err(|e| gql_error(error::UNAVAILABLE, e.to_string()))?;
        Ok(all
            .into_iter()
            .filter(|c| match &device {
                None => true,
                Some(d) => c.device == *d || c.standing.as_ref().is_some_and(|s| s.device == *d),
            })
            .map(ScanConflict::of)
            .collect())
    }
}

/// Door staff's mutations.
#[derive(Default)]
pub struct ScanMutation;

#[Object]
impl ScanMutation {
    /// Scans a ticket's QR code at `gate` of event `event`: ADMITTED once
    /// a day across every gate and scanner, then ALREADY_ADMITTED (with
    /// when, where and which device); REVOKED, WRONG_EVENT, WRONG_DAY,
    /// NOT_YET_VALID, WRONG_GATE or INVALID otherwise; REDEEMED for an
    /// add-on. `scanId` is a UUID the device picks for this scan: sending
    /// it again (a network retry, from the same gate and device) gets the
    /// same answer and never admits twice. The day is the one being
    /// scanned now. SCANNER or above; the record names the caller.
    async fn scan(
        &self,
        ctx: &Context<'_>,
        event: String,
        code: String,
        gate: String,
        device: String,
        scan_id: ID,
    ) -> Result<ScanAnswer, Error> {
        let (client, uid, staff) = door(ctx, &event, Role::Scanner).await?;
        let req = at_the_door(&scan_id, code, gate, device, staff)?;
        let r = client.scan(req).await.map_err(checkout_error)?;
        let deps = ctx.data::<Deps>()?;
        Ok(with_holder(deps, &uid, ScanAnswer::of(r)).await)
    }

    /// Someone leaves through `gate`, which must allow re-entry (the
    /// Event's `spec.gates[].reentry`): scan their ticket on the way out
    /// and its admission today ends, so it admits them again when they
    /// come back. A ticket not admitted today is NOT_CHECKED_IN; a gate
    /// without re-entry, or a ticket that is not genuine, BAD_REQUEST.
    /// SCANNER or above; `scanId` makes a retry safe.
    async fn exit_scan(
        &self,
        ctx: &Context<'_>,
        event: String,
        code: String,
        gate: String,
        device: String,
        scan_id: ID,
    ) -> Result<Admission, Error> {
        let (client, _, staff) = door(ctx, &event, Role::Scanner).await?;
        let req = at_the_door(&scan_id, code, gate, device, staff)?;
        let r = client.exit(req).await.map_err(checkout_error)?;
        ended(r)
    }

    /// Undoes ticket `ticketId`'s admission on `day` (the person left, or
    /// was let in by mistake), so it admits again; recorded with the
    /// caller's login and `reason`. BOX_OFFICE or above. `scanId` makes a
    /// retry safe. A ticket with no standing admission is NOT_CHECKED_IN.
    #[allow(clippy::too_many_arguments)]
    async fn undo_scan(
        &self,
        ctx: &Context<'_>,
        event: String,
        ticket_id: ID,
        day: i32,
        gate: String,
        device: String,
        reason: String,
        scan_id: ID,
    ) -> Result<Admission, Error> {
        let (client, _, staff) = door(ctx, &event, Role::BoxOffice).await?;
        let id = self::scan_id("scanId", &scan_id)?;
        let ticket = uuid::Uuid::try_parse(&ticket_id)
            .map_err(|_| {
                gql_error(
                    error::BAD_REQUEST,
                    format!(
                        "ticketId {:?} is not a ticket id (a UUID)",
                        ticket_id.as_str()
                    ),
                )
            })?
            .hyphenated()
            .to_string();
        if reason.trim().is_empty() {
            return Err(gql_error(
                error::BAD_REQUEST,
                "reason is required: say why the admission is undone (it is audited)",
            ));
        }
        let r = client
            .undo(UnscanRequest {
                scan_id: id,
                ticket_id: ticket,
                day,
                gate,
                staff,
                reason: reason.trim().to_owned(),
                device,
            })
            .await
            .map_err(checkout_error)?;
        ended(r)
    }

    /// Records scans device `device` made offline (at most 1,000 a call),
    /// in the order they were made: each RECORDED, DUPLICATE (a replayed
    /// batch changes nothing), CONFLICT (reported to both devices through
    /// `scanConflicts` and to Backstage) or FAILED (send it again). No
    /// scan is dropped: keep every one not RECORDED, DUPLICATE or
    /// CONFLICT. SCANNER or above; the records name the caller.
    async fn sync_scans(
        &self,
        ctx: &Context<'_>,
        event: String,
        device: String,
        scans: Vec<OfflineScanInput>,
    ) -> Result<Vec<SyncedScan>, Error> {
        let (mut client, _, staff) = door(ctx, &event, Role::Scanner).await?;
        if scans.len() > MAX_SYNC {
            return Err(gql_error(
                error::BAD_REQUEST,
                format!(
                    "{} scans in one call: send at most {MAX_SYNC} at a time",
                    scans.len()
                ),
            ));
        }
        let mut req = SyncRequest {
            scans: Vec::with_capacity(scans.len()),
            device,
        };
        for (i, s) in scans.into_iter().enumerate() {
            let at = s.scanned_at.parse::<jiff::Timestamp>().map_err(|e| {
                gql_error(
                    error::BAD_REQUEST,
                    format!(
                        "scans[{i}].scannedAt {:?} is not an RFC 3339 time like 2026-11-25T19:00:00Z: {e}",
                        s.scanned_at
                    ),
                )
            })?;
            req.scans.push(OfflineScan {
                scan_id: scan_id(&format!("scans[{i}].scanId"), &s.scan_id)?,
                code: s.code,
                gate: s.gate,
                day: s.day,
                at_ms: at.as_millisecond(),
                staff: staff.clone(),
            });
        }
        client.deadline = SYNC_DEADLINE;
        client.attempt_timeout = SYNC_ATTEMPT;
        let r = client.sync(req).await.map_err(checkout_error)?;
        Ok(r.scans
            .into_iter()
            .map(|s| SyncedScan {
                scan_id: ID(s.scan_id.clone()),
                outcome: match pb::SyncOutcome::try_from(s.outcome) {
                    Ok(pb::SyncOutcome::Recorded) => SyncOutcome::Recorded,
                    Ok(pb::SyncOutcome::Duplicate) => SyncOutcome::Duplicate,
                    Ok(pb::SyncOutcome::Conflict) => SyncOutcome::Conflict,
                    _ => SyncOutcome::Failed,
                },
                answer: ScanAnswer::of(s.result.unwrap_or_default()),
            })
            .collect())
    }
}

/// Door staff's live figures.
#[derive(Default)]
pub struct ScanSubscription;

#[Subscription]
impl ScanSubscription {
    /// Check-ins of event `event` per day, gate and tier: now, then at
    /// every change (at most ten a second). SCANNER or above. Ends with
    /// TOKEN_EXPIRED or BAD_TOKEN when the socket's session does.
    async fn check_in_counts(
        &self,
        ctx: &Context<'_>,
        event: String,
    ) -> Result<BoxStream<'static, Result<LiveCheckInCounts, Error>>, Error> {
        let (client, uid, _) = door(ctx, &event, Role::Scanner).await?;
        let deps = ctx.data::<Deps>()?;
        let names = Names::for_uid(&uid);
        // Subscribed before the first read, so no change falls between.
        let changes = deps
            .nats
            .subscribe(names.checkins())
            .await
            .map_err(|e| unavailable("NATS", e))?;
        let counts = client.counts().await.map_err(checkout_error)?;
        let seq = counts.seq;
        let first = LiveCheckInCounts::of(counts);
        let rest = stream::unfold(
            (changes, client, first.clone(), seq),
            |(mut changes, client, last, seq)| async move {
                loop {
                    changes.next().await?;
                    // The workers count a record once their feed reads
                    // it, a moment after it is stored: ask until the
                    // figures move (or a while has passed).
                    for _ in 0..COUNTS_TRIES {
                        tokio::time::sleep(COUNTS_EVERY).await;
                        while let Some(Some(_)) = changes.next().now_or_never() {}
                        let Ok(c) = client.counts().await else {
                            continue;
                        };
                        // A replica behind the one that answered last
                        // would move the figures back: skip it.
                        if c.seq < seq {
                            continue;
                        }
                        let seq = c.seq;
                        let now = LiveCheckInCounts::of(c);
                        if now != last {
                            return Some((now.clone(), (changes, client, now, seq)));
                        }
                    }
                }
            },
        );
        Ok(auth::while_signed_in(
            ctx,
            stream::once(async move { first }).chain(rest).boxed(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_say_retry_only_for_a_repeated_admission() {
        let first = pb::ScanResult {
            outcome: pb::ScanOutcome::Admit as i32,
            new: true,
            ticket_id: "t".into(),
            ..Default::default()
        };
        assert!(!ScanAnswer::of(first.clone()).retry);
        let again = pb::ScanResult {
            new: false,
            ..first
        };
        assert!(ScanAnswer::of(again).retry);
        let other = pb::ScanResult {
            outcome: pb::ScanOutcome::AlreadyScanned as i32,
            record: Some(CheckedIn {
                at_ms: 1_800_000_000_000,
                gate: "north".into(),
                device: "phone-2".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let a = ScanAnswer::of(other);
        assert!(!a.retry);
        assert_eq!(a.outcome, ScanOutcome::AlreadyAdmitted);
        let s = a.standing.unwrap();
        assert_eq!((s.gate.as_str(), s.device.as_str()), ("north", "phone-2"));
        assert_eq!(s.at, "2027-01-15T08:00:00Z");
        assert_eq!(a.ticket_id, None);
    }

    #[test]
    fn scan_ids_are_uuids() {
        assert!(scan_id("scanId", "not-a-uuid").is_err());
        assert_eq!(
            scan_id("scanId", "6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap(),
            "6f9619ff-8b86-d011-b42d-00c04fc964ff"
        );
    }
}
