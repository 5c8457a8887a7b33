//! The in-app inbox: what keepsim told the customer, in their language.

use super::{PageQuery, Paginated};
use crate::AppState;
use crate::extract::{Customer, PathId, Query};
use crate::problem::{Problem, ProblemBody};
use axum::extract::State;
use axum::http::StatusCode;
use keepsim_domain::Locale;
use keepsim_i18n::Arg;
use keepsim_store::NotificationRecord;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// One notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    /// Id.
    pub id: Uuid,
    /// topup_succeeded, topup_failed, refund, data_threshold, bundle_exhausted, bundle_expiring,
    /// bundle_expired, line_expiring, line_grace, line_suspended, line_reactivated.
    pub kind: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Whether the customer has read it.
    pub read: bool,
    /// Title in the customer's language.
    pub title: String,
    /// Text in the customer's language.
    pub body: String,
    /// The facts: `line_id`, `bundle_id`, `threshold_percent`, `expires_at`, …
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Renders a notification in `locale`; a message that cannot be rendered falls back to its kind.
pub fn render(locale: Locale, n: &NotificationRecord, data: serde_json::Value) -> NotificationDto {
    let args = keepsim_services::notifications::arguments(&data, locale);
    let refs: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let (title, body) = keepsim_i18n::notification(locale, &n.kind, &refs).unwrap_or_else(|e| {
        tracing::warn!(kind = %n.kind, error = %e, "notification could not be rendered");
        (n.kind.replace('_', " "), String::new())
    });
    NotificationDto {
        id: n.id,
        kind: n.kind.clone(),
        created_at: n.created_at,
        read: n.read_at.is_some(),
        title,
        body,
        data,
    }
}

/// The inbox, newest first, in the account's language.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Paginated<NotificationDto>)))]
pub async fn list(
    State(state): State<AppState>,
    c: Customer,
    Query(q): Query<PageQuery>,
) -> Result<axum::Json<Paginated<NotificationDto>>, Problem> {
    let page = q.page()?;
    let items = state.services.inbox(&c.account, page).await?;
    let p = Paginated::from_fetched(items, page, |n| n.id);
    let locale = c.account.locale;
    let facts = state.services.notification_facts(&p.items.iter().map(|n| (n, locale)).collect::<Vec<_>>()).await;
    let items = p.items.iter().zip(facts).map(|(n, data)| render(locale, n, data)).collect();
    Ok(axum::Json(Paginated { items, next_cursor: p.next_cursor }))
}

/// Marks a notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "notification id")),
    responses((status = 204), (status = 404, body = ProblemBody)))]
pub async fn read(State(state): State<AppState>, c: Customer, PathId(id): PathId) -> Result<StatusCode, Problem> {
    state.services.mark_read(&c.account, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
