//! Alipay open platform, RSA2: the signing string recipe (sorted `k=v&…` over
//! raw values), SHA256withRSA request signing, async notify verification into
//! a provider-neutral [`Notice`], response signature verification over the raw
//! `*_response` JSON text, and [`AlipayClient`] implementing [`Gateway`] with
//! `alipay.trade.precreate` / `query` / `close` / `refund`.
//!
//! Amounts at Alipay are yuan as decimal strings (`"12.50"`); they are
//! converted exactly with [`Money::parse_decimal`] / [`Money::to_decimal_string`],
//! never through floating point.

use crate::keys::{self, KeyError};
use crate::{
    CreatePayment, CreatedPayment, Gateway, Method, Notice, NoticeKind, PaymentStatus, ProviderError, Reference,
    RefundRequest, RefundStatus, VerifyError,
};
use async_trait::async_trait;
use keepsim_domain::{Currency, Money};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::time::Duration;

/// Alipay's production gateway.
pub const DEFAULT_GATEWAY: &str = "https://openapi.alipay.com/gateway.do";

/// The answer body keepsim's webhook must give a valid notify (plain text).
pub const NOTIFY_SUCCESS_BODY: &str = "success";

/// The success `code` of every Alipay API answer.
pub const CODE_SUCCESS: &str = "10000";

/// The `sub_code` Alipay answers for a trade it does not know (a precreated
/// trade exists at Alipay only once the buyer has scanned the QR code).
pub const TRADE_NOT_EXIST: &str = "ACQ.TRADE_NOT_EXIST";

/// The `sub_code` for an operation the trade's state does not allow.
pub const TRADE_STATUS_ERROR: &str = "ACQ.TRADE_STATUS_ERROR";

/// Builds Alipay's signing string: every parameter with a non-empty value,
/// except the `exclude`d keys, sorted by key (byte order), joined as
/// `k=v&k=v` with the RAW values (not URL-encoded).
///
/// Requests exclude only `sign`; async notifies exclude `sign` and `sign_type`.
pub fn signing_string(params: &BTreeMap<String, String>, exclude: &[&str]) -> String {
    let mut out = String::new();
    for (k, v) in params {
        if v.is_empty() || exclude.contains(&k.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Signs request parameters (all but `sign`) with SHA256withRSA; returns the
/// base64 signature to send as `sign`.
pub fn sign_params(params: &BTreeMap<String, String>, key: &RsaPrivateKey) -> Result<String, KeyError> {
    keys::sign_sha256_rsa(key, signing_string(params, &["sign"]).as_bytes())
}

/// Verifies the `sign` parameter of a parameter set over its signing string
/// without the `exclude`d keys (which should include `sign`). False when
/// `sign` is missing or does not verify.
pub fn verify_params(params: &BTreeMap<String, String>, exclude: &[&str], key: &RsaPublicKey) -> bool {
    match params.get("sign") {
        Some(sign) if !sign.is_empty() => {
            keys::verify_sha256_rsa(key, signing_string(params, exclude).as_bytes(), sign)
        }
        _ => false,
    }
}

/// Decodes one `application/x-www-form-urlencoded` component strictly:
/// `+` is a space, `%XX` must be two hex digits, the result must be UTF-8.
fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|c| (*c as char).to_digit(16))?;
                let lo = bytes.get(i + 2).and_then(|c| (*c as char).to_digit(16))?;
                out.push(u8::try_from(hi * 16 + lo).ok()?);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Parses an `application/x-www-form-urlencoded` body (or query string)
/// strictly: the body and every decoded component must be UTF-8, escapes must
/// be well formed and no key may appear twice (an ambiguous parameter set is
/// refused rather than guessed at). Errors are [`VerifyError::Malformed`].
pub fn parse_form(body: &[u8]) -> Result<BTreeMap<String, String>, VerifyError> {
    let text = std::str::from_utf8(body).map_err(|_| VerifyError::Malformed("form body is not UTF-8".into()))?;
    let mut map = BTreeMap::new();
    for pair in text.split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let key = form_decode(k).ok_or_else(|| VerifyError::Malformed("badly encoded form key".into()))?;
        let value = form_decode(v).ok_or_else(|| VerifyError::Malformed(format!("badly encoded value for {key:?}")))?;
        if map.contains_key(&key) {
            return Err(VerifyError::Malformed(format!("parameter {key:?} appears twice")));
        }
        map.insert(key, value);
    }
    Ok(map)
}

/// Formats a unix time as Alipay's `yyyy-MM-dd HH:mm:ss` in Beijing time
/// (UTC+8). `None` when the time is out of range.
pub fn beijing_time(unix: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).ok()?.to_offset(time::macros::offset!(+8));
    t.format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]")).ok()
}

