//! The Gy view of messages (RFC 8506 credit control with the 3GPP TS 32.299 AVPs): a
//! Credit-Control-Request parsed into a [`Ccr`], and builders for the answers keepsim sends
//! (CCA, CEA, DWA, DPA, error answers) and for the requests it sends or tests send (DWR, DPR,
//! CER, CCR).
//!
//! Parsing follows RFC 6733 §7.5 for Failed-AVP: a missing AVP is reported as an example of it
//! with zeroed data of minimum length, an invalid one as a copy, and either one inside a grouped
//! AVP wrapped in that grouped AVP (and its parents).

use std::net::IpAddr;

use crate::avp::Avp;
use crate::dictionary::{
    application, avp, avp_3gpp, cc_request_type, command, requested_action, result_code, subscription_id_type, vendor,
};
use crate::error::DecodeError;
use crate::message::{FindAvp, Message};

const TGPP: Option<u32> = Some(vendor::THREE_GPP);

/// Service-Context-Id of 3GPP PS charging (Gy), TS 32.299.
pub const PS_SERVICE_CONTEXT_ID: &str = "32251@3gpp.org";

/// Product-Name keepsim advertises in its CEA by default.
pub const PRODUCT_NAME: &str = "keepsim";

/// Amounts of service: requested (RSU), used (USU) or granted (GSU).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Units {
    /// CC-Total-Octets: data volume, both directions.
    pub total_octets: Option<u64>,
    /// CC-Input-Octets: data volume from the user.
    pub input_octets: Option<u64>,
    /// CC-Output-Octets: data volume to the user.
    pub output_octets: Option<u64>,
    /// CC-Time: seconds (voice).
    pub time: Option<u32>,
    /// CC-Service-Specific-Units: service units (SMS count).
    pub service_specific: Option<u64>,
}

impl Units {
    /// Whether no amount is given (an empty RSU asks for the server's default quota).
    pub fn is_empty(&self) -> bool {
        *self == Units::default()
    }

    /// The AVPs carrying these amounts, in RFC 8506 order.
    pub fn to_avps(&self) -> Vec<Avp> {
        let mut avps = Vec::new();
        if let Some(time) = self.time {
            avps.push(Avp::u32(avp::CC_TIME, None, true, time));
        }
        for (code, value) in [
            (avp::CC_TOTAL_OCTETS, self.total_octets),
            (avp::CC_INPUT_OCTETS, self.input_octets),
            (avp::CC_OUTPUT_OCTETS, self.output_octets),
            (avp::CC_SERVICE_SPECIFIC_UNITS, self.service_specific),
        ] {
            if let Some(value) = value {
                avps.push(Avp::u64(code, None, true, value));
            }
        }
        avps
    }

    fn parse(avps: &[Avp]) -> Result<Units, CcrError> {
        Ok(Units {
            total_octets: optional_u64(avps, avp::CC_TOTAL_OCTETS, None, "CC-Total-Octets")?,
            input_octets: optional_u64(avps, avp::CC_INPUT_OCTETS, None, "CC-Input-Octets")?,
            output_octets: optional_u64(avps, avp::CC_OUTPUT_OCTETS, None, "CC-Output-Octets")?,
            time: optional_u32(avps, avp::CC_TIME, None, "CC-Time")?,
            service_specific: optional_u64(avps, avp::CC_SERVICE_SPECIFIC_UNITS, None, "CC-Service-Specific-Units")?,
        })
    }
}

/// One Multiple-Services-Credit-Control of a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mscc {
    /// Rating-Group the units belong to.
    pub rating_group: Option<u32>,
    /// First Service-Identifier, if any.
    pub service_identifier: Option<u32>,
    /// Requested-Service-Unit; `Some(Units::default())` for an empty RSU.
    pub requested: Option<Units>,
    /// Every Used-Service-Unit, in order.
    pub used: Vec<Units>,
    /// 3GPP Reporting-Reason at MSCC level, else the first one inside a Used-Service-Unit.
    pub reporting_reason: Option<u32>,
}

impl Mscc {
    fn parse(mscc: &Avp) -> Result<Mscc, CcrError> {
        let name = "Multiple-Services-Credit-Control";
        let avps = grouped(mscc, name)?;
        Self::parse_contents(&avps).map_err(|e| e.inside(mscc, name))
    }

