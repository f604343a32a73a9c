//! How a duration is written for people, in one unit a call centre reads: whole minutes under an
//! hour ("45 分钟", "45 min"), hours and minutes from an hour ("1 小时 25 分钟", "1 h 25 min").
//! The dashboard's KPI cards, the report's page, its mail and its CSV all write the average
//! handling time with it, so they say the same thing.

use crate::Lang;

/// A duration given in minutes, in words: rounded to the minute; under an hour in minutes,
/// from an hour in hours and minutes (the minutes left out when there are none); a positive
/// duration under half a minute is "under 1 minute", not "0". The sign is dropped (a change
/// is said with its own words).
pub fn duration_words(lang: Lang, minutes: f64) -> String {
    let size = if minutes.is_finite() {
        minutes.abs()
    } else {
        0.0
    };
    let total = size.round() as u64;
    let (hours, rest) = (total / 60, total % 60);
    match lang {
        Lang::Zh if total == 0 && size > 0.0 => "不到 1 分钟".to_owned(),
        Lang::En if total == 0 && size > 0.0 => "under 1 min".to_owned(),
        Lang::Zh if hours == 0 => format!("{rest} 分钟"),
        Lang::En if hours == 0 => format!("{rest} min"),
        Lang::Zh if rest == 0 => format!("{hours} 小时"),
        Lang::En if rest == 0 => format!("{hours} h"),
        Lang::Zh => format!("{hours} 小时 {rest} 分钟"),
        Lang::En => format!("{hours} h {rest} min"),
    }
}

/// A duration in both languages, for what is written once for readers of either (the report
/// mail, the report's CSV): "1 小时 5 分钟 / 1 h 5 min".
pub fn duration_words_both(minutes: f64) -> String {
    format!(
        "{} / {}",
        duration_words(Lang::Zh, minutes),
        duration_words(Lang::En, minutes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_an_hour_is_whole_minutes() {
        assert_eq!(duration_words(Lang::Zh, 12.0), "12 分钟");
        assert_eq!(duration_words(Lang::En, 12.0), "12 min");
        // Rounded to the nearest minute, never with decimals.
        assert_eq!(duration_words(Lang::En, 42.26), "42 min");
        assert_eq!(duration_words(Lang::En, 45.5), "46 min");
        assert_eq!(duration_words(Lang::Zh, 0.6), "1 分钟");
        assert_eq!(duration_words(Lang::Zh, 59.4), "59 分钟");
    }

    #[test]
    fn from_an_hour_is_hours_and_minutes() {
        assert_eq!(duration_words(Lang::Zh, 65.0), "1 小时 5 分钟");
        assert_eq!(duration_words(Lang::En, 65.0), "1 h 5 min");
        assert_eq!(duration_words(Lang::Zh, 85.0), "1 小时 25 分钟");
        // 59.6 minutes round to a whole hour, said without "0 minutes".
        assert_eq!(duration_words(Lang::Zh, 59.6), "1 小时");
        assert_eq!(duration_words(Lang::En, 120.0), "2 h");
        // A day and more stays in hours: what a call centre reads for a handling time.
        assert_eq!(duration_words(Lang::En, 26.0 * 60.0 + 5.0), "26 h 5 min");
    }

    #[test]
    fn nothing_and_almost_nothing_are_told_apart() {
        assert_eq!(duration_words(Lang::Zh, 0.0), "0 分钟");
        assert_eq!(duration_words(Lang::En, 0.0), "0 min");
        assert_eq!(duration_words(Lang::Zh, 0.2), "不到 1 分钟");
        assert_eq!(duration_words(Lang::En, 0.2), "under 1 min");
        assert_eq!(duration_words(Lang::En, f64::NAN), "0 min");
    }

    #[test]
    fn the_sign_is_left_to_the_sentence() {
        assert_eq!(duration_words(Lang::En, -75.0), "1 h 15 min");
    }

    #[test]
    fn mails_and_files_say_it_in_both_languages() {
        assert_eq!(duration_words_both(65.0), "1 小时 5 分钟 / 1 h 5 min");
        assert_eq!(duration_words_both(30.0), "30 分钟 / 30 min");
    }
}
