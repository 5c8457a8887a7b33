//! Operating keepsim from the console: eSIM stock and CSV import, failed
//! fulfilment jobs and deliveries with retry, the audit log, staff and API keys.

use super::{Action, admin_page, rfc3339, staff_for};
use crate::AppState;
use crate::pages::context::Ctx;
use crate::pages::{PageError, finish, see_other};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keepsim_domain::account::Role;
use keepsim_services::inventory::{ImportOptions, parse_profiles_csv};
use keepsim_store::{Channel, Page};
use minijinja::{Value, context};
use serde::Deserialize;
use uuid::Uuid;

async fn inventory_page(state: &AppState, ctx: &Ctx, status: StatusCode, extra: Value) -> Result<Response, PageError> {
    let staff = staff_for(state, ctx, Action::Inventory).await?;
    let stock = state.services.inventory_stock().await?;
    let rows: Vec<Value> = stock
        .iter()
        .map(|s| context! { smdp => &s.smdp_address, available => s.available, assigned => s.assigned, retired => s.retired })
        .collect();
    let mut res = admin_page(ctx, &staff, "admin/inventory.html", context! { ..extra, ..context! { stock => rows } })?;
    *res.status_mut() = status;
    Ok(res)
}

pub(super) async fn inventory(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = inventory_page(&state, &ctx, StatusCode::OK, context! {}).await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct ImportForm {
    csv: String,
    skip_invalid: Option<String>,
    without_check_digit: Option<String>,
}

pub(super) async fn import_inventory(State(state): State<AppState>, ctx: Ctx, Form(f): Form<ImportForm>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Inventory).await?;
        let options = ImportOptions {
            skip_invalid: f.skip_invalid.is_some(),
            iccid_without_check_digit: f.without_check_digit.is_some(),
        };
        let parsed = match parse_profiles_csv(&f.csv, options) {
            Ok(p) => p,
            Err(e) => {
                return inventory_page(
                    &state,
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    context! { csv => &f.csv, import_error => e.to_string() },
                )
                .await;
            }
        };
        match state.services.import_profiles(parsed, options, &mut |_, _| {}).await {
            Ok(report) => {
                let skipped: Vec<String> =
                    report.skipped.iter().map(|r| format!("line {}: {}", r.line, r.reason)).collect();
                state
                    .services
                    .audit(
                        &staff,
                        "import_inventory",
                        "inventory",
                        serde_json::json!({ "imported": report.imported, "skipped": skipped.len() }),
                    )
                    .await?;
                inventory_page(&state, &ctx, StatusCode::OK, context! { imported => report.imported, skipped }).await
            }
            Err(e) => {
                let rows: Vec<String> = match &e {
                    keepsim_services::inventory::ImportError::InvalidRows(rows) => {
                        rows.iter().map(|r| format!("line {}: {}", r.line, r.reason)).collect()
                    }
                    _ => Vec::new(),
                };
                inventory_page(
                    &state,
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    context! { csv => &f.csv, import_error => e.to_string(), import_rows => rows },
                )
                .await
            }
        }
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn jobs(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Operations).await?;
        let jobs = state.services.store.fulfilment_jobs("failed", 200).await?;
        let jobs: Vec<Value> = jobs
            .iter()
            .map(|j| context! { id => j.id, order_id => j.order_id, state => &j.state, attempts => j.attempts, last_error => &j.last_error })
            .collect();
        let mut deliveries = Vec::new();
        for channel in [Channel::Email, Channel::Webhook] {
            for (id, attempts, error) in state.services.store.failed_deliveries(channel, 200).await? {
                deliveries.push(context! { channel => channel_name(channel), id, attempts, last_error => error });
            }
        }
        admin_page(&ctx, &staff, "admin/jobs.html", context! { jobs, deliveries })
    }
    .await;
    finish(&ctx, result)
}

fn channel_name(c: Channel) -> &'static str {
    match c {
        Channel::Email => "email",
        Channel::Webhook => "webhook",
    }
}

pub(super) async fn retry_job(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Operations).await?;
        let id = super::path_id(&raw)?;
        if !state.services.retry_fulfilment_job(id).await? {
            return Err(PageError::NotFound);
        }
        state.services.fulfil_wakeup.notify_one();
        state.services.audit(&staff, "retry_job", &format!("job:{id}"), serde_json::json!({})).await?;
        Ok(see_other("/admin/jobs"))
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn retry_delivery(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((channel, raw)): Path<(String, String)>,
) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Operations).await?;
        let channel = match channel.as_str() {
            "email" => Channel::Email,
            "webhook" => Channel::Webhook,
            _ => return Err(PageError::NotFound),
        };
        let id = super::path_id(&raw)?;
        if !state.services.retry_delivery(channel, id).await? {
            return Err(PageError::NotFound);
        }
        state
            .services
            .audit(&staff, "retry_delivery", &format!("{}:{id}", channel_name(channel)), serde_json::json!({}))
            .await?;
        Ok(see_other("/admin/jobs"))
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct AuditQuery {
    cursor: Option<String>,
}

