//! The Alipay stand-in: `POST /gateway.do` speaking the open platform
//! protocol (form-encoded request, RSA2 signature checked with our merchant
//! public key over every parameter but `sign`), answering
//! `alipay.trade.precreate` / `query` / `close` / `refund` with JSON signed by
//! its own "platform" key over the raw `*_response` text, as Alipay does, and
//! building Alipay's signed async notifies (`trade_status_sync`).
//!
//! Like Alipay, a precreated trade exists only once the buyer scans the QR
//! code ([`AlipaySandbox::scan`], implied by [`AlipaySandbox::pay`]): before
//! that, `query` and `close` answer `ACQ.TRADE_NOT_EXIST`.

use super::{Delivery, SandboxError};
use crate::alipay::{self, CODE_SUCCESS, TRADE_NOT_EXIST, TRADE_STATUS_ERROR, beijing_time, response_key};
use crate::keys;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use keepsim_domain::{Currency, Money};
use rand::Rng;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// The methods the stand-in serves.
const METHODS: [&str; 4] =
    ["alipay.trade.precreate", "alipay.trade.query", "alipay.trade.close", "alipay.trade.refund"];

/// Where a trade is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TradeState {
    /// Precreated; the QR code has not been scanned, so Alipay does not know the trade yet.
    Created,
    /// Scanned, waiting for the buyer to pay (`WAIT_BUYER_PAY`).
    WaitBuyerPay,
    /// Paid (`TRADE_SUCCESS`).
    Success,
    /// Closed unpaid, or fully refunded (`TRADE_CLOSED`).
    Closed,
}

impl TradeState {
    /// Alipay's word for it.
    fn word(self) -> &'static str {
        match self {
            TradeState::Created | TradeState::WaitBuyerPay => "WAIT_BUYER_PAY",
            TradeState::Success => "TRADE_SUCCESS",
            TradeState::Closed => "TRADE_CLOSED",
        }
    }
}

/// One trade held by the sandbox.
#[derive(Debug, Clone)]
struct Trade {
    /// Our `out_trade_no`.
    out_trade_no: String,
    /// Alipay's `trade_no`, once scanned.
    trade_no: Option<String>,
    /// Total, fen.
    total_fen: i64,
    /// `subject`.
    subject: String,
    /// `notify_url` from the precreate request.
    notify_url: Option<String>,
    /// The QR code content.
    qr_code: String,
    /// State.
    state: TradeState,
    /// Cumulative refunded, fen.
    refund_fee: i64,
    /// `out_request_no` → amount, fen.
    refunds: HashMap<String, i64>,
    /// The latest refund's `out_request_no`.
    last_refund: Option<String>,
    /// Unix seconds.
    gmt_create: i64,
    /// Unix seconds, once paid.
    gmt_payment: Option<i64>,
    /// Unix seconds, last refund.
    gmt_refund: Option<i64>,
}

/// The Alipay stand-in.
pub struct AlipaySandbox {
    /// The app id requests must carry.
    app_id: String,
    /// The "Alipay platform" private key: signs answers and notifies.
    platform_key: RsaPrivateKey,
    /// Our merchant public key: verifies requests.
    merchant_public_key: RsaPublicKey,
    /// Trades by `out_trade_no`.
    trades: Mutex<HashMap<String, Trade>>,
}

