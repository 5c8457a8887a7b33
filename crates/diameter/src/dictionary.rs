//! Codes and types of the commands, applications, AVPs and values keepsim's Gy server speaks:
//! RFC 6733 (base), RFC 8506 (credit control) and 3GPP TS 32.299 / TS 29.061 (Gy).
//!
//! AVP codes are in [`avp`] (IETF, no Vendor-ID) and [`avp_3gpp`] (Vendor-ID
//! [`vendor::THREE_GPP`]); [`avp_type`] and [`is_known`] answer which AVPs this server understands,
//! so that an unknown AVP with the M bit can be refused with 5001 DIAMETER_AVP_UNSUPPORTED.

/// Command codes.
pub mod command {
    /// Capabilities-Exchange-Request / -Answer (CER/CEA).
    pub const CAPABILITIES_EXCHANGE: u32 = 257;
    /// Credit-Control-Request / -Answer (CCR/CCA).
    pub const CREDIT_CONTROL: u32 = 272;
    /// Device-Watchdog-Request / -Answer (DWR/DWA).
    pub const DEVICE_WATCHDOG: u32 = 280;
    /// Disconnect-Peer-Request / -Answer (DPR/DPA).
    pub const DISCONNECT_PEER: u32 = 282;
}

/// Application identifiers.
pub mod application {
    /// Diameter common messages (CER, DWR, DPR).
    pub const COMMON: u32 = 0;
    /// Diameter Credit-Control Application (Gy / Ro).
    pub const CREDIT_CONTROL: u32 = 4;
    /// Relay: advertised by relay agents, compatible with every application.
    pub const RELAY: u32 = 0xFFFF_FFFF;
}

/// Vendor identifiers (IANA enterprise numbers).
pub mod vendor {
    /// 3rd Generation Partnership Project.
    pub const THREE_GPP: u32 = 10415;
}

