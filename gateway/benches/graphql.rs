//! `make bench-graphql`: the public event page through our gateway and
//! through a minimal Apollo Server 5, driven by the same load generator in
//! the same run; then the hold path, through our gateway and straight over
//! NATS.
//!
//! One file of some 870 lines on purpose: a benchmark binary whose parts
//! (the stage, the load generator, the baseline's driver, the report) are
//! each used once, in this order, by this run only.
//!
//! Stage: a real API server with the CRDs, namespace `bench` with an
//! Organization, a Venue, the Published Event `show` and five public
//! TicketTiers; a real `sellout-worker` in its checkout role for the event
//! (NATS JetStream, FerretDB), with a few tickets held first (for an hour,
//! so nothing runs out during the run) so live availability is not just
//! the initial quantities. Our `sellout-gateway` runs as its own process,
//! pointed at them. The baseline is `gateway/benches/apollo/server.mjs`
//! (`@apollo/server` 5 and graphql-js 16 pinned by its package-lock.json;
//! `npm ci` fills its `node_modules` the first time, npm's cache under the
//! tool cache), one Node process serving the same schema subset with the
//! same page from memory: the page expected from the stage, which our
//! gateway must answer first.
//!
//! Load: C keep-alive HTTP/1.1 connections (`BENCH_CONNECTIONS`, default
//! 64), each POSTing the event-page query ([`QUERY`]) one request after the
//! other, for `BENCH_WARMUP_SECONDS` (default 2, not measured) and then
//! `BENCH_SECONDS` (default 10); Apollo first, then ours, then ours again
//! with the page cache off (`--page-cache-entries 0`: every request
//! executes the query; see `sellout_gateway::page_cache`). Requests/s and
//! latency percentiles count the requests sent and answered inside the
//! measured window. Every answer (warm-up included) is checked: an HTTP
//! error, a transport error or timeout, a GraphQL `errors` entry, or `data`
//! that differs from the expected page (tiers compared in any order) is a
//! wrong answer.
//!
//! Figures: requests/s, p50/p90/p99/max latency, wrong answers, for each;
//! ratio ours/Apollo (requests/s) and Apollo/ours (p99). Goal from issue 6:
//! at least 10,000 requests/s and 6 times Apollo; printed, not asserted.
//! Invariants: `wrong_answers` of ours and `baseline_wrong_answers` of
//! Apollo (a baseline that answers something else proves nothing) must be
//! 0, and each server must have answered in the window.
//!
//! Hold path (after the page runs): `BENCH_HOLD_BUYERS` (default 700)
//! buyers, C at a time, each holding one `ga` ticket with its own checkout
//! session and address: first straight to the checkout writer over NATS
//! (`CheckoutClient::hold` with the session and address the gateway would
//! send: the baseline), then through a gateway behind a trusted proxy
//! (`--trusted-proxy 127.0.0.1/32`, each buyer its own `X-Forwarded-For`):
//! `startCheckout`, then `hold` with that checkout. Figures: holds/s and
//! latency of each, and their ratio. Invariant: no hold of this
//! legitimate crowd is refused (`holds_refused`: the per-checkout and
//! per-address caps must not stop it).
//!
//! Purchase path (last): `BENCH_ORDER_BUYERS` (default 250) buyers for
//! the 200 `student` tickets, C at a time, each with its own login (an
//! access token signed with the bench gateway's key) and address, walk
//! what the portal does: the event page, `startCheckout`, `hold` of one
//! ticket, `createOrder` paying with a test card confirmed on the server
//! (`paymentMethod: "pm_card_visa"`, through localstripe). Figures:
//! orders/s and the journey's latency (page to placed order). Invariants:
//! no buyer fails other than by being told the tier is sold out
//! (`orders_failed`), and nothing is sold twice (`oversold`: held + sold
//! beyond the tier's capacity, or more orders than tickets).
//!
//! Portal first load (when `web/dist` is built): a gateway serving it,
//! `web/scripts/first-load.mjs` in headless Chromium, 5 fresh visits of
//! the event's portal page: JavaScript bytes on the wire (compressed) and
//! decoded, and the time to interactive (heading shown, first ticket
//! control enabled). Goal: at most 150 kB of compressed JavaScript;
//! printed, not asserted.
//!
//! Other knobs: `SELLOUT_WORKER_BIN` (default: `sellout-worker` next to the
//! `sellout-gateway` binary cargo built for this bench; `make
//! bench-graphql` builds it). Node.js 20+ and npm must be on PATH.
//!
//! Writes `target/bench/graphql.json`; exits non-zero when an invariant is
//! broken.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use kube::api::{Api, PostParams};
use sellout_client::CheckoutClient;
use sellout_common::names::{Names, stream_config};
use sellout_common::process::Process;
use sellout_common::proto::v1::HoldRequest;
use sellout_crds::{Event, Organization, TicketTier, Venue};
use serde_json::{Value, json};

#[path = "../../workers/benches/support/mod.rs"]
mod support;
use support::{cpu_model, env, quantile, round, write_report};

/// The event page, exactly as both servers are asked for it.
const QUERY: &str = "query Page($slug: String!) { event(slug: $slug) { id slug title currency onSaleAt state venue { name displayName city country capacity } tiers { name displayName priceMinor currency perOrderMax available } } }";

const NS: &str = "bench";
const SLUG: &str = "bench/show";
const ON_SALE_AT: &str = "2026-01-01T10:00:00Z";

/// A staged tier: name, display name, price (minor units), quantity, most
/// per order, tickets held before the run.
struct StagedTier {
    name: &'static str,
    display_name: &'static str,
    price_minor: i64,
    quantity: i64,
    per_order_max: i32,
    held: i64,
}

