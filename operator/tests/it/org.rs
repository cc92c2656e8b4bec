//! The Organization controller: namespace RBAC for workers and the
//! gateway (checked with `kubectl auth can-i` against the API server's RBAC
//! authorizer) and the Stripe account Secret check.

use k8s_openapi::api::rbac::v1::Role;
use kube::api::Api;
use sellout_crds::Organization;
use sellout_operator::organization::MEMBERS_POLICY;

use crate::common::{
    apply, delete_and_wait_remade, kubectl, operator, wait_for, wait_kubernetes_event,
};

const NS: &str = "op-org";

const ORG: &str = r#"apiVersion: sellout.io/v1alpha1
kind: Organization
metadata: {name: acme, namespace: op-org}
spec:
  displayName: Acme Live
  stripeAccount: {name: acme-stripe, key: accountId}
"#;

/// `kubectl auth can-i` as `user`: true for "yes".
fn can_i(api: &sellout_e2e::KubeApi, user: &str, verb: &str, what: &str, ns: &str) -> bool {
    let out = api
        .kubectl()
        .unwrap()
        .args(["auth", "can-i", verb, what, "-n", ns, "--as", user])
        .output()
        .unwrap();
    let answer = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(
        answer == "yes" || answer == "no",
        "kubectl auth can-i: {answer} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    answer == "yes"
}

async fn degraded_reason(orgs: &Api<Organization>) -> Option<String> {
    let o = orgs.get("acme").await.ok()?;
    let d = o
        .status?
        .conditions
        .into_iter()
        .find(|c| c.type_ == "Degraded")?;
    Some(if d.status == "True" {
        d.reason
    } else {
        "Ready".into()
    })
}

/// Creates or replaces the Secret `acme-stripe` with `accountId`.
fn stripe_secret(api: &sellout_e2e::KubeApi, account_id: &str) {
    let secret = kubectl(
        api,
        &[
            "create",
            "secret",
            "generic",
            "acme-stripe",
            "-n",
            NS,
            &format!("--from-literal=accountId={account_id}"),
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        None,
    );
    apply(api, &secret);
}

/// The message of the organization's Degraded condition.
async fn degraded_message(orgs: &Api<Organization>) -> String {
    orgs.get("acme")
        .await
        .unwrap()
        .status
        .unwrap()
        .conditions
        .into_iter()
        .find(|c| c.type_ == "Degraded")
        .unwrap()
        .message
}

async fn wait_reason(orgs: &Api<Organization>, want: &str) {
    wait_for(&format!("the organization to be {want}"), 30, || {
        let orgs = orgs.clone();
        async move { (degraded_reason(&orgs).await.as_deref() == Some(want)).then_some(()) }
    })
    .await;
}

#[tokio::test]
async fn organization_gets_namespace_rbac_and_its_stripe_secret_is_checked() {
    let (api, _ctx) = operator().await;
    let client = api.client().await.unwrap();
    kubectl(api, &["create", "namespace", NS], None);
    apply(api, ORG);
    let orgs: Api<Organization> = Api::namespaced(client.clone(), NS);

    // No Secret yet: Degraded, saying what to create, and a Kubernetes Event.
    wait_reason(&orgs, "StripeSecretMissing").await;
    let msg = degraded_message(&orgs).await;
    assert!(
        msg.contains("acme-stripe") && msg.contains("accountId"),
        "{msg}"
    );
    wait_kubernetes_event(&client, NS, "StripeSecretMissing", 20).await;

    // RBAC, as the API server's authorizer sees it.
    let roles: Api<Role> = Api::namespaced(client.clone(), NS);
    wait_for("the worker Role", 20, || {
        let roles = roles.clone();
        async move { roles.get("sellout-worker").await.ok() }
    })
    .await;
    let worker = "system:serviceaccount:op-org:sellout-worker";
    let gateway = "system:serviceaccount:sellout-system:sellout-gateway";
    wait_for("the RoleBindings to take effect", 20, || async {
        can_i(api, gateway, "patch", "events.sellout.io", NS).then_some(())
    })
    .await;
    assert!(can_i(api, worker, "list", "tickettiers.sellout.io", NS));
    assert!(can_i(api, worker, "get", "secret/acme-stripe", NS));
    assert!(
        !can_i(api, worker, "get", "secret/other", NS),
        "workers read only the Stripe Secret"
    );
    assert!(
        !can_i(api, worker, "delete", "events.sellout.io", NS),
        "workers only read resources"
    );
    assert!(can_i(api, gateway, "create", "tickettiers.sellout.io", NS));
    // The gateway may patch Organizations (OWNERs manage their team in
    // Backstage), and the members policy the operator installed limits it
    // to spec.members and never SUPER_USER, whatever the gateway sends.
    wait_for("the gateway's Role to patch organizations", 20, || async {
        can_i(api, gateway, "patch", "organizations.sellout.io", NS).then_some(())
    })
    .await;
    let as_gateway = |patch: &str| -> (bool, String) {
        let out = api
            .kubectl()
            .unwrap()
            .args([
                "patch",
                "organization",
                "acme",
                "-n",
                NS,
                "--type",
                "merge",
                "-p",
                patch,
                "--as",
                gateway,
            ])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Patch is granted only once the API server enforces the policy: the
    // very first try is refused.
    let (ok, err) = as_gateway(r#"{"spec":{"displayName":"Hijacked"}}"#);
    assert!(
        !ok && err.contains("only an Organization's spec.members"),
        "the first patch after the grant: {err}"
    );
    let (ok, err) = as_gateway(r#"{"spec":{"stripeAccount":{"name":"other","key":"accountId"}}}"#);
    assert!(
        !ok && err.contains("only an Organization's spec.members"),
        "{err}"
    );
    let (ok, err) =
        as_gateway(r#"{"spec":{"members":[{"email":"door@acme.test","role":"SCANNER"}]}}"#);
    assert!(ok, "the gateway adds an ordinary member: {err}");
    let (ok, err) =
        as_gateway(r#"{"spec":{"members":[{"email":"door@acme.test","role":"SUPER_USER"}]}}"#);
    assert!(!ok && err.contains("SUPER_USER"), "{err}");
    // An organization with an OWNER keeps one.
    let (ok, err) =
        as_gateway(r#"{"spec":{"members":[{"email":"boss@acme.test","role":"OWNER"}]}}"#);
    assert!(ok, "the gateway makes an OWNER: {err}");
    let (ok, err) =
        as_gateway(r#"{"spec":{"members":[{"email":"boss@acme.test","role":"ADMIN"}]}}"#);
    assert!(!ok && err.contains("last OWNER"), "{err}");
    // A policy deleted by mistake comes back.
    kubectl(
        api,
        &["delete", "validatingadmissionpolicy", MEMBERS_POLICY],
        None,
    );
    wait_for("the members policy to be applied again", 20, || async {
        let out = api
            .kubectl()
            .unwrap()
            .args(["get", "validatingadmissionpolicy", MEMBERS_POLICY])
            .output()
            .unwrap();
        out.status.success().then_some(())
    })
    .await;
    let out = api
        .kubectl()
        .unwrap()
        .args([
            "delete",
            "organization",
            "acme",
            "-n",
            NS,
            "--dry-run=server",
            "--as",
            gateway,
        ])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the gateway may not delete Organizations"
    );
    assert!(
        !can_i(api, gateway, "get", "secrets", NS),
        "the gateway reads no Secrets"
    );
    assert!(
        !can_i(api, gateway, "patch", "events.sellout.io", "default"),
        "access is per organization namespace"
    );

    // A Secret whose key holds something else: refused, value not shown.
    stripe_secret(api, "sk_test_not_an_account");
    wait_reason(&orgs, "StripeAccountInvalid").await;
    let msg = degraded_message(&orgs).await;
    assert!(!msg.contains("sk_test_not_an_account"), "{msg}");

    // Fixed: Ready.
    stripe_secret(api, "acct_1Acme");
    wait_reason(&orgs, "Ready").await;

    // A deleted Role comes back.
    delete_and_wait_remade(&roles, "sellout-worker", "the deleted Role made again", 30).await;

    // A widened Role is put back: workers must not read every Secret.
    let widen = serde_json::json!({"rules": [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}
    ]});
    roles
        .patch(
            "sellout-worker",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(&widen),
        )
        .await
        .unwrap();
    wait_for("the widened Role put back", 30, || async {
        (!can_i(api, worker, "list", "secrets", NS)).then_some(())
    })
    .await;
    assert!(can_i(api, worker, "get", "secret/acme-stripe", NS));
}
