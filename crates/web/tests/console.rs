//! The admin console over HTTP on both backends: password then TOTP, roles
//! enforced on every action (and the refusals audited), a refund by finance.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use keepsim_domain::account::Role;
use keepsim_domain::totp::TotpSecret;
use reqwest::StatusCode;
use reqwest::header::LOCATION;

struct Staff {
    http: reqwest::Client,
    base: String,
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

impl Staff {
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self.http.get(format!("{}{path}", self.base)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Option<String>, String) {
        let res = self.http.post(format!("{}{path}", self.base)).form(form).send().await.unwrap();
        let location = res.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string());
        (res.status(), location, res.text().await.unwrap())
    }

    async fn csrf(&self, path: &str) -> String {
        let (_, html) = self.get(path).await;
        between(&html, "name=\"csrf\" value=\"", "\"").unwrap().to_string()
    }

    /// Creates a staff member with `role` and signs them in, enrolling TOTP.
    async fn sign_in(app: &TestApp, email: &str, role: Role) -> Staff {
        let password = "staff password 123";
        app.services.create_staff(email, role, Some(password.into())).await.unwrap();
        let http =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let staff = Staff { http, base: app.base.clone() };
        let (s, _) = staff.get("/admin").await;
        assert_eq!(s, StatusCode::SEE_OTHER, "not signed in: to the sign-in page");
        let csrf = staff.csrf("/admin/signin").await;
        let (s, _, _) =
            staff.post("/admin/signin", &[("csrf", &csrf), ("email", email), ("password", "wrong password 123")]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, to, _) =
            staff.post("/admin/signin", &[("csrf", &csrf), ("email", email), ("password", password)]).await;
        assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/admin/totp")));
        // The password alone opens nothing.
        let (s, _) = staff.get("/admin/orders").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html) = staff.get("/admin/totp").await;
        let secret = TotpSecret::from_base32(between(&html, "id=\"totp-secret\">", "<").unwrap()).unwrap();
        let csrf = between(&html, "name=\"csrf\" value=\"", "\"").unwrap().to_string();
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let wrong = if secret.code_at(now) == "123456" { "654321" } else { "123456" };
        let (s, _, _) = staff.post("/admin/totp", &[("csrf", &csrf), ("code", wrong)]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, to, body) = staff.post("/admin/totp", &[("csrf", &csrf), ("code", &secret.code_at(now))]).await;
        assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/admin")), "{body}");
        staff
    }
}

/// A fresh customer `email` with phone `n`, its line and an order for JP-1GB-3D paid at the
/// sandbox by `method` in `currency`; returns the customer's token and the order's id.
async fn order_paid_at_the_sandbox(
    app: &TestApp,
    email: &str,
    n: u64,
    method: &str,
    currency: &str,
) -> (String, String) {
    let token = app.customer(email).await;
    let device = app.device(&token, &common::imei(n)).await;
    let (_, line) = app.post("/api/v1/lines", Some(&token), serde_json::json!({"device_id": device["id"]})).await;
    let res = app
        .http
        .post(app.url("/api/v1/orders"))
        .bearer_auth(&token)
        .header("idempotency-key", format!("order-{n}"))
        .json(&serde_json::json!({"line_id": line["id"], "package_code": "JP-1GB-3D", "payment_method": method, "currency": currency}))
        .send()
        .await
        .unwrap();
    let order: serde_json::Value = res.json().await.unwrap();
    let id = order["id"].as_str().unwrap().to_string();
    let record = app.services.store.order_by_id(id.parse().unwrap()).await.unwrap().unwrap();
    keepsim_web::sandbox::pay_order(
        &keepsim_web::AppState { sandbox: app.sandbox.clone(), ..keepsim_web::AppState::new(app.services.clone()) },
        &record,
    )
    .await
    .unwrap();
    (token, id)
}

