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
            .args(["get", "servicemonitors", "-n", NS])
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
        let out = {
            use std::io::Write;
            let mut child = api
                .kubectl()
                .unwrap()
                .args(["apply", "--dry-run=server", "-f", "-"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(manifests.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        };
        assert!(
            out.status.success(),
            "{name}: the API server refused an object:\n{}",
            text(&out)
        );
        let accepted = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.ends_with("(server dry run)"))
            .count();
        assert_eq!(accepted, kinds, "{name}: {}", text(&out));
        eprintln!("chart, {name}: {accepted} objects accepted by the API server (server dry run)");
    }

    // Mistakes are refused before anything is rendered, naming the field.
    let chart = chart();
    for (set, field) in [
        ("gateway.replicas=abc", "/gateway/replicas"),
        ("operator.replicas=-1", "/operator/replicas"),
    ] {
        let out = helm(&["template", "sellout", chart.to_str().unwrap(), "--set", set]);
        assert!(!out.status.success(), "{set} was accepted");
        assert!(text(&out).contains(field), "{set}: {}", text(&out));
    }
}
