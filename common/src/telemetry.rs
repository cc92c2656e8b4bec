//! Logging and tracing setup shared by every Sellout binary.
//!
//! Every binary flattens [`LogArgs`] into its command line, so they all take
//! `--log-format` (`pretty` for people, `json` for production log pipelines)
//! and read the filter from `RUST_LOG` (default `info`).
//!
//! Spans are OpenTelemetry spans too (`tracing-opentelemetry`): their
//! trace context crosses HTTP and NATS in W3C `traceparent` headers
//! ([`crate::trace`]), and with `--otlp-endpoint` (the standard
//! `OTEL_EXPORTER_OTLP_ENDPOINT`) they are exported over OTLP/HTTP
//! (protobuf, batched) to a collector; without it nothing is exported.
//!
//! With `--sentry-dsn` (`SENTRY_DSN`), error-level events and panics are
//! reported to Sentry, each with its own fields only.

use std::sync::OnceLock;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// The content type of every binary's `/metrics` (OpenMetrics text, as the
/// prometheus-client crate writes it).
pub const METRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// How log lines are written to standard error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable, coloured when standard error is a terminal (`make dev`).
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors in production.
    Json,
}

/// Logging options every binary accepts.
#[derive(Clone, Debug, clap::Args)]
pub struct LogArgs {
    /// Log line format. The level filter comes from RUST_LOG (default "info").
    #[arg(long, env = "SELLOUT_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
    /// OTLP/HTTP endpoint of a trace collector, e.g.
    /// http://otel-collector.monitoring:4318 (spans go to `<endpoint>/v1/traces`).
    /// Unset: no spans are exported. Plain HTTP only; batching follows the
    /// standard OTEL_BSP_* variables.
    #[arg(long, env = "OTEL_EXPORTER_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<String>,
    /// The `service.name` of exported spans (default: the binary's name).
    #[arg(long, env = "OTEL_SERVICE_NAME")]
    pub otel_service_name: Option<String>,
    /// Sentry DSN (https://<key>@<host>/<project>): error-level log events
    /// and panics are reported there. Unset: nothing is sent.
    #[arg(long, env = "SENTRY_DSN", hide_env_values = true)]
    pub sentry_dsn: Option<String>,
    /// The Sentry environment of the reports (e.g. production, staging).
    #[arg(long, env = "SENTRY_ENVIRONMENT")]
    pub sentry_environment: Option<String>,
}

impl Default for LogArgs {
    fn default() -> Self {
        LogArgs {
            log_format: LogFormat::Pretty,
            otlp_endpoint: None,
            otel_service_name: None,
            sentry_dsn: None,
            sentry_environment: None,
        }
    }
}

/// What becomes an OpenTelemetry span: spans at info and above. Events
/// (log lines) are left out: they stay in the logs, and their fields (an
/// SMTP reply, an order id) never travel with the trace.
fn spans() -> tracing_subscriber::filter::FilterFn<impl Fn(&tracing::Metadata<'_>) -> bool + Clone>
{
    tracing_subscriber::filter::filter_fn(|m| m.is_span() && *m.level() <= tracing::Level::INFO)
}

/// The tracer provider, kept for [`shutdown`].
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// The provider: with a batch exporter to `endpoint` when set.
fn provider(args: &LogArgs) -> Result<SdkTracerProvider, TelemetryError> {
    let service = args.otel_service_name.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "sellout".into())
    });
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(service)
        .build();
    let builder = SdkTracerProvider::builder().with_resource(resource);
    let Some(endpoint) = args
        .otlp_endpoint
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    else {
        return Ok(builder.build());
    };
    let endpoint = endpoint.trim().trim_end_matches('/');
    if !endpoint.starts_with("http://") {
        return Err(TelemetryError::Endpoint(endpoint.to_owned()));
    }
    let url = format!("{endpoint}/v1/traces");
    // The blocking HTTP client is made (and later used) off the async
    // runtime: on a thread of its own here, on the batch exporter's thread
    // after.
    let exporter = std::thread::spawn(move || {
        use opentelemetry_otlp::WithExportConfig as _;
        opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_endpoint(url)
            .build()
    })
    .join()
    .map_err(|_| TelemetryError::Exporter("the exporter's set-up panicked".into()))?
    .map_err(|e| TelemetryError::Exporter(e.to_string()))?;
    Ok(builder.with_batch_exporter(exporter).build())
}

/// The Sentry client, kept for the life of the process.
static SENTRY: OnceLock<sentry::ClientInitGuard> = OnceLock::new();

/// Starts Sentry when a DSN is given; whether it did.
fn sentry_init(args: &LogArgs) -> Result<bool, TelemetryError> {
    let Some(dsn) = args.sentry_dsn.as_deref().filter(|d| !d.trim().is_empty()) else {
        return Ok(false);
    };
    let dsn: sentry::types::Dsn = dsn
        .trim()
        .parse()
        .map_err(|e| TelemetryError::Sentry(format!("{e}")))?;
    // Reports only (no Sentry tracing: traces go to the OTLP collector).
    let mut options = sentry::ClientOptions::default();
    options.dsn = Some(dsn);
    options.release = Some(env!("CARGO_PKG_VERSION").into());
    options.environment = args.sentry_environment.clone().map(Into::into);
    let guard = sentry::init(options);
    let _ = SENTRY.set(guard);
    Ok(true)
}

