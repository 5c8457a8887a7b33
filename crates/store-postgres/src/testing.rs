//! Fresh, throw-away PostgreSQL databases for tests.

use crate::PostgresStore;
use keepsim_store::{StoreError, StoreResult};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use uuid::Uuid;

/// A database created for one test and dropped by [`TestDatabase::drop_database`].
#[derive(Debug)]
pub struct TestDatabase {
    admin_url: String,
    /// The database's name.
    pub name: String,
    /// A URL that connects to it.
    pub url: String,
}

fn err(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

impl TestDatabase {
    /// Creates `keepsim_test_<uuid>` on the server of `admin_url` (a URL to any existing database).
    pub async fn create(admin_url: &str) -> StoreResult<TestDatabase> {
        let name = format!("keepsim_test_{}", Uuid::new_v4().simple());
        let mut conn = PgConnection::connect(admin_url).await.map_err(err)?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.map_err(err)?;
        conn.close().await.map_err(err)?;
        let url = replace_database(admin_url, &name);
        Ok(TestDatabase { admin_url: admin_url.to_string(), name, url })
    }

    /// Connects a migrated store to it.
    pub async fn store(&self) -> StoreResult<PostgresStore> {
        PostgresStore::connect(&self.url).await
    }

    /// Drops it, ending any connection still open.
    pub async fn drop_database(self) -> StoreResult<()> {
        let mut conn = PgConnection::connect(&self.admin_url).await.map_err(err)?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
            .execute(&mut conn)
            .await
            .map_err(err)?;
        conn.close().await.map_err(err)?;
        Ok(())
    }
}

/// `postgres://u@h:5432/db?x=y` with its database replaced by `name`.
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced_keeping_options() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1?sslmode=disable"
        );
        assert_eq!(super::replace_database("postgres://localhost", "t2"), "postgres://localhost/t2");
    }
}
