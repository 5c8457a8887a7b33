//! The `keepsim` binary: one command line for serving, migrating and importing.

mod config;
mod payments;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use config::Config;
use keepsim_domain::account::Role;
use keepsim_services::Services;
use keepsim_services::catalogue::{demo_catalogue, read_catalogue_file};
use keepsim_services::inventory::{ImportError, ImportOptions, parse_profiles_csv};
use keepsim_store::Store;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

/// keepsim: prepaid travel eSIMs and number keeping in one binary.
///
/// Configuration comes from a TOML file (--config or KEEPSIM_CONFIG) and
/// KEEPSIM_* environment variables (the environment wins); DATABASE_URL picks
/// the backend (sqlite://… by default, postgres://… in production).
#[derive(Debug, Parser)]
#[command(name = "keepsim", version, about, long_about)]
struct Cli {
    /// A TOML configuration file.
    #[arg(long, global = true, env = "KEEPSIM_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run everything: HTTP API, metrics. Migrates and, on first start, seeds demo data.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply a catalogue file to the database (shows what changes first).
    #[command(name = "import-catalog")]
    ImportCatalog {
        /// The catalogue TOML file.
        file: PathBuf,
        /// Only show what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check a catalogue file without touching the database.
    #[command(name = "check-catalog")]
    CheckCatalog {
        /// The catalogue TOML file.
        file: PathBuf,
    },
    /// Import eSIM profiles from a CSV with columns iccid,imsi,msisdn,smdp_address,matching_id.
    #[command(name = "import-profiles")]
    ImportProfiles {
        /// The CSV file.
        file: PathBuf,
        /// Import the valid rows even when some rows are invalid.
        #[arg(long)]
        skip_invalid: bool,
        /// The vendor omits the ICCID check digit (18/19-digit ICCIDs accepted as given).
        #[arg(long)]
        iccid_without_check_digit: bool,
    },
    /// Show eSIM stock per SM-DP+.
    Stock,
    /// Import usage records (CDRs) from a partner network: CSV (record_id,msisdn,imsi,plmn,country,service,units)
    /// or JSON lines. Each record applies once; run it again to resume after an interruption.
    #[command(name = "import-cdrs")]
    ImportCdrs {
        /// The CSV or JSON-lines file.
        file: PathBuf,
    },
    /// Refund an order through its payment provider (the unused bundle is revoked).
    Refund {
        /// The order id.
        order_id: String,
        /// Amount in minor units (fen, cents); default: everything not refunded yet.
        #[arg(long)]
        amount: Option<i64>,
        /// Who asks (kept with the refund).
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Run one fulfilment, expiry and reconciliation pass and exit.
    Housekeeping,
    /// Recompute every bundle's balance from the ledger and report any difference (exit 1 if any).
    #[command(name = "check-ledger")]
    CheckLedger,
    /// Staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// API keys for networks and partners.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
}

#[derive(Debug, Subcommand)]
enum ApiKeyCommand {
    /// Create a key; it is printed once and stored hashed.
    Create {
        /// Comma-separated scopes: network, catalogue:read, orders:write, usage:read.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
        /// The partner the key belongs to.
        #[arg(long)]
        partner: Option<String>,
    },
    /// Revoke a key by id.
    Revoke {
        /// The key's id.
        id: String,
    },
    /// List keys (never their secrets).
    List,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create a staff user. The password is read from stdin, or generated and printed once.
    #[command(name = "create-user")]
    CreateUser {
        /// Their email.
        #[arg(long)]
        email: String,
        /// admin, support or finance.
        #[arg(long)]
        role: String,
    },
}

async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let url = &config.database_url;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = keepsim_store_postgres::PostgresStore::connect(url)
            .await
            .with_context(|| format!("opening {}", config::redact_url(url)))?;
        return Ok(Arc::new(store));
    }
    if let Some(path) = url.strip_prefix("sqlite://")
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let store = keepsim_store_sqlite::SqliteStore::connect(url).await.with_context(|| format!("opening {url}"))?;
    Ok(Arc::new(store))
}

