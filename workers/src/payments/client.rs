//! The Stripe API calls Sellout makes: PaymentIntents and refunds, on the
//! organization's connected account, each with an idempotency key.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use sellout_common::money::{Currency, Money};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_core::payment_intent::{
    CancelPaymentIntent, ConfirmPaymentIntent, CreatePaymentIntent,
    CreatePaymentIntentAutomaticPaymentMethods,
    CreatePaymentIntentAutomaticPaymentMethodsAllowRedirects, RetrievePaymentIntent,
    UpdatePaymentIntent,
};
use stripe_core::refund::CreateRefund;
use stripe_shared::{AccountId, PaymentIntentStatus};

use super::config::StripeConfig;
use super::error::PaymentError;
use super::{METADATA_EVENT_UID, METADATA_ORDER_ID};

/// Sellout's Stripe client. Cheap to clone; one per worker process.
#[derive(Clone)]
pub struct Payments {
    client: Client,
    api_base: String,
}

impl fmt::Debug for Payments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payments")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// A PaymentIntent to create for an order. The amount and fee come from our
/// own quote, never from the buyer's client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPaymentIntent {
    /// Our order id; sent as metadata `order_id`.
    pub order_id: String,
    /// The event's Kubernetes UID; sent as metadata `event_uid`.
    pub event_uid: String,
    /// What the buyer pays, in minor units, from our quote.
    pub amount: Money,
    /// The platform's application fee, in minor units of the same
    /// currency (0 for none). Stripe moves it from the connected account to
    /// the platform.
    pub application_fee: i64,
    /// The organization's connected account (`acct_…`); the PaymentIntent
    /// is created there (a direct charge), through the `Stripe-Account`
    /// header.
    pub connected_account: String,
    /// A card to charge now (`pm_…`), e.g. from the portal's Payment
    /// Element or a test card (`pm_card_visa`). With one, the PaymentIntent
    /// is confirmed at creation; without, it waits for the buyer's browser
    /// to confirm it with its client secret.
    pub payment_method: Option<String>,
    /// Stripe's `Idempotency-Key`: the same key twice gives back the first
    /// PaymentIntent (or the first decline) instead of creating another.
    /// Derive it from the order ([`NewPaymentIntent::order_key`]); a new
    /// attempt after a decline needs a new key.
    pub idempotency_key: String,
}

impl NewPaymentIntent {
    /// The idempotency key for attempt `attempt` (1, 2, …) at paying order
    /// `order_id`: `sellout-pi-{order_id}-{attempt}`.
    pub fn order_key(order_id: &str, attempt: u32) -> String {
        format!("sellout-pi-{order_id}-{attempt}")
    }
}

/// Where a PaymentIntent stands (Stripe's `status`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntentStatus {
    /// Paid: tickets are issued when the `payment_intent.succeeded`
    /// webhook arrives.
    Succeeded,
    /// Waiting for a (new) card, also after a decline.
    RequiresPaymentMethod,
    /// Has a card, waiting for confirmation.
    RequiresConfirmation,
    /// The buyer must act (3-D Secure): the portal handles it with the
    /// client secret.
    RequiresAction,
    /// Being processed (asynchronous payment methods).
    Processing,
    /// Authorized, waiting for capture (Sellout captures automatically).
    RequiresCapture,
    /// Canceled.
    Canceled,
    /// A status this code does not know.
    Other(String),
}

impl From<&PaymentIntentStatus> for IntentStatus {
    fn from(s: &PaymentIntentStatus) -> Self {
        match s {
            PaymentIntentStatus::Succeeded => Self::Succeeded,
            PaymentIntentStatus::RequiresPaymentMethod => Self::RequiresPaymentMethod,
            PaymentIntentStatus::RequiresConfirmation => Self::RequiresConfirmation,
            PaymentIntentStatus::RequiresAction => Self::RequiresAction,
            PaymentIntentStatus::Processing => Self::Processing,
            PaymentIntentStatus::RequiresCapture => Self::RequiresCapture,
            PaymentIntentStatus::Canceled => Self::Canceled,
            other => Self::Other(other.as_str().to_owned()),
        }
    }
}

