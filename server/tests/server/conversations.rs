//! The inspector sees the conversation (issue 24): a record's transcript and recording links
//! and its transcript's text arrive by import and ingestion (checked: a bad value is a field
//! error, a bad row imports nothing), the inspection sheet shows them to QA inspectors and
//! admins, a finding may quote only a line of that record's transcript, and the agent of the
//! record sees the quoted findings in their own QA.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{DateTime, Utc};
use pingjia_domain::qa::{Inspection, InspectionSheet, MyQa, PlanDetail};
use pingjia_server::db::sql;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh `Idempotency-Key` for every inspection sent.
static KEYS: AtomicU64 = AtomicU64::new(1);

use crate::common::{
    API_KEY, AdminClient, TestApp, body_json, codes, empty_request, json_request, problem,
};

const TRANSCRIPT: &str = "客户：快递三天没动了\n客服：您好，我帮您查一下\n客户：好的";

/// The stored conversation of the record `external_id`.
async fn stored(
    app: &TestApp,
    external_id: &str,
) -> (Option<String>, Option<String>, Option<String>) {
    sql::query_as(
        "SELECT transcript_url, recording_url, transcript FROM service_records
         WHERE external_id = ?",
    )
    .bind(external_id)
    .fetch_one(&app.state.pool)
    .await
    .unwrap()
}

fn ingest(body: &Value) -> Request<Body> {
    Request::post("/api/v1/ingest/service-records")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {API_KEY}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn record(external_id: &str) -> Value {
    json!({
        "external_id": external_id,
        "customer": "C000002",
        "agent": "E2001",
        "service_type": "online_chat",
        "channel": "online",
        "started_at": "2026-11-21T02:00:00Z",
        "ended_at": "2026-11-21T02:30:00Z",
        "urgency": "low",
        "category": "complaint",
        "requested_at": "2026-11-21 09:00",
    })
}

#[tokio::test]
async fn an_import_brings_the_conversation_and_a_bad_link_imports_nothing() {
    let admin = AdminClient::new().await;
    let uri = "/api/v1/service-records/import";
    let header = "external_id,customer,agent,service_type,channel,started_at,ended_at,urgency,\
                  category,requested_at,transcript_url,recording_url,transcript";
    let row = |id: &str, recording: &str| {
        format!(
            "{id},13800000001,E1001,在线客服咨询,线上,2026-11-20 10:05,2026-11-20 10:20,高,投诉,\
             2026-11-20 10:00,https://helpdesk.example.com/t/{id},{recording},\"{TRANSCRIPT}\r\n\r\n\""
        )
    };
    let bad = format!(
        "{header}\n{}\n{}\n",
        row("HD1", "http://127.0.0.1:9/r/HD1.ogg"),
        row("HD2", "ftp://helpdesk.example.com/r/HD2.ogg")
    );
    let refused = problem(admin.csv(uri, bad).await, 422).await;
    // Named by the line the row starts on: the first row's transcript cell spans five.
    assert_eq!(codes(&refused), [("row 7: recording_url", "invalid_url")]);
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 0);

    let good = format!(
        "{header}\n{}\n{}\n",
        row("HD1", "http://127.0.0.1:9/r/HD1.ogg"),
        row("HD2", "")
    );
    let response = admin.csv(uri, good.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 2);
    let (link, recording, transcript) = stored(&admin.app, "HD1").await;
    assert_eq!(link.as_deref(), Some("https://helpdesk.example.com/t/HD1"));
    assert_eq!(recording.as_deref(), Some("http://127.0.0.1:9/r/HD1.ogg"));
    assert_eq!(transcript.as_deref(), Some(TRANSCRIPT), "kept as its lines");
    assert_eq!(stored(&admin.app, "HD2").await.1, None);
    // The same file again is unchanged, the conversation included.
    let again: Value = body_json(admin.csv(uri, good).await).await;
    assert_eq!(again["unchanged"], 2);
}

#[tokio::test]
async fn ingestion_checks_and_stores_the_conversation() {
    let admin = AdminClient::new().await;
    let mut body = record("HD300");
    body["transcript_url"] = json!("helpdesk.example.com/t/300");
    body["recording_url"] = json!("javascript:alert(1)");
    body["transcript"] = json!(format!("客户：{}", "长".repeat(20_000)));
    let refused = problem(admin.app.request(ingest(&body)).await, 422).await;
    assert_eq!(
        codes(&refused),
        [
            ("transcript_url", "invalid_url"),
            ("recording_url", "invalid_url"),
            ("transcript", "too_long"),
            ("transcript", "line_too_long"),
        ]
    );
    body["transcript_url"] = json!("https://helpdesk.example.com/t/300");
    body["recording_url"] = json!("https://helpdesk.example.com/r/300.mp3");
    body["transcript"] = json!(TRANSCRIPT);
    let created = admin.app.request(ingest(&body)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        stored(&admin.app, "HD300").await,
        (
            Some("https://helpdesk.example.com/t/300".to_owned()),
            Some("https://helpdesk.example.com/r/300.mp3".to_owned()),
            Some(TRANSCRIPT.to_owned())
        )
    );
    // Idempotent on the conversation too: another transcript is a change, refused.
    let same = admin.app.request(ingest(&body)).await;
    assert_eq!(same.status(), StatusCode::OK);
    body["transcript"] = json!("客户：另一段对话");
    problem(admin.app.request(ingest(&body)).await, 409).await;
}

async fn get(app: &TestApp, uri: &str, cookie: &str) -> (StatusCode, Value) {
    let response = app
        .request(empty_request(Method::GET, uri, Some(cookie)))
        .await;
    let status = response.status();
    (status, body_json(response).await)
}

