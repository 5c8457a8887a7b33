//! The charging hot path: one owner per line, one writer for everyone.
//!
//! Each line's bundles and reservations live in memory behind that line's own
//! lock (no global lock); an operation applies the pure engine
//! ([`keepsim_domain::charging`]) there, turns its effects into a
//! [`ChargingWrite`], and hands it to a single writer task that commits many
//! operations in one transaction (group commit). The answer is only released
//! after its write is committed: durable before answered. The line lock is held
//! until then, so a line's writes commit in the order they were made. If a
//! commit fails, the line is dropped from memory and reloaded from the database
//! (the truth) on its next use.

use crate::{ServiceError, Services};
use keepsim_domain::bundle::{LedgerKind, Service};
use keepsim_domain::catalogue::Starts;
use keepsim_domain::charging::{
    ChargeError, ChargingBundle, CommitOutcome, Effect, Grant, LineCharging, Reservation, ReservationKey,
    ReserveRequest, Update,
};
use keepsim_domain::geo::{self, CountryCode};
use keepsim_domain::{Imsi, Msisdn, Plmn};
use keepsim_store::{
    BundleCounters, BundleRecord, ChargingWrite, LedgerWrite, Store, StoreError, StoredReservation, Subscriber,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Quotas and timings of the charging engine.
#[derive(Debug, Clone)]
pub struct ChargingConfig {
    /// Units granted when the network asks without a number: data bytes.
    pub default_data_quota: u64,
    /// Default voice seconds.
    pub default_voice_quota: u64,
    /// Default SMS count.
    pub default_sms_quota: u64,
    /// Validity-Time of a grant.
    pub validity: Duration,
    /// How long after its Validity-Time a silent reservation is returned.
    pub grace: Duration,
    /// Operations committed together at most.
    pub max_batch: usize,
    /// Operations waiting for the writer at most; beyond it callers are told to back off.
    pub queue: usize,
    /// Usage warnings: (service, percent used) — each fires once per bundle; exhaustion always warns.
    pub thresholds: Vec<(Service, u8)>,
}

impl Default for ChargingConfig {
    fn default() -> Self {
        ChargingConfig {
            default_data_quota: 10 * 1024 * 1024,
            default_voice_quota: 300,
            default_sms_quota: 1,
            validity: Duration::seconds(600),
            grace: Duration::seconds(60),
            max_batch: 512,
            queue: 8192,
            thresholds: vec![(Service::Data, 75), (Service::Data, 90)],
        }
    }
}

impl ChargingConfig {
    /// The default quota of a service.
    pub fn default_quota(&self, service: Service) -> u64 {
        match service {
            Service::Data => self.default_data_quota,
            Service::Voice => self.default_voice_quota,
            Service::Sms => self.default_sms_quota,
        }
    }
}

/// Why a charging operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ChargingError {
    /// No line has that MSISDN or IMSI.
    #[error("unknown subscriber")]
    UnknownSubscriber,
    /// The engine refused (service denied, nothing eligible, …).
    #[error("{0:?}")]
    Refused(ChargeError),
    /// Overloaded or the database is unavailable: try again later (3004).
    #[error("busy: {0}")]
    Busy(String),
    /// The request is not valid.
    #[error("{0}")]
    Invalid(String),
}

struct Pending {
    write: ChargingWrite,
    done: oneshot::Sender<Result<bool, String>>,
}

type Cell = Arc<tokio::sync::Mutex<Option<LineCharging>>>;

/// The charging service: line owners and the group-commit writer.
pub struct Charging {
    store: Arc<dyn Store>,
    config: ChargingConfig,
    lines: Mutex<HashMap<Uuid, Cell>>,
    /// MSISDN / IMSI → line, so a CCR-INITIAL does not read the database to find its subscriber.
    subscribers: Mutex<HashMap<String, Subscriber>>,
    writer: mpsc::Sender<Pending>,
    /// Line → its account, learnt on load (notifications need it).
    owners: Mutex<HashMap<Uuid, Uuid>>,
    /// Warnings already handed on by this node (the database's dedupe key makes them exactly-once).
    warned: Mutex<std::collections::HashSet<String>>,
    /// Warnings go to the store off the hot path.
    notes: mpsc::UnboundedSender<keepsim_store::NewNotification>,
    /// What the writer has done so far.
    stats: Arc<WriterCounters>,
}