/// A paid and fulfilled card order of a fresh customer; returns its id.
async fn paid_order(app: &TestApp) -> String {
    let (token, id) = order_paid_at_the_sandbox(app, "buyer@example.com", 7, "card", "USD").await;
    for _ in 0..100 {
        let (_, o) = app.get(&format!("/api/v1/orders/{id}"), Some(&token)).await;
        if o["status"] == "fulfilled" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("order {id} was not fulfilled");
}

on_both_backends! {
    support_cannot_refund_or_edit_prices_and_the_refusal_is_audited(3) {
        |app| async move {
            let order = paid_order(&app).await;
            let support = Staff::sign_in(&app, "sam@keepsim.test", Role::Support).await;
            let (s, html) = support.get(&format!("/admin/orders/{order}")).await;
            assert_eq!(s, StatusCode::OK);
            assert!(!html.contains("id=\"refund\""), "no refund form");
            let csrf = between(&html, "name=\"csrf\" value=\"", "\"").unwrap().to_string();
            let (s, _, _) = support.post(&format!("/admin/orders/{order}/refund"), &[("csrf", &csrf)]).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
            let (s, _, _) = support
                .post("/admin/catalogue/price", &[("csrf", &csrf), ("code", "JP-1GB-3D"), ("currency", "USD"), ("amount", "0.01")])
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN);
            let record = app.services.store.order_by_id(order.parse().unwrap()).await.unwrap().unwrap();
            assert_eq!(record.refunded_minor, 0);
            let price = app.services.catalogue().await.unwrap().packages.into_iter().find(|p| p.code == "JP-1GB-3D").unwrap();
            assert_eq!(price.price(keepsim_domain::Currency::USD).unwrap().amount_minor(), 399);
            let audit = app.services.audit_log(keepsim_store::Page { after: None, limit: 50 }).await.unwrap();
            assert!(audit.iter().any(|e| e.action == "denied" && e.staff_email == "sam@keepsim.test"));
            let (s, _) = support.get("/admin/tickets").await;
            assert_eq!(s, StatusCode::OK);
        }
    }

    finance_refunds_an_order_and_cannot_see_tickets(3) {
        |app| async move {
            let order = paid_order(&app).await;
            let finance = Staff::sign_in(&app, "fin@keepsim.test", Role::Finance).await;
            let (s, _) = finance.get("/admin/tickets").await;
            assert_eq!(s, StatusCode::FORBIDDEN);
            let csrf = finance.csrf(&format!("/admin/orders/{order}")).await;
            let (s, to, body) = finance.post(&format!("/admin/orders/{order}/refund"), &[("csrf", &csrf), ("amount", ""), ("reason", "customer asked")]).await;
            assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
            assert_eq!(to, Some(format!("/admin/orders/{order}")));
            let refunds = app.services.store.order_refunds(order.parse().unwrap()).await.unwrap();
            assert_eq!(refunds.len(), 1);
            let audit = app.services.audit_log(keepsim_store::Page { after: None, limit: 50 }).await.unwrap();
            assert!(audit.iter().any(|e| e.action == "refund" && e.target == format!("order:{order}")));
            // A second refund of what is left (nothing) is refused and refunds nothing more.
            let (s, _, _) = finance.post(&format!("/admin/orders/{order}/refund"), &[("csrf", &csrf), ("amount", "1.00")]).await;
            assert!(s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::OK, "{s}");
            assert_eq!(app.services.store.order_refunds(order.parse().unwrap()).await.unwrap().len(), 1);
        }
    }

    admin_edits_the_whole_catalogue_as_a_file_with_a_preview_and_mistakes_by_line(1) {
        |app| async move {
            let admin = Staff::sign_in(&app, "root@keepsim.test", Role::Admin).await;
            let (s, html) = admin.get("/admin/catalogue").await;
            assert_eq!(s, StatusCode::OK);
            let csrf = between(&html, "name=\"csrf\" value=\"", "\"").unwrap().to_string();
            let current = app.services.catalogue_toml().await.unwrap();
            assert!(html.contains("[[package]]"), "the editor starts from the current catalogue");
            // A mistake is reported with its line and changes nothing.
            let broken = current.replacen("[[package]]", "[[package]]\nvalidity_days = \"soon\"", 1);
            let (s, _, html) = admin.post("/admin/catalogue/toml", &[("csrf", &csrf), ("toml", &broken), ("action", "apply")]).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(html.contains("line"), "{html}");
            assert_eq!(app.services.catalogue_toml().await.unwrap(), current);
            // A renamed package: preview shows it changed, apply changes it.
            let renamed = current.replacen("name = \"Japan 1 GB · 3 days\"", "name = \"Japan 1 GB · 72 hours\"", 1);
            assert_ne!(renamed, current);
            let (s, _, html) = admin.post("/admin/catalogue/toml", &[("csrf", &csrf), ("toml", &renamed), ("action", "preview")]).await;
            assert_eq!(s, StatusCode::OK);
            assert!(html.contains("JP-1GB-3D"), "the diff names the package");
            assert_eq!(app.services.catalogue_toml().await.unwrap(), current, "a preview changes nothing");
            let (s, _, _) = admin.post("/admin/catalogue/toml", &[("csrf", &csrf), ("toml", &renamed), ("action", "apply")]).await;
            assert_eq!(s, StatusCode::OK);
            let jp = app.services.catalogue().await.unwrap().packages.into_iter().find(|p| p.code == "JP-1GB-3D").unwrap();
            assert_eq!(jp.name, "Japan 1 GB · 72 hours");
            let audit = app.services.audit_log(keepsim_store::Page { after: None, limit: 20 }).await.unwrap();
            assert!(audit.iter().any(|e| e.action == "apply_catalogue"));

            // A country named by the operator in one language: customers find it by that name.
            let named = format!("{}\n[[country]]\ncode = \"TW\"\nnames = {{ \"zh-CN\" = \"中国台湾\" }}\n", app.services.catalogue_toml().await.unwrap());
            let (s, _, html) = admin.post("/admin/catalogue/toml", &[("csrf", &csrf), ("toml", &named), ("action", "preview")]).await;
            assert_eq!(s, StatusCode::OK);
            assert!(between(&html, "id=\"catalogue-diff\"", "</div>").unwrap().contains("TW"), "{html}");
            let (s, _, _) = admin.post("/admin/catalogue/toml", &[("csrf", &csrf), ("toml", &named), ("action", "apply")]).await;
            assert_eq!(s, StatusCode::OK);
            let zh = reqwest::Client::new();
            let html = zh.get(app.url("/coverage/search?q=中国台湾")).header("accept-language", "zh-CN").send().await.unwrap().text().await.unwrap();
            assert!(html.contains("data-country=\"TW\">中国台湾<"), "{html}");
            let (_, list) = app.get("/api/v1/countries?lang=zh-CN&all=true", None).await;
            let tw = list.as_array().unwrap().iter().find(|c| c["code"] == "TW").unwrap().clone();
            assert_eq!(tw["name"], "中国台湾");
            let (_, list) = app.get("/api/v1/countries?lang=zh-TW&all=true", None).await;
            let tw = list.as_array().unwrap().iter().find(|c| c["code"] == "TW").unwrap().clone();
            assert_eq!(tw["name"], "台灣", "other languages keep CLDR's name");
            assert!(app.services.catalogue_toml().await.unwrap().contains("[[country]]"), "the downloaded file names it too");
        }
    }

    an_admin_imports_esims_finds_a_customer_and_manages_staff_and_api_keys(1) {
        |app| async move {
            let order = paid_order(&app).await;
            let admin = Staff::sign_in(&app, "ops@keepsim.test", Role::Admin).await;
            let csrf = admin.csrf("/admin/inventory").await;
            // A CSV with a bad row imports nothing and names the line.
            let iccid = |i: u64| keepsim_domain::Iccid::with_check_digit(&format!("8900102{i:012}")).unwrap().to_string();
            let good = format!("{},0010200000000{i:02},8529100{i:04},smdp.vendor.example,VEND-{i}", iccid(1), i = 1);
            let csv = format!("iccid,imsi,msisdn,smdp_address,matching_id\n{good}\n123,456,789,smdp.vendor.example,VEND-2\n");
            let (s, _, html) = admin.post("/admin/inventory/import", &[("csrf", &csrf), ("csv", &csv)]).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(html.contains("line 3"), "{html}");
            assert!(app.services.inventory_stock().await.unwrap().iter().all(|l| l.smdp_address != "smdp.vendor.example"));
            let (s, _, html) = admin.post("/admin/inventory/import", &[("csrf", &csrf), ("csv", &csv), ("skip_invalid", "1")]).await;
            assert_eq!(s, StatusCode::OK);
            assert!(html.contains("id=\"import-result\""), "{html}");
            let stock = app.services.inventory_stock().await.unwrap();
            assert_eq!(stock.iter().find(|l| l.smdp_address == "smdp.vendor.example").map(|l| l.available), Some(1));

            // The buyer, their line with its ledger, their order under the card filter.
            let (s, html) = admin.get("/admin/customers?q=BUYER@").await;
            assert_eq!(s, StatusCode::OK);
            let customer = between(&html, "href=\"/admin/customers/", "\"").unwrap().to_string();
            let (_, html) = admin.get(&format!("/admin/customers/{customer}")).await;
            assert!(html.contains(&order), "the customer's orders are listed");
            let line = between(&html, &format!("/admin/customers/{customer}/lines/"), "\"").unwrap().to_string();
            let (s, html) = admin.get(&format!("/admin/customers/{customer}/lines/{line}")).await;
            assert_eq!(s, StatusCode::OK);
            assert!(html.contains("JP-1GB-3D") && html.contains("id=\"ledger\""));
            let (_, html) = admin.get("/admin/orders?method=card&status=fulfilled").await;
            assert!(html.contains(&order));
            let (_, html) = admin.get("/admin/orders?method=wechat").await;
            assert!(!html.contains(&order));
            let (s, _) = admin.get("/admin").await;
            assert_eq!(s, StatusCode::OK);
            let (s, _) = admin.get("/admin/jobs").await;
            assert_eq!(s, StatusCode::OK);

            // A new staff member's password and a new API key are shown once; the key works until revoked.
            let csrf = admin.csrf("/admin/staff").await;
            let (s, _, html) = admin.post("/admin/staff", &[("csrf", &csrf), ("email", "new@keepsim.test"), ("role", "support")]).await;
            assert_eq!(s, StatusCode::OK);
            assert!(html.contains("id=\"new-password\""));
            let (s, _, html) = admin.post("/admin/api-keys", &[("csrf", &csrf), ("scopes", "network")]).await;
            assert_eq!(s, StatusCode::OK);
            let key = between(&html, "id=\"new-key\">", "<").unwrap().to_string();
            assert!(app.services.authorize_api_key(&key, "network").await.is_ok());
            let (_, html) = admin.get("/admin/staff").await;
            assert!(!html.contains(&key), "never shown again");
            let id = between(&html, "action=\"/admin/api-keys/", "/revoke").unwrap().to_string();
            let (s, _, _) = admin.post(&format!("/admin/api-keys/{id}/revoke"), &[("csrf", &csrf)]).await;
            assert_eq!(s, StatusCode::SEE_OTHER);
            assert!(app.services.authorize_api_key(&key, "network").await.is_err());
            let audit = app.services.audit_log(keepsim_store::Page { after: None, limit: 50 }).await.unwrap();
            for action in ["import_inventory", "create_staff", "create_api_key", "revoke_api_key"] {
                assert!(audit.iter().any(|e| e.action == action), "{action} audited");
            }
        }
    }
}

