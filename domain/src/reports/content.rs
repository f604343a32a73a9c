//! What a report holds: the summary of what improved and what got worse, the trend, the
//! recurring problems, the agents' ranking, open appeals and overdue plans.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ReportKind;
use crate::analytics::{KpiReport, Period, ResponseFunnel, TagCount};

/// How many periods the KPI trend of a report shows, the report's own included.
pub const TREND_PERIODS: usize = 6;
/// Most recurring problems a report lists, and example suggestions per problem.
pub const MAX_PROBLEMS: usize = 8;
pub const EXAMPLES_PER_PROBLEM: usize = 2;
/// Longest example suggestion quoted in a report, in characters.
pub const EXAMPLE_MAX_CHARS: usize = 140;
/// Most rows of the open-appeal and overdue-plan lists (the counts are exact).
pub const MAX_LISTED: usize = 20;

closed_list! {
    /// A figure of the summary: what improved and what got worse.
    pub enum ReportMetric {
        Evaluations = "evaluations" ("评价数", "Evaluations"),
        AverageTotal = "average_total" ("平均综合得分", "Average total score"),
        AttainmentRate = "attainment_rate" ("满意度达成率", "Satisfaction attainment"),
        OnTimeRate = "on_time_rate" ("响应及时率", "Response on time"),
        FirstContactRate = "first_contact_rate" ("首次解决率", "First-contact resolution"),
        AverageHandlingMinutes = "average_handling_minutes" ("平均处理时长", "Average handling time"),
        Flagged = "flagged" ("异常评价", "Flagged evaluations"),
        /// Rated / invited (`analytics::ResponseFunnel`).
        ResponseRate = "response_rate" ("参评率", "Response rate"),
    }
}

impl ReportMetric {
    /// Whether a higher value is good news (`None`: neither, e.g. the number of evaluations).
    pub fn higher_is_better(self) -> Option<bool> {
        match self {
            ReportMetric::Evaluations => None,
            ReportMetric::AverageHandlingMinutes | ReportMetric::Flagged => Some(false),
            _ => Some(true),
        }
    }

    /// The smallest change that counts as a change: half a percentage point of a rate, a
    /// hundredth of a score, half a minute (handling times are said in whole minutes:
    /// `analytics::duration_words`, and the KPI card calls a change under half a minute flat),
    /// one evaluation.
    pub fn tolerance(self) -> f64 {
        match self {
            ReportMetric::AttainmentRate
            | ReportMetric::OnTimeRate
            | ReportMetric::FirstContactRate
            | ReportMetric::ResponseRate => 0.005,
            ReportMetric::AverageTotal => 0.01,
            ReportMetric::AverageHandlingMinutes => 0.5,
            ReportMetric::Evaluations | ReportMetric::Flagged => 1.0,
        }
    }

    /// The KPI of this metric on the cards.
    pub fn of(self, kpis: &KpiReport) -> crate::analytics::Kpi {
        match self {
            ReportMetric::Evaluations => kpis.evaluations,
            ReportMetric::AverageTotal => kpis.average_total,
            ReportMetric::AttainmentRate => kpis.attainment_rate,
            ReportMetric::OnTimeRate => kpis.on_time_rate,
            ReportMetric::FirstContactRate => kpis.first_contact_rate,
            ReportMetric::AverageHandlingMinutes => kpis.average_handling_minutes,
            ReportMetric::Flagged => kpis.flagged,
            ReportMetric::ResponseRate => kpis.response_rate,
        }
    }
}

/// Which way a figure moved against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Improved,
    Worsened,
    /// Moved, but neither better nor worse (the number of evaluations).
    Changed,
    Unchanged,
}

/// One line of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportChange {
    pub metric: ReportMetric,
    pub value: f64,
    pub previous: f64,
    pub direction: Direction,
}

/// The summary of a report, computed from its KPI cards: every figure known in both periods,
/// improvements first, then what got worse, then the rest; within each, the largest relative
/// change first.
pub fn summarize(kpis: &KpiReport) -> Vec<ReportChange> {
    let mut out: Vec<ReportChange> = ReportMetric::ALL
        .into_iter()
        .filter_map(|metric| {
            let kpi = metric.of(kpis);
            let (value, previous) = (kpi.value?, kpi.previous?);
            let delta = value - previous;
            let direction = if delta.abs() < metric.tolerance() - 1e-9 {
                Direction::Unchanged
            } else {
                match metric.higher_is_better() {
                    None => Direction::Changed,
                    Some(up_is_good) if (delta > 0.0) == up_is_good => Direction::Improved,
                    Some(_) => Direction::Worsened,
                }
            };
            Some(ReportChange {
                metric,
                value,
                previous,
                direction,
            })
        })
        .collect();
    let rank = |d: Direction| match d {
        Direction::Improved => 0,
        Direction::Worsened => 1,
        Direction::Changed => 2,
        Direction::Unchanged => 3,
    };
    let relative = |c: &ReportChange| {
        let base = c.previous.abs().max(c.metric.tolerance());
        (c.value - c.previous).abs() / base
    };
    out.sort_by(|a, b| {
        rank(a.direction)
            .cmp(&rank(b.direction))
            .then(relative(b).total_cmp(&relative(a)))
    });
    out
}

