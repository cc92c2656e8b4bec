//! FerretDB v1 on its embedded SQLite backend: the MongoDB wire protocol
//! for tests and `make dev`.
//!
//! FerretDB v1 has no multi-document transactions, no change streams and no
//! TTL indexes; Sellout's design relies only on single-document atomic
//! updates, which it supports.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use mongodb::bson::doc;

use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// A running FerretDB.
#[derive(Debug)]
pub struct Mongo {
    proc: Mutex<Process>,
    launch: Launch,
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

    /// Stops the server.
    pub fn stop(&self) {
        self.proc
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .stop(Duration::from_secs(10));
    }

    /// Kills the server with SIGKILL (a crash) and waits until it is gone.
    pub fn kill(&self) {
        self.proc.lock().unwrap_or_else(|p| p.into_inner()).kill();
    }

    /// Starts the server again on the same port and files (after
    /// [`Mongo::kill`] or [`Mongo::stop`]); clients reconnect by themselves.
    pub async fn restart(&self) -> Result<()> {
        let proc = self.launch.spawn().await?;
        *self.proc.lock().unwrap_or_else(|p| p.into_inner()) = proc;
        Ok(())
    }
}

/// How one server was started, to start it again the same way.
#[derive(Debug)]
struct Launch {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl Launch {
    /// Starts FerretDB and waits until it answers `ping`.
    async fn spawn(&self) -> Result<Process> {
        let mut cmd = Command::new(&self.bin);
        cmd.arg(format!("--listen-addr=127.0.0.1:{}", self.port))
            .arg("--handler=sqlite")
            .arg(format!(
                "--sqlite-url=file:{}/",
                self.dir.join("data").display()
            ))
            .arg(format!("--state-dir={}", self.dir.display()))
            .arg("--telemetry=disable")
            .arg("--debug-addr=-")
            .arg("--log-level=warn");
        let proc = Process::spawn("ferretdb", cmd, &self.dir.join("ferretdb.log"))?;
        let uri = format!(
            "mongodb://127.0.0.1:{}/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000",
            self.port
        );
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
        Ok(proc)
    }
}

async fn start_once(bin: &Path, dir: &Path, port: Port) -> Result<Mongo> {
    let launch = Launch {
        bin: bin.to_owned(),
        dir: dir.to_owned(),
        port: port.pick()?,
    };
    let proc = launch.spawn().await?;
    Ok(Mongo {
        proc: Mutex::new(proc),
        uri: format!("mongodb://127.0.0.1:{}/", launch.port),
        launch,
    })
}
