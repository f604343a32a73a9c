//! The admins' review of anomalous evaluations (评价审核): the queue, the decisions, the
//! abusive-word lexicon. The rules themselves are in [`crate::anomalies`].
//!
//! An evaluation is `active` (counted), `under_review` (flagged at submission, still counted
//! until an admin decides) or `deleted` (hidden from every statistic and from the agent, never
//! erased). Keep: `under_review` → `active`. Delete: `under_review` or `active` → `deleted`.
//! Restore: `deleted` → `active`. Its customer never sees any of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::anomalies::{AnomalyRule, Finding};
use crate::evaluations::DimensionScore;
use crate::problem::{FieldError, checked, length_error, line_length_error};

/// Longest reason of a decision, in characters.
pub const REASON_MAX_CHARS: usize = 500;
/// Most evaluations in one bulk decision.
pub const MAX_DECISION_BATCH: usize = 200;
/// Longest lexicon term, in characters.
pub const TERM_MAX_CHARS: usize = 50;
/// Queue items per page when none is asked for, and at most.
pub const DEFAULT_QUEUE_PER_PAGE: u32 = 20;
pub const MAX_QUEUE_PER_PAGE: u32 = 100;

closed_list! {
    /// Where an evaluation stands in moderation (its stored status).
    pub enum ModerationStatus {
        /// Counted.
        Active = "active" ("有效", "Active"),
        /// Flagged, awaiting an admin; still counted.
        UnderReview = "under_review" ("待审核", "Under review"),
        /// Deleted by an admin: hidden from statistics and from the agent, never erased.
        Deleted = "deleted" ("已删除", "Deleted"),
    }
}

closed_list! {
    /// Which part of the queue to list.
    #[derive(Default)]
    pub enum QueueStatus {
        /// Awaiting a decision, oldest submission first.
        #[default]
        UnderReview = "under_review" ("待审核", "Under review"),
        /// Deleted, latest decision first.
        Deleted = "deleted" ("已删除", "Deleted"),
        /// Flagged or decided once and active now (kept or restored), latest decision first.
        Kept = "kept" ("已保留", "Kept"),
    }
}

closed_list! {
    /// An admin's decision on an evaluation.
    pub enum Decision {
        /// It stands: `under_review` → `active`.
        Keep = "keep" ("保留", "Keep"),
        /// Hide it from statistics: `under_review` or `active` → `deleted`.
        Delete = "delete" ("删除", "Delete"),
        /// Count it again: `deleted` → `active`.
        Restore = "restore" ("恢复", "Restore"),
    }
}

impl Decision {
    /// The status an evaluation in `from` gets, or `None` when the decision does not apply
    /// to it (keeping a deleted one, restoring one that is not deleted, ...).
    pub fn apply(self, from: ModerationStatus) -> Option<ModerationStatus> {
        use ModerationStatus::*;
        match (self, from) {
            (Decision::Keep, UnderReview) => Some(Active),
            (Decision::Delete, UnderReview | Active) => Some(Deleted),
            (Decision::Restore, Deleted) => Some(Active),
            _ => None,
        }
    }
}

/// Why an evaluation was flagged: one rule that matched, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagReason {
    pub rule: AnomalyRule,
    /// In English, e.g. "3 evaluations of E1003 by this customer within 60 minutes".
    pub detail: String,
    /// In Chinese, e.g. "该客户 60 分钟内对 E1003 提交了 3 条评价".
    pub detail_zh: String,
    /// The numbers behind the words, tagged by `rule`, for the app's own wording.
    pub facts: Finding,
    pub flagged_at: DateTime<Utc>,
}

impl FlagReason {
    pub fn new(finding: Finding, flagged_at: DateTime<Utc>) -> FlagReason {
        FlagReason {
            rule: finding.rule(),
            detail: finding.detail_en(),
            detail_zh: finding.detail_zh(),
            facts: finding,
            flagged_at,
        }
    }
}

