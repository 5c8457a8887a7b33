//! The Gy view: CCR parsing with Failed-AVP reporting, and the answers keepsim sends.

use keepsim_diameter::dictionary::{
    application, avp, avp_3gpp, cc_request_type, command, disconnect_cause, final_unit_action, reporting_reason,
    requested_action, result_code, subscription_id_type, vendor,
};
use keepsim_diameter::gy::{
    Ccr, CcrError, LocalPeer, Mscc, MsccAnswer, Units, advertises_credit_control, cca, cea, cer, dpa, dpr, dwa, dwr,
    error_answer,
};
use keepsim_diameter::{Avp, FindAvp, Message};

const TGPP: Option<u32> = Some(vendor::THREE_GPP);
const MAX: u32 = 64 * 1024;

fn update_ccr() -> Ccr {
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
        mscc: vec![Mscc {
            rating_group: Some(10),
            service_identifier: Some(1),
            requested: Some(Units::default()),
            used: vec![Units { total_octets: Some(1_048_576), input_octets: Some(1000), ..Units::default() }],
            reporting_reason: Some(reporting_reason::QUOTA_EXHAUSTED),
        }],
        termination_cause: None,
    }
}

/// Encodes and decodes, as the server will see it.
fn over_the_wire(message: &Message) -> Message {
    Message::decode(&message.encode(), MAX).expect("valid message")
}

fn without(message: &Message, code: u32) -> Message {
    let mut copy = message.clone();
    copy.avps.retain(|a| a.code != code);
    copy.update_length();
    copy
}

fn replaced(message: &Message, replacement: Avp) -> Message {
    let mut copy = message.clone();
    for a in &mut copy.avps {
        if a.is(replacement.code, replacement.vendor_id) {
            *a = replacement.clone();
        }
    }
    copy.update_length();
    copy
}

fn local() -> LocalPeer {
    LocalPeer::new("ocs.keepsim.local", "keepsim.local", vec!["127.0.0.1".parse().expect("literal")])
}

#[test]
fn ccr_update_with_usage_parses_to_the_typed_view() {
    let request = over_the_wire(&update_ccr().to_request("keepsim.local", 1, 2));
    let ccr = Ccr::parse(&request).expect("valid CCR");
    assert_eq!(ccr, update_ccr());
    assert_eq!(ccr.subscription_id(subscription_id_type::IMSI), Some("440100123456789"));
    assert_eq!(ccr.subscription_id(subscription_id_type::NAI), None);
}

#[test]
fn visited_network_is_read_at_the_top_level_when_ps_information_lacks_it() {
    let base = Ccr { sgsn_mcc_mnc: None, ..update_ccr() }.to_request("keepsim.local", 1, 2);
    let top_level = base.clone().with_avp(Avp::utf8(avp_3gpp::SGSN_MCC_MNC, TGPP, false, "310260"));
    assert_eq!(Ccr::parse(&over_the_wire(&top_level)).expect("valid").sgsn_mcc_mnc.as_deref(), Some("310260"));
    assert_eq!(Ccr::parse(&base).expect("valid").sgsn_mcc_mnc, None);

    // Service-Information without the PLMN inside falls back to the top level too.
    let empty_ps = Avp::grouped(avp_3gpp::PS_INFORMATION, TGPP, true, vec![]);
    let with_empty = top_level.with_avp(Avp::grouped(avp_3gpp::SERVICE_INFORMATION, TGPP, true, vec![empty_ps]));
    assert_eq!(Ccr::parse(&over_the_wire(&with_empty)).expect("valid").sgsn_mcc_mnc.as_deref(), Some("310260"));
}

#[test]
fn ps_information_wins_over_the_top_level() {
    let request = update_ccr().to_request("keepsim.local", 1, 2).with_avp(Avp::utf8(
        avp_3gpp::SGSN_MCC_MNC,
        TGPP,
        false,
        "310260",
    ));
    assert_eq!(Ccr::parse(&request).expect("valid").sgsn_mcc_mnc.as_deref(), Some("44010"));
}

