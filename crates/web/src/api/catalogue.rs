//! Coverage and packages: countries, regions, packages, in the customer's language.

use crate::AppState;
use crate::extract::{Lang, Query};
use crate::problem::{Problem, ProblemBody};
use axum::extract::State;
use keepsim_domain::Locale;
use keepsim_domain::catalogue::Package;
use keepsim_services::catalogue::PackageFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A country where keepsim sells something.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryDto {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// Name in the requested language (CLDR).
    pub name: String,
    /// Ids of the regions that include it.
    pub regions: Vec<String>,
}

/// A region.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDto {
    /// Slug such as `europe`.
    pub id: String,
    /// Name in the requested language.
    pub name: String,
    /// Member countries (ISO codes).
    pub countries: Vec<String>,
}

/// A price.
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceDto {
    /// ISO 4217.
    pub currency: String,
    /// In minor units (fen, cents).
    pub amount_minor: i64,
}

/// A package on sale.
#[derive(Debug, Serialize, ToSchema)]
pub struct PackageDto {
    /// Unique code.
    pub code: String,
    /// Name in the requested language.
    pub name: String,
    /// basic, monthly, long-term or number-keeping.
    pub tier: String,
    /// Data in bytes; null means unlimited (see `fair_use_bytes`).
    pub data_bytes: Option<u64>,
    /// For unlimited data: bytes at full speed.
    pub fair_use_bytes: Option<u64>,
    /// Voice in seconds.
    pub voice_seconds: u64,
    /// SMS messages.
    pub sms: u64,
    /// Days of validity.
    pub validity_days: u32,
    /// Days a top-up with this package keeps the number alive.
    pub keeps_number_days: u32,
    /// When validity starts: `purchase` or `first_use`.
    pub starts: String,
    /// The region the package is sold for, if any.
    pub region: Option<String>,
    /// Countries where it works (ISO codes).
    pub coverage: Vec<String>,
    /// One price per currency.
    pub prices: Vec<PriceDto>,
}

impl PackageDto {
    /// The answer form of a package in `locale`.
    pub fn new(p: &Package, locale: Locale) -> PackageDto {
        PackageDto {
            code: p.code.clone(),
            name: p.name(locale).to_string(),
            tier: p.tier.as_str().to_string(),
            data_bytes: p.data.bytes().map(|b| b.0),
            fair_use_bytes: p.data.fair_use().map(|b| b.0),
            voice_seconds: p.voice.0,
            sms: p.sms.0,
            validity_days: p.validity_days,
            keeps_number_days: p.keeps_number_days,
            starts: p.starts.as_str().to_string(),
            region: p.region.clone(),
            coverage: p.coverage.iter().map(|c| c.as_str().to_string()).collect(),
            prices: p
                .prices
                .iter()
                .map(|m| PriceDto { currency: m.currency().to_string(), amount_minor: m.amount_minor() })
                .collect(),
        }
    }
}

/// `?lang=&all=`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct CountriesQuery {
    /// Language of the names (BCP 47); else Accept-Language; else English.
    pub lang: Option<String>,
    /// `true`: every ISO 3166-1 country, not only those with packages.
    pub all: Option<bool>,
}

/// `?country=|region=&lang=`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PackagesQuery {
    /// Only packages that work in this country (ISO code).
    pub country: Option<String>,
    /// Only packages sold for this region (id).
    pub region: Option<String>,
    /// Language of the names.
    pub lang: Option<String>,
}

/// Countries with coverage, names in the requested language.
#[utoipa::path(get, path = "/api/v1/countries", tag = "catalogue", params(CountriesQuery),
    responses((status = 200, body = [CountryDto])))]
pub async fn countries(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<CountriesQuery>,
) -> Result<axum::Json<Vec<CountryDto>>, Problem> {
    let list = state.services.countries(lang, q.all.unwrap_or(false)).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|c| CountryDto { code: c.code.as_str().to_string(), name: c.name, regions: c.regions })
            .collect(),
    ))
}

/// Regions and their countries.
#[utoipa::path(get, path = "/api/v1/regions", tag = "catalogue", params(("lang" = Option<String>, Query, description = "language")),
    responses((status = 200, body = [RegionDto])))]
pub async fn regions(State(state): State<AppState>, Lang(lang): Lang) -> Result<axum::Json<Vec<RegionDto>>, Problem> {
    let list = state.services.regions(lang).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|r| RegionDto {
                id: r.id,
                name: r.name,
                countries: r.countries.iter().map(|c| c.as_str().to_string()).collect(),
            })
            .collect(),
    ))
}

/// Packages on sale, by country or region.
#[utoipa::path(get, path = "/api/v1/packages", tag = "catalogue", params(PackagesQuery),
    responses((status = 200, body = [PackageDto]), (status = 422, body = ProblemBody, description = "unknown_country, unknown_region")))]
pub async fn packages(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<PackagesQuery>,
) -> Result<axum::Json<Vec<PackageDto>>, Problem> {
    let filter = match (&q.country, &q.region) {
        (Some(_), Some(_)) => {
            return Err(Problem::new(
                axum::http::StatusCode::BAD_REQUEST,
                "invalid_query",
                "give country or region, not both",
            ));
        }
        (Some(c), None) => PackageFilter::Country(c),
        (None, Some(r)) => PackageFilter::Region(r),
        (None, None) => PackageFilter::All,
    };
    let list = state.services.packages(filter).await?;
    Ok(axum::Json(list.iter().map(|p| PackageDto::new(p, lang)).collect()))
}
