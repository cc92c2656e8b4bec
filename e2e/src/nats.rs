//! nats-server with JetStream, under the components' permissions.
//!
//! The server refuses anonymous clients. Each component has its own nkey
//! user with the permissions of [`sellout_common::nats_auth`]; the seeds
//! are written under the server's directory (`keys/<component>.nk`, mode
//! 0600) for the processes a test starts. [`Nats::client`] is the
//! harness's own user, with every permission (tests set up streams and
//! read what components wrote); [`Nats::client_as`] connects as a
//! component.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use sellout_common::nats_auth::{Component, NatsCredentials, server_authorization};

use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// A running nats-server with JetStream enabled.
#[derive(Debug)]
pub struct Nats {
    proc: Mutex<Process>,
    launch: Launch,
    url: String,
    monitor_url: String,
    keys: Keys,
}

/// The users' seeds: the harness's and one file per component. Its
/// `Debug` shows the files, never a seed.
#[derive(Clone)]
struct Keys {
    admin_seed: String,
    admin_file: PathBuf,
    files: HashMap<Component, PathBuf>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("admin_file", &self.admin_file)
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// New users; the seeds under `dir/keys`, the server's configuration
    /// in `dir/nats-server.conf`.
    fn generate(dir: &Path) -> Result<(Self, PathBuf)> {
        let keys_dir = dir.join("keys");
        std::fs::create_dir_all(&keys_dir)
            .map_err(|e| Error::io(format!("create {}", keys_dir.display()), e))?;
        let seed = |k: &nkeys::KeyPair| {
            k.seed()
                .map_err(|e| Error::other(format!("nkey seed: {e}")))
        };
        let admin = nkeys::KeyPair::new_user();
        let admin_file = keys_dir.join("admin.nk");
        write_private(&admin_file, &seed(&admin)?)?;
        let mut users = vec![(admin.public_key(), None)];
        let mut files = HashMap::new();
        for c in Component::ALL {
            let k = nkeys::KeyPair::new_user();
            let path = keys_dir.join(format!("{}.nk", c.name()));
            write_private(&path, &seed(&k)?)?;
            users.push((k.public_key(), Some(c)));
            files.insert(c, path);
        }
        let conf = dir.join("nats-server.conf");
        std::fs::write(&conf, server_authorization(&users))
            .map_err(|e| Error::io(format!("write {}", conf.display()), e))?;
        Ok((
            Keys {
                admin_seed: seed(&admin)?,
                admin_file,
                files,
            },
            conf,
        ))
    }
}

/// Writes `text` to `path`, readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Error::io(format!("write {}", path.display()), e))
}

impl Nats {
    /// Starts nats-server with JetStream storage under `dir` and the
    /// components' users, and waits until its health endpoint reports
    /// JetStream ready.
    pub async fn start(dir: &Path, client: Port, monitor: Port) -> Result<Self> {
        let bin = tools::binary("nats-server", "nats")?;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let (keys, conf) = Keys::generate(dir)?;
        start_retrying_ports(client, |client| {
            let (bin, dir, keys, conf) = (bin.clone(), dir.to_owned(), keys.clone(), conf.clone());
            async move { start_once(&bin, &dir, &conf, keys, client, monitor).await }
        })
        .await
    }

    /// The seed file of `component`'s NATS user (for
    /// `SELLOUT_NATS_NKEY_FILE` / `--nats-nkey-file`).
    pub fn nkey_file(&self, component: Component) -> &Path {
        &self.keys.files[&component]
    }

    /// The seed file of the harness's own user (every permission), e.g.
    /// for the `nats` command line (`--nkey`).
    pub fn admin_nkey_file(&self) -> &Path {
        &self.keys.admin_file
    }

    /// `component`'s credentials.
    pub fn credentials(&self, component: Component) -> NatsCredentials {
        NatsCredentials::from_file(self.nkey_file(component))
    }

    /// A new client connected as `component`, with its permissions.
    pub async fn client_as(&self, component: Component) -> Result<async_nats::Client> {
        self.credentials(component)
            .options()
            .map_err(|e| Error::other(e.to_string()))?
            .connect(&self.url)
            .await
            .map_err(|e| {
                Error::other(format!(
                    "connect to NATS at {} as the {}: {e}",
                    self.url,
                    component.name()
                ))
            })
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The monitoring endpoint (`http://127.0.0.1:<port>`).
    pub fn monitor_url(&self) -> &str {
        &self.monitor_url
    }

    /// A new client as the harness's own user (every permission), bound
    /// to the caller's Tokio runtime.
    pub async fn client(&self) -> Result<async_nats::Client> {
        async_nats::ConnectOptions::with_nkey(self.keys.admin_seed.clone())
            .connect(&self.url)
            .await
            .map_err(|e| Error::other(format!("connect to NATS at {}: {e}", self.url)))
    }

    /// A JetStream context on a new client.
    pub async fn jetstream(&self) -> Result<async_nats::jetstream::Context> {
        Ok(async_nats::jetstream::new(self.client().await?))
    }

    /// A JetStream context on a new client connected as `component`.
    pub async fn jetstream_as(
        &self,
        component: Component,
    ) -> Result<async_nats::jetstream::Context> {
        Ok(async_nats::jetstream::new(self.client_as(component).await?))
    }

    /// The last `n` lines of the server's log (for failure messages).
    pub fn log_tail(&self, n: usize) -> String {
        crate::process::tail_file(&self.launch.dir.join("nats-server.log"), n)
    }

    /// Stops the server.
    pub fn stop(&self) {
        self.proc
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .stop(Duration::from_secs(10));
    }

    /// Kills the server with SIGKILL (a crash: no flush, no goodbye to
    /// its clients) and waits until it is gone.
    pub fn kill(&self) {
        self.proc.lock().unwrap_or_else(|p| p.into_inner()).kill();
    }

    /// Starts the server again, on the same ports, storage and users
    /// (after [`Nats::kill`] or [`Nats::stop`]); clients reconnect by
    /// themselves.
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
    conf: PathBuf,
    port: u16,
    mport: u16,
}

impl Launch {
    /// Starts nats-server and waits for JetStream to be ready.
    async fn spawn(&self) -> Result<Process> {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("--config")
            .arg(&self.conf)
            .args(["--addr", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--http_port", &self.mport.to_string()])
            .args(["--server_name", "sellout"])
            .arg("--jetstream")
            .arg("--store_dir")
            .arg(self.dir.join("jetstream"));
        let proc = Process::spawn("nats-server", cmd, &self.dir.join("nats-server.log"))?;
        let health = format!(
            "http://127.0.0.1:{}/healthz?js-enabled-only=true",
            self.mport
        );
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
        Ok(proc)
    }
}

async fn start_once(
    bin: &Path,
    dir: &Path,
    conf: &Path,
    keys: Keys,
    client: Port,
    monitor: Port,
) -> Result<Nats> {
    let launch = Launch {
        bin: bin.to_owned(),
        dir: dir.to_owned(),
        conf: conf.to_owned(),
        port: client.pick()?,
        mport: monitor.pick()?,
    };
    let proc = launch.spawn().await?;
    Ok(Nats {
        proc: Mutex::new(proc),
        url: format!("nats://127.0.0.1:{}", launch.port),
        monitor_url: format!("http://127.0.0.1:{}", launch.mport),
        keys,
        launch,
    })
}
