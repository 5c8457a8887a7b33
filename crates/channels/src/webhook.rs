//! Outgoing webhooks, signed per the Standard Webhooks convention
//! (<https://www.standardwebhooks.com/>).
//!
//! Every delivery is a `POST` of a JSON body with three headers:
//!
//! - `webhook-id`: the message id, the same on every retry (receivers use it
//!   to drop duplicates);
//! - `webhook-timestamp`: Unix seconds of this attempt;
//! - `webhook-signature`: `v1,<base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))>`,
//!   where the key is the **base64-decoded** part of the `whsec_<base64>`
//!   secret. (The card provider's Stripe-style scheme keys the HMAC with the
//!   whole `whsec_…` string instead; the two are not interchangeable.)
//!
//! [`WebhookSender::deliver`] makes one attempt; [`backoff`] and
//! [`MAX_ATTEMPTS`] give the retry schedule (also used for email), so a
//! caller retries a [`ChannelError::Transient`] failure and marks the
//! delivery as given up — visibly — after the last attempt or on
//! [`ChannelError::Rejected`].

use std::time::Duration;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use hmac::{Hmac, Mac};
use rand::RngCore;
use reqwest::{
    Url,
    header::{CONTENT_TYPE, HeaderMap, HeaderValue},
};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::ChannelError;

/// The prefix of a Standard Webhooks signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// How long one delivery attempt (connect, send, read the status) may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The recommended tolerance for [`verify`]: five minutes either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// How many attempts a delivery (webhook or email) gets in all; after the
/// last failed one the caller gives up and records it visibly.
pub const MAX_ATTEMPTS: u32 = 8;

/// The waits after the 1st, 2nd, … failed attempt.
const SCHEDULE: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(30),
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(2 * 60 * 60),
    Duration::from_secs(4 * 60 * 60),
];

/// How long to wait before the next attempt, given how many attempts have
/// already failed.
///
/// `backoff(0)` is zero (the first attempt goes at once); then 5 s, 30 s,
/// 2 min, 10 min, 1 h, 2 h, and 4 h for every later attempt. With
/// [`MAX_ATTEMPTS`] = 8 the last attempt comes about 7 h 12 min after the
/// first. No jitter: add some if many deliveries fail together.
pub fn backoff(attempt: u32) -> Duration {
    match attempt {
        0 => Duration::ZERO,
        n => SCHEDULE[(n as usize - 1).min(SCHEDULE.len() - 1)],
    }
}

/// Whether a delivery that has failed `attempts` times should be given up
/// (`attempts >= MAX_ATTEMPTS`).
pub fn should_give_up(attempts: u32) -> bool {
    attempts >= MAX_ATTEMPTS
}

/// A fresh Standard Webhooks message id, `msg_<uuid v7, 32 hex digits>`.
pub fn new_message_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
}

/// A Standard Webhooks signing secret: the bytes that the base64 part of
/// `whsec_<base64>` decodes to (24 to 64 bytes, as the convention
/// recommends). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(whsec_***)")
    }
}

impl std::str::FromStr for WebhookSecret {
    type Err = ChannelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WebhookSecret::parse(s)
    }
}

impl WebhookSecret {
    /// Parses `whsec_<base64>` (standard alphabet, padded), decoding the part
    /// after the prefix.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Config`] when the prefix is missing, the rest is not
    /// base64, or it decodes to fewer than 24 or more than 64 bytes. The
    /// message does not repeat the secret.
    pub fn parse(s: &str) -> Result<WebhookSecret, ChannelError> {
        let s = s.trim();
        let Some(encoded) = s.strip_prefix(SECRET_PREFIX) else {
            return Err(ChannelError::Config(
                "webhook secret must have the form whsec_<base64> (Standard Webhooks)".into(),
            ));
        };
        let key = BASE64.decode(encoded).map_err(|e| {
            ChannelError::Config(format!("webhook secret: the part after whsec_ is not valid base64 ({e})"))
        })?;
        if !(24..=64).contains(&key.len()) {
            return Err(ChannelError::Config(format!(
                "webhook secret decodes to {} bytes; it must be 24 to 64 bytes",
                key.len()
            )));
        }
        Ok(WebhookSecret { key })
    }

    /// A new random 32-byte secret (from the operating system's generator).
    pub fn generate() -> WebhookSecret {
        let mut key = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        WebhookSecret { key }
    }

