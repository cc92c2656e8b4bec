//! The gateway against a real API server and NATS: GraphiQL, the public
//! event page, holds, errors with codes, and Stripe webhooks handed over.

mod orders;
mod promoter;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use kube::api::{Api, PostParams};
use prost::Message;
use sellout_client::webhook::sign;
use sellout_client::{Secret, WebhookVerifier};
use sellout_common::names::Names;
use sellout_common::proto::v1::{OrderReply, StripeWebhook, order_reply};
use sellout_crds::{Event, TicketTier};
use sellout_gateway::auth::Auth;
use sellout_gateway::catalog::Catalog;
use sellout_gateway::http::router;
use sellout_gateway::schema::Deps;
use serde_json::{Value, json};

mod analytics;
mod auth;
mod backstage;
mod batching;
mod browser;
mod exports;
mod live;
mod portal;
mod scanning;
mod seats;

async fn kube() -> &'static sellout_e2e::KubeApi {
    sellout_e2e::kube_with_crds().await
}

/// The signing key of the tests' gateways.
const TEST_KEY: &[u8] = b"sellout-gateway-tests-signing-key-0123456789";

/// The tests' token signer and role rules (the same keys as their
/// gateways).
fn test_auth() -> Auth {
    Auth::new(vec![("test".into(), TEST_KEY.to_vec())], "sellout-system").unwrap()
}

/// What a gateway of the tests is built from.
async fn deps() -> Deps {
    // Spans get OpenTelemetry contexts, as in the binaries, so requests
    // carry them on.
    sellout_common::telemetry::init_for_tests();
    let kube = kube().await.client().await.unwrap();
    let catalog = Catalog::start(kube.clone());
    tokio::time::timeout(Duration::from_secs(30), catalog.ready())
        .await
        .expect("the catalog syncs within 30 s");
    Deps {
        kube,
        catalog,
        // The gateway's own NATS user: the tests run under its permissions.
        nats: sellout_e2e::nats()
            .await
            .client_as(sellout_common::nats_auth::Component::Gateway)
            .await
            .unwrap(),
        mongo: sellout_e2e::mongo()
            .await
            .client()
            .await
            .unwrap()
            .database("sellout"),
        auth: Arc::new(test_auth()),
        live_timeout: Duration::from_millis(300),
        public_url: sellout_gateway::schema::DEFAULT_PUBLIC_URL.into(),
        stripe_js: sellout_gateway::schema::StripeJs {
            publishable_key: Some("pk_test_sellout_gateway_it".into()),
            url: format!("{}/js.stripe.com/v3/", sellout_e2e::stripe().await.url()),
        },
    }
}

/// Serves the gateway on a free port; returns its base URL (also its
/// public URL, the base of the links it hands out).
async fn gateway(webhook: Option<WebhookVerifier>) -> String {
    let mut deps = deps().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    deps.public_url = format!("http://{addr}");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router(deps, webhook).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    format!("http://{addr}")
}

/// An access token for `email`, signed with the tests' gateway key.
fn token(email: &str) -> String {
    test_auth()
        .access_token(&sellout_gateway::auth::Login::Email(email.to_owned()), "it")
        .0
}

/// Organization `org` in namespace `ns` (made unless it exists), with
/// `members` (e-mail, role) and the web origins `embed` may be embedded
/// from.
async fn organization(ns: &str, members: &[(&str, &str)], embed: &[&str]) {
    let client = kube().await.client().await.unwrap();
    let nsapi: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    match nsapi
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": ns}})).unwrap(),
        )
        .await
    {
        Ok(_) => {}
        Err(kube::Error::Api(e)) if e.code == 409 => {}
        Err(e) => panic!("create namespace {ns}: {e}"),
    }
    let members: Vec<Value> = members
        .iter()
        .map(|(e, r)| json!({"email": e, "role": r}))
        .collect();
    Api::<sellout_crds::Organization>::namespaced(client, ns)
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
                "metadata": {"name": "org", "namespace": ns},
                "spec": {"displayName": format!("Org {ns}"), "members": members, "embedOrigins": embed},
            }))
            .unwrap(),
        )
        .await
        .unwrap();
}

