//! The IMEI, a handset's 15-digit identity (3GPP TS 23.003 §6.2.1).
//!
//! An [`Imei`] can only exist valid: 15 ASCII digits whose last digit is the
//! Luhn check digit of the first 14.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::luhn;

/// Number of digits in an IMEI, check digit included.
const IMEI_LEN: usize = 15;
/// Number of digits in an IMEISV (software version instead of check digit).
const IMEISV_LEN: usize = 16;
/// Number of digits in the Type Allocation Code at the start of an IMEI.
const TAC_LEN: usize = 8;

/// Why a string is not a valid IMEI.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImeiError {
    /// The input was empty (or only whitespace).
    #[error("the IMEI is empty; it must be 15 digits")]
    Empty,
    /// The input contains something other than a digit.
    #[error("the IMEI contains {character:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// The offending character.
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// The input has 16 digits, the length of an IMEISV.
    #[error(
        "the value has 16 digits, so it looks like an IMEISV (IMEI with software version), \
         which is not an IMEI; an IMEI has 15 digits ending in a check digit"
    )]
    LooksLikeImeisv,
    /// The input has the wrong number of digits.
    #[error("the IMEI has {length} digits; it must have exactly 15")]
    WrongLength {
        /// Number of digits found.
        length: usize,
    },
    /// The last digit is not the Luhn check digit of the first 14.
    #[error("the IMEI check digit is wrong: expected {expected}, found {found}; check for a typo")]
    BadCheckDigit {
        /// The check digit the first 14 digits call for.
        expected: u8,
        /// The last digit of the input.
        found: u8,
    },
}

/// A valid IMEI: 15 ASCII digits with a correct Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Imei(String);

impl Imei {
    /// Parses an IMEI, trimming leading and trailing whitespace (users paste them).
    pub fn parse(s: &str) -> Result<Imei, ImeiError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ImeiError::Empty);
        }
        if let Some((position, character)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(ImeiError::NonDigit { character, position: position + 1 });
        }
        // All ASCII digits from here on, so bytes and characters coincide.
        let bytes = s.as_bytes();
        match bytes.len() {
            IMEI_LEN => {}
            IMEISV_LEN => return Err(ImeiError::LooksLikeImeisv),
            length => return Err(ImeiError::WrongLength { length }),
        }
        let (payload, last) = bytes.split_at(IMEI_LEN - 1);
        let expected = luhn::check_digit(payload);
        let found = last.first().map_or(0, |b| b - b'0');
        if expected != found {
            return Err(ImeiError::BadCheckDigit { expected, found });
        }
        Ok(Imei(s.to_owned()))
    }

    /// The 15 digits of the IMEI.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Type Allocation Code: the first 8 digits, identifying the device model.
    pub fn tac(&self) -> &str {
        self.0.get(..TAC_LEN).unwrap_or(&self.0)
    }
}

impl fmt::Display for Imei {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Imei {
    type Err = ImeiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Imei::parse(s)
    }
}

impl TryFrom<String> for Imei {
    type Error = ImeiError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Imei::parse(&value)
    }
}

impl From<Imei> for String {
    fn from(value: Imei) -> Self {
        value.0
    }
}

impl AsRef<str> for Imei {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: &str = "490154203237518";

    #[test]
    fn parses_a_valid_imei() {
        let imei = Imei::parse(VALID).expect("valid IMEI");
        assert_eq!(imei.as_str(), VALID);
        assert_eq!(imei.to_string(), VALID);
        assert_eq!(imei.tac(), "49015420");
    }

    #[test]
    fn trims_surrounding_whitespace() {
        let imei = Imei::parse("  490154203237518\n").expect("valid IMEI");
        assert_eq!(imei.as_str(), VALID);
    }

    #[test]
    fn rejects_wrong_check_digit() {
        assert_eq!(Imei::parse("490154203237519"), Err(ImeiError::BadCheckDigit { expected: 8, found: 9 }));
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(Imei::parse(""), Err(ImeiError::Empty));
        assert_eq!(Imei::parse("   "), Err(ImeiError::Empty));
    }

