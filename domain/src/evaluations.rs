//! The rating flow (评价): what a customer sees of their service records, the rating form, the
//! submission and its validation, and the evaluation as the customer reads it back.
//!
//! The server decides the total score (`rules::total_score`) and the evaluation number; the
//! client only sends the answers.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, Lines, control_error};
use crate::rules::{DIMENSION_SCORE_RANGE, OVERALL_SCORE_RANGE};
use crate::wire::{Channel, CustomerType};

/// Longest suggestion, in characters (Unicode scalar values, as a person counts them).
pub const SUGGESTION_MAX_CHARS: usize = 500;

/// The header that makes a creating request safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Where a service record stands in the rating flow, for its customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatingState {
    /// The service has not ended yet.
    NotEnded,
    /// Ended, inside the rating window and not rated: the customer may rate it.
    Awaiting,
    /// Rated.
    Rated,
    /// Not rated, and the rating window has closed.
    Expired,
}

/// The rating state of a record that ended at `ended_at`, at `now`, with a window of
/// `window_days` days from the end. The window includes its last instant.
pub fn rating_state(
    ended_at: DateTime<Utc>,
    rated: bool,
    now: DateTime<Utc>,
    window_days: u32,
) -> RatingState {
    if rated {
        RatingState::Rated
    } else if now < ended_at {
        RatingState::NotEnded
    } else if now <= rate_until(ended_at, window_days) {
        RatingState::Awaiting
    } else {
        RatingState::Expired
    }
}

/// The last instant a service that ended at `ended_at` may be rated.
pub fn rate_until(ended_at: DateTime<Utc>, window_days: u32) -> DateTime<Utc> {
    ended_at + Duration::days(i64::from(window_days))
}

/// A short summary of an evaluation, in lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationSummary {
    /// `PJ20261122-000123`.
    pub number: String,
    pub submitted_at: DateTime<Utc>,
    /// Mean of the answered dimensions, one decimal, 1.0 to 5.0.
    pub total_score: f64,
    /// Overall satisfaction, 1 to 10.
    pub overall: u8,
}

/// One of the signed-in customer's service records (`GET /me/service-records`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRecord {
    pub id: i64,
    pub service_type: String,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    pub agent_no: String,
    pub agent_name: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
    pub state: RatingState,
    /// The last instant the record may be rated (end + rating window).
    pub rate_until: DateTime<Utc>,
    /// The evaluation, once rated.
    pub evaluation: Option<EvaluationSummary>,
}

/// `GET /me/service-records`: the records awaiting a rating (the one closing soonest first),
/// then the others, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRecords {
    pub awaiting: Vec<MyRecord>,
    /// Rated, expired and not yet ended records, newest first (at most `limit`).
    pub others: Vec<MyRecord>,
    /// All records that are not awaiting, beyond the ones listed too.
    pub others_total: u64,
    /// The server's time when it answered, so the app counts the time left from it.
    pub now: DateTime<Utc>,
}

/// One dimension of a rating form, in the service type's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormDimension {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// May be left unanswered; then left out of the total score.
    pub optional: bool,
}

/// The base information of a service record, read-only on the rating form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordInfo {
    pub id: i64,
    pub customer_no: String,
    pub customer_type: Option<CustomerType>,
    pub agent_no: String,
    pub agent_name: String,
    pub service_type: String,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
}

/// `GET /me/service-records/{id}`: everything the rating form of one record needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingForm {
    pub record: RecordInfo,
    /// The dimensions of the record's service type, in order.
    pub dimensions: Vec<FormDimension>,
    pub state: RatingState,
    pub rate_until: DateTime<Utc>,
    /// The evaluation, once rated.
    pub evaluation: Option<Evaluation>,
    /// The server's time when it answered.
    pub now: DateTime<Utc>,
}

