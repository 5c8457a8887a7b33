//! The card provider, spoken in the Stripe protocol: webhook signature
//! verification (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256 keyed with the whole
//! `whsec_…` secret over `"{t}.{raw body}"`), event parsing into a provider
//! neutral [`Notice`], and [`CardClient`], the PaymentIntents / Refunds API
//! client implementing [`Gateway`].

use crate::{
    CreatePayment, CreatedPayment, Gateway, Method, Notice, NoticeKind, PaymentStatus, ProviderError, Reference,
    RefundRequest, RefundStatus, VerifyError,
};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use keepsim_domain::Currency;
use serde_json::Value;
use sha2::Sha256;
use std::fmt;
use std::time::Duration;

/// HMAC-SHA256, as Stripe signs webhooks.
type HmacSha256 = Hmac<Sha256>;

/// The tolerance Stripe's libraries use, and keepsim's contract: 300 seconds.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// The name of the webhook signature header.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// A keyed HMAC-SHA256 over `"{t}.{payload}"`.
fn signed_mac(payload: &[u8], secret: &str, timestamp: &str) -> Result<HmacSha256, VerifyError> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .map_err(|_| VerifyError::Malformed("unusable webhook secret".into()))?;
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(payload);
    Ok(mac)
}

/// Verifies a `Stripe-Signature` header over the raw request body.
///
/// The header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]` in any order,
/// whitespace around items tolerated and unknown keys ignored. The signature is
/// HMAC-SHA256 keyed with the whole `secret` string (including its `whsec_`
/// prefix, as Stripe does) over `"{t}.{payload}"`; any `v1` may match
/// (compared in constant time). Then `|now_unix - t|` must not exceed
/// `tolerance_secs`, in either direction.
///
/// Missing or non-numeric `t`, or no `v1` at all → [`VerifyError::Malformed`];
/// no `v1` matches → [`VerifyError::BadSignature`]; outside the tolerance →
/// [`VerifyError::StaleTimestamp`].
pub fn verify_signature(
    header: &str,
    payload: &[u8],
    secret: &str,
    now_unix: i64,
    tolerance_secs: i64,
) -> Result<(), VerifyError> {
    let mut timestamp: Option<&str> = None;
    let mut candidates: Vec<&str> = Vec::new();
    for item in header.split(',') {
        let Some((key, value)) = item.split_once('=') else {
            continue;
        };
        match key.trim() {
            "t" if timestamp.is_none() => timestamp = Some(value.trim()),
            "v1" => candidates.push(value.trim()),
            _ => {}
        }
    }
    let Some(t_text) = timestamp else {
        return Err(VerifyError::Malformed("Stripe-Signature has no timestamp (t=)".into()));
    };
    if t_text.is_empty() || !t_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::Malformed("Stripe-Signature timestamp is not a number".into()));
    }
    let t: i64 =
        t_text.parse().map_err(|_| VerifyError::Malformed("Stripe-Signature timestamp is out of range".into()))?;
    if candidates.is_empty() {
        return Err(VerifyError::Malformed("Stripe-Signature has no v1 signature".into()));
    }
    // Stripe signs the decimal rendering of the parsed timestamp.
    let mac = signed_mac(payload, secret, &t.to_string())?;
    let mut matched = false;
    for candidate in candidates {
        if let Ok(bytes) = hex::decode(candidate) {
            // `verify_slice` compares in constant time.
            matched |= mac.clone().verify_slice(&bytes).is_ok();
        }
    }
    if !matched {
        return Err(VerifyError::BadSignature);
    }
    let tolerance = u64::try_from(tolerance_secs).unwrap_or(0);
    if now_unix.abs_diff(t) > tolerance {
        return Err(VerifyError::StaleTimestamp);
    }
    Ok(())
}

/// Builds the `Stripe-Signature` header value (`t=…,v1=…`) for a payload, as
/// the provider (and the sandbox) sends it.
pub fn signature_header(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac = match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => return format!("t={timestamp}"),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// A string field of a JSON object.
fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A required string field of a JSON object.
fn need_str<'a>(v: &'a Value, key: &str, what: &str) -> Result<&'a str, VerifyError> {
    str_field(v, key).ok_or_else(|| VerifyError::Malformed(format!("{what} has no {key}")))
}

