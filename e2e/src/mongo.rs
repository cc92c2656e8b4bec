//! FerretDB v1 on its embedded SQLite backend: the MongoDB wire protocol
//! for tests and `make dev`.
//!
//! FerretDB v1 has no multi-document transactions, no change streams and no
//! TTL indexes; Sellout's design relies only on single-document atomic
//! updates, which it supports.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use mongodb::bson::doc;

use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// A running FerretDB.
#[derive(Debug)]
pub struct Mongo {
    proc: Process,
    uri: String,
}

impl Mongo {
    /// Starts FerretDB with its SQLite files under `dir` and waits until it
    /// answers `ping`.
    pub async fn start(dir: &Path, port: Port) -> Result<Self> {
        let bin = tools::binary("ferretdb", "ferretdb")?;
        std::fs::create_dir_all(dir.join("data"))
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        start_retrying_ports(port, |port| {
            let (bin, dir) = (bin.clone(), dir.to_owned());
            async move { start_once(&bin, &dir, port).await }
        })
        .await
    }

    /// `mongodb://127.0.0.1:<port>/`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// A new client, bound to the caller's Tokio runtime.
    pub async fn client(&self) -> Result<mongodb::Client> {
        mongodb::Client::with_uri_str(&self.uri)
            .await
            .map_err(|e| Error::other(format!("connect to FerretDB at {}: {e}", self.uri)))
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

async fn start_once(bin: &Path, dir: &Path, port: Port) -> Result<Mongo> {
    let port = port.pick()?;
    let mut cmd = Command::new(bin);
    cmd.arg(format!("--listen-addr=127.0.0.1:{port}"))
        .arg("--handler=sqlite")
        .arg(format!("--sqlite-url=file:{}/", dir.join("data").display()))
        .arg(format!("--state-dir={}", dir.display()))
        .arg("--telemetry=disable")
        .arg("--debug-addr=-")
        .arg("--log-level=warn");
    let proc = Process::spawn("ferretdb", cmd, &dir.join("ferretdb.log"))?;
    let uri =
        format!("mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000");
    wait_ready(&proc, Duration::from_secs(30), || {
        let uri = uri.clone();
        async move {
            let client = mongodb::Client::with_uri_str(&uri).await?;
            client
                .database("admin")
                .run_command(doc! {"ping": 1})
                .await?;
            Ok::<_, mongodb::error::Error>(())
        }
    })
    .await?;
    Ok(Mongo {
        proc,
        uri: format!("mongodb://127.0.0.1:{port}/"),
    })
}
