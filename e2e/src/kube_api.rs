//! A real Kubernetes API server: etcd plus kube-apiserver, started the way
//! controller-runtime's envtest starts them (no kubelet, no controller
//! manager, no scheduler).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::pki::{Pki, write_private};
use crate::process::{Process, wait_ready};
use crate::{Error, Port, Result, start_retrying_ports, tools};

/// Ports for the API server and its etcd.
#[derive(Clone, Copy, Debug)]
pub struct Ports {
    /// kube-apiserver's secure port.
    pub apiserver: Port,
    /// etcd's client port.
    pub etcd_client: Port,
    /// etcd's peer port.
    pub etcd_peer: Port,
}

impl Ports {
    /// Any free ports.
    pub fn free() -> Self {
        Ports {
            apiserver: Port::Free,
            etcd_client: Port::Free,
            etcd_peer: Port::Free,
        }
    }
}

/// A running API server with its etcd, and an admin kubeconfig for it.
#[derive(Debug)]
pub struct KubeApi {
    // Field order is drop order: the API server stops before its etcd.
    apiserver: Process,
    etcd: Process,
    url: String,
    kubeconfig: PathBuf,
}

impl KubeApi {
    /// Starts etcd and kube-apiserver with their data under `dir` and waits
    /// until the API server reports ready. An existing `dir` (from an
    /// earlier `make dev`) keeps its data and certificates.
    pub async fn start(dir: &Path, ports: Ports) -> Result<Self> {
        let etcd_bin = tools::binary("etcd", "etcd")?;
        let apiserver_bin = tools::binary("kube-apiserver", "kube")?;
        Self::start_with(dir, ports, &etcd_bin, &apiserver_bin).await
    }

    async fn start_with(
        dir: &Path,
        ports: Ports,
        etcd_bin: &Path,
        apiserver_bin: &Path,
    ) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let pki = Pki::load_or_create(&dir.join("pki"))?;

        let (etcd, etcd_url) = start_retrying_ports(ports.etcd_client, |client| {
            let (etcd_bin, dir) = (etcd_bin.to_owned(), dir.to_owned());
            async move { start_etcd(&etcd_bin, &dir, client, ports.etcd_peer).await }
        })
        .await?;

        // Waiting for readiness is part of each attempt: an API server that
        // loses its port exits only after it has started, and must be
        // retried on another port, not reported as failed.
        let kubeconfig = dir.join("kubeconfig");
        let (apiserver, url) = start_retrying_ports(ports.apiserver, |port| {
            let (bin, dir, pki, etcd_url, kubeconfig) = (
                apiserver_bin.to_owned(),
                dir.to_owned(),
                pki.clone(),
                etcd_url.clone(),
                kubeconfig.clone(),
            );
            async move {
                let (proc, url) = start_apiserver(&bin, &dir, &pki, &etcd_url, port)?;
                write_kubeconfig(&kubeconfig, &url, &pki)?;
                wait_apiserver_ready(&proc, &kubeconfig).await?;
                Ok((proc, url))
            }
        })
        .await?;

        Ok(KubeApi {
            apiserver,
            etcd,
            url,
            kubeconfig,
        })
    }

    /// The API server's URL (`https://127.0.0.1:<port>`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Path of an admin kubeconfig (group `system:masters`) for `kubectl
    /// --kubeconfig` and for [`client`](Self::client).
    pub fn kubeconfig(&self) -> &Path {
        &self.kubeconfig
    }

    /// A new admin client, bound to the caller's Tokio runtime.
    pub async fn client(&self) -> Result<kube::Client> {
        client(&self.kubeconfig).await
    }

    /// A `kubectl` command (the one the tools script built) pointed at this
    /// API server. Each command gets an empty discovery cache: kubectl's
    /// cache lives for hours, so a command run after CRDs were installed
    /// would otherwise still see the API as it was before (and the default
    /// cache, keyed by host and port, would mix up API servers that reuse a
    /// port).
    pub fn kubectl(&self) -> Result<Command> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let cache = self
            .kubeconfig
            .with_file_name("kubectl-cache")
            .join(N.fetch_add(1, Ordering::Relaxed).to_string());
        let mut cmd = Command::new(tools::binary("kubectl", "kube")?);
        cmd.arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(cache);
        Ok(cmd)
    }

    /// The API server process (to read its log).
    pub fn apiserver_process(&self) -> &Process {
        &self.apiserver
    }

    /// The etcd process.
    pub fn etcd_process(&self) -> &Process {
        &self.etcd
    }

    /// Stops the API server, then etcd.
    pub fn stop(&self) {
        self.apiserver.stop(Duration::from_secs(10));
        self.etcd.stop(Duration::from_secs(10));
    }
}

