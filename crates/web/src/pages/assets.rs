//! Static files compiled into the binary: htmx (vendored, 0BSD), the style
//! sheet, a small script, the PWA manifest, icons and service worker.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// Every asset as `(file name, content type, bytes)`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/htmx.min.js")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/app.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../assets/app.css")),
    ("icon-192.png", "image/png", include_bytes!("../../assets/icon-192.png")),
    ("icon-512.png", "image/png", include_bytes!("../../assets/icon-512.png")),
];

fn asset_response(content_type: &'static str, body: &'static [u8], cache: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    res
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => asset_response(content_type, body, "public, max-age=3600"),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn manifest() -> Response {
    asset_response(
        "application/manifest+json",
        include_bytes!("../../assets/manifest.webmanifest"),
        "public, max-age=3600",
    )
}

async fn service_worker() -> Response {
    asset_response("text/javascript; charset=utf-8", include_bytes!("../../assets/sw.js"), "no-cache")
}

/// `/assets/{file}`, `/manifest.webmanifest`, `/sw.js`.
pub fn router<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    axum::Router::new()
        .route("/assets/{name}", get(asset))
        .route("/manifest.webmanifest", get(manifest))
        .route("/sw.js", get(service_worker))
}
