//! Notifications of coaching sessions and QA disputes (issue 25): the agent is told of a
//! session recorded with them and its coach of the acknowledgement; a dispute filed reaches
//! the QA inspectors and admins who may decide it, never the original inspector; the decision
//! reaches the agent (and the lead who filed it); the webhook and the chat robot that want
//! these events get a delivery each. Every test runs on a fixed clock.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::events::{EndpointDeliveryPage, EndpointSaved, EventType};
use pingjia_domain::feedback::CoachingSession;
use pingjia_domain::notifications::{Notification, NotificationPage};
use pingjia_domain::qa::{Dispute, PlanDetail, SamplePage};
use pingjia_server::db::sql;
use pingjia_server::services::events;
use serde_json::{Value, json};

use crate::common::{Staffed, body_json};

/// Friday 2026-11-20, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

impl Staffed {
    /// `user`'s notifications of `kind`, newest first.
    async fn told(&self, user: i64, kind: EventType) -> Vec<Notification> {
        let page: NotificationPage = self
            .ok(user, Method::GET, "/api/v1/me/notifications", None)
            .await;
        page.items
            .into_iter()
            .filter(|n| n.event_type == kind)
            .collect()
    }

    /// An endpoint of `kind` for `events`, saved by the admin.
    async fn wanting(&self, kind: &str, url: &str, events: &[&str]) -> EndpointSaved {
        let response = self
            .post(
                self.people.admin,
                "/api/v1/webhook-endpoints",
                json!({ "name": format!("{kind} 通知"), "kind": kind, "url": url,
                        "events": events }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// The request bodies queued for the endpoint `id`, oldest first.
    async fn queued(&self, id: i64) -> Vec<Value> {
        let page: EndpointDeliveryPage = self
            .ok(
                self.people.admin,
                Method::GET,
                &format!("/api/v1/webhook-endpoints/{id}/deliveries"),
                None,
            )
            .await;
        let mut bodies: Vec<Value> = page
            .items
            .iter()
            .map(|d| serde_json::from_str(&d.request_body).unwrap())
            .collect();
        bodies.reverse();
        bodies
    }

    /// A second QA inspector (`Q0002`): their id.
    async fn second_inspector(&self) -> i64 {
        sql::query_scalar(
            "INSERT INTO users (role, display_name, employee_no, created_at)
             VALUES ('qa_inspector', '周雨晴', 'Q0002', '2026-01-01T00:00:00Z') RETURNING id",
        )
        .fetch_one(&self.app.state.pool)
        .await
        .unwrap()
    }

    /// Two services of the agent ended yesterday, sampled in a plan and inspected by the QA
    /// inspector `Q0001`: the samples.
    async fn inspected(&self) -> Vec<i64> {
        let p = self.people;
        let ended: DateTime<Utc> = "2026-11-19T03:00:00Z".parse().unwrap();
        for i in 0..2 {
            self.app
                .service_record(
                    p.member,
                    p.agent,
                    "online_chat",
                    ended + Duration::minutes(i),
                )
                .await;
        }
        let created = self
            .post(
                p.qa,
                "/api/v1/qa/plans",
                json!({
                    "name": "11 月巡检", "from": "2026-11-01", "to": "2026-11-19",
                    "template_id": 1, "strata": [], "inspector_ids": [p.qa], "seed": 7,
                }),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let plan: PlanDetail = serde_json::from_value(body_json(created).await).unwrap();
        let page: SamplePage = self
            .ok(
                p.qa,
                Method::GET,
                &format!("/api/v1/qa/plans/{}/samples", plan.plan.id),
                None,
            )
            .await;
        let answers: Vec<Value> = (1..=14)
            .map(|item| match item {
                2 => json!({ "item_id": 2, "result": "non_compliant", "problem": "打断客户" }),
                _ => json!({ "item_id": item, "result": "compliant" }),
            })
            .collect();
        let scores: Vec<Value> = (1..=5)
            .map(|d| json!({ "dimension_id": d, "score": if d == 1 { 2 } else { 4 } }))
            .collect();
        let mut samples = Vec::new();
        for s in &page.samples {
            assert_eq!(s.inspector.id, p.qa);
            let saved = self
                .put(
                    p.qa,
                    &format!("/api/v1/qa/samples/{}/inspection", s.id),
                    json!({ "answers": answers, "scores": scores, "rectifications": [
                        { "item_id": 2, "owner_id": p.agent, "deadline": "2026-11-27" }] }),
                )
                .await;
            assert_eq!(saved.status(), StatusCode::OK);
            samples.push(s.id);
        }
        assert_eq!(samples.len(), 2);
        samples
    }

    /// `user` disputes item 2 of the inspection of `sample`: the dispute.
    async fn dispute(&self, user: i64, sample: i64) -> Dispute {
        let filed = self
            .post(
                user,
                &format!("/api/v1/me/qa/samples/{sample}/dispute"),
                json!({ "items": [{ "item_id": 2, "reason": "客户先打断了我" }] }),
            )
            .await;
        assert_eq!(filed.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(filed).await).unwrap()
    }

    /// `reviewer` changes item 2 of `dispute` to compliant.
    async fn decide(&self, reviewer: i64, dispute: i64) {
        let decided = self
            .post(
                reviewer,
                &format!("/api/v1/qa/disputes/{dispute}/decision"),
                json!({ "items": [{ "item_id": 2, "outcome": "changed",
                                    "result": "compliant", "reason": "录音显示客户先打断" }] }),
            )
            .await;
        assert_eq!(decided.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_agent_is_told_of_a_coaching_session_and_the_lead_of_its_acknowledgement() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let hook = t
        .wanting(
            "webhook",
            "http://127.0.0.1:9/hook",
            &["coaching.recorded", "coaching.acknowledged"],
        )
        .await;
    let recorded = t
        .post(
            p.lead,
            "/api/v1/coaching",
            json!({
                "agent_no": "E1001",
                "discussion": "开场白太生硬，结束语缺少确认",
                "targets": [{ "kind": "dimension", "code": "attitude" }],
                "action": "每天练习标准开场白与结束语",
                "follow_up_date": "2026-12-04",
            }),
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::CREATED);
    let session: CoachingSession = serde_json::from_value(body_json(recorded).await).unwrap();
    assert_eq!(events::fan_out(&t.app.state).await.unwrap(), 1);

    let told = t.told(p.agent, EventType::CoachingRecorded).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].link, format!("/coaching/{}", session.id));
    // The agent reads who coached them and when; the coach, whom.
    assert_eq!(told[0].subject, "林晓峰 · 2026-11-20");
    // Due the follow-up day (its start, China time).
    assert_eq!(
        told[0].due_at,
        Some("2026-12-03T16:00:00Z".parse().unwrap())
    );
    for other in [p.lead, p.qa, p.admin, p.other_agent] {
        assert!(t.told(other, EventType::CoachingRecorded).await.is_empty());
    }

    let ack = t
        .post(
            p.agent,
            &format!("/api/v1/coaching/{}/acknowledge", session.id),
            json!({ "comment": "明白，会每天练习" }),
        )
        .await;
    assert_eq!(ack.status(), StatusCode::OK);
    assert_eq!(events::fan_out(&t.app.state).await.unwrap(), 1);
    let told = t.told(p.lead, EventType::CoachingAcknowledged).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].link, format!("/coaching/{}", session.id));
    assert_eq!(told[0].subject, "张伟 (E1001) · 2026-11-20");
    for other in [p.agent, p.qa, p.admin] {
        assert!(
            t.told(other, EventType::CoachingAcknowledged)
                .await
                .is_empty()
        );
    }

    // The webhook got both, with the documented payload; what was said stays in Pingjia.
    let bodies = t.queued(hook.endpoint.id).await;
    let kinds: Vec<&Value> = bodies.iter().map(|b| &b["type"]).collect();
    assert_eq!(kinds, ["coaching.recorded", "coaching.acknowledged"]);
    let data = &bodies[1]["data"];
    assert_eq!(data["coaching_id"], session.id);
    assert_eq!(data["agent"]["agent_no"], "E1001");
    assert_eq!(data["coach_name"], "林晓峰");
    assert_eq!(data["state"], "acknowledged");
    assert_eq!(data["follow_up_date"], "2026-12-04");
    assert!(
        data["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/coaching/{}", session.id))
    );
    let text = bodies.iter().map(Value::to_string).collect::<String>();
    assert!(!text.contains("开场白太生硬") && !text.contains("明白，会每天练习"));
}

#[tokio::test]
async fn a_dispute_reaches_the_other_reviewers_and_its_decision_the_agent() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let second = t.second_inspector().await;
    let samples = t.inspected().await;
    let hook = t
        .wanting(
            "webhook",
            "http://127.0.0.1:9/hook",
            &["dispute.filed", "dispute.decided"],
        )
        .await;
    let robot = t
        .wanting(
            "wecom",
            "http://127.0.0.1:9/cgi-bin/webhook/send?key=k",
            &["dispute.decided"],
        )
        .await;
    events::fan_out(&t.app.state).await.unwrap();

