//! Anomalous evaluations (issue 8): the rules applied through the real `POST /evaluations`,
//! the review queue and its filters, bulk decisions in one transaction, restoring, the
//! lexicon, the audit log page, and that customers never see any of it. Every test runs on a
//! fixed clock and its own records; none depends on timing.

mod queue;

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::audit::AuditLogPage;
use pingjia_domain::moderation::{
    AbusiveTerm, DecisionOutcome, ModerationStatus, ReviewDetail, ReviewPage,
};
use pingjia_server::db::evaluations::COUNTED;
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{People, TestApp, body_json, empty_request, fields, json_request, problem};

/// 2026-11-22 10:00 in Shanghai.
fn start() -> DateTime<Utc> {
    "2026-11-22T02:00:00Z".parse().unwrap()
}

struct Moderation {
    app: TestApp,
    people: People,
}

/// Online chat answers that match no rule: 4, 4, 5, 4, 4 (mean 4.2) and 8 overall, the form
/// open a minute.
fn ordinary(record: i64) -> Value {
    json!({
        "service_record_id": record,
        "scores": {
            "attitude": 4, "professionalism": 4, "responsiveness": 5,
            "resolution": 4, "compliance": 4,
        },
        "overall": 8,
        "form_seconds": 60,
    })
}

fn with(mut answers: Value, field: &str, value: Value) -> Value {
    answers[field] = value;
    answers
}

fn scores(all: [u8; 5]) -> Value {
    json!({
        "attitude": all[0], "professionalism": all[1], "responsiveness": all[2],
        "resolution": all[3], "compliance": all[4],
    })
}

impl Moderation {
    async fn new() -> Moderation {
        let app = TestApp::new().await.at(start());
        let people = app.people().await;
        Moderation { app, people }
    }

    /// Rates a fresh record of `customer` served by `agent` (ended an hour ago) with
    /// `answers` (its `service_record_id` is filled in): the evaluation's number.
    async fn rate(&self, customer: i64, agent: i64, answers: Value) -> String {
        let (_, body) = self
            .app
            .rate_fresh(customer, agent, Duration::hours(1), answers, "moderation")
            .await;
        assert_eq!(body["status"], "recorded", "the customer is never told");
        body["number"].as_str().unwrap().to_owned()
    }

    /// As [`Moderation::rate`], ordinary answers but the form filled in one second (flagged
    /// `too_fast`).
    async fn rate_too_fast(&self, customer: i64, agent: i64) -> String {
        let answers = with(ordinary(0), "form_seconds", json!(1));
        self.rate(customer, agent, answers).await
    }

    /// As [`Moderation::rate_too_fast`], then deleted by the admin ("刷单").
    async fn deleted_too_fast(&self, customer: i64, agent: i64) -> String {
        let number = self.rate_too_fast(customer, agent).await;
        assert_eq!(
            self.decide(&[&number], "delete", "刷单").await.status(),
            StatusCode::OK
        );
        number
    }

    async fn id(&self, number: &str) -> i64 {
        sql::query_scalar("SELECT id FROM evaluations WHERE number = ?")
            .bind(number)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }

    async fn status(&self, number: &str) -> String {
        sql::query_scalar("SELECT status FROM evaluations WHERE number = ?")
            .bind(number)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }

    async fn rules(&self, number: &str) -> Vec<String> {
        sql::query_scalar(
            "SELECT f.rule FROM evaluation_flags f JOIN evaluations e ON e.id = f.evaluation_id
             WHERE e.number = ? ORDER BY f.rule",
        )
        .bind(number)
        .fetch_all(&self.app.state.pool)
        .await
        .unwrap()
    }

    async fn count(&self, sql: &str) -> i64 {
        sql::query_scalar(sql)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }

    async fn admin(&self) -> String {
        self.app.session(self.people.admin).await
    }

    async fn get(&self, uri: &str) -> Response<Body> {
        let cookie = self.admin().await;
        self.app
            .request(empty_request(Method::GET, uri, Some(&cookie)))
            .await
    }

    async fn send(&self, method: Method, uri: &str, body: Value) -> Response<Body> {
        let cookie = self.admin().await;
        self.app
            .request(json_request(method, uri, Some(&cookie), &body))
            .await
    }

