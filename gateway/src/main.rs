//! `sellout-gateway`: the GraphQL gateway every Sellout client talks to
//! (`/graphql`, GraphiQL in a browser, subscriptions over graphql-ws), plus
//! `/webhooks/stripe`, `/exports/<kind>.csv`, `/healthz`, `/readyz` and
//! `/metrics`. See the crate docs for what is built so far.

use anyhow::Context as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use sellout_client::{Secret, WebhookVerifier};
use sellout_common::telemetry::{self, LogArgs};
use sellout_gateway::auth::Auth;
use sellout_gateway::auth::codes::CodePolicy;
use sellout_gateway::auth::delivery::Messenger;
use sellout_gateway::auth::login::{LoginConfig, Logins};
use sellout_gateway::catalog::Catalog;
use sellout_gateway::{http, schema, schema::Deps};
use sellout_notify::cli::{SmsArgs, SmtpArgs};
use sellout_notify::sms::SmsClient;

/// The Sellout GraphQL gateway.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SELLOUT_GATEWAY_LISTEN", default_value = "127.0.0.1:4000")]
    listen: std::net::SocketAddr,
    /// Serve `/metrics` on this address only (e.g. `0.0.0.0:9090`, for
    /// Prometheus inside the cluster) instead of on the public listener,
    /// where anyone could read the platform's figures.
    #[arg(long, env = "SELLOUT_GATEWAY_METRICS_LISTEN")]
    metrics_listen: Option<std::net::SocketAddr>,
    /// Turn GraphQL introspection off (production): the schema no longer
    /// describes itself to anyone who asks; GraphiQL and code generators
    /// then need the checked-in `gateway/schema.graphql`.
    #[arg(long, env = "SELLOUT_GATEWAY_NO_INTROSPECTION")]
    no_introspection: bool,
    /// NATS server URL (the checkout workers).
    #[arg(long, env = "SELLOUT_NATS_URL", hide_env_values = true)]
    nats_url: String,
    /// The gateway's NATS user.
    #[command(flatten)]
    nats_credentials: sellout_common::nats_auth::NatsCredentials,
    /// The gateway's NATS user in the LOGIN account (the login buckets).
    #[command(flatten)]
    nats_login_credentials: sellout_common::nats_auth::NatsLoginCredentials,
    /// File holding the Stripe webhook signing secret: deliveries with a
    /// bad signature are refused here already (the worker checks again).
    #[arg(long, env = "SELLOUT_STRIPE_WEBHOOK_SECRET_FILE")]
    stripe_webhook_secret_file: Option<PathBuf>,
    /// MongoDB URI (orders and the other read models).
    #[arg(long, env = "SELLOUT_MONGO_URI", hide_env_values = true)]
    mongo_uri: String,
    /// MongoDB database.
    #[arg(long, env = "SELLOUT_MONGO_DATABASE", default_value = "sellout")]
    mongo_database: String,
    /// Directory of JWT signing keys (a mounted Secret): one file of 32 or
    /// more random bytes per key, the file name is the key id. Every key
    /// verifies; the signing key signs.
    #[arg(long, env = "SELLOUT_JWT_KEYS_DIR")]
    jwt_keys_dir: PathBuf,
    /// Key id (file name) that signs new tokens; default: the last by name.
    #[arg(long, env = "SELLOUT_JWT_SIGNING_KEY")]
    jwt_signing_key: Option<String>,
    /// Where clients reach this gateway, as the base of the links it
    /// hands out (CSV export links): scheme, host, optional port and path
    /// prefix, e.g. `https://api.example.com`.
    #[arg(
        long,
        env = "SELLOUT_PUBLIC_URL",
        default_value = schema::DEFAULT_PUBLIC_URL
    )]
    public_url: String,
    /// Lifetime of CSV export links, in seconds (each download checks the
    /// role again).
    #[arg(long, env = "SELLOUT_EXPORT_LINK_SECONDS", default_value_t = 300)]
    export_link_seconds: u64,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "SELLOUT_ACCESS_TOKEN_SECONDS", default_value_t = 900)]
    access_token_seconds: u64,
    /// Namespace of the platform's own Organization: its SUPER_USER members
    /// are platform staff.
    #[arg(
        long,
        env = "SELLOUT_PLATFORM_NAMESPACE",
        default_value = "sellout-system"
    )]
    platform_namespace: String,
    /// A web origin (`https://app.example.com`) whose pages may call the
    /// gateway from a browser (CORS); repeatable. Every Organization's
    /// `spec.embedOrigins` are allowed too.
    #[arg(
        long = "cors-origin",
        env = "SELLOUT_CORS_ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
    /// How many answers to the public event page to keep in memory, each
    /// served again only while the catalog and the live figures it shows
    /// are unchanged (see docs/gateway.md, "Page cache"); 0 turns it off.
    #[arg(long, env = "SELLOUT_PAGE_CACHE_ENTRIES", default_value_t = http::DEFAULT_PAGE_CACHE_ENTRIES)]
    page_cache_entries: usize,
    /// Directory with GraphiQL's files (`scripts/tools.sh graphiql` puts them
    /// in `~/.cache/sellout/share/graphiql`): GraphiQL at `GET /graphql` is
    /// then served entirely by the gateway. Without it the page loads
    /// GraphiQL from the esm.sh CDN.
    #[arg(long, env = "SELLOUT_GRAPHIQL_ASSETS")]
    graphiql_assets: Option<std::path::PathBuf>,
    /// Directory of the scanner app's build (`npm run build` writes
    /// `mobile/dist`), served at `/scanner/` for door staff's phones.
    #[arg(long, env = "SELLOUT_SCANNER_APP")]
    scanner_app: Option<std::path::PathBuf>,
    /// Directory of the purchase portal's build (`npm run build` writes
    /// `web/dist`), served at `/portal/`, with `/embed.js` for promoters'
    /// sites.
    #[arg(long, env = "SELLOUT_PORTAL_APP")]
    portal_app: Option<std::path::PathBuf>,
    /// Directory of Backstage's build (`npm run build` writes
    /// `web/dist-backstage`), the promoters' back office, served at
    /// `/backstage/` and never framed by another site.
    #[arg(long, env = "SELLOUT_BACKSTAGE_APP")]
    backstage_app: Option<std::path::PathBuf>,
    /// The host name Backstage is served on (e.g.
    /// `backstage.example.com`, pointing at this gateway): Backstage then
    /// answers there only, and the portal and scanner app never do, so no
    /// script on a portal page (a promoter's analytics tag) can read a
    /// promoter's session. Unset: Backstage shares the portal's origin
    /// (fine on a laptop, warned about at start).
    #[arg(long, env = "SELLOUT_BACKSTAGE_HOST")]
    backstage_host: Option<String>,
    /// The platform's Stripe publishable key (`pk_live_…` or
    /// `pk_test_…`), which the portal's Stripe.js uses to take cards. Not
    /// a secret; without it the portal takes no card payments.
    #[arg(long, env = "SELLOUT_STRIPE_PUBLISHABLE_KEY")]
    stripe_publishable_key: Option<String>,
    /// Where the portal loads Stripe.js from: Stripe's, or a local
    /// stand-in (localstripe serves one at `<its URL>/js.stripe.com/v3/`).
    #[arg(long, env = "SELLOUT_STRIPE_JS_URL", default_value = schema::STRIPE_JS_URL)]
    stripe_js_url: String,
    /// Lifetime of refresh tokens, in seconds (each use rotates the token
    /// and starts a new lifetime).
    #[arg(long, env = "SELLOUT_REFRESH_TOKEN_SECONDS", default_value_t = 30 * 24 * 3600)]
    refresh_token_seconds: u64,
    /// Lifetime of login codes, in seconds.
    #[arg(long, env = "SELLOUT_LOGIN_CODE_SECONDS", default_value_t = 600)]
    login_code_seconds: u64,
    /// Login codes one e-mail address or phone number may ask for per hour.
    #[arg(long, env = "SELLOUT_LOGIN_CODES_PER_LOGIN", default_value_t = 5)]
    login_codes_per_login: u32,
    /// Login codes one client address (IPv6: one /64) may ask for per hour.
    #[arg(long, env = "SELLOUT_LOGIN_CODES_PER_ADDRESS", default_value_t = 20)]
    login_codes_per_address: u32,
    /// Take the client's address from the last `X-Forwarded-For` entry
    /// (only behind a proxy that sets it, e.g. the ingress); otherwise
    /// the connection's address is used.
    #[arg(long, env = "SELLOUT_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// An address range (CIDR, e.g. `10.0.0.0/8`) of proxies in front of
    /// the gateway; repeatable. A request from one of them counts as from
    /// the first `X-Forwarded-For` hop from the right outside these ranges
    /// (login-code limits, hold caps). Takes precedence over
    /// --trust-forwarded-for.
    #[arg(
        long = "trusted-proxy",
        env = "SELLOUT_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Where login codes are mailed (the workers' flags).
    #[command(flatten)]
    smtp: SmtpArgs,
    /// Where login codes are texted (the workers' flags).
    #[command(flatten)]
    sms: SmsArgs,
    #[command(flatten)]
    log: LogArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    telemetry::finish(run(args).await).await
}

