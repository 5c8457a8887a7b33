//! Diameter messages: a header and its AVPs, encoding, decoding and stream framing.
//!
//! Decoding never trusts a length field: the message length is checked against the caller's
//! limit before anything else, every AVP length against the bytes that remain, and grouped AVPs
//! known to the dictionary are checked recursively up to [`crate::avp::MAX_DEPTH`]. Memory used is
//! bounded by the input size.

use crate::avp::{Avp, decode_avps_at};
use crate::error::{DecodeError, EncodeError};
use crate::header::{CommandFlags, HEADER_LEN, Header, MAX_U24, VERSION, is_aligned};

/// Lookup of AVPs by code (and vendor) in a list: a message's AVPs or a grouped AVP's contents.
pub trait FindAvp {
    /// The first AVP with `code` and no Vendor-ID.
    fn find(&self, code: u32) -> Option<&Avp>;
    /// The first AVP with `code` and Vendor-ID `vendor`.
    fn find_vendor(&self, code: u32, vendor: u32) -> Option<&Avp>;
    /// Every AVP with `code` and no Vendor-ID, in order.
    fn find_all(&self, code: u32) -> impl Iterator<Item = &Avp>;
    /// Every AVP with `code` and Vendor-ID `vendor`, in order.
    fn find_all_vendor(&self, code: u32, vendor: u32) -> impl Iterator<Item = &Avp>;
}

impl FindAvp for [Avp] {
    fn find(&self, code: u32) -> Option<&Avp> {
        self.iter().find(|avp| avp.is(code, None))
    }

    fn find_vendor(&self, code: u32, vendor: u32) -> Option<&Avp> {
        self.iter().find(|avp| avp.is(code, Some(vendor)))
    }

    fn find_all(&self, code: u32) -> impl Iterator<Item = &Avp> {
        self.iter().filter(move |avp| avp.is(code, None))
    }

    fn find_all_vendor(&self, code: u32, vendor: u32) -> impl Iterator<Item = &Avp> {
        self.iter().filter(move |avp| avp.is(code, Some(vendor)))
    }
}

/// A Diameter message.
///
/// `header.length` is kept up to date by the builder methods ([`Message::push`] and friends);
/// after editing `avps` directly call [`Message::update_length`]. [`Message::encode`] always
/// writes the computed length whatever `header.length` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The header.
    pub header: Header,
    /// The top-level AVPs, in order.
    pub avps: Vec<Avp>,
}

impl Message {
    /// An empty request (R flag set, not proxiable).
    pub fn request(command_code: u32, application_id: u32, hop_by_hop: u32, end_to_end: u32) -> Message {
        Message {
            header: Header {
                version: VERSION,
                length: HEADER_LEN as u32,
                flags: CommandFlags { request: true, ..CommandFlags::default() },
                command_code,
                application_id,
                hop_by_hop,
                end_to_end,
            },
            avps: Vec::new(),
        }
    }

    /// An empty answer to `request`: same command code, application, hop-by-hop and end-to-end
    /// identifiers and P flag; R, E and T cleared.
    pub fn answer_for(request: &Message) -> Message {
        Message {
            header: Header {
                version: VERSION,
                length: HEADER_LEN as u32,
                flags: CommandFlags { proxiable: request.header.flags.proxiable, ..CommandFlags::default() },
                command_code: request.header.command_code,
                application_id: request.header.application_id,
                hop_by_hop: request.header.hop_by_hop,
                end_to_end: request.header.end_to_end,
            },
            avps: Vec::new(),
        }
    }

    /// Sets the P flag.
    pub fn with_proxiable(mut self, proxiable: bool) -> Message {
        self.header.flags.proxiable = proxiable;
        self
    }

    /// Sets the E flag.
    pub fn with_error(mut self, error: bool) -> Message {
        self.header.flags.error = error;
        self
    }

    /// Whether the R flag is set.
    pub fn is_request(&self) -> bool {
        self.header.flags.request
    }

    /// Appends an AVP and updates `header.length`.
    pub fn push(&mut self, avp: Avp) {
        let length = (self.header.length as usize).saturating_add(avp.encoded_len());
        self.header.length = clamp_u24(length);
        self.avps.push(avp);
    }

    /// Appends an AVP (builder style).
    pub fn with_avp(mut self, avp: Avp) -> Message {
        self.push(avp);
        self
    }

    /// Appends AVPs (builder style).
    pub fn with_avps(mut self, avps: impl IntoIterator<Item = Avp>) -> Message {
        for avp in avps {
            self.push(avp);
        }
        self
    }

    /// Recomputes `header.length` from the AVPs (saturating at the 24-bit maximum).
    pub fn update_length(&mut self) {
        self.header.length = clamp_u24(self.encoded_len());
    }

