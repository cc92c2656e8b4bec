//! Sending login codes: by e-mail through the workers' SMTP mailer, by
//! SMS through their Twilio-style client. Codes and addresses are never
//! logged.

use std::time::Duration;

use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use sellout_notify::sms::{SmsClient, SmsError};
use sellout_notify::{Mailer, Sender};

use super::Login;

/// How codes reach people; a channel left out is refused with
/// `UNAVAILABLE`.
#[derive(Clone, Debug, Default)]
pub struct Messenger {
    /// SMTP and the From address, for e-mail logins.
    pub mail: Option<(Mailer, Sender)>,
    /// The SMS API, for phone logins.
    pub sms: Option<SmsClient>,
}

/// Why a code was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The gateway has no SMTP relay or SMS API for this kind of login.
    #[error("this gateway does not send login codes by {0}")]
    NoChannel(&'static str),
    /// The address or number cannot receive it (the provider said so).
    #[error("{0}")]
    Undeliverable(String),
    /// The relay or API failed: try again.
    #[error("{0}")]
    Failed(String),
}

/// The text of a code message.
pub fn text(code: &str, ttl: Duration) -> String {
    let minutes = ttl.as_secs().div_ceil(60).max(1);
    format!(
        "Your Sellout login code is {code}. It expires in {minutes} minute{}. \
         If you did not ask for it, ignore this message.",
        if minutes == 1 { "" } else { "s" }
    )
}

impl Messenger {
    /// Whether codes can be sent to `login`'s kind.
    pub fn can_send(&self, login: &Login) -> Result<(), SendError> {
        match login {
            Login::Email(_) if self.mail.is_none() => Err(SendError::NoChannel("e-mail")),
            Login::Phone(_) if self.sms.is_none() => Err(SendError::NoChannel("SMS")),
            _ => Ok(()),
        }
    }

    /// Sends `code` to `login`.
    pub async fn send(&self, login: &Login, code: &str, ttl: Duration) -> Result<(), SendError> {
        let body = text(code, ttl);
        match login {
            Login::Email(address) => {
                let (mailer, sender) = self.mail.as_ref().ok_or(SendError::NoChannel("e-mail"))?;
                let to: Mailbox = address
                    .parse()
                    .map_err(|e| SendError::Undeliverable(format!("bad address: {e}")))?;
                let message = Message::builder()
                    .from(sender.from.clone())
                    .to(to)
                    .subject("Your Sellout login code")
                    .header(ContentType::TEXT_PLAIN)
                    .body(format!(
                        "{body}\n\nNobody from Sellout will ever ask you for this code.\n"
                    ))
                    .map_err(|e| SendError::Failed(format!("building the message: {e}")))?;
                mailer.send(message).await.map_err(|e| {
                    // SMTP replies quote the recipient: never the address in logs.
                    let error = sellout_notify::redact(&e.to_string(), address);
                    tracing::warn!(error, "a login code could not be mailed");
                    SendError::Failed("the mail relay did not take the message: retry".into())
                })
            }
            Login::Phone(number) => {
                let sms = self.sms.as_ref().ok_or(SendError::NoChannel("SMS"))?;
                match sms.send(number, &body).await {
                    Ok(_) => Ok(()),
                    Err(SmsError::BadNumber(_)) => Err(SendError::Undeliverable(
                        "this number cannot receive text messages".into(),
                    )),
                    Err(SmsError::NotAllowed) => Err(SendError::Undeliverable(
                        "login codes are not texted to this country: log in with your e-mail address".into(),
                    )),
                    Err(SmsError::OverBudget) => {
                        tracing::warn!("the hourly SMS budget is used up: a login code was not texted");
                        Err(SendError::Failed(
                            "texts are paused for a while: log in with your e-mail address, or retry later".into(),
                        ))
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, category = e.category(), "a login code could not be texted");
                        Err(SendError::Failed(
                            "the SMS provider did not take the message: retry".into(),
                        ))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_the_code_and_its_lifetime() {
        assert_eq!(
            text("012345", Duration::from_secs(600)),
            "Your Sellout login code is 012345. It expires in 10 minutes. If you did not ask for it, ignore this message."
        );
        assert!(text("1", Duration::from_secs(1)).contains("in 1 minute."));
    }

    #[test]
    fn a_missing_channel_is_refused() {
        let m = Messenger::default();
        assert!(matches!(
            m.can_send(&Login::Email("a@b.io".into())),
            Err(SendError::NoChannel("e-mail"))
        ));
        assert!(matches!(
            m.can_send(&Login::Phone("+447700900123".into())),
            Err(SendError::NoChannel("SMS"))
        ));
    }
}
