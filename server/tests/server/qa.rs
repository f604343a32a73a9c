//! Internal QA: a plan draws the floors per stratum from its seed and deals the sample evenly;
//! an inspection with an item found wanting opens a rectification that only its owner reports
//! and the inspector re-checks; the report's composite score; who may reach what.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::qa::{
    Inspection, InspectionSheet, MyQa, PlanDetail, PlanReport, Rectification, RectificationStatus,
    SamplePage, SampleRow,
};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh `Idempotency-Key` for every request.
static KEYS: AtomicU64 = AtomicU64::new(1);

use crate::common::{People, TestApp, body_json, codes, empty_request, json_request, problem};
use crate::contract;

fn start() -> DateTime<Utc> {
    // A Friday, 10:00 in Shanghai.
    "2026-11-20T02:00:00Z".parse().unwrap()
}

struct Qa {
    app: TestApp,
    people: People,
    qa: String,
    admin: String,
    agent: String,
    other_agent: String,
    customer: String,
}

impl Qa {
    async fn new() -> Qa {
        let app = TestApp::new().await.at(start());
        let people = app.people().await;
        Qa {
            qa: app.session(people.qa).await,
            admin: app.session(people.admin).await,
            agent: app.session(people.agent).await,
            other_agent: app.session(people.other_agent).await,
            customer: app.session(people.member).await,
            app,
            people,
        }
    }

    async fn send(&self, method: Method, uri: &str, cookie: &str, body: &Value) -> Response<Body> {
        let mut request = json_request(method, uri, Some(cookie), body);
        request.headers_mut().insert(
            "idempotency-key",
            format!("qa-key-{}", KEYS.fetch_add(1, Ordering::Relaxed))
                .parse()
                .unwrap(),
        );
        self.app.request(request).await
    }

    /// Every sampled record of plan `id`, page by page (7 a page), as the inspector sees them.
    async fn all_samples(&self, id: i64) -> Vec<SampleRow> {
        let mut all = Vec::new();
        for page in 1.. {
            let uri = format!("/api/v1/qa/plans/{id}/samples?per_page=7&page={page}");
            let response = self.get(&uri, &self.qa).await;
            assert_eq!(response.status(), StatusCode::OK);
            let page: SamplePage = serde_json::from_value(body_json(response).await).unwrap();
            let last = page.samples.len() < 7;
            all.extend(page.samples);
            if last {
                break;
            }
        }
        all
    }

    async fn get(&self, uri: &str, cookie: &str) -> Response<Body> {
        self.app
            .request(empty_request(Method::GET, uri, Some(cookie)))
            .await
    }

    /// `n` records of `customer` with `agent`, ended on the 10th, 11th… of November.
    async fn records(&self, customer: i64, agent: i64, n: usize) -> Vec<i64> {
        let mut ids = Vec::new();
        for i in 0..n {
            let ended: DateTime<Utc> = "2026-11-10T03:00:00Z".parse().unwrap();
            ids.push(
                self.app
                    .service_record(
                        customer,
                        agent,
                        "online_chat",
                        ended + Duration::minutes(i as i64 * 7),
                    )
                    .await,
            );
        }
        ids
    }

    async fn plan(&self, seed: u32, strata: &[&str]) -> PlanDetail {
        let body = json!({
            "name": "11 月巡检",
            "goal": "提升响应时效",
            "from": "2026-11-01",
            "to": "2026-11-19",
            "template_id": 1,
            "strata": strata,
            "inspector_ids": [self.people.qa, self.people.admin],
            "seed": seed,
        });
        let response = self
            .send(Method::POST, "/api/v1/qa/plans", &self.qa, &body)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }
}

/// Every item of template 1 compliant except item 2 (耐心倾听), found not compliant, with
/// its rectification owned by `owner`; every dimension scored 4 except 服务态度, 2.
fn inspection(owner: i64, problem: Option<&str>) -> Value {
    let answers: Vec<Value> = (1..=14)
        .map(|item| {
            if item == 2 {
                json!({ "item_id": 2, "result": "non_compliant", "problem": problem })
            } else if item == 4 {
                json!({ "item_id": 4, "result": "not_applicable" })
            } else {
                json!({ "item_id": item, "result": "compliant" })
            }
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
        "highlights": "主动提醒客户会员权益",
        "rectifications": [{ "item_id": 2, "owner_id": owner, "deadline": "2026-11-25" }],
    })
}

