//! Who is calling and what they may do: access tokens and roles, in one
//! place for every resolver.
//!
//! - **Access tokens** are short-lived JWTs (HS256, 15 minutes by default)
//!   naming the login (an e-mail address or a phone number) and the session
//!   (the refresh-token family) they came from. Signing keys come from a
//!   Secret mounted as a directory (one file per key, the file name is the
//!   key id); the key named by `--jwt-signing-key` signs, every key
//!   verifies, so keys rotate without logging anyone out.
//! - **Roles** are read from the Organizations' `spec.members` (by e-mail)
//!   at every request, so a role removed in Backstage or by GitOps applies
//!   at once, not when a token runs out. An organization's namespace is its
//!   scope: SUPER_USER > OWNER > ADMIN > BOX_OFFICE > SCANNER > USER. A
//!   SUPER_USER is a member with that role of the Organization in the
//!   platform namespace (`--platform-namespace`); the role elsewhere counts
//!   as OWNER, so an organization cannot make its own super users. Anyone
//!   logged in is a USER of every organization (they can buy).
//!
//! - **Logging in** ([`login`]): a one-time code sent by e-mail or SMS,
//!   then rotating refresh tokens ([`refresh`]), logout; the GraphQL side
//!   is [`schema`]. Access tokens of a session that was logged out or
//!   revoked are refused at once ([`Auth::viewer`] checks an in-memory
//!   set every replica keeps up to date).
//!
//! - **Export links** ([`export`]): short-lived tokens of their own
//!   audience for CSV downloads, checked again (role, session) when used.
//!
//! Resolvers call [`require`] (a role in a namespace) or [`signed_in`].

pub mod checkout;
pub mod codes;
pub mod delivery;
pub mod export;
pub mod input;
pub mod login;
pub mod refresh;
pub mod schema;
pub mod store;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Context, Error};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sellout_crds::organization::Role;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::error::{self, gql_error};

/// Who logged in: an e-mail address or a phone number (E.164), as typed at
/// login, normalised (e-mail lower-cased, phone without spaces).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Login {
    /// An e-mail address.
    Email(String),
    /// A phone number in E.164 form (`+447700900123`).
    Phone(String),
}

impl Login {
    /// The e-mail address, when this login is one.
    pub fn email(&self) -> Option<&str> {
        match self {
            Login::Email(e) => Some(e),
            Login::Phone(_) => None,
        }
    }

    /// `email:<address>` or `phone:<number>`: the JWT subject.
    pub fn subject(&self) -> String {
        match self {
            Login::Email(e) => format!("email:{e}"),
            Login::Phone(p) => format!("phone:{p}"),
        }
    }

    /// `email` or `sms`: how codes reach this login (for logs, which never
    /// name the login itself).
    pub fn channel(&self) -> &'static str {
        match self {
            Login::Email(_) => "email",
            Login::Phone(_) => "sms",
        }
    }

    /// Parses [`subject`](Self::subject).
    pub fn from_subject(s: &str) -> Option<Self> {
        match s.split_once(':')? {
            ("email", e) if !e.is_empty() => Some(Login::Email(e.to_owned())),
            ("phone", p) if !p.is_empty() => Some(Login::Phone(p.to_owned())),
            _ => None,
        }
    }
}

/// A caller with a valid access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// Who.
    pub login: Login,
    /// The session (refresh-token family) the token belongs to.
    pub session: String,
}

/// What the request's `Authorization` header said, put into every
/// request's data by the HTTP layer.
#[derive(Clone, Debug)]
pub enum Viewer {
    /// No token: public queries only.
    Anonymous,
    /// A valid token.
    User(Principal),
    /// A token was sent but is expired, tampered with or malformed: public
    /// queries still answer, anything needing a login gets this error.
    Invalid {
        /// [`error::TOKEN_EXPIRED`] or [`error::BAD_TOKEN`].
        code: &'static str,
        /// What is wrong with it.
        message: String,
    },
}

/// JWT claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    sid: String,
    iat: u64,
    exp: u64,
    iss: String,
    aud: String,
}

const ISSUER: &str = "sellout-gateway";
const AUDIENCE: &str = "sellout";

