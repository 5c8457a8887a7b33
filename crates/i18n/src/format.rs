//! Numbers, money, data amounts and dates written the way each shipped
//! language writes them (CLDR conventions for the six shipped languages:
//! `US$1,234.50` / `1234,50 US$`, `1 Dec 2026` / `2026年12月1日`). Pages,
//! emails and notifications all format through here, so a customer sees
//! one style everywhere.

use keepsim_domain::{Bytes, Currency, Locale, Money};
use time::{Date, OffsetDateTime};

/// Whether `locale` writes `1.234,5` (comma decimals) rather than `1,234.5`.
fn comma_decimals(locale: Locale) -> bool {
    matches!(
        locale,
        Locale::Es | Locale::Fr | Locale::De | Locale::Pt | Locale::Ru | Locale::It | Locale::Id | Locale::Vi
    )
}

fn separators(locale: Locale) -> (char, char) {
    if comma_decimals(locale) { ('.', ',') } else { (',', '.') }
}

fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// An integer with the locale's digit grouping: `1,234,567` or `1.234.567`.
pub fn integer(locale: Locale, n: i64) -> String {
    let (grouping, _) = separators(locale);
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group(&digits, grouping))
}

/// The symbol a currency is shown with in `locale`.
fn symbol(locale: Locale, currency: Currency) -> String {
    let own_dollar = matches!(locale, Locale::En);
    let own_yuan = matches!(locale, Locale::ZhCn);
    match currency.as_str() {
        "USD" if own_dollar => "$".into(),
        "USD" => "US$".into(),
        "CNY" if own_yuan => "¥".into(),
        "CNY" => "CN¥".into(),
        "HKD" => "HK$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "JPY" if matches!(locale, Locale::Ja) => "￥".into(),
        "JPY" => "JP¥".into(),
        other => other.to_string(),
    }
}

/// An amount of money in the locale's style: `HK$50.00`, `¥30.00`, `9,90 €`.
pub fn money(locale: Locale, amount: &Money) -> String {
    let currency = amount.currency();
    let exponent = u32::from(currency.minor_unit_exponent());
    let minor = amount.amount_minor();
    let scale = 10u64.pow(exponent);
    let abs = minor.unsigned_abs();
    let (grouping, decimal) = separators(locale);
    let mut number = group(&(abs / scale).to_string(), grouping);
    if exponent > 0 {
        number.push(decimal);
        number.push_str(&format!("{:0width$}", abs % scale, width = exponent as usize));
    }
    let sign = if minor < 0 { "-" } else { "" };
    let symbol = symbol(locale, currency);
    if comma_decimals(locale) { format!("{sign}{number}\u{a0}{symbol}") } else { format!("{sign}{symbol}{number}") }
}

/// A data amount, rounded down to at most two decimals in the largest unit: `1.5 GB`, `1,5 GB`.
pub fn bytes(locale: Locale, amount: Bytes) -> String {
    let text = amount.to_human_approx();
    if comma_decimals(locale) { text.replace('.', ",") } else { text }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_ES: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];

/// A calendar date: `1 Dec 2026`, `2026年12月1日`, `2026년 12월 1일`, `1 dic 2026`.
pub fn date(locale: Locale, d: Date) -> String {
    let (y, m, day) = (d.year(), u8::from(d.month()), d.day());
    let month_index = usize::from(m.saturating_sub(1)).min(11);
    match locale {
        Locale::ZhCn | Locale::ZhTw | Locale::Ja => format!("{y}年{m}月{day}日"),
        Locale::Ko => format!("{y}년 {m}월 {day}일"),
        Locale::Es => format!("{day} {} {y}", MONTHS_ES[month_index]),
        _ => format!("{day} {} {y}", MONTHS_EN[month_index]),
    }
}

/// A moment, in UTC: the date as [`date`] writes it, then `HH:MM UTC`.
pub fn datetime(locale: Locale, t: OffsetDateTime) -> String {
    datetime_at(locale, t, time::UtcOffset::UTC)
}

/// A moment at a UTC offset (the reader's clock): the date as [`date`] writes it, then
/// `HH:MM` and the offset (`UTC`, `UTC+8`, `UTC+5:30`, `UTC−3`).
pub fn datetime_at(locale: Locale, t: OffsetDateTime, offset: time::UtcOffset) -> String {
    let t = t.to_offset(offset);
    format!("{} {:02}:{:02} {}", date(locale, t.date()), t.hour(), t.minute(), offset_label(offset))
}

/// `UTC`, `UTC+8`, `UTC+5:30`, `UTC−3` (a minus sign, not a hyphen).
pub fn offset_label(offset: time::UtcOffset) -> String {
    let minutes = offset.whole_minutes();
    if minutes == 0 {
        return "UTC".to_string();
    }
    let sign = if minutes < 0 { '−' } else { '+' };
    let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
    if m == 0 { format!("UTC{sign}{h}") } else { format!("UTC{sign}{h}:{m:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn money_follows_each_language() {
        let usd = Money::new(123_450, Currency::USD);
        assert_eq!(money(Locale::En, &usd), "$1,234.50");
        assert_eq!(money(Locale::ZhCn, &usd), "US$1,234.50");
        assert_eq!(money(Locale::Es, &usd), "1.234,50\u{a0}US$");
        assert_eq!(money(Locale::ZhCn, &Money::new(3000, Currency::CNY)), "¥30.00");
        assert_eq!(money(Locale::Ja, &Money::new(3000, Currency::CNY)), "CN¥30.00");
        assert_eq!(money(Locale::ZhTw, &Money::new(5000, Currency::HKD)), "HK$50.00");
        assert_eq!(money(Locale::En, &Money::new(-5, Currency::EUR)), "-€0.05");
    }

    #[test]
    fn moments_are_shown_at_the_readers_offset() {
        let t = datetime!(2026-12-01 18:59 UTC);
        assert_eq!(datetime(Locale::En, t), "1 Dec 2026 18:59 UTC");
        let east = time::UtcOffset::from_hms(8, 0, 0).unwrap();
        assert_eq!(datetime_at(Locale::ZhCn, t, east), "2026年12月2日 02:59 UTC+8", "the next day in Beijing");
        let india = time::UtcOffset::from_hms(5, 30, 0).unwrap();
        assert_eq!(datetime_at(Locale::En, t, india), "2 Dec 2026 00:29 UTC+5:30");
        let west = time::UtcOffset::from_hms(-3, 0, 0).unwrap();
        assert_eq!(datetime_at(Locale::Es, t, west), "1 dic 2026 15:59 UTC−3");
    }

    #[test]
    fn dates_follow_each_language() {
        let d = date!(2026 - 12 - 01);
        assert_eq!(date(Locale::En, d), "1 Dec 2026");
        assert_eq!(date(Locale::ZhCn, d), "2026年12月1日");
        assert_eq!(date(Locale::Ko, d), "2026년 12월 1일");
        assert_eq!(date(Locale::Es, d), "1 dic 2026");
        assert_eq!(datetime(Locale::Ja, datetime!(2026-12-01 09:05 UTC)), "2026年12月1日 09:05 UTC");
    }

    #[test]
    fn numbers_and_data_amounts_use_the_local_separators() {
        assert_eq!(integer(Locale::En, 1_234_567), "1,234,567");
        assert_eq!(integer(Locale::Es, -1_234), "-1.234");
        assert_eq!(integer(Locale::Ko, 999), "999");
        assert_eq!(bytes(Locale::Es, Bytes(1_610_612_736)), "1,5 GB");
        assert_eq!(bytes(Locale::En, Bytes(1_610_612_736)), "1.5 GB");
    }
}
