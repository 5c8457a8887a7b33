//! The charging hot path's storage on PostgreSQL: subscriber lookup, the state a
//! line's owner loads, group commit of charging writes, usage, ledger checks.

use crate::{PostgresStore, db_err, get, time_col, uuid};
use keepsim_domain::bundle::{LedgerKind, Service};
use keepsim_domain::line::LineState;
use keepsim_store::rows::Collapsed;
use keepsim_store::rows::*;
use keepsim_store::*;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

fn service(s: &str) -> StoreResult<Service> {
    Service::parse(s).ok_or_else(|| StoreError::Corrupt(format!("service {s:?}")))
}

fn subscriber_row(row: &PgRow) -> StoreResult<Subscriber> {
    let state: String = get(row, "state")?;
    Ok(Subscriber {
        line_id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        state: LineState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("line state {state:?}")))?,
    })
}

/// Counters are u64 in Rust and BIGINT in the database; nothing real comes near the limit.
fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Start of the UTC hour containing `t`.
fn hour(t: OffsetDateTime) -> OffsetDateTime {
    let secs = t.unix_timestamp();
    OffsetDateTime::from_unix_timestamp(secs - secs.rem_euclid(3600)).unwrap_or(t)
}

impl PostgresStore {
    pub(crate) async fn subscriber_impl(
        &self,
        msisdn: Option<&str>,
        imsi: Option<&str>,
    ) -> StoreResult<Option<Subscriber>> {
        let row = match (msisdn, imsi) {
            (Some(m), _) => {
                sqlx::query("SELECT id, account_id, state FROM lines WHERE msisdn = $1 AND state <> 'recycled'")
                    .bind(m)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?
            }
            (None, Some(i)) => sqlx::query(
                "SELECT l.id, l.account_id, l.state FROM lines l JOIN profiles p ON p.id = l.profile_id \
                 WHERE p.imsi = $1 AND l.state <> 'recycled'",
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
        let Some(line) = sqlx::query("SELECT id, account_id, state FROM lines WHERE id = $1")
            .bind(line_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let subscriber = subscriber_row(&line)?;
        let bundles = sqlx::query("SELECT * FROM bundles WHERE line_id = $1 ORDER BY created_at, id")
            .bind(line_id)
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
            .iter()
            .map(crate::orders::bundle_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let reservations = sqlx::query("SELECT * FROM reservations WHERE line_id = $1")
            .bind(line_id)
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
        let mut tx = self.write().await?;
        // A write whose event id was applied before is skipped whole.
        let mut applied = vec![true; batch.len()];
        for (i, w) in batch.iter().enumerate() {
            let Some(event_id) = &w.event_id else { continue };
            let at = w.at.unwrap_or_else(OffsetDateTime::now_utc);
            let r = sqlx::query(
                "INSERT INTO usage_events (event_id, line_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(event_id)
            .bind(w.line_id)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            applied[i] = r.rows_affected() == 1;
        }
        let live: Vec<&ChargingWrite> = batch.iter().zip(&applied).filter(|(_, a)| **a).map(|(w, _)| w).collect();
        let c = Collapsed::of(&live);
        // Few statements per batch, whatever its size: that is what makes group commit pay.
        for chunk in c.ledger.chunks(500) {
            let mut q = QueryBuilder::<Postgres>::new(
                "INSERT INTO ledger (id, line_id, bundle_id, order_id, kind, service, units, at) ",
            );
            q.push_values(chunk, |mut b, (line_id, l, at)| {
                b.push_bind(Uuid::now_v7())
                    .push_bind(*line_id)
                    .push_bind(l.bundle_id)
                    .push_bind(Option::<Uuid>::None)
                    .push_bind(l.kind.as_str())
                    .push_bind(l.service.as_str())
                    .push_bind(l.units)
                    .push_bind(*at);
            });
            q.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        for chunk in c.bundles.chunks(300) {
            let mut q = QueryBuilder::<Postgres>::new(
                "UPDATE bundles SET state = v.state, starts_at = v.starts_at, expires_at = v.expires_at, data_used = v.du, \
                 data_reserved = v.dr, voice_used = v.vu, voice_reserved = v.vr, sms_used = v.su, sms_reserved = v.sr FROM (",
            );
            q.push_values(chunk, |mut b, x| {
                b.push_bind(x.bundle_id)
                    .push_bind(x.state.as_str())
                    .push_bind(x.starts_at)
                    .push_bind(x.expires_at)
                    .push_bind(clamp(x.data.0))
                    .push_bind(clamp(x.data.1))
                    .push_bind(clamp(x.voice.0))
                    .push_bind(clamp(x.voice.1))
                    .push_bind(clamp(x.sms.0))
                    .push_bind(clamp(x.sms.1));
            });
            q.push(") AS v(id, state, starts_at, expires_at, du, dr, vu, vr, su, sr) WHERE bundles.id = v.id");
            q.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        for chunk in c.deletes.chunks(300) {
            let mut q = QueryBuilder::<Postgres>::new(
                "DELETE FROM reservations WHERE (line_id, session_id, rating_group) IN (",
            );
            q.push_values(chunk, |mut b, (line_id, session, rg)| {
                b.push_bind(*line_id).push_bind(session.clone()).push_bind(i64::from(*rg));
            });
            q.push(")");
            q.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        for chunk in c.upserts.chunks(300) {
            let mut q = QueryBuilder::<Postgres>::new(
                "INSERT INTO reservations (line_id, session_id, rating_group, service, country, parts, granted, expires_at) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.line_id)
                    .push_bind(r.session_id.clone())
                    .push_bind(i64::from(r.rating_group))
                    .push_bind(r.service.as_str())
                    .push_bind(r.country.clone())
                    .push_bind(serde_json::to_string(&r.parts).unwrap_or_else(|_| "[]".into()))
                    .push_bind(clamp(r.granted))
                    .push_bind(r.expires_at);
            });
            q.push(
                " ON CONFLICT (line_id, session_id, rating_group) DO UPDATE SET service = excluded.service, \
                 country = excluded.country, parts = excluded.parts, granted = excluded.granted, expires_at = excluded.expires_at",
            );
            q.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        for chunk in c.usage.chunks(300) {
            let mut q = QueryBuilder::<Postgres>::new("INSERT INTO usage_hours (line_id, service, hour, units) ");
            q.push_values(chunk, |mut b, ((line_id, svc, h), units)| {
                b.push_bind(*line_id).push_bind(svc.as_str()).push_bind(hour(*h)).push_bind(clamp(*units));
            });
            q.push(" ON CONFLICT (line_id, service, hour) DO UPDATE SET units = usage_hours.units + excluded.units");
            q.build().execute(&mut *tx).await.map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(applied)
    }

    pub(crate) async fn usage_event_seen_impl(&self, event_id: &str) -> StoreResult<bool> {
        let r: Option<String> = sqlx::query_scalar("SELECT event_id FROM usage_events WHERE event_id = $1")
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
             WHERE l.account_id = $1 AND l.id = $2 AND u.hour >= $3 AND u.hour < $4 ORDER BY u.hour, u.service",
        )
        .bind(account_id)
        .bind(line_id)
        .bind(hour(from))
        .bind(to)
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
        for r in sqlx::query("SELECT bundle_id, service, kind, SUM(units)::BIGINT AS total FROM ledger GROUP BY bundle_id, service, kind")
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
