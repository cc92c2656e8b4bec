//! Door scanning through GraphQL against a real checkout worker (which
//! sold and mailed the tickets) and a real scan worker, NATS, FerretDB,
//! the API server and the mail sink; then the scanner app (`mobile/`) in
//! Debian's Chromium, driven by its Playwright runner.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use super::live::Ws;
use super::orders::{Shop, box_office_order, gql, ok};
use super::token;

const SCAN: &str = "mutation($e: String!, $c: String!, $g: String!, $d: String!, $id: ID!) {
  scan(event: $e, code: $c, gate: $g, device: $d, scanId: $id) {
    outcome message ticketId tier holderName day admissions retry validDays
    standing { at gate device staff offline } } }";

const SYNC: &str = "mutation($e: String!, $d: String!, $s: [OfflineScanInput!]!) {
  syncScans(event: $e, device: $d, scans: $s) { scanId outcome answer { outcome message ticketId } } }";

const CONFLICTS: &str = "query($e: String!, $d: String) {
  scanConflicts(event: $e, device: $d) { scanId ticketId device outcome standing { device } } }";

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn code(v: &Value) -> &str {
    v["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

/// A shop whose event's day is on now, with a scan worker beside its
/// checkout worker and `n` complimentary tickets bought by "Ada Door";
/// the tickets (id, QR text) and the worker (stopped when dropped).
async fn door(ns: &str, n: i64) -> (Shop, Vec<(String, String)>, sellout_e2e::process::Process) {
    let shop = Shop::with_tiers(ns, &[]).await;
    let client = super::kube().await.client().await.unwrap();
    sellout_e2e::kube_api::doors_open_now(client, ns, "show")
        .await
        .unwrap();
    let dir = sellout_e2e::run_dir().join("gateway-workers").join(ns);
    let scan =
        sellout_e2e::worker::start_scan(&dir, ns, "show", &format!("{ns}-scan-1"), "sellout")
            .await
            .unwrap();
    let h = shop.hold("ga", n).await;
    let order = ok(
        &shop.base,
        Some(&token(&shop.member("BOX_OFFICE"))),
        &box_office_order(),
        json!({"e": shop.slug(), "h": [h], "p": "COMP",
               "b": {"name": "Ada Door", "email": format!("ada-{ns}@example.com")}}),
    )
    .await["createBoxOfficeOrder"]
        .clone();
    let tickets = order["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_owned(),
                t["qrPayload"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The scan worker answers once it has read the event's stream.
    let scanner = token(&shop.member("SCANNER"));
    let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let v = gql(
            &shop.base,
            Some(&scanner),
            "query($e: String!) { scannerKit(event: $e) { eventUid } }",
            json!({"e": shop.slug()}),
        )
        .await;
        if v["errors"].is_null() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "the scan worker does not answer within 60 s: {v}\n{}",
            scan.tail(40)
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    (shop, tickets, scan)
}

/// Scans, retries, a second gate, roles, undo, the offline kit, offline
/// sync with a conflict seen by both devices, and the live counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn door_staff_scan_undo_and_sync_through_graphql() {
    let (shop, tickets, _scan) = door("gw-door", 3).await;
    let (base, slug) = (&shop.base, shop.slug());
    let scanner = token(&shop.member("SCANNER"));
    let desk = token(&shop.member("BOX_OFFICE"));
    let scan = |code: &str, device: &str, id: &str| json!({"e": slug, "c": code, "g": "main", "d": device, "id": id});

    // Live counts: zero now, then each admission.
    let mut ws = Ws::connect(
        base,
        "/graphql/ws",
        json!({"Authorization": format!("Bearer {scanner}")}),
    )
    .await;
    ws.subscribe(
        "c",
        &format!(
            "subscription {{ checkInCounts(event: \"{slug}\") {{ days {{ day checkedIn byGate {{ name checkedIn }} }} }} }}"
        ),
    )
    .await;
    let first = ws.next_data(Duration::from_secs(10)).await;
    assert_eq!(first["checkInCounts"]["days"], json!([]), "{first}");

    // Admitted once, with the holder's name; the same scan again is a
    // retry; another device is told where and when it was admitted.
    let id = uuid();
    let a = ok(base, Some(&scanner), SCAN, scan(&tickets[0].1, "d1", &id)).await["scan"].clone();
    assert_eq!(a["outcome"], "ADMITTED", "{a}");
    assert_eq!(a["holderName"], "Ada Door");
    assert_eq!(
        (a["day"].clone(), a["retry"].clone()),
        (json!(1), json!(false))
    );
    assert_eq!(a["standing"]["device"], "d1");
    assert_eq!(a["standing"]["staff"], shop.member("SCANNER"));
    let again =
        ok(base, Some(&scanner), SCAN, scan(&tickets[0].1, "d1", &id)).await["scan"].clone();
    assert_eq!(
        (again["outcome"].clone(), again["retry"].clone()),
        (json!("ADMITTED"), json!(true))
    );
    let other = ok(
        base,
        Some(&scanner),
        SCAN,
        scan(&tickets[0].1, "d2", &uuid()),
    )
    .await["scan"]
        .clone();
    assert_eq!(other["outcome"], "ALREADY_ADMITTED", "{other}");
    assert_eq!(other["standing"]["device"], "d1");
    assert_eq!(other["standing"]["gate"], "main");
    // The same scan id from another device is another scan.
    let stolen =
        ok(base, Some(&scanner), SCAN, scan(&tickets[0].1, "d2", &id)).await["scan"].clone();
    assert_eq!(stolen["outcome"], "ALREADY_ADMITTED", "{stolen}");

    let counted = ws.next_data(Duration::from_secs(10)).await;
    assert_eq!(
        counted["checkInCounts"]["days"],
        json!([{"day": 1, "checkedIn": 1, "byGate": [{"name": "main", "checkedIn": 1}]}]),
        "{counted}"
    );

    // Garbage is INVALID; a bad scan id, no login, no role: refused.
    let g = ok(
        base,
        Some(&scanner),
        SCAN,
        scan("HELLO WORLD", "d1", &uuid()),
    )
    .await["scan"]
        .clone();
    assert_eq!(g["outcome"], "INVALID");
    assert!(g["ticketId"].is_null());
    let v = gql(base, Some(&scanner), SCAN, scan(&tickets[1].1, "d1", "abc")).await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    let v = gql(base, None, SCAN, scan(&tickets[1].1, "d1", &uuid())).await;
    assert_eq!(code(&v), "UNAUTHENTICATED", "{v}");
    let v = gql(
        base,
        Some(&token("stranger@example.com")),
        SCAN,
        scan(&tickets[1].1, "d1", &uuid()),
    )
    .await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");

    // Undo: BOX_OFFICE and above, audited with their login; then the
    // ticket admits again.
    let undo = "mutation($e: String!, $t: ID!, $id: ID!, $r: String!) {
      undoScan(event: $e, ticketId: $t, day: 1, gate: \"main\", device: \"desk\", reason: $r, scanId: $id) { staff undone reason } }";
    let vars = json!({"e": slug, "t": tickets[0].0, "id": uuid(), "r": "left to fetch a coat"});
    let v = gql(base, Some(&scanner), undo, vars.clone()).await;
    assert_eq!(code(&v), "FORBIDDEN", "{v}");
    let u = ok(base, Some(&desk), undo, vars).await["undoScan"].clone();
    assert_eq!(
        u,
        json!({"staff": shop.member("BOX_OFFICE"), "undone": true, "reason": "left to fetch a coat"})
    );
    let back = ok(
        base,
        Some(&scanner),
        SCAN,
        scan(&tickets[0].1, "d2", &uuid()),
    )
    .await["scan"]
        .clone();
    assert_eq!(back["outcome"], "ADMITTED", "{back}");
    // The first scan replayed after the undo admits nobody more.
    let replay =
        ok(base, Some(&scanner), SCAN, scan(&tickets[0].1, "d1", &id)).await["scan"].clone();
    assert_eq!(replay["outcome"], "ALREADY_ADMITTED", "{replay}");

    // The offline kit: the signing key, the tier hashes, the day.
    let kit = ok(
        base,
        Some(&scanner),
        "query($e: String!) { scannerKit(event: $e) { eventUid keys { keyId publicKey } tiers { name hash addOn } days { day scanFrom scanUntil } revoked } }",
        json!({"e": slug}),
    )
    .await["scannerKit"]
        .clone();
    assert_eq!(kit["eventUid"], shop.uid.as_str());
    assert_eq!(
        kit["keys"][0]["publicKey"].as_str().unwrap().len(),
        64,
        "{kit}"
    );
    let ga = kit["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "ga")
        .unwrap()
        .clone();
    assert_eq!(ga["hash"], hex::encode(&sha256(b"ga")[..4]));
    assert_eq!(kit["days"].as_array().unwrap().len(), 1);

    // Ticket 1 let in offline by two devices: the first recorded, the
    // second a conflict both devices see; a replayed batch changes
    // nothing.
    let ago = |s: i64| {
        jiff::Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_secs(s))
            .unwrap()
            .to_string()
    };
    let batch = |at: String| json!([{"scanId": uuid(), "code": tickets[1].1, "gate": "main", "day": 1, "scannedAt": at}]);
    let d3 = batch(ago(20));
    let r = ok(
        base,
        Some(&scanner),
        SYNC,
        json!({"e": slug, "d": "d3", "s": d3}),
    )
    .await;
    assert_eq!(r["syncScans"][0]["outcome"], "RECORDED", "{r}");
    let r = ok(
        base,
        Some(&scanner),
        SYNC,
        json!({"e": slug, "d": "d4", "s": batch(ago(10))}),
    )
    .await;
    assert_eq!(r["syncScans"][0]["outcome"], "CONFLICT", "{r}");
    assert_eq!(r["syncScans"][0]["answer"]["outcome"], "ALREADY_ADMITTED");
    let r = ok(
        base,
        Some(&scanner),
        SYNC,
        json!({"e": slug, "d": "d3", "s": d3}),
    )
    .await;
    assert_eq!(r["syncScans"][0]["outcome"], "DUPLICATE", "{r}");
    // A scan claiming to come from the future is a conflict, not an admit.
    let future = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    let r = ok(
        base,
        Some(&scanner),
        SYNC,
        json!({"e": slug, "d": "d5", "s": [{"scanId": uuid(), "code": tickets[2].1, "gate": "main", "day": 1, "scannedAt": future}]}),
    )
    .await;
    assert_eq!(r["syncScans"][0]["outcome"], "CONFLICT", "{r}");
    for device in ["d3", "d4"] {
        let c = ok(
            base,
            Some(&scanner),
            CONFLICTS,
            json!({"e": slug, "d": device}),
        )
        .await;
        let c = c["scanConflicts"].as_array().unwrap().clone();
        assert_eq!(c.len(), 1, "{device}: {c:?}");
        assert_eq!(c[0]["ticketId"], tickets[1].0.as_str());
        assert_eq!(
            (c[0]["device"].clone(), c[0]["standing"]["device"].clone()),
            (json!("d4"), json!("d3"))
        );
    }
    let c = ok(
        base,
        Some(&scanner),
        CONFLICTS,
        json!({"e": slug, "d": "d9"}),
    )
    .await;
    assert_eq!(c["scanConflicts"], json!([]));
    let v = gql(base, Some(&scanner), SYNC, json!({"e": slug, "d": "d3", "s": [{"scanId": uuid(), "code": "x", "gate": "main", "scannedAt": "yesterday"}]})).await;
    assert_eq!(code(&v), "BAD_REQUEST", "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("scans[0].scannedAt"),
        "{v}"
    );
}

fn sha256(b: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(b).into()
}

/// The scanner app's build, which `make test` makes (`npm run build`).
fn scanner_app() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mobile/dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no build: run `npm ci && npm run build` at the repository root (make test does)",
        dist.display()
    );
    dist.canonicalize().unwrap()
}

/// The scanner app in Chromium (`mobile/tests/browser.mjs`): sign in with
/// a mailed code, scan the ticket QR codes the checkout mailed (a fake
/// camera playing them), offline admits and sync, a conflict seen on two
/// devices, accessibility of the result screens. Its runner's summary
/// (`N passed, M failed`) is printed and must show no failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scanner_app_in_chromium() {
    let app = scanner_app();
    let (shop, tickets, _scan) = door("gw-scanner-app", 4).await;
    let run = sellout_e2e::run_dir().join("scanner-app");
    std::fs::create_dir_all(&run).unwrap();

    // The QR codes as the buyer got them: the mail's inline images,
    // decoded to find which ticket each one is.
    let buyer = format!("ada-{}@example.com", shop.ns);
    let mail = sellout_e2e::mail().await;
    let sent = mail
        .wait_for(&buyer, 1, Duration::from_secs(30))
        .await
        .unwrap();
    let mut pngs = Vec::new();
    for part in &sent[0].inline {
        let png = mail.part(&sent[0].id, &part.part_id).await.unwrap();
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let mut grid = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            img[(x as u32, y as u32)].0[0]
        });
        let text = grid.detect_grids()[0].decode().unwrap().1;
        let i = tickets
            .iter()
            .position(|(_, code)| code.trim() == text.trim())
            .expect("every mailed QR code is one of the order's tickets");
        let path = run.join(format!("ticket-{i}.png"));
        std::fs::write(&path, &png).unwrap();
        pngs.push((i, path));
    }
    pngs.sort();
    assert_eq!(pngs.len(), tickets.len());

    // A gateway that takes logins and serves the app.
    let deps = super::auth::deps_with_logins(|_, _| {}).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let opts = sellout_gateway::http::HttpOptions {
        scanner_app: Some(app),
        ..Default::default()
    };
    tokio::spawn(async move {
        axum::serve(
            listener,
            sellout_gateway::http::router_with(deps, None, opts)
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let base = format!("http://{addr}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots/scanner");
    std::fs::create_dir_all(&shots).unwrap();
    let fixture = json!({
        "appUrl": format!("{base}/scanner/"),
        "graphqlUrl": format!("{base}/graphql"),
        "mailpitUrl": mail.http_url(),
        "scannerEmail": shop.member("SCANNER"),
        "event": shop.slug(),
        "gate": "Main entrance",
        "tickets": pngs.iter().map(|(i, p)| json!({"code": tickets[*i].1, "ticketId": tickets[*i].0, "qrPng": p})).collect::<Vec<_>>(),
        "screenshots": shots.canonicalize().unwrap(),
    });
    let fixture_path = run.join("fixture.json");
    std::fs::write(&fixture_path, fixture.to_string()).unwrap();

    super::browser::run("mobile/tests/browser.mjs", &fixture_path, "the scanner app").await;
}
