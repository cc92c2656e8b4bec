//! The Organization controller. In the organization's namespace it keeps:
//! - the `sellout-worker` ServiceAccount that event workers run as, with a
//!   Role letting it read the Sellout resources and the organization's
//!   Stripe account Secret (that Secret only);
//! - a Role and RoleBinding letting the gateway's ServiceAccount write the
//!   organization's events, tiers and venues (promoter mutations from
//!   Backstage are server-side applies in this namespace) and nothing
//!   outside it;
//!
//! - when the members policy is installed (see [`members_policy`]), the
//!   gateway's Role may also patch Organizations, so OWNERs manage their
//!   team in Backstage: the policy lets the gateway change `spec.members`
//!   only, never SUPER_USER, and never the last OWNER; it is applied again
//!   every minute, and patch is granted only a few seconds after it is in
//!   place and withdrawn while it cannot be applied;
//!
//! and it checks the Stripe account Secret that `spec.stripeAccount`
//! references: missing Secret, missing key or a value that is not a
//! connected-account id (`acct_…`) make the organization `Degraded` with a
//! reason, a message saying what to do, and a Kubernetes Event. The
//! Secret's value is read, checked and dropped: never logged or stored.

use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::Timestamp;
use kube::api::Api;
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use kube::runtime::{Controller, WatchStreamExt, watcher};
use kube::{Resource, ResourceExt};
use sellout_crds::organization::OrganizationStatus;
use sellout_crds::{GROUP, Organization};

use crate::children::{Writer, sync};
use crate::conditions::{ConditionType, Want, merge};
use crate::context::OrganizationContext;
use crate::error::{Error, Result};
pub use crate::event::validate::Problem;

/// Metric label of this controller.
pub const CONTROLLER: &str = "organization";
/// ServiceAccount (and Role, RoleBinding) of event workers in each
/// organization namespace.
pub const WORKER_ACCOUNT: &str = "sellout-worker";
/// Role and RoleBinding granting the gateway access to a namespace.
pub const GATEWAY_ROLE: &str = "sellout-gateway";

/// The ValidatingAdmissionPolicy (and its binding) limiting the gateway's
/// writes to Organizations, see [`members_policy`].
pub const MEMBERS_POLICY: &str = "sellout-gateway-organizations";

/// Every field of an Organization's spec but `members`: the gateway may
/// change none of them (a unit test checks this against the CRD).
const SPEC_FIELDS_KEPT: &[&str] = &[
    "displayName",
    "stripeAccount",
    "fees",
    "embedOrigins",
    "analytics",
    "workerLimits",
];

