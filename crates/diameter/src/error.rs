//! Why a byte sequence is not a Diameter message (or an AVP value is not of its type).

use crate::dictionary::result_code;

/// Why decoding failed. Every variant maps to the Diameter Result-Code a server answers with
/// ([`DecodeError::result_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ends before the message, header or AVP header it starts is complete.
    #[error("input ends before the message or AVP is complete")]
    Truncated,
    /// The header's version byte is not 1.
    #[error("unsupported Diameter version (only version 1 exists)")]
    BadVersion,
    /// The header claims a message longer than the caller accepts.
    #[error("message length {len} exceeds the limit of {max} bytes")]
    TooLong {
        /// Length claimed by the header.
        len: u32,
        /// Limit the caller passed.
        max: u32,
    },
    /// The message length is shorter than a header, not a multiple of 4, or disagrees with the input.
    #[error("message length is invalid")]
    BadLength,
    /// An AVP's length is shorter than its header or runs past the end of its container.
    #[error("AVP {code} has an invalid length")]
    BadAvpLength {
        /// Code of the offending AVP.
        code: u32,
    },
    /// An AVP's data does not fit its type (e.g. an Unsigned32 with 3 bytes, invalid UTF-8).
    #[error("AVP {code} has a value that does not fit its type")]
    BadAvpValue {
        /// Code of the offending AVP.
        code: u32,
    },
    /// Grouped AVPs are nested deeper than [`crate::avp::MAX_DEPTH`].
    #[error("grouped AVPs are nested too deeply")]
    TooDeep,
}

impl DecodeError {
    /// The Result-Code a Diameter node answers with when a request fails to decode this way.
    ///
    /// `BadVersion` has no answer on the wire in practice (the peer speaks another protocol), but
    /// RFC 6733 names 5011 DIAMETER_UNSUPPORTED_VERSION for it.
    pub fn result_code(&self) -> u32 {
        match self {
            DecodeError::Truncated | DecodeError::BadLength | DecodeError::TooLong { .. } => {
                result_code::INVALID_MESSAGE_LENGTH
            }
            DecodeError::BadVersion => result_code::UNSUPPORTED_VERSION,
            DecodeError::BadAvpLength { .. } => result_code::INVALID_AVP_LENGTH,
            DecodeError::BadAvpValue { .. } | DecodeError::TooDeep => result_code::INVALID_AVP_VALUE,
        }
    }

    /// The code of the AVP the error is about, if it is about one.
    pub fn avp_code(&self) -> Option<u32> {
        match self {
            DecodeError::BadAvpLength { code } | DecodeError::BadAvpValue { code } => Some(*code),
            _ => None,
        }
    }
}

/// Why a message cannot be encoded: a field does not fit its width on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// A message or AVP would be longer than the 24-bit length field can say (16 MiB − 1).
    #[error("encoded length {len} does not fit the 24-bit length field")]
    TooLong {
        /// The length that does not fit.
        len: usize,
    },
    /// The command code does not fit the 24-bit command code field.
    #[error("command code {code} does not fit 24 bits")]
    CommandCodeOutOfRange {
        /// The offending command code.
        code: u32,
    },
}
