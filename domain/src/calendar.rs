//! The working-day calendar: Monday to Friday are working days, except configured holidays;
//! configured make-up workdays (调休) turn a Saturday or Sunday into a working day. Deadlines
//! such as the improvement plan's "3 working days" are computed with [`WorkCalendar`], on
//! times in the organisation's time zone.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, Duration, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, name_length_error};

/// Longest name of a calendar day.
pub const MAX_DAY_NAME_LEN: usize = 30;

/// The organisation's time zone, Asia/Shanghai: UTC+8 all year (China has no daylight saving).
/// Days in statistics, reports and evaluation numbers are days in this zone.
pub const ORG_UTC_OFFSET_SECONDS: i32 = 8 * 3600;

/// The organisation's calendar day of an instant, whatever the reader's own zone.
pub fn org_day(t: DateTime<Utc>) -> NaiveDate {
    (t + Duration::seconds(i64::from(ORG_UTC_OFFSET_SECONDS))).date_naive()
}

closed_list! {
    /// What a configured day is.
    pub enum DayKind {
        /// A public holiday (法定节假日): not a working day, whatever the weekday.
        Holiday = "holiday" ("法定节假日", "Holiday"),
        /// A make-up workday (调休上班): a Saturday or Sunday that is a working day.
        Workday = "workday" ("调休上班", "Make-up workday"),
    }
}

/// One configured day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// What it is, e.g. `国庆节` or `国庆节调休`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub name: String,
}

/// `GET /calendar?year=`: a year's configured days, in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarYear {
    pub year: i32,
    pub days: Vec<CalendarDay>,
}

/// `PUT /calendar/{date}`: what the day is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayEntry {
    pub kind: DayKind,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 30))]
    pub name: String,
}

/// The problems with making `date` a day of `kind` named `name` (trimmed); `prefix` prefixes the
/// field names (`""` for a single day, `days[3].` in a bulk request).
pub fn check_day(prefix: &str, date: NaiveDate, kind: DayKind, name: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    errors.extend(name_length_error(
        format!("{prefix}name"),
        name.trim(),
        "enter a name, e.g. 国庆节",
        MAX_DAY_NAME_LEN,
    ));
    if kind == DayKind::Workday && !is_weekend(date) {
        errors.push(FieldError::new(
            format!("{prefix}kind"),
            "not_weekend",
            format!("{date} is a weekday and already a working day; make-up workdays fall on a Saturday or Sunday"),
        ));
    }
    errors
}

/// `POST /calendar/bulk`: every configured day of one year at once; they replace the year's
/// current days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarBulk {
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year: i32,
    pub days: Vec<CalendarDay>,
}

impl CalendarBulk {
    /// Every problem: days outside the year, a date listed twice, and [`check_day`]'s rules.
    /// Field names are `days[i].date`, `days[i].kind`, `days[i].name`.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(2000..=2100).contains(&self.year) {
            errors.push(FieldError::new(
                "year",
                "out_of_range",
                "use a year from 2000 to 2100",
            ));
        }
        let mut seen = BTreeSet::new();
        for (index, day) in self.days.iter().enumerate() {
            let prefix = format!("days[{index}].");
            if day.date.year() != self.year {
                errors.push(FieldError::new(
                    format!("{prefix}date"),
                    "other_year",
                    format!("{} is not in {}", day.date, self.year),
                ));
            }
            if !seen.insert(day.date) {
                errors.push(FieldError::new(
                    format!("{prefix}date"),
                    "duplicate",
                    format!("{} is listed twice", day.date),
                ));
            }
            errors.extend(check_day(&prefix, day.date, day.kind, &day.name));
        }
        errors
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Which days are working days: weekdays, minus `holidays`, plus `workdays`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

const DAY: Duration = Duration::days(1);

