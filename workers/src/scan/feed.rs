//! What every scan worker follows on the event's stream, from its start:
//! revocations (`<event>.revocations`: refunded and cancelled tickets, to
//! refuse) and check-in records (`<event>.checkins.>`, to count who is in
//! per day). Read by an ordered consumer, kept in memory; the service
//! answers only once the feed has read what the stream held when the
//! worker started, so a restarted worker never forgets a revocation.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_nats::jetstream::{self, consumer::DeliverPolicy};
use futures::StreamExt;
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{
    CheckInCounts, CheckedIn, DayCheckIns, NamedCheckIns, TicketsRevoked,
};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// What the feed has read.
#[derive(Debug, Default)]
struct State {
    /// Revoked ticket ids and why ("refund", "cancel").
    revoked: HashMap<String, String>,
    /// Standing records: (ticket, day) → what it counted.
    standing: HashMap<(String, i32), Standing>,
    /// Per day: the figures.
    days: BTreeMap<i32, Tally>,
    /// Scan ids of every record read (to tell a replayed scan).
    scan_ids: HashSet<String>,
    /// The last stream sequence read.
    seq: u64,
}

/// What one standing record counts.
#[derive(Clone, Debug)]
struct Standing {
    people: i32,
    gate: String,
    tier: String,
    redeemed: bool,
}

/// One day's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Tally {
    /// Tickets admitted, people admitted.
    checked_in: (i64, i64),
    /// Add-ons redeemed.
    redeemed: i64,
    /// By gate and by tier: tickets, people.
    by_gate: BTreeMap<String, (i64, i64)>,
    by_tier: BTreeMap<String, (i64, i64)>,
}

impl Tally {
    fn add(&mut self, s: &Standing, sign: i64) {
        if s.redeemed {
            self.redeemed += sign;
            return;
        }
        let people = sign * i64::from(s.people);
        for t in [
            &mut self.checked_in,
            self.by_gate.entry(s.gate.clone()).or_default(),
            self.by_tier.entry(s.tier.clone()).or_default(),
        ] {
            t.0 += sign;
            t.1 += people;
        }
    }
}

impl State {
    fn apply(&mut self, seq: u64, subject: &str, payload: &[u8], names: &Names) {
        self.seq = self.seq.max(seq);
        if subject == names.subject("revocations") {
            match TicketsRevoked::decode(payload) {
                Ok(r) if r.reinstated => {
                    for t in &r.ticket_ids {
                        self.revoked.remove(t);
                    }
                }
                Ok(r) => {
                    let why = if r.reason.is_empty() {
                        "refund".to_owned()
                    } else {
                        r.reason
                    };
                    for t in r.ticket_ids {
                        self.revoked.insert(t, why.clone());
                    }
                }
                Err(e) => tracing::warn!(seq, error = %e, "undecodable revocation skipped"),
            }
            return;
        }
        let record = match CheckedIn::decode(payload) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(seq, error = %e, "undecodable check-in record skipped");
                return;
            }
        };
        if !record.scan_id.is_empty() {
            self.scan_ids.insert(record.scan_id.clone());
        }
        let key = (record.ticket_id, record.day);
        let day = self.days.entry(key.1).or_default();
        if let Some(old) = self.standing.remove(&key) {
            day.add(&old, -1);
        }
        if !record.undone {
            let now = Standing {
                people: record.admissions,
                gate: record.gate,
                tier: record.tier,
                redeemed: record.redeemed,
            };
            day.add(&now, 1);
            self.standing.insert(key, now);
        }
    }
}

/// The feed of one event, shared by the scan service's requests.
#[derive(Clone, Debug)]
pub struct Feed {
    state: Arc<RwLock<State>>,
    caught_up: watch::Receiver<bool>,
    seq: watch::Receiver<u64>,
}

impl Feed {
    /// Starts following the event's stream; runs until `stop`.
    pub fn start(js: jetstream::Context, names: Names, stop: CancellationToken) -> Self {
        let state = Arc::new(RwLock::new(State::default()));
        let (caught_tx, caught_up) = watch::channel(false);
        let (seq_tx, seq) = watch::channel(0);
        tokio::spawn(follow(js, names, state.clone(), caught_tx, seq_tx, stop));
        Feed {
            state,
            caught_up,
            seq,
        }
    }

    /// Waits until the feed has read the stream as it was when it started
    /// (`false` when it stopped first).
    pub async fn caught_up(&self) -> bool {
        let mut rx = self.caught_up.clone();
        rx.wait_for(|c| *c).await.is_ok()
    }

    /// Why `ticket_id` was revoked, if it was.
    pub fn revoked(&self, ticket_id: &str) -> Option<String> {
        self.state
            .read()
            .expect("feed state")
            .revoked
            .get(ticket_id)
            .cloned()
    }