/// One decision taken on an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRecord {
    pub id: i64,
    pub decision: Decision,
    pub reason: String,
    pub decided_by_id: i64,
    pub decided_by_name: String,
    pub decided_at: DateTime<Utc>,
}

/// A flagged (or decided) evaluation as the review queue shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    /// The evaluation's id (what decisions name).
    pub id: i64,
    /// `PJ20261122-000123`.
    pub number: String,
    pub status: ModerationStatus,
    pub submitted_at: DateTime<Utc>,
    pub service_record_id: i64,
    pub agent_id: i64,
    pub agent_no: String,
    pub agent_name: String,
    pub customer_id: i64,
    pub customer_no: String,
    /// Always masked, e.g. `138****0001`.
    pub customer_phone: Option<String>,
    pub service_type: String,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    /// In the form's order.
    pub scores: Vec<DimensionScore>,
    /// Mean of the answered dimensions, one decimal.
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
    /// Seconds the form was open, when the app said.
    pub form_seconds: Option<u32>,
    /// Every rule that flagged it, oldest first.
    pub reasons: Vec<FlagReason>,
    /// The latest decision, if any.
    pub last_decision: Option<DecisionRecord>,
}

/// `GET /moderation/queue`: one page of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewPage {
    pub items: Vec<ReviewItem>,
    /// Items matching the filters, on every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
    /// With an agent filter: what the statistics count of that agent now, so an admin sees
    /// what a decision does to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentStanding>,
}

/// One agent's evaluations as the statistics count them (deleted ones left out, each at its
/// current version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentStanding {
    pub agent_id: i64,
    /// Evaluations counted.
    pub counted: u64,
    /// Their mean total score, 1 to 5; `None` without any.
    pub average_total: Option<f64>,
}

/// `GET /moderation/evaluations/{id}`: one evaluation with its flags and every decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDetail {
    pub item: ReviewItem,
    /// Every decision, oldest first.
    pub decisions: Vec<DecisionRecord>,
}

/// `POST /moderation/decisions`: one decision, with one reason, on one or more evaluations,
/// all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// 1 to 200 evaluation ids; repeats count once.
    pub evaluation_ids: Vec<i64>,
    pub decision: Decision,
    /// Required: not blank, at most 500 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub reason: String,
}

impl DecisionRequest {
    /// Checks the request: the ids (at least one, at most [`MAX_DECISION_BATCH`] distinct)
    /// and the reason. Answers the distinct ids in their order and the trimmed reason.
    pub fn check(&self) -> Result<(Vec<i64>, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ids: Vec<i64> = Vec::with_capacity(self.evaluation_ids.len());
        for id in &self.evaluation_ids {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        if ids.is_empty() {
            errors.push(FieldError::new(
                "evaluation_ids",
                "required",
                "select at least one evaluation",
            ));
        } else if ids.len() > MAX_DECISION_BATCH {
            errors.push(FieldError::new(
                "evaluation_ids",
                "too_many",
                format!("at most {MAX_DECISION_BATCH} evaluations at once"),
            ));
        }
        if let Some(error) = check_reason("reason", &self.reason) {
            errors.push(error);
        }
        checked(errors, (ids, self.reason.trim().to_owned()))
    }
}

/// A decision's reason: required (not blank) and at most [`REASON_MAX_CHARS`] characters.
pub fn check_reason(field: &str, reason: &str) -> Option<FieldError> {
    length_error(field, reason.trim(), "give a reason", 1, REASON_MAX_CHARS)
}

/// One evaluation a decision was applied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecidedEvaluation {
    pub id: i64,
    pub number: String,
    /// Its status before the decision.
    pub previous_status: ModerationStatus,
    pub status: ModerationStatus,
}

/// The answer of `POST /moderation/decisions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionOutcome {
    pub decision: Decision,
    pub reason: String,
    pub decided_at: DateTime<Utc>,
    /// In the request's order.
    pub evaluations: Vec<DecidedEvaluation>,
}