    fn parse_contents(avps: &[Avp]) -> Result<Mscc, CcrError> {
        let rating_group = optional_u32(avps, avp::RATING_GROUP, None, "Rating-Group")?;
        let mut service_identifier = None;
        for id in avps.find_all(avp::SERVICE_IDENTIFIER) {
            let id = u32_value(id, "Service-Identifier")?;
            service_identifier = service_identifier.or(Some(id));
        }
        let requested = match at_most_one(avps, avp::REQUESTED_SERVICE_UNIT, None, "Requested-Service-Unit")? {
            Some(rsu) => Some(units_of(rsu, "Requested-Service-Unit")?),
            None => None,
        };
        let mut used = Vec::new();
        let mut used_reason = None;
        for usu in avps.find_all(avp::USED_SERVICE_UNIT) {
            let name = "Used-Service-Unit";
            let contents = grouped(usu, name)?;
            used.push(Units::parse(&contents).map_err(|e| e.inside(usu, name))?);
            let reason = optional_u32(&contents, avp_3gpp::REPORTING_REASON, TGPP, "Reporting-Reason")
                .map_err(|e| e.inside(usu, name))?;
            used_reason = used_reason.or(reason);
        }
        let reporting_reason =
            optional_u32(avps, avp_3gpp::REPORTING_REASON, TGPP, "Reporting-Reason")?.or(used_reason);
        Ok(Mscc { rating_group, service_identifier, requested, used, reporting_reason })
    }
}

/// A Credit-Control-Request, checked: every field here was present and well-formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ccr {
    /// Session-Id.
    pub session_id: String,
    /// Origin-Host of the charging client.
    pub origin_host: String,
    /// Origin-Realm of the charging client.
    pub origin_realm: String,
    /// CC-Request-Type, 1..=4 (see [`crate::dictionary::cc_request_type`]).
    pub request_type: u32,
    /// CC-Request-Number.
    pub request_number: u32,
    /// Every Subscription-Id as (Subscription-Id-Type 0..=4, Subscription-Id-Data).
    pub subscription_ids: Vec<(u32, String)>,
    /// Requested-Action, 0..=3 (EVENT requests).
    pub requested_action: Option<u32>,
    /// 3GPP-SGSN-MCC-MNC (5 or 6 digits), from Service-Information / PS-Information, else the top level.
    pub sgsn_mcc_mnc: Option<String>,
    /// Every Multiple-Services-Credit-Control, in order.
    pub mscc: Vec<Mscc>,
    /// Termination-Cause.
    pub termination_cause: Option<u32>,
}

