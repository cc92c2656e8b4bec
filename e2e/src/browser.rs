//! Headless Chromium from Debian (`chromium`, installed by
//! `scripts/tools.sh chromium`). Browser tests of the web apps drive it with
//! Playwright; the harness itself only needs to load a page and read the
//! resulting DOM.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{Error, Result, tools};

/// Flags that keep Chromium quiet and self-contained on a machine whose only
/// network is loopback: without the background-networking flags it keeps
/// trying to reach Google's hosts.
pub const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// Where Chromium is, and a scratch directory for its profiles.
#[derive(Debug)]
pub struct Browser {
    chromium: PathBuf,
    chromedriver: Option<PathBuf>,
    scratch: PathBuf,
}

impl Browser {
    /// Finds Chromium in the tool cache (a link to `/usr/bin/chromium`).
    pub fn locate(scratch: &Path) -> Result<Self> {
        let chromium = tools::binary("chromium", "chromium")?;
        let chromedriver = tools::binary("chromedriver", "chromium").ok();
        std::fs::create_dir_all(scratch)
            .map_err(|e| Error::io(format!("create {}", scratch.display()), e))?;
        Ok(Browser {
            chromium,
            chromedriver,
            scratch: scratch.to_owned(),
        })
    }

    /// Path of the Chromium binary (for Playwright's `executablePath`).
    pub fn chromium(&self) -> &Path {
        &self.chromium
    }

    /// Path of chromedriver, if installed.
    pub fn chromedriver(&self) -> Option<&Path> {
        self.chromedriver.as_deref()
    }

    /// Loads `url` in a fresh headless Chromium with its own empty profile,
    /// lets scripts run, and returns the serialized DOM.
    pub async fn dump_dom(&self, url: &str) -> Result<String> {
        let profile = tempfile_dir(&self.scratch)?;
        let mut cmd = tokio::process::Command::new(&self.chromium);
        cmd.args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--virtual-time-budget=5000")
            .arg("--dump-dom")
            .arg(url)
            .kill_on_drop(true);
        let out = tokio::time::timeout(Duration::from_secs(60), cmd.output())
            .await
            .map_err(|_| Error::other(format!("chromium did not finish loading {url} within 60s")))?
            .map_err(|e| Error::io(format!("run {}", self.chromium.display()), e))?;
        let _ = std::fs::remove_dir_all(&profile);
        if !out.status.success() {
            return Err(Error::other(format!(
                "chromium exited with {} loading {url}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .rev()
                    .take(15)
                    .collect::<Vec<_>>()
                    .join("\n")
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn tempfile_dir(parent: &Path) -> Result<PathBuf> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = parent.join(format!("profile-{}", N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
    Ok(dir)
}
