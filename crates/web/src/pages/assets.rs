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

const SERVICE_WORKER: &str = include_str!("../../assets/sw.js");

/// The service worker's cache name: `keepsim-` and a hash of every asset, so a release that
/// changes any asset is a new service worker, which drops the old cache instead of serving
/// the old files forever.
fn cache_name(assets: &[(&str, &str, &[u8])]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (name, _, body) in assets {
        hash.update(name.as_bytes());
        hash.update((body.len() as u64).to_be_bytes());
        hash.update(body);
    }
    format!("keepsim-{}", &hex::encode(hash.finalize())[..16])
}

/// The service worker with this release's cache name.
fn service_worker_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| SERVICE_WORKER.replace("\"keepsim-v1\"", &format!("\"{}\"", cache_name(ASSETS))))
}

async fn service_worker() -> Response {
    asset_response("text/javascript; charset=utf-8", service_worker_text().as_bytes(), "no-cache")
}

/// `/assets/{file}`, `/manifest.webmanifest`, `/sw.js`.
pub fn router<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    axum::Router::new()
        .route("/assets/{name}", get(asset))
        .route("/manifest.webmanifest", get(manifest))
        .route("/sw.js", get(service_worker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_that_changes_any_asset_gets_a_new_service_worker_cache() {
        let text = service_worker_text();
        assert!(!text.contains("keepsim-v1") && text.contains(&cache_name(ASSETS)), "{text}");
        let changed: Vec<(&str, &str, &[u8])> =
            ASSETS.iter().map(|&(n, t, b)| if n == "app.css" { (n, t, &b"body{}"[..]) } else { (n, t, b) }).collect();
        assert_ne!(cache_name(&changed), cache_name(ASSETS));
        assert_eq!(cache_name(ASSETS), cache_name(ASSETS));
    }
}
