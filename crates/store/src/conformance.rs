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
            a_notification_is_recorded_once_per_event_and_read_only_by_its_owner,
            a_staff_session_needs_the_second_factor_and_ends_at_expiry_revocation_or_disabling,
            a_totp_step_is_accepted_once_even_ten_at_a_time,
            a_ticket_is_private_to_its_customer_and_keeps_its_conversation,
            the_audit_log_is_newest_first_a_page_at_a_time,
            customers_are_found_by_a_piece_of_their_email,
            orders_are_filtered_by_status_method_customer_and_time,
            daily_sales_count_only_paid_orders_by_day_of_payment,
            failed_jobs_and_deliveries_are_retried_from_scratch
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
    assert_eq!(store.account_by_id(a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(store.account_by_email("bo@example.com").await.unwrap(), None);
    // An address is verified once; verifying again keeps the first time.
    assert_eq!(store.email_verified_at(a.id).await.unwrap(), None);
    let first = time::macros::datetime!(2030-01-02 03:04:05 UTC);
    store.set_email_verified(a.id, first).await.unwrap();
    store.set_email_verified(a.id, first + Duration::days(1)).await.unwrap();
    assert_eq!(store.email_verified_at(a.id).await.unwrap(), Some(first));
    assert_eq!(store.email_verified_at(Uuid::now_v7()).await.unwrap(), None);
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

[[country]]
code = "TW"
names = { "zh-CN" = "中国台湾" }
"#;

/// The catalogue reads back exactly as written; applying a file without a package retires it,
/// without a country's names gives the country back its CLDR names.
pub async fn catalogue_round_trips_and_retires_what_a_file_drops(store: Arc<dyn Store>) {
    let c = Catalogue::from_toml(CATALOGUE).unwrap();
    store.apply_catalogue(&c, now()).await.unwrap();
    assert_eq!(c.countries.len(), 1);
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
    assert!(back.countries.is_empty(), "names the file no longer gives are dropped");
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

async fn staff(store: &Arc<dyn Store>, email: &str) -> StaffRecord {
    store
        .create_staff(NewStaff {
            id: Uuid::now_v7(),
            email: Email::parse(email).unwrap(),
            password_hash: "x".into(),
            role: Role::Support,
            created_at: now(),
        })
        .await
        .unwrap()
}

/// A staff session starts without the second factor, gains it once, and ends at expiry,
/// at revocation, and while its staff user is disabled.
pub async fn a_staff_session_needs_the_second_factor_and_ends_at_expiry_revocation_or_disabling(store: Arc<dyn Store>) {
    let s = staff(&store, "support@keepsim.test").await;
    assert_eq!(store.staff_by_id(s.id).await.unwrap(), Some(s.clone()));
    assert_eq!((s.totp_secret.clone(), s.totp_confirmed, s.totp_last_step, s.disabled_at), (None, false, None, None));
    let t = now();
    store.create_staff_session("sh1", s.id, t, t + Duration::hours(12)).await.unwrap();
    assert_eq!(store.staff_session("sh1", t).await.unwrap(), Some((s.clone(), false)), "second factor not given yet");
    assert!(store.mark_staff_session_mfa("sh1").await.unwrap());
    assert_eq!(store.staff_session("sh1", t).await.unwrap(), Some((s.clone(), true)));
    assert!(!store.mark_staff_session_mfa("nope").await.unwrap());
    assert_eq!(store.staff_session("sh1", t + Duration::hours(12)).await.unwrap(), None, "expired");
    assert_eq!(store.staff_session("nope", t).await.unwrap(), None);

    assert!(store.set_staff_disabled(s.id, Some(t)).await.unwrap());
    assert_eq!(store.staff_session("sh1", t).await.unwrap(), None, "disabled");
    assert_eq!(store.staff_by_id(s.id).await.unwrap().unwrap().disabled_at, Some(t));
    assert!(store.set_staff_disabled(s.id, None).await.unwrap());
    assert!(store.staff_session("sh1", t).await.unwrap().is_some(), "enabled again");
    assert!(!store.set_staff_disabled(Uuid::now_v7(), Some(t)).await.unwrap());

    store.revoke_staff_session("sh1", t).await.unwrap();
    store.revoke_staff_session("sh1", t).await.unwrap();
    assert_eq!(store.staff_session("sh1", t).await.unwrap(), None, "revoked");
    assert!(!store.mark_staff_session_mfa("sh1").await.unwrap(), "a revoked session gains nothing");

    let other = staff(&store, "finance@keepsim.test").await;
    let all = store.list_staff().await.unwrap();
    assert_eq!(all.iter().map(|x| x.id).collect::<Vec<_>>(), vec![s.id, other.id]);
}

/// A TOTP step is recorded only after the last one: a code works once, even when ten
/// nodes check it at the same moment; the secret is fixed once enrolment is confirmed.
pub async fn a_totp_step_is_accepted_once_even_ten_at_a_time(store: Arc<dyn Store>) {
    let s = staff(&store, "admin@keepsim.test").await;
    assert!(!store.confirm_staff_totp(s.id, 100).await.unwrap(), "no secret yet");
    assert!(!store.set_staff_totp_step(s.id, 100).await.unwrap(), "no secret yet");
    assert!(store.set_staff_totp_secret(s.id, "FIRSTSECRET").await.unwrap());
    assert!(store.set_staff_totp_secret(s.id, "GEZDGNBVGY3TQOJQ").await.unwrap(), "replaced before confirmation");
    assert!(store.confirm_staff_totp(s.id, 100).await.unwrap());
    assert!(!store.confirm_staff_totp(s.id, 100).await.unwrap(), "the same step again");
    let back = store.staff_by_id(s.id).await.unwrap().unwrap();
    assert_eq!(
        (back.totp_secret.as_deref(), back.totp_confirmed, back.totp_last_step),
        (Some("GEZDGNBVGY3TQOJQ"), true, Some(100))
    );
    assert!(!store.set_staff_totp_secret(s.id, "ATTACKER").await.unwrap(), "fixed once confirmed");
    assert!(!store.set_staff_totp_step(s.id, 100).await.unwrap(), "replay");
    assert!(!store.set_staff_totp_step(s.id, 99).await.unwrap(), "older step");
    assert!(store.set_staff_totp_step(s.id, 101).await.unwrap());

    let mut tasks = Vec::new();
    for _ in 0..10 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { store.set_staff_totp_step(s.id, 102).await.unwrap() }));
    }
    let mut accepted = 0;
    for t in tasks {
        if t.await.unwrap() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 1, "one node accepts the code, nine refuse it");
    let back = store.staff_by_email("admin@keepsim.test").await.unwrap().unwrap();
    assert_eq!((back.totp_secret.as_deref(), back.totp_last_step), (Some("GEZDGNBVGY3TQOJQ"), Some(102)));
}

