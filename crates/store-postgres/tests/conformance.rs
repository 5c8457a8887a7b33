//! The shared store conformance suite on PostgreSQL: a fresh database per test,
//! dropped afterwards. Runs whenever `KEEPSIM_TEST_DATABASE_URL` is set (CI sets it).

use keepsim_store::Store;
use keepsim_store_postgres::testing::TestDatabase;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

async fn setup() -> Option<(Arc<dyn Store>, Pin<Box<dyn Future<Output = ()> + Send>>)> {
    let admin = std::env::var("KEEPSIM_TEST_DATABASE_URL").ok()?;
    let db = TestDatabase::create(&admin).await.expect("create test database");
    let store = db.store().await.expect("postgres store");
    Some((
        Arc::new(store),
        Box::pin(async move {
            db.drop_database().await.expect("drop test database");
        }),
    ))
}

keepsim_store::conformance_tests!(setup);
