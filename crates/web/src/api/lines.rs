//! eSIM lines: create one on a device, read it, scan its QR code.

use super::{PageQuery, Paginated};
use crate::extract::{Customer, Json, PathId, Query};
use crate::problem::{Problem, ProblemBody};
use crate::{AppState, qr};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use keepsim_services::lines::activation_code;
use keepsim_store::LineRecord;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// Which device gets the line.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LineRequest {
    /// One of your devices.
    pub device_id: Uuid,
}

/// A line and how to install its eSIM.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineDto {
    /// Line id.
    pub id: Uuid,
    /// The device carrying it.
    pub device_id: Uuid,
    /// ICCID of the current profile.
    pub iccid: String,
    /// The number, digits only.
    pub msisdn: String,
    /// IMSI of the current profile.
    pub imsi: String,
    /// assigned, active, grace, suspended or recycled.
    pub state: String,
    /// SGP.22 activation code `LPA:1$<smdp>$<matching id>`.
    pub activation_code: String,
    /// SM-DP+ address, for manual entry.
    pub smdp_address: String,
    /// Matching id, for manual entry.
    pub matching_id: String,
    /// Until when the number is kept; null before the first top-up.
    #[serde(with = "time::serde::rfc3339::option")]
    pub valid_until: Option<OffsetDateTime>,
    /// When the line was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<LineRecord> for LineDto {
    fn from(l: LineRecord) -> Self {
        LineDto {
            activation_code: activation_code(&l),
            id: l.id,
            device_id: l.device_id,
            iccid: l.iccid.to_string(),
            msisdn: l.msisdn.to_string(),
            imsi: l.imsi.to_string(),
            state: l.state.as_str().to_string(),
            smdp_address: l.smdp_address,
            matching_id: l.matching_id,
            valid_until: l.valid_until,
            created_at: l.created_at,
        }
    }
}

/// Creates a line on one of your devices with a profile from the inventory.
#[utoipa::path(post, path = "/api/v1/lines", tag = "lines", request_body = LineRequest, security(("bearer" = [])),
    responses((status = 201, body = LineDto), (status = 404, body = ProblemBody, description = "no such device of yours"),
        (status = 409, body = ProblemBody, description = "device_has_line"),
        (status = 503, body = ProblemBody, description = "inventory_exhausted")))]
pub async fn create(
    State(state): State<AppState>,
    c: Customer,
    Json(req): Json<LineRequest>,
) -> Result<(StatusCode, axum::Json<LineDto>), Problem> {
    let line = state.services.create_line(&c.account, req.device_id).await?;
    Ok((StatusCode::CREATED, axum::Json(line.into())))
}

/// Your lines.
#[utoipa::path(get, path = "/api/v1/lines", tag = "lines", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Paginated<LineDto>)))]
pub async fn list(
    State(state): State<AppState>,
    c: Customer,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Paginated<LineDto>>, Problem> {
    let page = q.page()?;
    let items = state.services.lines(&c.account, page).await?;
    let p = Paginated::from_fetched(items, page, |l| l.id);
    Ok(axum::Json(Paginated { items: p.items.into_iter().map(Into::into).collect(), next_cursor: p.next_cursor }))
}

/// One of your lines.
#[utoipa::path(get, path = "/api/v1/lines/{id}", tag = "lines", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "line id")),
    responses((status = 200, body = LineDto), (status = 404, body = ProblemBody)))]
pub async fn get(
    State(state): State<AppState>,
    c: Customer,
    PathId(id): PathId,
) -> Result<axum::Json<LineDto>, Problem> {
    Ok(axum::Json(state.services.line(&c.account, id).await?.into()))
}

fn image(content_type: &'static str, body: Vec<u8>) -> Response {
    let mut res = body.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

/// The activation code as an SVG QR code.
#[utoipa::path(get, path = "/api/v1/lines/{id}/qr.svg", tag = "lines", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "line id")),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ProblemBody)))]
pub async fn qr_svg(State(state): State<AppState>, c: Customer, PathId(id): PathId) -> Result<Response, Problem> {
    let line = state.services.line(&c.account, id).await?;
    let svg = qr::svg(&activation_code(&line)).map_err(|e| keepsim_services::ServiceError::Internal(e.to_string()))?;
    Ok(image("image/svg+xml", svg.into_bytes()))
}

/// The activation code as a PNG QR code.
#[utoipa::path(get, path = "/api/v1/lines/{id}/qr.png", tag = "lines", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "line id")),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 404, body = ProblemBody)))]
pub async fn qr_png(State(state): State<AppState>, c: Customer, PathId(id): PathId) -> Result<Response, Problem> {
    let line = state.services.line(&c.account, id).await?;
    let png = qr::png(&activation_code(&line)).map_err(|e| keepsim_services::ServiceError::Internal(e.to_string()))?;
    Ok(image("image/png", png))
}

/// Moves a line to another of your phones: a new eSIM profile (new ICCID and activation code),
/// the same number, bundles and validity kept.
#[utoipa::path(post, path = "/api/v1/lines/{id}/move", tag = "lines", request_body = LineRequest, security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "line id")),
    responses((status = 200, body = LineDto), (status = 404, body = ProblemBody),
        (status = 409, body = ProblemBody, description = "device_has_line"),
        (status = 503, body = ProblemBody, description = "inventory_exhausted")))]
pub async fn move_line(
    State(state): State<AppState>,
    c: Customer,
    PathId(id): PathId,
    Json(req): Json<LineRequest>,
) -> Result<axum::Json<LineDto>, Problem> {
    Ok(axum::Json(state.services.move_line(&c.account, id, req.device_id).await?.into()))
}