impl WorkCalendar {
    /// A calendar from configured days.
    pub fn from_days<'a>(days: impl IntoIterator<Item = &'a CalendarDay>) -> WorkCalendar {
        let mut calendar = WorkCalendar::default();
        for day in days {
            match day.kind {
                DayKind::Holiday => calendar.holidays.insert(day.date),
                DayKind::Workday => calendar.workdays.insert(day.date),
            };
        }
        calendar
    }

    /// A make-up workday is a working day; otherwise a holiday is not; otherwise Monday to
    /// Friday are.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.workdays.contains(&date) {
            true
        } else if self.holidays.contains(&date) {
            false
        } else {
            !is_weekend(date)
        }
    }

    /// "`n` working days after `t`": the same time of day on the `n`-th working day after
    /// `t`'s date. Days are counted from the day after `t`'s date whether or not that date is
    /// itself a working day, so Friday 10:00 + 1 is Monday 10:00 and Saturday 10:00 + 1 is
    /// also Monday 10:00 (with no holidays). `n = 0` answers `t` itself.
    pub fn add_working_days(&self, t: DateTime<FixedOffset>, n: u32) -> DateTime<FixedOffset> {
        let mut date = t.date_naive();
        let mut left = n;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        t + (date - t.date_naive())
    }

    /// The part of `[a, b)` that falls on working days, each working day counting all its
    /// 24 hours (no office hours), days taken in `a`'s zone; zero when `b` is not after `a`.
    pub fn working_time_between(
        &self,
        a: DateTime<FixedOffset>,
        b: DateTime<FixedOffset>,
    ) -> Duration {
        if b <= a {
            return Duration::zero();
        }
        let zone = *a.offset();
        let b = b.with_timezone(&zone);
        let mut total = Duration::zero();
        let mut date = a.date_naive();
        let last = b.date_naive();
        while date <= last {
            if self.is_working_day(date) {
                let start = date.and_time(NaiveTime::MIN);
                let day_start = start.and_local_timezone(zone).single();
                if let Some(day_start) = day_start {
                    let from = day_start.max(a);
                    let to = (day_start + DAY).min(b);
                    if to > from {
                        total += to - from;
                    }
                }
            }
            date = date + Days::new(1);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<FixedOffset> {
        date(y, m, d)
            .and_hms_opt(h, min, 0)
            .unwrap()
            .and_local_timezone(FixedOffset::east_opt(8 * 3600).unwrap())
            .unwrap()
    }

    #[test]
    fn the_organisations_day_turns_at_midnight_in_shanghai() {
        use chrono::TimeZone;
        let utc = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 11, 22, h, m, 0).unwrap();
        assert_eq!(org_day(utc(15, 59)), date(2026, 11, 22));
        assert_eq!(org_day(utc(16, 0)), date(2026, 11, 23));
        assert_eq!(org_day(utc(0, 0)), date(2026, 11, 22));
    }

    /// The 2026 National Day week: 1-7 October off, Saturday 10 October worked.
    fn national_day() -> WorkCalendar {
        let mut c = WorkCalendar::default();
        for d in 1..=7 {
            c.holidays.insert(date(2026, 10, d));
        }
        c.workdays.insert(date(2026, 9, 20));
        c.workdays.insert(date(2026, 10, 10));
        c
    }

    #[test]
    fn weekends_holidays_and_make_up_days() {
        let c = national_day();
        assert!(c.is_working_day(date(2026, 11, 20)), "a Friday");
        assert!(!c.is_working_day(date(2026, 11, 21)), "a Saturday");
        assert!(!c.is_working_day(date(2026, 10, 1)), "a Thursday holiday");
        assert!(c.is_working_day(date(2026, 10, 10)), "a make-up Saturday");
        assert!(c.is_working_day(date(2026, 9, 20)), "a make-up Sunday");
    }

    #[test]
    fn adding_working_days_skips_weekends() {
        let c = WorkCalendar::default();
        // Friday 20 November 2026, 10:00.
        let friday = at(2026, 11, 20, 10, 0);
        assert_eq!(c.add_working_days(friday, 0), friday);
        assert_eq!(c.add_working_days(friday, 1), at(2026, 11, 23, 10, 0));
        assert_eq!(c.add_working_days(friday, 3), at(2026, 11, 25, 10, 0));
        // From a Saturday, counting starts on the next day as well.
        let saturday = at(2026, 11, 21, 22, 30);
        assert_eq!(c.add_working_days(saturday, 1), at(2026, 11, 23, 22, 30));
        assert_eq!(c.add_working_days(saturday, 3), at(2026, 11, 25, 22, 30));
    }

    #[test]
    fn adding_working_days_skips_holidays_and_counts_make_up_days() {
        let c = national_day();
        // Wednesday 30 September + 3: 1-7 October are off, Thursday 8, Friday 9, Saturday 10
        // (made up).
        let t = at(2026, 9, 30, 9, 15);
        assert_eq!(c.add_working_days(t, 1), at(2026, 10, 8, 9, 15));
        assert_eq!(c.add_working_days(t, 3), at(2026, 10, 10, 9, 15));
        assert_eq!(c.add_working_days(t, 4), at(2026, 10, 12, 9, 15));
        // Saturday 19 September + 1 is the make-up Sunday.
        assert_eq!(
            c.add_working_days(at(2026, 9, 19, 8, 0), 1),
            at(2026, 9, 20, 8, 0)
        );
    }

    #[test]
    fn working_time_counts_whole_working_days() {
        let c = national_day();
        // Friday 18:00 to Monday 09:00: 6 hours of Friday and 9 of Monday.
        assert_eq!(
            c.working_time_between(at(2026, 11, 20, 18, 0), at(2026, 11, 23, 9, 0)),
            Duration::hours(15)
        );
        // The whole holiday week and the weekend after it: only Thursday 8 and Friday 9, and
        // the make-up Saturday 10 until noon.
        assert_eq!(
            c.working_time_between(at(2026, 10, 1, 0, 0), at(2026, 10, 10, 12, 0)),
            Duration::hours(60)
        );
        assert_eq!(
            c.working_time_between(at(2026, 10, 2, 0, 0), at(2026, 10, 1, 0, 0)),
            Duration::zero()
        );
    }

    #[test]
    fn bulk_years_are_checked_day_by_day() {
        let bulk = CalendarBulk {
            year: 2026,
            days: vec![
                CalendarDay {
                    date: date(2026, 10, 1),
                    kind: DayKind::Holiday,
                    name: "国庆节".to_owned(),
                },
                CalendarDay {
                    date: date(2026, 10, 1),
                    kind: DayKind::Holiday,
                    name: " ".to_owned(),
                },
                CalendarDay {
                    date: date(2027, 10, 8),
                    kind: DayKind::Workday,
                    name: "调休".to_owned(),
                },
            ],
        };
        let fields: Vec<(String, String)> = bulk
            .validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("days[1].date".to_owned(), "duplicate".to_owned()),
                ("days[1].name".to_owned(), "required".to_owned()),
                ("days[2].date".to_owned(), "other_year".to_owned()),
                ("days[2].kind".to_owned(), "not_weekend".to_owned()),
            ]
        );
    }

    fn calendar() -> impl Strategy<Value = WorkCalendar> {
        let day = (0u64..120).prop_map(|d| date(2026, 9, 1) + Days::new(d));
        (
            proptest::collection::btree_set(day.clone(), 0..40),
            proptest::collection::btree_set(day, 0..10),
        )
            .prop_map(|(holidays, workdays)| WorkCalendar {
                holidays: holidays.difference(&workdays).copied().collect(),
                workdays,
            })
    }

    fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
        (0i64..100 * 24 * 60).prop_map(|minutes| at(2026, 9, 1, 0, 0) + Duration::minutes(minutes))
    }

    proptest! {
        #[test]
        fn the_result_is_a_working_day_at_the_same_time(c in calendar(), t in instant(), n in 1u32..15) {
            let due = c.add_working_days(t, n);
            prop_assert!(c.is_working_day(due.date_naive()));
            prop_assert_eq!(due.time(), t.time());
            prop_assert!(due > t);
        }

        #[test]
        fn more_working_days_are_later(c in calendar(), t in instant(), n in 0u32..15) {
            prop_assert!(c.add_working_days(t, n) < c.add_working_days(t, n + 1));
        }

        #[test]
        fn n_working_days_hold_n_days_of_working_time(c in calendar(), t in instant(), n in 1u32..15) {
            // Every day strictly between t's date and the result's is either not working or
            // one of the n - 1 working days counted in between; the result's day counts up to
            // t's time of day, and t's day from t on, when it is a working day.
            let due = c.add_working_days(t, n);
            let since_midnight = t - t.date_naive().and_time(NaiveTime::MIN).and_local_timezone(*t.offset()).unwrap();
            let expected = if c.is_working_day(t.date_naive()) {
                DAY * n as i32
            } else {
                DAY * (n as i32 - 1) + since_midnight
            };
            prop_assert_eq!(c.working_time_between(t, due), expected);
        }

        #[test]
        fn working_time_adds_up_and_never_exceeds_the_span(c in calendar(), a in instant(), b in instant(), x in instant()) {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let m = x.clamp(a, b);
            let whole = c.working_time_between(a, b);
            prop_assert_eq!(whole, c.working_time_between(a, m) + c.working_time_between(m, b));
            prop_assert!(whole <= b - a);
            prop_assert!(whole >= Duration::zero());
        }
    }
}
