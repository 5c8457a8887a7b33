//! The card provider stand-in: the slice of Stripe's API that
//! [`CardClient`](crate::card::CardClient) calls (PaymentIntents create /
//! retrieve / cancel, Refunds create), with Stripe's bearer-key check, form
//! bodies, error JSON and `Idempotency-Key` replay, plus webhook events
//! (`payment_intent.succeeded`, `payment_intent.payment_failed`,
//! `charge.refunded`, `charge.dispute.created`) signed exactly as Stripe signs
//! them, with [`signature_header`].

use super::{Delivery, SandboxError};
use crate::card::{SIGNATURE_HEADER, signature_header};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rand::Rng;
use rand::distributions::Alphanumeric;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use subtle::ConstantTimeEq;

/// One PaymentIntent held by the sandbox.
#[derive(Debug, Clone)]
struct Intent {
    /// `pi_…`.
    id: String,
    /// `pi_…_secret_…`.
    client_secret: String,
    /// Minor units.
    amount: i64,
    /// Lowercase ISO code, as Stripe writes it.
    currency: String,
    /// `metadata[order_id]`.
    order_id: Option<String>,
    /// `description`.
    description: Option<String>,
    /// Stripe status word.
    status: String,
    /// Minor units received.
    amount_received: i64,
    /// Minor units refunded so far.
    amount_refunded: i64,
    /// `ch_…` once paid.
    charge_id: Option<String>,
    /// The last decline, as Stripe reports it.
    last_payment_error: Option<Value>,
    /// Unix seconds.
    created: i64,
    /// Unix seconds, once canceled.
    canceled_at: Option<i64>,
    /// Creation order, to find the latest intent of an order.
    seq: u64,
}

impl Intent {
    /// The metadata object.
    fn metadata(&self) -> Value {
        match &self.order_id {
            Some(o) => json!({ "order_id": o }),
            None => json!({}),
        }
    }

    /// The Charge object of a paid intent.
    fn charge_json(&self, charge_id: &str) -> Value {
        json!({
            "id": charge_id,
            "object": "charge",
            "amount": self.amount,
            "amount_captured": self.amount_received,
            "amount_refunded": self.amount_refunded,
            "captured": true,
            "created": self.created,
            "currency": self.currency,
            "livemode": false,
            "metadata": self.metadata(),
            "paid": true,
            "payment_intent": self.id,
            "refunded": self.amount_refunded >= self.amount && self.amount > 0,
            "status": "succeeded",
        })
    }

    /// The PaymentIntent object; `expand_charge` expands `latest_charge`.
    fn json(&self, expand_charge: bool) -> Value {
        let latest_charge = match (&self.charge_id, expand_charge) {
            (Some(c), true) => self.charge_json(c),
            (Some(c), false) => json!(c),
            (None, _) => Value::Null,
        };
        json!({
            "id": self.id,
            "object": "payment_intent",
            "amount": self.amount,
            "amount_capturable": 0,
            "amount_received": self.amount_received,
            "automatic_payment_methods": { "enabled": true },
            "canceled_at": self.canceled_at,
            "cancellation_reason": Value::Null,
            "capture_method": "automatic",
            "client_secret": self.client_secret,
            "confirmation_method": "automatic",
            "created": self.created,
            "currency": self.currency,
            "description": self.description,
            "last_payment_error": self.last_payment_error,
            "latest_charge": latest_charge,
            "livemode": false,
            "metadata": self.metadata(),
            "status": self.status,
        })
    }
}

/// A cached answer to an idempotent request.
#[derive(Debug, Clone)]
struct Cached {
    /// Method, path and body of the first request.
    fingerprint: String,
    /// The answer's status.
    status: StatusCode,
    /// The answer's body.
    body: Value,
}

/// The mutable part of the sandbox.
#[derive(Debug, Default)]
struct Inner {
    /// PaymentIntents by id.
    intents: HashMap<String, Intent>,
    /// Idempotency-Key → first answer.
    idempotency: HashMap<String, Cached>,
    /// Creation counter.
    seq: u64,
}

/// The card provider stand-in (Stripe protocol).
pub struct CardSandbox {
    /// The secret API key the sandbox expects (`sk_test_…`).
    api_key: String,
    /// The webhook signing secret (`whsec_…`).
    webhook_secret: String,
    /// keepsim's card webhook URL (Stripe configures it per account, not per intent).
    notify_url: String,
    /// PaymentIntents and the idempotency cache.
    inner: Mutex<Inner>,
}

