//! The Event controller: `dereference → validate → build → apply →
//! update_status`. `validate`, `build`, `schedule` and `status` are pure
//! and unit-tested from inline fixtures; this module does the I/O: it reads
//! tiers and venues from caches, keeps the event's workers (Deployments and
//! friends, or local processes) as the schedule asks, its JetStream stream
//! and hot MongoDB collections (see [`data`]), and writes the Event's and
//! its tiers' status. Deletion is guarded by finalizers while the event's
//! data lives outside Kubernetes (see [`finalize`]).

pub mod build;
pub mod data;
pub mod local;
pub mod schedule;
pub mod status;
pub mod validate;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::reflector::ObjectRef;
use kube::runtime::reflector::{self, Store, reflector};
use kube::runtime::{Controller, WatchStreamExt, watcher};
use kube::{Resource, ResourceExt};
use sellout_crds::event::{DeletionPolicy, EventStatus, WorkerSetStatus, WorkersStatus};
use sellout_crds::{
    Event, FIELD_MANAGER_OPERATOR, FINALIZER_MONGO_DATA, FINALIZER_NATS_STREAM, TicketTier, Venue,
};

use crate::children::Writer;
use crate::conditions::{ConditionType, Want};
use crate::context::{Base, Context, EventContext, WorkerRuntime};
use crate::error::{Error, Result};
use build::{Children, Component};
use local::LocalRuntime;

/// Metric label of this controller.
pub const CONTROLLER: &str = "event";
/// How long an event with nothing scheduled waits before a resync.
pub const RESYNC: Duration = Duration::from_secs(3600);
/// How often an event is looked at while one of its days is being
/// scanned (the check-in counts in its status).
pub const CHECK_IN_RESYNC: Duration = Duration::from_secs(10);

/// How long a reconcile waits for the tier and venue caches' first list.
const CACHE_WAIT: Duration = Duration::from_secs(5);

/// Runs the Event controller until shutdown, with its settings from
/// `settings`.
pub async fn run(base: Arc<Base>, settings: &Context) {
    let events: Api<Event> = base.api();
    let managed = watcher::Config::default().labels(&crate::labels::managed_selector());
    let mut config = watcher::Config::default();
    if let Some(sel) = &settings.event_selector {
        config = config.labels(sel);
    }
    // Tiers and venues are read from caches fed by the same watch streams
    // that trigger reconciles, so a reconcile never lists the API server
    // (listing every tier per reconcile made 1,000 events quadratic) and
    // never sees a cache older than the change that triggered it.
    let (tiers, tier_writer) = reflector::store::<TicketTier>();
    let (venues, venue_writer) = reflector::store::<Venue>();
    let tier_stream = reflector(
        tier_writer,
        watcher(base.api::<TicketTier>(), watcher::Config::default()),
    )
    .default_backoff()
    .touched_objects();
    let venue_stream = reflector(
        venue_writer,
        watcher(base.api::<Venue>(), watcher::Config::default()),
    )
    .default_backoff()
    .touched_objects();
    let ctx = Arc::new(EventContext::new(
        base.clone(),
        settings,
        Caches { tiers, venues },
    ));
    let controller = Controller::new(events, config);
    let store = controller.store();
    controller
        .owns(base.api::<Deployment>(), managed.clone())
        .owns_stream(crate::children::spec_changes(
            base.api::<Service>(),
            managed.clone(),
        ))
        .owns_stream(crate::children::spec_changes(
            base.api::<HorizontalPodAutoscaler>(),
            managed.clone(),
        ))
        .owns_stream(crate::children::spec_changes(
            base.api::<PodDisruptionBudget>(),
            managed,
        ))
        .watches_stream(tier_stream, |tier| {
            let ns = tier.namespace()?;
            Some(ObjectRef::new(&tier.spec.event_ref.name).within(&ns))
        })
        .watches_stream(venue_stream, move |venue| {
            let ns = venue.namespace();
            let name = venue.name_any();
            store
                .state()
                .into_iter()
                .filter(|e| e.namespace() == ns && e.spec.venue_ref.name == name)
                .map(|e| ObjectRef::from_obj(&*e))
                .collect::<Vec<_>>()
        })
        .graceful_shutdown_on(base.shutdown.clone().cancelled_owned())
        .run(reconcile, error_policy, ctx)
        .for_each(|_| std::future::ready(()))
        .await;
}

