//! Buying a top-up: create an order (idempotently), watch it, see the bundle.

use crate::AppState;
use crate::extract::{Customer, PathId};
use crate::problem::{Problem, ProblemBody};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use keepsim_services::orders::{OrderRequest, body_hash};
use keepsim_store::{BundleRecord, OrderRecord};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// What to buy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrder {
    /// One of your lines.
    pub line_id: Uuid,
    /// A package code from `/packages`.
    pub package_code: String,
    /// `card`, `alipay` or `wechat`.
    pub payment_method: String,
    /// ISO 4217, e.g. `CNY`.
    pub currency: String,
}

/// How to pay: card `{provider_ref, client_secret}`, Alipay `{out_trade_no, pay_url}`,
/// WeChat `{out_trade_no, code_url}`; in sandbox mode also `checkout_url`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDto {
    /// Card: the PaymentIntent id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_ref: Option<String>,
    /// Card: the PaymentIntent client secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Alipay / WeChat: our trade number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_trade_no: Option<String>,
    /// Alipay: the `qr_code` of `alipay.trade.precreate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_url: Option<String>,
    /// WeChat Pay: the native `code_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_url: Option<String>,
    /// Sandbox mode: the built-in checkout page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<String>,
}

/// An order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    /// Order id.
    pub id: Uuid,
    /// awaiting_payment, paid, fulfilled, failed, expired, refunded, partially_refunded.
    pub status: String,
    /// The line it tops up.
    pub line_id: Uuid,
    /// The package bought.
    pub package_code: String,
    /// The price snapshotted at creation, minor units.
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// card, alipay or wechat.
    pub payment_method: String,
    /// How to pay.
    pub payment: PaymentDto,
    /// Refunded so far, minor units.
    pub refunded_minor: i64,
    /// Created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Expires unpaid at.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Paid at.
    #[serde(with = "time::serde::rfc3339::option")]
    pub paid_at: Option<OffsetDateTime>,
    /// Credited at.
    #[serde(with = "time::serde::rfc3339::option")]
    pub fulfilled_at: Option<OffsetDateTime>,
}

impl OrderDto {
    /// The answer form of an order.
    pub fn new(o: OrderRecord, public_url: &str, sandbox: bool) -> OrderDto {
        let checkout_url = sandbox.then(|| format!("{}/sandbox/checkout/{}", public_url.trim_end_matches('/'), o.id));
        let payment = match o.method.as_str() {
            "card" => PaymentDto {
                provider_ref: o.provider_ref.clone(),
                client_secret: o.client_secret.clone(),
                out_trade_no: None,
                pay_url: None,
                code_url: None,
                checkout_url,
            },
            "alipay" => PaymentDto {
                provider_ref: None,
                client_secret: None,
                out_trade_no: Some(o.out_trade_no.clone()),
                pay_url: o.pay_url.clone(),
                code_url: None,
                checkout_url,
            },
            _ => PaymentDto {
                provider_ref: None,
                client_secret: None,
                out_trade_no: Some(o.out_trade_no.clone()),
                pay_url: None,
                code_url: o.pay_url.clone(),
                checkout_url,
            },
        };
        OrderDto {
            id: o.id,
            status: o.status.as_str().into(),
            line_id: o.line_id,
            package_code: o.package.code.clone(),
            amount_minor: o.amount.amount_minor(),
            currency: o.amount.currency().to_string(),
            payment_method: o.method.clone(),
            payment,
            refunded_minor: o.refunded_minor,
            created_at: o.created_at,
            expires_at: o.expires_at,
            paid_at: o.paid_at,
            fulfilled_at: o.fulfilled_at,
        }
    }
}

fn json_body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Problem> {
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if !is_json {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as application/json",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", e.to_string())
        } else {
            Problem::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string())
        }
    })
}

/// Creates an order. Requires `Idempotency-Key`: the same key and body return the same
/// order (201 the first time, 200 after); the same key with another body is refused.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = CreateOrder, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "unique per purchase, e.g. a UUID")),
    responses((status = 201, body = OrderDto), (status = 200, body = OrderDto, description = "a replay of the same request"),
        (status = 400, body = ProblemBody, description = "idempotency_key_required"),
        (status = 409, body = ProblemBody, description = "idempotency_key_in_use"),
        (status = 422, body = ProblemBody, description = "idempotency_key_reused, price_not_available, currency_not_supported, unknown_package"),
        (status = 502, body = ProblemBody, description = "payment_provider_unavailable")))]
