//! Calibration between QA inspectors (校准, issue 25): several inspectors score the same few
//! records blind with the same checklist; the session then shows how far they agree (per item
//! and dimension, and Krippendorff's alpha over the session), the lead records the agreed
//! answers and a note per item that becomes the item's guidance, and each inspector's
//! deviation from the agreed answers is followed over time. Calibration answers are kept apart
//! and never count toward an agent's figures.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ChecklistTemplate, ItemResult, NAME_MAX_CHARS, Person, TEXT_MAX_CHARS, check_text};
use crate::problem::{FieldError, checked};
use crate::records::conversation::Conversation;

/// Most records a calibration session scores.
pub const MAX_CALIBRATION_RECORDS: usize = 5;
/// Most inspectors a calibration session asks.
pub const MAX_CALIBRATION_INSPECTORS: usize = 10;
/// Sessions a page of the list shows by default, and at most.
pub const DEFAULT_CALIBRATIONS_PER_PAGE: u32 = 20;
pub const MAX_CALIBRATIONS_PER_PAGE: u32 = 100;

closed_list! {
    /// Where a calibration session stands: its inspectors score it (open), or everyone has
    /// scored or the lead closed it (closed: the results are shown, nothing more is scored).
    pub enum CalibrationStatus {
        Open = "open" ("评分中", "Scoring"),
        Closed = "closed" ("已结束", "Closed"),
    }
}

/// `POST /qa/calibrations`: a new session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCalibration {
    pub name: String,
    pub template_id: i64,
    /// The service records' numbers (1 to 5).
    pub records: Vec<String>,
    /// The inspectors who score (2 to 10 QA inspectors or admins).
    pub inspector_ids: Vec<i64>,
}

impl NewCalibration {
    /// A name, 1 to 5 distinct record numbers and 2 to 10 distinct inspectors. Fields: `name`,
    /// `records` (`required`, `too_many`), `records.{i}` (`required`, `duplicate`),
    /// `inspector_ids` (`too_few`, `too_many`, `duplicate`).
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "name", &self.name, true, NAME_MAX_CHARS);
        if self.records.is_empty() {
            errors.push(FieldError::new(
                "records",
                "required",
                "choose at least one record",
            ));
        } else if self.records.len() > MAX_CALIBRATION_RECORDS {
            errors.push(FieldError::new(
                "records",
                "too_many",
                format!("at most {MAX_CALIBRATION_RECORDS} records"),
            ));
        }
        for (i, record) in self.records.iter().enumerate() {
            let record = record.trim();
            if record.is_empty() {
                errors.push(FieldError::new(
                    format!("records.{i}"),
                    "required",
                    "enter a record number",
                ));
            } else if self.records[..i].iter().any(|r| r.trim() == record) {
                errors.push(FieldError::new(
                    format!("records.{i}"),
                    "duplicate",
                    "each record once",
                ));
            }
        }
        let ids = &self.inspector_ids;
        if ids.len() < 2 {
            errors.push(FieldError::new(
                "inspector_ids",
                "too_few",
                "choose at least two inspectors",
            ));
        } else if ids.len() > MAX_CALIBRATION_INSPECTORS {
            errors.push(FieldError::new(
                "inspector_ids",
                "too_many",
                format!("at most {MAX_CALIBRATION_INSPECTORS} inspectors"),
            ));
        } else if (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
            errors.push(FieldError::new(
                "inspector_ids",
                "duplicate",
                "each inspector once",
            ));
        }
        checked(errors, ())
    }
}

/// An item's result on one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationItemAnswer {
    pub record_id: i64,
    pub item_id: i64,
    pub result: ItemResult,
}

/// A dimension's rubric score (1 to 5) on one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationScore {
    pub record_id: i64,
    pub dimension_id: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: u8,
}

/// `PUT /qa/calibrations/{id}/answers`: an inspector's answers on every record of the session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationAnswers {
    pub answers: Vec<CalibrationItemAnswer>,
    pub scores: Vec<CalibrationScore>,
}