/// Caches of the objects an Event reconcile reads.
pub struct Caches {
    /// Every TicketTier in the watched namespace(s).
    pub tiers: Store<TicketTier>,
    /// Every Venue in the watched namespace(s).
    pub venues: Store<Venue>,
}

async fn reconcile(event: Arc<Event>, ctx: Arc<EventContext>) -> Result<Action> {
    let started = Instant::now();
    let result = reconcile_inner(&event, &ctx).await;
    if let Err(err) = &result {
        report_failure(&event, err, &ctx).await;
    }
    ctx.base.metrics.reconciled(
        CONTROLLER,
        started.elapsed(),
        result.as_ref().err().map(Error::category),
    );
    if result.is_ok() {
        ctx.base
            .backoff
            .reset(&ObjectRef::from_obj(&*event).erase());
    }
    result
}

/// Shows a failing reconcile in the Event's status (`Degraded`, reason
/// `ReconcileFailed`, the error's category and message) so that `kubectl
/// get`/`describe` tells why nothing progresses. Best effort: a failure to
/// write is only logged. Unchanged failures write nothing.
async fn report_failure(event: &Event, err: &Error, ctx: &EventContext) {
    let Some(ns) = event.namespace() else {
        return;
    };
    if err.category() == "conflict" {
        // Transient: the newer version is already on its way.
        return;
    }
    let old = event.status.clone().unwrap_or_default();
    // Each status write wakes the controller at once, so a message that
    // changes on every failure (addresses, counters) would defeat the
    // backoff: the same failure as the one shown is not written again.
    let prefix = format!("{} error, retrying with backoff: ", err.category());
    let message = format!("{prefix}{err}");
    // Compared without digits: ports, resource versions and counters
    // change between attempts, the failure does not.
    let gist = |m: &str| {
        m.chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
    };
    let shown = old.conditions.iter().any(|c| {
        ConditionType::Degraded.is(c)
            && c.status == "True"
            && c.reason == "ReconcileFailed"
            && gist(&c.message) == gist(&message)
    });
    if shown {
        return;
    }
    let want = Want::new(ConditionType::Degraded, true, "ReconcileFailed", message);
    let degraded = crate::conditions::merge(
        &old.conditions,
        vec![want],
        event.metadata.generation,
        Timestamp::now(),
    );
    let mut st = old.clone();
    st.conditions.retain(|c| !ConditionType::Degraded.is(c));
    st.conditions.extend(degraded);
    if let Err(e) = write_event_status(event, &ns, st, ctx).await {
        tracing::warn!(error = %e, "could not report the failure in status");
    }
}

fn error_policy(event: Arc<Event>, err: &Error, ctx: Arc<EventContext>) -> Action {
    let delay = ctx.base.backoff.next(&ObjectRef::from_obj(&*event).erase());
    tracing::warn!(event = %event.name_any(), category = err.category(), error = %err, retry_in = ?delay, "reconcile failed");
    Action::requeue(delay)
}

