//! localstripe: a stateful fake of the Stripe API, for tests and `make dev`.
//!
//! Started through `e2e/localstripe/launch.py` so that it binds to
//! 127.0.0.1 only and keeps its state in memory (tests) or in a file under
//! the dev data directory, never in the shared `/tmp/localstripe.pickle`.
//!
//! Known gaps of localstripe (keep requests within what it supports): it
//! rejects parameters it does not know; it has no Connect (the
//! `Stripe-Account` header is accepted but ignored: accounts are not
//! modelled and no application fee moves); it signs webhooks only when
//! configured through `/_config/webhooks/{id}`, and sends them to every
//! registered URL; a legacy Charge needs `source=pm_card_visa` (not
//! `tok_visa`).
//!
//! The launcher adds the Stripe behaviour Sellout's payment code relies on
//! (see `add_stripe_behaviour` and `idempotency_middleware` there):
//! idempotent replay per `Idempotency-Key` and account (answers of 2xx and
//! 402 kept, other parameters refused with `idempotency_error`); refunds
//! refused beyond what remains (`amount_too_large`,
//! `charge_already_refunded`) and a `charge.refunded` event per refund;
//! `application_fee_amount` accepted and returned on PaymentIntents,
//! `refund_application_fee` and `automatic_payment_methods` accepted and
//! ignored.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// The launcher script, written next to the instance's log.
const LAUNCHER: &str = include_str!("../localstripe/launch.py");

/// The secret key the harness uses; localstripe accepts any `sk_test_` key.
pub const SECRET_KEY: &str = "sk_test_sellout_localstripe";

/// A running localstripe.
#[derive(Debug)]
pub struct LocalStripe {
    proc: Process,
    url: String,
}

impl LocalStripe {
    /// Starts localstripe with its files under `dir`. State stays in memory
    /// unless [`start_persistent`](Self::start_persistent) is used.
    pub async fn start(dir: &Path, port: Port) -> Result<Self> {
        Self::start_inner(dir, port, false).await
    }

    /// Like [`start`](Self::start), keeping state in `dir/state.pickle`
    /// across restarts (`make dev`).
    pub async fn start_persistent(dir: &Path, port: Port) -> Result<Self> {
        Self::start_inner(dir, port, true).await
    }

    async fn start_inner(dir: &Path, port: Port, persistent: bool) -> Result<Self> {
        let bin = tools::binary("localstripe", "localstripe")?;
        // The venv's python sits next to its `localstripe` entry point.
        let venv_bin = std::fs::canonicalize(&bin)
            .map_err(|e| Error::io(format!("resolve {}", bin.display()), e))?
            .parent()
            .map(Path::to_path_buf)
            .ok_or_else(|| Error::other("localstripe has no parent directory"))?;
        let python = venv_bin.join("python3");
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let launcher = dir.join("launch.py");
        std::fs::write(&launcher, LAUNCHER)
            .map_err(|e| Error::io(format!("write {}", launcher.display()), e))?;
        start_retrying_ports(port, |port| {
            let (python, launcher, dir) = (python.clone(), launcher.clone(), dir.to_owned());
            async move {
                let port = port.pick()?;
                let mut cmd = Command::new(&python);
                cmd.arg(&launcher).args(["--port", &port.to_string()]);
                if persistent {
                    cmd.arg("--state-file").arg(dir.join("state.pickle"));
                }
                let proc = Process::spawn("localstripe", cmd, &dir.join("localstripe.log"))?;
                let url = format!("http://127.0.0.1:{port}");
                let probe = format!("{url}/v1/customers?limit=1");
                let http = reqwest::Client::new();
                wait_ready(&proc, Duration::from_secs(60), || {
                    let (http, probe) = (http.clone(), probe.clone());
                    async move {
                        let r = http
                            .get(&probe)
                            .bearer_auth(SECRET_KEY)
                            .send()
                            .await
                            .map_err(|e| e.to_string())?;
                        if r.status().is_success() {
                            Ok(())
                        } else {
                            Err(format!("GET /v1/customers answered {}", r.status()))
                        }
                    }
                })
                .await?;
                Ok(LocalStripe { proc, url })
            }
        })
        .await
    }

