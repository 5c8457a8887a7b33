//! `keepsim-bench topups`: drives the payment-notification → fulfilled pipeline.
//!
//! Starts keepsim in-process (real router on a loopback port, sandbox payment
//! gateway, fulfilment worker) over a fresh SQLite file or PostgreSQL database,
//! opens N unpaid Alipay orders, then posts the gateway's signed notifications
//! to `/webhooks/alipay` at a fixed rate from concurrent senders. For each
//! top-up it measures the time from "notification accepted" (the webhook
//! answered `success`) to "bundle usable" (the bundle row is committed and
//! readable), and reports throughput, median, p99 and max.

use anyhow::{Context, bail};
use clap::Parser;
use keepsim_payments::sandbox::{deliver, setup};
use keepsim_services::Services;
use keepsim_services::orders::OrderRequest;
use keepsim_services::payments::PaymentSettings;
use keepsim_store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// keepsim load generators.
#[derive(Debug, Parser)]
enum Cli {
    /// Payment notification accepted → bundle usable, at a fixed rate.
    Topups(Args),
    /// The pure charging engine: reserve + commit pairs on one core, and cost as lines grow.
    Engine(engine::EngineArgs),
    /// A Gy load generator: many connections and sessions, CCR-I/U/T mix, over loopback.
    Gy(gy::GyArgs),
    /// The customer pages: signed-in customers and visitors browsing over keep-alive HTTP.
    Pages(pages::PagesArgs),
}

mod engine;
mod gy;
mod pages;

/// Top-up pipeline load generator.
#[derive(Debug, Parser)]
struct Args {
    /// `sqlite` or `postgres` (the latter needs KEEPSIM_TEST_DATABASE_URL).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Top-ups per second to offer.
    #[arg(long, default_value_t = 100)]
    rate: u64,
    /// Seconds to run.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// How often each top-up checks whether its bundle is usable, in milliseconds
    /// (the measurement's resolution; checks are database reads that compete with the server).
    #[arg(long, default_value_t = 2)]
    poll_ms: u64,
}

