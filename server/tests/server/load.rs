//! Concurrent writers: requests that write never fail with a 500 because another request holds
//! the database; when it is really busy (its busy timeout ran out) the answer is a 503 with
//! `Retry-After`. What is asserted never depends on timing: "no 500", and every 2xx created
//! what it says.

use pingjia_server::db::sql;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pingjia_server::app;
use serde_json::Value;
use sqlx::Connection;
use sqlx::sqlite::SqliteConnectOptions;
use tower::ServiceExt;

use crate::common::{API_KEY, AdminClient, TestApp, body_text, header, problem};

fn ingest(external_id: &str) -> Request<Body> {
    let body = crate::records::record(external_id);
    Request::post("/api/v1/ingest/service-records")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {API_KEY}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// 8 helpdesk connections sending 5 records each at once: the ingestion reads (the people, the
/// record already there) before it writes, which must not make SQLite give up on the lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_ingestion_never_answers_500() {
    const TASKS: usize = 8;
    const EACH: usize = 5;
    let admin = AdminClient::new().await;
    let state = admin.app.state.clone();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let state = state.clone();
            tokio::spawn(async move {
                let mut answers = Vec::new();
                for n in 0..EACH {
                    let id = format!("LOAD{task}-{n}");
                    let response = app(state.clone()).oneshot(ingest(&id)).await.unwrap();
                    let status = response.status();
                    let retry_after = header(&response, "retry-after").map(str::to_owned);
                    let text = body_text(response).await;
                    answers.push((id, status, retry_after, text));
                }
                answers
            })
        })
        .collect();
    let (mut created, mut busy) = (0, 0);
    for task in tasks {
        for (id, status, retry_after, text) in task.await.unwrap() {
            match status {
                StatusCode::CREATED => created += 1,
                StatusCode::SERVICE_UNAVAILABLE => {
                    assert!(retry_after.is_some(), "{id}: a 503 without Retry-After");
                    busy += 1;
                }
                other => panic!("{id}: {other} {text}"),
            }
        }
    }
    let stored: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM service_records WHERE external_id LIKE 'LOAD%'")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    assert_eq!(stored, created);
    eprintln!(
        "{} ingestions: {created} created, {busy} busy",
        TASKS * EACH
    );
}

/// While another connection holds the write lock for longer than the busy timeout, a write
/// answers 503 problem+json with `Retry-After` (not a 500), and succeeds once it is released.
#[tokio::test]
async fn a_write_while_the_database_stays_locked_answers_503() {
    let app = TestApp::with_busy_timeout(Duration::from_millis(200)).await;
    if app.on_postgres() {
        // SQLite's one write lock; PostgreSQL locks rows.
        return;
    }
    let people = app.people().await;
    let _ = people;
    let mut holder = sqlx::SqliteConnection::connect_with(
        &SqliteConnectOptions::new().filename(app.database_path()),
    )
    .await
    .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut holder)
        .await
        .unwrap();

    let response = app.request(ingest("LOCKED1")).await;
    assert_eq!(header(&response, "retry-after"), Some("1"));
    let busy = problem(response, 503).await;
    assert_eq!(busy.code.as_deref(), Some("database_busy"));

    sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();
    let response = app.request(ingest("LOCKED1")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let _: Value = serde_json::from_str(&body_text(response).await).unwrap();
}

/// Every operation that writes documents the 503 and its `Retry-After`.
#[test]
fn every_write_documents_the_busy_answer() {
    let document: Value = serde_json::from_str(pingjia_server::api::openapi_json()).unwrap();
    let mut writes = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !matches!(method.as_str(), "post" | "put" | "patch" | "delete") {
                continue;
            }
            writes += 1;
            let busy = &operation["responses"]["503"];
            assert!(
                busy["headers"]["retry-after"].is_object(),
                "{method} {path}"
            );
            assert!(
                busy["content"]["application/problem+json"].is_object(),
                "{method} {path}"
            );
        }
    }
    assert!(writes > 40);
}
