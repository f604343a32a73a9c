//! The week or month a report covers, its key (`2026-W47`, `2026-11`), and when it closes.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::analytics::Period;

closed_list! {
    /// Whether a report covers a week or a month.
    pub enum ReportKind {
        /// Monday to Sunday.
        Week = "week" ("周报", "Weekly"),
        /// A calendar month.
        Month = "month" ("月报", "Monthly"),
    }
}

impl ReportKind {
    /// The week or month that contains `day`.
    pub fn period_of(self, day: NaiveDate) -> Period {
        match self {
            ReportKind::Week => {
                let from = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                Period {
                    from,
                    to: from + Days::new(6),
                }
            }
            ReportKind::Month => {
                let from = day.with_day(1).expect("day 1 exists");
                Period {
                    from,
                    to: from + Months::new(1) - Days::new(1),
                }
            }
        }
    }

    /// The period before `period` (of this kind): the week before, or the month before.
    pub fn previous(self, period: Period) -> Period {
        self.period_of(period.from - Days::new(1))
    }

    /// The period after `period` (of this kind).
    pub fn next(self, period: Period) -> Period {
        self.period_of(period.to + Days::new(1))
    }

    /// The most recent period that has closed on `today` (the one before today's).
    pub fn last_closed(self, today: NaiveDate) -> Period {
        self.previous(self.period_of(today))
    }

    /// The `n` periods ending with `period`, oldest first.
    pub fn recent(self, period: Period, n: usize) -> Vec<Period> {
        let mut out = vec![period];
        while out.len() < n {
            let before = self.previous(out[out.len() - 1]);
            out.push(before);
        }
        out.reverse();
        out
    }

    /// The key of the period that starts on `period.from`: `2026-W47` (ISO week) or `2026-11`.
    pub fn key(self, period: Period) -> String {
        match self {
            ReportKind::Week => {
                let week = period.from.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            ReportKind::Month => format!("{}-{:02}", period.from.year(), period.from.month()),
        }
    }

    /// The period a key names, when it is a well-formed key of this kind.
    pub fn parse_key(self, key: &str) -> Option<Period> {
        match self {
            ReportKind::Week => {
                let (year, week) = key.split_once("-W")?;
                if week.len() != 2 || year.len() != 4 {
                    return None;
                }
                let from = NaiveDate::from_isoywd_opt(
                    year.parse().ok()?,
                    week.parse().ok()?,
                    Weekday::Mon,
                )?;
                Some(self.period_of(from))
            }
            ReportKind::Month => {
                let (year, month) = key.split_once('-')?;
                if month.len() != 2 || year.len() != 4 {
                    return None;
                }
                let from = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
                Some(self.period_of(from))
            }
        }
    }
}

/// Whether a period has closed on `today` (its last day is over in the organisation's zone).
pub fn is_closed(period: Period, today: NaiveDate) -> bool {
    period.to < today
}

#[cfg(test)]
mod tests {
    use super::super::TREND_PERIODS;
    use super::super::fixtures::{day, period};
    use super::*;

    #[test]
    fn weeks_run_monday_to_sunday_and_have_iso_keys() {
        let week = ReportKind::Week;
        // Sunday 2026-11-22 belongs to the week that began on Monday the 16th.
        assert_eq!(
            week.period_of(day("2026-11-22")),
            period("2026-11-16", "2026-11-22")
        );
        assert_eq!(
            week.period_of(day("2026-11-23")),
            period("2026-11-23", "2026-11-29")
        );
        assert_eq!(week.key(period("2026-11-16", "2026-11-22")), "2026-W47");
        assert_eq!(
            week.parse_key("2026-W47"),
            Some(period("2026-11-16", "2026-11-22"))
        );
        // ISO week 1 of 2027 starts in December 2026 (2027-01-01 is a Friday... of week 53).
        let first = week.parse_key("2026-W01").unwrap();
        assert_eq!(first, period("2025-12-29", "2026-01-04"));
        assert_eq!(week.key(first), "2026-W01");
        assert_eq!(week.key(week.period_of(day("2027-01-01"))), "2026-W53");
        for bad in ["2026-W54", "2026-47", "2026-W7", "26-W47", "", "2026-W4x"] {
            assert_eq!(week.parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_and_their_keys() {
        let month = ReportKind::Month;
        assert_eq!(
            month.period_of(day("2024-02-10")),
            period("2024-02-01", "2024-02-29")
        );
        assert_eq!(month.key(period("2026-11-01", "2026-11-30")), "2026-11");
        assert_eq!(
            month.parse_key("2026-12"),
            Some(period("2026-12-01", "2026-12-31"))
        );
        for bad in ["2026-13", "2026-1", "2026/11", "2026-W47", "x"] {
            assert_eq!(month.parse_key(bad), None, "{bad}");
        }
        assert_eq!(
            month.previous(period("2026-03-01", "2026-03-31")),
            period("2026-02-01", "2026-02-28")
        );
        assert_eq!(
            month.next(period("2026-12-01", "2026-12-31")),
            period("2027-01-01", "2027-01-31")
        );
    }

    #[test]
    fn the_last_closed_period_and_the_trend_periods() {
        // On Monday the week before has closed; on Sunday it is still the week before that.
        assert_eq!(
            ReportKind::Week.last_closed(day("2026-11-23")),
            period("2026-11-16", "2026-11-22")
        );
        assert_eq!(
            ReportKind::Week.last_closed(day("2026-11-22")),
            period("2026-11-09", "2026-11-15")
        );
        assert_eq!(
            ReportKind::Month.last_closed(day("2026-01-01")),
            period("2025-12-01", "2025-12-31")
        );
        assert!(is_closed(
            period("2026-11-16", "2026-11-22"),
            day("2026-11-23")
        ));
        assert!(!is_closed(
            period("2026-11-16", "2026-11-22"),
            day("2026-11-22")
        ));
        let six = ReportKind::Month.recent(period("2026-02-01", "2026-02-28"), TREND_PERIODS);
        let keys: Vec<String> = six.iter().map(|p| ReportKind::Month.key(*p)).collect();
        assert_eq!(
            keys,
            [
                "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"
            ]
        );
    }
}
