//! Orders, payment notifications, fulfilment jobs, bundles, ledger and refunds on PostgreSQL.

use crate::{PostgresStore, db_err, get, opt_time_col, opt_uuid, time_col, uuid};
use keepsim_domain::bundle::{BundleState, LedgerKind, extended_validity};
use keepsim_domain::line::LineState;
use keepsim_domain::order::{OrderStatus, status_after_refund};
use keepsim_store::rows::*;
use keepsim_store::*;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

pub(crate) fn order_row(row: &PgRow) -> StoreResult<OrderRecord> {
    OrderRow {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        line_id: uuid(row, "line_id")?,
        package: get(row, "package")?,
        method: get(row, "method")?,
        currency: get(row, "currency")?,
        amount_minor: get(row, "amount_minor")?,
        status: get(row, "status")?,
        idempotency_key: get(row, "idempotency_key")?,
        request_hash: get(row, "request_hash")?,
        out_trade_no: get(row, "out_trade_no")?,
        provider_ref: get(row, "provider_ref")?,
        client_secret: get(row, "client_secret")?,
        pay_url: get(row, "pay_url")?,
        creating_until: opt_time_col(row, "creating_until")?,
        flag: get(row, "flag")?,
        refunded_minor: get(row, "refunded_minor")?,
        created_at: time_col(row, "created_at")?,
        updated_at: time_col(row, "updated_at")?,
        expires_at: time_col(row, "expires_at")?,
        paid_at: opt_time_col(row, "paid_at")?,
        fulfilled_at: opt_time_col(row, "fulfilled_at")?,
        trade_closed_at: opt_time_col(row, "trade_closed_at")?,
    }
    .try_into()
}

pub(crate) fn bundle_row(row: &PgRow) -> StoreResult<BundleRecord> {
    BundleRow {
        id: uuid(row, "id")?,
        line_id: uuid(row, "line_id")?,
        order_id: uuid(row, "order_id")?,
        package_code: get(row, "package_code")?,
        state: get(row, "state")?,
        starts_at: opt_time_col(row, "starts_at")?,
        expires_at: opt_time_col(row, "expires_at")?,
        validity_days: get(row, "validity_days")?,
        coverage: get(row, "coverage")?,
        data_total: get(row, "data_total")?,
        fair_use_bytes: get(row, "fair_use_bytes")?,
        data_used: get(row, "data_used")?,
        data_reserved: get(row, "data_reserved")?,
        voice_total: get(row, "voice_total")?,
        voice_used: get(row, "voice_used")?,
        voice_reserved: get(row, "voice_reserved")?,
        sms_total: get(row, "sms_total")?,
        sms_used: get(row, "sms_used")?,
        sms_reserved: get(row, "sms_reserved")?,
        created_at: time_col(row, "created_at")?,
    }
    .try_into()
}

fn ledger_row(row: &PgRow) -> StoreResult<LedgerRecord> {
    LedgerRow {
        id: uuid(row, "id")?,
        line_id: uuid(row, "line_id")?,
        bundle_id: uuid(row, "bundle_id")?,
        order_id: opt_uuid(row, "order_id")?,
        kind: get(row, "kind")?,
        service: get(row, "service")?,
        units: get(row, "units")?,
        at: time_col(row, "at")?,
    }
    .try_into()
}

fn refund_row(row: &PgRow) -> StoreResult<RefundRecord> {
    Ok(RefundRecord {
        refund_no: get(row, "refund_no")?,
        order_id: uuid(row, "order_id")?,
        amount_minor: get(row, "amount_minor")?,
        status: get(row, "status")?,
        requested_by: get(row, "requested_by")?,
        created_at: time_col(row, "created_at")?,
    })
}

