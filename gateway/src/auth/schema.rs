//! The auth part of the schema: `requestLoginCode`, `login`, `refresh`,
//! `logout` and `me`.

use async_graphql::{Context, Enum, Error, ErrorExtensions, Object, SimpleObject};
use sellout_crds::organization::Role;

use super::login::{LoginError, Logins, Tokens};
use super::{Auth, ClientIp, Login, input, signed_in};
use crate::error::{self, gql_error};
use crate::schema::Deps;

/// A role in an organization, from most to least powerful.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "Role", remote = "sellout_crds::organization::Role")]
pub enum RoleView {
    /// Platform staff: everything, in every organization.
    SuperUser,
    /// Everything in the organization, including members and payouts.
    Owner,
    /// Events, venues, tiers, orders and refunds.
    Admin,
    /// Sells and comps tickets at the box office.
    BoxOffice,
    /// Scans tickets at the door.
    Scanner,
    /// Buys tickets like any buyer.
    User,
}

/// How a login code is sent.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum LoginChannel {
    /// By e-mail.
    Email,
    /// By text message.
    Sms,
}

/// The answer to `requestLoginCode`: the same for every login, known or
/// not.
#[derive(SimpleObject, Clone, Debug)]
pub struct LoginCodeSent {
    /// Where the code went.
    pub channel: LoginChannel,
    /// How long the code is valid, in seconds.
    pub expires_in_seconds: i64,
}

/// A new access token and refresh token. Send the access token as
/// `Authorization: Bearer <accessToken>`; before it expires (or on
/// `TOKEN_EXPIRED`), trade the refresh token for a new pair with
/// `refresh`. Each refresh token works once.
#[derive(SimpleObject, Clone, Debug)]
pub struct AuthTokens {
    /// The access token (a JWT, short-lived).
    pub access_token: String,
    /// When the access token expires (RFC 3339).
    pub access_token_expires_at: String,
    /// The refresh token (opaque; keep it secret, it works once).
    pub refresh_token: String,
    /// When the refresh token expires (RFC 3339).
    pub refresh_token_expires_at: String,
}

/// An organization the caller belongs to.
#[derive(SimpleObject, Clone, Debug)]
pub struct Membership {
    /// The organization's namespace (its scope: events live there).
    pub namespace: String,
    /// The Organization resource's name.
    pub name: String,
    /// Name shown to buyers and in Backstage.
    pub display_name: String,
    /// The caller's role in it.
    pub role: RoleView,
}

/// Who is calling.
#[derive(SimpleObject, Clone, Debug)]
pub struct Me {
    /// The login: an e-mail address or a phone number (E.164).
    pub login: String,
    /// The e-mail address, when the login is one.
    pub email: Option<String>,
    /// The phone number, when the login is one.
    pub phone: Option<String>,
    /// Whether the caller is platform staff (SUPER_USER).
    pub super_user: bool,
    /// The organizations whose members include the caller's e-mail
    /// address, with the caller's role in each (by namespace).
    pub organizations: Vec<Membership>,
}

fn rfc3339_s(s: u64) -> String {
    jiff::Timestamp::from_second(i64::try_from(s).unwrap_or(i64::MAX))
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn rfc3339_ms(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

impl From<Tokens> for AuthTokens {
    fn from(t: Tokens) -> Self {
        Self {
            access_token: t.access_token,
            access_token_expires_at: rfc3339_s(t.access_expires_at_s),
            refresh_token: t.refresh_token,
            refresh_token_expires_at: rfc3339_ms(t.refresh_expires_at_ms),
        }
    }
}

/// The GraphQL error of a refused login operation.
pub fn login_error(e: LoginError) -> Error {
    let message = e.to_string();
    match e {
        LoginError::BadRequest(_) => gql_error(error::BAD_REQUEST, message),
        LoginError::RateLimited { retry_after_s, .. } => gql_error(error::RATE_LIMITED, message)
            .extend_with(|_, x| x.set("retryAfterSeconds", retry_after_s)),
        LoginError::WrongCode { left } => {
            gql_error(error::WRONG_CODE, message).extend_with(|_, x| x.set("attemptsLeft", left))
        }
        LoginError::Locked { retry_after_s } => {
            gql_error(error::LOCKED, message).extend_with(|_, x| {
                x.set("retryAfterSeconds", retry_after_s);
                x.set("attemptsLeft", 0);
            })
        }
        LoginError::CodeExpired(_) => gql_error(error::CODE_EXPIRED, message),
        LoginError::BadToken(_) => gql_error(error::BAD_TOKEN, message),
        LoginError::TokenExpired => gql_error(error::TOKEN_EXPIRED, message),
        LoginError::Unavailable(_) => gql_error(error::UNAVAILABLE, message),
    }
}

fn bad_request(e: input::BadLogin) -> Error {
    gql_error(error::BAD_REQUEST, e.0)
}

/// The gateway's auth and its login service.
fn logins<'a>(ctx: &Context<'a>) -> Result<(&'a Auth, &'a Logins), Error> {
    let auth = ctx.data::<Deps>()?.auth.as_ref();
    let logins = auth.logins.as_deref().ok_or_else(|| {
        gql_error(
            error::UNAVAILABLE,
            "this gateway takes no logins (no login store configured)",
        )
    })?;
    Ok((auth, logins))
}

/// Auth queries.
#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The caller: their login and the organizations they belong to, with
    /// their role in each. Needs an access token.
    async fn me(&self, ctx: &Context<'_>) -> Result<Me, Error> {
        let who = signed_in(ctx)?;
        let deps = ctx.data::<Deps>()?;
        let auth = deps.auth.as_ref();
        let mut organizations = Vec::new();
        if let Some(email) = who.login.email() {
            for org in deps.catalog.organizations() {
                if !org
                    .spec
                    .members
                    .iter()
                    .any(|m| m.email.eq_ignore_ascii_case(email))
                {
                    continue;
                }
                let namespace = org.metadata.namespace.clone().unwrap_or_default();
                let role = auth
                    .role_in(&deps.catalog, &who.login, &namespace)
                    .unwrap_or(Role::User);
                organizations.push(Membership {
                    name: org.metadata.name.clone().unwrap_or_default(),
                    display_name: org.spec.display_name.clone(),
                    namespace,
                    role: role.into(),
                });
            }
        }
        organizations.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        let (login, email, phone) = match &who.login {
            Login::Email(e) => (e.clone(), Some(e.clone()), None),
            Login::Phone(p) => (p.clone(), None, Some(p.clone())),
        };
        Ok(Me {
            login,
            email,
            phone,
            super_user: auth.is_super_user(&deps.catalog, &who.login),
            organizations,
        })
    }
}

