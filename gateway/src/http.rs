//! The gateway's HTTP routes: `/graphql` (GraphiQL on GET, queries and
//! mutations on POST, subscriptions over graphql-ws on a websocket
//! upgrade of `/graphql` or `/graphql/ws`), `/healthz`, `/readyz`,
//! `/metrics`, `/webhooks/stripe` and `/exports/<kind>.csv` (CSV downloads
//! behind short-lived links, [`crate::export`]); and the edges every route shares:
//! CORS for the configured web origins and the organizations' embed
//! origins, and request ids (`x-request-id`, echoed, in the request's
//! span and carried into NATS with a W3C `traceparent`).

use std::sync::Arc;
use std::time::Duration;

use async_graphql::Data;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use prost::Message;
use sellout_client::WebhookVerifier;
use sellout_client::webhook::SIGNATURE_HEADER;
use sellout_common::names::Names;
use sellout_common::proto::v1::{ErrorCode, OrderReply, StripeWebhook, order_reply};
use sellout_common::trace;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

use crate::auth::{Auth, Viewer};
use crate::catalog::Catalog;
use crate::graphiql;
use crate::limits::{self, MAX_BODY_BYTES};
use crate::live::{Live, LiveConfig};
use crate::metrics::Metrics;
use crate::page_cache::{self, MAX_KEY_BYTES, PageCache, PageDeps};
use crate::schema::{Deps, GatewaySchema};

/// Shared state of the routes.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: GatewaySchema,
    /// What the schema uses (also for readiness).
    pub deps: Deps,
    /// Checks Stripe's signature before forwarding, when the gateway has
    /// the webhook secret (the worker checks it again).
    pub webhook: Option<Arc<WebhookVerifier>>,
    /// What `/metrics` shows.
    pub metrics: Arc<Metrics>,
    /// The live availability cache (the page cache checks it).
    pub live: Live,
    /// Kept answers to the public event page; `None` when off.
    pub page_cache: Option<Arc<PageCache>>,
    /// GraphiQL's files, when the gateway serves them itself.
    pub graphiql: Option<Arc<graphiql::Assets>>,
}

/// How the HTTP edges are set up.
#[derive(Clone, Debug)]
pub struct HttpOptions {
    /// Web origins (`https://app.example.com`) whose pages may call the
    /// gateway from a browser, besides every Organization's
    /// `spec.embedOrigins`.
    pub cors_origins: Vec<String>,
    /// Timings of the live availability cache (its seed timeout is the
    /// Deps' `live_timeout`).
    pub live: LiveConfig,
    /// How many answers to the public event page to keep ([`PageCache`]);
    /// 0 turns the cache off.
    pub page_cache_entries: usize,
    /// GraphiQL's files, served by the gateway itself; `None`: GraphiQL
    /// comes from its CDN.
    pub graphiql: Option<Arc<graphiql::Assets>>,
    /// The scanner app's build (`mobile/dist`), served at `/scanner/`;
    /// `None`: not served.
    pub scanner_app: Option<std::path::PathBuf>,
    /// The purchase portal's build (`web/dist`), served at `/portal/`
    /// (pages framed only by their organization's `embedOrigins`, see
    /// [`portal_headers`]) with its `embed.js` at `/embed.js`; `None`: not
    /// served.
    pub portal_app: Option<std::path::PathBuf>,
    /// Backstage's build (`web/dist-backstage`), served at `/backstage/`
    /// (see [`backstage_headers`]); `None`: not served.
    pub backstage_app: Option<std::path::PathBuf>,
    /// The host name Backstage alone is served on (see
    /// [`backstage_host_split`]); `None`: it shares the portal's origin.
    pub backstage_host: Option<String>,
    /// Whether `/metrics` is on this router (else only on the one
    /// [`routers`] returns second, for a port of its own).
    pub public_metrics: bool,
    /// Whether the schema answers introspection.
    pub introspection: bool,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            cors_origins: Vec::new(),
            live: LiveConfig::default(),
            page_cache_entries: DEFAULT_PAGE_CACHE_ENTRIES,
            graphiql: None,
            scanner_app: None,
            portal_app: None,
            backstage_app: None,
            backstage_host: None,
            public_metrics: true,
            introspection: true,
        }
    }
}

