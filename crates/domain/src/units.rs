//! Quantities keepsim counts: data volume ([`Bytes`]), time ([`Seconds`]) and SMS ([`Messages`]).
//!
//! keepsim counts data in binary units, as travel-eSIM sellers do:
//! 1 KB = 1024 bytes, 1 MB = 1024 KB, 1 GB = 1024 MB = 1024^3 bytes,
//! 1 TB = 1024 GB. Human amounts are parsed and printed with integer
//! arithmetic only, so they are exact.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An amount of data in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Bytes(pub u64);

/// A duration in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Seconds(pub u64);

/// A number of SMS messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Messages(pub u64);

/// Implements the checked and saturating arithmetic helpers for a `u64` newtype.
macro_rules! arithmetic {
    ($name:ident) => {
        impl $name {
            /// The sum, or `None` on overflow.
            pub fn checked_add(self, other: $name) -> Option<$name> {
                self.0.checked_add(other.0).map($name)
            }

            /// The difference, or `None` if `other` is larger.
            pub fn checked_sub(self, other: $name) -> Option<$name> {
                self.0.checked_sub(other.0).map($name)
            }

            /// The sum, capped at `u64::MAX`.
            pub fn saturating_add(self, other: $name) -> $name {
                $name(self.0.saturating_add(other.0))
            }

            /// The difference, floored at zero.
            pub fn saturating_sub(self, other: $name) -> $name {
                $name(self.0.saturating_sub(other.0))
            }

            /// True when the quantity is zero.
            pub fn is_zero(self) -> bool {
                self.0 == 0
            }
        }
    };
}

arithmetic!(Bytes);
arithmetic!(Seconds);
arithmetic!(Messages);

/// Why a human data amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnitError {
    /// The input was empty.
    #[error("the data amount is empty; write it like 500MB or 1.5 GB")]
    Empty,
    /// The amount starts with a minus sign.
    #[error("the data amount cannot be negative")]
    Negative,
    /// The input does not start with a number.
    #[error("the data amount must start with a number, like 500MB or 1.5 GB")]
    MissingNumber,
    /// The number part is not digits with at most one `.` between digits.
    #[error("{number:?} is not a number; write digits with at most one '.', like 1.5")]
    MalformedNumber {
        /// The number part as written.
        number: String,
    },
    /// A non-zero number has no unit.
    #[error("the data amount needs a unit: B, KB, MB, GB or TB")]
    MissingUnit,
    /// The unit is not one of B, KB, MB, GB, TB (with at most one space before it).
    #[error("unknown data unit {unit:?}; use B, KB, MB, GB or TB (1 GB = 1024 MB), with at most one space")]
    UnknownUnit {
        /// The unit as written.
        unit: String,
    },
    /// The decimal fraction does not come to a whole number of bytes.
    #[error("the data amount does not come to a whole number of bytes (1 GB = 1024 MB = 1024^3 bytes)")]
    NotWholeBytes,
    /// The fraction has more significant digits than keepsim reads.
    #[error("the data amount has more than {max} decimal places")]
    TooPrecise {
        /// The most significant fraction digits accepted.
        max: usize,
    },
    /// The amount does not fit in 64 bits.
    #[error("the data amount is too large")]
    Overflow,
}

/// Units for display and parsing, largest first.
const UNITS: [(u64, &str); 5] =
    [(Bytes::TIB, "TB"), (Bytes::GIB, "GB"), (Bytes::MIB, "MB"), (Bytes::KIB, "KB"), (1, "B")];

/// Most significant fraction digits `parse_human` reads (keeps the arithmetic in `u128`).
const MAX_FRACTION_DIGITS: usize = 20;

impl Bytes {
    /// Bytes in a KB (binary: 1024).
    pub const KIB: u64 = 1024;
    /// Bytes in a MB (binary: 1024 KB).
    pub const MIB: u64 = 1024 * 1024;
    /// Bytes in a GB (binary: 1024 MB = 1024^3 bytes, as travel-eSIM sellers count).
    pub const GIB: u64 = 1024 * 1024 * 1024;
    /// Bytes in a TB (binary: 1024 GB).
    pub const TIB: u64 = 1024 * 1024 * 1024 * 1024;

