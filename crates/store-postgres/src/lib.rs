//! The PostgreSQL backend of keepsim's [`Store`], for production and for
//! several nodes sharing one database. Profiles are claimed with
//! `FOR UPDATE SKIP LOCKED`, so concurrent line creations never wait on, or
//! share, the same profile.

mod charging;
mod console;
mod orders;
pub mod testing;

use async_trait::async_trait;
use keepsim_domain::catalogue::Catalogue;
use keepsim_store::rows::*;
use keepsim_store::*;
use sqlx::postgres::{PgPoolOptions, PgRow};
use sqlx::{PgPool, Row};
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// keepsim's data in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict("unique_violation"),
        _ => StoreError::Unavailable(e.to_string()),
    }
}

pub(crate) fn uuid(row: &PgRow, col: &str) -> StoreResult<Uuid> {
    row.try_get(col).map_err(db_err)
}

pub(crate) fn opt_uuid(row: &PgRow, col: &str) -> StoreResult<Option<Uuid>> {
    row.try_get(col).map_err(db_err)
}

pub(crate) fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
    row: &'r PgRow,
    col: &str,
) -> StoreResult<T> {
    row.try_get(col).map_err(db_err)
}

pub(crate) fn time_col(row: &PgRow, col: &str) -> StoreResult<OffsetDateTime> {
    get(row, col)
}

pub(crate) fn opt_time_col(row: &PgRow, col: &str) -> StoreResult<Option<OffsetDateTime>> {
    get(row, col)
}

fn account_row(row: &PgRow) -> StoreResult<AccountRecord> {
    AccountRow {
        id: uuid(row, "id")?,
        email: get(row, "email")?,
        password_hash: get(row, "password_hash")?,
        locale: get(row, "locale")?,
        created_at: time_col(row, "created_at")?,
    }
    .try_into()
}

