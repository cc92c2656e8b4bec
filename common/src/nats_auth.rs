//! Who may do what on NATS: each component connects with its own NATS
//! user (an nkey: the server knows the public key, the component holds
//! the seed) and that user's subject permissions.
//!
//! NATS carries requests that create complimentary orders, import paid
//! orders, refund events, the login buckets and the inventory ledger, so
//! a client without credentials gets nothing, and each component only
//! what its work needs:
//!
//! - the **gateway** publishes the workers' requests (`…rpc.…`), owns the
//!   login buckets, and reads streams; it cannot publish to an event's
//!   stream (the ledger, orders, tickets, check-ins) nor delete or purge
//!   a stream;
//! - a **worker** publishes to events' subjects and answers requests; it
//!   cannot publish or subscribe to the login buckets' subjects (sessions,
//!   codes, rates, revocations) or name them in a JetStream API subject,
//!   nor delete or purge a stream;
//! - the **operator** manages streams and consumers through the
//!   JetStream API and publishes nothing else.
//!
//! [`server_authorization`] renders these as the `authorization` block of
//! a nats-server configuration; the test harness and `make dev` start
//! nats-server with it, so every component a test starts runs under these
//! permissions.
//!
//! Subject permissions check subjects only, not what a JetStream API
//! request asks for: within the one account the components share, a
//! component allowed `$JS.API.>` can still mirror or source a stream,
//! update a stream's configuration or point a push consumer's deliveries
//! at a stream subject. Closing that needs separate accounts
//! (docs/security.md, "Not built yet").

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The login buckets: only the gateway reads or writes them.
pub const LOGIN_BUCKETS: [&str; 4] = [
    "sellout_login_codes",
    "sellout_login_rates",
    "sellout_sessions",
    "sellout_revoked_sessions",
];

/// A component with its own NATS user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Component {
    /// The GraphQL gateway.
    Gateway,
    /// Any worker (checkout, orders, scan, mail).
    Worker,
    /// The operator.
    Operator,
}

impl Component {
    /// Every component.
    pub const ALL: [Component; 3] = [Component::Gateway, Component::Worker, Component::Operator];

    /// Lower-case name (`gateway`, `worker`, `operator`).
    pub fn name(self) -> &'static str {
        match self {
            Component::Gateway => "gateway",
            Component::Worker => "worker",
            Component::Operator => "operator",
        }
    }
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
    /// May answer requests it received (publish to their reply subject).
    pub allow_responses: bool,
}

/// The JetStream API subjects that act on stream `stream` (its info,
/// messages, consumers, direct gets), and its KV subjects when it is a
/// bucket: what a user is denied to keep it away from that stream.
fn stream_api(stream: &str) -> Vec<String> {
    vec![
        // STREAM.{INFO,CREATE,UPDATE,DELETE,PURGE}.<s>, CONSUMER.{CREATE,NAMES,LIST}.<s>
        format!("$JS.API.*.*.{stream}"),
        // STREAM.MSG.{GET,DELETE}.<s>
        format!("$JS.API.*.*.*.{stream}"),
        // CONSUMER.{CREATE,INFO,DELETE}.<s>.<name>[.<filter>]
        format!("$JS.API.CONSUMER.*.{stream}.>"),
        // CONSUMER.DURABLE.CREATE.<s>.<name>, CONSUMER.MSG.NEXT.<s>.<name>
        format!("$JS.API.CONSUMER.*.*.{stream}.>"),
        format!("$JS.API.DIRECT.GET.{stream}"),
        format!("$JS.API.DIRECT.GET.{stream}.>"),
    ]
}

/// Stream-wide deletions no component but the operator makes.
const DESTRUCTIVE: [&str; 3] = [
    "$JS.API.STREAM.DELETE.>",
    "$JS.API.STREAM.PURGE.>",
    "$JS.API.STREAM.MSG.DELETE.>",
];

/// The permissions of `component`'s NATS user.
pub fn permissions(component: Component) -> Permissions {
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match component {
        Component::Gateway => {
            let mut publish_allow = own(&[
                // The workers' requests.
                "sellout.event.*.rpc.>",
                // Stream reads, ordered consumers, the login buckets.
                "$JS.API.>",
                "$JS.ACK.>",
                "$JS.FC.>",
            ]);
            publish_allow.extend(LOGIN_BUCKETS.iter().map(|b| format!("$KV.{b}.>")));
            Permissions {
                publish_allow,
                publish_deny: own(&DESTRUCTIVE),
                subscribe_allow: own(&[
                    "_INBOX.>",
                    // Live availability, order states and check-ins.
                    "sellout.event.*.live.>",
                    "sellout.event.*.checkins.>",
                ]),
                subscribe_deny: Vec::new(),
                allow_responses: false,
            }
        }
        Component::Worker => {
            let mut publish_deny = own(&DESTRUCTIVE);
            let mut subscribe_deny = Vec::new();
            for b in LOGIN_BUCKETS {
                publish_deny.extend(stream_api(&format!("KV_{b}")));
                publish_deny.push(format!("$KV.{b}.>"));
                subscribe_deny.push(format!("$KV.{b}.>"));
            }
            Permissions {
                publish_allow: own(&[
                    // Stream subjects, live subjects and the requests of
                    // one worker to another (orders to checkout).
                    "sellout.event.>",
                    "$JS.API.>",
                    "$JS.ACK.>",
                    "$JS.FC.>",
                    // The checkout writers' leases.
                    "$KV.sellout-checkout-writers.>",
                ]),
                publish_deny,
                subscribe_allow: own(&["_INBOX.>", "sellout.event.>"]),
                subscribe_deny,
                allow_responses: true,
            }
        }
        Component::Operator => Permissions {
            publish_allow: own(&["$JS.API.>"]),
            publish_deny: Vec::new(),
            subscribe_allow: own(&["_INBOX.>"]),
            subscribe_deny: Vec::new(),
            allow_responses: false,
        },
    }
}

