//! Child processes that never outlive the harness.
//!
//! Every component runs as a child process whose output goes to a log file.
//! Three layers make sure none is left behind:
//! 1. [`Process`] stops its child's process group (SIGTERM, then SIGKILL)
//!    when dropped;
//! 2. components shared by a whole test binary live in statics, which Rust
//!    never drops, so every live child is also recorded here and stopped by
//!    an `atexit` handler when the process exits normally (the test harness
//!    exits this way even when tests panic);
//! 3. children are spawned from one long-lived thread with
//!    `PR_SET_PDEATHSIG = SIGKILL`, so the kernel kills them if the harness
//!    itself is killed or aborts.
//!
//! Each child leads its own process group, and stopping it signals the whole
//! group, so its own children die with it. A pid is signalled only while the
//! child is not yet reaped (so its pid and group id cannot have been reused):
//! once its exit status has been collected it is forgotten.
//!
//! Used by the test harness and `make dev` (sellout-e2e) and by the
//! operator's Local worker runtime.
#![allow(unsafe_code)] // fork-time prctl and atexit need libc calls

use std::collections::{HashSet, VecDeque};
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
    child: Mutex<ChildState>,
    log: PathBuf,
}

#[derive(Debug)]
enum ChildState {
    /// Not reaped yet (it may have exited): its pid is still ours.
    Running(Child),
    /// Reaped, with this status. Its pid may belong to another process now.
    Exited(ExitStatus),
    /// Reaped by someone else ([`stop_all_children`]), status unknown.
    Lost,
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
            child: Mutex::new(ChildState::Running(child)),
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

    /// `Some(status)` once the child has exited (and from then on). Observing
    /// the exit kills what is left of its process group, reaps the child and
    /// forgets its pid, which nothing signals afterwards.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        let mut state = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if let ChildState::Running(child) = &mut *state {
            if leader_state(self.pid) == Leader::Running {
                return None;
            }
            // Whatever the child started in its group dies with it: the
            // group id stays valid until the child (a zombie now) is reaped,
            // and afterwards nothing could find those processes again.
            signal_group(self.pid, libc::SIGKILL);
            // Forgotten before it is reaped, so the exit handler never sees
            // a reaped pid.
            forget_pid(self.pid);
            *state = match child.try_wait() {
                Ok(Some(status)) => ChildState::Exited(status),
                _ => ChildState::Lost,
            };
        }
        match *state {
            ChildState::Exited(status) => Some(status),
            ChildState::Running(_) | ChildState::Lost => None,
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

    /// Stops the child and the rest of its process group: SIGTERM, then
    /// SIGKILL to whatever is left after `grace`. Idempotent; a child that
    /// has already been reaped is not signalled.
    pub fn stop(&self, grace: Duration) {
        let mut state = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if let ChildState::Running(child) = &mut *state {
            stop_groups(&[self.pid], grace);
            forget_pid(self.pid);
            *state = match child.wait() {
                Ok(status) => ChildState::Exited(status),
                Err(_) => ChildState::Lost,
            };
        }
    }
}

impl Process {
    /// Kills the child and the rest of its process group with SIGKILL at
    /// once (a crash: no chance to flush or say goodbye), and reaps it.
    /// Idempotent, like [`Process::stop`].
    pub fn kill(&self) {
        {
            let state = self.child.lock().unwrap_or_else(|p| p.into_inner());
            if matches!(&*state, ChildState::Running(_)) {
                signal_group(self.pid, libc::SIGKILL);
            }
        }
        self.stop(Duration::ZERO);
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(5));
    }
}

/// The state of one of our children, observed without reaping it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leader {
    Running,
    /// Exited but not reaped: a zombie, which keeps its pid and its process
    /// group id from being reused.
    Exited,
    /// Not our unreaped child (already reaped): must not be signalled.
    Gone,
}

fn leader_state(pid: u32) -> Leader {
    // SAFETY: an all-zero siginfo_t is valid; waitid with WNOWAIT only
    // reads the child's state and leaves it waitable.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let r = unsafe {
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        )
    };
    if r != 0 {
        Leader::Gone
    // SAFETY: waitid filled `info` (si_pid is 0 while the child runs).
    } else if unsafe { info.si_pid() } == 0 {
        Leader::Running
    } else {
        Leader::Exited
    }
}

/// Sends `sig` to the process group led by our unreaped child `pid` (its
/// group id is its pid: children call `setpgid(0, 0)`).
fn signal_group(pid: u32, sig: libc::c_int) {
    let pid = pid as libc::pid_t;
    // SAFETY: `pid` is our unreaped child, so neither it nor its group id
    // can have been reused.
    unsafe {
        libc::kill(-pid, sig);
        // A child that moved to another group is signalled by itself.
        if libc::getpgid(pid) != pid {
            libc::kill(pid, sig);
        }
    }
}

/// Process groups that still have a member that is not a zombie.
fn groups_with_live_members() -> HashSet<u32> {
    let mut groups = HashSet::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return groups;
    };
    for e in entries.flatten() {
        if !e
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp ...", where comm may contain anything.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1).and_then(|g| g.parse().ok());
        if let (Some(state), Some(pgrp)) = (state, pgrp)
            && state != "Z"
            && state != "X"
        {
            groups.insert(pgrp);
        }
    }
    groups
}

