//! Payment provider protocols: the card provider (Stripe protocol), Alipay
//! (RSA2) and WeChat Pay API v3. Each module signs requests, verifies
//! notifications and calls the provider's HTTP API; [`sandbox`] is a built-in
//! stand-in for all three that signs exactly as they do, so sandbox payments go
//! through the same verification code as live ones.
//!
//! Nothing here knows orders or the database: services map a verified
//! [`Notice`] onto an order.

pub mod alipay;
pub mod card;
pub mod keys;
pub mod sandbox;
pub mod wechat;

pub use rsa;

use async_trait::async_trait;
use keepsim_domain::{Currency, Money};

/// The three ways to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Card, through a Stripe-protocol provider.
    Card,
    /// Alipay.
    Alipay,
    /// WeChat Pay.
    Wechat,
}

impl Method {
    /// The stable name (`card`, `alipay`, `wechat`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Card => "card",
            Method::Alipay => "alipay",
            Method::Wechat => "wechat",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "card" => Some(Method::Card),
            "alipay" => Some(Method::Alipay),
            "wechat" => Some(Method::Wechat),
            _ => None,
        }
    }
}

/// How a notification points at our order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// Our order id (card: `metadata.order_id`).
    OrderId(String),
    /// The card provider's PaymentIntent id (a Charge's `payment_intent`).
    PaymentIntent(String),
    /// Our `out_trade_no` (Alipay, WeChat Pay).
    OutTradeNo(String),
}

/// What a verified notification says, in provider-neutral words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    /// The money was taken.
    Paid {
        /// Which order.
        reference: Reference,
        /// Amount paid, minor units.
        amount_minor: i64,
        /// Currency paid.
        currency: Currency,
        /// The provider's id of the payment (PaymentIntent id, Alipay trade_no, WeChat transaction_id).
        provider_ref: String,
    },
    /// Not (yet) paid: `WAIT_BUYER_PAY`, `NOTPAY`…: answered with success, changes nothing.
    NotPaid {
        /// Which order.
        reference: Reference,
        /// The provider's state word.
        state: String,
    },
    /// The payment failed (card declined).
    PaymentFailed {
        /// Which order.
        reference: Reference,
        /// The provider's reason, if any.
        reason: Option<String>,
    },
    /// Money went back to the customer; `refunded_minor` is the cumulative refunded amount when the
    /// provider says it (card `amount_refunded`, Alipay `refund_fee`), else this refund's amount.
    Refunded {
        /// Which order.
        reference: Reference,
        /// Refunded amount, minor units.
        refunded_minor: i64,
        /// Currency.
        currency: Currency,
        /// Our refund request id / the provider's refund id, when known.
        refund_ref: Option<String>,
    },
    /// A refund failed at the provider (WeChat `REFUND.ABNORMAL`).
    RefundFailed {
        /// Which order.
        reference: Reference,
        /// Our refund request id, when known.
        refund_ref: Option<String>,
    },
    /// The customer disputed the charge (card); staff must look.
    Disputed {
        /// Which order.
        reference: Reference,
    },
    /// A valid notification of a type keepsim does not act on.
    Ignored {
        /// The provider's event type.
        event_type: String,
    },
}

/// A verified notification: the provider proved it sent this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Which provider.
    pub method: Method,
    /// The provider's id of this notification, for de-duplication (card event id,
    /// Alipay `notify_id`, WeChat notification `id`).
    pub event_id: String,
    /// What it says.
    pub kind: NoticeKind,
}

/// Why a notification was refused. Nothing may change when one is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// A required header or field is missing or malformed.
    #[error("malformed notification: {0}")]
    Malformed(String),
    /// The signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The timestamp is outside the tolerance.
    #[error("timestamp outside the tolerance")]
    StaleTimestamp,
    /// The notification is for another merchant or app.
    #[error("notification is for another merchant: {0}")]
    WrongMerchant(String),
    /// The encrypted resource cannot be decrypted (WeChat).
    #[error("resource does not decrypt")]
    Undecryptable,
}

/// A payment to open at the provider.
#[derive(Debug, Clone)]
pub struct CreatePayment {
    /// Our order id.
    pub order_id: String,
    /// Our trade number at the provider (Alipay/WeChat `out_trade_no`).
    pub out_trade_no: String,
    /// What to charge.
    pub amount: Money,
    /// What the customer sees.
    pub description: String,
    /// Where the provider posts its notifications.
    pub notify_url: String,
    /// Idempotency key for the provider's API.
    pub idempotency_key: String,
}

/// The opened payment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreatedPayment {
    /// The provider's reference (PaymentIntent id; for Alipay and WeChat our `out_trade_no`).
    pub provider_ref: String,
    /// Card: the PaymentIntent's client secret.
    pub client_secret: Option<String>,
    /// Alipay `qr_code` / WeChat `code_url`.
    pub pay_url: Option<String>,
}

/// What the provider says about a payment when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Paid.
    Paid {
        /// Amount paid, minor units.
        amount_minor: i64,
        /// The provider's payment id.
        provider_ref: String,
    },
    /// Still waiting for the customer.
    Pending,
    /// Closed, cancelled or failed: no money was taken.
    Closed,
    /// Fully or partly refunded.
    Refunded {
        /// Refunded so far, minor units.
        refunded_minor: i64,
    },
}

/// A refund to ask for.
#[derive(Debug, Clone)]
pub struct RefundRequest {
    /// The provider reference from [`CreatedPayment::provider_ref`].
    pub provider_ref: String,
    /// Our trade number.
    pub out_trade_no: String,
    /// Our refund id: the provider's idempotency key for this refund
    /// (`Idempotency-Key`, `out_request_no`, `out_refund_no`).
    pub refund_no: String,
    /// Amount to refund.
    pub amount: Money,
    /// The order's total.
    pub total: Money,
    /// Where refund results are posted (WeChat).
    pub notify_url: String,
}

/// The provider's answer to a refund request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundStatus {
    /// Done.
    Succeeded,
    /// Accepted; the outcome arrives by notification.
    Pending,
    /// Refused.
    Failed(String),
}

/// Why a call to a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// Network or HTTP failure; retrying may help.
    #[error("provider unreachable: {0}")]
    Transport(String),
    /// The provider answered with an error.
    #[error("provider refused: {code}: {message}")]
    Refused {
        /// The provider's error code.
        code: String,
        /// The provider's message.
        message: String,
    },
    /// The provider's answer did not verify or parse.
    #[error("provider answer invalid: {0}")]
    BadResponse(String),
}

/// One provider's API as keepsim uses it.
#[async_trait]
pub trait Gateway: Send + Sync + std::fmt::Debug {
    /// Which method this gateway serves.
    fn method(&self) -> Method;
    /// Opens a payment.
    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, ProviderError>;
    /// Asks about a payment (reconciliation).
    async fn query(&self, provider_ref: &str, out_trade_no: &str) -> Result<PaymentStatus, ProviderError>;
    /// Closes an unpaid payment.
    async fn close(&self, provider_ref: &str, out_trade_no: &str) -> Result<(), ProviderError>;
    /// Refunds (part of) a payment.
    async fn refund(&self, req: &RefundRequest) -> Result<RefundStatus, ProviderError>;
}