#[derive(Debug, Default)]
struct WriterCounters {
    batches: std::sync::atomic::AtomicU64,
    writes: std::sync::atomic::AtomicU64,
    commit_nanos: std::sync::atomic::AtomicU64,
}

/// The group-commit writer's work since start: batches committed, writes in them, and the
/// time spent committing. Differences of two readings give batch size and writer load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Transactions committed (successfully or not).
    pub batches: u64,
    /// Charging writes in them.
    pub writes: u64,
    /// Time spent in those commits.
    pub commit_time: std::time::Duration,
}

impl std::fmt::Debug for Charging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Charging").field("config", &self.config).finish_non_exhaustive()
    }
}

/// The country a PLMN ("44010") is in.
pub fn country_of_plmn(plmn: &str) -> Option<CountryCode> {
    let plmn = Plmn::parse(plmn).ok()?;
    geo::plmn_table().country_of(&plmn)
}

fn bundle_from_record(b: &BundleRecord) -> ChargingBundle {
    ChargingBundle {
        id: b.id,
        priority: 0,
        created_at: b.created_at,
        // The package's `starts` is only needed before a bundle starts: an unstarted bundle is first-use.
        starts: if b.starts_at.is_none() { Starts::FirstUse } else { Starts::Purchase },
        validity_days: b.validity_days,
        starts_at: b.starts_at,
        expires_at: b.expires_at,
        coverage: b.coverage.clone(),
        state: b.state,
        data: b.data,
        voice: b.voice,
        sms: b.sms,
        fair_use_bytes: b.fair_use_bytes,
    }
}

fn counters(b: &ChargingBundle) -> BundleCounters {
    BundleCounters {
        bundle_id: b.id,
        state: b.state,
        starts_at: b.starts_at,
        expires_at: b.expires_at,
        data: (b.data.used, b.data.reserved),
        voice: (b.voice.used, b.voice.reserved),
        sms: (b.sms.used, b.sms.reserved),
    }
}

/// Turns an operation's effects into what the writer commits.
fn to_write(engine: &LineCharging, effects: &[Effect], keys: &[&ReservationKey], now: OffsetDateTime) -> ChargingWrite {
    let mut w = ChargingWrite { line_id: engine.line_id, at: Some(now), ..Default::default() };
    let mut touched: Vec<Uuid> = Vec::new();
    let mut usage: HashMap<Service, u64> = HashMap::new();
    let mut timed_out: Vec<ReservationKey> = Vec::new();
    for e in effects {
        match e {
            Effect::Ledger { bundle_id, kind, service, units } => {
                w.ledger.push(LedgerWrite { bundle_id: *bundle_id, kind: *kind, service: *service, units: *units });
                touched.push(*bundle_id);
                if *kind == LedgerKind::UsageDebit {
                    *usage.entry(*service).or_default() += units.unsigned_abs();
                }
            }
            Effect::BundleStarted { bundle_id, .. } | Effect::BundleState { bundle_id, .. } => touched.push(*bundle_id),
            Effect::Overage { service, units, .. } => *usage.entry(*service).or_default() += *units,
            Effect::ReservationTimedOut { key } => timed_out.push(key.clone()),
        }
    }
    touched.sort();
    touched.dedup();
    w.bundles = touched.iter().filter_map(|id| engine.bundle(*id)).map(counters).collect();
    for key in keys.iter().copied().chain(timed_out.iter()) {
        match engine.reservation(key) {
            Some(r) => w.upsert_reservations.push(StoredReservation {
                line_id: engine.line_id,
                session_id: key.session_id.clone(),
                rating_group: key.rating_group,
                service: r.service,
                country: r.country.as_str().to_string(),
                parts: r.parts.clone(),
                granted: r.granted,
                expires_at: r.expires_at,
            }),
            None => w.delete_reservations.push((key.session_id.clone(), key.rating_group)),
        }
    }
    w.usage = usage.into_iter().collect();
    w
}