const TIERS: [StagedTier; 5] = [
    StagedTier {
        name: "balcony",
        display_name: "Balcony (seated)",
        price_minor: 6500,
        quantity: 480,
        per_order_max: 8,
        held: 4,
    },
    StagedTier {
        name: "early-bird",
        display_name: "Early bird",
        price_minor: 3500,
        quantity: 300,
        per_order_max: 4,
        held: 1,
    },
    StagedTier {
        name: "ga",
        display_name: "General admission",
        price_minor: 4500,
        quantity: 1500,
        per_order_max: 10,
        held: 3,
    },
    StagedTier {
        name: "student",
        display_name: "Student",
        price_minor: 3000,
        quantity: 200,
        per_order_max: 1,
        held: 0,
    },
    StagedTier {
        name: "vip",
        display_name: "VIP table seat",
        price_minor: 15000,
        quantity: 120,
        per_order_max: 2,
        held: 2,
    },
];

/// Where the components the gateway and the worker talk to are.
struct Stack {
    kubeconfig: PathBuf,
    nats_url: String,
    /// The gateway's NATS credentials (SELLOUT and LOGIN accounts).
    gateway_creds: PathBuf,
    login_creds: PathBuf,
    /// The environment of the event's workers: its uid and NATS user.
    worker_env: [(&'static str, String); 2],
    mongo_uri: String,
    mongo_database: String,
}

/// The key the bench's gateways sign and verify access tokens with.
const JWT_KEY: &[u8] = b"graphql-bench-signing-key-0123456789abcdef";

/// Our gateway's command line (its flags grow: keep them here).
fn gateway_command(stack: &Stack, listen: SocketAddr) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-gateway"));
    let keys = sellout_e2e::run_dir().join("graphql-bench/jwt-keys");
    std::fs::create_dir_all(&keys).expect("make the JWT keys directory");
    std::fs::write(keys.join("bench"), JWT_KEY).expect("write the bench's JWT key");
    cmd.env("KUBECONFIG", &stack.kubeconfig)
        .arg("--listen")
        .arg(listen.to_string())
        .arg("--nats-url")
        .arg(&stack.nats_url)
        .arg("--nats-creds-file")
        .arg(&stack.gateway_creds)
        .arg("--nats-login-creds-file")
        .arg(&stack.login_creds)
        .arg("--mongo-uri")
        .arg(&stack.mongo_uri)
        .arg("--mongo-database")
        .arg(&stack.mongo_database)
        .arg("--jwt-keys-dir")
        .arg(&keys)
        .env("RUST_LOG", "warn");
    cmd
}

/// The checkout worker binary: `SELLOUT_WORKER_BIN`, or the one cargo
/// built next to our gateway.
fn worker_bin() -> PathBuf {
    let bin = std::env::var_os("SELLOUT_WORKER_BIN").map_or_else(
        || Path::new(env!("CARGO_BIN_EXE_sellout-gateway")).with_file_name("sellout-worker"),
        PathBuf::from,
    );
    assert!(
        bin.is_file(),
        "{} is missing: build it with the same profile first (make bench-graphql does: cargo build --release -p sellout-workers --bin sellout-worker; make test builds the debug one)",
        bin.display()
    );
    bin
}

async fn start_worker(stack: &Stack) -> Process {
    // Payments through localstripe (the purchase path), tickets signed
    // with a key of the bench's own.
    let dir = sellout_e2e::run_dir().join("graphql-bench");
    let keys = sellout_e2e::worker::ticket_keys(&dir.join("ticket-keys")).unwrap();
    let (stripe_key, webhook) = (dir.join("stripe-key"), dir.join("webhook-secret"));
    std::fs::write(&stripe_key, sellout_e2e::stripe::SECRET_KEY).unwrap();
    std::fs::write(&webhook, "whsec_graphql_bench").unwrap();
    let stripe_api = format!("{}/", sellout_e2e::stripe().await.url());
    let mut cmd = std::process::Command::new(worker_bin());
    cmd.env("SELLOUT_TICKET_KEYS_DIR", &keys)
        .env("SELLOUT_STRIPE_SECRET_KEY_FILE", &stripe_key)
        .env("SELLOUT_STRIPE_WEBHOOK_SECRET_FILE", &webhook)
        .env("SELLOUT_STRIPE_API_BASE", stripe_api);
    cmd.env("KUBECONFIG", &stack.kubeconfig)
        .env("SELLOUT_WORKER_ROLE", "checkout")
        .env("SELLOUT_EVENT", "show")
        .env("SELLOUT_NAMESPACE", NS)
        .env("SELLOUT_WORKER_ID", "bench-0")
        // Holds outlive the run: the expected page must not change.
        .env("SELLOUT_HOLD_TTL_SECONDS", "3600")
        .env("SELLOUT_NATS_URL", &stack.nats_url)
        .envs(stack.worker_env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("SELLOUT_MONGO_URI", &stack.mongo_uri)
        .env("SELLOUT_MONGO_DATABASE", &stack.mongo_database)
        .env(
            "SELLOUT_WORKER_LISTEN",
            format!("127.0.0.1:{}", sellout_e2e::free_port().unwrap()),
        )
        .env("RUST_LOG", "warn");
    let log = sellout_e2e::run_dir().join("graphql-bench/worker.log");
    Process::spawn("checkout worker", cmd, &log).unwrap()
}

async fn create<K>(client: &kube::Client, value: Value) -> K
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + std::fmt::Debug
        + k8s_openapi::serde::de::DeserializeOwned
        + k8s_openapi::serde::Serialize,
    K::DynamicType: Default,
{
    let obj: K = serde_json::from_value(value).unwrap();
    Api::<K>::namespaced(client.clone(), NS)
        .create(&PostParams::default(), &obj)
        .await
        .unwrap_or_else(|e| panic!("create {}: {e}", K::kind(&Default::default())))
}

/// The stage in the API server and the event's stream; returns the
/// Event's UID.
async fn stage() -> String {
    let api = sellout_e2e::kube_with_crds().await;
    let client = api.client().await.unwrap();
    Api::<k8s_openapi::api::core::v1::Namespace>::all(client.clone())
        .create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": NS}})).unwrap(),
        )
        .await
        .unwrap();
    create::<k8s_openapi::api::core::v1::Secret>(
        &client,
        json!({"metadata": {"name": "stripe", "namespace": NS},
               "stringData": {"account": "acct_1SelloutGraphqlBench"}}),
    )
    .await;
    create::<Organization>(
        &client,
        json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
            "metadata": {"name": NS, "namespace": NS},
            "spec": {"displayName": "Bench Presents",
                     "stripeAccount": {"name": "stripe", "key": "account"}},
        }),
    )
    .await;
    create::<Venue>(
        &client,
        json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Venue",
            "metadata": {"name": "hall", "namespace": NS},
            "spec": {
                "displayName": "The Bench Hall",
                "address": {"line1": "1 Wharf Road", "city": "London", "postalCode": "N1 7GR", "country": "GB"},
                "timezone": "Europe/London",
                "capacity": 2600,
            },
        }),
    )
    .await;
    let event: Event = create(
        &client,
        json!({
            "apiVersion": "sellout.io/v1alpha1", "kind": "Event",
            "metadata": {"name": "show", "namespace": NS},
            "spec": {
                "title": "Benchmark Nights", "venueRef": {"name": "hall"}, "currency": "GBP",
                "state": "Published", "onSaleAt": ON_SALE_AT,
                "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}],
            },
        }),
    )
    .await;
    for t in &TIERS {
        create::<TicketTier>(
            &client,
            json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "TicketTier",
                "metadata": {"name": t.name, "namespace": NS},
                "spec": {"eventRef": {"name": "show"}, "displayName": t.display_name,
                         "price": {"amountMinor": t.price_minor, "currency": "GBP"},
                         "quantity": t.quantity, "perOrder": {"min": 1, "max": t.per_order_max},
                         "visibility": "Public"},
            }),
        )
        .await;
    }
    let uid = event.metadata.uid.unwrap();
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    js.get_or_create_stream(stream_config(&Names::for_uid(&uid)))
        .await
        .unwrap();
    uid
}

