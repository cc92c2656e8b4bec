//! Sending over SMTP: the connection settings, the pooled transport, and
//! who the mail is from.

use std::fmt;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Why a mail could not be sent, or a mailer not made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// An address that is not one.
    #[error("bad address {0:?}: {1}")]
    Address(String, String),
    /// The SMTP server could not be reached, the connection failed, or the
    /// settings cannot be used.
    #[error("sending over SMTP: {0}")]
    Smtp(String),
    /// The SMTP server answered with a negative reply: 4xx (try again
    /// later) or 5xx (refused for good).
    #[error("SMTP server refused ({code}): {message}")]
    Rejected {
        /// The reply code, e.g. 550.
        code: u16,
        /// The server's reply.
        message: String,
    },
}

/// Who sends: the `From` mailbox and the domain of Message-IDs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    /// e.g. `Sellout <tickets@sellout.io>`.
    pub from: Mailbox,
    /// Right-hand side of every Message-ID (the `From` domain by default).
    pub id_domain: String,
}

impl Sender {
    /// A sender from an address such as `"Sellout <tickets@sellout.io>"`.
    pub fn new(from: &str) -> Result<Self, MailError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| MailError::Address(from.to_owned(), format!("{e}")))?;
        let id_domain = from.email.domain().to_owned();
        Ok(Self { from, id_domain })
    }

    /// A Message-ID (with its angle brackets) made of `kind` and `key`: the
    /// same kind and key always give the same id, so a message sent again
    /// after a crash is recognisable (and clients that thread by
    /// Message-ID show it once).
    pub fn message_id(&self, kind: &str, key: &str) -> String {
        format!("<{kind}.{key}@{}>", self.id_domain)
    }
}

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain text: only for a relay on loopback (the test sink).
    None,
    /// STARTTLS, required: the connection fails rather than continue in
    /// plain text (port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Implicit,
}

/// Where and how to send. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// Server host name (also the name its certificate must carry).
    pub host: String,
    /// Server port.
    pub port: u16,
    /// User name and password, if the server wants them.
    pub credentials: Option<(String, String)>,
    /// Connection security.
    pub tls: TlsMode,
    /// Time allowed for each SMTP command.
    pub timeout: Duration,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field(
                "credentials",
                &self
                    .credentials
                    .as_ref()
                    .map(|(user, _)| (user, "<redacted>")),
            )
            .field("tls", &self.tls)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Sends messages over SMTP (lettre's Tokio transport; connections are
/// pooled and reused).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    config: SmtpConfig,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("config", &self.config)
            .finish()
    }
}

impl Mailer {
    /// A mailer for `config`. Nothing is connected until the first send.
    pub fn new(config: SmtpConfig) -> Result<Self, MailError> {
        let loopback = config.host == "localhost"
            || config
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if config.tls == TlsMode::None && config.credentials.is_some() && !loopback {
            return Err(MailError::Smtp(format!(
                "refusing to send SMTP credentials to {} without TLS: use StartTls or Implicit",
                config.host
            )));
        }
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            TlsMode::StartTls | TlsMode::Implicit => {
                let params = TlsParameters::new(config.host.clone())
                    .map_err(|e| MailError::Smtp(format!("TLS for {}: {e}", config.host)))?;
                if config.tls == TlsMode::StartTls {
                    Tls::Required(params)
                } else {
                    Tls::Wrapper(params)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .tls(tls)
            .timeout(Some(config.timeout));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self {
            transport: builder.build(),
            config,
        })
    }

    /// Sends `message`; the error names the server, never the credentials.
    /// A negative reply of the server is [`MailError::Rejected`] with its
    /// code; anything else (connection, TLS, timeout) is
    /// [`MailError::Smtp`].
    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            let message = format!("{}:{}: {e}", self.config.host, self.config.port);
            match e.status() {
                Some(code) => MailError::Rejected {
                    code: u16::from(code),
                    message,
                },
                None => MailError::Smtp(message),
            }
        })
    }
}
