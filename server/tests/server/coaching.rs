//! Coaching sessions (issue 25): a lead coaches only their team's agents, an agent reads and
//! acknowledges only their own, the lists are paged and filtered on the server, bad input is
//! refused field by field, and a session's before/after figures come from the agent's real
//! evaluations and inspections. Every test runs on a fixed clock.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::feedback::{CoachingDetail, CoachingPage, CoachingSession, CoachingState};
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{Flow, Rating, body_json, codes, problem};

/// Friday 2026-11-20, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

/// This flow's records end an hour before they are rated.
struct Coaching;

impl Rating for Coaching {
    const ENDED_MINUTES_AGO: i64 = 60;
    const SCORES: [u8; 5] = [3, 3, 3, 3, 3];
    const KEY: &'static str = "coaching";
}

type T = Flow<Coaching>;

fn session(agent_no: &str) -> Value {
    json!({
        "agent_no": agent_no,
        "discussion": "开场白太生硬，结束语缺少确认",
        "targets": [{ "kind": "dimension", "code": "attitude" }],
        "action": "每天练习标准开场白与结束语",
        "follow_up_date": "2026-12-04",
    })
}

impl T {
    /// Records `body` as `user`: the response's status and body.
    async fn record(&self, user: i64, body: Value) -> (StatusCode, Value) {
        let response = self.post(user, "/api/v1/coaching", body).await;
        let status = response.status();
        (status, body_json(response).await)
    }

