//! The WeChat Pay API v3 stand-in: serves the endpoints [`crate::wechat::WechatClient`]
//! calls at their real paths, checks each request's `WECHATPAY2-SHA256-RSA2048`
//! Authorization header against the merchant's public key as WeChat Pay does,
//! signs every answer with the "platform" key (`Wechatpay-*` headers), keeps
//! trades and refunds in memory, and builds WeChat Pay's signed, AES-GCM
//! encrypted `TRANSACTION.SUCCESS` / `REFUND.*` notifications.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rand::Rng as _;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Delivery, SandboxError};
use crate::keys;
use crate::wechat::{
    AUTH_SCHEME, HEADER_NONCE, HEADER_SERIAL, HEADER_SIGNATURE, HEADER_SIGNATURE_TYPE, HEADER_TIMESTAMP,
    RESOURCE_ALGORITHM, TIMESTAMP_TOLERANCE_SECS, encrypt_resource, parse_authorization, random_nonce,
    response_signature_message,
};

/// The sandbox payer's openid.
const SANDBOX_OPENID: &str = "oKeepsimSandboxPayer0000000";

/// A trade's state, in WeChat Pay's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TradeState {
    NotPay,
    Success,
    Closed,
    Refund,
}

impl TradeState {
    fn as_str(self) -> &'static str {
        match self {
            TradeState::NotPay => "NOTPAY",
            TradeState::Success => "SUCCESS",
            TradeState::Closed => "CLOSED",
            TradeState::Refund => "REFUND",
        }
    }

    fn description(self) -> &'static str {
        match self {
            TradeState::NotPay => "订单未支付",
            TradeState::Success => "支付成功",
            TradeState::Closed => "订单已关闭",
            TradeState::Refund => "订单发生过退款",
        }
    }

    fn is_paid(self) -> bool {
        matches!(self, TradeState::Success | TradeState::Refund)
    }
}

/// A Native trade.
#[derive(Debug, Clone)]
struct Trade {
    appid: String,
    total: i64,
    notify_url: String,
    code_url: String,
    state: TradeState,
    transaction_id: Option<String>,
    success_time: Option<String>,
    /// The id of the `TRANSACTION.SUCCESS` notification, reused when it is sent again.
    notification_id: Option<String>,
}

/// A refund's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefundState {
    Processing,
    Success,
    Abnormal,
}

impl RefundState {
    fn as_str(self) -> &'static str {
        match self {
            RefundState::Processing => "PROCESSING",
            RefundState::Success => "SUCCESS",
            RefundState::Abnormal => "ABNORMAL",
        }
    }
}

/// A refund of (part of) a trade.
#[derive(Debug, Clone)]
struct Refund {
    out_trade_no: String,
    refund_id: String,
    refund: i64,
    notify_url: String,
    state: RefundState,
    create_time: String,
    success_time: Option<String>,
    notification_id: Option<String>,
}

/// Trades by `out_trade_no` and refunds by `out_refund_no`.
#[derive(Debug, Default)]
struct Ledger {
    trades: HashMap<String, Trade>,
    refunds: HashMap<String, Refund>,
}

/// The WeChat Pay stand-in. `Debug` hides its keys.
pub struct WechatSandbox {
    mchid: String,
    appid: String,
    apiv3_key: [u8; 32],
    platform_private_key: RsaPrivateKey,
    platform_key_id: String,
    merchant_public_key: RsaPublicKey,
    merchant_cert_serial: String,
    ledger: Mutex<Ledger>,
}

impl std::fmt::Debug for WechatSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WechatSandbox")
            .field("mchid", &self.mchid)
            .field("appid", &self.appid)
            .field("apiv3_key", &"<redacted>")
            .field("platform_private_key", &"<redacted>")
            .field("platform_key_id", &self.platform_key_id)
            .field("merchant_cert_serial", &self.merchant_cert_serial)
            .finish_non_exhaustive()
    }
}

