//! The notification centre (issue 21): a low score's callback reaches the agent's team lead
//! (live over the stream and in the list, with its due time and page), nobody else; marking
//! read; a kind turned off is not told; each person sees only their own; by e-mail to a staff
//! member who turned it on.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use http_body_util::BodyExt;
use pingjia_domain::events::EventType;
use pingjia_domain::notifications::{NotificationAlert, NotificationPage, NotificationSettings};
use pingjia_server::services::{delivery, events};
use serde_json::{Value, json};

use crate::common::{Staffed, empty_request, json_request};
use crate::reports::{free_port, read_mail, start_sink};

/// Friday 2026-12-04, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-12-04T02:00:00Z".parse().unwrap()
}

fn low(overall: u8) -> Value {
    json!({
        "scores": { "attitude": 1, "professionalism": 1, "responsiveness": 1,
                    "resolution": 1, "compliance": 1 },
        "overall": overall,
        "suggestion": "回复太慢了",
        "form_seconds": 90,
    })
}

impl Staffed {
    /// The member rates a service of the agent 1 star (a callback for the lead) under `key`,
    /// and the events are fanned out: the evaluation's number.
    async fn rate_one_star(&self, key: &str) -> String {
        let p = self.people;
        let (_, evaluation) = self
            .app
            .rate_fresh(p.member, p.agent, Duration::minutes(30), low(1), key)
            .await;
        events::fan_out(&self.app.state).await.unwrap();
        evaluation["number"].as_str().unwrap().to_owned()
    }

    async fn notifications(&self, user: i64, query: &str) -> NotificationPage {
        self.ok(
            user,
            Method::GET,
            &format!("/api/v1/me/notifications{query}"),
            None,
        )
        .await
    }
}

/// Reads the next `data:` line of a Server-Sent Events body.
async fn next_data(body: &mut Body) -> String {
    let mut buffer = String::new();
    loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(30), body.frame())
            .await
            .expect("an event within the bound")
            .expect("the stream goes on")
            .unwrap();
        if let Ok(bytes) = frame.into_data() {
            buffer.push_str(&String::from_utf8_lossy(&bytes));
            if let Some(line) = buffer.lines().find_map(|l| l.strip_prefix("data:")) {
                return line.trim().to_owned();
            }
        }
    }
}

#[tokio::test]
async fn a_low_scores_callback_reaches_the_lead_live_and_in_the_list() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let cookie = t.app.session(p.lead).await;
    let stream = t
        .app
        .request(empty_request(
            Method::GET,
            "/api/v1/me/notifications/stream",
            Some(&cookie),
        ))
        .await;
    assert_eq!(stream.status(), StatusCode::OK);
    let mut body = stream.into_body();

    let number = &t.rate_one_star("notify-low").await;

    let alert: NotificationAlert = serde_json::from_str(&next_data(&mut body).await).unwrap();
    assert_eq!(alert.unread, 1);
    let told = alert.notification.unwrap();
    assert_eq!(told.event_type, EventType::CallbackOpened);
    assert_eq!(&told.subject, number);
    assert_eq!(told.link, format!("/lead?callback={number}#callbacks"));
    assert!(told.due_at.unwrap() > friday(), "due a working day later");

    let page = t.notifications(p.lead, "").await;
    assert_eq!((page.total, page.unread), (1, 1));
    assert_eq!(page.items[0], told);
    // Nobody else is told of the callback (admins may be of a flag the rules raised).
    for other in [p.agent, p.other_agent, p.qa, p.admin] {
        let theirs = t.notifications(other, "").await;
        assert!(
            theirs
                .items
                .iter()
                .all(|n| n.event_type != EventType::CallbackOpened),
            "{theirs:?}"
        );
    }
    // Another's notifications cannot be marked by id.
    let read: NotificationAlert = t
        .ok(
            p.agent,
            Method::POST,
            "/api/v1/me/notifications/read",
            Some(json!({ "ids": [told.id] })),
        )
        .await;
    assert_eq!(read.unread, 0);
    assert_eq!(t.notifications(p.lead, "?unread_only=true").await.total, 1);
    let read: NotificationAlert = t
        .ok(
            p.lead,
            Method::POST,
            "/api/v1/me/notifications/read",
            Some(json!({ "ids": [told.id] })),
        )
        .await;
    assert_eq!(read.unread, 0);
    let page = t.notifications(p.lead, "").await;
    assert!(page.items[0].read_at.is_some());
    assert_eq!(t.notifications(p.lead, "?unread_only=true").await.total, 0);
}

