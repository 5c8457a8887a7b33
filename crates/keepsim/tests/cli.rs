//! End-to-end tests of the `keepsim` binary: each test runs the real command
//! line in its own data directory and checks what an operator would see.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const HEADER: &str = "iccid,imsi,msisdn,smdp_address,matching_id";
const SMDP: &str = "rsp.example.com";
const DEMO_CATALOGUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../services/catalogue/demo.toml");

/// What a finished command printed and how it ended.
#[derive(Debug)]
struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

/// A scratch keepsim installation: its own data directory and SQLite database.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("temp dir") }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write file");
        path
    }

    /// `keepsim ARGS` with only this sandbox's configuration in its environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_keepsim"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("KEEPSIM_") {
                cmd.env_remove(&key);
            }
        }
        cmd.args(args)
            .env_remove("KEEPSIM_CONFIG")
            .env("KEEPSIM_DATA_DIR", self.dir.path())
            .env("DATABASE_URL", format!("sqlite://{}", self.path("keepsim.db").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        finish(self.command(args), None)
    }

    fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        finish(self.command(args), Some(input))
    }

    /// `keepsim stock` as SM-DP+ → (available, assigned, retired).
    fn stock(&self) -> BTreeMap<String, (u64, u64, u64)> {
        let run = self.run(&["stock"]);
        assert!(run.success, "keepsim stock failed: {run:#?}");
        let mut lines = run.stdout.lines();
        let header = lines.next().unwrap_or_default();
        assert!(header.contains("SM-DP+") && header.contains("available"), "{run:#?}");
        lines
            .map(|line| {
                let cols: Vec<&str> = line.split_whitespace().collect();
                assert_eq!(cols.len(), 4, "unexpected stock line {line:?}");
                let n = |i: usize| cols[i].parse::<u64>().expect("a count");
                (cols[0].to_string(), (n(1), n(2), n(3)))
            })
            .collect()
    }

    /// Starts `keepsim serve` on free ports; its stderr goes to a file in the sandbox.
    fn serve(&self, name: &str) -> Server {
        let (http, metrics) = (free_port(), free_port());
        let log = self.path(&format!("{name}.stderr"));
        let mut cmd = self.command(&["serve"]);
        cmd.env("KEEPSIM_HTTP_LISTEN", format!("127.0.0.1:{http}"))
            .env("KEEPSIM_METRICS_LISTEN", format!("127.0.0.1:{metrics}"))
            .env("KEEPSIM_DIAMETER_LISTEN", "127.0.0.1:0")
            .stderr(std::fs::File::create(&log).expect("log file"));
        let mut child = cmd.spawn().expect("spawn keepsim serve");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server { child, lines, http, metrics, log }
    }
}

/// A running `keepsim serve`.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    http: u16,
    metrics: u16,
    log: PathBuf,
}

impl Server {
    /// The stdout lines up to and including the one announcing it is running.
    fn wait_until_running(&mut self) -> Vec<String> {
        let banner = format!("keepsim is running at http://127.0.0.1:{}", self.http);
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    let done = line.contains(&banner);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                panic!("keepsim serve exited with {status} before running; stdout {seen:#?}\n{}", self.stderr());
            }
        }
        let _ = self.child.kill();
        panic!("no {banner:?} within 60 s; stdout {seen:#?}\n{}", self.stderr());
    }

    fn stderr(&self) -> String {
        format!("stderr:\n{}", std::fs::read_to_string(&self.log).unwrap_or_default())
    }

    /// Sends SIGTERM and waits for a clean exit.
    fn stop(mut self) {
        let status = Command::new("kill").arg(self.child.id().to_string()).status().expect("run kill");
        assert!(status.success(), "kill failed");
        let status = wait_with_timeout(&mut self.child, Duration::from_secs(30));
        assert!(status.success(), "keepsim serve exited with {status} on SIGTERM\n{}", self.stderr());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `cmd` to completion (at most 120 s), feeding it `input` on stdin.
fn finish(mut cmd: Command, input: Option<&str>) -> Run {
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("spawn keepsim");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input.as_bytes()).expect("write stdin");
    }
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut s = String::new();
            pipe.read_to_string(&mut s).expect("read output");
            s
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read_all(Box::new(child.stderr.take().expect("stderr")));
    let status = wait_with_timeout(&mut child, Duration::from_secs(120));
    Run {
        success: status.success(),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("keepsim did not exit within {limit:?}");
        }
        thread::sleep(Duration::from_millis(50));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A plain HTTP/1.1 GET: the status code and the body.
fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let (head, body) = response.split_once("\r\n\r\n").expect("a complete response");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status line");
    assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "chunked: {head}");
    (status, body.to_string())
}

/// The Luhn check digit to append to `payload`.
fn luhn(payload: &str) -> u32 {
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// The n-th valid test ICCID (test issuer 89 001 01, 20 digits).
fn iccid(n: u64) -> String {
    let payload = format!("8900101{n:012}");
    format!("{payload}{}", luhn(&payload))
}

/// The n-th valid profile row on rsp.example.com.
fn row(n: u64) -> String {
    format!("{},00101{n:010},85290{n:06},{SMDP},M-{n}", iccid(n))
}

fn csv(rows: &[String]) -> String {
    let mut text = format!("{HEADER}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text
}

/// Three good rows (lines 2, 4, 6) and five bad ones, each with its line and a word of its reason.
fn mixed_csv() -> (String, Vec<(u64, &'static str)>) {
    let good = iccid(2);
    let last = good.as_bytes()[good.len() - 1] - b'0';
    let bad_check = format!("{}{}", &good[..good.len() - 1], (last + 1) % 10);
    let text = csv(&[
        row(1),                                                                  // line 2
        format!("{bad_check},001010000000002,85290000002,{SMDP},M-2"),           // line 3
        row(3),                                                                  // line 4
        format!("{},00101ABC0000004,85290000004,{SMDP},M-4", iccid(4)),          // line 5
        row(5),                                                                  // line 6
        format!("{},001010000000006,85290,{SMDP},M-6", iccid(6)),                // line 7
        format!("{},001010000000007,85290000007,rsp_example.com,M-7", iccid(7)), // line 8
        format!("{},001010000000009,85290000009,{SMDP},M-9", iccid(1)),          // line 9
    ]);
    let bad = vec![(3, "check digit"), (5, "imsi"), (7, "msisdn"), (8, "smdp_address"), (9, "twice")];
    (text, bad)
}

/// The stderr line that starts with `prefix`.
fn line_starting<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines().find(|l| l.starts_with(prefix))
}

#[test]
fn import_profiles_reports_every_bad_row_with_its_line_and_imports_nothing() {
    let sb = Sandbox::new();
    let (text, bad) = mixed_csv();
    let file = sb.write("batch.csv", &text);
    let name = file.display().to_string();

    let run = sb.run(&["import-profiles", &name]);

    assert!(!run.success, "{run:#?}");
    for (line, reason) in &bad {
        let reported = line_starting(&run.stderr, &format!("{name}:{line}: "))
            .unwrap_or_else(|| panic!("line {line} not reported: {run:#?}"));
        assert!(reported.to_lowercase().contains(reason), "line {line} should mention {reason:?}: {reported}");
    }
    for good in [2, 4, 6] {
        assert!(line_starting(&run.stderr, &format!("{name}:{good}:")).is_none(), "{run:#?}");
    }
    assert!(run.stderr.contains("5 invalid row(s)") && run.stderr.contains("nothing was imported"), "{run:#?}");
    assert!(!sb.stock().contains_key(SMDP), "nothing may be imported from a file with bad rows");
}

#[test]
fn import_profiles_with_skip_invalid_imports_the_good_rows() {
    let sb = Sandbox::new();
    let (text, bad) = mixed_csv();
    let file = sb.write("batch.csv", &text);
    let name = file.display().to_string();

    let run = sb.run(&["import-profiles", "--skip-invalid", &name]);
    assert!(run.success, "{run:#?}");
    assert!(run.stdout.contains(&format!("Imported 3 profiles from {name}; skipped 5 rows.")), "{run:#?}");
    for (line, _) in &bad {
        assert!(line_starting(&run.stderr, &format!("{name}:{line}: skipped: ")).is_some(), "{run:#?}");
    }
    assert_eq!(sb.stock().get(SMDP), Some(&(3, 0, 0)));

    // The same batch again: the good rows are already in the inventory and are refused…
    let again = sb.run(&["import-profiles", &name]);
    assert!(!again.success, "{again:#?}");
    for line in [2, 4, 6] {
        let reported =
            line_starting(&again.stderr, &format!("{name}:{line}: ")).unwrap_or_else(|| panic!("{again:#?}"));
        assert!(reported.contains("already in the inventory"), "{reported}");
    }
    assert!(again.stderr.contains("8 invalid row(s)"), "{again:#?}");

    // …and skipping them imports nothing twice.
    let skip = sb.run(&["import-profiles", "--skip-invalid", &name]);
    assert!(skip.success, "{skip:#?}");
    assert!(skip.stdout.contains(&format!("Imported 0 profiles from {name}; skipped 8 rows.")), "{skip:#?}");
    let reported = line_starting(&skip.stderr, &format!("{name}:2: skipped: ")).expect("line 2 skipped");
    assert!(reported.contains(&format!("iccid {} is already in the inventory", iccid(1))), "{reported}");
    assert_eq!(sb.stock().get(SMDP), Some(&(3, 0, 0)));
}

#[test]
fn import_profiles_shows_progress_on_a_large_file() {
    let sb = Sandbox::new();
    let rows: Vec<String> = (1..=3000).map(row).collect();
    let file = sb.write("large.csv", &csv(&rows));
    let name = file.display().to_string();

    let run = sb.run(&["import-profiles", &name]);

    assert!(run.success, "{run:#?}");
    assert!(run.stderr.contains("imported 3000/3000 (100%)"), "{run:#?}");
    let progress: Vec<u64> =
        run.stderr.lines().filter_map(|l| l.strip_prefix("imported ")?.split_once("/3000")?.0.parse().ok()).collect();
    assert!(progress.len() >= 2 && progress[0] < 3000, "no intermediate progress: {run:#?}");
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "progress must grow: {progress:?}");
    assert!(run.stdout.contains(&format!("Imported 3000 profiles from {name}; skipped 0 rows.")), "{run:#?}");
    assert_eq!(sb.stock().get(SMDP), Some(&(3000, 0, 0)));
}

/// A catalogue whose only mistake is the unknown country "XX" on line 10.
const BAD_CATALOGUE: &str = r#"[[region]]
id = "asia"
cldr = "142"
countries = ["JP", "KR"]

[[package]]
code = "TEST-1GB-7D"
name = "Test 1 GB · 7 days"
tier = "basic"
countries = ["JP", "XX"]
data = "1GB"
validity_days = 7
prices = { USD = "1.00" }
"#;

#[test]
fn a_malformed_catalogue_stops_start_up_with_file_line_and_reason() {
    let sb = Sandbox::new();
    let file = sb.write("catalogue.toml", BAD_CATALOGUE);
    let name = file.display().to_string();
    let where_ = format!("{name}:10:");

    let mut serve = sb.command(&["serve"]);
    serve
        .env("KEEPSIM_CATALOGUE_FILE", &file)
        .env("KEEPSIM_HTTP_LISTEN", "127.0.0.1:0")
        .env("KEEPSIM_METRICS_LISTEN", "127.0.0.1:0")
        .env("KEEPSIM_DIAMETER_LISTEN", "127.0.0.1:0");
    let started = Instant::now();
    let run = finish(serve, None);
    assert!(!run.success, "{run:#?}");
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    assert!(run.stderr.contains(&where_) && run.stderr.contains("\"XX\""), "{run:#?}");
    assert!(!run.stdout.contains("keepsim is running"), "{run:#?}");
    assert!(!sb.path("keepsim.db").exists(), "the catalogue is checked before the database is touched");

    let check = sb.run(&["check-catalog", &name]);
    assert!(!check.success, "{check:#?}");
    assert!(check.stderr.contains(&where_) && check.stderr.contains("\"XX\""), "{check:#?}");

    let demo = sb.run(&["check-catalog", DEMO_CATALOGUE]);
    assert!(demo.success, "{demo:#?}");
    assert!(demo.stdout.contains("packages") && demo.stdout.trim_end().ends_with("OK"), "{demo:#?}");
}

/// The span of `[[package]]` with `code` in a catalogue file, up to the next table.
fn package_block(text: &str, code: &str) -> std::ops::Range<usize> {
    let at = text.find(&format!("code = \"{code}\"")).unwrap_or_else(|| panic!("no package {code}"));
    let start = text[..at].rfind("[[package]]").expect("package header");
    let end = text[at..].find("\n[[").map_or(text.len(), |i| at + i + 1);
    start..end
}

#[test]
fn import_catalog_shows_the_diff_then_applies_it() {
    let sb = Sandbox::new();
    let migrate = sb.run(&["migrate"]);
    assert!(migrate.success, "{migrate:#?}");
    assert!(migrate.stdout.contains("Database is up to date."), "{migrate:#?}");

    let demo = std::fs::read_to_string(DEMO_CATALOGUE).expect("demo catalogue");
    let first = sb.run(&["import-catalog", DEMO_CATALOGUE]);
    assert!(first.success, "{first:#?}");
    let added = first.stdout.lines().filter(|l| l.starts_with("+ package ")).count();
    assert_eq!(added, demo.matches("[[package]]").count(), "{first:#?}");
    assert!(first.stdout.lines().any(|l| l == "+ package JP-5GB-7D"), "{first:#?}");
    assert!(first.stdout.contains(&format!("Applied {DEMO_CATALOGUE}.")), "{first:#?}");

    let same = sb.run(&["import-catalog", "--dry-run", DEMO_CATALOGUE]);
    assert!(same.success, "{same:#?}");
    assert_eq!(same.stdout.trim(), "no changes", "an applied file must read back unchanged");

    // A new price for JP-5GB-7D, and JP-1GB-3D dropped.
    let mut next = demo.clone();
    let block = package_block(&next, "JP-5GB-7D");
    let repriced = next[block.clone()].replacen("CNY = \"72.00\"", "CNY = \"69.00\"", 1);
    assert_ne!(repriced, next[block.clone()], "the JP-5GB-7D CNY price should be 72.00");
    next.replace_range(block, &repriced);
    let block = package_block(&next, "JP-1GB-3D");
    next.replace_range(block, "");
    let file = sb.write("next.toml", &next);
    let name = file.display().to_string();

    for _ in 0..2 {
        let dry = sb.run(&["import-catalog", "--dry-run", &name]);
        assert!(dry.success, "{dry:#?}");
        let lines: Vec<&str> = dry.stdout.lines().collect();
        assert!(lines.contains(&"~ package JP-5GB-7D"), "{dry:#?}");
        assert!(lines.iter().any(|l| l.starts_with("- package JP-1GB-3D")), "{dry:#?}");
        assert_eq!(lines.len(), 2, "only those two changes: {dry:#?}");
        assert!(!dry.stdout.contains("Applied"), "{dry:#?}");
    }

    let apply = sb.run(&["import-catalog", &name]);
    assert!(apply.success, "{apply:#?}");
    assert!(apply.stdout.contains("~ package JP-5GB-7D"), "{apply:#?}");
    assert!(apply.stdout.contains(&format!("Applied {name}.")), "{apply:#?}");

    let after = sb.run(&["import-catalog", "--dry-run", &name]);
    assert!(after.success, "{after:#?}");
    assert_eq!(after.stdout.trim(), "no changes", "{after:#?}");
}

#[test]
fn serve_starts_on_an_empty_database_seeds_demo_data_and_prints_the_admin_password_once() {
    let sb = Sandbox::new();
    let mut server = sb.serve("first");
    let stdout = server.wait_until_running().join("\n");
    assert!(stdout.contains("One-time password"), "{stdout}");
    assert!(stdout.contains("Seeded"), "{stdout}");

    let (status, body) = http_get(server.http, "/healthz");
    assert_eq!((status, body.as_str()), (200, "ok"));

    let (status, body) = http_get(server.http, "/api/v1/packages?country=JP");
    assert_eq!(status, 200, "{body}");
    let packages: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let packages = packages.as_array().expect("a JSON array of packages");
    assert!(!packages.is_empty(), "{body}");
    for p in packages {
        let coverage = p["coverage"].as_array().expect("coverage");
        assert!(coverage.iter().any(|c| c == "JP"), "{p} does not cover JP");
    }

    let (status, body) = http_get(server.metrics, "/metrics");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("keepsim_http_requests_total"), "{body}");
    server.stop();

    let mut again = sb.serve("second");
    let stdout = again.wait_until_running().join("\n");
    assert!(!stdout.contains("One-time password"), "{stdout}");
    assert!(!stdout.contains("Seeded"), "{stdout}");
    again.stop();
}

