//! Disputes of a QA score (质检申诉, issue 25): an agent (or their team lead) disputes items of an
//! inspection within a number of working days of its saving, with a reason per item; another
//! inspector or an admin, never the original inspector, upholds or changes each item. The
//! inspection keeps its versions; its current answers and scores are the decided ones.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{DimensionScore, ItemAnswer, ItemResult, Person, TEXT_MAX_CHARS, check_text};
use crate::calendar::WorkCalendar;
use crate::problem::{FieldError, checked};
use crate::wire::Role;

/// Disputes a page when the request does not say (as the plans' list: the server reads both
/// lists' paging with one type).
pub const DEFAULT_DISPUTES_PER_PAGE: u32 = 20;
/// The most disputes a page.
pub const MAX_DISPUTES_PER_PAGE: u32 = 100;

closed_list! {
    /// Where a dispute stands.
    pub enum DisputeStatus {
        Open = "open" ("待复核", "Awaiting review"),
        Decided = "decided" ("已裁定", "Decided"),
    }
}

closed_list! {
    /// What the reviewer decided of a disputed item.
    pub enum DisputeOutcome {
        Upheld = "upheld" ("维持原判", "Upheld"),
        Changed = "changed" ("改判", "Changed"),
    }
}

/// The last day (of the organisation) on which an inspection saved on `saved_on` may be
/// disputed: the `working_days`-th working day after it (the day of saving does not count),
/// the whole of that day included.
pub fn dispute_last_day(
    calendar: &WorkCalendar,
    saved_on: NaiveDate,
    working_days: u32,
) -> NaiveDate {
    let mut date = saved_on;
    let mut left = working_days;
    while left > 0 {
        date = date.succ_opt().unwrap_or(date);
        if calendar.is_working_day(date) {
            left -= 1;
        }
    }
    date
}

/// Whether a dispute filed `today` is within the window ending on `last_day`.
pub fn dispute_window_open(last_day: NaiveDate, today: NaiveDate) -> bool {
    today <= last_day
}

/// The first day (of the organisation) an inspection may have been saved on to be disputed
/// still `today`: every inspection saved on it or later is within its window (the window's end
/// only moves later with the day of saving). What a list of disputable inspections keeps.
pub fn dispute_earliest_saved_day(
    calendar: &WorkCalendar,
    today: NaiveDate,
    working_days: u32,
) -> NaiveDate {
    let mut first = today;
    // A window is at most a year of working days: the walk back ends.
    for _ in 0..(working_days.saturating_mul(2) + 400) {
        let Some(earlier) = first.pred_opt() else {
            break;
        };
        if !dispute_window_open(dispute_last_day(calendar, earlier, working_days), today) {
            break;
        }
        first = earlier;
    }
    first
}

/// Why a reviewer may not decide a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// Not a QA inspector or an admin.
    NotReviewer,
    /// The inspector of the disputed inspection.
    OwnInspection,
}

/// Another QA inspector or an admin decides; never the inspector of the disputed inspection
/// (an admin who inspected it neither).
pub fn may_review(role: Role, reviewer: i64, inspector: i64) -> Result<(), ReviewRefusal> {
    if !matches!(role, Role::QaInspector | Role::Admin) {
        Err(ReviewRefusal::NotReviewer)
    } else if reviewer == inspector {
        Err(ReviewRefusal::OwnInspection)
    } else {
        Ok(())
    }
}

/// One item disputed, with the agent's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputedItem {
    pub item_id: i64,
    pub reason: String,
}

/// `POST /me/qa/samples/{id}/dispute`: the items disputed, each with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDispute {
    pub items: Vec<DisputedItem>,
}

impl NewDispute {
    /// At least one item, each an item of the inspection (`answered`) once, each with a reason.
    /// Fields: `items` (`required`), `items.{item_id}.item_id` (`unknown`, `duplicate`),
    /// `items.{item_id}.reason`.
    pub fn check(&self, answered: &[i64]) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.items.is_empty() {
            errors.push(FieldError::new(
                "items",
                "required",
                "choose at least one item to dispute",
            ));
        }
        for (n, item) in self.items.iter().enumerate() {
            let field = format!("items.{}", item.item_id);
            if !answered.contains(&item.item_id) {
                errors.push(FieldError::new(
                    format!("{field}.item_id"),
                    "unknown",
                    "this item is not in the inspection",
                ));
            } else if self.items[..n].iter().any(|i| i.item_id == item.item_id) {
                errors.push(FieldError::new(
                    format!("{field}.item_id"),
                    "duplicate",
                    "each item is disputed once",
                ));
            }
            check_text(
                &mut errors,
                &format!("{field}.reason"),
                &item.reason,
                true,
                TEXT_MAX_CHARS,
            );
        }
        checked(errors, ())
    }
}

