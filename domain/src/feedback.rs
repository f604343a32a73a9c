//! The agent's side of the evaluations (服务人员端): their figures beside the team's, their
//! evaluations with read state and live alerts, improvement plans (改进计划) answering
//! reasonable suggestions, low-score callbacks (回访) for team leads, and the team lead's home.
//!
//! Periods, buckets and the KPI formulas are the analytics module's
//! ([`crate::analytics`]); the rules here are the checks of what agents and leads send and the
//! state of plans and callbacks.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::analytics::{AnalyticsScore, DimensionName, Granularity, Period};
use crate::problem::{FieldError, Lines, checked, control_error, length_error};
use crate::settings::Settings;
use crate::wire::{Channel, CustomerType};

mod callbacks;
mod coaching;
pub use callbacks::*;
pub use coaching::*;

/// Longest reason, measures, comment or call notes, in characters.
pub const TEXT_MAX_CHARS: usize = 2000;
/// Shortest reason for calling a suggestion unreasonable, and shortest measures.
pub const REASON_MIN_CHARS: usize = 2;
pub const MEASURES_MIN_CHARS: usize = 10;
/// Days of scores a plan compares before and after it.
pub const PLAN_COMPARE_DAYS: i64 = 30;
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// One person's (or a team's) figures over a period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    pub count: u64,
    /// Mean total score, 1-5.
    pub average_total: Option<f64>,
    /// Mean overall satisfaction, 1-10.
    pub average_overall: Option<f64>,
    /// Share of evaluations with overall at or above the satisfaction threshold (8).
    pub attainment_rate: Option<f64>,
    /// One mean per dimension of the report, in its order.
    pub dimensions: Vec<Option<f64>>,
}

/// `GET /me/feedback/summary`: the agent's figures for a period beside their team's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentSummary {
    pub period: Period,
    pub granularity: Granularity,
    pub agent_no: String,
    pub name: String,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub dimensions: Vec<DimensionName>,
    pub mine: Figures,
    /// The whole team's (this agent included); `None` for an agent without a team.
    pub team: Option<Figures>,
    pub buckets: Vec<Period>,
    /// Mean total score per bucket.
    pub trend: Vec<Option<f64>>,
    pub trend_counts: Vec<u64>,
    /// The team's mean total score per bucket.
    pub team_trend: Vec<Option<f64>>,
    /// Ten counts: overall 1 … 10.
    pub distribution: Vec<u64>,
    pub unread: u64,
    pub open_plans: u64,
    pub overdue_plans: u64,
}

/// The filter of `GET /me/feedback/summary` and `GET /team/summary`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct SummaryQuery {
    /// First day (organisation zone). Default: 29 days before `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day, included. Default: today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Of the trend: `day` (default), `week` or `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granularity: Option<Granularity>,
}

closed_list! {
    /// A band of overall satisfaction, as the list filters it.
    pub enum ScoreBand {
        /// At or below the callback threshold (6).
        Low = "low",
        /// Between the two thresholds.
        Middle = "middle",
        /// At or above the satisfaction threshold (8).
        High = "high",
    }
}

impl ScoreBand {
    /// The overall scores it covers, both ends included.
    pub fn overall_range(self, settings: &Settings) -> (u8, u8) {
        match self {
            ScoreBand::Low => (1, settings.callback_threshold),
            ScoreBand::Middle => (
                settings.callback_threshold + 1,
                settings.satisfaction_threshold - 1,
            ),
            ScoreBand::High => (settings.satisfaction_threshold, 10),
        }
    }
}

/// The filters of `GET /me/feedback`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct FeedbackQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// A service type code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub band: Option<ScoreBand>,
    /// Only evaluations with a suggestion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_suggestion: Option<bool>,
    /// Only evaluations the agent has not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub per_page: Option<u32>,
}

/// The agent's verdict on a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub reasonable: bool,
    /// Why not, when not reasonable.
    pub reason: Option<String>,
    pub assessed_at: DateTime<Utc>,
}

/// `POST /me/feedback/{number}/assessment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAssessment {
    pub reasonable: bool,
    /// Required when `reasonable` is false.
    #[serde(default)]
    pub reason: Option<String>,
}

impl NewAssessment {
    /// The reason as stored (trimmed; none for a reasonable suggestion), or what is wrong.
    pub fn check(&self) -> Result<Option<String>, Vec<FieldError>> {
        let reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if self.reasonable {
            return Ok(reason.map(str::to_owned));
        }
        let reason = reason.unwrap_or_default();
        match length_error(
            "reason",
            reason,
            "say briefly why the suggestion is not reasonable",
            REASON_MIN_CHARS,
            TEXT_MAX_CHARS,
        ) {
            Some(error) => Err(vec![error]),
            None => Ok(Some(reason.to_owned())),
        }
    }
}

