//! Events and the endpoints that receive them (issue 21), delivered to a real HTTP receiver on
//! this machine (the deliveries tests' [`Sink`]): each event recorded once by the action that
//! causes it (a retried request adds nothing), fanned out to the endpoints that want it,
//! signed (checked with an independent HMAC), in order per endpoint, retried on the
//! endpoints' schedule for more than a day and then the endpoint disabled, a restart in the
//! middle sending again with the same `webhook-id`, the chat robots' messages and signatures,
//! and the log with its redelivery. Every test runs on a fixed clock.

use pingjia_server::db::sql;
use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use pingjia_domain::delivery::DeliveryState;
use pingjia_domain::events::{
    ENDPOINT_MAX_ATTEMPTS, Endpoint, EndpointDeliveryPage, EndpointSaved, endpoint_retry_delay,
};
use pingjia_server::services::{delivery, events};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::common::{Staffed, body_json, json_request};
use crate::deliveries::{Received, Sink, header, restart_mid_send, signature_is_valid};

/// Friday 2026-12-04, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-12-04T02:00:00Z".parse().unwrap()
}

fn answers(overall: u8) -> Value {
    let s = overall.clamp(1, 5);
    json!({
        "scores": { "attitude": s, "professionalism": s, "responsiveness": s,
                    "resolution": s, "compliance": s },
        "overall": overall,
        "suggestion": "回复太慢了，等了很久",
        "form_seconds": 90,
    })
}

impl Staffed {
    async fn endpoint(&self, body: Value) -> EndpointSaved {
        let response = self
            .post(self.people.admin, "/api/v1/webhook-endpoints", body)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// Fans out the recorded events, then sends what is due: the deliveries enqueued.
    async fn deliver(&self) -> u64 {
        let enqueued = events::fan_out(&self.app.state).await.unwrap();
        delivery::run_due(&self.app.state).await.unwrap();
        enqueued
    }

    async fn endpoint_log(&self, id: i64, query: &str) -> EndpointDeliveryPage {
        self.ok(
            self.people.admin,
            Method::GET,
            &format!("/api/v1/webhook-endpoints/{id}/deliveries{query}"),
            None,
        )
        .await
    }
}

fn body_of(r: &Received) -> Value {
    serde_json::from_str(&r.body).unwrap()
}

#[tokio::test]
async fn a_low_score_reaches_a_signed_webhook_once_even_when_the_rating_is_retried() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    let saved = t
        .endpoint(json!({
            "name": "Helpdesk", "kind": "webhook", "url": format!("{}/hook", sink.base),
            "events": ["evaluation.low_score", "evaluation.created", "appeal.filed"],
        }))
        .await;
    let secret = saved.secret.expect("the secret, shown once");
    assert!(secret.starts_with("whsec_"));
    assert!(saved.endpoint.has_secret);
    // Never answered again.
    let read: Endpoint = t
        .ok(
            p.admin,
            Method::GET,
            &format!("/api/v1/webhook-endpoints/{}", saved.endpoint.id),
            None,
        )
        .await;
    assert!(!serde_json::to_string(&read).unwrap().contains(&secret));

    // A one-star rating, its request sent twice with the same key.
    let (record, first) = t
        .app
        .rate_fresh(
            p.member,
            p.agent,
            Duration::minutes(30),
            answers(1),
            "events-low",
        )
        .await;
    let again = t
        .app
        .rate_record(p.member, record, answers(1), "events-low")
        .await;
    assert_eq!(first, again);
    assert_eq!(t.deliver().await, 2);
    assert_eq!(t.deliver().await, 0, "each event is fanned out once");

