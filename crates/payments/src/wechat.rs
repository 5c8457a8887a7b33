//! WeChat Pay API v3: request signing (the `WECHATPAY2-SHA256-RSA2048`
//! Authorization header), verification of WeChat Pay's signed answers and
//! notifications (`Wechatpay-Timestamp/-Nonce/-Signature/-Serial`, SHA256withRSA
//! with WeChat Pay's public key), decryption of notification resources
//! (AEAD_AES_256_GCM with the merchant's APIv3 key), and [`WechatClient`], the
//! [`Gateway`] for Native payments (a `code_url` shown as a QR code).
//!
//! Amounts are integers in fen (CNY minor units) on the wire and here.

use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use keepsim_domain::Currency;
use rand::Rng as _;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};

use crate::keys::{self, KeyError};
use crate::{
    CreatePayment, CreatedPayment, Gateway, Method, Notice, NoticeKind, PaymentStatus, ProviderError, Reference,
    RefundRequest, RefundStatus, VerifyError,
};

/// The signature scheme named in the Authorization header and `Wechatpay-Signature-Type`.
pub const AUTH_SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// The only resource encryption algorithm WeChat Pay API v3 uses.
pub const RESOURCE_ALGORITHM: &str = "AEAD_AES_256_GCM";

/// Production API origin (`KEEPSIM_WECHAT_API_BASE` default).
pub const DEFAULT_API_BASE: &str = "https://api.mch.weixin.qq.com";

/// How far (seconds, either way) a signed timestamp may be from our clock.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

/// Header carrying the signing time of an answer or notification.
pub const HEADER_TIMESTAMP: &str = "Wechatpay-Timestamp";
/// Header carrying the random nonce of an answer or notification.
pub const HEADER_NONCE: &str = "Wechatpay-Nonce";
/// Header carrying the base64 SHA256withRSA signature.
pub const HEADER_SIGNATURE: &str = "Wechatpay-Signature";
/// Header naming the WeChat Pay key that signed (the public key id or platform certificate serial).
pub const HEADER_SERIAL: &str = "Wechatpay-Serial";
/// Header naming the signature scheme (always [`AUTH_SCHEME`]).
pub const HEADER_SIGNATURE_TYPE: &str = "Wechatpay-Signature-Type";

/// The bytes a request signature covers: `"{METHOD}\n{URL}\n{TS}\n{NONCE}\n{BODY}\n"`, where the
/// URL is the path with its query string and `body` is empty for a GET.
pub fn request_signature_message(
    method: &str,
    url_path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &str,
) -> String {
    format!("{method}\n{url_path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The bytes an answer or notification signature covers: `"{ts}\n{nonce}\n{body}\n"`.
/// The body is taken as raw bytes, exactly as received.
pub fn response_signature_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    let mut msg = Vec::with_capacity(timestamp.len() + nonce.len() + body.len() + 3);
    msg.extend_from_slice(timestamp.as_bytes());
    msg.push(b'\n');
    msg.extend_from_slice(nonce.as_bytes());
    msg.push(b'\n');
    msg.extend_from_slice(body);
    msg.push(b'\n');
    msg
}

/// Builds the `Authorization` header value of a request:
/// `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`,
/// the signature being SHA256withRSA (base64) over [`request_signature_message`].
#[allow(clippy::too_many_arguments)] // mirrors the fields of the header one to one
pub fn authorization(
    mchid: &str,
    cert_serial: &str,
    key: &RsaPrivateKey,
    method: &str,
    url_path_and_query: &str,
    body: &str,
    timestamp: i64,
    nonce: &str,
) -> Result<String, KeyError> {
    let message = request_signature_message(method, url_path_and_query, timestamp, nonce, body);
    let signature = keys::sign_sha256_rsa(key, message.as_bytes())?;
    Ok(format!(
        "{AUTH_SCHEME} mchid=\"{mchid}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{cert_serial}\""
    ))
}

/// The fields of a parsed `Authorization` header (see [`parse_authorization`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationHeader {
    /// Merchant id.
    pub mchid: String,
    /// The request nonce.
    pub nonce_str: String,
    /// Base64 SHA256withRSA signature.
    pub signature: String,
    /// Unix seconds, as sent.
    pub timestamp: String,
    /// Serial of the merchant certificate whose key signed.
    pub serial_no: String,
}

