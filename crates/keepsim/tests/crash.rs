//! Durable before answered: `keepsim serve` is killed with SIGKILL at random
//! moments while Gy sessions report usage, then restarted on the same data.
//! Every debit whose answer left the server is in the ledger, `check-ledger`
//! finds no difference, and reservations held by the killed sessions time out
//! and return their units.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use keepsim_diameter::dictionary::{avp, cc_request_type};
use keepsim_diameter::gy::{Ccr, LocalPeer, Mscc, Units, cer};
use keepsim_diameter::{Message, frame_len};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Server {
    child: Child,
}

impl Server {
    fn start(dir: &std::path::Path, http: u16, gy: u16) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_keepsim"));
        for (k, _) in std::env::vars() {
            if k.starts_with("KEEPSIM_") || k == "DATABASE_URL" {
                cmd.env_remove(k);
            }
        }
        let mut child = cmd
            .arg("serve")
            .env("KEEPSIM_DATA_DIR", dir)
            .env("DATABASE_URL", format!("sqlite://{}/keepsim.db", dir.display()))
            .env("KEEPSIM_HTTP_LISTEN", format!("127.0.0.1:{http}"))
            .env("KEEPSIM_METRICS_LISTEN", "127.0.0.1:0")
            .env("KEEPSIM_DIAMETER_LISTEN", format!("127.0.0.1:{gy}"))
            .env("KEEPSIM_CHARGING_VALIDITY_SECONDS", "2")
            .env("KEEPSIM_CHARGING_GRACE_SECONDS", "1")
            .env("KEEPSIM_CHARGING_SWEEP_SECONDS", "1")
            .env("KEEPSIM_DEMO_PROFILES", "20")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("keepsim is running at") {
                    let _ = tx.send(());
                }
            }
        });
        rx.recv_timeout(Duration::from_secs(120)).expect("keepsim started");
        Server { child }
    }

    fn kill(mut self) {
        let _ = Command::new("kill").arg("-9").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn api(http: &reqwest::Client, method: &str, url: String, token: Option<&str>, body: Option<Value>) -> Value {
    let mut req = if method == "POST" { http.post(url) } else { http.get(url) };
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    req = req.header("idempotency-key", "crash-test-order");
    let res = req.send().await.unwrap();
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

/// Sends CCRs on one connection, one at a time; returns the usage acknowledged with 2001.
async fn session_loop(gy: u16, msisdn: String, worker: u32, acknowledged: Arc<AtomicU64>) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", gy)).await else { return };
    let mut buf = Vec::new();
    let mut hop = 1u32;
    let mut call = async |stream: &mut tokio::net::TcpStream, m: Message| -> Option<Message> {
        stream.write_all(&m.encode()).await.ok()?;
        loop {
            if let Ok(Some(n)) = frame_len(&buf, 1 << 20)
                && buf.len() >= n
            {
                let bytes: Vec<u8> = buf.drain(..n).collect();
                return Message::decode(&bytes, 1 << 20).ok();
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
    };
    if call(&mut stream, cer(&LocalPeer::new("pgw.crash", "crash", vec![[127, 0, 0, 1].into()]), 1, 1)).await.is_none()
    {
        return;
    }
    for s in 0.. {
        let session = format!("pgw.crash;{worker};{s}");
        for (number, kind) in [
            (0, cc_request_type::INITIAL),
            (1, cc_request_type::UPDATE),
            (2, cc_request_type::UPDATE),
            (3, cc_request_type::TERMINATION),
        ] {
            let used = if kind == cc_request_type::INITIAL { 0 } else { 1000 };
            let ccr = Ccr {
                session_id: session.clone(),
                origin_host: "pgw.crash".into(),
                origin_realm: "crash".into(),
                request_type: kind,
                request_number: number,
                subscription_ids: vec![(0, msisdn.clone())],
                requested_action: None,
                sgsn_mcc_mnc: Some("44010".into()),
                mscc: vec![Mscc {
                    rating_group: Some(10),
                    requested: (kind != cc_request_type::TERMINATION)
                        .then_some(Units { total_octets: Some(1000), ..Units::default() }),
                    used: if used > 0 { vec![Units { total_octets: Some(used), ..Units::default() }] } else { vec![] },
                    ..Mscc::default()
                }],
                termination_cause: None,
            };
            hop += 1;
            let Some(answer) = call(&mut stream, ccr.to_request("crash", hop, hop)).await else { return };
            if answer.find(avp::RESULT_CODE).and_then(|a| a.as_u32().ok()) == Some(2001) {
                acknowledged.fetch_add(used, Ordering::SeqCst);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answered_debits_survive_sigkill_the_ledger_checks_out_and_reservations_time_out() {
    let dir = tempfile::tempdir().unwrap();
    let (http_port, gy) = (free_port(), free_port());
    let base = format!("http://127.0.0.1:{http_port}");
    let http = reqwest::Client::new();
    let mut server = Server::start(dir.path(), http_port, gy);

    // A customer with 1 GiB in Japan, bought through the sandbox checkout.
    api(
        &http,
        "POST",
        format!("{base}/api/v1/auth/register"),
        None,
        Some(json!({"email": "crash@example.com", "password": "correct horse battery"})),
    )
    .await;
    let login = api(
        &http,
        "POST",
        format!("{base}/api/v1/auth/login"),
        None,
        Some(json!({"email": "crash@example.com", "password": "correct horse battery"})),
    )
    .await;
    let token = login["token"].as_str().unwrap().to_string();
    let device =
        api(&http, "POST", format!("{base}/api/v1/devices"), Some(&token), Some(json!({"imei": "490154203237518"})))
            .await;
    let line =
        api(&http, "POST", format!("{base}/api/v1/lines"), Some(&token), Some(json!({"device_id": device["id"]})))
            .await;
    let line_id = line["id"].as_str().unwrap().to_string();
    let msisdn = line["msisdn"].as_str().unwrap().to_string();
    let order = api(
        &http,
        "POST",
        format!("{base}/api/v1/orders"),
        Some(&token),
        Some(json!({"line_id": line_id, "package_code": "JP-1GB-3D", "payment_method": "alipay", "currency": "CNY"})),
    )
    .await;
    let paid = http.post(format!("{base}/sandbox/orders/{}/pay", order["id"].as_str().unwrap())).send().await.unwrap();
    assert_eq!(paid.status(), reqwest::StatusCode::NO_CONTENT);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let o =
            api(&http, "GET", format!("{base}/api/v1/orders/{}", order["id"].as_str().unwrap()), Some(&token), None)
                .await;
        if o["status"] == "fulfilled" {
            break;
        }
        assert!(Instant::now() < deadline, "order never fulfilled: {o}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let acknowledged = Arc::new(AtomicU64::new(0));
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    for round in 0..3u32 {
        let mut workers = Vec::new();
        for w in 0..8 {
            workers.push(tokio::spawn(session_loop(gy, msisdn.clone(), round * 100 + w, acknowledged.clone())));
        }
        // Kill at a random moment under load.
        let wait = 300 + (seed.wrapping_mul(round + 7) % 900) as u64;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill();
        for w in workers {
            let _ = w.await;
        }
        server = Server::start(dir.path(), http_port, gy);
        let balance = api(&http, "GET", format!("{base}/api/v1/lines/{line_id}/balance"), Some(&token), None).await;
        let used = balance["bundles"][0]["data"]["used"].as_u64().unwrap();
        let acked = acknowledged.load(Ordering::SeqCst);
        assert!(acked > 0, "round {round}: the load ran");
        assert!(used >= acked, "round {round}: every answered debit is in the ledger ({used} < {acked})");
        assert!(
            used <= acked + 8 * 1000,
            "round {round}: at most the in-flight requests were applied unanswered ({used} vs {acked})"
        );
        let check = Command::new(env!("CARGO_BIN_EXE_keepsim"))
            .arg("check-ledger")
            .env("KEEPSIM_DATA_DIR", dir.path())
            .env("DATABASE_URL", format!("sqlite://{}/keepsim.db", dir.path().display()))
            .output()
            .unwrap();
        assert!(check.status.success(), "round {round}: {}", String::from_utf8_lossy(&check.stdout));
        // What the killed sessions held comes back once their Validity-Time and grace pass.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let balance = api(&http, "GET", format!("{base}/api/v1/lines/{line_id}/balance"), Some(&token), None).await;
            if balance["bundles"][0]["data"]["reserved"] == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "round {round}: reservations leaked: {balance}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    drop(server);
}
