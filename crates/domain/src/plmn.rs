//! Mobile network identities: the MCC (country), MNC (network) and the PLMN they form (3GPP TS 23.003 §2.2).
//!
//! The MNC keeps its digits as written, because `01` and `001` are different
//! networks' codes: a 2-digit and a 3-digit MNC are never equal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a string is not a valid MCC, MNC or PLMN.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PlmnError {
    /// The input was empty.
    #[error("the {what} is empty")]
    Empty {
        /// Which code was being parsed ("MCC", "MNC" or "PLMN").
        what: &'static str,
    },
    /// The input contains something other than a digit.
    #[error("the {what} contains {character:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// Which code was being parsed ("MCC", "MNC" or "PLMN").
        what: &'static str,
        /// The offending character.
        character: char,
        /// Its 1-based position in the input.
        position: usize,
    },
    /// The input has the wrong number of digits.
    #[error("the {what} has {length} digits; it must have {allowed}")]
    WrongLength {
        /// Which code was being parsed ("MCC", "MNC" or "PLMN").
        what: &'static str,
        /// Number of digits found.
        length: usize,
        /// The acceptable lengths, in words.
        allowed: &'static str,
    },
    /// The MCC is `000`, which no network uses.
    #[error("the MCC 000 is not a mobile country code")]
    ZeroMcc,
}

/// Trims `s` and checks it is all ASCII digits with a length in `min..=max`.
fn digits(s: &str, what: &'static str, min: usize, max: usize, allowed: &'static str) -> Result<String, PlmnError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(PlmnError::Empty { what });
    }
    if let Some((position, character)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(PlmnError::NonDigit { what, character, position: position + 1 });
    }
    if !(min..=max).contains(&s.len()) {
        return Err(PlmnError::WrongLength { what, length: s.len(), allowed });
    }
    Ok(s.to_owned())
}

/// A Mobile Country Code: exactly 3 digits, not `000` (test `001` and international `901` are allowed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Mcc(String);

impl Mcc {
    /// Parses a 3-digit MCC other than `000`, trimming surrounding whitespace.
    pub fn parse(s: &str) -> Result<Mcc, PlmnError> {
        let s = digits(s, "MCC", 3, 3, "exactly 3")?;
        if s == "000" {
            return Err(PlmnError::ZeroMcc);
        }
        Ok(Mcc(s))
    }

    /// Wraps digits the caller has already validated as an MCC (crate-internal, no checks).
    pub(crate) fn from_validated(digits: &str) -> Mcc {
        Mcc(digits.to_owned())
    }

    /// The 3 digits of the MCC.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Mobile Network Code: 2 or 3 digits, kept as written (`01` and `001` differ).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Mnc(String);

impl Mnc {
    /// Parses a 2- or 3-digit MNC, trimming surrounding whitespace.
    pub fn parse(s: &str) -> Result<Mnc, PlmnError> {
        digits(s, "MNC", 2, 3, "2 or 3").map(Mnc)
    }

    /// Wraps digits the caller has already validated as an MNC (crate-internal, no checks).
    pub(crate) fn from_validated(digits: &str) -> Mnc {
        Mnc(digits.to_owned())
    }

    /// The 2 or 3 digits of the MNC.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Public Land Mobile Network identity: an MCC plus an MNC.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Plmn {
    /// The country code.
    mcc: Mcc,
    /// The network code.
    mnc: Mnc,
}

impl Plmn {
    /// Builds a PLMN from its parts.
    pub fn new(mcc: Mcc, mnc: Mnc) -> Plmn {
        Plmn { mcc, mnc }
    }

    /// Parses 5 or 6 digits: the MCC is the first 3, the MNC the remaining 2 or 3 (`"44010"`, `"310410"`).
    pub fn parse(s: &str) -> Result<Plmn, PlmnError> {
        let s = digits(s, "PLMN", 5, 6, "5 or 6 (MCC then MNC)")?;
        let (mcc, mnc) = s.split_at(3);
        Ok(Plmn { mcc: Mcc::parse(mcc)?, mnc: Mnc::parse(mnc)? })
    }

    /// The country code.
    pub fn mcc(&self) -> &Mcc {
        &self.mcc
    }

    /// The network code.
    pub fn mnc(&self) -> &Mnc {
        &self.mnc
    }

    /// MCC and MNC digits concatenated, e.g. `"44010"`.
    pub fn as_string(&self) -> String {
        format!("{}{}", self.mcc.0, self.mnc.0)
    }
}

impl fmt::Display for Mcc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Mnc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Plmn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.mcc.0, self.mnc.0)
    }
}

impl FromStr for Mcc {
    type Err = PlmnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mcc::parse(s)
    }
}

impl FromStr for Mnc {
    type Err = PlmnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mnc::parse(s)
    }
}

impl FromStr for Plmn {
    type Err = PlmnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Plmn::parse(s)
    }
}

impl TryFrom<String> for Mcc {
    type Error = PlmnError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Mcc::parse(&value)
    }
}

impl TryFrom<String> for Mnc {
    type Error = PlmnError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Mnc::parse(&value)
    }
}

impl TryFrom<String> for Plmn {
    type Error = PlmnError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Plmn::parse(&value)
    }
}

impl From<Mcc> for String {
    fn from(value: Mcc) -> Self {
        value.0
    }
}

