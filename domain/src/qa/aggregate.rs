//! A plan report's aggregation (seed 003, 质检报告): from the template and the answers of the
//! plan's inspections, each dimension's result, the items most often found wanting and the
//! count of rectifications by state. Pure: the server reads the answers and hands them here.

use std::collections::HashMap;

use super::{
    AnchorItem, ChecklistTemplate, DimensionResult, FrequentProblem, ItemResult,
    RectificationCounts, RectificationStatus, flagged, round_to, score_rate,
};

/// How many items the report lists as frequent problems.
pub const MAX_FREQUENT_PROBLEMS: usize = 10;
/// How many problem descriptions an item lists as examples.
pub const MAX_PROBLEM_EXAMPLES: usize = 3;

/// The answers of a plan's inspections by checklist item id: each inspection's result and the
/// problem the inspector described, in the order of the inspections.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ItemAnswers(HashMap<i64, Vec<(ItemResult, Option<String>)>>);

impl ItemAnswers {
    /// Gathers `(item id, result, problem)` answers.
    pub fn new(answers: impl IntoIterator<Item = (i64, ItemResult, Option<String>)>) -> Self {
        let mut by_item: HashMap<i64, Vec<(ItemResult, Option<String>)>> = HashMap::new();
        for (item, result, problem) in answers {
            by_item.entry(item).or_default().push((result, problem));
        }
        ItemAnswers(by_item)
    }

    fn of(&self, item: i64) -> &[(ItemResult, Option<String>)] {
        self.0.get(&item).map_or(&[], Vec::as_slice)
    }
}

/// Each dimension of `template`, in its order: the mean rubric score (`means`, by dimension
/// id), the score rate and counts over every answer of its items, whether it is flagged, and
/// the mean of the same dimension (by its Chinese name) in the plan compared against.
pub fn dimension_results(
    template: &ChecklistTemplate,
    answers: &ItemAnswers,
    means: &HashMap<i64, f64>,
    before: &HashMap<String, f64>,
) -> Vec<DimensionResult> {
    template
        .dimensions
        .iter()
        .map(|d| {
            let results: Vec<ItemResult> = d
                .items
                .iter()
                .flat_map(|item| answers.of(item.id).iter().map(|(r, _)| *r))
                .collect();
            let score = means.get(&d.id).copied();
            DimensionResult {
                dimension_id: d.id,
                name_zh: d.name_zh.clone(),
                name_en: d.name_en.clone(),
                score,
                score_rate: score_rate(&results),
                applicable: results.iter().filter(|r| r.applicable()).count() as u64,
                compliant: results
                    .iter()
                    .filter(|r| **r == ItemResult::Compliant)
                    .count() as u64,
                flagged: flagged(score),
                before: before.get(&d.name_zh).copied(),
            }
        })
        .collect()
}

/// The items found wanting (partly or not compliant) at least once, most often first (then
/// by item id), at most [`MAX_FREQUENT_PROBLEMS`]: how often, the share of the inspections
/// where the item applied, and up to [`MAX_PROBLEM_EXAMPLES`] of the problems described.
pub fn frequent_problems(
    template: &ChecklistTemplate,
    answers: &ItemAnswers,
) -> Vec<FrequentProblem> {
    let mut problems: Vec<FrequentProblem> = template
        .items()
        .filter_map(|(d, item)| {
            let found = answers.of(item.id);
            let applicable = found.iter().filter(|(r, _)| r.applicable()).count();
            let wanting: Vec<&(ItemResult, Option<String>)> =
                found.iter().filter(|(r, _)| r.wanting()).collect();
            (!wanting.is_empty()).then(|| FrequentProblem {
                item_id: item.id,
                item_name_zh: item.name_zh.clone(),
                item_name_en: item.name_en.clone(),
                dimension_name_zh: d.name_zh.clone(),
                dimension_name_en: d.name_en.clone(),
                count: wanting.len() as u64,
                share: round_to(wanting.len() as f64 / applicable.max(1) as f64, 4),
                examples: wanting
                    .iter()
                    .filter_map(|(_, p)| p.clone())
                    .take(MAX_PROBLEM_EXAMPLES)
                    .collect(),
            })
        })
        .collect();
    problems.sort_by(|a, b| b.count.cmp(&a.count).then(a.item_id.cmp(&b.item_id)));
    problems.truncate(MAX_FREQUENT_PROBLEMS);
    problems
}

impl RectificationCounts {
    /// Counts rectifications by state, given each one's state and whether it is overdue.
    pub fn tally(rectifications: impl IntoIterator<Item = (RectificationStatus, bool)>) -> Self {
        let mut counts = RectificationCounts::default();
        for (status, overdue) in rectifications {
            match status {
                RectificationStatus::Open => counts.open += 1,
                RectificationStatus::Reported => counts.reported += 1,
                RectificationStatus::Closed => counts.closed += 1,
            }
            if overdue {
                counts.overdue += 1;
            }
        }
        counts
    }
}

