//! The scan role as the real `sellout-worker --role scan`, beside a real
//! checkout worker that sold the tickets: NATS JetStream (check-in
//! records, revocations), FerretDB, the API server.

use std::time::Duration;

use futures::future::join_all;
use prost::Message;
use sellout_client::ScanClient;
use sellout_common::proto::v1::{
    Buyer, CreateOrderRequest, HoldRequest, IssuedTicket, OrderHold, ScanOutcome, ScanRequest,
    ScanResult, UnscanRequest,
};

use super::checkout::hold;
use super::orders::Shop;

fn scan_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn at_gate(code: &str, gate: &str) -> ScanRequest {
    ScanRequest {
        scan_id: scan_id(),
        code: code.into(),
        gate: gate.into(),
        day: 1,
        staff: "door@example.com".into(),
        ..Default::default()
    }
}

fn outcome(r: &ScanResult) -> ScanOutcome {
    ScanOutcome::try_from(r.outcome).unwrap_or(ScanOutcome::Unspecified)
}

/// The event's one day made the one being scanned now (scan workers take
/// the day from their clock).
async fn open_doors(shop: &Shop) {
    let client = sellout_e2e::kube_with_crds().await.client().await.unwrap();
    sellout_e2e::kube_api::doors_open_now(client, &shop.stage.ns, "show")
        .await
        .unwrap();
}

/// Opens the doors, starts scan worker `id` and waits until it serves;
/// a client of the event's scan workers.
async fn start_door(shop: &mut Shop, id: &str) -> ScanClient {
    open_doors(shop).await;
    shop.stage.start_role(id, "scan", 600).await;
    serving(shop, id).await;
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    ScanClient::new(nats, shop.stage.names.clone())
}

/// A complimentary box-office order of `n` tickets, completed at once.
async fn comp_tickets(shop: &Shop, n: i64) -> (String, Vec<IssuedTicket>) {
    let h = shop
        .stage
        .client
        .hold(HoldRequest {
            box_office: true,
            ..hold("ga", n)
        })
        .await
        .unwrap();
    let order_id = uuid::Uuid::new_v4().to_string();
    let req = CreateOrderRequest {
        order_id: order_id.clone(),
        holds: vec![OrderHold {
            hold_id: h.hold_id,
            tier: "ga".into(),
            quantity: n,
            seats: vec![],
        }],
        buyer: Some(Buyer {
            email: shop.buyer.clone(),
            ..Default::default()
        }),
        box_office: true,
        complimentary: true,
        ..Default::default()
    };
    let done = shop.call("create", req.encode_to_vec()).await.unwrap();
    assert_eq!(done.state, "Completed");
    (order_id, done.tickets)
}

