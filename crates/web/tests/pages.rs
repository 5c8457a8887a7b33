//! The customer pages over HTTP, as a browser without JavaScript sees them:
//! CSRF, CSP, escaping, form errors in the visitor's language, one order per
//! double-submitted purchase, other customers' things not found. (The real
//! browser journeys are in `e2e/`.)
#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, TestApp, imei, spawn_app, spawn_app_live, wait_for_link};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_SECURITY_POLICY, LOCATION};

/// A cookie-keeping client that does not follow redirects, in one language.
struct Browser {
    http: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
    base: String,
    lang: &'static str,
}

impl Browser {
    fn new(app: &TestApp, lang: &'static str) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { http, jar, base: app.base.clone(), lang }
    }

    /// The value of the cookie `name` this browser holds for the site.
    fn cookie(&self, name: &str) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let header = self.jar.cookies(&self.base.parse().unwrap())?;
        header.to_str().unwrap().split("; ").find_map(|c| c.strip_prefix(&format!("{name}=")).map(str::to_string))
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let res =
            self.http.get(format!("{}{path}", self.base)).header(ACCEPT_LANGUAGE, self.lang).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// Posts a form; returns the status, the Location (if any) and the body.
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, Option<String>, String) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header(ACCEPT_LANGUAGE, self.lang)
            .form(form)
            .send()
            .await
            .unwrap();
        let location = res.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string());
        (res.status(), location, res.text().await.unwrap())
    }

    /// The CSRF token of the forms on `path`.
    async fn csrf(&self, path: &str) -> String {
        let (_, html) = self.get(path).await;
        csrf_of(&html)
    }

    async fn sign_up(&self, email: &str) {
        let csrf = self.csrf("/signup").await;
        let (s, location, body) =
            self.post("/signup", &[("csrf", &csrf), ("email", email), ("password", "correct horse battery")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
        assert_eq!(location.as_deref(), Some("/app/devices"));
    }

    /// Buys `code` for the line at the sandbox checkout and waits until it is fulfilled;
    /// returns the order's page path.
    async fn buy_and_pay(&self, code: &str, line_id: &str, method: &str, currency: &str) -> String {
        let (_, html) = self.get(&format!("/buy/{code}?currency={currency}")).await;
        let nonce = between(&html, "name=\"nonce\" value=\"", "\"").unwrap().to_string();
        let csrf = csrf_of(&html);
        let form = [
            ("csrf", csrf.as_str()),
            ("nonce", &nonce),
            ("line_id", line_id),
            ("method", method),
            ("currency", currency),
        ];
        let (_, checkout, body) = self.post(&format!("/buy/{code}"), &form).await;
        let checkout = checkout.unwrap_or_else(|| panic!("{body}"));
        let (s, order_page, _) = self.post(&format!("{checkout}/pay"), &[("csrf", &csrf)]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let order_page = order_page.unwrap();
        for _ in 0..100 {
            let (_, html) = self.get(&format!("{order_page}/status")).await;
            if html.contains("data-status=\"fulfilled\"") {
                return order_page;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("{order_page} was not fulfilled");
    }

    /// Binds a phone and gets its eSIM; returns the line's page path.
    async fn get_esim(&self, n: u64) -> String {
        let csrf = self.csrf("/app/devices").await;
        let (s, _, body) = self.post("/app/devices", &[("csrf", &csrf), ("imei", &imei(n)), ("label", "Phone")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
        let (_, html) = self.get("/app/devices").await;
        let action = between(&html, "action=\"/app/devices/", "\"").unwrap();
        let (s, location, _) = self.post(&format!("/app/devices/{action}"), &[("csrf", &csrf_of(&html))]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        location.unwrap()
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn csrf_of(html: &str) -> String {
    between(html, "name=\"csrf\" value=\"", "\"").expect("a form with a CSRF token").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_a_strict_content_security_policy_and_the_visitors_language() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let res = reqwest::get(format!("{}/", app.base)).await.unwrap();
    let csp = res.headers().get(CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert!(res.text().await.unwrap().contains("<html lang=\"en\">"));
    let zh = Browser::new(&app, "zh-CN,zh;q=0.9");
    let (s, html) = zh.get("/").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
    assert!(!html.contains("<script>") && !html.contains(" style=\""), "no inline script or style");
    let (s, _) = zh.get("/assets/htmx.min.js").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_a_csrf_token_or_with_a_forged_one_is_refused_and_creates_nothing() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    let real = b.csrf("/signup").await;
    let form =
        |csrf: &'static str| vec![("csrf", csrf), ("email", "ana@example.com"), ("password", "correct horse battery")];
    let (s, _, body) = b.post("/signup", &form("")[1..]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("This form has expired"));
    let forged = "0".repeat(real.len());
    let forged: &'static str = Box::leak(forged.into_boxed_str());
    let (s, _, _) = b.post("/signup", &form(forged)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A token from another visitor's cookie is no better.
    let other = Browser::new(&app, "en").csrf("/signup").await;
    let other: &'static str = Box::leak(other.into_boxed_str());
    let (s, _, _) = b.post("/signup", &form(other)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(app.services.store.account_by_email("ana@example.com").await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_from_before_signing_in_is_stale_afterwards() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    let before = b.csrf("/signup").await;
    b.sign_up("ben@example.com").await;
    let (s, _, _) = b.post("/app/devices", &[("csrf", &before), ("imei", &imei(1))]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, html) = b.get("/app/devices").await;
    assert!(html.contains("No device bound yet."), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signup_errors_are_shown_next_to_the_field_in_the_visitors_language() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "zh-CN");
    let csrf = b.csrf("/signup").await;
    let (s, _, html) = b.post("/signup", &[("csrf", &csrf), ("email", "li@example.com"), ("password", "short")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let error = between(&html, "id=\"e-password\" class=\"field-error\" role=\"alert\">", "</p>").unwrap();
    assert_eq!(error, keepsim_i18n::render(keepsim_domain::Locale::ZhCn, "error-weak_password", &[]).unwrap());
    assert!(html.contains("value=\"li@example.com\""), "the email is kept");
    b.sign_up("li@example.com").await;
    let other = Browser::new(&app, "en");
    let csrf = other.csrf("/signup").await;
    let (s, _, html) = other
        .post("/signup", &[("csrf", &csrf), ("email", "LI@example.com"), ("password", "correct horse battery")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("An account with this email already exists."), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_imei_is_explained_next_to_the_field_and_binds_nothing() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("cai@example.com").await;
    let csrf = b.csrf("/app/devices").await;
    let mut wrong = imei(3);
    wrong.pop();
    wrong.push(if imei(3).ends_with('0') { '1' } else { '0' });
    let (s, _, html) = b.post("/app/devices", &[("csrf", &csrf), ("imei", &wrong)]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(between(&html, "id=\"e-imei\" class=\"field-error\" role=\"alert\">", "</p>").unwrap().contains("*#06#"));
    let account = app.services.store.account_by_email("cai@example.com").await.unwrap().unwrap();
    assert!(app.services.devices(&account, keepsim_store::Page { after: None, limit: 10 }).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_submitted_purchase_makes_one_order() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("dan@example.com").await;
    let line_page = b.get_esim(4).await;
    let line_id = line_page.trim_start_matches("/app/lines/").to_string();
    let (_, html) = b.get("/buy/EU-5GB-15D?currency=EUR").await;
    let csrf = csrf_of(&html);
    let nonce = between(&html, "name=\"nonce\" value=\"", "\"").unwrap().to_string();
    let form =
        [("csrf", csrf.as_str()), ("nonce", &nonce), ("line_id", &line_id), ("method", "alipay"), ("currency", "CNY")];
    let (first, second) = tokio::join!(b.post("/buy/EU-5GB-15D", &form), b.post("/buy/EU-5GB-15D", &form));
    assert_eq!((first.0, second.0), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{} {}", first.2, second.2);
    // Both go to the one order's checkout, or the one that raced the other is sent home.
    let (s, third, _) = b.post("/buy/EU-5GB-15D", &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let checkout = third.unwrap();
    assert!(checkout.starts_with("/sandbox/checkout/"), "{checkout}");
    for location in [first.1.unwrap(), second.1.unwrap()] {
        assert!(location == checkout || location == "/app", "{location}");
    }
    let account = app.services.store.account_by_email("dan@example.com").await.unwrap().unwrap();
    let orders = app
        .services
        .orders_filtered(
            keepsim_store::OrderFilter { account_id: Some(account.id), ..Default::default() },
            keepsim_store::Page { after: None, limit: 10 },
        )
        .await
        .unwrap();
    assert_eq!(orders.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_customers_line_and_order_show_not_found() {
    let app = spawn_app(Backend::Sqlite, 3).await.unwrap();
    let owner = Browser::new(&app, "en");
    owner.sign_up("eva@example.com").await;
    let line_page = owner.get_esim(5).await;
    let (s, _) = owner.get(&line_page).await;
    assert_eq!(s, StatusCode::OK);
    let intruder = Browser::new(&app, "en");
    intruder.sign_up("fay@example.com").await;
    for path in [line_page.clone(), format!("{line_page}/usage")] {
        let (s, html) = intruder.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Not found"));
        assert!(!html.contains("LPA:1$"));
    }
    let (s, _) = intruder.get("/app/orders/not-a-uuid").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_package_named_like_a_script_renders_as_text() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let mut catalogue = app.services.catalogue().await.unwrap();
    let package = catalogue.packages.iter_mut().find(|p| p.code == "EU-5GB-15D").unwrap();
    package.name = "<script>alert(1)</script>".into();
    package.names.clear();
    app.services.import_catalogue(&catalogue).await.unwrap();
    let b = Browser::new(&app, "en");
    let (s, html) = b.get("/packages?region=europe").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>alert(1)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_error_titles_come_in_the_callers_language() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let token = app.customer("gus@example.com").await;
    let res = app
        .http
        .post(app.url("/api/v1/devices"))
        .bearer_auth(&token)
        .header(ACCEPT_LANGUAGE, "ja")
        .json(&serde_json::json!({"imei": "123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "invalid_imei");
    // The account's language (English, from registration) wins over the header.
    assert_eq!(body["title"], keepsim_i18n::render(keepsim_domain::Locale::En, "error-invalid_imei", &[]).unwrap());
    let res = app
        .http
        .get(app.url("/api/v1/lines/00000000-0000-0000-0000-000000000000?lang=ja"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["title"], keepsim_i18n::render(keepsim_domain::Locale::Ja, "error-not_found", &[]).unwrap());
    assert_ne!(body["title"], "Not found.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_live_mode_the_order_page_hands_the_payment_to_the_wallet() {
    let app = spawn_app_live(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "zh-CN");
    b.sign_up("hana@example.com").await;
    let line_page = b.get_esim(8).await;
    let line_id = line_page.trim_start_matches("/app/lines/").to_string();
    let (_, html) = b.get("/buy/JP-1GB-3D?currency=CNY").await;
    assert!(!html.contains("id=\"method-card\""), "no card form on the pages outside the sandbox");
    assert!(!html.contains("sandbox") && html.contains("id=\"method-alipay\""));
    let csrf = csrf_of(&html);
    let nonce = between(&html, "name=\"nonce\" value=\"", "\"").unwrap().to_string();
    let card = [
        ("csrf", csrf.as_str()),
        ("nonce", nonce.as_str()),
        ("line_id", &line_id),
        ("method", "card"),
        ("currency", "CNY"),
    ];
    let (s, _, _) = b.post("/buy/JP-1GB-3D", &card).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a hand-made card purchase is refused");
    for (method, wallet_link) in [("alipay", true), ("wechat", false)] {
        let (_, html) = b.get("/buy/JP-1GB-3D?currency=CNY").await;
        let nonce = between(&html, "name=\"nonce\" value=\"", "\"").unwrap().to_string();
        let form = [
            ("csrf", csrf.as_str()),
            ("nonce", nonce.as_str()),
            ("line_id", &line_id),
            ("method", method),
            ("currency", "CNY"),
        ];
        let (s, location, body) = b.post("/buy/JP-1GB-3D", &form).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
        let location = location.unwrap();
        assert!(location.starts_with("/app/orders/"), "{location}");
        let (s, html) = b.get(&location).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("data-status=\"awaiting_payment\""));
        assert!(html.contains("id=\"pay-qr\" ") || html.contains("id=\"pay-qr\""), "a QR code to scan: {html}");
        assert_eq!(html.contains("id=\"open-wallet\""), wallet_link);
        assert!(!html.contains("/sandbox/checkout/"));
    }
}

/// The `Set-Cookie` headers of a response.
fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers().get_all(reqwest::header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

/// The cookie `name` among `set`, if set.
fn cookie_named<'a>(set: &'a [String], name: &str) -> Option<&'a String> {
    set.iter().find(|c| c.starts_with(&format!("{name}=")))
}

/// The same services behind a router whose site is served over TLS (`KEEPSIM_PUBLIC_URL` https);
/// returns its base URL. (The test talks to it over plain HTTP, as a TLS-terminating proxy would.)
async fn behind_tls(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = keepsim_web::AppState {
        config: std::sync::Arc::new(keepsim_web::WebConfig { secure_cookies: true }),
        ..keepsim_web::AppState::new(app.services.clone())
    };
    tokio::spawn(keepsim_web::serve(listener, keepsim_web::router(state), std::future::pending()));
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_http_only_and_same_site_everywhere_and_secure_when_the_site_uses_tls() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let tls = behind_tls(&app).await;
    Browser::new(&app, "en").sign_up("eve@example.com").await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for (base, secure) in [(app.base.clone(), false), (tls, true)] {
        let res = http.get(format!("{base}/signin")).send().await.unwrap();
        let set = set_cookies(&res);
        let csrf_cookie = cookie_named(&set, "keepsim_csrf").expect("a CSRF cookie").clone();
        let csrf = csrf_of(&res.text().await.unwrap());
        let value = csrf_cookie.split(';').next().unwrap().to_string();
        let res = http
            .post(format!("{base}/signin"))
            .header(reqwest::header::COOKIE, &value)
            .form(&[("csrf", csrf.as_str()), ("email", "eve@example.com"), ("password", "correct horse battery")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let set = set_cookies(&res);
        let session = cookie_named(&set, "keepsim_session").expect("a session cookie");
        for (cookie, same_site) in [(&csrf_cookie, "SameSite=Lax"), (session, "SameSite=Strict")] {
            assert!(cookie.contains("; HttpOnly"), "{cookie}");
            assert!(cookie.contains(same_site), "{cookie}");
            assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
        }
        let res = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "eve@example.com", "password": "correct horse battery"}))
            .send()
            .await
            .unwrap();
        let set = set_cookies(&res);
        let api = cookie_named(&set, "keepsim_session").expect("the API's sign-in sets the cookie too");
        assert!(api.contains("; HttpOnly") && api.contains("SameSite=Strict"), "{api}");
        assert_eq!(api.contains("; Secure"), secure, "{api}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_language_chosen_on_a_page_is_kept_by_the_account_and_signing_out_ends_the_session() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    // A visitor's choice is kept in a cookie and wins over Accept-Language.
    let visitor = Browser::new(&app, "en");
    let csrf = visitor.csrf("/").await;
    let (s, to, _) = visitor.post("/language", &[("csrf", &csrf), ("lang", "es"), ("next", "/coverage")]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/coverage")));
    let (_, html) = visitor.get("/coverage").await;
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    // Somewhere else than this site is not a place to go back to.
    let (_, to, _) =
        visitor.post("/language", &[("csrf", &csrf), ("lang", "ja"), ("next", "https://evil.example/")]).await;
    assert_eq!(to.as_deref(), Some("/"));

    // A customer's choice is the account's: it follows them to another browser and into emails.
    let b = Browser::new(&app, "en");
    b.sign_up("kim@example.com").await;
    let csrf = b.csrf("/app").await;
    let (s, to, _) = b.post("/language", &[("csrf", &csrf), ("lang", "ko"), ("next", "/app")]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/app")));
    let (_, html) = b.get("/app").await;
    assert!(html.contains("<html lang=\"ko\">"), "{html}");
    let account = app.services.store.account_by_email("kim@example.com").await.unwrap().unwrap();
    assert_eq!(account.locale, keepsim_domain::Locale::Ko);
    let elsewhere = Browser::new(&app, "zh-CN,zh;q=0.9");
    let csrf = elsewhere.csrf("/signin").await;
    let (s, _, _) = elsewhere
        .post("/signin", &[("csrf", &csrf), ("email", "kim@example.com"), ("password", "correct horse battery")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = elsewhere.get("/app").await;
    assert!(html.contains("<html lang=\"ko\">"), "the account's language wins over the browser's");

    // Signing out: the session is revoked, not only forgotten by this browser.
    let token = b.cookie("keepsim_session").expect("signed in");
    let (s, _) = app.get("/api/v1/lines", Some(&token)).await;
    assert_eq!(s, StatusCode::OK);
    let csrf = b.csrf("/app").await;
    let (s, to, _) = b.post("/signout", &[("csrf", &csrf)]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let (s, _) = b.get("/app").await;
    assert_eq!(s, StatusCode::SEE_OTHER, "signed out: /app sends to the sign-in page");
    assert_eq!(b.cookie("keepsim_session"), None);
    let (s, _) = app.get("/api/v1/lines", Some(&token)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the old session's token no longer works");
    let (_, html) = elsewhere.get("/app").await;
    assert!(html.contains("kim@example.com"), "signing out in one browser leaves the other signed in");
    // Signing out without a valid form token does nothing.
    let (s, _, _) = elsewhere.post("/signout", &[("csrf", "0")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = elsewhere.get("/app").await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_customer_page_renders_in_every_language() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("polyglot@example.com").await;
    let line_page = b.get_esim(12).await;
    let line_id = line_page.trim_start_matches("/app/lines/").to_string();
    // A paid order, usage past a warning threshold, and a support ticket, so every part of every page shows.
    let order_page = b.buy_and_pay("JP-1GB-3D", &line_id, "wechat", "CNY").await;
    let csrf = b.csrf("/app").await;
    report_usage(&app, &b, &line_id, "e-1", 900_000_000).await;
    let (s, ticket, _) =
        b.post("/app/support", &[("csrf", &csrf), ("subject", "Hello"), ("body", "A question about roaming.")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let ticket = ticket.unwrap();

    let pages = [
        "/coverage".to_string(),
        "/coverage/search?q=a".into(),
        "/packages?country=JP".into(),
        "/packages?region=asia".into(),
        "/buy/JP-1GB-3D".into(),
        "/app".into(),
        "/app/devices".into(),
        line_page.clone(),
        format!("{line_page}/usage"),
        order_page.clone(),
        format!("{order_page}/status"),
        "/app/inbox".into(),
        "/app/support".into(),
        ticket,
        "/help".into(),
    ];
    let anonymous = Browser::new(&app, "en");
    for lang in ["en", "zh-CN", "zh-TW", "ja", "ko", "es"] {
        let csrf = b.csrf("/app").await;
        let (s, _, _) = b.post("/language", &[("csrf", &csrf), ("lang", lang), ("next", "/app")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        for path in &pages {
            let (s, html) = b.get(path).await;
            assert_eq!(s, StatusCode::OK, "{path} in {lang}: {html}");
            if !path.ends_with("/status") && !path.starts_with("/coverage/search") {
                assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path} in {lang}");
            }
        }
        let csrf = anonymous.csrf("/").await;
        anonymous.post("/language", &[("csrf", &csrf), ("lang", lang)]).await;
        for path in [
            "/",
            "/signin",
            "/signup",
            "/coverage",
            "/packages?country=FR",
            "/help",
            "/forgot-password",
            "/reset-password?token=t",
            "/verify-email?token=t",
        ] {
            let (s, html) = anonymous.get(path).await;
            assert_eq!(s, StatusCode::OK, "{path} in {lang}, signed out: {html}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path} in {lang}");
        }
    }
}

/// The network reports `bytes` of data used in Japan on the line (the usage API).
async fn report_usage(app: &TestApp, b: &Browser, line_id: &str, event: &str, bytes: u64) {
    let (_, line) = app.get(&format!("/api/v1/lines/{line_id}"), Some(&b.cookie("keepsim_session").unwrap())).await;
    let key = app.services.create_api_key(&["network".to_string()], None).await.unwrap().secret;
    let usage = serde_json::json!({"event_id": event, "msisdn": line["msisdn"], "plmn": "44010", "service": "data", "units": bytes});
    let res = app.http.post(app.url("/api/v1/usage")).bearer_auth(&key).json(&usage).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_an_expired_bundle_forfeits_shows_in_the_history_and_the_inbox() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("lapse@example.com").await;
    let line_page = b.get_esim(13).await;
    let line_id = line_page.trim_start_matches("/app/lines/").to_string();
    b.buy_and_pay("JP-1GB-3D", &line_id, "alipay", "CNY").await;
    report_usage(&app, &b, &line_id, "first-use", 100 * 1024 * 1024).await; // starts the 3-day validity
    let (_, html) = b.get(&format!("{line_page}/usage")).await;
    assert!(!html.contains("data-kind=\"expiry_forfeit\""));
    // Four days later the sweeper expires it.
    let clock = keepsim_services::ManualClock::new(time::OffsetDateTime::now_utc() + time::Duration::days(4));
    let later = keepsim_services::Services { clock: std::sync::Arc::new(clock), ..app.services.clone() };
    assert_eq!(later.sweep_expiry().await.unwrap().0, 1);
    let (s, html) = b.get(&format!("{line_page}/usage")).await;
    assert_eq!(s, StatusCode::OK);
    let row = between(&html, "data-kind=\"expiry_forfeit\"", "</tr>").expect("the forfeit is in the history");
    assert!(row.contains("924 MB") || row.contains("−924"), "what was left (1 GiB − 100 MiB) is shown: {row}");
    assert!(html.contains("data-state=\"expired\""), "the bundle shows as expired");
    for _ in 0..100 {
        let (_, inbox) = b.get("/app/inbox").await;
        if inbox.contains("data-kind=\"bundle_expired\"") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no bundle_expired notice in the inbox");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_who_changed_phones_moves_the_number_and_removes_the_old_phone() {
    let app = spawn_app(Backend::Sqlite, 3).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("mover@example.com").await;
    let line_page = b.get_esim(21).await;
    let line_id = line_page.trim_start_matches("/app/lines/").to_string();
    b.buy_and_pay("JP-1GB-3D", &line_id, "alipay", "CNY").await;
    let (_, html) = b.get(&line_page).await;
    let old_code = between(&html, "id=\"activation-code\">", "<").unwrap().to_string();
    assert!(html.contains("id=\"move\"") && !html.contains("id=\"move-line\""), "no other phone yet: {html}");

    // The new phone, bound with its EID (a wrong EID is explained next to the field).
    let csrf = b.csrf("/app/devices").await;
    let (s, _, html) = b
        .post("/app/devices", &[("csrf", &csrf), ("imei", &imei(22)), ("eid", "89049032123456789012345678901234")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(between(&html, "id=\"e-eid\" class=\"field-error\" role=\"alert\">", "</p>").unwrap().contains("EID"));
    let eid = keepsim_domain::eid::Eid::with_check_digits("890490321234567890123456789012").unwrap();
    let (s, _, _) = b
        .post("/app/devices", &[("csrf", &csrf), ("imei", &imei(22)), ("eid", eid.as_str()), ("label", "New phone")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let account = app.services.store.account_by_email("mover@example.com").await.unwrap().unwrap();
    let devices = app.services.devices(&account, keepsim_store::Page { after: None, limit: 10 }).await.unwrap();
    let new_phone = devices.iter().find(|d| d.label.as_deref() == Some("New phone")).unwrap();
    assert_eq!(new_phone.eid.as_ref().map(|e| e.as_str().to_string()), Some(eid.as_str().to_string()));
    let old_phone = devices.iter().find(|d| d.line_id.is_some()).unwrap().id;

    // Without the confirmation box nothing moves.
    let (_, html) = b.get(&line_page).await;
    assert!(html.contains(&format!("value=\"{}\"", new_phone.id)), "the new phone is offered");
    let csrf = csrf_of(&html);
    let target = new_phone.id.to_string();
    let move_path = format!("{line_page}/move");
    let (s, _, html) = b.post(&move_path, &[("csrf", &csrf), ("device_id", &target)]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(between(&html, "id=\"e-confirm\" class=\"field-error\" role=\"alert\">", "</p>").unwrap().contains("Tick"));
    // A phone that already has an eSIM cannot take the number (the form says why).
    let (s, _, html) =
        b.post(&move_path, &[("csrf", &csrf), ("device_id", &old_phone.to_string()), ("confirm", "1")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"form-error\""), "{html}");
    let (_, html) = b.get(&line_page).await;
    assert!(html.contains(&old_code), "nothing moved");

    // Confirmed: same number, a new eSIM, the package still there.
    let (s, to, _) = b.post(&move_path, &[("csrf", &csrf), ("device_id", &target), ("confirm", "1")]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some(line_page.as_str())));
    let (_, html) = b.get(&line_page).await;
    let new_code = between(&html, "id=\"activation-code\">", "<").unwrap();
    assert_ne!(new_code, old_code, "a new eSIM for the new phone");
    assert!(html.contains("New phone"));
    let (_, usage) = b.get(&format!("{line_page}/usage")).await;
    assert_eq!(usage.matches("data-state=\"active\"").count(), 1, "the package moved with the number");

    // The old phone, now without an eSIM, can be removed; one with an eSIM cannot.
    let (_, html) = b.get("/app/devices").await;
    let csrf = csrf_of(&html);
    let (s, _, html) = b.post(&format!("/app/devices/{}/remove", new_phone.id), &[("csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("id=\"form-error\""));
    let (s, to, _) = b.post(&format!("/app/devices/{old_phone}/remove"), &[("csrf", &csrf)]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/app/devices")));
    let devices = app.services.devices(&account, keepsim_store::Page { after: None, limit: 10 }).await.unwrap();
    assert_eq!(devices.len(), 1);
    // Someone else's phone or line is not found.
    let other = Browser::new(&app, "en");
    other.sign_up("someone@example.com").await;
    let csrf = other.csrf("/app/devices").await;
    let (s, _, _) = other.post(&format!("/app/devices/{}/remove", new_phone.id), &[("csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = other.post(&move_path, &[("csrf", &csrf), ("device_id", &target), ("confirm", "1")]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// The page an emailed link opens (`wait_for_link` gives it from its page name on).
fn path_of(link: &str) -> String {
    format!("/{link}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_through_the_emailed_link_and_an_address_is_confirmed() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("forgetful@example.com").await;
    let account = app.services.store.account_by_email("forgetful@example.com").await.unwrap().unwrap();

    // The overview asks to confirm the address; the emailed link's page confirms only on its button.
    let (_, html) = b.get("/app").await;
    assert!(html.contains("id=\"verify-needed\""), "{html}");
    let (s, to, _) = b.post("/app/verify-email", &[("csrf", &csrf_of(&html))]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/app?verify=sent")));
    let link = path_of(&wait_for_link(&app, "verify-email?token=").await);
    let (s, html) = b.get(&link).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"verify\""));
    assert_eq!(app.services.store.email_verified_at(account.id).await.unwrap(), None, "opening the link is not enough");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let (s, _, html) = b.post("/verify-email", &[("csrf", &csrf_of(&html)), ("token", &token)]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"notice\""));
    assert!(app.services.store.email_verified_at(account.id).await.unwrap().is_some());
    let (_, html) = b.get("/app").await;
    assert!(!html.contains("id=\"verify-needed\""));
    let (s, _, html) = b.post("/verify-email", &[("csrf", &csrf_of(&html)), ("token", &token)]).await;
    assert_eq!(s, StatusCode::GONE, "a link works once");
    assert!(html.contains("id=\"link-invalid\""));

    // Forgotten password, from another browser in Chinese.
    let v = Browser::new(&app, "zh-CN");
    let (_, html) = v.get("/signin").await;
    assert!(html.contains("href=\"/forgot-password\""));
    let csrf = v.csrf("/forgot-password").await;
    let (s, _, unknown) = v.post("/forgot-password", &[("csrf", &csrf), ("email", "nobody@example.com")]).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, known) = v.post("/forgot-password", &[("csrf", &csrf), ("email", "forgetful@example.com")]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        between(&unknown, "id=\"notice\">", "<"),
        between(&known, "id=\"notice\">", "<"),
        "no account enumeration"
    );
    let link = path_of(&wait_for_link(&app, "reset-password?token=").await);
    let (s, html) = v.get(&link).await;
    assert_eq!(s, StatusCode::OK);
    let token = link.split("token=").nth(1).unwrap().to_string();
    let csrf = csrf_of(&html);
    let (s, _, html) = v.post("/reset-password", &[("csrf", &csrf), ("token", &token), ("password", "short")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let error = between(&html, "id=\"e-password\" class=\"field-error\" role=\"alert\">", "</p>").unwrap();
    assert_eq!(error, keepsim_i18n::render(keepsim_domain::Locale::ZhCn, "error-weak_password", &[]).unwrap());
    let (s, to, _) =
        v.post("/reset-password", &[("csrf", &csrf), ("token", &token), ("password", "a brand new passphrase")]).await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/signin?reset=done")));
    let (_, html) = v.get("/signin?reset=done").await;
    assert!(html.contains("id=\"notice\""));
    // Every session ended, the first browser's too; the old password no longer works, the new one does.
    let (s, _) = b.get("/app").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let csrf = v.csrf("/signin").await;
    let (s, _, _) = v
        .post("/signin", &[("csrf", &csrf), ("email", "forgetful@example.com"), ("password", "correct horse battery")])
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, to, _) = v
        .post("/signin", &[("csrf", &csrf), ("email", "forgetful@example.com"), ("password", "a brand new passphrase")])
        .await;
    assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/app")));
    let csrf = v.csrf("/forgot-password").await;
    let (s, _, html) =
        v.post("/reset-password", &[("csrf", &csrf), ("token", &token), ("password", "yet another passphrase")]).await;
    assert_eq!(s, StatusCode::GONE, "a reset link works once");
    assert!(html.contains("href=\"/forgot-password\""));
    let (s, _) = v.get("/reset-password").await;
    assert_eq!(s, StatusCode::GONE, "a link without its token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_are_shown_on_the_readers_clock() {
    let app = spawn_app(Backend::Sqlite, 2).await.unwrap();
    let b = Browser::new(&app, "en");
    b.sign_up("clock@example.com").await;
    let line_page = b.get_esim(31).await;
    let line_id = line_page.trim_start_matches("/app/lines/").to_string();
    b.buy_and_pay("JP-1GB-3D", &line_id, "alipay", "CNY").await;
    let mut inbox = String::new();
    for _ in 0..100 {
        inbox = b.get("/app/inbox").await.1;
        if inbox.contains("data-kind=\"topup_succeeded\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(inbox.contains(" UTC<") && !inbox.contains("UTC+"), "no offset known: UTC: {inbox}");
    let site: reqwest::Url = app.base.parse().unwrap();
    // The pages' script sets the device's offset (minutes east of UTC).
    b.jar.add_cookie_str("keepsim_tz=480", &site);
    let (_, html) = b.get("/app/inbox").await;
    assert!(html.contains(" UTC+8<"), "Beijing's clock: {html}");
    b.jar.add_cookie_str("keepsim_tz=-210", &site);
    assert!(b.get("/app/inbox").await.1.contains(" UTC−3:30<"), "Newfoundland's clock");
    for nonsense in ["100000", "abc", "-"] {
        b.jar.add_cookie_str(&format!("keepsim_tz={nonsense}"), &site);
        let (s, html) = b.get("/app/inbox").await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains(" UTC<") && !html.contains("UTC+"), "{nonsense}: UTC");
    }
}
