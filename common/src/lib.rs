//! Shared by every Sellout component: the protobuf messages sent over NATS
//! ([`proto`]), telemetry setup ([`telemetry`]), request ids and
//! trace context across NATS ([`trace`]), the money type
//! ([`money`]), child processes that never outlive their parent
//! ([`process`]) and each component's NATS user and permissions
//! ([`nats_auth`]).

pub mod money;
pub mod names;
pub mod nats_auth;
pub mod process;
pub mod telemetry;
pub mod trace;

/// Protobuf messages exchanged between the gateway and the workers over
/// NATS request/reply, generated from `common/proto` at build time.
pub mod proto {
    /// Package `sellout.v1`.
    #[allow(missing_docs, clippy::all)]
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/sellout.v1.rs"));
    }
}
