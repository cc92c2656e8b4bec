//! Names of what an Event owns outside Kubernetes: its JetStream stream and
//! subjects, its request/reply subjects and its hot MongoDB collections.
//!
//! They derive from the Event's UID (not its name), so a re-created Event
//! with the same name never meets the old one's data. The operator creates
//! the stream and collections; the workers use them; both take the names
//! from here.

use std::time::Duration;

use async_nats::jetstream::{consumer, stream};

/// External names of one event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Names {
    /// JetStream stream name.
    pub stream: String,
    /// Subject prefix of the stream (`<prefix>.orders`, …) and of the
    /// workers' request subjects (`<prefix>.rpc.…`, not stored).
    pub subject_prefix: String,
    /// Prefix of the hot collections (`<prefix>inventory`, …).
    pub collection_prefix: String,
}

/// Subjects of an event's stream: orders, tickets, refunds, check-ins
/// (one subject per ticket and day, [`Names::checkin`]), offline scans
/// the ledger refused ([`Names::conflicts`]), revocations, and the
/// checkout writer's inventory ledger.
pub const SUBJECTS: [&str; 7] = [
    "orders",
    "tickets",
    "refunds",
    "checkins.>",
    "conflicts",
    "revocations",
    "ledger",
];
/// The durable consumer that sends buyers' mail.
pub const EMAIL_CONSUMER: &str = "email";
/// The durable consumer that feeds analytics.
pub const ANALYTICS_CONSUMER: &str = "analytics";
/// Durable consumers every event stream has.
pub const CONSUMERS: [&str; 2] = [EMAIL_CONSUMER, ANALYTICS_CONSUMER];

/// The NATS queue group of an event's inventory service (`rpc.<verb>`):
/// one checkout replica answers each request. Also the service's name in
/// traces.
pub const CHECKOUT_QUEUE: &str = "checkout";
/// The NATS queue group of an event's order service (`rpc.order.<verb>`).
/// Also the service's name in traces.
pub const ORDER_QUEUE: &str = "orders";

/// The stream subjects (of [`SUBJECTS`]) a durable consumer reads; empty
/// means all of them.
pub fn consumer_subjects(consumer: &str) -> &'static [&'static str] {
    match consumer {
        // Order confirmations and refund mails.
        EMAIL_CONSUMER => &["tickets", "refunds"],
        _ => &[],
    }
}

/// Header on each inventory ledger batch: the ledger subject it was
/// written for. Replay skips an entry naming another ledger, and, once it
/// has read a batch naming this one, an entry naming none: such entries
/// are copies a push consumer delivered from another event's stream
/// (nats-server does not check a push consumer's deliver subject against
/// its creator's permissions), not this ledger's batches. Batches written
/// before the header existed come first and are read as before.
pub const LEDGER_HEADER: &str = "Sellout-Ledger";

impl Names {
    /// Names for an Event UID.
    pub fn for_uid(uid: &str) -> Self {
        let id: String = uid.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        Names {
            stream: format!("sellout-event-{id}"),
            subject_prefix: format!("sellout.event.{id}"),
            collection_prefix: format!("event_{id}_"),
        }
    }

    /// The hot collections.
    pub fn hot_collections(&self) -> [String; 3] {
        ["inventory", "holds", "checkins"].map(|c| self.collection(c))
    }

    /// A collection of this event, e.g. `collection("orders")`.
    pub fn collection(&self, what: &str) -> String {
        format!("{}{what}", self.collection_prefix)
    }

    /// A subject of this event: a stream subject (`subject("ledger")`) or a
    /// request subject (`subject("rpc.hold")`).
    pub fn subject(&self, what: &str) -> String {
        format!("{}.{what}", self.subject_prefix)
    }

    /// The stream subject of ticket `ticket_id`'s check-in record for event
    /// day `day` (from 1): its last message is the ticket's state that day.
    /// Ticket ids are UUIDs, one subject token.
    pub fn checkin(&self, ticket_id: &str, day: i32) -> String {
        self.subject(&format!("checkins.{ticket_id}.{day}"))
    }

    /// The filter of every check-in record of the event (every ticket and
    /// day): what the live check-in feed, the figures and exports read.
    pub fn checkins(&self) -> String {
        self.subject("checkins.>")
    }

