//! The embedded SQLite backend of keepsim's [`Store`].
//!
//! WAL journal, a busy timeout, and every write transaction opened with
//! `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes fails
//! with SQLITE_BUSY instead of waiting for the writer ahead of it.

mod charging;
mod charging_writer;
mod console;
mod orders;

use async_trait::async_trait;
use keepsim_domain::catalogue::Catalogue;
use keepsim_store::rows::*;
use keepsim_store::*;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// keepsim's data in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The charging writer's own thread and connection (see `charging_writer`).
    charging: Arc<charging_writer::ChargingWriter>,
    _checkpoints: Arc<Checkpoints>,
}

/// Copies the write-ahead log back into the database file every 40 ms, from a reading
/// connection, so that commits do not stop to do it (a passive checkpoint never blocks the
/// writer). Stops when the last clone of the store is dropped.
#[derive(Debug)]
struct Checkpoints(tokio::task::AbortHandle);

impl Checkpoints {
    fn start(pool: SqlitePool) -> Checkpoints {
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(40));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                    tracing::debug!(error = %e, "background checkpoint failed; the next one retries");
                }
            }
        });
        Checkpoints(task.abort_handle())
    }
}

impl Drop for Checkpoints {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("unique_violation"),
        _ => StoreError::Unavailable(e.to_string()),
    }
}

pub(crate) fn us(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

pub(crate) fn from_us(v: i64) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(v) * 1000)
        .map_err(|_| StoreError::Corrupt(format!("timestamp {v}")))
}

pub(crate) fn uuid(row: &SqliteRow, col: &str) -> StoreResult<Uuid> {
    let s: String = row.try_get(col).map_err(db_err)?;
    Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt(format!("uuid {s:?}")))
}

pub(crate) fn opt_uuid(row: &SqliteRow, col: &str) -> StoreResult<Option<Uuid>> {
    let s: Option<String> = row.try_get(col).map_err(db_err)?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt(format!("uuid {s:?}")))).transpose()
}

pub(crate) fn get<'r, T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>>(
    row: &'r SqliteRow,
    col: &str,
) -> StoreResult<T> {
    row.try_get(col).map_err(db_err)
}

pub(crate) fn time_col(row: &SqliteRow, col: &str) -> StoreResult<OffsetDateTime> {
    from_us(get(row, col)?)
}

pub(crate) fn opt_time_col(row: &SqliteRow, col: &str) -> StoreResult<Option<OffsetDateTime>> {
    get::<Option<i64>>(row, col)?.map(from_us).transpose()
}

fn account_row(row: &SqliteRow) -> StoreResult<AccountRecord> {
    AccountRow {
        id: uuid(row, "id")?,
        email: get(row, "email")?,
        password_hash: get(row, "password_hash")?,
        locale: get(row, "locale")?,
        created_at: time_col(row, "created_at")?,
    }
    .try_into()
}

fn device_row(row: &SqliteRow) -> StoreResult<DeviceRecord> {
    DeviceRow {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        imei: get(row, "imei")?,
        eid: get(row, "eid")?,
        label: get(row, "label")?,
        line_id: opt_uuid(row, "line_id")?,
        created_at: time_col(row, "created_at")?,
    }
    .try_into()
}

fn line_row(row: &SqliteRow) -> StoreResult<LineRecord> {
    LineRow {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        device_id: uuid(row, "device_id")?,
        msisdn: get(row, "msisdn")?,
        iccid: get(row, "iccid")?,
        imsi: get(row, "imsi")?,
        smdp_address: get(row, "smdp_address")?,
        matching_id: get(row, "matching_id")?,
        state: get(row, "state")?,
        valid_until: opt_time_col(row, "valid_until")?,
        created_at: time_col(row, "created_at")?,
    }
    .try_into()
}

fn api_key_row(row: &SqliteRow) -> StoreResult<ApiKeyRecord> {
    let scopes: String = get(row, "scopes")?;
    Ok(ApiKeyRecord {
        id: uuid(row, "id")?,
        prefix: get(row, "prefix")?,
        key_hash: get(row, "key_hash")?,
        scopes: scopes.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        partner_id: get(row, "partner_id")?,
        created_at: time_col(row, "created_at")?,
        revoked_at: opt_time_col(row, "revoked_at")?,
    })
}

fn notification_row(row: &SqliteRow) -> StoreResult<NotificationRecord> {
    Ok(NotificationRecord {
        id: uuid(row, "id")?,
        account_id: uuid(row, "account_id")?,
        line_id: opt_uuid(row, "line_id")?,
        kind: get(row, "kind")?,
        data: get(row, "data")?,
        created_at: time_col(row, "created_at")?,
        read_at: opt_time_col(row, "read_at")?,
    })
}

const DEVICE_SELECT: &str = "SELECT d.id, d.account_id, d.imei, d.eid, d.label, d.created_at, l.id AS line_id \
     FROM devices d LEFT JOIN lines l ON l.device_id = d.id";