/// Token signing and the role rules.
pub struct Auth {
    /// `(key id, encoding key, decoding key)`; the first signs.
    keys: Vec<(String, EncodingKey, DecodingKey)>,
    /// Namespace whose Organization's SUPER_USER members are platform staff.
    pub platform_namespace: String,
    /// Lifetime of an access token.
    pub access_ttl: Duration,
    /// Lifetime of a refresh token (each use rotates it).
    pub refresh_ttl: Duration,
    /// Lifetime of an export (CSV download) link's token ([`export`]).
    pub export_ttl: Duration,
    /// `(key id, pepper)` of login-code hashes, one per key; the first is
    /// the signing key's.
    peppers: Vec<(String, [u8; 32])>,
    /// Logins by code, refresh and logout; `None`: this gateway takes no
    /// logins (only verifies tokens).
    pub logins: Option<Arc<login::Logins>>,
    /// Address ranges of the proxies in front (ingress, load balancer):
    /// a request from one of them has its client's address taken from
    /// `X-Forwarded-For`, as the first hop from the right that is not a
    /// trusted proxy. Empty: see [`LoginConfig::trust_forwarded_for`](login::LoginConfig).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// The client's address, put into every request's data by the HTTP layer
/// (`None` when the server was not given connection info).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

/// The client's address as the last `X-Forwarded-For` entry says (the one
/// the proxy in front added; entries before it are the client's say).
pub fn forwarded_for(value: &str) -> Option<IpAddr> {
    let last = value.rsplit(',').next()?.trim();
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// Why signing keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The directory could not be read.
    #[error("cannot read JWT signing keys from {dir}: {source}")]
    Read {
        /// The directory.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// No usable key.
    #[error(
        "no JWT signing key: put at least one file of 32 or more random bytes in {0} (the file name is the key id)"
    )]
    None(String),
    /// A key is too short.
    #[error("JWT signing key {0:?} is shorter than 32 bytes: use 32 or more random bytes")]
    Short(String),
    /// The signing key id names no file.
    #[error("--jwt-signing-key {0:?} names no key in the keys directory")]
    UnknownSigner(String),
}

impl Auth {
    /// Keys given as `(key id, secret)`; the first signs.
    pub fn new(
        keys: Vec<(String, Vec<u8>)>,
        platform_namespace: impl Into<String>,
    ) -> Result<Self, KeyError> {
        if keys.is_empty() {
            return Err(KeyError::None("the key list".into()));
        }
        let mut out = Vec::with_capacity(keys.len());
        let mut peppers = Vec::with_capacity(keys.len());
        for (kid, secret) in keys {
            if secret.len() < 32 {
                return Err(KeyError::Short(kid));
            }
            peppers.push((kid.clone(), codes::pepper(&secret)));
            out.push((
                kid,
                EncodingKey::from_secret(&secret),
                DecodingKey::from_secret(&secret),
            ));
        }
        Ok(Self {
            keys: out,
            platform_namespace: platform_namespace.into(),
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            export_ttl: Duration::from_secs(5 * 60),
            peppers,
            logins: None,
            trusted_proxies: Vec::new(),
        })
    }

    /// The pepper new login codes are hashed with, and its key id.
    pub fn code_pepper(&self) -> (&str, &[u8; 32]) {
        let (kid, pepper) = &self.peppers[0];
        (kid, pepper)
    }

    /// The pepper of key `kid`, while that key is configured.
    pub fn code_pepper_for(&self, kid: &str) -> Option<&[u8; 32]> {
        self.peppers.iter().find(|(k, _)| k == kid).map(|(_, p)| p)
    }

    /// The client's address. Behind [`trusted_proxies`](Self::trusted_proxies):
    /// a request from a trusted proxy is its `X-Forwarded-For` chain's
    /// first hop from the right that is not a trusted proxy (the entries
    /// left of it are whatever the client wrote); one from elsewhere is its
    /// connection's peer. Without trusted proxies, the last
    /// `X-Forwarded-For` entry when the login configuration trusts it (one
    /// proxy that sets it), else the peer.
    pub fn client_ip(&self, headers: &axum::http::HeaderMap, peer: Option<SocketAddr>) -> ClientIp {
        let peer = peer.map(|p| p.ip());
        if !self.trusted_proxies.is_empty() {
            let trusted = |ip: &IpAddr| self.trusted_proxies.iter().any(|n| n.contains(ip));
            let Some(mut nearest) = peer else {
                return ClientIp(None);
            };
            if !trusted(&nearest) {
                return ClientIp(Some(nearest));
            }
            let hops: Vec<&str> = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect();
            for hop in hops.iter().rev() {
                // A hop that is not an address: the client cannot be told
                // apart; the nearest proxy's address stands for it.
                let Some(ip) = forwarded_for(hop) else {
                    return ClientIp(Some(nearest));
                };
                if !trusted(&ip) {
                    return ClientIp(Some(ip));
                }
                nearest = ip;
            }
            return ClientIp(Some(nearest));
        }
        let trust = self
            .logins
            .as_ref()
            .is_some_and(|l| l.config.trust_forwarded_for);
        if trust
            && let Some(ip) = headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(forwarded_for)
        {
            return ClientIp(Some(ip));
        }
        ClientIp(peer)
    }

