//! The delivery queue (issue 19): SMS through the admin's HTTP gateway and signed webhooks
//! delivered to a real HTTP receiver on this machine (a small axum server the test starts),
//! retried with backoff, the gateway's success rule, the Standard Webhooks signature checked
//! with an independent HMAC, the dedupe key, a restart in the middle of the queue counted at
//! the receiver by message id, a message that cannot be read failing alone, the log and its
//! filters, secrets never answered, admins only. Every test runs on a fixed clock.

use pingjia_server::db::sql;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use pingjia_domain::delivery::{
    DeliveryEntry, DeliveryPage, DeliveryState, Purpose, SmsGateway, WebhookChannel,
    WebhookChannelSaved,
};
use pingjia_server::db;
use pingjia_server::http::state::AppState;
use pingjia_server::http::web::Web;
use pingjia_server::services::delivery::{self, Content, Enqueued, Outgoing};
use pingjia_server::time::Clock;
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::sync::watch;

use crate::common::{Staffed, body_text, problem};

/// Thursday 2026-11-26, 10:00 in Shanghai.
fn thursday() -> DateTime<Utc> {
    "2026-11-26T02:00:00Z".parse().unwrap()
}

const GATEWAY_SECRET: &str = "Gw-Secret-Never-Shown-42";

/// One request the HTTP sink received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

/// A real HTTP receiver on a local port: it records every request, answers from a script
/// (then `200 {"code":0}`), and, when holding, keeps some requests waiting until the gate
/// opens (a slow receiver).
#[derive(Clone)]
pub(crate) struct Sink {
    pub(crate) base: String,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<(u16, String)>>>,
    /// `Some(n)`: webhooks after the first `n`, and every SMS, wait for the gate.
    pub(crate) hold: Arc<Mutex<Option<usize>>>,
    answered_hooks: Arc<Mutex<usize>>,
    pub(crate) gate: watch::Sender<bool>,
    pub(crate) blocked: watch::Sender<usize>,
}

