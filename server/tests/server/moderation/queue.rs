//! The review queue of [`super`]: its filters, bulk decisions and undoing them, what the
//! customer still sees, the audit log page, and who reaches them.

use super::*;
use pingjia_server::db::sql;

#[tokio::test]
async fn the_queue_filters_by_status_rule_agent_and_period() {
    let mut t = Moderation::new().await;
    let p = t.people;
    let fast = with(ordinary(0), "form_seconds", json!(2));
    let a = t.rate(p.member, p.agent, fast.clone()).await;
    let b = t
        .rate(
            p.customer,
            p.other_agent,
            with(ordinary(0), "scores", scores([1; 5])),
        )
        .await;
    t.app.advance(Duration::days(1));
    let c = t.rate(p.customer, p.agent, fast).await;

    let all = t.queue("").await;
    assert_eq!(numbers(&all), [&a, &b, &c]);
    assert_eq!(all.total, 3);
    let page = t.queue("?per_page=2&page=2").await;
    assert_eq!((numbers(&page), page.total), (vec![c.as_str()], 3));
    assert_eq!(numbers(&t.queue("?rule=too_fast").await), [&a, &c]);
    assert_eq!(numbers(&t.queue("?rule=extreme").await), [&b]);
    assert_eq!(t.queue("?rule=abusive").await.total, 0);
    assert_eq!(
        numbers(&t.queue(&format!("?agent_id={}", p.agent)).await),
        [&a, &c]
    );
    assert_eq!(
        numbers(&t.queue("?from=2026-11-23&to=2026-11-23").await),
        [&c]
    );
    assert_eq!(numbers(&t.queue("?to=2026-11-22").await), [&a, &b]);
    assert_eq!(
        numbers(
            &t.queue(&format!(
                "?rule=too_fast&agent_id={}&from=2026-11-22&to=2026-11-22",
                p.agent
            ))
            .await
        ),
        [&a]
    );
    assert_eq!(t.queue("?status=deleted").await.total, 0);
    assert_eq!(t.queue("?status=kept").await.total, 0);

    let response = t.get("/api/v1/moderation/queue?rule=nonsense").await;
    problem(response, 400).await;
    let response = t
        .get("/api/v1/moderation/queue?from=2026-11-23&to=2026-11-22&per_page=500")
        .await;
    assert_eq!(fields(&problem(response, 422).await), ["per_page", "to"]);

    assert_eq!(
        t.decide(&[&b], "delete", "恶意差评").await.status(),
        StatusCode::OK
    );
    assert_eq!(numbers(&t.queue("").await), [&a, &c]);
    let deleted = t.queue("?status=deleted").await;
    assert_eq!(numbers(&deleted), [&b]);
    assert_eq!(deleted.items[0].status, ModerationStatus::Deleted);
}

