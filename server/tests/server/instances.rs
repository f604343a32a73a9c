//! Several instances on one PostgreSQL database (issue 23) behave as one system: what one
//! tells its listeners in memory reaches the others' (`services::cluster`). On SQLite (one
//! instance per file) there is nothing to share: the tests return.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use pingjia_domain::feedback::FeedbackAlert;
use pingjia_domain::settings::Settings;
use serde_json::json;

use crate::common::{Flow, Rating};

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
