//! The Kubernetes objects an Event's dedicated workers need (Kubernetes
//! runtime): per worker set a Deployment, a Service, a PodDisruptionBudget
//! and, while it autoscales, a HorizontalPodAutoscaler. Pure: no client.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec,
    MetricTarget, ResourceMetricSource,
};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, ContainerPort, EmptyDirVolumeSource, EnvFromSource, EnvVar,
    HTTPGetAction, KeyToPath, LocalObjectReference, PodSecurityContext, PodSpec, PodTemplateSpec,
    Probe, ResourceRequirements, SeccompProfile, SecretEnvSource, SecretVolumeSource,
    SecurityContext, Service, ServicePort, ServiceSpec, Volume, VolumeMount,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::Resource;
use sellout_crds::Event;

use super::schedule::{Replicas, WorkerPlan};

/// The port workers serve health and metrics on.
pub const WORKER_PORT: i32 = 8080;

/// How worker pods are made (operator configuration, not per event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerTemplate {
    /// Container image of the worker binary.
    pub image: String,
    /// Name of a Secret in the event's namespace whose keys become the
    /// workers' environment (NATS and MongoDB credentials). Optional: pods
    /// start without it.
    pub env_secret: String,
    /// Whether each event's workers take their NATS credentials
    /// (`SELLOUT_NATS_CREDS`) from the event's own Secret
    /// ([`nats_secret_name`]), which the operator mints, rather than from
    /// the environment Secret.
    pub per_event_nats: bool,
    /// Resources, files from Secrets and pod settings.
    pub pod: PodSettings,
}

/// How each worker pod runs: resources, the files it reads from Secrets,
/// its user. The security context is fixed: non-root, read-only root file
/// system, no privilege escalation, every capability dropped, the
/// runtime's default seccomp profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSettings {
    /// CPU request (a Kubernetes quantity, e.g. `250m`).
    pub cpu_request: String,
    /// Memory request (e.g. `128Mi`).
    pub memory_request: String,
    /// Memory limit (e.g. `512Mi`).
    pub memory_limit: String,
    /// CPU limit; none by default (a throttled writer answers every hold
    /// late).
    pub cpu_limit: Option<String>,
    /// User (and group) id the worker runs as.
    pub run_as_user: i64,
    /// Secrets in the event's namespace mounted as files, each named to
    /// the worker by an environment variable.
    pub secret_mounts: Vec<SecretMount>,
    /// Image pull Secrets of the worker pods.
    pub image_pull_secrets: Vec<String>,
}

impl Default for PodSettings {
    fn default() -> Self {
        PodSettings {
            cpu_request: "250m".into(),
            memory_request: "128Mi".into(),
            memory_limit: "512Mi".into(),
            cpu_limit: None,
            run_as_user: 65532,
            secret_mounts: Vec::new(),
            image_pull_secrets: Vec::new(),
        }
    }
}

/// The worker's variable naming its ticket-keys directory.
pub const TICKET_KEYS_ENV: &str = "SELLOUT_TICKET_KEYS_DIR";

/// Where mounted Secrets live in a worker's file system:
/// `<SECRETS_DIR>/<secret>/<key>`.
pub const SECRETS_DIR: &str = "/var/run/secrets/sellout";

/// One Secret (or one key of it) mounted into the workers, written
/// `ENV=SECRET` (the whole Secret as a directory, e.g. the ticket keys'
/// `current` and `<id>.pem`) or `ENV=SECRET/KEY` (one file): the worker
/// gets `ENV` set to the directory or the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretMount {
    /// The environment variable naming the path, e.g.
    /// `SELLOUT_TICKET_KEYS_DIR`.
    pub env: String,
    /// The Secret, in the event's namespace.
    pub secret: String,
    /// One key of it, or the whole Secret.
    pub key: Option<String>,
}