/// Parses an `Authorization` header as WeChat Pay does: the scheme
/// [`AUTH_SCHEME`], then `key="value"` pairs separated by commas, each of the
/// five keys exactly once (unknown keys are an error).
pub fn parse_authorization(header: &str) -> Result<AuthorizationHeader, VerifyError> {
    let malformed = |what: &str| VerifyError::Malformed(format!("Authorization header: {what}"));
    let rest =
        header.trim().strip_prefix(AUTH_SCHEME).ok_or_else(|| malformed(&format!("scheme is not {AUTH_SCHEME}")))?;
    if !rest.starts_with(' ') {
        return Err(malformed("no space after the scheme"));
    }
    let mut fields: [Option<String>; 5] = Default::default();
    const NAMES: [&str; 5] = ["mchid", "nonce_str", "signature", "timestamp", "serial_no"];
    let mut rest = rest.trim_start();
    loop {
        let (name, after) = rest.split_once('=').ok_or_else(|| malformed("expected key=\"value\""))?;
        let name = name.trim();
        let after = after.strip_prefix('"').ok_or_else(|| malformed(&format!("value of {name} is not quoted")))?;
        let (value, after) =
            after.split_once('"').ok_or_else(|| malformed(&format!("value of {name} is unterminated")))?;
        let index = NAMES.iter().position(|n| *n == name).ok_or_else(|| malformed(&format!("unknown key {name:?}")))?;
        let slot = fields.get_mut(index).ok_or_else(|| malformed("internal index"))?;
        if slot.is_some() {
            return Err(malformed(&format!("{name} given twice")));
        }
        *slot = Some(value.to_owned());
        let after = after.trim_start();
        if after.is_empty() {
            break;
        }
        rest = after.strip_prefix(',').ok_or_else(|| malformed("expected a comma between fields"))?.trim_start();
    }
    let [mchid, nonce_str, signature, timestamp, serial_no] = fields;
    let need = |v: Option<String>, name: &str| v.ok_or_else(|| malformed(&format!("{name} missing")));
    Ok(AuthorizationHeader {
        mchid: need(mchid, "mchid")?,
        nonce_str: need(nonce_str, "nonce_str")?,
        signature: need(signature, "signature")?,
        timestamp: need(timestamp, "timestamp")?,
        serial_no: need(serial_no, "serial_no")?,
    })
}

/// Parses a Unix timestamp as WeChat Pay writes it: ASCII digits only.
fn parse_timestamp(timestamp: &str) -> Result<i64, VerifyError> {
    if timestamp.is_empty() || timestamp.len() > 18 || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::Malformed(format!("timestamp {timestamp:?} is not a Unix time in seconds")));
    }
    timestamp.parse::<i64>().map_err(|_| VerifyError::Malformed(format!("timestamp {timestamp:?} out of range")))
}

/// Verifies a WeChat Pay signature over `"{ts}\n{nonce}\n{body}\n"` with `key`.
///
/// A timestamp more than `tolerance_secs` away from `now_unix` (either way) is
/// [`VerifyError::StaleTimestamp`]; a timestamp that is not digits, an empty
/// nonce or a signature that is not base64 is [`VerifyError::Malformed`]; a
/// signature that does not verify is [`VerifyError::BadSignature`].
pub fn verify_signature(
    timestamp: &str,
    nonce: &str,
    body: &[u8],
    signature_b64: &str,
    key: &RsaPublicKey,
    now_unix: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    let ts = parse_timestamp(timestamp)?;
    if nonce.is_empty() || nonce.contains('\n') {
        return Err(VerifyError::Malformed("nonce is empty or has a line break".into()));
    }
    let sig = signature_b64.trim();
    if sig.is_empty() || B64.decode(sig).is_err() {
        return Err(VerifyError::Malformed("signature is not base64".into()));
    }
    if now_unix.abs_diff(ts) > tolerance_secs.unsigned_abs() {
        return Err(VerifyError::StaleTimestamp);
    }
    if keys::verify_sha256_rsa(key, &response_signature_message(timestamp, nonce, body), sig) {
        Ok(())
    } else {
        Err(VerifyError::BadSignature)
    }
}

/// Builds an AES-256-GCM nonce from WeChat's 12-character nonce string.
fn gcm_nonce(nonce: &str) -> Result<Nonce<aes_gcm::aead::consts::U12>, VerifyError> {
    let bytes: [u8; 12] = nonce
        .as_bytes()
        .try_into()
        .map_err(|_| VerifyError::Malformed(format!("resource nonce must be 12 bytes, got {}", nonce.len())))?;
    Ok(Nonce::from(bytes))
}