const LINE_SELECT: &str = "SELECT l.id, l.account_id, l.device_id, l.msisdn, l.state, l.valid_until, l.created_at, \
     p.iccid, p.imsi, p.smdp_address, p.matching_id FROM lines l JOIN profiles p ON p.id = l.profile_id";

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://path` or `sqlite::memory:`)
    /// and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Statement journals (a statement inside a transaction keeps the pages it changes, to
            // undo just itself) in memory rather than in a temporary file; the charging writer's
            // connection does the same (there they were half of all its write calls).
            .pragma("temp_store", "memory")
            // Checkpoints run in the background (below); a commit checkpoints by itself only
            // when those fell 80 MB behind.
            .pragma("wal_autocheckpoint", "20000");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await
            .map_err(db_err)?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let charging = charging_writer::ChargingWriter::start(charging_writer::Target {
            path: options.get_filename().to_path_buf(),
            in_memory: url.contains(":memory:") || url.contains("mode=memory"),
        })?;
        let checkpoints = Arc::new(Checkpoints::start(pool.clone()));
        Ok(SqliteStore { pool, charging: Arc::new(charging), _checkpoints: checkpoints })
    }

    pub(crate) async fn write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn set_meta_if_absent(&self, key: &str, value: &str) -> StoreResult<bool> {
        let r = sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn create_account(&self, new: NewAccount) -> StoreResult<AccountRecord> {
        sqlx::query("INSERT INTO accounts (id, email, password_hash, locale, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(new.id.to_string())
            .bind(new.email.as_str())
            .bind(&new.password_hash)
            .bind(new.locale.tag())
            .bind(us(new.created_at))
            .execute(&self.pool)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict("email_taken"),
                other => other,
            })?;
        Ok(AccountRecord {
            id: new.id,
            email: new.email,
            password_hash: new.password_hash,
            locale: new.locale,
            created_at: new.created_at,
        })
    }

    async fn account_by_email(&self, email: &str) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query("SELECT * FROM accounts WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    async fn account_by_id(&self, id: Uuid) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query("SELECT * FROM accounts WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    async fn create_session(&self, s: NewSession) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(&s.token_hash)
            .bind(s.account_id.to_string())
            .bind(us(s.created_at))
            .bind(us(s.expires_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session_account(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query(
            "SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?",
        )
        .bind(token_hash)
        .bind(us(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    async fn revoke_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL")
            .bind(us(now))
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_staff(&self, new: NewStaff) -> StoreResult<StaffRecord> {
        sqlx::query("INSERT INTO staff (id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(new.id.to_string())
            .bind(new.email.as_str())
            .bind(&new.password_hash)
            .bind(new.role.as_str())
            .bind(us(new.created_at))
            .execute(&self.pool)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict("email_taken"),
                other => other,
            })?;
        Ok(StaffRecord {
            id: new.id,
            email: new.email,
            password_hash: new.password_hash,
            role: new.role,
            created_at: new.created_at,
            totp_secret: None,
            totp_confirmed: false,
            totp_last_step: None,
            disabled_at: None,
        })
    }

    async fn staff_by_email(&self, email: &str) -> StoreResult<Option<StaffRecord>> {
        let row = sqlx::query("SELECT * FROM staff WHERE email = ?")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(console::staff_row).transpose()
    }

    async fn staff_by_id(&self, id: Uuid) -> StoreResult<Option<StaffRecord>> {
        self.staff_by_id_impl(id).await
    }
    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>> {
        self.list_staff_impl().await
    }
    async fn set_staff_disabled(&self, staff_id: Uuid, at: Option<OffsetDateTime>) -> StoreResult<bool> {
        self.set_staff_disabled_impl(staff_id, at).await
    }
    async fn create_staff_session(
        &self,
        token_hash: &str,
        staff_id: Uuid,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        self.create_staff_session_impl(token_hash, staff_id, created_at, expires_at).await
    }
    async fn staff_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<(StaffRecord, bool)>> {
        self.staff_session_impl(token_hash, now).await
    }
    async fn mark_staff_session_mfa(&self, token_hash: &str) -> StoreResult<bool> {
        self.mark_staff_session_mfa_impl(token_hash).await
    }
    async fn revoke_staff_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<()> {
        self.revoke_staff_session_impl(token_hash, now).await
    }
    async fn set_staff_totp_secret(&self, staff_id: Uuid, secret_base32: &str) -> StoreResult<bool> {
        self.set_staff_totp_secret_impl(staff_id, secret_base32).await
    }
    async fn confirm_staff_totp(&self, staff_id: Uuid, step: i64) -> StoreResult<bool> {
        self.confirm_staff_totp_impl(staff_id, step).await
    }
    async fn set_staff_totp_step(&self, staff_id: Uuid, step: i64) -> StoreResult<bool> {
        self.set_staff_totp_step_impl(staff_id, step).await
    }

    async fn create_device(&self, new: NewDevice) -> StoreResult<DeviceRecord> {
        sqlx::query("INSERT INTO devices (id, account_id, imei, eid, label, created_at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(new.id.to_string())
            .bind(new.account_id.to_string())
            .bind(new.imei.as_str())
            .bind(new.eid.as_ref().map(|e| e.as_str().to_string()))
            .bind(&new.label)
            .bind(us(new.created_at))
            .execute(&self.pool)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict("device_already_bound"),
                other => other,
            })?;
        Ok(DeviceRecord {
            id: new.id,
            account_id: new.account_id,
            imei: new.imei,
            eid: new.eid,
            label: new.label,
            line_id: None,
            created_at: new.created_at,
        })
    }

    async fn list_devices(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<DeviceRecord>> {
        let rows = sqlx::query(&format!("{DEVICE_SELECT} WHERE d.account_id = ? AND d.id > ? ORDER BY d.id LIMIT ?"))
            .bind(account_id.to_string())
            .bind(page.after.map(|u| u.to_string()).unwrap_or_default())
            .bind(i64::from(page.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(device_row).collect()
    }

    async fn device(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<DeviceRecord>> {
        let row = sqlx::query(&format!("{DEVICE_SELECT} WHERE d.account_id = ? AND d.id = ?"))
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(device_row).transpose()
    }

    async fn create_line(&self, new: NewLine) -> StoreResult<LineRecord> {
        let mut tx = self.write().await?;
        let owned: Option<String> = sqlx::query_scalar("SELECT id FROM devices WHERE id = ? AND account_id = ?")
            .bind(new.device_id.to_string())
            .bind(new.account_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let has_line: Option<String> = sqlx::query_scalar("SELECT id FROM lines WHERE device_id = ?")
            .bind(new.device_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if has_line.is_some() {
            return Err(StoreError::Conflict("device_has_line"));
        }
        // Inside BEGIN IMMEDIATE no other writer runs, so the profile we pick stays ours.
        let profile = sqlx::query(
            "UPDATE profiles SET state = 'assigned' WHERE id = \
             (SELECT id FROM profiles WHERE state = 'available' ORDER BY imported_at, id LIMIT 1) \
             RETURNING id, msisdn",
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::InventoryExhausted)?;
        let profile_id: String = get(&profile, "id")?;
        let msisdn: String = get(&profile, "msisdn")?;
        sqlx::query(
            "INSERT INTO lines (id, account_id, device_id, profile_id, msisdn, state, valid_until, created_at) \
             VALUES (?, ?, ?, ?, ?, 'assigned', NULL, ?)",
        )
        .bind(new.id.to_string())
        .bind(new.account_id.to_string())
        .bind(new.device_id.to_string())
        .bind(&profile_id)
        .bind(&msisdn)
        .bind(us(new.created_at))
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("device_has_line"),
            other => other,
        })?;
        let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.id = ?"))
            .bind(new.id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let line = line_row(&row)?;
        tx.commit().await.map_err(db_err)?;
        Ok(line)
    }

    async fn list_lines(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<LineRecord>> {
        let rows = sqlx::query(&format!("{LINE_SELECT} WHERE l.account_id = ? AND l.id > ? ORDER BY l.id LIMIT ?"))
            .bind(account_id.to_string())
            .bind(page.after.map(|u| u.to_string()).unwrap_or_default())
            .bind(i64::from(page.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(line_row).collect()
    }

    async fn line(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<LineRecord>> {
        let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.account_id = ? AND l.id = ?"))
            .bind(account_id.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(line_row).transpose()
    }

    async fn existing_iccids(&self, iccids: &[String]) -> StoreResult<Vec<String>> {
        let mut found = Vec::new();
        for chunk in iccids.chunks(500) {
            let placeholders = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT iccid FROM profiles WHERE state <> 'retired' AND iccid IN ({placeholders}) ORDER BY iccid"
            );
            let mut q = sqlx::query_scalar::<_, String>(&sql);
            for i in chunk {
                q = q.bind(i);
            }
            found.extend(q.fetch_all(&self.pool).await.map_err(db_err)?);
        }
        found.sort();
        Ok(found)
    }

    async fn existing_matching_ids(&self, pairs: &[(String, String)]) -> StoreResult<Vec<(String, String)>> {
        let mut found = Vec::new();
        for chunk in pairs.chunks(400) {
            let values = vec!["(?, ?)"; chunk.len()].join(",");
            let sql = format!(
                "SELECT smdp_address, matching_id FROM profiles WHERE state <> 'retired' \
                 AND (smdp_address, matching_id) IN (VALUES {values})"
            );
            let mut q = sqlx::query(&sql);
            for (smdp, matching) in chunk {
                q = q.bind(smdp).bind(matching);
            }
            for row in q.fetch_all(&self.pool).await.map_err(db_err)? {
                found.push((get(&row, "smdp_address")?, get(&row, "matching_id")?));
            }
        }
        found.sort();
        Ok(found)
    }

    async fn insert_profiles(&self, profiles: &[NewProfile], now: OffsetDateTime) -> StoreResult<u64> {
        let mut tx = self.write().await?;
        for p in profiles {
            sqlx::query(
                "INSERT INTO profiles (id, iccid, imsi, msisdn, smdp_address, matching_id, state, imported_at) \
                 VALUES (?, ?, ?, ?, ?, ?, 'available', ?)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(p.iccid.as_str())
            .bind(p.imsi.as_str())
            .bind(p.msisdn.as_str())
            .bind(&p.smdp_address)
            .bind(&p.matching_id)
            .bind(us(now))
            .execute(&mut *tx)
            .await
            .map_err(|e| match db_err(e) {
                StoreError::Conflict(_) => StoreError::Conflict("duplicate_profile"),
                other => other,
            })?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(profiles.len() as u64)
    }

    async fn inventory_stock(&self) -> StoreResult<Vec<StockLevel>> {
        let rows = sqlx::query(
            "SELECT smdp_address, \
               SUM(CASE WHEN state = 'available' THEN 1 ELSE 0 END) AS available, \
               SUM(CASE WHEN state = 'assigned' THEN 1 ELSE 0 END) AS assigned, \
               SUM(CASE WHEN state = 'retired' THEN 1 ELSE 0 END) AS retired \
             FROM profiles GROUP BY smdp_address ORDER BY smdp_address",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                Ok(StockLevel {
                    smdp_address: get(r, "smdp_address")?,
                    available: get(r, "available")?,
                    assigned: get(r, "assigned")?,
                    retired: get(r, "retired")?,
                })
            })
            .collect()
    }

    async fn load_catalogue(&self) -> StoreResult<Catalogue> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let mut regions = Vec::new();
        for r in sqlx::query("SELECT id, cldr, names FROM regions ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
        {
            let id: String = get(&r, "id")?;
            let countries: Vec<String> =
                sqlx::query_scalar("SELECT country FROM region_countries WHERE region_id = ? ORDER BY country")
                    .bind(&id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(db_err)?;
            regions.push(RegionRow { id, cldr: get(&r, "cldr")?, names: get(&r, "names")?, countries }.try_into()?);
        }
        let mut coverage: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for r in sqlx::query("SELECT package_code, country FROM package_countries")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
        {
            coverage.entry(get(&r, "package_code")?).or_default().push(get(&r, "country")?);
        }
        let mut prices: std::collections::HashMap<String, Vec<(String, i64)>> = std::collections::HashMap::new();
        for r in sqlx::query("SELECT package_code, currency, amount_minor FROM package_prices")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
        {
            prices.entry(get(&r, "package_code")?).or_default().push((get(&r, "currency")?, get(&r, "amount_minor")?));
        }
        let mut packages = Vec::new();
        for r in sqlx::query("SELECT * FROM packages ORDER BY code").fetch_all(&mut *conn).await.map_err(db_err)? {
            let code: String = get(&r, "code")?;
            packages.push(
                PackageRow {
                    coverage: coverage.remove(&code).unwrap_or_default(),
                    prices: prices.remove(&code).unwrap_or_default(),
                    name: get(&r, "name")?,
                    names: get(&r, "names")?,
                    tier: get(&r, "tier")?,
                    region: get(&r, "region_id")?,
                    data_bytes: get(&r, "data_bytes")?,
                    fair_use_bytes: get(&r, "fair_use_bytes")?,
                    voice_seconds: get(&r, "voice_seconds")?,
                    sms: get(&r, "sms")?,
                    validity_days: get(&r, "validity_days")?,
                    keeps_number_days: get(&r, "keeps_number_days")?,
                    starts: get(&r, "starts")?,
                    active: get(&r, "active")?,
                    code,
                }
                .try_into()?,
            );
        }
        let mut countries = Vec::new();
        for r in sqlx::query("SELECT code, names FROM country_names ORDER BY code")
            .fetch_all(&mut *conn)
            .await
            .map_err(db_err)?
        {
            let (code, names): (String, String) = (get(&r, "code")?, get(&r, "names")?);
            countries.push(keepsim_store::rows::country_names(&code, &names)?);
        }
        drop(conn);
        Ok(Catalogue { regions, packages, policies: self.keepalive_policies().await?, countries })
    }

    async fn apply_catalogue(&self, c: &Catalogue, now: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('catalogue_version', '1') \
             ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        // The file names every country the operator names: the rest go back to CLDR's names.
        sqlx::query("DELETE FROM country_names").execute(&mut *tx).await.map_err(db_err)?;
        for country in &c.countries {
            sqlx::query("INSERT INTO country_names (code, names, updated_at) VALUES (?, ?, ?)")
                .bind(country.code.as_str())
                .bind(names_json(&country.names))
                .bind(us(now))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        for r in &c.regions {
            sqlx::query(
                "INSERT INTO regions (id, cldr, names, updated_at) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET cldr = excluded.cldr, names = excluded.names, updated_at = excluded.updated_at",
            )
            .bind(&r.id)
            .bind(&r.cldr)
            .bind(names_json(&r.names))
            .bind(us(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            sqlx::query("DELETE FROM region_countries WHERE region_id = ?")
                .bind(&r.id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for country in &r.countries {
                sqlx::query("INSERT INTO region_countries (region_id, country) VALUES (?, ?)")
                    .bind(&r.id)
                    .bind(country.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        sqlx::query("UPDATE packages SET active = 0, updated_at = ? WHERE active = 1")
            .bind(us(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for p in &c.packages {
            sqlx::query(
                "INSERT INTO packages (code, name, names, tier, region_id, data_bytes, fair_use_bytes, voice_seconds, sms, \
                   validity_days, keeps_number_days, starts, active, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, names = excluded.names, tier = excluded.tier, \
                   region_id = excluded.region_id, data_bytes = excluded.data_bytes, fair_use_bytes = excluded.fair_use_bytes, \
                   voice_seconds = excluded.voice_seconds, sms = excluded.sms, validity_days = excluded.validity_days, \
                   keeps_number_days = excluded.keeps_number_days, starts = excluded.starts, active = excluded.active, \
                   updated_at = excluded.updated_at",
            )
            .bind(&p.code)
            .bind(&p.name)
            .bind(names_json(&p.names))
            .bind(p.tier.as_str())
            .bind(&p.region)
            .bind(p.data.bytes().map(|b| to_i64(b.0)).transpose()?)
            .bind(p.data.fair_use().map(|b| to_i64(b.0)).transpose()?)
            .bind(to_i64(p.voice.0)?)
            .bind(to_i64(p.sms.0)?)
            .bind(i64::from(p.validity_days))
            .bind(i64::from(p.keeps_number_days))
            .bind(p.starts.as_str())
            .bind(p.active)
            .bind(us(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            sqlx::query("DELETE FROM package_countries WHERE package_code = ?")
                .bind(&p.code)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for country in &p.coverage {
                sqlx::query("INSERT INTO package_countries (package_code, country) VALUES (?, ?)")
                    .bind(&p.code)
                    .bind(country.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            sqlx::query("DELETE FROM package_prices WHERE package_code = ?")
                .bind(&p.code)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for m in &p.prices {
                sqlx::query("INSERT INTO package_prices (package_code, currency, amount_minor) VALUES (?, ?, ?)")
                    .bind(&p.code)
                    .bind(m.currency().to_string())
                    .bind(m.amount_minor())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        sqlx::query("DELETE FROM keepalive_policies").execute(&mut *tx).await.map_err(db_err)?;
        for p in &c.policies {
            sqlx::query("INSERT INTO keepalive_policies (id, data) VALUES (?, ?)")
                .bind(&p.id)
                .bind(serde_json::to_string(p).unwrap_or_else(|_| "{}".into()))
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn subscriber(&self, msisdn: Option<&str>, imsi: Option<&str>) -> StoreResult<Option<Subscriber>> {
        self.subscriber_impl(msisdn, imsi).await
    }
    async fn charging_state(&self, line_id: Uuid) -> StoreResult<Option<ChargingState>> {
        self.charging_state_impl(line_id).await
    }
    async fn commit_charging(&self, batch: &[ChargingWrite]) -> StoreResult<Vec<bool>> {
        self.commit_charging_impl(batch).await
    }
    async fn usage_event_seen(&self, event_id: &str) -> StoreResult<bool> {
        self.usage_event_seen_impl(event_id).await
    }
    async fn usage_hours(
        &self,
        account_id: Uuid,
        line_id: Uuid,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<UsagePoint>> {
        self.usage_hours_impl(account_id, line_id, from, to).await
    }
    async fn lines_with_stale_reservations(&self, before: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT line_id FROM reservations WHERE expires_at < ? LIMIT ?")
                .bind(us(before))
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        ids.iter().map(|s| Uuid::parse_str(s).map_err(|_| StoreError::Corrupt(format!("uuid {s:?}")))).collect()
    }
    async fn check_ledger(&self) -> StoreResult<Vec<LedgerDifference>> {
        self.check_ledger_impl().await
    }

    async fn create_notification(&self, n: NewNotification) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO notifications (id, account_id, line_id, kind, data, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(n.id.to_string())
        .bind(n.account_id.to_string())
        .bind(n.line_id.map(|l| l.to_string()))
        .bind(&n.kind)
        .bind(&n.data)
        .bind(&n.dedupe_key)
        .bind(us(n.created_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn notifications(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<NotificationRecord>> {
        let before = page.after.map(|u| u.to_string()).unwrap_or_else(|| "~".into());
        let rows = sqlx::query("SELECT * FROM notifications WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
            .bind(account_id.to_string())
            .bind(before)
            .bind(i64::from(page.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(notification_row).collect()
    }

    async fn mark_notification_read(&self, account_id: Uuid, id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE account_id = ? AND id = ?")
            .bind(us(now))
            .bind(account_id.to_string())
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn lines_with_expired_bundles(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT line_id FROM bundles WHERE state = 'active' AND expires_at <= ? LIMIT ?",
        )
        .bind(us(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        ids.iter().map(|s| Uuid::parse_str(s).map_err(|_| StoreError::Corrupt(format!("uuid {s:?}")))).collect()
    }

    async fn bundles_expiring(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<(Uuid, BundleRecord)>> {
        let rows = sqlx::query(
            "SELECT b.*, l.account_id AS owner FROM bundles b JOIN lines l ON l.id = b.line_id \
             WHERE b.state = 'active' AND b.expires_at > ? AND b.expires_at <= ? ORDER BY b.expires_at LIMIT ?",
        )
        .bind(us(from))
        .bind(us(to))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(|r| Ok((uuid(r, "owner")?, orders::bundle_row(r)?))).collect()
    }

    async fn claim_deliveries(
        &self,
        channel: Channel,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<(NotificationRecord, AccountRecord, i64)>> {
        let mut tx = self.write().await?;
        let due: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT n.id FROM notifications n LEFT JOIN {} d ON d.notification_id = n.id \
             WHERE d.notification_id IS NULL OR (d.state IN ('retry', 'sending') AND d.next_attempt_at <= ?) \
             ORDER BY n.id LIMIT ?",
            channel.table()
        ))
        .bind(us(now))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut out = Vec::new();
        for id in due {
            let attempts: i64 = sqlx::query_scalar(
                &format!("INSERT INTO {t} (notification_id, state, attempts, next_attempt_at, updated_at) VALUES (?, 'sending', 1, ?, ?) \
                 ON CONFLICT (notification_id) DO UPDATE SET state = 'sending', attempts = {t}.attempts + 1, \
                 next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at RETURNING attempts", t = channel.table()),
            )
            .bind(&id)
            .bind(us(lease_until))
            .bind(us(now))
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            let row = sqlx::query("SELECT * FROM notifications WHERE id = ?")
                .bind(&id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
            let n = notification_row(&row)?;
            let acc = sqlx::query("SELECT * FROM accounts WHERE id = ?")
                .bind(n.account_id.to_string())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
            out.push((n, account_row(&acc)?, attempts));
        }
        tx.commit().await.map_err(db_err)?;
        Ok(out)
    }

    async fn finish_delivery(
        &self,
        channel: Channel,
        notification_id: Uuid,
        state: &str,
        next: OffsetDateTime,
        error: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(&format!(
            "UPDATE {} SET state = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE notification_id = ?",
            channel.table()
        ))
        .bind(state)
        .bind(us(next))
        .bind(error)
        .bind(us(now))
        .bind(notification_id.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn delete_device(&self, account_id: Uuid, device_id: Uuid) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let owned: Option<String> = sqlx::query_scalar("SELECT id FROM devices WHERE id = ? AND account_id = ?")
            .bind(device_id.to_string())
            .bind(account_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let line: Option<String> = sqlx::query_scalar("SELECT id FROM lines WHERE device_id = ?")
            .bind(device_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if line.is_some() {
            return Err(StoreError::Conflict("device_has_line"));
        }
        sqlx::query("DELETE FROM devices WHERE id = ?")
            .bind(device_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn move_line(
        &self,
        account_id: Uuid,
        line_id: Uuid,
        device_id: Uuid,
        now: OffsetDateTime,
    ) -> StoreResult<LineRecord> {
        let mut tx = self.write().await?;
        let old = sqlx::query(&format!("{LINE_SELECT} WHERE l.account_id = ? AND l.id = ?"))
            .bind(account_id.to_string())
            .bind(line_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let old = line_row(&old)?;
        let old_profile: String = sqlx::query_scalar("SELECT profile_id FROM lines WHERE id = ?")
            .bind(line_id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let owned: Option<String> = sqlx::query_scalar("SELECT id FROM devices WHERE id = ? AND account_id = ?")
            .bind(device_id.to_string())
            .bind(account_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let busy: Option<String> = sqlx::query_scalar("SELECT id FROM lines WHERE device_id = ?")
            .bind(device_id.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if busy.is_some() {
            return Err(StoreError::Conflict("device_has_line"));
        }
        let new_profile: String = sqlx::query_scalar(
            "UPDATE profiles SET state = 'assigned' WHERE id = \
             (SELECT id FROM profiles WHERE state = 'available' ORDER BY imported_at, id LIMIT 1) RETURNING id",
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::InventoryExhausted)?;
        sqlx::query("UPDATE lines SET device_id = ?, profile_id = ? WHERE id = ?")
            .bind(device_id.to_string())
            .bind(&new_profile)
            .bind(line_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        // A downloaded profile is never handed out again.
        sqlx::query("UPDATE profiles SET state = 'retired' WHERE id = ?")
            .bind(&old_profile)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.id = ?"))
            .bind(line_id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let line = line_row(&row)?;
        let data = format!(
            r#"{{"from_device":"{}","to_device":"{}","old_iccid":"{}","new_iccid":"{}"}}"#,
            old.device_id, device_id, old.iccid, line.iccid
        );
        sqlx::query("INSERT INTO line_events (id, line_id, kind, data, at) VALUES (?, ?, 'moved', ?, ?)")
            .bind(Uuid::now_v7().to_string())
            .bind(line_id.to_string())
            .bind(data)
            .bind(us(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(line)
    }

    async fn create_account_token(
        &self,
        token_hash: &str,
        account_id: Uuid,
        purpose: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(account_id.to_string())
            .bind(purpose)
            .bind(us(expires_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn use_account_token(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Uuid>> {
        let id: Option<String> = sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? \
             RETURNING account_id",
        )
        .bind(us(now))
        .bind(token_hash)
        .bind(purpose)
        .bind(us(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        id.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt(format!("uuid {s:?}")))).transpose()
    }

    async fn set_password(&self, account_id: Uuid, password_hash: &str, now: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE accounts SET password_hash = ? WHERE id = ?")
            .bind(password_hash)
            .bind(account_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL")
            .bind(us(now))
            .bind(account_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn set_account_locale(&self, account_id: Uuid, locale: &str) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET locale = ? WHERE id = ?")
            .bind(locale)
            .bind(account_id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn set_email_verified(&self, account_id: Uuid, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?")
            .bind(us(now))
            .bind(account_id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn email_verified_at(&self, account_id: Uuid) -> StoreResult<Option<OffsetDateTime>> {
        let row = sqlx::query("SELECT email_verified_at FROM accounts WHERE id = ?")
            .bind(account_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        match row {
            Some(r) => opt_time_col(&r, "email_verified_at"),
            None => Ok(None),
        }
    }

    async fn failed_deliveries(&self, channel: Channel, limit: u32) -> StoreResult<Vec<(Uuid, i64, Option<String>)>> {
        let rows = sqlx::query(&format!(
            "SELECT notification_id, attempts, last_error FROM {} WHERE state = 'failed' ORDER BY updated_at DESC LIMIT ?",
            channel.table()
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(|r| Ok((uuid(r, "notification_id")?, get(r, "attempts")?, get(r, "last_error")?))).collect()
    }

    async fn lines_past_validity(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<LineRecord>> {
        let rows = sqlx::query(&format!(
            "{LINE_SELECT} WHERE l.state IN ('active', 'grace', 'suspended') AND l.valid_until IS NOT NULL AND l.valid_until <= ? LIMIT ?"
        ))
        .bind(us(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(line_row).collect()
    }

    async fn lines_expiring(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<LineRecord>> {
        let rows = sqlx::query(&format!(
            "{LINE_SELECT} WHERE l.state = 'active' AND l.valid_until > ? AND l.valid_until <= ? LIMIT ?"
        ))
        .bind(us(from))
        .bind(us(to))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        rows.iter().map(line_row).collect()
    }

    async fn set_line_state(
        &self,
        line_id: Uuid,
        from: keepsim_domain::line::LineState,
        to: keepsim_domain::line::LineState,
        quarantine_until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        use keepsim_domain::line::LineState;
        let mut tx = self.write().await?;
        if to == LineState::Recycled {
            let open: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM bundles WHERE line_id = ?1 AND state = 'active') + \
                 (SELECT COUNT(*) FROM orders WHERE line_id = ?1 AND status IN ('awaiting_payment', 'paid'))",
            )
            .bind(line_id.to_string())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            if open > 0 {
                return Err(StoreError::Conflict("line_busy"));
            }
        }
        let r = sqlx::query("UPDATE lines SET state = ? WHERE id = ? AND state = ?")
            .bind(to.as_str())
            .bind(line_id.to_string())
            .bind(from.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        if to == LineState::Recycled {
            sqlx::query("UPDATE profiles SET state = 'retired' WHERE id = (SELECT profile_id FROM lines WHERE id = ?)")
                .bind(line_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            sqlx::query("INSERT INTO number_quarantine (msisdn, line_id, until) SELECT msisdn, id, ? FROM lines WHERE id = ? ON CONFLICT DO NOTHING")
                .bind(us(quarantine_until))
                .bind(line_id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        sqlx::query("INSERT INTO line_events (id, line_id, kind, data, at) VALUES (?, ?, 'state', ?, ?)")
            .bind(Uuid::now_v7().to_string())
            .bind(line_id.to_string())
            .bind(format!(r#"{{"from":"{}","to":"{}"}}"#, from.as_str(), to.as_str()))
            .bind(us(now))
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn keepalive_policies(&self) -> StoreResult<Vec<keepsim_domain::catalogue::KeepAlivePolicy>> {
        let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM keepalive_policies ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(|d| serde_json::from_str(d).map_err(|_| StoreError::Corrupt(format!("policy {d:?}")))).collect()
    }

    async fn create_api_key(&self, k: ApiKeyRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_keys (id, prefix, key_hash, scopes, partner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(k.id.to_string())
        .bind(&k.prefix)
        .bind(&k.key_hash)
        .bind(k.scopes.join(","))
        .bind(&k.partner_id)
        .bind(us(k.created_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKeyRecord>> {
        let row = sqlx::query("SELECT * FROM api_keys WHERE key_hash = ?")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(api_key_row).transpose()
    }

    async fn revoke_api_key(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(us(now))
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn api_keys(&self) -> StoreResult<Vec<ApiKeyRecord>> {
        let rows = sqlx::query("SELECT * FROM api_keys ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(api_key_row).collect()
    }

    async fn create_order(&self, new: NewOrder) -> StoreResult<OrderRecord> {
        self.create_order_impl(new).await
    }
    async fn order_by_key(&self, account_id: Uuid, key: &str) -> StoreResult<Option<OrderRecord>> {
        self.order_by_key_impl(account_id, key).await
    }
    async fn order(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<OrderRecord>> {
        self.order_impl(account_id, id).await
    }
    async fn order_by_id(&self, id: Uuid) -> StoreResult<Option<OrderRecord>> {
        self.order_by_id_impl(id).await
    }
    async fn order_by_out_trade_no(&self, out_trade_no: &str) -> StoreResult<Option<OrderRecord>> {
        self.order_by_out_trade_no_impl(out_trade_no).await
    }
    async fn order_by_provider_ref(&self, provider_ref: &str) -> StoreResult<Option<OrderRecord>> {
        self.order_by_provider_ref_impl(provider_ref).await
    }
    async fn claim_order_creation(&self, id: Uuid, until: OffsetDateTime, now: OffsetDateTime) -> StoreResult<bool> {
        self.claim_order_creation_impl(id, until, now).await
    }
    async fn attach_payment(
        &self,
        id: Uuid,
        provider_ref: &str,
        client_secret: Option<&str>,
        pay_url: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<OrderRecord> {
        self.attach_payment_impl(id, provider_ref, client_secret, pay_url, now).await
    }
    async fn order_events(&self, order_id: Uuid) -> StoreResult<Vec<OrderEventRecord>> {
        self.order_events_impl(order_id).await
    }
    async fn apply_payment_event(&self, event: PaymentEvent) -> StoreResult<PaymentOutcome> {
        self.apply_payment_event_impl(event).await
    }
    async fn flag_order(&self, id: Uuid, reason: &str, now: OffsetDateTime) -> StoreResult<()> {
        self.flag_order_impl(id, reason, now).await
    }
    async fn expire_unpaid_orders(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<OrderRecord>> {
        self.expire_unpaid_orders_impl(now, limit).await
    }
    async fn orders_to_close(&self, limit: u32) -> StoreResult<Vec<OrderRecord>> {
        self.orders_to_close_impl(limit).await
    }
    async fn mark_trade_closed(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<()> {
        self.mark_trade_closed_impl(id, now).await
    }
    async fn orders_to_reconcile(&self, cutoff: OffsetDateTime, limit: u32) -> StoreResult<Vec<OrderRecord>> {
        self.orders_to_reconcile_impl(cutoff, limit).await
    }
    async fn claim_fulfilment_job(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<JobRecord>> {
        self.claim_fulfilment_job_impl(now, lease_until).await
    }
    async fn complete_fulfilment(
        &self,
        job_id: Uuid,
        bundle: NewBundle,
        now: OffsetDateTime,
    ) -> StoreResult<Fulfilled> {
        self.complete_fulfilment_impl(job_id, bundle, now).await
    }
    async fn fail_fulfilment_job(
        &self,
        job_id: Uuid,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        self.fail_fulfilment_job_impl(job_id, error, retry_at, now).await
    }
    async fn fulfilment_jobs(&self, state: &str, limit: u32) -> StoreResult<Vec<JobView>> {
        self.fulfilment_jobs_impl(state, limit).await
    }
    async fn line_bundles(&self, account_id: Uuid, line_id: Uuid) -> StoreResult<Vec<BundleRecord>> {
        self.line_bundles_impl(account_id, line_id).await
    }
    async fn order_bundle(&self, order_id: Uuid) -> StoreResult<Option<BundleRecord>> {
        self.order_bundle_impl(order_id).await
    }
    async fn line_ledger(&self, account_id: Uuid, line_id: Uuid) -> StoreResult<Vec<LedgerRecord>> {
        self.line_ledger_impl(account_id, line_id).await
    }
    async fn create_refund(&self, refund: RefundRecord) -> StoreResult<()> {
        self.create_refund_impl(refund).await
    }
    async fn order_refunds(&self, order_id: Uuid) -> StoreResult<Vec<RefundRecord>> {
        self.order_refunds_impl(order_id).await
    }
    async fn complete_refund(&self, order_id: Uuid, refund_no: &str, now: OffsetDateTime) -> StoreResult<bool> {
        self.complete_refund_impl(order_id, refund_no, now).await
    }
    async fn fail_refund(&self, order_id: Uuid, refund_no: &str, now: OffsetDateTime) -> StoreResult<()> {
        self.fail_refund_impl(order_id, refund_no, now).await
    }

    async fn record_audit(&self, entry: AuditRecord) -> StoreResult<()> {
        self.record_audit_impl(entry).await
    }
    async fn audit_log(&self, page: Page) -> StoreResult<Vec<AuditRecord>> {
        self.audit_log_impl(page).await
    }
    async fn create_ticket(&self, ticket: TicketRecord, first: TicketMessageRecord) -> StoreResult<()> {
        self.create_ticket_impl(ticket, first).await
    }
    async fn add_ticket_message(
        &self,
        msg: TicketMessageRecord,
        new_status: keepsim_domain::ticket::TicketStatus,
        now: OffsetDateTime,
    ) -> StoreResult<()> {
        self.add_ticket_message_impl(msg, new_status, now).await
    }
    async fn set_ticket_status(
        &self,
        id: Uuid,
        status: keepsim_domain::ticket::TicketStatus,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.set_ticket_status_impl(id, status, now).await
    }
    async fn tickets_of(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<TicketRecord>> {
        self.tickets_of_impl(account_id, page).await
    }
    async fn ticket_of(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<TicketRecord>> {
        self.ticket_of_impl(account_id, id).await
    }
    async fn ticket_by_id(&self, id: Uuid) -> StoreResult<Option<TicketRecord>> {
        self.ticket_by_id_impl(id).await
    }
    async fn ticket_messages(&self, ticket_id: Uuid) -> StoreResult<Vec<TicketMessageRecord>> {
        self.ticket_messages_impl(ticket_id).await
    }
    async fn tickets_by_status(
        &self,
        status: Option<keepsim_domain::ticket::TicketStatus>,
        page: Page,
    ) -> StoreResult<Vec<TicketRecord>> {
        self.tickets_by_status_impl(status, page).await
    }
    async fn search_accounts(&self, query: Option<&str>, page: Page) -> StoreResult<Vec<AccountRecord>> {
        self.search_accounts_impl(query, page).await
    }
    async fn account_line(&self, line_id: Uuid) -> StoreResult<Option<LineRecord>> {
        self.account_line_impl(line_id).await
    }
    async fn list_orders_filtered(&self, filter: OrderFilter, page: Page) -> StoreResult<Vec<OrderRecord>> {
        self.list_orders_filtered_impl(filter, page).await
    }
    async fn daily_sales(&self, since: OffsetDateTime) -> StoreResult<Vec<DailySales>> {
        self.daily_sales_impl(since).await
    }
    async fn daily_data_used(&self, since: OffsetDateTime) -> StoreResult<Vec<(time::Date, i64)>> {
        self.daily_data_used_impl(since).await
    }
    async fn daily_lines_in_use(&self, since: OffsetDateTime) -> StoreResult<Vec<(time::Date, i64)>> {
        self.daily_lines_in_use_impl(since).await
    }
    async fn line_counts(&self) -> StoreResult<Vec<(String, i64)>> {
        self.line_counts_impl().await
    }
    async fn retry_fulfilment_job(&self, job_id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        self.retry_fulfilment_job_impl(job_id, now).await
    }
    async fn retry_delivery(&self, channel: Channel, notification_id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        self.retry_delivery_impl(channel, notification_id, now).await
    }
}
