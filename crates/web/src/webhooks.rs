//! Payment provider notifications. Each answers exactly what its provider
//! expects on success (card 200, Alipay the plain body `success`, WeChat Pay
//! 204); anything that fails verification changes nothing and gets a 4xx.

use crate::AppState;
use crate::problem::Problem;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// `POST /webhooks/card` (Stripe protocol).
pub async fn card(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, Problem> {
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    state.services.card_notification(signature, &body).await?;
    Ok((StatusCode::OK, axum::Json(serde_json::json!({"received": true}))).into_response())
}

/// `POST /webhooks/alipay` (async notify, form-encoded, RSA2).
pub async fn alipay(State(state): State<AppState>, body: Bytes) -> Response {
    match state.services.alipay_notification(&body).await {
        Ok(()) => (StatusCode::OK, [(axum::http::header::CONTENT_TYPE, "text/plain")], "success").into_response(),
        Err(e) => {
            let p = Problem::from(e);
            tracing::warn!(code = p.code, detail = %p.detail, "alipay notify refused");
            (p.status, [(axum::http::header::CONTENT_TYPE, "text/plain")], "fail").into_response()
        }
    }
}

/// `POST /webhooks/wechatpay` (API v3, signed headers, AES-GCM resource).
pub async fn wechatpay(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let h = keepsim_payments::wechat::NotificationHeaders::from_header_map(&headers);
    match state.services.wechat_notification(h, &body).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            let p = Problem::from(e);
            tracing::warn!(code = p.code, detail = %p.detail, "wechat pay notification refused");
            (p.status, axum::Json(serde_json::json!({"code": "FAIL", "message": p.detail}))).into_response()
        }
    }
}