async fn put(app: &TestApp, uri: &str, cookie: &str, body: &Value) -> axum::http::Response<Body> {
    let mut request = json_request(Method::PUT, uri, Some(cookie), body);
    request.headers_mut().insert(
        "idempotency-key",
        format!("conv-{}", KEYS.fetch_add(1, Ordering::Relaxed))
            .parse()
            .unwrap(),
    );
    app.request(request).await
}

/// Every item of template 1 compliant but 2 (耐心倾听), not compliant and quoting `quote`.
fn inspection(owner: i64, quote: &str) -> Value {
    let answers: Vec<Value> = (1..=14)
        .map(|item| match item {
            2 => json!({ "item_id": 2, "result": "non_compliant",
                         "problem": "客户描述问题时打断客户", "quote": quote }),
            4 => json!({ "item_id": 4, "result": "not_applicable" }),
            _ => json!({ "item_id": item, "result": "compliant" }),
        })
        .collect();
    json!({
        "answers": answers,
        "scores": (1..=5).map(|d| json!({ "dimension_id": d, "score": 3 })).collect::<Vec<_>>(),
        "rectifications": [{ "item_id": 2, "owner_id": owner, "deadline": "2026-11-25" }],
    })
}

#[tokio::test]
async fn a_finding_quotes_a_line_of_its_records_transcript_seen_by_qa_and_the_agent() {
    let start: DateTime<Utc> = "2026-11-20T02:00:00Z".parse().unwrap();
    let app = TestApp::new().await.at(start);
    let people = app.people().await;
    let (qa, admin, agent, other) = (
        app.session(people.qa).await,
        app.session(people.admin).await,
        app.session(people.agent).await,
        app.session(people.other_agent).await,
    );
    let record = app
        .service_record(
            people.member,
            people.agent,
            "online_chat",
            "2026-11-10T03:00:00Z".parse().unwrap(),
        )
        .await;
    sql::query("UPDATE service_records SET transcript = ?, recording_url = ? WHERE id = ?")
        .bind(TRANSCRIPT)
        .bind("http://127.0.0.1:9/r.ogg")
        .bind(record)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let plan = json!({
        "name": "11 月巡检", "goal": "对话抽检", "from": "2026-11-01", "to": "2026-11-19",
        "template_id": 1, "strata": [], "inspector_ids": [people.qa], "seed": 1,
    });
    let mut request = json_request(Method::POST, "/api/v1/qa/plans", Some(&qa), &plan);
    request
        .headers_mut()
        .insert("idempotency-key", "conv-plan".parse().unwrap());
    let created = app.request(request).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let plan: PlanDetail = serde_json::from_value(body_json(created).await).unwrap();
    let sample: i64 = sql::query_scalar("SELECT id FROM qa_samples WHERE plan_id = ?")
        .bind(plan.plan.id)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let uri = format!("/api/v1/qa/samples/{sample}");

    // QA inspectors and admins read the conversation; an agent does not reach the sheet.
    for cookie in [&qa, &admin] {
        let (status, body) = get(&app, &uri, cookie).await;
        assert_eq!(status, StatusCode::OK);
        let sheet: InspectionSheet = serde_json::from_value(body).unwrap();
        assert_eq!(sheet.conversation.lines.len(), 3);
        assert_eq!(sheet.conversation.lines[1], "客服：您好，我帮您查一下");
        assert_eq!(
            sheet.conversation.recording_url.as_deref(),
            Some("http://127.0.0.1:9/r.ogg")
        );
    }
    assert_eq!(get(&app, &uri, &agent).await.0, StatusCode::FORBIDDEN);

    // A quote that is not a line of this record's transcript is refused at the item.
    let put_uri = format!("{uri}/inspection");
    let refused = problem(
        put(
            &app,
            &put_uri,
            &qa,
            &inspection(people.agent, "客服：这不是我们的责任"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(codes(&refused), [("answers.2.quote", "not_in_transcript")]);
    let saved = put(
        &app,
        &put_uri,
        &qa,
        &inspection(people.agent, " 客服：您好，我帮您查一下 "),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let saved: Inspection = serde_json::from_value(body_json(saved).await).unwrap();
    let quoted = saved.answers.iter().find(|a| a.item_id == 2).unwrap();
    assert_eq!(quoted.quote.as_deref(), Some("客服：您好，我帮您查一下"));
    assert_eq!(
        saved.rectifications[0].quote.as_deref(),
        Some("客服：您好，我帮您查一下")
    );

    // The agent of the record sees the quoted finding in their own QA; another agent does not.
    let (status, mine) = get(&app, "/api/v1/me/qa", &agent).await;
    assert_eq!(status, StatusCode::OK);
    let mine: MyQa = serde_json::from_value(mine).unwrap();
    assert_eq!(mine.inspections.len(), 1);
    let quotes = &mine.inspections[0].quotes;
    assert_eq!(quotes.len(), 1);
    assert_eq!(quotes[0].item_name_zh, "耐心倾听");
    assert_eq!(quotes[0].quote, "客服：您好，我帮您查一下");
    assert_eq!(
        mine.rectifications[0].quote.as_deref(),
        Some("客服：您好，我帮您查一下")
    );
    let (_, theirs) = get(&app, "/api/v1/me/qa", &other).await;
    let theirs: MyQa = serde_json::from_value(theirs).unwrap();
    assert!(theirs.inspections.is_empty() && theirs.rectifications.is_empty());
    // A record without a transcript takes no quote at all.
    sql::query("UPDATE service_records SET transcript = NULL WHERE id = ?")
        .bind(record)
        .execute(&app.state.pool)
        .await
        .unwrap();
    let (_, sheet) = get(&app, &uri, &qa).await;
    assert_eq!(sheet["conversation"]["lines"], json!([]));
}
