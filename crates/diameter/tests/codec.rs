//! Decoding and encoding edge cases: framing, hostile lengths, nesting, typed accessors, helpers.

use keepsim_diameter::avp::{MAX_DEPTH, decode_avps, ntp_to_unix_seconds, unix_to_ntp_seconds};
use keepsim_diameter::dictionary::{self, AvpType, application, avp, avp_3gpp, command, result_code, vendor};
use keepsim_diameter::{Avp, AvpData, DecodeError, EncodeError, FindAvp, Message, frame_len};

const MAX: u32 = 64 * 1024;

fn header(length: u32) -> Vec<u8> {
    let mut bytes = vec![1];
    bytes.extend_from_slice(&length.to_be_bytes()[1..]);
    bytes.extend_from_slice(&[0x80, 0, 1, 0x10]); // R, command 272
    bytes.extend_from_slice(&4u32.to_be_bytes());
    bytes.extend_from_slice(&[0; 8]);
    bytes
}

/// A message whose body is `body` verbatim, with a header claiming the right length.
fn message_with_body(body: &[u8]) -> Vec<u8> {
    let mut bytes = header(20 + body.len() as u32);
    bytes.extend_from_slice(body);
    bytes
}

fn sample() -> Message {
    Message::request(command::CREDIT_CONTROL, application::CREDIT_CONTROL, 7, 9)
        .with_proxiable(true)
        .with_avp(Avp::utf8(avp::SESSION_ID, None, true, "pgw;1;2"))
        .with_avp(Avp::u32(avp::CC_REQUEST_NUMBER, None, true, 0))
        .with_avp(Avp::utf8(avp_3gpp::SGSN_MCC_MNC, Some(vendor::THREE_GPP), true, "44010"))
        .with_avp(Avp::u32(avp::RATING_GROUP, None, true, 10))
        .with_avp(Avp::u32(avp::RATING_GROUP, None, true, 20))
}

#[test]
fn frame_len_waits_for_four_bytes_then_knows_the_length() {
    let bytes = sample().encode();
    assert_eq!(frame_len(&[], MAX), Ok(None));
    assert_eq!(frame_len(&bytes[..1], MAX), Ok(None));
    assert_eq!(frame_len(&bytes[..3], MAX), Ok(None));
    for end in 4..=bytes.len() {
        assert_eq!(frame_len(&bytes[..end], MAX), Ok(Some(bytes.len())));
    }
}

#[test]
fn frame_len_rejects_what_can_never_become_a_message() {
    assert_eq!(frame_len(&[2], MAX), Err(DecodeError::BadVersion));
    assert_eq!(frame_len(&[0, 0, 0, 20], MAX), Err(DecodeError::BadVersion));
    assert_eq!(frame_len(&[1, 0, 0, 16], MAX), Err(DecodeError::BadLength));
    assert_eq!(frame_len(&[1, 0, 0, 0], MAX), Err(DecodeError::BadLength));
    assert_eq!(frame_len(&[1, 0, 0, 22], MAX), Err(DecodeError::BadLength));
    assert_eq!(frame_len(&[1, 0, 1, 0], 255), Err(DecodeError::TooLong { len: 256, max: 255 }));
    assert_eq!(frame_len(&[1, 0, 1, 0], 256), Ok(Some(256)));
}

#[test]
fn frame_len_cuts_a_stream_of_messages_apart() {
    let first = sample();
    let second = Message::answer_for(&first).with_avp(Avp::u32(avp::RESULT_CODE, None, true, 2001));
    let mut stream = first.encode();
    stream.extend(second.encode());
    stream.extend(&first.encode()[..7]);

    let mut decoded = Vec::new();
    let mut rest = stream.as_slice();
    while let Some(len) = frame_len(rest, MAX).expect("valid stream") {
        if rest.len() < len {
            break;
        }
        decoded.push(Message::decode(&rest[..len], MAX).expect("valid message"));
        rest = &rest[len..];
    }
    assert_eq!(decoded, vec![first, second]);
    assert_eq!(rest.len(), 7, "the incomplete third message stays buffered");
}

#[test]
fn decode_checks_the_input_against_the_header_length() {
    let bytes = sample().encode();
    assert_eq!(Message::decode(&bytes[..bytes.len() - 4], MAX), Err(DecodeError::Truncated));
    assert_eq!(Message::decode(&bytes[..2], MAX), Err(DecodeError::Truncated));
    assert_eq!(Message::decode(&[], MAX), Err(DecodeError::Truncated));
    let mut longer = bytes.clone();
    longer.extend([0; 4]);
    assert_eq!(Message::decode(&longer, MAX), Err(DecodeError::BadLength));
    assert_eq!(Message::decode(&bytes, 20), Err(DecodeError::TooLong { len: bytes.len() as u32, max: 20 }));
    let mut version_2 = bytes.clone();
    version_2[0] = 2;
    assert_eq!(Message::decode(&version_2, MAX), Err(DecodeError::BadVersion));
}

