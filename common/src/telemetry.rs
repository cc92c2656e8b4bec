//! Logging setup shared by every Sellout binary.
//!
//! Every binary flattens [`LogArgs`] into its command line, so they all take
//! `--log-format` (`pretty` for people, `json` for production log pipelines)
//! and read the filter from `RUST_LOG` (default `info`).

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

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
    let registry = tracing_subscriber::registry().with(filter);
    let result = match args.log_format {
        LogFormat::Pretty => registry
            .with(fmt::layer().with_writer(std::io::stderr).with_target(true))
            .try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_writer(std::io::stderr),
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
}