    /// Keys from a directory (a mounted Secret: one file per key, the file
    /// name is the key id; dot-files are skipped). `signer` picks the
    /// signing key; without it the last by name signs (name keys by date
    /// to rotate: `2026-11`, `2027-02`, …).
    pub fn from_dir(
        dir: &std::path::Path,
        signer: Option<&str>,
        platform_namespace: impl Into<String>,
    ) -> Result<Self, KeyError> {
        let read_err = |source| KeyError::Read {
            dir: dir.display().to_string(),
            source,
        };
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_err)? {
            let entry = entry.map_err(read_err)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !entry.path().is_file() {
                continue;
            }
            let secret = std::fs::read(entry.path()).map_err(read_err)?;
            keys.push((name, secret.trim_ascii_end().to_vec()));
        }
        if keys.is_empty() {
            return Err(KeyError::None(dir.display().to_string()));
        }
        keys.sort_by(|a, b| b.0.cmp(&a.0));
        if let Some(signer) = signer {
            let at = keys
                .iter()
                .position(|(k, _)| k == signer)
                .ok_or_else(|| KeyError::UnknownSigner(signer.to_owned()))?;
            keys.swap(0, at);
        }
        Self::new(keys, platform_namespace)
    }

    /// A new access token for `login` in `session`; also when it expires
    /// (seconds since the epoch).
    pub fn access_token(&self, login: &Login, session: &str) -> (String, u64) {
        let now = jsonwebtoken::get_current_timestamp();
        let exp = now + self.access_ttl.as_secs();
        let claims = Claims {
            sub: login.subject(),
            sid: session.to_owned(),
            iat: now,
            exp,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let (kid, key, _) = &self.keys[0];
        let header = Header {
            kid: Some(kid.clone()),
            ..Header::new(Algorithm::HS256)
        };
        let token = jsonwebtoken::encode(&header, &claims, key)
            .expect("HS256 signing with a byte key does not fail");
        (token, exp)
    }

    /// Checks an access token: signature (by its key id), expiry (no
    /// leeway), issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Principal, (&'static str, String)> {
        let bad = |m: &str| (error::BAD_TOKEN, m.to_owned());
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| bad("the access token is malformed: log in again"))?;
        let key = match header.kid.as_deref() {
            Some(kid) => self.keys.iter().find(|(k, _, _)| k == kid),
            None => None,
        }
        .ok_or_else(|| bad("the access token was not signed by a current key: log in again"))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        let data =
            jsonwebtoken::decode::<Claims>(token, &key.2, &validation).map_err(|e| {
                match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => (
                        error::TOKEN_EXPIRED,
                        "the access token has expired: refresh it".to_owned(),
                    ),
                    _ => {
                        bad("the access token is invalid (tampered with or not ours): log in again")
                    }
                }
            })?;
        let login = Login::from_subject(&data.claims.sub)
            .ok_or_else(|| bad("the access token names no login: log in again"))?;
        Ok(Principal {
            login,
            session: data.claims.sid,
        })
    }

    /// The viewer an `Authorization` header value makes.
    pub fn viewer(&self, authorization: Option<&str>) -> Viewer {
        let Some(value) = authorization else {
            return Viewer::Anonymous;
        };
        let Some(token) = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
        else {
            return Viewer::Invalid {
                code: error::BAD_TOKEN,
                message: "the Authorization header must be `Bearer <access token>`".into(),
            };
        };
        match self.verify(token.trim()) {
            Ok(p)
                if self
                    .logins
                    .as_ref()
                    .is_some_and(|l| l.is_revoked(&p.session)) =>
            {
                Viewer::Invalid {
                    code: error::BAD_TOKEN,
                    message: "this session has ended (logged out or revoked): log in again".into(),
                }
            }
            Ok(p) => Viewer::User(p),
            Err((code, message)) => Viewer::Invalid { code, message },
        }
    }

    /// `login`'s role in organization namespace `namespace`: `None` when the
    /// namespace holds no Organization (not an organization namespace).
    pub fn role_in(&self, catalog: &Catalog, login: &Login, namespace: &str) -> Option<Role> {
        let orgs = catalog.organizations_in(namespace);
        if orgs.is_empty() {
            return None;
        }
        Some(role_of(
            login,
            namespace,
            &self.platform_namespace,
            &catalog.organizations_in(&self.platform_namespace),
            &orgs,
        ))
    }

    /// Whether `login` is platform staff.
    pub fn is_super_user(&self, catalog: &Catalog, login: &Login) -> bool {
        login.email().is_some_and(|email| {
            member_role(&catalog.organizations_in(&self.platform_namespace), email)
                == Some(Role::SuperUser)
        })
    }
}