/// `POST /evaluations` (with an `Idempotency-Key` header): a customer's answers for one of
/// their service records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEvaluation {
    pub service_record_id: i64,
    /// Dimension code → score 1 to 5. Optional dimensions left unanswered are absent.
    #[cfg_attr(feature = "openapi", schema(schema_with = score_map_schema))]
    pub scores: BTreeMap<String, u8>,
    /// Overall satisfaction, 1 to 10.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub overall: u8,
    /// Free text, at most 500 characters; blank is the same as none.
    #[serde(default)]
    pub suggestion: Option<String>,
    /// Seconds the form was open before it was submitted (for the anomaly rules).
    #[serde(default)]
    pub form_seconds: Option<u32>,
}

/// The answers of a valid submission, in the form's dimension order.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedEvaluation {
    /// One entry per form dimension, `None` for an optional one left unanswered.
    pub scores: Vec<Option<u8>>,
    pub total_score: f64,
    pub overall: u8,
    /// Trimmed; `None` when blank.
    pub suggestion: Option<String>,
}

impl NewEvaluation {
    /// Checks the answers against the form's dimensions: every required dimension answered,
    /// every score in range, no dimension the service type does not have, the overall score
    /// in range and the suggestion not too long. Field names: `scores.<code>`, `overall`,
    /// `suggestion`.
    pub fn check(
        &self,
        dimensions: &[FormDimension],
    ) -> Result<CheckedEvaluation, Vec<FieldError>> {
        let mut errors = Vec::new();
        for code in self.scores.keys() {
            if !dimensions.iter().any(|d| &d.code == code) {
                errors.push(FieldError::new(
                    format!("scores.{code}"),
                    "unknown_dimension",
                    "this service type has no such dimension",
                ));
            }
        }
        let mut scores = Vec::with_capacity(dimensions.len());
        for d in dimensions {
            let field = format!("scores.{}", d.code);
            match self.scores.get(&d.code) {
                None if d.optional => scores.push(None),
                None => {
                    errors.push(FieldError::new(field, "required", "choose 1 to 5 stars"));
                    scores.push(None);
                }
                Some(s) if DIMENSION_SCORE_RANGE.contains(s) => scores.push(Some(*s)),
                Some(_) => {
                    errors.push(FieldError::new(field, "out_of_range", "a score is 1 to 5"));
                    scores.push(None);
                }
            }
        }
        if !OVERALL_SCORE_RANGE.contains(&self.overall) {
            errors.push(FieldError::new(
                "overall",
                "out_of_range",
                "overall satisfaction is 1 to 10",
            ));
        }
        let suggestion = self
            .suggestion
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        errors.extend(suggestion.and_then(|s| control_error("suggestion", s, Lines::Multi)));
        if suggestion.is_some_and(|s| s.chars().count() > SUGGESTION_MAX_CHARS) {
            errors.push(FieldError::new(
                "suggestion",
                "too_long",
                format!("at most {SUGGESTION_MAX_CHARS} characters"),
            ));
        }
        let total_score = crate::rules::total_score(&scores);
        match total_score {
            Some(total_score) if errors.is_empty() => Ok(CheckedEvaluation {
                scores,
                total_score,
                overall: self.overall,
                suggestion: suggestion.map(str::to_owned),
            }),
            None if errors.is_empty() => Err(vec![FieldError::new(
                "scores",
                "required",
                "answer at least one dimension",
            )]),
            _ => Err(errors),
        }
    }
}

/// How an evaluation stands, as its customer sees it. Moderation is never shown to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    /// Received and counted.
    Recorded,
    /// The customer appealed it; an admin has not decided yet.
    AppealPending,
    /// Changed by an approved appeal: the current version is not the first.
    Revised,
}

impl CustomerStatus {
    /// The status of an evaluation at `version` with or without a pending appeal.
    pub fn of(version: u32, appeal_pending: bool) -> CustomerStatus {
        if appeal_pending {
            CustomerStatus::AppealPending
        } else if version > 1 {
            CustomerStatus::Revised
        } else {
            CustomerStatus::Recorded
        }
    }
}

/// One dimension's score in an evaluation, with the names it had when it was submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionScore {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub optional: bool,
    /// `None`: an optional dimension left unanswered.
    pub score: Option<u8>,
}

