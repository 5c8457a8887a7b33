//! The catalogue in the console: countries, regions, packages with their
//! prices, keep-alive policies; a price edited in place, or a whole catalogue
//! file previewed as a diff and applied.

use super::{Action, admin_page, staff_for};
use crate::AppState;
use crate::pages::context::Ctx;
use crate::pages::{PageError, finish, see_other};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use keepsim_domain::catalogue::{Catalogue, DataAllowance};
use keepsim_domain::{Currency, Money};
use minijinja::{Value, context};
use serde::Deserialize;

async fn catalogue_page(state: &AppState, ctx: &Ctx, status: StatusCode, extra: Value) -> Result<Response, PageError> {
    let staff = staff_for(state, ctx, Action::Catalogue).await?;
    let c = state.services.catalogue_shared().await?;
    let packages: Vec<Value> = c
        .packages
        .iter()
        .map(|p| {
            let data = match p.data {
                DataAllowance::Limited { bytes } => Some(bytes.0),
                DataAllowance::Unlimited { .. } => None,
            };
            context! {
                code => &p.code, name => p.name(ctx.locale), active => p.active, region => &p.region,
                data, voice_seconds => p.voice.0, sms => p.sms.0, validity_days => p.validity_days,
                countries => p.coverage.len(),
                prices => p.prices.iter().map(|m| context! {
                    currency => m.currency().as_str(), amount_minor => m.amount_minor(), decimal => m.to_decimal_string()
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let regions: Vec<Value> = c
        .regions
        .iter()
        .map(|r| context! { id => &r.id, name => r.name(ctx.locale), countries => r.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>() })
        .collect();
    let policies = state.services.store.keepalive_policies().await?;
    let policies: Vec<Value> = policies
        .iter()
        .map(|p| {
            context! {
                id => &p.id, name => &p.name, extends_days => p.extends_days, grace_days => p.grace_days,
                suspended_days => p.suspended_days, quarantine_days => p.quarantine_days, default => p.default,
                min_amounts => p.min_amounts.iter().map(|m| context! { amount_minor => m.amount_minor(), currency => m.currency().as_str() }).collect::<Vec<_>>(),
            }
        })
        .collect();
    // The editor starts from the catalogue as it is now (unless a submitted text is shown again).
    let current = state.services.catalogue_toml().await?;
    let countries = state.services.countries(ctx.locale, true).await?;
    let covered: Vec<Value> = countries
        .iter()
        .filter(|c| !c.regions.is_empty())
        .map(|c| context! { code => c.code.as_str(), name => &c.name, regions => &c.regions })
        .collect();
    let mut res = admin_page(
        ctx,
        &staff,
        "admin/catalogue.html",
        context! { ..extra, ..context! { packages, regions, policies, countries => covered, currencies => ["CNY", "USD", "HKD", "EUR"], toml => current } },
    )?;
    *res.status_mut() = status;
    Ok(res)
}

pub(super) async fn show(State(state): State<AppState>, ctx: Ctx) -> Response {
    let result = catalogue_page(&state, &ctx, StatusCode::OK, context! {}).await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct PriceForm {
    code: String,
    currency: String,
    /// A decimal amount (`12.50`); empty removes the price.
    amount: String,
}

pub(super) async fn set_price(State(state): State<AppState>, ctx: Ctx, Form(f): Form<PriceForm>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Catalogue).await?;
        let (state, ctx, f) = (&state, &ctx, &f);
        let invalid = |message: String| async move {
            catalogue_page(
                state,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                context! { price_error => message, price_code => &f.code },
            )
            .await
        };
        let Ok(currency) = Currency::parse(f.currency.trim()) else {
            return invalid(format!("unknown currency {:?}", f.currency)).await;
        };
        let amount = if f.amount.trim().is_empty() {
            None
        } else {
            match Money::parse_decimal(f.amount.trim(), currency) {
                Ok(m) if m.amount_minor() > 0 => Some(m.amount_minor()),
                Ok(_) => return invalid("the price must be more than zero".into()).await,
                Err(e) => return invalid(e.to_string()).await,
            }
        };
        match state.services.set_package_price(&f.code, currency.as_str(), amount).await {
            Ok(_) => {
                state
                    .services
                    .audit(
                        &staff,
                        "set_price",
                        &format!("package:{}", f.code),
                        serde_json::json!({ "currency": currency.as_str(), "amount_minor": amount }),
                    )
                    .await?;
                Ok(see_other(&format!("/admin/catalogue#pkg-{}", f.code)))
            }
            Err(
                e @ (keepsim_services::ServiceError::UnknownPackage(_)
                | keepsim_services::ServiceError::InvalidField { .. }),
            ) => invalid(e.to_string()).await,
            Err(e) => Err(e.into()),
        }
    }
    .await;
    finish(&ctx, result)
}

#[derive(Debug, Deserialize)]
pub(super) struct TomlForm {
    toml: String,
    /// `preview` shows the diff, `apply` applies it.
    action: String,
}

pub(super) async fn apply_toml(State(state): State<AppState>, ctx: Ctx, Form(f): Form<TomlForm>) -> Response {
    let result = async {
        let staff = staff_for(&state, &ctx, Action::Catalogue).await?;
        let next = match Catalogue::from_toml(&f.toml) {
            Ok(c) => c,
            Err(e) => {
                return catalogue_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, context! { toml => &f.toml, toml_error => e.to_string() })
                    .await;
            }
        };
        let diff = if f.action == "apply" {
            let diff = state.services.import_catalogue(&next).await?;
            state
                .services
                .audit(&staff, "apply_catalogue", "catalogue", serde_json::json!({
                    "added": diff.added, "changed": diff.changed, "retired": diff.retired, "regions_changed": diff.regions_changed, "countries_changed": diff.countries_changed,
                }))
                .await?;
            diff
        } else {
            state.services.catalogue_diff(&next).await?
        };
        let applied = f.action == "apply";
        let diff = context! { added => diff.added, changed => diff.changed, retired => diff.retired, regions_changed => diff.regions_changed, countries_changed => diff.countries_changed };
        // After applying, the editor shows the catalogue as it now is; after a preview, the text previewed.
        let extra = if applied {
            context! { diff, applied }
        } else {
            context! { diff, applied, toml => f.toml.as_str() }
        };
        catalogue_page(&state, &ctx, StatusCode::OK, extra)
        .await
    }
    .await;
    finish(&ctx, result)
}
