//! The agent's side (issue 7): an agent reaches only their own evaluations and plans, plans
//! are due in working days (weekends, holidays and make-up days), the plan's review loop, the
//! low-score callback, read state and the live stream. Evaluations go through the real
//! `POST /evaluations`; every test runs on a fixed clock.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use http_body_util::BodyExt;
use pingjia_domain::feedback::{
    AgentSummary, CallbackPage, CallbackTask, FeedbackAlert, FeedbackItem, FeedbackPage,
    ImprovementPlan, PlanStatus, TeamSummary,
};
use pingjia_server::db::sql;
use serde_json::json;

use crate::common::{Flow, Rating, fields, problem};

/// Friday 2026-11-20, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

/// This flow's records end an hour before they are rated, with middling scores.
struct Feedback;

impl Rating for Feedback {
    const ENDED_MINUTES_AGO: i64 = 60;
    const SCORES: [u8; 5] = [3, 4, 3, 4, 3];
    const KEY: &'static str = "feedback";
}

/// The shared fixture with this flow's steps.
type T = Flow<Feedback>;

impl T {
    /// Judges `number`'s suggestion reasonable as `agent`: the plan.
    async fn plan_for(&self, agent: i64, number: &str) -> ImprovementPlan {
        let item: FeedbackItem = self
            .ok(
                agent,
                Method::POST,
                &format!("/api/v1/me/feedback/{number}/assessment"),
                Some(json!({ "reasonable": true })),
            )
            .await;
        let id = item.plan_id.expect("a reasonable suggestion opens a plan");
        self.ok(
            agent,
            Method::GET,
            &format!("/api/v1/improvement-plans/{id}"),
            None,
        )
        .await
    }