/// Decrypts a notification resource: AEAD_AES_256_GCM keyed with the APIv3
/// key, the 12-byte ASCII `nonce`, `associated_data` as AAD, and base64
/// `ciphertext_b64` whose last 16 bytes are the tag.
///
/// A nonce that is not 12 bytes or ciphertext that is not base64 is
/// [`VerifyError::Malformed`]; a wrong key, wrong associated data or altered
/// ciphertext is [`VerifyError::Undecryptable`].
pub fn decrypt_resource(
    apiv3_key: &[u8; 32],
    nonce: &str,
    associated_data: &str,
    ciphertext_b64: &str,
) -> Result<Vec<u8>, VerifyError> {
    let nonce = gcm_nonce(nonce)?;
    let ciphertext =
        B64.decode(ciphertext_b64).map_err(|_| VerifyError::Malformed("resource ciphertext is not base64".into()))?;
    let cipher = Aes256Gcm::new(&(*apiv3_key).into());
    cipher
        .decrypt(&nonce, Payload { msg: &ciphertext, aad: associated_data.as_bytes() })
        .map_err(|_| VerifyError::Undecryptable)
}

/// Encrypts a resource as WeChat Pay does (the inverse of [`decrypt_resource`]):
/// base64 of ciphertext followed by the 16-byte tag. Used by the sandbox and
/// tests; fails only for a nonce that is not 12 bytes.
pub fn encrypt_resource(
    apiv3_key: &[u8; 32],
    nonce: &str,
    associated_data: &str,
    plaintext: &[u8],
) -> Result<String, VerifyError> {
    let nonce = gcm_nonce(nonce)?;
    let cipher = Aes256Gcm::new(&(*apiv3_key).into());
    let sealed = cipher
        .encrypt(&nonce, Payload { msg: plaintext, aad: associated_data.as_bytes() })
        .map_err(|_| VerifyError::Malformed("resource too large to encrypt".into()))?;
    Ok(B64.encode(sealed))
}

/// A random string of ASCII letters and digits (nonces).
pub fn random_nonce(len: usize) -> String {
    rand::thread_rng().sample_iter(rand::distributions::Alphanumeric).take(len).map(char::from).collect()
}

/// The merchant's WeChat Pay API v3 settings. `Debug` hides the keys.
#[derive(Clone)]
pub struct WechatConfig {
    /// Merchant id (`KEEPSIM_WECHAT_MCHID`).
    pub mchid: String,
    /// The app id orders are placed for (`KEEPSIM_WECHAT_APPID`).
    pub appid: String,
    /// The 32-byte APIv3 key that decrypts notification resources (`KEEPSIM_WECHAT_APIV3_KEY`).
    pub apiv3_key: [u8; 32],
    /// Serial of our merchant API certificate (`KEEPSIM_WECHAT_CERT_SERIAL`).
    pub cert_serial: String,
    /// Our merchant API private key, signs requests (`KEEPSIM_WECHAT_PRIVATE_KEY_FILE`).
    pub private_key: RsaPrivateKey,
    /// Id of WeChat Pay's public key, as sent in `Wechatpay-Serial` (`KEEPSIM_WECHAT_PLATFORM_KEY_ID`).
    pub platform_key_id: String,
    /// WeChat Pay's public key, verifies answers and notifications (`KEEPSIM_WECHAT_PLATFORM_PUBLIC_KEY_FILE`).
    pub platform_public_key: RsaPublicKey,
}

impl WechatConfig {
    /// Reads an APIv3 key as configured: exactly 32 bytes of text (WeChat
    /// Pay's console takes 32 ASCII characters). Surrounding whitespace is
    /// ignored; anything else is `None`.
    pub fn apiv3_key_from_str(s: &str) -> Option<[u8; 32]> {
        s.trim().as_bytes().try_into().ok()
    }
}

impl std::fmt::Debug for WechatConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WechatConfig")
            .field("mchid", &self.mchid)
            .field("appid", &self.appid)
            .field("apiv3_key", &"<redacted>")
            .field("cert_serial", &self.cert_serial)
            .field("private_key", &"<redacted>")
            .field("platform_key_id", &self.platform_key_id)
            .field("platform_public_key", &"<RSA public key>")
            .finish()
    }
}

/// The four signature headers of a notification (or an API answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationHeaders {
    /// `Wechatpay-Timestamp`.
    pub timestamp: String,
    /// `Wechatpay-Nonce`.
    pub nonce: String,
    /// `Wechatpay-Signature`.
    pub signature: String,
    /// `Wechatpay-Serial`.
    pub serial: String,
}

impl NotificationHeaders {
    /// Collects the headers through a case-insensitive lookup; a missing one is
    /// [`VerifyError::Malformed`] naming it.
    pub fn from_lookup<'a>(lookup: impl Fn(&str) -> Option<&'a str>) -> Result<NotificationHeaders, VerifyError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| VerifyError::Malformed(format!("header {name} missing")))
        };
        Ok(NotificationHeaders {
            timestamp: get(HEADER_TIMESTAMP)?,
            nonce: get(HEADER_NONCE)?,
            signature: get(HEADER_SIGNATURE)?,
            serial: get(HEADER_SERIAL)?,
        })
    }

    /// Collects the headers from an HTTP header map; a missing or non-ASCII one is
    /// [`VerifyError::Malformed`].
    pub fn from_header_map(headers: &axum::http::HeaderMap) -> Result<NotificationHeaders, VerifyError> {
        Self::from_lookup(|name| headers.get(name).and_then(|v| v.to_str().ok()))
    }
}

