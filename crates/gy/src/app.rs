//! The Gy credit-control application: CCR in, CCA out.
//!
//! Result codes sit where API.md puts them: the command's Result-Code is 2001
//! when the request was processed, and each Multiple-Services-Credit-Control
//! carries its own (2001 granted, 4012 no eligible balance, 4010 denied, 5031
//! unknown Rating-Group); command-level errors are 5030 unknown subscriber,
//! 5002 unknown session, 5004/5005 with Failed-AVP, 5001 for an unknown
//! mandatory AVP, and 3004 when overloaded or the database is unavailable.
//! Answers leave only after their debits are committed. A retransmission (same
//! Session-Id and CC-Request-Number) gets the same answer and no second debit.

use keepsim_diameter::dictionary::{
    avp, cc_request_type, final_unit_action, first_unsupported_mandatory, requested_action, result_code,
    subscription_id_type,
};
use keepsim_diameter::gy::{Ccr, Mscc, MsccAnswer, Units, cca, error_answer};
use keepsim_diameter::{Avp, Message};
use keepsim_domain::bundle::Service;
use keepsim_domain::charging::{ChargeError, ReservationKey, ReserveRequest};
use keepsim_domain::geo::CountryCode;
use keepsim_services::Services;
use keepsim_services::charging::{Charging, ChargingError, Debit, country_of_plmn};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};
use tokio::sync::{Semaphore, watch};
use uuid::Uuid;

/// Which Rating-Groups mean which service. A Rating-Group not listed is
/// refused with 5031 for its MSCC. Without a Rating-Group the unit type decides
/// (octets: data, time: voice, service-specific units: SMS).
#[derive(Debug, Clone)]
pub struct RatingGroups(pub HashMap<u32, Service>);

impl Default for RatingGroups {
    fn default() -> Self {
        RatingGroups(HashMap::from([
            (10, Service::Data),
            (100, Service::Data),
            (20, Service::Voice),
            (200, Service::Voice),
            (30, Service::Sms),
            (300, Service::Sms),
        ]))
    }
}

struct Session {
    line_id: Uuid,
    /// An EVENT (one request, no reservations), remembered for its retransmissions.
    event: bool,
    last_number: u32,
    last_answer: Option<Message>,
    /// The answer to `last_number` while it is being processed, for retransmissions that arrive meanwhile.
    pending: Option<watch::Receiver<Option<Message>>>,
    groups: Vec<(u32, Service)>,
    country: Option<CountryCode>,
    touched: OffsetDateTime,
}

/// The credit-control application.
pub struct GyApp {
    services: Services,
    charging: Arc<Charging>,
    origin_host: String,
    origin_realm: String,
    rating_groups: RatingGroups,
    sessions: Mutex<HashMap<String, Session>>,
    in_flight: Semaphore,
}

impl Session {
    /// The answer (or the answer to come) if `number` is the request this session saw last.
    fn repeat_of(&self, number: u32) -> Option<Repeat> {
        if self.last_number != number {
            return None;
        }
        match (&self.last_answer, &self.pending) {
            (Some(answer), _) => Some(Repeat::Answered(answer.clone())),
            (None, Some(rx)) => Some(Repeat::InFlight(rx.clone())),
            (None, None) => None,
        }
    }
}

impl std::fmt::Debug for GyApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GyApp").field("origin_host", &self.origin_host).finish_non_exhaustive()
    }
}

fn units_of(service: Service, u: &Units) -> Option<u64> {
    match service {
        Service::Data => u.total_octets.or_else(|| match (u.input_octets, u.output_octets) {
            (None, None) => None,
            (i, o) => Some(i.unwrap_or(0).saturating_add(o.unwrap_or(0))),
        }),
        Service::Voice => u.time.map(u64::from),
        Service::Sms => u.service_specific,
    }
}

fn granted(service: Service, units: u64) -> Units {
    match service {
        Service::Data => Units { total_octets: Some(units), ..Units::default() },
        Service::Voice => Units { time: Some(u32::try_from(units).unwrap_or(u32::MAX)), ..Units::default() },
        Service::Sms => Units { service_specific: Some(units), ..Units::default() },
    }
}

