//! What went wrong with a Stripe call, sorted by what the caller does next.

use stripe::StripeError;
use stripe_shared::ApiErrorsType;

/// A failed Stripe call. Each variant says what to do next:
///
/// | variant | what to do |
/// |---|---|
/// | [`Declined`](Self::Declined) | show `message` to the buyer, ask for another card (a new attempt needs a new idempotency key) |
/// | [`InvalidRequest`](Self::InvalidRequest) | do not retry: the request itself is wrong (e.g. a refund larger than what remains) |
/// | [`IdempotencyConflict`](Self::IdempotencyConflict) | do not retry: the key was used for a different request, a bug on our side |
/// | [`RateLimited`](Self::RateLimited) | retry later, with backoff and the same idempotency key |
/// | [`Unavailable`](Self::Unavailable) | retry, with the same idempotency key (the first call may have happened) |
/// | [`Configuration`](Self::Configuration) | fix the secret key or the connected account; retrying will not help |
/// | [`Other`](Self::Other) | log and alert: an answer we cannot classify |
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// The card was declined (HTTP 402, `card_error`). Nothing was charged.
    #[error("card declined ({code}): {message}")]
    Declined {
        /// Stripe's error code, e.g. `card_declined`, `expired_card`,
        /// `incorrect_cvc`.
        code: String,
        /// The issuer's reason when Stripe gives one, e.g.
        /// `insufficient_funds`. For our records; do not show it to the
        /// buyer (Stripe advises against revealing some reasons).
        decline_code: Option<String>,
        /// A message Stripe writes for the buyer, e.g. "Your card was
        /// declined.".
        message: String,
        /// The PaymentIntent that stays unpaid, when Stripe names it.
        payment_intent: Option<String>,
    },
    /// Stripe refused the request as invalid (HTTP 400 or 404), e.g.
    /// `amount_too_large` or `charge_already_refunded` for a refund larger
    /// than what remains, `resource_missing` for an unknown id; or we
    /// refused it before sending.
    #[error("invalid Stripe request{}: {message}", code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
    InvalidRequest {
        /// Stripe's error code, when it gives one.
        code: Option<String>,
        /// The parameter at fault, when Stripe names one.
        param: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The idempotency key was already used with different parameters.
    #[error("idempotency key reused for a different request: {message}")]
    IdempotencyConflict {
        /// Stripe's explanation.
        message: String,
    },
    /// Too many requests (HTTP 429): retry later with the same key.
    #[error("Stripe is rate limiting us: retry later")]
    RateLimited,
    /// Stripe could not be reached or failed (network error, timeout,
    /// HTTP 5xx, a concurrent request with the same key): retry with the
    /// same idempotency key, which makes the retry safe.
    #[error("Stripe is unavailable: {reason}")]
    Unavailable {
        /// What happened.
        reason: String,
    },
    /// Our credentials or connected account are refused (HTTP 401/403), or
    /// the client could not be set up.
    #[error("Stripe refused our credentials or account: {message}")]
    Configuration {
        /// What Stripe or the client said.
        message: String,
    },
    /// Anything else, e.g. an answer that could not be read.
    #[error("unexpected Stripe answer{}: {message}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    Other {
        /// The HTTP status, when there was one.
        status: Option<u16>,
        /// What happened.
        message: String,
    },
}

impl PaymentError {
    /// A short, fixed name for metric labels and logs.
    pub fn category(&self) -> &'static str {
        match self {
            Self::Declined { .. } => "declined",
            Self::InvalidRequest { .. } => "invalid_request",
            Self::IdempotencyConflict { .. } => "idempotency_conflict",
            Self::RateLimited => "rate_limited",
            Self::Unavailable { .. } => "unavailable",
            Self::Configuration { .. } => "configuration",
            Self::Other { .. } => "other",
        }
    }

    /// Whether the same call, with the same idempotency key, may succeed
    /// later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RateLimited | Self::Unavailable { .. })
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            code: None,
            param: None,
            message: message.into(),
        }
    }
}

