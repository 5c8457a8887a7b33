//! Builds the payment settings from configuration: live providers from their
//! keys, or the built-in sandbox (the default when no provider is configured).

use crate::config::Config;
use anyhow::{Context, bail};
use keepsim_payments::alipay::AlipayClient;
use keepsim_payments::card::CardClient;
use keepsim_payments::sandbox::Sandbox;
use keepsim_payments::sandbox::setup::{SandboxKeys, wire};
use keepsim_payments::wechat::{WechatClient, WechatConfig};
use keepsim_payments::{Gateway, Method, keys};
use keepsim_services::payments::PaymentSettings;
use std::collections::HashMap;
use std::sync::Arc;

fn get<'a>(c: &'a Config, k: &str) -> Option<&'a str> {
    c.payments.get(k).map(String::as_str).filter(|v| !v.is_empty())
}

/// Payment settings for `public_url`, and the sandbox when in sandbox mode.
pub fn settings(config: &Config, public_url: &str) -> anyhow::Result<(PaymentSettings, Option<Arc<Sandbox>>)> {
    let mut settings = PaymentSettings { public_url: public_url.to_string(), ..PaymentSettings::default() };
    if let Some(m) = get(config, "order_ttl_minutes") {
        let minutes: i64 = m.parse().with_context(|| format!("order_ttl_minutes = {m:?} is not a number"))?;
        settings.order_ttl = time::Duration::minutes(minutes.max(1));
    }
    if let Some(s) = get(config, "reconcile_after_seconds") {
        let secs: i64 = s.parse().with_context(|| format!("reconcile_after_seconds = {s:?} is not a number"))?;
        settings.reconcile_after = time::Duration::seconds(secs.max(0));
    }
    let any_live = ["card_api_key", "alipay_app_id", "wechat_mchid"].iter().any(|k| get(config, k).is_some());
    let mode = get(config, "payments_mode").unwrap_or(if any_live { "live" } else { "sandbox" });
    match mode {
        "sandbox" => {
            let keys = SandboxKeys::load_or_create(&config.data_dir.join("sandbox"))?;
            let wiring = wire(&keys, public_url)?;
            settings.gateways = wiring.gateways;
            settings.card_webhook_secret = Some(wiring.card_webhook_secret);
            settings.alipay = Some(wiring.alipay);
            settings.wechat = Some(wiring.wechat);
            settings.sandbox = true;
            Ok((settings, Some(wiring.sandbox)))
        }
        "live" => {
            let mut gateways: HashMap<Method, Arc<dyn Gateway>> = HashMap::new();
            if let Some(api_key) = get(config, "card_api_key") {
                let secret = get(config, "card_webhook_secret")
                    .context("KEEPSIM_CARD_WEBHOOK_SECRET is required with a card API key")?;
                let base = get(config, "card_api_base").unwrap_or("https://api.stripe.com");
                gateways.insert(Method::Card, Arc::new(CardClient::new(base, api_key)?));
                settings.card_webhook_secret = Some(secret.to_string());
            }
            if let Some(app_id) = get(config, "alipay_app_id") {
                let private = keys::load_private_key(
                    get(config, "alipay_private_key_file").context("KEEPSIM_ALIPAY_PRIVATE_KEY_FILE is required")?,
                )?;
                let public = keys::load_public_key(
                    get(config, "alipay_public_key_file").context("KEEPSIM_ALIPAY_PUBLIC_KEY_FILE is required")?,
                )?;
                let gateway = get(config, "alipay_gateway").unwrap_or(keepsim_payments::alipay::DEFAULT_GATEWAY);
                gateways.insert(Method::Alipay, Arc::new(AlipayClient::new(gateway, app_id, private, public.clone())?));
                settings.alipay = Some((app_id.to_string(), public));
            }
            if let Some(mchid) = get(config, "wechat_mchid") {
                let need = |k: &str, env: &str| {
                    get(config, k).with_context(|| format!("{env} is required with KEEPSIM_WECHAT_MCHID"))
                };
                let apiv3_key = WechatConfig::apiv3_key_from_str(need("wechat_apiv3_key", "KEEPSIM_WECHAT_APIV3_KEY")?)
                    .context("KEEPSIM_WECHAT_APIV3_KEY must be 32 characters")?;
                let cfg = Arc::new(WechatConfig {
                    mchid: mchid.to_string(),
                    appid: need("wechat_appid", "KEEPSIM_WECHAT_APPID")?.to_string(),
                    apiv3_key,
                    cert_serial: need("wechat_cert_serial", "KEEPSIM_WECHAT_CERT_SERIAL")?.to_string(),
                    private_key: keys::load_private_key(need(
                        "wechat_private_key_file",
                        "KEEPSIM_WECHAT_PRIVATE_KEY_FILE",
                    )?)?,
                    platform_key_id: need("wechat_platform_key_id", "KEEPSIM_WECHAT_PLATFORM_KEY_ID")?.to_string(),
                    platform_public_key: keys::load_public_key(need(
                        "wechat_platform_public_key_file",
                        "KEEPSIM_WECHAT_PLATFORM_PUBLIC_KEY_FILE",
                    )?)?,
                });
                let base = get(config, "wechat_api_base").unwrap_or(keepsim_payments::wechat::DEFAULT_API_BASE);
                gateways.insert(Method::Wechat, Arc::new(WechatClient::new(base, cfg.clone(), reqwest_client()?)));
                settings.wechat = Some(cfg);
            }
            if gateways.is_empty() {
                bail!("KEEPSIM_PAYMENTS_MODE=live but no provider is configured (card, Alipay or WeChat Pay keys)");
            }
            settings.gateways = gateways;
            Ok((settings, None))
        }
        other => bail!("KEEPSIM_PAYMENTS_MODE = {other:?}: use sandbox or live"),
    }
}

fn reqwest_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?)
}