/// `{ allow: [...], deny: [...] }`, the empty lists left out.
fn rules(allow: &[String], deny: &[String]) -> String {
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !allow.is_empty() {
        parts.push(format!("allow: [{}]", quoted(allow)));
    }
    if !deny.is_empty() {
        parts.push(format!("deny: [{}]", quoted(deny)));
    }
    format!("{{ {} }}", parts.join(", "))
}

/// The `authorization { users = [...] }` block of a nats-server
/// configuration for `users`: (public nkey, component), or `None` for a
/// user with every permission (the platform's own administration).
pub fn server_authorization(users: &[(String, Option<Component>)]) -> String {
    let mut out = String::from("authorization {\n  users = [\n");
    for (nkey, component) in users {
        let _ = write!(out, "    {{ nkey: {nkey:?}");
        if let Some(c) = component {
            let p = permissions(*c);
            let _ = write!(
                out,
                ", permissions: {{ publish: {}, subscribe: {}{} }}",
                rules(&p.publish_allow, &p.publish_deny),
                rules(&p.subscribe_allow, &p.subscribe_deny),
                if p.allow_responses {
                    ", allow_responses: true"
                } else {
                    ""
                }
            );
        }
        out.push_str(" }\n");
    }
    out.push_str("  ]\n}\n");
    out
}

/// The reply subject of a request, when it is an inbox (`_INBOX.…`, where
/// request/reply answers go). NATS does not check the reply subject a
/// requester sets, and a worker may publish to events' streams: answering
/// a request whose reply names `sellout.event.<id>.ledger` or a writer
/// lease would write the answer there. Such requests get no answer.
pub fn inbox_reply(reply: Option<&async_nats::Subject>) -> Option<async_nats::Subject> {
    reply.filter(|r| r.starts_with("_INBOX.")).cloned()
}

/// How a component proves who it is to NATS (flags shared by every
/// binary). Its `Debug` never shows the seed.
#[derive(clap::Args, Clone, Default)]
pub struct NatsCredentials {
    /// File holding this component's NATS nkey seed (`SU…`, from
    /// `nsc` or `nk -gen user`); the server knows its public key and the
    /// permissions that go with it. Without it (and without
    /// SELLOUT_NATS_NKEY) the connection is anonymous, which a server
    /// with authorization refuses.
    #[arg(long, env = "SELLOUT_NATS_NKEY_FILE")]
    pub nats_nkey_file: Option<PathBuf>,
    /// The nkey seed itself, for deployments that pass it in the
    /// environment from a Secret (SELLOUT_NATS_NKEY; not for the command
    /// line, where other users of the machine can read it).
    #[arg(long, env = "SELLOUT_NATS_NKEY", hide_env_values = true, hide = true)]
    pub nats_nkey: Option<String>,
}

/// Why credentials could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// The seed file could not be read.
    #[error("cannot read the NATS nkey seed file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The seed is not a user seed.
    #[error(
        "the NATS nkey seed {origin} is not a user seed: it must be one line starting with SU (nk -gen user)"
    )]
    NotASeed {
        /// Where it came from (the file or the variable).
        origin: String,
    },
}