/// The page both servers must answer (`data.event`), tiers by name.
fn expected_page(uid: &str) -> Value {
    let tiers: Vec<Value> = TIERS
        .iter()
        .map(|t| {
            json!({
                "name": t.name, "displayName": t.display_name, "priceMinor": t.price_minor,
                "currency": "GBP", "perOrderMax": t.per_order_max,
                "available": t.quantity - t.held,
            })
        })
        .collect();
    json!({
        "id": uid, "slug": SLUG, "title": "Benchmark Nights", "currency": "GBP",
        "onSaleAt": ON_SALE_AT, "state": "Published",
        "venue": {"name": "hall", "displayName": "The Bench Hall", "city": "London",
                  "country": "GB", "capacity": 2600},
        "tiers": tiers,
    })
}

/// The query's request body.
fn request_body() -> Bytes {
    Bytes::from(json!({"query": QUERY, "variables": {"slug": SLUG}}).to_string())
}

/// What was wrong with an answer.
enum Wrong {
    /// HTTP or transport error, timeout, or GraphQL `errors`.
    Error(String),
    /// `data` is not the expected page.
    Data(String),
}

/// Checks an answer's body: no `errors`, `data.event` equal to `expected`
/// with the tiers in any order. `last_good` is a body already found right:
/// an identical one needs no parsing.
fn check(body: &Bytes, expected: &Value, last_good: &mut Option<Bytes>) -> Result<(), Wrong> {
    if last_good.as_ref() == Some(body) {
        return Ok(());
    }
    let text = || {
        String::from_utf8_lossy(body)
            .chars()
            .take(600)
            .collect::<String>()
    };
    let mut v: Value =
        serde_json::from_slice(body).map_err(|e| Wrong::Error(format!("{e}: {}", text())))?;
    if v.get("errors").is_some_and(|e| !e.is_null()) {
        return Err(Wrong::Error(text()));
    }
    if let Some(Value::Array(tiers)) = v.pointer_mut("/data/event/tiers") {
        tiers.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    }
    if v.pointer("/data/event") != Some(expected) {
        return Err(Wrong::Data(text()));
    }
    *last_good = Some(body.clone());
    Ok(())
}

/// What one server did under load.
#[derive(Default)]
struct Load {
    /// Answers sent and received inside the measured window.
    requests: usize,
    seconds: f64,
    latencies_ms: Vec<f64>,
    /// Every answer checked (warm-up included).
    checked: usize,
    errors: usize,
    wrong_data: usize,
    first_problem: Option<String>,
}

impl Load {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds.max(1e-9)
    }
    fn wrong_answers(&self) -> usize {
        self.errors + self.wrong_data
    }
    fn q(&self, q: f64) -> f64 {
        quantile(&self.latencies_ms, q)
    }
    fn merge(&mut self, o: Load) {
        self.requests += o.requests;
        self.latencies_ms.extend(o.latencies_ms);
        self.checked += o.checked;
        self.errors += o.errors;
        self.wrong_data += o.wrong_data;
        if self.first_problem.is_none() {
            self.first_problem = o.first_problem;
        }
    }
    fn note(&mut self, wrong: Wrong) {
        let what = match wrong {
            Wrong::Error(e) => {
                self.errors += 1;
                format!("error: {e}")
            }
            Wrong::Data(d) => {
                self.wrong_data += 1;
                format!("wrong data: {d}")
            }
        };
        self.first_problem.get_or_insert(what);
    }
}

/// One request on a connection: the body of a 200 answer.
async fn send(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    addr: SocketAddr,
    path: &str,
    body: &Bytes,
) -> Result<Bytes, String> {
    let req = hyper::Request::post(path)
        .header(HOST, addr.to_string())
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(body.clone()))
        .map_err(|e| e.to_string())?;
    let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = resp.status();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    if status.is_success() {
        Ok(bytes)
    } else {
        Err(format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&bytes)
                .chars()
                .take(300)
                .collect::<String>()
        ))
    }
}