/// First scan wins, across gates and retries: a ticket is admitted once,
/// a retry of the same scan gets the same answer without admitting
/// again, another gate is told when and where it was admitted, ten gates
/// racing on one ticket admit it once; forged and garbage codes are
/// INVALID; an undo lets the person in again; a refunded ticket is
/// REVOKED at the door within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ticket_is_admitted_once_across_gates_and_a_refunded_one_is_refused() {
    let mut shop = Shop::new("scan-door", 10).await;
    shop.start("door-checkout").await;
    let (order_id, tickets) = comp_tickets(&shop, 3).await;
    assert_eq!(tickets.len(), 3);
    let door = start_door(&mut shop, "door-scan").await;

    // Admitted once; the same scan again is answered the same, not
    // admitted twice; another gate is told where it was admitted.
    let first = at_gate(&tickets[0].qr_payload, "north");
    let r = door.scan(first.clone()).await.unwrap();
    assert_eq!(outcome(&r), ScanOutcome::Admit, "{r:?}");
    assert!(r.new);
    assert_eq!(
        (r.ticket_id.as_str(), r.tier.as_str(), r.day),
        (tickets[0].ticket_id.as_str(), "ga", 1)
    );
    let again = door.scan(first).await.unwrap();
    assert_eq!(outcome(&again), ScanOutcome::Admit);
    assert!(!again.new, "a retry admitted a second time");
    let elsewhere = door
        .scan(at_gate(&tickets[0].qr_payload, "south"))
        .await
        .unwrap();
    assert_eq!(
        outcome(&elsewhere),
        ScanOutcome::AlreadyScanned,
        "{elsewhere:?}"
    );
    assert_eq!(
        elsewhere.record.as_ref().map(|c| c.gate.as_str()),
        Some("north")
    );

    // Ten gates on one ticket at once: one admission.
    let race = join_all((0..10).map(|g| {
        let door = door.clone();
        let code = tickets[1].qr_payload.clone();
        async move {
            door.scan(at_gate(&code, &format!("gate-{g}")))
                .await
                .unwrap()
        }
    }))
    .await;
    let admitted = race
        .iter()
        .filter(|r| outcome(r) == ScanOutcome::Admit)
        .count();
    let refused = race
        .iter()
        .filter(|r| outcome(r) == ScanOutcome::AlreadyScanned)
        .count();
    assert_eq!((admitted, refused), (1, 9), "{race:?}");

    // Not ours: a tampered payload and garbage.
    let mut forged = tickets[2].qr_payload.clone().into_bytes();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    for code in [
        String::from_utf8(forged).unwrap(),
        "hello".into(),
        String::new(),
    ] {
        let r = door.scan(at_gate(&code, "north")).await.unwrap();
        assert_eq!(outcome(&r), ScanOutcome::Invalid, "{code:?}: {r:?}");
    }

    // Undone (the person left): the next scan admits again.
    door.undo(UnscanRequest {
        scan_id: scan_id(),
        ticket_id: tickets[0].ticket_id.clone(),
        day: 1,
        gate: "north".into(),
        staff: "door@example.com".into(),
        reason: "left to fetch a coat".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let back = door
        .scan(at_gate(&tickets[0].qr_payload, "north"))
        .await
        .unwrap();
    assert_eq!(outcome(&back), ScanOutcome::Admit, "{back:?}");

    // Refunded: refused at the door within a second (never admitted in
    // between: the first scan after the refund may not be an admission).
    shop.refund("r-door", &order_id, &[tickets[2].ticket_id.as_str()])
        .await
        .unwrap();
    let give_up = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let r = door
            .scan(at_gate(&tickets[2].qr_payload, "north"))
            .await
            .unwrap();
        if outcome(&r) == ScanOutcome::Revoked {
            break;
        }
        assert_ne!(
            outcome(&r),
            ScanOutcome::Admit,
            "a refunded ticket was admitted: {r:?}"
        );
        assert!(
            tokio::time::Instant::now() < give_up,
            "the refund did not reach the door in 1 s: {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Counted: tickets 0 and 1 are in.
    let counts = door.counts().await.unwrap();
    let day1 = counts
        .days
        .iter()
        .find(|d| d.day == 1)
        .expect("day 1 counted");
    assert_eq!((day1.checked_in, day1.admissions), (2, 2), "{counts:?}");
}

/// Offline scans synced later: recorded in order, a replayed batch
/// records nothing more, a ticket let in at two places offline (or
/// already admitted online) is a CONFLICT reported on the event's stream,
/// and nothing is silently dropped. The offline scanner's bundle carries
/// the keys and the revoked tickets.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn offline_scans_sync_once_and_every_conflict_is_reported() {
    use futures::StreamExt;
    use sellout_common::proto::v1::{OfflineScan, ScanConflict, SyncOutcome, SyncRequest};

    let mut shop = Shop::new("scan-offline", 10).await;
    shop.start("offline-checkout").await;
    let (order_id, tickets) = comp_tickets(&shop, 3).await;
    let door = start_door(&mut shop, "offline-scan").await;
    // Ticket 0 is admitted online at the north gate first.
    let r = door
        .scan(at_gate(&tickets[0].qr_payload, "north"))
        .await
        .unwrap();
    assert_eq!(outcome(&r), ScanOutcome::Admit);
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let conflicts = js
        .get_stream(&shop.stage.names.stream)
        .await
        .unwrap()
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
            filter_subject: shop.stage.names.conflicts(),
            ..Default::default()
        })
        .await
        .unwrap();

    // A device offline let in ticket 1, ticket 0 (already in), and ticket
    // 1 again at a second device's gate.
    let offline = |code: &str, gate: &str, at: i64| OfflineScan {
        scan_id: scan_id(),
        code: code.into(),
        gate: gate.into(),
        day: 1,
        at_ms: at,
        staff: "door@example.com".into(),
    };
    // Scanned a few seconds ago, in this order, by the device's clock.
    let ago = |s: i64| jiff::Timestamp::now().as_millisecond() - s * 1_000;
    let batch = SyncRequest {
        scans: vec![
            offline(&tickets[1].qr_payload, "east", ago(30)),
            offline(&tickets[0].qr_payload, "east", ago(20)),
            offline(&tickets[1].qr_payload, "west", ago(10)),
        ],
        device: "phone-7".into(),
    };
    let synced = door.sync(batch.clone()).await.unwrap();
    let outcomes: Vec<SyncOutcome> = synced
        .scans
        .iter()
        .map(|s| SyncOutcome::try_from(s.outcome).unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            SyncOutcome::Recorded,
            SyncOutcome::Conflict,
            SyncOutcome::Conflict
        ],
        "{synced:?}"
    );
    // The same batch again: recorded once, the conflicts stand.
    let replay = door.sync(batch).await.unwrap();
    let outcomes: Vec<SyncOutcome> = replay
        .scans
        .iter()
        .map(|s| SyncOutcome::try_from(s.outcome).unwrap())
        .collect();
    assert_eq!(outcomes[0], SyncOutcome::Duplicate, "{replay:?}");
    assert!(outcomes[1..].iter().all(|o| *o == SyncOutcome::Conflict));

    // Both conflicts are on the stream, each once, saying where and why.
    let mut seen = std::collections::BTreeMap::new();
    let mut messages = conflicts.messages().await.unwrap();
    while seen.len() < 2 {
        let m = tokio::time::timeout(Duration::from_secs(5), messages.next())
            .await
            .expect("conflicts published")
            .unwrap()
            .unwrap();
        let c = ScanConflict::decode(m.payload.as_ref()).unwrap();
        assert_eq!(c.device, "phone-7");
        *seen.entry(c.ticket_id.clone()).or_insert(0) += 1;
    }
    assert_eq!(seen.get(&tickets[0].ticket_id), Some(&1));
    assert_eq!(seen.get(&tickets[1].ticket_id), Some(&1));
    assert!(
        tokio::time::timeout(Duration::from_millis(500), messages.next())
            .await
            .is_err(),
        "a conflict was published twice"
    );

    // The offline scanner's bundle: the signing key, and the refunds.
    shop.refund("r-offline", &order_id, &[tickets[2].ticket_id.as_str()])
        .await
        .unwrap();
    let give_up = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let bundle = door.bundle().await.unwrap();
        assert_eq!(bundle.keys.len(), 1);
        assert!(
            bundle.keys[0]
                .public_key_pem
                .starts_with("-----BEGIN PUBLIC KEY-----")
        );
        if bundle.revoked.contains(&tickets[2].ticket_id) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "the refund is not in the bundle: {bundle:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until scan worker `id` serves (it has read the stream).
