//! The charging engine: one line's bundles and open reservations, and the pure
//! rules that reserve, commit, release, debit, expire and credit units.
//!
//! # Shape
//!
//! [`LineCharging`] is the in-memory state the charging service keeps for one
//! line (one owner per line, see the architecture's "charging hot path"). Every
//! method that changes it takes `&mut self` — two sessions of a line are
//! applied one after the other, so they can never spend the same unit — and
//! returns the [`Effect`]s it had. The caller persists those effects (ledger
//! rows, bundle columns) before answering; applying them to the stored rows
//! gives exactly the engine's in-memory state (see [`Effect`] for how each one
//! is applied). Nothing here does I/O or reads a clock: `now` is always passed.
//!
//! # The ledger
//!
//! Every change to a balance is a [`Effect::Ledger`] entry with signed units:
//! top-up credits are positive, reservations negative, releases positive,
//! usage debits negative, expiry forfeits and refund revocations negative.
//! A reservation that is committed is released in full and the units used are
//! debited, so for an active bundle the sum of a service's entries is always
//! `total − used − reserved` (its remaining units; for unlimited data, which is
//! never credited, `− used − reserved`), and for an expired or revoked bundle
//! it is zero (everything not used was forfeited or revoked). [`check_ledger`]
//! and [`LineCharging::ledger_matches`] recompute this and report every
//! difference; there must never be one.
//!
//! # Which bundle pays
//!
//! A bundle is *eligible* for a service in a visited country at `now` when it is
//! [`BundleState::Active`], has units of that service left to grant (see
//! [`ChargingBundle::available`]), covers the country, and is valid at `now`:
//! started (`starts_at ≤ now`) and not expired (`expires_at > now`), or — for a
//! `starts: first_use` bundle — not started yet, in which case it starts when
//! it is first charged (an [`Effect::BundleStarted`] with `expires_at = now +
//! validity_days`). A `starts: purchase` bundle without a start is never
//! eligible (it is inconsistent data, not silently started).
//!
//! Eligible bundles are used in this order: the one expiring first (a
//! first-use bundle that has not started counts as expiring at `now +
//! validity_days`), then higher `priority`, then older `created_at`, then the
//! smaller id (so the order is total and deterministic).
//!
//! # Unlimited data and fair use
//!
//! Unlimited data (`data.total == None`) has no credit; its `fair_use_bytes`
//! bounds what is granted at full speed, so it acts as the effective total for
//! granting and debiting ([`ChargingBundle::cap`]). Once the cap is reached the
//! bundle grants no more data (throttled service is the network's policy, not a
//! charged balance), but it stays [`BundleState::Active`] until it expires: it
//! is never [`BundleState::Exhausted`]. Without a fair-use cap it is bounded
//! only by [`MAX_UNITS`].
//!
//! # Reservations (Gy sessions)
//!
//! A reservation is keyed by ([`ReservationKey`]) Session-Id and rating group.
//! [`LineCharging::reserve`] grants `min(requested or default quota,
//! available)`, taking units from the eligible bundles in order (one reservation
//! may have parts in several bundles). [`LineCharging::commit`] debits the units
//! actually used — first against the reservation's parts, then spilling into
//! other eligible bundles — and records what nothing can pay as
//! [`Effect::Overage`]; no balance ever goes below zero.
//! [`LineCharging::release`] returns a reservation untouched,
//! [`LineCharging::update`] is a CCR-UPDATE (commit then reserve again), and
//! [`LineCharging::expire_reservations`] returns the units of reservations the
//! network forgot (Validity-Time plus a grace). Reserving a key that is already
//! held is refused with [`ChargeError::ReservationExists`]: the network asks for
//! more with an update, which reports what was used; a duplicate initial request
//! is deduplicated by the Gy layer on (Session-Id, CC-Request-Number) before it
//! reaches the engine.
//!
//! # Line state
//!
//! Only `assigned` and `active` lines may reserve (others get
//! [`ChargeError::ServiceDenied`], Diameter 4010). Usage that already happened —
//! a commit, an update's report, [`LineCharging::debit_event`] for SMS events
//! and imported CDRs — is always debited whatever the line's state.
//!
//! # Loading
//!
//! [`LineCharging::new`] takes the stored bundles. Reservations that were
//! stored can be put back with [`LineCharging::restore_reservation`];
//! [`LineCharging::release_orphans`] then returns every reserved unit no
//! reservation accounts for (after a crash, or when reservations are not kept
//! across restarts at all).

use crate::bundle::{Balance, BundleState, LedgerKind, Service, validity_window};
use crate::catalogue::{Package, Starts};
use crate::geo::CountryCode;
use crate::line::LineState;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The most units one balance ever counts: ledger units are `i64`, so every
/// cap, grant and debit is bounded by `i64::MAX`.
pub const MAX_UNITS: u64 = i64::MAX as u64;

/// Stands in for "never" when a date computation would leave the calendar.
const FAR_FUTURE: OffsetDateTime = time::macros::datetime!(9999-12-31 23:59:59 UTC);

/// `units` as a ledger amount (all amounts the engine handles are ≤ [`MAX_UNITS`]).
fn signed(units: u64) -> i64 {
    i64::try_from(units).unwrap_or(i64::MAX)
}

/// `t + d`, or [`FAR_FUTURE`] past the end of the calendar.
fn plus(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t.checked_add(d).unwrap_or(FAR_FUTURE)
}

/// `t + days`, or [`FAR_FUTURE`] past the end of the calendar.
fn plus_days(t: OffsetDateTime, days: u32) -> OffsetDateTime {
    plus(t, Duration::days(i64::from(days)))
}

/// A bundle as the charging engine sees it: validity, coverage and balances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargingBundle {
    /// The bundle's id (the ledger's `bundle_id`).
    pub id: Uuid,
    /// Higher is used first among bundles expiring at the same moment.
    pub priority: i32,
    /// When it was credited; older is used first on equal expiry and priority.
    pub created_at: OffsetDateTime,
    /// When validity starts counting.
    pub starts: Starts,
    /// Days it is valid once started.
    pub validity_days: u32,
    /// When it started; `None` for a first-use bundle not used yet.
    pub starts_at: Option<OffsetDateTime>,
    /// When it ends (it is usable while `expires_at > now`); `None` until it starts.
    pub expires_at: Option<OffsetDateTime>,
    /// Countries where it can be used, sorted and without duplicates
    /// ([`LineCharging`] sorts it when a bundle is added).
    pub coverage: Vec<CountryCode>,
    /// Where it is in its life; only active bundles are charged.
    pub state: BundleState,
    /// Data, in bytes; `total == None` is unlimited data (see `fair_use_bytes`).
    pub data: Balance,
    /// Voice, in seconds.
    pub voice: Balance,
    /// SMS, in messages.
    pub sms: Balance,
    /// For unlimited data: the bytes granted at full speed, used as the data
    /// total for granting and debiting. Ignored when data is limited.
    pub fair_use_bytes: Option<u64>,
}

impl ChargingBundle {
    /// A new, active bundle of `package` bought at `now`, with nothing used or
    /// reserved; its validity window comes from [`validity_window`].
    pub fn from_package(id: Uuid, package: &Package, priority: i32, now: OffsetDateTime) -> ChargingBundle {
        let (starts_at, expires_at) = validity_window(package, now);
        let mut coverage = package.coverage.clone();
        coverage.sort_unstable();
        coverage.dedup();
        ChargingBundle {
            id,
            priority,
            created_at: now,
            starts: package.starts,
            validity_days: package.validity_days,
            starts_at,
            expires_at,
            coverage,
            state: BundleState::Active,
            data: Balance { total: package.data.bytes().map(|b| b.0), used: 0, reserved: 0 },
            voice: Balance { total: Some(package.voice.0), used: 0, reserved: 0 },
            sms: Balance { total: Some(package.sms.0), used: 0, reserved: 0 },
            fair_use_bytes: package.data.fair_use().map(|b| b.0),
        }
    }

    /// The balance of `service`.
    pub fn balance(&self, service: Service) -> &Balance {
        match service {
            Service::Data => &self.data,
            Service::Voice => &self.voice,
            Service::Sms => &self.sms,
        }
    }

    /// The balance of `service`, mutably.
    fn balance_mut(&mut self, service: Service) -> &mut Balance {
        match service {
            Service::Data => &mut self.data,
            Service::Voice => &mut self.voice,
            Service::Sms => &mut self.sms,
        }
    }

    /// The effective total of `service` for granting and debiting: the credited
    /// total; for unlimited data the fair-use cap; otherwise [`MAX_UNITS`].
    /// Always at most [`MAX_UNITS`].
    pub fn cap(&self, service: Service) -> u64 {
        let cap = match (self.balance(service).total, service) {
            (Some(total), _) => total,
            (None, Service::Data) => self.fair_use_bytes.unwrap_or(MAX_UNITS),
            (None, _) => MAX_UNITS,
        };
        cap.min(MAX_UNITS)
    }

