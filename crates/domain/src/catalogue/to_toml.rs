//! Writing a catalogue back as the TOML file format [`Catalogue::from_toml`] reads,
//! so staff can download the current catalogue, edit it and apply it again.

use super::{Catalogue, CountryNames, DataAllowance, KeepAlivePolicy, Package, Region};
use std::fmt::Write;

/// A TOML basic string (quoted and escaped).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An inline table of strings: `{ "zh-CN" = "日本", … }`.
fn inline_table(entries: impl Iterator<Item = (String, String)>) -> String {
    let items: Vec<String> = entries.map(|(k, v)| format!("{} = {}", quoted(&k), quoted(&v))).collect();
    format!("{{ {} }}", items.join(", "))
}

/// An array of strings: `["FR", "DE"]`.
fn array<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(quoted).collect();
    format!("[{}]", items.join(", "))
}

impl Catalogue {
    /// The catalogue as a catalogue file. Packages no longer on sale are left out
    /// (a file that lacks a package retires it, so applying this text keeps them retired);
    /// everything else reads back equal.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# keepsim catalogue. Applying this file updates packages, regions, policies and\n\
             # country names; a package left out is retired (kept for existing orders, no longer\n\
             # on sale), a country left out is named by CLDR again.\n",
        );
        for r in &self.regions {
            region(&mut out, r);
        }
        for p in self.packages.iter().filter(|p| p.active) {
            package(&mut out, p, self);
        }
        for p in &self.policies {
            policy(&mut out, p);
        }
        for c in &self.countries {
            country(&mut out, c);
        }
        out
    }
}

fn country(out: &mut String, c: &CountryNames) {
    let _ = writeln!(out, "\n[[country]]\ncode = {}", quoted(c.code.as_str()));
    let _ = writeln!(out, "names = {}", inline_table(c.names.clone().into_iter()));
}

fn region(out: &mut String, r: &Region) {
    let _ = writeln!(out, "\n[[region]]\nid = {}", quoted(&r.id));
    if let Some(cldr) = &r.cldr {
        let _ = writeln!(out, "cldr = {}", quoted(cldr));
    }
    if !r.names.is_empty() {
        let _ = writeln!(out, "names = {}", inline_table(r.names.clone().into_iter()));
    }
    let _ = writeln!(out, "countries = {}", array(r.countries.iter().map(|c| c.as_str())));
}

fn package(out: &mut String, p: &Package, c: &Catalogue) {
    let _ = writeln!(out, "\n[[package]]\ncode = {}\nname = {}", quoted(&p.code), quoted(&p.name));
    if !p.names.is_empty() {
        let _ = writeln!(out, "names = {}", inline_table(p.names.clone().into_iter()));
    }
    let _ = writeln!(out, "tier = {}", quoted(p.tier.as_str()));
    // A package sold for a region covers exactly the region's countries; if the region
    // changed since, its stored coverage is what customers bought, so it is written out.
    match p.region.as_deref().and_then(|id| c.region(id)) {
        Some(r) if r.countries == p.coverage => {
            let _ = writeln!(out, "region = {}", quoted(&r.id));
        }
        _ => {
            let _ = writeln!(out, "countries = {}", array(p.coverage.iter().map(|c| c.as_str())));
        }
    }
    match p.data {
        DataAllowance::Limited { bytes } => {
            let _ = writeln!(out, "data = {}", quoted(&bytes.to_human()));
        }
        DataAllowance::Unlimited { fair_use } => {
            let _ = writeln!(out, "data = \"unlimited\"\nfair_use = {}", quoted(&fair_use.to_human()));
        }
    }
    if p.voice.0 > 0 {
        let _ = writeln!(out, "voice_minutes = {}", p.voice.whole_minutes());
    }
    if p.sms.0 > 0 {
        let _ = writeln!(out, "sms = {}", p.sms.0);
    }
    let _ = writeln!(out, "validity_days = {}", p.validity_days);
    if p.keeps_number_days > 0 {
        let _ = writeln!(out, "keeps_number_days = {}", p.keeps_number_days);
    }
    let _ = writeln!(out, "starts = {}", quoted(p.starts.as_str()));
    let _ = writeln!(
        out,
        "prices = {}",
        inline_table(p.prices.iter().map(|m| (m.currency().to_string(), m.to_decimal_string())))
    );
}

fn policy(out: &mut String, p: &KeepAlivePolicy) {
    let _ = writeln!(out, "\n[[policy]]\nid = {}\nname = {}", quoted(&p.id), quoted(&p.name));
    if !p.min_amounts.is_empty() {
        let _ = writeln!(
            out,
            "qualifying_min = {}",
            inline_table(p.min_amounts.iter().map(|m| (m.currency().to_string(), m.to_decimal_string())))
        );
    }
    if !p.tiers.is_empty() {
        let _ = writeln!(out, "qualifying_tiers = {}", array(p.tiers.iter().map(|t| t.as_str())));
    }
    let _ = writeln!(
        out,
        "extends_days = {}\ngrace_days = {}\nsuspended_days = {}\nquarantine_days = {}",
        p.extends_days, p.grace_days, p.suspended_days, p.quarantine_days
    );
    if p.default {
        let _ = writeln!(out, "default = true");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[region]]
id = "europe"
cldr = "150"
names = { "zh-CN" = "欧洲 \"EU\"" }
countries = ["FR", "DE", "ES"]

[[package]]
code = "JP-1536MB-7D"
name = "Japan 1.5 GB"
names = { "zh-CN" = "日本 1.5GB", ja = "日本" }
tier = "basic"
countries = ["JP", "KR"]
data = "1.5GB"
voice_minutes = 30
validity_days = 7
starts = "first_use"
prices = { CNY = "35.00", JPY = "800" }

[[package]]
code = "EU-UNL-30D"
name = "Europe unlimited"
tier = "number-keeping"
region = "europe"
data = "unlimited"
fair_use = "50GB"
sms = 50
validity_days = 30
keeps_number_days = 30
prices = { EUR = "29.00" }

[[policy]]
id = "hk-annual"
name = "HK$50 keeps your number a year"
qualifying_min = { HKD = "50.00" }
qualifying_tiers = ["number-keeping"]
extends_days = 365
grace_days = 30
suspended_days = 60
quarantine_days = 90
default = true

[[country]]
code = "TW"
names = { "zh-CN" = "中国台湾", "en" = "Taiwan \"the island\"" }
"#;

    #[test]
    fn a_written_catalogue_reads_back_equal() {
        let c = Catalogue::from_toml(FILE).unwrap();
        let text = c.to_toml();
        assert_eq!(Catalogue::from_toml(&text).unwrap(), c, "{text}");
        assert!(text.contains("region = \"europe\""), "{text}");
        assert_eq!(c.countries.len(), 1, "the country's names are part of the file");
    }

    #[test]
    fn retired_packages_are_left_out() {
        let mut c = Catalogue::from_toml(FILE).unwrap();
        c.packages.retain(|p| p.code == "EU-UNL-30D");
        let mut retired = Catalogue::from_toml(FILE).unwrap();
        for p in &mut retired.packages {
            p.active = p.code == "EU-UNL-30D";
        }
        assert_eq!(Catalogue::from_toml(&retired.to_toml()).unwrap(), c);
    }
}
