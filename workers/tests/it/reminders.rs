//! Reminders and SMS against real NATS JetStream, FerretDB, mailpit and a
//! local HTTP sink standing in for the SMS API: an order's reminders are
//! recorded from its stream message, the one past due is skipped, the due
//! one is mailed once with two schedulers racing, due times follow the
//! doors, an order refunded in full gets none; an order with a phone
//! number is texted once however often its message comes, a refused
//! number is not retried and a busy API is.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, stream::Stream};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use mongodb::bson::{Document, doc};
use prost::Message as _;
use sellout_common::names::{EMAIL_CONSUMER, Names, consumer_config, stream_config};
use sellout_common::proto::v1::{self as pb, IssuedTicket, OrderCompleted};
use sellout_notify::sms::{self, SmsClient};
use sellout_store::sent::{MailState, SentLog};
use sellout_workers::email::delivery::EmailSender;
use sellout_workers::email::once;
use sellout_workers::email::reminders::{self, Schedule, Scheduler};
use sellout_workers::email::{
    Brand, Email, EventDay, EventInfo, EventReminder, Mailer, ReminderKind, Sender, SmtpConfig,
    TlsMode, Venue,
};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

const DB: &str = "sellout_it_reminders";

/// Leads in seconds instead of days and hours.
const SCHEDULE: Schedule = Schedule {
    two_weeks: Duration::from_secs(60),
    eight_hours: Duration::from_secs(10),
};

fn event_info(doors_in: Duration) -> EventInfo {
    let doors = jiff::Timestamp::now() + doors_in;
    EventInfo {
        id: format!("it/reminders-{}", Uuid::new_v4().simple()),
        title: "Summer Nights".into(),
        venue: Venue {
            name: "The Roundhouse".into(),
            address: vec!["Chalk Farm Road".into()],
            timezone: "Europe/London".into(),
        },
        days: vec![EventDay {
            doors_at: doors,
            starts_at: doors + Duration::from_secs(3600),
            ends_at: doors + Duration::from_secs(4 * 3600),
        }],
    }
}

fn fast() -> once::Settings {
    once::Settings {
        attempt_timeout: Duration::from_secs(10),
        first_retry: Duration::from_millis(300),
        max_retry: Duration::from_secs(1),
        rebind_after: Duration::from_millis(200),
        ..once::Settings::default()
    }
}

fn brand() -> Brand {
    Brand {
        organization: "Roundhouse Presents".into(),
        legal_line: "Roundhouse Presents Ltd".into(),
        support_email: None,
    }
}

fn sender_identity() -> Sender {
    Sender::new("Sellout <tickets@sellout.example>").unwrap()
}