#[test]
fn sms_event_with_direct_debiting_parses() {
    let event = Ccr {
        request_type: cc_request_type::EVENT,
        request_number: 0,
        requested_action: Some(requested_action::DIRECT_DEBITING),
        mscc: vec![Mscc {
            rating_group: Some(30),
            requested: Some(Units { service_specific: Some(1), ..Units::default() }),
            ..Mscc::default()
        }],
        ..update_ccr()
    };
    assert_eq!(Ccr::parse(&over_the_wire(&event.to_request("keepsim.local", 5, 6))), Ok(event));
}

#[test]
fn reporting_reason_inside_used_service_unit_is_found() {
    let usu = Avp::grouped(
        avp::USED_SERVICE_UNIT,
        None,
        true,
        vec![
            Avp::u32(avp::CC_TIME, None, true, 60),
            Avp::enumerated(avp_3gpp::REPORTING_REASON, TGPP, true, reporting_reason::THRESHOLD),
        ],
    );
    let mscc = Avp::grouped(
        avp::MULTIPLE_SERVICES_CREDIT_CONTROL,
        None,
        true,
        vec![Avp::u32(avp::RATING_GROUP, None, true, 20), usu],
    );
    let request = Ccr { mscc: vec![], ..update_ccr() }.to_request("keepsim.local", 1, 2).with_avp(mscc);
    let ccr = Ccr::parse(&over_the_wire(&request)).expect("valid");
    assert_eq!(ccr.mscc[0].reporting_reason, Some(reporting_reason::THRESHOLD));
    assert_eq!(ccr.mscc[0].used, vec![Units { time: Some(60), ..Units::default() }]);
    assert_eq!(ccr.mscc[0].requested, None);
}

#[test]
fn each_missing_mandatory_avp_is_answered_5005_with_an_example_failed_avp() {
    let request = update_ccr().to_request("keepsim.local", 1, 2);
    for (code, example_len) in [
        (avp::SESSION_ID, 0),
        (avp::ORIGIN_HOST, 0),
        (avp::ORIGIN_REALM, 0),
        (avp::AUTH_APPLICATION_ID, 4),
        (avp::CC_REQUEST_TYPE, 4),
        (avp::CC_REQUEST_NUMBER, 4),
    ] {
        let error = Ccr::parse(&without(&request, code)).expect_err("missing AVP");
        assert_eq!(error.result_code, result_code::MISSING_AVP, "AVP {code}");
        let failed = error.failed_avp.expect("Failed-AVP example");
        assert_eq!(failed.code, code);
        assert_eq!(failed.vendor_id, None);
        assert_eq!(failed.data.as_bytes(), vec![0; example_len], "zeroed data of minimum length");
    }
}

#[test]
fn cc_request_type_nine_is_answered_5004_with_the_offending_avp() {
    let bad = Avp::enumerated(avp::CC_REQUEST_TYPE, None, true, 9);
    let request = replaced(&update_ccr().to_request("keepsim.local", 1, 2), bad.clone());
    let error = Ccr::parse(&over_the_wire(&request)).expect_err("invalid type");
    assert_eq!(error.result_code, result_code::INVALID_AVP_VALUE);
    assert_eq!(error.failed_avp, Some(bad));
    assert!(error.message.contains("CC-Request-Type"), "{}", error.message);
}

