//! Admin analytics (seed 001): the filter every report shares, the KPI formulas and the wire
//! types of the reports (KPI cards, charts, word cloud, drill-down lists).
//!
//! The server aggregates in SQL and hands the sums to the pure functions here
//! ([`EvaluationTotals::average_total`], [`RecordTotals::on_time_rate`], …), so the formulas
//! are written once and tested without a database.

use chrono::{DateTime, Datelike, Days, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::anomalies::AnomalyRule;
use crate::problem::FieldError;
use crate::settings::Settings;
use crate::wire::{Channel, CustomerType, Urgency};

/// The period of every report when none is asked for: the last 30 days, today included.
pub const DEFAULT_PERIOD_DAYS: u64 = 30;
/// The longest period a report covers.
pub const MAX_PERIOD_DAYS: u64 = 366;
/// A dimension whose mean score is under this is highlighted (seed 003: "得分低于3分").
pub const WEAK_DIMENSION_BELOW: f64 = 3.0;
/// Most terms the word cloud sends.
pub const MAX_TERMS: usize = 120;
/// Longest stop word, in characters.
pub const STOP_WORD_MAX_CHARS: usize = 30;
/// Rows per page of a drill-down list.
pub const DEFAULT_PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 100;

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
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum Granularity {
        #[default]
        Day = "day" ("按日", "By day"),
        Week = "week" ("按周", "By week"),
        Month = "month" ("按月", "By month"),
    }
}

closed_list! {
    /// Which suggestions the word cloud reads.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
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
    /// First day (organisation zone); with `to`. Default: 30 days before `to`.
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
    pub score: Option<u8>,
    /// Overall satisfaction, 1-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

// ---------------------------------------------------------------------------------------------
// KPI formulas

/// A share `part / whole`, from 0 to 1; `None` when there is nothing to divide.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A mean `sum / count`; `None` without values.
pub fn mean(sum: f64, count: u64) -> Option<f64> {
    (count > 0).then(|| sum / count as f64)
}

/// Whether an evaluation attains satisfaction: overall at or above the threshold (8 of 10).
pub fn attains(overall: u8, settings: &Settings) -> bool {
    overall >= settings.satisfaction_threshold
}

/// Whether a record's first response came within the SLA of its urgency (high 15 min, normal
/// 2 h, low 24 h by default). A record with no response yet is not on time.
pub fn responded_on_time(
    urgency: Urgency,
    requested_at: DateTime<Utc>,
    first_response_at: Option<DateTime<Utc>>,
    settings: &Settings,
) -> bool {
    first_response_at.is_some_and(|first| first - requested_at <= settings.response_sla(urgency))
}

/// Handling time of a resolved record: from the request to the resolution.
pub fn handling_time(
    requested_at: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
) -> Option<Duration> {
    resolved_at.map(|resolved| resolved - requested_at)
}

/// Sums over the evaluations of a period, as SQL counts them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EvaluationTotals {
    pub count: u64,
    /// Sum of the total scores (1-5).
    pub total_score_sum: f64,
    /// Evaluations with overall satisfaction at or above the threshold.
    pub attained: u64,
}

impl EvaluationTotals {
    pub fn average_total(&self) -> Option<f64> {
        mean(self.total_score_sum, self.count)
    }

    /// Satisfaction attainment rate = attained / evaluations.
    pub fn attainment_rate(&self) -> Option<f64> {
        rate(self.attained, self.count)
    }
}

/// Sums over the service records of a period, as SQL counts them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RecordTotals {
    pub records: u64,
    /// Records whose first response came within their SLA ([`responded_on_time`]).
    pub on_time: u64,
    /// Records resolved on first contact.
    pub first_contact: u64,
    /// Resolved records, and the sum of their handling times in minutes.
    pub resolved: u64,
    pub handling_minutes_sum: f64,
}

