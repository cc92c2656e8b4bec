//! Prometheus metrics of a worker (`/metrics`), all prefixed
//! `sellout_worker_`; `docs/metrics.md` lists them.
//!
//! A worker process serves one event, so every metric carries that
//! event's `namespace` and `event` (its name) as constant labels, set once
//! at start by [`init`]; the other labels are bounded (verbs, result codes,
//! outcomes, tier names of the event). The metrics are process-wide, like
//! the process's log: the services record into [`get`] without a handle
//! threaded through them.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::inventory::Stock;

/// Labels of a checkout request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// `hold`, `release`, `sell`, …
    verb: &'static str,
    /// `OK` or the error code (`NOT_ENOUGH`, `HOLD_LIMIT`, …).
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerbLabel {
    verb: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TierLabels {
    tier: String,
    /// `available`, `held` or `sold`.
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MessageLabels {
    /// `email` or `sms`.
    channel: &'static str,
    /// `sent` or `failed`.
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ScanLabels {
    /// `admit`, `exit` or `undo`.
    verb: &'static str,
    /// The scan outcome (`ADMIT`, `ALREADY_SCANNED`, …) or `ERROR`.
    outcome: &'static str,
}

/// What a payment attempt came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// The PaymentIntent succeeded.
    Succeeded,
    /// The card was declined.
    Declined,
    /// The buyer must act (3-D Secure).
    RequiresAction,
    /// Neither paid nor refused yet (processing, or another status).
    Pending,
    /// Stripe failed, refused the request, or could not be reached.
    Error,
}

impl PaymentOutcome {
    fn as_str(self) -> &'static str {
        match self {
            PaymentOutcome::Succeeded => "succeeded",
            PaymentOutcome::Declined => "declined",
            PaymentOutcome::RequiresAction => "requires_action",
            PaymentOutcome::Pending => "pending",
            PaymentOutcome::Error => "error",
        }
    }
}

/// Every metric of a worker.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_duration: Family<VerbLabel, Histogram>,
    order_requests: Family<RequestLabels, Counter>,
    order_duration: Family<VerbLabel, Histogram>,
    batch_ops: Histogram,
    tier_units: Family<TierLabels, Gauge>,
    sweep: Gauge,
    writer: Gauge,
    orders: Family<StateLabel, Counter>,
    payments: Family<OutcomeLabel, Counter>,
    webhooks: Family<OutcomeLabel, Counter>,
    messages: Family<MessageLabels, Counter>,
    scans: Family<ScanLabels, Counter>,
    offline: Family<OutcomeLabel, Counter>,
    offline_delay: Histogram,
}

static METRICS: OnceLock<Metrics> = OnceLock::new();

/// Sets the event every metric of this process is labelled with. Call it
/// once at start, before anything is recorded; later calls (and a call
/// after the first record) change nothing and return `false`.
pub fn init(namespace: &str, event: &str) -> bool {
    METRICS
        .set(Metrics::new(namespace.to_owned(), event.to_owned()))
        .is_ok()
}

/// The process's metrics (labelled with empty names when [`init`] was not
/// called, as in tests of the services themselves).
pub fn get() -> &'static Metrics {
    METRICS.get_or_init(|| Metrics::new(String::new(), String::new()))
}

/// Seconds buckets for request latencies, 0.5 ms to 5 s.
const LATENCY: [f64; 13] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

