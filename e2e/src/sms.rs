//! An SMS sink: a local stand-in for a Twilio-style SMS API that keeps
//! every text it is sent, for tests to read (and people in `make dev`:
//! `GET /messages`, and one line per text in `texts.log`).
//!
//! It answers like the real API: `POST
//! /2010-04-01/Accounts/{sid}/Messages.json` with form fields `To`,
//! `From`, `Body` and HTTP basic auth `sid:token`; 201 with a message
//! `sid`, 401 for other credentials, 400 (code 21211) for a `To` that is
//! not E.164. It runs in this process, on a thread of its own, so it
//! outlives the Tokio runtime of the test that started it.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use base64::Engine;
use serde::Serialize;

use crate::{Error, Port, Result};

/// The account id the sink accepts.
pub const ACCOUNT_SID: &str = "ACsellouttest";
/// The token the sink accepts.
pub const TOKEN: &str = "sellout-sms-sink-token";
/// The sending number texts come from.
pub const FROM: &str = "+15005550006";

/// One text the sink took.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The message id the sink answered with (`SM…`).
    pub sid: String,
    /// Recipient (E.164).
    pub to: String,
    /// Sender.
    pub from: String,
    /// The text.
    pub body: String,
}

struct Inner {
    texts: Mutex<Vec<Text>>,
    log: Option<PathBuf>,
}

/// A running SMS sink.
pub struct SmsSink {
    base_url: String,
    token_file: PathBuf,
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SmsSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSink")
            .field("base_url", &self.base_url)
            .finish()
    }
}

fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (7..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

async fn messages(
    State(inner): State<Arc<Inner>>,
    UrlPath(sid): UrlPath<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> (StatusCode, String) {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{TOKEN}"))
    );
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if sid != ACCOUNT_SID || auth != expected {
        return (
            StatusCode::UNAUTHORIZED,
            r#"{"code": 20003, "message": "Authenticate", "status": 401}"#.into(),
        );
    }
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let to = field("To");
    if !is_e164(&to) {
        return (
            StatusCode::BAD_REQUEST,
            r#"{"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}"#.into(),
        );
    }
    let mut texts = inner.texts.lock().unwrap_or_else(|e| e.into_inner());
    let text = Text {
        sid: format!("SM{:032}", texts.len() + 1),
        to,
        from: field("From"),
        body: field("Body"),
    };
    if let Some(log) = &inner.log
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
    {
        let _ = writeln!(f, "{} -> {}: {}", text.from, text.to, text.body);
    }
    let answer = serde_json::json!({"sid": text.sid, "status": "queued", "to": text.to});
    texts.push(text);
    (StatusCode::CREATED, answer.to_string())
}

async fn list(State(inner): State<Arc<Inner>>) -> axum::Json<Vec<Text>> {
    axum::Json(
        inner
            .texts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    )
}

impl SmsSink {
    /// Starts the sink on `port`, its token file and text log in `dir`.
    pub fn start(dir: &Path, port: Port) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let token_file = dir.join("token");
        std::fs::write(&token_file, TOKEN)
            .map_err(|e| Error::io(format!("write {}", token_file.display()), e))?;
        let listener = match TcpListener::bind(("127.0.0.1", port.pick()?)) {
            Ok(l) => l,
            Err(_) => TcpListener::bind(("127.0.0.1", 0))
                .map_err(|e| Error::io("bind the SMS sink", e))?,
        };
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io("read the SMS sink's port", e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("SMS sink listener", e))?;
        let inner = Arc::new(Inner {
            texts: Mutex::new(Vec::new()),
            log: Some(dir.join("texts.log")),
        });
        let app = Router::new()
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(messages))
            .route("/messages", get(list))
            .with_state(inner.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("SMS sink runtime", e))?;
        std::thread::Builder::new()
            .name("sms-sink".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)
                        .expect("a bound listener converts");
                    let _ = axum::serve(listener, app).await;
                });
            })
            .map_err(|e| Error::io("start the SMS sink thread", e))?;
        Ok(Self {
            base_url: format!("http://{addr}"),
            token_file,
            inner,
        })
    }

    /// The API base URL (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The file holding the token the sink accepts.
    pub fn token_file(&self) -> &Path {
        &self.token_file
    }

    /// The environment that points a Sellout binary at this sink
    /// (`SELLOUT_SMS_API_BASE`, `…_ACCOUNT_SID`, `…_TOKEN_FILE`, `…_FROM`).
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("SELLOUT_SMS_API_BASE".into(), self.base_url.clone()),
            ("SELLOUT_SMS_ACCOUNT_SID".into(), ACCOUNT_SID.into()),
            (
                "SELLOUT_SMS_TOKEN_FILE".into(),
                self.token_file.to_string_lossy().into_owned(),
            ),
            ("SELLOUT_SMS_FROM".into(), FROM.into()),
        ]
    }

    /// Every text taken so far to `to`, oldest first.
    pub fn texts_to(&self, to: &str) -> Vec<Text> {
        self.inner
            .texts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|t| t.to == to)
            .cloned()
            .collect()
    }

    /// Waits until at least `n` texts to `to` have arrived and returns
    /// them (oldest first); an error naming the number after `timeout`.
    pub async fn wait_for(&self, to: &str, n: usize, timeout: Duration) -> Result<Vec<Text>> {
        let start = Instant::now();
        loop {
            let got = self.texts_to(to);
            if got.len() >= n {
                return Ok(got);
            }
            if start.elapsed() > timeout {
                return Err(Error::other(format!(
                    "{} text(s) to {to} arrived within {}s, expected {n}",
                    got.len(),
                    timeout.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