impl fmt::Debug for CardSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardSandbox")
            .field("api_key", &"<redacted>")
            .field("webhook_secret", &"<redacted>")
            .field("notify_url", &self.notify_url)
            .finish_non_exhaustive()
    }
}

/// A random Stripe-style id: `prefix` + 24 alphanumerics.
fn random_id(prefix: &str) -> String {
    let tail: String = rand::thread_rng().sample_iter(&Alphanumeric).take(24).map(char::from).collect();
    format!("{prefix}{tail}")
}

/// Current unix seconds.
fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A Stripe error answer.
fn stripe_error(status: StatusCode, code: Option<&str>, message: &str, param: Option<&str>) -> Response {
    let mut err = json!({ "message": message, "type": "invalid_request_error" });
    if let Some(code) = code {
        err["code"] = json!(code);
    }
    if let Some(param) = param {
        err["param"] = json!(param);
    }
    (status, axum::Json(json!({ "error": err }))).into_response()
}

/// A Stripe success answer.
fn ok(body: Value) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// Parses a Stripe form body or query (last value of a repeated key wins).
fn form(bytes: &[u8]) -> Option<HashMap<String, String>> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).ok().map(|v| v.into_iter().collect())
}

/// "No such payment_intent" (404).
fn no_such(kind: &str, id: &str) -> Response {
    stripe_error(StatusCode::NOT_FOUND, Some("resource_missing"), &format!("No such {kind}: '{id}'"), Some("id"))
}