#[tracing::instrument(skip_all, fields(event = %event.name_any(), namespace = event.namespace().unwrap_or_default()))]
async fn reconcile_inner(event: &Event, ctx: &EventContext) -> Result<Action> {
    let ns = event
        .namespace()
        .ok_or(Error::MissingField("Event", "metadata.namespace"))?;
    let name = event.name_any();
    let uid = event
        .metadata
        .uid
        .clone()
        .ok_or(Error::MissingField("Event", "metadata.uid"))?;
    let names = data::Names::for_uid(&uid);
    let now = Timestamp::now();

    if event.metadata.deletion_timestamp.is_some() {
        return finalize(event, &ns, &names, ctx, now).await;
    }
    if ctx.data.is_some() {
        add_finalizers(event, &ns, ctx).await?;
    }

    // dereference (from the caches)
    let caches = &ctx.caches;
    // Until both caches hold their first full list, a missing venue or tier
    // may only be not listed yet: look again shortly rather than report it.
    let ready = async {
        caches.venues.wait_until_ready().await.is_ok()
            && caches.tiers.wait_until_ready().await.is_ok()
    };
    if !tokio::time::timeout(CACHE_WAIT, ready)
        .await
        .unwrap_or(false)
    {
        tracing::debug!("tier and venue caches are not filled yet");
        return Ok(Action::requeue(Duration::from_secs(1)));
    }
    let venue = caches
        .venues
        .get(&ObjectRef::new(&event.spec.venue_ref.name).within(&ns))
        .map(|v| (*v).clone());
    let mut tiers: Vec<TicketTier> = caches
        .tiers
        .state()
        .into_iter()
        .filter(|t| {
            t.metadata.namespace.as_deref() == Some(ns.as_str()) && t.spec.event_ref.name == name
        })
        .map(|t| (*t).clone())
        .collect();
    tiers.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));

    // validate
    let mut problems = validate::validate(&event.spec, venue.as_ref(), &tiers);
    // Only an inconsistent event waits for a change; a refused quantity
    // (below sold + held) concerns one tier and the schedule goes on.
    let inconsistent = !problems.is_empty();

    // build + apply (an inconsistent event changes nothing)
    let mut workers = event.status.as_ref().and_then(|s| s.workers.clone());
    let mut counts = None;
    let mut checked_in = None;
    let mut sold_out = false;
    if !inconsistent {
        if let Some(data) = &ctx.data {
            data.ensure_stream(&names).await?;
            data.ensure_collections(&names).await?;
            // The live figures of the listed tiers (a deleted tier's
            // inventory stays for deletion, but not in them). A quantity
            // below sold + held is refused for that tier only (by the
            // checkout writer, which keeps the capacity it had).
            let c = data.counts(&names, &tiers).await?;
            problems.extend(data::quantity_problems(&tiers, &c));
            sold_out = status::sold_out(&c);
            counts = Some(c);
            checked_in = data.checked_in(&names).await?;
        }
        let phase = schedule::phase_at(&event.spec, now, sold_out);
        let plan = schedule::worker_plan(&event.spec, phase.phase, now);
        run_workers(event, &ns, plan, ctx).await?;
        workers = match &ctx.runtime {
            WorkerRuntime::Kubernetes => match plan {
                None => None,
                Some(plan) => Some(observe_workers(event, &ns, plan, ctx).await?),
            },
            WorkerRuntime::Local(local) => match plan {
                None => None,
                Some(plan) => Some(WorkersStatus {
                    checkout: WorkerSetStatus {
                        desired: LocalRuntime::replicas(plan.checkout) as i32,
                        ready: local.ready(&ns, &name, Component::Checkout).await,
                    },
                    scan: WorkerSetStatus {
                        desired: LocalRuntime::replicas(plan.scan) as i32,
                        ready: local.ready(&ns, &name, Component::Scan).await,
                    },
                }),
            },
        };
    }
    let phase = schedule::phase_at(&event.spec, now, sold_out);

    // update_status
    let seen = status::Observed {
        problems: problems.clone(),
        workers,
        names: ctx.data.as_ref().map(|_| names.clone()),
        counts: counts.clone(),
        checked_in,
    };
    let new_status = status::event_status(event, &tiers, &phase, &seen, now);
    write_event_status(event, &ns, new_status, ctx).await?;
    for tier in &tiers {
        let tier_name = tier.name_any();
        let c = counts
            .as_ref()
            .and_then(|c| c.iter().find(|c| c.tier == tier_name));
        let st = status::tier_status(tier, &problems, c, now);
        if tier.status.as_ref() != Some(&st) || ctx.base.naive_writes {
            let patch = serde_json::json!({
                "apiVersion": TicketTier::api_version(&()),
                "kind": TicketTier::kind(&()),
                "status": st,
            });
            Api::<TicketTier>::namespaced(ctx.base.client.clone(), &ns)
                .patch_status(
                    &tier_name,
                    &PatchParams::apply(FIELD_MANAGER_OPERATOR).force(),
                    &Patch::Apply(&patch),
                )
                .await?;
            ctx.base
                .metrics
                .write(CONTROLLER, "TicketTier/status", "apply");
        }
    }

    if inconsistent {
        // Wait for the venue, a tier or the event to change.
        return Ok(Action::await_change());
    }
    // Local workers are no Kubernetes objects, so no watch event says when
    // they become ready: look again shortly while some are not.
    let starting = seen
        .workers
        .as_ref()
        .is_some_and(|w| w.checkout.ready < w.checkout.desired || w.scan.ready < w.scan.desired);
    if starting && matches!(ctx.runtime, WorkerRuntime::Local(_)) {
        return Ok(Action::requeue(Duration::from_secs(2)));
    }
    // While a day is being scanned, the check-in counts change without
    // any watch event: look again every few seconds.
    let resync = if schedule::doors_open(&event.spec, now) {
        CHECK_IN_RESYNC
    } else {
        RESYNC
    };
    Ok(match schedule::next_wakeup(&event.spec, now, sold_out) {
        Some(at) => {
            let secs = at.duration_since(now).as_secs_f64().max(0.0);
            Action::requeue(Duration::from_secs_f64(secs).min(resync) + Duration::from_millis(100))
        }
        None => Action::requeue(resync),
    })
}