/// The notification envelope.
#[derive(Debug, Deserialize)]
struct Envelope {
    id: String,
    event_type: String,
    resource: EncryptedResource,
}

/// The encrypted part of a notification.
#[derive(Debug, Deserialize)]
struct EncryptedResource {
    algorithm: String,
    ciphertext: String,
    #[serde(default)]
    associated_data: String,
    nonce: String,
}

/// `amount` of a transaction.
#[derive(Debug, Deserialize)]
struct TransactionAmount {
    total: Option<i64>,
    currency: Option<String>,
}

/// A transaction as WeChat Pay describes it (notification resource and query answer).
#[derive(Debug, Deserialize)]
struct Transaction {
    mchid: String,
    #[serde(default)]
    appid: Option<String>,
    out_trade_no: String,
    #[serde(default)]
    transaction_id: Option<String>,
    trade_state: String,
    #[serde(default)]
    trade_state_desc: Option<String>,
    #[serde(default)]
    amount: Option<TransactionAmount>,
}

/// `amount` of a refund notification.
#[derive(Debug, Deserialize)]
struct RefundAmount {
    refund: i64,
}

/// A refund notification's resource.
#[derive(Debug, Deserialize)]
struct RefundResource {
    mchid: String,
    out_trade_no: String,
    #[serde(default)]
    out_refund_no: Option<String>,
    #[serde(default)]
    refund_id: Option<String>,
    refund_status: String,
    amount: RefundAmount,
}

/// Verifies a WeChat Pay notification and says what it means.
///
/// Checks, in order: `Wechatpay-Serial` names the configured WeChat Pay key
/// ([`WechatConfig::platform_key_id`]), the signature over
/// `"{ts}\n{nonce}\n{body}\n"` with a 300 s tolerance, the envelope, the
/// AEAD_AES_256_GCM resource (APIv3 key, associated data), and the merchant
/// (and app, when given). Only then is the resource read:
/// `TRANSACTION.SUCCESS` maps by `trade_state`; `REFUND.*` by `refund_status`;
/// anything else is [`NoticeKind::Ignored`].
pub fn verify_notification(
    headers: &NotificationHeaders,
    body: &[u8],
    cfg: &WechatConfig,
    now_unix: i64,
) -> Result<Notice, VerifyError> {
    if headers.serial != cfg.platform_key_id {
        return Err(VerifyError::Malformed(format!(
            "Wechatpay-Serial {:?} is not the configured WeChat Pay key id {:?} (KEEPSIM_WECHAT_PLATFORM_KEY_ID)",
            headers.serial, cfg.platform_key_id
        )));
    }
    verify_signature(
        &headers.timestamp,
        &headers.nonce,
        body,
        &headers.signature,
        &cfg.platform_public_key,
        now_unix,
        TIMESTAMP_TOLERANCE_SECS,
    )?;
    let text = std::str::from_utf8(body).map_err(|_| VerifyError::Malformed("body is not UTF-8".into()))?;
    let envelope: Envelope =
        serde_json::from_str(text).map_err(|e| VerifyError::Malformed(format!("notification JSON: {e}")))?;
    if envelope.id.is_empty() {
        return Err(VerifyError::Malformed("notification id is empty".into()));
    }
    let resource = &envelope.resource;
    if resource.algorithm != RESOURCE_ALGORITHM {
        return Err(VerifyError::Malformed(format!("unsupported resource algorithm {:?}", resource.algorithm)));
    }
    let plaintext = decrypt_resource(&cfg.apiv3_key, &resource.nonce, &resource.associated_data, &resource.ciphertext)?;
    let kind = match envelope.event_type.as_str() {
        "TRANSACTION.SUCCESS" => transaction_notice(&plaintext, cfg, &envelope.event_type)?,
        "REFUND.SUCCESS" | "REFUND.ABNORMAL" | "REFUND.CLOSED" => refund_notice(&plaintext, cfg, &envelope.event_type)?,
        other => NoticeKind::Ignored { event_type: other.to_owned() },
    };
    Ok(Notice { method: Method::Wechat, event_id: envelope.id, kind })
}

