//! Child processes that never outlive the harness.
//!
//! Every component runs as a child process whose output goes to a log file.
//! Three layers make sure none is left behind:
//! 1. [`Process`] stops its child (SIGTERM, then SIGKILL) when dropped;
//! 2. components shared by a whole test binary live in statics, which Rust
//!    never drops, so every live child is also recorded here and stopped by
//!    an `atexit` handler when the process exits normally (the test harness
//!    exits this way even when tests panic);
//! 3. children are spawned from one long-lived thread with
//!    `PR_SET_PDEATHSIG = SIGKILL`, so the kernel kills them if the harness
//!    itself is killed or aborts.
//!
//! Used by the test harness and `make dev` (sellout-e2e) and by the
//! operator's Local worker runtime.
#![allow(unsafe_code)] // fork-time prctl and atexit need libc calls

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Why a child process could not be started or did not become ready.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// A file-system or process operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The OS error.
        source: io::Error,
    },
    /// The process exited.
    #[error("{name} exited with {status}; last lines of {log}:\n{tail}", log = log.display())]
    Exited {
        /// Component.
        name: String,
        /// Exit status.
        status: String,
        /// Its log file.
        log: PathBuf,
        /// Last lines of the log.
        tail: String,
    },
    /// The process did not become ready in time.
    #[error("{name} was not ready after {secs}s (last probe: {last_error}); last lines of {log}:\n{tail}", log = log.display())]
    NotReady {
        /// Component.
        name: String,
        /// How long we waited.
        secs: u64,
        /// The last readiness probe's error.
        last_error: String,
        /// Its log file.
        log: PathBuf,
        /// Last lines of the log.
        tail: String,
    },
}

impl ProcessError {
    fn io(what: impl Into<String>, source: io::Error) -> Self {
        ProcessError::Io {
            what: what.into(),
            source,
        }
    }

    /// The log tail of an exited or not-ready process ("" otherwise).
    pub fn log_tail(&self) -> &str {
        match self {
            ProcessError::Exited { tail, .. } | ProcessError::NotReady { tail, .. } => tail,
            ProcessError::Io { .. } => "",
        }
    }
}

type Error = ProcessError;

/// A running child process with its log file.
#[derive(Debug)]
pub struct Process {
    name: String,
    pid: u32,
    child: Mutex<Option<Child>>,
    log: PathBuf,
}

impl Process {
    /// Starts `cmd` with stdout and stderr appended to `log`. `name` is used
    /// in errors (e.g. `"kube-apiserver"`).
    pub fn spawn(name: &str, mut cmd: Command, log: &Path) -> Result<Self, Error> {
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        }
        let out = File::options()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| Error::io(format!("open log {}", log.display()), e))?;
        let err = out
            .try_clone()
            .map_err(|e| Error::io("clone log handle", e))?;
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        let program = cmd.get_program().to_string_lossy().into_owned();
        let child =
            spawner_spawn(cmd).map_err(|e| Error::io(format!("start {name} ({program})"), e))?;
        let pid = child.id();
        live().lock().unwrap_or_else(|p| p.into_inner()).push(pid);
        tracing::debug!(name, pid, log = %log.display(), "started");
        Ok(Self {
            name: name.to_owned(),
            pid,
            child: Mutex::new(Some(child)),
            log: log.to_owned(),
        })
    }

    /// The component's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Path of the log file that receives the child's output.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// `Some(status)` once the child has exited.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        let mut guard = self.child.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(child) => child.try_wait().ok().flatten(),
            None => None,
        }
    }

    /// The last `n` lines of the log.
    pub fn tail(&self, n: usize) -> String {
        tail_file(&self.log, n)
    }

    /// An error for a child that exited while it should be running.
    pub fn exited_error(&self, status: ExitStatus) -> Error {
        Error::Exited {
            name: self.name.clone(),
            status: status.to_string(),
            log: self.log.clone(),
            tail: self.tail(25),
        }
    }

    /// Stops the child: SIGTERM, then SIGKILL after `grace`. Idempotent.
    pub fn stop(&self, grace: Duration) {
        let mut guard = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(mut child) = guard.take() {
            terminate(self.pid, &mut child, grace);
            forget_pid(self.pid);
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(5));
    }
}

fn terminate(pid: u32, child: &mut Child, grace: Duration) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    // SAFETY: sending a signal to our own child's pid, which we have not yet
    // reaped, so it cannot have been reused.
    unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Polls `probe` until it succeeds, failing early with the child's log when
