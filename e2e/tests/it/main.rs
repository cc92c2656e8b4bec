//! Integration tests of the harness: one smoke test per real component,
//! each asserting behaviour Sellout depends on. All in one test binary so
//! the components are started once and shared.

mod chromium;
mod ferretdb;
mod kube_api;
mod localstripe;
mod nats;
mod sms;
mod smtp;
