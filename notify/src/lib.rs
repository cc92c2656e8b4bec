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
