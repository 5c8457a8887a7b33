//! keepsim's message catalogue: the texts customers read, in every shipped
//! language — notification titles and bodies (in-app inbox and email),
//! shared email parts, and later web pages and API error titles.
//!
//! There is one catalogue per language, a [Fluent](https://projectfluent.org)
//! file `messages/<tag>.ftl` named by [`Locale::tag`], compiled into the
//! binary and parsed once, on first use ([`catalogue`]). English is the
//! reference: every shipped language defines every English message with the
//! same variables ([`missing_messages`] and the tests check it), and
//! rendering falls back to English for a language that is not shipped or
//! lacks a message. Output carries no Unicode isolation marks, so it can go
//! into emails and JSON as it is.
//!
//! # Messages
//!
//! Shared email texts, without variables: `email-greeting`, `email-footer`.
//!
//! Each kind in [`NOTIFICATION_KINDS`] has `notification-<kind>-title` (inbox
//! title, email subject) and `notification-<kind>-body`. Variables are
//! strings formatted by the caller, except `$percent` and `$days`, integers
//! (`$days` chooses the plural form):
//!
//! | kind | variables |
//! |---|---|
//! | `topup_succeeded` | `$package`, `$amount`, `$valid_until` (the number is kept until) |
//! | `topup_failed` | `$package`, `$amount` |
//! | `refund` | `$package`, `$amount` (refunded) |
//! | `data_threshold` | `$package`, `$percent` (of the data used), `$remaining` (data left) |
//! | `bundle_exhausted` | `$package` |
//! | `bundle_expiring` | `$package`, `$days`, `$expires` (expiry date) |
//! | `bundle_expired` | `$package`, `$remaining` (what was left and is forfeited) |
//! | `line_expiring` | `$number` (phone number), `$days`, `$valid_until` |
//! | `line_grace` | `$number`, `$expires` (date the line is suspended) |
//! | `line_suspended` | `$number`, `$expires` (date the number is released for good) |
//! | `line_reactivated` | `$number`, `$valid_until` |
//! | `ticket_answered` | `$subject` (the ticket's subject) |
//! | `email_verify` | `$link` |
//! | `password_reset` | `$link` |
//!
//! ```
//! use keepsim_domain::Locale;
//!
//! let (title, body) = keepsim_i18n::notification(
//!     Locale::ZhCn,
//!     "bundle_expiring",
//!     &[("package", "欧洲 10GB".into()), ("days", 3_u32.into()), ("expires", "2025-07-01".into())],
//! )?;
//! assert_eq!(title, "欧洲 10GB 还有 3 天到期");
//! assert!(body.contains("2025-07-01"));
//! # Ok::<(), keepsim_i18n::RenderError>(())
//! ```

mod catalogue;
pub mod format;

use std::sync::OnceLock;

pub use catalogue::{Arg, Catalogue, RenderError};
use keepsim_domain::Locale;

/// The languages shipped, English first: every message exists in each.
const SHIPPED: [Locale; 6] = [Locale::En, Locale::ZhCn, Locale::ZhTw, Locale::Ja, Locale::Ko, Locale::Es];

/// The Fluent source of each shipped language, in [`SHIPPED`] order: notifications and emails
/// (`messages/<tag>.ftl`), then pages and API error titles (`messages/web/<tag>.ftl`).
const SOURCES: [(Locale, &str); 6] = [
    (Locale::En, concat!(include_str!("../messages/en.ftl"), "\n", include_str!("../messages/web/en.ftl"))),
    (Locale::ZhCn, concat!(include_str!("../messages/zh-CN.ftl"), "\n", include_str!("../messages/web/zh-CN.ftl"))),
    (Locale::ZhTw, concat!(include_str!("../messages/zh-TW.ftl"), "\n", include_str!("../messages/web/zh-TW.ftl"))),
    (Locale::Ja, concat!(include_str!("../messages/ja.ftl"), "\n", include_str!("../messages/web/ja.ftl"))),
    (Locale::Ko, concat!(include_str!("../messages/ko.ftl"), "\n", include_str!("../messages/web/ko.ftl"))),
    (Locale::Es, concat!(include_str!("../messages/es.ftl"), "\n", include_str!("../messages/web/es.ftl"))),
];

/// Every notification kind with a title and a body in the catalogue: the
/// ten inbox kinds of `GET /api/v1/notifications`, then `bundle_expired`
/// (unused units forfeited), then the email-only `email_verify` and
/// `password_reset`.
pub const NOTIFICATION_KINDS: [&str; 14] = [
    "topup_succeeded",
    "topup_failed",
    "refund",
    "data_threshold",
    "bundle_exhausted",
    "bundle_expiring",
    "line_expiring",
    "line_grace",
    "line_suspended",
    "line_reactivated",
    "bundle_expired",
    "ticket_answered",
    "email_verify",
    "password_reset",
];

/// The compiled-in catalogue, parsed on first use.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::from_sources(&SOURCES))
}

/// The languages keepsim ships messages for; any other [`Locale`] is
/// rendered in English.
pub fn languages() -> &'static [Locale] {
    &SHIPPED
}

/// Renders message `id` in `locale` from the compiled-in catalogue; see
/// [`Catalogue::render`].
pub fn render(locale: Locale, id: &str, args: &[(&str, Arg)]) -> Result<String, RenderError> {
    catalogue().render(locale, id, args)
}

/// Renders the title and the body of notification `kind` (one of
/// [`NOTIFICATION_KINDS`]) in `locale`, as `(title, body)`.
///
/// Both parts get the same variables. An unknown kind is
/// [`RenderError::UnknownMessage`].
pub fn notification(locale: Locale, kind: &str, args: &[(&str, Arg)]) -> Result<(String, String), RenderError> {
    let catalogue = catalogue();
    let title = catalogue.render(locale, &format!("notification-{kind}-title"), args)?;
    let body = catalogue.render(locale, &format!("notification-{kind}-body"), args)?;
    Ok((title, body))
}

/// Every message id present in English but absent in another shipped
/// language, as `(language, id)`; empty when the catalogue is complete.
pub fn missing_messages() -> Vec<(Locale, String)> {
    catalogue().missing_messages()
}

/// Every syntax error or duplicate id in the shipped Fluent files, as
/// `(language, description with line number)`; empty when they are sound.
pub fn parse_errors() -> Vec<(Locale, String)> {
    catalogue().parse_errors().to_vec()
}

#[cfg(test)]
mod tests;
