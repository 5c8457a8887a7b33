//! What the staff console reads and repairs: customers, orders, the dashboard,
//! retries of work that gave up, and catalogue edits (a price, or the whole
//! catalogue as a file). Mutations here are audited by the caller with
//! [`Services::audit`], which knows who is acting.

use crate::{ServiceError, Services};
use keepsim_domain::catalogue::{Catalogue, CatalogueDiff, Package};
use keepsim_domain::order::OrderStatus;
use keepsim_domain::{Currency, Money};
use keepsim_store::{AccountRecord, Channel, DailySales, DeviceRecord, LineRecord, OrderFilter, OrderRecord, Page};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Devices and lines listed with a customer (more than anyone has).
const CUSTOMER_ITEMS: Page = Page { after: None, limit: 1000 };

/// A customer as staff see them: the account, their bound devices and their lines (oldest first).
pub type CustomerView = (AccountRecord, Vec<DeviceRecord>, Vec<LineRecord>);

/// The figures on the console's first page.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// Paid orders per UTC day and currency, oldest day first.
    pub sales: Vec<DailySales>,
    /// Data used per UTC day (bytes, all lines), oldest day first.
    pub data_used: Vec<(Date, i64)>,
    /// Lines that used any service per UTC day, oldest day first.
    pub lines_in_use: Vec<(Date, i64)>,
    /// Lines per state name.
    pub line_counts: Vec<(String, i64)>,
}

/// Payment methods an order can have.
const METHODS: [&str; 3] = ["card", "alipay", "wechat"];

impl Services {
    /// Customers whose email contains `query` (any case; empty or `None`: everyone), newest first.
    pub async fn search_customers(&self, query: Option<&str>, page: Page) -> Result<Vec<AccountRecord>, ServiceError> {
        Ok(self.store.search_accounts(query, page).await?)
    }

    /// A customer with their devices and lines; `None` when there is no such account.
    pub async fn customer(&self, id: Uuid) -> Result<Option<CustomerView>, ServiceError> {
        let Some(account) = self.store.account_by_id(id).await? else { return Ok(None) };
        let devices = self.store.list_devices(id, CUSTOMER_ITEMS).await?;
        let lines = self.store.list_lines(id, CUSTOMER_ITEMS).await?;
        Ok(Some((account, devices, lines)))
    }

    /// Orders matching `filter`, newest first. An unknown status or method is
    /// `InvalidField` naming it.
    pub async fn orders_filtered(&self, filter: OrderFilter, page: Page) -> Result<Vec<OrderRecord>, ServiceError> {
        if let Some(s) = &filter.status
            && OrderStatus::parse(s).is_none()
        {
            return Err(ServiceError::InvalidField { field: "status", reason: format!("unknown order status {s:?}") });
        }
        if let Some(m) = &filter.method
            && !METHODS.contains(&m.as_str())
        {
            return Err(ServiceError::InvalidField {
                field: "method",
                reason: format!("unknown payment method {m:?} (card, alipay or wechat)"),
            });
        }
        Ok(self.store.list_orders_filtered(filter, page).await?)
    }

    /// Sales and data used per day since `since`, and lines per state.
    pub async fn dashboard(&self, since: OffsetDateTime) -> Result<Dashboard, ServiceError> {
        Ok(Dashboard {
            sales: self.store.daily_sales(since).await?,
            data_used: self.store.daily_data_used(since).await?,
            lines_in_use: self.store.daily_lines_in_use(since).await?,
            line_counts: self.store.line_counts().await?,
        })
    }

    /// Runs a fulfilment job that gave up again from its first attempt (the fulfilment
    /// worker is woken); false when the job is not failed or its order was refunded since.
    pub async fn retry_fulfilment_job(&self, job_id: Uuid) -> Result<bool, ServiceError> {
        let retried = self.store.retry_fulfilment_job(job_id, self.clock.now()).await?;
        if retried {
            self.fulfil_wakeup.notify_one();
        }
        Ok(retried)
    }