impl Ccr {
    /// Parses and checks a Credit-Control-Request.
    ///
    /// Errors carry the Result-Code to answer with: 3001 for another command, 3007 for another
    /// application, 3008 if the R bit is clear or the E bit set, 5005 (with an example Failed-AVP)
    /// when Session-Id, Origin-Host, Origin-Realm, Auth-Application-Id, CC-Request-Type,
    /// CC-Request-Number or a Subscription-Id's type or data is missing, 5009 when one of those
    /// occurs twice, and 5004 (with the offending AVP) for a value that is malformed or out of
    /// range — e.g. CC-Request-Type 9, Auth-Application-Id other than 4, Requested-Action 7, or a
    /// 3GPP-SGSN-MCC-MNC that is not 5–6 digits.
    pub fn parse(request: &Message) -> Result<Ccr, CcrError> {
        let header = &request.header;
        if header.command_code != command::CREDIT_CONTROL {
            return Err(CcrError::new(result_code::COMMAND_UNSUPPORTED, None, "not a Credit-Control command"));
        }
        if header.application_id != application::CREDIT_CONTROL {
            return Err(CcrError::new(
                result_code::APPLICATION_UNSUPPORTED,
                None,
                "not the Credit-Control application",
            ));
        }
        if !header.flags.request || header.flags.error {
            return Err(CcrError::new(result_code::INVALID_HDR_BITS, None, "not a request"));
        }
        let avps = request.avps.as_slice();

        let session_id = required_text(avps, avp::SESSION_ID, "Session-Id")?;
        let origin_host = required_identity(avps, avp::ORIGIN_HOST, "Origin-Host")?;
        let origin_realm = required_identity(avps, avp::ORIGIN_REALM, "Origin-Realm")?;
        let application = required(avps, avp::AUTH_APPLICATION_ID, None, "Auth-Application-Id")?;
        if u32_value(application, "Auth-Application-Id")? != application::CREDIT_CONTROL {
            return Err(CcrError::invalid(application, "Auth-Application-Id", "must be 4 (credit control)"));
        }
        let request_type_avp = required(avps, avp::CC_REQUEST_TYPE, None, "CC-Request-Type")?;
        let request_type = u32_value(request_type_avp, "CC-Request-Type")?;
        if !(cc_request_type::INITIAL..=cc_request_type::EVENT).contains(&request_type) {
            return Err(CcrError::invalid(request_type_avp, "CC-Request-Type", "must be 1 to 4"));
        }
        let request_number =
            u32_value(required(avps, avp::CC_REQUEST_NUMBER, None, "CC-Request-Number")?, "CC-Request-Number")?;

        let mut subscription_ids = Vec::new();
        for id in avps.find_all(avp::SUBSCRIPTION_ID) {
            subscription_ids.push(subscription_id(id)?);
        }

        let requested_action = match at_most_one(avps, avp::REQUESTED_ACTION, None, "Requested-Action")? {
            Some(action) => {
                let value = u32_value(action, "Requested-Action")?;
                if value > requested_action::PRICE_ENQUIRY {
                    return Err(CcrError::invalid(action, "Requested-Action", "must be 0 to 3"));
                }
                Some(value)
            }
            None => None,
        };

        let mut mscc = Vec::new();
        for credit_control in avps.find_all(avp::MULTIPLE_SERVICES_CREDIT_CONTROL) {
            mscc.push(Mscc::parse(credit_control)?);
        }

        Ok(Ccr {
            session_id,
            origin_host,
            origin_realm,
            request_type,
            request_number,
            subscription_ids,
            requested_action,
            sgsn_mcc_mnc: sgsn_mcc_mnc(avps)?,
            mscc,
            termination_cause: optional_u32(avps, avp::TERMINATION_CAUSE, None, "Termination-Cause")?,
        })
    }

    /// The first Subscription-Data of the given Subscription-Id-Type (e.g. E.164 or IMSI).
    pub fn subscription_id(&self, id_type: u32) -> Option<&str> {
        self.subscription_ids.iter().find(|(t, _)| *t == id_type).map(|(_, data)| data.as_str())
    }

    /// This request as a CCR message (what a charging client would send), with Service-Context-Id
    /// [`PS_SERVICE_CONTEXT_ID`] and the 3GPP-SGSN-MCC-MNC inside Service-Information /
    /// PS-Information. [`Ccr::parse`] of the result gives back `self`, except that a
    /// `reporting_reason` is always sent at MSCC level.
    pub fn to_request(&self, destination_realm: &str, hop_by_hop: u32, end_to_end: u32) -> Message {
        let mut request =
            Message::request(command::CREDIT_CONTROL, application::CREDIT_CONTROL, hop_by_hop, end_to_end)
                .with_proxiable(true)
                .with_avp(Avp::utf8(avp::SESSION_ID, None, true, &self.session_id))
                .with_avp(Avp::utf8(avp::ORIGIN_HOST, None, true, &self.origin_host))
                .with_avp(Avp::utf8(avp::ORIGIN_REALM, None, true, &self.origin_realm))
                .with_avp(Avp::utf8(avp::DESTINATION_REALM, None, true, destination_realm))
                .with_avp(Avp::u32(avp::AUTH_APPLICATION_ID, None, true, application::CREDIT_CONTROL))
                .with_avp(Avp::utf8(avp::SERVICE_CONTEXT_ID, None, true, PS_SERVICE_CONTEXT_ID))
                .with_avp(Avp::enumerated(avp::CC_REQUEST_TYPE, None, true, self.request_type))
                .with_avp(Avp::u32(avp::CC_REQUEST_NUMBER, None, true, self.request_number));
        for (id_type, data) in &self.subscription_ids {
            request.push(Avp::grouped(
                avp::SUBSCRIPTION_ID,
                None,
                true,
                vec![
                    Avp::enumerated(avp::SUBSCRIPTION_ID_TYPE, None, true, *id_type),
                    Avp::utf8(avp::SUBSCRIPTION_ID_DATA, None, true, data),
                ],
            ));
        }
        if let Some(action) = self.requested_action {
            request.push(Avp::enumerated(avp::REQUESTED_ACTION, None, true, action));
        }
        if let Some(cause) = self.termination_cause {
            request.push(Avp::enumerated(avp::TERMINATION_CAUSE, None, true, cause));
        }
        if !self.mscc.is_empty() {
            request.push(Avp::enumerated(
                avp::MULTIPLE_SERVICES_INDICATOR,
                None,
                true,
                crate::dictionary::multiple_services_indicator::SUPPORTED,
            ));
        }
        for mscc in &self.mscc {
            let mut contents = Vec::new();
            if let Some(requested) = &mscc.requested {
                contents.push(Avp::grouped(avp::REQUESTED_SERVICE_UNIT, None, true, requested.to_avps()));
            }
            for used in &mscc.used {
                contents.push(Avp::grouped(avp::USED_SERVICE_UNIT, None, true, used.to_avps()));
            }
            if let Some(id) = mscc.service_identifier {
                contents.push(Avp::u32(avp::SERVICE_IDENTIFIER, None, true, id));
            }
            if let Some(group) = mscc.rating_group {
                contents.push(Avp::u32(avp::RATING_GROUP, None, true, group));
            }
            if let Some(reason) = mscc.reporting_reason {
                contents.push(Avp::enumerated(avp_3gpp::REPORTING_REASON, TGPP, true, reason));
            }
            request.push(Avp::grouped(avp::MULTIPLE_SERVICES_CREDIT_CONTROL, None, true, contents));
        }
        if let Some(plmn) = &self.sgsn_mcc_mnc {
            let ps = Avp::grouped(
                avp_3gpp::PS_INFORMATION,
                TGPP,
                true,
                vec![Avp::utf8(avp_3gpp::SGSN_MCC_MNC, TGPP, false, plmn)],
            );
            request.push(Avp::grouped(avp_3gpp::SERVICE_INFORMATION, TGPP, true, vec![ps]));
        }
        request
    }
}

