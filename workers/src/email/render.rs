//! Templates to subject, HTML and plain text.

use std::sync::LazyLock;

use jiff::tz::TimeZone;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::{Brand, Email, EmailError, EventInfo, ReminderKind, format};

/// A rendered mail: its subject and both alternatives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line (plain text).
    pub subject: String,
    /// The HTML alternative, from MJML.
    pub html: String,
    /// The plain-text alternative with the same facts.
    pub text: String,
}

/// (name, source) of every template; `.mjml` ones are HTML-escaped.
const TEMPLATES: &[(&str, &str)] = &[
    ("layout.mjml", include_str!("../../templates/layout.mjml")),
    ("layout.txt", include_str!("../../templates/layout.txt")),
    ("_event.mjml", include_str!("../../templates/_event.mjml")),
    ("_event.txt", include_str!("../../templates/_event.txt")),
    (
        "order_confirmation.mjml",
        include_str!("../../templates/order_confirmation.mjml"),
    ),
    (
        "order_confirmation.txt",
        include_str!("../../templates/order_confirmation.txt"),
    ),
    ("refund.mjml", include_str!("../../templates/refund.mjml")),
    ("refund.txt", include_str!("../../templates/refund.txt")),
    (
        "event_reminder.mjml",
        include_str!("../../templates/event_reminder.mjml"),
    ),
    (
        "event_reminder.txt",
        include_str!("../../templates/event_reminder.txt"),
    ),
    (
        "event_cancelled.mjml",
        include_str!("../../templates/event_cancelled.mjml"),
    ),
    (
        "event_cancelled.txt",
        include_str!("../../templates/event_cancelled.txt"),
    ),
    (
        "login_code.mjml",
        include_str!("../../templates/login_code.mjml"),
    ),
    (
        "login_code.txt",
        include_str!("../../templates/login_code.txt"),
    ),
];

static ENV: LazyLock<Result<Environment<'static>, EmailError>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".mjml") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // A misspelt variable is an error, never an empty string.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Block tags on their own line leave no blank line behind.
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| template_error("syntax", &e))?;
    env.set_syntax(syntax);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
});

fn template_error(name: &str, e: &minijinja::Error) -> EmailError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    EmailError::Template {
        template: name.to_owned(),
        message,
    }
}

#[derive(Serialize)]
struct DayView {
    date: String,
    doors: String,
    starts: String,
    ends: String,
    zone: String,
}

#[derive(Serialize)]
struct EventView {
    title: String,
    venue: String,
    address: Vec<String>,
    days: Vec<DayView>,
}

impl EventView {
    fn new(e: &EventInfo) -> Result<Self, EmailError> {
        if e.days.is_empty() {
            return Err(EmailError::NoDays(e.id.clone()));
        }
        let tz = format::time_zone(&e.venue.timezone)?;
        let days = e
            .days
            .iter()
            .map(|d| DayView {
                date: format::date(d.doors_at, &tz),
                doors: format::time(d.doors_at, &tz),
                starts: format::time(d.starts_at, &tz),
                ends: format::time(d.ends_at, &tz),
                zone: format::zone_abbreviation(d.starts_at, &tz),
            })
            .collect();
        Ok(Self {
            title: e.title.clone(),
            venue: e.venue.name.clone(),
            address: e.venue.address.clone(),
            days,
        })
    }
}

#[derive(Serialize)]
struct LineView {
    description: String,
    quantity: u32,
    unit_price: String,
    amount: String,
}

#[derive(Serialize)]
struct ChargeView {
    label: String,
    amount: String,
}

#[derive(Serialize)]
struct TicketView {
    ticket_id: String,
    label: String,
    cid: String,
}

fn charges(list: &[super::Charge]) -> Result<Vec<ChargeView>, EmailError> {
    list.iter()
        .map(|c| {
            Ok(ChargeView {
                label: c.label.clone(),
                amount: format::money(c.amount)?,
            })
        })
        .collect()
}

