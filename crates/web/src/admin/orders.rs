//! Orders in the console: filters, one order's story, refunds (admin and finance only).

use super::{Action, admin_page, rfc3339, staff_for};
use crate::AppState;
use crate::pages::context::Ctx;
use crate::pages::{PageError, finish, see_other};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keepsim_domain::Money;
use keepsim_store::{OrderFilter, OrderRecord, Page};
use minijinja::{Value, context};
use serde::Deserialize;
use uuid::Uuid;

/// An order as a table row.
pub(super) fn order_row(o: &OrderRecord) -> Value {
    context! {
        id => o.id, account_id => o.account_id, status => o.status.as_str(), package => &o.package.code,
        method => &o.method, amount_minor => o.amount.amount_minor(), currency => o.amount.currency().as_str(),
        refunded_minor => o.refunded_minor, created_at => rfc3339(o.created_at), flag => &o.flag,
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct OrdersQuery {
    status: Option<String>,
    method: Option<String>,
    since: Option<String>,
    until: Option<String>,
    cursor: Option<String>,
}

fn day(s: Option<&str>) -> Option<time::OffsetDateTime> {
    let s = s?.trim();
    time::Date::parse(s, &time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .map(|d| d.midnight().assume_utc())
}

pub(super) async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<OrdersQuery>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Orders).await?;
        let filter = OrderFilter {
            status: q.status.clone().filter(|s| !s.is_empty()),
            method: q.method.clone().filter(|s| !s.is_empty()),
            account_id: None,
            since: day(q.since.as_deref()),
            until: day(q.until.as_deref()).map(|d| d + time::Duration::days(1)),
        };
        let after = q.cursor.as_deref().and_then(|c| Uuid::parse_str(c).ok());
        let mut orders = state.services.orders_filtered(filter, Page { after, limit: 51 }).await?;
        let next = if orders.len() > 50 {
            orders.truncate(50);
            orders.last().map(|o| o.id)
        } else {
            None
        };
        let rows: Vec<Value> = orders.iter().map(order_row).collect();
        admin_page(
            &ctx,
            &staff,
            "admin/orders.html",
            context! {
                orders => rows, next,
                q => context! { status => q.status, method => q.method, since => q.since, until => q.until },
                statuses => ["awaiting_payment", "paid", "fulfilled", "failed", "expired", "refunded", "partially_refunded"],
                methods => ["card", "alipay", "wechat"],
            },
        )
    }
    .await;
    finish(&ctx, result)
}

async fn order_page(
    state: &AppState,
    ctx: &Ctx,
    raw: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let staff = staff_for(state, ctx, Action::Orders).await?;
    let id = super::path_id(raw)?;
    let order = state.services.store.order_by_id(id).await?.ok_or(PageError::NotFound)?;
    let events = state.services.store.order_events(id).await?;
    let refunds = state.services.store.order_refunds(id).await?;
    let bundle = state.services.store.order_bundle(id).await?;
    let events: Vec<Value> = events
        .iter()
        .map(|e| context! { at => rfc3339(e.at), from => e.from.map(|s| s.as_str()), to => e.to.as_str(), reason => &e.reason })
        .collect();
    let refunds: Vec<Value> = refunds
        .iter()
        .map(|r| context! { refund_no => &r.refund_no, amount_minor => r.amount_minor, state => &r.status, requested_by => &r.requested_by, created_at => rfc3339(r.created_at) })
        .collect();
    let left = order.amount.amount_minor() - order.refunded_minor;
    let mut res = admin_page(
        ctx,
        &staff,
        "admin/order.html",
        context! {
            order => order_row(&order),
            refundable => order.status.is_paid() && left > 0,
            left_decimal => Money::new(left, order.amount.currency()).to_decimal_string(),
            line_id => order.line_id,
            events, refunds,
            bundle => bundle.map(|b| context! { id => b.id, state => b.state.as_str() }),
            error,
        },
    )?;
    *res.status_mut() = status;
    Ok(res)
}

pub(super) async fn show(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Response {
    let result = order_page(&state, &ctx, &raw, StatusCode::OK, None).await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct RefundForm {
    /// Decimal; empty refunds what is left.
    amount: Option<String>,
    reason: Option<String>,
}

pub(super) async fn refund(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<RefundForm>,
) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Refund).await?;
        let id = super::path_id(&raw)?;
        let order = state.services.store.order_by_id(id).await?.ok_or(PageError::NotFound)?;
        let amount = match f.amount.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => match Money::parse_decimal(a, order.amount.currency()) {
                Ok(m) if m.amount_minor() > 0 => Some(m.amount_minor()),
                Ok(_) => {
                    return order_page(
                        &state,
                        &ctx,
                        &raw,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        Some("the amount must be more than zero".into()),
                    )
                    .await;
                }
                Err(e) => {
                    return order_page(&state, &ctx, &raw, StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string())).await;
                }
            },
        };
        match state.services.refund_order(id, amount, staff.email.as_str()).await {
            Ok(r) => {
                state
                    .services
                    .audit(
                        &staff,
                        "refund",
                        &format!("order:{id}"),
                        serde_json::json!({
                            "refund_no": r.refund_no, "amount_minor": r.amount_minor, "reason": f.reason,
                        }),
                    )
                    .await?;
                Ok(see_other(&format!("/admin/orders/{id}")))
            }
            Err(e @ keepsim_services::ServiceError::RefundNotAllowed(_)) => {
                order_page(&state, &ctx, &raw, StatusCode::UNPROCESSABLE_ENTITY, Some(e.to_string())).await
            }
            Err(e @ keepsim_services::ServiceError::ProviderUnavailable(_)) => {
                order_page(&state, &ctx, &raw, StatusCode::BAD_GATEWAY, Some(e.to_string())).await
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}
