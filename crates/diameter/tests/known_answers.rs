//! Known-answer tests: encodings derived by hand from RFC 6733 §3 / §4, checked byte by byte.

use keepsim_diameter::dictionary::{avp, avp_3gpp, command, subscription_id_type, vendor};
use keepsim_diameter::gy::{LocalPeer, dwr};
use keepsim_diameter::{Avp, AvpFlags, CommandFlags, DecodeError, Header, Message, frame_len};

/// Asserts equality byte by byte so a failure names the first differing offset.
fn assert_bytes(actual: &[u8], expected_hex: &str) {
    let expected = hex::decode(expected_hex.replace(char::is_whitespace, "")).expect("test hex is valid");
    for (offset, (a, e)) in actual.iter().zip(&expected).enumerate() {
        assert_eq!(a, e, "byte {offset}: got {a:02x}, expected {e:02x}\nactual:   {}", hex::encode(actual));
    }
    assert_eq!(actual.len(), expected.len(), "length differs; actual {}", hex::encode(actual));
}

// Header: version 01, length 0x000040 (64), flags 0x80 (R), command 0x000118 (280), application 0,
// hop-by-hop 0x12345678, end-to-end 0x9abcdef0.
// Origin-Host: code 0x108 (264), flags 0x40 (M), length 8 + 15 = 23 (0x17), "pgw.example.com", 1 pad byte.
// Origin-Realm: code 0x128 (296), flags 0x40, length 8 + 11 = 19 (0x13), "example.com", 1 pad byte.
// 20 + 24 + 20 = 64 bytes.
const DWR_HEX: &str = "
    01 000040 80 000118 00000000 12345678 9abcdef0
    00000108 40 000017 7067772e 6578616d 706c652e 636f6d 00
    00000128 40 000013 6578616d 706c652e 636f6d 00";

#[test]
fn dwr_from_pgw_encodes_to_the_bytes_rfc_6733_prescribes() {
    let by_hand = Message::request(command::DEVICE_WATCHDOG, 0, 0x1234_5678, 0x9abc_def0)
        .with_avp(Avp::utf8(avp::ORIGIN_HOST, None, true, "pgw.example.com"))
        .with_avp(Avp::utf8(avp::ORIGIN_REALM, None, true, "example.com"));
    assert_bytes(&by_hand.encode(), DWR_HEX);
    assert_eq!(by_hand.header.length, 64, "builder keeps the header length up to date");

    let built = dwr(&LocalPeer::new("pgw.example.com", "example.com", vec![]), 0x1234_5678, 0x9abc_def0);
    assert_bytes(&built.encode(), DWR_HEX);
}

#[test]
fn dwr_bytes_decode_to_the_expected_fields() {
    let bytes = hex::decode(DWR_HEX.replace(char::is_whitespace, "")).expect("test hex is valid");
    assert_eq!(frame_len(&bytes, 4096), Ok(Some(64)));
    let message = Message::decode(&bytes, 4096).expect("valid DWR");
    assert_eq!(
        message.header,
        Header {
            version: 1,
            length: 64,
            flags: CommandFlags { request: true, proxiable: false, error: false, retransmit: false },
            command_code: 280,
            application_id: 0,
            hop_by_hop: 0x1234_5678,
            end_to_end: 0x9abc_def0,
        }
    );
    assert_eq!(message.avps.len(), 2);
    let host = message.find(avp::ORIGIN_HOST).expect("Origin-Host present");
    assert_eq!(host.flags, AvpFlags { vendor: false, mandatory: true, protected: false });
    assert_eq!(host.vendor_id, None);
    assert_eq!(host.as_utf8(), Ok("pgw.example.com"));
    assert_eq!(host.data.len(), 15, "padding is not part of the data");
    assert_eq!(message.find(avp::ORIGIN_REALM).and_then(|a| a.as_utf8().ok()), Some("example.com"));
    assert_eq!(message.encode(), bytes);
}

