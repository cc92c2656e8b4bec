//! Who may do what on NATS. The server runs in operator mode: every
//! client proves who it is with a user JWT and the nkey seed that goes
//! with it (a `.creds` file), and every user belongs to one account. An
//! account is a world of its own: its subjects, streams and buckets are
//! invisible from the others, whatever a client asks the JetStream API.
//!
//! - **SELLOUT** holds the events: their streams (orders, tickets,
//!   check-ins, the inventory ledger), the workers' requests and the
//!   checkout writers' leases. Its users are the **gateway**, the
//!   **operator** and one **worker user per event**, which the operator
//!   mints when it starts the event's workers ([`WorkerIssuer`]).
//! - **LOGIN** holds the login buckets (codes, attempt counts, sessions,
//!   revocations). Its one user is the gateway's second connection
//!   ([`Component::Login`]); no worker and not the operator can reach
//!   them.
//! - **SYS** is the server's system account.
//!
//! Within SELLOUT each user gets only what its work needs ([`permissions`],
//! [`worker_permissions`]):
//!
//! - the gateway publishes the workers' requests (`…rpc.…`) and reads the
//!   events' streams; it cannot publish to a stream subject, nor create,
//!   change, delete or purge a stream;
//! - an event's worker publishes to and reads that event's subjects, its
//!   stream and its own writer lease, and answers requests; nothing of
//!   another event, and no stream creation, change, deletion or purge;
//! - the operator manages streams and consumers through the JetStream API
//!   and publishes nothing else.
//!
//! Each user has its own inbox prefix (`_INBOX_<user>`), and may subscribe
//! to that one only: a worker cannot read the answers another event's
//! workers send the gateway.
//!
//! [`Platform`] makes a whole installation's keys: the server's
//! configuration and each component's credentials. The test harness and
//! `make dev` start nats-server with it, so every component a test starts
//! runs under these permissions.
//!
//! Subject permissions check subjects, not what a JetStream API request
//! asks for: a worker may create a consumer on its own stream, and a push
//! consumer's deliveries can be pointed at any subject of the account
//! (docs/security.md, "Not built yet").

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nats_io_jwt::{
    Account, Claims, Operator, OperatorLimits, Permission, ResponsePermission, SigningKeys,
    SigningKeysItem, StringList, SystemAccount, Token, User,
};
use nkeys::KeyPair;

use crate::names::{Names, WRITER_LEASES};

/// The login buckets, in the LOGIN account: only the gateway reads or
/// writes them.
pub const LOGIN_BUCKETS: [&str; 4] = [
    "sellout_login_codes",
    "sellout_login_rates",
    "sellout_sessions",
    "sellout_revoked_sessions",
];

/// A component with a NATS user of its own (workers have one per event:
/// [`worker_permissions`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Component {
    /// The GraphQL gateway, in the SELLOUT account.
    Gateway,
    /// The gateway's connection to the LOGIN account (the login buckets).
    Login,
    /// The operator, in the SELLOUT account.
    Operator,
}

impl Component {
    /// Every component.
    pub const ALL: [Component; 3] = [Component::Gateway, Component::Login, Component::Operator];

    /// Lower-case name (`gateway`, `login`, `operator`).
    pub fn name(self) -> &'static str {
        match self {
            Component::Gateway => "gateway",
            Component::Login => "login",
            Component::Operator => "operator",
        }
    }

    /// The inbox prefix its client uses, the only inbox it may read.
    pub fn inbox_prefix(self) -> String {
        format!("_INBOX_{}", self.name())
    }
}

/// The inbox prefix of `names`'s event's workers.
pub fn worker_inbox_prefix(names: &Names) -> String {
    let id = names
        .subject_prefix
        .rsplit('.')
        .next()
        .unwrap_or(&names.subject_prefix);
    format!("_INBOX_{id}")
}

/// Subject permissions of one NATS user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permissions {
    /// Subjects it may publish to.
    pub publish_allow: Vec<String>,
    /// Subjects it may not publish to, even if allowed above.
    pub publish_deny: Vec<String>,
    /// Subjects it may subscribe to.
    pub subscribe_allow: Vec<String>,
    /// Subjects it may not subscribe to, even if allowed above.
    pub subscribe_deny: Vec<String>,
    /// May answer requests it received (publish once to their reply
    /// subject).
    pub allow_responses: bool,
}