/// Reads a decrypted transaction resource.
fn transaction_notice(plaintext: &[u8], cfg: &WechatConfig, event_type: &str) -> Result<NoticeKind, VerifyError> {
    let tx: Transaction =
        serde_json::from_slice(plaintext).map_err(|e| VerifyError::Malformed(format!("transaction resource: {e}")))?;
    if tx.mchid != cfg.mchid {
        return Err(VerifyError::WrongMerchant(format!("mchid {:?}", tx.mchid)));
    }
    if let Some(appid) = tx.appid.as_deref().filter(|a| *a != cfg.appid) {
        return Err(VerifyError::WrongMerchant(format!("appid {appid:?}")));
    }
    if tx.out_trade_no.is_empty() {
        return Err(VerifyError::Malformed("out_trade_no is empty".into()));
    }
    let reference = Reference::OutTradeNo(tx.out_trade_no.clone());
    Ok(match tx.trade_state.as_str() {
        "SUCCESS" => {
            let amount = tx.amount.ok_or_else(|| VerifyError::Malformed("amount missing".into()))?;
            let total = amount.total.ok_or_else(|| VerifyError::Malformed("amount.total missing".into()))?;
            if total < 0 {
                return Err(VerifyError::Malformed("amount.total is negative".into()));
            }
            let currency = Currency::parse(amount.currency.as_deref().unwrap_or("CNY"))
                .map_err(|e| VerifyError::Malformed(format!("amount.currency: {e}")))?;
            let provider_ref = tx
                .transaction_id
                .filter(|t| !t.is_empty())
                .ok_or_else(|| VerifyError::Malformed("transaction_id missing".into()))?;
            NoticeKind::Paid { reference, amount_minor: total, currency, provider_ref }
        }
        "NOTPAY" | "USERPAYING" => NoticeKind::NotPaid { reference, state: tx.trade_state },
        "CLOSED" | "PAYERROR" | "REVOKED" => {
            NoticeKind::PaymentFailed { reference, reason: Some(tx.trade_state_desc.unwrap_or(tx.trade_state)) }
        }
        other => {
            tracing::warn!(trade_state = other, out_trade_no = %tx.out_trade_no, "WeChat Pay transaction notification in an unexpected state; ignored");
            NoticeKind::Ignored { event_type: event_type.to_owned() }
        }
    })
}

/// Reads a decrypted refund resource.
fn refund_notice(plaintext: &[u8], cfg: &WechatConfig, event_type: &str) -> Result<NoticeKind, VerifyError> {
    let refund: RefundResource =
        serde_json::from_slice(plaintext).map_err(|e| VerifyError::Malformed(format!("refund resource: {e}")))?;
    if refund.mchid != cfg.mchid {
        return Err(VerifyError::WrongMerchant(format!("mchid {:?}", refund.mchid)));
    }
    if refund.out_trade_no.is_empty() {
        return Err(VerifyError::Malformed("out_trade_no is empty".into()));
    }
    let reference = Reference::OutTradeNo(refund.out_trade_no);
    let refund_ref = refund.out_refund_no.or(refund.refund_id).filter(|r| !r.is_empty());
    Ok(match refund.refund_status.as_str() {
        "SUCCESS" => {
            if refund.amount.refund < 0 {
                return Err(VerifyError::Malformed("amount.refund is negative".into()));
            }
            NoticeKind::Refunded {
                reference,
                refunded_minor: refund.amount.refund,
                currency: Currency::CNY,
                refund_ref,
            }
        }
        "ABNORMAL" | "CLOSED" => NoticeKind::RefundFailed { reference, refund_ref },
        other => {
            tracing::warn!(refund_status = other, "WeChat Pay refund notification in an unexpected state; ignored");
            NoticeKind::Ignored { event_type: event_type.to_owned() }
        }
    })
}

/// Percent-encodes a path segment (keeps RFC 3986 unreserved characters and `*`).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'*') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The current Unix time in seconds.
fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A WeChat Pay error answer.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    code: String,
    #[serde(default)]
    message: String,
}

/// An answer from the API: status and (verified, when not empty) body.
#[derive(Debug)]
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// `amount` of a Native order.
#[derive(Debug, Serialize)]
struct OrderAmount<'a> {
    total: i64,
    currency: &'a str,
}

/// Body of `POST /v3/pay/transactions/native`.
#[derive(Debug, Serialize)]
struct NativeOrder<'a> {
    appid: &'a str,
    mchid: &'a str,
    description: &'a str,
    out_trade_no: &'a str,
    notify_url: &'a str,
    amount: OrderAmount<'a>,
}

/// Answer of `POST /v3/pay/transactions/native`.
#[derive(Debug, Deserialize)]
struct NativeOrderAnswer {
    code_url: String,
}

/// Body of `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close`.
#[derive(Debug, Serialize)]
struct CloseBody<'a> {
    mchid: &'a str,
}

/// `amount` of a refund request.
#[derive(Debug, Serialize)]
struct RefundRequestAmount<'a> {
    refund: i64,
    total: i64,
    currency: &'a str,
}

