//! Attribute-value pairs (RFC 6733 §4): the AVP header, padding, typed values and grouped nesting.
//!
//! An [`Avp`] keeps its data as raw bytes ([`AvpData`]); typed accessors interpret them on demand
//! and report a value that does not fit its type as [`DecodeError::BadAvpValue`]. Decoding checks
//! every length against the bytes actually present and never allocates more than the input size.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::dictionary::{self, AvpType};
use crate::error::{DecodeError, EncodeError};
use crate::header::{MAX_U24, u24_bytes};

/// Deepest nesting of grouped AVPs that decoding accepts (a message's own AVPs are level 0).
pub const MAX_DEPTH: usize = 16;

/// Size of an AVP header without Vendor-ID.
pub const AVP_HEADER_LEN: usize = 8;

/// Size of an AVP header with Vendor-ID.
pub const AVP_VENDOR_HEADER_LEN: usize = 12;

/// Address family number for IPv4 (IANA "Address Family Numbers").
pub const ADDRESS_FAMILY_IPV4: u16 = 1;

/// Address family number for IPv6.
pub const ADDRESS_FAMILY_IPV6: u16 = 2;

/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
const NTP_UNIX_OFFSET: i64 = 2_208_988_800;

const FLAG_VENDOR: u8 = 0x80;
const FLAG_MANDATORY: u8 = 0x40;
const FLAG_PROTECTED: u8 = 0x20;

/// The AVP flags byte. Reserved bits are ignored when decoding and sent as zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct AvpFlags {
    /// V: a Vendor-ID follows the header. Always equal to `vendor_id.is_some()` on decoded AVPs;
    /// encoding derives the bit from `vendor_id`.
    pub vendor: bool,
    /// M: the receiver must understand the AVP or reject the message (5001).
    pub mandatory: bool,
    /// P: end-to-end protection (deprecated in RFC 6733, kept for round trips).
    pub protected: bool,
}

impl AvpFlags {
    /// Reads the flags byte, ignoring reserved bits.
    pub fn from_byte(byte: u8) -> AvpFlags {
        AvpFlags {
            vendor: byte & FLAG_VENDOR != 0,
            mandatory: byte & FLAG_MANDATORY != 0,
            protected: byte & FLAG_PROTECTED != 0,
        }
    }

    /// The flags byte on the wire (reserved bits zero).
    pub fn to_byte(self) -> u8 {
        let mut byte = 0;
        if self.vendor {
            byte |= FLAG_VENDOR;
        }
        if self.mandatory {
            byte |= FLAG_MANDATORY;
        }
        if self.protected {
            byte |= FLAG_PROTECTED;
        }
        byte
    }
}

/// The raw data of an AVP (without padding), with typed views.
///
/// The views return `None` when the bytes do not fit the type; [`Avp`]'s accessors of the same
/// name turn that into [`DecodeError::BadAvpValue`] carrying the AVP code.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct AvpData(Vec<u8>);