    /// The stream subject of offline scans the check-in ledger could not
    /// take as they were (`ScanConflict` messages).
    pub fn conflicts(&self) -> String {
        self.subject("conflicts")
    }

    /// The subject of the checkout writer's inventory ledger.
    pub fn ledger(&self) -> String {
        self.subject("ledger")
    }

    /// Core NATS subject (not stored: outside the stream's [`SUBJECTS`])
    /// on which the event's checkout writer publishes every tier's counts
    /// (an `Availability` message) after commits, at most every 100 ms,
    /// and every 2 s regardless, for the gateways' live caches.
    pub fn live_availability(&self) -> String {
        self.subject("live.availability")
    }

    /// Core NATS subject (not stored) on which the order service announces
    /// each state change of order `order_id` (an `OrderStateChanged`
    /// message), for buyers waiting on a payment. Order ids are 1-100 of
    /// `[A-Za-z0-9_-]`, one subject token.
    pub fn live_order(&self, order_id: &str) -> String {
        self.subject(&format!("live.order.{order_id}"))
    }

    /// The key of this event's checkout-writer lease in the
    /// [`WRITER_LEASES`] bucket.
    pub fn writer_lease_key(&self) -> String {
        self.stream.clone()
    }
}

/// JetStream KV bucket holding one lease per event: which checkout worker
/// is the event's inventory writer.
pub const WRITER_LEASES: &str = "sellout-checkout-writers";

/// How long a writer lease lives without renewal.
pub const WRITER_LEASE_TTL: std::time::Duration = std::time::Duration::from_secs(6);

/// The [`WRITER_LEASES`] bucket: one entry per event, aged out
/// [`WRITER_LEASE_TTL`] after its last renewal. The operator creates it;
/// workers may only use it.
pub fn writer_leases_config() -> async_nats::jetstream::kv::Config {
    async_nats::jetstream::kv::Config {
        bucket: WRITER_LEASES.into(),
        description: "Sellout: which checkout worker writes each event's inventory ledger".into(),
        history: 1,
        max_age: WRITER_LEASE_TTL,
        // On disk, so that a restarted NATS server still has it (a bucket
        // in memory is gone after a restart).
        storage: async_nats::jetstream::stream::StorageType::File,
        ..Default::default()
    }
}

/// The stream configuration of an event with one replica (pure;
/// snapshot-tested by the operator): see [`stream_config_replicated`].
pub fn stream_config(names: &Names) -> stream::Config {
    stream_config_replicated(names, 1)
}

/// The stream configuration of an event kept on `replicas` servers of
/// the NATS cluster (1, 3 or 5; 3 in production). A publish is
/// acknowledged once a majority of the replicas stored it, so an
/// acknowledged hold or ledger batch survives the loss of a server; with
/// one replica it survives a crash only as far as that server's fsync
/// policy (`jetstream.sync_interval`, see docs/inventory.md).
pub fn stream_config_replicated(names: &Names, replicas: usize) -> stream::Config {
    stream::Config {
        name: names.stream.clone(),
        description: Some(
            "Sellout event: orders, tickets, refunds, check-ins, scan conflicts, revocations, inventory ledger"
                .into(),
        ),
        subjects: SUBJECTS.iter().map(|s| names.subject(s)).collect(),
        storage: stream::StorageType::File,
        retention: stream::RetentionPolicy::Limits,
        // Deduplicates publishes retried with the same Nats-Msg-Id.
        duplicate_window: Duration::from_secs(120),
        // No age limit: the inventory ledger must be replayable for as
        // long as the event sells (the operator archives or deletes the
        // stream with the event).
        max_age: Duration::ZERO,
        // The scan workers read a ticket's check-in record (the last
        // message of its subject) with a direct get, which any replica
        // answers without the stream leader's API round trip.
        allow_direct: true,
        num_replicas: replicas.max(1),
        ..Default::default()
    }
}

/// The configuration of one of the event's durable pull consumers
/// ([`CONSUMERS`]): explicit acks, filtered to [`consumer_subjects`] (pure;
/// the operator creates the consumer, tests create it the same way).
pub fn consumer_config(names: &Names, consumer: &str) -> consumer::pull::Config {
    consumer::pull::Config {
        durable_name: Some(consumer.to_owned()),
        ack_policy: consumer::AckPolicy::Explicit,
        filter_subjects: consumer_subjects(consumer)
            .iter()
            .map(|s| names.subject(s))
            .collect(),
        ..Default::default()
    }
}

