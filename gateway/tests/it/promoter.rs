//! Promoter mutations write the custom resources by Server-Side Apply and
//! meet GitOps in the API server: a promoter creates and publishes an
//! event that the operator makes Ready; fields another field manager owns
//! are reported as conflicts (and taken over only when forced); CEL
//! refusals come back with their message; roles and organizations are
//! kept apart; events page stably while new ones arrive.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, Patch, PatchParams, PostParams};
use sellout_crds::{Event, Organization};
use sellout_operator::Context as OperatorContext;
use sellout_operator::event::build::WorkerTemplate;
use sellout_operator::event::data::DataPlane;
use serde_json::{Value, json};

use super::{code, gateway, kube, token};

/// A GraphQL request as `token` (anonymous without).
async fn gql(base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({"query": query, "variables": variables}));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

fn message(v: &Value) -> &str {
    v["errors"][0]["message"].as_str().unwrap_or_default()
}

async fn client() -> kube::Client {
    kube().await.client().await.unwrap()
}

/// Namespace `ns` with an Organization whose `members` (e-mail, role) are
/// applied by GitOps (field manager `gitops`).
async fn organization(ns: &str, members: &[(&str, &str)]) {
    let client = client().await;
    Api::<Namespace>::all(client.clone())
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": ns}})).unwrap(),
        )
        .await
        .unwrap();
    let members: Vec<Value> = members
        .iter()
        .map(|(email, role)| json!({"email": email, "role": role}))
        .collect();
    let org = json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
        "metadata": {"name": "org", "namespace": ns},
        "spec": {"displayName": format!("Org {ns}"), "members": members},
    });
    Api::<Organization>::namespaced(client, ns)
        .patch("org", &PatchParams::apply("gitops"), &Patch::Apply(&org))
        .await
        .unwrap();
}

/// Polls `f` every 100 ms until it gives something, for up to `secs`.
async fn wait_for<T, F, Fut>(what: &str, secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {secs}s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the gateway's catalog knows the Organization of `ns` (the
/// role checks read it).
async fn wait_org(base: &str, token: &str, ns: &str) {
    wait_for(&format!("the catalog to know {ns}"), 30, || async {
        let v = gql(
            base,
            Some(token),
            "query($ns: String!) { organization(namespace: $ns) { name } }",
            json!({"ns": ns}),
        )
        .await;
        v["errors"].is_null().then_some(())
    })
    .await;
}

/// Starts (once) an operator for namespace `ns` on a runtime of its own, as
/// the operator's tests do (`operator/tests/it/common.rs`): Kubernetes
/// worker runtime (no kubelet runs the pods), JetStream and MongoDB from
/// the harness.
fn operator_for(ns: &'static str) -> Arc<OperatorContext> {
    static CTX: OnceLock<Arc<OperatorContext>> = OnceLock::new();
    CTX.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let client = sellout_e2e::kube_with_crds().await.client().await.unwrap();
                let data = DataPlane {
                    db: sellout_e2e::mongo()
                        .await
                        .client()
                        .await
                        .unwrap()
                        .database("sellout"),
                    js: sellout_e2e::nats()
                        .await
                        .jetstream_as(sellout_common::nats_auth::Component::Operator)
                        .await
                        .unwrap(),
                    stream_replicas: 1,
                };
                let template = WorkerTemplate {
                    image: "sellout/worker:test".into(),
                    env_secret: "sellout-worker".into(),
                    per_event_nats: false,
                    pod: Default::default(),
                };
                let mut ctx = OperatorContext::new(client, template, Some(data));
                ctx.namespace = Some(ns.into());
                let ctx = Arc::new(ctx);
                tx.send(ctx.clone()).unwrap();
                sellout_operator::run_controllers(ctx).await;
            });
        });
        rx.recv().unwrap()
    })
    .clone()
}

/// The gateway's ServiceAccount, as the operator grants it each
/// organization namespace (`--gateway-service-account`'s default).
const GATEWAY_ACCOUNT: &str = "system:serviceaccount:sellout-system:sellout-gateway";

/// Serves a gateway that writes as its ServiceAccount (the API server's
/// RBAC decides what it may do), its catalog still reading everything.
async fn gateway_as_service_account() -> String {
    let mut deps = super::deps().await;
    let kubeconfig = kube::config::Kubeconfig::read_from(kube().await.kubeconfig()).unwrap();
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    config.auth_info.impersonate = Some(GATEWAY_ACCOUNT.into());
    deps.kube = kube::Client::try_from(config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = sellout_gateway::http::router(deps, None);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

const CREATE_VENUE: &str = r#"mutation($org: String!, $input: CreateVenueInput!) {
  createVenue(organization: $org, input: $input) { name capacity sections { name } fieldOwners { field manager } } }"#;
const CREATE_EVENT: &str = r#"mutation($org: String!, $input: CreateEventInput!) {
  createEvent(organization: $org, input: $input) { name slug title state currency fees { name flatMinor appliesTo } } }"#;
