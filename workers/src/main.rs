//! `sellout-worker`: the per-event worker, in its `checkout` or `scan` role.
//!
//! The checkout role serves the event's inventory (holds, releases, sales,
//! restocks, expiry; `sellout_workers::checkout`) and, given ticket keys,
//! its orders (`sellout_workers::orders`: PaymentIntents through Stripe,
//! completion from Stripe's webhook on `/webhooks/stripe` or forwarded
//! over NATS, signed tickets announced on the event's stream) over NATS.
//! It reads its Event, TicketTiers and Organization (and the Stripe
//! account id from the organization's Secret) from the Kubernetes API
//! (in-cluster config or `KUBECONFIG`). Refunds are requests to the same
//! order service; order confirmations, refund notices, reminders and SMS are
//! sent from the event's stream when an SMTP relay (and an SMS API) is
//! configured. The scan role (`sellout_workers::scan`) verifies tickets
//! at the door with the ticket keys' public halves and admits each once
//! per day across every gate and replica, undoes admissions, records
//! offline scans (reporting every conflict) and counts who is in.
//!
//! Health: `/healthz` (process up) and `/readyz` (NATS connected and
//! MongoDB answering); `/metrics` (Prometheus, docs/metrics.md). Runs until SIGTERM or Ctrl-C.

use anyhow::Context as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clap::{Parser, ValueEnum};
use mongodb::bson::doc;
use sellout_common::names::Names;
use sellout_common::proto::v1::ErrorCode;
use sellout_common::telemetry::{self, LogArgs};
use sellout_crds::{Event, TicketTier};
use sellout_notify::cli::{SmsArgs, SmtpArgs};
use sellout_notify::sms::{SmsClient, SmsConfig};
use sellout_workers::checkout::service::wait;
use sellout_workers::checkout::source::{CatalogSource, Loaded};
use sellout_workers::checkout::{self, CheckoutClient, Service};
use sellout_workers::email::delivery::EmailSender;
use sellout_workers::email::{Brand, EventInfo, Mailer, Sender as MailSender};
use sellout_workers::orders::{OrderService, PaymentsSetup, PlatformFees};
use sellout_workers::payments::{self, Payments, StripeConfig};
use sellout_workers::pricing::StripeRate;
use sellout_workers::scan::{self as scanning, Door, ScanService};
use sellout_workers::ticket::{Signer, Verifier};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// What a worker process serves.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Role {
    /// Holds, pricing, payments, tickets and refunds for one event.
    Checkout,
    /// Ticket verification and check-ins at the door.
    Scan,
}

