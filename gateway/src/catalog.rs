//! The catalog: Organizations, Events, TicketTiers and Venues of every
//! namespace, kept in memory by watches on the API server (kube-rs
//! reflectors), so the public pages and every role check read memory, not
//! the API server.
//!
//! A watch lags a write by milliseconds; a lookup of an event that is not
//! (yet) in memory asks the API server once, so an event created a moment
//! ago is found.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures::StreamExt;
use kube::Api;
use kube::runtime::reflector::{self, ObjectRef, Store};
use kube::runtime::{WatchStreamExt, watcher};
use sellout_crds::{Event, Organization, TicketTier, Venue};

/// In-memory copies of the custom resources; cheap to clone.
#[derive(Clone)]
pub struct Catalog {
    client: kube::Client,
    orgs: Store<Organization>,
    events: Store<Event>,
    tiers: Store<TicketTier>,
    venues: Store<Venue>,
    /// True once every store has listed; waited on through this channel
    /// because a reflector store's own `wait_until_ready` is awaited by
    /// one task here (a second waiter was seen to wake 30 s late).
    synced: Arc<tokio::sync::watch::Sender<bool>>,
    /// Bumped after every change any watch applied to memory.
    generation: Arc<AtomicU64>,
}

fn watch<K>(client: &kube::Client, generation: &Arc<AtomicU64>) -> Store<K>
where
    K: kube::Resource<DynamicType = ()>
        + Clone
        + std::fmt::Debug
        + serde::de::DeserializeOwned
        + Send
        + Sync
        + 'static,
{
    let (reader, writer) = reflector::store();
    let stream = reflector::reflector(
        writer,
        watcher(Api::<K>::all(client.clone()), watcher::Config::default()),
    )
    .default_backoff();
    let generation = generation.clone();
    tokio::spawn(async move {
        futures::pin_mut!(stream);
        while let Some(item) = stream.next().await {
            // Every event (a relist's end included, which drops objects
            // deleted meanwhile) is applied to the store before it is
            // yielded here.
            generation.fetch_add(1, Ordering::Release);
            if let Err(e) = item {
                tracing::warn!(kind = %K::kind(&()), error = %e, "catalog watch failed; retrying");
            }
        }
    });
    reader
}

impl Catalog {
    /// Starts the watches (they run until the process ends).
    pub fn start(client: kube::Client) -> Self {
        let generation = Arc::new(AtomicU64::new(0));
        let catalog = Self {
            orgs: watch(&client, &generation),
            events: watch(&client, &generation),
            tiers: watch(&client, &generation),
            venues: watch(&client, &generation),
            synced: Arc::new(tokio::sync::watch::Sender::new(false)),
            generation,
            client,
        };
        let (orgs, events, tiers, venues) = (
            catalog.orgs.clone(),
            catalog.events.clone(),
            catalog.tiers.clone(),
            catalog.venues.clone(),
        );
        let synced = catalog.synced.clone();
        tokio::spawn(async move {
            let all = async {
                orgs.wait_until_ready().await?;
                events.wait_until_ready().await?;
                tiers.wait_until_ready().await?;
                venues.wait_until_ready().await
            };
            if all.await.is_ok() {
                synced.send_replace(true);
            }
        });
        catalog
    }

    /// Waits until every watch has listed once.
    pub async fn ready(&self) {
        let mut synced = self.synced.subscribe();
        // Only errs when the sender is gone, which it never is while
        // `self` lives.
        let _ = synced.wait_for(|s| *s).await;
    }

    /// A number that changes after every change of what is in memory:
    /// two equal readings saw the same catalog (read it before reading
    /// the catalog).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether every watch has listed once.
    pub fn is_ready(&self) -> bool {
        *self.synced.borrow()
    }

    /// The event `name` in `namespace`; asks the API server when it is not
    /// in memory yet.
    pub async fn event(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<Arc<Event>>, kube::Error> {
        if let Some(e) = self.events.get(&ObjectRef::new(name).within(namespace)) {
            return Ok(Some(e));
        }
        Ok(Api::<Event>::namespaced(self.client.clone(), namespace)
            .get_opt(name)
            .await?
            .map(Arc::new))
    }

    /// Every event in memory (all namespaces).
    pub fn events(&self) -> Vec<Arc<Event>> {
        self.events.state()
    }

    /// The tiers of event `event` in `namespace`, by name.
    pub fn tiers_of(&self, namespace: &str, event: &str) -> Vec<Arc<TicketTier>> {
        let mut tiers: Vec<_> = self
            .tiers
            .state()
            .into_iter()
            .filter(|t| {
                t.metadata.namespace.as_deref() == Some(namespace) && t.spec.event_ref.name == event
            })
            .collect();
        tiers.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        tiers
    }

    /// The venue `name` in `namespace`.
    pub fn venue(&self, namespace: &str, name: &str) -> Option<Arc<Venue>> {
        self.venues.get(&ObjectRef::new(name).within(namespace))
    }

    /// Every venue in memory (all namespaces).
    pub fn venues(&self) -> Vec<Arc<Venue>> {
        self.venues.state()
    }

    /// The organizations of `namespace` (one is expected).
    pub fn organizations_in(&self, namespace: &str) -> Vec<Arc<Organization>> {
        self.orgs
            .state()
            .into_iter()
            .filter(|o| o.metadata.namespace.as_deref() == Some(namespace))
            .collect()
    }

    /// Every organization in memory.
    pub fn organizations(&self) -> Vec<Arc<Organization>> {
        self.orgs.state()
    }
}
