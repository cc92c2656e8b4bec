//! E-mail to buyers: what each message says ([`Email`]), how it is
//! rendered (MJML templates under `workers/templates/`, variables
//! substituted by minijinja with HTML auto-escaping, then mrml turns MJML
//! into HTML; a plain-text template with the same facts beside each), how
//! it is put together as MIME ([`compose`]: text and HTML alternatives,
//! inline QR images, the `.ics` calendar), and how it is sent ([`Mailer`],
//! SMTP through lettre). [`delivery`] sends what the event's JetStream
//! stream asks for (order confirmations, refund notices), exactly once as
//! far as SMTP allows, records each order's reminders and texts buyers who
//! gave a phone number (`sellout_notify::sms`); [`reminders`] sends the reminders
//! when they are due. See `docs/email.md`.
//! A cancelled event's refunds carry the event-cancelled notice.
//!
//! Modules: [`delivery`] (the stream consumer loop), [`once`] (the
//! exactly-once send protocol over the sent log, retries, redaction),
//! [`messages`] (what each stream message becomes), [`reminders`], and the
//! rendering ([`render`](self), [`compose`]).

mod compose;
pub mod delivery;
pub mod format;
mod ics;
pub mod messages;
pub mod once;
pub mod reminders;
mod render;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use sellout_common::money::Money;
use sha2::{Digest, Sha256};

pub use compose::compose;
pub use ics::calendar;
pub use render::Rendered;
pub use sellout_notify::mail::{Mailer, Sender, SmtpConfig, TlsMode};

/// Who the mail is from, as shown in its header and footer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brand {
    /// The organization's display name, e.g. "Roundhouse Presents".
    pub organization: String,
    /// The plain legal line in the footer (company name, registered
    /// address and number).
    pub legal_line: String,
    /// Where buyers can write for help, if the organization gives one.
    pub support_email: Option<String>,
}

/// Where the event happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Venue {
    /// Display name, e.g. "The Roundhouse".
    pub name: String,
    /// Postal address, one line per element ("Chalk Farm Road",
    /// "London NW1 8EH", "United Kingdom").
    pub address: Vec<String>,
    /// IANA time zone; every time in the mail is shown in it.
    pub timezone: String,
}

impl Venue {
    /// Name and address on one line, as in the calendar's `LOCATION`.
    pub fn one_line(&self) -> String {
        std::iter::once(self.name.as_str())
            .chain(self.address.iter().map(String::as_str))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One day of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventDay {
    /// Doors open.
    pub doors_at: Timestamp,
    /// The show starts.
    pub starts_at: Timestamp,
    /// The show ends.
    pub ends_at: Timestamp,
}

/// The event a mail is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventInfo {
    /// Stable id of the event (its namespace/name); part of calendar UIDs.
    pub id: String,
    /// Title shown to buyers.
    pub title: String,
    /// Where.
    pub venue: Venue,
    /// Its days, in order; at least one.
    pub days: Vec<EventDay>,
}

/// A line of an order: what was bought.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    /// e.g. "General admission (Saturday)".
    pub description: String,
    /// How many.
    pub quantity: u32,
    /// Price of one.
    pub unit_price: Money,
    /// What the line costs (as priced, discounts included).
    pub amount: Money,
}

/// An amount with a label: a fee, a tax, a discount (negative), or a
/// refunded item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    /// e.g. "Booking fee" or "VAT 20 %".
    pub label: String,
    /// The amount.
    pub amount: Money,
}

/// One ticket's QR code, as a PNG image (made by the ticket module).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketQr {
    /// The ticket's id, printed under its code.
    pub ticket_id: String,
    /// What it admits to, e.g. "General admission · Saturday".
    pub label: String,
    /// The PNG bytes.
    pub png: Vec<u8>,
}

/// The order confirmation: the tickets, one inline QR each, and a
/// calendar attachment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderConfirmation {
    /// Internal order id (Message-ID, calendar UID).
    pub order_id: String,
    /// The number the buyer quotes, e.g. "SO-7K2M-94".
    pub order_number: String,
    /// The buyer's name for the greeting, if known.
    pub buyer_name: Option<String>,
    /// When the order was completed (the calendar's `DTSTAMP`).
    pub placed_at: Timestamp,
    /// The event.
    pub event: EventInfo,
    /// What was bought.
    pub lines: Vec<OrderLine>,
    /// Fees, taxes and discounts on top of the lines.
    pub charges: Vec<Charge>,
    /// What the buyer paid.
    pub total: Money,
    /// One entry per ticket.
    pub tickets: Vec<TicketQr>,
    /// Set on a copy sent again at the buyer's request (the resend
    /// window): the copy has its own mail record and Message-ID.
    pub resend: Option<String>,
}

/// A refund of part or all of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    /// Internal order id.
    pub order_id: String,
    /// Id of this refund (an order may be refunded in several parts).
    pub refund_id: String,
    /// The number the buyer quotes.
    pub order_number: String,
    /// The event.
    pub event: EventInfo,
    /// What was refunded, item by item (tickets, add-ons, fees).
    pub items: Vec<Charge>,
    /// The amount going back to the buyer's card.
    pub total: Money,
}

/// Which reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// Two weeks before doors.
    TwoWeeks,
    /// Eight hours before doors.
    EightHours,
}

