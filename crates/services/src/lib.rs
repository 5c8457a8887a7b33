//! keepsim's use cases. Every door (HTTP, CLI, workers) calls these; they call
//! the domain for rules and the [`Store`](keepsim_store::Store) for data, and
//! know neither SQL nor HTTP.

pub mod accounts;
pub mod catalogue;
pub mod clock;
pub mod devices;
mod error;
pub mod inventory;
pub mod lines;
pub mod password;
pub mod staff;
pub mod throttle;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ServiceError;

use keepsim_store::Store;
use std::sync::Arc;

/// Everything a use case needs, cheap to clone.
#[derive(Debug, Clone)]
pub struct Services {
    /// The database.
    pub store: Arc<dyn Store>,
    /// What time it is.
    pub clock: Arc<dyn Clock>,
    /// Sign-in throttling.
    pub throttle: Arc<throttle::Throttle>,
}

impl Services {
    /// Services over `store` with the system clock.
    pub fn new(store: Arc<dyn Store>) -> Services {
        Services::with_clock(store, Arc::new(SystemClock))
    }

    /// Services over `store` with a given clock (tests move time by hand).
    pub fn with_clock(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Services {
        Services { store, clock, throttle: Arc::new(throttle::Throttle::default()) }
    }
}
