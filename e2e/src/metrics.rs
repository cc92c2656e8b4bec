//! Reading a binary's `/metrics` the way Prometheus does: the text goes
//! through the Prometheus project's own OpenMetrics parser
//! (`prometheus_client.openmetrics.parser`, Python, in the `promparse`
//! step of `scripts/tools.sh`; `e2e/tools/parse-metrics.py`), which
//! refuses anything malformed, and the families come back for the test to
//! look at.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::{Error, Result};

/// One sample line.
#[derive(Clone, Debug, Deserialize)]
pub struct Sample {
    /// Its name (`…_total`, `…_bucket`, …).
    pub name: String,
    /// Its labels.
    pub labels: BTreeMap<String, String>,
    /// Its value.
    pub value: f64,
}

/// One metric family.
#[derive(Clone, Debug, Deserialize)]
pub struct Family {
    /// Its name (without `_total`).
    pub name: String,
    /// `counter`, `gauge`, `histogram`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Its HELP text.
    pub help: String,
    /// Its samples.
    pub samples: Vec<Sample>,
}

/// A parsed exposition.
#[derive(Clone, Debug)]
pub struct Metrics(pub Vec<Family>);

impl Metrics {
    /// The family named `name`.
    pub fn family(&self, name: &str) -> Option<&Family> {
        self.0.iter().find(|f| f.name == name)
    }

    /// The sum of the samples named `sample` whose labels include all of
    /// `labels` (0 when there are none).
    pub fn sum(&self, sample: &str, labels: &[(&str, &str)]) -> f64 {
        self.0
            .iter()
            .flat_map(|f| &f.samples)
            .filter(|s| s.name == sample)
            .filter(|s| {
                labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
            })
            .map(|s| s.value)
            .sum()
    }
}

/// Parses `text` with Prometheus's OpenMetrics parser; an error with the
/// parser's message when it is not valid.
pub fn parse(text: &str) -> Result<Metrics> {
    let python = crate::tools::binary("metrics-python", "promparse")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/parse-metrics.py");
    let mut child = Command::new(python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("run the metrics parser", e))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("write to the metrics parser", e))?;
    let out = child
        .wait_with_output()
        .map_err(|e| Error::io("run the metrics parser", e))?;
    if !out.status.success() {
        return Err(Error::other(format!(
            "{}\n--- the exposition ---\n{text}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    serde_json::from_slice(&out.stdout)
        .map(Metrics)
        .map_err(|e| Error::other(format!("the metrics parser's answer: {e}")))
}

/// `GET url` (a `/metrics`), parsed with [`parse`].
pub async fn scrape(url: &str) -> Result<Metrics> {
    let resp = reqwest::get(url)
        .await
        .map_err(|e| Error::other(format!("GET {url}: {e}")))?;
    if !resp.status().is_success() {
        return Err(Error::other(format!("GET {url}: {}", resp.status())));
    }
    let text = resp
        .text()
        .await
        .map_err(|e| Error::other(format!("GET {url}: {e}")))?;
    parse(&text)
}
