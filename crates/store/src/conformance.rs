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
            catalogue_round_trips_and_retires_what_a_file_drops,
            an_idempotency_key_makes_one_order_per_account,
            a_payment_notification_is_recorded_once_even_twenty_at_a_time,
            fulfilment_credits_once_even_when_a_worker_dies_mid_job,
            a_payment_for_an_expired_order_is_taken_and_flagged,
            a_refund_completes_once_and_revokes_the_unused_bundle,
            a_fulfilment_that_gives_up_fails_the_order_for_staff,
            charging_writes_commit_together_and_the_ledger_checks_out,
            api_keys_are_found_by_hash_and_revoked,
            a_notification_is_recorded_once_per_event_and_read_only_by_its_owner
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

[[policy]]
id = "hk-annual"
name = "HK$50 keeps your number a year"
qualifying_min = { HKD = "50.00" }
qualifying_tiers = ["number-keeping"]
extends_days = 365
grace_days = 30
suspended_days = 60
quarantine_days = 90
default = true
"#;

/// The catalogue reads back exactly as written; applying a file without a package retires it.
pub async fn catalogue_round_trips_and_retires_what_a_file_drops(store: Arc<dyn Store>) {
    let c = Catalogue::from_toml(CATALOGUE).unwrap();
    store.apply_catalogue(&c, now()).await.unwrap();
    assert_eq!(store.load_catalogue().await.unwrap(), c);
    assert_eq!(store.load_catalogue().await.unwrap().policy().map(|p| p.extends_days), Some(365));
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

async fn line_for(store: &Arc<dyn Store>, email: &str, n: u64) -> (AccountRecord, LineRecord) {
    store.insert_profiles(&[profile(1000 + n, "smdp.test.invalid")], now()).await.unwrap();
    let a = account(store, email).await;
    let d = device(store, a.id, 500 + n).await;
    let line = store.create_line(new_line(a.id, d.id)).await.unwrap();
    (a, line)
}

fn package() -> keepsim_domain::catalogue::Package {
    Catalogue::from_toml(CATALOGUE).unwrap().package("EU-UNL-30D").unwrap().clone()
}

fn limited_package() -> keepsim_domain::catalogue::Package {
    Catalogue::from_toml(CATALOGUE).unwrap().package("JP-1GB-3D").unwrap().clone()
}

fn new_order(a: &AccountRecord, line: &LineRecord, key: &str, p: keepsim_domain::catalogue::Package) -> NewOrder {
    let t = now();
    let amount = p.prices[0];
    NewOrder {
        id: Uuid::now_v7(),
        account_id: a.id,
        line_id: line.id,
        package: p,
        method: "alipay".into(),
        amount,
        idempotency_key: key.into(),
        request_hash: "h".into(),
        out_trade_no: format!("KS{}", Uuid::new_v4().simple()),
        created_at: t,
        expires_at: t + Duration::minutes(30),
        creating_until: t + Duration::seconds(30),
    }
}

fn paid(order: &OrderRecord, event_id: &str) -> PaymentEvent {
    PaymentEvent {
        method: "alipay".into(),
        event_id: event_id.into(),
        order_id: order.id,
        effect: PaymentEffect::Paid { provider_ref: "2026112922001".into() },
        kind: "TRADE_SUCCESS".into(),
        received_at: now(),
    }
}

/// The same Idempotency-Key cannot make two orders for one account; another account may use it.
pub async fn an_idempotency_key_makes_one_order_per_account(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let (b, bline) = line_for(&store, "b@example.com", 2).await;
    let order = store.create_order(new_order(&a, &line, "k1", package())).await.unwrap();
    assert_eq!(order.status, keepsim_domain::order::OrderStatus::AwaitingPayment);
    assert_eq!(order.package, package(), "the package is snapshotted");
    let again = store.create_order(new_order(&a, &line, "k1", package())).await;
    assert!(matches!(again, Err(StoreError::Conflict("idempotency_key"))), "{again:?}");
    store.create_order(new_order(&b, &bline, "k1", package())).await.unwrap();
    assert_eq!(store.order_by_key(a.id, "k1").await.unwrap().map(|o| o.id), Some(order.id));
    assert_eq!(store.order(b.id, order.id).await.unwrap(), None, "another customer's order");
    assert_eq!(store.order_by_out_trade_no(&order.out_trade_no).await.unwrap().map(|o| o.id), Some(order.id));
    let events = store.order_events(order.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].to, keepsim_domain::order::OrderStatus::AwaitingPayment);

    assert!(!store.claim_order_creation(order.id, now() + Duration::seconds(30), now()).await.unwrap(), "still held");
    assert!(
        store
            .claim_order_creation(order.id, now() + Duration::seconds(90), now() + Duration::seconds(60))
            .await
            .unwrap()
    );
    let attached = store.attach_payment(order.id, "pi_123", Some("secret"), None, now()).await.unwrap();
    assert_eq!(attached.provider_ref.as_deref(), Some("pi_123"));
    assert_eq!(attached.creating_until, None);
    assert_eq!(store.order_by_provider_ref("pi_123").await.unwrap().map(|o| o.id), Some(order.id));
    assert!(
        !store.claim_order_creation(order.id, now(), now() + Duration::hours(1)).await.unwrap(),
        "already attached"
    );
}