/// Parses a yuan amount (`"12.50"`) into fen; refuses negatives.
fn yuan(text: &str, what: &str) -> Result<i64, String> {
    let m = Money::parse_decimal(text.trim(), Currency::CNY).map_err(|e| format!("{what} {text:?}: {e}"))?;
    if m.is_negative() {
        return Err(format!("{what} {text:?} is negative"));
    }
    Ok(m.amount_minor())
}

/// Verifies an Alipay async notify (the raw form body) and maps it to a [`Notice`].
///
/// The body is parsed strictly ([`parse_form`]); `sign` must verify with
/// Alipay's public key over the signing string without `sign` and `sign_type`
/// (`sign_type`, when present, must be `RSA2`); then `app_id` must be ours.
/// `trade_status` `TRADE_SUCCESS` / `TRADE_FINISHED` → [`NoticeKind::Paid`]
/// (`total_amount` in fen, CNY, `trade_no`), unless `refund_fee` > 0, which
/// makes it [`NoticeKind::Refunded`] (cumulative `refund_fee`, `out_biz_no`);
/// `WAIT_BUYER_PAY` → [`NoticeKind::NotPaid`]; `TRADE_CLOSED` → `Refunded` when
/// `refund_fee` > 0, else `NotPaid`; any other status → [`NoticeKind::Ignored`].
/// The event id is `notify_id`.
pub fn verify_notify(form_body: &[u8], app_id: &str, alipay_public_key: &RsaPublicKey) -> Result<Notice, VerifyError> {
    let params = parse_form(form_body)?;
    let sign = params.get("sign").filter(|s| !s.is_empty());
    if sign.is_none() {
        return Err(VerifyError::Malformed("notify has no sign".into()));
    }
    if let Some(sign_type) = params.get("sign_type").filter(|s| !s.is_empty() && *s != "RSA2") {
        return Err(VerifyError::Malformed(format!("unsupported sign_type {sign_type:?}")));
    }
    if !verify_params(&params, &["sign", "sign_type"], alipay_public_key) {
        return Err(VerifyError::BadSignature);
    }
    let field = |k: &str| -> Result<&str, VerifyError> {
        params
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| VerifyError::Malformed(format!("notify has no {k}")))
    };
    let notify_app = field("app_id")?;
    if notify_app != app_id {
        return Err(VerifyError::WrongMerchant(notify_app.to_owned()));
    }
    let event_id = field("notify_id")?.to_owned();
    let reference = Reference::OutTradeNo(field("out_trade_no")?.to_owned());
    let status = field("trade_status")?;
    let refund_fee = match params.get("refund_fee").filter(|v| !v.is_empty()) {
        Some(v) => yuan(v, "refund_fee").map_err(VerifyError::Malformed)?,
        None => 0,
    };
    let refunded = |reference: Reference| NoticeKind::Refunded {
        reference,
        refunded_minor: refund_fee,
        currency: Currency::CNY,
        refund_ref: params.get("out_biz_no").filter(|v| !v.is_empty()).cloned(),
    };
    let kind = match status {
        "TRADE_SUCCESS" | "TRADE_FINISHED" if refund_fee > 0 => refunded(reference),
        "TRADE_SUCCESS" | "TRADE_FINISHED" => NoticeKind::Paid {
            reference,
            amount_minor: yuan(field("total_amount")?, "total_amount").map_err(VerifyError::Malformed)?,
            currency: Currency::CNY,
            provider_ref: field("trade_no")?.to_owned(),
        },
        "WAIT_BUYER_PAY" => NoticeKind::NotPaid { reference, state: status.to_owned() },
        "TRADE_CLOSED" if refund_fee > 0 => refunded(reference),
        "TRADE_CLOSED" => NoticeKind::NotPaid { reference, state: status.to_owned() },
        other => NoticeKind::Ignored { event_type: other.to_owned() },
    };
    Ok(Notice { method: Method::Alipay, event_id, kind })
}

/// The key of a method's answer in the response JSON:
/// `alipay.trade.precreate` → `alipay_trade_precreate_response`.
pub fn response_key(method: &str) -> String {
    format!("{}_response", method.replace('.', "_"))
}

