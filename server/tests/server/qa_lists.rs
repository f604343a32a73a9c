//! The paged QA lists (issue 24): the plans and a plan's sampled records are paged and
//! filtered on the server with what awaits the caller first; only QA reaches them, and a
//! person's own QA holds only their own.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::qa::{MyQa, PlanDetail, PlanPage, PlanState, SamplePage, SampleStatus};
use serde_json::{Value, json};

use crate::common::{People, TestApp, body_json, empty_request, json_request, problem};

struct Lists {
    app: TestApp,
    people: People,
    qa: String,
    admin: String,
    agent: String,
    other_agent: String,
}

impl Lists {
    async fn new() -> Lists {
        // A Friday, 10:00 in Shanghai.
        let app = TestApp::new()
            .await
            .at("2026-11-20T02:00:00Z".parse().unwrap());
        let people = app.people().await;
        Lists {
            qa: app.session(people.qa).await,
            admin: app.session(people.admin).await,
            agent: app.session(people.agent).await,
            other_agent: app.session(people.other_agent).await,
            app,
            people,
        }
    }

    async fn get(&self, uri: &str, cookie: &str) -> Response<Body> {
        self.app
            .request(empty_request(Method::GET, uri, Some(cookie)))
            .await
    }

    async fn ok<T: serde::de::DeserializeOwned>(&self, uri: &str, cookie: &str) -> T {
        let response = self.get(uri, cookie).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// `n` records served by `agent`, ended on 10 November.
    async fn records(&self, agent: i64, n: usize) {
        let ended: DateTime<Utc> = "2026-11-10T03:00:00Z".parse().unwrap();
        for i in 0..n {
            self.app
                .service_record(
                    self.people.member,
                    agent,
                    "online_chat",
                    ended + Duration::minutes(i as i64 * 7),
                )
                .await;
        }
    }

    /// A plan over every record, its sample dealt to `inspectors`.
    async fn plan(&self, name: &str, inspectors: &[i64]) -> PlanDetail {
        let body = json!({
            "name": name, "from": "2026-11-01", "to": "2026-11-19", "template_id": 1,
            "strata": [], "inspector_ids": inspectors, "seed": 1,
        });
        let mut request = json_request(Method::POST, "/api/v1/qa/plans", Some(&self.qa), &body);
        request.headers_mut().insert(
            "idempotency-key",
            format!(
                "lists-plan-{}",
                name.len() * 1000
                    + inspectors.len()
                    + name.chars().map(u32::from).sum::<u32>() as usize
            )
            .parse()
            .unwrap(),
        );
        let response = self.app.request(request).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// Inspects sample `id` as `cookie`: every item compliant.
    async fn inspect(&self, id: i64, cookie: &str) {
        let answers: Vec<Value> = (1..=14)
            .map(|item| {
                let result = if item == 4 {
                    "not_applicable"
                } else {
                    "compliant"
                };
                json!({ "item_id": item, "result": result })
            })
            .collect();
        let scores: Vec<Value> = (1..=5)
            .map(|d| json!({ "dimension_id": d, "score": 5 }))
            .collect();
        let body = json!({ "answers": answers, "scores": scores, "rectifications": [] });
        let uri = format!("/api/v1/qa/samples/{id}/inspection");
        let response = self
            .app
            .request(json_request(Method::PUT, &uri, Some(cookie), &body))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn names(&self, query: &str, cookie: &str) -> Vec<String> {
        let page: PlanPage = self.ok(&format!("/api/v1/qa/plans{query}"), cookie).await;
        page.plans.into_iter().map(|p| p.name).collect()
    }
}

#[tokio::test]
async fn plans_are_paged_filtered_and_those_awaiting_the_caller_come_first() {
    let t = Lists::new().await;
    let (qa, admin) = (t.people.qa, t.people.admin);
    t.records(t.people.agent, 2).await;
    t.plan("P1", &[qa]).await;
    t.plan("P2", &[admin]).await;
    let finished = t.plan("P3", &[qa]).await;
    for sample in &finished.samples {
        t.inspect(sample.id, &t.qa).await;
    }
    t.plan("P4", &[admin]).await;

    // The inspector's pending plan first, then newest first; an admin's: any pending first.
    assert_eq!(t.names("", &t.qa).await, ["P1", "P4", "P3", "P2"]);
    assert_eq!(t.names("", &t.admin).await, ["P4", "P2", "P1", "P3"]);
    let page: PlanPage = t.ok("/api/v1/qa/plans?per_page=2&page=2", &t.qa).await;
    let names: Vec<&str> = page.plans.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["P3", "P2"]);
    assert_eq!((page.total, page.page, page.per_page), (4, 2, 2));
    assert_eq!((page.counts.active, page.counts.finished), (3, 1));
    let inspectors: Vec<i64> = page.inspectors.iter().map(|p| p.id).collect();
    assert!(inspectors.contains(&qa) && inspectors.contains(&admin));
    // Past the end: no plan, the same total.
    let past: PlanPage = t.ok("/api/v1/qa/plans?per_page=2&page=3", &t.qa).await;
    assert!(past.plans.is_empty());
    assert_eq!(past.total, 4);

    // By state and inspector; the counts keep the inspector filter.
    assert_eq!(t.names("?state=finished", &t.qa).await, ["P3"]);
    assert_eq!(t.names("?state=active", &t.qa).await, ["P1", "P4", "P2"]);
    let theirs: PlanPage = t
        .ok(&format!("/api/v1/qa/plans?inspector_id={admin}"), &t.qa)
        .await;
    let names: Vec<&str> = theirs.plans.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["P4", "P2"]);
    assert_eq!((theirs.counts.active, theirs.counts.finished), (2, 0));
    assert_eq!(
        theirs.plans[0].sample_count, 2,
        "every plan draws both records"
    );
    assert_eq!(PlanState::parse("finished"), Some(PlanState::Finished));

    // Bad paging is refused field by field; an unknown state is malformed.
    let refused = t.get("/api/v1/qa/plans?per_page=101", &t.qa).await;
    assert_eq!(problem(refused, 422).await.errors[0].field, "per_page");
    let refused = t.get("/api/v1/qa/plans?page=0", &t.qa).await;
    assert_eq!(problem(refused, 422).await.errors[0].field, "page");
    let bad = t.get("/api/v1/qa/plans?state=done", &t.qa).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // The QA home shows the first plans in the same order, with their count.
    let home: pingjia_domain::qa::QaHome = t.ok("/api/v1/qa/home", &t.qa).await;
    assert_eq!(home.plans_total, 4);
    assert_eq!(home.plans[0].name, "P1");
}

#[tokio::test]
async fn a_plans_records_are_paged_filtered_and_the_callers_pending_ones_come_first() {
    let t = Lists::new().await;
    let (qa, admin) = (t.people.qa, t.people.admin);
    t.records(t.people.agent, 3).await;
    t.records(t.people.other_agent, 2).await;
    let plan = t.plan("抽检", &[admin, qa]).await;
    assert_eq!(plan.plan.sample_count, 5);
    let uri = |query: &str| format!("/api/v1/qa/plans/{}/samples{query}", plan.plan.id);
    let first: SamplePage = t.ok(&uri(""), &t.qa).await;
    let done = first.samples[0].id;
    assert_eq!(first.samples[0].inspector.id, qa);
    t.inspect(done, &t.qa).await;

    let page: SamplePage = t.ok(&uri(""), &t.qa).await;
    assert_eq!(
        (page.total, page.counts.pending, page.counts.inspected),
        (5, 4, 1)
    );
    let order: Vec<(i64, SampleStatus)> = page
        .samples
        .iter()
        .map(|s| (s.inspector.id, s.status))
        .collect();
    let mine_pending = order
        .iter()
        .take_while(|(who, status)| *who == qa && *status == SampleStatus::Pending)
        .count();
    assert!(mine_pending >= 1, "{order:?}");
    assert!(
        order[mine_pending..]
            .iter()
            .take_while(|(_, s)| *s == SampleStatus::Pending)
            .all(|(who, _)| *who == admin),
        "{order:?}"
    );
    assert_eq!(order.last().unwrap().1, SampleStatus::Inspected);
    assert_eq!(page.samples.last().unwrap().id, done);
    assert_eq!(page.inspectors.len(), 2);
    assert_eq!(page.agents.len(), 2);

    // Paged, and filtered by status, agent and inspector.
    let second: SamplePage = t.ok(&uri("?per_page=3&page=2"), &t.qa).await;
    assert_eq!((second.samples.len(), second.total), (2, 5));
    let pending: SamplePage = t.ok(&uri("?status=pending"), &t.qa).await;
    assert_eq!(pending.total, 4);
    assert!(
        pending
            .samples
            .iter()
            .all(|s| s.status == SampleStatus::Pending)
    );
    let other = t.people.other_agent;
    let theirs: SamplePage = t.ok(&uri(&format!("?agent_id={other}")), &t.qa).await;
    assert_eq!(theirs.total, 2);
    assert!(theirs.samples.iter().all(|s| s.agent.id == other));
    let dealt: SamplePage = t
        .ok(&uri(&format!("?inspector_id={admin}")), &t.admin)
        .await;
    assert!(dealt.samples.iter().all(|s| s.inspector.id == admin));
    assert_eq!(dealt.total, dealt.counts.pending + dealt.counts.inspected);
    let refused = t.get(&uri("?per_page=0"), &t.qa).await;
    assert_eq!(problem(refused, 422).await.errors[0].field, "per_page");
    let missing = t.get("/api/v1/qa/plans/9999/samples", &t.qa).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Only QA reaches the lists; a person's own QA holds only their own inspections.
    for path in ["/api/v1/qa/plans".to_owned(), uri("")] {
        let denied = t.get(&path, &t.agent).await;
        assert_eq!(denied.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let inspected_agent = page.samples.last().unwrap().agent.id;
    let (theirs, others) = if inspected_agent == t.people.agent {
        (&t.agent, &t.other_agent)
    } else {
        (&t.other_agent, &t.agent)
    };
    let mine: MyQa = t.ok("/api/v1/me/qa", theirs).await;
    assert_eq!((mine.inspections_total, mine.inspections.len()), (1, 1));
    assert_eq!(mine.inspections[0].sample.id, done);
    let not_mine: MyQa = t.ok("/api/v1/me/qa", others).await;
    assert_eq!(not_mine.inspections_total, 0);
    assert!(not_mine.inspections.is_empty());
    let refused = t.get("/api/v1/me/qa?rectifications_page=0", theirs).await;
    assert_eq!(
        problem(refused, 422).await.errors[0].field,
        "rectifications_page"
    );
}
