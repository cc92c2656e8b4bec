//! The live availability cache: what is left of each tier of the events
//! people are looking at, kept in memory and fed by the checkout writers
//! over NATS, so the event page reads memory instead of asking the
//! workers on every request.
//!
//! - On first interest in an event the cache subscribes to the event's
//!   live availability subject ([`Names::live_availability`], core NATS,
//!   published by the checkout writer after commits, at most every
//!   100 ms, and every 2 s regardless) and asks the workers once
//!   (`rpc.availability`) to start with.
//! - Reads are from memory. The first read of an event waits for that
//!   first answer, at most the seed timeout; later reads never wait.
//! - Figures not refreshed for [`LiveConfig::stale_after`] (the writer
//!   publishes every 2 s) are unknown: read as `None` (null in GraphQL)
//!   rather than shown stale. While an event's figures are unknown and it
//!   is being read, the workers are asked again at most every
//!   [`LiveConfig::reseed_every`].
//! - Events nobody read for [`LiveConfig::idle_after`] and with no live
//!   subscription are dropped, with their NATS subscription.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use futures::StreamExt;
use prometheus_client::metrics::counter::Counter;
use prost::Message;
use sellout_client::CheckoutClient;
use sellout_common::names::Names;
use sellout_common::proto::v1::{Availability, TierStock};
use sellout_common::trace;
use tokio::sync::watch;

/// Timings of the cache.
#[derive(Clone, Debug)]
pub struct LiveConfig {
    /// How long the first read of an event waits for the workers' answer.
    pub seed_timeout: Duration,
    /// Figures older than this are unknown.
    pub stale_after: Duration,
    /// An event nobody read (and nobody subscribed to) for this long is
    /// dropped.
    pub idle_after: Duration,
    /// Least time between two requests to the workers for an event whose
    /// figures are unknown.
    pub reseed_every: Duration,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig {
            seed_timeout: Duration::from_millis(500),
            // Three missed 2 s heartbeats of the writer.
            stale_after: Duration::from_secs(7),
            idle_after: Duration::from_secs(120),
            reseed_every: Duration::from_secs(2),
        }
    }
}

/// Which figures a read saw: equal versions read the same figures (or
/// the same absence of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    /// [`Snapshot::version`].
    pub version: u64,
    /// Whether the figures were fresh (known), so shown.
    pub fresh: bool,
}

/// What the cache knows of one event.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Every tier's counts; `None` when unknown (no answer yet, or
    /// stale).
    pub tiers: Option<Arc<Vec<TierStock>>>,
    /// When they were last confirmed by the workers.
    pub at: Option<Instant>,
    /// True until the first answer came or the first request gave up.
    pub pending: bool,
    /// Bumped on every change of `tiers` or `pending` (not when figures
    /// are only confirmed unchanged): what the page cache compares.
    pub version: u64,
}

impl Snapshot {
    /// The counts, if known and not older than `stale_after`.
    pub fn fresh(&self, stale_after: Duration) -> Option<Arc<Vec<TierStock>>> {
        match (&self.tiers, self.at) {
            (Some(t), Some(at)) if at.elapsed() <= stale_after => Some(t.clone()),
            _ => None,
        }
    }
}

struct Entry {
    names: Names,
    snapshot: watch::Sender<Snapshot>,
    last_read: Mutex<Instant>,
    subscribers: AtomicUsize,
}

impl Entry {
    fn touch(&self) {
        *self.last_read.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
    }

