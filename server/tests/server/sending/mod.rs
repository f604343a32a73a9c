//! Sending rating invitations (issue 19), delivered to real local receivers (the HTTP SMS
//! gateway sink of `deliveries`, the SMTP sink of `reports`): a new customer's record gets
//! one SMS after the delay with a working link and opt-out link, an e-mail when the customer
//! has only an address, suppression, one reminder, an opt-out that stops the rest,
//! do-not-invite, the same record ingested twice, a restart mid-send, sending by hand with
//! its skip report, no token stored or shown, the settings' checks and who may call what.
//! Every test runs on a fixed clock, moved by hand: the scheduler and the outbox are run
//! directly (`services::sending::run_due`, `services::delivery::run_due`).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::delivery::{DeliveryPage, DeliveryState};
use pingjia_domain::invitations::{InvitationSettings, InvitationState, OptOut, SendReport};
use pingjia_domain::records::{IngestAnswer, RecordPage};
use pingjia_server::db::sql;
use pingjia_server::services::{delivery, sending};
use serde_json::{Value, json};

use crate::common::{API_KEY, Staffed, body_json, body_text, empty_request};
use crate::deliveries::Sink;
use crate::reports::{Inbox, free_port, read_mail, start_sink};

mod by_hand;

/// Thursday 2026-11-26, 10:00 in Shanghai.
fn thursday() -> DateTime<Utc> {
    "2026-11-26T02:00:00Z".parse().unwrap()
}

const BASE: &str = "https://pingjia.example.com";

/// The fixture: an app on a fixed clock with its people.
pub(crate) struct S(Staffed);

impl std::ops::Deref for S {
    type Target = Staffed;
    fn deref(&self) -> &Staffed {
        &self.0
    }
}

impl std::ops::DerefMut for S {
    fn deref_mut(&mut self) -> &mut Staffed {
        &mut self.0
    }
}

