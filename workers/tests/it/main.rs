//! The worker against real components (the SMTP sink, mailpit; Stripe's
//! fake, localstripe).

mod email;
mod payments;