impl CalibrationAnswers {
    /// Every item and every dimension of `template` answered once on every record of
    /// `record_ids` (`complete`), or only some of them (the agreed answers), nothing else, the
    /// scores 1 to 5. Fields: `answers.{record_id}.{item_id}` and
    /// `scores.{record_id}.{dimension_id}` (`required`, `duplicate`, `unknown`,
    /// `out_of_range`).
    pub fn check(
        &self,
        template: &ChecklistTemplate,
        record_ids: &[i64],
        complete: bool,
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for &record in record_ids {
            for (_, item) in template.items() {
                let field = format!("answers.{record}.{}", item.id);
                let n = (self.answers.iter())
                    .filter(|a| a.record_id == record && a.item_id == item.id)
                    .count();
                if n == 0 && complete {
                    errors.push(FieldError::new(field, "required", "mark this item"));
                } else if n > 1 {
                    errors.push(FieldError::new(field, "duplicate", "each item once"));
                }
            }
            for d in &template.dimensions {
                let field = format!("scores.{record}.{}", d.id);
                let n = (self.scores.iter())
                    .filter(|s| s.record_id == record && s.dimension_id == d.id)
                    .count();
                if n == 0 && complete {
                    errors.push(FieldError::new(field, "required", "score 1 to 5"));
                } else if n > 1 {
                    errors.push(FieldError::new(field, "duplicate", "one score each"));
                }
            }
        }
        for a in &self.answers {
            if !record_ids.contains(&a.record_id)
                || !template.items().any(|(_, i)| i.id == a.item_id)
            {
                errors.push(FieldError::new(
                    format!("answers.{}.{}", a.record_id, a.item_id),
                    "unknown",
                    "this item or record is not in the session",
                ));
            }
        }
        for s in &self.scores {
            let field = format!("scores.{}.{}", s.record_id, s.dimension_id);
            if !record_ids.contains(&s.record_id)
                || !template.dimensions.iter().any(|d| d.id == s.dimension_id)
            {
                errors.push(FieldError::new(
                    field,
                    "unknown",
                    "this dimension or record is not in the session",
                ));
            } else if !(1..=5).contains(&s.score) {
                errors.push(FieldError::new(field, "out_of_range", "score 1 to 5"));
            }
        }
        checked(errors, ())
    }
}

/// The lead's note on an item: it becomes the item's guidance (shown under its standard).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemNote {
    pub item_id: i64,
    pub note: String,
}

/// `PUT /qa/calibrations/{id}/agreed`: the answers the inspectors agreed on (some or all) and
/// a note per item (an empty note leaves the item's guidance as it is).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgreedAnswers {
    pub answers: Vec<CalibrationItemAnswer>,
    pub scores: Vec<CalibrationScore>,
    #[serde(default)]
    pub notes: Vec<ItemNote>,
}

impl AgreedAnswers {
    /// As [`CalibrationAnswers::check`] with nothing required, and `notes.{item_id}`
    /// (`unknown`, `duplicate`, `too_long`, `control_character`).
    pub fn check(
        &self,
        template: &ChecklistTemplate,
        record_ids: &[i64],
    ) -> Result<(), Vec<FieldError>> {
        let answers = CalibrationAnswers {
            answers: self.answers.clone(),
            scores: self.scores.clone(),
        };
        let mut errors = answers
            .check(template, record_ids, false)
            .err()
            .unwrap_or_default();
        for (i, n) in self.notes.iter().enumerate() {
            let field = format!("notes.{}", n.item_id);
            if !template.items().any(|(_, item)| item.id == n.item_id) {
                errors.push(FieldError::new(
                    field,
                    "unknown",
                    "not an item of the template",
                ));
            } else if self.notes[..i].iter().any(|m| m.item_id == n.item_id) {
                errors.push(FieldError::new(field, "duplicate", "one note an item"));
            } else {
                check_text(&mut errors, &field, &n.note, false, TEXT_MAX_CHARS);
            }
        }
        checked(errors, ())
    }
}

/// A record of a session, with what the inspectors read to score it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationRecord {
    pub id: i64,
    pub external_id: String,
    pub agent: Person,
    pub ended_at: DateTime<Utc>,
    pub conversation: Conversation,
}

/// An inspector of a session and whether they have scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationInspector {
    pub person: Person,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// A session in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationSummary {
    pub id: i64,
    pub name: String,
    pub template_id: i64,
    pub template_name_zh: String,
    pub template_name_en: String,
    /// Who started it (the lead of the session).
    pub lead: Person,
    pub status: CalibrationStatus,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub record_count: u32,
    pub inspector_count: u32,
    pub submitted_count: u32,
    /// The lead has recorded agreed answers.
    pub agreed: bool,
    /// The caller is one of its inspectors and has not scored yet while it is open.
    pub my_turn: bool,
}

