//! `sellout-gateway`: the GraphQL gateway every Sellout client talks to.
//!
//! Not built yet: the schema, auth and webhooks arrive with the gateway
//! issue (#6). Until then this binary parses its options, sets up logging,
//! says so and exits with status 2.

use clap::Parser;
use sellout_common::telemetry::{self, LogArgs};

/// The Sellout GraphQL gateway (not built yet: it serves nothing and exits).
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Address to listen on once the gateway exists.
    #[arg(long, env = "SELLOUT_GATEWAY_LISTEN", default_value = "127.0.0.1:4000")]
    listen: std::net::SocketAddr,
    #[command(flatten)]
    log: LogArgs,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    tracing::error!(listen = %args.listen, "sellout-gateway serves nothing yet (gateway issue #6); exiting");
    std::process::exit(2);
}