/// the child exits, and with a timeout error naming the component.
pub async fn wait_ready<T, E, F, Fut>(
    proc: &Process,
    timeout: Duration,
    mut probe: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let start = Instant::now();
    let mut last_err: String;
    loop {
        if let Some(status) = proc.exit_status() {
            return Err(proc.exited_error(status));
        }
        match tokio::time::timeout(Duration::from_secs(5), probe()).await {
            Ok(Ok(v)) => return Ok(v),
            Ok(Err(e)) => last_err = e.to_string(),
            Err(_) => last_err = "probe timed out after 5s".into(),
        }
        if start.elapsed() > timeout {
            return Err(Error::NotReady {
                name: proc.name().to_owned(),
                secs: timeout.as_secs(),
                last_error: last_err,
                log: proc.log_path().to_owned(),
                tail: proc.tail(25),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The last `n` lines of a text file ("" when it cannot be read).
pub fn tail_file(path: &Path, n: usize) -> String {
    let Ok(f) = File::open(path) else {
        return String::new();
    };
    let mut lines = VecDeque::with_capacity(n + 1);
    for line in BufReader::new(f).lines().map_while(Result::ok) {
        lines.push_back(line);
        if lines.len() > n {
            lines.pop_front();
        }
    }
    Vec::from(lines).join("\n")
}

// ---- the spawner thread ------------------------------------------------------

type SpawnRequest = (Command, mpsc::Sender<io::Result<Child>>);

/// Spawns `cmd` from the long-lived spawner thread. `PR_SET_PDEATHSIG` fires
/// when the *thread* that forked the child exits, so children must not be
/// forked from short-lived test threads.
fn spawner_spawn(cmd: Command) -> io::Result<Child> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<SpawnRequest>>> = OnceLock::new();
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        std::thread::Builder::new()
            .name("sellout-e2e-spawner".into())
            .spawn(move || {
                for (cmd, reply) in rx {
                    let _ = reply.send(spawn_with_parent_death_signal(cmd));
                }
            })
            .expect("start the spawner thread");
        install_exit_handler();
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    tx.lock()
        .unwrap_or_else(|p| p.into_inner())
        .send((cmd, reply_tx))
        .map_err(|_| io::Error::other("spawner thread is gone"))?;
    reply_rx
        .recv()
        .map_err(|_| io::Error::other("spawner thread is gone"))?
}

fn spawn_with_parent_death_signal(mut cmd: Command) -> io::Result<Child> {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: only async-signal-safe libc calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            // Own process group: a Ctrl-C in the terminal reaches only the
            // harness, which then stops the children in order.
            if libc::setpgid(0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn()
}

// ---- cleanup at exit ---------------------------------------------------------

fn live() -> &'static Mutex<Vec<u32>> {
    static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());
    &LIVE
}

fn forget_pid(pid: u32) {
    live()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .retain(|p| *p != pid);
}

fn dirs_to_remove() -> &'static Mutex<Vec<PathBuf>> {
    static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    &DIRS
}

/// Removes `dir` when the process exits (after its children are stopped).
pub fn remove_at_exit(dir: PathBuf) {
    install_exit_handler();
    dirs_to_remove()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(dir);
}

fn install_exit_handler() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // SAFETY: registering a plain extern "C" function.
        unsafe { libc::atexit(at_exit) };
    });
}

extern "C" fn at_exit() {
    stop_all_children();
    if let Ok(dirs) = dirs_to_remove().try_lock() {
        for d in dirs.iter() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// Stops every child still recorded as live: SIGTERM to all, up to three
/// seconds to exit, then SIGKILL. Safe to call more than once.
pub fn stop_all_children() {
    let pids: Vec<u32> = match live().try_lock() {
        Ok(mut l) => std::mem::take(&mut *l),
        Err(_) => return,
    };
    for &pid in &pids {
        // SAFETY: signalling our own unreaped children.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
    }
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut remaining = pids;
    while !remaining.is_empty() && Instant::now() < deadline {
        remaining.retain(|&pid| {
            let mut status = 0;
            // SAFETY: reaping our own child; returns 0 while it still runs.
            let r = unsafe { libc::waitpid(pid as libc::pid_t, &mut status, libc::WNOHANG) };
            r == 0
        });
        std::thread::sleep(Duration::from_millis(20));
    }
    for pid in remaining {
        // SAFETY: as above.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGKILL);
            libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0);
        }
    }
}

/// Whether a process with this pid exists (used to find stale run dirs).
pub fn pid_alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}