#[tokio::test]
async fn a_kind_turned_off_is_not_told_and_kinds_follow_the_role() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let settings: NotificationSettings = t
        .ok(
            p.lead,
            Method::GET,
            "/api/v1/me/notification-settings",
            None,
        )
        .await;
    assert!(settings.kinds.iter().all(|k| k.in_app));
    assert!(
        settings
            .kinds
            .iter()
            .any(|k| k.event_type == EventType::CallbackOpened)
    );
    // A kind the role is never told of is refused.
    let refused = t
        .put(
            p.agent,
            "/api/v1/me/notification-settings",
            json!({ "kinds": [{ "event_type": "callback.opened", "in_app": false }] }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved: NotificationSettings = t
        .ok(
            p.lead,
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(json!({ "kinds": [{ "event_type": "callback.opened", "in_app": false }] })),
        )
        .await;
    assert!(
        saved
            .kinds
            .iter()
            .any(|k| k.event_type == EventType::CallbackOpened && !k.in_app)
    );
    t.rate_one_star("notify-off").await;
    assert_eq!(t.notifications(p.lead, "").await.total, 0);
}

#[tokio::test]
async fn a_lead_who_turned_e_mail_on_gets_a_new_callback_by_mail_with_its_link_and_due_time() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let port = free_port();
    let inbox = start_sink(port);
    t.smtp_on(port).await;

    // Without an address, nothing says where mail would go.
    let mine: NotificationSettings = t
        .ok(
            p.lead,
            Method::GET,
            "/api/v1/me/notification-settings",
            None,
        )
        .await;
    assert_eq!(mine.email_to, None);
    assert!(mine.kinds.iter().all(|k| k.in_app && !k.email));
    // An admin gives the lead an address (staff may have one now) ...
    let _: Value = t
        .ok(
            p.admin,
            Method::PATCH,
            &format!("/api/v1/users/{}", p.lead),
            Some(json!({ "email": " Lead.Wang@Example.com " })),
        )
        .await;
    // ... a bad one is refused by field.
    let refused = t
        .app
        .request(json_request(
            Method::PATCH,
            &format!("/api/v1/users/{}", p.lead),
            Some(&t.app.session(p.admin).await),
            &json!({ "email": "not an address" }),
        ))
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The lead turns callbacks on for e-mail.
    let saved: NotificationSettings = t
        .ok(
            p.lead,
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(json!({ "kinds": [
                { "event_type": "callback.opened", "in_app": true, "email": true },
            ] })),
        )
        .await;
    assert_eq!(saved.email_to.as_deref(), Some("lead.wang@example.com"));
    assert!(
        saved
            .kinds
            .iter()
            .all(|k| k.email == (k.event_type == EventType::CallbackOpened))
    );

    let number = &t.rate_one_star("notify-mail").await;
    delivery::run_due(&t.app.state).await.unwrap();
    // Fanned out again (a restart): nothing more.
    events::fan_out(&t.app.state).await.unwrap();
    delivery::run_due(&t.app.state).await.unwrap();

    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one mail, once");
    let (to, raw) = &received[0];
    assert_eq!(to, &["lead.wang@example.com".to_owned()]);
    let (subject, text, html) = read_mail(raw);
    assert!(
        subject.contains("Callback opened") && subject.contains(number),
        "{subject}"
    );
    assert!(text.contains("https://pingjia.example.com/lead"), "{text}");
    // Due the next working day (Monday), in China time.
    assert!(text.contains("截止：2026-12-07"), "{text}");
    assert!(
        html.contains(&format!(
            "href=\"https://pingjia.example.com/lead?callback={number}#callbacks\""
        )),
        "{html}"
    );
    // Still told in the app too.
    assert_eq!(t.notifications(p.lead, "").await.total, 1);
}
