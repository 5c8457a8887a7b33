//! The 20-byte Diameter message header (RFC 6733 §3).

use crate::error::DecodeError;

/// Size of the Diameter header in bytes.
pub const HEADER_LEN: usize = 20;

/// The only Diameter version.
pub const VERSION: u8 = 1;

/// Largest value of a 24-bit field (message length, command code, AVP length).
pub const MAX_U24: u32 = 0x00FF_FFFF;

const FLAG_REQUEST: u8 = 0x80;
const FLAG_PROXIABLE: u8 = 0x40;
const FLAG_ERROR: u8 = 0x20;
const FLAG_RETRANSMIT: u8 = 0x10;

/// The command flags byte. The four reserved bits are ignored when decoding and sent as zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CommandFlags {
    /// R: the message is a request (otherwise an answer).
    pub request: bool,
    /// P: the message may be proxied, relayed or redirected.
    pub proxiable: bool,
    /// E: the answer reports a protocol error (3xxx Result-Code).
    pub error: bool,
    /// T: the request may be a retransmission after a link failover.
    pub retransmit: bool,
}

impl CommandFlags {
    /// Reads the flags byte, ignoring reserved bits.
    pub fn from_byte(byte: u8) -> CommandFlags {
        CommandFlags {
            request: byte & FLAG_REQUEST != 0,
            proxiable: byte & FLAG_PROXIABLE != 0,
            error: byte & FLAG_ERROR != 0,
            retransmit: byte & FLAG_RETRANSMIT != 0,
        }
    }

    /// The flags byte on the wire (reserved bits zero).
    pub fn to_byte(self) -> u8 {
        let mut byte = 0;
        if self.request {
            byte |= FLAG_REQUEST;
        }
        if self.proxiable {
            byte |= FLAG_PROXIABLE;
        }
        if self.error {
            byte |= FLAG_ERROR;
        }
        if self.retransmit {
            byte |= FLAG_RETRANSMIT;
        }
        byte
    }
}

/// A Diameter message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    /// Protocol version; always 1.
    pub version: u8,
    /// Length of the whole message in bytes, header and padded AVPs included (24-bit).
    pub length: u32,
    /// Command flags.
    pub flags: CommandFlags,
    /// Command code (24-bit), e.g. 272 Credit-Control.
    pub command_code: u32,
    /// Application the command belongs to, e.g. 4 Credit Control, 0 base protocol.
    pub application_id: u32,
    /// Identifier matching an answer to its request on one connection.
    pub hop_by_hop: u32,
    /// Identifier detecting duplicate requests end to end.
    pub end_to_end: u32,
}

impl Header {
    /// Decodes the header at the start of `bytes` (which may hold more than the header).
    ///
    /// Checks the version and that the length field is at least 20 and a multiple of 4; it does
    /// not check the length against `bytes` (see [`crate::Message::decode`]).
    pub fn decode(bytes: &[u8]) -> Result<Header, DecodeError> {
        let Some(&version) = bytes.first() else {
            return Err(DecodeError::Truncated);
        };
        if version != VERSION {
            return Err(DecodeError::BadVersion);
        }
        let Some(&[_, l0, l1, l2, flags, c0, c1, c2, a0, a1, a2, a3, h0, h1, h2, h3, e0, e1, e2, e3]) =
            bytes.first_chunk::<HEADER_LEN>()
        else {
            return Err(DecodeError::Truncated);
        };
        let length = u32::from_be_bytes([0, l0, l1, l2]);
        if length < HEADER_LEN as u32 || !is_aligned(length) {
            return Err(DecodeError::BadLength);
        }
        Ok(Header {
            version,
            length,
            flags: CommandFlags::from_byte(flags),
            command_code: u32::from_be_bytes([0, c0, c1, c2]),
            application_id: u32::from_be_bytes([a0, a1, a2, a3]),
            hop_by_hop: u32::from_be_bytes([h0, h1, h2, h3]),
            end_to_end: u32::from_be_bytes([e0, e1, e2, e3]),
        })
    }

    /// The 20 header bytes as given. Length and command code are cut to their 24 bits;
    /// [`crate::Message::encode`] writes the computed length instead of `self.length`.
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0] = self.version;
        out[1..4].copy_from_slice(&u24_bytes(self.length));
        out[4] = self.flags.to_byte();
        out[5..8].copy_from_slice(&u24_bytes(self.command_code));
        out[8..12].copy_from_slice(&self.application_id.to_be_bytes());
        out[12..16].copy_from_slice(&self.hop_by_hop.to_be_bytes());
        out[16..20].copy_from_slice(&self.end_to_end.to_be_bytes());
        out
    }
}

/// Whether a length is a multiple of 4, as every message length must be. (A bit test rather than
/// `is_multiple_of`, which is newer than the workspace's rust-version.)
pub(crate) fn is_aligned(length: u32) -> bool {
    length & 3 == 0
}

/// The low 24 bits of `value`, big-endian.
pub(crate) fn u24_bytes(value: u32) -> [u8; 3] {
    let [_, a, b, c] = value.to_be_bytes();
    [a, b, c]
}
