//! Customers in the console: search, a customer's devices and lines, a line's
//! bundles, ledger and usage.

use super::{Action, admin_page, rfc3339, staff_for};
use crate::AppState;
use crate::pages::context::Ctx;
use crate::pages::{PageError, chart, finish};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use keepsim_store::Page;
use minijinja::{Value, context};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub(super) struct SearchQuery {
    q: Option<String>,
    cursor: Option<String>,
}

pub(super) async fn list(State(state): State<AppState>, ctx: Ctx, Query(q): Query<SearchQuery>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Customers).await?;
        let after = q.cursor.as_deref().and_then(|c| Uuid::parse_str(c).ok());
        let mut accounts = state
            .services
            .search_customers(q.q.as_deref().filter(|s| !s.trim().is_empty()), Page { after, limit: 51 })
            .await?;
        let next = (accounts.len() > 50).then(|| {
            accounts.truncate(50);
            accounts.last().map(|a| a.id)
        }).flatten();
        let rows: Vec<Value> = accounts
            .iter()
            .map(|a| context! { id => a.id, email => a.email.to_string(), locale => a.locale.tag(), created_at => rfc3339(a.created_at) })
            .collect();
        admin_page(&ctx, &staff, "admin/customers.html", context! { customers => rows, q => q.q, next })
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn show(State(state): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Customers).await?;
        let (account, devices, lines) = state.services.customer(super::path_id(&raw)?).await?.ok_or(PageError::NotFound)?;
        let devices: Vec<Value> = devices
            .iter()
            .map(|d| context! { id => d.id, imei => d.imei.to_string(), label => &d.label, line_id => d.line_id, created_at => rfc3339(d.created_at) })
            .collect();
        let lines: Vec<Value> = lines
            .iter()
            .map(|l| context! { id => l.id, msisdn => l.msisdn.to_string(), iccid => l.iccid.to_string(), state => l.state.as_str(), valid_until => l.valid_until.map(rfc3339) })
            .collect();
        let orders = state
            .services
            .orders_filtered(
                keepsim_store::OrderFilter { account_id: Some(account.id), ..Default::default() },
                Page { after: None, limit: 50 },
            )
            .await?;
        let orders: Vec<Value> = orders.iter().map(super::orders::order_row).collect();
        admin_page(
            &ctx,
            &staff,
            "admin/customer.html",
            context! {
                customer => context! { id => account.id, email => account.email.to_string(), locale => account.locale.tag(), created_at => rfc3339(account.created_at) },
                devices, lines, orders,
            },
        )
    }
    .await;
    finish(&ctx, result)
}

pub(super) async fn line(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((raw, raw_line)): Path<(String, String)>,
) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Customers).await?;
        let account_id = super::path_id(&raw)?;
        let line_id = super::path_id(&raw_line)?;
        let line = state.services.store.line(account_id, line_id).await?.ok_or(PageError::NotFound)?;
        let bundles = state.services.store.line_bundles(account_id, line_id).await?;
        let ledger = state.services.store.line_ledger(account_id, line_id).await?;
        let now = state.services.clock.now();
        let days = chart::last_days(now, 30);
        let points = state.services.store.usage_hours(account_id, line_id, chart::start_of(&days), now).await?;
        let locale = ctx.locale;
        let usage = chart::bars(&chart::data_per_day(&days, &points), |v| keepsim_i18n::format::bytes(locale, keepsim_domain::Bytes(v)));
        let bundles: Vec<Value> = bundles
            .iter()
            .map(|b| context! {
                id => b.id, package => &b.package_code, state => b.state.as_str(), order_id => b.order_id,
                expires_at => b.expires_at.map(rfc3339),
                data_total => b.data.total, data_used => b.data.used, data_reserved => b.data.reserved,
                voice_total => b.voice.total, voice_used => b.voice.used, sms_total => b.sms.total, sms_used => b.sms.used,
            })
            .collect();
        let ledger: Vec<Value> = ledger
            .iter()
            .rev()
            .take(300)
            .map(|e| context! { at => rfc3339(e.at), kind => e.kind.as_str(), service => e.service.as_str(), units => e.units, bundle_id => e.bundle_id, order_id => e.order_id })
            .collect();
        admin_page(
            &ctx,
            &staff,
            "admin/line.html",
            context! {
                account_id,
                line => context! { id => line.id, msisdn => line.msisdn.to_string(), iccid => line.iccid.to_string(), imsi => line.imsi.to_string(), state => line.state.as_str(), valid_until => line.valid_until.map(rfc3339), smdp => &line.smdp_address },
                bundles, ledger, usage,
            },
        )
    }
    .await;
    finish(&ctx, result)
}