async fn client(kubeconfig: &Path) -> Result<kube::Client> {
    let kc = Kubeconfig::read_from(kubeconfig)
        .map_err(|e| Error::other(format!("read kubeconfig: {e}")))?;
    let config = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .map_err(|e| Error::other(format!("load kubeconfig: {e}")))?;
    kube::Client::try_from(config).map_err(|e| Error::other(format!("build kube client: {e}")))
}

/// Waits until the API server answers `/readyz` and has created the
/// `default` namespace, failing early (with its log) if it exits.
async fn wait_apiserver_ready(apiserver: &Process, kubeconfig: &Path) -> Result<()> {
    let client = client(kubeconfig).await?;
    wait_ready(apiserver, Duration::from_secs(90), || {
        let client = client.clone();
        async move {
            let req = http::Request::get("/readyz")
                .body(Vec::new())
                .map_err(|e| e.to_string())?;
            match client.request_text(req).await {
                Ok(body) if body.trim() == "ok" => Ok(()),
                Ok(body) => Err(format!("/readyz answered {body:?}")),
                Err(e) => Err(e.to_string()),
            }
        }
    })
    .await?;
    // /readyz can pass a moment before the default namespace exists.
    let namespaces: kube::Api<k8s_openapi::api::core::v1::Namespace> = kube::Api::all(client);
    wait_ready(apiserver, Duration::from_secs(30), || {
        let namespaces = namespaces.clone();
        async move { namespaces.get("default").await.map(|_| ()) }
    })
    .await?;
    Ok(())
}

async fn start_etcd(bin: &Path, dir: &Path, client: Port, peer: Port) -> Result<(Process, String)> {
    let client_url = format!("http://127.0.0.1:{}", client.pick()?);
    let peer_url = format!("http://127.0.0.1:{}", peer.pick()?);
    let mut cmd = Command::new(bin);
    cmd.arg("--name=sellout")
        .arg(format!("--data-dir={}", dir.join("etcd").display()))
        .arg(format!("--listen-client-urls={client_url}"))
        .arg(format!("--advertise-client-urls={client_url}"))
        .arg(format!("--listen-peer-urls={peer_url}"))
        .arg(format!("--initial-advertise-peer-urls={peer_url}"))
        .arg(format!("--initial-cluster=sellout={peer_url}"))
        .arg("--log-level=warn")
        // Tests and dev data do not need fsync; it costs seconds per run.
        .arg("--unsafe-no-fsync");
    let proc = Process::spawn("etcd", cmd, &dir.join("etcd.log"))?;
    let health = format!("{client_url}/health");
    let http = reqwest::Client::new();
    wait_ready(&proc, Duration::from_secs(30), || {
        let (http, health) = (http.clone(), health.clone());
        async move {
            let body = http
                .get(&health)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .text()
                .await
                .map_err(|e| e.to_string())?;
            if body.contains("\"health\":\"true\"") {
                Ok(())
            } else {
                Err(format!("etcd /health answered {body}"))
            }
        }
    })
    .await?;
    Ok((proc, client_url))
}

fn start_apiserver(
    bin: &Path,
    dir: &Path,
    pki: &Pki,
    etcd_url: &str,
    port: Port,
) -> Result<(Process, String)> {
    let port = port.pick()?;
    let url = format!("https://127.0.0.1:{port}");
    let mut cmd = Command::new(bin);
    cmd.arg(format!("--etcd-servers={etcd_url}"))
        .arg("--bind-address=127.0.0.1")
        .arg("--advertise-address=127.0.0.1")
        .arg(format!("--secure-port={port}"))
        .arg(format!("--cert-dir={}", dir.join("pki").display()))
        .arg(format!("--tls-cert-file={}", pki.serving_cert.display()))
        .arg(format!(
            "--tls-private-key-file={}",
            pki.serving_key.display()
        ))
        .arg(format!("--client-ca-file={}", pki.ca_cert.display()))
        .arg(format!(
            "--service-account-key-file={}",
            pki.service_account_pub.display()
        ))
        .arg(format!(
            "--service-account-signing-key-file={}",
            pki.service_account_key.display()
        ))
        .arg(format!("--service-account-issuer={url}/"))
        // The largest range allowed: benchmarks create thousands of Services.
        .arg("--service-cluster-ip-range=10.96.0.0/12")
        .arg("--allow-privileged=true")
        .arg("--authorization-mode=RBAC")
        // No controller manager runs to create service-account tokens.
        .arg("--disable-admission-plugins=ServiceAccount")
        .arg("--v=0");
    let proc = Process::spawn("kube-apiserver", cmd, &dir.join("kube-apiserver.log"))?;
    Ok((proc, url))
}