/// The JetStream API requests that read stream `stream` and consume it
/// (its info, messages, direct gets, consumers, acknowledgements and flow
/// control); not creating, changing, deleting or purging it.
fn reads_stream(stream: &str) -> Vec<String> {
    [
        format!("$JS.API.STREAM.INFO.{stream}"),
        format!("$JS.API.STREAM.MSG.GET.{stream}"),
        format!("$JS.API.DIRECT.GET.{stream}"),
        format!("$JS.API.DIRECT.GET.{stream}.>"),
        format!("$JS.API.CONSUMER.CREATE.{stream}"),
        format!("$JS.API.CONSUMER.CREATE.{stream}.>"),
        format!("$JS.API.CONSUMER.DURABLE.CREATE.{stream}.>"),
        format!("$JS.API.CONSUMER.INFO.{stream}.>"),
        format!("$JS.API.CONSUMER.DELETE.{stream}.>"),
        format!("$JS.API.CONSUMER.MSG.NEXT.{stream}.>"),
        format!("$JS.ACK.{stream}.>"),
        format!("$JS.FC.{stream}.>"),
    ]
    .into()
}

fn own(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The permissions of `component`'s NATS user.
pub fn permissions(component: Component) -> Permissions {
    match component {
        Component::Gateway => {
            let mut publish_allow = own(&[
                // The workers' requests.
                "sellout.event.*.rpc.>",
                "$JS.API.INFO",
            ]);
            // Reading any event's stream (live order states, check-ins).
            publish_allow.extend(reads_stream("*"));
            Permissions {
                publish_allow,
                publish_deny: Vec::new(),
                subscribe_allow: vec![
                    format!("{}.>", component.inbox_prefix()),
                    // Live availability, order states and check-ins.
                    "sellout.event.*.live.>".into(),
                    "sellout.event.*.checkins.>".into(),
                ],
                subscribe_deny: Vec::new(),
                allow_responses: false,
            }
        }
        // Alone in its account with the login buckets, which it creates.
        Component::Login => Permissions {
            publish_allow: own(&["$JS.API.>", "$JS.ACK.>", "$JS.FC.>", "$KV.>"]),
            publish_deny: Vec::new(),
            subscribe_allow: vec![format!("{}.>", component.inbox_prefix())],
            subscribe_deny: Vec::new(),
            allow_responses: false,
        },
        Component::Operator => Permissions {
            publish_allow: own(&["$JS.API.>"]),
            publish_deny: Vec::new(),
            subscribe_allow: vec![format!("{}.>", component.inbox_prefix())],
            subscribe_deny: Vec::new(),
            allow_responses: false,
        },
    }
}

/// The permissions of the worker user of `names`'s event: its subjects,
/// its stream and its own writer lease.
pub fn worker_permissions(names: &Names) -> Permissions {
    let leases = format!("KV_{WRITER_LEASES}");
    let lease = names.writer_lease_key();
    let mut publish_allow = vec![
        // Stream subjects, live subjects and the requests of one worker
        // to another (orders to checkout), of this event.
        format!("{}.>", names.subject_prefix),
        "$JS.API.INFO".into(),
        // The writer lease of this event.
        format!("$KV.{WRITER_LEASES}.{lease}"),
        format!("$JS.API.STREAM.INFO.{leases}"),
        format!("$JS.API.STREAM.MSG.GET.{leases}"),
        format!("$JS.API.DIRECT.GET.{leases}.$KV.{WRITER_LEASES}.{lease}"),
    ];
    publish_allow.extend(reads_stream(&names.stream));
    Permissions {
        publish_allow,
        publish_deny: Vec::new(),
        subscribe_allow: vec![
            format!("{}.>", worker_inbox_prefix(names)),
            format!("{}.>", names.subject_prefix),
        ],
        subscribe_deny: Vec::new(),
        allow_responses: true,
    }
}

/// The reply subject of a request, when it is an inbox (`_INBOX.…`, or a
/// user's own `_INBOX_<user>.…`), where request/reply answers go. NATS
/// does not check the reply subject a requester sets, and a worker may
/// publish to its event's stream: answering a request whose reply names
/// `sellout.event.<id>.ledger` or a writer lease would write the answer
/// there. Such requests get no answer.
pub fn inbox_reply(reply: Option<&async_nats::Subject>) -> Option<async_nats::Subject> {
    reply
        .filter(|r| {
            let first = r.split('.').next().unwrap_or_default();
            r.contains('.')
                && (first == "_INBOX"
                    || first.strip_prefix("_INBOX_").is_some_and(|u| !u.is_empty()))
        })
        .cloned()
}

/// A NATS account of the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountName {
    /// The events: streams, requests, writer leases.
    Sellout,
    /// The login buckets.
    Login,
}

impl AccountName {
    fn of(component: Component) -> Self {
        match component {
            Component::Login => AccountName::Login,
            Component::Gateway | Component::Operator => AccountName::Sellout,
        }
    }
}

