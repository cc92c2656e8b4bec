//! The purchase portal (`web/`) served by the gateway: its pages framed
//! only by the organization's `embedOrigins`, and the buyers' flows in
//! Chromium (`web/tests/browser.mjs`) against the real stack: the embed
//! button on a promoter's page, GA tickets and an add-on paid with a
//! test card, seats and a table taken live, a declined card, a hold that
//! runs out, a page framed from a foreign origin.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::response::Html;
use kube::api::{Api, Patch, PatchParams};
use sellout_client::{Secret, WebhookVerifier};
use serde_json::json;

use super::orders::Shop;

/// The portal's build, which `make test` makes (`npm run build`).
fn portal_app() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/dist");
    assert!(
        dist.join("index.html").is_file() && dist.join("embed.js").is_file(),
        "{} has no build (index.html and embed.js): run `npm ci && npm run build` at the repository root (make test does)",
        dist.display()
    );
    dist.canonicalize().unwrap()
}

/// A gateway that takes logins by code, serves the portal and hands
/// Stripe's webhooks to the workers; its base URL.
async fn portal_gateway(webhook_secret: &str) -> String {
    let deps = super::auth::deps_with_logins(|_, _| {}).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let opts = sellout_gateway::http::HttpOptions {
        portal_app: Some(portal_app()),
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

/// The promoter's site: `/host.html` with the embed button, and
/// `/foreign.html` framing the portal directly; its port.
async fn promoter_site(gateway: &str, slug: &str) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let host = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Riverside Presents</title></head>
<body><main><h1>Riverside Presents</h1><p>Summer Nights, live.</p>
<button type="button" data-sellout-event="{slug}">Buy tickets</button></main>
<script src="{gateway}/embed.js" async></script></body></html>"#
    );
    let foreign = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not the promoter</title></head>
<body><main><h1>Someone else's page</h1>
<iframe id="portal" title="tickets" src="{gateway}/portal/{slug}" width="800" height="600"></iframe></main></body></html>"#
    );
    let app = axum::Router::new()
        .route(
            "/host.html",
            axum::routing::get(move || async move { Html(host) }),
        )
        .route(
            "/foreign.html",
            axum::routing::get(move || async move { Html(foreign) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

/// The `Content-Security-Policy` of a portal page.
async fn policy(url: &str) -> String {
    let resp = reqwest::get(url).await.unwrap();
    assert!(resp.status().is_success(), "{url}: {}", resp.status());
    resp.headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_pages_are_framed_by_their_organizations_origins_only() {
    let base = portal_gateway("whsec_portal_headers").await;
    super::organization(
        "gw-portal-csp",
        &[],
        &[
            "https://riverside.example",
            "https://tickets.riverside.example:8443",
        ],
    )
    .await;
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    let page = format!("{base}/portal/gw-portal-csp/show");
    loop {
        let p = policy(&page).await;
        if p.contains("riverside.example") {
            assert_eq!(
                p,
                "frame-ancestors 'self' https://riverside.example https://tickets.riverside.example:8443"
            );
            break;
        }
        assert!(tokio::time::Instant::now() < give_up, "{p}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A deep link of the single-page app is the app too, with its policy.
    let deep = format!("{base}/portal/gw-portal-csp/show/orders/abc");
    let html = reqwest::get(&deep).await.unwrap().text().await.unwrap();
    assert!(html.contains("<div id=\"root\""), "{html}");
    assert!(policy(&deep).await.contains("https://riverside.example"));
    // Another namespace's pages, or none, may be framed by the gateway's
    // own origin alone.
    for other in ["/portal/another-org/show", "/portal/"] {
        assert_eq!(
            policy(&format!("{base}{other}")).await,
            "frame-ancestors 'self'",
            "{other}"
        );
    }
    // The built assets go out compressed and are cached for good; the
    // page is asked again each time.
    let index = reqwest::get(&page).await.unwrap();
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let html = index.text().await.unwrap();
    let script = html
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .filter(|s| s.contains("/assets/"))
        .unwrap_or_else(|| panic!("no built script in {html}"));
    let asset = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap()
        .get(format!("{base}{script}"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.headers()["content-encoding"], "br", "{script}");
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let gone = reqwest::get(format!("{base}/portal/assets/index-gone.js"))
        .await
        .unwrap();
    assert_eq!(gone.status(), 404, "a missing asset is not the page");
    assert_eq!(gone.headers()["cache-control"], "no-cache");
    let js = reqwest::get(format!("{base}/embed.js")).await.unwrap();
    assert!(js.status().is_success());
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
}

/// The portal in Chromium (`web/tests/browser.mjs`), against the real
/// stack; its runner's summary (`N passed, M failed`) is printed and must
/// show no failure. Screenshots of every step go to
/// `target/screenshots/portal/`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_in_chromium() {
    let app = portal_app();
    let shop = Shop::with_venue(
        "gw-portal",
        &[
            (
                "parking",
                json!({"eventRef": {"name": "show"}, "displayName": "Parking",
                       "kind": "AddOn",
                       "price": {"amountMinor": 1000, "currency": "GBP"}, "quantity": 50}),
            ),
            (
                "balcony",
                json!({"eventRef": {"name": "show"}, "displayName": "Balcony",
                       "price": {"amountMinor": 4000, "currency": "GBP"}, "quantity": 6,
                       "section": "balcony", "perOrder": {"min": 1, "max": 4}}),
            ),
            (
                "table",
                json!({"eventRef": {"name": "show"}, "displayName": "Table for 8",
                       "price": {"amountMinor": 40000, "currency": "GBP"}, "quantity": 3,
                       "section": "tables", "table": {"seats": 8},
                       "perOrder": {"min": 1, "max": 2}}),
            ),
        ],
        json!([
            {"name": "balcony", "seated": {"rows": 2, "seatsPerRow": 3}},
            {"name": "tables", "tables": {"count": 3, "seatsPerTable": 8}},
        ]),
    )
    .await;
    let secret = super::orders::WEBHOOK_SECRET;
    let base = portal_gateway(secret).await;
    sellout_e2e::stripe()
        .await
        .register_webhook("gateway-portal", &format!("{base}/webhooks/stripe"), secret)
        .await
        .unwrap();
    let slug = shop.slug();
    let port = promoter_site(&base, &slug).await;
    let host_origin = format!("http://localhost:{port}");

    // The promoter's site may frame the portal; holds last a minute.
    let client = super::kube().await.client().await.unwrap();
    Api::<sellout_crds::Organization>::namespaced(client.clone(), &shop.ns)
        .patch(
            "org",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"embedOrigins": [host_origin]}})),
        )
        .await
        .unwrap();
    Api::<sellout_crds::Event>::namespaced(client, &shop.ns)
        .patch(
            "show",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"holdTtlSeconds": 60}})),
        )
        .await
        .unwrap();
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    while !policy(&format!("{base}/portal/{slug}"))
        .await
        .contains(&host_origin)
    {
        assert!(
            tokio::time::Instant::now() < give_up,
            "the gateway does not see the embed origin within 20 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Another organization's event whose analytics tags the portal may
    // load only after the buyer consents.
    let analytics_ns = "gw-portal-ga";
    super::stage(analytics_ns).await;
    super::organization(analytics_ns, &[], &[]).await;
    Api::<sellout_crds::Organization>::namespaced(
        super::kube().await.client().await.unwrap(),
        analytics_ns,
    )
    .patch(
        "org",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"analytics": {"googleAnalyticsId": "G-SELLOUT123"}}})),
    )
    .await
    .unwrap();

    let run = sellout_e2e::run_dir().join("portal-app");
    std::fs::create_dir_all(&run).unwrap();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots/portal");
    std::fs::create_dir_all(&shots).unwrap();
    let fixture = json!({
        "gatewayOrigin": base,
        "portalUrl": format!("{base}/portal/"),
        "hostUrl": format!("{host_origin}/host.html"),
        "foreignUrl": format!("http://127.0.0.1:{port}/foreign.html"),
        "mailpitUrl": sellout_e2e::mail().await.http_url(),
        "event": slug,
        "gaTier": "ga",
        "addOnTier": "parking",
        "seatedTier": "balcony",
        "tableTier": "table",
        "buyerEmail": format!("ada-{}@example.com", shop.ns),
        "secondBuyerEmail": format!("bob-{}@example.com", shop.ns),
        "cards": {"ok": "4242424242424242", "declined": "4000000000000341"},
        "holdTtlSeconds": 60,
        "analyticsEvent": format!("{analytics_ns}/show"),
        "screenshots": shots.canonicalize().unwrap(),
        "app": app,
    });
    let fixture_path = run.join("fixture.json");
    std::fs::write(&fixture_path, fixture.to_string()).unwrap();
    super::browser::run("web/tests/browser.mjs", &fixture_path, "the portal").await;
}

