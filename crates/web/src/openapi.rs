//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::api;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// keepsim's API description.
#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "keepsim API", description = "Prepaid travel eSIMs and number keeping. Errors are RFC 9457 problem+json with a stable `code`."),
    paths(
        api::auth::register, api::auth::login, api::auth::logout, api::auth::password_reset, api::auth::password_reset_confirm,
        api::auth::verify_email, api::auth::verify_email_confirm,
        api::catalogue::countries, api::catalogue::regions, api::catalogue::packages,
        api::devices::create, api::devices::list, api::devices::get, api::devices::delete, api::lines::move_line,
        api::lines::create, api::lines::list, api::lines::get, api::lines::qr_svg, api::lines::qr_png,
        api::orders::create, api::orders::get, api::orders::balance, api::usage::report, api::usage::series, api::notifications::list, api::notifications::read,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;
