//! `sellout-operator`: reconciles Sellout's custom resources into per-event
//! workers, data and status (see the library's crate docs). This binary
//! reads the configuration, connects to Kubernetes and the data plane, and
//! runs the controllers under leader election until SIGTERM or SIGINT.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, ValueEnum};
use sellout_common::telemetry::{self, LogArgs};
use sellout_operator::Context;
use sellout_operator::context::WorkerRuntime;
use sellout_operator::event::build::{self, WorkerTemplate};
use sellout_operator::event::data::DataPlane;
use sellout_operator::event::local::LocalRuntime;

/// How event workers are run.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Runtime {
    /// Deployment, Service, HPA and PodDisruptionBudget per worker set.
    Kubernetes,
    /// The worker binary as supervised child processes of the operator
    /// (needs --mongo-uri and --nats-url, which the workers get too).
    Local,
}

/// The Sellout operator.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// How event workers are run.
    #[arg(
        long,
        env = "SELLOUT_RUNTIME",
        value_enum,
        default_value = "kubernetes"
    )]
    runtime: Runtime,
    /// Container image of the worker (Kubernetes runtime).
    #[arg(long, env = "SELLOUT_WORKER_IMAGE", default_value = concat!("ghcr.io/sellout-io/sellout-worker:", env!("CARGO_PKG_VERSION")))]
    worker_image: String,
    /// Secret (in each event's namespace) whose keys become the workers'
    /// environment: NATS and MongoDB credentials.
    #[arg(
        long,
        env = "SELLOUT_WORKER_ENV_SECRET",
        default_value = "sellout-worker"
    )]
    worker_env_secret: String,
    /// CPU request of each worker pod (a Kubernetes quantity).
    #[arg(long, env = "SELLOUT_WORKER_CPU_REQUEST", default_value = "250m", value_parser = build::quantity)]
    worker_cpu_request: String,
    /// Memory request of each worker pod.
    #[arg(long, env = "SELLOUT_WORKER_MEMORY_REQUEST", default_value = "128Mi", value_parser = build::quantity)]
    worker_memory_request: String,
    /// Memory limit of each worker pod.
    #[arg(long, env = "SELLOUT_WORKER_MEMORY_LIMIT", default_value = "512Mi", value_parser = build::quantity)]
    worker_memory_limit: String,
    /// CPU limit of each worker pod (default: none, so that the event's
    /// writer is never throttled in an on-sale).
    #[arg(long, env = "SELLOUT_WORKER_CPU_LIMIT", value_parser = build::quantity)]
    worker_cpu_limit: Option<String>,
    /// User and group id of the workers (non-root; 65532 is the image's
    /// `nonroot`).
    #[arg(long, env = "SELLOUT_WORKER_RUN_AS_USER", default_value_t = 65532, value_parser = clap::value_parser!(i64).range(1..))]
    worker_run_as_user: i64,
    /// A Secret of each event's namespace mounted into its workers,
    /// `ENV=SECRET` (the whole Secret as a directory) or `ENV=SECRET/KEY`
    /// (one file); `ENV` is set to the path. Repeat it, e.g.
    /// `SELLOUT_TICKET_KEYS_DIR=sellout-ticket-keys`,
    /// `SELLOUT_STRIPE_SECRET_KEY_FILE=sellout-stripe/secret-key`,
    /// `SELLOUT_STRIPE_WEBHOOK_SECRET_FILE=sellout-stripe/webhook-secret`,
    /// `SELLOUT_SMTP_PASSWORD_FILE=sellout-smtp/password`,
    /// `SELLOUT_SMS_TOKEN_FILE=sellout-sms/token`. A pod whose Secret or
    /// key is missing waits for it.
    #[arg(
        long = "worker-secret-mount",
        env = "SELLOUT_WORKER_SECRET_MOUNTS",
        value_delimiter = ','
    )]
    worker_secret_mounts: Vec<build::SecretMount>,
    /// Image pull Secret of the worker pods (in each event's namespace);
    /// repeat for more.
    #[arg(
        long = "worker-image-pull-secret",
        env = "SELLOUT_WORKER_IMAGE_PULL_SECRETS",
        value_delimiter = ','
    )]
    worker_image_pull_secrets: Vec<String>,
    /// MongoDB connection string (may hold credentials: set it from a
    /// Secret). With --nats-url, enables streams, collections, inventory
    /// and finalizers; without both the operator manages objects only.
    #[arg(long, env = "SELLOUT_MONGO_URI", hide_env_values = true)]
    mongo_uri: Option<String>,
    /// MongoDB database holding Sellout's collections.
    #[arg(long, env = "SELLOUT_MONGO_DATABASE", default_value = "sellout")]
    mongo_database: String,
    /// NATS server URL (credentials, if any, from a Secret).
    #[arg(long, env = "SELLOUT_NATS_URL", hide_env_values = true)]
    nats_url: Option<String>,
    /// The operator's NATS user.
    #[command(flatten)]
    nats_credentials: sellout_common::nats_auth::NatsCredentials,
    /// Public key (A…) of the NATS account of the events (SELLOUT). With
    /// --worker-nats-signing-key-file, each event's workers get a NATS user
    /// of their own, allowed that event's subjects only: in Kubernetes in
    /// the Secret `<event>-worker-nats` (key `creds`), locally in their
    /// environment.
    #[arg(
        long,
        env = "SELLOUT_WORKER_NATS_ACCOUNT",
        requires = "worker_nats_signing_key_file"
    )]
    worker_nats_account: Option<String>,
    /// File holding the seed (SA…) of a signing key of that account, with
    /// which the operator signs the workers' users.
    #[arg(
        long,
        env = "SELLOUT_WORKER_NATS_SIGNING_KEY_FILE",
        requires = "worker_nats_account"
    )]
    worker_nats_signing_key_file: Option<std::path::PathBuf>,
    /// Replicas of each event's JetStream stream (orders, tickets,
    /// check-ins and the inventory ledger): 3 in production, on a NATS
    /// cluster of 3 or more servers; 1 on a single server.
    #[arg(long, env = "SELLOUT_STREAM_REPLICAS", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=5))]
    stream_replicas: u8,
    /// Namespace of the leader-election Lease (default: the pod's
    /// namespace from POD_NAMESPACE, else "default").
    #[arg(long, env = "SELLOUT_LEASE_NAMESPACE")]
    lease_namespace: Option<String>,
    /// Seconds the leader keeps its Lease without renewing it: how long
    /// a crashed leader's replicas wait before one of them takes over.
    #[arg(long, env = "SELLOUT_LEASE_SECONDS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(2..=300))]
    lease_seconds: u64,
    /// Run without leader election (only when exactly one replica runs).
    #[arg(long)]
    no_leader_election: bool,
    /// Watch only this namespace (default: all namespaces).
    #[arg(long, env = "SELLOUT_WATCH_NAMESPACE")]
    watch_namespace: Option<String>,
    /// The `sellout-worker` binary (Local runtime); default: next to this
    /// binary.
    #[arg(long, env = "SELLOUT_WORKER_BIN")]
    worker_bin: Option<std::path::PathBuf>,
    /// Directory for worker logs (Local runtime).
    #[arg(long, env = "SELLOUT_WORKER_LOG_DIR", default_value = "worker-logs")]
    worker_log_dir: std::path::PathBuf,
    /// Benchmark baseline: write every child and status on every reconcile
    /// (no change detection). Never use in production.
    #[arg(long, hide = true)]
    naive_writes: bool,
    /// Manage only Events matching this label selector (e.g.
    /// `sellout.io/shard=a`), to split a large fleet across operators.
    #[arg(long, env = "SELLOUT_EVENT_SELECTOR")]
    event_selector: Option<String>,
    /// The gateway's ServiceAccount (NAMESPACE/NAME): each organization's
    /// namespace gets a Role and RoleBinding letting it manage that
    /// organization's events, tiers and venues.
    #[arg(
        long,
        env = "SELLOUT_GATEWAY_SERVICE_ACCOUNT",
        default_value = "sellout-system/sellout-gateway"
    )]
    gateway_service_account: sellout_operator::organization::AccountRef,
    /// Install the ValidatingAdmissionPolicy `sellout-gateway-organizations`
    /// (cluster-wide) that limits the gateway's writes to Organizations to
    /// `spec.members` and never SUPER_USER, and then let the gateway patch
    /// Organizations, so OWNERs manage their team in Backstage. Needs
    /// create and patch on validatingadmissionpolicies and
    /// validatingadmissionpolicybindings; without them (or with `false`)
    /// Organizations stay read-only to the gateway and `setMember` answers
    /// FORBIDDEN.
    #[arg(
        long,
        env = "SELLOUT_GATEWAY_MEMBERS_POLICY",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    gateway_members_policy: bool,
    /// Address for /metrics, /healthz and /readyz.
    #[arg(
        long,
        env = "SELLOUT_OPERATOR_LISTEN",
        default_value = "127.0.0.1:9090"
    )]
    listen: SocketAddr,
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
    // Bind first: a taken port is a configuration error to report now,
    // not after the controllers have run.
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {} (--listen)", args.listen))?;
    let client = kube::Client::try_default()
        .await
        .context("cannot reach the Kubernetes API (KUBECONFIG or in-cluster config)")?;
    build::check_mounts(&args.worker_secret_mounts).map_err(anyhow::Error::msg)?;
    let data = match (&args.mongo_uri, &args.nats_url) {
        (Some(mongo), Some(nats)) => {
            let mongo = mongodb::Client::with_uri_str(mongo)
                .await
                .context("invalid --mongo-uri")?;
            let nats = args
                .nats_credentials
                .options(&sellout_common::nats_auth::Component::Operator.inbox_prefix())?
                // NATS down at start (a rollout of both): keep trying, the
                // reconciles that need it fail and are retried meanwhile.
                .retry_on_initial_connect()
                .connect(nats.as_str())
                .await
                .context("cannot connect to NATS (--nats-url)")?;
            Some(DataPlane {
                db: mongo.database(&args.mongo_database),
                js: async_nats::jetstream::new(nats),
                stream_replicas: usize::from(args.stream_replicas),
            })
        }
        (None, None) => {
            tracing::warn!(
                "no --mongo-uri/--nats-url: managing Kubernetes objects only (no streams, collections, inventory or finalizers)"
            );
            None
        }
        _ => anyhow::bail!(
            "--mongo-uri and --nats-url go together: give both, or neither for objects-only mode"
        ),
    };
    let worker_nats = match (
        &args.worker_nats_account,
        &args.worker_nats_signing_key_file,
    ) {
        (Some(account), Some(seed)) => Some(
            sellout_common::nats_auth::WorkerIssuer::from_file(account, seed)
                .context("--worker-nats-account / --worker-nats-signing-key-file")?,
        ),
        _ => {
            if data.is_some() {
                tracing::warn!(
                    "no --worker-nats-account/--worker-nats-signing-key-file: every event's workers share the NATS user of their environment, which may reach every event's subjects"
                );
            }
            None
        }
    };
    let mut ctx = Context::new(
        client,
        WorkerTemplate {
            image: args.worker_image,
            env_secret: args.worker_env_secret,
            per_event_nats: worker_nats.is_some(),
            pod: build::PodSettings {
                cpu_request: args.worker_cpu_request,
                memory_request: args.worker_memory_request,
                memory_limit: args.worker_memory_limit,
                cpu_limit: args.worker_cpu_limit,
                run_as_user: args.worker_run_as_user,
                secret_mounts: args.worker_secret_mounts,
                image_pull_secrets: args.worker_image_pull_secrets,
            },
        },
        data,
    );
    ctx.worker_nats = worker_nats;
    if let Runtime::Local = args.runtime {
        let (Some(mongo), Some(nats)) = (&args.mongo_uri, &args.nats_url) else {
            anyhow::bail!(
                "--runtime local needs --mongo-uri and --nats-url (the workers connect to both)"
            );
        };
        let worker_bin = match args.worker_bin.clone() {
            Some(p) => p,
            None => std::env::current_exe()?.with_file_name("sellout-worker"),
        };
        if !worker_bin.is_file() {
            anyhow::bail!(
                "worker binary {} not found: build it (cargo build -p sellout-workers) or pass --worker-bin",
                worker_bin.display()
            );
        }
        let env = vec![
            ("SELLOUT_NATS_URL".into(), nats.clone()),
            ("SELLOUT_MONGO_URI".into(), mongo.clone()),
            ("SELLOUT_MONGO_DATABASE".into(), args.mongo_database.clone()),
        ];
        ctx.runtime = WorkerRuntime::Local(Arc::new(LocalRuntime::new(
            worker_bin,
            env,
            args.worker_log_dir.clone(),
        )));
    }
    ctx.namespace = args.watch_namespace.clone();
    ctx.event_selector = args.event_selector.clone();
    ctx.naive_writes = args.naive_writes;
    ctx.gateway_account = args.gateway_service_account.clone();
    ctx.gateway_members_policy = args.gateway_members_policy;
    let ctx = Arc::new(ctx);
    let shutdown = ctx.shutdown.clone();
    // Kubernetes stops pods with SIGTERM, a terminal with SIGINT: both end
    // the controllers, release the lease and stop local workers.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::spawn(async move {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        tracing::info!("shutting down");
        shutdown.cancel();
    });
    let http = tokio::spawn(sellout_operator::serve_http(listener, ctx.clone()));
    tracing::info!(runtime = ?args.runtime, "sellout-operator starting");
    let result = if args.no_leader_election {
        sellout_operator::run_controllers(ctx.clone()).await;
        Ok(())
    } else {
        let identity = std::env::var("POD_NAME").unwrap_or_else(|_| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
            format!("{}-{}", host.trim(), std::process::id())
        });
        let namespace = args
            .lease_namespace
            .or_else(|| std::env::var("POD_NAMESPACE").ok())
            .unwrap_or_else(|| "default".into());
        sellout_operator::leader::run_as_leader(
            ctx.clone(),
            sellout_operator::leader::Election {
                lease: "sellout-operator".into(),
                namespace,
                identity,
                duration_seconds: args.lease_seconds,
            },
        )
        .await
    };
    ctx.shutdown.cancel();
    if let WorkerRuntime::Local(local) = &ctx.runtime {
        local.stop_all().await;
    }
    http.await??;
    Ok(result?)
}