/// The highest role `email` has among `orgs`' members.
fn member_role(orgs: &[std::sync::Arc<sellout_crds::Organization>], email: &str) -> Option<Role> {
    orgs.iter()
        .flat_map(|o| o.spec.members.iter())
        .filter(|m| m.email.eq_ignore_ascii_case(email))
        .map(|m| m.role)
        .min()
}

/// The role rules (see the module docs), pure for testing.
fn role_of(
    login: &Login,
    namespace: &str,
    platform_namespace: &str,
    platform_orgs: &[std::sync::Arc<sellout_crds::Organization>],
    orgs: &[std::sync::Arc<sellout_crds::Organization>],
) -> Role {
    let Some(email) = login.email() else {
        return Role::User;
    };
    if member_role(platform_orgs, email) == Some(Role::SuperUser) {
        return Role::SuperUser;
    }
    match member_role(orgs, email) {
        Some(Role::SuperUser) if namespace != platform_namespace => Role::Owner,
        Some(role) => role,
        None => Role::User,
    }
}

/// The shared auth of the gateway.
fn auth<'a>(ctx: &Context<'a>) -> Result<&'a Auth, Error> {
    Ok(ctx.data::<crate::schema::Deps>()?.auth.as_ref())
}

/// The caller, who must be logged in.
pub fn signed_in(ctx: &Context<'_>) -> Result<Principal, Error> {
    match ctx.data_opt::<Viewer>().unwrap_or(&Viewer::Anonymous) {
        Viewer::User(p) => Ok(p.clone()),
        Viewer::Anonymous => Err(gql_error(
            error::UNAUTHENTICATED,
            "log in first: send `Authorization: Bearer <access token>`",
        )),
        Viewer::Invalid { code, message } => Err(gql_error(code, message.clone())),
    }
}

/// How often a subscription that needs a login checks that its socket's
/// session still holds.
pub const SESSION_CHECK_EVERY: Duration = Duration::from_secs(1);

/// `items`, for as long as the session of the socket the subscription
/// runs on holds: once its access token expires or its session is logged
/// out or revoked (on any replica), the subscription answers that error
/// (`TOKEN_EXPIRED`, `BAD_TOKEN`) and ends, as a new operation on that
/// socket would be refused. Checked at each item and every
/// [`SESSION_CHECK_EVERY`]. Outside a socket (no connection token) the
/// items pass unchanged.
pub fn while_signed_in<T: Send + 'static>(
    ctx: &Context<'_>,
    items: futures::stream::BoxStream<'static, T>,
) -> futures::stream::BoxStream<'static, Result<T, Error>> {
    use futures::StreamExt;
    let (Some(crate::limits::SocketAuthorization(authorization)), Ok(deps)) = (
        ctx.data_opt::<crate::limits::SocketAuthorization>(),
        ctx.data::<crate::schema::Deps>(),
    ) else {
        return items.map(Ok).boxed();
    };
    let (authorization, auth) = (authorization.clone(), deps.auth.clone());
    let ended = move || match auth.viewer(authorization.as_deref()) {
        Viewer::User(_) => None,
        Viewer::Anonymous => Some(gql_error(
            error::UNAUTHENTICATED,
            "log in first: send `Authorization: Bearer <access token>`",
        )),
        Viewer::Invalid { code, message } => Some(gql_error(code, message)),
    };
    let mut tick = tokio::time::interval(SESSION_CHECK_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    futures::stream::unfold(Some((items, tick)), move |state| {
        let ended = ended.clone();
        async move {
            let (mut items, mut tick) = state?;
            loop {
                tokio::select! {
                    item = items.next() => {
                        let item = item?;
                        return Some(match ended() {
                            Some(e) => (Err(e), None),
                            None => (Ok(item), Some((items, tick))),
                        });
                    }
                    _ = tick.tick() => {
                        if let Some(e) = ended() {
                            return Some((Err(e), None));
                        }
                    }
                }
            }
        }
    })
    .boxed()
}

