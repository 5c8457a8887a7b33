//! Records of orders, payment notifications, fulfilment jobs, bundles and the ledger.

use keepsim_domain::Money;
use keepsim_domain::bundle::{Balance, BundleState, LedgerKind, Service};
use keepsim_domain::catalogue::Package;
use keepsim_domain::geo::CountryCode;
use keepsim_domain::order::OrderStatus;
use time::OffsetDateTime;
use uuid::Uuid;

/// An order to create.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// New id.
    pub id: Uuid,
    /// Who buys.
    pub account_id: Uuid,
    /// For which line.
    pub line_id: Uuid,
    /// The package as it was when ordered (price and units are snapshotted).
    pub package: Package,
    /// `card`, `alipay` or `wechat`.
    pub method: String,
    /// The price snapshotted at creation.
    pub amount: Money,
    /// The client's Idempotency-Key.
    pub idempotency_key: String,
    /// SHA-256 of the request body, to tell a replay from a reuse.
    pub request_hash: String,
    /// Our trade number at the provider.
    pub out_trade_no: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When it expires unpaid.
    pub expires_at: OffsetDateTime,
    /// Until when the creating request holds it (the provider call is running).
    pub creating_until: OffsetDateTime,
}

/// A stored order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRecord {
    /// Id.
    pub id: Uuid,
    /// Who buys.
    pub account_id: Uuid,
    /// For which line.
    pub line_id: Uuid,
    /// The package snapshot.
    pub package: Package,
    /// `card`, `alipay` or `wechat`.
    pub method: String,
    /// Price.
    pub amount: Money,
    /// Status.
    pub status: OrderStatus,
    /// The client's Idempotency-Key.
    pub idempotency_key: String,
    /// SHA-256 of the creating request body.
    pub request_hash: String,
    /// Our trade number at the provider.
    pub out_trade_no: String,
    /// The provider's reference once the payment is opened.
    pub provider_ref: Option<String>,
    /// Card client secret.
    pub client_secret: Option<String>,
    /// Alipay qr_code / WeChat code_url.
    pub pay_url: Option<String>,
    /// Set while the creating request still runs.
    pub creating_until: Option<OffsetDateTime>,
    /// Why staff must look, if they must (late payment, dispute, amount mismatch…).
    pub flag: Option<String>,
    /// Refunded so far, minor units.
    pub refunded_minor: i64,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// When it expires unpaid.
    pub expires_at: OffsetDateTime,
    /// When payment was confirmed.
    pub paid_at: Option<OffsetDateTime>,
    /// When the bundle was credited.
    pub fulfilled_at: Option<OffsetDateTime>,
    /// When the trade was closed at the provider.
    pub trade_closed_at: Option<OffsetDateTime>,
}

/// One recorded transition of an order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderEventRecord {
    /// Which order.
    pub order_id: Uuid,
    /// From (`None` at creation).
    pub from: Option<OrderStatus>,
    /// To.
    pub to: OrderStatus,
    /// Why.
    pub reason: String,
    /// When.
    pub at: OffsetDateTime,
}

/// What a verified payment notification does to an order.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentEffect {
    /// Paid: move to `paid` (also from `expired`, flagged) and queue fulfilment.
    Paid {
        /// The provider's payment id.
        provider_ref: String,
    },
    /// Nothing changes (not paid yet, or informational).
    Nothing,
    /// Flag the order for staff.
    Flag {
        /// Why.
        reason: String,
    },
}

/// A verified notification to record (once) and apply.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentEvent {
    /// `card`, `alipay`, `wechat`.
    pub method: String,
    /// The provider's notification id.
    pub event_id: String,
    /// The order it is about.
    pub order_id: Uuid,
    /// What it does.
    pub effect: PaymentEffect,
    /// A short description kept with the event (its type).
    pub kind: String,
    /// When it arrived.
    pub received_at: OffsetDateTime,
}

/// What recording a payment notification did.
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentOutcome {
    /// Seen before: nothing changed.
    Duplicate,
    /// Recorded; the order as it is now, and whether fulfilment was queued by this event.
    Recorded {
        /// The order after the event.
        order: Box<OrderRecord>,
        /// True when this event moved the order to `paid`.
        newly_paid: bool,
    },
}

/// A claimed fulfilment job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// Job id.
    pub id: Uuid,
    /// The order to fulfil.
    pub order_id: Uuid,
    /// Attempts so far, including this one.
    pub attempts: i64,
    /// The claim holds until then; after it another worker may take the job.
    pub lease_until: OffsetDateTime,
}

/// A fulfilment job as staff see it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobView {
    /// Job id.
    pub id: Uuid,
    /// Order.
    pub order_id: Uuid,
    /// queued, running, done or failed.
    pub state: String,
    /// Attempts.
    pub attempts: i64,
    /// Last error.
    pub last_error: Option<String>,
}

/// A bundle to credit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBundle {
    /// New id.
    pub id: Uuid,
    /// The order it fulfils (one bundle per order, enforced by the database).
    pub order_id: Uuid,
    /// When it starts (`None`: at first use).
    pub starts_at: Option<OffsetDateTime>,
    /// When it ends (`None` until it starts).
    pub expires_at: Option<OffsetDateTime>,
    /// Days this top-up extends the line's validity (0: not at all).
    pub keeps_number_days: u32,
    /// Whether this top-up qualifies under the keep-alive policy: it revives a line
    /// in grace or suspended. (A first top-up always activates an assigned line.)
    pub revives: bool,
}

/// A stored bundle with its balances.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleRecord {
    /// Id.
    pub id: Uuid,
    /// Line.
    pub line_id: Uuid,
    /// Order.
    pub order_id: Uuid,
    /// Package code.
    pub package_code: String,
    /// State.
    pub state: BundleState,
    /// Start (`None` until first use).
    pub starts_at: Option<OffsetDateTime>,
    /// End.
    pub expires_at: Option<OffsetDateTime>,
    /// Validity once started.
    pub validity_days: u32,
    /// Where it works.
    pub coverage: Vec<CountryCode>,
    /// Data.
    pub data: Balance,
    /// Fair-use cap of unlimited data.
    pub fair_use_bytes: Option<u64>,
    /// Voice.
    pub voice: Balance,
    /// SMS.
    pub sms: Balance,
    /// Credit time.
    pub created_at: OffsetDateTime,
}

/// A ledger entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRecord {
    /// Id.
    pub id: Uuid,
    /// Line.
    pub line_id: Uuid,
    /// Bundle.
    pub bundle_id: Uuid,
    /// What happened.
    pub kind: LedgerKind,
    /// Which service.
    pub service: Service,
    /// Units (positive credits, negative debits/forfeits/revocations).
    pub units: i64,
    /// The order that caused it, if any.
    pub order_id: Option<Uuid>,
    /// When.
    pub at: OffsetDateTime,
}

/// What completing a fulfilment did.
#[derive(Debug, Clone, PartialEq)]
pub struct Fulfilled {
    /// The order's bundle.
    pub bundle: BundleRecord,
    /// True when an earlier attempt had already credited it (nothing was done twice).
    pub already: bool,
}

/// A refund as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundRecord {
    /// Our refund id, the provider's idempotency key.
    pub refund_no: String,
    /// Order.
    pub order_id: Uuid,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// requested, succeeded, failed, pending.
    pub status: String,
    /// Who asked (staff email or "cli").
    pub requested_by: String,
    /// When.
    pub created_at: OffsetDateTime,
}
