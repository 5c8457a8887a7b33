//! Properties: decoding never panics on any input (random bytes, mutated CCRs), encoding and
//! decoding are inverse, and `frame_len` agrees with `decode`.

use keepsim_diameter::dictionary::{
    self, AvpType, avp, cc_request_type, reporting_reason, subscription_id_type, vendor,
};
use keepsim_diameter::gy::{Ccr, Mscc, Units, error_answer};
use keepsim_diameter::{Avp, DecodeError, Message, frame_len};
use proptest::collection::vec;
use proptest::prelude::*;

const MAX: u32 = 64 * 1024;

/// Codes worth hitting on purpose: known leaves of every type, known grouped, and unknown.
fn code_and_vendor() -> impl Strategy<Value = (u32, Option<u32>)> {
    prop_oneof![
        (any::<u32>(), proptest::option::of(any::<u32>())),
        prop::sample::select(vec![
            (avp::SESSION_ID, None),
            (avp::RESULT_CODE, None),
            (avp::CC_TOTAL_OCTETS, None),
            (avp::HOST_IP_ADDRESS, None),
            (avp::EVENT_TIMESTAMP, None),
            (18, Some(vendor::THREE_GPP)),
            (872, Some(vendor::THREE_GPP)),
            (avp::SUBSCRIPTION_ID, None),
            (avp::MULTIPLE_SERVICES_CREDIT_CONTROL, None),
            (avp::USED_SERVICE_UNIT, None),
            (873, Some(vendor::THREE_GPP)),
            (874, Some(vendor::THREE_GPP)),
        ]),
    ]
}

fn is_known_grouped(code: u32, vendor: Option<u32>) -> bool {
    dictionary::avp_type(code, vendor) == Some(AvpType::Grouped)
}

/// A leaf AVP with arbitrary data; known grouped codes are excluded because their data must be AVPs.
fn leaf() -> impl Strategy<Value = Avp> {
    (code_and_vendor(), any::<bool>(), any::<bool>(), vec(any::<u8>(), 0..24))
        .prop_filter("known grouped AVPs must contain AVPs", |((code, vendor), ..)| !is_known_grouped(*code, *vendor))
        .prop_map(|((code, vendor), mandatory, protected, data)| {
            let mut avp = Avp::new(code, vendor, mandatory, data);
            avp.flags.protected = protected;
            avp
        })
}

fn avp_tree() -> impl Strategy<Value = Avp> {
    leaf().prop_recursive(4, 48, 5, |inner| {
        (code_and_vendor(), any::<bool>(), vec(inner, 0..5))
            .prop_map(|((code, vendor), mandatory, members)| Avp::grouped(code, vendor, mandatory, members))
    })
}

fn message() -> impl Strategy<Value = Message> {
    (0u32..=0xFF_FFFF, any::<u32>(), any::<u32>(), any::<u32>(), any::<[bool; 4]>(), vec(avp_tree(), 0..8)).prop_map(
        |(command, application, hop, end, [request, proxiable, error, retransmit], avps)| {
            let mut message = Message::request(command, application, hop, end).with_avps(avps);
            message.header.flags.request = request;
            message.header.flags.proxiable = proxiable;
            message.header.flags.error = error;
            message.header.flags.retransmit = retransmit;
            message
        },
    )
}

/// A realistic CCR-U, plus extra AVPs a PGW sends that the parser does not look at.
fn valid_ccr() -> Vec<u8> {
    Ccr {
        session_id: "pgw.example.com;1;42".into(),
        origin_host: "pgw.example.com".into(),
        origin_realm: "example.com".into(),
        request_type: cc_request_type::UPDATE,
        request_number: 3,
        subscription_ids: vec![
            (subscription_id_type::E164, "8613800138000".into()),
            (subscription_id_type::IMSI, "440100123456789".into()),
        ],
        requested_action: None,
        sgsn_mcc_mnc: Some("44010".into()),
        mscc: vec![
            Mscc {
                rating_group: Some(10),
                service_identifier: Some(1),
                requested: Some(Units::default()),
                used: vec![Units { total_octets: Some(1 << 20), time: Some(30), ..Units::default() }],
                reporting_reason: Some(reporting_reason::QUOTA_EXHAUSTED),
            },
            Mscc { rating_group: Some(20), used: vec![Units::default()], ..Mscc::default() },
        ],
        termination_cause: None,
    }
    .to_request("keepsim.local", 0x1111, 0x2222)
    .with_avp(Avp::time(avp::EVENT_TIMESTAMP, None, true, 3_976_214_400))
    .with_avp(Avp::octets(22, Some(vendor::THREE_GPP), false, vec![0x82, 0x44, 0xf0, 0x01, 0, 1]))
    .encode()
}

