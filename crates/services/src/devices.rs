//! Binding a phone by its IMEI (and optionally its EID).

use crate::{ServiceError, Services};
use keepsim_domain::{Eid, Imei};
use keepsim_store::{AccountRecord, DeviceRecord, NewDevice, Page};
use uuid::Uuid;

/// The longest device label, in characters.
pub const MAX_LABEL_CHARS: usize = 64;

impl Services {
    /// Binds a device to the account. One IMEI belongs to one account.
    pub async fn bind_device(
        &self,
        account: &AccountRecord,
        imei: &str,
        eid: Option<&str>,
        label: Option<&str>,
    ) -> Result<DeviceRecord, ServiceError> {
        let imei = Imei::parse(imei).map_err(|e| ServiceError::InvalidImei(e.to_string()))?;
        let eid = match eid.map(str::trim).filter(|e| !e.is_empty()) {
            Some(e) => Some(Eid::parse(e).map_err(|e| ServiceError::InvalidEid(e.to_string()))?),
            None => None,
        };
        let label = label.map(str::trim).filter(|l| !l.is_empty()).map(str::to_string);
        if let Some(l) = &label
            && (l.chars().count() > MAX_LABEL_CHARS || l.chars().any(char::is_control))
        {
            return Err(ServiceError::InvalidField {
                field: "label",
                reason: format!("at most {MAX_LABEL_CHARS} printable characters"),
            });
        }
        let device = self
            .store
            .create_device(NewDevice {
                id: Uuid::now_v7(),
                account_id: account.id,
                imei,
                eid,
                label,
                created_at: self.clock.now(),
            })
            .await?;
        tracing::info!(account = %account.id, device = %device.id, "device bound");
        Ok(device)
    }

    /// Unbinds one of the account's devices (a phone sold): its IMEI is free again.
    pub async fn unbind_device(&self, account: &AccountRecord, id: Uuid) -> Result<(), ServiceError> {
        self.store.delete_device(account.id, id).await?;
        tracing::info!(account = %account.id, device = %id, "device unbound");
        Ok(())
    }

    /// The account's devices, a page at a time.
    pub async fn devices(&self, account: &AccountRecord, page: Page) -> Result<Vec<DeviceRecord>, ServiceError> {
        Ok(self.store.list_devices(account.id, page).await?)
    }

    /// One of the account's devices (another account's answers `NotFound`).
    pub async fn device(&self, account: &AccountRecord, id: Uuid) -> Result<DeviceRecord, ServiceError> {
        self.store.device(account.id, id).await?.ok_or(ServiceError::NotFound)
    }
}