#[test]
fn malformed_and_out_of_range_values_are_answered_5004() {
    let request = update_ccr().to_request("keepsim.local", 1, 2);
    for bad in [
        Avp::u32(avp::AUTH_APPLICATION_ID, None, true, 16_777_238),
        Avp::octets(avp::CC_REQUEST_NUMBER, None, true, vec![0, 1, 2]),
        Avp::octets(avp::SESSION_ID, None, true, vec![0xff]),
        Avp::utf8(avp::SESSION_ID, None, true, ""),
        Avp::utf8(avp::ORIGIN_HOST, None, true, "pgw.exämple.com"),
    ] {
        let error = Ccr::parse(&replaced(&request, bad.clone())).expect_err("invalid value");
        assert_eq!(error.result_code, result_code::INVALID_AVP_VALUE, "{bad:?}");
        assert_eq!(error.failed_avp, Some(bad));
    }
    let action = request.clone().with_avp(Avp::enumerated(avp::REQUESTED_ACTION, None, true, 7));
    assert_eq!(Ccr::parse(&action).map_err(|e| e.result_code), Err(result_code::INVALID_AVP_VALUE));
}

#[test]
fn invalid_member_of_a_grouped_avp_is_reported_wrapped_in_its_parent() {
    let bad_type = Avp::enumerated(avp::SUBSCRIPTION_ID_TYPE, None, true, 7);
    let id = Avp::grouped(
        avp::SUBSCRIPTION_ID,
        None,
        true,
        vec![bad_type.clone(), Avp::utf8(avp::SUBSCRIPTION_ID_DATA, None, true, "1")],
    );
    let request = Ccr { subscription_ids: vec![], ..update_ccr() }.to_request("r", 1, 2).with_avp(id);
    let error = Ccr::parse(&over_the_wire(&request)).expect_err("invalid type");
    assert_eq!(error.result_code, result_code::INVALID_AVP_VALUE);
    assert_eq!(error.failed_avp, Some(Avp::grouped(avp::SUBSCRIPTION_ID, None, true, vec![bad_type])));
}

#[test]
fn invalid_usage_deep_inside_mscc_is_wrapped_in_every_parent() {
    let bad_octets = Avp::u32(avp::CC_TOTAL_OCTETS, None, true, 5); // Unsigned64 sent as 4 bytes
    let usu = Avp::grouped(avp::USED_SERVICE_UNIT, None, true, vec![bad_octets.clone()]);
    let mscc = Avp::grouped(avp::MULTIPLE_SERVICES_CREDIT_CONTROL, None, true, vec![usu]);
    let request = Ccr { mscc: vec![], ..update_ccr() }.to_request("r", 1, 2).with_avp(mscc);
    let error = Ccr::parse(&over_the_wire(&request)).expect_err("invalid octets");
    assert_eq!(error.result_code, result_code::INVALID_AVP_VALUE);
    let expected = Avp::grouped(
        avp::MULTIPLE_SERVICES_CREDIT_CONTROL,
        None,
        true,
        vec![Avp::grouped(avp::USED_SERVICE_UNIT, None, true, vec![bad_octets])],
    );
    assert_eq!(error.failed_avp, Some(expected));
}

#[test]
fn subscription_id_without_data_is_missing_avp_inside_it() {
    let id =
        Avp::grouped(avp::SUBSCRIPTION_ID, None, true, vec![Avp::enumerated(avp::SUBSCRIPTION_ID_TYPE, None, true, 0)]);
    let request = Ccr { subscription_ids: vec![], ..update_ccr() }.to_request("r", 1, 2).with_avp(id);
    let error = Ccr::parse(&request).expect_err("missing data");
    assert_eq!(error.result_code, result_code::MISSING_AVP);
    let failed = error.failed_avp.expect("Failed-AVP");
    assert_eq!(failed.code, avp::SUBSCRIPTION_ID);
    assert_eq!(failed.as_grouped().expect("grouped")[0].code, avp::SUBSCRIPTION_ID_DATA);
}

