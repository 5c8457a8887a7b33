//! keepsim's domain: values that can only exist valid, and the pure rules that
//! act on them. Nothing here does I/O: no tokio, no database, no HTTP.
//! Data tables (country names, the PLMN map) are compiled in with `include_str!`.

pub mod account;
pub mod bundle;
pub mod catalogue;
pub mod charging;
pub mod eid;
pub mod geo;
pub mod iccid;
pub mod imei;
pub mod imsi;
pub mod line;
pub mod locale;
pub mod luhn;
pub mod money;
pub mod msisdn;
pub mod order;
pub mod plmn;
pub mod profile;
pub mod ticket;
pub mod totp;
pub mod units;

pub use eid::Eid;
pub use iccid::Iccid;
pub use imei::Imei;
pub use imsi::Imsi;
pub use locale::Locale;
pub use money::{Currency, Money};
pub use msisdn::Msisdn;
pub use plmn::{Mcc, Mnc, Plmn};
pub use units::{Bytes, Messages, Seconds};
