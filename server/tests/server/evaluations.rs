//! The rating flow: a customer's records, the rating form, submitting (checks, the server's
//! total score and number, idempotency), reading evaluations back, the history. Every test
//! runs on a fixed clock and its own records; none depends on timing.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::Problem;
use pingjia_domain::catalog::SERVICE_TYPES;
use pingjia_domain::evaluations::{
    Evaluation, MyEvaluationPage, MyRecords, RatingForm, RatingState,
};
use pingjia_server::db::settings::SettingsCache;
use pingjia_server::db::sql;
use pingjia_server::http::idempotency::{InFlight, sha256_hex};
use pingjia_server::services::analytics;
use pingjia_server::time::to_db;
use serde_json::{Value, json};

use crate::common::{
    People, TestApp, body_json, body_text, empty_request, header, json_request, problem,
};

/// 2026-11-22 01:30 in Shanghai, still the 21st in UTC: numbers take the organisation's day.
fn start() -> DateTime<Utc> {
    "2026-11-21T17:30:00Z".parse().unwrap()
}

pub(crate) const KEY: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// A fresh app on a fixed clock with [`People`], both customers signed in.
pub(crate) struct Rating {
    pub(crate) app: TestApp,
    pub(crate) people: People,
    /// `C000001`'s session.
    pub(crate) member: String,
    /// `C000002`'s session.
    pub(crate) customer: String,
}

impl Rating {
    pub(crate) async fn new() -> Rating {
        let app = TestApp::new().await.at(start());
        let people = app.people().await;
        let member = app.session(people.member).await;
        let customer = app.session(people.customer).await;
        Rating {
            app,
            people,
            member,
            customer,
        }
    }

    /// Moves the clock on; the customers sign in again (sessions end after 2 idle hours).
    async fn advance(&mut self, by: Duration) {
        self.app.advance(by);
        self.member = self.app.session(self.people.member).await;
        self.customer = self.app.session(self.people.customer).await;
    }

    /// An online chat record of `customer` with the agent `E1001` that ended `ago` before
    /// the app's now (negative: ends later).
    pub(crate) async fn record(&self, customer: i64, ago: Duration) -> i64 {
        self.app
            .service_record(
                customer,
                self.people.agent,
                "online_chat",
                self.app.now() - ago,
            )
            .await
    }

    pub(crate) async fn submit(
        &self,
        cookie: &str,
        key: Option<&str>,
        body: &Value,
    ) -> Response<Body> {
        self.submit_raw(cookie, key, body.to_string()).await
    }

    async fn submit_raw(&self, cookie: &str, key: Option<&str>, body: String) -> Response<Body> {
        let mut request = json_request(
            Method::POST,
            "/api/v1/evaluations",
            Some(cookie),
            &json!({}),
        );
        *request.body_mut() = Body::from(body);
        if let Some(key) = key {
            request
                .headers_mut()
                .insert("idempotency-key", key.parse().unwrap());
        }
        self.app.request(request).await
    }

