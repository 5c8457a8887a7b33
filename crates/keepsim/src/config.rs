//! Configuration: defaults, then a TOML file (`--config` or `KEEPSIM_CONFIG`),
//! then `KEEPSIM_*` environment variables (and `DATABASE_URL`); the environment wins.
//! Secrets never appear in `Debug` output or logs.

use anyhow::{Context, bail};
use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything keepsim can be told.
#[derive(Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// HTTP listener.
    pub http_listen: SocketAddr,
    /// Prometheus listener.
    pub metrics_listen: SocketAddr,
    /// Data directory (SQLite file, email outbox, sandbox keys).
    pub data_dir: PathBuf,
    /// Where customers and providers reach keepsim (default: `http://` + the bound HTTP address).
    pub public_url: Option<String>,
    /// Catalogue file seeding an empty database (default: the built-in demo).
    pub catalogue_file: Option<PathBuf>,
    /// Seed demo data into an empty database (`KEEPSIM_SEED=none` turns it off).
    pub seed: bool,
    /// How many demo eSIM profiles to seed.
    pub demo_profiles: u64,
    /// Log filter (tracing EnvFilter syntax).
    pub log: String,
    /// Payment settings, by their API.md names without `KEEPSIM_` (secrets included).
    pub payments: BTreeMap<String, String>,
    /// Diameter Gy listener.
    pub diameter_listen: SocketAddr,
    /// Diameter Origin-Host.
    pub diameter_origin_host: String,
    /// Diameter Origin-Realm.
    pub diameter_origin_realm: String,
    /// Diameter peers allowed to connect (comma-separated addresses or networks).
    pub diameter_peers: String,
    /// Validity-Time of grants, seconds.
    pub charging_validity_seconds: i64,
    /// How long after its Validity-Time a silent reservation is returned, seconds.
    pub charging_grace_seconds: i64,
    /// How often timed-out reservations are swept, seconds.
    pub charging_sweep_seconds: u64,
    /// `smtp://user:pass@host:587?tls=starttls`; unset: emails go to `<data dir>/outbox`.
    pub smtp_url: Option<String>,
    /// The From of emails.
    pub smtp_from: String,
    /// The operator's partner webhook endpoint, if any.
    pub webhook_url: Option<String>,
    /// Its `whsec_…` signing secret.
    pub webhook_secret: Option<String>,
}

/// The payment settings API.md names (lower case, without `KEEPSIM_`).
pub const PAYMENT_KEYS: &[&str] = &[
    "payments_mode",
    "card_webhook_secret",
    "card_api_key",
    "card_api_base",
    "alipay_app_id",
    "alipay_private_key_file",
    "alipay_public_key_file",
    "alipay_gateway",
    "wechat_mchid",
    "wechat_apiv3_key",
    "wechat_private_key_file",
    "wechat_cert_serial",
    "wechat_platform_public_key_file",
    "wechat_platform_key_id",
    "wechat_api_base",
    "wechat_appid",
    "order_ttl_minutes",
    "reconcile_after_seconds",
];

/// Settings whose values are secrets: never printed.
const SECRET_KEYS: &[&str] = &["card_webhook_secret", "card_api_key", "wechat_apiv3_key"];

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("http_listen", &self.http_listen)
            .field("metrics_listen", &self.metrics_listen)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field("catalogue_file", &self.catalogue_file)
            .field("seed", &self.seed)
            .field("demo_profiles", &self.demo_profiles)
            .field(
                "payments",
                &self
                    .payments
                    .iter()
                    .map(|(k, v)| {
                        (k.as_str(), if SECRET_KEYS.contains(&k.as_str()) { "<redacted>" } else { v.as_str() })
                    })
                    .collect::<BTreeMap<_, _>>(),
            )
            .finish()
    }
}

/// A URL with its password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_string() };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.find('@') else { return url.to_string() };
    let userinfo = &rest[..at];
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &rest[at..]),
        None => url.to_string(),
    }
}

fn default_data_dir(env: &BTreeMap<String, String>) -> PathBuf {
    if let Some(x) = env.get("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x).join("keepsim");
    }
    if let Some(h) = env.get("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(h).join(".local/share/keepsim");
    }
    PathBuf::from(".keepsim-data")
}

/// Every name the file and the environment accept (file: lower case without `KEEPSIM_`).
const KNOWN: &[&str] = &[
    "database_url",
    "http_listen",
    "metrics_listen",
    "data_dir",
    "public_url",
    "catalogue_file",
    "seed",
    "demo_profiles",
    "log",
    "diameter_listen",
    "diameter_origin_host",
    "diameter_origin_realm",
    "diameter_peers",
    "charging_validity_seconds",
    "charging_grace_seconds",
    "charging_sweep_seconds",
    "smtp_url",
    "smtp_from",
    "webhook_url",
    "webhook_secret",
];