async fn serving(shop: &Shop, id: &str) {
    let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
    while !shop.stage.workers[id]
        .tail(400)
        .contains("scan role serving")
    {
        assert!(
            tokio::time::Instant::now() < give_up,
            "scan worker {id} does not serve:\n{}",
            shop.stage.logs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The door at its busiest: two scan replicas, 20 gates scanning the
/// same 1,000 tickets (each ticket about three times, at different
/// gates), forged codes mixed in, and one replica killed with SIGKILL in
/// the middle. Exactly 1,000 admissions are recorded, each ticket once;
/// every scan is answered (by the survivor when its replica died); no
/// forged code is admitted; the ledger on the stream agrees.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_gates_two_replicas_and_a_sigkill_admit_each_ticket_once() {
    use std::collections::{HashMap, HashSet};
    use std::num::NonZeroU8;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use sellout_workers::ticket::{KeyId, Signer, TicketClaims, TierHash, ValidDays};

    const TICKETS: usize = 1_000;
    const GATES: usize = 20;
    const PASSES: usize = 3;
    let mut shop = Shop::new("scan-storm", 10).await;
    open_doors(&shop).await;
    shop.stage.start_role("storm-scan-1", "scan", 600).await;
    shop.stage.start_role("storm-scan-2", "scan", 600).await;
    serving(&shop, "storm-scan-1").await;
    serving(&shop, "storm-scan-2").await;

    // Tickets signed as the checkout signs them (the shop's key).
    let signer = Signer::new(KeyId(1), ed25519_dalek::SigningKey::from_bytes(&[42; 32]));
    let event: uuid::Uuid = shop.stage.uid.parse().unwrap();
    let tickets: Vec<(String, String)> = (0..TICKETS)
        .map(|_| {
            let ticket = uuid::Uuid::new_v4();
            let code = signer.sign(&TicketClaims {
                event,
                ticket,
                tier: TierHash::of("ga"),
                days: ValidDays::from_days([1]).unwrap(),
                admits: NonZeroU8::new(1).unwrap(),
            });
            (ticket.to_string(), code)
        })
        .collect();
    // Another organization's key with the same key id (the shop writes it
    // beside this organization's): its tickets are not this door's.
    let stranger = Signer::new(KeyId(1), ed25519_dalek::SigningKey::from_bytes(&[7; 32]));

    // Every ticket is scanned PASSES times, at PASSES different gates at
    // about the same moment (its scans sit at the same place in their
    // gates' lists); every 20th scan of a gate is a forgery besides.
    let mut lists: Vec<Vec<Option<usize>>> = vec![Vec::new(); GATES];
    for s in 0..TICKETS * PASSES {
        let (i, p) = (s / PASSES, s % PASSES);
        let list = &mut lists[(i + 7 * p) % GATES];
        if list.len() % 20 == 19 {
            list.push(None);
        }
        list.push(Some(i));
    }
    let nats = sellout_e2e::nats().await.client().await.unwrap();
    let mut door = ScanClient::new(nats, shop.stage.names.clone());
    door.deadline = Duration::from_secs(30);
    door.attempt_timeout = Duration::from_millis(500);
    let tickets = Arc::new(tickets);
    let done = Arc::new(AtomicUsize::new(0));
    let gates = lists.into_iter().enumerate().map(|(g, list)| {
        let (door, tickets, done) = (door.clone(), tickets.clone(), done.clone());
        let forged = stranger.sign(&TicketClaims {
            event,
            ticket: uuid::Uuid::new_v4(),
            tier: TierHash::of("ga"),
            days: ValidDays::from_days([1]).unwrap(),
            admits: NonZeroU8::new(1).unwrap(),
        });
        tokio::spawn(async move {
            let mut admitted = Vec::new();
            let mut forged_admitted = 0;
            for item in list {
                let code = match item {
                    Some(i) => &tickets[i].1,
                    None => &forged,
                };
                let r = door
                    .scan(at_gate(code, &format!("gate-{g}")))
                    .await
                    .unwrap_or_else(|e| panic!("gate {g}: a scan went unanswered: {e:?}"));
                done.fetch_add(1, Ordering::Relaxed);
                match outcome(&r) {
                    ScanOutcome::Admit if code == &forged => forged_admitted += 1,
                    ScanOutcome::Admit => admitted.push(r.ticket_id),
                    ScanOutcome::AlreadyScanned => {}
                    ScanOutcome::Invalid if code == &forged => {}
                    other => panic!("gate {g}: {other:?} for a genuine ticket: {r:?}"),
                }
            }
            (admitted, forged_admitted)
        })
    });
    let gates: Vec<_> = gates.collect();
    // A third of the way in, one replica dies without a word.
    while done.load(Ordering::Relaxed) < TICKETS * PASSES / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    shop.stage.kill("storm-scan-1");
    let mut admitted: Vec<String> = Vec::new();
    let mut forged_admitted = 0;
    for g in join_all(gates).await {
        let (a, f) = g.unwrap();
        admitted.extend(a);
        forged_admitted += f;
    }
    assert_eq!(forged_admitted, 0, "a forged ticket was admitted");
    let unique: HashSet<&String> = admitted.iter().collect();
    assert_eq!(
        unique.len(),
        admitted.len(),
        "a ticket was admitted twice: {} admissions of {} tickets",
        admitted.len(),
        unique.len()
    );
    // Every ticket was scanned at least once, so every one is in.
    assert_eq!(admitted.len(), TICKETS);

    // The stream agrees: one admission record per ticket.
    let js = sellout_e2e::nats().await.jetstream().await.unwrap();
    let stream = js.get_stream(&shop.stage.names.stream).await.unwrap();
    let consumer = stream
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
            filter_subject: shop.stage.names.checkins(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut records: HashMap<String, usize> = HashMap::new();
    let mut messages = consumer.messages().await.unwrap();
    let mut seen = 0;
    while seen < TICKETS {
        let m = tokio::time::timeout(
            Duration::from_secs(10),
            futures::StreamExt::next(&mut messages),
        )
        .await
        .expect("the records are on the stream")
        .unwrap()
        .unwrap();
        let r = sellout_common::proto::v1::CheckedIn::decode(m.payload.as_ref()).unwrap();
        *records.entry(r.ticket_id).or_default() += 1;
        seen += 1;
    }
    assert!(
        tokio::time::timeout(
            Duration::from_millis(500),
            futures::StreamExt::next(&mut messages)
        )
        .await
        .is_err(),
        "more check-in records than tickets"
    );
    assert_eq!(records.len(), TICKETS);
    assert!(records.values().all(|n| *n == 1));
    let ids: HashSet<&str> = tickets.iter().map(|(id, _)| id.as_str()).collect();
    assert!(records.keys().all(|k| ids.contains(k.as_str())));
}
