//! API keys for networks (usage reporting) and partners: shown once, stored
//! as a SHA-256 hash, revocable.

use crate::accounts::token_hash;
use crate::{ServiceError, Services, accounts};
use keepsim_store::ApiKeyRecord;
use uuid::Uuid;

/// Scopes a key may carry.
pub const SCOPES: &[&str] = &["network", "catalogue:read", "orders:write", "usage:read"];

/// A new key: the record and the secret (shown once).
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// The stored record.
    pub record: ApiKeyRecord,
    /// The key itself; only its hash is kept.
    pub secret: String,
}

impl Services {
    /// Creates an API key with `scopes` (each one of [`SCOPES`]).
    pub async fn create_api_key(&self, scopes: &[String], partner_id: Option<&str>) -> Result<NewApiKey, ServiceError> {
        if scopes.is_empty() {
            return Err(ServiceError::InvalidField {
                field: "scope",
                reason: format!("give one or more of {}", SCOPES.join(", ")),
            });
        }
        for s in scopes {
            if !SCOPES.contains(&s.as_str()) {
                return Err(ServiceError::InvalidField {
                    field: "scope",
                    reason: format!("unknown scope {s:?}; use {}", SCOPES.join(", ")),
                });
            }
        }
        let secret = format!("ks_{}", accounts::new_token());
        let record = ApiKeyRecord {
            id: Uuid::now_v7(),
            prefix: secret.chars().take(10).collect(),
            key_hash: token_hash(&secret),
            scopes: scopes.to_vec(),
            partner_id: partner_id.map(str::to_string),
            created_at: self.clock.now(),
            revoked_at: None,
        };
        self.store.create_api_key(record.clone()).await?;
        Ok(NewApiKey { record, secret })
    }

    /// The live key with this secret, if it carries `scope`.
    pub async fn authorize_api_key(&self, secret: &str, scope: &str) -> Result<ApiKeyRecord, ServiceError> {
        if !secret.starts_with("ks_") || secret.len() > 256 {
            return Err(ServiceError::Unauthenticated);
        }
        let key = self.store.api_key_by_hash(&token_hash(secret)).await?.ok_or(ServiceError::Unauthenticated)?;
        if key.revoked_at.is_some() {
            return Err(ServiceError::Unauthenticated);
        }
        if !key.scopes.iter().any(|s| s == scope) {
            return Err(ServiceError::Forbidden(format!("this key lacks the {scope} scope")));
        }
        Ok(key)
    }

    /// Revokes a key.
    pub async fn revoke_api_key(&self, id: Uuid) -> Result<(), ServiceError> {
        if self.store.revoke_api_key(id, self.clock.now()).await? { Ok(()) } else { Err(ServiceError::NotFound) }
    }

    /// All keys.
    pub async fn api_keys(&self) -> Result<Vec<ApiKeyRecord>, ServiceError> {
        Ok(self.store.api_keys().await?)
    }
}
