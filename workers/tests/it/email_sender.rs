//! Order confirmations sent as the event's stream says, against real NATS
//! JetStream, FerretDB and mailpit: one mail per order however often its
//! message comes, with a QR image per ticket that decodes to the signed
//! payload; a record marked sent is never sent again; an attempt that
//! stopped midway is taken over once its lease ends; bad addresses fail
//! for good; transient SMTP failures are retried.

use std::collections::BTreeSet;
use std::num::NonZeroU8;
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer, stream::Stream};
use ed25519_dalek::SigningKey;
use mongodb::bson::{DateTime, doc};
use prost::Message as _;
use sellout_common::names::{EMAIL_CONSUMER, Names, consumer_config, stream_config};
use sellout_common::proto::v1::{self as pb, IssuedTicket, OrderCompleted};
use sellout_store::sent::{MailState, SentLog};
use sellout_workers::email::delivery::EmailSender;
use sellout_workers::email::messages::order_confirmation;
use sellout_workers::email::once::Settings;
use sellout_workers::email::{
    Brand, Email, EventDay, EventInfo, Mailer, Sender, SmtpConfig, TlsMode, Venue,
};
use sellout_workers::ticket::{KeyId, Signer, TicketClaims, TierHash, ValidDays, Verifier};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

const DB: &str = "sellout_it_email_sender";

fn event_info() -> EventInfo {
    EventInfo {
        id: "it/summer-nights".into(),
        title: "Summer Nights".into(),
        venue: Venue {
            name: "The Roundhouse".into(),
            address: vec!["Chalk Farm Road".into(), "London NW1 8EH".into()],
            timezone: "Europe/London".into(),
        },
        days: vec![EventDay {
            doors_at: "2026-06-13T17:30:00Z".parse().unwrap(),
            starts_at: "2026-06-13T18:30:00Z".parse().unwrap(),
            ends_at: "2026-06-13T22:00:00Z".parse().unwrap(),
        }],
    }
}

fn sender_identity() -> Sender {
    Sender::new("Sellout <tickets@sellout.example>").unwrap()
}

/// Short delays, so retries and lease ends happen within a test.
fn fast() -> Settings {
    Settings {
        attempt_timeout: Duration::from_secs(10),
        first_retry: Duration::from_millis(300),
        max_retry: Duration::from_secs(1),
        rebind_after: Duration::from_millis(200),
        ..Settings::default()
    }
}

async fn mailpit() -> Mailer {
    let mail = sellout_e2e::mail().await;
    smtp_to(mail.smtp_host(), mail.smtp_port())
}

