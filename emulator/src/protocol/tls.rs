//! The optional HTTPS listener's certificate: a throwaway CA and a leaf for `127.0.0.1`/`localhost`.
//!
//! A separate CA (rather than one self-signed leaf) keeps strict X.509 verifiers happy: OpenSSL-based
//! clients such as `aws --ca-bundle CA.pem` trust the CA written to `cert_out` and then verify the leaf
//! by name and IP address. Both are generated afresh at every start; nothing is reused.

use std::io;
use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

fn tls_error<E: std::fmt::Display>(error: E) -> io::Error {
    io::Error::other(format!("TLS set-up failed: {error}"))
}

/// Generates the CA and leaf, writes the CA as PEM to `cert_out` (when given), and builds the server
/// configuration.
pub fn server_config(cert_out: Option<&Path>) -> io::Result<Arc<rustls::ServerConfig>> {
    let ca_key = KeyPair::generate().map_err(tls_error)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_error)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "lightsail-emulator test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = ca_params.self_signed(&ca_key).map_err(tls_error)?;

    let leaf_key = KeyPair::generate().map_err(tls_error)?;
    let mut leaf_params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .map_err(tls_error)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca, &ca_key)
        .map_err(tls_error)?;

    if let Some(path) = cert_out {
        std::fs::write(path, ca.pem())?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
        .map_err(tls_error)?;
    Ok(Arc::new(config))
}
