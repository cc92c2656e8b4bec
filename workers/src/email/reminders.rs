//! Reminder mails before the event (two weeks and eight hours before the
//! doors of its first day), scheduled durably in MongoDB.
//!
//! **Scheduling.** When an order completes, the e-mail sender
//! ([`super::delivery::EmailSender`], on the `OrderCompleted` message of
//! `<event>.tickets`) records one document per reminder in
//! `reminders` ([`schedule`]), `_id` = `<order id>/<2w|8h>`, state
//! `due`; a reminder whose due time has already passed when the order
//! completes is recorded `skipped` (an order two days before the show gets
//! the eight-hour reminder only, never a late "two weeks" one). The insert
//! is idempotent: a redelivered order finds its documents there.
//!
//! **Due times follow the doors.** A reminder document stores no due
//! time: the [`Scheduler`] works out each kind's due time from the current
//! [`EventInfo`] (the first day's doors minus the kind's lead, see
//! [`Schedule`]) at every tick, so moving the doors moves every reminder
//! with them. A reminder may be sent in its window only: from its due
//! time until the next reminder's due time (the two-week one) or the doors
//! (the eight-hour one). A reminder found past its window (the worker was
//! down, the doors moved earlier) is marked `skipped`, not sent late; one
//! that was skipped or sent stays so if the doors later move back.
//!
//! **Refunds.** An `OrderRefunded` that returns the fees is the refund of
//! the order's last tickets (the refund flow returns the fees only then):
//! the sender marks the order's reminders that are still `due` as
//! `skipped` ([`cancel`]), or writes them `skipped` if the order's own
//! message has not been handled yet. A reminder already being sent when
//! the refund arrives goes out.
//!
//! **Sending, exactly once.** Every few seconds ([`Settings::tick`]) the
//! scheduler claims due reminders one document at a time with a
//! conditional update (`due` → `sending` with a lease; or `sending` whose
//! lease ran out, its sender having died), so two schedulers never hold
//! the same reminder. The mail itself goes through the same record as
//! every buyer's mail (the `emails` collection, keyed by
//! [`Email::key`](super::Email::key), see [`super::delivery`]): a
//! reminder claimed twice (a lease that ran out while its mail was
//! actually sent) is still mailed once, within the one window no SMTP
//! sender can close. Then the reminder is marked `sent` (or `failed` when
//! the mail cannot be delivered; or back to `due` with a `notBefore` after
//! a transient failure).

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use mongodb::Database;
use mongodb::bson::DateTime;
use sellout_common::names::Names;
use sellout_common::proto::v1::OrderCompleted;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::once::{self, Once, Outcome, send_mail};
use super::{Brand, Email, EventInfo, EventReminder, Mailer, ReminderKind, Sender};
pub use sellout_store::reminders::ReminderState;
use sellout_store::reminders::{NewReminder, ReminderStore};
use sellout_store::sent::{MailState, NewRecord, SentLog};

/// Every reminder, earliest first.
pub const KINDS: [ReminderKind; 2] = [ReminderKind::TwoWeeks, ReminderKind::EightHours];

/// How long before the doors each reminder is due. The defaults are the
/// product's (14 days, 8 hours); tests use seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Lead of [`ReminderKind::TwoWeeks`].
    pub two_weeks: Duration,
    /// Lead of [`ReminderKind::EightHours`].
    pub eight_hours: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            two_weeks: Duration::from_secs(14 * 24 * 3600),
            eight_hours: Duration::from_secs(8 * 3600),
        }
    }
}

/// Where a reminder stands against the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Not due before this time.
    Early(Timestamp),
    /// Due: may be sent now.
    Due,
    /// Its window has passed: it is not sent.
    Late,
}

impl Schedule {
    /// How long before the doors `kind` is due.
    pub fn lead(&self, kind: ReminderKind) -> Duration {
        match kind {
            ReminderKind::TwoWeeks => self.two_weeks,
            ReminderKind::EightHours => self.eight_hours,
        }
    }

    /// When `kind` is due for doors at `doors`.
    pub fn due_at(&self, kind: ReminderKind, doors: Timestamp) -> Timestamp {
        let lead = SignedDuration::try_from(self.lead(kind)).unwrap_or(SignedDuration::MAX);
        doors.checked_sub(lead).unwrap_or(Timestamp::MIN)
    }

