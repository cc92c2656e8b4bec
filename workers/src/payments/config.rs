//! Where Stripe is and the platform's secrets for it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use sellout_client::Secret;

use super::webhook::{DEFAULT_TOLERANCE, WebhookVerifier};

/// Stripe's API, the default base URL.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com/";

/// Time allowed for one HTTP exchange with Stripe unless configured
/// otherwise. A checkout must not hang on a dead connection; a timed-out
/// call is [`PaymentError::Unavailable`](super::PaymentError::Unavailable)
/// and is retried with the same idempotency key.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The platform's Stripe settings: the API base URL, the platform's secret
/// key (the connected accounts are reached through it with the
/// `Stripe-Account` header) and the webhook endpoint's signing secret.
/// `Debug` shows neither secret.
#[derive(Clone, PartialEq, Eq)]
pub struct StripeConfig {
    api_base: String,
    secret_key: Secret,
    webhook_secret: Secret,
    /// Time allowed for one HTTP exchange with Stripe.
    pub timeout: Duration,
    /// How far a webhook's signature time may be from now (Stripe's
    /// libraries use 5 minutes).
    pub webhook_tolerance: Duration,
}

impl fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .field("secret_key", &self.secret_key)
            .field("webhook_secret", &self.webhook_secret)
            .field("timeout", &self.timeout)
            .field("webhook_tolerance", &self.webhook_tolerance)
            .finish()
    }
}

/// A Stripe setting that cannot be used. The message names the file or
/// setting to fix and never contains a secret.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A secret file could not be read.
    #[error("cannot read the Stripe {what} from {path}: {source}")]
    Read {
        /// Which secret.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A secret is empty (an empty file, or a Secret key without a value).
    #[error("the Stripe {what} is empty{}", from.as_ref().map(|p| format!(" (read from {})", p.display())).unwrap_or_default())]
    Empty {
        /// Which secret.
        what: &'static str,
        /// The file it came from, if any.
        from: Option<PathBuf>,
    },
    /// The secret key does not look like one.
    #[error(
        "the Stripe secret key must start with sk_ (or rk_ for a restricted key){}; the value is not shown",
        from.as_ref().map(|p| format!(" (read from {})", p.display())).unwrap_or_default()
    )]
    BadSecretKey {
        /// The file it came from, if any.
        from: Option<PathBuf>,
    },
    /// The API base URL is not an http(s) URL.
    #[error("the Stripe API base URL {0:?} must start with https:// (or http:// for a local fake)")]
    BadApiBase(String),
}

impl StripeConfig {
    /// Settings for Stripe itself ([`DEFAULT_API_BASE`]) from the secret
    /// values. Surrounding whitespace is ignored.
    pub fn new(
        secret_key: impl Into<String>,
        webhook_secret: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::build(secret_key.into(), None, webhook_secret.into(), None)
    }

    /// Settings read from files, as a Kubernetes Secret mounted as a volume
    /// gives them (one file per key). A trailing newline (`kubectl create
    /// secret --from-file`, `echo`) is ignored.
    pub fn from_files(secret_key: &Path, webhook_secret: &Path) -> Result<Self, ConfigError> {
        let key = read(secret_key, "secret key")?;
        let whsec = read(webhook_secret, "webhook signing secret")?;
        Self::build(
            key,
            Some(secret_key.to_owned()),
            whsec,
            Some(webhook_secret.to_owned()),
        )
    }

