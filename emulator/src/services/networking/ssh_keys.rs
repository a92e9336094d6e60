//! SSH key material that looks like Lightsail's: an `ssh-rsa` public key in OpenSSH form, a PEM
//! `RSA PRIVATE KEY`, and a fingerprint in colon-separated hex.
//!
//! Not cryptography: the modulus is 256 random bytes from the emulator's id streams (deterministic
//! under `--deterministic`), wrapped in the real wire structures (the OpenSSH `ssh-rsa` blob with
//! exponent 65537; a PKCS#1 DER header with the same modulus, padded with random bytes to the size of
//! a 2048-bit key), so clients that check the shape (prefix `AAAAB3NzaC1yc2E`, `MIIE...`, 64-column
//! PEM lines) accept it. Nobody can log in with it. Fingerprints are SHA-256 digests cut to the
//! length of the service's (20 bytes for keys Lightsail creates, where the service uses SHA-1 of the
//! private key; 16 for imported ones, where it uses MD5 of the public key), because the emulator has
//! SHA-256 at hand and no SHA-1 or MD5; they are stable for the same key, which is what clients rely on.

use sha2::{Digest, Sha256};

use crate::engine::ids::{encode_base64, IdSource};

/// A generated key pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMaterial {
    /// `ssh-rsa AAAAB3NzaC1yc2E...` (OpenSSH public key line, no comment).
    pub public_key: String,
    /// `-----BEGIN RSA PRIVATE KEY-----` ... (PEM, 64-column lines).
    pub private_key: String,
    /// 20 bytes in colon-separated lowercase hex.
    pub fingerprint: String,
}

/// The length of a 2048-bit RSA private key in PKCS#1 DER (`30 82 04 a4` + 0x4a4 bytes).
const PRIVATE_DER_LEN: usize = 1192;

fn ssh_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Colon-separated lowercase hex of the first `bytes` bytes of SHA-256(`data`).
pub fn fingerprint(data: &[u8], bytes: usize) -> String {
    let digest = Sha256::digest(data);
    digest[..bytes.min(digest.len())]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A new key pair.
pub fn generate(ids: &mut IdSource) -> KeyMaterial {
    let mut modulus = ids.bytes(256);
    modulus[0] |= 0x80;
    let mut blob = Vec::with_capacity(279);
    ssh_string(&mut blob, b"ssh-rsa");
    ssh_string(&mut blob, &[0x01, 0x00, 0x01]);
    let mut mpint = Vec::with_capacity(257);
    mpint.push(0);
    mpint.extend_from_slice(&modulus);
    ssh_string(&mut blob, &mpint);
    let public_key = format!("ssh-rsa {}", encode_base64(&blob));

    let mut der = vec![
        0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00,
    ];
    der.extend_from_slice(&modulus);
    der.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
    let rest = PRIVATE_DER_LEN - der.len();
    der.extend_from_slice(&ids.bytes(rest));
    let body = encode_base64(&der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap_or(""))
        .collect();
    let private_key = format!(
        "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
        lines.join("\n")
    );
    KeyMaterial {
        public_key,
        private_key,
        fingerprint: fingerprint(&der, 20),
    }
}

/// The key types an imported public key may have.
const KEY_TYPES: &[&str] = &[
    "ssh-rsa",
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
];

/// Whether `text` is an OpenSSH public key line (`TYPE BASE64 [comment]`) or a bare base64 key.
pub fn is_public_key(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let key = if KEY_TYPES.contains(&first) {
        match words.next() {
            Some(key) => key,
            None => return false,
        }
    } else {
        first
    };
    key.len() >= 16
        && key.len() % 4 == 0
        && key
            .trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_the_real_shapes() {
        let mut ids = IdSource::new(true);
        let key = generate(&mut ids);
        assert!(key
            .public_key
            .starts_with("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ"));
        assert_eq!(key.public_key.len(), "ssh-rsa ".len() + 372);
        assert!(is_public_key(&key.public_key));
        assert!(key
            .private_key
            .starts_with("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA"));
        assert!(key.private_key.ends_with("\n-----END RSA PRIVATE KEY-----"));
        assert!(key
            .private_key
            .lines()
            .all(|line| line.len() <= 64 || line.starts_with("-----")));
        assert_eq!(key.fingerprint.len(), 20 * 3 - 1);
        let again = generate(&mut IdSource::new(true));
        assert_eq!(key, again, "deterministic streams give the same key");
        assert_ne!(key, generate(&mut ids), "a second key differs");
    }

    #[test]
    fn public_key_shapes() {
        assert!(is_public_key(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample+Key/abc user@host"
        ));
        assert!(is_public_key("AAAAB3NzaC1yc2EAAAADAQABAAABAQ=="));
        assert!(!is_public_key("ssh-rsa"));
        assert!(!is_public_key("not a key"));
        assert!(!is_public_key(""));
    }
}