/// Skips JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (exclusive) of the JSON string starting at `i` (which must be `"`).
fn scan_string(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The end (exclusive) of the JSON value starting at `i`.
fn scan_value(b: &[u8], mut i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => scan_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match b.get(i)? {
                    b'"' => i = scan_string(b, i)?,
                    b'{' | b'[' => {
                        depth += 1;
                        i += 1;
                    }
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        i += 1;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => i += 1,
                }
            }
        }
        _ => {
            let start = i;
            while !matches!(b.get(i), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

/// The members of a top-level JSON object as (decoded key, byte range of the
/// raw value text). `None` when the text is not a well-formed object.
fn top_level_members(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut members = Vec::new();
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then_some(members);
    }
    loop {
        let key_end = scan_string(b, i)?;
        let key: String = serde_json::from_str(text.get(i..key_end)?).ok()?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = scan_value(b, start)?;
        members.push((key, start..end));
        i = skip_ws(b, end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => return (skip_ws(b, i + 1) == b.len()).then_some(members),
            _ => return None,
        }
    }
}

/// A verified Alipay API answer.
#[derive(Debug, Clone)]
struct Answer {
    /// `code` (`10000` is success).
    code: String,
    /// `msg`.
    msg: String,
    /// `sub_code`, when present.
    sub_code: Option<String>,
    /// `sub_msg`, when present.
    sub_msg: Option<String>,
    /// The whole `*_response` object.
    body: Value,
}

impl Answer {
    /// The refusal this answer amounts to: `sub_code`/`sub_msg`, else `code`/`msg`.
    fn refusal(&self) -> ProviderError {
        ProviderError::Refused {
            code: self.sub_code.clone().unwrap_or_else(|| self.code.clone()),
            message: self.sub_msg.clone().unwrap_or_else(|| self.msg.clone()),
        }
    }

    /// A string field of the answer.
    fn str(&self, key: &str) -> Option<&str> {
        self.body.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
    }

    /// A required string field of the answer.
    fn need(&self, key: &str) -> Result<&str, ProviderError> {
        self.str(key).ok_or_else(|| ProviderError::BadResponse(format!("answer has no {key}")))
    }
}

/// Opens an Alipay answer body: finds the method's `*_response` member (or
/// `error_response`), verifies `sign` over its raw text exactly as it appears
/// in the body, and reads `code`/`msg`/`sub_code`/`sub_msg`. An unsigned answer
/// is accepted only when it is a failure (Alipay does not sign some gateway
/// errors); an unsigned success is refused.
fn open_answer(body: &[u8], method: &str, alipay_public_key: &RsaPublicKey) -> Result<Answer, ProviderError> {
    let text = std::str::from_utf8(body).map_err(|_| ProviderError::BadResponse("answer is not UTF-8".into()))?;
    let members =
        top_level_members(text).ok_or_else(|| ProviderError::BadResponse("answer is not a JSON object".into()))?;
    let wanted = response_key(method);
    let find = |k: &str| members.iter().find(|(key, _)| key == k).map(|(_, r)| r.clone());
    let range = find(&wanted)
        .or_else(|| find("error_response"))
        .ok_or_else(|| ProviderError::BadResponse(format!("answer has no {wanted}")))?;
    let raw = text.get(range).ok_or_else(|| ProviderError::BadResponse("answer is cut".into()))?;
    let sign: Option<String> = match find("sign").and_then(|r| text.get(r)) {
        Some(raw_sign) => Some(
            serde_json::from_str(raw_sign)
                .map_err(|_| ProviderError::BadResponse("answer sign is not a string".into()))?,
        ),
        None => None,
    };
    let value: Value =
        serde_json::from_str(raw).map_err(|e| ProviderError::BadResponse(format!("{wanted} is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(ProviderError::BadResponse(format!("{wanted} is not an object")));
    }
    let get = |k: &str| value.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let code = get("code").ok_or_else(|| ProviderError::BadResponse("answer has no code".into()))?;
    match sign.as_deref().filter(|s| !s.is_empty()) {
        Some(sign) if !keys::verify_sha256_rsa(alipay_public_key, raw.as_bytes(), sign) => {
            return Err(ProviderError::BadResponse("answer signature does not verify".into()));
        }
        None if code == CODE_SUCCESS => {
            return Err(ProviderError::BadResponse("successful answer is not signed".into()));
        }
        _ => {}
    }
    Ok(Answer {
        msg: get("msg").unwrap_or_default(),
        sub_code: get("sub_code"),
        sub_msg: get("sub_msg"),
        code,
        body: value,
    })
}

/// The Alipay open platform API client (RSA2).
#[derive(Clone)]
pub struct AlipayClient {
    /// The full gateway URL, e.g. `https://openapi.alipay.com/gateway.do`.
    gateway: String,
    /// Our app id.
    app_id: String,
    /// Our private key: signs requests.
    private_key: RsaPrivateKey,
    /// Alipay's public key: verifies answers and notifies.
    alipay_public_key: RsaPublicKey,
    /// The HTTP client.
    http: reqwest::Client,
}

impl fmt::Debug for AlipayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlipayClient")
            .field("gateway", &self.gateway)
            .field("app_id", &self.app_id)
            .field("private_key", &"<redacted>")
            .field("alipay_public_key", &"<redacted>")
            .finish()
    }
}

impl AlipayClient {
    /// A client for the gateway URL (e.g. [`DEFAULT_GATEWAY`]) with its own HTTP client (30 s timeout).
    pub fn new(
        gateway: impl Into<String>,
        app_id: impl Into<String>,
        private_key: RsaPrivateKey,
        alipay_public_key: RsaPublicKey,
    ) -> Result<AlipayClient, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ProviderError::Transport(format!("cannot build HTTP client: {e}")))?;
        Ok(AlipayClient::with_http(gateway, app_id, private_key, alipay_public_key, http))
    }

    /// A client sharing an existing HTTP client.
    pub fn with_http(
        gateway: impl Into<String>,
        app_id: impl Into<String>,
        private_key: RsaPrivateKey,
        alipay_public_key: RsaPublicKey,
        http: reqwest::Client,
    ) -> AlipayClient {
        AlipayClient { gateway: gateway.into(), app_id: app_id.into(), private_key, alipay_public_key, http }
    }

    /// Our app id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// Alipay's public key, for [`verify_notify`].
    pub fn alipay_public_key(&self) -> &RsaPublicKey {
        &self.alipay_public_key
    }

    /// Verifies a notify for this client's app id with this client's Alipay public key.
    pub fn verify_notify(&self, form_body: &[u8]) -> Result<Notice, VerifyError> {
        verify_notify(form_body, &self.app_id, &self.alipay_public_key)
    }

    /// Builds the signed parameter set of a call: the common parameters
    /// (`app_id`, `method`, `format=JSON`, `charset=utf-8`, `sign_type=RSA2`,
    /// `timestamp`, `version=1.0`, `notify_url` when given), `biz_content`
    /// and `sign` over all of them but `sign`. `timestamp` is Alipay's
    /// `yyyy-MM-dd HH:mm:ss` in Beijing time.
    pub fn signed_params(
        &self,
        method: &str,
        biz_content: &Value,
        notify_url: Option<&str>,
        timestamp: &str,
    ) -> Result<BTreeMap<String, String>, KeyError> {
        let mut params = BTreeMap::new();
        params.insert("app_id".to_owned(), self.app_id.clone());
        params.insert("method".to_owned(), method.to_owned());
        params.insert("format".to_owned(), "JSON".to_owned());
        params.insert("charset".to_owned(), "utf-8".to_owned());
        params.insert("sign_type".to_owned(), "RSA2".to_owned());
        params.insert("timestamp".to_owned(), timestamp.to_owned());
        params.insert("version".to_owned(), "1.0".to_owned());
        if let Some(url) = notify_url.filter(|u| !u.is_empty()) {
            params.insert("notify_url".to_owned(), url.to_owned());
        }
        params.insert("biz_content".to_owned(), biz_content.to_string());
        let sign = sign_params(&params, &self.private_key)?;
        params.insert("sign".to_owned(), sign);
        Ok(params)
    }

    /// Calls a method and returns its verified answer (whatever its code).
    async fn call(&self, method: &str, biz_content: Value, notify_url: Option<&str>) -> Result<Answer, ProviderError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let timestamp =
            beijing_time(now).ok_or_else(|| ProviderError::Transport("system clock out of range".into()))?;
        let params = self
            .signed_params(method, &biz_content, notify_url, &timestamp)
            .map_err(|e| ProviderError::Transport(format!("cannot sign the request: {e}")))?;
        let body = serde_urlencoded::to_string(&params)
            .map_err(|e| ProviderError::Transport(format!("cannot encode the request: {e}")))?;
        let res = self
            .http
            .post(&self.gateway)
            .header("content-type", "application/x-www-form-urlencoded;charset=utf-8")
            .body(body)
            .send()
            .await
            .map_err(|e| ProviderError::Transport(e.without_url().to_string()))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| ProviderError::Transport(e.without_url().to_string()))?;
        if status.is_server_error() {
            return Err(ProviderError::Transport(format!("HTTP {}", status.as_u16())));
        }
        if !status.is_success() {
            return Err(ProviderError::BadResponse(format!("HTTP {}", status.as_u16())));
        }
        open_answer(&bytes, method, &self.alipay_public_key)
    }

    /// Calls a method and insists on `code` 10000.
    async fn call_ok(
        &self,
        method: &str,
        biz_content: Value,
        notify_url: Option<&str>,
    ) -> Result<Answer, ProviderError> {
        let answer = self.call(method, biz_content, notify_url).await?;
        if answer.code == CODE_SUCCESS { Ok(answer) } else { Err(answer.refusal()) }
    }

    /// Queries a trade by our `out_trade_no`.
    async fn query_trade(&self, out_trade_no: &str) -> Result<PaymentStatus, ProviderError> {
        let answer = self.call("alipay.trade.query", serde_json::json!({ "out_trade_no": out_trade_no }), None).await?;
        if answer.code != CODE_SUCCESS {
            if answer.sub_code.as_deref() == Some(TRADE_NOT_EXIST) {
                // A precreated trade exists at Alipay only once the buyer has scanned it.
                return Ok(PaymentStatus::Pending);
            }
            return Err(answer.refusal());
        }
        if let Some(echo) = answer.str("out_trade_no").filter(|echo| *echo != out_trade_no) {
            return Err(ProviderError::BadResponse(format!("answer is about trade {echo:?}")));
        }
        Ok(match answer.need("trade_status")? {
            "TRADE_SUCCESS" | "TRADE_FINISHED" => PaymentStatus::Paid {
                amount_minor: yuan(answer.need("total_amount")?, "total_amount").map_err(ProviderError::BadResponse)?,
                provider_ref: answer.need("trade_no")?.to_owned(),
            },
            "WAIT_BUYER_PAY" => PaymentStatus::Pending,
            "TRADE_CLOSED" => PaymentStatus::Closed,
            other => return Err(ProviderError::BadResponse(format!("unknown trade_status {other:?}"))),
        })
    }
}