    /// Records `body` as `user`, asserting the 201: the session.
    async fn recorded(&self, user: i64, body: Value) -> CoachingSession {
        let (status, body) = self.record(user, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value(body).unwrap()
    }

    async fn list(&self, user: i64, query: &str) -> CoachingPage {
        self.ok(user, Method::GET, &format!("/api/v1/coaching{query}"), None)
            .await
    }

    /// An inspection (QA score `score`) of a fresh service of `agent` that ended at `ended`,
    /// in a plan of template 1, inserted directly: its id.
    async fn inspection(&self, agent: i64, ended: DateTime<Utc>, score: f64) -> i64 {
        let pool = &self.app.state.pool;
        let record = self
            .app
            .service_record(self.people.customer, agent, "online_chat", ended)
            .await;
        let plan: i64 = sql::query_scalar(
            "INSERT INTO qa_plans (name, period_from, period_to, template_id, strata_json, seed,
                 created_by, created_at)
             VALUES ('辅导测试', '2026-10-01', '2026-12-31', 1, '[]', 1, ?, '2026-10-01T00:00:00Z')
             RETURNING id",
        )
        .bind(self.people.qa)
        .fetch_one(pool)
        .await
        .unwrap();
        let sample: i64 = sql::query_scalar(
            "INSERT INTO qa_samples (plan_id, service_record_id, stratum, inspector_id)
             VALUES (?, ?, 0, ?) RETURNING id",
        )
        .bind(plan)
        .bind(record)
        .bind(self.people.qa)
        .fetch_one(pool)
        .await
        .unwrap();
        sql::query_scalar(
            "INSERT INTO qa_inspections (sample_id, inspector_id, qa_score, submitted_at)
             VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(sample)
        .bind(self.people.qa)
        .bind(score)
        .bind(pingjia_server::time::to_db(ended + Duration::hours(1)))
        .fetch_one(pool)
        .await
        .unwrap()
    }
}

#[tokio::test]
async fn a_lead_coaches_the_agents_of_their_team_and_no_other() {
    let t = T::at(friday()).await;
    let p = t.people;
    let mine = t.recorded(p.lead, session("E1001")).await;
    assert_eq!(mine.agent_no, "E1001");
    assert_eq!(mine.state, CoachingState::Awaiting);
    assert!(!mine.follow_up_overdue);
    assert_eq!(mine.targets.len(), 1);
    assert_eq!(mine.targets[0].name_zh, "服务态度");

    // Another team's agent, by number or through their evaluation: 403, nothing stored.
    let (status, _) = t.record(p.lead, session("E2001")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let theirs = t.rate(p.customer, p.other_agent, 4, None).await;
    let mut from_evaluation = session("");
    from_evaluation["agent_no"] = Value::Null;
    from_evaluation["source"] = json!({ "kind": "evaluation", "reference": theirs });
    let (status, _) = t.record(p.lead, from_evaluation.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let response = t
        .call(
            p.lead,
            Method::GET,
            &format!("/api/v1/coaching/draft?source_kind=evaluation&source_ref={theirs}"),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.list(p.admin, "").await.total, 1);

    // An admin coaches anyone; the source names the agent.
    let other = t.recorded(p.admin, from_evaluation).await;
    assert_eq!(other.agent_no, "E2001");
    assert_eq!(other.source.unwrap().reference, theirs);

    // The lead's own evaluation source: the agent comes from it.
    let own = t.rate(p.customer, p.agent, 4, None).await;
    let draft: Value = t
        .ok(
            p.lead,
            Method::GET,
            &format!("/api/v1/coaching/draft?source_kind=evaluation&source_ref={own}"),
            None,
        )
        .await;
    assert_eq!(draft["agent"]["no"], "E1001");
    assert_eq!(draft["choices"][0]["kind"], "dimension");
    assert_eq!(draft["agents"].as_array().unwrap().len(), 1, "{draft}");
    // An inspection's draft offers its template's items.
    let inspection = t
        .inspection(p.agent, friday() - Duration::days(2), 3.0)
        .await;
    let draft: Value = t
        .ok(
            p.lead,
            Method::GET,
            &format!("/api/v1/coaching/draft?source_kind=inspection&source_ref={inspection}"),
            None,
        )
        .await;
    assert_eq!(draft["choices"][0]["kind"], "item");
    let mut from_inspection = session("");
    from_inspection["source"] =
        json!({ "kind": "inspection", "reference": inspection.to_string() });
    from_inspection["targets"] = json!([{ "kind": "item", "code": "2" }]);
    let s = t.recorded(p.lead, from_inspection).await;
    assert_eq!(s.agent_no, "E1001");
    assert_eq!(s.targets[0].code, "2");
}

#[tokio::test]
async fn an_agent_reads_and_acknowledges_only_their_own_once() {
    let t = T::at(friday()).await;
    let p = t.people;
    let s = t.recorded(p.lead, session("E1001")).await;
    let uri = format!("/api/v1/coaching/{}", s.id);
    let ack = format!("{uri}/acknowledge");

    // Another agent: 403 on reading and acknowledging; not in their list.
    let response = t.call(p.other_agent, Method::GET, &uri, None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = t.post(p.other_agent, &ack, json!({})).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(t.list(p.other_agent, "").await.total, 0);
    let response = t
        .call(p.agent, Method::GET, "/api/v1/coaching/999", None)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The lead cannot follow up before the agent acknowledged.
    let response = t.post(p.lead, &format!("{uri}/follow-up"), json!({})).await;
    let refused = problem(response, 409).await;
    assert_eq!(refused.code.as_deref(), Some("coaching_not_acknowledged"));

    let done: CoachingSession = t
        .ok(
            p.agent,
            Method::POST,
            &ack,
            Some(json!({ "comment": "  明白，会练习  " })),
        )
        .await;
    assert_eq!(done.state, CoachingState::Acknowledged);
    assert_eq!(done.agent_comment.as_deref(), Some("明白，会练习"));
    assert!(done.acknowledged_at.is_some());
    // Twice: a clear 409, the first comment kept.
    let again = t.post(p.agent, &ack, json!({ "comment": "改了" })).await;
    let refused = problem(again, 409).await;
    assert_eq!(refused.code.as_deref(), Some("coaching_acknowledged"));
    let seen: CoachingDetail = t.ok(p.lead, Method::GET, &uri, None).await;
    assert_eq!(seen.session.agent_comment.as_deref(), Some("明白，会练习"));

    // The follow-up, then overdue no more.
    let followed: CoachingSession = t
        .ok(p.lead, Method::POST, &format!("{uri}/follow-up"), None)
        .await;
    assert_eq!(followed.state, CoachingState::FollowedUp);
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field() {
    let t = T::at(friday()).await;
    let p = t.people;
    let mut body = session("E1001");
    body["discussion"] = json!("   ");
    body["action"] = json!("长".repeat(1001));
    body["follow_up_date"] = json!("2026-11-20");
    let response = t.post(p.lead, "/api/v1/coaching", body).await;
    let refused = problem(response, 422).await;
    assert_eq!(
        codes(&refused),
        [
            ("discussion", "required"),
            ("action", "too_long"),
            ("follow_up_date", "not_future")
        ]
    );

    let mut body = session("E1001");
    body["targets"] = json!([{ "kind": "item", "code": "2" }]);
    let refused = problem(t.post(p.lead, "/api/v1/coaching", body).await, 422).await;
    assert_eq!(codes(&refused), [("targets", "unknown")]);

    let refused = problem(
        t.post(p.lead, "/api/v1/coaching", session("E9999")).await,
        422,
    )
    .await;
    assert_eq!(codes(&refused), [("agent_no", "unknown")]);

    let mut body = session("E1001");
    body["source"] = json!({ "kind": "plan", "reference": "424242" });
    let refused = problem(t.post(p.lead, "/api/v1/coaching", body).await, 422).await;
    assert_eq!(codes(&refused), [("source", "unknown")]);

    let s = t.recorded(p.lead, session("E1001")).await;
    let response = t
        .post(
            p.agent,
            &format!("/api/v1/coaching/{}/acknowledge", s.id),
            json!({ "comment": "x".repeat(1001) }),
        )
        .await;
    let refused = problem(response, 422).await;
    assert_eq!(codes(&refused), [("comment", "too_long")]);
    assert_eq!(t.list(p.lead, "").await.total, 1);
}

#[tokio::test]
async fn the_lists_are_paged_and_filtered_on_the_server() {
    let mut t = T::at(friday()).await;
    let p = t.people;
    let first = t.recorded(p.lead, session("E1001")).await;
    t.app.advance(Duration::days(2));
    let second = t.recorded(p.lead, session("E1001")).await;
    let third = t.recorded(p.lead, session("E1001")).await;
    t.recorded(p.admin, session("E2001")).await;
    let _: CoachingSession = t
        .ok(
            p.agent,
            Method::POST,
            &format!("/api/v1/coaching/{}/acknowledge", third.id),
            Some(json!({})),
        )
        .await;

    // What awaits acknowledgement first, newest first.
    let page = t.list(p.agent, "?per_page=2").await;
    assert_eq!(page.total, 3);
    assert_eq!(
        page.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [second.id, first.id]
    );
    assert_eq!(page.counts.awaiting, 2);
    assert_eq!(page.counts.acknowledged, 1);
    let page = t.list(p.agent, "?per_page=2&page=2").await;
    assert_eq!(
        page.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [third.id]
    );

    let lead = t.list(p.lead, "?state=acknowledged").await;
    assert_eq!(lead.total, 1);
    assert_eq!(lead.items[0].id, third.id);
    assert_eq!(lead.counts.of(None), 3, "the lead sees their team's only");
    assert_eq!(lead.agents.len(), 1);
    let lead = t.list(p.lead, "?from=2026-11-22&to=2026-11-22").await;
    assert_eq!(lead.total, 2);
    let lead = t.list(p.lead, "?from=2026-11-20&to=2026-11-20").await;
    assert_eq!(
        lead.items.iter().map(|s| s.id).collect::<Vec<_>>(),
        [first.id]
    );
    let admin = t.list(p.admin, "?agent_no=E2001").await;
    assert_eq!(admin.total, 1);
    assert_eq!(admin.items[0].agent_no, "E2001");
    assert_eq!(t.list(p.admin, "").await.total, 4);

    // Overdue follow-ups once their day has passed.
    t.app.advance(Duration::days(13));
    let lead = t.list(p.lead, "").await;
    assert_eq!(lead.overdue, 3);
    assert!(lead.items.iter().all(|s| s.follow_up_overdue));

    let response = t
        .call(p.lead, Method::GET, "/api/v1/coaching?per_page=101", None)
        .await;
    assert_eq!(
        codes(&problem(response, 422).await),
        [("per_page", "out_of_range")]
    );
    let response = t
        .call(p.lead, Method::GET, "/api/v1/coaching?state=lost", None)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_before_and_after_figures_come_from_the_agents_scores() {
    // 2026-11-10: an evaluation (overall 4) and an inspection (QA 2) in the 30 days before.
    let mut t = T::at("2026-11-10T02:00:00Z".parse().unwrap()).await;
    let p = t.people;
    t.rate(p.customer, p.agent, 4, None).await;
    t.inspection(p.agent, "2026-11-09T03:00:00Z".parse().unwrap(), 2.0)
        .await;
    // Another agent's scores count for nobody else.
    t.rate(p.customer, p.other_agent, 10, None).await;

    t.app.advance(Duration::days(10));
    let s = t.recorded(p.lead, session("E1001")).await;
    let uri = format!("/api/v1/coaching/{}", s.id);
    let detail: CoachingDetail = t.ok(p.agent, Method::GET, &uri, None).await;
    assert_eq!(detail.before.count, 1);
    assert_eq!(detail.before.average_overall, Some(4.0));
    assert_eq!(detail.before.average_total, Some(3.0));
    assert_eq!(detail.qa_before.count, 1);
    assert_eq!(detail.qa_before.average, Some(2.0));
    assert!(detail.after.is_none() && detail.qa_after.is_none());

    // 2026-11-25: an evaluation (overall 8) and an inspection (QA 4) after.
    t.app.advance(Duration::days(5));
    t.rate(p.member, p.agent, 8, None).await;
    t.inspection(p.agent, "2026-11-24T03:00:00Z".parse().unwrap(), 4.0)
        .await;
    // The 30 days after end with 2026-12-20: shown from 2026-12-21.
    t.app.advance(Duration::days(26));
    let detail: CoachingDetail = t.ok(p.lead, Method::GET, &uri, None).await;
    let after = detail.after.expect("the 30 days after have passed");
    assert_eq!(after.count, 1);
    assert_eq!(after.average_overall, Some(8.0));
    assert_eq!(detail.change, Some(0.0));
    let qa = detail.qa_after.unwrap();
    assert_eq!((qa.count, qa.average), (1, Some(4.0)));
    assert_eq!(detail.qa_before.average, Some(2.0));
}