    /// Submits [`answers`] for `record` with a key of its own: the evaluation.
    async fn rate(&self, cookie: &str, record: i64) -> Evaluation {
        let key = format!("key-of-record-{record}");
        let response = self.submit(cookie, Some(&key), &answers(record)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    pub(crate) async fn get(&self, cookie: &str, uri: &str) -> Response<Body> {
        self.app
            .request(empty_request(Method::GET, uri, Some(cookie)))
            .await
    }

    pub(crate) async fn count(&self, sql: &str) -> i64 {
        sql::query_scalar(sql)
            .fetch_one(&self.app.state.pool)
            .await
            .unwrap()
    }

    pub(crate) async fn evaluations(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM evaluations").await
    }
}

/// Online chat answers: 5, 5, 4, 5, 5 for the required dimensions, the optional `added_value`
/// unanswered.
pub(crate) fn answers(record: i64) -> Value {
    json!({
        "service_record_id": record,
        "scores": {
            "attitude": 5, "professionalism": 5, "responsiveness": 4,
            "resolution": 5, "compliance": 5,
        },
        "overall": 9,
        "suggestion": "  回复很及时，谢谢  ",
        "form_seconds": 42,
    })
}

fn online_chat_codes() -> Vec<&'static str> {
    SERVICE_TYPES
        .iter()
        .find(|t| t.code == "online_chat")
        .unwrap()
        .dimensions
        .iter()
        .map(|(code, _)| *code)
        .collect()
}

/// Submits `record`'s answers as the member with the idempotency key `key`, answered
/// `status`: the problem.
async fn refused(t: &Rating, key: &str, record: i64, status: u16) -> Problem {
    problem(
        t.submit(&t.member, Some(key), &answers(record)).await,
        status,
    )
    .await
}

#[tokio::test]
async fn the_server_scores_numbers_and_locates_a_submission() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let response = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header(&response, "location"),
        Some("/api/v1/evaluations/PJ20261122-000001")
    );
    assert_eq!(header(&response, "idempotent-replayed"), None);
    let evaluation: Evaluation = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(evaluation.number, "PJ20261122-000001");
    assert_eq!(evaluation.total_score, 4.8);
    assert_eq!(evaluation.overall, 9);
    assert_eq!(evaluation.suggestion.as_deref(), Some("回复很及时，谢谢"));
    assert_eq!(evaluation.submitted_at, t.app.now());
    assert_eq!(
        serde_json::to_value(evaluation.status).unwrap(),
        json!("recorded")
    );
    assert_eq!(evaluation.record.id, record);
    assert_eq!(evaluation.record.customer_no, "C000001");
    assert_eq!(evaluation.record.agent_no, "E1001");
    assert_eq!(evaluation.record.agent_name, "张伟");
    assert_eq!(evaluation.record.service_type, "online_chat");
    let codes: Vec<&str> = evaluation.scores.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, online_chat_codes());
    let added = evaluation
        .scores
        .iter()
        .find(|s| s.code == "added_value")
        .unwrap();
    assert!(added.optional);
    assert_eq!(added.score, None, "unanswered, and out of the mean");
    assert_eq!(evaluation.scores[0].name_zh, "服务态度");

    let (customer, agent, service_type, form_seconds): (i64, i64, String, Option<i64>) =
        sql::query_as("SELECT customer_id, agent_id, service_type, form_seconds FROM evaluations")
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
    assert_eq!(
        (customer, agent, service_type.as_str(), form_seconds),
        (t.people.member, t.people.agent, "online_chat", Some(42))
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM evaluation_scores").await,
        6,
        "a snapshot row per dimension of the form"
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM evaluation_scores WHERE score IS NULL AND optional = TRUE")
            .await,
        1
    );
    assert_eq!(
        t.count("SELECT COUNT(*) FROM audit_log WHERE action = 'evaluation.submitted'")
            .await,
        1
    );

    // The day's sequence goes on; the next day (Shanghai time) starts again.
    let second = t.record(t.people.customer, Duration::hours(1)).await;
    assert_eq!(
        t.rate(&t.customer, second).await.number,
        "PJ20261122-000002"
    );
    let mut t = t;
    t.advance(Duration::hours(23)).await;
    let third = t.record(t.people.member, Duration::hours(1)).await;
    assert_eq!(t.rate(&t.member, third).await.number, "PJ20261123-000001");
}

#[tokio::test]
async fn a_new_evaluation_is_written_with_what_the_analytics_read() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    sql::query("UPDATE service_records SET category = 'complaint' WHERE id = ?")
        .bind(record)
        .execute(&t.app.state.pool)
        .await
        .unwrap();
    let evaluation = t.rate(&t.member, record).await;
    let pool = &t.app.state.pool;
    let columns: (String, String, String, String, bool) = sql::query_as(
        "SELECT channel, category, customer_type, submitted_day, terms_indexed
         FROM evaluations WHERE number = ?",
    )
    .bind(&evaluation.number)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        columns,
        (
            "online".to_owned(),
            "complaint".to_owned(),
            "member".to_owned(),
            "2026-11-22".to_owned(),
            true
        ),
        "the record's channel and category, the customer's type, the organisation's day"
    );
    let copies: Vec<(String, bool, String, String)> = sql::query_as(
        "SELECT DISTINCT s.submitted_day, s.status = e.status, s.channel, s.customer_type
         FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id
         WHERE e.number = ?",
    )
    .bind(&evaluation.number)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        copies,
        [(
            "2026-11-22".to_owned(),
            true,
            "online".to_owned(),
            "member".to_owned()
        )],
        "every score carries the evaluation's columns"
    );
    let terms: Vec<(String, String)> = sql::query_as(
        "SELECT t.term, t.submitted_day FROM evaluation_terms t
         JOIN evaluations e ON e.id = t.evaluation_id WHERE e.number = ? ORDER BY t.term",
    )
    .bind(&evaluation.number)
    .fetch_all(pool)
    .await
    .unwrap();
    let expected: Vec<(String, String)> = analytics::terms("回复很及时，谢谢")
        .into_keys()
        .map(|term| (term, "2026-11-22".to_owned()))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        terms, expected,
        "the suggestion's terms, for the word cloud"
    );
}

