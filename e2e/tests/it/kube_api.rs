//! kube-apiserver: CRDs, Server-Side Apply, watches and CEL validation.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams, PostParams};
use kube::runtime::wait::{await_condition, conditions};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{CustomResource, CustomResourceExt, KubeSchema, Resource};
use serde::{Deserialize, Serialize};

/// A throwaway kind for the smoke test, with one CEL rule.
#[derive(CustomResource, KubeSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "smoke.sellout.io",
    version = "v1",
    kind = "Gadget",
    namespaced
)]
#[x_kube(validation = Rule::new("self.min <= self.max").message("min must not exceed max"))]
pub struct GadgetSpec {
    min: i32,
    max: i32,
}

async fn install_crd(client: &kube::Client) -> Api<Gadget> {
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let crd = Gadget::crd();
    let name = crd.metadata.name.clone().expect("crd name");
    crds.patch(
        &name,
        &PatchParams::apply("sellout-e2e").force(),
        &Patch::Apply(&crd),
    )
    .await
    .expect("apply CRD");
    tokio::time::timeout(
        Duration::from_secs(30),
        await_condition(crds, &name, conditions::is_crd_established()),
    )
    .await
    .expect("CRD established within 30s")
    .expect("watch CRD");
    Api::namespaced(client.clone(), "default")
}

#[tokio::test]
async fn crd_server_side_apply_watch_and_cel() {
    let api = sellout_e2e::kube().await;
    let client = api.client().await.unwrap();

    // The server reports the version we built, not a Go module default.
    let version = client.apiserver_version().await.unwrap();
    assert_eq!(version.git_version, "v1.36.3", "{version:?}");

    let gadgets = install_crd(&client).await;

    // A watcher started before the object exists must see it appear.
    let mut seen = watcher(gadgets.clone(), watcher::Config::default())
        .applied_objects()
        .boxed();

    let mut g = Gadget::new("first", GadgetSpec { min: 1, max: 3 });
    g.meta_mut().namespace = Some("default".into());
    let applied = gadgets
        .patch(
            "first",
            &PatchParams::apply("sellout-e2e").force(),
            &Patch::Apply(&g),
        )
        .await
        .unwrap();
    assert_eq!(applied.spec, g.spec);
    let managers: Vec<_> = applied
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert!(managers.contains(&"sellout-e2e".to_owned()), "{managers:?}");

    let read = gadgets.get("first").await.unwrap();
    assert_eq!(read.spec, GadgetSpec { min: 1, max: 3 });

    let from_watch = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let obj = seen.try_next().await.unwrap().expect("watch ended");
            if obj.metadata.name.as_deref() == Some("first") {
                return obj;
            }
        }
    })
    .await
    .expect("watcher saw the object within 20s");
    assert_eq!(from_watch.spec, g.spec);

    // The CEL rule rejects min > max with its message, and nothing is stored.
    let bad = Gadget::new("bad", GadgetSpec { min: 5, max: 1 });
    let err = gadgets
        .create(&PostParams::default(), &bad)
        .await
        .unwrap_err();
    let kube::Error::Api(status) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(status.code, 422, "{status:?}");
    assert!(
        status.message.contains("min must not exceed max"),
        "{}",
        status.message
    );
    assert!(gadgets.get_opt("bad").await.unwrap().is_none());
}

#[tokio::test]
async fn kubectl_uses_the_written_kubeconfig() {
    let api = sellout_e2e::kube().await;
    let out = api
        .kubectl()
        .unwrap()
        .args([
            "get",
            "namespace",
            "default",
            "-o",
            "jsonpath={.metadata.name}",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "default");
}
