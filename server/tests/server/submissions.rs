//! Rating submissions as the write lock sees them: what runs under it reads on indexes, the
//! answer built without reading back is what reading back gives, and submissions at once each
//! get their own number. (`make bench-submit` measures them under load.)

use axum::body::Body;
use axum::http::{Response, StatusCode};
use chrono::Duration;
use pingjia_domain::evaluations::Evaluation;
use pingjia_server::db::sql;
use serde_json::json;

use crate::common::{body_json, header};
use crate::evaluations::{KEY, Rating, answers};

/// The details of `EXPLAIN QUERY PLAN` of `sql` (its `?` bound to text).
async fn plan(t: &Rating, sql: &str, params: usize) -> Vec<String> {
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut query = sql::query_as::<(i64, i64, i64, String)>(&explain);
    for _ in 0..params {
        query = query.bind("x");
    }
    query
        .fetch_all(&t.app.state.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, _, _, detail)| detail)
        .collect()
}

#[tokio::test]
async fn every_read_under_the_write_lock_searches_an_index() {
    let t = Rating::new().await;
    if t.app.on_postgres() {
        // SQLite's one write lock, and its plans; PostgreSQL's planner scans a small table.
        return;
    }
    for (sql, params) in [(pingjia_server::services::moderation::LOOK_BACK, 7)] {
        let details = plan(&t, sql, params).await;
        // A scan of the partial index of unkeyed suggestions reads only those (none, once
        // keyed): the rows wanted, like a search.
        let scans: Vec<&String> = details
            .iter()
            .filter(|d| d.contains("evaluations") && !d.starts_with("SEARCH"))
            .filter(|d| *d != "SCAN evaluations USING INDEX evaluations_unkeyed")
            .collect();
        assert!(scans.is_empty(), "{sql}\n{details:#?}");
        assert!(
            details.iter().any(|d| d.starts_with("SEARCH")),
            "{details:#?}"
        );
    }
}

#[tokio::test]
async fn the_answer_to_a_submission_is_what_reading_it_back_gives() {
    let t = Rating::new().await;
    // A low score (a callback), all 1s (a flag), a suggestion (terms, a key).
    let record = t.record(t.people.member, Duration::hours(1)).await;
    let body = json!({
        "service_record_id": record,
        "scores": {
            "attitude": 1, "professionalism": 1, "responsiveness": 1,
            "resolution": 1, "compliance": 1, "added_value": 1,
        },
        "overall": 2,
        "suggestion": "物流太慢了，客服也不回复",
        "form_seconds": 42,
    });
    let response = t.submit(&t.member, Some(KEY), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = header(&response, "location").unwrap().to_owned();
    let answered = body_json(response).await;
    let read = t.get(&t.member, &location).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(body_json(read).await, answered);
    let (status, key): (String, Option<String>) =
        sql::query_as("SELECT status, suggestion_key FROM evaluations")
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
    assert_eq!(status, "under_review");
    assert_eq!(key.as_deref(), Some("物流太慢了客服也不回复"));
    for (sql, n) in [
        ("SELECT COUNT(*) FROM callback_tasks", 1),
        (
            "SELECT COUNT(*) FROM evaluation_flags WHERE rule = 'extreme'",
            1,
        ),
        (
            "SELECT COUNT(*) FROM evaluation_scores WHERE status = 'under_review'",
            6,
        ),
        (
            "SELECT COUNT(*) FROM evaluation_terms WHERE term = '物流'",
            1,
        ),
        (
            "SELECT COUNT(*) FROM audit_log WHERE action = 'evaluation.flagged'",
            1,
        ),
        ("SELECT COUNT(*) FROM idempotency_keys", 1),
    ] {
        assert_eq!(t.count(sql).await, n, "{sql}");
    }
    // The kept sums hold it (issue 22): its day's row, its scores, its terms.
    crate::sums::assert_sums_agree(&t.app.state.pool).await;
    for sql in [
        "SELECT SUM(evaluations) FROM evaluation_sums",
        "SELECT SUM(evaluations) FROM agent_evaluation_sums",
        "SELECT SUM(answered) FROM score_sums WHERE dimension = 'attitude'",
        "SELECT SUM(evaluations) FROM term_sums WHERE term = '物流'",
    ] {
        assert_eq!(t.count(sql).await, 1, "{sql}");
    }
}

#[tokio::test]
async fn concurrent_submissions_each_get_their_own_number() {
    let t = Rating::new().await;
    let mut records = Vec::new();
    for _ in 0..24 {
        records.push(t.record(t.people.member, Duration::hours(1)).await);
    }
    let answers: Vec<Response<Body>> =
        futures_util::future::join_all(records.iter().map(|&record| {
            let t = &t;
            async move {
                let key = format!("concurrent-{record}");
                t.submit(&t.member, Some(&key), &answers(record)).await
            }
        }))
        .await;
    let mut numbers = Vec::new();
    for response in answers {
        assert_eq!(response.status(), StatusCode::CREATED);
        let evaluation: Evaluation = serde_json::from_value(body_json(response).await).unwrap();
        numbers.push(evaluation.number);
    }
    numbers.sort();
    let expected: Vec<String> = (1..=24).map(|n| format!("PJ20261122-{n:06}")).collect();
    assert_eq!(numbers, expected);
    assert_eq!(t.evaluations().await, 24);
}