    /// Sends a notification whose email or webhook delivery gave up again, from its first
    /// attempt; false when that delivery is not failed.
    pub async fn retry_delivery(&self, channel: Channel, notification_id: Uuid) -> Result<bool, ServiceError> {
        Ok(self.store.retry_delivery(channel, notification_id, self.clock.now()).await?)
    }

    /// Sets (`Some(minor units)`) or removes (`None`) a package's price in one currency and
    /// applies the catalogue as `import-catalog` does. Returns the package as it is now.
    /// An unknown package is `UnknownPackage`; a currency no payment method takes, a price
    /// that is not positive, or removing the last price is `InvalidField`; removing a price
    /// the package does not have is `PriceNotAvailable`.
    pub async fn set_package_price(
        &self,
        code: &str,
        currency: &str,
        amount_minor: Option<i64>,
    ) -> Result<Package, ServiceError> {
        let currency = Currency::parse(currency.trim())
            .map_err(|e| ServiceError::InvalidField { field: "currency", reason: e.to_string() })?;
        if amount_minor.is_some() {
            let mut accepted: Vec<Currency> = self.payments.currencies.values().flatten().copied().collect();
            accepted.sort();
            accepted.dedup();
            if !accepted.contains(&currency) {
                let accepted: Vec<&str> = accepted.iter().map(|c| c.as_str()).collect();
                return Err(ServiceError::InvalidField {
                    field: "currency",
                    reason: format!("no payment method takes {currency}; prices can be in {}", accepted.join(", ")),
                });
            }
        }
        let mut next = self.catalogue().await?;
        let package = next
            .packages
            .iter_mut()
            .find(|p| p.code == code)
            .ok_or_else(|| ServiceError::UnknownPackage(code.to_string()))?;
        let had = package.price(currency).is_some();
        package.prices.retain(|m| m.currency() != currency);
        match amount_minor {
            Some(a) if a <= 0 => {
                return Err(ServiceError::InvalidField { field: "amount", reason: "a price must be positive".into() });
            }
            Some(a) => package.prices.push(Money::new(a, currency)),
            None if !had => {
                return Err(ServiceError::PriceNotAvailable {
                    package: code.to_string(),
                    currency: currency.to_string(),
                });
            }
            None if package.prices.is_empty() => {
                return Err(ServiceError::InvalidField {
                    field: "currency",
                    reason: format!("{code} needs at least one price; {currency} is its last"),
                });
            }
            None => {}
        }
        package.prices.sort_by_key(|m| m.currency().to_string());
        let updated = package.clone();
        // Whatever the file format accepts is what a stored catalogue may hold: check it the same way.
        Catalogue::from_toml(&next.to_toml()).map_err(catalogue_error)?;
        self.import_catalogue(&next).await?;
        Ok(updated)
    }

    /// The catalogue as stored, as a catalogue file (packages no longer on sale left out)
    /// that [`Services::apply_catalogue_toml`] takes back.
    pub async fn catalogue_toml(&self) -> Result<String, ServiceError> {
        Ok(self.catalogue_shared().await?.to_toml())
    }

    /// What applying a catalogue file would change, without applying it. A mistake in the
    /// file is `InvalidCatalogue` with its line and column.
    pub async fn preview_catalogue_toml(&self, text: &str) -> Result<CatalogueDiff, ServiceError> {
        let next = Catalogue::from_toml(text).map_err(catalogue_error)?;
        self.catalogue_diff(&next).await
    }

    /// Applies a catalogue file as `import-catalog` does (packages it lacks are retired)
    /// and returns what changed. A mistake in the file is `InvalidCatalogue` with its line
    /// and column, and nothing is applied.
    pub async fn apply_catalogue_toml(&self, text: &str) -> Result<CatalogueDiff, ServiceError> {
        let next = Catalogue::from_toml(text).map_err(catalogue_error)?;
        self.import_catalogue(&next).await
    }
}

fn catalogue_error(e: keepsim_domain::catalogue::CatalogueError) -> ServiceError {
    ServiceError::InvalidCatalogue { line: e.line, column: e.column, reason: e.reason }
}
