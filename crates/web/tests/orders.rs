//! Buying a top-up end to end in sandbox mode: the real router, the real
//! provider clients talking HTTP to the built-in gateway, signed notifications
//! through the real verification, the fulfilment worker, a real database.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use keepsim_payments::sandbox::{Delivery, deliver};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

struct Buyer {
    token: String,
    line_id: String,
}

async fn buyer(app: &TestApp, email: &str, n: u64) -> Buyer {
    let token = app.customer(email).await;
    let device = app.device(&token, &imei(n)).await;
    let (s, line) = app.post("/api/v1/lines", Some(&token), json!({"device_id": device["id"]})).await;
    assert_eq!(s, StatusCode::CREATED, "{line}");
    Buyer { token, line_id: line["id"].as_str().unwrap().to_string() }
}

async fn order(
    app: &TestApp,
    b: &Buyer,
    key: &str,
    method: &str,
    currency: &str,
    package: &str,
) -> (StatusCode, Value) {
    let res = app
        .http
        .post(app.url("/api/v1/orders"))
        .bearer_auth(&b.token)
        .header("idempotency-key", key)
        .json(&json!({"line_id": b.line_id, "package_code": package, "payment_method": method, "currency": currency}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

async fn wait_for_status(app: &TestApp, b: &Buyer, order_id: &str, want: &str) -> Value {
    for _ in 0..100 {
        let (_, o) = app.get(&format!("/api/v1/orders/{order_id}"), Some(&b.token)).await;
        if o["status"] == want {
            return o;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {order_id} never became {want}");
}

/// The sandbox's signed "paid" notification for an order, not yet delivered.
fn paid_delivery(app: &TestApp, order: &Value) -> Delivery {
    let sandbox = app.sandbox.as_ref().unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match order["payment_method"].as_str().unwrap() {
        "card" => sandbox.card.pay(order["payment"]["provider_ref"].as_str().unwrap(), now),
        "alipay" => sandbox.alipay.pay(order["payment"]["out_trade_no"].as_str().unwrap(), now),
        _ => sandbox.wechat.pay(order["payment"]["out_trade_no"].as_str().unwrap(), now),
    }
    .unwrap()
}

async fn bundles(app: &TestApp, b: &Buyer) -> Vec<Value> {
    let (s, balance) = app.get(&format!("/api/v1/lines/{}/balance", b.line_id), Some(&b.token)).await;
    assert_eq!(s, StatusCode::OK, "{balance}");
    balance["bundles"].as_array().unwrap().clone()
}

/// Presses `action` (pay or decline) on the sandbox checkout page, as a browser does: the form's CSRF token
/// goes with its cookie.
async fn checkout(url: &str, action: &str) -> reqwest::StatusCode {
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let page = browser.get(url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Sandbox checkout"), "{page}");
    let from = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let csrf = &page[from..from + 64];
    // Without the token the press is refused.
    let refused = browser.post(format!("{url}/{action}")).send().await.unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);
    browser.post(format!("{url}/{action}")).form(&[("csrf", csrf)]).send().await.unwrap().status()
}

on_both_backends! {
    a_traveller_pays_with_each_method_and_sees_the_bundle(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 1).await;
        for (i, (method, currency, package)) in [("card", "USD", "JP-5GB-7D"), ("alipay", "CNY", "JP-1GB-3D"), ("wechat", "CNY", "KR-5GB-7D")].into_iter().enumerate() {
            let (s, o) = order(&app, &b, &format!("buy-{method}"), method, currency, package).await;
            assert_eq!(s, StatusCode::CREATED, "{o}");
            assert_eq!(o["status"], "awaiting_payment");
            assert_eq!(o["currency"], currency);
            match method {
                "card" => {
                    assert!(o["payment"]["provider_ref"].as_str().unwrap().starts_with("pi_"), "{o}");
                    assert!(o["payment"]["client_secret"].is_string());
                }
                "alipay" => assert!(o["payment"]["pay_url"].is_string() && o["payment"]["out_trade_no"].is_string(), "{o}"),
                _ => assert!(o["payment"]["code_url"].is_string() && o["payment"]["out_trade_no"].is_string(), "{o}"),
            }
            // The customer confirms on the sandbox checkout page.
            let res = checkout(o["payment"]["checkout_url"].as_str().unwrap(), "pay").await;
            assert!(res.is_success(), "{res}");
            let done = wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
            assert!(done["paid_at"].is_string() && done["fulfilled_at"].is_string());
            assert_eq!(bundles(&app, &b).await.len(), i + 1);
        }
        let all = bundles(&app, &b).await;
        let jp = all.iter().find(|x| x["package_code"] == "JP-1GB-3D").unwrap();
        assert_eq!(jp["data"]["total"], 1024u64 * 1024 * 1024);
        assert_eq!(jp["data"]["remaining"], 1024u64 * 1024 * 1024);
        assert_eq!(jp["state"], "active");
        let (_, balance) = app.get(&format!("/api/v1/lines/{}/balance", b.line_id), Some(&b.token)).await;
        assert_eq!(balance["line"]["state"], "active", "the first top-up activates the line");
    }}

    the_same_notification_twenty_times_and_twenty_at_once_credits_once(5) { |app| async move {
        let app = Arc::new(app);
        let b = buyer(&app, "ana@example.com", 2).await;
        for method in ["alipay", "wechat", "card"] {
            let currency = if method == "card" { "EUR" } else { "CNY" };
            let (_, o) = order(&app, &b, &format!("k-{method}"), method, currency, "TH-5GB-8D").await;
            let d = paid_delivery(&app, &o);
            // Twenty at once…
            let mut tasks = Vec::new();
            for _ in 0..20 {
                let (app, d) = (app.clone(), d.clone());
                tasks.push(tokio::spawn(async move { deliver(&app.http, &d).await.unwrap() }));
            }
            for t in tasks {
                let (status, body) = t.await.unwrap();
                assert!(status < 300, "every copy gets the success answer: {status} {body}");
                if method == "alipay" {
                    assert_eq!(body, "success");
                }
            }
            // …then twenty in a row.
            for _ in 0..20 {
                let (status, _) = deliver(&app.http, &d).await.unwrap();
                assert!(status < 300);
            }
            wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let all = bundles(&app, &b).await;
        assert_eq!(all.len(), 3, "one bundle per order");
        let ledger = app.services.store.line_ledger(
            app.services.store.account_by_email("ana@example.com").await.unwrap().unwrap().id,
            uuid::Uuid::parse_str(&b.line_id).unwrap(),
        ).await.unwrap();
        assert_eq!(ledger.iter().filter(|l| l.kind == keepsim_domain::bundle::LedgerKind::TopUpCredit).count(), 3, "one credit each");
    }}

    tampered_notifications_are_refused_and_change_nothing(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 3).await;
        for method in ["card", "alipay", "wechat"] {
            let currency = if method == "card" { "HKD" } else { "CNY" };
            let (_, o) = order(&app, &b, &format!("t-{method}"), method, currency, "SG-3GB-7D").await;
            let good = paid_delivery(&app, &o);
            let body = String::from_utf8(good.body.clone()).unwrap();
            let mut variants: Vec<(&str, Delivery)> = Vec::new();
            // The amount changed after signing.
            let amount = o["amount_minor"].as_i64().unwrap();
            let changed = match method {
                "alipay" => body.replacen("total_amount=", "total_amount=1", 1),
                "card" => body.replacen(&format!("\"amount\":{amount}"), "\"amount\":1", 1),
                _ => body.replacen("\"ciphertext\":\"", "\"ciphertext\":\"AAAA", 1),
            };
            assert_ne!(changed, body);
            variants.push(("body changed after signing", Delivery { body: changed.into_bytes(), ..good.clone() }));
            // Signature headers removed or mangled.
            let strip = |d: &Delivery| Delivery { headers: vec![], ..d.clone() };
            if method != "alipay" {
                variants.push(("no signature header", strip(&good)));
                let mangled = Delivery {
                    headers: good.headers.iter().map(|(k, v)| if k.to_ascii_lowercase().contains("signature") { (k.clone(), format!("{v}x")) } else { (k.clone(), v.clone()) }).collect(),
                    ..good.clone()
                };
                variants.push(("signature mangled", mangled));
            } else {
                variants.push(("sign removed", Delivery { body: body.split('&').filter(|kv| !kv.starts_with("sign=")).collect::<Vec<_>>().join("&").into_bytes(), ..good.clone() }));
            }
            variants.push(("not UTF-8", Delivery { body: vec![0xff, 0xfe, 0xfd], ..good.clone() }));
            for (what, d) in variants {
                let (status, answer) = deliver(&app.http, &d).await.unwrap();
                assert!((400..500).contains(&status), "{method}: {what}: {status} {answer}");
            }
            let (_, now) = app.get(&format!("/api/v1/orders/{}", o["id"].as_str().unwrap()), Some(&b.token)).await;
            assert_eq!(now["status"], "awaiting_payment", "{method}: nothing changed");
            // The untouched notification still works afterwards.
            let (status, _) = deliver(&app.http, &good).await.unwrap();
            assert!(status < 300, "{method}");
            wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        }
        assert_eq!(bundles(&app, &b).await.len(), 3);
    }}

    orders_are_idempotent_and_refuse_bad_requests(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 4).await;
        let (s, first) = order(&app, &b, "same-key", "alipay", "CNY", "JP-5GB-7D").await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, again) = order(&app, &b, "same-key", "alipay", "CNY", "JP-5GB-7D").await;
        assert_eq!(s, StatusCode::OK, "a replay answers 200");
        assert_eq!(again["id"], first["id"]);
        assert_eq!(again["payment"], first["payment"]);
        let (s, body) = order(&app, &b, "same-key", "alipay", "CNY", "JP-1GB-3D").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "idempotency_key_reused");
        // Twenty concurrent double-clicks with one key make one order.
        let app = Arc::new(app);
        let b = Arc::new(b);
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (app, b) = (app.clone(), b.clone());
            tasks.push(tokio::spawn(async move { order(&app, &b, "double-click", "card", "USD", "US-5GB-15D").await }));
        }
        let mut ids = std::collections::HashSet::new();
        for t in tasks {
            let (s, o) = t.await.unwrap();
            match s {
                StatusCode::CREATED | StatusCode::OK => { ids.insert(o["id"].as_str().unwrap().to_string()); }
                StatusCode::CONFLICT => problem(&o, "idempotency_key_in_use"),
                other => panic!("{other} {o}"),
            }
        }
        assert_eq!(ids.len(), 1, "one order");

        let res = app.http.post(app.url("/api/v1/orders")).bearer_auth(&b.token)
            .json(&json!({"line_id": b.line_id, "package_code": "JP-5GB-7D", "payment_method": "card", "currency": "USD"}))
            .send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        problem(&res.json().await.unwrap(), "idempotency_key_required");
        let (s, body) = order(&app, &b, "k2", "wechat", "USD", "JP-5GB-7D").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "currency_not_supported");
        let (s, body) = order(&app, &b, "k3", "card", "JPY", "JP-5GB-7D").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "currency_not_supported");
        let (s, body) = order(&app, &b, "k4", "card", "USD", "NOPE-1GB").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "unknown_package");
        let other = buyer(&app, "bo@example.com", 5).await;
        let (s, _) = app.get(&format!("/api/v1/orders/{}", first["id"].as_str().unwrap()), Some(&other.token)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "another customer's order");
        let stolen = Buyer { token: other.token.clone(), line_id: b.line_id.clone() };
        let (s, _) = order(&app, &stolen, "k5", "card", "USD", "JP-5GB-7D").await;
        assert_eq!(s, StatusCode::NOT_FOUND, "a top-up for someone else's line");
    }}

    unpaid_orders_expire_and_a_late_payment_is_fulfilled_and_flagged(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 6).await;
        let (_, abandoned) = order(&app, &b, "abandoned", "wechat", "CNY", "JP-1GB-3D").await;
        let (_, late) = order(&app, &b, "late", "card", "USD", "JP-1GB-3D").await;
        // The customer pays the second one at the last moment; the notification is slow.
        let slow = paid_delivery(&app, &late);
        let later = later_services(&app, time::Duration::minutes(31));
        assert!(later.expire_orders().await.unwrap() >= 2);
        for o in [&abandoned, &late] {
            let (_, now) = app.get(&format!("/api/v1/orders/{}", o["id"].as_str().unwrap()), Some(&b.token)).await;
            assert_eq!(now["status"], "expired");
        }
        let id = |o: &Value| uuid::Uuid::parse_str(o["id"].as_str().unwrap()).unwrap();
        let closed = app.services.store.order_by_id(id(&abandoned)).await.unwrap().unwrap();
        assert!(closed.trade_closed_at.is_some(), "the unpaid trade was closed at the provider");
        assert_eq!(app.sandbox.as_ref().unwrap().wechat.trade_state(abandoned["payment"]["out_trade_no"].as_str().unwrap()), Some("CLOSED"));
        // The money was taken: the late notification fulfils the order and flags it for staff.
        let (status, _) = deliver(&app.http, &slow).await.unwrap();
        assert_eq!(status, 200);
        wait_for_status(&app, &b, late["id"].as_str().unwrap(), "fulfilled").await;
        let flagged = app.services.store.order_by_id(id(&late)).await.unwrap().unwrap();
        assert!(flagged.flag.is_some());
        let events: Vec<_> = app.services.store.order_events(id(&late)).await.unwrap().iter().map(|e| e.to.as_str()).collect();
        assert_eq!(events, vec!["awaiting_payment", "expired", "paid", "fulfilled"], "each transition recorded");
    }}

    reconciliation_finds_a_payment_whose_notification_never_came(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 7).await;
        for (method, currency) in [("card", "EUR"), ("alipay", "CNY"), ("wechat", "CNY")] {
            let (_, o) = order(&app, &b, &format!("lost-{method}"), method, currency, "DE-5GB-15D").await;
            let _lost = paid_delivery(&app, &o); // paid at the provider; the notification is lost
        }
        let later = later_services(&app, time::Duration::minutes(3));
        assert_eq!(later.reconcile().await.unwrap(), 3);
        // The jobs are due "later" too: that clock's worker step runs them.
        while later.fulfil_next().await.unwrap().is_some() {}
        for method in ["card", "alipay", "wechat"] {
            let o = app.services.store.order_by_key(
                app.services.store.account_by_email("ana@example.com").await.unwrap().unwrap().id, &format!("lost-{method}")
            ).await.unwrap().unwrap();
            wait_for_status(&app, &b, &o.id.to_string(), "fulfilled").await;
        }
        assert_eq!(later.reconcile().await.unwrap(), 0, "nothing left to find");
        assert_eq!(bundles(&app, &b).await.len(), 3);
    }}

    refunds_go_through_the_provider_revoke_the_bundle_and_never_count_twice(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 8).await;
        let sandbox = app.sandbox.clone().unwrap();
        let mut orders = Vec::new();
        for (method, currency) in [("card", "USD"), ("alipay", "CNY"), ("wechat", "CNY")] {
            let (_, o) = order(&app, &b, &format!("r-{method}"), method, currency, "FR-5GB-15D").await;
            deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
            wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
            orders.push(o);
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let id = |o: &Value| uuid::Uuid::parse_str(o["id"].as_str().unwrap()).unwrap();
        // Card: refunded at once by the API; the provider's charge.refunded that follows changes nothing.
        let card = &orders[0];
        let half = card["amount_minor"].as_i64().unwrap() / 2;
        let r = app.services.refund_order(id(card), Some(half), "finance@keepsim.test").await.unwrap();
        assert_eq!(r.status, "succeeded");
        let o = wait_for_status(&app, &b, card["id"].as_str().unwrap(), "partially_refunded").await;
        assert_eq!(o["refunded_minor"], half);
        let echo = sandbox.card.take_refund_delivery(card["payment"]["provider_ref"].as_str().unwrap(), now).unwrap();
        assert_eq!(deliver(&app.http, &echo).await.unwrap().0, 200);
        assert_eq!(deliver(&app.http, &echo).await.unwrap().0, 200);
        let (_, o) = app.get(&format!("/api/v1/orders/{}", card["id"].as_str().unwrap()), Some(&b.token)).await;
        assert_eq!(o["refunded_minor"], half, "the provider's echo is not a second refund");
        let all = bundles(&app, &b).await;
        let revoked = all.iter().find(|x| x["order_id"] == card["id"]).unwrap();
        assert_eq!(revoked["state"], "revoked");
        let ledger = app.services.store.line_ledger(
            app.services.store.account_by_email("ana@example.com").await.unwrap().unwrap().id,
            uuid::Uuid::parse_str(&b.line_id).unwrap(),
        ).await.unwrap();
        assert!(ledger.iter().any(|l| l.kind == keepsim_domain::bundle::LedgerKind::RefundRevoke && l.units == -(5i64 << 30)), "the unused data is revoked with a ledger entry");
        assert!(app.services.refund_order(id(card), Some(card["amount_minor"].as_i64().unwrap()), "finance").await.is_err(), "more than is left");

        // Alipay: a partial refund, then Alipay's TRADE_SUCCESS notify with refund_fee: never a new payment.
        let alipay = &orders[1];
        let r = app.services.refund_order(id(alipay), Some(100), "finance").await.unwrap();
        assert_eq!(r.status, "succeeded");
        let notify = sandbox.alipay.refund_delivery(alipay["payment"]["out_trade_no"].as_str().unwrap(), now).unwrap();
        let (status, body) = deliver(&app.http, &notify).await.unwrap();
        assert_eq!((status, body.as_str()), (200, "success"));
        let (_, o) = app.get(&format!("/api/v1/orders/{}", alipay["id"].as_str().unwrap()), Some(&b.token)).await;
        assert_eq!(o["status"], "partially_refunded");
        assert_eq!(o["refunded_minor"], 100);

        // WeChat Pay: the refund is accepted, its outcome arrives as REFUND.SUCCESS.
        let wechat = &orders[2];
        let r = app.services.refund_order(id(wechat), None, "finance").await.unwrap();
        if r.status != "succeeded" {
            let d = sandbox.wechat.refund_delivery(&r.refund_no, true, now).unwrap();
            assert_eq!(deliver(&app.http, &d).await.unwrap().0, 204);
            assert_eq!(deliver(&app.http, &d).await.unwrap().0, 204, "a replayed refund notification");
        }
        let o = wait_for_status(&app, &b, wechat["id"].as_str().unwrap(), "refunded").await;
        assert_eq!(o["refunded_minor"], wechat["amount_minor"]);
        let err = app.services.refund_order(id(wechat), None, "finance").await.unwrap_err();
        assert_eq!(err.code(), "refund_not_allowed");
    }}

    network_usage_is_debited_once_and_seen_at_once(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 9).await;
        let (_, o) = order(&app, &b, "u", "alipay", "CNY", "JP-1GB-3D").await;
        deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
        wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        let (_, line) = app.get(&format!("/api/v1/lines/{}", b.line_id), Some(&b.token)).await;
        let msisdn = line["msisdn"].as_str().unwrap().to_string();
        let key = app.services.create_api_key(&["network".to_string()], None).await.unwrap().secret;
        let post = |body: Value, key: Option<String>| {
            let mut req = app.http.post(app.url("/api/v1/usage")).json(&body);
            if let Some(k) = key {
                req = req.bearer_auth(k);
            }
            async move {
                let res = req.send().await.unwrap();
                let status = res.status();
                (status, res.json::<Value>().await.unwrap())
            }
        };
        let usage = json!({"event_id": "cdr-1", "msisdn": msisdn, "plmn": "44010", "service": "data", "units": 300_000_000u64});
        let (s, r) = post(usage.clone(), Some(key.clone())).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!((r["applied"].as_bool(), r["debited"].as_u64(), r["overage"].as_u64()), (Some(true), Some(300_000_000), Some(0)));
        let (s, r) = post(usage.clone(), Some(key.clone())).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["applied"], false, "the same event id is applied once");
        // The customer sees it at once.
        let jp = bundles(&app, &b).await.into_iter().find(|x| x["package_code"] == "JP-1GB-3D").unwrap();
        assert_eq!(jp["data"]["used"], 300_000_000u64);
        assert_eq!(jp["data"]["remaining"], (1u64 << 30) - 300_000_000);
        assert!(jp["starts_at"].is_string(), "a first-use bundle started with its first use in Japan");
        // Operators see the charging writer's work on /metrics.
        let text = keepsim_web::metrics::Metrics::default().with_charging(app.services.charging()).render();
        let counter = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse::<f64>().ok());
        assert!(counter("keepsim_charging_writes_total").is_some_and(|n| n >= 1.0), "{text}");
        assert!(counter("keepsim_charging_commits_total").is_some_and(|n| n >= 1.0), "{text}");
        assert!(counter("keepsim_charging_commit_seconds_total").is_some_and(|n| n > 0.0), "{text}");
        let (s, series) = app.get(&format!("/api/v1/lines/{}/usage?step=hour", b.line_id), Some(&b.token)).await;
        assert_eq!(s, StatusCode::OK, "{series}");
        let data = series["series"].as_array().unwrap().iter().find(|x| x["service"] == "data").unwrap();
        assert_eq!(data["points"].as_array().unwrap().iter().map(|p| p["units"].as_u64().unwrap()).sum::<u64>(), 300_000_000);
        // Roaming outside the bundle's coverage: nothing from it, all overage.
        let (_, r) = post(json!({"event_id": "cdr-2", "msisdn": msisdn, "country": "FR", "service": "data", "units": 1000}), Some(key.clone())).await;
        assert_eq!((r["debited"].as_u64(), r["overage"].as_u64()), (Some(0), Some(1000)));
        // Bad input changes nothing.
        for (body, status) in [
            (json!({"event_id": "x1", "msisdn": "0000", "plmn": "44010", "service": "data", "units": 1}), 404),
            (json!({"event_id": "x2", "msisdn": msisdn, "plmn": "99999", "service": "data", "units": 1}), 422),
            (json!({"event_id": "x3", "msisdn": msisdn, "plmn": "44010", "service": "fax", "units": 1}), 422),
            (json!({"event_id": "x4", "msisdn": msisdn, "plmn": "44010", "service": "data", "units": 1u64 << 50}), 422),
            (json!({"event_id": "x5", "msisdn": msisdn, "plmn": "44010", "service": "data", "units": -5}), 422),
            (json!({"event_id": "x6", "plmn": "44010", "service": "data", "units": 1}), 422),
            // Names keepsim gives its own events (Diameter SMS events, CDR import) are not the API's to take.
            (json!({"event_id": "gy:pgw;1;1:0:0", "msisdn": msisdn, "plmn": "44010", "service": "data", "units": 1}), 422),
            (json!({"event_id": "cdr:r1", "msisdn": msisdn, "plmn": "44010", "service": "data", "units": 1}), 422),
        ] {
            let (s, r) = post(body.clone(), Some(key.clone())).await;
            assert_eq!(s.as_u16(), status, "{body} → {r}");
        }
        assert_eq!(post(usage.clone(), None).await.0, StatusCode::UNAUTHORIZED);
        let customer_key = app.services.create_api_key(&["usage:read".to_string()], Some("p1")).await.unwrap().secret;
        assert_eq!(post(usage.clone(), Some(customer_key)).await.0, StatusCode::FORBIDDEN);
        let jp = bundles(&app, &b).await.into_iter().find(|x| x["package_code"] == "JP-1GB-3D").unwrap();
        assert_eq!(jp["data"]["used"], 300_000_000u64, "nothing else was debited");
        assert_eq!(app.services.store.check_ledger().await.unwrap(), vec![], "the ledger explains every balance");
    }}

    partner_cdrs_are_imported_once_with_bad_rows_reported_by_line(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 10).await;
        let (_, o) = order(&app, &b, "cdr", "alipay", "CNY", "JP-1GB-3D").await;
        deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
        wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        let (_, line) = app.get(&format!("/api/v1/lines/{}", b.line_id), Some(&b.token)).await;
        let (msisdn, imsi) = (line["msisdn"].as_str().unwrap(), line["imsi"].as_str().unwrap());
        let csv = format!(
            "record_id,msisdn,imsi,plmn,country,service,units\n\
             r1,{msisdn},,44010,,data,1000\n\
             r2,,{imsi},,JP,data,2000\n\
             r3,{msisdn},,44010,,data,lots\n\
             r4,85200000000,,44010,,data,5\n\
             r5,{msisdn},,44010,,fax,5\n"
        );
        let (rows, errors) = keepsim_services::cdr::parse_cdrs(&csv);
        let mut seen = Vec::new();
        let report = app.services.import_cdrs(rows, errors, &mut |d, t| seen.push((d, t))).await.unwrap();
        assert_eq!((report.applied, report.debited), (2, 3000));
        assert_eq!(report.errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![4, 5, 6], "{:?}", report.errors);
        assert_eq!(seen.last(), Some(&(4, 4)), "progress reaches the end");
        // Interrupted or not, running it again applies nothing twice; JSON lines work the same way.
        let (rows, errors) = keepsim_services::cdr::parse_cdrs(&csv);
        let again = app.services.import_cdrs(rows, errors, &mut |_, _| {}).await.unwrap();
        assert_eq!((again.applied, again.already), (0, 2));
        let jsonl = format!("{{\"record_id\":\"r1\",\"msisdn\":\"{msisdn}\",\"plmn\":\"44010\",\"service\":\"data\",\"units\":1000}}\n{{\"record_id\":\"r6\",\"msisdn\":\"{msisdn}\",\"plmn\":\"44010\",\"service\":\"data\",\"units\":4000}}\nnot json\n");
        let (rows, errors) = keepsim_services::cdr::parse_cdrs(&jsonl);
        let j = app.services.import_cdrs(rows, errors, &mut |_, _| {}).await.unwrap();
        assert_eq!((j.applied, j.already, j.debited), (1, 1, 4000));
        assert_eq!(j.errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![3]);
        let jp = bundles(&app, &b).await.into_iter().find(|x| x["package_code"] == "JP-1GB-3D").unwrap();
        assert_eq!(jp["data"]["used"], 7000);
        assert_eq!(app.services.store.check_ledger().await.unwrap(), vec![]);
    }}

    warnings_arrive_once_per_crossing_and_expiry_forfeits_visibly(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 11).await;
        let (_, o) = order(&app, &b, "warn", "alipay", "CNY", "JP-1GB-3D").await;
        deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
        wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        let (_, line) = app.get(&format!("/api/v1/lines/{}", b.line_id), Some(&b.token)).await;
        let msisdn = line["msisdn"].as_str().unwrap().to_string();
        let key = app.services.create_api_key(&["network".to_string()], None).await.unwrap().secret;
        let gib = 1u64 << 30;
        let inbox = || async {
            let (_, n) = app.get("/api/v1/notifications", Some(&b.token)).await;
            n["items"].as_array().unwrap().clone()
        };
        let kinds = |items: &[Value]| items.iter().map(|n| n["kind"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        let wait_for = |want: usize| async move {
            for _ in 0..100 {
                let items = inbox().await;
                if items.len() >= want {
                    return items;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            inbox().await
        };
        let items = wait_for(1).await;
        assert_eq!(kinds(&items), vec!["topup_succeeded"]);
        assert!(!items[0]["title"].as_str().unwrap().is_empty(), "{}", items[0]);
        let report = |id: &str, units: u64| {
            let (http, url, key, msisdn) = (app.http.clone(), app.url("/api/v1/usage"), key.clone(), msisdn.clone());
            let id = id.to_string();
            async move {
                let res = http.post(url).bearer_auth(key)
                    .json(&json!({"event_id": id, "msisdn": msisdn, "plmn": "44010", "service": "data", "units": units}))
                    .send().await.unwrap();
                assert_eq!(res.status(), StatusCode::OK);
            }
        };
        report("u1", gib * 3 / 4 + 1).await; // crosses 75 %
        let items = wait_for(2).await;
        assert_eq!(kinds(&items), vec!["data_threshold", "topup_succeeded"], "newest first");
        assert_eq!(items[0]["data"]["threshold_percent"], 75);
        report("u2", 1000).await; // still above 75 %, below 90 %: nothing new
        report("u3", gib / 5).await; // crosses 90 %
        let items = wait_for(3).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let items = if items.len() == 3 { inbox().await } else { items };
        assert_eq!(kinds(&items), vec!["data_threshold", "data_threshold", "topup_succeeded"], "exactly once per crossing");
        assert_eq!(items[0]["data"]["threshold_percent"], 90);
        // Marking read, and another customer cannot.
        let id = items[0]["id"].as_str().unwrap();
        let (s, _) = app.post(&format!("/api/v1/notifications/{id}/read"), Some(&b.token), json!({})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert_eq!(inbox().await[0]["read"], true);
        let other = buyer(&app, "bo@example.com", 12).await;
        let (s, _) = app.post(&format!("/api/v1/notifications/{id}/read"), Some(&other.token), json!({})).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // Four days later the 3-day bundle has expired: what was left is forfeited, visibly.
        let later = later_services(&app, time::Duration::days(4));
        let (expired, _) = later.sweep_expiry().await.unwrap();
        assert_eq!(expired, 1);
        let jp = bundles(&app, &b).await.into_iter().find(|x| x["package_code"] == "JP-1GB-3D").unwrap();
        assert_eq!(jp["state"], "expired");
        let account = app.services.store.account_by_email("ana@example.com").await.unwrap().unwrap();
        let ledger = app.services.store.line_ledger(account.id, uuid::Uuid::parse_str(&b.line_id).unwrap()).await.unwrap();
        let forfeit: i64 = ledger.iter().filter(|l| l.kind == keepsim_domain::bundle::LedgerKind::ExpiryForfeit).map(|l| l.units).sum();
        let used = gib * 3 / 4 + 1 + 1000 + gib / 5;
        assert_eq!(forfeit, -((gib - used) as i64), "the rest is forfeited with a ledger entry");
        let items = wait_for(4).await;
        assert!(kinds(&items).contains(&"bundle_expired".to_string()), "{:?}", kinds(&items));
        assert_eq!(app.services.store.check_ledger().await.unwrap(), vec![]);
        // Charging never uses an expired bundle.
        let (s, r) = app.post("/api/v1/usage", None, json!({})).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{r}");
    }}

    emails_go_out_once_in_the_customers_language(5) { |app| async move {
        // A customer who chose Simplified Chinese.
        let (s, _) = app.post("/api/v1/auth/register", None, json!({"email": "li@example.com", "password": "correct horse battery", "locale": "zh-CN"})).await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, login) = app.post("/api/v1/auth/login", None, json!({"email": "li@example.com", "password": "correct horse battery"})).await;
        let token = login["token"].as_str().unwrap().to_string();
        let device = app.device(&token, &imei(13)).await;
        let (_, line) = app.post("/api/v1/lines", Some(&token), json!({"device_id": device["id"]})).await;
        let b = Buyer { token, line_id: line["id"].as_str().unwrap().to_string() };
        let (_, o) = order(&app, &b, "mail", "wechat", "CNY", "HK-3GB-7D").await;
        deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
        wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        for _ in 0..100 {
            let (_, inbox) = app.get("/api/v1/notifications", Some(&b.token)).await;
            if !inbox["items"].as_array().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let outbox = tempfile::tempdir().unwrap();
        let mailer = keepsim_channels::Mailer::from_config(None, "keepsim <noreply@keepsim.test>", outbox.path()).unwrap();
        assert_eq!(app.services.deliver_emails(&mailer).await.unwrap(), 1);
        assert_eq!(app.services.deliver_emails(&mailer).await.unwrap(), 0, "sent once");
        let files: Vec<_> = std::fs::read_dir(outbox.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(files.len(), 1);
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains("To: li@example.com"), "{eml}");
        assert!(eml.contains("Content-Language: zh-CN"), "{eml}");
        let subject = eml.lines().find_map(|l| l.strip_prefix("Subject: =?utf-8?b?")).unwrap().trim_end_matches("?=");
        use base64::Engine;
        let subject = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(subject).unwrap()).unwrap();
        assert!(subject.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "the subject is Chinese: {subject}");
        // The inbox shows the same notification in Chinese.
        let (_, inbox) = app.get("/api/v1/notifications", Some(&b.token)).await;
        let title = inbox["items"][0]["title"].as_str().unwrap();
        assert!(title.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{title}");
    }}

    a_new_phone_keeps_the_number_and_the_bundles(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 14).await;
        let (_, o) = order(&app, &b, "move", "alipay", "CNY", "JP-1GB-3D").await;
        deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
        wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        let (_, before) = app.get(&format!("/api/v1/lines/{}", b.line_id), Some(&b.token)).await;
        let bundles_before = bundles(&app, &b).await;
        let new_phone = app.device(&b.token, &imei(15)).await;
        let (s, moved) = app.post(&format!("/api/v1/lines/{}/move", b.line_id), Some(&b.token), json!({"device_id": new_phone["id"]})).await;
        assert_eq!(s, StatusCode::OK, "{moved}");
        assert_eq!(moved["msisdn"], before["msisdn"], "the number is kept");
        assert_ne!(moved["iccid"], before["iccid"], "a new profile");
        assert_ne!(moved["activation_code"], before["activation_code"]);
        assert_eq!(moved["device_id"], new_phone["id"]);
        assert_eq!(bundles(&app, &b).await, bundles_before, "bundles carry over");
        let stock = app.services.store.inventory_stock().await.unwrap();
        assert_eq!(stock.iter().map(|s| s.retired).sum::<i64>(), 1, "the old profile is retired, never handed out again");
        // The old phone can now be unbound (sold); its IMEI is free for someone else.
        let old_device = before["device_id"].as_str().unwrap();
        let res = app.http.delete(app.url(&format!("/api/v1/devices/{old_device}"))).bearer_auth(&b.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        let res = app.http.delete(app.url(&format!("/api/v1/devices/{}", new_phone["id"].as_str().unwrap()))).bearer_auth(&b.token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CONFLICT, "a phone with a line stays bound");
        let other = app.customer("bo@example.com").await;
        let again = app.device(&other, &imei(14)).await;
        assert_eq!(again["imei"], imei(14));
        // Someone else cannot move or unbind what is not theirs.
        let (s, _) = app.post(&format!("/api/v1/lines/{}/move", b.line_id), Some(&other), json!({"device_id": again["id"]})).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let res = app.http.delete(app.url(&format!("/api/v1/devices/{}", new_phone["id"].as_str().unwrap()))).bearer_auth(&other).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }}

    partner_webhooks_are_signed_retried_and_visible_when_they_give_up(5) { |app| async move {
        use std::sync::Mutex;
        type Seen = Arc<Mutex<Vec<(String, String, String, Vec<u8>)>>>;
        let seen: Seen = Arc::default();
        let answers = Arc::new(Mutex::new(vec![500u16, 200]));
        let (s2, a2) = (seen.clone(), answers.clone());
        let receiver = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let (seen, answers) = (s2.clone(), a2.clone());
                async move {
                    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    seen.lock().unwrap().push((h("webhook-id"), h("webhook-timestamp"), h("webhook-signature"), body.to_vec()));
                    let code = { let mut a = answers.lock().unwrap(); if a.len() > 1 { a.remove(0) } else { a[0] } };
                    axum::http::StatusCode::from_u16(code).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });
        let secret = keepsim_channels::WebhookSecret::generate();
        let hook = keepsim_services::notifications::PartnerWebhook {
            url: keepsim_channels::webhook::endpoint_url(&url).unwrap(),
            secret: keepsim_channels::WebhookSecret::parse(&secret.to_whsec()).unwrap(),
        };
        let sender = keepsim_channels::WebhookSender::new().unwrap();

        let b = buyer(&app, "ana@example.com", 16).await;
        let (_, o) = order(&app, &b, "hook", "alipay", "CNY", "JP-1GB-3D").await;
        deliver(&app.http, &paid_delivery(&app, &o)).await.unwrap();
        wait_for_status(&app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
        for _ in 0..100 {
            let (_, inbox) = app.get("/api/v1/notifications", Some(&b.token)).await;
            if !inbox["items"].as_array().unwrap().is_empty() { break; }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(app.services.deliver_webhooks(&hook, &sender).await.unwrap(), 0, "the endpoint answered 500");
        assert_eq!(app.services.deliver_webhooks(&hook, &sender).await.unwrap(), 0, "not due again yet");
        let later = later_services(&app, time::Duration::seconds(10));
        assert_eq!(later.deliver_webhooks(&hook, &sender).await.unwrap(), 1, "the retry went through");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].0, seen[1].0, "the same webhook-id on every retry");
        let now = time::OffsetDateTime::now_utc().unix_timestamp() + 10;
        keepsim_channels::webhook::verify(&secret, &seen[1].0, &seen[1].1, &seen[1].2, &seen[1].3, now, std::time::Duration::from_secs(300)).unwrap();
        let body: Value = serde_json::from_slice(&seen[1].3).unwrap();
        assert_eq!(body["type"], "notification.topup_succeeded");
        // An endpoint that refuses for good: the delivery gives up, visibly.
        *answers.lock().unwrap() = vec![410];
        let other = buyer(&app, "bo@example.com", 17).await;
        let (_, o2) = order(&app, &other, "hook2", "alipay", "CNY", "JP-1GB-3D").await;
        deliver(&app.http, &paid_delivery(&app, &o2)).await.unwrap();
        wait_for_status(&app, &other, o2["id"].as_str().unwrap(), "fulfilled").await;
        for _ in 0..100 {
            let (_, inbox) = app.get("/api/v1/notifications", Some(&other.token)).await;
            if !inbox["items"].as_array().unwrap().is_empty() { break; }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        later.deliver_webhooks(&hook, &sender).await.unwrap();
        let failed = app.services.store.failed_deliveries(keepsim_store::Channel::Webhook, 10).await.unwrap();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert!(failed[0].2.as_deref().unwrap_or("").contains("410"), "{failed:?}");
    }}

    an_unkept_number_walks_to_grace_and_suspension_and_a_top_up_revives_it(6) { |app| async move {
        let b = buyer(&app, "ana@example.com", 18).await;
        let keep = |b: &Buyer, key: &str| {
            let key = key.to_string();
            let (app, b) = (&app, Buyer { token: b.token.clone(), line_id: b.line_id.clone() });
            async move {
                let (_, o) = order(app, &b, &key, "alipay", "CNY", "KEEP-365D").await;
                deliver(&app.http, &paid_delivery(app, &o)).await.unwrap();
                wait_for_status(app, &b, o["id"].as_str().unwrap(), "fulfilled").await;
            }
        };
        keep(&b, "keep-1").await;
        let line_id = uuid::Uuid::parse_str(&b.line_id).unwrap();
        let state = |s: &keepsim_services::Services| {
            let s = s.clone();
            let email = "ana@example.com";
            async move {
                let account = s.store.account_by_email(email).await.unwrap().unwrap();
                s.store.line(account.id, line_id).await.unwrap().unwrap()
            }
        };
        let line = state(&app.services).await;
        assert_eq!(line.state, keepsim_domain::line::LineState::Active);
        let kept = line.valid_until.unwrap() - time::OffsetDateTime::now_utc();
        assert!(kept > time::Duration::days(364) && kept <= time::Duration::days(365), "the HK$50-style policy keeps it a year");
        // A week before the end: warned once.
        let week_before = later_services(&app, time::Duration::days(359));
        week_before.sweep_lines().await.unwrap();
        week_before.sweep_lines().await.unwrap();
        // Validity over: grace, incoming only — chargeable service is denied (4010).
        let grace = later_services(&app, time::Duration::days(366));
        grace.sweep_expiry().await.unwrap();
        assert_eq!(grace.sweep_lines().await.unwrap(), 1);
        assert_eq!(state(&grace).await.state, keepsim_domain::line::LineState::Grace);
        let key = keepsim_domain::charging::ReservationKey::new("s", 10);
        let request = keepsim_domain::charging::ReserveRequest {
            service: keepsim_domain::bundle::Service::Sms,
            country: keepsim_domain::geo::CountryCode::parse("HK").unwrap(),
            requested: Some(1),
            default_quota: 1,
            validity: time::Duration::seconds(60),
        };
        let denied = grace.charging().reserve(line_id, &key, request, grace.clock.now()).await.unwrap_err();
        assert!(matches!(denied, keepsim_services::charging::ChargingError::Refused(keepsim_domain::charging::ChargeError::ServiceDenied)), "{denied:?}");
        // Grace over: suspended.
        let suspended = later_services(&app, time::Duration::days(366 + 31));
        assert_eq!(suspended.sweep_lines().await.unwrap(), 1);
        assert_eq!(state(&suspended).await.state, keepsim_domain::line::LineState::Suspended);
        let (_, inbox) = app.get("/api/v1/notifications?limit=50", Some(&b.token)).await;
        let kinds: Vec<String> = inbox["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_string()).collect();
        for k in ["line_expiring", "line_grace", "line_suspended"] {
            assert_eq!(kinds.iter().filter(|x| *x == k).count(), 1, "{k} once: {kinds:?}");
        }
        // A qualifying top-up revives it.
        keep(&b, "keep-2").await;
        assert_eq!(state(&app.services).await.state, keepsim_domain::line::LineState::Active);
        let mut revived = false;
        for _ in 0..100 {
            let (_, inbox) = app.get("/api/v1/notifications?limit=50", Some(&b.token)).await;
            if inbox["items"].as_array().unwrap().iter().any(|n| n["kind"] == "line_reactivated") {
                revived = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(revived, "the customer is told the line works again");
        // Another line nobody keeps is recycled at the end, its profile retired for good.
        let c = buyer(&app, "bo@example.com", 19).await;
        keep(&c, "keep-3").await;
        let end = later_services(&app, time::Duration::days(365 + 30 + 60 + 2));
        end.sweep_expiry().await.unwrap();
        end.sweep_lines().await.unwrap();
        let bo = app.services.store.account_by_email("bo@example.com").await.unwrap().unwrap();
        let recycled = app.services.store.line(bo.id, uuid::Uuid::parse_str(&c.line_id).unwrap()).await.unwrap().unwrap();
        assert_eq!(recycled.state, keepsim_domain::line::LineState::Recycled);
        let stock = app.services.store.inventory_stock().await.unwrap();
        assert!(stock.iter().map(|s| s.retired).sum::<i64>() >= 1, "the downloaded profile is retired");
    }}

    a_declined_card_tells_the_customer_and_credits_nothing(5) { |app| async move {
        let b = buyer(&app, "ana@example.com", 20).await;
        let (_, o) = order(&app, &b, "declined", "card", "USD", "JP-5GB-7D").await;
        let res = checkout(o["payment"]["checkout_url"].as_str().unwrap(), "decline").await;
        assert!(res.is_success(), "{res}");
        let (_, now) = app.get(&format!("/api/v1/orders/{}", o["id"].as_str().unwrap()), Some(&b.token)).await;
        assert_eq!(now["status"], "awaiting_payment", "the customer may still pay another way");
        let (_, inbox) = app.get("/api/v1/notifications", Some(&b.token)).await;
        assert_eq!(inbox["items"][0]["kind"], "topup_failed");
        assert!(bundles(&app, &b).await.is_empty());
    }}
}

/// The app's services seen from `ahead` in the future (expiry and reconciliation run "later").
fn later_services(app: &TestApp, ahead: time::Duration) -> keepsim_services::Services {
    let clock = keepsim_services::ManualClock::new(time::OffsetDateTime::now_utc() + ahead);
    keepsim_services::Services { clock: Arc::new(clock), ..app.services.clone() }
}