#[test]
fn header_only_message_has_no_avps() {
    let message = Message::decode(&header(20), MAX).expect("empty message is valid");
    assert!(message.avps.is_empty());
    assert!(message.is_request());
}

#[test]
fn avp_length_running_past_the_message_is_rejected_with_its_code() {
    // Result-Code claiming 16 bytes where 12 remain.
    let body = [0, 0, 1, 12, 0x40, 0, 0, 16, 0, 0, 7, 209];
    assert_eq!(Message::decode(&message_with_body(&body), MAX), Err(DecodeError::BadAvpLength { code: 268 }));
}

#[test]
fn avp_length_shorter_than_its_header_is_rejected() {
    let body = [0, 0, 1, 12, 0x40, 0, 0, 7, 0, 0, 0, 0];
    assert_eq!(Message::decode(&message_with_body(&body), MAX), Err(DecodeError::BadAvpLength { code: 268 }));
    // Zero length must not loop forever.
    let body = [0, 0, 1, 12, 0x40, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(Message::decode(&message_with_body(&body), MAX), Err(DecodeError::BadAvpLength { code: 268 }));
    // V flag set: the header is 12 bytes, so length 8..=11 is too short.
    let body = [0, 0, 0, 18, 0xC0, 0, 0, 11, 0, 0, 0x28, 0xaf];
    assert_eq!(Message::decode(&message_with_body(&body), MAX), Err(DecodeError::BadAvpLength { code: 18 }));
}

#[test]
fn trailing_bytes_too_short_for_an_avp_header_are_truncation() {
    let body = [0, 0, 1, 12];
    assert_eq!(Message::decode(&message_with_body(&body), MAX), Err(DecodeError::Truncated));
}

#[test]
fn broken_avp_inside_a_known_grouped_avp_fails_the_whole_message() {
    // Subscription-Id (443) whose member claims 40 bytes.
    let inner = [0, 0, 1, 0xc2, 0x40, 0, 0, 40, 0, 0, 0, 0];
    let mut body = vec![0, 0, 1, 0xbb, 0x40, 0, 0, 20];
    body.extend_from_slice(&inner);
    assert_eq!(Message::decode(&message_with_body(&body), MAX), Err(DecodeError::BadAvpLength { code: 450 }));
}

#[test]
fn unknown_avps_are_kept_opaque_even_if_they_look_grouped() {
    let opaque = Avp::octets(99_999, Some(12_345), true, vec![0xff; 9]);
    let message = Message::request(272, 4, 1, 1).with_avp(opaque.clone());
    let decoded = Message::decode(&message.encode(), MAX).expect("opaque data is fine");
    assert_eq!(decoded.avps, vec![opaque]);
    assert!(decoded.avps[0].as_grouped().is_err(), "but it does not decode as grouped");
}

fn nested_failed_avp(levels: usize) -> Avp {
    let mut avp = Avp::u32(avp::RESULT_CODE, None, true, 5004);
    for _ in 0..levels {
        avp = Avp::grouped(avp::FAILED_AVP, None, true, vec![avp]);
    }
    avp
}

#[test]
fn grouped_nesting_is_limited() {
    let deepest_allowed = Message::request(272, 4, 1, 1).with_avp(nested_failed_avp(MAX_DEPTH));
    assert!(Message::decode(&deepest_allowed.encode(), MAX).is_ok());
    let too_deep = Message::request(272, 4, 1, 1).with_avp(nested_failed_avp(MAX_DEPTH + 1));
    assert_eq!(Message::decode(&too_deep.encode(), MAX), Err(DecodeError::TooDeep));
    assert_eq!(nested_failed_avp(MAX_DEPTH + 1).as_grouped(), Err(DecodeError::TooDeep));
    assert_eq!(Avp::decode(&nested_failed_avp(MAX_DEPTH + 1).encode()).map(|(a, _)| a), Err(DecodeError::TooDeep));
}

#[test]
fn missing_padding_after_the_last_member_of_a_grouped_avp_is_tolerated() {
    // Subscription-Id with a 13-byte Subscription-Id-Data and no padding after it (some peers do this).
    let mut inner = Avp::utf8(avp::SUBSCRIPTION_ID_DATA, None, true, "4477009001234").encode();
    inner.truncate(21);
    let avps = decode_avps(&inner).expect("tolerated");
    assert_eq!(avps[0].as_utf8(), Ok("4477009001234"));
}

#[test]
fn typed_accessors_reject_values_of_the_wrong_size() {
    let three_bytes = Avp::octets(avp::RESULT_CODE, None, true, vec![0, 7, 209]);
    assert_eq!(three_bytes.as_u32(), Err(DecodeError::BadAvpValue { code: 268 }));
    assert_eq!(three_bytes.as_i32(), Err(DecodeError::BadAvpValue { code: 268 }));
    assert_eq!(three_bytes.as_time(), Err(DecodeError::BadAvpValue { code: 268 }));
    assert_eq!(three_bytes.as_u64(), Err(DecodeError::BadAvpValue { code: 268 }));
    assert_eq!(three_bytes.as_i64(), Err(DecodeError::BadAvpValue { code: 268 }));
    assert_eq!(three_bytes.as_address(), Err(DecodeError::BadAvpValue { code: 268 }));
    assert_eq!(three_bytes.as_octets(), &[0, 7, 209]);
    let not_utf8 = Avp::octets(avp::SESSION_ID, None, true, vec![0xff, 0xfe]);
    assert_eq!(not_utf8.as_utf8(), Err(DecodeError::BadAvpValue { code: 263 }));
    let e164_address = Avp::octets(avp::HOST_IP_ADDRESS, None, true, vec![0, 8, 1, 2, 3, 4]);
    assert_eq!(e164_address.as_address(), Err(DecodeError::BadAvpValue { code: 257 }));
    let short_v6 = Avp::octets(avp::HOST_IP_ADDRESS, None, true, vec![0, 2, 1, 2, 3, 4]);
    assert_eq!(short_v6.as_address(), Err(DecodeError::BadAvpValue { code: 257 }));
}

#[test]
fn typed_constructors_round_trip_through_their_accessors() {
    assert_eq!(Avp::u32(1, None, true, u32::MAX).as_u32(), Ok(u32::MAX));
    assert_eq!(Avp::u64(1, None, true, u64::MAX - 1).as_u64(), Ok(u64::MAX - 1));
    assert_eq!(Avp::i32(1, None, true, -5).as_i32(), Ok(-5));
    assert_eq!(Avp::i64(1, None, true, i64::MIN).as_i64(), Ok(i64::MIN));
    assert_eq!(Avp::time(avp::EVENT_TIMESTAMP, None, true, 3_900_000_000).as_time(), Ok(3_900_000_000));
    assert_eq!(Avp::utf8(1, None, true, "héllo").as_utf8(), Ok("héllo"));
    let data = AvpData::new(vec![0, 0, 0, 4]);
    assert_eq!(data.as_u32(), Some(4));
    assert_eq!(data.as_u64(), None);
    assert_eq!(format!("{data:?}"), "AvpData(0x00000004)");
}

#[test]
fn diameter_time_converts_across_the_2036_wrap() {
    assert_eq!(ntp_to_unix_seconds(2_208_988_800), 0);
    assert_eq!(unix_to_ntp_seconds(0), Some(2_208_988_800));
    // 2036-02-07T06:28:16Z is NTP 0 of the next era.
    assert_eq!(ntp_to_unix_seconds(0), 2_085_978_496);
    assert_eq!(unix_to_ntp_seconds(2_085_978_496), Some(0));
    assert_eq!(unix_to_ntp_seconds(1_767_225_600), Some(3_976_214_400)); // 2026-01-01
    assert_eq!(unix_to_ntp_seconds(-100_000_000), None);
    assert_eq!(unix_to_ntp_seconds(i64::MAX), None);
    for ntp in [0, 1, (1 << 31) - 1, 1 << 31, u32::MAX] {
        assert_eq!(unix_to_ntp_seconds(ntp_to_unix_seconds(ntp)), Some(ntp));
    }
}

#[test]
fn answer_for_copies_identifiers_and_clears_the_request_flag() {
    let mut request = sample();
    request.header.flags.retransmit = true;
    let answer = Message::answer_for(&request);
    assert_eq!(answer.header.command_code, 272);
    assert_eq!(answer.header.application_id, 4);
    assert_eq!(answer.header.hop_by_hop, 7);
    assert_eq!(answer.header.end_to_end, 9);
    assert!(!answer.header.flags.request);
    assert!(answer.header.flags.proxiable);
    assert!(!answer.header.flags.retransmit);
    assert!(!answer.header.flags.error);
    assert!(answer.avps.is_empty());
    assert_eq!(answer.header.length, 20);
}

#[test]
fn find_distinguishes_vendors() {
    let message = sample();
    assert_eq!(message.find(avp::SESSION_ID).and_then(|a| a.as_utf8().ok()), Some("pgw;1;2"));
    assert!(message.find(avp_3gpp::SGSN_MCC_MNC).is_none(), "code 18 without vendor is another AVP");
    assert!(message.find_vendor(avp_3gpp::SGSN_MCC_MNC, vendor::THREE_GPP).is_some());
    let groups: Vec<u32> = message.find_all(avp::RATING_GROUP).filter_map(|a| a.as_u32().ok()).collect();
    assert_eq!(groups, vec![10, 20]);
    assert_eq!(message.find_all_vendor(avp_3gpp::SGSN_MCC_MNC, vendor::THREE_GPP).count(), 1);
    assert!(message.avps.find(avp::SESSION_ID).is_some(), "FindAvp works on plain slices too");
}

#[test]
fn header_length_tracks_pushes_and_matches_the_encoding() {
    let mut message = sample();
    assert_eq!(message.header.length as usize, message.encode().len());
    message.avps.push(Avp::utf8(avp::USER_NAME, None, true, "x"));
    message.update_length();
    assert_eq!(message.header.length as usize, message.encode().len());
    assert_eq!(message.encoded_len(), message.encode().len());
}

#[test]
fn reserved_flag_bits_are_ignored() {
    let mut bytes = sample().encode();
    bytes[4] |= 0x0f; // reserved command flags
    bytes[20 + 4] |= 0x1f; // reserved AVP flags of Session-Id
    let decoded = Message::decode(&bytes, MAX).expect("reserved bits are not an error");
    assert_eq!(decoded, sample());
}

#[test]
fn try_encode_reports_fields_that_do_not_fit() {
    let mut message = sample();
    message.header.command_code = 0x0100_0000;
    assert_eq!(message.try_encode(), Err(EncodeError::CommandCodeOutOfRange { code: 0x0100_0000 }));
    let huge = Message::request(272, 4, 1, 1).with_avp(Avp::octets(1, None, false, vec![0; 0x0100_0000]));
    assert_eq!(huge.try_encode(), Err(EncodeError::TooLong { len: 20 + 8 + 0x0100_0000 }));
    assert!(sample().try_encode().is_ok());
}

#[test]
fn dictionary_knows_the_gy_avps_and_their_types() {
    assert_eq!(dictionary::avp_type(avp::SUBSCRIPTION_ID, None), Some(AvpType::Grouped));
    assert_eq!(dictionary::avp_type(avp::CC_TOTAL_OCTETS, None), Some(AvpType::Unsigned64));
    assert_eq!(dictionary::avp_type(avp::ORIGIN_HOST, None), Some(AvpType::DiameterIdentity));
    assert_eq!(dictionary::avp_type(avp::EVENT_TIMESTAMP, Some(0)), Some(AvpType::Time));
    assert_eq!(dictionary::avp_type(avp_3gpp::SGSN_MCC_MNC, Some(vendor::THREE_GPP)), Some(AvpType::Utf8String));
    assert_eq!(dictionary::avp_type(avp_3gpp::REPORTING_REASON, Some(vendor::THREE_GPP)), Some(AvpType::Enumerated));
    assert_eq!(dictionary::avp_type(avp_3gpp::SERVICE_INFORMATION, None), None, "3GPP code without vendor");
    assert!(dictionary::is_known(avp::RATING_GROUP, None));
    assert!(!dictionary::is_known(avp::RATING_GROUP, Some(9)));
    assert!(!dictionary::is_known(12_345, None));
}

#[test]
fn unknown_mandatory_avp_is_found_for_a_5001_answer() {
    let unknown_optional = Avp::u32(4000, None, false, 1);
    let unknown_mandatory = Avp::u32(4001, Some(vendor::THREE_GPP), true, 1);
    let message = sample().with_avp(unknown_optional).with_avp(unknown_mandatory.clone());
    assert_eq!(dictionary::first_unsupported_mandatory(&message.avps), Some(&unknown_mandatory));
    assert_eq!(dictionary::first_unsupported_mandatory(&sample().avps), None);
}

#[test]
fn decode_errors_name_the_result_code_to_answer_with() {
    assert_eq!(DecodeError::BadAvpLength { code: 1 }.result_code(), result_code::INVALID_AVP_LENGTH);
    assert_eq!(DecodeError::BadAvpValue { code: 1 }.result_code(), result_code::INVALID_AVP_VALUE);
    assert_eq!(DecodeError::Truncated.result_code(), result_code::INVALID_MESSAGE_LENGTH);
    assert_eq!(DecodeError::TooLong { len: 1, max: 0 }.result_code(), result_code::INVALID_MESSAGE_LENGTH);
    assert_eq!(DecodeError::BadVersion.result_code(), result_code::UNSUPPORTED_VERSION);
    assert_eq!(DecodeError::BadAvpLength { code: 7 }.avp_code(), Some(7));
    assert_eq!(DecodeError::TooDeep.avp_code(), None);
}