impl Sink {
    pub(crate) async fn start() -> Sink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = Sink {
            base: format!("http://{}", listener.local_addr().unwrap()),
            received: Arc::default(),
            script: Arc::default(),
            hold: Arc::default(),
            answered_hooks: Arc::default(),
            gate: watch::channel(false).0,
            blocked: watch::channel(0).0,
        };
        let handler = sink.clone();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let sink = handler.clone();
            async move { sink.receive(uri, headers, body).await }
        });
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        sink
    }

    async fn receive(&self, uri: Uri, headers: HeaderMap, body: Bytes) -> (StatusCode, String) {
        let path = uri.path().to_owned();
        self.received.lock().unwrap().push(Received {
            path: path.clone(),
            query: uri.query().unwrap_or_default().to_owned(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let hold = *self.hold.lock().unwrap();
        if let Some(free) = hold {
            let wait = if path == "/hook" {
                let mut answered = self.answered_hooks.lock().unwrap();
                *answered += 1;
                *answered > free
            } else {
                true
            };
            if wait {
                let mut gate = self.gate.subscribe();
                self.blocked.send_modify(|n| *n += 1);
                gate.wait_for(|open| *open).await.ok();
            }
        }
        let (status, body) = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or((200, r#"{"code":0}"#.to_owned()));
        (StatusCode::from_u16(status).unwrap(), body)
    }

    pub(crate) fn answer(&self, status: u16, body: &str) {
        self.script
            .lock()
            .unwrap()
            .push_back((status, body.to_owned()));
    }

    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

pub(crate) fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers.get(name).unwrap().to_str().unwrap()
}

/// Checks a Standard Webhooks signature independently of the server's crate: HMAC-SHA256 of
/// `id.timestamp.body` with the base64 key after `whsec_`.
pub(crate) fn signature_is_valid(secret: &str, r: &Received) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    let signed = format!(
        "{}.{}.{}",
        header(r, "webhook-id"),
        header(r, "webhook-timestamp"),
        r.body
    );
    mac.update(signed.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    header(r, "webhook-signature")
        .split(' ')
        .any(|s| s == format!("v1,{expected}"))
}

impl Staffed {
    pub(crate) async fn gateway_on(&self, sink: &Sink) -> SmsGateway {
        self.ok(
            self.people.admin,
            Method::PUT,
            "/api/v1/settings/sms",
            Some(json!({
                "url": format!("{}/sms", sink.base),
                "method": "post",
                "headers": [{ "name": "Authorization", "value": "Bearer {{secret}}" }],
                "body_template": r#"{"phone":"{{to}}","content":"{{text}}","ref":"{{reference}}"}"#,
                "content_type": "json",
                "success": { "json_field": "code", "json_value": "0" },
                "secret": GATEWAY_SECRET,
            })),
        )
        .await
    }

    pub(crate) async fn webhook_on(&self, sink: &Sink) -> String {
        let saved: WebhookChannelSaved = self
            .ok(
                self.people.admin,
                Method::PUT,
                "/api/v1/settings/webhook",
                Some(json!({ "url": format!("{}/hook", sink.base) })),
            )
            .await;
        saved.secret.expect("the secret, shown once")
    }

    pub(crate) async fn delivery_log(&self, query: &str) -> DeliveryPage {
        self.ok(
            self.people.admin,
            Method::GET,
            &format!("/api/v1/deliveries{query}"),
            None,
        )
        .await
    }
}

/// Enqueues `content` to `to` under `key` in a transaction of its own, as a caller would.
async fn enqueue(state: &AppState, to: &str, content: Content, key: &str) -> Enqueued {
    let mut tx = db::begin_write(&state.pool).await.unwrap();
    let enqueued = delivery::enqueue(
        &mut tx,
        state.clock.now(),
        &Outgoing {
            purpose: Purpose::Notification,
            subject: Some(("record", 7)),
            recipient: to,
            content,
            dedupe_key: key,
            not_before: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    enqueued
}

fn hook(n: usize, now: DateTime<Utc>) -> Content {
    Content::webhook("record.rated", json!({ "n": n }), now)
}

#[tokio::test]
async fn an_sms_is_retried_after_a_gateway_failure_and_a_200_that_says_failure() {
    let mut t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    let gateway = t.gateway_on(&sink).await;
    assert!(gateway.has_secret);
    let text = "您好，请为本次服务评价 \"5\" & 谢谢";
    let sms = || Content::Sms {
        text: text.to_owned(),
    };
    let first = enqueue(&t.app.state, "+8613800000001", sms(), "record:7:sms").await;
    // The same key again adds nothing.
    let again = enqueue(&t.app.state, "+8613800000001", sms(), "record:7:sms").await;
    assert!(first.created && !again.created);
    assert_eq!(first.id, again.id);

    sink.answer(500, "gateway down");
    sink.answer(200, r#"{"code":22,"msg":"余额不足"}"#);
    delivery::run_due(&t.app.state).await.unwrap();
    let log = t.delivery_log("?channel=sms").await;
    assert_eq!(log.total, 1);
    let entry = &log.items[0];
    assert_eq!((entry.status, entry.attempts), (DeliveryState::Retrying, 1));
    assert!(
        entry.last_error.as_deref().unwrap().contains("500"),
        "{entry:?}"
    );
    assert_eq!(
        entry.next_attempt_at,
        Some(t.app.now() + Duration::minutes(1))
    );
    // Not before the minute is up; then the gateway answers 200 with a failure in its body.
    delivery::run_due(&t.app.state).await.unwrap();
    assert_eq!(sink.received().len(), 1);
    t.app.advance(Duration::seconds(61));
    delivery::run_due(&t.app.state).await.unwrap();
    let entry = &t.delivery_log("").await.items[0];
    assert_eq!((entry.status, entry.attempts), (DeliveryState::Retrying, 2));
    assert!(
        entry.last_error.as_deref().unwrap().contains("余额不足"),
        "{entry:?}"
    );
    t.app.advance(Duration::minutes(2));
    delivery::run_due(&t.app.state).await.unwrap();
    let entry = &t.delivery_log("").await.items[0];
    assert_eq!((entry.status, entry.attempts), (DeliveryState::Sent, 3));
    assert_eq!(entry.last_error, None);
    // Running again sends nothing twice.
    delivery::run_due(&t.app.state).await.unwrap();
    let received = sink.received();
    assert_eq!(received.len(), 3);
    for r in &received {
        assert_eq!(r.path, "/sms");
        assert_eq!(
            header(r, "authorization"),
            format!("Bearer {GATEWAY_SECRET}")
        );
        assert_eq!(header(r, "content-type"), "application/json");
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["phone"], "+8613800000001");
        assert_eq!(body["content"], text);
        // The same reference on every attempt: the delivery's message id.
        assert_eq!(body["ref"], entry.message_id.as_str());
    }

    // The test SMS: sent at once, in the log as a test.
    let tried: DeliveryEntry = t
        .ok(
            t.people.admin,
            Method::POST,
            "/api/v1/settings/sms/test",
            Some(json!({ "to": "138 0000 0002" })),
        )
        .await;
    assert_eq!(tried.status, DeliveryState::Sent);
    assert_eq!(tried.purpose, Purpose::Test);
    assert_eq!(tried.recipient, "13800000002");
    // A failed test is not retried: it says why.
    sink.answer(403, "bad key");
    let refused: DeliveryEntry = t
        .ok(
            t.people.admin,
            Method::POST,
            "/api/v1/settings/sms/test",
            Some(json!({ "to": "13800000003" })),
        )
        .await;
    assert_eq!(refused.status, DeliveryState::Failed);
    assert!(refused.last_error.as_deref().unwrap().contains("403"));
    let bad = t
        .post(
            t.people.admin,
            "/api/v1/settings/sms/test",
            json!({ "to": "abc" }),
        )
        .await;
    assert_eq!(problem(bad, 422).await.errors[0].field, "to");

    // The secret is in no answer an admin can read, nor in the audit log.
    for uri in [
        "/api/v1/settings/sms",
        "/api/v1/deliveries",
        "/api/v1/audit-log?per_page=100",
    ] {
        let response = t.call(t.people.admin, Method::GET, uri, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert!(!body_text(response).await.contains(GATEWAY_SECRET), "{uri}");
    }
    // Kept when the form leaves it out.
    let kept: SmsGateway = t
        .ok(
            t.people.admin,
            Method::PUT,
            "/api/v1/settings/sms",
            Some(json!({
                "url": format!("{}/sms", sink.base), "method": "post",
                "body_template": "To={{to}}&Body={{text}}&Key={{secret}}", "content_type": "form",
            })),
        )
        .await;
    assert!(kept.has_secret);
}

#[tokio::test]
async fn a_webhook_is_signed_with_the_secret_shown_once() {
    let t = Staffed::at(thursday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    let secret = t.webhook_on(&sink).await;
    assert!(secret.starts_with("whsec_"));
    let read: WebhookChannel = t
        .ok(p.admin, Method::GET, "/api/v1/settings/webhook", None)
        .await;
    assert!(read.has_secret);
    // Saved again without a new one: the secret is not shown again, and is kept.
    let saved: WebhookChannelSaved = t
        .ok(
            p.admin,
            Method::PUT,
            "/api/v1/settings/webhook",
            Some(json!({ "url": format!("{}/hook", sink.base) })),
        )
        .await;
    assert_eq!(saved.secret, None);

    let tried: DeliveryEntry = t
        .ok(p.admin, Method::POST, "/api/v1/settings/webhook/test", None)
        .await;
    assert_eq!(tried.status, DeliveryState::Sent, "{tried:?}");
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(header(r, "webhook-id"), tried.message_id);
    assert!(signature_is_valid(&secret, r), "{r:?}");
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["type"], "pingjia.test");
    // Another secret does not verify it.
    let other = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode([7u8; 32])
    );
    assert!(!signature_is_valid(&other, r));

    // A receiver that refuses: the test says why, and is not retried.
    sink.answer(503, "maintenance");
    let failed: DeliveryEntry = t
        .ok(p.admin, Method::POST, "/api/v1/settings/webhook/test", None)
        .await;
    assert_eq!(failed.status, DeliveryState::Failed);
    assert!(failed.last_error.as_deref().unwrap().contains("503"));
    // Retried by hand, it is sent with the same id; a sent one cannot be retried.
    let retried: DeliveryEntry = t
        .ok(
            p.admin,
            Method::POST,
            &format!("/api/v1/deliveries/{}/retry", failed.id),
            None,
        )
        .await;
    assert_eq!(retried.status, DeliveryState::Queued);
    delivery::run_due(&t.app.state).await.unwrap();
    let last = sink.received().pop().unwrap();
    assert_eq!(header(&last, "webhook-id"), failed.message_id);
    assert!(signature_is_valid(&secret, &last));
    let conflict = t
        .call(
            p.admin,
            Method::POST,
            &format!("/api/v1/deliveries/{}/retry", failed.id),
            None,
        )
        .await;
    assert_eq!(
        problem(conflict, 409).await.code.as_deref(),
        Some("delivery_sent")
    );

    // The secret is never answered again.
    for uri in [
        "/api/v1/settings/webhook",
        "/api/v1/deliveries",
        "/api/v1/audit-log?per_page=100",
    ] {
        let response = t.call(p.admin, Method::GET, uri, None).await;
        assert!(!body_text(response).await.contains(&secret[6..]), "{uri}");
    }
    // Only admins reach the channels and the log.
    for (method, uri) in [
        (Method::GET, "/api/v1/settings/webhook"),
        (Method::GET, "/api/v1/settings/sms"),
        (Method::GET, "/api/v1/deliveries"),
        (Method::POST, "/api/v1/settings/webhook/test"),
    ] {
        for user in [p.lead, p.qa, p.agent, p.customer] {
            let response = t.call(user, method.clone(), uri, None).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{uri}");
        }
    }
    // Header-bound values refuse control characters.
    let response = t
        .put(
            p.admin,
            "/api/v1/settings/sms",
            json!({
                "url": "https://sms.example.com/send", "method": "post",
                "headers": [{ "name": "X-Key", "value": "a\r\nInjected: 1" }],
                "body_template": "to={{to}}&text={{text}}", "content_type": "form",
                "secret": "k\u{7}",
            }),
        )
        .await;
    let bad = problem(response, 422).await;
    let codes: Vec<(&str, &str)> = bad
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("headers[0].value", "control_character"),
            ("secret", "control_character")
        ]
    );
    let response = t
        .put(
            p.admin,
            "/api/v1/settings/webhook",
            json!({ "url": "javascript:alert(1)" }),
        )
        .await;
    assert_eq!(problem(response, 422).await.errors[0].field, "url");
}

/// Runs the outbox of `state` until `waiting` messages wait at `sink`'s receiver, stops the
/// server there (its run aborted, its pool closed) and starts a new one on the same database
/// file at `now`, with the receiver open again: a restart in the middle of sending.
pub(crate) async fn restart_mid_send(
    app: &crate::common::TestApp,
    state: AppState,
    sink: &Sink,
    waiting: usize,
    now: DateTime<Utc>,
) -> AppState {
    let first = {
        let state = state.clone();
        tokio::spawn(async move { delivery::run_due(&state).await })
    };
    let mut blocked = sink.blocked.subscribe();
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        blocked.wait_for(|n| *n >= waiting),
    )
    .await
    .expect("the senders wait at the receiver")
    .unwrap();
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());
    state.pool.close().await;
    drop(state);
    let dist = tempfile::tempdir().unwrap();
    let pool = app.reopen_database().await;
    let mut restarted = AppState::new(pool, Web::load(dist.path(), false));
    // On PostgreSQL another instance may still be sending what it took: the restarted one takes
    // it over once the lease ran out (on SQLite, one instance per file, at once).
    restarted.clock = Clock::Fixed(if app.on_postgres() {
        now + delivery::LEASE + Duration::minutes(1)
    } else {
        now
    });
    sink.gate.send_replace(true);
    restarted
}

#[tokio::test]
async fn a_restart_in_the_middle_of_the_queue_sends_each_message_once_by_its_id() {
    let t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    let secret = t.webhook_on(&sink).await;
    t.gateway_on(&sink).await;
    let state = t.app.state.clone();
    let now = t.app.now();
    // 5 webhooks, an SMS, 14 webhooks.
    let mut hooks = Vec::new();
    for n in 0..5 {
        hooks.push(
            enqueue(&state, "hook", hook(n, now), &format!("hook:{n}"))
                .await
                .id,
        );
    }
    let sms = enqueue(
        &state,
        "+8613800000001",
        Content::Sms {
            text: "once".into(),
        },
        "sms:1",
    )
    .await
    .id;
    for n in 5..19 {
        hooks.push(
            enqueue(&state, "hook", hook(n, now), &format!("hook:{n}"))
                .await
                .id,
        );
    }
    // A slow receiver: the first 5 webhooks are answered, the rest (and the SMS) wait.
    *sink.hold.lock().unwrap() = Some(5);
    // The server stops while 8 messages are being handed over, and starts again.
    let restarted = restart_mid_send(&t.app, state, &sink, 8, now).await;
    let (resent, failed) = delivery::recover(&restarted).await.unwrap();
    // The 7 webhooks go again with their ids; the SMS is not sent twice silently.
    assert_eq!((resent, failed), (7, 1));
    delivery::run_due(&restarted).await.unwrap();

    let mut conn = restarted.pool.acquire().await.unwrap();
    let rows: Vec<(i64, String, String, Option<String>)> =
        sql::query_as("SELECT id, message_id, status, last_error FROM deliveries ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let ids: HashMap<i64, String> = rows.iter().map(|r| (r.0, r.1.clone())).collect();
    for row in &rows {
        if row.0 == sms {
            assert_eq!(row.2, "failed");
            assert!(row.3.as_deref().unwrap().contains("interrupted"), "{row:?}");
        } else {
            assert_eq!(row.2, "sent", "{row:?}");
        }
    }
    let received = sink.received();
    let hooks_received: Vec<&Received> = received.iter().filter(|r| r.path == "/hook").collect();
    // Counted by id at the receiver, each webhook arrived exactly once; the 7 interrupted
    // ones came twice with the same id (and signature), which a receiver drops.
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for r in &hooks_received {
        assert!(signature_is_valid(&secret, r));
        *by_id.entry(header(r, "webhook-id")).or_default() += 1;
    }
    let expected: HashSet<&str> = hooks.iter().map(|id| ids[id].as_str()).collect();
    assert_eq!(by_id.keys().copied().collect::<HashSet<_>>(), expected);
    assert_eq!(by_id.values().filter(|n| **n == 2).count(), 7);
    assert!(by_id.values().all(|n| *n <= 2));
    assert_eq!(hooks_received.len(), 19 + 7);
    // The SMS reached the gateway once.
    assert_eq!(received.iter().filter(|r| r.path == "/sms").count(), 1);
}

#[tokio::test]
async fn a_message_that_cannot_be_read_fails_alone_and_the_log_filters_and_pages() {
    let mut t = Staffed::at(thursday()).await;
    let sink = Sink::start().await;
    t.webhook_on(&sink).await;
    let state = t.app.state.clone();
    let now = t.app.now();
    let good = enqueue(&state, "hook", hook(1, now), "a").await.id;
    let wrong = enqueue(&state, "hook", hook(2, now), "b").await.id;
    let unreadable = enqueue(&state, "hook", hook(3, now), "c").await.id;
    // An SMS waits: no gateway is set up, and the log says so without counting an attempt.
    let waiting = enqueue(
        &state,
        "+8613800000001",
        Content::Sms { text: "hi".into() },
        "d",
    )
    .await
    .id;
    for (id, content) in [
        (wrong, r#"{"kind":"sms","text":"not a webhook"}"#),
        (unreadable, r#"{"kind":"carrier_pigeon"}"#),
    ] {
        sql::query("UPDATE deliveries SET content = ? WHERE id = ?")
            .bind(content)
            .bind(id)
            .execute(&state.pool)
            .await
            .unwrap();
    }
    delivery::run_due(&state).await.unwrap();
    let log = t.delivery_log("").await;
    assert_eq!(log.total, 4);
    // Newest first.
    let order: Vec<i64> = log.items.iter().map(|e| e.id).collect();
    assert_eq!(order, [waiting, unreadable, wrong, good]);
    let by_id: HashMap<i64, &DeliveryEntry> = log.items.iter().map(|e| (e.id, e)).collect();
    assert_eq!(by_id[&good].status, DeliveryState::Sent);
    for (id, reason) in [
        (wrong, "not one for webhook"),
        (unreadable, "cannot be read"),
    ] {
        let e = by_id[&id];
        assert_eq!((e.status, e.next_attempt_at), (DeliveryState::Failed, None));
        assert!(e.last_error.as_deref().unwrap().contains(reason), "{e:?}");
    }
    let e = by_id[&waiting];
    assert_eq!((e.status, e.attempts), (DeliveryState::Queued, 0));
    assert!(e.last_error.as_deref().unwrap().contains("not set up"));
    assert_eq!(sink.received().len(), 1);

    // Filters and pages, on the server.
    let failed = t
        .delivery_log("?status=failed&channel=webhook&per_page=1&page=2")
        .await;
    assert_eq!((failed.total, failed.items.len()), (2, 1));
    assert_eq!(failed.items[0].id, wrong);
    assert_eq!(t.delivery_log("?purpose=test").await.total, 0);
    assert_eq!(
        t.delivery_log("?channel=sms&purpose=notification")
            .await
            .total,
        1
    );
    assert_eq!(t.delivery_log("?from=2026-11-27").await.total, 0);
    assert_eq!(
        t.delivery_log("?from=2026-11-26&to=2026-11-26").await.total,
        4
    );
    t.app.advance(Duration::days(1));
    let response = t
        .call(
            t.people.admin,
            Method::GET,
            "/api/v1/deliveries?from=2026-11-27&to=2026-11-26",
            None,
        )
        .await;
    assert_eq!(problem(response, 422).await.errors[0].field, "to");
    let response = t
        .call(
            t.people.admin,
            Method::GET,
            "/api/v1/deliveries?per_page=500",
            None,
        )
        .await;
    assert_eq!(problem(response, 422).await.errors[0].field, "per_page");
}

#[tokio::test]
async fn a_killed_instances_messages_are_taken_over_by_another_once_their_lease_ran_out() {
    let t = Staffed::at(thursday()).await;
    if !t.app.on_postgres() {
        // One instance per SQLite file: its own restart recovers (above).
        return;
    }
    let sink = Sink::start().await;
    t.webhook_on(&sink).await;
    let other = t.app.second_instance().await;
    let state = t.app.state.clone();
    let now = t.app.now();
    for n in 0..6 {
        enqueue(&state, "hook", hook(n, now), &format!("hook:{n}")).await;
    }
    // The first instance takes the six and is killed while they wait at the receiver.
    *sink.hold.lock().unwrap() = Some(0);
    let first = {
        let state = state.clone();
        tokio::spawn(async move { delivery::run_due(&state).await })
    };
    let mut blocked = sink.blocked.subscribe();
    tokio::time::timeout(
        std::time::Duration::from_secs(60),
        blocked.wait_for(|n| *n >= 6),
    )
    .await
    .expect("the first instance's sends wait at the receiver")
    .unwrap();
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());
    state.pool.close().await;
    sink.gate.send_replace(true);
    let states = || async {
        let rows: Vec<String> = sql::query_scalar("SELECT status FROM deliveries ORDER BY id")
            .fetch_all(&other.state.pool)
            .await
            .unwrap();
        rows
    };
    // The other instance leaves them while their lease runs: the first might still be sending.
    assert_eq!(delivery::recover(&other.state).await.unwrap(), (0, 0));
    delivery::run_due(&other.state).await.unwrap();
    assert_eq!(states().await, ["sending"; 6]);
    // Once it ran out, it takes them over: sent again with their ids, each once more.
    let mut later = other.state.clone();
    later.clock = Clock::Fixed(now + delivery::LEASE + Duration::minutes(1));
    assert_eq!(delivery::recover(&later).await.unwrap(), (6, 0));
    delivery::run_due(&later).await.unwrap();
    assert_eq!(states().await, ["sent"; 6]);
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for r in sink.received().iter().filter(|r| r.path == "/hook") {
        *by_id.entry(header(r, "webhook-id").to_owned()).or_default() += 1;
    }
    assert_eq!(by_id.len(), 6, "{by_id:?}");
    assert!(by_id.values().all(|n| *n == 2), "{by_id:?}");
}
