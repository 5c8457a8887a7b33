//! `keepsim-bench gy`: a Diameter Gy load generator of our own.
//!
//! Starts keepsim's Gy server in-process over a fresh SQLite file or
//! PostgreSQL database with N lines that each hold a large data bundle, then
//! opens C connections (CER first) and runs S concurrent sessions per
//! connection, each session CCR-INITIAL → 3 × CCR-UPDATE → CCR-TERMINATE with
//! usage reported, for a fixed time. Reports CCR/s and p50/p99/p99.9 latency,
//! and the count of each Result-Code. Client and server share the machine.

use anyhow::Context;
use clap::Parser;
use keepsim_diameter::dictionary::{avp, cc_request_type};
use keepsim_diameter::gy::{Ccr, LocalPeer, Mscc, Units, cer};
use keepsim_diameter::{Message, frame_len};
use keepsim_domain::catalogue::Catalogue;
use keepsim_services::Services;
use keepsim_store::{NewOrder, PaymentEffect, PaymentEvent, Store};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};

/// Options.
#[derive(Debug, Parser)]
pub struct GyArgs {
    /// `sqlite` or `postgres` (needs KEEPSIM_TEST_DATABASE_URL).
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// Lines (subscribers) with a bundle.
    #[arg(long, default_value_t = 1000)]
    lines: usize,
    /// SQLite only: keep the set-up database in this file (and its subscriber numbers next
    /// to it, in `FILE.msisdns`) and reuse it when it already holds at least `--lines` lines,
    /// so a large set-up (through the product's own path, about 3 ms a line) is paid once.
    /// Later runs find the ledger of the runs before them.
    #[arg(long)]
    database: Option<std::path::PathBuf>,
    /// Diameter connections.
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// Concurrent sessions per connection.
    #[arg(long, default_value_t = 32)]
    sessions: usize,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Tokio worker threads for server and client together (default: one per core). The
    /// SQLite charging writer runs on a thread of its own besides these.
    #[arg(long)]
    pub workers: Option<usize>,
}

const CATALOGUE: &str = r#"
[[package]]
code = "BENCH-1TB"
name = "Bench 1 TB"
tier = "basic"
countries = ["JP"]
data = "1024GB"
validity_days = 30
starts = "purchase"
prices = { CNY = "1.00" }
"#;

type Waiters = Arc<std::sync::Mutex<HashMap<u32, oneshot::Sender<Message>>>>;

struct Conn {
    /// Requests to send; a writer task sends those that are ready together in one write.
    writer: mpsc::UnboundedSender<Vec<u8>>,
    waiters: Waiters,
    next: std::sync::atomic::AtomicU32,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> anyhow::Result<Arc<Conn>> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (mut rd, mut wr) = stream.into_split();
        let (writer, mut requests) = mpsc::unbounded_channel::<Vec<u8>>();
        tokio::spawn(async move {
            let mut out = Vec::with_capacity(64 * 1024);
            while let Some(first) = requests.recv().await {
                out.extend_from_slice(&first);
                while out.len() < 64 * 1024 {
                    match requests.try_recv() {
                        Ok(more) => out.extend_from_slice(&more),
                        Err(_) => break,
                    }
                }
                if wr.write_all(&out).await.is_err() {
                    return;
                }
                out.clear();
            }
        });
        let waiters: Waiters = Arc::default();
        let w = waiters.clone();
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut chunk = vec![0u8; 64 * 1024];
            loop {
                let mut at = 0;
                while let Ok(Some(n)) = frame_len(&buf[at..], 1 << 20) {
                    if buf.len() - at < n {
                        break;
                    }
                    let bytes = &buf[at..at + n];
                    at += n;
                    if let Ok(m) = Message::decode(bytes, 1 << 20) {
                        let waiter = w.lock().unwrap_or_else(|p| p.into_inner()).remove(&m.header.hop_by_hop);
                        if let Some(tx) = waiter {
                            let _ = tx.send(m);
                        }
                    }
                }
                buf.drain(..at);
                match rd.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
        });
        let conn = Arc::new(Conn { writer, waiters, next: 1.into() });
        let cea = conn.call(|hop| cer(&LocalPeer::new("bench.pgw", "bench", vec![addr.ip()]), hop, hop)).await?;
        anyhow::ensure!(result(&cea) == 2001, "CER refused");
        Ok(conn)
    }

    async fn call(&self, build: impl FnOnce(u32) -> Message) -> anyhow::Result<Message> {
        let hop = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.waiters.lock().unwrap_or_else(|p| p.into_inner()).insert(hop, tx);
        let bytes = build(hop).encode();
        self.writer.send(bytes).map_err(|_| anyhow::anyhow!("connection closed"))?;
        Ok(tokio::time::timeout(Duration::from_secs(30), rx).await??)
    }
}

