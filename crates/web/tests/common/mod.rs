//! The test harness: the real app on port 0 over a fresh database.

#![allow(clippy::unwrap_used, dead_code)]

use keepsim_services::Services;
use keepsim_services::catalogue::demo_catalogue;
use keepsim_store::Store;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

/// A running keepsim and a client for it.
pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub services: Services,
    pub sandbox: Option<Arc<keepsim_payments::sandbox::Sandbox>>,
    /// Where emails land (.eml files).
    pub outbox: tempfile::TempDir,
    _guard: Box<dyn std::any::Any + Send + Sync>,
}

pub enum Backend {
    Sqlite,
    Postgres,
}

/// The app with the sandbox payment gateway and the fulfilment worker running.
pub async fn spawn_app(backend: Backend, profiles: u64) -> Option<TestApp> {
    spawn_app_with(backend, profiles, true).await
}

/// Like [`spawn_app`], optionally with the sandbox payment gateway and workers running.
pub async fn spawn_app_with(backend: Backend, profiles: u64, payments: bool) -> Option<TestApp> {
    spawn(backend, profiles, payments, true, true).await
}

/// Like [`spawn_app`], but nothing runs fulfilment jobs: the test runs them (`fulfil_next`).
#[allow(dead_code)]
pub async fn spawn_app_without_fulfilment(backend: Backend, profiles: u64) -> Option<TestApp> {
    spawn(backend, profiles, true, true, false).await
}

/// Like [`spawn_app`], but the pages behave as in live mode (no sandbox checkout; the payment
/// providers are still the built-in gateway's, reached over HTTP as live ones are).
pub async fn spawn_app_live(backend: Backend, profiles: u64) -> Option<TestApp> {
    spawn(backend, profiles, true, false, true).await
}

async fn spawn(backend: Backend, profiles: u64, payments: bool, sandbox_mode: bool, worker: bool) -> Option<TestApp> {
    let (store, guard): (Arc<dyn Store>, Box<dyn std::any::Any + Send + Sync>) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("keepsim.db").display());
            (Arc::new(keepsim_store_sqlite::SqliteStore::connect(&url).await.unwrap()), Box::new(dir))
        }
        Backend::Postgres => {
            let admin = std::env::var("KEEPSIM_TEST_DATABASE_URL").ok()?;
            let db = keepsim_store_postgres::testing::TestDatabase::create(&admin).await.unwrap();
            let store = db.store().await.unwrap();
            (Arc::new(store), Box::new(DropDb(Some(db))))
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let outbox = tempfile::tempdir().unwrap();
    let mailer = keepsim_channels::Mailer::from_config(None, "keepsim <noreply@keepsim.test>", outbox.path()).unwrap();
    let mut services = Services::new(store).with_mailer(Arc::new(mailer));
    let mut sandbox = None;
    if payments {
        let wiring = keepsim_payments::sandbox::setup::wire(&test_sandbox_keys(), &base).unwrap();
        services = services.with_payments(keepsim_services::payments::PaymentSettings {
            gateways: wiring.gateways,
            card_webhook_secret: Some(wiring.card_webhook_secret),
            alipay: Some(wiring.alipay),
            wechat: Some(wiring.wechat),
            public_url: base.clone(),
            sandbox: sandbox_mode,
            ..Default::default()
        });
        sandbox = Some(wiring.sandbox);
        if worker {
            let worker = services.clone();
            let (stop, stopped) = tokio::sync::watch::channel(false);
            std::mem::forget(stop); // the worker lives as long as the test's runtime
            tokio::spawn(async move { worker.fulfilment_worker(std::time::Duration::from_millis(200), stopped).await });
        }
    }
    services.seed_catalogue(&demo_catalogue().unwrap()).await.unwrap();
    if profiles > 0 {
        services
            .store
            .insert_profiles(&keepsim_services::inventory::demo_profiles(profiles), time::OffsetDateTime::now_utc())
            .await
            .unwrap();
    }
    let state = keepsim_web::AppState { sandbox: sandbox.clone(), ..keepsim_web::AppState::new(services.clone()) };
    tokio::spawn(keepsim_web::serve(listener, keepsim_web::router(state), std::future::pending()));
    Some(TestApp { base, http: reqwest::Client::new(), services, sandbox, outbox, _guard: guard })
}

