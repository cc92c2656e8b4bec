//! The checkout role's view of its event in Kubernetes: the Event, its
//! TicketTiers, Venue and Organization, and the Stripe account id from the
//! organization's Secret, read through the API server (in-cluster config
//! or `KUBECONFIG`) and turned into a [`Catalog`] and the event as mail
//! shows it. The worker reads it again every few seconds; a tier's
//! quantity reaches the writer's book from here.

use sellout_crds::{Event, Organization, TicketTier, Venue};

use super::Catalog;
use crate::email::EventInfo;
use crate::email::messages::event_info;

/// Where the checkout role reads its event from.
pub struct CatalogSource {
    events: kube::Api<Event>,
    tiers: kube::Api<TicketTier>,
    orgs: kube::Api<Organization>,
    venues: kube::Api<Venue>,
    secrets: kube::Api<k8s_openapi::api::core::v1::Secret>,
    event: String,
    hold_ttl: Option<u32>,
}

/// What the worker reads of its event.
pub struct Loaded {
    /// Tiers, rules, prices, fees, the Stripe account.
    pub catalog: Catalog,
    /// For mail; `None` while the Venue is missing.
    pub event_info: Option<EventInfo>,
    /// The organization's display name.
    pub organization: Option<String>,
}

impl CatalogSource {
    /// Reads event `event` of `namespace` (its tiers, Venue and
    /// Organization, the Stripe account Secret) through `client`; holds
    /// last `hold_ttl` seconds when given (the catalog's default
    /// otherwise).
    pub fn new(client: kube::Client, namespace: &str, event: &str, hold_ttl: Option<u32>) -> Self {
        CatalogSource {
            events: kube::Api::namespaced(client.clone(), namespace),
            tiers: kube::Api::namespaced(client.clone(), namespace),
            orgs: kube::Api::namespaced(client.clone(), namespace),
            venues: kube::Api::namespaced(client.clone(), namespace),
            secrets: kube::Api::namespaced(client, namespace),
            event: event.to_owned(),
            hold_ttl,
        }
    }

    /// Reads the event and what it refers to, once.
    pub async fn load(&self) -> Result<Loaded, kube::Error> {
        let event = self.events.get(&self.event).await?;
        let venue = self.venues.get_opt(&event.spec.venue_ref.name).await?;
        let tiers = self.tiers.list(&Default::default()).await?;
        // The organization of this namespace (one per namespace).
        let orgs = self.orgs.list(&Default::default()).await?;
        let org = orgs.items.first();
        let mut catalog = Catalog::from_resources(&event, &tiers.items, org, venue.as_ref());
        if let Some(r) = &catalog.stripe_account {
            // A missing Secret is the operator's to report (Degraded on
            // the Organization); here it only means no paid orders.
            match self.secrets.get_opt(&r.name).await {
                Ok(Some(secret)) => {
                    catalog.stripe_account_id = secret
                        .data
                        .as_ref()
                        .and_then(|d| d.get(&r.key))
                        .and_then(|v| std::str::from_utf8(&v.0).ok())
                        .map(|v| v.trim().to_owned())
                        .filter(|v| v.starts_with("acct_"));
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(secret = %r.name, error = %e, "cannot read the Stripe account Secret")
                }
            }
        }
        if let Some(s) = self.hold_ttl {
            catalog.hold_ttl_ms = i64::from(s) * 1000;
        }
        Ok(Loaded {
            catalog,
            event_info: venue.map(|v| event_info(&event, &v)),
            organization: org.map(|o| o.spec.display_name.clone()),
        })
    }
}
