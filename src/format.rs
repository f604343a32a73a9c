//! How the interface writes times, numbers, percentages, periods and durations: one place, so
//! every page says them the same way.

use chrono::{DateTime, Utc};
use pingjia_domain::analytics::Period;

use crate::i18n::{Locale, td_string};

/// A time in the user's zone, `YYYY-MM-DD HH:MM`: the browser's `Date` knows the zone, and
/// numbers with zeros in front are all it takes (chrono's `format` machinery costs the light
/// customer app kilobytes of wasm).
pub fn local_time(time: DateTime<Utc>) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        time.timestamp_millis() as f64
    ));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// An evaluation's score with one decimal, e.g. 4.8. Total scores come in tenths
/// (`pingjia_domain::rules::total_score`): written from whole tenths, without the float
/// formatting of `{:.1}`, which the light customer app would otherwise carry.
pub fn total_text(score: f64) -> String {
    let tenths = (score.abs() * 10.0).round() as u64;
    let sign = if score < 0.0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
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

/// A duration given in minutes as the interface says it: "45 分钟", "1 小时 25 分钟" (the
/// domain's rule, which the report's mail and CSV follow too).
pub fn duration_text(locale: Locale, minutes: f64) -> String {
    pingjia_domain::analytics::duration_words(crate::labels::lang(locale), minutes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn local_times_read_as_chrono_writes_them_in_the_users_zone() {
        for time in [
            Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 1, 1, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2026, 7, 5, 16, 7, 0).unwrap(),
        ] {
            let chrono = time
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string();
            assert_eq!(local_time(time), chrono);
        }
    }

    #[test]
    fn total_scores_have_one_decimal() {
        assert_eq!(total_text(4.8), "4.8");
        assert_eq!(total_text(5.0), "5.0");
        assert_eq!(total_text(4.3), "4.3");
        assert_eq!(total_text(0.0), "0.0");
        assert_eq!(total_text(10.0), "10.0");
    }
}