/// A record of a customer nobody knows yet, ended `ended_minutes_ago`, with the customer's
/// contacts as given.
fn new_customer_record(
    external_id: &str,
    customer_no: &str,
    contacts: Value,
    ended_at: DateTime<Utc>,
) -> Value {
    let mut body = json!({
        "external_id": external_id,
        "customer_no": customer_no,
        "customer_type": "new",
        "customer_name": "王芳",
        "agent": "E2001",
        "service_type": "delivery",
        "channel": "online",
        "started_at": (ended_at - Duration::minutes(20)).to_rfc3339(),
        "ended_at": ended_at.to_rfc3339(),
        "urgency": "normal",
        "category": "consultation",
        "requested_at": (ended_at - Duration::minutes(25)).to_rfc3339(),
    });
    for (key, value) in contacts.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

/// The tokens of the links `/r/{token}` in `text` (each once, in order).
fn tokens(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("/r/") {
        let token: String = text[at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if token.len() == 43 && !found.contains(&token) {
            found.push(token);
        }
    }
    found
}

impl S {
    pub(crate) async fn at(now: DateTime<Utc>) -> S {
        S(Staffed::at(now).await)
    }

    async fn settings(&self) -> InvitationSettings {
        self.ok(
            self.people.admin,
            Method::GET,
            "/api/v1/settings/invitations",
            None,
        )
        .await
    }

    /// Switches invitations on with `change` applied to the stored settings.
    pub(crate) async fn invitations_on(&self, change: impl FnOnce(&mut InvitationSettings)) {
        let mut settings = self.settings().await;
        settings.enabled = true;
        change(&mut settings);
        let _: InvitationSettings = self
            .ok(
                self.people.admin,
                Method::PUT,
                "/api/v1/settings/invitations",
                Some(serde_json::to_value(&settings).unwrap()),
            )
            .await;
    }

    /// `POST /ingest/service-records` with the helpdesk's key: the status and the answer.
    async fn ingest(&self, body: &Value) -> (StatusCode, IngestAnswer) {
        let request = Request::post("/api/v1/ingest/service-records")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {API_KEY}"))
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = self.app.request(request).await;
        let status = response.status();
        let text = body_text(response).await;
        (status, serde_json::from_str(&text).expect(&text))
    }

    /// One run of the scheduler, then of the outbox: how many invitations and reminders were
    /// queued.
    async fn run(&self) -> sending::Run {
        let run = sending::run_due(&self.app.state).await.unwrap();
        delivery::run_due(&self.app.state).await.unwrap();
        run
    }

    async fn records(&self, query: &str) -> RecordPage {
        self.ok(
            self.people.admin,
            Method::GET,
            &format!("/api/v1/service-records{query}"),
            None,
        )
        .await
    }

    async fn state_of(&self, record: i64) -> InvitationState {
        self.records("?per_page=100")
            .await
            .records
            .into_iter()
            .find(|r| r.id == record)
            .unwrap()
            .invitation_state
    }

    async fn log(&self) -> DeliveryPage {
        self.ok(
            self.people.admin,
            Method::GET,
            "/api/v1/deliveries?per_page=100",
            None,
        )
        .await
    }

    /// `POST /rating-links/{token}{rest}` without a session and without a body.
    async fn link_post(&self, token: &str, rest: &str) -> axum::http::Response<Body> {
        self.app
            .request(empty_request(
                Method::POST,
                &format!("/api/v1/rating-links/{token}{rest}"),
                None,
            ))
            .await
    }

    async fn link_get(&self, token: &str) -> StatusCode {
        self.app
            .request(empty_request(
                Method::GET,
                &format!("/api/v1/rating-links/{token}"),
                None,
            ))
            .await
            .status()
    }

    /// The record the link opens.
    async fn record_of(&self, token: &str) -> i64 {
        let response = self
            .app
            .request(empty_request(
                Method::GET,
                &format!("/api/v1/rating-links/{token}"),
                None,
            ))
            .await;
        body_json(response).await["record"]["id"].as_i64().unwrap()
    }

    async fn send(&self, body: Value) -> SendReport {
        self.ok(
            self.people.admin,
            Method::POST,
            "/api/v1/invitations/send",
            Some(body),
        )
        .await
    }
}

/// The SMS texts the gateway sink received, in order.
fn texts(sink: &Sink) -> Vec<(String, String)> {
    sink.received()
        .into_iter()
        .filter(|r| r.path == "/sms")
        .map(|r| {
            let body: Value = serde_json::from_str(&r.body).unwrap();
            (
                body["phone"].as_str().unwrap().to_owned(),
                body["content"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_new_customers_record_gets_one_sms_after_the_delay_with_a_working_link() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.smtp_on(free_port()).await;
    t.invitations_on(|s| s.delay_minutes = 30).await;
    let body = new_customer_record(
        "HD-1",
        "C100001",
        json!({ "customer_phone": "13900000001", "customer_email": "wang@example.com" }),
        t.app.now() - Duration::minutes(1),
    );
    let (status, first) = t.ingest(&body).await;
    assert_eq!(status, StatusCode::CREATED);
    let record = first.record.id;
    assert_eq!(first.record.invitation_state, InvitationState::NotInvited);

    // Not before the delay.
    assert_eq!(t.run().await.invited, 0);
    assert!(texts(&sink).is_empty());
    // Ended a minute before it arrived: due 29 minutes later.
    t.app.advance(Duration::minutes(28));
    assert_eq!(t.run().await.invited, 0);
    t.app.advance(Duration::minutes(1));
    assert_eq!(t.run().await.invited, 1);
    let sent = texts(&sink);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (phone, text) = &sent[0];
    assert_eq!(phone, "13900000001");
    assert!(text.starts_with("王芳您好"), "{text}");
    let found = tokens(text);
    assert_eq!(found.len(), 1, "{text}");
    let token = &found[0];
    assert!(text.contains(&format!("{BASE}/r/{token} ")), "{text}");
    assert!(
        text.contains(&format!("{BASE}/r/{token}/opt-out")),
        "{text}"
    );
    assert!(!text.contains("{{"), "{text}");
    assert_eq!(t.state_of(record).await, InvitationState::Sent);

    // The same record ingested again, and the scheduler and the outbox run again: nothing
    // more is sent.
    let (status, again) = t.ingest(&body).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again.already_existed);
    t.app.advance(Duration::minutes(5));
    assert_eq!(t.run().await.invited, 0);
    assert_eq!(texts(&sink).len(), 1);

    // The link opens the record's form, without a session.
    assert_eq!(t.link_get(token).await, StatusCode::OK);
    assert_eq!(t.state_of(record).await, InvitationState::Opened);
    let opened = t.records("?invitation=opened").await;
    assert_eq!(
        opened.records.iter().map(|r| r.id).collect::<Vec<_>>(),
        [record]
    );
    assert_eq!(t.records("?invitation=sent").await.total, 0);

    // The log shows the invitation's state, and no token anywhere.
    let log = t.log().await;
    let entry = log
        .items
        .iter()
        .find(|e| e.purpose == pingjia_domain::delivery::Purpose::Invitation)
        .unwrap();
    assert_eq!(entry.status, DeliveryState::Sent);
    assert_eq!(entry.invitation_state, Some(InvitationState::Opened));
    let shown = serde_json::to_string(&log).unwrap();
    assert!(!shown.contains(token.as_str()));
    let stored: Vec<(String, String, Option<String>)> =
        sql::query_as("SELECT content, summary, last_error FROM deliveries")
            .fetch_all(&t.app.state.pool)
            .await
            .unwrap();
    for row in &stored {
        let all = format!("{row:?}");
        assert!(
            !all.contains(token.as_str()),
            "a token in the deliveries table"
        );
        assert!(tokens(&all).is_empty(), "{all}");
    }
    let audit: Vec<(String,)> = sql::query_as("SELECT COALESCE(details, '') FROM audit_log")
        .fetch_all(&t.app.state.pool)
        .await
        .unwrap();
    assert!(audit.iter().all(|(d,)| !d.contains(token.as_str())));
}

#[tokio::test]
async fn a_customer_with_only_an_email_gets_a_mail() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    let port = free_port();
    let inbox: Inbox = start_sink(port);
    t.smtp_on(port).await;
    t.invitations_on(|s| s.delay_minutes = 0).await;
    let (_, answer) = t
        .ingest(&new_customer_record(
            "HD-2",
            "C100002",
            json!({ "customer_email": "Zhou@Example.com" }),
            t.app.now() - Duration::minutes(1),
        ))
        .await;
    t.app.advance(Duration::seconds(1));
    assert_eq!(t.run().await.invited, 1);
    assert!(texts(&sink).is_empty(), "no phone: no SMS");
    let mails = inbox.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, ["zhou@example.com"]);
    let (subject, text, html) = read_mail(&mails[0].1);
    assert_eq!(subject, "请评价赵敏为您提供的服务");
    let found = tokens(&text);
    assert_eq!(found.len(), 1, "{text}");
    assert!(text.contains(&format!("{BASE}/r/{}/opt-out", found[0])));
    assert!(
        html.contains(&format!("href=\"{BASE}/r/{}\"", found[0])),
        "{html}"
    );
    assert_eq!(t.state_of(answer.record.id).await, InvitationState::Sent);
    assert_eq!(t.link_get(&found[0]).await, StatusCode::OK);
}

#[tokio::test]
async fn a_customer_gets_at_most_one_invitation_within_the_suppression_days() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.invitations_on(|s| {
        s.delay_minutes = 0;
        s.suppression_days = 7;
        s.reminder_hours = 0;
    })
    .await;
    let phone = json!({ "customer_phone": "13900000003" });
    let ended = t.app.now() - Duration::minutes(10);
    // Two records of one customer and one of another, due together.
    let (_, a) = t
        .ingest(&new_customer_record(
            "HD-3a",
            "C100003",
            phone.clone(),
            ended,
        ))
        .await;
    let (_, b) = t
        .ingest(&new_customer_record(
            "HD-3b",
            "C100003",
            phone.clone(),
            ended,
        ))
        .await;
    let (_, other) = t
        .ingest(&new_customer_record(
            "HD-3c",
            "C100004",
            json!({ "customer_phone": "13900000004" }),
            ended,
        ))
        .await;
    assert_eq!(t.run().await.invited, 2);
    let phones: Vec<String> = texts(&sink).into_iter().map(|(p, _)| p).collect();
    assert_eq!(phones.len(), 2);
    assert!(phones.contains(&"13900000003".to_owned()));
    assert!(phones.contains(&"13900000004".to_owned()));
    assert_eq!(t.state_of(a.record.id).await, InvitationState::Sent);
    assert_eq!(t.state_of(b.record.id).await, InvitationState::NotInvited);
    assert_eq!(t.state_of(other.record.id).await, InvitationState::Sent);

    // A day later, a new record of the same customer: still suppressed.
    t.app.advance(Duration::days(1));
    t.ingest(&new_customer_record(
        "HD-3d",
        "C100003",
        phone,
        t.app.now() - Duration::minutes(1),
    ))
    .await;
    assert_eq!(t.run().await.invited, 0);
    assert_eq!(texts(&sink).len(), 2);
}

#[tokio::test]
async fn one_reminder_after_the_hours_and_only_one() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.invitations_on(|s| {
        s.delay_minutes = 0;
        s.reminder_hours = 24;
    })
    .await;
    let (_, answer) = t
        .ingest(&new_customer_record(
            "HD-4",
            "C100005",
            json!({ "customer_phone": "13900000005" }),
            t.app.now() - Duration::minutes(1),
        ))
        .await;
    assert_eq!(
        t.run().await,
        sending::Run {
            invited: 1,
            reminded: 0
        }
    );
    let first = tokens(&texts(&sink)[0].1).remove(0);
    t.app.advance(Duration::hours(23));
    assert_eq!(t.run().await.reminded, 0);
    t.app.advance(Duration::hours(1));
    assert_eq!(t.run().await.reminded, 1);
    let sent = texts(&sink);
    assert_eq!(sent.len(), 2);
    assert!(sent[1].1.contains("还未评价"), "{}", sent[1].1);
    let second = tokens(&sent[1].1).remove(0);
    assert_ne!(first, second);
    // Both links work (the reminder keeps the first).
    assert_eq!(t.link_get(&first).await, StatusCode::OK);
    assert_eq!(t.link_get(&second).await, StatusCode::OK);
    // Once only.
    t.app.advance(Duration::hours(48));
    assert_eq!(t.run().await.reminded, 0);
    assert_eq!(texts(&sink).len(), 2);
    let log = t.log().await;
    assert_eq!(
        log.items
            .iter()
            .filter(|e| e.purpose == pingjia_domain::delivery::Purpose::Reminder)
            .count(),
        1
    );
    assert_eq!(t.state_of(answer.record.id).await, InvitationState::Opened);
}

#[tokio::test]
async fn an_opt_out_stops_the_reminder_the_waiting_messages_and_later_invitations() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.invitations_on(|s| {
        s.delay_minutes = 0;
        s.reminder_hours = 24;
        s.suppression_days = 0;
    })
    .await;
    let phone = json!({ "customer_phone": "13900000006" });
    let (_, a) = t
        .ingest(&new_customer_record(
            "HD-5a",
            "C100006",
            phone.clone(),
            t.app.now() - Duration::minutes(1),
        ))
        .await;
    t.run().await;
    let token = tokens(&texts(&sink)[0].1).remove(0);
    // A second record's invitation is queued, not sent yet, when the customer opts out.
    t.app.advance(Duration::minutes(10));
    let (_, b) = t
        .ingest(&new_customer_record(
            "HD-5b",
            "C100006",
            phone.clone(),
            t.app.now() - Duration::minutes(1),
        ))
        .await;
    assert_eq!(sending::run_due(&t.app.state).await.unwrap().invited, 1);
    assert_eq!(t.state_of(b.record.id).await, InvitationState::Queued);

    let response = t.link_post(&token, "/opt-out").await;
    assert_eq!(response.status(), StatusCode::OK);
    let first: OptOut = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(first.opted_out_at, t.app.now());
    // Idempotent: the first time is kept.
    t.app.advance(Duration::minutes(1));
    let again: OptOut =
        serde_json::from_value(body_json(t.link_post(&token, "/opt-out").await).await).unwrap();
    assert_eq!(again, first);

    delivery::run_due(&t.app.state).await.unwrap();
    assert_eq!(texts(&sink).len(), 1, "the waiting message was cancelled");
    assert_eq!(t.state_of(a.record.id).await, InvitationState::OptedOut);
    assert_eq!(t.state_of(b.record.id).await, InvitationState::OptedOut);
    // No reminder, no later invitation.
    t.app.advance(Duration::hours(25));
    t.ingest(&new_customer_record(
        "HD-5c",
        "C100006",
        phone,
        t.app.now() - Duration::minutes(1),
    ))
    .await;
    assert_eq!(t.run().await, sending::Run::default());
    assert_eq!(texts(&sink).len(), 1);
    // Nor by hand.
    let report = t
        .send(json!({ "filter": { "invitation": "not_invited" } }))
        .await;
    assert_eq!((report.selected, report.queued), (1, 0));
    assert_eq!(
        serde_json::to_value(&report.skipped).unwrap(),
        json!([{ "reason": "opted_out", "count": 1 }])
    );
}

