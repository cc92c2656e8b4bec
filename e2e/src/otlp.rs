//! A small OTLP/HTTP trace receiver: what a collector would be to the
//! binaries under test (`OTEL_EXPORTER_OTLP_ENDPOINT` = [`Sink::url`]). It
//! decodes every `POST /v1/traces` (protobuf `ExportTraceServiceRequest`)
//! and keeps the spans for the test to look at.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value;
use prost::Message as _;

use crate::{Error, Result};

/// One span as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The `service.name` of the process that sent it.
    pub service: String,
    /// Its name.
    pub name: String,
    /// Trace id, 32 hex digits.
    pub trace_id: String,
    /// Span id, 16 hex digits.
    pub span_id: String,
    /// The parent's span id (empty for a root).
    pub parent_span_id: String,
    /// Its attributes, as text.
    pub attributes: BTreeMap<String, String>,
    /// The names and attributes of its events, as text (what a test
    /// looks through for data that must not travel with a trace).
    pub events: Vec<String>,
}

/// The receiver; it stops when dropped.
pub struct Sink {
    url: String,
    spans: Arc<Mutex<Vec<Span>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn traces(State(spans): State<Arc<Mutex<Vec<Span>>>>, body: Bytes) -> impl IntoResponse {
    let Ok(req) = ExportTraceServiceRequest::decode(body) else {
        return (StatusCode::BAD_REQUEST, Vec::new()).into_response();
    };
    let mut got = Vec::new();
    for rs in req.resource_spans {
        let service = rs
            .resource
            .iter()
            .flat_map(|r| &r.attributes)
            .find(|kv| kv.key == "service.name")
            .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
                any_value::Value::StringValue(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_default();
        for span in rs.scope_spans.into_iter().flat_map(|s| s.spans) {
            got.push(Span {
                service: service.clone(),
                attributes: span
                    .attributes
                    .iter()
                    .map(|kv| (kv.key.clone(), text(kv.value.as_ref())))
                    .collect(),
                events: span
                    .events
                    .iter()
                    .map(|e| {
                        let attributes: Vec<String> = e
                            .attributes
                            .iter()
                            .map(|kv| format!("{}={}", kv.key, text(kv.value.as_ref())))
                            .collect();
                        format!("{} {}", e.name, attributes.join(" "))
                    })
                    .collect(),
                name: span.name,
                trace_id: hex::encode(span.trace_id),
                span_id: hex::encode(span.span_id),
                parent_span_id: hex::encode(span.parent_span_id),
            });
        }
    }
    spans.lock().unwrap_or_else(|p| p.into_inner()).extend(got);
    (
        [(header::CONTENT_TYPE, "application/x-protobuf")],
        ExportTraceServiceResponse::default().encode_to_vec(),
    )
        .into_response()
}

/// An attribute's value as text.
fn text(v: Option<&opentelemetry_proto::tonic::common::v1::AnyValue>) -> String {
    match v.and_then(|v| v.value.as_ref()) {
        Some(any_value::Value::StringValue(s)) => s.clone(),
        Some(any_value::Value::IntValue(i)) => i.to_string(),
        Some(any_value::Value::BoolValue(b)) => b.to_string(),
        Some(any_value::Value::DoubleValue(d)) => d.to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

impl Sink {
    /// Starts a receiver on a free loopback port.
    pub async fn start() -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Error::io("bind the OTLP receiver", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io("the OTLP receiver's address", e))?;
        let spans = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/v1/traces", post(traces))
            .with_state(spans.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Sink {
            url: format!("http://{addr}"),
            spans,
            task,
        })
    }

    /// The endpoint to give exporters (`OTEL_EXPORTER_OTLP_ENDPOINT`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every span received so far.
    pub fn spans(&self) -> Vec<Span> {
        self.spans.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Waits up to `secs` for a received span that `pred` accepts (given
    /// the span and its [`Sink::ancestry`]); panics saying `what` and what
    /// was received.
    pub async fn wait_for(
        &self,
        what: &str,
        secs: u64,
        pred: impl Fn(&Span, &[Span]) -> bool,
    ) -> Span {
        let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            if let Some(s) = self
                .spans()
                .into_iter()
                .find(|s| pred(s, &self.ancestry(s)))
            {
                return s;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "no {what} within {secs} s; received: {:#?}",
                self.spans()
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }

    /// The chain of spans from `span` up to its trace's root, as far as
    /// received (`span` first).
    pub fn ancestry(&self, span: &Span) -> Vec<Span> {
        let all = self.spans();
        let mut chain = vec![span.clone()];
        while let Some(parent) = all.iter().find(|s| {
            let last = chain.last().expect("not empty");
            !last.parent_span_id.is_empty()
                && s.trace_id == last.trace_id
                && s.span_id == last.parent_span_id
        }) {
            chain.push(parent.clone());
        }
        chain
    }
}
