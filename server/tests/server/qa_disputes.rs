//! Disputes of a QA score (issue 25): the agent disputes an item within the working-day window
//! (a holiday does not count), another inspector (never the original one) changes it, the
//! inspection keeps its versions and the plan report's QA and composite scores follow the
//! decided version; one dispute per inspection; nobody else files or reads one.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::qa::{
    Dispute, DisputeForm, DisputeOutcome, DisputePage, DisputeStatus, InspectionSheet,
    InspectionVersion, ItemResult, MyQa, PlanDetail, PlanReport, RectificationStatus, SamplePage,
    TeamInspectionPage,
};
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{Staffed, body_json, codes, problem};

fn start() -> DateTime<Utc> {
    // A Friday, 10:00 in Shanghai.
    "2026-11-20T02:00:00Z".parse().unwrap()
}

/// Every item of template 1 compliant except item 2 (耐心倾听), not compliant, rectified by
/// `owner`; every dimension 4 except 服务态度, 2: QA score 3.6.
fn inspection(owner: i64) -> Value {
    let answers: Vec<Value> = (1..=14)
        .map(|item| match item {
            2 => json!({ "item_id": 2, "result": "non_compliant", "problem": "打断客户" }),
            _ => json!({ "item_id": item, "result": "compliant" }),
        })
        .collect();
    json!({
        "answers": answers,
        "scores": [
            { "dimension_id": 1, "score": 2 },
            { "dimension_id": 2, "score": 4 },
            { "dimension_id": 3, "score": 4 },
            { "dimension_id": 4, "score": 4 },
            { "dimension_id": 5, "score": 4 },
        ],
        "rectifications": [{ "item_id": 2, "owner_id": owner, "deadline": "2026-11-27" }],
    })
}

struct Setup {
    t: Staffed,
    plan: i64,
    /// Each inspected sample and its inspector.
    samples: Vec<(i64, i64)>,
}

