//! Support tickets in the console: the queue by status, a thread, answering and closing.

use super::{Action, admin_page, rfc3339, staff_for};
use crate::AppState;
use crate::pages::context::Ctx;
use crate::pages::{PageError, error_message, finish, see_other};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keepsim_store::Page;
use minijinja::{Value, context};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(super) struct TicketsQuery {
    status: Option<String>,
}

pub(super) async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<TicketsQuery>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Tickets).await?;
        let status = q.status.as_deref().filter(|s| !s.is_empty()).unwrap_or("open");
        let filter = (status != "all").then_some(status);
        let tickets = state.services.staff_tickets(filter, Page { after: None, limit: 200 }).await?;
        let rows: Vec<Value> = tickets
            .iter()
            .map(|t| context! { id => t.id, subject => &t.subject, status => t.status.as_str(), account_id => t.account_id, updated_at => rfc3339(t.updated_at) })
            .collect();
        admin_page(&ctx, &staff, "admin/tickets.html", context! { tickets => rows, status, statuses => ["open", "answered", "closed", "all"] })
    }
    .await;
    finish(&ctx, result)
}

async fn ticket_page(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let staff = staff_for(state, ctx, Action::Tickets).await?;
    let id = super::path_id(raw)?;
    let (t, messages) = state.services.staff_ticket(id).await?.ok_or(PageError::NotFound)?;
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| context! { author => m.author.as_str(), body => &m.body, at => rfc3339(m.created_at) })
        .collect();
    let mut res = admin_page(
        ctx,
        &staff,
        "admin/ticket.html",
        context! { ticket => context! { id => t.id, subject => &t.subject, status => t.status.as_str(), account_id => t.account_id }, messages, error },
    )?;
    *res.status_mut() = status;
    Ok(res)
}

pub(super) async fn show(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Response {
    let result = ticket_page(&state, &ctx, &raw, StatusCode::OK, None).await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct AnswerForm {
    body: String,
}

pub(super) async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Tickets).await?;
        let id = super::path_id(&raw)?;
        match state.services.answer_ticket(&staff, id, &f.body).await {
            Ok(_) => {
                state.services.audit(&staff, "answer_ticket", &format!("ticket:{id}"), serde_json::json!({})).await?;
                Ok(see_other(&format!("/admin/tickets/{id}")))
            }
            Err(e @ keepsim_services::ServiceError::InvalidField { .. }) => {
                ticket_page(
                    &state,
                    &ctx,
                    &raw,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(error_message(ctx.locale, "empty_field")).or(Some(e.to_string())),
                )
                .await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn close(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Tickets).await?;
        let id = super::path_id(&raw)?;
        state.services.close_ticket(&staff, id).await?;
        state.services.audit(&staff, "close_ticket", &format!("ticket:{id}"), serde_json::json!({})).await?;
        Ok(see_other(&format!("/admin/tickets/{id}")))
    }
    .await;
    finish(&ctx, result)
}
