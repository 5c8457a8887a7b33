//! The one story every backend must tell the same way.
//!
//! Each function here is a test body taking a fresh, migrated, empty store.
//! Backends run them through [`conformance_tests!`](crate::conformance_tests),
//! SQLite always and PostgreSQL whenever `KEEPSIM_TEST_DATABASE_URL` is set.

// This module is a test suite shipped as library code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use crate::*;
use keepsim_domain::account::{Email, Role};
use keepsim_domain::catalogue::Catalogue;
use keepsim_domain::line::LineState;
use keepsim_domain::{Iccid, Imei, Imsi, Locale, Msisdn};
use std::collections::HashSet;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Generates one `#[tokio::test]` per conformance case. `$setup` is an async
/// function giving `Some((Arc<dyn Store>, cleanup))`, where `cleanup` is a future
/// run after the case (also when it panics), or `None` when the backend is not
/// configured here (the case then reports that it was skipped and why).
#[macro_export]
macro_rules! conformance_tests {
    ($setup:path) => {
        $crate::conformance_tests!(@cases $setup;
            meta_is_written_once,
            account_email_is_unique,
            sessions_end_at_expiry_and_revocation,
            staff_users_are_stored_with_their_role,
            an_imei_binds_to_one_account_only,
            devices_are_private_to_their_account,
            a_line_takes_a_profile_and_a_device_takes_one_line,
            a_line_needs_a_device_of_the_same_account,
            an_empty_inventory_is_exhausted,
            concurrent_lines_never_share_a_profile,
            duplicate_profiles_are_refused_whole,
            lists_are_paginated_by_id,
            catalogue_round_trips_and_retires_what_a_file_drops
        );
    };
    (@cases $setup:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some((store, cleanup)) = $setup().await else {
                    eprintln!("skipped: backend not configured (set KEEPSIM_TEST_DATABASE_URL)");
                    return;
                };
                let outcome = tokio::spawn($crate::conformance::$case(store)).await;
                cleanup.await;
                if let Err(e) = outcome {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        )*
    };
}

fn now() -> OffsetDateTime {
    // Whole microseconds: both backends keep at least that precision.
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

fn imei(n: u64) -> Imei {
    let payload = format!("{:014}", 35_000_000_000_000 + n);
    let check = keepsim_domain::luhn::check_digit(payload.as_bytes());
    Imei::parse(&format!("{payload}{check}")).expect("generated IMEI is valid")
}

/// A valid test profile number `n` on `smdp`.
pub fn profile(n: u64, smdp: &str) -> NewProfile {
    NewProfile {
        iccid: Iccid::with_check_digit(&format!("8999901{:012}", n)).expect("valid ICCID"),
        imsi: Imsi::parse(&format!("00101{:010}", n)).expect("valid IMSI"),
        msisdn: Msisdn::parse(&format!("85255{:06}", n)).expect("valid MSISDN"),
        smdp_address: smdp.to_string(),
        matching_id: format!("TEST-{n:08}"),
    }
}

async fn account(store: &Arc<dyn Store>, email: &str) -> AccountRecord {
    store
        .create_account(NewAccount {
            id: Uuid::now_v7(),
            email: Email::parse(email).expect("valid email"),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into(),
            locale: Locale::ZhCn,
            created_at: now(),
        })
        .await
        .expect("account created")
}

async fn device(store: &Arc<dyn Store>, account_id: Uuid, n: u64) -> DeviceRecord {
    store
        .create_device(NewDevice {
            id: Uuid::now_v7(),
            account_id,
            imei: imei(n),
            eid: None,
            label: Some(format!("phone {n}")),
            created_at: now(),
        })
        .await
        .expect("device bound")
}

fn new_line(account_id: Uuid, device_id: Uuid) -> NewLine {
    NewLine { id: Uuid::now_v7(), account_id, device_id, created_at: now() }
}

const ALL: Page = Page { after: None, limit: 1000 };

/// Meta facts are written once; the second writer learns it lost.
pub async fn meta_is_written_once(store: Arc<dyn Store>) {
    assert_eq!(store.meta("seeded").await.unwrap(), None);
    assert!(store.set_meta_if_absent("seeded", "a").await.unwrap());
    assert!(!store.set_meta_if_absent("seeded", "b").await.unwrap());
    assert_eq!(store.meta("seeded").await.unwrap().as_deref(), Some("a"));
}

/// Two accounts cannot share an email.
pub async fn account_email_is_unique(store: Arc<dyn Store>) {
    let a = account(&store, "ana@example.com").await;
    let again = store
        .create_account(NewAccount {
            id: Uuid::now_v7(),
            email: Email::parse("ANA@example.com").unwrap(),
            password_hash: "x".into(),
            locale: Locale::En,
            created_at: now(),
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict("email_taken"))), "{again:?}");
    let found = store.account_by_email("ana@example.com").await.unwrap().unwrap();
    assert_eq!(found, a);
    assert_eq!(found.locale, Locale::ZhCn);
    assert_eq!(store.account_by_id(a.id).await.unwrap(), Some(a));
    assert_eq!(store.account_by_email("bo@example.com").await.unwrap(), None);
}