/// Auth mutations.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Sends a 6-digit login code to an e-mail address or a phone number
    /// (give exactly one). The code is valid for a few minutes
    /// (`expiresInSeconds`) and replaces any code sent before. The answer
    /// is the same whether or not anyone uses this login yet. Limited per
    /// login and per client address (`RATE_LIMITED`, with
    /// `extensions.retryAfterSeconds`); a malformed address or number is
    /// `BAD_REQUEST`.
    async fn request_login_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The e-mail address to send the code to.")] email: Option<String>,
        #[graphql(
            desc = "The phone number (international form, e.g. +44 7700 900123) to text the code to."
        )]
        phone: Option<String>,
    ) -> Result<LoginCodeSent, Error> {
        let login = input::login(email.as_deref(), phone.as_deref()).map_err(bad_request)?;
        let (auth, logins) = logins(ctx)?;
        let ip = ctx.data_opt::<ClientIp>().and_then(|c| c.0);
        // Boxed, like the other login futures: they are large, and debug
        // builds overflow a worker thread's 2 MiB stack without it.
        let sent = Box::pin(logins.request_code(auth, &login, ip))
            .await
            .map_err(login_error)?;
        Ok(LoginCodeSent {
            channel: match login {
                Login::Email(_) => LoginChannel::Email,
                Login::Phone(_) => LoginChannel::Sms,
            },
            expires_in_seconds: i64::try_from(sent.expires_in.as_secs()).unwrap_or(i64::MAX),
        })
    }

    /// Logs in with the code sent by `requestLoginCode` (the same e-mail
    /// address or phone number). A wrong code is `WRONG_CODE` with
    /// `extensions.attemptsLeft`; after 5 wrong codes from one address
    /// that address is `LOCKED` out of the login for 15 minutes, even for
    /// the right code (the login's owner elsewhere is not). 20 wrong codes
    /// from all addresses together burn the code (`CODE_EXPIRED`: ask for
    /// a new one). One address may type 30 codes an hour, for any logins
    /// (`RATE_LIMITED`). A code works once; an expired or used one is
    /// `CODE_EXPIRED`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The e-mail address the code was sent to.")] email: Option<String>,
        #[graphql(desc = "The phone number the code was sent to.")] phone: Option<String>,
        #[graphql(desc = "The 6-digit code.")] code: String,
    ) -> Result<AuthTokens, Error> {
        let login = input::login(email.as_deref(), phone.as_deref()).map_err(bad_request)?;
        let code = input::code(&code).map_err(bad_request)?;
        let (auth, logins) = logins(ctx)?;
        let ip = ctx.data_opt::<ClientIp>().and_then(|c| c.0);
        Ok(Box::pin(logins.login(auth, &login, &code, ip))
            .await
            .map_err(login_error)?
            .into())
    }

    /// Trades a refresh token for a new access token and refresh token;
    /// the one given stops working. A refresh token used a second time
    /// revokes its whole session (it may have been stolen): `BAD_TOKEN`,
    /// log in again. An expired one is `TOKEN_EXPIRED`.
    async fn refresh(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token of the last `login` or `refresh`.")]
        refresh_token: String,
    ) -> Result<AuthTokens, Error> {
        let (auth, logins) = logins(ctx)?;
        Ok(Box::pin(logins.refresh(auth, &refresh_token))
            .await
            .map_err(login_error)?
            .into())
    }

    /// Ends the caller's session (needs its access token): its refresh
    /// token and access tokens stop working at once. Returns true.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool, Error> {
        let who = signed_in(ctx)?;
        let (_, logins) = logins(ctx)?;
        Box::pin(logins.logout(&who)).await.map_err(login_error)?;
        Ok(true)
    }
}
