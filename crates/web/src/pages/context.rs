//! What every page request carries: who is signed in (customer or staff), the
//! page language, and the CSRF token its forms must send back.
//!
//! CSRF: a random `keepsim_csrf` cookie (HttpOnly) is set on the first page;
//! forms carry `HMAC-SHA256(server key, cookie)` in a hidden `csrf` field (or
//! `?csrf=` for file uploads). Every non-GET page request is refused with 403
//! unless the token matches the cookie, compared in constant time. Signing in
//! or out replaces the cookie, so tokens from before are stale.

use crate::AppState;
use crate::extract::SESSION_COOKIE;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use keepsim_domain::Locale;
use keepsim_services::staff_auth::StaffSession;
use keepsim_store::AccountRecord;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The CSRF cookie.
pub const CSRF_COOKIE: &str = "keepsim_csrf";
/// The language chosen by a visitor who is not signed in.
pub const LANG_COOKIE: &str = "keepsim_lang";
/// The staff session cookie (scoped to `/admin`).
pub const STAFF_COOKIE: &str = "keepsim_staff";
/// The reader's UTC offset in minutes east, set by the pages' script from the device's clock.
pub const TZ_COOKIE: &str = "keepsim_tz";

/// The UTC offset a `keepsim_tz` cookie names: whole minutes east of UTC within ±14 h;
/// anything else is UTC.
pub fn utc_offset(headers: &HeaderMap) -> time::UtcOffset {
    cookie(headers, TZ_COOKIE)
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|m| m.abs() <= 14 * 60)
        .and_then(|m| time::UtcOffset::from_whole_seconds(m * 60).ok())
        .unwrap_or(time::UtcOffset::UTC)
}

/// The Content-Security-Policy of every page: no inline scripts or styles, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'";

/// Which side of the site a request is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The customer app.
    Customer,
    /// The admin console.
    Admin,
}

/// The request's page context; handlers take it as an extractor.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The page language.
    pub locale: Locale,
    /// The reader's UTC offset: times are shown on their clock.
    pub utc_offset: time::UtcOffset,
    /// The signed-in customer and their token.
    pub customer: Option<(AccountRecord, String)>,
    /// The signed-in staff member (password checked; `mfa_ok` once the TOTP code was), and their token.
    pub staff: Option<(StaffSession, String)>,
    /// The token this page's forms carry.
    pub csrf: String,
    /// The path and query asked for (to come back to after signing in).
    pub path: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The value of cookie `name`, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A `Set-Cookie` value: HttpOnly, SameSite, `Secure` when the site is served over TLS.