fn refused(code: ChargeError) -> u32 {
    match code {
        ChargeError::ServiceDenied => result_code::END_USER_SERVICE_DENIED,
        ChargeError::NoEligibleBundle => result_code::CREDIT_LIMIT_REACHED,
        ChargeError::ReservationExists => result_code::UNABLE_TO_COMPLY,
        ChargeError::UnknownReservation => result_code::UNKNOWN_SESSION_ID,
    }
}

/// A command-level failure.
struct Fail(u32, Option<Avp>, String);

/// Why processing stopped before an answer of its own.
enum Stop {
    /// A command-level failure, answered as such.
    Fail(Fail),
    /// Another copy of this request got there first: answer as it does.
    Repeat(Repeat),
}

impl From<Fail> for Stop {
    fn from(f: Fail) -> Stop {
        Stop::Fail(f)
    }
}

/// A request seen before.
enum Repeat {
    /// Its answer.
    Answered(Message),
    /// Still being processed: its answer will arrive here.
    InFlight(watch::Receiver<Option<Message>>),
}

/// The cached answer, addressed to this copy of the request.
fn same_answer(mut answer: Message, request: &Message) -> Message {
    answer.header.hop_by_hop = request.header.hop_by_hop;
    answer.header.end_to_end = request.header.end_to_end;
    answer
}

impl GyApp {
    /// The application for `services`, answering as `origin_host` / `origin_realm`,
    /// with at most `max_in_flight` requests being processed (beyond: 3004).
    pub fn new(
        services: Services,
        origin_host: &str,
        origin_realm: &str,
        rating_groups: RatingGroups,
        max_in_flight: usize,
    ) -> GyApp {
        GyApp {
            charging: services.charging(),
            services,
            origin_host: origin_host.into(),
            origin_realm: origin_realm.into(),
            rating_groups,
            sessions: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(max_in_flight.max(1)),
        }
    }

    fn service_of(&self, m: &Mscc) -> Result<(u32, Service), u32> {
        match m.rating_group {
            Some(rg) => self.rating_groups.0.get(&rg).map(|s| (rg, *s)).ok_or(result_code::RATING_FAILED),
            None => {
                let sample = m.requested.or_else(|| m.used.first().copied()).unwrap_or_default();
                let service = if sample.time.is_some() {
                    Service::Voice
                } else if sample.service_specific.is_some() {
                    Service::Sms
                } else {
                    Service::Data
                };
                Ok((0, service))
            }
        }
    }

    fn error(&self, request: &Message, f: Fail) -> Message {
        error_answer(request, &self.origin_host, &self.origin_realm, f.0, f.1, Some(&f.2))
    }

    /// Answers one CCR.
    pub async fn handle(&self, request: &Message) -> Message {
        if let Some(unknown) = first_unsupported_mandatory(&request.avps) {
            let unknown = unknown.clone();
            return self
                .error(request, Fail(result_code::AVP_UNSUPPORTED, Some(unknown), "unsupported mandatory AVP".into()));
        }
        let ccr = match Ccr::parse(request) {
            Ok(c) => c,
            Err(e) => return self.error(request, Fail(e.result_code, e.failed_avp, e.message)),
        };
        if let Some(repeat) = self.retransmission(&ccr) {
            return self.repeat(request, repeat).await;
        }
        let Ok(_permit) = self.in_flight.try_acquire() else {
            return self.error(request, Fail(result_code::TOO_BUSY, None, "overloaded; retry later".into()));
        };
        let (tx, rx) = watch::channel(None);
        let answer = match self.process(request, &ccr, rx).await {
            Ok(answer) => answer,
            Err(Stop::Fail(f)) => self.error(request, f),
            // A copy that arrived together with this one registered first (checked and registered under one lock).
            Err(Stop::Repeat(repeat)) => return self.repeat(request, repeat).await,
        };
        self.remember(&ccr, &answer);
        let _ = tx.send(Some(answer.clone()));
        answer
    }

    /// The answer to a request seen before, addressed to this copy.
    async fn repeat(&self, request: &Message, repeat: Repeat) -> Message {
        match repeat {
            Repeat::Answered(answer) => same_answer(answer, request),
            Repeat::InFlight(mut rx) => {
                // The original is still being processed: wait for its answer instead of charging again.
                let answered = rx.wait_for(Option::is_some).await.ok().and_then(|a| a.clone());
                match answered {
                    Some(answer) => same_answer(answer, request),
                    None => self
                        .error(request, Fail(result_code::TOO_BUSY, None, "the original request failed; retry".into())),
                }
            }
        }
    }

