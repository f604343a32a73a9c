//! The scores of inspections: the score rate of a dimension, the QA score, the composite
//! score, and which dimensions are flagged.

/// A dimension whose mean rubric score is under this is flagged (seed 003: "得分低于3分").
pub const FLAG_BELOW: f64 = 3.0;

closed_list! {
    /// How one checklist item was found (检查结果).
    pub enum ItemResult {
        /// 符合
        Compliant = "compliant" ("符合", "Compliant"),
        /// 部分符合
        Partly = "partly" ("部分符合", "Partly compliant"),
        /// 不符合
        NonCompliant = "non_compliant" ("不符合", "Non-compliant"),
        /// N/A: the item does not apply to this service (e.g. dress code on a phone call).
        NotApplicable = "not_applicable" ("N/A", "N/A"),
    }
}

impl ItemResult {
    /// Counted in the score rate's denominator.
    pub fn applicable(self) -> bool {
        self != ItemResult::NotApplicable
    }

    /// Partly or not compliant: the inspector describes what happened and the item is
    /// rectified (seed 002: "对“不符合”或“部分符合”的项目,需记录具体事件").
    pub fn wanting(self) -> bool {
        matches!(self, ItemResult::Partly | ItemResult::NonCompliant)
    }
}

/// Dimension score rate (得分率) = compliant items / applicable items, 0 to 1; a partly
/// compliant item is applicable but not compliant, an N/A item is left out. `None` when no
/// item applies.
pub fn score_rate(results: &[ItemResult]) -> Option<f64> {
    let applicable = results.iter().filter(|r| r.applicable()).count();
    let compliant = results
        .iter()
        .filter(|r| **r == ItemResult::Compliant)
        .count();
    (applicable > 0).then(|| compliant as f64 / applicable as f64)
}

/// Rounds to `places` decimals, halves away from zero (4.475 → 4.48).
pub fn round_to(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    // A tiny nudge so that decimal halves stored just under (4.475 as 4.47499…) round up.
    ((value * factor) + value.signum() * 1e-9).round() / factor
}

/// The QA score of an inspection: the mean of its rubric scores (1-5 per dimension), two
/// decimals; `None` without scores.
pub fn qa_score(scores: &[u8]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let sum: u32 = scores.iter().map(|&s| u32::from(s)).sum();
    Some(round_to(f64::from(sum) / scores.len() as f64, 2))
}

/// The mean of `values`, two decimals; `None` when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(round_to(
        values.iter().sum::<f64>() / values.len() as f64,
        2,
    ))
}

/// Composite score (综合得分) = customer score × customer weight + QA score × QA weight, the
/// weights in percent (the settings `composite_customer_weight`, 60, and `composite_qa_weight`,
/// 40), two decimals. Both scores are on the 1-5 scale. `None` unless both are known: a
/// composite of one side alone would pass one score off as the other.
pub fn composite_score(
    customer: Option<f64>,
    qa: Option<f64>,
    customer_weight: u8,
    qa_weight: u8,
) -> Option<f64> {
    let (customer, qa) = (customer?, qa?);
    let total = f64::from(customer_weight) + f64::from(qa_weight);
    if total == 0.0 {
        return None;
    }
    Some(round_to(
        (customer * f64::from(customer_weight) + qa * f64::from(qa_weight)) / total,
        2,
    ))
}

/// Whether a dimension's score is flagged (under 3).
pub fn flagged(score: Option<f64>) -> bool {
    score.is_some_and(|s| s < FLAG_BELOW)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_composite_of_customer_4_8_and_qa_4_0_is_4_48() {
        assert_eq!(composite_score(Some(4.8), Some(4.0), 60, 40), Some(4.48));
        assert_eq!(composite_score(Some(4.8), None, 60, 40), None);
        assert_eq!(composite_score(None, Some(4.0), 60, 40), None);
        assert_eq!(composite_score(Some(5.0), Some(1.0), 50, 50), Some(3.0));
    }

    #[test]
    fn the_score_rate_leaves_out_items_that_do_not_apply() {
        use ItemResult::*;
        assert_eq!(
            score_rate(&[Compliant, Compliant, NotApplicable]),
            Some(1.0)
        );
        assert_eq!(
            score_rate(&[Compliant, Partly, NonCompliant, NotApplicable]),
            Some(1.0 / 3.0)
        );
        assert_eq!(score_rate(&[NotApplicable, NotApplicable]), None);
        assert_eq!(score_rate(&[]), None);
    }

    #[test]
    fn qa_scores_are_the_mean_of_the_rubric_and_under_3_is_flagged() {
        assert_eq!(qa_score(&[5, 5, 4, 5, 5]), Some(4.8));
        assert_eq!(qa_score(&[2, 3, 2, 1, 3]), Some(2.2));
        assert_eq!(qa_score(&[]), None);
        assert!(flagged(Some(2.99)));
        assert!(!flagged(Some(3.0)));
        assert!(!flagged(None));
    }

    proptest! {
        #[test]
        fn the_composite_lies_between_its_two_scores(c in 1.0f64..=5.0, q in 1.0f64..=5.0, w in 0u8..=100) {
            let composite = composite_score(Some(c), Some(q), w, 100 - w).unwrap();
            prop_assert!(composite >= c.min(q) - 0.005 && composite <= c.max(q) + 0.005);
        }
    }
}