/// The end of every binary's `main`: a fatal error is logged (so Sentry
/// and the log pipeline get it, not only standard error), then the last
/// spans and reports are flushed ([`shutdown`]).
pub async fn finish<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, E> {
    if let Err(e) = &result {
        tracing::error!(error = format!("{e:#}"), "stopped by an error");
    }
    let _ = tokio::task::spawn_blocking(shutdown).await;
    result
}

/// Flushes and stops the span exporter and Sentry (call once, at the end
/// of `main`; nothing when neither was set up).
pub fn shutdown() {
    if let Some(client) = sentry::Hub::current().client() {
        client.close(Some(std::time::Duration::from_secs(2)));
    }
    if let Some(provider) = PROVIDER.get()
        && let Err(e) = provider.shutdown()
    {
        tracing::debug!(error = %e, "span exporter did not shut down cleanly");
    }
}

/// Installs a subscriber with the OpenTelemetry layer and no exporter,
/// once per process, for tests that run binaries' code in process (spans
/// get trace contexts, so headers carry them). Does nothing when a
/// subscriber is installed already.
pub fn init_for_tests() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let tracer = SdkTracerProvider::builder().build().tracer("sellout");
        let logs = EnvFilter::new(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()));
        let _ = tracing_subscriber::registry()
            .with(
                tracing_opentelemetry::layer()
                    .with_tracer(tracer)
                    .with_filter(spans()),
            )
            .with(fmt::layer().with_test_writer().with_filter(logs))
            .try_init();
    });
}

/// Installs the global tracing subscriber. Call once, first thing in `main`.
///
/// Fails when `RUST_LOG` holds an invalid filter, naming the bad directive,
/// or when a subscriber is already installed.
pub fn init(args: &LogArgs) -> Result<(), TelemetryError> {
    init_with_default(args, "info")
}

/// Like [`init`], with `default_filter` used when `RUST_LOG` is unset.
pub fn init_with_default(args: &LogArgs, default_filter: &str) -> Result<(), TelemetryError> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(s) if !s.trim().is_empty() => {
            EnvFilter::try_new(&s).map_err(|e| TelemetryError::Filter(s.clone(), e.to_string()))?
        }
        _ => EnvFilter::try_new(default_filter)
            .map_err(|e| TelemetryError::Filter(default_filter.to_owned(), e.to_string()))?,
    };
    let provider = provider(args)?;
    let tracer = provider.tracer("sellout");
    let _ = PROVIDER.set(provider);
    let sentry = sentry_init(args)?;
    // RUST_LOG filters the log lines only: spans are traced at info
    // whatever the log level, errors reach Sentry whatever it is.
    let registry = tracing_subscriber::registry()
        .with(
            tracing_opentelemetry::layer()
                .with_tracer(tracer)
                .with_filter(spans()),
        )
        .with(sentry.then(|| {
            // Error events become Sentry events, with their own fields
            // only: no breadcrumbs, which Sentry keeps per thread and so
            // would carry other requests' (other buyers') lines along.
            sentry::integrations::tracing::ErrorLayer::new()
                .with_filter(tracing_subscriber::filter::LevelFilter::ERROR)
        }));
    let result = match args.log_format {
        LogFormat::Pretty => registry
            .with(
                fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_target(true)
                    .with_filter(filter),
            )
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_writer(std::io::stderr)
                    .with_filter(filter),
            )
            .try_init(),
    };
    result.map_err(|e| TelemetryError::AlreadySet(e.to_string()))
}

/// Why logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// `RUST_LOG` could not be parsed.
    #[error(
        "RUST_LOG={0:?} is not a valid filter ({1}); use e.g. RUST_LOG=info or RUST_LOG=sellout_operator=debug"
    )]
    Filter(String, String),
    /// A global subscriber was installed before.
    #[error("logging was already initialised: {0}")]
    AlreadySet(String),
    /// The OTLP endpoint is not an `http://` URL.
    #[error(
        "--otlp-endpoint / OTEL_EXPORTER_OTLP_ENDPOINT {0:?} must be an http:// URL of an OTLP/HTTP collector, e.g. http://otel-collector.monitoring:4318"
    )]
    Endpoint(String),
    /// The exporter could not be made.
    #[error("cannot set up the OTLP span exporter: {0}")]
    Exporter(String),
    /// The Sentry DSN is not one.
    #[error(
        "--sentry-dsn / SENTRY_DSN is not a Sentry DSN ({0}); it looks like https://<key>@o123.ingest.sentry.io/456"
    )]
    Sentry(String),
}
