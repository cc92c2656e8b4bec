//! The Helm chart (`charts/sellout`): `helm lint`, then rendered with the
//! default values and with the production-like ones, and every object
//! applied to the test API server as a server-side dry run (accepted by
//! its schemas, admission and RBAC escalation checks, nothing stored); a
//! value of the wrong type or out of range refused by `values.schema.json`
//! naming the field.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{kubectl, wait_for};

const NS: &str = "op-chart";

fn chart() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../charts/sellout")
}

fn helm(args: &[&str]) -> Output {
    let helm = sellout_e2e::tools::binary("helm", "helm").unwrap();
    Command::new(helm).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `helm template` of the chart with `args`; its manifests.
fn template(args: &[&str]) -> String {
    let chart = chart();
    let mut all = vec!["template", "sellout", chart.to_str().unwrap(), "-n", NS];
    all.extend_from_slice(args);
    let out = helm(&all);
    assert!(
        out.status.success(),
        "helm template {args:?}: {}",
        text(&out)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn the_chart_lints_renders_and_every_object_is_accepted_by_the_api_server() {
    let api = sellout_e2e::kube_with_crds().await;
    let production = chart().join("ci/production-values.yaml");
    let production = production.to_str().unwrap();
    for values in [None, Some(production)] {
        let mut args = vec!["lint", "--strict"];
        let chart = chart();
        args.push(chart.to_str().unwrap());
        if let Some(v) = values {
            args.extend(["-f", v]);
        }
        let out = helm(&args);
        assert!(out.status.success(), "helm lint: {}", text(&out));
        assert!(text(&out).contains("0 chart(s) failed"), "{}", text(&out));
    }

    // The release's namespace, and the organization namespace the
    // production values list for worker NetworkPolicies.
    for ns in [NS, "riverside-presents"] {
        let namespace = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n");
        kubectl(api, &["apply", "-f", "-"], Some(&namespace));
    }
    let crds = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/monitoring-crds.yaml"),
    )
    .unwrap();
    kubectl(api, &["apply", "-f", "-"], Some(&crds));
    wait_for("the monitoring stand-in CRDs to be served", 30, || async {
        let out = api
            .kubectl()
            .unwrap()
            .args(["get", "servicemonitors,podmonitors", "-n", NS])
            .output()
            .unwrap();
        out.status.success().then_some(())
    })
    .await;

    for (name, args) in [
        ("default values", vec![]),
        ("production values", vec!["-f", production]),
    ] {
        let manifests = template(&args);
        let kinds = manifests
            .lines()
            .filter(|l| l.starts_with("kind: "))
            .count();
        assert!(kinds >= 15, "{name}: only {kinds} objects rendered");
        // kubectl's answer, one line per object (it fails the test when the
        // API server refuses one, with the refusal).
        let answer = kubectl(
            api,
            &["apply", "--dry-run=server", "-f", "-"],
            Some(&manifests),
        );
        let accepted = answer
            .lines()
            .filter(|l| l.ends_with("(server dry run)"))
            .count();
        assert_eq!(accepted, kinds, "{name}: {answer}");
        eprintln!("chart, {name}: {accepted} objects accepted by the API server (server dry run)");
    }

    // The alerting rules are valid Prometheus rules: the PrometheusRule's
    // spec (its last key) is a rule file's content.
    let rule = template(&[
        "--set",
        "prometheusRule.enabled=true",
        "--show-only",
        "templates/prometheusrule.yaml",
    ]);
    let spec = rule
        .split_once("\nspec:\n")
        .map(|(_, spec)| spec)
        .expect("the PrometheusRule's spec");
    let rules: String = spec
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = sellout_e2e::run_dir().join("chart-rules");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rules.yaml");
    std::fs::write(&file, &rules).unwrap();
    let promtool = sellout_e2e::tools::binary("promtool", "promtool").unwrap();
    let out = Command::new(promtool)
        .args(["check", "rules"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "promtool check rules:\n{}\n{rules}",
        text(&out)
    );
    let found = text(&out);
    let count: usize = found
        .split("SUCCESS: ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("{found}"));
    assert!(count >= 12, "{found}");
    eprintln!("chart, alerting rules: {}", found.trim());

    // The dashboard's queries are valid PromQL too (checked as recording
    // rules, Grafana's variables filled in), and every metric the rules
    // and the dashboard read is one docs/metrics.md lists.
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(chart().join("dashboards/sellout.json")).unwrap(),
    )
    .expect("the dashboard is JSON");
    fn exprs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(e)) = m.get("expr") {
                    out.push(e.clone());
                }
                m.values().for_each(|v| exprs(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| exprs(v, out)),
            _ => {}
        }
    }
    let mut queries = Vec::new();
    exprs(&dashboard, &mut queries);
    assert!(queries.len() >= 15, "{} queries", queries.len());
    let filled: Vec<String> = queries
        .iter()
        .map(|q| {
            q.replace("$__rate_interval", "5m")
                .replace("${namespace}", "riverside-presents")
                .replace("$namespace", "riverside-presents")
                .replace("${event}", "riverside-festival-2027")
                .replace("$event", "riverside-festival-2027")
        })
        .collect();
    let mut recording = String::from("groups:\n  - name: dashboard\n    rules:\n");
    for (i, q) in filled.iter().enumerate() {
        recording.push_str(&format!(
            "      - record: dashboard:query{i}\n        expr: {}\n",
            serde_json::to_string(q).unwrap()
        ));
    }
    let dashboard_rules = dir.join("dashboard.yaml");
    std::fs::write(&dashboard_rules, &recording).unwrap();
    let out = Command::new(sellout_e2e::tools::binary("promtool", "promtool").unwrap())
        .args(["check", "rules"])
        .arg(&dashboard_rules)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the dashboard's queries:\n{}\n{recording}",
        text(&out)
    );
    let documented =
        std::fs::read_to_string(chart().join("../../docs/metrics.md")).expect("docs/metrics.md");
    let read: std::collections::BTreeSet<String> = filled
        .iter()
        .chain(std::iter::once(&rules))
        .flat_map(|text| {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.starts_with("sellout_"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    for metric in &read {
        let base = ["_total", "_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| metric.strip_suffix(s))
            .unwrap_or(metric);
        assert!(
            documented.contains(&format!("`{metric}`"))
                || documented.contains(&format!("`{base}`")),
            "{metric} is read by the dashboard or an alert but docs/metrics.md does not list it"
        );
    }

    // Mistakes are refused before anything is rendered, naming the field.
    let chart = chart();
    for (set, field) in [
        ("gateway.replicas=abc", "/gateway/replicas"),
        ("operator.replicas=-1", "/operator/replicas"),
        (
            "worker.resources.requests.cpu=lots",
            "/worker/resources/requests/cpu",
        ),
        ("dashboards.enabled=yes", "/dashboards/enabled"),
    ] {
        let out = helm(&["template", "sellout", chart.to_str().unwrap(), "--set", set]);
        assert!(!out.status.success(), "{set} was accepted");
        assert!(text(&out).contains(field), "{set}: {}", text(&out));
    }
}

/// The objects of the operator's permissions in the chart, rendered for
/// release `rbac` in namespace `ns`, and the operator Deployment.
fn operator_objects(ns: &str) -> (String, String) {
    let chart = chart();
    let render = |only: &[&str]| {
        let mut args = vec![
            "template",
            "rbac",
            chart.to_str().unwrap(),
            "-n",
            ns,
            // The cluster-wide members policy is the org tests' to
            // install; two operators would rewrite it for their gateways.
            "--set",
            "operator.gatewayMembersPolicy=false",
        ];
        for o in only {
            args.extend(["--show-only", o]);
        }
        let out = helm(&args);
        assert!(out.status.success(), "helm template: {}", text(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    (
        render(&[
            "templates/operator/serviceaccount.yaml",
            "templates/operator/clusterrole.yaml",
            "templates/operator/clusterrolebinding.yaml",
            "templates/operator/role-leader-election.yaml",
        ]),
        render(&["templates/operator/deployment.yaml"]),
    )
}

/// The operator binary, run as the chart's ServiceAccount (the API
/// server impersonates it: every request is authorized by the chart's
/// ClusterRole, ClusterRoleBinding and leader-election Role alone) with
/// the worker and gateway flags the chart passes, reconciles the examples:
/// the Event is Ready, its worker Deployment carries what the chart set
/// (image, the Secrets as files, resources, the locked-down security
/// context), nothing was forbidden, and its `/metrics` reads with
/// Prometheus's parser.
#[tokio::test]
async fn the_operator_reconciles_the_examples_with_only_the_charts_permissions() {
    const RELEASE_NS: &str = "op-rbac";
    const ORG_NS: &str = "op-rbac-org";
    const SHARD_VALUE: &str = "chart-rbac";
    let api = sellout_e2e::kube_with_crds().await;
    let (rbac, deployment) = operator_objects(RELEASE_NS);
    let namespace = format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {RELEASE_NS}}}\n");
    kubectl(api, &["apply", "-f", "-"], Some(&namespace));
    kubectl(api, &["apply", "-f", "-"], Some(&rbac));
    let account = rbac
        .split("---")
        .find(|doc| doc.contains("kind: ServiceAccount"))
        .and_then(|doc| {
            doc.lines()
                .map(str::trim)
                .find_map(|l| l.strip_prefix("name: "))
        })
        .expect("the chart's operator ServiceAccount")
        .trim_matches('"')
        .to_owned();
    // The flags the chart gives the operator about workers and the
    // gateway (the NATS signing key's flags need its file: not here).
    let chart_args: Vec<String> = deployment
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("- "))
        .map(|a| a.trim_matches('"').to_owned())
        .filter(|a| {
            (a.starts_with("--worker-") || a.starts_with("--gateway-"))
                && !a.starts_with("--worker-nats")
        })
        .collect();
    assert!(
        chart_args
            .iter()
            .any(|a| a == "--worker-secret-mount=SELLOUT_TICKET_KEYS_DIR=sellout-ticket-keys"),
        "{chart_args:?}"
    );

    // A kubeconfig whose every request is made as that ServiceAccount.
    let mut config = kube::config::Kubeconfig::read_from(api.kubeconfig()).unwrap();
    for user in &mut config.auth_infos {
        let info = user.auth_info.get_or_insert_with(Default::default);
        info.impersonate = Some(format!("system:serviceaccount:{RELEASE_NS}:{account}"));
        info.impersonate_groups = Some(vec![
            "system:serviceaccounts".into(),
            format!("system:serviceaccounts:{RELEASE_NS}"),
            "system:authenticated".into(),
        ]);
    }
    let dir = sellout_e2e::run_dir().join("chart-rbac");
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("kubeconfig");
    std::fs::write(&kubeconfig, serde_json::to_string(&config).unwrap()).unwrap();
    // The impersonated account really is limited: it cannot delete
    // namespaces, which the chart does not grant.
    let denied = api
        .kubectl()
        .unwrap()
        // The later --kubeconfig wins over the admin's.
        .arg("--kubeconfig")
        .arg(&kubeconfig)
        .args(["auth", "can-i", "delete", "namespaces"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&denied.stdout).trim(),
        "no",
        "{}",
        text(&denied)
    );

    // The examples, in a namespace of their own, for this operator only.
    let examples = std::fs::read_dir(crate::common::repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect::<std::collections::BTreeSet<_>>();
    let mut manifests = String::new();
    for path in examples {
        let text = std::fs::read_to_string(path).unwrap();
        manifests.push_str(&text.replace("riverside-presents", ORG_NS));
        manifests.push_str("\n---\n");
    }
    let shard = format!("{}={SHARD_VALUE}", crate::common::SHARD);
    let labelled = kubectl(
        api,
        &["label", "--local", "-o", "json", "-f", "-", &shard],
        Some(&manifests),
    );
    kubectl(api, &["apply", "-f", "-"], Some(&labelled));

    let port = sellout_e2e::free_port().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sellout-operator"));
    cmd.env("KUBECONFIG", &kubeconfig)
        .env("RUST_LOG", "info")
        .args([
            "--watch-namespace",
            ORG_NS,
            "--event-selector",
            &format!("{}={SHARD_VALUE}", crate::common::SHARD),
            "--lease-namespace",
            RELEASE_NS,
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .args(&chart_args);
    let operator = sellout_e2e::process::Process::spawn(
        "operator as the chart's ServiceAccount",
        cmd,
        &dir.join("operator.log"),
    )
    .unwrap();

    let client = api.client().await.unwrap();
    let events: kube::Api<sellout_crds::Event> = kube::Api::namespaced(client.clone(), ORG_NS);
    wait_for("the example Event to be Ready", 90, || {
        let events = events.clone();
        async move {
            let e = events.get("riverside-festival-2027").await.ok()?;
            e.status
                .as_ref()?
                .conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True")
                .then_some(())
        }
    })
    .await;
    let deployments: kube::Api<k8s_openapi::api::apps::v1::Deployment> =
        kube::Api::namespaced(client.clone(), ORG_NS);
    let d = wait_for("the checkout Deployment", 30, || {
        let deployments = deployments.clone();
        async move {
            deployments
                .get_opt("riverside-festival-2027-checkout")
                .await
                .ok()?
        }
    })
    .await;
    let pod = d.spec.unwrap().template.spec.unwrap();
    let c = &pod.containers[0];
    assert_eq!(
        c.image.as_deref(),
        Some(concat!(
            "ghcr.io/sellout-io/sellout-worker:",
            env!("CARGO_PKG_VERSION")
        )),
        "the chart's worker image"
    );
    let env: std::collections::BTreeMap<_, _> = c
        .env
        .iter()
        .flatten()
        .filter_map(|e| Some((e.name.as_str(), e.value.as_deref()?)))
        .collect();
    assert_eq!(
        env.get("SELLOUT_TICKET_KEYS_DIR"),
        Some(&"/var/run/secrets/sellout/sellout-ticket-keys")
    );
    assert_eq!(
        env.get("SELLOUT_STRIPE_SECRET_KEY_FILE"),
        Some(&"/var/run/secrets/sellout/sellout-stripe/secret-key")
    );
    let secrets: Vec<_> = pod
        .volumes
        .iter()
        .flatten()
        .filter_map(|v| v.secret.as_ref()?.secret_name.clone())
        .collect();
    assert_eq!(secrets, ["sellout-stripe", "sellout-ticket-keys"]);
    assert_eq!(
        c.security_context
            .as_ref()
            .and_then(|s| s.read_only_root_filesystem),
        Some(true)
    );
    assert_eq!(
        pod.security_context.as_ref().and_then(|s| s.run_as_user),
        Some(65532)
    );

    // Every controller has finished a reconcile (the Organization's,
    // with its Roles and RoleBindings, may come last).
    let url = format!("http://127.0.0.1:{port}/metrics");
    let metrics = wait_for("a reconcile of every controller", 60, || {
        let url = url.clone();
        async move {
            let metrics = sellout_e2e::metrics::scrape(&url)
                .await
                .unwrap_or_else(|e| panic!("the operator's /metrics: {e}"));
            ["organization", "venue", "event"]
                .iter()
                .all(|controller| {
                    metrics.sum(
                        "sellout_operator_reconciles_total",
                        &[("controller", controller)],
                    ) >= 1.0
                })
                .then_some(metrics)
        }
    })
    .await;
    assert!(
        metrics.sum(
            "sellout_operator_api_writes_total",
            &[("controller", "event"), ("kind", "Deployment")]
        ) >= 1.0,
        "{metrics:?}"
    );
    let log = std::fs::read_to_string(operator.log_path()).unwrap_or_default();
    assert!(
        !log.contains("forbidden") && !log.contains("Forbidden"),
        "a request of the operator was forbidden with the chart's permissions:\n{}",
        operator.tail(60)
    );
    assert_eq!(
        metrics.sum(
            "sellout_operator_reconcile_failures_total",
            &[("category", "api")]
        ),
        0.0,
        "API errors with the chart's permissions:\n{}",
        operator.tail(60)
    );
}