impl Metrics {
    fn new(namespace: String, event: String) -> Self {
        let labels = [
            (Cow::Borrowed("namespace"), Cow::Owned(namespace)),
            (Cow::Borrowed("event"), Cow::Owned(event)),
        ];
        let mut registry = Registry::with_prefix_and_labels("sellout_worker", labels.into_iter());
        let m = Metrics {
            requests: Family::default(),
            request_duration: Family::new_with_constructor(|| Histogram::new(LATENCY)),
            order_requests: Family::default(),
            order_duration: Family::new_with_constructor(|| Histogram::new(LATENCY)),
            batch_ops: Histogram::new([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0]),
            tier_units: Family::default(),
            sweep: Gauge::default(),
            writer: Gauge::default(),
            orders: Family::default(),
            payments: Family::default(),
            webhooks: Family::default(),
            messages: Family::default(),
            scans: Family::default(),
            offline: Family::default(),
            offline_delay: Histogram::new([
                1.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0,
            ]),
            registry: Registry::default(),
        };
        registry.register(
            "checkout_requests",
            "Checkout requests (holds, releases, sales, …) by verb and result: OK or the error code",
            m.requests.clone(),
        );
        registry.register(
            "checkout_request_duration_seconds",
            "Time to answer a checkout request, by verb (hold latency: verb=\"hold\")",
            m.request_duration.clone(),
        );
        registry.register(
            "order_requests",
            "Order requests (create, pay, refund, …) by verb and result: OK or the error code",
            m.order_requests.clone(),
        );
        registry.register(
            "order_request_duration_seconds",
            "Time to answer an order request, by verb (Stripe calls included)",
            m.order_duration.clone(),
        );
        registry.register(
            "ledger_batch_ops",
            "Inventory operations per batch appended to the event's ledger",
            m.batch_ops.clone(),
        );
        registry.register(
            "tier_units",
            "Units of each tier by state (available, held, sold), as the inventory writer has them",
            m.tier_units.clone(),
        );
        registry.register(
            "hold_sweep_timestamp_seconds",
            "Unix time of the writer's last sweep of expired holds (0: this replica is not the writer)",
            m.sweep.clone(),
        );
        registry.register(
            "writer",
            "1 while this replica is the event's inventory writer",
            m.writer.clone(),
        );
        registry.register(
            "orders",
            "Orders placed in or moved to each state (AwaitingPayment, Paid, Completed, PaymentFailed, RefundNeeded, Refunded, Cancelled)",
            m.orders.clone(),
        );
        registry.register(
            "payments",
            "Card payment attempts sent to Stripe (a PaymentIntent created with a card, or confirmed) by outcome: succeeded, declined, requires_action, pending, error",
            m.payments.clone(),
        );
        registry.register(
            "stripe_webhooks",
            "Stripe webhook deliveries by outcome: processed, ignored (not this event's, or a type not acted on), bad_signature, error (not applied: Stripe retries), unavailable (orders not served yet)",
            m.webhooks.clone(),
        );
        registry.register(
            "messages",
            "E-mails and text messages by channel (email, sms) and outcome: sent, failed (tried again later), undeliverable (bad address or number)",
            m.messages.clone(),
        );
        registry.register(
            "scans",
            "Door scans by verb (admit, exit, undo) and outcome (ADMIT, ALREADY_SCANNED, …, or ERROR)",
            m.scans.clone(),
        );
        registry.register(
            "offline_scans",
            "Offline scans synced, by outcome: RECORDED, DUPLICATE, CONFLICT, FAILED",
            m.offline.clone(),
        );
        registry.register(
            "offline_scan_delay_seconds",
            "How long offline scans waited on their device before reaching the worker",
            m.offline_delay.clone(),
        );
        Metrics { registry, ..m }
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// One checkout request answered.
    pub fn checkout_request(&self, verb: &'static str, result: &'static str, took: Duration) {
        answered(&self.requests, &self.request_duration, verb, result, took);
    }

    /// One order request answered.
    pub fn order_request(&self, verb: &'static str, result: &'static str, took: Duration) {
        answered(
            &self.order_requests,
            &self.order_duration,
            verb,
            result,
            took,
        );
    }

    /// One batch of `ops` operations appended to the ledger.
    pub fn ledger_batch(&self, ops: usize) {
        self.batch_ops.observe(ops as f64);
    }

    /// The writer's counts of one tier.
    pub fn tier(&self, tier: &str, stock: &Stock) {
        for (state, units) in [
            ("available", stock.available),
            ("held", stock.held),
            ("sold", stock.sold),
        ] {
            self.tier_units
                .get_or_create(&TierLabels {
                    tier: tier.to_owned(),
                    state,
                })
                .set(units);
        }
    }

    /// A sweep of expired holds ran, at `now_ms`.
    pub fn swept(&self, now_ms: i64) {
        self.sweep.set(now_ms / 1000);
    }

    /// This replica became (`true`) or stopped being the writer, at
    /// `now_ms`. A new term counts as swept now (its first sweep follows
    /// the ledger's replay); a replica that stops writing forgets the
    /// figures it had, which the next writer publishes.
    pub fn writing(&self, writing: bool, now_ms: i64) {
        self.writer.set(i64::from(writing));
        if writing {
            self.swept(now_ms);
        } else {
            self.sweep.set(0);
            self.tier_units.clear();
        }
    }

    /// An order was placed in, or moved to, `state` (its stored name:
    /// `AwaitingPayment`, `Paid`, `Completed`, `Refunded`, …).
    pub fn order(&self, state: &'static str) {
        self.orders.get_or_create(&StateLabel { state }).inc();
    }

    /// A payment attempt ended in `outcome`.
    pub fn payment(&self, outcome: PaymentOutcome) {
        self.payments
            .get_or_create(&OutcomeLabel {
                outcome: outcome.as_str(),
            })
            .inc();
    }

    /// A Stripe webhook delivery was `outcome` (`processed`, `ignored`,
    /// `bad_signature`, `error`, `unavailable`).
    pub fn webhook(&self, outcome: &'static str) {
        self.webhooks.get_or_create(&OutcomeLabel { outcome }).inc();
    }

    /// A message on `channel` (`email`, `sms`) was `sent`, `failed`
    /// (for now: it is tried again) or `undeliverable` (a bad address or
    /// number, refused for good).
    pub fn message(&self, channel: &'static str, outcome: &'static str) {
        self.messages
            .get_or_create(&MessageLabels { channel, outcome })
            .inc();
    }

    /// A scan request (`admit`, `exit`, `undo`) answered with `outcome`.
    pub fn scan(&self, verb: &'static str, outcome: &'static str) {
        self.scans
            .get_or_create(&ScanLabels { verb, outcome })
            .inc();
    }

    /// An offline scan synced with `outcome`, `waited` after it was made
    /// (`None`: it carried no time).
    pub fn offline_scan(&self, outcome: &'static str, waited: Option<Duration>) {
        self.offline.get_or_create(&OutcomeLabel { outcome }).inc();
        if let Some(waited) = waited {
            self.offline_delay.observe(waited.as_secs_f64());
        }
    }
}

/// Counts one request of `verb` answered with `result` in `took`.
fn answered(
    count: &Family<RequestLabels, Counter>,
    duration: &Family<VerbLabel, Histogram>,
    verb: &'static str,
    result: &'static str,
    took: Duration,
) {
    count.get_or_create(&RequestLabels { verb, result }).inc();
    duration
        .get_or_create(&VerbLabel { verb })
        .observe(took.as_secs_f64());
}

/// `verb` as one of `known` (a bounded label value), or `"unknown"`.
pub fn verb_of(verb: &str, known: &[&'static str]) -> &'static str {
    known
        .iter()
        .find(|k| **k == verb)
        .copied()
        .unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_carries_the_event_and_counts_what_it_is_told() {
        let m = Metrics::new("riverside".into(), "fest".into());
        m.checkout_request("hold", "OK", Duration::from_millis(2));
        m.checkout_request("hold", "NOT_ENOUGH", Duration::from_millis(1));
        m.tier(
            "ga",
            &Stock {
                capacity: 10,
                available: 7,
                held: 2,
                sold: 1,
            },
        );
        m.order("Paid");
        m.message("sms", "failed");
        m.ledger_batch(3);
        m.writing(true, 1_700_000_000_000);
        m.swept(1_800_000_000_000);
        m.payment(PaymentOutcome::Declined);
        m.webhook("processed");
        m.scan("admit", "ALREADY_SCANNED");
        m.offline_scan("RECORDED", Some(Duration::from_secs(90)));
        let text = m.encode();
        let line = |prefix: &str| {
            text.lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
                .to_owned()
        };
        let hold_ok = line("sellout_worker_checkout_requests_total{");
        assert!(hold_ok.contains("namespace=\"riverside\""), "{hold_ok}");
        assert!(hold_ok.contains("event=\"fest\""), "{hold_ok}");
        assert!(
            text.contains("result=\"NOT_ENOUGH\""),
            "refusals are counted by code: {text}"
        );
        assert!(
            line("sellout_worker_checkout_request_duration_seconds_count{").ends_with(" 2"),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("sellout_worker_tier_units{")
                    && l.contains("tier=\"ga\"")
                    && l.contains("state=\"held\"")
                    && l.ends_with(" 2")),
            "{text}"
        );
        assert!(
            line("sellout_worker_orders_total{").contains("state=\"Paid\""),
            "{text}"
        );
        assert!(
            line("sellout_worker_messages_total{").contains("outcome=\"failed\""),
            "{text}"
        );
        assert!(
            line("sellout_worker_hold_sweep_timestamp_seconds{").ends_with(" 1800000000"),
            "{text}"
        );
        assert!(
            line("sellout_worker_offline_scan_delay_seconds_bucket{").contains("le=\"1.0\""),
            "{text}"
        );
        for name in [
            "sellout_worker_ledger_batch_ops",
            "sellout_worker_hold_sweep_timestamp_seconds",
            "sellout_worker_writer",
            "sellout_worker_payments",
            "sellout_worker_stripe_webhooks",
            "sellout_worker_scans",
            "sellout_worker_offline_scans",
            "sellout_worker_offline_scan_delay_seconds",
        ] {
            assert!(
                text.contains(&format!("# HELP {name} ")),
                "{name} is described: {text}"
            );
        }
    }
}