    async fn day(&self, date: &str, kind: &str) {
        sql::query("INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, 'test')")
            .bind(date)
            .bind(kind)
            .execute(&self.app.state.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_agent_reaches_only_their_own_evaluations_and_plans() {
    let t = T::at(friday()).await;
    let p = t.people;
    let mine = t
        .rate(p.member, p.agent, 5, Some("等待时间太长了，希望增加人手"))
        .await;
    let theirs = t
        .rate(
            p.customer,
            p.other_agent,
            5,
            Some("解释不清楚，来回问了好几次"),
        )
        .await;

    let page: FeedbackPage = t
        .ok(p.agent, Method::GET, "/api/v1/me/feedback", None)
        .await;
    let numbers: Vec<&str> = page.items.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, [mine.as_str()]);
    assert_eq!(page.items[0].customer, "C0***01", "masked");
    for uri in [
        format!("/api/v1/me/feedback/{theirs}/read"),
        format!("/api/v1/me/feedback/{theirs}/assessment"),
    ] {
        let body = uri
            .ends_with("assessment")
            .then(|| json!({ "reasonable": true }));
        let response = t.call(p.agent, Method::POST, &uri, body).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{uri}");
    }
    let their_plan = t.plan_for(p.other_agent, &theirs).await;
    let uri = format!("/api/v1/improvement-plans/{}", their_plan.id);
    assert_eq!(
        t.call(p.agent, Method::GET, &uri, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let put = json!({ "measures": "每天复盘低分通话并整理答复", "target_date": "2026-12-31" });
    assert_eq!(
        t.put(p.agent, &uri, put).await.status(),
        StatusCode::FORBIDDEN
    );
    let plans: Vec<ImprovementPlan> = t
        .ok(p.agent, Method::GET, "/api/v1/improvement-plans", None)
        .await;
    assert!(plans.is_empty(), "another agent's plan is not listed");
    // The lead of the first team neither sees nor reviews the other team's plan.
    assert_eq!(
        t.call(p.lead, Method::GET, &uri, None).await.status(),
        StatusCode::FORBIDDEN
    );
    let plans: Vec<ImprovementPlan> = t
        .ok(p.lead, Method::GET, "/api/v1/improvement-plans", None)
        .await;
    assert!(plans.is_empty());
    // A customer reaches none of it.
    for uri in [
        "/api/v1/me/feedback",
        "/api/v1/improvement-plans",
        "/api/v1/callbacks",
    ] {
        assert_eq!(
            t.call(p.member, Method::GET, uri, None).await.status(),
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn plans_are_due_in_working_days_across_weekends_holidays_and_make_up_days() {
    // Friday 10:00 + 3 working days: Monday is a holiday, so Tuesday, Wednesday, Thursday.
    let t = T::at(friday()).await;
    t.day("2026-11-23", "holiday").await;
    let p = t.people;
    let number = t
        .rate(p.member, p.agent, 5, Some("回复太慢，希望加快速度"))
        .await;
    let plan = t.plan_for(p.agent, &number).await;
    assert_eq!(
        plan.due_at,
        "2026-11-26T02:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(plan.status, PlanStatus::Open);
    assert!(!plan.overdue);

    // With Sunday a make-up working day (调休): Sunday, (holiday), Tuesday, Wednesday.
    let t = T::at(friday()).await;
    t.day("2026-11-23", "holiday").await;
    t.day("2026-11-22", "workday").await;
    let p = t.people;
    let number = t
        .rate(p.member, p.agent, 5, Some("回复太慢，希望加快速度"))
        .await;
    let plan = t.plan_for(p.agent, &number).await;
    assert_eq!(
        plan.due_at,
        "2026-11-25T02:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
}

#[tokio::test]
async fn a_plan_is_submitted_sent_back_revised_and_acknowledged() {
    let mut t = T::at(friday()).await;
    let p = t.people;
    let number = t
        .rate(p.member, p.agent, 5, Some("客服对退货政策不熟悉"))
        .await;
    // Judged once: a second verdict is refused; one without a reason is a field error.
    let plan = t.plan_for(p.agent, &number).await;
    let again = t
        .post(
            p.agent,
            &format!("/api/v1/me/feedback/{number}/assessment"),
            json!({ "reasonable": false }),
        )
        .await;
    assert_eq!(problem(again, 422).await.errors[0].field, "reason");
    let again = t
        .post(
            p.agent,
            &format!("/api/v1/me/feedback/{number}/assessment"),
            json!({ "reasonable": true }),
        )
        .await;
    assert_eq!(
        problem(again, 409).await.code.as_deref(),
        Some("already_assessed")
    );

    let uri = format!("/api/v1/improvement-plans/{}", plan.id);
    let bad = t
        .put(
            p.agent,
            &uri,
            json!({ "measures": "改", "target_date": "2026-01-01" }),
        )
        .await;
    assert_eq!(
        fields(&problem(bad, 422).await),
        ["measures", "target_date"]
    );
    let measures =
        json!({ "measures": "每天复盘两通退货咨询，考核退货政策", "target_date": "2026-12-04" });
    let submitted: ImprovementPlan = t
        .ok(p.agent, Method::PUT, &uri, Some(measures.clone()))
        .await;
    assert_eq!(submitted.status, PlanStatus::Submitted);
    // The same submission again (a retry) is harmless.
    let retried: ImprovementPlan = t.ok(p.agent, Method::PUT, &uri, Some(measures)).await;
    assert_eq!(retried.submitted_at, submitted.submitted_at);

    let review = format!("{uri}/review");
    let no_comment = t
        .post(p.lead, &review, json!({ "decision": "send_back" }))
        .await;
    assert_eq!(problem(no_comment, 422).await.errors[0].field, "comment");
    let sent_back: ImprovementPlan = t
        .ok(
            p.lead,
            Method::POST,
            &review,
            Some(json!({ "decision": "send_back", "comment": "请写清楚考核方式" })),
        )
        .await;
    assert_eq!(sent_back.status, PlanStatus::SentBack);
    assert_eq!(sent_back.reviewer_name.as_deref(), Some("林晓峰"));
    let too_early = t
        .post(p.lead, &review, json!({ "decision": "acknowledge" }))
        .await;
    assert_eq!(
        problem(too_early, 409).await.code.as_deref(),
        Some("plan_not_submitted")
    );
    // Past the due time while the agent owes measures: overdue, for everyone who sees it.
    t.app.advance(Duration::days(7));
    let overdue: Vec<ImprovementPlan> = t
        .ok(
            p.admin,
            Method::GET,
            "/api/v1/improvement-plans?overdue=true",
            None,
        )
        .await;
    assert_eq!(overdue.len(), 1);
    assert!(overdue[0].overdue);
    let revised =
        json!({ "measures": "每天复盘两通退货咨询，每周五小测验", "target_date": "2026-12-11" });
    let _: ImprovementPlan = t.ok(p.agent, Method::PUT, &uri, Some(revised)).await;
    let done: ImprovementPlan = t
        .ok(
            p.admin,
            Method::POST,
            &review,
            Some(json!({ "decision": "acknowledge" })),
        )
        .await;
    assert_eq!(done.status, PlanStatus::Acknowledged);
    assert!(!done.overdue);
    assert_eq!(done.before.count, 0, "no evaluations in the 30 days before");
    assert!(done.after.is_none(), "30 days have not passed");
}

#[tokio::test]
async fn a_low_score_opens_a_callback_the_lead_completes() {
    let t = T::at(friday()).await;
    let p = t.people;
    t.rate(p.member, p.agent, 8, None).await;
    let low = t.rate(p.customer, p.agent, 4, Some("问题没解决")).await;
    let other_team = t.rate(p.customer, p.other_agent, 3, None).await;

    let open: CallbackPage = t.ok(p.lead, Method::GET, "/api/v1/callbacks", None).await;
    assert_eq!((open.total, open.open, open.done), (1, 1, 0));
    // The lead's home counts them (the callbacks panel lists them).
    let team: TeamSummary = t
        .ok(p.lead, Method::GET, "/api/v1/team/summary", None)
        .await;
    assert_eq!((team.open_callbacks, team.overdue_callbacks), (1, 0));
    let open = open.callbacks;
    let numbers: Vec<&str> = open.iter().map(|c| c.evaluation_number.as_str()).collect();
    assert_eq!(
        numbers,
        [low.as_str()],
        "only the lead's team, only low scores"
    );
    let task = &open[0];
    // Friday 10:00 + 1 working day: Monday 10:00.
    assert_eq!(
        task.due_at,
        "2026-11-23T02:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(task.customer_phone.as_deref(), Some("13800000002"));
    let all: CallbackPage = t.ok(p.admin, Method::GET, "/api/v1/callbacks", None).await;
    let all = all.callbacks;
    assert_eq!(all.len(), 2);
    let theirs = all
        .iter()
        .find(|c| c.evaluation_number == other_team)
        .unwrap();
    let uri = format!("/api/v1/callbacks/{}", theirs.id);
    let call = json!({ "outcome": "resolved", "notes": "已回访" });
    assert_eq!(
        t.post(p.lead, &uri, call.clone()).await.status(),
        StatusCode::FORBIDDEN
    );

    let uri = format!("/api/v1/callbacks/{}", task.id);
    let empty = t
        .post(p.lead, &uri, json!({ "outcome": "appeased", "notes": " " }))
        .await;
    assert_eq!(problem(empty, 422).await.errors[0].field, "notes");
    let done: CallbackTask = t
        .ok(
            p.lead,
            Method::POST,
            &uri,
            Some(json!({ "outcome": "appeased", "notes": "已致歉并补发配件，客户接受" })),
        )
        .await;
    assert_eq!(done.done_by.as_deref(), Some("林晓峰"));
    let twice = t.post(p.lead, &uri, call).await;
    assert_eq!(
        problem(twice, 409).await.code.as_deref(),
        Some("callback_done")
    );
    let open: CallbackPage = t.ok(p.lead, Method::GET, "/api/v1/callbacks", None).await;
    assert!(open.callbacks.is_empty());
    assert_eq!((open.total, open.open, open.done), (0, 0, 1));
    let team: TeamSummary = t
        .ok(p.lead, Method::GET, "/api/v1/team/summary", None)
        .await;
    assert_eq!(team.team_name, "华东一组");
    assert_eq!(team.open_callbacks, 0);
    assert_eq!(team.team.count, 2);
    assert_eq!(team.agents.len(), 1);
}

#[tokio::test]
async fn read_state_and_the_summary() {
    let t = T::at(friday()).await;
    let p = t.people;
    let first = t.rate(p.member, p.agent, 9, None).await;
    t.rate(p.customer, p.agent, 6, Some("态度还行")).await;
    t.rate(p.customer, p.other_agent, 10, None).await;
    let unread: FeedbackAlert = t
        .ok(p.agent, Method::GET, "/api/v1/me/feedback/unread", None)
        .await;
    assert_eq!(unread.unread, 2);
    let after: FeedbackAlert = t
        .ok(
            p.agent,
            Method::POST,
            &format!("/api/v1/me/feedback/{first}/read"),
            None,
        )
        .await;
    assert_eq!(after.unread, 1);
    let page: FeedbackPage = t
        .ok(
            p.agent,
            Method::GET,
            "/api/v1/me/feedback?unread=true",
            None,
        )
        .await;
    assert_eq!((page.total, page.unread), (1, 1));
    let page: FeedbackPage = t
        .ok(
            p.agent,
            Method::GET,
            "/api/v1/me/feedback?band=low&with_suggestion=true",
            None,
        )
        .await;
    assert_eq!(page.total, 1);
    let all: FeedbackAlert = t
        .ok(p.agent, Method::POST, "/api/v1/me/feedback/read-all", None)
        .await;
    assert_eq!(all.unread, 0);

    let s: AgentSummary = t
        .ok(p.agent, Method::GET, "/api/v1/me/feedback/summary", None)
        .await;
    assert_eq!(s.mine.count, 2);
    assert_eq!(s.mine.average_overall, Some(7.5));
    assert_eq!(s.mine.attainment_rate, Some(0.5));
    let team = s.team.expect("E1001 has a team");
    assert_eq!(team.count, 2, "E2001 is in the other team");
    assert_eq!(s.distribution[5] + s.distribution[8], 2);
    assert_eq!(*s.trend_counts.last().unwrap(), 2);
}

#[tokio::test]
async fn a_new_evaluation_reaches_the_agents_open_stream() {
    let t = T::at(friday()).await;
    let p = t.people;
    let response = t
        .call(p.agent, Method::GET, "/api/v1/me/feedback/stream", None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        crate::common::header(&response, "content-type"),
        Some("text/event-stream")
    );
    let mut body = response.into_body();
    // Subscribed when the response began: these are published after, in order.
    t.rate(p.customer, p.other_agent, 9, None).await;
    let number = t.rate(p.member, p.agent, 4, None).await;
    let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
        .await
        .expect("an event")
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.starts_with("event: evaluation\n"), "{text}");
    let data = text.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let alert: FeedbackAlert = serde_json::from_str(data).unwrap();
    assert_eq!(
        alert.number.as_deref(),
        Some(number.as_str()),
        "not the other agent's"
    );
    assert_eq!((alert.overall, alert.unread), (Some(4), 1));
}

/// The lead's home lists a few plans of each kind: the summary sends the first five awaiting
/// review and the first five with the agents (by due time), with how many there are in all,
/// and the team's English name.
#[tokio::test]
async fn the_lead_summary_sends_the_first_plans_and_counts_them_all() {
    let app = crate::demo::seeded().await;
    let pool = &app.state.pool;
    let lead: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = 'L0001'")
        .fetch_one(pool)
        .await
        .unwrap();
    // Enough plans of both kinds: every evaluation of the team's agents with a suggestion.
    sql::query(
        "INSERT INTO improvement_plans (evaluation_id, agent_id, created_at, due_at, status,
                                        measures, target_date, submitted_at)
         SELECT e.id, e.agent_id, e.submitted_at, e.submitted_at,
                CASE WHEN e.id % 2 = 0 THEN 'submitted' ELSE 'open' END,
                CASE WHEN e.id % 2 = 0 THEN '加强培训' END,
                CASE WHEN e.id % 2 = 0 THEN '2026-12-31' END,
                CASE WHEN e.id % 2 = 0 THEN e.submitted_at END
         FROM evaluations e JOIN users a ON a.id = e.agent_id
         WHERE a.team_id = 1 AND e.suggestion IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM improvement_plans p WHERE p.evaluation_id = e.id)
         LIMIT 40",
    )
    .execute(pool)
    .await
    .unwrap();
    let counted = |status: &'static str| async move {
        sql::query_scalar::<i64>(&format!(
            "SELECT COUNT(*) FROM improvement_plans p JOIN users a ON a.id = p.agent_id
             WHERE a.team_id = 1 AND {status}"
        ))
        .fetch_one(pool)
        .await
        .unwrap() as u64
    };
    let review = counted("p.status = 'submitted'").await;
    let with_agents = counted("p.status NOT IN ('submitted', 'acknowledged')").await;
    assert!(review > 5 && with_agents > 5, "{review} {with_agents}");

    let team: TeamSummary = app
        .expect_as(
            lead,
            Method::GET,
            "/api/v1/team/summary",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(team.team_name_en.as_deref(), Some("East China 1"));
    assert_eq!(
        (team.plans_awaiting_review, team.plans_with_agents),
        (review, with_agents)
    );
    let (awaiting, others): (Vec<_>, Vec<_>) = team
        .plans
        .iter()
        .partition(|p| p.status == pingjia_domain::feedback::PlanStatus::Submitted);
    assert_eq!((awaiting.len(), others.len()), (5, 5));
    for list in [&awaiting, &others] {
        assert!(list.windows(2).all(|w| w[0].due_at <= w[1].due_at));
    }
}