    /// Base URL, e.g. `http://127.0.0.1:8420` (Stripe's `https://api.stripe.com`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A Stripe client pointed at this localstripe, bound to the caller's
    /// Tokio runtime.
    pub fn client(&self) -> Result<stripe::Client> {
        stripe::ClientBuilder::new(SECRET_KEY)
            .url(format!("{}/", self.url))
            .build()
            .map_err(|e| Error::other(format!("build Stripe client: {e}")))
    }

    /// Makes localstripe deliver events to `url`, signed with `secret`
    /// (localstripe's own `/_config/webhooks/{id}` extension).
    pub async fn register_webhook(&self, id: &str, url: &str, secret: &str) -> Result<()> {
        let r = reqwest::Client::new()
            .post(format!("{}/_config/webhooks/{id}", self.url))
            .form(&[("url", url), ("secret", secret)])
            .send()
            .await
            .map_err(|e| Error::other(format!("register webhook: {e}")))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(Error::other(format!(
                "register webhook: localstripe answered {}",
                r.status()
            )))
        }
    }

    /// Every object of `resource` (`payment_intents`, `refunds`, …) it
    /// holds, following `starting_after` through every page.
    pub async fn list_all(&self, resource: &str) -> Result<Vec<serde_json::Value>> {
        let http = reqwest::Client::new();
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut url = format!("{}/v1/{resource}?limit=100", self.url);
            if let Some(a) = &after {
                url.push_str(&format!("&starting_after={a}"));
            }
            let page: serde_json::Value = http
                .get(&url)
                .bearer_auth(SECRET_KEY)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|e| Error::other(format!("GET {url}: {e}")))?
                .json()
                .await
                .map_err(|e| Error::other(format!("GET {url}: {e}")))?;
            let data = page["data"].as_array().cloned().unwrap_or_default();
            after = data
                .last()
                .and_then(|o| o["id"].as_str())
                .map(str::to_owned);
            out.extend(data);
            if page["has_more"] != true || after.is_none() {
                return Ok(out);
            }
        }
    }

    /// The PaymentIntents it holds for `order_id` (by Sellout's
    /// `order_id` metadata), by id.
    pub async fn intents_for(&self, order_id: &str) -> Result<Vec<String>> {
        Ok(self
            .list_all("payment_intents")
            .await?
            .iter()
            .filter(|pi| pi["metadata"]["order_id"] == order_id)
            .filter_map(|pi| pi["id"].as_str().map(str::to_owned))
            .collect())
    }

    /// Pays PaymentIntent `pi` with `card` (a test PaymentMethod such as
    /// `pm_card_visa`), as the buyer's browser does: sets it, then
    /// confirms. Returns the PaymentIntent as localstripe answers.
    pub async fn pay(&self, pi: &str, card: &str) -> Result<serde_json::Value> {
        let http = reqwest::Client::new();
        let url = format!("{}/v1/payment_intents/{pi}", self.url);
        http.post(&url)
            .bearer_auth(SECRET_KEY)
            .form(&[("payment_method", card)])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| Error::other(format!("POST {url}: {e}")))?;
        http.post(format!("{url}/confirm"))
            .bearer_auth(SECRET_KEY)
            .send()
            .await
            .map_err(|e| Error::other(format!("POST {url}/confirm: {e}")))?
            .json()
            .await
            .map_err(|e| Error::other(format!("POST {url}/confirm: {e}")))
    }

    /// The server process.
    pub fn process(&self) -> &Process {
        &self.proc
    }

    /// Stops the server.
    pub fn stop(&self) {
        self.proc.stop(Duration::from_secs(10));
    }
}