    async fn queue(&self, query: &str) -> ReviewPage {
        let response = self.get(&format!("/api/v1/moderation/queue{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn detail(&self, number: &str) -> ReviewDetail {
        let id = self.id(number).await;
        let response = self
            .get(&format!("/api/v1/moderation/evaluations/{id}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn decide(&self, numbers: &[&str], decision: &str, reason: &str) -> Response<Body> {
        let mut ids = Vec::new();
        for number in numbers {
            ids.push(self.id(number).await);
        }
        self.decide_ids(&ids, decision, reason).await
    }

    async fn decide_ids(&self, ids: &[i64], decision: &str, reason: &str) -> Response<Body> {
        self.send(
            Method::POST,
            "/api/v1/moderation/decisions",
            json!({ "evaluation_ids": ids, "decision": decision, "reason": reason }),
        )
        .await
    }
}

fn numbers(page: &ReviewPage) -> Vec<&str> {
    page.items.iter().map(|i| i.number.as_str()).collect()
}

#[tokio::test]
async fn a_burst_is_flagged_whole_and_a_decision_stands() {
    let mut t = Moderation::new().await;
    let (member, agent) = (t.people.member, t.people.agent);
    let first = t.rate(member, agent, ordinary(0)).await;
    t.app.advance(Duration::minutes(30));
    let second = t.rate(member, agent, ordinary(0)).await;
    // Others do not add to the member's burst with E1001.
    t.rate(t.people.customer, agent, ordinary(0)).await;
    t.rate(member, t.people.other_agent, ordinary(0)).await;
    assert_eq!(t.status(&first).await, "active");
    assert_eq!(t.status(&second).await, "active");
    assert_eq!(t.queue("").await.total, 0);

    // Exactly 60 minutes after the first: it is still in the window.
    t.app.advance(Duration::minutes(30));
    let third = t.rate(member, agent, ordinary(0)).await;
    for number in [&first, &second, &third] {
        assert_eq!(t.status(number).await, "under_review", "{number}");
        assert_eq!(t.rules(number).await, ["brushing_burst"]);
    }
    let queue = t.queue("?status=under_review").await;
    assert_eq!(numbers(&queue), [&first, &second, &third], "oldest first");
    let item = &queue.items[2];
    assert_eq!(item.reasons.len(), 1);
    assert_eq!(item.reasons[0].rule, AnomalyRule::BrushingBurst);
    assert_eq!(
        item.reasons[0].detail,
        "3 evaluations of E1001 by this customer within 60 minutes"
    );
    assert_eq!(
        item.reasons[0].detail_zh,
        "该客户 60 分钟内对 E1001 提交了 3 条评价"
    );
    assert_eq!(item.agent_no, "E1001");
    assert_eq!(item.agent_name, "张伟");
    assert_eq!(item.customer_no, "C000001");
    assert_eq!(item.customer_phone.as_deref(), Some("138****0001"));
    assert_eq!(item.service_type, "online_chat");
    assert_eq!(item.total_score, 4.2);
    assert_eq!(item.overall, 8);
    assert_eq!(item.scores.len(), 6);
    assert_eq!(item.form_seconds, Some(60));
    assert_eq!(item.status, ModerationStatus::UnderReview);
    assert!(item.last_decision.is_none());

    // The admin keeps the burst; a fourth evaluation in the window is flagged on its own,
    // the kept ones stay kept.
    let response = t
        .decide(&[&first, &second, &third], "keep", "客户确有多次咨询")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    t.app.advance(Duration::minutes(10));
    let fourth = t.rate(member, agent, ordinary(0)).await;
    assert_eq!(t.status(&fourth).await, "under_review");
    for number in [&first, &second, &third] {
        assert_eq!(t.status(number).await, "active", "{number}");
    }
    // The window now holds the second, the third and this one.
    let detail = t.detail(&fourth).await;
    assert_eq!(
        detail.item.reasons[0].detail,
        "3 evaluations of E1001 by this customer within 60 minutes"
    );
    let kept = t.queue("?status=kept").await;
    assert_eq!(kept.total, 3);
    assert_eq!(
        kept.items[0].last_decision.as_ref().unwrap().reason,
        "客户确有多次咨询"
    );
}

#[tokio::test]
async fn a_burst_needs_every_evaluation_inside_the_window() {
    let mut t = Moderation::new().await;
    let (member, agent) = (t.people.member, t.people.agent);
    let first = t.rate(member, agent, ordinary(0)).await;
    t.app.advance(Duration::minutes(30));
    t.rate(member, agent, ordinary(0)).await;
    t.app.advance(Duration::minutes(30) + Duration::seconds(1));
    let third = t.rate(member, agent, ordinary(0)).await;
    assert_eq!(t.status(&first).await, "active");
    assert_eq!(
        t.status(&third).await,
        "active",
        "the first is 60 min 1 s old"
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM evaluation_flags").await, 0);
}

#[tokio::test]
async fn the_same_text_from_two_customers_flags_both() {
    let mut t = Moderation::new().await;
    let agent = t.people.agent;
    let said = |text: &str| with(ordinary(0), "suggestion", json!(text));
    let first = t
        .rate(
            t.people.member,
            agent,
            said("服务态度很好，问题解决得很快！"),
        )
        .await;
    // The same customer repeating themselves is not a duplicate.
    let again = t
        .rate(t.people.member, agent, said("服务态度很好 问题解决得很快"))
        .await;
    assert_eq!(t.status(&first).await, "active");
    assert_eq!(t.status(&again).await, "active");
    // Short texts never count.
    t.rate(t.people.member, t.people.other_agent, said("很好"))
        .await;
    let short = t.rate(t.people.customer, agent, said("很好！")).await;
    assert_eq!(t.status(&short).await, "active");

    t.app.advance(Duration::days(2));
    let copy = t
        .rate(
            t.people.customer,
            agent,
            said("  服务态度很好。问题解决得很快…… "),
        )
        .await;
    assert_eq!(t.rules(&copy).await, ["brushing_duplicate_text"]);
    assert_eq!(t.status(&copy).await, "under_review");
    assert_eq!(t.rules(&first).await, ["brushing_duplicate_text"]);
    assert_eq!(t.rules(&again).await, ["brushing_duplicate_text"]);
    let detail = t.detail(&copy).await;
    assert_eq!(
        detail.item.reasons[0].detail,
        "same text as 1 other customer within 30 days"
    );
    let queue = t.queue("?rule=brushing_duplicate_text").await;
    assert_eq!(numbers(&queue), [&first, &again, &copy]);
}

#[tokio::test]
async fn too_fast_extreme_and_inconsistent_evaluations_are_flagged() {
    let t = Moderation::new().await;
    let p = t.people;
    let fast = t
        .rate(
            p.member,
            p.agent,
            with(ordinary(0), "form_seconds", json!(3)),
        )
        .await;
    let just_enough = t
        .rate(
            p.customer,
            p.agent,
            with(ordinary(0), "form_seconds", json!(10)),
        )
        .await;
    let all_five = with(
        with(ordinary(0), "scores", scores([5; 5])),
        "overall",
        json!(10),
    );
    let extreme = t.rate(p.customer, p.other_agent, all_five).await;
    let low = with(
        with(ordinary(0), "scores", scores([2, 2, 1, 2, 2])),
        "overall",
        json!(9),
    );
    let inconsistent = t.rate(p.member, p.other_agent, low).await;

    assert_eq!(t.rules(&fast).await, ["too_fast"]);
    assert!(t.rules(&just_enough).await.is_empty());
    assert_eq!(t.status(&just_enough).await, "active");
    assert_eq!(t.rules(&extreme).await, ["extreme"]);
    assert_eq!(t.rules(&inconsistent).await, ["inconsistent"]);

    let detail = t.detail(&fast).await;
    assert_eq!(
        detail.item.reasons[0].detail,
        "form filled in 3 s (less than 10 s)"
    );
    let detail = t.detail(&extreme).await;
    assert_eq!(
        detail.item.reasons[0].detail,
        "all 5 answered dimensions at 5 stars"
    );
    let detail = t.detail(&inconsistent).await;
    assert_eq!(
        detail.item.reasons[0].detail,
        "overall 9/10 but dimensions average 1.8/5 (gap 5.4, threshold 5)"
    );
    assert!(detail.decisions.is_empty());
    // The detail answers for any evaluation, flagged or not.
    assert!(t.detail(&just_enough).await.item.reasons.is_empty());
    let response = t.get("/api/v1/moderation/evaluations/999999").await;
    problem(response, 404).await;
}

#[tokio::test]
async fn abusive_words_from_the_lexicon_admins_edit() {
    let t = Moderation::new().await;
    let p = t.people;
    let response = t
        .send(
            Method::POST,
            "/api/v1/moderation/terms",
            json!({ "term": "  Rubbish " }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let term: AbusiveTerm = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(term.term, "rubbish");
    assert_eq!(term.added_by_id, Some(p.admin));
    assert_eq!(term.added_by_name.as_deref(), Some("梁志远"));
    let again = t
        .send(
            Method::POST,
            "/api/v1/moderation/terms",
            json!({ "term": "RUBBISH" }),
        )
        .await;
    let problem_doc = problem(again, 422).await;
    assert_eq!(problem_doc.errors[0].code, "duplicate");
    let blank = t
        .send(
            Method::POST,
            "/api/v1/moderation/terms",
            json!({ "term": " " }),
        )
        .await;
    assert_eq!(problem(blank, 422).await.errors[0].code, "required");

    let terms: Vec<AbusiveTerm> =
        serde_json::from_value(body_json(t.get("/api/v1/moderation/terms").await).await).unwrap();
    assert!(
        terms
            .iter()
            .any(|t| t.term == "垃圾" && t.added_by_id.is_none())
    );
    assert!(terms.iter().any(|t| t.term == "rubbish"));

    let said = |text: &str| with(ordinary(0), "suggestion", json!(text));
    let english = t
        .rate(p.member, p.agent, said("Total RUBBISH, never again"))
        .await;
    let chinese = t.rate(p.customer, p.agent, said("什么垃圾客服")).await;
    let clean = t
        .rate(p.customer, p.other_agent, said("rubber gloves were fine"))
        .await;
    assert_eq!(t.rules(&english).await, ["abusive"]);
    assert_eq!(t.rules(&chinese).await, ["abusive"]);
    assert!(t.rules(&clean).await.is_empty());
    let detail = t.detail(&english).await;
    assert_eq!(detail.item.reasons[0].detail, "abusive words: rubbish");
    assert_eq!(detail.item.reasons[0].detail_zh, "含不当用语：rubbish");

    let response = t
        .app
        .request(empty_request(
            Method::DELETE,
            "/api/v1/moderation/terms/RUBBISH",
            Some(&t.admin().await),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = t
        .app
        .request(empty_request(
            Method::DELETE,
            "/api/v1/moderation/terms/rubbish",
            Some(&t.admin().await),
        ))
        .await;
    problem(response, 404).await;
    let response = t
        .app
        .request(empty_request(
            Method::DELETE,
            "/api/v1/moderation/terms/%E5%9E%83%E5%9C%BE",
            Some(&t.admin().await),
        ))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::NO_CONTENT,
        "垃圾, percent-encoded"
    );
    let later = t.rate(p.member, p.other_agent, said("rubbish")).await;
    assert!(t.rules(&later).await.is_empty(), "no longer in the lexicon");
    assert_eq!(
        t.rules(&english).await,
        ["abusive"],
        "flags stay as history"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'abusive_term.%'")
            .await,
        3
    );
}

#[tokio::test]
async fn invisible_characters_and_look_alike_letters_do_not_hide_words_or_repeats() {
    let mut t = Moderation::new().await;
    let p = t.people;
    let said = |text: &str| with(ordinary(0), "suggestion", json!(text));
    // 傻逼 and idiot are in the shipped lexicon; each of these looks like them to the agent.
    for hidden in [
        "客服是傻\u{200B}逼",
        "客服是傻\u{200D}逼",
        "客服是傻\u{00AD}逼",
        "客服是傻\u{2060}逼",
        "what an idi\u{200B}ot",
        "what an idiоt",
    ] {
        let number = t.rate(p.member, p.agent, said(hidden)).await;
        assert_eq!(t.rules(&number).await, ["abusive"], "{hidden:?}");
        // Out of the burst window: each is flagged for its words only.
        t.app.advance(Duration::hours(2));
    }
    // The duplicate-text rule compares in the same form: a Cyrillic о is the same text.
    let first = t
        .rate(p.member, p.other_agent, said("Good job, thanks a lot"))
        .await;
    assert!(t.rules(&first).await.is_empty());
    let copy = t
        .rate(
            p.customer,
            p.other_agent,
            said("Gоod jоb, th\u{200B}anks a lot"),
        )
        .await;
    assert_eq!(t.rules(&copy).await, ["brushing_duplicate_text"]);
}

#[tokio::test]
async fn a_control_character_in_a_term_is_refused_with_its_field() {
    let t = Moderation::new().await;
    for bad in ["bad\u{0}word", "bad\u{1b}[31mword", "two\nlines"] {
        let response = t
            .send(
                Method::POST,
                "/api/v1/moderation/terms",
                json!({ "term": bad }),
            )
            .await;
        let refused = problem(response, 422).await;
        assert_eq!(
            (
                refused.errors[0].field.as_str(),
                refused.errors[0].code.as_str()
            ),
            ("term", "control_character"),
            "{bad:?}"
        );
    }
    assert_eq!(
        t.count("SELECT COUNT(*) FROM abusive_terms WHERE term LIKE 'bad%' OR term LIKE 'two%'")
            .await,
        0
    );
}