/// Writes the Event's status if it changed, and records a Kubernetes Event
/// when the `Degraded` condition changes.
async fn write_event_status(
    event: &Event,
    ns: &str,
    new_status: EventStatus,
    ctx: &EventContext,
) -> Result<()> {
    let base = &ctx.base;
    if event.status.as_ref() == Some(&new_status) && !base.naive_writes {
        return Ok(());
    }
    let notice = crate::conditions::degraded_event(
        event.status.as_ref().map_or(&[][..], |s| &s.conditions),
        &new_status.conditions,
        "the event is consistent again",
    );
    let patch = serde_json::json!({
        "apiVersion": Event::api_version(&()),
        "kind": Event::kind(&()),
        "status": new_status,
    });
    Api::<Event>::namespaced(base.client.clone(), ns)
        .patch_status(
            &event.name_any(),
            &PatchParams::apply(FIELD_MANAGER_OPERATOR).force(),
            &Patch::Apply(&patch),
        )
        .await?;
    base.metrics.write(CONTROLLER, "Event/status", "apply");

    // Tell `kubectl describe` when the event becomes degraded or recovers.
    if let Some(ev) = notice {
        match base.recorder.publish(&ev, &event.object_ref(&())).await {
            Ok(()) => base.metrics.write(CONTROLLER, "Event (core)", "create"),
            Err(e) => tracing::warn!(error = %e, "could not record a Kubernetes Event"),
        }
    }
    Ok(())
}

/// The finalizers guarding an Event's data outside Kubernetes: its
/// JetStream stream and its MongoDB collections.
///
/// Why not kube's `kube::runtime::finalizer` helper (kube 5.0), as the
/// reference controller uses: it does not fit this deletion.
/// - It removes its finalizer whenever cleanup returns `Ok`, whatever the
///   `Action`. [`finalize`] returns `Ok` while it must keep the finalizers:
///   while deletion is held because tickets are sold (`DeletionHeld`; the
///   workers keep running so that refunds can be made) and while the
///   workers' pods are still stopping (requeue in 5 s). Under the helper
///   both would have to be errors, which would count as failed
///   reconciles, back off, and replace the `DeletionHeld` condition with
///   `ReconcileFailed`. Dropping the finalizers early would let the Event
///   go while its stream and hot collections (holds in flight) remain.
/// - It manages one finalizer name per call. Events carry two (existing
///   objects have both), so two nested calls: two patches and two extra
///   reconciles to add them, two patches to remove them, the outer one
///   testing a list index that the inner removal may have shifted (its
///   test then fails and the reconcile errors once).
/// - When it adds its finalizer it returns `await_change` without
///   reconciling, so a new Event's workers and status would wait for the
///   reconcile that the patch triggers (two, nested).
/// - In objects-only mode (no data plane) there are no finalizers at all.
///
/// So both finalizers are added and removed together, by one JSON patch
/// that tests the `resourceVersion` (see [`set_finalizers`]) so that a
/// finalizer another controller added meanwhile is never dropped.
const FINALIZERS: [&str; 2] = [FINALIZER_NATS_STREAM, FINALIZER_MONGO_DATA];

