//! The checkout worker's inventory service, as the real `sellout-worker`
//! binary, against a real API server (its Event and tiers), NATS JetStream
//! (requests, ledger, writer lease) and FerretDB.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::future::join_all;
use kube::api::{Api, PostParams};
use sellout_client::CheckoutClient;
use sellout_common::names::{Names, stream_config};
use sellout_common::process::Process;
use sellout_common::proto::v1::{CheckoutError, ErrorCode, HoldRequest};
use sellout_crds::{Event, TicketTier};
use sellout_workers::checkout::writer::replay;
use sellout_workers::inventory::{Book, Op};

/// The API server with the CRDs installed (once per test binary).
async fn kube() -> &'static sellout_e2e::KubeApi {
    sellout_e2e::kube_with_crds().await
}

/// One event staged for a test: namespace `ns`, Event `show`, and tiers.
pub struct Stage {
    pub ns: String,
    pub names: Names,
    pub client: CheckoutClient,
    pub workers: HashMap<String, Process>,
    /// Environment for the order service (keys, Stripe), when staged.
    pub order_env: Vec<(String, String)>,
    /// The HTTP address of each worker, by id.
    pub listen: HashMap<String, String>,
    /// The Event's UID.
    pub uid: String,
    /// The NATS server the workers use (the test binary's, unless a
    /// drill brings its own to kill).
    pub nats: &'static sellout_e2e::Nats,
    /// The MongoDB URI the workers use (the test binary's FerretDB,
    /// unless a drill brings its own to kill; set before starting them).
    pub mongo_uri: String,
}

/// A tier: name, quantity, and extra spec fields.
pub struct Tier {
    pub name: &'static str,
    pub quantity: i64,
    pub extra: serde_json::Value,
}

pub fn tier(name: &'static str, quantity: i64) -> Tier {
    Tier {
        name,
        quantity,
        extra: serde_json::json!({}),
    }
}

impl Stage {
    pub async fn new(ns: &str, tiers: &[Tier]) -> Self {
        Self::new_on(ns, tiers, sellout_e2e::nats().await).await
    }

    /// [`Stage::new`] on NATS server `nats`.
    pub async fn new_on(ns: &str, tiers: &[Tier], nats: &'static sellout_e2e::Nats) -> Self {
        let api = kube().await;
        let client = api.client().await.unwrap();
        let nsapi: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(client.clone());
        nsapi
            .create(
                &PostParams::default(),
                &serde_json::from_value(serde_json::json!({"metadata": {"name": ns}})).unwrap(),
            )
            .await
            .unwrap();
        let events: Api<Event> = Api::namespaced(client.clone(), ns);
        let event: Event = serde_json::from_value(serde_json::json!({
            "apiVersion": "sellout.io/v1alpha1",
            "kind": "Event",
            "metadata": {"name": "show", "namespace": ns},
            "spec": {
                "title": "Show",
                "venueRef": {"name": "hall"},
                "currency": "GBP",
                "state": "Published",
                "days": [{"doorsAt": "2027-05-01T18:00:00Z", "startsAt": "2027-05-01T19:00:00Z", "endsAt": "2027-05-01T23:00:00Z"}],
                "onSaleAt": "2026-01-01T10:00:00Z",
            }
        }))
        .unwrap();
        let event = events.create(&PostParams::default(), &event).await.unwrap();
        let tapi: Api<TicketTier> = Api::namespaced(client.clone(), ns);
        for t in tiers {
            let mut spec = serde_json::json!({
                "eventRef": {"name": "show"},
                "displayName": t.name,
                "price": {"amountMinor": 2000, "currency": "GBP"},
                "quantity": t.quantity,
            });
            for (k, v) in t.extra.as_object().unwrap() {
                spec[k] = v.clone();
            }
            let object: TicketTier = serde_json::from_value(serde_json::json!({
                "apiVersion": "sellout.io/v1alpha1",
                "kind": "TicketTier",
                "metadata": {"name": t.name, "namespace": ns},
                "spec": spec,
            }))
            .unwrap();
            tapi.create(&PostParams::default(), &object).await.unwrap();
        }
        let names = Names::for_uid(event.metadata.uid.as_deref().unwrap());
        // The operator's part: the event's stream.
        let js = nats.jetstream().await.unwrap();
        js.get_or_create_stream(stream_config(&names))
            .await
            .unwrap();
        let server = nats;
        let nats = server.client().await.unwrap();
        Stage {
            nats: server,
            mongo_uri: sellout_e2e::mongo().await.uri().to_owned(),
            ns: ns.to_owned(),
            client: CheckoutClient::new(nats, names.clone()),
            names,
            workers: HashMap::new(),
            order_env: Vec::new(),
            listen: HashMap::new(),
            uid: event.metadata.uid.clone().unwrap(),
        }
    }