/// IETF AVP codes (sent without a Vendor-ID).
pub mod avp {
    /// User-Name (UTF8String).
    pub const USER_NAME: u32 = 1;
    /// Called-Station-Id (UTF8String; the APN inside PS-Information). IETF code, no Vendor-ID.
    pub const CALLED_STATION_ID: u32 = 30;
    /// Proxy-State (OctetString, inside Proxy-Info).
    pub const PROXY_STATE: u32 = 33;
    /// Event-Timestamp (Time).
    pub const EVENT_TIMESTAMP: u32 = 55;
    /// Host-IP-Address (Address).
    pub const HOST_IP_ADDRESS: u32 = 257;
    /// Auth-Application-Id (Unsigned32).
    pub const AUTH_APPLICATION_ID: u32 = 258;
    /// Acct-Application-Id (Unsigned32).
    pub const ACCT_APPLICATION_ID: u32 = 259;
    /// Vendor-Specific-Application-Id (Grouped).
    pub const VENDOR_SPECIFIC_APPLICATION_ID: u32 = 260;
    /// Session-Id (UTF8String).
    pub const SESSION_ID: u32 = 263;
    /// Origin-Host (DiameterIdentity).
    pub const ORIGIN_HOST: u32 = 264;
    /// Supported-Vendor-Id (Unsigned32).
    pub const SUPPORTED_VENDOR_ID: u32 = 265;
    /// Vendor-Id (Unsigned32).
    pub const VENDOR_ID: u32 = 266;
    /// Firmware-Revision (Unsigned32).
    pub const FIRMWARE_REVISION: u32 = 267;
    /// Result-Code (Unsigned32).
    pub const RESULT_CODE: u32 = 268;
    /// Product-Name (UTF8String).
    pub const PRODUCT_NAME: u32 = 269;
    /// Disconnect-Cause (Enumerated, see [`super::disconnect_cause`]).
    pub const DISCONNECT_CAUSE: u32 = 273;
    /// Auth-Session-State (Enumerated).
    pub const AUTH_SESSION_STATE: u32 = 277;
    /// Origin-State-Id (Unsigned32).
    pub const ORIGIN_STATE_ID: u32 = 278;
    /// Failed-AVP (Grouped).
    pub const FAILED_AVP: u32 = 279;
    /// Proxy-Host (DiameterIdentity, inside Proxy-Info).
    pub const PROXY_HOST: u32 = 280;
    /// Error-Message (UTF8String).
    pub const ERROR_MESSAGE: u32 = 281;
    /// Route-Record (DiameterIdentity).
    pub const ROUTE_RECORD: u32 = 282;
    /// Destination-Realm (DiameterIdentity).
    pub const DESTINATION_REALM: u32 = 283;
    /// Proxy-Info (Grouped; copied from request to answer).
    pub const PROXY_INFO: u32 = 284;
    /// Destination-Host (DiameterIdentity).
    pub const DESTINATION_HOST: u32 = 293;
    /// Error-Reporting-Host (DiameterIdentity).
    pub const ERROR_REPORTING_HOST: u32 = 294;
    /// Termination-Cause (Enumerated, see [`super::termination_cause`]).
    pub const TERMINATION_CAUSE: u32 = 295;
    /// Origin-Realm (DiameterIdentity).
    pub const ORIGIN_REALM: u32 = 296;
    /// Experimental-Result (Grouped).
    pub const EXPERIMENTAL_RESULT: u32 = 297;
    /// Experimental-Result-Code (Unsigned32).
    pub const EXPERIMENTAL_RESULT_CODE: u32 = 298;
    /// Inband-Security-Id (Unsigned32).
    pub const INBAND_SECURITY_ID: u32 = 299;
    /// CC-Input-Octets (Unsigned64).
    pub const CC_INPUT_OCTETS: u32 = 412;
    /// CC-Output-Octets (Unsigned64).
    pub const CC_OUTPUT_OCTETS: u32 = 414;
    /// CC-Request-Number (Unsigned32).
    pub const CC_REQUEST_NUMBER: u32 = 415;
    /// CC-Request-Type (Enumerated, see [`super::cc_request_type`]).
    pub const CC_REQUEST_TYPE: u32 = 416;
    /// CC-Service-Specific-Units (Unsigned64).
    pub const CC_SERVICE_SPECIFIC_UNITS: u32 = 417;
    /// CC-Session-Failover (Enumerated).
    pub const CC_SESSION_FAILOVER: u32 = 418;
    /// CC-Time (Unsigned32, seconds).
    pub const CC_TIME: u32 = 420;
    /// CC-Total-Octets (Unsigned64).
    pub const CC_TOTAL_OCTETS: u32 = 421;
    /// Credit-Control-Failure-Handling (Enumerated).
    pub const CREDIT_CONTROL_FAILURE_HANDLING: u32 = 427;
    /// Final-Unit-Indication (Grouped).
    pub const FINAL_UNIT_INDICATION: u32 = 430;
    /// Granted-Service-Unit (Grouped).
    pub const GRANTED_SERVICE_UNIT: u32 = 431;
    /// Rating-Group (Unsigned32).
    pub const RATING_GROUP: u32 = 432;
    /// Redirect-Address-Type (Enumerated).
    pub const REDIRECT_ADDRESS_TYPE: u32 = 433;
    /// Redirect-Server (Grouped).
    pub const REDIRECT_SERVER: u32 = 434;
    /// Redirect-Server-Address (UTF8String).
    pub const REDIRECT_SERVER_ADDRESS: u32 = 435;
    /// Requested-Action (Enumerated, see [`super::requested_action`]).
    pub const REQUESTED_ACTION: u32 = 436;
    /// Requested-Service-Unit (Grouped).
    pub const REQUESTED_SERVICE_UNIT: u32 = 437;
    /// Service-Identifier (Unsigned32).
    pub const SERVICE_IDENTIFIER: u32 = 439;
    /// Subscription-Id (Grouped: Subscription-Id-Type, Subscription-Id-Data).
    pub const SUBSCRIPTION_ID: u32 = 443;
    /// Subscription-Id-Data (UTF8String).
    pub const SUBSCRIPTION_ID_DATA: u32 = 444;
    /// Used-Service-Unit (Grouped).
    pub const USED_SERVICE_UNIT: u32 = 446;
    /// Validity-Time (Unsigned32, seconds).
    pub const VALIDITY_TIME: u32 = 448;
    /// Final-Unit-Action (Enumerated, see [`super::final_unit_action`]).
    pub const FINAL_UNIT_ACTION: u32 = 449;
    /// Subscription-Id-Type (Enumerated, see [`super::subscription_id_type`]).
    pub const SUBSCRIPTION_ID_TYPE: u32 = 450;
    /// Multiple-Services-Indicator (Enumerated, see [`super::multiple_services_indicator`]).
    pub const MULTIPLE_SERVICES_INDICATOR: u32 = 455;
    /// Multiple-Services-Credit-Control (Grouped).
    pub const MULTIPLE_SERVICES_CREDIT_CONTROL: u32 = 456;
    /// User-Equipment-Info (Grouped).
    pub const USER_EQUIPMENT_INFO: u32 = 458;
    /// User-Equipment-Info-Type (Enumerated).
    pub const USER_EQUIPMENT_INFO_TYPE: u32 = 459;
    /// User-Equipment-Info-Value (OctetString).
    pub const USER_EQUIPMENT_INFO_VALUE: u32 = 460;
    /// Service-Context-Id (UTF8String, e.g. "32251@3gpp.org").
    pub const SERVICE_CONTEXT_ID: u32 = 461;
}