/// Refuses non-CNY amounts before they reach Alipay.
fn cny(amount: &Money) -> Result<String, ProviderError> {
    if amount.currency() != Currency::CNY {
        return Err(ProviderError::Refused {
            code: "keepsim.unsupported_currency".into(),
            message: format!("Alipay amounts are CNY, not {}", amount.currency()),
        });
    }
    Ok(amount.to_decimal_string())
}

#[async_trait]
impl Gateway for AlipayClient {
    fn method(&self) -> Method {
        Method::Alipay
    }

    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, ProviderError> {
        let total_amount = cny(&req.amount)?;
        let mut subject: String = req.description.chars().take(256).collect();
        if subject.trim().is_empty() {
            subject = format!("keepsim {}", req.order_id);
        }
        let biz = serde_json::json!({
            "out_trade_no": req.out_trade_no,
            "total_amount": total_amount,
            "subject": subject,
        });
        let answer = self.call_ok("alipay.trade.precreate", biz, Some(&req.notify_url)).await?;
        Ok(CreatedPayment {
            provider_ref: req.out_trade_no.clone(),
            client_secret: None,
            pay_url: Some(answer.need("qr_code")?.to_owned()),
        })
    }

    async fn query(&self, _provider_ref: &str, out_trade_no: &str) -> Result<PaymentStatus, ProviderError> {
        self.query_trade(out_trade_no).await
    }

