//! Faults and hostile input (issue 18): a handler that panics is answered, a job that panics
//! fails alone, mail settings that would break a mail header are refused, and control
//! characters never reach a CSV file.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::routing::get;
use pingjia_server::db::sql;
use pingjia_server::error::catch_panic;
use pingjia_server::services::jobs::isolated;
use serde_json::json;
use tower::ServiceExt;

use crate::common::{Flow, Rating, body_text, codes, problem};

struct Faults;

impl Rating for Faults {
    const ENDED_MINUTES_AGO: i64 = 30;
    const SCORES: [u8; 5] = [4, 4, 4, 4, 4];
    const KEY: &'static str = "faults";
}

async fn flow() -> Flow<Faults> {
    Flow::at("2026-11-22T02:00:00Z".parse().unwrap()).await
}

async fn boom() -> &'static str {
    panic!("a handler that panics")
}

#[tokio::test]
async fn a_panicking_handler_is_answered_500_problem_json() {
    let router = Router::new()
        .route("/boom", get(boom))
        .route("/fine", get(|| async { "fine" }))
        .layer(catch_panic());
    let request = || Request::get("/boom").body(Body::empty()).unwrap();
    let answered = problem(router.clone().oneshot(request()).await.unwrap(), 500).await;
    assert_eq!(
        answered.detail.as_deref(),
        Some("The server could not complete the request; try again later"),
        "the panic's words stay in the log"
    );
    // The router still answers the next requests.
    let again = router.clone().oneshot(request()).await.unwrap();
    assert_eq!(again.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let fine = router
        .oneshot(Request::get("/fine").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(body_text(fine).await, "fine");
}

#[tokio::test]
async fn a_job_that_panics_fails_with_its_reason() {
    let failed = isolated("test job", async { panic!("the job broke") }).await;
    assert_eq!(failed, Err::<(), _>("the job broke".to_owned()));
    let formatted = isolated("test job", async {
        let n = 3;
        panic!("job {n} broke")
    })
    .await;
    assert_eq!(formatted, Err::<(), _>("job 3 broke".to_owned()));
    assert_eq!(isolated("test job", async { 42 }).await, Ok(42));
}

#[tokio::test]
async fn mail_settings_that_would_break_a_header_are_refused() {
    let t = flow().await;
    let p = t.people;
    let settings = |from_name: &str, username: &str| {
        json!({
            "host": "127.0.0.1", "port": 2525, "security": "none",
            "username": username, "password": "secret",
            "from_address": "pingjia@example.com", "from_name": from_name,
        })
    };
    for from_name in [
        "评价\r\nBcc: everyone@example.com",
        "评\n价",
        "评\u{0}价",
        "评价\u{1b}",
    ] {
        let response = t
            .put(
                p.admin,
                "/api/v1/settings/smtp",
                settings(from_name, "pingjia"),
            )
            .await;
        let refused = problem(response, 422).await;
        assert_eq!(
            codes(&refused),
            [("from_name", "control_character")],
            "{from_name:?}"
        );
    }
    let response = t
        .put(
            p.admin,
            "/api/v1/settings/smtp",
            settings("评价", "ping\r\njia"),
        )
        .await;
    assert_eq!(
        codes(&problem(response, 422).await),
        [("username", "control_character")]
    );
    let stored: i64 = sql::query_scalar("SELECT COUNT(*) FROM smtp_settings")
        .fetch_one(&t.app.state.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "nothing was saved");
}

#[tokio::test]
async fn the_csv_export_drops_control_characters() {
    let t = flow().await;
    let p = t.people;
    let number = t.rate(p.member, p.agent, 9, Some("placeholder")).await;
    // Written before the rule (or by another program): NUL, ESC and DEL in the stored text
    // (PostgreSQL's text holds no NUL).
    let nul = if t.app.on_postgres() { "" } else { "\u{0}" };
    sql::query("UPDATE evaluations SET suggestion = ? WHERE number = ?")
        .bind(format!("ok{nul}ay \u{1b}[31mred\u{7f}\nsecond line"))
        .bind(&number)
        .execute(&t.app.state.pool)
        .await
        .unwrap();
    sql::query("UPDATE users SET display_name = ? WHERE id = ?")
        .bind(format!("{nul}=张伟"))
        .bind(p.agent)
        .execute(&t.app.state.pool)
        .await
        .unwrap();
    let response = t
        .call(
            p.admin,
            Method::GET,
            "/api/v1/analytics/evaluations.csv",
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = body_text(response).await;
    assert!(
        !text.contains(['\u{0}', '\u{1b}', '\u{7f}']),
        "no control characters: {text:?}"
    );
    let text = text.strip_prefix('\u{feff}').unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(
        &row[column("建议 Suggestion")],
        "okay [31mred\nsecond line",
        "line breaks stay"
    );
    assert!(
        row.iter().any(|cell| cell == "'=张伟"),
        "the formula guard still applies once the NUL is gone: {row:?}"
    );
}