    /// Starts a checkout worker with identity `id` (holds last `ttl` s).
    pub async fn start(&mut self, id: &str, ttl: u32) {
        self.start_role(id, "checkout", ttl).await;
    }

    /// Starts a worker of `role` (`checkout` or `scan`) with identity `id`.
    pub async fn start_role(&mut self, id: &str, role: &str, ttl: u32) {
        let api = kube().await;
        let dir = sellout_e2e::run_dir().join("workers").join(&self.ns);
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-worker"));
        cmd.env("KUBECONFIG", api.kubeconfig())
            .env("SELLOUT_WORKER_ROLE", role)
            .env("SELLOUT_EVENT", "show")
            .env("SELLOUT_NAMESPACE", &self.ns)
            .env("SELLOUT_WORKER_ID", id)
            .env("SELLOUT_HOLD_TTL_SECONDS", ttl.to_string())
            .env("SELLOUT_NATS_URL", self.nats.url())
            .envs(self.nats.worker_env(&self.uid))
            .env("SELLOUT_MONGO_URI", &self.mongo_uri)
            .env("SELLOUT_MONGO_DATABASE", "sellout-workers-it")
            .env("RUST_LOG", "info")
            .envs(self.order_env.iter().cloned());
        let listen = format!("127.0.0.1:{}", sellout_e2e::free_port().unwrap());
        cmd.env("SELLOUT_WORKER_LISTEN", &listen);
        self.listen.insert(id.to_owned(), listen);
        let log = dir.join(format!("{id}.log"));
        let p = Process::spawn(&format!("worker {id}"), cmd, &log).unwrap();
        self.workers.insert(id.to_owned(), p);
    }

