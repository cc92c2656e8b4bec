//! Live data and the HTTP edges against a real API server, NATS, FerretDB
//! and a real `sellout-worker` checkout process: availability over
//! graphql-ws and the event page read from the live cache, order status
//! and check-in subscriptions with their permissions, CORS, request ids
//! carried into NATS, `/metrics`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use kube::api::Api;
use prost::Message as _;
use sellout_client::CheckoutClient;
use sellout_common::names::{Names, stream_config};
use sellout_common::process::Process;
use sellout_common::proto::v1::{
    Buyer, CancelOrderRequest, CheckedIn, CreateOrderRequest, OrderHold, OrderReply, order_reply,
};
use sellout_gateway::http::{HttpOptions, router_with};
use sellout_gateway::live::LiveConfig;
use serde_json::{Value, json};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::{code, deps, kube, organization, stage, token};

/// The database the tests' gateways read orders from (see `deps()`).
const DB: &str = "sellout";

/// The event page query the tests send again and again (the page cache
/// keeps its answer).
const PAGE: &str = r#"{ event(slug: "gw-live/show") { tiers { name displayName available } } }"#;

/// Serves a gateway with `opts` on a free port; returns its base URL.
async fn serve(opts: HttpOptions) -> String {
    let deps = deps().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router_with(deps, None, opts)).await });
    format!("http://{addr}")
}