/// Offsets of every AVP header in an encoded message, nested ones (inside known grouped AVPs) included.
fn avp_offsets(bytes: &[u8]) -> Vec<usize> {
    fn walk(bytes: &[u8], start: usize, end: usize, out: &mut Vec<usize>) {
        let mut at = start;
        while at + 8 <= end {
            out.push(at);
            let code = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
            let has_vendor = bytes[at + 4] & 0x80 != 0;
            let len = u32::from_be_bytes([0, bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
            let header = if has_vendor { 12 } else { 8 };
            let vendor =
                has_vendor.then(|| u32::from_be_bytes([bytes[at + 8], bytes[at + 9], bytes[at + 10], bytes[at + 11]]));
            if is_known_grouped(code, vendor) {
                walk(bytes, at + header, at + len, out);
            }
            at += (len + 3) & !3;
        }
    }
    let mut out = Vec::new();
    walk(bytes, 20, bytes.len(), &mut out);
    out
}

/// Uses everything a server would use on a decoded message; must not panic whatever it holds.
fn exercise(message: &Message) {
    fn touch(avp: &Avp, depth: usize) {
        let _ = (avp.as_u32(), avp.as_u64(), avp.as_i32(), avp.as_i64(), avp.as_utf8(), avp.as_time());
        let _ = (avp.as_address(), avp.as_octets(), avp.encoded_len());
        if depth >= 20 {
            return;
        }
        for member in avp.as_grouped().unwrap_or_default() {
            touch(&member, depth + 1);
        }
    }
    for avp in &message.avps {
        touch(avp, 0);
    }
    let _ = dictionary::first_unsupported_mandatory(&message.avps);
    if let Err(error) = Ccr::parse(message) {
        let answer =
            error_answer(message, "ocs", "keepsim.local", error.result_code, error.failed_avp, Some(&error.message));
        assert!(Message::decode(&answer.encode(), 1 << 24).is_ok(), "our own answers always decode");
    }
    // Whatever decoded re-encodes to something that decodes to the same message.
    assert_eq!(Message::decode(&message.encode(), 1 << 24).as_ref(), Ok(message));
}

fn decode_and_exercise(bytes: &[u8]) -> Result<Message, DecodeError> {
    let decoded = Message::decode(bytes, MAX);
    if let Ok(message) = &decoded {
        exercise(message);
    }
    decoded
}

#[test]
fn the_sample_ccr_is_valid() {
    let bytes = valid_ccr();
    let message = decode_and_exercise(&bytes).expect("valid");
    assert!(Ccr::parse(&message).is_ok());
    assert!(avp_offsets(&bytes).len() > 20, "nested AVPs are found for mutation");
}

#[test]
fn truncating_a_ccr_anywhere_is_truncation() {
    let bytes = valid_ccr();
    for end in 0..bytes.len() {
        assert_eq!(Message::decode(&bytes[..end], MAX), Err(DecodeError::Truncated), "cut at {end}");
    }
}

#[test]
fn truncating_a_ccr_anywhere_with_a_matching_header_never_panics() {
    let bytes = valid_ccr();
    for end in (20..bytes.len()).step_by(4) {
        let mut cut = bytes[..end].to_vec();
        cut[1..4].copy_from_slice(&(end as u32).to_be_bytes()[1..]);
        let _ = decode_and_exercise(&cut);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn decode_never_panics_on_arbitrary_bytes(bytes in vec(any::<u8>(), 0..600), max in any::<u32>()) {
        let _ = Message::decode(&bytes, max);
        let _ = frame_len(&bytes, max);
        let _ = decode_and_exercise(&bytes);
    }

    #[test]
    fn decode_never_panics_on_arbitrary_avps_behind_a_valid_header(body in vec(any::<u8>(), 0..150).prop_map(|mut b| { b.truncate(b.len() / 4 * 4); b })) {
        let mut bytes = vec![1, 0, 0, 0, 0x80, 0, 1, 0x10, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 1];
        bytes[1..4].copy_from_slice(&(20 + body.len() as u32).to_be_bytes()[1..]);
        bytes.extend(body);
        let _ = decode_and_exercise(&bytes);
    }

    #[test]
    fn decode_never_panics_on_a_ccr_with_flipped_bytes(flips in vec((any::<prop::sample::Index>(), 1u8..=255), 1..8)) {
        let mut bytes = valid_ccr();
        for (index, mask) in flips {
            let at = index.index(bytes.len());
            bytes[at] ^= mask;
        }
        let _ = decode_and_exercise(&bytes);
    }

    #[test]
    fn decode_never_panics_on_a_ccr_with_changed_length_fields(
        changes in vec((any::<prop::sample::Index>(), prop_oneof![0u32..32, any::<u32>().prop_map(|v| v & 0xFF_FFFF)]), 1..4),
        header_length in proptest::option::of(0u32..0x1_0000),
    ) {
        let mut bytes = valid_ccr();
        let offsets = avp_offsets(&bytes);
        for (index, length) in changes {
            let at = offsets[index.index(offsets.len())];
            bytes[at + 5..at + 8].copy_from_slice(&length.to_be_bytes()[1..]);
        }
        if let Some(length) = header_length {
            bytes[1..4].copy_from_slice(&length.to_be_bytes()[1..]);
        }
        let _ = decode_and_exercise(&bytes);
    }

    #[test]
    fn decode_inverts_encode(message in message()) {
        let bytes = message.encode();
        prop_assert_eq!(bytes.len(), message.header.length as usize);
        prop_assert_eq!(Message::decode(&bytes, 1 << 24), Ok(message));
    }

    #[test]
    fn frame_len_agrees_with_decode(bytes in prop_oneof![
        vec(any::<u8>(), 0..64),
        message().prop_map(|m| m.encode()),
        (message(), any::<prop::sample::Index>()).prop_map(|(m, cut)| { let b = m.encode(); b[..cut.index(b.len() + 1)].to_vec() }),
        (message(), vec(any::<u8>(), 1..16)).prop_map(|(m, extra)| { let mut b = m.encode(); b.extend(extra); b }),
    ], max in prop_oneof![Just(MAX), 0u32..256]) {
        let decoded = Message::decode(&bytes, max);
        match frame_len(&bytes, max) {
            Err(error) => prop_assert_eq!(decoded, Err(error)),
            Ok(None) => prop_assert_eq!(decoded, Err(DecodeError::Truncated)),
            Ok(Some(len)) if bytes.len() < len => prop_assert_eq!(decoded, Err(DecodeError::Truncated)),
            Ok(Some(len)) => {
                let whole = Message::decode(&bytes[..len], max);
                if bytes.len() == len {
                    prop_assert_eq!(&decoded, &whole);
                } else {
                    prop_assert_eq!(decoded, Err(DecodeError::BadLength));
                }
                if let Ok(message) = whole {
                    prop_assert_eq!(message.header.length as usize, len);
                    prop_assert!(len as u32 <= max);
                }
            }
        }
    }

    #[test]
    fn ccr_survives_the_wire(
        request_type in 1u32..=4,
        request_number in any::<u32>(),
        ids in vec((0u32..=4, "[0-9]{1,15}"), 0..3),
        plmn in proptest::option::of("[0-9]{5,6}"),
        groups in vec((proptest::option::of(any::<u32>()), proptest::option::of(any::<u64>()), proptest::option::of(any::<u32>())), 0..4),
    ) {
        let ccr = Ccr {
            session_id: "s;1".into(),
            origin_host: "pgw".into(),
            origin_realm: "example.com".into(),
            request_type,
            request_number,
            subscription_ids: ids,
            requested_action: None,
            sgsn_mcc_mnc: plmn,
            mscc: groups.into_iter().map(|(rating_group, octets, time)| Mscc {
                rating_group,
                used: vec![Units { total_octets: octets, time, ..Units::default() }],
                ..Mscc::default()
            }).collect(),
            termination_cause: None,
        };
        let decoded = Message::decode(&ccr.to_request("r", 1, 2).encode(), MAX).expect("valid");
        prop_assert_eq!(Ccr::parse(&decoded), Ok(ccr));
    }
}