pub fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.config.secure_cookies { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let same_site = if name == SESSION_COOKIE || name == STAFF_COOKIE { "Strict" } else { "Lax" };
    HeaderValue::from_str(&format!("{name}={value}; Path={path}; HttpOnly; SameSite={same_site}{age}{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("keepsim_invalid=; Max-Age=0"))
}

/// A fresh random CSRF cookie value.
pub fn new_csrf_cookie() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// The form token that goes with a CSRF cookie.
pub fn csrf_token(key: &[u8; 32], cookie: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(b"keepsim-csrf:");
    mac.update(cookie.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn token_matches(key: &[u8; 32], cookie: Option<&str>, sent: Option<&str>) -> bool {
    match (cookie, sent) {
        (Some(c), Some(s)) if !c.is_empty() => csrf_token(key, c).as_bytes().ct_eq(s.as_bytes()).into(),
        _ => false,
    }
}

/// The server's page key (CSRF), created once and kept in the database so every node agrees.
pub async fn page_key(state: &AppState) -> Result<[u8; 32], keepsim_services::ServiceError> {
    let services = state.services.clone();
    state
        .page_key
        .get_or_try_init(|| async move {
            let fresh = hex::encode(rand::random::<[u8; 32]>());
            services.store.set_meta_if_absent("page_key", &fresh).await?;
            let stored = services.store.meta("page_key").await?.unwrap_or(fresh);
            let mut key = [0u8; 32];
            hex::decode_to_slice(stored.trim(), &mut key)
                .map_err(|e| keepsim_services::ServiceError::Internal(format!("page key: {e}")))?;
            Ok(key)
        })
        .await
        .copied()
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find_map(|(k, v)| (k == name).then_some(v))
}

fn query_field(parts: &Parts, name: &str) -> Option<String> {
    let q = parts.uri.query()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok()?.into_iter().find_map(|(k, v)| (k == name).then_some(v))
}

/// The page language: the account's, else the visitor's choice, else `Accept-Language`, else English.
fn locale(parts: &Parts, account_locale: Option<Locale>) -> Locale {
    if let Some(l) = account_locale {
        return l;
    }
    if let Some(l) = cookie(&parts.headers, LANG_COOKIE).and_then(Locale::from_tag) {
        return l;
    }
    parts.headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Locale::negotiate).unwrap_or_default()
}

/// Largest form body a page accepts (CSV uploads included).
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Security headers every page gets.
pub fn secure_headers(headers: &mut HeaderMap) {
    headers.insert("content-security-policy", HeaderValue::from_static(CSP));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Middleware for every page route of `area`: builds the [`Ctx`], checks the CSRF token of
/// every non-GET request, sets the CSRF cookie and the security headers.
pub async fn page_context(State((state, area)): State<(AppState, Area)>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let key = match page_key(&state).await {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = %e, "page key unavailable");
            return (StatusCode::SERVICE_UNAVAILABLE, "service unavailable").into_response();
        }
    };
    let customer = match (area, cookie(&parts.headers, SESSION_COOKIE)) {
        (Area::Customer, Some(token)) => {
            state.services.authenticate(token).await.ok().map(|account| (account, token.to_string()))
        }
        _ => None,
    };
    let staff = match (area, cookie(&parts.headers, STAFF_COOKIE)) {
        (Area::Admin, Some(token)) => {
            state.services.staff_session(token).await.ok().flatten().map(|s| (s, token.to_string()))
        }
        _ => None,
    };
    let locale = locale(&parts, customer.as_ref().map(|(a, _)| a.locale));
    let utc_offset = utc_offset(&parts.headers);
    let existing = cookie(&parts.headers, CSRF_COOKIE).filter(|c| c.len() == 64).map(str::to_string);
    let csrf_cookie = existing.clone().unwrap_or_else(new_csrf_cookie);

    let body = if parts.method == Method::GET || parts.method == Method::HEAD {
        body
    } else {
        let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
            Ok(b) => b,
            Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "the form is too large").into_response(),
        };
        let is_form = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let sent = query_field(&parts, "csrf").or_else(|| if is_form { form_field(&bytes, "csrf") } else { None });
        if !token_matches(&key, existing.as_deref(), sent.as_deref()) {
            let ctx = Ctx {
                locale,
                utc_offset,
                customer: None,
                staff: None,
                csrf: csrf_token(&key, &csrf_cookie),
                path: parts.uri.path().to_string(),
            };
            let mut res = super::PageError::Csrf.into_page(&ctx);
            if existing.is_none() {
                res.headers_mut().append(SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &csrf_cookie, "/", None));
            }
            return res;
        }
        Body::from(bytes)
    };
    let path = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let ctx = Ctx { locale, utc_offset, customer, staff, csrf: csrf_token(&key, &csrf_cookie), path };
    parts.extensions.insert(ctx);
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let handler_set_csrf = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&format!("{CSRF_COOKIE}="))));
    if existing.is_none() && !handler_set_csrf {
        res.headers_mut().append(SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &csrf_cookie, "/", None));
    }
    secure_headers(res.headers_mut());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_only_matches_its_own_cookie() {
        let key = [7u8; 32];
        let cookie = new_csrf_cookie();
        let token = csrf_token(&key, &cookie);
        assert!(token_matches(&key, Some(&cookie), Some(&token)));
        assert!(!token_matches(&key, Some(&new_csrf_cookie()), Some(&token)));
        assert!(!token_matches(&[8u8; 32], Some(&cookie), Some(&token)));
        assert!(!token_matches(&key, None, Some(&token)));
        assert!(!token_matches(&key, Some(&cookie), None));
        assert!(!token_matches(&key, Some(&cookie), Some("")));
    }
}
