//! The server-rendered pages: the customer app (phone first, installable as a
//! PWA) and the admin console. Templates live in `crates/web/templates`, static
//! files (htmx, CSS, icons) in `crates/web/assets`; both are compiled into the
//! binary, so `cargo run` needs no Node.

pub mod account;
pub mod assets;
pub mod chart;
pub mod context;
pub mod customer;
pub mod render;

use crate::AppState;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use context::Ctx;
use keepsim_domain::Locale;
use keepsim_services::ServiceError;
use minijinja::{Value, context};

/// A page that could not be shown, rendered as a page in the visitor's language.
#[derive(Debug)]
pub enum PageError {
    /// Nothing here (or not theirs).
    NotFound,
    /// The form's CSRF token was missing, stale or forged.
    Csrf,
    /// A signed-in staff member whose role may not do this.
    Forbidden,
    /// Signed in required: go to this sign-in page.
    SignIn(String),
    /// Something failed on our side.
    Internal(String),
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => PageError::NotFound,
            ServiceError::Forbidden(_) => PageError::Forbidden,
            other => {
                tracing::error!(error = %other, "page failed");
                PageError::Internal(other.to_string())
            }
        }
    }
}

impl From<keepsim_store::StoreError> for PageError {
    fn from(e: keepsim_store::StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl From<minijinja::Error> for PageError {
    fn from(e: minijinja::Error) -> Self {
        PageError::Internal(e.to_string())
    }
}

impl PageError {
    /// The error as a page for `ctx`.
    pub fn into_page(self, ctx: &Ctx) -> Response {
        let (status, code) = match &self {
            PageError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            PageError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            PageError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            PageError::SignIn(to) => return Redirect::to(to).into_response(),
            PageError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        };
        let admin = ctx.path.starts_with("/admin");
        let html = render::render("error.html", base(ctx, context! { code, status => status.as_u16(), admin }))
            .unwrap_or_else(|_| "<!doctype html><title>error</title><p>error</p>".into());
        (status, Html(html)).into_response()
    }
}

/// A page handler's answer.
pub type PageResult = Result<Response, (Ctx, PageError)>;

/// The languages a visitor can choose, as `(tag, name in that language)`.
pub fn language_choices() -> Vec<(&'static str, &'static str)> {
    vec![
        ("en", "English"),
        ("zh-CN", "简体中文"),
        ("zh-TW", "繁體中文"),
        ("ja", "日本語"),
        ("ko", "한국어"),
        ("es", "Español"),
    ]
}

/// The context every template gets: language, CSRF token, who is signed in, then `extra`.
pub fn base(ctx: &Ctx, extra: Value) -> Value {
    let locale = ctx.locale;
    let shipped = keepsim_i18n::languages().contains(&locale);
    let tag = if shipped { locale.tag() } else { Locale::En.tag() };
    let base = context! {
        locale => tag,
        lang => tag,
        utc_offset_minutes => ctx.utc_offset.whole_minutes(),
        csrf => &ctx.csrf,
        path => &ctx.path,
        customer => ctx.customer.as_ref().map(|(a, _)| a.email.to_string()),
        staff => ctx.staff.as_ref().filter(|(s, _)| s.mfa_ok).map(|(s, _)| context! {
            email => s.staff.email.to_string(), role => s.staff.role.as_str() }),
        languages => language_choices(),
    };
    context! { ..extra, ..base }
}

/// Renders `template` for `ctx` with `extra` as a 200 page.
pub fn page(ctx: &Ctx, template: &str, extra: Value) -> Result<Response, PageError> {
    let html = render::render(template, base(ctx, extra))?;
    Ok(Html(html).into_response())
}

/// Renders `template` with a status (forms shown again with their errors are 422).
pub fn page_with_status(ctx: &Ctx, status: StatusCode, template: &str, extra: Value) -> Result<Response, PageError> {
    let mut res = page(ctx, template, extra)?;
    *res.status_mut() = status;
    Ok(res)
}

/// A 303 to `to` (after a successful form).
pub fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Turns a handler's `Result` into a response, rendering errors as pages.
pub fn finish(ctx: &Ctx, result: Result<Response, PageError>) -> Response {
    result.unwrap_or_else(|e| e.into_page(ctx))
}

/// A path segment that should be an id; anything else is simply not found.
pub fn path_id(raw: &str) -> Result<uuid::Uuid, PageError> {
    uuid::Uuid::parse_str(raw).map_err(|_| PageError::NotFound)
}

/// A time as RFC 3339, the form templates format with `|date` and `|datetime`.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// `text` as a QR code image for an `<img src>` (an SVG data URI; the CSP allows `data:` images).
pub fn qr_data_uri(text: &str) -> Option<String> {
    use base64::Engine;
    let svg = crate::qr::svg(text).ok()?;
    Some(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg.as_bytes())))
}

/// Only same-site paths are followed after signing in.
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => default.to_string(),
    }
}

/// The signed-in customer, or a redirect to the sign-in page that comes back here.
pub(crate) fn signed_in(ctx: &Ctx) -> Result<(keepsim_store::AccountRecord, String), PageError> {
    ctx.customer.clone().ok_or_else(|| {
        let next: String = form_urlencoded_component(&ctx.path);
        PageError::SignIn(format!("/signin?next={next}"))
    })
}

fn form_urlencoded_component(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|q| q.trim_start_matches('=').to_string()).unwrap_or_default()
}

/// Field errors of a form, by field name, in the visitor's language.
pub(crate) type FieldErrors = std::collections::BTreeMap<&'static str, String>;

/// Where a service error belongs on a form: `(field, message)`.
pub(crate) fn field_error(locale: Locale, e: &ServiceError) -> Option<(&'static str, String)> {
    let field = match e {
        ServiceError::InvalidEmail(_) | ServiceError::EmailTaken => "email",
        ServiceError::WeakPassword(_) => "password",
        ServiceError::InvalidImei(_) | ServiceError::DeviceAlreadyBound => "imei",
        ServiceError::InvalidEid(_) => "eid",
        ServiceError::InvalidCredentials | ServiceError::Throttled { .. } => "form",
        ServiceError::PriceNotAvailable { .. } | ServiceError::CurrencyNotSupported { .. } => "currency",
        ServiceError::MethodUnavailable(_) => "method",
        ServiceError::InvalidField { field, .. } => match *field {
            "subject" => "subject",
            "body" => "body",
            _ => "form",
        },
        ServiceError::InventoryExhausted | ServiceError::DeviceHasLine | ServiceError::ProviderUnavailable(_) => "form",
        _ => return None,
    };
    Some((field, error_message(locale, e.code())))
}

/// The message id of an error code's title (`error-invalid_imei`), as shown next to a form field.
pub fn error_message(locale: Locale, code: &str) -> String {
    keepsim_i18n::render(locale, &format!("error-{code}"), &[])
        .or_else(|_| keepsim_i18n::render(locale, "error-internal_error", &[]))
        .unwrap_or_else(|_| code.to_string())
}

/// The router of every page (customer app, admin console, assets).
pub fn router(state: &AppState) -> axum::Router<AppState> {
    use context::Area;
    let customer = customer::router()
        .merge(account::router())
        .layer(axum::middleware::from_fn_with_state((state.clone(), Area::Customer), context::page_context));
    let admin = crate::admin::router()
        .layer(axum::middleware::from_fn_with_state((state.clone(), Area::Admin), context::page_context));
    axum::Router::new().merge(customer).merge(admin).merge(assets::router())
}
