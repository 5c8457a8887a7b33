//! Notifications: what happened, recorded once per event in the customer's
//! inbox (channels such as email and partner webhooks deliver from there).
//!
//! Each notification carries a dedupe key naming its event (an order, a bundle
//! and a threshold, a bundle and a day count …); the store records a key once,
//! so two nodes, two workers or a restart never warn twice, while a new event
//! (a new bundle crossing 75 %) warns again.

use crate::{ServiceError, Services};
use keepsim_channels::{ChannelError, Email, Mailer};
use keepsim_domain::units::Bytes;
use keepsim_i18n::Arg;
use keepsim_store::{AccountRecord, Channel, NewNotification, NotificationRecord, Page};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Bundle-expiry warnings: this many days before the end.
pub const BUNDLE_EXPIRY_WARNINGS: [i64; 2] = [3, 1];

impl Services {
    /// Records a notification once per `dedupe_key`; true when recorded now.
    pub async fn notify(
        &self,
        account_id: Uuid,
        line_id: Option<Uuid>,
        kind: &str,
        data: serde_json::Value,
        dedupe_key: String,
    ) -> Result<bool, ServiceError> {
        Ok(self
            .store
            .create_notification(NewNotification {
                id: Uuid::now_v7(),
                account_id,
                line_id,
                kind: kind.into(),
                data: data.to_string(),
                dedupe_key,
                created_at: self.clock.now(),
            })
            .await?)
    }

    /// The account's inbox, newest first.
    pub async fn inbox(&self, account: &AccountRecord, page: Page) -> Result<Vec<NotificationRecord>, ServiceError> {
        Ok(self.store.notifications(account.id, page).await?)
    }

    /// Marks one of the account's notifications read (another's answers `NotFound`).
    pub async fn mark_read(&self, account: &AccountRecord, id: Uuid) -> Result<(), ServiceError> {
        if self.store.mark_notification_read(account.id, id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound)
        }
    }

    /// The expiry sweeper's step: bundles past their validity are expired through
    /// their line's owner (remaining units forfeited with ledger entries the customer
    /// sees), and bundles ending within 3 days / 1 day are warned about once each.
    pub async fn sweep_expiry(&self) -> Result<(usize, usize), ServiceError> {
        let now = self.clock.now();
        let charging = self.charging();
        let mut expired = 0;
        for line_id in self.store.lines_with_expired_bundles(now, 500).await? {
            match charging.expire_bundles(line_id, now).await {
                Ok(()) => expired += 1,
                Err(e) => tracing::warn!(line = %line_id, error = %e, "expiring bundles failed; will retry"),
            }
        }
        let mut warned = 0;
        for (account_id, b) in
            self.store.bundles_expiring(now, now + Duration::days(BUNDLE_EXPIRY_WARNINGS[0]), 1000).await?
        {
            let Some(expires_at) = b.expires_at else { continue };
            let left = expires_at - now;
            let days = BUNDLE_EXPIRY_WARNINGS
                .iter()
                .copied()
                .filter(|d| left <= Duration::days(*d))
                .min()
                .unwrap_or(BUNDLE_EXPIRY_WARNINGS[0]);
            let data = serde_json::json!({
                "line_id": b.line_id, "bundle_id": b.id, "package": b.package_code, "days": days,
                "expires_at": expires_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
            });
            if self
                .notify(
                    account_id,
                    Some(b.line_id),
                    "bundle_expiring",
                    data,
                    format!("bundle_expiring:{}:{days}", b.id),
                )
                .await?
            {
                warned += 1;
            }
        }
        Ok((expired, warned))
    }

    /// Records "top-up succeeded" for a fulfilled order (once per order).
    pub(crate) async fn notify_topup(&self, order_id: Uuid, at: OffsetDateTime) -> Result<(), ServiceError> {
        let Some(order) = self.store.order_by_id(order_id).await? else { return Ok(()) };
        let line = self.store.line(order.account_id, order.line_id).await?;
        let data = serde_json::json!({
            "order_id": order.id, "line_id": order.line_id, "package": order.package.name, "package_code": order.package.code,
            "amount_minor": order.amount.amount_minor(), "currency": order.amount.currency().to_string(),
            "amount": order.amount.to_string(),
            "valid_until": line.and_then(|l| l.valid_until).and_then(|v| v.format(&time::format_description::well_known::Rfc3339).ok()),
            "at": at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        });
        self.notify(
            order.account_id,
            Some(order.line_id),
            "topup_succeeded",
            data,
            format!("topup_succeeded:{order_id}"),
        )
        .await?;
        Ok(())
    }

    /// Records "refund" for a completed refund (once per refund).
    pub(crate) async fn notify_refund(
        &self,
        order_id: Uuid,
        refund_no: &str,
        amount_minor: i64,
    ) -> Result<(), ServiceError> {
        let Some(order) = self.store.order_by_id(order_id).await? else { return Ok(()) };
        let amount = keepsim_domain::Money::new(amount_minor, order.amount.currency());
        let data = serde_json::json!({
            "order_id": order.id, "line_id": order.line_id, "package": order.package.name,
            "amount_minor": amount_minor, "currency": order.amount.currency().to_string(), "amount": amount.to_string(),
        });
        self.notify(order.account_id, Some(order.line_id), "refund", data, format!("refund:{refund_no}")).await?;
        Ok(())
    }
}

