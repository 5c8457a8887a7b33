//! The ICCID, the serial number printed on a SIM or eSIM profile (ITU-T E.118).
//!
//! An [`Iccid`] normally has 19 or 20 ASCII digits, starts with `89`
//! (telecommunications industry identifier) and ends with a Luhn check digit.
//! Some vendors deliver ICCIDs without the check digit; those can only be
//! brought in through [`Iccid::parse_without_check_digit`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::luhn;

/// The major industry identifier every telecom ICCID starts with.
const PREFIX: &str = "89";

/// Why a string is not a valid ICCID.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IccidError {
    /// The input was empty (or only whitespace).
    #[error("the ICCID is empty; it must be 19 or 20 digits starting with 89")]
    Empty,
    /// The input contains something other than a digit.
    #[error("the ICCID contains {character:?} at position {position}; only the digits 0-9 are allowed")]
    NonDigit {
        /// The offending character.
        character: char,
        /// Its 1-based position in the trimmed input.
        position: usize,
    },
    /// The input has the wrong number of digits for the kind of parsing asked for.
    #[error("the ICCID has {length} digits; it must have {allowed} digits")]
    WrongLength {
        /// Number of digits found.
        length: usize,
        /// The lengths that were acceptable, in words (e.g. "19 or 20").
        allowed: &'static str,
    },
    /// The input does not start with the telecom prefix `89`.
    #[error("the ICCID must start with 89 (telecom SIM cards), but it starts with {start:?}")]
    WrongPrefix {
        /// The first two digits of the input.
        start: String,
    },
    /// The last digit is not the Luhn check digit of the others.
    #[error(
        "the ICCID check digit is wrong: expected {expected}, found {found}; check for a typo, \
         or import it as an ICCID without check digit if the supplier omits it"
    )]
    BadCheckDigit {
        /// The check digit the other digits call for.
        expected: u8,
        /// The last digit of the input.
        found: u8,
    },
}

/// A valid ICCID: 19 or 20 digits starting with `89`, normally ending in a Luhn check digit.
///
/// Serialized as its digit string. Deserializing accepts everything
/// [`Iccid::parse`] accepts and also what [`Iccid::parse_without_check_digit`]
/// accepts, so every `Iccid` keepsim stored can be read back; this means a
/// 19-digit value is not Luhn-checked when deserialized. Handlers taking an
/// ICCID from users should call [`Iccid::parse`] on the string themselves.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iccid(String);

impl Iccid {
    /// Parses an ICCID of 19 or 20 digits starting with 89 with a valid Luhn check digit, trimming surrounding whitespace.
    pub fn parse(s: &str) -> Result<Iccid, IccidError> {
        let s = digits_of(s, 19, 20, "19 or 20")?;
        let bytes = s.as_bytes();
        let (payload, last) = bytes.split_at(bytes.len() - 1);
        let expected = luhn::check_digit(payload);
        let found = last.first().map_or(0, |b| b - b'0');
        if expected != found {
            return Err(IccidError::BadCheckDigit { expected, found });
        }
        Ok(Iccid(s.to_owned()))
    }

    /// Accepts 18 or 19 digits starting with 89 WITHOUT a check digit, stored exactly as given.
    ///
    /// Only for imports whose supplier states that its ICCIDs omit the check
    /// digit: nothing catches a typo in such a value. Everything else must use
    /// [`Iccid::parse`].
    pub fn parse_without_check_digit(s: &str) -> Result<Iccid, IccidError> {
        let s = digits_of(s, 18, 19, "18 or 19 (without check digit)")?;
        Ok(Iccid(s.to_owned()))
    }

    /// Appends the Luhn check digit to an 18- or 19-digit payload starting with 89 (for demo and test data).
    pub fn with_check_digit(payload: &str) -> Result<Iccid, IccidError> {
        let payload = digits_of(payload, 18, 19, "18 or 19 (before the check digit)")?;
        let digit = luhn::check_digit(payload.as_bytes());
        Iccid::parse(&format!("{payload}{digit}"))
    }

