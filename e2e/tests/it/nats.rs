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
