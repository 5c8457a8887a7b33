//! The EID, the 32-digit identity of an eUICC (GSMA SGP.29).
//!
//! An [`Eid`] can only exist valid: 32 ASCII digits whose value, read as a
//! decimal number, is 1 modulo 97 (the ISO 7064 MOD 97-10 check SGP.29 uses).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Number of digits in an EID.
const EID_LEN: usize = 32;

/// Why a string is not a valid EID.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EidError {
    /// The input was empty (or only whitespace).
    #[error("the EID is empty; it must be 32 digits")]
    Empty,
    /// The input contains something other than a digit.
    #[error("the EID contains {character:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// The offending character.
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// The input has the wrong number of digits.
    #[error("the EID has {length} digits; it must have exactly 32")]
    WrongLength {
        /// Number of digits found.
        length: usize,
    },
    /// The number is not 1 modulo 97, so at least one digit is wrong.
    #[error("the EID check digits are wrong (the number is {remainder} mod 97, not 1); check for a typo")]
    BadCheckDigits {
        /// The remainder of the 32-digit number divided by 97.
        remainder: u32,
    },
}

/// A valid EID: 32 ASCII digits whose value is 1 modulo 97.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Eid(String);

impl Eid {
    /// Parses an EID, trimming leading and trailing whitespace (users paste them).
    pub fn parse(s: &str) -> Result<Eid, EidError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EidError::Empty);
        }
        if let Some((position, character)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(EidError::NonDigit { character, position: position + 1 });
        }
        if s.len() != EID_LEN {
            return Err(EidError::WrongLength { length: s.len() });
        }
        let remainder = mod97(s.as_bytes());
        if remainder != 1 {
            return Err(EidError::BadCheckDigits { remainder });
        }
        Ok(Eid(s.to_owned()))
    }

    /// The 32 digits of the EID.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends the two check digits to a 30-digit body, giving a valid EID (for demo and test data).
    pub fn with_check_digits(body: &str) -> Result<Eid, EidError> {
        let body = body.trim();
        if let Some((position, character)) = body.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(EidError::NonDigit { character, position: position + 1 });
        }
        if body.len() != EID_LEN - 2 {
            return Err(EidError::WrongLength { length: body.len() + 2 });
        }
        let check = 98 - (mod97(body.as_bytes()) * 100) % 97;
        Eid::parse(&format!("{body}{check:02}"))
    }
}

/// The value of a string of ASCII digits modulo 97, computed digit by digit.
fn mod97(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |remainder, &byte| (remainder * 10 + u32::from(byte.wrapping_sub(b'0') % 10)) % 97)
}

impl fmt::Display for Eid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Eid {
    type Err = EidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Eid::parse(s)
    }
}

impl TryFrom<String> for Eid {
    type Error = EidError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Eid::parse(&value)
    }
}

impl From<Eid> for String {
    fn from(value: Eid) -> Self {
        value.0
    }
}

impl AsRef<str> for Eid {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = "89049032123451234512345678901235";

    #[test]
    fn parses_a_valid_eid() {
        let eid = Eid::parse(VALID).expect("valid EID");
        assert_eq!(eid.as_str(), VALID);
        assert_eq!(eid.to_string(), VALID);
        let eid = Eid::parse(&format!(" {VALID}\t")).expect("trimmed");
        assert_eq!(eid.as_str(), VALID);
    }

    #[test]
    fn rejects_bad_check_digits() {
        assert!(matches!(
            Eid::parse("89049032123451234512345678901236"),
            Err(EidError::BadCheckDigits { remainder: 2 })
        ));
    }

    #[test]
    fn rejects_non_digits_and_lengths() {
        assert_eq!(Eid::parse(""), Err(EidError::Empty));
        assert_eq!(
            Eid::parse("8904903212345123451234567890123X"),
            Err(EidError::NonDigit { character: 'X', position: 32 })
        );
        assert_eq!(Eid::parse("8904903212345123451234567890123"), Err(EidError::WrongLength { length: 31 }));
        assert_eq!(Eid::parse("890490321234512345123456789012350"), Err(EidError::WrongLength { length: 33 }));
    }

    #[test]
    fn with_check_digits_matches_known_eid() {
        let eid = Eid::with_check_digits(&VALID[..30]).expect("valid body");
        assert_eq!(eid.as_str(), VALID);
        assert_eq!(Eid::with_check_digits("123"), Err(EidError::WrongLength { length: 5 }));
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let eid = Eid::parse(VALID).expect("valid");
        let json = serde_json::to_string(&eid).expect("serialize");
        assert_eq!(json, format!("\"{VALID}\""));
        let back: Eid = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, eid);
        assert!(serde_json::from_str::<Eid>("\"89049032123451234512345678901236\"").is_err());
    }

    /// Appends `98 - (body * 100 mod 97)` as two digits, as SGP.29 describes.
    fn eid_from_body(body: &str) -> String {
        let check = 98 - (mod97(body.as_bytes()) * 100) % 97;
        format!("{body}{check:02}")
    }

    proptest! {
        #[test]
        fn computed_check_digits_are_valid(body in "[0-9]{30}") {
            let full = eid_from_body(&body);
            let eid = Eid::parse(&full).expect("valid");
            prop_assert_eq!(eid.as_str(), full.as_str());
            prop_assert_eq!(Eid::with_check_digits(&body).expect("valid"), eid);
        }

        #[test]
        fn altering_one_digit_breaks_it(
            body in "[0-9]{30}",
            position in 0usize..32,
            delta in 1u8..=9,
        ) {
            let mut bytes = eid_from_body(&body).into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            let bad = matches!(Eid::parse(&changed), Err(EidError::BadCheckDigits { .. }));
            prop_assert!(bad);
        }

        #[test]
        fn wrong_lengths_are_rejected(digits in "[0-9]{1,64}") {
            prop_assume!(digits.len() != 32);
            let wrong = matches!(Eid::parse(&digits), Err(EidError::WrongLength { .. }));
            prop_assert!(wrong);
        }

        #[test]
        fn never_panics(input in ".*") {
            if let Ok(eid) = Eid::parse(&input) {
                prop_assert_eq!(eid.as_str().len(), 32);
            }
            let _ = Eid::with_check_digits(&input);
        }
    }
}