/// Why credentials or keys could not be used. No message shows a seed.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// A file could not be read.
    #[error("cannot read {what} {path}: {source}")]
    Read {
        /// What the file should hold.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The credentials are not a `.creds` file's.
    #[error(
        "the NATS credentials {origin} are not a .creds file: it holds a user JWT and its nkey seed (-----BEGIN NATS USER JWT----- …)"
    )]
    NotCreds {
        /// Where they came from (the file or the variable).
        origin: String,
    },
    /// A key is not of the kind needed.
    #[error("{what} {origin} is not {expected}")]
    BadKey {
        /// What the key is for.
        what: &'static str,
        /// Where it came from.
        origin: String,
        /// What it should be.
        expected: &'static str,
    },
    /// A TLS file cannot be read.
    #[error("{flag} {path}: {error}; give the PEM file mounted from the NATS TLS Secret")]
    Tls {
        /// The flag naming it.
        flag: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        error: String,
    },
}

/// A JWT signed by `issuer` (the account's key or one of its signing
/// keys) for user `user` with `permissions` (every permission of its
/// account when `None`).
fn user_jwt(
    issuer: &KeyPair,
    issuer_account: Option<&str>,
    user: &KeyPair,
    name: &str,
    permissions: Option<&Permissions>,
) -> String {
    let list = |v: &[String]| (!v.is_empty()).then(|| StringList(v.to_vec()));
    let mut claims = User {
        // The server asks the client to sign its nonce with the seed: the
        // JWT alone (as in a leaked log line) does not connect.
        bearer_token: false,
        issuer_account: issuer_account.map(str::to_owned),
        ..Default::default()
    };
    if let Some(p) = permissions {
        claims.pub_ = Some(Permission {
            allow: list(&p.publish_allow),
            deny: list(&p.publish_deny),
        });
        claims.sub = Some(Permission {
            allow: list(&p.subscribe_allow),
            deny: list(&p.subscribe_deny),
        });
        if p.allow_responses {
            claims.resp = Some(ResponsePermission {
                max: Some(1),
                ttl: None,
            });
        }
    }
    Token::new(user.public_key())
        .name(name)
        .claims(Claims::User(claims))
        .sign(issuer)
}

/// A `.creds` file's text: the user's JWT and seed.
fn creds_text(jwt: &str, user: &KeyPair) -> String {
    let seed = user.seed().expect("a generated user key has a seed");
    format!(
        "-----BEGIN NATS USER JWT-----\n{jwt}\n------END NATS USER JWT------\n\n\
         ************************* IMPORTANT *************************\n\
         NKEY Seed printed below can be used to sign and prove identity.\n\
         NKEYs are sensitive and should be treated as secrets.\n\n\
         -----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n\n\
         *************************************************************\n"
    )
}

/// What mints the per-event worker users: the SELLOUT account's public
/// key and one of its signing keys. The operator holds it and hands each
/// event's workers credentials for that event only. Its `Debug` never
/// shows the seed.
#[derive(Clone)]
pub struct WorkerIssuer {
    account: String,
    signer: Arc<KeyPair>,
}

impl std::fmt::Debug for WorkerIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerIssuer")
            .field("account", &self.account)
            .field("signer", &self.signer.public_key())
            .finish()
    }
}

impl WorkerIssuer {
    /// From the account's public key (`A…`) and a signing key's seed
    /// (`SA…`) read from `seed_file`.
    pub fn from_file(account: &str, seed_file: &Path) -> Result<Self, CredentialsError> {
        let seed = std::fs::read_to_string(seed_file).map_err(|source| CredentialsError::Read {
            what: "the worker account's signing key",
            path: seed_file.to_owned(),
            source,
        })?;
        Self::new(account, seed.trim(), &seed_file.display().to_string())
    }

    fn new(account: &str, seed: &str, origin: &str) -> Result<Self, CredentialsError> {
        let bad = |what, expected| CredentialsError::BadKey {
            what,
            origin: origin.to_owned(),
            expected,
        };
        if !account.starts_with('A') || KeyPair::from_public_key(account).is_err() {
            return Err(CredentialsError::BadKey {
                what: "the worker account",
                origin: account.to_owned(),
                expected: "an account public key (A…, 56 characters)",
            });
        }
        let signer = KeyPair::from_seed(seed)
            .ok()
            .filter(|k| k.public_key().starts_with('A'))
            .ok_or_else(|| {
                bad(
                    "the signing key in",
                    "an account signing key seed (one line starting with SA)",
                )
            })?;
        Ok(Self {
            account: account.to_owned(),
            signer: Arc::new(signer),
        })
    }

    /// The SELLOUT account's public key.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// New credentials (a `.creds` file's text) for the workers of
    /// `names`'s event, named `name`.
    pub fn worker_creds(&self, names: &Names, name: &str) -> String {
        let user = KeyPair::new_user();
        let jwt = user_jwt(
            &self.signer,
            Some(&self.account),
            &user,
            name,
            Some(&worker_permissions(names)),
        );
        creds_text(&jwt, &user)
    }
}

