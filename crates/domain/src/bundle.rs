//! Bundles: what a fulfilled order credits to a line, and the ledger that
//! explains every unit of it.
//!
//! A bundle's remaining units always equal its initial units minus its ledger
//! entries; `remaining = total − used − reserved`.

use crate::catalogue::{Package, Starts};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// A chargeable service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Data, counted in bytes.
    Data,
    /// Voice, counted in seconds.
    Voice,
    /// SMS, counted in messages.
    Sms,
}

impl Service {
    /// Every service.
    pub const ALL: [Service; 3] = [Service::Data, Service::Voice, Service::Sms];

    /// The stable name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Service::Data => "data",
            Service::Voice => "voice",
            Service::Sms => "sms",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Where a bundle is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleState {
    /// Usable.
    Active,
    /// Nothing left.
    Exhausted,
    /// Past its validity; the rest was forfeited.
    Expired,
    /// Taken back by a refund.
    Revoked,
}

impl BundleState {
    /// Every state.
    pub const ALL: [BundleState; 4] =
        [BundleState::Active, BundleState::Exhausted, BundleState::Expired, BundleState::Revoked];

    /// The stable name.
    pub fn as_str(&self) -> &'static str {
        match self {
            BundleState::Active => "active",
            BundleState::Exhausted => "exhausted",
            BundleState::Expired => "expired",
            BundleState::Revoked => "revoked",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<BundleState> {
        BundleState::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a ledger entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// Units credited by a top-up.
    TopUpCredit,
    /// Units used.
    UsageDebit,
    /// Units held for a session.
    Reserve,
    /// Held units returned.
    Release,
    /// Units lost at expiry.
    ExpiryForfeit,
    /// Units taken back by a refund.
    RefundRevoke,
}

impl LedgerKind {
    /// Every kind.
    pub const ALL: [LedgerKind; 6] = [
        LedgerKind::TopUpCredit,
        LedgerKind::UsageDebit,
        LedgerKind::Reserve,
        LedgerKind::Release,
        LedgerKind::ExpiryForfeit,
        LedgerKind::RefundRevoke,
    ];

    /// The stable name.
    pub fn as_str(&self) -> &'static str {
        match self {
            LedgerKind::TopUpCredit => "topup_credit",
            LedgerKind::UsageDebit => "usage_debit",
            LedgerKind::Reserve => "reserve",
            LedgerKind::Release => "release",
            LedgerKind::ExpiryForfeit => "expiry_forfeit",
            LedgerKind::RefundRevoke => "refund_revoke",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<LedgerKind> {
        LedgerKind::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One service's balance in a bundle. `total` is `None` for unlimited data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    /// Units credited; `None` = unlimited.
    pub total: Option<u64>,
    /// Units used.
    pub used: u64,
    /// Units held by open sessions.
    pub reserved: u64,
}

impl Balance {
    /// `total − used − reserved`, `None` when unlimited.
    pub fn remaining(&self) -> Option<u64> {
        self.total.map(|t| t.saturating_sub(self.used).saturating_sub(self.reserved))
    }
}

/// When a bundle bought now starts and ends: `(starts_at, expires_at)`;
/// both `None` for a first-use package until it is first used in its coverage.
pub fn validity_window(package: &Package, now: OffsetDateTime) -> (Option<OffsetDateTime>, Option<OffsetDateTime>) {
    match package.starts {
        Starts::Purchase => (Some(now), Some(now + Duration::days(i64::from(package.validity_days)))),
        Starts::FirstUse => (None, None),
    }
}

/// The line's number-keeping validity after a top-up with `keeps_number_days`:
/// extended from the later of now and the current validity.
pub fn extended_validity(
    current: Option<OffsetDateTime>,
    keeps_number_days: u32,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    if keeps_number_days == 0 {
        return current;
    }
    let base = match current {
        Some(c) if c > now => c,
        _ => now,
    };
    Some(base + Duration::days(i64::from(keeps_number_days)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn remaining_is_total_minus_used_minus_reserved() {
        let b = Balance { total: Some(100), used: 30, reserved: 20 };
        assert_eq!(b.remaining(), Some(50));
        assert_eq!(Balance { total: None, used: 5, reserved: 0 }.remaining(), None);
    }

    #[test]
    fn validity_extends_from_the_later_of_now_and_the_current_end() {
        let now = datetime!(2026-01-01 0:00 UTC);
        assert_eq!(extended_validity(None, 365, now), Some(datetime!(2027-01-01 0:00 UTC)));
        assert_eq!(
            extended_validity(Some(datetime!(2026-03-01 0:00 UTC)), 30, now),
            Some(datetime!(2026-03-31 0:00 UTC)),
            "still valid: extended from its end"
        );
        assert_eq!(
            extended_validity(Some(datetime!(2025-06-01 0:00 UTC)), 30, now),
            Some(datetime!(2026-01-31 0:00 UTC)),
            "lapsed: extended from now"
        );
        assert_eq!(extended_validity(Some(now), 0, now), Some(now), "a package that keeps nothing");
    }

    #[test]
    fn names_round_trip() {
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Some(s));
        }
        for k in ["topup_credit", "usage_debit", "reserve", "release", "expiry_forfeit", "refund_revoke"] {
            assert_eq!(LedgerKind::parse(k).map(|k| k.as_str()), Some(k));
        }
    }
}