async fn run_writer(
    store: Arc<dyn Store>,
    mut rx: mpsc::Receiver<Pending>,
    max_batch: usize,
    stats: Arc<WriterCounters>,
) {
    use std::sync::atomic::Ordering::Relaxed;
    let mut batch: Vec<Pending> = Vec::with_capacity(max_batch);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let writes: Vec<ChargingWrite> = batch.iter_mut().map(|p| std::mem::take(&mut p.write)).collect();
        let started = std::time::Instant::now();
        let result = store.commit_charging(&writes).await;
        stats.commit_nanos.fetch_add(u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX), Relaxed);
        stats.batches.fetch_add(1, Relaxed);
        stats.writes.fetch_add(writes.len() as u64, Relaxed);
        match result {
            Ok(applied) => {
                for (p, a) in batch.drain(..).zip(applied.into_iter().chain(std::iter::repeat(true))) {
                    let _ = p.done.send(Ok(a));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, size = batch.len(), "charging commit failed");
                for p in batch.drain(..) {
                    let _ = p.done.send(Err(e.to_string()));
                }
            }
        }
    }
}

impl Charging {
    /// A charging service over `store`; spawns its writer on the current runtime.
    pub fn start(store: Arc<dyn Store>, config: ChargingConfig) -> Arc<Charging> {
        let (tx, rx) = mpsc::channel(config.queue.max(1));
        let stats = Arc::new(WriterCounters::default());
        tokio::spawn(run_writer(store.clone(), rx, config.max_batch.max(1), stats.clone()));
        let (notes, mut notes_rx) = mpsc::unbounded_channel::<keepsim_store::NewNotification>();
        let notes_store = store.clone();
        tokio::spawn(async move {
            while let Some(n) = notes_rx.recv().await {
                if let Err(e) = notes_store.create_notification(n).await {
                    tracing::warn!(error = %e, "recording a notification failed");
                }
            }
        });
        Arc::new(Charging {
            store,
            config,
            lines: Mutex::new(HashMap::new()),
            subscribers: Mutex::new(HashMap::new()),
            writer: tx,
            owners: Mutex::new(HashMap::new()),
            warned: Mutex::new(std::collections::HashSet::new()),
            notes,
            stats,
        })
    }

