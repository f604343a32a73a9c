//! Inspections of one sampled record against the checklist, and the rectification of every
//! item found wanting.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ChecklistTemplate, ItemResult, Person, SampleRow, TEXT_MAX_CHARS, check_text};
use crate::problem::{FieldError, checked};
use crate::records::conversation::{Conversation, is_transcript_line};

closed_list! {
    /// What the owner of a rectification reports (整改结果).
    pub enum RectificationResult {
        /// 已整改
        Rectified = "rectified" ("已整改", "Rectified"),
        /// 未整改
        NotRectified = "not_rectified" ("未整改", "Not rectified"),
        /// 需持续改进
        Ongoing = "ongoing" ("需持续改进", "Needs ongoing improvement"),
    }
}

closed_list! {
    /// Where a rectification stands: the owner works on it (open), has reported a result
    /// (reported), and the inspector re-checks it: accepted (closed) or sent back (open again).
    pub enum RectificationStatus {
        Open = "open" ("整改中", "Open"),
        Reported = "reported" ("待复查", "Awaiting re-check"),
        Closed = "closed" ("已关闭", "Closed"),
    }
}

/// Overdue: still open (its owner has reported nothing, or it was sent back) and its deadline
/// (a whole day in the organisation's zone) has passed. A reported one waits for the
/// inspector, not for its owner.
pub fn rectification_overdue(
    status: RectificationStatus,
    deadline: NaiveDate,
    today: NaiveDate,
) -> bool {
    status == RectificationStatus::Open && today > deadline
}

/// One item as found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemAnswer {
    pub item_id: i64,
    pub result: ItemResult,
    /// What happened (time, what was said or done), required when partly or not compliant.
    #[serde(default)]
    pub problem: Option<String>,
    /// The line of the record's transcript (引用对话) the finding rests on: one of its lines
    /// exactly, as the inspection sheet's `conversation.lines` gives them.
    #[serde(default)]
    pub quote: Option<String>,
}

/// A rubric score of one dimension (named `QaDimensionScore` in the OpenAPI document: an
/// evaluation's `DimensionScore` is another type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QaDimensionScore))]
pub struct DimensionScore {
    pub dimension_id: i64,
    /// 1 to 5.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: u8,
}

/// Who rectifies an item found wanting, and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationAssignment {
    pub item_id: i64,
    pub owner_id: i64,
    pub deadline: NaiveDate,
}

/// `PUT /qa/samples/{id}/inspection`: the whole inspection of one sampled record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInspection {
    /// Every item of the template, once.
    pub answers: Vec<ItemAnswer>,
    /// Every dimension of the template, once.
    pub scores: Vec<DimensionScore>,
    /// Highlights worth sharing (服务亮点).
    #[serde(default)]
    pub highlights: Option<String>,
    /// One per item found partly or not compliant.
    #[serde(default)]
    pub rectifications: Vec<RectificationAssignment>,
}