    pub fn kill(&mut self, id: &str) {
        let p = self.workers.remove(id).expect("worker started");
        let status = std::process::Command::new("kill")
            .args(["-KILL", &p.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        for _ in 0..100 {
            if p.exit_status().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("worker {id} survived SIGKILL");
    }

    /// Sends `signal` (`STOP`, `CONT`, …) to worker `id`.
    pub fn signal(&self, id: &str, signal: &str) {
        let p = &self.workers[id];
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &p.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} worker {id}");
    }

    pub fn logs(&self) -> String {
        self.workers
            .iter()
            .map(|(id, p)| format!("--- {id}\n{}", p.tail(30)))
            .collect()
    }

    /// Waits until the workers answer (the writer holds the lease and has
    /// set the capacities).
    pub async fn ready(&self) {
        let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(t) = self.client.availability().await
                && !t.is_empty()
            {
                return;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "checkout workers not ready in 60 s:\n{}",
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn counts(&self, tier: &str) -> (i64, i64, i64) {
        let t = self.client.availability().await.unwrap();
        let s = t.iter().find(|s| s.tier == tier).expect("tier counted");
        (s.available, s.held, s.sold)
    }

    /// `buyers` buyers, one every `every_ms`, each holding one `ga` ticket
    /// and paying for it (the client retries with the same ids); each
    /// answers its hold id or the error it got.
    pub fn crowd(
        &self,
        buyers: u64,
        every_ms: u64,
    ) -> tokio::task::JoinHandle<Vec<Result<String, CheckoutError>>> {
        let c = self.client.clone();
        tokio::spawn(join_all((0..buyers).map(move |i| {
            let c = c.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(i * every_ms)).await;
                let h = c.hold(hold("ga", 1)).await?;
                c.sell(&h.hold_id).await?;
                Ok(h.hold_id)
            }
        })))
    }

    /// After a [`Stage::crowd`] for `capacity` tickets of `ga`: no buyer
    /// got an error but sold out, exactly the capacity is sold (counts and
    /// ledger), and every hold granted is in the ledger once. `context`
    /// goes into the failure message.
    pub async fn sold_out_once(
        &self,
        answers: &[Result<String, CheckoutError>],
        capacity: i64,
        context: &str,
    ) {
        let sold: Vec<_> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
        let other: Vec<_> = answers
            .iter()
            .filter_map(|a| a.as_ref().err())
            .filter(|e| e.code() != ErrorCode::NotEnough)
            .collect();
        assert!(
            other.is_empty(),
            "{} buyers got errors other than sold out, e.g. {:?}\n{}\n{context}",
            other.len(),
            &other[..other.len().min(3)],
            self.logs()
        );
        assert_eq!(sold.len() as i64, capacity, "exactly the capacity is sold");
        assert_eq!(self.counts("ga").await, (0, 0, capacity));
        let (book, ops) = self.ledger().await;
        let s = book.stock("ga").unwrap();
        assert_eq!((s.available, s.held, s.sold), (0, 0, capacity));
        let mut seen = std::collections::HashSet::new();
        for op in &ops {
            if let Op::Hold { hold, .. } = op {
                assert!(seen.insert(hold.clone()), "hold {hold} written twice");
            }
        }
        assert_eq!(seen.len() as i64, capacity, "every granted hold once");
        for id in sold {
            assert!(seen.contains(id), "granted hold {id} is in the ledger");
        }
    }

    /// The ledger replayed independently of the workers: the book, which
    /// must pass its invariant check, and every operation in order.
    pub async fn ledger(&self) -> (Book, Vec<Op>) {
        let js = self.nats.jetstream().await.unwrap();
        let (book, _, _) = replay(&js, &self.names).await.unwrap();
        book.check().unwrap();
        let ops = ledger_ops(&js, &self.names).await;
        assert_eq!(Book::replay(&ops), book);
        (book, ops)
    }
}

/// Every operation in the ledger, read straight from the stream.
async fn ledger_ops(js: &async_nats::jetstream::Context, names: &Names) -> Vec<Op> {
    use prost::Message;
    let stream = js.get_stream(&names.stream).await.unwrap();
    let last = stream
        .get_last_raw_message_by_subject(&names.ledger())
        .await
        .unwrap()
        .sequence;
    let mut ops = Vec::new();
    let mut seq = 1;
    while seq <= last {
        if let Ok(m) = stream.get_raw_message(seq).await
            && m.subject.as_str() == names.ledger()
        {
            let batch = sellout_common::proto::v1::LedgerBatch::decode(m.payload.as_ref()).unwrap();
            ops.extend(
                batch
                    .ops
                    .into_iter()
                    .filter_map(sellout_workers::checkout::ledger::decode),
            );
        }
        seq += 1;
    }
    ops
}

pub fn hold(tier: &str, quantity: i64) -> HoldRequest {
    HoldRequest {
        hold_id: uuid::Uuid::new_v4().to_string(),
        tier: tier.into(),
        quantity,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_buyers_on_a_tier_of_one_hundred() {
    let mut stage = Stage::new("checkout-crowd", &[tier("ga", 100)]).await;
    // A writer and a standby.
    stage.start("crowd-a", 3).await;
    stage.start("crowd-b", 3).await;
    stage.ready().await;

    let answers = join_all((0..500).map(|_| {
        let c = stage.client.clone();
        async move { c.hold(hold("ga", 1)).await }
    }))
    .await;
    let granted: Vec<_> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    let refused: BTreeMap<String, usize> =
        answers
            .iter()
            .filter_map(|a| a.as_ref().err())
            .fold(BTreeMap::new(), |mut m, e| {
                *m.entry(format!("{:?}", e.code())).or_default() += 1;
                m
            });
    assert_eq!(granted.len(), 100, "refusals: {refused:?}");
    assert_eq!(
        refused,
        BTreeMap::from([("NotEnough".to_owned(), 400)]),
        "every other buyer is told it sold out"
    );
    assert_eq!(stage.counts("ga").await, (0, 100, 0));

    // 60 pay, 20 give up, 20 walk away and their holds run out.
    for h in &granted[..60] {
        assert!(!stage.client.sell(&h.hold_id).await.unwrap());
    }
    for h in &granted[60..80] {
        stage.client.release(&h.hold_id).await.unwrap();
    }
    assert_eq!(stage.counts("ga").await, (20, 20, 60));
    let give_up = tokio::time::Instant::now() + Duration::from_secs(15);
    while stage.counts("ga").await != (40, 0, 60) {
        assert!(
            tokio::time::Instant::now() < give_up,
            "expired holds not returned: {:?}",
            stage.counts("ga").await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A late payment for an expired hold takes units again while any are
    // left.
    assert!(stage.client.sell(&granted[95].hold_id).await.unwrap());

    // The next wave gets exactly what came back.
    let again = join_all((0..100).map(|_| {
        let c = stage.client.clone();
        async move { c.hold(hold("ga", 1)).await }
    }))
    .await;
    assert_eq!(again.iter().filter(|a| a.is_ok()).count(), 39);
    assert_eq!(stage.counts("ga").await, (0, 39, 61));
    // They all pay: exactly the capacity is sold.
    for h in again.iter().filter_map(|a| a.as_ref().ok()) {
        stage.client.sell(&h.hold_id).await.unwrap();
    }
    assert_eq!(stage.counts("ga").await, (0, 0, 100));

    let (book, ops) = stage.ledger().await;
    let s = book.stock("ga").unwrap();
    assert_eq!((s.capacity, s.available, s.held, s.sold), (100, 0, 0, 100));
    let holds = ops.iter().filter(|o| matches!(o, Op::Hold { .. })).count();
    assert_eq!(holds, 139, "one ledger entry per granted hold");
}

/// A capacity change (the promoter raises, then cuts, the tier's quantity
/// on the API server) racing a burst of holds and sales: the tier's
/// inventory document ends equal to the ledger's counts, capacity
/// included. The checkout writer is its one writer (the operator only
/// reads it), so neither change can overwrite the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_capacity_change_racing_holds_leaves_the_inventory_equal_to_the_ledger() {
    let mut stage = Stage::new("checkout-capacity-race", &[tier("ga", 200)]).await;
    stage.start("race-a", 30).await;
    stage.ready().await;
    let tiers: Api<TicketTier> = Api::namespaced(kube().await.client().await.unwrap(), &stage.ns);
    let set_quantity = |q: i64| {
        let tiers = tiers.clone();
        async move {
            tiers
                .patch(
                    "ga",
                    &kube::api::PatchParams::default(),
                    &kube::api::Patch::Merge(serde_json::json!({"spec": {"quantity": q}})),
                )
                .await
                .unwrap();
        }
    };
    // 250 buyers over 2 s while the quantity goes to 300 and then 260
    // every third buyer pays at once.
    let burst = join_all((0..250).map(|i| {
        let c = stage.client.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(i * 7)).await;
            let held = c.hold(hold("ga", 1)).await;
            if let (Ok(h), 0) = (&held, i % 3) {
                c.sell(&h.hold_id).await.unwrap();
            }
            held.is_ok()
        }
    }));
    let changes = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        set_quantity(300).await;
        tokio::time::sleep(Duration::from_millis(2500)).await;
        set_quantity(260).await;
    };
    let (granted, ()) = tokio::join!(burst, changes);
    let granted = granted.iter().filter(|g| **g).count() as i64;

    // The writer reads the catalog every 2 s: wait for the cut to 260.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    let book = loop {
        let (book, _) = stage.ledger().await;
        if book.stock("ga").is_some_and(|s| s.capacity == 260) {
            break book;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "the cut to 260 was not applied:\n{}",
            stage.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let s = book.stock("ga").unwrap();
    assert_eq!(
        s.held + s.sold,
        granted,
        "every granted hold is held or sold"
    );
    assert_eq!(s.available + s.held + s.sold, 260);

    // The projection follows within a few of its periods.
    let db = sellout_e2e::mongo()
        .await
        .client()
        .await
        .unwrap()
        .database("sellout-workers-it");
    let give_up = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let stored = sellout_store::inventory::counts(&db, &stage.names)
            .await
            .unwrap();
        let want = sellout_store::inventory::TierCounts {
            tier: "ga".into(),
            capacity: s.capacity,
            available: s.available,
            held: s.held,
            sold: s.sold,
            admission: true,
        };
        if stored == [want.clone()] {
            break;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "inventory document {stored:?} is not the ledger's {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_purchase_loses_nothing_and_sells_once() {
    let mut stage = Stage::new("checkout-kill", &[tier("ga", 150)]).await;
    stage.start("kill-a", 600).await;
    stage.ready().await;

    // 300 buyers each hold 1 and pay for it, while the writer is killed
    // and restarted under them; the client retries with the same ids.
    // They arrive over 600 ms; the kill comes at 250 ms.
    let buyers = (0..300u64).map(|i| {
        let c = stage.client.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(i * 2)).await;
            let h = c.hold(hold("ga", 1)).await?;
            c.sell(&h.hold_id).await?;
            Ok::<_, sellout_common::proto::v1::CheckoutError>(h.hold_id)
        }
    });
    let crowd = tokio::spawn(join_all(buyers));
    tokio::time::sleep(Duration::from_millis(250)).await;
    stage.kill("kill-a");
    tokio::time::sleep(Duration::from_millis(300)).await;
    stage.start("kill-a", 600).await;
    let answers = crowd.await.unwrap();

    let sold: Vec<_> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    let other: Vec<_> = answers
        .iter()
        .filter_map(|a| a.as_ref().err())
        .filter(|e| e.code() != ErrorCode::NotEnough)
        .collect();
    assert!(
        other.is_empty(),
        "unexpected errors: {other:?}\n{}",
        stage.logs()
    );
    assert_eq!(sold.len(), 150, "exactly the capacity is sold");
    assert_eq!(stage.counts("ga").await, (0, 0, 150));

    let (book, ops) = stage.ledger().await;
    let s = book.stock("ga").unwrap();
    assert_eq!((s.available, s.held, s.sold), (0, 0, 150));
    let mut seen = std::collections::HashSet::new();
    for op in &ops {
        if let Op::Hold { hold, .. } = op {
            assert!(seen.insert(hold.clone()), "hold {hold} written twice");
        }
    }
    assert_eq!(seen.len(), 150);
}

/// The fault drill of a writer that freezes (SIGSTOP: a long GC pause, a
/// stalled VM) for longer than its lease while buyers hold and pay: the
/// standby takes the lease over and serves; when the old writer wakes
/// (SIGCONT) it still believes it writes, and its first append is fenced
/// off, so it steps down. Exactly the capacity is sold, every granted
/// hold is in the ledger once, and the ledger's book checks.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_writer_frozen_past_its_lease_steps_down_and_nothing_is_sold_twice() {
    let mut stage = Stage::new("checkout-freeze", &[tier("ga", 100)]).await;
    stage.start("frz-a", 600).await;
    stage.ready().await;
    stage.start("frz-b", 600).await;
    // 200 buyers over 4 s, each holding 1 and paying for it; the client
    // retries with the same ids while the writer changes hands.
    let crowd = stage.crowd(200, 20);
    tokio::time::sleep(Duration::from_millis(800)).await;
    stage.signal("frz-a", "STOP");
    // Longer than the lease (6 s): frz-b takes over meanwhile.
    tokio::time::sleep(Duration::from_secs(9)).await;
    stage.signal("frz-a", "CONT");
    let answers = crowd.await.unwrap();
    stage.sold_out_once(&answers, 100, "").await;
    // The old writer, awake, gave up writing.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        // A request it still had queued is answered by a fenced append,
        // or its lease check notices first: either way it stands by.
        let log = stage.workers["frz-a"].tail(200);
        if log.contains("standing by to take over again") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "frz-a never stepped down:\n{}",
            stage.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Fault drill: nats-server is killed with SIGKILL in the middle of a
/// 500-buyer sale and started again 3 s later on the same storage. The
/// workers and the buyers' client reconnect by themselves and the
/// client's retries (same hold ids) carry the sale through: exactly the
/// capacity is sold, every hold a buyer was granted is in the ledger once,
/// the ledger's book checks, and both workers report ready again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sale_survives_nats_killed_and_restarted() {
    // Its own NATS server: the test binary's is shared with other tests.
    let nats: &'static sellout_e2e::Nats = Box::leak(Box::new(
        sellout_e2e::Nats::start(
            &sellout_e2e::run_dir().join("nats-crash-drill"),
            sellout_e2e::Port::Free,
            sellout_e2e::Port::Free,
        )
        .await
        .unwrap(),
    ));
    let mut stage = Stage::new_on("checkout-nats-crash", &[tier("ga", 300)], nats).await;
    stage.start("nc-a", 600).await;
    stage.ready().await;
    stage.start("nc-b", 600).await;
    let crowd = stage.crowd(500, 10);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    eprintln!("killing nats-server");
    nats.kill();
    tokio::time::sleep(Duration::from_secs(3)).await;
    nats.restart().await.unwrap();
    eprintln!("nats-server restarted");
    let answers = crowd.await.unwrap();
    stage
        .sold_out_once(
            &answers,
            300,
            &format!("--- nats-server\n{}", nats.log_tail(40)),
        )
        .await;
    // Both workers are ready again without a restart.
    let http = reqwest::Client::new();
    for id in ["nc-a", "nc-b"] {
        let url = format!("http://{}/readyz", stage.listen[id]);
        let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let ok = http
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                break;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "{id} not ready 30 s after NATS came back:\n{}",
                stage.logs()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_standby_takes_over_when_the_writer_dies() {
    let mut stage = Stage::new("checkout-failover", &[tier("ga", 10)]).await;
    stage.start("fo-a", 600).await;
    stage.ready().await;
    stage.start("fo-b", 600).await;
    let first = stage.client.hold(hold("ga", 4)).await.unwrap();
    stage.kill("fo-a");
    // fo-b takes the lease once it ages out, replays the ledger and
    // knows the first hold.
    let again = stage
        .client
        .hold(HoldRequest {
            hold_id: first.hold_id.clone(),
            tier: "ga".into(),
            quantity: 4,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(!again.new, "a retried hold is the same hold");
    assert_eq!(again.expires_at_ms, first.expires_at_ms);
    let err = stage.client.hold(hold("ga", 7)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotEnough, "{err:?}");
    assert_eq!(err.available, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_requests_get_typed_errors_and_change_nothing() {
    let mut stage = Stage::new(
        "checkout-bad",
        &[
            tier("ga", 10),
            Tier {
                name: "crew",
                quantity: 5,
                extra: serde_json::json!({"visibility": "Hidden"}),
            },
            Tier {
                name: "fans",
                quantity: 5,
                extra: serde_json::json!({"visibility": "PromoCode", "promoCodes": ["EARLY"], "perOrder": {"min": 2, "max": 4}}),
            },
            Tier {
                name: "later",
                quantity: 5,
                extra: serde_json::json!({"salesWindow": {"startsAt": "2027-01-01T00:00:00Z"}}),
            },
        ],
    )
    .await;
    stage.start("bad-a", 600).await;
    stage.ready().await;
    let before = stage.client.availability().await.unwrap();

    let c = &stage.client;
    let sold = c.hold(hold("ga", 2)).await.unwrap();
    c.sell(&sold.hold_id).await.unwrap();
    let released = c.hold(hold("ga", 1)).await.unwrap();
    c.release(&released.hold_id).await.unwrap();
    let cases: Vec<(HoldRequest, ErrorCode)> = vec![
        (hold("nope", 1), ErrorCode::UnknownTier),
        (hold("ga", 0), ErrorCode::QuantityTooSmall),
        (hold("ga", 11), ErrorCode::QuantityTooLarge),
        (hold("ga", 9), ErrorCode::NotEnough),
        (hold("crew", 1), ErrorCode::TierNotAvailable),
        (hold("fans", 2), ErrorCode::TierNotAvailable),
        (
            HoldRequest {
                promo_code: "early".into(),
                ..hold("fans", 1)
            },
            ErrorCode::QuantityTooSmall,
        ),
        (hold("later", 1), ErrorCode::NotOnSale),
        (
            HoldRequest {
                hold_id: String::new(),
                ..hold("ga", 1)
            },
            ErrorCode::BadRequest,
        ),
        (
            HoldRequest {
                hold_id: sold.hold_id.clone(),
                ..hold("ga", 3)
            },
            ErrorCode::HoldConflict,
        ),
        (
            HoldRequest {
                hold_id: released.hold_id.clone(),
                ..hold("ga", 1)
            },
            ErrorCode::HoldEnded,
        ),
    ];
    let mid = c.availability().await.unwrap();
    for (req, want) in cases {
        let e = c.hold(req.clone()).await.unwrap_err();
        assert_eq!(e.code(), want, "{req:?}: {}", e.message);
        assert!(!e.message.is_empty());
    }
    let e = c.release("no-such-hold").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::UnknownHold);
    let e = c.release(&sold.hold_id).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::AlreadySold);
    let e = c.restock("r1", &sold.hold_id, 3).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::RefundTooLarge);
    // Lookups read the book and change nothing: no hold appears for an id
    // nobody held (an order naming a made-up hold takes no units).
    let e = c.lookup_hold("no-such-hold").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::UnknownHold);
    let e = c.lookup_hold(&released.hold_id).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::HoldEnded);
    let e = c.lookup_hold("a.b").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadRequest);
    let found = c.lookup_hold(&sold.hold_id).await.unwrap();
    assert_eq!(
        (found.tier.as_str(), found.quantity, found.new),
        ("ga", 2, false)
    );
    assert_eq!(
        c.availability().await.unwrap(),
        mid,
        "refusals and lookups change nothing"
    );

    // The right requests pass.
    let unlocked = c
        .hold(HoldRequest {
            promo_code: "early".into(),
            ..hold("fans", 2)
        })
        .await
        .unwrap();
    assert!(unlocked.new);
    let staff = c
        .hold(HoldRequest {
            box_office: true,
            ..hold("crew", 1)
        })
        .await
        .unwrap();
    assert!(staff.new);
    // A refund puts units back, once however often it is retried.
    c.restock("r1", &sold.hold_id, 1).await.unwrap();
    c.restock("r1", &sold.hold_id, 1).await.unwrap();
    assert_eq!(stage.counts("ga").await, (9, 0, 1));
    assert_ne!(before, c.availability().await.unwrap());
    stage.ledger().await;
}

