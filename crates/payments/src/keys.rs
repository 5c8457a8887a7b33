//! RSA key handling shared by the Alipay and WeChat Pay protocols: loading PEM
//! keys in every form the providers hand out (PKCS#8 / PKCS#1 private keys,
//! SPKI / PKCS#1 public keys, and Alipay's bare base64 bodies), generating keys
//! for the sandbox, and SHA256withRSA (PKCS#1 v1.5) signatures in base64.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Why a key could not be loaded, generated, encoded or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is not a key in any accepted form.
    #[error("not a usable RSA key: {0}")]
    Invalid(String),
    /// The key file could not be read or does not hold a usable key.
    #[error("key file {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// Key generation failed.
    #[error("RSA key generation failed: {0}")]
    Generate(String),
    /// Encoding a key as PEM failed.
    #[error("PEM encoding failed: {0}")]
    Encode(String),
    /// Signing failed.
    #[error("RSA signing failed: {0}")]
    Sign(String),
}

/// Strips whitespace from a bare base64 body and wraps it in PEM armour with
/// the given label, 64 characters a line.
fn armour(body: &str, label: &str) -> String {
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = format!("-----BEGIN {label}-----\n");
    let bytes = compact.as_bytes();
    for chunk in bytes.chunks(64) {
        // Chunks of an ASCII-filtered string; non-ASCII input fails decoding later anyway.
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Whether the text looks like a bare base64 body (no PEM armour).
fn is_bare(text: &str) -> bool {
    !text.contains("-----BEGIN")
}

/// Parses an RSA private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
/// (`BEGIN RSA PRIVATE KEY`); a bare base64 body without armour is tried as
/// PKCS#8 and then PKCS#1.
pub fn private_key_from_pem(pem: &str) -> Result<RsaPrivateKey, KeyError> {
    let text = pem.trim();
    if text.is_empty() {
        return Err(KeyError::Invalid("empty input".into()));
    }
    if is_bare(text) {
        if let Ok(k) = RsaPrivateKey::from_pkcs8_pem(&armour(text, "PRIVATE KEY")) {
            return Ok(k);
        }
        return RsaPrivateKey::from_pkcs1_pem(&armour(text, "RSA PRIVATE KEY"))
            .map_err(|e| KeyError::Invalid(format!("bare base64 is neither a PKCS#8 nor a PKCS#1 private key: {e}")));
    }
    if text.contains("-----BEGIN RSA PRIVATE KEY-----") {
        return RsaPrivateKey::from_pkcs1_pem(text).map_err(|e| KeyError::Invalid(format!("PKCS#1 private key: {e}")));
    }
    if text.contains("-----BEGIN PRIVATE KEY-----") {
        return RsaPrivateKey::from_pkcs8_pem(text).map_err(|e| KeyError::Invalid(format!("PKCS#8 private key: {e}")));
    }
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return Err(KeyError::Invalid("encrypted private keys are not supported; decrypt it first".into()));
    }
    Err(KeyError::Invalid("expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY".into()))
}

/// Parses an RSA public key from PEM: SPKI (`BEGIN PUBLIC KEY`) or PKCS#1
/// (`BEGIN RSA PUBLIC KEY`); a bare base64 body without armour (as Alipay's
/// console hands out) is tried as SPKI and then PKCS#1. A `BEGIN CERTIFICATE`
/// is refused: extract the public key first.
pub fn public_key_from_pem(pem: &str) -> Result<RsaPublicKey, KeyError> {
    let text = pem.trim();
    if text.is_empty() {
        return Err(KeyError::Invalid("empty input".into()));
    }
    if is_bare(text) {
        if let Ok(k) = RsaPublicKey::from_public_key_pem(&armour(text, "PUBLIC KEY")) {
            return Ok(k);
        }
        return RsaPublicKey::from_pkcs1_pem(&armour(text, "RSA PUBLIC KEY"))
            .map_err(|e| KeyError::Invalid(format!("bare base64 is neither an SPKI nor a PKCS#1 public key: {e}")));
    }
    if text.contains("-----BEGIN RSA PUBLIC KEY-----") {
        return RsaPublicKey::from_pkcs1_pem(text).map_err(|e| KeyError::Invalid(format!("PKCS#1 public key: {e}")));
    }
    if text.contains("-----BEGIN PUBLIC KEY-----") {
        return RsaPublicKey::from_public_key_pem(text).map_err(|e| KeyError::Invalid(format!("SPKI public key: {e}")));
    }
    if text.contains("-----BEGIN CERTIFICATE-----") {
        return Err(KeyError::Invalid("a certificate is not a public key; extract its public key".into()));
    }
    Err(KeyError::Invalid("expected BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY".into()))
}

/// Reads a file as text, naming the file in the error.
fn read_key_file(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path)
        .map_err(|e| KeyError::File { path: path.display().to_string(), reason: format!("cannot read: {e}") })
}

