//! The eSIM profile inventory: importing the SM-DP+ vendor's CSV batches and
//! the generated demo stock.
//!
//! A batch is checked whole before anything is written: every bad row is
//! reported with its line number, and a file with errors imports nothing
//! unless the operator asks to skip the bad rows.

use crate::{ServiceError, Services};
use keepsim_domain::profile::{MatchingId, SmdpAddress};
use keepsim_domain::{Iccid, Imsi, Msisdn};
use keepsim_store::{NewProfile, StockLevel};
use std::collections::HashSet;

/// The columns a profile CSV must have (in any order).
pub const COLUMNS: [&str; 5] = ["iccid", "imsi", "msisdn", "smdp_address", "matching_id"];

/// The SM-DP+ address of the generated demo profiles: clearly not a real server.
pub const DEMO_SMDP: &str = "smdp.demo.keepsim.invalid";

/// One refused row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file.
    pub line: u64,
    /// What is wrong.
    pub reason: String,
}

/// A checked CSV: the good rows and the refused ones.
#[derive(Debug, Clone, Default)]
pub struct ParsedProfiles {
    /// Good rows with their line.
    pub rows: Vec<(u64, NewProfile)>,
    /// Refused rows.
    pub errors: Vec<RowError>,
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Profiles added.
    pub imported: u64,
    /// Rows left out (only with skip-invalid).
    pub skipped: Vec<RowError>,
}

/// Options of an import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Import the good rows of a file that has bad ones.
    pub skip_invalid: bool,
    /// The vendor omits the ICCID check digit (18/19 digits accepted as given).
    pub iccid_without_check_digit: bool,
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The header is not the expected one.
    #[error("1: the header must name the columns {expected}; found {found:?}")]
    BadHeader {
        /// The expected columns.
        expected: String,
        /// What was found.
        found: String,
    },
    /// Some rows are bad and skipping was not asked for; nothing was imported.
    #[error("{} invalid row(s); nothing was imported (use --skip-invalid to import the valid rows)", .0.len())]
    InvalidRows(Vec<RowError>),
    /// Someone else added some of these profiles while the file was checked; the
    /// import was rolled back whole, so running it again reports those rows.
    #[error("the inventory changed during the import; nothing was imported; run it again to see which rows clash")]
    Raced,
    /// The store failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// Parses and checks a profile CSV (duplicates within the file included).
pub fn parse_profiles_csv(text: &str, options: ImportOptions) -> Result<ParsedProfiles, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError::BadHeader { expected: COLUMNS.join(","), found: e.to_string() })?
        .clone();
    let mut index = [0usize; 5];
    for (i, col) in COLUMNS.iter().enumerate() {
        index[i] = header.iter().position(|h| h.eq_ignore_ascii_case(col)).ok_or_else(|| ImportError::BadHeader {
            expected: COLUMNS.join(","),
            found: header.iter().collect::<Vec<_>>().join(","),
        })?;
    }
    let mut parsed = ParsedProfiles::default();
    let mut seen_iccid = HashSet::new();
    let mut seen_matching = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                parsed.errors.push(RowError { line, reason: format!("unreadable row: {e}") });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(index[i]).unwrap_or("");
        let row = (|| -> Result<NewProfile, String> {
            let iccid_text = field(0);
            let iccid = Iccid::parse(iccid_text)
                .or_else(|e| {
                    if options.iccid_without_check_digit {
                        Iccid::parse_without_check_digit(iccid_text)
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| format!("iccid {iccid_text:?}: {e}"))?;
            let imsi = Imsi::parse(field(1)).map_err(|e| format!("imsi {:?}: {e}", field(1)))?;
            let msisdn = Msisdn::parse(field(2)).map_err(|e| format!("msisdn {:?}: {e}", field(2)))?;
            let smdp = SmdpAddress::parse(field(3)).map_err(|e| format!("smdp_address {:?}: {e}", field(3)))?;
            let matching = MatchingId::parse(field(4)).map_err(|e| format!("matching_id {:?}: {e}", field(4)))?;
            Ok(NewProfile {
                iccid,
                imsi,
                msisdn,
                smdp_address: smdp.as_str().to_string(),
                matching_id: matching.as_str().to_string(),
            })
        })();
        match row {
            Ok(p) => {
                if !seen_iccid.insert(p.iccid.as_str().to_string()) {
                    parsed
                        .errors
                        .push(RowError { line, reason: format!("iccid {} appears twice in the file", p.iccid) });
                } else if !seen_matching.insert((p.smdp_address.clone(), p.matching_id.clone())) {
                    parsed.errors.push(RowError {
                        line,
                        reason: format!("matching_id {} appears twice in the file", p.matching_id),
                    });
                } else {
                    parsed.rows.push((line, p));
                }
            }
            Err(reason) => parsed.errors.push(RowError { line, reason }),
        }
    }
    Ok(parsed)
}

/// `n` generated demo profiles: valid check digits, the test PLMN 001-01, fake numbers, the demo SM-DP+.
pub fn demo_profiles(n: u64) -> Vec<NewProfile> {
    (1..=n)
        .filter_map(|i| {
            Some(NewProfile {
                iccid: Iccid::with_check_digit(&format!("8900101{i:012}")).ok()?,
                imsi: Imsi::parse(&format!("00101{i:010}")).ok()?,
                msisdn: Msisdn::parse(&format!("8529000{i:04}")).ok()?,
                smdp_address: DEMO_SMDP.to_string(),
                matching_id: format!("DEMO-{i:06}"),
            })
        })
        .collect()
}