/// Why a request cannot be served, with what to answer: Result-Code, the AVP to put inside
/// Failed-AVP (already wrapped in its grouped parents) and a text for Error-Message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (Result-Code {result_code})")]
pub struct CcrError {
    /// Result-Code to answer with (5005 missing, 5004 invalid, 5009 repeated, 3xxx header).
    pub result_code: u32,
    /// The AVP to report inside Failed-AVP.
    pub failed_avp: Option<Avp>,
    /// Human-readable reason, suitable for Error-Message.
    pub message: String,
}

impl CcrError {
    /// An error with the given parts.
    pub fn new(result_code: u32, failed_avp: Option<Avp>, message: impl Into<String>) -> CcrError {
        CcrError { result_code, failed_avp, message: message.into() }
    }

    /// 5005: the AVP `code`/`vendor` is missing; Failed-AVP holds an example of it with zeroed
    /// data of the type's minimum length.
    fn missing(code: u32, vendor: Option<u32>, name: &str) -> CcrError {
        let len = crate::dictionary::avp_type(code, vendor).and_then(|t| t.fixed_len()).unwrap_or(0);
        let example = Avp::new(code, vendor, true, vec![0; len]);
        CcrError::new(result_code::MISSING_AVP, Some(example), format!("missing {name}"))
    }

    /// 5004: `avp` has an invalid value.
    fn invalid(avp: &Avp, name: &str, why: &str) -> CcrError {
        CcrError::new(result_code::INVALID_AVP_VALUE, Some(avp.clone()), format!("invalid {name}: {why}"))
    }

    /// The error as found inside the grouped AVP `parent`: Failed-AVP is wrapped in it.
    fn inside(self, parent: &Avp, name: &str) -> CcrError {
        CcrError {
            result_code: self.result_code,
            failed_avp: self
                .failed_avp
                .map(|inner| Avp::grouped(parent.code, parent.vendor_id, parent.flags.mandatory, vec![inner])),
            message: format!("{name}: {}", self.message),
        }
    }
}

/// The first AVP `code`/`vendor`, or 5009 with the second one if it occurs more than once.
fn at_most_one<'a>(avps: &'a [Avp], code: u32, vendor: Option<u32>, name: &str) -> Result<Option<&'a Avp>, CcrError> {
    let mut found = avps.iter().filter(|a| a.is(code, vendor));
    let first = found.next();
    if let Some(second) = found.next() {
        return Err(CcrError::new(
            result_code::AVP_OCCURS_TOO_MANY_TIMES,
            Some(second.clone()),
            format!("{name} occurs more than once"),
        ));
    }
    Ok(first)
}

