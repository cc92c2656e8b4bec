//! A client of an event's checkout workers, for the gateway, tests and
//! benchmarks: protobuf requests over NATS, retried (with the same
//! idempotency key) while the writer changes hands. Requests carry the
//! current request id and trace context ([`trace::request`]).

use std::time::Duration;

use prost::Message;

use sellout_common::names::Names;
use sellout_common::proto::v1::{
    AvailabilityRequest, CheckoutError, CheckoutReply, ErrorCode, Held, HoldRequest,
    ReleaseRequest, RestockRequest, SellRequest, TierStock, checkout_reply,
};
use sellout_common::trace;

use super::catalog::error;

/// A client of one event's checkout workers.
#[derive(Clone, Debug)]
pub struct CheckoutClient {
    nats: async_nats::Client,
    names: Names,
    /// How long one call may take in all, retries included.
    pub deadline: Duration,
}

impl CheckoutClient {
    /// A client for the event with these names.
    pub fn new(nats: async_nats::Client, names: Names) -> Self {
        CheckoutClient {
            nats,
            names,
            deadline: Duration::from_secs(30),
        }
    }

    /// The event's names (subjects, stream).
    pub fn names(&self) -> &Names {
        &self.names
    }

    async fn call(
        &self,
        verb: &str,
        payload: Vec<u8>,
    ) -> Result<checkout_reply::Result, CheckoutError> {
        let subject = self.names.subject(&format!("rpc.{verb}"));
        let payload = bytes::Bytes::from(payload);
        let give_up = tokio::time::Instant::now() + self.deadline;
        let mut pause = Duration::from_millis(20);
        loop {
            // The caller's request id and trace context ride along.
            let answer = trace::request(&self.nats, subject.clone(), payload.clone()).await;
            let retry_why = match answer {
                Ok(msg) => match CheckoutReply::decode(msg.payload.as_ref()) {
                    Ok(CheckoutReply {
                        result: Some(checkout_reply::Result::Error(e)),
                    }) if e.code() == ErrorCode::Unavailable => e.message,
                    Ok(CheckoutReply { result: Some(r) }) => return Ok(r),
                    Ok(CheckoutReply { result: None }) => {
                        return Err(error(
                            ErrorCode::BadRequest,
                            "empty answer from the checkout worker".into(),
                        ));
                    }
                    Err(e) => {
                        return Err(error(
                            ErrorCode::BadRequest,
                            format!("undecodable answer from the checkout worker: {e}"),
                        ));
                    }
                },
                // No writer subscribed (changing hands) or no answer in time:
                // the same request again is safe.
                Err(e) => e.to_string(),
            };
            if tokio::time::Instant::now() + pause > give_up {
                return Err(error(
                    ErrorCode::Unavailable,
                    format!("no checkout worker answered in time: {retry_why}"),
                ));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }

    /// Holds units of a tier.
    pub async fn hold(&self, req: HoldRequest) -> Result<Held, CheckoutError> {
        match self.call("hold", req.encode_to_vec()).await? {
            checkout_reply::Result::Held(h) => Ok(h),
            other => Err(mismatch("hold", other)),
        }
    }

    /// Gives a hold back.
    pub async fn release(&self, hold_id: &str) -> Result<(), CheckoutError> {
        let req = ReleaseRequest {
            hold_id: hold_id.into(),
        };
        match self.call("release", req.encode_to_vec()).await? {
            checkout_reply::Result::Done(_) => Ok(()),
            other => Err(mismatch("release", other)),
        }
    }

    /// Marks a hold's units sold; `Ok(true)` when the hold had ended and
    /// its units were taken again from what was available.
    pub async fn sell(&self, hold_id: &str) -> Result<bool, CheckoutError> {
        let req = SellRequest {
            hold_id: hold_id.into(),
        };
        match self.call("sell", req.encode_to_vec()).await? {
            checkout_reply::Result::Done(d) => Ok(d.late),
            other => Err(mismatch("sell", other)),
        }
    }

    /// Returns sold units of a hold to sale (idempotent by `refund_id`).
    pub async fn restock(
        &self,
        refund_id: &str,
        hold_id: &str,
        quantity: i64,
    ) -> Result<(), CheckoutError> {
        self.restock_seats(refund_id, hold_id, quantity, vec![])
            .await
    }

    /// Returns sold units of a hold to sale, naming the seats (as held,
    /// `<section>/<label>`) for a seated hold.
    pub async fn restock_seats(
        &self,
        refund_id: &str,
        hold_id: &str,
        quantity: i64,
        seats: Vec<String>,
    ) -> Result<(), CheckoutError> {
        let req = RestockRequest {
            refund_id: refund_id.into(),
            hold_id: hold_id.into(),
            quantity,
            seats,
        };
        match self.call("restock", req.encode_to_vec()).await? {
            checkout_reply::Result::Done(_) => Ok(()),
            other => Err(mismatch("restock", other)),
        }
    }

    /// Every tier's counts as of the writer's last commit.
    pub async fn availability(&self) -> Result<Vec<TierStock>, CheckoutError> {
        match self
            .call("availability", AvailabilityRequest {}.encode_to_vec())
            .await?
        {
            checkout_reply::Result::Availability(a) => Ok(a.tiers),
            other => Err(mismatch("availability", other)),
        }
    }
}

fn mismatch(verb: &str, got: checkout_reply::Result) -> CheckoutError {
    match got {
        checkout_reply::Result::Error(e) => e,
        other => error(
            ErrorCode::BadRequest,
            format!("unexpected answer to {verb}: {other:?}"),
        ),
    }
}