impl NewInspection {
    /// Against the plan's `template`: every item answered once and nothing else, a problem for
    /// every item found wanting, a score of 1-5 for every dimension, and a rectification
    /// (owner among `owners`, deadline from `today` on) for exactly the items found wanting;
    /// a quote only from the record's `transcript` (its lines).
    /// Fields: `answers.{item_id}.result`, `answers.{item_id}.problem`,
    /// `answers.{item_id}.quote` (`not_in_transcript`), `scores.{dimension_id}`,
    /// `rectifications.{item_id}.owner_id` / `.deadline`, `highlights`.
    pub fn check(
        &self,
        template: &ChecklistTemplate,
        owners: &[i64],
        today: NaiveDate,
        transcript: &[String],
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (_, item) in template.items() {
            let answers: Vec<&ItemAnswer> = self
                .answers
                .iter()
                .filter(|a| a.item_id == item.id)
                .collect();
            let field = format!("answers.{}", item.id);
            match answers.as_slice() {
                [] => errors.push(FieldError::new(
                    format!("{field}.result"),
                    "required",
                    "mark this item",
                )),
                [answer] => {
                    let problem = answer.problem.as_deref().unwrap_or("").trim();
                    if answer.result.wanting() && problem.is_empty() {
                        errors.push(FieldError::new(
                            format!("{field}.problem"),
                            "required",
                            "describe what happened: when, what was said or done",
                        ));
                    } else {
                        check_text(
                            &mut errors,
                            &format!("{field}.problem"),
                            problem,
                            false,
                            TEXT_MAX_CHARS,
                        );
                    }
                    if let Some(quote) = answer.quote.as_deref().map(str::trim)
                        && !quote.is_empty()
                        && !is_transcript_line(transcript, quote)
                    {
                        errors.push(FieldError::new(
                            format!("{field}.quote"),
                            "not_in_transcript",
                            "quote a line of this record's transcript",
                        ));
                    }
                    let assigned: Vec<&RectificationAssignment> = self
                        .rectifications
                        .iter()
                        .filter(|r| r.item_id == item.id)
                        .collect();
                    let at = format!("rectifications.{}", item.id);
                    match (answer.result.wanting(), assigned.as_slice()) {
                        (true, []) => errors.push(FieldError::new(
                            format!("{at}.owner_id"),
                            "required",
                            "name who rectifies this item and by when",
                        )),
                        (true, [r]) => {
                            if !owners.contains(&r.owner_id) {
                                errors.push(FieldError::new(
                                    format!("{at}.owner_id"),
                                    "unknown",
                                    "choose the agent or their team lead",
                                ));
                            }
                            if r.deadline < today {
                                errors.push(FieldError::new(
                                    format!("{at}.deadline"),
                                    "in_past",
                                    "the deadline cannot be in the past",
                                ));
                            }
                        }
                        (true, _) => errors.push(FieldError::new(
                            format!("{at}.owner_id"),
                            "duplicate",
                            "one rectification per item",
                        )),
                        (false, []) => {}
                        (false, _) => errors.push(FieldError::new(
                            format!("{at}.owner_id"),
                            "not_wanting",
                            "only an item found partly or not compliant is rectified",
                        )),
                    }
                }
                _ => errors.push(FieldError::new(
                    format!("{field}.result"),
                    "duplicate",
                    "each item is marked once",
                )),
            }
        }
        let answered = self
            .answers
            .iter()
            .map(|a| ("answers", a.item_id, "result"));
        let rectified =
            (self.rectifications.iter()).map(|r| ("rectifications", r.item_id, "owner_id"));
        for (list, id, leaf) in answered.chain(rectified) {
            if !template.items().any(|(_, i)| i.id == id) {
                errors.push(FieldError::new(
                    format!("{list}.{id}.{leaf}"),
                    "unknown",
                    "this item is not in the plan's checklist",
                ));
            }
        }
        for d in &template.dimensions {
            let scores: Vec<&DimensionScore> = self
                .scores
                .iter()
                .filter(|s| s.dimension_id == d.id)
                .collect();
            let field = format!("scores.{}", d.id);
            match scores.as_slice() {
                [] => errors.push(FieldError::new(field, "required", "score 1 to 5")),
                [s] if !(1..=5).contains(&s.score) => {
                    errors.push(FieldError::new(field, "out_of_range", "score 1 to 5"))
                }
                [_] => {}
                _ => errors.push(FieldError::new(field, "duplicate", "one score each")),
            }
        }
        for s in &self.scores {
            if !template.dimensions.iter().any(|d| d.id == s.dimension_id) {
                errors.push(FieldError::new(
                    format!("scores.{}", s.dimension_id),
                    "unknown",
                    "this dimension is not in the plan's checklist",
                ));
            }
        }
        check_text(
            &mut errors,
            "highlights",
            self.highlights.as_deref().unwrap_or(""),
            false,
            TEXT_MAX_CHARS,
        );
        checked(errors, ())
    }
}

