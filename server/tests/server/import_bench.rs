//! The 10,000-row record import, timed, with the process's peak memory during it. Ignored in
//! ordinary runs; run it optimised:
//!
//! ```text
//! cargo test -p pingjia-server --profile server --test server import_bench -- --ignored --nocapture
//! ```

use pingjia_server::db::sql;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, Utc};
use pingjia_domain::records::RecordImportReport;
use pingjia_server::demo;
use pingjia_server::time::org_zone;

use crate::common::{TestApp, body_json};

const ROWS: usize = 10_000;

/// The process's peak resident memory since the last reset, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak resident memory to the current one (Linux ≥ 4.0).
fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak RSS");
}

#[tokio::test]
#[ignore = "a benchmark: run it with --profile server (see the module's documentation)"]
async fn import_10000_records() {
    let app = TestApp::new().await;
    let now = Utc::now();
    demo::seed_if_empty(&app.state.pool, now).await.unwrap();
    let people: Vec<(String, String)> = sql::query_as(
        "SELECT role, COALESCE(phone, employee_no) FROM users WHERE role IN ('customer', 'agent')",
    )
    .fetch_all(&app.state.pool)
    .await
    .unwrap();
    let customers: Vec<&str> = people
        .iter()
        .filter(|(role, _)| role == "customer")
        .map(|(_, number)| number.as_str())
        .collect();
    let agents: Vec<&str> = people
        .iter()
        .filter(|(role, _)| role == "agent")
        .map(|(_, number)| number.as_str())
        .collect();
    let types = [
        "在线客服咨询",
        "电话回访服务",
        "到店业务办理",
        "物流配送服务",
        "售后维修服务",
    ];
    let channels = ["线上", "线上", "线下", "线下", "线下"];
    let mut file = String::from(
        "external_id,customer,agent,service_type,channel,started_at,ended_at,order_no,urgency,\
         category,tags,requested_at,first_response_at,resolved_at,resolved_first_contact\n",
    );
    let start = (now - Duration::days(30)).with_timezone(&org_zone());
    let local = |t: chrono::DateTime<chrono::FixedOffset>| t.format("%Y-%m-%d %H:%M:%S");
    for i in 0..ROWS {
        let requested = start + Duration::minutes(i as i64 * 4);
        let kind = i % types.len();
        file.push_str(&format!(
            "BENCH{i:06},{},{},{},{},{},{},SO{i:08},{},{},物流延迟|退换货,{},{},{},{}\n",
            customers[i * 7 % customers.len()],
            agents[i * 3 % agents.len()],
            types[kind],
            channels[kind],
            local(requested + Duration::minutes(5)),
            local(requested + Duration::minutes(25)),
            ["高", "中", "低"][i % 3],
            ["咨询", "投诉", "建议", "表扬"][i % 4],
            local(requested),
            local(requested + Duration::minutes(2)),
            local(requested + Duration::minutes(90)),
            if i % 3 == 0 { "否" } else { "是" },
        ));
    }
    let bytes = file.len();
    let admin: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = 'A0001'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let cookie = app.session(admin).await;

    let timed = |dry_run: bool| {
        let app = &app;
        let request = Request::post(format!("/api/v1/service-records/import?dry_run={dry_run}"))
            .header("content-type", "text/csv")
            .header("cookie", &cookie)
            .body(Body::from(file.clone()))
            .unwrap();
        async move {
            let began = Instant::now();
            let response = app.request(request).await;
            assert_eq!(response.status(), StatusCode::OK);
            let report: RecordImportReport =
                serde_json::from_value(body_json(response).await).unwrap();
            (began.elapsed(), report)
        }
    };
    reset_peak_rss();
    let before = peak_rss_kib().unwrap_or_default();
    let (dry, report) = timed(true).await;
    assert_eq!((report.rows, report.new), (ROWS as u64, ROWS as u64));
    let (real, report) = timed(false).await;
    assert_eq!(report.imported, ROWS as u64);
    let peak = peak_rss_kib().unwrap_or_default();
    let (again, report) = timed(false).await;
    assert_eq!(report.unchanged, ROWS as u64);
    println!(
        "import of {ROWS} rows ({} KiB): dry run {dry:.2?}, import {real:.2?}, re-import \
         (all unchanged) {again:.2?}; peak RSS {} MiB (before {} MiB, +{} MiB)",
        bytes / 1024,
        peak / 1024,
        before / 1024,
        peak.saturating_sub(before) / 1024
    );
}
