//! Appeals (申诉): a customer asks, within the appeal window after submitting, for their own
//! evaluation to be corrected; an admin approves (the scores are adjusted in a new version of
//! the evaluation, the earlier version kept) or rejects, with a reason either way.
//!
//! The rules here are pure: the window ([`appeal_until`], [`can_appeal`]), the checks of a
//! filing ([`NewAppeal::check`]) and of a decision ([`AppealDecision::check`]). A requested or
//! applied change is a whole new set of answers, checked exactly as a submission is
//! ([`NewEvaluation::check`]) against the dimensions the evaluation was given.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::evaluations::{CheckedEvaluation, DimensionScore, FormDimension, NewEvaluation};
use crate::problem::{FieldError, checked, length_error};

/// Shortest appeal reason, in characters (Unicode scalar values), after trimming.
pub const APPEAL_REASON_MIN_CHARS: usize = 10;
/// Longest appeal reason, in characters.
pub const APPEAL_REASON_MAX_CHARS: usize = 1000;
/// Longest decision reason, in characters.
pub const DECISION_REASON_MAX_CHARS: usize = 1000;

/// The last instant an evaluation submitted at `submitted_at` may be appealed, with a window of
/// `window_hours` hours (the setting `appeal_window_hours`, 24 by default).
pub fn appeal_until(submitted_at: DateTime<Utc>, window_hours: u32) -> DateTime<Utc> {
    submitted_at + Duration::hours(i64::from(window_hours))
}

/// Whether the appeal window of an evaluation submitted at `submitted_at` is open at `now`
/// (its last instant included).
pub fn appeal_window_open(
    submitted_at: DateTime<Utc>,
    window_hours: u32,
    now: DateTime<Utc>,
) -> bool {
    now <= appeal_until(submitted_at, window_hours)
}

/// Whether its customer may file an appeal on an evaluation at `now`: the window is open and
/// no appeal of it is pending (one open appeal per evaluation).
pub fn can_appeal(
    submitted_at: DateTime<Utc>,
    window_hours: u32,
    appeal_pending: bool,
    now: DateTime<Utc>,
) -> bool {
    !appeal_pending && appeal_window_open(submitted_at, window_hours, now)
}

/// A reason as compared with earlier ones: letters and digits only (no spaces or
/// punctuation), lower case. Two appeals of one evaluation with the same key say the same.
pub fn reason_key(reason: &str) -> String {
    reason
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The rule of a further appeal: an evaluation may be appealed again after a decision (within
/// its window), but not for a reason already decided. `decided`: the reasons of its decided
/// appeals. The field error of `reason` (`repeated`) when `reason` is one of them.
pub fn repeated_reason<'a>(
    reason: &str,
    decided: impl IntoIterator<Item = &'a str>,
) -> Option<FieldError> {
    let key = reason_key(reason);
    decided
        .into_iter()
        .any(|earlier| reason_key(earlier) == key)
        .then(|| {
            FieldError::new(
                "reason",
                "repeated",
                "this evaluation was appealed for this reason and decided; say what is new",
            )
        })
}

closed_list! {
    /// Where an appeal stands.
    pub enum AppealStatus {
        /// Filed, awaiting an admin.
        Pending = "pending" ("待处理", "Pending"),
        /// Approved: the evaluation has a new version with the applied change.
        Approved = "approved" ("已通过", "Approved"),
        /// Rejected: the evaluation is unchanged.
        Rejected = "rejected" ("已驳回", "Rejected"),
    }
}

/// A whole set of answers an appeal asks for (or an admin applies): the same shape as a
/// submission's. Every required dimension must be answered; to keep a score or the
/// suggestion, send it again (an absent suggestion means none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AppealChange {
    /// Dimension code → score 1 to 5. Optional dimensions left unanswered are absent.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::evaluations::score_map_schema)
    )]
    pub scores: BTreeMap<String, u8>,
    /// Overall satisfaction, 1 to 10.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub overall: u8,
    /// At most 500 characters; blank or absent is none.
    #[serde(default)]
    pub suggestion: Option<String>,
}