/// [`HttpOptions::page_cache_entries`] unless told otherwise.
pub const DEFAULT_PAGE_CACHE_ENTRIES: usize = 1024;

/// Whether `origin` is a web origin as browsers send it:
/// `http(s)://host[:port]`, nothing after.
pub fn valid_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// Whether a browser page of `origin` may call the gateway: a configured
/// origin or an organization's embed origin (compared case-insensitively,
/// a trailing `/` ignored).
fn origin_allowed(origin: &str, configured: &[String], catalog: &Catalog) -> bool {
    let same = |o: &str| o.trim_end_matches('/').eq_ignore_ascii_case(origin);
    configured.iter().any(|o| same(o))
        || catalog
            .organizations()
            .iter()
            .any(|org| org.spec.embed_origins.iter().any(|o| same(&o.0)))
}

/// The router, with the default options.
pub fn router(deps: Deps, webhook: Option<WebhookVerifier>) -> Router {
    router_with(deps, webhook, HttpOptions::default())
}

/// The router.
pub fn router_with(deps: Deps, webhook: Option<WebhookVerifier>, opts: HttpOptions) -> Router {
    routers(deps, webhook, opts).0
}

/// The public router and one with `/metrics` alone (to serve on an
/// internal port when [`HttpOptions::public_metrics`] is off).
pub fn routers(
    deps: Deps,
    webhook: Option<WebhookVerifier>,
    opts: HttpOptions,
) -> (Router, Router) {
    let live = Live::new(
        deps.nats.clone(),
        LiveConfig {
            seed_timeout: deps.live_timeout,
            ..opts.live
        },
    );
    let metrics = Arc::new(Metrics::new(live.clone()));
    let state = AppState {
        schema: crate::schema::schema_built(
            deps.clone(),
            live.clone(),
            metrics.clone(),
            opts.introspection,
        ),
        deps: deps.clone(),
        webhook: webhook.map(Arc::new),
        metrics: metrics.clone(),
        live,
        page_cache: PageCache::new(opts.page_cache_entries).map(Arc::new),
        graphiql: opts.graphiql,
    };
    let configured = Arc::new(opts.cors_origins);
    let catalog = deps.catalog.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| {
            origin
                .to_str()
                .is_ok_and(|o| origin_allowed(o, &configured, &catalog))
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static(trace::REQUEST_ID),
            HeaderName::from_static(trace::TRACEPARENT),
        ])
        .expose_headers([HeaderName::from_static(trace::REQUEST_ID)])
        .max_age(Duration::from_secs(600));
    let mut router = Router::new();
    if let Some(dir) = &opts.scanner_app {
        router = router.nest_service("/scanner", single_page_app(dir));
    }
    if let Some(dir) = &opts.portal_app {
        // Compressed on the way out (brotli or gzip, as the browser
        // accepts): the first load of a phone in a flash sale.
        let portal: Router = single_page_app(dir)
            .layer(axum::middleware::from_fn_with_state(
                deps.catalog.clone(),
                portal_headers,
            ))
            .layer(tower_http::compression::CompressionLayer::new());
        router = router.nest_service("/portal", portal).route_service(
            "/embed.js",
            tower_http::services::ServeFile::new(dir.join("embed.js")),
        );
    }
    if let Some(dir) = &opts.backstage_app {
        let backstage: Router = single_page_app(dir)
            .layer(axum::middleware::from_fn(backstage_headers))
            .layer(tower_http::compression::CompressionLayer::new());
        router = router.nest_service("/backstage", backstage);
        match &opts.backstage_host {
            Some(host) => tracing::info!(host, "Backstage is served on its own host"),
            None => tracing::warn!(
                "Backstage shares the portal's origin, where promoters' analytics tags run: give it a host of its own with --backstage-host"
            ),
        }
    }
    if opts.public_metrics {
        router = router.route("/metrics", get(metrics_text));
    }
    let internal = Router::new()
        .route("/metrics", get(metrics_text))
        .with_state(state.clone());
    let public = router
        .route("/graphql", get(graphql_get).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/graphiql/{file}", get(graphiql_file))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/webhooks/stripe", post(stripe_webhook))
        .route("/exports/{file}", get(crate::export::download))
        .route(
            "/feeds/{namespace}/events.json",
            get(crate::feed::events_json),
        )
        .with_state(state)
        .layer(cors);
    // Outside every route: the split decides for all of them.
    let public = match opts
        .backstage_host
        .as_deref()
        .filter(|_| opts.backstage_app.is_some())
    {
        Some(host) => public.layer(axum::middleware::from_fn_with_state(
            Arc::<str>::from(normal_host(host)),
            backstage_host_split,
        )),
        None => public,
    };
    let public = public.layer(axum::middleware::from_fn_with_state(
        metrics,
        request_context,
    ));
    (public, internal)
}