impl RecordTotals {
    /// Response on-time rate = records answered within their SLA / all records.
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.records)
    }

    /// First-contact resolution rate = records resolved on first contact / all records.
    pub fn first_contact_rate(&self) -> Option<f64> {
        rate(self.first_contact, self.records)
    }

    /// Average handling time = mean(resolved_at − requested_at) over resolved records, minutes.
    pub fn average_handling_minutes(&self) -> Option<f64> {
        mean(self.handling_minutes_sum, self.resolved)
    }
}

// ---------------------------------------------------------------------------------------------
// Reports

/// One KPI: its value in the period and in the previous period of the same length.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kpi {
    pub value: Option<f64>,
    /// `None` when there was nothing to compute it from, or the KPI is a present count.
    pub previous: Option<f64>,
}

impl Kpi {
    /// The change against the previous period, when both are known.
    pub fn change(&self) -> Option<f64> {
        Some(self.value? - self.previous?)
    }
}

/// `GET /analytics/kpis`. Rates are fractions (0-1); scores 1-5; minutes for handling time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiReport {
    pub period: Period,
    pub previous_period: Period,
    pub evaluations: Kpi,
    pub average_total: Kpi,
    pub attainment_rate: Kpi,
    pub on_time_rate: Kpi,
    pub first_contact_rate: Kpi,
    pub average_handling_minutes: Kpi,
    /// Appeals awaiting a decision now, on evaluations of the period (no previous value).
    pub open_appeals: Kpi,
    /// Evaluations of the period flagged by an anomaly rule and not deleted.
    pub flagged: Kpi,
    pub generated_at: DateTime<Utc>,
}

/// Averages of one series over the buckets of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendSeries {
    /// The team (`None` for agents without a team); `None` with `name` empty for "overall".
    pub team_id: Option<i64>,
    pub name: String,
    /// Mean total score (1-5) per bucket, `None` where there were no evaluations.
    pub averages: Vec<Option<f64>>,
    pub counts: Vec<u64>,
}

/// `GET /analytics/trend`: average total score per day, week or month, overall and per team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendReport {
    pub period: Period,
    pub granularity: Granularity,
    pub buckets: Vec<Period>,
    pub overall: TrendSeries,
    pub teams: Vec<TrendSeries>,
}

/// A dimension as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionName {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// One bar of the dimension ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionStat {
    pub dimension: DimensionName,
    /// Mean score, 1-5.
    pub average: f64,
    /// Evaluations that answered it.
    pub count: u64,
    /// Under [`WEAK_DIMENSION_BELOW`].
    pub weak: bool,
}

/// `GET /analytics/dimensions`: dimensions from strongest to weakest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionReport {
    pub period: Period,
    pub dimensions: Vec<DimensionStat>,
}

/// Sorts strongest first (ties by name code, so the order is stable) and marks weak ones.
pub fn rank_dimensions(mut stats: Vec<DimensionStat>) -> Vec<DimensionStat> {
    for stat in &mut stats {
        stat.weak = stat.average < WEAK_DIMENSION_BELOW;
    }
    stats.sort_by(|a, b| {
        b.average
            .total_cmp(&a.average)
            .then_with(|| a.dimension.code.cmp(&b.dimension.code))
    });
    stats
}

/// Per-dimension means of one group of evaluations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentSeries {
    /// `new`, `returning`, `member`, `online` or `offline`.
    pub segment: String,
    /// One mean (1-5) per dimension of the report, `None` where nobody in it answered.
    pub averages: Vec<Option<f64>>,
    /// Evaluations in the group.
    pub count: u64,
}

/// `GET /analytics/segments`: each dimension by customer type and by channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentReport {
    pub period: Period,
    pub dimensions: Vec<DimensionName>,
    /// new, returning, member in that order.
    pub customer_types: Vec<SegmentSeries>,
    /// online, offline in that order.
    pub channels: Vec<SegmentSeries>,
}

/// One slice of the complaint pie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagCount {
    /// The helpdesk's tag; "" for complaints without one.
    pub tag: String,
    pub count: u64,
}