#[test]
fn bad_visited_network_is_answered_5004_wrapped_in_service_information() {
    let ccr = Ccr { sgsn_mcc_mnc: Some("44O10".into()), ..update_ccr() };
    let error = Ccr::parse(&ccr.to_request("r", 1, 2)).expect_err("letter O is not a digit");
    assert_eq!(error.result_code, result_code::INVALID_AVP_VALUE);
    let failed = error.failed_avp.expect("Failed-AVP");
    assert!(failed.is(avp_3gpp::SERVICE_INFORMATION, TGPP));
    let ps = &failed.as_grouped().expect("grouped")[0];
    assert!(ps.is(avp_3gpp::PS_INFORMATION, TGPP));
    assert_eq!(ps.as_grouped().expect("grouped")[0].as_utf8(), Ok("44O10"));
}

#[test]
fn repeated_single_avp_is_answered_5009_with_the_second_occurrence() {
    let second = Avp::u32(avp::CC_REQUEST_NUMBER, None, true, 99);
    let request = update_ccr().to_request("r", 1, 2).with_avp(second.clone());
    let error = Ccr::parse(&request).expect_err("duplicate");
    assert_eq!(error.result_code, result_code::AVP_OCCURS_TOO_MANY_TIMES);
    assert_eq!(error.failed_avp, Some(second));
}

#[test]
fn header_problems_are_protocol_errors() {
    let request = update_ccr().to_request("r", 1, 2);
    let mut other_command = request.clone();
    other_command.header.command_code = 271;
    assert_eq!(Ccr::parse(&other_command).map_err(|e| e.result_code), Err(result_code::COMMAND_UNSUPPORTED));
    let mut other_application = request.clone();
    other_application.header.application_id = 16_777_238;
    assert_eq!(Ccr::parse(&other_application).map_err(|e| e.result_code), Err(result_code::APPLICATION_UNSUPPORTED));
    let answer = Message::answer_for(&request).with_avps(request.avps.clone());
    assert_eq!(Ccr::parse(&answer).map_err(|e| e.result_code), Err(result_code::INVALID_HDR_BITS));
}

#[test]
fn cca_echoes_the_session_and_carries_one_result_per_mscc() {
    let proxy = Avp::grouped(
        avp::PROXY_INFO,
        None,
        true,
        vec![
            Avp::utf8(avp::PROXY_HOST, None, true, "dra.example.com"),
            Avp::octets(avp::PROXY_STATE, None, true, b"s1".to_vec()),
        ],
    );
    let request = over_the_wire(&update_ccr().to_request("keepsim.local", 0xaa, 0xbb).with_avp(proxy.clone()));
    let ccr = Ccr::parse(&request).expect("valid");
    let answer = cca(
        &request,
        &ccr,
        "ocs.keepsim.local",
        "keepsim.local",
        result_code::SUCCESS,
        vec![
            MsccAnswer {
                rating_group: Some(10),
                service_identifier: Some(1),
                result_code: result_code::SUCCESS,
                granted: Some(Units { total_octets: Some(10 << 20), ..Units::default() }),
                validity_time: Some(3600),
                final_unit_action: Some(final_unit_action::TERMINATE),
            },
            MsccAnswer {
                rating_group: Some(20),
                result_code: result_code::CREDIT_LIMIT_REACHED,
                ..MsccAnswer::default()
            },
        ],
    );
    let answer = over_the_wire(&answer);
    assert!(!answer.header.flags.request && !answer.header.flags.error && answer.header.flags.proxiable);
    assert_eq!((answer.header.command_code, answer.header.application_id), (command::CREDIT_CONTROL, 4));
    assert_eq!((answer.header.hop_by_hop, answer.header.end_to_end), (0xaa, 0xbb));
    assert_eq!(answer.avps[0].as_utf8(), Ok("pgw.example.com;1;42"), "Session-Id comes first");
    assert_eq!(answer.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(2001)));
    assert_eq!(answer.find(avp::ORIGIN_HOST).map(Avp::as_utf8), Some(Ok("ocs.keepsim.local")));
    assert_eq!(answer.find(avp::ORIGIN_REALM).map(Avp::as_utf8), Some(Ok("keepsim.local")));
    assert_eq!(answer.find(avp::AUTH_APPLICATION_ID).map(Avp::as_u32), Some(Ok(4)));
    assert_eq!(answer.find(avp::CC_REQUEST_TYPE).map(Avp::as_u32), Some(Ok(cc_request_type::UPDATE)));
    assert_eq!(answer.find(avp::CC_REQUEST_NUMBER).map(Avp::as_u32), Some(Ok(3)));
    assert_eq!(answer.find(avp::PROXY_INFO), Some(&proxy));

    let msccs: Vec<Vec<Avp>> =
        answer.find_all(avp::MULTIPLE_SERVICES_CREDIT_CONTROL).map(|m| m.as_grouped().expect("grouped")).collect();
    assert_eq!(msccs.len(), 2);
    let granted = &msccs[0];
    assert_eq!(granted.find(avp::RATING_GROUP).map(Avp::as_u32), Some(Ok(10)));
    assert_eq!(granted.find(avp::SERVICE_IDENTIFIER).map(Avp::as_u32), Some(Ok(1)));
    assert_eq!(granted.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(2001)));
    assert_eq!(granted.find(avp::VALIDITY_TIME).map(Avp::as_u32), Some(Ok(3600)));
    let gsu = granted.find(avp::GRANTED_SERVICE_UNIT).expect("GSU").as_grouped().expect("grouped");
    assert_eq!(gsu.find(avp::CC_TOTAL_OCTETS).map(Avp::as_u64), Some(Ok(10 << 20)));
    let fui = granted.find(avp::FINAL_UNIT_INDICATION).expect("FUI").as_grouped().expect("grouped");
    assert_eq!(fui.find(avp::FINAL_UNIT_ACTION).map(Avp::as_u32), Some(Ok(final_unit_action::TERMINATE)));
    let refused = &msccs[1];
    assert_eq!(refused.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(4012)));
    assert!(refused.find(avp::GRANTED_SERVICE_UNIT).is_none());
}

