//! Support tickets: a customer's question and the conversation with staff.
//! `open` (waiting for staff) → `answered` (waiting for the customer) → `closed`;
//! a customer's reply opens it again, whatever its state.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// The longest message, in characters.
pub const MAX_BODY_CHARS: usize = 5000;

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Waiting for staff.
    Open,
    /// Staff answered; waiting for the customer.
    Answered,
    /// Done.
    Closed,
}

impl TicketStatus {
    /// Every status.
    pub const ALL: [TicketStatus; 3] = [TicketStatus::Open, TicketStatus::Answered, TicketStatus::Closed];

    /// The stable name, as stored and shown.
    pub fn as_str(&self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::Closed => "closed",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who wrote a ticket message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketAuthor {
    /// The customer who opened the ticket.
    Customer,
    /// A staff member.
    Staff,
}

impl TicketAuthor {
    /// The stable name, as stored and shown.
    pub fn as_str(&self) -> &'static str {
        match self {
            TicketAuthor::Customer => "customer",
            TicketAuthor::Staff => "staff",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<TicketAuthor> {
        match s {
            "customer" => Some(TicketAuthor::Customer),
            "staff" => Some(TicketAuthor::Staff),
            _ => None,
        }
    }
}

impl fmt::Display for TicketAuthor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a subject or message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketTextError {
    /// Nothing but white space.
    #[error("must not be empty")]
    Empty,
    /// Longer than allowed.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The limit, in characters.
        max: usize,
    },
}

/// A ticket's subject: trimmed, 1 to 200 characters.
pub fn subject(input: &str) -> Result<String, TicketTextError> {
    text(input, MAX_SUBJECT_CHARS)
}

/// A ticket message: trimmed, 1 to 5000 characters.
pub fn body(input: &str) -> Result<String, TicketTextError> {
    text(input, MAX_BODY_CHARS)
}

fn text(input: &str, max: usize) -> Result<String, TicketTextError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(TicketTextError::Empty);
    }
    if t.chars().count() > max {
        return Err(TicketTextError::TooLong { max });
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(TicketStatus::parse("pending"), None);
        for a in [TicketAuthor::Customer, TicketAuthor::Staff] {
            assert_eq!(TicketAuthor::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn texts_are_trimmed_and_bounded_in_characters() {
        assert_eq!(subject("  eSIM not activating \n"), Ok("eSIM not activating".into()));
        assert_eq!(subject(" \t "), Err(TicketTextError::Empty));
        assert_eq!(subject(&"字".repeat(200)), Ok("字".repeat(200)), "200 characters, more bytes");
        assert_eq!(subject(&"x".repeat(201)), Err(TicketTextError::TooLong { max: 200 }));
        assert_eq!(body(&"x".repeat(5000)).map(|b| b.len()), Ok(5000));
        assert_eq!(body(&"x".repeat(5001)), Err(TicketTextError::TooLong { max: 5000 }));
    }
}