    /// `mib` binary megabytes, or `None` on overflow.
    pub fn from_mib(mib: u64) -> Option<Bytes> {
        mib.checked_mul(Bytes::MIB).map(Bytes)
    }

    /// `gib` binary gigabytes, or `None` on overflow.
    pub fn from_gib(gib: u64) -> Option<Bytes> {
        gib.checked_mul(Bytes::GIB).map(Bytes)
    }

    /// Reads a catalogue amount such as `500MB`, `1.5GB`, `10 GB`, `2048KB` or `0`, exactly.
    ///
    /// Units B, KB, MB, GB, TB are binary and case-insensitive, with at most
    /// one ASCII space before them. A decimal fraction is allowed if it comes
    /// to whole bytes (`1.5GB` is 1610612736 bytes; `1.1GB` is rejected).
    /// Only zero may omit the unit. No surrounding whitespace or sign.
    pub fn parse_human(s: &str) -> Result<Bytes, UnitError> {
        if s.is_empty() {
            return Err(UnitError::Empty);
        }
        if s.starts_with('-') {
            return Err(UnitError::Negative);
        }
        let number_len = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
        let (number, rest) = s.split_at(number_len);
        if number.is_empty() {
            return Err(UnitError::MissingNumber);
        }
        let (integer, fraction) = match number.split_once('.') {
            Some((integer, fraction)) => (integer, Some(fraction)),
            None => (number, None),
        };
        let well_formed = !integer.is_empty() && fraction.is_none_or(|f| !f.is_empty() && !f.contains('.'));
        if !well_formed {
            return Err(UnitError::MalformedNumber { number: number.to_owned() });
        }
        let unit = rest.strip_prefix(' ').unwrap_or(rest);
        let multiplier = if unit.is_empty() {
            let is_zero = number.bytes().all(|b| b == b'0' || b == b'.');
            if is_zero && rest.is_empty() {
                return Ok(Bytes(0));
            }
            return Err(UnitError::MissingUnit);
        } else {
            UNITS
                .iter()
                .find(|(_, name)| name.eq_ignore_ascii_case(unit))
                .map(|&(size, _)| u128::from(size))
                .ok_or_else(|| UnitError::UnknownUnit { unit: unit.to_owned() })?
        };

        let mut whole: u128 = 0;
        for byte in integer.bytes() {
            whole = whole * 10 + u128::from(byte - b'0');
            if whole > u128::from(u64::MAX) {
                return Err(UnitError::Overflow);
            }
        }
        // Trailing zeros of the fraction change nothing.
        let fraction = fraction.unwrap_or("").trim_end_matches('0');
        if fraction.len() > MAX_FRACTION_DIGITS {
            return Err(UnitError::TooPrecise { max: MAX_FRACTION_DIGITS });
        }
        let mut numerator: u128 = 0;
        let mut denominator: u128 = 1;
        for byte in fraction.bytes() {
            numerator = numerator * 10 + u128::from(byte - b'0');
            denominator *= 10;
        }
        // numerator < 10^20 and multiplier <= 2^40, so this fits in u128.
        let scaled = numerator * multiplier;
        let fraction_bytes = scaled / denominator;
        if fraction_bytes * denominator != scaled {
            return Err(UnitError::NotWholeBytes);
        }
        // whole <= u64::MAX and multiplier <= 2^40, so this fits in u128.
        let total = whole * multiplier + fraction_bytes;
        u64::try_from(total).map(Bytes).map_err(|_| UnitError::Overflow)
    }