/// Twenty copies of one notification at once: one records it and queues one job, nineteen see a duplicate.
pub async fn a_payment_notification_is_recorded_once_even_twenty_at_a_time(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let order = store.create_order(new_order(&a, &line, "k", package())).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (store, e) = (store.clone(), paid(&order, "notify-1"));
        tasks.push(tokio::spawn(async move { store.apply_payment_event(e).await.unwrap() }));
    }
    let (mut recorded, mut duplicates) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            PaymentOutcome::Recorded { newly_paid: true, order } => {
                recorded += 1;
                assert_eq!(order.status, keepsim_domain::order::OrderStatus::Paid);
            }
            PaymentOutcome::Duplicate => duplicates += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((recorded, duplicates), (1, 19));
    // Another notification id for the same payment (a provider resend) changes nothing either.
    match store.apply_payment_event(paid(&order, "notify-2")).await.unwrap() {
        PaymentOutcome::Recorded { newly_paid, .. } => assert!(!newly_paid),
        other => panic!("{other:?}"),
    }
    let t = now();
    let job = store.claim_fulfilment_job(t, t + Duration::seconds(30)).await.unwrap().expect("one job");
    assert_eq!(job.order_id, order.id);
    assert_eq!(store.claim_fulfilment_job(t, t + Duration::seconds(30)).await.unwrap(), None, "only one job");
}

/// A worker that dies after claiming leaves the job to the next one after the lease; the bundle is credited once.
pub async fn fulfilment_credits_once_even_when_a_worker_dies_mid_job(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let p = limited_package();
    let mut n = new_order(&a, &line, "k", p.clone());
    n.amount = p.prices[0];
    let order = store.create_order(n).await.unwrap();
    store.apply_payment_event(paid(&order, "e1")).await.unwrap();
    let t = now();
    let first = store.claim_fulfilment_job(t, t + Duration::seconds(30)).await.unwrap().unwrap();
    // The first worker dies here. Before the lease ends nobody else takes the job…
    assert_eq!(store.claim_fulfilment_job(t + Duration::seconds(10), t + Duration::seconds(40)).await.unwrap(), None);
    // …after it, the next worker does.
    let t2 = t + Duration::seconds(31);
    let second = store.claim_fulfilment_job(t2, t2 + Duration::seconds(30)).await.unwrap().unwrap();
    assert_eq!((second.id, second.attempts), (first.id, 2));
    let bundle = NewBundle {
        id: Uuid::now_v7(),
        order_id: order.id,
        starts_at: None,
        expires_at: None,
        keeps_number_days: 0,
        revives: true,
    };
    let done = store.complete_fulfilment(second.id, bundle.clone(), t2).await.unwrap();
    assert!(!done.already);
    assert_eq!(done.bundle.data.total, Some(1024 * 1024 * 1024));
    // The first worker wakes up and completes too: nothing is credited twice.
    let again = store.complete_fulfilment(first.id, NewBundle { id: Uuid::now_v7(), ..bundle }, t2).await.unwrap();
    assert!(again.already);
    assert_eq!(again.bundle.id, done.bundle.id);
    let bundles = store.line_bundles(a.id, line.id).await.unwrap();
    assert_eq!(bundles.len(), 1);
    let ledger = store.line_ledger(a.id, line.id).await.unwrap();
    let credits: Vec<_> = ledger.iter().filter(|l| l.kind == keepsim_domain::bundle::LedgerKind::TopUpCredit).collect();
    assert_eq!(credits.len(), 1, "one credit per limited service: data only in this package");
    assert_eq!(credits[0].units, 1024 * 1024 * 1024);
    let order = store.order_by_id(order.id).await.unwrap().unwrap();
    assert_eq!(order.status, keepsim_domain::order::OrderStatus::Fulfilled);
    let line = store.line(a.id, line.id).await.unwrap().unwrap();
    assert_eq!(line.state, LineState::Active);
    assert_eq!(line.valid_until, None, "this package keeps the number 0 days");
    assert_eq!(store.claim_fulfilment_job(t2 + Duration::hours(1), t2 + Duration::hours(2)).await.unwrap(), None);
    assert!(store.line_bundles(Uuid::now_v7(), line.id).await.unwrap().is_empty(), "another account sees nothing");
}