impl SecretMount {
    /// The path `env` is set to.
    pub fn path(&self) -> String {
        match &self.key {
            Some(key) => format!("{SECRETS_DIR}/{}/{key}", self.secret),
            None => format!("{SECRETS_DIR}/{}", self.secret),
        }
    }
}

impl std::str::FromStr for SecretMount {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage = "write ENV=SECRET (the whole Secret as a directory) or ENV=SECRET/KEY (one file), e.g. SELLOUT_TICKET_KEYS_DIR=sellout-ticket-keys";
        let (env, source) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} has no '=': {usage}"))?;
        let env_ok = !env.is_empty()
            && !env.starts_with(|c: char| c.is_ascii_digit())
            && env.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !env_ok {
            return Err(format!(
                "{env:?} is not an environment variable name (letters, digits, _): {usage}"
            ));
        }
        let (secret, key) = match source.split_once('/') {
            Some((secret, key)) => (secret, Some(key)),
            None => (source, None),
        };
        let dns = |v: &str| {
            !v.is_empty()
                && v.len() <= 253
                && v.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
                && !v.starts_with(['-', '.'])
                && !v.ends_with(['-', '.'])
        };
        if !dns(secret) {
            return Err(format!(
                "{secret:?} is not a Secret name (lower-case letters, digits, '-', '.'): {usage}"
            ));
        }
        if let Some(key) = key {
            let key_ok = !key.is_empty()
                && key.len() <= 253
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                // Kubernetes refuses item paths starting with `..`
                // (its own `..data` links live there).
                && !key.starts_with("..")
                && key != ".";
            if !key_ok {
                return Err(format!(
                    "{key:?} is not a Secret key (letters, digits, '-', '_', '.'): {usage}"
                ));
            }
        }
        Ok(SecretMount {
            env: env.to_owned(),
            secret: secret.to_owned(),
            key: key.map(str::to_owned),
        })
    }
}

/// The variables the operator sets itself in every worker: a mount may
/// not name them.
pub const RESERVED_ENV: &[&str] = &[
    "SELLOUT_WORKER_ROLE",
    "SELLOUT_EVENT",
    "SELLOUT_NAMESPACE",
    "SELLOUT_EVENT_UID",
    "SELLOUT_LOG_FORMAT",
    "SELLOUT_NATS_CREDS",
    "SELLOUT_TICKET_KEYS_OWNER",
];

/// Checks a set of mounts (the `--worker-secret-mount` flags together):
/// each variable named once and none of [`RESERVED_ENV`], so every
/// worker's apply is accepted.
pub fn check_mounts(mounts: &[SecretMount]) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for m in mounts {
        if RESERVED_ENV.contains(&m.env.as_str()) {
            return Err(format!(
                "--worker-secret-mount {}: the operator sets {} itself; choose another variable",
                m.env, m.env
            ));
        }
        if !seen.insert(m.env.as_str()) {
            return Err(format!(
                "--worker-secret-mount names {} twice: each variable holds one path",
                m.env
            ));
        }
    }
    Ok(())
}

/// Checks a Kubernetes resource quantity (`250m`, `1.5`, `512Mi`, `2G`):
/// the flag's value parser, so a typo stops the operator at start rather
/// than failing every worker apply.
pub fn quantity(s: &str) -> Result<String, String> {
    let number_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(number_end);
    let number_ok = !number.is_empty()
        && number.matches('.').count() <= 1
        && number.chars().any(|c| c.is_ascii_digit());
    let suffix_ok = matches!(
        suffix,
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
    );
    if number_ok && suffix_ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "{s:?} is not a Kubernetes quantity: a number with an optional suffix, e.g. 250m, 0.5, 512Mi, 2Gi"
        ))
    }
}

/// The Secret holding the NATS credentials of `event`'s workers (key
/// [`NATS_CREDS_KEY`]).
pub fn nats_secret_name(event: &Event) -> String {
    format!(
        "{}-worker-nats",
        event.metadata.name.as_deref().unwrap_or_default()
    )
}