/// Drops the PostgreSQL test database when the app goes away.
pub struct DropDb(Option<keepsim_store_postgres::testing::TestDatabase>);

impl Drop for DropDb {
    fn drop(&mut self) {
        if let Some(db) = self.0.take() {
            // A fresh runtime on another thread: this drop may run inside the test's runtime.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(db.drop_database())
            })
            .join();
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Registers and signs in; returns the bearer token.
    pub async fn customer(&self, email: &str) -> String {
        let (s, _) = self
            .post("/api/v1/auth/register", None, json!({"email": email, "password": "correct horse battery"}))
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, body) =
            self.post("/api/v1/auth/login", None, json!({"email": email, "password": "correct horse battery"})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    pub async fn device(&self, token: &str, imei: &str) -> Value {
        let (s, body) = self.post("/api/v1/devices", Some(token), json!({"imei": imei, "label": "phone"})).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body
    }
}

pub fn imei(n: u64) -> String {
    let payload = format!("{:014}", 35_123_400_000_000 + n);
    let check = keepsim_domain::luhn::check_digit(payload.as_bytes());
    format!("{payload}{check}")
}

pub fn problem(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(body["title"].is_string() && body["detail"].is_string() && body["type"].is_string(), "{body}");
}

#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident($profiles:expr) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = spawn_app(Backend::Sqlite, $profiles).await.unwrap();
                    let f: fn(TestApp) -> _ = $body;
                    f(app).await;
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(app) = spawn_app(Backend::Postgres, $profiles).await else {
                        eprintln!("skipped: KEEPSIM_TEST_DATABASE_URL not set");
                        return;
                    };
                    let f: fn(TestApp) -> _ = $body;
                    f(app).await;
                }
            )*
        }
    };
}

fn test_key(name: &str) -> keepsim_payments::rsa::RsaPrivateKey {
    let path = format!("{}/../payments/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    keepsim_payments::keys::load_private_key(path).unwrap()
}

/// Sandbox keys from the committed test key pairs (generating RSA keys in tests is slow).
pub fn test_sandbox_keys() -> keepsim_payments::sandbox::setup::SandboxKeys {
    let a = test_key("keys_test_rsa_pkcs8.pem");
    let b = test_key("keys_test_rsa2_pkcs8.pem");
    keepsim_payments::sandbox::setup::SandboxKeys {
        card_api_key: "sk_test_keepsim".into(),
        card_webhook_secret: "whsec_test_keepsim_secret".into(),
        alipay_app_id: "2021000000000001".into(),
        alipay_merchant: a.clone(),
        alipay_platform: b.clone(),
        wechat_mchid: "1900000001".into(),
        wechat_appid: "wxd678efh567hg6787".into(),
        wechat_apiv3_key: *b"0123456789abcdefghijklmnopqrstuv",
        wechat_merchant: a,
        wechat_merchant_serial: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1".into(),
        wechat_platform: b,
        wechat_platform_key_id: "PUB_KEY_ID_0114232134912410000000000000".into(),
    }
}

/// The first link containing `kind` in an email of the outbox (the email is removed once read).
#[allow(dead_code)]
pub async fn wait_for_link(app: &TestApp, kind: &str) -> String {
    for _ in 0..100 {
        // Only finished messages: the outbox writes `.<name>.tmp` first and renames it to `<name>.eml`.
        let mut files: Vec<_> = std::fs::read_dir(app.outbox.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        for f in files.iter().rev() {
            // A file may be renamed into place while we look (the outbox writes then renames): try again later.
            let Ok(raw) = std::fs::read_to_string(f) else { continue };
            let text = raw.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
            if let Some(i) = text.find(kind) {
                let rest = &text[i..];
                let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
                let found = rest[..end].to_string();
                let _ = std::fs::remove_file(f);
                return found;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    panic!("no {kind} email in the outbox");
}