/// A push consumer, which the gateway may create on any event's stream
/// (nats-server does not check its deliver subject against the creator's
/// permissions), copies another event's ledger batches into this event's
/// ledger subject. JetStream refuses most copies (they carry the source's
/// expected-sequence header), but one whose expected sequence happens to
/// match lands; so may an entry without our header. Neither is this
/// ledger's batch: replay skips both (the other event's 30 units are not
/// held here), and the writer, fenced on its next append, sells on from
/// the true book.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn copies_of_another_events_ledger_are_not_replayed() {
    use prost::Message as _;
    use sellout_common::names::LEDGER_HEADER;
    let source = Names::for_uid("another-event");
    let mut stage = Stage::new("checkout-copy", &[tier("ga", 10)]).await;
    stage.start("cp-a", 600).await;
    stage.ready().await;
    stage.client.hold(hold("ga", 4)).await.unwrap();

    let admin = stage.nats.jetstream().await.unwrap();
    let batch = |id: &str, quantity: i64| sellout_common::proto::v1::LedgerBatch {
        ops: vec![sellout_workers::checkout::ledger::encode(&Op::Hold {
            hold: id.into(),
            tier: "ga".into(),
            quantity,
            expires_at: i64::MAX,
            owners: vec![],
        })],
        writer: "elsewhere".into(),
    };
    // A copy as it lands: the other ledger's header.
    let mut headers = async_nats::HeaderMap::new();
    headers.insert(LEDGER_HEADER, source.ledger().as_str());
    admin
        .publish_with_headers(
            stage.names.ledger(),
            headers,
            batch("copied", 6).encode_to_vec().into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();
    // And an entry naming no ledger at all.
    admin
        .publish(
            stage.names.ledger(),
            batch("unmarked", 5).encode_to_vec().into(),
        )
        .await
        .unwrap()
        .await
        .unwrap();

    let (book, _, _) = replay(&admin, &stage.names).await.unwrap();
    book.check().unwrap();
    let s = book.stock("ga").unwrap();
    assert_eq!(
        (s.available, s.held, s.sold),
        (6, 4, 0),
        "the replayed book"
    );
    // The writer sells on from it: the last 6 are held, then none is left.
    stage.client.hold(hold("ga", 6)).await.unwrap();
    let more = stage.client.hold(hold("ga", 1)).await;
    assert!(
        matches!(&more, Err(e) if e.code() == ErrorCode::NotEnough),
        "{more:?}\n{}",
        stage.logs()
    );
}
