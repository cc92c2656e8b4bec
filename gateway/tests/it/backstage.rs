//! Backstage (`web/dist-backstage`), the promoters' back office, served
//! by the gateway: never framed, and the promoter's flows in Chromium
//! (`web/tests/backstage.mjs`) against the real stack: an operator whose
//! Local runtime runs each event's workers, so an event made in Backstage
//! becomes Ready and sells through the portal.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kube::api::{Api, PostParams};
use sellout_client::{Secret, WebhookVerifier};
use sellout_operator::Context as OperatorContext;
use sellout_operator::context::WorkerRuntime;
use sellout_operator::event::build::WorkerTemplate;
use sellout_operator::event::data::DataPlane;
use sellout_operator::event::local::LocalRuntime;
use serde_json::{Value, json};

/// Backstage's build, which `make test` makes (`npm run build`).
fn backstage_app() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/dist-backstage");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no build: run `npm ci && npm run build` at the repository root (make test does)",
        dist.display()
    );
    dist.canonicalize().unwrap()
}

/// The host Backstage is served on in these tests: browsers resolve every
/// `*.localhost` name to the loopback address, so it is an origin apart
/// from the portal's `127.0.0.1` on the same port.
const BACKSTAGE_HOST: &str = "backstage.localhost";

/// An HTTP client that finds [`BACKSTAGE_HOST`] at `base`'s address.
fn client_for(base: &str) -> reqwest::Client {
    let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    reqwest::Client::builder()
        .resolve(BACKSTAGE_HOST, addr)
        .build()
        .unwrap()
}

/// Backstage's address at the gateway `base`.
fn backstage_base(base: &str) -> String {
    let port = base.rsplit(':').next().unwrap();
    format!("http://{BACKSTAGE_HOST}:{port}")
}