    /// Every revoked ticket id, sorted, and the sequence read up to.
    pub fn revoked_all(&self) -> (Vec<String>, u64) {
        let s = self.state.read().expect("feed state");
        let mut ids: Vec<String> = s.revoked.keys().cloned().collect();
        ids.sort();
        (ids, s.seq)
    }

    /// Whether a record of scan `scan_id` has been read.
    pub fn recorded(&self, scan_id: &str) -> bool {
        self.state
            .read()
            .expect("feed state")
            .scan_ids
            .contains(scan_id)
    }

    /// Check-ins per day (by gate and tier) as read so far.
    pub fn counts(&self) -> CheckInCounts {
        let s = self.state.read().expect("feed state");
        let named = |m: &BTreeMap<String, (i64, i64)>| -> Vec<NamedCheckIns> {
            m.iter()
                .filter(|(_, (tickets, _))| *tickets != 0)
                .map(|(name, (tickets, people))| NamedCheckIns {
                    name: name.clone(),
                    checked_in: *tickets,
                    admissions: *people,
                })
                .collect()
        };
        CheckInCounts {
            days: s
                .days
                .iter()
                .map(|(day, t)| DayCheckIns {
                    day: *day,
                    checked_in: t.checked_in.0,
                    admissions: t.checked_in.1,
                    redeemed: t.redeemed,
                    by_gate: named(&t.by_gate),
                    by_tier: named(&t.by_tier),
                })
                .collect(),
            seq: s.seq,
        }
    }

    /// Changes whenever the feed reads a message.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.seq.clone()
    }
}

async fn follow(
    js: jetstream::Context,
    names: Names,
    state: Arc<RwLock<State>>,
    caught_up: watch::Sender<bool>,
    seq_tx: watch::Sender<u64>,
    stop: CancellationToken,
) {
    loop {
        let from = state.read().expect("feed state").seq + 1;
        let run = read_from(&js, &names, from, &state, &caught_up, &seq_tx);
        let err = tokio::select! {
            e = run => e,
            () = stop.cancelled() => return,
        };
        tracing::warn!(
            error = format!("{err:#}"),
            "check-in feed interrupted; reading on"
        );
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            () = stop.cancelled() => return,
        }
    }
}

