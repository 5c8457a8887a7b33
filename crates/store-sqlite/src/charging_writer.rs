//! The charging writer's own thread and connection.
//!
//! Group commit hands this store a batch of charging writes (ledger entries, bundle
//! counters, reservations, usage) many times a second. Through sqlx every statement is a
//! round trip to the connection's worker thread and every multi-row statement is compiled
//! afresh for its size; here one thread owns one SQLite connection, runs the batch with
//! cached prepared statements (one row each, no SQL compiled on the hot path) and answers
//! once per batch. Same tables, same values, same transaction semantics as the rest of the
//! store: `BEGIN IMMEDIATE`, all or nothing.

use crate::charging::hour;
use crate::us;
use keepsim_store::rows::Collapsed;
use keepsim_store::{ChargingWrite, StoreError, StoreResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use std::path::PathBuf;
use std::sync::mpsc;
use time::OffsetDateTime;
use tokio::sync::oneshot;

type Job = (Vec<ChargingWrite>, oneshot::Sender<StoreResult<Vec<bool>>>);

/// Hands batches to the writer thread; the thread ends when the last handle is dropped.
#[derive(Debug)]
pub(crate) struct ChargingWriter {
    jobs: mpsc::Sender<Job>,
}

/// Where and how to open the writer's connection (the pool's file and flags).
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub path: PathBuf,
    pub in_memory: bool,
}

fn err(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn open(target: &Target) -> rusqlite::Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if target.in_memory {
        // sqlx names a shared in-memory database by URI; join it.
        flags |= OpenFlags::SQLITE_OPEN_MEMORY | OpenFlags::SQLITE_OPEN_SHARED_CACHE;
    }
    let conn = Connection::open_with_flags(&target.path, flags)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // As the pool's connections, except that this one never checkpoints in a commit unless the
    // background checkpoints (lib.rs) fell 80 MB behind: a checkpoint here would stall every
    // CCA waiting on the batch. SQLite's default 2 MB page cache: at the end of every
    // transaction SQLite scans the cache's hash table, so a larger cache made each commit
    // slower (8 MB: about 20 % fewer CCR/s); the operating system caches the file anyway.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; \
         PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 20000;",
    )?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

impl ChargingWriter {
    /// Opens the connection (so that a bad path fails here) and starts the thread.
    pub(crate) fn start(target: Target) -> StoreResult<ChargingWriter> {
        let first = open(&target).map_err(err)?;
        let (jobs, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("keepsim-charging-writer".into())
            .spawn(move || {
                let mut conn = Some(first);
                let mut ids = LedgerIds::new();
                while let Ok((batch, done)) = rx.recv() {
                    let result = match conn.as_mut() {
                        Some(c) => commit(c, &mut ids, &batch),
                        None => Err(StoreError::Unavailable("the charging connection could not be reopened".into())),
                    };
                    if result.is_err() {
                        // A lost or wedged connection costs this batch, not every later one.
                        conn = match open(&target) {
                            Ok(c) => Some(c),
                            Err(e) => {
                                tracing::warn!(error = %e, "could not reopen the charging connection");
                                None
                            }
                        };
                    }
                    let _ = done.send(result);
                }
            })
            .map_err(|e| StoreError::Unavailable(format!("charging writer thread: {e}")))?;
        Ok(ChargingWriter { jobs })
    }

    /// Commits `batch` in one transaction; per write, whether it was applied (false: its
    /// event id was seen before, and nothing of it was written).
    pub(crate) async fn commit(&self, batch: &[ChargingWrite]) -> StoreResult<Vec<bool>> {
        let (done, wait) = oneshot::channel();
        self.jobs
            .send((batch.to_vec(), done))
            .map_err(|_| StoreError::Unavailable("the charging writer stopped".into()))?;
        wait.await.map_err(|_| StoreError::Unavailable("the charging writer stopped".into()))?
    }
}

/// Counters are u64 in Rust and INTEGER in the database; nothing real comes near the limit.
fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Ledger ids: UUIDv7 (the entry's millisecond, then random bits) as `Uuid::now_v7` makes
/// them, but with the random bits from a generator seeded once rather than a `getrandom`
/// system call per entry (up to three entries per CCR; the calls were 4 % of the
/// writer's time).
struct LedgerIds(u64);

impl LedgerIds {
    fn new() -> LedgerIds {
        let seed = uuid::Uuid::new_v4().as_u64_pair();
        LedgerIds(seed.0 ^ seed.1)
    }

    /// SplitMix64: every state is visited once per 2^64 steps, so no two ids of one run
    /// share their random bits.
    fn next_bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next(&mut self, at: OffsetDateTime) -> uuid::Uuid {
        let millis = u64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        let a = self.next_bits().to_le_bytes();
        let b = self.next_bits().to_le_bytes();
        let random = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]];
        uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
    }
}

