//! The operator against a real API server, NATS and FerretDB (Kubernetes
//! worker runtime: objects only, there is no kubelet).

mod chart;
mod children;
mod common;
mod crash;
mod data;
mod event;
mod leader;
mod local;
mod nats_users;
mod org;
