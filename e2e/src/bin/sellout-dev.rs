//! `sellout-dev`: runs the whole Sellout platform on this machine (what
//! `make dev` starts).
//!
//! Starts the real components (Kubernetes API server + etcd, NATS JetStream,
//! FerretDB, localstripe, mailpit, an SMS sink) with their data in one directory that
//! survives restarts, applies Sellout's CRDs and the sample manifests when
//! they exist, writes a kubeconfig, prints how to use everything, and stops
//! it all cleanly on Ctrl-C.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use sellout_common::nats_auth::Component;
use sellout_common::telemetry::{self, LogArgs};
use sellout_e2e::process::Process;
use sellout_e2e::{KubeApi, LocalStripe, MailSink, Mongo, Nats, Port, SmsSink, kube_api};

/// Where `make web` builds the scanner app (served at `/scanner/`).
const SCANNER_APP: &str = "mobile/dist";
/// Where `make web` builds the purchase portal (served at `/portal/`,
/// with `/embed.js`).
const PORTAL_APP: &str = "web/dist";
/// Where `make web` builds Backstage (served at `/backstage/`).
const BACKSTAGE_APP: &str = "web/dist-backstage";
/// The host Backstage is served on locally (`--backstage-host`).
const BACKSTAGE_HOST: &str = "backstage.localhost";
/// The example event (examples/), as the portal and the demo page name it.
const EXAMPLE_EVENT: &str = "riverside-presents/riverside-festival-2027";
/// The demo promoter page's port: its origin `http://localhost:4100` is
/// one of the example Organization's `embedOrigins`.
const DEMO_SITE_PORT: u16 = 4100;

/// Run the Sellout platform locally; Ctrl-C stops it.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Directory for all data (etcd, JetStream, FerretDB, localstripe,
    /// mail, kubeconfig). Kept across runs; delete it to start afresh.
    #[arg(long, env = "SELLOUT_DEV_DIR", default_value = ".dev")]
    data_dir: PathBuf,
    /// Directory of sample manifests applied after start (skipped if absent).
    #[arg(long, default_value = "examples")]
    examples: PathBuf,
    /// Directory of Sellout's CRD manifests applied first (skipped if absent).
    #[arg(long, default_value = "charts/sellout/crds")]
    crds: PathBuf,
    #[command(flatten)]
    log: LogArgs,
}

struct Stack {
    kube: KubeApi,
    nats: Nats,
    mongo: Mongo,
    stripe: LocalStripe,
    mail: MailSink,
    sms: SmsSink,
}