    /// Exact human text in the largest unit that needs at most 2 decimals: `1.5 GB`, `500 MB`, `0 B`.
    ///
    /// Amounts that are not a whole number of hundredths of any larger unit
    /// fall back to smaller units, down to plain bytes, so
    /// `parse_human(to_human(x)) == x` always holds. For a short, rounded
    /// figure (remaining balances) use [`Bytes::to_human_approx`].
    pub fn to_human(&self) -> String {
        let value = self.0;
        for &(size, name) in &UNITS {
            let exact = (u128::from(value) * 100) % u128::from(size) == 0;
            if value >= size && exact {
                return format_in_unit(value, size, name);
            }
        }
        format!("{value} B")
    }

    /// Short human text in the largest unit, rounded DOWN to at most 2 decimals (never overstates a balance).
    pub fn to_human_approx(&self) -> String {
        let value = self.0;
        let (size, name) = UNITS.iter().copied().find(|&(size, _)| value >= size).unwrap_or((1, "B"));
        format_in_unit(value, size, name)
    }
}

/// Writes `value / size` with at most 2 decimals (rounded down, trailing zeros trimmed) and the unit name.
fn format_in_unit(value: u64, size: u64, name: &str) -> String {
    let whole = value / size;
    // remainder < size <= 2^40, so remainder * 100 fits in u64.
    let hundredths = (value % size) * 100 / size;
    match hundredths % 10 {
        _ if hundredths == 0 => format!("{whole} {name}"),
        0 => format!("{whole}.{} {name}", hundredths / 10),
        _ => format!("{whole}.{hundredths:02} {name}"),
    }
}

impl Seconds {
    /// `minutes` whole minutes, or `None` on overflow.
    pub fn from_minutes(minutes: u64) -> Option<Seconds> {
        minutes.checked_mul(60).map(Seconds)
    }

    /// `hours` whole hours, or `None` on overflow.
    pub fn from_hours(hours: u64) -> Option<Seconds> {
        hours.checked_mul(60 * 60).map(Seconds)
    }

    /// `days` whole days of 24 hours, or `None` on overflow.
    pub fn from_days(days: u64) -> Option<Seconds> {
        days.checked_mul(24 * 60 * 60).map(Seconds)
    }

