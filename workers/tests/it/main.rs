//! The worker against real components: the API server, NATS JetStream,
//! FerretDB and the SMTP sink (mailpit).

mod checkout;
mod email;