/// Each item of `template`, in its order, with its score rate over the `before` answers and
/// over the `after` ones: a coaching anchor's items.
pub fn anchor_items(
    template: &ChecklistTemplate,
    before: &ItemAnswers,
    after: &ItemAnswers,
) -> Vec<AnchorItem> {
    let rate = |answers: &ItemAnswers, item: i64| {
        let results: Vec<ItemResult> = answers.of(item).iter().map(|(r, _)| *r).collect();
        score_rate(&results)
    };
    template
        .items()
        .map(|(d, item)| AnchorItem {
            item_id: item.id,
            item_name_zh: item.name_zh.clone(),
            item_name_en: item.name_en.clone(),
            dimension_name_zh: d.name_zh.clone(),
            dimension_name_en: d.name_en.clone(),
            before: rate(before, item.id),
            after: rate(after, item.id),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::template;
    use super::*;
    use ItemResult::*;

    fn answers() -> ItemAnswers {
        ItemAnswers::new([
            (100, Compliant, None),
            (101, Partly, Some("打断了客户".to_owned())),
            (100, NonCompliant, Some("没有问候".to_owned())),
            (101, NotApplicable, None),
            (101, NonCompliant, None),
        ])
    }

    #[test]
    fn dimensions_count_their_items_answers_and_compare_by_name() {
        let means = HashMap::from([(10, 2.5)]);
        let before = HashMap::from([("服务态度".to_owned(), 3.5)]);
        let results = dimension_results(&template(), &answers(), &means, &before);
        assert_eq!(results.len(), 2);
        let attitude = &results[0];
        assert_eq!((attitude.applicable, attitude.compliant), (4, 1));
        assert_eq!(attitude.score_rate, Some(0.25));
        assert_eq!(attitude.score, Some(2.5));
        assert!(attitude.flagged);
        assert_eq!(attitude.before, Some(3.5));
        // A dimension without items or answers: nothing to rate, nothing flagged.
        let timeliness = &results[1];
        assert_eq!((timeliness.applicable, timeliness.score_rate), (0, None));
        assert_eq!(
            (timeliness.score, timeliness.flagged, timeliness.before),
            (None, false, None)
        );
    }

    #[test]
    fn anchor_items_rate_each_item_before_and_after() {
        let after = ItemAnswers::new([(100, Compliant, None), (100, Compliant, None)]);
        let items = anchor_items(&template(), &answers(), &after);
        let rates: Vec<(i64, Option<f64>, Option<f64>)> = items
            .iter()
            .map(|i| (i.item_id, i.before, i.after))
            .collect();
        // Item 100: one of two before, both after; item 101: none of two that applied before
        // (one N/A), not answered after.
        assert_eq!(
            rates,
            vec![(100, Some(0.5), Some(1.0)), (101, Some(0.0), None)]
        );
        assert_eq!(items[1].dimension_name_en, "Attitude");
    }

    #[test]
    fn frequent_problems_come_most_often_first_with_their_share_where_they_applied() {
        let problems = frequent_problems(&template(), &answers());
        let found: Vec<(i64, u64, f64)> = problems
            .iter()
            .map(|p| (p.item_id, p.count, p.share))
            .collect();
        // Item 101: wanting twice of the two inspections where it applied (one was N/A).
        // Item 100: once of two.
        assert_eq!(found, vec![(101, 2, 1.0), (100, 1, 0.5)]);
        assert_eq!(problems[0].examples, vec!["打断了客户".to_owned()]);
        assert_eq!(problems[1].dimension_name_en, "Attitude");
        assert!(frequent_problems(&template(), &ItemAnswers::default()).is_empty());
    }

    #[test]
    fn frequent_problems_are_capped_and_ties_go_by_item() {
        let mut t = template();
        let item = t.dimensions[0].items[0].clone();
        t.dimensions[0].items = (0..12)
            .map(|i| super::super::TemplateItem {
                id: 200 - i,
                ..item.clone()
            })
            .collect();
        let answers = ItemAnswers::new((0..12).map(|i| (200 - i, Partly, Some(format!("{i}")))));
        let problems = frequent_problems(&t, &answers);
        assert_eq!(problems.len(), MAX_FREQUENT_PROBLEMS);
        assert_eq!(problems[0].item_id, 189);
    }

    #[test]
    fn rectifications_are_tallied_by_state_and_overdue() {
        use RectificationStatus::*;
        let counts = RectificationCounts::tally([
            (Open, true),
            (Open, false),
            (Reported, true),
            (Closed, false),
        ]);
        assert_eq!(
            counts,
            RectificationCounts {
                open: 2,
                reported: 1,
                closed: 1,
                overdue: 2
            }
        );
    }
}