async fn run(args: Args) -> anyhow::Result<()> {
    let kube = kube::Client::try_default()
        .await
        .context("no Kubernetes API (in-cluster config or KUBECONFIG)")?;
    let nats = args
        .nats_credentials
        .options(&sellout_common::nats_auth::Component::Gateway.inbox_prefix())?
        .retry_on_initial_connect()
        .connect(args.nats_url.as_str())
        .await
        .context("invalid --nats-url")?;
    let public_url = args.public_url.trim_end_matches('/').to_owned();
    if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
        anyhow::bail!(
            "--public-url {public_url:?} is not an http(s) URL: use e.g. https://api.example.com"
        );
    }
    if let Some(bad) = args.cors_origins.iter().find(|o| !http::valid_origin(o)) {
        anyhow::bail!(
            "--cors-origin {bad:?} is not a web origin: use scheme and host, optional port, no path (https://app.example.com)"
        );
    }
    let webhook = match &args.stripe_webhook_secret_file {
        Some(file) => {
            let secret = std::fs::read_to_string(file)
                .with_context(|| format!("--stripe-webhook-secret-file {}", file.display()))?;
            Some(WebhookVerifier::new(Secret::new(secret.trim_end())))
        }
        None => None,
    };
    let mut auth = Auth::from_dir(
        &args.jwt_keys_dir,
        args.jwt_signing_key.as_deref(),
        args.platform_namespace.clone(),
    )?;
    auth.access_ttl = Duration::from_secs(args.access_token_seconds);
    auth.refresh_ttl = Duration::from_secs(args.refresh_token_seconds);
    auth.export_ttl = Duration::from_secs(args.export_link_seconds);
    let messenger = Messenger {
        mail: args.smtp.mailer()?,
        sms: match args.sms.config() {
            Some(c) => Some(SmsClient::new(&c).context("SMS")?),
            None => None,
        },
    };
    if messenger.mail.is_none() {
        tracing::warn!("no --smtp-host: login codes cannot be sent by e-mail");
    }
    if messenger.sms.is_none() {
        tracing::warn!("no --sms-api-base: login codes cannot be sent by SMS");
    }
    let login_config = LoginConfig {
        policy: CodePolicy {
            code_ttl_ms: i64::try_from(args.login_code_seconds.saturating_mul(1000))
                .unwrap_or(i64::MAX),
            ..CodePolicy::default()
        },
        per_login: args.login_codes_per_login,
        per_address: args.login_codes_per_address,
        trust_forwarded_for: args.trust_forwarded_for,
        ..LoginConfig::default()
    };
    let login_nats = if args.nats_login_credentials.is_set() {
        args.nats_login_credentials
            .options(&args.nats_credentials.tls)?
            .retry_on_initial_connect()
            .connect(args.nats_url.as_str())
            .await
            .context("invalid --nats-url")?
    } else if args.nats_credentials.is_set() {
        anyhow::bail!(
            "--nats-creds-file needs --nats-login-creds-file too: the login buckets live in the NATS account LOGIN, which the gateway's SELLOUT user cannot reach"
        );
    } else {
        // A NATS without accounts (no credentials at all): one connection
        // reaches everything.
        nats.clone()
    };
    let logins = Arc::new(Logins::new(
        login_nats,
        messenger,
        login_config,
        auth.access_ttl,
        auth.refresh_ttl,
    ));
    logins.start();
    auth.logins = Some(logins);
    auth.trusted_proxies = args.trusted_proxies.clone();
    let mongo = mongodb::Client::with_uri_str(&args.mongo_uri)
        .await
        .context("invalid --mongo-uri")?
        .database(&args.mongo_database);
    tokio::spawn(sellout_store::orders::ensure_indexes_in_background(
        mongo.clone(),
    ));
    let catalog = Catalog::start(kube.clone());
    let deps = Deps {
        kube,
        catalog,
        nats,
        mongo,
        auth: Arc::new(auth),
        live_timeout: Duration::from_millis(500),
        public_url,
        stripe_js: schema::StripeJs {
            publishable_key: args.stripe_publishable_key.clone(),
            url: args.stripe_js_url.clone(),
        },
    };
    let graphiql = match &args.graphiql_assets {
        Some(dir) => Some(Arc::new(
            sellout_gateway::graphiql::Assets::load(dir).map_err(|e| anyhow::anyhow!(e))?,
        )),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(listen = %args.listen, "sellout-gateway serving /graphql (GraphiQL in a browser)");
    let opts = http::HttpOptions {
        cors_origins: args.cors_origins,
        page_cache_entries: args.page_cache_entries,
        graphiql,
        scanner_app: args.scanner_app,
        portal_app: args.portal_app,
        backstage_app: args.backstage_app,
        backstage_host: args.backstage_host,
        public_metrics: args.metrics_listen.is_none(),
        introspection: !args.no_introspection,
        ..Default::default()
    };
    let (public, internal) = http::routers(deps, webhook, opts);
    if let Some(addr) = args.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} (--metrics-listen)"))?;
        tracing::info!(listen = %addr, "serving /metrics");
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, internal).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    axum::serve(
        listener,
        public.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    })
    .await?;
    Ok(())
}