/// Money that arrives for an expired order was taken: the order is paid, fulfilled later, and flagged.
pub async fn a_payment_for_an_expired_order_is_taken_and_flagged(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let order = store.create_order(new_order(&a, &line, "k", package())).await.unwrap();
    assert!(store.expire_unpaid_orders(now(), 10).await.unwrap().is_empty(), "not yet");
    let expired = store.expire_unpaid_orders(now() + Duration::minutes(31), 10).await.unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].status, keepsim_domain::order::OrderStatus::Expired);
    assert_eq!(store.orders_to_close(10).await.unwrap().len(), 1);
    store.mark_trade_closed(order.id, now()).await.unwrap();
    assert!(store.orders_to_close(10).await.unwrap().is_empty());
    match store.apply_payment_event(paid(&order, "late")).await.unwrap() {
        PaymentOutcome::Recorded { order, newly_paid } => {
            assert!(newly_paid);
            assert_eq!(order.status, keepsim_domain::order::OrderStatus::Paid);
            assert!(order.flag.is_some());
        }
        other => panic!("{other:?}"),
    }
    let kinds: Vec<_> = store.order_events(order.id).await.unwrap().iter().map(|e| e.to.as_str()).collect();
    assert_eq!(kinds, vec!["awaiting_payment", "expired", "paid"]);
}

async fn fulfilled_order(store: &Arc<dyn Store>) -> (AccountRecord, LineRecord, OrderRecord) {
    let (a, line) = line_for(store, "a@example.com", 1).await;
    let order = store.create_order(new_order(&a, &line, "k", limited_package())).await.unwrap();
    store.apply_payment_event(paid(&order, "e1")).await.unwrap();
    let t = now();
    let job = store.claim_fulfilment_job(t, t + Duration::seconds(30)).await.unwrap().unwrap();
    store
        .complete_fulfilment(
            job.id,
            NewBundle {
                id: Uuid::now_v7(),
                order_id: order.id,
                starts_at: Some(t),
                expires_at: Some(t + Duration::days(3)),
                keeps_number_days: 0,
                revives: true,
            },
            t,
        )
        .await
        .unwrap();
    let order = store.order_by_id(order.id).await.unwrap().unwrap();
    (a, line, order)
}

/// A refund completes once: the order becomes partially refunded and the unused bundle is revoked with a ledger entry.
pub async fn a_refund_completes_once_and_revokes_the_unused_bundle(store: Arc<dyn Store>) {
    let (a, line, order) = fulfilled_order(&store).await;
    let refund = RefundRecord {
        refund_no: "R1".into(),
        order_id: order.id,
        amount_minor: order.amount.amount_minor() / 2,
        status: "pending".into(),
        requested_by: "finance@keepsim.test".into(),
        created_at: now(),
    };
    store.create_refund(refund.clone()).await.unwrap();
    assert!(matches!(store.create_refund(refund).await, Err(StoreError::Conflict("refund_exists"))));
    assert!(store.complete_refund(order.id, "R1", now()).await.unwrap());
    assert!(!store.complete_refund(order.id, "R1", now()).await.unwrap(), "once");
    let o = store.order_by_id(order.id).await.unwrap().unwrap();
    assert_eq!(o.status, keepsim_domain::order::OrderStatus::PartiallyRefunded);
    assert_eq!(o.refunded_minor, order.amount.amount_minor() / 2);
    let bundles = store.line_bundles(a.id, line.id).await.unwrap();
    assert_eq!(bundles[0].state, keepsim_domain::bundle::BundleState::Revoked);
    let ledger = store.line_ledger(a.id, line.id).await.unwrap();
    let revoked: i64 =
        ledger.iter().filter(|l| l.kind == keepsim_domain::bundle::LedgerKind::RefundRevoke).map(|l| l.units).sum();
    assert_eq!(revoked, -(1024 * 1024 * 1024));
    assert_eq!(store.order_refunds(order.id).await.unwrap()[0].status, "succeeded");
}

