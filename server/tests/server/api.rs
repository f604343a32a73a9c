//! The JSON API: health, catalogue, service volume, errors as problem details, API headers.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Utc};
use pingjia_domain::catalog;
use pingjia_domain::wire::{Catalog, Channel, Health, HealthStatus, Role, ServiceVolume};
use pingjia_domain::{FieldError, Problem};
use pingjia_server::db::sql;
use pingjia_server::db::sql::Pool;

use crate::common::{TestApp, body_json, body_text, header};

async fn problem(app: &TestApp, request: Request<Body>, status: StatusCode) -> Problem {
    let response = app.request(request).await;
    assert_eq!(response.status(), status);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    let problem: Problem = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(problem.status, status.as_u16());
    assert!(!problem.title.is_empty());
    problem
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// A GET with a session cookie.
fn get_as(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn health_reports_the_version_and_the_schema() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let health: Health = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    assert!(health.database.ok);
    assert_eq!(health.database.error, None);
    let latest = pingjia_server::db::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap();
    assert_eq!(health.database.schema_version, Some(latest));
}

#[tokio::test]
async fn health_is_503_degraded_when_the_database_does_not_answer() {
    let app = TestApp::new().await;
    app.state.pool.close().await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let health: Health = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(health.status, HealthStatus::Degraded);
    assert!(!health.database.ok);
    assert_eq!(health.database.schema_version, None);
    assert!(health.database.error.is_some());
}

#[tokio::test]
async fn unknown_api_paths_are_404_problems_not_the_app() {
    let app = TestApp::new().await;
    for uri in [
        "/api/v1/nothing",
        "/api/v2/health",
        "/api",
        "/api/",
        "/api/v1/stats/nope/deeper",
    ] {
        let problem = problem(&app, get(uri), StatusCode::NOT_FOUND).await;
        assert!(problem.detail.unwrap().contains(uri), "{uri}");
    }
    let post = Request::post("/api/v1/nothing")
        .body(Body::empty())
        .unwrap();
    problem(&app, post, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_known_path_with_another_method_is_a_405_problem() {
    let app = TestApp::new().await;
    let request = Request::delete("/api/v1/catalog")
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(header(&response, "allow"), Some("GET,HEAD"));
    let request = Request::post("/api/v1/health").body(Body::empty()).unwrap();
    problem(&app, request, StatusCode::METHOD_NOT_ALLOWED).await;
}

#[tokio::test]
async fn days_out_of_range_is_a_422_with_a_field_error() {
    let app = TestApp::new().await;
    let admin = app.signed_in_as(Role::Admin).await;
    for days in ["0", "367", "-5", "100000000000"] {
        let uri = format!("/api/v1/stats/service-volume?days={days}");
        let problem = problem(&app, get_as(&uri, &admin), StatusCode::UNPROCESSABLE_ENTITY).await;
        let error: &FieldError = problem.field("days").expect("a field error on days");
        assert_eq!(error.code, "out_of_range");
        assert_eq!(problem.errors.len(), 1);
    }
}

#[tokio::test]
async fn a_malformed_query_is_a_400_problem() {
    let app = TestApp::new().await;
    let admin = app.signed_in_as(Role::Admin).await;
    let problem = problem(
        &app,
        get_as("/api/v1/stats/service-volume?days=many", &admin),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(problem.detail.unwrap().contains("days"));
}

#[tokio::test]
async fn the_catalogue_holds_the_presets_in_order() {
    let app = TestApp::new().await;
    let customer = app.signed_in_as(Role::Customer).await;
    let response = app.request(get_as("/api/v1/catalog", &customer)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let catalog: Catalog = serde_json::from_value(body_json(response).await).unwrap();
    let codes: Vec<&str> = catalog.dimensions.iter().map(|d| d.code.as_str()).collect();
    let preset: Vec<&str> = catalog::DIMENSIONS.iter().map(|d| d.code).collect();
    assert_eq!(codes, preset);
    assert_eq!(catalog.dimensions[0].name_zh, "服务态度");
    assert_eq!(catalog.service_types.len(), catalog::SERVICE_TYPES.len());
    for (served, preset) in catalog.service_types.iter().zip(catalog::SERVICE_TYPES) {
        assert_eq!(served.code, preset.code);
        assert_eq!(served.name_zh, preset.name_zh);
        assert!(!served.archived);
        let dimensions: Vec<(&str, bool)> = served
            .dimensions
            .iter()
            .map(|d| (d.code.as_str(), d.optional))
            .collect();
        assert_eq!(dimensions, preset.dimensions);
    }
}

#[tokio::test]
async fn presets_are_seeded_once_and_admin_changes_survive_a_restart() {
    let app = TestApp::new().await;
    let pool = &app.state.pool;
    sql::query("UPDATE dimensions SET archived = TRUE WHERE code = 'added_value'")
        .execute(pool)
        .await
        .unwrap();
    sql::query("DELETE FROM service_type_dimensions WHERE service_type = 'delivery' AND dimension = 'compliance'")
        .execute(pool)
        .await
        .unwrap();
    pingjia_server::db::seed_presets(pool).await.unwrap();
    let catalog = pingjia_server::api::catalog::load(pool).await.unwrap();
    let added_value = catalog
        .dimensions
        .iter()
        .find(|d| d.code == "added_value")
        .unwrap();
    assert!(added_value.archived);
    let delivery = catalog
        .service_types
        .iter()
        .find(|t| t.code == "delivery")
        .unwrap();
    assert!(delivery.dimensions.iter().all(|d| d.code != "compliance"));
    assert_eq!(catalog.dimensions.len(), catalog::DIMENSIONS.len());
}

/// Inserts one record started at `started_at` (UTC, stored format) on `channel`.
async fn record(pool: &Pool, id: u32, channel: Channel, started_at: &str) {
    let service_type = match channel {
        Channel::Online => "online_chat",
        Channel::Offline => "in_store",
    };
    sql::query(
        "INSERT INTO service_records (external_id, customer_id, agent_id, service_type, channel,
             started_at, ended_at, urgency, category, requested_at, created_at)
         VALUES (?, 1, 2, ?, ?, ?, ?, 'normal', 'consultation', ?, ?)",
    )
    .bind(format!("T{id}"))
    .bind(service_type)
    .bind(channel.as_str())
    .bind(started_at)
    .bind(started_at)
    .bind(started_at)
    .bind(started_at)
    .execute(pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn service_volume_counts_per_shanghai_day_and_channel() {
    let now: DateTime<Utc> = "2026-11-22T04:00:00Z".parse().unwrap(); // 12:00 in Shanghai
    let app = TestApp::new().await.at(now);
    let pool = &app.state.pool;
    sql::query(
        "INSERT INTO users (id, role, display_name, customer_no, employee_no, created_at)
         VALUES (1, 'customer', '客户', 'C000001', NULL, '2026-01-01T00:00:00Z'),
                (2, 'agent', '客服', NULL, 'E1001', '2026-01-01T00:00:00Z')",
    )
    .execute(pool)
    .await
    .unwrap();
    // 23:59:59 on 11-17 in Shanghai: the day before the period.
    record(pool, 1, Channel::Offline, "2026-11-17T15:59:59Z").await;
    // 00:00 on 11-18 in Shanghai: the first day of the period.
    record(pool, 2, Channel::Offline, "2026-11-17T16:00:00Z").await;
    record(pool, 3, Channel::Offline, "2026-11-19T02:00:00Z").await;
    record(pool, 4, Channel::Offline, "2026-11-19T09:00:00Z").await;
    record(pool, 5, Channel::Online, "2026-11-19T03:00:00Z").await;
    // Nothing on 11-20.
    // 23:30 on 11-21 in Shanghai is 15:30Z the same date.
    record(pool, 6, Channel::Online, "2026-11-21T15:30:00Z").await;
    // 00:30 on 11-22 in Shanghai is 16:30Z the previous UTC date.
    record(pool, 7, Channel::Online, "2026-11-21T16:30:00Z").await;
    record(pool, 8, Channel::Online, "2026-11-22T03:59:00Z").await;
    // 00:00 on 11-23 in Shanghai: tomorrow.
    record(pool, 9, Channel::Online, "2026-11-22T16:00:00Z").await;

    let admin = app.signed_in_as(Role::Admin).await;
    let response = app
        .request(get_as("/api/v1/stats/service-volume?days=5", &admin))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    let volume: ServiceVolume = serde_json::from_value(body_json(response).await).unwrap();
    let days: Vec<String> = volume.days.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        days,
        [
            "2026-11-18",
            "2026-11-19",
            "2026-11-20",
            "2026-11-21",
            "2026-11-22"
        ]
    );
    assert_eq!(volume.series.len(), 2);
    assert_eq!(volume.series[0].channel, Channel::Online);
    assert_eq!(volume.series[0].counts, [0, 1, 0, 1, 2]);
    assert_eq!(volume.series[1].channel, Channel::Offline);
    assert_eq!(volume.series[1].counts, [1, 2, 0, 0, 0]);
    assert_eq!(volume.total, 7);
    assert_eq!(volume.generated_at, now);

    // One day: today only.
    let response = app
        .request(get_as("/api/v1/stats/service-volume?days=1", &admin))
        .await;
    let volume: ServiceVolume = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(volume.days.len(), 1);
    assert_eq!(volume.series[0].counts, [2]);
    assert_eq!(volume.series[1].counts, [0]);
    assert_eq!(volume.total, 2);
}

#[tokio::test]
async fn service_volume_defaults_to_90_days_of_zeros_on_an_empty_database() {
    let app = TestApp::new().await;
    let admin = app.signed_in_as(Role::Admin).await;
    let response = app
        .request(get_as("/api/v1/stats/service-volume", &admin))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let volume: ServiceVolume = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(volume.days.len(), 90);
    assert!(
        volume
            .days
            .windows(2)
            .all(|w| w[0].succ_opt() == Some(w[1]))
    );
    assert_eq!(
        *volume.days.last().unwrap(),
        pingjia_server::time::org_day(Utc::now())
    );
    for series in &volume.series {
        assert_eq!(series.counts, vec![0; 90]);
    }
    assert_eq!(volume.total, 0);
}

#[tokio::test]
async fn api_responses_carry_the_security_headers_and_are_never_cached() {
    let app = TestApp::new().await;
    let customer = app.signed_in_as(Role::Customer).await;
    let response = app.request(get_as("/api/v1/catalog", &customer)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&response, "referrer-policy"), Some("no-referrer"));
    assert_eq!(header(&response, "x-frame-options"), Some("DENY"));
    assert_eq!(
        header(&response, "cross-origin-opener-policy"),
        Some("same-origin")
    );
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    assert_eq!(header(&response, "strict-transport-security"), None);
    let response = app.get("/api/v1/nothing").await;
    assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn hsts_is_sent_only_behind_https() {
    let app = TestApp::with(true, true).await;
    for uri in ["/api/v1/health", "/"] {
        let response = app.get(uri).await;
        assert_eq!(
            header(&response, "strict-transport-security"),
            Some("max-age=63072000; includeSubDomains")
        );
    }
}

#[tokio::test]
async fn api_responses_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::new().await;
    let customer = app.signed_in_as(Role::Customer).await;
    for encoding in ["br", "gzip"] {
        let request = Request::get("/api/v1/catalog")
            .header("cookie", &customer)
            .header("accept-encoding", encoding)
            .body(Body::empty())
            .unwrap();
        let response = app.request(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "content-encoding"), Some(encoding));
    }
    let plain = body_text(app.request(get_as("/api/v1/catalog", &customer)).await).await;
    assert!(plain.contains("服务态度"));
}
