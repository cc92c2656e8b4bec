//! Export tokens: what a CSV download link (`/exports/<kind>.csv?token=…`)
//! carries. A JWT signed with the same keys as access tokens (HS256, the
//! signing key's id in `kid`) but with audience `sellout-export` and a
//! `purpose` of `export`, so it is never taken as an access token (those
//! must have audience `sellout`) and an access token is never taken as an
//! export token. It names the login and session that asked for it, the
//! organization, the event (if one), the kind of export, and expires after
//! [`Auth::export_ttl`](super::Auth) (5 minutes by default). The download
//! checks the signature and expiry, that the session was not logged out,
//! and the login's role in the organization again.

use serde::{Deserialize, Serialize};

use super::{Auth, ISSUER, Login, Principal};
use jsonwebtoken::{Algorithm, Header, Validation};

/// Audience of export tokens (access tokens have `sellout`).
pub const EXPORT_AUDIENCE: &str = "sellout-export";
/// The `purpose` claim of export tokens.
const PURPOSE: &str = "export";

/// What an export link is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportGrant {
    /// The organization's namespace.
    pub organization: String,
    /// One event's name in it, or the whole organization.
    pub event: Option<String>,
    /// `orders`, `customers` or `check-ins` (the URL's file name).
    pub kind: String,
}

/// JWT claims of an export token.
#[derive(Debug, Serialize, Deserialize)]
struct ExportClaims {
    sub: String,
    sid: String,
    iat: u64,
    exp: u64,
    iss: String,
    aud: String,
    purpose: String,
    org: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    kind: String,
}

/// Why an export token was refused (each is a 401 with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportTokenError {
    /// Past its expiry.
    #[error("this export link has expired (links last a few minutes): ask for a new one")]
    Expired,
    /// Bad signature, wrong audience or purpose, malformed, or signed by a
    /// key no longer configured.
    #[error(
        "this export link is invalid (tampered with, cut short or not ours): ask for a new one"
    )]
    Invalid,
}

impl Auth {
    /// A token for `principal` to download `grant`, valid until `exp`
    /// (seconds since the epoch); see [`Auth::export_token`] for the usual
    /// lifetime.
    pub fn export_token_until(
        &self,
        principal: &Principal,
        grant: &ExportGrant,
        exp: u64,
    ) -> String {
        let claims = ExportClaims {
            sub: principal.login.subject(),
            sid: principal.session.clone(),
            iat: jsonwebtoken::get_current_timestamp(),
            exp,
            iss: ISSUER.into(),
            aud: EXPORT_AUDIENCE.into(),
            purpose: PURPOSE.into(),
            org: grant.organization.clone(),
            event: grant.event.clone(),
            kind: grant.kind.clone(),
        };
        let (kid, key, _) = &self.keys[0];
        let header = Header {
            kid: Some(kid.clone()),
            ..Header::new(Algorithm::HS256)
        };
        jsonwebtoken::encode(&header, &claims, key)
            .expect("HS256 signing with a byte key does not fail")
    }

    /// A token for `principal` to download `grant`, valid for
    /// [`Auth::export_ttl`](super::Auth); also when it expires (seconds
    /// since the epoch).
    pub fn export_token(&self, principal: &Principal, grant: &ExportGrant) -> (String, u64) {
        let exp = jsonwebtoken::get_current_timestamp() + self.export_ttl.as_secs();
        (self.export_token_until(principal, grant, exp), exp)
    }

    /// Checks an export token: signature (by its key id), expiry (no
    /// leeway), issuer, audience and purpose. Whether the session is still
    /// open and the login may still export is the caller's to check.
    pub fn verify_export(&self, token: &str) -> Result<(Principal, ExportGrant), ExportTokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| ExportTokenError::Invalid)?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.iter().find(|(k, _, _)| k == kid))
            .ok_or(ExportTokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[EXPORT_AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        let data = jsonwebtoken::decode::<ExportClaims>(token, &key.2, &validation).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => ExportTokenError::Expired,
                _ => ExportTokenError::Invalid,
            },
        )?;
        let c = data.claims;
        if c.purpose != PURPOSE {
            return Err(ExportTokenError::Invalid);
        }
        let login = Login::from_subject(&c.sub).ok_or(ExportTokenError::Invalid)?;
        Ok((
            Principal {
                login,
                session: c.sid,
            },
            ExportGrant {
                organization: c.org,
                event: c.event,
                kind: c.kind,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::error;

    fn auth() -> Auth {
        Auth::new(vec![("k1".into(), vec![7; 32])], "sellout-system").unwrap()
    }

    fn ada() -> Principal {
        Principal {
            login: Login::Email("ada@example.com".into()),
            session: "s1".into(),
        }
    }

    fn grant() -> ExportGrant {
        ExportGrant {
            organization: "acme".into(),
            event: Some("show".into()),
            kind: crate::schema::exports::ExportKind::Orders.stem().into(),
        }
    }

    #[test]
    fn export_tokens_round_trip_and_are_not_access_tokens() {
        let a = auth();
        let (token, exp) = a.export_token(&ada(), &grant());
        let now = jsonwebtoken::get_current_timestamp();
        assert!(exp > now && exp <= now + 300, "5 minutes by default");
        assert_eq!(a.verify_export(&token).unwrap(), (ada(), grant()));
        // Not an access token, and an access token is not an export token.
        assert_eq!(a.verify(&token).unwrap_err().0, error::BAD_TOKEN);
        let (access, _) = a.access_token(&ada().login, "s1");
        assert_eq!(a.verify_export(&access), Err(ExportTokenError::Invalid));
    }

    #[test]
    fn tampered_foreign_and_expired_export_tokens_are_refused() {
        let a = auth();
        let (token, _) = a.export_token(&ada(), &grant());
        // Another organization's claims under this token's signature.
        let other = ExportGrant {
            organization: "rival".into(),
            ..grant()
        };
        let (theirs, _) = a.export_token(&ada(), &other);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = theirs.split('.').nth(1).unwrap();
        assert_eq!(
            a.verify_export(&parts.join(".")),
            Err(ExportTokenError::Invalid)
        );
        assert_eq!(
            a.verify_export(&token[..token.len() - 2]),
            Err(ExportTokenError::Invalid)
        );
        let foreign = Auth::new(vec![("k1".into(), vec![8; 32])], "p").unwrap();
        assert_eq!(
            foreign.verify_export(&token),
            Err(ExportTokenError::Invalid)
        );
        let mut short = auth();
        short.export_ttl = Duration::ZERO;
        let (expired, _) = short.export_token(&ada(), &grant());
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(a.verify_export(&expired), Err(ExportTokenError::Expired));
    }
}