/// 3GPP AVP codes (Vendor-ID [`super::vendor::THREE_GPP`]).
pub mod avp_3gpp {
    /// 3GPP-IMSI (UTF8String), TS 29.061.
    pub const IMSI: u32 = 1;
    /// 3GPP-SGSN-MCC-MNC (UTF8String, e.g. "44010"), TS 29.061.
    pub const SGSN_MCC_MNC: u32 = 18;
    /// 3GPP-RAT-Type (OctetString), TS 29.061.
    pub const RAT_TYPE: u32 = 21;
    /// 3GPP-User-Location-Info (OctetString), TS 29.061.
    pub const USER_LOCATION_INFO: u32 = 22;
    /// 3GPP-MS-TimeZone (OctetString), TS 29.061.
    pub const MS_TIME_ZONE: u32 = 23;
    /// Time-Quota-Threshold (Unsigned32), TS 32.299.
    pub const TIME_QUOTA_THRESHOLD: u32 = 868;
    /// Volume-Quota-Threshold (Unsigned32), TS 32.299.
    pub const VOLUME_QUOTA_THRESHOLD: u32 = 869;
    /// Trigger-Type (Enumerated), TS 32.299.
    pub const TRIGGER_TYPE: u32 = 870;
    /// Quota-Holding-Time (Unsigned32), TS 32.299.
    pub const QUOTA_HOLDING_TIME: u32 = 871;
    /// Reporting-Reason (Enumerated, see [`super::reporting_reason`]), TS 32.299.
    pub const REPORTING_REASON: u32 = 872;
    /// Service-Information (Grouped), TS 32.299.
    pub const SERVICE_INFORMATION: u32 = 873;
    /// PS-Information (Grouped), TS 32.299.
    pub const PS_INFORMATION: u32 = 874;
    /// IMS-Information (Grouped), TS 32.299.
    pub const IMS_INFORMATION: u32 = 876;
    /// Trigger (Grouped), TS 32.299.
    pub const TRIGGER: u32 = 1264;
    /// SMS-Information (Grouped), TS 32.299.
    pub const SMS_INFORMATION: u32 = 2000;
}