/// `GET /qa/calibrations`: a page of sessions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationPage {
    pub sessions: Vec<CalibrationSummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// `GET /qa/calibrations/{id}`: a session as the caller may see it. `mine` is the caller's own
/// answers; `results` and `agreed` come only once the session is closed (all have scored or
/// the lead closed it), so that nobody sees another's answers before scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationDetail {
    pub summary: CalibrationSummary,
    pub template: ChecklistTemplate,
    pub records: Vec<CalibrationRecord>,
    pub inspectors: Vec<CalibrationInspector>,
    /// The caller is one of the inspectors.
    pub chosen: bool,
    /// The caller leads it (started it, or is an admin): may close it and record the agreed
    /// answers.
    pub may_lead: bool,
    pub mine: Option<CalibrationAnswers>,
    pub results: Option<CalibrationResults>,
    pub agreed: Option<AgreedAnswers>,
}

/// The inspectors' answers on one item of one record, in the order of
/// [`CalibrationResults::inspector_ids`] (`None`: not answered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemRecordAnswers {
    pub record_id: i64,
    pub answers: Vec<Option<ItemResult>>,
    /// The share of inspectors giving the most common answer (0 to 1).
    pub agreement: Option<f64>,
}

/// One item over the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemAgreement {
    pub item_id: i64,
    pub dimension_id: i64,
    pub records: Vec<ItemRecordAnswers>,
    /// The mean of the records' agreement.
    pub agreement: Option<f64>,
}

/// The inspectors' rubric scores of one dimension on one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreRecordAnswers {
    pub record_id: i64,
    pub scores: Vec<Option<u8>>,
    pub agreement: Option<f64>,
    /// Highest minus lowest score.
    pub spread: u8,
}

/// One dimension over the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionAgreement {
    pub dimension_id: i64,
    pub records: Vec<ScoreRecordAnswers>,
    pub agreement: Option<f64>,
    /// The widest spread over the records.
    pub spread: u8,
    /// The mean over records of the scores' standard deviation.
    pub std_dev: Option<f64>,
}

/// How far the inspectors of a session agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationResults {
    /// The inspectors, in the order of every answer list.
    pub inspector_ids: Vec<i64>,
    /// Every item, those they disagree on most first.
    pub items: Vec<ItemAgreement>,
    /// Every dimension, in the template's order.
    pub dimensions: Vec<DimensionAgreement>,
    /// Krippendorff's alpha of the item results (nominal), over record × item.
    pub alpha_items: Option<f64>,
    /// Krippendorff's alpha of the rubric scores (interval), over record × dimension.
    pub alpha_scores: Option<f64>,
    /// The same, ordinal.
    pub alpha_scores_ordinal: Option<f64>,
}

/// One inspector's answers, as the results are computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct InspectorAnswers {
    pub inspector_id: i64,
    pub answers: CalibrationAnswers,
}

