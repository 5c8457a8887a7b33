//! Register, sign in, sign out, and who a token belongs to.

use crate::throttle::{PER_ACCOUNT, PER_ADDRESS};
use crate::{ServiceError, Services, password};
use base64::Engine;
use keepsim_domain::Locale;
use keepsim_domain::account::{Email, check_password};
use keepsim_store::{AccountRecord, NewAccount, NewSession};
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long a sign-in lasts.
pub const SESSION_LIFETIME: Duration = Duration::days(30);

/// A fresh sign-in: the bearer token (shown once) and its expiry.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The secret token; only its SHA-256 is stored.
    pub token: String,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
    /// Whose it is.
    pub account: AccountRecord,
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random token: 256 bits, URL-safe base64.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Services {
    /// Creates a customer account.
    pub async fn register(
        &self,
        email: &str,
        password: &str,
        locale: Option<&str>,
    ) -> Result<AccountRecord, ServiceError> {
        let email = Email::parse(email).map_err(|e| ServiceError::InvalidEmail(e.to_string()))?;
        check_password(password, &email).map_err(|e| ServiceError::WeakPassword(e.to_string()))?;
        let locale = locale.map(Locale::resolve).unwrap_or_default();
        if self.store.account_by_email(email.as_str()).await?.is_some() {
            return Err(ServiceError::EmailTaken);
        }
        let password_hash = password::hash(password.to_string()).await?;
        let account = self
            .store
            .create_account(NewAccount {
                id: Uuid::now_v7(),
                email,
                password_hash,
                locale,
                created_at: self.clock.now(),
            })
            .await?;
        tracing::info!(account = %account.id, "account registered");
        Ok(account)
    }

    /// Signs in with email and password, throttled per account and per client address.
    pub async fn login(&self, email: &str, password: &str, client: &str) -> Result<SignedIn, ServiceError> {
        let now = self.clock.now();
        let normalised =
            Email::parse(email).map(|e| e.as_str().to_string()).unwrap_or_else(|_| email.trim().to_lowercase());
        let account_key = format!("account:{normalised}");
        let address_key = format!("address:{client}");
        let wait = [
            self.throttle.retry_after(&account_key, PER_ACCOUNT, now),
            self.throttle.retry_after(&address_key, PER_ADDRESS, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(retry_after_secs) = wait {
            return Err(ServiceError::Throttled { retry_after_secs });
        }
        let account = self.store.account_by_email(&normalised).await?;
        let ok = password::verify(password.to_string(), account.as_ref().map(|a| a.password_hash.clone())).await?;
        let Some(account) = account.filter(|_| ok) else {
            self.throttle.fail(&account_key, now);
            self.throttle.fail(&address_key, now);
            return Err(ServiceError::InvalidCredentials);
        };
        self.throttle.clear(&account_key);
        let token = new_token();
        let expires_at = now + SESSION_LIFETIME;
        self.store
            .create_session(NewSession {
                token_hash: token_hash(&token),
                account_id: account.id,
                created_at: now,
                expires_at,
            })
            .await?;
        Ok(SignedIn { token, expires_at, account })
    }

    /// Sets the language the customer reads pages, emails and errors in.
    pub async fn set_locale(
        &self,
        account: &AccountRecord,
        locale: keepsim_domain::Locale,
    ) -> Result<(), ServiceError> {
        Ok(self.store.set_account_locale(account.id, locale.tag()).await?)
    }

    /// The account a token belongs to, if the token is live.
    pub async fn authenticate(&self, token: &str) -> Result<AccountRecord, ServiceError> {
        if token.is_empty() || token.len() > 256 {
            return Err(ServiceError::Unauthenticated);
        }
        self.store.session_account(&token_hash(token), self.clock.now()).await?.ok_or(ServiceError::Unauthenticated)
    }

    /// Revokes a token: it never works again.
    pub async fn logout(&self, token: &str) -> Result<(), ServiceError> {
        self.store.revoke_session(&token_hash(token), self.clock.now()).await?;
        Ok(())
    }
}
