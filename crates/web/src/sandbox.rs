//! Sandbox payments: the checkout page (in `pages::customer`) confirms a simulated
//! payment. Confirming asks the built-in gateway to pay, which builds the
//! provider's signed notification and posts it to our own webhook, through the
//! same verification as live mode.

use crate::AppState;
use crate::problem::Problem;
use axum::http::StatusCode;
use keepsim_payments::sandbox::{Delivery, deliver};
use keepsim_store::OrderRecord;

async fn deliver_and_check(
    state: &AppState,
    d: Result<Delivery, keepsim_payments::sandbox::SandboxError>,
) -> Result<(), Problem> {
    let d = d.map_err(|e| Problem::new(StatusCode::CONFLICT, "sandbox_refused", e.to_string()))?;
    let (status, body) = deliver(&state.http, &d)
        .await
        .map_err(|e| Problem::new(StatusCode::BAD_GATEWAY, "sandbox_delivery_failed", e))?;
    if status >= 300 {
        return Err(Problem::new(
            StatusCode::BAD_GATEWAY,
            "sandbox_delivery_failed",
            format!("webhook answered {status}: {body}"),
        ));
    }
    Ok(())
}

/// `POST /sandbox/orders/{id}/pay`: pays an order at the built-in gateway, for scripts and load
/// generators (no page, no cookies; the checkout page's form does the same for people).
pub async fn api_pay(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::extract::PathId(id): crate::extract::PathId,
) -> Result<StatusCode, Problem> {
    let order = state
        .services
        .store
        .order_by_id(id)
        .await
        .map_err(keepsim_services::ServiceError::from)?
        .ok_or_else(Problem::not_found)?;
    pay_order(&state, &order).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pays `order` at the built-in gateway: the provider's signed notification reaches our webhook.
pub async fn pay_order(state: &AppState, order: &OrderRecord) -> Result<(), Problem> {
    let Some(sandbox) = state.sandbox.clone() else { return Err(Problem::not_found()) };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let reference = order.provider_ref.clone().unwrap_or_default();
    let delivery = match order.method.as_str() {
        "card" => sandbox.card.pay(&reference, now),
        "alipay" => sandbox.alipay.pay(&order.out_trade_no, now),
        _ => sandbox.wechat.pay(&order.out_trade_no, now),
    };
    deliver_and_check(state, delivery).await
}

/// Declines `order` (card: a failed payment is notified; the others simply stay unpaid).
pub async fn decline_order(state: &AppState, order: &OrderRecord) -> Result<(), Problem> {
    let Some(sandbox) = state.sandbox.clone() else { return Err(Problem::not_found()) };
    if order.method == "card" {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        deliver_and_check(state, sandbox.card.fail(order.provider_ref.as_deref().unwrap_or_default(), now)).await?;
    }
    Ok(())
}