/// Every key of one installation: the NATS operator, the accounts and the
/// SELLOUT account's signing key. It renders the server's configuration
/// and each component's credentials. Made once per installation (the
/// test harness makes one per server); its `Debug` shows public keys
/// only.
pub struct Platform {
    operator: KeyPair,
    system: KeyPair,
    sellout: KeyPair,
    sellout_signer: KeyPair,
    login: KeyPair,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform")
            .field("operator", &self.operator.public_key())
            .field("sellout", &self.sellout.public_key())
            .field("login", &self.login.public_key())
            .finish_non_exhaustive()
    }
}

impl Default for Platform {
    fn default() -> Self {
        Self::generate()
    }
}

impl Platform {
    /// New keys.
    pub fn generate() -> Self {
        Self {
            operator: KeyPair::new_operator(),
            system: KeyPair::new_account(),
            sellout: KeyPair::new_account(),
            sellout_signer: KeyPair::new_account(),
            login: KeyPair::new_account(),
        }
    }

    /// Every seed, one `name: seed` line each: what [`Self::from_seeds`]
    /// reads back (an installation's keys live as long as its data:
    /// JetStream keeps each account's streams under the account's key).
    pub fn seeds(&self) -> String {
        let mut out = String::new();
        for (name, key) in self.named() {
            let _ = writeln!(out, "{name}: {}", key.seed().expect("keys with seeds"));
        }
        out
    }

    /// Keys from what [`Self::seeds`] wrote (`origin` names it in errors).
    pub fn from_seeds(text: &str, origin: &str) -> Result<Self, CredentialsError> {
        let seed = |name: &str, prefix: &'static str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
                .and_then(|s| KeyPair::from_seed(s.trim()).ok())
                .filter(|k| k.seed().is_ok_and(|s| s.starts_with(prefix)))
                .ok_or_else(|| CredentialsError::BadKey {
                    what: "the installation's keys in",
                    origin: origin.to_owned(),
                    expected: "one `name: seed` line for each of operator, system, sellout, sellout-signer and login",
                })
        };
        Ok(Self {
            operator: seed("operator", "SO")?,
            system: seed("system", "SA")?,
            sellout: seed("sellout", "SA")?,
            sellout_signer: seed("sellout-signer", "SA")?,
            login: seed("login", "SA")?,
        })
    }

    fn named(&self) -> [(&'static str, &KeyPair); 5] {
        [
            ("operator", &self.operator),
            ("system", &self.system),
            ("sellout", &self.sellout),
            ("sellout-signer", &self.sellout_signer),
            ("login", &self.login),
        ]
    }

    fn account_key(&self, account: AccountName) -> &KeyPair {
        match account {
            AccountName::Sellout => &self.sellout,
            AccountName::Login => &self.login,
        }
    }

    /// The public key of `account`.
    pub fn account_public_key(&self, account: AccountName) -> String {
        self.account_key(account).public_key()
    }

    /// The nats-server configuration of operator mode: the operator's JWT,
    /// the system account and the accounts' JWTs (preloaded, so the server
    /// needs no account resolver). JetStream is enabled in SELLOUT and
    /// LOGIN.
    pub fn server_config(&self) -> String {
        let operator = Token::new(self.operator.public_key())
            .name("sellout")
            .claims(Claims::Operator(Operator {
                system_account: Some(SystemAccount(self.system.public_key())),
                ..Default::default()
            }))
            .sign(&self.operator);
        let account = |key: &KeyPair, name: &str, signer: Option<&KeyPair>, jetstream: bool| {
            let mut limits = OperatorLimits {
                // Every user here signs the server's nonce.
                disallow_bearer: true,
                ..Default::default()
            };
            if !jetstream {
                limits.mem_storage = 0;
                limits.disk_storage = 0;
                limits.streams = 0;
                limits.consumer = 0;
            }
            Token::new(key.public_key())
                .name(name)
                .claims(Claims::Account(Account {
                    limits: Some(limits),
                    signing_keys: signer
                        .map(|s| SigningKeys(vec![SigningKeysItem::PublicKey(s.public_key())])),
                    ..Default::default()
                }))
                .sign(&self.operator)
        };
        let mut out = String::new();
        let _ = writeln!(out, "operator: {operator:?}");
        let _ = writeln!(out, "system_account: {:?}", self.system.public_key());
        out.push_str("resolver: MEMORY\nresolver_preload: {\n");
        for (key, name, signer, js) in [
            (&self.system, "SYS", None, false),
            (&self.sellout, "SELLOUT", Some(&self.sellout_signer), true),
            (&self.login, "LOGIN", None, true),
        ] {
            let _ = writeln!(
                out,
                "  {}: {:?}",
                key.public_key(),
                account(key, name, signer, js)
            );
        }
        out.push_str("}\n");
        out
    }

    /// New credentials of `component`'s user (a `.creds` file's text).
    pub fn creds(&self, component: Component) -> String {
        self.user_creds(
            AccountName::of(component),
            component.name(),
            Some(&permissions(component)),
        )
    }

    /// New credentials of a user with every permission in `account` (the
    /// installation's own administration and the tests' inspections).
    pub fn admin_creds(&self, account: AccountName) -> String {
        self.user_creds(account, "admin", None)
    }

    fn user_creds(
        &self,
        account: AccountName,
        name: &str,
        permissions: Option<&Permissions>,
    ) -> String {
        let user = KeyPair::new_user();
        let jwt = match account {
            AccountName::Sellout => user_jwt(
                &self.sellout_signer,
                Some(&self.sellout.public_key()),
                &user,
                name,
                permissions,
            ),
            AccountName::Login => {
                user_jwt(self.account_key(account), None, &user, name, permissions)
            }
        };
        creds_text(&jwt, &user)
    }

    /// The SELLOUT signing key's seed, for the operator's
    /// `--worker-nats-signing-key-file`.
    pub fn worker_signing_seed(&self) -> String {
        self.sellout_signer
            .seed()
            .expect("a generated account key has a seed")
    }

    /// The worker issuer of this installation.
    pub fn worker_issuer(&self) -> WorkerIssuer {
        WorkerIssuer {
            account: self.sellout.public_key(),
            signer: Arc::new(
                KeyPair::from_seed(&self.worker_signing_seed()).expect("a seed it made itself"),
            ),
        }
    }
}

