//! argon2id password hashing, run off the async threads because it is slow on purpose.

use crate::ServiceError;
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Hashes `password` with argon2id (OWASP parameters: 19 MiB, 2 iterations) into a PHC string.
pub async fn hash(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
}

/// A PHC hash of a random password, verified against when the account does not
/// exist so that "no such account" takes as long as "wrong password".
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$bm90IGEgcmVhbCBzYWx0$Wl0kGZyoRJx6V4k4n7t2NC3aV5S2JqjlgrQ8Ls1YQtQ";

/// Checks `password` against `phc` (or against a dummy hash when `phc` is `None`).
pub async fn verify(password: String, phc: Option<String>) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let real = phc.is_some();
        let stored = phc.unwrap_or_else(|| DUMMY.to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return Ok(false);
        };
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && real)
    })
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = super::hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(super::verify("correct horse battery".into(), Some(h.clone())).await.unwrap());
        assert!(!super::verify("wrong horse battery".into(), Some(h)).await.unwrap());
        assert!(!super::verify("anything".into(), None).await.unwrap());
    }
}
