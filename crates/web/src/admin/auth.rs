//! Staff sign-in: email and password, then a TOTP code (enrolled on the first sign-in).

use crate::AppState;
use crate::pages::context::{CSRF_COOKIE, Ctx, STAFF_COOKIE, new_csrf_cookie, set_cookie};
use crate::pages::{PageError, error_message, finish, page, page_with_status, see_other};
use axum::extract::{ConnectInfo, Form, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use keepsim_services::ServiceError;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// Staff sessions last 12 hours.
const STAFF_SESSION_SECONDS: i64 = 12 * 3600;

pub(super) async fn signin_form(ctx: Ctx) -> Response {
    let result = page(&ctx, "admin/signin.html", context! { errors => BTreeMap::<&str, String>::new() });
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct SigninForm {
    email: String,
    password: String,
}

pub(super) async fn signin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    Form(f): Form<SigninForm>,
) -> Response {
    let result = async {
        match state.services.staff_login(&f.email, &f.password, Some(peer.ip())).await {
            Ok((token, staff)) => {
                state.services.audit(&staff, "sign_in_password", "staff", serde_json::json!({})).await?;
                let mut res = see_other("/admin/totp");
                res.headers_mut().append(
                    SET_COOKIE,
                    set_cookie(&state, STAFF_COOKIE, &token, "/admin", Some(STAFF_SESSION_SECONDS)),
                );
                res.headers_mut().append(SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &new_csrf_cookie(), "/", None));
                Ok(res)
            }
            Err(e @ (ServiceError::InvalidCredentials | ServiceError::Throttled { .. })) => {
                let errors: BTreeMap<&str, String> = [("form", error_message(ctx.locale, e.code()))].into();
                page_with_status(
                    &ctx,
                    StatusCode::UNAUTHORIZED,
                    "admin/signin.html",
                    context! { errors, email => &f.email },
                )
            }
            Err(e) => Err(PageError::from(e)),
        }
    }
    .await;
    finish(&ctx, result)
}

async fn totp_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let Some((session, _)) = &ctx.staff else { return Err(PageError::SignIn("/admin/signin".into())) };
    if session.mfa_ok {
        return Ok(see_other("/admin"));
    }
    let enrolment = state.services.staff_totp_enrolment(session.staff.id).await?;
    let qr_data_uri = enrolment.as_ref().and_then(|e| crate::pages::qr_data_uri(&e.otpauth_uri));
    page_with_status(
        ctx,
        status,
        "admin/totp.html",
        context! {
            enrolment => enrolment.map(|e| context! { secret => e.secret_base32, uri => e.otpauth_uri }),
            qr => qr_data_uri,
            error,
        },
    )
}

pub(super) async fn totp_form(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = totp_page(&state, &ctx, StatusCode::OK, None).await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct TotpForm {
    code: String,
}

pub(super) async fn totp(State(state): State<AppState>, ctx: Ctx, Form(f): Form<TotpForm>) -> Response {
    let result = async {
        let Some((session, token)) = &ctx.staff else { return Err(PageError::SignIn("/admin/signin".into())) };
        let code: String = f.code.chars().filter(|c| !c.is_whitespace()).collect();
        match state.services.staff_verify_totp(token, &code).await {
            Ok(()) => {
                state.services.audit(&session.staff, "sign_in", "staff", serde_json::json!({})).await?;
                let mut res = see_other("/admin");
                res.headers_mut().append(SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &new_csrf_cookie(), "/", None));
                Ok(res)
            }
            Err(e @ (ServiceError::InvalidTotp | ServiceError::Throttled { .. })) => {
                totp_page(&state, &ctx, StatusCode::UNAUTHORIZED, Some(error_message(ctx.locale, e.code()))).await
            }
            Err(e) => Err(PageError::from(e)),
        }
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn signout(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Some((session, token)) = &ctx.staff {
        let _ = state.services.audit(&session.staff, "sign_out", "staff", serde_json::json!({})).await;
        if let Err(e) = state.services.staff_logout(token).await {
            return PageError::from(e).into_page(&ctx);
        }
    }
    let mut res = see_other("/admin/signin");
    res.headers_mut().append(SET_COOKIE, set_cookie(&state, STAFF_COOKIE, "", "/admin", Some(0)));
    res.headers_mut().append(SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &new_csrf_cookie(), "/", None));
    res
}