/// A PaymentIntent as Sellout needs it. `Debug` hides the client secret.
#[derive(Clone, PartialEq, Eq)]
pub struct PaymentIntent {
    /// `pi_…`.
    pub id: String,
    /// Where it stands.
    pub status: IntentStatus,
    /// The amount asked.
    pub amount: Money,
    /// What was received, in minor units.
    pub amount_received: i64,
    /// The application fee Stripe recorded, if any.
    pub application_fee: Option<i64>,
    /// The latest charge (`ch_…`), once there is one.
    pub latest_charge: Option<String>,
    /// Our metadata as Stripe stored it.
    pub metadata: HashMap<String, String>,
    /// Why the last payment attempt failed, as Stripe tells the buyer.
    pub last_payment_error: Option<String>,
    /// The secret the buyer's browser confirms with (Stripe.js). Give it
    /// to that buyer only; never log it.
    pub client_secret: Option<String>,
}

impl fmt::Debug for PaymentIntent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaymentIntent")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("amount", &self.amount)
            .field("amount_received", &self.amount_received)
            .field("application_fee", &self.application_fee)
            .field("latest_charge", &self.latest_charge)
            .field("metadata", &self.metadata)
            .field("last_payment_error", &self.last_payment_error)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// What a refund is taken from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundTarget {
    /// A PaymentIntent (`pi_…`): every order paid through Sellout.
    PaymentIntent(String),
    /// A Charge (`ch_…`): orders imported from the old platform, which
    /// charged cards without PaymentIntents.
    Charge(String),
}

impl RefundTarget {
    /// The target named by a Stripe id, by its prefix (`pi_` or `ch_`).
    pub fn from_id(id: &str) -> Result<Self, PaymentError> {
        let id = id.trim();
        if id.len() > 3 && id.starts_with("pi_") {
            Ok(Self::PaymentIntent(id.to_owned()))
        } else if id.len() > 3 && id.starts_with("ch_") {
            Ok(Self::Charge(id.to_owned()))
        } else {
            Err(PaymentError::invalid(format!(
                "cannot refund {id:?}: a PaymentIntent (pi_…) or Charge (ch_…) id is needed"
            )))
        }
    }
}

/// A refund to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRefund {
    /// What to refund.
    pub target: RefundTarget,
    /// How much, in minor units of the payment's currency; at most what is
    /// left unrefunded (Stripe refuses more with
    /// [`PaymentError::InvalidRequest`]).
    pub amount: i64,
    /// Our order id; sent as metadata `order_id`.
    pub order_id: String,
    /// The connected account the payment was made on; `None` only for a
    /// legacy Charge that the old platform made on the platform's own
    /// account.
    pub connected_account: Option<String>,
    /// Whether Stripe also gives the platform's application fee back to
    /// the connected account. Sellout refunds platform fees only when the
    /// whole order is refunded: the caller decides, this is passed through.
    pub refund_application_fee: bool,
    /// Stripe's `Idempotency-Key`: our refund's id, so a retried refund is
    /// made once.
    pub idempotency_key: String,
}

/// A refund Stripe made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refund {
    /// `re_…`.
    pub id: String,
    /// The amount refunded.
    pub amount: Money,
    /// Stripe's status: `succeeded`, `pending`, `failed`, … (`None` when
    /// Stripe omits it).
    pub status: Option<String>,
    /// The refunded charge.
    pub charge: Option<String>,
    /// The refunded PaymentIntent, for PaymentIntent payments.
    pub payment_intent: Option<String>,
}

