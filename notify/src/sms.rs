//! Text messages to buyers through a Twilio-style HTTP API.
//!
//! [`SmsClient`] sends one message with `POST
//! {base}/2010-04-01/Accounts/{sid}/Messages.json`, form fields `To`,
//! `From` and `Body`, HTTP basic auth `sid:token`. The token is read from
//! a file ([`SmsConfig::token_file`]) and never logged (the client's
//! `Debug` hides it). Failures are typed ([`SmsError`]): a number the API
//! refuses is permanent, 429 and 5xx are retried.
//!
//! The workers' e-mail sender texts the buyer once per completed order
//! that has a phone number ([`order_text`]), exactly once as its mail is
//! (its sent log keeps a record per text); the gateway sends login codes.
//! See `docs/email.md`.
//!
//! Phone numbers are logged at debug level only; the API's error
//! messages are stored and logged with the number blanked.

use std::path::PathBuf;
use std::time::Duration;

/// Where and as whom to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsConfig {
    /// The API's base URL without a trailing path: `https://api.twilio.com`,
    /// or a relay's (`http://` for a local sink). HTTP(S)_PROXY is not used.
    pub base_url: String,
    /// PEM file of CAs trusted besides the system's (a private relay's).
    pub ca_file: Option<PathBuf>,
    /// The account SID (the basic-auth user and part of the path).
    pub account_sid: String,
    /// A file holding the auth token (surrounding whitespace ignored).
    pub token_file: PathBuf,
    /// The sending number (E.164) or alphanumeric sender id.
    pub from: String,
    /// The most one request may take.
    pub timeout: Duration,
    /// Which numbers may be texted and how many texts an hour.
    pub policy: SmsPolicy,
}

/// Limits against SMS toll fraud ("SMS pumping": making a platform text
/// premium-rate numbers that pay the attacker): texts go only to numbers
/// whose calling code is allowed, and at most so many an hour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsPolicy {
    /// E.164 prefixes that may be texted (`+44`, `+1`, `+353`); empty:
    /// every country (set it in production).
    pub allowed_prefixes: Vec<String>,
    /// Texts this process sends per hour at most, all numbers together;
    /// 0: none at all.
    pub per_hour: u32,
}

impl Default for SmsPolicy {
    fn default() -> Self {
        SmsPolicy {
            allowed_prefixes: Vec::new(),
            per_hour: 1_000,
        }
    }
}

impl SmsPolicy {
    /// Whether `to` (E.164) is in an allowed country.
    pub fn allows(&self, to: &str) -> bool {
        self.allowed_prefixes.is_empty() || self.allowed_prefixes.iter().any(|p| to.starts_with(p))
    }
}

/// The secret half of the basic auth; its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<hidden>)")
    }
}

/// Sends text messages: see the [module docs](self).
#[derive(Clone, Debug)]
pub struct SmsClient {
    http: Http,
    timeout: Duration,
    base_url: String,
    account_sid: String,
    token: Token,
    from: String,
    policy: SmsPolicy,
    budget: Option<std::sync::Arc<governor::DefaultDirectRateLimiter>>,
}

/// Why a text was not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The client's configuration is unusable (token file, base URL).
    #[error("SMS configuration: {0}")]
    Config(String),
    /// The buyer's number is not one we can text: not E.164, or refused
    /// as such by the API (e.g. Twilio 21211, 21614). Permanent.
    #[error("the buyer's number cannot be texted: {0}")]
    BadNumber(String),
    /// The API refused the request for another reason (4xx). Permanent.
    #[error("the SMS API refused the message ({status}, code {code}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The API's error code, 0 when none.
        code: i64,
        /// The API's message, the number blanked.
        message: String,
    },
    /// The API did not accept our credentials (401, 403) or does not know
    /// the account (404): a configuration a person fixes, so retried.
    #[error(
        "the SMS API refused our credentials or account ({status}): check the account SID and token"
    )]
    Unauthorized {
        /// HTTP status.
        status: u16,
    },
    /// Too many requests (429) or the API failed (5xx): retried.
    #[error("the SMS API is busy or failing ({status}): {message}")]
    Unavailable {
        /// HTTP status.
        status: u16,
        /// The API's message, if any.
        message: String,
    },
    /// No answer: connection refused, reset, timed out. Retried.
    #[error("reaching the SMS API: {0}")]
    Transport(String),
    /// The number's country is not on the allow-list. Permanent.
    #[error("texts to this number's country are not sent (SMS allow-list)")]
    NotAllowed,
    /// This hour's texts are used up (the budget against SMS toll fraud).
    /// Retried later.
    #[error("the hourly SMS budget is used up: texts resume within the hour")]
    OverBudget,
}