impl fmt::Debug for AvpData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AvpData(0x")?;
        for byte in &self.0 {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

impl From<Vec<u8>> for AvpData {
    fn from(bytes: Vec<u8>) -> AvpData {
        AvpData(bytes)
    }
}

impl From<&[u8]> for AvpData {
    fn from(bytes: &[u8]) -> AvpData {
        AvpData(bytes.to_vec())
    }
}

impl AvpData {
    /// Wraps raw bytes.
    pub fn new(bytes: Vec<u8>) -> AvpData {
        AvpData(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Gives back the raw bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Number of data bytes (padding excluded).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the data is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Unsigned32 (also Enumerated read as its bit pattern): exactly 4 bytes.
    pub fn as_u32(&self) -> Option<u32> {
        self.0.as_slice().try_into().ok().map(u32::from_be_bytes)
    }

    /// Unsigned64: exactly 8 bytes.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.as_slice().try_into().ok().map(u64::from_be_bytes)
    }

    /// Integer32 (and Enumerated): exactly 4 bytes.
    pub fn as_i32(&self) -> Option<i32> {
        self.0.as_slice().try_into().ok().map(i32::from_be_bytes)
    }

    /// Integer64: exactly 8 bytes.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.as_slice().try_into().ok().map(i64::from_be_bytes)
    }

    /// UTF8String or DiameterIdentity: valid UTF-8.
    pub fn as_utf8(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// OctetString: any bytes.
    pub fn as_octets(&self) -> &[u8] {
        &self.0
    }

    /// Grouped: the contained AVPs, each checked like a message's AVPs (lengths, nesting of
    /// grouped AVPs known to the dictionary up to [`MAX_DEPTH`]).
    pub fn as_grouped(&self) -> Result<Vec<Avp>, DecodeError> {
        decode_avps_at(&self.0, 1)
    }

    /// Address: a 2-byte address family followed by an IPv4 (family 1, 4 bytes) or IPv6
    /// (family 2, 16 bytes) address. Other families give `None`.
    pub fn as_address(&self) -> Option<IpAddr> {
        let (family, address) = self.0.split_first_chunk::<2>()?;
        match u16::from_be_bytes(*family) {
            ADDRESS_FAMILY_IPV4 => {
                let octets: [u8; 4] = address.try_into().ok()?;
                Some(IpAddr::V4(Ipv4Addr::from(octets)))
            }
            ADDRESS_FAMILY_IPV6 => {
                let octets: [u8; 16] = address.try_into().ok()?;
                Some(IpAddr::V6(Ipv6Addr::from(octets)))
            }
            _ => None,
        }
    }

    /// Time: NTP seconds (since 1900-01-01, wrapping in 2036; see [`ntp_to_unix_seconds`]).
    pub fn as_time(&self) -> Option<u32> {
        self.as_u32()
    }
}

/// One AVP: code, flags, optional Vendor-ID and data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Avp {
    /// AVP code; with `vendor_id` it identifies the attribute.
    pub code: u32,
    /// Flags; `flags.vendor` mirrors `vendor_id.is_some()`.
    pub flags: AvpFlags,
    /// Vendor-ID, present iff the V flag is set (10415 for 3GPP).
    pub vendor_id: Option<u32>,
    /// The data, without padding.
    pub data: AvpData,
}

impl Avp {
    /// An AVP with raw data. The V flag is set iff `vendor` is `Some`.
    pub fn new(code: u32, vendor: Option<u32>, mandatory: bool, data: impl Into<AvpData>) -> Avp {
        Avp {
            code,
            flags: AvpFlags { vendor: vendor.is_some(), mandatory, protected: false },
            vendor_id: vendor,
            data: data.into(),
        }
    }

    /// An Unsigned32 AVP.
    pub fn u32(code: u32, vendor: Option<u32>, mandatory: bool, value: u32) -> Avp {
        Avp::new(code, vendor, mandatory, value.to_be_bytes().to_vec())
    }

    /// An Unsigned64 AVP.
    pub fn u64(code: u32, vendor: Option<u32>, mandatory: bool, value: u64) -> Avp {
        Avp::new(code, vendor, mandatory, value.to_be_bytes().to_vec())
    }

    /// An Integer32 AVP.
    pub fn i32(code: u32, vendor: Option<u32>, mandatory: bool, value: i32) -> Avp {
        Avp::new(code, vendor, mandatory, value.to_be_bytes().to_vec())
    }

    /// An Integer64 AVP.
    pub fn i64(code: u32, vendor: Option<u32>, mandatory: bool, value: i64) -> Avp {
        Avp::new(code, vendor, mandatory, value.to_be_bytes().to_vec())
    }

    /// An Enumerated AVP. Enumerated is Integer32 on the wire; every value this crate names is
    /// non-negative, so values are handled as `u32` (same 4 bytes).
    pub fn enumerated(code: u32, vendor: Option<u32>, mandatory: bool, value: u32) -> Avp {
        Avp::u32(code, vendor, mandatory, value)
    }

    /// A UTF8String (or DiameterIdentity) AVP.
    pub fn utf8(code: u32, vendor: Option<u32>, mandatory: bool, value: &str) -> Avp {
        Avp::new(code, vendor, mandatory, value.as_bytes().to_vec())
    }

    /// An OctetString AVP.
    pub fn octets(code: u32, vendor: Option<u32>, mandatory: bool, value: impl Into<Vec<u8>>) -> Avp {
        Avp::new(code, vendor, mandatory, value.into())
    }

    /// A Grouped AVP containing `avps` (each encoded with its padding).
    pub fn grouped(code: u32, vendor: Option<u32>, mandatory: bool, avps: Vec<Avp>) -> Avp {
        let mut data = Vec::with_capacity(avps.iter().map(Avp::encoded_len).sum());
        for avp in &avps {
            avp.encode_into(&mut data);
        }
        Avp::new(code, vendor, mandatory, data)
    }

    /// An Address AVP (family 1 + 4 bytes for IPv4, family 2 + 16 bytes for IPv6).
    pub fn address(code: u32, vendor: Option<u32>, mandatory: bool, address: IpAddr) -> Avp {
        let mut data = Vec::with_capacity(18);
        match address {
            IpAddr::V4(v4) => {
                data.extend_from_slice(&ADDRESS_FAMILY_IPV4.to_be_bytes());
                data.extend_from_slice(&v4.octets());
            }
            IpAddr::V6(v6) => {
                data.extend_from_slice(&ADDRESS_FAMILY_IPV6.to_be_bytes());
                data.extend_from_slice(&v6.octets());
            }
        }
        Avp::new(code, vendor, mandatory, data)
    }

    /// A Time AVP from NTP seconds (see [`unix_to_ntp_seconds`]).
    pub fn time(code: u32, vendor: Option<u32>, mandatory: bool, ntp_seconds: u32) -> Avp {
        Avp::u32(code, vendor, mandatory, ntp_seconds)
    }

    /// Whether this AVP has the given code and vendor (`None` = no Vendor-ID).
    pub fn is(&self, code: u32, vendor: Option<u32>) -> bool {
        self.code == code && self.vendor_id == vendor
    }

    fn bad_value(&self) -> DecodeError {
        DecodeError::BadAvpValue { code: self.code }
    }

    /// The data as Unsigned32, or `BadAvpValue` unless it is exactly 4 bytes.
    pub fn as_u32(&self) -> Result<u32, DecodeError> {
        self.data.as_u32().ok_or_else(|| self.bad_value())
    }

    /// The data as Unsigned64, or `BadAvpValue` unless it is exactly 8 bytes.
    pub fn as_u64(&self) -> Result<u64, DecodeError> {
        self.data.as_u64().ok_or_else(|| self.bad_value())
    }

    /// The data as Integer32, or `BadAvpValue` unless it is exactly 4 bytes.
    pub fn as_i32(&self) -> Result<i32, DecodeError> {
        self.data.as_i32().ok_or_else(|| self.bad_value())
    }

    /// The data as Integer64, or `BadAvpValue` unless it is exactly 8 bytes.
    pub fn as_i64(&self) -> Result<i64, DecodeError> {
        self.data.as_i64().ok_or_else(|| self.bad_value())
    }

    /// The data as UTF-8 text, or `BadAvpValue` if it is not valid UTF-8.
    pub fn as_utf8(&self) -> Result<&str, DecodeError> {
        self.data.as_utf8().ok_or_else(|| self.bad_value())
    }

    /// The data as raw octets.
    pub fn as_octets(&self) -> &[u8] {
        self.data.as_octets()
    }

    /// The AVPs inside this Grouped AVP.
    pub fn as_grouped(&self) -> Result<Vec<Avp>, DecodeError> {
        self.data.as_grouped()
    }

    /// The data as an IPv4/IPv6 Address, or `BadAvpValue`.
    pub fn as_address(&self) -> Result<IpAddr, DecodeError> {
        self.data.as_address().ok_or_else(|| self.bad_value())
    }

    /// The data as Time (NTP seconds), or `BadAvpValue` unless it is exactly 4 bytes.
    pub fn as_time(&self) -> Result<u32, DecodeError> {
        self.data.as_time().ok_or_else(|| self.bad_value())
    }

    /// Size of the AVP header: 12 with a Vendor-ID, 8 without.
    pub fn header_len(&self) -> usize {
        if self.vendor_id.is_some() { AVP_VENDOR_HEADER_LEN } else { AVP_HEADER_LEN }
    }

    /// The value of the AVP Length field: header plus data, padding excluded.
    pub fn length(&self) -> usize {
        self.header_len().saturating_add(self.data.len())
    }

    /// Bytes the AVP occupies on the wire: [`Avp::length`] rounded up to a multiple of 4.
    pub fn encoded_len(&self) -> usize {
        padded(self.length())
    }

    /// Appends the encoded AVP (with zero padding) to `out`.
    ///
    /// The V flag is written from `vendor_id`. A length over 16 MiB − 1 cannot be represented and
    /// is written as 0xFFFFFF; [`Avp::try_encode_into`] reports it instead.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        let length = self.length();
        let flags = AvpFlags { vendor: self.vendor_id.is_some(), ..self.flags };
        out.reserve(padded(length));
        out.extend_from_slice(&self.code.to_be_bytes());
        out.push(flags.to_byte());
        out.extend_from_slice(&u24_bytes(u32::try_from(length).unwrap_or(MAX_U24).min(MAX_U24)));
        if let Some(vendor) = self.vendor_id {
            out.extend_from_slice(&vendor.to_be_bytes());
        }
        out.extend_from_slice(self.data.as_bytes());
        out.resize(out.len().saturating_add(padded(length).saturating_sub(length)), 0);
    }

    /// Like [`Avp::encode_into`], but fails instead of writing a length that does not fit.
    pub fn try_encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let length = self.length();
        if length > MAX_U24 as usize {
            return Err(EncodeError::TooLong { len: length });
        }
        self.encode_into(out);
        Ok(())
    }

    /// The encoded AVP, padding included.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out);
        out
    }

    /// Decodes the first AVP in `bytes`; returns it and the number of bytes it occupied
    /// (padding included when present). Grouped AVPs known to the dictionary are checked to
    /// [`MAX_DEPTH`].
    pub fn decode(bytes: &[u8]) -> Result<(Avp, usize), DecodeError> {
        let (raw, used) = split_avp(bytes)?;
        check_nested(&raw, 0)?;
        Ok((raw.to_avp(), used))
    }
}