#[tokio::test]
async fn the_total_score_is_never_the_clients() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let mut body = answers(record);
    body["total_score"] = json!(1.0);
    let response = t.submit(&t.member, Some(KEY), &body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.evaluations().await, 0);
}

#[tokio::test]
async fn a_service_is_rated_after_it_ends_and_within_the_window() {
    let mut t = Rating::new().await;
    let later = t.record(t.people.member, Duration::hours(-2)).await;
    let p = refused(&t, KEY, later, 409).await;
    assert_eq!(p.code.as_deref(), Some("service_not_ended"));

    let first = t.record(t.people.member, Duration::hours(1)).await;
    let second = t.record(t.people.member, Duration::hours(1)).await;
    // The window's last instant is still inside.
    t.advance(Duration::days(7) - Duration::hours(1)).await;
    t.rate(&t.member, first).await;
    t.advance(Duration::seconds(1)).await;
    let p = refused(&t, KEY, second, 409).await;
    assert_eq!(p.code.as_deref(), Some("rating_window_closed"));
    let until = to_db(start() - Duration::hours(1) + Duration::days(7));
    assert!(p.detail.unwrap().contains(&until), "says until when");
    // A rated record says so, with its number, even once its window has closed.
    let p = refused(&t, "late-retry-key", first, 409).await;
    assert_eq!(p.code.as_deref(), Some("already_rated"));
    assert!(p.reference.is_some());
    assert_eq!(t.evaluations().await, 1);
}

#[tokio::test]
async fn a_record_is_rated_once_whatever_the_key() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let first = t.rate(&t.member, record).await;
    let p = refused(&t, "another-key-123", record, 409).await;
    assert_eq!(p.code.as_deref(), Some("already_rated"));
    assert_eq!(p.reference.as_deref(), Some(first.number.as_str()));
    assert!(p.detail.unwrap().contains(&first.number));
    assert_eq!(t.evaluations().await, 1);
}

#[tokio::test]
async fn invalid_answers_are_named_per_field_and_nothing_is_written() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let body = json!({
        "service_record_id": record,
        "scores": { "attitude": 0, "professionalism": 6, "bogus": 3, "compliance": 5 },
        "overall": 11,
        "suggestion": "好".repeat(501),
    });
    let p = problem(t.submit(&t.member, Some(KEY), &body).await, 422).await;
    let code = |field: &str| {
        p.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code.as_str())
    };
    assert_eq!(code("scores.attitude"), Some("out_of_range"));
    assert_eq!(code("scores.professionalism"), Some("out_of_range"));
    assert_eq!(code("scores.bogus"), Some("unknown_dimension"));
    assert_eq!(code("scores.responsiveness"), Some("required"));
    assert_eq!(code("scores.resolution"), Some("required"));
    assert_eq!(code("scores.compliance"), None);
    assert_eq!(code("scores.added_value"), None, "optional");
    assert_eq!(code("overall"), Some("out_of_range"));
    assert_eq!(code("suggestion"), Some("too_long"));
    assert_eq!(t.evaluations().await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM evaluation_scores").await, 0);
    assert_eq!(t.count("SELECT COUNT(*) FROM idempotency_keys").await, 0);

    // 500 characters are fine.
    let mut body = answers(record);
    body["suggestion"] = json!("好".repeat(500));
    assert_eq!(
        t.submit(&t.member, Some("fresh-key-500"), &body)
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_failed_request_may_be_retried_with_the_same_key() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let mut body = answers(record);
    body["overall"] = json!(0);
    problem(t.submit(&t.member, Some(KEY), &body).await, 422).await;
    let response = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "idempotent-replayed"), None);
    assert_eq!(t.evaluations().await, 1);
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_the_first_answer() {
    let mut t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let first = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let location = header(&first, "location").unwrap().to_owned();
    let first_body = body_text(first).await;

    let replay = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(header(&replay, "idempotent-replayed"), Some("true"));
    assert_eq!(header(&replay, "location"), Some(location.as_str()));
    assert_eq!(header(&replay, "content-type"), Some("application/json"));
    assert_eq!(body_text(replay).await, first_body, "the same bytes");
    assert_eq!(t.evaluations().await, 1);

    // After a restart: nothing in memory, the stored answer still there.
    t.app.state.in_flight = InFlight::default();
    t.app.state.settings = SettingsCache::default();
    t.advance(Duration::hours(23)).await;
    let replay = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    assert_eq!(header(&replay, "idempotent-replayed"), Some("true"));
    assert_eq!(body_text(replay).await, first_body);
    assert_eq!(t.evaluations().await, 1);

    // A day on, the key is forgotten: the request is checked anew, and deleted when another
    // answer is stored.
    t.advance(Duration::hours(1) + Duration::seconds(1)).await;
    let p = refused(&t, KEY, record, 409).await;
    assert_eq!(p.code.as_deref(), Some("already_rated"));
    let other = t.record(t.people.member, Duration::hours(1)).await;
    t.rate(&t.member, other).await;
    assert_eq!(
        t.count(&format!(
            "SELECT COUNT(*) FROM idempotency_keys WHERE key = '{KEY}'"
        ))
        .await,
        0
    );
    assert_eq!(t.count("SELECT COUNT(*) FROM idempotency_keys").await, 1);
}

