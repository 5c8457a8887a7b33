//! The IMSI, the subscriber identity stored on a SIM (3GPP TS 23.003 §2.2).
//!
//! An IMSI is MCC (3 digits) + MNC (2 or 3 digits) + MSIN. keepsim only
//! handles full 15-digit IMSIs. The MNC length cannot be read from the digits
//! themselves, so [`Imsi::candidate_plmns`] gives both readings and a PLMN
//! table elsewhere picks the one that exists.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::plmn::{Mcc, Mnc, Plmn};

/// Number of digits in an IMSI.
const IMSI_LEN: usize = 15;

/// Why a string is not a valid IMSI.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImsiError {
    /// The input was empty (or only whitespace).
    #[error("the IMSI is empty; it must be 15 digits")]
    Empty,
    /// The input contains something other than a digit.
    #[error("the IMSI contains {character:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// The offending character.
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// The input has the wrong number of digits.
    #[error("the IMSI has {length} digits; it must have exactly 15")]
    WrongLength {
        /// Number of digits found.
        length: usize,
    },
    /// The first three digits are `000`, which is not a mobile country code.
    #[error("the IMSI starts with 000, which is not a mobile country code")]
    InvalidMcc,
}

/// A valid IMSI: exactly 15 ASCII digits starting with a valid MCC.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Imsi(String);

impl Imsi {
    /// Parses a 15-digit IMSI, trimming surrounding whitespace.
    pub fn parse(s: &str) -> Result<Imsi, ImsiError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ImsiError::Empty);
        }
        if let Some((position, character)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(ImsiError::NonDigit { character, position: position + 1 });
        }
        if s.len() != IMSI_LEN {
            return Err(ImsiError::WrongLength { length: s.len() });
        }
        if s.starts_with("000") {
            return Err(ImsiError::InvalidMcc);
        }
        Ok(Imsi(s.to_owned()))
    }

    /// The 15 digits of the IMSI.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Mobile Country Code: the first 3 digits.
    pub fn mcc(&self) -> Mcc {
        // `parse` guarantees 15 digits not starting with 000: a valid MCC.
        Mcc::from_validated(self.slice(0, 3))
    }

    /// Both PLMN readings: the 3-digit-MNC one first, then the 2-digit-MNC one.
    pub fn candidate_plmns(&self) -> [Plmn; 2] {
        let mcc = self.mcc();
        // `parse` guarantees digits 4-6 exist, so both are valid MNCs.
        let mnc3 = Mnc::from_validated(self.slice(3, 6));
        let mnc2 = Mnc::from_validated(self.slice(3, 5));
        [Plmn::new(mcc.clone(), mnc3), Plmn::new(mcc, mnc2)]
    }

    /// The digits in `start..end`, or the empty string if out of range.
    fn slice(&self, start: usize, end: usize) -> &str {
        self.0.get(start..end).unwrap_or("")
    }
}

impl fmt::Display for Imsi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Imsi {
    type Err = ImsiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Imsi::parse(s)
    }
}

impl TryFrom<String> for Imsi {
    type Error = ImsiError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Imsi::parse(&value)
    }
}

impl From<Imsi> for String {
    fn from(value: Imsi) -> Self {
        value.0
    }
}

impl AsRef<str> for Imsi {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_splits() {
        let imsi = Imsi::parse("310410123456789").expect("valid");
        assert_eq!(imsi.as_str(), "310410123456789");
        assert_eq!(imsi.to_string(), "310410123456789");
        assert_eq!(imsi.mcc().as_str(), "310");
        let [three, two] = imsi.candidate_plmns();
        assert_eq!(three, Plmn::parse("310410").expect("plmn"));
        assert_eq!(two, Plmn::parse("31041").expect("plmn"));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(Imsi::parse(" "), Err(ImsiError::Empty));
        assert_eq!(Imsi::parse("31041012345678"), Err(ImsiError::WrongLength { length: 14 }));
        assert_eq!(Imsi::parse("3104101234567890"), Err(ImsiError::WrongLength { length: 16 }));
        assert_eq!(Imsi::parse("31041O123456789"), Err(ImsiError::NonDigit { character: 'O', position: 6 }));
        assert_eq!(Imsi::parse("000010123456789"), Err(ImsiError::InvalidMcc));
    }

    #[test]
    fn serde_as_string() {
        let imsi = Imsi::parse("440101234567890").expect("valid");
        let json = serde_json::to_string(&imsi).expect("serialize");
        assert_eq!(json, "\"440101234567890\"");
        assert_eq!(serde_json::from_str::<Imsi>(&json).expect("deserialize"), imsi);
        assert!(serde_json::from_str::<Imsi>("\"4401012345\"").is_err());
    }

    proptest! {
        #[test]
        fn valid_imsis_split_consistently(digits in "[0-9]{15}") {
            prop_assume!(!digits.starts_with("000"));
            let imsi = Imsi::parse(&digits).expect("valid");
            let mcc = imsi.mcc();
            prop_assert_eq!(mcc.as_str(), &digits[..3]);
            let [three, two] = imsi.candidate_plmns();
            prop_assert_eq!(three.as_string(), &digits[..6]);
            prop_assert_eq!(two.as_string(), &digits[..5]);
            prop_assert_eq!(three.mcc(), &imsi.mcc());
            let json = serde_json::to_string(&imsi).expect("ser");
            prop_assert_eq!(serde_json::from_str::<Imsi>(&json).expect("de"), imsi);
        }

        #[test]
        fn wrong_lengths_are_rejected(digits in "[1-9][0-9]{0,30}") {
            prop_assume!(digits.len() != 15);
            let wrong = matches!(Imsi::parse(&digits), Err(ImsiError::WrongLength { .. }));
            prop_assert!(wrong);
        }

        #[test]
        fn never_panics(input in ".*") {
            if let Ok(imsi) = Imsi::parse(&input) {
                let _ = imsi.candidate_plmns();
            }
        }
    }
}