fn date(v: &serde_json::Value, locale: keepsim_domain::Locale) -> Option<String> {
    let s = v.as_str()?;
    let t = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    Some(keepsim_i18n::format::date(locale, t.date()))
}

/// The Fluent arguments of a notification's facts, with dates, money and data amounts written
/// the way `locale` writes them.
pub fn arguments(data: &serde_json::Value, locale: keepsim_domain::Locale) -> Vec<(String, Arg)> {
    let mut args = Vec::new();
    let Some(obj) = data.as_object() else { return args };
    for (k, v) in obj {
        match v {
            serde_json::Value::String(s) => args.push((k.clone(), Arg::Str(s.clone()))),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    args.push((k.clone(), Arg::Int(i)));
                }
            }
            // A fact not known (yet), e.g. a line not kept by this top-up: shown as a dash.
            serde_json::Value::Null => args.push((k.clone(), Arg::Str("—".into()))),
            _ => {}
        }
    }
    if let Some(p) = obj.get("threshold_percent").and_then(|v| v.as_i64()) {
        args.push(("percent".into(), Arg::Int(p)));
    }
    if let Some(r) = obj.get("remaining").and_then(|v| v.as_u64()) {
        args.push(("remaining".into(), Arg::Str(keepsim_i18n::format::bytes(locale, Bytes(r)))));
    }
    if let Some(f) = obj.get("forfeited_bytes").and_then(|v| v.as_u64()) {
        args.push(("forfeited".into(), Arg::Str(keepsim_i18n::format::bytes(locale, Bytes(f)))));
    }
    if let (Some(minor), Some(currency)) = (
        obj.get("amount_minor").and_then(|v| v.as_i64()),
        obj.get("currency").and_then(|v| v.as_str()).and_then(|c| keepsim_domain::Currency::parse(c).ok()),
    ) {
        let money = keepsim_domain::Money::new(minor, currency);
        args.push(("amount".into(), Arg::Str(keepsim_i18n::format::money(locale, &money))));
    }
    if let Some(d) = obj.get("expires_at").and_then(|v| date(v, locale)) {
        args.push(("expires".into(), Arg::Str(d)));
    }
    if let Some(d) = obj.get("valid_until").and_then(|v| date(v, locale)) {
        args.push(("valid_until".into(), Arg::Str(d)));
    }
    if !obj.contains_key("package") {
        args.push(("package".into(), Arg::Str(obj.get("package_code").and_then(|v| v.as_str()).unwrap_or("").into())));
    }
    args
}

/// What a failed delivery becomes: `retry` after the channel's backoff while the error is
/// transient and attempts remain, else `failed` (visible to staff). Shared by every channel.
fn after_failure(e: &ChannelError, attempts: i64, now: time::OffsetDateTime) -> (&'static str, time::OffsetDateTime) {
    let tries = u32::try_from(attempts).unwrap_or(u32::MAX);
    if e.is_retryable() && !keepsim_channels::webhook::should_give_up(tries) {
        ("retry", now + Duration::try_from(keepsim_channels::backoff(tries)).unwrap_or(Duration::HOUR))
    } else {
        ("failed", now)
    }
}

/// How long a claimed email is held before another worker may try it.
const EMAIL_LEASE: Duration = Duration::seconds(120);

/// The email of a notification, in the customer's language.
pub fn email_for(n: &NotificationRecord, to: &str, locale: keepsim_domain::Locale) -> Result<Email, String> {
    let data: serde_json::Value = serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null);
    let args = arguments(&data, locale);
    let refs: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let (title, body) = keepsim_i18n::notification(locale, &n.kind, &refs).map_err(|e| e.to_string())?;
    let greeting = keepsim_i18n::render(locale, "email-greeting", &[]).map_err(|e| e.to_string())?;
    let footer = keepsim_i18n::render(locale, "email-footer", &[]).map_err(|e| e.to_string())?;
    Ok(Email {
        to: to.to_string(),
        to_name: None,
        subject: title,
        text: format!("{greeting}\n\n{body}\n\n-- \n{footer}\n"),
        language: locale.tag().to_string(),
        message_id: Some(format!("{}@keepsim", n.id)),
    })
}