/// The organization's analytics tags reach the event page (the portal
/// loads them after consent); a tag that is not one is refused by the API
/// server, naming the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_page_names_the_organizations_analytics_tags() {
    let ns = "gw-portal-analytics";
    super::stage(ns).await;
    super::organization(ns, &[], &[]).await;
    let base = super::gateway(None).await;
    let page = "query($s: String!) { event(slug: $s) { analytics { googleAnalyticsId segmentWriteKey } } }";
    let slug = format!("{ns}/show");
    let v = super::orders::ok(&base, None, page, json!({"s": slug})).await;
    assert!(v["event"]["analytics"].is_null(), "{v}");
    let orgs = Api::<sellout_crds::Organization>::namespaced(
        super::kube().await.client().await.unwrap(),
        ns,
    );
    let bad = orgs
        .patch(
            "org",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"analytics": {"googleAnalyticsId": "UA-12345-1"}}})),
        )
        .await
        .unwrap_err();
    assert!(
        bad.to_string().contains("googleAnalyticsId"),
        "the refusal names the field: {bad}"
    );
    orgs.patch(
        "org",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"analytics": {"googleAnalyticsId": "G-SELLOUT123", "segmentWriteKey": "abcDEF0123456789"}}})),
    )
    .await
    .unwrap();
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let v = super::orders::ok(&base, None, page, json!({"s": slug})).await;
        if !v["event"]["analytics"].is_null() {
            assert_eq!(
                v["event"]["analytics"],
                json!({"googleAnalyticsId": "G-SELLOUT123", "segmentWriteKey": "abcDEF0123456789"})
            );
            break;
        }
        assert!(tokio::time::Instant::now() < give_up, "{v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
