//! `keepsim-bench pages`: the customer pages under load.
//!
//! Starts keepsim in-process (see [`crate::Server`]), sets up customers through the
//! product's own path (account, phone, eSIM, a paid package, usage reported by the
//! network, so each usage page has bundles, a ledger and a chart), then lets
//! `--concurrency` clients browse for `--seconds` over keep-alive HTTP: signed-in
//! customers' usage page, overview and inbox, and visitors' home, country search and
//! package list. Reports requests per second and p50/p99 per page. Any answer but
//! 200 fails the run.

use crate::{Server, percentile};
use clap::Parser;
use keepsim_services::charging::UsageReport;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Customer pages load generator.
#[derive(Debug, Parser)]
pub struct PagesArgs {
    /// `sqlite` or `postgres` (the latter needs KEEPSIM_TEST_DATABASE_URL).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Customers set up (each with a line, a paid package and usage).
    #[arg(long, default_value_t = 50)]
    customers: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

/// What the clients ask for, in turn: (name, path, signed in; `{line}` is the client's line,
/// `{q}` a country search). Visitors send no cookie, as on a first visit.
const MIX: &[(&str, &str, bool)] = &[
    ("usage", "/app/lines/{line}/usage", true),
    ("overview", "/app", true),
    ("inbox", "/app/inbox", true),
    ("home", "/", false),
    ("coverage-search", "/coverage/search?q={q}", false),
    ("packages", "/packages?country=JP", false),
];

/// Country searches the visitors type.
const QUERIES: &[&str] = &["ja", "fr", "united", "es", "th", "ko", "ger", "sp", "mal", "vi"];

struct Customer {
    token: String,
    line: uuid::Uuid,
    msisdn: String,
}

async fn set_up(server: &Server, n: usize) -> anyhow::Result<Vec<Customer>> {
    let services = &server.services;
    let state =
        keepsim_web::AppState { sandbox: Some(server.sandbox.clone()), ..keepsim_web::AppState::new(services.clone()) };
    let mut customers = Vec::with_capacity(n);
    let mut orders = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("traveller{i}@example.com");
        let account = services.register(&email, "benchmark password", None).await?;
        let (line, order) = crate::line_with_order(services, &account, i as u64, &format!("pages-{i}")).await?;
        keepsim_web::sandbox::pay_order(&state, &order).await.map_err(|p| anyhow::anyhow!(p.detail))?;
        orders.push(order.id);
        let token = services.login(&email, "benchmark password", "bench").await?.token;
        customers.push(Customer { token, line: line.id, msisdn: line.msisdn.to_string() });
    }
    for (i, order) in orders.iter().enumerate() {
        let started = Instant::now();
        while server.store.order_bundle(*order).await?.is_none() {
            anyhow::ensure!(started.elapsed() < Duration::from_secs(60), "order {order} was not fulfilled");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for (k, mb) in [300u64, 700, 1200].into_iter().enumerate() {
            services
                .report_usage(UsageReport {
                    event_id: format!("pages-{i}-{k}"),
                    msisdn: Some(customers[i].msisdn.clone()),
                    imsi: None,
                    plmn: Some("44010".into()),
                    country: None,
                    service: "data".into(),
                    units: mb * 1024 * 1024,
                })
                .await?;
        }
    }
    Ok(customers)
}

/// Runs the page load and prints one line per page and a total.
pub async fn run(args: PagesArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.customers > 0 && args.concurrency > 0, "--customers and --concurrency must be positive");
    let server = Server::start(&args.backend, args.customers as u64).await?;
    eprintln!("setting up {} customers on {} …", args.customers, args.backend);
    let customers = set_up(&server, args.customers).await?;
    eprintln!("{} clients browsing for {} s …", args.concurrency, args.seconds);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.concurrency);
    for c in 0..args.concurrency {
        let customer = &customers[c % customers.len()];
        let (http, base, cookie, line) = (
            http.clone(),
            server.base.clone(),
            format!("keepsim_session={}", customer.token),
            customer.line.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            let mut seen: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
            let mut turn = c;
            while Instant::now() < deadline {
                let (name, path, signed_in) = MIX[turn % MIX.len()];
                let path = path.replace("{line}", &line).replace("{q}", QUERIES[turn % QUERIES.len()]);
                turn += 1;
                let at = Instant::now();
                let mut req = http.get(format!("{base}{path}"));
                if signed_in {
                    req = req.header("cookie", &cookie);
                }
                let res = req.send().await?;
                let status = res.status();
                let body = res.bytes().await?;
                anyhow::ensure!(status == 200, "{path} answered {status}: {}", String::from_utf8_lossy(&body));
                seen.entry(name).or_default().push(at.elapsed());
            }
            Ok::<_, anyhow::Error>(seen)
        }));
    }
    let mut all: BTreeMap<&'static str, Vec<Duration>> = BTreeMap::new();
    for t in tasks {
        for (name, mut v) in t.await?? {
            all.entry(name).or_default().append(&mut v);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut total = 0;
    for (name, _, _) in MIX {
        let v = all.entry(name).or_default();
        v.sort();
        total += v.len();
        println!(
            "page={name} requests={} rate={:.0}/s p50={:.2}ms p99={:.2}ms",
            v.len(),
            v.len() as f64 / elapsed,
            percentile(v, 50.0).as_secs_f64() * 1e3,
            percentile(v, 99.0).as_secs_f64() * 1e3,
        );
    }
    println!(
        "backend={} customers={} concurrency={} requests={total} throughput={:.0}/s",
        args.backend,
        args.customers,
        args.concurrency,
        total as f64 / elapsed
    );
    server.finish().await
}
