//! Single-use links sent by email: password reset and email verification.
//! Only a link's hash is stored; a link works once and expires; asking for a
//! reset answers the same whether or not the account exists.

use crate::accounts::{new_token, token_hash};
use crate::throttle::PER_ADDRESS;
use crate::{ServiceError, Services, password};
use keepsim_channels::Email;
use keepsim_domain::account::{Email as EmailAddress, MIN_PASSWORD_CHARS, check_password};
use keepsim_store::AccountRecord;
use time::Duration;

/// How long a password-reset link works.
pub const RESET_LIFETIME: Duration = Duration::hours(1);
/// How long an email-verification link works.
pub const VERIFY_LIFETIME: Duration = Duration::hours(24);
/// Reset requests allowed per email address in the throttle window.
pub const RESETS_PER_ACCOUNT: usize = 3;

impl Services {
    /// Emails a password-reset link if the account exists; answers the same either way.
    pub async fn request_password_reset(&self, email: &str, client: &str) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let normalised =
            EmailAddress::parse(email).map(|e| e.as_str().to_string()).unwrap_or_else(|_| email.trim().to_lowercase());
        let (account_key, address_key) = (format!("reset:{normalised}"), format!("reset-address:{client}"));
        let wait = [
            self.throttle.retry_after(&account_key, RESETS_PER_ACCOUNT, now),
            self.throttle.retry_after(&address_key, PER_ADDRESS, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(retry_after_secs) = wait {
            return Err(ServiceError::Throttled { retry_after_secs });
        }
        self.throttle.fail(&account_key, now);
        self.throttle.fail(&address_key, now);
        let Some(account) = self.store.account_by_email(&normalised).await? else {
            return Ok(());
        };
        self.send_link(&account, "password_reset", "reset-password", RESET_LIFETIME).await
    }

    /// Sets a new password with a reset link's token; every session of the account ends.
    pub async fn confirm_password_reset(&self, token: &str, new_password: &str) -> Result<(), ServiceError> {
        if new_password.chars().count() < MIN_PASSWORD_CHARS
            || new_password.len() > keepsim_domain::account::MAX_PASSWORD_BYTES
        {
            return Err(ServiceError::WeakPassword("the password must have 10 to 1024 characters".into()));
        }
        let now = self.clock.now();
        let account_id = self
            .store
            .use_account_token(&token_hash(token), "password_reset", now)
            .await?
            .ok_or(ServiceError::InvalidToken)?;
        let account = self.store.account_by_id(account_id).await?.ok_or(ServiceError::InvalidToken)?;
        // The link is used up either way; a password equal to the email needs a new link.
        check_password(new_password, &account.email).map_err(|e| ServiceError::WeakPassword(e.to_string()))?;
        let hash = password::hash(new_password.to_string()).await?;
        self.store.set_password(account_id, &hash, now).await?;
        tracing::info!(account = %account_id, "password reset");
        Ok(())
    }

    /// Emails the signed-in customer a link that verifies their address.
    pub async fn request_email_verification(&self, account: &AccountRecord) -> Result<(), ServiceError> {
        self.send_link(account, "email_verify", "verify-email", VERIFY_LIFETIME).await
    }

    /// Verifies an address with a link's token.
    pub async fn confirm_email(&self, token: &str) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let account_id = self
            .store
            .use_account_token(&token_hash(token), "email_verify", now)
            .await?
            .ok_or(ServiceError::InvalidToken)?;
        self.store.set_email_verified(account_id, now).await?;
        Ok(())
    }

    async fn send_link(
        &self,
        account: &AccountRecord,
        purpose: &str,
        page: &str,
        lifetime: Duration,
    ) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let token = new_token();
        self.store.create_account_token(&token_hash(&token), account.id, purpose, now + lifetime).await?;
        let link = format!("{}/{page}?token={token}", self.payments.public_url.trim_end_matches('/'));
        let locale = account.locale;
        let args = [("link", keepsim_i18n::Arg::Str(link))];
        let (subject, body) =
            keepsim_i18n::notification(locale, purpose, &args).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let email = Email {
            to: account.email.to_string(),
            to_name: None,
            subject,
            text: body,
            language: locale.tag().to_string(),
            message_id: None,
        };
        let Some(mailer) = self.mailer.clone() else {
            tracing::warn!(account = %account.id, "no mailer configured: the {purpose} link was not sent");
            return Ok(());
        };
        // Sent off the request: a slow or refusing SMTP server never blocks the answer.
        tokio::spawn(async move {
            for attempt in 0..4u32 {
                tokio::time::sleep(keepsim_channels::backoff(attempt)).await;
                match mailer.send(&email).await {
                    Ok(()) => return,
                    Err(e) if e.is_retryable() => tracing::warn!(error = %e, attempt, "link email not sent yet"),
                    Err(e) => {
                        tracing::warn!(error = %e, "link email refused");
                        return;
                    }
                }
            }
        });
        Ok(())
    }
}