/// An evaluation as its customer reads it: the answer of `POST /evaluations` and of
/// `GET /evaluations/{number}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    /// `PJ20261122-000123`.
    pub number: String,
    pub status: CustomerStatus,
    pub submitted_at: DateTime<Utc>,
    pub record: RecordInfo,
    /// In the form's order.
    pub scores: Vec<DimensionScore>,
    /// Mean of the answered dimensions, one decimal.
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
    /// The current version, from 1; an approved appeal makes a new one.
    pub version: u32,
    /// The earlier versions, oldest first: their values, and when and why each was replaced.
    pub history: Vec<EvaluationVersion>,
    /// The last instant its customer may appeal it (submission + `appeal_window_hours`), the
    /// time the app names when it offers the appeal.
    pub appeal_until: Option<DateTime<Utc>>,
    /// Whether its customer may appeal it now: the window is open and no appeal is pending.
    /// The app offers the appeal only when it is `true`.
    pub can_appeal: bool,
}

/// An earlier version of an evaluation, replaced by an approved appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvaluationVersion {
    /// From 1.
    pub version: u32,
    /// In the form's order.
    pub scores: Vec<DimensionScore>,
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
    /// When this version was made: the submission for version 1, else the approval.
    pub created_at: DateTime<Utc>,
    /// When the next version replaced it.
    pub replaced_at: DateTime<Utc>,
    /// Why: the admin's reason for approving the appeal that replaced it.
    pub reason: String,
    /// The approved appeal that replaced it.
    pub appeal_id: Option<i64>,
}

/// `GET /me/evaluations`: the signed-in customer's evaluations, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEvaluationPage {
    pub evaluations: Vec<MyEvaluation>,
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
}

/// One line of the customer's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyEvaluation {
    pub number: String,
    pub status: CustomerStatus,
    pub submitted_at: DateTime<Utc>,
    pub service_record_id: i64,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub agent_name: String,
    pub total_score: f64,
    pub overall: u8,
}

/// Whether `text` has the shape of an evaluation number, `PJ` + 8 digits + `-` + 6 digits
/// (case-insensitive; surrounding blanks ignored). Returns it normalised.
pub fn normalize_number(text: &str) -> Option<String> {
    let t = text.trim().to_ascii_uppercase();
    let b = t.as_bytes();
    let ok = b.len() == 17
        && t.starts_with("PJ")
        && b[2..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-'
        && b[11..].iter().all(u8::is_ascii_digit);
    ok.then_some(t)
}

/// The OpenAPI schema of a submission's scores: dimension code → a score in
/// [`DIMENSION_SCORE_RANGE`].
#[cfg(feature = "openapi")]
pub fn score_map_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let score = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(*DIMENSION_SCORE_RANGE.start()))
        .maximum(Some(*DIMENSION_SCORE_RANGE.end()));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(score))
        .description(Some(
            "Dimension code → score 1 to 5. Optional dimensions left unanswered are absent.",
        ))
        .build()
}

/// Shortest idempotency key.
pub const IDEMPOTENCY_KEY_MIN_LEN: usize = 8;
/// Longest idempotency key.
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 128;
/// [`is_valid_idempotency_key`] as a regular expression (for the OpenAPI document).
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{8,128}$";