/// A required integer field of a JSON object.
fn need_i64(v: &Value, key: &str, what: &str) -> Result<i64, VerifyError> {
    v.get(key).and_then(Value::as_i64).ok_or_else(|| VerifyError::Malformed(format!("{what} has no integer {key}")))
}

/// A required currency field (Stripe sends lowercase codes).
fn need_currency(v: &Value, what: &str) -> Result<Currency, VerifyError> {
    let text = need_str(v, "currency", what)?;
    Currency::parse(text).map_err(|e| VerifyError::Malformed(format!("{what} currency: {e}")))
}

/// An id field that may be a bare id string or an expanded object with an `id`.
fn id_of(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Object(o)) => o.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned),
        _ => None,
    }
}

/// How a PaymentIntent points at our order: `metadata.order_id`, else its own id.
fn intent_reference(object: &Value) -> Result<Reference, VerifyError> {
    if let Some(order_id) = object.get("metadata").and_then(|m| str_field(m, "order_id")).filter(|s| !s.is_empty()) {
        return Ok(Reference::OrderId(order_id.to_owned()));
    }
    Ok(Reference::PaymentIntent(need_str(object, "id", "the PaymentIntent")?.to_owned()))
}

/// Parses a (verified) webhook event into a [`Notice`].
///
/// Call only after [`verify_signature`] accepted the same bytes.
/// `payment_intent.succeeded` → [`NoticeKind::Paid`];
/// `payment_intent.payment_failed` → [`NoticeKind::PaymentFailed`];
/// `charge.refunded` → [`NoticeKind::Refunded`] (cumulative `amount_refunded`);
/// `charge.dispute.created` → [`NoticeKind::Disputed`]; anything else (and a
/// charge or dispute without a PaymentIntent, which cannot be ours) →
/// [`NoticeKind::Ignored`]. Invalid UTF-8 or JSON, or a missing field the
/// mapping needs → [`VerifyError::Malformed`].
pub fn parse_event(payload: &[u8]) -> Result<Notice, VerifyError> {
    let text = std::str::from_utf8(payload).map_err(|_| VerifyError::Malformed("event is not UTF-8".into()))?;
    let event: Value =
        serde_json::from_str(text).map_err(|e| VerifyError::Malformed(format!("event is not JSON: {e}")))?;
    let event_id = need_str(&event, "id", "the event")?.to_owned();
    let event_type = need_str(&event, "type", "the event")?.to_owned();
    let object = || {
        event
            .get("data")
            .and_then(|d| d.get("object"))
            .filter(|o| o.is_object())
            .ok_or_else(|| VerifyError::Malformed("event has no data.object".into()))
    };
    let kind = match event_type.as_str() {
        "payment_intent.succeeded" => {
            let o = object()?;
            let amount_minor = match o.get("amount_received").and_then(Value::as_i64) {
                Some(received) => received,
                None => need_i64(o, "amount", "the PaymentIntent")?,
            };
            NoticeKind::Paid {
                reference: intent_reference(o)?,
                amount_minor,
                currency: need_currency(o, "the PaymentIntent")?,
                provider_ref: need_str(o, "id", "the PaymentIntent")?.to_owned(),
            }
        }
        "payment_intent.payment_failed" => {
            let o = object()?;
            let reason = o.get("last_payment_error").and_then(|e| str_field(e, "message")).map(str::to_owned);
            NoticeKind::PaymentFailed { reference: intent_reference(o)?, reason }
        }
        "charge.refunded" => {
            let o = object()?;
            match id_of(o.get("payment_intent")) {
                Some(pi) => NoticeKind::Refunded {
                    reference: Reference::PaymentIntent(pi),
                    refunded_minor: need_i64(o, "amount_refunded", "the Charge")?,
                    currency: need_currency(o, "the Charge")?,
                    refund_ref: None,
                },
                None => NoticeKind::Ignored { event_type: event_type.clone() },
            }
        }
        "charge.dispute.created" => {
            let o = object()?;
            match id_of(o.get("payment_intent")) {
                Some(pi) => NoticeKind::Disputed { reference: Reference::PaymentIntent(pi) },
                None => NoticeKind::Ignored { event_type: event_type.clone() },
            }
        }
        _ => NoticeKind::Ignored { event_type: event_type.clone() },
    };
    Ok(Notice { method: Method::Card, event_id, kind })
}