/// Result-Code values (RFC 6733 §7.1, RFC 8506 §9.1).
pub mod result_code {
    /// 2001 DIAMETER_SUCCESS.
    pub const SUCCESS: u32 = 2001;
    /// 2002 DIAMETER_LIMITED_SUCCESS.
    pub const LIMITED_SUCCESS: u32 = 2002;
    /// 3001 DIAMETER_COMMAND_UNSUPPORTED (protocol error).
    pub const COMMAND_UNSUPPORTED: u32 = 3001;
    /// 3002 DIAMETER_UNABLE_TO_DELIVER (protocol error).
    pub const UNABLE_TO_DELIVER: u32 = 3002;
    /// 3004 DIAMETER_TOO_BUSY (protocol error).
    pub const TOO_BUSY: u32 = 3004;
    /// 3007 DIAMETER_APPLICATION_UNSUPPORTED (protocol error).
    pub const APPLICATION_UNSUPPORTED: u32 = 3007;
    /// 3008 DIAMETER_INVALID_HDR_BITS (protocol error).
    pub const INVALID_HDR_BITS: u32 = 3008;
    /// 3009 DIAMETER_INVALID_AVP_BITS (protocol error).
    pub const INVALID_AVP_BITS: u32 = 3009;
    /// 3010 DIAMETER_UNKNOWN_PEER (protocol error).
    pub const UNKNOWN_PEER: u32 = 3010;
    /// 4010 DIAMETER_END_USER_SERVICE_DENIED.
    pub const END_USER_SERVICE_DENIED: u32 = 4010;
    /// 4011 DIAMETER_CREDIT_CONTROL_NOT_APPLICABLE.
    pub const CREDIT_CONTROL_NOT_APPLICABLE: u32 = 4011;
    /// 4012 DIAMETER_CREDIT_LIMIT_REACHED.
    pub const CREDIT_LIMIT_REACHED: u32 = 4012;
    /// 5001 DIAMETER_AVP_UNSUPPORTED.
    pub const AVP_UNSUPPORTED: u32 = 5001;
    /// 5002 DIAMETER_UNKNOWN_SESSION_ID.
    pub const UNKNOWN_SESSION_ID: u32 = 5002;
    /// 5004 DIAMETER_INVALID_AVP_VALUE.
    pub const INVALID_AVP_VALUE: u32 = 5004;
    /// 5005 DIAMETER_MISSING_AVP.
    pub const MISSING_AVP: u32 = 5005;
    /// 5009 DIAMETER_AVP_OCCURS_TOO_MANY_TIMES.
    pub const AVP_OCCURS_TOO_MANY_TIMES: u32 = 5009;
    /// 5010 DIAMETER_NO_COMMON_APPLICATION.
    pub const NO_COMMON_APPLICATION: u32 = 5010;
    /// 5011 DIAMETER_UNSUPPORTED_VERSION.
    pub const UNSUPPORTED_VERSION: u32 = 5011;
    /// 5012 DIAMETER_UNABLE_TO_COMPLY.
    pub const UNABLE_TO_COMPLY: u32 = 5012;
    /// 5014 DIAMETER_INVALID_AVP_LENGTH.
    pub const INVALID_AVP_LENGTH: u32 = 5014;
    /// 5015 DIAMETER_INVALID_MESSAGE_LENGTH.
    pub const INVALID_MESSAGE_LENGTH: u32 = 5015;
    /// 5030 DIAMETER_USER_UNKNOWN.
    pub const USER_UNKNOWN: u32 = 5030;
    /// 5031 DIAMETER_RATING_FAILED.
    pub const RATING_FAILED: u32 = 5031;

    /// Whether `code` is a protocol error (3xxx), the only class answered with the E bit.
    pub fn is_protocol_error(code: u32) -> bool {
        (3000..4000).contains(&code)
    }
}

