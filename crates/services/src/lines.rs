//! eSIM lines: one per device, each with a profile from the inventory.

use crate::{ServiceError, Services};
use keepsim_store::{AccountRecord, LineRecord, NewLine, Page};
use uuid::Uuid;

/// The SGP.22 activation code of a line's current profile.
pub fn activation_code(line: &LineRecord) -> String {
    keepsim_domain::profile::activation_code(&line.smdp_address, &line.matching_id)
}

impl Services {
    /// Creates a line on one of the account's devices, taking a profile from stock.
    pub async fn create_line(&self, account: &AccountRecord, device_id: Uuid) -> Result<LineRecord, ServiceError> {
        let line = self
            .store
            .create_line(NewLine {
                id: Uuid::now_v7(),
                account_id: account.id,
                device_id,
                created_at: self.clock.now(),
            })
            .await?;
        tracing::info!(account = %account.id, line = %line.id, "line assigned");
        Ok(line)
    }

    /// Moves a line to a new phone: new profile, same number, bundles and validity kept,
    /// old profile retired; one audited transaction.
    pub async fn move_line(
        &self,
        account: &AccountRecord,
        line_id: Uuid,
        device_id: Uuid,
    ) -> Result<LineRecord, ServiceError> {
        let line = self.store.move_line(account.id, line_id, device_id, self.clock.now()).await?;
        if let Some(charging) = self.charging.get() {
            // The IMSI changed: forget cached identities; the line's own state is unchanged.
            charging.forget_subscribers();
        }
        tracing::info!(account = %account.id, line = %line.id, device = %device_id, "line moved to a new phone");
        Ok(line)
    }

    /// The account's lines, a page at a time.
    pub async fn lines(&self, account: &AccountRecord, page: Page) -> Result<Vec<LineRecord>, ServiceError> {
        Ok(self.store.list_lines(account.id, page).await?)
    }

    /// One of the account's lines (another account's answers `NotFound`).
    pub async fn line(&self, account: &AccountRecord, id: Uuid) -> Result<LineRecord, ServiceError> {
        self.store.line(account.id, id).await?.ok_or(ServiceError::NotFound)
    }
}