/// `GET /analytics/distribution`: how many evaluations gave each overall score, and the
/// complaint records of the period by tag (a complaint with two tags counts in both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistributionReport {
    pub period: Period,
    /// Ten counts: overall 1, 2, …, 10.
    pub overall: Vec<u64>,
    /// Complaint records (category 投诉) in the period.
    pub complaints: u64,
    /// Largest first.
    pub complaint_tags: Vec<TagCount>,
}

/// One agent's line of the leaderboard, with their radar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentStat {
    pub agent_no: String,
    pub name: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub count: u64,
    pub average_total: Option<f64>,
    pub average_overall: Option<f64>,
    pub attainment_rate: Option<f64>,
    /// One mean per dimension of the report.
    pub dimensions: Vec<Option<f64>>,
}

/// A team's per-dimension means: the radar's comparison line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamAverages {
    pub team_id: Option<i64>,
    pub name: String,
    pub dimensions: Vec<Option<f64>>,
}

/// `GET /analytics/agents`: every agent with evaluations in the filter, best average first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentReport {
    pub period: Period,
    pub dimensions: Vec<DimensionName>,
    pub agents: Vec<AgentStat>,
    pub teams: Vec<TeamAverages>,
}

/// One word of the cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermCount {
    pub term: String,
    /// Evaluations whose suggestion contains it.
    pub count: u64,
}

/// `GET /analytics/words`: the most frequent terms of the suggestions, stop words left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WordReport {
    pub period: Period,
    pub sentiment: Sentiment,
    /// Evaluations with a suggestion that were read.
    pub evaluations: u64,
    /// Most frequent first, at most [`MAX_TERMS`].
    pub terms: Vec<TermCount>,
}

/// One row of the drill-down list and of the CSV export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalyticsEvaluation {
    pub id: i64,
    pub number: String,
    pub submitted_at: DateTime<Utc>,
    pub agent_no: String,
    pub agent_name: String,
    pub team_name: Option<String>,
    pub service_type: String,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    /// The customer's type when they rated (`None` for customers without one).
    pub customer_type: Option<CustomerType>,
    pub total_score: f64,
    pub overall: u8,
    /// The dimension scores, in the order of the evaluation.
    pub scores: Vec<AnalyticsScore>,
    pub suggestion: Option<String>,
    pub flags: Vec<AnomalyRule>,
    /// `active` or `under_review` (deleted ones are never listed).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalyticsScore {
    pub dimension: String,
    pub name_zh: String,
    pub name_en: String,
    pub score: Option<u8>,
}

/// `GET /analytics/evaluations`: the evaluations behind a chart element, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalyticsEvaluationPage {
    pub evaluations: Vec<AnalyticsEvaluation>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// A choice of the filter bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionItem {
    /// Team id, employee number or service type code.
    pub value: String,
    pub name_zh: String,
    pub name_en: String,
    /// For agents: their team's id.
    pub team_id: Option<i64>,
}

/// `GET /analytics/options`: what the filter bar offers, and today's default period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalyticsOptions {
    pub teams: Vec<OptionItem>,
    pub agents: Vec<OptionItem>,
    pub service_types: Vec<OptionItem>,
    pub default_period: Period,
    /// The thresholds the reports use, for their legends.
    pub satisfaction_threshold: u8,
    pub callback_threshold: u8,
}

/// A word the word cloud leaves out, added by an admin (the built-in lists are in the repo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StopWord {
    pub word: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// `POST /analytics/stop-words`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStopWord {
    pub word: String,
}