/// Loads a private key file (any form [`private_key_from_pem`] accepts); errors name the file.
pub fn load_private_key(path: impl AsRef<Path>) -> Result<RsaPrivateKey, KeyError> {
    let path = path.as_ref();
    let text = read_key_file(path)?;
    private_key_from_pem(&text).map_err(|e| KeyError::File { path: path.display().to_string(), reason: e.to_string() })
}

/// Loads a public key file (any form [`public_key_from_pem`] accepts); errors name the file.
pub fn load_public_key(path: impl AsRef<Path>) -> Result<RsaPublicKey, KeyError> {
    let path = path.as_ref();
    let text = read_key_file(path)?;
    public_key_from_pem(&text).map_err(|e| KeyError::File { path: path.display().to_string(), reason: e.to_string() })
}

/// Generates a fresh 2048-bit RSA key (slow in debug builds: a second or more).
pub fn generate_rsa_2048() -> Result<RsaPrivateKey, KeyError> {
    let mut rng = rand::thread_rng();
    RsaPrivateKey::new(&mut rng, 2048).map_err(|e| KeyError::Generate(e.to_string()))
}

/// Encodes a private key as PKCS#8 PEM (`BEGIN PRIVATE KEY`, LF line endings).
pub fn private_key_to_pem_pkcs8(key: &RsaPrivateKey) -> Result<String, KeyError> {
    key.to_pkcs8_pem(LineEnding::LF).map(|z| z.to_string()).map_err(|e| KeyError::Encode(e.to_string()))
}

/// Encodes a public key as SPKI PEM (`BEGIN PUBLIC KEY`, LF line endings).
pub fn public_key_to_pem_spki(key: &RsaPublicKey) -> Result<String, KeyError> {
    key.to_public_key_pem(LineEnding::LF).map_err(|e| KeyError::Encode(e.to_string()))
}

/// Signs `msg` with SHA256withRSA (PKCS#1 v1.5 padding, SHA-256) and returns
/// the signature in standard base64 (with padding).
pub fn sign_sha256_rsa(key: &RsaPrivateKey, msg: &[u8]) -> Result<String, KeyError> {
    let digest = Sha256::digest(msg);
    let sig = key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).map_err(|e| KeyError::Sign(e.to_string()))?;
    Ok(B64.encode(sig))
}