async fn add_finalizers(event: &Event, ns: &str, ctx: &EventContext) -> Result<()> {
    let have = event.finalizers();
    if FINALIZERS.iter().all(|f| have.iter().any(|h| h == f)) {
        return Ok(());
    }
    let mut all: Vec<String> = have.to_vec();
    for f in FINALIZERS {
        if !all.iter().any(|h| h == f) {
            all.push(f.into());
        }
    }
    set_finalizers(event, ns, all, ctx).await
}

/// Replaces the finalizer list, failing (and retrying later) if the Event
/// changed since it was read, so another controller's finalizer is never
/// dropped.
async fn set_finalizers(
    event: &Event,
    ns: &str,
    finalizers: Vec<String>,
    ctx: &EventContext,
) -> Result<()> {
    let rv = event
        .resource_version()
        .ok_or(Error::MissingField("Event", "metadata.resourceVersion"))?;
    let patch: json_patch::Patch = serde_json::from_value(serde_json::json!([
        {"op": "test", "path": "/metadata/resourceVersion", "value": rv},
        {"op": "add", "path": "/metadata/finalizers", "value": finalizers},
    ]))?;
    Api::<Event>::namespaced(ctx.base.client.clone(), ns)
        .patch(
            &event.name_any(),
            &PatchParams::default(),
            &Patch::<()>::Json(patch),
        )
        .await
        .map_err(|e| match e {
            // The resourceVersion test failed.
            kube::Error::Api(s) if s.code == 422 || s.code == 409 => Error::Stale("Event"),
            e => Error::Kube(e),
        })?;
    ctx.base
        .metrics
        .write(CONTROLLER, "Event/finalizers", "patch");
    Ok(())
}

/// Deletion: an Event with sold tickets is held unless its policy is
/// Archive; otherwise its workers are stopped, then its stream and hot
/// collections are removed (or archived when anything was sold or held),
/// then our finalizers. Every step is idempotent (a missing stream or
/// collection is success), so a retry after a crash continues where it
/// stopped. Orders, tickets and payments live in shared collections and
/// are never touched.
async fn finalize(
    event: &Event,
    ns: &str,
    names: &data::Names,
    ctx: &EventContext,
    now: Timestamp,
) -> Result<Action> {
    let ours = event
        .finalizers()
        .iter()
        .any(|f| FINALIZERS.contains(&f.as_str()));
    let Some(data) = &ctx.data else {
        return Ok(Action::await_change());
    };
    if !ours {
        return Ok(Action::await_change());
    }
    // A sold event is held, with its workers running: refunds need them.
    let counts = data.stored_counts(names).await?;
    if counts.iter().any(|c| c.sold > 0) && event.spec.on_delete == DeletionPolicy::Retain {
        return hold_deletion(event, ns, names, ctx, now, counts).await;
    }
    // Otherwise stop the workers first, so no sale or hold lands after the
    // final count.
    run_workers(event, ns, None, ctx).await?;
    if let WorkerRuntime::Kubernetes = &ctx.runtime {
        // Pods of deleted Deployments keep serving through their grace
        // period: count only once none is left.
        let pods: Api<k8s_openapi::api::core::v1::Pod> =
            Api::namespaced(ctx.base.client.clone(), ns);
        let selector = crate::labels::event_workers_selector(&event.name_any());
        let left = pods
            .list_metadata(&kube::api::ListParams::default().labels(&selector))
            .await?
            .items
            .len();
        if left > 0 {
            tracing::info!(pods = left, "waiting for the event's workers to stop");
            return Ok(Action::requeue(Duration::from_secs(5)));
        }
    }
    let counts = data.stored_counts(names).await?;
    let sold: i64 = counts.iter().map(|c| c.sold).sum();
    // Held tickets are checkouts in flight whose payment may still succeed:
    // their data is archived, never dropped (but they do not hold deletion,
    // since with the workers stopped nobody would release them).
    let held: i64 = counts.iter().map(|c| c.held).sum();
    if sold > 0 && event.spec.on_delete == DeletionPolicy::Retain {
        // Sold in the last moments before the workers stopped.
        return hold_deletion(event, ns, names, ctx, now, counts).await;
    }
    let archive = sold > 0 || held > 0;
    if archive {
        data.archive_hot(names).await?;
    } else {
        data.drop_hot(names).await?;
        data.delete_stream(names).await?;
    }
    let rest: Vec<String> = event
        .finalizers()
        .iter()
        .filter(|f| !FINALIZERS.contains(&f.as_str()))
        .cloned()
        .collect();
    set_finalizers(event, ns, rest, ctx).await?;
    tracing::info!(sold, held, archived = archive, "event data cleaned up");
    Ok(Action::await_change())
}

