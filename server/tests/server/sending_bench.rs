//! Invitations at volume, timed: 10,000 records of 10,000 new customers imported without
//! invitations (the bare baseline), then the same on a fresh database with invitations on
//! (the import, the scheduler queuing one SMS each), and the outbox sending them to the
//! local HTTP SMS gateway sink. Ignored in ordinary runs; run it optimised:
//!
//! ```text
//! cargo test -p pingjia-server --profile server --test server sending_bench -- --ignored --nocapture
//! ```

use pingjia_server::db::sql;
use std::time::{Duration as StdDuration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::records::RecordImportReport;
use pingjia_server::services::{delivery, sending};

use super::sending::S;
use crate::common::body_json;
use crate::deliveries::Sink;

const ROWS: usize = 10_000;

/// The import file: `ROWS` records, each of a new customer with a phone, ended `ended`.
fn file(ended: DateTime<Utc>) -> String {
    let mut file = String::from(
        "external_id,customer_no,customer_phone,customer_type,customer_name,agent,service_type,\
         channel,started_at,ended_at,urgency,category,requested_at\n",
    );
    for i in 0..ROWS {
        let end = ended - Duration::seconds(i as i64);
        file.push_str(&format!(
            "BENCH{i:06},C{:07},139{i:08},new,客户{i},E2001,delivery,online,{},{},normal,consultation,{}\n",
            3_000_000 + i,
            (end - Duration::minutes(20)).to_rfc3339(),
            end.to_rfc3339(),
            (end - Duration::minutes(25)).to_rfc3339(),
        ));
    }
    file
}

/// Imports the file as the admin: how long it took.
async fn import(t: &S, file: &str) -> StdDuration {
    let cookie = t.app.session(t.people.admin).await;
    let request = Request::post("/api/v1/service-records/import")
        .header("content-type", "text/csv")
        .header("cookie", cookie)
        .body(Body::from(file.to_owned()))
        .unwrap();
    let began = Instant::now();
    let response = t.app.request(request).await;
    let elapsed = began.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    let report: RecordImportReport = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(report.imported, ROWS as u64);
    elapsed
}

fn per_second(n: u64, d: StdDuration) -> f64 {
    n as f64 / d.as_secs_f64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: run it with --profile server (see the module's documentation)"]
async fn invitations_for_10000_records() {
    let now: DateTime<Utc> = "2026-11-26T02:00:00Z".parse().unwrap();
    let ended = now - Duration::minutes(40);
    let file = file(ended);

    // The bare baseline: the records, invitations off (the scheduler finds nothing to do).
    let bare = S::at(now).await;
    let bare_import = import(&bare, &file).await;
    let began = Instant::now();
    assert_eq!(sending::run_due(&bare.app.state).await.unwrap().invited, 0);
    let bare_schedule = began.elapsed();

    // With invitations: the import, then the scheduler queues one SMS per record.
    let t = S::at(now).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.invitations_on(|s| {
        s.delay_minutes = 30;
        s.reminder_hours = 0;
    })
    .await;
    let with_import = import(&t, &file).await;
    let began = Instant::now();
    let run = sending::run_due(&t.app.state).await.unwrap();
    let queued = began.elapsed();
    assert_eq!(run.invited, ROWS as u64);
    // Nothing more on a second run.
    let began = Instant::now();
    assert_eq!(sending::run_due(&t.app.state).await.unwrap().invited, 0);
    let idle = began.elapsed();

    // The outbox sends them to the local gateway sink (a link issued for each).
    let began = Instant::now();
    delivery::run_due(&t.app.state).await.unwrap();
    let sent = began.elapsed();
    let received = sink.received().len();
    assert_eq!(received, ROWS);
    let delivered: i64 = sql::query_scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'")
        .fetch_one(&t.app.state.pool)
        .await
        .unwrap();
    assert_eq!(delivered, ROWS as i64);

    println!(
        "{ROWS} records of {ROWS} new customers: import without invitations {bare_import:.2?} \
         (scheduler with invitations off {bare_schedule:.2?}); with invitations on: import \
         {with_import:.2?}, scheduler queuing {ROWS} invitations {queued:.2?} ({:.0}/s), a \
         second run {idle:.2?}; import + invitations {:.2?} (+{:.0}% over the bare import); \
         outbox sending {ROWS} SMS to the local gateway sink {sent:.2?} ({:.0}/s)",
        per_second(run.invited, queued),
        with_import + queued,
        ((with_import + queued).as_secs_f64() / bare_import.as_secs_f64() - 1.0) * 100.0,
        per_second(ROWS as u64, sent),
    );
}