/// A reminder before the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventReminder {
    /// Internal order id.
    pub order_id: String,
    /// The number the buyer quotes.
    pub order_number: String,
    /// The event.
    pub event: EventInfo,
    /// Which reminder this is.
    pub kind: ReminderKind,
    /// How many tickets the order holds.
    pub tickets: u32,
}

/// The event was cancelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventCancelled {
    /// Internal order id.
    pub order_id: String,
    /// The number the buyer quotes.
    pub order_number: String,
    /// The event.
    pub event: EventInfo,
    /// What will be refunded, when known.
    pub refund: Option<Money>,
    /// A word from the organizer, if any.
    pub note: Option<String>,
}

/// A one-time code to sign in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginCode {
    /// Id of the sign-in request (Message-ID).
    pub request_id: String,
    /// The code.
    pub code: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// Minutes it is valid for, as told to the buyer.
    pub valid_minutes: u32,
    /// IANA zone to show the expiry in (the buyer's, or "UTC").
    pub timezone: String,
}

/// Every mail Sellout sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Email {
    /// Tickets after payment.
    OrderConfirmation(OrderConfirmation),
    /// Money back.
    Refund(Refund),
    /// Before the event.
    EventReminder(EventReminder),
    /// The event will not happen.
    EventCancelled(EventCancelled),
    /// Sign-in code.
    LoginCode(LoginCode),
}

impl Email {
    /// The kind, as used in Message-IDs and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Email::OrderConfirmation(_) => "order-confirmation",
            Email::Refund(_) => "refund",
            Email::EventReminder(r) => match r.kind {
                ReminderKind::TwoWeeks => "reminder-2w",
                ReminderKind::EightHours => "reminder-8h",
            },
            Email::EventCancelled(_) => "event-cancelled",
            Email::LoginCode(_) => "login-code",
        }
    }

    /// What identifies this mail: the same order (refund, sign-in request)
    /// and kind always give the same key, so a resend after a crash carries
    /// the same Message-ID and Content-IDs.
    pub fn key(&self) -> String {
        let parts: Vec<&str> = match self {
            Email::OrderConfirmation(o) => std::iter::once(&o.order_id)
                .chain(o.resend.as_ref())
                .map(String::as_str)
                .collect(),
            Email::Refund(r) => vec![&r.order_id, &r.refund_id],
            Email::EventReminder(r) => vec![&r.order_id, &r.event.id],
            Email::EventCancelled(c) => vec![&c.order_id, &c.event.id],
            Email::LoginCode(l) => vec![&l.request_id],
        };
        digest(self.kind(), &parts)
    }

    /// The Message-ID (with its angle brackets) of this mail from
    /// `sender`: the same order and kind always give the same id, so a
    /// resend after a crash is recognisable (and clients that thread by
    /// Message-ID show it once).
    pub fn message_id(&self, sender: &Sender) -> String {
        sender.message_id(self.kind(), &self.key())
    }

    /// The `Content-ID` (without angle brackets) of the `i`-th ticket's QR
    /// image, referenced from the HTML as `cid:…`.
    pub fn qr_content_id(&self, i: usize) -> String {
        format!("qr{}.{}@sellout", i + 1, self.key())
    }

    /// Renders the subject and both alternatives for `brand`.
    pub fn render(&self, brand: &Brand) -> Result<Rendered, EmailError> {
        render::render(self, brand)
    }

    /// The event the mail is about, if any.
    pub fn event(&self) -> Option<&EventInfo> {
        match self {
            Email::OrderConfirmation(o) => Some(&o.event),
            Email::Refund(r) => Some(&r.event),
            Email::EventReminder(r) => Some(&r.event),
            Email::EventCancelled(c) => Some(&c.event),
            Email::LoginCode(_) => None,
        }
    }
}

/// Why a mail could not be rendered, built or sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Not an ISO 4217 currency with minor units.
    #[error("{0:?} is not an ISO 4217 currency with minor units")]
    UnknownCurrency(String),
    /// Not an IANA time zone.
    #[error("{0:?} is not an IANA time zone (e.g. \"Europe/London\")")]
    UnknownTimeZone(String),
    /// An event without days.
    #[error("event {0:?} has no days")]
    NoDays(String),
    /// A template failed (a bug in the templates or their context).
    #[error("template {template}: {message}")]
    Template {
        /// Which template.
        template: String,
        /// What went wrong.
        message: String,
    },
    /// mrml refused the rendered MJML.
    #[error("MJML of {template}: {message}")]
    Mjml {
        /// Which template.
        template: String,
        /// What mrml said.
        message: String,
    },
    /// An address that is not one.
    #[error("bad address {0:?}: {1}")]
    Address(String, String),
    /// lettre refused to build the message.
    #[error("building the message: {0}")]
    Build(String),
    /// The SMTP server could not be reached, or the connection failed.
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

impl From<sellout_notify::MailError> for EmailError {
    fn from(e: sellout_notify::MailError) -> Self {
        use sellout_notify::MailError as M;
        match e {
            M::Address(a, why) => EmailError::Address(a, why),
            M::Smtp(why) => EmailError::Smtp(why),
            M::Rejected { code, message } => EmailError::Rejected { code, message },
        }
    }
}

/// 32 hex digits of SHA-256 over `prefix` and then each part with its
/// length in front, so ("a", "bc") and ("ab", "c") differ: stable ids for
/// Message-IDs, Content-IDs and calendar UIDs.
pub(crate) fn digest(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(prefix.as_bytes());
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
