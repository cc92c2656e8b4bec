//! Prometheus metrics (`/metrics`), all prefixed `sellout_gateway_`, with
//! bounded labels only (operation type, outcome, error code, status
//! class; never queries, slugs or ids).
//!
//! GraphQL operations are counted by a schema extension
//! ([`GraphqlMetrics`]), so queries over HTTP and operations over
//! websockets are counted alike.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest,
    NextSubscribe,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Response, ServerResult, Variables};
use futures::StreamExt;
use futures::stream::BoxStream;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::live::Live;

/// Labels of a GraphQL operation.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabels {
    /// `query`, `mutation`, `subscription`, or `unknown` (not parsed).
    pub operation: &'static str,
    /// `ok` (no errors), `error` (errors in the response) or `rejected`
    /// (not executed: syntax, validation, limits).
    pub outcome: &'static str,
}

/// Labels of an operation's duration.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OperationLabel {
    /// `query`, `mutation`, `subscription` or `unknown`.
    pub operation: &'static str,
}

/// Labels of a GraphQL error.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabel {
    /// The error's `extensions.code` (`SOLD_OUT`, `FORBIDDEN`, …);
    /// `NONE` for errors without one (syntax, validation).
    pub code: String,
}

/// Labels of something with an outcome.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    /// What happened.
    pub outcome: &'static str,
}

/// Labels of a cache lookup.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabel {
    /// `hit` (answered from memory) or `miss` (the query ran).
    pub result: &'static str,
}

/// Labels of an HTTP response.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    /// `2xx`, `3xx`, `4xx` or `5xx`.
    pub status: &'static str,
}

/// Labels of a DataLoader's figures.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LoaderLabel {
    /// Which loader (`customer`).
    pub loader: &'static str,
}

/// Labels of a CSV export download.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ExportLabels {
    /// `orders`, `customers`, `check-ins`, or `unknown`.
    pub kind: &'static str,
    /// `ok`, `expired`, `invalid` (bad token), `forbidden` or `failed`.
    pub outcome: &'static str,
}

/// Every metric of the gateway.
pub struct Metrics {
    registry: Mutex<Registry>,
    /// GraphQL operations by type and outcome.
    pub operations: Family<OperationLabels, Counter>,
    /// GraphQL operation duration in seconds.
    pub duration: Family<OperationLabel, Histogram>,
    /// GraphQL errors by code.
    pub errors: Family<CodeLabel, Counter>,
    /// Stripe webhook deliveries by outcome.
    pub webhooks: Family<OutcomeLabel, Counter>,
    /// HTTP responses by status class.
    pub http: Family<StatusLabel, Counter>,
    /// Event-page requests looked up in the page cache, by result.
    pub page_cache: Family<ResultLabel, Counter>,
    /// Database queries DataLoaders made (one per batch and organization).
    pub loader_queries: Family<LoaderLabel, Counter>,
    /// Keys DataLoaders were asked for.
    pub loader_keys: Family<LoaderLabel, Counter>,
    /// CSV export downloads by kind and outcome.
    pub exports: Family<ExportLabels, Counter>,
    live_events: Gauge,
    live_subscribers: Gauge,
    live: Live,
}

impl Metrics {
    /// The metrics, with the live cache's figures.
    pub fn new(live: Live) -> Self {
        let mut registry = Registry::with_prefix("sellout_gateway");
        let operations = Family::<OperationLabels, Counter>::default();
        let duration = Family::<OperationLabel, Histogram>::new_with_constructor(|| {
            Histogram::new([
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ])
        });
        let errors = Family::<CodeLabel, Counter>::default();
        let webhooks = Family::<OutcomeLabel, Counter>::default();
        let http = Family::<StatusLabel, Counter>::default();
        let page_cache = Family::<ResultLabel, Counter>::default();
        let loader_queries = Family::<LoaderLabel, Counter>::default();
        let loader_keys = Family::<LoaderLabel, Counter>::default();
        let exports = Family::<ExportLabels, Counter>::default();
        let live_events = Gauge::default();
        let live_subscribers = Gauge::default();
        registry.register(
            "graphql_operations",
            "GraphQL operations by type and outcome",
            operations.clone(),
        );
        registry.register(
            "graphql_duration_seconds",
            "Time to answer a GraphQL query or mutation",
            duration.clone(),
        );
        registry.register("graphql_errors", "GraphQL errors by code", errors.clone());
        registry.register(
            "webhooks",
            "Stripe webhook deliveries by outcome (forwarded, ignored, bad_signature, unavailable)",
            webhooks.clone(),
        );
        registry.register(
            "http_responses",
            "HTTP responses by status class",
            http.clone(),
        );
        registry.register(
            "page_cache_requests",
            "Public event-page requests looked up in the page cache: hit (answered from memory) or miss (the query ran)",
            page_cache.clone(),
        );
        registry.register(
            "loader_queries",
            "Database queries made by DataLoaders (batched lookups behind list fields)",
            loader_queries.clone(),
        );
        registry.register(
            "loader_keys",
            "Keys DataLoaders were asked to load",
            loader_keys.clone(),
        );
        registry.register(
            "exports",
            "CSV export downloads by kind and outcome",
            exports.clone(),
        );
        registry.register(
            "live_events",
            "Events in the live availability cache (one NATS subscription each)",
            live_events.clone(),
        );
        registry.register(
            "live_subscribers",
            "Open GraphQL subscriptions following an event's availability",
            live_subscribers.clone(),
        );
        registry.register(
            "live_seed_requests",
            "Availability requests the live cache sent to checkout workers",
            live.seed_requests().clone(),
        );
        registry.register(
            "live_feed_updates",
            "Availability messages the live cache received from checkout writers",
            live.feed_updates().clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            operations,
            duration,
            errors,
            webhooks,
            http,
            page_cache,
            loader_queries,
            loader_keys,
            exports,
            live_events,
            live_subscribers,
            live,
        }
    }