/// Reads a `.creds` text from `inline` (a variable) or `file`.
fn load_creds(
    inline: Option<&str>,
    inline_name: &str,
    file: Option<&Path>,
) -> Result<Option<(String, String)>, CredentialsError> {
    let (text, origin) = match (inline, file) {
        (Some(s), _) => (s.to_owned(), format!("in {inline_name}")),
        (None, Some(path)) => (
            std::fs::read_to_string(path).map_err(|source| CredentialsError::Read {
                what: "the NATS credentials file",
                path: path.to_owned(),
                source,
            })?,
            format!("in {}", path.display()),
        ),
        (None, None) => return Ok(None),
    };
    if !text.contains("BEGIN NATS USER JWT") || !text.contains("BEGIN USER NKEY SEED") {
        return Err(CredentialsError::NotCreds { origin });
    }
    Ok(Some((text, origin)))
}

/// Connect options for `creds` with inbox prefix `inbox`.
fn connect_options(
    creds: Option<(String, String)>,
    inbox: &str,
) -> Result<async_nats::ConnectOptions, CredentialsError> {
    let options = match creds {
        Some((text, origin)) => async_nats::ConnectOptions::with_credentials(&text)
            .map_err(|_| CredentialsError::NotCreds { origin })?,
        None => async_nats::ConnectOptions::new(),
    };
    Ok(options.custom_inbox_prefix(inbox))
}

/// How a component proves who it is to NATS (flags shared by every
/// binary). Its `Debug` never shows the credentials.
#[derive(clap::Args, Clone, Default)]
pub struct NatsCredentials {
    /// File holding this component's NATS credentials: a `.creds` file
    /// (the user's JWT, which names its account and permissions, and the
    /// nkey seed that proves it). Without it (and without
    /// SELLOUT_NATS_CREDS) the connection is anonymous, which Sellout's
    /// NATS refuses.
    #[arg(long, env = "SELLOUT_NATS_CREDS_FILE")]
    pub nats_creds_file: Option<PathBuf>,
    /// The `.creds` text itself, for deployments that pass it in the
    /// environment from a Secret (SELLOUT_NATS_CREDS; not for the command
    /// line, where other users of the machine can read it).
    #[arg(long, env = "SELLOUT_NATS_CREDS", hide_env_values = true, hide = true)]
    pub nats_creds: Option<String>,
    /// TLS to NATS.
    #[command(flatten)]
    pub tls: NatsTls,
}

/// TLS to NATS (flags shared by every binary): the server's certificate
/// checked against a CA of its own (a cert-manager or NATS chart CA,
/// mounted from a Secret), and a client certificate for servers that
/// verify clients. Without a CA file a `tls://` URL is checked against
/// the system's trust store.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct NatsTls {
    /// PEM file of the CA(s) that signed the NATS server's certificate
    /// (e.g. a Secret's `ca.crt`). Given, TLS is required.
    #[arg(long, env = "SELLOUT_NATS_TLS_CA_FILE")]
    pub nats_tls_ca_file: Option<PathBuf>,
    /// PEM file of this component's client certificate (`tls.crt`), for a
    /// NATS that verifies clients; with --nats-tls-key-file.
    #[arg(
        long,
        env = "SELLOUT_NATS_TLS_CERT_FILE",
        requires = "nats_tls_key_file"
    )]
    pub nats_tls_cert_file: Option<PathBuf>,
    /// PEM file of the client certificate's private key (`tls.key`).
    #[arg(
        long,
        env = "SELLOUT_NATS_TLS_KEY_FILE",
        requires = "nats_tls_cert_file"
    )]
    pub nats_tls_key_file: Option<PathBuf>,
}

