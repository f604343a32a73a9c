//! A QA plan's report anchored on a coaching session (issue 25, `coaching=`): about the
//! session's agent, the inspections of their services that ended in the 30 days before the
//! session against the 30 after (the improvement plan's windows), per dimension and item, the
//! after side once its window has passed; read by the session's lead, admins and QA
//! inspectors, nobody else; the session's page names the plan to read it in.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::feedback::{CoachingDetail, CoachingSession};
use pingjia_domain::qa::{PlanDetail, PlanReport, SamplePage};
use serde_json::{Value, json};

use crate::common::{Staffed, body_json, codes, problem};

/// Template 1's items all compliant and its dimensions all 4, but with `wanting` item 2 (耐心
///倾听, of 服务态度) not compliant and 服务态度 2.
fn inspection(wanting: bool, owner: i64) -> Value {
    let answers: Vec<Value> = (1..=14)
        .map(|item| match item {
            2 if wanting => {
                json!({ "item_id": 2, "result": "non_compliant", "problem": "打断客户" })
            }
            _ => json!({ "item_id": item, "result": "compliant" }),
        })
        .collect();
    let scores: Vec<Value> = (1..=5)
        .map(|d| json!({ "dimension_id": d, "score": if wanting && d == 1 { 2 } else { 4 } }))
        .collect();
    let rectifications = if wanting {
        json!([{ "item_id": 2, "owner_id": owner, "deadline": "2027-01-29" }])
    } else {
        json!([])
    };
    json!({ "answers": answers, "scores": scores, "rectifications": rectifications })
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[tokio::test]
async fn the_report_anchored_on_a_session_compares_the_agent_before_and_after_it() {
    // Thursday 12 November 2026, 10:00 in Shanghai: the lead coaches E1001 about a service of
    // the 10th; the admin coaches E2001 of the other team.
    let mut t = Staffed::at(at("2026-11-12T02:00:00Z")).await;
    let p = t.people;
    let before_record = (t.app)
        .service_record(p.member, p.agent, "online_chat", at("2026-11-10T03:00:00Z"))
        .await;
    let coach = |agent: &str| {
        json!({
            "agent_no": agent, "discussion": "倾听客户，不打断", "action": "复述客户的问题",
            "follow_up_date": "2026-11-26",
        })
    };
    let recorded = t
        .call(
            p.lead,
            Method::POST,
            "/api/v1/coaching",
            Some(coach("E1001")),
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::CREATED);
    let session: CoachingSession = serde_json::from_value(body_json(recorded).await).unwrap();
    let others = t
        .call(
            p.admin,
            Method::POST,
            "/api/v1/coaching",
            Some(coach("E2001")),
        )
        .await;
    assert_eq!(others.status(), StatusCode::CREATED);
    let others: CoachingSession = serde_json::from_value(body_json(others).await).unwrap();

    // 20 December: a service of the 25th too; a November plan inspects both, the one before
    // the session with item 2 not compliant, the one after all compliant.
    t.app.advance(Duration::days(38));
    let after_record = (t.app)
        .service_record(p.member, p.agent, "online_chat", at("2026-11-25T03:00:00Z"))
        .await;
    let created = t
        .call(
            p.qa,
            Method::POST,
            "/api/v1/qa/plans",
            Some(json!({
                "name": "11 月巡检", "from": "2026-11-01", "to": "2026-11-30", "template_id": 1,
                "strata": [], "inspector_ids": [p.qa], "seed": 7,
            })),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let plan: PlanDetail = serde_json::from_value(body_json(created).await).unwrap();
    let plan_id = plan.plan.id;
    let samples: SamplePage = t
        .ok(
            p.qa,
            Method::GET,
            &format!("/api/v1/qa/plans/{plan_id}/samples"),
            None,
        )
        .await;
    assert_eq!(samples.total, 2);
    for s in &samples.samples {
        let wanting = s.record_id == before_record;
        assert!(wanting || s.record_id == after_record);
        let uri = format!("/api/v1/qa/samples/{}/inspection", s.id);
        let saved = t.put(p.qa, &uri, inspection(wanting, p.agent)).await;
        assert_eq!(saved.status(), StatusCode::OK);
    }

    let uri = format!("/api/v1/qa/plans/{plan_id}/report?coaching={}", session.id);
    let report: PlanReport = t.ok(p.lead, Method::GET, &uri, None).await;
    let anchor = report.coaching.expect("anchored on the session");
    assert_eq!(anchor.session_id, session.id);
    assert_eq!(anchor.agent.id, p.agent);
    // The 30 whole days before the 12th, the 30 after it.
    assert_eq!(
        (
            anchor.before.first.to_string(),
            anchor.before.last.to_string()
        ),
        ("2026-10-13".to_owned(), "2026-11-11".to_owned())
    );
    assert_eq!(
        (
            anchor.after.first.to_string(),
            anchor.after.last.to_string()
        ),
        ("2026-11-13".to_owned(), "2026-12-12".to_owned())
    );
    assert!(anchor.after.complete);
    assert_eq!(
        (anchor.before.inspected, anchor.before.qa_score),
        (1, Some(3.6))
    );
    assert_eq!(
        (anchor.after.inspected, anchor.after.qa_score),
        (1, Some(4.0))
    );
    // Per dimension: after, with the before beside it.
    let attitude = &report.dimensions[0];
    assert_eq!(attitude.name_zh, "服务态度");
    assert_eq!((attitude.score, attitude.before), (Some(4.0), Some(2.0)));
    // Per item: 耐心倾听 not compliant before, compliant after.
    let listens = anchor.items.iter().find(|i| i.item_id == 2).unwrap();
    assert_eq!((listens.before, listens.after), (Some(0.0), Some(1.0)));
    assert_eq!(anchor.items.len(), 14);
    // Nothing of other agents: the plan's tables are empty.
    assert!(report.agents.is_empty() && report.teams.is_empty() && report.comparable.is_empty());
    assert!(report.problems.is_empty() && report.highlights.is_empty());

    // QA inspectors and admins read it too; the plan's report without the anchor is theirs.
    for user in [p.qa, p.admin] {
        let read: PlanReport = t.ok(user, Method::GET, &uri, None).await;
        assert_eq!(read.coaching.map(|c| c.session_id), Some(session.id));
    }
    let plain: PlanReport = t
        .ok(
            p.qa,
            Method::GET,
            &format!("/api/v1/qa/plans/{plan_id}/report"),
            None,
        )
        .await;
    assert!(plain.coaching.is_none());
    assert_eq!(plain.agents.len(), 1);

    // The lead reads no plan report but anchored on a session of their team; the agent none.
    let plain_uri = format!("/api/v1/qa/plans/{plan_id}/report");
    let refused = t.call(p.lead, Method::GET, &plain_uri, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let other_uri = format!("/api/v1/qa/plans/{plan_id}/report?coaching={}", others.id);
    let refused = t.call(p.lead, Method::GET, &other_uri, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = t.call(p.agent, Method::GET, &uri, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let missing = format!("/api/v1/qa/plans/{plan_id}/report?coaching=9999");
    let missing = t.call(p.qa, Method::GET, &missing, None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let both = t
        .call(p.qa, Method::GET, &format!("{uri}&compare={plan_id}"), None)
        .await;
    assert_eq!(codes(&problem(both, 422).await), [("coaching", "conflict")]);

    // The session's page names the plan to read it in, for the lead, not for the agent.
    let session_uri = format!("/api/v1/coaching/{}", session.id);
    let lead_view: CoachingDetail = t.ok(p.lead, Method::GET, &session_uri, None).await;
    assert_eq!(lead_view.qa_report_plan, Some(plan_id));
    let agent_view: CoachingDetail = t.ok(p.agent, Method::GET, &session_uri, None).await;
    assert_eq!(agent_view.qa_report_plan, None);

    // Before the after window has passed, only the before side.
    t.app.advance(Duration::days(-10));
    let early: PlanReport = t.ok(p.lead, Method::GET, &uri, None).await;
    let anchor = early.coaching.unwrap();
    assert!(!anchor.after.complete);
    assert_eq!((anchor.after.inspected, anchor.after.qa_score), (0, None));
    assert_eq!(anchor.before.qa_score, Some(3.6));
    assert_eq!(
        (early.dimensions[0].score, early.dimensions[0].before),
        (None, Some(2.0))
    );
}