impl Stack {
    /// Stops the components, the API server before its etcd.
    fn stop(&self) {
        self.mail.stop();
        self.stripe.stop();
        self.mongo.stop();
        self.nats.stop();
        self.kube.stop();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // kube's client logs every failed request at ERROR, which readiness
    // probes of a starting API server produce by design.
    telemetry::init_with_default(&args.log, "info,kube_client::client::builder=off")?;
    let dir = absolute(&args.data_dir)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
    let _lock = PidLock::acquire(&dir.join("sellout-dev.pid"))?;

    let t0 = Instant::now();
    eprintln!("starting the Sellout stack with data in {}", dir.display());
    let stack = start(&dir).await?;
    eprintln!("all components ready in {:.1}s", t0.elapsed().as_secs_f64());

    apply_dir(&stack.kube, &args.crds, "CRDs")?;
    let operator = start_operator(&stack, &dir)?;
    let gateway = start_gateway(&stack, &dir).await?;
    let demo = match &gateway {
        Some((_, url)) => Some(start_demo_site(url).await?),
        None => None,
    };
    apply_dir(&stack.kube, &args.examples, "sample manifests")?;
    dev_stripe_account(&stack.kube)?;

    let env_file = dir.join("env");
    std::fs::write(
        &env_file,
        format!(
            "# source this file to use the local Sellout stack\n\
             export KUBECONFIG={kc}\n\
             export SELLOUT_NATS_URL={nats}\n\
             export NATS_URL={nats}\n\
             export NATS_CREDS={creds}\n\
             export SELLOUT_MONGO_URI={mongo}\n\
             export SELLOUT_STRIPE_URL={stripe}\n\
             export SELLOUT_SMTP=127.0.0.1:{smtp}\n",
            kc = stack.kube.kubeconfig().display(),
            nats = stack.nats.url(),
            creds = stack.nats.admin_creds_file().display(),
            mongo = stack.mongo.uri(),
            stripe = stack.stripe.url(),
            smtp = stack.mail.smtp_port(),
        ),
    )?;
    print_summary(
        &stack,
        &env_file,
        operator.as_ref(),
        gateway.as_ref(),
        demo.as_deref(),
    );

    wait_for_shutdown().await?;
    eprintln!("\nstopping…");
    if let Some((op, _)) = &operator {
        op.stop(std::time::Duration::from_secs(10));
    }
    if let Some((gw, _)) = &gateway {
        gw.stop(std::time::Duration::from_secs(10));
    }
    stack.stop();
    eprintln!("stopped; data kept in {}", dir.display());
    Ok(())
}

async fn start(dir: &Path) -> anyhow::Result<Stack> {
    let kube_ports = kube_api::Ports {
        apiserver: Port::Prefer(6443),
        etcd_client: Port::Prefer(2379),
        etcd_peer: Port::Prefer(2380),
    };
    let [kube_dir, nats_dir, mongo_dir, stripe_dir, mail_dir] =
        ["kube", "nats", "ferretdb", "localstripe", "mailpit"].map(|d| dir.join(d));
    // Start the components side by side; the API server takes longest.
    let (kube, nats, mongo, stripe, mail) = tokio::join!(
        KubeApi::start(&kube_dir, kube_ports),
        Nats::start(&nats_dir, Port::Prefer(4222), Port::Prefer(8222)),
        Mongo::start(&mongo_dir, Port::Prefer(27017)),
        LocalStripe::start_persistent(&stripe_dir, Port::Prefer(8420)),
        MailSink::start(&mail_dir, Port::Prefer(1025), Port::Prefer(8025)),
    );
    Ok(Stack {
        kube: kube.context("Kubernetes API server")?,
        nats: nats.context("NATS")?,
        mongo: mongo.context("FerretDB")?,
        stripe: stripe.context("localstripe")?,
        mail: mail.context("mailpit")?,
        sms: SmsSink::start(&dir.join("sms"), Port::Prefer(8026)).context("SMS sink")?,
    })
}

/// Starts `sellout-operator` (built next to this binary) against the
/// local API server; returns it and its metrics URL.
fn start_operator(stack: &Stack, dir: &Path) -> anyhow::Result<Option<(Process, String)>> {
    let bin = std::env::current_exe()?.with_file_name("sellout-operator");
    if !bin.is_file() {
        eprintln!(
            "sellout-operator is not built ({}): not started",
            bin.display()
        );
        return Ok(None);
    }
    let port = Port::Prefer(9090).pick()?;
    let worker = worker_files(stack, dir)?;
    let (worker_account, worker_signer) = stack.nats.worker_issuer();
    let mut cmd = std::process::Command::new(&bin);
    cmd.env("KUBECONFIG", stack.kube.kubeconfig())
        .env("SELLOUT_MONGO_URI", stack.mongo.uri())
        .env("SELLOUT_NATS_URL", stack.nats.url())
        .env(
            "SELLOUT_NATS_CREDS_FILE",
            stack.nats.creds_file(Component::Operator),
        )
        // Each event's workers get a NATS user of their own, minted by
        // the operator with the SELLOUT account's signing key.
        .env("SELLOUT_WORKER_NATS_ACCOUNT", &worker_account)
        .env("SELLOUT_WORKER_NATS_SIGNING_KEY_FILE", worker_signer)
        .env("SELLOUT_WORKER_LOG_DIR", dir.join("workers"))
        // Inherited by the Local runtime's workers: ticket keys and
        // Stripe (localstripe), so the checkout role takes orders.
        .envs(worker)
        .args([
            "--runtime",
            "local",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ]);
    let proc = Process::spawn("sellout-operator", cmd, &dir.join("operator.log"))?;
    eprintln!("started sellout-operator (Local runtime: workers run as its child processes)");
    Ok(Some((proc, format!("http://127.0.0.1:{port}/metrics"))))
}

/// The gateway's JWT signing keys: `<dir>/gateway/jwt-keys/dev`, 32
/// random bytes (hex) made on the first run and kept, so logins survive a
/// restart.
fn jwt_keys(dir: &Path) -> anyhow::Result<PathBuf> {
    use std::io::Read;
    let keys = dir.join("gateway").join("jwt-keys");
    let key = keys.join("dev");
    if !key.is_file() {
        std::fs::create_dir_all(&keys)?;
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(&key, hex).with_context(|| format!("write {}", key.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(keys)
}

/// Starts `sellout-gateway` (built next to this binary) on :4000 (or
/// another free port), with localstripe's webhooks pointed at it.
async fn start_gateway(stack: &Stack, dir: &Path) -> anyhow::Result<Option<(Process, String)>> {
    let bin = std::env::current_exe()?.with_file_name("sellout-gateway");
    if !bin.is_file() {
        eprintln!(
            "sellout-gateway is not built ({}): not started",
            bin.display()
        );
        return Ok(None);
    }
    let port = Port::Prefer(4000).pick()?;
    // Login codes go to mailpit and the SMS sink, like the workers' mail.
    let messaging: Vec<_> = worker_files(stack, dir)?
        .into_iter()
        .filter(|(k, _)| {
            k.starts_with("SELLOUT_SMTP_")
                || k.starts_with("SELLOUT_SMS_")
                || k == "SELLOUT_MAIL_FROM"
        })
        .collect();
    let secret_file = dir.join("stripe").join("webhook-secret");
    let keys = jwt_keys(dir)?;
    let mut cmd = std::process::Command::new(&bin);
    cmd.env("KUBECONFIG", stack.kube.kubeconfig())
        .env("SELLOUT_NATS_URL", stack.nats.url())
        .env(
            "SELLOUT_NATS_CREDS_FILE",
            stack.nats.creds_file(Component::Gateway),
        )
        .env(
            "SELLOUT_NATS_LOGIN_CREDS_FILE",
            stack.nats.creds_file(Component::Login),
        )
        .env("SELLOUT_MONGO_URI", stack.mongo.uri())
        .env("SELLOUT_JWT_KEYS_DIR", &keys)
        .env("SELLOUT_STRIPE_WEBHOOK_SECRET_FILE", &secret_file)
        .envs(messaging)
        .args(["--listen", &format!("127.0.0.1:{port}")]);
    // GraphiQL from the gateway itself when `make tools` fetched its files
    // (else the page loads it from its CDN).
    let graphiql = sellout_e2e::tools::cache_dir().join("share/graphiql");
    if graphiql.is_dir() {
        cmd.env("SELLOUT_GRAPHIQL_ASSETS", &graphiql);
    }
    // The scanner app, when `make web` built it.
    let scanner = absolute(Path::new(SCANNER_APP))?;
    if scanner.join("index.html").is_file() {
        cmd.env("SELLOUT_SCANNER_APP", &scanner);
    } else {
        eprintln!("{SCANNER_APP} is not built (run `make web`): the scanner app is not served");
    }
    // The purchase portal, when `make web` built it, paying through
    // localstripe's stand-in for Stripe.js.
    let portal = absolute(Path::new(PORTAL_APP))?;
    if portal.join("index.html").is_file() {
        cmd.env("SELLOUT_PORTAL_APP", &portal)
            .env("SELLOUT_STRIPE_PUBLISHABLE_KEY", "pk_test_sellout_dev")
            .env(
                "SELLOUT_STRIPE_JS_URL",
                format!("{}/js.stripe.com/v3/", stack.stripe.url()),
            );
    } else {
        eprintln!("{PORTAL_APP} is not built (run `make web`): the purchase portal is not served");
    }
    // Backstage, the promoters' back office, when `make web` built it.
    let backstage = absolute(Path::new(BACKSTAGE_APP))?;
    if backstage.join("index.html").is_file() {
        cmd.env("SELLOUT_BACKSTAGE_APP", &backstage);
        // An origin of its own (browsers resolve every *.localhost name to
        // this machine), apart from the portal's scripts.
        cmd.env("SELLOUT_BACKSTAGE_HOST", BACKSTAGE_HOST);
    } else {
        eprintln!("{BACKSTAGE_APP} is not built (run `make web`): Backstage is not served");
    }
    let proc = Process::spawn("sellout-gateway", cmd, &dir.join("gateway.log"))?;
    let url = format!("http://127.0.0.1:{port}");
    let secret = std::fs::read_to_string(&secret_file)
        .with_context(|| format!("read {}", secret_file.display()))?;
    stack
        .stripe
        .register_webhook(
            "sellout-dev",
            &format!("{url}/webhooks/stripe"),
            secret.trim(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!("started sellout-gateway on {url}/graphql");
    Ok(Some((proc, url)))
}

/// The checkout workers' files under `dir` (kept across runs): a ticket
/// signing key, the Stripe secret key (localstripe's) and a webhook
/// secret; returns the environment pointing at them.
fn worker_files(stack: &Stack, dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let keys = dir.join("ticket-keys");
    std::fs::create_dir_all(&keys)?;
    if !keys.join("current").is_file() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519)?;
        write_private(&keys.join("1.pem"), &key.serialize_pem())?;
        std::fs::write(keys.join("current"), "1\n")?;
    }
    let stripe = dir.join("stripe");
    std::fs::create_dir_all(&stripe)?;
    write_private(&stripe.join("secret-key"), sellout_e2e::stripe::SECRET_KEY)?;
    if !stripe.join("webhook-secret").is_file() {
        let secret = format!("whsec_dev{}", uuid_like());
        write_private(&stripe.join("webhook-secret"), &secret)?;
    }
    let path = |p: &Path| p.to_string_lossy().into_owned();
    Ok(vec![
        ("SELLOUT_TICKET_KEYS_DIR".into(), path(&keys)),
        (
            "SELLOUT_STRIPE_API_BASE".into(),
            format!("{}/", stack.stripe.url()),
        ),
        (
            "SELLOUT_STRIPE_SECRET_KEY_FILE".into(),
            path(&stripe.join("secret-key")),
        ),
        (
            "SELLOUT_STRIPE_WEBHOOK_SECRET_FILE".into(),
            path(&stripe.join("webhook-secret")),
        ),
        // Buyers' mail goes to mailpit.
        ("SELLOUT_SMTP_HOST".into(), stack.mail.smtp_host().into()),
        (
            "SELLOUT_SMTP_PORT".into(),
            stack.mail.smtp_port().to_string(),
        ),
        ("SELLOUT_SMTP_TLS".into(), "none".into()),
        (
            "SELLOUT_MAIL_FROM".into(),
            "Sellout Dev <tickets@sellout.localhost>".into(),
        ),
    ]
    .into_iter()
    // Texts go to the SMS sink.
    .chain(stack.sms.env())
    .collect())
}

/// 32 hex digits from the OS's randomness.
fn uuid_like() -> String {
    use std::io::Read;
    let mut buf = [0u8; 16];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        let _ = f.read_exact(&mut buf);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_private(path: &Path, content: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("write {}", path.display()))?;
    f.write_all(content.as_bytes())?;
    Ok(())
}

/// `kubectl apply --server-side` of every manifest in `dir`, if it has any.
fn apply_dir(kube: &KubeApi, dir: &Path, what: &str) -> anyhow::Result<()> {
    let has_yaml = std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
            })
        })
        .unwrap_or(false);
    if !has_yaml {
        eprintln!("no {what} in {} yet: nothing to apply", dir.display());
        return Ok(());
    }
    let out = kube
        .kubectl()?
        .args([
            "apply",
            "--server-side",
            "--field-manager=sellout-dev",
            "-f",
        ])
        .arg(dir)
        .output()
        .context("run kubectl")?;
    if !out.status.success() {
        bail!(
            "applying {what} from {} failed:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    eprintln!("applied {what} from {}", dir.display());
    Ok(())
}

/// The example organization's Stripe account Secret, which `examples/`
/// only references (secrets never go into the repo): created with a local
/// placeholder connected-account id unless it exists already.
fn dev_stripe_account(kube: &KubeApi) -> anyhow::Result<()> {
    const NS: &str = "riverside-presents";
    let exists = kube
        .kubectl()?
        .args(["get", "namespace", NS])
        .output()
        .context("run kubectl")?;
    if !exists.status.success() {
        return Ok(());
    }
    // Kept as it is when present (someone may have put a real test id in).
    let present = kube
        .kubectl()?
        .args(["get", "secret", "riverside-stripe", "-n", NS])
        .output()
        .context("run kubectl")?;
    if present.status.success() {
        return Ok(());
    }
    let out = kube
        .kubectl()?
        .args([
            "create",
            "secret",
            "generic",
            "riverside-stripe",
            "-n",
            NS,
            "--from-literal=accountId=acct_1SelloutLocalDev",
        ])
        .output()
        .context("run kubectl")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && !stderr.contains("already exists") {
        bail!("creating the example Stripe account Secret failed:\n{stderr}");
    }
    Ok(())
}

/// Serves the demo promoter page (a "Buy tickets" button that opens the
/// portal over the page with the gateway's `/embed.js`) on
/// [`DEMO_SITE_PORT`], or another free port (whose origin is then not an
/// embed origin of the example: the browser refuses to frame the
/// portal); its URL.
async fn start_demo_site(gateway: &str) -> anyhow::Result<String> {
    let port = Port::Prefer(DEMO_SITE_PORT).pick()?;
    if port != DEMO_SITE_PORT {
        eprintln!(
            "port {DEMO_SITE_PORT} is taken: the demo page is on {port}, whose origin the example organization does not allow to embed the portal"
        );
    }
    let page = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Riverside Presents (demo)</title></head>
<body><main><h1>Riverside Presents</h1><p>Riverside Festival 2027: two days by the river.</p>
<button type="button" data-sellout-event="{EXAMPLE_EVENT}">Buy tickets</button>
<p>This page stands for a promoter's own site: the button opens Sellout's purchase portal over it (<code>{gateway}/embed.js</code>).</p></main>
<script src="{gateway}/embed.js" async></script></body></html>"#
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(page) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://localhost:{port}/"))
}

fn print_summary(
    s: &Stack,
    env_file: &Path,
    operator: Option<&(Process, String)>,
    gateway: Option<&(Process, String)>,
    demo: Option<&str>,
) {
    let operator = match operator {
        Some((p, metrics)) => format!("running, metrics {metrics}, log {}", p.log_path().display()),
        None => "not built".into(),
    };
    let portal = match (gateway, Path::new(PORTAL_APP).join("index.html").is_file()) {
        (Some((_, url)), true) => format!(
            "{url}/portal/{EXAMPLE_EVENT} (buyers; pay with card 4242 4242 4242 4242, any future date and CVC)\n                   demo promoter page with the embed button: {}",
            demo.unwrap_or("not started")
        ),
        (Some(_), false) => "not built (make web)".into(),
        (None, _) => "not served".into(),
    };
    let backstage = match (
        gateway,
        Path::new(BACKSTAGE_APP).join("index.html").is_file(),
    ) {
        (Some((_, url)), true) => format!(
            "http://{BACKSTAGE_HOST}:{}/backstage/ (promoters: sign in as owner@riverside.example, the code\n                   arrives in the mail inbox {}; boxoffice@ and door@riverside.example\n                   see their roles' pages)",
            url.rsplit(':').next().unwrap_or_default(),
            s.mail.http_url()
        ),
        (Some(_), false) => "not built (make web)".into(),
        (None, _) => "not served".into(),
    };
    let (gateway, scanner) = match gateway {
        Some((p, url)) => (
            format!(
                "{url}/graphql (GraphiQL in a browser), log {}",
                p.log_path().display()
            ),
            if Path::new(SCANNER_APP).join("index.html").is_file() {
                format!(
                    "{url}/scanner/ (door staff: log in as a SCANNER, e.g. owner@riverside.example)"
                )
            } else {
                "not built (make web)".into()
            },
        ),
        None => ("not built".into(), "not served".into()),
    };

    let kc = s.kube.kubeconfig().display();
    let kubectl = sellout_e2e::tools::binary("kubectl", "kube")
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "kubectl".into());
    println!(
        "\n\
Sellout is running. Ctrl-C stops it; the data stays for the next `make dev`.

  Kubernetes API   {api}
    kubeconfig     {kc}
    try            {kubectl} --kubeconfig {kc} get sellout -A
                   {kubectl} --kubeconfig {kc} explain events.sellout.io.spec
  NATS JetStream   {nats}   (monitoring {natsmon})
  MongoDB (FerretDB) {mongo}
  Stripe (localstripe) {stripe}   (secret key {key})
  Mail (mailpit)   SMTP 127.0.0.1:{smtp}, inbox {mailui}
  SMS (sink)       texts at {sms}/messages and in {smslog}

  Operator         {operator}
                   (Local runtime: each event's workers run as supervised processes,
                   logs in .dev/workers; checkout serves holds and orders over NATS,
                   paying through localstripe; scan workers admit tickets at the door)

  GraphQL gateway  {gateway}
                   (log in with requestLoginCode + login, the code arrives in the mail
                   inbox or the SMS sink; owner@riverside.example is the example
                   organization's OWNER, then send `Authorization: Bearer <accessToken>`)
  Scanner app      {scanner}
  Purchase portal  {portal}
  Backstage        {backstage}

  Environment for your shell: source {env}
",
        api = s.kube.url(),
        nats = s.nats.url(),
        natsmon = s.nats.monitor_url(),
        mongo = s.mongo.uri(),
        stripe = s.stripe.url(),
        key = sellout_e2e::stripe::SECRET_KEY,
        smtp = s.mail.smtp_port(),
        mailui = s.mail.http_url(),
        sms = s.sms.base_url(),
        smslog = s.sms.token_file().with_file_name("texts.log").display(),
        env = env_file.display(),
    );
}

async fn wait_for_shutdown() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r?,
        _ = term.recv() => {}
    }
    Ok(())
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() {
        p.to_owned()
    } else {
        std::env::current_dir()?.join(p)
    })
}

/// A pid file that keeps two `make dev` from sharing one data directory.
struct PidLock(PathBuf);

impl PidLock {
    fn acquire(path: &Path) -> anyhow::Result<Self> {
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(pid) = text.trim().parse::<u32>()
            && pid != std::process::id()
            && sellout_e2e::process::pid_alive(pid)
            && is_sellout_dev(pid)
        {
            bail!(
                "another sellout-dev (pid {pid}) is using {}; stop it (Ctrl-C in its terminal, or kill {pid}) or pass --data-dir",
                path.parent().unwrap_or(path).display()
            );
        }
        std::fs::write(path, std::process::id().to_string())?;
        Ok(PidLock(path.to_owned()))
    }
}

fn is_sellout_dev(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/cmdline"))
        .map(|c| c.contains("sellout-dev"))
        .unwrap_or(false)
}

impl Drop for PidLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