fn result(m: &Message) -> u32 {
    m.find(avp::RESULT_CODE).and_then(|a| a.as_u32().ok()).unwrap_or(0)
}

fn mscc_result(m: &Message) -> u32 {
    m.find(avp::MULTIPLE_SERVICES_CREDIT_CONTROL)
        .and_then(|a| a.as_grouped().ok())
        .and_then(|g| g.iter().find(|x| x.code == avp::RESULT_CODE).and_then(|x| x.as_u32().ok()))
        .unwrap_or_else(|| result(m))
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1e3
}

/// Sets up `lines` lines, each with the benchmark's data bundle, through the product's own
/// path (device, line, order, payment, fulfilment); returns their numbers.
async fn set_up(
    services: &Services,
    store: &Arc<dyn Store>,
    lines: usize,
    backend: &str,
) -> anyhow::Result<Vec<String>> {
    let catalogue = Catalogue::from_toml(CATALOGUE)?;
    services.seed_catalogue(&catalogue).await?;
    services.seed_demo_inventory(lines as u64).await?;
    let package = catalogue.package("BENCH-1TB").context("package")?.clone();
    let account = services.register("gybench@example.com", "benchmark password", None).await?;
    let now = time::OffsetDateTime::now_utc();
    let mut msisdns = Vec::with_capacity(lines);
    eprintln!("setting up {} lines with a bundle on {} …", lines, backend);
    for i in 0..lines {
        let payload = format!("{:014}", 35_100_000_000_000u64 + i as u64);
        let imei = format!("{payload}{}", keepsim_domain::luhn::check_digit(payload.as_bytes()));
        let device = services.bind_device(&account, &imei, None, None).await?;
        let line = services.create_line(&account, device.id).await?;
        let order = store
            .create_order(NewOrder {
                id: uuid::Uuid::now_v7(),
                account_id: account.id,
                line_id: line.id,
                package: package.clone(),
                method: "alipay".into(),
                amount: package.prices[0],
                idempotency_key: format!("k{i}"),
                request_hash: "h".into(),
                out_trade_no: format!("gybench{i}"),
                created_at: now,
                expires_at: now + time::Duration::hours(1),
                creating_until: now,
            })
            .await?;
        store
            .apply_payment_event(PaymentEvent {
                method: "alipay".into(),
                event_id: format!("e{i}"),
                order_id: order.id,
                effect: PaymentEffect::Paid { provider_ref: "t".into() },
                kind: "paid".into(),
                received_at: now,
            })
            .await?;
        services.fulfil_next().await?;
        msisdns.push(line.msisdn.as_str().to_string());
        if (i + 1) % 50_000 == 0 {
            eprintln!("… {} lines", i + 1);
        }
    }
    Ok(msisdns)
}

