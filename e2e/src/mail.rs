//! mailpit: an SMTP sink that keeps every message it receives and lets
//! tests read them over its HTTP API (and people through its web UI in
//! `make dev`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// A running mailpit.
#[derive(Debug)]
pub struct MailSink {
    proc: Process,
    smtp_port: u16,
    http_url: String,
    http: reqwest::Client,
}

/// A name and address as mailpit reports them.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Address {
    /// Display name (may be empty).
    pub name: String,
    /// The e-mail address.
    pub address: String,
}

/// A MIME part kept by mailpit (attachment or inline image).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Part {
    /// Id to fetch the part with [`MailSink::part`].
    #[serde(rename = "PartID")]
    pub part_id: String,
    /// File name, if any.
    pub file_name: String,
    /// MIME type.
    pub content_type: String,
    /// `Content-ID` of inline parts (what `cid:` URLs refer to).
    #[serde(rename = "ContentID")]
    pub content_id: String,
}

/// One received message.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Message {
    /// mailpit's id.
    #[serde(rename = "ID")]
    pub id: String,
    /// Sender.
    pub from: Address,
    /// Recipients.
    pub to: Vec<Address>,
    /// Subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    #[serde(rename = "HTML")]
    pub html: String,
    /// Attachments.
    #[serde(default)]
    pub attachments: Vec<Part>,
    /// Inline parts (e.g. QR images referenced by `cid:`).
    #[serde(default)]
    pub inline: Vec<Part>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Summary {
    #[serde(rename = "ID")]
    id: String,
    to: Vec<Address>,
}

#[derive(Deserialize)]
struct List {
    messages: Vec<Summary>,
}

impl MailSink {
    /// Starts mailpit with its database under `dir`.
    pub async fn start(dir: &Path, smtp: Port, http: Port) -> Result<Self> {
        let bin = tools::binary("mailpit", "mailpit")?;
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        start_retrying_ports(smtp, |smtp| {
            let (bin, dir) = (bin.clone(), dir.to_owned());
            async move { start_once(&bin, &dir, smtp, http).await }
        })
        .await
    }

    /// SMTP host to send to (always `127.0.0.1`).
    pub fn smtp_host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// SMTP port (plain SMTP, no auth, no TLS).
    pub fn smtp_port(&self) -> u16 {
        self.smtp_port
    }

    /// The web UI and API base URL.
    pub fn http_url(&self) -> &str {
        &self.http_url
    }

    /// GETs `url`, sending again when the request could not be sent (a
    /// pooled connection mailpit closed meanwhile); HTTP answers are
    /// returned as they are.
    async fn send(&self, url: &str) -> Result<reqwest::Response> {
        let mut attempt = 1;
        loop {
            match self.http.get(url).send().await {
                Ok(r) => return Ok(r),
                Err(e) if attempt < 3 && !e.is_timeout() => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(Error::other(format!("GET {url}: {e}"))),
            }
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let url = format!("{}{path}", self.http_url);
        let r = self.send(&url).await?;
        if !r.status().is_success() {
            return Err(Error::other(format!("GET {url}: {}", r.status())));
        }
        r.json()
            .await
            .map_err(|e| Error::other(format!("GET {url}: bad JSON: {e}")))
    }

    /// Every message received so far to `to` (case-insensitive), newest first.
    pub async fn messages_to(&self, to: &str) -> Result<Vec<Message>> {
        let list: List = self.get("/api/v1/messages?limit=1000").await?;
        let mut out = Vec::new();
        for s in list.messages {
            if s.to.iter().any(|a| a.address.eq_ignore_ascii_case(to)) {
                out.push(self.message(&s.id).await?);
            }
        }
        Ok(out)
    }

    /// One message with its bodies and parts.
    pub async fn message(&self, id: &str) -> Result<Message> {
        self.get(&format!("/api/v1/message/{id}")).await
    }

    /// The raw bytes of a part (attachment or inline image).
    pub async fn part(&self, message_id: &str, part_id: &str) -> Result<Vec<u8>> {
        let url = format!(
            "{}/api/v1/message/{message_id}/part/{part_id}",
            self.http_url
        );
        let r = self.send(&url).await?;
        Ok(r.bytes()
            .await
            .map_err(|e| Error::other(format!("GET {url}: {e}")))?
            .to_vec())
    }

    /// Waits until at least `n` messages to `to` have arrived and returns
    /// them (newest first); an error naming the address after `timeout`.
    pub async fn wait_for(&self, to: &str, n: usize, timeout: Duration) -> Result<Vec<Message>> {
        let start = Instant::now();
        loop {
            let got = self.messages_to(to).await?;
            if got.len() >= n {
                return Ok(got);
            }
            if start.elapsed() > timeout {
                return Err(Error::other(format!(
                    "{} message(s) to {to} arrived within {}s, expected {n}",
                    got.len(),
                    timeout.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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

async fn start_once(bin: &Path, dir: &Path, smtp: Port, http: Port) -> Result<MailSink> {
    let smtp_port = smtp.pick()?;
    let http_port = http.pick()?;
    let mut cmd = Command::new(bin);
    cmd.args(["--smtp", &format!("127.0.0.1:{smtp_port}")])
        .args(["--listen", &format!("127.0.0.1:{http_port}")])
        .arg("--database")
        .arg(dir.join("mailpit.db"))
        .args(["--max", "0"])
        .arg("--smtp-auth-accept-any")
        .arg("--smtp-auth-allow-insecure")
        .arg("--disable-version-check");
    let proc = Process::spawn("mailpit", cmd, &dir.join("mailpit.log"))?;
    let http_url = format!("http://127.0.0.1:{http_port}");
    let client = reqwest::Client::new();
    let probe = format!("{http_url}/readyz");
    wait_ready(&proc, Duration::from_secs(30), || {
        let (client, probe) = (client.clone(), probe.clone());
        async move {
            let r = client.get(&probe).send().await.map_err(|e| e.to_string())?;
            if r.status().is_success() {
                Ok(())
            } else {
                Err(format!("/readyz answered {}", r.status()))
            }
        }
    })
    .await?;
    // mailpit answers /readyz before its SMTP listener is up.
    wait_ready(&proc, Duration::from_secs(30), || async move {
        tokio::net::TcpStream::connect(("127.0.0.1", smtp_port))
            .await
            .map(|_| ())
    })
    .await?;
    Ok(MailSink {
        proc,
        smtp_port,
        http_url,
        http: client,
    })
}
