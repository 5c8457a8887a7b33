//! Who signs in: customer email addresses, the password rule, and staff roles.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// The address is empty.
    #[error("the email address is empty")]
    Empty,
    /// The address is longer than RFC 5321 allows.
    #[error("the email address is longer than 254 characters")]
    TooLong,
    /// The address does not have the shape local@domain.tld.
    #[error("the email address must look like name@example.com")]
    Malformed,
}

/// A customer's email address, trimmed and lower-cased so that it is unique
/// regardless of how it was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses and normalises an email address.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Malformed)?;
        let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>' | '"' | ',' | ';');
        if local.is_empty()
            || local.len() > 64
            || domain.len() < 3
            || local.chars().any(bad)
            || domain.chars().any(bad)
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(EmailError::Malformed);
        }
        Ok(Email(s.to_lowercase()))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// The shortest password keepsim accepts, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password keepsim accepts, in bytes (hashing cost is bounded).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("the password must have at least 10 characters")]
    TooShort,
    /// More than [`MAX_PASSWORD_BYTES`] bytes.
    #[error("the password must be at most 1024 bytes long")]
    TooLong,
    /// The password is the email address.
    #[error("the password must not be your email address")]
    SameAsEmail,
}

/// Checks the password rule of API.md: at least 10 characters and not the email address.
pub fn check_password(password: &str, email: &Email) -> Result<(), WeakPassword> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(WeakPassword::TooLong);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if password.trim().to_lowercase() == email.as_str() {
        return Err(WeakPassword::SameAsEmail);
    }
    Ok(())
}

/// What a staff member may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything.
    Admin,
    /// Customers, lines and tickets; no refunds, no catalogue.
    Support,
    /// Orders, refunds and reports.
    Finance,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Support, Role::Finance];

    /// The role's stable name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Support => "support",
            Role::Finance => "finance",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised_to_lower_case() {
        let e = Email::parse("  Ana.Li@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "ana.li@example.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "ana@@example.com",
            "ana@.com",
            "ana@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn password_rule_follows_the_api_contract() {
        let e = Email::parse("traveller@example.com").unwrap();
        assert_eq!(check_password("short", &e), Err(WeakPassword::TooShort));
        assert_eq!(check_password("traveller@example.com", &e), Err(WeakPassword::SameAsEmail));
        assert_eq!(check_password("Traveller@Example.com", &e), Err(WeakPassword::SameAsEmail));
        assert_eq!(check_password("correct horse battery", &e), Ok(()));
        assert_eq!(check_password("密码密码密码密码密码", &e), Ok(()), "ten characters, more bytes");
        assert_eq!(check_password(&"x".repeat(2000), &e), Err(WeakPassword::TooLong));
    }

    proptest! {
        #[test]
        fn email_parse_never_panics(s in ".*") {
            let _ = Email::parse(&s);
        }

        #[test]
        fn parsed_email_is_stable(local in "[a-z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let e = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e.clone());
        }
    }
}