/// CC-Request-Type values.
pub mod cc_request_type {
    /// INITIAL_REQUEST: opens a session.
    pub const INITIAL: u32 = 1;
    /// UPDATE_REQUEST: reports usage and asks for more.
    pub const UPDATE: u32 = 2;
    /// TERMINATION_REQUEST: closes a session with final usage.
    pub const TERMINATION: u32 = 3;
    /// EVENT_REQUEST: one-shot charging (e.g. an SMS).
    pub const EVENT: u32 = 4;
}

/// Subscription-Id-Type values.
pub mod subscription_id_type {
    /// END_USER_E164: MSISDN digits.
    pub const E164: u32 = 0;
    /// END_USER_IMSI.
    pub const IMSI: u32 = 1;
    /// END_USER_SIP_URI.
    pub const SIP_URI: u32 = 2;
    /// END_USER_NAI.
    pub const NAI: u32 = 3;
    /// END_USER_PRIVATE.
    pub const PRIVATE: u32 = 4;
}

/// Final-Unit-Action values.
pub mod final_unit_action {
    /// TERMINATE the service when the final units are used.
    pub const TERMINATE: u32 = 0;
    /// REDIRECT the user (e.g. to a top-up page).
    pub const REDIRECT: u32 = 1;
    /// RESTRICT_ACCESS to allowed destinations.
    pub const RESTRICT_ACCESS: u32 = 2;
}

/// Requested-Action values (EVENT requests).
pub mod requested_action {
    /// DIRECT_DEBITING.
    pub const DIRECT_DEBITING: u32 = 0;
    /// REFUND_ACCOUNT.
    pub const REFUND_ACCOUNT: u32 = 1;
    /// CHECK_BALANCE.
    pub const CHECK_BALANCE: u32 = 2;
    /// PRICE_ENQUIRY.
    pub const PRICE_ENQUIRY: u32 = 3;
}

/// Multiple-Services-Indicator values.
pub mod multiple_services_indicator {
    /// MULTIPLE_SERVICES_NOT_SUPPORTED.
    pub const NOT_SUPPORTED: u32 = 0;
    /// MULTIPLE_SERVICES_SUPPORTED.
    pub const SUPPORTED: u32 = 1;
}

/// Disconnect-Cause values.
pub mod disconnect_cause {
    /// REBOOTING.
    pub const REBOOTING: u32 = 0;
    /// BUSY.
    pub const BUSY: u32 = 1;
    /// DO_NOT_WANT_TO_TALK_TO_YOU.
    pub const DO_NOT_WANT_TO_TALK_TO_YOU: u32 = 2;
}

/// Termination-Cause values.
pub mod termination_cause {
    /// DIAMETER_LOGOUT.
    pub const LOGOUT: u32 = 1;
    /// DIAMETER_SERVICE_NOT_PROVIDED.
    pub const SERVICE_NOT_PROVIDED: u32 = 2;
    /// DIAMETER_BAD_ANSWER.
    pub const BAD_ANSWER: u32 = 3;
    /// DIAMETER_ADMINISTRATIVE.
    pub const ADMINISTRATIVE: u32 = 4;
    /// DIAMETER_LINK_BROKEN.
    pub const LINK_BROKEN: u32 = 5;
    /// DIAMETER_AUTH_EXPIRED.
    pub const AUTH_EXPIRED: u32 = 6;
    /// DIAMETER_USER_MOVED.
    pub const USER_MOVED: u32 = 7;
    /// DIAMETER_SESSION_TIMEOUT.
    pub const SESSION_TIMEOUT: u32 = 8;
}

