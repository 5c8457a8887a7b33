//! The staff console on SQLite: staff sessions and second factor, the audit
//! trail, support tickets, the console's lists and reports, and retries.

use crate::{SqliteStore, account_row, db_err, get, line_row, opt_time_col, opt_uuid, time_col, us, uuid};
use keepsim_domain::ticket::TicketStatus;
use keepsim_store::rows::*;
use keepsim_store::*;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite};
use time::OffsetDateTime;
use uuid::Uuid;

/// Microseconds per day.
const DAY_US: i64 = 86_400_000_000;

pub(crate) fn staff_row(row: &SqliteRow) -> StoreResult<StaffRecord> {
    StaffRow {
        id: uuid(row, "id")?,
        email: get(row, "email")?,
        password_hash: get(row, "password_hash")?,
        role: get(row, "role")?,
        created_at: time_col(row, "created_at")?,
        totp_secret: get(row, "totp_secret")?,
        totp_confirmed: get(row, "totp_confirmed")?,
        totp_last_step: get(row, "totp_last_step")?,
        disabled_at: opt_time_col(row, "disabled_at")?,
    }
    .try_into()
}

fn audit_row(row: &SqliteRow) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        id: uuid(row, "id")?,
        staff_id: opt_uuid(row, "staff_id")?,
        staff_email: get(row, "staff_email")?,
        action: get(row, "action")?,
        target: get(row, "target")?,
        detail: get(row, "detail")?,
        at: time_col(row, "at")?,
    })
}

fn ticket_row(row: &SqliteRow) -> StoreResult<TicketRecord> {
    TicketRow {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        subject: get(row, "subject")?,
        status: get(row, "status")?,
        created_at: time_col(row, "created_at")?,
        updated_at: time_col(row, "updated_at")?,
    }
    .try_into()
}

fn ticket_message_row(row: &SqliteRow) -> StoreResult<TicketMessageRecord> {
    TicketMessageRow {
        id: uuid(row, "id")?,
        ticket_id: uuid(row, "ticket_id")?,
        author: get(row, "author")?,
        staff_id: opt_uuid(row, "staff_id")?,
        body: get(row, "body")?,
        created_at: time_col(row, "created_at")?,
    }
    .try_into()
}

/// Appends "comes after the cursor item" for a list ordered by `(ts DESC, id DESC)`.
fn after_cursor(q: &mut QueryBuilder<'_, Sqlite>, table: &str, ts: &str, after: Option<Uuid>) {
    if let Some(after) = after {
        q.push(format!(" AND ({ts}, id) < (SELECT {ts}, id FROM {table} WHERE id = "));
        q.push_bind(after.to_string());
        q.push(")");
    }
}

