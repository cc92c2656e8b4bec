//! Check-ins as recorded: the `CheckedIn` messages (scan.proto) on the
//! event stream's `<event>.checkins.<ticket>.<day>` subjects, and the
//! offline scans' conflicts (`<event>.conflicts`), read from the start
//! through an ephemeral ordered consumer (removed by the server when done)
//! up to the last message there when the read began. The figures
//! (check-in series), the CSV export and `scanConflicts` read them here;
//! the live `checkIns` subscription follows the same subjects from now on.

use std::collections::HashSet;
use std::time::Duration;

use async_nats::jetstream;
use futures::StreamExt;
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{CheckedIn, ScanConflict};

/// Longest a read of one event's check-ins may take.
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Why check-ins could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the event's check-ins cannot be read: {0}")]
pub struct ReadError(String);

/// Every check-in (and undo) of the event with UID `uid`, in the order
/// they were published; a scan published twice (the same ticket, day,
/// time and kind: a retry outside the stream's 2-minute duplicate window)
/// once. An event without a stream (never made ready by the operator) has
/// none.
pub async fn read_all(nats: &async_nats::Client, uid: &str) -> Result<Vec<CheckedIn>, ReadError> {
    let names = Names::for_uid(uid);
    let mut seen = HashSet::new();
    read(nats, &names, names.checkins(), |c: &CheckedIn| {
        seen.insert((c.ticket_id.clone(), c.day, c.at_ms, c.undone))
    })
    .await
}

/// Every conflict of the event's offline scans, oldest first, each scan
/// once (a conflict reported again by a replayed sync is left out).
pub async fn conflicts(
    nats: &async_nats::Client,
    uid: &str,
) -> Result<Vec<ScanConflict>, ReadError> {
    let names = Names::for_uid(uid);
    let mut seen = HashSet::new();
    read(nats, &names, names.conflicts(), |c: &ScanConflict| {
        seen.insert(c.scan_id.clone())
    })
    .await
}

/// The messages on `subject` of the event's stream, those `keep` takes.
async fn read<M: Message + Default>(
    nats: &async_nats::Client,
    names: &Names,
    subject: String,
    keep: impl FnMut(&M) -> bool,
) -> Result<Vec<M>, ReadError> {
    tokio::time::timeout(READ_TIMEOUT, read_within(nats, names, subject, keep))
        .await
        .map_err(|_| ReadError(format!("not read within {READ_TIMEOUT:?}")))?
}

async fn read_within<M: Message + Default>(
    nats: &async_nats::Client,
    names: &Names,
    subject: String,
    mut keep: impl FnMut(&M) -> bool,
) -> Result<Vec<M>, ReadError> {
    let js = jetstream::new(nats.clone());
    let stream = match js.get_stream(&names.stream).await {
        Ok(s) => s,
        Err(e) => {
            if let jetstream::context::GetStreamErrorKind::JetStream(j) = e.kind()
                && j.error_code() == jetstream::ErrorCode::STREAM_NOT_FOUND
            {
                return Ok(Vec::new());
            }
            return Err(ReadError(e.to_string()));
        }
    };
    let mut consumer = stream
        .create_consumer(jetstream::consumer::pull::OrderedConfig {
            filter_subject: subject,
            deliver_policy: jetstream::consumer::DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .map_err(|e| ReadError(e.to_string()))?;
    let pending = consumer
        .info()
        .await
        .map_err(|e| ReadError(e.to_string()))?
        .num_pending;
    let mut out = Vec::new();
    if pending == 0 {
        return Ok(out);
    }
    let mut messages = consumer
        .messages()
        .await
        .map_err(|e| ReadError(e.to_string()))?;
    while let Some(m) = messages.next().await {
        let m = m.map_err(|e| ReadError(e.to_string()))?;
        let left = m.info().map_err(|e| ReadError(e.to_string()))?.pending;
        match M::decode(m.payload.as_ref()) {
            Ok(c) => {
                if keep(&c) {
                    out.push(c);
                }
            }
            Err(e) => tracing::warn!(error = %e, "undecodable message skipped"),
        }
        if left == 0 {
            break;
        }
    }
    Ok(out)
}