    /// Units of `service` that can still be granted or debited:
    /// `cap − used − reserved`, never below zero. Ignores state and validity.
    pub fn available(&self, service: Service) -> u64 {
        let b = self.balance(service);
        self.cap(service).saturating_sub(b.used).saturating_sub(b.reserved)
    }

    /// Whether the bundle can be used in `country`.
    pub fn covers(&self, country: CountryCode) -> bool {
        self.coverage.binary_search(&country).is_ok()
    }

    /// The end of the bundle's validity if it is valid at `now` or, being a
    /// first-use bundle that has not started, would start now; `None` when it
    /// has not started yet (purchase) or has expired. Ignores state.
    pub fn valid_until(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        match self.starts_at {
            Some(start) => {
                if start > now {
                    return None;
                }
                let end = self.expires_at.unwrap_or_else(|| plus_days(start, self.validity_days));
                (end > now).then_some(end)
            }
            None => match self.starts {
                Starts::FirstUse => {
                    let end = plus_days(now, self.validity_days);
                    (end > now).then_some(end)
                }
                Starts::Purchase => None,
            },
        }
    }

    /// Whether this bundle can pay for `service` in `country` at `now` (see the module doc).
    pub fn is_eligible(&self, service: Service, country: CountryCode, now: OffsetDateTime) -> bool {
        self.eligible_until(service, country, now).is_some()
    }

    /// Eligibility, cheapest tests first: `Some((valid until, available))`.
    fn eligible_until(
        &self,
        service: Service,
        country: CountryCode,
        now: OffsetDateTime,
    ) -> Option<(OffsetDateTime, u64)> {
        if self.state != BundleState::Active {
            return None;
        }
        let available = self.available(service);
        if available == 0 || !self.covers(country) {
            return None;
        }
        self.valid_until(now).map(|end| (end, available))
    }

    /// True when every limited service is used up with nothing reserved (and
    /// data is not unlimited): such a bundle becomes [`BundleState::Exhausted`].
    pub fn is_spent(&self) -> bool {
        Service::ALL.into_iter().all(|s| {
            let b = self.balance(s);
            b.total.is_some() && b.reserved == 0 && self.available(s) == 0
        })
    }

    /// What the sum of this bundle's ledger entries for `service` must be:
    /// `total − used − reserved` (total 0 for unlimited data, which is never
    /// credited); 0 for a limited service of an expired or revoked bundle, whose
    /// rest was forfeited or revoked.
    pub fn expected_ledger_sum(&self, service: Service) -> i128 {
        let b = self.balance(service);
        let terminal = matches!(self.state, BundleState::Expired | BundleState::Revoked);
        if terminal && b.total.is_some() {
            return 0;
        }
        i128::from(b.total.unwrap_or(0)) - i128::from(b.used) - i128::from(b.reserved)
    }

    /// Starts a first-use bundle that has not started.
    fn start_if_needed(&mut self, now: OffsetDateTime, effects: &mut Vec<Effect>) {
        if self.starts_at.is_none() {
            let expires_at = plus_days(now, self.validity_days);
            self.starts_at = Some(now);
            self.expires_at = Some(expires_at);
            effects.push(Effect::BundleStarted { bundle_id: self.id, starts_at: now, expires_at });
        }
    }

    /// Marks an active, spent bundle exhausted.
    fn exhaust_if_spent(&mut self, effects: &mut Vec<Effect>) {
        if self.state == BundleState::Active && self.is_spent() {
            self.state = BundleState::Exhausted;
            effects.push(Effect::BundleState { bundle_id: self.id, state: BundleState::Exhausted });
        }
    }

    /// Adds `units` to the reserved units of `service`, with its ledger entry.
    fn hold(&mut self, service: Service, units: u64, effects: &mut Vec<Effect>) {
        let b = self.balance_mut(service);
        b.reserved = b.reserved.saturating_add(units);
        effects.push(Effect::ledger(self.id, LedgerKind::Reserve, service, -signed(units)));
    }

    /// Returns `units` reserved units of `service`, with its ledger entry.
    fn unhold(&mut self, service: Service, units: u64, effects: &mut Vec<Effect>) {
        let b = self.balance_mut(service);
        b.reserved = b.reserved.saturating_sub(units);
        effects.push(Effect::ledger(self.id, LedgerKind::Release, service, signed(units)));
    }

    /// Counts `units` of `service` as used, with its ledger entry.
    fn debit(&mut self, service: Service, units: u64, effects: &mut Vec<Effect>) {
        let b = self.balance_mut(service);
        b.used = b.used.saturating_add(units);
        effects.push(Effect::ledger(self.id, LedgerKind::UsageDebit, service, -signed(units)));
    }
}

/// The sort key of an eligible bundle: earliest end, higher priority, older, smaller id.
fn rank(b: &ChargingBundle, end: OffsetDateTime) -> (OffsetDateTime, Reverse<i32>, OffsetDateTime, Uuid) {
    (end, Reverse(b.priority), b.created_at, b.id)
}

/// The first eligible bundle in charging order: `(index, available)`.
fn pick(
    bundles: &[ChargingBundle],
    service: Service,
    country: CountryCode,
    now: OffsetDateTime,
) -> Option<(usize, u64)> {
    let mut best: Option<(usize, u64, OffsetDateTime)> = None;
    for (i, b) in bundles.iter().enumerate() {
        let Some((end, available)) = b.eligible_until(service, country, now) else { continue };
        let better = match best {
            None => true,
            Some((j, _, best_end)) => rank(b, end) < rank(&bundles[j], best_end),
        };
        if better {
            best = Some((i, available, end));
        }
    }
    best.map(|(i, available, _)| (i, available))
}

/// Debits up to `units` from the eligible bundles in order; returns what is left unpaid.
fn debit_in_order(
    bundles: &mut [ChargingBundle],
    service: Service,
    country: CountryCode,
    mut units: u64,
    now: OffsetDateTime,
    effects: &mut Vec<Effect>,
) -> u64 {
    while units > 0 {
        let Some((i, available)) = pick(bundles, service, country, now) else { break };
        let b = &mut bundles[i];
        b.start_if_needed(now, effects);
        let take = available.min(units);
        b.debit(service, take, effects);
        b.exhaust_if_spent(effects);
        units -= take;
    }
    units
}

/// Identifies a reservation: a Gy session and the rating group within it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReservationKey {
    /// The Diameter Session-Id.
    pub session_id: String,
    /// The rating group (one per service in a multi-service session).
    pub rating_group: u32,
}

impl ReservationKey {
    /// A key.
    pub fn new(session_id: impl Into<String>, rating_group: u32) -> ReservationKey {
        ReservationKey { session_id: session_id.into(), rating_group }
    }
}

/// Units held for one session and rating group until it commits, releases or times out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// The service reserved.
    pub service: Service,
    /// The country the line was in when it reserved; a commit spills there.
    pub country: CountryCode,
    /// The units held in each bundle, in charging order; their sum per bundle
    /// and service is that bundle's `reserved`. A part is released (and
    /// removed) when its bundle expires or is revoked.
    pub parts: Vec<(Uuid, u64)>,
    /// The units granted to the network (parts may since have shrunk).
    pub granted: u64,
    /// Validity-Time end: after this plus a grace the reservation times out.
    pub expires_at: OffsetDateTime,
}

impl Reservation {
    /// The units still held across all parts.
    pub fn held(&self) -> u64 {
        self.parts.iter().fold(0u64, |sum, &(_, units)| sum.saturating_add(units))
    }
}

/// What a session asks for in a reservation (the non-key half of a CCR's MSCC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReserveRequest {
    /// The service.
    pub service: Service,
    /// The visited country.
    pub country: CountryCode,
    /// Requested-Service-Unit; `None` (or zero) asks for the default quota.
    pub requested: Option<u64>,
    /// The quota granted when nothing (or zero) is requested.
    pub default_quota: u64,
    /// The Validity-Time to grant (capped at the end of the paying bundles).
    pub validity: Duration,
}

impl ReserveRequest {
    /// The units wanted: the requested amount, or the default quota when none
    /// or zero is requested; at least 1 and at most [`MAX_UNITS`].
    pub fn wanted(&self) -> u64 {
        match self.requested {
            Some(r) if r > 0 => r,
            _ => self.default_quota,
        }
        .clamp(1, MAX_UNITS)
    }
}