/// Reporting-Reason values (TS 32.299 §7.2.175).
pub mod reporting_reason {
    /// THRESHOLD: a quota threshold was reached.
    pub const THRESHOLD: u32 = 0;
    /// QHT: the Quota-Holding-Time expired.
    pub const QHT: u32 = 1;
    /// FINAL: the session or service ended.
    pub const FINAL: u32 = 2;
    /// QUOTA_EXHAUSTED: the granted quota is used up.
    pub const QUOTA_EXHAUSTED: u32 = 3;
    /// VALIDITY_TIME: the Validity-Time expired.
    pub const VALIDITY_TIME: u32 = 4;
    /// OTHER_QUOTA_TYPE: another quota type of the same MSCC triggered the report.
    pub const OTHER_QUOTA_TYPE: u32 = 5;
    /// RATING_CONDITION_CHANGE: a Trigger condition changed.
    pub const RATING_CONDITION_CHANGE: u32 = 6;
    /// FORCED_REAUTHORISATION: the OCS asked for re-authorisation.
    pub const FORCED_REAUTHORISATION: u32 = 7;
    /// POOL_EXHAUSTED: the credit pool is used up.
    pub const POOL_EXHAUSTED: u32 = 8;
    /// UNUSED_QUOTA_TIMER: the unused-quota timer expired.
    pub const UNUSED_QUOTA_TIMER: u32 = 9;
}

/// The data type of an AVP (RFC 6733 §4.2–4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AvpType {
    /// 32-bit unsigned integer.
    Unsigned32,
    /// 64-bit unsigned integer.
    Unsigned64,
    /// 32-bit signed integer.
    Integer32,
    /// 64-bit signed integer.
    Integer64,
    /// UTF-8 text.
    Utf8String,
    /// Arbitrary bytes.
    OctetString,
    /// A sequence of AVPs.
    Grouped,
    /// Address family + address.
    Address,
    /// NTP seconds (32 bits).
    Time,
    /// Integer32 with named values.
    Enumerated,
    /// A Diameter host or realm name (ASCII).
    DiameterIdentity,
}

impl AvpType {
    /// Size the data of this type always has, if fixed.
    pub fn fixed_len(self) -> Option<usize> {
        match self {
            AvpType::Unsigned32 | AvpType::Integer32 | AvpType::Time | AvpType::Enumerated => Some(4),
            AvpType::Unsigned64 | AvpType::Integer64 => Some(8),
            AvpType::Utf8String
            | AvpType::OctetString
            | AvpType::Grouped
            | AvpType::Address
            | AvpType::DiameterIdentity => None,
        }
    }
}