impl NewStopWord {
    /// The word as stored (trimmed, lower case), or what is wrong with it.
    pub fn check(&self) -> Result<String, Vec<FieldError>> {
        let word = self.word.trim().to_lowercase();
        if word.is_empty() {
            return Err(vec![FieldError::new("word", "required", "enter a word")]);
        }
        if word.chars().count() > STOP_WORD_MAX_CHARS {
            return Err(vec![FieldError::new(
                "word",
                "too_long",
                format!("a stop word has at most {STOP_WORD_MAX_CHARS} characters"),
            )]);
        }
        if word.chars().any(char::is_whitespace) {
            return Err(vec![FieldError::new(
                "word",
                "one_word",
                "enter one word, without spaces",
            )]);
        }
        Ok(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, h, m, 0).unwrap()
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
    fn on_time_is_within_the_sla_of_the_urgency_inclusive() {
        let s = Settings::default();
        let req = at(9, 0);
        assert!(responded_on_time(Urgency::High, req, Some(at(9, 15)), &s));
        assert!(!responded_on_time(Urgency::High, req, Some(at(9, 16)), &s));
        assert!(responded_on_time(Urgency::Normal, req, Some(at(11, 0)), &s));
        assert!(!responded_on_time(
            Urgency::Normal,
            req,
            Some(at(11, 1)),
            &s
        ));
        assert!(responded_on_time(Urgency::Low, req, Some(at(23, 59)), &s));
        assert!(!responded_on_time(Urgency::Low, req, None, &s));
    }

    #[test]
    fn kpi_formulas_on_a_fixture_computed_by_hand() {
        // Five evaluations: totals 4.8, 2.2, 4.4, 5.0, 3.6; overall 9, 4, 8, 10, 7.
        let s = Settings::default();
        let overall = [9u8, 4, 8, 10, 7];
        let e = EvaluationTotals {
            count: 5,
            total_score_sum: 4.8 + 2.2 + 4.4 + 5.0 + 3.6,
            attained: overall.iter().filter(|&&o| attains(o, &s)).count() as u64,
        };
        assert!((e.average_total().unwrap() - 4.0).abs() < 1e-9);
        assert_eq!(e.attainment_rate(), Some(0.6));
        // Four records: two on time, one first-contact, three resolved in 30, 90 and 240 min.
        let r = RecordTotals {
            records: 4,
            on_time: 2,
            first_contact: 1,
            resolved: 3,
            handling_minutes_sum: 30.0 + 90.0 + 240.0,
        };
        assert_eq!(r.on_time_rate(), Some(0.5));
        assert_eq!(r.first_contact_rate(), Some(0.25));
        assert_eq!(r.average_handling_minutes(), Some(120.0));
        assert_eq!(RecordTotals::default().on_time_rate(), None);
        assert_eq!(
            handling_time(at(9, 0), Some(at(10, 30))),
            Some(Duration::minutes(90))
        );
        let k = Kpi {
            value: Some(4.2),
            previous: Some(4.0),
        };
        assert!((k.change().unwrap() - 0.2).abs() < 1e-9);
        assert_eq!(
            Kpi {
                value: Some(1.0),
                previous: None
            }
            .change(),
            None
        );
    }

    #[test]
    fn dimensions_rank_strongest_first_and_mark_those_under_3() {
        let stat = |code: &str, average| DimensionStat {
            dimension: DimensionName {
                code: code.into(),
                name_zh: code.into(),
                name_en: code.into(),
            },
            average,
            count: 1,
            weak: false,
        };
        let ranked = rank_dimensions(vec![stat("a", 2.9), stat("b", 4.5), stat("c", 3.0)]);
        let order: Vec<_> = ranked
            .iter()
            .map(|s| (s.dimension.code.as_str(), s.weak))
            .collect();
        assert_eq!(order, vec![("b", false), ("c", false), ("a", true)]);
    }

    #[test]
    fn sentiments_split_at_the_thresholds() {
        let s = Settings::default();
        assert_eq!(Sentiment::Complaints.overall_range(&s), (1, 6));
        assert_eq!(Sentiment::Praise.overall_range(&s), (8, 10));
    }

    #[test]
    fn stop_words_are_one_trimmed_lower_case_word() {
        let w = |s: &str| NewStopWord { word: s.into() }.check();
        assert_eq!(w("  Very ").unwrap(), "very");
        assert_eq!(w("非常").unwrap(), "非常");
        assert_eq!(w(" ").unwrap_err()[0].code, "required");
        assert_eq!(w("two words").unwrap_err()[0].code, "one_word");
        assert_eq!(w(&"字".repeat(31)).unwrap_err()[0].code, "too_long");
    }
}
