//! Buying a top-up: idempotent order creation, the providers' notifications,
//! exactly-once fulfilment, expiry of unpaid orders, reconciliation and refunds.
//!
//! Exactly-once rests on the database: a notification is recorded once per
//! (method, event id) in the same transaction that moves the order to `paid`
//! and queues its single fulfilment job; fulfilment credits one bundle per
//! order in one transaction. Replays, concurrent copies and crashed workers
//! therefore all end with one bundle and one credit.

use crate::{ServiceError, Services};
use keepsim_domain::bundle::validity_window;
use keepsim_domain::order::OrderStatus;
use keepsim_domain::{Currency, Money};
use keepsim_payments::{
    CreatePayment, Method, Notice, NoticeKind, PaymentStatus, Reference, RefundRequest, RefundStatus, VerifyError,
};
use keepsim_store::{
    AccountRecord, Fulfilled, NewBundle, NewOrder, OrderRecord, PaymentEffect, PaymentEvent, PaymentOutcome,
    RefundRecord, StoreError,
};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// How long the creating request holds an order while it calls the provider.
const CREATION_HOLD: Duration = Duration::seconds(30);
/// Fulfilment attempts before a job gives up.
pub const MAX_ATTEMPTS: i64 = 6;
/// How long a worker's claim on a job lasts.
const LEASE: Duration = Duration::seconds(30);

/// What the customer asks to buy.
#[derive(Debug, Clone)]
pub struct OrderRequest {
    /// For which of their lines.
    pub line_id: Uuid,
    /// Which package.
    pub package_code: String,
    /// `card`, `alipay` or `wechat`.
    pub payment_method: String,
    /// ISO 4217.
    pub currency: String,
}

/// The SHA-256 of a request body, hex: tells a replay from a reused key.
pub fn body_hash(body: &[u8]) -> String {
    Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect()
}

fn verify_error(e: VerifyError) -> ServiceError {
    let code = match e {
        VerifyError::BadSignature => "bad_signature",
        VerifyError::StaleTimestamp => "stale_timestamp",
        VerifyError::WrongMerchant(_) => "wrong_merchant",
        VerifyError::Undecryptable => "undecryptable",
        VerifyError::Malformed(_) => "malformed_notification",
    };
    ServiceError::NotificationRejected { code, detail: e.to_string() }
}

fn rejected(code: &'static str, detail: impl Into<String>) -> ServiceError {
    ServiceError::NotificationRejected { code, detail: detail.into() }
}

