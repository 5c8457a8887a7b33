//! The storage boundary of keepsim: the [`Store`] trait every backend implements,
//! the records it speaks in, its errors, and the conformance suite that every
//! backend must pass (see [`conformance`]).
//!
//! SQL lives only in the backends (`keepsim-store-sqlite`, `keepsim-store-postgres`).

mod charging;
pub mod conformance;
mod console;
mod orders;
mod records;
pub mod rows;

pub use charging::*;
pub use console::*;
pub use orders::*;
pub use records::*;

use async_trait::async_trait;
use keepsim_domain::catalogue::Catalogue;
use keepsim_domain::ticket::TicketStatus;
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

/// A delivery channel of notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Email to the customer.
    Email,
    /// The operator's partner webhook.
    Webhook,
}

impl Channel {
    /// The table holding this channel's deliveries.
    pub fn table(self) -> &'static str {
        match self {
            Channel::Email => "email_deliveries",
            Channel::Webhook => "webhook_deliveries",
        }
    }
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// One page of a list. Lists in id order return the items after `after`; lists
/// newest first return the items that come after `after` in their own order.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// The last item of the previous page (`None`: the first page).
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

    /// Stores a single-use token (hash) for `purpose` (`password_reset`, `email_verify`).
    async fn create_account_token(
        &self,
        token_hash: &str,
        account_id: Uuid,
        purpose: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Uses a token once: the account it belongs to when it exists, has this purpose, is
    /// unused and unexpired at `now`; it can never be used again.
    async fn use_account_token(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Uuid>>;
    /// Sets a new password hash and revokes every session of the account.
    async fn set_password(&self, account_id: Uuid, password_hash: &str, now: OffsetDateTime) -> StoreResult<()>;
    /// Sets the account's language (pages, emails, API error titles).
    async fn set_account_locale(&self, account_id: Uuid, locale: &str) -> StoreResult<()>;
    /// Marks the account's email verified (first time only).
    async fn set_email_verified(&self, account_id: Uuid, now: OffsetDateTime) -> StoreResult<()>;
    /// When the account's email address was verified, if it was (`None` also for an unknown account).
    async fn email_verified_at(&self, account_id: Uuid) -> StoreResult<Option<OffsetDateTime>>;

    // --- staff ---

    /// Creates a staff user. `Conflict("email_taken")` when the email exists.
    async fn create_staff(&self, new: NewStaff) -> StoreResult<StaffRecord>;
    /// Finds a staff user by email.
    async fn staff_by_email(&self, email: &str) -> StoreResult<Option<StaffRecord>>;
    /// Finds a staff user by id.
    async fn staff_by_id(&self, id: Uuid) -> StoreResult<Option<StaffRecord>>;
    /// Every staff user, oldest first.
    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>>;
    /// Disables (`Some(when)`) or re-enables (`None`) a staff user; false when there is none.
    async fn set_staff_disabled(&self, staff_id: Uuid, at: Option<OffsetDateTime>) -> StoreResult<bool>;
    /// Stores a staff session (only the token's hash), its second factor not yet given.
    async fn create_staff_session(
        &self,
        token_hash: &str,
        staff_id: Uuid,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()>;
    /// The staff user of a live session (not revoked, not expired at `now`, staff not
    /// disabled) and whether the session has passed the second factor.
    async fn staff_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<(StaffRecord, bool)>>;
    /// Notes that a live session passed the second factor; false when there is no such session.
    async fn mark_staff_session_mfa(&self, token_hash: &str) -> StoreResult<bool>;
    /// Revokes a staff session; revoking twice is not an error.
    async fn revoke_staff_session(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<()>;
    /// Stores a TOTP secret (base32) for a staff user whose enrolment is not confirmed;
    /// false (and nothing changed) once it is.
    async fn set_staff_totp_secret(&self, staff_id: Uuid, secret_base32: &str) -> StoreResult<bool>;
    /// Confirms the enrolment with the first accepted code's step (compare-and-set as
    /// [`Store::set_staff_totp_step`]); false when the step was used or there is no secret.
    async fn confirm_staff_totp(&self, staff_id: Uuid, step: i64) -> StoreResult<bool>;
    /// Records an accepted code's step only if it is after the last one (compare-and-set),
    /// so that a code works once even when two nodes check it at the same time.
    async fn set_staff_totp_step(&self, staff_id: Uuid, step: i64) -> StoreResult<bool>;

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
    /// Unbinds one of the account's devices, freeing its IMEI. `NotFound` for anyone
    /// else's, `Conflict("device_has_line")` while a line is on it.
    async fn delete_device(&self, account_id: Uuid, device_id: Uuid) -> StoreResult<()>;
    /// Moves a line to another of the account's devices in one transaction: a new profile
    /// from stock (new ICCID, IMSI, activation code), the same number and bundles, the old
    /// profile retired for good, and an audit event. `NotFound` for anyone else's line or
    /// device, `Conflict("device_has_line")`, `InventoryExhausted`.
    async fn move_line(
        &self,
        account_id: Uuid,
        line_id: Uuid,
        device_id: Uuid,
        now: OffsetDateTime,
    ) -> StoreResult<LineRecord>;
    /// Lines (any account) in `states` whose validity ended at or before `now`.
    async fn lines_past_validity(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<LineRecord>>;
    /// Active lines whose validity ends between `from` and `to`.
    async fn lines_expiring(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<LineRecord>>;
    /// Moves a line from `from` to `to` (only if it is in `from`), with an audit event.
    /// Recycling retires its profile and puts its number in quarantine until `quarantine_until`,
    /// and is refused with `Conflict("line_busy")` while a bundle is active or an order open.
    async fn set_line_state(
        &self,
        line_id: Uuid,
        from: keepsim_domain::line::LineState,
        to: keepsim_domain::line::LineState,
        quarantine_until: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;
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
    /// The catalogue's keep-alive policies alone (read on every fulfilment; the whole catalogue is not needed).
    async fn keepalive_policies(&self) -> StoreResult<Vec<keepsim_domain::catalogue::KeepAlivePolicy>>;
    /// Applies a catalogue in one transaction: upserts its regions and packages,
    /// replaces their prices and coverage, retires active packages it lacks, replaces the
    /// country names, and adds one to the `catalogue_version` meta value (nodes that keep
    /// the catalogue in memory compare it to know theirs is stale).
    async fn apply_catalogue(&self, catalogue: &Catalogue, now: OffsetDateTime) -> StoreResult<()>;

    // --- charging ---

    /// The line with this MSISDN (digits) or IMSI, not recycled.
    async fn subscriber(&self, msisdn: Option<&str>, imsi: Option<&str>) -> StoreResult<Option<Subscriber>>;
    /// A line's bundles and open reservations, for its owner to load.
    async fn charging_state(&self, line_id: Uuid) -> StoreResult<Option<ChargingState>>;
    /// Commits a batch of charging writes in one transaction (group commit). A write
    /// whose `event_id` was applied before is skipped: its entry in the result is false.
    async fn commit_charging(&self, batch: &[ChargingWrite]) -> StoreResult<Vec<bool>>;
    /// Whether a usage event id was applied already.
    async fn usage_event_seen(&self, event_id: &str) -> StoreResult<bool>;
    /// Usage per UTC hour of the account's line between `from` and `to`.
    async fn usage_hours(
        &self,
        account_id: Uuid,
        line_id: Uuid,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> StoreResult<Vec<UsagePoint>>;
    /// Lines holding a stored reservation that expired before `before` (to time them out after a restart).
    async fn lines_with_stale_reservations(&self, before: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>>;
    /// Every bundle whose remaining units differ from the sum of its ledger entries.
    async fn check_ledger(&self) -> StoreResult<Vec<LedgerDifference>>;

    // --- notifications ---

    /// Records a notification unless its `dedupe_key` was recorded before; true when recorded now.
    async fn create_notification(&self, n: NewNotification) -> StoreResult<bool>;
    /// The account's inbox, newest first; `page.after` is the last id of the previous page.
    async fn notifications(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<NotificationRecord>>;
    /// Marks one of the account's notifications read; false when it is not theirs.
    async fn mark_notification_read(&self, account_id: Uuid, id: Uuid, now: OffsetDateTime) -> StoreResult<bool>;

    /// Claims up to `limit` notifications whose delivery on `channel` (`email`, `webhook`) is
    /// due (never tried, or a retry whose time has come, or a claim older than the lease):
    /// marks them `sending` until `lease_until`. Returns each with its account (address,
    /// language) and its attempt number.
    async fn claim_deliveries(
        &self,
        channel: Channel,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<(NotificationRecord, AccountRecord, i64)>>;
    /// Records the outcome of a delivery: `sent`, `retry` (at `next`) or `failed`.
    async fn finish_delivery(
        &self,
        channel: Channel,
        notification_id: Uuid,
        state: &str,
        next: OffsetDateTime,
        error: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Deliveries on `channel` that gave up (for staff), newest first: (notification, attempts, last error).
    async fn failed_deliveries(&self, channel: Channel, limit: u32) -> StoreResult<Vec<(Uuid, i64, Option<String>)>>;

    /// Lines with an active bundle whose validity ended at or before `now`.
    async fn lines_with_expired_bundles(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<Uuid>>;
    /// Active bundles ending between `from` and `to`, with their line's account.
    async fn bundles_expiring(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<(Uuid, BundleRecord)>>;

    // --- API keys ---

    /// Stores a new API key.
    async fn create_api_key(&self, key: ApiKeyRecord) -> StoreResult<()>;
    /// A key by the hash of its secret (revoked keys included; the caller checks).
    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKeyRecord>>;
    /// Revokes a key; false when it does not exist or was revoked already.
    async fn revoke_api_key(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<bool>;
    /// All keys, oldest first.
    async fn api_keys(&self) -> StoreResult<Vec<ApiKeyRecord>>;

    // --- orders ---

    /// Creates an order (and its first event). `Conflict("idempotency_key")` when
    /// the account already used the key.
    async fn create_order(&self, new: NewOrder) -> StoreResult<OrderRecord>;
    /// The account's order made with an Idempotency-Key.
    async fn order_by_key(&self, account_id: Uuid, key: &str) -> StoreResult<Option<OrderRecord>>;
    /// One of the account's orders.
    async fn order(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<OrderRecord>>;
    /// Any order by id (providers and workers).
    async fn order_by_id(&self, id: Uuid) -> StoreResult<Option<OrderRecord>>;
    /// An order by our trade number.
    async fn order_by_out_trade_no(&self, out_trade_no: &str) -> StoreResult<Option<OrderRecord>>;
    /// An order by the provider's reference (PaymentIntent id).
    async fn order_by_provider_ref(&self, provider_ref: &str) -> StoreResult<Option<OrderRecord>>;
    /// Takes over the creation of an order whose payment is not attached yet and
    /// whose previous creator's hold ran out; true when taken.
    async fn claim_order_creation(&self, id: Uuid, until: OffsetDateTime, now: OffsetDateTime) -> StoreResult<bool>;
    /// Attaches the opened payment and ends the creation hold.
    async fn attach_payment(
        &self,
        id: Uuid,
        provider_ref: &str,
        client_secret: Option<&str>,
        pay_url: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<OrderRecord>;
    /// The order's recorded transitions, oldest first.
    async fn order_events(&self, order_id: Uuid) -> StoreResult<Vec<OrderEventRecord>>;
    /// Records a verified payment notification once and applies its effect in the
    /// same transaction (moving to `paid` queues a fulfilment job).
    async fn apply_payment_event(&self, event: PaymentEvent) -> StoreResult<PaymentOutcome>;
    /// Flags an order for staff.
    async fn flag_order(&self, id: Uuid, reason: &str, now: OffsetDateTime) -> StoreResult<()>;
    /// Moves unpaid orders past their expiry to `expired`; returns them.
    async fn expire_unpaid_orders(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<OrderRecord>>;
    /// Expired orders whose trade is not closed at the provider yet.
    async fn orders_to_close(&self, limit: u32) -> StoreResult<Vec<OrderRecord>>;
    /// Notes that the trade was closed at the provider.
    async fn mark_trade_closed(&self, id: Uuid, now: OffsetDateTime) -> StoreResult<()>;
    /// Unpaid orders with an opened payment, created before `cutoff` (to ask the provider about).
    async fn orders_to_reconcile(&self, cutoff: OffsetDateTime, limit: u32) -> StoreResult<Vec<OrderRecord>>;

    // --- fulfilment ---

    /// Claims the next due fulfilment job (queued, or running with an expired lease).
    async fn claim_fulfilment_job(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
    ) -> StoreResult<Option<JobRecord>>;
    /// Credits the order's bundle with its ledger entries, extends the line, marks the
    /// order fulfilled and the job done, all in one transaction. Never credits twice.
    async fn complete_fulfilment(&self, job_id: Uuid, bundle: NewBundle, now: OffsetDateTime)
    -> StoreResult<Fulfilled>;
    /// Records a failed attempt: retry at `retry_at`, or give up (job and order `failed`).
    async fn fail_fulfilment_job(
        &self,
        job_id: Uuid,
        error: &str,
        retry_at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Fulfilment jobs in a state (`queued`, `running`, `done`, `failed`).
    async fn fulfilment_jobs(&self, state: &str, limit: u32) -> StoreResult<Vec<JobView>>;

    // --- bundles and ledger ---

    /// The line's bundles (the account's lines only), newest first.
    async fn line_bundles(&self, account_id: Uuid, line_id: Uuid) -> StoreResult<Vec<BundleRecord>>;
    /// The bundle credited for an order.
    async fn order_bundle(&self, order_id: Uuid) -> StoreResult<Option<BundleRecord>>;
    /// The line's ledger (the account's lines only), oldest first.
    async fn line_ledger(&self, account_id: Uuid, line_id: Uuid) -> StoreResult<Vec<LedgerRecord>>;

    // --- refunds ---

    /// Records a refund request. `Conflict("refund_exists")` for a refund number used before.
    async fn create_refund(&self, refund: RefundRecord) -> StoreResult<()>;
    /// The order's refunds.
    async fn order_refunds(&self, order_id: Uuid) -> StoreResult<Vec<RefundRecord>>;
    /// Completes a refund once: marks it succeeded, adds its amount to the order's
    /// refunded total, moves the order to refunded / partially_refunded and revokes
    /// the unused part of its bundle with ledger entries. False when already done.
    async fn complete_refund(&self, order_id: Uuid, refund_no: &str, now: OffsetDateTime) -> StoreResult<bool>;
    /// Marks a refund failed.
    async fn fail_refund(&self, order_id: Uuid, refund_no: &str, now: OffsetDateTime) -> StoreResult<()>;

    // --- staff console: audit trail ---

    /// Appends to the audit trail.
    async fn record_audit(&self, entry: AuditRecord) -> StoreResult<()>;
    /// The audit trail, newest first.
    async fn audit_log(&self, page: Page) -> StoreResult<Vec<AuditRecord>>;

    // --- staff console: support tickets ---

    /// Opens a ticket with its first message, in one transaction.
    async fn create_ticket(&self, ticket: TicketRecord, first: TicketMessageRecord) -> StoreResult<()>;
    /// Adds a message and moves the ticket to `new_status` (updated at `now`), in one
    /// transaction. `NotFound` when the ticket does not exist.
    async fn add_ticket_message(
        &self,
        msg: TicketMessageRecord,
        new_status: TicketStatus,
        now: OffsetDateTime,
    ) -> StoreResult<()>;
    /// Sets a ticket's status; false when it does not exist.
    async fn set_ticket_status(&self, id: Uuid, status: TicketStatus, now: OffsetDateTime) -> StoreResult<bool>;
    /// The account's tickets, last updated first.
    async fn tickets_of(&self, account_id: Uuid, page: Page) -> StoreResult<Vec<TicketRecord>>;
    /// One of the account's tickets; `None` for anyone else's.
    async fn ticket_of(&self, account_id: Uuid, id: Uuid) -> StoreResult<Option<TicketRecord>>;
    /// Any ticket by id (staff).
    async fn ticket_by_id(&self, id: Uuid) -> StoreResult<Option<TicketRecord>>;
    /// A ticket's messages, oldest first.
    async fn ticket_messages(&self, ticket_id: Uuid) -> StoreResult<Vec<TicketMessageRecord>>;
    /// Tickets in a status (or all), last updated first.
    async fn tickets_by_status(&self, status: Option<TicketStatus>, page: Page) -> StoreResult<Vec<TicketRecord>>;

    // --- staff console: customers, orders, reports, retries ---

    /// Accounts whose email contains `query` (any case; `None`: all), newest first.
    async fn search_accounts(&self, query: Option<&str>, page: Page) -> StoreResult<Vec<AccountRecord>>;
    /// Any line by id, whoever owns it (staff).
    async fn account_line(&self, line_id: Uuid) -> StoreResult<Option<LineRecord>>;
    /// Orders matching `filter`, newest first.
    async fn list_orders_filtered(&self, filter: OrderFilter, page: Page) -> StoreResult<Vec<OrderRecord>>;
    /// Orders paid from `since` on, per UTC day of payment and currency, oldest day first.
    async fn daily_sales(&self, since: OffsetDateTime) -> StoreResult<Vec<DailySales>>;
    /// Data used (bytes, every line) per UTC day from `since` on, oldest day first.
    async fn daily_data_used(&self, since: OffsetDateTime) -> StoreResult<Vec<(time::Date, i64)>>;
    /// Lines that used any service (data, voice or SMS) per UTC day from `since` on, oldest
    /// day first; days without use are left out.
    async fn daily_lines_in_use(&self, since: OffsetDateTime) -> StoreResult<Vec<(time::Date, i64)>>;
    /// How many lines are in each state, by state name.
    async fn line_counts(&self) -> StoreResult<Vec<(String, i64)>>;
    /// Makes a failed fulfilment job runnable now with its attempts reset (only while its
    /// order is still paid or failed); false when the job is not failed.
    async fn retry_fulfilment_job(&self, job_id: Uuid, now: OffsetDateTime) -> StoreResult<bool>;
    /// Makes a failed delivery on `channel` due again now with its attempts reset; false
    /// when the notification's delivery is not failed.
    async fn retry_delivery(&self, channel: Channel, notification_id: Uuid, now: OffsetDateTime) -> StoreResult<bool>;
}
