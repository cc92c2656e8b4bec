//! The gateway's HTTP routes: `/graphql` (GraphiQL on GET), `/healthz`,
//! `/readyz` and `/webhooks/stripe`.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use prost::Message;
use sellout_common::names::Names;
use sellout_common::proto::v1::{ErrorCode, OrderReply, StripeWebhook, order_reply};
use sellout_workers::payments::WebhookVerifier;
use sellout_workers::payments::webhook::SIGNATURE_HEADER;

use crate::schema::{Deps, GatewaySchema, schema};

/// Shared state of the routes.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: GatewaySchema,
    /// What the schema uses (also for readiness).
    pub deps: Deps,
    /// Checks Stripe's signature before forwarding, when the gateway has
    /// the webhook secret (the worker checks it again).
    pub webhook: Option<Arc<WebhookVerifier>>,
}

/// The router.
pub fn router(deps: Deps, webhook: Option<WebhookVerifier>) -> Router {
    let state = AppState {
        schema: schema(deps.clone()),
        deps,
        webhook: webhook.map(Arc::new),
    };
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/webhooks/stripe", post(stripe_webhook))
        .with_state(state)
}

async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

async fn graphql(
    State(s): State<AppState>,
    headers: HeaderMap,
    req: GraphQLRequest,
) -> GraphQLResponse {
    let authorization = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = s.deps.auth.viewer(authorization);
    s.schema.execute(req.into_inner().data(viewer)).await.into()
}

async fn ready(State(s): State<AppState>) -> (StatusCode, String) {
    let nats = s.deps.nats.connection_state() == async_nats::connection::State::Connected;
    let api = tokio::time::timeout(Duration::from_secs(2), s.deps.kube.apiserver_version())
        .await
        .is_ok_and(|r| r.is_ok());
    let mongo = tokio::time::timeout(
        Duration::from_secs(2),
        s.deps.mongo.run_command(mongodb::bson::doc! {"ping": 1}),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    let catalog = s.deps.catalog.is_ready();
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    let body = format!(
        "nats: {}\napi server: {}\nmongodb: {}\ncatalog: {}\n",
        word(nats),
        word(api),
        word(mongo),
        if catalog { "synced" } else { "syncing" }
    );
    if nats && api && mongo && catalog {
        (StatusCode::OK, body)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body)
    }
}

/// Which event a Stripe event is about: the `event_uid` metadata Sellout
/// puts on every PaymentIntent.
fn event_uid(payload: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
    v.pointer("/data/object/metadata/event_uid")?
        .as_str()
        .map(str::to_owned)
}

/// `POST /webhooks/stripe`: checks the signature (when the gateway has the
/// secret), hands the delivery to the checkout workers of the event named
/// in its metadata over NATS, and answers 2xx only once they have taken
/// it; Stripe retries anything else.
async fn stripe_webhook(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let signature = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if let Some(v) = &s.webhook
        && let Err(e) = v.verify(&body, Some(&signature))
    {
        return (StatusCode::BAD_REQUEST, format!("{e}\n"));
    }
    let Some(uid) = event_uid(&body) else {
        return (
            StatusCode::OK,
            "ignored: not about a Sellout order\n".into(),
        );
    };
    let subject = Names::for_uid(&uid).subject("rpc.order.webhook");
    let msg = StripeWebhook {
        payload: body.to_vec(),
        signature,
    };
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        s.deps.nats.request(subject, msg.encode_to_vec().into()),
    )
    .await;
    match answer {
        Ok(Ok(m)) => match OrderReply::decode(m.payload.as_ref()) {
            Ok(OrderReply {
                result: Some(order_reply::Result::Webhook(done)),
            }) => (StatusCode::OK, format!("{done}\n")),
            Ok(OrderReply {
                result: Some(order_reply::Result::Error(e)),
            }) if e.code() == ErrorCode::BadSignature => {
                (StatusCode::BAD_REQUEST, format!("{}\n", e.message))
            }
            Ok(OrderReply {
                result: Some(order_reply::Result::Error(e)),
            }) if e.code() == ErrorCode::UnknownOrder => {
                (StatusCode::OK, format!("ignored: {}\n", e.message))
            }
            Ok(other) => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("the checkout workers did not take it: {other:?}\n"),
            ),
            Err(e) => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("undecodable answer from the checkout workers: {e}\n"),
            ),
        },
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("no checkout worker took it ({e}); Stripe will retry\n"),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the checkout workers did not answer in time; Stripe will retry\n".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_comes_from_the_payment_intents_metadata() {
        let body = br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","metadata":{"order_id":"o","event_uid":"u-1"}}}}"#;
        assert_eq!(event_uid(body).as_deref(), Some("u-1"));
        assert_eq!(event_uid(br#"{"data":{"object":{}}}"#), None);
        assert_eq!(event_uid(b"not json"), None);
    }
}