fn smtp_to(host: &str, port: u16) -> Mailer {
    Mailer::new(SmtpConfig {
        host: host.into(),
        port,
        credentials: None,
        tls: TlsMode::None,
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

/// One event's stream with the `email` consumer as the operator makes it,
/// a signing key, and the mail records.
struct Stage {
    uid: Uuid,
    names: Names,
    js: jetstream::Context,
    stream: Stream,
    db: mongodb::Database,
    log: SentLog,
    signer: Signer,
}

impl Stage {
    async fn new() -> Self {
        let uid = Uuid::new_v4();
        let names = Names::for_uid(&uid.to_string());
        let js = sellout_e2e::nats().await.jetstream().await.unwrap();
        let stream = js.create_stream(stream_config(&names)).await.unwrap();
        stream
            .create_consumer(consumer_config(&names, EMAIL_CONSUMER))
            .await
            .unwrap();
        let db = sellout_e2e::mongo()
            .await
            .client()
            .await
            .unwrap()
            .database(DB);
        let log = SentLog::emails(&db);
        let signer = Signer::new(KeyId(4), SigningKey::from_bytes(&[42; 32]));
        Stage {
            uid,
            names,
            js,
            stream,
            db,
            log,
            signer,
        }
    }

    /// A sender on `consumer`, running until the token is cancelled.
    fn start(
        &self,
        consumer: &str,
        mailer: Mailer,
    ) -> (CancellationToken, JoinHandle<()>, watch::Sender<EventInfo>) {
        let (tx, rx) = watch::channel(event_info());
        let mut s = EmailSender::new(
            self.js.clone(),
            self.names.clone(),
            mailer,
            sender_identity(),
            Brand {
                organization: "Roundhouse Presents".into(),
                legal_line: "Roundhouse Presents Ltd".into(),
                support_email: None,
            },
            self.db.clone(),
            rx,
            "it-worker".into(),
        );
        s.consumer = consumer.into();
        s.settings = fast();
        let stop = CancellationToken::new();
        let task = tokio::spawn(s.run(stop.clone()));
        (stop, task, tx)
    }

    /// An order of `tickets` tickets to `to`, with signed payloads.
    fn order(&self, to: &str, tickets: usize) -> OrderCompleted {
        let order_id = format!("ord-{}", Uuid::new_v4().simple());
        let gbp = |minor| {
            Some(pb::Money {
                amount_minor: minor,
                currency: "GBP".into(),
            })
        };
        OrderCompleted {
            order_id,
            order_number: format!("SO-{}", &Uuid::new_v4().simple().to_string()[..6])
                .to_uppercase(),
            event_uid: self.uid.to_string(),
            buyer_email: to.into(),
            buyer_name: "Grace".into(),
            buyer_phone: String::new(),
            buyer_phone_verified: false,
            placed_at_ms: 1_777_629_600_000,
            lines: vec![pb::OrderLine {
                tier: "ga".into(),
                description: "General admission".into(),
                quantity: tickets as i64,
                unit_price: gbp(7500),
                amount: gbp(7500 * tickets as i64),
            }],
            charges: vec![],
            total: gbp(7500 * tickets as i64),
            tickets: (0..tickets)
                .map(|i| {
                    let ticket = Uuid::new_v4();
                    IssuedTicket {
                        ticket_id: ticket.to_string(),
                        label: format!("General admission {} of {tickets}", i + 1),
                        qr_payload: self.signer.sign(&TicketClaims {
                            event: self.uid,
                            ticket,
                            tier: TierHash::of("ga"),
                            days: ValidDays::all(1).unwrap(),
                            admits: NonZeroU8::MIN,
                        }),
                        admissions: 1,
                        tier: "ga".into(),
                        seat: String::new(),
                    }
                })
                .collect(),
        }
    }

    /// The mail the sender makes of `order` (for its key and Message-ID).
    fn email(&self, order: &OrderCompleted) -> Email {
        order_confirmation(order.clone(), event_info()).unwrap().0
    }

    /// Publishes `payload` on `<event>.<what>` with `msg_id`.
    async fn publish(
        &self,
        what: &str,
        payload: Vec<u8>,
        msg_id: &str,
    ) -> jetstream::publish::PublishAck {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", msg_id);
        self.js
            .publish_with_headers(self.names.subject(what), headers, payload.into())
            .await
            .unwrap()
            .await
            .unwrap()
    }

    /// Publishes `order` as the order flow does.
    async fn publish_order(&self, order: &OrderCompleted) -> jetstream::publish::PublishAck {
        let id = format!("tickets-{}", order.order_id);
        self.publish("tickets", order.encode_to_vec(), &id).await
    }

    /// Waits until `consumer` has every message up to `seq` acked and none
    /// pending.
    async fn settled(&self, consumer: &str, seq: u64) -> consumer::Info {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let info = self.stream.consumer_info(consumer).await.unwrap();
            if info.ack_floor.stream_sequence >= seq
                && info.num_pending == 0
                && info.num_ack_pending == 0
            {
                return info;
            }
            assert!(
                Instant::now() < deadline,
                "consumer {consumer} did not settle at {seq}: {info:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn state(&self, email: &Email) -> Option<MailState> {
        self.log.state(&email.key()).await.unwrap()
    }

    async fn record(&self, email: &Email) -> mongodb::bson::Document {
        self.log.record(&email.key()).await.unwrap().unwrap()
    }

    /// Writes a mail's record directly, as an earlier attempt left it.
    async fn put_record(&self, email: &Email, record: mongodb::bson::Document) {
        let mut d = doc! {"_id": email.key()};
        d.extend(record);
        self.db
            // Buyers' mail records, as sellout_store::sent names them.
            .collection::<mongodb::bson::Document>("emails")
            .insert_one(d)
            .await
            .unwrap();
    }
}

fn buyer() -> String {
    format!("buyer-{}@example.com", Uuid::new_v4().simple())
}

fn attempts(record: &mongodb::bson::Document) -> i64 {
    match record.get("attempts") {
        Some(mongodb::bson::Bson::Int64(n)) => *n,
        Some(mongodb::bson::Bson::Int32(n)) => i64::from(*n),
        other => panic!("attempts is {other:?} in {record:?}"),
    }
}

/// How many mails `to` has, after a pause long enough for a stray one to
/// arrive.
async fn mails_to(to: &str) -> usize {
    tokio::time::sleep(Duration::from_millis(500)).await;
    sellout_e2e::mail()
        .await
        .messages_to(to)
        .await
        .unwrap()
        .len()
}

/// Decodes a QR code from PNG bytes.
pub fn read_qr(png_bytes: &[u8]) -> String {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * info.line_size + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn an_order_is_mailed_once_with_a_qr_per_ticket_however_often_it_comes() {
    let stage = Stage::new().await;
    let mail = sellout_e2e::mail().await;
    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, mailpit().await);
    let to = buyer();
    let order = stage.order(&to, 2);
    let email = stage.email(&order);

    // Other subjects: `orders` is not the e-mail consumer's; a `refunds`
    // message that is not an OrderRefunded is dropped without a mail.
    stage
        .publish("orders", b"placed".to_vec(), "orders-x")
        .await;
    let first = stage.publish_order(&order).await;
    assert!(!first.duplicate);
    let refund = stage
        .publish("refunds", b"refunded".to_vec(), "refunds-x")
        .await;
    let info = stage.settled(EMAIL_CONSUMER, refund.sequence).await;
    assert_eq!(info.delivered.stream_sequence, refund.sequence);
    assert_eq!(info.num_redelivered, 0, "{info:?}");

    let got = mail
        .wait_for(&to, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert!(m.subject.contains(&order.order_number), "{}", m.subject);
    assert!(m.text.contains("Summer Nights"), "{}", m.text);

    // One inline QR image per ticket, decoding to the signed payloads,
    // which verify as this event's tickets.
    assert_eq!(m.inline.len(), 2, "{:?}", m.inline);
    let mut read = BTreeSet::new();
    for part in &m.inline {
        assert_eq!(part.content_type, "image/png");
        read.insert(read_qr(&mail.part(&m.id, &part.part_id).await.unwrap()));
    }
    let sent: BTreeSet<String> = order.tickets.iter().map(|t| t.qr_payload.clone()).collect();
    assert_eq!(read, sent);
    let mut verifier = Verifier::new();
    verifier.insert(stage.signer.key_id(), stage.signer.verifying_key());
    let ids: BTreeSet<String> = read
        .iter()
        .map(|payload| {
            let claims = verifier.verify(payload).unwrap();
            assert_eq!(claims.event, stage.uid);
            claims.ticket.to_string()
        })
        .collect();
    let want: BTreeSet<String> = order.tickets.iter().map(|t| t.ticket_id.clone()).collect();
    assert_eq!(ids, want);
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].file_name, "tickets.ics");

    // The record: sent, once, with the Message-ID the mail carries.
    assert_eq!(stage.state(&email).await, Some(MailState::Sent));
    let record = stage.record(&email).await;
    assert_eq!(attempts(&record), 1);
    assert_eq!(record.get_str("to").unwrap(), to);
    let message_id = email.message_id(&sender_identity());
    assert_eq!(record.get_str("messageId").unwrap(), message_id);
    let headers: std::collections::HashMap<String, Vec<String>> = reqwest::get(format!(
        "{}/api/v1/message/{}/headers",
        mail.http_url(),
        m.id
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(
        headers.get("Message-Id").or(headers.get("Message-ID")),
        Some(&vec![message_id]),
        "{headers:?}"
    );

    // The same publish retried: JetStream drops it (same Nats-Msg-Id).
    let again = stage.publish_order(&order).await;
    assert!(again.duplicate, "{again:?}");
    // Published again after the deduplication window (a new message id):
    // delivered, and acked without a second mail.
    let late = stage
        .publish(
            "tickets",
            order.encode_to_vec(),
            &format!("late-{}", order.order_id),
        )
        .await;
    assert!(!late.duplicate);
    stage.settled(EMAIL_CONSUMER, late.sequence).await;
    assert_eq!(mails_to(&to).await, 1);

    // Everything delivered again from the start, as a re-created consumer
    // would: no mail goes twice.
    stop.cancel();
    task.await.unwrap();
    let mut replay = consumer_config(&stage.names, EMAIL_CONSUMER);
    replay.durable_name = Some("email-replay".into());
    stage.stream.create_consumer(replay).await.unwrap();
    let (stop, task, _event) = stage.start("email-replay", mailpit().await);
    let info = stage.settled("email-replay", late.sequence).await;
    assert_eq!(info.delivered.stream_sequence, late.sequence);
    assert_eq!(mails_to(&to).await, 1);
    assert_eq!(attempts(&stage.record(&email).await), 1);
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_mail_recorded_sent_but_never_acked_is_not_sent_again() {
    let stage = Stage::new().await;
    // The sender that sent it stopped after recording and before acking:
    // the message is still in the stream, unacked.
    let to = buyer();
    let order = stage.order(&to, 1);
    let email = stage.email(&order);
    stage
        .put_record(&email, doc! {"state": "sent", "sentAt": DateTime::now()})
        .await;
    let ack = stage.publish_order(&order).await;

    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, mailpit().await);
    stage.settled(EMAIL_CONSUMER, ack.sequence).await;
    assert_eq!(mails_to(&to).await, 0);
    let record = stage.record(&email).await;
    assert_eq!(record.get_str("state").unwrap(), "sent");
    assert!(record.get("attempts").is_none(), "{record:?}");

    // A control in the same stream: an order without a record is sent.
    let other_to = buyer();
    let other = stage.order(&other_to, 1);
    let ack = stage.publish_order(&other).await;
    stage.settled(EMAIL_CONSUMER, ack.sequence).await;
    assert_eq!(mails_to(&other_to).await, 1);
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn an_attempt_that_stopped_midway_is_taken_over_once_its_lease_ends() {
    let stage = Stage::new().await;
    let now = DateTime::now().timestamp_millis();
    // Crashed a while ago: its lease has run out.
    let crashed_to = buyer();
    let crashed = stage.order(&crashed_to, 1);
    let crashed_mail = stage.email(&crashed);
    stage
        .put_record(
            &crashed_mail,
            doc! {
                "state": "sending", "owner": "crashed-worker", "attempts": 1_i64,
                "leaseUntil": DateTime::from_millis(now - 1_000),
                "createdAt": DateTime::from_millis(now - 60_000),
            },
        )
        .await;
    // Another sender is at it right now: its lease runs 3 s more.
    let busy_until = now + 3_000;
    let busy_to = buyer();
    let busy = stage.order(&busy_to, 1);
    let busy_mail = stage.email(&busy);
    stage
        .put_record(
            &busy_mail,
            doc! {
                "state": "sending", "owner": "busy-worker", "attempts": 1_i64,
                "leaseUntil": DateTime::from_millis(busy_until),
                "createdAt": DateTime::from_millis(now),
            },
        )
        .await;
    // A record without a lease (written by hand, or by an older sender)
    // is no one's.
    let unleased_to = buyer();
    let unleased = stage.order(&unleased_to, 1);
    stage
        .put_record(&stage.email(&unleased), doc! {"state": "sending"})
        .await;
    stage.publish_order(&crashed).await;
    stage.publish_order(&unleased).await;
    let last = stage.publish_order(&busy).await;

    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, mailpit().await);
    let mail = sellout_e2e::mail().await;
    mail.wait_for(&crashed_to, 1, Duration::from_secs(10))
        .await
        .unwrap();
    let record = stage.record(&crashed_mail).await;
    assert_eq!(record.get_str("state").unwrap(), "sent");
    assert_eq!(attempts(&record), 2);

    // Left alone while its lease lasts...
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    if DateTime::now().timestamp_millis() < busy_until - 300 {
        assert_eq!(mail.messages_to(&busy_to).await.unwrap().len(), 0);
        let record = stage.record(&busy_mail).await;
        assert_eq!(record.get_str("state").unwrap(), "sending");
        assert_eq!(record.get_str("owner").unwrap(), "busy-worker");
    }
    // ...and sent once it has run out without an outcome.
    stage.settled(EMAIL_CONSUMER, last.sequence).await;
    assert_eq!(mails_to(&busy_to).await, 1);
    assert_eq!(mails_to(&crashed_to).await, 1);
    assert_eq!(mails_to(&unleased_to).await, 1);
    let record = stage.record(&busy_mail).await;
    assert_eq!(record.get_str("state").unwrap(), "sent");
    assert_eq!(attempts(&record), 2);
    let sent_at = record.get_datetime("sentAt").unwrap().timestamp_millis();
    assert!(
        sent_at >= busy_until,
        "sent {} ms before the lease ended",
        busy_until - sent_at
    );
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_bad_address_is_recorded_as_failed_and_not_retried() {
    let stage = Stage::new().await;
    let to = "grace@@example.com";
    let order = stage.order(to, 1);
    let email = stage.email(&order);
    let ack = stage.publish_order(&order).await;
    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, mailpit().await);
    stage.settled(EMAIL_CONSUMER, ack.sequence).await;
    assert_eq!(stage.state(&email).await, Some(MailState::Failed));
    // Several retry delays later: still the one attempt.
    tokio::time::sleep(fast().first_retry * 4).await;
    let record = stage.record(&email).await;
    assert_eq!(attempts(&record), 1);
    let error = record.get_str("error").unwrap();
    assert!(error.contains("not an e-mail address"), "{error}");
    assert!(
        !error.contains("example.com"),
        "the address leaked: {error}"
    );
    let info = stage.stream.consumer_info(EMAIL_CONSUMER).await.unwrap();
    assert_eq!(info.num_redelivered, 0, "{info:?}");
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_transient_smtp_failure_is_retried_with_backoff_until_it_goes() {
    let stage = Stage::new().await;
    let to = buyer();
    let order = stage.order(&to, 1);
    let email = stage.email(&order);
    let ack = stage.publish_order(&order).await;

    // An SMTP server that is down: nothing listens on the port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, smtp_to("127.0.0.1", port));
    let deadline = Instant::now() + Duration::from_secs(15);
    let record = loop {
        let r = stage.log.record(&email.key()).await.unwrap();
        if let Some(r) = r.filter(|r| attempts(r) >= 3) {
            break r;
        }
        assert!(Instant::now() < deadline, "not retried 3 times");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        matches!(record.get_str("state").unwrap(), "retry" | "sending"),
        "{record:?}"
    );
    let error = record.get_str("error").unwrap();
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    // Not acked meanwhile.
    let info = stage.stream.consumer_info(EMAIL_CONSUMER).await.unwrap();
    assert_eq!(info.ack_floor.stream_sequence, 0, "{info:?}");
    assert!(info.num_redelivered >= 1, "{info:?}");
    stop.cancel();
    task.await.unwrap();

    // The server is back: the next delivery sends it, once.
    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, mailpit().await);
    stage.settled(EMAIL_CONSUMER, ack.sequence).await;
    assert_eq!(mails_to(&to).await, 1);
    let record = stage.record(&email).await;
    assert_eq!(record.get_str("state").unwrap(), "sent");
    assert!(attempts(&record) >= 4, "{record:?}");
    assert!(record.get("error").is_none(), "{record:?}");
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test]
async fn a_refund_is_mailed_once() {
    let stage = Stage::new().await;
    let mail = sellout_e2e::mail().await;
    let (stop, task, _event) = stage.start(EMAIL_CONSUMER, mailpit().await);
    let to = buyer();
    let order = stage.order(&to, 3);
    let refund = pb::OrderRefunded {
        order_id: order.order_id.clone(),
        order_number: order.order_number.clone(),
        event_uid: order.event_uid.clone(),
        buyer_email: to.clone(),
        buyer_name: "Ada".into(),
        refund_id: format!("ref-{}", Uuid::new_v4().simple()),
        amount: Some(pb::Money {
            amount_minor: 2050,
            currency: "GBP".into(),
        }),
        ticket_ids: vec![order.tickets[0].ticket_id.clone()],
        fees_returned: false,
        reason: "test".into(),
    };
    let id = format!("refund-{}", refund.refund_id);
    let first = stage.publish("refunds", refund.encode_to_vec(), &id).await;
    // Again under another message id: still one mail (its record says sent).
    let again = stage
        .publish("refunds", refund.encode_to_vec(), &format!("{id}-again"))
        .await;
    assert!(again.sequence > first.sequence);
    stage.settled(EMAIL_CONSUMER, again.sequence).await;
    let got = mail
        .wait_for(&to, 1, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got.len(), 1, "one refund mail");
    assert!(got[0].text.contains("20.50"), "{}", got[0].text);
    assert!(got[0].text.contains("1 ticket"), "{}", got[0].text);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(mail.messages_to(&to).await.unwrap().len(), 1);
    stop.cancel();
    task.await.unwrap();
}