/// A rectification (整改) of an item found wanting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rectification {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    pub sample_id: i64,
    pub record_id: i64,
    pub external_id: String,
    /// The agent who served the record.
    pub agent: Person,
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    pub result_found: ItemResult,
    pub problem: String,
    /// The line of the transcript the finding quotes, if any.
    #[serde(default)]
    pub quote: Option<String>,
    pub owner: Person,
    pub deadline: NaiveDate,
    pub status: RectificationStatus,
    pub overdue: bool,
    pub result: Option<RectificationResult>,
    pub owner_note: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub check_note: Option<String>,
    pub checked_by: Option<Person>,
    pub checked_at: Option<DateTime<Utc>>,
    pub inspector: Person,
}

/// `POST /qa/rectifications/{id}/report`: the owner's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationReport {
    pub result: RectificationResult,
    /// What was done (措施), required.
    pub note: String,
}

impl RectificationReport {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "note", &self.note, true, TEXT_MAX_CHARS);
        checked(errors, ())
    }
}

/// `POST /qa/rectifications/{id}/recheck`: the inspector's re-check (复查) of a reported result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recheck {
    /// Accepted closes it; not accepted sends it back to its owner, open again.
    pub accepted: bool,
    /// Required when it is sent back.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub note: String,
}

impl Recheck {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(
            &mut errors,
            "note",
            &self.note,
            !self.accepted,
            TEXT_MAX_CHARS,
        );
        checked(errors, ())
    }
}

/// An inspection as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    pub id: i64,
    pub sample_id: i64,
    pub inspector: Person,
    pub submitted_at: DateTime<Utc>,
    pub answers: Vec<ItemAnswer>,
    pub scores: Vec<DimensionScore>,
    pub highlights: Option<String>,
    pub qa_score: f64,
    pub rectifications: Vec<Rectification>,
}

/// The customer's evaluation of a record, as the inspector sees it beside the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerView {
    pub number: String,
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
    pub scores: Vec<CustomerScore>,
    pub submitted_at: DateTime<Utc>,
}

/// One dimension of the customer's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerScore {
    pub name_zh: String,
    pub name_en: String,
    pub score: Option<u8>,
}

