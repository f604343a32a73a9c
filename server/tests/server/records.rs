//! Service records: the helpdesk's ingestion with API keys, the admin's CSV import (dry run,
//! all-or-nothing, idempotent, BOM and GBK files) and the admin list's filters and paging.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pingjia_domain::records::{IngestAnswer, RecordImportReport, RecordPage, RowOutcome};
use pingjia_domain::wire::CreatedApiKey;
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{API_KEY, AdminClient, body_json, codes, problem};

const HEADER: &str = "external_id,customer,agent,service_type,channel,started_at,ended_at,\
                      order_no,urgency,category,tags,requested_at,first_response_at,resolved_at,\
                      resolved_first_contact";

/// A valid row: `HD<n>` for the member customer and agent E1001.
fn row(n: u32) -> String {
    format!(
        "HD{n},13800000001,E1001,在线客服咨询,线上,2026-11-20 10:{m:02},2026-11-20 10:{e:02},\
         SO{n},高,咨询,物流延迟|退换货,2026-11-20 09:{m:02},2026-11-20 09:{r:02},,是",
        m = n % 50,
        e = n % 50 + 5,
        r = n % 50 + 1,
    )
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

fn ingest(body: &Value, key: Option<&str>) -> Request<Body> {
    let mut request =
        Request::post("/api/v1/ingest/service-records").header("content-type", "application/json");
    if let Some(key) = key {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// A helpdesk's record as the ingestion takes it.
pub fn record(external_id: &str) -> Value {
    json!({
        "external_id": external_id,
        "customer": "C000002",
        "agent": "E2001",
        "service_type": "delivery",
        "channel": "offline",
        "started_at": "2026-11-21T02:00:00Z",
        "ended_at": "2026-11-21T02:30:00Z",
        "urgency": "low",
        "category": "complaint",
        "tags": ["包装破损"],
        "requested_at": "2026-11-21 09:00",
        "first_response_at": "2026-11-21 09:40",
        "resolved_first_contact": false,
    })
}

async fn report(response: axum::http::Response<Body>) -> RecordImportReport {
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_value(body_json(response).await).unwrap()
}

#[tokio::test]
async fn ingestion_needs_a_valid_unrevoked_key() {
    let admin = AdminClient::new().await;
    let app = &admin.app;
    let body = record("HD100");
    let missing = problem(app.request(ingest(&body, None)).await, 401).await;
    assert!(missing.detail.unwrap().contains("Bearer"));
    problem(app.request(ingest(&body, Some("pj_not-a-key"))).await, 401).await;

    let created = admin
        .post("/api/v1/api-keys", json!({ "name": "CRM" }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: CreatedApiKey = serde_json::from_value(body_json(created).await).unwrap();
    assert!(created.secret.starts_with(&created.key.prefix));
    let response = app.request(ingest(&body, Some(&created.secret))).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let listed = body_json(admin.get("/api/v1/api-keys").await).await;
    let text = listed.to_string();
    assert!(!text.contains(&created.secret), "the secret is shown once");
    assert_eq!(listed[0]["name"], "CRM");
    assert!(listed[0]["last_used_at"].is_string());

    let revoke = admin
        .post(
            &format!("/api/v1/api-keys/{}/revoke", created.key.id),
            json!({}),
        )
        .await;
    assert_eq!(revoke.status(), StatusCode::OK);
    let revoked = problem(
        app.request(ingest(&record("HD101"), Some(&created.secret)))
            .await,
        401,
    )
    .await;
    assert!(revoked.detail.unwrap().contains("revoked"));
    let audited = admin
        .count(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('api_key.created', 'api_key.revoked')",
        )
        .await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn ingestion_checks_every_field() {
    let admin = AdminClient::new().await;
    let mut body = record("HD200");
    body["agent"] = json!("L0001");
    body["customer"] = json!("13900000000");
    body["channel"] = json!("phone");
    body["ended_at"] = json!("2026-11-21 09:59");
    body["service_type"] = json!("Teleportation");
    let response = admin.app.request(ingest(&body, Some(API_KEY))).await;
    let problem = problem(response, 422).await;
    assert_eq!(
        codes(&problem),
        [
            ("channel", "invalid"),
            ("ended_at", "order"),
            ("customer", "unknown"),
            ("agent", "not_agent"),
            ("service_type", "unknown")
        ]
    );
    assert!(problem.errors[3].message.contains("not an agent"));
    let missing = admin
        .app
        .request(ingest(&json!({ "external_id": "HD201" }), Some(API_KEY)))
        .await;
    let missing = crate::common::problem(missing, 422).await;
    assert_eq!(missing.errors.len(), 9);
    assert!(missing.errors.iter().all(|e| e.code == "required"));
    assert_eq!(
        missing.field("channel").unwrap().message,
        "this field is required"
    );
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 0);
}

#[tokio::test]
async fn an_ingestion_replay_answers_the_existing_record() {
    let admin = AdminClient::new().await;
    let app = &admin.app;
    let first = app.request(ingest(&record("HD300"), Some(API_KEY))).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: IngestAnswer = serde_json::from_value(body_json(first).await).unwrap();
    assert!(!first.already_existed);
    assert_eq!(first.record.customer_phone.as_deref(), Some("138****0002"));
    assert_eq!(first.record.agent_no, "E2001");
    assert_eq!(first.record.service_type_name_zh, "物流配送服务");
    assert_eq!(
        first.record.requested_at.to_rfc3339(),
        "2026-11-21T01:00:00+00:00",
        "a local time is China time"
    );

    // The same record with the words spelled otherwise is the same record.
    let mut again = record("HD300");
    again["service_type"] = json!("物流配送服务");
    again["category"] = json!("投诉");
    let replay = app.request(ingest(&again, Some(API_KEY))).await;
    assert_eq!(replay.status(), StatusCode::OK);
    let replay: IngestAnswer = serde_json::from_value(body_json(replay).await).unwrap();
    assert!(replay.already_existed);
    assert_eq!(replay.record, first.record);

    let mut changed = record("HD300");
    changed["urgency"] = json!("high");
    let conflict = problem(app.request(ingest(&changed, Some(API_KEY))).await, 409).await;
    assert!(conflict.detail.unwrap().contains("HD300"));
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 1);
}

#[tokio::test]
async fn ingestion_is_not_subject_to_the_cross_site_check() {
    let admin = AdminClient::new().await;
    let mut request = ingest(&record("HD400"), Some(API_KEY));
    request
        .headers_mut()
        .insert("origin", "https://helpdesk.example".parse().unwrap());
    request
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(
        admin.app.request(request).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_bad_row_imports_nothing_and_the_fixed_file_imports_once() {
    let admin = AdminClient::new().await;
    let uri = "/api/v1/service-records/import";
    let mut rows: Vec<String> = (1..=12).map(row).collect();
    rows[4] = rows[4]
        .replace(",高,", ",urgent,")
        .replace("E1001", "E9999");
    let bad = file(&rows);

    let dry = report(admin.csv(&format!("{uri}?dry_run=true"), bad.clone()).await).await;
    assert!(dry.dry_run);
    assert_eq!(
        (dry.rows, dry.new, dry.unchanged, dry.imported),
        (12, 11, 0, 0)
    );
    assert_eq!(dry.preview.len(), 10);
    assert_eq!(dry.preview[0].line, 2);
    assert_eq!(dry.preview[0].customer_no, "C000001");
    assert_eq!(dry.preview[0].tags, ["物流延迟", "退换货"]);
    let fields: Vec<&str> = dry.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["row 6: urgency", "row 6: agent"]);

    let refused = problem(admin.csv(uri, bad).await, 422).await;
    assert_eq!(refused.errors.len(), 2);
    assert!(refused.detail.unwrap().contains("1 row is invalid"));
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 0);

    rows[4] = row(5);
    let fixed = file(&rows);
    let done = report(admin.csv(uri, fixed.clone()).await).await;
    assert_eq!((done.rows, done.new, done.imported), (12, 12, 12));
    assert_eq!(
        admin.count("SELECT COUNT(*) FROM service_records").await,
        12
    );

    let again = report(admin.csv(uri, fixed).await).await;
    assert_eq!((again.new, again.unchanged, again.imported), (0, 12, 0));
    assert!(
        again
            .preview
            .iter()
            .all(|p| p.outcome == RowOutcome::Unchanged)
    );
    assert_eq!(
        admin.count("SELECT COUNT(*) FROM service_records").await,
        12
    );

    // The same external id with other content is refused, not changed.
    let changed = file(&[row(1).replace(",高,", ",低,"), row(13)]);
    let refused = problem(admin.csv(uri, changed).await, 422).await;
    assert_eq!(refused.errors[0].field, "row 2: external_id");
    assert_eq!(refused.errors[0].code, "changed");
    assert_eq!(
        admin.count("SELECT COUNT(*) FROM service_records").await,
        12
    );
    assert_eq!(
        admin
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'service_records.imported'")
            .await,
        2
    );
}

#[tokio::test]
async fn bom_and_gbk_files_are_read() {
    let admin = AdminClient::new().await;
    let uri = "/api/v1/service-records/import";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(file(&[row(1)]).as_bytes());
    let done = report(admin.csv(uri, bom).await).await;
    assert_eq!((done.imported, done.converted_from), (1, None));

    let text = file(&[row(2), row(3)]);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable && std::str::from_utf8(&gbk).is_err());
    let done = report(admin.csv(uri, gbk.into_owned()).await).await;
    assert_eq!(done.imported, 2);
    assert_eq!(done.converted_from.as_deref(), Some("GBK"));
    assert_eq!(done.preview[0].service_type, "online_chat");

    let garbage = problem(admin.csv(uri, vec![0xFFu8, 0xFE, 0x00, 0xFF]).await, 422).await;
    assert!(garbage.detail.unwrap().contains("neither UTF-8 nor GBK"));
}

#[tokio::test]
async fn a_wrong_header_or_an_archived_type_is_explained() {
    let admin = AdminClient::new().await;
    let uri = "/api/v1/service-records/import?dry_run=true";
    let header = problem(
        admin
            .csv(uri, "external_id,customer,colour\nHD1,C000001,red\n")
            .await,
        422,
    )
    .await;
    assert!(header.errors.iter().any(|e| e.code == "missing_column"));
    assert!(header.errors.iter().any(|e| e.code == "unknown_column"));

    let archive = admin
        .patch(
            "/api/v1/service-types/online_chat",
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(archive.status(), StatusCode::OK);
    let dry = report(admin.csv(uri, file(&[row(1)])).await).await;
    assert_eq!(dry.errors[0].field, "row 2: service_type");
    assert_eq!(dry.errors[0].code, "archived");
}

#[tokio::test]
async fn the_list_filters_and_pages_newest_first() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let uri = "/api/v1/service-records/import";
    let mut rows: Vec<String> = (1..=25).map(row).collect();
    // Two records of the other team's agent, offline, on another day.
    for n in [26, 27] {
        rows.push(
            row(n)
                .replace("E1001", "E2001")
                .replace("在线客服咨询", "in_store")
                .replace("线上", "offline")
                .replace("2026-11-20", "2026-11-10"),
        );
    }
    report(admin.csv(uri, file(&rows)).await).await;
    // One of them is rated.
    let record: i64 = sql::query_scalar("SELECT id FROM service_records WHERE external_id = 'HD3'")
        .fetch_one(&admin.app.state.pool)
        .await
        .unwrap();
    sql::query(
        "INSERT INTO evaluations (id, number, service_record_id, customer_id, agent_id,
                                  service_type, submitted_at, total_score, overall)
         VALUES (1, 'PJ20261120-000001', ?, ?, ?, 'online_chat', '2026-11-20T05:00:00Z', 4.5, 9)",
    )
    .bind(record)
    .bind(people.member)
    .bind(people.agent)
    .execute(&admin.app.state.pool)
    .await
    .unwrap();

    let page = |query: String| {
        let admin = &admin;
        async move {
            let response = admin.get(&format!("/api/v1/service-records{query}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            serde_json::from_value::<RecordPage>(body_json(response).await).unwrap()
        }
    };
    let all = page(String::new()).await;
    assert_eq!((all.total, all.records.len(), all.per_page), (27, 20, 20));
    assert!(
        all.records
            .windows(2)
            .all(|w| w[0].started_at >= w[1].started_at),
        "newest first"
    );
    assert_eq!(
        all.records[0].customer_phone.as_deref(),
        Some("138****0001")
    );
    assert_eq!(all.records[0].agent_name, "张伟");
    assert_eq!(all.records[0].team_name.as_deref(), Some("华东一组"));
    let second = page("?page=2&per_page=20".to_owned()).await;
    assert_eq!(second.records.len(), 7);

    let other_team = page(format!("?team_id={}", people.other_team)).await;
    assert_eq!(other_team.total, 2);
    assert!(other_team.records.iter().all(|r| r.agent_no == "E2001"));
    assert_eq!(page(format!("?agent_id={}", people.agent)).await.total, 25);
    assert_eq!(page("?channel=offline".to_owned()).await.total, 2);
    assert_eq!(page("?service_type=in_store".to_owned()).await.total, 2);
    assert_eq!(
        page("?from=2026-11-10&to=2026-11-10".to_owned())
            .await
            .total,
        2
    );
    assert_eq!(page("?from=2026-11-11".to_owned()).await.total, 25);
    let rated = page("?rated=true".to_owned()).await;
    assert_eq!(rated.total, 1);
    assert_eq!(rated.records[0].external_id, "HD3");
    assert!(rated.records[0].rated);
    assert_eq!(page("?rated=false".to_owned()).await.total, 26);

    let invalid = problem(
        admin
            .get("/api/v1/service-records?per_page=101&from=2026-11-20&to=2026-11-01")
            .await,
        422,
    )
    .await;
    let fields: Vec<&str> = invalid.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["per_page", "to"]);
}
