//! Calibration between QA inspectors (issue 25): scored blind (nobody sees another's answers
//! before the session closes), only by its inspectors; the lead records the agreed answers and
//! a note that becomes the item's guidance; agents and team leads reach none of it; and the
//! calibration answers never change an agent's QA figures.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::qa::{
    CalibrationDetail, CalibrationPage, CalibrationStatus, ChecklistTemplate, DeviationReport,
    ItemGuidance, ItemResult, PlanDetail, SamplePage,
};
use pingjia_domain::wire::Role;
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{Staffed, body_json, codes, problem};

fn start() -> DateTime<Utc> {
    // A Friday, 10:00 in Shanghai.
    "2026-11-20T02:00:00Z".parse().unwrap()
}

struct Cal {
    s: Staffed,
    /// A third QA inspector.
    qa2: i64,
    /// A fourth, never chosen.
    qa3: i64,
    /// Two records of the agent.
    records: Vec<i64>,
    template: ChecklistTemplate,
}

impl Cal {
    async fn new() -> Cal {
        let s = Staffed::at(start()).await;
        let mut extra = Vec::new();
        for _ in 0..2 {
            s.app.signed_in_as(Role::QaInspector).await;
            let id: i64 = sql::query_scalar("SELECT MAX(id) FROM users")
                .fetch_one(&s.app.state.pool)
                .await
                .unwrap();
            extra.push(id);
        }
        let ended: DateTime<Utc> = "2026-11-10T03:00:00Z".parse().unwrap();
        let mut records = Vec::new();
        for i in 0..2 {
            records.push(
                s.app
                    .service_record(
                        s.people.member,
                        s.people.agent,
                        "online_chat",
                        ended + Duration::minutes(i * 7),
                    )
                    .await,
            );
        }
        let template = s
            .ok(s.people.qa, Method::GET, "/api/v1/qa/templates/1", None)
            .await;
        Cal {
            qa2: extra[0],
            qa3: extra[1],
            s,
            records,
            template,
        }
    }

    fn inspectors(&self) -> [i64; 3] {
        [self.s.people.qa, self.s.people.admin, self.qa2]
    }