/// Something the engine did, to be persisted by the caller in order.
///
/// How a store applies each effect to its rows (the engine's state is then
/// exactly the stored state):
/// - `Ledger`: append the ledger row; `Reserve` adds `−units` to the service's
///   `reserved`, `Release` subtracts `units` from it, `UsageDebit` adds `−units`
///   to `used`; `TopUpCredit` accompanies the insert of a new bundle row whose
///   total is `units`; `ExpiryForfeit` and `RefundRevoke` change no column
///   (they come with a `BundleState`).
/// - `BundleStarted`: set `starts_at` and `expires_at`.
/// - `BundleState`: set `state`.
/// - `Overage` and `ReservationTimedOut` change no balance: record them for
///   staff and reporting (overage) and for the session's audit (timeout).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// A ledger entry.
    Ledger {
        /// The bundle.
        bundle_id: Uuid,
        /// What happened.
        kind: LedgerKind,
        /// Which service.
        service: Service,
        /// Signed units: credits and releases positive; reservations, usage
        /// debits, forfeits and revocations negative.
        units: i64,
    },
    /// A first-use bundle started.
    BundleStarted {
        /// The bundle.
        bundle_id: Uuid,
        /// The start (the moment of first use).
        #[serde(with = "time::serde::rfc3339")]
        starts_at: OffsetDateTime,
        /// The end: the start plus the bundle's validity days.
        #[serde(with = "time::serde::rfc3339")]
        expires_at: OffsetDateTime,
    },
    /// A bundle changed state (exhausted, expired, revoked).
    BundleState {
        /// The bundle.
        bundle_id: Uuid,
        /// Its new state.
        state: BundleState,
    },
    /// Units used that no bundle could pay: recorded, never a negative balance.
    Overage {
        /// Which service.
        service: Service,
        /// Where it was used.
        country: CountryCode,
        /// The unpaid units.
        units: u64,
        /// The reservation it was reported for; `None` for a direct debit.
        session: Option<ReservationKey>,
    },
    /// A reservation timed out and its units were returned (the `Release`
    /// entries come just before this).
    ReservationTimedOut {
        /// The reservation.
        key: ReservationKey,
    },
}

impl Effect {
    /// A ledger effect.
    pub fn ledger(bundle_id: Uuid, kind: LedgerKind, service: Service, units: i64) -> Effect {
        Effect::Ledger { bundle_id, kind, service, units }
    }

    /// `(bundle, service, units)` when this is a ledger entry, the shape [`check_ledger`] takes.
    pub fn ledger_entry(&self) -> Option<(Uuid, Service, i64)> {
        match self {
            Effect::Ledger { bundle_id, service, units, .. } => Some((*bundle_id, *service, *units)),
            _ => None,
        }
    }
}

/// Why a charging request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChargeError {
    /// The line's state does not allow chargeable service (grace, suspended, recycled).
    #[error("the line may not be charged in its current state")]
    ServiceDenied,
    /// No bundle has units of this service for this country now.
    #[error("no bundle can pay for this service here")]
    NoEligibleBundle,
    /// This session and rating group already hold a reservation (use an update).
    #[error("this session and rating group already hold a reservation")]
    ReservationExists,
    /// No reservation is held for this session and rating group.
    #[error("no reservation for this session and rating group")]
    UnknownReservation,
}

impl ChargeError {
    /// The Diameter Result-Code to answer with: 4010 END_USER_SERVICE_DENIED,
    /// 4012 CREDIT_LIMIT_REACHED, 5012 UNABLE_TO_COMPLY for a duplicate
    /// reservation, 5002 UNKNOWN_SESSION_ID for an unknown one.
    pub fn result_code(self) -> u32 {
        match self {
            ChargeError::ServiceDenied => 4010,
            ChargeError::NoEligibleBundle => 4012,
            ChargeError::ReservationExists => 5012,
            ChargeError::UnknownReservation => 5002,
        }
    }
}

/// Units granted to a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Granted units: `min(wanted, available)`, at least 1.
    pub units: u64,
    /// Nothing is left for this service and country after this grant: the
    /// network should get a Final-Unit-Indication.
    pub is_final: bool,
    /// Validity-Time: the requested one, cut to end when the first paying bundle expires.
    pub validity: Duration,
    /// What to persist.
    pub effects: Vec<Effect>,
}

/// What a commit (or a direct debit) did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommitOutcome {
    /// Units debited from bundles.
    pub debited: u64,
    /// Units no bundle could pay (`debited + overage` is the usage reported).
    pub overage: u64,
    /// What to persist.
    pub effects: Vec<Effect>,
}

/// What a CCR-UPDATE did: the usage report, then the new reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The usage debited (persist its effects even when the grant failed).
    pub commit: CommitOutcome,
    /// The new grant, or why there is none.
    pub grant: Result<Grant, ChargeError>,
}

/// A bundle and service whose ledger does not add up to its balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerDifference {
    /// The bundle.
    pub bundle_id: Uuid,
    /// The service.
    pub service: Service,
    /// What the entries should sum to; `None` when the bundle is not known.
    pub expected: Option<i128>,
    /// What they sum to.
    pub recorded: i128,
}

impl fmt::Display for LedgerDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.expected {
            Some(e) => write!(
                f,
                "bundle {} {}: ledger sums to {}, balance says {}",
                self.bundle_id,
                self.service.as_str(),
                self.recorded,
                e
            ),
            None => write!(
                f,
                "bundle {} {}: ledger sums to {} for an unknown bundle",
                self.bundle_id,
                self.service.as_str(),
                self.recorded
            ),
        }
    }
}

/// Recomputes every balance of `bundles` from ledger entries `(bundle, service,
/// units)` and returns each difference (see
/// [`ChargingBundle::expected_ledger_sum`]); entries of bundles not in
/// `bundles` are differences too. Empty when everything adds up.
pub fn check_ledger(
    bundles: &[ChargingBundle],
    entries: impl IntoIterator<Item = (Uuid, Service, i64)>,
) -> Vec<LedgerDifference> {
    let mut sums: BTreeMap<(Uuid, Service), i128> = BTreeMap::new();
    for (bundle_id, service, units) in entries {
        *sums.entry((bundle_id, service)).or_default() += i128::from(units);
    }
    let mut out = Vec::new();
    for b in bundles {
        for service in Service::ALL {
            let expected = b.expected_ledger_sum(service);
            let recorded = sums.remove(&(b.id, service)).unwrap_or(0);
            if expected != recorded {
                out.push(LedgerDifference { bundle_id: b.id, service, expected: Some(expected), recorded });
            }
        }
    }
    for ((bundle_id, service), recorded) in sums {
        out.push(LedgerDifference { bundle_id, service, expected: None, recorded });
    }
    out
}

/// One line's charging state: its bundles and open reservations.
#[derive(Debug, Clone)]
pub struct LineCharging {
    /// The line.
    pub line_id: Uuid,
    /// The line's lifecycle state: only assigned and active lines may reserve.
    pub line_state: LineState,
    /// The line's bundles, in any order.
    bundles: Vec<ChargingBundle>,
    /// Open reservations.
    reservations: BTreeMap<ReservationKey, Reservation>,
}

impl LineCharging {
    /// The charging state of a line with its stored bundles (coverage is sorted
    /// here) and no reservations; see the module doc on loading.
    pub fn new(line_id: Uuid, line_state: LineState, bundles: Vec<ChargingBundle>) -> LineCharging {
        let mut bundles = bundles;
        for b in &mut bundles {
            b.coverage.sort_unstable();
            b.coverage.dedup();
        }
        LineCharging { line_id, line_state, bundles, reservations: BTreeMap::new() }
    }

    /// Whether the line's state allows chargeable service (assigned or active).
    pub fn chargeable(&self) -> bool {
        matches!(self.line_state, LineState::Assigned | LineState::Active)
    }

    /// The bundles.
    pub fn bundles(&self) -> &[ChargingBundle] {
        &self.bundles
    }

    /// One bundle.
    pub fn bundle(&self, id: Uuid) -> Option<&ChargingBundle> {
        self.bundles.iter().find(|b| b.id == id)
    }

