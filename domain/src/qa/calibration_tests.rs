use super::super::fixtures::{codes, day, template};
use super::*;

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
/// observers (A–D) code twelve units, with missing values ("."):
///
/// ```text
///      1  2  3  4  5  6  7  8  9 10 11 12
/// A    1  2  3  3  2  1  4  1  2  .  .  .
/// B    1  2  3  3  2  2  4  1  2  5  .  3
/// C    .  3  3  3  2  3  4  2  2  5  1  .
/// D    1  2  3  3  2  4  4  1  2  5  1  .
/// ```
///
/// The paper gives nominal α = 0.743, ordinal α = 0.815, interval α = 0.849 (unit 12, with
/// one value, is not pairable and drops out).
fn krippendorff_2011() -> Vec<Vec<f64>> {
    let rows: [[Option<u8>; 12]; 4] = [
        [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(1),
            Some(4),
            Some(1),
            Some(2),
            None,
            None,
            None,
        ],
        [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(2),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            None,
            Some(3),
        ],
        [
            None,
            Some(3),
            Some(3),
            Some(3),
            Some(2),
            Some(3),
            Some(4),
            Some(2),
            Some(2),
            Some(5),
            Some(1),
            None,
        ],
        [
            Some(1),
            Some(2),
            Some(3),
            Some(3),
            Some(2),
            Some(4),
            Some(4),
            Some(1),
            Some(2),
            Some(5),
            Some(1),
            None,
        ],
    ];
    (0..12)
        .map(|u| rows.iter().filter_map(|r| r[u]).map(f64::from).collect())
        .collect()
}

fn close(got: Option<f64>, want: f64) {
    let got = got.expect("an alpha");
    assert!((got - want).abs() < 0.0005, "got {got}, want {want}");
}

#[test]
fn alpha_matches_krippendorff_2011_nominal_ordinal_and_interval() {
    let units = krippendorff_2011();
    close(krippendorff_alpha(&units, AlphaMetric::Nominal), 0.743);
    close(krippendorff_alpha(&units, AlphaMetric::Ordinal), 0.815);
    close(krippendorff_alpha(&units, AlphaMetric::Interval), 0.849);
}

#[test]
fn alpha_is_one_when_all_agree_and_none_for_one_observer() {
    let agree = vec![vec![2.0, 2.0, 2.0], vec![4.0, 4.0, 4.0]];
    close(krippendorff_alpha(&agree, AlphaMetric::Nominal), 1.0);
    close(krippendorff_alpha(&agree, AlphaMetric::Interval), 1.0);
    let same = vec![vec![3.0, 3.0], vec![3.0, 3.0]];
    close(krippendorff_alpha(&same, AlphaMetric::Ordinal), 1.0);
    let one_observer = vec![vec![1.0], vec![5.0], vec![3.0]];
    assert_eq!(
        krippendorff_alpha(&one_observer, AlphaMetric::Nominal),
        None
    );
    assert_eq!(krippendorff_alpha(&[], AlphaMetric::Interval), None);
    // Systematic disagreement falls below zero.
    let opposed = vec![vec![1.0, 5.0], vec![5.0, 1.0], vec![1.0, 5.0]];
    assert!(krippendorff_alpha(&opposed, AlphaMetric::Interval).unwrap() < 0.0);
}

fn answers(results: [ItemResult; 2], scores: [u8; 2]) -> CalibrationAnswers {
    CalibrationAnswers {
        answers: vec![
            CalibrationItemAnswer {
                record_id: 7,
                item_id: 100,
                result: results[0],
            },
            CalibrationItemAnswer {
                record_id: 7,
                item_id: 101,
                result: results[1],
            },
        ],
        scores: vec![
            CalibrationScore {
                record_id: 7,
                dimension_id: 10,
                score: scores[0],
            },
            CalibrationScore {
                record_id: 7,
                dimension_id: 11,
                score: scores[1],
            },
        ],
    }
}

#[test]
fn results_show_each_answer_the_agreement_and_the_most_disputed_item_first() {
    use ItemResult::{Compliant as C, NonCompliant as N, Partly as P};
    let of = |id, a| InspectorAnswers {
        inspector_id: id,
        answers: a,
    };
    let results = calibration_results(
        &template(),
        &[7],
        &[
            of(1, answers([C, C], [4, 5])),
            of(2, answers([C, N], [4, 3])),
            of(3, answers([C, P], [4, 1])),
        ],
    );
    assert_eq!(results.inspector_ids, vec![1, 2, 3]);
    assert_eq!(results.items[0].item_id, 101, "the disputed item first");
    assert_eq!(
        results.items[0].records[0].answers,
        vec![Some(C), Some(N), Some(P)]
    );
    close(results.items[0].agreement, 1.0 / 3.0);
    close(results.items[1].agreement, 1.0);
    assert_eq!(results.dimensions[0].spread, 0);
    assert_eq!(results.dimensions[1].spread, 4);
    close(results.dimensions[0].agreement, 1.0);
    close(results.dimensions[0].std_dev, 0.0);
    assert!(results.alpha_items.is_some() && results.alpha_scores.is_some());
    let alone = calibration_results(&template(), &[7], &[of(1, answers([C, C], [4, 5]))]);
    assert_eq!((alone.alpha_items, alone.alpha_scores), (None, None));
}

