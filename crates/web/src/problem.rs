//! RFC 9457 problem+json answers. Client errors say what is wrong; server
//! errors are logged with their detail and say nothing more than "try later".

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keepsim_services::ServiceError;
use serde::Serialize;

/// An error answer: status, stable code, human title and detail.
#[derive(Debug, Clone)]
pub struct Problem {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable snake_case code.
    pub code: &'static str,
    /// Short human summary.
    pub title: String,
    /// What exactly is wrong.
    pub detail: String,
    /// Seconds to wait (429).
    pub retry_after: Option<u64>,
}

/// The body of every error answer (RFC 9457).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemBody {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short human summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What exactly is wrong.
    pub detail: String,
    /// Stable snake_case code.
    pub code: String,
}

impl Problem {
    /// A problem with a status, code and detail; the title is the status's reason.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// 404 not found.
    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not_found", "nothing here")
    }
}

impl From<ServiceError> for Problem {
    fn from(e: ServiceError) -> Self {
        let status = match &e {
            ServiceError::InvalidEmail(_)
            | ServiceError::WeakPassword(_)
            | ServiceError::InvalidImei(_)
            | ServiceError::InvalidEid(_)
            | ServiceError::InvalidField { .. }
            | ServiceError::UnknownCountry(_)
            | ServiceError::UnknownRegion(_)
            | ServiceError::IdempotencyKeyReused
            | ServiceError::UnknownPackage(_)
            | ServiceError::PriceNotAvailable { .. }
            | ServiceError::CurrencyNotSupported { .. }
            | ServiceError::MethodUnavailable(_)
            | ServiceError::RefundNotAllowed(_)
            | ServiceError::InvalidCatalogue { .. }
            | ServiceError::InvalidToken => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::IdempotencyKeyRequired => StatusCode::BAD_REQUEST,
            ServiceError::IdempotencyKeyInUse => StatusCode::CONFLICT,
            ServiceError::NotificationRejected { code, .. } if *code == "unknown_order" => StatusCode::NOT_FOUND,
            ServiceError::NotificationRejected { code, .. } if *code == "bad_signature" => StatusCode::UNAUTHORIZED,
            ServiceError::NotificationRejected { .. } => StatusCode::BAD_REQUEST,
            ServiceError::ProviderUnavailable(_) => StatusCode::BAD_GATEWAY,
            ServiceError::EmailTaken | ServiceError::DeviceAlreadyBound | ServiceError::DeviceHasLine => {
                StatusCode::CONFLICT
            }
            ServiceError::InvalidCredentials | ServiceError::InvalidTotp | ServiceError::Unauthenticated => {
                StatusCode::UNAUTHORIZED
            }
            ServiceError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServiceError::NotFound | ServiceError::UnknownSubscriber => StatusCode::NOT_FOUND,
            ServiceError::InventoryExhausted | ServiceError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let detail = match &e {
            ServiceError::Unavailable(m) | ServiceError::Internal(m) | ServiceError::ProviderUnavailable(m) => {
                tracing::error!(error = %m, code = e.code(), "request failed");
                e.to_string()
            }
            _ => e.to_string(),
        };
        let mut p = Problem::new(status, e.code(), detail);
        if let ServiceError::Throttled { retry_after_secs } = e {
            p.retry_after = Some(retry_after_secs);
        }
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            kind: format!("https://keepsim.dev/problems/{}", self.code.replace('_', "-")),
            title: self.title,
            status: self.status.as_u16(),
            detail: self.detail,
            code: self.code.to_string(),
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let mut res = (self.status, bytes).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v.clone());
                res.headers_mut().insert("ratelimit-reset", v);
            }
            res.headers_mut().insert("ratelimit-remaining", HeaderValue::from_static("0"));
        }
        res
    }
}

/// The title of a problem in `locale`: the catalogue's `error-<code>`, else the status's reason.
pub fn localized_title(locale: keepsim_domain::Locale, code: &str) -> Option<String> {
    keepsim_i18n::render(locale, &format!("error-{code}"), &[]).ok()
}

/// Middleware: problem+json titles in the caller's language (`?lang=`, else the signed-in
/// account's, else `Accept-Language`, else English), from the same catalogue as the pages.
pub async fn localize(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let explicit = parts.uri.query().and_then(|q| {
        q.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == "lang").map(|(_, v)| v.to_string()))
    });
    let token = crate::extract::request_token(&parts);
    let Ok(crate::extract::Lang(header_locale)) =
        <crate::extract::Lang as axum::extract::FromRequestParts<()>>::from_request_parts(&mut parts, &()).await
    else {
        return Problem::not_found().into_response();
    };
    let res = next.run(axum::extract::Request::from_parts(parts, body)).await;
    let is_problem =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == b"application/problem+json");
    if !is_problem {
        return res;
    }
    let locale = match (explicit, token) {
        (Some(tag), _) => keepsim_domain::Locale::resolve(&tag),
        (None, Some(token)) => match state.services.authenticate(&token).await {
            Ok(account) => account.locale,
            Err(_) => header_locale,
        },
        (None, None) => header_locale,
    };
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (parts.status, "").into_response();
    };
    let mut value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(_) => return Response::from_parts(parts, axum::body::Body::from(bytes)),
    };
    if let Some(code) = value.get("code").and_then(|c| c.as_str()).map(str::to_string)
        && let Some(title) = localized_title(locale, &code)
    {
        value["title"] = serde_json::Value::String(title);
    }
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(locale.tag()));
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