    /// The writer's work since start.
    pub fn writer_stats(&self) -> WriterStats {
        use std::sync::atomic::Ordering::Relaxed;
        WriterStats {
            batches: self.stats.batches.load(Relaxed),
            writes: self.stats.writes.load(Relaxed),
            commit_time: std::time::Duration::from_nanos(self.stats.commit_nanos.load(Relaxed)),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ChargingConfig {
        &self.config
    }

    /// The line of a subscriber (by MSISDN digits or IMSI).
    pub async fn subscriber(&self, msisdn: Option<&str>, imsi: Option<&str>) -> Result<Subscriber, ChargingError> {
        let msisdn = msisdn.map(|m| Msisdn::parse(m).map(|m| m.as_str().to_string())).transpose().ok().flatten();
        let imsi = imsi.map(|i| Imsi::parse(i).map(|i| i.as_str().to_string())).transpose().ok().flatten();
        let cache_key = match (&msisdn, &imsi) {
            (Some(m), _) => format!("e164:{m}"),
            (None, Some(i)) => format!("imsi:{i}"),
            (None, None) => return Err(ChargingError::UnknownSubscriber),
        };
        if let Some(s) = self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).get(&cache_key) {
            return Ok(s.clone());
        }
        let found = self
            .store
            .subscriber(msisdn.as_deref(), imsi.as_deref())
            .await
            .map_err(|e| ChargingError::Busy(e.to_string()))?
            .ok_or(ChargingError::UnknownSubscriber)?;
        let mut cache = self.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 1_000_000 {
            cache.clear();
        }
        cache.insert(cache_key, found.clone());
        Ok(found)
    }

    /// Forgets every cached subscriber identity (a number was recycled or a profile changed).
    pub fn forget_subscribers(&self) {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    fn cell(&self, line_id: Uuid) -> Cell {
        let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        lines.entry(line_id).or_default().clone()
    }

    /// Forgets a line's in-memory state; its next operation reloads it from the
    /// database (after a top-up or refund wrote its bundles directly).
    pub async fn invalidate(&self, line_id: Uuid) {
        let cell = self.cell(line_id);
        *cell.lock().await = None;
    }

    async fn load(&self, line_id: Uuid, now: OffsetDateTime) -> Result<(LineCharging, Vec<Effect>), ChargingError> {
        let state = self
            .store
            .charging_state(line_id)
            .await
            .map_err(|e| ChargingError::Busy(e.to_string()))?
            .ok_or(ChargingError::UnknownSubscriber)?;
        self.owners.lock().unwrap_or_else(|p| p.into_inner()).insert(line_id, state.subscriber.account_id);
        let bundles = state.bundles.iter().map(bundle_from_record).collect();
        let mut engine = LineCharging::new(line_id, state.subscriber.state, bundles);
        for r in state.reservations {
            let Ok(country) = CountryCode::parse(&r.country) else { continue };
            let key = ReservationKey::new(r.session_id.clone(), r.rating_group);
            let reservation = Reservation {
                service: r.service,
                country,
                parts: r.parts.clone(),
                granted: r.granted,
                expires_at: r.expires_at,
            };
            if let Err(e) = engine.restore_reservation(key, reservation) {
                tracing::warn!(line = %line_id, error = %e, "stored reservation dropped");
            }
        }
        // Units reserved by reservations that were never stored (a crash between them) go back.
        let mut effects = engine.release_orphans();
        effects.extend(engine.expire_reservations(now, self.config.grace));
        Ok((engine, effects))
    }

    async fn submit(&self, write: ChargingWrite) -> Result<bool, ChargingError> {
        let (done, wait) = oneshot::channel();
        self.writer.try_send(Pending { write, done }).map_err(|_| ChargingError::Busy("charging queue full".into()))?;
        wait.await.map_err(|_| ChargingError::Busy("writer stopped".into()))?.map_err(ChargingError::Busy)
    }

    /// Runs `op` on the line's engine and commits its effects before returning.
    /// `keys` are the reservations the operation may open or close.
    async fn with_line<T>(
        &self,
        line_id: Uuid,
        keys: &[&ReservationKey],
        event_id: Option<String>,
        now: OffsetDateTime,
        op: impl FnOnce(&mut LineCharging) -> Result<(T, Vec<Effect>), ChargingError>,
    ) -> Result<(T, bool), ChargingError> {
        let cell = self.cell(line_id);
        let mut guard = cell.lock().await;
        let mut effects = Vec::new();
        if guard.is_none() {
            let (engine, loaded) = self.load(line_id, now).await?;
            *guard = Some(engine);
            effects = loaded;
        }
        let Some(engine) = guard.as_mut() else { return Err(ChargingError::Busy("line not loaded".into())) };
        effects.extend(engine.expire_reservations(now, self.config.grace));
        let (out, more) = match op(engine) {
            Ok(x) => x,
            Err(e) => {
                if !effects.is_empty() {
                    let write = to_write(engine, &effects, keys, now);
                    if self.submit(write).await.is_err() {
                        *guard = None;
                    }
                }
                return Err(e);
            }
        };
        effects.extend(more);
        if effects.is_empty() && event_id.is_none() {
            return Ok((out, true));
        }
        let mut write = to_write(engine, &effects, keys, now);
        write.event_id = event_id;
        match self.submit(write).await {
            Ok(applied) => {
                if !applied {
                    // The event was applied before: what we just did in memory must not stand.
                    *guard = None;
                } else {
                    self.warn(engine, &effects, now);
                }
                Ok((out, applied))
            }
            Err(e) => {
                *guard = None;
                Err(e)
            }
        }
    }

    /// Hands on the warnings an operation's committed effects call for: usage thresholds
    /// crossed, a bundle exhausted or expired (with what was forfeited).
    fn warn(&self, engine: &LineCharging, effects: &[Effect], now: OffsetDateTime) {
        let Some(account_id) = self.owners.lock().unwrap_or_else(|p| p.into_inner()).get(&engine.line_id).copied()
        else {
            return;
        };
        let mut out: Vec<(String, &'static str, serde_json::Value)> = Vec::new();
        let mut touched: Vec<Uuid> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Ledger { bundle_id, kind: LedgerKind::UsageDebit, .. } => Some(*bundle_id),
                _ => None,
            })
            .collect();
        touched.sort();
        touched.dedup();
        for id in touched {
            let Some(b) = engine.bundle(id) else { continue };
            for (service, percent) in &self.config.thresholds {
                let bal = b.balance(*service);
                let Some(total) = bal.total.filter(|t| *t > 0) else { continue };
                if u128::from(bal.used) * 100 >= u128::from(total) * u128::from(*percent) {
                    out.push((
                        format!("{}_threshold:{id}:{percent}", service.as_str()),
                        "data_threshold",
                        serde_json::json!({
                            "line_id": engine.line_id, "bundle_id": id, "service": service.as_str(),
                            "threshold_percent": percent, "remaining": bal.remaining(),
                        }),
                    ));
                }
            }
        }
        for e in effects {
            if let Effect::BundleState { bundle_id, state } = e {
                let kind = match state {
                    keepsim_domain::bundle::BundleState::Exhausted => "bundle_exhausted",
                    keepsim_domain::bundle::BundleState::Expired => "bundle_expired",
                    _ => continue,
                };
                let forfeited: i64 = effects
                    .iter()
                    .filter_map(|x| match x {
                        Effect::Ledger {
                            bundle_id: b,
                            kind: LedgerKind::ExpiryForfeit,
                            service: Service::Data,
                            units,
                        } if b == bundle_id => Some(-units),
                        _ => None,
                    })
                    .sum();
                out.push((
                    format!("{kind}:{bundle_id}"),
                    kind,
                    serde_json::json!({"line_id": engine.line_id, "bundle_id": bundle_id, "forfeited_bytes": forfeited}),
                ));
            }
        }
        let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
        for (key, kind, data) in out {
            if warned.insert(key.clone()) {
                let _ = self.notes.send(keepsim_store::NewNotification {
                    id: Uuid::now_v7(),
                    account_id,
                    line_id: Some(engine.line_id),
                    kind: kind.into(),
                    data: data.to_string(),
                    dedupe_key: key,
                    created_at: now,
                });
            }
        }
    }

    /// Expires the line's bundles whose validity ended (forfeits with ledger entries).
    pub async fn expire_bundles(&self, line_id: Uuid, now: OffsetDateTime) -> Result<(), ChargingError> {
        self.with_line(line_id, &[], None, now, |engine| Ok(((), engine.expire_bundles(now)))).await.map(|_| ())
    }

    /// Reserves units for a session's rating group (CCR-INITIAL, or a new rating group).
    pub async fn reserve(
        &self,
        line_id: Uuid,
        key: &ReservationKey,
        request: ReserveRequest,
        now: OffsetDateTime,
    ) -> Result<Grant, ChargingError> {
        let k = key.clone();
        self.with_line(line_id, &[key], None, now, move |engine| {
            let grant = engine.reserve(k, request, now).map_err(ChargingError::Refused)?;
            let effects = grant.effects.clone();
            Ok((grant, effects))
        })
        .await
        .map(|(g, _)| g)
    }

    /// Commits used units and reserves again (CCR-UPDATE).
    pub async fn update(
        &self,
        line_id: Uuid,
        key: &ReservationKey,
        used: u64,
        request: ReserveRequest,
        now: OffsetDateTime,
    ) -> Result<Update, ChargingError> {
        let k = key.clone();
        self.with_line(line_id, &[key], None, now, move |engine| {
            let update = engine.update(k, used, request, now);
            let mut effects = update.commit.effects.clone();
            if let Ok(g) = &update.grant {
                effects.extend(g.effects.iter().cloned());
            }
            Ok((update, effects))
        })
        .await
        .map(|(u, _)| u)
    }

    /// Commits used units and closes the reservation (CCR-TERMINATE). Without a
    /// reservation (it timed out), `used` is debited directly in `fallback`'s service and country.
    pub async fn terminate(
        &self,
        line_id: Uuid,
        key: &ReservationKey,
        used: u64,
        fallback: Option<(Service, CountryCode)>,
        now: OffsetDateTime,
    ) -> Result<CommitOutcome, ChargingError> {
        let k = key.clone();
        self.with_line(line_id, &[key], None, now, move |engine| {
            let outcome = match engine.commit(&k, used, now) {
                Ok(c) => c,
                Err(_) => match fallback {
                    Some((service, country)) if used > 0 => engine.debit_event(service, country, used, now),
                    _ => CommitOutcome { debited: 0, overage: 0, effects: Vec::new() },
                },
            };
            let effects = outcome.effects.clone();
            Ok((outcome, effects))
        })
        .await
        .map(|(c, _)| c)
    }

    /// Debits usage without a reservation (SMS event, usage API, CDR), once per `event_id`.
    /// Returns whether it was applied now (false: seen before) and what it debited.
    pub async fn debit(
        &self,
        line_id: Uuid,
        d: Debit,
        now: OffsetDateTime,
    ) -> Result<(CommitOutcome, bool), ChargingError> {
        let Debit { service, country, units, event_id, require_chargeable } = d;
        if let Some(id) = &event_id
            && self.store.usage_event_seen(id).await.map_err(|e| ChargingError::Busy(e.to_string()))?
        {
            return Ok((CommitOutcome { debited: 0, overage: 0, effects: Vec::new() }, false));
        }
        self.with_line(line_id, &[], event_id, now, move |engine| {
            if require_chargeable {
                if !engine.chargeable() {
                    return Err(ChargingError::Refused(ChargeError::ServiceDenied));
                }
                if engine.available(service, country, now) < units {
                    return Err(ChargingError::Refused(ChargeError::NoEligibleBundle));
                }
            }
            let outcome = engine.debit_event(service, country, units, now);
            let effects = outcome.effects.clone();
            Ok((outcome, effects))
        })
        .await
    }

    /// Times out silent reservations on every line in memory.
    pub async fn sweep(&self, now: OffsetDateTime) -> usize {
        let cells: Vec<(Uuid, Cell)> = {
            let lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
            lines.iter().map(|(id, c)| (*id, c.clone())).collect()
        };
        let mut swept = 0;
        for (line_id, cell) in cells {
            let res = self
                .with_line(line_id, &[], None, now, |engine| {
                    Ok(((), engine.expire_reservations(now, self.config.grace)))
                })
                .await;
            if res.is_ok() {
                swept += 1;
            }
            drop(cell);
        }
        swept
    }

    /// Loads (and so times out the reservations of) lines whose stored reservations
    /// expired while no one held them in memory, e.g. across a restart.
    pub async fn sweep_stored(&self, now: OffsetDateTime) -> Result<usize, ChargingError> {
        let lines = self.store.lines_with_stale_reservations(now - self.config.grace, 1000).await?;
        let mut n = 0;
        for line_id in lines {
            if self.with_line(line_id, &[], None, now, |_| Ok(((), Vec::new()))).await.is_ok() {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Lines held in memory.
    pub fn lines_in_memory(&self) -> usize {
        self.lines.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// A direct debit.
#[derive(Debug, Clone)]
pub struct Debit {
    /// Service.
    pub service: Service,
    /// Visited country.
    pub country: CountryCode,
    /// Units.
    pub units: u64,
    /// Applied once per id, when given.
    pub event_id: Option<String>,
    /// Refuse (4010 / 4012) instead of recording overage: an event that asks first (SMS).
    pub require_chargeable: bool,
}

/// A usage record from a network (usage API, CDR import).
#[derive(Debug, Clone)]
pub struct UsageReport {
    /// Unique id; applied once.
    pub event_id: String,
    /// Subscriber number.
    pub msisdn: Option<String>,
    /// Subscriber IMSI.
    pub imsi: Option<String>,
    /// Visited PLMN.
    pub plmn: Option<String>,
    /// Visited country.
    pub country: Option<String>,
    /// data, voice or sms.
    pub service: String,
    /// Units used.
    pub units: u64,
}

/// What a usage record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageOutcome {
    /// False when the event id was seen before.
    pub applied: bool,
    /// Units debited.
    pub debited: u64,
    /// Units beyond every eligible bundle.
    pub overage: u64,
}

/// The largest usage a single record may report (1 TiB, 10 days of calls, 100k SMS).
fn absurd(service: Service, units: u64) -> bool {
    match service {
        Service::Data => units > 1 << 40,
        Service::Voice => units > 10 * 86_400,
        Service::Sms => units > 100_000,
    }
}

impl Services {
    /// The charging service (started lazily on first use, with default settings unless
    /// [`Services::start_charging`] ran first).
    pub fn charging(&self) -> Arc<Charging> {
        self.charging.get_or_init(|| Charging::start(self.store.clone(), ChargingConfig::default())).clone()
    }

    /// Starts the charging service with `config` (before anything uses it).
    pub fn start_charging(&self, config: ChargingConfig) -> Arc<Charging> {
        self.charging.get_or_init(|| Charging::start(self.store.clone(), config)).clone()
    }

    /// Applies a usage record a network reported (`POST /api/v1/usage`), as `apply_usage` does.
    /// The event id prefixes `gy:` and `cdr:` name keepsim's own events (Diameter SMS events,
    /// imported CDRs); a report may not take one and so pre-empt that event.
    pub async fn report_usage(&self, r: UsageReport) -> Result<UsageOutcome, ServiceError> {
        if r.event_id.starts_with("gy:") || r.event_id.starts_with("cdr:") {
            return Err(ServiceError::InvalidField {
                field: "event_id",
                reason: "the prefixes gy: and cdr: are reserved".into(),
            });
        }
        self.apply_usage(r).await
    }

    /// Applies a usage record after the fact (the network already carried the traffic):
    /// debits what the eligible bundles hold, records the rest as overage; once per event id.
    pub(crate) async fn apply_usage(&self, r: UsageReport) -> Result<UsageOutcome, ServiceError> {
        let invalid = |field: &'static str, reason: String| ServiceError::InvalidField { field, reason };
        if r.event_id.trim().is_empty() || r.event_id.len() > 200 {
            return Err(invalid("event_id", "1–200 characters".into()));
        }
        let service = Service::parse(&r.service).ok_or_else(|| invalid("service", "data, voice or sms".into()))?;
        if absurd(service, r.units) {
            return Err(invalid("units", format!("{} is not a believable amount of {}", r.units, r.service)));
        }
        let country = match (&r.plmn, &r.country) {
            (Some(p), None) => country_of_plmn(p).ok_or_else(|| invalid("plmn", format!("unknown network {p:?}")))?,
            (None, Some(c)) => CountryCode::parse(c).map_err(|_| ServiceError::UnknownCountry(c.clone()))?,
            _ => return Err(invalid("plmn", "give plmn or country (one of them)".into())),
        };
        if r.msisdn.is_some() == r.imsi.is_some() {
            return Err(invalid("msisdn", "give msisdn or imsi (one of them)".into()));
        }
        let charging = self.charging();
        let sub = charging.subscriber(r.msisdn.as_deref(), r.imsi.as_deref()).await.map_err(charging_error)?;
        let now = self.clock.now();
        let (outcome, applied) = charging
            .debit(
                sub.line_id,
                Debit {
                    service,
                    country,
                    units: r.units,
                    event_id: Some(r.event_id.clone()),
                    require_chargeable: false,
                },
                now,
            )
            .await
            .map_err(charging_error)?;
        Ok(UsageOutcome { applied, debited: outcome.debited, overage: outcome.overage })
    }
}

/// Maps charging failures to service errors.
pub fn charging_error(e: ChargingError) -> ServiceError {
    match e {
        ChargingError::UnknownSubscriber => ServiceError::UnknownSubscriber,
        ChargingError::Busy(m) => ServiceError::Unavailable(m),
        ChargingError::Invalid(m) => ServiceError::InvalidField { field: "usage", reason: m },
        ChargingError::Refused(c) => ServiceError::InvalidField { field: "usage", reason: format!("{c:?}") },
    }
}

impl From<StoreError> for ChargingError {
    fn from(e: StoreError) -> Self {
        ChargingError::Busy(e.to_string())
    }
}