/// `GET /qa/samples/{id}`: everything the inspection of one record needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionSheet {
    pub sample: SampleRow,
    pub record: crate::records::ServiceRecord,
    /// The record's transcript and recording, as the helpdesk sent them.
    #[serde(default)]
    pub conversation: Conversation,
    /// The customer's current evaluation, when there is one and it is not deleted.
    pub evaluation: Option<CustomerView>,
    pub template: ChecklistTemplate,
    pub inspection: Option<Inspection>,
    /// Who may own a rectification: the agent and their team lead.
    pub owners: Vec<Person>,
    /// The deadline offered: 3 working days from today (the setting for improvement plans).
    pub default_deadline: NaiveDate,
    pub today: NaiveDate,
    /// Whether the caller may (re-)submit: the assigned inspector or an admin, and no
    /// rectification of it reported yet.
    pub editable: bool,
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{codes, day, inspection, template};
    use super::*;

    #[test]
    fn an_inspection_marks_every_item_and_scores_every_dimension() {
        use ItemResult::*;
        let t = template();
        let today = day("2026-11-20");
        assert_eq!(
            codes(inspection([Compliant, NotApplicable]).check(&t, &[5], today, &[])),
            vec![]
        );
        let mut missing = inspection([Compliant, Compliant]);
        missing.answers.pop();
        missing.scores.pop();
        assert_eq!(
            codes(missing.check(&t, &[5], today, &[])),
            vec![
                ("answers.101.result".into(), "required".into()),
                ("scores.11".into(), "required".into()),
            ]
        );
        let mut foreign = inspection([Compliant, Compliant]);
        foreign.scores[0].score = 6;
        foreign.answers.push(ItemAnswer {
            item_id: 999,
            result: Compliant,
            problem: None,
            quote: None,
        });
        assert_eq!(
            codes(foreign.check(&t, &[5], today, &[])),
            vec![
                ("answers.999.result".into(), "unknown".into()),
                ("scores.10".into(), "out_of_range".into()),
            ]
        );
    }

    #[test]
    fn an_item_found_wanting_needs_a_problem_and_a_rectification() {
        use ItemResult::*;
        let t = template();
        let today = day("2026-11-20");
        let bare = inspection([NonCompliant, Partly]);
        assert_eq!(
            codes(bare.check(&t, &[5], today, &[])),
            vec![
                ("answers.100.problem".into(), "required".into()),
                ("rectifications.100.owner_id".into(), "required".into()),
                ("answers.101.problem".into(), "required".into()),
                ("rectifications.101.owner_id".into(), "required".into()),
            ]
        );
        let mut full = inspection([NonCompliant, Compliant]);
        full.answers[0].problem = Some("10:05 客户询问退货时多次打断客户".into());
        full.rectifications.push(RectificationAssignment {
            item_id: 100,
            owner_id: 5,
            deadline: today,
        });
        assert_eq!(codes(full.check(&t, &[5], today, &[])), vec![]);
        let mut wrong = full.clone();
        wrong.rectifications[0].owner_id = 6;
        wrong.rectifications[0].deadline = day("2026-11-19");
        wrong.rectifications.push(RectificationAssignment {
            item_id: 101,
            owner_id: 5,
            deadline: today,
        });
        assert_eq!(
            codes(wrong.check(&t, &[5], today, &[])),
            vec![
                ("rectifications.100.owner_id".into(), "unknown".into()),
                ("rectifications.100.deadline".into(), "in_past".into()),
                ("rectifications.101.owner_id".into(), "not_wanting".into()),
            ]
        );
    }

    #[test]
    fn a_quote_is_a_line_of_the_transcript() {
        use ItemResult::*;
        let t = template();
        let today = day("2026-11-20");
        let lines = vec!["客户：快递三天没动了".to_owned(), "客服：您好".to_owned()];
        let mut quoted = inspection([Compliant, NotApplicable]);
        quoted.answers[0].quote = Some(" 客服：您好 ".into());
        quoted.answers[1].quote = Some(String::new());
        assert_eq!(codes(quoted.check(&t, &[5], today, &lines)), vec![]);
        quoted.answers[1].quote = Some("客服：您好，我帮您查".into());
        assert_eq!(
            codes(quoted.check(&t, &[5], today, &lines)),
            vec![("answers.101.quote".into(), "not_in_transcript".into())]
        );
        assert_eq!(
            codes(quoted.check(&t, &[5], today, &[])),
            vec![
                ("answers.100.quote".into(), "not_in_transcript".into()),
                ("answers.101.quote".into(), "not_in_transcript".into()),
            ]
        );
    }

    #[test]
    fn reports_and_rechecks_need_their_notes() {
        let report = RectificationReport {
            result: RectificationResult::Rectified,
            note: "".into(),
        };
        assert_eq!(
            codes(report.check()),
            vec![("note".into(), "required".into())]
        );
        assert_eq!(
            codes(
                Recheck {
                    accepted: true,
                    note: String::new()
                }
                .check()
            ),
            vec![]
        );
        assert_eq!(
            codes(
                Recheck {
                    accepted: false,
                    note: String::new()
                }
                .check()
            ),
            vec![("note".into(), "required".into())]
        );
    }

    #[test]
    fn overdue_means_past_the_deadline_and_still_open() {
        let deadline = day("2026-11-20");
        assert!(!rectification_overdue(
            RectificationStatus::Open,
            deadline,
            deadline
        ));
        assert!(rectification_overdue(
            RectificationStatus::Open,
            deadline,
            day("2026-11-21")
        ));
        assert!(!rectification_overdue(
            RectificationStatus::Reported,
            deadline,
            day("2026-11-21")
        ));
        assert!(!rectification_overdue(
            RectificationStatus::Closed,
            deadline,
            day("2026-11-21")
        ));
    }
}
