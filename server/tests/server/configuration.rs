//! The admin's configuration: dimensions and service types (in-use ones archived, never
//! deleted), settings (validated, audited, effective at once) and the working-day calendar.

use axum::body::Body;
use axum::http::{Method, Response, StatusCode};
use pingjia_domain::calendar::{CalendarYear, DayKind};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Catalog, Dimension, ServiceType};
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{API_KEY, AdminClient, body_json, codes, problem};

async fn catalog(admin: &AdminClient) -> Catalog {
    serde_json::from_value(body_json(admin.get("/api/v1/catalog").await).await).unwrap()
}

/// The details of the audit entries of `action`, oldest first.
async fn audited(admin: &AdminClient, action: &str) -> Vec<(Option<String>, Value)> {
    let rows: Vec<(Option<String>, String)> =
        sql::query_as("SELECT target_id, details FROM audit_log WHERE action = ? ORDER BY id")
            .bind(action)
            .fetch_all(&admin.app.state.pool)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(target, details)| (target, serde_json::from_str(&details).unwrap()))
        .collect()
}

#[tokio::test]
async fn dimensions_are_created_edited_and_deleted_only_when_unused() {
    let admin = AdminClient::new().await;
    let new = json!({
        "code": "empathy", "name_zh": "同理心", "name_en": "Empathy",
        "description_zh": "是否理解客户的处境", "description_en": "Did they understand your situation?",
    });
    let created = admin.post("/api/v1/dimensions", new.clone()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Dimension = serde_json::from_value(body_json(created).await).unwrap();
    assert_eq!(created.name_en, "Empathy");
    assert_eq!(
        catalog(&admin).await.dimensions.last().unwrap().code,
        "empathy"
    );
    let taken = problem(admin.post("/api/v1/dimensions", new).await, 422).await;
    assert_eq!(taken.errors[0].code, "taken");

    let edited = admin
        .patch(
            "/api/v1/dimensions/empathy",
            json!({ "description_en": "Did they put themselves in your shoes?", "name_zh": " " }),
        )
        .await;
    assert_eq!(problem(edited, 422).await.errors[0].field, "name_zh");
    let edited = admin
        .patch(
            "/api/v1/dimensions/empathy",
            json!({ "description_en": "Did they put themselves in your shoes?" }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);

    let used = problem(admin.delete("/api/v1/dimensions/attitude").await, 409).await;
    let detail = used.detail.unwrap();
    assert!(
        detail.contains("在线客服咨询") && detail.contains("archive"),
        "{detail}"
    );
    assert_eq!(
        admin.delete("/api/v1/dimensions/empathy").await.status(),
        StatusCode::NO_CONTENT
    );
    problem(admin.delete("/api/v1/dimensions/empathy").await, 404).await;
    assert_eq!(audited(&admin, "dimension.deleted").await.len(), 1);
    let changes = &audited(&admin, "dimension.updated").await[0].1["changes"];
    assert_eq!(
        changes["description_en"]["old"],
        "Did they understand your situation?"
    );

    // Archiving keeps the dimension in the types that use it.
    let archived = admin
        .patch(
            "/api/v1/dimensions/added_value",
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(archived.status(), StatusCode::OK);
    let catalog = catalog(&admin).await;
    assert!(
        catalog
            .dimensions
            .iter()
            .any(|d| d.code == "added_value" && d.archived)
    );
    assert!(
        catalog.service_types[0]
            .dimensions
            .iter()
            .any(|d| d.code == "added_value")
    );
}

#[tokio::test]
async fn service_types_are_created_reordered_archived_and_deleted_only_when_unused() {
    let admin = AdminClient::new().await;
    let create = |code: &str, dimensions: Value| json!({ "code": code, "name_zh": "视频客服", "name_en": "Video call", "dimensions": dimensions });
    let invalid = admin
        .post(
            "/api/v1/service-types",
            create("Video", json!([{ "code": "nope", "optional": true }])),
        )
        .await;
    assert_eq!(
        codes(&problem(invalid, 422).await),
        [
            ("code", "invalid"),
            ("dimensions", "all_optional"),
            ("dimensions[0]", "unknown"),
        ]
    );
    let dimensions = json!([
        { "code": "responsiveness", "optional": false },
        { "code": "attitude", "optional": true },
    ]);
    let created = admin
        .post("/api/v1/service-types", create("video_call", dimensions))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: ServiceType = serde_json::from_value(body_json(created).await).unwrap();
    assert_eq!(created.dimensions[0].code, "responsiveness");
    assert!(created.dimensions[1].optional);

    // Reorder: the new type first.
    let mut codes: Vec<String> = catalog(&admin)
        .await
        .service_types
        .into_iter()
        .map(|t| t.code)
        .collect();
    assert_eq!(codes.last().unwrap(), "video_call");
    codes.rotate_right(1);
    let partial = admin
        .put(
            "/api/v1/service-types/order",
            json!({ "codes": &codes[1..] }),
        )
        .await;
    assert_eq!(
        problem(partial, 422).await.errors[0].code,
        "not_a_permutation"
    );
    let reordered = admin
        .put("/api/v1/service-types/order", json!({ "codes": codes }))
        .await;
    assert_eq!(reordered.status(), StatusCode::OK);
    assert_eq!(catalog(&admin).await.service_types[0].code, "video_call");

    // A new dimension set.
    let edited = admin
        .patch(
            "/api/v1/service-types/video_call",
            json!({ "dimensions": [{ "code": "resolution", "optional": false }] }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: ServiceType = serde_json::from_value(body_json(edited).await).unwrap();
    assert_eq!(edited.dimensions.len(), 1);

    // A used type: 409, archived instead.
    let mut request = crate::common::json_request(
        Method::POST,
        "/api/v1/ingest/service-records",
        None,
        &json!({
            "external_id": "HD1", "customer": "C000001", "agent": "E1001",
            "service_type": "视频客服", "channel": "online",
            "started_at": "2026-11-20 10:05", "ended_at": "2026-11-20 10:20",
            "urgency": "normal", "category": "consultation", "requested_at": "2026-11-20 10:00",
        }),
    );
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {API_KEY}").parse().unwrap(),
    );
    assert_eq!(
        admin.app.request(request).await.status(),
        StatusCode::CREATED
    );
    let used = problem(admin.delete("/api/v1/service-types/video_call").await, 409).await;
    assert!(used.detail.unwrap().contains("1 service records"));
    let archived = admin
        .patch(
            "/api/v1/service-types/video_call",
            json!({ "archived": true }),
        )
        .await;
    assert_eq!(archived.status(), StatusCode::OK);
    assert!(catalog(&admin).await.service_types[0].archived);
    // Unarchived again.
    let back = admin
        .patch(
            "/api/v1/service-types/video_call",
            json!({ "archived": false }),
        )
        .await;
    assert_eq!(back.status(), StatusCode::OK);

    // An unused type goes.
    assert_eq!(
        admin
            .delete("/api/v1/service-types/delivery")
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(
        !catalog(&admin)
            .await
            .service_types
            .iter()
            .any(|t| t.code == "delivery")
    );
    assert_eq!(audited(&admin, "service_type.updated").await.len(), 3);
    assert_eq!(audited(&admin, "service_types.reordered").await.len(), 1);
}

#[tokio::test]
async fn an_evaluation_keeps_its_dimensions_when_the_type_changes() {
    let admin = AdminClient::new().await;
    let pool = &admin.app.state.pool;
    let people = admin.people;
    sql::query(
        "INSERT INTO service_records (external_id, customer_id, agent_id, service_type, channel,
             started_at, ended_at, urgency, category, requested_at, created_at)
         VALUES ('HD1', ?, ?, 'delivery', 'offline', '2026-11-20T02:00:00Z', '2026-11-20T02:10:00Z',
                 'normal', 'consultation', '2026-11-20T01:00:00Z', '2026-11-20T03:00:00Z')",
    )
    .bind(people.member)
    .bind(people.agent)
    .execute(pool)
    .await
    .unwrap();
    sql::query(
        "INSERT INTO evaluations (id, number, service_record_id, customer_id, agent_id,
             service_type, submitted_at, total_score, overall)
         VALUES (1, 'PJ20261120-000001', 1, ?, ?, 'delivery', '2026-11-20T04:00:00Z', 4.0, 8)",
    )
    .bind(people.member)
    .bind(people.agent)
    .execute(pool)
    .await
    .unwrap();
    sql::query(
        "INSERT INTO evaluation_scores (evaluation_id, dimension, position, optional, name_zh, name_en, score)
         SELECT 1, d.dimension, d.position, d.optional, x.name_zh, x.name_en,
                CASE WHEN d.optional THEN NULL ELSE 4 END
         FROM service_type_dimensions d JOIN dimensions x ON x.code = d.dimension
         WHERE d.service_type = 'delivery'",
    )
    .execute(pool)
    .await
    .unwrap();
    let before: i64 = admin.count("SELECT COUNT(*) FROM evaluation_scores").await;
    assert_eq!(before, 5);

    let edited = admin
        .patch(
            "/api/v1/service-types/delivery",
            json!({ "dimensions": [{ "code": "attitude", "optional": false }] }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let renamed = admin
        .patch(
            "/api/v1/dimensions/compliance",
            json!({ "name_zh": "规范" }),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(
        admin.count("SELECT COUNT(*) FROM evaluation_scores").await,
        5
    );
    let shown: String =
        sql::query_scalar("SELECT name_zh FROM evaluation_scores WHERE dimension = 'compliance'")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(shown, "服务规范性");

    // No type uses `compliance` any more… but an evaluation was given it.
    for code in ["online_chat", "in_store", "after_sales_repair"] {
        admin
            .patch(
                &format!("/api/v1/service-types/{code}"),
                json!({ "dimensions": [{ "code": "attitude", "optional": false }] }),
            )
            .await;
    }
    let kept = problem(admin.delete("/api/v1/dimensions/compliance").await, 409).await;
    assert!(kept.detail.unwrap().contains("Evaluations"));
}

#[tokio::test]
async fn settings_are_validated_audited_and_effective_at_once() {
    let admin = AdminClient::new().await;
    let current: Settings =
        serde_json::from_value(body_json(admin.get("/api/v1/settings").await).await).unwrap();
    assert_eq!(current, Settings::default());

    let mut bad = serde_json::to_value(Settings::default()).unwrap();
    bad["composite_customer_weight"] = json!(70);
    bad["sla_high_minutes"] = json!(0);
    let refused = problem(admin.put("/api/v1/settings", bad).await, 422).await;
    let fields: Vec<&str> = refused.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["sla_high_minutes", "composite_qa_weight"]);
    let unknown = admin
        .put("/api/v1/settings", json!({ "timezone": "UTC" }))
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let new = Settings {
        sla_normal_minutes: 60,
        composite_customer_weight: 70,
        composite_qa_weight: 30,
        ..Settings::default()
    };
    let stored = admin
        .put("/api/v1/settings", serde_json::to_value(&new).unwrap())
        .await;
    assert_eq!(stored.status(), StatusCode::OK);
    // The same state (no restart) reads the new values, and so does a fresh cache.
    let read: Settings =
        serde_json::from_value(body_json(admin.get("/api/v1/settings").await).await).unwrap();
    assert_eq!(read, new);
    let reloaded = pingjia_server::db::settings::SettingsCache::default()
        .get(&admin.app.state.pool)
        .await
        .unwrap();
    assert_eq!(reloaded, new);
    assert_eq!(
        reloaded.response_sla(pingjia_domain::wire::Urgency::Normal),
        chrono::Duration::hours(1)
    );

    let entries = audited(&admin, "setting.changed").await;
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_deref().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "composite_customer_weight",
            "composite_qa_weight",
            "sla_normal_minutes",
        ]
    );
    assert_eq!(entries[2].1, json!({ "old": 120, "new": 60 }));
    let actor: i64 = admin
        .count("SELECT actor_user_id FROM audit_log WHERE action = 'setting.changed' LIMIT 1")
        .await;
    assert_eq!(actor, admin.people.admin);

    // Storing the same values again changes and audits nothing.
    admin
        .put("/api/v1/settings", serde_json::to_value(&new).unwrap())
        .await;
    assert_eq!(audited(&admin, "setting.changed").await.len(), 3);
}

/// `PUT /calendar/{date}` as the admin.
async fn set_day(admin: &AdminClient, date: &str, kind: &str, name: &str) -> Response<Body> {
    let body = json!({ "kind": kind, "name": name });
    admin.put(&format!("/api/v1/calendar/{date}"), body).await
}

/// `POST /calendar/bulk` as the admin: `days` replace the year's.
async fn replace_year(admin: &AdminClient, year: i32, days: Value) -> Response<Body> {
    let body = json!({ "year": year, "days": days });
    admin.post("/api/v1/calendar/bulk", body).await
}

async fn year(admin: &AdminClient, year: i32) -> CalendarYear {
    let response = admin.get(&format!("/api/v1/calendar?year={year}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    serde_json::from_value(body_json(response).await).unwrap()
}

#[tokio::test]
async fn the_calendar_is_seeded_and_edited_day_by_day_or_a_year_at_once() {
    let admin = AdminClient::new().await;
    let seeded = year(&admin, 2026).await;
    assert_eq!(seeded.days.len(), 39);
    let national_day = seeded
        .days
        .iter()
        .find(|d| d.date.to_string() == "2026-10-01")
        .unwrap();
    assert_eq!(
        (national_day.kind, national_day.name.as_str()),
        (DayKind::Holiday, "国庆节")
    );

    let weekday = set_day(&admin, "2026-12-23", "workday", "调休").await;
    assert_eq!(problem(weekday, 422).await.errors[0].code, "not_weekend");
    let bad_date = set_day(&admin, "2026-02-30", "holiday", "假").await;
    assert_eq!(problem(bad_date, 422).await.errors[0].field, "date");
    let saturday = set_day(&admin, "2026-12-26", "workday", " 年终调休 ").await;
    assert_eq!(saturday.status(), StatusCode::OK);
    assert_eq!(body_json(saturday).await["name"], "年终调休");
    assert_eq!(year(&admin, 2026).await.days.len(), 40);

    assert_eq!(
        admin.delete("/api/v1/calendar/2026-12-26").await.status(),
        StatusCode::NO_CONTENT
    );
    problem(admin.delete("/api/v1/calendar/2026-12-26").await, 404).await;

    let invalid = replace_year(
        &admin,
        2027,
        json!([
            { "date": "2027-01-01", "kind": "holiday", "name": "元旦" },
            { "date": "2026-01-02", "kind": "holiday", "name": "元旦" },
        ]),
    )
    .await;
    assert_eq!(problem(invalid, 422).await.errors[0].field, "days[1].date");
    assert!(year(&admin, 2027).await.days.is_empty(), "nothing written");
    let replaced = replace_year(
        &admin,
        2026,
        json!([
            { "date": "2026-10-01", "kind": "holiday", "name": "国庆节" },
            { "date": "2026-10-10", "kind": "workday", "name": "国庆节调休" },
        ]),
    )
    .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    assert_eq!(year(&admin, 2026).await.days.len(), 2);
    let entries = audited(&admin, "calendar.year_replaced").await;
    assert_eq!(entries[0].1["days_before"], 39);
    assert_eq!(audited(&admin, "calendar.day_set").await.len(), 1);
    assert_eq!(audited(&admin, "calendar.day_deleted").await.len(), 1);
    let out_of_range = admin.get("/api/v1/calendar?year=1900").await;
    assert_eq!(out_of_range.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
