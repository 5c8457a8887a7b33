//! Plain-valued rows as both backends read them, and their conversion into
//! domain records. Backends differ in SQL, not in what a stored value means,
//! so the checks that turn strings back into domain types live here once.

use crate::*;
use keepsim_domain::account::{Email, Role};
use keepsim_domain::bundle::{Balance, BundleState, LedgerKind, Service};
use keepsim_domain::catalogue::{DataAllowance, Package, Region, Starts, Tier};
use keepsim_domain::geo::CountryCode;
use keepsim_domain::line::LineState;
use keepsim_domain::order::OrderStatus;
use keepsim_domain::ticket::{TicketAuthor, TicketStatus};
use keepsim_domain::units::{Bytes, Messages, Seconds};
use keepsim_domain::{Currency, Eid, Iccid, Imei, Imsi, Locale, Money, Msisdn};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

/// Reads a stored ICCID, with or without its check digit.
pub fn iccid(s: &str) -> StoreResult<Iccid> {
    Iccid::parse(s).or_else(|_| Iccid::parse_without_check_digit(s)).map_err(|_| corrupt("iccid", s))
}

/// Reads a stored email.
pub fn email(s: &str) -> StoreResult<Email> {
    Email::parse(s).map_err(|_| corrupt("email", s))
}

/// An account row.
#[derive(Debug)]
pub struct AccountRow {
    /// id
    pub id: Uuid,
    /// email
    pub email: String,
    /// password_hash
    pub password_hash: String,
    /// locale tag
    pub locale: String,
    /// created_at
    pub created_at: OffsetDateTime,
}

impl TryFrom<AccountRow> for AccountRecord {
    type Error = StoreError;
    fn try_from(r: AccountRow) -> StoreResult<Self> {
        Ok(AccountRecord {
            id: r.id,
            email: email(&r.email)?,
            password_hash: r.password_hash,
            locale: Locale::resolve(&r.locale),
            created_at: r.created_at,
        })
    }
}

/// A staff row.
#[derive(Debug)]
pub struct StaffRow {
    /// id
    pub id: Uuid,
    /// email
    pub email: String,
    /// password_hash
    pub password_hash: String,
    /// role name
    pub role: String,
    /// created_at
    pub created_at: OffsetDateTime,
    /// totp_secret (base32)
    pub totp_secret: Option<String>,
    /// totp_confirmed
    pub totp_confirmed: bool,
    /// totp_last_step
    pub totp_last_step: Option<i64>,
    /// disabled_at
    pub disabled_at: Option<OffsetDateTime>,
}

impl TryFrom<StaffRow> for StaffRecord {
    type Error = StoreError;
    fn try_from(r: StaffRow) -> StoreResult<Self> {
        Ok(StaffRecord {
            id: r.id,
            email: email(&r.email)?,
            password_hash: r.password_hash,
            role: Role::parse(&r.role).ok_or_else(|| corrupt("role", &r.role))?,
            created_at: r.created_at,
            totp_secret: r.totp_secret,
            totp_confirmed: r.totp_confirmed,
            totp_last_step: r.totp_last_step,
            disabled_at: r.disabled_at,
        })
    }
}

/// A support ticket row.
#[derive(Debug)]
pub struct TicketRow {
    /// id
    pub id: Uuid,
    /// account_id
    pub account_id: Uuid,
    /// subject
    pub subject: String,
    /// status name
    pub status: String,
    /// created_at
    pub created_at: OffsetDateTime,
    /// updated_at
    pub updated_at: OffsetDateTime,
}