    fn build(
        secret_key: String,
        key_from: Option<PathBuf>,
        webhook_secret: String,
        whsec_from: Option<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let secret_key = secret_key.trim();
        if secret_key.is_empty() {
            return Err(ConfigError::Empty {
                what: "secret key",
                from: key_from,
            });
        }
        if !(secret_key.starts_with("sk_") || secret_key.starts_with("rk_"))
            || secret_key
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(ConfigError::BadSecretKey { from: key_from });
        }
        let webhook_secret = webhook_secret.trim();
        if webhook_secret.is_empty() {
            return Err(ConfigError::Empty {
                what: "webhook signing secret",
                from: whsec_from,
            });
        }
        Ok(Self {
            api_base: DEFAULT_API_BASE.to_owned(),
            secret_key: Secret::new(secret_key),
            webhook_secret: Secret::new(webhook_secret),
            timeout: DEFAULT_TIMEOUT,
            webhook_tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// The same settings against another API base URL, e.g. localstripe's
    /// `http://127.0.0.1:8420`. A missing trailing slash is added.
    pub fn with_api_base(mut self, url: impl Into<String>) -> Result<Self, ConfigError> {
        let mut url = url.into().trim().to_owned();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(ConfigError::BadApiBase(url));
        }
        if !url.ends_with('/') {
            url.push('/');
        }
        self.api_base = url;
        Ok(self)
    }

    /// The API base URL, ending in `/`.
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// The platform's secret key.
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// Whether the secret key is a live-mode one (`sk_live_`, `rk_live_`):
    /// the mode every webhook must be in. Test keys see test-mode events
    /// only, live keys live-mode ones only, so a test-mode payment (free
    /// to make with a test card) never completes a live order.
    pub fn livemode(&self) -> bool {
        let key = self.secret_key.expose();
        key.starts_with("sk_live_") || key.starts_with("rk_live_")
    }

    /// The webhook endpoint's signing secret.
    pub fn webhook_secret(&self) -> &Secret {
        &self.webhook_secret
    }

    /// A verifier for webhooks signed with this endpoint's secret.
    pub fn webhook_verifier(&self) -> WebhookVerifier {
        WebhookVerifier::new(self.webhook_secret.clone()).with_tolerance(self.webhook_tolerance)
    }
}

fn read(path: &Path, what: &'static str) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        what,
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mode_follows_the_secret_key() {
        for (key, live) in [
            ("sk_test_abc", false),
            ("rk_test_abc", false),
            ("sk_live_abc", true),
            ("rk_live_abc", true),
            ("sk_other", false),
        ] {
            assert_eq!(
                StripeConfig::new(key, "whsec_x").unwrap().livemode(),
                live,
                "{key}"
            );
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = StripeConfig::new("sk_test_abc123", "whsec_xyz789").unwrap();
        let shown = format!("{c:?} {:?}", c.webhook_verifier());
        assert!(!shown.contains("abc123"), "{shown}");
        assert!(!shown.contains("xyz789"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(shown.contains(DEFAULT_API_BASE), "{shown}");
    }

    #[test]
    fn files_are_read_with_their_trailing_newline_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let (key, whsec) = (dir.path().join("secret-key"), dir.path().join("whsec"));
        std::fs::write(&key, "sk_test_fromfile\n").unwrap();
        std::fs::write(&whsec, "whsec_fromfile\n").unwrap();
        let c = StripeConfig::from_files(&key, &whsec)
            .unwrap()
            .with_api_base("http://127.0.0.1:8420")
            .unwrap();
        assert_eq!(c.secret_key().expose(), "sk_test_fromfile");
        assert_eq!(c.webhook_secret().expose(), "whsec_fromfile");
        assert_eq!(c.api_base(), "http://127.0.0.1:8420/");
    }

    #[test]
    fn unusable_settings_say_what_to_fix_without_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let (key, whsec) = (dir.path().join("secret-key"), dir.path().join("whsec"));
        std::fs::write(&key, "pk_live_publishable\n").unwrap();
        std::fs::write(&whsec, "\n").unwrap();
        let e = StripeConfig::from_files(&key, &whsec).unwrap_err();
        assert!(matches!(e, ConfigError::BadSecretKey { .. }), "{e}");
        assert!(e.to_string().contains("secret-key"), "{e}");
        assert!(!e.to_string().contains("publishable"), "{e}");

        std::fs::write(&key, "sk_test_ok").unwrap();
        let e = StripeConfig::from_files(&key, &whsec).unwrap_err();
        assert!(
            matches!(
                e,
                ConfigError::Empty {
                    what: "webhook signing secret",
                    ..
                }
            ),
            "{e}"
        );

        let e = StripeConfig::from_files(&dir.path().join("absent"), &whsec).unwrap_err();
        assert!(matches!(e, ConfigError::Read { .. }), "{e}");

        let e = StripeConfig::new("sk_test_ok", "whsec_ok")
            .unwrap()
            .with_api_base("api.stripe.com")
            .unwrap_err();
        assert!(matches!(e, ConfigError::BadApiBase(_)), "{e}");
    }
}