    /// A session led by Q0001 on both records, scored by Q0001, A0001 and the third inspector.
    async fn session(&self) -> CalibrationDetail {
        let body = json!({
            "name": "11 月校准",
            "template_id": 1,
            "records": self.records.iter().map(|id| format!("TEST{id}")).collect::<Vec<_>>(),
            "inspector_ids": self.inspectors(),
        });
        let response = self
            .s
            .post(self.s.people.qa, "/api/v1/qa/calibrations", body)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// Every item `result` except the first item `first`; every dimension `score`.
    fn answers(&self, first: ItemResult, result: ItemResult, score: u8) -> Value {
        let mut answers = Vec::new();
        let mut scores = Vec::new();
        for record in &self.records {
            for (i, (_, item)) in self.template.items().enumerate() {
                let result = if i == 0 { first } else { result };
                answers.push(json!({ "record_id": record, "item_id": item.id, "result": result }));
            }
            for d in &self.template.dimensions {
                scores.push(json!({ "record_id": record, "dimension_id": d.id, "score": score }));
            }
        }
        json!({ "answers": answers, "scores": scores })
    }

    async fn get(&self, user: i64, id: i64) -> CalibrationDetail {
        let uri = format!("/api/v1/qa/calibrations/{id}");
        self.s.ok(user, Method::GET, &uri, None).await
    }

    async fn score(&self, user: i64, id: i64, body: Value) -> CalibrationDetail {
        let uri = format!("/api/v1/qa/calibrations/{id}/answers");
        self.s.ok(user, Method::PUT, &uri, Some(body)).await
    }
}

#[tokio::test]
async fn inspectors_score_blind_and_see_everyones_answers_once_all_have_scored() {
    use ItemResult::{Compliant as C, NonCompliant as N, Partly as P};
    let cal = Cal::new().await;
    let [a, b, c] = cal.inspectors();
    let session = cal.session().await;
    let id = session.summary.id;
    assert_eq!(session.summary.status, CalibrationStatus::Open);
    assert_eq!(session.records.len(), 2);

    let after_a = cal.score(a, id, cal.answers(N, C, 4)).await;
    assert!(after_a.mine.is_some());
    assert!(
        after_a.results.is_none(),
        "A sees nobody else's answers yet"
    );
    // B has not scored: B's view holds no one's answers.
    let seen_by_b = cal.get(b, id).await;
    assert!(seen_by_b.mine.is_none() && seen_by_b.results.is_none());
    assert!(seen_by_b.summary.my_turn);
    let text = serde_json::to_string(&seen_by_b).unwrap();
    assert!(!text.contains("non_compliant"), "A's answer leaks: {text}");
    // The lead (A) cannot record an agreement while they score.
    let agreed = format!("/api/v1/qa/calibrations/{id}/agreed");
    let open = cal
        .s
        .put(a, &agreed, json!({ "answers": [], "scores": [] }))
        .await;
    assert_eq!(
        problem(open, 409).await.code.as_deref(),
        Some("calibration_open")
    );
    // Only the chosen inspectors score.
    let answers = format!("/api/v1/qa/calibrations/{id}/answers");
    let outsider = cal.s.put(cal.qa3, &answers, cal.answers(C, C, 4)).await;
    assert_eq!(outsider.status(), StatusCode::FORBIDDEN);
    assert!(cal.get(cal.qa3, id).await.results.is_none());
    // Incomplete answers are refused field by field.
    let mut partial = cal.answers(C, C, 4);
    partial["answers"].as_array_mut().unwrap().remove(0);
    let refused = problem(cal.s.put(b, &answers, partial).await, 422).await;
    let first_item = cal.template.items().next().unwrap().1.id;
    assert_eq!(
        codes(&refused),
        [(
            format!("answers.{}.{first_item}", cal.records[0]).as_str(),
            "required"
        )]
    );

    let after_b = cal.score(b, id, cal.answers(P, C, 3)).await;
    assert!(after_b.results.is_none());
    let after_c = cal.score(c, id, cal.answers(C, C, 5)).await;
    assert_eq!(after_c.summary.status, CalibrationStatus::Closed);
    let late = cal.s.put(c, &answers, cal.answers(C, C, 5)).await;
    assert_eq!(
        problem(late, 409).await.code.as_deref(),
        Some("calibration_closed")
    );

    // Now B reads everyone's answers, the most disputed item first.
    let results = cal
        .get(b, id)
        .await
        .results
        .expect("the results once all scored");
    assert_eq!(results.inspector_ids.len(), 3);
    let first = &results.items[0];
    assert_eq!(first.item_id, first_item);
    let mut given = first.records[0].answers.clone();
    given.sort_by_key(|r| r.map(|r| r.as_str()));
    assert_eq!(given, [Some(C), Some(N), Some(P)]);
    assert!((first.agreement.unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(results.items.last().unwrap().agreement, Some(1.0));
    assert_eq!(results.dimensions[0].spread, 2);
    assert!(results.alpha_items.is_some() && results.alpha_scores.is_some());

    let page: CalibrationPage = cal
        .s
        .ok(
            a,
            Method::GET,
            "/api/v1/qa/calibrations?status=closed&per_page=1",
            None,
        )
        .await;
    assert_eq!((page.total, page.sessions.len()), (1, 1));
}

#[tokio::test]
async fn a_session_needs_two_inspectors_records_and_a_known_template() {
    let cal = Cal::new().await;
    let bad = |body: Value| async {
        let response = cal
            .s
            .post(cal.s.people.qa, "/api/v1/qa/calibrations", body)
            .await;
        let problem = problem(response, 422).await;
        codes(&problem)
            .into_iter()
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
            .collect::<Vec<_>>()
    };
    let got = bad(json!({
        "name": "校准", "template_id": 999, "records": [], "inspector_ids": [cal.s.people.qa],
    }))
    .await;
    assert_eq!(
        got,
        [
            ("records".to_owned(), "required".to_owned()),
            ("inspector_ids".to_owned(), "too_few".to_owned()),
            ("template_id".to_owned(), "unknown".to_owned()),
        ]
    );
    let got = bad(json!({
        "name": "校准", "template_id": 1, "records": ["NOPE"],
        "inspector_ids": [cal.s.people.qa, cal.s.people.agent],
    }))
    .await;
    assert_eq!(
        got,
        [
            ("records.0".to_owned(), "unknown".to_owned()),
            ("inspector_ids".to_owned(), "unknown".to_owned()),
        ]
    );
}

#[tokio::test]
async fn the_agreed_note_becomes_the_items_guidance_and_deviation_shows_who_scores_harder() {
    use ItemResult::{Compliant as C, NonCompliant as N};
    let cal = Cal::new().await;
    let [a, b, c] = cal.inspectors();
    let id = cal.session().await.summary.id;
    cal.score(a, id, cal.answers(N, C, 2)).await;
    cal.score(b, id, cal.answers(C, C, 4)).await;
    // The lead closes it before the third has scored; the third (not the lead, nor an admin)
    // cannot.
    let close = format!("/api/v1/qa/calibrations/{id}/close");
    assert_eq!(
        cal.s.post(c, &close, json!({})).await.status(),
        StatusCode::FORBIDDEN
    );
    let closed: CalibrationDetail = cal.s.ok(a, Method::POST, &close, None).await;
    assert_eq!(closed.summary.status, CalibrationStatus::Closed);
    let mut scored = closed.results.unwrap().inspector_ids;
    scored.sort_unstable();
    assert_eq!(
        scored,
        [a.min(b), a.max(b)],
        "the one who did not score is left out"
    );

    let item = cal.template.items().next().unwrap().1.id;
    let dimension = cal.template.dimensions[0].id;
    let record = cal.records[0];
    let agreed = json!({
        "answers": [{ "record_id": record, "item_id": item, "result": "compliant" }],
        "scores": [{ "record_id": record, "dimension_id": dimension, "score": 4 }],
        "notes": [{ "item_id": item, "note": "客户先开口时，回应即算问候" }],
    });
    let uri = format!("/api/v1/qa/calibrations/{id}/agreed");
    assert_eq!(
        cal.s.put(c, &uri, agreed.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let unknown =
        json!({ "answers": [], "scores": [], "notes": [{ "item_id": 99999, "note": "x" }] });
    let refused = problem(cal.s.put(a, &uri, unknown).await, 422).await;
    assert_eq!(codes(&refused), [("notes.99999", "unknown")]);
    let saved: CalibrationDetail = cal.s.ok(a, Method::PUT, &uri, Some(agreed)).await;
    assert_eq!(
        saved.agreed.unwrap().notes[0].note,
        "客户先开口时，回应即算问候"
    );

    let guidance: Vec<ItemGuidance> = cal
        .s
        .ok(
            b,
            Method::GET,
            "/api/v1/qa/calibrations/guidance?template_id=1",
            None,
        )
        .await;
    assert_eq!(guidance.len(), 1);
    assert_eq!(
        (guidance[0].item_id, guidance[0].calibration_id),
        (item, id)
    );

    let report: DeviationReport = cal
        .s
        .ok(a, Method::GET, "/api/v1/qa/calibrations/deviation", None)
        .await;
    let of = |who: i64| {
        report
            .overall
            .iter()
            .find(|d| d.inspector.id == who)
            .unwrap()
    };
    assert_eq!((of(a).items, of(a).differing), (1, 1));
    assert_eq!(of(a).mean_difference, Some(-2.0), "A scores harder");
    assert_eq!((of(b).items, of(b).differing), (1, 0));
    assert_eq!(of(b).mean_difference, Some(0.0));
    assert_eq!(report.months.len(), 2);
    let backwards = "/api/v1/qa/calibrations/deviation?from=2026-11-10&to=2026-11-01";
    let response = cal.s.call(a, Method::GET, backwards, None).await;
    assert_eq!(codes(&problem(response, 422).await), [("to", "order")]);
}

#[tokio::test]
async fn agents_and_team_leads_reach_no_calibration_route() {
    let cal = Cal::new().await;
    let id = cal.session().await.summary.id;
    let routes = [
        (Method::GET, "/api/v1/qa/calibrations".to_owned()),
        (Method::POST, "/api/v1/qa/calibrations".to_owned()),
        (Method::GET, "/api/v1/qa/calibrations/deviation".to_owned()),
        (
            Method::GET,
            "/api/v1/qa/calibrations/guidance?template_id=1".to_owned(),
        ),
        (Method::GET, format!("/api/v1/qa/calibrations/{id}")),
        (Method::PUT, format!("/api/v1/qa/calibrations/{id}/answers")),
        (Method::POST, format!("/api/v1/qa/calibrations/{id}/close")),
        (Method::PUT, format!("/api/v1/qa/calibrations/{id}/agreed")),
    ];
    for user in [cal.s.people.agent, cal.s.people.lead] {
        for (method, uri) in &routes {
            let body = (*method != Method::GET).then(|| json!({}));
            let response = cal.s.call(user, method.clone(), uri, body).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {uri}");
        }
    }
}

#[tokio::test]
async fn calibration_answers_leave_the_agents_qa_figures_unchanged() {
    use ItemResult::{Compliant as C, NonCompliant as N};
    let cal = Cal::new().await;
    let (qa, agent) = (cal.s.people.qa, cal.s.people.agent);
    // A plan over the agent's records, one inspected: everything compliant, every score 4.
    let plan: PlanDetail = cal
        .s
        .app
        .expect_as(
            qa,
            Method::POST,
            "/api/v1/qa/plans",
            Some(&json!({
                "name": "11 月巡检", "goal": "", "from": "2026-11-01", "to": "2026-11-19",
                "template_id": 1, "strata": [], "inspector_ids": [qa], "seed": 7,
            })),
            StatusCode::CREATED,
        )
        .await;
    let samples: SamplePage = cal
        .s
        .ok(
            qa,
            Method::GET,
            &format!("/api/v1/qa/plans/{}/samples", plan.plan.id),
            None,
        )
        .await;
    let sample = &samples.samples[0];
    let inspection = json!({
        "answers": cal.template.items()
            .map(|(_, i)| json!({ "item_id": i.id, "result": "compliant" }))
            .collect::<Vec<_>>(),
        "scores": cal.template.dimensions.iter()
            .map(|d| json!({ "dimension_id": d.id, "score": 4 }))
            .collect::<Vec<_>>(),
    });
    let uri = format!("/api/v1/qa/samples/{}/inspection", sample.id);
    assert_eq!(
        cal.s.put(qa, &uri, inspection).await.status(),
        StatusCode::OK
    );
    let report_uri = format!("/api/v1/qa/plans/{}/report", plan.plan.id);
    let figures = async || {
        let mine = body_json(cal.s.call(agent, Method::GET, "/api/v1/me/qa", None).await).await;
        let report = body_json(cal.s.call(qa, Method::GET, &report_uri, None).await).await;
        (mine, report)
    };
    let before = figures().await;
    assert!(
        before.0["inspections_total"].as_u64() == Some(1),
        "{}",
        before.0
    );

    // A whole calibration of the agent's records, found wanting and scored 1, agreed so.
    let id = cal.session().await.summary.id;
    for who in cal.inspectors() {
        cal.score(who, id, cal.answers(N, N, 1)).await;
    }
    let item = cal.template.items().next().unwrap().1.id;
    let agreed = json!({
        "answers": [{ "record_id": cal.records[0], "item_id": item, "result": "non_compliant" }],
        "scores": [], "notes": [],
    });
    let uri = format!("/api/v1/qa/calibrations/{id}/agreed");
    assert_eq!(cal.s.put(qa, &uri, agreed).await.status(), StatusCode::OK);
    let _ = C;

    assert_eq!(
        figures().await,
        before,
        "calibration changed the agent's QA figures"
    );
}

#[tokio::test]
async fn a_template_a_calibration_scores_with_cannot_change_under_it() {
    use ItemResult::Compliant as C;
    let cal = Cal::new().await;
    let [a, ..] = cal.inspectors();
    let session = cal.session().await;
    let id = session.summary.id;
    cal.score(a, id, cal.answers(C, C, 4)).await;
    let changed = json!({
        "name_zh": "改过的检查表",
        "dimensions": [{ "name_zh": "服务态度", "items": [
            { "name_zh": "主动问候", "standard_zh": "使用规范话术" }
        ]}],
    });
    // Template 1 is the session's (no plan uses it): saving over it would delete the answers.
    let refused = cal
        .s
        .put(cal.s.people.qa, "/api/v1/qa/templates/1", changed.clone())
        .await;
    assert_eq!(
        problem(refused, 409).await.code.as_deref(),
        Some("template_in_calibration")
    );
    let kept: ChecklistTemplate = cal
        .s
        .ok(a, Method::GET, "/api/v1/qa/templates/1", None)
        .await;
    assert_eq!(kept, cal.template);
    let mine = cal.get(a, id).await.mine.expect("A's answers are kept");
    assert_eq!(
        mine.answers.len(),
        cal.records.len() * cal.template.items().count()
    );
    // Template 2, which no session scores with, still changes.
    let saved: ChecklistTemplate = cal
        .s
        .ok(
            cal.s.people.qa,
            Method::PUT,
            "/api/v1/qa/templates/2",
            Some(changed),
        )
        .await;
    assert_eq!(saved.name_zh, "改过的检查表");
}

#[tokio::test]
async fn the_demo_calibration_shows_disagreement_agreed_answers_and_deviation() {
    let app = crate::demo::seeded().await;
    let id_of = |no: &'static str| {
        let pool = app.state.pool.clone();
        async move {
            sql::query_scalar::<i64>("SELECT id FROM users WHERE employee_no = ?")
                .bind(no)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let (lead, harder, softer) = (
        id_of("Q0001").await,
        id_of("Q0002").await,
        id_of("Q0003").await,
    );
    let get = async |uri: &str| -> Value {
        app.expect_as(lead, Method::GET, uri, None, StatusCode::OK)
            .await
    };
    let page: CalibrationPage =
        serde_json::from_value(get("/api/v1/qa/calibrations?status=closed").await).unwrap();
    assert_eq!(page.total, 1);
    let session = &page.sessions[0];
    assert!(session.agreed);
    let counts = (
        session.record_count,
        session.inspector_count,
        session.submitted_count,
    );
    assert_eq!(counts, (2, 3, 3));
    let uri = format!("/api/v1/qa/calibrations/{}", session.id);
    let detail: CalibrationDetail = serde_json::from_value(get(&uri).await).unwrap();
    assert!(detail.may_lead);
    let results = detail.results.expect("the results of a closed session");
    // "Listens patiently" (item 2) is the most disputed; most items are unanimous.
    assert_eq!(results.items[0].item_id, 2);
    assert!(results.items[0].agreement.unwrap() < 0.7);
    assert!(
        results.alpha_scores.unwrap() > 0.5,
        "{:?}",
        results.alpha_scores
    );
    let unanimous = results.items.iter().filter(|i| i.agreement == Some(1.0));
    assert!(unanimous.count() > results.items.len() / 2);
    let agreed = detail.agreed.expect("the agreed answers");
    assert_eq!(agreed.notes.len(), 1);
    assert_eq!(agreed.notes[0].item_id, 2);
    let guidance: Vec<ItemGuidance> =
        serde_json::from_value(get("/api/v1/qa/calibrations/guidance?template_id=1").await)
            .unwrap();
    assert_eq!(guidance.len(), 1);
    let uri = "/api/v1/qa/calibrations/deviation?from=2026-06-01&to=2026-11-22";
    let report: DeviationReport = serde_json::from_value(get(uri).await).unwrap();
    let mean = |who: i64| {
        (report.overall.iter())
            .find(|d| d.inspector.id == who)
            .and_then(|d| d.mean_difference)
            .unwrap()
    };
    assert!(mean(harder) < 0.0 && mean(softer) > 0.0 && mean(lead) == 0.0);
}