/// One connection's loop until `end`; reconnects after a transport error.
async fn connection(
    addr: SocketAddr,
    path: &'static str,
    body: Bytes,
    expected: Arc<Value>,
    measure_from: Instant,
    end: Instant,
) -> Load {
    let mut load = Load::default();
    let mut last_good = None;
    let timeout = Duration::from_secs(10);
    'connect: while Instant::now() < end {
        let conn = async {
            let stream = tokio::net::TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream))
                .await
                .map_err(std::io::Error::other)
        };
        let mut sender = match conn.await {
            Ok((sender, conn)) => {
                tokio::spawn(conn);
                sender
            }
            Err(e) => {
                load.note(Wrong::Error(format!("connect: {e}")));
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        while Instant::now() < end {
            let t = Instant::now();
            let answer = tokio::time::timeout(timeout, send(&mut sender, addr, path, &body)).await;
            let done = Instant::now();
            load.checked += 1;
            let result = match answer {
                Ok(Ok(bytes)) => check(&bytes, &expected, &mut last_good),
                Ok(Err(e)) => Err(Wrong::Error(e)),
                Err(_) => Err(Wrong::Error(format!("no answer in {timeout:?}"))),
            };
            if t >= measure_from && done <= end {
                load.requests += 1;
                load.latencies_ms.push((done - t).as_secs_f64() * 1000.0);
            }
            match result {
                Ok(()) => {}
                Err(w @ Wrong::Data(_)) => load.note(w),
                Err(w) => {
                    load.note(w);
                    // The connection may be unusable: start a new one.
                    continue 'connect;
                }
            }
        }
    }
    load
}

/// Drives `connections` connections against `addr` + `path`.
async fn load(
    addr: SocketAddr,
    path: &'static str,
    expected: &Value,
    connections: usize,
    warmup: Duration,
    seconds: Duration,
) -> Load {
    let body = request_body();
    let expected = Arc::new(expected.clone());
    let measure_from = Instant::now() + warmup;
    let end = measure_from + seconds;
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            tokio::spawn(connection(
                addr,
                path,
                body.clone(),
                expected.clone(),
                measure_from,
                end,
            ))
        })
        .collect();
    let mut all = Load {
        seconds: seconds.as_secs_f64(),
        ..Load::default()
    };
    for t in tasks {
        all.merge(t.await.unwrap());
    }
    all.latencies_ms.sort_by(|a, b| a.total_cmp(b));
    all
}

/// Asks once; `Ok(())` when the answer is the expected page.
async fn ask_once(url: &str, expected: &Value) -> Result<(), String> {
    let r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(request_body())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)));
    }
    check(&body, expected, &mut None).map_err(|w| match w {
        Wrong::Error(e) => format!("error: {e}"),
        Wrong::Data(d) => format!("not the expected page {expected}: {d}"),
    })
}

