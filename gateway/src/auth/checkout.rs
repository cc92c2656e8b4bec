//! Checkout sessions: what a buyer's holds are bound to.
//!
//! A checkout token is a JWT signed with the access-token keys (HS256, the
//! key id in `kid`) with audience `sellout-checkout`, so it is never taken
//! for an access token nor the reverse. It carries only a random session
//! id and its lifetime ([`CHECKOUT_TTL`]); it needs no storage and any
//! gateway replica verifies it. The checkout writer counts the units each
//! session holds and caps them (per tier at the tier's per-order maximum,
//! in all at the event's `holdLimits.perCheckout`), and only the session
//! that placed a hold may release it or order it.
//!
//! A signed-in buyer without a checkout token holds as their login, so the
//! caps follow the person rather than the browser. Minting tokens is free,
//! which is why the client address is capped as well
//! (`holdLimits.perAddress`).

use std::time::Duration;

use async_graphql::{Context, Error};
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use super::{Auth, ISSUER, Viewer};
use crate::error::{BAD_TOKEN, gql_error};

/// Audience of checkout tokens (access tokens have `sellout`).
pub const CHECKOUT_AUDIENCE: &str = "sellout-checkout";

/// How long a checkout token lasts: longer than the longest hold (an
/// Event's `holdTtlSeconds` is at most an hour) and a payment after it.
pub const CHECKOUT_TTL: Duration = Duration::from_secs(3 * 3600);

/// A holds mutation without a checkout token or a login.
pub const CHECKOUT_REQUIRED: &str = "CHECKOUT_REQUIRED";

#[derive(Debug, Serialize, Deserialize)]
struct CheckoutClaims {
    sid: String,
    iat: u64,
    exp: u64,
    iss: String,
    aud: String,
}

impl Auth {
    /// A new checkout session: its token and when it expires (seconds
    /// since the epoch).
    pub fn checkout_token(&self) -> (String, u64) {
        let now = jsonwebtoken::get_current_timestamp();
        let exp = now + CHECKOUT_TTL.as_secs();
        let claims = CheckoutClaims {
            sid: uuid::Uuid::new_v4().simple().to_string(),
            iat: now,
            exp,
            iss: ISSUER.into(),
            aud: CHECKOUT_AUDIENCE.into(),
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

    /// The session id of a checkout token (signature, expiry without
    /// leeway, issuer, audience).
    pub fn verify_checkout(&self, token: &str) -> Result<String, String> {
        let invalid = || {
            "the checkout token is invalid (tampered with, cut short or not ours): start a new checkout".to_owned()
        };
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.iter().find(|(k, _, _)| k == kid))
            .ok_or_else(invalid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[CHECKOUT_AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let data = jsonwebtoken::decode::<CheckoutClaims>(token, &key.2, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    "the checkout has expired: start a new checkout".to_owned()
                }
                _ => invalid(),
            },
        )?;
        Ok(data.claims.sid)
    }
}

/// Whose holds a buyer's request touches: the checkout token's session
/// when one is given, else the signed-in login's, as the workers' owner
/// key (`cs:<id>` or `login:<subject>`).
pub fn checkout_owner(ctx: &Context<'_>, token: Option<&str>) -> Result<String, Error> {
    let auth = &ctx.data::<crate::schema::Deps>()?.auth;
    if let Some(token) = token {
        let sid = auth
            .verify_checkout(token)
            .map_err(|m| gql_error(BAD_TOKEN, m))?;
        return Ok(format!("cs:{sid}"));
    }
    match ctx.data_opt::<Viewer>() {
        Some(Viewer::User(p)) => Ok(format!("login:{}", p.login.subject())),
        Some(Viewer::Invalid { code, message }) => Err(gql_error(code, message.clone())),
        _ => Err(gql_error(
            CHECKOUT_REQUIRED,
            "holding tickets needs a checkout: call startCheckout and pass its token as `checkout`, or sign in",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        Auth::new(vec![("k1".into(), vec![7; 32])], "sellout-system").unwrap()
    }

    #[test]
    fn a_checkout_token_verifies_and_is_not_an_access_token() {
        let a = auth();
        let (token, exp) = a.checkout_token();
        assert!(exp > jsonwebtoken::get_current_timestamp());
        let sid = a.verify_checkout(&token).unwrap();
        assert_eq!(sid.len(), 32);
        assert_ne!(a.verify_checkout(&a.checkout_token().0).unwrap(), sid);
        // Not an access token, and an access token is not a checkout.
        assert!(a.verify(&token).is_err());
        let (access, _) = a.access_token(&super::super::Login::Email("a@b.c".into()), "s");
        assert!(a.verify_checkout(&access).is_err());
        // Another key's, or tampered with.
        let other = Auth::new(vec![("k1".into(), vec![8; 32])], "x").unwrap();
        assert!(
            other
                .verify_checkout(&token)
                .unwrap_err()
                .contains("invalid")
        );
        let mut cut = token.clone();
        cut.pop();
        assert!(a.verify_checkout(&cut).is_err());
    }
}