/// The card provider's API client (Stripe protocol: PaymentIntents and Refunds).
#[derive(Clone)]
pub struct CardClient {
    /// Origin without version path, e.g. `https://api.stripe.com` (no trailing slash).
    api_base: String,
    /// The secret API key (`sk_…`), sent as a bearer token.
    api_key: String,
    /// The HTTP client.
    http: reqwest::Client,
}

impl fmt::Debug for CardClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardClient").field("api_base", &self.api_base).field("api_key", &"<redacted>").finish()
    }
}

/// Whether a provider id is safe to put in a URL path (Stripe ids are `[A-Za-z0-9_]`).
fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl CardClient {
    /// A client for the API at `api_base` (an origin such as `https://api.stripe.com`),
    /// with its own HTTP client (30 s timeout).
    pub fn new(api_base: impl Into<String>, api_key: impl Into<String>) -> Result<CardClient, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ProviderError::Transport(format!("cannot build HTTP client: {e}")))?;
        Ok(CardClient::with_http(api_base, api_key, http))
    }

    /// A client sharing an existing HTTP client.
    pub fn with_http(api_base: impl Into<String>, api_key: impl Into<String>, http: reqwest::Client) -> CardClient {
        let api_base = api_base.into().trim_end_matches('/').to_owned();
        CardClient { api_base, api_key: api_key.into(), http }
    }

    /// The API origin this client talks to.
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// Sends a request and returns the JSON answer, mapping Stripe error bodies
    /// to [`ProviderError::Refused`].
    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value, ProviderError> {
        let res = req
            .bearer_auth(&self.api_key)
            .send()
            .await
            .map_err(|e| ProviderError::Transport(e.without_url().to_string()))?;
        let status = res.status();
        let bytes = res.bytes().await.map_err(|e| ProviderError::Transport(e.without_url().to_string()))?;
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        if status.is_success() {
            return body.filter(Value::is_object).ok_or_else(|| {
                ProviderError::BadResponse(format!("HTTP {} with a body that is not a JSON object", status.as_u16()))
            });
        }
        if let Some(err) = body.as_ref().and_then(|b| b.get("error")).filter(|e| e.is_object()) {
            let code = str_field(err, "code")
                .or_else(|| str_field(err, "type"))
                .map(str::to_owned)
                .unwrap_or_else(|| format!("http_{}", status.as_u16()));
            let message = str_field(err, "message").unwrap_or("").to_owned();
            return Err(ProviderError::Refused { code, message });
        }
        if status.is_server_error() {
            return Err(ProviderError::Transport(format!("HTTP {}", status.as_u16())));
        }
        Err(ProviderError::BadResponse(format!("HTTP {} without a provider error body", status.as_u16())))
    }

    /// The URL of an API path such as `/v1/refunds`.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api_base)
    }

    /// Refuses ids that cannot be a PaymentIntent id before they reach a URL.
    fn check_id(id: &str) -> Result<(), ProviderError> {
        if is_plain_id(id) {
            Ok(())
        } else {
            Err(ProviderError::Refused { code: "invalid_reference".into(), message: "not a PaymentIntent id".into() })
        }
    }

    /// Fetches a PaymentIntent with its latest charge expanded.
    async fn get_intent(&self, id: &str) -> Result<Value, ProviderError> {
        Self::check_id(id)?;
        let req = self.http.get(self.url(&format!("/v1/payment_intents/{id}"))).query(&[("expand[]", "latest_charge")]);
        self.send(req).await
    }
}

/// A required string field of an API answer.
fn answer_str(v: &Value, key: &str) -> Result<String, ProviderError> {
    str_field(v, key)
        .map(str::to_owned)
        .ok_or_else(|| ProviderError::BadResponse(format!("answer has no string field {key}")))
}