async fn mailpit() -> Mailer {
    let mail = sellout_e2e::mail().await;
    Mailer::new(SmtpConfig {
        host: mail.smtp_host().into(),
        port: mail.smtp_port(),
        credentials: None,
        tls: TlsMode::None,
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

struct Stage {
    uid: Uuid,
    names: Names,
    js: jetstream::Context,
    stream: Stream,
    db: mongodb::Database,
    event: watch::Sender<EventInfo>,
    stops: Vec<CancellationToken>,
}

impl Drop for Stage {
    fn drop(&mut self) {
        for s in &self.stops {
            s.cancel();
        }
    }
}

impl Stage {
    async fn new(doors_in: Duration) -> Self {
        // Started first, so the doors are counted from when all is up.
        sellout_e2e::mail().await;
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
        let (event, _) = watch::channel(event_info(doors_in));
        Stage {
            uid,
            names,
            js,
            stream,
            db,
            event,
            stops: vec![],
        }
    }

    /// Starts the stream's e-mail sender (reminders on, with `sms` if
    /// given).
    async fn start_sender(&mut self, sms: Option<SmsClient>) {
        let mut s = EmailSender::new(
            self.js.clone(),
            self.names.clone(),
            mailpit().await,
            sender_identity(),
            brand(),
            self.db.clone(),
            self.event.subscribe(),
            "it-sender".into(),
        );
        s.settings = fast();
        s.reminders = Some(SCHEDULE);
        s.sms = sms;
        let stop = CancellationToken::new();
        tokio::spawn(s.run(stop.clone()));
        self.stops.push(stop);
    }

    /// Starts a reminder scheduler looking every 200 ms.
    async fn start_scheduler(&mut self, identity: &str) {
        let mut s = Scheduler::new(
            self.db.clone(),
            self.names.clone(),
            mailpit().await,
            sender_identity(),
            brand(),
            self.event.subscribe(),
            identity.into(),
        );
        s.settings = reminders::Settings {
            schedule: SCHEDULE,
            tick: Duration::from_millis(200),
            batch: 10,
            mail: fast(),
        };
        let stop = CancellationToken::new();
        tokio::spawn(s.run(stop.clone()));
        self.stops.push(stop);
    }

    fn order(&self, to: &str, phone: &str, tickets: usize) -> OrderCompleted {
        let gbp = |minor| {
            Some(pb::Money {
                amount_minor: minor,
                currency: "GBP".into(),
            })
        };
        OrderCompleted {
            order_id: format!("ord-{}", Uuid::new_v4().simple()),
            order_number: format!("SO-{}", &Uuid::new_v4().simple().to_string()[..6])
                .to_uppercase(),
            event_uid: self.uid.to_string(),
            buyer_email: to.into(),
            buyer_name: "Grace".into(),
            buyer_phone: phone.into(),
            // Numbers given here stand for ones the buyer logged in with.
            buyer_phone_verified: !phone.is_empty(),
            placed_at_ms: jiff::Timestamp::now().as_millisecond(),
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
                .map(|i| IssuedTicket {
                    ticket_id: format!("T-{i}-{}", Uuid::new_v4().simple()),
                    label: "General admission".into(),
                    qr_payload: format!("PAYLOAD {i}"),
                    admissions: 1,
                    // The tier and, on main, the seat: not used here.
                    ..IssuedTicket::default()
                })
                .collect(),
        }
    }

    async fn publish(&self, what: &str, payload: Vec<u8>, msg_id: &str) -> u64 {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", msg_id);
        self.js
            .publish_with_headers(self.names.subject(what), headers, payload.into())
            .await
            .unwrap()
            .await
            .unwrap()
            .sequence
    }

    /// Waits until the e-mail consumer has acked everything up to `seq`.
    async fn settled(&self, seq: u64) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let info = self.stream.consumer_info(EMAIL_CONSUMER).await.unwrap();
            if info.ack_floor.stream_sequence >= seq
                && info.num_pending == 0
                && info.num_ack_pending == 0
            {
                return;
            }
            assert!(Instant::now() < deadline, "not settled at {seq}: {info:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn reminder(&self, order: &OrderCompleted, kind: ReminderKind) -> Document {
        sellout_store::sent::reminders(&self.db)
            .find_one(doc! {"_id": reminders::reminder_id(&order.order_id, kind)})
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no {kind:?} reminder of {}", order.order_id))
    }

    async fn reminder_state(&self, order: &OrderCompleted, kind: ReminderKind) -> String {
        self.reminder(order, kind)
            .await
            .get_str("state")
            .unwrap()
            .to_owned()
    }

    /// Waits until the reminder of `kind` is in `state`.
    async fn wait_reminder(
        &self,
        order: &OrderCompleted,
        kind: ReminderKind,
        state: &str,
        timeout: Duration,
    ) {
        let deadline = Instant::now() + timeout;
        loop {
            let now = self.reminder_state(order, kind).await;
            if now == state {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the {kind:?} reminder is {now}, not {state}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn reminder_email(&self, order: &OrderCompleted, kind: ReminderKind) -> Email {
        Email::EventReminder(EventReminder {
            order_id: order.order_id.clone(),
            order_number: order.order_number.clone(),
            event: self.event.borrow().clone(),
            kind,
            tickets: order.tickets.len() as u32,
        })
    }
}

fn buyer() -> String {
    format!("buyer-{}@example.com", Uuid::new_v4().simple())
}

/// The mails `to` has, after a pause long enough for a stray one.
async fn subjects_to(to: &str) -> Vec<String> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut s: Vec<String> = sellout_e2e::mail()
        .await
        .messages_to(to)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.subject)
        .collect();
    s.sort();
    s
}

#[tokio::test]
async fn the_due_reminder_is_mailed_once_with_two_schedulers_and_the_late_one_skipped() {
    // Doors in 16 s: the "two-week" reminder (60 s) is past due at order
    // time, the "eight-hour" one (10 s) due in 6 s.
    let mut stage = Stage::new(Duration::from_secs(16)).await;
    stage.start_sender(None).await;
    let to = buyer();
    let order = stage.order(&to, "", 2);
    let seq = stage
        .publish(
            "tickets",
            order.encode_to_vec(),
            &format!("tickets-{}", order.order_id),
        )
        .await;
    stage.settled(seq).await;
    assert_eq!(
        stage.reminder_state(&order, ReminderKind::TwoWeeks).await,
        "skipped"
    );
    let eight = stage.reminder(&order, ReminderKind::EightHours).await;
    assert_eq!(eight.get_str("state").unwrap(), "due", "{eight:?}");
    assert_eq!(eight.get_str("orderNumber").unwrap(), order.order_number);

    stage.start_scheduler("it-scheduler-a").await;
    stage.start_scheduler("it-scheduler-b").await;
    // Not before its due time.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        stage.reminder_state(&order, ReminderKind::EightHours).await,
        "due"
    );
    stage
        .wait_reminder(
            &order,
            ReminderKind::EightHours,
            "sent",
            Duration::from_secs(15),
        )
        .await;
    let got = sellout_e2e::mail()
        .await
        .wait_for(&to, 2, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
    // Both schedulers keep looking until the doors: still one reminder.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let subjects = subjects_to(&to).await;
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert_eq!(
        subjects
            .iter()
            .filter(|s| s.contains("doors open at"))
            .count(),
        1,
        "{subjects:?}"
    );
    let email = stage.reminder_email(&order, ReminderKind::EightHours);
    let record = SentLog::emails(&stage.db)
        .record(&email.key())
        .await
        .unwrap()
        .expect("the reminder's mail record");
    assert_eq!(record.get_str("state").unwrap(), "sent");
    assert_eq!(record.get_str("kind").unwrap(), "reminder-8h");
    // The skipped one was never mailed.
    let two = stage.reminder_email(&order, ReminderKind::TwoWeeks);
    assert_eq!(
        SentLog::emails(&stage.db).state(&two.key()).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn due_times_follow_the_doors() {
    // Due in 2 s; the doors then move 10 s later, and so does the
    // reminder.
    let mut stage = Stage::new(Duration::from_secs(12)).await;
    stage.start_sender(None).await;
    let to = buyer();
    let order = stage.order(&to, "", 1);
    let seq = stage
        .publish(
            "tickets",
            order.encode_to_vec(),
            &format!("tickets-{}", order.order_id),
        )
        .await;
    stage.settled(seq).await;
    let moved_at = Instant::now();
    stage.event.send_modify(|e| {
        e.days[0].doors_at += Duration::from_secs(10);
    });
    stage.start_scheduler("it-scheduler").await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(
        stage.reminder_state(&order, ReminderKind::EightHours).await,
        "due",
        "sent at the old due time"
    );
    stage
        .wait_reminder(
            &order,
            ReminderKind::EightHours,
            "sent",
            Duration::from_secs(15),
        )
        .await;
    assert!(moved_at.elapsed() >= Duration::from_secs(9));
    let subjects = subjects_to(&to).await;
    assert_eq!(subjects.len(), 2, "{subjects:?}");
}

#[tokio::test]
async fn an_order_refunded_in_full_gets_no_reminders() {
    let mut stage = Stage::new(Duration::from_secs(14)).await;
    stage.start_sender(None).await;
    stage.start_scheduler("it-scheduler").await;
    let to = buyer();
    let order = stage.order(&to, "", 2);
    let partial = stage.order(&to, "", 2);
    for o in [&order, &partial] {
        stage
            .publish(
                "tickets",
                o.encode_to_vec(),
                &format!("tickets-{}", o.order_id),
            )
            .await;
    }
    let refund = |o: &OrderCompleted, tickets: usize, last: bool| pb::OrderRefunded {
        order_id: o.order_id.clone(),
        order_number: o.order_number.clone(),
        event_uid: o.event_uid.clone(),
        buyer_email: o.buyer_email.clone(),
        buyer_name: o.buyer_name.clone(),
        refund_id: format!("re-{}", Uuid::new_v4().simple()),
        amount: Some(pb::Money {
            amount_minor: 7500,
            currency: "GBP".into(),
        }),
        ticket_ids: o.tickets[..tickets]
            .iter()
            .map(|t| t.ticket_id.clone())
            .collect(),
        fees_returned: last,
        reason: "requested_by_customer".into(),
    };
    stage
        .publish(
            "refunds",
            refund(&order, 2, true).encode_to_vec(),
            "refund-full",
        )
        .await;
    let seq = stage
        .publish(
            "refunds",
            refund(&partial, 1, false).encode_to_vec(),
            "refund-partial",
        )
        .await;
    stage.settled(seq).await;
    let eight = stage.reminder(&order, ReminderKind::EightHours).await;
    assert_eq!(eight.get_str("state").unwrap(), "skipped", "{eight:?}");
    assert_eq!(eight.get_str("reason").unwrap(), "refunded in full");
    // The partly refunded order still gets its reminder.
    stage
        .wait_reminder(
            &partial,
            ReminderKind::EightHours,
            "sent",
            Duration::from_secs(15),
        )
        .await;
    assert_eq!(
        stage.reminder_state(&order, ReminderKind::EightHours).await,
        "skipped"
    );
    let refunded = stage.reminder_email(&order, ReminderKind::EightHours);
    assert_eq!(
        SentLog::emails(&stage.db)
            .state(&refunded.key())
            .await
            .unwrap(),
        None
    );

    // A refund seen before its order: the order's reminders stay skipped.
    let early = stage.order(&to, "", 1);
    let seq = stage
        .publish(
            "refunds",
            refund(&early, 1, true).encode_to_vec(),
            "refund-early",
        )
        .await;
    stage.settled(seq).await;
    let seq = stage
        .publish(
            "tickets",
            early.encode_to_vec(),
            &format!("tickets-{}", early.order_id),
        )
        .await;
    stage.settled(seq).await;
    let early = stage.reminder(&early, ReminderKind::EightHours).await;
    assert_eq!(early.get_str("state").unwrap(), "skipped", "{early:?}");
    assert_eq!(early.get_str("reason").unwrap(), "refunded in full");
}

/// One request the SMS sink received: the account in its path, its
/// `Authorization` header and its form fields.
#[derive(Clone, Debug)]
struct Received {
    sid: String,
    auth: String,
    form: Vec<(String, String)>,
}

/// What the SMS sink received, and what it answers.
#[derive(Default)]
struct Sink {
    requests: Vec<Received>,
    /// Answers to give, in order; 201 once they run out.
    answers: Vec<(StatusCode, String)>,
}

async fn messages(
    State(sink): State<Arc<Mutex<Sink>>>,
    axum::extract::Path(sid): axum::extract::Path<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> impl IntoResponse {
    let mut sink = sink.lock().unwrap();
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    sink.requests.push(Received { sid, auth, form });
    if sink.answers.is_empty() {
        let n = sink.requests.len();
        (
            StatusCode::CREATED,
            format!(r#"{{"sid": "SM{n}", "status": "queued"}}"#),
        )
    } else {
        sink.answers.remove(0)
    }
}

/// A local stand-in for the SMS API, and a client of it.
async fn sms_sink(answers: Vec<(StatusCode, String)>) -> (Arc<Mutex<Sink>>, SmsClient) {
    let sink = Arc::new(Mutex::new(Sink {
        answers,
        ..Sink::default()
    }));
    let app = axum::Router::new()
        .route(
            "/2010-04-01/Accounts/{sid}/Messages.json",
            axum::routing::post(messages),
        )
        .with_state(sink.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "it-token\n").unwrap();
    let client = SmsClient::new(&sms::SmsConfig {
        base_url: format!("http://{addr}"),
        account_sid: "ACit".into(),
        token_file: token,
        from: "+15005550006".into(),
        timeout: Duration::from_secs(5),
        policy: Default::default(),
        ca_file: None,
    })
    .unwrap();
    (sink, client)
}

async fn sms_state(stage: &Stage, order: &OrderCompleted) -> Option<MailState> {
    SentLog::texts(&stage.db)
        .state(&format!("sms/{}", order.order_id))
        .await
        .unwrap()
}

#[tokio::test]
async fn an_order_with_a_phone_is_texted_once_however_often_it_comes() {
    let mut stage = Stage::new(Duration::from_secs(30 * 24 * 3600)).await;
    let (sink, client) = sms_sink(vec![]).await;
    stage.start_sender(Some(client)).await;
    let to = buyer();
    let order = stage.order(&to, "+447700900123", 2);
    let no_phone = stage.order(&buyer(), "", 1);
    // A number typed at checkout, never proven: not texted (anyone can
    // type a premium-rate number).
    let unverified = OrderCompleted {
        buyer_phone_verified: false,
        ..stage.order(&buyer(), "+447700900999", 1)
    };
    // The same order twice (as a retried publish outside the duplicate
    // window would be), and orders without a (verified) phone.
    stage
        .publish("tickets", order.encode_to_vec(), "tickets-once")
        .await;
    stage
        .publish("tickets", no_phone.encode_to_vec(), "tickets-no-phone")
        .await;
    stage
        .publish("tickets", unverified.encode_to_vec(), "tickets-unverified")
        .await;
    let seq = stage
        .publish("tickets", order.encode_to_vec(), "tickets-again")
        .await;
    stage.settled(seq).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let requests = sink.lock().unwrap().requests.clone();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let Received { sid, auth, form } = &requests[0];
    assert_eq!(sid, "ACit");
    // base64("ACit:it-token")
    assert_eq!(auth, "Basic QUNpdDppdC10b2tlbg==");
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    assert_eq!(field("To"), "+447700900123");
    assert_eq!(field("From"), "+15005550006");
    assert_eq!(
        field("Body"),
        format!(
            "Your 2 tickets for Summer Nights are in your e-mail, order {}",
            order.order_number
        )
    );
    assert_eq!(sms_state(&stage, &order).await, Some(MailState::Sent));
    assert_eq!(sms_state(&stage, &no_phone).await, None);
    assert_eq!(sms_state(&stage, &unverified).await, None);
    // The mail went once too.
    assert_eq!(subjects_to(&to).await.len(), 1);
}

#[tokio::test]
async fn a_refused_number_is_not_retried_and_a_busy_api_is() {
    let mut stage = Stage::new(Duration::from_secs(30 * 24 * 3600)).await;
    let (sink, client) = sms_sink(vec![
        (
            StatusCode::BAD_REQUEST,
            r#"{"code": 21211, "message": "The 'To' number +15005550001 is not a valid phone number.", "status": 400}"#.into(),
        ),
        (StatusCode::SERVICE_UNAVAILABLE, "down".into()),
        (StatusCode::TOO_MANY_REQUESTS, "slow down".into()),
    ])
    .await;
    stage.start_sender(Some(client)).await;
    let refused = stage.order(&buyer(), "+15005550001", 1);
    let seq = stage
        .publish("tickets", refused.encode_to_vec(), "tickets-refused")
        .await;
    stage.settled(seq).await;
    assert_eq!(sms_state(&stage, &refused).await, Some(MailState::Failed));
    let record = SentLog::texts(&stage.db)
        .record(&format!("sms/{}", refused.order_id))
        .await
        .unwrap()
        .unwrap();
    let error = record.get_str("error").unwrap();
    assert!(error.contains("21211"), "{error}");
    assert!(!error.contains("5550001"), "the number is blanked: {error}");

    let busy = stage.order(&buyer(), "+15005550006", 3);
    let seq = stage
        .publish("tickets", busy.encode_to_vec(), "tickets-busy")
        .await;
    stage.settled(seq).await;
    assert_eq!(sms_state(&stage, &busy).await, Some(MailState::Sent));
    let requests = sink.lock().unwrap().requests.clone();
    // Refused once; busy twice, then accepted.
    assert_eq!(requests.len(), 4, "{requests:?}");
}

#[tokio::test]
async fn a_reminder_whose_scheduler_died_after_sending_is_taken_over_and_not_mailed_again() {
    let mut stage = Stage::new(Duration::from_secs(14)).await;
    stage.start_sender(None).await;
    let to = buyer();
    let sent = stage.order(&to, "", 1);
    let unsent = stage.order(&to, "", 1);
    let mut seq = 0;
    for o in [&sent, &unsent] {
        seq = stage
            .publish(
                "tickets",
                o.encode_to_vec(),
                &format!("tickets-{}", o.order_id),
            )
            .await;
    }
    stage.settled(seq).await;
    // A scheduler that died: both reminders `sending` under a lease that
    // has run out; the first one's mail had gone out and was recorded.
    let reminders = sellout_store::sent::reminders(&stage.db);
    for o in [&sent, &unsent] {
        let r = reminders
            .update_one(
                doc! {"_id": reminders::reminder_id(&o.order_id, ReminderKind::EightHours), "state": "due"},
                doc! {"$set": {
                    "state": "sending",
                    "owner": "dead-scheduler",
                    "leaseUntil": mongodb::bson::DateTime::from_millis(
                        mongodb::bson::DateTime::now().timestamp_millis() - 1000,
                    ),
                }},
            )
            .await
            .unwrap();
        assert_eq!(r.modified_count, 1);
    }
    let email = stage.reminder_email(&sent, ReminderKind::EightHours);
    stage
        .db
        .collection::<Document>("emails") // as the store names buyers' mail records
        .insert_one(doc! {
            "_id": email.key(),
            "state": "sent",
            "kind": "reminder-8h",
            "orderId": &sent.order_id,
            "to": &to,
            "attempts": 1_i64,
        })
        .await
        .unwrap();
    stage.start_scheduler("it-scheduler").await;
    for o in [&sent, &unsent] {
        stage
            .wait_reminder(o, ReminderKind::EightHours, "sent", Duration::from_secs(15))
            .await;
    }
    // Two confirmations and one reminder: the recorded one is not sent
    // again.
    let subjects = subjects_to(&to).await;
    assert_eq!(
        subjects
            .iter()
            .filter(|s| s.contains("doors open at"))
            .count(),
        1,
        "{subjects:?}"
    );
    assert_eq!(subjects.len(), 3, "{subjects:?}");
}
