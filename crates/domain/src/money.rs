//! Currencies (ISO 4217) and exact money amounts counted in minor units.
//!
//! A [`Money`] is an integer number of the currency's minor unit (fen, cent,
//! fils) plus its [`Currency`]. Decimal text is converted with integer
//! arithmetic only: this module uses no binary floating point anywhere.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a string is not an ISO 4217 currency code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CurrencyError {
    /// The input was empty.
    #[error("the currency code is empty; it must be 3 letters such as CNY")]
    Empty,
    /// The input is not 3 characters long.
    #[error("the currency code has {length} characters; it must be 3 letters such as CNY")]
    WrongLength {
        /// Number of characters found.
        length: usize,
    },
    /// The input contains something other than an ASCII letter.
    #[error("the currency code contains {character:?} at position {position}; only letters A-Z are allowed")]
    NonLetter {
        /// The offending character.
        character: char,
        /// Its 1-based position in the input.
        position: usize,
    },
}

/// An ISO 4217 alphabetic currency code: 3 uppercase ASCII letters.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Chinese yuan renminbi.
    pub const CNY: Currency = Currency(*b"CNY");
    /// United States dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Hong Kong dollar.
    pub const HKD: Currency = Currency(*b"HKD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");

    /// Parses a 3-letter code, accepting lowercase and storing it uppercase.
    pub fn parse(s: &str) -> Result<Currency, CurrencyError> {
        if s.is_empty() {
            return Err(CurrencyError::Empty);
        }
        let length = s.chars().count();
        if length != 3 {
            return Err(CurrencyError::WrongLength { length });
        }
        let mut code = [0u8; 3];
        for (index, character) in s.chars().enumerate() {
            if !character.is_ascii_alphabetic() {
                return Err(CurrencyError::NonLetter { character, position: index + 1 });
            }
            if let Some(slot) = code.get_mut(index) {
                // An ASCII letter always fits in one byte.
                *slot = u8::try_from(character.to_ascii_uppercase()).unwrap_or(b'?');
            }
        }
        Ok(Currency(code))
    }

    /// The 3-letter uppercase code.
    pub fn as_str(&self) -> &str {
        // Always ASCII by construction, so always valid UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// How many decimal places the minor unit has (ISO 4217): 0 for JPY, 3 for BHD, 2 for most.
    pub fn minor_unit_exponent(&self) -> u8 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" | b"CLP" | b"ISK" | b"UGX" | b"XAF" | b"XOF" | b"PYG" | b"RWF" | b"KMF"
            | b"GNF" | b"DJF" | b"VUV" | b"XPF" | b"BIF" => 0,
            b"BHD" | b"KWD" | b"OMR" | b"JOD" | b"IQD" | b"LYD" | b"TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Currency").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Currency::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.as_str().to_owned()
    }
}

/// Why a money operation or decimal amount failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    /// Two amounts in different currencies were combined.
    #[error("cannot combine amounts in {left} and {right}")]
    CurrencyMismatch {
        /// Currency of the left-hand amount.
        left: Currency,
        /// Currency of the right-hand amount.
        right: Currency,
    },
    /// The result does not fit in a signed 64-bit count of minor units.
    #[error("the amount is too large")]
    Overflow,
    /// The decimal text was empty.
    #[error("the amount is empty")]
    Empty,
    /// The decimal text contains a character that does not belong there.
    #[error(
        "the amount contains {character:?} at position {position}; write digits with an optional \
         leading '-' and at most one '.', like 12.50"
    )]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its 1-based position in the input.
        position: usize,
    },
    /// Digits are missing before or after the decimal point (e.g. `.5`, `1.`, `-`).
    #[error("the amount needs digits before the '.' and, if there is a '.', after it, like 0.50")]
    MissingDigits,
    /// More decimal places than the currency's minor unit allows.
    #[error("{currency} amounts have at most {allowed} decimal places, but {found} were given")]
    TooManyFractionDigits {
        /// The currency of the amount.
        currency: Currency,
        /// Decimal places the currency allows.
        allowed: u8,
        /// Decimal places found.
        found: usize,
    },
}

/// An exact amount of money: a signed count of the currency's minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount in minor units (e.g. fen for CNY).
    amount_minor: i64,
    /// The currency.
    currency: Currency,
}

impl Money {
    /// Builds an amount from a count of minor units.
    pub fn new(amount_minor: i64, currency: Currency) -> Money {
        Money { amount_minor, currency }
    }

    /// Zero in the given currency.
    pub fn zero(currency: Currency) -> Money {
        Money::new(0, currency)
    }

    /// The amount in minor units.
    pub fn amount_minor(&self) -> i64 {
        self.amount_minor
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// True when the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount_minor < 0
    }

