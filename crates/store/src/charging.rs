//! Records of the charging hot path: what a line's owner loads on start and
//! what the single writer commits for a batch of charging operations.

use keepsim_domain::bundle::{BundleState, LedgerKind, Service};
use keepsim_domain::line::LineState;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::BundleRecord;

/// A line found by its subscriber identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriber {
    /// The line.
    pub line_id: Uuid,
    /// Its owner.
    pub account_id: Uuid,
    /// Its state.
    pub state: LineState,
}

/// A reservation as persisted, so a restart finds what is held and lets it time out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReservation {
    /// Line.
    pub line_id: Uuid,
    /// Diameter Session-Id (or another caller's session key).
    pub session_id: String,
    /// Rating-Group.
    pub rating_group: u32,
    /// Service.
    pub service: Service,
    /// Visited country (ISO code).
    pub country: String,
    /// Units held per bundle.
    pub parts: Vec<(Uuid, u64)>,
    /// Units granted in total.
    pub granted: u64,
    /// When it times out.
    pub expires_at: OffsetDateTime,
}

/// Everything the line's owner needs to rebuild its state.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargingState {
    /// The line.
    pub subscriber: Subscriber,
    /// Its bundles (all states).
    pub bundles: Vec<BundleRecord>,
    /// Its open reservations.
    pub reservations: Vec<StoredReservation>,
}

/// A bundle's counters and state after a charging operation (absolute values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleCounters {
    /// Bundle.
    pub bundle_id: Uuid,
    /// State.
    pub state: BundleState,
    /// Start.
    pub starts_at: Option<OffsetDateTime>,
    /// End.
    pub expires_at: Option<OffsetDateTime>,
    /// Data used / reserved.
    pub data: (u64, u64),
    /// Voice used / reserved.
    pub voice: (u64, u64),
    /// SMS used / reserved.
    pub sms: (u64, u64),
}

/// One ledger entry to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerWrite {
    /// Bundle.
    pub bundle_id: Uuid,
    /// What happened.
    pub kind: LedgerKind,
    /// Service.
    pub service: Service,
    /// Signed units.
    pub units: i64,
}

/// What one charging operation on one line writes. Applied in order, in one
/// transaction with the rest of its batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChargingWrite {
    /// The line.
    pub line_id: Uuid,
    /// When.
    pub at: Option<OffsetDateTime>,
    /// Ledger entries.
    pub ledger: Vec<LedgerWrite>,
    /// Bundles whose counters or state changed.
    pub bundles: Vec<BundleCounters>,
    /// Reservations now open (inserted or replaced).
    pub upsert_reservations: Vec<StoredReservation>,
    /// Reservations closed: (session id, rating group).
    pub delete_reservations: Vec<(String, u32)>,
    /// Units used, for the usage series.
    pub usage: Vec<(Service, u64)>,
    /// An external event id this write applies once (usage API, CDR import).
    pub event_id: Option<String>,
}

/// One point of a usage series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsagePoint {
    /// Start of the bucket (UTC hour or day).
    pub at: OffsetDateTime,
    /// Service.
    pub service: Service,
    /// Units used in it.
    pub units: u64,
}

/// A bundle whose balance disagrees with its ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerDifference {
    /// Bundle.
    pub bundle_id: Uuid,
    /// Service.
    pub service: Service,
    /// What the bundle row says remains.
    pub recorded: i64,
    /// What the ledger adds up to.
    pub from_ledger: i64,
}