/// The decision of one disputed item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDecision {
    pub item_id: i64,
    pub outcome: DisputeOutcome,
    /// The item's new result, required when changed.
    #[serde(default)]
    pub result: Option<ItemResult>,
    /// The dimension's new rubric score (1-5), when changed and it should change too.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: Option<u8>,
    pub reason: String,
}

impl ItemDecision {
    /// Whether it finds wanting (partly or not compliant) an item that was not (`before`:
    /// compliant or N/A): the item then gets a rectification, as an item found wanting does
    /// when its inspection is saved.
    pub fn opens_rectification(&self, before: ItemResult) -> bool {
        self.outcome == DisputeOutcome::Changed
            && !before.wanting()
            && self.result.is_some_and(ItemResult::wanting)
    }

    /// Whether it clears an item (a new result neither partly nor not compliant): its
    /// rectification, when one is still open, is closed.
    pub fn closes_rectification(&self) -> bool {
        self.outcome == DisputeOutcome::Changed && self.result.is_some_and(|r| !r.wanting())
    }
}

/// `POST /qa/disputes/{id}/decision`: every disputed item upheld or changed, with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeDecision {
    pub items: Vec<ItemDecision>,
}

impl DisputeDecision {
    /// Against the disputed items (`item id`, its current result, its dimension): each decided
    /// once and nothing else; a reason each; a changed one names a result other than its
    /// current one, or a score; a score 1-5, and the same for two items of one dimension.
    /// Fields: `items.{item_id}.outcome` (`required`, `unknown`, `duplicate`),
    /// `items.{item_id}.result` (`required`, `unchanged`), `items.{item_id}.score`
    /// (`out_of_range`, `conflict`, `not_changed`), `items.{item_id}.reason`.
    pub fn check(&self, disputed: &[(i64, ItemResult, i64)]) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (item_id, current, _) in disputed {
            let field = format!("items.{item_id}");
            let decided: Vec<&ItemDecision> = self
                .items
                .iter()
                .filter(|d| d.item_id == *item_id)
                .collect();
            let d = match decided.as_slice() {
                [] => {
                    errors.push(FieldError::new(
                        format!("{field}.outcome"),
                        "required",
                        "uphold or change this item",
                    ));
                    continue;
                }
                [d] => *d,
                _ => {
                    errors.push(FieldError::new(
                        format!("{field}.outcome"),
                        "duplicate",
                        "each item is decided once",
                    ));
                    continue;
                }
            };
            match (d.outcome, d.result, d.score) {
                (DisputeOutcome::Changed, None, None) => errors.push(FieldError::new(
                    format!("{field}.result"),
                    "required",
                    "choose the item's new result",
                )),
                (DisputeOutcome::Changed, Some(r), _) if r == *current => {
                    errors.push(FieldError::new(
                        format!("{field}.result"),
                        "unchanged",
                        "a changed item takes another result",
                    ))
                }
                (DisputeOutcome::Upheld, _, Some(_)) => errors.push(FieldError::new(
                    format!("{field}.score"),
                    "not_changed",
                    "an upheld item changes no score",
                )),
                _ => {}
            }
            if let Some(score) = d.score
                && !(1..=5).contains(&score)
            {
                errors.push(FieldError::new(
                    format!("{field}.score"),
                    "out_of_range",
                    "score 1 to 5",
                ));
            }
            check_text(
                &mut errors,
                &format!("{field}.reason"),
                &d.reason,
                true,
                TEXT_MAX_CHARS,
            );
        }
        for d in &self.items {
            if !disputed.iter().any(|(id, _, _)| *id == d.item_id) {
                errors.push(FieldError::new(
                    format!("items.{}.outcome", d.item_id),
                    "unknown",
                    "this item is not disputed",
                ));
            }
        }
        for (n, (item_id, _, dimension)) in disputed.iter().enumerate() {
            let score = |id: &i64| {
                self.items
                    .iter()
                    .find(|d| d.item_id == *id)
                    .and_then(|d| d.score)
            };
            let Some(mine) = score(item_id) else { continue };
            let clash = disputed[..n]
                .iter()
                .filter(|(_, _, dim)| dim == dimension)
                .any(|(other, _, _)| score(other).is_some_and(|s| s != mine));
            if clash {
                errors.push(FieldError::new(
                    format!("items.{item_id}.score"),
                    "conflict",
                    "two items of one dimension give it one score",
                ));
            }
        }
        checked(errors, ())
    }

    /// The answers and scores once decided: each changed item's result (its problem the
    /// decision's reason when still wanting, none otherwise) and each dimension's new score.
    pub fn apply(
        &self,
        answers: &[ItemAnswer],
        scores: &[DimensionScore],
        dimension_of: impl Fn(i64) -> Option<i64>,
    ) -> (Vec<ItemAnswer>, Vec<DimensionScore>) {
        let mut answers = answers.to_vec();
        let mut scores = scores.to_vec();
        for d in self
            .items
            .iter()
            .filter(|d| d.outcome == DisputeOutcome::Changed)
        {
            if let Some(result) = d.result
                && let Some(a) = answers.iter_mut().find(|a| a.item_id == d.item_id)
            {
                a.result = result;
                a.problem = result.wanting().then(|| d.reason.trim().to_owned());
            }
            if let Some(score) = d.score
                && let Some(dimension) = dimension_of(d.item_id)
                && let Some(s) = scores.iter_mut().find(|s| s.dimension_id == dimension)
            {
                s.score = score;
            }
        }
        (answers, scores)
    }
}