/// A built single-page app in `dir`: its files, and `index.html` for every
/// other path (the app routes those itself), except under `assets/`: a
/// built asset that is not there answers 404, never a page that the
/// browser would then keep as that asset for a year.
fn single_page_app(dir: &std::path::Path) -> Router {
    use tower_http::services::{ServeDir, ServeFile};
    Router::new()
        .nest_service("/assets", ServeDir::new(dir.join("assets")))
        .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html"))))
}

/// The `Content-Security-Policy` of a portal page `/portal/<namespace>/…`:
/// `frame-ancestors` the gateway's own origin and the `embedOrigins` of
/// the namespace's Organizations, so that a browser shows the page in an
/// iframe only on the promoter's own sites (no other site can frame the
/// checkout to trick buyers into clicking). Paths of no organization get
/// `'self'` alone.
pub fn frame_ancestors(catalog: &Catalog, path: &str) -> String {
    let namespace = path.trim_start_matches('/').split('/').next().unwrap_or("");
    let mut policy = String::from("frame-ancestors 'self'");
    if namespace.is_empty() {
        return policy;
    }
    for org in catalog.organizations_in(namespace) {
        for origin in &org.spec.embed_origins {
            let o = origin.0.trim_end_matches('/');
            if valid_origin(o) && !policy.split(' ').any(|p| p == o) {
                policy.push(' ');
                policy.push_str(o);
            }
        }
    }
    policy
}

/// Sets [`frame_ancestors`] on every answer of the portal.
async fn portal_headers(State(catalog): State<Catalog>, req: Request, next: Next) -> Response {
    // The path as requested (a nested router sees it without `/portal`).
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| req.uri().path(), |u| u.0.path())
        .to_owned();
    let path = path.strip_prefix("/portal").unwrap_or(&path).to_owned();
    let policy = frame_ancestors(&catalog, &path);
    let mut resp = next.run(req).await;
    let status = resp.status();
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control_of(&path, "/assets/", status)),
    );
    resp
}

/// Backstage's answers: never framed (`frame-ancestors 'none'`: no site
/// can overlay the back office to trick a promoter into a refund or a
/// role change), no referrer beyond the gateway, built assets cached for
/// good and pages revalidated.
async fn backstage_headers(req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| req.uri().path(), |u| u.0.path())
        .to_owned();
    let mut resp = next.run(req).await;
    let status = resp.status();
    let headers = resp.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control_of(&path, "/backstage/assets/", status)),
    );
    resp
}

