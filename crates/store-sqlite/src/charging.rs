//! The charging hot path's storage on SQLite: subscriber lookup, the state a
//! line's owner loads, group commit of charging writes, usage, ledger checks.

use crate::{SqliteStore, db_err, get, time_col, us, uuid};
use keepsim_domain::bundle::{LedgerKind, Service};
use keepsim_domain::line::LineState;
use keepsim_store::rows::*;
use keepsim_store::*;
use sqlx::sqlite::SqliteRow;
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

fn service(s: &str) -> StoreResult<Service> {
    Service::parse(s).ok_or_else(|| StoreError::Corrupt(format!("service {s:?}")))
}

fn subscriber_row(row: &SqliteRow) -> StoreResult<Subscriber> {
    let state: String = get(row, "state")?;
    Ok(Subscriber {
        line_id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        state: LineState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("line state {state:?}")))?,
    })
}

/// Start of the UTC hour containing `t`, in microseconds.
pub(crate) fn hour(t: OffsetDateTime) -> i64 {
    let secs = t.unix_timestamp();
    (secs - secs.rem_euclid(3600)) * 1_000_000
}

impl SqliteStore {
    pub(crate) async fn subscriber_impl(
        &self,
        msisdn: Option<&str>,
        imsi: Option<&str>,
    ) -> StoreResult<Option<Subscriber>> {
        let row = match (msisdn, imsi) {
            (Some(m), _) => {
                sqlx::query("SELECT id, account_id, state FROM lines WHERE msisdn = ? AND state <> 'recycled'")
                    .bind(m)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?
            }
            (None, Some(i)) => sqlx::query(
                "SELECT l.id, l.account_id, l.state FROM lines l JOIN profiles p ON p.id = l.profile_id \
                 WHERE p.imsi = ? AND l.state <> 'recycled'",
            )
            .bind(i)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?,
            (None, None) => None,
        };
        row.as_ref().map(subscriber_row).transpose()
    }

    pub(crate) async fn charging_state_impl(&self, line_id: Uuid) -> StoreResult<Option<ChargingState>> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let Some(line) = sqlx::query("SELECT id, account_id, state FROM lines WHERE id = ?")
            .bind(line_id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let subscriber = subscriber_row(&line)?;
        let bundles = sqlx::query("SELECT * FROM bundles WHERE line_id = ? ORDER BY created_at, id")
            .bind(line_id.to_string())
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(crate::orders::bundle_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let reservations = sqlx::query("SELECT * FROM reservations WHERE line_id = ?")
            .bind(line_id.to_string())
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let parts: String = get(r, "parts")?;
                let parts: Vec<(Uuid, u64)> = serde_json::from_str(&parts)
                    .map_err(|_| StoreError::Corrupt(format!("reservation parts {parts:?}")))?;
                let rg: i64 = get(r, "rating_group")?;
                let granted: i64 = get(r, "granted")?;
                Ok(StoredReservation {
                    line_id,
                    session_id: get(r, "session_id")?,
                    rating_group: u32::try_from(rg).map_err(|_| StoreError::Corrupt(format!("rating group {rg}")))?,
                    service: service(&get::<String>(r, "service")?)?,
                    country: get(r, "country")?,
                    parts,
                    granted: u64::try_from(granted).map_err(|_| StoreError::Corrupt(format!("granted {granted}")))?,
                    expires_at: time_col(r, "expires_at")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(ChargingState { subscriber, bundles, reservations }))
    }

    pub(crate) async fn commit_charging_impl(&self, batch: &[ChargingWrite]) -> StoreResult<Vec<bool>> {
        self.charging.commit(batch).await
    }

    pub(crate) async fn usage_event_seen_impl(&self, event_id: &str) -> StoreResult<bool> {
        let r: Option<String> = sqlx::query_scalar("SELECT event_id FROM usage_events WHERE event_id = ?")
            .bind(event_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.is_some())
    }

    pub(crate) async fn usage_hours_impl(
        &self,
        account_id: Uuid,
        line_id: Uuid,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<UsagePoint>> {
        let rows = sqlx::query(
            "SELECT u.service, u.hour, u.units FROM usage_hours u JOIN lines l ON l.id = u.line_id \
             WHERE l.account_id = ? AND l.id = ? AND u.hour >= ? AND u.hour < ? ORDER BY u.hour, u.service",
        )
        .bind(account_id.to_string())
        .bind(line_id.to_string())
        .bind(hour(from))
        .bind(us(to))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let units: i64 = get(r, "units")?;
                Ok(UsagePoint {
                    at: time_col(r, "hour")?,
                    service: service(&get::<String>(r, "service")?)?,
                    units: u64::try_from(units).unwrap_or(0),
                })
            })
            .collect()
    }

    pub(crate) async fn check_ledger_impl(&self) -> StoreResult<Vec<LedgerDifference>> {
        let mut sums: HashMap<(Uuid, Service), (i64, i64)> = HashMap::new();
        for r in sqlx::query(
            "SELECT bundle_id, service, kind, SUM(units) AS total FROM ledger GROUP BY bundle_id, service, kind",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        {
            let kind: String = get(&r, "kind")?;
            let kind = LedgerKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("ledger kind {kind:?}")))?;
            let entry = sums.entry((uuid(&r, "bundle_id")?, service(&get::<String>(&r, "service")?)?)).or_default();
            let total: i64 = get(&r, "total")?;
            match kind {
                LedgerKind::ExpiryForfeit | LedgerKind::RefundRevoke => entry.1 += total,
                _ => entry.0 += total,
            }
        }
        let bundles = sqlx::query("SELECT * FROM bundles")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(crate::orders::bundle_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(ledger_differences(&bundles, &sums))
    }
}
