//! The operator's errors. Each has a short `category()` used as the
//! metric label and the Kubernetes Event reason.

/// Why a reconcile failed (and will be retried with backoff).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Kubernetes API answered with an error.
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    /// An object lacks a field the API server always sets.
    #[error("{0} has no {1}")]
    MissingField(&'static str, &'static str),
    /// A value could not be serialized.
    #[error("serialize: {0}")]
    Serialize(#[from] serde_json::Error),
    /// A reconcile ran before the controller's caches were set up.
    #[error("the controller's caches are not ready yet")]
    NotStarted,
    /// MongoDB or JetStream failed.
    #[error("{0}")]
    Data(#[from] crate::event::data::DataError),
}

impl Error {
    /// Bounded label for metrics and event reasons.
    pub fn category(&self) -> &'static str {
        match self {
            Error::Kube(kube::Error::Api(s)) if s.code == 409 => "conflict",
            Error::Kube(kube::Error::Api(_)) => "api",
            Error::Kube(_) => "transport",
            Error::MissingField(..) => "invalid-object",
            Error::NotStarted => "not-started",
            Error::Serialize(_) => "serialize",
            Error::Data(crate::event::data::DataError::Mongo(_)) => "mongo",
            Error::Data(crate::event::data::DataError::Nats(_)) => "nats",
            Error::Data(crate::event::data::DataError::Malformed(..)) => "malformed-inventory",
        }
    }
}

/// Operator result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
