//! The catalogue: regions and the packages sold, and how a catalogue file is read.
//!
//! A catalogue file is TOML (see `crates/services/catalogue/demo.toml`). Every
//! mistake in it is reported with its line and column, because a malformed
//! catalogue must stop start-up with a message a person can act on.

use crate::geo::CountryCode;
use crate::locale::Locale;
use crate::money::{Currency, Money};
use crate::units::{Bytes, Messages, Seconds};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use toml::Spanned;

mod to_toml;

/// What kind of product a package is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// A short trip package.
    Basic,
    /// A 30-day plan.
    Monthly,
    /// 90 days or more.
    LongTerm,
    /// Small allowance whose point is to keep the number alive.
    NumberKeeping,
}

impl Tier {
    /// The stable name used in files, the database and the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            Tier::Basic => "basic",
            Tier::Monthly => "monthly",
            Tier::LongTerm => "long-term",
            Tier::NumberKeeping => "number-keeping",
        }
    }

    /// Parses a tier name.
    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "basic" => Some(Tier::Basic),
            "monthly" => Some(Tier::Monthly),
            "long-term" => Some(Tier::LongTerm),
            "number-keeping" => Some(Tier::NumberKeeping),
            _ => None,
        }
    }
}

/// When a package's validity starts counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Starts {
    /// At purchase.
    Purchase,
    /// At first use inside its coverage (buy before the trip, count from landing).
    FirstUse,
}

impl Starts {
    /// The stable name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Starts::Purchase => "purchase",
            Starts::FirstUse => "first_use",
        }
    }

    /// Parses a name.
    pub fn parse(s: &str) -> Option<Starts> {
        match s {
            "purchase" => Some(Starts::Purchase),
            "first_use" => Some(Starts::FirstUse),
            _ => None,
        }
    }
}

/// A package's data allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataAllowance {
    /// A fixed number of bytes (possibly zero).
    Limited {
        /// The bytes included.
        bytes: Bytes,
    },
    /// Unlimited, at full speed up to a fair-use cap.
    Unlimited {
        /// Bytes at full speed before throttling.
        fair_use: Bytes,
    },
}

impl DataAllowance {
    /// The included bytes, `None` when unlimited.
    pub fn bytes(&self) -> Option<Bytes> {
        match self {
            DataAllowance::Limited { bytes } => Some(*bytes),
            DataAllowance::Unlimited { .. } => None,
        }
    }

    /// The fair-use cap of an unlimited package.
    pub fn fair_use(&self) -> Option<Bytes> {
        match self {
            DataAllowance::Limited { .. } => None,
            DataAllowance::Unlimited { fair_use } => Some(*fair_use),
        }
    }
}

/// A named group of countries (Europe, Asia, Global …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// A slug such as `europe`.
    pub id: String,
    /// The CLDR territory code whose translated names are used, such as `150`.
    pub cldr: Option<String>,
    /// Names given in the file, by language tag; they win over CLDR.
    pub names: BTreeMap<String, String>,
    /// Member countries, sorted.
    pub countries: Vec<CountryCode>,
}

impl Region {
    /// The region's name in `locale`: the file's own name, else CLDR's, else English, else the id.
    pub fn name(&self, locale: Locale) -> String {
        if let Some(n) = self.names.get(locale.tag()) {
            return n.clone();
        }
        if let Some(n) = self.cldr.as_deref().and_then(|c| crate::geo::cldr_region_name(c, locale)) {
            return n.to_string();
        }
        if let Some(n) = self.names.get("en") {
            return n.clone();
        }
        self.id.clone()
    }
}

/// The names the operator gives a country in some languages, instead of CLDR's
/// (`[[country]]` in the catalogue file); other languages keep CLDR's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryNames {
    /// The country.
    pub code: CountryCode,
    /// Names by language tag (at least one).
    pub names: BTreeMap<String, String>,
}

