//! Command-line flags shared by the binaries that send mail and texts
//! (`sellout-worker`: buyers' mail and SMS; `sellout-gateway`: login
//! codes), so both take the same flags and environment variables and
//! build their SMTP and SMS clients the same way.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::mail::{MailError, Mailer, Sender, SmtpConfig, TlsMode};
use crate::sms::SmsConfig;

/// Why the SMTP flags cannot be used; each message names the flag to fix.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// The password file could not be read.
    #[error("--smtp-password-file {path}: {source}")]
    PasswordFile {
        /// The file given.
        path: String,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// The relay settings cannot be used.
    #[error("SMTP settings")]
    Smtp(#[source] MailError),
    /// The From address is not one.
    #[error("--mail-from")]
    From(#[source] MailError),
}

/// SMTP connection security.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SmtpTls {
    /// STARTTLS, required.
    Starttls,
    /// TLS from the first byte.
    Implicit,
    /// Plain text (a relay on loopback only).
    None,
}

impl From<SmtpTls> for TlsMode {
    fn from(t: SmtpTls) -> Self {
        match t {
            SmtpTls::Starttls => TlsMode::StartTls,
            SmtpTls::Implicit => TlsMode::Implicit,
            SmtpTls::None => TlsMode::None,
        }
    }
}

/// Where outgoing mail goes.
#[derive(Args, Clone, Debug)]
pub struct SmtpArgs {
    /// SMTP relay for outgoing mail (the workers' order confirmations,
    /// refunds and reminders; the gateway's login codes). Without it no
    /// mail is sent.
    #[arg(long, env = "SELLOUT_SMTP_HOST", requires = "mail_from")]
    pub smtp_host: Option<String>,
    /// SMTP port (587 for STARTTLS, 465 for implicit TLS).
    #[arg(long, env = "SELLOUT_SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,
    /// SMTP connection security: starttls, implicit, or none (loopback
    /// relays only).
    #[arg(long, env = "SELLOUT_SMTP_TLS", value_enum, default_value = "starttls")]
    pub smtp_tls: SmtpTls,
    /// SMTP user name.
    #[arg(long, env = "SELLOUT_SMTP_USER", requires = "smtp_password_file")]
    pub smtp_user: Option<String>,
    /// File holding the SMTP password.
    #[arg(long, env = "SELLOUT_SMTP_PASSWORD_FILE", requires = "smtp_user")]
    pub smtp_password_file: Option<PathBuf>,
    /// The From address of outgoing mail, e.g. `Sellout <tickets@example.com>`.
    #[arg(long, env = "SELLOUT_MAIL_FROM")]
    pub mail_from: Option<String>,
}

impl SmtpArgs {
    /// The mailer and From address, when `--smtp-host` is given; reads the
    /// password file.
    pub fn mailer(&self) -> Result<Option<(Mailer, Sender)>, FlagError> {
        let Some(host) = &self.smtp_host else {
            return Ok(None);
        };
        let credentials = match (&self.smtp_user, &self.smtp_password_file) {
            (Some(user), Some(file)) => {
                let password =
                    std::fs::read_to_string(file).map_err(|source| FlagError::PasswordFile {
                        path: file.display().to_string(),
                        source,
                    })?;
                Some((user.clone(), password.trim_end().to_owned()))
            }
            _ => None,
        };
        let config = SmtpConfig {
            host: host.clone(),
            port: self.smtp_port,
            credentials,
            tls: self.smtp_tls.into(),
            timeout: Duration::from_secs(30),
        };
        let from = self.mail_from.as_deref().unwrap_or_default();
        Ok(Some((
            Mailer::new(config).map_err(FlagError::Smtp)?,
            Sender::new(from).map_err(FlagError::From)?,
        )))
    }
}

/// Where text messages go.
#[derive(Args, Clone, Debug)]
pub struct SmsArgs {
    /// Base URL of a Twilio-style SMS API (`https://api.twilio.com`, or an
    /// `http://` relay). With it, the workers text buyers
    /// who give a phone number when their tickets are issued, and the
    /// gateway sends login codes to phone numbers.
    #[arg(long, env = "SELLOUT_SMS_API_BASE", requires_all = ["sms_account_sid", "sms_token_file", "sms_from"])]
    pub sms_api_base: Option<String>,
    /// SMS account id.
    #[arg(long, env = "SELLOUT_SMS_ACCOUNT_SID")]
    pub sms_account_sid: Option<String>,
    /// File holding the SMS API token.
    #[arg(long, env = "SELLOUT_SMS_TOKEN_FILE")]
    pub sms_token_file: Option<PathBuf>,
    /// The number SMS are sent from (E.164).
    #[arg(long, env = "SELLOUT_SMS_FROM")]
    pub sms_from: Option<String>,
    /// Calling codes that may be texted, comma-separated E.164 prefixes
    /// (`+44,+1,+353`); default: every country. Set it in production:
    /// premium-rate numbers abroad are how SMS toll fraud pays.
    #[arg(long, env = "SELLOUT_SMS_ALLOWED_PREFIXES", value_delimiter = ',')]
    pub sms_allowed_prefixes: Vec<String>,
    /// PEM file of CAs trusted for the SMS API besides the system's (a
    /// private relay's). HTTP(S)_PROXY is not used: a relay is the base URL.
    #[arg(long, env = "SELLOUT_SMS_CA_FILE")]
    pub sms_ca_file: Option<PathBuf>,
    /// Texts this process sends per hour at most (all numbers together).
    #[arg(long, env = "SELLOUT_SMS_PER_HOUR", default_value_t = 1000)]
    pub sms_per_hour: u32,
}

impl SmsArgs {
    /// The SMS API configuration, when `--sms-api-base` is given.
    pub fn config(&self) -> Option<SmsConfig> {
        match (
            &self.sms_api_base,
            &self.sms_account_sid,
            &self.sms_token_file,
            &self.sms_from,
        ) {
            (Some(base), Some(sid), Some(token), Some(from)) => Some(SmsConfig {
                base_url: base.clone(),
                account_sid: sid.clone(),
                token_file: token.clone(),
                from: from.clone(),
                ca_file: self.sms_ca_file.clone(),
                timeout: Duration::from_secs(10),
                policy: crate::sms::SmsPolicy {
                    allowed_prefixes: self
                        .sms_allowed_prefixes
                        .iter()
                        .map(|p| p.trim().to_owned())
                        .filter(|p| !p.is_empty())
                        .collect(),
                    per_hour: self.sms_per_hour,
                },
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Both {
        #[command(flatten)]
        smtp: SmtpArgs,
        #[command(flatten)]
        sms: SmsArgs,
    }

    #[test]
    fn flags_build_the_clients_and_incomplete_ones_are_refused() {
        let b = Both::try_parse_from([
            "x",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            "1025",
            "--smtp-tls",
            "none",
            "--mail-from",
            "Sellout <codes@example.com>",
            "--sms-api-base",
            "http://127.0.0.1:9",
            "--sms-account-sid",
            "AC1",
            "--sms-token-file",
            "/t",
            "--sms-from",
            "+15005550006",
        ])
        .unwrap();
        let (_, from) = b.smtp.mailer().unwrap().unwrap();
        assert_eq!(from.from.email.to_string(), "codes@example.com");
        assert_eq!(b.sms.config().unwrap().account_sid, "AC1");
        let none = Both::try_parse_from(["x"]).unwrap();
        assert!(none.smtp.mailer().unwrap().is_none());
        assert!(none.sms.config().is_none());
        assert!(Both::try_parse_from(["x", "--smtp-host", "h"]).is_err());
        assert!(Both::try_parse_from(["x", "--sms-api-base", "http://h"]).is_err());
    }
}