/// A term of the abusive-word lexicon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AbusiveTerm {
    /// Lower-cased. ASCII words (`idiot`) match at the start of a word, anything else (`垃圾`,
    /// `f*ck`) anywhere in a suggestion, case-insensitively.
    pub term: String,
    /// `None` for the terms the system shipped with.
    pub added_by_id: Option<i64>,
    pub added_by_name: Option<String>,
    pub added_at: DateTime<Utc>,
}

/// `POST /moderation/terms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAbusiveTerm {
    /// 1 to 50 characters once trimmed; stored lower-cased.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub term: String,
}

impl NewAbusiveTerm {
    /// The term as stored (trimmed, lower-cased), or the field error.
    pub fn check(&self) -> Result<String, FieldError> {
        let term = self.term.trim();
        match line_length_error("term", term, "enter a word or phrase", 1, TERM_MAX_CHARS) {
            Some(error) => Err(error),
            None => Ok(term.chars().flat_map(char::to_lowercase).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_apply_to_some_statuses_only() {
        use ModerationStatus::*;
        assert_eq!(Decision::Keep.apply(UnderReview), Some(Active));
        assert_eq!(Decision::Keep.apply(Active), None);
        assert_eq!(Decision::Keep.apply(Deleted), None);
        assert_eq!(Decision::Delete.apply(UnderReview), Some(Deleted));
        assert_eq!(Decision::Delete.apply(Active), Some(Deleted));
        assert_eq!(Decision::Delete.apply(Deleted), None);
        assert_eq!(Decision::Restore.apply(Deleted), Some(Active));
        assert_eq!(Decision::Restore.apply(UnderReview), None);
        assert_eq!(Decision::Restore.apply(Active), None);
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
        for s in ModerationStatus::ALL {
            assert_eq!(ModerationStatus::parse(s.as_str()), Some(s));
        }
    }

    fn request(ids: Vec<i64>, reason: &str) -> DecisionRequest {
        DecisionRequest {
            evaluation_ids: ids,
            decision: Decision::Delete,
            reason: reason.to_owned(),
        }
    }

    fn codes(r: &DecisionRequest) -> Vec<(String, String)> {
        r.check()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_decision_needs_ids_and_a_reason() {
        assert_eq!(
            request(vec![3, 1, 3], "  刷单  ").check(),
            Ok((vec![3, 1], "刷单".to_owned()))
        );
        assert_eq!(
            codes(&request(vec![], " \n ")),
            [
                ("evaluation_ids".to_owned(), "required".to_owned()),
                ("reason".to_owned(), "required".to_owned()),
            ]
        );
        let at_limit = "理".repeat(REASON_MAX_CHARS);
        assert!(request(vec![1], &at_limit).check().is_ok());
        let over = "理".repeat(REASON_MAX_CHARS + 1);
        assert_eq!(
            codes(&request(vec![1], &over)),
            [("reason".to_owned(), "too_long".to_owned())]
        );
        let many: Vec<i64> = (1..=MAX_DECISION_BATCH as i64 + 1).collect();
        assert_eq!(
            codes(&request(many, "x")),
            [("evaluation_ids".to_owned(), "too_many".to_owned())]
        );
        let decided: DecisionRequest =
            serde_json::from_str(r#"{"evaluation_ids":[1],"decision":"restore","reason":"误判"}"#)
                .unwrap();
        assert_eq!(decided.decision, Decision::Restore);
    }

    #[test]
    fn terms_are_trimmed_lower_cased_and_bounded() {
        let term = |t: &str| NewAbusiveTerm { term: t.to_owned() }.check();
        assert_eq!(term("  IDIOT "), Ok("idiot".to_owned()));
        assert_eq!(term("垃圾"), Ok("垃圾".to_owned()));
        assert_eq!(term("  ").unwrap_err().code, "required");
        assert_eq!(term(&"x".repeat(51)).unwrap_err().code, "too_long");
        assert_eq!(term("bad\0word").unwrap_err().code, "control_character");
        assert_eq!(term("two\nlines").unwrap_err().code, "control_character");
        assert!(term(&"x".repeat(50)).is_ok());
    }
}