/// The ValidatingAdmissionPolicy and binding that let the `gateway`
/// ServiceAccount patch Organizations safely: it may only update (never
/// create or delete) them, change nothing but `spec.members` (not the
/// Stripe account Secret workers may read, not fees, not labels, owners or
/// finalizers), and never grant, change or remove SUPER_USER (platform
/// staff is granted where the platform is managed), and never leave an
/// Organization that had an OWNER without one. The API server enforces it
/// whatever the gateway's code does, so a compromised or buggy gateway
/// cannot escalate anyone to platform staff, touch an organization's
/// Stripe account or fees, or leave it without an OWNER. (It can still
/// add members up to OWNER and remove others, owners too: managing
/// members is what the gateway is for.)
pub fn members_policy(
    gateway: &AccountRef,
) -> (
    k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicy,
    k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicyBinding,
) {
    let user = format!(
        "system:serviceaccount:{}:{}",
        gateway.namespace, gateway.name
    );
    let kept: Vec<String> = SPEC_FIELDS_KEPT
        .iter()
        .map(|f| format!("object.spec.?{f} == oldObject.spec.?{f}"))
        .chain(
            ["labels", "annotations", "ownerReferences", "finalizers"]
                .iter()
                .map(|f| format!("object.metadata.?{f} == oldObject.metadata.?{f}")),
        )
        .collect();
    let policy = serde_json::json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicy",
        "metadata": {"name": MEMBERS_POLICY, "labels": crate::labels::rbac(MEMBERS_POLICY)},
        "spec": {
            "failurePolicy": "Fail",
            "matchConstraints": {"resourceRules": [{
                "apiGroups": [GROUP], "apiVersions": ["*"],
                "operations": ["CREATE", "UPDATE", "DELETE"],
                "resources": ["organizations"],
            }]},
            "matchConditions": [{
                "name": "from-the-gateway",
                "expression": format!("request.userInfo.username == '{user}'"),
            }],
            "validations": [
                {"expression": "request.operation == 'UPDATE'",
                 "message": "the gateway may not create or delete Organizations"},
                {"expression": kept.join(" && "),
                 "message": "the gateway may change only an Organization's spec.members"},
                {"expression": "object.spec.?members.orValue([]).all(m, m.role != 'SUPER_USER' || oldObject.spec.?members.orValue([]).exists(o, o.email == m.email && o.role == 'SUPER_USER')) && oldObject.spec.?members.orValue([]).all(o, o.role != 'SUPER_USER' || object.spec.?members.orValue([]).exists(m, m.email == o.email && m.role == 'SUPER_USER'))",
                 "message": "the gateway may not grant, change or remove SUPER_USER: platform staff is managed where the platform is"},
                {"expression": "!oldObject.spec.?members.orValue([]).exists(o, o.role == 'OWNER') || object.spec.?members.orValue([]).exists(m, m.role == 'OWNER')",
                 "message": "the gateway may not remove an Organization's last OWNER: make someone else OWNER first"},
            ],
        },
    });
    let binding = serde_json::json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": MEMBERS_POLICY, "labels": crate::labels::rbac(MEMBERS_POLICY)},
        "spec": {"policyName": MEMBERS_POLICY, "validationActions": ["Deny"]},
    });
    (
        serde_json::from_value(policy).expect("the members policy is a ValidatingAdmissionPolicy"),
        serde_json::from_value(binding).expect("its binding is a ValidatingAdmissionPolicyBinding"),
    )
}

/// Installs (Server-Side Apply) [`members_policy`] for `gateway`; the
/// uids of the policy and its binding as the API server has them.
pub async fn install_members_policy(
    client: &kube::Client,
    gateway: &AccountRef,
) -> std::result::Result<PolicyUids, kube::Error> {
    use k8s_openapi::api::admissionregistration::v1::{
        ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
    };
    let (policy, binding) = members_policy(gateway);
    let params = kube::api::PatchParams::apply("sellout-operator").force();
    let policy = Api::<ValidatingAdmissionPolicy>::all(client.clone())
        .patch(MEMBERS_POLICY, &params, &kube::api::Patch::Apply(&policy))
        .await?;
    let binding = Api::<ValidatingAdmissionPolicyBinding>::all(client.clone())
        .patch(MEMBERS_POLICY, &params, &kube::api::Patch::Apply(&binding))
        .await?;
    Ok((policy.metadata.uid, binding.metadata.uid))
}

/// The uids of the members policy and its binding: a change means they
/// were deleted and made again.
pub type PolicyUids = (Option<String>, Option<String>);

/// The uids of the members policy and its binding when both are in place
/// already (written by an earlier run, so long loaded by the API server).
async fn members_policy_in_place(client: &kube::Client) -> Option<PolicyUids> {
    use k8s_openapi::api::admissionregistration::v1::{
        ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
    };
    let policy = Api::<ValidatingAdmissionPolicy>::all(client.clone())
        .get_opt(MEMBERS_POLICY)
        .await
        .ok()??;
    let binding = Api::<ValidatingAdmissionPolicyBinding>::all(client.clone())
        .get_opt(MEMBERS_POLICY)
        .await
        .ok()??;
    Some((policy.metadata.uid, binding.metadata.uid))
}

/// A ServiceAccount elsewhere in the cluster, by namespace and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRef {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
}

impl std::str::FromStr for AccountRef {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                Ok(AccountRef {
                    namespace: ns.into(),
                    name: name.into(),
                })
            }
            _ => Err(format!(
                "expected NAMESPACE/NAME of a ServiceAccount (e.g. sellout-system/sellout-gateway), got {s:?}"
            )),
        }
    }
}

impl Default for AccountRef {
    fn default() -> Self {
        AccountRef {
            namespace: "sellout-system".into(),
            name: "sellout-gateway".into(),
        }
    }
}