#[tokio::test]
async fn the_same_key_with_another_request_is_refused() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    assert_eq!(
        t.submit(&t.member, Some(KEY), &answers(record))
            .await
            .status(),
        StatusCode::CREATED
    );
    let mut other = answers(record);
    other["overall"] = json!(3);
    let p = problem(t.submit(&t.member, Some(KEY), &other).await, 422).await;
    assert_eq!(p.code.as_deref(), Some("idempotency_key_reused"));
    // The body's bytes count, not its meaning.
    let spaced = format!(" {}", answers(record));
    let p = problem(t.submit_raw(&t.member, Some(KEY), spaced).await, 422).await;
    assert_eq!(p.code.as_deref(), Some("idempotency_key_reused"));

    // Keys are per user: another customer may use the same one.
    let theirs = t.record(t.people.customer, Duration::hours(1)).await;
    assert_eq!(
        t.submit(&t.customer, Some(KEY), &answers(theirs))
            .await
            .status(),
        StatusCode::CREATED
    );

    // A key is bound to its route too.
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let body = answers(record).to_string();
    sql::query(
        "INSERT INTO idempotency_keys (user_id, key, route, request_hash, status, response, created_at)
         VALUES (?, 'used-on-another-route', 'POST /api/v1/appeals', ?, 201, '{}', ?)",
    )
    .bind(t.people.member)
    .bind(sha256_hex(body.as_bytes()))
    .bind(to_db(t.app.now()))
    .execute(&t.app.state.pool)
    .await
    .unwrap();
    let p = problem(
        t.submit_raw(&t.member, Some("used-on-another-route"), body)
            .await,
        422,
    )
    .await;
    assert_eq!(p.code.as_deref(), Some("idempotency_key_reused"));
    assert_eq!(t.evaluations().await, 2);
}

#[tokio::test]
async fn a_duplicate_while_the_first_is_in_flight_is_told_to_retry() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    // The first request is being handled: its marker is held.
    let first = t.app.state.in_flight.claim(t.people.member, KEY).unwrap();
    let response = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(header(&response, "retry-after"), Some("1"));
    let p = problem(response, 409).await;
    assert_eq!(p.code.as_deref(), Some("idempotency_in_flight"));
    assert_eq!(t.evaluations().await, 0);
    // Another user's same key is not held up.
    let theirs = t.record(t.people.customer, Duration::hours(1)).await;
    assert_eq!(
        t.submit(&t.customer, Some(KEY), &answers(theirs))
            .await
            .status(),
        StatusCode::CREATED
    );

    drop(first);
    let response = t.submit(&t.member, Some(KEY), &answers(record)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(
        !t.app.state.in_flight.contains(t.people.member, KEY),
        "released after the answer"
    );
    // A failed request releases its marker too.
    let p = refused(&t, "failing-key", record, 409).await;
    assert_eq!(p.code.as_deref(), Some("already_rated"));
    assert!(
        !t.app
            .state
            .in_flight
            .contains(t.people.member, "failing-key")
    );
}

