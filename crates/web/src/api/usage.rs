//! Usage: networks report it (`POST /usage`, API key with scope `network`),
//! customers read it (`GET /lines/{id}/usage`).

use crate::AppState;
use crate::extract::{Customer, Json, PathId, Query};
use crate::problem::{Problem, ProblemBody};
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use keepsim_services::charging::UsageReport;
use keepsim_store::ApiKeyRecord;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// A caller authenticated by an API key with the `network` scope.
#[derive(Debug, Clone)]
pub struct NetworkKey(pub ApiKeyRecord);

impl FromRequestParts<AppState> for NetworkKey {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or_else(|| {
                Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "send Authorization: Bearer <API key>")
            })?;
        Ok(NetworkKey(state.services.authorize_api_key(secret.trim(), "network").await?))
    }
}

/// One usage record from a network.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageRequest {
    /// Unique per record: a repeated id is applied once.
    pub event_id: String,
    /// The subscriber's number (digits), or give `imsi`.
    pub msisdn: Option<String>,
    /// The subscriber's IMSI, or give `msisdn`.
    pub imsi: Option<String>,
    /// The visited network, MCC+MNC such as "44010", or give `country`.
    pub plmn: Option<String>,
    /// The visited country (ISO 3166-1 alpha-2), or give `plmn`.
    pub country: Option<String>,
    /// `data` (bytes), `voice` (seconds) or `sms` (messages).
    pub service: String,
    /// Units used.
    pub units: u64,
}

/// What a usage record did.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageResponse {
    /// False when the event id was applied before (nothing changed now).
    pub applied: bool,
    /// Units debited from bundles.
    pub debited: u64,
    /// Units used beyond every eligible bundle (recorded, never negative balances).
    pub overage: u64,
}

/// Reports usage for a subscriber (idempotent on `event_id`).
#[utoipa::path(post, path = "/api/v1/usage", tag = "network", request_body = UsageRequest, security(("bearer" = [])),
    responses((status = 200, body = UsageResponse), (status = 401, body = ProblemBody), (status = 403, body = ProblemBody),
        (status = 404, body = ProblemBody, description = "unknown_subscriber"), (status = 422, body = ProblemBody)))]
pub async fn report(
    State(state): State<AppState>,
    _key: NetworkKey,
    Json(req): Json<UsageRequest>,
) -> Result<axum::Json<UsageResponse>, Problem> {
    let outcome = state
        .services
        .report_usage(UsageReport {
            event_id: req.event_id,
            msisdn: req.msisdn,
            imsi: req.imsi,
            plmn: req.plmn,
            country: req.country,
            service: req.service,
            units: req.units,
        })
        .await?;
    Ok(axum::Json(UsageResponse { applied: outcome.applied, debited: outcome.debited, overage: outcome.overage }))
}

/// `?from=&to=&step=`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SeriesQuery {
    /// Start (RFC 3339); default 30 days ago.
    pub from: Option<String>,
    /// End (RFC 3339); default now.
    pub to: Option<String>,
    /// `hour` or `day` (default).
    pub step: Option<String>,
}

/// One point.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointDto {
    /// Start of the bucket (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Units used.
    pub units: u64,
}

/// A service's series.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesDto {
    /// data, voice or sms.
    pub service: String,
    /// Unit: bytes, seconds or messages.
    pub unit: String,
    /// Non-empty buckets, oldest first.
    pub points: Vec<PointDto>,
}

/// Usage series of one of your lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageSeriesDto {
    /// hour or day.
    pub step: String,
    /// Per service.
    pub series: Vec<SeriesDto>,
}

fn parse_time(field: &'static str, v: Option<&str>, default: OffsetDateTime) -> Result<OffsetDateTime, Problem> {
    match v {
        None => Ok(default),
        Some(s) => OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).map_err(|_| {
            Problem::new(StatusCode::BAD_REQUEST, "invalid_query", format!("{field} must be an RFC 3339 time"))
        }),
    }
}

/// Usage per hour or day.
#[utoipa::path(get, path = "/api/v1/lines/{id}/usage", tag = "lines", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "line id"), SeriesQuery),
    responses((status = 200, body = UsageSeriesDto), (status = 404, body = ProblemBody)))]
pub async fn series(
    State(state): State<AppState>,
    c: Customer,
    PathId(id): PathId,
    Query(q): Query<SeriesQuery>,
) -> Result<axum::Json<UsageSeriesDto>, Problem> {
    let now = OffsetDateTime::now_utc();
    let to = parse_time("to", q.to.as_deref(), now)?;
    let from = parse_time("from", q.from.as_deref(), now - time::Duration::days(30))?;
    let daily = match q.step.as_deref().unwrap_or("day") {
        "day" => true,
        "hour" => false,
        _ => return Err(Problem::new(StatusCode::BAD_REQUEST, "invalid_query", "step is hour or day")),
    };
    if from >= to || to - from > time::Duration::days(400) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "from must be before to, at most 400 days apart",
        ));
    }
    state.services.line(&c.account, id).await?;
    let points = state
        .services
        .store
        .usage_hours(c.account.id, id, from, to)
        .await
        .map_err(keepsim_services::ServiceError::from)?;
    let mut series = Vec::new();
    for (service, unit) in [("data", "bytes"), ("voice", "seconds"), ("sms", "messages")] {
        let mut out: Vec<PointDto> = Vec::new();
        for p in points.iter().filter(|p| p.service.as_str() == service) {
            let at = if daily { p.at.replace_time(time::Time::MIDNIGHT) } else { p.at };
            match out.last_mut() {
                Some(last) if last.at == at => last.units += p.units,
                _ => out.push(PointDto { at, units: p.units }),
            }
        }
        series.push(SeriesDto { service: service.into(), unit: unit.into(), points: out });
    }
    Ok(axum::Json(UsageSeriesDto { step: if daily { "day".into() } else { "hour".into() }, series }))
}
