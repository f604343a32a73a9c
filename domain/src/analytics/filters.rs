//! The filter bar every report shares: the period and its buckets, the granularity of a
//! trend, the word cloud's sentiment, and what a drill-down narrows to.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS};
use crate::problem::FieldError;
use crate::settings::Settings;
use crate::wire::{Channel, CustomerType};

/// A period of whole days in the organisation's time zone, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The last `days` days ending with `today`.
    pub fn last_days(today: NaiveDate, days: u64) -> Period {
        Period {
            from: today - Days::new(days.saturating_sub(1)),
            to: today,
        }
    }

    /// How many days it covers.
    pub fn days(self) -> u64 {
        u64::try_from((self.to - self.from).num_days() + 1).unwrap_or(0)
    }

    /// The period of the same length that ends the day before this one begins: what the KPI
    /// cards compare with.
    pub fn previous(self) -> Period {
        let to = self.from - Days::new(1);
        Period {
            from: to - Days::new(self.days().saturating_sub(1)),
            to,
        }
    }

    /// The buckets of a trend over this period: each day, each ISO week (Monday first) or each
    /// calendar month that meets it, cut to the period at both ends.
    pub fn buckets(self, granularity: Granularity) -> Vec<Period> {
        let mut out = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let natural_end = match granularity {
                Granularity::Day => start,
                Granularity::Week => {
                    let to_sunday = 6 - u64::from(start.weekday().num_days_from_monday());
                    start + Days::new(to_sunday)
                }
                Granularity::Month => {
                    let first = start.with_day(1).expect("day 1 exists");
                    first + Months::new(1) - Days::new(1)
                }
            };
            let end = natural_end.min(self.to);
            out.push(Period {
                from: start,
                to: end,
            });
            start = end + Days::new(1);
        }
        out
    }
}

closed_list! {
    /// How a trend groups days.
    #[derive(Default)]
    pub enum Granularity {
        #[default]
        Day = "day" ("按日", "By day"),
        Week = "week" ("按周", "By week"),
        Month = "month" ("按月", "By month"),
    }
}

closed_list! {
    /// Which suggestions the word cloud reads.
    #[derive(Default)]
    pub enum Sentiment {
        /// Low scores: overall satisfaction at or below the callback threshold (6 of 10).
        #[default]
        Complaints = "complaints",
        /// High scores: overall satisfaction at or above the satisfaction threshold (8 of 10).
        Praise = "praise",
    }
}

impl Sentiment {
    /// The overall scores (1-10) it covers, both ends included.
    pub fn overall_range(self, settings: &Settings) -> (u8, u8) {
        match self {
            Sentiment::Complaints => (1, settings.callback_threshold),
            Sentiment::Praise => (settings.satisfaction_threshold, 10),
        }
    }
}

/// The filter bar every report takes, as query parameters. Empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct AnalyticsFilter {
    /// First day (organisation zone); with `to`. Default: 30 days before `to`. A period covers
    /// at most 366 days and does not end before it starts (otherwise 422).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day, included. Default: today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<i64>,
    /// The agent's employee number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    /// A service type code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<CustomerType>,
}

impl AnalyticsFilter {
    /// The period asked for, with the defaults filled in, or what is wrong with it.
    pub fn period(&self, today: NaiveDate) -> Result<Period, Vec<FieldError>> {
        let to = self.to.unwrap_or(today);
        let from = self
            .from
            .unwrap_or_else(|| Period::last_days(to, DEFAULT_PERIOD_DAYS).from);
        if from > to {
            return Err(vec![FieldError::new(
                "from",
                "after_to",
                "the first day is after the last day",
            )]);
        }
        let period = Period { from, to };
        if period.days() > MAX_PERIOD_DAYS {
            return Err(vec![FieldError::new(
                "from",
                "too_long",
                format!("a report covers at most {MAX_PERIOD_DAYS} days"),
            )]);
        }
        Ok(period)
    }
}

/// What the drill-down list narrows the filter bar's evaluations to: the bar, point, slice or
/// word that was clicked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct DrillFilter {
    /// Evaluations that answered this dimension…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// …with this score (1-5); without `dimension`, ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 5))]
    pub score: Option<u8>,
    /// Overall satisfaction, 1-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 10))]
    pub overall: Option<u8>,
    /// Evaluations of complaint records with this tag ("" for complaints without a tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint_tag: Option<String>,
    /// Evaluations whose suggestion contains this term (as the word cloud counts it)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// …in the complaints or the praise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<Sentiment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_default_period_is_the_last_30_days_and_the_previous_one_as_long() {
        let p = AnalyticsFilter::default().period(d("2026-11-22")).unwrap();
        assert_eq!(
            (p.from, p.to, p.days()),
            (d("2026-10-24"), d("2026-11-22"), 30)
        );
        let prev = p.previous();
        assert_eq!((prev.from, prev.to), (d("2026-09-24"), d("2026-10-23")));
        assert_eq!(prev.days(), 30);
    }

    #[test]
    fn a_period_backwards_or_over_a_year_is_refused() {
        let f = AnalyticsFilter {
            from: Some(d("2026-11-23")),
            to: Some(d("2026-11-22")),
            ..Default::default()
        };
        assert_eq!(f.period(d("2026-11-22")).unwrap_err()[0].code, "after_to");
        let f = AnalyticsFilter {
            from: Some(d("2025-11-21")),
            to: Some(d("2026-11-22")),
            ..Default::default()
        };
        assert_eq!(f.period(d("2026-11-22")).unwrap_err()[0].code, "too_long");
        let f = AnalyticsFilter {
            from: Some(d("2025-11-22")),
            to: Some(d("2026-11-22")),
            ..Default::default()
        };
        assert_eq!(f.period(d("2026-11-22")).unwrap().days(), 366);
    }

    #[test]
    fn buckets_cut_weeks_and_months_to_the_period() {
        let p = Period {
            from: d("2026-10-29"),
            to: d("2026-11-10"),
        };
        assert_eq!(p.buckets(Granularity::Day).len(), 13);
        let weeks = p.buckets(Granularity::Week);
        // Thursday 29 Oct to Sunday 1 Nov, then Monday to Sunday, then Monday 9 to Tuesday 10.
        assert_eq!(
            weeks,
            vec![
                Period {
                    from: d("2026-10-29"),
                    to: d("2026-11-01")
                },
                Period {
                    from: d("2026-11-02"),
                    to: d("2026-11-08")
                },
                Period {
                    from: d("2026-11-09"),
                    to: d("2026-11-10")
                },
            ]
        );
        let months = p.buckets(Granularity::Month);
        assert_eq!(
            months,
            vec![
                Period {
                    from: d("2026-10-29"),
                    to: d("2026-10-31")
                },
                Period {
                    from: d("2026-11-01"),
                    to: d("2026-11-10")
                },
            ]
        );
    }

    #[test]
    fn sentiments_split_at_the_thresholds() {
        let s = Settings::default();
        assert_eq!(Sentiment::Complaints.overall_range(&s), (1, 6));
        assert_eq!(Sentiment::Praise.overall_range(&s), (8, 10));
    }
}