    /// Counts one page-cache miss (the query runs and is counted as
    /// every query is).
    pub fn page_miss(&self) {
        self.page_cache
            .get_or_create(&ResultLabel { result: "miss" })
            .inc();
    }

    /// Counts one page answered from the page cache: a hit, and a query
    /// answered without errors in `elapsed`, as if it had run.
    pub fn page_hit(&self, elapsed: std::time::Duration) {
        self.page_cache
            .get_or_create(&ResultLabel { result: "hit" })
            .inc();
        let operation = "query";
        self.operations
            .get_or_create(&OperationLabels {
                operation,
                outcome: "ok",
            })
            .inc();
        self.duration
            .get_or_create(&OperationLabel { operation })
            .observe(elapsed.as_secs_f64());
    }

    /// Counts one GraphQL error code.
    fn error(&self, code: Option<&str>) {
        self.errors
            .get_or_create(&CodeLabel {
                code: code_label(code).to_owned(),
            })
            .inc();
    }

    fn response(&self, resp: &Response) {
        for e in &resp.errors {
            let code = e
                .extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .and_then(|v| match v {
                    async_graphql::Value::String(s) => Some(s.as_str()),
                    _ => None,
                });
            self.error(code);
        }
    }

    /// Counts a webhook delivery.
    pub fn webhook(&self, outcome: &'static str) {
        self.webhooks.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    /// Counts an HTTP response.
    pub fn http_response(&self, status: u16) {
        let status = match status {
            // 101: a websocket upgraded (live availability, subscriptions).
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.http.get_or_create(&StatusLabel { status }).inc();
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        self.live_events.set(self.live.events() as i64);
        self.live_subscribers.set(self.live.subscribers() as i64);
        let mut out = String::new();
        let reg = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &reg);
        out
    }
}

/// The label of an error code: ours are SCREAMING_SNAKE_CASE; anything
/// else is bucketed as `OTHER` so the label stays bounded.
fn code_label(code: Option<&str>) -> &str {
    match code {
        None => "NONE",
        Some(c)
            if (1..=40).contains(&c.len())
                && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') =>
        {
            c
        }
        Some(_) => "OTHER",
    }
}

fn operation_name(ty: OperationType) -> &'static str {
    match ty {
        OperationType::Query => "query",
        OperationType::Mutation => "mutation",
        OperationType::Subscription => "subscription",
    }
}

/// The schema extension that counts operations.
pub struct GraphqlMetrics(pub Arc<Metrics>);

impl ExtensionFactory for GraphqlMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Counting {
            metrics: self.0.clone(),
            state: Mutex::new(State::default()),
        })
    }
}

#[derive(Default)]
struct State {
    /// The document's operations: name (None: anonymous) and type.
    operations: Vec<(Option<String>, &'static str)>,
    /// The operation executed, once chosen.
    executed: Option<&'static str>,
}

struct Counting {
    metrics: Arc<Metrics>,
    state: Mutex<State>,
}

impl Counting {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The operation type, as far as known.
    fn operation(&self) -> &'static str {
        let s = self.state();
        s.executed
            .or_else(|| match s.operations.as_slice() {
                [(_, ty)] => Some(*ty),
                _ => None,
            })
            .unwrap_or("unknown")
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Counting {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let resp = next.run(ctx).await;
        let operation = self.operation();
        let executed = self.state().executed.is_some();
        let outcome = match (executed, resp.errors.is_empty()) {
            (false, _) => "rejected",
            (true, true) => "ok",
            (true, false) => "error",
        };
        self.metrics
            .operations
            .get_or_create(&OperationLabels { operation, outcome })
            .inc();
        self.metrics
            .duration
            .get_or_create(&OperationLabel { operation })
            .observe(started.elapsed().as_secs_f64());
        self.metrics.response(&resp);
        resp
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let metrics = self.metrics.clone();
        let mut first = true;
        let stream = stream
            .map(move |resp| {
                if first {
                    first = false;
                    let outcome = if resp.errors.is_empty() {
                        "ok"
                    } else {
                        "error"
                    };
                    metrics
                        .operations
                        .get_or_create(&OperationLabels {
                            operation: "subscription",
                            outcome,
                        })
                        .inc();
                }
                metrics.response(&resp);
                resp
            })
            .boxed();
        next.run(ctx, stream)
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        self.state().operations = doc
            .operations
            .iter()
            .map(|(name, op)| (name.map(|n| n.to_string()), operation_name(op.node.ty)))
            .collect();
        Ok(doc)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        {
            let mut s = self.state();
            let ty = s
                .operations
                .iter()
                .find(|(n, _)| operation_name.is_none() || n.as_deref() == operation_name)
                .map_or("unknown", |(_, ty)| *ty);
            s.executed = Some(ty);
        }
        next.run(ctx, operation_name).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_labels_stay_bounded() {
        assert_eq!(code_label(Some("SOLD_OUT")), "SOLD_OUT");
        assert_eq!(code_label(Some("free text from somewhere")), "OTHER");
        assert_eq!(code_label(Some(&"A".repeat(41))), "OTHER");
        assert_eq!(code_label(None), "NONE");
    }
}