/// Runs the load and prints the numbers.
pub async fn run(args: GyArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.database.is_none() || args.backend == "sqlite", "--database is for the sqlite backend");
    let dir = tempfile::tempdir()?;
    let mut pg = None;
    let store: Arc<dyn Store> = match args.backend.as_str() {
        "sqlite" => {
            let file = args.database.clone().unwrap_or_else(|| dir.path().join("gy.db"));
            Arc::new(keepsim_store_sqlite::SqliteStore::connect(&format!("sqlite://{}", file.display())).await?)
        }
        _ => {
            let admin = std::env::var("KEEPSIM_TEST_DATABASE_URL").context("set KEEPSIM_TEST_DATABASE_URL")?;
            let db = keepsim_store_postgres::testing::TestDatabase::create(&admin).await?;
            let s = db.store().await?;
            pg = Some(db);
            Arc::new(s)
        }
    };
    let services = Services::new(store.clone());
    let saved = args.database.as_ref().map(|f| {
        let mut name = f.as_os_str().to_owned();
        name.push(".msisdns");
        std::path::PathBuf::from(name)
    });
    let reused: Option<Vec<String>> = saved
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .map(|s| s.lines().take(args.lines).map(str::to_string).collect::<Vec<_>>())
        .filter(|m| m.len() == args.lines);
    let msisdns = match reused {
        Some(m) => {
            eprintln!("reusing {} lines set up before", m.len());
            m
        }
        None => {
            let m = set_up(&services, &store, args.lines, &args.backend).await?;
            if let Some(f) = &saved {
                std::fs::write(f, m.join("\n"))?;
            }
            m
        }
    };
    let app = Arc::new(keepsim_gy::GyApp::new(services.clone(), "ocs.bench", "bench", Default::default(), 100_000));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let config = keepsim_gy::GyConfig {
        local: LocalPeer::new("ocs.bench", "bench", vec![addr.ip()]),
        peers: keepsim_gy::AllowList::loopback(),
        max_connections: 1024,
        max_message_len: 64 * 1024,
    };
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(keepsim_gy::serve(listener, config, app, stopped));

    eprintln!("{} connections × {} sessions for {} s …", args.connections, args.sessions, args.seconds);
    let running = Arc::new(AtomicBool::new(true));
    let msisdns = Arc::new(msisdns);
    let mut tasks = Vec::new();
    let started = Instant::now();
    let before = services.charging().writer_stats();
    for c in 0..args.connections {
        let conn = Conn::open(addr).await?;
        for s in 0..args.sessions {
            let (conn, running, msisdns) = (conn.clone(), running.clone(), msisdns.clone());
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::with_capacity(100_000);
                let mut codes: HashMap<u32, u64> = HashMap::new();
                let mut n = 0u64;
                while running.load(Ordering::Relaxed) {
                    n += 1;
                    let worker = c * 10_000 + s;
                    let msisdn = &msisdns[(worker * 7919 + n as usize) % msisdns.len()];
                    let session = format!("bench.pgw;{worker};{n}");
                    for (number, kind) in [
                        (0, cc_request_type::INITIAL),
                        (1, cc_request_type::UPDATE),
                        (2, cc_request_type::UPDATE),
                        (3, cc_request_type::UPDATE),
                        (4, cc_request_type::TERMINATION),
                    ] {
                        let ccr = Ccr {
                            session_id: session.clone(),
                            origin_host: "bench.pgw".into(),
                            origin_realm: "bench".into(),
                            request_type: kind,
                            request_number: number,
                            subscription_ids: vec![(0, msisdn.clone())],
                            requested_action: None,
                            sgsn_mcc_mnc: Some("44010".into()),
                            mscc: vec![Mscc {
                                rating_group: Some(10),
                                requested: (kind != cc_request_type::TERMINATION)
                                    .then_some(Units { total_octets: Some(1_000_000), ..Units::default() }),
                                used: if kind == cc_request_type::INITIAL {
                                    vec![]
                                } else {
                                    vec![Units { total_octets: Some(900_000), ..Units::default() }]
                                },
                                ..Mscc::default()
                            }],
                            termination_cause: None,
                        };
                        let t = Instant::now();
                        let Ok(answer) = conn.call(|hop| ccr.to_request("bench", hop, hop)).await else {
                            *codes.entry(0).or_default() += 1;
                            break;
                        };
                        lat.push(t.elapsed());
                        *codes.entry(mscc_result(&answer)).or_default() += 1;
                    }
                }
                (lat, codes)
            }));
        }
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    running.store(false, Ordering::Relaxed);
    let writer = {
        let after = services.charging().writer_stats();
        let (batches, writes) = (after.batches - before.batches, after.writes - before.writes);
        let busy = (after.commit_time - before.commit_time).as_secs_f64();
        (batches, writes, busy)
    };
    let mut lat = Vec::new();
    let mut codes: HashMap<u32, u64> = HashMap::new();
    for t in tasks {
        let (l, c) = t.await?;
        lat.extend(l);
        for (k, v) in c {
            *codes.entry(k).or_default() += v;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    lat.sort();
    let mut codes: Vec<_> = codes.into_iter().collect();
    codes.sort();
    println!(
        "gy backend={} lines={} connections={} sessions/conn={} CCRs={} rate={:.0}/s p50={:.2}ms p99={:.2}ms p99.9={:.2}ms results={:?}",
        args.backend,
        args.lines,
        args.connections,
        args.sessions,
        lat.len(),
        lat.len() as f64 / elapsed,
        pct(&lat, 50.0),
        pct(&lat, 99.0),
        pct(&lat, 99.9),
        codes
    );
    let (batches, writes, busy) = writer;
    println!(
        "writer: {batches} commits, {:.1} writes per commit, {:.2} ms per commit, busy {:.0} % of the run",
        writes as f64 / batches.max(1) as f64,
        busy * 1e3 / batches.max(1) as f64,
        100.0 * busy / args.seconds as f64
    );
    let diffs = store.check_ledger().await?;
    println!("check-ledger after the run: {} difference(s)", diffs.len());
    if let Some(db) = pg {
        drop(services);
        drop(store);
        db.drop_database().await?;
    }
    Ok(())
}
