//! The customer app: sign up and in, devices and eSIMs, coverage and packages,
//! buying, usage, the inbox, help and support tickets.

use super::context::{CSRF_COOKIE, Ctx, LANG_COOKIE, new_csrf_cookie, set_cookie};
use super::{
    FieldErrors, PageError, chart, error_message, field_error, finish, page, page_with_status, path_id, qr_data_uri,
    rfc3339, safe_next, see_other, signed_in,
};
use crate::AppState;
use crate::extract::SESSION_COOKIE;
use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use axum::routing::{get, post};
use keepsim_domain::bundle::{LedgerKind, Service};
use keepsim_domain::catalogue::{DataAllowance, Package};
use keepsim_domain::{Currency, Locale};
use keepsim_services::ServiceError;
use keepsim_services::catalogue::PackageFilter;
use keepsim_services::orders::{OrderRequest, body_hash};
use keepsim_store::{AccountRecord, LineRecord, Page};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use time::OffsetDateTime;
use uuid::Uuid;

/// The customer app's routes.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(home))
        .route("/signup", get(signup_form).post(signup))
        .route("/signin", get(signin_form).post(signin))
        .route("/signout", post(signout))
        .route("/language", post(language))
        .route("/app", get(overview))
        .route("/app/devices", get(devices).post(bind_device))
        .route("/app/devices/{id}/esim", post(get_esim))
        .route("/app/devices/{id}/remove", post(remove_device))
        .route("/app/lines/{id}", get(esim))
        .route("/app/lines/{id}/move", post(move_line))
        .route("/app/lines/{id}/usage", get(usage))
        .route("/coverage", get(coverage))
        .route("/coverage/search", get(coverage_search))
        .route("/packages", get(packages))
        .route("/buy/{code}", get(buy_form).post(buy))
        .route("/app/orders/{id}", get(order))
        .route("/app/orders/{id}/status", get(order_status))
        .route("/app/inbox", get(inbox))
        .route("/app/inbox/{id}/read", post(mark_read))
        .route("/help", get(help))
        .route("/app/support", get(tickets).post(open_ticket))
        .route("/app/support/{id}", get(ticket))
        .route("/app/support/{id}/reply", post(reply_ticket))
        .route("/sandbox/checkout/{id}", get(checkout))
        .route("/sandbox/checkout/{id}/pay", post(checkout_pay))
        .route("/sandbox/checkout/{id}/decline", post(checkout_decline))
}

// ---------------------------------------------------------------- home, sign up, sign in

