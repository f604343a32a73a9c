//! The stratified sample of a plan and how its records are dealt to the inspectors.

use crate::rules::sample_size;

closed_list! {
    /// What a plan's sample is stratified by.
    #[derive(PartialOrd, Ord)]
    pub enum StratumKey {
        ServiceType = "service_type" ("服务类型", "Service type"),
        CustomerType = "customer_type" ("客户类型", "Customer type"),
        Channel = "channel" ("渠道", "Channel"),
    }
}

/// SplitMix64's finaliser: a fixed, well-mixed 64-bit permutation, so the rank of a record in a
/// sample depends only on the seed and its id (stable across versions and platforms).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The sample of one stratum: `sample_size(N)` of the `population` (record ids, N of them),
/// chosen by ranking each id by a hash keyed with `seed`. The same seed and population give the
/// same sample, in the same order; duplicates in `population` count once.
pub fn draw_sample(population: &[i64], seed: u32) -> Vec<i64> {
    let mut ids = population.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let n = usize::try_from(sample_size(ids.len() as u64)).unwrap_or(usize::MAX);
    let key = mix(u64::from(seed));
    let mut ranked: Vec<(u64, i64)> = ids
        .into_iter()
        .map(|id| (mix(key ^ id as u64), id))
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().take(n).map(|(_, id)| id).collect()
}

/// Deals `count` sampled records to the `inspectors` in turn, so that no inspector has more than
/// one record more than another: the inspector of record `i` is `inspectors[i % len]`. `None`
/// without inspectors.
pub fn assign_evenly(count: usize, inspectors: &[i64]) -> Option<Vec<i64>> {
    if inspectors.is_empty() {
        return None;
    }
    Some(
        (0..count)
            .map(|i| inspectors[i % inspectors.len()])
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sample_sizes_per_stratum_follow_the_floors() {
        for (n, expected) in crate::rules::SAMPLE_SIZE_CASES {
            let population: Vec<i64> = (1..=n as i64).collect();
            assert_eq!(
                draw_sample(&population, 7).len() as u64,
                expected,
                "N = {n}"
            );
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_and_another_seed_another() {
        let population: Vec<i64> = (1..=1000).collect();
        let a = draw_sample(&population, 42);
        let mut shuffled = population.clone();
        shuffled.reverse();
        assert_eq!(
            draw_sample(&shuffled, 42),
            a,
            "order of the population is irrelevant"
        );
        assert_ne!(draw_sample(&population, 43), a);
        let mut unique = a.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), a.len(), "no record twice");
    }

    #[test]
    fn records_are_dealt_evenly() {
        let dealt = assign_evenly(7, &[1, 2, 3]).unwrap();
        assert_eq!(dealt, vec![1, 2, 3, 1, 2, 3, 1]);
        assert_eq!(assign_evenly(3, &[]), None);
    }

    proptest! {
        #[test]
        fn a_sample_is_a_subset_of_its_stratum_of_the_right_size(
            population in proptest::collection::btree_set(0i64..100_000, 0..2_000),
            seed in any::<u32>(),
        ) {
            let population: Vec<i64> = population.into_iter().collect();
            let sample = draw_sample(&population, seed);
            prop_assert_eq!(sample.len() as u64, sample_size(population.len() as u64));
            prop_assert!(sample.iter().all(|id| population.binary_search(id).is_ok()));
            prop_assert_eq!(draw_sample(&population, seed), sample);
        }

        #[test]
        fn dealt_records_differ_by_at_most_one_per_inspector(count in 0usize..500, inspectors in 1usize..12) {
            let ids: Vec<i64> = (0..inspectors as i64).collect();
            let dealt = assign_evenly(count, &ids).unwrap();
            let per: Vec<usize> = ids.iter().map(|i| dealt.iter().filter(|d| *d == i).count()).collect();
            prop_assert!(per.iter().max().unwrap() - per.iter().min().unwrap() <= 1);
        }
    }
}