impl NatsTls {
    /// `options` with this TLS set up; a file that cannot be read is an
    /// error naming it (async-nats reads them only when connecting).
    pub fn apply(
        &self,
        mut options: async_nats::ConnectOptions,
    ) -> Result<async_nats::ConnectOptions, CredentialsError> {
        // Read now, so a wrong file stops the process at start with its
        // name (async-nats reads them only when it connects, and keeps
        // retrying).
        let pem = |flag: &'static str, path: &Path, what: &str| {
            let error = |error: String| CredentialsError::Tls {
                flag,
                path: path.to_owned(),
                error,
            };
            let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
            if text.contains("-----BEGIN") && text.contains(what) {
                Ok(())
            } else {
                Err(error(format!("no PEM {what} in it")))
            }
        };
        if let Some(ca) = &self.nats_tls_ca_file {
            pem("--nats-tls-ca-file", ca, "CERTIFICATE")?;
            options = options.add_root_certificates(ca.clone()).require_tls(true);
        }
        if let (Some(cert), Some(key)) = (&self.nats_tls_cert_file, &self.nats_tls_key_file) {
            pem("--nats-tls-cert-file", cert, "CERTIFICATE")?;
            pem("--nats-tls-key-file", key, "PRIVATE KEY")?;
            options = options
                .add_client_certificate(cert.clone(), key.clone())
                .require_tls(true);
        }
        Ok(options)
    }
}

impl std::fmt::Debug for NatsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsCredentials")
            .field("nats_creds_file", &self.nats_creds_file)
            .field(
                "nats_creds",
                &self.nats_creds.as_ref().map(|_| "<redacted>"),
            )
            .field("tls", &self.tls)
            .finish()
    }
}

impl NatsCredentials {
    /// Credentials read from a `.creds` file.
    pub fn from_file(path: impl AsRef<Path>) -> Self {
        Self {
            nats_creds_file: Some(path.as_ref().to_owned()),
            nats_creds: None,
            tls: NatsTls::default(),
        }
    }

    /// Whether any are given.
    pub fn is_set(&self) -> bool {
        self.nats_creds.is_some() || self.nats_creds_file.is_some()
    }

    /// Connect options carrying these credentials, with inbox prefix
    /// `inbox` (the one its user may read: [`Component::inbox_prefix`],
    /// [`worker_inbox_prefix`]).
    pub fn options(&self, inbox: &str) -> Result<async_nats::ConnectOptions, CredentialsError> {
        self.tls.apply(connect_options(
            load_creds(
                self.nats_creds.as_deref(),
                "SELLOUT_NATS_CREDS",
                self.nats_creds_file.as_deref(),
            )?,
            inbox,
        )?)
    }
}

/// The gateway's credentials for the LOGIN account, where the login
/// buckets live. Its `Debug` never shows them.
#[derive(clap::Args, Clone, Default)]
pub struct NatsLoginCredentials {
    /// File holding the gateway's NATS credentials for the LOGIN account
    /// (a `.creds` file): the login buckets live there, out of reach of
    /// the workers and the operator. Needed to take logins.
    #[arg(long, env = "SELLOUT_NATS_LOGIN_CREDS_FILE")]
    pub nats_login_creds_file: Option<PathBuf>,
    /// The `.creds` text itself (SELLOUT_NATS_LOGIN_CREDS, from a Secret).
    #[arg(
        long,
        env = "SELLOUT_NATS_LOGIN_CREDS",
        hide_env_values = true,
        hide = true
    )]
    pub nats_login_creds: Option<String>,
}

