//! A client of an event's scan workers, for the gateway, tests and
//! benchmarks: protobuf requests over NATS (`rpc.scan.<verb>`), sent again
//! while no worker answers (every verb is idempotent), carrying the
//! current request id and trace context.

use std::time::Duration;

use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{
    BundleRequest, CheckInCounts, CheckoutError, CountsRequest, ErrorCode, ScanReply, ScanRequest,
    ScanResult, ScannerBundle, SyncRequest, SyncResult, UnscanRequest, UnscanResult, scan_reply,
};

use crate::checkout::request;
use crate::ids::error;

/// A client of one event's scan workers.
#[derive(Clone, Debug)]
pub struct ScanClient {
    nats: async_nats::Client,
    names: Names,
    /// How long one call may take in all, retries included.
    pub deadline: Duration,
    /// How long one attempt waits for its answer before it is sent again.
    pub attempt_timeout: Duration,
}

impl ScanClient {
    /// A client for the event with these names: 10 s in all, 2 s an
    /// attempt (door staff should not wait longer to be told to retry).
    pub fn new(nats: async_nats::Client, names: Names) -> Self {
        ScanClient {
            nats,
            names,
            deadline: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(2),
        }
    }

    async fn call(
        &self,
        verb: &str,
        payload: Vec<u8>,
    ) -> Result<scan_reply::Result, CheckoutError> {
        let reply: ScanReply = request(
            &self.nats,
            self.names.subject(&format!("rpc.scan.{verb}")),
            payload,
            (self.deadline, self.attempt_timeout),
            "scan worker",
            |r: &ScanReply| match &r.result {
                Some(scan_reply::Result::Error(e)) if e.code() == ErrorCode::Unavailable => {
                    Some(e.message.clone())
                }
                _ => None,
            },
        )
        .await?;
        match reply.result {
            Some(scan_reply::Result::Error(e)) => Err(e),
            Some(r) => Ok(r),
            None => Err(error(
                ErrorCode::BadRequest,
                "empty answer from the scan worker".into(),
            )),
        }
    }

    /// Scans a ticket (idempotent by `scan_id`).
    pub async fn scan(&self, req: ScanRequest) -> Result<ScanResult, CheckoutError> {
        match self.call("admit", req.encode_to_vec()).await? {
            scan_reply::Result::Scan(r) => Ok(r),
            other => Err(mismatch("admit", other)),
        }
    }

    /// Lets someone out through a re-entry gate: their admission today
    /// ends, so the ticket admits again (idempotent by `scan_id`).
    pub async fn exit(&self, req: ScanRequest) -> Result<UnscanResult, CheckoutError> {
        match self.call("exit", req.encode_to_vec()).await? {
            scan_reply::Result::Unscan(r) => Ok(r),
            other => Err(mismatch("exit", other)),
        }
    }

    /// Undoes an admission (idempotent by `scan_id`).
    pub async fn undo(&self, req: UnscanRequest) -> Result<UnscanResult, CheckoutError> {
        match self.call("undo", req.encode_to_vec()).await? {
            scan_reply::Result::Unscan(r) => Ok(r),
            other => Err(mismatch("undo", other)),
        }
    }

    /// Records offline scans.
    pub async fn sync(&self, req: SyncRequest) -> Result<SyncResult, CheckoutError> {
        match self.call("sync", req.encode_to_vec()).await? {
            scan_reply::Result::Sync(r) => Ok(r),
            other => Err(mismatch("sync", other)),
        }
    }

    /// Check-ins per day.
    pub async fn counts(&self) -> Result<CheckInCounts, CheckoutError> {
        match self
            .call("counts", CountsRequest {}.encode_to_vec())
            .await?
        {
            scan_reply::Result::Counts(c) => Ok(c),
            other => Err(mismatch("counts", other)),
        }
    }

    /// What an offline scanner needs, every revoked id included (asked
    /// for a page at a time).
    pub async fn bundle(&self) -> Result<ScannerBundle, CheckoutError> {
        let mut bundle: Option<ScannerBundle> = None;
        let mut after = String::new();
        loop {
            let page = match self
                .call(
                    "bundle",
                    BundleRequest {
                        revoked_after: after.clone(),
                    }
                    .encode_to_vec(),
                )
                .await?
            {
                scan_reply::Result::Bundle(b) => b,
                other => return Err(mismatch("bundle", other)),
            };
            let more = page.more_revoked;
            after = page.revoked.last().cloned().unwrap_or_default();
            match &mut bundle {
                None => bundle = Some(page),
                Some(b) => b.revoked.extend(page.revoked),
            }
            if !more || after.is_empty() {
                let mut b = bundle.expect("a first page");
                b.more_revoked = false;
                return Ok(b);
            }
        }
    }
}

fn mismatch(verb: &str, got: scan_reply::Result) -> CheckoutError {
    error(
        ErrorCode::BadRequest,
        format!("unexpected answer to scan {verb}: {got:?}"),
    )
}