    // The agent disputes the first inspection: the second inspector and the admin are told,
    // to the dispute's page; its inspector, who may not decide it, is not.
    let by_agent = t.dispute(p.agent, samples[0]).await;
    assert_eq!(by_agent.inspector.id, p.qa);
    events::fan_out(&t.app.state).await.unwrap();
    for reviewer in [second, p.admin] {
        let told = t.told(reviewer, EventType::DisputeFiled).await;
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].link, format!("/qa/disputes/{}", by_agent.id));
        assert_eq!(told[0].subject, by_agent.external_id);
    }
    for other in [p.qa, p.agent, p.lead, p.other_agent] {
        assert!(t.told(other, EventType::DisputeFiled).await.is_empty());
    }

    // The second inspector changes the item: the agent is told, to their QA page.
    t.decide(second, by_agent.id).await;
    events::fan_out(&t.app.state).await.unwrap();
    let told = t.told(p.agent, EventType::DisputeDecided).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].link, "/agent/qa");
    assert_eq!(told[0].subject, by_agent.external_id);
    for other in [p.lead, p.qa, second, p.admin] {
        assert!(t.told(other, EventType::DisputeDecided).await.is_empty());
    }

    // The lead disputes the second for their agent: the decision reaches both.
    let by_lead = t.dispute(p.lead, samples[1]).await;
    t.decide(p.admin, by_lead.id).await;
    events::fan_out(&t.app.state).await.unwrap();
    assert_eq!(t.told(p.agent, EventType::DisputeDecided).await.len(), 2);
    let told = t.told(p.lead, EventType::DisputeDecided).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].link, "/lead/qa/team");

    // The webhook got the four events in order, the robot its two decisions.
    let bodies = t.queued(hook.endpoint.id).await;
    let kinds: Vec<&Value> = bodies.iter().map(|b| &b["type"]).collect();
    assert_eq!(
        kinds,
        [
            "dispute.filed",
            "dispute.decided",
            "dispute.filed",
            "dispute.decided"
        ]
    );
    let decided = &bodies[1]["data"];
    assert_eq!(decided["dispute_id"], by_agent.id);
    assert_eq!(decided["status"], "decided");
    assert_eq!(decided["inspector_id"], p.qa);
    assert_eq!(decided["items"][0]["outcome"], "changed");
    assert_eq!(decided["qa_score_before"], by_agent.qa_score_before);
    assert!(decided["qa_score_after"].as_f64().is_some());
    let messages = t.queued(robot.endpoint.id).await;
    assert_eq!(messages.len(), 2);
    let content = messages[0]["markdown"]["content"].as_str().unwrap();
    assert!(
        content.contains(&format!("质检申诉已裁定 · {}", by_agent.external_id)),
        "{content}"
    );
    assert!(content.contains("改判"), "{content}");
}
