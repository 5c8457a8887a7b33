//! Binding phones by IMEI.

use super::{PageQuery, Paginated};
use crate::AppState;
use crate::extract::{Customer, Json, PathId, Query};
use crate::problem::{Problem, ProblemBody};
use axum::extract::State;
use axum::http::StatusCode;
use keepsim_store::DeviceRecord;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// A phone to bind.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceRequest {
    /// 15 digits with a Luhn check digit (dial *#06# to see it).
    pub imei: String,
    /// 32-digit EID, optional.
    pub eid: Option<String>,
    /// A name for it, e.g. "Ana's iPhone".
    pub label: Option<String>,
}

/// A bound phone.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceDto {
    /// Device id.
    pub id: Uuid,
    /// IMEI.
    pub imei: String,
    /// EID, if given.
    pub eid: Option<String>,
    /// The customer's name for it.
    pub label: Option<String>,
    /// The line on it, if any.
    pub line_id: Option<Uuid>,
    /// When it was bound.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<DeviceRecord> for DeviceDto {
    fn from(d: DeviceRecord) -> Self {
        DeviceDto {
            id: d.id,
            imei: d.imei.to_string(),
            eid: d.eid.map(|e| e.to_string()),
            label: d.label,
            line_id: d.line_id,
            created_at: d.created_at,
        }
    }
}

/// Binds a phone to the signed-in account.
#[utoipa::path(post, path = "/api/v1/devices", tag = "devices", request_body = DeviceRequest, security(("bearer" = [])),
    responses((status = 201, body = DeviceDto), (status = 409, body = ProblemBody, description = "device_already_bound"),
        (status = 422, body = ProblemBody, description = "invalid_imei, invalid_eid")))]
pub async fn create(
    State(state): State<AppState>,
    c: Customer,
    Json(req): Json<DeviceRequest>,
) -> Result<(StatusCode, axum::Json<DeviceDto>), Problem> {
    let d = state.services.bind_device(&c.account, &req.imei, req.eid.as_deref(), req.label.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(d.into())))
}

/// The signed-in account's phones.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Paginated<DeviceDto>)))]
pub async fn list(
    State(state): State<AppState>,
    c: Customer,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Paginated<DeviceDto>>, Problem> {
    let page = q.page()?;
    let items = state.services.devices(&c.account, page).await?;
    let p = Paginated::from_fetched(items, page, |d| d.id);
    Ok(axum::Json(Paginated { items: p.items.into_iter().map(Into::into).collect(), next_cursor: p.next_cursor }))
}

/// One of the signed-in account's phones.
#[utoipa::path(get, path = "/api/v1/devices/{id}", tag = "devices", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "device id")),
    responses((status = 200, body = DeviceDto), (status = 404, body = ProblemBody)))]
pub async fn get(
    State(state): State<AppState>,
    c: Customer,
    PathId(id): PathId,
) -> Result<axum::Json<DeviceDto>, Problem> {
    Ok(axum::Json(state.services.device(&c.account, id).await?.into()))
}

/// Unbinds a phone (sold, replaced): its IMEI is free again. Refused while a line is on it.
#[utoipa::path(delete, path = "/api/v1/devices/{id}", tag = "devices", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "device id")),
    responses((status = 204), (status = 404, body = ProblemBody), (status = 409, body = ProblemBody, description = "device_has_line")))]
pub async fn delete(State(state): State<AppState>, c: Customer, PathId(id): PathId) -> Result<StatusCode, Problem> {
    state.services.unbind_device(&c.account, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