    /// True when the amount is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.amount_minor == 0
    }

    /// Adds two amounts of the same currency, failing on mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.amount_minor
            .checked_add(other.amount_minor)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// Subtracts `other` from `self` (same currency), failing on mismatch or overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.amount_minor
            .checked_sub(other.amount_minor)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    /// Fails with `CurrencyMismatch` unless both amounts share a currency.
    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    /// Parses exact decimal text such as `12`, `12.5`, `-0.05` in `currency`, with no more decimals than its minor unit.
    ///
    /// Accepted: an optional leading `-`, one or more digits, then optionally a
    /// `.` followed by one to [`Currency::minor_unit_exponent`] digits.
    /// Rejected: empty text, whitespace, `+`, exponents, separators, and
    /// amounts that overflow `i64` minor units.
    pub fn parse_decimal(s: &str, currency: Currency) -> Result<Money, MoneyError> {
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let mut seen_dot = false;
        for (index, character) in s.chars().enumerate() {
            match character {
                '0'..='9' => {}
                '-' if index == 0 => {}
                '.' if !seen_dot => seen_dot = true,
                _ => {
                    return Err(MoneyError::InvalidCharacter { character, position: index + 1 });
                }
            }
        }
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (integer, fraction) = match body.split_once('.') {
            Some((integer, fraction)) => (integer, fraction),
            None => (body, ""),
        };
        if integer.is_empty() || (seen_dot && fraction.is_empty()) {
            return Err(MoneyError::MissingDigits);
        }
        let exponent = currency.minor_unit_exponent();
        if fraction.len() > usize::from(exponent) {
            return Err(MoneyError::TooManyFractionDigits { currency, allowed: exponent, found: fraction.len() });
        }
        // All remaining bytes are ASCII digits (checked above).
        let mut magnitude: u64 = 0;
        for byte in integer.bytes().chain(fraction.bytes()) {
            magnitude = magnitude
                .checked_mul(10)
                .and_then(|m| m.checked_add(u64::from(byte - b'0')))
                .ok_or(MoneyError::Overflow)?;
        }
        // Pad the missing decimal places: "12.5" in CNY is 1250 fen.
        for _ in fraction.len()..usize::from(exponent) {
            magnitude = magnitude.checked_mul(10).ok_or(MoneyError::Overflow)?;
        }
        let amount = if negative { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() }
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, currency))
    }

    /// Exact decimal text without the currency code: `12.50` (CNY), `1250` (JPY), `1.250` (BHD), `-0.05`.
    pub fn to_decimal_string(&self) -> String {
        let exponent = u32::from(self.currency.minor_unit_exponent());
        let sign = if self.amount_minor < 0 { "-" } else { "" };
        let magnitude = self.amount_minor.unsigned_abs();
        if exponent == 0 {
            return format!("{sign}{magnitude}");
        }
        let divisor = 10u64.pow(exponent);
        let width = exponent as usize;
        format!("{sign}{}.{:0width$}", magnitude / divisor, magnitude % divisor)
    }
}