const CREATE_TIER: &str = r#"mutation($org: String!, $input: CreateTicketTierInput!) {
  createTicketTier(organization: $org, input: $input) { name event priceMinor currency quantity visibility } }"#;
const UPDATE_EVENT: &str = r#"mutation($org: String!, $name: String!, $input: UpdateEventInput!, $force: Boolean) {
  updateEvent(organization: $org, name: $name, input: $input, force: $force) { title description currency offSaleAt } }"#;

fn venue_input(name: &str) -> Value {
    json!({
        "name": name, "displayName": "Riverside Hall",
        "address": {"line1": "1 River Road", "city": "York", "country": "GB"},
        "timezone": "Europe/London", "capacity": 1000,
        "sections": [
            {"name": "floor", "generalAdmission": {"capacity": 800}},
            {"name": "balcony", "seated": {"rows": 10, "seatsPerRow": 20}}
        ]
    })
}

fn event_input(name: &str, venue: &str) -> Value {
    json!({
        "name": name, "title": "Summer Nights", "venue": venue, "currency": "GBP",
        "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}],
        "onSaleAt": "2026-01-01T10:00:00Z",
        "fees": [{"name": "Booking fee", "appliesTo": "ORDER", "flatMinor": 150}]
    })
}

/// What a promoter's write would change of an Event: its spec, and the
/// generation (which counts spec changes; the operator's status writes
/// change the resourceVersion, not this).
fn written(e: &Event) -> (Option<i64>, Value) {
    (
        e.metadata.generation,
        serde_json::to_value(&e.spec).unwrap(),
    )
}