closed_list! {
    /// Where an improvement plan stands.
    pub enum PlanStatus {
        /// Opened; the agent has not submitted measures yet.
        Open = "open" ("待提交", "To write"),
        /// Submitted, awaiting the lead or an admin.
        Submitted = "submitted" ("待审核", "Awaiting review"),
        /// Sent back with a comment; the agent revises and submits again.
        SentBack = "sent_back" ("已退回", "Sent back"),
        /// Acknowledged: done.
        Acknowledged = "acknowledged" ("已确认", "Acknowledged"),
    }
}

impl PlanStatus {
    /// Whether the agent still owes measures: open or sent back.
    pub fn awaits_agent(self) -> bool {
        matches!(self, PlanStatus::Open | PlanStatus::SentBack)
    }
}

/// The calendar days (the organisation's) a plan compares, each as `[first, end)`: the
/// [`PLAN_COMPARE_DAYS`] whole days before the day it was opened, and as many after that day.
/// The day itself, partly before the plan and partly after it, is in neither; whole days are
/// what a person reads ("1 to 30 November") and what the kept day sums answer.
pub fn plan_compare_days(opened: NaiveDate) -> [(NaiveDate, NaiveDate); 2] {
    let days = chrono::Days::new(PLAN_COMPARE_DAYS.unsigned_abs());
    let after = opened + chrono::Days::new(1);
    [(opened - days, opened), (after, after + days)]
}

/// A plan is overdue while the agent still owes its measures after the due time.
pub fn plan_overdue(status: PlanStatus, due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status.awaits_agent() && now > due_at
}

/// Scores of the agent in the 30 days before or after a plan ([`plan_compare_days`]): `from`
/// is the start of its first day, `to` the start of the day after its last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanWindow {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub count: u64,
    pub average_total: Option<f64>,
    pub average_overall: Option<f64>,
}

/// An improvement plan (改进计划).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImprovementPlan {
    pub id: i64,
    pub evaluation_number: String,
    pub agent_no: String,
    pub agent_name: String,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    /// The suggestion it answers.
    pub suggestion: String,
    pub overall: u8,
    pub status: PlanStatus,
    pub created_at: DateTime<Utc>,
    /// 3 working days after it was opened.
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    pub measures: Option<String>,
    pub target_date: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewer_name: Option<String>,
    pub review_comment: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The agent's scores in the 30 days before the plan was opened.
    pub before: PlanWindow,
    /// …and in the 30 days after, once they have passed.
    pub after: Option<PlanWindow>,
    /// Mean total score after minus before, when both exist.
    pub change: Option<f64>,
}

/// `PUT /improvement-plans/{id}`: the agent's measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSubmission {
    pub measures: String,
    /// When the measures will be in place; today or later.
    pub target_date: NaiveDate,
}

impl PlanSubmission {
    /// The measures as stored (trimmed), or what is wrong.
    pub fn check(&self, today: NaiveDate) -> Result<String, Vec<FieldError>> {
        let mut errors = Vec::new();
        let measures = self.measures.trim();
        errors.extend(length_error(
            "measures",
            measures,
            "describe the measures",
            MEASURES_MIN_CHARS,
            TEXT_MAX_CHARS,
        ));
        if self.target_date < today {
            errors.push(FieldError::new(
                "target_date",
                "past",
                "the target date cannot be in the past",
            ));
        }
        checked(errors, measures.to_owned())
    }
}

/// What a lead or admin decides on a submitted plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlanDecision {
    Acknowledge,
    SendBack,
}

/// `POST /improvement-plans/{id}/review`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanReview {
    pub decision: PlanDecision,
    /// Required to send back.
    #[serde(default)]
    pub comment: Option<String>,
}

impl PlanReview {
    pub fn check(&self) -> Result<Option<String>, Vec<FieldError>> {
        let comment = self
            .comment
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if let Some(error) = comment.and_then(|c| control_error("comment", c, Lines::Multi)) {
            return Err(vec![error]);
        }
        if comment.is_some_and(|c| c.chars().count() > TEXT_MAX_CHARS) {
            return Err(vec![FieldError::new(
                "comment",
                "too_long",
                format!("at most {TEXT_MAX_CHARS} characters"),
            )]);
        }
        if self.decision == PlanDecision::SendBack && comment.is_none() {
            return Err(vec![FieldError::new(
                "comment",
                "required",
                "say what to revise",
            )]);
        }
        Ok(comment.map(str::to_owned))
    }
}

/// `GET /improvement-plans`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::IntoParams),
    into_params(parameter_in = Query)
)]
pub struct PlanQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PlanStatus>,
    /// Only plans past their due time with measures still owed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<bool>,
}

/// One line of the agent's evaluations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackItem {
    pub number: String,
    pub submitted_at: DateTime<Utc>,
    /// "客户 C00****23": the customer's number masked.
    pub customer: String,
    pub customer_type: Option<CustomerType>,
    pub service_type: String,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    pub service_started_at: DateTime<Utc>,
    pub service_ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
    pub total_score: f64,
    pub overall: u8,
    pub scores: Vec<AnalyticsScore>,
    pub suggestion: Option<String>,
    pub read: bool,
    pub assessment: Option<Assessment>,
    /// The plan it opened, if any.
    pub plan_id: Option<i64>,
}

