use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tokio::sync::OnceCell;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Out {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn run(mut cmd: Command, stdin: Option<&str>) -> Out {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run kubectl");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    Out {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The shared API server with Sellout's CRDs installed and established.
async fn api() -> &'static sellout_e2e::KubeApi {
    static READY: OnceCell<()> = OnceCell::const_new();
    let api = sellout_e2e::kube().await;
    READY
        .get_or_init(|| async {
            let mut cmd = api.kubectl().unwrap();
            cmd.args(["apply", "--server-side", "-f"])
                .arg(repo().join("charts/sellout/crds"));
            let out = run(cmd, None);
            assert!(out.ok, "installing the CRDs failed: {}", out.stderr);
            let mut cmd = api.kubectl().unwrap();
            cmd.args([
                "wait",
                "--for=condition=Established",
                "--timeout=60s",
                "crd/organizations.sellout.io",
                "crd/venues.sellout.io",
                "crd/events.sellout.io",
                "crd/tickettiers.sellout.io",
            ]);
            let out = run(cmd, None);
            assert!(out.ok, "CRDs not established: {}", out.stderr);
        })
        .await;
    api
}

fn kubectl(api: &sellout_e2e::KubeApi, args: &[&str], stdin: Option<&str>) -> Out {
    let mut cmd = api.kubectl().unwrap();
    cmd.args(args);
    run(cmd, stdin)
}

#[tokio::test]
async fn examples_apply_and_list_under_the_sellout_category() {
    let api = api().await;
    let out = kubectl(
        api,
        &["apply", "-f", repo().join("examples").to_str().unwrap()],
        None,
    );
    assert!(out.ok, "kubectl apply -f examples/ failed:\n{}", out.stderr);
    for obj in [
        "organization.sellout.io/riverside-presents",
        "venue.sellout.io/riverside-hall",
        "event.sellout.io/riverside-festival-2027",
        "tickettier.sellout.io/vip-table",
        "tickettier.sellout.io/parking",
    ] {
        assert!(out.stdout.contains(obj), "{obj} not in:\n{}", out.stdout);
    }

    let out = kubectl(api, &["get", "sellout", "-n", "riverside-presents"], None);
    assert!(out.ok, "{}", out.stderr);
    // Every kind shows up, with its printer columns.
    for needle in [
        "organization.sellout.io/riverside-presents",
        "venue.sellout.io/riverside-hall",
        "event.sellout.io/riverside-festival-2027",
        "tickettier.sellout.io/weekend-pass",
        "VENUE",
        "PHASE",
        "QUANTITY",
        "CITY",
    ] {
        assert!(
            out.stdout.contains(needle),
            "{needle} not in:\n{}",
            out.stdout
        );
    }

    // Short names work.
    let out = kubectl(
        api,
        &["get", "sev,tier", "-n", "riverside-presents", "-o", "name"],
        None,
    );
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1 + 7, "{}", out.stdout);
}

#[tokio::test]
async fn kubectl_explain_documents_the_fields() {
    let api = api().await;
    // Stock kubectl v1.36 reads `events.sellout.io.spec` as core/v1 Event
    // (whose plural ours shares) with a field path `sellout.io.spec`; the
    // kubectl that scripts/tools.sh builds carries
    // e2e/tools/kubectl-explain-full-name.patch, which makes the full name
    // work. The API version or the short name `sev` work with any kubectl.
    let explain = ["explain", "events.sellout.io.spec"];
    // The API server publishes a new CRD's OpenAPI schema a moment after
    // the CRD is established.
    let mut out = kubectl(api, &explain, None);
    for _ in 0..60 {
        if out.ok && out.stdout.contains("venueRef") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        out = kubectl(api, &explain, None);
    }
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout.contains("GROUP:      sellout.io") && out.stdout.contains("KIND:       Event"),
        "not our Event:\n{}",
        out.stdout
    );
    // Every field of the spec is listed with its description.
    let crd =
        serde_json::to_value(<sellout_crds::Event as kube::CustomResourceExt>::crd()).unwrap();
    let props = crd
        .pointer("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties")
        .and_then(|p| p.as_object())
        .expect("spec properties");
    assert!(props.len() >= 10, "{props:?}");
    for (field, schema) in props {
        assert!(
            out.stdout.contains(&format!("  {field}\t")),
            "{field} not in:\n{}",
            out.stdout
        );
        let doc = schema["description"].as_str().expect("documented field");
        let first_words: String = doc.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(
            out.stdout
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&first_words),
            "description of {field} ({first_words}) not in:\n{}",
            out.stdout
        );
    }
    for needle in ["How long a buyer's hold on tickets lasts", "Fixed"] {
        assert!(
            out.stdout.contains(needle),
            "{needle} not in:\n{}",
            out.stdout
        );
    }
    let alt = kubectl(
        api,
        &[
            "explain",
            "events.spec",
            "--api-version=sellout.io/v1alpha1",
        ],
        None,
    );
    assert!(alt.ok && alt.stdout.contains("venueRef"), "{}", alt.stderr);
    let out = kubectl(api, &["explain", "sev.spec.workers.checkout"], None);
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stdout.contains("prewarmReplicas"), "{}", out.stdout);
    let out = kubectl(api, &["explain", "tickettiers.sellout.io.spec.table"], None);
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout.contains("bought, scanned and refunded as one"),
        "{}",
        out.stdout
    );
}

