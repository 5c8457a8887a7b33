//! The admin console under `/admin`: staff sign in with a password and a TOTP
//! code; every action checks the staff member's role (admin, support,
//! finance) and is written to the audit log.

mod auth;
mod catalogue;
mod customers;
mod operations;
mod orders;
mod tickets;

use crate::AppState;
use crate::pages::context::Ctx;
use crate::pages::{PageError, chart, finish, page};
pub(crate) use crate::pages::{path_id, rfc3339};
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use keepsim_domain::account::Role;
use keepsim_store::StaffRecord;
use minijinja::{Value, context};

/// What each role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Dashboard and reports.
    Dashboard,
    /// Edit the catalogue, prices and keep-alive policies.
    Catalogue,
    /// See and import eSIM inventory.
    Inventory,
    /// See customers, their lines, bundles, ledger and usage.
    Customers,
    /// See orders.
    Orders,
    /// Refund an order.
    Refund,
    /// Answer support tickets.
    Tickets,
    /// Retry failed fulfilment jobs and deliveries.
    Operations,
    /// Read the audit log, manage staff and API keys.
    Administer,
}

/// Whether `role` may do `action`.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Admin => true,
        Role::Support => matches!(action, Dashboard | Customers | Orders | Tickets),
        Role::Finance => matches!(action, Dashboard | Orders | Refund | Customers),
    }
}

/// The signed-in staff member allowed to do `action`: otherwise to the sign-in page, the
/// TOTP step, or a 403 page (the refusal is audited).
pub async fn staff_for(state: &AppState, ctx: &Ctx, action: Action) -> Result<StaffRecord, PageError> {
    let Some((session, _)) = &ctx.staff else { return Err(PageError::SignIn("/admin/signin".into())) };
    if !session.mfa_ok {
        return Err(PageError::SignIn("/admin/totp".into()));
    }
    if !allowed(session.staff.role, action) {
        let _ = state
            .services
            .audit(&session.staff, "denied", &ctx.path, serde_json::json!({ "action": format!("{action:?}") }))
            .await;
        return Err(PageError::Forbidden);
    }
    Ok(session.staff.clone())
}

/// What the navigation shows to a role.
pub fn nav_for(role: Role) -> Value {
    context! {
        catalogue => allowed(role, Action::Catalogue),
        inventory => allowed(role, Action::Inventory),
        customers => allowed(role, Action::Customers),
        orders => allowed(role, Action::Orders),
        tickets => allowed(role, Action::Tickets),
        operations => allowed(role, Action::Operations),
        administer => allowed(role, Action::Administer),
        refund => allowed(role, Action::Refund),
    }
}

/// Renders an admin page with the navigation for `staff`.
pub fn admin_page(ctx: &Ctx, staff: &StaffRecord, template: &str, extra: Value) -> Result<Response, PageError> {
    page(ctx, template, context! { ..extra, ..context! { can => nav_for(staff.role) } })
}

async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Dashboard).await?;
        let now = state.services.clock.now();
        let days = chart::last_days(now, 30);
        let dashboard = state.services.dashboard(chart::start_of(&days)).await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let topups =
            chart::per_day(&days, |day| count(dashboard.sales.iter().filter(|s| s.day == day).map(|s| s.orders).sum()));
        let mut currencies: Vec<String> = dashboard.sales.iter().map(|s| s.currency.clone()).collect();
        currencies.sort();
        currencies.dedup();
        let locale = ctx.locale;
        let revenue: Vec<Value> = currencies
            .iter()
            .map(|cur| {
                let points = chart::per_day(&days, |day| {
                    count(
                        dashboard
                            .sales
                            .iter()
                            .filter(|s| s.day == day && &s.currency == cur)
                            .map(|s| s.revenue_minor)
                            .sum(),
                    )
                });
                let currency = keepsim_domain::Currency::parse(cur).unwrap_or(keepsim_domain::Currency::USD);
                let chart = chart::bars(&points, |v| {
                    keepsim_i18n::format::money(
                        locale,
                        &keepsim_domain::Money::new(i64::try_from(v).unwrap_or(i64::MAX), currency),
                    )
                });
                context! { currency => cur, chart }
            })
            .collect();
        let data = chart::per_day(&days, |day| {
            count(dashboard.data_used.iter().filter(|(d, _)| *d == day).map(|(_, b)| *b).sum())
        });
        let in_use = chart::per_day(&days, |day| {
            count(dashboard.lines_in_use.iter().filter(|(d, _)| *d == day).map(|(_, n)| *n).sum())
        });
        let lines: Vec<Value> =
            dashboard.line_counts.iter().map(|(s, n)| context! { state => s, count => n }).collect();
        let active = dashboard.line_counts.iter().find(|(s, _)| s == "active").map(|(_, n)| *n).unwrap_or(0);
        admin_page(
            &ctx,
            &staff,
            "admin/dashboard.html",
            context! {
                topups => chart::bars(&topups, |v| v.to_string()),
                revenue,
                data => chart::bars(&data, |v| keepsim_i18n::format::bytes(locale, keepsim_domain::Bytes(v))),
                in_use => chart::bars(&in_use, |v| keepsim_i18n::format::integer(locale, i64::try_from(v).unwrap_or(i64::MAX))),
                lines,
                active,
            },
        )
    }
    .await;
    finish(&ctx, result)
}

/// The console's routes.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/admin", get(dashboard))
        .route("/admin/signin", get(auth::signin_form).post(auth::signin))
        .route("/admin/totp", get(auth::totp_form).post(auth::totp))
        .route("/admin/signout", post(auth::signout))
        .route("/admin/catalogue", get(catalogue::show))
        .route("/admin/catalogue/price", post(catalogue::set_price))
        .route("/admin/catalogue/toml", post(catalogue::apply_toml))
        .route("/admin/inventory", get(operations::inventory))
        .route("/admin/inventory/import", post(operations::import_inventory))
        .route("/admin/customers", get(customers::list))
        .route("/admin/customers/{id}", get(customers::show))
        .route("/admin/customers/{id}/lines/{line}", get(customers::line))
        .route("/admin/orders", get(orders::list))
        .route("/admin/orders/{id}", get(orders::show))
        .route("/admin/orders/{id}/refund", post(orders::refund))
        .route("/admin/tickets", get(tickets::list))
        .route("/admin/tickets/{id}", get(tickets::show))
        .route("/admin/tickets/{id}/answer", post(tickets::answer))
        .route("/admin/tickets/{id}/close", post(tickets::close))
        .route("/admin/jobs", get(operations::jobs))
        .route("/admin/jobs/{id}/retry", post(operations::retry_job))
        .route("/admin/deliveries/{channel}/{id}/retry", post(operations::retry_delivery))
        .route("/admin/audit", get(operations::audit))
        .route("/admin/staff", get(operations::staff).post(operations::create_staff))
        .route("/admin/api-keys", post(operations::create_api_key))
        .route("/admin/api-keys/{id}/revoke", post(operations::revoke_api_key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_cannot_refund_or_edit_the_catalogue_and_finance_cannot_answer_tickets() {
        assert!(!allowed(Role::Support, Action::Refund));
        assert!(!allowed(Role::Support, Action::Catalogue));
        assert!(allowed(Role::Support, Action::Tickets));
        assert!(allowed(Role::Finance, Action::Refund));
        assert!(!allowed(Role::Finance, Action::Tickets));
        assert!(!allowed(Role::Finance, Action::Catalogue));
        assert!(allowed(Role::Admin, Action::Administer));
    }
}
