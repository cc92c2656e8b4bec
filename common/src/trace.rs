//! Request ids and W3C trace context carried across HTTP and NATS.
//!
//! The gateway puts the id of the HTTP request it serves into a task-local
//! ([`scope`]) and continues the caller's trace in the request's span
//! ([`http_parent`]). Every NATS request sent through [`request`] gets a
//! client span of its own and carries the request id (`x-request-id`) and
//! that span's context (`traceparent`, by OpenTelemetry's W3C propagator)
//! in its headers; the workers read them back into the span of the request
//! they handle ([`handler_span`]), whose parent is the caller's span, and
//! handle it [`within`] the request id, so that one purchase is one trace
//! from the gateway through the workers to Stripe, and can be followed
//! from the gateway's log into the workers' by its request id.

use std::future::Future;

use async_nats::HeaderMap;
use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator as _};
use opentelemetry::trace::TraceContextExt as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing::Instrument as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;

/// Header of the request id (HTTP and NATS).
pub const REQUEST_ID: &str = "x-request-id";
/// Header of the W3C trace context (HTTP and NATS).
pub const TRACEPARENT: &str = "traceparent";

/// The request being served: its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The request id (the caller's `x-request-id` when sane, else made
    /// by the gateway); see [`valid_request_id`].
    pub request_id: String,
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

struct NatsInjector<'a>(&'a mut HeaderMap);

impl Injector for NatsInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        self.0.insert(key, value.as_str());
    }
}

struct NatsExtractor<'a>(&'a HeaderMap);

impl Extractor for NatsExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(|v| v.as_str())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_ref()).collect()
    }
}

struct HttpExtractor<'a>(&'a http::HeaderMap);

impl Extractor for HttpExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// The caller's trace context in HTTP `headers` (a valid W3C
/// `traceparent`), to continue in the request's span
/// ([`tracing_opentelemetry::OpenTelemetrySpanExt::set_parent`]); an empty
/// context (a new trace) without one.
pub fn http_parent(headers: &http::HeaderMap) -> opentelemetry::Context {
    TraceContextPropagator::new().extract(&HttpExtractor(headers))
}

/// Makes `span` (a request's) continue the caller's trace from HTTP
/// `headers` ([`http_parent`]); it starts a new trace without one.
pub fn continue_http_trace(span: &tracing::Span, headers: &http::HeaderMap) {
    let _ = span.set_parent(http_parent(headers));
}

/// The trace id of `span` (32 hex digits), empty when it has none.
pub fn trace_id(span: &tracing::Span) -> String {
    let cx = span.context();
    let sc = cx.span().span_context().clone();
    if sc.is_valid() {
        sc.trace_id().to_string()
    } else {
        String::new()
    }
}

/// NATS headers carrying `ctx` and the trace context of `span`.
pub fn headers(ctx: Option<&Context>, span: &tracing::Span) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Some(ctx) = ctx {
        h.insert(REQUEST_ID, ctx.request_id.as_str());
    }
    TraceContextPropagator::new().inject_context(&span.context(), &mut NatsInjector(&mut h));
    h
}

/// Adds the trace context of the current span to `headers` (a message
/// published on an event's stream), so whoever handles it later (the
/// e-mail sender) continues the same trace ([`continue_from`]).
pub fn inject_current(headers: &mut HeaderMap) {
    TraceContextPropagator::new().inject_context(
        &tracing::Span::current().context(),
        &mut NatsInjector(headers),
    );
}

/// Makes `span` continue the trace of NATS `headers` (see
/// [`inject_current`]); nothing without one.
pub fn continue_from(span: &tracing::Span, headers: Option<&HeaderMap>) {
    let parent = remote_parent(headers);
    if parent.span().span_context().is_valid() {
        let _ = span.set_parent(parent);
    }
}

/// The request id NATS headers carry, if they carry a valid one.
pub fn from_headers(headers: Option<&HeaderMap>) -> Option<Context> {
    let request_id = headers?.get(REQUEST_ID)?.as_str();
    valid_request_id(request_id).then(|| Context {
        request_id: request_id.to_owned(),
    })
}