fn required<'a>(avps: &'a [Avp], code: u32, vendor: Option<u32>, name: &str) -> Result<&'a Avp, CcrError> {
    at_most_one(avps, code, vendor, name)?.ok_or_else(|| CcrError::missing(code, vendor, name))
}

fn u32_value(avp: &Avp, name: &str) -> Result<u32, CcrError> {
    avp.as_u32().map_err(|_| CcrError::invalid(avp, name, "not 4 bytes"))
}

fn u64_value(avp: &Avp, name: &str) -> Result<u64, CcrError> {
    avp.as_u64().map_err(|_| CcrError::invalid(avp, name, "not 8 bytes"))
}

fn text_value(avp: &Avp, name: &str) -> Result<String, CcrError> {
    avp.as_utf8().map(str::to_owned).map_err(|_| CcrError::invalid(avp, name, "not UTF-8"))
}

fn optional_u32(avps: &[Avp], code: u32, vendor: Option<u32>, name: &str) -> Result<Option<u32>, CcrError> {
    at_most_one(avps, code, vendor, name)?.map(|a| u32_value(a, name)).transpose()
}

fn optional_u64(avps: &[Avp], code: u32, vendor: Option<u32>, name: &str) -> Result<Option<u64>, CcrError> {
    at_most_one(avps, code, vendor, name)?.map(|a| u64_value(a, name)).transpose()
}

/// A non-empty UTF8String that must occur exactly once.
fn required_text(avps: &[Avp], code: u32, name: &str) -> Result<String, CcrError> {
    let found = required(avps, code, None, name)?;
    let text = text_value(found, name)?;
    if text.is_empty() {
        return Err(CcrError::invalid(found, name, "empty"));
    }
    Ok(text)
}

/// A DiameterIdentity (non-empty ASCII) that must occur exactly once.
fn required_identity(avps: &[Avp], code: u32, name: &str) -> Result<String, CcrError> {
    let text = required_text(avps, code, name)?;
    if !text.is_ascii() {
        let found = required(avps, code, None, name)?;
        return Err(CcrError::invalid(found, name, "not ASCII"));
    }
    Ok(text)
}

/// The contents of a grouped AVP (5014 / 5004 if they do not decode).
fn grouped(avp: &Avp, name: &str) -> Result<Vec<Avp>, CcrError> {
    avp.as_grouped().map_err(|error| {
        let code = match error {
            DecodeError::BadAvpLength { .. } | DecodeError::Truncated => result_code::INVALID_AVP_LENGTH,
            _ => result_code::INVALID_AVP_VALUE,
        };
        CcrError::new(code, Some(avp.clone()), format!("invalid {name}: {error}"))
    })
}

fn units_of(avp: &Avp, name: &str) -> Result<Units, CcrError> {
    Units::parse(&grouped(avp, name)?).map_err(|e| e.inside(avp, name))
}

fn subscription_id(id: &Avp) -> Result<(u32, String), CcrError> {
    let name = "Subscription-Id";
    let contents = grouped(id, name)?;
    let parse = || {
        let type_avp = required(&contents, avp::SUBSCRIPTION_ID_TYPE, None, "Subscription-Id-Type")?;
        let id_type = u32_value(type_avp, "Subscription-Id-Type")?;
        if id_type > subscription_id_type::PRIVATE {
            return Err(CcrError::invalid(type_avp, "Subscription-Id-Type", "must be 0 to 4"));
        }
        let data = text_value(
            required(&contents, avp::SUBSCRIPTION_ID_DATA, None, "Subscription-Id-Data")?,
            "Subscription-Id-Data",
        )?;
        Ok((id_type, data))
    };
    parse().map_err(|e| e.inside(id, name))
}

/// 3GPP-SGSN-MCC-MNC from Service-Information / PS-Information (TS 32.299), else the top level.
fn sgsn_mcc_mnc(avps: &[Avp]) -> Result<Option<String>, CcrError> {
    for service in avps.find_all_vendor(avp_3gpp::SERVICE_INFORMATION, vendor::THREE_GPP) {
        let service_name = "Service-Information";
        let service_contents = grouped(service, service_name)?;
        for ps in service_contents.find_all_vendor(avp_3gpp::PS_INFORMATION, vendor::THREE_GPP) {
            let ps_name = "PS-Information";
            let found = grouped(ps, ps_name)
                .and_then(|ps_contents| plmn_in(&ps_contents).map_err(|e| e.inside(ps, ps_name)))
                .map_err(|e| e.inside(service, service_name))?;
            if found.is_some() {
                return Ok(found);
            }
        }
    }
    plmn_in(avps)
}

