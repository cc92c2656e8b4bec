//! The Local worker runtime: an event's workers as supervised child
//! processes of the operator (`make dev`, end-to-end tests: an API server
//! but no kubelet). Each replica listens on its own loopback port; a
//! replica that exits is restarted with backoff (1 s doubling to 30 s);
//! children die with the operator (see `sellout_common::process`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use sellout_common::process::Process;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::build::Component;
use super::schedule::{Replicas, WorkerPlan};

/// Identifies a worker set: namespace, event name, component.
pub type SetKey = (String, String, Component);

/// Runs worker processes.
pub struct LocalRuntime {
    /// The `sellout-worker` binary.
    pub worker_bin: PathBuf,
    /// Environment every worker gets (NATS and MongoDB settings).
    pub env: Vec<(String, String)>,
    /// Where worker logs go (`<ns>/<event>-<component>-<n>.log`).
    pub log_dir: PathBuf,
    sets: Mutex<HashMap<SetKey, Vec<Replica>>>,
    http: reqwest::Client,
}

struct Replica {
    /// The port of the running process (0 before its first start).
    port: Arc<AtomicU16>,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl LocalRuntime {
    /// A runtime starting `worker_bin` with `env`.
    pub fn new(worker_bin: PathBuf, env: Vec<(String, String)>, log_dir: PathBuf) -> Self {
        LocalRuntime {
            worker_bin,
            env,
            log_dir,
            sets: Mutex::new(HashMap::new()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_millis(800))
                .build()
                .expect("HTTP client"),
        }
    }

    /// Replicas a plan asks of one set here: no autoscaler runs locally,
    /// so an autoscaled set runs its minimum.
    pub fn replicas(r: Replicas) -> usize {
        r.desired().max(0) as usize
    }

    /// Starts or stops replicas so each set of the event runs what `plan`
    /// asks (nothing when `plan` is `None`).
    /// Sets started now get `nats_creds()` (a `.creds` text, see
    /// [`sellout_common::nats_auth::WorkerIssuer`]) as their NATS user;
    /// `None`: the user in [`Self::env`], if any.
    pub async fn ensure(
        &self,
        ns: &str,
        event: &str,
        uid: &str,
        plan: Option<WorkerPlan>,
        nats_creds: impl FnOnce() -> Option<String>,
    ) {
        let mut nats_creds = Some(nats_creds);
        let mut minted: Option<Option<String>> = None;
        let mut stopping = Vec::new();
        {
            let mut sets = self.sets.lock().await;
            for c in Component::ALL {
                let want = match plan {
                    None => 0,
                    Some(p) => Self::replicas(match c {
                        Component::Checkout => p.checkout,
                        Component::Scan => p.scan,
                    }),
                };
                let key = (ns.to_owned(), event.to_owned(), c);
                let set = sets.entry(key).or_default();
                while set.len() > want {
                    let r = set.pop().expect("non-empty");
                    r.stop.cancel();
                    stopping.push(r);
                }
                while set.len() < want {
                    let n = set.len();
                    let creds = minted
                        .get_or_insert_with(|| nats_creds.take().and_then(|f| f()))
                        .clone();
                    set.push(self.spawn(ns, event, uid, c, n, creds));
                }
            }
            sets.retain(|_, v| !v.is_empty());
        }
        // Wait for the stopped ones outside the lock: a worker may take its
        // grace period to exit, and other events must not wait for it.
        for r in stopping {
            let _ = r.task.await;
        }
    }

    /// How many replicas of a set answer `/readyz` with 200.
    pub async fn ready(&self, ns: &str, event: &str, c: Component) -> i32 {
        let ports: Vec<u16> = {
            let sets = self.sets.lock().await;
            sets.get(&(ns.to_owned(), event.to_owned(), c))
                .map(|s| {
                    s.iter()
                        .map(|r| r.port.load(Ordering::Relaxed))
                        .filter(|p| *p != 0)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut ready = 0;
        for port in ports {
            let url = format!("http://127.0.0.1:{port}/readyz");
            if self
                .http
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                ready += 1;
            }
        }
        ready
    }

    /// Stops every replica of every set (operator shutdown).
    pub async fn stop_all(&self) {
        let all: Vec<Replica> = self
            .sets
            .lock()
            .await
            .drain()
            .flat_map(|(_, s)| s)
            .collect();
        for r in &all {
            r.stop.cancel();
        }
        for r in all {
            let _ = r.task.await;
        }
    }

    fn spawn(
        &self,
        ns: &str,
        event: &str,
        uid: &str,
        c: Component,
        n: usize,
        nats_creds: Option<String>,
    ) -> Replica {
        let port = Arc::new(AtomicU16::new(0));
        let stop = CancellationToken::new();
        let log = self
            .log_dir
            .join(ns)
            .join(format!("{event}-{}-{n}.log", c.as_str()));
        let mut env = self.env.clone();
        env.extend([
            ("SELLOUT_WORKER_ROLE".into(), c.as_str().into()),
            ("SELLOUT_EVENT".into(), event.into()),
            ("SELLOUT_NAMESPACE".into(), ns.into()),
            ("SELLOUT_EVENT_UID".into(), uid.into()),
            // Stable across restarts of this replica: a restarted
            // checkout writer takes its lease back at once.
            (
                "SELLOUT_WORKER_ID".into(),
                format!("{ns}.{event}.{}.{n}", c.as_str()),
            ),
        ]);
        if let Some(creds) = nats_creds {
            env.push(("SELLOUT_NATS_CREDS".into(), creds));
        }
        let bin = self.worker_bin.clone();
        let listen = port.clone();
        // A fresh port on every start: one taken since it was picked makes
        // the worker exit, and the restart then gets another.
        let command = move || -> std::io::Result<std::process::Command> {
            let p = free_port()?;
            listen.store(p, Ordering::Relaxed);
            let mut cmd = std::process::Command::new(&bin);
            // The operator's own NATS user is not the workers': they get
            // theirs (if any) from `env`.
            cmd.env_remove("SELLOUT_NATS_CREDS")
                .env_remove("SELLOUT_NATS_CREDS_FILE")
                .env_remove("SELLOUT_NATS_LOGIN_CREDS")
                .env_remove("SELLOUT_NATS_LOGIN_CREDS_FILE")
                .envs(env.iter().cloned());
            cmd.env("SELLOUT_WORKER_LISTEN", format!("127.0.0.1:{p}"));
            Ok(cmd)
        };
        let name = format!("worker {ns}/{event} {} #{n}", c.as_str());
        let task = tokio::spawn(supervise(name, command, log, stop.clone()));
        Replica { port, stop, task }
    }
}

/// Runs the command until `stop`, restarting it with backoff when it exits.
async fn supervise<F>(name: String, command: F, log: PathBuf, stop: CancellationToken)
where
    F: Fn() -> std::io::Result<std::process::Command> + Send + Sync + 'static,
{
    let command = Arc::new(command);
    let mut backoff = Duration::from_secs(1);
    loop {
        let spawned = {
            let (command, name, log) = (command.clone(), name.clone(), log.clone());
            tokio::task::spawn_blocking(move || {
                Process::spawn(&name, command()?, &log).map_err(std::io::Error::other)
            })
            .await
        };
        let proc = match spawned {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => {
                tracing::error!(worker = %name, error = %e, "cannot start worker");
                if wait_or_stop(&stop, backoff).await {
                    return;
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
                continue;
            }
            Err(_) => return,
        };
        let started = tokio::time::Instant::now();
        loop {
            if stop.is_cancelled() {
                let _ =
                    tokio::task::spawn_blocking(move || proc.stop(Duration::from_secs(5))).await;
                return;
            }
            if let Some(status) = proc.exit_status() {
                tracing::warn!(worker = %name, %status, log = %proc.log_path().display(), "worker exited; restarting");
                break;
            }
            tokio::select! {
                _ = stop.cancelled() => {}
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
            }
        }
        if started.elapsed() > Duration::from_secs(60) {
            backoff = Duration::from_secs(1);
        }
        if wait_or_stop(&stop, backoff).await {
            return;
        }
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

/// Sleeps `d`; true when stopped meanwhile.
async fn wait_or_stop(stop: &CancellationToken, d: Duration) -> bool {
    tokio::select! {
        _ = stop.cancelled() => true,
        _ = tokio::time::sleep(d) => false,
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind(("127.0.0.1", 0))?
        .local_addr()?
        .port())
}
