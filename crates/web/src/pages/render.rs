//! The page templates (minijinja, compiled into the binary, HTML auto-escaped)
//! and what they may call: `t(id, …)` for a message of the catalogue in the
//! page's language, and filters formatting money, data, dates and numbers the
//! way that language writes them.

use keepsim_domain::{Bytes, Currency, Locale, Money};
use keepsim_i18n::{Arg, format};
use minijinja::value::{Kwargs, Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind, State};
use std::sync::OnceLock;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = templates![
    "base.html",
    "macros.html",
    "error.html",
    "home.html",
    "signup.html",
    "signin.html",
    "app.html",
    "devices.html",
    "esim.html",
    "coverage.html",
    "coverage_results.html",
    "packages.html",
    "buy.html",
    "order.html",
    "order_status.html",
    "usage.html",
    "inbox.html",
    "help.html",
    "tickets.html",
    "ticket.html",
    "checkout.html",
    "account_link.html",
    "admin/base.html",
    "admin/order_rows.html",
    "admin/signin.html",
    "admin/totp.html",
    "admin/dashboard.html",
    "admin/catalogue.html",
    "admin/inventory.html",
    "admin/customers.html",
    "admin/customer.html",
    "admin/line.html",
    "admin/orders.html",
    "admin/order.html",
    "admin/tickets.html",
    "admin/ticket.html",
    "admin/jobs.html",
    "admin/audit.html",
    "admin/staff.html",
];

/// The page language a template renders in (looked up as `locale`).
fn locale_of(state: &State) -> Locale {
    state.lookup("locale").and_then(|v| v.as_str().map(Locale::resolve)).unwrap_or_default()
}

fn arg_of(value: &Value) -> Arg {
    match value.kind() {
        ValueKind::Number => i64::try_from(value.clone()).map(Arg::Int).unwrap_or_else(|_| Arg::Str(value.to_string())),
        _ => Arg::Str(value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())),
    }
}

/// `t("message-id", name=value, …)`: the message in the page's language.
fn translate(state: &State, id: &str, kwargs: Kwargs) -> Result<String, Error> {
    let names: Vec<&str> = kwargs.args().collect();
    let mut args = Vec::with_capacity(names.len());
    for name in names {
        let v: Value = kwargs.get(name)?;
        args.push((name, arg_of(&v)));
    }
    keepsim_i18n::render(locale_of(state), id, &args)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("message {id}: {e}")))
}

fn money(state: &State, amount_minor: i64, currency: &str) -> Result<String, Error> {
    let currency = Currency::parse(currency).map_err(|e| Error::new(ErrorKind::InvalidOperation, e.to_string()))?;
    Ok(format::money(locale_of(state), &Money::new(amount_minor, currency)))
}

fn bytes(state: &State, n: Value) -> String {
    match u64::try_from(n) {
        Ok(n) => format::bytes(locale_of(state), Bytes(n)),
        Err(_) => String::new(),
    }
}

fn number(state: &State, n: i64) -> String {
    format::integer(locale_of(state), n)
}

fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// `"2026-12-01T…Z" | date`: the day in the page's style, on the reader's clock.
fn date(state: &State, s: Value) -> String {
    let Some(text) = s.as_str() else { return String::new() };
    if let Some(t) = parse_time(text) {
        return format::date(locale_of(state), t.to_offset(offset_of(state)).date());
    }
    time::Date::parse(text, &time::macros::format_description!("[year]-[month]-[day]"))
        .map(|d| format::date(locale_of(state), d))
        .unwrap_or_default()
}

/// The reader's UTC offset (looked up as `utc_offset_minutes`; UTC when absent).
fn offset_of(state: &State) -> time::UtcOffset {
    state
        .lookup("utc_offset_minutes")
        .and_then(|v| i32::try_from(v).ok())
        .and_then(|m| time::UtcOffset::from_whole_seconds(m.saturating_mul(60)).ok())
        .unwrap_or(time::UtcOffset::UTC)
}

/// `"2026-12-01T…Z" | datetime`: the moment on the reader's clock, with its offset.
fn datetime(state: &State, s: Value) -> String {
    s.as_str()
        .and_then(parse_time)
        .map(|t| format::datetime_at(locale_of(state), t, offset_of(state)))
        .unwrap_or_default()
}

/// Whole minutes in a number of seconds (rounded down).
fn minutes(seconds: i64) -> i64 {
    seconds / 60
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(template = name, error = %e, "template does not parse");
        }
    }
    env.add_function("t", translate);
    env.add_filter("money", money);
    env.add_filter("bytes", bytes);
    env.add_filter("number", number);
    env.add_filter("date", date);
    env.add_filter("datetime", datetime);
    env.add_filter("minutes", minutes);
    env
}

/// The template environment, built once.
pub fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(environment)
}