impl Services {
    /// Creates an order, or returns the one this Idempotency-Key made before
    /// (`true` when this call created it).
    pub async fn create_order(
        &self,
        account: &AccountRecord,
        idempotency_key: Option<&str>,
        req: &OrderRequest,
        request_hash: &str,
    ) -> Result<(OrderRecord, bool), ServiceError> {
        let key =
            idempotency_key.map(str::trim).filter(|k| !k.is_empty()).ok_or(ServiceError::IdempotencyKeyRequired)?;
        if key.len() > 255 || key.chars().any(|c| c.is_control()) {
            return Err(ServiceError::InvalidField {
                field: "Idempotency-Key",
                reason: "at most 255 printable characters".into(),
            });
        }
        let now = self.clock.now();
        if let Some(existing) = self.store.order_by_key(account.id, key).await? {
            return self.resume_order(existing, request_hash, now).await.map(|o| (o, false));
        }
        let line = self.line(account, req.line_id).await?;
        let method = Method::parse(&req.payment_method).ok_or_else(|| ServiceError::InvalidField {
            field: "payment_method",
            reason: "card, alipay or wechat".into(),
        })?;
        let currency = Currency::parse(&req.currency)
            .map_err(|e| ServiceError::InvalidField { field: "currency", reason: e.to_string() })?;
        let package = self
            .catalogue_shared()
            .await?
            .package(&req.package_code)
            .filter(|p| p.active)
            .cloned()
            .ok_or_else(|| ServiceError::UnknownPackage(req.package_code.clone()))?;
        let accepted = self.payments.currencies.get(&method).cloned().unwrap_or_default();
        if !accepted.contains(&currency) {
            return Err(ServiceError::CurrencyNotSupported {
                method: method.as_str().into(),
                currency: currency.to_string(),
                accepted: accepted.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "),
            });
        }
        let amount = package.price(currency).ok_or_else(|| ServiceError::PriceNotAvailable {
            package: package.code.clone(),
            currency: currency.to_string(),
        })?;
        if !self.payments.gateways.contains_key(&method) {
            return Err(ServiceError::MethodUnavailable(method.as_str().into()));
        }
        let id = Uuid::now_v7();
        let new = NewOrder {
            id,
            account_id: account.id,
            line_id: line.id,
            package,
            method: method.as_str().into(),
            amount,
            idempotency_key: key.into(),
            request_hash: request_hash.into(),
            out_trade_no: id.simple().to_string(),
            created_at: now,
            expires_at: now + self.payments.order_ttl,
            creating_until: now + CREATION_HOLD,
        };
        let order = match self.store.create_order(new).await {
            Ok(o) => o,
            // Another request with the same key won the race.
            Err(StoreError::Conflict("idempotency_key")) => {
                let existing =
                    self.store.order_by_key(account.id, key).await?.ok_or(ServiceError::IdempotencyKeyInUse)?;
                return self.resume_order(existing, request_hash, now).await.map(|o| (o, false));
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(order = %order.id, method = %order.method, amount = %order.amount, "order created");
        Ok((self.open_payment(order).await?, true))
    }

    async fn resume_order(
        &self,
        existing: OrderRecord,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> Result<OrderRecord, ServiceError> {
        if existing.request_hash != request_hash {
            return Err(ServiceError::IdempotencyKeyReused);
        }
        if existing.provider_ref.is_some() || existing.status != OrderStatus::AwaitingPayment {
            return Ok(existing);
        }
        // The first request never attached a payment: in flight, or it failed.
        if !self.store.claim_order_creation(existing.id, now + CREATION_HOLD, now).await? {
            return Err(ServiceError::IdempotencyKeyInUse);
        }
        self.open_payment(existing).await
    }

    /// Opens the payment at the provider (idempotent there on the order id) and attaches it.
    async fn open_payment(&self, order: OrderRecord) -> Result<OrderRecord, ServiceError> {
        let method =
            Method::parse(&order.method).ok_or_else(|| ServiceError::Internal(format!("method {}", order.method)))?;
        let gateway =
            self.payments.gateways.get(&method).ok_or_else(|| ServiceError::MethodUnavailable(order.method.clone()))?;
        let created = gateway
            .create(&CreatePayment {
                order_id: order.id.to_string(),
                out_trade_no: order.out_trade_no.clone(),
                amount: order.amount,
                description: format!("keepsim {}", order.package.name),
                notify_url: self.payments.notify_url(method),
                idempotency_key: order.id.to_string(),
            })
            .await
            .map_err(|e| ServiceError::ProviderUnavailable(e.to_string()))?;
        Ok(self
            .store
            .attach_payment(
                order.id,
                &created.provider_ref,
                created.client_secret.as_deref(),
                created.pay_url.as_deref(),
                self.clock.now(),
            )
            .await?)
    }

    /// One of the account's orders.
    pub async fn order(&self, account: &AccountRecord, id: Uuid) -> Result<OrderRecord, ServiceError> {
        self.store.order(account.id, id).await?.ok_or(ServiceError::NotFound)
    }

    /// `POST /webhooks/card`: verifies `Stripe-Signature` and applies the event.
    pub async fn card_notification(&self, signature: Option<&str>, body: &[u8]) -> Result<(), ServiceError> {
        let secret = self
            .payments
            .card_webhook_secret
            .as_deref()
            .ok_or_else(|| ServiceError::MethodUnavailable("card".into()))?;
        let header = signature.ok_or_else(|| rejected("malformed_notification", "Stripe-Signature header missing"))?;
        let now = self.clock.now().unix_timestamp();
        keepsim_payments::card::verify_signature(
            header,
            body,
            secret,
            now,
            keepsim_payments::card::DEFAULT_TOLERANCE_SECS,
        )
        .map_err(verify_error)?;
        let notice = keepsim_payments::card::parse_event(body).map_err(verify_error)?;
        self.apply_notice(notice).await
    }

    /// `POST /webhooks/alipay`: verifies the RSA2 signature and `app_id`, then applies the notify.
    pub async fn alipay_notification(&self, body: &[u8]) -> Result<(), ServiceError> {
        let (app_id, key) =
            self.payments.alipay.as_ref().ok_or_else(|| ServiceError::MethodUnavailable("alipay".into()))?;
        let notice = keepsim_payments::alipay::verify_notify(body, app_id, key).map_err(verify_error)?;
        self.apply_notice(notice).await
    }

    /// `POST /webhooks/wechatpay`: verifies the signature, decrypts the resource, checks the merchant.
    pub async fn wechat_notification(
        &self,
        headers: Result<keepsim_payments::wechat::NotificationHeaders, VerifyError>,
        body: &[u8],
    ) -> Result<(), ServiceError> {
        let cfg = self.payments.wechat.as_ref().ok_or_else(|| ServiceError::MethodUnavailable("wechat".into()))?;
        let headers = headers.map_err(verify_error)?;
        let now = self.clock.now().unix_timestamp();
        let notice = keepsim_payments::wechat::verify_notification(&headers, body, cfg, now).map_err(verify_error)?;
        self.apply_notice(notice).await
    }

    async fn order_for(&self, reference: &Reference) -> Result<OrderRecord, ServiceError> {
        let found = match reference {
            Reference::OrderId(id) => match Uuid::parse_str(id) {
                Ok(id) => self.store.order_by_id(id).await?,
                Err(_) => None,
            },
            Reference::PaymentIntent(pi) => self.store.order_by_provider_ref(pi).await?,
            Reference::OutTradeNo(no) => self.store.order_by_out_trade_no(no).await?,
        };
        found.ok_or_else(|| rejected("unknown_order", format!("no order for {reference:?}")))
    }

    /// Applies a verified notification: checks it against the order, records it once, acts on it.
    pub async fn apply_notice(&self, notice: Notice) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let method = notice.method.as_str().to_string();
        let (order, effect, kind) = match &notice.kind {
            NoticeKind::Paid { reference, amount_minor, currency, provider_ref } => {
                let order = self.order_for(reference).await?;
                if order.method != method {
                    return Err(rejected(
                        "method_mismatch",
                        format!("order {} is paid by {}, not {method}", order.id, order.method),
                    ));
                }
                if *amount_minor != order.amount.amount_minor() || *currency != order.amount.currency() {
                    tracing::warn!(order = %order.id, paid = amount_minor, expected = order.amount.amount_minor(), "amount mismatch");
                    return Err(rejected(
                        "amount_mismatch",
                        format!(
                            "paid {} {currency} but the order is {}",
                            Money::new(*amount_minor, *currency),
                            order.amount
                        ),
                    ));
                }
                (order, PaymentEffect::Paid { provider_ref: provider_ref.clone() }, "paid")
            }
            NoticeKind::NotPaid { reference, state } => {
                let order = self.order_for(reference).await?;
                tracing::info!(order = %order.id, %state, "payment not completed yet");
                (order, PaymentEffect::Nothing, "not_paid")
            }
            NoticeKind::PaymentFailed { reference, reason } => {
                let order = self.order_for(reference).await?;
                tracing::info!(order = %order.id, reason = ?reason, "payment failed");
                (order, PaymentEffect::Nothing, "payment_failed")
            }
            NoticeKind::Disputed { reference } => {
                let order = self.order_for(reference).await?;
                (order, PaymentEffect::Flag { reason: "the customer disputed the charge".into() }, "disputed")
            }
            NoticeKind::Refunded { reference, .. } | NoticeKind::RefundFailed { reference, .. } => {
                let order = self.order_for(reference).await?;
                (order, PaymentEffect::Nothing, "refund")
            }
            NoticeKind::Ignored { event_type } => {
                tracing::debug!(%event_type, "notification ignored");
                return Ok(());
            }
        };
        let outcome = self
            .store
            .apply_payment_event(PaymentEvent {
                method,
                event_id: notice.event_id.clone(),
                order_id: order.id,
                effect,
                kind: kind.into(),
                received_at: now,
            })
            .await?;
        let PaymentOutcome::Recorded { order, newly_paid } = outcome else {
            tracing::info!(event = %notice.event_id, "notification replayed: nothing to do");
            return Ok(());
        };
        if newly_paid {
            tracing::info!(order = %order.id, "order paid");
            self.fulfil_wakeup.notify_one();
        }
        match notice.kind {
            NoticeKind::Refunded { refunded_minor, refund_ref, .. } => {
                self.settle_refund(&order, refunded_minor, refund_ref).await?
            }
            NoticeKind::RefundFailed { refund_ref: Some(no), .. } => self.store.fail_refund(order.id, &no, now).await?,
            NoticeKind::PaymentFailed { reason, .. } => {
                let data = serde_json::json!({
                    "order_id": order.id, "line_id": order.line_id, "package": order.package.name,
                    "amount": order.amount.to_string(), "reason": reason,
                });
                let key = format!("topup_failed:{}:{}", notice.method.as_str(), notice.event_id);
                self.notify(order.account_id, Some(order.line_id), "topup_failed", data, key).await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A provider says money went back: completes our matching refund, or records one
    /// made outside keepsim (for the difference to what we already know).
    async fn settle_refund(
        &self,
        order: &OrderRecord,
        refunded_minor: i64,
        refund_ref: Option<String>,
    ) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let refunds = self.store.order_refunds(order.id).await?;
        let open = refunds.iter().find(|r| {
            r.status != "succeeded" && r.status != "failed" && refund_ref.as_deref().is_none_or(|x| x == r.refund_no)
        });
        if let Some(r) = open {
            if self.store.complete_refund(order.id, &r.refund_no, now).await? {
                self.notify_refund(order.id, &r.refund_no, r.amount_minor).await?;
            }
            if let Some(charging) = self.charging.get() {
                charging.invalidate(order.line_id).await;
            }
            return Ok(());
        }
        // Card `charge.refunded` carries the cumulative amount; Alipay's refund_fee too.
        let known: i64 = refunds.iter().filter(|r| r.status == "succeeded").map(|r| r.amount_minor).sum();
        let missing = refunded_minor - known;
        if missing > 0 && order.status.is_paid() {
            let refund_no = refund_ref.unwrap_or_else(|| format!("EXT{}", Uuid::now_v7().simple()));
            match self
                .store
                .create_refund(RefundRecord {
                    refund_no: refund_no.clone(),
                    order_id: order.id,
                    amount_minor: missing,
                    status: "pending".into(),
                    requested_by: "provider".into(),
                    created_at: now,
                })
                .await
            {
                Ok(()) | Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
            self.store.complete_refund(order.id, &refund_no, now).await?;
            self.store.flag_order(order.id, "refunded at the provider outside keepsim", now).await?;
        }
        Ok(())
    }

    /// One fulfilment step: claims a due job and credits its order. `None` when no job is due.
    pub async fn fulfil_next(&self) -> Result<Option<Fulfilled>, ServiceError> {
        let now = self.clock.now();
        let Some(job) = self.store.claim_fulfilment_job(now, now + LEASE).await? else {
            return Ok(None);
        };
        let result = async {
            let order = self.store.order_by_id(job.order_id).await?.ok_or(ServiceError::NotFound)?;
            let (starts_at, expires_at) = validity_window(&order.package, now);
            // The keep-alive policy decides whether this top-up keeps the number, and for how long.
            let policy = self.keepalive_policy().await?;
            let (keeps_number_days, revives) = match &policy {
                Some(p) if p.qualifies(&order.package, order.amount) => {
                    (p.extends_days.max(order.package.keeps_number_days), true)
                }
                Some(_) => (order.package.keeps_number_days, false),
                None => (order.package.keeps_number_days, true),
            };
            let bundle =
                NewBundle { id: Uuid::now_v7(), order_id: order.id, starts_at, expires_at, keeps_number_days, revives };
            let before = self.store.line(order.account_id, order.line_id).await?;
            let done = self.store.complete_fulfilment(job.id, bundle, now).await?;
            let after = self.store.line(order.account_id, order.line_id).await?;
            if let (Some(b), Some(a)) = (before, after)
                && matches!(b.state, keepsim_domain::line::LineState::Grace | keepsim_domain::line::LineState::Suspended)
                && a.state == keepsim_domain::line::LineState::Active
            {
                let data = serde_json::json!({
                    "line_id": a.id, "number": a.msisdn.to_e164(),
                    "valid_until": a.valid_until.and_then(|v| v.format(&time::format_description::well_known::Rfc3339).ok()),
                });
                self.notify(a.account_id, Some(a.id), "line_reactivated", data, format!("line_reactivated:{}:{}", a.id, order.id))
                    .await?;
            }
            Ok::<_, ServiceError>(done)
        }
        .await;
        match result {
            Ok(done) => {
                // The line's charging owner reloads and sees the new bundle.
                if let Some(charging) = self.charging.get() {
                    charging.invalidate(done.bundle.line_id).await;
                }
                if !done.already {
                    tracing::info!(order = %job.order_id, bundle = %done.bundle.id, "bundle credited");
                }
                if let Err(e) = self.notify_topup(job.order_id, now).await {
                    tracing::warn!(order = %job.order_id, error = %e, "top-up notification failed");
                }
                Ok(Some(done))
            }
            Err(e) => {
                let give_up = job.attempts >= MAX_ATTEMPTS;
                let retry_at = (!give_up).then(|| now + Duration::seconds(1i64 << job.attempts.clamp(0, 10)));
                tracing::warn!(order = %job.order_id, attempt = job.attempts, give_up, error = %e, "fulfilment failed");
                self.store.fail_fulfilment_job(job.id, &e.to_string(), retry_at, now).await?;
                Err(e)
            }
        }
    }

    /// The fulfilment worker: runs due jobs, woken at once by new payments, else every `poll`.
    pub async fn fulfilment_worker(&self, poll: std::time::Duration, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            loop {
                match self.fulfil_next().await {
                    Ok(Some(_)) => continue,
                    Ok(None) => break,
                    Err(_) => break,
                }
            }
            tokio::select! {
                _ = self.fulfil_wakeup.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => return,
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    /// Expires unpaid orders past their time and closes their trades at the provider.
    pub async fn expire_orders(&self) -> Result<usize, ServiceError> {
        let now = self.clock.now();
        let expired = self.store.expire_unpaid_orders(now, 500).await?;
        for o in &expired {
            tracing::info!(order = %o.id, "order expired unpaid");
        }
        let mut closed = 0;
        for order in self.store.orders_to_close(500).await? {
            let Some(method) = Method::parse(&order.method) else { continue };
            let Some(gateway) = self.payments.gateways.get(&method) else { continue };
            let provider_ref = order.provider_ref.clone().unwrap_or_default();
            if order.provider_ref.is_none() {
                self.store.mark_trade_closed(order.id, now).await?;
                continue;
            }
            match gateway.close(&provider_ref, &order.out_trade_no).await {
                Ok(()) => {
                    self.store.mark_trade_closed(order.id, now).await?;
                    closed += 1;
                }
                Err(e) => tracing::warn!(order = %order.id, error = %e, "closing the trade failed; will retry"),
            }
        }
        Ok(expired.len() + closed)
    }

    /// Asks the provider about unpaid orders older than the reconciliation delay and
    /// applies what it says (a payment whose notification never came is fulfilled).
    pub async fn reconcile(&self) -> Result<usize, ServiceError> {
        let now = self.clock.now();
        let mut applied = 0;
        for order in self.store.orders_to_reconcile(now - self.payments.reconcile_after, 200).await? {
            let Some(method) = Method::parse(&order.method) else { continue };
            let Some(gateway) = self.payments.gateways.get(&method) else { continue };
            let provider_ref = order.provider_ref.clone().unwrap_or_default();
            match gateway.query(&provider_ref, &order.out_trade_no).await {
                Ok(PaymentStatus::Paid { amount_minor, provider_ref }) => {
                    let notice = Notice {
                        method,
                        event_id: format!("reconcile:{}", order.id),
                        kind: NoticeKind::Paid {
                            reference: Reference::OutTradeNo(order.out_trade_no.clone()),
                            amount_minor,
                            currency: order.amount.currency(),
                            provider_ref,
                        },
                    };
                    match self.apply_notice(notice).await {
                        Ok(()) => {
                            tracing::info!(order = %order.id, "paid order found by reconciliation");
                            applied += 1;
                        }
                        Err(e) => tracing::warn!(order = %order.id, error = %e, "reconciliation could not apply"),
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(order = %order.id, error = %e, "reconciliation query failed"),
            }
        }
        Ok(applied)
    }

    /// Refunds an order through its provider (staff). `amount_minor` defaults to what is left.
    pub async fn refund_order(
        &self,
        order_id: Uuid,
        amount_minor: Option<i64>,
        requested_by: &str,
    ) -> Result<RefundRecord, ServiceError> {
        let now = self.clock.now();
        let order = self.store.order_by_id(order_id).await?.ok_or(ServiceError::NotFound)?;
        if !order.status.is_paid() {
            return Err(ServiceError::RefundNotAllowed(format!(
                "order is {}, nothing was paid to refund",
                order.status.as_str()
            )));
        }
        let left = order.amount.amount_minor() - order.refunded_minor;
        let amount = amount_minor.unwrap_or(left);
        if amount <= 0 || amount > left {
            return Err(ServiceError::RefundNotAllowed(format!("refund between 1 and {left} minor units")));
        }
        let method = Method::parse(&order.method).ok_or_else(|| ServiceError::Internal(order.method.clone()))?;
        let gateway =
            self.payments.gateways.get(&method).ok_or_else(|| ServiceError::MethodUnavailable(order.method.clone()))?;
        let refund = RefundRecord {
            refund_no: format!("RF{}", Uuid::now_v7().simple()),
            order_id,
            amount_minor: amount,
            status: "requested".into(),
            requested_by: requested_by.into(),
            created_at: now,
        };
        self.store.create_refund(refund.clone()).await?;
        let status = gateway
            .refund(&RefundRequest {
                provider_ref: order.provider_ref.clone().unwrap_or_default(),
                out_trade_no: order.out_trade_no.clone(),
                refund_no: refund.refund_no.clone(),
                amount: Money::new(amount, order.amount.currency()),
                total: order.amount,
                notify_url: self.payments.notify_url(method),
            })
            .await;
        match status {
            Ok(RefundStatus::Succeeded) => {
                self.store.complete_refund(order_id, &refund.refund_no, now).await?;
                self.notify_refund(order_id, &refund.refund_no, amount).await?;
            }
            Ok(RefundStatus::Pending) => {}
            Ok(RefundStatus::Failed(reason)) => {
                self.store.fail_refund(order_id, &refund.refund_no, now).await?;
                return Err(ServiceError::RefundNotAllowed(format!("the provider refused the refund: {reason}")));
            }
            Err(e) => {
                // The provider may or may not have it: the refund stays requested and the
                // same refund number (its idempotency key) can be retried safely.
                return Err(ServiceError::ProviderUnavailable(e.to_string()));
            }
        }
        if let Some(charging) = self.charging.get() {
            charging.invalidate(order.line_id).await;
        }
        tracing::info!(order = %order_id, amount, by = requested_by, "refund requested");
        Ok(self
            .store
            .order_refunds(order_id)
            .await?
            .into_iter()
            .find(|r| r.refund_no == refund.refund_no)
            .unwrap_or(refund))
    }
}
