//! Notification delivery channels: email and outgoing webhooks.
//!
//! - [`email`]: a [`Mailer`] that sends an [`Email`] over real SMTP (lettre,
//!   rustls; STARTTLS, implicit TLS or plaintext; optional credentials) or,
//!   when no SMTP server is configured, writes each message as an `.eml` file
//!   into an outbox folder. Messages are plain text in UTF-8 and carry the
//!   customer's language as `Content-Language`.
//! - [`webhook`]: Standard Webhooks signing and verification
//!   (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`,
//!   keyed with the decoded bytes of a `whsec_<base64>` secret), a
//!   [`WebhookSender`] that POSTs one delivery attempt, and the retry schedule
//!   ([`backoff`], [`MAX_ATTEMPTS`]) shared by both channels.
//!
//! Nothing here knows customers, orders or the database: callers keep the
//! queue of pending deliveries, call [`Mailer::send`] / [`WebhookSender::deliver`]
//! for one attempt, and use [`ChannelError::is_retryable`] and [`backoff`] to
//! schedule the next attempt or give up visibly after [`MAX_ATTEMPTS`].

pub mod email;
pub mod webhook;

pub use email::{Email, Mailer};
pub use webhook::{MAX_ATTEMPTS, WebhookSecret, WebhookSender, backoff};

/// The lettre crate this crate builds on (for [`lettre::message::Mailbox`]
/// and the SMTP transport type inside [`Mailer::Smtp`]).
pub use lettre;

/// Why a delivery attempt (or a channel's configuration) failed.
///
/// The variant tells the caller what to do next: fix the configuration or the
/// input ([`Config`](Self::Config)), try again later
/// ([`Transient`](Self::Transient)), or give up on this message
/// ([`Rejected`](Self::Rejected)). Messages never contain passwords or secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelError {
    /// Bad configuration or input: an unparsable SMTP URL, an invalid email
    /// address or language tag, a webhook URL that is not http(s), a malformed
    /// `whsec_` secret, an SMTP server that does not offer what the
    /// configuration requires (STARTTLS, an authentication mechanism).
    /// Permanent until the configuration or the input changes.
    #[error("configuration error: {0}")]
    Config(String),
    /// A temporary failure: connection refused or reset, DNS failure, a
    /// timeout, an SMTP 4xx reply, an HTTP 5xx/408/429 answer, a full disk.
    /// Retry later (see [`backoff`]).
    #[error("temporary failure: {0}")]
    Transient(String),
    /// A permanent refusal by the other side: an SMTP 5xx reply (unknown
    /// recipient, authentication refused), an HTTP 4xx answer other than
    /// 408/429, or a redirect (not followed). Retrying the same message will
    /// not help.
    #[error("rejected: {0}")]
    Rejected(String),
    /// A webhook signature that does not verify: missing or malformed
    /// headers, a timestamp outside the tolerance, or no matching `v1`
    /// signature. Returned by [`webhook::verify`] only.
    #[error("webhook signature invalid: {0}")]
    Signature(String),
}

impl ChannelError {
    /// Whether the same message may succeed if tried again later (only
    /// [`ChannelError::Transient`]).
    pub fn is_retryable(&self) -> bool {
        matches!(self, ChannelError::Transient(_))
    }
}
