//! Browsing and maintaining the catalogue: countries, regions, packages.
//!
//! A catalogue file seeds the database once; after that the database is the
//! truth, and a changed file is applied only on purpose (`keepsim import-catalog`).

use crate::{ServiceError, Services};
use keepsim_domain::Locale;
use keepsim_domain::catalogue::{Catalogue, CatalogueDiff, CatalogueError, Package};
use keepsim_domain::geo::{self, CountryCode};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The demo catalogue shipped in the binary.
pub const DEMO_CATALOGUE: &str = include_str!("../catalogue/demo.toml");

/// A catalogue file that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueFileError {
    /// The file cannot be read.
    #[error("{file}: {reason}")]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file has a mistake.
    #[error("{file}:{}:{}: {}", .error.line, .error.column, .error.reason)]
    Invalid {
        /// The file.
        file: PathBuf,
        /// The mistake and its place.
        error: CatalogueError,
    },
}

/// Reads and checks a catalogue file.
pub fn read_catalogue_file(path: &Path) -> Result<Catalogue, CatalogueFileError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CatalogueFileError::Unreadable { file: path.to_path_buf(), reason: e.to_string() })?;
    Catalogue::from_toml(&text).map_err(|error| CatalogueFileError::Invalid { file: path.to_path_buf(), error })
}

/// The shipped demo catalogue.
pub fn demo_catalogue() -> Result<Catalogue, CatalogueFileError> {
    Catalogue::from_toml(DEMO_CATALOGUE)
        .map_err(|error| CatalogueFileError::Invalid { file: PathBuf::from("<built-in demo.toml>"), error })
}

/// A country as the customer browses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryView {
    /// ISO 3166-1 alpha-2.
    pub code: CountryCode,
    /// Name in the requested language.
    pub name: String,
    /// Ids of regions that include it.
    pub regions: Vec<String>,
}

/// A region as the customer browses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionView {
    /// Slug.
    pub id: String,
    /// Name in the requested language.
    pub name: String,
    /// Member countries.
    pub countries: Vec<CountryCode>,
}

