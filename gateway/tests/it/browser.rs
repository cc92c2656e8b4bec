//! Runs a browser test script (`node <script> <fixture.json>`, Playwright
//! driving Debian's Chromium) and checks its summary.

use std::path::Path;
use std::time::Duration;

/// Runs `script` (relative to the repository root) with `fixture`; its
/// output goes straight to the terminal, past the test harness's capture,
/// so that the runner's summary line (`N passed, M failed`) is counted
/// with the other tests. Panics unless it ran at least one test and none
/// failed.
pub(crate) async fn run(script: &str, fixture: &Path, what: &str) {
    // One Chromium at a time: two at once on two cores starve the other
    // tests' servers (answers meant to come within a second do not).
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = tokio::time::timeout(
        Duration::from_secs(900),
        tokio::process::Command::new("node")
            .arg(script)
            .arg(fixture)
            .current_dir(&root)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .unwrap_or_else(|_| panic!("{what}'s browser tests finish within 15 minutes"))
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(stdout.as_bytes());
        let _ = out.flush();
    }
    let summary = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert!(
        out.status.success() && summary.ends_with(" 0 failed") && !summary.starts_with("0 passed"),
        "{what}'s browser tests failed ({summary}):\n{stdout}\n{stderr}"
    );
}
