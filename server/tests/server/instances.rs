//! Several instances on one PostgreSQL database (issue 23) behave as one system: what one
//! tells its listeners in memory reaches the others' (`services::cluster`). On SQLite (one
//! instance per file) there is nothing to share: the tests return.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use pingjia_domain::feedback::FeedbackAlert;
use pingjia_domain::settings::Settings;
use pingjia_server::services::jobs::exclusive;
use pingjia_server::services::reports::run_due;
use pingjia_server::time::Clock;
use serde_json::{Value, json};

use crate::common::{
    Flow, Rating, body_json, empty_request, from_ip, header, json_request, problem,
};
use crate::reports::{free_port, start_sink};

/// Friday 2026-11-20, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

struct Instances;

impl Rating for Instances {
    const ENDED_MINUTES_AGO: i64 = 30;
    const SCORES: [u8; 5] = [4, 4, 3, 4, 4];
    const KEY: &'static str = "instances";
}

async fn count(app: &crate::common::TestApp, sql: &str) -> i64 {
    pingjia_server::db::sql::query_scalar(sql)
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
}

/// How long a message between instances may take here before the test fails: far above what
/// it takes (milliseconds), so that only a message that never comes fails it.
const PATIENCE: Duration = Duration::from_secs(10);

#[tokio::test]
async fn an_evaluation_rated_on_one_instance_reaches_the_agents_stream_on_the_other() {
    let t = Flow::<Instances>::at(friday()).await;
    if !t.app.on_postgres() {
        return;
    }
    let p = t.people;
    let other = t.app.second_instance().await;
    let response = other
        .call_as(p.agent, Method::GET, "/api/v1/me/feedback/stream", None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    // Rated through the first instance; the agent's stream is open on the second.
    let number = t.rate(p.member, p.agent, 6, None).await;
    let frame = tokio::time::timeout(PATIENCE, body.frame())
        .await
        .expect("the alert crosses to the other instance")
        .unwrap()
        .unwrap();
    let text = String::from_utf8(frame.into_data().unwrap().to_vec()).unwrap();
    assert!(text.starts_with("event: evaluation\n"), "{text}");
    let data = text.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let alert: FeedbackAlert = serde_json::from_str(data).unwrap();
    assert_eq!(alert.number.as_deref(), Some(number.as_str()));
    assert_eq!((alert.overall, alert.unread), (Some(6), 1));
}

#[tokio::test]
async fn a_setting_changed_on_one_instance_applies_on_the_other() {
    let t = Flow::<Instances>::at(friday()).await;
    if !t.app.on_postgres() {
        return;
    }
    let other = t.app.second_instance().await;
    // The first instance has the settings in its cache.
    let cached = t.app.state.settings.get(&t.app.state.pool).await.unwrap();
    assert_eq!(cached.satisfaction_threshold, 8);
    let changed = Settings {
        satisfaction_threshold: 7,
        ..cached
    };
    let response = other
        .call_as(
            t.people.admin,
            Method::PUT,
            "/api/v1/settings",
            Some(&json!(changed)),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let applied = tokio::time::timeout(PATIENCE, async {
        loop {
            let now = t.app.state.settings.get(&t.app.state.pool).await.unwrap();
            if now.satisfaction_threshold == 7 {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the change reaches the first instance without a restart");
    assert_eq!(applied, changed);
}

#[tokio::test]
async fn one_submission_sent_to_both_instances_at_once_is_one_evaluation_with_one_answer() {
    let t = Flow::<Instances>::at(friday()).await;
    if !t.app.on_postgres() {
        return;
    }
    let p = t.people;
    let other = t.app.second_instance().await;
    let ended = friday() - chrono::Duration::minutes(30);
    let record = t
        .app
        .service_record(p.member, p.agent, "online_chat", ended)
        .await;
    let cookie = t.app.session(p.member).await;
    let body = json!({
        "service_record_id": record,
        "scores": {
            "attitude": 5, "professionalism": 4, "responsiveness": 4, "resolution": 5,
            "compliance": 5,
        },
        "overall": 9,
        "suggestion": null,
        "form_seconds": 80,
    });
    let submission = || {
        let mut request = json_request(Method::POST, "/api/v1/evaluations", Some(&cookie), &body);
        request
            .headers_mut()
            .insert("idempotency-key", "both-instances-1".parse().unwrap());
        request
    };
    // A client's retry sent through the load balancer to the other instance while the first
    // request is still being handled: whichever commits first, the other answers its answer.
    let (first, second) = tokio::join!(t.app.request(submission()), other.request(submission()));
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(second.status(), StatusCode::CREATED);
    let replayed = [&first, &second].map(|r| header(r, "idempotent-replayed").is_some());
    assert_eq!(
        replayed.iter().filter(|r| **r).count(),
        1,
        "one answer is the first, the other its replay"
    );
    let (first, second): (Value, Value) = (body_json(first).await, body_json(second).await);
    assert_eq!(first, second);
    assert_eq!(
        count(
            &t.app,
            &format!("SELECT COUNT(*) FROM evaluations WHERE service_record_id = {record}")
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_scheduled_job_runs_on_one_instance_and_a_killed_ones_after_its_lease_ran_out() {
    let t = Flow::<Instances>::at(friday()).await;
    if !t.app.on_postgres() {
        return;
    }
    let mut other = t.app.second_instance().await;
    let (started, running) = tokio::sync::oneshot::channel();
    let first = tokio::spawn({
        let state = t.app.state.clone();
        async move {
            exclusive(&state, "test job", async {
                started.send(()).unwrap();
                std::future::pending::<()>().await;
            })
            .await
        }
    });
    running.await.unwrap();
    assert_eq!(
        exclusive(&other.state, "test job", async { 1 }).await,
        Ok(None),
        "the job runs on the first instance"
    );
    // The first instance is killed in the middle of the job: its lease is not given up.
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());
    assert_eq!(
        exclusive(&other.state, "test job", async { 2 }).await,
        Ok(None),
        "not before the lease ran out"
    );
    other.state.clock = Clock::Fixed(friday() + other.state.lease + chrono::Duration::seconds(1));
    assert_eq!(
        exclusive(&other.state, "test job", async { 3 }).await,
        Ok(Some(3)),
        "taken over"
    );
    // Given up when it ended: the first instance may run it again at once.
    assert_eq!(
        exclusive(&t.app.state, "test job", async { 4 }).await,
        Ok(Some(4))
    );
}

#[tokio::test]
async fn a_report_mail_due_is_sent_once_while_both_instances_run_their_workers() {
    let t = Flow::<Instances>::at(friday()).await;
    if !t.app.on_postgres() {
        return;
    }
    let p = t.people;
    let other = t.app.second_instance().await;
    t.rate(p.member, p.agent, 9, None).await;
    let port = free_port();
    let inbox = start_sink(port);
    t.smtp_on(port).await;
    // Subscribed today: last week's report is due at once.
    let _: Value = t
        .app
        .expect_as(
            p.admin,
            Method::POST,
            "/api/v1/report-subscriptions",
            Some(&json!({ "kind": "week", "team_id": null, "recipients": ["ops@example.com"] })),
            StatusCode::CREATED,
        )
        .await;
    // Both instances' report and delivery workers, at the same time, twice.
    for _ in 0..2 {
        let (a, b) = tokio::join!(run_due(&t.app.state), run_due(&other.state));
        a.unwrap();
        b.unwrap();
    }
    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one mail, sent once");
    assert_eq!(received[0].0, ["ops@example.com"]);
    assert_eq!(
        count(
            &t.app,
            "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn rating_link_look_ups_from_one_address_count_on_every_instance() {
    let t = Flow::<Instances>::at(friday()).await;
    if !t.app.on_postgres() {
        return;
    }
    let other = t.app.second_instance().await;
    let guess = |i: usize| {
        from_ip(
            empty_request(
                Method::GET,
                &format!("/api/v1/rating-links/{:A>43}", i),
                None,
            ),
            "198.51.100.9",
        )
    };
    // Ten wrong links, five through each instance.
    for i in 0..10 {
        let app = if i % 2 == 0 { &t.app } else { &other };
        assert_eq!(app.request(guess(i)).await.status(), StatusCode::NOT_FOUND);
    }
    for app in [&t.app, &other] {
        let refused = app.request(guess(10)).await;
        assert_eq!(
            problem(refused, 429).await.code.as_deref(),
            Some("link_rate_limited")
        );
    }
}