/// Body of `POST /v3/refund/domestic/refunds`.
#[derive(Debug, Serialize)]
struct RefundBody<'a> {
    out_trade_no: &'a str,
    out_refund_no: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    notify_url: &'a str,
    amount: RefundRequestAmount<'a>,
}

/// Answer of `POST /v3/refund/domestic/refunds`.
#[derive(Debug, Deserialize)]
struct RefundAnswer {
    out_refund_no: String,
    status: String,
}

/// The WeChat Pay API v3 client for Native payments: signs every request,
/// verifies every answer with WeChat Pay's public key before using it.
#[derive(Debug, Clone)]
pub struct WechatClient {
    api_base: String,
    cfg: Arc<WechatConfig>,
    http: reqwest::Client,
}

impl WechatClient {
    /// A client for the API at `api_base`, an origin without a version path
    /// (`https://api.mch.weixin.qq.com`, or a sandbox such as
    /// `http://127.0.0.1:8080/sandbox/wechat`); a trailing `/` is ignored.
    /// `http` should carry the caller's timeouts: the client sets none itself.
    pub fn new(api_base: impl Into<String>, cfg: Arc<WechatConfig>, http: reqwest::Client) -> WechatClient {
        let api_base = api_base.into().trim_end_matches('/').to_owned();
        WechatClient { api_base, cfg, http }
    }

    /// The configuration this client signs with.
    pub fn config(&self) -> &WechatConfig {
        &self.cfg
    }

    /// Sends one signed request and returns the answer; a 2xx answer with a
    /// body must carry valid `Wechatpay-*` signature headers. Non-2xx answers
    /// with a `{code, message}` body become [`ProviderError::Refused`] (5xx:
    /// [`ProviderError::Transport`], retrying may help), except that the codes
    /// in `pass_codes` are returned as answers for the caller to read.
    async fn send(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<String>,
        pass_codes: &[&str],
    ) -> Result<Answer, ProviderError> {
        let url = reqwest::Url::parse(&format!("{}{}", self.api_base, path_and_query))
            .map_err(|e| ProviderError::Transport(format!("bad WeChat Pay API URL: {e}")))?;
        // Sign the path exactly as it goes on the wire (including a base path such as /sandbox/wechat).
        let signed_url = match url.query() {
            Some(q) => format!("{}?{}", url.path(), q),
            None => url.path().to_owned(),
        };
        let body_text = body.unwrap_or_default();
        let nonce = random_nonce(32);
        let auth = authorization(
            &self.cfg.mchid,
            &self.cfg.cert_serial,
            &self.cfg.private_key,
            method.as_str(),
            &signed_url,
            &body_text,
            now_unix(),
            &nonce,
        )
        .map_err(|e| ProviderError::Transport(format!("could not sign the WeChat Pay request: {e}")))?;
        let mut req = self
            .http
            .request(method.clone(), url)
            .header(reqwest::header::AUTHORIZATION, auth)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, concat!("keepsim-payments/", env!("CARGO_PKG_VERSION")));
        if method != reqwest::Method::GET {
            req = req.header(reqwest::header::CONTENT_TYPE, "application/json").body(body_text);
        }
        let res = req.send().await.map_err(|e| ProviderError::Transport(e.to_string()))?;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.map_err(|e| ProviderError::Transport(e.to_string()))?.to_vec();

        if status.is_success() {
            if !bytes.is_empty() {
                self.verify_answer(&headers, &bytes)?;
            }
            return Ok(Answer { status: status.as_u16(), body: bytes });
        }
        let error: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        match error {
            Some(e) if pass_codes.contains(&e.code.as_str()) => Ok(Answer { status: status.as_u16(), body: bytes }),
            Some(e) if status.is_server_error() => {
                Err(ProviderError::Transport(format!("HTTP {}: {}: {}", status.as_u16(), e.code, e.message)))
            }
            Some(e) => Err(ProviderError::Refused { code: e.code, message: e.message }),
            None if status.is_server_error() || status.as_u16() == 429 => {
                Err(ProviderError::Transport(format!("HTTP {}", status.as_u16())))
            }
            None => {
                Err(ProviderError::BadResponse(format!("HTTP {} without a WeChat Pay error body", status.as_u16())))
            }
        }
    }

    /// Verifies the `Wechatpay-*` headers of an answer.
    fn verify_answer(&self, headers: &reqwest::header::HeaderMap, body: &[u8]) -> Result<(), ProviderError> {
        let bad = |e: VerifyError| ProviderError::BadResponse(format!("WeChat Pay answer signature: {e}"));
        let h =
            NotificationHeaders::from_lookup(|name| headers.get(name).and_then(|v| v.to_str().ok())).map_err(bad)?;
        if h.serial != self.cfg.platform_key_id {
            return Err(ProviderError::BadResponse(format!(
                "answer signed by key {:?}, expected {:?}",
                h.serial, self.cfg.platform_key_id
            )));
        }
        verify_signature(
            &h.timestamp,
            &h.nonce,
            body,
            &h.signature,
            &self.cfg.platform_public_key,
            now_unix(),
            TIMESTAMP_TOLERANCE_SECS,
        )
        .map_err(bad)
    }

    /// Reads a JSON answer body.
    fn parse<T: for<'de> Deserialize<'de>>(answer: &Answer, what: &str) -> Result<T, ProviderError> {
        serde_json::from_slice(&answer.body).map_err(|e| ProviderError::BadResponse(format!("{what}: {e}")))
    }

    /// Refuses anything but CNY: domestic WeChat Pay only takes yuan.
    fn require_cny(currency: Currency) -> Result<(), ProviderError> {
        if currency == Currency::CNY {
            Ok(())
        } else {
            Err(ProviderError::Refused {
                code: "CURRENCY_NOT_SUPPORTED".into(),
                message: format!("WeChat Pay takes CNY, not {currency}"),
            })
        }
    }
}