async fn home(State(state): State<AppState>, ctx: Ctx) -> Response {
    if ctx.customer.is_some() {
        return see_other("/app");
    }
    let result = async {
        let regions = state.services.regions(ctx.locale).await?;
        let regions: Vec<Value> =
            regions.iter().map(|r| context! { id => &r.id, name => &r.name, count => r.countries.len() }).collect();
        page(&ctx, "home.html", context! { regions })
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
    /// `done` after a password reset.
    reset: Option<String>,
}

async fn signup_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    let result =
        page(&ctx, "signup.html", context! { values => context!{}, errors => FieldErrors::new(), next => q.next });
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct SignupForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Signs the customer in: a session cookie, and a new CSRF cookie (forms from before are stale).
fn session_response(state: &AppState, to: &str, token: &str, expires_at: OffsetDateTime) -> Response {
    let mut res = see_other(to);
    let max_age = (expires_at - OffsetDateTime::now_utc()).whole_seconds().max(0);
    res.headers_mut().append(SET_COOKIE, set_cookie(state, SESSION_COOKIE, token, "/", Some(max_age)));
    res.headers_mut().append(SET_COOKIE, set_cookie(state, CSRF_COOKIE, &new_csrf_cookie(), "/", None));
    res
}

async fn signup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    Form(f): Form<SignupForm>,
) -> Response {
    let result = async {
        let registered = state.services.register(&f.email, &f.password, Some(ctx.locale.tag())).await;
        let outcome = match registered {
            Ok(_) => state.services.login(&f.email, &f.password, &peer.ip().to_string()).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(signed) => {
                let to = safe_next(f.next.as_deref(), "/app/devices");
                Ok(session_response(&state, &to, &signed.token, signed.expires_at))
            }
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => {
                    let errors: FieldErrors = [(field, message)].into();
                    page_with_status(
                        &ctx,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "signup.html",
                        context! { values => context!{ email => &f.email }, errors, next => f.next },
                    )
                }
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

async fn signin_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.customer.is_some() {
        return see_other(&safe_next(q.next.as_deref(), "/app"));
    }
    let reset_done = q.reset.as_deref() == Some("done");
    let result = page(
        &ctx,
        "signin.html",
        context! { values => context!{}, errors => FieldErrors::new(), next => q.next, reset_done },
    );
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct SigninForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn signin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ctx: Ctx,
    Form(f): Form<SigninForm>,
) -> Response {
    let result = async {
        match state.services.login(&f.email, &f.password, &peer.ip().to_string()).await {
            Ok(signed) => {
                let to = safe_next(f.next.as_deref(), "/app");
                Ok(session_response(&state, &to, &signed.token, signed.expires_at))
            }
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => page_with_status(
                    &ctx,
                    if matches!(e, ServiceError::Throttled { .. }) {
                        StatusCode::TOO_MANY_REQUESTS
                    } else {
                        StatusCode::UNAUTHORIZED
                    },
                    "signin.html",
                    context! { values => context!{ email => &f.email }, errors => FieldErrors::from([(field, message)]), next => f.next },
                ),
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

async fn signout(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Some((_, token)) = &ctx.customer
        && let Err(e) = state.services.logout(token).await
    {
        return PageError::from(e).into_page(&ctx);
    }
    let mut res = see_other("/");
    res.headers_mut().append(SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", "/", Some(0)));
    res.headers_mut().append(SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &new_csrf_cookie(), "/", None));
    res
}

#[derive(Debug, Deserialize)]
struct LanguageForm {
    lang: String,
    next: Option<String>,
}

async fn language(State(state): State<AppState>, ctx: Ctx, Form(f): Form<LanguageForm>) -> Response {
    let locale = Locale::resolve(&f.lang);
    if let Some((account, _)) = &ctx.customer
        && let Err(e) = state.services.set_locale(account, locale).await
    {
        return PageError::from(e).into_page(&ctx);
    }
    let mut res = see_other(&safe_next(f.next.as_deref(), "/"));
    res.headers_mut().append(SET_COOKIE, set_cookie(&state, LANG_COOKIE, locale.tag(), "/", Some(365 * 86_400)));
    res
}

// ---------------------------------------------------------------- the customer's things

/// A line as the pages show it.
#[derive(Debug, Serialize)]
struct LineView {
    id: Uuid,
    msisdn: String,
    iccid: String,
    state: &'static str,
    valid_until: Option<String>,
    device_id: Uuid,
}

impl From<&LineRecord> for LineView {
    fn from(l: &LineRecord) -> Self {
        LineView {
            id: l.id,
            msisdn: l.msisdn.to_string(),
            iccid: l.iccid.to_string(),
            state: l.state.as_str(),
            valid_until: l.valid_until.map(rfc3339),
            device_id: l.device_id,
        }
    }
}

const ALL: Page = Page { after: None, limit: 200 };

#[derive(Debug, Deserialize)]
struct OverviewQuery {
    /// `sent` after asking for a confirmation link.
    verify: Option<String>,
}

async fn overview(State(state): State<AppState>, ctx: Ctx, Query(q): Query<OverviewQuery>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let lines = state.services.lines(&account, ALL).await?;
        let devices = state.services.devices(&account, ALL).await?;
        let mut views = Vec::new();
        let catalogue = state.services.catalogue_shared().await?;
        for line in &lines {
            let bundles = state.services.store.line_bundles(account.id, line.id).await?;
            let active: Vec<_> = bundles.iter().filter(|b| b.state.as_str() == "active").collect();
            let data_left: u64 = active.iter().filter_map(|b| b.data.remaining()).sum();
            let unlimited = active.iter().any(|b| b.data.total.is_none());
            let device = devices.iter().find(|d| d.id == line.device_id);
            views.push(context! {
                line => LineView::from(line),
                device => device.and_then(|d| d.label.clone()).unwrap_or_else(|| device.map(|d| d.imei.to_string()).unwrap_or_default()),
                bundles => active.len(),
                data_left,
                unlimited,
                packages => active.iter().map(|b| package_name(&catalogue.packages, &b.package_code, ctx.locale)).collect::<Vec<_>>(),
            });
        }
        let unread = state.services.inbox(&account, Page { after: None, limit: 100 }).await?.iter().filter(|n| n.read_at.is_none()).count();
        let without_line = devices.iter().filter(|d| d.line_id.is_none()).count();
        let verified = state.services.store.email_verified_at(account.id).await?.is_some();
        let verify_sent = q.verify.as_deref() == Some("sent");
        page(
            &ctx,
            "app.html",
            context! {
                lines => views, devices => devices.len(), without_line, unread, email => account.email.to_string(),
                verified, verify_sent,
            },
        )
    }
    .await;
    finish(&ctx, result)
}

fn package_name(packages: &[Package], code: &str, locale: Locale) -> String {
    packages.iter().find(|p| p.code == code).map(|p| p.name(locale).to_string()).unwrap_or_else(|| code.to_string())
}

async fn devices_page(
    state: &AppState,
    ctx: &Ctx,
    account: &AccountRecord,
    status: StatusCode,
    values: Value,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let devices = state.services.devices(account, ALL).await?;
    let lines = state.services.lines(account, ALL).await?;
    let views: Vec<Value> = devices
        .iter()
        .map(|d| {
            let line = lines.iter().find(|l| Some(l.id) == d.line_id).map(LineView::from);
            context! { id => d.id, imei => d.imei.to_string(), label => &d.label, line, created_at => rfc3339(d.created_at) }
        })
        .collect();
    page_with_status(ctx, status, "devices.html", context! { devices => views, values, errors })
}

async fn devices(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        devices_page(&state, &ctx, &account, StatusCode::OK, context! {}, FieldErrors::new()).await
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct BindForm {
    imei: String,
    eid: Option<String>,
    label: Option<String>,
}

async fn bind_device(State(state): State<AppState>, ctx: Ctx, Form(f): Form<BindForm>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let imei: String = f.imei.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let label = f.label.as_deref().map(str::trim).filter(|l| !l.is_empty());
        let eid: Option<String> =
            f.eid.as_deref().map(|e| e.chars().filter(|c| !c.is_whitespace() && *c != '-').collect());
        match state.services.bind_device(&account, &imei, eid.as_deref().filter(|e| !e.is_empty()), label).await {
            Ok(_) => Ok(see_other("/app/devices")),
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => {
                    devices_page(
                        &state,
                        &ctx,
                        &account,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        context! { imei => &f.imei, eid => &f.eid, label => &f.label },
                        [(field, message)].into(),
                    )
                    .await
                }
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

async fn get_esim(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let device_id = path_id(&id)?;
        match state.services.create_line(&account, device_id).await {
            Ok(line) => Ok(see_other(&format!("/app/lines/{}", line.id))),
            Err(ServiceError::DeviceHasLine) => {
                let device = state.services.device(&account, device_id).await?;
                match device.line_id {
                    Some(line) => Ok(see_other(&format!("/app/lines/{line}"))),
                    None => Err(PageError::NotFound),
                }
            }
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => {
                    devices_page(
                        &state,
                        &ctx,
                        &account,
                        StatusCode::SERVICE_UNAVAILABLE,
                        context! {},
                        [(field, message)].into(),
                    )
                    .await
                }
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

/// A phone without an eSIM leaves the account (one with an eSIM stays: the form says why).
async fn remove_device(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        match state.services.unbind_device(&account, path_id(&id)?).await {
            Ok(()) => Ok(see_other("/app/devices")),
            Err(e @ ServiceError::DeviceHasLine) => {
                let errors = FieldErrors::from([("form", error_message(ctx.locale, e.code()))]);
                devices_page(&state, &ctx, &account, StatusCode::CONFLICT, context! {}, errors).await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

/// The eSIM page of one of the account's lines, with the phones its number can move to.
async fn esim_page(
    state: &AppState,
    ctx: &Ctx,
    account: &AccountRecord,
    line_id: Uuid,
    status: StatusCode,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let line = state.services.line(account, line_id).await?;
    let devices = state.services.devices(account, ALL).await?;
    let device = devices.iter().find(|d| d.id == line.device_id).ok_or(PageError::NotFound)?;
    let free_devices: Vec<Value> = devices
        .iter()
        .filter(|d| d.line_id.is_none())
        .map(|d| context! { id => d.id, imei => d.imei.to_string(), label => &d.label })
        .collect();
    page_with_status(
        ctx,
        status,
        "esim.html",
        context! {
            line => LineView::from(&line),
            activation_code => keepsim_services::lines::activation_code(&line),
            smdp_address => &line.smdp_address,
            matching_id => &line.matching_id,
            device => context! { imei => device.imei.to_string(), label => &device.label },
            free_devices,
            errors,
        },
    )
}

async fn esim(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        esim_page(&state, &ctx, &account, path_id(&id)?, StatusCode::OK, FieldErrors::new()).await
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct MoveForm {
    device_id: Option<String>,
    confirm: Option<String>,
}

/// Moves the number to another of the account's phones (a new eSIM there; the old one stops).
async fn move_line(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<MoveForm>,
) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let line_id = path_id(&id)?;
        let again = |errors: FieldErrors| {
            let (state, ctx, account) = (&state, &ctx, &account);
            async move { esim_page(state, ctx, account, line_id, StatusCode::UNPROCESSABLE_ENTITY, errors).await }
        };
        let Some(device_id) = f.device_id.as_deref().and_then(|d| Uuid::parse_str(d.trim()).ok()) else {
            return again([("device", error_message(ctx.locale, "choose_device"))].into()).await;
        };
        if f.confirm.is_none() {
            let message = keepsim_i18n::render(ctx.locale, "esim-move-confirm-needed", &[]).unwrap_or_default();
            return again([("confirm", message)].into()).await;
        }
        match state.services.move_line(&account, line_id, device_id).await {
            Ok(line) => Ok(see_other(&format!("/app/lines/{}", line.id))),
            Err(e) => match field_error(ctx.locale, &e) {
                Some((_, message)) => again([("form", message)].into()).await,
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

// ---------------------------------------------------------------- usage

#[derive(Debug, Serialize)]
struct Allowance {
    total: Option<u64>,
    used: u64,
    remaining: Option<u64>,
}

impl From<keepsim_domain::bundle::Balance> for Allowance {
    fn from(b: keepsim_domain::bundle::Balance) -> Self {
        Allowance { total: b.total, used: b.used, remaining: b.remaining() }
    }
}

async fn usage(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let line = state.services.line(&account, path_id(&id)?).await?;
        let catalogue = state.services.catalogue_shared().await?;
        let bundles = state.services.store.line_bundles(account.id, line.id).await?;
        let mut totals = (0u64, 0u64, false, 0u64, 0u64, 0u64, 0u64);
        let mut views = Vec::new();
        for b in &bundles {
            let active = b.state.as_str() == "active";
            if active {
                match b.data.total {
                    Some(t) => {
                        totals.0 += t;
                        totals.1 += b.data.used.min(t);
                    }
                    None => totals.2 = true,
                }
                totals.3 += b.voice.total.unwrap_or(0);
                totals.4 += b.voice.used;
                totals.5 += b.sms.total.unwrap_or(0);
                totals.6 += b.sms.used;
            }
            views.push(context! {
                name => package_name(&catalogue.packages, &b.package_code, ctx.locale),
                state => b.state.as_str(),
                active,
                starts_at => b.starts_at.map(rfc3339),
                expires_at => b.expires_at.map(rfc3339),
                validity_days => b.validity_days,
                data => Allowance::from(b.data),
                voice => Allowance::from(b.voice),
                sms => Allowance::from(b.sms),
                coverage => b.coverage.len(),
            });
        }
        let now = state.services.clock.now();
        let days = chart::last_days(now, 30);
        let points = state.services.store.usage_hours(account.id, line.id, chart::start_of(&days), now).await?;
        let locale = ctx.locale;
        let chart = chart::bars(&chart::data_per_day(&days, &points), |v| keepsim_i18n::format::bytes(locale, keepsim_domain::Bytes(v)));
        let ledger = state.services.store.line_ledger(account.id, line.id).await?;
        let history: Vec<Value> = ledger
            .iter()
            .rev()
            .filter(|e| !matches!(e.kind, LedgerKind::Reserve | LedgerKind::Release))
            .take(100)
            .map(|e| {
                let bundle = bundles.iter().find(|b| b.id == e.bundle_id);
                context! {
                    at => rfc3339(e.at),
                    kind => e.kind.as_str(),
                    service => e.service.as_str(),
                    units => e.units,
                    amount => e.units.unsigned_abs(),
                    is_data => e.service == Service::Data,
                    is_voice => e.service == Service::Voice,
                    package => bundle.map(|b| package_name(&catalogue.packages, &b.package_code, locale)).unwrap_or_default(),
                }
            })
            .collect();
        page(
            &ctx,
            "usage.html",
            context! {
                line => LineView::from(&line),
                bundles => views,
                total => context! {
                    data_total => totals.0, data_used => totals.1, data_left => totals.0.saturating_sub(totals.1),
                    unlimited => totals.2, voice_total => totals.3, voice_used => totals.4,
                    voice_left => totals.3.saturating_sub(totals.4), sms_total => totals.5, sms_used => totals.6,
                    sms_left => totals.5.saturating_sub(totals.6),
                },
                chart,
                history,
            },
        )
    }
    .await;
    finish(&ctx, result)
}

// ---------------------------------------------------------------- coverage and packages

#[derive(Debug, Deserialize)]
struct CoverageQuery {
    q: Option<String>,
}

async fn coverage_results(state: &AppState, locale: Locale, q: &str) -> Result<Vec<Value>, PageError> {
    let countries = state.services.countries(locale, true).await?;
    let needle = q.trim().to_lowercase();
    let english = if needle.is_empty() { None } else { Some(state.services.countries(Locale::En, true).await?) };
    Ok(countries
        .iter()
        .filter(|c| !c.regions.is_empty())
        .filter(|c| {
            needle.is_empty()
                || c.name.to_lowercase().contains(&needle)
                || c.code.as_str().eq_ignore_ascii_case(&needle)
                || english
                    .as_ref()
                    .is_some_and(|en| en.iter().any(|e| e.code == c.code && e.name.to_lowercase().contains(&needle)))
        })
        .map(|c| context! { code => c.code.as_str(), name => &c.name, regions => &c.regions })
        .collect())
}

async fn coverage(State(state): State<AppState>, ctx: Ctx, Query(q): Query<CoverageQuery>) -> Response {
    let result = async {
        let query = q.q.unwrap_or_default();
        let results = coverage_results(&state, ctx.locale, &query).await?;
        let regions = state.services.regions(ctx.locale).await?;
        let regions: Vec<Value> =
            regions.iter().map(|r| context! { id => &r.id, name => &r.name, count => r.countries.len() }).collect();
        page(&ctx, "coverage.html", context! { q => query, results, regions })
    }
    .await;
    finish(&ctx, result)
}

async fn coverage_search(State(state): State<AppState>, ctx: Ctx, Query(q): Query<CoverageQuery>) -> Response {
    let result = async {
        let query = q.q.unwrap_or_default();
        let results = coverage_results(&state, ctx.locale, &query).await?;
        page(&ctx, "coverage_results.html", context! { q => query, results })
    }
    .await;
    finish(&ctx, result)
}

/// The currency shown first in a language (every demo package has all four).
fn default_currency(locale: Locale) -> Currency {
    match locale {
        Locale::ZhCn => Currency::CNY,
        Locale::ZhTw => Currency::HKD,
        Locale::Es | Locale::Fr | Locale::De | Locale::It | Locale::Pt => Currency::EUR,
        _ => Currency::USD,
    }
}

fn chosen_currency(locale: Locale, raw: Option<&str>) -> Currency {
    raw.and_then(|c| Currency::parse(c).ok()).unwrap_or_else(|| default_currency(locale))
}

fn package_view(p: &Package, locale: Locale, currency: Currency) -> Value {
    let (data_bytes, unlimited) = match p.data {
        DataAllowance::Limited { bytes } => (Some(bytes.0), false),
        DataAllowance::Unlimited { .. } => (None, true),
    };
    let price = p.price(currency);
    context! {
        code => &p.code,
        name => p.name(locale),
        data_bytes,
        unlimited,
        voice_seconds => p.voice.0,
        sms => p.sms.0,
        validity_days => p.validity_days,
        keeps_number_days => p.keeps_number_days,
        countries => p.coverage.len(),
        price => price.map(|m| context! { amount_minor => m.amount_minor(), currency => m.currency().as_str() }),
    }
}

const CURRENCIES: [&str; 4] = ["CNY", "USD", "HKD", "EUR"];

#[derive(Debug, Deserialize)]
struct PackagesQuery {
    country: Option<String>,
    region: Option<String>,
    currency: Option<String>,
}

async fn packages(State(state): State<AppState>, ctx: Ctx, Query(q): Query<PackagesQuery>) -> Response {
    let result = async {
        let currency = chosen_currency(ctx.locale, q.currency.as_deref());
        let country = q.country.as_deref().filter(|c| !c.is_empty());
        let region = q.region.as_deref().filter(|r| !r.is_empty());
        let filter = match (country, region) {
            (Some(c), _) => PackageFilter::Country(c),
            (None, Some(r)) => PackageFilter::Region(r),
            (None, None) => PackageFilter::All,
        };
        let list = match state.services.packages(filter).await {
            Ok(list) => list,
            Err(ServiceError::UnknownCountry(_) | ServiceError::UnknownRegion(_)) => return Err(PageError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let title = match (country, region) {
            (Some(c), _) => state
                .services
                .countries(ctx.locale, true)
                .await?
                .into_iter()
                .find(|x| x.code.as_str().eq_ignore_ascii_case(c))
                .map(|x| x.name),
            (None, Some(r)) => state.services.regions(ctx.locale).await?.into_iter().find(|x| x.id == r).map(|x| x.name),
            _ => None,
        };
        let views: Vec<Value> = list.iter().map(|p| package_view(p, ctx.locale, currency)).collect();
        page(
            &ctx,
            "packages.html",
            context! { packages => views, title, country, region, currency => currency.as_str(), currencies => CURRENCIES },
        )
    }
    .await;
    finish(&ctx, result)
}

// ---------------------------------------------------------------- buying

#[derive(Debug, Deserialize)]
struct BuyQuery {
    currency: Option<String>,
    line: Option<String>,
}

/// The payment methods the pages offer. A card is paid in the provider's own card form, which these pages do
/// not embed: outside the sandbox they offer the wallets (API clients can still pay by card with the client secret).
fn page_methods(state: &AppState) -> Vec<&'static str> {
    let sandbox = state.services.payments.sandbox;
    state.services.payments.methods().into_iter().filter(|m| sandbox || *m != "card").collect()
}

async fn buy_page(
    state: &AppState,
    ctx: &Ctx,
    account: &AccountRecord,
    code: &str,
    status: StatusCode,
    (values, errors): (Value, FieldErrors),
    currency: Currency,
) -> Result<Response, PageError> {
    let catalogue = state.services.catalogue_shared().await?;
    let package = catalogue.packages.iter().find(|p| p.code == code && p.active).ok_or(PageError::NotFound)?;
    let lines = state.services.lines(account, ALL).await?;
    let lines: Vec<LineView> = lines.iter().filter(|l| l.state.as_str() != "recycled").map(LineView::from).collect();
    let prices: Vec<Value> = package
        .prices
        .iter()
        .map(|m| context! { currency => m.currency().as_str(), amount_minor => m.amount_minor() })
        .collect();
    let sandbox = state.services.payments.sandbox;
    let methods = page_methods(state);
    page_with_status(
        ctx,
        status,
        "buy.html",
        context! {
            package => package_view(package, ctx.locale, currency),
            prices, lines, values, errors, methods,
            currency => currency.as_str(),
            nonce => Uuid::new_v4(),
            sandbox,
        },
    )
}

async fn buy_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<BuyQuery>,
) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let currency = chosen_currency(ctx.locale, q.currency.as_deref());
        buy_page(
            &state,
            &ctx,
            &account,
            &code,
            StatusCode::OK,
            (context! { line => q.line }, FieldErrors::new()),
            currency,
        )
        .await
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct BuyForm {
    line_id: Option<String>,
    method: Option<String>,
    currency: String,
    nonce: String,
}

async fn buy(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>, Form(f): Form<BuyForm>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let currency = chosen_currency(ctx.locale, Some(&f.currency));
        let mut errors = FieldErrors::new();
        let line_id = f.line_id.as_deref().and_then(|l| Uuid::parse_str(l).ok());
        if line_id.is_none() {
            errors.insert("line_id", error_message(ctx.locale, "choose_line"));
        }
        let method = f.method.clone().unwrap_or_default();
        if !page_methods(&state).contains(&method.as_str()) {
            errors.insert("method", error_message(ctx.locale, "choose_method"));
        }
        let values = context! { line => &f.line_id, method => &f.method };
        let (Some(line_id), true) = (line_id, errors.is_empty()) else {
            return buy_page(
                &state,
                &ctx,
                &account,
                &code,
                StatusCode::UNPROCESSABLE_ENTITY,
                (values, errors),
                currency,
            )
            .await;
        };
        let request = OrderRequest {
            line_id,
            package_code: code.clone(),
            payment_method: method,
            currency: currency.to_string(),
        };
        let canonical =
            serde_json::json!([request.line_id, request.package_code, request.payment_method, request.currency]);
        // The form's nonce is the idempotency key: a double-submitted form makes one order.
        let key = format!("page:{}", f.nonce.trim());
        match state
            .services
            .create_order(&account, Some(&key), &request, &body_hash(canonical.to_string().as_bytes()))
            .await
        {
            Ok((order, _)) => {
                if state.services.payments.sandbox {
                    Ok(see_other(&format!("/sandbox/checkout/{}", order.id)))
                } else {
                    Ok(see_other(&format!("/app/orders/{}", order.id)))
                }
            }
            Err(ServiceError::NotFound) => Err(PageError::NotFound),
            Err(ServiceError::UnknownPackage(_)) => Err(PageError::NotFound),
            Err(ServiceError::IdempotencyKeyInUse) => Ok(see_other("/app")),
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => {
                    buy_page(
                        &state,
                        &ctx,
                        &account,
                        &code,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        (values, [(field, message)].into()),
                        currency,
                    )
                    .await
                }
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

async fn order_context(state: &AppState, ctx: &Ctx, raw_id: &str) -> Result<Value, PageError> {
    let (account, _) = signed_in(ctx)?;
    let order = state.services.order(&account, path_id(raw_id)?).await?;
    let status = order.status.as_str();
    let done = matches!(status, "fulfilled" | "refunded" | "partially_refunded" | "failed" | "expired" | "cancelled");
    // Live mode: Alipay opens its cashier from the link (or its QR code is scanned), WeChat Pay's QR code is scanned
    // in WeChat; the page updates when the provider's notification arrives.
    let sandbox = state.services.payments.sandbox;
    let pay_url = order
        .pay_url
        .clone()
        .filter(|_| !sandbox && order.status == keepsim_domain::order::OrderStatus::AwaitingPayment);
    let pay_qr = pay_url.as_deref().and_then(qr_data_uri);
    Ok(context! {
        order => context! {
            id => order.id,
            status,
            package => order.package.name(ctx.locale),
            amount_minor => order.amount.amount_minor(),
            currency => order.amount.currency().as_str(),
            method => &order.method,
            line_id => order.line_id,
            created_at => rfc3339(order.created_at),
        },
        done,
        sandbox,
        pay_url => if order.method == "alipay" { pay_url.clone() } else { None },
        pay_qr,
    })
}

async fn order(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async { page(&ctx, "order.html", order_context(&state, &ctx, &id).await?) }.await;
    finish(&ctx, result)
}

async fn order_status(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async { page(&ctx, "order_status.html", order_context(&state, &ctx, &id).await?) }.await;
    finish(&ctx, result)
}

// ---------------------------------------------------------------- sandbox checkout

async fn checkout_order(state: &AppState, raw: &str) -> Result<keepsim_store::OrderRecord, PageError> {
    if state.sandbox.is_none() {
        return Err(PageError::NotFound);
    }
    state.services.store.order_by_id(path_id(raw)?).await?.ok_or(PageError::NotFound)
}

async fn checkout(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let order = checkout_order(&state, &id).await?;
        page(
            &ctx,
            "checkout.html",
            context! {
                order => context! {
                    id => order.id,
                    status => order.status.as_str(),
                    package => order.package.name(ctx.locale),
                    amount_minor => order.amount.amount_minor(),
                    currency => order.amount.currency().as_str(),
                    method => &order.method,
                },
                payable => order.status == keepsim_domain::order::OrderStatus::AwaitingPayment,
            },
        )
    }
    .await;
    finish(&ctx, result)
}

async fn checkout_pay(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let order = checkout_order(&state, &id).await?;
        crate::sandbox::pay_order(&state, &order).await.map_err(|p| PageError::Internal(p.detail))?;
        Ok(see_other(&format!("/app/orders/{}", order.id)))
    }
    .await;
    finish(&ctx, result)
}

async fn checkout_decline(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let order = checkout_order(&state, &id).await?;
        crate::sandbox::decline_order(&state, &order).await.map_err(|p| PageError::Internal(p.detail))?;
        Ok(see_other(&format!("/app/orders/{}", order.id)))
    }
    .await;
    finish(&ctx, result)
}

// ---------------------------------------------------------------- inbox

async fn inbox(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let items = state.services.inbox(&account, Page { after: None, limit: 100 }).await?;
        let facts = state.services.notification_facts(&items.iter().map(|n| (n, ctx.locale)).collect::<Vec<_>>()).await;
        let views: Vec<Value> = items
            .iter()
            .zip(&facts)
            .map(|(n, data)| {
                let args = keepsim_services::notifications::arguments(data, ctx.locale);
                let args: Vec<(&str, keepsim_i18n::Arg)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
                let (title, body) = keepsim_i18n::notification(ctx.locale, &n.kind, &args)
                    .unwrap_or_else(|_| (n.kind.clone(), String::new()));
                context! { id => n.id, kind => &n.kind, title, body, at => rfc3339(n.created_at), unread => n.read_at.is_none(), line_id => n.line_id }
            })
            .collect();
        page(&ctx, "inbox.html", context! { items => views })
    }
    .await;
    finish(&ctx, result)
}

async fn mark_read(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        state.services.mark_read(&account, path_id(&id)?).await?;
        Ok(see_other("/app/inbox"))
    }
    .await;
    finish(&ctx, result)
}

// ---------------------------------------------------------------- help and support

async fn help(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let countries = state.services.countries(ctx.locale, true).await?;
        let covered = countries.iter().filter(|c| !c.regions.is_empty()).count();
        let regions = state.services.regions(ctx.locale).await?;
        let regions: Vec<Value> =
            regions.iter().map(|r| context! { id => &r.id, name => &r.name, count => r.countries.len() }).collect();
        page(&ctx, "help.html", context! { covered, regions })
    }
    .await;
    finish(&ctx, result)
}

async fn tickets_page(
    state: &AppState,
    ctx: &Ctx,
    account: &AccountRecord,
    status: StatusCode,
    values: Value,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let list = state.services.tickets(account.id, Page { after: None, limit: 100 }).await?;
    let views: Vec<Value> = list
        .iter()
        .map(|t| context! { id => t.id, subject => &t.subject, status => t.status.as_str(), updated_at => rfc3339(t.updated_at) })
        .collect();
    page_with_status(ctx, status, "tickets.html", context! { tickets => views, values, errors })
}

async fn tickets(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        tickets_page(&state, &ctx, &account, StatusCode::OK, context! {}, FieldErrors::new()).await
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct TicketForm {
    subject: String,
    body: String,
}

async fn open_ticket(State(state): State<AppState>, ctx: Ctx, Form(f): Form<TicketForm>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        match state.services.open_ticket(account.id, &f.subject, &f.body).await {
            Ok(t) => Ok(see_other(&format!("/app/support/{}", t.id))),
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => {
                    tickets_page(
                        &state,
                        &ctx,
                        &account,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        context! { subject => &f.subject, body => &f.body },
                        [(field, message)].into(),
                    )
                    .await
                }
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}

async fn ticket_page(
    state: &AppState,
    ctx: &Ctx,
    account: &AccountRecord,
    id: Uuid,
    status: StatusCode,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let (t, messages) = state.services.ticket(account.id, id).await?.ok_or(PageError::NotFound)?;
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| context! { author => m.author.as_str(), body => &m.body, at => rfc3339(m.created_at) })
        .collect();
    page_with_status(
        ctx,
        status,
        "ticket.html",
        context! { ticket => context! { id => t.id, subject => &t.subject, status => t.status.as_str() }, messages, errors },
    )
}

async fn ticket(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        ticket_page(&state, &ctx, &account, path_id(&id)?, StatusCode::OK, FieldErrors::new()).await
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
struct ReplyForm {
    body: String,
}

async fn reply_ticket(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ReplyForm>,
) -> Response {
    let result = async {
        let (account, _) = signed_in(&ctx)?;
        let id = path_id(&id)?;
        match state.services.reply_ticket(account.id, id, &f.body).await {
            Ok(_) => Ok(see_other(&format!("/app/support/{id}"))),
            Err(e) => match field_error(ctx.locale, &e) {
                Some((field, message)) => {
                    ticket_page(&state, &ctx, &account, id, StatusCode::UNPROCESSABLE_ENTITY, [(field, message)].into())
                        .await
                }
                None => Err(e.into()),
            },
        }
    }
    .await;
    finish(&ctx, result)
}