/// The key of the `.creds` text in [`nats_secret_name`].
pub const NATS_CREDS_KEY: &str = "creds";

/// A worker set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// Checkout workers.
    Checkout,
    /// Scan workers.
    Scan,
}

impl Component {
    /// Both sets.
    pub const ALL: [Component; 2] = [Component::Checkout, Component::Scan];

    /// The `--role` value and the [`crate::labels::COMPONENT`] label.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Checkout => "checkout",
            Component::Scan => "scan",
        }
    }
}

/// Desired children of one event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Children {
    /// Deployments, one per worker set.
    pub deployments: Vec<Deployment>,
    /// Services, one per worker set.
    pub services: Vec<Service>,
    /// Autoscalers, for worker sets that autoscale now.
    pub autoscalers: Vec<HorizontalPodAutoscaler>,
    /// Disruption budgets, one per worker set.
    pub disruption_budgets: Vec<PodDisruptionBudget>,
}

/// Name of a worker set's objects: `<event>-<component>`.
pub fn child_name(event: &Event, c: Component) -> String {
    format!(
        "{}-{}",
        event.metadata.name.as_deref().unwrap_or("event"),
        c.as_str()
    )
}

/// Labels of a worker set's objects and pods.
pub fn labels(event: &Event, c: Component) -> BTreeMap<String, String> {
    crate::labels::worker(
        event.metadata.name.as_deref().unwrap_or_default(),
        c.as_str(),
    )
}

/// Labels selecting a worker set's pods.
fn selector_labels(event: &Event, c: Component) -> BTreeMap<String, String> {
    crate::labels::worker_selector(
        event.metadata.name.as_deref().unwrap_or_default(),
        c.as_str(),
    )
}

fn meta(event: &Event, c: Component) -> ObjectMeta {
    ObjectMeta {
        name: Some(child_name(event, c)),
        namespace: event.metadata.namespace.clone(),
        labels: Some(labels(event, c)),
        owner_references: event.controller_owner_ref(&()).map(|o| vec![o]),
        ..Default::default()
    }
}

/// Every child object for `plan` (none when the event has no dedicated
/// workers).
pub fn children(event: &Event, plan: Option<WorkerPlan>, tpl: &WorkerTemplate) -> Children {
    let mut out = Children::default();
    let Some(plan) = plan else {
        return out;
    };
    for (c, replicas) in [
        (Component::Checkout, plan.checkout),
        (Component::Scan, plan.scan),
    ] {
        out.deployments.push(deployment(event, c, replicas, tpl));
        out.services.push(service(event, c));
        out.disruption_budgets.push(disruption_budget(event, c));
        if let Replicas::Scaled { min, max } = replicas {
            out.autoscalers.push(autoscaler(event, c, min, max));
        }
    }
    out
}

