//! The one error type of the use cases, each with a stable snake_case code.

use keepsim_store::StoreError;

/// Why a use case refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The email address is malformed.
    #[error("{0}")]
    InvalidEmail(String),
    /// The password breaks the password rule.
    #[error("{0}")]
    WeakPassword(String),
    /// An account with this email exists.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// Wrong email or password (never says which).
    #[error("the email or password is wrong")]
    InvalidCredentials,
    /// Too many failed attempts; try again after this many seconds.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    Throttled {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// No valid session.
    #[error("sign in first")]
    Unauthenticated,
    /// The IMEI is not valid.
    #[error("{0}")]
    InvalidImei(String),
    /// The EID is not valid.
    #[error("{0}")]
    InvalidEid(String),
    /// Some other field is not valid.
    #[error("{field}: {reason}")]
    InvalidField {
        /// Which field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The IMEI is bound already.
    #[error("this device is already bound to an account")]
    DeviceAlreadyBound,
    /// The device carries a line already.
    #[error("this device already has a line; one eSIM line per device")]
    DeviceHasLine,
    /// No eSIM profile left.
    #[error("no eSIM profile is available right now; please try again later")]
    InventoryExhausted,
    /// The country code is unknown.
    #[error("unknown country {0:?}")]
    UnknownCountry(String),
    /// The region id is unknown.
    #[error("unknown region {0:?}")]
    UnknownRegion(String),
    /// The thing does not exist (or is someone else's).
    #[error("not found")]
    NotFound,
    /// The database is unavailable.
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// A bug or corrupt data; details are logged, not shown.
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    /// The stable machine-readable code (`invalid_imei`, `device_has_line`, …).
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::InvalidEmail(_) => "invalid_email",
            ServiceError::WeakPassword(_) => "weak_password",
            ServiceError::EmailTaken => "email_taken",
            ServiceError::InvalidCredentials => "invalid_credentials",
            ServiceError::Throttled { .. } => "too_many_attempts",
            ServiceError::Unauthenticated => "unauthenticated",
            ServiceError::InvalidImei(_) => "invalid_imei",
            ServiceError::InvalidEid(_) => "invalid_eid",
            ServiceError::InvalidField { .. } => "invalid_field",
            ServiceError::DeviceAlreadyBound => "device_already_bound",
            ServiceError::DeviceHasLine => "device_has_line",
            ServiceError::InventoryExhausted => "inventory_exhausted",
            ServiceError::UnknownCountry(_) => "unknown_country",
            ServiceError::UnknownRegion(_) => "unknown_region",
            ServiceError::NotFound => "not_found",
            ServiceError::Unavailable(_) => "unavailable",
            ServiceError::Internal(_) => "internal_error",
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Conflict("email_taken") => ServiceError::EmailTaken,
            StoreError::Conflict("device_already_bound") => ServiceError::DeviceAlreadyBound,
            StoreError::Conflict("device_has_line") => ServiceError::DeviceHasLine,
            StoreError::Conflict(other) => ServiceError::Internal(format!("unexpected conflict {other}")),
            StoreError::InventoryExhausted => ServiceError::InventoryExhausted,
            StoreError::Unavailable(m) => ServiceError::Unavailable(m),
            StoreError::Corrupt(m) => ServiceError::Internal(m),
        }
    }
}