fn plmn_in(avps: &[Avp]) -> Result<Option<String>, CcrError> {
    let name = "3GPP-SGSN-MCC-MNC";
    let Some(found) = at_most_one(avps, avp_3gpp::SGSN_MCC_MNC, TGPP, name)? else {
        return Ok(None);
    };
    let text = text_value(found, name)?;
    if !(5..=6).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CcrError::invalid(found, name, "must be MCC and MNC, 5 or 6 digits"));
    }
    Ok(Some(text))
}

/// One Multiple-Services-Credit-Control of an answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MsccAnswer {
    /// Rating-Group, echoed from the request.
    pub rating_group: Option<u32>,
    /// Service-Identifier, echoed from the request.
    pub service_identifier: Option<u32>,
    /// Result-Code of this MSCC: 2001 granted, 4012 no eligible balance, 4010 denied, 5031
    /// unknown Rating-Group, …
    pub result_code: u32,
    /// Granted-Service-Unit.
    pub granted: Option<Units>,
    /// Validity-Time in seconds.
    pub validity_time: Option<u32>,
    /// Final-Unit-Action inside a Final-Unit-Indication: these are the last units.
    pub final_unit_action: Option<u32>,
}

impl MsccAnswer {
    /// The Multiple-Services-Credit-Control AVP.
    pub fn to_avp(&self) -> Avp {
        let mut contents = Vec::new();
        if let Some(granted) = &self.granted {
            contents.push(Avp::grouped(avp::GRANTED_SERVICE_UNIT, None, true, granted.to_avps()));
        }
        if let Some(id) = self.service_identifier {
            contents.push(Avp::u32(avp::SERVICE_IDENTIFIER, None, true, id));
        }
        if let Some(group) = self.rating_group {
            contents.push(Avp::u32(avp::RATING_GROUP, None, true, group));
        }
        if let Some(seconds) = self.validity_time {
            contents.push(Avp::u32(avp::VALIDITY_TIME, None, true, seconds));
        }
        contents.push(Avp::u32(avp::RESULT_CODE, None, true, self.result_code));
        if let Some(action) = self.final_unit_action {
            contents.push(Avp::grouped(
                avp::FINAL_UNIT_INDICATION,
                None,
                true,
                vec![Avp::enumerated(avp::FINAL_UNIT_ACTION, None, true, action)],
            ));
        }
        Avp::grouped(avp::MULTIPLE_SERVICES_CREDIT_CONTROL, None, true, contents)
    }
}

/// This node's identity in capabilities exchange and watchdog / disconnect messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPeer {
    /// Origin-Host, e.g. "ocs.keepsim.local".
    pub origin_host: String,
    /// Origin-Realm, e.g. "keepsim.local".
    pub origin_realm: String,
    /// Host-IP-Address values (a CEA needs at least one).
    pub host_ip_addresses: Vec<IpAddr>,
    /// Vendor-Id (0 when the operator has no enterprise number).
    pub vendor_id: u32,
    /// Product-Name.
    pub product_name: String,
    /// Origin-State-Id: changes whenever the node restarts with lost state.
    pub origin_state_id: Option<u32>,
    /// Firmware-Revision.
    pub firmware_revision: Option<u32>,
}

impl LocalPeer {
    /// An identity with Vendor-Id 0, Product-Name [`PRODUCT_NAME`] and no Origin-State-Id.
    pub fn new(
        origin_host: impl Into<String>,
        origin_realm: impl Into<String>,
        host_ip_addresses: Vec<IpAddr>,
    ) -> LocalPeer {
        LocalPeer {
            origin_host: origin_host.into(),
            origin_realm: origin_realm.into(),
            host_ip_addresses,
            vendor_id: 0,
            product_name: PRODUCT_NAME.to_owned(),
            origin_state_id: None,
            firmware_revision: None,
        }
    }

