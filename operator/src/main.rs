//! `sellout-operator`: reconciles Sellout's custom resources into per-event
//! workers, NATS JetStream streams and MongoDB collections.
//!
//! Not built yet: the controllers arrive with the CRDs-and-operator issue
//! (#4). Until then this binary parses its options, sets up logging, says so
//! and exits with status 2.

use clap::Parser;
use sellout_common::telemetry::{self, LogArgs};

/// The Sellout operator (not built yet: it has no controllers and exits).
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    #[command(flatten)]
    log: LogArgs,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    tracing::error!(
        "sellout-operator has no controllers yet (CRDs-and-operator issue #4); exiting"
    );
    std::process::exit(2);
}