#[async_trait]
impl Gateway for CardClient {
    fn method(&self) -> Method {
        Method::Card
    }

    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, ProviderError> {
        let form = [
            ("amount", req.amount.amount_minor().to_string()),
            ("currency", req.amount.currency().as_str().to_ascii_lowercase()),
            ("metadata[order_id]", req.order_id.clone()),
            ("description", req.description.clone()),
            ("automatic_payment_methods[enabled]", "true".to_owned()),
        ];
        let http =
            self.http.post(self.url("/v1/payment_intents")).header("Idempotency-Key", &req.idempotency_key).form(&form);
        let intent = self.send(http).await?;
        Ok(CreatedPayment {
            provider_ref: answer_str(&intent, "id")?,
            client_secret: str_field(&intent, "client_secret").map(str::to_owned),
            pay_url: None,
        })
    }

    async fn query(&self, provider_ref: &str, _out_trade_no: &str) -> Result<PaymentStatus, ProviderError> {
        let intent = self.get_intent(provider_ref).await?;
        let status = answer_str(&intent, "status")?;
        Ok(match status.as_str() {
            "succeeded" => {
                let refunded = intent
                    .get("latest_charge")
                    .filter(|c| c.is_object())
                    .and_then(|c| c.get("amount_refunded"))
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if refunded > 0 {
                    PaymentStatus::Refunded { refunded_minor: refunded }
                } else {
                    let amount_minor = intent
                        .get("amount_received")
                        .and_then(Value::as_i64)
                        .or_else(|| intent.get("amount").and_then(Value::as_i64))
                        .ok_or_else(|| ProviderError::BadResponse("PaymentIntent has no amount".into()))?;
                    PaymentStatus::Paid { amount_minor, provider_ref: answer_str(&intent, "id")? }
                }
            }
            "canceled" => PaymentStatus::Closed,
            _ => PaymentStatus::Pending,
        })
    }