impl TryFrom<TicketRow> for TicketRecord {
    type Error = StoreError;
    fn try_from(r: TicketRow) -> StoreResult<Self> {
        Ok(TicketRecord {
            id: r.id,
            account_id: r.account_id,
            subject: r.subject,
            status: TicketStatus::parse(&r.status).ok_or_else(|| corrupt("ticket status", &r.status))?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// A ticket message row.
#[derive(Debug)]
pub struct TicketMessageRow {
    /// id
    pub id: Uuid,
    /// ticket_id
    pub ticket_id: Uuid,
    /// author name
    pub author: String,
    /// staff_id
    pub staff_id: Option<Uuid>,
    /// body
    pub body: String,
    /// created_at
    pub created_at: OffsetDateTime,
}

impl TryFrom<TicketMessageRow> for TicketMessageRecord {
    type Error = StoreError;
    fn try_from(r: TicketMessageRow) -> StoreResult<Self> {
        Ok(TicketMessageRecord {
            id: r.id,
            ticket_id: r.ticket_id,
            author: TicketAuthor::parse(&r.author).ok_or_else(|| corrupt("ticket author", &r.author))?,
            staff_id: r.staff_id,
            body: r.body,
            created_at: r.created_at,
        })
    }
}

/// The UTC date of a day number (days since 1970-01-01).
pub fn unix_day(day: i64) -> StoreResult<time::Date> {
    i32::try_from(day)
        .ok()
        .and_then(|d| d.checked_add(UNIX_EPOCH_JULIAN_DAY))
        .and_then(|jd| time::Date::from_julian_day(jd).ok())
        .ok_or_else(|| corrupt("day number", &day.to_string()))
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// A device row (with the id of its line, if any).
#[derive(Debug)]
pub struct DeviceRow {
    /// id
    pub id: Uuid,
    /// account_id
    pub account_id: Uuid,
    /// imei
    pub imei: String,
    /// eid
    pub eid: Option<String>,
    /// label
    pub label: Option<String>,
    /// line on the device
    pub line_id: Option<Uuid>,
    /// created_at
    pub created_at: OffsetDateTime,
}

impl TryFrom<DeviceRow> for DeviceRecord {
    type Error = StoreError;
    fn try_from(r: DeviceRow) -> StoreResult<Self> {
        Ok(DeviceRecord {
            id: r.id,
            account_id: r.account_id,
            imei: Imei::parse(&r.imei).map_err(|_| corrupt("imei", &r.imei))?,
            eid: match r.eid {
                Some(e) => Some(Eid::parse(&e).map_err(|_| corrupt("eid", &e))?),
                None => None,
            },
            label: r.label,
            line_id: r.line_id,
            created_at: r.created_at,
        })
    }
}

/// A line row joined with its profile.
#[derive(Debug)]
pub struct LineRow {
    /// id
    pub id: Uuid,
    /// account_id
    pub account_id: Uuid,
    /// device_id
    pub device_id: Uuid,
    /// msisdn
    pub msisdn: String,
    /// iccid
    pub iccid: String,
    /// imsi
    pub imsi: String,
    /// smdp_address
    pub smdp_address: String,
    /// matching_id
    pub matching_id: String,
    /// state name
    pub state: String,
    /// valid_until
    pub valid_until: Option<OffsetDateTime>,
    /// created_at
    pub created_at: OffsetDateTime,
}

impl TryFrom<LineRow> for LineRecord {
    type Error = StoreError;
    fn try_from(r: LineRow) -> StoreResult<Self> {
        Ok(LineRecord {
            id: r.id,
            account_id: r.account_id,
            device_id: r.device_id,
            msisdn: Msisdn::parse(&r.msisdn).map_err(|_| corrupt("msisdn", &r.msisdn))?,
            iccid: iccid(&r.iccid)?,
            imsi: Imsi::parse(&r.imsi).map_err(|_| corrupt("imsi", &r.imsi))?,
            smdp_address: r.smdp_address,
            matching_id: r.matching_id,
            state: LineState::parse(&r.state).ok_or_else(|| corrupt("line state", &r.state))?,
            valid_until: r.valid_until,
            created_at: r.created_at,
        })
    }
}

/// A region row with its member countries.
#[derive(Debug)]
pub struct RegionRow {
    /// id
    pub id: String,
    /// cldr
    pub cldr: Option<String>,
    /// names as JSON object text
    pub names: String,
    /// member country codes
    pub countries: Vec<String>,
}

fn names(json: &str) -> StoreResult<BTreeMap<String, String>> {
    serde_json::from_str(json).map_err(|_| corrupt("names", json))
}

fn countries(codes: &[String]) -> StoreResult<Vec<CountryCode>> {
    let mut v = codes
        .iter()
        .map(|c| CountryCode::parse(c).map_err(|_| corrupt("country", c)))
        .collect::<StoreResult<Vec<_>>>()?;
    v.sort();
    v.dedup();
    Ok(v)
}

/// Serialises a names map for storage.
pub fn names_json(names: &BTreeMap<String, String>) -> String {
    serde_json::to_string(names).unwrap_or_else(|_| "{}".to_string())
}

/// A stored country naming (`country_names`: code, names as JSON object text).
pub fn country_names(code: &str, names_text: &str) -> StoreResult<keepsim_domain::catalogue::CountryNames> {
    Ok(keepsim_domain::catalogue::CountryNames {
        code: CountryCode::parse(code).map_err(|_| corrupt("country", code))?,
        names: names(names_text)?,
    })
}

impl TryFrom<RegionRow> for Region {
    type Error = StoreError;
    fn try_from(r: RegionRow) -> StoreResult<Self> {
        Ok(Region { id: r.id, cldr: r.cldr, names: names(&r.names)?, countries: countries(&r.countries)? })
    }
}

/// A package row with its coverage and prices.
#[derive(Debug)]
pub struct PackageRow {
    /// code
    pub code: String,
    /// name
    pub name: String,
    /// names as JSON object text
    pub names: String,
    /// tier name
    pub tier: String,
    /// region_id
    pub region: Option<String>,
    /// data_bytes (None = unlimited)
    pub data_bytes: Option<i64>,
    /// fair_use_bytes (only for unlimited)
    pub fair_use_bytes: Option<i64>,
    /// voice_seconds
    pub voice_seconds: i64,
    /// sms
    pub sms: i64,
    /// validity_days
    pub validity_days: i64,
    /// keeps_number_days
    pub keeps_number_days: i64,
    /// starts name
    pub starts: String,
    /// active
    pub active: bool,
    /// coverage country codes
    pub coverage: Vec<String>,
    /// (currency, amount_minor)
    pub prices: Vec<(String, i64)>,
}

fn unsigned(what: &str, v: i64) -> StoreResult<u64> {
    u64::try_from(v).map_err(|_| corrupt(what, &v.to_string()))
}

fn days(what: &str, v: i64) -> StoreResult<u32> {
    u32::try_from(v).map_err(|_| corrupt(what, &v.to_string()))
}

impl TryFrom<PackageRow> for Package {
    type Error = StoreError;
    fn try_from(r: PackageRow) -> StoreResult<Self> {
        let data = match (r.data_bytes, r.fair_use_bytes) {
            (Some(b), None) => DataAllowance::Limited { bytes: Bytes(unsigned("data_bytes", b)?) },
            (None, Some(f)) => DataAllowance::Unlimited { fair_use: Bytes(unsigned("fair_use_bytes", f)?) },
            _ => return Err(corrupt("data allowance of", &r.code)),
        };
        let mut prices = r
            .prices
            .iter()
            .map(|(c, a)| {
                let currency = Currency::parse(c).map_err(|_| corrupt("currency", c))?;
                Ok(Money::new(*a, currency))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        prices.sort_by_key(|m| m.currency().to_string());
        Ok(Package {
            names: names(&r.names)?,
            tier: Tier::parse(&r.tier).ok_or_else(|| corrupt("tier", &r.tier))?,
            region: r.region,
            coverage: countries(&r.coverage)?,
            data,
            voice: Seconds(unsigned("voice_seconds", r.voice_seconds)?),
            sms: Messages(unsigned("sms", r.sms)?),
            validity_days: days("validity_days", r.validity_days)?,
            keeps_number_days: days("keeps_number_days", r.keeps_number_days)?,
            starts: Starts::parse(&r.starts).ok_or_else(|| corrupt("starts", &r.starts))?,
            prices,
            active: r.active,
            code: r.code,
            name: r.name,
        })
    }
}

/// Converts a stored unsigned counter for a BIGINT column; counters above i64::MAX are refused.
pub fn to_i64(v: u64) -> StoreResult<i64> {
    i64::try_from(v).map_err(|_| StoreError::Corrupt(format!("counter {v} exceeds BIGINT")))
}

/// An order row.
#[derive(Debug)]
pub struct OrderRow {
    /// id
    pub id: Uuid,
    /// account_id
    pub account_id: Uuid,
    /// line_id
    pub line_id: Uuid,
    /// package snapshot JSON
    pub package: String,
    /// method
    pub method: String,
    /// currency
    pub currency: String,
    /// amount_minor
    pub amount_minor: i64,
    /// status
    pub status: String,
    /// idempotency_key
    pub idempotency_key: String,
    /// request_hash
    pub request_hash: String,
    /// out_trade_no
    pub out_trade_no: String,
    /// provider_ref
    pub provider_ref: Option<String>,
    /// client_secret
    pub client_secret: Option<String>,
    /// pay_url
    pub pay_url: Option<String>,
    /// creating_until
    pub creating_until: Option<OffsetDateTime>,
    /// flag
    pub flag: Option<String>,
    /// refunded_minor
    pub refunded_minor: i64,
    /// created_at
    pub created_at: OffsetDateTime,
    /// updated_at
    pub updated_at: OffsetDateTime,
    /// expires_at
    pub expires_at: OffsetDateTime,
    /// paid_at
    pub paid_at: Option<OffsetDateTime>,
    /// fulfilled_at
    pub fulfilled_at: Option<OffsetDateTime>,
    /// trade_closed_at
    pub trade_closed_at: Option<OffsetDateTime>,
}

impl TryFrom<OrderRow> for OrderRecord {
    type Error = StoreError;
    fn try_from(r: OrderRow) -> StoreResult<Self> {
        let currency = Currency::parse(&r.currency).map_err(|_| corrupt("currency", &r.currency))?;
        Ok(OrderRecord {
            id: r.id,
            account_id: r.account_id,
            line_id: r.line_id,
            package: serde_json::from_str(&r.package)
                .map_err(|_| corrupt("package snapshot of order", &r.id.to_string()))?,
            method: r.method,
            amount: Money::new(r.amount_minor, currency),
            status: OrderStatus::parse(&r.status).ok_or_else(|| corrupt("order status", &r.status))?,
            idempotency_key: r.idempotency_key,
            request_hash: r.request_hash,
            out_trade_no: r.out_trade_no,
            provider_ref: r.provider_ref,
            client_secret: r.client_secret,
            pay_url: r.pay_url,
            creating_until: r.creating_until,
            flag: r.flag,
            refunded_minor: r.refunded_minor,
            created_at: r.created_at,
            updated_at: r.updated_at,
            expires_at: r.expires_at,
            paid_at: r.paid_at,
            fulfilled_at: r.fulfilled_at,
            trade_closed_at: r.trade_closed_at,
        })
    }
}

/// Serialises a package snapshot for storage.
pub fn package_json(p: &keepsim_domain::catalogue::Package) -> String {
    serde_json::to_string(p).unwrap_or_else(|_| "{}".to_string())
}

/// Reads a stored order status.
pub fn order_status(s: &str) -> StoreResult<OrderStatus> {
    OrderStatus::parse(s).ok_or_else(|| corrupt("order status", s))
}

/// A bundle row.
#[derive(Debug)]
pub struct BundleRow {
    /// id
    pub id: Uuid,
    /// line_id
    pub line_id: Uuid,
    /// order_id
    pub order_id: Uuid,
    /// package_code
    pub package_code: String,
    /// state
    pub state: String,
    /// starts_at
    pub starts_at: Option<OffsetDateTime>,
    /// expires_at
    pub expires_at: Option<OffsetDateTime>,
    /// validity_days
    pub validity_days: i64,
    /// coverage JSON
    pub coverage: String,
    /// data_total (None = unlimited)
    pub data_total: Option<i64>,
    /// fair_use_bytes
    pub fair_use_bytes: Option<i64>,
    /// data_used
    pub data_used: i64,
    /// data_reserved
    pub data_reserved: i64,
    /// voice_total
    pub voice_total: i64,
    /// voice_used
    pub voice_used: i64,
    /// voice_reserved
    pub voice_reserved: i64,
    /// sms_total
    pub sms_total: i64,
    /// sms_used
    pub sms_used: i64,
    /// sms_reserved
    pub sms_reserved: i64,
    /// created_at
    pub created_at: OffsetDateTime,
}

impl TryFrom<BundleRow> for BundleRecord {
    type Error = StoreError;
    fn try_from(r: BundleRow) -> StoreResult<Self> {
        let codes: Vec<String> = serde_json::from_str(&r.coverage).map_err(|_| corrupt("coverage", &r.coverage))?;
        let total = |v: Option<i64>| v.map(|x| unsigned("total", x)).transpose();
        Ok(BundleRecord {
            id: r.id,
            line_id: r.line_id,
            order_id: r.order_id,
            package_code: r.package_code,
            state: BundleState::parse(&r.state).ok_or_else(|| corrupt("bundle state", &r.state))?,
            starts_at: r.starts_at,
            expires_at: r.expires_at,
            validity_days: days("validity_days", r.validity_days)?,
            coverage: countries(&codes)?,
            data: Balance {
                total: total(r.data_total)?,
                used: unsigned("data_used", r.data_used)?,
                reserved: unsigned("data_reserved", r.data_reserved)?,
            },
            fair_use_bytes: total(r.fair_use_bytes)?,
            voice: Balance {
                total: Some(unsigned("voice_total", r.voice_total)?),
                used: unsigned("voice_used", r.voice_used)?,
                reserved: unsigned("voice_reserved", r.voice_reserved)?,
            },
            sms: Balance {
                total: Some(unsigned("sms_total", r.sms_total)?),
                used: unsigned("sms_used", r.sms_used)?,
                reserved: unsigned("sms_reserved", r.sms_reserved)?,
            },
            created_at: r.created_at,
        })
    }
}

/// Serialises coverage for storage.
pub fn coverage_json(c: &[CountryCode]) -> String {
    serde_json::to_string(&c.iter().map(|c| c.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

/// A ledger row.
#[derive(Debug)]
pub struct LedgerRow {
    /// id
    pub id: Uuid,
    /// line_id
    pub line_id: Uuid,
    /// bundle_id
    pub bundle_id: Uuid,
    /// order_id
    pub order_id: Option<Uuid>,
    /// kind
    pub kind: String,
    /// service
    pub service: String,
    /// units
    pub units: i64,
    /// at
    pub at: OffsetDateTime,
}

impl TryFrom<LedgerRow> for LedgerRecord {
    type Error = StoreError;
    fn try_from(r: LedgerRow) -> StoreResult<Self> {
        Ok(LedgerRecord {
            id: r.id,
            line_id: r.line_id,
            bundle_id: r.bundle_id,
            order_id: r.order_id,
            kind: LedgerKind::parse(&r.kind).ok_or_else(|| corrupt("ledger kind", &r.kind))?,
            service: Service::parse(&r.service).ok_or_else(|| corrupt("service", &r.service))?,
            units: r.units,
            at: r.at,
        })
    }
}

/// The ledger credits of a new bundle of `package`: one per limited service with units.
pub fn credits(package: &keepsim_domain::catalogue::Package) -> StoreResult<Vec<(Service, i64)>> {
    let mut out = Vec::new();
    if let Some(b) = package.data.bytes()
        && b.0 > 0
    {
        out.push((Service::Data, to_i64(b.0)?));
    }
    if package.voice.0 > 0 {
        out.push((Service::Voice, to_i64(package.voice.0)?));
    }
    if package.sms.0 > 0 {
        out.push((Service::Sms, to_i64(package.sms.0)?));
    }
    Ok(out)
}

/// Compares bundles with their ledger sums: `(credits, debits, reserves, releases)`
/// must equal `total − used − reserved`, and a bundle that ended (expired, revoked)
/// must have forfeited or revoked everything left.
pub fn ledger_differences(
    bundles: &[BundleRecord],
    sums: &std::collections::HashMap<(Uuid, Service), (i64, i64)>,
) -> Vec<LedgerDifference> {
    let mut out = Vec::new();
    for b in bundles {
        for (svc, bal) in [(Service::Data, b.data), (Service::Voice, b.voice), (Service::Sms, b.sms)] {
            let Some(total) = bal.total else { continue };
            let recorded = i64::try_from(total).unwrap_or(i64::MAX)
                - i64::try_from(bal.used).unwrap_or(i64::MAX)
                - i64::try_from(bal.reserved).unwrap_or(i64::MAX);
            let (flow, ended) = sums.get(&(b.id, svc)).copied().unwrap_or((0, 0));
            if flow != recorded {
                out.push(LedgerDifference { bundle_id: b.id, service: svc, recorded, from_ledger: flow });
            } else if matches!(b.state, BundleState::Expired | BundleState::Revoked) && recorded + ended != 0 {
                out.push(LedgerDifference {
                    bundle_id: b.id,
                    service: svc,
                    recorded: 0,
                    from_ledger: recorded + ended,
                });
            }
        }
    }
    out
}

/// Appends one write's ledger entries to `out`, with its hold changes netted: a CCR-UPDATE
/// returns what its reservation held (`Release`) and holds again (`Reserve`) on the same
/// bundle, and only the difference is a change of the bundle's reserved units. Per bundle
/// and service, the write's `Reserve` and `Release` entries become one entry of the kind
/// the sum's sign says (none when they cancel out), where the first of them stood. Every
/// other entry (usage, top-up, forfeit, revoke) is kept as it is. Sums per bundle, service
/// and kind group (the ledger check's view) are unchanged; the customer's history does not
/// show holds at all.
fn net_holds(
    line_id: Uuid,
    ledger: &[LedgerWrite],
    at: OffsetDateTime,
    out: &mut Vec<(Uuid, LedgerWrite, OffsetDateTime)>,
) {
    let is_hold = |k: LedgerKind| matches!(k, LedgerKind::Reserve | LedgerKind::Release);
    let start = out.len();
    for l in ledger {
        let earlier = if is_hold(l.kind) {
            out[start..]
                .iter_mut()
                .map(|(_, e, _)| e)
                .find(|e| is_hold(e.kind) && e.bundle_id == l.bundle_id && e.service == l.service)
        } else {
            None
        };
        match earlier {
            Some(e) => {
                e.units = e.units.saturating_add(l.units);
                // Reserve entries carry −units (units leave the available balance), Release +units.
                e.kind = if e.units < 0 { LedgerKind::Reserve } else { LedgerKind::Release };
            }
            None => out.push((line_id, *l, at)),
        }
    }
    // Holds that cancelled out leave no entry; the order of the rest is kept.
    let mut kept = start;
    for i in start..out.len() {
        if !(is_hold(out[i].1.kind) && out[i].1.units == 0) {
            out.swap(kept, i);
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// A batch of charging writes flattened into rows per table, for few
/// multi-row statements per batch. Later writes win for the same bundle or
/// reservation; usage is summed per line, service and hour.
#[derive(Debug, Default)]
pub struct Collapsed {
    /// (line, entry, time).
    pub ledger: Vec<(Uuid, LedgerWrite, OffsetDateTime)>,
    /// Final counters per bundle.
    pub bundles: Vec<BundleCounters>,
    /// Reservations to delete: (line, session, rating group).
    pub deletes: Vec<(Uuid, String, u32)>,
    /// Reservations to insert or replace.
    pub upserts: Vec<StoredReservation>,
    /// Units per (line, service, time in the hour).
    pub usage: Vec<((Uuid, Service, OffsetDateTime), u64)>,
}

impl Collapsed {
    /// Flattens `writes` (in order).
    pub fn of(writes: &[&ChargingWrite]) -> Collapsed {
        use std::collections::HashMap;
        let mut c = Collapsed::default();
        let mut bundles: HashMap<Uuid, usize> = HashMap::new();
        let mut reservations: HashMap<(Uuid, String, u32), Option<StoredReservation>> = HashMap::new();
        let mut order: Vec<(Uuid, String, u32)> = Vec::new();
        let mut usage: HashMap<(Uuid, Service, i64), (OffsetDateTime, u64)> = HashMap::new();
        for w in writes {
            let at = w.at.unwrap_or_else(OffsetDateTime::now_utc);
            net_holds(w.line_id, &w.ledger, at, &mut c.ledger);
            for b in &w.bundles {
                match bundles.get(&b.bundle_id) {
                    Some(i) => c.bundles[*i] = *b,
                    None => {
                        bundles.insert(b.bundle_id, c.bundles.len());
                        c.bundles.push(*b);
                    }
                }
            }
            for (session, rg) in &w.delete_reservations {
                let key = (w.line_id, session.clone(), *rg);
                if reservations.insert(key.clone(), None).is_none() {
                    order.push(key);
                }
            }
            for r in &w.upsert_reservations {
                let key = (w.line_id, r.session_id.clone(), r.rating_group);
                if reservations.insert(key.clone(), Some(r.clone())).is_none() {
                    order.push(key);
                }
            }
            let hour = at.unix_timestamp().div_euclid(3600);
            for (svc, units) in &w.usage {
                if *units > 0 {
                    let e = usage.entry((w.line_id, *svc, hour)).or_insert((at, 0));
                    e.1 = e.1.saturating_add(*units);
                }
            }
        }
        for key in order {
            match reservations.remove(&key) {
                Some(Some(r)) => c.upserts.push(r),
                Some(None) => c.deletes.push(key),
                None => {}
            }
        }
        c.usage = usage.into_iter().map(|((line, svc, _), (at, units))| ((line, svc, at), units)).collect();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(bundle: u128, kind: LedgerKind, units: i64) -> LedgerWrite {
        LedgerWrite { bundle_id: Uuid::from_u128(bundle), kind, service: Service::Data, units }
    }

    fn write(ledger: Vec<LedgerWrite>) -> ChargingWrite {
        ChargingWrite {
            line_id: Uuid::from_u128(9),
            at: Some(OffsetDateTime::UNIX_EPOCH),
            ledger,
            ..Default::default()
        }
    }

    fn kept(c: &Collapsed) -> Vec<(u128, LedgerKind, i64)> {
        c.ledger.iter().map(|(_, l, _)| (l.bundle_id.as_u128(), l.kind, l.units)).collect()
    }

    #[test]
    fn an_update_writes_its_usage_and_the_net_change_of_its_hold() {
        // Held 10, used 7, holds 10 again: the hold is unchanged, 7 are used.
        let w = write(vec![
            entry(1, LedgerKind::Release, 10),
            entry(1, LedgerKind::UsageDebit, -7),
            entry(1, LedgerKind::Reserve, -10),
        ]);
        assert_eq!(kept(&Collapsed::of(&[&w])), vec![(1, LedgerKind::UsageDebit, -7)]);
        // Held 4, used 4, holds 10: the hold grows by 6.
        let w = write(vec![
            entry(1, LedgerKind::Release, 4),
            entry(1, LedgerKind::UsageDebit, -4),
            entry(1, LedgerKind::Reserve, -10),
        ]);
        assert_eq!(kept(&Collapsed::of(&[&w])), vec![(1, LedgerKind::Reserve, -6), (1, LedgerKind::UsageDebit, -4)]);
        // A smaller grant is a net release.
        let w = write(vec![entry(1, LedgerKind::Release, 10), entry(1, LedgerKind::Reserve, -4)]);
        assert_eq!(kept(&Collapsed::of(&[&w])), vec![(1, LedgerKind::Release, 6)]);
    }

    #[test]
    fn holds_that_cancel_out_write_nothing_and_other_bundles_and_kinds_are_kept() {
        let w = write(vec![
            entry(1, LedgerKind::Release, 5),
            entry(2, LedgerKind::Release, 3),
            entry(2, LedgerKind::UsageDebit, -3),
            entry(1, LedgerKind::Reserve, -5),
            entry(3, LedgerKind::ExpiryForfeit, -8),
        ]);
        let c = Collapsed::of(&[&w]);
        assert_eq!(
            kept(&c),
            vec![(2, LedgerKind::Release, 3), (2, LedgerKind::UsageDebit, -3), (3, LedgerKind::ExpiryForfeit, -8)]
        );
    }

    #[test]
    fn holds_are_netted_within_one_write_not_across_writes() {
        let a = write(vec![entry(1, LedgerKind::Reserve, -10)]);
        let b = write(vec![entry(1, LedgerKind::Release, 10)]);
        let c = Collapsed::of(&[&a, &b]);
        assert_eq!(kept(&c), vec![(1, LedgerKind::Reserve, -10), (1, LedgerKind::Release, 10)]);
    }
}