/// Renders template `name` with `context`; an error is logged and returned.
pub fn render(name: &str, context: Value) -> Result<String, Error> {
    let result = templates().get_template(name).and_then(|t| t.render(context));
    if let Err(e) = &result {
        tracing::error!(template = name, error = %e, detail = ?e.detail(), "template failed");
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_value_wins_over_the_shared_context() {
        // `base()` and the console merge `context! { ..extra, ..shared }`: the page's own values come first.
        let merged = minijinja::context! { ..minijinja::context! { toml => "page" }, ..minijinja::context! { toml => "shared", x => 1 } };
        assert_eq!(merged.get_attr("toml").unwrap().as_str(), Some("page"));
        assert_eq!(merged.get_attr("x").unwrap().as_usize(), Some(1));
    }

    /// Every `t("id" …)` in a template: `(id, is_prefix)`; a prefix is joined to a value
    /// (`t("line-state-" ~ line.state)`).
    fn message_ids(source: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let bytes = source.as_bytes();
        let mut at = 0;
        while let Some(found) = source[at..].find("t(") {
            let start = at + found;
            at = start + 2;
            let preceded_by_name = start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
            let Some(&quote) = bytes.get(at) else { break };
            if preceded_by_name || (quote != b'"' && quote != b'\'') {
                continue;
            }
            let Some(len) = source[at + 1..].find(quote as char) else { break };
            let id = &source[at + 1..at + 1 + len];
            let rest = source[at + 2 + len..].trim_start();
            out.push((id.to_string(), rest.starts_with('~')));
        }
        out
    }

    #[test]
    fn every_message_a_template_names_is_in_the_catalogue() {
        use keepsim_domain::account::Role;
        use keepsim_domain::bundle::{BundleState, LedgerKind};
        use keepsim_domain::line::LineState;
        use keepsim_domain::order::OrderStatus;
        use keepsim_domain::ticket::TicketStatus;
        let statuses: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
        let status_hints: Vec<String> = statuses.iter().map(|s| format!("{s}-hint")).collect();
        let errors = ["not_found", "csrf", "forbidden", "internal_error"];
        let error_hints: Vec<String> = errors.iter().map(|c| format!("{c}-hint")).collect();
        // Every value a template joins to a prefix; a new prefix must be listed here.
        let values = |prefix: &str| -> Option<Vec<String>> {
            let v: Vec<String> = match prefix {
                "line-state-" => LineState::ALL.iter().map(|s| s.as_str().to_string()).collect(),
                "bundle-state-" => BundleState::ALL.iter().map(|s| s.as_str().to_string()).collect(),
                "ledger-" => LedgerKind::ALL.iter().map(|k| k.as_str().to_string()).collect(),
                "usage-remaining-" => {
                    keepsim_domain::bundle::Service::ALL.iter().map(|s| s.as_str().to_string()).collect()
                }
                "order-status-" => statuses.iter().map(|s| s.to_string()).chain(status_hints.iter().cloned()).collect(),
                "method-" | "order-scan-" => ["card", "alipay", "wechat"].map(String::from).to_vec(),
                "ticket-status-" => TicketStatus::ALL.iter().map(|s| s.as_str().to_string()).collect(),
                "ticket-author-" | "admin-author-" => ["customer", "staff"].map(String::from).to_vec(),
                "admin-role-" => Role::ALL.iter().map(|r| r.as_str().to_string()).collect(),
                "error-page-" => errors.iter().map(|c| c.to_string()).chain(error_hints.iter().cloned()).collect(),
                _ => return None,
            };
            Some(v)
        };
        let catalogue = keepsim_i18n::catalogue();
        let mut missing = Vec::new();
        let mut seen = 0;
        for (name, source) in TEMPLATES {
            for (id, is_prefix) in message_ids(source) {
                seen += 1;
                let ids = if is_prefix {
                    match values(&id) {
                        Some(v) => v.into_iter().map(|v| format!("{id}{v}")).collect(),
                        None => {
                            missing.push(format!("{name}: prefix {id:?} has no list of values in this test"));
                            continue;
                        }
                    }
                } else {
                    vec![id]
                };
                for id in ids {
                    if !catalogue.has_message(Locale::En, &id) {
                        missing.push(format!("{name}: {id}"));
                    }
                }
            }
        }
        assert!(seen > 300, "the scan finds the templates' messages ({seen})");
        assert!(missing.is_empty(), "messages the catalogue lacks: {missing:#?}");
    }

    #[test]
    fn the_scan_finds_ids_and_prefixes_but_not_other_functions() {
        let ids = message_ids(r#"{{ t("a-b") }} {{ t('c', x=1) }} {{ t("line-state-" ~ s) }} {{ barchart("no", 1) }}"#);
        assert_eq!(ids, vec![("a-b".into(), false), ("c".into(), false), ("line-state-".into(), true)]);
    }

    #[test]
    fn every_template_parses() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name} does not parse");
        }
    }
}