impl Payments {
    /// A client for `config`. Nothing is connected until the first call.
    pub fn new(config: &StripeConfig) -> Result<Self, PaymentError> {
        let client = ClientBuilder::new(config.secret_key().expose())
            .url(config.api_base())
            .timeout(config.timeout)
            .app_info("sellout", Some(env!("CARGO_PKG_VERSION").to_owned()), None)
            .build()
            .map_err(PaymentError::from)?;
        Ok(Self {
            client,
            api_base: config.api_base().to_owned(),
        })
    }

    /// Creates the PaymentIntent for an order on the organization's
    /// connected account, with the application fee and our metadata, and
    /// confirms it when a payment method is given. Sent once with
    /// `req.idempotency_key`: calling again with the same key returns the
    /// same PaymentIntent (or the same decline) and charges nothing more.
    #[tracing::instrument(name = "stripe create_payment_intent", skip_all, fields(otel.kind = "client"))]
    pub async fn create_payment_intent(
        &self,
        req: &NewPaymentIntent,
    ) -> Result<PaymentIntent, PaymentError> {
        if req.amount.minor <= 0 {
            return Err(PaymentError::invalid(format!(
                "order {}: a PaymentIntent needs a positive amount, not {} (free orders skip Stripe)",
                req.order_id, req.amount.minor
            )));
        }
        if req.application_fee < 0 || req.application_fee > req.amount.minor {
            return Err(PaymentError::invalid(format!(
                "order {}: the application fee {} must be between 0 and the amount {}",
                req.order_id, req.application_fee, req.amount.minor
            )));
        }
        let account = account_id(&req.connected_account)?;
        let key = idempotency_key(&req.idempotency_key)?;
        let mut create =
            CreatePaymentIntent::new(req.amount.minor, stripe_currency(req.amount.currency))
                .metadata(HashMap::from([
                    (METADATA_ORDER_ID.to_owned(), req.order_id.clone()),
                    (METADATA_EVENT_UID.to_owned(), req.event_uid.clone()),
                ]));
        if req.application_fee > 0 {
            create = create.application_fee_amount(req.application_fee);
        }
        // Confirmable on the server (here or by `confirm_payment_intent`):
        // no page to return to, so no payment method that redirects the
        // buyer elsewhere.
        create = create.automatic_payment_methods({
            let mut a = CreatePaymentIntentAutomaticPaymentMethods::new(true);
            a.allow_redirects =
                Some(CreatePaymentIntentAutomaticPaymentMethodsAllowRedirects::Never);
            a
        });
        if let Some(pm) = &req.payment_method {
            create = create.payment_method(pm.clone()).confirm(true);
        }
        let pi = create
            .customize()
            .account_id(account)
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(PaymentError::from)
            .and_then(from_stripe_intent);
        if req.payment_method.is_some() {
            count_attempt(&pi);
        }
        pi
    }

    /// Confirms PaymentIntent `id` on the connected account with payment
    /// method `payment_method` (a card the buyer's Stripe.js made): the
    /// method is set on the intent, then the intent confirmed, each call
    /// sent once under `idempotency_key` (with `-method` and `-confirm`).
    /// One PaymentIntent is charged at most once, whatever is retried: a
    /// second confirm of a paid intent is refused by Stripe.
    #[tracing::instrument(name = "stripe confirm_payment_intent", skip_all, fields(otel.kind = "client"))]
    pub async fn confirm_payment_intent(
        &self,
        id: &str,
        connected_account: &str,
        payment_method: &str,
        idempotency_key: &str,
    ) -> Result<PaymentIntent, PaymentError> {
        let pi = self
            .set_method_and_confirm(id, connected_account, payment_method, idempotency_key)
            .await;
        count_attempt(&pi);
        pi
    }