fn write_kubeconfig(path: &Path, url: &str, pki: &Pki) -> Result<()> {
    let read =
        |p: &Path| std::fs::read(p).map_err(|e| Error::io(format!("read {}", p.display()), e));
    let kubeconfig = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "sellout", "cluster": {
            "server": url,
            "certificate-authority-data": B64.encode(read(&pki.ca_cert)?),
        }}],
        "users": [{"name": "sellout-admin", "user": {
            "client-certificate-data": B64.encode(read(&pki.admin_cert)?),
            "client-key-data": B64.encode(read(&pki.admin_key)?),
        }}],
        "contexts": [{"name": "sellout", "context": {"cluster": "sellout", "user": "sellout-admin"}}],
        "current-context": "sellout",
    });
    let text = serde_json::to_string_pretty(&kubeconfig).map_err(Error::other)?;
    // It holds the admin's client key.
    write_private(path, &text)
}

/// Moves Event `event` of `namespace` to a single day being scanned now
/// (doors an hour ago, the show from now for four hours), so that scan
/// workers, which take the day from their clock, admit its tickets.
pub async fn doors_open_now(client: kube::Client, namespace: &str, event: &str) -> Result<()> {
    let hour = 3_600;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let at = |s: i64| {
        k8s_openapi::jiff::Timestamp::from_second(s)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let patch = serde_json::json!({"spec": {"days": [{
        "doorsAt": at(now - hour), "startsAt": at(now), "endsAt": at(now + 4 * hour)
    }]}});
    let api: kube::Api<kube::api::DynamicObject> = kube::Api::namespaced_with(
        client,
        namespace,
        &kube::api::ApiResource {
            group: "sellout.io".into(),
            version: "v1alpha1".into(),
            api_version: "sellout.io/v1alpha1".into(),
            kind: "Event".into(),
            plural: "events".into(),
        },
    );
    api.patch(
        event,
        &kube::api::PatchParams::default(),
        &kube::api::Patch::Merge(&patch),
    )
    .await
    .map_err(|e| Error::Other(format!("move the days of Event {namespace}/{event}: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// An API server that loses the race for its port after the readiness
    /// wait has begun is started again on another port.
    #[tokio::test]
    async fn a_port_lost_after_start_is_retried_on_another_port() {
        let dir = crate::run_dir().join("kube-late-port-loss");
        std::fs::create_dir_all(&dir).unwrap();
        let real = tools::binary("kube-apiserver", "kube").unwrap();
        let etcd = tools::binary("etcd", "etcd").unwrap();
        // The first start runs for two seconds, then fails the way
        // kube-apiserver does when its port was taken; the next runs the
        // real server.
        let fake = dir.join("kube-apiserver");
        let script = format!(
            "#!/bin/sh\n\
             if [ ! -e \"$0.first\" ]; then\n\
             \x20 : > \"$0.first\"\n\
             \x20 sleep 2\n\
             \x20 echo 'E0101 run.go:72] \"command failed\" err=\"failed to create listener: \
             failed to listen on 127.0.0.1:1: listen tcp 127.0.0.1:1: bind: address already in use\"' >&2\n\
             \x20 exit 1\n\
             fi\n\
             exec '{}' \"$@\"\n",
            real.display()
        );
        std::fs::write(&fake, script).unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();

        let api = KubeApi::start_with(&dir.join("kube"), Ports::free(), &etcd, &fake)
            .await
            .unwrap_or_else(|e| panic!("not retried: {e}"));
        assert!(dir.join("kube-apiserver.first").exists());
        let namespaces: kube::Api<k8s_openapi::api::core::v1::Namespace> =
            kube::Api::all(api.client().await.unwrap());
        namespaces.get("default").await.unwrap();

        // The kubeconfig and the keys hold credentials: owner only.
        assert_eq!(mode(api.kubeconfig()), 0o600);
        let pki = dir.join("kube").join("pki");
        for key in ["admin.key", "apiserver.key", "sa.key"] {
            assert_eq!(mode(&pki.join(key)), 0o600, "{key}");
        }
        api.stop();
    }
}