/// An error answer: HTTP status, WeChat Pay code, message.
type ApiError = (StatusCode, &'static str, String);

/// The current Unix time in seconds.
fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A Unix time as WeChat Pay writes times: RFC 3339 in Beijing time (`2024-05-20T13:29:35+08:00`).
fn beijing_time(unix: i64) -> Result<String, SandboxError> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|e| SandboxError::Signing(format!("time {unix} out of range: {e}")))?
        .to_offset(time::macros::offset!(+8));
    t.format(&time::format_description::well_known::Rfc3339).map_err(|e| SandboxError::Signing(e.to_string()))
}

/// A random string of `len` decimal digits.
fn random_digits(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// WeChat Pay's rule for `out_trade_no`: 6 to 32 of `0-9 a-z A-Z _ - | *`.
fn valid_out_trade_no(s: &str) -> bool {
    (6..=32).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*'))
}

/// WeChat Pay's rule for `out_refund_no`: 1 to 64 of `0-9 a-z A-Z _ - | * @`.
fn valid_out_refund_no(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*' | b'@'))
}

/// A `notify_url` WeChat Pay would accept (the sandbox also allows plain http).
fn valid_notify_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && s.len() <= 256 && !s.contains(char::is_whitespace)
}

/// A 400 `PARAM_ERROR`.
fn param_error(message: impl Into<String>) -> ApiError {
    (StatusCode::BAD_REQUEST, "PARAM_ERROR", message.into())
}

impl WechatSandbox {
    /// A sandbox for merchant `mchid` / app `appid` with APIv3 key `apiv3_key`.
    /// `platform_private_key` signs answers and notifications, named by
    /// `platform_key_id` (a `PUB_KEY_ID_…`) in `Wechatpay-Serial`;
    /// `merchant_public_key` and `merchant_cert_serial` check our requests.
    pub fn new(
        mchid: impl Into<String>,
        appid: impl Into<String>,
        apiv3_key: [u8; 32],
        platform_private_key: RsaPrivateKey,
        platform_key_id: impl Into<String>,
        merchant_public_key: RsaPublicKey,
        merchant_cert_serial: impl Into<String>,
    ) -> WechatSandbox {
        WechatSandbox {
            mchid: mchid.into(),
            appid: appid.into(),
            apiv3_key,
            platform_private_key,
            platform_key_id: platform_key_id.into(),
            merchant_public_key,
            merchant_cert_serial: merchant_cert_serial.into(),
            ledger: Mutex::new(Ledger::default()),
        }
    }

    /// The ledger; a panic elsewhere while it was held leaves it usable.
    fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether the sandbox knows the trade.
    pub fn find(&self, out_trade_no: &str) -> bool {
        self.ledger().trades.contains_key(out_trade_no)
    }