/// A host name as compared: lower-case, without a trailing dot.
fn normal_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The host name a request is for (the authority of an absolute-form or
/// HTTP/2 request, else its `Host`), normalised, without the port.
fn request_host(req: &Request) -> Option<String> {
    let authority = match req.uri().authority() {
        Some(a) => a.as_str(),
        None => req.headers().get(header::HOST)?.to_str().ok()?,
    };
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    Some(normal_host(host))
}

/// Whether a request on Backstage's own host is one Backstage makes: its
/// pages and assets, GraphQL over POST or a WebSocket, export downloads,
/// health checks. Nothing else is served there: not the portal, the
/// scanner or `embed.js`, and not GraphiQL (its page loads scripts from a
/// CDN, which would then run on Backstage's origin).
fn backstage_may_serve(req: &Request) -> bool {
    let path = req.uri().path();
    under(path, "/backstage")
        || under(path, "/exports")
        || path == "/graphql/ws"
        || (path == "/graphql" && (req.method() != Method::GET || websocket_upgrade(req)))
        || path == "/healthz"
        || path == "/readyz"
}

/// Whether `path` is `prefix` or lies below it (`/backstage`,
/// `/backstage/…`, not `/backstages`).
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Whether `req` asks to become a WebSocket.
fn websocket_upgrade(req: &Request) -> bool {
    req.headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// With `--backstage-host`, Backstage gets an origin of its own: it is
/// served on that host only, and nothing else a browser would run is
/// served there ([`backstage_may_serve`]), so browsers keep its session
/// apart from every script a portal page loads (a promoter's analytics
/// tags). The API is served on every host.
async fn backstage_host_split(State(host): State<Arc<str>>, req: Request, next: Next) -> Response {
    let on_backstage = request_host(&req).as_deref() == Some(&*host);
    if on_backstage && !backstage_may_serve(&req) {
        return (
            StatusCode::NOT_FOUND,
            "This is Backstage's address: the purchase portal, the scanner app and GraphiQL are served at the platform's public address.\n",
        )
            .into_response();
    }
    if !on_backstage && under(req.uri().path(), "/backstage") {
        return (
            StatusCode::NOT_FOUND,
            format!("Backstage is served at {host} only.\n"),
        )
            .into_response();
    }
    next.run(req).await
}

/// Vite names built assets by their content: cached for good. Pages are
/// asked again each time, so a new build is seen at once; so is an asset
/// that was missing (answered with an error).
fn cache_control_of(path: &str, assets: &str, status: StatusCode) -> &'static str {
    if path.starts_with(assets) && (status.is_success() || status == StatusCode::NOT_MODIFIED) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Every request: its id (the caller's `x-request-id` if sane, else a new
/// UUID) and trace context, set as the task's [`trace`] context (so NATS
/// requests carry them), a span with both, the id echoed on the response,
/// and the response counted.
async fn request_context(
    State(metrics): State<Arc<Metrics>>,
    mut req: Request,
    next: Next,
) -> Response {
    let request_id = req
        .headers()
        .get(trace::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| trace::valid_request_id(id))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let ctx = trace::Context {
        request_id: request_id.clone(),
    };
    // Named by method and route prefix only: paths carry ids and slugs.
    let route = match req.uri().path() {
        p if p.starts_with("/graphql") => "/graphql",
        p if p.starts_with("/webhooks/") => "/webhooks",
        p if p.starts_with("/exports/") => "/exports",
        p if p.starts_with("/portal") => "/portal",
        p if p.starts_with("/backstage") => "/backstage",
        p if p.starts_with("/scanner") => "/scanner",
        _ => "other",
    };
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "HEAD" | "OPTIONS" | "PUT" | "PATCH" | "DELETE") => m,
        _ => "OTHER",
    };
    // Probes and scrapes, every few seconds from each kubelet and
    // Prometheus, are not traced (a debug span: logged at debug only).
    let probe = matches!(req.uri().path(), "/healthz" | "/readyz" | "/metrics");
    let span = if probe {
        tracing::debug_span!(
            "http",
            method,
            path = %req.uri().path(),
            request_id = %request_id,
            trace_id = tracing::field::Empty,
        )
    } else {
        tracing::info_span!(
            "http",
            otel.name = format!("{method} {route}"),
            otel.kind = "server",
            method,
            path = %req.uri().path(),
            request_id = %request_id,
            trace_id = tracing::field::Empty,
        )
    };
    // The caller's trace continues (a valid `traceparent`), else a new
    // one starts here.
    trace::continue_http_trace(&span, req.headers());
    span.record("trace_id", trace::trace_id(&span).as_str());
    let id_value = HeaderValue::from_str(&request_id).expect("request ids are header-safe");
    req.headers_mut()
        .insert(trace::REQUEST_ID, id_value.clone());
    req.extensions_mut().insert(ctx.clone());
    let mut resp = trace::scope(ctx, next.run(req)).instrument(span).await;
    resp.headers_mut().insert(trace::REQUEST_ID, id_value);
    metrics.http_response(resp.status().as_u16());
    resp
}

async fn metrics_text(State(s): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            sellout_common::telemetry::METRICS_CONTENT_TYPE,
        )],
        s.metrics.encode(),
    )
}