/// Serializes a request body; our own structs always serialize.
fn to_json<T: Serialize>(value: &T) -> Result<String, ProviderError> {
    serde_json::to_string(value).map_err(|e| ProviderError::Transport(format!("could not encode the request: {e}")))
}

#[async_trait]
impl Gateway for WechatClient {
    fn method(&self) -> Method {
        Method::Wechat
    }

    /// `POST /v3/pay/transactions/native` → `code_url`; the provider reference is our `out_trade_no`.
    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, ProviderError> {
        Self::require_cny(req.amount.currency())?;
        let body = to_json(&NativeOrder {
            appid: &self.cfg.appid,
            mchid: &self.cfg.mchid,
            description: &req.description,
            out_trade_no: &req.out_trade_no,
            notify_url: &req.notify_url,
            amount: OrderAmount { total: req.amount.amount_minor(), currency: "CNY" },
        })?;
        let answer = self.send(reqwest::Method::POST, "/v3/pay/transactions/native", Some(body), &[]).await?;
        let created: NativeOrderAnswer = Self::parse(&answer, "native order answer")?;
        if created.code_url.is_empty() {
            return Err(ProviderError::BadResponse("empty code_url".into()));
        }
        Ok(CreatedPayment {
            provider_ref: req.out_trade_no.clone(),
            client_secret: None,
            pay_url: Some(created.code_url),
        })
    }

