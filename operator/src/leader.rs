//! Leader election on a `coordination.k8s.io` Lease (kube-lease-manager):
//! of several operator replicas exactly one runs the controllers; the others
//! wait and take over within the lease duration when it stops.

use std::sync::Arc;

use kube_lease_manager::LeaseManagerBuilder;

use crate::Context;

/// Lease settings.
#[derive(Clone, Debug)]
pub struct Election {
    /// Name of the Lease.
    pub lease: String,
    /// Namespace of the Lease.
    pub namespace: String,
    /// This replica's identity (pod name, or host and pid).
    pub identity: String,
    /// Seconds a holder keeps the lease without renewing it.
    pub duration_seconds: u64,
}

/// Why leading ended.
#[derive(Debug, thiserror::Error)]
pub enum LeaderError {
    /// The Lease could not be read or written.
    #[error("leader election: {0}")]
    Lease(#[from] kube_lease_manager::LeaseManagerError),
    /// Another replica took the lease while this one led (it stopped
    /// renewing, e.g. the API server was unreachable): stop acting.
    #[error("lost the {0} lease to another replica")]
    Lost(String),
}

/// Waits for the lease, then runs the controllers while holding it.
/// Returns when `ctx.shutdown` is cancelled (releasing the lease for a
/// fast handover) or with an error when the lease is lost, after stopping
/// the controllers.
pub async fn run_as_leader(ctx: Arc<Context>, election: Election) -> Result<(), LeaderError> {
    let manager = LeaseManagerBuilder::new(ctx.client.clone(), &election.lease)
        .with_namespace(&election.namespace)
        .with_identity(&election.identity)
        .with_duration(election.duration_seconds)
        .with_grace(election.duration_seconds.div_ceil(3).max(1))
        .build()
        .await?;
    let (mut leading, task) = manager.watch().await;
    tracing::info!(lease = %election.lease, identity = %election.identity, "waiting to become leader");
    loop {
        if *leading.borrow_and_update() {
            break;
        }
        tokio::select! {
            changed = leading.changed() => if changed.is_err() { return finish(task).await },
            _ = ctx.shutdown.cancelled() => { drop(leading); return finish(task).await }
        }
    }
    tracing::info!(identity = %election.identity, "became leader; starting controllers");
    let lost = async {
        loop {
            if leading.changed().await.is_err() || !*leading.borrow_and_update() {
                return;
            }
        }
    };
    let result = tokio::select! {
        _ = crate::run_controllers(ctx.clone()) => Ok(()),
        _ = lost => {
            tracing::error!("lost leadership; stopping controllers");
            Err(LeaderError::Lost(election.lease.clone()))
        }
    };
    ctx.shutdown.cancel();
    drop(leading);
    finish(task).await?;
    result
}

async fn finish(
    task: tokio::task::JoinHandle<kube_lease_manager::Result<kube_lease_manager::LeaseManager>>,
) -> Result<(), LeaderError> {
    match task.await {
        Ok(Ok(manager)) => {
            // Hand over at once instead of after the lease duration.
            if let Err(e) = manager.release().await {
                tracing::warn!(error = %e, "could not release the lease");
            }
            Ok(())
        }
        Ok(Err(e)) => Err(e.into()),
        Err(e) => {
            tracing::warn!(error = %e, "lease task ended abnormally");
            Ok(())
        }
    }
}