impl From<StripeError> for PaymentError {
    fn from(e: StripeError) -> Self {
        match e {
            StripeError::Stripe(api, status) => {
                let code = api.code.as_ref().map(|c| c.as_str().to_owned());
                let message = api
                    .message
                    .clone()
                    .unwrap_or_else(|| format!("HTTP {status} without a message"));
                let kind = &api.type_;
                if status == 429 || matches!(code.as_deref(), Some("rate_limit" | "lock_timeout")) {
                    PaymentError::RateLimited
                } else if status == 409 {
                    // Another request with the same key is still running,
                    // or a lock conflict: the retry settles it.
                    PaymentError::Unavailable {
                        reason: format!("conflict: {message}"),
                    }
                } else if *kind == ApiErrorsType::IdempotencyError {
                    PaymentError::IdempotencyConflict { message }
                } else if status == 402 || *kind == ApiErrorsType::CardError {
                    PaymentError::Declined {
                        code: code.unwrap_or_else(|| "card_declined".to_owned()),
                        decline_code: api.decline_code.clone(),
                        message,
                        payment_intent: api.payment_intent.as_ref().map(|pi| pi.id.to_string()),
                    }
                } else if status >= 500 || *kind == ApiErrorsType::ApiError {
                    PaymentError::Unavailable {
                        reason: format!("HTTP {status}: {message}"),
                    }
                } else if status == 401 || status == 403 {
                    PaymentError::Configuration { message }
                } else if status == 400 || status == 404 {
                    PaymentError::InvalidRequest {
                        code,
                        param: api.param.clone(),
                        message,
                    }
                } else {
                    PaymentError::Other {
                        status: Some(status),
                        message,
                    }
                }
            }
            StripeError::ClientError(reason) => PaymentError::Unavailable { reason },
            StripeError::Timeout => PaymentError::Unavailable {
                reason: "timed out".to_owned(),
            },
            StripeError::ConfigError(message) => PaymentError::Configuration { message },
            StripeError::JSONDeserialize(message) => PaymentError::Other {
                status: None,
                message: format!("unreadable answer: {message}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use stripe_shared::{ApiErrors, ApiErrorsCode};

    use super::*;

    fn api(kind: ApiErrorsType, code: Option<&str>, message: &str) -> Box<ApiErrors> {
        Box::new(ApiErrors {
            advice_code: None,
            charge: None,
            code: code.map(|c| ApiErrorsCode::from_str(c).unwrap_or_else(|never| match never {})),
            decline_code: None,
            doc_url: None,
            message: Some(message.to_owned()),
            network_advice_code: None,
            network_decline_code: None,
            param: None,
            payment_intent: None,
            payment_method: None,
            payment_method_type: None,
            request_log_url: None,
            setup_intent: None,
            source: None,
            type_: kind,
        })
    }

    fn stripe(kind: ApiErrorsType, code: Option<&str>, status: u16) -> PaymentError {
        PaymentError::from(StripeError::Stripe(api(kind, code, "msg"), status))
    }

    #[test]
    fn stripe_answers_map_to_what_the_caller_does_next() {
        use ApiErrorsType::*;
        // Card declines: Stripe's card_error, and localstripe's 402 typed
        // invalid_request_error.
        let mut declined = api(CardError, Some("card_declined"), "Your card was declined.");
        declined.decline_code = Some("insufficient_funds".into());
        assert_eq!(
            PaymentError::from(StripeError::Stripe(declined, 402)),
            PaymentError::Declined {
                code: "card_declined".into(),
                decline_code: Some("insufficient_funds".into()),
                message: "Your card was declined.".into(),
                payment_intent: None,
            }
        );
        assert_eq!(
            stripe(InvalidRequestError, Some("card_declined"), 402).category(),
            "declined"
        );
        assert_eq!(
            stripe(CardError, Some("expired_card"), 402).category(),
            "declined"
        );

        // Refunds beyond what remains: invalid, with Stripe's code.
        for code in ["amount_too_large", "charge_already_refunded"] {
            match stripe(InvalidRequestError, Some(code), 400) {
                PaymentError::InvalidRequest { code: Some(c), .. } => assert_eq!(c, code),
                other => panic!("{code}: {other:?}"),
            }
        }
        assert_eq!(
            stripe(InvalidRequestError, Some("resource_missing"), 404).category(),
            "invalid_request"
        );
        assert_eq!(
            stripe(IdempotencyError, None, 400).category(),
            "idempotency_conflict"
        );

        // Retry later.
        assert_eq!(
            stripe(InvalidRequestError, Some("rate_limit"), 429),
            PaymentError::RateLimited
        );
        assert_eq!(
            stripe(InvalidRequestError, Some("lock_timeout"), 429),
            PaymentError::RateLimited
        );
        for (kind, status) in [(ApiError, 500), (ApiError, 503), (IdempotencyError, 409)] {
            let e = stripe(kind, None, status);
            assert_eq!(e.category(), "unavailable", "{status}");
            assert!(e.is_retryable());
        }
        assert!(
            PaymentError::from(StripeError::ClientError("connection refused".into()))
                .is_retryable()
        );
        assert!(PaymentError::from(StripeError::Timeout).is_retryable());

        // Stop: credentials, configuration, unreadable answers.
        let e = stripe(InvalidRequestError, None, 401);
        assert_eq!(e.category(), "configuration");
        assert!(!e.is_retryable());
        assert_eq!(
            stripe(InvalidRequestError, None, 403).category(),
            "configuration"
        );
        assert_eq!(
            PaymentError::from(StripeError::ConfigError("bad url".into())).category(),
            "configuration"
        );
        let e = PaymentError::from(StripeError::JSONDeserialize("eof".into()));
        assert_eq!(e.category(), "other");
        assert!(!e.is_retryable());
        assert!(!stripe(CardError, None, 402).is_retryable());
    }
}
