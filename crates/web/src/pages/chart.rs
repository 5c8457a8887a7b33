//! Bar charts drawn on the server as SVG geometry (the template writes the
//! `<rect>`s), so a chart needs no script and no inline style.

use serde::Serialize;

/// Width and height of the drawing area in SVG units.
const WIDTH: u32 = 600;
const HEIGHT: u32 = 160;
const TOP: u32 = 8;
const BOTTOM: u32 = 20;

/// One bar: its box, the label under it (every few bars) and its tooltip.
#[derive(Debug, Serialize)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
    /// Text under the bar, empty for most bars.
    pub label: String,
    /// Tooltip (`<title>`): the label and the value, formatted.
    pub title: String,
}

/// A chart ready for the template.
#[derive(Debug, Serialize)]
pub struct Chart {
    /// The SVG `viewBox` width.
    pub width: u32,
    /// The SVG `viewBox` height.
    pub height: u32,
    /// The y of the x axis.
    pub axis_y: u32,
    /// The bars, left to right.
    pub bars: Vec<Bar>,
    /// The largest value, formatted (shown as the scale).
    pub max_label: String,
    /// The sum of all values, formatted.
    pub total_label: String,
}

/// The `n` calendar days (UTC) ending with the day of `now`, oldest first.
pub fn last_days(now: time::OffsetDateTime, n: u16) -> Vec<time::Date> {
    let today = now.to_offset(time::UtcOffset::UTC).date();
    (0..i64::from(n)).rev().filter_map(|back| today.checked_sub(time::Duration::days(back))).collect()
}

/// The first moment of the oldest of `days` (what to query usage from).
pub fn start_of(days: &[time::Date]) -> time::OffsetDateTime {
    days.first().map(|d| d.midnight().assume_utc()).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// `value_of(day)` for each of `days`, labelled `12/1`.
pub fn per_day(days: &[time::Date], value_of: impl Fn(time::Date) -> u64) -> Vec<(String, u64)> {
    days.iter().map(|d| (format!("{}/{}", u8::from(d.month()), d.day()), value_of(*d))).collect()
}

/// Data used per day from hourly usage points.
pub fn data_per_day(days: &[time::Date], points: &[keepsim_store::UsagePoint]) -> Vec<(String, u64)> {
    per_day(days, |day| {
        points
            .iter()
            .filter(|p| p.service == keepsim_domain::bundle::Service::Data && p.at.date() == day)
            .map(|p| p.units)
            .sum()
    })
}

/// A chart of `points` (label, value); `fmt` formats values for people.
pub fn bars(points: &[(String, u64)], fmt: impl Fn(u64) -> String) -> Chart {
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let total: u64 = points.iter().map(|(_, v)| *v).sum();
    let n = u32::try_from(points.len().max(1)).unwrap_or(u32::MAX);
    let slot = (WIDTH / n).max(1);
    let w = (slot * 7 / 10).max(1);
    let usable = HEIGHT - TOP - BOTTOM;
    let label_every = (n / 6).max(1) as usize;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let h = if max == 0 {
                0
            } else {
                u32::try_from(u128::from(*v) * u128::from(usable) / u128::from(max)).unwrap_or(usable)
            };
            let h = if *v > 0 { h.max(1) } else { 0 };
            let i32_ = u32::try_from(i).unwrap_or(0);
            Bar {
                x: i32_ * slot + (slot - w) / 2,
                y: TOP + usable - h,
                w,
                h,
                label: if i % label_every == 0 { label.clone() } else { String::new() },
                title: format!("{label}: {}", fmt(*v)),
            }
        })
        .collect();
    Chart { width: WIDTH, height: HEIGHT, axis_y: TOP + usable, bars, max_label: fmt(max), total_label: fmt(total) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tallest_bar_fills_the_height_and_zero_draws_nothing() {
        let points = vec![("1".to_string(), 0), ("2".to_string(), 50), ("3".to_string(), 100)];
        let c = bars(&points, |v| v.to_string());
        assert_eq!(c.bars[0].h, 0);
        assert_eq!(c.bars[2].h, HEIGHT - TOP - BOTTOM);
        assert_eq!(c.bars[1].h, (HEIGHT - TOP - BOTTOM) / 2);
        assert_eq!(c.total_label, "150");
        assert!(c.bars.iter().all(|b| b.x + b.w <= WIDTH));
    }

    #[test]
    fn the_last_thirty_days_end_today_and_cross_month_ends() {
        let days = last_days(time::macros::datetime!(2026-12-02 23:59 UTC), 30);
        assert_eq!(days.len(), 30);
        assert_eq!(days.first().copied(), Some(time::macros::date!(2026 - 11 - 03)));
        assert_eq!(days.last().copied(), Some(time::macros::date!(2026 - 12 - 02)));
        assert_eq!(start_of(&days), time::macros::datetime!(2026-11-03 00:00 UTC));
        assert_eq!(per_day(&days[..1], |_| 7), vec![("11/3".to_string(), 7)]);
    }

    #[test]
    fn an_empty_series_is_an_empty_chart() {
        let c = bars(&[], |v| v.to_string());
        assert!(c.bars.is_empty());
        assert_eq!(c.max_label, "0");
    }
}