/// Renders `email` for `brand`.
pub(super) fn render(email: &Email, brand: &Brand) -> Result<Rendered, EmailError> {
    let event = email.event().map(EventView::new).transpose()?;
    let (template, subject, preview, body) = match email {
        Email::OrderConfirmation(o) => {
            let lines = o
                .lines
                .iter()
                .map(|l| {
                    Ok(LineView {
                        description: l.description.clone(),
                        quantity: l.quantity,
                        unit_price: format::money(l.unit_price)?,
                        amount: format::money(l.amount)?,
                    })
                })
                .collect::<Result<Vec<_>, EmailError>>()?;
            let tickets: Vec<TicketView> = o
                .tickets
                .iter()
                .enumerate()
                .map(|(i, t)| TicketView {
                    ticket_id: t.ticket_id.clone(),
                    label: t.label.clone(),
                    cid: email.qr_content_id(i),
                })
                .collect();
            let n = tickets.len();
            (
                "order_confirmation",
                format!(
                    "Your tickets for {} (order {})",
                    o.event.title, o.order_number
                ),
                format!(
                    "{n} ticket{} for {}. Show the QR code{} at the door.",
                    if n == 1 { "" } else { "s" },
                    o.event.title,
                    if n == 1 { "" } else { "s" },
                ),
                context! {
                    order_number => o.order_number.clone(),
                    buyer_name => o.buyer_name.clone(),
                    lines => Serde(lines),
                    charges => Serde(charges(&o.charges)?),
                    total => format::money(o.total)?,
                    tickets => Serde(tickets),
                },
            )
        }
        Email::Refund(r) => {
            let total = format::money(r.total)?;
            (
                "refund",
                format!("Refund of {total} for order {}", r.order_number),
                format!("We have refunded {total} for {}.", r.event.title),
                context! {
                    order_number => r.order_number.clone(),
                    items => Serde(charges(&r.items)?),
                    total,
                },
            )
        }
        Email::EventReminder(r) => {
            // Dates and times, not "tomorrow" or "in 8 hours": the mail
            // stays true however late it is delivered.
            let first = event.as_ref().and_then(|e| e.days.first());
            let (date, doors) = first
                .map(|d| (d.date.clone(), d.doors.clone()))
                .unwrap_or_default();
            let subject = match r.kind {
                ReminderKind::TwoWeeks => format!("Reminder: {} on {date}", r.event.title),
                ReminderKind::EightHours => format!("{}: doors open at {doors}", r.event.title),
            };
            (
                "event_reminder",
                subject.clone(),
                subject,
                context! {
                    order_number => r.order_number.clone(),
                    tickets => r.tickets,
                },
            )
        }
        Email::EventCancelled(c) => (
            "event_cancelled",
            format!("{} has been cancelled", c.event.title),
            format!("{} has been cancelled.", c.event.title),
            context! {
                order_number => c.order_number.clone(),
                refund => c.refund.map(format::money).transpose()?,
                note => c.note.clone(),
            },
        ),
        Email::LoginCode(l) => {
            let tz: TimeZone = format::time_zone(&l.timezone)?;
            (
                "login_code",
                format!("Your sign-in code for {}", brand.organization),
                format!("Your code expires in {} minutes.", l.valid_minutes),
                context! {
                    code => l.code.clone(),
                    valid_minutes => l.valid_minutes,
                    expires_time => format::time(l.expires_at, &tz),
                    expires_zone => format::zone_abbreviation(l.expires_at, &tz),
                },
            )
        }
    };
    let heading = match email.event() {
        Some(e) => e.title.clone(),
        None => "Sign in".to_owned(),
    };
    let ctx = context! {
        subject => subject.clone(),
        heading,
        preview,
        brand => context! {
            organization => brand.organization.clone(),
            legal_line => brand.legal_line.clone(),
            support_email => brand.support_email.clone(),
        },
        event => Serde(event),
        ..body
    };
    let env = ENV.as_ref().map_err(Clone::clone)?;
    let run = |name: String| -> Result<String, EmailError> {
        env.get_template(&name)
            .and_then(|t| t.render(&ctx))
            .map_err(|e| template_error(&name, &e))
    };
    let mjml = run(format!("{template}.mjml"))?;
    let text = run(format!("{template}.txt"))?;
    let html = mjml_to_html(template, &mjml)?;
    Ok(Rendered {
        subject,
        html,
        text,
    })
}

/// MJML to HTML with mrml. Parser warnings (an attribute mrml does not
/// know, say) are errors too: a template must be clean.
pub(super) fn mjml_to_html(template: &str, mjml: &str) -> Result<String, EmailError> {
    let err = |message: String| EmailError::Mjml {
        template: format!("{template}.mjml"),
        message,
    };
    let parsed = mrml::parse(mjml).map_err(|e| err(e.to_string()))?;
    if let Some(w) = parsed.warnings.first() {
        return Err(err(format!(
            "{} at {}..{}",
            w.kind.as_str(),
            w.span.start,
            w.span.end
        )));
    }
    let opts = mrml::prelude::render::RenderOptions {
        disable_comments: true,
        ..Default::default()
    };
    parsed.element.render(&opts).map_err(|e| err(e.to_string()))
}