    /// Every balance: `(bundle, service, balance)`.
    pub fn balances(&self) -> impl Iterator<Item = (Uuid, Service, Balance)> + '_ {
        self.bundles.iter().flat_map(|b| Service::ALL.into_iter().map(move |s| (b.id, s, *b.balance(s))))
    }

    /// The open reservations.
    pub fn reservations(&self) -> &BTreeMap<ReservationKey, Reservation> {
        &self.reservations
    }

    /// One open reservation.
    pub fn reservation(&self, key: &ReservationKey) -> Option<&Reservation> {
        self.reservations.get(key)
    }

    /// Units of `service` that could be granted in `country` at `now`, over all
    /// eligible bundles (saturating at `u64::MAX`). Ignores the line's state.
    pub fn available(&self, service: Service, country: CountryCode, now: OffsetDateTime) -> u64 {
        self.bundles
            .iter()
            .filter_map(|b| b.eligible_until(service, country, now))
            .fold(0u64, |sum, (_, a)| sum.saturating_add(a))
    }

    /// The eligible bundles for `service` in `country` at `now`, in the order they are used.
    pub fn eligible(&self, service: Service, country: CountryCode, now: OffsetDateTime) -> Vec<Uuid> {
        let mut found: Vec<_> = self
            .bundles
            .iter()
            .filter_map(|b| b.eligible_until(service, country, now).map(|(end, _)| rank(b, end)))
            .collect();
        found.sort_unstable();
        found.into_iter().map(|(_, _, _, id)| id).collect()
    }

    /// Adds a newly bought bundle (a top-up) and returns its `TopUpCredit`
    /// entries, one per limited service with units. A top-up is a fresh bundle:
    /// its `used` and `reserved` are set to 0 and its state to active. Crediting
    /// a bundle id the line already has does nothing (returns no effects).
    pub fn credit(&mut self, bundle: ChargingBundle) -> Vec<Effect> {
        if self.bundles.iter().any(|b| b.id == bundle.id) {
            return Vec::new();
        }
        let mut bundle = bundle;
        bundle.coverage.sort_unstable();
        bundle.coverage.dedup();
        bundle.state = BundleState::Active;
        let mut effects = Vec::new();
        for service in Service::ALL {
            let b = bundle.balance_mut(service);
            b.used = 0;
            b.reserved = 0;
            if let Some(total) = b.total.filter(|t| *t > 0) {
                effects.push(Effect::ledger(bundle.id, LedgerKind::TopUpCredit, service, signed(total)));
            }
        }
        self.bundles.push(bundle);
        effects
    }

    /// Reserves units for a session: `min(wanted, available)` from the eligible
    /// bundles in order, starting first-use bundles it takes from. Refused when
    /// the line may not be charged, the key already holds a reservation, or
    /// nothing is available (then nothing changes).
    pub fn reserve(
        &mut self,
        key: ReservationKey,
        request: ReserveRequest,
        now: OffsetDateTime,
    ) -> Result<Grant, ChargeError> {
        if !self.chargeable() {
            return Err(ChargeError::ServiceDenied);
        }
        let slot = match self.reservations.entry(key) {
            Entry::Occupied(_) => return Err(ChargeError::ReservationExists),
            Entry::Vacant(slot) => slot,
        };
        let ReserveRequest { service, country, .. } = request;
        let wanted = request.wanted();
        let mut validity = request.validity.max(Duration::ZERO);
        let mut effects = Vec::with_capacity(2);
        let mut parts = Vec::with_capacity(1);
        let mut left = wanted;
        while left > 0 {
            let Some((i, available)) = pick(&self.bundles, service, country, now) else { break };
            let b = &mut self.bundles[i];
            b.start_if_needed(now, &mut effects);
            let take = available.min(left);
            b.hold(service, take, &mut effects);
            parts.push((b.id, take));
            if let Some(end) = b.expires_at {
                validity = validity.min(end - now);
            }
            left -= take;
        }
        if parts.is_empty() {
            return Err(ChargeError::NoEligibleBundle);
        }
        let units = wanted - left;
        let is_final = left > 0 || pick(&self.bundles, service, country, now).is_none();
        slot.insert(Reservation { service, country, parts, granted: units, expires_at: plus(now, validity) });
        Ok(Grant { units, is_final, validity, effects })
    }

    /// Closes a reservation with the units actually `used`: its parts are
    /// released and debited in order, what exceeds them spills into the
    /// eligible bundles for its service and country at `now`, and the rest is
    /// overage. Usage is debited whatever the line's state.
    pub fn commit(
        &mut self,
        key: &ReservationKey,
        used: u64,
        now: OffsetDateTime,
    ) -> Result<CommitOutcome, ChargeError> {
        let Some((key, reservation)) = self.reservations.remove_entry(key) else {
            return Err(ChargeError::UnknownReservation);
        };
        let service = reservation.service;
        let mut effects = Vec::with_capacity(2 * reservation.parts.len());
        let mut left = used;
        for &(bundle_id, units) in &reservation.parts {
            let Some(b) = self.bundles.iter_mut().find(|b| b.id == bundle_id) else { continue };
            b.unhold(service, units, &mut effects);
            let take = left.min(units);
            if take > 0 {
                b.debit(service, take, &mut effects);
                left -= take;
            }
            b.exhaust_if_spent(&mut effects);
        }
        Ok(self.spill(service, reservation.country, used, left, Some(key), now, effects))
    }

    /// Debits what a reservation could not hold, then records the rest as overage.
    #[allow(clippy::too_many_arguments)]
    fn spill(
        &mut self,
        service: Service,
        country: CountryCode,
        used: u64,
        left: u64,
        session: Option<ReservationKey>,
        now: OffsetDateTime,
        mut effects: Vec<Effect>,
    ) -> CommitOutcome {
        let overage = debit_in_order(&mut self.bundles, service, country, left, now, &mut effects);
        if overage > 0 {
            effects.push(Effect::Overage { service, country, units: overage, session });
        }
        CommitOutcome { debited: used - overage, overage, effects }
    }

    /// A CCR-UPDATE: commits the held reservation with `used`, then reserves
    /// again with `request`. When the key holds no reservation (it timed out,
    /// or this rating group is new), `used` is still debited as a direct debit
    /// in the request's service and country. The commit uses the reservation's
    /// own service and country.
    pub fn update(&mut self, key: ReservationKey, used: u64, request: ReserveRequest, now: OffsetDateTime) -> Update {
        let commit = match self.commit(&key, used, now) {
            Ok(c) => c,
            Err(_) => self.spill(request.service, request.country, used, used, Some(key.clone()), now, Vec::new()),
        };
        let grant = self.reserve(key, request, now);
        Update { commit, grant }
    }

    /// Closes a reservation without usage: every held unit is returned.
    pub fn release(&mut self, key: &ReservationKey) -> Result<Vec<Effect>, ChargeError> {
        let reservation = self.reservations.remove(key).ok_or(ChargeError::UnknownReservation)?;
        let mut effects = Vec::with_capacity(reservation.parts.len());
        for &(bundle_id, units) in &reservation.parts {
            if let Some(b) = self.bundles.iter_mut().find(|b| b.id == bundle_id) {
                b.unhold(reservation.service, units, &mut effects);
            }
        }
        Ok(effects)
    }

    /// Debits usage that had no reservation — an SMS event, an imported CDR, a
    /// report after a timeout — from the eligible bundles in order; what none
    /// can pay is overage. Usage is debited whatever the line's state; a caller
    /// that must authorise first checks [`LineCharging::chargeable`] and
    /// [`LineCharging::available`].
    pub fn debit_event(
        &mut self,
        service: Service,
        country: CountryCode,
        units: u64,
        now: OffsetDateTime,
    ) -> CommitOutcome {
        self.spill(service, country, units, units, None, now, Vec::new())
    }

    /// Times out every reservation whose Validity-Time ended more than `grace`
    /// before `now` (`expires_at + grace < now`): its units are returned
    /// (`Release` entries followed by a `ReservationTimedOut`).
    pub fn expire_reservations(&mut self, now: OffsetDateTime, grace: Duration) -> Vec<Effect> {
        let mut effects = Vec::new();
        let bundles = &mut self.bundles;
        self.reservations.retain(|key, r| {
            if plus(r.expires_at, grace) >= now {
                return true;
            }
            for &(bundle_id, units) in &r.parts {
                if let Some(b) = bundles.iter_mut().find(|b| b.id == bundle_id) {
                    b.unhold(r.service, units, &mut effects);
                }
            }
            effects.push(Effect::ReservationTimedOut { key: key.clone() });
            false
        });
        effects
    }

    /// Expires every active bundle whose `expires_at ≤ now`: the parts
    /// reservations hold in it are released (the reservations stay open, a
    /// later commit spills elsewhere), what is left of each limited service is
    /// forfeited with an `ExpiryForfeit` entry, and its state becomes expired.
    pub fn expire_bundles(&mut self, now: OffsetDateTime) -> Vec<Effect> {
        let mut effects = Vec::new();
        for i in 0..self.bundles.len() {
            let b = &self.bundles[i];
            if b.state == BundleState::Active && b.expires_at.is_some_and(|e| e <= now) {
                self.terminate(i, LedgerKind::ExpiryForfeit, BundleState::Expired, &mut effects);
            }
        }
        effects
    }

    /// Revokes an active bundle after a refund: like expiry, but the rest is
    /// taken back with `RefundRevoke` entries and the state becomes revoked.
    /// Does nothing for an unknown or inactive bundle.
    pub fn revoke(&mut self, bundle_id: Uuid) -> Vec<Effect> {
        let mut effects = Vec::new();
        if let Some(i) = self.bundles.iter().position(|b| b.id == bundle_id && b.state == BundleState::Active) {
            self.terminate(i, LedgerKind::RefundRevoke, BundleState::Revoked, &mut effects);
        }
        effects
    }

    /// Ends bundle `i`: releases its reservation parts (and any unaccounted
    /// reserved units), takes the rest with `kind`, and sets `state`.
    fn terminate(&mut self, i: usize, kind: LedgerKind, state: BundleState, effects: &mut Vec<Effect>) {
        let bundle = &mut self.bundles[i];
        let id = bundle.id;
        for r in self.reservations.values_mut() {
            let service = r.service;
            r.parts.retain(|&(bundle_id, units)| {
                if bundle_id != id {
                    return true;
                }
                bundle.unhold(service, units, effects);
                false
            });
        }
        for service in Service::ALL {
            let orphaned = bundle.balance(service).reserved;
            if orphaned > 0 {
                bundle.unhold(service, orphaned, effects);
            }
            if let Some(left) = bundle.balance(service).remaining().filter(|l| *l > 0) {
                effects.push(Effect::ledger(id, kind, service, -signed(left)));
            }
        }
        bundle.state = state;
        effects.push(Effect::BundleState { bundle_id: id, state });
    }

    /// Puts back a stored reservation when loading (no effects: its units are
    /// already counted in the bundles' `reserved`). Refused when the key is
    /// held, a part names an unknown bundle, or the parts hold more than the
    /// bundles have reserved and not yet accounted for.
    pub fn restore_reservation(&mut self, key: ReservationKey, reservation: Reservation) -> Result<(), String> {
        if self.reservations.contains_key(&key) {
            return Err(format!("reservation {key:?} is already held"));
        }
        let service = reservation.service;
        for (n, &(bundle_id, units)) in reservation.parts.iter().enumerate() {
            let Some(b) = self.bundle(bundle_id) else {
                return Err(format!("reservation {key:?} names unknown bundle {bundle_id}"));
            };
            let earlier = reservation.parts[..n]
                .iter()
                .filter(|(id, _)| *id == bundle_id)
                .fold(0u64, |sum, (_, u)| sum.saturating_add(*u));
            let held = self.held(bundle_id, service).saturating_add(earlier);
            if held.saturating_add(units) > b.balance(service).reserved {
                return Err(format!("reservation {key:?} holds more of bundle {bundle_id} than it has reserved"));
            }
        }
        self.reservations.insert(key, reservation);
        Ok(())
    }

    /// Units of `service` in bundle `bundle_id` held by open reservations.
    fn held(&self, bundle_id: Uuid, service: Service) -> u64 {
        self.reservations
            .values()
            .filter(|r| r.service == service)
            .flat_map(|r| r.parts.iter())
            .filter(|(id, _)| *id == bundle_id)
            .fold(0u64, |sum, (_, u)| sum.saturating_add(*u))
    }

    /// Returns every reserved unit that no open reservation holds (`Release`
    /// entries), so that each bundle's `reserved` is exactly the sum of the
    /// reservations' parts.
    pub fn release_orphans(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        for i in 0..self.bundles.len() {
            for service in Service::ALL {
                let held = self.held(self.bundles[i].id, service);
                let b = &mut self.bundles[i];
                let orphaned = b.balance(service).reserved.saturating_sub(held);
                if orphaned > 0 {
                    b.unhold(service, orphaned, &mut effects);
                }
            }
        }
        effects
    }

    /// Every difference between the line's balances and the ledger entries
    /// `(bundle, service, units)` (see [`check_ledger`]).
    pub fn ledger_differences(&self, entries: impl IntoIterator<Item = (Uuid, Service, i64)>) -> Vec<LedgerDifference> {
        check_ledger(&self.bundles, entries)
    }

    /// `Ok` when the ledger entries reproduce every balance of the line,
    /// otherwise every difference, one per line.
    pub fn ledger_matches(&self, entries: &[(Uuid, Service, i64)]) -> Result<(), String> {
        let differences = self.ledger_differences(entries.iter().copied());
        if differences.is_empty() {
            return Ok(());
        }
        Err(differences.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-03-01 0:00 UTC);
    const MB: u64 = 1024 * 1024;

    fn cc(s: &str) -> CountryCode {
        CountryCode::parse(s).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn key(session: &str) -> ReservationKey {
        ReservationKey::new(session, 1)
    }

    /// An active, started bundle with `data` bytes in `coverage`, expiring `days` after T0.
    fn data_bundle(n: u128, data: u64, coverage: &[&str], days: i64) -> ChargingBundle {
        ChargingBundle {
            id: id(n),
            priority: 0,
            created_at: T0 - Duration::days(1),
            starts: Starts::Purchase,
            validity_days: 30,
            starts_at: Some(T0 - Duration::days(1)),
            expires_at: Some(T0 + Duration::days(days)),
            coverage: coverage.iter().map(|c| cc(c)).collect(),
            state: BundleState::Active,
            data: Balance { total: Some(data), used: 0, reserved: 0 },
            voice: Balance { total: Some(0), used: 0, reserved: 0 },
            sms: Balance { total: Some(0), used: 0, reserved: 0 },
            fair_use_bytes: None,
        }
    }

    fn data_request(country: &str, requested: Option<u64>) -> ReserveRequest {
        ReserveRequest {
            service: Service::Data,
            country: cc(country),
            requested,
            default_quota: 10 * MB,
            validity: Duration::hours(1),
        }
    }

    /// A line credited with `bundles`, and the ledger so far.
    fn line(bundles: Vec<ChargingBundle>) -> (LineCharging, Vec<(Uuid, Service, i64)>) {
        let mut lc = LineCharging::new(id(999), LineState::Active, Vec::new());
        let mut ledger = Vec::new();
        for b in bundles {
            record(&mut ledger, &lc.credit(b));
        }
        (lc, ledger)
    }

    fn record(ledger: &mut Vec<(Uuid, Service, i64)>, effects: &[Effect]) {
        ledger.extend(effects.iter().filter_map(Effect::ledger_entry));
    }

    fn data_of(lc: &LineCharging, n: u128) -> Balance {
        lc.bundle(id(n)).unwrap().data
    }

    #[test]
    fn the_bundle_expiring_first_is_used_first() {
        let (mut lc, mut ledger) = line(vec![
            data_bundle(1, 100 * MB, &["JP"], 20),
            data_bundle(2, 100 * MB, &["JP"], 5),
            data_bundle(3, 100 * MB, &["JP"], 10),
        ]);
        assert_eq!(lc.eligible(Service::Data, cc("JP"), T0), vec![id(2), id(3), id(1)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(g.units, MB);
        assert!(!g.is_final);
        assert_eq!(data_of(&lc, 2).reserved, MB);
        assert_eq!(data_of(&lc, 1).reserved + data_of(&lc, 3).reserved, 0);
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn ties_go_to_higher_priority_then_the_older_bundle() {
        let mut a = data_bundle(1, MB, &["JP"], 5);
        let mut b = data_bundle(2, MB, &["JP"], 5);
        let mut c = data_bundle(3, MB, &["JP"], 5);
        a.created_at = T0 - Duration::days(3);
        b.created_at = T0 - Duration::days(2);
        c.created_at = T0 - Duration::days(1);
        c.priority = 1;
        let (lc, _) = line(vec![a, b, c]);
        assert_eq!(lc.eligible(Service::Data, cc("JP"), T0), vec![id(3), id(1), id(2)]);
    }

    #[test]
    fn a_first_use_bundle_starts_when_first_used_in_its_coverage() {
        let mut b = data_bundle(1, 100 * MB, &["JP"], 0);
        b.starts = Starts::FirstUse;
        b.validity_days = 7;
        b.starts_at = None;
        b.expires_at = None;
        let (mut lc, mut ledger) = line(vec![b]);

        // Used outside its coverage: nothing, and it does not start.
        assert_eq!(lc.reserve(key("home"), data_request("GB", None), T0), Err(ChargeError::NoEligibleBundle));
        assert_eq!(lc.bundle(id(1)).unwrap().starts_at, None);

        let landed = T0 + Duration::days(30);
        let g = lc.reserve(key("trip"), data_request("JP", None), landed).unwrap();
        record(&mut ledger, &g.effects);
        let expires_at = landed + Duration::days(7);
        assert!(g.effects.contains(&Effect::BundleStarted { bundle_id: id(1), starts_at: landed, expires_at }));
        assert_eq!(lc.bundle(id(1)).unwrap().starts_at, Some(landed));
        assert_eq!(lc.bundle(id(1)).unwrap().expires_at, Some(expires_at));
        assert_eq!(g.units, 10 * MB, "the default quota");
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn a_purchase_bundle_that_has_not_started_is_not_eligible() {
        let mut b = data_bundle(1, MB, &["JP"], 10);
        b.starts_at = Some(T0 + Duration::days(1));
        let (mut lc, _) = line(vec![b]);
        assert_eq!(lc.reserve(key("a"), data_request("JP", None), T0), Err(ChargeError::NoEligibleBundle));
    }

    #[test]
    fn roaming_outside_coverage_gets_nothing_from_that_bundle() {
        let (mut lc, mut ledger) =
            line(vec![data_bundle(1, 100 * MB, &["JP", "KR"], 5), data_bundle(2, 100 * MB, &["FR"], 10)]);
        let g = lc.reserve(key("a"), data_request("FR", Some(5 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(data_of(&lc, 1).reserved, 0, "JP/KR bundle expires first but does not cover France");
        assert_eq!(data_of(&lc, 2).reserved, 5 * MB);
        assert_eq!(lc.reserve(key("b"), data_request("US", None), T0), Err(ChargeError::NoEligibleBundle));
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn a_reservation_spans_bundles_and_the_last_units_are_final() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 3 * MB, &["JP"], 5), data_bundle(2, 4 * MB, &["JP"], 9)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(5 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(g.units, 5 * MB);
        assert!(!g.is_final);
        assert_eq!(lc.reservation(&key("a")).unwrap().parts, vec![(id(1), 3 * MB), (id(2), 2 * MB)]);
        let g = lc.reserve(key("b"), data_request("JP", Some(5 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(g.units, 2 * MB, "min(requested, available)");
        assert!(g.is_final);
        assert_eq!(lc.reserve(key("c"), data_request("JP", None), T0), Err(ChargeError::NoEligibleBundle));
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn commit_beyond_the_grant_spills_into_the_next_bundle() {
        let (mut lc, mut ledger) =
            line(vec![data_bundle(1, 10 * MB, &["JP"], 5), data_bundle(2, 100 * MB, &["JP"], 9)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(4 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        // Another session holds the rest of bundle 1: the spill may not take it.
        let g = lc.reserve(key("b"), data_request("JP", Some(6 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        let c = lc.commit(&key("a"), 9 * MB, T0 + Duration::minutes(5)).unwrap();
        record(&mut ledger, &c.effects);
        assert_eq!((c.debited, c.overage), (9 * MB, 0));
        assert_eq!(data_of(&lc, 1), Balance { total: Some(10 * MB), used: 4 * MB, reserved: 6 * MB });
        assert_eq!(data_of(&lc, 2), Balance { total: Some(100 * MB), used: 5 * MB, reserved: 0 });
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn used_beyond_everything_is_overage_never_negative() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(4 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        let c = lc.commit(&key("a"), 25 * MB, T0).unwrap();
        record(&mut ledger, &c.effects);
        assert_eq!((c.debited, c.overage), (10 * MB, 15 * MB));
        assert!(c.effects.contains(&Effect::Overage {
            service: Service::Data,
            country: cc("JP"),
            units: 15 * MB,
            session: Some(key("a")),
        }));
        let b = lc.bundle(id(1)).unwrap();
        assert_eq!(b.data, Balance { total: Some(10 * MB), used: 10 * MB, reserved: 0 });
        assert_eq!(b.state, BundleState::Exhausted);
        assert!(c.effects.contains(&Effect::BundleState { bundle_id: id(1), state: BundleState::Exhausted }));
        // Direct debits (SMS events, CDRs) follow the same rule.
        let e = lc.debit_event(Service::Data, cc("JP"), MB, T0);
        assert_eq!((e.debited, e.overage), (0, MB));
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn release_returns_everything_held() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(4 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        record(&mut ledger, &lc.release(&key("a")).unwrap());
        assert_eq!(data_of(&lc, 1), Balance { total: Some(10 * MB), used: 0, reserved: 0 });
        assert_eq!(lc.release(&key("a")), Err(ChargeError::UnknownReservation));
        assert_eq!(lc.commit(&key("a"), 1, T0), Err(ChargeError::UnknownReservation));
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn a_timed_out_reservation_returns_its_units() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(4 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(g.validity, Duration::hours(1));
        let grace = Duration::minutes(5);
        assert!(lc.expire_reservations(T0 + Duration::minutes(65), grace).is_empty(), "still within the grace");
        let fx = lc.expire_reservations(T0 + Duration::minutes(66), grace);
        record(&mut ledger, &fx);
        assert!(fx.contains(&Effect::ReservationTimedOut { key: key("a") }));
        assert!(fx.contains(&Effect::ledger(id(1), LedgerKind::Release, Service::Data, 4 * MB as i64)));
        assert_eq!(data_of(&lc, 1).reserved, 0);
        assert!(lc.reservations().is_empty());
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn an_expired_bundle_forfeits_what_is_left_with_a_ledger_entry() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 1), data_bundle(2, 10 * MB, &["JP"], 3)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(12 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(g.validity, Duration::hours(1));
        let c = lc.debit_event(Service::Data, cc("JP"), 0, T0);
        assert!(c.effects.is_empty());
        // Bundle 1 ends with the reservation still open.
        let end = T0 + Duration::days(1);
        let fx = lc.expire_bundles(end);
        record(&mut ledger, &fx);
        assert_eq!(
            fx,
            vec![
                Effect::ledger(id(1), LedgerKind::Release, Service::Data, 10 * MB as i64),
                Effect::ledger(id(1), LedgerKind::ExpiryForfeit, Service::Data, -(10 * MB as i64)),
                Effect::BundleState { bundle_id: id(1), state: BundleState::Expired },
            ]
        );
        assert_eq!(lc.reservation(&key("a")).unwrap().parts, vec![(id(2), 2 * MB)]);
        // The session reports 5 MB: 2 against what is still held, 3 spill into bundle 2.
        let c = lc.commit(&key("a"), 5 * MB, end).unwrap();
        record(&mut ledger, &c.effects);
        assert_eq!((c.debited, c.overage), (5 * MB, 0));
        assert_eq!(data_of(&lc, 2), Balance { total: Some(10 * MB), used: 5 * MB, reserved: 0 });
        assert_eq!(data_of(&lc, 1).used, 0);
        lc.ledger_matches(&ledger).unwrap();
        assert!(lc.expire_bundles(end).is_empty(), "expiring twice does nothing");
    }

    #[test]
    fn the_validity_time_ends_when_the_paying_bundle_does() {
        let mut b = data_bundle(1, 10 * MB, &["JP"], 0);
        b.expires_at = Some(T0 + Duration::minutes(20));
        let (mut lc, _) = line(vec![b]);
        let g = lc.reserve(key("a"), data_request("JP", None), T0).unwrap();
        assert_eq!(g.validity, Duration::minutes(20));
        assert_eq!(lc.reservation(&key("a")).unwrap().expires_at, T0 + Duration::minutes(20));
    }

    #[test]
    fn a_line_in_grace_is_denied() {
        for state in [LineState::Grace, LineState::Suspended, LineState::Recycled] {
            let (mut lc, _) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
            lc.line_state = state;
            let e = lc.reserve(key("a"), data_request("JP", None), T0).unwrap_err();
            assert_eq!(e, ChargeError::ServiceDenied);
            assert_eq!(e.result_code(), 4010);
            assert_eq!(data_of(&lc, 1).reserved, 0);
        }
        for state in [LineState::Assigned, LineState::Active] {
            let (mut lc, _) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
            lc.line_state = state;
            assert!(lc.reserve(key("a"), data_request("JP", None), T0).is_ok());
        }
        assert_eq!(ChargeError::NoEligibleBundle.result_code(), 4012);
    }

    #[test]
    fn reserving_a_held_key_again_is_refused_and_an_update_replaces_it() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        let g = lc.reserve(key("a"), data_request("JP", Some(4 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(lc.reserve(key("a"), data_request("JP", Some(MB)), T0), Err(ChargeError::ReservationExists));
        assert_eq!(data_of(&lc, 1).reserved, 4 * MB, "a refused request changes nothing");
        let u = lc.update(key("a"), 3 * MB, data_request("JP", Some(5 * MB)), T0);
        record(&mut ledger, &u.commit.effects);
        let g = u.grant.unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!((u.commit.debited, g.units), (3 * MB, 5 * MB));
        assert_eq!(data_of(&lc, 1), Balance { total: Some(10 * MB), used: 3 * MB, reserved: 5 * MB });
        // After a timeout the report is still charged, as a direct debit.
        record(&mut ledger, &lc.expire_reservations(T0 + Duration::hours(2), Duration::ZERO));
        let u = lc.update(key("a"), MB, data_request("JP", Some(MB)), T0 + Duration::hours(2));
        record(&mut ledger, &u.commit.effects);
        record(&mut ledger, &u.grant.unwrap().effects);
        assert_eq!(data_of(&lc, 1), Balance { total: Some(10 * MB), used: 4 * MB, reserved: MB });
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn unlimited_data_grants_up_to_its_fair_use_and_stays_active() {
        let mut b = data_bundle(1, 0, &["JP"], 5);
        b.data.total = None;
        b.fair_use_bytes = Some(10 * MB);
        b.voice.total = Some(60);
        let (mut lc, mut ledger) = line(vec![b]);
        assert_eq!(ledger, vec![(id(1), Service::Voice, 60)], "unlimited data is never credited");
        let g = lc.reserve(key("a"), data_request("JP", Some(25 * MB)), T0).unwrap();
        record(&mut ledger, &g.effects);
        assert_eq!(g.units, 10 * MB);
        assert!(g.is_final);
        let c = lc.commit(&key("a"), 12 * MB, T0).unwrap();
        record(&mut ledger, &c.effects);
        assert_eq!((c.debited, c.overage), (10 * MB, 2 * MB));
        let b = lc.bundle(id(1)).unwrap();
        assert_eq!(b.state, BundleState::Active);
        assert_eq!(b.data, Balance { total: None, used: 10 * MB, reserved: 0 });
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn a_refund_revokes_the_rest() {
        let (mut lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        record(&mut ledger, &lc.debit_event(Service::Data, cc("JP"), 3 * MB, T0).effects);
        let fx = lc.revoke(id(1));
        record(&mut ledger, &fx);
        assert!(fx.contains(&Effect::ledger(id(1), LedgerKind::RefundRevoke, Service::Data, -(7 * MB as i64))));
        assert_eq!(lc.bundle(id(1)).unwrap().state, BundleState::Revoked);
        assert!(lc.revoke(id(1)).is_empty());
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn crediting_twice_credits_once() {
        let (mut lc, ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        assert!(lc.credit(data_bundle(1, 10 * MB, &["JP"], 5)).is_empty());
        assert_eq!(lc.bundles().len(), 1);
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn the_check_reports_every_difference() {
        let (lc, mut ledger) = line(vec![data_bundle(1, 10 * MB, &["JP"], 5)]);
        ledger.push((id(1), Service::Data, -1));
        ledger.push((id(7), Service::Sms, 1));
        let d = lc.ledger_differences(ledger.iter().copied());
        assert_eq!(
            d,
            vec![
                LedgerDifference {
                    bundle_id: id(1),
                    service: Service::Data,
                    expected: Some(i128::from(10 * MB)),
                    recorded: i128::from(10 * MB) - 1,
                },
                LedgerDifference { bundle_id: id(7), service: Service::Sms, expected: None, recorded: 1 },
            ]
        );
        assert!(lc.ledger_matches(&ledger).is_err());
    }

    #[test]
    fn loading_restores_reservations_and_releases_orphans() {
        let mut b = data_bundle(1, 10 * MB, &["JP"], 5);
        b.data.reserved = 3 * MB;
        let mut lc = LineCharging::new(id(999), LineState::Active, vec![b]);
        let held = Reservation {
            service: Service::Data,
            country: cc("JP"),
            parts: vec![(id(1), 2 * MB)],
            granted: 2 * MB,
            expires_at: T0 + Duration::hours(1),
        };
        let too_much = Reservation { parts: vec![(id(1), 2 * MB)], ..held.clone() };
        lc.restore_reservation(key("a"), held).unwrap();
        assert!(lc.restore_reservation(key("b"), too_much).is_err());
        let fx = lc.release_orphans();
        assert_eq!(fx, vec![Effect::ledger(id(1), LedgerKind::Release, Service::Data, MB as i64)]);
        assert_eq!(data_of(&lc, 1).reserved, 2 * MB);
        // The stored ledger had credit − 3 MB reserved; with the orphan release it matches.
        let ledger = vec![
            (id(1), Service::Data, 10 * MB as i64),
            (id(1), Service::Data, -(3 * MB as i64)),
            (id(1), Service::Data, MB as i64),
        ];
        lc.ledger_matches(&ledger).unwrap();
    }

    #[test]
    fn effects_serialise_with_a_tag() {
        let e = Effect::BundleStarted { bundle_id: id(1), starts_at: T0, expires_at: T0 + Duration::days(7) };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"effect\":\"bundle_started\""), "{json}");
        assert!(json.contains("2026-03-01T00:00:00Z"), "{json}");
        assert_eq!(serde_json::from_str::<Effect>(&json).unwrap(), e);
    }

    // --- property tests ---

    const COUNTRIES: [&str; 5] = ["FR", "JP", "KR", "TH", "US"];

    #[derive(Debug, Clone)]
    enum Op {
        Credit {
            data: Option<u64>,
            fair_use: Option<u64>,
            voice: u64,
            sms: u64,
            mask: u8,
            first_use: bool,
            days: u32,
            priority: i32,
        },
        Reserve {
            session: u8,
            rg: u32,
            service: usize,
            country: usize,
            requested: Option<u64>,
            minutes: i64,
        },
        Commit {
            session: u8,
            rg: u32,
            used: u64,
        },
        Update {
            session: u8,
            rg: u32,
            used: u64,
            service: usize,
            country: usize,
            requested: Option<u64>,
        },
        Release {
            session: u8,
            rg: u32,
        },
        Event {
            service: usize,
            country: usize,
            units: u64,
        },
        ExpireReservations {
            grace_minutes: i64,
        },
        ExpireBundles,
        Revoke {
            which: usize,
        },
        Advance {
            minutes: i64,
        },
        LineState {
            which: usize,
        },
    }

    fn op() -> impl Strategy<Value = Op> {
        let amount = || prop_oneof![1 => Just(0u64), 1 => 1u64..50, 3 => 1u64..5_000];
        prop_oneof![
            4 => (
                prop::option::weighted(0.8, amount()),
                prop::option::of(0u64..3_000),
                amount(),
                0u64..20,
                (0u8..16, 0u8..16).prop_map(|(a, b)| a | b),
                any::<bool>(),
                prop_oneof![Just(0u32), 1u32..8],
                -1i32..2,
            )
                .prop_map(|(data, fair_use, voice, sms, mask, first_use, days, priority)| Op::Credit {
                    data, fair_use, voice, sms, mask, first_use, days, priority
                }),
            5 => (0u8..3, 0u32..2, 0usize..3, 0usize..5, prop::option::of(0u64..3_000), 0i64..180)
                .prop_map(|(session, rg, service, country, requested, minutes)| Op::Reserve {
                    session, rg, service, country, requested, minutes
                }),
            4 => (0u8..3, 0u32..2, 0u64..4_000).prop_map(|(session, rg, used)| Op::Commit { session, rg, used }),
            2 => (0u8..3, 0u32..2, 0u64..4_000, 0usize..3, 0usize..5, prop::option::of(0u64..3_000))
                .prop_map(|(session, rg, used, service, country, requested)| Op::Update {
                    session, rg, used, service, country, requested
                }),
            2 => (0u8..3, 0u32..2).prop_map(|(session, rg)| Op::Release { session, rg }),
            2 => (0usize..3, 0usize..5, 0u64..300).prop_map(|(service, country, units)| Op::Event {
                service, country, units
            }),
            1 => (0i64..30).prop_map(|grace_minutes| Op::ExpireReservations { grace_minutes }),
            1 => Just(Op::ExpireBundles),
            1 => (0usize..8).prop_map(|which| Op::Revoke { which }),
            3 => prop_oneof![4 => 0i64..240, 1 => 0i64..6_000].prop_map(|minutes| Op::Advance { minutes }),
            1 => (0usize..10).prop_map(|which| Op::LineState { which }),
        ]
    }

    /// What a store holds after applying the effects: bundle rows and ledger rows.
    #[derive(Default)]
    struct Store {
        rows: Vec<ChargingBundle>,
        ledger: Vec<(Uuid, Service, i64)>,
    }

    impl Store {
        fn apply(&mut self, effects: &[Effect]) {
            for e in effects {
                match e {
                    Effect::Ledger { bundle_id, kind, service, units } => {
                        self.ledger.push((*bundle_id, *service, *units));
                        let row = self.rows.iter_mut().find(|b| b.id == *bundle_id).expect("a known bundle");
                        let b = row.balance_mut(*service);
                        let magnitude = |positive: bool| {
                            let u = if positive { *units } else { -*units };
                            u64::try_from(u).expect("the sign of this kind of entry")
                        };
                        match kind {
                            LedgerKind::Reserve => b.reserved += magnitude(false),
                            LedgerKind::Release => b.reserved -= magnitude(true),
                            LedgerKind::UsageDebit => b.used += magnitude(false),
                            LedgerKind::TopUpCredit => assert_eq!(b.total, Some(magnitude(true))),
                            LedgerKind::ExpiryForfeit | LedgerKind::RefundRevoke => {
                                magnitude(false);
                            }
                        }
                    }
                    Effect::BundleStarted { bundle_id, starts_at, expires_at } => {
                        let row = self.rows.iter_mut().find(|b| b.id == *bundle_id).expect("a known bundle");
                        assert_eq!(row.starts_at, None, "a bundle starts once");
                        row.starts_at = Some(*starts_at);
                        row.expires_at = Some(*expires_at);
                    }
                    Effect::BundleState { bundle_id, state } => {
                        let row = self.rows.iter_mut().find(|b| b.id == *bundle_id).expect("a known bundle");
                        assert_eq!(row.state, BundleState::Active, "only active bundles change state");
                        row.state = *state;
                    }
                    Effect::Overage { units, .. } => assert!(*units > 0),
                    Effect::ReservationTimedOut { .. } => {}
                }
            }
        }
    }

    fn invariants(lc: &LineCharging, store: &Store) -> Result<(), TestCaseError> {
        prop_assert_eq!(lc.bundles(), store.rows.as_slice(), "applying the effects gives the engine's state");
        if let Err(e) = lc.ledger_matches(&store.ledger) {
            return Err(TestCaseError::fail(e));
        }
        for b in lc.bundles() {
            for s in Service::ALL {
                let bal = b.balance(s);
                let held = lc.held(b.id, s);
                prop_assert_eq!(held, bal.reserved, "parts add up to the reserved units");
                let committed = bal.used.checked_add(bal.reserved).expect("no overflow");
                prop_assert!(committed <= b.cap(s), "used + reserved never exceed the total");
                if let Some(total) = bal.total {
                    prop_assert!(committed <= total);
                }
                if matches!(b.state, BundleState::Expired | BundleState::Revoked | BundleState::Exhausted) {
                    prop_assert_eq!(bal.reserved, 0);
                }
            }
            if b.state == BundleState::Active && b.is_spent() {
                prop_assert!(Service::ALL.iter().all(|s| b.balance(*s).used == 0), "a spent bundle is exhausted");
            }
        }
        for r in lc.reservations().values() {
            prop_assert!(r.parts.iter().all(|(_, u)| *u > 0));
            prop_assert!(r.held() <= r.granted);
            prop_assert!(r.parts.iter().all(|(id, _)| lc.bundle(*id).is_some_and(|b| b.state == BundleState::Active)));
        }
        Ok(())
    }

    fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
        let services = Service::ALL;
        let countries: Vec<CountryCode> = COUNTRIES.iter().map(|c| cc(c)).collect();
        let states = [
            LineState::Active,
            LineState::Active,
            LineState::Active,
            LineState::Active,
            LineState::Active,
            LineState::Active,
            LineState::Assigned,
            LineState::Grace,
            LineState::Suspended,
            LineState::Recycled,
        ];
        let mut lc = LineCharging::new(id(999), LineState::Active, Vec::new());
        let mut store = Store::default();
        let mut now = T0;
        let mut next_id = 1u128;
        for op in ops {
            match op {
                Op::Credit { data, fair_use, voice, sms, mask, first_use, days, priority } => {
                    let coverage: Vec<CountryCode> =
                        (0..4).filter(|i| mask & (1 << i) != 0).map(|i| countries[i]).collect();
                    let b = ChargingBundle {
                        id: id(next_id),
                        priority,
                        created_at: now,
                        starts: if first_use { Starts::FirstUse } else { Starts::Purchase },
                        validity_days: days,
                        starts_at: (!first_use).then_some(now),
                        expires_at: (!first_use).then(|| now + Duration::days(i64::from(days))),
                        coverage,
                        state: BundleState::Active,
                        data: Balance { total: data, used: 0, reserved: 0 },
                        voice: Balance { total: Some(voice), used: 0, reserved: 0 },
                        sms: Balance { total: Some(sms), used: 0, reserved: 0 },
                        fair_use_bytes: if data.is_none() { fair_use } else { None },
                    };
                    next_id += 1;
                    store.rows.push(b.clone());
                    let fx = lc.credit(b);
                    store.apply(&fx);
                }
                Op::Reserve { session, rg, service, country, requested, minutes } => {
                    let k = ReservationKey::new(format!("s{session}"), rg);
                    let request = ReserveRequest {
                        service: services[service],
                        country: countries[country],
                        requested,
                        default_quota: 500,
                        validity: Duration::minutes(minutes),
                    };
                    let before = lc.available(request.service, request.country, now);
                    let held_before = lc.reservation(&k).is_some();
                    match lc.reserve(k.clone(), request, now) {
                        Ok(g) => {
                            prop_assert!(lc.chargeable() && !held_before);
                            prop_assert_eq!(g.units, request.wanted().min(before));
                            let after = lc.available(request.service, request.country, now);
                            prop_assert_eq!(g.is_final, after == 0);
                            prop_assert!(
                                g.validity <= Duration::minutes(minutes) && g.validity > Duration::ZERO || minutes == 0
                            );
                            store.apply(&g.effects);
                        }
                        Err(ChargeError::ServiceDenied) => prop_assert!(!lc.chargeable()),
                        Err(ChargeError::ReservationExists) => prop_assert!(held_before),
                        Err(ChargeError::NoEligibleBundle) => prop_assert_eq!(before, 0),
                        Err(e) => prop_assert!(false, "unexpected {e:?}"),
                    }
                }
                Op::Commit { session, rg, used } => {
                    let k = ReservationKey::new(format!("s{session}"), rg);
                    let r = lc.reservation(&k).cloned();
                    match lc.commit(&k, used, now) {
                        Ok(c) => {
                            let r = r.expect("committed a held reservation");
                            prop_assert_eq!(c.debited + c.overage, used);
                            prop_assert!(c.overage == 0 || lc.available(r.service, r.country, now) == 0);
                            store.apply(&c.effects);
                        }
                        Err(e) => prop_assert!(r.is_none() && e == ChargeError::UnknownReservation),
                    }
                }
                Op::Update { session, rg, used, service, country, requested } => {
                    let k = ReservationKey::new(format!("s{session}"), rg);
                    let request = ReserveRequest {
                        service: services[service],
                        country: countries[country],
                        requested,
                        default_quota: 500,
                        validity: Duration::minutes(30),
                    };
                    let u = lc.update(k.clone(), used, request, now);
                    prop_assert_eq!(u.commit.debited + u.commit.overage, used);
                    store.apply(&u.commit.effects);
                    match u.grant {
                        Ok(g) => {
                            prop_assert!(g.units <= request.wanted() && g.units > 0);
                            store.apply(&g.effects);
                        }
                        Err(e) => prop_assert!(matches!(e, ChargeError::ServiceDenied | ChargeError::NoEligibleBundle)),
                    }
                }
                Op::Release { session, rg } => {
                    let k = ReservationKey::new(format!("s{session}"), rg);
                    if let Ok(fx) = lc.release(&k) {
                        store.apply(&fx);
                    }
                }
                Op::Event { service, country, units } => {
                    let c = lc.debit_event(services[service], countries[country], units, now);
                    prop_assert_eq!(c.debited + c.overage, units);
                    store.apply(&c.effects);
                }
                Op::ExpireReservations { grace_minutes } => {
                    let grace = Duration::minutes(grace_minutes);
                    let fx = lc.expire_reservations(now, grace);
                    prop_assert!(lc.reservations().values().all(|r| r.expires_at + grace >= now));
                    store.apply(&fx);
                }
                Op::ExpireBundles => {
                    let fx = lc.expire_bundles(now);
                    prop_assert!(
                        lc.bundles()
                            .iter()
                            .all(|b| b.state != BundleState::Active || b.expires_at.is_none_or(|e| e > now))
                    );
                    store.apply(&fx);
                }
                Op::Revoke { which } => {
                    if let Some(b) = lc.bundles().get(which) {
                        let fx = lc.revoke(b.id);
                        store.apply(&fx);
                    }
                }
                Op::Advance { minutes } => now += Duration::minutes(minutes),
                Op::LineState { which } => lc.line_state = states[which],
            }
            invariants(&lc, &store)?;
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn random_charging_keeps_every_invariant(ops in prop::collection::vec(op(), 1..80)) {
            run(ops)?;
        }
    }
}