    fn retransmission(&self, ccr: &Ccr) -> Option<Repeat> {
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.get(&ccr.session_id).and_then(|s| s.repeat_of(ccr.request_number))
    }

    fn remember(&self, ccr: &Ccr, answer: &Message) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = sessions.get_mut(&ccr.session_id)
            && s.last_number == ccr.request_number
        {
            s.last_answer = Some(answer.clone());
            s.pending = None;
        }
    }

    /// Forgets sessions idle for longer than `idle` (their reservations time out in the engine).
    pub fn prune_sessions(&self, now: OffsetDateTime, idle: Duration) -> usize {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let before = sessions.len();
        sessions.retain(|_, s| s.touched + idle > now);
        before - sessions.len()
    }

    /// Refuses unit counts no real session produces (5004, the MSCC as Failed-AVP),
    /// before anything is charged: 1 TiB of data, ten days of voice, 100,000 SMS per report.
    fn check_amounts(&self, request: &Message, ccr: &Ccr) -> Result<(), Fail> {
        const LIMIT_OCTETS: u64 = 1 << 40;
        for (i, m) in ccr.mscc.iter().enumerate() {
            let absurd = m.requested.iter().chain(m.used.iter()).any(|u| {
                [u.total_octets, u.input_octets, u.output_octets].iter().flatten().any(|v| *v > LIMIT_OCTETS)
                    || u.time.is_some_and(|t| t > 10 * 86_400)
                    || u.service_specific.is_some_and(|n| n > 100_000)
            });
            if absurd {
                let failed = request.find_all(avp::MULTIPLE_SERVICES_CREDIT_CONTROL).nth(i).cloned();
                return Err(Fail(
                    result_code::INVALID_AVP_VALUE,
                    failed,
                    "a unit count no real session produces".into(),
                ));
            }
        }
        Ok(())
    }

    async fn process(
        &self,
        request: &Message,
        ccr: &Ccr,
        pending: watch::Receiver<Option<Message>>,
    ) -> Result<Message, Stop> {
        self.check_amounts(request, ccr)?;
        let now = self.services.clock.now();
        let (line_id, country) = match ccr.request_type {
            cc_request_type::INITIAL | cc_request_type::EVENT => {
                let line_id = self.subscriber(request, ccr).await?;
                let country = ccr.sgsn_mcc_mnc.as_deref().and_then(country_of_plmn);
                // Checked and registered under one lock, so of two copies arriving together one charges
                // and the other waits for its answer. An EVENT is registered too, for its retransmissions.
                let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(s) = sessions.get(&ccr.session_id) {
                    if let Some(repeat) = s.repeat_of(ccr.request_number) {
                        return Err(Stop::Repeat(repeat));
                    }
                    // A later event may reuse an event's Session-Id; nothing may reuse a session's.
                    if ccr.request_type == cc_request_type::INITIAL || !s.event {
                        let failed = request.find(avp::SESSION_ID).cloned();
                        return Err(Fail(
                            result_code::INVALID_AVP_VALUE,
                            failed,
                            "this session was already initiated".into(),
                        )
                        .into());
                    }
                }
                sessions.insert(
                    ccr.session_id.clone(),
                    Session {
                        line_id,
                        event: ccr.request_type == cc_request_type::EVENT,
                        last_number: ccr.request_number,
                        last_answer: None,
                        pending: Some(pending.clone()),
                        groups: Vec::new(),
                        country,
                        touched: now,
                    },
                );
                (line_id, country)
            }
            _ => {
                let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
                let Some(s) = sessions.get_mut(&ccr.session_id).filter(|s| !s.event) else {
                    let failed = request.find(avp::SESSION_ID).cloned();
                    return Err(Fail(result_code::UNKNOWN_SESSION_ID, failed, "no such session".into()).into());
                };
                if let Some(repeat) = s.repeat_of(ccr.request_number) {
                    return Err(Stop::Repeat(repeat));
                }
                if ccr.request_number <= s.last_number {
                    let failed = request.find(avp::CC_REQUEST_NUMBER).cloned();
                    return Err(Fail(
                        result_code::INVALID_AVP_VALUE,
                        failed,
                        format!("CC-Request-Number {} is out of order", ccr.request_number),
                    )
                    .into());
                }
                s.last_number = ccr.request_number;
                s.last_answer = None;
                s.pending = Some(pending.clone());
                s.touched = now;
                // A later request may name another visited network (the subscriber moved).
                if let Some(c) = ccr.sgsn_mcc_mnc.as_deref().and_then(country_of_plmn) {
                    s.country = Some(c);
                }
                (s.line_id, s.country)
            }
        };
        let mut answers = Vec::with_capacity(ccr.mscc.len());
        if ccr.request_type == cc_request_type::EVENT {
            if ccr.requested_action.unwrap_or(requested_action::DIRECT_DEBITING) != requested_action::DIRECT_DEBITING {
                let failed = request.find(avp::REQUESTED_ACTION).cloned();
                return Err(Fail(
                    result_code::INVALID_AVP_VALUE,
                    failed,
                    "only DIRECT_DEBITING events are supported".into(),
                )
                .into());
            }
            let msccs = if ccr.mscc.is_empty() {
                vec![Mscc { requested: Some(Units::default()), ..Mscc::default() }]
            } else {
                ccr.mscc.clone()
            };
            for (i, m) in msccs.iter().enumerate() {
                // Named by the globally unique Session-Id, so a retransmission after a restart is not charged again.
                let event_id = format!("gy:{}:{}:{i}", ccr.session_id, ccr.request_number);
                answers.push(self.event(line_id, country, m, event_id, now).await?);
            }
        } else {
            for m in &ccr.mscc {
                answers.push(self.session_mscc(line_id, country, ccr, m, now).await?);
            }
            if ccr.request_type == cc_request_type::TERMINATION {
                self.close_session(line_id, ccr, country, now).await?;
            }
        }
        Ok(cca(request, ccr, &self.origin_host, &self.origin_realm, result_code::SUCCESS, answers))
    }

    async fn subscriber(&self, request: &Message, ccr: &Ccr) -> Result<Uuid, Fail> {
        let msisdn = ccr.subscription_id(subscription_id_type::E164);
        let imsi = ccr.subscription_id(subscription_id_type::IMSI);
        if msisdn.is_none() && imsi.is_none() {
            let example = Avp::grouped(
                avp::SUBSCRIPTION_ID,
                None,
                true,
                vec![
                    Avp::enumerated(avp::SUBSCRIPTION_ID_TYPE, None, true, 0),
                    Avp::utf8(avp::SUBSCRIPTION_ID_DATA, None, true, ""),
                ],
            );
            return Err(Fail(
                result_code::MISSING_AVP,
                Some(example),
                "Subscription-Id (E.164 or IMSI) is required".into(),
            ));
        }
        match self.charging.subscriber(msisdn, imsi).await {
            Ok(s) => Ok(s.line_id),
            Err(ChargingError::UnknownSubscriber) => {
                let failed = request.find(avp::SUBSCRIPTION_ID).cloned();
                Err(Fail(result_code::USER_UNKNOWN, failed, "unknown subscriber".into()))
            }
            Err(e) => Err(Fail(result_code::TOO_BUSY, None, e.to_string())),
        }
    }

    fn answer_for(&self, m: &Mscc, result: u32) -> MsccAnswer {
        MsccAnswer {
            rating_group: m.rating_group,
            service_identifier: m.service_identifier,
            result_code: result,
            ..MsccAnswer::default()
        }
    }

    async fn session_mscc(
        &self,
        line_id: Uuid,
        country: Option<CountryCode>,
        ccr: &Ccr,
        m: &Mscc,
        now: OffsetDateTime,
    ) -> Result<MsccAnswer, Fail> {
        let (rg, service) = match self.service_of(m) {
            Ok(x) => x,
            Err(code) => return Ok(self.answer_for(m, code)),
        };
        let key = ReservationKey::new(ccr.session_id.clone(), rg);
        {
            let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(s) = sessions.get_mut(&ccr.session_id)
                && !s.groups.iter().any(|(g, _)| *g == rg)
            {
                s.groups.push((rg, service));
            }
        }
        let used: u64 = m.used.iter().filter_map(|u| units_of(service, u)).fold(0u64, u64::saturating_add);
        let cfg = self.charging.config();
        let validity = cfg.validity;
        let wants_more = m.requested.is_some() && ccr.request_type != cc_request_type::TERMINATION;
        let Some(country) = country else {
            // No visited network we know: nothing is eligible. Usage reported is still debited… nowhere: overage.
            if used > 0 {
                tracing::warn!(session = %ccr.session_id, used, "usage reported without a known visited network");
            }
            return Ok(self.answer_for(m, result_code::CREDIT_LIMIT_REACHED));
        };
        let request = ReserveRequest {
            service,
            country,
            requested: m.requested.and_then(|u| units_of(service, &u)),
            default_quota: cfg.default_quota(service),
            validity,
        };
        let busy = |e: ChargingError| match e {
            ChargingError::Refused(c) => Ok(refused(c)),
            other => Err(Fail(result_code::TOO_BUSY, None, other.to_string())),
        };
        if ccr.request_type == cc_request_type::INITIAL {
            return Ok(match self.charging.reserve(line_id, &key, request, now).await {
                Ok(g) => self.grant(m, service, g.units, g.is_final, g.validity),
                Err(e) => self.answer_for(m, busy(e)?),
            });
        }
        if wants_more {
            let update = match self.charging.update(line_id, &key, used, request, now).await {
                Ok(u) => u,
                Err(e) => return Ok(self.answer_for(m, busy(e)?)),
            };
            return Ok(match update.grant {
                Ok(g) => self.grant(m, service, g.units, g.is_final, g.validity),
                Err(c) => self.answer_for(m, refused(c)),
            });
        }
        match self.charging.terminate(line_id, &key, used, Some((service, country)), now).await {
            Ok(_) => Ok(self.answer_for(m, result_code::SUCCESS)),
            Err(e) => Ok(self.answer_for(m, busy(e)?)),
        }
    }

    fn grant(&self, m: &Mscc, service: Service, units: u64, is_final: bool, validity: Duration) -> MsccAnswer {
        MsccAnswer {
            rating_group: m.rating_group,
            service_identifier: m.service_identifier,
            result_code: result_code::SUCCESS,
            granted: Some(granted(service, units)),
            validity_time: Some(u32::try_from(validity.whole_seconds().max(1)).unwrap_or(u32::MAX)),
            final_unit_action: is_final.then_some(final_unit_action::TERMINATE),
        }
    }

    async fn close_session(
        &self,
        line_id: Uuid,
        ccr: &Ccr,
        country: Option<CountryCode>,
        now: OffsetDateTime,
    ) -> Result<(), Fail> {
        let groups: Vec<(u32, Service)> = {
            let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
            sessions.get(&ccr.session_id).map(|s| s.groups.clone()).unwrap_or_default()
        };
        for (rg, service) in groups {
            if ccr.mscc.iter().any(|m| self.service_of(m).map(|(g, _)| g) == Ok(rg)) {
                continue;
            }
            let key = ReservationKey::new(ccr.session_id.clone(), rg);
            let fallback = country.map(|c| (service, c));
            if let Err(e) = self.charging.terminate(line_id, &key, 0, fallback, now).await
                && !matches!(e, ChargingError::Refused(_))
            {
                return Err(Fail(result_code::TOO_BUSY, None, e.to_string()));
            }
        }
        Ok(())
    }

    async fn event(
        &self,
        line_id: Uuid,
        country: Option<CountryCode>,
        m: &Mscc,
        event_id: String,
        now: OffsetDateTime,
    ) -> Result<MsccAnswer, Fail> {
        let (_, service) = match self.service_of(m) {
            Ok(x) => x,
            Err(code) => return Ok(self.answer_for(m, code)),
        };
        let Some(country) = country else { return Ok(self.answer_for(m, result_code::CREDIT_LIMIT_REACHED)) };
        let units = m.requested.and_then(|u| units_of(service, &u)).filter(|u| *u > 0).unwrap_or(1);
        let debit = Debit { service, country, units, event_id: Some(event_id), require_chargeable: true };
        match self.charging.debit(line_id, debit, now).await {
            Ok(_) => Ok(MsccAnswer {
                rating_group: m.rating_group,
                service_identifier: m.service_identifier,
                result_code: result_code::SUCCESS,
                granted: Some(granted(service, units)),
                ..MsccAnswer::default()
            }),
            Err(ChargingError::Refused(c)) => Ok(self.answer_for(m, refused(c))),
            Err(e) => Err(Fail(result_code::TOO_BUSY, None, e.to_string())),
        }
    }
}