/// A package of data, minutes and SMS with a validity, sold at a price per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Unique code such as `JP-5GB-7D`.
    pub code: String,
    /// English (default) name.
    pub name: String,
    /// Translated names by language tag.
    pub names: BTreeMap<String, String>,
    /// Product tier.
    pub tier: Tier,
    /// The region the package was defined for, if any.
    pub region: Option<String>,
    /// Countries where the package can be used, sorted.
    pub coverage: Vec<CountryCode>,
    /// Data included.
    pub data: DataAllowance,
    /// Voice included.
    pub voice: Seconds,
    /// SMS included.
    pub sms: Messages,
    /// Days the bundle is valid once started.
    pub validity_days: u32,
    /// Days a top-up with this package keeps the line's number alive.
    pub keeps_number_days: u32,
    /// When validity starts.
    pub starts: Starts,
    /// Prices, at most one per currency, sorted by currency.
    pub prices: Vec<Money>,
    /// Whether it is on sale (packages removed from a file are retired, not deleted).
    pub active: bool,
}

impl Package {
    /// The name in `locale`, falling back to the default name.
    pub fn name(&self, locale: Locale) -> &str {
        self.names.get(locale.tag()).map(String::as_str).unwrap_or(&self.name)
    }

    /// The price in `currency`, if the package has one.
    pub fn price(&self, currency: Currency) -> Option<Money> {
        self.prices.iter().copied().find(|m| m.currency() == currency)
    }

    /// Whether the package can be used in `country`.
    pub fn covers(&self, country: CountryCode) -> bool {
        self.coverage.binary_search(&country).is_ok()
    }
}

/// How a line's number is kept alive: which top-ups qualify, how far they
/// extend the line's validity, and how long an unkept line stays in grace
/// (incoming only) and suspended before its number is recycled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeepAlivePolicy {
    /// A slug such as `hk-annual`.
    pub id: String,
    /// What staff and customers read.
    pub name: String,
    /// A top-up of at least one of these amounts (in its currency) qualifies.
    pub min_amounts: Vec<Money>,
    /// A top-up with a package of one of these tiers qualifies.
    pub tiers: Vec<Tier>,
    /// Days a qualifying top-up keeps the number (from the later of now and the current validity).
    pub extends_days: u32,
    /// Days after validity ends during which only incoming service works.
    pub grace_days: u32,
    /// Days after grace during which nothing works but a qualifying top-up still revives the line.
    pub suspended_days: u32,
    /// Days a recycled number rests before it can be given to someone else.
    pub quarantine_days: u32,
    /// The policy lines follow unless told otherwise.
    pub default: bool,
}

impl KeepAlivePolicy {
    /// Whether a top-up of `package` paid `amount` keeps the number.
    pub fn qualifies(&self, package: &Package, amount: Money) -> bool {
        self.tiers.contains(&package.tier)
            || self
                .min_amounts
                .iter()
                .any(|m| m.currency() == amount.currency() && amount.amount_minor() >= m.amount_minor())
    }

    /// The state a kept line should be in at `now`, given when its validity ends.
    pub fn state_at(&self, valid_until: time::OffsetDateTime, now: time::OffsetDateTime) -> crate::line::LineState {
        use crate::line::LineState;
        let grace_end = valid_until + time::Duration::days(i64::from(self.grace_days));
        let suspended_end = grace_end + time::Duration::days(i64::from(self.suspended_days));
        if now < valid_until {
            LineState::Active
        } else if now < grace_end {
            LineState::Grace
        } else if now < suspended_end {
            LineState::Suspended
        } else {
            LineState::Recycled
        }
    }
}

/// The policy lines follow among `policies`: the one marked default, else the first.
pub fn default_policy(policies: &[KeepAlivePolicy]) -> Option<&KeepAlivePolicy> {
    policies.iter().find(|p| p.default).or_else(|| policies.first())
}

/// Regions, packages and keep-alive policies as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// All regions, sorted by id.
    pub regions: Vec<Region>,
    /// All packages, sorted by code.
    pub packages: Vec<Package>,
    /// Keep-alive policies, sorted by id.
    #[serde(default)]
    pub policies: Vec<KeepAlivePolicy>,
    /// Countries the operator names differently from CLDR, sorted by code.
    #[serde(default)]
    pub countries: Vec<CountryNames>,
}

