//! The wire types of the dashboard's panels: trends, dimensions, segments, distributions,
//! agents, the word cloud and its stop words, the drill-down list and the filter options.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Granularity, Period, STOP_WORD_MAX_CHARS, Sentiment, WEAK_DIMENSION_BELOW};
use crate::anomalies::AnomalyRule;
use crate::problem::{FieldError, Lines, control_error};
use crate::wire::{Channel, CustomerType};

/// Most terms the word cloud sends.
pub const MAX_TERMS: usize = 120;

/// Averages of one series over the buckets of a trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendSeries {
    /// The team (`None` for agents without a team); `None` with `name` empty for "overall".
    pub team_id: Option<i64>,
    pub name: String,
    /// The team's English name, when set (English pages show it).
    #[serde(default)]
    pub name_en: Option<String>,
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
    /// The tag's English name, when an admin gave it one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
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
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
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
    /// The team's English name, when set.
    #[serde(default)]
    pub name_en: Option<String>,
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
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
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
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub word: String,
}

impl NewStopWord {
    /// The word as stored (trimmed, lower case), or what is wrong with it.
    pub fn check(&self) -> Result<String, Vec<FieldError>> {
        let word = self.word.trim().to_lowercase();
        if word.is_empty() {
            return Err(vec![FieldError::new("word", "required", "enter a word")]);
        }
        if let Some(error) = control_error("word", &word, Lines::Single) {
            return Err(vec![error]);
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
    fn stop_words_are_one_trimmed_lower_case_word() {
        let w = |s: &str| NewStopWord { word: s.into() }.check();
        assert_eq!(w("  Very ").unwrap(), "very");
        assert_eq!(w("非常").unwrap(), "非常");
        assert_eq!(w(" ").unwrap_err()[0].code, "required");
        assert_eq!(w("two words").unwrap_err()[0].code, "one_word");
        assert_eq!(w(&"字".repeat(31)).unwrap_err()[0].code, "too_long");
    }
}