    async fn set_method_and_confirm(
        &self,
        id: &str,
        connected_account: &str,
        payment_method: &str,
        idempotency_key: &str,
    ) -> Result<PaymentIntent, PaymentError> {
        let account = account_id(connected_account)?;
        UpdatePaymentIntent::new(id)
            .payment_method(payment_method)
            .customize()
            .account_id(account.clone())
            .request_strategy(RequestStrategy::Idempotent(self::idempotency_key(
                &format!("{idempotency_key}-method"),
            )?))
            .send(&self.client)
            .await?;
        let pi = ConfirmPaymentIntent::new(id)
            .customize()
            .account_id(account)
            .request_strategy(RequestStrategy::Idempotent(self::idempotency_key(
                &format!("{idempotency_key}-confirm"),
            )?))
            .send(&self.client)
            .await?;
        from_stripe_intent(pi)
    }

    /// Reads a PaymentIntent back from the connected account (e.g. when a
    /// call ended in [`PaymentError::Unavailable`] and the caller wants to
    /// know what happened).
    #[tracing::instrument(name = "stripe retrieve_payment_intent", skip_all, fields(otel.kind = "client"))]
    pub async fn payment_intent(
        &self,
        id: &str,
        connected_account: &str,
    ) -> Result<PaymentIntent, PaymentError> {
        let account = account_id(connected_account)?;
        let pi = RetrievePaymentIntent::new(id)
            .customize()
            .account_id(account)
            .send(&self.client)
            .await?;
        from_stripe_intent(pi)
    }

    /// Cancels an unpaid PaymentIntent on the connected account, so it can
    /// no longer be paid (its order was cancelled).
    #[tracing::instrument(name = "stripe cancel_payment_intent", skip_all, fields(otel.kind = "client"))]
    pub async fn cancel_payment_intent(
        &self,
        id: &str,
        connected_account: &str,
    ) -> Result<PaymentIntent, PaymentError> {
        let account = account_id(connected_account)?;
        let pi = CancelPaymentIntent::new(id)
            .customize()
            .account_id(account)
            .send(&self.client)
            .await?;
        from_stripe_intent(pi)
    }

    /// Refunds `req.amount` of a PaymentIntent or a legacy Charge, once per
    /// idempotency key.
    #[tracing::instrument(name = "stripe create_refund", skip_all, fields(otel.kind = "client"))]
    pub async fn refund(&self, req: &NewRefund) -> Result<Refund, PaymentError> {
        if req.amount <= 0 {
            return Err(PaymentError::invalid(format!(
                "order {}: a refund needs a positive amount, not {}",
                req.order_id, req.amount
            )));
        }
        let key = idempotency_key(&req.idempotency_key)?;
        let mut create = CreateRefund::new()
            .amount(req.amount)
            .metadata(HashMap::from([(
                METADATA_ORDER_ID.to_owned(),
                req.order_id.clone(),
            )]));
        create = match &req.target {
            RefundTarget::PaymentIntent(id) => create.payment_intent(id.clone()),
            RefundTarget::Charge(id) => create.charge(id.clone()),
        };
        // Sent only when asked for: Stripe's default is false.
        if req.refund_application_fee {
            create = create.refund_application_fee(true);
        }
        let mut request = create
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key));
        if let Some(account) = &req.connected_account {
            request = request.account_id(account_id(account)?);
        }
        let r = request.send(&self.client).await?;
        Ok(Refund {
            id: r.id.as_str().to_owned(),
            amount: Money::new(r.amount, sellout_currency(&r.currency)?),
            status: r.status,
            charge: r.charge.as_ref().map(|c| c.id().as_str().to_owned()),
            payment_intent: r
                .payment_intent
                .as_ref()
                .map(|p| p.id().as_str().to_owned()),
        })
    }
}

/// Counts a payment attempt's outcome ([`crate::metrics`]).
fn count_attempt(pi: &Result<PaymentIntent, PaymentError>) {
    use crate::metrics::PaymentOutcome as O;
    let outcome = match pi {
        Ok(pi) => match pi.status {
            IntentStatus::Succeeded => O::Succeeded,
            IntentStatus::RequiresAction => O::RequiresAction,
            _ => O::Pending,
        },
        Err(PaymentError::Declined { .. }) => O::Declined,
        Err(_) => O::Error,
    };
    crate::metrics::get().payment(outcome);
}