/// Reads from sequence `from` on; returns only on an error.
async fn read_from(
    js: &jetstream::Context,
    names: &Names,
    from: u64,
    state: &RwLock<State>,
    caught_up: &watch::Sender<bool>,
    seq_tx: &watch::Sender<u64>,
) -> anyhow::Error {
    let stream = match js.get_stream(&names.stream).await {
        Ok(s) => s,
        Err(e) => return anyhow::Error::new(e).context("the event's stream"),
    };
    let mut consumer = match stream
        .create_consumer(jetstream::consumer::pull::OrderedConfig {
            filter_subjects: vec![names.checkins(), names.subject("revocations")],
            deliver_policy: DeliverPolicy::ByStartSequence {
                start_sequence: from,
            },
            ..Default::default()
        })
        .await
    {
        Ok(c) => c,
        Err(e) => return anyhow::Error::new(e).context("check-in feed consumer"),
    };
    match consumer.info().await {
        Ok(i) if i.num_pending == 0 => {
            caught_up.send_replace(true);
        }
        Ok(_) => {}
        Err(e) => return anyhow::Error::new(e).context("check-in feed consumer"),
    }
    let mut messages = match consumer.messages().await {
        Ok(m) => m,
        Err(e) => return anyhow::Error::new(e).context("check-in feed"),
    };
    while let Some(m) = messages.next().await {
        let m = match m {
            Ok(m) => m,
            Err(e) => return anyhow::Error::new(e).context("check-in feed"),
        };
        let (seq, pending) = match m.info() {
            Ok(i) => (i.stream_sequence, i.pending),
            Err(e) => return anyhow::Error::from_boxed(e).context("check-in feed message"),
        };
        state
            .write()
            .expect("feed state")
            .apply(seq, m.subject.as_str(), &m.payload, names);
        seq_tx.send_replace(seq);
        if pending == 0 {
            caught_up.send_replace(true);
        }
    }
    anyhow::anyhow!("check-in feed ended")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ticket: &str, day: i32, admissions: i32, undone: bool) -> Vec<u8> {
        CheckedIn {
            ticket_id: ticket.into(),
            day,
            admissions,
            undone,
            gate: "north".into(),
            tier: "ga".into(),
            scan_id: format!("scan-{ticket}-{day}-{undone}"),
            ..Default::default()
        }
        .encode_to_vec()
    }

    fn figures(s: &State, day: i32) -> (i64, i64) {
        s.days[&day].checked_in
    }

    #[test]
    fn counts_follow_admissions_and_undos_and_revocations_are_kept() {
        let names = Names::for_uid("u-1");
        let checkin = |t: &str, d: i32| names.checkin(t, d);
        let mut s = State::default();
        s.apply(1, &checkin("a", 1), &record("a", 1, 1, false), &names);
        s.apply(2, &checkin("b", 1), &record("b", 1, 8, false), &names);
        s.apply(3, &checkin("a", 2), &record("a", 2, 1, false), &names);
        assert_eq!(figures(&s, 1), (2, 9));
        assert_eq!(figures(&s, 2), (1, 1));
        // Undone, then admitted again: counted once.
        s.apply(4, &checkin("b", 1), &record("b", 1, 8, true), &names);
        assert_eq!(figures(&s, 1), (1, 1));
        s.apply(5, &checkin("b", 1), &record("b", 1, 8, false), &names);
        s.apply(6, &checkin("b", 1), &record("b", 1, 8, true), &names);
        s.apply(7, &checkin("b", 1), &record("b", 1, 8, false), &names);
        assert_eq!(figures(&s, 1), (2, 9));
        assert!(s.scan_ids.contains("scan-b-1-true"));
        // An undo of nothing standing changes nothing (never negative).
        s.apply(8, &checkin("z", 1), &record("z", 1, 1, true), &names);
        assert_eq!(figures(&s, 1), (2, 9));

        let revoked = TicketsRevoked {
            order_id: "o".into(),
            ticket_ids: vec!["x".into(), "y".into()],
            reason: "cancel".into(),
            at_ms: 1,
            reinstated: false,
        };
        s.apply(
            9,
            &names.subject("revocations"),
            &revoked.encode_to_vec(),
            &names,
        );
        assert_eq!(s.revoked.get("y").map(String::as_str), Some("cancel"));
        assert_eq!(s.seq, 9);
        // A ticket reinstated (a dispute won) leaves the list; the other
        // stays.
        let reinstated = TicketsRevoked {
            ticket_ids: vec!["x".into()],
            reinstated: true,
            ..revoked.clone()
        };
        s.apply(
            9,
            &names.subject("revocations"),
            &reinstated.encode_to_vec(),
            &names,
        );
        assert!(!s.revoked.contains_key("x"));
        assert!(s.revoked.contains_key("y"));
        // Garbage is skipped, the sequence still advances.
        s.apply(10, &checkin("q", 1), b"\xff\xff", &names);
        assert_eq!(s.seq, 10);
        assert_eq!(figures(&s, 1), (2, 9));
    }

    #[test]
    fn counts_are_kept_by_gate_and_tier_and_add_ons_apart() {
        let names = Names::for_uid("u-1");
        let mut s = State::default();
        let rec = |t: &str, gate: &str, tier: &str, redeemed: bool, undone: bool| {
            CheckedIn {
                ticket_id: t.into(),
                day: 1,
                admissions: if redeemed { 0 } else { 2 },
                gate: gate.into(),
                tier: tier.into(),
                redeemed,
                undone,
                ..Default::default()
            }
            .encode_to_vec()
        };
        s.apply(
            1,
            &names.checkin("a", 1),
            &rec("a", "north", "ga", false, false),
            &names,
        );
        s.apply(
            2,
            &names.checkin("b", 1),
            &rec("b", "vip", "vip", false, false),
            &names,
        );
        s.apply(
            3,
            &names.checkin("c", 1),
            &rec("c", "north", "ga", false, false),
            &names,
        );
        s.apply(
            4,
            &names.checkin("p", 1),
            &rec("p", "car", "parking", true, false),
            &names,
        );
        s.apply(
            5,
            &names.checkin("c", 1),
            &rec("c", "office", "ga", false, true),
            &names,
        );
        let feed = Feed {
            state: Arc::new(RwLock::new(s)),
            caught_up: watch::channel(true).1,
            seq: watch::channel(0).1,
        };
        let c = feed.counts();
        let d = &c.days[0];
        assert_eq!((d.checked_in, d.admissions, d.redeemed), (2, 4, 1));
        let gates: Vec<_> = d
            .by_gate
            .iter()
            .map(|g| (g.name.as_str(), g.checked_in))
            .collect();
        assert_eq!(
            gates,
            [("north", 1), ("vip", 1)],
            "the undo took c off north"
        );
        let tiers: Vec<_> = d
            .by_tier
            .iter()
            .map(|g| (g.name.as_str(), g.admissions))
            .collect();
        assert_eq!(tiers, [("ga", 2), ("vip", 2)]);
        assert_eq!(c.seq, 5);
    }
}
