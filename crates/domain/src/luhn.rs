//! The Luhn (mod 10) check digit used by IMEIs and ICCIDs.
//!
//! Both functions work on ASCII digit bytes (`b'0'..=b'9'`). Callers are
//! expected to validate that their input is all digits first so they can give
//! a precise error; these functions never panic on other bytes.

/// Returns the digit value (0-9) of the Luhn check digit to append to `payload`.
///
/// `payload` should be ASCII digits. A non-digit byte contributes nothing to
/// the sum (it is treated like `'0'`), so the result is meaningless but never
/// a panic; validate the payload before calling.
pub fn check_digit(payload: &[u8]) -> u8 {
    // Counting from the right of the payload, the first digit is doubled
    // because the check digit will be appended after it.
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(index, &byte)| {
            let digit = digit_value(byte).unwrap_or(0);
            if index % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    // `sum % 10` is below 10, so the result is in 0..=9 and fits in a u8.
    ((10 - sum % 10) % 10) as u8
}

/// Returns true when `digits` is non-empty, all ASCII digits, and its last digit is the Luhn check digit of the rest.
pub fn is_valid(digits: &[u8]) -> bool {
    let Some((&last, payload)) = digits.split_last() else {
        return false;
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    digit_value(last) == Some(u32::from(check_digit(payload)))
}

/// The numeric value of an ASCII digit byte, or `None` for any other byte.
fn digit_value(byte: u8) -> Option<u32> {
    byte.is_ascii_digit().then(|| u32::from(byte - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_imei_check_digit() {
        assert_eq!(check_digit(b"49015420323751"), 8);
        assert!(is_valid(b"490154203237518"));
        assert!(!is_valid(b"490154203237519"));
    }

    #[test]
    fn classic_luhn_example() {
        // The example from the Luhn algorithm's usual description.
        assert_eq!(check_digit(b"7992739871"), 3);
        assert!(is_valid(b"79927398713"));
    }

    #[test]
    fn empty_payload_has_check_digit_zero() {
        assert_eq!(check_digit(b""), 0);
        assert!(is_valid(b"0"));
    }

    #[test]
    fn empty_input_is_invalid() {
        assert!(!is_valid(b""));
    }

    #[test]
    fn non_digits_are_invalid_not_a_panic() {
        assert!(!is_valid(b"49015420323751a"));
        assert!(!is_valid(b"4901542032 7518"));
        assert!(!is_valid(b"-"));
        assert!(!is_valid(&[0xff, b'0']));
        // check_digit still returns a digit value.
        assert!(check_digit(b"abc\xff") <= 9);
    }

    proptest! {
        #[test]
        fn appended_check_digit_is_valid(payload in "[0-9]{0,40}") {
            let digit = check_digit(payload.as_bytes());
            prop_assert!(digit <= 9);
            let mut full = payload.into_bytes();
            full.push(b'0' + digit);
            prop_assert!(is_valid(&full));
        }

        #[test]
        fn any_single_digit_change_is_detected(
            payload in "[0-9]{1,30}",
            position in any::<prop::sample::Index>(),
            delta in 1u8..=9,
        ) {
            let mut full = payload.into_bytes();
            full.push(b'0' + check_digit(&full));
            let at = position.index(full.len());
            full[at] = b'0' + (full[at] - b'0' + delta) % 10;
            prop_assert!(!is_valid(&full));
        }

        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let digit = check_digit(&bytes);
            prop_assert!(digit <= 9);
            let _ = is_valid(&bytes);
        }
    }
}