/// A disputed item: the agent's reason, and once decided, the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeItem {
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_id: i64,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    pub reason: String,
    /// The item's result when disputed.
    pub result_before: ItemResult,
    /// The dimension's rubric score when disputed.
    pub score_before: u8,
    pub outcome: Option<DisputeOutcome>,
    pub result_after: Option<ItemResult>,
    pub score_after: Option<u8>,
    pub decision_reason: Option<String>,
}

/// A dispute of an inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispute {
    pub id: i64,
    pub sample_id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    /// The service record's number.
    pub external_id: String,
    pub agent: Person,
    /// Who inspected it (never its reviewer).
    pub inspector: Person,
    pub filed_by: Person,
    pub filed_at: DateTime<Utc>,
    pub status: DisputeStatus,
    pub qa_score_before: f64,
    pub qa_score_after: Option<f64>,
    pub decided_by: Option<Person>,
    pub decided_at: Option<DateTime<Utc>>,
    pub items: Vec<DisputeItem>,
    /// Whether the caller may decide it (a reviewer other than its inspector, while open).
    #[serde(default)]
    pub may_decide: bool,
}

/// `GET /qa/disputes`: one page of disputes, what waits longest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputePage {
    pub disputes: Vec<Dispute>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Open and decided disputes under the other filters.
    pub open: u64,
    pub decided: u64,
}

/// An item an agent may dispute: its result in the current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputableItem {
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    pub result: ItemResult,
}

/// `GET /me/qa/samples/{id}/dispute`: what the agent may dispute and until when, and the
/// dispute if filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeForm {
    pub sample_id: i64,
    pub external_id: String,
    pub items: Vec<DisputableItem>,
    /// The last day a dispute may be filed (in the organisation's zone).
    pub last_day: NaiveDate,
    /// Whether one may be filed now: within the window and none filed.
    pub may_file: bool,
    pub dispute: Option<Dispute>,
}

/// A version of an inspection: the original, then each decided dispute's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionVersion {
    /// From 1, the original.
    pub version: u32,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Person,
    /// The dispute that changed it (none for the original).
    pub dispute_id: Option<i64>,
    pub qa_score: f64,
    pub answers: Vec<ItemAnswer>,
    pub scores: Vec<DimensionScore>,
}

/// Disputes of an inspector's inspections in a plan's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectorDisputes {
    pub inspector: Person,
    pub inspected: u64,
    pub disputed: u64,
    /// Disputes with at least one item changed.
    pub changed: u64,
}

/// Disputes of an item in a plan's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDisputes {
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    /// Inspections that answered it.
    pub inspected: u64,
    pub disputed: u64,
    pub changed: u64,
}