pub(super) async fn audit(State(state): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Administer).await?;
        let after = q.cursor.as_deref().and_then(|c| Uuid::parse_str(c).ok());
        let mut entries = state.services.audit_log(Page { after, limit: 101 }).await?;
        let next = if entries.len() > 100 {
            entries.truncate(100);
            entries.last().map(|e| e.id)
        } else {
            None
        };
        let rows: Vec<Value> = entries
            .iter()
            .map(|e| context! { at => rfc3339(e.at), staff => &e.staff_email, action => &e.action, target => &e.target, detail => &e.detail })
            .collect();
        admin_page(&ctx, &staff, "admin/audit.html", context! { entries => rows, next })
    }
    .await;
    finish(&ctx, result)
}

async fn staff_page(state: &AppState, ctx: &Ctx, status: StatusCode, extra: Value) -> Result<Response, PageError> {
    let me = staff_for(state, ctx, Action::Administer).await?;
    let staff = state.services.store.list_staff().await?;
    let staff: Vec<Value> = staff
        .iter()
        .map(|s| context! { email => s.email.to_string(), role => s.role.as_str(), totp => s.totp_confirmed, created_at => rfc3339(s.created_at) })
        .collect();
    let keys = state.services.api_keys().await?;
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| context! { id => k.id, prefix => &k.prefix, scopes => k.scopes.join(", "), partner => &k.partner_id, created_at => rfc3339(k.created_at), revoked => k.revoked_at.is_some() })
        .collect();
    let mut res = admin_page(
        ctx,
        &me,
        "admin/staff.html",
        context! { ..extra, ..context! { members => staff, keys, roles => ["admin", "support", "finance"] } },
    )?;
    *res.status_mut() = status;
    Ok(res)
}

pub(super) async fn staff(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = staff_page(&state, &ctx, StatusCode::OK, context! {}).await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct StaffForm {
    email: String,
    role: String,
}

pub(super) async fn create_staff(State(state): State<AppState>, ctx: Ctx, Form(f): Form<StaffForm>) -> Response {
    let result = async {
        let me = staff_for(&state, &ctx, Action::Administer).await?;
        let Some(role) = Role::parse(&f.role) else {
            return staff_page(
                &state,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                context! { staff_error => "unknown role" },
            )
            .await;
        };
        match state.services.create_staff(&f.email, role, None).await {
            Ok((created, password)) => {
                state
                    .services
                    .audit(
                        &me,
                        "create_staff",
                        &format!("staff:{}", created.email),
                        serde_json::json!({ "role": role.as_str() }),
                    )
                    .await?;
                staff_page(&state, &ctx, StatusCode::OK, context! { created => created.email.to_string(), password })
                    .await
            }
            Err(e @ (keepsim_services::ServiceError::InvalidEmail(_) | keepsim_services::ServiceError::EmailTaken)) => {
                staff_page(
                    &state,
                    &ctx,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    context! { staff_error => crate::pages::error_message(ctx.locale, e.code()) },
                )
                .await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct KeyForm {
    scopes: String,
    partner: Option<String>,
}

pub(super) async fn create_api_key(State(state): State<AppState>, ctx: Ctx, Form(f): Form<KeyForm>) -> Response {
    let result = async {
        let me = staff_for(&state, &ctx, Action::Administer).await?;
        let scopes: Vec<String> = f.scopes.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        let partner = f.partner.as_deref().map(str::trim).filter(|p| !p.is_empty());
        match state.services.create_api_key(&scopes, partner).await {
            Ok(key) => {
                state
                    .services
                    .audit(
                        &me,
                        "create_api_key",
                        &format!("api_key:{}", key.record.id),
                        serde_json::json!({ "scopes": scopes, "partner": partner }),
                    )
                    .await?;
                staff_page(&state, &ctx, StatusCode::OK, context! { secret => key.secret }).await
            }
            Err(e @ keepsim_services::ServiceError::InvalidField { .. }) => {
                staff_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, context! { key_error => e.to_string() })
                    .await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn revoke_api_key(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Response {
    let result = async {
        let me = staff_for(&state, &ctx, Action::Administer).await?;
        let id = super::path_id(&raw)?;
        state.services.revoke_api_key(id).await?;
        state.services.audit(&me, "revoke_api_key", &format!("api_key:{id}"), serde_json::json!({})).await?;
        Ok(see_other("/admin/staff"))
    }
    .await;
    finish(&ctx, result)
}
