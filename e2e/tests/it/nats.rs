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

#[tokio::test]
async fn nats_refuses_anonymous_clients_and_each_component_gets_only_its_part() {
    use sellout_common::nats_auth::Component;
    let nats = sellout_e2e::nats().await;

    // No credentials, or a made-up key: no connection at all.
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

    let ledger = "sellout.event.abc.ledger";
    let hold = "sellout.event.abc.rpc.hold";
    let cases: &[(Component, &str, bool)] = &[
        // The gateway sends requests; it cannot forge a ledger batch, an
        // order or a ticket, nor wipe a stream.
        (Component::Gateway, hold, true),
        (Component::Gateway, ledger, false),
        (Component::Gateway, "sellout.event.abc.orders", false),
        (
            Component::Gateway,
            "$JS.API.STREAM.PURGE.sellout-event-abc",
            false,
        ),
        // A worker writes its streams; it cannot write or read sessions or
        // login codes.
        (Component::Worker, ledger, true),
        (Component::Worker, "$KV.sellout_sessions.forged", false),
        (Component::Worker, "$KV.sellout_login_codes.k", false),
        (
            Component::Worker,
            "$JS.API.STREAM.INFO.KV_sellout_sessions",
            false,
        ),
        (
            Component::Worker,
            "$JS.API.DIRECT.GET.KV_sellout_login_codes.$KV.sellout_login_codes.k",
            false,
        ),
        (
            Component::Worker,
            "$JS.API.STREAM.DELETE.sellout-event-abc",
            false,
        ),
        // The operator speaks to the JetStream API only.
        (Component::Operator, hold, false),
        (Component::Operator, ledger, false),
    ];
    for (component, subject, allowed) in cases {
        let (client, mut events) =
            connect_watching(nats.credentials(*component).options().unwrap(), nats.url()).await;
        client
            .publish((*subject).to_owned(), "x".into())
            .await
            .unwrap();
        client.flush().await.unwrap();
        let refused = violation(&mut events).await;
        assert_eq!(
            refused.is_none(),
            *allowed,
            "the {} publishing to {subject}: {refused:?}",
            component.name()
        );
    }

    // Nor may a worker watch the login buckets.
    let (worker, mut events) = connect_watching(
        nats.credentials(Component::Worker).options().unwrap(),
        nats.url(),
    )
    .await;
    let _sub = worker.subscribe("$KV.sellout_sessions.>").await.unwrap();
    worker.flush().await.unwrap();
    assert!(
        violation(&mut events).await.is_some(),
        "a worker subscribed to the sessions bucket"
    );
}
