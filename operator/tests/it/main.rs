//! The operator against a real API server (Kubernetes worker runtime:
//! objects only, there is no kubelet).

mod event;
