//! keepsim's HTTP door: the `/api/v1` JSON API, its OpenAPI document, the
//! customer pages and the admin console, health and readiness, and
//! Prometheus metrics on a separate listener.

pub mod admin;
pub mod api;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod problem;
pub mod qr;
pub mod sandbox;
pub mod webhooks;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use keepsim_services::Services;
use problem::Problem;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::OpenApi;

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What the web layer needs to know beyond the services.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (the public URL is https).
    pub secure_cookies: bool,
}

/// Shared state of every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// Request metrics.
    pub metrics: Arc<metrics::Metrics>,
    /// The built-in payment gateway, in sandbox mode.
    pub sandbox: Option<Arc<keepsim_payments::sandbox::Sandbox>>,
    /// An HTTP client (sandbox deliveries).
    pub http: reqwest::Client,
    /// The key of the pages' CSRF tokens, loaded from the database on first use.
    pub page_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
}

impl AppState {
    /// State over `services` with default settings and no sandbox.
    pub fn new(services: Services) -> AppState {
        AppState {
            services,
            config: Arc::new(WebConfig::default()),
            metrics: Arc::new(metrics::Metrics::default()),
            sandbox: None,
            http: reqwest::Client::new(),
            page_key: Arc::new(tokio::sync::OnceCell::new()),
        }
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.services.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn openapi_json() -> Response {
    let mut res = axum::Json(openapi::ApiDoc::openapi()).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    res
}

async fn not_found() -> Problem {
    Problem::not_found()
}

async fn method_not_allowed() -> Problem {
    Problem::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this path does not take that method")
}

/// The application's router.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/auth/register", post(api::auth::register))
        .route("/auth/login", post(api::auth::login))
        .route("/auth/logout", post(api::auth::logout))
        .route("/auth/password-reset", post(api::auth::password_reset))
        .route("/auth/password-reset/confirm", post(api::auth::password_reset_confirm))
        .route("/auth/verify-email", post(api::auth::verify_email))
        .route("/auth/verify-email/confirm", post(api::auth::verify_email_confirm))
        .route("/countries", get(api::catalogue::countries))
        .route("/regions", get(api::catalogue::regions))
        .route("/packages", get(api::catalogue::packages))
        .route("/devices", post(api::devices::create).get(api::devices::list))
        .route("/devices/{id}", get(api::devices::get).delete(api::devices::delete))
        .route("/lines", post(api::lines::create).get(api::lines::list))
        .route("/lines/{id}", get(api::lines::get))
        .route("/lines/{id}/qr.svg", get(api::lines::qr_svg))
        .route("/lines/{id}/qr.png", get(api::lines::qr_png))
        .route("/lines/{id}/balance", get(api::orders::balance))
        .route("/lines/{id}/move", post(api::lines::move_line))
        .route("/lines/{id}/usage", get(api::usage::series))
        .route("/usage", post(api::usage::report))
        .route("/notifications", get(api::notifications::list))
        .route("/notifications/{id}/read", post(api::notifications::read))
        .route("/orders", post(api::orders::create))
        .route("/orders/{id}", get(api::orders::get))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), problem::localize));
    let mut app = Router::new()
        .merge(pages::router(&state))
        .route("/webhooks/card", post(webhooks::card))
        .route("/webhooks/alipay", post(webhooks::alipay))
        .route("/webhooks/wechatpay", post(webhooks::wechatpay))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/api/openapi.json", get(openapi_json))
        .nest("/api/v1", api);
    if let Some(gateway) = &state.sandbox {
        use keepsim_payments::sandbox::{alipay, card, wechat};
        app = app
            .route("/sandbox/orders/{id}/pay", post(sandbox::api_pay))
            .nest_service("/sandbox/card", card::router(gateway.card.clone()))
            .nest_service("/sandbox/alipay", alipay::router(gateway.alipay.clone()))
            .nest_service("/sandbox/wechat", wechat::router(gateway.wechat.clone()));
    }
    app.fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .route_layer(axum::middleware::from_fn_with_state(state.metrics.clone(), metrics::track))
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