async fn send(
    t: &Staffed,
    user: i64,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> Response<Body> {
    t.call(user, method, uri, body).await
}

/// Two records of the agent ended on the 19th, one rated 4.8 by the customer; a plan over
/// them inspected by its inspectors (QA inspector and admin) at `start`.
async fn setup() -> Setup {
    let t = Staffed::at(start()).await;
    let p = &t.people;
    let ended: DateTime<Utc> = "2026-11-19T03:00:00Z".parse().unwrap();
    let mut records = Vec::new();
    for i in 0..2 {
        records.push(
            t.app
                .service_record(
                    p.member,
                    p.agent,
                    "online_chat",
                    ended + Duration::minutes(i),
                )
                .await,
        );
    }
    let rated = send(
        &t,
        p.member,
        Method::POST,
        "/api/v1/evaluations",
        Some(json!({
            "service_record_id": records[0],
            "scores": { "attitude": 5, "professionalism": 5, "responsiveness": 4,
                        "resolution": 5, "compliance": 5 },
            "overall": 9,
        })),
    )
    .await;
    assert_eq!(rated.status(), StatusCode::CREATED);
    let created = send(
        &t,
        p.qa,
        Method::POST,
        "/api/v1/qa/plans",
        Some(json!({
            "name": "11 月巡检", "from": "2026-11-01", "to": "2026-11-19", "template_id": 1,
            "strata": [], "inspector_ids": [p.qa, p.admin], "seed": 7,
        })),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let plan: PlanDetail = serde_json::from_value(body_json(created).await).unwrap();
    let page: SamplePage = t
        .ok(
            p.qa,
            Method::GET,
            &format!("/api/v1/qa/plans/{}/samples", plan.plan.id),
            None,
        )
        .await;
    let mut samples = Vec::new();
    for s in &page.samples {
        let uri = format!("/api/v1/qa/samples/{}/inspection", s.id);
        let saved = send(
            &t,
            s.inspector.id,
            Method::PUT,
            &uri,
            Some(inspection(p.agent)),
        )
        .await;
        assert_eq!(saved.status(), StatusCode::OK);
        samples.push((s.id, s.inspector.id));
    }
    assert_eq!(samples.len(), 2);
    Setup {
        plan: plan.plan.id,
        t,
        samples,
    }
}

fn dispute_uri(sample: i64) -> String {
    format!("/api/v1/me/qa/samples/{sample}/dispute")
}

fn reason(item: i64) -> Value {
    json!({ "items": [{ "item_id": item, "reason": "客户先打断了我，我没有打断客户" }] })
}

#[tokio::test]
async fn a_changed_item_is_a_new_version_and_the_report_follows_the_decided_one() {
    let s = setup().await;
    let (t, p) = (&s.t, &s.t.people);
    let (sample, inspector) = s.samples[0];
    let reviewer = if inspector == p.qa { p.admin } else { p.qa };

    let form: DisputeForm = t.ok(p.agent, Method::GET, &dispute_uri(sample), None).await;
    assert_eq!(form.items.len(), 14);
    assert!(form.may_file && form.dispute.is_none());
    // Friday + 5 working days (no holiday): the next Friday.
    assert_eq!(form.last_day.to_string(), "2026-11-27");

    // Another agent neither reads nor files it; a QA inspector has no such route of theirs.
    for method in [Method::GET, Method::POST] {
        let body = (method == Method::POST).then(|| reason(2));
        let refused = send(t, p.other_agent, method, &dispute_uri(sample), body).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    }
    let refused = send(t, p.qa, Method::POST, &dispute_uri(sample), Some(reason(2))).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Bad input: field by field.
    let empty = send(
        t,
        p.agent,
        Method::POST,
        &dispute_uri(sample),
        Some(json!({ "items": [] })),
    )
    .await;
    assert_eq!(codes(&problem(empty, 422).await), [("items", "required")]);
    let bad =
        json!({ "items": [{ "item_id": 99, "reason": "x" }, { "item_id": 2, "reason": " " }] });
    let bad = send(t, p.agent, Method::POST, &dispute_uri(sample), Some(bad)).await;
    assert_eq!(
        codes(&problem(bad, 422).await),
        [
            ("items.99.item_id", "unknown"),
            ("items.2.reason", "required")
        ]
    );

    let filed = send(
        t,
        p.agent,
        Method::POST,
        &dispute_uri(sample),
        Some(reason(2)),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let filed: Dispute = serde_json::from_value(body_json(filed).await).unwrap();
    assert_eq!(filed.status, DisputeStatus::Open);
    assert_eq!(filed.inspector.id, inspector);
    assert_eq!(filed.items[0].result_before, ItemResult::NonCompliant);
    assert_eq!(filed.qa_score_before, 3.6);
    // One dispute per inspection.
    let again = send(
        t,
        p.agent,
        Method::POST,
        &dispute_uri(sample),
        Some(reason(3)),
    )
    .await;
    assert_eq!(
        problem(again, 409).await.code.as_deref(),
        Some("dispute_exists")
    );
    // Disputed, the inspection changes only by the decision: its inspector cannot save it
    // again (that would undo a decided change).
    let resaved = send(
        t,
        inspector,
        Method::PUT,
        &format!("/api/v1/qa/samples/{sample}/inspection"),
        Some(inspection(p.agent)),
    )
    .await;
    assert_eq!(
        problem(resaved, 409).await.code.as_deref(),
        Some("inspection_locked")
    );

    // The reviewers' list: open ones, and who may decide.
    let uri = format!("/api/v1/qa/disputes/{}", filed.id);
    let mine: Dispute = t.ok(inspector, Method::GET, &uri, None).await;
    assert!(!mine.may_decide, "the original inspector may not decide");
    let listed: DisputePage = t
        .ok(
            reviewer,
            Method::GET,
            "/api/v1/qa/disputes?status=open",
            None,
        )
        .await;
    assert_eq!((listed.total, listed.open, listed.decided), (1, 1, 0));
    assert!(listed.disputes[0].may_decide);
    for query in ["per_page=101", "page=0"] {
        let bad = send(
            t,
            reviewer,
            Method::GET,
            &format!("/api/v1/qa/disputes?{query}"),
            None,
        )
        .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    }

    // The original inspector is refused; a bad decision names its fields.
    let decision = json!({ "items": [{
        "item_id": 2, "outcome": "changed", "result": "compliant", "score": 4,
        "reason": "复听录音：客户先打断",
    }] });
    let decide = format!("/api/v1/qa/disputes/{}/decision", filed.id);
    let own = send(t, inspector, Method::POST, &decide, Some(decision.clone())).await;
    let own = problem(own, 409).await;
    assert_eq!(own.code.as_deref(), Some("own_inspection"));
    let bad = json!({ "items": [{ "item_id": 2, "outcome": "changed", "result": "non_compliant", "reason": "" }] });
    let bad = send(t, reviewer, Method::POST, &decide, Some(bad)).await;
    assert_eq!(
        codes(&problem(bad, 422).await),
        [
            ("items.2.result", "unchanged"),
            ("items.2.reason", "required")
        ]
    );

    let decided: Dispute = t
        .ok(reviewer, Method::POST, &decide, Some(decision.clone()))
        .await;
    assert_eq!(decided.status, DisputeStatus::Decided);
    assert_eq!(decided.decided_by.as_ref().map(|d| d.id), Some(reviewer));
    assert_eq!(decided.items[0].outcome, Some(DisputeOutcome::Changed));
    // 服务态度 2 → 4: every dimension 4.
    assert_eq!(decided.qa_score_after, Some(4.0));
    let twice = send(t, reviewer, Method::POST, &decide, Some(decision)).await;
    assert_eq!(
        problem(twice, 409).await.code.as_deref(),
        Some("dispute_decided")
    );

    // The versions: the original still readable, then the decided one.
    let versions: Vec<InspectionVersion> = t
        .ok(
            reviewer,
            Method::GET,
            &format!("/api/v1/qa/samples/{sample}/versions"),
            None,
        )
        .await;
    assert_eq!(versions.len(), 2);
    let item2 = |v: &InspectionVersion| v.answers.iter().find(|a| a.item_id == 2).unwrap().result;
    assert_eq!(
        (versions[0].version, item2(&versions[0])),
        (1, ItemResult::NonCompliant)
    );
    assert_eq!(versions[0].saved_by.id, inspector);
    assert_eq!(versions[0].qa_score, 3.6);
    assert_eq!(
        (versions[1].version, item2(&versions[1])),
        (2, ItemResult::Compliant)
    );
    assert_eq!(
        (versions[1].saved_by.id, versions[1].dispute_id),
        (reviewer, Some(filed.id))
    );

    // The rectification of the item now compliant is closed with the decision's reason.
    let status: String = sql::query_scalar(
        "SELECT x.status FROM qa_rectifications x JOIN qa_inspections i ON i.id = x.inspection_id
         WHERE i.sample_id = ? AND x.item_id = 2",
    )
    .bind(sample)
    .fetch_one(&t.app.state.pool)
    .await
    .unwrap();
    assert_eq!(status, RectificationStatus::Closed.as_str());

    // The report: QA score (3.6 + 4.0) / 2 = 3.8; composite 4.8 × 60 % + 3.8 × 40 % = 4.4.
    let report: PlanReport = t
        .ok(
            p.qa,
            Method::GET,
            &format!("/api/v1/qa/plans/{}/report", s.plan),
            None,
        )
        .await;
    assert_eq!(report.qa_score, Some(3.8));
    assert_eq!(report.composite, Some(4.4));
    assert_eq!(report.agents[0].composite, Some(4.4));
    let by = report
        .dispute_inspectors
        .iter()
        .find(|r| r.inspector.id == inspector)
        .unwrap();
    assert_eq!((by.disputed, by.changed), (1, 1));
    assert_eq!(report.dispute_items.len(), 1);
    let item = &report.dispute_items[0];
    assert_eq!(
        (item.item_id, item.inspected, item.disputed, item.changed),
        (2, 2, 1, 1)
    );
    let csv = t
        .app
        .call_as(
            p.qa,
            Method::GET,
            &format!("/api/v1/qa/plans/{}/report.csv", s.plan),
            None,
        )
        .await;
    let text = crate::common::body_text(csv).await;
    assert!(text.contains("申诉 Disputes"), "{text}");
    assert!(text.contains("耐心倾听,,2,1,50.0%,1"), "{text}");

    // The agent sees its state on their own page; it cannot be filed again.
    let mine: MyQa = t.ok(p.agent, Method::GET, "/api/v1/me/qa", None).await;
    let states: Vec<_> = mine
        .inspections
        .iter()
        .map(|i| (i.sample.id, i.dispute))
        .collect();
    assert!(
        states.contains(&(sample, Some(DisputeStatus::Decided))),
        "{states:?}"
    );
    let form: DisputeForm = t.ok(p.agent, Method::GET, &dispute_uri(sample), None).await;
    assert!(!form.may_file);
    assert_eq!(form.dispute.map(|d| d.status), Some(DisputeStatus::Decided));
}

#[tokio::test]
async fn the_window_counts_working_days_past_a_holiday() {
    let mut s = setup().await;
    let p = s.t.people;
    // Two working days; Monday the 23rd a holiday: the last day is Wednesday the 25th.
    let settings = send(
        &s.t,
        p.admin,
        Method::PUT,
        "/api/v1/settings",
        Some(json!({ "qa_dispute_working_days": 2 })),
    )
    .await;
    assert!(settings.status().is_success());
    let holiday = json!({ "kind": "holiday", "name": "公司周年" });
    let set = send(
        &s.t,
        p.admin,
        Method::PUT,
        "/api/v1/calendar/2026-11-23",
        Some(holiday),
    )
    .await;
    assert!(set.status().is_success());
    let form: DisputeForm =
        s.t.ok(p.agent, Method::GET, &dispute_uri(s.samples[0].0), None)
            .await;
    assert_eq!(form.last_day.to_string(), "2026-11-25");

    // 23:59 on Wednesday in Shanghai: accepted.
    s.t.app
        .advance("2026-11-25T15:59:00Z".parse::<DateTime<Utc>>().unwrap() - start());
    let filed = send(
        &s.t,
        p.agent,
        Method::POST,
        &dispute_uri(s.samples[0].0),
        Some(reason(2)),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    // 00:01 on Thursday: refused.
    s.t.app.advance(Duration::minutes(2));
    let late = send(
        &s.t,
        p.agent,
        Method::POST,
        &dispute_uri(s.samples[1].0),
        Some(reason(2)),
    )
    .await;
    assert_eq!(
        problem(late, 409).await.code.as_deref(),
        Some("dispute_window_closed")
    );
    let form: DisputeForm =
        s.t.ok(p.agent, Method::GET, &dispute_uri(s.samples[1].0), None)
            .await;
    assert!(!form.may_file);
}

#[tokio::test]
async fn the_team_lead_files_for_their_agent_and_nobody_else_reads_it() {
    let s = setup().await;
    let p = s.t.people;
    let (sample, _) = s.samples[0];
    let filed = send(
        &s.t,
        p.lead,
        Method::POST,
        &dispute_uri(sample),
        Some(reason(2)),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let filed: Dispute = serde_json::from_value(body_json(filed).await).unwrap();
    assert_eq!((filed.filed_by.id, filed.agent.id), (p.lead, p.agent));
    // The agent sees it; another agent does not; agents do not reach the reviewers' routes.
    let form: DisputeForm =
        s.t.ok(p.agent, Method::GET, &dispute_uri(sample), None)
            .await;
    assert_eq!(form.dispute.map(|d| d.id), Some(filed.id));
    let other = send(&s.t, p.other_agent, Method::GET, &dispute_uri(sample), None).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    for uri in [
        "/api/v1/qa/disputes".to_owned(),
        format!("/api/v1/qa/disputes/{}", filed.id),
        format!("/api/v1/qa/samples/{sample}/versions"),
    ] {
        let refused = send(&s.t, p.agent, Method::GET, &uri, None).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{uri}");
    }
    let decide = format!("/api/v1/qa/disputes/{}/decision", filed.id);
    let body = json!({ "items": [{ "item_id": 2, "outcome": "upheld", "reason": "属实" }] });
    let refused = send(&s.t, p.agent, Method::POST, &decide, Some(body)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_decision_finding_a_compliant_item_wanting_opens_its_rectification() {
    let s = setup().await;
    let (t, p) = (&s.t, &s.t.people);
    let (sample, inspector) = s.samples[0];
    let reviewer = if inspector == p.qa { p.admin } else { p.qa };
    // The agent disputes item 2 (not compliant) and item 3 (compliant, but its dimension's
    // score); the reviewer upholds the first and finds the second partly compliant.
    let items = json!({ "items": [
        { "item_id": 2, "reason": "客户先打断了我" },
        { "item_id": 3, "reason": "该维度评分过低" },
    ] });
    let filed = send(t, p.agent, Method::POST, &dispute_uri(sample), Some(items)).await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let filed: Dispute = serde_json::from_value(body_json(filed).await).unwrap();
    let decision = json!({ "items": [
        { "item_id": 2, "outcome": "upheld", "reason": "录音属实" },
        { "item_id": 3, "outcome": "changed", "result": "partly", "reason": "复听录音：未复述客户问题" },
    ] });
    let decide = format!("/api/v1/qa/disputes/{}/decision", filed.id);
    let _: Dispute = t.ok(reviewer, Method::POST, &decide, Some(decision)).await;

    // Item 3 now has an open rectification, owned by the agent until the deadline an
    // inspection offers; item 2 keeps its own, untouched.
    let sheet: InspectionSheet = t
        .ok(
            reviewer,
            Method::GET,
            &format!("/api/v1/qa/samples/{sample}"),
            None,
        )
        .await;
    let inspection = sheet.inspection.unwrap();
    let rect = |item: i64| {
        (inspection.rectifications.iter())
            .find(|r| r.item_id == item)
            .unwrap_or_else(|| panic!("a rectification of item {item}"))
    };
    let opened = rect(3);
    assert_eq!(opened.status, RectificationStatus::Open);
    assert_eq!(opened.owner.id, p.agent);
    assert_eq!(opened.deadline, sheet.default_deadline);
    assert_eq!(opened.result_found, ItemResult::Partly);
    assert_eq!(opened.problem, "复听录音：未复述客户问题");
    assert_eq!(rect(2).status, RectificationStatus::Open);
    assert_eq!(inspection.rectifications.len(), 2);
    // As one assigned when an inspection is saved: its event, once.
    let events: i64 = sql::query_scalar("SELECT COUNT(*) FROM events WHERE dedupe_key = ?")
        .bind(format!("rectification.assigned:{}", opened.id))
        .fetch_one(&t.app.state.pool)
        .await
        .unwrap();
    assert_eq!(events, 1);
    // The agent finds it among the rectifications awaiting their report.
    let mine: MyQa = t.ok(p.agent, Method::GET, "/api/v1/me/qa", None).await;
    assert!(mine.rectifications.iter().any(|r| r.id == opened.id));
}

#[tokio::test]
async fn the_lead_lists_the_teams_inspections_what_may_be_disputed_first() {
    let mut s = setup().await;
    let p = s.t.people;
    let list = "/api/v1/team/qa/inspections";
    let page: TeamInspectionPage = s.t.ok(p.lead, Method::GET, list, None).await;
    assert_eq!((page.total, page.disputable), (2, 2));
    assert!(page.agents.iter().any(|a| a.id == p.agent));
    assert!(!page.agents.iter().any(|a| a.id == p.other_agent));
    for i in &page.inspections {
        assert!(i.may_dispute && i.dispute.is_none());
        // Saved Friday the 20th: five working days, until the next Friday.
        assert_eq!(i.last_day.to_string(), "2026-11-27");
    }

    // The lead files for the agent: the other one comes first now.
    let (first, second) = (s.samples[0].0, s.samples[1].0);
    let filed = send(
        &s.t,
        p.lead,
        Method::POST,
        &dispute_uri(first),
        Some(reason(2)),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    let page: TeamInspectionPage = s.t.ok(p.lead, Method::GET, list, None).await;
    assert_eq!((page.total, page.disputable), (2, 1));
    let order: Vec<_> = (page.inspections.iter())
        .map(|i| (i.sample.id, i.may_dispute, i.dispute))
        .collect();
    assert_eq!(
        order,
        [
            (second, true, None),
            (first, false, Some(DisputeStatus::Open))
        ]
    );
    let only: TeamInspectionPage =
        s.t.ok(
            p.lead,
            Method::GET,
            &format!("{list}?disputable=true"),
            None,
        )
        .await;
    assert_eq!((only.total, only.all, only.disputable), (1, 2, 1));
    assert_eq!(only.inspections[0].sample.id, second);

    // The filters: the agent, the days of saving, the page.
    let agent: TeamInspectionPage =
        s.t.ok(
            p.lead,
            Method::GET,
            &format!("{list}?agent_id={}", p.agent),
            None,
        )
        .await;
    assert_eq!(agent.total, 2);
    let later: TeamInspectionPage =
        s.t.ok(
            p.lead,
            Method::GET,
            &format!("{list}?from=2026-11-21"),
            None,
        )
        .await;
    assert_eq!((later.total, later.inspections.len()), (0, 0));
    let that_day: TeamInspectionPage =
        s.t.ok(
            p.lead,
            Method::GET,
            &format!("{list}?from=2026-11-20&to=2026-11-20"),
            None,
        )
        .await;
    assert_eq!(that_day.total, 2);
    let second_page: TeamInspectionPage =
        s.t.ok(
            p.lead,
            Method::GET,
            &format!("{list}?per_page=1&page=2"),
            None,
        )
        .await;
    assert_eq!((second_page.total, second_page.inspections.len()), (2, 1));
    assert_eq!(second_page.inspections[0].sample.id, first);
    let backwards = send(
        &s.t,
        p.lead,
        Method::GET,
        &format!("{list}?from=2026-11-21&to=2026-11-20"),
        None,
    )
    .await;
    assert_eq!(codes(&problem(backwards, 422).await), [("to", "order")]);
    // Another team's agent is none of the lead's.
    let other = send(
        &s.t,
        p.lead,
        Method::GET,
        &format!("{list}?agent_id={}", p.other_agent),
        None,
    )
    .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    // Only leads.
    for user in [p.agent, p.qa, p.admin] {
        let refused = send(&s.t, user, Method::GET, list, None).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }

    // Past the window nothing may be disputed; the newest first.
    s.t.app.advance(Duration::days(8));
    let late: TeamInspectionPage = s.t.ok(p.lead, Method::GET, list, None).await;
    assert_eq!((late.total, late.disputable), (2, 0));
    assert!(late.inspections.iter().all(|i| !i.may_dispute));
    let none: TeamInspectionPage =
        s.t.ok(
            p.lead,
            Method::GET,
            &format!("{list}?disputable=true"),
            None,
        )
        .await;
    assert_eq!(none.total, 0);
}