    let received = sink.received();
    assert_eq!(received.len(), 2, "{received:?}");
    let kinds: Vec<Value> = received
        .iter()
        .map(|r| body_of(r)["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        [json!("evaluation.created"), json!("evaluation.low_score")]
    );
    let number = first["number"].as_str().unwrap();
    for r in &received {
        assert!(signature_is_valid(&secret, r), "{r:?}");
        let data = &body_of(r)["data"];
        assert_eq!(data["number"], number);
        assert_eq!(data["overall"], 1);
        assert_eq!(data["agent"]["id"], p.agent);
        assert_eq!(data["agent"]["team_id"], p.team);
        assert!(data["link"].as_str().unwrap().contains(number));
        // Never the customer's phone number.
        assert!(!r.body.contains("13800000001"), "{}", r.body);
    }
    // The callback was opened too, and recorded once (no endpoint wanted it).
    let recorded: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM events WHERE type = 'callback.opened'")
            .fetch_one(&t.app.state.pool)
            .await
            .unwrap();
    assert_eq!(recorded, 1);

    // The log shows each delivery with the body posted and the receiver's answer.
    let log = t.endpoint_log(saved.endpoint.id, "").await;
    assert_eq!(log.total, 2);
    assert!(
        log.items
            .iter()
            .all(|d| d.entry.status == DeliveryState::Sent)
    );
    assert_eq!(log.items[0].request_body, received[1].body);
    assert!(
        log.items[0]
            .response
            .as_deref()
            .unwrap()
            .starts_with("HTTP 200")
    );
    assert_eq!(
        log.items[0].entry.message_id,
        header(&received[1], "webhook-id")
    );
}

#[tokio::test]
async fn appeals_filed_and_decided_are_told_and_a_filter_keeps_other_teams_out() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    let mine = t
        .endpoint(json!({
            "name": "Team 1", "kind": "webhook", "url": format!("{}/hook", sink.base),
            "events": ["appeal.filed", "appeal.decided"], "team_ids": [p.team],
        }))
        .await;
    t.endpoint(json!({
        "name": "Other team", "kind": "webhook", "url": format!("{}/other", sink.base),
        "events": ["appeal.filed", "appeal.decided"], "team_ids": [p.other_team],
    }))
    .await;
    let (_, evaluation) = t
        .app
        .rate_fresh(
            p.member,
            p.agent,
            Duration::minutes(30),
            answers(2),
            "events-appeal",
        )
        .await;
    let number = evaluation["number"].as_str().unwrap();
    let cookie = t.app.session(p.member).await;
    let mut request = json_request(
        Method::POST,
        &format!("/api/v1/evaluations/{number}/appeals"),
        Some(&cookie),
        &json!({ "reason": "我当时选错了星级，客服其实解决了问题" }),
    );
    request
        .headers_mut()
        .insert("idempotency-key", "appeal-1".parse().unwrap());
    let response = t.app.request(request).await;
    let status = response.status();
    let appeal = body_json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{appeal}");
    let decided = t
        .post(
            p.admin,
            &format!("/api/v1/appeals/{}/decision", appeal["id"]),
            json!({ "decision": "reject", "reason": "聊天记录显示问题未解决" }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    t.deliver().await;

    let received = sink.received();
    assert!(received.iter().all(|r| r.path == "/hook"), "{received:?}");
    let kinds: Vec<Value> = received
        .iter()
        .map(|r| body_of(r)["type"].clone())
        .collect();
    assert_eq!(kinds, [json!("appeal.filed"), json!("appeal.decided")]);
    let decision = &body_of(&received[1])["data"];
    assert_eq!(decision["evaluation_number"], number);
    assert_eq!(decision["status"], "rejected");
    assert_eq!(decision["decision_note"], "聊天记录显示问题未解决");
    assert_eq!(t.endpoint_log(mine.endpoint.id, "").await.total, 2);

    // The customer (no invitation, no e-mail address: their phone) is told by SMS, once, with
    // a link to the evaluation in their pages.
    let told = t.delivery_log("?purpose=notification&channel=sms").await;
    assert_eq!(told.total, 1, "{told:?}");
    assert_eq!(told.items[0].recipient, "13800000001");
    t.gateway_on(&sink).await;
    delivery::run_due(&t.app.state).await.unwrap();
    let sms: Vec<Received> = sink
        .received()
        .into_iter()
        .filter(|r| r.path == "/sms")
        .collect();
    assert_eq!(sms.len(), 1);
    let text = body_of(&sms[0])["content"].as_str().unwrap().to_owned();
    assert!(
        text.contains(&format!("/customer/evaluations/{number}")),
        "{text}"
    );
    assert!(text.contains("未通过"), "{text}");
    assert_eq!(t.deliver().await, 0, "told once");
}

#[tokio::test]
async fn a_failing_receiver_is_retried_for_a_day_then_the_endpoint_is_disabled_and_later_events_wait_in_order()
 {
    let mut t = Staffed::at(friday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    let saved = t
        .endpoint(json!({
            "name": "Flaky", "kind": "webhook", "url": format!("{}/hook", sink.base),
            "events": ["evaluation.created"],
        }))
        .await;
    let id = saved.endpoint.id;
    for _ in 0..ENDPOINT_MAX_ATTEMPTS {
        sink.answer(500, "down for maintenance");
    }
    for key in ["events-one", "events-two"] {
        t.app
            .rate_fresh(p.member, p.agent, Duration::minutes(30), answers(4), key)
            .await;
    }
    assert_eq!(t.deliver().await, 2);
    // The first failed; the second waits behind it.
    assert_eq!(sink.received().len(), 1);
    for attempt in 1..ENDPOINT_MAX_ATTEMPTS {
        let wait = endpoint_retry_delay(attempt).unwrap();
        // Not before its time.
        t.app.advance(wait - Duration::seconds(1));
        t.deliver().await;
        assert_eq!(sink.received().len(), attempt as usize);
        t.app.advance(Duration::seconds(1));
        t.deliver().await;
        assert_eq!(sink.received().len(), attempt as usize + 1);
    }
    let received = sink.received();
    let first_id = header(&received[0], "webhook-id");
    assert!(received.iter().all(|r| header(r, "webhook-id") == first_id));

    let disabled: Endpoint = t
        .ok(
            p.admin,
            Method::GET,
            &format!("/api/v1/webhook-endpoints/{id}"),
            None,
        )
        .await;
    assert!(!disabled.enabled);
    assert!(
        disabled.disabled_reason.as_deref().unwrap().contains("500"),
        "{disabled:?}"
    );
    assert_eq!((disabled.failed, disabled.waiting), (1, 1));
    let log = t.endpoint_log(id, "?status=failed").await;
    assert_eq!(log.items[0].entry.attempts, ENDPOINT_MAX_ATTEMPTS);
    let failed = log.items[0].entry.id;

    // Fixed and enabled again: the waiting event goes; the failed one is redelivered by hand
    // with the same id.
    let mut input = serde_json::to_value(&disabled).unwrap();
    input["enabled"] = json!(true);
    t.ok::<EndpointSaved>(
        p.admin,
        Method::PUT,
        &format!("/api/v1/webhook-endpoints/{id}"),
        Some(input),
    )
    .await;
    t.deliver().await;
    assert_eq!(sink.received().len(), ENDPOINT_MAX_ATTEMPTS as usize + 1);
    t.ok::<Value>(
        p.admin,
        Method::POST,
        &format!("/api/v1/deliveries/{failed}/retry"),
        None,
    )
    .await;
    t.deliver().await;
    let last = sink.received().pop().unwrap();
    assert_eq!(header(&last, "webhook-id"), first_id);
    let after = t.endpoint_log(id, "").await;
    assert!(
        after
            .items
            .iter()
            .all(|d| d.entry.status == DeliveryState::Sent)
    );
}

#[tokio::test]
async fn a_restart_mid_delivery_sends_each_event_again_with_its_id() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    t.endpoint(json!({
        "name": "Slow", "kind": "webhook", "url": format!("{}/hook", sink.base),
        "events": ["evaluation.created"],
    }))
    .await;
    for key in ["events-a", "events-b", "events-c"] {
        t.app
            .rate_fresh(p.member, p.agent, Duration::minutes(30), answers(5), key)
            .await;
    }
    events::fan_out(&t.app.state).await.unwrap();
    // The receiver holds the first request; the server stops while it waits.
    *sink.hold.lock().unwrap() = Some(0);
    let state = t.app.state.clone();
    let restarted = restart_mid_send(&t.app, state, &sink, 1, t.app.now()).await;
    *sink.hold.lock().unwrap() = None;
    delivery::recover(&restarted).await.unwrap();
    delivery::run_due(&restarted).await.unwrap();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for r in sink.received() {
        *by_id
            .entry(header(&r, "webhook-id").to_owned())
            .or_default() += 1;
    }
    assert_eq!(
        by_id.len(),
        3,
        "each event arrived, de-duplicated by id: {by_id:?}"
    );
    assert_eq!(sink.received().len(), 4, "the interrupted one twice");
}

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn chat_robots_get_their_chats_message_signed_as_each_chat_documents() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    for (kind, path, secret) in [
        ("wecom", "/wecom?key=k1", None),
        ("dingtalk", "/ding?access_token=t1", Some("SECding")),
        ("feishu", "/feishu", Some("feishu-secret")),
    ] {
        t.endpoint(json!({
            "name": kind, "kind": kind, "url": format!("{}{path}", sink.base),
            "events": ["evaluation.low_score"], "secret": secret,
        }))
        .await;
        // What each chat answers when it takes the message.
        sink.answer(
            200,
            r#"{"errcode":0,"errmsg":"ok","code":0,"msg":"success"}"#,
        );
    }
    t.app
        .rate_fresh(
            p.member,
            p.agent,
            Duration::minutes(30),
            answers(1),
            "events-robots",
        )
        .await;
    assert_eq!(t.deliver().await, 3);
    let received = sink.received();
    let at = |path: &str| received.iter().find(|r| r.path == path).unwrap().clone();

    let wecom = body_of(&at("/wecom"));
    assert_eq!(wecom["msgtype"], "markdown");
    assert!(
        wecom["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("低分评价")
    );

    let ding = at("/ding");
    let query: HashMap<String, String> = url_pairs(&ding.query);
    assert_eq!(query["access_token"], "t1");
    let timestamp = &query["timestamp"];
    assert_eq!(
        query["sign"],
        hmac_base64(b"SECding", format!("{timestamp}\nSECding").as_bytes())
    );
    assert_eq!(body_of(&ding)["msgtype"], "markdown");

    let feishu = body_of(&at("/feishu"));
    assert_eq!(feishu["msg_type"], "interactive");
    let timestamp = feishu["timestamp"].as_str().unwrap();
    assert_eq!(
        feishu["sign"],
        hmac_base64(format!("{timestamp}\nfeishu-secret").as_bytes(), b"")
    );
    assert_eq!(feishu["card"]["header"]["template"], "red");

    // A robot that refuses (an error code in a 200) is a failed attempt, retried.
    let log: EndpointDeliveryPage = t.endpoint_log(1, "").await;
    assert!(
        log.items
            .iter()
            .all(|d| d.entry.status == DeliveryState::Sent)
    );
    sink.answer(200, r#"{"errcode":310000,"errmsg":"sign not match"}"#);
    let tried: Value = t
        .ok(
            p.admin,
            Method::POST,
            "/api/v1/webhook-endpoints/2/test",
            None,
        )
        .await;
    assert_eq!(tried["status"], "failed", "{tried}");
    assert!(tried["last_error"].as_str().unwrap().contains("310000"));
}

fn url_pairs(query: &str) -> HashMap<String, String> {
    reqwest::Url::parse(&format!("http://receiver/?{query}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn only_admins_manage_endpoints_and_bad_input_is_told_by_field() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    for user in [p.lead, p.qa, p.agent, p.member] {
        let response = t
            .call(user, Method::GET, "/api/v1/webhook-endpoints", None)
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let response = t
        .post(
            p.admin,
            "/api/v1/webhook-endpoints",
            json!({ "name": "", "kind": "feishu", "url": "ftp://x", "events": [] }),
        )
        .await;
    let problem = crate::common::problem(response, 422).await;
    assert_eq!(crate::common::fields(&problem), ["name", "url", "events"]);
}

#[tokio::test]
async fn an_overdue_callback_is_told_once_whenever_checked_and_its_call_when_recorded() {
    let mut t = Staffed::at(friday()).await;
    let p = t.people;
    let sink = Sink::start().await;
    let saved = t
        .endpoint(json!({
            "name": "Leads' chat", "kind": "webhook", "url": format!("{}/hook", sink.base),
            "events": ["callback.opened", "callback.overdue", "callback.done"],
        }))
        .await;
    t.app
        .rate_fresh(
            p.member,
            p.agent,
            Duration::minutes(30),
            answers(1),
            "events-due",
        )
        .await;
    assert_eq!(events::check_due(&t.app.state).await.unwrap(), 0);
    t.deliver().await;
    // Due one working day later (Monday): not overdue on Saturday, overdue on Tuesday.
    t.app.advance(Duration::days(1));
    assert_eq!(events::check_due(&t.app.state).await.unwrap(), 0);
    t.app.advance(Duration::days(3));
    assert_eq!(events::check_due(&t.app.state).await.unwrap(), 1);
    assert_eq!(events::check_due(&t.app.state).await.unwrap(), 0, "once");
    t.app.advance(Duration::hours(1));
    assert_eq!(
        events::check_due(&t.app.state).await.unwrap(),
        0,
        "once, later too"
    );
    t.deliver().await;

    let callback_id: i64 = sql::query_scalar("SELECT id FROM callback_tasks")
        .fetch_one(&t.app.state.pool)
        .await
        .unwrap();
    let recorded = t
        .post(
            p.lead,
            &format!("/api/v1/callbacks/{callback_id}"),
            json!({ "outcome": "resolved", "notes": "已致电客户，问题已解决" }),
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::OK);
    t.deliver().await;
    let kinds: Vec<Value> = sink
        .received()
        .iter()
        .map(|r| body_of(r)["type"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            json!("callback.opened"),
            json!("callback.overdue"),
            json!("callback.done")
        ]
    );
    let overdue = &body_of(&sink.received()[1])["data"];
    assert!(overdue["due_at"].as_str().is_some(), "{overdue}");
    assert_eq!(t.endpoint_log(saved.endpoint.id, "").await.total, 3);
}

#[test]
fn every_event_is_documented_under_webhooks_with_its_payload() {
    let document: Value = serde_json::from_str(pingjia_server::api::openapi_json()).unwrap();
    for event in pingjia_domain::events::EventType::ALL {
        let operation = &document["webhooks"][event.as_str()]["post"];
        let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        let reference = schema["properties"]["data"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{} is not documented under webhooks", event.as_str()));
        let name = reference.trim_start_matches("#/components/schemas/");
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{}: {reference}",
            event.as_str()
        );
    }
}

#[tokio::test]
async fn an_endpoint_is_changed_its_secret_made_anew_and_deleted_with_what_waited() {
    let t = Staffed::at(friday()).await;
    let p = t.people;
    let unknown = t
        .post(
            p.admin,
            "/api/v1/webhook-endpoints",
            json!({ "name": "X", "kind": "webhook", "url": "http://127.0.0.1:9/x",
                    "events": ["evaluation.created"], "team_ids": [p.team, 9999],
                    "service_types": ["no_such_type"] }),
        )
        .await;
    let problem = crate::common::problem(unknown, 422).await;
    assert_eq!(
        crate::common::fields(&problem),
        ["team_ids[1]", "service_types[0]"]
    );

    let hook = t
        .endpoint(json!({
            "name": "Hook", "kind": "webhook", "url": "http://127.0.0.1:9/hook",
            "events": ["evaluation.created"],
        }))
        .await;
    let id = hook.endpoint.id;
    let rotated: EndpointSaved = t
        .ok(
            p.admin,
            Method::POST,
            &format!("/api/v1/webhook-endpoints/{id}/secret"),
            None,
        )
        .await;
    let new_secret = rotated.secret.unwrap();
    assert_ne!(Some(new_secret), hook.secret);
    let robot = t
        .endpoint(json!({
            "name": "Robot", "kind": "wecom", "url": "http://127.0.0.1:9/wecom",
            "events": ["evaluation.created"],
        }))
        .await;
    assert_eq!(robot.secret, None, "a robot's secret is its group's");
    let refused = t
        .call(
            p.admin,
            Method::POST,
            &format!("/api/v1/webhook-endpoints/{}/secret", robot.endpoint.id),
            None,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    // A signed webhook cannot become a robot.
    let changed = t
        .put(
            p.admin,
            &format!("/api/v1/webhook-endpoints/{id}"),
            json!({ "name": "Hook", "kind": "feishu", "url": "http://127.0.0.1:9/hook",
                    "events": ["evaluation.created"] }),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::CONFLICT);

    // Port 9 answers nothing: the event waits for its retry; deleting the endpoint gives it up.
    t.app
        .rate_fresh(
            p.member,
            p.agent,
            Duration::minutes(30),
            answers(4),
            "events-del",
        )
        .await;
    t.deliver().await;
    let deleted = t
        .call(
            p.admin,
            Method::DELETE,
            &format!("/api/v1/webhook-endpoints/{id}"),
            None,
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = t
        .call(
            p.admin,
            Method::GET,
            &format!("/api/v1/webhook-endpoints/{id}"),
            None,
        )
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let left: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE endpoint_id = ? AND status <> 'failed'",
    )
    .bind(id)
    .fetch_one(&t.app.state.pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
    let listed: pingjia_domain::events::EndpointPage = t
        .ok(p.admin, Method::GET, "/api/v1/webhook-endpoints", None)
        .await;
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].name, "Robot");
}
