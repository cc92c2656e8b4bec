//! Sending to people, for every Sellout binary that does: the workers
//! (buyers' order mail, reminders and texts) and the gateway (login
//! codes).
//!
//! - [`mail`]: SMTP through lettre ([`Mailer`]), who the mail is from
//!   ([`Sender`]), and how a send failed ([`MailError`]: the server's
//!   reply code when it refused).
//! - [`sms`]: texts through a Twilio-style HTTP API ([`SmsClient`]).
//! - [`cli`]: the SMTP and SMS flags the binaries share, so each takes the
//!   same flags and environment variables and builds its clients the same
//!   way.
//!
//! What a message says, and sending each one exactly once, belong to the
//! callers (the workers' `email` module; the gateway's login codes).

pub mod cli;
pub mod mail;
pub mod sms;

pub use mail::{MailError, Mailer, Sender, SmtpConfig, TlsMode};
pub use sms::{SmsClient, SmsConfig, SmsError};

/// `text` with `to`, and anything else that looks like an e-mail address,
/// replaced by `<address>`: SMTP replies often quote the recipient, and
/// buyers' addresses go to debug logs only.
pub fn redact(text: &str, to: &str) -> String {
    let text = if to.is_empty() {
        text.to_owned()
    } else {
        text.replace(to, "<address>")
    };
    let delimiter = |c: char| c.is_whitespace() || "<>()[],;:\"'".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        match token.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
                out.push_str("<address>")
            }
            _ => out.push_str(token),
        }
        token.clear();
    };
    for c in text.chars() {
        if delimiter(c) {
            flush(&mut token, &mut out);
            out.push(c);
        } else {
            token.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}