/// The Sellout worker: the checkout role serves an event's inventory and
/// orders over NATS; the scan role checks tickets in at the door.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Which role this process serves.
    #[arg(long, value_enum, env = "SELLOUT_WORKER_ROLE")]
    role: Role,
    /// The Event (name) this worker serves; unset for the shared pool.
    #[arg(long, env = "SELLOUT_EVENT")]
    event: Option<String>,
    /// Namespace of the Event.
    #[arg(long, env = "SELLOUT_NAMESPACE")]
    namespace: Option<String>,
    /// The uid of the Event (set by the operator): a worker with a NATS
    /// user of its event's own reads its replies under that event's inbox
    /// prefix, the only one its user may read.
    #[arg(long, env = "SELLOUT_EVENT_UID")]
    event_uid: Option<String>,
    /// NATS server URL.
    #[arg(long, env = "SELLOUT_NATS_URL", hide_env_values = true)]
    nats_url: String,
    /// The workers' NATS user.
    #[command(flatten)]
    nats_credentials: sellout_common::nats_auth::NatsCredentials,
    /// MongoDB connection string.
    #[arg(long, env = "SELLOUT_MONGO_URI", hide_env_values = true)]
    mongo_uri: String,
    /// MongoDB database.
    #[arg(long, env = "SELLOUT_MONGO_DATABASE", default_value = "sellout")]
    mongo_database: String,
    /// This worker's identity among the event's replicas (default: the
    /// host name, which is the pod name on Kubernetes). A restarted worker
    /// with the same identity takes its writer lease back at once.
    #[arg(long, env = "SELLOUT_WORKER_ID")]
    worker_id: Option<String>,
    /// Overrides every Event's holdTtlSeconds, in seconds (for tests and
    /// benchmarks that need holds to run out quickly).
    #[arg(long, env = "SELLOUT_HOLD_TTL_SECONDS")]
    hold_ttl_seconds: Option<u32>,
    /// Seconds after its holds ran out that an unpaid order is cancelled
    /// (time for a payment confirmed at the last moment to arrive).
    #[arg(long, env = "SELLOUT_UNPAID_GRACE_SECONDS", default_value_t = 120)]
    unpaid_grace_seconds: u64,
    /// Directory of the ticket signing keys (a mounted Secret: the key id
    /// in `current`, the PKCS#8 key in `<id>.pem`). When it has a
    /// subdirectory named after the event's organization (namespace),
    /// that subdirectory is used: each organization signs with its own
    /// keys, so one leaked key forges no other organization's tickets. Without it a checkout
    /// worker holds inventory but takes no orders. The scan role needs it
    /// and reads only public keys from it (`<id>.pub.pem` files, or the
    /// public half of each `<id>.pem`).
    #[arg(long, env = "SELLOUT_TICKET_KEYS_DIR")]
    ticket_keys_dir: Option<PathBuf>,
    /// The organization (namespace) whose keys alone --ticket-keys-dir
    /// holds (a Secret of that namespace, as the operator mounts it): used
    /// as they are, without looking for a subdirectory.
    #[arg(long, env = "SELLOUT_TICKET_KEYS_OWNER")]
    ticket_keys_owner: Option<String>,
    /// Stripe API base URL (localstripe in tests and `make dev`).
    #[arg(long, env = "SELLOUT_STRIPE_API_BASE", default_value = payments::DEFAULT_API_BASE)]
    stripe_api_base: String,
    /// File holding the platform's Stripe secret key (`sk_…`). Without it
    /// only free and complimentary orders are taken.
    #[arg(
        long,
        env = "SELLOUT_STRIPE_SECRET_KEY_FILE",
        requires = "stripe_webhook_secret_file"
    )]
    stripe_secret_key_file: Option<PathBuf>,
    /// File holding the Stripe webhook signing secret (`whsec_…`).
    #[arg(
        long,
        env = "SELLOUT_STRIPE_WEBHOOK_SECRET_FILE",
        requires = "stripe_secret_key_file"
    )]
    stripe_webhook_secret_file: Option<PathBuf>,
    /// The platform's fee, basis points of each ticket's price (kept as
    /// the Stripe application fee).
    #[arg(long, env = "SELLOUT_PLATFORM_FEE_BPS", default_value_t = 0)]
    platform_fee_bps: u32,
    /// The platform's fee per ticket, minor units of the event's currency.
    #[arg(
        long,
        env = "SELLOUT_PLATFORM_FEE_PER_TICKET_MINOR",
        default_value_t = 0
    )]
    platform_fee_per_ticket_minor: i64,
    /// Stripe's percentage fee, basis points, grossed up into the price so
    /// the promoter nets what they priced (0 with a fixed part of 0: none).
    #[arg(long, env = "SELLOUT_STRIPE_FEE_BPS", default_value_t = 290)]
    stripe_fee_bps: u32,
    /// Stripe's fixed fee per charge, minor units (30 = USD 0.30).
    #[arg(long, env = "SELLOUT_STRIPE_FEE_FIXED_MINOR", default_value_t = 30)]
    stripe_fee_fixed_minor: i64,
    #[command(flatten)]
    smtp: SmtpArgs,
    #[command(flatten)]
    sms: SmsArgs,
    /// Address for /healthz, /readyz, /metrics and /webhooks/stripe.
    #[arg(long, env = "SELLOUT_WORKER_LISTEN", default_value = "0.0.0.0:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    log: LogArgs,
}

struct Deps {
    nats: async_nats::Client,
    db: mongodb::Database,
    role: &'static str,
    orders: Arc<tokio::sync::OnceCell<OrderService>>,
}