/// Verifies a base64 SHA256withRSA (PKCS#1 v1.5) signature over `msg`.
/// Returns false for a wrong signature and for malformed base64; never panics.
/// Whitespace inside the base64 text (line-wrapped signatures) is ignored.
pub fn verify_sha256_rsa(key: &RsaPublicKey, msg: &[u8], signature_b64: &str) -> bool {
    let compact: String = signature_b64.chars().filter(|c| !c.is_whitespace()).collect();
    let Ok(sig) = B64.decode(compact.as_bytes()) else {
        return false;
    };
    let digest = Sha256::digest(msg);
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &sig).is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PKCS8: &str = include_str!("../testdata/keys_test_rsa_pkcs8.pem");
    const PKCS1: &str = include_str!("../testdata/keys_test_rsa_pkcs1.pem");
    const SPKI: &str = include_str!("../testdata/keys_test_rsa_spki.pub");
    const PKCS1_PUB: &str = include_str!("../testdata/keys_test_rsa_pkcs1.pub");

    fn body_of(pem: &str) -> String {
        pem.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn all_four_pem_forms_load_and_agree() {
        let a = private_key_from_pem(PKCS8).unwrap();
        let b = private_key_from_pem(PKCS1).unwrap();
        assert_eq!(a, b);
        let p = public_key_from_pem(SPKI).unwrap();
        let q = public_key_from_pem(PKCS1_PUB).unwrap();
        assert_eq!(p, q);
        assert_eq!(RsaPublicKey::from(&a), p);
    }

    #[test]
    fn bare_base64_bodies_load() {
        let p = public_key_from_pem(&body_of(SPKI)).unwrap();
        assert_eq!(p, public_key_from_pem(SPKI).unwrap());
        // On a single line, as Alipay's console shows it.
        let one_line: String = body_of(SPKI).split_whitespace().collect();
        assert_eq!(public_key_from_pem(&one_line).unwrap(), p);
        let pk1: String = body_of(PKCS1_PUB).split_whitespace().collect();
        assert_eq!(public_key_from_pem(&pk1).unwrap(), p);
        let k8 = private_key_from_pem(&body_of(PKCS8)).unwrap();
        let k1 = private_key_from_pem(&body_of(PKCS1)).unwrap();
        assert_eq!(k8, k1);
    }

    #[test]
    fn crlf_pem_loads() {
        let crlf = PKCS8.replace('\n', "\r\n");
        assert!(private_key_from_pem(&crlf).is_ok());
    }

    #[test]
    fn pem_round_trip() {
        let k = private_key_from_pem(PKCS1).unwrap();
        let pem = private_key_to_pem_pkcs8(&k).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(private_key_from_pem(&pem).unwrap(), k);
        let pubpem = public_key_to_pem_spki(&RsaPublicKey::from(&k)).unwrap();
        assert!(pubpem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(public_key_from_pem(&pubpem).unwrap(), RsaPublicKey::from(&k));
    }

    #[test]
    fn sign_verify_round_trip_and_tamper() {
        let k = private_key_from_pem(PKCS8).unwrap();
        let p = public_key_from_pem(SPKI).unwrap();
        let sig = sign_sha256_rsa(&k, b"hello \xe4\xb8\xad").unwrap();
        assert!(verify_sha256_rsa(&p, b"hello \xe4\xb8\xad", &sig));
        assert!(!verify_sha256_rsa(&p, b"hello \xe4\xb8\xae", &sig));
        assert!(!verify_sha256_rsa(&p, b"hello", "not base64!!"));
        assert!(!verify_sha256_rsa(&p, b"hello", ""));
        assert!(!verify_sha256_rsa(&p, b"hello", "AAAA"));
    }

    #[test]
    fn garbage_is_an_error() {
        for s in ["", "   ", "garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "\u{0}\u{1}"]
        {
            assert!(private_key_from_pem(s).is_err(), "{s:?}");
            assert!(public_key_from_pem(s).is_err(), "{s:?}");
        }
        assert!(public_key_from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----").is_err());
        // A private key is not a public key and vice versa.
        assert!(public_key_from_pem(PKCS8).is_err());
        assert!(private_key_from_pem(SPKI).is_err());
    }

    #[test]
    fn file_errors_name_the_file() {
        let e = load_private_key("/nonexistent/keepsim-key.pem").unwrap_err();
        assert!(e.to_string().contains("/nonexistent/keepsim-key.pem"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.pem");
        std::fs::write(&path, "nope").unwrap();
        let e = load_public_key(&path).unwrap_err();
        assert!(e.to_string().contains("bad.pem"), "{e}");
        let good = dir.path().join("good.pem");
        std::fs::write(&good, SPKI).unwrap();
        assert!(load_public_key(&good).is_ok());
    }
}