/// The subjects a consumer configuration filters on, sorted (empty: the
/// whole stream), however the server stored them (`filter_subject` or
/// `filter_subjects`).
pub fn consumer_filters(filter_subject: &str, filter_subjects: &[String]) -> Vec<String> {
    let mut out: Vec<String> = filter_subjects
        .iter()
        .chain(std::iter::once(&filter_subject.to_owned()))
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_derive_from_the_uid() {
        let n = Names::for_uid("0b5e7c1e-1234-4000-8000-00000000abcd");
        assert_eq!(n.stream, "sellout-event-0b5e7c1e12344000800000000000abcd");
        assert_eq!(
            n.subject_prefix,
            "sellout.event.0b5e7c1e12344000800000000000abcd"
        );
        assert_eq!(
            n.hot_collections()[0],
            "event_0b5e7c1e12344000800000000000abcd_inventory"
        );
        assert_eq!(
            n.ledger(),
            "sellout.event.0b5e7c1e12344000800000000000abcd.ledger"
        );
    }

    #[test]
    fn live_subjects_are_not_stored_in_the_stream() {
        let n = Names::for_uid("u-1");
        assert_eq!(n.live_availability(), "sellout.event.u1.live.availability");
        assert_eq!(n.live_order("o-1"), "sellout.event.u1.live.order.o-1");
        let stored = stream_config(&n).subjects;
        for s in [n.live_availability(), n.live_order("o-1")] {
            assert!(
                !stored.iter().any(|f| matches(f, &s)),
                "{s} would be stored"
            );
        }
        // Check-in records and conflicts are stored; the bare `checkins`
        // subject (used before check-ins had a subject per ticket) is not.
        assert!(stored.iter().any(|f| matches(f, &n.checkin("t-1", 2))));
        assert!(stored.iter().any(|f| matches(f, &n.conflicts())));
        assert!(!stored.iter().any(|f| matches(f, &n.subject("checkins"))));
        assert_eq!(n.checkin("t-1", 2), "sellout.event.u1.checkins.t-1.2");
        assert!(matches(&n.checkins(), &n.checkin("t-1", 2)));
    }

    /// Whether NATS subject filter `filter` (with `*` and `>`) matches
    /// `subject`.
    fn matches(filter: &str, subject: &str) -> bool {
        let (mut f, mut s) = (filter.split('.'), subject.split('.'));
        loop {
            match (f.next(), s.next()) {
                (Some(">"), Some(_)) => return true,
                (Some("*"), Some(_)) => {}
                (Some(a), Some(b)) if a == b => {}
                (None, None) => return true,
                _ => return false,
            }
        }
    }

    #[test]
    fn the_email_consumer_reads_tickets_and_refunds_only() {
        let n = Names::for_uid("u-1");
        let email = consumer_config(&n, EMAIL_CONSUMER);
        assert_eq!(email.durable_name.as_deref(), Some("email"));
        assert_eq!(email.ack_policy, consumer::AckPolicy::Explicit);
        assert_eq!(
            email.filter_subjects,
            ["sellout.event.u1.tickets", "sellout.event.u1.refunds"]
        );
        // Every filtered subject is one the stream stores.
        for s in &email.filter_subjects {
            assert!(stream_config(&n).subjects.contains(s), "{s}");
        }
        let analytics = consumer_config(&n, ANALYTICS_CONSUMER);
        assert!(analytics.filter_subjects.is_empty());
        assert!(analytics.filter_subject.is_empty());
    }

    #[test]
    fn consumer_filters_are_compared_however_stored() {
        let v = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(consumer_filters("", &[]), Vec::<String>::new());
        assert_eq!(consumer_filters("a.tickets", &[]), v(&["a.tickets"]));
        assert_eq!(consumer_filters("", &v(&["a.tickets"])), v(&["a.tickets"]));
        assert_eq!(
            consumer_filters("", &v(&["a.refunds", "a.tickets"])),
            consumer_filters("", &v(&["a.tickets", "a.refunds"]))
        );
    }
}