/// Namespace `ns` with Event `show` and tiers `ga` (public) and `crew`
/// (hidden); returns the Event's UID.
async fn stage(ns: &str) -> String {
    let client = kube().await.client().await.unwrap();
    let nsapi: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
    nsapi
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": ns}})).unwrap(),
        )
        .await
        .unwrap();
    let event: Event = serde_json::from_value(json!({
        "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
        "metadata": {"name": "show", "namespace": ns},
        "spec": {"title": "Summer Nights", "venueRef": {"name": "hall"}, "currency": "GBP",
                 "state": "Published", "onSaleAt": "2026-01-01T10:00:00Z",
                 "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}]}
    }))
    .unwrap();
    let event = Api::<Event>::namespaced(client.clone(), ns)
        .create(&PostParams::default(), &event)
        .await
        .unwrap();
    for (name, visibility) in [("ga", "Public"), ("crew", "Hidden")] {
        let tier: TicketTier = serde_json::from_value(json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"eventRef": {"name": "show"}, "displayName": name.to_uppercase(),
                     "price": {"amountMinor": 2500, "currency": "GBP"}, "quantity": 100,
                     "visibility": visibility},
        }))
        .unwrap();
        Api::<TicketTier>::namespaced(client.clone(), ns)
            .create(&PostParams::default(), &tier)
            .await
            .unwrap();
    }
    event.metadata.uid.unwrap()
}

