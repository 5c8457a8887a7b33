//! Time-based one-time passwords (RFC 6238) for the staff console's second
//! factor: HMAC-SHA1, 30-second steps, 6 digits, as every authenticator app
//! expects by default.
//!
//! Pure: the caller brings the random bytes of a new secret and the current
//! time. A verified code names its time step; storing the last accepted step
//! and refusing any step not after it makes each code usable once.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use std::fmt;
use subtle::ConstantTimeEq;

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Bytes of a newly generated secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A shared TOTP secret. Its `Debug` output never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    /// A secret made of `bytes` (use [`SECRET_BYTES`] random bytes for a new one).
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> TotpSecret {
        TotpSecret(bytes.into())
    }

    /// The secret's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32, upper case, without padding (what authenticator apps take).
    pub fn to_base32(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(5) * 8);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for byte in &self.0 {
            buffer = (buffer << 8) | u32::from(*byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
            }
        }
        if bits > 0 {
            out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
        }
        out
    }

    /// Reads base32 as people type it: any case, spaces ignored, trailing `=` allowed.
    /// `None` for other characters, an impossible length, or nothing at all.
    pub fn from_base32(text: &str) -> Option<TotpSecret> {
        let symbols: Vec<u8> = text.bytes().filter(|b| *b != b' ').collect();
        let end = symbols.iter().rposition(|b| *b != b'=').map_or(0, |i| i + 1);
        let symbols = &symbols[..end];
        // 8 symbols carry 5 bytes; a final group of 1, 3 or 6 symbols cannot end a byte.
        if symbols.is_empty() || matches!(symbols.len() % 8, 1 | 3 | 6) {
            return None;
        }
        let mut out = Vec::with_capacity(symbols.len() * 5 / 8);
        let (mut buffer, mut bits) = (0u32, 0u32);
        for s in symbols {
            let upper = s.to_ascii_uppercase();
            let value = BASE32.iter().position(|c| *c == upper)?;
            buffer = ((buffer << 5) | value as u32) & 0xFFFF;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push(((buffer >> bits) & 0xFF) as u8);
            }
        }
        Some(TotpSecret(out))
    }

    /// The `otpauth://` URI an authenticator app scans (as a QR code) to enrol.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent_encode(account),
            self.to_base32()
        )
    }

    /// The code for the step containing `unix_seconds`, zero-padded to 6 digits.
    pub fn code_at(&self, unix_seconds: i64) -> String {
        self.code_for_step(step_of(unix_seconds))
    }

    /// Checks `code` at `unix_seconds`, allowing one step of clock drift either way,
    /// and refusing any step at or before `last_step` (a code already used, or older).
    /// Returns the step the code belongs to, for the caller to store as the new last step.
    pub fn verify(&self, code: &str, unix_seconds: i64, last_step: Option<i64>) -> Option<i64> {
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = step_of(unix_seconds);
        let mut accepted = None;
        for step in [now - 1, now, now + 1] {
            if last_step.is_some_and(|last| step <= last) {
                continue;
            }
            let matches: bool = self.code_for_step(step).as_bytes().ct_eq(code.as_bytes()).into();
            if matches && accepted.is_none() {
                accepted = Some(step);
            }
        }
        accepted
    }

    fn code_for_step(&self, step: i64) -> String {
        // HMAC takes a key of any length; the error branch cannot happen.
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else { return String::new() };
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[digest.len() - 1] & 0x0F);
        let word = u32::from_be_bytes([digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
        format!("{:06}", (word & 0x7FFF_FFFF) % 1_000_000)
    }
}

/// The time step containing `unix_seconds`.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn rfc_6238_sha1_vectors_give_their_last_six_digits() {
        let s = rfc_secret();
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(s.code_at(t), code, "at {t}");
            assert_eq!(s.verify(code, t, None), Some(step_of(t)), "at {t}");
        }
    }

    #[test]
    fn base32_of_the_rfc_secret_is_the_well_known_one_and_reads_back() {
        let s = rfc_secret();
        assert_eq!(s.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), Some(s.clone()));
        assert_eq!(TotpSecret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), Some(s));
        assert_eq!(TotpSecret::from_bytes(b"f".to_vec()).to_base32(), "MY", "RFC 4648 test vector, unpadded");
        assert_eq!(TotpSecret::from_base32("MY======").map(|s| s.as_bytes().to_vec()), Some(b"f".to_vec()));
        assert_eq!(TotpSecret::from_bytes(b"foobar".to_vec()).to_base32(), "MZXW6YTBOI");
    }

    #[test]
    fn malformed_base32_is_refused() {
        for bad in ["", "   ", "GEZ1", "GEZDGNBV!", "A", "ABC", "ABCDEF", "===="] {
            assert_eq!(TotpSecret::from_base32(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_code_works_one_step_early_or_late_but_not_two() {
        let s = rfc_secret();
        let t = 1_111_111_111;
        assert_eq!(s.verify(&s.code_at(t - 30), t, None), Some(step_of(t) - 1));
        assert_eq!(s.verify(&s.code_at(t + 30), t, None), Some(step_of(t) + 1));
        assert_eq!(s.verify(&s.code_at(t - 60), t, None), None);
        assert_eq!(s.verify(&s.code_at(t + 60), t, None), None);
    }

    #[test]
    fn a_used_code_is_refused_when_replayed() {
        let s = rfc_secret();
        let t = 1_234_567_890;
        let code = s.code_at(t);
        let step = s.verify(&code, t, None).expect("first use");
        assert_eq!(s.verify(&code, t, Some(step)), None, "same step again");
        assert_eq!(s.verify(&code, t + 10, Some(step)), None, "still refused ten seconds later");
        assert_eq!(s.verify(&s.code_at(t - 30), t, Some(step)), None, "an older step too");
        assert_eq!(s.verify(&s.code_at(t + 30), t + 30, Some(step)), Some(step + 1), "the next step works");
    }

    #[test]
    fn codes_must_be_exactly_six_ascii_digits() {
        let s = rfc_secret();
        let t = 59;
        for bad in ["", "28708", "2870820", " 287082", "287082 ", "28708a", "２８７０８２", "-87082"] {
            assert_eq!(s.verify(bad, t, None), None, "{bad:?}");
        }
        assert_eq!(s.verify("287082", t, None), Some(1));
    }

    #[test]
    fn the_enrolment_uri_encodes_the_label() {
        let s = rfc_secret();
        assert_eq!(
            s.otpauth_uri("keepsim", "ops admin@keepsim.test"),
            "otpauth://totp/keepsim:ops%20admin%40keepsim.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=keepsim&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn debug_output_hides_the_secret() {
        assert_eq!(format!("{:?}", rfc_secret()), "TotpSecret(..)");
    }

    proptest! {
        #[test]
        fn base32_round_trips(bytes in proptest::collection::vec(any::<u8>(), 1..64)) {
            let s = TotpSecret::from_bytes(bytes);
            prop_assert_eq!(TotpSecret::from_base32(&s.to_base32().to_lowercase()), Some(s));
        }

        #[test]
        fn from_base32_never_panics(text in ".*") {
            let _ = TotpSecret::from_base32(&text);
        }

        #[test]
        fn codes_are_six_digits(t in -10_000_000_000i64..10_000_000_000) {
            let code = rfc_secret().code_at(t);
            prop_assert_eq!(code.len(), 6);
            prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