async fn event(
    tx: &mut Transaction<'static, Postgres>,
    order_id: Uuid,
    from: Option<OrderStatus>,
    to: OrderStatus,
    reason: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO order_events (order_id, from_status, to_status, reason, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(order_id)
        .bind(from.map(|s| s.as_str()))
        .bind(to.as_str())
        .bind(reason)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn order_in(tx: &mut Transaction<'static, Postgres>, id: Uuid) -> StoreResult<OrderRecord> {
    let row = sqlx::query("SELECT * FROM orders WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
    order_row(&row)
}

/// Moves an order from one of `from` to `to` with an event; false when it was in another state.
async fn transition(
    tx: &mut Transaction<'static, Postgres>,
    order: &OrderRecord,
    to: OrderStatus,
    reason: &str,
    now: OffsetDateTime,
) -> StoreResult<bool> {
    if !order.status.can_become(to) {
        return Ok(false);
    }
    // `updated_at` is always set; a transition to paid or fulfilled also stamps when.
    let stamp = match to {
        OrderStatus::Paid => "paid_at",
        OrderStatus::Fulfilled => "fulfilled_at",
        _ => "created_at",
    };
    let stamp_value = if stamp == "created_at" { order.created_at } else { now };
    let r = sqlx::query(&format!(
        "UPDATE orders SET status = $1, updated_at = $2, {stamp} = $3 WHERE id = $4 AND status = $5"
    ))
    .bind(to.as_str())
    .bind(now)
    .bind(stamp_value)
    .bind(order.id)
    .bind(order.status.as_str())
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    event(tx, order.id, Some(order.status), to, reason, now).await?;
    Ok(true)
}

async fn ledger_entry(
    tx: &mut Transaction<'static, Postgres>,
    bundle: &BundleRecord,
    kind: LedgerKind,
    service: keepsim_domain::bundle::Service,
    units: i64,
    order_id: Option<Uuid>,
    at: OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO ledger (id, line_id, bundle_id, order_id, kind, service, units, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(Uuid::now_v7())
        .bind(bundle.line_id)
        .bind(bundle.id)
        .bind(order_id)
        .bind(kind.as_str())
        .bind(service.as_str())
        .bind(units)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

impl PostgresStore {
    pub(crate) async fn create_order_impl(&self, n: NewOrder) -> StoreResult<OrderRecord> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO orders (id, account_id, line_id, package_code, package, method, currency, amount_minor, status, \
               idempotency_key, request_hash, out_trade_no, creating_until, created_at, updated_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'awaiting_payment', $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(n.id)
        .bind(n.account_id)
        .bind(n.line_id)
        .bind(&n.package.code)
        .bind(package_json(&n.package))
        .bind(&n.method)
        .bind(n.amount.currency().to_string())
        .bind(n.amount.amount_minor())
        .bind(&n.idempotency_key)
        .bind(&n.request_hash)
        .bind(&n.out_trade_no)
        .bind(n.creating_until)
        .bind(n.created_at)
        .bind(n.created_at)
        .bind(n.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("idempotency_key"),
            other => other,
        })?;
        event(&mut tx, n.id, None, OrderStatus::AwaitingPayment, "created", n.created_at).await?;
        let order = order_in(&mut tx, n.id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(order)
    }

    async fn one_order(
        &self,
        q: sqlx::query::Query<'_, Postgres, sqlx::postgres::PgArguments>,
    ) -> StoreResult<Option<OrderRecord>> {
        q.fetch_optional(&self.pool).await.map_err(db_err)?.as_ref().map(order_row).transpose()
    }

    pub(crate) async fn order_by_key_impl(&self, account_id: Uuid, key: &str) -> StoreResult<Option<OrderRecord>> {
        self.one_order(
            sqlx::query("SELECT * FROM orders WHERE account_id = $1 AND idempotency_key = $2")
                .bind(account_id)
                .bind(key),
        )
        .await
    }

    pub(crate) async fn order_impl(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<OrderRecord>> {
        self.one_order(sqlx::query("SELECT * FROM orders WHERE account_id = $1 AND id = $2").bind(account_id).bind(id))
            .await
    }

    pub(crate) async fn order_by_id_impl(&self, id: Uuid) -> StoreResult<Option<OrderRecord>> {
        self.one_order(sqlx::query("SELECT * FROM orders WHERE id = $1").bind(id)).await
    }

    pub(crate) async fn order_by_out_trade_no_impl(&self, no: &str) -> StoreResult<Option<OrderRecord>> {
        self.one_order(sqlx::query("SELECT * FROM orders WHERE out_trade_no = $1").bind(no)).await
    }

    pub(crate) async fn order_by_provider_ref_impl(&self, r: &str) -> StoreResult<Option<OrderRecord>> {
        self.one_order(sqlx::query("SELECT * FROM orders WHERE provider_ref = $1 ORDER BY created_at LIMIT 1").bind(r))
            .await
    }

    pub(crate) async fn claim_order_creation_impl(
        &self,
        id: Uuid,
        until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE orders SET creating_until = $1 WHERE id = $2 AND provider_ref IS NULL \
             AND (creating_until IS NULL OR creating_until <= $3)",
        )
        .bind(until)
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    pub(crate) async fn attach_payment_impl(
        &self,
        id: Uuid,
        provider_ref: &str,
        client_secret: Option<&str>,
        pay_url: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<OrderRecord> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE orders SET provider_ref = $1, client_secret = $2, pay_url = $3, creating_until = NULL, updated_at = $4 WHERE id = $5",
        )
        .bind(provider_ref)
        .bind(client_secret)
        .bind(pay_url)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let order = order_in(&mut tx, id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(order)
    }

    pub(crate) async fn order_events_impl(&self, order_id: Uuid) -> StoreResult<Vec<OrderEventRecord>> {
        let rows = sqlx::query("SELECT * FROM order_events WHERE order_id = $1 ORDER BY id")
            .bind(order_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(OrderEventRecord {
                    order_id: uuid(r, "order_id")?,
                    from: get::<Option<String>>(r, "from_status")?.map(|s| order_status(&s)).transpose()?,
                    to: order_status(&get::<String>(r, "to_status")?)?,
                    reason: get(r, "reason")?,
                    at: time_col(r, "at")?,
                })
            })
            .collect()
    }

    pub(crate) async fn apply_payment_event_impl(&self, e: PaymentEvent) -> StoreResult<PaymentOutcome> {
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO payment_events (method, event_id, order_id, kind, received_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (method, event_id) DO NOTHING",
        )
        .bind(&e.method)
        .bind(&e.event_id)
        .bind(e.order_id)
        .bind(&e.kind)
        .bind(e.received_at)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if inserted.rows_affected() == 0 {
            return Ok(PaymentOutcome::Duplicate);
        }
        let order = order_in(&mut tx, e.order_id).await?;
        let mut newly_paid = false;
        match &e.effect {
            PaymentEffect::Paid { provider_ref } => {
                let late = order.status == OrderStatus::Expired;
                if transition(&mut tx, &order, OrderStatus::Paid, &format!("{} {}", e.method, e.kind), e.received_at)
                    .await?
                {
                    newly_paid = true;
                    sqlx::query("UPDATE orders SET provider_ref = COALESCE(provider_ref, $1) WHERE id = $2")
                        .bind(provider_ref)
                        .bind(order.id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if late {
                        sqlx::query("UPDATE orders SET flag = $1 WHERE id = $2")
                            .bind("paid after the order expired: fulfilled, check with the customer")
                            .bind(order.id)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                    }
                    sqlx::query(
                        "INSERT INTO fulfilment_jobs (id, order_id, state, attempts, run_after, created_at, updated_at) \
                         VALUES ($1, $2, 'queued', 0, $3, $4, $5) ON CONFLICT (order_id) DO NOTHING",
                    )
                    .bind(Uuid::now_v7())
                    .bind(order.id)
                    .bind(e.received_at)
                    .bind(e.received_at)
                    .bind(e.received_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                }
            }
            PaymentEffect::Flag { reason } => {
                sqlx::query("UPDATE orders SET flag = $1, updated_at = $2 WHERE id = $3")
                    .bind(reason)
                    .bind(e.received_at)
                    .bind(order.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            PaymentEffect::Nothing => {}
        }
        let order = order_in(&mut tx, e.order_id).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(PaymentOutcome::Recorded { order: Box::new(order), newly_paid })
    }

    pub(crate) async fn flag_order_impl(&self, id: Uuid, reason: &str, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE orders SET flag = $1, updated_at = $2 WHERE id = $3")
            .bind(reason)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn expire_unpaid_orders_impl(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<OrderRecord>> {
        let mut tx = self.write().await?;
        let rows = sqlx::query(
            "SELECT * FROM orders WHERE status = 'awaiting_payment' AND expires_at <= $1 ORDER BY expires_at LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut expired = Vec::new();
        for r in &rows {
            let order = order_row(r)?;
            if transition(&mut tx, &order, OrderStatus::Expired, "unpaid past its expiry", now).await? {
                expired.push(order_in(&mut tx, order.id).await?);
            }
        }
        tx.commit().await.map_err(db_err)?;
        Ok(expired)
    }

    pub(crate) async fn orders_to_close_impl(&self, limit: u32) -> StoreResult<Vec<OrderRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM orders WHERE status = 'expired' AND trade_closed_at IS NULL ORDER BY expires_at LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(order_row).collect()
    }

    pub(crate) async fn mark_trade_closed_impl(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE orders SET trade_closed_at = $1, updated_at = $2 WHERE id = $3")
            .bind(now)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn orders_to_reconcile_impl(
        &self,
        cutoff: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<OrderRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM orders WHERE status IN ('awaiting_payment', 'expired') AND provider_ref IS NOT NULL \
             AND created_at <= $1 AND (trade_closed_at IS NULL OR status = 'awaiting_payment') ORDER BY created_at LIMIT $2",
        )
        .bind(cutoff)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(order_row).collect()
    }

    pub(crate) async fn claim_fulfilment_job_impl(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<JobRecord>> {
        let mut tx = self.write().await?;
        // SKIP LOCKED: concurrent workers take different jobs instead of waiting on one.
        let row = sqlx::query(
            "UPDATE fulfilment_jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, updated_at = $2 \
             WHERE id = (SELECT id FROM fulfilment_jobs \
                         WHERE (state = 'queued' AND run_after <= $3) OR (state = 'running' AND lease_until <= $4) \
                         ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, order_id, attempts, lease_until",
        )
        .bind(lease_until)
        .bind(now)
        .bind(now)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let job = row
            .map(|r| {
                Ok::<_, StoreError>(JobRecord {
                    id: uuid(&r, "id")?,
                    order_id: uuid(&r, "order_id")?,
                    attempts: get(&r, "attempts")?,
                    lease_until: get(&r, "lease_until")?,
                })
            })
            .transpose()?;
        tx.commit().await.map_err(db_err)?;
        Ok(job)
    }

    pub(crate) async fn complete_fulfilment_impl(
        &self,
        job_id: Uuid,
        b: NewBundle,
        now: OffsetDateTime,
    ) -> StoreResult<Fulfilled> {
        let mut tx = self.write().await?;
        let existing = sqlx::query("SELECT * FROM bundles WHERE order_id = $1 FOR UPDATE")
            .bind(b.order_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if let Some(row) = existing {
            let bundle = bundle_row(&row)?;
            sqlx::query("UPDATE fulfilment_jobs SET state = 'done', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(job_id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            return Ok(Fulfilled { bundle, already: true });
        }
        let order = order_in(&mut tx, b.order_id).await?;
        if !order.status.can_become(OrderStatus::Fulfilled) {
            return Err(StoreError::Conflict("order_not_paid"));
        }
        let p = &order.package;
        sqlx::query(
            "INSERT INTO bundles (id, line_id, order_id, package_code, state, starts_at, expires_at, validity_days, coverage, \
               data_total, fair_use_bytes, voice_total, sms_total, created_at) \
             VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(b.id)
        .bind(order.line_id)
        .bind(order.id)
        .bind(&p.code)
        .bind(b.starts_at)
        .bind(b.expires_at)
        .bind(i64::from(p.validity_days))
        .bind(coverage_json(&p.coverage))
        .bind(p.data.bytes().map(|x| to_i64(x.0)).transpose()?)
        .bind(p.data.fair_use().map(|x| to_i64(x.0)).transpose()?)
        .bind(to_i64(p.voice.0)?)
        .bind(to_i64(p.sms.0)?)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        let row =
            sqlx::query("SELECT * FROM bundles WHERE id = $1").bind(b.id).fetch_one(&mut *tx).await.map_err(db_err)?;
        let bundle = bundle_row(&row)?;
        for (service, units) in credits(p)? {
            ledger_entry(&mut tx, &bundle, LedgerKind::TopUpCredit, service, units, Some(order.id), now).await?;
        }
        let line = sqlx::query("SELECT state, valid_until FROM lines WHERE id = $1")
            .bind(order.line_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let state: String = get(&line, "state")?;
        let valid_until = opt_time_col(&line, "valid_until")?;
        // A first top-up activates; in grace or suspended only a qualifying one revives.
        let new_state = match LineState::parse(&state) {
            Some(LineState::Recycled) => LineState::Recycled,
            Some(s @ (LineState::Grace | LineState::Suspended)) if !b.revives => s,
            _ => LineState::Active,
        };
        sqlx::query("UPDATE lines SET state = $1, valid_until = $2 WHERE id = $3")
            .bind(new_state.as_str())
            .bind(extended_validity(valid_until, b.keeps_number_days, now))
            .bind(order.line_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        transition(&mut tx, &order, OrderStatus::Fulfilled, "bundle credited", now).await?;
        sqlx::query("UPDATE fulfilment_jobs SET state = 'done', last_error = NULL, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(job_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(Fulfilled { bundle, already: false })
    }

    pub(crate) async fn fail_fulfilment_job_impl(
        &self,
        job_id: Uuid,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        match retry_at {
            Some(at) => {
                sqlx::query(
                    "UPDATE fulfilment_jobs SET state = 'queued', run_after = $1, lease_until = NULL, last_error = $2, updated_at = $3 WHERE id = $4",
                )
                .bind(at)
                .bind(error)
                .bind(now)
                .bind(job_id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            None => {
                let order_id: Uuid = sqlx::query_scalar(
                    "UPDATE fulfilment_jobs SET state = 'failed', lease_until = NULL, last_error = $1, updated_at = $2 WHERE id = $3 RETURNING order_id",
                )
                .bind(error)
                .bind(now)
                .bind(job_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
                let order = order_in(&mut tx, order_id).await?;
                transition(&mut tx, &order, OrderStatus::Failed, &format!("fulfilment gave up: {error}"), now).await?;
            }
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn fulfilment_jobs_impl(&self, state: &str, limit: u32) -> StoreResult<Vec<JobView>> {
        let rows = sqlx::query("SELECT * FROM fulfilment_jobs WHERE state = $1 ORDER BY updated_at DESC LIMIT $2")
            .bind(state)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(JobView {
                    id: uuid(r, "id")?,
                    order_id: uuid(r, "order_id")?,
                    state: get(r, "state")?,
                    attempts: get(r, "attempts")?,
                    last_error: get(r, "last_error")?,
                })
            })
            .collect()
    }

    pub(crate) async fn line_bundles_impl(&self, account_id: Uuid, line_id: Uuid) -> StoreResult<Vec<BundleRecord>> {
        let rows = sqlx::query(
            "SELECT b.* FROM bundles b JOIN lines l ON l.id = b.line_id WHERE l.account_id = $1 AND l.id = $2 ORDER BY b.created_at DESC, b.id DESC",
        )
        .bind(account_id)
        .bind(line_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(bundle_row).collect()
    }

    pub(crate) async fn order_bundle_impl(&self, order_id: Uuid) -> StoreResult<Option<BundleRecord>> {
        let row = sqlx::query("SELECT * FROM bundles WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(bundle_row).transpose()
    }

    pub(crate) async fn line_ledger_impl(&self, account_id: Uuid, line_id: Uuid) -> StoreResult<Vec<LedgerRecord>> {
        let rows = sqlx::query(
            "SELECT g.* FROM ledger g JOIN lines l ON l.id = g.line_id WHERE l.account_id = $1 AND l.id = $2 ORDER BY g.at, g.id",
        )
        .bind(account_id)
        .bind(line_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(ledger_row).collect()
    }

    pub(crate) async fn create_refund_impl(&self, r: RefundRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO refunds (refund_no, order_id, amount_minor, status, requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&r.refund_no)
        .bind(r.order_id)
        .bind(r.amount_minor)
        .bind(&r.status)
        .bind(&r.requested_by)
        .bind(r.created_at)
        .bind(r.created_at)
        .execute(&self.pool)
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("refund_exists"),
            other => other,
        })?;
        Ok(())
    }

    pub(crate) async fn order_refunds_impl(&self, order_id: Uuid) -> StoreResult<Vec<RefundRecord>> {
        let rows = sqlx::query("SELECT * FROM refunds WHERE order_id = $1 ORDER BY created_at")
            .bind(order_id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(refund_row).collect()
    }

    pub(crate) async fn complete_refund_impl(
        &self,
        order_id: Uuid,
        refund_no: &str,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let amount: Option<i64> = sqlx::query_scalar(
            "UPDATE refunds SET status = 'succeeded', updated_at = $1 WHERE refund_no = $2 AND order_id = $3 AND status <> 'succeeded' RETURNING amount_minor",
        )
        .bind(now)
        .bind(refund_no)
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some(amount) = amount else {
            return Ok(false);
        };
        let order = order_in(&mut tx, order_id).await?;
        let refunded = order.refunded_minor.saturating_add(amount);
        sqlx::query("UPDATE orders SET refunded_minor = $1, updated_at = $2 WHERE id = $3")
            .bind(refunded)
            .bind(now)
            .bind(order_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let to = status_after_refund(order.amount.amount_minor(), refunded);
        transition(&mut tx, &order, to, &format!("refund {refund_no} of {amount}"), now).await?;
        // A refund ends the bundle: its unused units are revoked, visibly.
        if let Some(row) = sqlx::query("SELECT * FROM bundles WHERE order_id = $1 AND state = 'active'")
            .bind(order_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
        {
            let bundle = bundle_row(&row)?;
            for (service, balance) in [
                (keepsim_domain::bundle::Service::Data, bundle.data),
                (keepsim_domain::bundle::Service::Voice, bundle.voice),
                (keepsim_domain::bundle::Service::Sms, bundle.sms),
            ] {
                if let Some(left) = balance.remaining().filter(|l| *l > 0) {
                    ledger_entry(
                        &mut tx,
                        &bundle,
                        LedgerKind::RefundRevoke,
                        service,
                        -to_i64(left)?,
                        Some(order_id),
                        now,
                    )
                    .await?;
                }
            }
            sqlx::query("UPDATE bundles SET state = $1 WHERE id = $2")
                .bind(BundleState::Revoked.as_str())
                .bind(bundle.id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    pub(crate) async fn fail_refund_impl(
        &self,
        order_id: Uuid,
        refund_no: &str,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE refunds SET status = 'failed', updated_at = $1 WHERE refund_no = $2 AND order_id = $3 AND status <> 'succeeded'")
            .bind(now)
            .bind(refund_no)
            .bind(order_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