    #[test]
    fn rejects_non_digits_with_position() {
        assert_eq!(Imei::parse("49015420-3237518"), Err(ImeiError::NonDigit { character: '-', position: 9 }));
        assert_eq!(Imei::parse("4901542 03237518"), Err(ImeiError::NonDigit { character: ' ', position: 8 }));
        assert_eq!(Imei::parse("A90154203237518"), Err(ImeiError::NonDigit { character: 'A', position: 1 }));
        // Non-ASCII digits are not digits here.
        assert!(matches!(Imei::parse("٤90154203237518"), Err(ImeiError::NonDigit { position: 1, .. })));
    }

    #[test]
    fn rejects_wrong_lengths() {
        assert_eq!(Imei::parse("49015420323751"), Err(ImeiError::WrongLength { length: 14 }));
        assert_eq!(Imei::parse("4901542032375180"), Err(ImeiError::LooksLikeImeisv));
        assert_eq!(Imei::parse("49015420323751800"), Err(ImeiError::WrongLength { length: 17 }));
    }

    #[test]
    fn error_messages_are_human_readable() {
        let message = Imei::parse("4901542032375180").expect_err("IMEISV").to_string();
        assert!(message.contains("IMEISV"), "{message}");
        let message = Imei::parse("490154203237519").expect_err("bad check").to_string();
        assert!(message.contains("expected 8"), "{message}");
        let message = Imei::parse("49015420x3237518").expect_err("letter").to_string();
        assert!(message.contains("'x'") && message.contains("position 9"), "{message}");
    }

    #[test]
    fn from_str_and_serde() {
        let imei: Imei = VALID.parse().expect("valid");
        let json = serde_json::to_string(&imei).expect("serialize");
        assert_eq!(json, format!("\"{VALID}\""));
        let back: Imei = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, imei);
        assert!(serde_json::from_str::<Imei>("\"490154203237519\"").is_err());
        assert!(serde_json::from_str::<Imei>("490154203237518").is_err());
    }

    fn with_check(payload: &str) -> String {
        let digit = luhn::check_digit(payload.as_bytes());
        format!("{payload}{digit}")
    }

    proptest! {
        #[test]
        fn any_payload_with_check_digit_parses(payload in "[0-9]{14}") {
            let full = with_check(&payload);
            let imei = Imei::parse(&full).expect("valid");
            prop_assert_eq!(imei.as_str(), full.as_str());
            prop_assert_eq!(imei.tac(), &full[..8]);
            let back: Imei = serde_json::from_str(&serde_json::to_string(&imei).expect("ser"))
                .expect("de");
            prop_assert_eq!(back, imei);
        }

        #[test]
        fn changing_one_digit_invalidates(
            payload in "[0-9]{14}",
            position in 0usize..15,
            delta in 1u8..=9,
        ) {
            let mut bytes = with_check(&payload).into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            let is_bad_check = matches!(
                Imei::parse(&changed),
                Err(ImeiError::BadCheckDigit { .. })
            );
            prop_assert!(is_bad_check);
        }

        #[test]
        fn any_inner_non_digit_is_rejected(
            prefix in "[0-9]{0,7}",
            bad in "[^0-9]",
            suffix in "[0-9]{0,7}",
        ) {
            let input = format!("{prefix}{bad}{suffix}");
            let result = Imei::parse(&input);
            // Whitespace at the edges is trimmed, which may leave an empty or
            // short string; anywhere else the non-digit itself is reported.
            let rejected = result.is_err();
            prop_assert!(rejected);
            let bad_char = bad.chars().next().expect("one char");
            if !bad_char.is_whitespace() {
                let non_digit = matches!(
                    result,
                    Err(ImeiError::NonDigit { character, .. }) if character == bad_char
                );
                prop_assert!(non_digit);
            }
        }

        #[test]
        fn lengths_other_than_15_are_rejected(digits in "[0-9]{1,40}") {
            prop_assume!(digits.len() != 15);
            let wrong_length = matches!(
                Imei::parse(&digits),
                Err(ImeiError::WrongLength { .. } | ImeiError::LooksLikeImeisv)
            );
            prop_assert!(wrong_length);
        }

        #[test]
        fn never_panics(input in ".*") {
            if let Ok(imei) = Imei::parse(&input) {
                prop_assert_eq!(imei.as_str().len(), 15);
            }
        }
    }
}
