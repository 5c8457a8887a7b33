//! Sandbox checkout: a page per order where the customer confirms a simulated
//! payment. Confirming asks the built-in gateway to pay, which builds the
//! provider's signed notification and posts it to our own webhook, through the
//! same verification as live mode.

use crate::AppState;
use crate::problem::Problem;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use keepsim_payments::sandbox::{Delivery, deliver};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

async fn sandbox_order(state: &AppState, id: &str) -> Result<keepsim_store::OrderRecord, Problem> {
    if state.sandbox.is_none() {
        return Err(Problem::not_found());
    }
    let id = uuid::Uuid::parse_str(id).map_err(|_| Problem::not_found())?;
    state
        .services
        .store
        .order_by_id(id)
        .await
        .map_err(keepsim_services::ServiceError::from)?
        .ok_or_else(Problem::not_found)
}

/// `GET /sandbox/checkout/{order_id}`.
pub async fn page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, Problem> {
    let order = sandbox_order(&state, &id).await?;
    let status = order.status.as_str();
    let waiting = matches!(order.status, keepsim_domain::order::OrderStatus::Paid);
    let refresh = if waiting { r#"<meta http-equiv="refresh" content="1">"# } else { "" };
    let action = if order.status == keepsim_domain::order::OrderStatus::AwaitingPayment {
        format!(
            r#"<form method="post" action="/sandbox/checkout/{id}/pay"><button type="submit">Pay {amount}</button></form>
<form method="post" action="/sandbox/checkout/{id}/decline"><button type="submit">Decline</button></form>"#,
            id = order.id,
            amount = escape(&order.amount.to_string())
        )
    } else {
        String::new()
    };
    let text = match order.status {
        keepsim_domain::order::OrderStatus::AwaitingPayment => "Waiting for your payment.",
        keepsim_domain::order::OrderStatus::Paid => "Processing: your payment arrived, the bundle is being credited…",
        keepsim_domain::order::OrderStatus::Fulfilled => "Done: the bundle is on your line.",
        _ => "This order cannot be paid.",
    };
    Ok(Html(format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{refresh}<title>keepsim sandbox checkout</title></head>
<body><main><h1>Sandbox checkout</h1><p>No real money moves: the built-in {method} gateway signs its notification exactly as the provider does.</p>
<dl><dt>Package</dt><dd>{package}</dd><dt>Amount</dt><dd>{amount}</dd><dt>Method</dt><dd>{method}</dd><dt>Status</dt><dd id="status">{status}</dd></dl>
<p>{text}</p>{action}</main></body></html>"#,
        method = escape(&order.method),
        package = escape(&order.package.name),
        amount = escape(&order.amount.to_string()),
    ))
    .into_response())
}

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

/// `POST /sandbox/checkout/{order_id}/pay`.
pub async fn pay(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, Problem> {
    let order = sandbox_order(&state, &id).await?;
    let Some(sandbox) = state.sandbox.clone() else { return Err(Problem::not_found()) };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let reference = order.provider_ref.clone().unwrap_or_default();
    let delivery = match order.method.as_str() {
        "card" => sandbox.card.pay(&reference, now),
        "alipay" => sandbox.alipay.pay(&order.out_trade_no, now),
        _ => sandbox.wechat.pay(&order.out_trade_no, now),
    };
    deliver_and_check(&state, delivery).await?;
    Ok(Redirect::to(&format!("/sandbox/checkout/{}", order.id)).into_response())
}

/// `POST /sandbox/checkout/{order_id}/decline` (card: a declined payment; others: nothing is paid).
pub async fn decline(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, Problem> {
    let order = sandbox_order(&state, &id).await?;
    let Some(sandbox) = state.sandbox.clone() else { return Err(Problem::not_found()) };
    if order.method == "card" {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        deliver_and_check(&state, sandbox.card.fail(order.provider_ref.as_deref().unwrap_or_default(), now)).await?;
    }
    Ok(Redirect::to(&format!("/sandbox/checkout/{}", order.id)).into_response())
}