/// Makes the event's workers run as `plan` asks (none for `None`) on the
/// operator's runtime: Deployments and friends, or local processes.
async fn run_workers(
    event: &Event,
    ns: &str,
    plan: Option<schedule::WorkerPlan>,
    ctx: &EventContext,
) -> Result<()> {
    let uid = event
        .metadata
        .uid
        .as_deref()
        .ok_or(Error::MissingField("Event", "metadata.uid"))?;
    let names = data::Names::for_uid(uid);
    let user = format!("{ns}/{}", event.name_any());
    match &ctx.runtime {
        WorkerRuntime::Local(local) => {
            // Minted once per set start: a set already running keeps the
            // user it started with.
            let creds = || {
                ctx.worker_nats
                    .as_ref()
                    .map(|issuer| issuer.worker_creds(&names, &user))
            };
            local.ensure(ns, &event.name_any(), uid, plan, creds).await
        }
        WorkerRuntime::Kubernetes => {
            // Before the Deployments, whose pods read it; not for an
            // event without workers (being deleted, or not scheduled).
            if let (Some(issuer), Some(_)) = (&ctx.worker_nats, plan) {
                ensure_worker_credentials(event, ns, uid, &names, &user, issuer, ctx).await?;
            }
            let children = build::children(event, plan, &ctx.worker_template);
            apply_children(event, ns, &children, ctx).await?;
        }
    }
    Ok(())
}

/// Keeps the Secret holding the NATS user of `event`'s workers
/// ([`build::nats_secret_name`]), owned by the Event so it goes with it.
/// The user is minted when the Secret is missing or names another account
/// (the signing key moved); otherwise the Secret is left as it is, so
/// running pods keep a valid user.
async fn ensure_worker_credentials(
    event: &Event,
    ns: &str,
    uid: &str,
    names: &data::Names,
    user: &str,
    issuer: &sellout_common::nats_auth::WorkerIssuer,
    ctx: &EventContext,
) -> Result<()> {
    use k8s_openapi::api::core::v1::Secret;
    let name = build::nats_secret_name(event);
    let api: Api<Secret> = Api::namespaced(ctx.base.client.clone(), ns);
    let failed = |verb| {
        let name = name.clone();
        move |source| Error::Child {
            verb,
            kind: "Secret",
            name,
            source,
        }
    };
    if let Some(live) = api.get_opt(&name).await.map_err(failed("read"))? {
        if !crate::children::controlled_by(&live.metadata, uid) {
            return Err(Error::ForeignChild {
                kind: "Secret",
                name,
            });
        }
        let account = live
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(crate::labels::NATS_ACCOUNT));
        let has_creds = live
            .data
            .as_ref()
            .is_some_and(|d| d.contains_key(build::NATS_CREDS_KEY));
        if account.map(String::as_str) == Some(issuer.account()) && has_creds {
            return Ok(());
        }
    }
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(ns.to_owned()),
            labels: Some(crate::labels::worker_credentials(&event.name_any())),
            annotations: Some(
                [(
                    crate::labels::NATS_ACCOUNT.to_owned(),
                    issuer.account().to_owned(),
                )]
                .into(),
            ),
            owner_references: event.controller_owner_ref(&()).map(|o| vec![o]),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        string_data: Some(
            [(
                build::NATS_CREDS_KEY.to_owned(),
                issuer.worker_creds(names, user),
            )]
            .into(),
        ),
        ..Default::default()
    };
    api.patch(
        &name,
        &PatchParams::apply(FIELD_MANAGER_OPERATOR).force(),
        &Patch::Apply(&secret),
    )
    .await
    .map_err(failed("apply"))?;
    ctx.base.metrics.write(CONTROLLER, "Secret", "apply");
    Ok(())
}