async fn seed(services: &Services, config: &Config) -> anyhow::Result<()> {
    let catalogue = match &config.catalogue_file {
        Some(file) => read_catalogue_file(file)?,
        None => demo_catalogue()?,
    };
    if !config.seed && config.catalogue_file.is_none() {
        return Ok(());
    }
    if services.seed_catalogue(&catalogue).await? {
        println!("Seeded the catalogue: {} packages, {} regions.", catalogue.packages.len(), catalogue.regions.len());
    }
    if config.seed {
        let added = services.seed_demo_inventory(config.demo_profiles).await?;
        if added > 0 {
            println!("Seeded {added} demo eSIM profiles (SM-DP+ {}).", keepsim_services::inventory::DEMO_SMDP);
        }
    }
    Ok(())
}

/// Waits for Ctrl-C or SIGTERM. The handlers are installed when this is called, so call it
/// before announcing that the server runs (a SIGTERM right after the banner must stop it gracefully).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let ctrl_c = tokio::signal::ctrl_c();
    async move {
        #[cfg(unix)]
        let term = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // The catalogue file is checked before anything else: a malformed one stops start-up.
    if let Some(file) = &config.catalogue_file {
        read_catalogue_file(file)?;
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating {}", config.data_dir.display()))?;
    // Bind first: a busy port must fail before anything is seeded or printed once.
    let http = tokio::net::TcpListener::bind(config.http_listen)
        .await
        .with_context(|| format!("listening on {} (KEEPSIM_HTTP_LISTEN)", config.http_listen))?;
    let metrics_listener = tokio::net::TcpListener::bind(config.metrics_listen)
        .await
        .with_context(|| format!("listening on {} (KEEPSIM_METRICS_LISTEN)", config.metrics_listen))?;
    let diameter = tokio::net::TcpListener::bind(config.diameter_listen)
        .await
        .with_context(|| format!("listening on {} (KEEPSIM_DIAMETER_LISTEN)", config.diameter_listen))?;
    let diameter_peers = keepsim_gy::AllowList::parse(&config.diameter_peers).context("KEEPSIM_DIAMETER_PEERS")?;
    let public_url = config.public_url.clone().unwrap_or(format!("http://{}", http.local_addr()?));
    let store = open_store(&config).await?;
    let (payment_settings, sandbox) = payments::settings(&config, &public_url)?;
    let mailer = Arc::new(
        keepsim_channels::Mailer::from_config(
            config.smtp_url.as_deref(),
            &config.smtp_from,
            &config.data_dir.join("outbox"),
        )
        .context("KEEPSIM_SMTP_URL / KEEPSIM_SMTP_FROM")?,
    );
    let partner_webhook = match (&config.webhook_url, &config.webhook_secret) {
        (Some(url), Some(secret)) => Some(keepsim_services::notifications::PartnerWebhook {
            url: keepsim_channels::webhook::endpoint_url(url).context("KEEPSIM_WEBHOOK_URL")?,
            secret: keepsim_channels::WebhookSecret::parse(secret).context("KEEPSIM_WEBHOOK_SECRET")?,
        }),
        (None, None) => None,
        _ => bail!("KEEPSIM_WEBHOOK_URL and KEEPSIM_WEBHOOK_SECRET go together"),
    };
    let services = Services::new(store).with_payments(payment_settings).with_mailer(mailer.clone());
    services.start_charging(keepsim_services::charging::ChargingConfig {
        validity: time::Duration::seconds(config.charging_validity_seconds),
        grace: time::Duration::seconds(config.charging_grace_seconds),
        ..Default::default()
    });
    seed(&services, &config).await?;
    if let Some((email, password)) = services.bootstrap_admin().await? {
        println!("Created the first admin: {email}");
        println!("One-time password (shown only now): {password}");
    }
    let metrics = Arc::new(keepsim_web::metrics::Metrics::default().with_charging(services.charging()));
    let state = keepsim_web::AppState {
        services: services.clone(),
        config: Arc::new(keepsim_web::WebConfig { secure_cookies: public_url.starts_with("https://") }),
        metrics: metrics.clone(),
        sandbox: sandbox.clone(),
        http: reqwest::Client::new(),
        page_key: Arc::new(tokio::sync::OnceCell::new()),
    };
    if sandbox.is_some() {
        println!(
            "Payments: sandbox mode (built-in gateway; checkout pages at {public_url}/sandbox/checkout/<order id>)."
        );
    }
    let stop_requested = shutdown_signal();
    println!(
        "keepsim is running at {public_url} (API: {public_url}/api/v1, metrics: http://{}/metrics, Diameter Gy: {})",
        metrics_listener.local_addr()?,
        diameter.local_addr()?
    );
    let (tx, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut rx_metrics = tx.subscribe();
    let metrics_task = tokio::spawn(async move {
        keepsim_web::serve(metrics_listener, keepsim_web::metrics::router(metrics), async move {
            let _ = rx_metrics.recv().await;
        })
        .await
    });
    let mut rx_http = tx.subscribe();
    let http_task = tokio::spawn(keepsim_web::serve(http, keepsim_web::router(state), async move {
        let _ = rx_http.recv().await;
    }));
    let (stop_workers, workers_stopped) = tokio::sync::watch::channel(false);
    let gy_app = Arc::new(keepsim_gy::GyApp::new(
        services.clone(),
        &config.diameter_origin_host,
        &config.diameter_origin_realm,
        keepsim_gy::RatingGroups::default(),
        4096,
    ));
    let gy_config = keepsim_gy::GyConfig {
        local: keepsim_diameter::gy::LocalPeer::new(
            config.diameter_origin_host.clone(),
            config.diameter_origin_realm.clone(),
            vec![diameter.local_addr()?.ip()],
        ),
        peers: diameter_peers,
        max_connections: 256,
        max_message_len: 64 * 1024,
    };
    let gy = tokio::spawn(keepsim_gy::serve(diameter, gy_config, gy_app.clone(), workers_stopped.clone()));
    let mailer = keepsim_channels::Mailer::from_config(
        config.smtp_url.as_deref(),
        &config.smtp_from,
        &config.data_dir.join("outbox"),
    )
    .context("KEEPSIM_SMTP_URL / KEEPSIM_SMTP_FROM")?;
    println!("Email: {mailer}");
    let webhooks = {
        let services = services.clone();
        let mut stopped = workers_stopped.clone();
        tokio::spawn(async move {
            let Some(hook) = partner_webhook else { return };
            let Ok(sender) = keepsim_channels::WebhookSender::new() else { return };
            loop {
                if let Err(e) = services.deliver_webhooks(&hook, &sender).await {
                    tracing::warn!(error = %e, "webhook delivery pass failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                    _ = stopped.changed() => return,
                }
            }
        })
    };
    let emails = {
        let services = services.clone();
        let mut stopped = workers_stopped.clone();
        tokio::spawn(async move {
            loop {
                // Email never blocks charging or fulfilment: it has its own worker and retries.
                if let Err(e) = services.deliver_emails(&mailer).await {
                    tracing::warn!(error = %e, "email delivery pass failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                    _ = stopped.changed() => return,
                }
            }
        })
    };
    let sweep_every = config.charging_sweep_seconds.max(1);
    let charging_sweep = {
        let services = services.clone();
        let gy_app = gy_app.clone();
        let mut stopped = workers_stopped.clone();
        tokio::spawn(async move {
            loop {
                let now = services.clock.now();
                services.charging().sweep(now).await;
                if let Err(e) = services.charging().sweep_stored(now).await {
                    tracing::warn!(error = %e, "sweeping stored reservations failed");
                }
                gy_app.prune_sessions(now, time::Duration::hours(2));
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(sweep_every)) => {}
                    _ = stopped.changed() => return,
                }
            }
        })
    };
    let fulfilment = {
        let services = services.clone();
        let stopped = workers_stopped.clone();
        tokio::spawn(async move { services.fulfilment_worker(std::time::Duration::from_secs(1), stopped).await })
    };
    let housekeeping = {
        let services = services.clone();
        let mut stopped = workers_stopped.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = services.expire_orders().await {
                    tracing::warn!(error = %e, "expiring orders failed");
                }
                if let Err(e) = services.reconcile().await {
                    tracing::warn!(error = %e, "reconciliation failed");
                }
                if let Err(e) = services.sweep_expiry().await {
                    tracing::warn!(error = %e, "expiry sweep failed");
                }
                if let Err(e) = services.sweep_lines().await {
                    tracing::warn!(error = %e, "line lifecycle sweep failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(10)) => {}
                    _ = stopped.changed() => return,
                }
            }
        })
    };
    stop_requested.await;
    tracing::info!("shutting down");
    let _ = stop_workers.send(true);
    let _ = tx.send(());
    let _ = fulfilment.await;
    let _ = housekeeping.await;
    let _ = gy.await;
    let _ = charging_sweep.await;
    let _ = emails.await;
    let _ = webhooks.await;
    http_task.await??;
    metrics_task.await??;
    Ok(())
}