/// `GET /graphql`: a graphql-ws websocket when upgrading, else GraphiQL.
async fn graphql_get(
    state: State<AppState>,
    peer: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    req: Request,
) -> Response {
    if websocket_upgrade(&req) {
        graphql_ws(state, peer, req).await
    } else {
        graphiql_page(&state.0)
    }
}

/// GraphiQL: from the gateway's own files when it has them, else from the
/// CDN.
fn graphiql_page(s: &AppState) -> Response {
    match &s.graphiql {
        Some(_) => Html(graphiql::local_page()).into_response(),
        None => Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
        .into_response(),
    }
}

/// `GET /graphiql/<file>`: GraphiQL's files (404 when not served here).
async fn graphiql_file(
    State(s): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    s.graphiql
        .as_ref()
        .and_then(|a| a.file(&file))
        .unwrap_or_else(|| (StatusCode::NOT_FOUND, "no such GraphiQL file\n").into_response())
}

/// The `Authorization` value of a graphql-ws `connection_init` payload:
/// `{"Authorization": "Bearer …"}` (any case), or the same under
/// `"headers"`.
fn init_authorization(payload: &serde_json::Value) -> Option<String> {
    let find = |v: &serde_json::Value| {
        v.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_owned)
    };
    find(payload).or_else(|| find(payload.get("headers")?))
}

/// A graphql-ws (or legacy subscriptions-transport-ws) connection. The
/// access token comes in the `connection_init` payload (browsers cannot
/// set headers on websockets), or else the upgrade request's
/// `Authorization` header, and makes the same [`Viewer`] as on HTTP.
async fn graphql_ws(
    State(s): State<AppState>,
    peer: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    req: Request,
) -> Response {
    let (mut parts, _) = req.into_parts();
    // The client's address, as on HTTP (login-code and hold caps).
    let ip = s.deps.auth.client_ip(&parts.headers, peer.map(|p| p.0.0));
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &()).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let ctx = parts.extensions.get::<trace::Context>().cloned();
    let span = tracing::Span::current();
    let from_header = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let auth: Arc<Auth> = s.deps.auth.clone();
    let schema = s.schema.clone();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(MAX_BODY_BYTES)
        .on_upgrade(move |socket| {
            let serve = GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let authorization = init_authorization(&payload).or(from_header);
                    let viewer: Viewer = auth.viewer(authorization.as_deref());
                    let mut data = Data::default();
                    data.insert(viewer);
                    // Each operation on the socket checks the token again
                    // (expiry, logout): see `limits::SocketViewer`.
                    data.insert(crate::limits::SocketAuthorization(authorization));
                    data.insert(ip);
                    Ok(data)
                })
                .keepalive_timeout(Duration::from_secs(60))
                .serve();
            // The socket's requests (subscriptions' NATS requests) stay in
            // the upgrade request's trace.
            trace::within(ctx, serve).instrument(span)
        })
}