/// Waits until `url` answers the expected page (the server is up and its
/// data is in place); panics with `process`'s log after `patience`.
async fn wait_for_page(url: &str, expected: &Value, process: &Process, patience: Duration) {
    let by = Instant::now() + patience;
    loop {
        let last = match ask_once(url, expected).await {
            Ok(()) => return,
            Err(e) => e,
        };
        if let Some(status) = process.exit_status() {
            panic!("{}", process.exited_error(status));
        }
        assert!(
            Instant::now() < by,
            "{} did not answer the expected page at {url} in {patience:?}; last answer: {last}\n{}",
            process.name(),
            process.tail(30)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Starts our gateway; `page_cache: false` runs it with the page cache
/// off (every request executes the query).
async fn start_gateway(stack: &Stack, page_cache: bool) -> (Process, SocketAddr) {
    let (log, args): (&str, &[&str]) = if page_cache {
        ("graphql-bench/gateway.log", &[])
    } else {
        (
            "graphql-bench/gateway-uncached.log",
            &["--page-cache-entries", "0"],
        )
    };
    start_gateway_with(stack, log, args).await
}

/// Our gateway with `args` on top, its log at `log` (under the run
/// directory); waits until it is ready.
async fn start_gateway_with(stack: &Stack, log: &str, args: &[&str]) -> (Process, SocketAddr) {
    let addr: SocketAddr = ([127, 0, 0, 1], sellout_e2e::free_port().unwrap()).into();
    let log = sellout_e2e::run_dir().join(log);
    let mut cmd = gateway_command(stack, addr);
    cmd.args(args);
    let gw = Process::spawn("sellout-gateway", cmd, &log).unwrap();
    let by = Instant::now() + Duration::from_secs(60);
    let http = reqwest::Client::new();
    loop {
        if let Ok(r) = http.get(format!("http://{addr}/readyz")).send().await
            && r.status().is_success()
        {
            return (gw, addr);
        }
        if let Some(status) = gw.exit_status() {
            panic!("{}", gw.exited_error(status));
        }
        assert!(
            Instant::now() < by,
            "sellout-gateway not ready in 60 s:\n{}",
            gw.tail(30)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn apollo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/apollo")
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// `npm ci` into `gateway/benches/apollo/node_modules` when it is missing
/// or older than the lock file.
async fn npm_ci() {
    let dir = apollo_dir();
    let installed = modified(&dir.join("node_modules/.package-lock.json"));
    let locked = modified(&dir.join("package-lock.json"));
    if installed.is_some() && installed >= locked {
        return;
    }
    let cache = sellout_e2e::tools::cache_dir().join("npm");
    println!(
        "npm ci in {} (npm cache {})",
        dir.display(),
        cache.display()
    );
    let out = tokio::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .env("npm_config_cache", &cache)
        .output()
        .await
        .unwrap_or_else(|e| panic!("npm: {e}: the Apollo baseline needs Node.js 20+ and npm"));
    assert!(
        out.status.success(),
        "npm ci in {} failed:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn node_version() -> String {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The version of an installed npm package of the baseline.
fn package_version(name: &str) -> String {
    let p = apollo_dir()
        .join("node_modules")
        .join(name)
        .join("package.json");
    std::fs::read(&p)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Apollo serving `page`; its address once it answers the page.
async fn start_apollo(page: &Value) -> (Process, SocketAddr) {
    npm_ci().await;
    let dir = sellout_e2e::run_dir().join("graphql-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let pages = dir.join("pages.json");
    std::fs::write(&pages, json!({ SLUG: page }).to_string()).unwrap();
    let addr: SocketAddr = ([127, 0, 0, 1], sellout_e2e::free_port().unwrap()).into();
    let mut cmd = std::process::Command::new("node");
    cmd.arg("server.mjs")
        .current_dir(apollo_dir())
        .env("PORT", addr.port().to_string())
        .env("PAGES", &pages)
        .env("NODE_ENV", "production");
    let apollo = Process::spawn("apollo server", cmd, &dir.join("apollo.log")).unwrap();
    wait_for_page(
        &format!("http://{addr}/graphql"),
        page,
        &apollo,
        Duration::from_secs(60),
    )
    .await;
    (apollo, addr)
}

fn row(name: &str, l: &Load) {
    println!(
        "{:<24} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>10} {:>8}",
        name,
        l.rps(),
        l.q(0.5),
        l.q(0.99),
        l.latencies_ms.last().copied().unwrap_or(0.0),
        l.requests,
        l.wrong_answers()
    );
}

fn figures(l: &Load) -> Value {
    json!({
        "requests_per_second": round(l.rps()),
        "p50_ms": round(l.q(0.5)),
        "p90_ms": round(l.q(0.9)),
        "p99_ms": round(l.q(0.99)),
        "max_ms": round(l.latencies_ms.last().copied().unwrap_or(0.0)),
        "requests": l.requests,
        "answers_checked": l.checked,
        "errors": l.errors,
        "wrong_data": l.wrong_data,
    })
}

/// What one way of placing holds measured.
struct Holds {
    /// Seconds per hold, sorted.
    latencies: Vec<f64>,
    /// Holds refused or failed (any error).
    refused: usize,
    /// Wall time of the whole crowd.
    elapsed: Duration,
}

impl Holds {
    fn figures(&self) -> Value {
        let q = |x| round(quantile(&self.latencies, x) * 1000.0);
        json!({
            "holds": self.latencies.len(),
            "refused": self.refused,
            "holds_per_second": round(self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)),
            "p50_ms": q(0.5), "p90_ms": q(0.9), "p99_ms": q(0.99),
            "max_ms": round(self.latencies.last().copied().unwrap_or(0.0) * 1000.0),
        })
    }

    fn row(&self, name: &str) {
        let q = |x| quantile(&self.latencies, x) * 1000.0;
        println!(
            "{name:<28} {:>9.0} {:>9.2} {:>9.2} {:>7} {:>8}",
            self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9),
            q(0.5),
            q(0.99),
            self.latencies.len(),
            self.refused
        );
    }
}

/// `buyers` legitimate buyers, `concurrency` at a time, each with its own
/// checkout session and address, hold one `ga` ticket: `ask(i)` places
/// buyer `i`'s hold and says whether it was granted.
async fn crowd<F, Fut>(buyers: usize, concurrency: usize, ask: F) -> Holds
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    use futures::StreamExt as _;
    let started = Instant::now();
    let answers: Vec<(bool, f64)> = futures::stream::iter(0..buyers)
        .map(|i| {
            let one = ask(i);
            async move {
                let t = Instant::now();
                let ok = one.await;
                (ok, t.elapsed().as_secs_f64())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let mut latencies: Vec<f64> = answers.iter().filter(|a| a.0).map(|a| a.1).collect();
    latencies.sort_by(f64::total_cmp);
    Holds {
        refused: answers.len() - latencies.len(),
        latencies,
        elapsed,
    }
}

/// A gateway behind a trusted proxy (each buyer its own
/// `X-Forwarded-For`), its `/graphql` URL, and an HTTP client keeping
/// `concurrency` connections.
async fn crowd_gateway(
    stack: &Stack,
    log: &str,
    concurrency: usize,
) -> (Process, String, reqwest::Client) {
    let (gateway, addr) =
        start_gateway_with(stack, log, &["--trusted-proxy", "127.0.0.1/32"]).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    (gateway, format!("http://{addr}/graphql"), http)
}

/// A buyer's address (distinct per buyer, as behind an ingress).
fn buyer_address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// The hold path, side by side: the same flash crowd holding one ticket
/// each, over NATS straight to the checkout writer (each with its own
/// checkout session and address, as the gateway sends them), and through
/// our gateway (`startCheckout`, then `hold` with that checkout, each
/// buyer from its own address behind a trusted proxy). Every hold must be
/// granted: the per-checkout and per-address caps must not refuse a
/// legitimate crowd.
async fn hold_path(stack: &Stack, uid: &str, buyers: usize, concurrency: usize) -> (Holds, Holds) {
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let checkout = CheckoutClient::new(nats, Names::for_uid(uid));
    let direct = crowd(buyers, concurrency, |i| {
        let checkout = checkout.clone();
        async move {
            checkout
                .hold(HoldRequest {
                    hold_id: uuid::Uuid::new_v4().to_string(),
                    tier: "ga".into(),
                    quantity: 1,
                    session: format!("cs:bench-nats-{i}"),
                    client: buyer_address(i),
                    ..Default::default()
                })
                .await
                .is_ok()
        }
    })
    .await;
    let (gateway, url, http) =
        crowd_gateway(stack, "graphql-bench/gateway-holds.log", concurrency).await;
    let through = crowd(buyers, concurrency, |i| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let ip = buyer_address(buyers + i);
            let ask = |query: &str, vars: Value| {
                http.post(&url)
                    .header("X-Forwarded-For", &ip)
                    .json(&json!({"query": query, "variables": vars}))
                    .send()
            };
            let Ok(r) = ask("mutation { startCheckout { token } }", json!({})).await else {
                return false;
            };
            let Ok(v) = r.json::<Value>().await else {
                return false;
            };
            let Some(token) = v["data"]["startCheckout"]["token"].as_str() else {
                return false;
            };
            let Ok(r) = ask(
                "mutation($c: String) { hold(event: \"bench/show\", tier: \"ga\", quantity: 1, checkout: $c) { id } }",
                json!({"c": token}),
            )
            .await
            else {
                return false;
            };
            r.json::<Value>()
                .await
                .is_ok_and(|v| v["data"]["hold"]["id"].is_string())
        }
    })
    .await;
    gateway.stop(Duration::from_secs(5));
    (direct, through)
}

/// The portal's first load in headless Chromium
/// (`web/scripts/first-load.mjs`, `runs` fresh visits), served by a
/// gateway with the portal's build; `None` when `web/dist` is not built.
async fn portal_first_load(stack: &Stack, runs: usize) -> Option<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dist = root.join("web/dist");
    if !dist.join("index.html").is_file() {
        println!("portal first load: web/dist is not built (npm run build): skipped");
        return None;
    }
    let dist = dist.canonicalize().unwrap();
    let (gateway, addr) = start_gateway_with(
        stack,
        "graphql-bench/gateway-portal.log",
        &["--portal-app", dist.to_str().unwrap()],
    )
    .await;
    let out = tokio::process::Command::new("node")
        .arg("web/scripts/first-load.mjs")
        .arg(format!("http://{addr}/portal/{SLUG}"))
        .arg(runs.to_string())
        .current_dir(&root)
        .output()
        .await;
    gateway.stop(Duration::from_secs(5));
    let out = out.expect("node runs");
    let line = String::from_utf8_lossy(&out.stdout);
    match serde_json::from_str::<Value>(line.trim()) {
        Ok(v) if out.status.success() => Some(v),
        _ => {
            println!(
                "portal first load failed:\n{line}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(json!({"failed": true}))
        }
    }
}

/// Most compressed JavaScript the portal's first load may fetch.
const FIRST_LOAD_JS_BUDGET: u64 = 150 * 1024;

/// The tier the purchase crowd buys (untouched by the other parts).
const ORDER_TIER: &str = "student";

/// What the purchase crowd got.
struct Orders {
    /// Seconds per buyer whose order was placed (page to order), sorted.
    latencies: Vec<f64>,
    /// Buyers told the tier is sold out at `hold`.
    sold_out: usize,
    /// Buyers whose journey failed otherwise (any other error).
    failed: usize,
    /// The first such failure.
    first_failure: Option<String>,
    /// Wall time of the whole crowd.
    elapsed: Duration,
}

impl Orders {
    fn figures(&self) -> Value {
        let q = |x| round(quantile(&self.latencies, x) * 1000.0);
        json!({
            "orders": self.latencies.len(),
            "sold_out": self.sold_out,
            "failed": self.failed,
            "orders_per_second": round(self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)),
            "p50_ms": q(0.5), "p90_ms": q(0.9), "p99_ms": q(0.99),
            "max_ms": round(self.latencies.last().copied().unwrap_or(0.0) * 1000.0),
        })
    }
}

/// The purchase path through the gateway, as the portal walks it: each
/// buyer (its own login and address) reads the event page, starts a
/// checkout, holds one `student` ticket and places the order, paying with
/// a test card confirmed on the server (`createOrder(paymentMethod:)`,
/// through localstripe). More buyers than tickets: the rest must be told
/// the tier is sold out, and no ticket is sold twice.
async fn purchase_path(stack: &Stack, buyers: usize, concurrency: usize) -> Orders {
    let (gateway, url, http) =
        crowd_gateway(stack, "graphql-bench/gateway-orders.log", concurrency).await;
    let auth = Arc::new(
        sellout_gateway::auth::Auth::new(
            vec![("bench".into(), JWT_KEY.to_vec())],
            "sellout-system",
        )
        .unwrap(),
    );
    use futures::StreamExt as _;
    let started = Instant::now();
    let answers: Vec<Result<f64, (bool, String)>> = futures::stream::iter(0..buyers)
        .map(|i| {
            let (http, url, auth) = (http.clone(), url.clone(), auth.clone());
            async move {
                let t = Instant::now();
                let ip = buyer_address(3 * buyers + i);
                let login = sellout_gateway::auth::Login::Email(format!("buyer{i}@bench.example"));
                let token = auth.access_token(&login, "bench").0;
                let ask = |query: &str, vars: Value, signed: bool| {
                    let mut r = http
                        .post(&url)
                        .header("X-Forwarded-For", &ip)
                        .json(&json!({"query": query, "variables": vars}));
                    if signed {
                        r = r.bearer_auth(&token);
                    }
                    async move {
                        let v: Value = r
                            .send()
                            .await
                            .map_err(|e| (false, e.to_string()))?
                            .json()
                            .await
                            .map_err(|e| (false, e.to_string()))?;
                        match v["errors"][0]["extensions"]["code"].as_str() {
                            Some("SOLD_OUT" | "NOT_ENOUGH") => Err((true, String::new())),
                            Some(code) => Err((false, format!("{code}: {v}"))),
                            None => Ok(v["data"].clone()),
                        }
                    }
                };
                ask(QUERY, json!({"slug": SLUG}), false).await?;
                let c = ask("mutation { startCheckout { token } }", json!({}), false).await?;
                let checkout = c["startCheckout"]["token"].clone();
                let h = ask(
                    "mutation($c: String, $t: String!) { hold(event: \"bench/show\", tier: $t, quantity: 1, checkout: $c) { id } }",
                    json!({"c": checkout, "t": ORDER_TIER}),
                    false,
                )
                .await?;
                let hold = json!([{"holdId": h["hold"]["id"], "tier": ORDER_TIER, "quantity": 1}]);
                let o = ask(
                    "mutation($h: [OrderHoldInput!]!, $c: String, $id: ID) { createOrder(event: \"bench/show\", holds: $h, checkout: $c, orderId: $id, paymentMethod: \"pm_card_visa\") { id state } }",
                    json!({"h": hold, "c": checkout, "id": uuid::Uuid::new_v4().to_string()}),
                    true,
                )
                .await?;
                match o["createOrder"]["state"].as_str() {
                    Some("AWAITING_PAYMENT" | "PAID" | "COMPLETED") => Ok(t.elapsed().as_secs_f64()),
                    other => Err((false, format!("order in state {other:?}: {o}"))),
                }
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let elapsed = started.elapsed();
    gateway.stop(Duration::from_secs(5));
    let mut orders = Orders {
        latencies: Vec::new(),
        sold_out: 0,
        failed: 0,
        first_failure: None,
        elapsed,
    };
    for a in answers {
        match a {
            Ok(l) => orders.latencies.push(l),
            Err((true, _)) => orders.sold_out += 1,
            Err((false, why)) => {
                orders.failed += 1;
                orders.first_failure.get_or_insert(why);
            }
        }
    }
    orders.latencies.sort_by(f64::total_cmp);
    orders
}

#[tokio::main]
async fn main() {
    // `cargo test` runs benches without --bench: a small smoke run.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let connections = env("BENCH_CONNECTIONS", if smoke { 8 } else { 64 }).max(1);
    let seconds = env("BENCH_SECONDS", if smoke { 1 } else { 10 }).max(1);
    let warmup = env("BENCH_WARMUP_SECONDS", if smoke { 1 } else { 2 });
    println!(
        "graphql: the event page, {connections} connections, {warmup} s warm-up + {seconds} s per server"
    );

    let uid = stage().await;
    let stack = Stack {
        kubeconfig: sellout_e2e::kube().await.kubeconfig().to_owned(),
        nats_url: sellout_e2e::nats().await.url().to_owned(),
        gateway_creds: sellout_e2e::nats()
            .await
            .creds_file(sellout_common::nats_auth::Component::Gateway)
            .to_owned(),
        login_creds: sellout_e2e::nats()
            .await
            .creds_file(sellout_common::nats_auth::Component::Login)
            .to_owned(),
        worker_env: sellout_e2e::nats().await.worker_env(&uid),
        mongo_uri: sellout_e2e::mongo().await.uri().to_owned(),
        mongo_database: "bench".into(),
    };
    let worker = start_worker(&stack).await;
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let checkout = CheckoutClient::new(nats, Names::for_uid(&uid));
    let ready_by = Instant::now() + Duration::from_secs(60);
    while checkout
        .availability()
        .await
        .map_or(true, |t| t.len() < TIERS.len())
    {
        if let Some(status) = worker.exit_status() {
            panic!("{}", worker.exited_error(status));
        }
        assert!(
            Instant::now() < ready_by,
            "checkout worker not ready:\n{}",
            worker.tail(30)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for t in TIERS.iter().filter(|t| t.held > 0) {
        checkout
            .hold(HoldRequest {
                hold_id: format!("bench-{}", t.name),
                tier: t.name.into(),
                quantity: t.held,
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("hold {} of {}: {e:?}", t.held, t.name));
    }

    let page = expected_page(&uid);
    let (gateway, ours_addr) = start_gateway(&stack, true).await;
    let ours_url = format!("http://{ours_addr}/graphql");
    if let Err(e) = ask_once(&ours_url, &page).await {
        eprintln!("our gateway does not answer the staged page: {e}");
        std::process::exit(1);
    }

    let (apollo, apollo_addr) = start_apollo(&page).await;
    let (warm, run) = (
        Duration::from_secs(warmup as u64),
        Duration::from_secs(seconds as u64),
    );
    println!("apollo …");
    let base = load(apollo_addr, "/graphql", &page, connections, warm, run).await;
    apollo.stop(Duration::from_secs(5));
    println!("ours …");
    let ours = load(ours_addr, "/graphql", &page, connections, warm, run).await;
    // The page did not change under the run (holds still there).
    let after = ask_once(&ours_url, &page).await;
    gateway.stop(Duration::from_secs(5));
    // The same gateway with the page cache off: what executing the query
    // every time costs.
    let (gateway, uncached_addr) = start_gateway(&stack, false).await;
    println!("ours, page cache off …");
    let uncached = load(uncached_addr, "/graphql", &page, connections, warm, run).await;
    gateway.stop(Duration::from_secs(5));
    // The hold path (the page no longer matters: holds change it).
    let hold_buyers = env("BENCH_HOLD_BUYERS", if smoke { 40 } else { 700 }).clamp(1, 740);
    println!("holds: {hold_buyers} buyers over NATS, then through our gateway …");
    let (direct, through) = hold_path(&stack, &uid, hold_buyers, connections).await;
    let student = TIERS
        .iter()
        .find(|t| t.name == ORDER_TIER)
        .map_or(0, |t| t.quantity);
    let order_buyers = env("BENCH_ORDER_BUYERS", if smoke { 30 } else { 250 }).max(1);
    println!(
        "orders: {order_buyers} buyers for {student} {ORDER_TIER} tickets, page → startCheckout → hold → createOrder (card) …"
    );
    let orders = purchase_path(&stack, order_buyers, connections).await;
    let first_load = portal_first_load(&stack, if smoke { 1 } else { 5 }).await;
    let stock = checkout
        .availability()
        .await
        .ok()
        .and_then(|t| t.into_iter().find(|s| s.tier == ORDER_TIER));
    worker.stop(Duration::from_secs(5));
    // Never more sold or held than there is, nor orders than tickets.
    let oversold = stock.as_ref().map_or(i64::MAX, |s| {
        (s.sold + s.held - s.capacity).max(0) + (orders.latencies.len() as i64 - s.capacity).max(0)
    });

    let ratio = ours.rps() / base.rps().max(1e-9);
    let p99_ratio = base.q(0.99) / ours.q(0.99).max(1e-9);
    let (apollo_version, graphql_version, node) = (
        package_version("@apollo/server"),
        package_version("graphql"),
        node_version(),
    );
    println!(
        "\n{:<24} {:>10} {:>9} {:>9} {:>9} {:>10} {:>8}",
        "", "req/s", "p50 ms", "p99 ms", "max ms", "requests", "wrong"
    );
    row("sellout-gateway (ours)", &ours);
    row("  page cache off", &uncached);
    row(&format!("apollo server {apollo_version}"), &base);
    println!(
        "ratio ours/Apollo: {ratio:.2}× the requests/s (p99 {:.2} ms vs {:.2} ms); goal ≥ 10,000 req/s and ≥ 6×: {}",
        ours.q(0.99),
        base.q(0.99),
        if ours.rps() >= 10_000.0 && ratio >= 6.0 {
            "met"
        } else {
            "not met"
        }
    );
    println!(
        "with the page cache off: {:.2}× Apollo's requests/s",
        uncached.rps() / base.rps().max(1e-9)
    );
    for (name, l) in [
        ("ours", &ours),
        ("ours, page cache off", &uncached),
        ("apollo", &base),
    ] {
        if let Some(p) = &l.first_problem {
            println!("first wrong answer ({name}): {p}");
        }
    }
    if let Err(e) = &after {
        println!("after the run our page is no longer the staged one: {e}");
    }
    println!(
        "\nholds, one per buyer ({hold_buyers} buyers, {connections} at a time)\n{:<28} {:>9} {:>9} {:>9} {:>7} {:>8}",
        "", "holds/s", "p50 ms", "p99 ms", "granted", "refused"
    );
    direct.row("NATS, writer direct");
    through.row("GraphQL: startCheckout+hold");
    println!(
        "\norders through GraphQL ({order_buyers} buyers, {connections} at a time): {:.1} orders/s, p50 {:.0} ms, p99 {:.0} ms; {} placed, {} told sold out, {} failed, oversold {oversold}",
        orders.latencies.len() as f64 / orders.elapsed.as_secs_f64().max(1e-9),
        quantile(&orders.latencies, 0.5) * 1000.0,
        quantile(&orders.latencies, 0.99) * 1000.0,
        orders.latencies.len(),
        orders.sold_out,
        orders.failed,
    );
    if let Some(f) = &orders.first_failure {
        println!("first failed buyer: {f}");
    }
    if let Some(f) = &first_load {
        println!(
            "portal first load: {} bytes of JS on the wire ({} decoded), {} requests, interactive in {} ms (median of fresh visits, worst {} ms); budget {} kB of compressed JS: {}",
            f["js_wire_bytes"],
            f["js_decoded_bytes"],
            f["requests"],
            f["interactive_ms"]["median"],
            f["interactive_ms"]["max"],
            FIRST_LOAD_JS_BUDGET / 1024,
            if f["js_wire_bytes"]
                .as_u64()
                .is_some_and(|b| b <= FIRST_LOAD_JS_BUDGET)
            {
                "met"
            } else {
                "not met"
            }
        );
    }

    let invariants = json!({
        "wrong_answers": ours.wrong_answers() + uncached.wrong_answers(),
        "baseline_wrong_answers": base.wrong_answers(),
        "page_changed_after_run": usize::from(after.is_err()),
        "holds_refused": direct.refused + through.refused,
        "orders_failed": orders.failed,
        "oversold": oversold,
        "servers_without_answers": usize::from(ours.requests == 0)
            + usize::from(uncached.requests == 0)
            + usize::from(base.requests == 0),
    });
    let ok = ours.wrong_answers() == 0
        && direct.refused == 0
        && through.refused == 0
        && orders.failed == 0
        && !first_load.as_ref().is_some_and(|f| f["failed"] == true)
        && oversold == 0
        && !orders.latencies.is_empty()
        && uncached.wrong_answers() == 0
        && base.wrong_answers() == 0
        && uncached.requests > 0
        && after.is_ok()
        && ours.requests > 0
        && base.requests > 0;
    let mut baseline = figures(&base);
    baseline["server"] = json!(format!(
        "@apollo/server {apollo_version}, graphql {graphql_version}, Node {node}: one process, standalone server, the page from memory"
    ));
    let report = json!({
        "name": "graphql",
        "machine": {"cores": std::thread::available_parallelism().map_or(0, |n| n.get()), "cpu": cpu_model()},
        "params": {
            "connections": connections, "seconds": seconds, "warmup_seconds": warmup,
            "query": QUERY, "tiers": TIERS.len(),
            "held": TIERS.iter().map(|t| (t.name, t.held)).collect::<std::collections::BTreeMap<_, _>>(),
            "goal": {"requests_per_second": 10_000, "ratio": 6.0},
            "smoke": smoke,
        },
        "figures": figures(&ours),
        "page_cache_off": figures(&uncached),
        "baseline": baseline,
        "ratio": {
            "requests_per_second": round(ratio),
            "requests_per_second_page_cache_off": round(uncached.rps() / base.rps().max(1e-9)),
            "p99_apollo_over_ours": round(p99_ratio),
        },
        "hold_path": {
            "buyers": hold_buyers, "concurrency": connections,
            "graphql": through.figures(),
            "baseline_nats": direct.figures(),
            "ratio_graphql_buyers_per_second_over_nats_holds_per_second": round(
                through.latencies.len() as f64 / through.elapsed.as_secs_f64().max(1e-9)
                    / (direct.latencies.len() as f64 / direct.elapsed.as_secs_f64().max(1e-9)).max(1e-9)
            ),
        },
        "purchase_path": {
            "buyers": order_buyers, "concurrency": connections, "tier": ORDER_TIER,
            "tickets": student, "payment": "pm_card_visa confirmed on the server, through localstripe",
            "figures": orders.figures(),
        },
        "portal_first_load": first_load,
        "invariants": invariants,
        "ok": ok,
    });
    let path = write_report("graphql", &report);
    println!("ok: {ok}\nwrote {}", path.display());
    if !ok {
        std::process::exit(1);
    }
}
