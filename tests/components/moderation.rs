//! The pure parts of the review queue and the audit log: their addresses, the words of each
//! rule, status and action, which decisions apply, the reason dialog's checks and the
//! server's refusals read back to evaluation numbers.
use leptos_router::params::ParamsMap;
use pingjia::api::ApiError;
use pingjia::api::error_from_response;
use pingjia::api::moderation::{AuditQuery, QueueQuery};
use pingjia::i18n::Locale;
use pingjia::labels::rule_name;
use pingjia::pages::admin_audit::{TARGET_TYPES, action_label, audit_href, target_type_label};
use pingjia::pages::admin_moderation::terms::TermProblem;
use pingjia::pages::admin_moderation::{
    IdProblem, ReasonProblem, decision_name, decisions_for, listed_status, moderation_href,
    per_id_problems, query_from_params, queue_status_name, reason_problem, status_name,
};
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::audit::detail_lines;
use pingjia_domain::moderation::{Decision, ModerationStatus, QueueStatus, REASON_MAX_CHARS};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn the_queue_address_carries_its_tab_filters_and_page() {
    let params: ParamsMap = [
        ("status", "deleted"),
        ("rule", "brushing_burst"),
        ("agent_id", "7"),
        ("from", "2026-11-01"),
        ("to", "2026-11-30"),
        ("page", "2"),
    ]
    .into_iter()
    .collect();
    let query = query_from_params(&params);
    assert_eq!(query.status, QueueStatus::Deleted);
    assert_eq!(query.rule, Some(AnomalyRule::BrushingBurst));
    assert_eq!(query.agent_id, Some(7));
    assert_eq!(query.page, 2);
    assert_eq!(
        moderation_href(&query),
        "/admin/moderation?status=deleted&rule=brushing_burst&agent_id=7&from=2026-11-01&to=2026-11-30&page=2"
    );

    // The default tab and the first page need no parameter; nonsense is ignored.
    let params: ParamsMap = [("status", "gone"), ("rule", "rude"), ("page", "0")]
        .into_iter()
        .collect();
    let query = query_from_params(&params);
    assert_eq!(query, QueueQuery::default());
    assert_eq!(moderation_href(&query), "/admin/moderation");
    let kept = QueueQuery {
        status: QueueStatus::Kept,
        ..QueueQuery::default()
    };
    assert_eq!(moderation_href(&kept), "/admin/moderation?status=kept");
}

#[wasm_bindgen_test]
fn every_rule_status_and_decision_has_words_in_both_languages() {
    assert_eq!(
        rule_name(Locale::zh_CN, AnomalyRule::BrushingBurst),
        "疑似刷单：短时间内集中评价"
    );
    assert_eq!(
        rule_name(Locale::en, AnomalyRule::BrushingBurst),
        "Suspected brushing: a burst of evaluations"
    );
    assert_eq!(
        rule_name(Locale::zh_CN, AnomalyRule::Abusive),
        "恶意评价：含不当用语"
    );
    for locale in [Locale::zh_CN, Locale::en] {
        let names: Vec<&str> = AnomalyRule::ALL
            .into_iter()
            .map(|rule| rule_name(locale, rule))
            .collect();
        let mut distinct = names.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), names.len(), "one name per rule: {names:?}");
        assert!(names.iter().all(|n| !n.is_empty()));
    }
    assert_eq!(
        queue_status_name(Locale::zh_CN, QueueStatus::UnderReview),
        "待审核"
    );
    assert_eq!(
        queue_status_name(Locale::zh_CN, QueueStatus::Deleted),
        "已删除"
    );
    assert_eq!(queue_status_name(Locale::en, QueueStatus::Kept), "Kept");
    assert_eq!(
        status_name(Locale::zh_CN, ModerationStatus::Active),
        "已保留"
    );
    assert_eq!(decision_name(Locale::zh_CN, Decision::Restore), "恢复");
    assert_eq!(decision_name(Locale::en, Decision::Delete), "Delete");
}

#[wasm_bindgen_test]
fn each_status_offers_the_decisions_that_apply_to_it() {
    use ModerationStatus::*;
    assert_eq!(
        decisions_for(UnderReview),
        [Decision::Keep, Decision::Delete]
    );
    assert_eq!(decisions_for(Active), [Decision::Delete]);
    assert_eq!(decisions_for(Deleted), [Decision::Restore]);
    assert_eq!(listed_status(QueueStatus::Kept), Active);
    assert_eq!(listed_status(QueueStatus::Deleted), Deleted);
}

