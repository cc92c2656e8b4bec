//! Request ids and W3C trace context carried across NATS: the gateway
//! puts the context of the HTTP request it serves into a task-local
//! ([`scope`]); every NATS request sent through [`request`] while it is set
//! carries it as the `x-request-id` and `traceparent` headers; the workers
//! read them back ([`from_headers`]) into the span of the request they
//! handle ([`handler_span`]) and handle it [`within`] that context, so the
//! requests they send on carry it too, and one purchase can be followed
//! from the gateway's log into the workers' by its request id.

use std::future::Future;

use async_nats::HeaderMap;

/// Header of the request id (HTTP and NATS).
pub const REQUEST_ID: &str = "x-request-id";
/// Header of the W3C trace context (HTTP and NATS).
pub const TRACEPARENT: &str = "traceparent";

/// The request being served: its id and trace context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The request id (the caller's `x-request-id` when sane, else made
    /// by the gateway); see [`valid_request_id`].
    pub request_id: String,
    /// W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), if any; see
    /// [`valid_traceparent`].
    pub traceparent: Option<String>,
}

impl Context {
    /// The trace id of [`traceparent`](Self::traceparent), if any.
    pub fn trace_id(&self) -> Option<&str> {
        self.traceparent.as_deref().and_then(|t| t.get(3..35))
    }
}

tokio::task_local! {
    static CURRENT: Context;
}

/// Runs `f` with `ctx` as the current context (inherited by everything
/// `f` awaits, not by tasks it spawns).
pub async fn scope<F: Future>(ctx: Context, f: F) -> F::Output {
    CURRENT.scope(ctx, f).await
}

/// Runs `f` with `ctx` as the current context when there is one.
pub async fn within<F: Future>(ctx: Option<Context>, f: F) -> F::Output {
    match ctx {
        Some(ctx) => scope(ctx, f).await,
        None => f.await,
    }
}

/// The current context, if one is set.
pub fn current() -> Option<Context> {
    CURRENT.try_with(Clone::clone).ok()
}

/// A request id worth keeping: 1 to 128 characters of `[A-Za-z0-9._:-]`
/// (anything else is replaced, so ids are safe in headers and logs).
pub fn valid_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A W3C `traceparent` of version 00: `00-<32 hex>-<16 hex>-<2 hex>`,
/// lower case, trace and span ids not all zero.
pub fn valid_traceparent(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let nonzero = |s: &str| s.bytes().any(|b| b != b'0');
    parts.len() == 4
        && parts[0] == "00"
        && hex(parts[1], 32)
        && nonzero(parts[1])
        && hex(parts[2], 16)
        && nonzero(parts[2])
        && hex(parts[3], 2)
}

/// NATS headers carrying `ctx`.
pub fn headers(ctx: &Context) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(REQUEST_ID, ctx.request_id.as_str());
    if let Some(t) = &ctx.traceparent {
        h.insert(TRACEPARENT, t.as_str());
    }
    h
}

/// The context NATS headers carry, if they carry a valid request id (an
/// invalid `traceparent` is dropped).
pub fn from_headers(headers: Option<&HeaderMap>) -> Option<Context> {
    let h = headers?;
    let request_id = h.get(REQUEST_ID)?.as_str();
    if !valid_request_id(request_id) {
        return None;
    }
    let traceparent = h
        .get(TRACEPARENT)
        .map(|v| v.as_str())
        .filter(|t| valid_traceparent(t))
        .map(str::to_owned);
    Some(Context {
        request_id: request_id.to_owned(),
        traceparent,
    })
}

/// A NATS request carrying the current context (if any) in its headers:
/// how the gateway and [`CheckoutClient`] send every request.
///
/// [`CheckoutClient`]: ../../sellout_workers/checkout/struct.CheckoutClient.html
/// `timeout`: how long to wait for the answer (`None`: the client's
/// default).
pub async fn request(
    nats: &async_nats::Client,
    subject: String,
    payload: bytes::Bytes,
    timeout: Option<std::time::Duration>,
) -> Result<async_nats::Message, async_nats::RequestError> {
    let mut req = async_nats::Request::new().payload(payload);
    if timeout.is_some() {
        req = req.timeout(timeout);
    }
    if let Some(ctx) = current() {
        req = req.headers(headers(&ctx));
    }
    nats.send_request(subject, req).await
}

/// The span a worker handles one NATS request in: `service` and `verb`,
/// with the caller's request id and trace id when the request carried
/// them (logged with every line inside it).
pub fn handler_span(
    service: &'static str,
    verb: &str,
    headers: Option<&HeaderMap>,
) -> tracing::Span {
    match from_headers(headers) {
        Some(ctx) => tracing::info_span!(
            "nats_request",
            service,
            verb,
            request_id = %ctx.request_id,
            trace_id = ctx.trace_id().unwrap_or_default(),
        ),
        None => tracing::info_span!("nats_request", service, verb),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_kept_only_when_sane() {
        assert!(valid_request_id("3f2b-11_aa.x:y"));
        assert!(valid_request_id(&"a".repeat(128)));
        for bad in ["", "a b", "a\r\nb", "ü", &"a".repeat(129), "a/b"] {
            assert!(!valid_request_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn traceparents_follow_w3c_version_00() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert!(valid_traceparent(good));
        for bad in [
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "garbage",
        ] {
            assert!(!valid_traceparent(bad), "{bad}");
        }
        let ctx = Context {
            request_id: "r".into(),
            traceparent: Some(good.into()),
        };
        assert_eq!(ctx.trace_id(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    #[test]
    fn headers_round_trip_and_bad_values_are_dropped() {
        let ctx = Context {
            request_id: "req-1".into(),
            traceparent: Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".into()),
        };
        assert_eq!(from_headers(Some(&headers(&ctx))), Some(ctx));
        let mut h = HeaderMap::new();
        h.insert(REQUEST_ID, "has space");
        assert_eq!(from_headers(Some(&h)), None);
        let mut h = HeaderMap::new();
        h.insert(REQUEST_ID, "ok");
        h.insert(TRACEPARENT, "nope");
        assert_eq!(
            from_headers(Some(&h)),
            Some(Context {
                request_id: "ok".into(),
                traceparent: None
            })
        );
        assert_eq!(from_headers(None), None);
    }

    #[tokio::test]
    async fn the_context_is_task_local() {
        assert_eq!(current(), None);
        let ctx = Context {
            request_id: "r1".into(),
            traceparent: None,
        };
        let seen = scope(ctx.clone(), async { current() }).await;
        assert_eq!(seen, Some(ctx));
        assert_eq!(current(), None);
    }
}
