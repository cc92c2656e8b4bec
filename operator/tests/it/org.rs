//! The Organization controller: namespace RBAC for workers and the
//! gateway (checked with `kubectl auth can-i` against the API server's RBAC
//! authorizer) and the Stripe account Secret check.

use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::rbac::v1::Role;
use kube::api::{Api, DeleteParams, ListParams};
use sellout_crds::Organization;

use crate::event::{kubectl, operator, wait_for};

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
    kubectl(api, &["apply", "-f", "-"], Some(ORG));
    let orgs: Api<Organization> = Api::namespaced(client.clone(), NS);

    // No Secret yet: Degraded, saying what to create, and a Kubernetes Event.
    wait_reason(&orgs, "StripeSecretMissing").await;
    let o = orgs.get("acme").await.unwrap();
    let msg = &o
        .status
        .unwrap()
        .conditions
        .into_iter()
        .find(|c| c.type_ == "Degraded")
        .unwrap()
        .message;
    assert!(
        msg.contains("acme-stripe") && msg.contains("accountId"),
        "{msg}"
    );
    let core_events: Api<CoreEvent> = Api::namespaced(client.clone(), NS);
    wait_for("a Kubernetes Event StripeSecretMissing", 20, || {
        let core_events = core_events.clone();
        async move {
            core_events
                .list(&ListParams::default())
                .await
                .ok()?
                .items
                .iter()
                .any(|e| e.reason.as_deref() == Some("StripeSecretMissing"))
                .then_some(())
        }
    })
    .await;

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
    assert!(
        !can_i(api, gateway, "get", "secrets", NS),
        "the gateway reads no Secrets"
    );
    assert!(
        !can_i(api, gateway, "patch", "events.sellout.io", "default"),
        "access is per organization namespace"
    );

    // A Secret whose key holds something else: refused, value not shown.
    kubectl(
        api,
        &[
            "create",
            "secret",
            "generic",
            "acme-stripe",
            "-n",
            NS,
            "--from-literal=accountId=sk_test_not_an_account",
        ],
        None,
    );
    wait_reason(&orgs, "StripeAccountInvalid").await;
    let o = orgs.get("acme").await.unwrap();
    let msg = &o
        .status
        .unwrap()
        .conditions
        .into_iter()
        .find(|c| c.type_ == "Degraded")
        .unwrap()
        .message;
    assert!(!msg.contains("sk_test_not_an_account"), "{msg}");

    // Fixed: Ready.
    let fixed = kubectl(
        api,
        &[
            "create",
            "secret",
            "generic",
            "acme-stripe",
            "-n",
            NS,
            "--from-literal=accountId=acct_1Acme",
            "--dry-run=client",
            "-o",
            "yaml",
        ],
        None,
    );
    kubectl(api, &["apply", "-f", "-"], Some(&fixed));
    wait_reason(&orgs, "Ready").await;

    // A deleted Role comes back.
    let uid = roles.get("sellout-worker").await.unwrap().metadata.uid;
    roles
        .delete("sellout-worker", &DeleteParams::default())
        .await
        .unwrap();
    wait_for("the deleted Role made again", 30, || {
        let roles = roles.clone();
        let uid = uid.clone();
        async move { (roles.get("sellout-worker").await.ok()?.metadata.uid != uid).then_some(()) }
    })
    .await;
}
