//! The storage boundary of keepsim: the [`Store`] trait every backend implements,
//! the records it speaks in, its errors, and the conformance suite that every
//! backend must pass (see [`conformance`]).
//!
//! SQL lives only in the backends (`keepsim-store-sqlite`, `keepsim-store-postgres`).

pub mod conformance;
mod records;
pub mod rows;

pub use records::*;

use async_trait::async_trait;
use keepsim_domain::catalogue::Catalogue;
use time::OffsetDateTime;
use uuid::Uuid;

/// What can go wrong when talking to the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist (or belongs to someone else).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated; the string names the rule
    /// (`email_taken`, `device_already_bound`, `device_has_line`, `duplicate_profile`, …).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// No eSIM profile is left in stock.
    #[error("the eSIM inventory is exhausted")]
    InventoryExhausted,
    /// The database cannot be reached or timed out; retrying later may work.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database holds something the domain refuses; a bug or manual edit.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// One page of a list, in id order.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Return items whose id is greater than this one.
    pub after: Option<Uuid>,
    /// At most this many items.
    pub limit: u32,
}

/// Everything keepsim keeps. Backends: SQLite (embedded default) and PostgreSQL.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    // --- small key/value facts, e.g. "the demo catalogue was seeded" ---

    /// Reads a fact.
    async fn meta(&self, key: &str) -> StoreResult<Option<String>>;
    /// Writes a fact unless it exists; true when this call wrote it.
    async fn set_meta_if_absent(&self, key: &str, value: &str) -> StoreResult<bool>;

    // --- accounts and sessions ---

    /// Creates a customer account. `Conflict("email_taken")` when the email exists.
    async fn create_account(&self, new: NewAccount) -> StoreResult<AccountRecord>;
    /// Finds an account by its (normalised) email.
    async fn account_by_email(&self, email: &str) -> StoreResult<Option<AccountRecord>>;
    /// Finds an account by id.
    async fn account_by_id(&self, id: Uuid) -> StoreResult<Option<AccountRecord>>;
    /// Stores a session (a bearer token or page cookie, kept only as a hash).
    async fn create_session(&self, session: NewSession) -> StoreResult<()>;
    /// The account of a live session: not expired at `now` and not revoked.
    async fn session_account(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<AccountRecord>>;
    /// Revokes a session; revoking twice is not an error.
    async fn revoke_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<()>;

    // --- staff ---

    /// Creates a staff user. `Conflict("email_taken")` when the email exists.
    async fn create_staff(&self, new: NewStaff) -> StoreResult<StaffRecord>;
    /// Finds a staff user by email.
    async fn staff_by_email(&self, email: &str) -> StoreResult<Option<StaffRecord>>;

    // --- devices ---

    /// Binds a device. `Conflict("device_already_bound")` when the IMEI is bound to any account.
    async fn create_device(&self, new: NewDevice) -> StoreResult<DeviceRecord>;
    /// The account's devices, a page at a time.
    async fn list_devices(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<DeviceRecord>>;
    /// One of the account's devices; `None` for anyone else's.
    async fn device(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<DeviceRecord>>;

    // --- lines and inventory ---

    /// Atomically takes an available profile and creates a line for the device.
    /// `NotFound` when the device is not the account's, `Conflict("device_has_line")`
    /// when it already has a line, `InventoryExhausted` when no profile is left.
    async fn create_line(&self, new: NewLine) -> StoreResult<LineRecord>;
    /// The account's lines, a page at a time.
    async fn list_lines(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<LineRecord>>;
    /// One of the account's lines; `None` for anyone else's.
    async fn line(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<LineRecord>>;
    /// Which of these ICCIDs are already in the inventory (in any state but retired).
    async fn existing_iccids(&self, iccids: &[String]) -> StoreResult<Vec<String>>;
    /// Which of these (SM-DP+ address, matching id) pairs are already in the inventory (not retired).
    async fn existing_matching_ids(&self, pairs: &[(String, String)]) -> StoreResult<Vec<(String, String)>>;
    /// Adds profiles in one transaction; `Conflict("duplicate_profile")` and nothing
    /// added when any ICCID (or SM-DP+ address + matching id) is already in stock.
    async fn insert_profiles(&self, profiles: &[NewProfile], now: OffsetDateTime) -> StoreResult<u64>;
    /// Stock per SM-DP+ address.
    async fn inventory_stock(&self) -> StoreResult<Vec<StockLevel>>;

    // --- catalogue ---

    /// The whole catalogue as stored (including retired packages).
    async fn load_catalogue(&self) -> StoreResult<Catalogue>;
    /// Applies a catalogue in one transaction: upserts its regions and packages,
    /// replaces their prices and coverage, and retires active packages it lacks.
    async fn apply_catalogue(&self, catalogue: &Catalogue, now: OffsetDateTime) -> StoreResult<()>;
}