async fn query(base: &str, q: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({"query": q}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The value of a counter line of `/metrics` (0 when not there yet).
async fn metric(base: &str, series: &str) -> u64 {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0, |v| v.trim().parse().unwrap())
}

fn code(v: &Value) -> &str {
    v["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_and_the_public_event_page() {
    let base = gateway(None).await;
    let page = reqwest::get(format!("{base}/graphql"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.to_lowercase().contains("graphiql"), "{page}");
    let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
    assert!(ready.status().is_success());

    stage("gw-page").await;
    let v = query(
        &base,
        r#"{ event(slug: "gw-page/show") { title currency state tiers { name displayName priceMinor available } } }"#,
    )
    .await;
    assert!(v["errors"].is_null(), "{v}");
    let e = &v["data"]["event"];
    assert_eq!(e["title"], "Summer Nights");
    assert_eq!(e["state"], "Published");
    let tiers = e["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 1, "the hidden tier is not listed: {tiers:?}");
    assert_eq!(tiers[0]["name"], "ga");
    assert_eq!(tiers[0]["priceMinor"], 2500);
    // No checkout worker runs here: live figures are left out, not faked.
    assert!(tiers[0]["available"].is_null());

    let v = query(&base, r#"{ event(slug: "gw-page/nope") { title } }"#).await;
    assert!(v["data"]["event"].is_null(), "{v}");
    let v = query(&base, r#"{ event(slug: "no-slash") { title } }"#).await;
    assert_eq!(code(&v), "BAD_SLUG", "{v}");
    // Holding without a checkout (or a login): refused, nothing held.
    let v = query(
        &base,
        r#"mutation { hold(event: "gw-page/nope", tier: "ga", quantity: 1) { id } }"#,
    )
    .await;
    assert_eq!(code(&v), "CHECKOUT_REQUIRED", "{v}");
    // Holding at an event that does not exist: a clear error.
    let v = query(
        &base,
        &format!(
            r#"mutation {{ hold(event: "gw-page/nope", tier: "ga", quantity: 1, checkout: "{}") {{ id }} }}"#,
            orders::start_checkout(&base).await
        ),
    )
    .await;
    assert_eq!(code(&v), "UNKNOWN_EVENT", "{v}");
    // A quote needs the event's checkout workers: none here.
    let v = query(
        &base,
        r#"{ quote(event: "gw-page/show", lines: [{tier: "ga", quantity: 2}]) { totalMinor } }"#,
    )
    .await;
    assert_eq!(code(&v), "UNAVAILABLE", "{v}");
    let v = query(
        &base,
        r#"{ quote(event: "gw-page/nope", lines: [{tier: "ga", quantity: 2}]) { totalMinor } }"#,
    )
    .await;
    assert_eq!(code(&v), "UNKNOWN_EVENT", "{v}");
    // Unknown fields are refused by validation.
    let v = query(&base, r#"{ event(slug: "gw-page/show") { password } }"#).await;
    assert_eq!(code(&v), "GRAPHQL_VALIDATION_FAILED", "{v}");
}

/// Requests refused before any resolver runs, each with its code, and
/// nothing done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_oversized_and_abusive_queries_get_codes() {
    let base = gateway(None).await;
    let cases: &[(&str, String)] = &[
        ("GRAPHQL_PARSE_FAILED", "{ event(slug: ".into()),
        ("GRAPHQL_PARSE_FAILED", "mutation { ".into()),
        ("GRAPHQL_VALIDATION_FAILED", "{ nope }".into()),
        // A variable left out.
        (
            "BAD_REQUEST",
            r#"query Q($s: String!) { event(slug: $s) { title } }"#.into(),
        ),
        (
            "GRAPHQL_VALIDATION_FAILED",
            r#"{ event(slug: 42) { title } }"#.into(),
        ),
        // Introspection nested past the depth limit.
        (
            "QUERY_TOO_DEEP",
            format!(
                "{{ __schema {{ types {{ fields {{ type {{ {} name {} }} }} }} }} }}",
                "ofType { ".repeat(12),
                "} ".repeat(12)
            ),
        ),
        // Many aliases of one field: refused before it is even weighed.
        (
            "TOO_MANY_ALIASES",
            format!(
                "{{ {} }}",
                (0..600)
                    .map(|i| format!("e{i}: event(slug: \"a/b\") {{ title }}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
        // One field written 600 times (merged, but weighed each time):
        // too complex.
        (
            "QUERY_TOO_COMPLEX",
            format!(
                "{{ {} }}",
                (0..600)
                    .map(|_| "event(slug: \"a/b\") { title }")
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
    ];
    for (want, q) in cases {
        let v = query(&base, q).await;
        assert_eq!(code(&v), *want, "{q}: {v}");
        assert!(v["data"].is_null(), "nothing ran for {q}: {v}");
        let message = v["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "a message for {q}: {v}");
    }
    // A body over 256 KiB: 413 with a GraphQL error, nothing parsed.
    let big = format!(
        "{{ event(slug: \"{}\") {{ title }} }}",
        "x".repeat(300 * 1024)
    );
    let resp = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": big }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(code(&v), "REQUEST_TOO_LARGE", "{v}");
    // Bodies that are not a GraphQL request: 400 with a GraphQL error
    // that says what to send.
    for (content_type, body) in [
        ("application/json", "{not json"),
        ("text/plain", "query { __typename }"),
        ("application/json", "[{\"query\": \"{ __typename }\"}]"),
    ] {
        let resp = reqwest::Client::new()
            .post(format!("{base}/graphql"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(code(&v), "BAD_REQUEST", "{body}: {v}");
        let message = v["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("send") && !message.contains("InvalidRequest("),
            "{body}: {message}"
        );
    }
    // A missing variable is named.
    let v = query(&base, "query Q($s: String!) { event(slug: $s) { title } }").await;
    let message = v["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("$s") || message.contains("\"s\""), "{v}");
    // The gateway still answers.
    let v = query(&base, "{ __typename }").await;
    assert_eq!(v["data"]["__typename"], "Query", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stripe_webhooks_are_handed_to_the_events_checkout_workers() {
    let secret = "whsec_gateway_it";
    let base = gateway(Some(WebhookVerifier::new(Secret::new(secret)))).await;
    let uid = "3f1c2a4e-0000-4000-8000-00000000beef";
    let subject = Names::for_uid(uid).subject("rpc.order.webhook");
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let mut sub = nats.subscribe(subject).await.unwrap();
    nats.flush().await.unwrap();
    // A stand-in for the event's checkout workers.
    let responder = nats.clone();
    let seen = tokio::spawn(async move {
        let m = sub.next().await.unwrap();
        let hook = StripeWebhook::decode(m.payload.as_ref()).unwrap();
        let reply = OrderReply {
            result: Some(order_reply::Result::Webhook("order o-1 Completed".into())),
        };
        responder
            .publish(m.reply.unwrap(), reply.encode_to_vec().into())
            .await
            .unwrap();
        responder.flush().await.unwrap();
        hook
    });
    let now = jiff::Timestamp::now().as_second();
    let body = json!({"id": "evt_1", "type": "payment_intent.succeeded", "created": now,
        "data": {"object": {"id": "pi_1", "object": "payment_intent",
                            "metadata": {"order_id": "o-1", "event_uid": uid}}}})
    .to_string();
    let post = |body: String, sig: String| {
        let base = base.clone();
        async move {
            reqwest::Client::new()
                .post(format!("{base}/webhooks/stripe"))
                .header("Stripe-Signature", sig)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    // A bad signature is refused here and never forwarded.
    let r = post(body.clone(), sign(body.as_bytes(), "whsec_wrong", now)).await;
    assert_eq!(r.status(), 400);
    let good = sign(body.as_bytes(), secret, now);
    let r = post(body.clone(), good.clone()).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let hook = seen.await.unwrap();
    assert_eq!(hook.payload, body.as_bytes(), "forwarded as received");
    assert_eq!(hook.signature, good);

    // Nobody serving that event: Stripe is told to retry.
    let other = body.replace(uid, "00000000-0000-4000-8000-000000000000");
    let r = post(other.clone(), sign(other.as_bytes(), secret, now)).await;
    assert_eq!(r.status(), 503);
    // Not about a Sellout order: acknowledged and ignored.
    let plain = json!({"id": "evt_2", "type": "charge.succeeded", "created": now, "data": {"object": {"id": "ch_1", "object": "charge"}}})
        .to_string();
    let r = post(plain.clone(), sign(plain.as_bytes(), secret, now)).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
}
