//! NATS JetStream: a stream, acknowledged publishes and a durable consumer.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};
use futures::StreamExt;

#[tokio::test]
async fn jetstream_publish_ack_and_durable_consume() {
    let nats = sellout_e2e::nats().await;
    let js = nats.jetstream().await.unwrap();
    let stream = js
        .get_or_create_stream(stream::Config {
            name: "SMOKE".into(),
            subjects: vec!["smoke.>".into()],
            ..Default::default()
        })
        .await
        .unwrap();

    for i in 0..3 {
        let ack = js
            .publish(format!("smoke.orders.{i}"), format!("order-{i}").into())
            .await
            .unwrap()
            .await
            .unwrap();
        assert_eq!(ack.stream, "SMOKE");
        assert_eq!(ack.sequence, i + 1);
    }

    let consumer: consumer::PullConsumer = stream
        .get_or_create_consumer(
            "email",
            consumer::pull::Config {
                durable_name: Some("email".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut messages = consumer
        .fetch()
        .max_messages(3)
        .expires(Duration::from_secs(5))
        .messages()
        .await
        .unwrap();
    let mut got = Vec::new();
    while let Some(m) = messages.next().await {
        let m = m.unwrap();
        got.push(String::from_utf8(m.payload.to_vec()).unwrap());
        m.ack().await.unwrap();
    }
    assert_eq!(got, ["order-0", "order-1", "order-2"]);

    // The durable consumer remembers what was acknowledged.
    let mut consumer = consumer;
    let info = consumer.info().await.unwrap();
    assert_eq!(info.name, "email");
    assert_eq!(info.num_pending, 0);
    let _ = jetstream::new(nats.client().await.unwrap());
}

/// What the server says to a client (permission violations arrive as
/// `-ERR` lines, reported through the event callback).
async fn connect_watching(
    options: async_nats::ConnectOptions,
    url: &str,
) -> (
    async_nats::Client,
    tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let client = options
        .event_callback(move |e| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(e.to_string());
            }
        })
        .connect(url)
        .await
        .unwrap();
    (client, rx)
}

/// The next permission violation the server reports, if one comes soon.
async fn violation(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> Option<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while let Ok(Some(e)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        if e.to_lowercase().contains("permissions violation") {
            return Some(e);
        }
    }
    None
}

/// Publishes `subject` as `client` and says whether the server let it.
async fn publish_allowed(
    client: &async_nats::Client,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
    subject: &str,
) -> Result<(), String> {
    client
        .publish(subject.to_owned(), "x".into())
        .await
        .unwrap();
    client.flush().await.unwrap();
    match violation(events).await {
        None => Ok(()),
        Some(e) => Err(e),
    }
}

#[tokio::test]
async fn nats_refuses_anonymous_clients_and_each_user_gets_only_its_part() {
    use sellout_common::names::Names;
    use sellout_common::nats_auth::{Component, NatsCredentials, worker_inbox_prefix};
    let nats = sellout_e2e::nats().await;

    // No credentials, a bare nkey, or a user signed by an account the
    // server does not trust: no connection at all.
    let anonymous = async_nats::ConnectOptions::new()
        .max_reconnects(1)
        .connect(nats.url())
        .await;
    assert!(anonymous.is_err(), "an anonymous client was let in");
    let stranger =
        async_nats::ConnectOptions::with_nkey(nkeys::KeyPair::new_user().seed().unwrap())
            .max_reconnects(1)
            .connect(nats.url())
            .await;
    assert!(stranger.is_err(), "an unknown nkey was let in");
    let rogue = sellout_common::nats_auth::Platform::generate()
        .worker_issuer()
        .worker_creds(&Names::for_uid("rogue"), "rogue");
    let forged = async_nats::ConnectOptions::with_credentials(&rogue)
        .unwrap()
        .max_reconnects(1)
        .connect(nats.url())
        .await;
    assert!(
        forged.is_err(),
        "a user signed by an untrusted account was let in"
    );

    let (a, b) = (
        Names::for_uid("aaaaaaaa-0000-4000-8000-000000000001"),
        Names::for_uid("bbbbbbbb-0000-4000-8000-000000000002"),
    );
    let leases = "sellout-checkout-writers";
    let cases: Vec<(&str, NatsCredentials, String, String, bool)> = {
        let gw = || nats.credentials(Component::Gateway);
        let op = || nats.credentials(Component::Operator);
        let wa = || NatsCredentials::from_file(nats.worker_creds_file(&a));
        let (gwi, opi, wai) = (
            Component::Gateway.inbox_prefix(),
            Component::Operator.inbox_prefix(),
            worker_inbox_prefix(&a),
        );
        vec![
            // The gateway sends requests; it cannot forge a ledger batch,
            // an order or a ticket, nor wipe a stream.
            ("gateway", gw(), gwi.clone(), b.subject("rpc.hold"), true),
            ("gateway", gw(), gwi.clone(), b.ledger(), false),
            ("gateway", gw(), gwi.clone(), b.subject("orders"), false),
            (
                "gateway",
                gw(),
                gwi.clone(),
                format!("$JS.API.STREAM.PURGE.{}", b.stream),
                false,
            ),
            // Event A's workers write A's stream and their own lease.
            ("worker A", wa(), wai.clone(), a.ledger(), true),
            (
                "worker A",
                wa(),
                wai.clone(),
                format!("$KV.{leases}.{}", a.writer_lease_key()),
                true,
            ),
            // Nothing of event B: not its ledger, its requests, its
            // stream or its writer lease.
            ("worker A", wa(), wai.clone(), b.ledger(), false),
            ("worker A", wa(), wai.clone(), b.subject("rpc.hold"), false),
            (
                "worker A",
                wa(),
                wai.clone(),
                format!("$JS.API.STREAM.INFO.{}", b.stream),
                false,
            ),
            (
                "worker A",
                wa(),
                wai.clone(),
                format!("$KV.{leases}.{}", b.writer_lease_key()),
                false,
            ),
            // Nor remove its own stream, nor make new ones.
            (
                "worker A",
                wa(),
                wai.clone(),
                format!("$JS.API.STREAM.DELETE.{}", a.stream),
                false,
            ),
            (
                "worker A",
                wa(),
                wai.clone(),
                "$JS.API.STREAM.CREATE.mine".into(),
                false,
            ),
            // The operator speaks to the JetStream API only.
            ("operator", op(), opi.clone(), b.subject("rpc.hold"), false),
            ("operator", op(), opi.clone(), b.ledger(), false),
        ]
    };
    for (who, creds, inbox, subject, allowed) in cases {
        let (client, mut events) =
            connect_watching(creds.options(&inbox).unwrap(), nats.url()).await;
        let got = publish_allowed(&client, &mut events, &subject).await;
        assert_eq!(
            got.is_ok(),
            allowed,
            "{who} publishing to {subject}: {got:?}"
        );
    }

    // A worker reads no other event's requests or inbox, nor the gateway's.
    for subject in [
        b.subject("rpc.hold"),
        format!("{}.>", worker_inbox_prefix(&b)),
        format!("{}.>", Component::Gateway.inbox_prefix()),
        "_INBOX.>".to_owned(),
    ] {
        let (worker, mut events) = connect_watching(
            NatsCredentials::from_file(nats.worker_creds_file(&a))
                .options(&worker_inbox_prefix(&a))
                .unwrap(),
            nats.url(),
        )
        .await;
        let _sub = worker.subscribe(subject.clone()).await.unwrap();
        worker.flush().await.unwrap();
        assert!(
            violation(&mut events).await.is_some(),
            "event A's worker subscribed to {subject}"
        );
    }

    // The login buckets live in the LOGIN account: the gateway's login
    // user reaches them, nobody of the SELLOUT account even sees them.
    let login = async_nats::jetstream::new(nats.client_as(Component::Login).await.unwrap());
    login
        .create_key_value(async_nats::jetstream::kv::Config {
            bucket: "sellout_sessions".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(login.get_stream("KV_sellout_sessions").await.is_ok());
    let admin = nats.jetstream().await.unwrap();
    assert!(
        admin.get_stream("KV_sellout_sessions").await.is_err(),
        "the SELLOUT account sees the sessions bucket"
    );
    let worker = async_nats::jetstream::new(nats.client_as_worker(&a).await.unwrap());
    assert!(worker.get_key_value("sellout_sessions").await.is_err());
}

/// NATS over mutual TLS, as the chart pairs it with a NATS of the official
/// chart and cert-manager's certificates: a client without the CA, or
/// with it but without a client certificate, is refused; a component
/// with both connects under its own user, and an event's workers may
/// publish on their event's subjects and are refused another event's.
#[tokio::test]
async fn nats_over_tls_refuses_clients_without_certificates_and_forbidden_publishes() {
    use sellout_common::names::{Names, stream_config};
    use sellout_common::nats_auth::{Component, worker_inbox_prefix};
    use sellout_e2e::Port;
    let dir = sellout_e2e::run_dir().join("nats-tls");
    let files = sellout_e2e::pki::NatsTlsFiles::create(&dir.join("tls")).unwrap();
    let nats = sellout_e2e::Nats::start_tls(&dir, Port::Free, Port::Free, &files)
        .await
        .unwrap();
    assert!(nats.url().starts_with("tls://"), "{}", nats.url());
    let within = |f| tokio::time::timeout(Duration::from_secs(15), f);
    let creds = nats.credentials(Component::Gateway);

    // Without the CA: the server's certificate is not trusted.
    let mut no_ca = creds.clone();
    no_ca.tls = Default::default();
    let refused = within(
        no_ca
            .options(&Component::Gateway.inbox_prefix())
            .unwrap()
            .connect(nats.url()),
    )
    .await
    .expect("an answer within 15 s");
    assert!(refused.is_err(), "connected without the CA");
    // With the CA but no client certificate: the server refuses it.
    let mut no_cert = creds.clone();
    no_cert.tls.nats_tls_cert_file = None;
    no_cert.tls.nats_tls_key_file = None;
    let refused = within(
        no_cert
            .options(&Component::Gateway.inbox_prefix())
            .unwrap()
            .connect(nats.url()),
    )
    .await
    .expect("an answer within 15 s");
    assert!(refused.is_err(), "connected without a client certificate");
    // Two events' streams; the workers of the first, over TLS.
    let (show, other) = (
        Names::for_uid("0b5e7c1e-0000-4000-8000-00000000a001"),
        Names::for_uid("0b5e7c1e-0000-4000-8000-00000000a002"),
    );
    let admin = nats.jetstream().await.unwrap();
    for names in [&show, &other] {
        admin
            .get_or_create_stream(stream_config(names))
            .await
            .unwrap();
    }
    let violations = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = violations.clone();
    let worker = sellout_common::nats_auth::NatsCredentials {
        tls: nats.tls().clone(),
        ..sellout_common::nats_auth::NatsCredentials::from_file(nats.worker_creds_file(&show))
    }
    .options(&worker_inbox_prefix(&show))
    .unwrap()
    .event_callback(move |event| {
        let seen = seen.clone();
        async move {
            if let async_nats::Event::ServerError(e) = event {
                seen.lock().unwrap().push(e.to_string());
            }
        }
    })
    .connect(nats.url())
    .await
    .expect("the event's workers connect over TLS");
    let mut js = jetstream::new(worker);
    js.set_timeout(Duration::from_secs(2));
    let own = js
        .publish(show.subject("orders"), "mine".into())
        .await
        .unwrap()
        .await
        .expect("a publish on its own event's subject is stored");
    assert_eq!(own.stream, show.stream);
    let forbidden = match js.publish(other.subject("orders"), "theirs".into()).await {
        Ok(ack) => ack.await.map(|_| ()),
        Err(e) => Err(e),
    };
    assert!(
        forbidden.is_err(),
        "the workers of one event published on another event's subject"
    );
    let give_up = tokio::time::Instant::now() + Duration::from_secs(5);
    while !violations
        .lock()
        .unwrap()
        .iter()
        .any(|v| v.to_lowercase().contains("permissions violation"))
    {
        assert!(
            tokio::time::Instant::now() < give_up,
            "no permissions violation reported: {:?}",
            violations.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stored = admin
        .get_stream(&other.stream)
        .await
        .unwrap()
        .info()
        .await
        .unwrap()
        .state
        .messages;
    assert_eq!(stored, 0, "nothing reached the other event's stream");
}