/// A session works until it expires or is revoked.
pub async fn sessions_end_at_expiry_and_revocation(store: Arc<dyn Store>) {
    let a = account(&store, "ana@example.com").await;
    let t = now();
    store
        .create_session(NewSession {
            token_hash: "h1".into(),
            account_id: a.id,
            created_at: t,
            expires_at: t + Duration::hours(1),
        })
        .await
        .unwrap();
    assert_eq!(store.session_account("h1", t).await.unwrap().map(|x| x.id), Some(a.id));
    assert_eq!(store.session_account("h1", t + Duration::hours(2)).await.unwrap(), None, "expired");
    assert_eq!(store.session_account("nope", t).await.unwrap(), None);
    store.revoke_session("h1", t).await.unwrap();
    store.revoke_session("h1", t).await.unwrap();
    assert_eq!(store.session_account("h1", t).await.unwrap(), None, "revoked");
}

/// Staff users keep their role.
pub async fn staff_users_are_stored_with_their_role(store: Arc<dyn Store>) {
    let s = store
        .create_staff(NewStaff {
            id: Uuid::now_v7(),
            email: Email::parse("ops@keepsim.test").unwrap(),
            password_hash: "x".into(),
            role: Role::Finance,
            created_at: now(),
        })
        .await
        .unwrap();
    assert_eq!(store.staff_by_email("ops@keepsim.test").await.unwrap(), Some(s.clone()));
    let dup = store
        .create_staff(NewStaff {
            id: Uuid::now_v7(),
            email: s.email.clone(),
            password_hash: "y".into(),
            role: Role::Admin,
            created_at: now(),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict("email_taken"))), "{dup:?}");
}

/// An IMEI can be bound once, whoever asks.
pub async fn an_imei_binds_to_one_account_only(store: Arc<dyn Store>) {
    let a = account(&store, "a@example.com").await;
    let b = account(&store, "b@example.com").await;
    let d = device(&store, a.id, 1).await;
    assert_eq!(d.imei, imei(1));
    for owner in [a.id, b.id] {
        let again = store
            .create_device(NewDevice {
                id: Uuid::now_v7(),
                account_id: owner,
                imei: imei(1),
                eid: None,
                label: None,
                created_at: now(),
            })
            .await;
        assert!(matches!(again, Err(StoreError::Conflict("device_already_bound"))), "{again:?}");
    }
}

/// Another customer's device does not exist for you.
pub async fn devices_are_private_to_their_account(store: Arc<dyn Store>) {
    let a = account(&store, "a@example.com").await;
    let b = account(&store, "b@example.com").await;
    let d = device(&store, a.id, 1).await;
    assert_eq!(store.device(a.id, d.id).await.unwrap(), Some(d.clone()));
    assert_eq!(store.device(b.id, d.id).await.unwrap(), None);
    assert!(store.list_devices(b.id, ALL).await.unwrap().is_empty());
    assert_eq!(store.list_devices(a.id, ALL).await.unwrap(), vec![d]);
}