    /// The digits of the ICCID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims `s` and checks it is `min..=max` ASCII digits starting with 89.
fn digits_of<'a>(s: &'a str, min: usize, max: usize, allowed: &'static str) -> Result<&'a str, IccidError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(IccidError::Empty);
    }
    if let Some((position, character)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(IccidError::NonDigit { character, position: position + 1 });
    }
    if !(min..=max).contains(&s.len()) {
        return Err(IccidError::WrongLength { length: s.len(), allowed });
    }
    if !s.starts_with(PREFIX) {
        return Err(IccidError::WrongPrefix { start: s.get(..2).unwrap_or(s).to_owned() });
    }
    Ok(s)
}

impl fmt::Display for Iccid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Iccid {
    type Err = IccidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iccid::parse(s)
    }
}

impl TryFrom<String> for Iccid {
    type Error = IccidError;

    /// Accepts a checked ICCID or one stored without check digit (see the type's docs).
    fn try_from(value: String) -> Result<Self, Self::Error> {
        match Iccid::parse(&value) {
            Ok(iccid) => Ok(iccid),
            Err(strict) => Iccid::parse_without_check_digit(&value).map_err(|_| strict),
        }
    }
}

impl From<Iccid> for String {
    fn from(value: Iccid) -> Self {
        value.0
    }
}

impl AsRef<str> for Iccid {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A 20-digit ICCID: 19-digit payload plus its Luhn check digit 8.
    const VALID_20: &str = "89860012345678901238";

    #[test]
    fn known_check_digit() {
        assert_eq!(luhn::check_digit(b"8944000000000000000"), 2);
        let iccid = Iccid::parse("89440000000000000002").expect("valid");
        assert_eq!(iccid.as_str(), "89440000000000000002");
        assert_eq!(iccid.to_string(), "89440000000000000002");
    }

    #[test]
    fn parses_20_and_19_digits() {
        let payload20 = &VALID_20[..19];
        let built = Iccid::with_check_digit(payload20).expect("valid payload");
        assert_eq!(built.as_str(), VALID_20);
        assert_eq!(Iccid::parse(built.as_str()), Ok(built.clone()));
        let built19 = Iccid::with_check_digit("894400000000000000").expect("valid payload");
        assert_eq!(built19.as_str(), "8944000000000000001");
        assert!(Iccid::parse("8944000000000000001").is_ok());
        assert!(Iccid::parse(" 8944000000000000001 ").is_ok());
    }

    #[test]
    fn rejects_bad_check_digit() {
        assert_eq!(Iccid::parse("89440000000000000008"), Err(IccidError::BadCheckDigit { expected: 2, found: 8 }));
    }

    #[test]
    fn rejects_letters_prefix_and_length() {
        assert_eq!(Iccid::parse(""), Err(IccidError::Empty));
        assert_eq!(Iccid::parse("8944000000000000000F"), Err(IccidError::NonDigit { character: 'F', position: 20 }));
        assert_eq!(Iccid::parse("12440000000000000002"), Err(IccidError::WrongPrefix { start: "12".to_owned() }));
        assert_eq!(
            Iccid::parse("894400000000000000"),
            Err(IccidError::WrongLength { length: 18, allowed: "19 or 20" })
        );
        assert!(matches!(Iccid::parse("894400000000000000021"), Err(IccidError::WrongLength { length: 21, .. })));
    }

    #[test]
    fn without_check_digit_is_stored_as_given() {
        let iccid = Iccid::parse_without_check_digit("894400000000000000").expect("18 digits");
        assert_eq!(iccid.as_str(), "894400000000000000");
        let iccid = Iccid::parse_without_check_digit("8944000000000000009").expect("19 digits");
        assert_eq!(iccid.as_str(), "8944000000000000009");
        assert!(matches!(
            Iccid::parse_without_check_digit("89440000000000000002"),
            Err(IccidError::WrongLength { length: 20, .. })
        ));
        assert!(matches!(Iccid::parse_without_check_digit("124400000000000000"), Err(IccidError::WrongPrefix { .. })));
    }

