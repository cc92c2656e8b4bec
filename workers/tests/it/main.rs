//! The worker against real components: the API server, NATS JetStream,
//! FerretDB, the SMTP sink (mailpit) and Stripe's fake (localstripe).

mod checkout;
mod email;
mod email_sender;
mod orders;
mod payments;
mod reminders;
mod scan;
mod sentry;