    fn origin(&self) -> [Avp; 2] {
        [
            Avp::utf8(avp::ORIGIN_HOST, None, true, &self.origin_host),
            Avp::utf8(avp::ORIGIN_REALM, None, true, &self.origin_realm),
        ]
    }

    fn origin_state(&self) -> Option<Avp> {
        self.origin_state_id.map(|id| Avp::u32(avp::ORIGIN_STATE_ID, None, true, id))
    }

    /// The capability AVPs shared by CER and CEA (after Origin-Host/Realm).
    fn capabilities(&self) -> Vec<Avp> {
        let mut avps = Vec::new();
        for address in &self.host_ip_addresses {
            avps.push(Avp::address(avp::HOST_IP_ADDRESS, None, true, *address));
        }
        avps.push(Avp::u32(avp::VENDOR_ID, None, true, self.vendor_id));
        avps.push(Avp::utf8(avp::PRODUCT_NAME, None, false, &self.product_name));
        avps.extend(self.origin_state());
        avps.push(Avp::u32(avp::SUPPORTED_VENDOR_ID, None, true, vendor::THREE_GPP));
        avps.push(Avp::u32(avp::AUTH_APPLICATION_ID, None, true, application::CREDIT_CONTROL));
        if let Some(revision) = self.firmware_revision {
            avps.push(Avp::u32(avp::FIRMWARE_REVISION, None, false, revision));
        }
        avps
    }
}

/// An empty answer to `request`, with the E bit iff `result_code` is a protocol error (3xxx).
fn answer(request: &Message, result: u32) -> Message {
    Message::answer_for(request).with_error(result_code::is_protocol_error(result))
}

/// The request's Proxy-Info AVPs, which every answer must carry back in order (RFC 6733 §6.2).
fn proxy_infos(request: &Message) -> impl Iterator<Item = Avp> + '_ {
    request.find_all(avp::PROXY_INFO).cloned()
}

/// A Credit-Control-Answer to `request` (parsed as `ccr`): Session-Id, Result-Code,
/// Origin-Host/Realm, Auth-Application-Id 4, CC-Request-Type/Number echoed, one
/// Multiple-Services-Credit-Control per `msccs`, and the request's Proxy-Info.
pub fn cca(
    request: &Message,
    ccr: &Ccr,
    origin_host: &str,
    origin_realm: &str,
    result_code: u32,
    msccs: Vec<MsccAnswer>,
) -> Message {
    answer(request, result_code)
        .with_avp(Avp::utf8(avp::SESSION_ID, None, true, &ccr.session_id))
        .with_avp(Avp::u32(avp::RESULT_CODE, None, true, result_code))
        .with_avp(Avp::utf8(avp::ORIGIN_HOST, None, true, origin_host))
        .with_avp(Avp::utf8(avp::ORIGIN_REALM, None, true, origin_realm))
        .with_avp(Avp::u32(avp::AUTH_APPLICATION_ID, None, true, application::CREDIT_CONTROL))
        .with_avp(Avp::enumerated(avp::CC_REQUEST_TYPE, None, true, ccr.request_type))
        .with_avp(Avp::u32(avp::CC_REQUEST_NUMBER, None, true, ccr.request_number))
        .with_avps(msccs.iter().map(MsccAnswer::to_avp))
        .with_avps(proxy_infos(request))
}

/// A Capabilities-Exchange-Answer to `request`: Result-Code, Origin-Host/Realm, one
/// Host-IP-Address per address, Vendor-Id, Product-Name, [Origin-State-Id], Supported-Vendor-Id
/// 10415, Auth-Application-Id 4, [Firmware-Revision]. Answer 5010 when the peer does not
/// [`advertises_credit_control`].
pub fn cea(request: &Message, local: &LocalPeer, result_code: u32) -> Message {
    answer(request, result_code)
        .with_avp(Avp::u32(avp::RESULT_CODE, None, true, result_code))
        .with_avps(local.origin())
        .with_avps(local.capabilities())
}

/// A Device-Watchdog-Answer to `request`: Result-Code, Origin-Host/Realm, [Origin-State-Id].
pub fn dwa(request: &Message, local: &LocalPeer, result_code: u32) -> Message {
    answer(request, result_code)
        .with_avp(Avp::u32(avp::RESULT_CODE, None, true, result_code))
        .with_avps(local.origin())
        .with_avps(local.origin_state())
}

