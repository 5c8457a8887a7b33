//! The records the store reads and writes.

use keepsim_domain::account::{Email, Role};
use keepsim_domain::line::LineState;
use keepsim_domain::{Eid, Iccid, Imei, Imsi, Locale, Msisdn};
use time::OffsetDateTime;
use uuid::Uuid;

/// A customer account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// New id (UUID v7, so ids sort by creation).
    pub id: Uuid,
    /// Normalised email.
    pub email: Email,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Preferred language.
    pub locale: Locale,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A stored customer account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    /// Id.
    pub id: Uuid,
    /// Normalised email.
    pub email: Email,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Preferred language.
    pub locale: Locale,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A session to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the token, hex; the token itself is never stored.
    pub token_hash: String,
    /// Whose session.
    pub account_id: Uuid,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When it stops working.
    pub expires_at: OffsetDateTime,
}

/// A staff user to create.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// New id.
    pub id: Uuid,
    /// Normalised email.
    pub email: Email,
    /// argon2id PHC string.
    pub password_hash: String,
    /// What they may do.
    pub role: Role,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A stored staff user.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffRecord {
    /// Id.
    pub id: Uuid,
    /// Normalised email.
    pub email: Email,
    /// argon2id PHC string.
    pub password_hash: String,
    /// What they may do.
    pub role: Role,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Their TOTP secret (base32) once enrolment started; `None`: not enrolled.
    pub totp_secret: Option<String>,
    /// Whether a first code confirmed the enrolment (from then on the second factor is required).
    pub totp_confirmed: bool,
    /// The last time step whose code was accepted; a code of this step or an older one is refused.
    pub totp_last_step: Option<i64>,
    /// When they were disabled; a disabled staff member cannot sign in and their sessions stop working.
    pub disabled_at: Option<OffsetDateTime>,
}

/// A device to bind.
#[derive(Debug, Clone)]
pub struct NewDevice {
    /// New id.
    pub id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// The phone's IMEI.
    pub imei: Imei,
    /// The phone's eUICC id, when given.
    pub eid: Option<Eid>,
    /// The customer's name for it.
    pub label: Option<String>,
    /// Binding time.
    pub created_at: OffsetDateTime,
}

/// A bound device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRecord {
    /// Id.
    pub id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// The phone's IMEI.
    pub imei: Imei,
    /// The phone's eUICC id.
    pub eid: Option<Eid>,
    /// The customer's name for it.
    pub label: Option<String>,
    /// The line on this device, if any.
    pub line_id: Option<Uuid>,
    /// Binding time.
    pub created_at: OffsetDateTime,
}

/// A line to create.
#[derive(Debug, Clone)]
pub struct NewLine {
    /// New id.
    pub id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// The device that will carry it.
    pub device_id: Uuid,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A line with its current profile.
#[derive(Debug, Clone, PartialEq)]
pub struct LineRecord {
    /// Our own id (ICCIDs get reused by vendors; lines are keyed by this).
    pub id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// The device carrying it.
    pub device_id: Uuid,
    /// The number.
    pub msisdn: Msisdn,
    /// Current profile's ICCID.
    pub iccid: Iccid,
    /// Current profile's IMSI.
    pub imsi: Imsi,
    /// SM-DP+ host of the current profile.
    pub smdp_address: String,
    /// Matching id of the current profile.
    pub matching_id: String,
    /// Lifecycle state.
    pub state: LineState,
    /// Until when the number is kept; `None` until the first top-up.
    pub valid_until: Option<OffsetDateTime>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// A profile from the SM-DP+ vendor, to add to stock.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProfile {
    /// ICCID.
    pub iccid: Iccid,
    /// IMSI.
    pub imsi: Imsi,
    /// The number that comes with it.
    pub msisdn: Msisdn,
    /// SM-DP+ host.
    pub smdp_address: String,
    /// Matching id.
    pub matching_id: String,
}

/// Stock at one SM-DP+.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    /// SM-DP+ host.
    pub smdp_address: String,
    /// Profiles ready to assign.
    pub available: i64,
    /// Profiles held by lines.
    pub assigned: i64,
    /// Profiles never to be used again.
    pub retired: i64,
}

/// An API key as stored (the key itself is never stored, only its SHA-256).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyRecord {
    /// Id.
    pub id: Uuid,
    /// The first characters of the key, to recognise it in lists.
    pub prefix: String,
    /// SHA-256 of the key, hex.
    pub key_hash: String,
    /// Scopes such as `network`, `catalogue:read`, `orders:write`, `usage:read`.
    pub scopes: Vec<String>,
    /// The partner it belongs to, if any.
    pub partner_id: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

/// A notification to record once.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    /// New id (UUID v7: newest sorts last).
    pub id: Uuid,
    /// Whose inbox.
    pub account_id: Uuid,
    /// The line it is about, if any.
    pub line_id: Option<Uuid>,
    /// `topup_succeeded`, `data_threshold`, … (API.md).
    pub kind: String,
    /// The facts, as a JSON object (`line_id`, `bundle_id`, `threshold_percent`, …).
    pub data: String,
    /// Names the event: the same key is recorded once, ever.
    pub dedupe_key: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationRecord {
    /// Id.
    pub id: Uuid,
    /// Whose inbox.
    pub account_id: Uuid,
    /// The line it is about.
    pub line_id: Option<Uuid>,
    /// Kind.
    pub kind: String,
    /// Facts (JSON object text).
    pub data: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// When the customer read it.
    pub read_at: Option<OffsetDateTime>,
}