const NS: &str = "crd-validation";
const NS_UPDATES: &str = "crd-updates";

fn event(name: &str, patch: &str) -> String {
    event_in(NS, name, patch)
}

fn event_in(ns: &str, name: &str, patch: &str) -> String {
    format!(
        r#"apiVersion: sellout.io/v1alpha1
kind: Event
metadata: {{name: {name}, namespace: {ns}}}
spec:
  title: Test
  venueRef: {{name: hall}}
  currency: USD
  days:
  - {{doorsAt: "2027-01-01T18:00:00Z", startsAt: "2027-01-01T19:00:00Z", endsAt: "2027-01-01T23:00:00Z"}}
  onSaleAt: "2026-12-01T10:00:00Z"
{patch}"#
    )
}

fn tier(name: &str, body: &str) -> String {
    tier_in(NS, name, body)
}

fn tier_in(ns: &str, name: &str, body: &str) -> String {
    format!(
        r#"apiVersion: sellout.io/v1alpha1
kind: TicketTier
metadata: {{name: {name}, namespace: {ns}}}
spec:
  eventRef: {{name: show}}
  displayName: Test tier
{body}"#
    )
}

/// (what, manifest, expected message).
fn invalid_manifests() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "off-sale before on-sale",
            event("bad-window", "  offSaleAt: \"2026-11-01T10:00:00Z\"\n"),
            "onSaleAt must be before offSaleAt",
        ),
        (
            "doors after start",
            event("bad-doors", "").replace(
                "doorsAt: \"2027-01-01T18:00:00Z\"",
                "doorsAt: \"2027-01-01T20:00:00Z\"",
            ),
            "doorsAt must not be after startsAt",
        ),
        (
            "start after end",
            event("bad-end", "").replace(
                "endsAt: \"2027-01-01T23:00:00Z\"",
                "endsAt: \"2027-01-01T18:30:00Z\"",
            ),
            "startsAt must be before endsAt",
        ),
        (
            "name too long for its workers' Services",
            event(&"x".repeat(55), ""),
            "an Event's name is at most 54 characters",
        ),
        (
            "lower-case currency",
            event("bad-currency", "").replace("currency: USD", "currency: usd"),
            "currency must be an ISO 4217 code",
        ),
        (
            "min replicas above max",
            event(
                "bad-replicas",
                "  workers:\n    checkout: {minReplicas: 5, maxReplicas: 2}\n",
            ),
            "minReplicas must not exceed maxReplicas",
        ),
        (
            "hold TTL too short",
            event("bad-ttl", "  holdTtlSeconds: 5\n"),
            "should be greater than or equal to 60",
        ),
        (
            "negative price",
            tier(
                "neg-price",
                "  price: {amountMinor: -100, currency: USD}\n  quantity: 10\n",
            ),
            "should be greater than or equal to 0",
        ),
        (
            "negative quantity",
            tier(
                "neg-qty",
                "  price: {amountMinor: 100, currency: USD}\n  quantity: -1\n",
            ),
            "should be greater than or equal to 0",
        ),
        (
            "per-order min above max",
            tier(
                "bad-per-order",
                "  price: {amountMinor: 100, currency: USD}\n  quantity: 10\n  perOrder: {min: 5, max: 2}\n",
            ),
            "perOrder.min must not exceed perOrder.max",
        ),
        (
            "promo-code tier without codes",
            tier(
                "bad-promo",
                "  price: {amountMinor: 100, currency: USD}\n  quantity: 10\n  visibility: PromoCode\n",
            ),
            "visibility PromoCode needs at least one entry in promoCodes",
        ),
        (
            "table on an add-on",
            tier(
                "bad-table",
                "  kind: AddOn\n  price: {amountMinor: 100, currency: USD}\n  quantity: 10\n  table: {seats: 8}\n",
            ),
            "only Admission tiers can sell tables",
        ),
        (
            "section that is GA and tables at once",
            format!(
                r#"apiVersion: sellout.io/v1alpha1
kind: Venue
metadata: {{name: bad-venue, namespace: {NS}}}
spec:
  displayName: Hall
  address: {{line1: 1 Road, city: Town, country: GB}}
  timezone: Europe/London
  capacity: 100
  sections:
  - name: floor
    generalAdmission: {{capacity: 100}}
    tables: {{count: 2, seatsPerTable: 8}}
"#
            ),
            "a section is exactly one of generalAdmission, seated or tables",
        ),
        (
            "fee both flat and percent",
            format!(
                r#"apiVersion: sellout.io/v1alpha1
kind: Organization
metadata: {{name: bad-fee, namespace: {NS}}}
spec:
  displayName: Org
  fees:
  - {{name: Fee, flatMinor: 100, percentBps: 200}}
"#
            ),
            "a fee needs exactly one of flatMinor or percentBps",
        ),
        (
            "embed origin with a path",
            format!(
                r#"apiVersion: sellout.io/v1alpha1
kind: Organization
metadata: {{name: bad-origin, namespace: {NS}}}
spec:
  displayName: Org
  embedOrigins: ["https://example.com/shop"]
"#
            ),
            "embedOrigins must be origins like https://example.com",
        ),
    ]
}