/// Asserts `v` succeeded and returns its `data`.
fn ok(v: Value) -> Value {
    assert!(v["errors"].is_null(), "{v}");
    v["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promoter_publishes_an_event_that_the_operator_makes_ready_and_gitops_fields_are_kept() {
    const NS: &str = "gw-promo";
    const OWNER: &str = "owner@riverside.test";
    organization(NS, &[(OWNER, "OWNER")]).await;
    let _operator = operator_for(NS);
    let base = gateway(None).await;
    let owner_token = token(OWNER);
    wait_org(&base, &owner_token, NS).await;
    let owner = Some(owner_token.as_str());
    let events: Api<Event> = Api::namespaced(client().await, NS);

    // Venue, event and two tiers, all through GraphQL.
    let v = ok(gql(
        &base,
        owner,
        CREATE_VENUE,
        json!({"org": NS, "input": venue_input("hall")}),
    )
    .await);
    assert_eq!(v["createVenue"]["capacity"], 1000);
    assert_eq!(v["createVenue"]["sections"].as_array().unwrap().len(), 2);
    assert!(
        v["createVenue"]["fieldOwners"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["manager"] == "sellout-gateway"),
        "{v}"
    );
    let v = ok(gql(
        &base,
        owner,
        CREATE_EVENT,
        json!({"org": NS, "input": event_input("show", "hall")}),
    )
    .await);
    let e = &v["createEvent"];
    assert_eq!(
        (
            e["slug"].as_str(),
            e["state"].as_str(),
            e["currency"].as_str()
        ),
        (Some("gw-promo/show"), Some("DRAFT"), Some("GBP"))
    );
    assert_eq!(e["fees"][0]["flatMinor"], 150);
    for (tier, section, price, quantity) in [
        ("ga", "floor", 2500, 500),
        ("balcony", "balcony", 4000, 200),
    ] {
        let v = ok(gql(
            &base,
            owner,
            CREATE_TIER,
            json!({"org": NS, "input": {
                "name": tier, "event": "show", "displayName": tier.to_uppercase(),
                "price": {"amountMinor": price}, "quantity": quantity, "section": section,
                "perOrder": {"min": 1, "max": 6}
            }}),
        )
        .await);
        // The price is in the event's currency unless given.
        assert_eq!(v["createTicketTier"]["currency"], "GBP");
        assert_eq!(v["createTicketTier"]["visibility"], "PUBLIC");
    }
    let v = ok(gql(
        &base,
        owner,
        r#"mutation { publishEvent(organization: "gw-promo", name: "show") { state } }"#,
        json!({}),
    )
    .await);
    assert_eq!(v["publishEvent"]["state"], "PUBLISHED");

    // The Event in the API server: applied by the gateway, which owns only
    // what the promoter set (defaults such as holdTtlSeconds are nobody's).
    let live = events.get("show").await.unwrap();
    assert_eq!(live.spec.state, sellout_crds::event::EventState::Published);
    let managed = live.metadata.managed_fields.clone().unwrap();
    let ours = managed
        .iter()
        .find(|m| m.manager.as_deref() == Some("sellout-gateway"))
        .expect("the gateway is a field manager of the Event");
    assert_eq!(ours.operation.as_deref(), Some("Apply"));
    let fields = serde_json::to_value(&ours.fields_v1).unwrap();
    for f in [
        "f:title",
        "f:currency",
        "f:days",
        "f:onSaleAt",
        "f:state",
        "f:fees",
    ] {
        assert!(fields["f:spec"].get(f).is_some(), "{f} in {fields}");
    }
    assert!(
        fields["f:spec"].get("f:holdTtlSeconds").is_none(),
        "{fields}"
    );

    // The operator makes it Ready; seen through GraphQL.
    let status_q = r#"{ organization(namespace: "gw-promo") { event(name: "show") {
        status { phase upToDate capacity sold held available ready { status reason } }
        tiers { nodes { name status { ready { status } } } } } } }"#;
    let status = wait_for(
        "the event to be Ready with both tiers counted",
        60,
        || async {
            let v = gql(&base, owner, status_q, json!({})).await;
            let s = v["data"]["organization"]["event"]["status"].clone();
            (s["ready"]["status"] == "True" && s["upToDate"] == true && s["capacity"] == 700)
                .then_some(s)
        },
    )
    .await;
    assert_eq!(status["ready"]["reason"], "Reconciled");
    assert_eq!(status["phase"], "ON_SALE");
    assert_eq!(
        (
            status["sold"].clone(),
            status["held"].clone(),
            status["available"].clone()
        ),
        (json!(0), json!(0), json!(700)),
        "{status}"
    );

    // The public page shows it, once the gateway's watches of tiers and
    // venues have seen them (the event itself is read from the API server
    // when the watch has not seen it yet).
    let v = wait_for("the public page to show both tiers", 20, || async {
        let v = ok(gql(
            &base,
            None,
            r#"{ event(slug: "gw-promo/show") { title state tiers { name priceMinor } venue { displayName } } }"#,
            json!({}),
        )
        .await);
        (v["event"]["tiers"].as_array().map(Vec::len) == Some(2)
            && v["event"]["venue"]["displayName"].is_string())
        .then_some(v)
    })
    .await;
    assert_eq!(v["event"]["title"], "Summer Nights");
    assert_eq!(v["event"]["state"], "Published");
    assert_eq!(v["event"]["venue"]["displayName"], "Riverside Hall");
    assert_eq!(v["event"]["tiers"].as_array().unwrap().len(), 2, "{v}");

    // GitOps takes the title over (kubectl apply --server-side
    // --force-conflicts --field-manager=gitops), and a client-side
    // `kubectl apply` sets the description.
    let gitops = json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
        "metadata": {"name": "show", "namespace": NS},
        "spec": {"title": "Summer Nights (from Git)"},
    });
    events
        .patch(
            "show",
            &PatchParams::apply("gitops").force(),
            &Patch::Apply(&gitops),
        )
        .await
        .unwrap();
    let kubectl = {
        use std::io::Write;
        let mut cmd = kube().await.kubectl().unwrap();
        cmd.args(["apply", "-f", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(
                b"apiVersion: sellout.io/v1alpha1\nkind: Event\nmetadata: {name: show, namespace: gw-promo}\nspec:\n  description: Set with kubectl\n",
            )
            .unwrap();
        child.wait_with_output().unwrap()
    };
    assert!(
        kubectl.status.success(),
        "{}",
        String::from_utf8_lossy(&kubectl.stderr)
    );
    let before = events.get("show").await.unwrap();
    assert_eq!(before.spec.description.as_deref(), Some("Set with kubectl"));

    // The promoter's edit of the title is a conflict naming field and
    // owner; nothing changes.
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"title": "Promoter title"}}),
    )
    .await;
    assert_eq!(code(&v), "CONFLICT", "{v}");
    assert!(
        message(&v).contains(".spec.title") && message(&v).contains("gitops"),
        "{v}"
    );
    assert_eq!(
        v["errors"][0]["extensions"]["conflicts"],
        json!([{"field": ".spec.title", "manager": "gitops"}])
    );
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"description": "Promoter words"}}),
    )
    .await;
    assert_eq!(code(&v), "CONFLICT", "{v}");
    assert_eq!(
        v["errors"][0]["extensions"]["conflicts"],
        json!([{"field": ".spec.description", "manager": "kubectl-client-side-apply"}])
    );
    // Clearing a field set elsewhere would leave it in place: refused too.
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"description": null}}),
    )
    .await;
    assert_eq!(code(&v), "CONFLICT", "{v}");
    let after = events.get("show").await.unwrap();
    assert_eq!(written(&after), written(&before), "nothing written");
    assert_eq!(after.spec.title, "Summer Nights (from Git)");

    // Backstage sees who owns what.
    let owners_q = r#"{ organization(namespace: "gw-promo") { event(name: "show") { fieldOwners { field manager byGateway } } } }"#;
    let owners = wait_for("the catalog to show GitOps' title", 30, || async {
        let v = gql(&base, owner, owners_q, json!({})).await;
        let owners = v["data"]["organization"]["event"]["fieldOwners"].clone();
        owners
            .as_array()?
            .iter()
            .any(|o| o["field"] == ".spec.description")
            .then_some(owners)
    })
    .await;
    let owner_of = |field: &str| -> Vec<Value> {
        owners
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["field"] == field)
            .map(|o| o["manager"].clone())
            .collect()
    };
    assert_eq!(owner_of(".spec.title"), [json!("gitops")]);
    assert_eq!(
        owner_of(".spec.description"),
        [json!("kubectl-client-side-apply")]
    );
    assert_eq!(owner_of(".spec.currency"), [json!("sellout-gateway")]);

    // Forced, the promoter takes the title over; the description, which
    // the edit does not touch, stays as kubectl set it.
    let v = ok(gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"title": "Promoter title"}, "force": true}),
    )
    .await);
    assert_eq!(v["updateEvent"]["title"], "Promoter title");
    assert_eq!(v["updateEvent"]["description"], "Set with kubectl");
    let live = events.get("show").await.unwrap();
    assert_eq!(live.spec.title, "Promoter title");
    assert_eq!(live.spec.description.as_deref(), Some("Set with kubectl"));
    assert_eq!(
        live.spec.state,
        sellout_crds::event::EventState::Published,
        "the gateway's other fields stay"
    );
    assert_eq!(live.spec.fees.len(), 1);

    // CEL rules refuse bad edits with their own message; nothing changes.
    let was = written(&live);
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"currency": "EUR"}}),
    )
    .await;
    assert_eq!(code(&v), "INVALID", "{v}");
    assert!(
        message(&v).contains("currency cannot change once the event is published"),
        "{v}"
    );
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"offSaleAt": "2025-01-01T00:00:00Z"}}),
    )
    .await;
    assert_eq!(code(&v), "INVALID", "{v}");
    assert!(
        message(&v).contains("onSaleAt must be before offSaleAt"),
        "{v}"
    );
    assert_eq!(
        v["errors"][0]["extensions"]["causes"][0]["field"], "spec",
        "{v}"
    );
    // OpenAPI validation too.
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "show", "input": {"holdTtlSeconds": 5}}),
    )
    .await;
    assert_eq!(code(&v), "INVALID", "{v}");
    assert!(message(&v).contains("spec.holdTtlSeconds"), "{v}");
    assert_eq!(
        written(&events.get("show").await.unwrap()),
        was,
        "nothing written"
    );

    // A taken name, an unknown venue, an unknown event.
    let v = gql(
        &base,
        owner,
        CREATE_EVENT,
        json!({"org": NS, "input": event_input("show", "hall")}),
    )
    .await;
    assert_eq!(code(&v), "CONFLICT", "{v}");
    assert!(message(&v).contains("already exists"), "{v}");
    assert_eq!(
        written(&events.get("show").await.unwrap()),
        was,
        "nothing written"
    );
    let v = gql(
        &base,
        owner,
        CREATE_EVENT,
        json!({"org": NS, "input": event_input("other", "nowhere")}),
    )
    .await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");
    let v = gql(
        &base,
        owner,
        UPDATE_EVENT,
        json!({"org": NS, "name": "ghost", "input": {"title": "x"}}),
    )
    .await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");
    assert!(
        events.get_opt("ghost").await.unwrap().is_none(),
        "an update never creates"
    );

    // Tiers: hide, then delete one that sold nothing.
    let v = ok(gql(
        &base,
        owner,
        r#"mutation { updateTicketTier(organization: "gw-promo", name: "balcony", input: {visibility: HIDDEN, price: {amountMinor: 4500}}) { visibility priceMinor currency } }"#,
        json!({}),
    )
    .await);
    assert_eq!(
        v["updateTicketTier"],
        json!({"visibility": "HIDDEN", "priceMinor": 4500, "currency": "GBP"})
    );
    let v = ok(gql(
        &base,
        owner,
        r#"mutation { deleteTicketTier(organization: "gw-promo", name: "balcony") }"#,
        json!({}),
    )
    .await);
    assert_eq!(v["deleteTicketTier"], true);
    let tiers: Api<sellout_crds::TicketTier> = Api::namespaced(client().await, NS);
    wait_for("the tier to be gone", 30, || async {
        tiers
            .get_opt("balcony")
            .await
            .unwrap()
            .is_none()
            .then_some(())
    })
    .await;

    // With only the RBAC the operator grants it in organization
    // namespaces, the gateway writes events, tiers and venues there, and
    // nothing else: the API server's refusal is a clear FORBIDDEN.
    let rbac: Api<k8s_openapi::api::rbac::v1::RoleBinding> = Api::namespaced(client().await, NS);
    wait_for("the operator to bind the gateway's Role", 30, || async {
        rbac.get_opt("sellout-gateway").await.unwrap().map(|_| ())
    })
    .await;
    let restricted = gateway_as_service_account().await;
    let v = ok(gql(
        &restricted,
        owner,
        CREATE_VENUE,
        json!({"org": NS, "input": venue_input("annex")}),
    )
    .await);
    assert_eq!(v["createVenue"]["capacity"], 1000);
    let v = ok(gql(
        &restricted,
        owner,
        r#"mutation { updateTicketTier(organization: "gw-promo", name: "ga", input: {quantity: 550}) { quantity } }"#,
        json!({}),
    )
    .await);
    assert_eq!(v["updateTicketTier"]["quantity"], 550);
    // Members too: the operator installed the members policy, which lets
    // the gateway change an Organization's spec.members and nothing else,
    // and never SUPER_USER (the API server refuses it even though the
    // OWNER's call reaches it).
    let v = wait_for("the gateway's Role to patch organizations", 30, || async {
        let v = gql(
            &restricted,
            owner,
            r#"mutation { setMember(organization: "gw-promo", email: "new@riverside.test", role: ADMIN) { email role } }"#,
            json!({}),
        )
        .await;
        v["errors"].is_null().then_some(v)
    })
    .await;
    assert_eq!(v["data"]["setMember"]["role"], "ADMIN", "{v}");
    // Platform staff stays the platform's to grant, as the ServiceAccount
    // too.
    let v = gql(
        &restricted,
        owner,
        r#"mutation { setMember(organization: "gw-promo", email: "new@riverside.test", role: SUPER_USER) { email role } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let v = ok(gql(
        &restricted,
        owner,
        r#"mutation { removeMember(organization: "gw-promo", email: "new@riverside.test") }"#,
        json!({}),
    )
    .await);
    assert_eq!(v["removeMember"], true);

    // Cancelled is final.
    let v = ok(gql(
        &base,
        owner,
        r#"mutation { cancelEvent(organization: "gw-promo", name: "show") { state } }"#,
        json!({}),
    )
    .await);
    assert_eq!(v["cancelEvent"]["state"], "CANCELLED");
    let v = gql(
        &base,
        owner,
        r#"mutation { publishEvent(organization: "gw-promo", name: "show") { state } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_organizations_are_kept_apart() {
    const A: &str = "gw-promo-a";
    const B: &str = "gw-promo-b";
    let (owner_a, admin_a, scan_a, owner_b) = (
        "owner@a.test",
        "admin@a.test",
        "door@a.test",
        "owner@b.test",
    );
    organization(
        A,
        &[(owner_a, "OWNER"), (admin_a, "ADMIN"), (scan_a, "SCANNER")],
    )
    .await;
    organization(B, &[(owner_b, "OWNER")]).await;
    let base = gateway(None).await;
    let (t_owner_a, t_admin_a, t_scan_a, t_owner_b) = (
        token(owner_a),
        token(admin_a),
        token(scan_a),
        token(owner_b),
    );
    wait_org(&base, &t_owner_a, A).await;
    wait_org(&base, &t_owner_b, B).await;

    // Organization B's event, made by its owner.
    ok(gql(
        &base,
        Some(&t_owner_b),
        CREATE_VENUE,
        json!({"org": B, "input": venue_input("hall")}),
    )
    .await);
    ok(gql(
        &base,
        Some(&t_owner_b),
        CREATE_EVENT,
        json!({"org": B, "input": event_input("b-show", "hall")}),
    )
    .await);
    let b_events: Api<Event> = Api::namespaced(client().await, B);
    let rv = b_events
        .get("b-show")
        .await
        .unwrap()
        .metadata
        .resource_version;

    let create_in_a = json!({"org": A, "input": event_input("a-show", "hall")});
    // Anonymous: log in first.
    let v = gql(&base, None, CREATE_EVENT, create_in_a.clone()).await;
    assert_eq!(code(&v), "UNAUTHENTICATED", "{v}");
    // A SCANNER cannot create events.
    let v = gql(&base, Some(&t_scan_a), CREATE_EVENT, create_in_a.clone()).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    // An ADMIN can (venues and events) ...
    ok(gql(
        &base,
        Some(&t_admin_a),
        CREATE_VENUE,
        json!({"org": A, "input": venue_input("hall")}),
    )
    .await);
    ok(gql(&base, Some(&t_admin_a), CREATE_EVENT, create_in_a.clone()).await);
    // ... but not change members.
    let set_member = r#"mutation($org: String!, $email: String!, $role: Role!, $force: Boolean) {
        setMember(organization: $org, email: $email, role: $role, force: $force) { email role fieldOwners { field manager } } }"#;
    let v = gql(
        &base,
        Some(&t_admin_a),
        set_member,
        json!({"org": A, "email": "new@a.test", "role": "ADMIN"}),
    )
    .await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");

    // An OWNER of A cannot touch B's events, nor read B.
    for q in [
        r#"mutation { updateEvent(organization: "gw-promo-b", name: "b-show", input: {title: "Mine"}) { title } }"#,
        r#"mutation { cancelEvent(organization: "gw-promo-b", name: "b-show") { state } }"#,
        r#"mutation { createTicketTier(organization: "gw-promo-b", input: {name: "x", event: "b-show", displayName: "X", price: {amountMinor: 1}, quantity: 1}) { name } }"#,
        r#"{ organization(namespace: "gw-promo-b") { name } }"#,
    ] {
        let v = gql(&base, Some(&t_owner_a), q, json!({})).await;
        assert_eq!(code(&v), "FORBIDDEN", "{q}: {v}");
    }
    assert_eq!(
        b_events
            .get("b-show")
            .await
            .unwrap()
            .metadata
            .resource_version,
        rv,
        "B untouched"
    );
    let v = gql(
        &base,
        Some(&t_owner_a),
        r#"{ organization(namespace: "gw-promo-nowhere") { name } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");

    // Members: staff read the organization, ADMIN and up its members.
    let members_q = r#"{ organization(namespace: "gw-promo-a") { viewerRole members { nodes { email role fieldOwners { field manager } } } } }"#;
    let v = gql(
        &base,
        Some(&t_scan_a),
        r#"{ organization(namespace: "gw-promo-a") { viewerRole events { nodes { name } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(ok(v)["organization"]["viewerRole"], "SCANNER");
    let v = gql(&base, Some(&t_scan_a), members_q, json!({})).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");

    // The OWNER adds a member: only that entry of the list is the gateway's.
    let v = ok(gql(
        &base,
        Some(&t_owner_a),
        set_member,
        json!({"org": A, "email": "New@A.test", "role": "ADMIN"}),
    )
    .await);
    assert_eq!(v["setMember"]["email"], "new@a.test");
    assert_eq!(v["setMember"]["role"], "ADMIN");
    assert_eq!(
        v["setMember"]["fieldOwners"][0]["manager"], "sellout-gateway",
        "{v}"
    );
    let orgs: Api<Organization> = Api::namespaced(client().await, A);
    let org = orgs.get("org").await.unwrap();
    assert_eq!(org.spec.members.len(), 4);
    let ours = org
        .metadata
        .managed_fields
        .as_ref()
        .unwrap()
        .iter()
        .find(|m| m.manager.as_deref() == Some("sellout-gateway"))
        .unwrap();
    let fields = serde_json::to_value(&ours.fields_v1).unwrap();
    let entries: Vec<&String> = fields["f:spec"]["f:members"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(entries, [r#"k:{"email":"new@a.test"}"#], "{fields}");

    // Backstage sees which members GitOps manages.
    let v = wait_for("the catalog to show the new member", 30, || async {
        let v = ok(gql(&base, Some(&t_owner_a), members_q, json!({})).await);
        (v["organization"]["members"]["nodes"].as_array()?.len() == 4).then_some(v)
    })
    .await;
    for m in v["organization"]["members"]["nodes"].as_array().unwrap() {
        let want = if m["email"] == "new@a.test" {
            "sellout-gateway"
        } else {
            "gitops"
        };
        assert_eq!(m["fieldOwners"][0]["manager"], want, "{m}");
    }

    // SUPER_USER is the platform's to grant.
    let v = gql(
        &base,
        Some(&t_owner_a),
        set_member,
        json!({"org": A, "email": "boss@a.test", "role": "SUPER_USER"}),
    )
    .await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    // A member GitOps manages: conflict naming the field and GitOps.
    let v = gql(
        &base,
        Some(&t_owner_a),
        set_member,
        json!({"org": A, "email": admin_a, "role": "OWNER"}),
    )
    .await;
    assert_eq!(code(&v), "CONFLICT", "{v}");
    assert_eq!(
        v["errors"][0]["extensions"]["conflicts"],
        json!([{"field": ".spec.members[email=\"admin@a.test\"].role", "manager": "gitops"}])
    );
    let remove = r#"mutation($org: String!, $email: String!) { removeMember(organization: $org, email: $email) }"#;
    let v = gql(
        &base,
        Some(&t_owner_a),
        remove,
        json!({"org": A, "email": admin_a}),
    )
    .await;
    assert_eq!(code(&v), "CONFLICT", "{v}");
    // The last OWNER stays.
    let v = gql(
        &base,
        Some(&t_owner_a),
        set_member,
        json!({"org": A, "email": owner_a, "role": "ADMIN", "force": true}),
    )
    .await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    assert!(message(&v).contains("last OWNER"), "{v}");
    let v = gql(
        &base,
        Some(&t_owner_a),
        remove,
        json!({"org": A, "email": "ghost@a.test"}),
    )
    .await;
    assert_eq!(code(&v), "NOT_FOUND", "{v}");
    let org_rv = orgs.get("org").await.unwrap().metadata.resource_version;
    assert_eq!(org_rv, org.metadata.resource_version, "nothing written");
    // The member the gateway added goes again.
    let v = ok(gql(
        &base,
        Some(&t_owner_a),
        remove,
        json!({"org": A, "email": "new@a.test"}),
    )
    .await);
    assert_eq!(v["removeMember"], true);
    let org = orgs.get("org").await.unwrap();
    assert_eq!(org.spec.members.len(), 3);
    assert!(!org.spec.members.iter().any(|m| m.email == "new@a.test"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_page_without_duplicates_while_new_ones_arrive() {
    const NS: &str = "gw-promo-page";
    const OWNER: &str = "owner@page.test";
    organization(NS, &[(OWNER, "OWNER")]).await;
    let base = gateway(None).await;
    let owner = token(OWNER);
    wait_org(&base, &owner, NS).await;
    let events: Api<Event> = Api::namespaced(client().await, NS);
    let make = |name: String| {
        let events = events.clone();
        async move {
            let e: Event = serde_json::from_value(json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
                "metadata": {"name": name, "namespace": NS},
                "spec": {"title": name, "venueRef": {"name": "hall"}, "currency": "GBP",
                         "onSaleAt": "2027-01-01T10:00:00Z",
                         "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}]}
            }))
            .unwrap();
            events.create(&PostParams::default(), &e).await.unwrap();
        }
    };
    let initial: Vec<String> = (0..23).map(|i| format!("e-{i:02}")).collect();
    for name in &initial {
        make(name.clone()).await;
    }
    let page_q = r#"query($after: String) { organization(namespace: "gw-promo-page") {
        events(first: 5, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { name createdAt } } } } }"#;
    wait_for("the catalog to hold the events", 30, || async {
        let v = gql(&base, Some(&owner), r#"{ organization(namespace: "gw-promo-page") { events(first: 100) { nodes { name } } } }"#, json!({})).await;
        (v["data"]["organization"]["events"]["nodes"].as_array()?.len() >= initial.len()).then_some(())
    })
    .await;

    let mut seen: Vec<String> = Vec::new();
    let mut order: Vec<(String, String)> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let v = ok(gql(&base, Some(&owner), page_q, json!({"after": after})).await);
        let conn = &v["organization"]["events"];
        let edges = conn["edges"].as_array().unwrap();
        assert!(edges.len() <= 5);
        for e in edges {
            let name = e["node"]["name"].as_str().unwrap().to_owned();
            let created = e["node"]["createdAt"].as_str().unwrap().to_owned();
            order.push((created, name.clone()));
            seen.push(name);
        }
        pages += 1;
        // New events arrive between pages, with names that sort before
        // the ones already seen (so an offset or a name would not do as
        // the cursor).
        make(format!("a-late-{pages:02}a")).await;
        make(format!("a-late-{pages:02}b")).await;
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert!(pages < 50, "the walk does not end: {seen:?}");
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "duplicates in {seen:?}");
    for name in &initial {
        assert!(seen.contains(name), "{name} missing from {seen:?}");
    }
    // Oldest first (creation times have whole seconds; names order the
    // events of one second, so one created meanwhile may sort before the
    // cursor and is then not part of this walk).
    assert!(order.is_sorted(), "{order:?}");

    // Backwards, and bad arguments.
    let v = ok(gql(&base, Some(&owner), r#"{ organization(namespace: "gw-promo-page") { events(last: 2) { pageInfo { hasPreviousPage } nodes { name } } } }"#, json!({})).await);
    assert_eq!(
        v["organization"]["events"]["pageInfo"]["hasPreviousPage"],
        true
    );
    assert_eq!(
        v["organization"]["events"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    for q in [
        r#"{ organization(namespace: "gw-promo-page") { events(first: 1000) { nodes { name } } } }"#,
        r#"{ organization(namespace: "gw-promo-page") { events(after: "not-a-cursor") { nodes { name } } } }"#,
    ] {
        let v = gql(&base, Some(&owner), q, json!({})).await;
        assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    }
}

/// Promoters scale their event's workers (what Backstage's event page
/// edits) up to the organization's limit, which platform staff set and
/// the gateway never can; the API server's CEL rules refuse a range that
/// makes no sense, naming it; a part left out stays as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promoters_scale_workers_within_the_organizations_limit() {
    const NS: &str = "gw-promo-scale";
    const OWNER: &str = "owner@scale.test";
    organization(NS, &[(OWNER, "OWNER")]).await;
    let base = gateway(None).await;
    let owner_token = token(OWNER);
    wait_org(&base, &owner_token, NS).await;
    let owner = Some(owner_token.as_str());
    let input = json!({"org": NS, "input": venue_input("hall")});
    ok(gql(&base, owner, CREATE_VENUE, input).await);
    let input = json!({"org": NS, "input": event_input("show", "hall")});
    ok(gql(&base, owner, CREATE_EVENT, input).await);
    let events: Api<Event> = Api::namespaced(client().await, NS);
    let workers_q = r#"query($org: String!) { organization(namespace: $org) { event(name: "show") {
        workers { replicaLimit prewarmLeadSeconds checkout { minReplicas maxReplicas prewarmReplicas } scan { minReplicas maxReplicas } } } } }"#;
    let limit = || async {
        let v = ok(gql(&base, owner, workers_q, json!({"org": NS})).await);
        v["organization"]["event"]["workers"]["replicaLimit"].clone()
    };
    assert_eq!(limit().await, 10, "the default limit");
    let scale = |workers: Value| {
        let base = base.clone();
        async move {
            gql(
                &base,
                owner,
                UPDATE_EVENT,
                json!({"org": NS, "name": "show", "input": {"workers": workers}}),
            )
            .await
        }
    };

    ok(scale(json!({
        "checkout": {"minReplicas": 2, "maxReplicas": 8, "prewarmReplicas": 6},
        "prewarmLeadSeconds": 1800
    }))
    .await);
    let scaled = events.get("show").await.unwrap();
    let w = &scaled.spec.workers;
    assert_eq!(
        (
            w.checkout.min_replicas,
            w.checkout.max_replicas,
            w.checkout.prewarm_replicas
        ),
        (2, 8, Some(6))
    );
    assert_eq!(w.prewarm_lead_seconds, 1800);

    // Above the limit: refused by the gateway, naming the field.
    let v = scale(json!({"checkout": {"minReplicas": 2, "maxReplicas": 50}})).await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    assert!(
        message(&v).starts_with("workers.checkout.maxReplicas may be at most 10"),
        "{v}"
    );
    // A range that makes no sense: the API server's CEL message.
    let v = scale(json!({"scan": {"minReplicas": 5, "maxReplicas": 3}})).await;
    assert_eq!(code(&v), "INVALID", "{v}");
    assert!(
        message(&v).contains("minReplicas must not exceed maxReplicas"),
        "{v}"
    );
    assert_eq!(
        written(&events.get("show").await.unwrap()),
        written(&scaled),
        "nothing written"
    );

    // Platform staff raise the organization's limit; the gateway may not.
    let orgs: Api<Organization> = Api::namespaced(client().await, NS);
    orgs.patch(
        "org",
        &PatchParams::apply("platform"),
        &Patch::Apply(json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
            "metadata": {"name": "org", "namespace": NS},
            "spec": {"workerLimits": {"maxReplicas": 40}},
        })),
    )
    .await
    .unwrap();
    wait_for("the catalog to see the new limit", 30, || async {
        (limit().await == 40).then_some(())
    })
    .await;
    ok(scale(json!({"checkout": {"minReplicas": 4, "maxReplicas": 40}})).await);
    let w = events.get("show").await.unwrap().spec.workers;
    assert_eq!(
        (
            w.checkout.min_replicas,
            w.checkout.max_replicas,
            w.checkout.prewarm_replicas
        ),
        (4, 40, None),
        "prewarmReplicas left out: back to minReplicas"
    );
    assert_eq!(
        w.scan, scaled.spec.workers.scan,
        "the scan workers as they were"
    );
    assert_eq!(w.prewarm_lead_seconds, 1800, "the lead as it was");
}