/// A Disconnect-Peer-Answer to `request`: Result-Code, Origin-Host/Realm.
pub fn dpa(request: &Message, local: &LocalPeer, result_code: u32) -> Message {
    answer(request, result_code).with_avp(Avp::u32(avp::RESULT_CODE, None, true, result_code)).with_avps(local.origin())
}

/// An answer reporting that `request` failed: Session-Id (if the request had one), Result-Code,
/// Origin-Host/Realm, [Error-Message], [Failed-AVP containing `failed_avp`]; for a
/// Credit-Control request also Auth-Application-Id 4 and the well-formed CC-Request-Type /
/// CC-Request-Number of the request (so the client can match it); then the request's Proxy-Info.
///
/// The E bit is set iff `result_code` is a protocol error (3xxx): RFC 6733 §7.2 reserves it for
/// those, while 4xxx/5xxx failures are ordinary answers of the command (e.g. a CCA with 5005).
pub fn error_answer(
    request: &Message,
    origin_host: &str,
    origin_realm: &str,
    result_code: u32,
    failed_avp: Option<Avp>,
    error_message: Option<&str>,
) -> Message {
    let mut answer = answer(request, result_code);
    if let Some(session) = request.find(avp::SESSION_ID) {
        answer.push(session.clone());
    }
    answer.push(Avp::u32(avp::RESULT_CODE, None, true, result_code));
    answer.push(Avp::utf8(avp::ORIGIN_HOST, None, true, origin_host));
    answer.push(Avp::utf8(avp::ORIGIN_REALM, None, true, origin_realm));
    if let Some(text) = error_message {
        answer.push(Avp::utf8(avp::ERROR_MESSAGE, None, false, text));
    }
    if let Some(failed) = failed_avp {
        answer.push(Avp::grouped(avp::FAILED_AVP, None, true, vec![failed]));
    }
    if request.header.command_code == command::CREDIT_CONTROL {
        answer.push(Avp::u32(avp::AUTH_APPLICATION_ID, None, true, application::CREDIT_CONTROL));
        for code in [avp::CC_REQUEST_TYPE, avp::CC_REQUEST_NUMBER] {
            if let Some(value) = request.find(code).and_then(|a| a.as_u32().ok()) {
                answer.push(Avp::u32(code, None, true, value));
            }
        }
    }
    answer.with_avps(proxy_infos(request))
}

/// Whether a CER offers the Credit-Control application: Auth-Application-Id 4 or relay, at the
/// top level or inside a Vendor-Specific-Application-Id.
pub fn advertises_credit_control(cer: &Message) -> bool {
    let offers = |avps: &[Avp]| {
        avps.find_all(avp::AUTH_APPLICATION_ID)
            .filter_map(|a| a.as_u32().ok())
            .any(|id| id == application::CREDIT_CONTROL || id == application::RELAY)
    };
    offers(&cer.avps)
        || cer
            .find_all(avp::VENDOR_SPECIFIC_APPLICATION_ID)
            .filter_map(|a| a.as_grouped().ok())
            .any(|contents| offers(&contents))
}

/// A Capabilities-Exchange-Request from `local` (for peers and tests that open a connection).
pub fn cer(local: &LocalPeer, hop_by_hop: u32, end_to_end: u32) -> Message {
    Message::request(command::CAPABILITIES_EXCHANGE, application::COMMON, hop_by_hop, end_to_end)
        .with_avps(local.origin())
        .with_avps(local.capabilities())
}

/// A Device-Watchdog-Request from `local`: Origin-Host/Realm, [Origin-State-Id].
pub fn dwr(local: &LocalPeer, hop_by_hop: u32, end_to_end: u32) -> Message {
    Message::request(command::DEVICE_WATCHDOG, application::COMMON, hop_by_hop, end_to_end)
        .with_avps(local.origin())
        .with_avps(local.origin_state())
}

/// A Disconnect-Peer-Request from `local` with a Disconnect-Cause (see
/// [`crate::dictionary::disconnect_cause`]; [`crate::dictionary::disconnect_cause::REBOOTING`] on shutdown).
pub fn dpr(local: &LocalPeer, hop_by_hop: u32, end_to_end: u32, cause: u32) -> Message {
    Message::request(command::DISCONNECT_PEER, application::COMMON, hop_by_hop, end_to_end)
        .with_avps(local.origin())
        .with_avp(Avp::enumerated(avp::DISCONNECT_CAUSE, None, true, cause))
}