    /// When `kind` may be sent: from its due time until the due time of
    /// the next reminder with a shorter lead, or until the doors.
    pub fn window(&self, kind: ReminderKind, doors: Timestamp) -> (Timestamp, Timestamp) {
        let start = self.due_at(kind, doors);
        let end = KINDS
            .iter()
            .filter(|k| self.lead(**k) < self.lead(kind))
            .map(|k| self.due_at(*k, doors))
            .min()
            .unwrap_or(doors);
        (start, end.max(start))
    }

    /// Where `kind` stands at `now` for doors at `doors`.
    pub fn when(&self, kind: ReminderKind, doors: Timestamp, now: Timestamp) -> When {
        let (start, end) = self.window(kind, doors);
        if now < start {
            When::Early(start)
        } else if now < end {
            When::Due
        } else {
            When::Late
        }
    }

    /// The state a reminder of `kind` is first recorded in, for an order
    /// completed at `now`: `due` while its due time is ahead, `skipped`
    /// once it has passed (not sent late).
    pub fn initial(&self, kind: ReminderKind, doors: Timestamp, now: Timestamp) -> ReminderState {
        if now < self.due_at(kind, doors) {
            ReminderState::Due
        } else {
            ReminderState::Skipped
        }
    }
}

/// The doors of the event's first day (the earliest doors of its days).
pub fn doors(event: &EventInfo) -> Option<Timestamp> {
    event.days.iter().map(|d| d.doors_at).min()
}

/// The short name of a reminder kind, as in reminder ids (`2w`, `8h`).
pub fn kind_name(kind: ReminderKind) -> &'static str {
    match kind {
        ReminderKind::TwoWeeks => "2w",
        ReminderKind::EightHours => "8h",
    }
}

/// The id of an order's reminder of `kind`: `<order id>/<kind>`.
pub fn reminder_id(order_id: &str, kind: ReminderKind) -> String {
    format!("{order_id}/{}", kind_name(kind))
}

fn kind_of(name: &str) -> Option<ReminderKind> {
    KINDS.into_iter().find(|k| kind_name(*k) == name)
}

fn bson_time(t: Timestamp) -> DateTime {
    DateTime::from_millis(t.as_millisecond())
}

/// Records the reminders of a completed `order` of the event whose stream
/// is `stream`, as of `now`: `due`, or `skipped` when already past due
/// (or when the event has no days). Idempotent: documents already there
/// (a redelivered order, a refund seen first) are left as they are.
pub async fn schedule(
    db: &Database,
    stream: &str,
    order: &OrderCompleted,
    event: &EventInfo,
    schedule: &Schedule,
    now: Timestamp,
) -> Result<(), mongodb::error::Error> {
    let store = ReminderStore::new(db);
    let doors = doors(event);
    for kind in KINDS {
        let (state, reason) = match doors {
            Some(d) => match schedule.initial(kind, d, now) {
                ReminderState::Due => (ReminderState::Due, ""),
                _ => (ReminderState::Skipped, "past due when the order completed"),
            },
            None => (ReminderState::Skipped, "the event has no days"),
        };
        store
            .record(
                &NewReminder {
                    id: &reminder_id(&order.order_id, kind),
                    kind: kind_name(kind),
                    order_id: &order.order_id,
                    order_number: &order.order_number,
                    event: &event.id,
                    stream,
                    to: &order.buyer_email,
                    tickets: order.tickets.len() as i64,
                    state,
                    reason,
                },
                bson_time(now),
            )
            .await?;
    }
    Ok(())
}

/// Stops the reminders of `order_id` (refunded in full): `due` ones become
/// `skipped`; a reminder not recorded yet is recorded `skipped`, so the
/// order's own message, handled later, leaves it so. Reminders being sent
/// or done are left alone.
pub async fn cancel(
    db: &Database,
    stream: &str,
    order_id: &str,
    reason: &str,
) -> Result<(), mongodb::error::Error> {
    let store = ReminderStore::new(db);
    for kind in KINDS {
        store
            .skip(
                &reminder_id(order_id, kind),
                kind_name(kind),
                order_id,
                stream,
                reason,
            )
            .await?;
    }
    Ok(())
}