/// The RBAC objects of an organization's namespace.
#[derive(Clone, Debug, PartialEq)]
pub struct Rbac {
    /// ServiceAccount the event workers run as.
    pub worker_account: ServiceAccount,
    /// What workers may do.
    pub worker_role: Role,
    /// Binds `worker_role` to `worker_account`.
    pub worker_binding: RoleBinding,
    /// What the gateway may do in the namespace.
    pub gateway_role: Role,
    /// Binds `gateway_role` to the gateway's ServiceAccount.
    pub gateway_binding: RoleBinding,
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    PolicyRule {
        api_groups: Some(strings(groups)),
        resources: Some(strings(resources)),
        verbs: strings(verbs),
        ..Default::default()
    }
}

/// The desired RBAC objects for `org`, granting the gateway account
/// `gateway` access to the organization's namespace only; with
/// `members_policy` (the [`members_policy`] is installed) it may also patch
/// the Organization, which the policy limits to `spec.members`.
pub fn rbac(org: &Organization, gateway: &AccountRef, members_policy: bool) -> Rbac {
    let ns = org.namespace().unwrap_or_default();
    let meta = |name: &str| ObjectMeta {
        name: Some(name.into()),
        namespace: Some(ns.clone()),
        labels: Some(crate::labels::rbac(name)),
        owner_references: org.controller_owner_ref(&()).map(|o| vec![o]),
        ..Default::default()
    };
    const READ: &[&str] = &["get", "list", "watch"];
    const RESOURCES: &[&str] = &["events", "tickettiers", "venues", "organizations"];
    let mut worker_rules = vec![rule(&[GROUP], RESOURCES, READ)];
    if let Some(stripe) = &org.spec.stripe_account {
        worker_rules.push(PolicyRule {
            resource_names: Some(vec![stripe.name.clone()]),
            ..rule(&[""], &["secrets"], &["get", "watch"])
        });
    }
    let role_ref = |name: &str| RoleRef {
        api_group: Some("rbac.authorization.k8s.io".into()),
        kind: "Role".into(),
        name: name.into(),
    };
    Rbac {
        worker_account: ServiceAccount {
            metadata: meta(WORKER_ACCOUNT),
            ..Default::default()
        },
        worker_role: Role {
            metadata: meta(WORKER_ACCOUNT),
            rules: Some(worker_rules),
        },
        worker_binding: RoleBinding {
            metadata: meta(WORKER_ACCOUNT),
            role_ref: role_ref(WORKER_ACCOUNT),
            subjects: Some(vec![Subject {
                kind: "ServiceAccount".into(),
                name: WORKER_ACCOUNT.into(),
                namespace: Some(ns.clone()),
                ..Default::default()
            }]),
        },
        gateway_role: Role {
            metadata: meta(GATEWAY_ROLE),
            rules: Some(vec![
                rule(
                    &[GROUP],
                    &["events", "tickettiers", "venues"],
                    &[
                        "get", "list", "watch", "create", "update", "patch", "delete",
                    ],
                ),
                // An organization names its Stripe Secret (which workers
                // may then read) and its members' roles, up to SUPER_USER:
                // the gateway patches it only under the members policy,
                // which lets it change `spec.members` alone.
                rule(
                    &[GROUP],
                    &["organizations"],
                    if members_policy {
                        &["get", "list", "watch", "patch"]
                    } else {
                        &["get", "list", "watch"]
                    },
                ),
                rule(
                    &[GROUP],
                    &[
                        "events/status",
                        "tickettiers/status",
                        "venues/status",
                        "organizations/status",
                    ],
                    &["get"],
                ),
            ]),
        },
        gateway_binding: RoleBinding {
            metadata: meta(GATEWAY_ROLE),
            role_ref: role_ref(GATEWAY_ROLE),
            subjects: Some(vec![Subject {
                kind: "ServiceAccount".into(),
                name: gateway.name.clone(),
                namespace: Some(gateway.namespace.clone()),
                ..Default::default()
            }]),
        },
    }
}

