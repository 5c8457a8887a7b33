//! Sign-in throttling: after repeated failures for one account or from one
//! address, further attempts are refused for a while (429 with Retry-After).
//!
//! Kept in memory per node: a restart forgets it, which only ever helps the
//! user. With several nodes each counts its own share (documented in
//! docs/architecture.md).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// Failures allowed per account within [`WINDOW`].
pub const PER_ACCOUNT: usize = 5;
/// Failures allowed per client address within [`WINDOW`].
pub const PER_ADDRESS: usize = 20;
/// How long a failure counts.
pub const WINDOW: Duration = Duration::minutes(15);

/// Counts recent failures by key.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, VecDeque<OffsetDateTime>>>,
}

impl Throttle {
    /// Seconds to wait before `key` may try again, if it is over `limit` now.
    pub fn retry_after(&self, key: &str, limit: usize, now: OffsetDateTime) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let q = map.get_mut(key)?;
        while q.front().is_some_and(|t| *t + WINDOW <= now) {
            q.pop_front();
        }
        if q.len() < limit {
            return None;
        }
        let oldest = *q.front()?;
        let wait = (oldest + WINDOW - now).whole_seconds().max(1);
        Some(u64::try_from(wait).unwrap_or(1))
    }

    /// Records a failure for `key`.
    pub fn fail(&self, key: &str, now: OffsetDateTime) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            // Bound memory under a spray of distinct keys: forget expired entries.
            map.retain(|_, q| q.back().is_some_and(|t| *t + WINDOW > now));
        }
        let q = map.entry(key.to_string()).or_default();
        q.push_back(now);
        if q.len() > PER_ADDRESS * 2 {
            q.pop_front();
        }
    }

    /// Forgets `key`'s failures (after a successful sign-in).
    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_within_the_window_waits_until_the_first_failure_expires() {
        let t = Throttle::default();
        let start = OffsetDateTime::UNIX_EPOCH;
        for i in 0..5 {
            assert_eq!(t.retry_after("a", PER_ACCOUNT, start + Duration::seconds(i)), None);
            t.fail("a", start + Duration::seconds(i));
        }
        assert_eq!(t.retry_after("a", PER_ACCOUNT, start + Duration::seconds(60)), Some(15 * 60 - 60));
        assert_eq!(t.retry_after("b", PER_ACCOUNT, start), None, "other keys are unaffected");
        assert_eq!(t.retry_after("a", PER_ACCOUNT, start + WINDOW + Duration::seconds(1)), None);
    }

    #[test]
    fn success_clears_the_count() {
        let t = Throttle::default();
        let now = OffsetDateTime::UNIX_EPOCH;
        for _ in 0..5 {
            t.fail("a", now);
        }
        t.clear("a");
        assert_eq!(t.retry_after("a", PER_ACCOUNT, now), None);
    }
}
