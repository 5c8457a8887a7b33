//! The shared store conformance suite on SQLite: a fresh database file per test.

use keepsim_store::Store;
use keepsim_store_sqlite::SqliteStore;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

async fn setup() -> Option<(Arc<dyn Store>, Pin<Box<dyn Future<Output = ()> + Send>>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("keepsim.db").display());
    let store = SqliteStore::connect(&url).await.expect("sqlite store");
    Some((Arc::new(store), Box::pin(async move { drop(dir) })))
}

keepsim_store::conformance_tests!(setup);
