//! Error reporting: with a Sentry DSN, a worker's error-level events reach
//! Sentry's envelope endpoint (here a local stand-in).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;

#[tokio::test]
async fn a_workers_errors_are_reported_to_sentry_when_a_dsn_is_set() {
    let received = Arc::new(Mutex::new(Vec::<String>::new()));
    let app = Router::new()
        .route(
            "/api/{project}/envelope/",
            post(
                |State(r): State<Arc<Mutex<Vec<String>>>>, body: Bytes| async move {
                    r.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&body).into_owned());
                    "{}"
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });

    // A scan worker without ticket keys logs an error at start and
    // serves no scans: what platform staff must hear about.
    let dir = sellout_e2e::run_dir().join("sentry");
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sellout-worker"));
    cmd.env("SELLOUT_WORKER_ROLE", "scan")
        .env("SELLOUT_EVENT", "show")
        .env("SELLOUT_NAMESPACE", "sentry-test")
        .env("SELLOUT_NATS_URL", "nats://127.0.0.1:9")
        .env("SELLOUT_MONGO_URI", "mongodb://127.0.0.1:9/")
        .env(
            "SELLOUT_WORKER_LISTEN",
            format!("127.0.0.1:{}", sellout_e2e::free_port().unwrap()),
        )
        .env(
            "SENTRY_DSN",
            format!("http://publickey@127.0.0.1:{port}/42"),
        )
        .env("SENTRY_ENVIRONMENT", "test")
        .env("RUST_LOG", "warn");
    let worker =
        sellout_common::process::Process::spawn("worker with Sentry", cmd, &dir.join("worker.log"))
            .unwrap();
    let give_up = tokio::time::Instant::now() + Duration::from_secs(20);
    let report = loop {
        let found = received
            .lock()
            .unwrap()
            .iter()
            .find(|e| e.contains("the scan role needs --ticket-keys-dir"))
            .cloned();
        if let Some(r) = found {
            break r;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "no report reached the Sentry endpoint within 20 s: {:?}\n{}",
            received.lock().unwrap(),
            worker.tail(20)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let release = format!("\"release\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(report.contains(&release), "{report}");
    assert!(report.contains("\"environment\":\"test\""), "{report}");
    drop(worker);
}
