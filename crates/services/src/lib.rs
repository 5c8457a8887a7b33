//! keepsim's use cases. Every door (HTTP, CLI, workers) calls these; they call
//! the domain for rules and the [`Store`](keepsim_store::Store) for data, and
//! know neither SQL nor HTTP.

pub mod account_links;
pub mod accounts;
pub mod admin;
pub mod api_keys;
pub mod audit;
pub mod catalogue;
pub mod cdr;
pub mod charging;
pub mod clock;
pub mod devices;
mod error;
pub mod inventory;
pub mod lifecycle;
pub mod lines;
pub mod notifications;
pub mod orders;
pub mod password;
pub mod payments;
pub mod staff;
pub mod staff_auth;
pub mod throttle;
pub mod tickets;

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
    /// Payment providers and their keys.
    pub payments: Arc<payments::PaymentSettings>,
    /// Wakes the fulfilment worker when an order is paid.
    pub fulfil_wakeup: Arc<tokio::sync::Notify>,
    /// Sends single-use links (password reset, email verification); none: links are not sent.
    pub mailer: Option<Arc<keepsim_channels::Mailer>>,
    /// The charging engine's line owners and writer, started on first use.
    pub charging: Arc<std::sync::OnceLock<Arc<charging::Charging>>>,
    /// The catalogue as last loaded, with the `catalogue_version` it was loaded at.
    pub catalogue_cache: Arc<std::sync::Mutex<Option<catalogue::Loaded>>>,
}

impl Services {
    /// Services over `store` with the system clock.
    pub fn new(store: Arc<dyn Store>) -> Services {
        Services::with_clock(store, Arc::new(SystemClock))
    }

    /// Services over `store` with a given clock (tests move time by hand).
    pub fn with_clock(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Services {
        Services {
            store,
            clock,
            throttle: Arc::new(throttle::Throttle::default()),
            payments: Arc::new(payments::PaymentSettings::default()),
            fulfil_wakeup: Arc::new(tokio::sync::Notify::new()),
            charging: Arc::new(std::sync::OnceLock::new()),
            catalogue_cache: Arc::default(),
            mailer: None,
        }
    }

    /// The same services sending emails with `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<keepsim_channels::Mailer>) -> Services {
        self.mailer = Some(mailer);
        self
    }

    /// The same services with these payment settings.
    pub fn with_payments(mut self, payments: payments::PaymentSettings) -> Services {
        self.payments = Arc::new(payments);
        self
    }
}