#[test]
fn admin_create_user_reads_the_password_from_stdin() {
    let sb = Sandbox::new();
    let create = |email: &str, role: &str, stdin: &str| {
        sb.run_with_stdin(&["admin", "create-user", "--email", email, "--role", role], stdin)
    };

    let run = create("ops@example.com", "support", "a-strong-password-123\n");
    assert!(run.success, "{run:#?}");
    assert!(run.stdout.contains("Created ops@example.com (support)"), "{run:#?}");
    assert!(!run.stdout.contains("Password"), "a given password is never printed: {run:#?}");

    let king = create("king@example.com", "king", "a-strong-password-123\n");
    assert!(!king.success, "{king:#?}");
    assert!(king.stderr.contains("king"), "{king:#?}");

    let twice = create("ops@example.com", "support", "another-strong-password\n");
    assert!(!twice.success, "{twice:#?}");
    assert!(twice.stderr.contains("already exists"), "{twice:#?}");

    // Without a password on stdin one is generated and shown once.
    let generated = create("books@example.com", "finance", "");
    assert!(generated.success, "{generated:#?}");
    assert!(generated.stdout.contains("Created books@example.com (finance)"), "{generated:#?}");
    assert!(generated.stdout.contains("Password (shown only now): "), "{generated:#?}");
}