    /// The number of complete minutes (rounded down).
    pub fn whole_minutes(&self) -> u64 {
        self.0 / 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn binary_constants() {
        assert_eq!(Bytes::KIB, 1024);
        assert_eq!(Bytes::MIB, 1_048_576);
        assert_eq!(Bytes::GIB, 1_073_741_824);
        assert_eq!(Bytes::TIB, 1_099_511_627_776);
        assert_eq!(Bytes::from_gib(3), Some(Bytes(3 * Bytes::GIB)));
        assert_eq!(Bytes::from_mib(u64::MAX), None);
    }

    #[test]
    fn parse_human_examples() {
        let parse = |s: &str| Bytes::parse_human(s);
        assert_eq!(parse("500MB"), Ok(Bytes(500 * Bytes::MIB)));
        assert_eq!(parse("1GB"), Ok(Bytes(Bytes::GIB)));
        assert_eq!(parse("1.5GB"), Ok(Bytes(1_610_612_736)));
        assert_eq!(parse("0"), Ok(Bytes(0)));
        assert_eq!(parse("0.0"), Ok(Bytes(0)));
        assert_eq!(parse("0GB"), Ok(Bytes(0)));
        assert_eq!(parse("2048KB"), Ok(Bytes(2 * Bytes::MIB)));
        assert_eq!(parse("10 GB"), Ok(Bytes(10 * Bytes::GIB)));
        assert_eq!(parse("10 gb"), Ok(Bytes(10 * Bytes::GIB)));
        assert_eq!(parse("3mb"), Ok(Bytes(3 * Bytes::MIB)));
        assert_eq!(parse("1tb"), Ok(Bytes(Bytes::TIB)));
        assert_eq!(parse("123B"), Ok(Bytes(123)));
        assert_eq!(parse("1.50GB"), Ok(Bytes(1_610_612_736)));
        assert_eq!(parse("0.5KB"), Ok(Bytes(512)));
        assert_eq!(parse("1.0B"), Ok(Bytes(1)));
        assert_eq!(parse("18446744073709551615B"), Ok(Bytes(u64::MAX)));
    }

    #[test]
    fn parse_human_rejections() {
        let parse = |s: &str| Bytes::parse_human(s);
        assert_eq!(parse(""), Err(UnitError::Empty));
        assert_eq!(parse("-1GB"), Err(UnitError::Negative));
        assert_eq!(parse("GB"), Err(UnitError::MissingNumber));
        assert_eq!(parse(" 1GB"), Err(UnitError::MissingNumber));
        assert_eq!(parse("+1GB"), Err(UnitError::MissingNumber));
        assert_eq!(parse("500"), Err(UnitError::MissingUnit));
        assert_eq!(parse("500 "), Err(UnitError::MissingUnit));
        assert_eq!(parse("1.1GB"), Err(UnitError::NotWholeBytes), "1.1 GB is not whole bytes");
        assert_eq!(parse("1.5B"), Err(UnitError::NotWholeBytes));
        assert_eq!(parse("1  GB"), Err(UnitError::UnknownUnit { unit: " GB".to_owned() }));
        assert_eq!(parse("1GiB"), Err(UnitError::UnknownUnit { unit: "GiB".to_owned() }));
        assert_eq!(parse("1GB "), Err(UnitError::UnknownUnit { unit: "GB ".to_owned() }));
        assert!(matches!(parse("1e3MB"), Err(UnitError::UnknownUnit { .. })));
        assert!(matches!(parse("1.2.3GB"), Err(UnitError::MalformedNumber { .. })));
        assert!(matches!(parse(".5GB"), Err(UnitError::MalformedNumber { .. })));
        assert!(matches!(parse("5.GB"), Err(UnitError::MalformedNumber { .. })));
        assert_eq!(parse("18446744073709551616B"), Err(UnitError::Overflow));
        assert_eq!(parse("16777216TB"), Err(UnitError::Overflow));
        assert_eq!(parse("99999999999999999999999999999GB"), Err(UnitError::Overflow));
        assert_eq!(parse("1.000000000000000000001GB"), Err(UnitError::TooPrecise { max: 20 }));
    }

    #[test]
    fn to_human_examples() {
        assert_eq!(Bytes(0).to_human(), "0 B");
        assert_eq!(Bytes(1_610_612_736).to_human(), "1.5 GB");
        assert_eq!(Bytes(500 * Bytes::MIB).to_human(), "500 MB");
        assert_eq!(Bytes(Bytes::GIB).to_human(), "1 GB");
        assert_eq!(Bytes(5 * Bytes::GIB / 4).to_human(), "1.25 GB");
        assert_eq!(Bytes(512 * Bytes::MIB).to_human(), "512 MB");
        assert_eq!(Bytes(1025 * Bytes::MIB).to_human(), "1025 MB");
        assert_eq!(Bytes(1023).to_human(), "1023 B");
        assert_eq!(Bytes(2 * Bytes::TIB).to_human(), "2 TB");
        assert_eq!(Bytes(u64::MAX).to_human(), "18446744073709551615 B");
    }

    #[test]
    fn to_human_approx_rounds_down() {
        assert_eq!(Bytes(0).to_human_approx(), "0 B");
        assert_eq!(Bytes(Bytes::GIB + 1).to_human_approx(), "1 GB");
        assert_eq!(Bytes(2 * Bytes::GIB - 1).to_human_approx(), "1.99 GB");
        assert_eq!(Bytes(1_234_567_890).to_human_approx(), "1.14 GB");
        assert_eq!(Bytes(1536).to_human_approx(), "1.5 KB");
        assert_eq!(Bytes(u64::MAX).to_human_approx(), "16777215.99 TB");
    }

    #[test]
    fn arithmetic_helpers() {
        assert_eq!(Bytes(5).checked_sub(Bytes(7)), None);
        assert_eq!(Bytes(5).saturating_sub(Bytes(7)), Bytes(0));
        assert_eq!(Bytes(5).checked_add(Bytes(7)), Some(Bytes(12)));
        assert_eq!(Bytes(u64::MAX).checked_add(Bytes(1)), None);
        assert_eq!(Bytes(u64::MAX).saturating_add(Bytes(1)), Bytes(u64::MAX));
        assert_eq!(Messages(3).checked_sub(Messages(1)), Some(Messages(2)));
        assert!(Messages::default().is_zero());
        assert_eq!(Seconds(90).saturating_sub(Seconds(100)), Seconds(0));
    }

    #[test]
    fn seconds_helpers() {
        assert_eq!(Seconds::from_minutes(2), Some(Seconds(120)));
        assert_eq!(Seconds::from_minutes(u64::MAX), None);
        assert_eq!(Seconds(119).whole_minutes(), 1);
        assert_eq!(Seconds::from_hours(1), Some(Seconds(3600)));
        assert_eq!(Seconds::from_days(7), Some(Seconds(604_800)));
        assert_eq!(Seconds::from_days(u64::MAX), None);
    }

    #[test]
    fn serde_is_transparent() {
        assert_eq!(serde_json::to_string(&Bytes(42)).expect("ser"), "42");
        assert_eq!(serde_json::from_str::<Seconds>("60").expect("de"), Seconds(60));
        assert_eq!(serde_json::to_string(&Messages(3)).expect("ser"), "3");
        assert!(serde_json::from_str::<Bytes>("-1").is_err());
    }

    proptest! {
        #[test]
        fn whole_megabytes_round_trip(mib in 0u64..=(u64::MAX / Bytes::MIB)) {
            let bytes = Bytes(mib * Bytes::MIB);
            let text = bytes.to_human();
            prop_assert_eq!(Bytes::parse_human(&text), Ok(bytes), "{}", text);
        }

        #[test]
        fn any_amount_round_trips(value in any::<u64>()) {
            let text = Bytes(value).to_human();
            prop_assert_eq!(Bytes::parse_human(&text), Ok(Bytes(value)), "{}", text);
        }

        #[test]
        fn approx_never_overstates(value in any::<u64>()) {
            let text = Bytes(value).to_human_approx();
            if let Ok(parsed) = Bytes::parse_human(&text) {
                prop_assert!(parsed.0 <= value, "{} > {}", text, value);
            }
        }

        #[test]
        fn integer_units_parse(n in 0u64..1_000_000, unit in 0usize..5, lower in any::<bool>()) {
            let (size, name) = UNITS[unit];
            let name = if lower { name.to_ascii_lowercase() } else { name.to_owned() };
            prop_assert_eq!(Bytes::parse_human(&format!("{n}{name}")), Ok(Bytes(n * size)));
            prop_assert_eq!(Bytes::parse_human(&format!("{n} {name}")), Ok(Bytes(n * size)));
        }

        #[test]
        fn checked_ops_agree_with_u64(a in any::<u64>(), b in any::<u64>()) {
            prop_assert_eq!(Bytes(a).checked_add(Bytes(b)).map(|x| x.0), a.checked_add(b));
            prop_assert_eq!(Seconds(a).checked_sub(Seconds(b)).map(|x| x.0), a.checked_sub(b));
            prop_assert_eq!(Messages(a).saturating_sub(Messages(b)).0, a.saturating_sub(b));
        }

        #[test]
        fn minutes_round_trip(minutes in any::<u64>()) {
            if let Some(seconds) = Seconds::from_minutes(minutes) {
                prop_assert_eq!(seconds.whole_minutes(), minutes);
            } else {
                prop_assert!(minutes > u64::MAX / 60);
            }
        }

        #[test]
        fn never_panics(input in ".*") {
            let _ = Bytes::parse_human(&input);
        }

        #[test]
        fn never_panics_on_numberish(input in "[0-9.]{0,45} ?[kKmMgGtTbB]{0,2}") {
            if let Ok(bytes) = Bytes::parse_human(&input) {
                prop_assert_eq!(Bytes::parse_human(&bytes.to_human()), Ok(bytes));
            }
        }
    }
}
