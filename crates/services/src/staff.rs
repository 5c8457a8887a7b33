//! Staff users of the admin console, and the first admin created on first start.

use crate::{ServiceError, Services, accounts, password};
use keepsim_domain::account::{Email, Role, check_password};
use keepsim_store::{NewStaff, StaffRecord};
use uuid::Uuid;

/// The email of the admin created on first start.
pub const FIRST_ADMIN_EMAIL: &str = "admin@keepsim.local";

impl Services {
    /// Creates a staff user; with no password given, generates one and returns it (shown once).
    pub async fn create_staff(
        &self,
        email: &str,
        role: Role,
        password: Option<String>,
    ) -> Result<(StaffRecord, Option<String>), ServiceError> {
        let email = Email::parse(email).map_err(|e| ServiceError::InvalidEmail(e.to_string()))?;
        let (password, generated) = match password {
            Some(p) => {
                check_password(&p, &email).map_err(|e| ServiceError::WeakPassword(e.to_string()))?;
                (p, false)
            }
            None => (accounts::new_token(), true),
        };
        let password_hash = password::hash(password.clone()).await?;
        let staff = self
            .store
            .create_staff(NewStaff { id: Uuid::now_v7(), email, password_hash, role, created_at: self.clock.now() })
            .await?;
        Ok((staff, generated.then_some(password)))
    }

    /// On the first start only: creates the first admin and returns its one-time password.
    pub async fn bootstrap_admin(&self) -> Result<Option<(String, String)>, ServiceError> {
        if self.store.meta("first_admin").await?.is_some() {
            return Ok(None);
        }
        match self.create_staff(FIRST_ADMIN_EMAIL, Role::Admin, None).await {
            Ok((staff, Some(pw))) => {
                self.store.set_meta_if_absent("first_admin", &staff.id.to_string()).await?;
                Ok(Some((staff.email.to_string(), pw)))
            }
            Ok((_, None)) => Ok(None),
            // Another node won the race; it prints the password.
            Err(ServiceError::EmailTaken) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
