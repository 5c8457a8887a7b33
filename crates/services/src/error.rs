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
    /// Authenticated but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// No line has that MSISDN or IMSI.
    #[error("no line has that number or IMSI")]
    UnknownSubscriber,
    /// A single-use link's token is unknown, used or expired.
    #[error("this link is not valid (unknown, already used or expired); ask for a new one")]
    InvalidToken,
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
    /// `POST /orders` without an Idempotency-Key.
    #[error("send an Idempotency-Key header (any unique string, e.g. a UUID) so a retried request cannot buy twice")]
    IdempotencyKeyRequired,
    /// The Idempotency-Key was used with another body.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    /// The first request with this key is still running.
    #[error("a request with this Idempotency-Key is still being processed; retry shortly")]
    IdempotencyKeyInUse,
    /// No such package on sale.
    #[error("unknown package {0:?}")]
    UnknownPackage(String),
    /// The package has no price in that currency.
    #[error("package {package} has no price in {currency}")]
    PriceNotAvailable {
        /// Package code.
        package: String,
        /// Currency asked for.
        currency: String,
    },
    /// The payment method does not take that currency.
    #[error("{method} does not take {currency}; it takes {accepted}")]
    CurrencyNotSupported {
        /// Method.
        method: String,
        /// Currency asked for.
        currency: String,
        /// What it takes.
        accepted: String,
    },
    /// The payment method is not configured here.
    #[error("payment method {0} is not available")]
    MethodUnavailable(String),
    /// The payment provider could not be reached or refused.
    #[error("the payment provider is unavailable; please retry with the same Idempotency-Key")]
    ProviderUnavailable(String),
    /// A provider notification was refused (signature, amount, merchant…).
    #[error("{detail}")]
    NotificationRejected {
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The refund cannot be made.
    #[error("{0}")]
    RefundNotAllowed(String),
    /// The one-time code of the second factor is wrong, expired or already used.
    #[error("the code is wrong or was already used; enter the current code from your authenticator app")]
    InvalidTotp,
    /// A catalogue file has a mistake, at this line and column.
    #[error("line {line}, column {column}: {reason}")]
    InvalidCatalogue {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        reason: String,
    },
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
            ServiceError::Forbidden(_) => "forbidden",
            ServiceError::UnknownSubscriber => "unknown_subscriber",
            ServiceError::InvalidToken => "invalid_token",
            ServiceError::InvalidImei(_) => "invalid_imei",
            ServiceError::InvalidEid(_) => "invalid_eid",
            ServiceError::InvalidField { .. } => "invalid_field",
            ServiceError::DeviceAlreadyBound => "device_already_bound",
            ServiceError::DeviceHasLine => "device_has_line",
            ServiceError::InventoryExhausted => "inventory_exhausted",
            ServiceError::UnknownCountry(_) => "unknown_country",
            ServiceError::UnknownRegion(_) => "unknown_region",
            ServiceError::NotFound => "not_found",
            ServiceError::IdempotencyKeyRequired => "idempotency_key_required",
            ServiceError::IdempotencyKeyReused => "idempotency_key_reused",
            ServiceError::IdempotencyKeyInUse => "idempotency_key_in_use",
            ServiceError::UnknownPackage(_) => "unknown_package",
            ServiceError::PriceNotAvailable { .. } => "price_not_available",
            ServiceError::CurrencyNotSupported { .. } => "currency_not_supported",
            ServiceError::MethodUnavailable(_) => "payment_method_unavailable",
            ServiceError::ProviderUnavailable(_) => "payment_provider_unavailable",
            ServiceError::NotificationRejected { code, .. } => code,
            ServiceError::RefundNotAllowed(_) => "refund_not_allowed",
            ServiceError::InvalidTotp => "invalid_totp",
            ServiceError::InvalidCatalogue { .. } => "invalid_catalogue",
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