/// After the last retry the job and the order are failed, visible to staff.
pub async fn a_fulfilment_that_gives_up_fails_the_order_for_staff(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let order = store.create_order(new_order(&a, &line, "k", package())).await.unwrap();
    store.apply_payment_event(paid(&order, "e1")).await.unwrap();
    let t = now();
    let job = store.claim_fulfilment_job(t, t + Duration::seconds(30)).await.unwrap().unwrap();
    store.fail_fulfilment_job(job.id, "database hiccup", Some(t + Duration::seconds(5)), t).await.unwrap();
    assert_eq!(
        store.claim_fulfilment_job(t + Duration::seconds(1), t + Duration::seconds(30)).await.unwrap(),
        None,
        "backing off"
    );
    let job = store.claim_fulfilment_job(t + Duration::seconds(6), t + Duration::seconds(36)).await.unwrap().unwrap();
    store.fail_fulfilment_job(job.id, "still broken", None, t + Duration::seconds(6)).await.unwrap();
    let failed = store.fulfilment_jobs("failed", 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error.as_deref(), Some("still broken"));
    let o = store.order_by_id(order.id).await.unwrap().unwrap();
    assert_eq!(o.status, keepsim_domain::order::OrderStatus::Failed);
}

/// A batch of charging writes lands whole; reservations come back on load; an event id applies once;
/// the ledger agrees with every balance.
pub async fn charging_writes_commit_together_and_the_ledger_checks_out(store: Arc<dyn Store>) {
    use keepsim_domain::bundle::{BundleState, LedgerKind, Service};
    let (a, line, _order) = fulfilled_order(&store).await;
    assert_eq!(store.check_ledger().await.unwrap(), vec![], "a fresh credit checks out");
    let by_msisdn = store.subscriber(Some(line.msisdn.as_str()), None).await.unwrap().unwrap();
    let by_imsi = store.subscriber(None, Some(line.imsi.as_str())).await.unwrap().unwrap();
    assert_eq!((by_msisdn.line_id, by_imsi.line_id), (line.id, line.id));
    assert_eq!(store.subscriber(Some("999999999"), None).await.unwrap(), None);
    let state = store.charging_state(line.id).await.unwrap().unwrap();
    let bundle = state.bundles[0].clone();
    let gib = 1u64 << 30;
    let t = now();
    let reserve = ChargingWrite {
        line_id: line.id,
        at: Some(t),
        ledger: vec![LedgerWrite {
            bundle_id: bundle.id,
            kind: LedgerKind::Reserve,
            service: Service::Data,
            units: -1000,
        }],
        bundles: vec![BundleCounters {
            bundle_id: bundle.id,
            state: BundleState::Active,
            starts_at: bundle.starts_at,
            expires_at: bundle.expires_at,
            data: (0, 1000),
            voice: (0, 0),
            sms: (0, 0),
        }],
        upsert_reservations: vec![StoredReservation {
            line_id: line.id,
            session_id: "pgw;1;1".into(),
            rating_group: 10,
            service: Service::Data,
            country: "JP".into(),
            parts: vec![(bundle.id, 1000)],
            granted: 1000,
            expires_at: t + Duration::minutes(10),
        }],
        ..Default::default()
    };
    let commit = ChargingWrite {
        line_id: line.id,
        at: Some(t),
        ledger: vec![
            LedgerWrite { bundle_id: bundle.id, kind: LedgerKind::Release, service: Service::Data, units: 1000 },
            LedgerWrite { bundle_id: bundle.id, kind: LedgerKind::UsageDebit, service: Service::Data, units: -700 },
        ],
        bundles: vec![BundleCounters { data: (700, 0), ..reserve.bundles[0] }],
        delete_reservations: vec![("pgw;1;1".into(), 10)],
        usage: vec![(Service::Data, 700)],
        event_id: Some("cdr-1".into()),
        ..Default::default()
    };
    assert_eq!(store.commit_charging(std::slice::from_ref(&reserve)).await.unwrap(), vec![true]);
    let loaded = store.charging_state(line.id).await.unwrap().unwrap();
    assert_eq!(loaded.reservations, reserve.upsert_reservations);
    assert_eq!(loaded.bundles[0].data.reserved, 1000);
    assert_eq!(store.check_ledger().await.unwrap(), vec![]);
    assert_eq!(
        store.commit_charging(&[commit.clone(), commit.clone()]).await.unwrap(),
        vec![true, false],
        "event applied once"
    );
    assert!(store.usage_event_seen("cdr-1").await.unwrap());
    let loaded = store.charging_state(line.id).await.unwrap().unwrap();
    assert!(loaded.reservations.is_empty());
    assert_eq!(loaded.bundles[0].data.used, 700);
    assert_eq!(loaded.bundles[0].data.remaining(), Some(gib - 700));
    assert_eq!(store.check_ledger().await.unwrap(), vec![]);
    let usage = store.usage_hours(a.id, line.id, t - Duration::hours(1), t + Duration::hours(1)).await.unwrap();
    assert_eq!(usage.iter().map(|u| u.units).sum::<u64>(), 700);
    assert!(
        store
            .usage_hours(Uuid::now_v7(), line.id, t - Duration::hours(1), t + Duration::hours(1))
            .await
            .unwrap()
            .is_empty()
    );
    // A write that disagrees with the ledger is caught.
    let sneaky =
        ChargingWrite { bundles: vec![BundleCounters { data: (600, 0), ..reserve.bundles[0] }], ..Default::default() };
    store.commit_charging(&[ChargingWrite { line_id: line.id, ..sneaky }]).await.unwrap();
    let diff = store.check_ledger().await.unwrap();
    assert_eq!(diff.len(), 1);
    assert_eq!((diff[0].recorded, diff[0].from_ledger), ((gib - 600) as i64, (gib - 700) as i64));
}