/// One period of the report's KPI trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportTrendPoint {
    pub key: String,
    pub period: Period,
    pub evaluations: u64,
    /// 1-5.
    pub average_total: Option<f64>,
    /// Fractions.
    pub attainment_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
    pub first_contact_rate: Option<f64>,
    /// Rated / invited among the invitations sent in the period (absent from reports kept
    /// before it existed).
    #[serde(default)]
    pub response_rate: Option<f64>,
}

/// An example suggestion behind a recurring problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportExample {
    pub number: String,
    pub overall: u8,
    /// Cut to [`EXAMPLE_MAX_CHARS`] characters (with "…").
    pub suggestion: String,
}

/// A recurring problem: a frequent term of the complaints' suggestions, with examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportProblem {
    pub term: String,
    /// Complaint evaluations (overall at or below the callback threshold) whose suggestion
    /// has the term.
    pub count: u64,
    pub examples: Vec<ReportExample>,
}

/// An agent's line of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAgent {
    /// 1 for the best.
    pub rank: u32,
    pub agent_no: String,
    pub name: String,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub evaluations: u64,
    pub average_total: Option<f64>,
    /// 1-10.
    pub average_overall: Option<f64>,
    /// Satisfaction: overall at or above the threshold, a fraction.
    pub attainment_rate: Option<f64>,
    /// Service records the agent handled in the period.
    pub records: u64,
    /// Resolution: resolved at first contact, a fraction of the records.
    pub first_contact_rate: Option<f64>,
    /// Invitations to rate the agent's records sent in the period.
    #[serde(default)]
    pub invited: u64,
    /// Rated / invited among them (参评率), a fraction.
    #[serde(default)]
    pub response_rate: Option<f64>,
}

/// Ranks agents by satisfaction (attainment rate), then resolution (first-contact rate), then
/// mean total score, then more evaluations; agents without evaluations last. Sets `rank`.
pub fn rank_agents(mut agents: Vec<ReportAgent>) -> Vec<ReportAgent> {
    let key = |v: Option<f64>| v.unwrap_or(-1.0);
    agents.sort_by(|a, b| {
        key(b.attainment_rate)
            .total_cmp(&key(a.attainment_rate))
            .then(key(b.first_contact_rate).total_cmp(&key(a.first_contact_rate)))
            .then(key(b.average_total).total_cmp(&key(a.average_total)))
            .then(b.evaluations.cmp(&a.evaluations))
            .then_with(|| a.agent_no.cmp(&b.agent_no))
    });
    for (i, agent) in agents.iter_mut().enumerate() {
        agent.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    agents
}

/// An appeal awaiting a decision when the report was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportAppeal {
    pub evaluation_number: String,
    pub agent_no: String,
    pub agent_name: String,
    pub filed_at: DateTime<Utc>,
    /// Whole days since it was filed.
    pub days_open: u32,
}

/// An improvement plan past its due date when the report was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPlan {
    pub id: i64,
    pub evaluation_number: String,
    pub agent_no: String,
    pub agent_name: String,
    pub due_at: DateTime<Utc>,
    /// Whole days past due.
    pub days_overdue: u32,
}

/// `GET /reports/{kind}/{key}`: the report of a week or month, for the company or a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub kind: ReportKind,
    pub key: String,
    pub period: Period,
    /// The week or month before (what the summary compares with).
    pub previous_period: Period,
    /// `None`: the whole company.
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    /// Whether the period had closed when the report was built.
    pub closed: bool,
    /// Whether this is the kept report (built once the period closed) rather than figures
    /// computed now.
    pub stored: bool,
    pub generated_at: DateTime<Utc>,
    /// The KPI cards against the previous week or month: the dashboard's, for this period.
    pub kpis: KpiReport,
    /// The last [`TREND_PERIODS`] periods, this one last.
    pub trend: Vec<ReportTrendPoint>,
    /// Complaint evaluations (category 投诉) and their tags, largest first.
    pub complaints: u64,
    pub complaint_tags: Vec<TagCount>,
    pub problems: Vec<ReportProblem>,
    pub agents: Vec<ReportAgent>,
    pub open_appeal_count: u64,
    /// Oldest first, at most [`MAX_LISTED`].
    pub open_appeals: Vec<ReportAppeal>,
    pub overdue_plan_count: u64,
    /// Most overdue first, at most [`MAX_LISTED`].
    pub overdue_plans: Vec<ReportPlan>,
    pub summary: Vec<ReportChange>,
    /// The response funnel of the invitations sent in the period (invited → opened → rated,
    /// and opted out; the rule: `ResponseFunnel`). Absent from reports kept before it existed.
    #[serde(default)]
    pub response: ResponseFunnel,
    /// The same over the previous week or month.
    #[serde(default)]
    pub response_previous: ResponseFunnel,
}