#[tokio::test]
async fn with_an_agent_filter_the_queue_says_what_the_statistics_count_of_them() {
    let t = Moderation::new().await;
    let p = t.people;
    // 4.2 and 1.0 (extreme, so flagged): both counted until a decision says otherwise.
    t.rate(p.member, p.agent, ordinary(0)).await;
    let low = t
        .rate(
            p.customer,
            p.agent,
            with(
                with(ordinary(0), "scores", scores([1; 5])),
                "overall",
                json!(1),
            ),
        )
        .await;
    let standing = |page: ReviewPage| {
        let agent = page
            .agent
            .expect("an agent filter gives the agent's standing");
        (
            agent.agent_id,
            agent.counted,
            agent.average_total.map(|a| (a * 100.0).round() / 100.0),
        )
    };
    let filter = format!("?agent_id={}", p.agent);
    assert_eq!(standing(t.queue(&filter).await), (p.agent, 2, Some(2.6)));
    assert!(t.queue("").await.agent.is_none(), "no agent, no standing");

    assert_eq!(
        t.decide(&[&low], "delete", "恶意差评").await.status(),
        StatusCode::OK
    );
    assert_eq!(standing(t.queue(&filter).await), (p.agent, 1, Some(4.2)));
    assert_eq!(
        t.decide(&[&low], "restore", "复核后确认真实")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(standing(t.queue(&filter).await), (p.agent, 2, Some(2.6)));

    // An agent without evaluations: nothing counted, no average.
    let other = format!("?agent_id={}", p.other_agent);
    assert_eq!(standing(t.queue(&other).await), (p.other_agent, 0, None));
}

#[tokio::test]
async fn a_bulk_decision_is_all_or_nothing_and_can_be_undone() {
    let t = Moderation::new().await;
    let p = t.people;
    let a = t.rate_too_fast(p.member, p.agent).await;
    let b = t.rate_too_fast(p.customer, p.agent).await;
    let c = t.rate_too_fast(p.member, p.other_agent).await;
    let (ia, ib, ic) = (t.id(&a).await, t.id(&b).await, t.id(&c).await);
    let audit_before = t.count("SELECT COUNT(*) FROM audit_log").await;

    // One unknown id: nothing changes.
    let response = t.decide_ids(&[ia, ib, 999_999], "delete", "刷单").await;
    let doc = problem(response, 422).await;
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.errors[0].field, "evaluation_ids[2]");
    assert_eq!(doc.errors[0].code, "unknown");
    // Restoring what is not deleted does not apply.
    let response = t.decide_ids(&[ia], "restore", "误判").await;
    let doc = problem(response, 422).await;
    assert_eq!(doc.errors[0].code, "not_applicable");
    // A reason is required.
    let response = t.decide_ids(&[ia], "delete", "   ").await;
    assert_eq!(problem(response, 422).await.errors[0].field, "reason");
    let response = t.decide_ids(&[], "delete", "刷单").await;
    assert_eq!(
        problem(response, 422).await.errors[0].field,
        "evaluation_ids"
    );
    for number in [&a, &b, &c] {
        assert_eq!(t.status(number).await, "under_review");
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM moderation_decisions").await,
        0
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );

    // The agent's average, as statistics count it.
    let average = |agent: i64| {
        let sql = format!(
            "SELECT AVG(e.total_score) FROM evaluations e WHERE e.agent_id = {agent} AND {COUNTED}"
        );
        let pool = t.app.state.pool.clone();
        async move {
            sql::query_scalar::<Option<f64>>(&sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        average(p.agent).await,
        Some(4.2),
        "under review still counts"
    );

    let response = t.decide_ids(&[ia, ib, ia], "delete", "  刷单嫌疑  ").await;
    assert_eq!(response.status(), StatusCode::OK);
    let outcome: DecisionOutcome = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(outcome.reason, "刷单嫌疑");
    assert_eq!(outcome.evaluations.len(), 2, "repeats count once");
    assert_eq!(outcome.evaluations[0].number, a);
    assert_eq!(
        outcome.evaluations[0].previous_status,
        ModerationStatus::UnderReview
    );
    assert_eq!(outcome.evaluations[0].status, ModerationStatus::Deleted);
    assert_eq!(t.status(&a).await, "deleted");
    assert_eq!(t.status(&b).await, "deleted");
    assert_eq!(t.status(&c).await, "under_review");
    assert_eq!(
        average(p.agent).await,
        None,
        "deleted ones are out of every statistic"
    );
    crate::sums::assert_sums_agree(&t.app.state.pool).await;
    assert_eq!(
        t.count("SELECT COUNT(*) FROM evaluations").await,
        3,
        "never erased"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'evaluation.deleted'")
            .await,
        2,
        "one entry per evaluation"
    );

    // Keeping a deleted one does not apply; restoring it does.
    let response = t.decide_ids(&[ia], "keep", "正常").await;
    assert_eq!(
        problem(response, 422).await.errors[0].code,
        "not_applicable"
    );
    let response = t.decide_ids(&[ia], "restore", "复核后确认真实").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(t.status(&a).await, "active");
    assert_eq!(average(p.agent).await, Some(4.2), "counted again");
    crate::sums::assert_sums_agree(&t.app.state.pool).await;
    let response = t.decide_ids(&[ic], "keep", "确认真实").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(t.status(&c).await, "active");

    let detail = t.detail(&a).await;
    assert_eq!(detail.item.status, ModerationStatus::Active);
    assert_eq!(
        detail.item.reasons[0].rule,
        AnomalyRule::TooFast,
        "flags stay"
    );
    let history: Vec<(&str, &str)> = detail
        .decisions
        .iter()
        .map(|d| (d.reason.as_str(), d.decided_by_name.as_str()))
        .collect();
    assert_eq!(
        history,
        [("刷单嫌疑", "梁志远"), ("复核后确认真实", "梁志远")]
    );
    assert_eq!(
        detail.item.last_decision.as_ref().unwrap().reason,
        "复核后确认真实"
    );
    assert_eq!(numbers(&t.queue("?status=kept").await), [&c, &a]);
    assert_eq!(numbers(&t.queue("?status=deleted").await), [&b]);
    assert_eq!(t.queue("").await.total, 0);
}

#[tokio::test]
async fn the_customer_still_sees_a_deleted_evaluation_as_recorded() {
    let t = Moderation::new().await;
    let p = t.people;
    let number = t.deleted_too_fast(p.member, p.agent).await;
    let cookie = t.app.session(p.member).await;
    let response = t
        .app
        .request(empty_request(
            Method::GET,
            &format!("/api/v1/evaluations/{number}"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let evaluation = body_json(response).await;
    assert_eq!(evaluation["status"], "recorded");
    assert!(evaluation.get("flags").is_none() && evaluation.get("reasons").is_none());
    let history = body_json(
        t.app
            .request(empty_request(
                Method::GET,
                "/api/v1/me/evaluations",
                Some(&cookie),
            ))
            .await,
    )
    .await;
    assert_eq!(history["total"], 1);
    assert_eq!(history["evaluations"][0]["number"], number.as_str());
    assert_eq!(history["evaluations"][0]["status"], "recorded");
}

#[tokio::test]
async fn the_audit_log_page_lists_and_filters_everything() {
    let t = Moderation::new().await;
    let p = t.people;
    let number = t.deleted_too_fast(p.member, p.agent).await;
    assert_eq!(
        t.decide(&[&number], "restore", "误删").await.status(),
        StatusCode::OK
    );

    let client = &t;
    let page = |query: &'static str| async move {
        let response = client.get(&format!("/api/v1/audit-log{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        serde_json::from_value::<AuditLogPage>(body_json(response).await).unwrap()
    };
    let all = page("").await;
    let actions: Vec<&str> = all.entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "evaluation.restored",
            "evaluation.deleted",
            "evaluation.flagged",
            "evaluation.submitted"
        ],
        "newest first"
    );
    assert!(all.actions.contains(&"evaluation.flagged".to_owned()));
    let restored = &all.entries[0];
    assert_eq!(restored.actor_id, Some(p.admin));
    assert_eq!(restored.actor_name.as_deref(), Some("梁志远"));
    assert_eq!(restored.actor_no.as_deref(), Some("A0001"));
    assert_eq!(
        serde_json::to_value(restored.actor_role).unwrap(),
        json!("admin")
    );
    assert_eq!(restored.target_type.as_deref(), Some("evaluation"));
    assert_eq!(restored.target_id.as_deref(), Some(number.as_str()));
    assert_eq!(restored.details["reason"], "误删");
    assert_eq!(restored.details["old_status"], "deleted");
    assert_eq!(restored.details["new_status"], "active");
    assert!(restored.actor_ip.is_some());
    let flagged = &all.entries[2];
    assert_eq!(flagged.actor_id, None, "the system");
    assert_eq!(flagged.details["rules"], json!(["too_fast"]));

    assert_eq!(page("?action=evaluation.deleted").await.total, 1);
    assert_eq!(page("?action=evaluation.*").await.total, 4);
    assert_eq!(page("?actor=a0001").await.total, 2);
    assert_eq!(page("?actor=李").await.total, 1, "the member submitted");
    assert_eq!(
        page("?target_type=evaluation&per_page=1")
            .await
            .entries
            .len(),
        1
    );
    assert_eq!(page("?from=2026-11-23").await.total, 0);
    assert_eq!(page("?from=2026-11-22&to=2026-11-22").await.total, 4);
    let response = t.get("/api/v1/audit-log?per_page=0").await;
    problem(response, 422).await;
}

#[tokio::test]
async fn only_admins_reach_the_queue_decisions_terms_and_audit_log() {
    let t = Moderation::new().await;
    let p = t.people;
    let number = t.rate_too_fast(p.member, p.agent).await;
    let id = t.id(&number).await;
    let decision = json!({ "evaluation_ids": [id], "decision": "delete", "reason": "x" });
    for user in [p.member, p.agent, p.lead, p.qa] {
        let cookie = t.app.session(user).await;
        for uri in [
            "/api/v1/moderation/queue".to_owned(),
            format!("/api/v1/moderation/evaluations/{id}"),
            "/api/v1/moderation/terms".to_owned(),
            "/api/v1/audit-log".to_owned(),
        ] {
            let response = t
                .app
                .request(empty_request(Method::GET, &uri, Some(&cookie)))
                .await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{uri} as {user}");
        }
        let response = t
            .app
            .request(json_request(
                Method::POST,
                "/api/v1/moderation/decisions",
                Some(&cookie),
                &decision,
            ))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "decisions as {user}"
        );
        let response = t
            .app
            .request(json_request(
                Method::POST,
                "/api/v1/moderation/terms",
                Some(&cookie),
                &json!({ "term": "nice" }),
            ))
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "terms as {user}");
    }
    assert_eq!(t.status(&number).await, "under_review");
    assert_eq!(
        t.count("SELECT COUNT(*) FROM moderation_decisions").await,
        0
    );
}