impl From<Mnc> for String {
    fn from(value: Mnc) -> Self {
        value.0
    }
}

impl From<Plmn> for String {
    fn from(value: Plmn) -> Self {
        value.as_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_mcc() {
        assert_eq!(Mcc::parse("440").expect("valid").as_str(), "440");
        assert!(Mcc::parse("001").is_ok());
        assert!(Mcc::parse("901").is_ok());
        assert_eq!(Mcc::parse("000"), Err(PlmnError::ZeroMcc));
        assert!(matches!(Mcc::parse("44"), Err(PlmnError::WrongLength { length: 2, .. })));
        assert!(matches!(Mcc::parse("4a0"), Err(PlmnError::NonDigit { character: 'a', position: 2, .. })));
        assert_eq!(Mcc::parse(""), Err(PlmnError::Empty { what: "MCC" }));
    }

    #[test]
    fn mnc_keeps_its_length() {
        let two = Mnc::parse("01").expect("valid");
        let three = Mnc::parse("001").expect("valid");
        assert_ne!(two, three);
        assert_eq!(two.as_str(), "01");
        assert_eq!(three.as_str(), "001");
        assert!(matches!(Mnc::parse("1"), Err(PlmnError::WrongLength { length: 1, .. })));
        assert!(matches!(Mnc::parse("0001"), Err(PlmnError::WrongLength { length: 4, .. })));
    }

    #[test]
    fn parses_plmn() {
        let docomo = Plmn::parse("44010").expect("valid");
        assert_eq!(docomo.mcc().as_str(), "440");
        assert_eq!(docomo.mnc().as_str(), "10");
        assert_eq!(docomo.to_string(), "44010");
        assert_eq!(docomo.as_string(), "44010");
        let att = Plmn::parse("310410").expect("valid");
        assert_eq!(att.mcc().as_str(), "310");
        assert_eq!(att.mnc().as_str(), "410");
        assert_ne!(Plmn::parse("31001").expect("valid"), Plmn::parse("310001").expect("valid"));
        assert_eq!(
            Plmn::new(Mcc::parse("460").expect("mcc"), Mnc::parse("00").expect("mnc")),
            Plmn::parse("46000").expect("valid")
        );
    }

    #[test]
    fn rejects_bad_plmns() {
        assert_eq!(Plmn::parse("00001"), Err(PlmnError::ZeroMcc));
        assert!(matches!(Plmn::parse("4401"), Err(PlmnError::WrongLength { what: "PLMN", length: 4, .. })));
        assert!(matches!(Plmn::parse("4401000"), Err(PlmnError::WrongLength { length: 7, .. })));
        assert!(matches!(Plmn::parse("440-10"), Err(PlmnError::NonDigit { character: '-', .. })));
    }

    #[test]
    fn serde_as_strings() {
        let plmn = Plmn::parse("310410").expect("valid");
        let json = serde_json::to_string(&plmn).expect("serialize");
        assert_eq!(json, "\"310410\"");
        assert_eq!(serde_json::from_str::<Plmn>(&json).expect("deserialize"), plmn);
        assert_eq!(serde_json::to_string(plmn.mcc()).expect("serialize"), "\"310\"");
        assert_eq!(serde_json::from_str::<Mnc>("\"01\"").expect("deserialize"), Mnc::parse("01").expect("valid"));
        assert!(serde_json::from_str::<Mcc>("\"000\"").is_err());
        assert!(serde_json::from_str::<Plmn>("\"3104\"").is_err());
    }

    #[test]
    fn error_messages_name_the_code() {
        let message = Mnc::parse("1").expect_err("short").to_string();
        assert!(message.contains("MNC") && message.contains("2 or 3"), "{message}");
    }

    proptest! {
        #[test]
        fn plmn_round_trips(mcc in "[0-9]{3}", mnc in "[0-9]{2,3}") {
            prop_assume!(mcc != "000");
            let plmn = Plmn::new(Mcc::parse(&mcc).expect("mcc"), Mnc::parse(&mnc).expect("mnc"));
            let text = plmn.to_string();
            prop_assert_eq!(&text, &format!("{mcc}{mnc}"));
            let parsed = Plmn::parse(&text).expect("valid");
            prop_assert_eq!(parsed.mcc().as_str(), mcc.as_str());
            prop_assert_eq!(parsed.mnc().as_str(), mnc.as_str());
            prop_assert_eq!(&parsed, &plmn);
            let json = serde_json::to_string(&plmn).expect("ser");
            prop_assert_eq!(serde_json::from_str::<Plmn>(&json).expect("de"), plmn);
        }

        #[test]
        fn plmn_wrong_lengths_rejected(digits in "[1-9][0-9]{0,3}|[1-9][0-9]{6,10}") {
            let wrong = matches!(Plmn::parse(&digits), Err(PlmnError::WrongLength { .. }));
            prop_assert!(wrong);
        }

        #[test]
        fn never_panics(input in ".*") {
            let _ = Mcc::parse(&input);
            let _ = Mnc::parse(&input);
            if let Ok(plmn) = Plmn::parse(&input) {
                prop_assert_eq!(Plmn::parse(&plmn.as_string()), Ok(plmn.clone()));
            }
        }
    }
}