#[test]
fn cea_advertises_credit_control_and_3gpp() {
    let mut peer = LocalPeer::new("pgw.example.com", "example.com", vec!["10.0.0.1".parse().expect("literal")]);
    peer.origin_state_id = Some(17);
    let request = over_the_wire(&cer(&peer, 1, 1));
    assert!(advertises_credit_control(&request));
    let answer = over_the_wire(&cea(&request, &local(), result_code::SUCCESS));
    assert_eq!(answer.header.command_code, command::CAPABILITIES_EXCHANGE);
    assert!(!answer.header.flags.request);
    assert_eq!(answer.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(2001)));
    assert_eq!(answer.find(avp::ORIGIN_HOST).map(Avp::as_utf8), Some(Ok("ocs.keepsim.local")));
    assert_eq!(answer.find(avp::HOST_IP_ADDRESS).map(Avp::as_address), Some(Ok("127.0.0.1".parse().expect("ip"))));
    assert_eq!(answer.find(avp::VENDOR_ID).map(Avp::as_u32), Some(Ok(0)));
    let product = answer.find(avp::PRODUCT_NAME).expect("Product-Name");
    assert_eq!(product.as_utf8(), Ok("keepsim"));
    assert!(!product.flags.mandatory, "RFC 6733: Product-Name must not have the M bit");
    assert_eq!(answer.find(avp::AUTH_APPLICATION_ID).map(Avp::as_u32), Some(Ok(application::CREDIT_CONTROL)));
    assert_eq!(answer.find(avp::SUPPORTED_VENDOR_ID).map(Avp::as_u32), Some(Ok(vendor::THREE_GPP)));
}