/// Stops the process groups led by our unreaped children `pids`: SIGTERM to
/// each group, up to `grace` for each leader and the rest of its group to
/// exit, then SIGKILL to each group (which reaches whatever ignored SIGTERM
/// or outlived its leader). Does not reap the leaders: until they are
/// reaped, their group ids cannot be reused.
fn stop_groups(pids: &[u32], grace: Duration) {
    let pids: Vec<u32> = pids
        .iter()
        .copied()
        .filter(|&pid| leader_state(pid) != Leader::Gone)
        .collect();
    for &pid in &pids {
        signal_group(pid, libc::SIGTERM);
    }
    let deadline = Instant::now() + grace;
    let mut waiting = pids.clone();
    while !waiting.is_empty() && Instant::now() < deadline {
        // A leader that has exited is waited for until the rest of its
        // group has gone too (one scan of /proc per round, only then).
        let mut live_groups = None;
        waiting.retain(|&pid| {
            leader_state(pid) == Leader::Running
                || live_groups
                    .get_or_insert_with(groups_with_live_members)
                    .contains(&pid)
        });
        if !waiting.is_empty() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    for &pid in &pids {
        signal_group(pid, libc::SIGKILL);
    }
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

/// Stops every child still recorded as live, with its process group:
/// SIGTERM to all, up to three seconds to exit, then SIGKILL. Children are
/// reaped here, so a [`Process`] whose child was stopped this way reports
/// no exit status. Meant for exit; safe to call more than once.
pub fn stop_all_children() {
    let pids: Vec<u32> = match live().try_lock() {
        Ok(mut l) => std::mem::take(&mut *l),
        Err(_) => return,
    };
    stop_groups(&pids, Duration::from_secs(3));
    for pid in pids {
        // SAFETY: reaping our own child (ECHILD if it is not one any more).
        unsafe { libc::waitpid(pid as libc::pid_t, std::ptr::null_mut(), 0) };
    }
}

/// Whether a process with this pid exists (used to find stale run dirs).
pub fn pid_alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks for existence.
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spawn_sh(dir: &Path, script: &str) -> Process {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script).current_dir(dir);
        Process::spawn("sh", cmd, &dir.join("sh.log")).unwrap()
    }

    fn test_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "sellout-common-process-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn is_live(pid: u32) -> bool {
        live()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&pid)
    }

    /// Whether `pid` runs (a zombie awaiting its new parent does not count).
    fn running(pid: u32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => {
                let state = stat[stat.rfind(')').unwrap() + 1..]
                    .split_whitespace()
                    .next();
                !matches!(state, Some("Z" | "X"))
            }
            Err(_) => false,
        }
    }

    /// The pid the script wrote into `file`, once it has.
    fn read_pid(file: &Path) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(s) = std::fs::read_to_string(file)
                && let Ok(pid) = s.trim().parse()
            {
                return pid;
            }
            assert!(Instant::now() < deadline, "no pid in {}", file.display());
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_until(what: &str, cond: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !cond() {
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn an_observed_exit_forgets_the_pid_and_stays_observable() {
        let dir = test_dir("exit");
        let proc = spawn_sh(&dir, "exit 3");
        assert!(is_live(proc.pid()));
        wait_until("the child exits", || proc.exit_status().is_some());
        // Reaped: the exit handler must not signal this pid any more.
        assert!(!is_live(proc.pid()));
        // wait_ready polls this: the exit stays visible after reaping, and
        // after a stop (which signals nothing).
        assert_eq!(proc.exit_status().and_then(|s| s.code()), Some(3));
        proc.stop(Duration::from_secs(1));
        assert_eq!(proc.exit_status().and_then(|s| s.code()), Some(3));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn stop_reaps_and_forgets() {
        let dir = test_dir("stop");
        let proc = spawn_sh(&dir, "exec sleep 600");
        assert_eq!(proc.exit_status(), None);
        proc.stop(Duration::from_secs(5));
        assert!(!is_live(proc.pid()));
        assert!(!running(proc.pid()));
        let status = proc.exit_status().expect("status after stop");
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(libc::SIGTERM)
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn stop_terminates_the_whole_process_group() {
        let dir = test_dir("group");
        // The grandchild would outlive a SIGTERM sent to the shell alone.
        let proc = spawn_sh(&dir, "sleep 600 & echo $! > grandchild; wait");
        let grandchild = read_pid(&dir.join("grandchild"));
        assert!(running(grandchild));
        let started = Instant::now();
        proc.stop(Duration::from_secs(5));
        assert!(started.elapsed() < Duration::from_secs(4), "needed SIGKILL");
        wait_until("the grandchild is gone", || !running(grandchild));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn stop_kills_group_members_that_ignore_sigterm() {
        let dir = test_dir("ignore");
        // The shell exits on SIGTERM; its child ignores it (from before it
        // writes its pid) and stays.
        let proc = spawn_sh(
            &dir,
            r#"sh -c 'trap "" TERM; echo $$ > grandchild; exec sleep 600' & wait"#,
        );
        let grandchild = read_pid(&dir.join("grandchild"));
        let started = Instant::now();
        proc.stop(Duration::from_millis(500));
        assert!(started.elapsed() >= Duration::from_millis(500));
        wait_until("the grandchild is gone", || !running(grandchild));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_exited_child_takes_its_group_with_it() {
        let dir = test_dir("orphan");
        // The shell exits at once; the sleep it started would be orphaned.
        let proc = spawn_sh(&dir, "sleep 600 & echo $! > grandchild; exit 0");
        let grandchild = read_pid(&dir.join("grandchild"));
        wait_until("the child exits", || proc.exit_status().is_some());
        wait_until("the grandchild is gone", || !running(grandchild));
        let _ = std::fs::remove_dir_all(dir);
    }
}