impl CardSandbox {
    /// A sandbox expecting `api_key` as bearer key, signing webhooks with
    /// `webhook_secret` and delivering them to `notify_url` (keepsim's card webhook).
    pub fn new(
        api_key: impl Into<String>,
        webhook_secret: impl Into<String>,
        notify_url: impl Into<String>,
    ) -> CardSandbox {
        CardSandbox {
            api_key: api_key.into(),
            webhook_secret: webhook_secret.into(),
            notify_url: notify_url.into(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Where webhook deliveries go.
    pub fn notify_url(&self) -> &str {
        &self.notify_url
    }

    /// Locks the state (a poisoned lock is still usable: every update is one assignment).
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The id of the most recently created PaymentIntent for an order (`metadata[order_id]`).
    pub fn find_by_order(&self, order_id: &str) -> Option<String> {
        let inner = self.lock();
        inner
            .intents
            .values()
            .filter(|i| i.order_id.as_deref() == Some(order_id))
            .max_by_key(|i| i.seq)
            .map(|i| i.id.clone())
    }

    /// The Stripe status of a PaymentIntent (`requires_payment_method`, `succeeded`, `canceled`).
    pub fn status(&self, payment_intent_id: &str) -> Option<String> {
        self.lock().intents.get(payment_intent_id).map(|i| i.status.clone())
    }

    /// Builds a signed event delivery.
    fn event(&self, event_type: &str, object: Value, now_unix: i64) -> Result<Delivery, SandboxError> {
        let event = json!({
            "id": random_id("evt_"),
            "object": "event",
            "api_version": "2024-06-20",
            "created": now_unix,
            "data": { "object": object },
            "livemode": false,
            "pending_webhooks": 1,
            "request": { "id": Value::Null, "idempotency_key": Value::Null },
            "type": event_type,
        });
        let body = serde_json::to_vec(&event).map_err(|e| SandboxError::Signing(e.to_string()))?;
        let header = signature_header(&body, &self.webhook_secret, now_unix);
        Ok(Delivery {
            url: self.notify_url.clone(),
            content_type: "application/json; charset=utf-8".into(),
            headers: vec![(SIGNATURE_HEADER.to_owned(), header)],
            body,
        })
    }

    /// The customer pays: the PaymentIntent succeeds and a signed
    /// `payment_intent.succeeded` event is returned for delivery.
    pub fn pay(&self, payment_intent_id: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let object = {
            let mut inner = self.lock();
            let intent = inner
                .intents
                .get_mut(payment_intent_id)
                .ok_or_else(|| SandboxError::UnknownPayment(payment_intent_id.to_owned()))?;
            if !intent.status.starts_with("requires_") {
                return Err(SandboxError::WrongState(format!("PaymentIntent is {}", intent.status)));
            }
            intent.status = "succeeded".into();
            intent.amount_received = intent.amount;
            intent.last_payment_error = None;
            intent.charge_id = Some(random_id("ch_"));
            intent.json(false)
        };
        self.event("payment_intent.succeeded", object, now_unix)
    }

    /// The customer's card is declined: the PaymentIntent stays
    /// `requires_payment_method` with a `last_payment_error`, and a signed
    /// `payment_intent.payment_failed` event is returned.
    pub fn fail(&self, payment_intent_id: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let object = {
            let mut inner = self.lock();
            let intent = inner
                .intents
                .get_mut(payment_intent_id)
                .ok_or_else(|| SandboxError::UnknownPayment(payment_intent_id.to_owned()))?;
            if !intent.status.starts_with("requires_") {
                return Err(SandboxError::WrongState(format!("PaymentIntent is {}", intent.status)));
            }
            intent.status = "requires_payment_method".into();
            intent.last_payment_error = Some(json!({
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": "Your card was declined.",
                "type": "card_error",
            }));
            intent.json(false)
        };
        self.event("payment_intent.payment_failed", object, now_unix)
    }

    /// A signed `charge.refunded` event for a PaymentIntent that has been
    /// (partly) refunded through the API, carrying the cumulative
    /// `amount_refunded`. Each call builds a new event (new id).
    pub fn take_refund_delivery(&self, payment_intent_id: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let object = {
            let inner = self.lock();
            let intent = inner
                .intents
                .get(payment_intent_id)
                .ok_or_else(|| SandboxError::UnknownPayment(payment_intent_id.to_owned()))?;
            match &intent.charge_id {
                Some(charge) if intent.amount_refunded > 0 => intent.charge_json(charge),
                _ => return Err(SandboxError::WrongState("nothing has been refunded".into())),
            }
        };
        self.event("charge.refunded", object, now_unix)
    }

    /// The customer disputes a paid PaymentIntent: a signed
    /// `charge.dispute.created` event (a Dispute object with `charge` and `payment_intent`).
    pub fn dispute(&self, payment_intent_id: &str, now_unix: i64) -> Result<Delivery, SandboxError> {
        let object = {
            let inner = self.lock();
            let intent = inner
                .intents
                .get(payment_intent_id)
                .ok_or_else(|| SandboxError::UnknownPayment(payment_intent_id.to_owned()))?;
            let Some(charge) = &intent.charge_id else {
                return Err(SandboxError::WrongState("PaymentIntent has no charge".into()));
            };
            json!({
                "id": random_id("dp_"),
                "object": "dispute",
                "amount": intent.amount_received,
                "charge": charge,
                "created": now_unix,
                "currency": intent.currency,
                "livemode": false,
                "metadata": {},
                "payment_intent": intent.id,
                "reason": "fraudulent",
                "status": "needs_response",
            })
        };
        self.event("charge.dispute.created", object, now_unix)
    }

    /// Checks the bearer key as Stripe does; `Err` is the 401 answer.
    fn authorize(&self, headers: &HeaderMap) -> Result<(), Box<Response>> {
        let given = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match given {
            None => Err(Box::new(stripe_error(
                StatusCode::UNAUTHORIZED,
                None,
                "You did not provide an API key. You need to provide your API key in the Authorization header, \
                 using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
                None,
            ))),
            Some(key) if bool::from(key.as_bytes().ct_eq(self.api_key.as_bytes())) => Ok(()),
            Some(key) => {
                let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
                Err(Box::new(stripe_error(
                    StatusCode::UNAUTHORIZED,
                    None,
                    &format!("Invalid API Key provided: sk_****{tail}"),
                    None,
                )))
            }
        }
    }

    /// Runs `f` under Stripe's idempotency rules: a replayed key with the same
    /// request returns the first answer; with a different request, an
    /// `idempotency_key_in_use` error. Only successful answers are remembered.
    fn idempotent(&self, headers: &HeaderMap, fingerprint: String, f: impl FnOnce(&mut Inner) -> Answer) -> Response {
        let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut inner = self.lock();
        let Some(key) = key.filter(|k| !k.is_empty()) else {
            return f(&mut inner).into_response();
        };
        if let Some(cached) = inner.idempotency.get(&key) {
            if cached.fingerprint != fingerprint {
                return stripe_error(
                    StatusCode::BAD_REQUEST,
                    Some("idempotency_key_in_use"),
                    "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                    None,
                );
            }
            let mut res = (cached.status, axum::Json(cached.body.clone())).into_response();
            res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            return res;
        }
        let answer = f(&mut inner);
        if let Answer::Ok(body) = &answer {
            inner.idempotency.insert(key, Cached { fingerprint, status: StatusCode::OK, body: body.clone() });
        }
        answer.into_response()
    }
}

/// What an API operation answers: a JSON object, or a Stripe error.
enum Answer {
    /// 200 with this object.
    Ok(Value),
    /// An error answer.
    Err(Response),
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Answer::Ok(body) => ok(body),
            Answer::Err(res) => res,
        }
    }
}

/// The router serving the card API paths [`CardClient`](crate::card::CardClient) calls;
/// mount it where the client's `api_base` points (the sandbox mounts it at `/sandbox/card`).
pub fn router(s: Arc<CardSandbox>) -> Router {
    Router::new()
        .route("/v1/payment_intents", post(create_intent))
        .route("/v1/payment_intents/{id}", get(retrieve_intent))
        .route("/v1/payment_intents/{id}/cancel", post(cancel_intent))
        .route("/v1/refunds", post(create_refund))
        .fallback(unknown_url)
        .with_state(s)
}

/// 404 for any other path, as Stripe answers.
async fn unknown_url() -> Response {
    stripe_error(StatusCode::NOT_FOUND, None, "Unrecognized request URL. Please see https://stripe.com/docs.", None)
}

/// A required positive integer parameter.
fn positive_int(params: &HashMap<String, String>, name: &str) -> Result<Option<i64>, Box<Response>> {
    let Some(text) = params.get(name) else {
        return Ok(None);
    };
    match text.parse::<i64>() {
        Ok(n) if n > 0 && n <= 99_999_999 => Ok(Some(n)),
        _ => Err(Box::new(stripe_error(
            StatusCode::BAD_REQUEST,
            Some("parameter_invalid_integer"),
            &format!("Invalid integer: {text}"),
            Some(name),
        ))),
    }
}

/// A missing required parameter.
fn missing(name: &str) -> Response {
    stripe_error(
        StatusCode::BAD_REQUEST,
        Some("parameter_missing"),
        &format!("Missing required param: {name}."),
        Some(name),
    )
}

/// The body as form parameters, or Stripe's error for an unreadable body.
fn form_or_error(body: &[u8]) -> Result<HashMap<String, String>, Box<Response>> {
    form(body).ok_or_else(|| {
        Box::new(stripe_error(StatusCode::BAD_REQUEST, None, "Invalid request body: expected form encoding.", None))
    })
}

/// `POST /v1/payment_intents`.
async fn create_intent(State(s): State<Arc<CardSandbox>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(res) = s.authorize(&headers) {
        return *res;
    }
    let params = match form_or_error(&body) {
        Ok(p) => p,
        Err(res) => return *res,
    };
    let amount = match positive_int(&params, "amount") {
        Ok(Some(a)) => a,
        Ok(None) => return missing("amount"),
        Err(res) => return *res,
    };
    let currency = match params.get("currency") {
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) => c.to_ascii_lowercase(),
        Some(c) => {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                Some("parameter_invalid_string"),
                &format!("Invalid currency: {c}."),
                Some("currency"),
            );
        }
        None => return missing("currency"),
    };
    let fingerprint = format!("POST /v1/payment_intents {}", String::from_utf8_lossy(&body));
    s.idempotent(&headers, fingerprint, |inner| {
        inner.seq += 1;
        let id = random_id("pi_");
        let intent = Intent {
            client_secret: format!("{id}_secret_{}", random_id("")),
            id: id.clone(),
            amount,
            currency,
            order_id: params.get("metadata[order_id]").filter(|o| !o.is_empty()).cloned(),
            description: params.get("description").cloned(),
            status: "requires_payment_method".into(),
            amount_received: 0,
            amount_refunded: 0,
            charge_id: None,
            last_payment_error: None,
            created: now(),
            canceled_at: None,
            seq: inner.seq,
        };
        let body = intent.json(false);
        inner.intents.insert(id, intent);
        Answer::Ok(body)
    })
}

