//! `sqlite::memory:` is one database shared by the pool and the charging writer's own
//! connection: a charging batch committed by the one is read by the other.

use keepsim_store::Store;
use keepsim_store_sqlite::SqliteStore;
use std::sync::Arc;

#[tokio::test]
async fn an_in_memory_store_commits_charging_batches_like_a_file() {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::connect("sqlite::memory:").await.expect("in-memory store"));
    keepsim_store::conformance::charging_writes_commit_together_and_the_ledger_checks_out(store).await;
}