/// Checks the Stripe account Secret `secret` (as read; `None`: it does not
/// exist) against `org.spec.stripeAccount`.
pub fn check_stripe(org: &Organization, secret: Option<&Secret>) -> Option<Problem> {
    let r = org.spec.stripe_account.as_ref()?;
    let ns = org.namespace().unwrap_or_default();
    let Some(secret) = secret else {
        return Some(Problem {
            reason: "StripeSecretMissing",
            message: format!(
                "Secret {} (spec.stripeAccount) does not exist in namespace {ns}: create it with key {} holding the organization's Stripe connected-account id (acct_...); paid events cannot sell until then",
                r.name, r.key
            ),
        });
    };
    let value = secret
        .data
        .as_ref()
        .and_then(|d| d.get(&r.key))
        // Surrounding whitespace (a trailing newline from
        // `--from-file`) is ignored here; the workers read it the same way.
        .map(|v| String::from_utf8_lossy(&v.0).trim().to_owned());
    let Some(value) = value else {
        return Some(Problem {
            reason: "StripeSecretKeyMissing",
            message: format!(
                "Secret {} has no key {} (spec.stripeAccount.key): add the Stripe connected-account id (acct_...) under that key, or point spec.stripeAccount.key at the right one",
                r.name, r.key
            ),
        });
    };
    let valid = value
        .strip_prefix("acct_")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()));
    (!valid).then(|| Problem {
        reason: "StripeAccountInvalid",
        message: format!(
            "key {} of Secret {} does not hold a Stripe connected-account id: it must look like acct_1A2b3C (the value is not shown)",
            r.key, r.name
        ),
    })
}

/// An Organization's status: Ready, or Degraded with `problem`.
pub fn organization_status(
    o: &Organization,
    problem: Option<&Problem>,
    now: Timestamp,
) -> OrganizationStatus {
    let old = o.status.clone().unwrap_or_default();
    let wants = match problem {
        None => vec![
            Want::new(
                ConditionType::Ready,
                true,
                "Reconciled",
                "the organization's namespace access and Stripe account are in place",
            ),
            Want::stable(),
            Want::as_expected("no problems found"),
        ],
        Some(p) => vec![
            Want::new(
                ConditionType::Ready,
                false,
                p.reason,
                "see the Degraded condition",
            ),
            Want::new(
                ConditionType::Progressing,
                false,
                "Stable",
                "waiting for a fix",
            ),
            Want::new(ConditionType::Degraded, true, p.reason, p.message.clone()),
        ],
    };
    OrganizationStatus {
        observed_generation: o.metadata.generation,
        conditions: merge(&old.conditions, wants, o.metadata.generation, now),
        members: Some(o.spec.members.len() as i64),
    }
}

async fn reconcile(org: Arc<Organization>, ctx: Arc<OrganizationContext>) -> Result<Action> {
    let t = Instant::now();
    let r = reconcile_inner(&org, &ctx).await;
    ctx.base.metrics.reconciled(
        CONTROLLER,
        t.elapsed(),
        r.as_ref().err().map(Error::category),
    );
    if r.is_ok() {
        ctx.base.backoff.reset(&ObjectRef::from_obj(&*org).erase());
    }
    r
}

