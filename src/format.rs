//! How the interface writes times, numbers, percentages, periods and durations: one place, so
//! every page says them the same way.

use chrono::{DateTime, Local, Utc};
use pingjia_domain::analytics::Period;

use crate::i18n::{Locale, td_string};

/// A time in the user's zone, `YYYY-MM-DD HH:MM`.
pub fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// An evaluation's score with one decimal, e.g. 4.8.
pub fn total_text(score: f64) -> String {
    format!("{score:.1}")
}

/// A mean score with two decimals, or "—" when unknown.
pub fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s:.2}"))
}

/// A rate (0-1) as a percentage with one decimal, or "—" when unknown.
pub fn percent_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// A rate (0-1) as a whole percentage, or "—" when unknown.
pub fn whole_percent_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

/// A period in words, e.g. "2026-11-01 至 2026-11-30".
pub fn period_words(locale: Locale, period: Period) -> String {
    td_string!(
        locale,
        analytics.period_range,
        from = period.from.to_string(),
        to = period.to.to_string()
    )
}

/// A duration in whole minutes as the interface says it: "45 分钟", "1 小时 25 分钟".
pub fn duration_text(locale: Locale, minutes: f64) -> String {
    let total = minutes.abs().round() as u64;
    let (hours, rest) = (total / 60, total % 60);
    if hours == 0 {
        td_string!(locale, analytics.minutes, minutes = rest.to_string())
    } else if rest == 0 {
        td_string!(locale, analytics.hours, hours = hours.to_string())
    } else {
        td_string!(
            locale,
            analytics.hours_minutes,
            hours = hours.to_string(),
            minutes = rest.to_string()
        )
    }
}