    async fn close(&self, provider_ref: &str, _out_trade_no: &str) -> Result<(), ProviderError> {
        Self::check_id(provider_ref)?;
        let req = self.http.post(self.url(&format!("/v1/payment_intents/{provider_ref}/cancel")));
        match self.send(req).await {
            Ok(_) => Ok(()),
            Err(ProviderError::Refused { code, message }) if code == "payment_intent_unexpected_state" => {
                // Already canceled is what we wanted; anything else (succeeded) is a real refusal.
                let intent = self.get_intent(provider_ref).await?;
                if str_field(&intent, "status") == Some("canceled") {
                    Ok(())
                } else {
                    Err(ProviderError::Refused { code, message })
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn refund(&self, req: &RefundRequest) -> Result<RefundStatus, ProviderError> {
        let form = [("payment_intent", req.provider_ref.clone()), ("amount", req.amount.amount_minor().to_string())];
        let http = self.http.post(self.url("/v1/refunds")).header("Idempotency-Key", &req.refund_no).form(&form);
        let refund = self.send(http).await?;
        let status = answer_str(&refund, "status")?;
        Ok(match status.as_str() {
            "succeeded" => RefundStatus::Succeeded,
            "pending" | "requires_action" => RefundStatus::Pending,
            "failed" | "canceled" => RefundStatus::Failed(
                str_field(&refund, "failure_reason").map(str::to_owned).unwrap_or_else(|| status.clone()),
            ),
            other => return Err(ProviderError::BadResponse(format!("unknown refund status {other:?}"))),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SECRET: &str = "whsec_test_keepsim_5f2b9c0e";
    const PAYLOAD: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;
    const T: i64 = 1_714_566_645;
    /// Computed independently with Python:
    /// `hmac.new(SECRET.encode(), b"1714566645." + PAYLOAD, hashlib.sha256).hexdigest()`.
    const KAT_V1: &str = "ca38323765b399016b7489038d4a49514a4a34628a36a9a017deb5425a0f6240";

    #[test]
    fn known_answer() {
        assert_eq!(signature_header(PAYLOAD, SECRET, T), format!("t={T},v1={KAT_V1}"));
        let header = format!("t={T},v1={KAT_V1}");
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, T, 300), Ok(()));
        // Uppercase hex is the same bytes.
        let upper = format!("t={T},v1={}", KAT_V1.to_uppercase());
        assert_eq!(verify_signature(&upper, PAYLOAD, SECRET, T, 300), Ok(()));
    }

    #[test]
    fn any_order_whitespace_unknown_keys_and_multiple_v1() {
        let wrong = "0".repeat(64);
        let header = format!(" v0=abc , v1={wrong},  t={T} ,foo=bar,v1={KAT_V1} ,junk");
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, T + 10, 300), Ok(()));
        let only_wrong = format!("t={T},v1={wrong},v1=nothex");
        assert_eq!(verify_signature(&only_wrong, PAYLOAD, SECRET, T, 300), Err(VerifyError::BadSignature));
    }

    #[test]
    fn wrong_secret_and_tampered_body() {
        let header = signature_header(PAYLOAD, SECRET, T);
        assert_eq!(verify_signature(&header, PAYLOAD, "whsec_other", T, 300), Err(VerifyError::BadSignature));
        // The prefix is part of the key.
        let bare = SECRET.trim_start_matches("whsec_");
        assert_eq!(verify_signature(&header, PAYLOAD, bare, T, 300), Err(VerifyError::BadSignature));
        let tampered = br#"{"id":"evt_1","type":"payment_intent.succeedeD"}"#;
        assert_eq!(verify_signature(&header, tampered, SECRET, T, 300), Err(VerifyError::BadSignature));
        // A different t with the same v1 is a different signed text.
        let moved = format!("t={},v1={KAT_V1}", T + 1);
        assert_eq!(verify_signature(&moved, PAYLOAD, SECRET, T, 300), Err(VerifyError::BadSignature));
    }

    #[test]
    fn tolerance_both_directions() {
        let header = signature_header(PAYLOAD, SECRET, T);
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, T + 300, 300), Ok(()));
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, T - 300, 300), Ok(()));
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, T + 301, 300), Err(VerifyError::StaleTimestamp));
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, T - 301, 300), Err(VerifyError::StaleTimestamp));
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, i64::MAX, 300), Err(VerifyError::StaleTimestamp));
        assert_eq!(verify_signature(&header, PAYLOAD, SECRET, i64::MIN, -5), Err(VerifyError::StaleTimestamp));
    }

    #[test]
    fn malformed_headers_never_panic() {
        let v1 = format!("v1={KAT_V1}");
        for header in [
            String::new(),
            ",,,".to_owned(),
            "t".to_owned(),
            v1.clone(),
            format!("t={T}"),
            format!("t={T},v0={KAT_V1}"),
            format!("t=abc,{v1}"),
            format!("t=,{v1}"),
            format!("t=-5,{v1}"),
            format!("t=99999999999999999999999,{v1}"),
            "t=1,v1=".to_owned(),
            "\u{0}=\u{0}".to_owned(),
            "t=１２,v1=ä".to_owned(),
        ] {
            let r = verify_signature(&header, PAYLOAD, SECRET, T, 300);
            assert!(r.is_err(), "{header:?}");
        }
        assert!(matches!(verify_signature("", PAYLOAD, SECRET, T, 300), Err(VerifyError::Malformed(_))));
        assert!(matches!(verify_signature(&v1, PAYLOAD, SECRET, T, 300), Err(VerifyError::Malformed(_))));
        assert!(matches!(verify_signature(&format!("t={T}"), PAYLOAD, SECRET, T, 300), Err(VerifyError::Malformed(_))));
        assert!(matches!(
            verify_signature(&format!("t=x,{v1}"), PAYLOAD, SECRET, T, 300),
            Err(VerifyError::Malformed(_))
        ));
        assert_eq!(verify_signature("t=1,v1=", PAYLOAD, SECRET, 1, 300), Err(VerifyError::BadSignature));
    }

    fn event(kind: &str, object: Value) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "id": "evt_123", "object": "event", "type": kind, "created": T, "data": { "object": object }
        }))
        .unwrap()
    }

    #[test]
    fn parses_payment_intent_succeeded() {
        let body = event(
            "payment_intent.succeeded",
            serde_json::json!({
                "id": "pi_1", "object": "payment_intent", "amount": 1250, "amount_received": 1250,
                "currency": "usd", "metadata": {"order_id": "ord_9"}, "status": "succeeded"
            }),
        );
        let n = parse_event(&body).unwrap();
        assert_eq!(n.method, Method::Card);
        assert_eq!(n.event_id, "evt_123");
        assert_eq!(
            n.kind,
            NoticeKind::Paid {
                reference: Reference::OrderId("ord_9".into()),
                amount_minor: 1250,
                currency: Currency::USD,
                provider_ref: "pi_1".into(),
            }
        );
        // Without metadata the PaymentIntent id is the reference; without amount_received, amount.
        let body = event(
            "payment_intent.succeeded",
            serde_json::json!({"id": "pi_2", "amount": 700, "currency": "hkd", "metadata": {}}),
        );
        assert_eq!(
            parse_event(&body).unwrap().kind,
            NoticeKind::Paid {
                reference: Reference::PaymentIntent("pi_2".into()),
                amount_minor: 700,
                currency: Currency::HKD,
                provider_ref: "pi_2".into(),
            }
        );
    }

    #[test]
    fn parses_failed_refunded_disputed_and_other() {
        let body = event(
            "payment_intent.payment_failed",
            serde_json::json!({"id": "pi_1", "amount": 100, "currency": "usd", "metadata": {"order_id": "ord_1"},
                "last_payment_error": {"code": "card_declined", "message": "Your card was declined."}}),
        );
        assert_eq!(
            parse_event(&body).unwrap().kind,
            NoticeKind::PaymentFailed {
                reference: Reference::OrderId("ord_1".into()),
                reason: Some("Your card was declined.".into())
            }
        );
        let body = event(
            "charge.refunded",
            serde_json::json!({"id": "ch_1", "object": "charge", "amount": 1000, "amount_refunded": 400,
                "currency": "eur", "payment_intent": "pi_1", "refunded": false}),
        );
        assert_eq!(
            parse_event(&body).unwrap().kind,
            NoticeKind::Refunded {
                reference: Reference::PaymentIntent("pi_1".into()),
                refunded_minor: 400,
                currency: Currency::EUR,
                refund_ref: None
            }
        );
        let body = event(
            "charge.dispute.created",
            serde_json::json!({"id": "dp_1", "object": "dispute", "amount": 1000, "currency": "usd",
                "charge": "ch_1", "payment_intent": "pi_1", "reason": "fraudulent"}),
        );
        assert_eq!(
            parse_event(&body).unwrap().kind,
            NoticeKind::Disputed { reference: Reference::PaymentIntent("pi_1".into()) }
        );
        let body = event("customer.created", serde_json::json!({"id": "cus_1"}));
        assert_eq!(parse_event(&body).unwrap().kind, NoticeKind::Ignored { event_type: "customer.created".into() });
        let body = event("charge.refunded", serde_json::json!({"id": "ch_1", "payment_intent": null}));
        assert_eq!(parse_event(&body).unwrap().kind, NoticeKind::Ignored { event_type: "charge.refunded".into() });
    }

    #[test]
    fn malformed_events() {
        for body in [
            &b""[..],
            b"\xff\xfe",
            b"not json",
            b"[]",
            br#"{"type":"payment_intent.succeeded"}"#,
            br#"{"id":"evt_1"}"#,
            br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#,
            br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","currency":"usd"}}}"#,
            br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":1}}}"#,
            br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":1,"currency":"u$d"}}}"#,
            br#"{"id":"evt_1","type":"charge.refunded","data":{"object":{"payment_intent":"pi_1","currency":"usd"}}}"#,
        ] {
            assert!(matches!(parse_event(body), Err(VerifyError::Malformed(_))), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn debug_hides_the_key() {
        let c = CardClient::with_http("https://api.example/", "sk_live_secret", reqwest::Client::new());
        let d = format!("{c:?}");
        assert!(!d.contains("sk_live_secret"), "{d}");
        assert_eq!(c.api_base(), "https://api.example");
    }
}