#[tracing::instrument(skip_all, fields(organization = %org.name_any(), namespace = org.namespace().unwrap_or_default()))]
async fn reconcile_inner(org: &Organization, ctx: &OrganizationContext) -> Result<Action> {
    let ns = org
        .namespace()
        .ok_or(Error::MissingField("Organization", "metadata.namespace"))?;
    let uid = org
        .metadata
        .uid
        .clone()
        .ok_or(Error::MissingField("Organization", "metadata.uid"))?;
    if org.metadata.deletion_timestamp.is_some() {
        // Owner references let the garbage collector remove the RBAC.
        return Ok(Action::await_change());
    }
    let members = ctx
        .members_policy
        .load(std::sync::atomic::Ordering::Relaxed);
    let want = rbac(org, &ctx.gateway_account, members);
    let w = Writer {
        base: &ctx.base,
        applied: &ctx.applied,
        controller: CONTROLLER,
    };
    let account = Some(&want.worker_account);
    sync(w, &ns, &uid, WORKER_ACCOUNT, account, "ServiceAccount").await?;
    let role = Some(&want.worker_role);
    sync(w, &ns, &uid, WORKER_ACCOUNT, role, "Role").await?;
    let binding = Some(&want.worker_binding);
    sync(w, &ns, &uid, WORKER_ACCOUNT, binding, "RoleBinding").await?;
    let role = Some(&want.gateway_role);
    sync(w, &ns, &uid, GATEWAY_ROLE, role, "Role").await?;
    let binding = Some(&want.gateway_binding);
    sync(w, &ns, &uid, GATEWAY_ROLE, binding, "RoleBinding").await?;

    let secret = match &org.spec.stripe_account {
        Some(r) => {
            Api::<Secret>::namespaced(ctx.base.client.clone(), &ns)
                .get_opt(&r.name)
                .await?
        }
        None => None,
    };
    let problem = check_stripe(org, secret.as_ref());
    drop(secret);
    let st = organization_status(org, problem.as_ref(), Timestamp::now());
    if org.status.as_ref() != Some(&st) {
        let notice = crate::conditions::degraded_event(
            org.status.as_ref().map_or(&[][..], |s| &s.conditions),
            &st.conditions,
            "the organization's Stripe account is in place again",
        );
        crate::venue::write_status(
            &ctx.base,
            org,
            serde_json::to_value(&st)?,
            CONTROLLER,
            "Organization/status",
        )
        .await?;
        if let Some(ev) = notice {
            match ctx.base.recorder.publish(&ev, &org.object_ref(&())).await {
                Ok(()) => ctx.base.metrics.write(CONTROLLER, "Event (core)", "create"),
                Err(e) => tracing::warn!(error = %e, "could not record a Kubernetes Event"),
            }
        }
    }
    // The Secret's watch brings a fix; a resync catches anything missed.
    Ok(Action::requeue(crate::event::RESYNC))
}

/// How long the gateway waits, after the members policy is written, before
/// its Role may patch Organizations: the API server loads admission
/// policies from its own watch, about a second after they are written, and
/// until then would let any patch through.
const POLICY_SETTLE: std::time::Duration = std::time::Duration::from_secs(5);

