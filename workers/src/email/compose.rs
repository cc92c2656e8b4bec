//! Putting a rendered mail together as a MIME message.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

use sellout_notify::Sender;

use super::{Brand, Email, EmailError, ics, render};

/// Renders `email` for `brand` and builds the message to `to`:
///
/// ```text
/// multipart/mixed                      (only when there is an .ics)
/// ├── multipart/alternative
/// │   ├── text/plain
/// │   └── multipart/related            (only when there are QR images)
/// │       ├── text/html                (QR images as <img src="cid:…">)
/// │       └── image/png × tickets      (inline, Content-ID)
/// └── text/calendar; method=PUBLISH    (attachment, tickets.ics)
/// ```
///
/// `Reply-To` is the organization's support address when it has one.
pub fn compose(
    email: &Email,
    brand: &Brand,
    sender: &Sender,
    to: &str,
) -> Result<Message, EmailError> {
    let to: Mailbox = to
        .parse()
        .map_err(|e| EmailError::Address(to.to_owned(), format!("{e}")))?;
    let rendered = render::render(email, brand)?;

    let html = SinglePart::html(rendered.html);
    let alternative = MultiPart::alternative().singlepart(SinglePart::plain(rendered.text));
    let alternative = match email {
        Email::OrderConfirmation(o) if !o.tickets.is_empty() => {
            let mut related = MultiPart::related().singlepart(html);
            for (i, t) in o.tickets.iter().enumerate() {
                related = related.singlepart(
                    Attachment::new_inline_with_name(
                        email.qr_content_id(i),
                        format!("ticket-{}.png", i + 1),
                    )
                    .body(t.png.clone(), content_type("image/png")?),
                );
            }
            alternative.multipart(related)
        }
        _ => alternative.singlepart(html),
    };
    let body = match email {
        Email::OrderConfirmation(o) => MultiPart::mixed().multipart(alternative).singlepart(
            Attachment::new("tickets.ics".to_owned()).body(
                ics::calendar(o)?,
                content_type("text/calendar; charset=utf-8; method=PUBLISH")?,
            ),
        ),
        _ => alternative,
    };

    let mut builder = Message::builder()
        .from(sender.from.clone())
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(email.message_id(sender)));
    if let Some(support) = &brand.support_email {
        let reply: Mailbox = support
            .parse()
            .map_err(|e| EmailError::Address(support.clone(), format!("{e}")))?;
        builder = builder.reply_to(reply);
    }
    builder
        .multipart(body)
        .map_err(|e| EmailError::Build(e.to_string()))
}

fn content_type(s: &str) -> Result<ContentType, EmailError> {
    ContentType::parse(s).map_err(|e| EmailError::Build(format!("content type {s}: {e}")))
}
