//! Sandbox keys and wiring: on first start keepsim generates its own merchant
//! keys and the stand-ins' "provider" keys into the data directory, then wires
//! the real API clients to the stand-ins and the real verifiers to their keys.

use super::Sandbox;
use super::alipay::AlipaySandbox;
use super::card::CardSandbox;
use super::wechat::WechatSandbox;
use crate::alipay::AlipayClient;
use crate::card::CardClient;
use crate::keys::{self, KeyError};
use crate::wechat::{WechatClient, WechatConfig};
use crate::{Gateway, Method};
use rand::Rng;
use rand::distributions::Alphanumeric;
use rsa::RsaPrivateKey;
use rsa::RsaPublicKey;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Why the sandbox could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A key file could not be read, written or generated.
    #[error("sandbox keys in {dir}: {reason}")]
    Keys {
        /// The directory.
        dir: String,
        /// Why.
        reason: String,
    },
    /// A client could not be built.
    #[error("sandbox client: {0}")]
    Client(String),
}

/// The sandbox's secrets: our merchant side and the stand-in providers' side.
#[derive(Clone)]
pub struct SandboxKeys {
    /// The card stand-in's secret API key.
    pub card_api_key: String,
    /// The card stand-in's webhook signing secret (`whsec_…`).
    pub card_webhook_secret: String,
    /// Our Alipay app id.
    pub alipay_app_id: String,
    /// Our Alipay private key (signs requests).
    pub alipay_merchant: RsaPrivateKey,
    /// The Alipay stand-in's key (signs answers and notifies).
    pub alipay_platform: RsaPrivateKey,
    /// Our WeChat Pay merchant id.
    pub wechat_mchid: String,
    /// The WeChat app id.
    pub wechat_appid: String,
    /// The APIv3 key.
    pub wechat_apiv3_key: [u8; 32],
    /// Our WeChat Pay merchant key (signs requests).
    pub wechat_merchant: RsaPrivateKey,
    /// Its certificate serial.
    pub wechat_merchant_serial: String,
    /// The WeChat Pay stand-in's key (signs answers and notifications).
    pub wechat_platform: RsaPrivateKey,
    /// Its key id (`Wechatpay-Serial`).
    pub wechat_platform_key_id: String,
}

impl fmt::Debug for SandboxKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxKeys")
            .field("alipay_app_id", &self.alipay_app_id)
            .field("wechat_mchid", &self.wechat_mchid)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct Secrets {
    card_api_key: String,
    card_webhook_secret: String,
    alipay_app_id: String,
    wechat_mchid: String,
    wechat_appid: String,
    wechat_apiv3_key: String,
    wechat_merchant_serial: String,
    wechat_platform_key_id: String,
}

fn random(n: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(n).map(char::from).collect()
}

