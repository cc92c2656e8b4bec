//! Each event's workers get a NATS user of their own from the operator.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, Patch, PatchParams};
use sellout_common::names::Names;
use sellout_common::nats_auth::{WorkerIssuer, worker_inbox_prefix};
use sellout_crds::Event;

use crate::common::{Manifests, event, kubectl, operator, spawn_operator, wait_for};

const NS: &str = "op-nats-users";
const SHARD: &str = "nats-users";

#[tokio::test]
async fn each_event_gets_a_nats_user_of_its_own() {
    let (api, _shared) = operator().await;
    kubectl(api, &["create", "namespace", NS], None);
    let nats = sellout_e2e::nats().await;
    let (account, signer) = nats.worker_issuer();
    let issuer = WorkerIssuer::from_file(&account, signer).unwrap();
    let ctx = spawn_operator(
        move |ctx| {
            ctx.namespace = Some(NS.into());
            ctx.event_selector = Some(format!("{}={SHARD}", crate::common::SHARD));
            ctx.worker_template.per_event_nats = true;
            ctx.worker_nats = Some(issuer);
        },
        None,
    );
    Manifests::new(NS)
        .venue("hall")
        .event(event("show").shard(SHARD))
        .event(event("other").shard(SHARD))
        .apply(api);
    let client = api.client().await.unwrap();
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let events: Api<Event> = Api::namespaced(client.clone(), NS);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);

    let secret = wait_for("the workers' NATS Secret", 60, || {
        let secrets = secrets.clone();
        async move { secrets.get_opt("show-worker-nats").await.ok().flatten() }
    })
    .await;
    let show = events.get("show").await.unwrap();
    let uid = show.metadata.uid.clone().unwrap();
    // Owned by its Event (it goes with it), naming the account.
    let owner = &secret.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.uid.as_str()),
        ("Event", uid.as_str())
    );
    assert_eq!(owner.controller, Some(true));
    assert_eq!(
        secret.metadata.annotations.as_ref().unwrap()["sellout.io/nats-account"],
        account
    );
    // The checkout Deployment takes its NATS user from it, and its uid.
    let d = wait_for("the checkout Deployment", 60, || {
        let deployments = deployments.clone();
        async move { deployments.get_opt("show-checkout").await.ok().flatten() }
    })
    .await;
    let env = d.spec.unwrap().template.spec.unwrap().containers[0]
        .env
        .clone()
        .unwrap();
    let var = |name: &str| env.iter().find(|v| v.name == name).cloned();
    let creds_ref = var("SELLOUT_NATS_CREDS")
        .and_then(|v| v.value_from?.secret_key_ref)
        .expect("SELLOUT_NATS_CREDS from a Secret");
    assert_eq!(
        (creds_ref.name.as_str(), creds_ref.key.as_str()),
        ("show-worker-nats", "creds")
    );
    assert_eq!(
        var("SELLOUT_EVENT_UID").and_then(|v| v.value),
        Some(uid.clone())
    );

    // The user reaches its event's stream and not the other event's.
    let creds = String::from_utf8(secret.data.as_ref().unwrap()["creds"].0.clone()).unwrap();
    let names = Names::for_uid(&uid);
    let other = Names::for_uid(&events.get("other").await.unwrap().metadata.uid.unwrap());
    let admin = nats.jetstream().await.unwrap();
    wait_for("both events' streams", 60, || {
        let admin = admin.clone();
        let (a, b) = (names.stream.clone(), other.stream.clone());
        async move {
            (admin.get_stream(&a).await.is_ok() && admin.get_stream(&b).await.is_ok()).then_some(())
        }
    })
    .await;
    let worker = async_nats::ConnectOptions::with_credentials(&creds)
        .unwrap()
        .custom_inbox_prefix(worker_inbox_prefix(&names))
        .connect(nats.url())
        .await
        .unwrap();
    let mut js = async_nats::jetstream::new(worker);
    js.set_timeout(Duration::from_secs(2));
    js.get_stream(&names.stream)
        .await
        .expect("its own stream's info");
    assert!(
        js.get_stream(&other.stream).await.is_err(),
        "event show's workers read event other's stream"
    );

    // Later reconciles keep the user: pods already running stay valid.
    let version = secret.metadata.resource_version.clone();
    events
        .patch(
            "show",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"metadata": {"labels": {"touched": "yes"}}})),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let again = secrets.get("show-worker-nats").await.unwrap();
    assert_eq!(
        again.metadata.resource_version, version,
        "the user was minted again"
    );
    ctx.shutdown.cancel();
}
