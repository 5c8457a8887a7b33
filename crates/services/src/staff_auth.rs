//! Staff sign-in to the console: email and password (argon2id, throttled like
//! customers), then a second factor, a TOTP code from an authenticator app,
//! before the session may do anything. Staff sessions last 12 hours.
//!
//! Each code works once: the time step of the last accepted code is stored and
//! only a later step is accepted, by compare-and-set in the database, so two
//! nodes checking the same code at the same moment accept it once.

use crate::accounts::{new_token, token_hash};
use crate::throttle::{PER_ACCOUNT, PER_ADDRESS};
use crate::{ServiceError, Services, password};
use keepsim_domain::account::Email;
use keepsim_domain::totp::{SECRET_BYTES, TotpSecret};
use keepsim_store::StaffRecord;
use rand::RngCore;
use std::net::IpAddr;
use time::Duration;
use uuid::Uuid;

/// How long a staff sign-in lasts.
pub const STAFF_SESSION_LIFETIME: Duration = Duration::hours(12);
/// The issuer an authenticator app shows next to the code.
pub const TOTP_ISSUER: &str = "keepsim";

/// A live staff session.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffSession {
    /// Who is signed in.
    pub staff: StaffRecord,
    /// Whether the session passed the second factor (nothing but TOTP enrolment and
    /// verification is allowed before).
    pub mfa_ok: bool,
}

/// What a staff member needs to add keepsim to an authenticator app.
#[derive(Debug, Clone, PartialEq)]
pub struct TotpEnrolment {
    /// The secret, base32, for typing in by hand.
    pub secret_base32: String,
    /// The `otpauth://` URI, to show as a QR code.
    pub otpauth_uri: String,
}

/// A new random TOTP secret.
pub fn new_totp_secret() -> TotpSecret {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    TotpSecret::from_bytes(bytes.to_vec())
}

impl Services {
    /// Signs a staff member in with email and password, throttled per email and per client
    /// address. Returns the session token (shown once; only its hash is stored) whose
    /// second factor is still to be given, and who signed in.
    pub async fn staff_login(
        &self,
        email: &str,
        password: &str,
        client_ip: Option<IpAddr>,
    ) -> Result<(String, StaffRecord), ServiceError> {
        let now = self.clock.now();
        let normalised =
            Email::parse(email).map(|e| e.as_str().to_string()).unwrap_or_else(|_| email.trim().to_lowercase());
        let staff_key = format!("staff:{normalised}");
        let address_key = client_ip.map(|ip| format!("staff-address:{ip}"));
        let wait = [
            self.throttle.retry_after(&staff_key, PER_ACCOUNT, now),
            address_key.as_deref().and_then(|k| self.throttle.retry_after(k, PER_ADDRESS, now)),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(retry_after_secs) = wait {
            return Err(ServiceError::Throttled { retry_after_secs });
        }
        let staff = self.store.staff_by_email(&normalised).await?;
        let ok = password::verify(password.to_string(), staff.as_ref().map(|s| s.password_hash.clone())).await?;
        let Some(staff) = staff.filter(|s| ok && s.disabled_at.is_none()) else {
            self.throttle.fail(&staff_key, now);
            if let Some(k) = &address_key {
                self.throttle.fail(k, now);
            }
            return Err(ServiceError::InvalidCredentials);
        };
        self.throttle.clear(&staff_key);
        let token = new_token();
        self.store.create_staff_session(&token_hash(&token), staff.id, now, now + STAFF_SESSION_LIFETIME).await?;
        tracing::info!(staff = %staff.id, "staff signed in (second factor pending)");
        Ok((token, staff))
    }

    /// The staff session a token belongs to, if it is live.
    pub async fn staff_session(&self, token: &str) -> Result<Option<StaffSession>, ServiceError> {
        if token.is_empty() || token.len() > 256 {
            return Ok(None);
        }
        let found = self.store.staff_session(&token_hash(token), self.clock.now()).await?;
        Ok(found.map(|(staff, mfa_ok)| StaffSession { staff, mfa_ok }))
    }

    /// The secret to add to an authenticator app, created on first call and the same on
    /// later calls until a first code confirms it; `None` once enrolment is confirmed.
    pub async fn staff_totp_enrolment(&self, staff_id: Uuid) -> Result<Option<TotpEnrolment>, ServiceError> {
        let staff = self.store.staff_by_id(staff_id).await?.ok_or(ServiceError::NotFound)?;
        if staff.totp_confirmed {
            return Ok(None);
        }
        let existing = staff.totp_secret.as_deref().and_then(TotpSecret::from_base32);
        let secret =
            match existing {
                Some(s) => s,
                None => {
                    self.store.set_staff_totp_secret(staff.id, &new_totp_secret().to_base32()).await?;
                    // Read back what is stored: a concurrent call may have stored its own secret.
                    let stored = self.store.staff_by_id(staff.id).await?.ok_or(ServiceError::NotFound)?;
                    if stored.totp_confirmed {
                        return Ok(None);
                    }
                    stored.totp_secret.as_deref().and_then(TotpSecret::from_base32).ok_or_else(|| {
                        ServiceError::Internal(format!("staff {} has no readable TOTP secret", staff.id))
                    })?
                }
            };
        Ok(Some(TotpEnrolment {
            secret_base32: secret.to_base32(),
            otpauth_uri: secret.otpauth_uri(TOTP_ISSUER, staff.email.as_str()),
        }))
    }

    /// Checks a TOTP code for the session's staff member (spaces ignored): on success the
    /// code's step is recorded (a code works once), a first success confirms the
    /// enrolment (audited as `totp_enrolled`), and the session passes the second factor. A wrong or reused code is
    /// [`ServiceError::InvalidTotp`]; repeated failures are throttled per staff member.
    pub async fn staff_verify_totp(&self, token: &str, code: &str) -> Result<(), ServiceError> {
        let session = self.staff_session(token).await?.ok_or(ServiceError::Unauthenticated)?;
        let staff = session.staff;
        let now = self.clock.now();
        let key = format!("staff-totp:{}", staff.id);
        if let Some(retry_after_secs) = self.throttle.retry_after(&key, PER_ACCOUNT, now) {
            return Err(ServiceError::Throttled { retry_after_secs });
        }
        let secret = staff
            .totp_secret
            .as_deref()
            .and_then(TotpSecret::from_base32)
            .ok_or_else(|| ServiceError::Forbidden("set up an authenticator app first".into()))?;
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let accepted = match secret.verify(&code, now.unix_timestamp(), staff.totp_last_step) {
            Some(step) if staff.totp_confirmed => self.store.set_staff_totp_step(staff.id, step).await?,
            Some(step) => self.store.confirm_staff_totp(staff.id, step).await?,
            None => false,
        };
        if !accepted {
            self.throttle.fail(&key, now);
            return Err(ServiceError::InvalidTotp);
        }
        self.throttle.clear(&key);
        if !self.store.mark_staff_session_mfa(&token_hash(token)).await? {
            return Err(ServiceError::Unauthenticated);
        }
        if !staff.totp_confirmed {
            self.audit(&staff, "totp_enrolled", &format!("staff:{}", staff.id), serde_json::json!({})).await?;
        }
        Ok(())
    }

    /// Ends a staff session; it never works again.
    pub async fn staff_logout(&self, token: &str) -> Result<(), ServiceError> {
        self.store.revoke_staff_session(&token_hash(token), self.clock.now()).await?;
        Ok(())
    }
}