/// The event's stream (the operator's part) and a checkout worker for it,
/// answering; `env` on top of the defaults.
async fn worker(uid: &str, ns: &str, env: &[(&str, &str)]) -> (Names, Process) {
    let names = Names::for_uid(uid);
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    js.get_or_create_stream(stream_config(&names))
        .await
        .unwrap();
    let p = sellout_e2e::worker::checkout_worker(ns, "show", "w1", DB, env)
        .await
        .unwrap();
    let client = CheckoutClient::new(
        sellout_e2e::nats().await.client().await.unwrap(),
        names.clone(),
    );
    let give_up = Instant::now() + Duration::from_secs(60);
    loop {
        if client.availability().await.is_ok_and(|t| !t.is_empty()) {
            return (names, p);
        }
        assert!(
            Instant::now() < give_up,
            "worker not ready:\n{}",
            p.tail(40)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// POST /graphql with extra headers; the JSON answer and the response
/// headers.
async fn post(
    base: &str,
    q: &str,
    headers: &[(&str, &str)],
) -> (Value, reqwest::header::HeaderMap) {
    let mut req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({"query": q}));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    let h = resp.headers().clone();
    (resp.json().await.unwrap(), h)
}

/// A graphql-transport-ws client.
pub(crate) struct Ws {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Ws {
    /// Connects to `base`'s `path` and initialises with `payload`.
    pub(crate) async fn connect(base: &str, path: &str, payload: Value) -> Self {
        Self::connect_with(base, path, payload, &[]).await
    }

    /// [`connect`](Self::connect) with more headers on the upgrade.
    pub(crate) async fn connect_with(
        base: &str,
        path: &str,
        payload: Value,
        headers: &[(&'static str, &str)],
    ) -> Self {
        let url = format!("{}{path}", base.replacen("http://", "ws://", 1));
        let mut req = url.into_client_request().unwrap();
        req.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        for (k, v) in headers {
            req.headers_mut().insert(*k, v.parse().unwrap());
        }
        let (socket, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
        assert!(resp.headers().contains_key("x-request-id"), "{resp:?}");
        let mut ws = Ws { socket };
        ws.send(json!({"type": "connection_init", "payload": payload}))
            .await;
        let ack = ws.recv(Duration::from_secs(5)).await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        ws
    }

    async fn send(&mut self, v: Value) {
        self.socket
            .send(Message::Text(v.to_string().into()))
            .await
            .unwrap();
    }

    /// The next protocol message (pings answered), or panics after
    /// `within`.
    pub(crate) async fn recv(&mut self, within: Duration) -> Value {
        let give_up = tokio::time::Instant::now() + within;
        loop {
            let m = tokio::time::timeout_at(give_up, self.socket.next())
                .await
                .unwrap_or_else(|_| panic!("nothing on the websocket within {within:?}"))
                .expect("websocket open")
                .unwrap();
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "ping" {
                self.send(json!({"type": "pong"})).await;
                continue;
            }
            return v;
        }
    }

    pub(crate) async fn subscribe(&mut self, id: &str, query: &str) {
        self.send(json!({"id": id, "type": "subscribe", "payload": {"query": query}}))
            .await;
    }

    /// The next `next` payload's data of subscription `id`.
    pub(crate) async fn next_data(&mut self, within: Duration) -> Value {
        let m = self.recv(within).await;
        assert_eq!(m["type"], "next", "{m}");
        assert!(m["payload"]["errors"].is_null(), "{m}");
        m["payload"]["data"].clone()
    }
}

/// The code of a subscription's refusal: resolver errors come as a
/// `next` with errors and no data, validation errors as an `error`.
fn error_code(m: &Value) -> &str {
    let errors = match m["type"].as_str() {
        Some("next") => {
            assert!(m["payload"]["data"].is_null(), "{m}");
            &m["payload"]["errors"]
        }
        _ => &m["payload"],
    };
    errors[0]["extensions"]["code"].as_str().unwrap_or_default()
}

fn ga(data: &Value) -> Value {
    let tiers = data["availability"]["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 1, "only the public tier: {tiers:?}");
    assert_eq!(tiers[0]["name"], "ga");
    tiers[0]["available"].clone()
}

/// Counts messages on `subject` and keeps their headers.
async fn spy(subject: String) -> (Arc<AtomicUsize>, Arc<Mutex<Vec<async_nats::HeaderMap>>>) {
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let mut sub = nats.subscribe(subject).await.unwrap();
    nats.flush().await.unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let headers = Arc::new(Mutex::new(Vec::new()));
    let (c, h) = (count.clone(), headers.clone());
    tokio::spawn(async move {
        let _keep = nats;
        while let Some(m) = sub.next().await {
            c.fetch_add(1, Ordering::SeqCst);
            h.lock().await.push(m.headers.unwrap_or_default());
        }
    });
    (count, headers)
}

/// The value of the metric line starting with `prefix`.
async fn metric(base: &str, prefix: &str) -> Option<f64> {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn availability_is_live_over_graphql_ws_and_the_event_page_reads_memory() {
    let ns = "gw-live";
    let uid = stage(ns).await;
    let (names, w) = worker(&uid, ns, &[("RUST_LOG", "info,sellout_workers=debug")]).await;
    let stale_after = Duration::from_secs(4);
    let base = serve(HttpOptions {
        live: LiveConfig {
            stale_after,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    // Every availability request the gateway sends the workers, and the
    // headers of every hold request they receive.
    let (asked, _) = spy(names.subject("rpc.availability")).await;
    let (_, hold_headers) = spy(names.subject("rpc.hold")).await;

    // Anonymous subscribers get the public tiers' figures at once.
    let mut ws = Ws::connect(&base, "/graphql/ws", json!({})).await;
    ws.subscribe(
        "a",
        r#"subscription { availability(event: "gw-live/show") { event tiers { name available } } }"#,
    )
    .await;
    let first = ws.next_data(Duration::from_secs(5)).await;
    assert_eq!(first["availability"]["event"], "gw-live/show");
    assert_eq!(ga(&first), 100);

    // A hold: the new figure arrives within a second.
    let started = Instant::now();
    let (v, h) = post(
        &base,
        &format!(
            r#"mutation {{ hold(event: "gw-live/show", tier: "ga", quantity: 3, checkout: "{}") {{ id quantity }} }}"#,
            super::orders::start_checkout(&base).await
        ),
        &[("x-request-id", "it-live-hold-1")],
    )
    .await;
    assert!(v["errors"].is_null(), "{v}");
    assert_eq!(h["x-request-id"], "it-live-hold-1", "echoed");
    let next = ws.next_data(Duration::from_secs(1)).await;
    assert_eq!(ga(&next), 97);
    assert!(started.elapsed() < Duration::from_secs(1));

    // The request id went into the hold request's NATS headers, with a
    // W3C traceparent, and into the worker's log.
    let seen = hold_headers.lock().await.clone();
    assert_eq!(seen.len(), 1, "one hold request");
    assert_eq!(
        seen[0].get("x-request-id").map(|v| v.as_str()),
        Some("it-live-hold-1")
    );
    let tp = seen[0].get("traceparent").unwrap().as_str().to_owned();
    assert!(sellout_common::trace::valid_traceparent(&tp), "{tp}");
    let give_up = Instant::now() + Duration::from_secs(5);
    while !w.tail(200).contains("it-live-hold-1") {
        assert!(
            Instant::now() < give_up,
            "the worker did not log the request id:\n{}",
            w.tail(40)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The event page reads the cache: twenty pages, no request to the
    // workers; all but the first answered from the page cache.
    let before = asked.load(Ordering::SeqCst);
    assert_eq!(before, 1, "one request seeded the cache");
    for _ in 0..20 {
        let (v, _) = post(&base, PAGE, &[]).await;
        assert_eq!(v["data"]["event"]["tiers"][0]["available"], 97, "{v}");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        asked.load(Ordering::SeqCst),
        before,
        "pages were served from memory"
    );
    assert_eq!(
        metric(&base, "sellout_gateway_live_seed_requests_total ").await,
        Some(1.0)
    );
    let hits = || {
        metric(
            &base,
            r#"sellout_gateway_page_cache_requests_total{result="hit"}"#,
        )
    };
    assert_eq!(hits().await, Some(19.0), "the first page ran, 19 were kept");
    // A caller with a token always runs the query.
    let (v, _) = post(&base, PAGE, &[("authorization", &token("a@b.test"))]).await;
    assert_eq!(v["data"]["event"]["tiers"][0]["available"], 97, "{v}");
    assert_eq!(hits().await, Some(19.0));

    // A hold without an id of the caller gets one, still carried along.
    let (v, h) = post(
        &base,
        &format!(
            r#"mutation {{ hold(event: "gw-live/show", tier: "ga", quantity: 2, checkout: "{}") {{ id }} }}"#,
            super::orders::start_checkout(&base).await
        ),
        &[("x-request-id", "not a sane id")],
    )
    .await;
    assert!(v["errors"].is_null(), "{v}");
    let made = h["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&made).is_ok(), "a new id: {made}");
    assert_eq!(ga(&ws.next_data(Duration::from_secs(1)).await), 95);
    // The kept page showed 97: it is not served again once the figures
    // changed.
    let (v, _) = post(&base, PAGE, &[]).await;
    assert_eq!(v["data"]["event"]["tiers"][0]["available"], 95, "{v}");
    // Nor once the catalog changed: a tier renamed by kubectl shows on
    // the next pages (the watch lags by milliseconds).
    let tiers: Api<sellout_crds::TicketTier> =
        Api::namespaced(kube().await.client().await.unwrap(), ns);
    tiers
        .patch(
            "ga",
            &kube::api::PatchParams::default(),
            &kube::api::Patch::Merge(json!({"spec": {"displayName": "Standing (renamed)"}})),
        )
        .await
        .unwrap();
    let give_up = Instant::now() + Duration::from_secs(5);
    loop {
        let (v, _) = post(&base, PAGE, &[]).await;
        if v["data"]["event"]["tiers"][0]["displayName"] == "Standing (renamed)" {
            break;
        }
        assert!(
            Instant::now() < give_up,
            "the renamed tier never showed: {v}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let last = hold_headers.lock().await.last().cloned().unwrap();
    assert_eq!(
        last.get("x-request-id").map(|v| v.as_str()),
        Some(made.as_str())
    );

    // Metrics after these queries.
    let ok_queries = metric(
        &base,
        r#"sellout_gateway_graphql_operations_total{operation="query",outcome="ok"}"#,
    )
    .await
    .unwrap();
    assert!(ok_queries >= 20.0, "{ok_queries}");
    let v = super::query(&base, r#"{ event(slug: "nope") { title } }"#).await;
    assert_eq!(code(&v), "BAD_SLUG");
    assert_eq!(
        metric(
            &base,
            r#"sellout_gateway_graphql_errors_total{code="BAD_SLUG"}"#
        )
        .await,
        Some(1.0)
    );
    assert_eq!(
        metric(
            &base,
            r#"sellout_gateway_graphql_operations_total{operation="mutation",outcome="ok"}"#
        )
        .await,
        Some(4.0),
        "two holds and the two startCheckout calls before them"
    );
    assert_eq!(
        metric(&base, "sellout_gateway_live_events ").await,
        Some(1.0)
    );
    assert_eq!(
        metric(&base, "sellout_gateway_live_subscribers ").await,
        Some(1.0)
    );
    assert!(
        metric(&base, "sellout_gateway_live_feed_updates_total ")
            .await
            .unwrap()
            >= 2.0
    );
    assert!(
        metric(
            &base,
            "sellout_gateway_graphql_duration_seconds_count{operation=\"query\"}"
        )
        .await
        .unwrap()
            >= 20.0
    );

    // The workers stop: the figures become unknown (null), not stale.
    w.stop(Duration::from_secs(5));
    let gone = Instant::now();
    let unknown = ws.next_data(stale_after + Duration::from_secs(3)).await;
    assert!(ga(&unknown).is_null(), "{unknown}");
    assert!(
        gone.elapsed() >= Duration::from_secs(1),
        "not before the workers' last word aged"
    );
    // The kept page showed figures: it is not served once they aged.
    let (v, _) = post(&base, PAGE, &[]).await;
    assert!(v["data"]["event"]["tiers"][0]["available"].is_null(), "{v}");

    // Closing the socket ends the subscription.
    ws.socket.close(None).await.unwrap();
    let give_up = Instant::now() + Duration::from_secs(5);
    while metric(&base, "sellout_gateway_live_subscribers ").await != Some(0.0) {
        assert!(
            Instant::now() < give_up,
            "the subscription outlived its socket"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_status_and_check_ins_are_for_whom_they_concern() {
    let ns = "gw-live-orders";
    let uid = stage(ns).await;
    organization(
        ns,
        &[("box@org.test", "BOX_OFFICE"), ("door@org.test", "SCANNER")],
        &[],
    )
    .await;
    let keys =
        sellout_e2e::worker::ticket_keys(&sellout_e2e::run_dir().join("gw-live-keys")).unwrap();
    let keys = keys.to_string_lossy().into_owned();
    let (names, w) = worker(&uid, ns, &[("SELLOUT_TICKET_KEYS_DIR", &keys)]).await;
    let base = serve(HttpOptions::default()).await;
    let nats = sellout_e2e::nats().await.client().await.unwrap();

    // A buyer holds and places an order; without Stripe on this worker it
    // waits for payment.
    let (v, _) = post(
        &base,
        &format!(
            r#"mutation {{ hold(event: "gw-live-orders/show", tier: "ga", quantity: 1, checkout: "{}") {{ id }} }}"#,
            super::orders::start_checkout(&base).await
        ),
        &[],
    )
    .await;
    let hold = v["data"]["hold"]["id"].as_str().unwrap().to_owned();
    let order_id = uuid::Uuid::new_v4().to_string();
    let create = CreateOrderRequest {
        order_id: order_id.clone(),
        holds: vec![OrderHold {
            hold_id: hold,
            tier: "ga".into(),
            quantity: 1,
            ..Default::default()
        }],
        buyer: Some(Buyer {
            email: "ana@buyer.test".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    // The order service looks the holds up with the checkout workers: the
    // caller's request id goes along.
    let (_, checks) = spy(names.subject("rpc.lookup")).await;
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("x-request-id", "it-order-1");
    let m = nats
        .request_with_headers(
            names.subject("rpc.order.create"),
            headers,
            create.encode_to_vec().into(),
        )
        .await
        .unwrap();
    let reply = OrderReply::decode(m.payload.as_ref()).unwrap();
    assert!(
        matches!(&reply.result, Some(order_reply::Result::Error(e)) if e.code().as_str_name() == "PAYMENT_UNAVAILABLE"),
        "{reply:?}\n{}",
        w.tail(20)
    );

    let give_up = Instant::now() + Duration::from_secs(2);
    while checks.lock().await.is_empty() {
        assert!(Instant::now() < give_up, "no hold check seen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let checks = checks.lock().await.clone();
    for h in &checks {
        assert_eq!(
            h.get("x-request-id").map(|v| v.as_str()),
            Some("it-order-1")
        );
    }

    let q = format!(
        r#"subscription {{ orderStatus(event: "gw-live-orders/show", orderId: "{order_id}") {{ orderId state }} }}"#
    );
    let as_user = |email: &str| json!({"Authorization": format!("Bearer {}", token(email))});
    // The buyer sees their order's state now.
    let mut buyer = Ws::connect(&base, "/graphql", as_user("Ana@Buyer.test")).await;
    buyer.subscribe("o", &q).await;
    let first = buyer.next_data(Duration::from_secs(5)).await;
    assert_eq!(first["orderStatus"]["state"], "AwaitingPayment", "{first}");
    assert_eq!(first["orderStatus"]["orderId"], order_id.as_str());

    // Another buyer, nobody, and a bad token are refused.
    for (payload, expected) in [
        (as_user("eve@buyer.test"), "FORBIDDEN"),
        (json!({}), "UNAUTHENTICATED"),
        (json!({"Authorization": "Bearer forged"}), "BAD_TOKEN"),
    ] {
        let mut other = Ws::connect(&base, "/graphql/ws", payload).await;
        other.subscribe("o", &q).await;
        let m = other.recv(Duration::from_secs(5)).await;
        assert_eq!(error_code(&m), expected, "{m}");
    }
    // The organization's box office may follow it.
    let mut staff = Ws::connect(&base, "/graphql/ws", as_user("box@org.test")).await;
    staff.subscribe("o", &q).await;
    let seen = staff.next_data(Duration::from_secs(5)).await;
    assert_eq!(seen["orderStatus"]["state"], "AwaitingPayment");
    // An unknown order of this event.
    staff
        .subscribe(
            "x",
            r#"subscription { orderStatus(event: "gw-live-orders/show", orderId: "nope") { state } }"#,
        )
        .await;
    let m = staff.recv(Duration::from_secs(5)).await;
    assert_eq!(error_code(&m), "NOT_FOUND", "{m}");

    // The order is cancelled: the buyer hears at once.
    let cancel = CancelOrderRequest {
        order_id: order_id.clone(),
        ..Default::default()
    };
    nats.request(
        names.subject("rpc.order.cancel"),
        cancel.encode_to_vec().into(),
    )
    .await
    .unwrap();
    let changed = buyer.next_data(Duration::from_secs(2)).await;
    assert_eq!(changed["orderStatus"]["state"], "Cancelled", "{changed}");

    // Check-ins: door staff follow them, a buyer may not.
    let checkins = r#"subscription { checkIns(event: "gw-live-orders/show") { ticketId tier day gate admissions undone staff } }"#;
    let mut ana = Ws::connect(&base, "/graphql/ws", as_user("ana@buyer.test")).await;
    ana.subscribe("c", checkins).await;
    let m = ana.recv(Duration::from_secs(5)).await;
    assert_eq!(error_code(&m), "FORBIDDEN", "{m}");
    let mut door = Ws::connect(&base, "/graphql/ws", as_user("door@org.test")).await;
    door.subscribe("c", checkins).await;
    // The consumer starts with the subscription; give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    // As the scan workers will publish them (scanning issue).
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let scan = CheckedIn {
        ticket_id: "t-1".into(),
        tier: "ga".into(),
        day: 1,
        gate: "north".into(),
        admissions: 1,
        at_ms: 1,
        staff: "door@org.test".into(),
        ..Default::default()
    };
    js.publish(names.checkin("t-1", 1), scan.encode_to_vec().into())
        .await
        .unwrap()
        .await
        .unwrap();
    let c = door.next_data(Duration::from_secs(5)).await;
    assert_eq!(
        c["checkIns"],
        json!({"ticketId": "t-1", "tier": "ga", "day": 1, "gate": "north", "admissions": 1, "undone": false, "staff": "door@org.test"})
    );
    drop(w);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_request_ids_idle_cache_entries_and_webhook_metrics() {
    let ns = "gw-live-edges";
    stage(ns).await;
    organization(ns, &[], &["https://shop.example.org"]).await;
    let base = serve(HttpOptions {
        cors_origins: vec!["https://app.example.com".into()],
        live: LiveConfig {
            idle_after: Duration::from_secs(1),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let http = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        http.request(reqwest::Method::OPTIONS, format!("{base}/graphql"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    for allowed in ["https://app.example.com", "https://shop.example.org"] {
        let r = preflight(allowed).await.unwrap();
        assert!(r.status().is_success(), "{allowed}: {}", r.status());
        assert_eq!(r.headers()["access-control-allow-origin"], allowed);
        let headers = r.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_lowercase();
        assert!(headers.contains("authorization"), "{headers}");
        assert!(!r.headers().contains_key("access-control-allow-credentials"));
    }
    let r = preflight("https://evil.example.net").await.unwrap();
    assert!(
        !r.headers().contains_key("access-control-allow-origin"),
        "{:?}",
        r.headers()
    );
    // A simple request from an allowed origin sees the request id.
    let r = http
        .post(format!("{base}/graphql"))
        .header("origin", "https://app.example.com")
        .json(&json!({"query": "{ __typename }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert!(
        r.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .contains("x-request-id")
    );

    // Request ids: kept when sane, made otherwise, on every route.
    let r = http
        .get(format!("{base}/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123");
    let r = http.get(format!("{base}/healthz")).send().await.unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

    // An event nobody asks about any more leaves the cache. No workers
    // here: its figures are unknown.
    let v = super::query(
        &base,
        r#"{ event(slug: "gw-live-edges/show") { tiers { available } } }"#,
    )
    .await;
    assert!(v["data"]["event"]["tiers"][0]["available"].is_null(), "{v}");
    assert_eq!(
        metric(&base, "sellout_gateway_live_events ").await,
        Some(1.0)
    );
    let give_up = Instant::now() + Duration::from_secs(10);
    while metric(&base, "sellout_gateway_live_events ").await != Some(0.0) {
        assert!(Instant::now() < give_up, "the idle event stayed cached");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Webhook outcomes are counted.
    let r = http
        .post(format!("{base}/webhooks/stripe"))
        .body(r#"{"id":"evt_1","type":"charge.succeeded","data":{"object":{"id":"ch_1"}}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        metric(
            &base,
            r#"sellout_gateway_webhooks_total{outcome="ignored"}"#
        )
        .await,
        Some(1.0)
    );
    assert!(
        metric(
            &base,
            r#"sellout_gateway_http_responses_total{status="2xx"}"#
        )
        .await
        .unwrap()
            >= 5.0
    );
}

/// GraphiQL as `make dev` serves it (its files from the tool cache, nothing
/// from a CDN) loads in a real Chromium and asks the gateway for the
/// schema.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_runs_in_a_browser_from_the_gateways_own_files() {
    let dir = sellout_e2e::tools::cache_dir().join("share/graphiql");
    let assets = sellout_gateway::graphiql::Assets::load(&dir)
        .unwrap_or_else(|e| panic!("{e} (make test runs `make tools` first)"));
    let base = serve(HttpOptions {
        graphiql: Some(Arc::new(assets)),
        ..Default::default()
    })
    .await;
    let css = reqwest::get(format!("{base}/graphiql/graphiql.min.css"))
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let missing = reqwest::get(format!("{base}/graphiql/nope.js"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let queries = || {
        metric(
            &base,
            r#"sellout_gateway_graphql_operations_total{operation="query",outcome="ok"}"#,
        )
    };
    assert_eq!(queries().await, None, "no query yet");
    let browser = sellout_e2e::browser::Browser::locate(&sellout_e2e::run_dir().join("graphiql"))
        .expect("Chromium from `make tools`");
    let dom = browser.dump_dom(&format!("{base}/graphql")).await.unwrap();
    assert!(
        dom.contains("graphiql-container"),
        "GraphiQL did not render:\n{dom}"
    );
    assert!(!dom.contains("Loading GraphiQL"), "{dom}");
    assert!(
        dom.contains("riverside-festival-2027"),
        "the default query is in the editor:\n{dom}"
    );
    // GraphiQL fetched the schema (its introspection query) from us.
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(queries().await.is_some_and(|n| n >= 1.0), "{text}");
}

/// In production `/metrics` leaves the public listener (served on an
/// internal port instead) and introspection can be turned off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_introspection_can_be_kept_off_the_public_port() {
    let base = serve(HttpOptions::default()).await;
    let get = |url: String| async move { reqwest::get(url).await.unwrap().status() };
    assert_eq!(get(format!("{base}/metrics")).await, 200);
    let introspect = "{ __schema { queryType { name } } }";
    let v = super::query(&base, introspect).await;
    assert_eq!(v["data"]["__schema"]["queryType"]["name"], "Query", "{v}");

    let closed = serve(HttpOptions {
        public_metrics: false,
        introspection: false,
        ..Default::default()
    })
    .await;
    assert_eq!(get(format!("{closed}/metrics")).await, 404);
    let v = super::query(&closed, introspect).await;
    assert!(v["data"]["__schema"].is_null(), "nothing described: {v}");
    // Ordinary queries still answer.
    let v = super::query(&closed, r#"{ event(slug: "nobody/here") { title } }"#).await;
    assert!(v["errors"].is_null(), "{v}");
}