/// Keeps [`members_policy`] in place until shutdown: applies it, and only
/// [`POLICY_SETTLE`] later lets the gateway's Roles patch Organizations;
/// applies it again every `members_policy_recheck` (one deleted by mistake
/// comes back, and patch waits for it to settle again); and withdraws the
/// patch from the gateway's Roles while it cannot be applied. `seen`: the
/// uids of the policy found in place at start (patch granted already).
/// Each change of the grant sends on `changed`, so every Organization's
/// Role is reconciled.
async fn keep_members_policy(
    ctx: Arc<OrganizationContext>,
    changed: futures::channel::mpsc::UnboundedSender<()>,
    mut seen: Option<PolicyUids>,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let shutdown = ctx.base.shutdown.clone();
    let mut backoff = std::time::Duration::from_secs(1);
    let grant = |on: bool| {
        if ctx.members_policy.swap(on, Relaxed) != on {
            let _ = changed.unbounded_send(());
        }
    };
    loop {
        let wait = match install_members_policy(&ctx.base.client, &ctx.gateway_account).await {
            Ok(uids) => {
                if seen.as_ref().is_some_and(|s| *s != uids) {
                    // Deleted and made again: not enforced until loaded.
                    grant(false);
                    tracing::warn!(
                        policy = MEMBERS_POLICY,
                        "the members policy was deleted and is made again: the gateway may not patch Organizations until it is in force"
                    );
                }
                if !ctx.members_policy.load(Relaxed) {
                    tokio::select! {
                        () = tokio::time::sleep(POLICY_SETTLE) => {}
                        () = shutdown.cancelled() => return,
                    }
                    grant(true);
                    tracing::info!(
                        policy = MEMBERS_POLICY,
                        "members policy in place: the gateway may patch Organizations' spec.members"
                    );
                }
                seen = Some(uids);
                backoff = std::time::Duration::from_secs(1);
                ctx.members_policy_recheck
            }
            Err(e) => {
                grant(false);
                seen = None;
                tracing::warn!(
                    policy = MEMBERS_POLICY,
                    error = %e,
                    retry_in_seconds = backoff.as_secs(),
                    "could not apply the members policy (the operator needs create and patch on validatingadmissionpolicies and their bindings): Organizations are read-only to the gateway until it is, so setMember and removeMember answer FORBIDDEN"
                );
                backoff = (backoff * 2).min(std::time::Duration::from_secs(60));
                backoff
            }
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

/// Runs the Organization controller until shutdown.
pub async fn run(ctx: Arc<OrganizationContext>) {
    let base = ctx.base.clone();
    let (policy_changed, policy_changes) = futures::channel::mpsc::unbounded();
    if ctx.install_members_policy {
        // A policy in place from an earlier run is in force: the gateway
        // keeps its patch across restarts and leader changes.
        let seen = members_policy_in_place(&base.client).await;
        if seen.is_some() {
            ctx.members_policy
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        tokio::spawn(keep_members_policy(ctx.clone(), policy_changed, seen));
    }
    let managed = watcher::Config::default().labels(&crate::labels::managed_selector());
    let controller = Controller::new(base.api::<Organization>(), watcher::Config::default());
    let store = controller.store();
    // Secrets are watched by metadata only: their values never sit in the
    // operator's memory.
    let secrets = watcher(
        base.api::<kube::core::PartialObjectMeta<Secret>>(),
        watcher::Config::default(),
    )
    .default_backoff()
    .touched_objects();
    controller
        .owns_stream(crate::children::spec_changes(
            base.api::<ServiceAccount>(),
            managed.clone(),
        ))
        .owns_stream(crate::children::spec_changes(
            base.api::<Role>(),
            managed.clone(),
        ))
        .owns_stream(crate::children::spec_changes(
            base.api::<RoleBinding>(),
            managed,
        ))
        .watches_stream(secrets, move |secret| {
            let ns = secret.namespace();
            let name = secret.name_any();
            store
                .state()
                .into_iter()
                .filter(|o| {
                    o.namespace() == ns
                        && o.spec
                            .stripe_account
                            .as_ref()
                            .is_some_and(|r| r.name == name)
                })
                .map(|o| ObjectRef::from_obj(&*o))
                .collect::<Vec<_>>()
        })
        .reconcile_all_on(policy_changes)
        .graceful_shutdown_on(base.shutdown.clone().cancelled_owned())
        .run(reconcile, crate::venue::retry, ctx)
        .for_each(|_| std::future::ready(()))
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::ByteString;
    use std::collections::BTreeMap;

    fn org(stripe: bool) -> Organization {
        let mut spec = serde_json::json!({"displayName": "Riverside"});
        if stripe {
            spec["stripeAccount"] =
                serde_json::json!({"name": "riverside-stripe", "key": "accountId"});
        }
        serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
            "metadata": {"name": "riverside", "namespace": "riverside-presents", "uid": "u-1", "generation": 2},
            "spec": spec,
        }))
        .unwrap()
    }

    fn secret(key: &str, value: &str) -> Secret {
        Secret {
            data: Some(BTreeMap::from([(
                key.into(),
                ByteString(value.as_bytes().to_vec()),
            )])),
            ..Default::default()
        }
    }

    #[test]
    fn stripe_secret_checks_say_what_to_fix_and_never_show_the_value() {
        assert_eq!(
            check_stripe(&org(false), None),
            None,
            "no Stripe account yet is fine"
        );
        let o = org(true);
        let missing = check_stripe(&o, None).unwrap();
        assert_eq!(missing.reason, "StripeSecretMissing");
        assert!(
            missing.message.contains("riverside-stripe") && missing.message.contains("accountId")
        );
        let no_key = check_stripe(&o, Some(&secret("other", "acct_1"))).unwrap();
        assert_eq!(no_key.reason, "StripeSecretKeyMissing");
        let bad = check_stripe(&o, Some(&secret("accountId", "sk_live_secret123"))).unwrap();
        assert_eq!(bad.reason, "StripeAccountInvalid");
        assert!(
            !bad.message.contains("sk_live_secret123"),
            "{}",
            bad.message
        );
        assert_eq!(
            check_stripe(&o, Some(&secret("accountId", "acct_1Nv0FGQ9RKHgCVdK\n"))),
            None
        );
        assert!(check_stripe(&o, Some(&secret("accountId", "acct_"))).is_some());
    }

    #[test]
    fn rbac_is_namespaced_owned_and_limits_workers_to_the_stripe_secret() {
        let gw: AccountRef = "platform/gw".parse().unwrap();
        let r = rbac(&org(true), &gw, false);
        for meta in [
            &r.worker_account.metadata,
            &r.worker_role.metadata,
            &r.worker_binding.metadata,
            &r.gateway_role.metadata,
            &r.gateway_binding.metadata,
        ] {
            assert_eq!(meta.namespace.as_deref(), Some("riverside-presents"));
            let owner = &meta.owner_references.as_ref().unwrap()[0];
            assert_eq!((owner.uid.as_str(), owner.controller), ("u-1", Some(true)));
        }
        let rules = r.worker_role.rules.as_ref().unwrap();
        let secrets = rules
            .iter()
            .find(|r| {
                r.resources
                    .as_ref()
                    .unwrap()
                    .contains(&"secrets".to_string())
            })
            .unwrap();
        assert_eq!(
            secrets.resource_names,
            Some(vec!["riverside-stripe".to_string()])
        );
        assert!(
            rules
                .iter()
                .all(|r| !r.verbs.iter().any(|v| v == "create" || v == "delete"))
        );
        let subject = &r.gateway_binding.subjects.as_ref().unwrap()[0];
        assert_eq!(
            (subject.namespace.as_deref(), subject.name.as_str()),
            (Some("platform"), "gw")
        );
        // Without a Stripe account, workers get no Secret access at all.
        let none = rbac(&org(false), &gw, false);
        assert!(
            none.worker_role
                .rules
                .unwrap()
                .iter()
                .all(|r| r.resource_names.is_none())
        );
    }

    #[test]
    fn the_members_policy_keeps_every_spec_field_but_members() {
        use kube::CustomResourceExt;
        let crd = serde_json::to_value(Organization::crd()).unwrap();
        let props = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
            ["properties"];
        let fields: Vec<&str> = props
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|f| *f != "members")
            .collect();
        let (policy, binding) = members_policy(&"platform/gw".parse().unwrap());
        let policy = serde_json::to_value(policy).unwrap();
        let kept = policy["spec"]["validations"][1]["expression"]
            .as_str()
            .unwrap();
        for f in &fields {
            assert!(
                kept.contains(&format!("object.spec.?{f} == oldObject.spec.?{f}")),
                "the members policy lets the gateway change spec.{f}: add it to SPEC_FIELDS_KEPT"
            );
        }
        assert_eq!(
            policy["spec"]["matchConditions"][0]["expression"],
            "request.userInfo.username == 'system:serviceaccount:platform:gw'"
        );
        assert_eq!(
            serde_json::to_value(binding).unwrap()["spec"]["policyName"],
            MEMBERS_POLICY
        );
        // Only with the policy does the gateway's Role patch Organizations.
        let gw: AccountRef = "platform/gw".parse().unwrap();
        let verbs = |policy: bool| {
            rbac(&org(false), &gw, policy)
                .gateway_role
                .rules
                .unwrap()
                .into_iter()
                .find(|r| r.resources.as_deref() == Some(&["organizations".to_string()][..]))
                .unwrap()
                .verbs
        };
        assert!(!verbs(false).contains(&"patch".to_string()));
        assert!(verbs(true).contains(&"patch".to_string()));
    }

    #[test]
    fn account_refs_parse_namespace_slash_name() {
        assert!("sellout-gateway".parse::<AccountRef>().is_err());
        assert!("a/b/c".parse::<AccountRef>().is_err());
        assert_eq!(
            "ns/sa".parse::<AccountRef>().unwrap(),
            AccountRef {
                namespace: "ns".into(),
                name: "sa".into()
            }
        );
    }

    #[test]
    fn status_is_degraded_with_the_problem() {
        let o = org(true);
        let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let p = check_stripe(&o, None);
        let st = organization_status(&o, p.as_ref(), now);
        let d = st
            .conditions
            .iter()
            .find(|c| ConditionType::Degraded.is(c))
            .unwrap();
        assert_eq!(
            (d.status.as_str(), d.reason.as_str()),
            ("True", "StripeSecretMissing")
        );
        assert_eq!(st.observed_generation, Some(2));
        let ok = organization_status(&o, None, now);
        assert!(
            ok.conditions
                .iter()
                .any(|c| ConditionType::Ready.is(c) && c.status == "True")
        );
    }
}