impl SmsError {
    /// Whether retrying cannot help (the text is recorded as failed).
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            SmsError::BadNumber(_) | SmsError::Refused { .. } | SmsError::NotAllowed
        )
    }

    /// A short label for metrics and logs.
    pub fn category(&self) -> &'static str {
        match self {
            SmsError::Config(_) => "config",
            SmsError::BadNumber(_) => "bad-number",
            SmsError::Refused { .. } => "refused",
            SmsError::Unauthorized { .. } => "unauthorized",
            SmsError::Unavailable { .. } => "unavailable",
            SmsError::Transport(_) => "transport",
            SmsError::NotAllowed => "not-allowed",
            SmsError::OverBudget => "over-budget",
        }
    }
}

/// Twilio error codes that say the `To` number cannot be texted (invalid,
/// unreachable, not mobile, opted out, region not allowed).
const BAD_NUMBER_CODES: [i64; 9] = [
    21211, 21214, 21217, 21401, 21407, 21408, 21610, 21612, 21614,
];

/// Whether `s` is an E.164 number: `+`, then 7 to 15 digits, the first
/// not 0.
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// `text` with `number` (and the number without its `+`) replaced by
/// `<number>`.
pub fn redact_number(text: &str, number: &str) -> String {
    if number.is_empty() {
        return text.to_owned();
    }
    let mut out = text.replace(number, "<number>");
    if let Some(bare) = number.strip_prefix('+')
        && !bare.is_empty()
    {
        out = out.replace(bare, "<number>");
    }
    out
}

/// The text sent when an order completes: "Your 2 tickets for Summer
/// Nights are in your e-mail, order SO-7K3F9Q". Long titles are cut so
/// the message stays one SMS in most cases.
pub fn order_text(tickets: usize, title: &str, order_number: &str) -> String {
    const MAX_TITLE: usize = 60;
    let title = title.trim();
    let title = if title.chars().count() > MAX_TITLE {
        let cut: String = title.chars().take(MAX_TITLE - 3).collect();
        format!("{}...", cut.trim_end())
    } else {
        title.to_owned()
    };
    if tickets == 1 {
        format!("Your ticket for {title} is in your e-mail, order {order_number}")
    } else {
        format!("Your {tickets} tickets for {title} are in your e-mail, order {order_number}")
    }
}