    /// `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…`. `ORDER_NOT_EXIST` is
    /// [`PaymentStatus::Pending`]. WeChat Pay's `REFUND` state does not say how much was refunded:
    /// it is reported as `Refunded { refunded_minor: 0 }` (unknown; refund notifications carry amounts).
    async fn query(&self, _provider_ref: &str, out_trade_no: &str) -> Result<PaymentStatus, ProviderError> {
        let path = format!(
            "/v3/pay/transactions/out-trade-no/{}?mchid={}",
            encode_segment(out_trade_no),
            encode_segment(&self.cfg.mchid)
        );
        let answer = self.send(reqwest::Method::GET, &path, None, &["ORDER_NOT_EXIST"]).await?;
        if !(200..300).contains(&answer.status) {
            return Ok(PaymentStatus::Pending);
        }
        let tx: Transaction = Self::parse(&answer, "transaction")?;
        if tx.mchid != self.cfg.mchid || tx.out_trade_no != out_trade_no {
            return Err(ProviderError::BadResponse(format!(
                "answer is about trade {:?} of merchant {:?}",
                tx.out_trade_no, tx.mchid
            )));
        }
        match tx.trade_state.as_str() {
            "SUCCESS" => {
                let total = tx
                    .amount
                    .and_then(|a| a.total)
                    .ok_or_else(|| ProviderError::BadResponse("paid transaction without amount.total".into()))?;
                let provider_ref = tx
                    .transaction_id
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| ProviderError::BadResponse("paid transaction without transaction_id".into()))?;
                Ok(PaymentStatus::Paid { amount_minor: total, provider_ref })
            }
            "NOTPAY" | "USERPAYING" => Ok(PaymentStatus::Pending),
            "CLOSED" | "REVOKED" | "PAYERROR" => Ok(PaymentStatus::Closed),
            "REFUND" => Ok(PaymentStatus::Refunded { refunded_minor: 0 }),
            other => Err(ProviderError::BadResponse(format!("unknown trade_state {other:?}"))),
        }
    }

    /// `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close` → 204. A trade WeChat Pay
    /// does not know (`ORDER_NOT_EXIST`) cannot be paid, so closing it succeeds.
    async fn close(&self, _provider_ref: &str, out_trade_no: &str) -> Result<(), ProviderError> {
        let path = format!("/v3/pay/transactions/out-trade-no/{}/close", encode_segment(out_trade_no));
        let body = to_json(&CloseBody { mchid: &self.cfg.mchid })?;
        self.send(reqwest::Method::POST, &path, Some(body), &["ORDER_NOT_EXIST"]).await?;
        Ok(())
    }

    /// `POST /v3/refund/domestic/refunds`: `SUCCESS` → succeeded, `PROCESSING` → pending (the
    /// outcome arrives as a `REFUND.*` notification), `ABNORMAL`/`CLOSED` → failed.
    async fn refund(&self, req: &RefundRequest) -> Result<RefundStatus, ProviderError> {
        Self::require_cny(req.amount.currency())?;
        Self::require_cny(req.total.currency())?;
        let body = to_json(&RefundBody {
            out_trade_no: &req.out_trade_no,
            out_refund_no: &req.refund_no,
            notify_url: &req.notify_url,
            amount: RefundRequestAmount {
                refund: req.amount.amount_minor(),
                total: req.total.amount_minor(),
                currency: "CNY",
            },
        })?;
        let answer = self.send(reqwest::Method::POST, "/v3/refund/domestic/refunds", Some(body), &[]).await?;
        let refund: RefundAnswer = Self::parse(&answer, "refund answer")?;
        if refund.out_refund_no != req.refund_no {
            return Err(ProviderError::BadResponse(format!("answer is about refund {:?}", refund.out_refund_no)));
        }
        match refund.status.as_str() {
            "SUCCESS" => Ok(RefundStatus::Succeeded),
            "PROCESSING" => Ok(RefundStatus::Pending),
            "ABNORMAL" | "CLOSED" => Ok(RefundStatus::Failed(refund.status)),
            other => Err(ProviderError::BadResponse(format!("unknown refund status {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn authorization_header_parses_back() {
        let key = keys::private_key_from_pem(include_str!("../testdata/keys_test_rsa_pkcs8.pem")).unwrap();
        let h = authorization("1900000001", "SERIAL1", &key, "GET", "/v3/x?mchid=1", "", 1_700_000_000, "N1").unwrap();
        let parsed = parse_authorization(&h).unwrap();
        assert_eq!(parsed.mchid, "1900000001");
        assert_eq!(parsed.nonce_str, "N1");
        assert_eq!(parsed.timestamp, "1700000000");
        assert_eq!(parsed.serial_no, "SERIAL1");
        assert!(keys::verify_sha256_rsa(
            &RsaPublicKey::from(&key),
            request_signature_message("GET", "/v3/x?mchid=1", 1_700_000_000, "N1", "").as_bytes(),
            &parsed.signature
        ));
    }

    #[test]
    fn bad_authorization_headers_are_malformed() {
        for h in [
            "",
            "Bearer x",
            "WECHATPAY2-SHA256-RSA2048",
            "WECHATPAY2-SHA256-RSA2048mchid=\"1\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=1,nonce_str=\"a\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",mchid=\"1\",nonce_str=\"a\",signature=\"s\",timestamp=\"1\",serial_no=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\" nonce_str=\"a\",signature=\"s\",timestamp=\"1\",serial_no=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",nonce_str=\"a\",signature=\"s\",timestamp=\"1\",serial_no=\"x",
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1\",foo=\"a\",signature=\"s\",timestamp=\"1\",serial_no=\"x\"",
            "WECHATPAY2-SHA256-RSA2048 \u{4e2d}",
        ] {
            assert!(matches!(parse_authorization(h), Err(VerifyError::Malformed(_))), "{h:?}");
        }
    }

    #[test]
    fn apiv3_key_must_be_32_bytes() {
        assert!(WechatConfig::apiv3_key_from_str("0123456789abcdef0123456789abcdef").is_some());
        assert!(WechatConfig::apiv3_key_from_str("short").is_none());
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_segment("ks-01_A*"), "ks-01_A*");
        assert_eq!(encode_segment("a|b/c?"), "a%7Cb%2Fc%3F");
    }

    #[test]
    fn wrong_nonce_length_is_malformed_not_a_panic() {
        let key = [7u8; 32];
        assert!(matches!(encrypt_resource(&key, "short", "", b"x"), Err(VerifyError::Malformed(_))));
        assert!(matches!(decrypt_resource(&key, "", "", "AAAA"), Err(VerifyError::Malformed(_))));
        assert!(matches!(decrypt_resource(&key, "0123456789ab", "", "AAAA"), Err(VerifyError::Undecryptable)));
        assert!(matches!(decrypt_resource(&key, "0123456789ab", "", "!!"), Err(VerifyError::Malformed(_))));
    }
}