/// Services for a one-shot command, with payments configured as `serve` would.
async fn cli_services(config: &Config) -> anyhow::Result<Services> {
    let public_url = config.public_url.clone().unwrap_or(format!("http://{}", config.http_listen));
    let (settings, _) = payments::settings(config, &public_url)?;
    Ok(Services::new(open_store(config).await?).with_payments(settings))
}

fn read_password() -> anyhow::Result<Option<String>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(None);
    }
    let mut s = String::new();
    stdin.lock().read_to_string(&mut s)?;
    let p = s.trim_end_matches(['\n', '\r']).to_string();
    Ok((!p.is_empty()).then_some(p))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&config.log).unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            open_store(&config).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::CheckCatalog { file } => {
            let c = read_catalogue_file(&file)?;
            println!("{}: {} packages, {} regions, OK", file.display(), c.packages.len(), c.regions.len());
            Ok(())
        }
        Command::ImportCatalog { file, dry_run } => {
            let next = read_catalogue_file(&file)?;
            let services = Services::new(open_store(&config).await?);
            let diff = services.catalogue_diff(&next).await?;
            print!("{diff}");
            if dry_run || diff.is_empty() {
                return Ok(());
            }
            services.import_catalogue(&next).await?;
            println!("Applied {}.", file.display());
            Ok(())
        }
        Command::ImportProfiles { file, skip_invalid, iccid_without_check_digit } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let options = ImportOptions { skip_invalid, iccid_without_check_digit };
            let name = file.display().to_string();
            let parsed = parse_profiles_csv(&text, options).map_err(|e| anyhow::anyhow!("{name}:{e}"))?;
            let services = Services::new(open_store(&config).await?);
            let mut last = 0;
            let mut progress = |done: u64, total: u64| {
                let pct = (done * 100).checked_div(total).unwrap_or(100);
                if pct >= last + 10 || done == total {
                    last = pct;
                    eprintln!("imported {done}/{total} ({pct}%)");
                }
            };
            match services.import_profiles(parsed, options, &mut progress).await {
                Ok(report) => {
                    for e in &report.skipped {
                        eprintln!("{name}:{}: skipped: {}", e.line, e.reason);
                    }
                    println!(
                        "Imported {} profiles from {name}; skipped {} rows.",
                        report.imported,
                        report.skipped.len()
                    );
                    Ok(())
                }
                Err(ImportError::InvalidRows(errors)) => {
                    for e in &errors {
                        eprintln!("{name}:{}: {}", e.line, e.reason);
                    }
                    bail!(
                        "{name}: {} invalid row(s); nothing was imported (use --skip-invalid to import the valid rows)",
                        errors.len()
                    )
                }
                Err(e) => Err(anyhow::anyhow!("{name}: {e}")),
            }
        }
        Command::ImportCdrs { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.display().to_string();
            let (rows, errors) = keepsim_services::cdr::parse_cdrs(&text);
            let services = Services::new(open_store(&config).await?);
            let mut last = 0;
            let mut progress = |done: u64, total: u64| {
                let pct = (done * 100).checked_div(total).unwrap_or(100);
                if pct >= last + 10 || done == total {
                    last = pct;
                    eprintln!("imported {done}/{total} ({pct}%)");
                }
            };
            let report = services.import_cdrs(rows, errors, &mut progress).await?;
            for e in &report.errors {
                eprintln!("{name}:{}: {}", e.line, e.reason);
            }
            println!(
                "Applied {} records ({} already applied earlier): {} units debited, {} overage; {} refused.",
                report.applied,
                report.already,
                report.debited,
                report.overage,
                report.errors.len()
            );
            if !report.errors.is_empty() {
                bail!("{name}: {} record(s) refused; the others were applied", report.errors.len());
            }
            Ok(())
        }
        Command::Stock => {
            let services = Services::new(open_store(&config).await?);
            let mut out = std::io::stdout().lock();
            writeln!(out, "{:<40} {:>10} {:>10} {:>10}", "SM-DP+", "available", "assigned", "retired")?;
            for s in services.inventory_stock().await? {
                writeln!(out, "{:<40} {:>10} {:>10} {:>10}", s.smdp_address, s.available, s.assigned, s.retired)?;
            }
            Ok(())
        }
        Command::Refund { order_id, amount, by } => {
            let id = uuid::Uuid::parse_str(&order_id).with_context(|| format!("{order_id:?} is not an order id"))?;
            let services = cli_services(&config).await?;
            let refund = services.refund_order(id, amount, &by).await?;
            println!("Refund {} of {} minor units: {}.", refund.refund_no, refund.amount_minor, refund.status);
            Ok(())
        }
        Command::CheckLedger => {
            let store = open_store(&config).await?;
            let differences = store.check_ledger().await?;
            if differences.is_empty() {
                println!("The ledger explains every balance: no difference.");
                return Ok(());
            }
            for d in &differences {
                println!(
                    "bundle {} {}: the bundle says {} remain, the ledger adds up to {}",
                    d.bundle_id,
                    d.service.as_str(),
                    d.recorded,
                    d.from_ledger
                );
            }
            bail!("{} difference(s) between balances and the ledger", differences.len())
        }
        Command::Housekeeping => {
            let services = cli_services(&config).await?;
            let mut fulfilled = 0;
            while services.fulfil_next().await?.is_some() {
                fulfilled += 1;
            }
            let expired = services.expire_orders().await?;
            let reconciled = services.reconcile().await?;
            println!("Fulfilled {fulfilled}, expired or closed {expired}, reconciled {reconciled}.");
            Ok(())
        }
        Command::ApiKey(cmd) => {
            let services = Services::new(open_store(&config).await?);
            match cmd {
                ApiKeyCommand::Create { scope, partner } => {
                    let key = services.create_api_key(&scope, partner.as_deref()).await?;
                    println!("Created API key {} with scopes {}.", key.record.id, key.record.scopes.join(","));
                    println!("Key (shown only now): {}", key.secret);
                }
                ApiKeyCommand::Revoke { id } => {
                    let id = uuid::Uuid::parse_str(&id).with_context(|| format!("{id:?} is not a key id"))?;
                    services.revoke_api_key(id).await?;
                    println!("Revoked {id}.");
                }
                ApiKeyCommand::List => {
                    for k in services.api_keys().await? {
                        let state = if k.revoked_at.is_some() { "revoked" } else { "active" };
                        println!(
                            "{}  {}…  {:<40}  {}  {}",
                            k.id,
                            k.prefix,
                            k.scopes.join(","),
                            k.partner_id.as_deref().unwrap_or("-"),
                            state
                        );
                    }
                }
            }
            Ok(())
        }
        Command::Admin(AdminCommand::CreateUser { email, role }) => {
            let role =
                Role::parse(&role).with_context(|| format!("unknown role {role:?}: use admin, support or finance"))?;
            let password = read_password()?;
            let services = Services::new(open_store(&config).await?);
            let (staff, generated) = services.create_staff(&email, role, password).await?;
            println!("Created {} ({}).", staff.email, staff.role.as_str());
            if let Some(p) = generated {
                println!("Password (shown only now): {p}");
            }
            Ok(())
        }
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("keepsim: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepsim: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
