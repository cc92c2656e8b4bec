//! `Organization`: a promoter organization. Its namespace holds its venues,
//! events and tiers.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Fee, SecretKeyRef};

/// A promoter organization: who may act for it, how it is paid, which fees
/// it charges and which sites may embed its purchase portal. Create one per
/// namespace; its events, venues and tiers live in the same namespace.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "sellout.io",
    version = "v1alpha1",
    kind = "Organization",
    doc = "A promoter organization (one per namespace): its members and roles, Stripe account, fees and allowed embedding sites.",
    namespaced,
    status = "OrganizationStatus",
    shortname = "org",
    category = "sellout",
    printcolumn = r#"{"name":"Display name","type":"string","jsonPath":".spec.displayName"}"#,
    printcolumn = r#"{"name":"Members","type":"integer","jsonPath":".status.members"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationSpec {
    /// Name shown to buyers and in Backstage.
    #[schemars(length(min = 1, max = 120))]
    pub display_name: String,
    /// Secret key holding the organization's Stripe connected-account id
    /// (`acct_…`). Payments go to this account, with the platform's
    /// application fee. Omit until the organization has connected Stripe;
    /// only free events can sell until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_account: Option<SecretKeyRef>,
    /// Fees the organization adds to every event's prices (events may add
    /// their own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub fees: Vec<Fee>,
    /// People who may act for the organization, and their roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 500))]
    #[x_kube(merge_strategy = ListMerge::Map(vec!["email".into()]))]
    pub members: Vec<Member>,
    /// Origins (scheme://host[:port]) of sites allowed to embed the purchase
    /// portal in an iframe (Content-Security-Policy frame-ancestors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub embed_origins: Vec<Origin>,
    /// The promoter's own analytics on the purchase portal's pages. The
    /// portal loads these tags only after the buyer consents to
    /// analytics cookies; without consent nothing is loaded or sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,
    /// How far the organization's promoters may scale their events'
    /// workers from Backstage (the gateway). Set by platform staff; the
    /// gateway can never change it. kubectl and GitOps are not bound by
    /// it. Default: 10 replicas per worker set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_limits: Option<WorkerLimits>,
}

/// Bounds on the worker scaling promoters may set through the gateway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerLimits {
    /// Most replicas a promoter may give one worker set (checkout or
    /// scan) of an event, as minReplicas, maxReplicas or prewarmReplicas.
    #[schemars(range(min = 1, max = 1000))]
    pub max_replicas: i32,
}

impl WorkerLimits {
    /// The bound of an organization without `workerLimits`.
    pub const DEFAULT_MAX_REPLICAS: i32 = 10;
}

/// Analytics tags of an organization (public identifiers, not secrets:
/// every visitor's browser sees them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Analytics {
    /// A Google Analytics 4 measurement id (`G-XXXXXXXXXX`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^G-[A-Z0-9]{4,20}$"))]
    pub google_analytics_id: Option<String>,
    /// A Segment source's write key (Segment's analytics.js loads with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9]{10,64}$"))]
    pub segment_write_key: Option<String>,
}

/// A web origin: `https://host` or `http://host:port`, no path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("x-kubernetes-validations" = [{
    "rule": "self.matches('^https?://[a-zA-Z0-9.-]+(:[0-9]+)?$')",
    "message": "embedOrigins must be origins like https://example.com (scheme and host, optional port, no path)"
}]))]
pub struct Origin(#[schemars(length(min = 8, max = 253))] pub String);

/// A person's role in an organization, from most to least powerful.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Everything, across organizations (platform staff).
    SuperUser,
    /// Everything in the organization, including members and payouts.
    Owner,
    /// Events, venues, tiers, orders and refunds.
    Admin,
    /// Sells and comps tickets at the box office.
    BoxOffice,
    /// Scans tickets at the door.
    Scanner,
    /// Buys tickets like any buyer.
    User,
}

/// A member of an organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// The member's e-mail address; they log in with a code sent to it.
    #[schemars(length(min = 3, max = 254))]
    pub email: String,
    /// The member's role.
    pub role: Role,
}

/// What the operator observed of an Organization.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, KubeSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationStatus {
    /// The `metadata.generation` this status describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// `Ready`, `Progressing` and `Degraded`, one of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[x_kube(merge_strategy = ListMerge::Map(vec!["type".into()]))]
    pub conditions: Vec<Condition>,
    /// Number of members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<i64>,
}
