//! A throwaway PKI for the API server, as controller-runtime's envtest
//! makes one: a CA, a serving certificate for 127.0.0.1/localhost, an admin
//! client certificate in group `system:masters`, and a service-account
//! signing key.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

use crate::{Error, Result};

/// PEM files written into a directory.
#[derive(Clone, Debug)]
pub struct Pki {
    /// CA certificate (clients trust it; the API server verifies client
    /// certificates against it).
    pub ca_cert: PathBuf,
    /// API server serving certificate and key.
    pub serving_cert: PathBuf,
    /// Key of `serving_cert`.
    pub serving_key: PathBuf,
    /// Admin client certificate (CN `sellout-admin`, O `system:masters`).
    pub admin_cert: PathBuf,
    /// Key of `admin_cert`.
    pub admin_key: PathBuf,
    /// ECDSA key that signs service-account tokens.
    pub service_account_key: PathBuf,
    /// Its public half, which verifies them.
    pub service_account_pub: PathBuf,
}

impl Pki {
    /// Reuses the PKI in `dir` if it is complete, otherwise creates a new one.
    pub fn load_or_create(dir: &Path) -> Result<Self> {
        let pki = Pki {
            ca_cert: dir.join("ca.crt"),
            serving_cert: dir.join("apiserver.crt"),
            serving_key: dir.join("apiserver.key"),
            admin_cert: dir.join("admin.crt"),
            admin_key: dir.join("admin.key"),
            service_account_key: dir.join("sa.key"),
            service_account_pub: dir.join("sa.pub"),
        };
        let all = [
            &pki.ca_cert,
            &pki.serving_cert,
            &pki.serving_key,
            &pki.admin_cert,
            &pki.admin_key,
            &pki.service_account_key,
            &pki.service_account_pub,
        ];
        if all.iter().all(|p| p.is_file()) {
            return Ok(pki);
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let files = generate().map_err(|e| Error::other(format!("generate certificates: {e}")))?;
        for (path, pem) in all.iter().zip(files) {
            write_private(path, &pem)?;
        }
        Ok(pki)
    }
}

/// Writes `contents` to `path`, readable by the owner only (mode 0600),
/// also when the file already existed with a wider mode.
pub(crate) fn write_private(path: &Path, contents: &str) -> Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let err = |e| Error::io(format!("write {}", path.display()), e);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(err)?;
    // `mode` applies only to a new file; an old one was emptied above and is
    // narrowed before anything is written into it.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(err)?;
    std::io::Write::write_all(&mut f, contents.as_bytes()).map_err(err)
}

/// Returns PEM texts in the order of the `Pki` fields.
/// A new self-signed CA named `name`.
fn new_ca(name: &str) -> Result<CertifiedIssuer<'static, KeyPair>, rcgen::Error> {
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name.push(DnType::CommonName, name);
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(ca, KeyPair::generate()?)
}

fn generate() -> Result<[String; 7], rcgen::Error> {
    let ca = new_ca("sellout-e2e-ca")?;

    let serving_key = KeyPair::generate()?;
    let mut serving = CertificateParams::new(vec![
        "127.0.0.1".to_owned(),
        "localhost".to_owned(),
        "kubernetes".to_owned(),
        "kubernetes.default".to_owned(),
        "kubernetes.default.svc".to_owned(),
    ])?;
    serving
        .distinguished_name
        .push(DnType::CommonName, "kube-apiserver");
    serving.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    serving.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let serving_cert = serving.signed_by(&serving_key, &ca)?;

    let admin_key = KeyPair::generate()?;
    let mut admin = CertificateParams::new(Vec::<String>::new())?;
    admin
        .distinguished_name
        .push(DnType::CommonName, "sellout-admin");
    admin
        .distinguished_name
        .push(DnType::OrganizationName, "system:masters");
    admin.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    admin.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let admin_cert = admin.signed_by(&admin_key, &ca)?;

    let sa_key = KeyPair::generate()?;
    Ok([
        ca.pem(),
        serving_cert.pem(),
        serving_key.serialize_pem(),
        admin_cert.pem(),
        admin_key.serialize_pem(),
        sa_key.serialize_pem(),
        sa_key.public_key_pem(),
    ])
}

/// PEM files of a NATS server's TLS with client verification, as
/// cert-manager would issue them: a CA, the server's certificate for
/// 127.0.0.1/localhost, and one client certificate.
#[derive(Clone, Debug)]
pub struct NatsTlsFiles {
    /// The CA (`ca.crt`), which clients trust and the server verifies
    /// clients with.
    pub ca: PathBuf,
    /// The server's certificate.
    pub server_cert: PathBuf,
    /// Its key.
    pub server_key: PathBuf,
    /// A client certificate (`tls.crt`).
    pub client_cert: PathBuf,
    /// Its key (`tls.key`).
    pub client_key: PathBuf,
}

impl NatsTlsFiles {
    /// Makes them in `dir`.
    pub fn create(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("create {}", dir.display()), e))?;
        let files = NatsTlsFiles {
            ca: dir.join("ca.crt"),
            server_cert: dir.join("server.crt"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("tls.crt"),
            client_key: dir.join("tls.key"),
        };
        let pems = nats_tls().map_err(|e| Error::other(format!("generate certificates: {e}")))?;
        for (path, pem) in [
            &files.ca,
            &files.server_cert,
            &files.server_key,
            &files.client_cert,
            &files.client_key,
        ]
        .iter()
        .zip(pems)
        {
            write_private(path, &pem)?;
        }
        Ok(files)
    }
}

fn nats_tls() -> Result<[String; 5], rcgen::Error> {
    let ca = new_ca("sellout-e2e-nats-ca")?;
    let server_key = KeyPair::generate()?;
    let mut server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])?;
    server
        .distinguished_name
        .push(DnType::CommonName, "nats-server");
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server.signed_by(&server_key, &ca)?;
    let client_key = KeyPair::generate()?;
    let mut client = CertificateParams::new(Vec::<String>::new())?;
    client
        .distinguished_name
        .push(DnType::CommonName, "sellout-component");
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_cert = client.signed_by(&client_key, &ca)?;
    Ok([
        ca.pem(),
        server_cert.pem(),
        server_key.serialize_pem(),
        client_cert.pem(),
        client_key.serialize_pem(),
    ])
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn write_private_narrows_an_existing_file() {
        let dir = crate::run_dir().join("write-private");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("kubeconfig");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, "secret").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "secret");
    }
}
