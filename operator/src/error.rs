//! The operator's errors. Each has a short `category()` used as the
//! metric label and the Kubernetes Event reason.

/// Why a reconcile failed (and will be retried with backoff).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The Kubernetes API answered with an error.
    #[error("Kubernetes API: {0}")]
    Kube(#[from] kube::Error),
    /// Writing one of the Event's child objects failed.
    #[error("{verb} {kind} {name}: {source}")]
    Child {
        /// What was being done (apply, delete, read).
        verb: &'static str,
        /// Kind of the child.
        kind: &'static str,
        /// Its name.
        name: String,
        /// The API's answer.
        source: kube::Error,
    },
    /// An object changed since it was read (optimistic concurrency): the
    /// watch brings the new version and the reconcile runs again.
    #[error("{0} changed since it was read; retrying")]
    Stale(&'static str),
    /// An object lacks a field the API server always sets.
    #[error("{0} has no {1}")]
    MissingField(&'static str, &'static str),
    /// A value could not be serialized.
    #[error("serialize: {0}")]
    Serialize(#[from] serde_json::Error),
    /// An object the Event needs exists under the same name but belongs to
    /// something else: the operator does not take it over.
    #[error(
        "{kind} {name} already exists and is not owned by this Event: delete or rename it (the operator never takes over objects it did not create)"
    )]
    ForeignChild {
        /// Kind of the object.
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// MongoDB or JetStream failed.
    #[error("{0}")]
    Data(#[from] crate::event::data::DataError),
}

impl Error {
    /// Bounded label for metrics and event reasons.
    pub fn category(&self) -> &'static str {
        match self {
            Error::Kube(e) | Error::Child { source: e, .. } => match e {
                kube::Error::Api(s) if s.code == 409 => "conflict",
                kube::Error::Api(_) => "api",
                _ => "transport",
            },
            Error::MissingField(..) => "invalid-object",
            Error::Stale(_) => "conflict",
            Error::ForeignChild { .. } => "foreign-child",
            Error::Serialize(_) => "serialize",
            Error::Data(crate::event::data::DataError::Mongo(_)) => "mongo",
            Error::Data(crate::event::data::DataError::Nats { .. }) => "nats",
        }
    }
}

/// Operator result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