/// `POST /webhooks/stripe`: a Stripe webhook delivery for this event's
/// orders (the gateway forwards them over NATS the same way).
async fn stripe_webhook(
    State(deps): State<Arc<Deps>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> (StatusCode, String) {
    let Some(orders) = deps.orders.get() else {
        sellout_workers::metrics::get().webhook("unavailable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "orders are not served by this worker yet\n".into(),
        );
    };
    let signature = headers
        .get(payments::webhook::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    match orders.webhook(&body, signature).await {
        Ok(done) => (StatusCode::OK, format!("{done}\n")),
        Err(e) if e.code() == ErrorCode::BadSignature => {
            (StatusCode::BAD_REQUEST, format!("{}\n", e.message))
        }
        Err(e) if e.code() == ErrorCode::UnknownOrder => {
            (StatusCode::OK, format!("ignored: {}\n", e.message))
        }
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("{}\n", e.message)),
    }
}

async fn ready(State(deps): State<Arc<Deps>>) -> (StatusCode, String) {
    let nats = deps.nats.connection_state() == async_nats::connection::State::Connected;
    let mongo = tokio::time::timeout(
        Duration::from_secs(2),
        deps.db.run_command(doc! {"ping": 1}),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    let body = format!(
        "nats: {}\nmongo: {}\nrole: {}\n",
        ok(nats),
        ok(mongo),
        deps.role
    );
    if nats && mongo {
        (StatusCode::OK, body)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

/// The ticket keys of organization `namespace` in `--ticket-keys-dir`:
/// the whole directory when it is that organization's own (`owner`), else
/// its subdirectory, or the whole directory, warned about.
fn ticket_keys_of(dir: &std::path::Path, namespace: &str, owner: Option<&str>) -> PathBuf {
    if owner == Some(namespace) {
        return dir.to_owned();
    }
    let (keys, own) = sellout_workers::ticket::organization_key_dir(dir, namespace);
    if !own {
        tracing::warn!(
            dir = %dir.display(),
            "no ticket keys of organization {namespace:?} ({}/{namespace}): using the directory's keys, shared by every organization, so one leaked key forges every organization's tickets",
            dir.display()
        );
    }
    keys
}

/// `GET /metrics`: the Prometheus text exposition (docs/metrics.md).
async fn metrics() -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            sellout_common::telemetry::METRICS_CONTENT_TYPE,
        )],
        sellout_workers::metrics::get().encode(),
    )
}

fn ok(b: bool) -> &'static str {
    if b { "ok" } else { "unavailable" }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    telemetry::init(&args.log)?;
    telemetry::finish(run(args).await).await
}

async fn run(args: Args) -> anyhow::Result<()> {
    sellout_workers::metrics::init(
        args.namespace.as_deref().unwrap_or_default(),
        args.event.as_deref().unwrap_or_default(),
    );
    let inbox = match &args.event_uid {
        Some(uid) => sellout_common::nats_auth::worker_inbox_prefix(&Names::for_uid(uid)),
        None => "_INBOX".to_owned(),
    };
    let nats = args
        .nats_credentials
        .options(&inbox)?
        .retry_on_initial_connect()
        .connect(args.nats_url.as_str())
        .await
        .context("invalid --nats-url")?;
    let mongo = mongodb::Client::with_uri_str(&args.mongo_uri)
        .await
        .context("invalid --mongo-uri")?;
    let db = mongo.database(&args.mongo_database);
    let stop = CancellationToken::new();
    let orders = Arc::new(tokio::sync::OnceCell::new());
    let role_task = match args.role {
        Role::Checkout => {
            let (event, namespace) = match (args.event.clone(), args.namespace.clone()) {
                (Some(e), Some(n)) => (e, n),
                _ => anyhow::bail!(
                    "the checkout role needs --event and --namespace (the shared pool is not built yet)"
                ),
            };
            let identity = match &args.worker_id {
                Some(id) => id.clone(),
                None => hostname()?,
            };
            let setup = OrderSetup::from_args(&args)?;
            Some(tokio::spawn(checkout(CheckoutRole {
                nats: nats.clone(),
                db: db.clone(),
                event,
                namespace,
                identity,
                hold_ttl: args.hold_ttl_seconds,
                setup,
                orders: orders.clone(),
                stop: stop.clone(),
            })))
        }
        Role::Scan => 'scan: {
            let (event, namespace) = match (args.event.clone(), args.namespace.clone()) {
                (Some(e), Some(n)) => (e, n),
                _ => anyhow::bail!(
                    "the scan role needs --event and --namespace (the shared pool is not built yet)"
                ),
            };
            let Some(dir) = &args.ticket_keys_dir else {
                // Up and healthy, so that a deployment without keys is
                // seen and fixed rather than crash-looping; it verifies
                // nothing, so it answers no scan.
                tracing::error!(
                    "the scan role needs --ticket-keys-dir (the ticket keys' public halves) to verify tickets: this worker serves no scans"
                );
                break 'scan None;
            };
            let dir = ticket_keys_of(dir, &namespace, args.ticket_keys_owner.as_deref());
            let verifier = Verifier::from_dir(&dir)
                .with_context(|| format!("--ticket-keys-dir {}", dir.display()))?;
            let role = ScanRole {
                nats: nats.clone(),
                db: db.clone(),
                event,
                namespace,
                verifier: Arc::new(verifier),
                stop: stop.clone(),
            };
            let stop = stop.clone();
            Some(tokio::spawn(async move {
                let r = scan(role).await;
                if r.is_err() {
                    stop.cancel();
                }
                r
            }))
        }
    };
    let deps = Arc::new(Deps {
        nats,
        db,
        role: match args.role {
            Role::Checkout => "checkout",
            Role::Scan => "scan",
        },
        orders,
    });
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/webhooks/stripe", axum::routing::post(stripe_webhook))
        .with_state(deps);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(role = ?args.role, listen = %args.listen, "sellout-worker started");
    let shutdown = stop.clone();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                () = shutdown.cancelled() => {}
            }
            shutdown.cancel();
        })
        .await?;
    if let Some(task) = role_task {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(e) => anyhow::bail!("the {:?} role failed: {e}", args.role),
        }
    }
    Ok(())
}