/// A mistake in a catalogue file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {reason}")]
pub struct CatalogueError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub reason: String,
}

/// What changes when a catalogue file is applied over the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogueDiff {
    /// Packages in the file and not in the database.
    pub added: Vec<String>,
    /// Packages whose definition or prices differ.
    pub changed: Vec<String>,
    /// Packages on sale now that the file no longer has (they will be retired).
    pub retired: Vec<String>,
    /// Regions added or changed.
    pub regions_changed: Vec<String>,
    /// Countries whose names were given, changed or given back to CLDR.
    pub countries_changed: Vec<String>,
}

impl CatalogueDiff {
    /// Whether applying the file changes nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.retired.is_empty()
            && self.regions_changed.is_empty()
            && self.countries_changed.is_empty()
    }
}

impl fmt::Display for CatalogueDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no changes");
        }
        for c in &self.added {
            writeln!(f, "+ package {c}")?;
        }
        for c in &self.changed {
            writeln!(f, "~ package {c}")?;
        }
        for c in &self.retired {
            writeln!(f, "- package {c} (retired: kept for existing orders, no longer on sale)")?;
        }
        for r in &self.regions_changed {
            writeln!(f, "~ region {r}")?;
        }
        for c in &self.countries_changed {
            writeln!(f, "~ country {c} (names)")?;
        }
        Ok(())
    }
}

impl Catalogue {
    /// Parses a catalogue file.
    pub fn from_toml(text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|s| s.start).unwrap_or(0);
            at(text, start, e.message().to_string())
        })?;
        build(text, raw)
    }

    /// The package with `code`.
    pub fn package(&self, code: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.code == code)
    }

    /// The region with `id`.
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The policy lines follow: the one marked default, else the first.
    pub fn policy(&self) -> Option<&KeepAlivePolicy> {
        default_policy(&self.policies)
    }

    /// The country's name in `locale`: the operator's, else CLDR's.
    pub fn country_name(&self, code: CountryCode, locale: Locale) -> String {
        self.countries
            .binary_search_by_key(&code, |c| c.code)
            .ok()
            .and_then(|i| self.countries[i].names.get(locale.tag()))
            .cloned()
            .unwrap_or_else(|| crate::geo::country_name(code, locale).to_string())
    }

    /// The ids of the regions that contain `country`.
    pub fn regions_of(&self, country: CountryCode) -> Vec<String> {
        self.regions.iter().filter(|r| r.countries.binary_search(&country).is_ok()).map(|r| r.id.clone()).collect()
    }

    /// What applying `next` over `self` changes.
    pub fn diff(&self, next: &Catalogue) -> CatalogueDiff {
        let mut d = CatalogueDiff::default();
        for p in &next.packages {
            match self.package(&p.code) {
                None => d.added.push(p.code.clone()),
                Some(old) if old != p => d.changed.push(p.code.clone()),
                Some(_) => {}
            }
        }
        for p in self.packages.iter().filter(|p| p.active) {
            if next.package(&p.code).is_none() {
                d.retired.push(p.code.clone());
            }
        }
        for r in &next.regions {
            if self.region(&r.id) != Some(r) {
                d.regions_changed.push(r.id.clone());
            }
        }
        let codes: BTreeSet<CountryCode> = self.countries.iter().chain(&next.countries).map(|c| c.code).collect();
        for code in codes {
            let find = |c: &Catalogue| c.countries.iter().find(|x| x.code == code).cloned();
            if find(self) != find(next) {
                d.countries_changed.push(code.as_str().to_string());
            }
        }
        d
    }
}

