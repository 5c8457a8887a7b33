//! The customer API end to end: the real router on a real port, over a real
//! database — SQLite always, PostgreSQL too when `KEEPSIM_TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::*;
use keepsim_services::Services;
use keepsim_store::Store;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

on_both_backends! {
    a_traveller_registers_binds_a_phone_and_gets_an_esim(5) { |app| async move {
        let token = app.customer("ana@example.com").await;
        let device = app.device(&token, "490154203237518").await;
        assert_eq!(device["imei"], "490154203237518");
        assert_eq!(device["line_id"], Value::Null);

        let (s, line) = app.post("/api/v1/lines", Some(&token), json!({"device_id": device["id"]})).await;
        assert_eq!(s, StatusCode::CREATED, "{line}");
        assert_eq!(line["state"], "assigned");
        assert_eq!(line["valid_until"], Value::Null);
        let smdp = line["smdp_address"].as_str().unwrap();
        let matching = line["matching_id"].as_str().unwrap();
        assert_eq!(line["activation_code"], format!("LPA:1${smdp}${matching}"));
        assert!(line["msisdn"].as_str().unwrap().chars().all(|c| c.is_ascii_digit()), "digits only");
        assert!(line["iccid"].as_str().unwrap().starts_with("89"));

        let id = line["id"].as_str().unwrap();
        let (s, again) = app.get(&format!("/api/v1/lines/{id}"), Some(&token)).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(again, line);
        let (_, lines) = app.get("/api/v1/lines", Some(&token)).await;
        assert_eq!(lines["items"].as_array().unwrap().len(), 1);
        assert_eq!(lines["next_cursor"], Value::Null);
        let (_, devices) = app.get("/api/v1/devices", Some(&token)).await;
        assert_eq!(devices["items"][0]["line_id"], line["id"]);

        // The PNG QR code decodes back to the activation code.
        let res = app.http.get(app.url(&format!("/api/v1/lines/{id}/qr.png"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/png");
        let png = res.bytes().await.unwrap();
        assert_eq!(decode_qr_png(&png), line["activation_code"].as_str().unwrap());
        let res = app.http.get(app.url(&format!("/api/v1/lines/{id}/qr.svg"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.headers()["content-type"], "image/svg+xml");
        assert!(res.text().await.unwrap().contains("<svg"));
    }}

    one_line_per_device_and_one_account_per_imei(5) { |app| async move {
        let ana = app.customer("ana@example.com").await;
        let bo = app.customer("bo@example.com").await;
        let device = app.device(&ana, &imei(1)).await;
        let (s, body) = app.post("/api/v1/devices", Some(&bo), json!({"imei": imei(1)})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        problem(&body, "device_already_bound");
        let (s, _) = app.post("/api/v1/lines", Some(&ana), json!({"device_id": device["id"]})).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, body) = app.post("/api/v1/lines", Some(&ana), json!({"device_id": device["id"]})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        problem(&body, "device_has_line");
        let (_, lines) = app.get("/api/v1/lines", Some(&ana)).await;
        assert_eq!(lines["items"].as_array().unwrap().len(), 1, "the refused request made nothing");
    }}

    another_customers_device_and_line_answer_404(5) { |app| async move {
        let ana = app.customer("ana@example.com").await;
        let bo = app.customer("bo@example.com").await;
        let device = app.device(&ana, &imei(2)).await;
        let (_, line) = app.post("/api/v1/lines", Some(&ana), json!({"device_id": device["id"]})).await;
        let line_id = line["id"].as_str().unwrap();
        let device_id = device["id"].as_str().unwrap();
        for path in [
            format!("/api/v1/lines/{line_id}"),
            format!("/api/v1/lines/{line_id}/qr.png"),
            format!("/api/v1/lines/{line_id}/qr.svg"),
            format!("/api/v1/devices/{device_id}"),
            "/api/v1/lines/not-a-uuid".to_string(),
        ] {
            let (s, body) = app.get(&path, Some(&bo)).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
            problem(&body, "not_found");
        }
        let bo_device = app.device(&bo, &imei(3)).await;
        let (s, _) = app.post("/api/v1/lines", Some(&bo), json!({"device_id": device_id})).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "a line on someone else's device");
        let (_, bo_lines) = app.get("/api/v1/lines", Some(&bo)).await;
        assert!(bo_lines["items"].as_array().unwrap().is_empty());
        assert_eq!(bo_device["line_id"], Value::Null);
    }}

    an_empty_inventory_answers_503_and_changes_nothing(0) { |app| async move {
        let ana = app.customer("ana@example.com").await;
        let device = app.device(&ana, &imei(4)).await;
        let (s, body) = app.post("/api/v1/lines", Some(&ana), json!({"device_id": device["id"]})).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
        problem(&body, "inventory_exhausted");
        let (_, d) = app.get(&format!("/api/v1/devices/{}", device["id"].as_str().unwrap()), Some(&ana)).await;
        assert_eq!(d["line_id"], Value::Null);
    }}

    twenty_concurrent_line_requests_never_share_a_profile(10) { |app| async move {
        let ana = app.customer("ana@example.com").await;
        let mut devices = Vec::new();
        for n in 0..20 {
            devices.push(app.device(&ana, &imei(100 + n)).await["id"].clone());
        }
        let app = Arc::new(app);
        let mut tasks = Vec::new();
        for d in devices {
            let (app, ana) = (app.clone(), ana.clone());
            tasks.push(tokio::spawn(async move { app.post("/api/v1/lines", Some(&ana), json!({"device_id": d})).await }));
        }
        let mut iccids = std::collections::HashSet::new();
        let mut refused = 0;
        for t in tasks {
            let (s, body) = t.await.unwrap();
            match s {
                StatusCode::CREATED => assert!(iccids.insert(body["iccid"].as_str().unwrap().to_string())),
                StatusCode::SERVICE_UNAVAILABLE => refused += 1,
                other => panic!("{other} {body}"),
            }
        }
        assert_eq!((iccids.len(), refused), (10, 10));
    }}

    bad_devices_are_refused_with_a_reason(1) { |app| async move {
        let ana = app.customer("ana@example.com").await;
        for (body, code) in [
            (json!({"imei": "490154203237519"}), "invalid_imei"),
            (json!({"imei": "49015420323751"}), "invalid_imei"),
            (json!({"imei": "4901542032375180"}), "invalid_imei"),
            (json!({"imei": "49015420 3237518"}), "invalid_imei"),
            (json!({"imei": "49015420323751a"}), "invalid_imei"),
            (json!({"imei": "490154203237518", "eid": "89049032123451234512345678901234"}), "invalid_eid"),
            (json!({"imei": 490154203237518u64}), "invalid_body"),
            (json!({"label": "x"}), "invalid_body"),
        ] {
            let (s, res) = app.post("/api/v1/devices", Some(&ana), body.clone()).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            problem(&res, code);
        }
        let (_, list) = app.get("/api/v1/devices", Some(&ana)).await;
        assert!(list["items"].as_array().unwrap().is_empty(), "nothing was bound");
        let (s, d) = app.post("/api/v1/devices", Some(&ana), json!({"imei": " 490154203237518 ", "eid": "89049032123451234512345678901235"})).await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        assert_eq!(d["eid"], "89049032123451234512345678901235");
    }}

    malformed_and_oversized_bodies_get_problem_json(0) { |app| async move {
        let res = app.http.post(app.url("/api/v1/auth/register")).header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        problem(&res.json().await.unwrap(), "invalid_json");

        let res = app.http.post(app.url("/api/v1/auth/register")).body("email=a").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let huge = format!("{{\"email\":\"a@example.com\",\"password\":\"{}\"}}", "x".repeat(200_000));
        let res = app.http.post(app.url("/api/v1/auth/register")).header("content-type", "application/json").body(huge).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        problem(&res.json().await.unwrap(), "payload_too_large");

        let res = app.http.post(app.url("/api/v1/auth/register")).header("content-type", "application/json").body(vec![0xff, 0xfe, 0x00]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);

        let (s, body) = app.get("/api/v1/nothing-here", None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        problem(&body, "not_found");
        let (s, _) = app.post("/api/v1/countries", None, json!({})).await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
        assert!(app.services.store.account_by_email("a@example.com").await.unwrap().is_none());
    }}

    registration_refuses_bad_emails_weak_passwords_and_duplicates(0) { |app| async move {
        for (body, status, code) in [
            (json!({"email": "not-an-email", "password": "correct horse battery"}), 422, "invalid_email"),
            (json!({"email": "ana@example.com", "password": "short"}), 422, "weak_password"),
            (json!({"email": "ana@example.com", "password": "ana@example.com"}), 422, "weak_password"),
        ] {
            let (s, res) = app.post("/api/v1/auth/register", None, body).await;
            assert_eq!(s.as_u16(), status);
            problem(&res, code);
        }
        let (s, created) = app.post("/api/v1/auth/register", None, json!({"email": "Ana@Example.com", "password": "correct horse battery", "locale": "zh-CN"})).await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(created["email"], "ana@example.com");
        let (s, res) = app.post("/api/v1/auth/register", None, json!({"email": "ana@example.com", "password": "another good password"})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        problem(&res, "email_taken");
        let stored = app.services.store.account_by_email("ana@example.com").await.unwrap().unwrap();
        assert!(stored.password_hash.starts_with("$argon2id$"), "argon2id");
        assert_eq!(stored.locale, keepsim_domain::Locale::ZhCn);
    }}

    login_logout_and_the_revoked_token_stops_working(0) { |app| async move {
        let (s, _) = app.post("/api/v1/auth/register", None, json!({"email": "ana@example.com", "password": "correct horse battery"})).await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, res) = app.post("/api/v1/auth/login", None, json!({"email": "ana@example.com", "password": "wrong password!!"})).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        problem(&res, "invalid_credentials");
        let (s, res) = app.post("/api/v1/auth/login", None, json!({"email": "nobody@example.com", "password": "wrong password!!"})).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        problem(&res, "invalid_credentials");

        let res = app.http.post(app.url("/api/v1/auth/login")).json(&json!({"email": "ana@example.com", "password": "correct horse battery"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("keepsim_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        let body: Value = res.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        assert!(time::OffsetDateTime::parse(body["expires_at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).is_ok());

        let (s, _) = app.get("/api/v1/devices", Some(token)).await;
        assert_eq!(s, StatusCode::OK);
        // The page cookie carries the same session.
        let res = app.http.get(app.url("/api/v1/devices")).header("cookie", format!("keepsim_session={token}")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);

        let (s, _) = app.post("/api/v1/auth/logout", Some(token), json!({})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, res) = app.get("/api/v1/devices", Some(token)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        problem(&res, "unauthenticated");
        let (s, _) = app.get("/api/v1/devices", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = app.get("/api/v1/devices", Some("forged-token")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }}

    repeated_wrong_passwords_are_throttled_with_retry_after(0) { |app| async move {
        let (s, _) = app.post("/api/v1/auth/register", None, json!({"email": "ana@example.com", "password": "correct horse battery"})).await;
        assert_eq!(s, StatusCode::CREATED);
        for _ in 0..5 {
            let (s, _) = app.post("/api/v1/auth/login", None, json!({"email": "ana@example.com", "password": "wrong password!!"})).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let res = app.http.post(app.url("/api/v1/auth/login")).json(&json!({"email": "ana@example.com", "password": "correct horse battery"})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
        let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 15 * 60, "{retry}");
        problem(&res.json().await.unwrap(), "too_many_attempts");

        // Per address: many accounts from one address are throttled too
        // (the five failures above count toward the address's twenty).
        for n in 0..15 {
            let (s, _) = app.post("/api/v1/auth/login", None, json!({"email": format!("guess{n}@example.com"), "password": "wrong password!!"})).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let (s, _) = app.post("/api/v1/auth/login", None, json!({"email": "someone-else@example.com", "password": "wrong password!!"})).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    }}

    coverage_is_browsable_in_the_customers_language(0) { |app| async move {
        let (s, countries) = app.get("/api/v1/countries?lang=zh-CN", None).await;
        assert_eq!(s, StatusCode::OK);
        let jp = countries.as_array().unwrap().iter().find(|c| c["code"] == "JP").unwrap();
        assert_eq!(jp["name"], "日本");
        assert!(jp["regions"].as_array().unwrap().iter().any(|r| r == "asia"));
        let res = app.http.get(app.url("/api/v1/countries")).header("accept-language", "ja-JP,ja;q=0.9,en;q=0.8").send().await.unwrap();
        let ja: Value = res.json().await.unwrap();
        assert_eq!(ja.as_array().unwrap().iter().find(|c| c["code"] == "US").unwrap()["name"], "アメリカ合衆国");
        let (_, en) = app.get("/api/v1/countries?lang=xx-unknown", None).await;
        assert_eq!(en.as_array().unwrap().iter().find(|c| c["code"] == "DE").unwrap()["name"], "Germany");

        let (_, regions) = app.get("/api/v1/regions?lang=zh-TW", None).await;
        let europe = regions.as_array().unwrap().iter().find(|r| r["id"] == "europe").unwrap();
        assert_eq!(europe["name"], "歐洲");
        assert!(europe["countries"].as_array().unwrap().len() >= 30);

        let (s, packages) = app.get("/api/v1/packages?country=JP&lang=zh-CN", None).await;
        assert_eq!(s, StatusCode::OK);
        let list = packages.as_array().unwrap();
        assert!(list.len() >= 3);
        for p in list {
            assert!(p["coverage"].as_array().unwrap().iter().any(|c| c == "JP"));
            let currencies: Vec<&str> = p["prices"].as_array().unwrap().iter().map(|m| m["currency"].as_str().unwrap()).collect();
            for c in ["CNY", "EUR", "HKD", "USD"] {
                assert!(currencies.contains(&c), "{p}");
            }
            assert!(p["prices"][0]["amount_minor"].is_i64());
            assert!(p["validity_days"].as_u64().unwrap() > 0);
        }
        assert!(list.iter().any(|p| p["data_bytes"].is_null() && p["fair_use_bytes"].is_u64()), "an unlimited package");
        let (_, eu) = app.get("/api/v1/packages?region=europe", None).await;
        assert!(!eu.as_array().unwrap().is_empty());

        let (s, body) = app.get("/api/v1/packages?country=XX", None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "unknown_country");
        let (s, body) = app.get("/api/v1/packages?region=atlantis", None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "unknown_region");
        let (s, body) = app.get("/api/v1/packages?country=JP&region=asia", None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        problem(&body, "invalid_query");
    }}

    lists_are_paginated_with_a_cursor(0) { |app| async move {
        let ana = app.customer("ana@example.com").await;
        for n in 0..5 {
            app.device(&ana, &imei(200 + n)).await;
        }
        let (_, first) = app.get("/api/v1/devices?limit=2", Some(&ana)).await;
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"].as_str().unwrap();
        let (_, second) = app.get(&format!("/api/v1/devices?limit=2&cursor={cursor}"), Some(&ana)).await;
        let cursor = second["next_cursor"].as_str().unwrap();
        let (_, third) = app.get(&format!("/api/v1/devices?limit=2&cursor={cursor}"), Some(&ana)).await;
        assert_eq!(third["items"].as_array().unwrap().len(), 1);
        assert_eq!(third["next_cursor"], Value::Null);
        let (s, body) = app.get("/api/v1/devices?limit=0", Some(&ana)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        problem(&body, "invalid_query");
        let (s, _) = app.get("/api/v1/devices?cursor=garbage", Some(&ana)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }}

    a_forgotten_password_is_reset_once_by_an_emailed_link(0) { |app| async move {
        let token = app.customer("ana@example.com").await;
        let (s, _) = app.post("/api/v1/auth/password-reset", None, json!({"email": "nobody@example.com"})).await;
        assert_eq!(s, StatusCode::ACCEPTED, "the same answer for an unknown address");
        let (s, _) = app.post("/api/v1/auth/password-reset", None, json!({"email": "ANA@example.com"})).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let link = wait_for_link(&app, "reset-password?token=").await;
        let reset = link.split("token=").nth(1).unwrap().to_string();
        let (s, body) = app.post("/api/v1/auth/password-reset/confirm", None, json!({"token": reset, "password": "short"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        problem(&body, "weak_password");
        let (s, _) = app.post("/api/v1/auth/password-reset/confirm", None, json!({"token": reset, "password": "a brand new password"})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, body) = app.post("/api/v1/auth/password-reset/confirm", None, json!({"token": reset, "password": "another new password"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "single use");
        problem(&body, "invalid_token");
        let (s, _) = app.get("/api/v1/devices", Some(&token)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "old sessions end with the reset");
        let (s, _) = app.post("/api/v1/auth/login", None, json!({"email": "ana@example.com", "password": "correct horse battery"})).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, login) = app.post("/api/v1/auth/login", None, json!({"email": "ana@example.com", "password": "a brand new password"})).await;
        assert_eq!(s, StatusCode::OK);
        // Email verification works the same way.
        let token = login["token"].as_str().unwrap();
        let (s, _) = app.post("/api/v1/auth/verify-email", Some(token), json!({})).await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let link = wait_for_link(&app, "verify-email?token=").await;
        let verify = link.split("token=").nth(1).unwrap().to_string();
        let (s, _) = app.post("/api/v1/auth/verify-email/confirm", None, json!({"token": verify})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = app.post("/api/v1/auth/verify-email/confirm", None, json!({"token": "forged"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // An expired link does not work: an hour and a minute later.
        app.post("/api/v1/auth/password-reset", None, json!({"email": "ana@example.com"})).await;
        let link = wait_for_link(&app, "reset-password?token=").await;
        let late = link.split("token=").nth(1).unwrap().to_string();
        let later = keepsim_services::Services {
            clock: Arc::new(keepsim_services::ManualClock::new(time::OffsetDateTime::now_utc() + time::Duration::minutes(61))),
            ..app.services.clone()
        };
        assert_eq!(later.confirm_password_reset(&late, "yet another password").await.unwrap_err().code(), "invalid_token");
    }}

    health_readiness_and_openapi(0) { |app| async move {
        let (s, body) = app.get("/healthz", None).await;
        assert_eq!((s, body), (StatusCode::OK, Value::String("ok".into())));
        let (s, _) = app.get("/readyz", None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, doc) = app.get("/api/openapi.json", None).await;
        assert_eq!(s, StatusCode::OK);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
        for path in ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/devices", "/api/v1/lines", "/api/v1/lines/{id}/qr.png", "/api/v1/packages"] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from OpenAPI");
        }
        assert!(doc["components"]["schemas"].get("LineDto").is_some());
    }}
}

fn decode_qr_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("keepsim.db").display());
    let store: Arc<dyn Store> = Arc::new(keepsim_store_sqlite::SqliteStore::connect(&url).await.unwrap());
    let metrics = Arc::new(keepsim_web::metrics::Metrics::default());
    let state = keepsim_web::AppState { metrics: metrics.clone(), ..keepsim_web::AppState::new(Services::new(store)) };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(keepsim_web::serve(listener, keepsim_web::router(state), std::future::pending()));
    let http = reqwest::Client::new();
    for id in ["0190e0a0-0000-7000-8000-000000000001", "0190e0a0-0000-7000-8000-000000000002"] {
        http.get(format!("{base}/api/v1/lines/{id}")).send().await.unwrap();
    }
    let text = metrics.render();
    assert!(
        text.contains(r#"keepsim_http_requests_total{method="GET",route="/api/v1/lines/{id}",status="401"} 2"#),
        "{text}"
    );
    assert!(text.contains("keepsim_http_request_duration_seconds_bucket"), "{text}");
    assert!(!text.contains("0190e0a0"), "raw paths never become labels");
}
