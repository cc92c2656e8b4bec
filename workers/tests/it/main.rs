//! The worker against real components (the SMTP sink, mailpit).

mod email;