async fn ensure_namespace(api: &sellout_e2e::KubeApi, ns: &str) {
    let out = kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}}}\n"
        )),
    );
    assert!(out.ok, "{}", out.stderr);
}

#[tokio::test]
async fn invalid_manifests_are_rejected_with_clear_messages() {
    let api = api().await;
    ensure_namespace(api, NS).await;
    let cases = invalid_manifests();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for (what, manifest, want) in &cases {
        let out = kubectl(api, &["apply", "-f", "-"], Some(manifest));
        if out.ok {
            failures.push(format!("{what}: accepted, expected {want:?}"));
        } else if !out.stderr.contains(want) {
            failures.push(format!(
                "{what}: expected {want:?}, got: {}",
                out.stderr.trim()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing was stored.
    let out = kubectl(api, &["get", "sellout", "-n", NS, "-o", "name"], None);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "", "rejected objects were stored");
}

/// Updates that break a transition rule are refused and leave the stored
/// object as it was.
#[tokio::test]
async fn transition_rules_protect_published_events_and_tables() {
    let api = api().await;
    ensure_namespace(api, NS_UPDATES).await;

    let published = event_in(NS_UPDATES, "published", "  state: Published\n");
    let out = kubectl(api, &["apply", "-f", "-"], Some(&published));
    assert!(out.ok, "{}", out.stderr);
    let out = kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&published.replace("currency: USD", "currency: EUR")),
    );
    assert!(
        !out.ok
            && out
                .stderr
                .contains("currency cannot change once the event is published"),
        "{}",
        out.stderr
    );
    let cur = kubectl(
        api,
        &[
            "get",
            "sev",
            "published",
            "-n",
            NS_UPDATES,
            "-o",
            "jsonpath={.spec.currency}",
        ],
        None,
    );
    assert_eq!(cur.stdout, "USD");

    // A draft may still change currency.
    let draft = event_in(NS_UPDATES, "draft", "");
    assert!(kubectl(api, &["apply", "-f", "-"], Some(&draft)).ok);
    let out = kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&draft.replace("currency: USD", "currency: EUR")),
    );
    assert!(out.ok, "{}", out.stderr);

    // A cancelled event stays cancelled.
    let cancelled = event_in(NS_UPDATES, "cancelled", "  state: Cancelled\n");
    assert!(kubectl(api, &["apply", "-f", "-"], Some(&cancelled)).ok);
    let out = kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&cancelled.replace("state: Cancelled", "state: Published")),
    );
    assert!(
        !out.ok && out.stderr.contains("a cancelled event cannot be reopened"),
        "{}",
        out.stderr
    );

    // A table tier's size is fixed, and a tier cannot move to another event.
    let table = tier_in(
        NS_UPDATES,
        "tables",
        "  price: {amountMinor: 100000, currency: USD}\n  quantity: 10\n  table: {seats: 8}\n",
    );
    assert!(kubectl(api, &["apply", "-f", "-"], Some(&table)).ok);
    let out = kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&table.replace("seats: 8", "seats: 6")),
    );
    assert!(
        !out.ok && out.stderr.contains("seats per table are fixed"),
        "{}",
        out.stderr
    );
    let out = kubectl(
        api,
        &["apply", "-f", "-"],
        Some(&table.replace("{name: show}", "{name: other}")),
    );
    assert!(
        !out.ok && out.stderr.contains("eventRef cannot change"),
        "{}",
        out.stderr
    );
    let seats = kubectl(
        api,
        &[
            "get",
            "tier",
            "tables",
            "-n",
            NS_UPDATES,
            "-o",
            "jsonpath={.spec.table.seats}",
        ],
        None,
    );
    assert_eq!(seats.stdout, "8");
}
