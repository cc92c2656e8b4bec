//! The Sellout test harness: starts the real components Sellout runs
//! against on free loopback ports and hands out ready clients.
//!
//! | component | what runs | accessor |
//! |---|---|---|
//! | Kubernetes API | kube-apiserver + etcd, built from their Go modules | [`kube()`] |
//! | NATS JetStream | nats-server with JetStream | [`nats()`] |
//! | MongoDB wire | FerretDB v1 on SQLite | [`mongo()`] |
//! | Stripe | localstripe | [`stripe()`] |
//! | SMTP sink | mailpit | [`mail()`] |
//! | SMS sink | a Twilio-style API in this process | [`sms()`] |
//! | browser | Debian's headless Chromium | [`browser()`] |
//! | checkout worker | `sellout-worker` of this build | [`worker::start_checkout`], [`worker::checkout_worker`] |
//!
//! The binaries come from the tool cache that `scripts/tools.sh` fills
//! (`make tools`); see [`tools`]. Each accessor starts its component once
//! per test binary, on first use, and shares it with every test of that
//! binary; clients are created per call, in the caller's runtime, so they
//! work from any `#[tokio::test]`. Everything is stopped and the run's
//! temporary directory removed when the test binary exits, also after
//! panics; see [`process`].

pub mod browser;
pub mod kube_api;
pub mod mail;
pub mod metrics;
pub mod mongo;
pub mod nats;
pub mod otlp;
pub mod pki;
pub mod sms;
pub mod stripe;
pub mod tools;
pub mod worker;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tokio::sync::OnceCell;

pub use browser::Browser;
pub use kube_api::KubeApi;
pub use mail::MailSink;
pub use mongo::Mongo;
pub use nats::Nats;
pub use sellout_common::process;
pub use sms::SmsSink;
pub use stripe::LocalStripe;

/// Everything that can go wrong while starting or talking to a component.
/// Each message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A tool binary is not in the cache.
    #[error("{name} not found at {path}: run `make tools` (or `scripts/tools.sh {step}`) first")]
    MissingTool {
        /// Binary name.
        name: String,
        /// Where it was looked for.
        path: PathBuf,
        /// The `scripts/tools.sh` step that provides it.
        step: String,
    },
    /// A component's process exited or did not become ready.
    #[error(transparent)]
    Process(#[from] process::ProcessError),
    /// A file-system or process operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Anything else, with context.
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            what: what.into(),
            source,
        }
    }
    pub(crate) fn other(msg: impl std::fmt::Display) -> Self {
        Error::Other(msg.to_string())
    }
}

/// Harness result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Which port a component listens on.
#[derive(Clone, Copy, Debug)]
pub enum Port {
    /// Any free loopback port (tests).
    Free,
    /// This port if it is free, else any free one (`make dev`).
    Prefer(u16),
}

impl Port {
    /// Picks a port now. The port is free at the time of the call; a
    /// component that still loses the race is restarted on another port
    /// (see [`start_retrying_ports`]).
    pub fn pick(self) -> Result<u16> {
        if let Port::Prefer(p) = self
            && TcpListener::bind(("127.0.0.1", p)).is_ok()
        {
            return Ok(p);
        }
        free_port()
    }
}

/// The CPU model of this machine, from /proc/cpuinfo (for benchmark
/// reports); empty when unknown.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// A currently unused loopback TCP port.
pub fn free_port() -> Result<u16> {
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| Error::io("bind a free port", e))?;
    Ok(l.local_addr()
        .map_err(|e| Error::io("read bound port", e))?
        .port())
}

/// Starts a component, and if it fails because a port was taken between
/// picking and binding, tries again (three attempts) with `Port::Free`.
pub async fn start_retrying_ports<T, F, Fut>(first: Port, mut start: F) -> Result<T>
where
    F: FnMut(Port) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut port = first;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match start(port).await {
            Err(Error::Process(e))
                if attempt < 3
                    && e.log_tail()
                        .to_lowercase()
                        .contains("address already in use") =>
            {
                tracing::warn!(
                    attempt,
                    "port taken while starting; retrying on another port"
                );
                port = Port::Free;
            }
            other => return other,
        }
    }
}