impl std::fmt::Debug for NatsLoginCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsLoginCredentials")
            .field("nats_login_creds_file", &self.nats_login_creds_file)
            .field(
                "nats_login_creds",
                &self.nats_login_creds.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl NatsLoginCredentials {
    /// Whether any are given.
    pub fn is_set(&self) -> bool {
        self.nats_login_creds.is_some() || self.nats_login_creds_file.is_some()
    }

    /// Connect options carrying these credentials (inbox prefix of
    /// [`Component::Login`]), over `tls` (the same server's, as the
    /// component's main connection).
    pub fn options(&self, tls: &NatsTls) -> Result<async_nats::ConnectOptions, CredentialsError> {
        tls.apply(connect_options(
            load_creds(
                self.nats_login_creds.as_deref(),
                "SELLOUT_NATS_LOGIN_CREDS",
                self.nats_login_creds_file.as_deref(),
            )?,
            &Component::Login.inbox_prefix(),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_installations_keys_are_read_back_as_written() {
        let p = Platform::generate();
        let again = Platform::from_seeds(&p.seeds(), "test").unwrap();
        assert_eq!(again.seeds(), p.seeds());
        assert_eq!(again.server_config(), p.server_config());
        // A line missing, or a user seed where an account's goes: refused.
        let short: String = p
            .seeds()
            .lines()
            .skip(1)
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(Platform::from_seeds(&short, "test").is_err());
        let user = KeyPair::new_user().seed().unwrap();
        let wrong = p.seeds().replace(&p.login.seed().unwrap(), &user);
        assert!(Platform::from_seeds(&wrong, "test").is_err());
    }

    fn matches(filter: &str, subject: &str) -> bool {
        let (f, s): (Vec<_>, Vec<_>) = (filter.split('.').collect(), subject.split('.').collect());
        for (i, t) in f.iter().enumerate() {
            match *t {
                ">" => return s.len() > i,
                "*" if i < s.len() => {}
                t if s.get(i) == Some(&t) => {}
                _ => return false,
            }
        }
        f.len() == s.len()
    }

    fn may(p: &Permissions, subject: &str) -> bool {
        p.publish_allow.iter().any(|f| matches(f, subject))
            && !p.publish_deny.iter().any(|f| matches(f, subject))
    }

    fn may_read(p: &Permissions, subject: &str) -> bool {
        p.subscribe_allow.iter().any(|f| matches(f, subject))
            && !p.subscribe_deny.iter().any(|f| matches(f, subject))
    }

    const A: &str = "0b5e7c1e-1234-4000-8000-00000000000a";
    const B: &str = "0b5e7c1e-1234-4000-8000-00000000000b";

    #[test]
    fn each_component_publishes_only_its_part() {
        let (a, b) = (Names::for_uid(A), Names::for_uid(B));
        let gateway = permissions(Component::Gateway);
        let worker = worker_permissions(&a);
        let operator = permissions(Component::Operator);
        let ledger = a.ledger();
        let hold = a.subject("rpc.hold");
        assert!(may(&gateway, &hold));
        assert!(may(&gateway, &a.subject("rpc.order.box_office")));
        assert!(!may(&gateway, &ledger));
        assert!(!may(&gateway, &a.subject("orders")));
        assert!(may(&gateway, &format!("$JS.API.STREAM.INFO.{}", a.stream)));
        for verb in ["CREATE", "UPDATE", "DELETE", "PURGE"] {
            let api = format!("$JS.API.STREAM.{verb}.{}", a.stream);
            assert!(!may(&gateway, &api), "{api}");
            assert!(!may(&worker, &api), "{api}");
        }
        assert!(may(&worker, &ledger));
        assert!(may(&worker, &format!("$JS.API.STREAM.INFO.{}", a.stream)));
        assert!(may(
            &worker,
            &format!("$JS.API.CONSUMER.MSG.NEXT.{}.email", a.stream)
        ));
        assert!(may(
            &worker,
            &format!("$KV.{WRITER_LEASES}.{}", a.writer_lease_key())
        ));
        // Nothing of another event.
        assert!(!may(&worker, &b.ledger()));
        assert!(!may(&worker, &b.subject("rpc.hold")));
        assert!(!may(&worker, &format!("$JS.API.STREAM.INFO.{}", b.stream)));
        assert!(!may(
            &worker,
            &format!("$JS.API.CONSUMER.CREATE.{}.x", b.stream)
        ));
        assert!(!may(
            &worker,
            &format!("$KV.{WRITER_LEASES}.{}", b.writer_lease_key())
        ));
        assert!(!may_read(&worker, &b.subject("rpc.hold")));
        assert!(!may(&operator, &ledger));
        assert!(!may(&operator, &hold));
        assert!(may(
            &operator,
            &format!("$JS.API.STREAM.CREATE.{}", a.stream)
        ));
    }

    #[test]
    fn each_user_reads_only_its_own_inbox() {
        let (a, b) = (Names::for_uid(A), Names::for_uid(B));
        let worker = worker_permissions(&a);
        assert!(may_read(
            &worker,
            &format!("{}.x.1", worker_inbox_prefix(&a))
        ));
        assert!(!may_read(
            &worker,
            &format!("{}.x.1", worker_inbox_prefix(&b))
        ));
        assert!(!may_read(&worker, "_INBOX.x.1"));
        assert!(!may_read(
            &worker,
            &format!("{}.x.1", Component::Gateway.inbox_prefix())
        ));
        let gateway = permissions(Component::Gateway);
        assert!(may_read(
            &gateway,
            &format!("{}.x.1", Component::Gateway.inbox_prefix())
        ));
        assert!(!may_read(
            &gateway,
            &format!("{}.x.1", worker_inbox_prefix(&a))
        ));
        assert_ne!(worker_inbox_prefix(&a), worker_inbox_prefix(&b));
    }

    #[test]
    fn answers_go_to_inboxes_only() {
        let subject = |s: &str| async_nats::Subject::from(s.to_owned());
        for good in ["_INBOX.abc.1", "_INBOX_gateway.abc.1"] {
            assert_eq!(inbox_reply(Some(&subject(good))), Some(subject(good)));
        }
        for bad in [
            "sellout.event.abc.ledger",
            "$KV.sellout-checkout-writers.sellout-event-abc",
            "_INBOXX.a",
            "_INBOX_",
            "_INBOX_.a",
            "x._INBOX.a",
        ] {
            assert_eq!(inbox_reply(Some(&subject(bad))), None, "{bad}");
        }
        assert_eq!(inbox_reply(None), None);
    }

    /// The payload of a JWT, decoded.
    fn claims(jwt: &str) -> serde_json::Value {
        use base64::Engine as _;
        let body = jwt.split('.').nth(1).unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(body)
                .unwrap(),
        )
        .unwrap()
    }

    fn jwt_of(creds: &str) -> &str {
        creds
            .lines()
            .skip_while(|l| !l.contains("BEGIN NATS USER JWT"))
            .nth(1)
            .unwrap()
    }

    #[test]
    fn the_platform_signs_every_user_into_its_account() {
        let p = Platform::generate();
        let conf = p.server_config();
        assert!(conf.contains("resolver: MEMORY"), "{conf}");
        assert_eq!(conf.matches(": \"eyJ").count(), 4, "{conf}");
        let sellout = p.account_public_key(AccountName::Sellout);
        let gw = claims(jwt_of(&p.creds(Component::Gateway)));
        assert_eq!(gw["nats"]["issuer_account"], sellout.as_str());
        assert_eq!(gw["nats"]["bearer_token"], false);
        assert!(
            gw["nats"]["pub"]["allow"]
                .as_array()
                .unwrap()
                .contains(&"sellout.event.*.rpc.>".into())
        );
        let login = claims(jwt_of(&p.creds(Component::Login)));
        assert_eq!(
            login["iss"],
            p.account_public_key(AccountName::Login).as_str()
        );
        let names = Names::for_uid(A);
        let worker = claims(jwt_of(&p.worker_issuer().worker_creds(&names, "w")));
        assert_eq!(worker["nats"]["issuer_account"], sellout.as_str());
        assert_eq!(worker["nats"]["resp"]["max"], 1);
        assert!(
            worker["nats"]["pub"]["allow"]
                .as_array()
                .unwrap()
                .contains(&format!("{}.>", names.subject_prefix).into())
        );
        let admin = claims(jwt_of(&p.admin_creds(AccountName::Sellout)));
        assert!(admin["nats"]["pub"].is_null());
    }

    #[test]
    fn the_worker_issuer_reads_its_key_and_says_what_is_wrong() {
        let p = Platform::generate();
        let dir = std::env::temp_dir().join(format!("nats-auth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("signer.nk");
        std::fs::write(&file, format!("{}\n", p.worker_signing_seed())).unwrap();
        let sellout = p.account_public_key(AccountName::Sellout);
        let issuer = WorkerIssuer::from_file(&sellout, &file).unwrap();
        assert_eq!(issuer.account(), sellout);
        assert!(!format!("{issuer:?}").contains(&p.worker_signing_seed()));
        let e = WorkerIssuer::from_file("not-an-account", &file)
            .unwrap_err()
            .to_string();
        assert!(e.contains("account public key"), "{e}");
        std::fs::write(&file, "SUsecret-not-a-seed\n").unwrap();
        let e = WorkerIssuer::from_file(&sellout, &file)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("signing key seed") && !e.contains("secret"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn credentials_that_are_not_creds_say_so_without_showing_them() {
        let bad = NatsCredentials {
            nats_creds: Some("not creds secret".into()),
            ..Default::default()
        };
        let e = bad.options("_INBOX_x").unwrap_err().to_string();
        assert!(
            e.contains("not a .creds file") && !e.contains("secret"),
            "{e}"
        );
        assert!(NatsCredentials::default().options("_INBOX_x").is_ok());
        let missing = NatsCredentials::from_file("/nonexistent/user.creds");
        let e = missing.options("_INBOX_x").unwrap_err().to_string();
        assert!(e.contains("/nonexistent/user.creds"), "{e}");
        let good = NatsCredentials {
            nats_creds: Some(Platform::generate().creds(Component::Operator)),
            ..Default::default()
        };
        assert!(good.options("_INBOX_operator").is_ok());
        assert!(!format!("{good:?}").contains("SEED"));
        let no_ca = NatsCredentials {
            tls: NatsTls {
                nats_tls_ca_file: Some("/nonexistent/ca.crt".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let e = no_ca.options("_INBOX_x").unwrap_err().to_string();
        assert!(
            e.contains("--nats-tls-ca-file") && e.contains("/nonexistent/ca.crt"),
            "{e}"
        );
    }
}