fn account_id(id: &str) -> Result<AccountId, PaymentError> {
    let valid = id
        .strip_prefix("acct_")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()));
    if valid {
        Ok(AccountId::from(id))
    } else {
        Err(PaymentError::invalid(format!(
            "{id:?} is not a Stripe connected-account id (acct_…)"
        )))
    }
}

fn idempotency_key(key: &str) -> Result<IdempotencyKey, PaymentError> {
    IdempotencyKey::new(key).map_err(|e| PaymentError::invalid(format!("idempotency key: {e}")))
}

fn stripe_currency(c: Currency) -> stripe_types::Currency {
    // Infallible: an unknown code is kept as it is.
    stripe_types::Currency::from_str(&c.as_str().to_ascii_lowercase())
        .unwrap_or_else(|never| match never {})
}

fn sellout_currency(c: &stripe_types::Currency) -> Result<Currency, PaymentError> {
    let code = c.to_string().to_ascii_uppercase();
    Currency::parse(&code).map_err(|_| PaymentError::Other {
        status: None,
        message: format!("Stripe answered with currency {code:?}"),
    })
}

fn from_stripe_intent(pi: stripe_shared::PaymentIntent) -> Result<PaymentIntent, PaymentError> {
    Ok(PaymentIntent {
        id: pi.id.as_str().to_owned(),
        status: IntentStatus::from(&pi.status),
        amount: Money::new(pi.amount, sellout_currency(&pi.currency)?),
        amount_received: pi.amount_received,
        application_fee: pi.application_fee_amount,
        latest_charge: pi
            .latest_charge
            .as_ref()
            .map(|c| c.id().as_str().to_owned()),
        metadata: pi.metadata,
        last_payment_error: pi.last_payment_error.and_then(|e| e.message),
        client_secret: pi.client_secret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refund_targets_are_told_apart_by_prefix() {
        assert_eq!(
            RefundTarget::from_id("pi_3Abc").unwrap(),
            RefundTarget::PaymentIntent("pi_3Abc".into())
        );
        assert_eq!(
            RefundTarget::from_id(" ch_1Legacy\n").unwrap(),
            RefundTarget::Charge("ch_1Legacy".into())
        );
        for bad in ["", "pi_", "re_123", "cus_1", "py_1"] {
            let e = RefundTarget::from_id(bad).unwrap_err();
            assert_eq!(e.category(), "invalid_request", "{bad}: {e}");
        }
    }

    #[test]
    fn account_ids_and_keys_are_checked_before_sending() {
        assert!(account_id("acct_1Nv0FGQ9RKHgCVdK").is_ok());
        for bad in ["", "acct_", "acct_1 2", "sk_live_x", "acct_1\n"] {
            assert!(account_id(bad).is_err(), "{bad:?}");
        }
        assert!(idempotency_key("").is_err());
        assert!(idempotency_key(&"k".repeat(256)).is_err());
        assert!(idempotency_key(&NewPaymentIntent::order_key("ord-1", 1)).is_ok());
    }

    #[test]
    fn currencies_cross_between_our_codes_and_stripes() {
        let eur = Currency::parse("EUR").unwrap();
        let s = stripe_currency(eur);
        assert_eq!(s, stripe_types::Currency::EUR);
        assert_eq!(s.to_string(), "eur");
        assert_eq!(sellout_currency(&s).unwrap(), eur);
    }

    #[test]
    fn debug_hides_the_client_secret() {
        let pi = PaymentIntent {
            id: "pi_1".into(),
            status: IntentStatus::RequiresPaymentMethod,
            amount: Money::new(100, Currency::parse("USD").unwrap()),
            amount_received: 0,
            application_fee: None,
            latest_charge: None,
            metadata: HashMap::new(),
            last_payment_error: None,
            client_secret: Some("pi_1_secret_abcdef".into()),
        };
        let shown = format!("{pi:?}");
        assert!(!shown.contains("abcdef"), "{shown}");
    }
}