#[tokio::test]
async fn a_plan_draws_the_floors_per_stratum_from_its_seed_and_deals_them_evenly() {
    let qa = Qa::new().await;
    // 45 services for the member customer, 12 for the returning one.
    qa.records(qa.people.member, qa.people.agent, 45).await;
    qa.records(qa.people.customer, qa.people.other_agent, 12)
        .await;
    let plan = qa.plan(7, &["customer_type"]).await;
    let sizes: Vec<(String, u64, u64)> = plan
        .strata
        .iter()
        .map(|s| (s.parts[0].value.clone(), s.population, s.sample))
        .collect();
    assert_eq!(
        sizes,
        [("member".into(), 45, 30), ("returning".into(), 12, 12)],
        "n = min(N, max(ceil(10 % N), 30))"
    );
    assert_eq!(plan.plan.sample_count, 42);
    assert_eq!(
        plan.samples.len(),
        25,
        "the plan carries the first page of its sample"
    );
    let samples = qa.all_samples(plan.plan.id).await;
    assert_eq!(samples.len(), 42);
    let dealt_to_qa = samples
        .iter()
        .filter(|s| s.inspector.id == qa.people.qa)
        .count();
    assert_eq!(dealt_to_qa, 21, "dealt evenly to two inspectors");
    assert_eq!(plan.plan.seed, 7);

    // The same seed draws the same records; the seed is what makes it reproducible.
    let mut again = json!({
        "name": "复核", "from": "2026-11-01", "to": "2026-11-19", "template_id": 1,
        "strata": ["customer_type"], "inspector_ids": [qa.people.qa], "seed": 7,
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/plans", &qa.qa, &again)
        .await;
    let second: PlanDetail = serde_json::from_value(body_json(response).await).unwrap();
    let records = async |p: &PlanDetail| {
        let mut ids: Vec<i64> = qa
            .all_samples(p.plan.id)
            .await
            .iter()
            .map(|s| s.record_id)
            .collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(records(&second).await, records(&plan).await);
    again["seed"] = json!(8);
    again["name"] = json!("另一个种子");
    let response = qa
        .send(Method::POST, "/api/v1/qa/plans", &qa.qa, &again)
        .await;
    let third: PlanDetail = serde_json::from_value(body_json(response).await).unwrap();
    assert_ne!(records(&third).await, records(&plan).await);
}

#[tokio::test]
async fn a_plan_with_nothing_in_scope_or_bad_fields_is_refused_field_by_field() {
    let qa = Qa::new().await;
    let body = json!({
        "name": "", "from": "2026-11-01", "to": "2026-11-19", "template_id": 99,
        "inspector_ids": [],
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/plans", &qa.qa, &body)
        .await;
    let p = problem(response, 422).await;
    let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "inspector_ids"]);
    let body = json!({
        "name": "空", "from": "2026-11-01", "to": "2026-11-19", "template_id": 99,
        "inspector_ids": [qa.people.agent],
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/plans", &qa.qa, &body)
        .await;
    let p = problem(response, 422).await;
    assert_eq!(
        codes(&p),
        [("template_id", "unknown"), ("inspector_ids", "unknown")]
    );
    let body = json!({
        "name": "空", "from": "2026-11-01", "to": "2026-11-19", "template_id": 1,
        "inspector_ids": [qa.people.qa],
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/plans", &qa.qa, &body)
        .await;
    let p = problem(response, 422).await;
    assert_eq!(p.errors[0].field, "scope");
    assert_eq!(p.errors[0].code, "empty");

    // A template without a check item (one from before the rule, rubric-only) is not offered
    // and not accepted; a new one is refused.
    for statement in [
        "INSERT INTO qa_templates (id, name_zh, name_en, updated_at)
         VALUES (50, '空模板', 'Empty', '2026-11-01T00:00:00Z')",
        "INSERT INTO qa_dimensions (template_id, position, name_zh, name_en)
         VALUES (50, 1, '态度', 'Attitude')",
    ] {
        pingjia_server::db::sql::query(statement)
            .execute(&qa.app.state.pool)
            .await
            .unwrap();
    }
    let options = body_json(qa.get("/api/v1/qa/options", &qa.qa).await).await;
    let offered: Vec<i64> = options["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert!(
        offered.contains(&1) && !offered.contains(&50),
        "{offered:?}"
    );
    let body = json!({
        "name": "空", "from": "2026-11-01", "to": "2026-11-19", "template_id": 50,
        "inspector_ids": [qa.people.qa],
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/plans", &qa.qa, &body)
        .await;
    let p = problem(response, 422).await;
    assert_eq!(codes(&p)[0], ("template_id", "no_items"));
    let body = json!({
        "name_zh": "只有维度", "dimensions": [{"name_zh": "态度", "items": []}],
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/templates", &qa.qa, &body)
        .await;
    let p = problem(response, 422).await;
    assert_eq!(codes(&p), [("dimensions", "no_items")]);
}

#[tokio::test]
async fn an_item_found_wanting_is_rectified_by_its_owner_and_rechecked_by_the_inspector() {
    let qa = Qa::new().await;
    qa.records(qa.people.member, qa.people.agent, 3).await;
    let plan = qa.plan(1, &[]).await;
    let sample = plan
        .samples
        .iter()
        .find(|s| s.inspector.id == qa.people.qa)
        .unwrap()
        .clone();
    let uri = format!("/api/v1/qa/samples/{}", sample.id);
    let sheet: InspectionSheet =
        serde_json::from_value(body_json(qa.get(&uri, &qa.qa).await).await).unwrap();
    assert!(sheet.editable);
    assert_eq!(
        sheet.owners.iter().map(|p| p.id).collect::<Vec<_>>(),
        [qa.people.agent, qa.people.lead],
        "the agent and their team lead"
    );
    // Friday + 3 working days = Wednesday.
    assert_eq!(sheet.default_deadline.to_string(), "2026-11-25");
    assert_eq!(sheet.template.dimensions.len(), 5);

    let put = format!("{uri}/inspection");
    // Without a problem description: 422 at the item.
    let response = qa
        .send(
            Method::PUT,
            &put,
            &qa.qa,
            &inspection(qa.people.agent, None),
        )
        .await;
    let p = problem(response, 422).await;
    assert_eq!(p.errors[0].field, "answers.2.problem");
    // The other inspector (the admin is one too, but this sample is dealt to Q0001) may, as an
    // admin; an agent may not reach it at all.
    let response = qa
        .send(
            Method::PUT,
            &put,
            &qa.agent,
            &inspection(qa.people.agent, Some("x")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let body = inspection(
        qa.people.agent,
        Some("10:05 客户描述退货问题时三次打断客户"),
    );
    let response = qa.send(Method::PUT, &put, &qa.qa, &body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Inspection = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(saved.qa_score, 3.6);
    // A second identical PUT leaves one inspection and one rectification.
    let response = qa.send(Method::PUT, &put, &qa.qa, &body).await;
    let saved: Inspection = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(saved.rectifications.len(), 1);
    let rectification = saved.rectifications[0].clone();
    assert_eq!(rectification.status, RectificationStatus::Open);
    assert_eq!(rectification.item_name_zh, "耐心倾听");

    let report = format!("/api/v1/qa/rectifications/{}/report", rectification.id);
    let done = json!({ "result": "rectified", "note": "完成倾听话术专项培训，模拟对话 3 次" });
    // Not its owner.
    let response = qa.send(Method::POST, &report, &qa.other_agent, &done).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = qa
        .send(
            Method::POST,
            &report,
            &qa.agent,
            &json!({ "result": "rectified", "note": " " }),
        )
        .await;
    assert_eq!(problem(response, 422).await.errors[0].field, "note");
    let response = qa.send(Method::POST, &report, &qa.agent, &done).await;
    let reported: Rectification = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(reported.status, RectificationStatus::Reported);
    let response = qa.send(Method::POST, &report, &qa.agent, &done).await;
    assert_eq!(
        problem(response, 409).await.code.as_deref(),
        Some("rectification_not_open")
    );
    // Once reported, the inspection stays as it is.
    let response = qa.send(Method::PUT, &put, &qa.qa, &body).await;
    assert_eq!(
        problem(response, 409).await.code.as_deref(),
        Some("inspection_locked")
    );

    let recheck = format!("/api/v1/qa/rectifications/{}/recheck", rectification.id);
    let response = qa
        .send(
            Method::POST,
            &recheck,
            &qa.qa,
            &json!({ "accepted": false }),
        )
        .await;
    assert_eq!(problem(response, 422).await.errors[0].field, "note");
    let response = qa
        .send(
            Method::POST,
            &recheck,
            &qa.qa,
            &json!({ "accepted": false, "note": "需附培训记录" }),
        )
        .await;
    let back: Rectification = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(back.status, RectificationStatus::Open);
    let response = qa.send(Method::POST, &report, &qa.agent, &done).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = qa
        .send(Method::POST, &recheck, &qa.qa, &json!({ "accepted": true }))
        .await;
    let closed: Rectification = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(closed.status, RectificationStatus::Closed);
    assert_eq!(closed.checked_by.unwrap().id, qa.people.qa);

    // The agent sees the result of the inspection and the rectification.
    let mine: MyQa =
        serde_json::from_value(body_json(qa.get("/api/v1/me/qa", &qa.agent).await).await).unwrap();
    assert_eq!(mine.inspections.len(), 1);
    assert_eq!(mine.inspections[0].dimensions[0].wanting, ["耐心倾听"]);
    assert_eq!(mine.rectifications.len(), 1);
    let theirs: MyQa =
        serde_json::from_value(body_json(qa.get("/api/v1/me/qa", &qa.other_agent).await).await)
            .unwrap();
    assert!(theirs.inspections.is_empty() && theirs.rectifications.is_empty());
}

#[tokio::test]
async fn the_report_gives_the_composite_of_customer_and_qa_scores_and_flags_dimensions_under_3() {
    let qa = Qa::new().await;
    // Ended on the 19th, inside the period and the rating window.
    let ended: DateTime<Utc> = "2026-11-19T03:00:00Z".parse().unwrap();
    let mut records = Vec::new();
    for i in 0..2 {
        records.push(
            qa.app
                .service_record(
                    qa.people.member,
                    qa.people.agent,
                    "online_chat",
                    ended + Duration::minutes(i),
                )
                .await,
        );
    }
    // The customer rates one of them: 5, 5, 4, 5, 5 → 4.8.
    let mut request = json_request(
        Method::POST,
        "/api/v1/evaluations",
        Some(&qa.customer),
        &json!({
            "service_record_id": records[0],
            "scores": { "attitude": 5, "professionalism": 5, "responsiveness": 4,
                        "resolution": 5, "compliance": 5 },
            "overall": 9,
        }),
    );
    request
        .headers_mut()
        .insert("idempotency-key", "rate-qa-record-1".parse().unwrap());
    assert_eq!(qa.app.request(request).await.status(), StatusCode::CREATED);
    let plan = qa.plan(3, &[]).await;
    let sample = &plan.samples[0];
    // Every dimension 4 except 服务态度 2 → QA score 3.6; composite 4.8 × 60 % + 3.6 × 40 %.
    let put = format!("/api/v1/qa/samples/{}/inspection", sample.id);
    let cookie = if sample.inspector.id == qa.people.qa {
        &qa.qa
    } else {
        &qa.admin
    };
    let response = qa
        .send(
            Method::PUT,
            &put,
            cookie,
            &inspection(qa.people.agent, Some("打断客户")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let uri = format!("/api/v1/qa/plans/{}/report", plan.plan.id);
    let report: PlanReport =
        serde_json::from_value(body_json(qa.get(&uri, &qa.qa).await).await).unwrap();
    assert_eq!(report.inspected, 1);
    assert_eq!(report.customer_score, Some(4.8));
    assert_eq!(report.qa_score, Some(3.6));
    assert_eq!(report.composite, Some(4.32));
    let attitude = &report.dimensions[0];
    assert_eq!((attitude.score, attitude.flagged), (Some(2.0), true));
    // 服务态度: items 1 and 3 compliant, 2 not: 2 of 3.
    assert_eq!(attitude.score_rate, Some(2.0 / 3.0));
    // 服务规范: item 4 N/A is left out: 2 of 2.
    assert_eq!(report.dimensions[1].score_rate, Some(1.0));
    assert_eq!(report.agents[0].composite, Some(4.32));
    assert_eq!(report.teams[0].who.name, "华东一组");
    assert_eq!(report.problems[0].item_name_zh, "耐心倾听");
    assert_eq!(report.problems[0].examples, ["打断客户"]);
    assert_eq!(report.highlights[0].text, "主动提醒客户会员权益");
    assert_eq!(report.rectifications.open, 1);

    let csv = qa.get(&format!("{uri}.csv"), &qa.qa).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = crate::common::body_text(csv).await;
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(text.contains("耐心倾听"));
    assert!(text.contains("4.32"));
}

#[tokio::test]
async fn only_qa_inspectors_and_admins_reach_qa_and_owners_their_own() {
    let qa = Qa::new().await;
    for cookie in [&qa.agent, &qa.customer] {
        for uri in [
            "/api/v1/qa/plans",
            "/api/v1/qa/templates",
            "/api/v1/qa/home",
        ] {
            assert_eq!(
                qa.get(uri, cookie).await.status(),
                StatusCode::FORBIDDEN,
                "{uri}"
            );
        }
    }
    assert_eq!(
        qa.get("/api/v1/me/qa", &qa.customer).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        qa.get("/api/v1/qa/plans", &qa.admin).await.status(),
        StatusCode::OK
    );
    let templates = body_json(qa.get("/api/v1/qa/templates", &qa.qa).await).await;
    assert_eq!(templates[0]["name_zh"], "客户服务质量标准检查表");
    assert_eq!(templates[0]["dimensions"].as_array().unwrap().len(), 5);
    assert_eq!(templates[1]["dimensions"][0]["levels"][0]["score"], 1);
}

#[tokio::test]
async fn a_template_in_use_is_copied_not_changed() {
    let qa = Qa::new().await;
    let body = json!({
        "name_zh": "新员工考核",
        "dimensions": [{ "name_zh": "服务态度", "items": [
            { "name_zh": "主动问候", "standard_zh": "使用规范话术" }
        ]}],
    });
    let response = qa
        .send(Method::POST, "/api/v1/qa/templates", &qa.qa, &body)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = body_json(response).await;
    assert_eq!(
        created["name_en"], "新员工考核",
        "English falls back to Chinese"
    );
    let id = created["id"].as_i64().unwrap();
    let mut changed = body.clone();
    changed["name_zh"] = json!("新员工试用期考核");
    let response = qa
        .send(
            Method::PUT,
            &format!("/api/v1/qa/templates/{id}"),
            &qa.qa,
            &changed,
        )
        .await;
    assert_eq!(body_json(response).await["name_zh"], "新员工试用期考核");
    // Template 1 gets a plan: it can no longer change.
    qa.records(qa.people.member, qa.people.agent, 1).await;
    qa.plan(1, &[]).await;
    let response = qa
        .send(Method::PUT, "/api/v1/qa/templates/1", &qa.qa, &changed)
        .await;
    assert_eq!(
        problem(response, 409).await.code.as_deref(),
        Some("template_in_use")
    );
}

#[tokio::test]
async fn an_inspected_sample_answers_as_the_document_says() {
    // Its scores are `{dimension_id, score}`; the document said the evaluation's
    // `DimensionScore {code, name_zh, name_en, optional}`, a type of the same name.
    let qa = Qa::new().await;
    qa.records(qa.people.member, qa.people.agent, 3).await;
    let plan = qa.plan(1, &[]).await;
    let sample = plan
        .samples
        .iter()
        .find(|s| s.inspector.id == qa.people.qa)
        .unwrap()
        .clone();
    let uri = format!("/api/v1/qa/samples/{}", sample.id);
    let body = inspection(qa.people.agent, Some("10:05 三次打断客户"));
    let response = qa
        .send(Method::PUT, &format!("{uri}/inspection"), &qa.qa, &body)
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    let document = contract::document().await;
    let sheet = body_json(qa.get(&uri, &qa.qa).await).await;
    assert_eq!(sheet["inspection"]["scores"][0]["dimension_id"], 1);
    let schema = contract::response_schema(&document, "get", "/api/v1/qa/samples/{id}", "200");
    assert_eq!(contract::conforms(&document, schema, &sheet, "$"), Ok(()));
}