/// Creating a line assigns a profile; a second line on the same device is refused.
pub async fn a_line_takes_a_profile_and_a_device_takes_one_line(store: Arc<dyn Store>) {
    store.insert_profiles(&[profile(1, "smdp.test.invalid"), profile(2, "smdp.test.invalid")], now()).await.unwrap();
    let a = account(&store, "a@example.com").await;
    let d = device(&store, a.id, 1).await;
    let line = store.create_line(new_line(a.id, d.id)).await.unwrap();
    assert_eq!(line.state, LineState::Assigned);
    assert_eq!(line.valid_until, None);
    assert_eq!(line.device_id, d.id);
    assert!(line.matching_id.starts_with("TEST-"));
    let p = [profile(1, "x"), profile(2, "x")];
    assert!(p.iter().any(|p| p.iccid == line.iccid && p.imsi == line.imsi && p.msisdn == line.msisdn));
    let second = store.create_line(new_line(a.id, d.id)).await;
    assert!(matches!(second, Err(StoreError::Conflict("device_has_line"))), "{second:?}");
    assert_eq!(store.line(a.id, line.id).await.unwrap(), Some(line.clone()));
    assert_eq!(store.device(a.id, d.id).await.unwrap().and_then(|d| d.line_id), Some(line.id));
    let stock = store.inventory_stock().await.unwrap();
    assert_eq!(
        stock,
        vec![StockLevel { smdp_address: "smdp.test.invalid".into(), available: 1, assigned: 1, retired: 0 }]
    );
}

/// Nobody can put a line on someone else's device, and nobody sees someone else's line.
pub async fn a_line_needs_a_device_of_the_same_account(store: Arc<dyn Store>) {
    store.insert_profiles(&[profile(1, "smdp.test.invalid")], now()).await.unwrap();
    let a = account(&store, "a@example.com").await;
    let b = account(&store, "b@example.com").await;
    let d = device(&store, a.id, 1).await;
    let theft = store.create_line(new_line(b.id, d.id)).await;
    assert!(matches!(theft, Err(StoreError::NotFound)), "{theft:?}");
    let line = store.create_line(new_line(a.id, d.id)).await.unwrap();
    assert_eq!(store.line(b.id, line.id).await.unwrap(), None);
    assert!(store.list_lines(b.id, ALL).await.unwrap().is_empty());
    let stock = store.inventory_stock().await.unwrap();
    assert_eq!(stock[0].available, 0, "the refused attempt took nothing");
}

/// With no profile left, creating a line fails and changes nothing.
pub async fn an_empty_inventory_is_exhausted(store: Arc<dyn Store>) {
    let a = account(&store, "a@example.com").await;
    let d = device(&store, a.id, 1).await;
    let r = store.create_line(new_line(a.id, d.id)).await;
    assert!(matches!(r, Err(StoreError::InventoryExhausted)), "{r:?}");
    assert!(store.list_lines(a.id, ALL).await.unwrap().is_empty());
    assert_eq!(store.device(a.id, d.id).await.unwrap().and_then(|d| d.line_id), None);
}

/// Twenty devices racing for ten profiles: ten lines, ten distinct profiles, ten refusals.
pub async fn concurrent_lines_never_share_a_profile(store: Arc<dyn Store>) {
    let profiles: Vec<NewProfile> = (1..=10).map(|n| profile(n, "smdp.test.invalid")).collect();
    store.insert_profiles(&profiles, now()).await.unwrap();
    let a = account(&store, "a@example.com").await;
    let mut devices = Vec::new();
    for n in 0..20 {
        devices.push(device(&store, a.id, n).await);
    }
    let mut tasks = Vec::new();
    for d in devices {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { store.create_line(new_line(a.id, d.id)).await }));
    }
    let mut iccids = HashSet::new();
    let (mut made, mut exhausted) = (0, 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(line) => {
                made += 1;
                assert!(iccids.insert(line.iccid.as_str().to_string()), "profile handed out twice");
            }
            Err(StoreError::InventoryExhausted) => exhausted += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((made, exhausted), (10, 10));
}

