//! nats-server with JetStream.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// A running nats-server with JetStream enabled.
#[derive(Debug)]
pub struct Nats {
    proc: Process,
    url: String,
    monitor_url: String,
}

impl Nats {
    /// Starts nats-server with JetStream storage under `dir`, and waits until
    /// its health endpoint reports JetStream ready.
    pub async fn start(dir: &Path, client: Port, monitor: Port) -> Result<Self> {
        let bin = tools::binary("nats-server", "nats")?;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        start_retrying_ports(client, |client| {
            let (bin, dir) = (bin.clone(), dir.to_owned());
            async move { start_once(&bin, &dir, client, monitor).await }
        })
        .await
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The monitoring endpoint (`http://127.0.0.1:<port>`).
    pub fn monitor_url(&self) -> &str {
        &self.monitor_url
    }

    /// A new client, bound to the caller's Tokio runtime.
    pub async fn client(&self) -> Result<async_nats::Client> {
        async_nats::connect(&self.url)
            .await
            .map_err(|e| Error::other(format!("connect to NATS at {}: {e}", self.url)))
    }

    /// A JetStream context on a new client.
    pub async fn jetstream(&self) -> Result<async_nats::jetstream::Context> {
        Ok(async_nats::jetstream::new(self.client().await?))
    }

    /// The server process.
    pub fn process(&self) -> &Process {
        &self.proc
    }

    /// Stops the server.
    pub fn stop(&self) {
        self.proc.stop(Duration::from_secs(10));
    }
}

async fn start_once(bin: &Path, dir: &Path, client: Port, monitor: Port) -> Result<Nats> {
    let port = client.pick()?;
    let mport = monitor.pick()?;
    let mut cmd = Command::new(bin);
    cmd.args(["--addr", "127.0.0.1", "--port", &port.to_string()])
        .args(["--http_port", &mport.to_string()])
        .args(["--server_name", "sellout"])
        .arg("--jetstream")
        .arg("--store_dir")
        .arg(dir.join("jetstream"));
    let proc = Process::spawn("nats-server", cmd, &dir.join("nats-server.log"))?;
    let monitor_url = format!("http://127.0.0.1:{mport}");
    let health = format!("{monitor_url}/healthz?js-enabled-only=true");
    let http = reqwest::Client::new();
    wait_ready(&proc, Duration::from_secs(30), || {
        let (http, health) = (http.clone(), health.clone());
        async move {
            let resp = http.get(&health).send().await.map_err(|e| e.to_string())?;
            if resp.status().is_success() {
                Ok(())
            } else {
                Err(format!("/healthz answered {}", resp.status()))
            }
        }
    })
    .await?;
    Ok(Nats {
        proc,
        url: format!("nats://127.0.0.1:{port}"),
        monitor_url,
    })
}
