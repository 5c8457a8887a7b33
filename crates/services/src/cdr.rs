//! Importing usage records (CDRs) from a partner network: CSV or JSON lines,
//! each record applied once (by its record id), bad rows reported with their
//! line number while the good ones are applied, resumable by running again.

use crate::charging::{UsageOutcome, UsageReport};
use crate::{ServiceError, Services};
use serde::Deserialize;

/// One usage record as a partner sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdrRecord {
    /// The partner's unique id of the record.
    #[serde(alias = "event_id")]
    pub record_id: String,
    /// Subscriber number (digits), or give `imsi`.
    #[serde(default)]
    pub msisdn: Option<String>,
    /// Subscriber IMSI, or give `msisdn`.
    #[serde(default)]
    pub imsi: Option<String>,
    /// Visited network MCC+MNC, or give `country`.
    #[serde(default)]
    pub plmn: Option<String>,
    /// Visited country, or give `plmn`.
    #[serde(default)]
    pub country: Option<String>,
    /// data, voice or sms.
    pub service: String,
    /// Units used.
    pub units: u64,
}

/// A record that could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdrError {
    /// 1-based line in the file.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// How an import ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CdrReport {
    /// Records applied now.
    pub applied: u64,
    /// Records applied by an earlier run (skipped).
    pub already: u64,
    /// Units debited from bundles.
    pub debited: u64,
    /// Units beyond every eligible bundle.
    pub overage: u64,
    /// Records refused, with their line.
    pub errors: Vec<CdrError>,
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Parses a CDR file: JSON lines when the first non-blank character is `{`, else CSV with a
/// header naming `record_id,msisdn,imsi,plmn,country,service,units` (any order; blank cells allowed).
pub fn parse_cdrs(text: &str) -> (Vec<(u64, CdrRecord)>, Vec<CdrError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    if text.trim_start().starts_with('{') {
        for (i, line) in text.lines().enumerate() {
            let n = i as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<CdrRecord>(line) {
                Ok(r) => rows.push((n, r)),
                Err(e) => errors.push(CdrError { line: n, reason: format!("not a usage record: {e}") }),
            }
        }
        return (rows, errors);
    }
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(CdrError { line: 1, reason: format!("unreadable header: {e}") });
            return (rows, errors);
        }
    };
    for record in reader.records() {
        let (line, record) = match record {
            Ok(r) => (r.position().map(|p| p.line()).unwrap_or(0), r),
            Err(e) => {
                errors.push(CdrError { line: e.position().map(|p| p.line()).unwrap_or(0), reason: e.to_string() });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |name: &str| {
            headers.iter().position(|h| h.eq_ignore_ascii_case(name)).and_then(|i| record.get(i)).map(str::to_string)
        };
        let units = get("units").unwrap_or_default();
        let Ok(units) = units.parse::<u64>() else {
            errors.push(CdrError { line, reason: format!("units {units:?} is not a whole non-negative number") });
            continue;
        };
        let Some(record_id) = blank(&get("record_id")).or_else(|| blank(&get("event_id"))) else {
            errors.push(CdrError { line, reason: "record_id is missing".into() });
            continue;
        };
        rows.push((
            line,
            CdrRecord {
                record_id,
                msisdn: blank(&get("msisdn")),
                imsi: blank(&get("imsi")),
                plmn: blank(&get("plmn")),
                country: blank(&get("country")),
                service: get("service").unwrap_or_default(),
                units,
            },
        ));
    }
    (rows, errors)
}

impl Services {
    /// Applies parsed CDRs through the charging service, once per record id;
    /// `progress(done, total)` is called as it goes.
    pub async fn import_cdrs(
        &self,
        rows: Vec<(u64, CdrRecord)>,
        mut errors: Vec<CdrError>,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<CdrReport, ServiceError> {
        let total = rows.len() as u64;
        let mut report = CdrReport::default();
        for (i, (line, r)) in rows.into_iter().enumerate() {
            let usage = UsageReport {
                event_id: format!("cdr:{}", r.record_id),
                msisdn: r.msisdn,
                imsi: r.imsi,
                plmn: r.plmn,
                country: r.country,
                service: r.service,
                units: r.units,
            };
            match self.apply_usage(usage).await {
                Ok(UsageOutcome { applied: true, debited, overage }) => {
                    report.applied += 1;
                    report.debited += debited;
                    report.overage += overage;
                }
                Ok(UsageOutcome { applied: false, .. }) => report.already += 1,
                Err(ServiceError::Unavailable(m)) => return Err(ServiceError::Unavailable(m)),
                Err(e) => errors.push(CdrError { line, reason: e.to_string() }),
            }
            if (i as u64 + 1).is_multiple_of(500) || i as u64 + 1 == total {
                progress(i as u64 + 1, total);
            }
        }
        errors.sort_by_key(|e| e.line);
        report.errors = errors;
        Ok(report)
    }
}