impl fmt::Debug for AlipaySandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlipaySandbox")
            .field("app_id", &self.app_id)
            .field("platform_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// `n` random decimal digits.
fn digits(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect()
}

/// Current unix seconds.
fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Yuan text of an amount in fen.
fn yuan(fen: i64) -> String {
    Money::new(fen, Currency::CNY).to_decimal_string()
}

/// Beijing time text, or the Signing error the sandbox reports for an absurd clock.
fn bj(unix: i64) -> Result<String, SandboxError> {
    beijing_time(unix).ok_or_else(|| SandboxError::Signing(format!("time {unix} out of range")))
}

/// A failure answer object.
fn failure(code: &str, msg: &str, sub_code: &str, sub_msg: &str) -> Value {
    json!({ "code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg })
}

/// A business failure (40004).
fn business(sub_code: &str, sub_msg: &str) -> Value {
    failure("40004", "Business Failed", sub_code, sub_msg)
}

/// An invalid-argument failure (40002).
fn invalid(sub_code: &str, sub_msg: &str) -> Value {
    failure("40002", "Invalid Arguments", sub_code, sub_msg)
}

/// A missing-argument failure (40001).
fn missing(sub_code: &str, sub_msg: &str) -> Value {
    failure("40001", "Missing Required Arguments", sub_code, sub_msg)
}

/// Parses a positive yuan amount into fen, within Alipay's limits (0.01 … 100000000.00).
fn parse_amount(text: &str) -> Option<i64> {
    let m = Money::parse_decimal(text, Currency::CNY).ok()?;
    (1..=10_000_000_000).contains(&m.amount_minor()).then_some(m.amount_minor())
}

impl AlipaySandbox {
    /// A stand-in for app `app_id`, signing with `platform_private_key` (its
    /// public half is what keepsim configures as Alipay's public key) and
    /// verifying requests with `merchant_public_key` (the public half of
    /// keepsim's Alipay private key).
    pub fn new(
        app_id: impl Into<String>,
        platform_private_key: RsaPrivateKey,
        merchant_public_key: RsaPublicKey,
    ) -> AlipaySandbox {
        AlipaySandbox {
            app_id: app_id.into(),
            platform_key: platform_private_key,
            merchant_public_key,
            trades: Mutex::new(HashMap::new()),
        }
    }

    /// The app id the sandbox serves.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The platform public key: keepsim's "Alipay public key" in sandbox mode.
    pub fn platform_public_key(&self) -> RsaPublicKey {
        RsaPublicKey::from(&self.platform_key)
    }

    /// The platform public key as SPKI PEM, for `KEEPSIM_ALIPAY_PUBLIC_KEY_FILE`.
    pub fn platform_public_key_pem(&self) -> Result<String, SandboxError> {
        keys::public_key_to_pem_spki(&self.platform_public_key()).map_err(|e| SandboxError::Signing(e.to_string()))
    }

    /// Locks the trades (a poisoned lock is still usable: updates are plain assignments).
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Trade>> {
        self.trades.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether a trade with this `out_trade_no` was precreated.
    pub fn find(&self, out_trade_no: &str) -> bool {
        self.lock().contains_key(out_trade_no)
    }

    /// The trade's Alipay status word (`WAIT_BUYER_PAY`, `TRADE_SUCCESS`, `TRADE_CLOSED`).
    pub fn trade_status(&self, out_trade_no: &str) -> Option<String> {
        self.lock().get(out_trade_no).map(|t| t.state.word().to_owned())
    }

    /// The buyer scans the QR code: the trade now exists at "Alipay" as
    /// `WAIT_BUYER_PAY` (so `query` and `close` see it). Scanning twice is harmless.
    pub fn scan(&self, out_trade_no: &str, now_unix: i64) -> Result<(), SandboxError> {
        let mut trades = self.lock();
        let trade =
            trades.get_mut(out_trade_no).ok_or_else(|| SandboxError::UnknownPayment(out_trade_no.to_owned()))?;
        Self::scan_trade(trade, now_unix)
    }

    /// Moves a trade from `Created` to `WaitBuyerPay`, assigning its `trade_no`.
    fn scan_trade(trade: &mut Trade, now_unix: i64) -> Result<(), SandboxError> {
        match trade.state {
            TradeState::Created => {
                let date = beijing_time(now_unix).unwrap_or_default().replace('-', "");
                let day: String = date.chars().take(8).collect();
                trade.trade_no = Some(format!("{day}22001{}", digits(15)));
                trade.state = TradeState::WaitBuyerPay;
                Ok(())
            }
            TradeState::WaitBuyerPay => Ok(()),
            other => Err(SandboxError::WrongState(format!("trade is {}", other.word()))),
        }
    }

    /// Signs a notify as Alipay does (over every parameter but `sign` and `sign_type`)
    /// and form-encodes it for the trade's `notify_url`.
    fn notify(
        &self,
        trade: &Trade,
        mut params: BTreeMap<String, String>,
        now_unix: i64,
    ) -> Result<Delivery, SandboxError> {
        let url = trade
            .notify_url
            .clone()
            .filter(|u| !u.is_empty())
            .ok_or_else(|| SandboxError::WrongState("the trade has no notify_url".into()))?;
        let trade_no = trade.trade_no.clone().unwrap_or_default();
        let mut put = |k: &str, v: String| {
            params.insert(k.to_owned(), v);
        };
        put("notify_time", bj(now_unix)?);
        put("notify_type", "trade_status_sync".into());
        put("notify_id", format!("{}{}", digits(20), digits(14)));
        put("app_id", self.app_id.clone());
        put("auth_app_id", self.app_id.clone());
        put("charset", "utf-8".into());
        put("version", "1.0".into());
        put("trade_no", trade_no);
        put("out_trade_no", trade.out_trade_no.clone());
        put("buyer_id", "2088102177846880".into());
        put("buyer_logon_id", "sandbox***@keepsim.test".into());
        put("seller_id", "2088102177296610".into());
        put("trade_status", trade.state.word().into());
        put("total_amount", yuan(trade.total_fen));
        put("receipt_amount", yuan(trade.total_fen));
        put("buyer_pay_amount", yuan(trade.total_fen));
        put("invoice_amount", yuan(trade.total_fen));
        put("point_amount", "0.00".into());
        put("subject", trade.subject.clone());
        put("gmt_create", bj(trade.gmt_create)?);
        if let Some(paid) = trade.gmt_payment {
            put("gmt_payment", bj(paid)?);
        }
        put("fund_bill_list", json!([{ "amount": yuan(trade.total_fen), "fundChannel": "ALIPAYACCOUNT" }]).to_string());
        let content = alipay::signing_string(&params, &["sign", "sign_type"]);
        let sign = keys::sign_sha256_rsa(&self.platform_key, content.as_bytes())
            .map_err(|e| SandboxError::Signing(e.to_string()))?;
        params.insert("sign_type".into(), "RSA2".into());
        params.insert("sign".into(), sign);
        let body = serde_urlencoded::to_string(&params).map_err(|e| SandboxError::Signing(e.to_string()))?;
        Ok(Delivery {
            url,
            content_type: "application/x-www-form-urlencoded; charset=utf-8".into(),
            headers: Vec::new(),
            body: body.into_bytes(),
        })
    }

    /// The buyer pays (scanning first if needed): the trade becomes
    /// `TRADE_SUCCESS` and Alipay's signed `trade_status_sync` notify is returned.
    pub fn pay(&self, out_trade_no: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let trade = {
            let mut trades = self.lock();
            let trade =
                trades.get_mut(out_trade_no).ok_or_else(|| SandboxError::UnknownPayment(out_trade_no.to_owned()))?;
            if trade.notify_url.as_deref().is_none_or(str::is_empty) {
                return Err(SandboxError::WrongState("the trade has no notify_url".into()));
            }
            Self::scan_trade(trade, now_unix)?;
            trade.state = TradeState::Success;
            trade.gmt_payment = Some(now_unix);
            trade.clone()
        };
        self.notify(&trade, BTreeMap::new(), now_unix)
    }

    /// The notify Alipay sends after a refund: `TRADE_SUCCESS` (partial) or
    /// `TRADE_CLOSED` (full) with the cumulative `refund_fee`, `gmt_refund` and
    /// the latest refund's `out_request_no` as `out_biz_no`.
    pub fn refund_delivery(&self, out_trade_no: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let trade = {
            let trades = self.lock();
            let trade =
                trades.get(out_trade_no).ok_or_else(|| SandboxError::UnknownPayment(out_trade_no.to_owned()))?;
            if trade.refund_fee <= 0 {
                return Err(SandboxError::WrongState("nothing has been refunded".into()));
            }
            trade.clone()
        };
        let mut extra = BTreeMap::new();
        extra.insert("refund_fee".to_owned(), yuan(trade.refund_fee));
        extra.insert("gmt_refund".to_owned(), format!("{}.000", bj(trade.gmt_refund.unwrap_or(now_unix))?));
        if let Some(no) = &trade.last_refund {
            extra.insert("out_biz_no".to_owned(), no.clone());
        }
        self.notify(&trade, extra, now_unix)
    }

    /// Signs an answer over its raw text and wraps it as Alipay does.
    fn answer(&self, key: &str, body: &Value) -> Response {
        let raw = body.to_string();
        match keys::sign_sha256_rsa(&self.platform_key, raw.as_bytes()) {
            Ok(sign) => (
                [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
                format!("{{\"{key}\":{raw},\"sign\":\"{sign}\"}}"),
            )
                .into_response(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }

    /// Checks a request as Alipay's gateway does and runs its method; returns
    /// the answer key and object.
    fn handle(&self, params: &BTreeMap<String, String>) -> (String, Value) {
        let get = |k: &str| params.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let Some(method) = get("method") else {
            return ("error_response".into(), missing("isv.missing-method", "缺少方法名参数"));
        };
        if !METHODS.contains(&method) {
            return ("error_response".into(), invalid("isv.invalid-method", "不存在的方法名"));
        }
        let key = response_key(method);
        let check = || -> Result<Value, Value> {
            let app_id = get("app_id").ok_or_else(|| missing("isv.missing-app-id", "缺少AppID参数"))?;
            if app_id != self.app_id {
                return Err(invalid("isv.invalid-app-id", "无效的AppID参数"));
            }
            if get("sign").is_none() {
                return Err(missing("isv.missing-signature", "缺少签名参数"));
            }
            match get("sign_type") {
                Some("RSA2") => {}
                Some(_) => return Err(invalid("isv.invalid-signature-type", "无效的签名类型")),
                None => return Err(missing("isv.missing-signature-type", "缺少签名类型")),
            }
            if !get("charset").is_some_and(|c| c.eq_ignore_ascii_case("utf-8")) {
                return Err(invalid("isv.invalid-charset", "字符集错误"));
            }
            if get("format").is_some_and(|f| !f.eq_ignore_ascii_case("JSON")) {
                return Err(invalid("isv.invalid-format", "无效的数据格式"));
            }
            if get("version") != Some("1.0") {
                return Err(invalid("isv.invalid-version", "版本号错误"));
            }
            let timestamp = get("timestamp").ok_or_else(|| missing("isv.missing-timestamp", "缺少时间戳参数"))?;
            let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
            if time::PrimitiveDateTime::parse(timestamp, &format).is_err() {
                return Err(invalid("isv.invalid-timestamp", "非法的时间戳参数"));
            }
            if !alipay::verify_params(params, &["sign"], &self.merchant_public_key) {
                return Err(invalid(
                    "isv.invalid-signature",
                    "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配",
                ));
            }
            let biz: Value = get("biz_content")
                .and_then(|b| serde_json::from_str(b).ok())
                .filter(Value::is_object)
                .ok_or_else(|| invalid("isv.invalid-biz-content", "业务参数格式错误"))?;
            let out_trade_no = biz
                .get("out_trade_no")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty() && s.len() <= 64)
                .ok_or_else(|| missing("isv.missing-out-trade-no", "缺少商户订单号"))?
                .to_owned();
            Ok(match method {
                "alipay.trade.precreate" => self.precreate(&biz, &out_trade_no, get("notify_url")),
                "alipay.trade.query" => self.query(&out_trade_no),
                "alipay.trade.close" => self.close(&out_trade_no),
                _ => self.refund(&biz, &out_trade_no),
            })
        };
        match check() {
            Ok(v) | Err(v) => (key, v),
        }
    }

    /// `alipay.trade.precreate`.
    fn precreate(&self, biz: &Value, out_trade_no: &str, notify_url: Option<&str>) -> Value {
        let Some(total) = biz.get("total_amount").and_then(Value::as_str).and_then(parse_amount) else {
            return invalid("isv.invalid-total-amount", "订单金额格式错误");
        };
        let Some(subject) = biz.get("subject").and_then(Value::as_str).filter(|s| !s.is_empty()) else {
            return missing("isv.missing-subject", "缺少订单标题");
        };
        let mut trades = self.lock();
        if let Some(t) = trades.get_mut(out_trade_no) {
            match t.state {
                TradeState::Success => return business("ACQ.TRADE_HAS_SUCCESS", "交易已被支付"),
                TradeState::Closed => return business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
                _ if t.total_fen != total => return business("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"),
                _ => {
                    if let Some(url) = notify_url {
                        t.notify_url = Some(url.to_owned());
                    }
                    return json!({ "code": CODE_SUCCESS, "msg": "Success", "out_trade_no": out_trade_no, "qr_code": t.qr_code });
                }
            }
        }
        let token: String =
            rand::thread_rng().sample_iter(&rand::distributions::Alphanumeric).take(22).map(char::from).collect();
        let qr_code = format!("https://qr.alipay.com/sandbox-{}", token.to_ascii_lowercase());
        trades.insert(
            out_trade_no.to_owned(),
            Trade {
                out_trade_no: out_trade_no.to_owned(),
                trade_no: None,
                total_fen: total,
                subject: subject.to_owned(),
                notify_url: notify_url.map(str::to_owned),
                qr_code: qr_code.clone(),
                state: TradeState::Created,
                refund_fee: 0,
                refunds: HashMap::new(),
                last_refund: None,
                gmt_create: now(),
                gmt_payment: None,
                gmt_refund: None,
            },
        );
        json!({ "code": CODE_SUCCESS, "msg": "Success", "out_trade_no": out_trade_no, "qr_code": qr_code })
    }

    /// `alipay.trade.query`.
    fn query(&self, out_trade_no: &str) -> Value {
        let trades = self.lock();
        let Some(t) = trades.get(out_trade_no).filter(|t| t.trade_no.is_some()) else {
            return business(TRADE_NOT_EXIST, "交易不存在");
        };
        let paid = t.gmt_payment.is_some();
        let mut v = json!({
            "code": CODE_SUCCESS,
            "msg": "Success",
            "trade_no": t.trade_no,
            "out_trade_no": t.out_trade_no,
            "buyer_logon_id": "sandbox***@keepsim.test",
            "buyer_user_id": "2088102177846880",
            "trade_status": t.state.word(),
            "total_amount": yuan(t.total_fen),
            "buyer_pay_amount": if paid { yuan(t.total_fen) } else { "0.00".to_owned() },
            "receipt_amount": if paid { yuan(t.total_fen) } else { "0.00".to_owned() },
            "point_amount": "0.00",
            "invoice_amount": if paid { yuan(t.total_fen) } else { "0.00".to_owned() },
        });
        if let (Some(paid_at), Some(obj)) = (t.gmt_payment, v.as_object_mut()) {
            obj.insert("send_pay_date".into(), json!(beijing_time(paid_at)));
        }
        v
    }

    /// `alipay.trade.close`.
    fn close(&self, out_trade_no: &str) -> Value {
        let mut trades = self.lock();
        let Some(t) = trades.get_mut(out_trade_no) else {
            return business(TRADE_NOT_EXIST, "交易不存在");
        };
        match t.state {
            TradeState::Created => {
                // Alipay does not know an unscanned trade; it can no longer be paid either.
                t.state = TradeState::Closed;
                business(TRADE_NOT_EXIST, "交易不存在")
            }
            TradeState::WaitBuyerPay => {
                t.state = TradeState::Closed;
                json!({ "code": CODE_SUCCESS, "msg": "Success", "trade_no": t.trade_no, "out_trade_no": t.out_trade_no })
            }
            TradeState::Closed if t.trade_no.is_none() => business(TRADE_NOT_EXIST, "交易不存在"),
            _ => business(TRADE_STATUS_ERROR, "交易状态不合法"),
        }
    }

    /// `alipay.trade.refund`.
    fn refund(&self, biz: &Value, out_trade_no: &str) -> Value {
        let Some(amount) = biz.get("refund_amount").and_then(Value::as_str).and_then(parse_amount) else {
            return invalid("isv.invalid-refund-amount", "退款金额格式错误");
        };
        let request_no = biz
            .get("out_request_no")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or(out_trade_no)
            .to_owned();
        let mut trades = self.lock();
        let Some(t) = trades.get_mut(out_trade_no).filter(|t| t.trade_no.is_some()) else {
            return business(TRADE_NOT_EXIST, "交易不存在");
        };
        let done = |t: &Trade, fund_change: &str| {
            json!({
                "code": CODE_SUCCESS,
                "msg": "Success",
                "trade_no": t.trade_no,
                "out_trade_no": t.out_trade_no,
                "buyer_logon_id": "sandbox***@keepsim.test",
                "buyer_user_id": "2088102177846880",
                "fund_change": fund_change,
                "refund_fee": yuan(t.refund_fee),
                "gmt_refund_pay": t.gmt_refund.and_then(beijing_time),
            })
        };
        if let Some(&first) = t.refunds.get(&request_no) {
            return if first == amount {
                done(t, "N")
            } else {
                business("ACQ.CONTEXT_INCONSISTENT", "退款请求号对应的退款金额不一致")
            };
        }
        if t.state != TradeState::Success {
            return business(TRADE_STATUS_ERROR, "交易状态不合法");
        }
        if amount > t.total_fen - t.refund_fee {
            return business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
        }
        t.refund_fee += amount;
        t.refunds.insert(request_no.clone(), amount);
        t.last_refund = Some(request_no);
        t.gmt_refund = Some(now());
        if t.refund_fee >= t.total_fen {
            t.state = TradeState::Closed;
        }
        done(t, "Y")
    }
}

/// The router serving Alipay's gateway at `POST /gateway.do`; keepsim's
/// gateway URL points at it (the sandbox mounts it at `/sandbox/alipay`, so
/// the URL is `…/sandbox/alipay/gateway.do`).
pub fn router(s: Arc<AlipaySandbox>) -> Router {
    Router::new().route("/gateway.do", post(gateway)).with_state(s)
}

/// `POST /gateway.do`: parameters from the query string and the form body
/// (as Alipay accepts both; the official SDKs put the common parameters in the query).
async fn gateway(State(s): State<Arc<AlipaySandbox>>, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let mut params = match alipay::parse_form(query.as_deref().unwrap_or("").as_bytes()) {
        Ok(p) => p,
        Err(_) => return s.answer("error_response", &invalid("isv.invalid-parameter", "参数编码错误")),
    };
    let form = match alipay::parse_form(&body) {
        Ok(p) => p,
        Err(_) => return s.answer("error_response", &invalid("isv.invalid-parameter", "参数编码错误")),
    };
    for (k, v) in form {
        if params.contains_key(&k) {
            return s.answer("error_response", &invalid("isv.invalid-parameter", "参数重复"));
        }
        params.insert(k, v);
    }
    let (key, value) = s.handle(&params);
    s.answer(&key, &value)
}