/// `POST /graphql`. Bodies over [`MAX_BODY_BYTES`] are refused (413,
/// `REQUEST_TOO_LARGE`). An anonymous JSON body small enough to be a key is
/// first looked up in the [`PageCache`]; a public query's answer is kept
/// for the next identical request.
async fn graphql(
    State(s): State<AppState>,
    peer: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    req: Request,
) -> Response {
    let started = std::time::Instant::now();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return limits::too_large();
    };
    let key = match &s.page_cache {
        Some(cache) if page_candidate(&parts.headers, &bytes) => {
            if let Some(hit) = cache.get(&bytes, &s.deps.catalog, &s.live) {
                s.metrics.page_hit(started.elapsed());
                let mut resp = Response::new(axum::body::Body::from(hit.body));
                if let Some(ct) = hit.content_type {
                    resp.headers_mut().insert(header::CONTENT_TYPE, ct);
                }
                return resp;
            }
            Some(bytes.clone())
        }
        _ => None,
    };
    let body = axum::body::Body::from(bytes);
    let headers = parts.headers.clone();
    let req = match GraphQLRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(
        Request::from_parts(parts, body),
        &(),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return limits::bad_body(e.0),
    };
    let authorization = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = s.deps.auth.viewer(authorization);
    // The client's address (login-code rate limits): serve the router
    // with `into_make_service_with_connect_info::<SocketAddr>()`.
    let ip = s.deps.auth.client_ip(&headers, peer.map(|p| p.0.0));
    let mut request = req.into_inner().data(viewer).data(ip);
    let track = match (&s.page_cache, key) {
        (Some(cache), Some(key)) if page_cache::cacheable(&request) => {
            let deps = Arc::new(PageDeps::default());
            request = request.data(deps.clone());
            s.metrics.page_miss();
            Some((cache, key, deps, s.deps.catalog.generation()))
        }
        _ => None,
    };
    let resp = s.schema.execute(request).await;
    let ok = resp.is_ok();
    let resp = GraphQLResponse::from(resp).into_response();
    match track {
        Some((cache, key, deps, generation)) if ok && resp.status() == StatusCode::OK => {
            let (parts, body) = resp.into_parts();
            let Ok(answer) = axum::body::to_bytes(body, usize::MAX).await else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            cache.put(
                key,
                answer.clone(),
                parts.headers.get(header::CONTENT_TYPE).cloned(),
                generation,
                &deps,
            );
            Response::from_parts(parts, axum::body::Body::from(answer))
        }
        _ => resp,
    }
}

/// Whether a `POST /graphql` may be answered from the page cache: JSON, no
/// `Authorization`, a body small enough to be a key.
fn page_candidate(headers: &HeaderMap, body: &Bytes) -> bool {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    json && body.len() <= MAX_KEY_BYTES && !headers.contains_key(header::AUTHORIZATION)
}

