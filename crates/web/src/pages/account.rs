//! The pages behind the emailed single-use links: a forgotten password (ask for a
//! link, then choose a new password) and confirming an email address. A link's
//! page only shows a form; the token is spent by the form's POST, so a mail
//! scanner that opens links does not use them up.

use super::context::{Ctx, set_cookie};
use super::{FieldErrors, PageError, field_error, finish, page_with_status, see_other};
use crate::AppState;
use crate::extract::SESSION_COOKIE;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use axum::routing::{get, post};
use keepsim_services::ServiceError;
use minijinja::{Value, context};
use serde::Deserialize;
use std::net::SocketAddr;

/// The routes of the emailed links' pages (the paths the emails link to).
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/forgot-password", get(forgot_form).post(forgot))
        .route("/reset-password", get(reset_form).post(reset))
        .route("/verify-email", get(verify_form).post(verify))
        .route("/app/verify-email", post(send_verification))
}

/// `account_link.html` at `step` (`forgot`, `reset`, `verify`, or none for a notice alone).
fn link_page(ctx: &Ctx, status: StatusCode, title: &str, extra: Value) -> Result<Response, PageError> {
    let defaults = context! { title, values => context! {}, errors => context! {} };
    page_with_status(ctx, status, "account_link.html", context! { ..extra, ..defaults })
}

fn invalid_link(ctx: &Ctx, title: &str) -> Result<Response, PageError> {
    link_page(ctx, StatusCode::GONE, title, context! { invalid => true })
}

/// A service error as the form's field errors (`field_error` knows where each belongs).
fn errors_of(ctx: &Ctx, e: &ServiceError) -> FieldErrors {
    field_error(ctx.locale, e).into_iter().collect()
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The token of a link as given, if it looks like one.
fn token_of(q: &TokenQuery) -> Option<&str> {
    q.token.as_deref().map(str::trim).filter(|t| !t.is_empty() && t.len() <= 200)
}

async fn forgot_form(ctx: Ctx) -> Response {
    let result = link_page(&ctx, StatusCode::OK, "forgot-title", context! { step => "forgot", values => context! {} });
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct ForgotForm {
    email: String,
}

/// Sends a reset link if the address has an account; the answer is the same either way.
async fn forgot(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    Form(f): Form<ForgotForm>,
) -> Response {
    let result = async {
        match state.services.request_password_reset(&f.email, &peer.ip().to_string()).await {
            Ok(()) => link_page(&ctx, StatusCode::OK, "forgot-title", context! { notice => "forgot-sent" }),
            Err(e @ ServiceError::Throttled { .. }) => link_page(
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                "forgot-title",
                context! { step => "forgot", values => context! { email => &f.email }, errors => errors_of(&ctx, &e) },
            ),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

/// An emailed link's page: the form of `step` carrying the link's token (nothing is spent yet).
fn token_form(ctx: &Ctx, q: &TokenQuery, title: &str, step: &str) -> Response {
    let result = match token_of(q) {
        Some(token) => link_page(ctx, StatusCode::OK, title, context! { step, token }),
        None => invalid_link(ctx, title),
    };
    finish(ctx, result)
}

async fn reset_form(ctx: Ctx, Query(q): Query<TokenQuery>) -> Response {
    token_form(&ctx, &q, "reset-title", "reset")
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    token: String,
    password: String,
}

/// Sets the new password; every session ends, this browser's too, and sign-in says so.
async fn reset(State(state): State<AppState>, ctx: Ctx, Form(f): Form<ResetForm>) -> Response {
    let result = async {
        match state.services.confirm_password_reset(f.token.trim(), &f.password).await {
            Ok(()) => {
                let mut res = see_other("/signin?reset=done");
                res.headers_mut().append(SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", "/", Some(0)));
                Ok(res)
            }
            Err(e @ ServiceError::WeakPassword(_)) => link_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "reset-title",
                context! { step => "reset", token => f.token.trim(), errors => errors_of(&ctx, &e) },
            ),
            Err(ServiceError::InvalidToken) => invalid_link(&ctx, "reset-title"),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

async fn verify_form(ctx: Ctx, Query(q): Query<TokenQuery>) -> Response {
    token_form(&ctx, &q, "verify-title", "verify")
}

#[derive(Debug, Deserialize)]
struct VerifyForm {
    token: String,
}

async fn verify(State(state): State<AppState>, ctx: Ctx, Form(f): Form<VerifyForm>) -> Response {
    let result = async {
        match state.services.confirm_email(f.token.trim()).await {
            Ok(()) => link_page(&ctx, StatusCode::OK, "verify-title", context! { notice => "verify-done" }),
            Err(ServiceError::InvalidToken) => invalid_link(&ctx, "verify-title"),
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

/// Emails the signed-in customer a link that confirms their address.
async fn send_verification(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        // Signed out (the session ended meanwhile): back to the overview after signing in, which offers it again.
        let Some((account, _)) = &ctx.customer else { return Err(PageError::SignIn("/signin?next=/app".into())) };
        state.services.request_email_verification(account).await?;
        Ok(see_other("/app?verify=sent"))
    }
    .await;
    finish(&ctx, result)
}