/// Decodes a sequence of AVPs filling `bytes` exactly (e.g. a grouped AVP's data).
pub fn decode_avps(bytes: &[u8]) -> Result<Vec<Avp>, DecodeError> {
    decode_avps_at(bytes, 0)
}

/// `n` rounded up to a multiple of 4 (saturating).
pub(crate) fn padded(n: usize) -> usize {
    n.saturating_add(3) & !3
}

/// An AVP borrowed from the input.
struct RawAvp<'a> {
    code: u32,
    flags: AvpFlags,
    vendor_id: Option<u32>,
    data: &'a [u8],
}

impl RawAvp<'_> {
    fn to_avp(&self) -> Avp {
        Avp { code: self.code, flags: self.flags, vendor_id: self.vendor_id, data: AvpData(self.data.to_vec()) }
    }
}

/// Splits the first AVP off `bytes`. The length field is checked against the bytes present; the
/// padding after the last AVP may be missing (some peers omit it inside grouped AVPs).
fn split_avp(bytes: &[u8]) -> Result<(RawAvp<'_>, usize), DecodeError> {
    let Some(&[c0, c1, c2, c3, flags, l0, l1, l2]) = bytes.first_chunk::<AVP_HEADER_LEN>() else {
        return Err(DecodeError::Truncated);
    };
    let code = u32::from_be_bytes([c0, c1, c2, c3]);
    let flags = AvpFlags::from_byte(flags);
    let length = u32::from_be_bytes([0, l0, l1, l2]) as usize;
    let header_len = if flags.vendor { AVP_VENDOR_HEADER_LEN } else { AVP_HEADER_LEN };
    if length < header_len || length > bytes.len() {
        return Err(DecodeError::BadAvpLength { code });
    }
    let vendor_id = if flags.vendor {
        let vendor = bytes
            .get(AVP_HEADER_LEN..AVP_VENDOR_HEADER_LEN)
            .and_then(|v| <[u8; 4]>::try_from(v).ok())
            .ok_or(DecodeError::BadAvpLength { code })?;
        Some(u32::from_be_bytes(vendor))
    } else {
        None
    };
    let data = bytes.get(header_len..length).ok_or(DecodeError::BadAvpLength { code })?;
    let used = padded(length).min(bytes.len());
    Ok((RawAvp { code, flags, vendor_id, data }, used))
}