fn at(text: &str, offset: usize, reason: String) -> CatalogueError {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    CatalogueError { line, column, reason }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    region: Vec<Spanned<RawRegion>>,
    #[serde(default)]
    package: Vec<Spanned<RawPackage>>,
    #[serde(default)]
    policy: Vec<Spanned<RawPolicy>>,
    #[serde(default)]
    country: Vec<Spanned<RawCountry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: Spanned<String>,
    names: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    qualifying_min: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    qualifying_tiers: Vec<Spanned<String>>,
    extends_days: Spanned<u32>,
    grace_days: u32,
    suspended_days: u32,
    quarantine_days: u32,
    #[serde(default)]
    default: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    id: Spanned<String>,
    cldr: Option<Spanned<String>>,
    #[serde(default)]
    names: BTreeMap<String, String>,
    countries: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    code: Spanned<String>,
    name: String,
    #[serde(default)]
    names: BTreeMap<String, String>,
    tier: Spanned<String>,
    countries: Option<Vec<Spanned<String>>>,
    region: Option<Spanned<String>>,
    data: Spanned<String>,
    fair_use: Option<Spanned<String>>,
    voice_minutes: Option<Spanned<u64>>,
    #[serde(default)]
    sms: u64,
    validity_days: Spanned<u32>,
    #[serde(default)]
    keeps_number_days: u32,
    starts: Option<Spanned<String>>,
    prices: Spanned<BTreeMap<String, Spanned<String>>>,
}

