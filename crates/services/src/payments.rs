//! How keepsim reaches the payment providers and checks what they send: one
//! [`Gateway`] per method, the keys that verify notifications, which currencies
//! each method takes, and the order timings.

use keepsim_domain::Currency;
use keepsim_payments::rsa::RsaPublicKey;
use keepsim_payments::wechat::WechatConfig;
use keepsim_payments::{Gateway, Method};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use time::Duration;

/// Everything the order and webhook use cases need about payments.
#[derive(Clone)]
pub struct PaymentSettings {
    /// The provider APIs, by method.
    pub gateways: HashMap<Method, Arc<dyn Gateway>>,
    /// Currencies each method takes (domestic Alipay and WeChat Pay: CNY).
    pub currencies: HashMap<Method, Vec<Currency>>,
    /// The card provider's `whsec_…` signing secret.
    pub card_webhook_secret: Option<String>,
    /// Our Alipay app id and Alipay's public key.
    pub alipay: Option<(String, RsaPublicKey)>,
    /// WeChat Pay merchant settings (APIv3 key, platform key).
    pub wechat: Option<Arc<WechatConfig>>,
    /// The base of `notify_url`s (`KEEPSIM_PUBLIC_URL`).
    pub public_url: String,
    /// How long an unpaid order lives (default 30 minutes).
    pub order_ttl: Duration,
    /// After how long an unnotified order is asked about at the provider.
    pub reconcile_after: Duration,
    /// Sandbox mode: orders also carry a checkout link to the built-in gateway.
    pub sandbox: bool,
}

impl PaymentSettings {
    /// The payment methods customers can choose, in the order shown (card, Alipay, WeChat Pay).
    pub fn methods(&self) -> Vec<&'static str> {
        [Method::Card, Method::Alipay, Method::Wechat]
            .into_iter()
            .filter(|m| self.gateways.contains_key(m))
            .map(|m| m.as_str())
            .collect()
    }
}

impl fmt::Debug for PaymentSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaymentSettings")
            .field("methods", &self.gateways.keys().collect::<Vec<_>>())
            .field("currencies", &self.currencies)
            .field("card_webhook_secret", &self.card_webhook_secret.as_ref().map(|_| "<redacted>"))
            .field("alipay_app_id", &self.alipay.as_ref().map(|a| &a.0))
            .field("wechat", &self.wechat)
            .field("public_url", &self.public_url)
            .field("order_ttl", &self.order_ttl)
            .field("sandbox", &self.sandbox)
            .finish()
    }
}

impl Default for PaymentSettings {
    fn default() -> Self {
        PaymentSettings {
            gateways: HashMap::new(),
            currencies: default_currencies(),
            card_webhook_secret: None,
            alipay: None,
            wechat: None,
            public_url: "http://127.0.0.1:8080".into(),
            order_ttl: Duration::minutes(30),
            reconcile_after: Duration::minutes(2),
            sandbox: false,
        }
    }
}

/// Card takes the four catalogue currencies; domestic Alipay and WeChat Pay take CNY.
pub fn default_currencies() -> HashMap<Method, Vec<Currency>> {
    HashMap::from([
        (Method::Card, vec![Currency::CNY, Currency::USD, Currency::HKD, Currency::EUR]),
        (Method::Alipay, vec![Currency::CNY]),
        (Method::Wechat, vec![Currency::CNY]),
    ])
}

impl PaymentSettings {
    /// The webhook URL of a method.
    pub fn notify_url(&self, method: Method) -> String {
        let path = match method {
            Method::Card => "card",
            Method::Alipay => "alipay",
            Method::Wechat => "wechatpay",
        };
        format!("{}/webhooks/{path}", self.public_url.trim_end_matches('/'))
    }
}
