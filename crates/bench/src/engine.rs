//! `keepsim-bench engine`: the charging engine alone, no I/O.
//!
//! 1. Reserve + commit pairs per second on one core, on one line with three
//!    bundles (one outside the visited country).
//! 2. Cost per reserve + commit as the number of lines in memory grows
//!    (10,000 → 1,000,000 lines, each op on a random line), and memory per line.

use clap::Parser;
use keepsim_domain::bundle::{Balance, BundleState, Service};
use keepsim_domain::catalogue::Starts;
use keepsim_domain::charging::{ChargingBundle, LineCharging, ReservationKey, ReserveRequest};
use keepsim_domain::geo::CountryCode;
use keepsim_domain::line::LineState;
use std::collections::HashMap;
use std::time::Instant;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Options.
#[derive(Debug, Parser)]
pub struct EngineArgs {
    /// Reserve + commit pairs on the single line.
    #[arg(long, default_value_t = 5_000_000)]
    pairs: u64,
    /// Line counts to measure the per-op cost at.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
    lines: Vec<usize>,
    /// Operations per line count.
    #[arg(long, default_value_t = 2_000_000)]
    ops: u64,
}

fn bundle(now: OffsetDateTime, country: &str, days: i64) -> ChargingBundle {
    ChargingBundle {
        id: Uuid::new_v4(),
        priority: 0,
        created_at: now,
        starts: Starts::Purchase,
        validity_days: 30,
        starts_at: Some(now),
        expires_at: Some(now + Duration::days(days)),
        coverage: vec![CountryCode::parse(country).unwrap_or_else(|_| unreachable_country())],
        state: BundleState::Active,
        data: Balance { total: Some(u64::MAX / 4), used: 0, reserved: 0 },
        voice: Balance { total: Some(0), used: 0, reserved: 0 },
        sms: Balance { total: Some(0), used: 0, reserved: 0 },
        fair_use_bytes: None,
    }
}

fn unreachable_country() -> CountryCode {
    // The codes used here exist; this is never reached.
    keepsim_domain::geo::all_countries()[0].code()
}

fn line(now: OffsetDateTime) -> LineCharging {
    LineCharging::new(
        Uuid::new_v4(),
        LineState::Active,
        vec![bundle(now, "JP", 7), bundle(now, "JP", 30), bundle(now, "FR", 3)],
    )
}

/// Runs the engine benchmarks and prints their numbers.
pub fn run(args: EngineArgs) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let jp = CountryCode::parse("JP")?;
    let request = ReserveRequest {
        service: Service::Data,
        country: jp,
        requested: Some(1_000_000),
        default_quota: 1_000_000,
        validity: Duration::seconds(600),
    };
    let key = ReservationKey::new("pgw.example.com;1;1", 10);
    let mut one = line(now);
    let start = Instant::now();
    for _ in 0..args.pairs {
        let grant = one.reserve(key.clone(), request, now).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        std::hint::black_box(&grant);
        let done = one.commit(&key, 900_000, now).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        std::hint::black_box(&done);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "engine one line: {} reserve+commit pairs in {:.2}s = {:.0} pairs/s (one core)",
        args.pairs,
        secs,
        args.pairs as f64 / secs
    );

    let mut base = None;
    for &n in &args.lines {
        let mut lines: HashMap<u64, LineCharging> = HashMap::with_capacity(n);
        let rss_before = rss_kib();
        for i in 0..n as u64 {
            lines.insert(i, line(now));
        }
        let rss_after = rss_kib();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let start = Instant::now();
        for _ in 0..args.ops {
            // xorshift: a cheap, reproducible random line
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let Some(l) = lines.get_mut(&(x % n as u64)) else { continue };
            l.reserve(key.clone(), request, now).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            l.commit(&key, 900_000, now).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        let ns = start.elapsed().as_nanos() as f64 / args.ops as f64;
        let base_ns = *base.get_or_insert(ns);
        let per_line = match (rss_before, rss_after) {
            (Some(b), Some(a)) if a > b => format!("{:.0} bytes", (a - b) as f64 * 1024.0 / n as f64),
            _ => "n/a".into(),
        };
        println!(
            "engine {n} lines: {ns:.0} ns per reserve+commit (×{:.2} of the first), memory per line {per_line}",
            ns / base_ns
        );
        drop(lines);
    }
    Ok(())
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