fn is_slug(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_package_code(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

fn country(text: &str, s: &Spanned<String>) -> Result<CountryCode, CatalogueError> {
    CountryCode::parse(s.get_ref()).map_err(|_| {
        at(text, s.span().start, format!("unknown country code {:?} (ISO 3166-1 alpha-2 expected)", s.get_ref()))
    })
}

fn check_names(text: &str, names: &BTreeMap<String, String>, offset: usize) -> Result<(), CatalogueError> {
    for tag in names.keys() {
        if Locale::from_tag(tag).map(|l| l.tag()) != Some(tag.as_str()) {
            return Err(at(
                text,
                offset,
                format!("unknown language {tag:?} in names (use tags such as \"zh-CN\", \"ja\")"),
            ));
        }
    }
    Ok(())
}

fn build(text: &str, raw: RawFile) -> Result<Catalogue, CatalogueError> {
    let mut regions: Vec<Region> = Vec::new();
    for r in raw.region {
        let start = r.span().start;
        let r = r.into_inner();
        if !is_slug(r.id.get_ref()) {
            return Err(at(
                text,
                r.id.span().start,
                format!("region id {:?} must be a lower-case slug", r.id.get_ref()),
            ));
        }
        if regions.iter().any(|x| &x.id == r.id.get_ref()) {
            return Err(at(text, r.id.span().start, format!("region {:?} is defined twice", r.id.get_ref())));
        }
        if let Some(c) = &r.cldr
            && crate::geo::cldr_region_name(c.get_ref(), Locale::En).is_none()
        {
            return Err(at(text, c.span().start, format!("unknown CLDR region code {:?}", c.get_ref())));
        }
        check_names(text, &r.names, start)?;
        let mut countries = BTreeSet::new();
        for c in &r.countries {
            countries.insert(country(text, c)?);
        }
        if countries.is_empty() {
            return Err(at(text, start, format!("region {:?} has no countries", r.id.get_ref())));
        }
        regions.push(Region {
            id: r.id.into_inner(),
            cldr: r.cldr.map(Spanned::into_inner),
            names: r.names,
            countries: countries.into_iter().collect(),
        });
    }
    regions.sort_by(|a, b| a.id.cmp(&b.id));

    let mut countries: Vec<CountryNames> = Vec::new();
    for c in raw.country {
        let start = c.span().start;
        let c = c.into_inner();
        let code = country(text, &c.code)?;
        if countries.iter().any(|x| x.code == code) {
            return Err(at(text, c.code.span().start, format!("country {:?} is named twice", code.as_str())));
        }
        check_names(text, &c.names, start)?;
        if c.names.is_empty() {
            return Err(at(text, start, format!("country {:?} needs names = {{ \"zh-CN\" = \"…\" }}", code.as_str())));
        }
        if let Some((tag, _)) = c.names.iter().find(|(_, n)| n.trim().is_empty() || n.trim() != n.as_str()) {
            return Err(at(
                text,
                start,
                format!("country {:?}: the {tag} name is empty or starts or ends with spaces", code.as_str()),
            ));
        }
        countries.push(CountryNames { code, names: c.names });
    }
    countries.sort_by_key(|c| c.code);

    let mut packages: Vec<Package> = Vec::new();
    for p in raw.package {
        let start = p.span().start;
        let p = p.into_inner();
        let code = p.code.get_ref().clone();
        if !is_package_code(&code) {
            return Err(at(
                text,
                p.code.span().start,
                format!("package code {code:?} must be upper-case letters, digits and '-'"),
            ));
        }
        if packages.iter().any(|x| x.code == code) {
            return Err(at(text, p.code.span().start, format!("package {code:?} is defined twice")));
        }
        if p.name.trim().is_empty() {
            return Err(at(text, start, format!("package {code:?} has an empty name")));
        }
        check_names(text, &p.names, start)?;
        let tier = Tier::parse(p.tier.get_ref()).ok_or_else(|| {
            at(
                text,
                p.tier.span().start,
                format!("unknown tier {:?} (basic, monthly, long-term or number-keeping)", p.tier.get_ref()),
            )
        })?;
        let (region, coverage) = match (&p.countries, &p.region) {
            (Some(_), Some(r)) => {
                return Err(at(
                    text,
                    r.span().start,
                    format!("package {code:?} has both countries and region; give one"),
                ));
            }
            (None, Some(r)) => {
                let region = regions
                    .iter()
                    .find(|x| &x.id == r.get_ref())
                    .ok_or_else(|| at(text, r.span().start, format!("unknown region {:?}", r.get_ref())))?;
                (Some(region.id.clone()), region.countries.clone())
            }
            (Some(cs), None) => {
                let mut set = BTreeSet::new();
                for c in cs {
                    set.insert(country(text, c)?);
                }
                if set.is_empty() {
                    return Err(at(text, start, format!("package {code:?} covers no country")));
                }
                (None, set.into_iter().collect())
            }
            (None, None) => {
                return Err(at(text, start, format!("package {code:?} needs countries = [...] or region = \"...\"")));
            }
        };
        let data = if p.data.get_ref().eq_ignore_ascii_case("unlimited") {
            let fu = p.fair_use.as_ref().ok_or_else(|| {
                at(text, p.data.span().start, format!("package {code:?} is unlimited and needs fair_use = \"…GB\""))
            })?;
            let fair_use =
                Bytes::parse_human(fu.get_ref()).map_err(|e| at(text, fu.span().start, format!("fair_use: {e}")))?;
            DataAllowance::Unlimited { fair_use }
        } else {
            if let Some(fu) = &p.fair_use {
                return Err(at(text, fu.span().start, "fair_use is only for unlimited data".to_string()));
            }
            let bytes = Bytes::parse_human(p.data.get_ref())
                .map_err(|e| at(text, p.data.span().start, format!("data: {e}")))?;
            DataAllowance::Limited { bytes }
        };
        let voice = match &p.voice_minutes {
            None => Seconds(0),
            Some(m) => Seconds::from_minutes(*m.get_ref())
                .ok_or_else(|| at(text, m.span().start, "voice_minutes is too large".to_string()))?,
        };
        if *p.validity_days.get_ref() == 0 || *p.validity_days.get_ref() > 3660 {
            return Err(at(text, p.validity_days.span().start, "validity_days must be between 1 and 3660".to_string()));
        }
        let starts = match &p.starts {
            None => Starts::Purchase,
            Some(s) => Starts::parse(s.get_ref()).ok_or_else(|| {
                at(text, s.span().start, format!("starts must be \"purchase\" or \"first_use\", not {:?}", s.get_ref()))
            })?,
        };
        let mut prices = Vec::new();
        for (cur, amount) in p.prices.get_ref() {
            let currency =
                Currency::parse(cur).map_err(|e| at(text, amount.span().start, format!("currency {cur:?}: {e}")))?;
            let money = Money::parse_decimal(amount.get_ref(), currency)
                .map_err(|e| at(text, amount.span().start, format!("price {:?} {cur}: {e}", amount.get_ref())))?;
            if money.amount_minor() <= 0 {
                return Err(at(text, amount.span().start, format!("price in {cur} must be positive")));
            }
            prices.push(money);
        }
        if prices.is_empty() {
            return Err(at(text, p.prices.span().start, format!("package {code:?} has no price")));
        }
        prices.sort_by_key(|m| m.currency().to_string());
        packages.push(Package {
            code,
            name: p.name,
            names: p.names,
            tier,
            region,
            coverage,
            data,
            voice,
            sms: Messages(p.sms),
            validity_days: *p.validity_days.get_ref(),
            keeps_number_days: p.keeps_number_days,
            starts,
            prices,
            active: true,
        });
    }
    packages.sort_by(|a, b| a.code.cmp(&b.code));
    let mut policies: Vec<KeepAlivePolicy> = Vec::new();
    for p in raw.policy {
        let start = p.span().start;
        let p = p.into_inner();
        if !is_slug(p.id.get_ref()) {
            return Err(at(
                text,
                p.id.span().start,
                format!("policy id {:?} must be a lower-case slug", p.id.get_ref()),
            ));
        }
        if policies.iter().any(|x| &x.id == p.id.get_ref()) {
            return Err(at(text, p.id.span().start, format!("policy {:?} is defined twice", p.id.get_ref())));
        }
        let mut min_amounts = Vec::new();
        for (cur, amount) in &p.qualifying_min {
            let currency =
                Currency::parse(cur).map_err(|e| at(text, amount.span().start, format!("currency {cur:?}: {e}")))?;
            let money = Money::parse_decimal(amount.get_ref(), currency).map_err(|e| {
                at(text, amount.span().start, format!("qualifying_min {:?} {cur}: {e}", amount.get_ref()))
            })?;
            min_amounts.push(money);
        }
        let mut tiers = Vec::new();
        for t in &p.qualifying_tiers {
            tiers.push(
                Tier::parse(t.get_ref())
                    .ok_or_else(|| at(text, t.span().start, format!("unknown tier {:?}", t.get_ref())))?,
            );
        }
        if min_amounts.is_empty() && tiers.is_empty() {
            return Err(at(
                text,
                start,
                format!("policy {:?} needs qualifying_min or qualifying_tiers", p.id.get_ref()),
            ));
        }
        if *p.extends_days.get_ref() == 0 || *p.extends_days.get_ref() > 3660 {
            return Err(at(text, p.extends_days.span().start, "extends_days must be between 1 and 3660".to_string()));
        }
        policies.push(KeepAlivePolicy {
            id: p.id.into_inner(),
            name: p.name,
            min_amounts,
            tiers,
            extends_days: p.extends_days.into_inner(),
            grace_days: p.grace_days,
            suspended_days: p.suspended_days,
            quarantine_days: p.quarantine_days,
            default: p.default,
        });
    }
    if policies.iter().filter(|p| p.default).count() > 1 {
        return Err(at(text, 0, "only one policy may be the default".to_string()));
    }
    policies.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Catalogue { regions, packages, policies, countries })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[region]]
id = "europe"
cldr = "150"
countries = ["FR", "DE", "ES"]

[[package]]
code = "JP-5GB-7D"
name = "Japan 5 GB · 7 days"
names = { "zh-CN" = "日本 5GB 7天" }
tier = "basic"
countries = ["JP"]
data = "5GB"
validity_days = 7
starts = "first_use"
prices = { CNY = "35.00", USD = "4.99" }

[[package]]
code = "EU-UNL-30D"
name = "Europe unlimited"
tier = "monthly"
region = "europe"
data = "unlimited"
fair_use = "50GB"
voice_minutes = 100
sms = 50
validity_days = 30
keeps_number_days = 30
prices = { EUR = "29.00" }
"#;

    #[test]
    fn a_catalogue_file_becomes_packages_with_exact_units_and_prices() {
        let c = Catalogue::from_toml(SMALL).unwrap();
        let jp = c.package("JP-5GB-7D").unwrap();
        assert_eq!(jp.data.bytes(), Some(Bytes(5 * 1024 * 1024 * 1024)));
        assert_eq!(jp.price(Currency::CNY).map(|m| m.amount_minor()), Some(3500));
        assert_eq!(jp.price(Currency::EUR), None);
        assert_eq!(jp.name(Locale::ZhCn), "日本 5GB 7天");
        assert_eq!(jp.name(Locale::Ja), "Japan 5 GB · 7 days");
        assert_eq!(jp.starts, Starts::FirstUse);
        let eu = c.package("EU-UNL-30D").unwrap();
        assert_eq!(eu.data.bytes(), None);
        assert_eq!(eu.data.fair_use(), Some(Bytes(50 * 1024 * 1024 * 1024)));
        assert_eq!(eu.voice, Seconds(6000));
        assert_eq!(eu.coverage.len(), 3);
        assert!(eu.covers(CountryCode::parse("DE").unwrap()));
        assert_eq!(eu.region.as_deref(), Some("europe"));
        assert_eq!(eu.starts, Starts::Purchase);
        assert_eq!(c.regions_of(CountryCode::parse("FR").unwrap()), vec!["europe".to_string()]);
    }

    fn err(text: &str) -> CatalogueError {
        Catalogue::from_toml(text).unwrap_err()
    }

    #[test]
    fn mistakes_are_reported_with_their_line() {
        let bad_country = SMALL.replace(r#"countries = ["JP"]"#, r#"countries = ["XX"]"#);
        let e = err(&bad_country);
        assert_eq!(e.line, 12, "{e}");
        assert!(e.reason.contains("XX"), "{e}");

        let bad_price = SMALL.replace(r#"USD = "4.99""#, r#"USD = "4.999""#);
        let e = err(&bad_price);
        assert_eq!(e.line, 16, "{e}");

        let bad_tier = SMALL.replace(r#"tier = "monthly""#, r#"tier = "weekly""#);
        assert_eq!(err(&bad_tier).line, 21);

        let unknown_region = SMALL.replace(r#"region = "europe""#, r#"region = "mars""#);
        assert!(err(&unknown_region).reason.contains("mars"));

        let syntax = SMALL.replace(r#"validity_days = 7"#, r#"validity_days = "#);
        assert_eq!(err(&syntax).line, 14);

        let typo = SMALL.replace("validity_days = 7", "validty_days = 7");
        assert!(err(&typo).reason.contains("validty_days"), "{}", err(&typo));
    }

    #[test]
    fn unlimited_needs_a_fair_use_cap_and_limited_must_not_have_one() {
        let e = err(&SMALL.replace("fair_use = \"50GB\"\n", ""));
        assert!(e.reason.contains("fair_use"), "{e}");
        let e = err(&SMALL.replace("data = \"5GB\"", "data = \"5GB\"\nfair_use = \"1GB\""));
        assert!(e.reason.contains("fair_use"), "{e}");
    }

    #[test]
    fn keep_alive_policies_decide_what_qualifies_and_walk_the_lifecycle() {
        let text = format!(
            "{SMALL}\n[[policy]]\nid = \"hk-annual\"\nname = \"HK$50 keeps your number a year\"\nqualifying_min = {{ HKD = \"50.00\" }}\nqualifying_tiers = [\"number-keeping\"]\nextends_days = 365\ngrace_days = 30\nsuspended_days = 60\nquarantine_days = 90\ndefault = true\n"
        );
        let c = Catalogue::from_toml(&text).unwrap();
        let p = c.policy().unwrap();
        let jp = c.package("JP-5GB-7D").unwrap();
        assert!(p.qualifies(jp, Money::new(5000, Currency::HKD)));
        assert!(!p.qualifies(jp, Money::new(4999, Currency::HKD)));
        assert!(!p.qualifies(jp, Money::new(9999, Currency::CNY)), "another currency needs its own minimum");
        use crate::line::LineState;
        let end = time::macros::datetime!(2027-01-01 0:00 UTC);
        assert_eq!(p.state_at(end, end - time::Duration::seconds(1)), LineState::Active);
        assert_eq!(p.state_at(end, end), LineState::Grace);
        assert_eq!(p.state_at(end, end + time::Duration::days(30)), LineState::Suspended);
        assert_eq!(p.state_at(end, end + time::Duration::days(90)), LineState::Recycled);
        let bad = text.replace("qualifying_tiers = [\"number-keeping\"]", "qualifying_tiers = [\"gold\"]");
        assert!(err(&bad).reason.contains("gold"));
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let dup = format!(
            "{SMALL}\n{}",
            &SMALL[SMALL.find("[[package]]").unwrap()..SMALL.find("[[package]]\ncode = \"EU").unwrap()]
        );
        assert!(err(&dup).reason.contains("twice"));
    }

    #[test]
    fn diff_shows_added_changed_and_retired_packages() {
        let old = Catalogue::from_toml(SMALL).unwrap();
        let new_text = SMALL.replace("\"35.00\"", "\"39.00\"").replace("EU-UNL-30D", "EU-UNL-31D");
        let new = Catalogue::from_toml(&new_text).unwrap();
        let d = old.diff(&new);
        assert_eq!(d.changed, vec!["JP-5GB-7D".to_string()]);
        assert_eq!(d.added, vec!["EU-UNL-31D".to_string()]);
        assert_eq!(d.retired, vec!["EU-UNL-30D".to_string()]);
        assert!(old.diff(&old).is_empty());
    }

    const TAIWAN: &str = "\n[[country]]\ncode = \"TW\"\nnames = { \"zh-CN\" = \"中国台湾\", \"en\" = \"Taiwan\" }\n";

    #[test]
    fn the_operator_names_a_country_in_some_languages_and_cldr_names_it_in_the_rest() {
        let c = Catalogue::from_toml(&format!("{SMALL}{TAIWAN}")).unwrap();
        let tw = CountryCode::parse("TW").unwrap();
        assert_eq!(c.country_name(tw, Locale::ZhCn), "中国台湾");
        assert_eq!(c.country_name(tw, Locale::En), "Taiwan");
        assert_eq!(c.country_name(tw, Locale::ZhTw), crate::geo::country_name(tw, Locale::ZhTw), "not named: CLDR");
        let jp = CountryCode::parse("JP").unwrap();
        assert_eq!(c.country_name(jp, Locale::ZhCn), "日本");
        // Naming, renaming and giving a name back to CLDR are changes; nothing else is.
        let plain = Catalogue::from_toml(SMALL).unwrap();
        assert_eq!(plain.diff(&c).countries_changed, vec!["TW".to_string()]);
        assert_eq!(c.diff(&plain).countries_changed, vec!["TW".to_string()]);
        let renamed = Catalogue::from_toml(&format!("{SMALL}{}", TAIWAN.replace("中国台湾", "台湾地区"))).unwrap();
        assert_eq!(c.diff(&renamed).to_string(), "~ country TW (names)\n");
        assert!(c.diff(&c).is_empty());
    }

    #[test]
    fn country_names_are_checked_with_their_line() {
        let lines = SMALL.lines().count();
        let e = err(&format!("{SMALL}{}", TAIWAN.replace("\"TW\"", "\"XX\"")));
        assert_eq!(e.line, lines + 3, "{e}");
        assert!(e.reason.contains("XX"), "{e}");
        let e = err(&format!("{SMALL}{TAIWAN}{TAIWAN}"));
        assert!(e.reason.contains("twice"), "{e}");
        let e = err(&format!("{SMALL}{}", TAIWAN.replace("\"zh-CN\"", "\"klingon\"")));
        assert!(e.reason.contains("klingon"), "{e}");
        let e = err(&format!("{SMALL}{}", TAIWAN.replace("中国台湾", " ")));
        assert!(e.reason.contains("zh-CN name is empty"), "{e}");
        let e = err(&format!("{SMALL}\n[[country]]\ncode = \"TW\"\nnames = {{}}\n"));
        assert!(e.reason.contains("needs names"), "{e}");
        let e = err(&format!("{SMALL}\n[[country]]\ncode = \"TW\"\n"));
        assert!(e.reason.contains("names"), "{e}");
    }
}