/// The caller, who must have at least role `at_least` in organization
/// namespace `namespace`; returns them and their role. The one place every
/// resolver's permission is decided.
pub fn require(
    ctx: &Context<'_>,
    namespace: &str,
    at_least: Role,
) -> Result<(Principal, Role), Error> {
    let who = signed_in(ctx)?;
    let deps = ctx.data::<crate::schema::Deps>()?;
    let auth = auth(ctx)?;
    let Some(role) = auth.role_in(&deps.catalog, &who.login, namespace) else {
        return Err(gql_error(
            error::NOT_FOUND,
            format!("{namespace:?} is not an organization's namespace (it holds no Organization)"),
        ));
    };
    // Roles are ordered from most (SUPER_USER) to least (USER) powerful.
    if role <= at_least {
        Ok((who, role))
    } else {
        Err(gql_error(
            error::FORBIDDEN,
            format!(
                "this needs the {} role or higher in organization {namespace:?}; you are {}",
                role_name(at_least),
                role_name(role)
            ),
        ))
    }
}

/// The role as written in CRDs and the schema (`BOX_OFFICE`).
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::SuperUser => "SUPER_USER",
        Role::Owner => "OWNER",
        Role::Admin => "ADMIN",
        Role::BoxOffice => "BOX_OFFICE",
        Role::Scanner => "SCANNER",
        Role::User => "USER",
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use sellout_crds::Organization;

    #[test]
    fn the_client_is_the_first_untrusted_hop_behind_trusted_proxies() {
        let mut auth = Auth::new(vec![("k".into(), vec![1; 32])], "sys").unwrap();
        auth.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap(), "fd00::/8".parse().unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let peer = |s: &str| Some(SocketAddr::new(ip(s), 40000));
        let xff = |v: &[&str]| {
            let mut h = axum::http::HeaderMap::new();
            for x in v {
                h.append("x-forwarded-for", x.parse().unwrap());
            }
            h
        };
        // Through the ingress (10.1.1.1) and a load balancer (10.2.2.2).
        let h = xff(&["203.0.113.9, 10.2.2.2"]);
        assert_eq!(
            auth.client_ip(&h, peer("10.1.1.1")).0,
            Some(ip("203.0.113.9"))
        );
        // What the client wrote left of its own address is not believed.
        let h = xff(&["6.6.6.6", "203.0.113.9, 10.2.2.2"]);
        assert_eq!(
            auth.client_ip(&h, peer("10.1.1.1")).0,
            Some(ip("203.0.113.9"))
        );
        // From outside the trusted ranges the header is ignored.
        assert_eq!(
            auth.client_ip(&h, peer("198.51.100.7")).0,
            Some(ip("198.51.100.7"))
        );
        // No header, or only proxies: the nearest proxy's address.
        let none = axum::http::HeaderMap::new();
        assert_eq!(
            auth.client_ip(&none, peer("10.1.1.1")).0,
            Some(ip("10.1.1.1"))
        );
        let h = xff(&["10.3.3.3, 10.2.2.2"]);
        assert_eq!(auth.client_ip(&h, peer("10.1.1.1")).0, Some(ip("10.3.3.3")));
        // Junk in the chain: the proxy right of it stands for the client.
        let h = xff(&["203.0.113.9, junk, 10.2.2.2"]);
        assert_eq!(auth.client_ip(&h, peer("10.1.1.1")).0, Some(ip("10.2.2.2")));
        // IPv6 proxies too.
        let h = xff(&["2001:db8::1"]);
        assert_eq!(
            auth.client_ip(&h, peer("fd00::5")).0,
            Some(ip("2001:db8::1"))
        );
    }

    fn auth() -> Auth {
        Auth::new(vec![("k1".into(), vec![7; 32])], "sellout-system").unwrap()
    }

    fn org(members: &[(&str, &str)]) -> Arc<Organization> {
        let members: Vec<_> = members
            .iter()
            .map(|(e, r)| serde_json::json!({"email": e, "role": r}))
            .collect();
        Arc::new(
            serde_json::from_value(serde_json::json!({
                "apiVersion": "sellout.io/v1alpha1", "kind": "Organization",
                "metadata": {"name": "o", "namespace": "x"},
                "spec": {"displayName": "O", "members": members}
            }))
            .unwrap(),
        )
    }

    #[test]
    fn tokens_round_trip_and_tampering_is_caught() {
        let a = auth();
        let login = Login::Email("ana@example.com".into());
        let (token, exp) = a.access_token(&login, "s1");
        assert!(exp > jsonwebtoken::get_current_timestamp());
        let p = a.verify(&token).unwrap();
        assert_eq!(p.login, login);
        assert_eq!(p.session, "s1");
        // Another key with the same id: the signature no longer matches.
        let other = Auth::new(vec![("k1".into(), vec![8; 32])], "p").unwrap();
        assert_eq!(other.verify(&token).unwrap_err().0, error::BAD_TOKEN);
        // Someone else's claims under this token's signature.
        let (theirs, _) = a.access_token(&Login::Email("eve@example.com".into()), "s2");
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = theirs.split('.').nth(1).unwrap();
        assert_eq!(a.verify(&parts.join(".")).unwrap_err().0, error::BAD_TOKEN);
        assert_eq!(a.verify("nonsense").unwrap_err().0, error::BAD_TOKEN);
    }

    #[test]
    fn expired_tokens_are_told_apart() {
        let mut a = auth();
        a.access_ttl = Duration::ZERO;
        let (token, _) = a.access_token(&Login::Phone("+447700900123".into()), "s");
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(a.verify(&token).unwrap_err().0, error::TOKEN_EXPIRED);
    }

    #[test]
    fn rotated_keys_still_verify_old_tokens() {
        let old = Auth::new(vec![("2026-01".into(), vec![1; 32])], "p").unwrap();
        let (token, _) = old.access_token(&Login::Email("a@b.c".into()), "s");
        let both = Auth::new(
            vec![
                ("2026-06".into(), vec![2; 32]),
                ("2026-01".into(), vec![1; 32]),
            ],
            "p",
        )
        .unwrap();
        assert!(both.verify(&token).is_ok());
        let (new, _) = both.access_token(&Login::Email("a@b.c".into()), "s");
        assert_eq!(
            jsonwebtoken::decode_header(&new).unwrap().kid.as_deref(),
            Some("2026-06")
        );
    }

    #[test]
    fn the_forwarded_address_is_the_last_one() {
        assert_eq!(
            forwarded_for("203.0.113.9, 198.51.100.7"),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(
            forwarded_for("2001:db8::1"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(
            forwarded_for("1.2.3.4, 192.0.2.1:4711"),
            Some("192.0.2.1".parse().unwrap())
        );
        assert_eq!(forwarded_for("1.2.3.4, unknown"), None);
        let a = auth();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(
            a.client_ip(&headers, Some(peer)),
            ClientIp(Some(peer.ip())),
            "not trusted without logins configured to"
        );
    }

    #[test]
    fn code_peppers_follow_the_keys() {
        let a = Auth::new(
            vec![("new".into(), vec![2; 32]), ("old".into(), vec![1; 32])],
            "p",
        )
        .unwrap();
        assert_eq!(a.code_pepper().0, "new");
        assert_eq!(a.code_pepper_for("old"), Some(&codes::pepper(&[1; 32])));
        assert_eq!(a.code_pepper_for("gone"), None);
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(matches!(
            Auth::new(vec![("k".into(), vec![1; 16])], "p"),
            Err(KeyError::Short(_))
        ));
    }

    #[test]
    fn roles_follow_membership_and_super_users_come_from_the_platform() {
        let email = |e: &str| Login::Email(e.into());
        let platform = [org(&[("staff@sellout.io", "SUPER_USER")])];
        let orgs = [org(&[
            ("own@x.io", "OWNER"),
            ("door@x.io", "SCANNER"),
            ("sneaky@x.io", "SUPER_USER"),
        ])];
        let role = |l: &Login| role_of(l, "x", "sellout-system", &platform, &orgs);
        assert_eq!(role(&email("staff@sellout.io")), Role::SuperUser);
        assert_eq!(role(&email("OWN@x.io")), Role::Owner);
        assert_eq!(role(&email("door@x.io")), Role::Scanner);
        assert_eq!(
            role(&email("sneaky@x.io")),
            Role::Owner,
            "no self-made super users"
        );
        assert_eq!(role(&email("buyer@gmail.com")), Role::User);
        assert_eq!(role(&Login::Phone("+15550100".into())), Role::User);
        assert!(Role::Owner <= Role::Admin && Role::Scanner > Role::BoxOffice);
    }
}