fn commit(conn: &mut Connection, ids: &mut LedgerIds, batch: &[ChargingWrite]) -> StoreResult<Vec<bool>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
    // A write whose event id was applied before is skipped whole.
    let mut applied = vec![true; batch.len()];
    {
        let mut seen = tx
            .prepare_cached(
                "INSERT INTO usage_events (event_id, line_id, received_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            )
            .map_err(err)?;
        for (i, w) in batch.iter().enumerate() {
            let Some(event_id) = &w.event_id else { continue };
            let at = w.at.unwrap_or_else(OffsetDateTime::now_utc);
            applied[i] = seen.execute(params![event_id, w.line_id.to_string(), us(at)]).map_err(err)? == 1;
        }
    }
    let live: Vec<&ChargingWrite> = batch.iter().zip(&applied).filter(|(_, a)| **a).map(|(w, _)| w).collect();
    let c = Collapsed::of(&live);
    {
        let mut ledger = tx
            .prepare_cached(
                "INSERT INTO ledger (id, line_id, bundle_id, order_id, kind, service, units, at) \
                 VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7)",
            )
            .map_err(err)?;
        let (mut id, mut line, mut bundle) = ([0u8; 36], [0u8; 36], [0u8; 36]);
        for (line_id, l, at) in &c.ledger {
            ledger
                .execute(params![
                    &*ids.next(*at).hyphenated().encode_lower(&mut id),
                    &*line_id.hyphenated().encode_lower(&mut line),
                    &*l.bundle_id.hyphenated().encode_lower(&mut bundle),
                    l.kind.as_str(),
                    l.service.as_str(),
                    l.units,
                    us(*at)
                ])
                .map_err(err)?;
        }
    }
    {
        // Counters only: the bundles_line index covers `state`, and naming a column in SET
        // rewrites the index entries even when the value stays the same. The row's state
        // comes back with it, so state and validity are written only where they changed
        // (a first use, an exhaustion, an expiry).
        let mut counters = tx
            .prepare_cached(
                "UPDATE bundles SET data_used = ?2, data_reserved = ?3, voice_used = ?4, voice_reserved = ?5, \
                 sms_used = ?6, sms_reserved = ?7 WHERE id = ?1 RETURNING state, starts_at, expires_at",
            )
            .map_err(err)?;
        let mut state = tx
            .prepare_cached("UPDATE bundles SET state = ?2, starts_at = ?3, expires_at = ?4 WHERE id = ?1")
            .map_err(err)?;
        for x in &c.bundles {
            let id = x.bundle_id.to_string();
            let stored: Option<(String, Option<i64>, Option<i64>)> = counters
                .query_row(
                    params![
                        id,
                        clamp(x.data.0),
                        clamp(x.data.1),
                        clamp(x.voice.0),
                        clamp(x.voice.1),
                        clamp(x.sms.0),
                        clamp(x.sms.1)
                    ],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(err)?;
            let wanted = (x.state.as_str(), x.starts_at.map(us), x.expires_at.map(us));
            if stored.as_ref().is_some_and(|(s, a, b)| (s.as_str(), *a, *b) != wanted) {
                state.execute(params![id, wanted.0, wanted.1, wanted.2]).map_err(err)?;
            }
        }
    }
    {
        let mut delete = tx
            .prepare_cached("DELETE FROM reservations WHERE line_id = ?1 AND session_id = ?2 AND rating_group = ?3")
            .map_err(err)?;
        for (line_id, session, rg) in &c.deletes {
            delete.execute(params![line_id.to_string(), session, i64::from(*rg)]).map_err(err)?;
        }
        let mut upsert = tx
            .prepare_cached(
                "INSERT INTO reservations (line_id, session_id, rating_group, service, country, parts, granted, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (line_id, session_id, rating_group) DO UPDATE SET service = excluded.service, \
                 country = excluded.country, parts = excluded.parts, granted = excluded.granted, \
                 expires_at = excluded.expires_at",
            )
            .map_err(err)?;
        for r in &c.upserts {
            upsert
                .execute(params![
                    r.line_id.to_string(),
                    r.session_id,
                    i64::from(r.rating_group),
                    r.service.as_str(),
                    r.country,
                    serde_json::to_string(&r.parts).unwrap_or_else(|_| "[]".into()),
                    clamp(r.granted),
                    us(r.expires_at)
                ])
                .map_err(err)?;
        }
    }
    {
        let mut usage = tx
            .prepare_cached(
                "INSERT INTO usage_hours (line_id, service, hour, units) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (line_id, service, hour) DO UPDATE SET units = usage_hours.units + excluded.units",
            )
            .map_err(err)?;
        for ((line_id, svc, at), units) in &c.usage {
            usage.execute(params![line_id.to_string(), svc.as_str(), hour(*at), clamp(*units)]).map_err(err)?;
        }
    }
    tx.commit().map_err(err)?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_ids_are_version_7_carry_their_millisecond_and_never_repeat() {
        let mut ids = LedgerIds::new();
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..100_000 {
            let id = ids.next(at);
            assert_eq!(id.get_version_num(), 7);
            let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
            assert_eq!((secs, nanos), (1_800_000_000, 0));
            assert!(seen.insert(id), "a ledger id repeated");
        }
        // Two generators (two runs) start from different seeds.
        assert_ne!(LedgerIds::new().next(at), LedgerIds::new().next(at));
    }
}
