//! The inspection report of a plan, and an agent's own inspections.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ItemResult, Person, PlanScope, PlanSummary, Rectification, SampleRow, Stratum};

/// A dimension in a plan's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionResult {
    pub dimension_id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// Mean rubric score, 1-5.
    pub score: Option<f64>,
    /// Compliant / applicable items over every inspection, 0-1.
    pub score_rate: Option<f64>,
    pub applicable: u64,
    pub compliant: u64,
    /// Under 3.
    pub flagged: bool,
    /// The same dimension (by name) in the plan compared against.
    pub before: Option<f64>,
}

/// Scores of an agent or a team in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompositeRow {
    /// The agent, or the team (id, "", name).
    pub who: Person,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub inspections: u64,
    pub qa_score: Option<f64>,
    /// Mean total score of the customers' current, undeleted evaluations in the plan's period.
    pub customer_score: Option<f64>,
    pub evaluations: u64,
    pub composite: Option<f64>,
}

/// An item often found wanting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrequentProblem {
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    /// Inspections that found it partly or not compliant.
    pub count: u64,
    /// Of the inspections where it applied, 0-1.
    pub share: f64,
    /// Up to three problem descriptions.
    pub examples: Vec<String>,
}

/// A highlight worth sharing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    pub agent: Person,
    pub external_id: String,
    pub text: String,
}

/// Rectifications of a plan by status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationCounts {
    pub open: u64,
    pub reported: u64,
    pub closed: u64,
    pub overdue: u64,
}

/// The plan a report is compared against (before/after).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub plan: PlanSummary,
    pub qa_score: Option<f64>,
    pub composite: Option<f64>,
}

/// `GET /qa/plans/{id}/report`: the inspection report of a plan (检测报告).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanReport {
    pub plan: PlanSummary,
    pub scope: PlanScope,
    pub strata: Vec<Stratum>,
    pub inspected: u64,
    pub dimensions: Vec<DimensionResult>,
    pub qa_score: Option<f64>,
    pub customer_score: Option<f64>,
    pub composite: Option<f64>,
    pub customer_weight: u8,
    pub qa_weight: u8,
    pub agents: Vec<CompositeRow>,
    pub teams: Vec<CompositeRow>,
    pub problems: Vec<FrequentProblem>,
    pub highlights: Vec<Highlight>,
    pub rectifications: RectificationCounts,
    pub compare: Option<Comparison>,
    /// Earlier plans on the same template, to compare against.
    pub comparable: Vec<PlanSummary>,
    /// Disputes of each inspector's inspections (every inspector who inspected).
    #[serde(default)]
    pub dispute_inspectors: Vec<super::InspectorDisputes>,
    /// Disputes of each item disputed, in the checklist's order.
    #[serde(default)]
    pub dispute_items: Vec<super::ItemDisputes>,
    /// With `coaching=`: the report is about the session's agent, before the session against
    /// after it (the dimensions' scores are the after window's, their `before` the before
    /// window's); the plan gives the checklist. The plan's other tables are then empty.
    #[serde(default)]
    pub coaching: Option<CoachingAnchor>,
}

/// The app's address of plan `plan_id`'s report anchored on the coaching session
/// `session_id`: under the lead's pages for a team lead (the QA pages are the inspectors' and
/// admins'), under the QA pages otherwise.
pub fn coaching_report_href(plan_id: i64, session_id: i64, lead: bool) -> String {
    let base = if lead { "/lead/qa" } else { "/qa" };
    format!("{base}/plans/{plan_id}/report?coaching={session_id}")
}

/// The coaching session a report's before/after is anchored on, and its two windows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachingAnchor {
    pub session_id: i64,
    pub agent: Person,
    /// Who recorded it.
    pub coach_name: String,
    pub held_at: DateTime<Utc>,
    /// The whole days before the session's day (the improvement plan's windows).
    pub before: AnchorWindow,
    /// As many days after it.
    pub after: AnchorWindow,
    /// Each item of the checklist: its score rate before and after.
    pub items: Vec<AnchorItem>,
}

/// One window of a coaching anchor: the inspections of the agent's services that ended in it,
/// in the plans on the report's checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnchorWindow {
    /// Its first and last day (the organisation's).
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Whether it has passed: the after window's figures wait for it, as the coaching
    /// session's own comparison does (none before).
    pub complete: bool,
    pub inspected: u64,
    /// Mean QA score of those inspections.
    pub qa_score: Option<f64>,
}

/// An item of the checklist before and after a coaching session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnchorItem {
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    /// Compliant / applicable answers, 0-1.
    pub before: Option<f64>,
    pub after: Option<f64>,
}

/// `GET /me/qa`: a page of an agent's own inspection results and a page of their
/// rectifications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyQa {
    /// Inspections of the caller's services, newest plan first.
    pub inspections: Vec<MyInspection>,
    /// Inspections on every page.
    pub inspections_total: u64,
    /// The page of inspections, from 1.
    pub inspections_page: u32,
    /// Owned by the caller or about their services, what awaits their report first (the
    /// order of [`super::sort_for_owner`]).
    pub rectifications: Vec<Rectification>,
    /// Rectifications on every page.
    pub rectifications_total: u64,
    /// The page of rectifications, from 1.
    pub rectifications_page: u32,
    /// Rows a page of either list.
    pub per_page: u32,
    /// Open rectifications the caller owns: those awaiting their report.
    pub awaiting_report: u64,
}

/// One inspection of an agent's service, as the agent sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyInspection {
    pub sample: SampleRow,
    pub submitted_at: DateTime<Utc>,
    pub dimensions: Vec<MyDimension>,
    pub highlights: Option<String>,
    /// The findings the inspector pinned to a line of the conversation, in the checklist's
    /// order.
    #[serde(default)]
    pub quotes: Vec<QuotedFinding>,
    /// Where the dispute of this inspection stands, if one was filed.
    #[serde(default)]
    pub dispute: Option<super::DisputeStatus>,
}

/// An item's finding pinned to a line of the record's transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotedFinding {
    pub item_name_zh: String,
    pub item_name_en: String,
    pub result: ItemResult,
    pub quote: String,
}

/// A dimension of an agent's inspection: the score, and the items found wanting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyDimension {
    pub name_zh: String,
    pub name_en: String,
    pub score: u8,
    pub score_rate: Option<f64>,
    pub wanting: Vec<String>,
}