fn key(name: &str) -> anyhow::Result<keepsim_payments::rsa::RsaPrivateKey> {
    let path = format!("{}/../payments/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    Ok(keepsim_payments::keys::load_private_key(path)?)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest-rank percentile over latencies (a report, not money: floats are fine here).
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> anyhow::Result<()> {
    match Cli::parse() {
        Cli::Topups(args) => tokio::runtime::Runtime::new()?.block_on(topups(args)),
        Cli::Engine(args) => engine::run(args),
        Cli::Pages(args) => tokio::runtime::Runtime::new()?.block_on(pages::run(args)),
        Cli::Gy(args) => {
            let mut runtime = tokio::runtime::Builder::new_multi_thread();
            if let Some(n) = args.workers {
                runtime.worker_threads(n);
            }
            runtime.enable_all().build()?.block_on(gy::run(args))
        }
    }
}

/// keepsim in-process: the real router on a loopback port with the sandbox payment gateway
/// and the fulfilment worker, over a fresh SQLite file or PostgreSQL database.
pub(crate) struct Server {
    pub services: Services,
    pub store: Arc<dyn Store>,
    pub base: String,
    pub sandbox: Arc<keepsim_payments::sandbox::Sandbox>,
    pg: Option<keepsim_store_postgres::testing::TestDatabase>,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Server {
    /// Starts keepsim on `backend` (`sqlite`, or `postgres` with KEEPSIM_TEST_DATABASE_URL)
    /// with the demo catalogue and `profiles` demo eSIM profiles.
    pub(crate) async fn start(backend: &str, profiles: u64) -> anyhow::Result<Server> {
        let dir = tempfile::tempdir()?;
        let mut pg = None;
        let store: Arc<dyn Store> = match backend {
            "sqlite" => Arc::new(
                keepsim_store_sqlite::SqliteStore::connect(&format!(
                    "sqlite://{}",
                    dir.path().join("bench.db").display()
                ))
                .await?,
            ),
            "postgres" => {
                let admin = std::env::var("KEEPSIM_TEST_DATABASE_URL").context("set KEEPSIM_TEST_DATABASE_URL")?;
                let db = keepsim_store_postgres::testing::TestDatabase::create(&admin).await?;
                let s = db.store().await?;
                pg = Some(db);
                Arc::new(s)
            }
            other => bail!("unknown backend {other}"),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let a = key("keys_test_rsa_pkcs8.pem")?;
        let b = key("keys_test_rsa2_pkcs8.pem")?;
        let keys = setup::SandboxKeys {
            card_api_key: "sk_test_bench".into(),
            card_webhook_secret: "whsec_bench".into(),
            alipay_app_id: "2021000000000001".into(),
            alipay_merchant: a.clone(),
            alipay_platform: b.clone(),
            wechat_mchid: "1900000001".into(),
            wechat_appid: "wxbench".into(),
            wechat_apiv3_key: *b"0123456789abcdefghijklmnopqrstuv",
            wechat_merchant: a,
            wechat_merchant_serial: "BENCH".into(),
            wechat_platform: b,
            wechat_platform_key_id: "PUB_KEY_ID_BENCH".into(),
        };
        let wiring = setup::wire(&keys, &base)?;
        let services = Services::new(store.clone()).with_payments(PaymentSettings {
            gateways: wiring.gateways,
            card_webhook_secret: Some(wiring.card_webhook_secret),
            alipay: Some(wiring.alipay),
            wechat: Some(wiring.wechat),
            public_url: base.clone(),
            sandbox: true,
            ..Default::default()
        });
        let sandbox = wiring.sandbox;
        services.seed_catalogue(&keepsim_services::catalogue::demo_catalogue()?).await?;
        services.seed_demo_inventory(profiles).await?;
        let state =
            keepsim_web::AppState { sandbox: Some(sandbox.clone()), ..keepsim_web::AppState::new(services.clone()) };
        tokio::spawn(keepsim_web::serve(listener, keepsim_web::router(state), std::future::pending()));
        let (stop, stopped) = tokio::sync::watch::channel(false);
        {
            let s = services.clone();
            tokio::spawn(async move { s.fulfilment_worker(Duration::from_millis(500), stopped).await });
        }
        Ok(Server { services, store, base, sandbox, pg, _dir: dir, _stop: stop })
    }

    /// Drops the PostgreSQL database, if any.
    pub(crate) async fn finish(self) -> anyhow::Result<()> {
        let Server { store, pg, .. } = self;
        if let Some(db) = pg {
            drop(store);
            db.drop_database().await?;
        }
        Ok(())
    }
}

/// A phone with IMEI number `n` on `account`, its eSIM line, and an unpaid Alipay order for
/// JP-5GB-7D (idempotency key `key`), through the product's own path.
pub(crate) async fn line_with_order(
    services: &Services,
    account: &keepsim_store::AccountRecord,
    n: u64,
    key: &str,
) -> anyhow::Result<(keepsim_store::LineRecord, keepsim_store::OrderRecord)> {
    let payload = format!("{:014}", 35_000_000_000_000u64 + n);
    let imei = format!("{payload}{}", keepsim_domain::luhn::check_digit(payload.as_bytes()));
    let device = services.bind_device(account, &imei, None, None).await?;
    let line = services.create_line(account, device.id).await?;
    let req = OrderRequest {
        line_id: line.id,
        package_code: "JP-5GB-7D".into(),
        payment_method: "alipay".into(),
        currency: "CNY".into(),
    };
    let (order, _) = services.create_order(account, Some(key), &req, key).await?;
    Ok((line, order))
}

async fn topups(args: Args) -> anyhow::Result<()> {
    let total = (args.rate * args.seconds) as usize;
    let server = Server::start(&args.backend, total as u64).await?;
    let (services, store, sandbox) = (server.services.clone(), server.store.clone(), server.sandbox.clone());

    eprintln!("setting up {total} unpaid orders on {} …", args.backend);
    let account = services.register("bench@example.com", "benchmark password", None).await?;
    let mut deliveries = Vec::with_capacity(total);
    for i in 0..total {
        let (_, order) = line_with_order(&services, &account, i as u64, &format!("bench-{i}")).await?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        deliveries.push((order.id, sandbox.alipay.pay(&order.out_trade_no, now)?));
    }

    eprintln!("offering {} top-ups/s for {} s …", args.rate, args.seconds);
    let http = reqwest::Client::new();
    let interval = Duration::from_secs_f64(1.0 / args.rate as f64);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for (i, (order_id, d)) in deliveries.into_iter().enumerate() {
        let due = started + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (http, store) = (http.clone(), store.clone());
        let poll = Duration::from_millis(args.poll_ms);
        tasks.push(tokio::spawn(async move {
            let (status, body) = deliver(&http, &d).await.map_err(|e| anyhow::anyhow!(e))?;
            if status != 200 || body != "success" {
                bail!("webhook answered {status} {body}");
            }
            let accepted = Instant::now();
            loop {
                if store.order_bundle(order_id).await?.is_some() {
                    return Ok::<_, anyhow::Error>(accepted.elapsed());
                }
                tokio::time::sleep(poll).await;
            }
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for t in tasks {
        latencies.push(t.await??);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let bundles = store.fulfilment_jobs("done", u32::MAX).await?.len();
    println!(
        "backend={} offered={}/s top-ups={} fulfilled={} throughput={:.1}/s accepted→usable: p50={:.1}ms p99={:.1}ms max={:.1}ms",
        args.backend,
        args.rate,
        total,
        bundles,
        total as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 50.0).as_secs_f64() * 1e3,
        percentile(&latencies, 99.0).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    if bundles != total {
        bail!("{bundles} bundles for {total} top-ups");
    }
    drop(store);
    server.finish().await
}
