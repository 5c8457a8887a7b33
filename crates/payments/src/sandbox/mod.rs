//! The sandbox gateway: an in-process stand-in for the card provider, Alipay
//! and WeChat Pay. It serves each provider's HTTP API at its real paths (under
//! `/sandbox/card`, `/sandbox/alipay`, `/sandbox/wechat`), checks our request
//! signatures as the provider would, answers signed as the provider does, and
//! on "pay" builds the provider's signed notification. keepsim in sandbox mode
//! points its provider API bases here, so the same client and verification code
//! runs in sandbox and live mode: nothing here is a second verification path.

pub mod alipay;
pub mod card;
pub mod setup;
pub mod wechat;

use axum::Router;
use std::sync::Arc;

/// A signed notification ready to be posted to keepsim's webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The `notify_url` given when the payment was created.
    pub url: String,
    /// Content-Type of the body.
    pub content_type: String,
    /// Extra headers (signatures, timestamps).
    pub headers: Vec<(String, String)>,
    /// The exact body.
    pub body: Vec<u8>,
}

/// Why the sandbox cannot do what it was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SandboxError {
    /// No such payment.
    #[error("no such payment in the sandbox: {0}")]
    UnknownPayment(String),
    /// The payment is not in a state that allows it.
    #[error("the payment cannot do that now: {0}")]
    WrongState(String),
    /// Signing failed.
    #[error("sandbox signing failed: {0}")]
    Signing(String),
}

/// All three stand-ins.
#[derive(Debug)]
pub struct Sandbox {
    /// The card provider.
    pub card: Arc<card::CardSandbox>,
    /// Alipay.
    pub alipay: Arc<alipay::AlipaySandbox>,
    /// WeChat Pay.
    pub wechat: Arc<wechat::WechatSandbox>,
}

impl Sandbox {
    /// The router serving all three APIs; mount it at `/sandbox`.
    pub fn router(&self) -> Router {
        Router::new()
            .nest("/card", card::router(self.card.clone()))
            .nest("/alipay", alipay::router(self.alipay.clone()))
            .nest("/wechat", wechat::router(self.wechat.clone()))
    }
}

/// Posts a delivery to its URL and returns the status code and body of the answer.
pub async fn deliver(client: &reqwest::Client, d: &Delivery) -> Result<(u16, String), String> {
    let mut req = client.post(&d.url).header("content-type", &d.content_type).body(d.body.clone());
    for (k, v) in &d.headers {
        req = req.header(k, v);
    }
    let res = req.send().await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let text = res.text().await.map_err(|e| e.to_string())?;
    Ok((status, text))
}