fn ticket_message(ticket_id: Uuid, author: keepsim_domain::ticket::TicketAuthor, body: &str) -> TicketMessageRecord {
    TicketMessageRecord { id: Uuid::now_v7(), ticket_id, author, staff_id: None, body: body.into(), created_at: now() }
}

/// A ticket keeps its conversation in order; its customer sees it, another customer does not;
/// staff list tickets by status, the last updated first.
pub async fn a_ticket_is_private_to_its_customer_and_keeps_its_conversation(store: Arc<dyn Store>) {
    use keepsim_domain::ticket::{TicketAuthor, TicketStatus};
    let a = account(&store, "a@example.com").await;
    let b = account(&store, "b@example.com").await;
    let agent = staff(&store, "support@keepsim.test").await;
    let t0 = now();
    let ticket = |account_id: Uuid, subject: &str, at: OffsetDateTime| TicketRecord {
        id: Uuid::now_v7(),
        account_id,
        subject: subject.into(),
        status: TicketStatus::Open,
        created_at: at,
        updated_at: at,
    };
    let first = ticket(a.id, "eSIM does not activate", t0);
    store
        .create_ticket(first.clone(), ticket_message(first.id, TicketAuthor::Customer, "It says no service"))
        .await
        .unwrap();
    let second = ticket(a.id, "Refund please", t0 + Duration::seconds(1));
    store
        .create_ticket(second.clone(), ticket_message(second.id, TicketAuthor::Customer, "Wrong package"))
        .await
        .unwrap();
    let theirs = ticket(b.id, "Hello", t0 + Duration::seconds(2));
    store.create_ticket(theirs.clone(), ticket_message(theirs.id, TicketAuthor::Customer, "Hi")).await.unwrap();

    assert_eq!(store.ticket_of(a.id, first.id).await.unwrap(), Some(first.clone()));
    assert_eq!(store.ticket_of(b.id, first.id).await.unwrap(), None, "another customer's ticket");
    assert_eq!(store.ticket_by_id(first.id).await.unwrap(), Some(first.clone()));
    let mine = store.tickets_of(a.id, ALL).await.unwrap();
    assert_eq!(mine.iter().map(|t| t.id).collect::<Vec<_>>(), vec![second.id, first.id], "last updated first");

    let t1 = t0 + Duration::minutes(5);
    let answer = TicketMessageRecord {
        staff_id: Some(agent.id),
        created_at: t1,
        ..ticket_message(first.id, TicketAuthor::Staff, "Turn on data roaming")
    };
    store.add_ticket_message(answer.clone(), TicketStatus::Answered, t1).await.unwrap();
    let missing = store
        .add_ticket_message(ticket_message(Uuid::now_v7(), TicketAuthor::Staff, "?"), TicketStatus::Answered, t1)
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    let answered = store.ticket_of(a.id, first.id).await.unwrap().unwrap();
    assert_eq!((answered.status, answered.updated_at), (TicketStatus::Answered, t1));
    let conversation = store.ticket_messages(first.id).await.unwrap();
    assert_eq!(
        conversation.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        vec!["It says no service", "Turn on data roaming"]
    );
    assert_eq!(conversation[1], answer);
    assert_eq!(conversation[0].author, TicketAuthor::Customer);

    let mine = store.tickets_of(a.id, Page { after: None, limit: 1 }).await.unwrap();
    assert_eq!(mine.iter().map(|t| t.id).collect::<Vec<_>>(), vec![first.id], "the answered one moved up");
    let rest = store.tickets_of(a.id, Page { after: Some(first.id), limit: 10 }).await.unwrap();
    assert_eq!(rest.iter().map(|t| t.id).collect::<Vec<_>>(), vec![second.id]);

    let open = store.tickets_by_status(Some(TicketStatus::Open), ALL).await.unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![theirs.id, second.id]);
    let all = store.tickets_by_status(None, ALL).await.unwrap();
    assert_eq!(all.iter().map(|t| t.id).collect::<Vec<_>>(), vec![first.id, theirs.id, second.id]);

    assert!(store.set_ticket_status(first.id, TicketStatus::Closed, t1 + Duration::minutes(1)).await.unwrap());
    assert!(!store.set_ticket_status(Uuid::now_v7(), TicketStatus::Closed, t1).await.unwrap());
    assert_eq!(store.tickets_by_status(Some(TicketStatus::Closed), ALL).await.unwrap().len(), 1);
}