impl SmsClient {
    /// A client as `config` says, reading the token from its file.
    pub fn new(config: &SmsConfig) -> Result<Self, SmsError> {
        let token = std::fs::read_to_string(&config.token_file).map_err(|e| {
            SmsError::Config(format!(
                "cannot read the token file {}: {e}",
                config.token_file.display()
            ))
        })?;
        let mut client = Self::with_token(
            &config.base_url,
            &config.account_sid,
            token.trim(),
            &config.from,
            config.timeout,
        )?;
        if let Some(ca) = &config.ca_file {
            let pem = std::fs::read(ca).map_err(|e| {
                SmsError::Config(format!("cannot read the CA file {}: {e}", ca.display()))
            })?;
            use rustls::pki_types::CertificateDer;
            use rustls::pki_types::pem::PemObject as _;
            let certs = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    SmsError::Config(format!(
                        "the CA file {} holds no PEM certificate",
                        ca.display()
                    ))
                })?;
            client.http = http_client(certs)?;
        }
        Ok(client.with_policy(config.policy.clone()))
    }

    /// The same client under `policy` (a budget of its own).
    pub fn with_policy(mut self, policy: SmsPolicy) -> Self {
        self.budget = std::num::NonZeroU32::new(policy.per_hour).map(|n| {
            std::sync::Arc::new(governor::RateLimiter::direct(
                governor::Quota::with_period(Duration::from_secs(3600) / n.get())
                    .expect("a period")
                    .allow_burst(n),
            ))
        });
        self.policy = policy;
        self
    }

    /// A client with the token given directly.
    pub fn with_token(
        base_url: &str,
        account_sid: &str,
        token: &str,
        from: &str,
        timeout: Duration,
    ) -> Result<Self, SmsError> {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let host = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"));
        if host.is_none_or(|h| h.is_empty()) {
            return Err(SmsError::Config(format!(
                "the base URL {base_url:?} is not an https:// (or http://) URL, e.g. https://api.twilio.com"
            )));
        }
        if account_sid.is_empty() || !account_sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(SmsError::Config(
                "the account SID must be letters and digits (e.g. AC…)".into(),
            ));
        }
        if token.is_empty() {
            return Err(SmsError::Config("the auth token is empty".into()));
        }
        if from.trim().is_empty() {
            return Err(SmsError::Config("no sending number (From)".into()));
        }
        let http = http_client(Vec::new())?;
        Ok(SmsClient {
            http,
            timeout,
            base_url,
            account_sid: account_sid.to_owned(),
            token: Token(token.to_owned()),
            from: from.trim().to_owned(),
            policy: SmsPolicy::default(),
            budget: None,
        }
        .with_policy(SmsPolicy::default()))
    }

    /// The URL messages are posted to.
    pub fn messages_url(&self) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base_url, self.account_sid
        )
    }

    /// The request that sends `body` to `to` (checked to be E.164).
    pub fn request(&self, to: &str, body: &str) -> Result<http::Request<String>, SmsError> {
        use base64::Engine as _;
        if !is_e164(to) {
            return Err(SmsError::BadNumber(
                "not in E.164 form (+ and 7 to 15 digits)".into(),
            ));
        }
        let form =
            serde_urlencoded::to_string([("To", to), ("From", self.from.as_str()), ("Body", body)])
                .map_err(|e| SmsError::Config(format!("building the request: {e}")))?;
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.account_sid, self.token.0));
        http::Request::post(self.messages_url())
            .header(http::header::AUTHORIZATION, format!("Basic {credentials}"))
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .map_err(|e| SmsError::Config(format!("building the request: {e}")))
    }

    /// Sends `body` to `to`; returns the message's id as the API gives it
    /// (`sid`), empty if none.
    pub async fn send(&self, to: &str, body: &str) -> Result<String, SmsError> {
        use http_body_util::BodyExt as _;
        let request = self.request(to, body)?;
        if !self.policy.allows(to) {
            return Err(SmsError::NotAllowed);
        }
        match &self.budget {
            Some(budget) if budget.check().is_err() => return Err(SmsError::OverBudget),
            None => return Err(SmsError::OverBudget),
            Some(_) => {}
        }
        let (parts, form) = request.into_parts();
        let request =
            http::Request::from_parts(parts, http_body_util::Full::new(bytes::Bytes::from(form)));
        // Errors carry the URL (with the SID), never the token; the
        // number is only in the body.
        let transport =
            |e: &dyn std::fmt::Display| SmsError::Transport(redact_number(&e.to_string(), to));
        let exchange = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|e| transport(&error_chain(&e)))?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| transport(&e))?
                .to_bytes();
            Ok::<_, SmsError>((status, String::from_utf8_lossy(&body).into_owned()))
        };
        let (status, text) = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| transport(&format!("no answer within {:?}", self.timeout)))??;
        classify(status, &text, to)
    }
}

