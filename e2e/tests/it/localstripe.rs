//! localstripe through async-stripe: a card payment and a declined card.

use stripe::StripeError;
use stripe_core::payment_intent::{ConfirmPaymentIntent, CreatePaymentIntent};
use stripe_shared::PaymentIntentStatus;
use stripe_types::Currency;

#[tokio::test]
async fn payment_intent_with_test_card_succeeds() {
    let stripe = sellout_e2e::stripe().await.client().unwrap();
    // localstripe takes the payment method at creation only (confirming
    // with a new one answers 500 "Not implemented").
    let pi = CreatePaymentIntent::new(2500, Currency::USD)
        .payment_method("pm_card_visa")
        .send(&stripe)
        .await
        .unwrap();
    assert_eq!(pi.amount, 2500);
    assert_eq!(pi.status, PaymentIntentStatus::RequiresConfirmation);

    let confirmed = ConfirmPaymentIntent::new(pi.id.clone())
        .send(&stripe)
        .await
        .unwrap();
    assert_eq!(confirmed.id, pi.id);
    assert_eq!(confirmed.status, PaymentIntentStatus::Succeeded);
}

#[tokio::test]
async fn declined_card_fails() {
    let stripe = sellout_e2e::stripe().await.client().unwrap();
    let pi = CreatePaymentIntent::new(1000, Currency::EUR)
        // Stripe's test card that attaches but is declined when charged.
        .payment_method("pm_card_chargeCustomerFail")
        .send(&stripe)
        .await
        .unwrap();
    let err = ConfirmPaymentIntent::new(pi.id.clone())
        .send(&stripe)
        .await
        .unwrap_err();
    match err {
        StripeError::Stripe(api, status) => {
            assert_eq!(status, 402, "{api:?}");
            let code = format!("{:?}", api.code);
            assert_eq!(code, "Some(card_declined)", "{api:?}");
        }
        other => panic!("expected a card error from Stripe, got {other:?}"),
    }
    // The intent stays unpaid, ready for another card.
    let after = stripe_core::payment_intent::RetrievePaymentIntent::new(pi.id.clone())
        .send(&stripe)
        .await
        .unwrap();
    assert_ne!(after.status, PaymentIntentStatus::Succeeded);
    assert_eq!(after.amount_received, 0);
}