async fn ready(State(s): State<AppState>) -> (StatusCode, String) {
    let nats = s.deps.nats.connection_state() == async_nats::connection::State::Connected;
    let api = tokio::time::timeout(Duration::from_secs(2), s.deps.kube.apiserver_version())
        .await
        .is_ok_and(|r| r.is_ok());
    let mongo = tokio::time::timeout(
        Duration::from_secs(2),
        s.deps.mongo.run_command(mongodb::bson::doc! {"ping": 1}),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    let catalog = s.deps.catalog.is_ready();
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    let body = format!(
        "nats: {}\napi server: {}\nmongodb: {}\ncatalog: {}\n",
        word(nats),
        word(api),
        word(mongo),
        if catalog { "synced" } else { "syncing" }
    );
    if nats && api && mongo && catalog {
        (StatusCode::OK, body)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

/// Which event a Stripe event is about: the `event_uid` metadata Sellout
/// puts on every PaymentIntent.
fn event_uid(payload: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
    v.pointer("/data/object/metadata/event_uid")?
        .as_str()
        .map(str::to_owned)
}

/// The event UID of the order paid by the PaymentIntent or legacy Charge
/// a webhook is about.
async fn webhook_payment_order(
    s: &AppState,
    body: &[u8],
) -> mongodb::error::Result<Option<String>> {
    let Ok(event) = sellout_client::webhook::parse_unverified(body) else {
        return Ok(None);
    };
    let order = sellout_store::orders::by_payment(
        &s.deps.mongo,
        event.object.payment_intent_id(),
        event.object.charge_id(),
    )
    .await?;
    Ok(order.map(|o| o.event_uid))
}

/// `POST /webhooks/stripe`: checks the signature (when the gateway has the
/// secret), hands the delivery to the checkout workers of the event named
/// in its metadata over NATS, and answers 2xx only once they have taken
/// it; Stripe retries anything else.
async fn stripe_webhook(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let (status, text) = forward_webhook(&s, &headers, body).await;
    s.metrics.webhook(match status {
        StatusCode::OK if text.starts_with("ignored") => "ignored",
        StatusCode::OK => "forwarded",
        StatusCode::BAD_REQUEST => "bad_signature",
        _ => "unavailable",
    });
    (status, text)
}

async fn forward_webhook(s: &AppState, headers: &HeaderMap, body: Bytes) -> (StatusCode, String) {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if let Some(v) = &s.webhook
        && let Err(e) = v.verify(&body, Some(&signature))
    {
        return (StatusCode::BAD_REQUEST, format!("{e}\n"));
    }
    let uid = match event_uid(&body) {
        Some(uid) => uid,
        // Refunds and disputes carry no metadata of ours: their payment
        // names the order, and the order its event.
        None => match webhook_payment_order(s, &body).await {
            Ok(Some(uid)) => uid,
            Ok(None) => {
                return (
                    StatusCode::OK,
                    "ignored: not about a Sellout order\n".into(),
                );
            }
            Err(e) => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("cannot look the payment's order up, retry: {e}\n"),
                );
            }
        },
    };
    let subject = Names::for_uid(&uid).subject("rpc.order.webhook");
    let msg = StripeWebhook {
        payload: body.to_vec(),
        signature,
    };
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        trace::request(&s.deps.nats, subject, msg.encode_to_vec().into(), None),
    )
    .await;
    match answer {
        Ok(Ok(m)) => match OrderReply::decode(m.payload.as_ref()) {
            Ok(OrderReply {
                result: Some(order_reply::Result::Webhook(done)),
            }) => (StatusCode::OK, format!("{done}\n")),
            Ok(OrderReply {
                result: Some(order_reply::Result::Error(e)),
            }) if e.code() == ErrorCode::BadSignature => {
                (StatusCode::BAD_REQUEST, format!("{}\n", e.message))
            }
            Ok(OrderReply {
                result: Some(order_reply::Result::Error(e)),
            }) if e.code() == ErrorCode::UnknownOrder => {
                (StatusCode::OK, format!("ignored: {}\n", e.message))
            }
            Ok(other) => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the checkout workers did not take it: {other:?}\n"),
            ),
            Err(e) => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("undecodable answer from the checkout workers: {e}\n"),
            ),
        },
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("no checkout worker took it ({e}); Stripe will retry\n"),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the checkout workers did not answer in time; Stripe will retry\n".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for good in ["https://shop.example.com", "http://localhost:5173"] {
            assert!(valid_origin(good), "{good}");
        }
        for bad in [
            "shop.example.com",
            "https://x.io/path",
            "ftp://x.io",
            "https://",
            "*",
        ] {
            assert!(!valid_origin(bad), "{bad}");
        }
    }

    #[test]
    fn the_websocket_token_comes_from_the_init_payload() {
        let v = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(
            init_authorization(&v(r#"{"Authorization": "Bearer t"}"#)).as_deref(),
            Some("Bearer t")
        );
        assert_eq!(
            init_authorization(&v(r#"{"headers": {"authorization": "Bearer u"}}"#)).as_deref(),
            Some("Bearer u")
        );
        assert_eq!(init_authorization(&v("null")), None);
        assert_eq!(init_authorization(&v(r#"{"Authorization": 3}"#)), None);
    }

    #[test]
    fn the_event_comes_from_the_payment_intents_metadata() {
        let body = br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","metadata":{"order_id":"o","event_uid":"u-1"}}}}"#;
        assert_eq!(event_uid(body).as_deref(), Some("u-1"));
        assert_eq!(event_uid(br#"{"data":{"object":{}}}"#), None);
        assert_eq!(event_uid(b"not json"), None);
    }
}