/// An import batch with a profile already in stock adds nothing.
pub async fn duplicate_profiles_are_refused_whole(store: Arc<dyn Store>) {
    assert_eq!(store.insert_profiles(&[profile(1, "s.test.invalid")], now()).await.unwrap(), 1);
    let existing = store
        .existing_iccids(&[profile(1, "x").iccid.as_str().to_string(), profile(2, "x").iccid.as_str().to_string()])
        .await
        .unwrap();
    assert_eq!(existing, vec![profile(1, "x").iccid.as_str().to_string()]);
    let pairs = vec![
        ("s.test.invalid".to_string(), profile(1, "x").matching_id),
        ("s.test.invalid".to_string(), profile(2, "x").matching_id),
        ("other.test.invalid".to_string(), profile(1, "x").matching_id),
    ];
    assert_eq!(
        store.existing_matching_ids(&pairs).await.unwrap(),
        vec![("s.test.invalid".to_string(), profile(1, "x").matching_id)]
    );
    let r = store.insert_profiles(&[profile(2, "s.test.invalid"), profile(1, "s.test.invalid")], now()).await;
    assert!(matches!(r, Err(StoreError::Conflict("duplicate_profile"))), "{r:?}");
    let stock = store.inventory_stock().await.unwrap();
    assert_eq!(stock[0].available, 1, "profile 2 was not added either");
}

/// Lists come a page at a time in creation order.
pub async fn lists_are_paginated_by_id(store: Arc<dyn Store>) {
    let a = account(&store, "a@example.com").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(device(&store, a.id, n).await.id);
    }
    let first = store.list_devices(a.id, Page { after: None, limit: 2 }).await.unwrap();
    assert_eq!(first.iter().map(|d| d.id).collect::<Vec<_>>(), ids[..2]);
    let next = store.list_devices(a.id, Page { after: Some(ids[1]), limit: 10 }).await.unwrap();
    assert_eq!(next.iter().map(|d| d.id).collect::<Vec<_>>(), ids[2..]);
}

const CATALOGUE: &str = r#"
[[region]]
id = "europe"
cldr = "150"
countries = ["FR", "DE"]

[[package]]
code = "JP-1GB-3D"
name = "Japan 1 GB"
names = { "zh-CN" = "日本 1GB" }
tier = "basic"
countries = ["JP"]
data = "1GB"
validity_days = 3
starts = "first_use"
prices = { CNY = "12.00", USD = "1.99" }

[[package]]
code = "EU-UNL-30D"
name = "Europe unlimited"
tier = "monthly"
region = "europe"
data = "unlimited"
fair_use = "40GB"
voice_minutes = 60
sms = 20
validity_days = 30
keeps_number_days = 30
prices = { EUR = "29.00", HKD = "248.00" }
"#;

/// The catalogue reads back exactly as written; applying a file without a package retires it.
pub async fn catalogue_round_trips_and_retires_what_a_file_drops(store: Arc<dyn Store>) {
    let c = Catalogue::from_toml(CATALOGUE).unwrap();
    store.apply_catalogue(&c, now()).await.unwrap();
    assert_eq!(store.load_catalogue().await.unwrap(), c);
    store.apply_catalogue(&c, now()).await.unwrap();
    assert_eq!(store.load_catalogue().await.unwrap(), c, "applying twice changes nothing");

    let smaller_text =
        CATALOGUE[..CATALOGUE.find("[[package]]\ncode = \"EU").unwrap()].replace("\"12.00\"", "\"15.00\"");
    let smaller = Catalogue::from_toml(&smaller_text).unwrap();
    store.apply_catalogue(&smaller, now()).await.unwrap();
    let back = store.load_catalogue().await.unwrap();
    assert_eq!(back.package("JP-1GB-3D").unwrap().prices[0].amount_minor(), 1500);
    let eu = back.package("EU-UNL-30D").expect("kept for existing orders");
    assert!(!eu.active, "retired");
    assert_eq!(eu.coverage.len(), 2);
}
