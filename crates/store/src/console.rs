//! Records of the staff console: the audit trail, support tickets, the order
//! filter of the order list, and the figures of the dashboard.

use keepsim_domain::ticket::{TicketAuthor, TicketStatus};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// One thing a staff member (or the CLI) did, kept for good.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Id (UUID v7).
    pub id: Uuid,
    /// Who did it; `None` for the command line.
    pub staff_id: Option<Uuid>,
    /// Their email at the time (kept even if the staff user changes later).
    pub staff_email: String,
    /// What they did, a stable snake_case name (`refund_order`, `set_package_price`, …).
    pub action: String,
    /// What they did it to (`order:<id>`, `package:JP-1GB-3D`, …).
    pub target: String,
    /// The facts, as a JSON object.
    pub detail: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A customer's support ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketRecord {
    /// Id (UUID v7).
    pub id: Uuid,
    /// The customer who opened it.
    pub account_id: Uuid,
    /// What it is about.
    pub subject: String,
    /// Where it is.
    pub status: TicketStatus,
    /// When it was opened.
    pub created_at: OffsetDateTime,
    /// The last message or status change.
    pub updated_at: OffsetDateTime,
}

/// One message of a ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketMessageRecord {
    /// Id (UUID v7).
    pub id: Uuid,
    /// The ticket.
    pub ticket_id: Uuid,
    /// Customer or staff.
    pub author: TicketAuthor,
    /// The staff member who wrote it (staff messages only).
    pub staff_id: Option<Uuid>,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: OffsetDateTime,
}

/// Which orders the console lists; every field left `None` matches all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderFilter {
    /// Order status (`paid`, `failed`, …).
    pub status: Option<String>,
    /// Payment method (`card`, `alipay`, `wechat`).
    pub method: Option<String>,
    /// One customer's orders.
    pub account_id: Option<Uuid>,
    /// Created at or after.
    pub since: Option<OffsetDateTime>,
    /// Created before.
    pub until: Option<OffsetDateTime>,
}

/// Paid orders of one UTC day in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailySales {
    /// The UTC day the payment arrived.
    pub day: Date,
    /// ISO 4217 code.
    pub currency: String,
    /// Orders paid that day (later refunds included: the money was taken).
    pub orders: i64,
    /// What they were paid, minor units, before refunds.
    pub revenue_minor: i64,
}