/// Whether an idempotency key is acceptable: 8 to 128 visible ASCII characters.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (IDEMPOTENCY_KEY_MIN_LEN..=IDEMPOTENCY_KEY_MAX_LEN).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn dims() -> Vec<FormDimension> {
        [
            "attitude",
            "speed",
            "professionalism",
            "resolution",
            "extra",
        ]
        .iter()
        .map(|c| FormDimension {
            code: (*c).to_owned(),
            name_zh: String::new(),
            name_en: String::new(),
            description_zh: String::new(),
            description_en: String::new(),
            optional: *c == "extra",
        })
        .collect()
    }

    fn submission(scores: &[(&str, u8)]) -> NewEvaluation {
        NewEvaluation {
            service_record_id: 1,
            scores: scores.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect(),
            overall: 9,
            suggestion: None,
            form_seconds: Some(40),
        }
    }

    #[test]
    fn a_complete_submission_gets_its_total_score() {
        let s = submission(&[
            ("attitude", 5),
            ("speed", 5),
            ("professionalism", 4),
            ("resolution", 5),
            ("extra", 5),
        ]);
        let checked = s.check(&dims()).unwrap();
        assert_eq!(checked.total_score, 4.8);
        assert_eq!(checked.scores.len(), 5);
    }

    #[test]
    fn an_optional_dimension_left_empty_is_out_of_the_mean() {
        let s = submission(&[
            ("attitude", 5),
            ("speed", 4),
            ("professionalism", 4),
            ("resolution", 5),
        ]);
        let checked = s.check(&dims()).unwrap();
        assert_eq!(checked.scores[4], None);
        assert_eq!(checked.total_score, 4.5);
    }

    #[test]
    fn missing_unknown_and_out_of_range_answers_are_named() {
        let mut s = submission(&[("attitude", 0), ("speed", 6), ("bogus", 3)]);
        s.overall = 11;
        s.suggestion = Some("好".repeat(501));
        let errors = s.check(&dims()).unwrap_err();
        let find = |f: &str| {
            errors
                .iter()
                .find(|e| e.field == f)
                .map(|e| e.code.as_str())
        };
        assert_eq!(find("scores.attitude"), Some("out_of_range"));
        assert_eq!(find("scores.speed"), Some("out_of_range"));
        assert_eq!(find("scores.bogus"), Some("unknown_dimension"));
        assert_eq!(find("scores.professionalism"), Some("required"));
        assert_eq!(find("scores.resolution"), Some("required"));
        assert_eq!(find("scores.extra"), None);
        assert_eq!(find("overall"), Some("out_of_range"));
        assert_eq!(find("suggestion"), Some("too_long"));
    }

    #[test]
    fn a_suggestion_of_500_characters_is_accepted_and_trimmed() {
        let mut s = submission(&[
            ("attitude", 1),
            ("speed", 1),
            ("professionalism", 1),
            ("resolution", 1),
        ]);
        s.suggestion = Some(format!("  {}  ", "慢".repeat(500)));
        let checked = s.check(&dims()).unwrap();
        assert_eq!(checked.suggestion.unwrap().chars().count(), 500);
        s.suggestion = Some("   ".to_owned());
        assert_eq!(s.check(&dims()).unwrap().suggestion, None);
    }

    #[test]
    fn rating_window_edges() {
        let end = Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap();
        let rated = |now| rating_state(end, false, now, 7);
        assert_eq!(rated(end - Duration::seconds(1)), RatingState::NotEnded);
        assert_eq!(rated(end), RatingState::Awaiting);
        assert_eq!(rated(end + Duration::days(7)), RatingState::Awaiting);
        assert_eq!(
            rated(end + Duration::days(7) + Duration::seconds(1)),
            RatingState::Expired
        );
        assert_eq!(
            rating_state(end, true, end + Duration::days(30), 7),
            RatingState::Rated
        );
    }

    #[test]
    fn evaluation_numbers_are_normalised() {
        assert_eq!(
            normalize_number(" pj20261122-000123 ").as_deref(),
            Some("PJ20261122-000123")
        );
        assert_eq!(normalize_number("PJ2026112-000123"), None);
        assert_eq!(normalize_number("XX20261122-000123"), None);
        assert_eq!(normalize_number("PJ20261122_000123"), None);
    }

    #[test]
    fn idempotency_keys_are_bounded() {
        assert!(is_valid_idempotency_key(
            "0f8fad5b-d9cb-469f-a165-70867728950e"
        ));
        assert!(!is_valid_idempotency_key("short"));
        assert!(!is_valid_idempotency_key("has space in it"));
        assert!(!is_valid_idempotency_key(&"k".repeat(129)));
    }
}