/// If `raw` is grouped per the dictionary, checks its contents (it sits at nesting `level`).
fn check_nested(raw: &RawAvp<'_>, level: usize) -> Result<(), DecodeError> {
    if dictionary::avp_type(raw.code, raw.vendor_id) != Some(AvpType::Grouped) {
        return Ok(());
    }
    let inner = level + 1;
    if inner > MAX_DEPTH {
        return Err(DecodeError::TooDeep);
    }
    let mut rest = raw.data;
    while !rest.is_empty() {
        let (child, used) = split_avp(rest)?;
        check_nested(&child, inner)?;
        rest = rest.get(used..).unwrap_or_default();
    }
    Ok(())
}

/// Decodes the AVPs filling `bytes`, which sit at nesting `level`.
pub(crate) fn decode_avps_at(bytes: &[u8], level: usize) -> Result<Vec<Avp>, DecodeError> {
    if level > MAX_DEPTH {
        return Err(DecodeError::TooDeep);
    }
    let mut avps = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (raw, used) = split_avp(rest)?;
        check_nested(&raw, level)?;
        avps.push(raw.to_avp());
        rest = rest.get(used..).unwrap_or_default();
    }
    Ok(avps)
}

/// Converts Diameter Time (NTP seconds) to Unix seconds, using the SNTP rule RFC 6733 requires:
/// values with the top bit clear are taken to be after the 2036 wrap (until 2104).
pub fn ntp_to_unix_seconds(ntp: u32) -> i64 {
    let ntp = i64::from(ntp);
    if ntp >= 1 << 31 { ntp - NTP_UNIX_OFFSET } else { ntp + (1 << 32) - NTP_UNIX_OFFSET }
}

/// Converts Unix seconds to Diameter Time (NTP seconds); `None` outside 1968-01-20 … 2104-02-26,
/// the window [`ntp_to_unix_seconds`] can represent.
pub fn unix_to_ntp_seconds(unix: i64) -> Option<u32> {
    let ntp = unix.checked_add(NTP_UNIX_OFFSET)?;
    let ntp = if ntp >= 1 << 32 { ntp - (1 << 32) } else { ntp };
    let ntp = u32::try_from(ntp).ok()?;
    (ntp_to_unix_seconds(ntp) == unix).then_some(ntp)
}