/// How the scheduler paces itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// When reminders are due.
    pub schedule: Schedule,
    /// How often it looks for due reminders.
    pub tick: Duration,
    /// The most reminders claimed in one look.
    pub batch: usize,
    /// Attempt timeout and retry delays of each mail (as for the stream's
    /// mail); a reminder's lease is three attempt timeouts, longer than
    /// the mail's record's, so a mail record is never left to a dead
    /// attempt's lease when its reminder is taken over.
    pub mail: once::Settings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            schedule: Schedule::default(),
            tick: Duration::from_secs(5),
            batch: 50,
            mail: once::Settings::default(),
        }
    }
}

impl Settings {
    /// How long a claim on a reminder lasts.
    pub fn lease(&self) -> Duration {
        self.mail.attempt_timeout * 3
    }
}

/// Sends an event's due reminders: see the [module docs](self).
#[derive(Clone, Debug)]
pub struct Scheduler {
    /// The database holding the reminders and the mail records.
    pub db: Database,
    /// The event's names (its stream name selects its reminders).
    pub names: Names,
    /// SMTP.
    pub mailer: Mailer,
    /// The `From` mailbox and Message-ID domain.
    pub sender: Sender,
    /// The organization, as shown in the mail.
    pub brand: Brand,
    /// The event as the mail shows it, kept current by the caller; its
    /// first day's doors set the due times.
    pub event: watch::Receiver<EventInfo>,
    /// This worker, as written into the documents it claims.
    pub identity: String,
    /// Pacing.
    pub settings: Settings,
}