closed_list! {
    /// The tables of a report that download as CSV (`GET /reports/{kind}/{key}/csv/{table}`).
    pub enum ReportTable {
        Summary = "summary",
        Trend = "trend",
        Complaints = "complaints",
        Problems = "problems",
        Agents = "agents",
        Appeals = "appeals",
        Plans = "plans",
        /// The response funnel, this period and the previous one.
        Response = "response",
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::period;
    use super::*;
    use crate::analytics::Kpi;

    fn kpis(pairs: [(Option<f64>, Option<f64>); 7]) -> KpiReport {
        let k = |(value, previous): (Option<f64>, Option<f64>)| Kpi { value, previous };
        KpiReport {
            period: period("2026-11-16", "2026-11-22"),
            previous_period: period("2026-11-09", "2026-11-15"),
            evaluations: k(pairs[0]),
            average_total: k(pairs[1]),
            attainment_rate: k(pairs[2]),
            on_time_rate: k(pairs[3]),
            first_contact_rate: k(pairs[4]),
            average_handling_minutes: k(pairs[5]),
            open_appeals: Kpi {
                value: Some(2.0),
                previous: None,
            },
            flagged: k(pairs[6]),
            response_rate: Kpi::default(),
            generated_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_summary_says_what_improved_and_what_got_worse() {
        let summary = summarize(&kpis([
            (Some(120.0), Some(100.0)), // more evaluations: changed, neither good nor bad
            (Some(4.2), Some(4.0)),     // score up: improved
            (Some(0.80), Some(0.804)),  // attainment within half a point: unchanged
            (Some(0.70), Some(0.90)),   // on time down: worse
            (None, Some(0.5)),          // first contact unknown now: left out
            (Some(30.0), Some(40.0)),   // handling faster: improved
            (Some(3.0), Some(1.0)),     // more flagged: worse
        ]));
        let got: Vec<(ReportMetric, Direction)> =
            summary.iter().map(|c| (c.metric, c.direction)).collect();
        assert_eq!(
            got,
            [
                // Improvements, the larger relative change first: −25 % minutes, +5 % score.
                (ReportMetric::AverageHandlingMinutes, Direction::Improved),
                (ReportMetric::AverageTotal, Direction::Improved),
                // Worse: flagged tripled (+200 %), on time −22 %.
                (ReportMetric::Flagged, Direction::Worsened),
                (ReportMetric::OnTimeRate, Direction::Worsened),
                (ReportMetric::Evaluations, Direction::Changed),
                (ReportMetric::AttainmentRate, Direction::Unchanged),
            ]
        );
        // Exactly the tolerance counts as a change.
        let edge = summarize(&kpis([
            (Some(10.0), Some(10.0)),
            (Some(4.01), Some(4.0)),
            (Some(0.805), Some(0.80)),
            (None, None),
            (None, None),
            (None, None),
            (Some(0.0), Some(0.0)),
        ]));
        assert_eq!(edge[0].direction, Direction::Improved);
        assert_eq!(edge[1].direction, Direction::Improved);
        assert!(
            edge[2..]
                .iter()
                .all(|c| c.direction == Direction::Unchanged)
        );
    }

    #[test]
    fn a_handling_time_changes_from_half_a_minute_as_on_the_kpi_card() {
        let handling = |now: f64, before: f64| {
            let none = (None, None);
            let summary = summarize(&kpis([
                none,
                none,
                none,
                none,
                none,
                (Some(now), Some(before)),
                none,
            ]));
            summary[0].direction
        };
        // Both said "42 min": unchanged, not "fell from 42 min to 42 min".
        assert_eq!(handling(42.0, 42.26), Direction::Unchanged);
        assert_eq!(handling(42.0, 42.5), Direction::Improved);
        assert_eq!(handling(43.0, 42.4), Direction::Worsened);
    }

    fn agent(no: &str, attainment: Option<f64>, fcr: Option<f64>, n: u64) -> ReportAgent {
        ReportAgent {
            rank: 0,
            agent_no: no.into(),
            name: no.into(),
            team_name: None,
            team_name_en: None,
            evaluations: n,
            average_total: Some(4.0),
            average_overall: Some(8.0),
            attainment_rate: attainment,
            records: n,
            first_contact_rate: fcr,
            invited: 0,
            response_rate: None,
        }
    }

    #[test]
    fn agents_rank_by_satisfaction_then_resolution() {
        let ranked = rank_agents(vec![
            agent("E3", Some(0.9), Some(0.5), 10),
            agent("E1", Some(0.9), Some(0.8), 10),
            agent("E4", None, Some(1.0), 0),
            agent("E2", Some(0.95), Some(0.1), 3),
        ]);
        let order: Vec<(&str, u32)> = ranked
            .iter()
            .map(|a| (a.agent_no.as_str(), a.rank))
            .collect();
        assert_eq!(order, [("E2", 1), ("E1", 2), ("E3", 3), ("E4", 4)]);
    }
}
