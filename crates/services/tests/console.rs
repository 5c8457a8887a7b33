//! The staff console's use cases over a real SQLite store, with a clock moved by hand:
//! staff sign-in with a second factor, support tickets, and catalogue edits.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use keepsim_domain::account::Role;
use keepsim_domain::catalogue::Catalogue;
use keepsim_domain::ticket::{TicketAuthor, TicketStatus};
use keepsim_domain::totp::TotpSecret;
use keepsim_domain::{Currency, Money};
use keepsim_services::catalogue::{DEMO_CATALOGUE, demo_catalogue};
use keepsim_services::{ManualClock, ServiceError, Services};
use keepsim_store::{Page, StaffRecord};
use keepsim_store_sqlite::SqliteStore;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use time::Duration;
use time::macros::datetime;

const PASSWORD: &str = "correct horse battery";
const ALL: Page = Page { after: None, limit: 100 };
const IP: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));

struct Console {
    services: Services,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

async fn console() -> Console {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("keepsim.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    let clock = Arc::new(ManualClock::new(datetime!(2030-01-07 09:00:15 UTC)));
    let services = Services::with_clock(Arc::new(store), clock.clone());
    Console { services, clock, _dir: dir }
}

impl Console {
    async fn staff(&self, email: &str) -> StaffRecord {
        self.services.create_staff(email, Role::Support, Some(PASSWORD.into())).await.unwrap().0
    }

    fn code(&self, secret: &TotpSecret) -> String {
        secret.code_at(self.services.clock.now().unix_timestamp())
    }
}

#[tokio::test]
async fn staff_sign_in_with_a_password_then_enrol_an_authenticator_and_pass_the_second_factor() {
    let c = console().await;
    let s = &c.services;
    let ops = c.staff("ops@keepsim.test").await;

    let wrong = s.staff_login("ops@keepsim.test", "wrong horse battery", IP).await;
    assert!(matches!(wrong, Err(ServiceError::InvalidCredentials)), "{wrong:?}");
    let nobody = s.staff_login("nobody@keepsim.test", PASSWORD, IP).await;
    assert!(matches!(nobody, Err(ServiceError::InvalidCredentials)), "same answer for an unknown email: {nobody:?}");

    let (token, who) = s.staff_login(" OPS@keepsim.test ", PASSWORD, IP).await.unwrap();
    assert_eq!(who.id, ops.id);
    let session = s.staff_session(&token).await.unwrap().unwrap();
    assert!(!session.mfa_ok, "the password alone is not enough");
    let early = s.staff_verify_totp(&token, "123456").await;
    assert!(matches!(early, Err(ServiceError::Forbidden(_))), "nothing to verify against yet: {early:?}");

    let enrolment = s.staff_totp_enrolment(ops.id).await.unwrap().unwrap();
    assert_eq!(
        s.staff_totp_enrolment(ops.id).await.unwrap(),
        Some(enrolment.clone()),
        "the same secret until confirmed"
    );
    assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/keepsim:ops%40keepsim.test?secret="), "{enrolment:?}");
    assert!(enrolment.otpauth_uri.contains(&enrolment.secret_base32));
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    assert_eq!(secret.as_bytes().len(), 20);

    let now = s.clock.now().unix_timestamp();
    let valid = [secret.code_at(now - 30), secret.code_at(now), secret.code_at(now + 30)];
    let wrong_code = ["000000", "111111", "222222", "333333"].into_iter().find(|w| !valid.iter().any(|v| v == w));
    assert!(matches!(s.staff_verify_totp(&token, wrong_code.unwrap()).await, Err(ServiceError::InvalidTotp)));
    assert!(!s.staff_session(&token).await.unwrap().unwrap().mfa_ok);

    let code = c.code(&secret);
    s.staff_verify_totp(&token, &format!("{} {}", &code[..3], &code[3..])).await.unwrap();
    let session = s.staff_session(&token).await.unwrap().unwrap();
    assert!(session.mfa_ok);
    assert!(session.staff.totp_confirmed);
    assert_eq!(s.staff_totp_enrolment(ops.id).await.unwrap(), None, "enrolled: the secret is never shown again");
    let audit = s.audit_log(ALL).await.unwrap();
    assert_eq!((audit[0].action.as_str(), audit[0].staff_id), ("totp_enrolled", Some(ops.id)));

    c.clock.advance(Duration::hours(12));
    assert_eq!(s.staff_session(&token).await.unwrap(), None, "a staff session lasts 12 hours");
    let (token, _) = s.staff_login("ops@keepsim.test", PASSWORD, IP).await.unwrap();
    s.staff_verify_totp(&token, &c.code(&secret)).await.unwrap();
    s.staff_logout(&token).await.unwrap();
    assert_eq!(s.staff_session(&token).await.unwrap(), None);
    assert!(matches!(s.staff_verify_totp(&token, "123456").await, Err(ServiceError::Unauthenticated)));
}

#[tokio::test]
async fn a_totp_code_works_once_even_in_another_session() {
    let c = console().await;
    let s = &c.services;
    let ops = c.staff("ops@keepsim.test").await;
    let secret =
        TotpSecret::from_base32(&s.staff_totp_enrolment(ops.id).await.unwrap().unwrap().secret_base32).unwrap();
    let (first, _) = s.staff_login("ops@keepsim.test", PASSWORD, IP).await.unwrap();
    let (second, _) = s.staff_login("ops@keepsim.test", PASSWORD, IP).await.unwrap();
    let code = c.code(&secret);
    s.staff_verify_totp(&first, &code).await.unwrap();
    c.clock.advance(Duration::seconds(10));
    let replay = s.staff_verify_totp(&second, &code).await;
    assert!(matches!(replay, Err(ServiceError::InvalidTotp)), "a code seen once is refused: {replay:?}");
    assert!(!s.staff_session(&second).await.unwrap().unwrap().mfa_ok);
    c.clock.advance(Duration::seconds(30));
    s.staff_verify_totp(&second, &c.code(&secret)).await.unwrap();
    assert!(s.staff_session(&second).await.unwrap().unwrap().mfa_ok, "the next code works");
}

#[tokio::test]
async fn wrong_codes_and_passwords_are_throttled_and_disabled_staff_cannot_sign_in() {
    let c = console().await;
    let s = &c.services;
    let ops = c.staff("ops@keepsim.test").await;
    s.staff_totp_enrolment(ops.id).await.unwrap();
    let (token, _) = s.staff_login("ops@keepsim.test", PASSWORD, IP).await.unwrap();
    for _ in 0..5 {
        // Never a valid code: seven digits.
        assert!(matches!(s.staff_verify_totp(&token, "1234567").await, Err(ServiceError::InvalidTotp)));
    }
    let throttled = s.staff_verify_totp(&token, "123456").await;
    assert!(matches!(throttled, Err(ServiceError::Throttled { .. })), "{throttled:?}");

    for _ in 0..5 {
        assert!(s.staff_login("ops@keepsim.test", "wrong horse battery", IP).await.is_err());
    }
    let throttled = s.staff_login("ops@keepsim.test", PASSWORD, IP).await;
    assert!(matches!(throttled, Err(ServiceError::Throttled { .. })), "{throttled:?}");

    c.clock.advance(Duration::minutes(16));
    s.store.set_staff_disabled(ops.id, Some(c.services.clock.now())).await.unwrap();
    assert_eq!(s.staff_session(&token).await.unwrap(), None, "a disabled staff member's sessions stop working");
    let disabled = s.staff_login("ops@keepsim.test", PASSWORD, IP).await;
    assert!(matches!(disabled, Err(ServiceError::InvalidCredentials)), "{disabled:?}");
}

#[tokio::test]
async fn a_customer_opens_a_ticket_staff_answer_it_and_the_customer_is_notified() {
    let c = console().await;
    let s = &c.services;
    let ana = s.register("ana@example.com", PASSWORD, Some("zh-CN")).await.unwrap();
    let bo = s.register("bo@example.com", PASSWORD, None).await.unwrap();
    let agent = c.staff("support@keepsim.test").await;

    for (subject, body, field) in [
        (" ", "hi", "subject"),
        (&*"x".repeat(201), "hi", "subject"),
        ("Help", "", "body"),
        ("Help", &*"x".repeat(5001), "body"),
    ] {
        match s.open_ticket(ana.id, subject, body).await {
            Err(ServiceError::InvalidField { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    let ticket =
        s.open_ticket(ana.id, "  eSIM shows no service ", " I landed in Tokyo and have no signal. ").await.unwrap();
    assert_eq!((ticket.subject.as_str(), ticket.status), ("eSIM shows no service", TicketStatus::Open));
    assert_eq!(s.tickets(ana.id, ALL).await.unwrap(), vec![ticket.clone()]);
    assert!(s.tickets(bo.id, ALL).await.unwrap().is_empty());
    assert_eq!(s.ticket(bo.id, ticket.id).await.unwrap(), None, "another customer's ticket does not exist for them");
    assert!(matches!(s.reply_ticket(bo.id, ticket.id, "me too").await, Err(ServiceError::NotFound)));

    c.clock.advance(Duration::minutes(10));
    let answer = s.answer_ticket(&agent, ticket.id, "Please turn on data roaming.").await.unwrap();
    assert_eq!((answer.author, answer.staff_id), (TicketAuthor::Staff, Some(agent.id)));
    let inbox = s.inbox(&ana, ALL).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].kind, "ticket_answered");
    let data: serde_json::Value = serde_json::from_str(&inbox[0].data).unwrap();
    assert_eq!(data["subject"], "eSIM shows no service");
    assert_eq!(data["ticket_id"], ticket.id.to_string());
    assert!(s.inbox(&bo, ALL).await.unwrap().is_empty());
    let waiting = s.staff_tickets(Some("answered"), ALL).await.unwrap();
    assert_eq!(waiting.iter().map(|t| t.id).collect::<Vec<_>>(), vec![ticket.id]);
    assert!(s.staff_tickets(Some("open"), ALL).await.unwrap().is_empty());

    c.clock.advance(Duration::minutes(10));
    s.reply_ticket(ana.id, ticket.id, "That worked, thank you!").await.unwrap();
    let (t, messages) = s.ticket(ana.id, ticket.id).await.unwrap().unwrap();
    assert_eq!(t.status, TicketStatus::Open, "a reply puts it back in the staff's queue");
    assert_eq!(
        messages.iter().map(|m| (m.author, m.body.as_str())).collect::<Vec<_>>(),
        vec![
            (TicketAuthor::Customer, "I landed in Tokyo and have no signal."),
            (TicketAuthor::Staff, "Please turn on data roaming."),
            (TicketAuthor::Customer, "That worked, thank you!"),
        ]
    );

    s.close_ticket(&agent, ticket.id).await.unwrap();
    let (closed, _) = s.staff_ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(closed.status, TicketStatus::Closed);
    assert!(matches!(
        s.staff_tickets(Some("pending"), ALL).await,
        Err(ServiceError::InvalidField { field: "status", .. })
    ));
    assert_eq!(s.staff_tickets(None, ALL).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_price_edited_in_the_console_is_what_the_catalogue_sells() {
    let c = console().await;
    let s = &c.services;
    s.seed_catalogue(&demo_catalogue().unwrap()).await.unwrap();
    let code = s.catalogue().await.unwrap().packages[0].code.clone();

    let p = s.set_package_price(&code, "cny", Some(4200)).await.unwrap();
    assert_eq!(p.price(Currency::CNY), Some(Money::new(4200, Currency::CNY)));
    let stored = s.catalogue().await.unwrap();
    assert_eq!(stored.package(&code).unwrap().price(Currency::CNY), Some(Money::new(4200, Currency::CNY)));
    assert!(stored.package(&code).unwrap().active);

    s.set_package_price(&code, "USD", None).await.unwrap();
    assert_eq!(s.catalogue().await.unwrap().package(&code).unwrap().price(Currency::USD), None, "removed");
    assert!(matches!(s.set_package_price(&code, "USD", None).await, Err(ServiceError::PriceNotAvailable { .. })));
    assert!(matches!(s.set_package_price("NO-SUCH", "CNY", Some(100)).await, Err(ServiceError::UnknownPackage(_))));
    for (currency, amount, field) in
        [("XX", Some(100), "currency"), ("JPY", Some(100), "currency"), ("CNY", Some(0), "amount")]
    {
        match s.set_package_price(&code, currency, amount).await {
            Err(ServiceError::InvalidField { field: f, .. }) => assert_eq!(f, field, "{currency} {amount:?}"),
            other => panic!("{currency} {amount:?}: {other:?}"),
        }
    }
    for cur in ["CNY", "HKD"] {
        s.set_package_price(&code, cur, None).await.unwrap();
    }
    let last = s.set_package_price(&code, "EUR", None).await;
    assert!(
        matches!(last, Err(ServiceError::InvalidField { field: "currency", .. })),
        "the last price stays: {last:?}"
    );
    assert!(s.catalogue().await.unwrap().package(&code).unwrap().price(Currency::EUR).is_some());
}

#[tokio::test]
async fn the_catalogue_downloads_as_a_file_that_applies_back_unchanged_and_mistakes_name_their_line() {
    let c = console().await;
    let s = &c.services;
    let demo = demo_catalogue().unwrap();
    s.seed_catalogue(&demo).await.unwrap();
    let text = s.catalogue_toml().await.unwrap();
    assert_eq!(Catalogue::from_toml(&text).unwrap(), demo, "the demo catalogue reads back equal");
    assert!(s.preview_catalogue_toml(&text).await.unwrap().is_empty());
    assert!(s.apply_catalogue_toml(&text).await.unwrap().is_empty());

    let renamed = text.replacen(
        &format!("code = \"{}\"", demo.packages[0].code),
        &format!("code = \"{}-NEW\"", demo.packages[0].code),
        1,
    );
    let diff = s.apply_catalogue_toml(&renamed).await.unwrap();
    assert_eq!(diff.added, vec![format!("{}-NEW", demo.packages[0].code)]);
    assert_eq!(diff.retired, vec![demo.packages[0].code.clone()]);

    let broken = DEMO_CATALOGUE.replacen("validity_days = ", "validity_days = -", 1);
    let line = DEMO_CATALOGUE[..DEMO_CATALOGUE.find("validity_days = ").unwrap()].matches('\n').count() + 1;
    match s.apply_catalogue_toml(&broken).await {
        Err(ServiceError::InvalidCatalogue { line: l, column, .. }) => {
            assert_eq!(l, line);
            assert!(column > 1);
        }
        other => panic!("{other:?}"),
    }
    assert!(s.catalogue().await.unwrap().package(&format!("{}-NEW", demo.packages[0].code)).is_some(), "unchanged");
}

#[tokio::test]
async fn staff_find_a_customer_with_their_devices_and_lines_and_read_the_dashboard() {
    let c = console().await;
    let s = &c.services;
    let ana = s.register("ana.li@example.com", PASSWORD, None).await.unwrap();
    s.register("bo@example.org", PASSWORD, None).await.unwrap();
    let found = s.search_customers(Some("ANA."), ALL).await.unwrap();
    assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), vec![ana.id]);
    assert_eq!(s.search_customers(None, ALL).await.unwrap().len(), 2);
    let (account, devices, lines) = s.customer(ana.id).await.unwrap().unwrap();
    assert_eq!(account, ana);
    assert!(devices.is_empty() && lines.is_empty());
    assert_eq!(s.customer(uuid::Uuid::now_v7()).await.unwrap(), None);

    let board = s.dashboard(c.services.clock.now() - Duration::days(30)).await.unwrap();
    assert!(board.sales.is_empty() && board.data_used.is_empty() && board.lines_in_use.is_empty());
    assert!(board.line_counts.is_empty());
    let bad =
        s.orders_filtered(keepsim_store::OrderFilter { status: Some("lost".into()), ..Default::default() }, ALL).await;
    assert!(matches!(bad, Err(ServiceError::InvalidField { field: "status", .. })), "{bad:?}");
    assert!(!s.retry_fulfilment_job(uuid::Uuid::now_v7()).await.unwrap(), "nothing failed");
    assert!(!s.retry_delivery(keepsim_store::Channel::Email, uuid::Uuid::now_v7()).await.unwrap());
}

#[tokio::test]
async fn a_node_keeps_the_catalogue_in_memory_until_any_node_applies_another() {
    let c = console().await;
    let a = &c.services;
    a.seed_catalogue(&demo_catalogue().unwrap()).await.unwrap();
    // Another node: the same database, a memory of its own.
    let b = Services::with_clock(a.store.clone(), c.clock.clone());
    let first = a.catalogue_shared().await.unwrap();
    assert!(Arc::ptr_eq(&first, &a.catalogue_shared().await.unwrap()), "kept, not loaded again");
    let code = first.packages[0].code.clone();
    let seen_by_b = b.catalogue_shared().await.unwrap();
    assert_eq!(*seen_by_b, *first);

    b.set_package_price(&code, "CNY", Some(4321)).await.unwrap();
    for node in [a, &b] {
        let now = node.catalogue_shared().await.unwrap();
        assert!(!Arc::ptr_eq(&now, &first));
        assert_eq!(now.package(&code).unwrap().price(Currency::CNY), Some(Money::new(4321, Currency::CNY)));
    }
    // Applying a whole file is seen the same way.
    let mut next = b.catalogue().await.unwrap();
    next.packages.retain(|p| p.code != code);
    b.import_catalogue(&next).await.unwrap();
    assert!(!a.catalogue_shared().await.unwrap().package(&code).unwrap().active, "retired on the other node too");
}