/// `part / whole`, none of nothing.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarDay;
    use crate::calendar::DayKind;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// 1-2 October 2026 are holidays (Thursday, Friday), then the weekend.
    fn national_day() -> WorkCalendar {
        let holiday = |date| CalendarDay {
            date: day(date),
            kind: DayKind::Holiday,
            name: "国庆节".to_owned(),
        };
        WorkCalendar::from_days(&[holiday("2026-10-01"), holiday("2026-10-02")])
    }

    #[test]
    fn the_earliest_disputable_day_is_the_last_whose_window_reaches_today() {
        // 1-2 October 2026 holidays (Thu, Fri), then the weekend; two working days.
        let calendar = national_day();
        // Saved Wednesday 30 September: open until Tuesday 6 October; saved on the 29th, until
        // Monday the 5th.
        assert_eq!(
            dispute_earliest_saved_day(&calendar, day("2026-10-06"), 2),
            day("2026-09-30")
        );
        assert_eq!(
            dispute_earliest_saved_day(&calendar, day("2026-10-05"), 2),
            day("2026-09-29")
        );
        // Over the holidays and the weekend nothing later closes: saved on the 29th, still open.
        assert_eq!(
            dispute_earliest_saved_day(&calendar, day("2026-10-03"), 2),
            day("2026-09-29")
        );
        for today in ["2026-10-03", "2026-10-05", "2026-10-06", "2026-10-07"] {
            let first = dispute_earliest_saved_day(&calendar, day(today), 2);
            assert!(dispute_window_open(
                dispute_last_day(&calendar, first, 2),
                day(today)
            ));
            assert!(!dispute_window_open(
                dispute_last_day(&calendar, first.pred_opt().unwrap(), 2),
                day(today)
            ));
        }
    }

    #[test]
    fn a_decision_finding_an_item_wanting_opens_a_rectification_and_one_clearing_it_closes_it() {
        let decision = |outcome, result| ItemDecision {
            item_id: 1,
            outcome,
            result,
            score: None,
            reason: "复核录音".to_owned(),
        };
        let changed = DisputeOutcome::Changed;
        let failed = decision(changed, Some(ItemResult::NonCompliant));
        assert!(failed.opens_rectification(ItemResult::Compliant));
        assert!(failed.opens_rectification(ItemResult::NotApplicable));
        // Wanting before: its rectification exists already.
        assert!(!failed.opens_rectification(ItemResult::Partly));
        assert!(!failed.closes_rectification());
        let upheld = decision(DisputeOutcome::Upheld, None);
        assert!(!upheld.opens_rectification(ItemResult::Compliant));
        assert!(!upheld.closes_rectification());
        let cleared = decision(changed, Some(ItemResult::Compliant));
        assert!(cleared.closes_rectification());
        assert!(!cleared.opens_rectification(ItemResult::NonCompliant));
        // A changed score alone changes no result.
        assert!(!decision(changed, None).opens_rectification(ItemResult::Compliant));
    }

    #[test]
    fn the_window_counts_working_days_past_a_holiday_and_a_weekend() {
        // Wednesday 2026-09-30 saved; 1-2 October holidays (Thu, Fri), then the weekend.
        let calendar = national_day();
        let last = dispute_last_day(&calendar, day("2026-09-30"), 2);
        // Monday 5th and Tuesday 6th are the two working days.
        assert_eq!(last, day("2026-10-06"));
        assert!(dispute_window_open(last, day("2026-10-06")));
        assert!(!dispute_window_open(last, day("2026-10-07")));
        // Without the holidays it would end on Friday.
        assert_eq!(
            dispute_last_day(&WorkCalendar::default(), day("2026-09-30"), 2),
            day("2026-10-02")
        );
        // Saved on a Saturday: Monday is the first working day.
        assert_eq!(
            dispute_last_day(&WorkCalendar::default(), day("2026-10-10"), 1),
            day("2026-10-12")
        );
    }

    #[test]
    fn the_original_inspector_never_reviews() {
        assert_eq!(may_review(Role::QaInspector, 2, 3), Ok(()));
        assert_eq!(may_review(Role::Admin, 1, 3), Ok(()));
        assert_eq!(
            may_review(Role::QaInspector, 3, 3),
            Err(ReviewRefusal::OwnInspection)
        );
        assert_eq!(
            may_review(Role::Admin, 3, 3),
            Err(ReviewRefusal::OwnInspection)
        );
        assert_eq!(
            may_review(Role::Agent, 5, 3),
            Err(ReviewRefusal::NotReviewer)
        );
    }

    fn codes(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_dispute_names_items_of_the_inspection_once_with_reasons() {
        let ok = NewDispute {
            items: vec![DisputedItem {
                item_id: 2,
                reason: "客户先打断了我".to_owned(),
            }],
        };
        assert!(ok.check(&[1, 2, 3]).is_ok());
        assert_eq!(
            codes(NewDispute { items: vec![] }.check(&[1]).unwrap_err()),
            [("items".to_owned(), "required".to_owned())]
        );
        let bad = NewDispute {
            items: vec![
                DisputedItem {
                    item_id: 9,
                    reason: "x".to_owned(),
                },
                DisputedItem {
                    item_id: 2,
                    reason: " ".to_owned(),
                },
                DisputedItem {
                    item_id: 2,
                    reason: "y".to_owned(),
                },
            ],
        };
        assert_eq!(
            codes(bad.check(&[1, 2]).unwrap_err()),
            [
                ("items.9.item_id".to_owned(), "unknown".to_owned()),
                ("items.2.reason".to_owned(), "required".to_owned()),
                ("items.2.item_id".to_owned(), "duplicate".to_owned()),
            ]
        );
    }

    fn decide(item_id: i64, outcome: DisputeOutcome, result: Option<ItemResult>) -> ItemDecision {
        ItemDecision {
            item_id,
            outcome,
            result,
            score: None,
            reason: "复听录音".to_owned(),
        }
    }

    #[test]
    fn a_decision_covers_every_disputed_item_and_changes_it_for_real() {
        let disputed = [(2, ItemResult::NonCompliant, 1), (3, ItemResult::Partly, 1)];
        let good = DisputeDecision {
            items: vec![
                decide(2, DisputeOutcome::Changed, Some(ItemResult::Compliant)),
                decide(3, DisputeOutcome::Upheld, None),
            ],
        };
        assert!(good.check(&disputed).is_ok());
        let mut scored = good.clone();
        scored.items[0].score = Some(4);
        let answers = vec![
            ItemAnswer {
                item_id: 2,
                result: ItemResult::NonCompliant,
                problem: Some("打断".to_owned()),
                quote: None,
            },
            ItemAnswer {
                item_id: 3,
                result: ItemResult::Partly,
                problem: Some("急躁".to_owned()),
                quote: None,
            },
        ];
        let scores = vec![DimensionScore {
            dimension_id: 1,
            score: 2,
        }];
        let (a, s) = scored.apply(&answers, &scores, |_| Some(1));
        assert_eq!(
            (a[0].result, a[0].problem.clone()),
            (ItemResult::Compliant, None)
        );
        assert_eq!(a[1], answers[1]);
        assert_eq!(s[0].score, 4);

        let mut bad = DisputeDecision {
            items: vec![
                decide(2, DisputeOutcome::Changed, Some(ItemResult::NonCompliant)),
                decide(7, DisputeOutcome::Upheld, None),
            ],
        };
        bad.items[0].reason = String::new();
        assert_eq!(
            codes(bad.check(&disputed).unwrap_err()),
            [
                ("items.2.result".to_owned(), "unchanged".to_owned()),
                ("items.2.reason".to_owned(), "required".to_owned()),
                ("items.3.outcome".to_owned(), "required".to_owned()),
                ("items.7.outcome".to_owned(), "unknown".to_owned()),
            ]
        );
        let mut clash = good.clone();
        clash.items[1] = decide(3, DisputeOutcome::Changed, Some(ItemResult::Compliant));
        clash.items[0].score = Some(4);
        clash.items[1].score = Some(6);
        assert_eq!(
            codes(clash.check(&disputed).unwrap_err()),
            [
                ("items.3.score".to_owned(), "out_of_range".to_owned()),
                ("items.3.score".to_owned(), "conflict".to_owned()),
            ]
        );
    }

    #[test]
    fn shares_of_nothing_are_none() {
        assert_eq!(share(1, 4), Some(0.25));
        assert_eq!(share(0, 0), None);
    }
}