fn deployment(event: &Event, c: Component, replicas: Replicas, tpl: &WorkerTemplate) -> Deployment {
    let env = vec![
        EnvVar {
            name: "SELLOUT_WORKER_ROLE".into(),
            value: Some(c.as_str().into()),
            ..Default::default()
        },
        EnvVar {
            name: "SELLOUT_EVENT".into(),
            value: event.metadata.name.clone(),
            ..Default::default()
        },
        EnvVar {
            name: "SELLOUT_NAMESPACE".into(),
            value: event.metadata.namespace.clone(),
            ..Default::default()
        },
        EnvVar {
            name: "SELLOUT_EVENT_UID".into(),
            value: event.metadata.uid.clone(),
            ..Default::default()
        },
        EnvVar {
            name: "SELLOUT_LOG_FORMAT".into(),
            value: Some("json".into()),
            ..Default::default()
        },
    ];
    let mut env = env;
    if tpl.per_event_nats {
        env.push(EnvVar {
            name: "SELLOUT_NATS_CREDS".into(),
            value_from: Some(k8s_openapi::api::core::v1::EnvVarSource {
                secret_key_ref: Some(k8s_openapi::api::core::v1::SecretKeySelector {
                    name: nats_secret_name(event),
                    key: NATS_CREDS_KEY.into(),
                    optional: Some(false),
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    for m in &tpl.pod.secret_mounts {
        env.push(EnvVar {
            name: m.env.clone(),
            value: Some(m.path()),
            ..Default::default()
        });
        // A Secret of the event's namespace holds that organization's
        // ticket keys alone.
        if m.env == TICKET_KEYS_ENV && m.key.is_none() {
            env.push(EnvVar {
                name: "SELLOUT_TICKET_KEYS_OWNER".into(),
                value: event.metadata.namespace.clone(),
                ..Default::default()
            });
        }
    }
    let (volumes, mounts) = secret_volumes(&tpl.pod.secret_mounts);
    let probe = |path: &str| Probe {
        http_get: Some(HTTPGetAction {
            path: Some(path.into()),
            port: IntOrString::Int(WORKER_PORT),
            ..Default::default()
        }),
        period_seconds: Some(5),
        ..Default::default()
    };
    Deployment {
        metadata: meta(event, c),
        spec: Some(DeploymentSpec {
            // Under an autoscaler the HPA owns the replica count, so the
            // field is left out of our apply entirely.
            replicas: match replicas {
                Replicas::Fixed(n) => Some(n),
                Replicas::Scaled { .. } => None,
            },
            selector: LabelSelector {
                match_labels: Some(selector_labels(event, c)),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels(event, c)),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    service_account_name: Some(crate::organization::WORKER_ACCOUNT.into()),
                    security_context: Some(PodSecurityContext {
                        run_as_non_root: Some(true),
                        run_as_user: Some(tpl.pod.run_as_user),
                        run_as_group: Some(tpl.pod.run_as_user),
                        fs_group: Some(tpl.pod.run_as_user),
                        seccomp_profile: Some(SeccompProfile {
                            type_: "RuntimeDefault".into(),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    image_pull_secrets: (!tpl.pod.image_pull_secrets.is_empty()).then(|| {
                        tpl.pod
                            .image_pull_secrets
                            .iter()
                            .map(|name| LocalObjectReference { name: name.clone() })
                            .collect()
                    }),
                    volumes: Some(volumes),
                    containers: vec![Container {
                        name: "worker".into(),
                        image: Some(tpl.image.clone()),
                        args: Some(vec!["--role".into(), c.as_str().into()]),
                        env: Some(env),
                        env_from: Some(vec![EnvFromSource {
                            secret_ref: Some(SecretEnvSource {
                                name: tpl.env_secret.clone(),
                                optional: Some(true),
                            }),
                            ..Default::default()
                        }]),
                        ports: Some(vec![ContainerPort {
                            name: Some("http".into()),
                            container_port: WORKER_PORT,
                            ..Default::default()
                        }]),
                        readiness_probe: Some(probe("/readyz")),
                        liveness_probe: Some(probe("/healthz")),
                        resources: Some(resources(&tpl.pod)),
                        security_context: Some(SecurityContext {
                            read_only_root_filesystem: Some(true),
                            allow_privilege_escalation: Some(false),
                            capabilities: Some(Capabilities {
                                drop: Some(vec!["ALL".into()]),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }),
                        volume_mounts: Some(mounts),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn resources(pod: &PodSettings) -> ResourceRequirements {
    let mut limits = BTreeMap::from([("memory".into(), Quantity(pod.memory_limit.clone()))]);
    if let Some(cpu) = &pod.cpu_limit {
        limits.insert("cpu".into(), Quantity(cpu.clone()));
    }
    ResourceRequirements {
        requests: Some(BTreeMap::from([
            ("cpu".into(), Quantity(pod.cpu_request.clone())),
            ("memory".into(), Quantity(pod.memory_request.clone())),
        ])),
        limits: Some(limits),
        ..Default::default()
    }
}

/// The worker's volumes and their mounts: `/tmp` (the root file system is
/// read-only) and one read-only volume per Secret of `mounts`, holding the
/// keys named (or all of them when one mount takes the whole Secret), at
/// `SECRETS_DIR/<secret>`. A missing Secret or key keeps the pod from
/// starting (its events say which), rather than a worker starting without
/// its keys.
fn secret_volumes(mounts: &[SecretMount]) -> (Vec<Volume>, Vec<VolumeMount>) {
    let mut volumes = vec![Volume {
        name: "tmp".into(),
        empty_dir: Some(EmptyDirVolumeSource {
            size_limit: Some(Quantity("64Mi".into())),
            ..Default::default()
        }),
        ..Default::default()
    }];
    let mut volume_mounts = vec![VolumeMount {
        name: "tmp".into(),
        mount_path: "/tmp".into(),
        ..Default::default()
    }];
    let mut secrets: BTreeMap<&str, Option<Vec<&str>>> = BTreeMap::new();
    for m in mounts {
        let keys = secrets.entry(&m.secret).or_insert_with(|| Some(Vec::new()));
        match (&m.key, keys.as_mut()) {
            (Some(key), Some(keys)) if !keys.contains(&key.as_str()) => keys.push(key),
            (Some(_), _) => {}
            (None, _) => *keys = None,
        }
    }
    for (i, (secret, keys)) in secrets.into_iter().enumerate() {
        let name = format!("secret-{i}");
        volumes.push(Volume {
            name: name.clone(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(secret.to_owned()),
                items: keys.map(|keys| {
                    keys.into_iter()
                        .map(|k| KeyToPath {
                            key: k.to_owned(),
                            path: k.to_owned(),
                            ..Default::default()
                        })
                        .collect()
                }),
                // Readable by the worker's group (fsGroup) only.
                default_mode: Some(0o440),
                optional: Some(false),
            }),
            ..Default::default()
        });
        volume_mounts.push(VolumeMount {
            name,
            mount_path: format!("{SECRETS_DIR}/{secret}"),
            read_only: Some(true),
            ..Default::default()
        });
    }
    (volumes, volume_mounts)
}

/// A headless Service: workers are reached over NATS, the Service names
/// their pods for metrics scraping and health checks, and a thousand events
/// must not use up the cluster's Service IP range.
fn service(event: &Event, c: Component) -> Service {
    Service {
        metadata: meta(event, c),
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".into()),
            selector: Some(selector_labels(event, c)),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: WORKER_PORT,
                target_port: Some(IntOrString::String("http".into())),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn autoscaler(event: &Event, c: Component, min: i32, max: i32) -> HorizontalPodAutoscaler {
    HorizontalPodAutoscaler {
        metadata: meta(event, c),
        spec: HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some("apps/v1".into()),
                kind: "Deployment".into(),
                name: child_name(event, c),
            },
            min_replicas: Some(min),
            max_replicas: max,
            metrics: Some(vec![MetricSpec {
                type_: "Resource".into(),
                resource: Some(ResourceMetricSource {
                    name: "cpu".into(),
                    target: MetricTarget {
                        type_: "Utilization".into(),
                        average_utilization: Some(70),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            }]),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn disruption_budget(event: &Event, c: Component) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: meta(event, c),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(LabelSelector {
                match_labels: Some(selector_labels(event, c)),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
            "metadata": {"name": "fest", "namespace": "promoter", "uid": "0b5e7c1e-0000-4000-8000-000000000001"},
            "spec": {
                "title": "Fest", "venueRef": {"name": "hall"}, "currency": "GBP",
                "days": [{"doorsAt": "2027-01-01T18:00:00Z", "startsAt": "2027-01-01T19:00:00Z", "endsAt": "2027-01-01T23:00:00Z"}],
                "onSaleAt": "2026-12-01T10:00:00Z", "state": "Published"
            }
        }))
        .unwrap()
    }

    fn tpl() -> WorkerTemplate {
        WorkerTemplate {
            image: "sellout/worker:test".into(),
            env_secret: "sellout-worker".into(),
            per_event_nats: false,
            pod: PodSettings::default(),
        }
    }

    #[test]
    fn autoscaled_children_snapshot() {
        let plan = WorkerPlan {
            checkout: Replicas::Scaled { min: 4, max: 8 },
            scan: Replicas::Fixed(0),
        };
        let ch = children(&event(), Some(plan), &tpl());
        assert_eq!(ch.deployments.len(), 2);
        assert_eq!(
            ch.autoscalers.len(),
            1,
            "only the autoscaled set has an HPA"
        );
        insta::assert_yaml_snapshot!("checkout_deployment", ch.deployments[0]);
        insta::assert_yaml_snapshot!("checkout_hpa", ch.autoscalers[0]);
        insta::assert_yaml_snapshot!("checkout_service", ch.services[0]);
        insta::assert_yaml_snapshot!("checkout_pdb", ch.disruption_budgets[0]);
        // A fixed set states its replica count; an autoscaled one leaves it
        // to the HPA.
        assert_eq!(ch.deployments[0].spec.as_ref().unwrap().replicas, None);
        assert_eq!(ch.deployments[1].spec.as_ref().unwrap().replicas, Some(0));
    }

    #[test]
    fn children_are_owned_and_labelled() {
        let ch = children(
            &event(),
            Some(WorkerPlan {
                checkout: Replicas::Fixed(1),
                scan: Replicas::Fixed(1),
            }),
            &tpl(),
        );
        for d in &ch.deployments {
            let owners = d.metadata.owner_references.as_ref().unwrap();
            assert_eq!(owners.len(), 1);
            assert_eq!(owners[0].kind, "Event");
            assert_eq!(owners[0].controller, Some(true));
            let l = d.metadata.labels.as_ref().unwrap();
            assert_eq!(l[crate::labels::MANAGED_BY], crate::labels::OPERATOR);
            assert_eq!(l[crate::labels::INSTANCE], "fest");
            // The selector matches the pod template's labels.
            let sel = d
                .spec
                .as_ref()
                .unwrap()
                .selector
                .match_labels
                .as_ref()
                .unwrap();
            let pod = d
                .spec
                .as_ref()
                .unwrap()
                .template
                .metadata
                .as_ref()
                .unwrap()
                .labels
                .as_ref()
                .unwrap();
            assert!(sel.iter().all(|(k, v)| pod.get(k) == Some(v)));
        }
        assert!(ch.autoscalers.is_empty());
    }

    #[test]
    fn secrets_are_mounted_as_files_the_worker_is_told_of() {
        let mut t = tpl();
        t.pod.secret_mounts = [
            "SELLOUT_TICKET_KEYS_DIR=sellout-ticket-keys",
            "SELLOUT_STRIPE_SECRET_KEY_FILE=sellout-stripe/secret-key",
            "SELLOUT_STRIPE_WEBHOOK_SECRET_FILE=sellout-stripe/webhook-secret",
        ]
        .iter()
        .map(|m| m.parse().unwrap())
        .collect();
        t.pod.cpu_limit = Some("2".into());
        let plan = WorkerPlan {
            checkout: Replicas::Fixed(1),
            scan: Replicas::Fixed(1),
        };
        let ch = children(&event(), Some(plan), &t);
        let pod = ch.deployments[0]
            .spec
            .as_ref()
            .unwrap()
            .template
            .spec
            .as_ref()
            .unwrap();
        let c = &pod.containers[0];
        let env = |name: &str| {
            c.env
                .as_ref()
                .unwrap()
                .iter()
                .find(|e| e.name == name)
                .and_then(|e| e.value.clone())
                .unwrap_or_else(|| panic!("no {name}"))
        };
        assert_eq!(
            env("SELLOUT_TICKET_KEYS_DIR"),
            "/var/run/secrets/sellout/sellout-ticket-keys"
        );
        // The organization's own keys: no subdirectory is looked for.
        assert_eq!(env("SELLOUT_TICKET_KEYS_OWNER"), "promoter");
        assert_eq!(
            env("SELLOUT_STRIPE_WEBHOOK_SECRET_FILE"),
            "/var/run/secrets/sellout/sellout-stripe/webhook-secret"
        );
        // One volume per Secret (besides /tmp), the Stripe one with just
        // the two keys asked for, the ticket keys' whole.
        let volumes = pod.volumes.as_ref().unwrap();
        assert_eq!(volumes.len(), 3, "{volumes:?}");
        let stripe = volumes
            .iter()
            .filter_map(|v| v.secret.as_ref())
            .find(|s| s.secret_name.as_deref() == Some("sellout-stripe"))
            .unwrap();
        let keys: Vec<_> = stripe
            .items
            .as_ref()
            .unwrap()
            .iter()
            .map(|i| i.key.as_str())
            .collect();
        assert_eq!(keys, ["secret-key", "webhook-secret"]);
        assert_eq!(stripe.optional, Some(false));
        let tickets = volumes
            .iter()
            .filter_map(|v| v.secret.as_ref())
            .find(|s| s.secret_name.as_deref() == Some("sellout-ticket-keys"))
            .unwrap();
        assert_eq!(tickets.items, None, "the whole Secret");
        let mounts = c.volume_mounts.as_ref().unwrap();
        assert!(mounts.iter().any(
            |m| m.mount_path == "/var/run/secrets/sellout/sellout-stripe"
                && m.read_only == Some(true)
        ));
        // Locked down whatever the settings.
        let sc = c.security_context.as_ref().unwrap();
        assert_eq!(sc.read_only_root_filesystem, Some(true));
        assert_eq!(sc.allow_privilege_escalation, Some(false));
        assert_eq!(
            sc.capabilities.as_ref().unwrap().drop.as_deref(),
            Some(&["ALL".to_owned()][..])
        );
        let psc = pod.security_context.as_ref().unwrap();
        assert_eq!(psc.run_as_non_root, Some(true));
        assert_eq!(psc.run_as_user, Some(65532));
        let limits = c.resources.as_ref().unwrap().limits.as_ref().unwrap();
        assert_eq!(limits["cpu"].0, "2");
        assert_eq!(limits["memory"].0, "512Mi");
    }

    #[test]
    fn bad_mounts_and_quantities_are_refused_saying_how_to_write_them() {
        for bad in [
            "SELLOUT_TICKET_KEYS_DIR",
            "1X=s",
            "A-B=s",
            "X=Secret",
            "X=s/",
            "X=s/../etc",
            "X=/k",
            "X=s/..data",
        ] {
            let e = bad.parse::<SecretMount>().unwrap_err();
            assert!(e.contains("ENV=SECRET/KEY"), "{bad}: {e}");
        }
        let m: SecretMount = "SELLOUT_SMS_TOKEN_FILE=sellout-sms/token".parse().unwrap();
        let twice = [m.clone(), m.clone()];
        assert!(check_mounts(&twice).unwrap_err().contains("twice"));
        let reserved: SecretMount = "SELLOUT_EVENT=s".parse().unwrap();
        assert!(
            check_mounts(&[reserved])
                .unwrap_err()
                .contains("sets SELLOUT_EVENT itself")
        );
        assert!(check_mounts(std::slice::from_ref(&m)).is_ok());
        assert_eq!(m.key.as_deref(), Some("token"));
        for ok in ["250m", "1", "0.5", "512Mi", "2Gi", "1G"] {
            assert_eq!(quantity(ok).as_deref(), Ok(ok));
        }
        for bad in ["", "abc", "1.2.3", "512MB", "-1", "m"] {
            let e = quantity(bad).unwrap_err();
            assert!(e.contains("e.g. 250m"), "{bad}: {e}");
        }
    }

    #[test]
    fn no_plan_no_children() {
        assert_eq!(children(&event(), None, &tpl()), Children::default());
    }
}