impl Scheduler {
    /// A scheduler with default settings.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Database,
        names: Names,
        mailer: Mailer,
        sender: Sender,
        brand: Brand,
        event: watch::Receiver<EventInfo>,
        identity: String,
    ) -> Self {
        Scheduler {
            db,
            names,
            mailer,
            sender,
            brand,
            event,
            identity,
            settings: Settings::default(),
        }
    }

    /// Sends due reminders until `stop`, looking every
    /// [`Settings::tick`]. A reminder under way when `stop` comes is
    /// finished (bounded by the attempt timeout). MongoDB failures are
    /// logged and retried at the next tick.
    pub async fn run(self, stop: CancellationToken) {
        let owner = format!("{}/{}", self.identity, uuid::Uuid::new_v4().simple());
        let mails = SentLog::emails(&self.db);
        tracing::info!(stream = %self.names.stream, owner = %owner, "reminder scheduler running");
        while !stop.is_cancelled() {
            if let Err(e) = self.tick(&owner, &mails, &stop).await {
                tracing::warn!(error = %e, "reminders: looking for due reminders failed; trying again");
            }
            tokio::select! {
                () = tokio::time::sleep(self.settings.tick) => {}
                () = stop.cancelled() => {}
            }
        }
    }

    fn store(&self) -> ReminderStore {
        ReminderStore::new(&self.db)
    }

    /// One look: skips what is late, sends what is due.
    async fn tick(
        &self,
        owner: &str,
        mails: &SentLog,
        stop: &CancellationToken,
    ) -> Result<(), mongodb::error::Error> {
        let event = self.event.borrow().clone();
        let Some(doors) = doors(&event) else {
            return Ok(());
        };
        let now = Timestamp::now();
        for kind in KINDS {
            match self.settings.schedule.when(kind, doors, now) {
                When::Early(_) => {}
                When::Late => self.skip_late(kind, doors).await?,
                When::Due => {
                    for id in self.claim(kind, owner).await? {
                        if stop.is_cancelled() {
                            // Claimed but not started: the lease hands it
                            // to the next scheduler.
                            break;
                        }
                        self.send(&id, owner, mails, &event).await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Marks every reminder of `kind` not sent in its window `skipped`.
    async fn skip_late(
        &self,
        kind: ReminderKind,
        doors: Timestamp,
    ) -> Result<(), mongodb::error::Error> {
        let skipped = self
            .store()
            .skip_all(
                &self.names.stream,
                kind_name(kind),
                &format!("not sent before its window closed (doors {doors})"),
            )
            .await?;
        if skipped > 0 {
            tracing::info!(
                kind = kind_name(kind),
                skipped,
                "reminders: past their window; not sent"
            );
        }
        Ok(())
    }

    /// Claims up to [`Settings::batch`] due reminders of `kind`, each with
    /// its own conditional update; returns the ids now held by `owner`.
    async fn claim(
        &self,
        kind: ReminderKind,
        owner: &str,
    ) -> Result<Vec<String>, mongodb::error::Error> {
        let claimed = self
            .store()
            .claim(
                &self.names.stream,
                kind_name(kind),
                owner,
                self.settings.lease(),
                self.settings.batch,
            )
            .await?;
        for (id, took_over) in &claimed {
            if *took_over {
                tracing::warn!(
                    reminder = %id,
                    "reminders: an earlier attempt stopped midway; taking it over"
                );
            }
        }
        Ok(claimed.into_iter().map(|(id, _)| id).collect())
    }

    /// Mails one claimed reminder through the mail record and records its
    /// outcome.
    async fn send(
        &self,
        id: &str,
        owner: &str,
        mails: &SentLog,
        event: &EventInfo,
    ) -> Result<(), mongodb::error::Error> {
        let Some(r) = self.store().get(id).await? else {
            return Ok(());
        };
        let span = tracing::info_span!("reminder", reminder = id);
        async {
            let Some(kind) = kind_of(&r.kind) else {
                tracing::error!("reminders: unknown kind; skipped");
                return self
                    .finish(id, owner, ReminderState::Skipped, "unknown kind", None)
                    .await;
            };
            let tickets = u32::try_from(r.tickets).unwrap_or(0);
            let to = r.to.clone();
            let email = Email::EventReminder(EventReminder {
                order_id: r.order_id.clone(),
                order_number: r.order_number.clone(),
                event: event.clone(),
                kind,
                tickets,
            });
            let key = email.key();
            let record = NewRecord {
                key: &key,
                kind: email.kind(),
                order_id: &r.order_id,
                event: &event.id,
                to: &to,
                message_id: &email.message_id(&self.sender),
                stream: &self.names.stream,
                seq: 0,
            };
            let once = Once {
                log: mails,
                owner,
                settings: &self.settings.mail,
                what: "reminder",
            };
            let outcome = once
                .run(&record, || {
                    send_mail(&self.mailer, &self.brand, &self.sender, &email, &to)
                })
                .await;
            match outcome {
                Outcome::Done(MailState::Failed) => {
                    self.finish(
                        id,
                        owner,
                        ReminderState::Failed,
                        "the mail could not be delivered",
                        None,
                    )
                    .await
                }
                Outcome::Done(_) => self.finish(id, owner, ReminderState::Sent, "", None).await,
                Outcome::Later(delay) => {
                    self.finish(id, owner, ReminderState::Due, "", Some(delay))
                        .await
                }
                // Left `sending`: taken over once the lease ends, when the
                // mail's record says it was sent.
                Outcome::Unrecorded => Ok(()),
            }
        }
        .instrument(span)
        .await
    }

    /// Records the outcome of `owner`'s attempt at reminder `id`.
    async fn finish(
        &self,
        id: &str,
        owner: &str,
        state: ReminderState,
        reason: &str,
        retry_in: Option<Duration>,
    ) -> Result<(), mongodb::error::Error> {
        self.store()
            .finish(id, owner, state, reason, retry_in)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn reminders_are_due_two_weeks_and_eight_hours_before_doors() {
        let s = Schedule::default();
        let doors = t("2026-06-13T17:30:00Z");
        assert_eq!(
            s.due_at(ReminderKind::TwoWeeks, doors),
            t("2026-05-30T17:30:00Z")
        );
        assert_eq!(
            s.due_at(ReminderKind::EightHours, doors),
            t("2026-06-13T09:30:00Z")
        );
        // The two-week reminder may go out until the eight-hour one is
        // due; the eight-hour one until the doors.
        assert_eq!(
            s.window(ReminderKind::TwoWeeks, doors),
            (t("2026-05-30T17:30:00Z"), t("2026-06-13T09:30:00Z"))
        );
        assert_eq!(
            s.window(ReminderKind::EightHours, doors),
            (t("2026-06-13T09:30:00Z"), doors)
        );
    }

    #[test]
    fn a_reminder_is_early_due_or_late() {
        let s = Schedule::default();
        let doors = t("2026-06-13T17:30:00Z");
        let cases = [
            // (kind, now, expected)
            (
                ReminderKind::TwoWeeks,
                "2026-05-30T17:29:59Z",
                When::Early(t("2026-05-30T17:30:00Z")),
            ),
            (ReminderKind::TwoWeeks, "2026-05-30T17:30:00Z", When::Due),
            (ReminderKind::TwoWeeks, "2026-06-13T09:29:59Z", When::Due),
            (ReminderKind::TwoWeeks, "2026-06-13T09:30:00Z", When::Late),
            (
                ReminderKind::EightHours,
                "2026-06-01T00:00:00Z",
                When::Early(t("2026-06-13T09:30:00Z")),
            ),
            (ReminderKind::EightHours, "2026-06-13T09:30:00Z", When::Due),
            (ReminderKind::EightHours, "2026-06-13T17:29:59Z", When::Due),
            (ReminderKind::EightHours, "2026-06-13T17:30:00Z", When::Late),
            (ReminderKind::EightHours, "2026-07-01T00:00:00Z", When::Late),
        ];
        for (kind, now, want) in cases {
            assert_eq!(s.when(kind, doors, t(now)), want, "{kind:?} at {now}");
        }
    }

    #[test]
    fn reminders_past_due_at_order_time_are_skipped() {
        let s = Schedule::default();
        let doors = t("2026-06-13T17:30:00Z");
        let initial = |now| KINDS.map(|k| s.initial(k, doors, t(now)));
        use ReminderState::{Due, Skipped};
        assert_eq!(initial("2026-05-01T00:00:00Z"), [Due, Due]);
        // Two days before: the eight-hour reminder only.
        assert_eq!(initial("2026-06-11T17:30:00Z"), [Skipped, Due]);
        assert_eq!(initial("2026-06-13T12:00:00Z"), [Skipped, Skipped]);
        assert_eq!(initial("2026-06-14T00:00:00Z"), [Skipped, Skipped]);
    }

    #[test]
    fn due_times_follow_the_doors_and_the_first_day() {
        let s = Schedule {
            two_weeks: Duration::from_secs(60),
            eight_hours: Duration::from_secs(10),
        };
        let mut event = EventInfo {
            id: "it/e".into(),
            title: "E".into(),
            venue: super::super::Venue {
                name: "V".into(),
                address: vec![],
                timezone: "UTC".into(),
            },
            days: vec![],
        };
        assert_eq!(doors(&event), None);
        let day = |doors: &str| super::super::EventDay {
            doors_at: t(doors),
            starts_at: t(doors),
            ends_at: t(doors),
        };
        event.days = vec![day("2026-06-14T10:00:00Z"), day("2026-06-13T17:30:00Z")];
        let d = doors(&event).unwrap();
        assert_eq!(d, t("2026-06-13T17:30:00Z"));
        assert_eq!(
            s.due_at(ReminderKind::EightHours, d),
            t("2026-06-13T17:29:50Z")
        );
        // The doors move an hour later: so does the reminder.
        event.days[1] = day("2026-06-13T18:30:00Z");
        let d = doors(&event).unwrap();
        assert_eq!(
            s.when(ReminderKind::EightHours, d, t("2026-06-13T17:29:55Z")),
            When::Early(t("2026-06-13T18:29:50Z"))
        );
    }

    #[test]
    fn ids_and_states_round_trip() {
        assert_eq!(reminder_id("ord-1", ReminderKind::TwoWeeks), "ord-1/2w");
        assert_eq!(reminder_id("ord-1", ReminderKind::EightHours), "ord-1/8h");
        for k in KINDS {
            assert_eq!(kind_of(kind_name(k)), Some(k));
        }
        for s in [
            ReminderState::Due,
            ReminderState::Sending,
            ReminderState::Sent,
            ReminderState::Skipped,
            ReminderState::Failed,
        ] {
            assert_eq!(ReminderState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReminderState::parse("queued"), None);
    }
}