impl Services {
    /// The facts of each notification with its package named in the given language (from the
    /// package code, or from the bundle it is about), so inbox and email never show a bare code
    /// or an empty name. One catalogue read and one bundle query per line, whatever the count.
    pub async fn notification_facts(
        &self,
        items: &[(&NotificationRecord, keepsim_domain::Locale)],
    ) -> Vec<serde_json::Value> {
        let mut catalogue = None;
        let mut bundles: std::collections::HashMap<(Uuid, Uuid), Vec<keepsim_store::BundleRecord>> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(items.len());
        for (n, locale) in items {
            let mut data: serde_json::Value = serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null);
            if let Some(obj) = data.as_object_mut() {
                let mut code = obj.get("package_code").and_then(|v| v.as_str()).map(str::to_string);
                if code.is_none()
                    && let (Some(bundle_id), Some(line_id)) =
                        (obj.get("bundle_id").and_then(|v| v.as_str()).and_then(|s| Uuid::parse_str(s).ok()), n.line_id)
                {
                    let list = match bundles.entry((n.account_id, line_id)) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(self.store.line_bundles(n.account_id, line_id).await.unwrap_or_default())
                        }
                    };
                    code = list.iter().find(|b| b.id == bundle_id).map(|b| b.package_code.clone());
                }
                if let Some(code) = code {
                    if catalogue.is_none() {
                        catalogue = Some(self.catalogue_shared().await.ok());
                    }
                    let name = catalogue
                        .as_ref()
                        .and_then(|c| c.as_ref())
                        .and_then(|c| c.packages.iter().find(|p| p.code == code))
                        .map(|p| p.name(*locale).to_string());
                    if let Some(name) = name.or_else(|| (!obj.contains_key("package")).then_some(code)) {
                        obj.insert("package".into(), serde_json::Value::String(name));
                    }
                }
            }
            out.push(data);
        }
        out
    }

    /// One pass of the email worker: claims due notifications, sends each in its
    /// customer's language, retries transient failures with backoff and gives up
    /// (visibly, `failed`) after [`keepsim_channels::MAX_ATTEMPTS`]. A notification that
    /// cannot be rendered is logged and marked failed; the inbox still has it.
    pub async fn deliver_emails(&self, mailer: &Mailer) -> Result<usize, ServiceError> {
        let now = self.clock.now();
        let mut sent = 0;
        let claimed = self.store.claim_deliveries(Channel::Email, now, now + EMAIL_LEASE, 50).await?;
        let facts = self.notification_facts(&claimed.iter().map(|(n, a, _)| (n, a.locale)).collect::<Vec<_>>()).await;
        for ((mut n, account, attempts), data) in claimed.into_iter().zip(facts) {
            n.data = data.to_string();
            let email = match email_for(&n, account.email.as_str(), account.locale) {
                Ok(e) => e,
                Err(reason) => {
                    tracing::warn!(notification = %n.id, kind = %n.kind, %reason, "notification cannot be rendered as email");
                    self.store.finish_delivery(Channel::Email, n.id, "failed", now, Some(&reason), now).await?;
                    continue;
                }
            };
            match mailer.send(&email).await {
                Ok(()) => {
                    self.store.finish_delivery(Channel::Email, n.id, "sent", now, None, now).await?;
                    sent += 1;
                }
                Err(e) => {
                    let (state, next) = after_failure(&e, attempts, now);
                    tracing::warn!(notification = %n.id, error = %e, state, "email not delivered");
                    self.store.finish_delivery(Channel::Email, n.id, state, next, Some(&e.to_string()), now).await?;
                }
            }
        }
        Ok(sent)
    }
}

/// The operator's partner webhook endpoint (Standard Webhooks signing).
#[derive(Debug, Clone)]
pub struct PartnerWebhook {
    /// Where to POST (http or https only).
    pub url: reqwest::Url,
    /// The `whsec_…` signing secret.
    pub secret: keepsim_channels::WebhookSecret,
}

impl Services {
    /// One pass of the webhook worker: posts due notifications to the partner endpoint,
    /// signed per Standard Webhooks (`webhook-id` is the notification's, stable across
    /// retries); transient failures retry with backoff, and give-ups stay visible as `failed`.
    pub async fn deliver_webhooks(
        &self,
        hook: &PartnerWebhook,
        sender: &keepsim_channels::WebhookSender,
    ) -> Result<usize, ServiceError> {
        let now = self.clock.now();
        let mut sent = 0;
        for (n, _account, attempts) in self.store.claim_deliveries(Channel::Webhook, now, now + EMAIL_LEASE, 50).await?
        {
            let data: serde_json::Value = serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null);
            let body = serde_json::json!({
                "type": format!("notification.{}", n.kind),
                "timestamp": n.created_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "data": {"id": n.id, "account_id": n.account_id, "line_id": n.line_id, "kind": n.kind, "facts": data},
            })
            .to_string();
            let id = format!("msg_{}", n.id.simple());
            match sender.deliver(&hook.url, &hook.secret, &id, now.unix_timestamp(), body.as_bytes()).await {
                Ok(_) => {
                    self.store.finish_delivery(Channel::Webhook, n.id, "sent", now, None, now).await?;
                    sent += 1;
                }
                Err(e) => {
                    let (state, next) = after_failure(&e, attempts, now);
                    tracing::warn!(notification = %n.id, error = %e, state, "partner webhook not delivered");
                    self.store.finish_delivery(Channel::Webhook, n.id, state, next, Some(&e.to_string()), now).await?;
                }
            }
        }
        Ok(sent)
    }
}