#[tokio::test]
async fn submissions_need_a_valid_idempotency_key() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let p = problem(t.submit(&t.member, None, &answers(record)).await, 400).await;
    assert_eq!(p.code.as_deref(), Some("idempotency_key_required"));
    for bad in ["short", "has a space in it", &"k".repeat(129)] {
        let p = refused(&t, bad, record, 400).await;
        assert_eq!(p.code.as_deref(), Some("idempotency_key_invalid"), "{bad}");
    }
    assert_eq!(t.evaluations().await, 0);
}

#[tokio::test]
async fn customers_rate_only_their_own_records() {
    let t = Rating::new().await;
    let theirs = t.record(t.people.customer, Duration::hours(1)).await;
    refused(&t, KEY, theirs, 404).await;
    refused(&t, KEY, 9999, 404).await;
    assert_eq!(t.evaluations().await, 0);
}

#[tokio::test]
async fn the_rating_form_has_the_record_and_its_dimensions() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let uri = format!("/api/v1/me/service-records/{record}");
    let response = t.get(&t.member, &uri).await;
    assert_eq!(response.status(), StatusCode::OK);
    let form: RatingForm = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(form.record.id, record);
    assert_eq!(form.record.customer_no, "C000001");
    assert_eq!(
        serde_json::to_value(form.record.customer_type).unwrap(),
        json!("member")
    );
    assert_eq!(form.record.agent_no, "E1001");
    assert_eq!(form.record.agent_name, "张伟");
    assert_eq!(form.record.service_type_name_zh, "在线客服咨询");
    assert_eq!(form.record.order_no, Some(format!("SO{record:06}")));
    assert_eq!(form.record.ended_at, start() - Duration::hours(1));
    let codes: Vec<&str> = form.dimensions.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, online_chat_codes());
    assert!(form.dimensions.iter().all(|d| !d.description_zh.is_empty()));
    assert_eq!(
        form.dimensions.iter().filter(|d| d.optional).count(),
        1,
        "added value"
    );
    assert_eq!(form.state, RatingState::Awaiting);
    assert_eq!(
        form.rate_until,
        start() - Duration::hours(1) + Duration::days(7)
    );
    assert_eq!(form.evaluation, None);
    assert_eq!(form.now, start());

    let evaluation = t.rate(&t.member, record).await;
    let form: RatingForm =
        serde_json::from_value(body_json(t.get(&t.member, &uri).await).await).unwrap();
    assert_eq!(form.state, RatingState::Rated);
    assert_eq!(form.evaluation, Some(evaluation));

    problem(t.get(&t.customer, &uri).await, 404).await;
    problem(
        t.get(&t.member, "/api/v1/me/service-records/9999").await,
        404,
    )
    .await;
}

#[tokio::test]
async fn evaluations_are_looked_up_by_their_owner_and_admins() {
    let t = Rating::new().await;
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let evaluation = t.rate(&t.member, record).await;
    let uri = format!("/api/v1/evaluations/{}", evaluation.number);
    let own: Evaluation =
        serde_json::from_value(body_json(t.get(&t.member, &uri).await).await).unwrap();
    assert_eq!(own, evaluation);
    let sloppy = "/api/v1/evaluations/%20pj20261122-000001%20";
    let response = t.get(&t.member, sloppy).await;
    assert_eq!(response.status(), StatusCode::OK, "case and blanks ignored");

    problem(t.get(&t.customer, &uri).await, 404).await;
    let admin = t.app.session(t.people.admin).await;
    let response = t.get(&admin, &uri).await;
    assert_eq!(response.status(), StatusCode::OK);
    problem(
        t.get(&t.member, "/api/v1/evaluations/PJ20261122-000999")
            .await,
        404,
    )
    .await;
    problem(t.get(&t.member, "/api/v1/evaluations/hello").await, 404).await;
}