pub async fn create(
    State(state): State<AppState>,
    c: Customer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, axum::Json<OrderDto>), Problem> {
    let key = headers.get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{0}"));
    if key.is_none() {
        return Err(keepsim_services::ServiceError::IdempotencyKeyRequired.into());
    }
    let req: CreateOrder = json_body(&headers, &body)?;
    // The hash is of the parsed request, so formatting differences are the same request.
    let canonical =
        serde_json::json!([req.line_id, req.package_code, req.payment_method, req.currency.to_ascii_uppercase()]);
    let hash = body_hash(canonical.to_string().as_bytes());
    let request = OrderRequest {
        line_id: req.line_id,
        package_code: req.package_code,
        payment_method: req.payment_method,
        currency: req.currency,
    };
    let (order, created) = state.services.create_order(&c.account, key, &request, &hash).await?;
    let p = &state.services.payments;
    Ok((
        if created { StatusCode::CREATED } else { StatusCode::OK },
        axum::Json(OrderDto::new(order, &p.public_url, p.sandbox)),
    ))
}

/// One of your orders.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "order id")),
    responses((status = 200, body = OrderDto), (status = 404, body = ProblemBody)))]
pub async fn get(
    State(state): State<AppState>,
    c: Customer,
    PathId(id): PathId,
) -> Result<axum::Json<OrderDto>, Problem> {
    let order = state.services.order(&c.account, id).await?;
    let p = &state.services.payments;
    Ok(axum::Json(OrderDto::new(order, &p.public_url, p.sandbox)))
}

/// One service's balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceDto {
    /// Units credited; null = unlimited.
    pub total: Option<u64>,
    /// Units used.
    pub used: u64,
    /// Units held by open sessions.
    pub reserved: u64,
    /// `total − used − reserved`; null = unlimited.
    pub remaining: Option<u64>,
}

impl From<keepsim_domain::bundle::Balance> for BalanceDto {
    fn from(b: keepsim_domain::bundle::Balance) -> Self {
        BalanceDto { total: b.total, used: b.used, reserved: b.reserved, remaining: b.remaining() }
    }
}

/// A bundle on a line.
#[derive(Debug, Serialize, ToSchema)]
pub struct BundleDto {
    /// Bundle id.
    pub id: Uuid,
    /// The order that bought it.
    pub order_id: Uuid,
    /// Package code.
    pub package_code: String,
    /// active, exhausted, expired or revoked.
    pub state: String,
    /// Start; null until first use for first-use packages.
    #[serde(with = "time::serde::rfc3339::option")]
    pub starts_at: Option<OffsetDateTime>,
    /// End; null until it starts.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Countries where it works.
    pub coverage: Vec<String>,
    /// Data, bytes.
    pub data: BalanceDto,
    /// For unlimited data: bytes at full speed.
    pub fair_use_bytes: Option<u64>,
    /// Voice, seconds.
    pub voice: BalanceDto,
    /// SMS, messages.
    pub sms: BalanceDto,
}

impl From<BundleRecord> for BundleDto {
    fn from(b: BundleRecord) -> Self {
        BundleDto {
            id: b.id,
            order_id: b.order_id,
            package_code: b.package_code,
            state: b.state.as_str().into(),
            starts_at: b.starts_at,
            expires_at: b.expires_at,
            coverage: b.coverage.iter().map(|c| c.as_str().to_string()).collect(),
            data: b.data.into(),
            fair_use_bytes: b.fair_use_bytes,
            voice: b.voice.into(),
            sms: b.sms.into(),
        }
    }
}

/// The line's own state.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineStateDto {
    /// assigned, active, grace, suspended, recycled.
    pub state: String,
    /// Until when the number is kept.
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_until: Option<OffsetDateTime>,
}

/// A line's balance: its state and its bundles.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineBalanceDto {
    /// The line.
    pub line: LineStateDto,
    /// Its bundles, newest first.
    pub bundles: Vec<BundleDto>,
}

/// Remaining data, minutes and SMS per bundle, and the line's validity.
#[utoipa::path(get, path = "/api/v1/lines/{id}/balance", tag = "lines", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "line id")),
    responses((status = 200, body = LineBalanceDto), (status = 404, body = ProblemBody)))]
pub async fn balance(
    State(state): State<AppState>,
    c: Customer,
    PathId(id): PathId,
) -> Result<axum::Json<LineBalanceDto>, Problem> {
    let line = state.services.line(&c.account, id).await?;
    let bundles =
        state.services.store.line_bundles(c.account.id, id).await.map_err(keepsim_services::ServiceError::from)?;
    Ok(axum::Json(LineBalanceDto {
        line: LineStateDto { state: line.state.as_str().into(), valid_until: line.valid_until },
        bundles: bundles.into_iter().map(Into::into).collect(),
    }))
}
