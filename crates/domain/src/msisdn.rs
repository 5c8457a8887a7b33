//! The MSISDN, a line's phone number in international E.164 form.
//!
//! An [`Msisdn`] is stored as digits only (country code first, no `+`):
//! 7 to 15 ASCII digits, the first of which is not `0`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Fewest digits keepsim accepts in an E.164 number.
const MIN_LEN: usize = 7;
/// Most digits E.164 allows.
const MAX_LEN: usize = 15;

/// Why a string is not a valid E.164 number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MsisdnError {
    /// The input was empty, only whitespace, or only `+`.
    #[error("the phone number is empty; it must be 7 to 15 digits in international form")]
    Empty,
    /// The input contains something other than a digit (after an optional leading `+`).
    #[error(
        "the phone number contains {character:?} at position {position}; write it as an optional + \
         followed by digits only, without spaces or dashes"
    )]
    NonDigit {
        /// The offending character.
        character: char,
        /// Its 1-based position in the trimmed input, counting a leading `+`.
        position: usize,
    },
    /// The number has too few or too many digits.
    #[error("the phone number has {length} digits; it must have 7 to 15 including the country code")]
    WrongLength {
        /// Number of digits found.
        length: usize,
    },
    /// The number starts with 0, so it is not in international form.
    #[error("the phone number starts with 0; write it in international form starting with the country code")]
    LeadingZero,
}

/// A valid E.164 number, digits only: 7-15 digits, the first not `0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Msisdn(String);

impl Msisdn {
    /// Parses an optional leading `+` then 7-15 digits (first not 0); surrounding whitespace is trimmed, inner spaces or dashes are rejected.
    pub fn parse(s: &str) -> Result<Msisdn, MsisdnError> {
        let s = s.trim();
        let (digits, offset) = match s.strip_prefix('+') {
            Some(rest) => (rest, 1),
            None => (s, 0),
        };
        if digits.is_empty() {
            return Err(MsisdnError::Empty);
        }
        if let Some((position, character)) = digits.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(MsisdnError::NonDigit { character, position: position + 1 + offset });
        }
        if !(MIN_LEN..=MAX_LEN).contains(&digits.len()) {
            return Err(MsisdnError::WrongLength { length: digits.len() });
        }
        if digits.starts_with('0') {
            return Err(MsisdnError::LeadingZero);
        }
        Ok(Msisdn(digits.to_owned()))
    }

    /// The digits of the number, without `+`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with a leading `+`, as people write it.
    pub fn to_e164(&self) -> String {
        format!("+{}", self.0)
    }
}

impl fmt::Display for Msisdn {
    /// Writes the digits without `+` (use [`Msisdn::to_e164`] for the `+` form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Msisdn {
    type Err = MsisdnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Msisdn::parse(s)
    }
}

impl TryFrom<String> for Msisdn {
    type Error = MsisdnError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Msisdn::parse(&value)
    }
}

impl From<Msisdn> for String {
    fn from(value: Msisdn) -> Self {
        value.0
    }
}

impl AsRef<str> for Msisdn {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_with_and_without_plus() {
        let with_plus = Msisdn::parse("+8613800138000").expect("valid");
        let without = Msisdn::parse("8613800138000").expect("valid");
        assert_eq!(with_plus, without);
        assert_eq!(with_plus.as_str(), "8613800138000");
        assert_eq!(with_plus.to_string(), "8613800138000");
        assert_eq!(with_plus.to_e164(), "+8613800138000");
        assert_eq!(Msisdn::parse(" +85291234567 ").expect("trimmed").as_str(), "85291234567");
    }

    #[test]
    fn length_bounds() {
        assert!(Msisdn::parse("1234567").is_ok());
        assert!(Msisdn::parse("123456789012345").is_ok());
        assert_eq!(Msisdn::parse("123456"), Err(MsisdnError::WrongLength { length: 6 }));
        assert_eq!(Msisdn::parse("+1234567890123456"), Err(MsisdnError::WrongLength { length: 16 }));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(Msisdn::parse(""), Err(MsisdnError::Empty));
        assert_eq!(Msisdn::parse("+"), Err(MsisdnError::Empty));
        assert_eq!(Msisdn::parse("08613800138"), Err(MsisdnError::LeadingZero));
        assert_eq!(Msisdn::parse("+86 138 0013 8000"), Err(MsisdnError::NonDigit { character: ' ', position: 4 }));
        assert_eq!(Msisdn::parse("86-13800138000"), Err(MsisdnError::NonDigit { character: '-', position: 3 }));
        assert_eq!(Msisdn::parse("++8613800138000"), Err(MsisdnError::NonDigit { character: '+', position: 2 }));
        assert!(matches!(Msisdn::parse("8613800138000+"), Err(MsisdnError::NonDigit { character: '+', .. })));
    }

    #[test]
    fn serde_is_digits_without_plus() {
        let msisdn = Msisdn::parse("+8613800138000").expect("valid");
        let json = serde_json::to_string(&msisdn).expect("serialize");
        assert_eq!(json, "\"8613800138000\"");
        assert_eq!(serde_json::from_str::<Msisdn>(&json).expect("deserialize"), msisdn);
        assert_eq!(serde_json::from_str::<Msisdn>("\"+8613800138000\"").expect("deserialize"), msisdn);
        assert!(serde_json::from_str::<Msisdn>("\"0123\"").is_err());
    }

    proptest! {
        #[test]
        fn valid_numbers_round_trip(number in "[1-9][0-9]{6,14}", plus in any::<bool>()) {
            let input = if plus { format!("+{number}") } else { number.clone() };
            let msisdn = Msisdn::parse(&input).expect("valid");
            prop_assert_eq!(msisdn.as_str(), number.as_str());
            prop_assert_eq!(Msisdn::parse(&msisdn.to_e164()), Ok(msisdn.clone()));
            let shown = msisdn.to_string();
            prop_assert_eq!(Msisdn::parse(&shown), Ok(msisdn.clone()));
            let json = serde_json::to_string(&msisdn).expect("ser");
            prop_assert_eq!(serde_json::from_str::<Msisdn>(&json).expect("de"), msisdn);
        }

        #[test]
        fn leading_zero_is_rejected(rest in "[0-9]{6,14}") {
            prop_assert_eq!(Msisdn::parse(&format!("0{rest}")), Err(MsisdnError::LeadingZero));
        }

        #[test]
        fn wrong_lengths_are_rejected(number in "[1-9][0-9]{0,5}|[1-9][0-9]{15,30}") {
            let wrong = matches!(Msisdn::parse(&number), Err(MsisdnError::WrongLength { .. }));
            prop_assert!(wrong);
        }

        #[test]
        fn inner_non_digits_are_rejected(
            head in "[1-9][0-9]{2,5}",
            bad in "[^0-9]",
            tail in "[0-9]{3,6}",
        ) {
            let input = format!("{head}{bad}{tail}");
            let rejected = matches!(Msisdn::parse(&input), Err(MsisdnError::NonDigit { .. }));
            prop_assert!(rejected);
        }

        #[test]
        fn never_panics(input in ".*") {
            if let Ok(msisdn) = Msisdn::parse(&input) {
                prop_assert!(msisdn.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