#[tokio::test]
async fn the_history_is_newest_first_a_page_at_a_time() {
    let mut t = Rating::new().await;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let record = t.record(t.people.member, Duration::hours(1)).await;
        numbers.push(t.rate(&t.member, record).await.number);
        t.advance(Duration::minutes(5)).await;
    }
    let theirs = t.record(t.people.customer, Duration::hours(1)).await;
    t.rate(&t.customer, theirs).await;
    numbers.reverse();

    let page = |uri: &'static str| {
        let t = &t;
        async move {
            let response = t.get(&t.member, uri).await;
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
            serde_json::from_value::<MyEvaluationPage>(body_json(response).await).unwrap()
        }
    };
    let all = page("/api/v1/me/evaluations").await;
    assert_eq!((all.total, all.page, all.per_page), (3, 1, 20));
    let listed: Vec<&str> = all.evaluations.iter().map(|e| e.number.as_str()).collect();
    assert_eq!(listed, numbers);
    let first = &all.evaluations[0];
    assert_eq!(first.total_score, 4.8);
    assert_eq!(first.overall, 9);
    assert_eq!(first.agent_name, "张伟");
    assert_eq!(first.service_type_name_en, "Online chat support");
    assert_eq!(
        serde_json::to_value(first.status).unwrap(),
        json!("recorded")
    );

    let one = page("/api/v1/me/evaluations?page=1&per_page=2").await;
    assert_eq!(one.evaluations.len(), 2);
    assert_eq!(one.evaluations[0].number, numbers[0]);
    let two = page("/api/v1/me/evaluations?page=2&per_page=2").await;
    assert_eq!(two.total, 3);
    assert_eq!(two.evaluations.len(), 1);
    assert_eq!(two.evaluations[0].number, numbers[2]);

    for bad in [
        "/api/v1/me/evaluations?per_page=101",
        "/api/v1/me/evaluations?page=0",
    ] {
        problem(t.get(&t.member, bad).await, 422).await;
    }
}

#[tokio::test]
async fn my_records_put_the_ones_closing_soonest_first() {
    let t = Rating::new().await;
    let member = t.people.member;
    let recent = t.record(member, Duration::hours(1)).await;
    let edge = t.record(member, Duration::days(7)).await;
    let middle = t.record(member, Duration::days(3)).await;
    let old = t.record(member, Duration::days(6)).await;
    let expired = t
        .record(member, Duration::days(7) + Duration::seconds(1))
        .await;
    let later = t.record(member, Duration::hours(-2)).await;
    let rated = t.record(member, Duration::days(2)).await;
    let evaluation = t.rate(&t.member, rated).await;
    t.record(t.people.customer, Duration::hours(1)).await;

    let response = t.get(&t.member, "/api/v1/me/service-records").await;
    assert_eq!(response.status(), StatusCode::OK);
    let mine: MyRecords = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(mine.now, start());
    let ids = |records: &[pingjia_domain::evaluations::MyRecord]| {
        records.iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&mine.awaiting), [edge, old, middle, recent]);
    assert!(
        mine.awaiting
            .iter()
            .all(|r| r.state == RatingState::Awaiting && r.evaluation.is_none())
    );
    assert_eq!(mine.awaiting[0].rate_until, start(), "closes right now");
    assert_eq!(mine.awaiting[0].agent_no, "E1001");
    assert_eq!(ids(&mine.others), [later, rated, expired], "newest first");
    assert_eq!(mine.others_total, 3);
    let states: Vec<RatingState> = mine.others.iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            RatingState::NotEnded,
            RatingState::Rated,
            RatingState::Expired
        ]
    );
    let summary = mine.others[1].evaluation.as_ref().unwrap();
    assert_eq!(summary.number, evaluation.number);
    assert_eq!(summary.total_score, 4.8);
    assert_eq!(summary.overall, 9);
    assert_eq!(summary.submitted_at, start());
}

#[tokio::test]
async fn at_most_100_other_records_are_listed() {
    let t = Rating::new().await;
    for i in 0..105 {
        t.record(t.people.member, Duration::days(30) + Duration::minutes(i))
            .await;
    }
    let mine: MyRecords = serde_json::from_value(
        body_json(t.get(&t.member, "/api/v1/me/service-records").await).await,
    )
    .unwrap();
    assert!(mine.awaiting.is_empty());
    assert_eq!(mine.others.len(), 100);
    assert_eq!(mine.others_total, 105);
    assert!(
        mine.others
            .windows(2)
            .all(|w| w[0].started_at >= w[1].started_at)
    );
}