/// An error with its causes (`hyper-util` puts the TLS or connect error
/// in its source).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The HTTP client of the SMS API.
type Http = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<bytes::Bytes>,
>;

/// An HTTP(S) client: TLS by rustls with ring, verified against the
/// system's roots and `extra`.
fn http_client(extra: Vec<rustls::pki_types::CertificateDer<'static>>) -> Result<Http, SmsError> {
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable system certificates are skipped (a container without a
    // CA bundle trusts only `extra`).
    for cert in rustls_native_certs_or_empty() {
        let _ = roots.add(cert);
    }
    for cert in extra {
        roots
            .add(cert)
            .map_err(|e| SmsError::Config(format!("a CA certificate is not usable: {e}")))?;
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SmsError::Config(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .build();
    Ok(
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(https),
    )
}

/// The system's trusted CAs (none when they cannot be read).
fn rustls_native_certs_or_empty() -> Vec<rustls::pki_types::CertificateDer<'static>> {
    rustls_native_certs::load_native_certs().certs
}

/// The outcome of a response with `status` and body `text` to a message
/// for `to`.
fn classify(status: u16, text: &str, to: &str) -> Result<String, SmsError> {
    let json: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    if (200..300).contains(&status) {
        return Ok(json["sid"].as_str().unwrap_or_default().to_owned());
    }
    let code = json["code"].as_i64().unwrap_or(0);
    let message = redact_number(
        json["message"]
            .as_str()
            .unwrap_or(if json.is_null() { text } else { "" })
            .chars()
            .take(300)
            .collect::<String>()
            .as_str(),
        to,
    );
    Err(match status {
        429 | 500..=599 => SmsError::Unavailable { status, message },
        401 | 403 | 404 => SmsError::Unauthorized { status },
        _ if BAD_NUMBER_CODES.contains(&code) => {
            SmsError::BadNumber(format!("code {code}: {message}"))
        }
        _ => SmsError::Refused {
            status,
            code,
            message,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_allowed_countries_are_texted_and_within_the_budget() {
        let client = |policy: SmsPolicy| {
            SmsClient::with_token(
                "http://127.0.0.1:9",
                "AC1",
                "t",
                "+15005550006",
                Duration::from_millis(200),
            )
            .unwrap()
            .with_policy(policy)
        };
        let uk_only = client(SmsPolicy {
            allowed_prefixes: vec!["+44".into()],
            per_hour: 2,
        });
        // A premium-rate number abroad: refused before any request.
        assert_eq!(
            uk_only.send("+88213300000", "x").await,
            Err(SmsError::NotAllowed)
        );
        assert!(SmsError::NotAllowed.is_permanent());
        // Two allowed numbers use the budget (the relay is not there: a
        // transport error, after the budget was counted), the third is
        // over it.
        for _ in 0..2 {
            assert!(matches!(
                uk_only.send("+447700900123", "x").await,
                Err(SmsError::Transport(_))
            ));
        }
        assert_eq!(
            uk_only.send("+447700900123", "x").await,
            Err(SmsError::OverBudget)
        );
        assert!(!SmsError::OverBudget.is_permanent());
        // No budget at all: nothing is sent.
        let none = client(SmsPolicy {
            allowed_prefixes: vec![],
            per_hour: 0,
        });
        assert_eq!(
            none.send("+447700900123", "x").await,
            Err(SmsError::OverBudget)
        );
    }

    fn client() -> SmsClient {
        SmsClient::with_token(
            "http://127.0.0.1:9/",
            "AC123",
            "s3cret",
            "+15005550006",
            Duration::from_secs(5),
        )
        .unwrap()
    }

    #[test]
    fn the_request_is_a_form_post_with_basic_auth() {
        let r = client()
            .request("+447700900123", "Your 2 tickets & more")
            .unwrap();
        assert_eq!(r.method(), http::Method::POST);
        assert_eq!(
            r.uri().to_string(),
            "http://127.0.0.1:9/2010-04-01/Accounts/AC123/Messages.json"
        );
        assert_eq!(
            r.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        // base64("AC123:s3cret")
        assert_eq!(r.headers()["authorization"], "Basic QUMxMjM6czNjcmV0");
        let body = r.body().as_str();
        assert_eq!(
            body,
            "To=%2B447700900123&From=%2B15005550006&Body=Your+2+tickets+%26+more"
        );
    }

    #[test]
    fn the_token_never_shows() {
        let c = client();
        assert!(!format!("{c:?}").contains("s3cret"), "{c:?}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token");
        std::fs::write(&file, "tok-from-file\n").unwrap();
        let config = SmsConfig {
            base_url: "http://sms-relay.internal".into(),
            account_sid: "AC1".into(),
            token_file: file.clone(),
            from: "+15005550006".into(),
            timeout: Duration::from_secs(5),
            policy: SmsPolicy::default(),
            ca_file: None,
        };
        let r = SmsClient::new(&config)
            .unwrap()
            .request("+15005550009", "x")
            .unwrap();
        // base64("AC1:tok-from-file"): the newline is not part of it.
        assert_eq!(
            r.headers()["authorization"],
            "Basic QUMxOnRvay1mcm9tLWZpbGU="
        );
        std::fs::remove_file(&file).unwrap();
        let e = SmsClient::new(&config).unwrap_err();
        assert!(matches!(e, SmsError::Config(_)), "{e}");
    }

    /// A one-request HTTPS server with a certificate of a CA of its own;
    /// the CA's PEM and the server's URL. It answers 201 with a message
    /// SID and hands back the request it read.
    async fn https_sms_api() -> (String, String, tokio::task::JoinHandle<String>) {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut tls = acceptor.accept(tcp).await.unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // Headers, then the form body (its length is in the headers).
            loop {
                let n = tls.read(&mut buf).await.unwrap();
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(str::to_owned)
                        })
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if body.len() >= length {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let body = r#"{"sid":"SM-over-tls"}"#;
            let answer = format!(
                "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            tls.write_all(answer.as_bytes()).await.unwrap();
            tls.shutdown().await.unwrap();
            String::from_utf8_lossy(&seen).to_string()
        });
        (ca.pem(), format!("https://localhost:{port}"), served)
    }

    #[tokio::test]
    async fn texts_go_over_https_trusting_a_ca_of_the_configuration() {
        let (ca, url, served) = https_sms_api().await;
        let dir = tempfile::tempdir().unwrap();
        let token = dir.path().join("token");
        std::fs::write(&token, "s3cret").unwrap();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca).unwrap();
        let config = SmsConfig {
            base_url: url.clone(),
            account_sid: "AC1".into(),
            token_file: token,
            from: "+15005550006".into(),
            timeout: Duration::from_secs(5),
            policy: SmsPolicy::default(),
            ca_file: Some(ca_file),
        };
        // Without the CA the server's certificate is not trusted.
        let untrusted = SmsClient::new(&SmsConfig {
            ca_file: None,
            ..config.clone()
        })
        .unwrap();
        let e = untrusted.send("+15005550009", "hi").await.unwrap_err();
        assert!(
            matches!(&e, SmsError::Transport(t) if t.contains("certificate")),
            "refused for its certificate: {e}"
        );
        // The server took that connection's handshake (and failed it):
        // a new one for the trusted client.
        let _ = served.await;
        let (ca, url, served) = https_sms_api().await;
        std::fs::write(config.ca_file.as_ref().unwrap(), ca).unwrap();
        let client = SmsClient::new(&SmsConfig {
            base_url: url,
            ..config
        })
        .unwrap();
        let sid = client.send("+15005550009", "your tickets").await.unwrap();
        assert_eq!(sid, "SM-over-tls");
        let request = served.await.unwrap();
        assert!(
            request.starts_with("POST /2010-04-01/Accounts/AC1/Messages.json"),
            "{request}"
        );
        assert!(
            request.contains("your+tickets") || request.contains("your%20tickets"),
            "{request}"
        );
    }

    #[test]
    fn bad_configuration_is_refused() {
        let t = Duration::from_secs(1);
        for (base, sid, token, from) in [
            ("api.twilio.com", "AC1", "t", "+1"),
            ("ftp://api.twilio.com", "AC1", "t", "+1"),
            ("https://", "AC1", "t", "+1"),
            ("https://x", "", "t", "+1"),
            ("https://x", "AC/../1", "t", "+1"),
            ("https://x", "AC1", "", "+1"),
            ("https://x", "AC1", "t", " "),
        ] {
            assert!(
                matches!(
                    SmsClient::with_token(base, sid, token, from, t),
                    Err(SmsError::Config(_))
                ),
                "{base} {sid} {token} {from}"
            );
        }
    }

    #[test]
    fn only_e164_numbers_are_texted() {
        for ok in ["+447700900123", "+15005550006", "+4930123"] {
            assert!(is_e164(ok), "{ok}");
        }
        for bad in [
            "",
            "07700900123",
            "+44 7700 900123",
            "+0447700900123",
            "+123",
            "+1234567890123456",
            "+44a7700900",
        ] {
            assert!(!is_e164(bad), "{bad}");
        }
        assert!(matches!(
            client().request("07700900123", "x"),
            Err(SmsError::BadNumber(_))
        ));
    }

    #[test]
    fn responses_are_classified() {
        let to = "+447700900123";
        assert_eq!(
            classify(201, r#"{"sid": "SM1", "status": "queued"}"#, to),
            Ok("SM1".into())
        );
        let bad = classify(
            400,
            r#"{"code": 21211, "message": "The 'To' number +447700900123 is not a valid phone number.", "status": 400}"#,
            to,
        )
        .unwrap_err();
        assert!(
            matches!(bad, SmsError::BadNumber(_)) && bad.is_permanent(),
            "{bad:?}"
        );
        assert!(!bad.to_string().contains("7700900123"), "{bad}");
        let refused = classify(
            400,
            r#"{"code": 21602, "message": "Message body is required."}"#,
            to,
        )
        .unwrap_err();
        assert!(matches!(
            refused,
            SmsError::Refused {
                status: 400,
                code: 21602,
                ..
            }
        ));
        assert!(refused.is_permanent());
        for status in [429, 500, 502, 503] {
            let e = classify(status, "busy", to).unwrap_err();
            assert!(
                matches!(e, SmsError::Unavailable { .. }) && !e.is_permanent(),
                "{status}"
            );
        }
        for status in [401, 403, 404] {
            let e = classify(status, "{}", to).unwrap_err();
            assert!(
                matches!(e, SmsError::Unauthorized { .. }) && !e.is_permanent(),
                "{status}"
            );
        }
        assert!(!SmsError::Transport("refused".into()).is_permanent());
    }

    #[test]
    fn the_order_text_says_how_many_for_what_and_the_order() {
        assert_eq!(
            order_text(2, "Summer Nights", "SO-7K3F9Q"),
            "Your 2 tickets for Summer Nights are in your e-mail, order SO-7K3F9Q"
        );
        assert_eq!(
            order_text(1, " Summer Nights ", "SO-1"),
            "Your ticket for Summer Nights is in your e-mail, order SO-1"
        );
        let long = order_text(3, &"Very long festival title ".repeat(10), "SO-2");
        assert!(long.chars().count() <= 160, "{long}");
        assert!(
            long.contains("... are in your e-mail, order SO-2"),
            "{long}"
        );
    }

    #[test]
    fn numbers_are_blanked() {
        assert_eq!(
            redact_number("To +447700900123 (447700900123) failed", "+447700900123"),
            "To <number> (<number>) failed"
        );
        assert_eq!(redact_number("nothing", ""), "nothing");
    }
}