/// Keys are found by the hash of their secret and stop working when revoked.
pub async fn api_keys_are_found_by_hash_and_revoked(store: Arc<dyn Store>) {
    let key = ApiKeyRecord {
        id: Uuid::now_v7(),
        prefix: "ks_abc".into(),
        key_hash: "hash1".into(),
        scopes: vec!["network".into(), "usage:read".into()],
        partner_id: Some("partner-7".into()),
        created_at: now(),
        revoked_at: None,
    };
    store.create_api_key(key.clone()).await.unwrap();
    assert_eq!(store.api_key_by_hash("hash1").await.unwrap(), Some(key.clone()));
    assert_eq!(store.api_key_by_hash("hash2").await.unwrap(), None);
    assert!(store.revoke_api_key(key.id, now()).await.unwrap());
    assert!(!store.revoke_api_key(key.id, now()).await.unwrap());
    assert!(store.api_key_by_hash("hash1").await.unwrap().unwrap().revoked_at.is_some());
    assert_eq!(store.api_keys().await.unwrap().len(), 1);
}

/// The same event (dedupe key) is recorded once, whoever tries; the inbox is newest first and private.
pub async fn a_notification_is_recorded_once_per_event_and_read_only_by_its_owner(store: Arc<dyn Store>) {
    let a = account(&store, "a@example.com").await;
    let b = account(&store, "b@example.com").await;
    let note = |key: &str| NewNotification {
        id: Uuid::now_v7(),
        account_id: a.id,
        line_id: None,
        kind: "data_threshold".into(),
        data: r#"{"threshold_percent":75}"#.into(),
        dedupe_key: key.into(),
        created_at: now(),
    };
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (store, n) = (store.clone(), note("data_threshold:b1:75"));
        tasks.push(tokio::spawn(async move { store.create_notification(n).await.unwrap() }));
    }
    let mut recorded = 0;
    for t in tasks {
        if t.await.unwrap() {
            recorded += 1;
        }
    }
    assert_eq!(recorded, 1, "exactly once, even ten at a time");
    assert!(store.create_notification(note("data_threshold:b1:90")).await.unwrap());
    let inbox = store.notifications(a.id, Page { after: None, limit: 10 }).await.unwrap();
    assert_eq!(inbox.len(), 2);
    assert!(inbox[0].id > inbox[1].id, "newest first");
    let older = store.notifications(a.id, Page { after: Some(inbox[0].id), limit: 10 }).await.unwrap();
    assert_eq!(older.iter().map(|n| n.id).collect::<Vec<_>>(), vec![inbox[1].id]);
    assert!(store.notifications(b.id, Page { after: None, limit: 10 }).await.unwrap().is_empty());
    assert!(!store.mark_notification_read(b.id, inbox[0].id, now()).await.unwrap(), "not theirs");
    assert!(store.mark_notification_read(a.id, inbox[0].id, now()).await.unwrap());
    assert!(store.notifications(a.id, Page { after: None, limit: 1 }).await.unwrap()[0].read_at.is_some());
}