/// The type of the AVP `code` from `vendor` (`None` or `Some(0)` = IETF), if this dictionary
/// knows it.
pub fn avp_type(code: u32, vendor: Option<u32>) -> Option<AvpType> {
    use AvpType::*;
    match vendor {
        None | Some(0) => Some(match code {
            avp::USER_NAME => Utf8String,
            avp::CALLED_STATION_ID => Utf8String,
            avp::PROXY_STATE => OctetString,
            avp::EVENT_TIMESTAMP => Time,
            avp::HOST_IP_ADDRESS => Address,
            avp::AUTH_APPLICATION_ID | avp::ACCT_APPLICATION_ID => Unsigned32,
            avp::VENDOR_SPECIFIC_APPLICATION_ID => Grouped,
            avp::SESSION_ID => Utf8String,
            avp::ORIGIN_HOST | avp::ORIGIN_REALM => DiameterIdentity,
            avp::DESTINATION_HOST | avp::DESTINATION_REALM => DiameterIdentity,
            avp::SUPPORTED_VENDOR_ID | avp::VENDOR_ID => Unsigned32,
            avp::FIRMWARE_REVISION => Unsigned32,
            avp::RESULT_CODE => Unsigned32,
            avp::PRODUCT_NAME => Utf8String,
            avp::DISCONNECT_CAUSE | avp::AUTH_SESSION_STATE => Enumerated,
            avp::ORIGIN_STATE_ID => Unsigned32,
            avp::FAILED_AVP => Grouped,
            avp::PROXY_HOST => DiameterIdentity,
            avp::ERROR_MESSAGE => Utf8String,
            avp::ROUTE_RECORD | avp::ERROR_REPORTING_HOST => DiameterIdentity,
            avp::PROXY_INFO => Grouped,
            avp::TERMINATION_CAUSE => Enumerated,
            avp::EXPERIMENTAL_RESULT => Grouped,
            avp::EXPERIMENTAL_RESULT_CODE | avp::INBAND_SECURITY_ID => Unsigned32,
            avp::CC_INPUT_OCTETS | avp::CC_OUTPUT_OCTETS | avp::CC_TOTAL_OCTETS => Unsigned64,
            avp::CC_SERVICE_SPECIFIC_UNITS => Unsigned64,
            avp::CC_REQUEST_NUMBER | avp::CC_TIME => Unsigned32,
            avp::CC_REQUEST_TYPE | avp::CC_SESSION_FAILOVER | avp::CREDIT_CONTROL_FAILURE_HANDLING => Enumerated,
            avp::FINAL_UNIT_INDICATION | avp::GRANTED_SERVICE_UNIT | avp::REQUESTED_SERVICE_UNIT => Grouped,
            avp::USED_SERVICE_UNIT | avp::MULTIPLE_SERVICES_CREDIT_CONTROL => Grouped,
            avp::SUBSCRIPTION_ID | avp::REDIRECT_SERVER | avp::USER_EQUIPMENT_INFO => Grouped,
            avp::RATING_GROUP | avp::SERVICE_IDENTIFIER | avp::VALIDITY_TIME => Unsigned32,
            avp::REDIRECT_ADDRESS_TYPE | avp::REQUESTED_ACTION | avp::FINAL_UNIT_ACTION => Enumerated,
            avp::SUBSCRIPTION_ID_TYPE | avp::MULTIPLE_SERVICES_INDICATOR => Enumerated,
            avp::USER_EQUIPMENT_INFO_TYPE => Enumerated,
            avp::REDIRECT_SERVER_ADDRESS | avp::SUBSCRIPTION_ID_DATA | avp::SERVICE_CONTEXT_ID => Utf8String,
            avp::USER_EQUIPMENT_INFO_VALUE => OctetString,
            _ => return None,
        }),
        Some(vendor::THREE_GPP) => Some(match code {
            avp_3gpp::IMSI | avp_3gpp::SGSN_MCC_MNC => Utf8String,
            avp_3gpp::RAT_TYPE | avp_3gpp::USER_LOCATION_INFO | avp_3gpp::MS_TIME_ZONE => OctetString,
            avp_3gpp::TIME_QUOTA_THRESHOLD | avp_3gpp::VOLUME_QUOTA_THRESHOLD => Unsigned32,
            avp_3gpp::QUOTA_HOLDING_TIME => Unsigned32,
            avp_3gpp::TRIGGER_TYPE | avp_3gpp::REPORTING_REASON => Enumerated,
            avp_3gpp::SERVICE_INFORMATION | avp_3gpp::PS_INFORMATION | avp_3gpp::IMS_INFORMATION => Grouped,
            avp_3gpp::TRIGGER | avp_3gpp::SMS_INFORMATION => Grouped,
            _ => return None,
        }),
        Some(_) => None,
    }
}

/// Whether this dictionary knows the AVP `code` from `vendor`. A request carrying an unknown AVP
/// with the M bit set is answered with [`result_code::AVP_UNSUPPORTED`].
pub fn is_known(code: u32, vendor: Option<u32>) -> bool {
    avp_type(code, vendor).is_some()
}

/// The first AVP of `avps` that has the M bit but is unknown to this dictionary (top level only:
/// the contents of grouped AVPs are not inspected), for a 5001 answer with Failed-AVP.
pub fn first_unsupported_mandatory(avps: &[crate::Avp]) -> Option<&crate::Avp> {
    avps.iter().find(|avp| avp.flags.mandatory && !is_known(avp.code, avp.vendor_id))
}