#[tokio::test]
async fn do_not_invite_records_are_never_invited() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.invitations_on(|s| s.delay_minutes = 0).await;
    let mut body = new_customer_record(
        "HD-6a",
        "C100007",
        json!({ "customer_phone": "13900000007" }),
        t.app.now() - Duration::minutes(5),
    );
    body["do_not_invite"] = json!(true);
    let (status, ingested) = t.ingest(&body).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(ingested.record.do_not_invite);
    // The import's column headed 不邀请.
    let ended = t.app.now() - Duration::minutes(5);
    let csv = format!(
        "external_id,customer_no,customer_phone,customer_type,agent,service_type,channel,\
         started_at,ended_at,urgency,category,requested_at,不邀请\n\
         HD-6b,C100008,13900000008,new,E2001,delivery,online,{},{},normal,consultation,{},是\n",
        (ended - Duration::minutes(20)).to_rfc3339(),
        ended.to_rfc3339(),
        (ended - Duration::minutes(25)).to_rfc3339(),
    );
    let cookie = t.app.session(t.people.admin).await;
    let request = Request::post("/api/v1/service-records/import")
        .header("content-type", "text/csv")
        .header("cookie", cookie)
        .body(Body::from(csv))
        .unwrap();
    let response = t.app.request(request).await;
    let text = body_text(response).await;
    assert!(text.contains("\"imported\":1"), "{text}");
    // Its preview says so, as the dry run's does.
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["preview"][0]["do_not_invite"], json!(true), "{text}");

    t.app.advance(Duration::minutes(1));
    assert_eq!(t.run().await.invited, 0);
    assert!(texts(&sink).is_empty());
    let marked = t.records("?invitation=do_not_invite").await;
    assert_eq!(marked.total, 2);
    assert!(marked.records.iter().all(|r| r.do_not_invite));
    let report = t
        .send(json!({ "filter": { "invitation": "do_not_invite" }, "resend": true }))
        .await;
    assert_eq!((report.selected, report.queued), (2, 0));
    assert_eq!(
        serde_json::to_value(&report.skipped).unwrap(),
        json!([{ "reason": "do_not_invite", "count": 2 }])
    );
}