impl fmt::Display for Money {
    /// Writes the exact decimal amount then the code, e.g. `12.50 CNY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cur(code: &str) -> Currency {
        Currency::parse(code).expect("valid currency")
    }

    #[test]
    fn currency_parse_and_display() {
        assert_eq!(cur("cny"), Currency::CNY);
        assert_eq!(cur("Usd"), Currency::USD);
        assert_eq!(Currency::HKD.to_string(), "HKD");
        assert_eq!(Currency::EUR.as_str(), "EUR");
        assert_eq!(format!("{:?}", Currency::CNY), "Currency(\"CNY\")");
        assert_eq!("jpy".parse::<Currency>(), Ok(cur("JPY")));
    }

    #[test]
    fn currency_rejections() {
        assert_eq!(Currency::parse(""), Err(CurrencyError::Empty));
        assert_eq!(Currency::parse("CN"), Err(CurrencyError::WrongLength { length: 2 }));
        assert_eq!(Currency::parse("CNYY"), Err(CurrencyError::WrongLength { length: 4 }));
        assert_eq!(Currency::parse("C1Y"), Err(CurrencyError::NonLetter { character: '1', position: 2 }));
        assert_eq!(Currency::parse("CNÝ"), Err(CurrencyError::NonLetter { character: 'Ý', position: 3 }));
        assert!(matches!(Currency::parse(" CN"), Err(CurrencyError::NonLetter { position: 1, .. })));
    }

    #[test]
    fn minor_unit_exponents() {
        assert_eq!(Currency::CNY.minor_unit_exponent(), 2);
        assert_eq!(cur("JPY").minor_unit_exponent(), 0);
        assert_eq!(cur("KRW").minor_unit_exponent(), 0);
        assert_eq!(cur("XOF").minor_unit_exponent(), 0);
        assert_eq!(cur("TWD").minor_unit_exponent(), 2);
        assert_eq!(cur("BHD").minor_unit_exponent(), 3);
        assert_eq!(cur("TND").minor_unit_exponent(), 3);
        assert_eq!(Currency::EUR.minor_unit_exponent(), 2);
    }

    #[test]
    fn currency_serde() {
        assert_eq!(serde_json::to_string(&Currency::CNY).expect("serialize"), "\"CNY\"");
        assert_eq!(serde_json::from_str::<Currency>("\"hkd\"").expect("deserialize"), Currency::HKD);
        assert!(serde_json::from_str::<Currency>("\"HK\"").is_err());
    }

    #[test]
    fn parse_decimal_accepts() {
        let cny = Currency::CNY;
        assert_eq!(Money::parse_decimal("12", cny), Ok(Money::new(1200, cny)));
        assert_eq!(Money::parse_decimal("12.5", cny), Ok(Money::new(1250, cny)));
        assert_eq!(Money::parse_decimal("12.50", cny), Ok(Money::new(1250, cny)));
        assert_eq!(Money::parse_decimal("-0.05", cny), Ok(Money::new(-5, cny)));
        assert_eq!(Money::parse_decimal("-0", cny), Ok(Money::new(0, cny)));
        assert_eq!(Money::parse_decimal("007", cny), Ok(Money::new(700, cny)));
        let jpy = cur("JPY");
        assert_eq!(Money::parse_decimal("1250", jpy), Ok(Money::new(1250, jpy)));
        let bhd = cur("BHD");
        assert_eq!(Money::parse_decimal("1.25", bhd), Ok(Money::new(1250, bhd)));
        assert_eq!(Money::parse_decimal("-92233720368547758.08", cny), Ok(Money::new(i64::MIN, cny)));
        assert_eq!(Money::parse_decimal("92233720368547758.07", cny), Ok(Money::new(i64::MAX, cny)));
    }

    #[test]
    fn parse_decimal_rejects() {
        let cny = Currency::CNY;
        assert_eq!(Money::parse_decimal("", cny), Err(MoneyError::Empty));
        assert_eq!(
            Money::parse_decimal("12.505", cny),
            Err(MoneyError::TooManyFractionDigits { currency: cny, allowed: 2, found: 3 })
        );
        assert!(matches!(
            Money::parse_decimal("12.0", cur("JPY")),
            Err(MoneyError::TooManyFractionDigits { allowed: 0, .. })
        ));
        assert_eq!(Money::parse_decimal("+1", cny), Err(MoneyError::InvalidCharacter { character: '+', position: 1 }));
        assert_eq!(Money::parse_decimal("1e3", cny), Err(MoneyError::InvalidCharacter { character: 'e', position: 2 }));
        assert_eq!(Money::parse_decimal(" 1", cny), Err(MoneyError::InvalidCharacter { character: ' ', position: 1 }));
        assert!(matches!(Money::parse_decimal("1 ", cny), Err(MoneyError::InvalidCharacter { character: ' ', .. })));
        assert!(matches!(
            Money::parse_decimal("--1", cny),
            Err(MoneyError::InvalidCharacter { character: '-', position: 2 })
        ));
        assert!(matches!(Money::parse_decimal("1-", cny), Err(MoneyError::InvalidCharacter { character: '-', .. })));
        assert!(matches!(
            Money::parse_decimal("1.2.3", cny),
            Err(MoneyError::InvalidCharacter { character: '.', position: 4 })
        ));
        assert!(matches!(Money::parse_decimal("1,000", cny), Err(MoneyError::InvalidCharacter { character: ',', .. })));
        assert_eq!(Money::parse_decimal(".5", cny), Err(MoneyError::MissingDigits));
        assert_eq!(Money::parse_decimal("1.", cny), Err(MoneyError::MissingDigits));
        assert_eq!(Money::parse_decimal("-", cny), Err(MoneyError::MissingDigits));
        assert_eq!(Money::parse_decimal("-.", cny), Err(MoneyError::MissingDigits));
        assert_eq!(Money::parse_decimal("92233720368547758.08", cny), Err(MoneyError::Overflow));
        assert_eq!(Money::parse_decimal("-92233720368547758.09", cny), Err(MoneyError::Overflow));
        assert_eq!(Money::parse_decimal("99999999999999999999999999", cny), Err(MoneyError::Overflow));
    }

    #[test]
    fn to_decimal_string_formats() {
        assert_eq!(Money::new(1250, Currency::CNY).to_decimal_string(), "12.50");
        assert_eq!(Money::new(1250, cur("JPY")).to_decimal_string(), "1250");
        assert_eq!(Money::new(1250, cur("BHD")).to_decimal_string(), "1.250");
        assert_eq!(Money::new(-5, Currency::CNY).to_decimal_string(), "-0.05");
        assert_eq!(Money::new(0, Currency::CNY).to_decimal_string(), "0.00");
        assert_eq!(Money::new(-7, cur("JPY")).to_decimal_string(), "-7");
        assert_eq!(Money::new(i64::MIN, Currency::USD).to_decimal_string(), "-92233720368547758.08");
        assert_eq!(Money::new(1250, Currency::CNY).to_string(), "12.50 CNY");
    }

    #[test]
    fn arithmetic() {
        let a = Money::new(1000, Currency::CNY);
        let b = Money::new(250, Currency::CNY);
        assert_eq!(a.checked_add(b), Ok(Money::new(1250, Currency::CNY)));
        assert_eq!(b.checked_sub(a), Ok(Money::new(-750, Currency::CNY)));
        assert!(b.checked_sub(a).expect("no overflow").is_negative());
        assert!(!a.is_negative());
        assert!(Money::zero(Currency::USD).is_zero());
        assert_eq!(
            a.checked_add(Money::new(1, Currency::USD)),
            Err(MoneyError::CurrencyMismatch { left: Currency::CNY, right: Currency::USD })
        );
        assert_eq!(
            Money::new(i64::MAX, Currency::CNY).checked_add(Money::new(1, Currency::CNY)),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            Money::new(i64::MIN, Currency::CNY).checked_sub(Money::new(1, Currency::CNY)),
            Err(MoneyError::Overflow)
        );
        let message = a.checked_sub(Money::new(1, Currency::HKD)).expect_err("mismatch").to_string();
        assert!(message.contains("CNY") && message.contains("HKD"), "{message}");
    }

    #[test]
    fn money_serde_shape() {
        let money = Money::new(1250, Currency::CNY);
        let json = serde_json::to_value(money).expect("serialize");
        assert_eq!(json, serde_json::json!({"amount_minor": 1250, "currency": "CNY"}));
        let back: Money = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, money);
        assert!(serde_json::from_str::<Money>(r#"{"amount_minor": 1, "currency": "C1Y"}"#).is_err());
    }

    fn currencies() -> impl Strategy<Value = Currency> {
        prop::sample::select(vec![
            Currency::CNY,
            Currency::USD,
            Currency::HKD,
            Currency::EUR,
            Currency(*b"JPY"),
            Currency(*b"BHD"),
            Currency(*b"KWD"),
            Currency(*b"VND"),
        ])
    }

    proptest! {
        #[test]
        fn decimal_round_trip(amount in any::<i64>(), currency in currencies()) {
            let money = Money::new(amount, currency);
            let text = money.to_decimal_string();
            prop_assert_eq!(Money::parse_decimal(&text, currency), Ok(money));
        }

        #[test]
        fn checked_add_commutes(a in any::<i64>(), b in any::<i64>(), currency in currencies()) {
            let left = Money::new(a, currency);
            let right = Money::new(b, currency);
            prop_assert_eq!(left.checked_add(right), right.checked_add(left));
        }

        #[test]
        fn sub_undoes_add(a in any::<i64>(), b in any::<i64>(), currency in currencies()) {
            let left = Money::new(a, currency);
            let right = Money::new(b, currency);
            if let Ok(sum) = left.checked_add(right) {
                prop_assert_eq!(sum.checked_sub(right), Ok(left));
            }
        }

        #[test]
        fn serde_round_trip(amount in any::<i64>(), currency in currencies()) {
            let money = Money::new(amount, currency);
            let json = serde_json::to_string(&money).expect("ser");
            prop_assert_eq!(serde_json::from_str::<Money>(&json).expect("de"), money);
        }

        #[test]
        fn currency_round_trip(code in "[A-Za-z]{3}") {
            let currency = Currency::parse(&code).expect("letters");
            prop_assert_eq!(currency.as_str(), code.to_ascii_uppercase());
            prop_assert_eq!(Currency::parse(&currency.to_string()), Ok(currency));
        }

        #[test]
        fn never_panics(input in ".*", currency in currencies()) {
            if let Ok(money) = Money::parse_decimal(&input, currency) {
                prop_assert_eq!(Money::parse_decimal(&money.to_decimal_string(), currency), Ok(money));
            }
            let _ = Currency::parse(&input);
        }

        #[test]
        fn never_panics_on_numberish(input in "-?[0-9.\\-]{0,30}", currency in currencies()) {
            let _ = Money::parse_decimal(&input, currency);
        }
    }
}