impl AppealChange {
    /// Checks the change as a submission is checked, against `dimensions` (the evaluation's),
    /// naming fields under `prefix` (`requested.scores.attitude`, `applied.overall`), and that
    /// it differs from `current` (else `<prefix>` `unchanged`).
    pub fn check(
        &self,
        prefix: &str,
        dimensions: &[FormDimension],
        current: &EvaluationValues,
    ) -> Result<CheckedEvaluation, Vec<FieldError>> {
        let as_submission = NewEvaluation {
            service_record_id: 0,
            scores: self.scores.clone(),
            overall: self.overall,
            suggestion: self.suggestion.clone(),
            form_seconds: None,
        };
        let checked = as_submission.check(dimensions).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("{prefix}.{}", e.field),
                    ..e
                })
                .collect::<Vec<_>>()
        })?;
        let same_scores = checked.scores.len() == current.scores.len()
            && dimensions
                .iter()
                .zip(&checked.scores)
                .all(|(d, score)| current.score_of(&d.code) == *score);
        if same_scores
            && checked.overall == current.overall
            && checked.suggestion == current.suggestion
        {
            return Err(vec![FieldError::new(
                prefix,
                "unchanged",
                "the change is the same as the evaluation as it stands",
            )]);
        }
        Ok(checked)
    }
}

/// The values of one version of an evaluation: its scores (with the dimension names it was
/// given), total, overall score and suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationValues {
    /// In the form's order.
    pub scores: Vec<DimensionScore>,
    /// Mean of the answered dimensions, one decimal.
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
}

impl EvaluationValues {
    /// The score of dimension `code`; `None` when unanswered or not a dimension of it.
    pub fn score_of(&self, code: &str) -> Option<u8> {
        self.scores
            .iter()
            .find(|s| s.code == code)
            .and_then(|s| s.score)
    }

    /// The values of a checked change, named after `dimensions` (the evaluation's).
    pub fn from_checked(dimensions: &[FormDimension], checked: &CheckedEvaluation) -> Self {
        EvaluationValues {
            scores: dimensions
                .iter()
                .zip(&checked.scores)
                .map(|(d, score)| DimensionScore {
                    code: d.code.clone(),
                    name_zh: d.name_zh.clone(),
                    name_en: d.name_en.clone(),
                    optional: d.optional,
                    score: *score,
                })
                .collect(),
            total_score: checked.total_score,
            overall: checked.overall,
            suggestion: checked.suggestion.clone(),
        }
    }

    /// These values as a change to send (the app prefills the appeal form with them).
    pub fn to_change(&self) -> AppealChange {
        AppealChange {
            scores: self
                .scores
                .iter()
                .filter_map(|s| s.score.map(|score| (s.code.clone(), score)))
                .collect(),
            overall: self.overall,
            suggestion: self.suggestion.clone(),
        }
    }

    /// The dimensions of these values, as a form has them (no descriptions), to check a change
    /// against.
    pub fn dimensions(&self) -> Vec<FormDimension> {
        self.scores
            .iter()
            .map(|s| FormDimension {
                code: s.code.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                description_zh: String::new(),
                description_en: String::new(),
                optional: s.optional,
            })
            .collect()
    }
}

/// `POST /evaluations/{number}/appeals` (with an `Idempotency-Key` header): a customer's
/// appeal of their own evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAppeal {
    /// Why: 10 to 1000 characters once trimmed. Required (a missing reason is the same 422
    /// field error as a short one).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reason: String,
    /// The corrected answers wanted, if any: a whole set (see [`AppealChange`]), different
    /// from the evaluation as it stands.
    #[serde(default)]
    pub requested: Option<AppealChange>,
}

/// A valid filing.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAppeal {
    /// Trimmed.
    pub reason: String,
    pub requested: Option<EvaluationValues>,
}

impl NewAppeal {
    /// Checks the filing against the evaluation's `current` values (whose dimensions the
    /// requested scores must fit). Field names: `reason` (`required`, `too_short`,
    /// `too_long`), `requested.scores.<code>`, `requested.scores`, `requested.overall`,
    /// `requested.suggestion` (as a submission's), `requested` (`unchanged`).
    pub fn check(&self, current: &EvaluationValues) -> Result<CheckedAppeal, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = self.reason.trim();
        errors.extend(length_error(
            "reason",
            reason,
            "say why you appeal this evaluation",
            APPEAL_REASON_MIN_CHARS,
            APPEAL_REASON_MAX_CHARS,
        ));
        let dimensions = current.dimensions();
        let requested = match &self.requested {
            None => None,
            Some(change) => match change.check("requested", &dimensions, current) {
                Ok(checked) => Some(EvaluationValues::from_checked(&dimensions, &checked)),
                Err(mut e) => {
                    errors.append(&mut e);
                    None
                }
            },
        };
        checked(
            errors,
            CheckedAppeal {
                reason: reason.to_owned(),
                requested,
            },
        )
    }
}