/// A gateway serving Backstage (on [`BACKSTAGE_HOST`]) and the portal,
/// taking logins by code and handing Stripe's webhooks to the workers;
/// its base URL.
async fn backstage_gateway(webhook_secret: &str) -> String {
    let deps = super::auth::deps_with_logins(|_, _| {}).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let portal = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/dist");
    let opts = sellout_gateway::http::HttpOptions {
        backstage_app: Some(backstage_app()),
        backstage_host: Some(BACKSTAGE_HOST.into()),
        portal_app: portal.join("index.html").is_file().then_some(portal),
        ..Default::default()
    };
    let webhook = WebhookVerifier::new(Secret::new(webhook_secret));
    tokio::spawn(async move {
        axum::serve(
            listener,
            sellout_gateway::http::router_with(deps, Some(webhook), opts)
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn backstage_is_served_and_never_framed() {
    let gateway = backstage_gateway("whsec_unused").await;
    let http = client_for(&gateway);
    let base = backstage_base(&gateway);
    for path in ["/backstage/", "/backstage/some-org/events/show"] {
        let resp = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let h = resp.headers();
        assert_eq!(
            h["content-security-policy"], "frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["cache-control"], "no-cache", "{path}");
        let body = resp.text().await.unwrap();
        assert!(body.contains("Sellout Backstage"), "{path}: {body}");
    }
    // A built asset: cached for good.
    let html = http
        .get(format!("{base}/backstage/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let asset = html
        .split('"')
        .find(|s| s.starts_with("/backstage/assets/") && s.ends_with(".js"))
        .unwrap_or_else(|| panic!("no script in {html}"))
        .to_owned();
    let resp = http.get(format!("{base}{asset}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // An asset of another build is not there: 404, asked again next time
    // (never the page, kept for a year as a script).
    let resp = http
        .get(format!("{base}/backstage/assets/index-gone.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(resp.headers()["cache-control"], "no-cache");

    // An origin of its own: Backstage is not served at the portal's
    // address, the portal not at Backstage's; the API at both.
    let resp = http
        .get(format!("{gateway}/backstage/"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.unwrap().contains(BACKSTAGE_HOST));
    // Nor GraphiQL, whose page loads scripts from a CDN.
    for path in [
        "/graphql",
        "/graphiql/graphiql.min.js",
        "/feeds/x/events.json",
    ] {
        let resp = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path} on Backstage's host");
    }
    let resp = http
        .get(format!("{gateway}/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "GraphiQL on the public address");
    for path in ["/portal/", "/portal/org/show", "/embed.js"] {
        let resp = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path} on Backstage's host");
        let resp = http.get(format!("{gateway}{path}")).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path} on the portal's host");
    }
    for at in [&base, &gateway] {
        let resp = http
            .post(format!("{at}/graphql"))
            .json(&json!({"query": "{ portalConfig { publicUrl } }"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{at}");
        let v: Value = resp.json().await.unwrap();
        assert!(v["data"]["portalConfig"]["publicUrl"].is_string(), "{v}");
    }
}

/// Starts an operator for namespace `ns` whose Local runtime runs each
/// event's checkout and scan workers as processes (as `make dev` does),
/// taking payments at localstripe, signing tickets with keys under
/// `dir`, mailing through the mail sink; each event's workers get a NATS
/// user of their own.
fn local_operator(ns: &'static str, dir: PathBuf, webhook_secret: &'static str) {
    let (tx, rx) = std::sync::mpsc::channel::<Arc<OperatorContext>>();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let kube = sellout_e2e::kube_with_crds().await;
            let nats = sellout_e2e::nats().await;
            let mail = sellout_e2e::mail().await;
            std::fs::create_dir_all(&dir).unwrap();
            let keys = sellout_e2e::worker::ticket_keys(&dir.join("ticket-keys")).unwrap();
            let stripe_key = dir.join("stripe-key");
            std::fs::write(&stripe_key, sellout_e2e::stripe::SECRET_KEY).unwrap();
            let webhook = dir.join("webhook-secret");
            std::fs::write(&webhook, webhook_secret).unwrap();
            let path = |p: &Path| p.to_string_lossy().into_owned();
            let env: Vec<(String, String)> = [
                ("SELLOUT_NATS_URL", nats.url().to_owned()),
                (
                    "SELLOUT_MONGO_URI",
                    sellout_e2e::mongo().await.uri().to_owned(),
                ),
                ("SELLOUT_MONGO_DATABASE", "sellout".to_owned()),
                ("KUBECONFIG", path(kube.kubeconfig())),
                ("SELLOUT_TICKET_KEYS_DIR", path(&keys)),
                ("SELLOUT_STRIPE_SECRET_KEY_FILE", path(&stripe_key)),
                ("SELLOUT_STRIPE_WEBHOOK_SECRET_FILE", path(&webhook)),
                (
                    "SELLOUT_STRIPE_API_BASE",
                    format!("{}/", sellout_e2e::stripe().await.url()),
                ),
                ("SELLOUT_SMTP_HOST", mail.smtp_host().to_owned()),
                ("SELLOUT_SMTP_PORT", mail.smtp_port().to_string()),
                ("SELLOUT_SMTP_TLS", "none".to_owned()),
                (
                    "SELLOUT_MAIL_FROM",
                    "Sellout Tests <tickets@sellout.example>".to_owned(),
                ),
                ("RUST_LOG", "info".to_owned()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            let local = Arc::new(LocalRuntime::new(
                sellout_e2e::worker::worker_bin(),
                env,
                dir.join("workers"),
            ));
            let (account, signer) = nats.worker_issuer();
            let issuer =
                sellout_common::nats_auth::WorkerIssuer::from_file(&account, signer).unwrap();
            let data = DataPlane {
                db: sellout_e2e::mongo()
                    .await
                    .client()
                    .await
                    .unwrap()
                    .database("sellout"),
                js: nats
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
            let mut ctx = OperatorContext::new(kube.client().await.unwrap(), template, Some(data));
            ctx.namespace = Some(ns.into());
            ctx.runtime = WorkerRuntime::Local(local);
            ctx.worker_nats = Some(issuer);
            let ctx = Arc::new(ctx);
            tx.send(ctx.clone()).unwrap();
            sellout_operator::run_controllers(ctx).await;
        });
    });
    rx.recv().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backstage_in_chromium() {
    const NS: &str = "gw-backstage";
    let app = backstage_app();
    let secret = super::orders::WEBHOOK_SECRET;
    let client = super::kube().await.client().await.unwrap();
    let owner = format!("owner-{NS}@example.com");
    let scanner = format!("door-{NS}@example.com");
    super::organization(NS, &[(&owner, "OWNER"), (&scanner, "SCANNER")], &[]).await;
    // Paid events: the organization's Stripe connected account.
    Api::<k8s_openapi::api::core::v1::Secret>::namespaced(client.clone(), NS)
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({
                "metadata": {"name": "stripe"},
                "stringData": {"account": "acct_1SelloutBackstage"},
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    Api::<sellout_crds::Organization>::namespaced(client.clone(), NS)
        .patch(
            "org",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(
                json!({"spec": {"stripeAccount": {"name": "stripe", "key": "account"}}}),
            ),
        )
        .await
        .unwrap();
    let run = sellout_e2e::run_dir().join("backstage-app");
    local_operator(NS, run.join("operator"), secret);
    let base = backstage_gateway(secret).await;
    sellout_e2e::stripe()
        .await
        .register_webhook(
            "gateway-backstage",
            &format!("{base}/webhooks/stripe"),
            secret,
        )
        .await
        .unwrap();

    let kube = super::kube().await;
    let kubectl = kube.kubectl().unwrap();
    let mut kubectl_cmd = vec![kubectl.get_program().to_string_lossy().into_owned()];
    kubectl_cmd.extend(kubectl.get_args().map(|a| a.to_string_lossy().into_owned()));
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots/backstage");
    // This run's screenshots only.
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::create_dir_all(&run).unwrap();
    let fixture = json!({
        "gatewayOrigin": base,
        "backstageUrl": format!("{}/backstage/", backstage_base(&base)),
        "portalUrl": format!("{base}/portal/"),
        "mailpitUrl": sellout_e2e::mail().await.http_url(),
        "namespace": NS,
        "ownerEmail": owner,
        "scannerEmail": scanner,
        "buyerEmail": format!("buyer-{NS}@example.com"),
        "cards": {"ok": "4242424242424242"},
        "kubectl": kubectl_cmd,
        "screenshots": shots.canonicalize().unwrap(),
        "app": app,
    });
    let fixture_path = run.join("fixture.json");
    std::fs::write(&fixture_path, fixture.to_string()).unwrap();
    super::browser::run("web/tests/backstage.mjs", &fixture_path, "Backstage").await;
}

/// The marketing-site feed: an organization's published events with the
/// portal's address and the embed markup; drafts, cancelled events and
/// hidden tiers' prices are left out, and an unknown namespace is a 404
/// that says what the address should be.
#[tokio::test]
async fn the_publish_feed_lists_published_events_with_their_embed_markup() {
    const NS: &str = "gw-feed";
    super::stage(NS).await;
    super::organization(NS, &[], &[]).await;
    let client = super::kube().await.client().await.unwrap();
    let tiers = Api::<sellout_crds::TicketTier>::namespaced(client.clone(), NS);
    tiers
        .patch(
            "crew",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(
                json!({"spec": {"price": {"amountMinor": 100, "currency": "GBP"}}}),
            ),
        )
        .await
        .unwrap();
    let events = Api::<sellout_crds::Event>::namespaced(client, NS);
    for (name, state) in [("draft", "Draft"), ("gone", "Cancelled")] {
        events
            .create(
                &PostParams::default(),
                &serde_json::from_value(json!({
                    "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
                    "metadata": {"name": name, "namespace": NS},
                    "spec": {"title": name, "venueRef": {"name": "hall"}, "currency": "GBP",
                             "state": state, "onSaleAt": "2026-01-01T10:00:00Z",
                             "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}]}
                }))
                .unwrap(),
            )
            .await
            .unwrap();
    }
    let base = super::gateway(None).await;
    let http = reqwest::Client::new();
    let url = format!("{base}/feeds/{NS}/events.json");
    let give_up = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    let feed = loop {
        let resp = http.get(&url).send().await.unwrap();
        if resp.status() == 200 {
            assert_eq!(resp.headers()["access-control-allow-origin"], "*");
            assert_eq!(resp.headers()["cache-control"], "public, max-age=60");
            let feed: serde_json::Value = resp.json().await.unwrap();
            if feed["events"].as_array().is_some_and(|e| !e.is_empty()) {
                break feed;
            }
        }
        assert!(tokio::time::Instant::now() < give_up, "no feed within 20 s");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(feed["organization"], NS);
    let events = feed["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "only the published event: {feed}");
    let show = &events[0];
    assert_eq!(show["slug"], format!("{NS}/show"));
    assert_eq!(show["title"], "Summer Nights");
    assert_eq!(
        show["fromPriceMinor"], 2500,
        "the hidden tier's price is not shown"
    );
    assert_eq!(show["days"][0]["startsAt"], "2027-05-01T19:00:00Z");
    assert!(
        show["portalUrl"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/portal/{NS}/show")),
        "{show}"
    );
    assert_eq!(
        show["embedButton"],
        format!(r#"<button type="button" data-sellout-event="{NS}/show">Buy tickets</button>"#)
    );
    assert!(
        show["embedScript"]
            .as_str()
            .unwrap()
            .ends_with(r#"/embed.js" async></script>"#)
    );

    let resp = http
        .get(format!("{base}/feeds/no-such-org/events.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("/feeds/<organization namespace>/events.json")
    );
}