    async fn close(&self, _provider_ref: &str, out_trade_no: &str) -> Result<(), ProviderError> {
        let answer = self.call("alipay.trade.close", serde_json::json!({ "out_trade_no": out_trade_no }), None).await?;
        if answer.code == CODE_SUCCESS {
            return Ok(());
        }
        match answer.sub_code.as_deref() {
            // Never scanned: nothing exists at Alipay that could be paid.
            Some(TRADE_NOT_EXIST) => Ok(()),
            // Already closed is what we wanted; paid is a real refusal.
            Some(TRADE_STATUS_ERROR) => match self.query_trade(out_trade_no).await? {
                PaymentStatus::Closed => Ok(()),
                _ => Err(answer.refusal()),
            },
            _ => Err(answer.refusal()),
        }
    }

    async fn refund(&self, req: &RefundRequest) -> Result<RefundStatus, ProviderError> {
        let biz = serde_json::json!({
            "out_trade_no": req.out_trade_no,
            "refund_amount": cny(&req.amount)?,
            "out_request_no": req.refund_no,
        });
        let answer = self.call("alipay.trade.refund", biz, None).await?;
        if answer.code == CODE_SUCCESS {
            // fund_change "N" on a replayed out_request_no: the first request already moved the money.
            return Ok(RefundStatus::Succeeded);
        }
        // 40004 is a business refusal; system errors (20000, ACQ.SYSTEM_ERROR) may succeed on retry.
        if answer.code == "40004" && answer.sub_code.as_deref() != Some("ACQ.SYSTEM_ERROR") {
            let sub_code = answer.sub_code.clone().unwrap_or_else(|| answer.code.clone());
            let sub_msg = answer.sub_msg.clone().unwrap_or_else(|| answer.msg.clone());
            return Ok(RefundStatus::Failed(format!("{sub_code}: {sub_msg}")));
        }
        Err(answer.refusal())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PKCS1: &str = include_str!("../testdata/keys_test_rsa_pkcs1.pem");
    const SPKI: &str = include_str!("../testdata/keys_test_rsa_spki.pub");
    const OTHER: &str = include_str!("../testdata/keys_test_rsa2_pkcs8.pem");
    const APP: &str = "2021000000000001";

    fn key() -> RsaPrivateKey {
        keys::private_key_from_pem(PKCS1).unwrap()
    }

    fn public() -> RsaPublicKey {
        keys::public_key_from_pem(SPKI).unwrap()
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn signing_string_recipe() {
        let p = map(&[("b", "2"), ("a", "x y&z"), ("sign", "S"), ("sign_type", "RSA2"), ("empty", ""), ("B", "1")]);
        assert_eq!(signing_string(&p, &["sign"]), "B=1&a=x y&z&b=2&sign_type=RSA2");
        assert_eq!(signing_string(&p, &["sign", "sign_type"]), "B=1&a=x y&z&b=2");
        assert_eq!(signing_string(&BTreeMap::new(), &[]), "");
    }

    /// Produced by Alipay's official Python SDK (alipay-sdk-python 3.7.1411,
    /// `get_sign_content` and `sign_with_rsa2`) with `testdata/alipay_kat.py`.
    const SDK_REQUEST_SIGN_CONTENT: &str = "app_id=2021000000000001&biz_content={\"out_trade_no\":\"ks_20240501_0001\",\"subject\":\"keepsim 日本 5GB 7天 eSIM\",\"total_amount\":\"12.50\"}&charset=utf-8&format=JSON&method=alipay.trade.precreate&notify_url=https://keepsim.example/webhooks/alipay?x=1&y=2&sign_type=RSA2&timestamp=2024-05-01 12:30:45&version=1.0";
    const SDK_REQUEST_SIGN: &str = "gHFUIjVp3fDQNl2YdVC1vVu3yJ0EvU3T0Lf33tfHLievwDKw1Yz8Mmpwu9e36qbrfJEiLeEFnuIQvJs71JOjl3Ev0hwBUtXnwwOjhSuUqGhUM86+AgKm0CJWomBasSkacv7p3zJ6hLTXlEnYm0L/0fxECas8E20XddI7px3+ydq25bqobJAfHroWYxDj/8566x/ylMZkui1bEzPvRB7wVgJwri45WiUU9B++Sd7Vxaz6tq9z62kT9NNwdVjzJ6sLgrDu6ysRv45MDKlq+a7mNU+i+itps0dDLvWH4oBR6woa/mstVYbGaHIJw3F4ByJ4VFgYabF0pxwpOWo/ATL5Bw==";
    const SDK_NOTIFY_SIGN: &str = "LSt62xd4y227hLBYNkp9MwhvK6HXqcobpuRfVIBM+u70UC2Uh3UrfzfoqQBe7KIeIGjuJuE9gTxNGT/Ax7akt6yCotuagYnRWIVEMc+M3AYSV+PF2Q5yPQqTdkHdtw2rvMowYyr0r40MlwwAewsE7N3KpISpGAvEbZ0Go7M+iCox0jyOCW20TWbmadnH2LsmHqMU7b4rQMYxafXc5OY1vy16bXGH6mv9joEEE1zuseZ1sno4Gylyps4KdrIuzwg0SCHZaXsadmmsehmKqmJp+gJ60LcRz00RMRl4Tatb3RVXdLFIKT1h/3uYBwUOOZs1NO4z2QoFGK6JsvXLR3HdcA==";

    fn kat_request() -> BTreeMap<String, String> {
        map(&[
            ("app_id", APP),
            ("method", "alipay.trade.precreate"),
            ("format", "JSON"),
            ("charset", "utf-8"),
            ("sign_type", "RSA2"),
            ("timestamp", "2024-05-01 12:30:45"),
            ("version", "1.0"),
            ("notify_url", "https://keepsim.example/webhooks/alipay?x=1&y=2"),
            (
                "biz_content",
                r#"{"out_trade_no":"ks_20240501_0001","subject":"keepsim 日本 5GB 7天 eSIM","total_amount":"12.50"}"#,
            ),
        ])
    }

    #[test]
    fn signature_is_byte_identical_to_the_official_sdk() {
        let mut params = kat_request();
        assert_eq!(signing_string(&params, &["sign"]), SDK_REQUEST_SIGN_CONTENT);
        assert_eq!(sign_params(&params, &key()).unwrap(), SDK_REQUEST_SIGN);
        // The same key as PKCS#8 signs the same bytes.
        let pkcs8 = keys::private_key_from_pem(include_str!("../testdata/keys_test_rsa_pkcs8.pem")).unwrap();
        assert_eq!(sign_params(&params, &pkcs8).unwrap(), SDK_REQUEST_SIGN);
        // A `sign` already in the set is not signed over; the client builds the same set.
        params.insert("sign".into(), SDK_REQUEST_SIGN.into());
        assert!(verify_params(&params, &["sign"], &public()));
        let client = AlipayClient::with_http("http://gw", APP, key(), public(), reqwest::Client::new());
        let biz: Value = serde_json::from_str(&params["biz_content"]).unwrap();
        let built = client
            .signed_params(
                "alipay.trade.precreate",
                &biz,
                Some("https://keepsim.example/webhooks/alipay?x=1&y=2"),
                "2024-05-01 12:30:45",
            )
            .unwrap();
        assert_eq!(built, params);
    }

    fn notify_params() -> BTreeMap<String, String> {
        map(&[
            ("notify_time", "2024-05-01 12:31:02"),
            ("notify_type", "trade_status_sync"),
            ("notify_id", "2024050100222123102012345678901234"),
            ("app_id", APP),
            ("charset", "utf-8"),
            ("version", "1.0"),
            ("trade_no", "2024050122001412345678901234"),
            ("out_trade_no", "ks_20240501_0001"),
            ("trade_status", "TRADE_SUCCESS"),
            ("total_amount", "12.50"),
            ("receipt_amount", "12.50"),
            ("subject", "keepsim 日本 5GB 7天 eSIM"),
            ("gmt_payment", "2024-05-01 12:31:01"),
        ])
    }

    fn form(p: &BTreeMap<String, String>) -> Vec<u8> {
        serde_urlencoded::to_string(p).unwrap().into_bytes()
    }

    /// Signs a notify as Alipay does (without sign and sign_type) with `k`.
    fn signed_notify(mut p: BTreeMap<String, String>, k: &RsaPrivateKey) -> BTreeMap<String, String> {
        p.remove("sign");
        p.insert("sign_type".into(), "RSA2".into());
        let sign = keys::sign_sha256_rsa(k, signing_string(&p, &["sign", "sign_type"]).as_bytes()).unwrap();
        p.insert("sign".into(), sign);
        p
    }

    fn paid() -> NoticeKind {
        NoticeKind::Paid {
            reference: Reference::OutTradeNo("ks_20240501_0001".into()),
            amount_minor: 1250,
            currency: Currency::CNY,
            provider_ref: "2024050122001412345678901234".into(),
        }
    }

    #[test]
    fn notify_signed_by_the_official_sdk_verifies() {
        let mut p = notify_params();
        p.insert("sign".into(), SDK_NOTIFY_SIGN.into());
        p.insert("sign_type".into(), "RSA2".into());
        let n = verify_notify(&form(&p), APP, &public()).unwrap();
        assert_eq!(n.method, Method::Alipay);
        assert_eq!(n.event_id, "2024050100222123102012345678901234");
        assert_eq!(n.kind, paid());
        // Our own signature of the same notify is the SDK's, byte for byte.
        assert_eq!(signed_notify(notify_params(), &key())["sign"], SDK_NOTIFY_SIGN);
    }

    #[test]
    fn tampered_notifies_are_refused() {
        let good = signed_notify(notify_params(), &key());
        assert_eq!(verify_notify(&form(&good), APP, &public()).unwrap().kind, paid());

        let mut amount = good.clone();
        amount.insert("total_amount".into(), "0.01".into());
        assert_eq!(verify_notify(&form(&amount), APP, &public()), Err(VerifyError::BadSignature));

        let mut app = good.clone();
        app.insert("app_id".into(), "2021000000000002".into());
        assert_eq!(verify_notify(&form(&app), APP, &public()), Err(VerifyError::BadSignature));
        // Correctly signed, but for another app.
        let other_app = signed_notify(app, &key());
        assert_eq!(
            verify_notify(&form(&other_app), APP, &public()),
            Err(VerifyError::WrongMerchant("2021000000000002".into()))
        );

        let other_key = keys::private_key_from_pem(OTHER).unwrap();
        let forged = signed_notify(notify_params(), &other_key);
        assert_eq!(verify_notify(&form(&forged), APP, &public()), Err(VerifyError::BadSignature));

        let mut unsigned = good.clone();
        unsigned.remove("sign");
        assert!(matches!(verify_notify(&form(&unsigned), APP, &public()), Err(VerifyError::Malformed(_))));

        let mut added = good.clone();
        added.insert("refund_fee".into(), "12.50".into());
        assert_eq!(verify_notify(&form(&added), APP, &public()), Err(VerifyError::BadSignature));

        let mut rsa1 = good.clone();
        rsa1.insert("sign_type".into(), "RSA".into());
        assert!(matches!(verify_notify(&form(&rsa1), APP, &public()), Err(VerifyError::Malformed(_))));

        // A duplicated parameter is ambiguous.
        let mut dup = form(&good);
        dup.extend_from_slice(b"&total_amount=0.01");
        assert!(matches!(verify_notify(&dup, APP, &public()), Err(VerifyError::Malformed(_))));
    }

    #[test]
    fn malformed_bodies_never_panic() {
        for body in [&b""[..], b"\xff\xfe=1", b"sign=%zz", b"a=%e4%b8", b"%", b"=&=&&", b"sign=abc&sign_type=RSA2"] {
            assert!(verify_notify(body, APP, &public()).is_err(), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn notify_states() {
        let with = |pairs: &[(&str, &str)], drop: &[&str]| {
            let mut p = notify_params();
            for k in drop {
                p.remove(*k);
            }
            for (k, v) in pairs {
                p.insert((*k).into(), (*v).into());
            }
            verify_notify(&form(&signed_notify(p, &key())), APP, &public()).unwrap().kind
        };
        let r = || Reference::OutTradeNo("ks_20240501_0001".into());
        assert_eq!(with(&[("trade_status", "TRADE_FINISHED")], &[]), paid());
        assert_eq!(
            with(&[("refund_fee", "2.00"), ("out_biz_no", "rf_1"), ("gmt_refund", "2024-05-02 10:00:00")], &[]),
            NoticeKind::Refunded {
                reference: r(),
                refunded_minor: 200,
                currency: Currency::CNY,
                refund_ref: Some("rf_1".into())
            }
        );
        assert_eq!(with(&[("refund_fee", "0.00")], &[]), paid());
        assert_eq!(
            with(&[("trade_status", "WAIT_BUYER_PAY")], &["trade_no"]),
            NoticeKind::NotPaid { reference: r(), state: "WAIT_BUYER_PAY".into() }
        );
        assert_eq!(
            with(&[("trade_status", "TRADE_CLOSED")], &[]),
            NoticeKind::NotPaid { reference: r(), state: "TRADE_CLOSED".into() }
        );
        assert_eq!(
            with(&[("trade_status", "TRADE_CLOSED"), ("refund_fee", "12.50")], &[]),
            NoticeKind::Refunded { reference: r(), refunded_minor: 1250, currency: Currency::CNY, refund_ref: None }
        );
        assert_eq!(
            with(&[("trade_status", "SOMETHING_NEW")], &[]),
            NoticeKind::Ignored { event_type: "SOMETHING_NEW".into() }
        );
        // Bad amounts are malformed, never floats.
        for bad in ["12.505", "-1.00", "1e3", "abc"] {
            let mut p = notify_params();
            p.insert("total_amount".into(), bad.into());
            let r = verify_notify(&form(&signed_notify(p, &key())), APP, &public());
            assert!(matches!(r, Err(VerifyError::Malformed(_))), "{bad}: {r:?}");
        }
    }

    #[test]
    fn beijing_time_format() {
        assert_eq!(beijing_time(0).as_deref(), Some("1970-01-01 08:00:00"));
        assert_eq!(beijing_time(1_714_537_845).as_deref(), Some("2024-05-01 12:30:45"));
        assert_eq!(beijing_time(i64::MAX), None);
    }

    fn signed_answer(key_name: &str, raw: &str, k: &RsaPrivateKey) -> String {
        let sign = keys::sign_sha256_rsa(k, raw.as_bytes()).unwrap();
        format!("{{\"{key_name}\":{raw},\"sign\":\"{sign}\"}}")
    }

    #[test]
    fn answers_are_verified_over_the_raw_text() {
        // Unusual spacing, escapes, braces inside strings and non-ASCII are kept byte for byte.
        let raw = "{ \"code\" : \"10000\",\"msg\":\"Success\",\"qr_code\":\"https://qr/x?a={b}&c=\\\"d\\\"\" ,\"n\":[1,{\"x\":\"中\"}]}";
        let body = signed_answer("alipay_trade_precreate_response", raw, &key());
        let a = open_answer(body.as_bytes(), "alipay.trade.precreate", &public()).unwrap();
        assert_eq!(a.code, "10000");
        assert_eq!(a.str("qr_code"), Some("https://qr/x?a={b}&c=\"d\""));
        // Sign first, whitespace around.
        let sign = keys::sign_sha256_rsa(&key(), raw.as_bytes()).unwrap();
        let body2 = format!(" {{ \"sign\" : \"{sign}\" ,\n \"alipay_trade_precreate_response\" : {raw} }} ");
        assert!(open_answer(body2.as_bytes(), "alipay.trade.precreate", &public()).is_ok());
        // Re-serialized text does not verify.
        let reserialized = format!(
            "{{\"alipay_trade_precreate_response\":{},\"sign\":\"{sign}\"}}",
            serde_json::to_string(&serde_json::from_str::<Value>(raw).unwrap()).unwrap()
        );
        assert!(matches!(
            open_answer(reserialized.as_bytes(), "alipay.trade.precreate", &public()),
            Err(ProviderError::BadResponse(_))
        ));
        // Another key's signature does not verify.
        let forged = signed_answer("alipay_trade_precreate_response", raw, &keys::private_key_from_pem(OTHER).unwrap());
        assert!(open_answer(forged.as_bytes(), "alipay.trade.precreate", &public()).is_err());
        // Unsigned success is refused; unsigned failure is a refusal.
        let unsigned = format!("{{\"alipay_trade_precreate_response\":{raw}}}");
        assert!(matches!(
            open_answer(unsigned.as_bytes(), "alipay.trade.precreate", &public()),
            Err(ProviderError::BadResponse(_))
        ));
        let err = r#"{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature","sub_msg":"验签出错"}}"#;
        let a = open_answer(err.as_bytes(), "alipay.trade.precreate", &public()).unwrap();
        assert!(matches!(a.refusal(), ProviderError::Refused { code, .. } if code == "isv.invalid-signature"));
        for junk in ["", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":\"x}", "{}x", "\u{0}"] {
            assert!(open_answer(junk.as_bytes(), "alipay.trade.query", &public()).is_err(), "{junk:?}");
        }
    }

    #[test]
    fn debug_hides_keys() {
        let c = AlipayClient::with_http("http://gw", APP, key(), public(), reqwest::Client::new());
        let d = format!("{c:?}");
        assert!(d.contains("redacted") && !d.contains("RsaPrivateKey") && !d.contains("BigUint"), "{d}");
    }
}