/// What an admin decides (named `AppealVerdict` in the OpenAPI document: the moderation
/// `Decision` is another type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = AppealVerdict))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

/// `POST /appeals/{id}/decision`: an admin's decision on a pending appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AppealDecision {
    pub decision: Decision,
    /// Why, shown to the customer: required (not blank), at most 1000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub reason: String,
    /// Approving only: the change to apply instead of the requested one (an edited change).
    /// Required when approving an appeal that requested none.
    #[serde(default)]
    pub applied: Option<AppealChange>,
}

/// A valid decision.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedDecision {
    /// Trimmed.
    pub reason: String,
    /// `Some`: approve, applying these values as the evaluation's new version. `None`: reject.
    pub applied: Option<EvaluationValues>,
}

impl AppealDecision {
    /// Checks the decision on an appeal that `requested` a change (or none) of an evaluation
    /// standing at `current`. Field names: `reason` (`required`, `too_long`), `applied`
    /// (`required` when approving without any change, `not_allowed` when rejecting,
    /// `unchanged`), `applied.scores.<code>`, `applied.overall`, `applied.suggestion`.
    pub fn check(
        &self,
        requested: Option<&EvaluationValues>,
        current: &EvaluationValues,
    ) -> Result<CheckedDecision, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = self.reason.trim();
        errors.extend(length_error(
            "reason",
            reason,
            "give the reason for the decision",
            1,
            DECISION_REASON_MAX_CHARS,
        ));
        let dimensions = current.dimensions();
        let applied = match (self.decision, &self.applied) {
            (Decision::Reject, None) => None,
            (Decision::Reject, Some(_)) => {
                errors.push(FieldError::new(
                    "applied",
                    "not_allowed",
                    "a rejection changes nothing",
                ));
                None
            }
            (Decision::Approve, change) => {
                let change = change.clone().or_else(|| requested.map(|r| r.to_change()));
                match change {
                    None => {
                        errors.push(FieldError::new(
                            "applied",
                            "required",
                            "the appeal requested no change: give the change to apply",
                        ));
                        None
                    }
                    Some(change) => match change.check("applied", &dimensions, current) {
                        Ok(checked) => Some(EvaluationValues::from_checked(&dimensions, &checked)),
                        Err(mut e) => {
                            errors.append(&mut e);
                            None
                        }
                    },
                }
            }
        };
        checked(
            errors,
            CheckedDecision {
                reason: reason.to_owned(),
                applied,
            },
        )
    }
}

/// An appeal as its customer and admins read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appeal {
    pub id: i64,
    /// The appealed evaluation's number, `PJ20261122-000123`.
    pub evaluation_number: String,
    pub status: AppealStatus,
    /// The customer's reason.
    pub reason: String,
    /// The version of the evaluation that was appealed.
    pub version: u32,
    /// The evaluation as it stood when the appeal was filed.
    pub current: EvaluationValues,
    /// The change the customer asked for, if any.
    pub requested: Option<EvaluationValues>,
    pub filed_at: DateTime<Utc>,
    /// Once decided: the admin's reason.
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Approved: the change applied (the requested one or an admin's edit of it).
    pub applied: Option<EvaluationValues>,
    /// Approved: the evaluation's version it created.
    pub new_version: Option<u32>,
    /// Whether the customer has seen the decision (`POST /me/appeals/{id}/seen`); false while
    /// pending.
    pub seen_by_customer: bool,
}

/// `GET /me/appeals` and `GET /evaluations/{number}/appeals`: appeals, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealList {
    pub appeals: Vec<Appeal>,
    /// Decided appeals among them whose decision the customer has not seen yet (the badge).
    pub unseen: u64,
}

/// One line of a customer's appeal history, in the admin queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealBrief {
    pub id: i64,
    pub evaluation_number: String,
    pub status: AppealStatus,
    pub reason: String,
    pub filed_at: DateTime<Utc>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The customer's other appeals (this one left out), newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerAppeals {
    /// All of them.
    pub total: u64,
    pub approved: u64,
    pub rejected: u64,
    pub pending: u64,
    /// The latest ones, at most 20.
    pub appeals: Vec<AppealBrief>,
}