    /// The trade's state word (`NOTPAY`, `SUCCESS`, `CLOSED`, `REFUND`), if the trade exists.
    pub fn trade_state(&self, out_trade_no: &str) -> Option<&'static str> {
        self.ledger().trades.get(out_trade_no).map(|t| t.state.as_str())
    }

    /// The customer pays: the trade becomes `SUCCESS` and WeChat Pay's
    /// `TRANSACTION.SUCCESS` notification is built for its `notify_url`.
    /// Paying a paid trade again rebuilds the notification with the same id
    /// (as WeChat Pay's retries do); a closed or refunded trade cannot be paid.
    pub fn pay(&self, out_trade_no: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let success_time = beijing_time(now_unix)?;
        let (trade, event_id) = {
            let mut ledger = self.ledger();
            let trade =
                ledger.trades.get_mut(out_trade_no).ok_or_else(|| SandboxError::UnknownPayment(out_trade_no.into()))?;
            match trade.state {
                TradeState::NotPay => {
                    trade.state = TradeState::Success;
                    trade.transaction_id = Some(format!("4200{}", random_digits(24)));
                    trade.success_time = Some(success_time);
                }
                TradeState::Success => {}
                TradeState::Closed | TradeState::Refund => {
                    return Err(SandboxError::WrongState(format!("trade {out_trade_no} is {}", trade.state.as_str())));
                }
            }
            let event_id = trade.notification_id.get_or_insert_with(|| uuid::Uuid::new_v4().to_string()).clone();
            (trade.clone(), event_id)
        };
        let resource = self.transaction_json(out_trade_no, &trade);
        self.notification(
            &trade.notify_url,
            &event_id,
            "TRANSACTION.SUCCESS",
            "支付成功",
            "transaction",
            &resource,
            now_unix,
        )
    }

    /// The refund `out_refund_no` ends: `success` → `SUCCESS` and a
    /// `REFUND.SUCCESS` notification, else `ABNORMAL` and `REFUND.ABNORMAL`.
    /// Ending it again the same way rebuilds the notification with the same id.
    pub fn refund_delivery(&self, out_refund_no: &str, success: bool, now_unix: i64) -> Result<Delivery, SandboxError> {
        let success_time = beijing_time(now_unix)?;
        let target = if success { RefundState::Success } else { RefundState::Abnormal };
        let (refund, trade, event_id) = {
            let mut ledger = self.ledger();
            let refund = ledger
                .refunds
                .get_mut(out_refund_no)
                .ok_or_else(|| SandboxError::UnknownPayment(format!("refund {out_refund_no}")))?;
            if refund.state == RefundState::Processing {
                refund.state = target;
                if success {
                    refund.success_time = Some(success_time);
                }
            } else if refund.state != target {
                return Err(SandboxError::WrongState(format!(
                    "refund {out_refund_no} is already {}",
                    refund.state.as_str()
                )));
            }
            let event_id = refund.notification_id.get_or_insert_with(|| uuid::Uuid::new_v4().to_string()).clone();
            let refund = refund.clone();
            let trade = ledger
                .trades
                .get(&refund.out_trade_no)
                .cloned()
                .ok_or_else(|| SandboxError::UnknownPayment(refund.out_trade_no.clone()))?;
            (refund, trade, event_id)
        };
        let mut resource = json!({
            "mchid": self.mchid,
            "out_trade_no": refund.out_trade_no,
            "transaction_id": trade.transaction_id,
            "out_refund_no": out_refund_no,
            "refund_id": refund.refund_id,
            "refund_status": refund.state.as_str(),
            "user_received_account": "支付用户零钱",
            "amount": {
                "total": trade.total,
                "refund": refund.refund,
                "payer_total": trade.total,
                "payer_refund": refund.refund,
            },
        });
        if let (Some(t), Some(obj)) = (&refund.success_time, resource.as_object_mut()) {
            obj.insert("success_time".into(), Value::String(t.clone()));
        }
        let (event_type, summary) =
            if success { ("REFUND.SUCCESS", "退款成功") } else { ("REFUND.ABNORMAL", "退款异常") };
        self.notification(&refund.notify_url, &event_id, event_type, summary, "refund", &resource, now_unix)
    }

    /// A trade as WeChat Pay describes it (query answer and notification resource).
    fn transaction_json(&self, out_trade_no: &str, trade: &Trade) -> Value {
        let mut tx = json!({
            "appid": trade.appid,
            "mchid": self.mchid,
            "out_trade_no": out_trade_no,
            "trade_type": "NATIVE",
            "trade_state": trade.state.as_str(),
            "trade_state_desc": trade.state.description(),
            "attach": "",
            "amount": { "total": trade.total, "currency": "CNY", "payer_currency": "CNY" },
        });
        if let Some(obj) = tx.as_object_mut().filter(|_| trade.state.is_paid()) {
            obj.insert("transaction_id".into(), json!(trade.transaction_id));
            obj.insert("bank_type".into(), json!("OTHERS"));
            obj.insert("success_time".into(), json!(trade.success_time));
            obj.insert("payer".into(), json!({ "openid": SANDBOX_OPENID }));
            obj.insert(
                "amount".into(),
                json!({ "total": trade.total, "payer_total": trade.total, "currency": "CNY", "payer_currency": "CNY" }),
            );
        }
        tx
    }

    /// Signs `"{ts}\n{nonce}\n{body}\n"` with the platform key and returns the
    /// `Wechatpay-*` headers.
    fn signature_headers(&self, timestamp: i64, body: &[u8]) -> Result<Vec<(String, String)>, SandboxError> {
        let ts = timestamp.to_string();
        let nonce = random_nonce(32);
        let signature =
            keys::sign_sha256_rsa(&self.platform_private_key, &response_signature_message(&ts, &nonce, body))
                .map_err(|e| SandboxError::Signing(e.to_string()))?;
        Ok(vec![
            (HEADER_TIMESTAMP.into(), ts),
            (HEADER_NONCE.into(), nonce),
            (HEADER_SIGNATURE.into(), signature),
            (HEADER_SERIAL.into(), self.platform_key_id.clone()),
            (HEADER_SIGNATURE_TYPE.into(), AUTH_SCHEME.into()),
        ])
    }

    /// Builds a notification: the resource encrypted with the APIv3 key under
    /// `associated_data`, wrapped in WeChat Pay's envelope and signed.
    #[allow(clippy::too_many_arguments)] // one call per notification kind; a struct would only rename them
    fn notification(
        &self,
        url: &str,
        event_id: &str,
        event_type: &str,
        summary: &str,
        associated_data: &str,
        resource: &Value,
        now_unix: i64,
    ) -> Result<Delivery, SandboxError> {
        let plaintext = serde_json::to_vec(resource).map_err(|e| SandboxError::Signing(e.to_string()))?;
        let nonce = random_nonce(12);
        let ciphertext = encrypt_resource(&self.apiv3_key, &nonce, associated_data, &plaintext)
            .map_err(|e| SandboxError::Signing(e.to_string()))?;
        let envelope = json!({
            "id": event_id,
            "create_time": beijing_time(now_unix)?,
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": summary,
            "resource": {
                "original_type": associated_data,
                "algorithm": RESOURCE_ALGORITHM,
                "ciphertext": ciphertext,
                "associated_data": associated_data,
                "nonce": nonce,
            },
        });
        let body = serde_json::to_vec(&envelope).map_err(|e| SandboxError::Signing(e.to_string()))?;
        let headers = self.signature_headers(now_unix, &body)?;
        Ok(Delivery { url: url.to_owned(), content_type: "application/json".into(), headers, body })
    }

    /// Checks a request's Authorization header as WeChat Pay does: scheme,
    /// merchant, certificate serial, a fresh timestamp, and the signature over
    /// `METHOD\nURL\nTS\nNONCE\nBODY\n` with the path and query as received.
    fn authenticate(
        &self,
        method: &Method,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), ApiError> {
        let sign_error = |m: &str| (StatusCode::UNAUTHORIZED, "SIGN_ERROR", m.to_owned());
        let value = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| sign_error("Authorization header missing"))?;
        let auth = parse_authorization(value).map_err(|e| sign_error(&e.to_string()))?;
        if auth.mchid != self.mchid {
            return Err(sign_error("mchid does not match"));
        }
        if auth.serial_no != self.merchant_cert_serial {
            return Err(sign_error("serial_no is not the merchant certificate serial"));
        }
        let ts: i64 = auth.timestamp.parse().map_err(|_| sign_error("timestamp is not a number"))?;
        if now_unix().abs_diff(ts) > TIMESTAMP_TOLERANCE_SECS.unsigned_abs() {
            return Err(sign_error("timestamp expired"));
        }
        let path_and_query = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or_else(|| uri.path());
        // The body is signed as the raw bytes received (the message is `request_signature_message`'s, in bytes).
        let mut message =
            format!("{}\n{path_and_query}\n{}\n{}\n", method.as_str(), auth.timestamp, auth.nonce_str).into_bytes();
        message.extend_from_slice(body);
        message.push(b'\n');
        if !keys::verify_sha256_rsa(&self.merchant_public_key, &message, &auth.signature) {
            return Err(sign_error("signature does not verify"));
        }
        Ok(())
    }

    /// A signed answer: JSON `body` (none for 204) and the `Wechatpay-*` headers.
    fn answer(&self, status: StatusCode, body: Option<&Value>) -> Response {
        let bytes = match body.map(serde_json::to_vec).transpose() {
            Ok(b) => b.unwrap_or_default(),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
        let signed = match self.signature_headers(now_unix(), &bytes) {
            Ok(h) => h,
            Err(e) => {
                tracing::error!(error = %e, "WeChat Pay sandbox could not sign its answer");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        let mut res = (status, bytes).into_response();
        let headers = res.headers_mut();
        if body.is_some() {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
        }
        let request_id = format!("08{}", random_digits(30));
        for (name, value) in signed.into_iter().chain([("Request-ID".to_owned(), request_id)]) {
            if let (Ok(name), Ok(value)) =
                (axum::http::HeaderName::try_from(name.as_str()), HeaderValue::try_from(value.as_str()))
            {
                headers.insert(name, value);
            }
        }
        res
    }

    /// A signed error answer `{code, message}`.
    fn error(&self, (status, code, message): ApiError) -> Response {
        self.answer(status, Some(&json!({ "code": code, "message": message })))
    }

    /// `POST /v3/pay/transactions/native`.
    fn native(&self, body: &[u8]) -> Result<Response, ApiError> {
        #[derive(Deserialize)]
        struct Amount {
            total: i64,
            #[serde(default)]
            currency: Option<String>,
        }
        #[derive(Deserialize)]
        struct Req {
            appid: String,
            mchid: String,
            description: String,
            out_trade_no: String,
            notify_url: String,
            amount: Amount,
        }
        let req: Req = serde_json::from_slice(body).map_err(|e| param_error(format!("请求参数错误: {e}")))?;
        if req.mchid != self.mchid {
            return Err((StatusCode::BAD_REQUEST, "MCH_NOT_EXISTS", "商户号不存在".into()));
        }
        if req.appid != self.appid {
            return Err((StatusCode::BAD_REQUEST, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配".into()));
        }
        if !valid_out_trade_no(&req.out_trade_no) {
            return Err(param_error("out_trade_no 应为6到32位数字、字母、_-|*"));
        }
        if req.description.is_empty() || req.description.chars().count() > 127 {
            return Err(param_error("description 长度应为1到127"));
        }
        if !valid_notify_url(&req.notify_url) {
            return Err(param_error("notify_url 格式错误"));
        }
        if req.amount.total < 1 {
            return Err(param_error("amount.total 应大于0"));
        }
        if req.amount.currency.as_deref().is_some_and(|c| c != "CNY") {
            return Err(param_error("amount.currency 只支持 CNY"));
        }
        let mut ledger = self.ledger();
        if let Some(existing) = ledger.trades.get(&req.out_trade_no) {
            // The same order placed again is answered with the same code_url, as WeChat Pay does.
            return match existing.state {
                TradeState::NotPay if existing.total == req.amount.total => {
                    let code_url = existing.code_url.clone();
                    drop(ledger);
                    Ok(self.answer(StatusCode::OK, Some(&json!({ "code_url": code_url }))))
                }
                TradeState::NotPay => Err((StatusCode::FORBIDDEN, "OUT_TRADE_NO_USED", "商户订单号重复".into())),
                TradeState::Closed => Err((StatusCode::BAD_REQUEST, "ORDER_CLOSED", "订单已关闭".into())),
                TradeState::Success | TradeState::Refund => {
                    Err((StatusCode::FORBIDDEN, "ORDERPAID", "该订单已支付".into()))
                }
            };
        }
        let code_url = format!("weixin://wxpay/bizpayurl?pr={}", random_nonce(7));
        ledger.trades.insert(
            req.out_trade_no,
            Trade {
                appid: req.appid,
                total: req.amount.total,
                notify_url: req.notify_url,
                code_url: code_url.clone(),
                state: TradeState::NotPay,
                transaction_id: None,
                success_time: None,
                notification_id: None,
            },
        );
        drop(ledger);
        Ok(self.answer(StatusCode::OK, Some(&json!({ "code_url": code_url }))))
    }

    /// `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=…`.
    fn query(&self, out_trade_no: &str, query: Option<&str>) -> Result<Response, ApiError> {
        let params: HashMap<String, String> =
            serde_urlencoded::from_str(query.unwrap_or_default()).map_err(|_| param_error("查询参数错误"))?;
        match params.get("mchid") {
            None => return Err(param_error("缺少参数 mchid")),
            Some(m) if *m != self.mchid => {
                return Err((StatusCode::BAD_REQUEST, "MCH_NOT_EXISTS", "商户号不存在".into()));
            }
            Some(_) => {}
        }
        let trade = self.ledger().trades.get(out_trade_no).cloned();
        let trade = trade.ok_or_else(|| (StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在".to_owned()))?;
        Ok(self.answer(StatusCode::OK, Some(&self.transaction_json(out_trade_no, &trade))))
    }

    /// `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close`.
    fn close(&self, out_trade_no: &str, body: &[u8]) -> Result<Response, ApiError> {
        #[derive(Deserialize)]
        struct Req {
            mchid: String,
        }
        let req: Req = serde_json::from_slice(body).map_err(|e| param_error(format!("请求参数错误: {e}")))?;
        if req.mchid != self.mchid {
            return Err((StatusCode::BAD_REQUEST, "MCH_NOT_EXISTS", "商户号不存在".into()));
        }
        let mut ledger = self.ledger();
        let trade = ledger
            .trades
            .get_mut(out_trade_no)
            .ok_or_else(|| (StatusCode::NOT_FOUND, "ORDER_NOT_EXIST", "订单不存在".to_owned()))?;
        match trade.state {
            TradeState::NotPay | TradeState::Closed => trade.state = TradeState::Closed,
            TradeState::Success | TradeState::Refund => {
                return Err((StatusCode::FORBIDDEN, "ORDERPAID", "该订单已支付".into()));
            }
        }
        drop(ledger);
        Ok(self.answer(StatusCode::NO_CONTENT, None))
    }

    /// `POST /v3/refund/domestic/refunds`.
    fn refund(&self, body: &[u8]) -> Result<Response, ApiError> {
        #[derive(Deserialize)]
        struct Amount {
            refund: i64,
            total: i64,
            currency: String,
        }
        #[derive(Deserialize)]
        struct Req {
            #[serde(default)]
            out_trade_no: Option<String>,
            #[serde(default)]
            transaction_id: Option<String>,
            out_refund_no: String,
            #[serde(default)]
            notify_url: Option<String>,
            amount: Amount,
        }
        let req: Req = serde_json::from_slice(body).map_err(|e| param_error(format!("请求参数错误: {e}")))?;
        if !valid_out_refund_no(&req.out_refund_no) {
            return Err(param_error("out_refund_no 格式错误"));
        }
        if req.amount.currency != "CNY" {
            return Err(param_error("amount.currency 只支持 CNY"));
        }
        if req.amount.refund < 1 {
            return Err(param_error("amount.refund 应大于0"));
        }
        let notify_url = req.notify_url.unwrap_or_default();
        if !notify_url.is_empty() && !valid_notify_url(&notify_url) {
            return Err(param_error("notify_url 格式错误"));
        }
        let mut ledger = self.ledger();
        let out_trade_no = match (&req.out_trade_no, &req.transaction_id) {
            (Some(o), _) => o.clone(),
            (None, Some(t)) => ledger
                .trades
                .iter()
                .find(|(_, trade)| trade.transaction_id.as_deref() == Some(t.as_str()))
                .map(|(o, _)| o.clone())
                .unwrap_or_default(),
            (None, None) => return Err(param_error("out_trade_no 与 transaction_id 必填其一")),
        };
        let trade = ledger
            .trades
            .get(&out_trade_no)
            .cloned()
            .ok_or_else(|| (StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", "订单不存在".to_owned()))?;
        if let Some(existing) = ledger.refunds.get(&req.out_refund_no) {
            if existing.out_trade_no != out_trade_no || existing.refund != req.amount.refund {
                return Err((StatusCode::BAD_REQUEST, "INVALID_REQUEST", "退款单号已被其他退款使用".into()));
            }
            let existing = existing.clone();
            drop(ledger);
            return Ok(self.answer(StatusCode::OK, Some(&self.refund_json(&req.out_refund_no, &existing, &trade))));
        }
        if !trade.state.is_paid() {
            return Err((StatusCode::BAD_REQUEST, "INVALID_REQUEST", "订单未支付，不能退款".into()));
        }
        if req.amount.total != trade.total {
            return Err((StatusCode::BAD_REQUEST, "INVALID_REQUEST", "订单金额与原订单金额不一致".into()));
        }
        let already: i64 = ledger
            .refunds
            .values()
            .filter(|r| r.out_trade_no == out_trade_no && r.state != RefundState::Abnormal)
            .map(|r| r.refund)
            .sum();
        if already.saturating_add(req.amount.refund) > trade.total {
            return Err((StatusCode::BAD_REQUEST, "INVALID_REQUEST", "申请退款金额超过订单可退金额".into()));
        }
        let refund = Refund {
            out_trade_no: out_trade_no.clone(),
            refund_id: format!("50{}", random_digits(28)),
            refund: req.amount.refund,
            notify_url: if notify_url.is_empty() { trade.notify_url.clone() } else { notify_url },
            state: RefundState::Processing,
            create_time: beijing_time(now_unix()).unwrap_or_default(),
            success_time: None,
            notification_id: None,
        };
        ledger.refunds.insert(req.out_refund_no.clone(), refund.clone());
        if let Some(t) = ledger.trades.get_mut(&out_trade_no) {
            t.state = TradeState::Refund;
        }
        drop(ledger);
        Ok(self.answer(StatusCode::OK, Some(&self.refund_json(&req.out_refund_no, &refund, &trade))))
    }

    /// A refund as the refund API answers it.
    fn refund_json(&self, out_refund_no: &str, refund: &Refund, trade: &Trade) -> Value {
        json!({
            "refund_id": refund.refund_id,
            "out_refund_no": out_refund_no,
            "transaction_id": trade.transaction_id,
            "out_trade_no": refund.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "success_time": refund.success_time,
            "create_time": refund.create_time,
            "status": refund.state.as_str(),
            "funds_account": "AVAILABLE",
            "amount": {
                "total": trade.total,
                "refund": refund.refund,
                "payer_total": trade.total,
                "payer_refund": refund.refund,
                "settlement_refund": refund.refund,
                "settlement_total": trade.total,
                "discount_refund": 0,
                "currency": "CNY",
                "refund_fee": 0,
            },
        })
    }

    /// Authenticates the request, then runs `handle`; every answer is signed.
    fn serve(
        &self,
        method: &Method,
        uri: &axum::http::Uri,
        headers: &HeaderMap,
        body: &[u8],
        handle: impl FnOnce(&Self) -> Result<Response, ApiError>,
    ) -> Response {
        match self.authenticate(method, uri, headers, body).and_then(|()| handle(self)) {
            Ok(res) => res,
            Err(e) => self.error(e),
        }
    }
}

/// The WeChat Pay API v3 endpoints [`crate::wechat::WechatClient`] calls, at their real paths.
pub fn router(s: Arc<WechatSandbox>) -> Router {
    Router::new()
        .route("/v3/pay/transactions/native", post(native))
        .route("/v3/pay/transactions/out-trade-no/{out_trade_no}", get(query))
        .route("/v3/pay/transactions/out-trade-no/{out_trade_no}/close", post(close))
        .route("/v3/refund/domestic/refunds", post(refund))
        .with_state(s)
}

/// Handler of `POST /v3/pay/transactions/native`.
async fn native(
    State(s): State<Arc<WechatSandbox>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    s.serve(&method, &uri, &headers, &body, |s| s.native(&body))
}

/// Handler of `GET /v3/pay/transactions/out-trade-no/{out_trade_no}`.
async fn query(
    State(s): State<Arc<WechatSandbox>>,
    Path(out_trade_no): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let q = uri.query().map(str::to_owned);
    s.serve(&method, &uri, &headers, &body, |s| s.query(&out_trade_no, q.as_deref()))
}

/// Handler of `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close`.
async fn close(
    State(s): State<Arc<WechatSandbox>>,
    Path(out_trade_no): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    s.serve(&method, &uri, &headers, &body, |s| s.close(&out_trade_no, &body))
}

/// Handler of `POST /v3/refund/domestic/refunds`.
async fn refund(
    State(s): State<Arc<WechatSandbox>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    s.serve(&method, &uri, &headers, &body, |s| s.refund(&body))
}