/// The caller's trace context in NATS `headers` (empty without one).
pub fn remote_parent(headers: Option<&HeaderMap>) -> opentelemetry::Context {
    match headers {
        Some(h) => TraceContextPropagator::new().extract(&NatsExtractor(h)),
        None => opentelemetry::Context::new(),
    }
}

/// What a span of a NATS request is called: the subject after `rpc.`
/// (`hold`, `order.create`, `scan.admit`), a bounded set.
fn verb_of(subject: &str) -> &str {
    subject
        .split_once(".rpc.")
        .map_or(subject, |(_, verb)| verb)
}

/// A NATS request in a client span of its own (`nats <verb>`), carrying
/// the current request id and that span's trace context in its headers:
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
    let verb = verb_of(&subject);
    let span = tracing::info_span!(
        "nats_request",
        otel.name = format!("nats {verb}"),
        otel.kind = "client",
        messaging.system = "nats",
        messaging.destination = verb,
    );
    let mut req = async_nats::Request::new()
        .payload(payload)
        .headers(headers(current().as_ref(), &span));
    if timeout.is_some() {
        req = req.timeout(timeout);
    }
    nats.send_request(subject, req).instrument(span).await
}

/// The span a worker handles one NATS request in (`<service> <verb>`), a
/// child of the caller's span when the request carried its trace context,
/// with the caller's request id and the trace id (logged with every line
/// inside it).
pub fn handler_span(
    service: &'static str,
    verb: &str,
    headers: Option<&HeaderMap>,
) -> tracing::Span {
    let request_id = from_headers(headers).map(|c| c.request_id);
    let span = tracing::info_span!(
        "nats_request",
        otel.name = format!("{service} {verb}"),
        otel.kind = "server",
        service,
        verb,
        request_id = request_id.as_deref().unwrap_or_default(),
        trace_id = tracing::field::Empty,
    );
    let _ = span.set_parent(remote_parent(headers));
    let id = trace_id(&span);
    if !id.is_empty() {
        span.record("trace_id", id.as_str());
    }
    span
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
    }

    #[test]
    fn a_trace_continues_from_http_into_nats_and_back_out() {
        crate::telemetry::init_for_tests();
        let mut http_headers = http::HeaderMap::new();
        http_headers.insert(
            TRACEPARENT,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                .parse()
                .unwrap(),
        );
        let span = tracing::info_span!("http");
        let _ = span.set_parent(http_parent(&http_headers));
        assert_eq!(trace_id(&span), "4bf92f3577b34da6a3ce929d0e0e4736");
        let ctx = Context {
            request_id: "req-1".into(),
        };
        let h = headers(Some(&ctx), &span);
        assert_eq!(from_headers(Some(&h)), Some(ctx));
        let tp = h.get(TRACEPARENT).unwrap().as_str().to_owned();
        assert!(valid_traceparent(&tp), "{tp}");
        assert!(tp.contains("4bf92f3577b34da6a3ce929d0e0e4736"), "{tp}");
        assert!(
            !tp.contains("00f067aa0ba902b7"),
            "a span of its own, not the caller's: {tp}"
        );
        // The worker's span continues the same trace.
        let handler = handler_span("checkout", "hold", Some(&h));
        assert_eq!(trace_id(&handler), "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    #[test]
    fn bad_values_are_dropped() {
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
            })
        );
        assert!(
            !remote_parent(Some(&h)).span().span_context().is_valid(),
            "an invalid traceparent starts no trace"
        );
        assert_eq!(from_headers(None), None);
    }

    #[tokio::test]
    async fn the_context_is_task_local() {
        assert_eq!(current(), None);
        let ctx = Context {
            request_id: "r1".into(),
        };
        let seen = scope(ctx.clone(), async { current() }).await;
        assert_eq!(seen, Some(ctx));
        assert_eq!(current(), None);
    }

    #[test]
    fn nats_spans_are_named_by_their_verb() {
        assert_eq!(verb_of("sellout.abc.rpc.order.create"), "order.create");
        assert_eq!(verb_of("sellout.abc.rpc.hold"), "hold");
        assert_eq!(verb_of("other"), "other");
    }
}
