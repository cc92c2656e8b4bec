//! The CRDs against a real API server: they install, the examples apply,
//! `kubectl explain` teaches, and invalid manifests are rejected with the
//! CEL or schema message a user needs.

mod crds;