/// `GET /me/feedback`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackPage {
    pub items: Vec<FeedbackItem>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// All the agent's unread evaluations, whatever the filter.
    pub unread: u64,
}

/// The event of the live stream (`GET /me/feedback/stream`, event `evaluation`) and the
/// answer of `GET /me/feedback/unread`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackAlert {
    /// The new evaluation, if the event is about one.
    pub number: Option<String>,
    pub overall: Option<u8>,
    pub total_score: Option<f64>,
    pub unread: u64,
}

/// One agent's line on the team lead's home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamAgent {
    pub agent_no: String,
    pub name: String,
    pub figures: Figures,
    pub open_plans: u64,
    pub overdue_plans: u64,
}

/// Plans of each kind the lead's home lists (awaiting review, with the agents).
pub const TEAM_SUMMARY_PLANS: u32 = 5;

/// `GET /team/summary`: the lead's team side by side, with what awaits the lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamSummary {
    pub period: Period,
    pub team_id: i64,
    pub team_name: String,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub dimensions: Vec<DimensionName>,
    pub team: Figures,
    pub agents: Vec<TeamAgent>,
    /// Plans not yet acknowledged, oldest due first: the first [`TEAM_SUMMARY_PLANS`] awaiting
    /// the lead's review, then the first of those with the agents (the rest are on the team's
    /// plans list, `GET /improvement-plans`).
    pub plans: Vec<ImprovementPlan>,
    /// How many plans await the lead's review in all.
    #[serde(default)]
    pub plans_awaiting_review: u64,
    /// How many plans are with the agents (to write or to redo) in all.
    #[serde(default)]
    pub plans_with_agents: u64,
    /// Open callbacks of the team (the callbacks panel lists them, `GET /callbacks`).
    pub open_callbacks: u64,
    /// Of them, those past their due time.
    pub overdue_callbacks: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn a_plan_compares_the_whole_days_before_and_after_its_day() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let [before, after] = plan_compare_days(day("2026-11-22"));
        assert_eq!(before, (day("2026-10-23"), day("2026-11-22")));
        assert_eq!(after, (day("2026-11-23"), day("2026-12-23")));
        assert_eq!((before.1 - before.0).num_days(), PLAN_COMPARE_DAYS);
        assert_eq!((after.1 - after.0).num_days(), PLAN_COMPARE_DAYS);
    }

    #[test]
    fn an_unreasonable_verdict_needs_a_reason() {
        let a = |reasonable, reason: Option<&str>| {
            NewAssessment {
                reasonable,
                reason: reason.map(str::to_owned),
            }
            .check()
        };
        assert_eq!(a(true, None), Ok(None));
        assert_eq!(
            a(false, Some("  已按流程处理 ")),
            Ok(Some("已按流程处理".into()))
        );
        assert_eq!(a(false, None).unwrap_err()[0].code, "required");
        assert_eq!(a(false, Some("  ")).unwrap_err()[0].code, "required");
        assert_eq!(a(false, Some("否")).unwrap_err()[0].code, "too_short");
    }

    #[test]
    fn measures_and_a_target_date_not_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let s = |measures: &str, days: i64| {
            PlanSubmission {
                measures: measures.into(),
                target_date: today + Duration::days(days),
            }
            .check(today)
        };
        assert!(s("每天复盘三通低分通话，整理话术", 0).is_ok());
        let errors = s("改", -1).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["too_short", "past"]);
    }

    #[test]
    fn sending_back_needs_a_comment() {
        let r = |decision, comment: Option<&str>| {
            PlanReview {
                decision,
                comment: comment.map(str::to_owned),
            }
            .check()
        };
        assert_eq!(r(PlanDecision::Acknowledge, None), Ok(None));
        assert_eq!(
            r(PlanDecision::SendBack, None).unwrap_err()[0].code,
            "required"
        );
        assert!(r(PlanDecision::SendBack, Some("补充具体时间")).is_ok());
    }

    #[test]
    fn overdue_only_while_the_agent_owes_measures() {
        let due = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
        let after = due + Duration::seconds(1);
        assert!(!plan_overdue(PlanStatus::Open, due, due));
        assert!(plan_overdue(PlanStatus::Open, due, after));
        assert!(plan_overdue(PlanStatus::SentBack, due, after));
        assert!(!plan_overdue(PlanStatus::Submitted, due, after));
        assert!(!plan_overdue(PlanStatus::Acknowledged, due, after));
    }

    #[test]
    fn bands_meet_at_the_thresholds() {
        let s = Settings::default();
        assert_eq!(ScoreBand::Low.overall_range(&s), (1, 6));
        assert_eq!(ScoreBand::Middle.overall_range(&s), (7, 7));
        assert_eq!(ScoreBand::High.overall_range(&s), (8, 10));
    }
}