impl Services {
    /// Imports checked profiles: refuses rows already in stock (by ICCID or by
    /// SM-DP+ address and matching id), then adds the rest in one transaction, so
    /// a file is imported whole or not at all. `progress(done, total)` is called
    /// as rows are checked against the inventory and once more when committed.
    pub async fn import_profiles(
        &self,
        mut parsed: ParsedProfiles,
        options: ImportOptions,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<ImportReport, ImportError> {
        let total = parsed.rows.len() as u64;
        let mut existing_iccids = HashSet::new();
        let mut existing_matching = HashSet::new();
        let mut checked = 0;
        for chunk in parsed.rows.chunks(1000) {
            let iccids: Vec<String> = chunk.iter().map(|(_, p)| p.iccid.as_str().to_string()).collect();
            let pairs: Vec<(String, String)> =
                chunk.iter().map(|(_, p)| (p.smdp_address.clone(), p.matching_id.clone())).collect();
            existing_iccids.extend(self.store.existing_iccids(&iccids).await.map_err(ServiceError::from)?);
            existing_matching.extend(self.store.existing_matching_ids(&pairs).await.map_err(ServiceError::from)?);
            checked += chunk.len() as u64;
            // Checking is the first half of the work, writing the second.
            progress(checked / 2, total);
        }
        let mut fresh = Vec::new();
        for (line, p) in parsed.rows {
            if existing_iccids.contains(p.iccid.as_str()) {
                parsed.errors.push(RowError { line, reason: format!("iccid {} is already in the inventory", p.iccid) });
            } else if existing_matching.contains(&(p.smdp_address.clone(), p.matching_id.clone())) {
                parsed.errors.push(RowError {
                    line,
                    reason: format!("matching_id {} on {} is already in the inventory", p.matching_id, p.smdp_address),
                });
            } else {
                fresh.push(p);
            }
        }
        parsed.errors.sort_by_key(|e| e.line);
        if !parsed.errors.is_empty() && !options.skip_invalid {
            return Err(ImportError::InvalidRows(parsed.errors));
        }
        let imported = match self.store.insert_profiles(&fresh, self.clock.now()).await {
            Ok(n) => n,
            Err(keepsim_store::StoreError::Conflict(_)) => return Err(ImportError::Raced),
            Err(e) => return Err(ServiceError::from(e).into()),
        };
        progress(total, total);
        Ok(ImportReport { imported, skipped: parsed.errors })
    }

    /// Seeds the demo inventory on first start only; the number of profiles added.
    pub async fn seed_demo_inventory(&self, n: u64) -> Result<u64, ServiceError> {
        if self.store.meta("inventory_seeded").await?.is_some() {
            return Ok(0);
        }
        let profiles = demo_profiles(n);
        let fresh: Vec<NewProfile> = {
            let iccids: Vec<String> = profiles.iter().map(|p| p.iccid.as_str().to_string()).collect();
            let existing: HashSet<String> = self.store.existing_iccids(&iccids).await?.into_iter().collect();
            profiles.into_iter().filter(|p| !existing.contains(p.iccid.as_str())).collect()
        };
        let mut added = 0;
        for chunk in fresh.chunks(1000) {
            added += self.store.insert_profiles(chunk, self.clock.now()).await?;
        }
        self.store.set_meta_if_absent("inventory_seeded", &added.to_string()).await?;
        Ok(added)
    }

    /// Stock per SM-DP+.
    pub async fn inventory_stock(&self) -> Result<Vec<StockLevel>, ServiceError> {
        Ok(self.store.inventory_stock().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "iccid,imsi,msisdn,smdp_address,matching_id\n";

    fn row(n: u64) -> String {
        let p = &demo_profiles(n)[n as usize - 1];
        format!("{},{},{},rsp.example.com,M-{n}\n", p.iccid, p.imsi, p.msisdn)
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let good2 = demo_profiles(2)[1].iccid.to_string();
        let last = good2.as_bytes()[good2.len() - 1] - b'0';
        let bad_check = format!("{}{}", &good2[..good2.len() - 1], (last + 1) % 10);
        let text = format!(
            "{GOOD}{}{bad_check},001010000000002,85290000002,rsp.example.com,M-2\n{}{}not-an-iccid,001010000000005,85290000005,rsp.example.com,M-5\n",
            row(1),
            row(3),
            row(1)
        );
        let parsed = parse_profiles_csv(&text, ImportOptions::default()).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 5, 6], "{:?}", parsed.errors);
        assert!(parsed.errors[0].reason.contains("iccid"), "{:?}", parsed.errors[0]);
        assert!(parsed.errors[1].reason.contains("twice"));
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let e = parse_profiles_csv("iccid,imsi\n", ImportOptions::default()).unwrap_err();
        assert!(e.to_string().starts_with("1: "), "{e}");
    }

    #[test]
    fn demo_profiles_are_valid_and_distinct() {
        let p = demo_profiles(500);
        assert_eq!(p.len(), 500);
        let iccids: HashSet<_> = p.iter().map(|p| p.iccid.clone()).collect();
        assert_eq!(iccids.len(), 500);
    }
}