#[test]
fn vendor_specific_avp_has_a_12_byte_header_and_is_padded_to_4() {
    // Code 18, flags 0x80 (V), length 12 + 5 = 17 (0x11), Vendor-ID 10415 (0x28af), "44010", 3 pad bytes.
    let plmn = Avp::utf8(avp_3gpp::SGSN_MCC_MNC, Some(vendor::THREE_GPP), false, "44010");
    assert_eq!(plmn.length(), 17);
    assert_eq!(plmn.encoded_len(), 20);
    assert_bytes(&plmn.encode(), "00000012 80 000011 000028af 34343031 30 000000");

    let (decoded, used) = Avp::decode(&plmn.encode()).expect("valid AVP");
    assert_eq!(used, 20);
    assert_eq!(decoded, plmn);
    assert!(decoded.flags.vendor);
    assert_eq!(decoded.vendor_id, Some(10415));
}

#[test]
fn grouped_subscription_id_pads_its_members_and_counts_their_padding() {
    // Subscription-Id-Type: code 450 (0x1c2), M, length 12, E.164 = 0.
    // Subscription-Id-Data: code 444 (0x1bc), M, length 8 + 13 = 21 (0x15), 3 pad bytes -> 24 bytes.
    // Subscription-Id: code 443 (0x1bb), M, length 8 + 12 + 24 = 44 (0x2c).
    let id = Avp::grouped(
        avp::SUBSCRIPTION_ID,
        None,
        true,
        vec![
            Avp::enumerated(avp::SUBSCRIPTION_ID_TYPE, None, true, subscription_id_type::E164),
            Avp::utf8(avp::SUBSCRIPTION_ID_DATA, None, true, "4477009001234"),
        ],
    );
    assert_bytes(
        &id.encode(),
        "000001bb 40 00002c
           000001c2 40 00000c 00000000
           000001bc 40 000015 34343737 30303930 30313233 34 000000",
    );
    let members = id.as_grouped().expect("valid grouped");
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].as_u32(), Ok(0));
    assert_eq!(members[1].as_utf8(), Ok("4477009001234"));
}

#[test]
fn ipv4_host_ip_address_carries_the_address_family() {
    // Host-IP-Address: code 257 (0x101), M, length 8 + 2 + 4 = 14 (0x0e), family 1, 127.0.0.1, 2 pad bytes.
    let address = Avp::address(avp::HOST_IP_ADDRESS, None, true, "127.0.0.1".parse().expect("literal"));
    assert_bytes(&address.encode(), "00000101 40 00000e 0001 7f000001 0000");
    assert_eq!(address.as_address(), Ok("127.0.0.1".parse().expect("literal")));

    // family 2 + 16 bytes: length 26, 2 pad bytes.
    let v6 = Avp::address(avp::HOST_IP_ADDRESS, None, true, "2001:db8::1".parse().expect("literal"));
    assert_bytes(&v6.encode(), "00000101 40 00001a 0002 20010db8000000000000000000000001 0000");
}

#[test]
fn header_claiming_16_mib_is_refused_as_too_long_before_any_body_is_read() {
    // The length field has 24 bits, so the largest claim a header can make is 0xFFFFFC (multiple
    // of 4, ~16 MiB); a "4 GiB" claim is not expressible. Only the 20 header bytes are supplied:
    // TooLong (not Truncated) shows the limit is checked before the body is looked at, so nothing
    // proportional to the claim is allocated.
    let mut bytes = hex::decode("01fffffc 80000110 00000004 00000001 00000001".replace(' ', "")).expect("hex");
    assert_eq!(Message::decode(&bytes, 64 * 1024), Err(DecodeError::TooLong { len: 0xFF_FFFC, max: 65_536 }));
    assert_eq!(frame_len(&bytes[..4], 64 * 1024), Err(DecodeError::TooLong { len: 0xFF_FFFC, max: 65_536 }));
    bytes.truncate(4);
    assert_eq!(Message::decode(&bytes, 64 * 1024), Err(DecodeError::TooLong { len: 0xFF_FFFC, max: 65_536 }));
}