/// The audit trail reads newest first, a page at a time.
pub async fn the_audit_log_is_newest_first_a_page_at_a_time(store: Arc<dyn Store>) {
    let s = staff(&store, "admin@keepsim.test").await;
    let t = now();
    let mut ids = Vec::new();
    for n in 0..5 {
        let e = AuditRecord {
            id: Uuid::now_v7(),
            staff_id: if n == 4 { None } else { Some(s.id) },
            staff_email: if n == 4 { "cli".into() } else { s.email.to_string() },
            action: "set_package_price".into(),
            target: format!("package:P{n}"),
            detail: format!(r#"{{"n":{n}}}"#),
            at: t + Duration::seconds(n),
        };
        store.record_audit(e.clone()).await.unwrap();
        ids.push(e.id);
    }
    let first = store.audit_log(Page { after: None, limit: 2 }).await.unwrap();
    assert_eq!(first.iter().map(|e| e.id).collect::<Vec<_>>(), vec![ids[4], ids[3]]);
    assert_eq!((first[0].staff_id, first[0].staff_email.as_str()), (None, "cli"));
    assert_eq!(first[1].detail, r#"{"n":3}"#);
    assert_eq!(first[1].at, t + Duration::seconds(3));
    let next = store.audit_log(Page { after: Some(ids[3]), limit: 2 }).await.unwrap();
    assert_eq!(next.iter().map(|e| e.id).collect::<Vec<_>>(), vec![ids[2], ids[1]]);
    let last = store.audit_log(Page { after: Some(ids[1]), limit: 2 }).await.unwrap();
    assert_eq!(last.iter().map(|e| e.id).collect::<Vec<_>>(), vec![ids[0]]);
}

/// Staff find customers by a piece of their email, and any line by its id.
pub async fn customers_are_found_by_a_piece_of_their_email(store: Arc<dyn Store>) {
    let (ana, line) = line_for(&store, "ana.li@example.com", 1).await;
    let bo = account(&store, "bo_100%@example.org").await;
    let cy = account(&store, "cy@example.com").await;
    let ids = |v: Vec<AccountRecord>| v.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(store.search_accounts(Some("EXAMPLE.COM"), ALL).await.unwrap()), vec![cy.id, ana.id]);
    assert_eq!(ids(store.search_accounts(Some("100%"), ALL).await.unwrap()), vec![bo.id], "% is just a character");
    assert_eq!(ids(store.search_accounts(Some("_"), ALL).await.unwrap()), vec![bo.id], "_ is just a character");
    assert_eq!(ids(store.search_accounts(None, ALL).await.unwrap()), vec![cy.id, bo.id, ana.id], "newest first");
    assert_eq!(
        ids(store.search_accounts(Some("  "), Page { after: Some(bo.id), limit: 10 }).await.unwrap()),
        vec![ana.id]
    );
    assert!(store.search_accounts(Some("nobody"), ALL).await.unwrap().is_empty());
    assert_eq!(store.account_line(line.id).await.unwrap(), Some(line.clone()));
    assert_eq!(store.account_line(Uuid::now_v7()).await.unwrap(), None);
    assert_eq!(store.line_counts().await.unwrap(), vec![("assigned".to_string(), 1)]);
}

/// The order list filters by status, method, customer and creation time, newest first.
pub async fn orders_are_filtered_by_status_method_customer_and_time(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let (b, bline) = line_for(&store, "b@example.com", 2).await;
    let t = now();
    let mut orders = Vec::new();
    for (n, (acc, l, method)) in
        [(&a, &line, "alipay"), (&a, &line, "card"), (&b, &bline, "wechat"), (&b, &bline, "alipay")]
            .into_iter()
            .enumerate()
    {
        let mut o = new_order(acc, l, &format!("k{n}"), package());
        o.method = method.into();
        o.created_at = t + Duration::minutes(n as i64);
        orders.push(store.create_order(o).await.unwrap());
    }
    store.apply_payment_event(paid(&orders[3], "e3")).await.unwrap();
    let ids = |v: Vec<OrderRecord>| v.iter().map(|o| o.id).collect::<Vec<_>>();
    let all = store.list_orders_filtered(OrderFilter::default(), ALL).await.unwrap();
    assert_eq!(ids(all), vec![orders[3].id, orders[2].id, orders[1].id, orders[0].id], "newest first");
    let f = |status: Option<&str>, method: Option<&str>, account_id: Option<Uuid>| OrderFilter {
        status: status.map(str::to_string),
        method: method.map(str::to_string),
        account_id,
        ..OrderFilter::default()
    };
    assert_eq!(ids(store.list_orders_filtered(f(Some("paid"), None, None), ALL).await.unwrap()), vec![orders[3].id]);
    assert_eq!(
        ids(store.list_orders_filtered(f(None, Some("alipay"), None), ALL).await.unwrap()),
        vec![orders[3].id, orders[0].id]
    );
    assert_eq!(
        ids(store.list_orders_filtered(f(Some("awaiting_payment"), Some("alipay"), Some(a.id)), ALL).await.unwrap()),
        vec![orders[0].id]
    );
    assert_eq!(
        ids(store.list_orders_filtered(f(None, None, Some(b.id)), ALL).await.unwrap()),
        vec![orders[3].id, orders[2].id]
    );
    let window = OrderFilter {
        since: Some(t + Duration::minutes(1)),
        until: Some(t + Duration::minutes(3)),
        ..OrderFilter::default()
    };
    assert_eq!(ids(store.list_orders_filtered(window, ALL).await.unwrap()), vec![orders[2].id, orders[1].id]);
    let page = store.list_orders_filtered(OrderFilter::default(), Page { after: Some(orders[2].id), limit: 1 }).await;
    assert_eq!(ids(page.unwrap()), vec![orders[1].id]);
}

/// Sales per day count the orders that were paid, by the UTC day the payment arrived,
/// per currency; unpaid and expired orders do not count, refunded ones still do. Data used and
/// lines in use per day come from the usage series the charging writes.
pub async fn daily_sales_count_only_paid_orders_by_day_of_payment(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let day1 = time::macros::datetime!(2030-03-01 23:59:59 UTC);
    let day2 = time::macros::datetime!(2030-03-02 00:00:01 UTC);
    let eur = package();
    let cny = limited_package();
    let mut n = 0;
    let mut order = |p: &keepsim_domain::catalogue::Package| {
        n += 1;
        let mut o = new_order(&a, &line, &format!("k{n}"), p.clone());
        o.amount = p.prices[0];
        o
    };
    let o1 = store.create_order(order(&eur)).await.unwrap();
    let o2 = store.create_order(order(&eur)).await.unwrap();
    let o3 = store.create_order(order(&cny)).await.unwrap();
    let unpaid = store.create_order(order(&eur)).await.unwrap();
    for (o, at, id) in [(&o1, day1, "e1"), (&o2, day2, "e2"), (&o3, day2, "e3")] {
        store.apply_payment_event(PaymentEvent { received_at: at, ..paid(o, id) }).await.unwrap();
    }
    store.expire_unpaid_orders(now() + Duration::hours(1), 10).await.unwrap();
    assert_eq!(
        store.order_by_id(unpaid.id).await.unwrap().unwrap().status,
        keepsim_domain::order::OrderStatus::Expired
    );
    let sales = store.daily_sales(time::macros::datetime!(2030-03-01 00:00 UTC)).await.unwrap();
    let day = |d: OffsetDateTime| d.date();
    assert_eq!(
        sales,
        vec![
            DailySales { day: day(day1), currency: "EUR".into(), orders: 1, revenue_minor: 2900 },
            DailySales { day: day(day2), currency: "CNY".into(), orders: 1, revenue_minor: 1200 },
            DailySales { day: day(day2), currency: "EUR".into(), orders: 1, revenue_minor: 2900 },
        ]
    );
    let later = store.daily_sales(time::macros::datetime!(2030-03-02 00:00 UTC)).await.unwrap();
    assert_eq!(later.iter().map(|s| s.orders).sum::<i64>(), 2, "days before `since` are left out");

    // Data used per day across lines comes from the usage series the charging writes.
    use keepsim_domain::bundle::Service;
    let usage = |at: OffsetDateTime, svc: Service, units: u64| ChargingWrite {
        line_id: line.id,
        at: Some(at),
        usage: vec![(svc, units)],
        ..Default::default()
    };
    store
        .commit_charging(&[
            usage(day1, Service::Data, 1000),
            usage(day1 - Duration::hours(3), Service::Data, 500),
            usage(day2, Service::Data, 7),
            usage(day2, Service::Voice, 60),
        ])
        .await
        .unwrap();
    assert_eq!(
        store.daily_data_used(time::macros::datetime!(2030-03-01 00:00 UTC)).await.unwrap(),
        vec![(day1.date(), 1500), (day2.date(), 7)]
    );
    // Lines in use per day: any service counts, a line once per day however much it used.
    let (_, other) = line_for(&store, "b@example.com", 2).await;
    store
        .commit_charging(&[ChargingWrite {
            line_id: other.id,
            at: Some(day2 + Duration::hours(1)),
            usage: vec![(Service::Sms, 1)],
            ..Default::default()
        }])
        .await
        .unwrap();
    assert_eq!(
        store.daily_lines_in_use(time::macros::datetime!(2030-03-01 00:00 UTC)).await.unwrap(),
        vec![(day1.date(), 1), (day2.date(), 2)]
    );
    assert_eq!(
        store.daily_lines_in_use(day2 + Duration::days(1)).await.unwrap(),
        vec![],
        "days before `since` are left out"
    );
}

/// A fulfilment job or a delivery that gave up can be retried by staff: due now, attempts reset.
/// Anything not failed is left alone.
pub async fn failed_jobs_and_deliveries_are_retried_from_scratch(store: Arc<dyn Store>) {
    let (a, line) = line_for(&store, "a@example.com", 1).await;
    let order = store.create_order(new_order(&a, &line, "k", package())).await.unwrap();
    store.apply_payment_event(paid(&order, "e1")).await.unwrap();
    let t = now();
    let job = store.claim_fulfilment_job(t, t + Duration::seconds(30)).await.unwrap().unwrap();
    assert!(!store.retry_fulfilment_job(job.id, t).await.unwrap(), "running, not failed");
    store.fail_fulfilment_job(job.id, "gave up", None, t).await.unwrap();
    assert_eq!(store.claim_fulfilment_job(t + Duration::hours(1), t + Duration::hours(2)).await.unwrap(), None);
    let t2 = t + Duration::minutes(5);
    assert!(store.retry_fulfilment_job(job.id, t2).await.unwrap());
    assert!(!store.retry_fulfilment_job(job.id, t2).await.unwrap(), "queued already");
    assert!(store.fulfilment_jobs("failed", 10).await.unwrap().is_empty());
    let again = store.claim_fulfilment_job(t2, t2 + Duration::seconds(30)).await.unwrap().expect("runnable again");
    assert_eq!((again.id, again.attempts), (job.id, 1), "attempts start over");

    let note = NewNotification {
        id: Uuid::now_v7(),
        account_id: a.id,
        line_id: None,
        kind: "refund".into(),
        data: "{}".into(),
        dedupe_key: "refund:R1".into(),
        created_at: t,
    };
    store.create_notification(note.clone()).await.unwrap();
    for channel in [Channel::Email, Channel::Webhook] {
        assert!(!store.retry_delivery(channel, note.id, t).await.unwrap(), "never tried");
        let claimed = store.claim_deliveries(channel, t, t + Duration::minutes(2), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        store.finish_delivery(channel, note.id, "failed", t, Some("550 mailbox unavailable"), t).await.unwrap();
        assert!(store.claim_deliveries(channel, t2, t2 + Duration::minutes(2), 10).await.unwrap().is_empty());
        assert_eq!(store.failed_deliveries(channel, 10).await.unwrap().len(), 1);
        assert!(store.retry_delivery(channel, note.id, t2).await.unwrap());
        assert!(!store.retry_delivery(channel, note.id, t2).await.unwrap(), "pending already");
        assert!(store.failed_deliveries(channel, 10).await.unwrap().is_empty());
        let claimed = store.claim_deliveries(channel, t2, t2 + Duration::minutes(2), 10).await.unwrap();
        assert_eq!(claimed.iter().map(|(n, _, attempts)| (n.id, *attempts)).collect::<Vec<_>>(), vec![(note.id, 1)]);
    }
}