fn device_row(row: &PgRow) -> StoreResult<DeviceRecord> {
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

fn line_row(row: &PgRow) -> StoreResult<LineRecord> {
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

fn api_key_row(row: &PgRow) -> StoreResult<ApiKeyRecord> {
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

fn notification_row(row: &PgRow) -> StoreResult<NotificationRecord> {
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

impl PostgresStore {
    /// Connects to `url` (`postgres://…`) and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(db_err)?;
        sqlx::migrate!("./migrations").run(&pool).await.map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(PostgresStore { pool })
    }

    pub(crate) async fn write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Postgres>> {
        self.pool.begin().await.map_err(db_err)
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn set_meta_if_absent(&self, key: &str, value: &str) -> StoreResult<bool> {
        let r = sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn create_account(&self, new: NewAccount) -> StoreResult<AccountRecord> {
        sqlx::query("INSERT INTO accounts (id, email, password_hash, locale, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(new.id)
            .bind(new.email.as_str())
            .bind(&new.password_hash)
            .bind(new.locale.tag())
            .bind(new.created_at)
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
        let row = sqlx::query("SELECT * FROM accounts WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    async fn account_by_id(&self, id: Uuid) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query("SELECT * FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    async fn create_session(&self, s: NewSession) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&s.token_hash)
            .bind(s.account_id)
            .bind(s.created_at)
            .bind(s.expires_at)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session_account(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<AccountRecord>> {
        let row = sqlx::query(
            "SELECT a.* FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    async fn revoke_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_staff(&self, new: NewStaff) -> StoreResult<StaffRecord> {
        sqlx::query("INSERT INTO staff (id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(new.id)
            .bind(new.email.as_str())
            .bind(&new.password_hash)
            .bind(new.role.as_str())
            .bind(new.created_at)
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
        let row = sqlx::query("SELECT * FROM staff WHERE email = $1")
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
        sqlx::query(
            "INSERT INTO devices (id, account_id, imei, eid, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new.id)
        .bind(new.account_id)
        .bind(new.imei.as_str())
        .bind(new.eid.as_ref().map(|e| e.as_str().to_string()))
        .bind(&new.label)
        .bind(new.created_at)
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
        let rows =
            sqlx::query(&format!("{DEVICE_SELECT} WHERE d.account_id = $1 AND d.id > $2 ORDER BY d.id LIMIT $3"))
                .bind(account_id)
                .bind(page.after.unwrap_or(Uuid::nil()))
                .bind(i64::from(page.limit))
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        rows.iter().map(device_row).collect()
    }

    async fn device(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<DeviceRecord>> {
        let row = sqlx::query(&format!("{DEVICE_SELECT} WHERE d.account_id = $1 AND d.id = $2"))
            .bind(account_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(device_row).transpose()
    }

    async fn create_line(&self, new: NewLine) -> StoreResult<LineRecord> {
        let mut tx = self.write().await?;
        let owned: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM devices WHERE id = $1 AND account_id = $2 FOR UPDATE")
                .bind(new.device_id)
                .bind(new.account_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let has_line: Option<Uuid> = sqlx::query_scalar("SELECT id FROM lines WHERE device_id = $1")
            .bind(new.device_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if has_line.is_some() {
            return Err(StoreError::Conflict("device_has_line"));
        }
        // SKIP LOCKED: a concurrent creation takes the next profile instead of waiting for this one.
        let profile = sqlx::query(
            "UPDATE profiles SET state = 'assigned' WHERE id = \
             (SELECT id FROM profiles WHERE state = 'available' ORDER BY imported_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, msisdn",
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::InventoryExhausted)?;
        let profile_id: Uuid = get(&profile, "id")?;
        let msisdn: String = get(&profile, "msisdn")?;
        sqlx::query(
            "INSERT INTO lines (id, account_id, device_id, profile_id, msisdn, state, valid_until, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'assigned', NULL, $6)",
        )
        .bind(new.id)
        .bind(new.account_id)
        .bind(new.device_id)
        .bind(profile_id)
        .bind(&msisdn)
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => StoreError::Conflict("device_has_line"),
            other => other,
        })?;
        let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.id = $1"))
            .bind(new.id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let line = line_row(&row)?;
        tx.commit().await.map_err(db_err)?;
        Ok(line)
    }

    async fn list_lines(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<LineRecord>> {
        let rows = sqlx::query(&format!("{LINE_SELECT} WHERE l.account_id = $1 AND l.id > $2 ORDER BY l.id LIMIT $3"))
            .bind(account_id)
            .bind(page.after.unwrap_or(Uuid::nil()))
            .bind(i64::from(page.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(line_row).collect()
    }

    async fn line(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<LineRecord>> {
        let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.account_id = $1 AND l.id = $2"))
            .bind(account_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(line_row).transpose()
    }

    async fn existing_iccids(&self, iccids: &[String]) -> StoreResult<Vec<String>> {
        let mut found = Vec::new();
        for chunk in iccids.chunks(500) {
            let q = sqlx::query_scalar::<_, String>(
                "SELECT iccid FROM profiles WHERE state <> 'retired' AND iccid = ANY($1) ORDER BY iccid",
            )
            .bind(chunk.to_vec());
            found.extend(q.fetch_all(&self.pool).await.map_err(db_err)?);
        }
        found.sort();
        Ok(found)
    }

    async fn existing_matching_ids(&self, pairs: &[(String, String)]) -> StoreResult<Vec<(String, String)>> {
        let mut found = Vec::new();
        for chunk in pairs.chunks(1000) {
            let (smdps, matchings): (Vec<String>, Vec<String>) = chunk.iter().cloned().unzip();
            let rows = sqlx::query(
                "SELECT p.smdp_address, p.matching_id FROM profiles p \
                 JOIN UNNEST($1::text[], $2::text[]) AS q(smdp_address, matching_id) \
                   ON p.smdp_address = q.smdp_address AND p.matching_id = q.matching_id \
                 WHERE p.state <> 'retired'",
            )
            .bind(smdps)
            .bind(matchings)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            for row in rows {
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
                 VALUES ($1, $2, $3, $4, $5, $6, 'available', $7)",
            )
            .bind(Uuid::now_v7())
            .bind(p.iccid.as_str())
            .bind(p.imsi.as_str())
            .bind(p.msisdn.as_str())
            .bind(&p.smdp_address)
            .bind(&p.matching_id)
            .bind(now)
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
               COUNT(*) FILTER (WHERE state = 'available') AS available, \
               COUNT(*) FILTER (WHERE state = 'assigned') AS assigned, \
               COUNT(*) FILTER (WHERE state = 'retired') AS retired \
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
                sqlx::query_scalar("SELECT country FROM region_countries WHERE region_id = $1 ORDER BY country")
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
             ON CONFLICT (key) DO UPDATE SET value = (meta.value::BIGINT + 1)::TEXT",
        )
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        // The file names every country the operator names: the rest go back to CLDR's names.
        sqlx::query("DELETE FROM country_names").execute(&mut *tx).await.map_err(db_err)?;
        for country in &c.countries {
            sqlx::query("INSERT INTO country_names (code, names, updated_at) VALUES ($1, $2, $3)")
                .bind(country.code.as_str())
                .bind(names_json(&country.names))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        for r in &c.regions {
            sqlx::query(
                "INSERT INTO regions (id, cldr, names, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET cldr = excluded.cldr, names = excluded.names, updated_at = excluded.updated_at",
            )
            .bind(&r.id)
            .bind(&r.cldr)
            .bind(names_json(&r.names))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            sqlx::query("DELETE FROM region_countries WHERE region_id = $1")
                .bind(&r.id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for country in &r.countries {
                sqlx::query("INSERT INTO region_countries (region_id, country) VALUES ($1, $2)")
                    .bind(&r.id)
                    .bind(country.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        sqlx::query("UPDATE packages SET active = FALSE, updated_at = $1 WHERE active")
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for p in &c.packages {
            sqlx::query(
                "INSERT INTO packages (code, name, names, tier, region_id, data_bytes, fair_use_bytes, voice_seconds, sms, \
                   validity_days, keeps_number_days, starts, active, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
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
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            sqlx::query("DELETE FROM package_countries WHERE package_code = $1")
                .bind(&p.code)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for country in &p.coverage {
                sqlx::query("INSERT INTO package_countries (package_code, country) VALUES ($1, $2)")
                    .bind(&p.code)
                    .bind(country.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            sqlx::query("DELETE FROM package_prices WHERE package_code = $1")
                .bind(&p.code)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for m in &p.prices {
                sqlx::query("INSERT INTO package_prices (package_code, currency, amount_minor) VALUES ($1, $2, $3)")
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
            sqlx::query("INSERT INTO keepalive_policies (id, data) VALUES ($1, $2)")
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
        sqlx::query_scalar("SELECT DISTINCT line_id FROM reservations WHERE expires_at < $1 LIMIT $2")
            .bind(before)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
    }
    async fn check_ledger(&self) -> StoreResult<Vec<LedgerDifference>> {
        self.check_ledger_impl().await
    }

    async fn create_notification(&self, n: NewNotification) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO notifications (id, account_id, line_id, kind, data, dedupe_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(n.id)
        .bind(n.account_id)
        .bind(n.line_id)
        .bind(&n.kind)
        .bind(&n.data)
        .bind(&n.dedupe_key)
        .bind(n.created_at)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn notifications(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<NotificationRecord>> {
        let before = page.after.unwrap_or(Uuid::max());
        let rows =
            sqlx::query("SELECT * FROM notifications WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3")
                .bind(account_id)
                .bind(before)
                .bind(i64::from(page.limit))
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        rows.iter().map(notification_row).collect()
    }

    async fn mark_notification_read(&self, account_id: Uuid, id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let r =
            sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE account_id = $2 AND id = $3")
                .bind(now)
                .bind(account_id)
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn lines_with_expired_bundles(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>> {
        sqlx::query_scalar("SELECT DISTINCT line_id FROM bundles WHERE state = 'active' AND expires_at <= $1 LIMIT $2")
            .bind(now)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)
    }

    async fn bundles_expiring(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<(Uuid, BundleRecord)>> {
        let rows = sqlx::query(
            "SELECT b.*, l.account_id AS owner FROM bundles b JOIN lines l ON l.id = b.line_id \
             WHERE b.state = 'active' AND b.expires_at > $1 AND b.expires_at <= $2 ORDER BY b.expires_at LIMIT $3",
        )
        .bind(from)
        .bind(to)
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
        let due: Vec<Uuid> = sqlx::query_scalar(&format!(
            "SELECT n.id FROM notifications n LEFT JOIN {} d ON d.notification_id = n.id \
             WHERE d.notification_id IS NULL OR (d.state IN ('retry', 'sending') AND d.next_attempt_at <= $1) \
             ORDER BY n.id LIMIT $2 FOR UPDATE OF n SKIP LOCKED",
            channel.table()
        ))
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(db_err)?;
        let mut out = Vec::new();
        for id in due {
            let attempts: i64 = sqlx::query_scalar(
                &format!("INSERT INTO {t} (notification_id, state, attempts, next_attempt_at, updated_at) VALUES ($1, 'sending', 1, $2, $3) \
                 ON CONFLICT (notification_id) DO UPDATE SET state = 'sending', attempts = {t}.attempts + 1, \
                 next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at RETURNING attempts", t = channel.table()),
            )
            .bind(id)
            .bind(lease_until)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            let row = sqlx::query("SELECT * FROM notifications WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
            let n = notification_row(&row)?;
            let acc = sqlx::query("SELECT * FROM accounts WHERE id = $1")
                .bind(n.account_id)
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
        sqlx::query(&format!("UPDATE {} SET state = $1, next_attempt_at = $2, last_error = $3, updated_at = $4 WHERE notification_id = $5", channel.table()))
            .bind(state)
            .bind(next)
            .bind(error)
            .bind(now)
            .bind(notification_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_device(&self, account_id: Uuid, device_id: Uuid) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let owned: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM devices WHERE id = $1 AND account_id = $2 FOR UPDATE")
                .bind(device_id)
                .bind(account_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let line: Option<Uuid> = sqlx::query_scalar("SELECT id FROM lines WHERE device_id = $1")
            .bind(device_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if line.is_some() {
            return Err(StoreError::Conflict("device_has_line"));
        }
        sqlx::query("DELETE FROM devices WHERE id = $1").bind(device_id).execute(&mut *tx).await.map_err(db_err)?;
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
        let old = sqlx::query(&format!("{LINE_SELECT} WHERE l.account_id = $1 AND l.id = $2 FOR UPDATE OF l"))
            .bind(account_id)
            .bind(line_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let old = line_row(&old)?;
        let old_profile: Uuid = sqlx::query_scalar("SELECT profile_id FROM lines WHERE id = $1")
            .bind(line_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let owned: Option<Uuid> =
            sqlx::query_scalar("SELECT id FROM devices WHERE id = $1 AND account_id = $2 FOR UPDATE")
                .bind(device_id)
                .bind(account_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        if owned.is_none() {
            return Err(StoreError::NotFound);
        }
        let busy: Option<Uuid> = sqlx::query_scalar("SELECT id FROM lines WHERE device_id = $1")
            .bind(device_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_err)?;
        if busy.is_some() {
            return Err(StoreError::Conflict("device_has_line"));
        }
        let new_profile: Uuid = sqlx::query_scalar(
            "UPDATE profiles SET state = 'assigned' WHERE id = \
             (SELECT id FROM profiles WHERE state = 'available' ORDER BY imported_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::InventoryExhausted)?;
        sqlx::query("UPDATE lines SET device_id = $1, profile_id = $2 WHERE id = $3")
            .bind(device_id)
            .bind(new_profile)
            .bind(line_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        // A downloaded profile is never handed out again.
        sqlx::query("UPDATE profiles SET state = 'retired' WHERE id = $1")
            .bind(old_profile)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        let row = sqlx::query(&format!("{LINE_SELECT} WHERE l.id = $1"))
            .bind(line_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
        let line = line_row(&row)?;
        let data = format!(
            r#"{{"from_device":"{}","to_device":"{}","old_iccid":"{}","new_iccid":"{}"}}"#,
            old.device_id, device_id, old.iccid, line.iccid
        );
        sqlx::query("INSERT INTO line_events (id, line_id, kind, data, at) VALUES ($1, $2, 'moved', $3, $4)")
            .bind(Uuid::now_v7())
            .bind(line_id)
            .bind(data)
            .bind(now)
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
        sqlx::query("INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(account_id)
            .bind(purpose)
            .bind(expires_at)
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
        sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
             RETURNING account_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(purpose)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)
    }

    async fn set_password(&self, account_id: Uuid, password_hash: &str, now: OffsetDateTime) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn set_account_locale(&self, account_id: Uuid, locale: &str) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET locale = $1 WHERE id = $2")
            .bind(locale)
            .bind(account_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn set_email_verified(&self, account_id: Uuid, now: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
            .bind(now)
            .bind(account_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn email_verified_at(&self, account_id: Uuid) -> StoreResult<Option<OffsetDateTime>> {
        let row = sqlx::query("SELECT email_verified_at FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        match row {
            Some(r) => get(&r, "email_verified_at"),
            None => Ok(None),
        }
    }

    async fn failed_deliveries(&self, channel: Channel, limit: u32) -> StoreResult<Vec<(Uuid, i64, Option<String>)>> {
        let rows = sqlx::query(&format!(
            "SELECT notification_id, attempts, last_error FROM {} WHERE state = 'failed' ORDER BY updated_at DESC LIMIT $1",
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
            "{LINE_SELECT} WHERE l.state IN ('active', 'grace', 'suspended') AND l.valid_until IS NOT NULL AND l.valid_until <= $1 LIMIT $2"
        ))
        .bind(now)
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
            "{LINE_SELECT} WHERE l.state = 'active' AND l.valid_until > $1 AND l.valid_until <= $2 LIMIT $3"
        ))
        .bind(from)
        .bind(to)
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
                "SELECT (SELECT COUNT(*) FROM bundles WHERE line_id = $1 AND state = 'active') + \
                 (SELECT COUNT(*) FROM orders WHERE line_id = $1 AND status IN ('awaiting_payment', 'paid'))",
            )
            .bind(line_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            if open > 0 {
                return Err(StoreError::Conflict("line_busy"));
            }
        }
        let r = sqlx::query("UPDATE lines SET state = $1 WHERE id = $2 AND state = $3")
            .bind(to.as_str())
            .bind(line_id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        if to == LineState::Recycled {
            sqlx::query(
                "UPDATE profiles SET state = 'retired' WHERE id = (SELECT profile_id FROM lines WHERE id = $1)",
            )
            .bind(line_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            sqlx::query("INSERT INTO number_quarantine (msisdn, line_id, until) SELECT msisdn, id, $1 FROM lines WHERE id = $2 ON CONFLICT DO NOTHING")
                .bind(quarantine_until)
                .bind(line_id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        sqlx::query("INSERT INTO line_events (id, line_id, kind, data, at) VALUES ($1, $2, 'state', $3, $4)")
            .bind(Uuid::now_v7())
            .bind(line_id)
            .bind(format!(r#"{{"from":"{}","to":"{}"}}"#, from.as_str(), to.as_str()))
            .bind(now)
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
        sqlx::query("INSERT INTO api_keys (id, prefix, key_hash, scopes, partner_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(k.id)
            .bind(&k.prefix)
            .bind(&k.key_hash)
            .bind(k.scopes.join(","))
            .bind(&k.partner_id)
            .bind(k.created_at)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKeyRecord>> {
        let row = sqlx::query("SELECT * FROM api_keys WHERE key_hash = $1")
            .bind(key_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(api_key_row).transpose()
    }

    async fn revoke_api_key(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
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