    /// The first top-level AVP with `code` and no Vendor-ID.
    pub fn find(&self, code: u32) -> Option<&Avp> {
        self.avps.find(code)
    }

    /// The first top-level AVP with `code` and Vendor-ID `vendor`.
    pub fn find_vendor(&self, code: u32, vendor: u32) -> Option<&Avp> {
        self.avps.find_vendor(code, vendor)
    }

    /// Every top-level AVP with `code` and no Vendor-ID.
    pub fn find_all(&self, code: u32) -> impl Iterator<Item = &Avp> {
        self.avps.find_all(code)
    }

    /// Every top-level AVP with `code` and Vendor-ID `vendor`.
    pub fn find_all_vendor(&self, code: u32, vendor: u32) -> impl Iterator<Item = &Avp> {
        self.avps.find_all_vendor(code, vendor)
    }

    /// Bytes the encoded message occupies: header plus padded AVPs.
    pub fn encoded_len(&self) -> usize {
        self.avps.iter().fold(HEADER_LEN, |total, avp| total.saturating_add(avp.encoded_len()))
    }

    /// The message on the wire, with computed lengths.
    ///
    /// Lengths over 16 MiB − 1 cannot be represented and are written as 0xFFFFFF, and the command
    /// code is cut to 24 bits; [`Message::try_encode`] reports either instead.
    pub fn encode(&self) -> Vec<u8> {
        let length = self.encoded_len();
        let mut out = Vec::with_capacity(length);
        let header = Header { length: clamp_u24(length), ..self.header };
        out.extend_from_slice(&header.encode());
        for avp in &self.avps {
            avp.encode_into(&mut out);
        }
        out
    }

    /// Like [`Message::encode`], but fails when a length or the command code does not fit.
    pub fn try_encode(&self) -> Result<Vec<u8>, EncodeError> {
        if self.header.command_code > MAX_U24 {
            return Err(EncodeError::CommandCodeOutOfRange { code: self.header.command_code });
        }
        let length = self.encoded_len();
        if length > MAX_U24 as usize {
            return Err(EncodeError::TooLong { len: length });
        }
        // Every AVP is shorter than the message, so none of them overflows either.
        Ok(self.encode())
    }

    /// Decodes one message that fills `bytes` exactly (use [`frame_len`] to cut it from a stream).
    ///
    /// Errors: `BadVersion`; `TooLong` if the header claims more than `max_len` (checked before
    /// anything is read or allocated); `BadLength` for a length under 20, not a multiple of 4, or
    /// shorter than `bytes`; `Truncated` if `bytes` ends early; AVP errors as in
    /// [`crate::avp::decode_avps`].
    pub fn decode(bytes: &[u8], max_len: u32) -> Result<Message, DecodeError> {
        let Some(length) = frame_len(bytes, max_len)? else {
            return Err(DecodeError::Truncated);
        };
        if bytes.len() < length {
            return Err(DecodeError::Truncated);
        }
        if bytes.len() > length {
            return Err(DecodeError::BadLength);
        }
        let header = Header::decode(bytes)?;
        let body = bytes.get(HEADER_LEN..).ok_or(DecodeError::Truncated)?;
        let avps = decode_avps_at(body, 0)?;
        Ok(Message { header, avps })
    }
}

/// How long the next message in a stream buffer is, from its first 4 bytes.
///
/// Returns `Ok(None)` while fewer than 4 bytes are buffered (an earlier `BadVersion` is reported
/// as soon as the first byte is there), and `Ok(Some(len))` once the length is known — the
/// message is complete when `prefix.len() >= len`. Rejects a version other than 1
/// (`BadVersion`), a length under 20 or not a multiple of 4 (`BadLength`) and a length over
/// `max_len` (`TooLong`), so a reader never buffers more than `max_len` bytes for one message.
pub fn frame_len(prefix: &[u8], max_len: u32) -> Result<Option<usize>, DecodeError> {
    let Some(&version) = prefix.first() else {
        return Ok(None);
    };
    if version != VERSION {
        return Err(DecodeError::BadVersion);
    }
    let Some(&[_, a, b, c]) = prefix.first_chunk::<4>() else {
        return Ok(None);
    };
    let len = u32::from_be_bytes([0, a, b, c]);
    if len < HEADER_LEN as u32 || !is_aligned(len) {
        return Err(DecodeError::BadLength);
    }
    if len > max_len {
        return Err(DecodeError::TooLong { len, max: max_len });
    }
    usize::try_from(len).map(Some).map_err(|_| DecodeError::TooLong { len, max: max_len })
}

fn clamp_u24(length: usize) -> u32 {
    u32::try_from(length).unwrap_or(MAX_U24).min(MAX_U24)
}