/// The share of values equal to the most common one; `None` without any value.
pub fn modal_share<T: PartialEq>(values: &[T]) -> Option<f64> {
    let most = values
        .iter()
        .map(|v| values.iter().filter(|w| *w == v).count())
        .max()?;
    Some(most as f64 / values.len() as f64)
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// The results of a session: per item and dimension each inspector's answer on each record,
/// the agreement and spread, and Krippendorff's alpha over the session; the items sorted by
/// agreement, least first (the template's order among equals).
pub fn calibration_results(
    template: &ChecklistTemplate,
    record_ids: &[i64],
    inspectors: &[InspectorAnswers],
) -> CalibrationResults {
    let result_of = |who: &InspectorAnswers, record: i64, item: i64| {
        (who.answers.answers.iter())
            .find(|a| a.record_id == record && a.item_id == item)
            .map(|a| a.result)
    };
    let score_of = |who: &InspectorAnswers, record: i64, dimension: i64| {
        (who.answers.scores.iter())
            .find(|s| s.record_id == record && s.dimension_id == dimension)
            .map(|s| s.score)
    };
    let mut item_units = Vec::new();
    let mut items: Vec<ItemAgreement> = template
        .items()
        .map(|(d, item)| {
            let records: Vec<ItemRecordAnswers> = record_ids
                .iter()
                .map(|&record| {
                    let answers: Vec<Option<ItemResult>> = (inspectors.iter())
                        .map(|who| result_of(who, record, item.id))
                        .collect();
                    let given: Vec<ItemResult> = answers.iter().flatten().copied().collect();
                    item_units.push(given.iter().map(|r| result_code(*r)).collect::<Vec<_>>());
                    ItemRecordAnswers {
                        record_id: record,
                        agreement: modal_share(&given),
                        answers,
                    }
                })
                .collect();
            ItemAgreement {
                item_id: item.id,
                dimension_id: d.id,
                agreement: mean(records.iter().filter_map(|r| r.agreement)),
                records,
            }
        })
        .collect();
    items.sort_by(|a, b| {
        let key = |x: &ItemAgreement| x.agreement.unwrap_or(1.0);
        key(a).total_cmp(&key(b))
    });
    let mut score_units = Vec::new();
    let dimensions = template
        .dimensions
        .iter()
        .map(|d| {
            let records: Vec<ScoreRecordAnswers> = record_ids
                .iter()
                .map(|&record| {
                    let scores: Vec<Option<u8>> = (inspectors.iter())
                        .map(|who| score_of(who, record, d.id))
                        .collect();
                    let given: Vec<u8> = scores.iter().flatten().copied().collect();
                    score_units.push(given.iter().map(|&s| f64::from(s)).collect::<Vec<_>>());
                    let spread =
                        given.iter().max().unwrap_or(&0) - given.iter().min().unwrap_or(&0);
                    ScoreRecordAnswers {
                        record_id: record,
                        agreement: modal_share(&given),
                        spread,
                        scores,
                    }
                })
                .collect();
            let std_dev = mean(records.iter().filter_map(|r| {
                let given: Vec<f64> = r.scores.iter().flatten().map(|&s| f64::from(s)).collect();
                let m = mean(given.iter().copied())?;
                mean(given.iter().map(|v| (v - m).powi(2))).map(f64::sqrt)
            }));
            DimensionAgreement {
                dimension_id: d.id,
                agreement: mean(records.iter().filter_map(|r| r.agreement)),
                spread: records.iter().map(|r| r.spread).max().unwrap_or(0),
                std_dev,
                records,
            }
        })
        .collect();
    CalibrationResults {
        inspector_ids: inspectors.iter().map(|i| i.inspector_id).collect(),
        items,
        dimensions,
        alpha_items: krippendorff_alpha(&item_units, AlphaMetric::Nominal),
        alpha_scores: krippendorff_alpha(&score_units, AlphaMetric::Interval),
        alpha_scores_ordinal: krippendorff_alpha(&score_units, AlphaMetric::Ordinal),
    }
}

/// A number standing for an item result in the nominal alpha (only equality counts).
fn result_code(result: ItemResult) -> f64 {
    ItemResult::ALL
        .iter()
        .position(|r| *r == result)
        .map_or(-1.0, |i| i as f64)
}

/// The difference function of Krippendorff's alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlphaMetric {
    /// Only equal or not.
    Nominal,
    /// Ranks: the number of values between two.
    Ordinal,
    /// Differences of the values.
    Interval,
}

/// Krippendorff's alpha of `units` (each the values the observers gave it; a missing value is
/// left out): 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck over the coincidence matrix o of the
/// pairable values (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", section
/// C). `None` when no unit has two values (a single observer); 1 when every pairable value is
/// the same (nothing to disagree on, and nobody did).
pub fn krippendorff_alpha(units: &[Vec<f64>], metric: AlphaMetric) -> Option<f64> {
    let mut values: Vec<f64> = units
        .iter()
        .filter(|u| u.len() >= 2)
        .flatten()
        .copied()
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    if values.is_empty() {
        return None;
    }
    let index = |v: f64| values.iter().position(|w| *w == v).unwrap_or(0);
    let k = values.len();
    let mut o = vec![vec![0.0f64; k]; k];
    for unit in units.iter().filter(|u| u.len() >= 2) {
        let weight = 1.0 / (unit.len() as f64 - 1.0);
        for (i, a) in unit.iter().enumerate() {
            for (j, b) in unit.iter().enumerate() {
                if i != j {
                    o[index(*a)][index(*b)] += weight;
                }
            }
        }
    }
    let n_c: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    let delta = |c: usize, d: usize| -> f64 {
        match metric {
            AlphaMetric::Nominal => f64::from(u8::from(c != d)),
            AlphaMetric::Interval => (values[c] - values[d]).powi(2),
            AlphaMetric::Ordinal => {
                let (lo, hi) = (c.min(d), c.max(d));
                let between: f64 = n_c[lo..=hi].iter().sum();
                (between - (n_c[c] + n_c[d]) / 2.0).powi(2)
            }
        }
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..k {
        for d in 0..k {
            let delta = delta(c, d);
            observed += o[c][d] * delta;
            expected += n_c[c] * n_c[d] * delta;
        }
    }
    if expected == 0.0 {
        return Some(1.0);
    }
    Some(1.0 - (n - 1.0) * observed / expected)
}

/// An item's guidance, from the note of the calibration that last agreed on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemGuidance {
    pub item_id: i64,
    pub note: String,
    pub calibration_id: i64,
    pub updated_at: DateTime<Utc>,
}