#[test]
fn a_session_needs_a_name_records_and_two_inspectors() {
    let new = NewCalibration {
        name: " ".into(),
        template_id: 1,
        records: vec![],
        inspector_ids: vec![3],
    };
    assert_eq!(
        codes(new.check()),
        [
            ("name".to_owned(), "required".to_owned()),
            ("records".to_owned(), "required".to_owned()),
            ("inspector_ids".to_owned(), "too_few".to_owned()),
        ]
    );
    let dup = NewCalibration {
        name: "校准".into(),
        template_id: 1,
        records: vec!["R1".into(), "R1 ".into()],
        inspector_ids: vec![3, 3],
    };
    assert_eq!(
        codes(dup.check()),
        [
            ("records.1".to_owned(), "duplicate".to_owned()),
            ("inspector_ids".to_owned(), "duplicate".to_owned()),
        ]
    );
    let many = NewCalibration {
        records: (0..6).map(|i| format!("R{i}")).collect(),
        inspector_ids: vec![1, 2],
        ..dup
    };
    assert_eq!(
        codes(many.check()),
        [("records".to_owned(), "too_many".to_owned())]
    );
}

#[test]
fn answers_cover_every_item_and_dimension_of_every_record() {
    use ItemResult::Compliant as C;
    let t = template();
    assert!(answers([C, C], [4, 5]).check(&t, &[7], true).is_ok());
    let mut partial = answers([C, C], [4, 9]);
    partial.answers.pop();
    assert_eq!(
        codes(partial.check(&t, &[7], true)),
        [
            ("answers.7.101".to_owned(), "required".to_owned()),
            ("scores.7.11".to_owned(), "out_of_range".to_owned()),
        ]
    );
    assert_eq!(
        codes(answers([C, C], [4, 5]).check(&t, &[8], false)),
        [
            ("answers.7.100".to_owned(), "unknown".to_owned()),
            ("answers.7.101".to_owned(), "unknown".to_owned()),
            ("scores.7.10".to_owned(), "unknown".to_owned()),
            ("scores.7.11".to_owned(), "unknown".to_owned()),
        ]
    );
    let agreed = AgreedAnswers {
        notes: vec![
            ItemNote {
                item_id: 100,
                note: "先问候再办理".into(),
            },
            ItemNote {
                item_id: 999,
                note: "x".into(),
            },
        ],
        ..AgreedAnswers::default()
    };
    assert_eq!(
        codes(agreed.check(&t, &[7])),
        [("notes.999".to_owned(), "unknown".to_owned())]
    );
}

#[test]
fn deviation_counts_differing_answers_and_the_signed_score_difference_per_month() {
    let person = |id: i64| Person {
        id,
        no: format!("Q{id}"),
        name: format!("质检{id}"),
    };
    let (nov, dec) = (day("2026-11-01"), day("2026-12-01"));
    let c = |inspector_id, month, kind| AgreedComparison {
        inspector_id,
        month,
        kind,
    };
    let comparisons = [
        c(1, nov, ComparedAnswer::Item { differs: true }),
        c(1, nov, ComparedAnswer::Item { differs: false }),
        c(1, dec, ComparedAnswer::Item { differs: true }),
        c(1, dec, ComparedAnswer::Score { difference: -2 }),
        c(1, nov, ComparedAnswer::Score { difference: -1 }),
        c(2, dec, ComparedAnswer::Item { differs: false }),
        c(2, dec, ComparedAnswer::Score { difference: 1 }),
    ];
    let (overall, months) = deviation(&comparisons, &[person(2), person(1), person(3)]);
    assert_eq!(
        overall.len(),
        2,
        "an inspector without comparisons is left out"
    );
    assert_eq!(overall[0].inspector.id, 1, "the most deviating first");
    assert_eq!((overall[0].items, overall[0].differing), (3, 2));
    close(overall[0].mean_difference, -1.5);
    close(overall[1].mean_difference, 1.0);
    let firsts: Vec<(i64, Option<NaiveDate>)> =
        months.iter().map(|m| (m.inspector.id, m.month)).collect();
    assert_eq!(firsts, [(2, Some(dec)), (1, Some(nov)), (1, Some(dec))]);
    close(months[1].differing_share, 0.5);
}