    #[test]
    fn with_check_digit_rejects_bad_payloads() {
        assert!(matches!(
            Iccid::with_check_digit("89440000000000000002"),
            Err(IccidError::WrongLength { length: 20, .. })
        ));
        assert!(matches!(
            Iccid::with_check_digit("8944x0000000000000"),
            Err(IccidError::NonDigit { character: 'x', position: 5 })
        ));
    }

    #[test]
    fn serde_round_trips_both_forms() {
        let checked = Iccid::parse("89440000000000000002").expect("valid");
        let json = serde_json::to_string(&checked).expect("serialize");
        assert_eq!(json, "\"89440000000000000002\"");
        assert_eq!(serde_json::from_str::<Iccid>(&json).expect("deserialize"), checked);
        let unchecked = Iccid::parse_without_check_digit("8944000000000000009").expect("no check digit");
        let json = serde_json::to_string(&unchecked).expect("serialize");
        assert_eq!(serde_json::from_str::<Iccid>(&json).expect("deserialize"), unchecked);
        // A 20-digit value always needs its check digit.
        assert!(serde_json::from_str::<Iccid>("\"89440000000000000008\"").is_err());
        assert!(serde_json::from_str::<Iccid>("\"12440000000000000002\"").is_err());
    }

    proptest! {
        #[test]
        fn payload_with_check_digit_parses(payload in "89[0-9]{16,17}") {
            let iccid = Iccid::with_check_digit(&payload).expect("valid payload");
            prop_assert_eq!(&iccid.as_str()[..payload.len()], payload.as_str());
            prop_assert_eq!(Iccid::parse(iccid.as_str()), Ok(iccid.clone()));
            let json = serde_json::to_string(&iccid).expect("ser");
            prop_assert_eq!(serde_json::from_str::<Iccid>(&json).expect("de"), iccid);
        }

        #[test]
        fn changing_one_digit_after_prefix_invalidates(
            payload in "89[0-9]{16,17}",
            position in any::<prop::sample::Index>(),
            delta in 1u8..=9,
        ) {
            let mut bytes = Iccid::with_check_digit(&payload)
                .expect("valid payload")
                .as_str()
                .as_bytes()
                .to_vec();
            // Keep the 89 prefix so the check digit is what fails.
            let at = 2 + position.index(bytes.len() - 2);
            bytes[at] = b'0' + (bytes[at] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).expect("ascii");
            let bad = matches!(Iccid::parse(&changed), Err(IccidError::BadCheckDigit { .. }));
            prop_assert!(bad);
        }

        #[test]
        fn other_prefixes_are_rejected(first in "[0-79][0-9]|8[0-8]", rest in "[0-9]{17,18}") {
            let input = format!("{first}{rest}");
            let wrong = matches!(
                Iccid::parse(&input),
                Err(IccidError::WrongPrefix { .. })
            );
            prop_assert!(wrong);
        }

        #[test]
        fn wrong_lengths_are_rejected(digits in "89[0-9]{0,30}") {
            prop_assume!(!(19..=20).contains(&digits.len()));
            let wrong = matches!(Iccid::parse(&digits), Err(IccidError::WrongLength { .. }));
            prop_assert!(wrong);
        }

        #[test]
        fn non_digits_are_rejected(prefix in "89[0-9]{0,8}", bad in "[^0-9\\s]", suffix in "[0-9]{0,9}") {
            let input = format!("{prefix}{bad}{suffix}");
            let rejected = matches!(Iccid::parse(&input), Err(IccidError::NonDigit { .. }));
            prop_assert!(rejected);
        }

        #[test]
        fn never_panics(input in ".*") {
            let _ = Iccid::parse(&input);
            let _ = Iccid::parse_without_check_digit(&input);
            let _ = Iccid::with_check_digit(&input);
            let _ = serde_json::from_value::<Iccid>(serde_json::Value::String(input));
        }
    }
}
