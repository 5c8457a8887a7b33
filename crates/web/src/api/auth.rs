//! Register, sign in, sign out.

use crate::AppState;
use crate::extract::{Customer, Json, SESSION_COOKIE};
use crate::problem::{Problem, ProblemBody};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// Email address.
    pub email: String,
    /// At least 10 characters, not the email.
    pub password: String,
    /// Preferred language (BCP 47), e.g. `zh-CN`.
    pub locale: Option<String>,
}

/// A created account.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountCreated {
    /// Account id.
    pub id: Uuid,
    /// Normalised email.
    pub email: String,
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Email address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A bearer token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it stops working (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = AccountCreated), (status = 409, body = ProblemBody, description = "email_taken"),
        (status = 422, body = ProblemBody, description = "invalid_email, weak_password")))]
pub async fn register(State(state): State<AppState>, Json(req): Json<RegisterRequest>) -> Result<Response, Problem> {
    let account = state.services.register(&req.email, &req.password, req.locale.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(AccountCreated { id: account.id, email: account.email.to_string() }))
        .into_response())
}

/// Signs in: a bearer token for the API, and the same token as an HttpOnly cookie for pages.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = ProblemBody, description = "invalid_credentials"),
        (status = 429, body = ProblemBody, description = "too many failed attempts; see Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> Result<Response, Problem> {
    let signed_in = state.services.login(&req.email, &req.password, &peer.ip().to_string()).await?;
    let max_age = (signed_in.expires_at - OffsetDateTime::now_utc()).whole_seconds().max(0);
    let cookie = crate::pages::context::set_cookie(&state, SESSION_COOKIE, &signed_in.token, "/", Some(max_age));
    let mut res =
        axum::Json(LoginResponse { token: signed_in.token, expires_at: signed_in.expires_at }).into_response();
    res.headers_mut().insert(header::SET_COOKIE, cookie);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Signs out: the token is revoked and never works again.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ProblemBody)))]
pub async fn logout(State(state): State<AppState>, customer: Customer) -> Result<Response, Problem> {
    state.services.logout(&customer.token).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, crate::pages::context::set_cookie(&state, SESSION_COOKIE, "", "/", Some(0)));
    Ok(res)
}

/// Who forgot their password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetRequest {
    /// The account's email.
    pub email: String,
}

/// A new password with the emailed token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetConfirm {
    /// The token from the emailed link.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// An emailed token.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenConfirm {
    /// The token from the emailed link.
    pub token: String,
}

/// Emails a single-use password-reset link (valid one hour). Always 202: nobody learns which emails have accounts.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest,
    responses((status = 202), (status = 429, body = ProblemBody)))]
pub async fn password_reset(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<ResetRequest>,
) -> Result<StatusCode, Problem> {
    state.services.request_password_reset(&req.email, &peer.ip().to_string()).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with the emailed token; every session ends.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirm,
    responses((status = 204), (status = 422, body = ProblemBody, description = "invalid_token, weak_password")))]
pub async fn password_reset_confirm(
    State(state): State<AppState>,
    Json(req): Json<ResetConfirm>,
) -> Result<StatusCode, Problem> {
    state.services.confirm_password_reset(&req.token, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Emails the signed-in customer a link verifying their address (valid 24 hours).
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", security(("bearer" = [])),
    responses((status = 202), (status = 401, body = ProblemBody)))]
pub async fn verify_email(State(state): State<AppState>, c: Customer) -> Result<StatusCode, Problem> {
    state.services.request_email_verification(&c.account).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Verifies the address with the emailed token.
#[utoipa::path(post, path = "/api/v1/auth/verify-email/confirm", tag = "auth", request_body = TokenConfirm,
    responses((status = 204), (status = 422, body = ProblemBody, description = "invalid_token")))]
pub async fn verify_email_confirm(
    State(state): State<AppState>,
    Json(req): Json<TokenConfirm>,
) -> Result<StatusCode, Problem> {
    state.services.confirm_email(&req.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