/// `GET /v1/payment_intents/{id}` (honours `expand[]=latest_charge`).
async fn retrieve_intent(
    State(s): State<Arc<CardSandbox>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = s.authorize(&headers) {
        return *res;
    }
    let expand = query
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(&q).ok())
        .is_some_and(|pairs| pairs.iter().any(|(k, v)| k.starts_with("expand") && v == "latest_charge"));
    match s.lock().intents.get(&id) {
        Some(intent) => ok(intent.json(expand)),
        None => no_such("payment_intent", &id),
    }
}

/// `POST /v1/payment_intents/{id}/cancel`.
async fn cancel_intent(State(s): State<Arc<CardSandbox>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Err(res) = s.authorize(&headers) {
        return *res;
    }
    let fingerprint = format!("POST /v1/payment_intents/{id}/cancel");
    s.idempotent(&headers, fingerprint, |inner| {
        let Some(intent) = inner.intents.get_mut(&id) else {
            return Answer::Err(no_such("payment_intent", &id));
        };
        if intent.status == "succeeded" || intent.status == "canceled" {
            let message = format!(
                "You cannot cancel this PaymentIntent because it has a status of {}. Only a PaymentIntent with \
                 one of the following statuses may be canceled: requires_payment_method, requires_capture, \
                 requires_confirmation, requires_action, processing.",
                intent.status
            );
            let mut err = json!({
                "code": "payment_intent_unexpected_state",
                "message": message,
                "type": "invalid_request_error",
                "payment_intent": intent.json(false),
            });
            if let Some(obj) = err.as_object_mut() {
                obj.insert(
                    "doc_url".into(),
                    json!("https://stripe.com/docs/error-codes/payment-intent-unexpected-state"),
                );
            }
            return Answer::Err((StatusCode::BAD_REQUEST, axum::Json(json!({ "error": err }))).into_response());
        }
        intent.status = "canceled".into();
        intent.canceled_at = Some(now());
        Answer::Ok(intent.json(false))
    })
}

