//! Where the harness finds the component binaries.
//!
//! `scripts/tools.sh` (run by `make tools`, `make dev` and `make test`)
//! builds them into `$SELLOUT_CACHE/bin` (default `~/.cache/sellout/bin`).
//! Any single binary can be replaced for an experiment by setting
//! `SELLOUT_BIN_<NAME>` (upper case, `-` as `_`), e.g.
//! `SELLOUT_BIN_NATS_SERVER=/bin/false` to see how a broken NATS shows up.

use std::path::PathBuf;

use crate::{Error, Result};

/// The tool cache directory.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SELLOUT_CACHE") {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    base.join("sellout")
}

/// The path of tool `name` (e.g. `"kube-apiserver"`), which
/// `scripts/tools.sh <step>` provides; an error naming the fix if it is
/// missing.
pub fn binary(name: &str, step: &str) -> Result<PathBuf> {
    let var = format!("SELLOUT_BIN_{}", name.to_uppercase().replace('-', "_"));
    let path = match std::env::var_os(&var) {
        Some(p) => PathBuf::from(p),
        None => cache_dir().join("bin").join(name),
    };
    if path.is_file() {
        Ok(path)
    } else {
        Err(Error::MissingTool {
            name: name.to_owned(),
            path,
            step: step.to_owned(),
        })
    }
}