impl SqliteStore {
    pub(crate) async fn staff_by_id_impl(&self, id: Uuid) -> StoreResult<Option<StaffRecord>> {
        let row = sqlx::query("SELECT * FROM staff WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(staff_row).transpose()
    }

    pub(crate) async fn list_staff_impl(&self) -> StoreResult<Vec<StaffRecord>> {
        let rows =
            sqlx::query("SELECT * FROM staff ORDER BY created_at, id").fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(staff_row).collect()
    }

    pub(crate) async fn set_staff_disabled_impl(
        &self,
        staff_id: Uuid,
        at: Option<OffsetDateTime>,
    ) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE staff SET disabled_at = ? WHERE id = ?")
            .bind(at.map(us))
            .bind(staff_id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn create_staff_session_impl(
        &self,
        token_hash: &str,
        staff_id: Uuid,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(staff_id.to_string())
            .bind(us(created_at))
            .bind(us(expires_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn staff_session_impl(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<(StaffRecord, bool)>> {
        let row = sqlx::query(
            "SELECT st.*, s.mfa_ok FROM staff_sessions s JOIN staff st ON st.id = s.staff_id \
             WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND st.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(us(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| Ok((staff_row(&r)?, get::<bool>(&r, "mfa_ok")?))).transpose()
    }

    pub(crate) async fn mark_staff_session_mfa_impl(&self, token_hash: &str) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE staff_sessions SET mfa_ok = 1 WHERE token_hash = ? AND revoked_at IS NULL")
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn revoke_staff_session_impl(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE staff_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")
            .bind(us(now))
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn set_staff_totp_secret_impl(&self, staff_id: Uuid, secret: &str) -> StoreResult<bool> {
        let r =
            sqlx::query("UPDATE staff SET totp_secret = ?, totp_last_step = NULL WHERE id = ? AND totp_confirmed = 0")
                .bind(secret)
                .bind(staff_id.to_string())
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn confirm_staff_totp_impl(&self, staff_id: Uuid, step: i64) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE staff SET totp_confirmed = 1, totp_last_step = ? \
             WHERE id = ? AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ?)",
        )
        .bind(step)
        .bind(staff_id.to_string())
        .bind(step)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn set_staff_totp_step_impl(&self, staff_id: Uuid, step: i64) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE staff SET totp_last_step = ? \
             WHERE id = ? AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ?)",
        )
        .bind(step)
        .bind(staff_id.to_string())
        .bind(step)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn record_audit_impl(&self, e: AuditRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (id, staff_id, staff_email, action, target, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.id.to_string())
        .bind(e.staff_id.map(|s| s.to_string()))
        .bind(&e.staff_email)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.detail)
        .bind(us(e.at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn audit_log_impl(&self, page: Page) -> StoreResult<Vec<AuditRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM audit_log WHERE 1 = 1");
        after_cursor(&mut q, "audit_log", "at", page.after);
        q.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(i64::from(page.limit));
        let rows = q.build().fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(audit_row).collect()
    }

    pub(crate) async fn create_ticket_impl(&self, t: TicketRecord, first: TicketMessageRecord) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO tickets (id, account_id, subject, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(t.id.to_string())
        .bind(t.account_id.to_string())
        .bind(&t.subject)
        .bind(t.status.as_str())
        .bind(us(t.created_at))
        .bind(us(t.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        insert_message(&mut tx, &first).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn add_ticket_message_impl(
        &self,
        msg: TicketMessageRecord,
        new_status: TicketStatus,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let r = sqlx::query("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?")
            .bind(new_status.as_str())
            .bind(us(now))
            .bind(msg.ticket_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if r.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        insert_message(&mut tx, &msg).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn set_ticket_status_impl(
        &self,
        id: Uuid,
        status: TicketStatus,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(us(now))
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn ticket_list(
        &self,
        account_id: Option<Uuid>,
        status: Option<TicketStatus>,
        page: Page,
    ) -> StoreResult<Vec<TicketRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM tickets WHERE 1 = 1");
        if let Some(a) = account_id {
            q.push(" AND account_id = ").push_bind(a.to_string());
        }
        if let Some(s) = status {
            q.push(" AND status = ").push_bind(s.as_str());
        }
        after_cursor(&mut q, "tickets", "updated_at", page.after);
        q.push(" ORDER BY updated_at DESC, id DESC LIMIT ").push_bind(i64::from(page.limit));
        let rows = q.build().fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(ticket_row).collect()
    }

    pub(crate) async fn tickets_of_impl(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<TicketRecord>> {
        self.ticket_list(Some(account_id), None, page).await
    }

    pub(crate) async fn tickets_by_status_impl(
        &self,
        status: Option<TicketStatus>,
        page: Page,
    ) -> StoreResult<Vec<TicketRecord>> {
        self.ticket_list(None, status, page).await
    }

    pub(crate) async fn ticket_of_impl(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<TicketRecord>> {
        let row = sqlx::query("SELECT * FROM tickets WHERE account_id = ? AND id = ?")
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(ticket_row).transpose()
    }

    pub(crate) async fn ticket_by_id_impl(&self, id: Uuid) -> StoreResult<Option<TicketRecord>> {
        let row = sqlx::query("SELECT * FROM tickets WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(ticket_row).transpose()
    }

    pub(crate) async fn ticket_messages_impl(&self, ticket_id: Uuid) -> StoreResult<Vec<TicketMessageRecord>> {
        let rows = sqlx::query("SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY created_at, id")
            .bind(ticket_id.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(ticket_message_row).collect()
    }

    pub(crate) async fn search_accounts_impl(
        &self,
        query: Option<&str>,
        page: Page,
    ) -> StoreResult<Vec<AccountRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM accounts WHERE 1 = 1");
        if let Some(text) = query.map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
            // Emails are stored lower-cased; instr() needs no escaping of % and _.
            q.push(" AND instr(email, ").push_bind(text).push(") > 0");
        }
        if let Some(after) = page.after {
            q.push(" AND id < ").push_bind(after.to_string());
        }
        q.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(page.limit));
        let rows = q.build().fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(account_row).collect()
    }

    pub(crate) async fn account_line_impl(&self, line_id: Uuid) -> StoreResult<Option<LineRecord>> {
        let row = sqlx::query(&format!("{} WHERE l.id = ?", crate::LINE_SELECT))
            .bind(line_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(line_row).transpose()
    }

    pub(crate) async fn list_orders_filtered_impl(&self, f: OrderFilter, page: Page) -> StoreResult<Vec<OrderRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new("SELECT * FROM orders WHERE 1 = 1");
        if let Some(s) = f.status {
            q.push(" AND status = ").push_bind(s);
        }
        if let Some(m) = f.method {
            q.push(" AND method = ").push_bind(m);
        }
        if let Some(a) = f.account_id {
            q.push(" AND account_id = ").push_bind(a.to_string());
        }
        if let Some(t) = f.since {
            q.push(" AND created_at >= ").push_bind(us(t));
        }
        if let Some(t) = f.until {
            q.push(" AND created_at < ").push_bind(us(t));
        }
        after_cursor(&mut q, "orders", "created_at", page.after);
        q.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(i64::from(page.limit));
        let rows = q.build().fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(crate::orders::order_row).collect()
    }

    pub(crate) async fn daily_sales_impl(&self, since: OffsetDateTime) -> StoreResult<Vec<DailySales>> {
        let rows = sqlx::query(
            "SELECT paid_at / ?1 AS day, currency, COUNT(*) AS orders, SUM(amount_minor) AS revenue \
             FROM orders WHERE paid_at IS NOT NULL AND paid_at >= ?2 GROUP BY day, currency ORDER BY day, currency",
        )
        .bind(DAY_US)
        .bind(us(since))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(DailySales {
                    day: unix_day(get(r, "day")?)?,
                    currency: get(r, "currency")?,
                    orders: get(r, "orders")?,
                    revenue_minor: get(r, "revenue")?,
                })
            })
            .collect()
    }

    pub(crate) async fn daily_data_used_impl(&self, since: OffsetDateTime) -> StoreResult<Vec<(time::Date, i64)>> {
        let rows = sqlx::query(
            "SELECT hour / ?1 AS day, SUM(units) AS bytes FROM usage_hours \
             WHERE service = 'data' AND hour >= ?2 GROUP BY day ORDER BY day",
        )
        .bind(DAY_US)
        .bind(us(since))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(|r| Ok((unix_day(get(r, "day")?)?, get(r, "bytes")?))).collect()
    }

    pub(crate) async fn daily_lines_in_use_impl(&self, since: OffsetDateTime) -> StoreResult<Vec<(time::Date, i64)>> {
        let rows = sqlx::query(
            "SELECT hour / ?1 AS day, COUNT(DISTINCT line_id) AS lines FROM usage_hours \
             WHERE hour >= ?2 AND units > 0 GROUP BY day ORDER BY day",
        )
        .bind(DAY_US)
        .bind(us(since))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(|r| Ok((unix_day(get(r, "day")?)?, get(r, "lines")?))).collect()
    }

    pub(crate) async fn line_counts_impl(&self) -> StoreResult<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM lines GROUP BY state ORDER BY state")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(|r| Ok((get(r, "state")?, get(r, "n")?))).collect()
    }

    pub(crate) async fn retry_fulfilment_job_impl(&self, job_id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE fulfilment_jobs SET state = 'queued', attempts = 0, run_after = ?1, lease_until = NULL, updated_at = ?1 \
             WHERE id = ?2 AND state = 'failed' \
               AND order_id IN (SELECT id FROM orders WHERE status IN ('paid', 'failed'))",
        )
        .bind(us(now))
        .bind(job_id.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn retry_delivery_impl(
        &self,
        channel: Channel,
        notification_id: Uuid,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let r = sqlx::query(&format!(
            "UPDATE {} SET state = 'retry', attempts = 0, next_attempt_at = ?1, updated_at = ?1 \
             WHERE notification_id = ?2 AND state = 'failed'",
            channel.table()
        ))
        .bind(us(now))
        .bind(notification_id.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }
}

async fn insert_message(tx: &mut sqlx::Transaction<'static, Sqlite>, m: &TicketMessageRecord) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO ticket_messages (id, ticket_id, author, staff_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(m.id.to_string())
    .bind(m.ticket_id.to_string())
    .bind(m.author.as_str())
    .bind(m.staff_id.map(|s| s.to_string()))
    .bind(&m.body)
    .bind(us(m.created_at))
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}
