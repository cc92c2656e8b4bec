//! `sellout-worker`: the per-event worker, in its `checkout` or `scan` role.
//!
//! Not built yet: the checkout role arrives with the checkout issue (#5)
//! and the scan role with the scanning issue. Until then this binary parses
//! its options, sets up logging, says so and exits with status 2.

use clap::{Parser, ValueEnum};
use sellout_common::telemetry::{self, LogArgs};

/// What a worker process serves.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Role {
    /// Holds, pricing, payments, tickets and refunds for one event.
    Checkout,
    /// Ticket verification and check-ins at the door.
    Scan,
}

/// The Sellout worker (not built yet: it serves nothing and exits).
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Which role this process serves.
    #[arg(long, value_enum, env = "SELLOUT_WORKER_ROLE")]
    role: Role,
    #[command(flatten)]
    log: LogArgs,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    tracing::error!(role = ?args.role, "sellout-worker serves nothing yet (checkout issue #5); exiting");
    std::process::exit(2);
}