#[test]
fn help_documents_every_command() {
    let sb = Sandbox::new();
    let run = sb.run(&["--help"]);
    assert!(run.success, "{run:#?}");
    for command in ["serve", "migrate", "import-catalog", "check-catalog", "import-profiles", "stock", "admin"] {
        assert!(run.stdout.lines().any(|l| l.trim_start().starts_with(command)), "{command} missing: {run:#?}");
    }

    let admin = sb.run(&["admin", "--help"]);
    assert!(admin.success, "{admin:#?}");
    assert!(admin.stdout.contains("create-user"), "{admin:#?}");
}

#[test]
fn a_matching_id_already_in_stock_is_refused_and_the_batch_imports_nothing() {
    let sb = Sandbox::new();
    let first = sb.write("first.csv", &csv(&[row(1), row(2), row(3)]));
    assert!(sb.run(&["import-profiles", &first.display().to_string()]).success);

    // New ICCIDs, but line 3 reuses the matching id of profile 2 on the same SM-DP+.
    let clash = format!("{},00101{:010},85290{:06},{SMDP},M-2", iccid(12), 12, 12);
    let second = sb.write("second.csv", &csv(&[row(11), clash, row(13)]));
    let name = second.display().to_string();
    let run = sb.run(&["import-profiles", &name]);
    assert!(!run.success, "{run:#?}");
    let reported = line_starting(&run.stderr, &format!("{name}:3: ")).unwrap_or_else(|| panic!("{run:#?}"));
    assert!(reported.contains("matching_id M-2"), "{reported}");
    assert_eq!(sb.stock().get(SMDP), Some(&(3, 0, 0)), "nothing from the second file");

    let skip = sb.run(&["import-profiles", "--skip-invalid", &name]);
    assert!(skip.stdout.contains(&format!("Imported 2 profiles from {name}; skipped 1 rows.")), "{skip:#?}");
    assert_eq!(sb.stock().get(SMDP), Some(&(5, 0, 0)));
}

#[test]
fn import_cdrs_reports_refused_records_by_line_and_exits_non_zero() {
    let sb = Sandbox::new();
    assert!(sb.run(&["migrate"]).success);
    let file = sb.write(
        "cdrs.csv",
        "record_id,msisdn,imsi,plmn,country,service,units\nr1,85200000001,,44010,,data,10\nr2,85200000001,,44010,,data,many\n",
    );
    let name = file.display().to_string();
    let run = sb.run(&["import-cdrs", &name]);
    assert!(!run.success, "{run:#?}");
    assert!(
        line_starting(&run.stderr, &format!("{name}:2: ")).is_some_and(|l| l.contains("no line has that number")),
        "{run:#?}"
    );
    assert!(line_starting(&run.stderr, &format!("{name}:3: ")).is_some_and(|l| l.contains("units")), "{run:#?}");
    assert!(run.stdout.contains("Applied 0 records"), "{run:#?}");
}
