//! Pure business rules from the specification (see DESIGN.md), one function each.

use chrono::{Duration, NaiveDate};

use crate::settings::Settings;
use crate::wire::Urgency;

/// Lowest and highest score of one dimension (1 = 非常不满意, 5 = 非常满意).
pub const DIMENSION_SCORE_RANGE: std::ops::RangeInclusive<u8> = 1..=5;
/// Lowest and highest overall satisfaction.
pub const OVERALL_SCORE_RANGE: std::ops::RangeInclusive<u8> = 1..=10;

/// Total score of an evaluation: the mean of the answered dimension scores, rounded half away
/// from zero to one decimal. Unanswered (optional) dimensions are left out; `None` when no
/// dimension was answered.
///
/// (5,5,4,5,5) → 4.8; (2,3,2,1,3) → 2.2; (4,4,5,4,5) → 4.4.
pub fn total_score(scores: &[Option<u8>]) -> Option<f64> {
    let answered: Vec<u32> = scores.iter().flatten().map(|&s| u32::from(s)).collect();
    if answered.is_empty() {
        return None;
    }
    let sum: u32 = answered.iter().sum();
    let n = answered.len() as u32;
    // Integer arithmetic in tenths, so 4.25 rounds to 4.3 and never to 4.2 by float error.
    let tenths = (sum * 20 + n) / (2 * n);
    Some(f64::from(tenths) / 10.0)
}

/// The response SLA of an urgency under `settings`: the time within which the first response
/// must come (by default high 15 min, normal 2 h, low 24 h).
pub fn response_sla(settings: &Settings, urgency: Urgency) -> Duration {
    settings.response_sla(urgency)
}

/// The human-readable evaluation number, e.g. `PJ20261122-000123`: the day it was submitted
/// (in the organisation's time zone) and the sequence number of that day.
pub fn evaluation_number(day: NaiveDate, sequence: u32) -> String {
    format!("PJ{}-{:06}", day.format("%Y%m%d"), sequence)
}

/// Stratified sampling floor: n = min(N, max(ceil(10 % of N), 30)).
pub fn sample_size(population: u64) -> u64 {
    population.min(population.div_ceil(10).max(30))
}

/// Populations and their sample sizes at and around both floors, as the sampling tests check
/// them.
#[cfg(test)]
pub(crate) const SAMPLE_SIZE_CASES: [(u64, u64); 7] = [
    (10, 10),
    (29, 29),
    (30, 30),
    (299, 30),
    (300, 30),
    (301, 31),
    (1000, 100),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn total_score_matches_the_specification_examples() {
        assert_eq!(
            total_score(&[Some(5), Some(5), Some(4), Some(5), Some(5)]),
            Some(4.8)
        );
        assert_eq!(
            total_score(&[Some(2), Some(3), Some(2), Some(1), Some(3)]),
            Some(2.2)
        );
        assert_eq!(
            total_score(&[Some(4), Some(4), Some(5), Some(4), Some(5)]),
            Some(4.4)
        );
    }

    #[test]
    fn total_score_leaves_out_unanswered_optional_dimensions() {
        assert_eq!(total_score(&[Some(5), Some(4), None]), Some(4.5));
        assert_eq!(total_score(&[None, None]), None);
        assert_eq!(total_score(&[]), None);
    }

    #[test]
    fn total_score_rounds_half_up() {
        // 4.25 and 4.75 are exactly halfway.
        assert_eq!(
            total_score(&[Some(4), Some(4), Some(4), Some(5)]),
            Some(4.3)
        );
        assert_eq!(
            total_score(&[Some(5), Some(5), Some(5), Some(4)]),
            Some(4.8)
        );
        // 13/3 = 4.333…
        assert_eq!(total_score(&[Some(4), Some(4), Some(5)]), Some(4.3));
    }

    #[test]
    fn slas_follow_urgency_and_the_settings() {
        let defaults = Settings::default();
        assert_eq!(
            response_sla(&defaults, Urgency::High),
            Duration::minutes(15)
        );
        assert_eq!(
            response_sla(&defaults, Urgency::Normal),
            Duration::minutes(120)
        );
        assert_eq!(response_sla(&defaults, Urgency::Low), Duration::hours(24));
        let faster = Settings {
            sla_normal_minutes: 60,
            ..Settings::default()
        };
        assert_eq!(response_sla(&faster, Urgency::Normal), Duration::hours(1));
    }

    #[test]
    fn evaluation_numbers_are_readable_and_sortable() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(evaluation_number(day, 123), "PJ20261122-000123");
    }

    #[test]
    fn sample_sizes_respect_both_floors() {
        for (n, expected) in SAMPLE_SIZE_CASES {
            assert_eq!(sample_size(n), expected, "N = {n}");
        }
    }

    proptest! {
        #[test]
        fn total_score_stays_within_the_answered_range(scores in proptest::collection::vec(proptest::option::of(1u8..=5), 0..12)) {
            let answered: Vec<u8> = scores.iter().flatten().copied().collect();
            match total_score(&scores) {
                None => prop_assert!(answered.is_empty()),
                Some(t) => {
                    let lo = f64::from(*answered.iter().min().unwrap());
                    let hi = f64::from(*answered.iter().max().unwrap());
                    prop_assert!(t >= lo && t <= hi, "{t} outside {lo}..={hi}");
                    let mean = answered.iter().map(|&s| f64::from(s)).sum::<f64>() / answered.len() as f64;
                    prop_assert!((t - mean).abs() <= 0.05 + 1e-9);
                }
            }
        }

        #[test]
        fn sample_size_never_exceeds_population_and_meets_the_floor(n in 0u64..1_000_000) {
            let s = sample_size(n);
            prop_assert!(s <= n);
            prop_assert!(s >= n.min(30));
            prop_assert!(s * 10 >= n);
        }
    }
}