/// Which packages to list.
#[derive(Debug, Clone, Copy)]
pub enum PackageFilter<'a> {
    /// Everything on sale.
    All,
    /// Packages usable in this country (an ISO code as typed).
    Country(&'a str),
    /// Packages sold for this region.
    Region(&'a str),
}

/// A catalogue in memory and the `catalogue_version` it was loaded at.
pub type Loaded = (String, Arc<Catalogue>);

impl Services {
    /// The catalogue as stored now, shared: kept in memory and loaded again only when the
    /// database's `catalogue_version` (one read by key) says a catalogue was applied since,
    /// here or on another node. The version is read before the catalogue, so a catalogue
    /// applied in between is loaded again on the next call rather than kept.
    pub async fn catalogue_shared(&self) -> Result<Arc<Catalogue>, ServiceError> {
        let version = self.store.meta("catalogue_version").await?.unwrap_or_default();
        {
            let cache = self.catalogue_cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((v, c)) = cache.as_ref()
                && *v == version
            {
                return Ok(c.clone());
            }
        }
        let loaded = Arc::new(self.store.load_catalogue().await?);
        *self.catalogue_cache.lock().unwrap_or_else(|e| e.into_inner()) = Some((version, loaded.clone()));
        Ok(loaded)
    }

    /// The catalogue as stored now, to change.
    pub async fn catalogue(&self) -> Result<Catalogue, ServiceError> {
        Ok((*self.catalogue_shared().await?).clone())
    }

    /// The keep-alive policy lines follow, if the catalogue has one (reads the policies only).
    pub async fn keepalive_policy(&self) -> Result<Option<keepsim_domain::catalogue::KeepAlivePolicy>, ServiceError> {
        let policies = self.store.keepalive_policies().await?;
        Ok(keepsim_domain::catalogue::default_policy(&policies).cloned())
    }

    /// Seeds the catalogue on first start only; true when this call seeded it.
    /// A restart never overwrites what staff edited since.
    pub async fn seed_catalogue(&self, catalogue: &Catalogue) -> Result<bool, ServiceError> {
        if self.store.meta("catalogue_seeded").await?.is_some() {
            return Ok(false);
        }
        self.store.apply_catalogue(catalogue, self.clock.now()).await?;
        self.store.set_meta_if_absent("catalogue_seeded", &self.clock.now().to_string()).await?;
        Ok(true)
    }

    /// What applying `next` would change.
    pub async fn catalogue_diff(&self, next: &Catalogue) -> Result<CatalogueDiff, ServiceError> {
        Ok(self.catalogue_shared().await?.diff(next))
    }

    /// Applies a catalogue explicitly (staff's `import-catalog`): upserts and retires.
    pub async fn import_catalogue(&self, next: &Catalogue) -> Result<CatalogueDiff, ServiceError> {
        let diff = self.catalogue_diff(next).await?;
        self.store.apply_catalogue(next, self.clock.now()).await?;
        self.store.set_meta_if_absent("catalogue_seeded", &self.clock.now().to_string()).await?;
        Ok(diff)
    }

    /// Countries where at least one package on sale works (or every ISO country when `all`), by name.
    pub async fn countries(&self, locale: Locale, all: bool) -> Result<Vec<CountryView>, ServiceError> {
        let c = self.catalogue_shared().await?;
        let covered: BTreeSet<CountryCode> =
            c.packages.iter().filter(|p| p.active).flat_map(|p| p.coverage.iter().copied()).collect();
        let mut out: Vec<CountryView> = geo::all_countries()
            .iter()
            .filter(|info| all || covered.contains(&info.code()))
            .map(|info| CountryView {
                code: info.code(),
                name: c.country_name(info.code(), locale),
                regions: c.regions_of(info.code()),
            })
            .collect();
        out.sort_by_key(|c| c.code);
        Ok(out)
    }

    /// All regions.
    pub async fn regions(&self, locale: Locale) -> Result<Vec<RegionView>, ServiceError> {
        let c = self.catalogue_shared().await?;
        Ok(c.regions
            .iter()
            .map(|r| RegionView { id: r.id.clone(), name: r.name(locale), countries: r.countries.clone() })
            .collect())
    }

    /// Packages on sale, filtered. An unknown country or region is an error, a
    /// known one without packages an empty list.
    pub async fn packages(&self, filter: PackageFilter<'_>) -> Result<Vec<Package>, ServiceError> {
        let c = self.catalogue_shared().await?;
        let on_sale = c.packages.iter().filter(|p| p.active);
        Ok(match filter {
            PackageFilter::All => on_sale.cloned().collect(),
            PackageFilter::Country(code) => {
                let code = CountryCode::parse(code).map_err(|_| ServiceError::UnknownCountry(code.to_string()))?;
                on_sale.filter(|p| p.covers(code)).cloned().collect()
            }
            PackageFilter::Region(id) => {
                if c.region(id).is_none() {
                    return Err(ServiceError::UnknownRegion(id.to_string()));
                }
                on_sale.filter(|p| p.region.as_deref() == Some(id)).cloned().collect()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepsim_domain::catalogue::Tier;
    use keepsim_domain::{Currency, Locale};

    #[test]
    fn the_demo_catalogue_is_valid_and_big_enough() {
        let c = demo_catalogue().unwrap();
        assert!(c.packages.len() >= 30, "{} packages", c.packages.len());
        for code in ["JP", "KR", "TH", "SG", "US", "GB", "FR", "DE", "AU", "HK"] {
            let cc = CountryCode::parse(code).unwrap();
            assert!(
                c.packages.iter().any(|p| p.region.is_none() && p.coverage == vec![cc]),
                "no single-country package for {code}"
            );
        }
        assert!(c.region("europe").unwrap().countries.len() >= 30);
        assert!(c.region("asia").unwrap().countries.len() >= 10);
        assert!(c.region("global").unwrap().countries.len() >= 80);
        assert!(c.packages.iter().filter(|p| p.tier == Tier::NumberKeeping).count() >= 2);
        for p in &c.packages {
            for cur in [Currency::CNY, Currency::USD, Currency::HKD, Currency::EUR] {
                assert!(p.price(cur).is_some(), "{} has no {cur} price", p.code);
            }
            assert_ne!(p.name(Locale::ZhCn), p.name, "{} has no zh-CN name", p.code);
        }
    }

    #[test]
    fn region_names_come_from_cldr() {
        let c = demo_catalogue().unwrap();
        assert_eq!(c.region("europe").unwrap().name(Locale::ZhCn), "欧洲");
        assert_eq!(c.region("asia").unwrap().name(Locale::En), "Asia");
    }
}
