//! The audit trail: what staff did in the console, kept for good and read newest first.

use crate::{ServiceError, Services};
use keepsim_store::{AuditRecord, Page, StaffRecord};
use uuid::Uuid;

impl Services {
    /// Records that `staff` did `action` (a snake_case name such as `set_package_price`) to
    /// `target` (such as `package:JP-1GB-3D`), with the facts in `detail` (a JSON object).
    pub async fn audit(
        &self,
        staff: &StaffRecord,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<(), ServiceError> {
        self.store
            .record_audit(AuditRecord {
                id: Uuid::now_v7(),
                staff_id: Some(staff.id),
                staff_email: staff.email.to_string(),
                action: action.to_string(),
                target: target.to_string(),
                detail: detail.to_string(),
                at: self.clock.now(),
            })
            .await?;
        tracing::info!(staff = %staff.id, action, target, "audited");
        Ok(())
    }

    /// The audit trail, newest first; `page.after` is the last entry of the previous page.
    pub async fn audit_log(&self, page: Page) -> Result<Vec<AuditRecord>, ServiceError> {
        Ok(self.store.audit_log(page).await?)
    }
}
