//! Migrations that rebuild a table keep its rows: a database made by an earlier release,
//! with data in it, is opened by this one.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use keepsim_store::Store;
use keepsim_store_sqlite::SqliteStore;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::Path;
use std::str::FromStr;

/// id, line, bundle, order, kind, units, at.
type LedgerRow = (String, String, String, Option<String>, String, i64, i64);

/// Applies the migrations numbered below `before` to the database at `url`.
async fn migrate_up_to(url: &str, before: u32, scratch: &Path) -> sqlx::SqlitePool {
    let dir = scratch.join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let version: u32 = name[..4].parse().unwrap();
        if version < before {
            std::fs::copy(&path, dir.join(&name)).unwrap();
        }
    }
    // Parent rows below are made up, so this connection does not check foreign keys; the
    // store's own connections (which run the later migrations) do.
    let options = SqliteConnectOptions::from_str(url).unwrap().create_if_missing(true).foreign_keys(false);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(dir).await.unwrap().run(&pool).await.unwrap();
    pool
}

#[tokio::test]
async fn the_clustered_ledger_keeps_every_entry_of_an_older_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let pool = migrate_up_to(&url, 15, dir.path()).await;
    let (line_a, line_b) = ("0190e0a0-0000-7000-8000-00000000000a", "0190e0a0-0000-7000-8000-00000000000b");
    let bundle = "0190e0a0-0000-7000-8000-0000000000b1";
    for line in [line_a, line_b] {
        sqlx::query(
            "INSERT INTO lines (id, account_id, device_id, profile_id, msisdn, state, created_at) \
             VALUES (?1, 'acct', ?1 || 'd', ?1 || 'p', ?1 || 'n', 'active', 0)",
        )
        .bind(line)
        .execute(&pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO bundles (id, line_id, order_id, package_code, state, validity_days, coverage, data_total, \
         voice_total, sms_total, created_at) VALUES (?1, ?2, 'order', 'P', 'active', 7, '[]', 1000, 0, 0, 0)",
    )
    .bind(bundle)
    .bind(line_a)
    .execute(&pool)
    .await
    .unwrap();
    let rows = [
        ("0190e0a0-0000-7000-8000-000000000e01", line_a, "topup_credit", 1000, 1),
        ("0190e0a0-0000-7000-8000-000000000e02", line_a, "reserve", -300, 2),
        ("0190e0a0-0000-7000-8000-000000000e03", line_b, "usage_debit", -7, 2),
        ("0190e0a0-0000-7000-8000-000000000e04", line_a, "usage_debit", -250, 3),
        ("0190e0a0-0000-7000-8000-000000000e05", line_a, "release", 300, 3),
    ];
    for (id, line, kind, units, at) in rows {
        sqlx::query(
            "INSERT INTO ledger (id, line_id, bundle_id, order_id, kind, service, units, at) \
             VALUES (?1, ?2, ?3, 'order', ?4, 'data', ?5, ?6)",
        )
        .bind(id)
        .bind(line)
        .bind(bundle)
        .bind(kind)
        .bind(units)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    // This release opens it: every migration after 0014 runs, foreign keys checked.
    let store = SqliteStore::connect(&url).await.expect("the older database opens");
    drop(store);
    let pool = SqlitePoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let kept: Vec<LedgerRow> =
        sqlx::query_as("SELECT id, line_id, bundle_id, order_id, kind, units, at FROM ledger ORDER BY line_id, at, id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let expected: Vec<_> = {
        let mut r: Vec<_> = rows
            .iter()
            .map(|(id, line, kind, units, at)| {
                (
                    id.to_string(),
                    line.to_string(),
                    bundle.to_string(),
                    Some("order".to_string()),
                    kind.to_string(),
                    i64::from(*units),
                    i64::from(*at),
                )
            })
            .collect();
        r.sort_by(|a, b| (&a.1, a.6, &a.0).cmp(&(&b.1, b.6, &b.0)));
        r
    };
    assert_eq!(kept, expected, "every entry, column for column");
    let clustered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'ledger' AND sql LIKE '%WITHOUT ROWID%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(clustered, 1, "the ledger is clustered on (line, time, id)");
}

#[tokio::test]
async fn a_fresh_database_checks_out_with_the_clustered_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("new.db").display())).await.unwrap();
    assert!(store.check_ledger().await.unwrap().is_empty());
}