#[test]
fn cer_without_credit_control_is_detected() {
    let request = Message::request(command::CAPABILITIES_EXCHANGE, 0, 1, 1).with_avp(Avp::u32(
        avp::AUTH_APPLICATION_ID,
        None,
        true,
        16_777_238,
    ));
    assert!(!advertises_credit_control(&request));
    let via_vendor_specific = request.clone().with_avp(Avp::grouped(
        avp::VENDOR_SPECIFIC_APPLICATION_ID,
        None,
        true,
        vec![Avp::u32(avp::VENDOR_ID, None, true, 10415), Avp::u32(avp::AUTH_APPLICATION_ID, None, true, 4)],
    ));
    assert!(advertises_credit_control(&via_vendor_specific));
    let relay = request.with_avp(Avp::u32(avp::AUTH_APPLICATION_ID, None, true, application::RELAY));
    assert!(advertises_credit_control(&relay));
}

#[test]
fn watchdog_and_disconnect_are_answered() {
    let peer = LocalPeer::new("pgw.example.com", "example.com", vec![]);
    let watchdog = dwr(&peer, 5, 6);
    let answer = over_the_wire(&dwa(&watchdog, &local(), result_code::SUCCESS));
    assert_eq!((answer.header.command_code, answer.header.hop_by_hop), (command::DEVICE_WATCHDOG, 5));
    assert_eq!(answer.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(2001)));
    assert_eq!(answer.find(avp::ORIGIN_REALM).map(Avp::as_utf8), Some(Ok("keepsim.local")));

    let disconnect = dpr(&peer, 7, 8, disconnect_cause::REBOOTING);
    assert_eq!(disconnect.find(avp::DISCONNECT_CAUSE).map(Avp::as_u32), Some(Ok(0)));
    let answer = over_the_wire(&dpa(&disconnect, &local(), result_code::SUCCESS));
    assert_eq!((answer.header.command_code, answer.header.end_to_end), (command::DISCONNECT_PEER, 8));
    assert_eq!(answer.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(2001)));
}

#[test]
fn error_answer_for_a_missing_avp_reports_it_and_echoes_the_request_numbers() {
    let request = without(&update_ccr().to_request("r", 1, 2), avp::ORIGIN_REALM);
    let CcrError { result_code: code, failed_avp, message } = Ccr::parse(&request).expect_err("missing");
    let answer = over_the_wire(&error_answer(&request, "ocs", "keepsim.local", code, failed_avp, Some(&message)));
    assert!(!answer.header.flags.error, "5xxx is not a protocol error: no E bit (RFC 6733 §7.2)");
    assert_eq!(answer.avps[0].as_utf8(), Ok("pgw.example.com;1;42"));
    assert_eq!(answer.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(5005)));
    let failed = answer.find(avp::FAILED_AVP).expect("Failed-AVP").as_grouped().expect("grouped");
    assert_eq!(failed[0].code, avp::ORIGIN_REALM);
    assert_eq!(answer.find(avp::ERROR_MESSAGE).map(Avp::as_utf8), Some(Ok("missing Origin-Realm")));
    assert_eq!(answer.find(avp::CC_REQUEST_TYPE).map(Avp::as_u32), Some(Ok(2)));
    assert_eq!(answer.find(avp::CC_REQUEST_NUMBER).map(Avp::as_u32), Some(Ok(3)));
    assert_eq!(answer.find(avp::AUTH_APPLICATION_ID).map(Avp::as_u32), Some(Ok(4)));
}

#[test]
fn error_answer_for_overload_sets_the_e_bit() {
    let request = update_ccr().to_request("r", 1, 2);
    let answer = over_the_wire(&error_answer(&request, "ocs", "keepsim.local", result_code::TOO_BUSY, None, None));
    assert!(answer.header.flags.error);
    assert!(!answer.header.flags.request);
    assert_eq!(answer.find(avp::RESULT_CODE).map(Avp::as_u32), Some(Ok(3004)));
    assert!(answer.find(avp::FAILED_AVP).is_none());
    assert!(answer.find(avp::ERROR_MESSAGE).is_none());
}