/// One answer of an inspector compared with the agreed one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgreedComparison {
    pub inspector_id: i64,
    /// The first day of the month of the session.
    pub month: NaiveDate,
    pub kind: ComparedAnswer,
}

/// What was compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ComparedAnswer {
    /// An item's result: whether it differs from the agreed one.
    Item { differs: bool },
    /// A rubric score: the inspector's minus the agreed one.
    Score { difference: i32 },
}

/// An inspector's deviation from the agreed answers in a month (or over the period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectorDeviation {
    pub inspector: Person,
    /// The month's first day; `None` for the whole period.
    pub month: Option<NaiveDate>,
    /// Item answers compared with an agreed answer.
    pub items: u32,
    /// Of which differ.
    pub differing: u32,
    /// `differing / items`.
    pub differing_share: Option<f64>,
    /// Rubric scores compared with an agreed score.
    pub scores: u32,
    /// The mean of (inspector's score − agreed score): below 0 harder, above 0 softer.
    pub mean_difference: Option<f64>,
}

/// `GET /qa/calibrations/deviation`: per inspector, over the period and month by month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviationReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One row per inspector, most deviating first.
    pub overall: Vec<InspectorDeviation>,
    /// One row per inspector and month, by inspector then month.
    pub months: Vec<InspectorDeviation>,
}

/// Sums `comparisons` per inspector (over everything) and per inspector and month; `people`
/// names the inspectors (one not among them is left out).
pub fn deviation(
    comparisons: &[AgreedComparison],
    people: &[Person],
) -> (Vec<InspectorDeviation>, Vec<InspectorDeviation>) {
    let sum = |person: &Person, month: Option<NaiveDate>| {
        let of: Vec<&AgreedComparison> = comparisons
            .iter()
            .filter(|c| c.inspector_id == person.id && month.is_none_or(|m| c.month == m))
            .collect();
        let flags: Vec<bool> = (of.iter())
            .filter_map(|c| match c.kind {
                ComparedAnswer::Item { differs } => Some(differs),
                ComparedAnswer::Score { .. } => None,
            })
            .collect();
        let differences: Vec<i32> = (of.iter())
            .filter_map(|c| match c.kind {
                ComparedAnswer::Score { difference } => Some(difference),
                ComparedAnswer::Item { .. } => None,
            })
            .collect();
        let differing = flags.iter().filter(|d| **d).count() as u32;
        InspectorDeviation {
            inspector: person.clone(),
            month,
            items: flags.len() as u32,
            differing,
            differing_share: (!flags.is_empty()).then(|| f64::from(differing) / flags.len() as f64),
            scores: differences.len() as u32,
            mean_difference: mean(differences.iter().map(|d| f64::from(*d))),
        }
    };
    let mut overall: Vec<InspectorDeviation> = people
        .iter()
        .filter(|p| comparisons.iter().any(|c| c.inspector_id == p.id))
        .map(|p| sum(p, None))
        .collect();
    let mut months = Vec::new();
    for row in &overall {
        let mut seen: Vec<NaiveDate> = (comparisons.iter())
            .filter(|c| c.inspector_id == row.inspector.id)
            .map(|c| c.month)
            .collect();
        seen.sort();
        seen.dedup();
        months.extend(seen.into_iter().map(|m| sum(&row.inspector, Some(m))));
    }
    overall.sort_by(|a, b| {
        let key = |x: &InspectorDeviation| x.differing_share.unwrap_or(0.0);
        key(b).total_cmp(&key(a))
    });
    (overall, months)
}

#[cfg(test)]
#[path = "calibration_tests.rs"]
mod tests;