impl std::fmt::Debug for NatsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsCredentials")
            .field("nats_nkey_file", &self.nats_nkey_file)
            .field("nats_nkey", &self.nats_nkey.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl NatsCredentials {
    /// Credentials read from a seed file.
    pub fn from_file(path: impl AsRef<Path>) -> Self {
        Self {
            nats_nkey_file: Some(path.as_ref().to_owned()),
            nats_nkey: None,
        }
    }

    /// The seed, if any: the variable's, else the file's.
    pub fn seed(&self) -> Result<Option<String>, CredentialsError> {
        let (seed, origin) = match (&self.nats_nkey, &self.nats_nkey_file) {
            (Some(s), _) => (s.trim().to_owned(), "in SELLOUT_NATS_NKEY".to_owned()),
            (None, Some(path)) => (
                std::fs::read_to_string(path)
                    .map_err(|source| CredentialsError::Read {
                        path: path.clone(),
                        source,
                    })?
                    .trim()
                    .to_owned(),
                format!("in {}", path.display()),
            ),
            (None, None) => return Ok(None),
        };
        if !seed.starts_with("SU") || seed.contains(char::is_whitespace) {
            return Err(CredentialsError::NotASeed { origin });
        }
        Ok(Some(seed))
    }

    /// Connect options carrying these credentials.
    pub fn options(&self) -> Result<async_nats::ConnectOptions, CredentialsError> {
        Ok(match self.seed()? {
            Some(seed) => async_nats::ConnectOptions::with_nkey(seed),
            None => async_nats::ConnectOptions::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn may_publish(c: Component, subject: &str) -> bool {
        let p = permissions(c);
        p.publish_allow.iter().any(|f| matches(f, subject))
            && !p.publish_deny.iter().any(|f| matches(f, subject))
    }

    #[test]
    fn each_component_publishes_only_its_part() {
        let ledger = "sellout.event.abc.ledger";
        let hold = "sellout.event.abc.rpc.hold";
        let comp = "sellout.event.abc.rpc.order.box_office";
        assert!(may_publish(Component::Gateway, hold));
        assert!(may_publish(Component::Gateway, comp));
        assert!(!may_publish(Component::Gateway, ledger));
        assert!(!may_publish(Component::Gateway, "sellout.event.abc.orders"));
        assert!(!may_publish(
            Component::Gateway,
            "$JS.API.STREAM.PURGE.sellout-event-abc"
        ));
        assert!(may_publish(Component::Gateway, "$KV.sellout_sessions.x"));
        assert!(may_publish(Component::Worker, ledger));
        for b in LOGIN_BUCKETS {
            assert!(
                !may_publish(Component::Worker, &format!("$KV.{b}.k")),
                "{b}"
            );
            for api in [
                format!("$JS.API.STREAM.INFO.KV_{b}"),
                format!("$JS.API.STREAM.UPDATE.KV_{b}"),
                format!("$JS.API.STREAM.MSG.GET.KV_{b}"),
                format!("$JS.API.CONSUMER.CREATE.KV_{b}"),
                format!("$JS.API.CONSUMER.CREATE.KV_{b}.n.$KV.{b}.>"),
                format!("$JS.API.CONSUMER.DURABLE.CREATE.KV_{b}.n"),
                format!("$JS.API.CONSUMER.MSG.NEXT.KV_{b}.n"),
                format!("$JS.API.DIRECT.GET.KV_{b}.$KV.{b}.k"),
            ] {
                assert!(!may_publish(Component::Worker, &api), "{api}");
            }
        }
        assert!(may_publish(
            Component::Worker,
            "$JS.API.STREAM.INFO.sellout-event-abc"
        ));
        assert!(may_publish(
            Component::Worker,
            "$KV.sellout-checkout-writers.k"
        ));
        assert!(!may_publish(
            Component::Worker,
            "$JS.API.STREAM.DELETE.sellout-event-abc"
        ));
        assert!(!may_publish(Component::Operator, ledger));
        assert!(!may_publish(Component::Operator, hold));
        assert!(may_publish(
            Component::Operator,
            "$JS.API.STREAM.CREATE.sellout-event-abc"
        ));
    }

    #[test]
    fn the_server_block_lists_every_user_with_its_permissions() {
        let conf = server_authorization(&[
            ("UADMIN".into(), None),
            ("UGW".into(), Some(Component::Gateway)),
            ("UWK".into(), Some(Component::Worker)),
        ]);
        assert!(conf.contains("{ nkey: \"UADMIN\" }"), "{conf}");
        assert!(conf.contains("\"sellout.event.*.rpc.>\""), "{conf}");
        assert!(conf.contains("allow_responses: true"), "{conf}");
        assert_eq!(conf.matches("nkey:").count(), 3);
    }

    #[test]
    fn answers_go_to_inboxes_only() {
        let subject = |s: &str| async_nats::Subject::from(s.to_owned());
        assert_eq!(
            inbox_reply(Some(&subject("_INBOX.abc.1"))),
            Some(subject("_INBOX.abc.1"))
        );
        for bad in [
            "sellout.event.abc.ledger",
            "$KV.sellout-checkout-writers.sellout-event-abc",
            "_INBOXX.a",
            "x._INBOX.a",
        ] {
            assert_eq!(inbox_reply(Some(&subject(bad))), None, "{bad}");
        }
        assert_eq!(inbox_reply(None), None);
    }

    #[test]
    fn a_seed_that_is_not_one_says_so_without_showing_it() {
        let bad = NatsCredentials {
            nats_nkey: Some("not-a-seed secret".into()),
            nats_nkey_file: None,
        };
        let e = bad.seed().unwrap_err().to_string();
        assert!(
            e.contains("not a user seed") && !e.contains("secret"),
            "{e}"
        );
        let none = NatsCredentials::default();
        assert!(none.seed().unwrap().is_none());
        let missing = NatsCredentials::from_file("/nonexistent/seed.nk");
        assert!(
            missing
                .seed()
                .unwrap_err()
                .to_string()
                .contains("/nonexistent/seed.nk")
        );
    }
}
