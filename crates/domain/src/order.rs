//! A top-up order's lifecycle:
//! `awaiting_payment → paid → fulfilled`, with side exits `expired` (unpaid too
//! long), `failed` (fulfilment gave up), `refunded` / `partially_refunded`.
//! A payment that still arrives for an expired order moves it to `paid` (the
//! money was taken) and flags it for staff.

use serde::{Deserialize, Serialize};

/// Where an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Created; the customer has not paid yet.
    AwaitingPayment,
    /// The provider confirmed the payment; fulfilment is queued.
    Paid,
    /// The bundle is credited.
    Fulfilled,
    /// Fulfilment gave up; staff must look.
    Failed,
    /// Unpaid for too long; the trade was closed at the provider.
    Expired,
    /// All money returned.
    Refunded,
    /// Some money returned.
    PartiallyRefunded,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::AwaitingPayment,
        OrderStatus::Paid,
        OrderStatus::Fulfilled,
        OrderStatus::Failed,
        OrderStatus::Expired,
        OrderStatus::Refunded,
        OrderStatus::PartiallyRefunded,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(&self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "awaiting_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Fulfilled => "fulfilled",
            OrderStatus::Failed => "failed",
            OrderStatus::Expired => "expired",
            OrderStatus::Refunded => "refunded",
            OrderStatus::PartiallyRefunded => "partially_refunded",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the lifecycle allows `self → next`.
    pub fn can_become(&self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (AwaitingPayment, Paid)
                | (AwaitingPayment, Expired)
                | (Expired, Paid)
                | (Paid, Fulfilled)
                | (Paid, Failed)
                | (Failed, Fulfilled)
                | (Fulfilled, Refunded)
                | (Fulfilled, PartiallyRefunded)
                | (PartiallyRefunded, PartiallyRefunded)
                | (PartiallyRefunded, Refunded)
                | (Failed, Refunded)
                | (Failed, PartiallyRefunded)
                | (Paid, Refunded)
                | (Paid, PartiallyRefunded)
        )
    }

    /// Whether the money was taken (so it can be refunded).
    pub fn is_paid(&self) -> bool {
        matches!(
            self,
            OrderStatus::Paid | OrderStatus::Fulfilled | OrderStatus::Failed | OrderStatus::PartiallyRefunded
        )
    }
}

/// The status after refunding `refunded_total` of `amount` (both minor units).
pub fn status_after_refund(amount: i64, refunded_total: i64) -> OrderStatus {
    if refunded_total >= amount { OrderStatus::Refunded } else { OrderStatus::PartiallyRefunded }
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    #[test]
    fn the_happy_path_and_its_exits() {
        assert!(AwaitingPayment.can_become(Paid));
        assert!(Paid.can_become(Fulfilled));
        assert!(AwaitingPayment.can_become(Expired));
        assert!(Expired.can_become(Paid), "a late payment was still taken");
        assert!(Fulfilled.can_become(PartiallyRefunded));
        assert!(PartiallyRefunded.can_become(Refunded));
        assert!(!Fulfilled.can_become(Paid));
        assert!(!Refunded.can_become(Fulfilled));
        assert!(!AwaitingPayment.can_become(Fulfilled), "never credited before paid");
    }

    #[test]
    fn names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn refund_status_depends_on_the_total() {
        assert_eq!(status_after_refund(1000, 1000), Refunded);
        assert_eq!(status_after_refund(1000, 400), PartiallyRefunded);
    }
}
