//! nats-server with JetStream, in operator mode, under the components'
//! permissions.
//!
//! Each server gets an installation's keys of its own
//! ([`sellout_common::nats_auth::Platform`]); the server refuses clients
//! without credentials. The components' `.creds` files are written under
//! the server's directory (`keys/<component>.creds`, mode 0600) for the
//! processes a test starts, and each event's worker user is minted on
//! demand ([`Nats::worker_creds_file`]). [`Nats::client`] is the
//! harness's own user in the SELLOUT account, with every permission
//! there (tests set up streams and read what components wrote);
//! [`Nats::client_as`] connects as a component, [`Nats::client_as_worker`]
//! as an event's workers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sellout_common::names::Names;
use sellout_common::nats_auth::{
    AccountName, Component, NatsCredentials, NatsTls, Platform, worker_inbox_prefix,
};

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
    /// What clients need for a server started with TLS.
    tls: NatsTls,
}

/// The installation's keys and the credentials files made from them. Its
/// `Debug` shows the files, never a seed.
#[derive(Clone)]
struct Keys {
    platform: Arc<Platform>,
    dir: PathBuf,
    admin: String,
    admin_file: PathBuf,
    files: HashMap<Component, PathBuf>,
    signer_file: PathBuf,
    workers: Arc<Mutex<HashMap<String, PathBuf>>>,
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
    /// The installation's keys of `dir` (`dir/keys/installation.seeds`,
    /// made the first time: JetStream keeps each account's data under the
    /// account's key, so a server restarted on kept data needs the same
    /// keys); the credentials under `dir/keys`, the server's configuration
    /// in `dir/nats-server.conf`.
    fn generate(dir: &Path) -> Result<(Self, PathBuf)> {
        let keys_dir = dir.join("keys");
        std::fs::create_dir_all(&keys_dir)
            .map_err(|e| Error::io(format!("create {}", keys_dir.display()), e))?;
        let seeds = keys_dir.join("installation.seeds");
        let platform = match std::fs::read_to_string(&seeds) {
            Ok(text) => Platform::from_seeds(&text, &seeds.display().to_string())
                .map_err(|e| Error::other(format!("{e} (delete it to start afresh)")))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let p = Platform::generate();
                write_private(&seeds, &p.seeds())?;
                p
            }
            Err(e) => return Err(Error::io(format!("read {}", seeds.display()), e)),
        };
        let admin = platform.admin_creds(AccountName::Sellout);
        let admin_file = keys_dir.join("admin.creds");
        write_private(&admin_file, &admin)?;
        let mut files = HashMap::new();
        for c in Component::ALL {
            let path = keys_dir.join(format!("{}.creds", c.name()));
            write_private(&path, &platform.creds(c))?;
            files.insert(c, path);
        }
        let signer_file = keys_dir.join("worker-signer.nk");
        write_private(&signer_file, &platform.worker_signing_seed())?;
        let conf = dir.join("nats-server.conf");
        std::fs::write(&conf, platform.server_config())
            .map_err(|e| Error::io(format!("write {}", conf.display()), e))?;
        Ok((
            Keys {
                platform: Arc::new(platform),
                dir: keys_dir,
                admin,
                admin_file,
                files,
                signer_file,
                workers: Arc::default(),
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
        Self::start_with(dir, client, monitor, None).await
    }

    /// [`Nats::start`] with TLS: the server presents a certificate of the
    /// CA in `tls` and accepts only clients with a certificate of it;
    /// every client of the harness ([`Nats::client`],
    /// [`Nats::credentials`]) brings the CA and the client certificate.
    pub async fn start_tls(
        dir: &Path,
        client: Port,
        monitor: Port,
        tls: &crate::pki::NatsTlsFiles,
    ) -> Result<Self> {
        Self::start_with(dir, client, monitor, Some(tls)).await
    }

    async fn start_with(
        dir: &Path,
        client: Port,
        monitor: Port,
        tls: Option<&crate::pki::NatsTlsFiles>,
    ) -> Result<Self> {
        let bin = tools::binary("nats-server", "nats")?;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let (keys, conf) = Keys::generate(dir)?;
        let client_tls = match tls {
            Some(files) => {
                use std::io::Write as _;
                let block = format!(
                    "\ntls {{\n  cert_file: {:?}\n  key_file: {:?}\n  ca_file: {:?}\n  verify: true\n  timeout: 5\n}}\n",
                    files.server_cert, files.server_key, files.ca
                );
                std::fs::OpenOptions::new()
                    .append(true)
                    .open(&conf)
                    .and_then(|mut f| f.write_all(block.as_bytes()))
                    .map_err(|e| Error::io(format!("write {}", conf.display()), e))?;
                NatsTls {
                    nats_tls_ca_file: Some(files.ca.clone()),
                    nats_tls_cert_file: Some(files.client_cert.clone()),
                    nats_tls_key_file: Some(files.client_key.clone()),
                }
            }
            None => NatsTls::default(),
        };
        let nats = start_retrying_ports(client, |client| {
            let (bin, dir, keys, conf) = (bin.clone(), dir.to_owned(), keys.clone(), conf.clone());
            let tls = client_tls.clone();
            async move { start_once(&bin, &dir, &conf, keys, client, monitor, tls).await }
        })
        .await?;
        // The operator's part: the writer lease bucket, which workers may
        // use but not create.
        nats.jetstream()
            .await?
            .create_key_value(sellout_common::names::writer_leases_config())
            .await
            .map_err(|e| Error::other(format!("create the writer lease bucket: {e}")))?;
        Ok(nats)
    }

    /// The `.creds` file of `component`'s NATS user (for
    /// `SELLOUT_NATS_CREDS_FILE` / `--nats-creds-file`).
    pub fn creds_file(&self, component: Component) -> &Path {
        &self.keys.files[&component]
    }

    /// The `.creds` file of the harness's own user (every permission in
    /// the SELLOUT account), e.g. for the `nats` command line (`--creds`).
    pub fn admin_creds_file(&self) -> &Path {
        &self.keys.admin_file
    }

    /// The `.creds` file of the worker user of `names`'s event (minted
    /// once, as the operator does when it starts the event's workers).
    pub fn worker_creds_file(&self, names: &Names) -> PathBuf {
        let mut workers = self.keys.workers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(p) = workers.get(&names.stream) {
            return p.clone();
        }
        let path = self.keys.dir.join(format!("worker-{}.creds", names.stream));
        write_private(
            &path,
            &self
                .keys
                .platform
                .worker_issuer()
                .worker_creds(names, &names.stream),
        )
        .expect("write a worker's credentials");
        workers.insert(names.stream.clone(), path.clone());
        path
    }

    /// The environment a worker of the Event with uid `uid` gets from the
    /// operator: that uid (its inbox prefix) and its own NATS user.
    pub fn worker_env(&self, uid: &str) -> [(&'static str, String); 2] {
        let names = Names::for_uid(uid);
        [
            ("SELLOUT_EVENT_UID", uid.to_owned()),
            (
                "SELLOUT_NATS_CREDS_FILE",
                self.worker_creds_file(&names).display().to_string(),
            ),
        ]
    }

    /// The SELLOUT account's public key and the file of its signing key's
    /// seed: the operator's `--worker-nats-account` and
    /// `--worker-nats-signing-key-file`.
    pub fn worker_issuer(&self) -> (String, &Path) {
        (
            self.keys.platform.account_public_key(AccountName::Sellout),
            &self.keys.signer_file,
        )
    }

    /// `component`'s credentials.
    pub fn credentials(&self, component: Component) -> NatsCredentials {
        NatsCredentials {
            tls: self.tls.clone(),
            ..NatsCredentials::from_file(self.creds_file(component))
        }
    }

    /// What a client needs for this server's TLS (nothing without TLS).
    pub fn tls(&self) -> &NatsTls {
        &self.tls
    }

    /// A new client connected as `component`, with its permissions.
    pub async fn client_as(&self, component: Component) -> Result<async_nats::Client> {
        self.connect_with(
            self.credentials(component),
            &component.inbox_prefix(),
            component.name(),
        )
        .await
    }

    /// A new client connected as the workers of `names`'s event.
    pub async fn client_as_worker(&self, names: &Names) -> Result<async_nats::Client> {
        self.connect_with(
            NatsCredentials {
                tls: self.tls.clone(),
                ..NatsCredentials::from_file(self.worker_creds_file(names))
            },
            &worker_inbox_prefix(names),
            "event's workers",
        )
        .await
    }

    async fn connect_with(
        &self,
        creds: NatsCredentials,
        inbox: &str,
        who: &str,
    ) -> Result<async_nats::Client> {
        creds
            .options(inbox)
            .map_err(|e| Error::other(e.to_string()))?
            .connect(&self.url)
            .await
            .map_err(|e| Error::other(format!("connect to NATS at {} as the {who}: {e}", self.url)))
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
        let options = async_nats::ConnectOptions::with_credentials(&self.keys.admin)
            .map_err(|e| Error::other(format!("the harness's credentials: {e}")))?;
        self.tls
            .apply(options)
            .map_err(|e| Error::other(e.to_string()))?
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
    tls: NatsTls,
) -> Result<Nats> {
    let launch = Launch {
        bin: bin.to_owned(),
        dir: dir.to_owned(),
        conf: conf.to_owned(),
        port: client.pick()?,
        mport: monitor.pick()?,
    };
    let proc = launch.spawn().await?;
    let scheme = if tls.nats_tls_ca_file.is_some() {
        "tls"
    } else {
        "nats"
    };
    Ok(Nats {
        proc: Mutex::new(proc),
        url: format!("{scheme}://127.0.0.1:{}", launch.port),
        tls,
        monitor_url: format!("http://127.0.0.1:{}", launch.mport),
        keys,
        launch,
    })
}