    /// The secret in its shareable `whsec_<base64>` form, to show the
    /// operator once or store encrypted.
    pub fn to_whsec(&self) -> String {
        format!("{SECRET_PREFIX}{}", BASE64.encode(&self.key))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> [u8; 32] {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

/// The `webhook-signature` value for one attempt:
/// `v1,<base64(HMAC-SHA256(decoded secret, "{id}.{timestamp}.{body}"))>`.
pub fn sign(secret: &WebhookSecret, id: &str, timestamp: i64, body: &[u8]) -> String {
    format!("v1,{}", BASE64.encode(secret.mac(id, timestamp, body)))
}

/// Checks a received webhook as a Standard Webhooks receiver does: `id`,
/// `timestamp` and `signatures` are the raw `webhook-id`,
/// `webhook-timestamp` and `webhook-signature` header values; `signatures`
/// is a space-separated list of `version,signature` entries of which one
/// `v1` entry must match (others are ignored, so a secret can be rotated).
/// The timestamp must be within `tolerance` of `now` (Unix seconds) either
/// way. Signatures are compared in constant time.
///
/// # Errors
///
/// [`ChannelError::Signature`] naming what is wrong: an empty id, a
/// non-numeric timestamp, a timestamp outside the tolerance, no `v1`
/// signature, or none that matches.
pub fn verify(
    secret: &WebhookSecret,
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
    tolerance: Duration,
) -> Result<(), ChannelError> {
    if id.is_empty() {
        return Err(ChannelError::Signature("missing webhook-id".into()));
    }
    let timestamp: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| ChannelError::Signature(format!("webhook-timestamp {timestamp:?} is not Unix seconds")))?;
    let tolerance = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(timestamp) > tolerance {
        return Err(ChannelError::Signature("webhook-timestamp is too old".into()));
    }
    if timestamp.saturating_sub(now) > tolerance {
        return Err(ChannelError::Signature("webhook-timestamp is in the future".into()));
    }
    let expected = secret.mac(id, timestamp, body);
    let mut saw_v1 = false;
    let mut matched = subtle::Choice::from(0);
    for entry in signatures.split(' ').filter(|e| !e.is_empty()) {
        let Some(("v1", encoded)) = entry.split_once(',') else { continue };
        saw_v1 = true;
        if let Ok(candidate) = BASE64.decode(encoded) {
            matched |= candidate.as_slice().ct_eq(&expected);
        }
    }
    if !saw_v1 {
        return Err(ChannelError::Signature("webhook-signature has no v1 signature".into()));
    }
    if bool::from(matched) { Ok(()) } else { Err(ChannelError::Signature("no v1 signature matches".into())) }
}

/// Checks an operator-configured webhook URL: an absolute `http://` or
/// `https://` URL with a host, and no `user:password@` (the signature is the
/// authentication; credentials in URLs end up in logs).
///
/// # Errors
///
/// [`ChannelError::Config`] saying why: not a URL, another scheme (`ftp:`,
/// `file:`, `javascript:`, …), no host, or embedded credentials.
pub fn endpoint_url(s: &str) -> Result<Url, ChannelError> {
    let s = s.trim();
    let url = Url::parse(s)
        .map_err(|e| ChannelError::Config(format!("webhook URL {s:?} is not a valid absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ChannelError::Config(format!(
            "webhook URL must start with http:// or https:// (got the {:?} scheme)",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ChannelError::Config(format!("webhook URL {s:?} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ChannelError::Config(
            "webhook URL must not contain user:password@ (the webhook-signature authenticates deliveries)".into(),
        ));
    }
    Ok(url)
}

/// The URL without its query string and fragment, for errors and logs (a
/// query may carry a token).
fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// POSTs signed webhook deliveries, one attempt per [`deliver`](Self::deliver).
///
/// Redirects are not followed (a 3xx answer is [`ChannelError::Rejected`]):
/// the operator configures the final URL.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    http: reqwest::Client,
}

impl WebhookSender {
    /// A sender with the default 10-second timeout per attempt.
    ///
    /// # Errors
    ///
    /// [`ChannelError::Config`] if the HTTP client cannot be built (TLS
    /// backend initialisation).
    pub fn new() -> Result<WebhookSender, ChannelError> {
        WebhookSender::with_timeout(DEFAULT_TIMEOUT)
    }

    /// A sender whose attempts are abandoned after `timeout`.
    ///
    /// # Errors
    ///
    /// As [`WebhookSender::new`].
    pub fn with_timeout(timeout: Duration) -> Result<WebhookSender, ChannelError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("keepsim-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ChannelError::Config(format!("cannot build the webhook HTTP client: {e}")))?;
        Ok(WebhookSender { http })
    }

    /// One delivery attempt: POSTs `body` (JSON) to `url` with the
    /// `webhook-id`, `webhook-timestamp` and `webhook-signature` headers
    /// ([`sign`]ed with `secret`). `timestamp` is Unix seconds, normally the
    /// time of this attempt; `id` stays the same across retries.
    ///
    /// Returns the status code of a 2xx answer.
    ///
    /// # Errors
    ///
    /// - [`ChannelError::Transient`]: 5xx, 408, 429, connection refused or
    ///   reset, DNS failure, timeout — retry after [`backoff`].
    /// - [`ChannelError::Rejected`]: any other 4xx, or a 3xx — do not retry.
    /// - [`ChannelError::Config`]: an `id` that cannot be a header value.
    ///
    /// The messages name the status and the start of the answer's body.
    pub async fn deliver(
        &self,
        url: &Url,
        secret: &WebhookSecret,
        id: &str,
        timestamp: i64,
        body: &[u8],
    ) -> Result<u16, ChannelError> {
        let shown = redacted(url);
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let id_value = HeaderValue::from_str(id)
            .ok()
            .filter(|_| !id.is_empty())
            .ok_or_else(|| ChannelError::Config(format!("webhook id {id:?} cannot be a header value")))?;
        headers.insert("webhook-id", id_value);
        headers.insert("webhook-timestamp", HeaderValue::from(timestamp));
        let signature = HeaderValue::from_str(&sign(secret, id, timestamp, body))
            .map_err(|e| ChannelError::Config(format!("webhook signature header: {e}")))?;
        headers.insert("webhook-signature", signature);

        let response = self.http.post(url.clone()).headers(headers).body(body.to_vec()).send().await.map_err(|e| {
            let what = if e.is_timeout() {
                "timed out"
            } else if e.is_connect() {
                "connection failed"
            } else {
                "request failed"
            };
            ChannelError::Transient(format!("webhook to {shown}: {what}: {}", error_chain(&e)))
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(status.as_u16());
        }
        let location =
            response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
        // The start of the answer, for the operator; a slow body is not waited for long.
        let snippet = match tokio::time::timeout(Duration::from_secs(2), response.bytes()).await {
            Ok(Ok(bytes)) => {
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).trim().replace(['\r', '\n'], " ");
                if text.is_empty() { String::new() } else { format!(": {text}") }
            }
            _ => String::new(),
        };
        let code = status.as_u16();
        let message = format!("webhook to {shown} answered HTTP {code}{snippet}");
        Err(match code {
            408 | 429 | 500..=599 => ChannelError::Transient(message),
            300..=399 => ChannelError::Rejected(format!(
                "{message} (redirect to {} not followed; configure the final URL)",
                location.as_deref().unwrap_or("?")
            )),
            _ => ChannelError::Rejected(message),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_schedule() {
        let secs: Vec<u64> = (0..=10).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(secs, [0, 5, 30, 120, 600, 3600, 7200, 14400, 14400, 14400, 14400]);
        assert_eq!(backoff(u32::MAX).as_secs(), 14400);
        assert!(!should_give_up(MAX_ATTEMPTS - 1));
        assert!(should_give_up(MAX_ATTEMPTS));
    }

    #[test]
    fn secrets_parse_round_trip_and_hide() {
        let secret = WebhookSecret::generate();
        let text = secret.to_whsec();
        assert!(text.starts_with("whsec_"));
        assert_eq!(WebhookSecret::parse(&text).unwrap(), secret);
        assert!(!format!("{secret:?}").contains(&text[6..]));
        assert_ne!(WebhookSecret::generate(), secret);
        for bad in [
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_",
            "whsec_not base64!",
            "whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_c2hvcnQ=",
        ] {
            assert!(matches!(WebhookSecret::parse(bad), Err(ChannelError::Config(_))), "{bad}");
        }
    }

    #[test]
    fn message_ids() {
        let id = new_message_id();
        assert!(id.starts_with("msg_") && id.len() == 36, "{id}");
        assert_ne!(id, new_message_id());
    }
}