    fn last_read(&self) -> Instant {
        *self.last_read.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Inner {
    nats: async_nats::Client,
    config: LiveConfig,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
    subscribers: AtomicUsize,
    seed_requests: Counter,
    feed_updates: Counter,
}

/// The cache; cheap to clone.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

/// A subscription's view of one event: changes arrive on `rx`; the event
/// stays cached while this lives.
pub struct Watch {
    /// The event's snapshot (see [`watch::Receiver::changed`]).
    pub rx: watch::Receiver<Snapshot>,
    /// After this long without an update, figures are unknown.
    pub stale_after: Duration,
    entry: Arc<Entry>,
    inner: Arc<Inner>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.entry.touch();
        self.entry.subscribers.fetch_sub(1, Ordering::Relaxed);
        self.inner.subscribers.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Live {
    /// A cache using `nats`.
    pub fn new(nats: async_nats::Client, config: LiveConfig) -> Self {
        Live {
            inner: Arc::new(Inner {
                nats,
                config,
                entries: Mutex::new(HashMap::new()),
                subscribers: AtomicUsize::new(0),
                seed_requests: Counter::default(),
                feed_updates: Counter::default(),
            }),
        }
    }

    /// The timings.
    pub fn config(&self) -> &LiveConfig {
        &self.inner.config
    }

    /// The event's entry (made, with its feed task, on first interest);
    /// `true` when made now.
    fn entry(&self, uid: &str) -> (Arc<Entry>, bool) {
        let mut entries = self.inner.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = entries.get(uid) {
            e.touch();
            return (e.clone(), false);
        }
        let entry = Arc::new(Entry {
            names: Names::for_uid(uid),
            snapshot: watch::Sender::new(Snapshot {
                pending: true,
                ..Default::default()
            }),
            last_read: Mutex::new(Instant::now()),
            subscribers: AtomicUsize::new(0),
        });
        entries.insert(uid.to_owned(), entry.clone());
        tokio::spawn(feed(
            Arc::downgrade(&self.inner),
            self.inner.nats.clone(),
            uid.to_owned(),
            entry.clone(),
            trace::current(),
        ));
        (entry, true)
    }

    /// Every tier's counts of event `uid`, from memory; `None` when the
    /// workers have not told (or not recently). The first read of an
    /// event waits for the workers' first answer (at most the seed
    /// timeout).
    pub async fn availability(&self, uid: &str) -> Option<Arc<Vec<TierStock>>> {
        self.availability_versioned(uid).await.0
    }

    /// [`Live::availability`] with the [`Version`] it was read at.
    pub async fn availability_versioned(
        &self,
        uid: &str,
    ) -> (Option<Arc<Vec<TierStock>>>, Version) {
        let (entry, _) = self.entry(uid);
        let mut rx = entry.snapshot.subscribe();
        if rx.borrow().pending {
            let _ =
                tokio::time::timeout(self.inner.config.seed_timeout, rx.wait_for(|s| !s.pending))
                    .await;
        }
        let s = rx.borrow();
        let tiers = s.fresh(self.inner.config.stale_after);
        let version = Version {
            version: s.version,
            fresh: tiers.is_some(),
        };
        (tiers, version)
    }

    /// What [`Live::availability_versioned`] would read for `uid` now,
    /// without waiting and without starting to follow it: `None` when the
    /// event is not followed. Counts as a read (keeps the event cached).
    pub fn version(&self, uid: &str) -> Option<Version> {
        let entry = self
            .inner
            .entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(uid)
            .cloned()?;
        entry.touch();
        let s = entry.snapshot.borrow();
        Some(Version {
            version: s.version,
            fresh: s.fresh(self.inner.config.stale_after).is_some(),
        })
    }

    /// Follows event `uid`'s counts (keeps it cached while the watch
    /// lives).
    pub fn watch(&self, uid: &str) -> Watch {
        let (entry, _) = self.entry(uid);
        entry.subscribers.fetch_add(1, Ordering::Relaxed);
        self.inner.subscribers.fetch_add(1, Ordering::Relaxed);
        Watch {
            rx: entry.snapshot.subscribe(),
            stale_after: self.inner.config.stale_after,
            entry,
            inner: self.inner.clone(),
        }
    }

    /// Events cached now (each with one NATS subscription).
    pub fn events(&self) -> usize {
        self.inner
            .entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    /// Live GraphQL subscriptions following events now.
    pub fn subscribers(&self) -> usize {
        self.inner.subscribers.load(Ordering::Relaxed)
    }

    /// Requests sent to the workers to (re)start an event's figures.
    pub fn seed_requests(&self) -> &Counter {
        &self.inner.seed_requests
    }

    /// Figures received on the feed.
    pub fn feed_updates(&self) -> &Counter {
        &self.inner.feed_updates
    }
}

/// Asks the event's workers for every tier's counts.
async fn seed(
    nats: &async_nats::Client,
    names: &Names,
    timeout: Duration,
    ctx: Option<trace::Context>,
) -> Option<Vec<TierStock>> {
    let mut client = CheckoutClient::new(nats.clone(), names.clone());
    client.deadline = timeout;
    trace::within(ctx, client.availability()).await.ok()
}

/// Sets `tiers` as confirmed now; subscribers are woken only when they
/// differ from what was known.
fn confirm(entry: &Entry, tiers: Vec<TierStock>) {
    modify(entry, |s| {
        let changed = s.tiers.as_deref() != Some(&tiers) || s.pending;
        s.at = Some(Instant::now());
        s.pending = false;
        if changed {
            s.tiers = Some(Arc::new(tiers));
        }
        changed
    });
}

/// Applies `f` to the snapshot; when it reports a change, the version is
/// bumped and subscribers are woken.
fn modify(entry: &Entry, f: impl FnOnce(&mut Snapshot) -> bool) {
    entry.snapshot.send_if_modified(|s| {
        let changed = f(s);
        if changed {
            s.version += 1;
        }
        changed
    });
}

/// One event's feed: subscribes to its live subject, asks the workers
/// once, then applies every message; marks stale figures unknown, asks
/// again while unknown and read, and drops the event when idle.
async fn feed(
    inner: Weak<Inner>,
    nats: async_nats::Client,
    uid: String,
    entry: Arc<Entry>,
    ctx: Option<trace::Context>,
) {
    let Some(config) = inner.upgrade().map(|i| i.config.clone()) else {
        return;
    };
    let mut sub = match nats.subscribe(entry.names.live_availability()).await {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::warn!(event = %uid, error = %e, "cannot follow live availability");
            None
        }
    };
    if let Some(i) = inner.upgrade() {
        i.seed_requests.inc();
    }
    let mut last_seed = Instant::now();
    match seed(&nats, &entry.names, config.seed_timeout, ctx).await {
        // A feed message that came meanwhile is at least as new.
        Some(tiers) if entry.snapshot.borrow().at.is_none() => confirm(&entry, tiers),
        _ => {
            modify(&entry, |s| std::mem::replace(&mut s.pending, false));
        }
    }
    let tick_every = (config.stale_after / 4)
        .min(config.idle_after / 4)
        .clamp(Duration::from_millis(50), Duration::from_secs(1));
    let mut tick = tokio::time::interval(tick_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let next = async {
            match sub.as_mut() {
                Some(s) => s.next().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            m = next => match m {
                Some(m) => match Availability::decode(m.payload.as_ref()) {
                    Ok(a) => {
                        confirm(&entry, a.tiers);
                        if let Some(i) = inner.upgrade() {
                            i.feed_updates.inc();
                        }
                    }
                    Err(e) => tracing::warn!(event = %uid, error = %e, "undecodable live availability"),
                },
                // The connection is gone for good: figures go stale and
                // reads fall back to asking the workers.
                None => sub = None,
            },
            _ = tick.tick() => {
                let Some(inner) = inner.upgrade() else { return };
                if entry.subscribers.load(Ordering::Relaxed) == 0
                    && entry.last_read().elapsed() >= config.idle_after
                {
                    let mut entries = inner.entries.lock().unwrap_or_else(|p| p.into_inner());
                    // Checked again under the lock readers take.
                    if entry.subscribers.load(Ordering::Relaxed) == 0
                        && entry.last_read().elapsed() >= config.idle_after
                    {
                        entries.remove(&uid);
                        tracing::debug!(event = %uid, "live availability dropped: nobody asked");
                        return;
                    }
                }
                let stale = entry.snapshot.borrow().fresh(config.stale_after).is_none();
                if stale {
                    modify(&entry, |s| s.tiers.take().is_some());
                    let read_since = entry.last_read() > last_seed
                        || entry.subscribers.load(Ordering::Relaxed) > 0;
                    if read_since && last_seed.elapsed() >= config.reseed_every {
                        last_seed = Instant::now();
                        inner.seed_requests.inc();
                        drop(inner);
                        if let Some(tiers) = seed(&nats, &entry.names, config.seed_timeout, None).await
                            && entry.snapshot.borrow().fresh(config.stale_after).is_none()
                        {
                            confirm(&entry, tiers);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_figures_are_unknown() {
        let tiers = Arc::new(vec![TierStock {
            tier: "ga".into(),
            available: 3,
            ..Default::default()
        }]);
        let s = Snapshot {
            tiers: Some(tiers.clone()),
            at: Some(Instant::now()),
            pending: false,
            version: 0,
        };
        assert_eq!(s.fresh(Duration::from_secs(5)), Some(tiers.clone()));
        let old = Snapshot {
            at: Instant::now().checked_sub(Duration::from_secs(10)),
            ..s
        };
        assert_eq!(old.fresh(Duration::from_secs(5)), None);
        assert_eq!(Snapshot::default().fresh(Duration::from_secs(5)), None);
    }
}
