//! Request extractors that answer bad input with problem+json: JSON bodies,
//! query strings, path ids, the signed-in customer, the language.

use crate::AppState;
use crate::problem::Problem;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::{ACCEPT_LANGUAGE, AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use keepsim_domain::Locale;
use keepsim_store::AccountRecord;
use serde::de::DeserializeOwned;

/// The name of the page session cookie.
pub const SESSION_COOKIE: &str = "keepsim_session";

/// A JSON body; malformed JSON is 400 `invalid_json`, a wrong shape 422 `invalid_body`,
/// a missing content type 415, an oversized body 413.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => {
                    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", e.body_text())
                }
                JsonRejection::JsonSyntaxError(e) => {
                    Problem::new(StatusCode::BAD_REQUEST, "invalid_json", e.body_text())
                }
                JsonRejection::MissingJsonContentType(_) => Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json",
                ),
                JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
                }
                other => Problem::new(StatusCode::BAD_REQUEST, "invalid_body", other.body_text()),
            }),
        }
    }
}

/// A query string; a malformed one is 400 `invalid_query`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e: QueryRejection| Problem::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text()))
    }
}

/// A path id; anything that is not a UUID is simply not found.
#[derive(Debug)]
pub struct PathId(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| Problem::not_found())?;
        uuid::Uuid::parse_str(&raw).map(PathId).map_err(|_| Problem::not_found())
    }
}

/// The token a request carries: `Authorization: Bearer …`, else the session cookie.
pub fn request_token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = v.split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string());
    }
    parts.headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == SESSION_COOKIE).then(|| value.to_string())
    })
}

/// The signed-in customer and the token they used.
#[derive(Debug, Clone)]
pub struct Customer {
    /// The account.
    pub account: AccountRecord,
    /// The token (to revoke on logout).
    pub token: String,
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = request_token(parts).ok_or_else(|| {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in first: send Authorization: Bearer <token>",
            )
        })?;
        let account = state.services.authenticate(&token).await?;
        Ok(Customer { account, token })
    }
}

/// The language of the answer: `?lang=`, else `Accept-Language`, else English.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                (k == "lang").then(|| Locale::resolve(v))
            })
        });
        let from_header = || {
            parts.headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Locale::negotiate).unwrap_or_default()
        };
        Ok(Lang(from_query.unwrap_or_else(from_header)))
    }
}
