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
    Container, ContainerPort, EnvFromSource, EnvVar, HTTPGetAction, PodSpec, PodTemplateSpec,
    Probe, ResourceRequirements, SecretEnvSource, Service, ServicePort, ServiceSpec,
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
                        resources: Some(ResourceRequirements {
                            requests: Some(BTreeMap::from([
                                ("cpu".into(), Quantity("250m".into())),
                                ("memory".into(), Quantity("128Mi".into())),
                            ])),
                            limits: Some(BTreeMap::from([(
                                "memory".into(),
                                Quantity("512Mi".into()),
                            )])),
                            ..Default::default()
                        }),
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
    fn no_plan_no_children() {
        assert_eq!(children(&event(), None, &tpl()), Children::default());
    }
}