fn err(dir: &Path, reason: impl fmt::Display) -> SetupError {
    SetupError::Keys { dir: dir.display().to_string(), reason: reason.to_string() }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

const KEY_FILES: [&str; 4] =
    ["alipay_merchant.pem", "alipay_platform.pem", "wechat_merchant.pem", "wechat_platform.pem"];

impl SandboxKeys {
    /// Loads the keys from `dir`, generating and saving them on first use.
    pub fn load_or_create(dir: &Path) -> Result<SandboxKeys, SetupError> {
        let secrets_path = dir.join("secrets.json");
        if !secrets_path.exists() {
            std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
            for name in KEY_FILES {
                let key = keys::generate_rsa_2048().map_err(|e| err(dir, e))?;
                let pem = keys::private_key_to_pem_pkcs8(&key).map_err(|e| err(dir, e))?;
                write_private(&dir.join(name), &pem).map_err(|e| err(dir, e))?;
            }
            let secrets = Secrets {
                card_api_key: format!("sk_test_{}", random(24)),
                card_webhook_secret: format!("whsec_{}", random(32)),
                alipay_app_id: format!("2021{}", rand::thread_rng().gen_range(100_000_000_000u64..999_999_999_999)),
                wechat_mchid: format!("19{}", rand::thread_rng().gen_range(10_000_000u64..99_999_999)),
                wechat_appid: format!("wx{}", random(16).to_ascii_lowercase()),
                wechat_apiv3_key: random(32),
                wechat_merchant_serial: hex::encode_upper(rand::thread_rng().r#gen::<[u8; 20]>()),
                wechat_platform_key_id: format!(
                    "PUB_KEY_ID_{}",
                    rand::thread_rng().gen_range(10_000_000_000u64..99_999_999_999)
                ),
            };
            let text = serde_json::to_string_pretty(&secrets).map_err(|e| err(dir, e))?;
            write_private(&secrets_path, &text).map_err(|e| err(dir, e))?;
        }
        let text = std::fs::read_to_string(&secrets_path).map_err(|e| err(dir, e))?;
        let s: Secrets = serde_json::from_str(&text).map_err(|e| err(dir, e))?;
        let load = |name: &str| -> Result<RsaPrivateKey, SetupError> {
            keys::load_private_key(dir.join(name)).map_err(|e: KeyError| err(dir, e))
        };
        Ok(SandboxKeys {
            wechat_apiv3_key: WechatConfig::apiv3_key_from_str(&s.wechat_apiv3_key)
                .ok_or_else(|| err(dir, "wechat_apiv3_key must be 32 characters"))?,
            alipay_merchant: load("alipay_merchant.pem")?,
            alipay_platform: load("alipay_platform.pem")?,
            wechat_merchant: load("wechat_merchant.pem")?,
            wechat_platform: load("wechat_platform.pem")?,
            card_api_key: s.card_api_key,
            card_webhook_secret: s.card_webhook_secret,
            alipay_app_id: s.alipay_app_id,
            wechat_mchid: s.wechat_mchid,
            wechat_appid: s.wechat_appid,
            wechat_merchant_serial: s.wechat_merchant_serial,
            wechat_platform_key_id: s.wechat_platform_key_id,
        })
    }
}

/// The stand-ins plus the live clients and verifier settings pointed at them.
#[derive(Debug)]
pub struct SandboxWiring {
    /// The stand-ins (mount their routers at `/sandbox/...`).
    pub sandbox: Arc<Sandbox>,
    /// Real API clients whose bases are the stand-ins.
    pub gateways: HashMap<Method, Arc<dyn Gateway>>,
    /// Verifies card webhooks.
    pub card_webhook_secret: String,
    /// Verifies Alipay notifies: app id and the stand-in's public key.
    pub alipay: (String, RsaPublicKey),
    /// Verifies and decrypts WeChat Pay notifications.
    pub wechat: Arc<WechatConfig>,
}

/// Wires the sandbox for a keepsim reachable at `public_url`.
pub fn wire(keys: &SandboxKeys, public_url: &str) -> Result<SandboxWiring, SetupError> {
    let base = public_url.trim_end_matches('/');
    let card =
        Arc::new(CardSandbox::new(&keys.card_api_key, &keys.card_webhook_secret, format!("{base}/webhooks/card")));
    let alipay = Arc::new(AlipaySandbox::new(
        &keys.alipay_app_id,
        keys.alipay_platform.clone(),
        RsaPublicKey::from(&keys.alipay_merchant),
    ));
    let wechat = Arc::new(WechatSandbox::new(
        &keys.wechat_mchid,
        &keys.wechat_appid,
        keys.wechat_apiv3_key,
        keys.wechat_platform.clone(),
        &keys.wechat_platform_key_id,
        RsaPublicKey::from(&keys.wechat_merchant),
        &keys.wechat_merchant_serial,
    ));
    let wechat_cfg = Arc::new(WechatConfig {
        mchid: keys.wechat_mchid.clone(),
        appid: keys.wechat_appid.clone(),
        apiv3_key: keys.wechat_apiv3_key,
        cert_serial: keys.wechat_merchant_serial.clone(),
        private_key: keys.wechat_merchant.clone(),
        platform_key_id: keys.wechat_platform_key_id.clone(),
        platform_public_key: RsaPublicKey::from(&keys.wechat_platform),
    });
    let alipay_public = RsaPublicKey::from(&keys.alipay_platform);
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| SetupError::Client(e.to_string()))?;
    let mut gateways: HashMap<Method, Arc<dyn Gateway>> = HashMap::new();
    gateways.insert(
        Method::Card,
        Arc::new(CardClient::with_http(format!("{base}/sandbox/card"), &keys.card_api_key, http.clone())),
    );
    gateways.insert(
        Method::Alipay,
        Arc::new(AlipayClient::with_http(
            format!("{base}/sandbox/alipay/gateway.do"),
            &keys.alipay_app_id,
            keys.alipay_merchant.clone(),
            alipay_public.clone(),
            http.clone(),
        )),
    );
    gateways.insert(
        Method::Wechat,
        Arc::new(WechatClient::new(format!("{base}/sandbox/wechat"), wechat_cfg.clone(), http)),
    );
    Ok(SandboxWiring {
        sandbox: Arc::new(Sandbox { card, alipay, wechat }),
        gateways,
        card_webhook_secret: keys.card_webhook_secret.clone(),
        alipay: (keys.alipay_app_id.clone(), alipay_public),
        wechat: wechat_cfg,
    })
}
