//! Prometheus metrics (`/metrics`), all prefixed `sellout_operator_`, with
//! bounded labels only (controller, kind, category; never object names).

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// Labels naming a controller.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ControllerLabel {
    /// `event`, `venue`, …
    pub controller: &'static str,
}

/// Labels of a failed reconcile.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FailureLabels {
    /// The controller.
    pub controller: &'static str,
    /// The error's category.
    pub category: &'static str,
}

/// Labels of an API write.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WriteLabels {
    /// The controller that wrote.
    pub controller: &'static str,
    /// Kind written (`Deployment`, `Event/status`, …).
    pub kind: &'static str,
    /// `apply` or `delete`.
    pub verb: &'static str,
}

/// Every metric of the operator.
pub struct Metrics {
    registry: Mutex<Registry>,
    /// Reconciles run.
    pub reconciles: Family<ControllerLabel, Counter>,
    /// Reconciles failed.
    pub failures: Family<FailureLabels, Counter>,
    /// Reconcile duration in seconds.
    pub duration: Family<ControllerLabel, Histogram>,
    /// Writes sent to the API server.
    pub writes: Family<WriteLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("sellout_operator");
        let reconciles = Family::<ControllerLabel, Counter>::default();
        let failures = Family::<FailureLabels, Counter>::default();
        let duration = Family::<ControllerLabel, Histogram>::new_with_constructor(|| {
            Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0])
        });
        let writes = Family::<WriteLabels, Counter>::default();
        registry.register("reconciles", "Reconciles run", reconciles.clone());
        registry.register(
            "reconcile_failures",
            "Reconciles that failed, by error category",
            failures.clone(),
        );
        registry.register(
            "reconcile_duration_seconds",
            "Time spent in one reconcile",
            duration.clone(),
        );
        registry.register(
            "api_writes",
            "Writes sent to the Kubernetes API server",
            writes.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            reconciles,
            failures,
            duration,
            writes,
        }
    }
}

impl Metrics {
    /// Counts a write.
    pub fn write(&self, controller: &'static str, kind: &'static str, verb: &'static str) {
        self.writes
            .get_or_create(&WriteLabels {
                controller,
                kind,
                verb,
            })
            .inc();
    }

    /// Total writes so far, over every label.
    pub fn total_writes(&self) -> u64 {
        let text = self.encode();
        text.lines()
            .filter(|l| l.starts_with("sellout_operator_api_writes_total{"))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    }

    /// Writes so far by `controller`'s reconciles.
    pub fn writes_of(&self, controller: &str) -> u64 {
        let text = self.encode();
        let label = format!("controller=\"{controller}\"");
        text.lines()
            .filter(|l| l.starts_with("sellout_operator_api_writes_total{") && l.contains(&label))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    }

    /// Reconciles run so far by `controller`.
    pub fn reconcile_count(&self, controller: &'static str) -> u64 {
        self.reconciles
            .get_or_create(&ControllerLabel { controller })
            .get()
    }

    /// Records one reconcile's outcome and duration.
    pub fn reconciled(
        &self,
        controller: &'static str,
        took: Duration,
        failure: Option<&'static str>,
    ) {
        self.reconciles
            .get_or_create(&ControllerLabel { controller })
            .inc();
        self.duration
            .get_or_create(&ControllerLabel { controller })
            .observe(took.as_secs_f64());
        if let Some(category) = failure {
            self.failures
                .get_or_create(&FailureLabels {
                    controller,
                    category,
                })
                .inc();
        }
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let reg = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &reg);
        out
    }
}