/// `POST /v1/refunds` (`payment_intent`, optional `amount`).
async fn create_refund(State(s): State<Arc<CardSandbox>>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(res) = s.authorize(&headers) {
        return *res;
    }
    let params = match form_or_error(&body) {
        Ok(p) => p,
        Err(res) => return *res,
    };
    let Some(pi) = params.get("payment_intent").cloned() else {
        return missing("payment_intent");
    };
    let amount = match positive_int(&params, "amount") {
        Ok(a) => a,
        Err(res) => return *res,
    };
    let fingerprint = format!("POST /v1/refunds {}", String::from_utf8_lossy(&body));
    s.idempotent(&headers, fingerprint, |inner| {
        let Some(intent) = inner.intents.get_mut(&pi) else {
            return Answer::Err(no_such("payment_intent", &pi));
        };
        let Some(charge) = intent.charge_id.clone().filter(|_| intent.status == "succeeded") else {
            return Answer::Err(stripe_error(
                StatusCode::BAD_REQUEST,
                Some("payment_intent_unexpected_state"),
                "This PaymentIntent does not have a successful charge to refund.",
                Some("payment_intent"),
            ));
        };
        let remaining = intent.amount_received - intent.amount_refunded;
        if remaining <= 0 {
            return Answer::Err(stripe_error(
                StatusCode::BAD_REQUEST,
                Some("charge_already_refunded"),
                &format!("Charge {charge} has already been refunded."),
                None,
            ));
        }
        let amount = amount.unwrap_or(remaining);
        if amount > remaining {
            return Answer::Err(stripe_error(
                StatusCode::BAD_REQUEST,
                Some("amount_too_large"),
                &format!("Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})"),
                Some("amount"),
            ));
        }
        intent.amount_refunded += amount;
        Answer::Ok(json!({
            "id": random_id("re_"),
            "object": "refund",
            "amount": amount,
            "charge": charge,
            "created": now(),
            "currency": intent.currency,
            "metadata": {},
            "payment_intent": intent.id,
            "reason": Value::Null,
            "status": "succeeded",
        }))
    })
}