fn hostname() -> anyhow::Result<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .context("no --worker-id given and the host name is unreadable")?;
    Ok(name.trim().to_owned())
}

/// What the checkout role runs with.
struct CheckoutRole {
    nats: async_nats::Client,
    db: mongodb::Database,
    event: String,
    namespace: String,
    identity: String,
    hold_ttl: Option<u32>,
    setup: Option<OrderSetup>,
    orders: Arc<tokio::sync::OnceCell<OrderService>>,
    stop: CancellationToken,
}

/// The checkout role: waits for its Event and stream (the operator's to
/// create), keeps the catalog in step with the Event and its tiers, and
/// serves the inventory and orders until `stop`. A fatal error stops the
/// worker (its supervisor restarts it).
async fn checkout(role: CheckoutRole) -> anyhow::Result<()> {
    let stop = role.stop.clone();
    let r = checkout_inner(role).await;
    if r.is_err() {
        stop.cancel();
    }
    r
}

async fn checkout_inner(role: CheckoutRole) -> anyhow::Result<()> {
    let CheckoutRole {
        nats,
        db,
        event,
        namespace,
        identity,
        hold_ttl,
        setup,
        orders,
        stop,
    } = role;
    let Some(kube) = kube_client(&stop).await else {
        return Ok(());
    };
    let source = CatalogSource::new(kube, &namespace, &event, hold_ttl);
    let Loaded {
        catalog: first,
        event_info: first_info,
        organization,
    } = loop {
        match source.load().await {
            Ok(c) => break c,
            Err(e) => {
                tracing::warn!(event, namespace, error = %e, "cannot read the event yet; retrying")
            }
        }
        if wait(&stop, Duration::from_secs(2)).await {
            return Ok(());
        }
    };
    let names = Names::for_uid(&first.event_uid);
    let js = async_nats::jetstream::new(nats.clone());
    let mut logged = false;
    while js.get_stream(&names.stream).await.is_err() {
        if !logged {
            tracing::info!(stream = %names.stream, "waiting for the operator to create the event's stream");
            logged = true;
        }
        if wait(&stop, Duration::from_secs(1)).await {
            return Ok(());
        }
    }
    let (catalog_tx, catalog_rx) = watch::channel(Arc::new(first));
    let (info_tx, info_rx) = watch::channel(first_info.clone().unwrap_or_else(|| EventInfo {
        id: format!("{namespace}/{event}"),
        title: catalog_tx.borrow().title.clone(),
        venue: sellout_workers::email::Venue {
            name: String::new(),
            address: vec![],
            timezone: "UTC".into(),
        },
        days: vec![],
    }));
    let (counts_tx, counts_rx) = watch::channel(Default::default());
    let (writing_tx, _) = watch::channel(false);
    tokio::spawn(checkout::projection::run(
        sellout_store::inventory::collection(&db, &names),
        counts_rx,
        catalog_rx.clone(),
    ));
    let uid = catalog_tx.borrow().event_uid.clone();
    let refresh_stop = stop.clone();
    tokio::spawn(async move {
        while !wait(&refresh_stop, CATALOG_EVERY).await {
            match source.load().await {
                Ok(l) if l.catalog.event_uid != uid => {
                    tracing::error!(
                        "the event was deleted and re-created: this worker belongs to the old one; stopping"
                    );
                    refresh_stop.cancel();
                }
                Ok(Loaded {
                    catalog: c,
                    event_info,
                    ..
                }) => {
                    if let Some(info) = event_info {
                        info_tx.send_if_modified(|old| {
                            let changed = *old != info;
                            if changed {
                                *old = info;
                            }
                            changed
                        });
                    }
                    catalog_tx.send_if_modified(|old| {
                        let changed = **old != c;
                        if changed {
                            *old = Arc::new(c);
                        }
                        changed
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot refresh the catalog; keeping the last one")
                }
            }
        }
    });
    if let Some(setup) = &setup
        && let Some((mailer, from)) = setup.mail.clone()
    {
        if first_info.is_none() {
            tracing::warn!("the event's Venue is missing: mail waits until it exists");
        }
        let mut ready = info_rx.clone();
        let brand = Brand {
            organization: organization.clone().unwrap_or_else(|| "Sellout".into()),
            legal_line: organization.unwrap_or_else(|| "Sellout".into()),
            support_email: None,
        };
        let mut sender = EmailSender::new(
            async_nats::jetstream::new(nats.clone()),
            names.clone(),
            mailer,
            from,
            brand,
            db.clone(),
            info_rx.clone(),
            identity.clone(),
        );
        if let Some(config) = &setup.sms {
            sender.sms = Some(SmsClient::new(config).context("SMS")?);
        }
        let scheduler = sender.scheduler();
        let mail_stop = stop.clone();
        tokio::spawn(async move {
            // Mail needs the venue and days: wait for a real EventInfo.
            while ready.borrow_and_update().days.is_empty() {
                if ready.changed().await.is_err() {
                    return;
                }
            }
            let reminders = tokio::spawn(scheduler.run(mail_stop.clone()));
            sender.run(mail_stop).await;
            let _ = reminders.await;
        });
    } else {
        tracing::warn!("no SMTP relay (--smtp-host) or no ticket keys: this worker sends no mail");
    }
    if let Some(setup) = setup {
        // Whoever starts first (a worker or the gateway) creates the
        // order indexes; the service works without them meanwhile.
        tokio::spawn(sellout_store::orders::ensure_indexes_in_background(
            db.clone(),
        ));
        let svc = OrderService {
            nats: nats.clone(),
            orders: sellout_store::orders::OrderStore::new(&db),
            names: names.clone(),
            catalog: catalog_rx.clone(),
            checkout: CheckoutClient::new(nats.clone(), names.clone()),
            payments: setup.payments,
            signer: setup.signer,
            fees: setup.fees,
            resumer: writing_tx.subscribe(),
            expiry_grace: setup.expiry_grace,
            checks: Default::default(),
        };
        let _ = orders.set(svc.clone());
        let order_stop = stop.clone();
        tokio::spawn(async move {
            if let Err(e) = svc.serve(order_stop.clone()).await {
                tracing::error!(error = format!("{e:#}"), "order service failed; stopping");
                order_stop.cancel();
            }
        });
    } else {
        tracing::warn!("no --ticket-keys-dir: this worker holds inventory but takes no orders");
    }
    tracing::info!(stream = %names.stream, identity, "checkout role serving");
    Service {
        nats,
        names,
        identity,
        catalog: catalog_rx,
        counts: counts_tx,
        writing: writing_tx,
    }
    .run(stop)
    .await
}

/// The Kubernetes client (in-cluster config or `KUBECONFIG`), or `None`
/// once `stop` comes. Without the API a worker cannot know its event: it
/// keeps trying (and stays up, reporting health) rather than exit in a
/// loop.
async fn kube_client(stop: &CancellationToken) -> Option<kube::Client> {
    loop {
        match kube::Client::try_default().await {
            Ok(k) => return Some(k),
            Err(e) => {
                tracing::warn!(error = %e, "no Kubernetes API (in-cluster config or KUBECONFIG); retrying")
            }
        }
        if wait(stop, Duration::from_secs(5)).await {
            return None;
        }
    }
}

/// What the scan role runs with.
struct ScanRole {
    nats: async_nats::Client,
    db: mongodb::Database,
    event: String,
    namespace: String,
    verifier: Arc<Verifier>,
    stop: CancellationToken,
}

/// The scan role: waits for its Event and stream, keeps the door (days,
/// tiers) in step with the API server, follows revocations and check-ins,
/// and serves scans until `stop`.
async fn scan(role: ScanRole) -> anyhow::Result<()> {
    let ScanRole {
        nats,
        db,
        event,
        namespace,
        verifier,
        stop,
    } = role;
    let Some(kube) = kube_client(&stop).await else {
        return Ok(());
    };
    let events: kube::Api<Event> = kube::Api::namespaced(kube.clone(), &namespace);
    let tiers: kube::Api<TicketTier> = kube::Api::namespaced(kube, &namespace);
    let load = || async {
        let e = events.get(&event).await?;
        let t = tiers.list(&Default::default()).await?;
        Door::from_resources(&e, &t.items).map_err(|m| anyhow::anyhow!(m))
    };
    let first = loop {
        match load().await {
            Ok(d) => break d,
            Err(e) => {
                tracing::warn!(
                    event,
                    namespace,
                    error = format!("{e:#}"),
                    "cannot read the event yet; retrying"
                )
            }
        }
        if wait(&stop, Duration::from_secs(2)).await {
            return Ok(());
        }
    };
    let names = Names::for_uid(&first.event_uid.to_string());
    let js = async_nats::jetstream::new(nats.clone());
    let mut logged = false;
    let ledger = loop {
        match scanning::ledger::Ledger::open(js.clone(), names.clone()).await {
            Ok(l) => break l,
            Err(e) if !logged => {
                tracing::info!(stream = %names.stream, error = %e, "waiting for the operator to create the event's stream");
                logged = true;
            }
            Err(_) => {}
        }
        if wait(&stop, Duration::from_secs(1)).await {
            return Ok(());
        }
    };
    let uid = first.event_uid;
    let (door_tx, door_rx) = watch::channel(Arc::new(first));
    let refresh_stop = stop.clone();
    let refresh = async move {
        while !wait(&refresh_stop, CATALOG_EVERY).await {
            match load().await {
                Ok(d) if d.event_uid != uid => {
                    tracing::error!(
                        "the event was deleted and re-created: this worker belongs to the old one; stopping"
                    );
                    refresh_stop.cancel();
                }
                Ok(d) => {
                    door_tx.send_if_modified(|old| {
                        let changed = **old != d;
                        if changed {
                            *old = Arc::new(d);
                        }
                        changed
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot refresh the event; keeping the last one")
                }
            }
        }
    };
    let feed = scanning::feed::Feed::start(js, names.clone(), stop.clone());
    tokio::spawn(scanning::service::project_counts(
        feed.clone(),
        db.clone(),
        names.clone(),
        stop.clone(),
    ));
    let svc = ScanService {
        nats,
        ledger,
        door: door_rx,
        verifier,
        feed,
    };
    tokio::select! {
        r = svc.serve(stop.clone()) => r,
        () = refresh => Ok(()),
    }
}

/// How often the Event and its tiers are read again.
const CATALOG_EVERY: Duration = Duration::from_secs(2);

/// What the order service needs from the command line.
struct OrderSetup {
    signer: Arc<Signer>,
    payments: Option<Arc<PaymentsSetup>>,
    fees: PlatformFees,
    mail: Option<(Mailer, MailSender)>,
    sms: Option<SmsConfig>,
    expiry_grace: Duration,
}

impl OrderSetup {
    fn from_args(args: &Args) -> anyhow::Result<Option<Self>> {
        let Some(dir) = &args.ticket_keys_dir else {
            return Ok(None);
        };
        let dir = match &args.namespace {
            Some(ns) => ticket_keys_of(dir, ns, args.ticket_keys_owner.as_deref()),
            None => dir.clone(),
        };
        let signer = Signer::from_dir(&dir)
            .with_context(|| format!("--ticket-keys-dir {}", dir.display()))?;
        let payments = match (
            &args.stripe_secret_key_file,
            &args.stripe_webhook_secret_file,
        ) {
            (Some(key), Some(hook)) => {
                let config = StripeConfig::from_files(key, hook)?
                    .with_api_base(args.stripe_api_base.clone())?;
                Some(Arc::new(PaymentsSetup {
                    payments: Payments::new(&config).context("Stripe client")?,
                    verifier: config.webhook_verifier(),
                    livemode: config.livemode(),
                }))
            }
            _ => None,
        };
        let stripe =
            (args.stripe_fee_bps > 0 || args.stripe_fee_fixed_minor > 0).then_some(StripeRate {
                percent_bps: args.stripe_fee_bps,
                fixed_minor: args.stripe_fee_fixed_minor,
            });
        let mail = args.smtp.mailer()?;
        let sms = args.sms.config();
        Ok(Some(OrderSetup {
            expiry_grace: Duration::from_secs(args.unpaid_grace_seconds),
            signer: Arc::new(signer),
            payments,
            mail,
            sms,
            fees: PlatformFees {
                percent_bps: args.platform_fee_bps,
                per_ticket_minor: args.platform_fee_per_ticket_minor,
                stripe,
            },
        }))
    }
}