/// A partner endpoint that answers each delivery with the next status of `answers` (the last
/// one again once the list runs out); returns its URL and how many deliveries it has seen.
async fn partner_endpoint(answers: Vec<u16>) -> (String, std::sync::Arc<std::sync::Mutex<usize>>) {
    use std::sync::{Arc, Mutex};
    let seen = Arc::new(Mutex::new(0usize));
    let answers = Arc::new(Mutex::new(answers));
    let counter = seen.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let (seen, answers) = (counter.clone(), answers.clone());
            async move {
                *seen.lock().unwrap() += 1;
                let mut a = answers.lock().unwrap();
                let code = if a.len() > 1 { a.remove(0) } else { a[0] };
                axum::http::StatusCode::from_u16(code).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });
    (url, seen)
}

/// Staff see a fulfilment job and a partner webhook that gave up, with their errors, retry
/// both from the console, and the retries go through; support may not retry.
async fn staff_retry_a_fulfilment_and_a_webhook_that_gave_up(app: TestApp) {
    // A paid order whose fulfilment gave up, as the worker leaves it after its last attempt.
    let (token, order_id) = order_paid_at_the_sandbox(&app, "gave-up@example.com", 9, "wechat", "CNY").await;
    let order_id: uuid::Uuid = order_id.parse().unwrap();
    let now = time::OffsetDateTime::now_utc();
    let job = app.services.store.claim_fulfilment_job(now, now + time::Duration::minutes(1)).await.unwrap().unwrap();
    assert_eq!(job.order_id, order_id);
    app.services.store.fail_fulfilment_job(job.id, "SM-DP+ did not answer", None, now).await.unwrap();

    let support = Staff::sign_in(&app, "sam@keepsim.test", Role::Support).await;
    let (s, _) = support.get("/admin/jobs").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = Staff::sign_in(&app, "ops@keepsim.test", Role::Admin).await;
    let (s, html) = admin.get("/admin/jobs").await;
    assert_eq!(s, StatusCode::OK);
    let failed = between(&html, "id=\"failed-jobs\"", "</table>").unwrap();
    assert!(failed.contains(&order_id.to_string()) && failed.contains("SM-DP+ did not answer"), "{failed}");
    let csrf = between(&html, "name=\"csrf\" value=\"", "\"").unwrap().to_string();
    let retry = format!("/admin/jobs/{}/retry", job.id);
    let (s, _, _) = support.post(&retry, &[("csrf", &support.csrf("/admin/tickets").await)]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "support may not retry");
    assert!(app.services.fulfil_next().await.unwrap().is_none(), "a job that gave up does not run by itself");
    let (s, to, _) = admin.post(&retry, &[("csrf", &csrf)]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/admin/jobs")));
    let done = app.services.fulfil_next().await.unwrap().expect("the retried job runs");
    assert_eq!(done.bundle.order_id, order_id);
    let (_, o) = app.get(&format!("/api/v1/orders/{order_id}"), Some(&token)).await;
    assert_eq!(o["status"], "fulfilled");
    let (_, html) = admin.get("/admin/jobs").await;
    assert!(!between(&html, "id=\"failed-jobs\"", "</table>").unwrap().contains(&order_id.to_string()));
    let (s, _, _) = admin.post(&retry, &[("csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "a job that is not failed cannot be retried");

    // The top-up notice's partner webhook: refused for good (410), then retried by staff.
    let (url, seen) = partner_endpoint(vec![410, 200]).await;
    let hook = keepsim_services::notifications::PartnerWebhook {
        url: keepsim_channels::webhook::endpoint_url(&url).unwrap(),
        secret: keepsim_channels::WebhookSecret::generate(),
    };
    let sender = keepsim_channels::WebhookSender::new().unwrap();
    let mut delivered = 0;
    for _ in 0..100 {
        delivered += app.services.deliver_webhooks(&hook, &sender).await.unwrap();
        if *seen.lock().unwrap() > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!((delivered, *seen.lock().unwrap()), (0, 1), "the endpoint answered 410 once");
    let failed = app.services.store.failed_deliveries(keepsim_store::Channel::Webhook, 10).await.unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let notification = failed[0].0;
    let (_, html) = admin.get("/admin/jobs").await;
    let listed = between(&html, "id=\"failed-deliveries\"", "</table>").unwrap();
    assert!(listed.contains(&notification.to_string()) && listed.contains("410"), "{listed}");
    assert_eq!(app.services.deliver_webhooks(&hook, &sender).await.unwrap(), 0, "given up: not sent again by itself");
    let (s, _, _) = admin.post(&format!("/admin/deliveries/sms/{notification}/retry"), &[("csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no such channel");
    let (s, to, _) = admin.post(&format!("/admin/deliveries/webhook/{notification}/retry"), &[("csrf", &csrf)]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/admin/jobs")));
    assert_eq!(app.services.deliver_webhooks(&hook, &sender).await.unwrap(), 1, "the retry went through");
    assert_eq!(*seen.lock().unwrap(), 2);
    assert!(app.services.store.failed_deliveries(keepsim_store::Channel::Webhook, 10).await.unwrap().is_empty());
    let audit = app.services.audit_log(keepsim_store::Page { after: None, limit: 50 }).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "retry_job" && e.target == format!("job:{}", job.id)));
    assert!(audit.iter().any(|e| e.action == "retry_delivery" && e.target == format!("webhook:{notification}")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_retry_a_fulfilment_and_a_webhook_that_gave_up_on_sqlite() {
    staff_retry_a_fulfilment_and_a_webhook_that_gave_up(
        spawn_app_without_fulfilment(Backend::Sqlite, 1).await.unwrap(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_retry_a_fulfilment_and_a_webhook_that_gave_up_on_postgres() {
    let Some(app) = spawn_app_without_fulfilment(Backend::Postgres, 1).await else {
        eprintln!("skipped: KEEPSIM_TEST_DATABASE_URL not set");
        return;
    };
    staff_retry_a_fulfilment_and_a_webhook_that_gave_up(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_console_page_renders_in_every_language() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let order = paid_order(&app).await;
    let buyer = app.services.store.account_by_email("buyer@example.com").await.unwrap().unwrap();
    let ticket = app.services.open_ticket(buyer.id, "Roaming", "Does it work on trains?").await.unwrap();
    let admin = Staff::sign_in(&app, "polyglot@keepsim.test", Role::Admin).await;
    let (_, html) = admin.get(&format!("/admin/customers/{}", buyer.id)).await;
    let line = between(&html, &format!("/admin/customers/{}/lines/", buyer.id), "\"").unwrap().to_string();
    let pages = [
        "/admin".to_string(),
        "/admin/catalogue".into(),
        "/admin/inventory".into(),
        "/admin/customers".into(),
        "/admin/customers?q=buyer".into(),
        format!("/admin/customers/{}", buyer.id),
        format!("/admin/customers/{}/lines/{line}", buyer.id),
        "/admin/orders".into(),
        "/admin/orders?method=card&status=fulfilled".into(),
        format!("/admin/orders/{order}"),
        "/admin/tickets".into(),
        format!("/admin/tickets/{}", ticket.id),
        "/admin/jobs".into(),
        "/admin/audit".into(),
        "/admin/staff".into(),
    ];
    for lang in ["en", "zh-CN", "zh-TW", "ja", "ko", "es"] {
        let csrf = admin.csrf("/admin").await;
        let (s, to, _) = admin.post("/language", &[("csrf", &csrf), ("lang", lang), ("next", "/admin")]).await;
        assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/admin")));
        for path in &pages {
            let (s, html) = admin.get(path).await;
            assert_eq!(s, StatusCode::OK, "{path} in {lang}: {html}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path} in {lang}");
        }
    }
}

/// Who may do what, as docs/operations.md says: admin everything; support the dashboard,
/// customers, orders (read) and tickets; finance the dashboard, customers, orders and refunds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_console_action_answers_each_role_as_the_role_table_says() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let order = paid_order(&app).await;
    let buyer = app.services.store.account_by_email("buyer@example.com").await.unwrap().unwrap();
    let ticket = app.services.open_ticket(buyer.id, "Roaming", "Does it work on trains?").await.unwrap();
    let customer = format!("/admin/customers/{}", buyer.id);
    let none = uuid::Uuid::now_v7();
    const A: &str = "admin";
    const S: &str = "support";
    const F: &str = "finance";
    let pages: Vec<(String, &[&str])> = vec![
        ("/admin".into(), &[A, S, F]),
        ("/admin/customers".into(), &[A, S, F]),
        (customer.clone(), &[A, S, F]),
        ("/admin/orders".into(), &[A, S, F]),
        (format!("/admin/orders/{order}"), &[A, S, F]),
        ("/admin/tickets".into(), &[A, S]),
        (format!("/admin/tickets/{}", ticket.id), &[A, S]),
        ("/admin/catalogue".into(), &[A]),
        ("/admin/inventory".into(), &[A]),
        ("/admin/jobs".into(), &[A]),
        ("/admin/audit".into(), &[A]),
        ("/admin/staff".into(), &[A]),
    ];
    // Actions, each posted by the roles that may not do it (the others are driven elsewhere).
    type Action<'a> = (String, Vec<(&'a str, String)>, &'a [&'a str]);
    let actions: Vec<Action> = vec![
        (format!("/admin/orders/{order}/refund"), vec![("amount", "1.00".into())], &[A, F]),
        (format!("/admin/tickets/{}/answer", ticket.id), vec![("body", "Yes.".into())], &[A, S]),
        (format!("/admin/tickets/{}/close", ticket.id), vec![], &[A, S]),
        (
            "/admin/catalogue/price".into(),
            vec![("code", "JP-1GB-3D".into()), ("currency", "USD".into()), ("amount", "0.01".into())],
            &[A],
        ),
        ("/admin/catalogue/toml".into(), vec![("toml", String::new()), ("action", "apply".into())], &[A]),
        ("/admin/inventory/import".into(), vec![("csv", "iccid,imsi,msisdn,smdp_address,matching_id\n".into())], &[A]),
        (format!("/admin/jobs/{none}/retry"), vec![], &[A]),
        (format!("/admin/deliveries/webhook/{none}/retry"), vec![], &[A]),
        ("/admin/staff".into(), vec![("email", "mallory@keepsim.test".into()), ("role", "admin".into())], &[A]),
        ("/admin/api-keys".into(), vec![("scopes", "network".into())], &[A]),
        (format!("/admin/api-keys/{none}/revoke"), vec![], &[A]),
    ];
    for (role, name) in [(Role::Admin, A), (Role::Support, S), (Role::Finance, F)] {
        let staff = Staff::sign_in(&app, &format!("{name}@keepsim.test"), role).await;
        for (path, may) in &pages {
            let (s, _) = staff.get(path).await;
            let expected = if may.contains(&name) { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(s, expected, "{name} GET {path}");
        }
        let csrf = staff.csrf("/admin").await;
        for (path, fields, may) in &actions {
            if may.contains(&name) {
                continue;
            }
            let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
            form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            let (s, _, _) = staff.post(path, &form).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name} POST {path}");
        }
    }
    // Nothing the refused roles asked for happened, and every refusal is in the audit log.
    assert!(app.services.store.order_refunds(order.parse().unwrap()).await.unwrap().is_empty());
    let thread = app.services.staff_ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(thread.1.len(), 1, "no answer was written");
    assert!(app.services.store.staff_by_email("mallory@keepsim.test").await.unwrap().is_none());
    let audit = app.services.audit_log(keepsim_store::Page { after: None, limit: 200 }).await.unwrap();
    let denied = audit.iter().filter(|e| e.action == "denied").count();
    assert_eq!(denied, (5 + 9) + (7 + 10), "support: 5 pages and 9 actions, finance: 7 pages and 10 actions");
}