#[wasm_bindgen_test]
fn a_decision_needs_a_reason_of_at_most_500_characters() {
    assert_eq!(reason_problem(""), Some(ReasonProblem::Blank));
    assert_eq!(reason_problem(" \n\t "), Some(ReasonProblem::Blank));
    assert_eq!(reason_problem(" 刷单 "), None);
    assert_eq!(reason_problem(&"理".repeat(REASON_MAX_CHARS)), None);
    assert_eq!(
        reason_problem(&"理".repeat(REASON_MAX_CHARS + 1)),
        Some(ReasonProblem::TooLong)
    );
    // Spaces around the reason do not count.
    assert_eq!(
        reason_problem(&format!("  {}  ", "x".repeat(REASON_MAX_CHARS))),
        None
    );
}

#[wasm_bindgen_test]
fn refusals_name_the_evaluations_by_number() {
    let body = r#"{"title":"Unprocessable Content","status":422,
        "detail":"2 selected evaluations cannot take this decision; nothing was changed",
        "errors":[
            {"field":"evaluation_ids[0]","code":"not_applicable","message":"PJ1 is deleted: it cannot be deleted"},
            {"field":"evaluation_ids[2]","code":"unknown","message":"no evaluation has the id 99"},
            {"field":"evaluation_ids[1]","code":"odd","message":"something else"},
            {"field":"reason","code":"required","message":"give a reason"}
        ]}"#;
    let error = error_from_response(422, Some("application/problem+json"), None, body);
    let targets = vec![
        (1, "PJ1".to_owned()),
        (2, "PJ2".to_owned()),
        (99, "PJ99".to_owned()),
    ];
    assert_eq!(
        per_id_problems(&error, &targets),
        vec![
            ("PJ1".to_owned(), IdProblem::NotApplicable),
            ("PJ99".to_owned(), IdProblem::Unknown),
            (
                "PJ2".to_owned(),
                IdProblem::Other("something else".to_owned())
            ),
        ]
    );
    assert!(per_id_problems(&ApiError::Forbidden, &targets).is_empty());
}

#[wasm_bindgen_test]
fn term_errors_are_read_by_code() {
    assert_eq!(TermProblem::from_code("required", "x"), TermProblem::Blank);
    assert_eq!(
        TermProblem::from_code("too_long", "x"),
        TermProblem::TooLong
    );
    assert_eq!(
        TermProblem::from_code("duplicate", "x"),
        TermProblem::Duplicate
    );
    assert_eq!(
        TermProblem::from_code("control_character", "x"),
        TermProblem::ControlCharacter
    );
    assert_eq!(
        TermProblem::from_code("weird", "server words"),
        TermProblem::Other("server words".to_owned())
    );
}

#[wasm_bindgen_test]
fn the_audit_log_names_actions_and_targets_and_keeps_its_filters_in_the_address() {
    assert_eq!(
        action_label(Locale::zh_CN, "evaluation.deleted"),
        Some("删除评价")
    );
    assert_eq!(
        action_label(Locale::en, "evaluation.flagged"),
        Some("Evaluation flagged")
    );
    assert_eq!(action_label(Locale::zh_CN, "robot.dance"), None);
    for kind in TARGET_TYPES {
        assert!(target_type_label(Locale::zh_CN, kind).is_some(), "{kind}");
        assert!(target_type_label(Locale::en, kind).is_some(), "{kind}");
    }
    let query = AuditQuery {
        action: Some("evaluation.deleted".to_owned()),
        actor: Some(" 梁 ".to_owned()),
        target_type: Some("evaluation".to_owned()),
        target_id: Some(String::new()),
        page: 3,
        ..AuditQuery::default()
    };
    assert_eq!(
        audit_href(&query),
        "/admin/audit?action=evaluation.deleted&actor=%E6%A2%81&target_type=evaluation&page=3"
    );
    assert_eq!(audit_href(&AuditQuery::default()), "/admin/audit");

    // An entry's details in words, codes too.
    let mut lines = detail_lines(
        &serde_json::json!({
            "reason": "刷单",
            "batch": 3,
            "rules": ["brushing_burst"],
        }),
        pingjia_domain::Lang::En,
    );
    lines.sort();
    assert_eq!(lines[0], ("Batch size".to_owned(), "3".to_owned()));
    assert_eq!(lines[1], ("Reason".to_owned(), "刷单".to_owned()));
    assert_eq!(lines[2].0, "Rules");
    assert_eq!(lines[2].1, "Suspected brushing: a burst of evaluations");
    assert!(detail_lines(&serde_json::Value::Null, pingjia_domain::Lang::En).is_empty());
}
