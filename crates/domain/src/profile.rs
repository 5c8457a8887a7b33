//! eSIM profiles: what the SM-DP+ vendor gives us, and the SGP.22 activation code.

use std::fmt;

/// Why an SM-DP+ address or matching id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The SM-DP+ address is not a host name.
    #[error("the SM-DP+ address must be a host name such as smdp.example.com")]
    BadSmdpAddress,
    /// The matching id has characters SGP.22 does not allow.
    #[error("the matching id must be 1–255 characters of A–Z, 0–9 and '-'")]
    BadMatchingId,
}

/// A fully qualified SM-DP+ host name (SGP.22: the address part of the activation code).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SmdpAddress(String);

impl SmdpAddress {
    /// Parses a host name: labels of letters, digits and '-', separated by dots, at least two labels.
    pub fn parse(s: &str) -> Result<SmdpAddress, ProfileError> {
        let s = s.trim();
        let labels: Vec<&str> = s.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if s.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(ProfileError::BadSmdpAddress);
        }
        Ok(SmdpAddress(s.to_ascii_lowercase()))
    }

    /// The host name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SM-DP+ matching id (activation token) of one profile.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MatchingId(String);

impl MatchingId {
    /// Parses a matching id: 1–255 characters of A–Z, 0–9 and '-' (upper-cased).
    pub fn parse(s: &str) -> Result<MatchingId, ProfileError> {
        let s = s.trim();
        if s.is_empty() || s.len() > 255 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(ProfileError::BadMatchingId);
        }
        Ok(MatchingId(s.to_ascii_uppercase()))
    }

    /// The matching id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SGP.22 activation code `LPA:1$<smdp>$<matching id>` a phone scans.
pub fn activation_code(smdp: &str, matching_id: &str) -> String {
    format!("LPA:1${smdp}${matching_id}")
}

/// Where a profile is: in stock, given to a line, or never to be used again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileState {
    /// In stock.
    Available,
    /// Held by a line.
    Assigned,
    /// Downloaded once and released: never handed out again.
    Retired,
}

impl ProfileState {
    /// The stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ProfileState::Available => "available",
            ProfileState::Assigned => "assigned",
            ProfileState::Retired => "retired",
        }
    }
}

impl fmt::Display for ProfileState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_code_follows_sgp22() {
        assert_eq!(activation_code("smdp.demo.keepsim.invalid", "ABC-123"), "LPA:1$smdp.demo.keepsim.invalid$ABC-123");
    }

    #[test]
    fn smdp_address_must_be_a_host_name() {
        assert!(SmdpAddress::parse("rsp.example.com").is_ok());
        for bad in ["", "localhost", "a..b", "-a.com", "a$b.com", "http://x.com"] {
            assert!(SmdpAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn matching_id_rejects_the_separator() {
        assert!(MatchingId::parse("K2-1AB").is_ok());
        assert!(MatchingId::parse("A$B").is_err());
        assert!(MatchingId::parse("").is_err());
    }
}