/// This test binary's scratch directory (`$TMPDIR/sellout-e2e-<pid>`),
/// removed at exit. Directories left by earlier runs that were killed are
/// removed the first time this is called.
pub fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = std::env::temp_dir();
        remove_stale_run_dirs(&tmp);
        let dir = tmp.join(format!("sellout-e2e-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        process::remove_at_exit(dir.clone());
        dir
    })
}

fn remove_stale_run_dirs(tmp: &Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("sellout-e2e-"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process::pid_alive(pid) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

macro_rules! shared {
    ($(#[$doc:meta])* $name:ident, $try_name:ident, $ty:ty, $start:expr) => {
        $(#[$doc])*
        ///
        /// Panics with the component's log tail if it cannot start; use the
        /// `try_` variant to handle that yourself.
        pub async fn $name() -> &'static $ty {
            match $try_name().await {
                Ok(c) => c,
                Err(e) => panic!("{e}"),
            }
        }

        $(#[$doc])*
        pub async fn $try_name() -> Result<&'static $ty> {
            static CELL: OnceCell<$ty> = OnceCell::const_new();
            CELL.get_or_try_init(|| async { $start }).await
        }
    };
}

/// The shared API server with Sellout's CRDs (`charts/sellout/crds`)
/// applied and Established, once per test binary.
///
/// Panics with kubectl's message if they cannot be applied.
pub async fn kube_with_crds() -> &'static KubeApi {
    static CRDS: OnceCell<()> = OnceCell::const_new();
    let api = kube().await;
    CRDS.get_or_init(|| async {
        let crds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../charts/sellout/crds");
        let apply = vec![
            "apply".to_owned(),
            "--server-side".to_owned(),
            "-f".to_owned(),
            crds.to_string_lossy().into_owned(),
        ];
        let wait = [
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/events.sellout.io",
            "crd/tickettiers.sellout.io",
            "crd/venues.sellout.io",
            "crd/organizations.sellout.io",
        ]
        .map(str::to_owned)
        .to_vec();
        for args in [apply, wait] {
            let out = api
                .kubectl()
                .unwrap_or_else(|e| panic!("{e}"))
                .args(&args)
                .output()
                .unwrap_or_else(|e| panic!("kubectl {args:?}: {e}"));
            assert!(
                out.status.success(),
                "kubectl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    })
    .await;
    api
}

shared!(
    /// The shared Kubernetes API server (with its etcd) of this test binary.
    kube,
    try_kube,
    KubeApi,
    KubeApi::start(&run_dir().join("kube"), kube_api::Ports::free()).await
);
shared!(
    /// The shared NATS server (JetStream enabled) of this test binary.
    nats,
    try_nats,
    Nats,
    Nats::start(&run_dir().join("nats"), Port::Free, Port::Free).await
);
shared!(
    /// The shared FerretDB (MongoDB wire protocol) of this test binary.
    mongo,
    try_mongo,
    Mongo,
    Mongo::start(&run_dir().join("ferretdb"), Port::Free).await
);
shared!(
    /// The shared localstripe of this test binary.
    stripe,
    try_stripe,
    LocalStripe,
    LocalStripe::start(&run_dir().join("localstripe"), Port::Free).await
);
shared!(
    /// The shared SMTP sink (mailpit) of this test binary.
    mail,
    try_mail,
    MailSink,
    MailSink::start(&run_dir().join("mailpit"), Port::Free, Port::Free).await
);
shared!(
    /// The shared SMS sink of this test binary.
    sms,
    try_sms,
    SmsSink,
    SmsSink::start(&run_dir().join("sms"), Port::Free)
);
shared!(
    /// Headless Chromium (a new browser process per page load).
    browser,
    try_browser,
    Browser,
    Browser::locate(&run_dir().join("chromium"))
);