/// Holds the deletion of an event with sold tickets: `Degraded` /
/// `DeletionHeld` says how to proceed, and its workers run as scheduled so
/// that it can be cancelled and refunded.
async fn hold_deletion(
    event: &Event,
    ns: &str,
    names: &data::Names,
    ctx: &EventContext,
    now: Timestamp,
    counts: Vec<data::TierCounts>,
) -> Result<Action> {
    let sold: i64 = counts.iter().map(|c| c.sold).sum();
    let phase = schedule::phase_at(&event.spec, now, false);
    let plan = schedule::worker_plan(&event.spec, phase.phase, now);
    run_workers(event, ns, plan, ctx).await?;
    let held = status::Observed {
        problems: vec![validate::Problem {
            reason: "DeletionHeld",
            message: format!(
                "{sold} tickets are sold: cancel the event (spec.state: Cancelled) and refund them, or set spec.onDelete: Archive to delete it anyway (orders, tickets and payments are always kept); its workers keep running so that refunds can be made"
            ),
        }],
        workers: event.status.as_ref().and_then(|s| s.workers.clone()),
        counts: Some(counts),
        names: Some(names.clone()),
        checked_in: None,
    };
    let mut st = status::event_status(event, &[], &phase, &held, now);
    // Capacity is not recomputed while deleting.
    st.capacity = event.status.as_ref().and_then(|s| s.capacity);
    write_event_status(event, ns, st, ctx).await?;
    Ok(Action::await_change())
}

async fn observe_workers(
    event: &Event,
    ns: &str,
    plan: schedule::WorkerPlan,
    ctx: &EventContext,
) -> Result<WorkersStatus> {
    let api: Api<Deployment> = Api::namespaced(ctx.base.client.clone(), ns);
    let set = |desired: i32, d: Option<Deployment>| WorkerSetStatus {
        desired,
        ready: d
            .and_then(|d| d.status)
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0),
    };
    let checkout = api
        .get_opt(&build::child_name(event, Component::Checkout))
        .await?;
    let scan = api
        .get_opt(&build::child_name(event, Component::Scan))
        .await?;
    Ok(WorkersStatus {
        checkout: set(plan.checkout.desired(), checkout),
        scan: set(plan.scan.desired(), scan),
    })
}

async fn apply_children(event: &Event, ns: &str, ch: &Children, ctx: &EventContext) -> Result<()> {
    let uid = event
        .metadata
        .uid
        .clone()
        .ok_or(Error::MissingField("Event", "metadata.uid"))?;
    let w = Writer {
        base: &ctx.base,
        applied: &ctx.applied,
        controller: CONTROLLER,
    };
    use crate::children::sync;
    for c in Component::ALL {
        let name = build::child_name(event, c);
        let named = |m: &ObjectMeta| m.name.as_deref() == Some(name.as_str());
        let deployment = ch.deployments.iter().find(|o| named(&o.metadata));
        sync(w, ns, &uid, &name, deployment, "Deployment").await?;
        let service = ch.services.iter().find(|o| named(&o.metadata));
        sync(w, ns, &uid, &name, service, "Service").await?;
        let hpa = ch.autoscalers.iter().find(|o| named(&o.metadata));
        sync(w, ns, &uid, &name, hpa, "HorizontalPodAutoscaler").await?;
        let pdb = ch.disruption_budgets.iter().find(|o| named(&o.metadata));
        sync(w, ns, &uid, &name, pdb, "PodDisruptionBudget").await?;
    }
    Ok(())
}