/// The customer who filed an appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealCustomer {
    pub id: i64,
    pub customer_no: String,
    pub display_name: String,
}

/// One appeal in the admin queue, with what deciding it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminAppeal {
    pub appeal: Appeal,
    /// The evaluation as it stands now (its current version, with its history).
    pub evaluation: crate::evaluations::Evaluation,
    pub customer: AppealCustomer,
    /// The customer's history of appeals.
    pub customer_appeals: CustomerAppeals,
}

/// `GET /appeals`: one page of the admin queue, pending first, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminAppealPage {
    pub appeals: Vec<AdminAppeal>,
    /// Appeals matching the filter.
    pub total: u64,
    /// Pending appeals, whatever the filter (the queue's badge).
    pub pending: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn current() -> EvaluationValues {
        let score = |code: &str, optional: bool, score: Option<u8>| DimensionScore {
            code: code.to_owned(),
            name_zh: format!("{code}（中）"),
            name_en: code.to_owned(),
            optional,
            score,
        };
        EvaluationValues {
            scores: vec![
                score("attitude", false, Some(2)),
                score("speed", false, Some(3)),
                score("resolution", false, Some(2)),
                score("extra", true, None),
            ],
            total_score: 2.3,
            overall: 4,
            suggestion: Some("太慢了".to_owned()),
        }
    }

    fn change(scores: &[(&str, u8)], overall: u8, suggestion: Option<&str>) -> AppealChange {
        AppealChange {
            scores: scores.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect(),
            overall,
            suggestion: suggestion.map(str::to_owned),
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn the_window_is_24_hours_from_submission_last_instant_included() {
        let submitted = Utc.with_ymd_and_hms(2026, 11, 22, 3, 0, 0).unwrap();
        let until = appeal_until(submitted, 24);
        assert_eq!(until, Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap());
        assert!(can_appeal(submitted, 24, false, submitted));
        assert!(can_appeal(submitted, 24, false, until));
        assert!(!can_appeal(
            submitted,
            24,
            false,
            until + Duration::seconds(1)
        ));
        assert!(!can_appeal(submitted, 24, true, submitted));
        assert!(appeal_window_open(
            submitted,
            48,
            until + Duration::hours(1)
        ));
    }

    #[test]
    fn a_reason_is_required_and_bounded_in_characters() {
        let appeal = |reason: &str| NewAppeal {
            reason: reason.to_owned(),
            requested: None,
        };
        assert_eq!(
            codes(&appeal("   ").check(&current()).unwrap_err()),
            [("reason", "required")]
        );
        // Nine characters, padded: too short once trimmed.
        assert_eq!(
            codes(
                &appeal("  服务态度其实很好的  ")
                    .check(&current())
                    .unwrap_err()
            ),
            [("reason", "too_short")]
        );
        let ok = appeal("  服务态度其实很好，我点错了  ")
            .check(&current())
            .unwrap();
        assert_eq!(ok.reason, "服务态度其实很好，我点错了");
        assert_eq!(ok.requested, None);
        assert!(appeal(&"好".repeat(1000)).check(&current()).is_ok());
        assert_eq!(
            codes(&appeal(&"好".repeat(1001)).check(&current()).unwrap_err()),
            [("reason", "too_long")]
        );
    }

    #[test]
    fn a_requested_change_is_checked_like_a_submission_under_requested() {
        let appeal = NewAppeal {
            reason: "我当时误操作点了低分".to_owned(),
            requested: Some(change(
                &[("attitude", 6), ("bogus", 3), ("resolution", 5)],
                11,
                Some(&"长".repeat(501)),
            )),
        };
        let errors = appeal.check(&current()).unwrap_err();
        let codes = codes(&errors);
        for expected in [
            ("requested.scores.attitude", "out_of_range"),
            ("requested.scores.bogus", "unknown_dimension"),
            ("requested.scores.speed", "required"),
            ("requested.overall", "out_of_range"),
            ("requested.suggestion", "too_long"),
        ] {
            assert!(codes.contains(&expected), "{expected:?} in {codes:?}");
        }
        assert!(!codes.iter().any(|(f, _)| *f == "requested.scores.extra"));
    }

    #[test]
    fn a_requested_change_must_change_something() {
        let same = NewAppeal {
            reason: "我当时误操作点了低分".to_owned(),
            requested: Some(current().to_change()),
        };
        assert_eq!(
            codes(&same.check(&current()).unwrap_err()),
            [("requested", "unchanged")]
        );
        // Only the suggestion differs (blank is none): a change.
        let mut cleared = current().to_change();
        cleared.suggestion = Some("  ".to_owned());
        let ok = NewAppeal {
            reason: "我当时误操作点了低分".to_owned(),
            requested: Some(cleared),
        }
        .check(&current())
        .unwrap();
        assert_eq!(ok.requested.unwrap().suggestion, None);
    }

    #[test]
    fn a_valid_request_gets_its_total_and_the_dimension_names() {
        let ok = NewAppeal {
            reason: "我当时误操作点了低分".to_owned(),
            requested: Some(change(
                &[
                    ("attitude", 5),
                    ("speed", 5),
                    ("resolution", 4),
                    ("extra", 5),
                ],
                9,
                None,
            )),
        }
        .check(&current())
        .unwrap();
        let requested = ok.requested.unwrap();
        assert_eq!(requested.total_score, 4.8);
        assert_eq!(requested.scores[0].name_zh, "attitude（中）");
        assert_eq!(requested.score_of("extra"), Some(5));
        assert_eq!(requested.overall, 9);
    }

    #[test]
    fn approving_applies_the_requested_or_an_edited_change() {
        let requested = EvaluationValues::from_checked(
            &current().dimensions(),
            &change(
                &[("attitude", 5), ("speed", 5), ("resolution", 5)],
                10,
                None,
            )
            .check("requested", &current().dimensions(), &current())
            .unwrap(),
        );
        let approve = |applied: Option<AppealChange>| AppealDecision {
            decision: Decision::Approve,
            reason: " 核实录音，服务无问题 ".to_owned(),
            applied,
        };
        let as_requested = approve(None).check(Some(&requested), &current()).unwrap();
        assert_eq!(as_requested.reason, "核实录音，服务无问题");
        assert_eq!(as_requested.applied.unwrap().total_score, 5.0);
        let edited = approve(Some(change(
            &[("attitude", 4), ("speed", 4), ("resolution", 5)],
            8,
            None,
        )))
        .check(Some(&requested), &current())
        .unwrap();
        assert_eq!(edited.applied.unwrap().total_score, 4.3);
        assert_eq!(
            codes(&approve(None).check(None, &current()).unwrap_err()),
            [("applied", "required")]
        );
        assert_eq!(
            codes(
                &approve(Some(change(&[("attitude", 9)], 8, None)))
                    .check(None, &current())
                    .unwrap_err()
            )[0],
            ("applied.scores.attitude", "out_of_range")
        );
    }

    #[test]
    fn a_decision_needs_a_reason_and_a_rejection_changes_nothing() {
        let reject = AppealDecision {
            decision: Decision::Reject,
            reason: "  ".to_owned(),
            applied: Some(current().to_change()),
        };
        assert_eq!(
            codes(&reject.check(None, &current()).unwrap_err()),
            [("reason", "required"), ("applied", "not_allowed")]
        );
        let reject = AppealDecision {
            decision: Decision::Reject,
            reason: "评分与录音一致".to_owned(),
            applied: None,
        };
        assert_eq!(reject.check(None, &current()).unwrap().applied, None);
    }

    #[test]
    fn statuses_round_trip() {
        for status in AppealStatus::ALL {
            assert_eq!(AppealStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.as_str())
            );
        }
        assert_eq!(AppealStatus::parse("open"), None);
    }

    #[test]
    fn a_decided_reason_cannot_be_appealed_again() {
        let decided = ["服务态度很差，问题一直没有解决。"];
        let same = repeated_reason(" 服务态度很差 问题一直没有解决！ ", decided);
        assert_eq!(
            same.map(|e| (e.field, e.code)),
            Some(("reason".into(), "repeated".into()))
        );
        assert!(repeated_reason("Wait time was too LONG.", ["wait time was too long"]).is_some());
        assert!(repeated_reason("补充：客服承诺的回电也没有收到。", decided).is_none());
        assert!(repeated_reason("服务态度很差，问题一直没有解决。", []).is_none());
    }
}