impl Config {
    /// Loads the configuration from `file` (if any) and the process environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        Config::from_sources(file, &env)
    }

    /// Loads from a file and a given environment (tests pass their own).
    pub fn from_sources(file: Option<&Path>, env: &BTreeMap<String, String>) -> anyhow::Result<Config> {
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        let file = file.map(Path::to_path_buf).or_else(|| env.get("KEEPSIM_CONFIG").map(PathBuf::from));
        if let Some(path) = &file {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading config file {}", path.display()))?;
            let table: BTreeMap<String, toml::Value> = toml::from_str(&text).map_err(|e| {
                let line = e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1).unwrap_or(0);
                anyhow::anyhow!("{}:{line}: {}", path.display(), e.message())
            })?;
            for (k, v) in table {
                if !KNOWN.contains(&k.as_str()) && !PAYMENT_KEYS.contains(&k.as_str()) {
                    bail!("{}: unknown setting {k:?}", path.display());
                }
                let s = match v {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                values.insert(k, s);
            }
        }
        for (k, v) in env {
            if let Some(name) = k.strip_prefix("KEEPSIM_") {
                values.insert(name.to_ascii_lowercase(), v.clone());
            }
        }
        if let Some(url) = env.get("DATABASE_URL") {
            values.insert("database_url".into(), url.clone());
        }

        let data_dir = values.get("data_dir").map(PathBuf::from).unwrap_or_else(|| default_data_dir(env));
        let addr = |name: &str, default: &str| -> anyhow::Result<SocketAddr> {
            let v = values.get(name).map(String::as_str).unwrap_or(default);
            v.parse().with_context(|| format!("{name} = {v:?} is not an address such as 127.0.0.1:8080"))
        };
        let http_listen = addr("http_listen", "127.0.0.1:8080")?;
        let metrics_listen = addr("metrics_listen", "127.0.0.1:9090")?;
        let database_url = values
            .get("database_url")
            .cloned()
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("keepsim.db").display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            bail!("DATABASE_URL must start with sqlite:// or postgres:// (got {})", redact_url(&database_url));
        }
        let seed = match values.get("seed").map(String::as_str).unwrap_or("demo") {
            "demo" | "true" => true,
            "none" | "false" => false,
            other => bail!("KEEPSIM_SEED = {other:?}: use demo or none"),
        };
        let demo_profiles = match values.get("demo_profiles") {
            Some(v) => v.parse().with_context(|| format!("demo_profiles = {v:?} is not a number"))?,
            None => 500,
        };
        let payments = values
            .iter()
            .filter(|(k, _)| PAYMENT_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let number = |name: &str, default: i64| -> anyhow::Result<i64> {
            match values.get(name) {
                Some(v) => v
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| format!("{name} = {v:?} is not a positive number")),
                None => Ok(default),
            }
        };
        Ok(Config {
            webhook_url: values.get("webhook_url").cloned().filter(|v| !v.trim().is_empty()),
            webhook_secret: values.get("webhook_secret").cloned().filter(|v| !v.trim().is_empty()),
            smtp_url: values.get("smtp_url").cloned().filter(|v| !v.trim().is_empty()),
            smtp_from: values.get("smtp_from").cloned().unwrap_or_else(|| "keepsim <noreply@keepsim.local>".into()),
            charging_validity_seconds: number("charging_validity_seconds", 600)?,
            charging_grace_seconds: number("charging_grace_seconds", 60)?,
            charging_sweep_seconds: u64::try_from(number("charging_sweep_seconds", 15)?).unwrap_or(15),
            diameter_listen: addr("diameter_listen", "127.0.0.1:3868")?,
            diameter_origin_host: values
                .get("diameter_origin_host")
                .cloned()
                .unwrap_or_else(|| "ocs.keepsim.local".into()),
            diameter_origin_realm: values
                .get("diameter_origin_realm")
                .cloned()
                .unwrap_or_else(|| "keepsim.local".into()),
            diameter_peers: values.get("diameter_peers").cloned().unwrap_or_else(|| "127.0.0.0/8,::1".into()),
            payments,
            public_url: values.get("public_url").cloned(),
            catalogue_file: values.get("catalogue_file").map(PathBuf::from),
            log: values.get("log").cloned().unwrap_or_else(|| "info".into()),
            database_url,
            http_listen,
            metrics_listen,
            data_dir,
            seed,
            demo_profiles,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_configuration() {
        let env = BTreeMap::from([("HOME".to_string(), "/home/ana".to_string())]);
        let c = Config::from_sources(None, &env).unwrap();
        assert_eq!(c.http_listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url, "sqlite:///home/ana/.local/share/keepsim/keepsim.db");
        assert_eq!(c.public_url, None);
        assert!(c.seed);
    }

    #[test]
    fn the_environment_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keepsim.toml");
        std::fs::write(&file, "http_listen = \"127.0.0.1:9000\"\nseed = \"none\"\n").unwrap();
        let env = BTreeMap::from([
            ("KEEPSIM_HTTP_LISTEN".to_string(), "127.0.0.1:9100".to_string()),
            ("DATABASE_URL".to_string(), "postgres://u:secret@db/keepsim".to_string()),
            ("KEEPSIM_CARD_WEBHOOK_SECRET".to_string(), "whsec_topsecret".to_string()),
        ]);
        let c = Config::from_sources(Some(&file), &env).unwrap();
        assert_eq!(c.http_listen.to_string(), "127.0.0.1:9100");
        assert!(!c.seed);
        let shown = format!("{c:?}");
        assert!(!shown.contains("secret@") && !shown.contains("topsecret"), "{shown}");
        assert_eq!(c.payments.get("card_webhook_secret").map(String::as_str), Some("whsec_topsecret"));
        assert!(shown.contains("postgres://u:***@db/keepsim"), "{shown}");
    }

    #[test]
    fn a_bad_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keepsim.toml");
        std::fs::write(&file, "seed = \"demo\"\nhttp_listen = \n").unwrap();
        let e = Config::from_sources(Some(&file), &BTreeMap::new()).unwrap_err().to_string();
        assert!(e.contains("keepsim.toml:2"), "{e}");
    }
}
