//! The analytics reports over 1,000,000 evaluations (`PINGJIA_BENCH_EVALUATIONS` for another
//! number): every report endpoint timed with the default filters (the last 30 days, a year by
//! month) and with a one-agent filter, median and p95 of repeated requests through the whole
//! app (routing, session, SQL, JSON), beside the median of the raw SQL of the same aggregate
//! over the evaluations table. Ignored in ordinary runs; run it optimised:
//!
//! ```text
//! cargo test -p pingjia-server --profile server --test server analytics_bench -- --ignored --nocapture --test-threads 1
//! ```
//!
//! It also times the agent's and the team lead's first pages (issue 7) and the weekly and
//! monthly reports (issue 11, built from the data of now, the most a report takes), on the
//! demo data and on the million.
//!
//! On PostgreSQL (with `PINGJIA_TEST_POSTGRES`, e.g. `scripts/test-postgres.sh
//! analytics_bench -- --ignored --nocapture --test-threads 1` after building the server
//! profile) the same data is written by PostgreSQL itself (`postgres.rs`: ten million
//! evaluations need no SQLite file first).
//!
//! The data is generated in set-based SQL on top of the demo organisation, ending two hours
//! ago (it runs any day): a year of service records (a million: one every 31.5 seconds), each
//! rated, five dimension scores each, 45 % with a suggestion from a pool of phrases, each
//! phrase segmented once for the word cloud and its terms given to every evaluation that wrote
//! it.

use pingjia_server::db::sql;
use std::time::{Duration as StdDuration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Datelike, Utc};
use http_body_util::BodyExt;
use pingjia_server::demo;
use pingjia_server::services::analytics;

use crate::common::TestApp;

mod postgres;

/// How many evaluations the bench generates: `PINGJIA_BENCH_EVALUATIONS`, a million unless
/// said (`5000000` for the issue's second figure).
fn evaluations() -> i64 {
    std::env::var("PINGJIA_BENCH_EVALUATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}
const RUNS: usize = 30;

const PHRASES: [&str; 30] = [
    "客服态度很好，问题很快就解决了",
    "物流太慢了，等了一个星期才到",
    "回复速度太慢，排队等了很久",
    "解释得很清楚，非常专业",
    "退款处理拖了很久，希望加快速度",
    "维修师傅很耐心，服务很周到",
    "电话一直打不通，体验很差",
    "门店环境干净，排队时间短",
    "问题没有解决，还要再打电话",
    "客服说话很客气，耐心解答",
    "包装破损，联系客服后很快补发",
    "答复前后矛盾，让人很困惑",
    "上门时间准时，安装专业",
    "等待时间太长，人手不够",
    "主动回访，很贴心",
    "Great service, very patient agent",
    "The refund took far too long",
    "Nobody answered my emails for days",
    "Quick and helpful, problem solved",
    "The agent explained everything clearly",
    "售后流程复杂，希望简化手续",
    "会员权益说明得很清楚",
    "配送员态度差，包裹被随意放置",
    "一次就解决了，效率很高",
    "重复描述问题好几次，很浪费时间",
    "技术支持很专业，远程就修好了",
    "账户问题处理得很及时",
    "建议增加线上客服人手",
    "产品质量有问题，换货流程太慢",
    "服务规范，着装整洁，值得表扬",
];

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

async fn generate(pool: &sql::Pool, now: chrono::DateTime<Utc>) {
    use sqlx::Connection;
    // One transaction writes gigabytes: with the default 2 MB page cache it spills its pages to
    // the WAL again and again (five million rows wrote over 11 GB of WAL in 25 minutes). A
    // cache of 4 GB on a connection of the generation's own, closed after it: the measurements
    // run on the server's connections as they are.
    let mut conn = pool.as_sqlite().unwrap().acquire().await.unwrap().detach();
    sqlx::query("PRAGMA cache_size = -4000000")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut tx = conn.begin().await.unwrap();
    // The kept sums' triggers are set aside for the bulk insert (one upsert per row and grain
    // makes five million rows take most of an hour) and put back after it; the sums are then
    // rebuilt set-based from what was written, as `pingjia-server sums rebuild` does.
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
         AND (name LIKE '%sums%' OR name LIKE '%unread%')",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    assert!(!triggers.is_empty(), "the kept sums' triggers were renamed");
    for (name, _) in &triggers {
        sqlx::query(&format!("DROP TRIGGER {name}"))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let script = [
        "CREATE TEMP TABLE bench_agents (k INTEGER PRIMARY KEY, id INTEGER NOT NULL)",
        "INSERT INTO bench_agents SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM users WHERE role = 'agent'",
        "CREATE TEMP TABLE bench_customers (k INTEGER PRIMARY KEY, id INTEGER NOT NULL, kind TEXT)",
        "INSERT INTO bench_customers SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id, customer_type FROM users WHERE role = 'customer'",
        "CREATE TEMP TABLE bench_types (k INTEGER PRIMARY KEY, code TEXT NOT NULL)",
        "INSERT INTO bench_types SELECT ROW_NUMBER() OVER (ORDER BY position) - 1, code FROM service_types",
        "CREATE TEMP TABLE bench_texts (k INTEGER PRIMARY KEY, text TEXT NOT NULL)",
    ];
    for sql in script {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    for (k, text) in PHRASES.iter().enumerate() {
        sqlx::query("INSERT INTO bench_texts VALUES (?, ?)")
            .bind(k as i64)
            .bind(text)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let (agents, customers, types): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM bench_agents), (SELECT COUNT(*) FROM bench_customers),
                (SELECT COUNT(*) FROM bench_types)",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM service_records")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let now = now.timestamp();
    // Records evenly spread over the year before two hours ago (a million: one every 31.5 s).
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1),
         t(i, at) AS (SELECT i, ?2 - 7200 - i * 31536000 / ?1 FROM n)
         INSERT INTO service_records (id, external_id, customer_id, agent_id, service_type, channel,
             started_at, ended_at, urgency, category, tags, requested_at, first_response_at,
             resolved_at, resolved_first_contact, created_at)
         SELECT ?3 + i, 'BENCH' || i,
             (SELECT id FROM bench_customers WHERE k = (i * 7919) % ?4),
             (SELECT id FROM bench_agents WHERE k = (i * 31) % ?5),
             (SELECT code FROM bench_types WHERE k = i % ?6),
             CASE WHEN i % 5 < 3 THEN 'online' ELSE 'offline' END,
             strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch'),
             strftime('%Y-%m-%dT%H:%M:%SZ', at + 1200, 'unixepoch'),
             CASE i % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'normal' ELSE 'low' END,
             CASE i % 4 WHEN 0 THEN 'consultation' WHEN 1 THEN 'complaint'
                        WHEN 2 THEN 'suggestion' ELSE 'praise' END,
             CASE i % 5 WHEN 0 THEN '[\"物流延迟\"]' WHEN 1 THEN '[\"退换货\",\"产品质量\"]'
                        WHEN 2 THEN '[\"服务态度\"]' WHEN 3 THEN '[\"响应慢\"]' ELSE '[]' END,
             strftime('%Y-%m-%dT%H:%M:%SZ', at - 300, 'unixepoch'),
             strftime('%Y-%m-%dT%H:%M:%SZ', at - 300 + (i * 37) % 10800, 'unixepoch'),
             CASE WHEN i % 11 = 0 THEN NULL
                  ELSE strftime('%Y-%m-%dT%H:%M:%SZ', at + 1200 + (i * 13) % 86400, 'unixepoch')
             END,
             CASE WHEN i % 4 = 0 THEN 0 ELSE 1 END,
             strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')
         FROM t",
    )
    .bind(evaluations())
    .bind(now)
    .bind(first)
    .bind(customers)
    .bind(agents)
    .bind(types)
    .execute(&mut *tx)
    .await
    .unwrap();
    // Five scores per record, agents a little apart.
    sqlx::query(
        "CREATE TEMP TABLE bench_scores AS
         SELECT r.id, r.customer_id, r.agent_id, r.service_type, r.channel, r.category,
                r.ended_at,
                MIN(5, 1 + (r.id * 17 + r.agent_id) % 5 + (r.agent_id % 3 = 0)) AS s1,
                MIN(5, 1 + (r.id * 29) % 5 + (r.id % 2)) AS s2,
                MIN(5, 1 + (r.id * 41 + r.agent_id) % 5) AS s3,
                MIN(5, 2 + (r.id * 53) % 4) AS s4,
                MIN(5, 1 + (r.id * 67) % 5 + (r.id % 3 = 0)) AS s5
         FROM service_records r WHERE r.id >= ?",
    )
    .bind(first)
    .execute(&mut *tx)
    .await
    .unwrap();
    // Written as the submissions write them: the copied columns the reports read (channel,
    // category, customer type, the day in the organisation's zone) and the terms marked
    // indexed, so that no catch-up has to visit a million rows afterwards.
    sqlx::query(
        "INSERT INTO evaluations (id, number, service_record_id, customer_id, agent_id,
             service_type, submitted_at, total_score, overall, suggestion, status, channel,
             category, customer_type, submitted_day, terms_indexed)
         SELECT s.id, 'PB' || s.id, s.id, s.customer_id, s.agent_id, s.service_type,
             strftime('%Y-%m-%dT%H:%M:%SZ', s.ended_at, '+30 minutes'),
             ROUND((s1 + s2 + s3 + s4 + s5) / 5.0, 1),
             MAX(1, MIN(10, (s1 + s2 + s3 + s4 + s5) * 2 / 5 + s.id % 3 - 1)),
             CASE WHEN s.id % 20 < 9
                  THEN (SELECT text FROM bench_texts WHERE k = (s.id * 7) % 30) END,
             CASE WHEN s.id % 997 = 0 THEN 'deleted' ELSE 'active' END,
             s.channel, s.category, c.kind,
             date(s.ended_at, '+30 minutes', ?), s.id % 20 < 9
         FROM bench_scores s JOIN bench_customers c ON c.id = s.customer_id",
    )
    .bind(pingjia_server::time::org_sqlite_modifier())
    .execute(&mut *tx)
    .await
    .unwrap();
    // The terms of each phrase, segmented once, given to every evaluation that wrote it.
    sqlx::query("CREATE TEMP TABLE bench_text_terms (k INTEGER NOT NULL, term TEXT NOT NULL)")
        .execute(&mut *tx)
        .await
        .unwrap();
    for (k, text) in PHRASES.iter().enumerate() {
        for (term, form) in analytics::terms(text) {
            sqlx::query("INSERT INTO bench_text_terms VALUES (?, ?)")
                .bind(k as i64)
                .bind(&term)
                .execute(&mut *tx)
                .await
                .unwrap();
            // The form shown for it (the word cloud looks it up).
            sqlx::query(
                "INSERT INTO term_forms (term, form, uses) VALUES (?, ?, 1) ON CONFLICT DO NOTHING",
            )
            .bind(term)
            .bind(form)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    sqlx::query(
        "INSERT INTO evaluation_terms (evaluation_id, term, submitted_day, overall, submitted_at)
         SELECT e.id, t.term, e.submitted_day, e.overall, e.submitted_at
         FROM evaluations e JOIN bench_text_terms t ON t.k = (e.id * 7) % 30
         WHERE e.id >= ? AND e.id % 20 < 9
         ON CONFLICT DO NOTHING",
    )
    .bind(first)
    .execute(&mut *tx)
    .await
    .unwrap();
    for (position, (code, column)) in [
        ("attitude", "s1"),
        ("professionalism", "s2"),
        ("responsiveness", "s3"),
        ("resolution", "s4"),
        ("compliance", "s5"),
    ]
    .into_iter()
    .enumerate()
    {
        sqlx::query(&format!(
            "INSERT INTO evaluation_scores (evaluation_id, dimension, position, optional,
                 name_zh, name_en, score)
             SELECT s.id, d.code, {position}, 0, d.name_zh, d.name_en, s.{column}
             FROM bench_scores s JOIN dimensions d ON d.code = '{code}'"
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for (_, sql) in &triggers {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    conn.close().await.unwrap();
}

/// After either generator: the demo's own evaluations given their copied columns, the kept
/// sums rebuilt set-based from what was written (as `pingjia-server sums rebuild` does) and
/// the planner's statistics gathered.
async fn finish(pool: &sql::Pool) {
    let mut tx = pingjia_server::db::begin_write(pool).await.unwrap();
    // The demo's own evaluations (written without the copied columns).
    analytics::catch_up(&mut tx).await.unwrap();
    let began = Instant::now();
    pingjia_server::db::sums::rebuild(&mut tx).await.unwrap();
    println!("kept sums rebuilt in {:.1?}", began.elapsed());
    tx.commit().await.unwrap();
    sql::query("ANALYZE").execute(pool).await.unwrap();
    // To look at query plans afterwards: PINGJIA_BENCH_KEEP=/tmp/bench.db (SQLite)
    if let (Ok(path), sql::Pool::Sqlite(_)) = (std::env::var("PINGJIA_BENCH_KEEP"), pool) {
        let _ = std::fs::remove_file(&path);
        sql::query("VACUUM INTO ?")
            .bind(&path)
            .execute(pool)
            .await
            .unwrap();
    }
}

/// Times what an agent and a team lead open first: `E1001`'s summary (default 30 days and 90
/// days by week), their evaluations' first page, `L0001`'s team summary.
async fn agent_pages(app: &TestApp, data: &str) {
    let id = |no: &'static str| async move {
        sql::query_scalar::<i64>("SELECT id FROM users WHERE employee_no = ?")
            .bind(no)
            .fetch_one(&app.state.pool)
            .await
            .unwrap()
    };
    let agent = app.session(id("E1001").await).await;
    let lead = app.session(id("L0001").await).await;
    let from = (app.now() - chrono::Duration::days(89))
        .date_naive()
        .to_string();
    let pages = [
        (&agent, "/api/v1/me/feedback/summary".to_owned()),
        (
            &agent,
            format!("/api/v1/me/feedback/summary?from={from}&granularity=week"),
        ),
        (&agent, "/api/v1/me/feedback".to_owned()),
        (&lead, "/api/v1/team/summary".to_owned()),
    ];
    time_pages(app, &pages, data).await;
}

/// `GET uri` with `cookie` [`RUNS`] times after 2 warm-ups, each answered 200: the times,
/// shortest first, and the body's size.
async fn time_get(app: &TestApp, cookie: &str, uri: &str) -> (Vec<StdDuration>, usize) {
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for run in 0..RUNS + 2 {
        let request = Request::get(uri)
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        let t = Instant::now();
        let response = app.request(request).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let elapsed = t.elapsed();
        bytes = body.len();
        if run >= 2 {
            times.push(elapsed);
        }
    }
    times.sort();
    (times, bytes)
}

/// The raw SQL of a report's aggregate over the evaluations (`?1`, `?2`: the period's first
/// and last day) [`RUNS`] times after a warm-up, through the same pool: the times, shortest
/// first.
async fn time_sql(app: &TestApp, sql: &str, from: &str, to: &str) -> Vec<StdDuration> {
    let mut times = Vec::with_capacity(RUNS);
    let began = Instant::now();
    for run in 0..RUNS + 1 {
        // A naive aggregate over five million evaluations takes seconds: five runs are
        // enough to tell its median (thirty took four minutes per query).
        if run > 5 && began.elapsed() > StdDuration::from_secs(10) {
            break;
        }
        let t = Instant::now();
        let mut query = sql::query(sql);
        if sql.contains("?1") {
            query = query.bind(from).bind(to);
        }
        query.execute(&app.state.pool).await.unwrap();
        if run >= 1 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    times
}

/// Prints a table row per page: median and p95 of [`RUNS`] requests after 2 warm-ups.
async fn time_pages(app: &TestApp, pages: &[(&String, String)], data: &str) {
    for (cookie, uri) in pages {
        let (times, bytes) = time_get(app, cookie, uri).await;
        println!(
            "| {uri} | {data} | {:.1?} | {:.1?} | {bytes} |",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
        );
    }
}

/// Times the reports of last week and last month, the company's and `L0001`'s team's, and the
/// demo's QA plan report, as an admin: built from the data of now (a kept report is one read
/// of its JSON).
async fn report_pages(app: &TestApp, data: &str) {
    use pingjia_domain::reports::ReportKind;
    let admin: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = 'A0001'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let team: i64 = sql::query_scalar("SELECT team_id FROM users WHERE employee_no = 'L0001'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let plan: i64 = sql::query_scalar("SELECT MIN(id) FROM qa_plans")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let cookie = app.session(admin).await;
    let today = pingjia_server::time::org_day(app.now());
    let week = ReportKind::Week.key(ReportKind::Week.last_closed(today));
    let month = ReportKind::Month.key(ReportKind::Month.last_closed(today));
    let pages = [
        format!("/api/v1/reports/week/{week}"),
        format!("/api/v1/reports/week/{week}?team={team}"),
        format!("/api/v1/reports/month/{month}"),
        format!("/api/v1/reports/week/{week}/csv/agents"),
        // The demo's QA plan: a month of services, its agents' customer scores.
        format!("/api/v1/qa/plans/{plan}/report"),
    ];
    let pages: Vec<(&String, String)> = pages.into_iter().map(|uri| (&cookie, uri)).collect();
    time_pages(app, &pages, data).await;
}

#[tokio::test]
#[ignore = "a benchmark: run it with --profile server (see the module's documentation)"]
async fn agent_pages_on_the_demo_data() {
    let app = TestApp::new().await.at(Utc::now());
    demo::seed_if_empty(&app.state.pool, app.now())
        .await
        .unwrap();
    println!("| page | data | median | p95 | bytes |");
    println!("|---|---|---|---|---|");
    agent_pages(&app, "demo").await;
    report_pages(&app, "demo").await;
}

#[tokio::test]
#[ignore = "a benchmark: run it with --profile server (see the module's documentation)"]
async fn analytics_reports_over_a_million_evaluations() {
    let app = TestApp::new().await.at(Utc::now());
    let began = Instant::now();
    demo::seed_if_empty(&app.state.pool, app.now())
        .await
        .unwrap();
    match &app.state.pool {
        sql::Pool::Sqlite(_) => generate(&app.state.pool, app.now()).await,
        // On PostgreSQL (the suite's run with `PINGJIA_TEST_POSTGRES`): the same rows in
        // PostgreSQL's SQL, written by the server itself.
        sql::Pool::Postgres(postgres) => postgres::generate(postgres, app.now()).await,
    }
    println!("rows written in {:.1?}", began.elapsed());
    finish(&app.state.pool).await;
    let total: i64 = sql::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    println!("generated {total} evaluations in {:.1?}", began.elapsed());
    let admin: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = 'A0001'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let cookie = app.session(admin).await;
    // Today and the periods the reports default to, in the organisation's zone: the last 30
    // days, and the year by month (the first of the month eleven months back).
    let today = pingjia_server::time::org_day(app.now());
    let month_ago = (today - chrono::Duration::days(29)).to_string();
    let year_from = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(11)))
        .unwrap()
        .to_string();
    let trend_year = format!("trend?granularity=month&from={year_from}");
    let reports: [(&str, &str, &str); 12] = [
        (
            "options",
            "",
            "SELECT COUNT(*) FROM users WHERE role = 'agent'",
        ),
        (
            "kpis",
            &month_ago,
            "SELECT COUNT(*), SUM(e.total_score), SUM(CASE WHEN e.overall >= 8 THEN 1 ELSE 0 END)
          FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}",
        ),
        (
            "trend?granularity=day",
            &month_ago,
            "SELECT e.submitted_day, COUNT(*), SUM(e.total_score) FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          GROUP BY e.submitted_day",
        ),
        (
            &trend_year,
            &year_from,
            "SELECT substr(e.submitted_day, 1, 7), COUNT(*), SUM(e.total_score) FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          GROUP BY 1",
        ),
        (
            "dimensions",
            &month_ago,
            "SELECT s.dimension, COUNT(s.score), SUM(s.score) FROM evaluations e
          JOIN evaluation_scores s ON s.evaluation_id = e.id
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          GROUP BY s.dimension",
        ),
        (
            "segments",
            &month_ago,
            "SELECT e.customer_type, e.channel, s.dimension, COUNT(s.score), SUM(s.score)
          FROM evaluations e JOIN evaluation_scores s ON s.evaluation_id = e.id
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          GROUP BY 1, 2, 3",
        ),
        (
            "distribution",
            &month_ago,
            "SELECT e.overall, COUNT(*) FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          GROUP BY e.overall",
        ),
        (
            "agents",
            &month_ago,
            "SELECT e.agent_id, COUNT(*), SUM(e.total_score), SUM(e.overall) FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          GROUP BY e.agent_id",
        ),
        (
            "words?sentiment=complaints",
            &month_ago,
            "SELECT t.term, COUNT(*) AS n FROM evaluations e
          JOIN evaluation_terms t ON t.evaluation_id = e.id
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
            AND e.overall <= 6
          GROUP BY t.term ORDER BY n DESC LIMIT 100",
        ),
        (
            "words?sentiment=praise",
            &month_ago,
            "SELECT t.term, COUNT(*) AS n FROM evaluations e
          JOIN evaluation_terms t ON t.evaluation_id = e.id
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
            AND e.overall >= 9
          GROUP BY t.term ORDER BY n DESC LIMIT 100",
        ),
        (
            "evaluations",
            &month_ago,
            "SELECT e.number, e.total_score FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
          ORDER BY e.submitted_at DESC LIMIT 20",
        ),
        (
            "evaluations?word={word}",
            &month_ago,
            "SELECT e.number, e.total_score FROM evaluations e
          WHERE e.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
            AND e.id IN (SELECT evaluation_id FROM evaluation_terms WHERE term = '{word}')
          ORDER BY e.submitted_at DESC LIMIT 20",
        ),
    ];
    let agent_id: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = 'E1001'")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    println!("| report | filter | median | p95 | bytes | raw SQL median |");
    println!("|---|---|---|---|---|---|");
    let mut largest = (0, String::new());
    for filter in ["", "agent=E1001"] {
        let agent = if filter.is_empty() {
            String::new()
        } else {
            format!("AND e.agent_id = {agent_id}")
        };
        // The word drilled into: the one the population asked for wrote most in the period
        // (the generator gives each agent only some of its phrases).
        let word: String = sql::query_scalar(&format!(
            "SELECT t.term FROM evaluation_terms t JOIN evaluations e ON e.id = t.evaluation_id
             WHERE t.submitted_day BETWEEN ?1 AND ?2 AND e.status <> 'deleted' {agent}
             GROUP BY t.term ORDER BY COUNT(*) DESC, t.term LIMIT 1"
        ))
        .bind(&month_ago)
        .bind(today.to_string())
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
        for (label, from, raw) in reports {
            let report = label.replace("{word}", &urlencoding(&word));
            let report = report.as_str();
            let label = label.replace("{word}", &word);
            let sep = if report.contains('?') { '&' } else { '?' };
            let uri = if filter.is_empty() {
                format!("/api/v1/analytics/{report}")
            } else {
                format!("/api/v1/analytics/{report}{sep}{filter}")
            };
            let (times, bytes) = time_get(&app, &cookie, &uri).await;
            if bytes > largest.0 {
                largest = (bytes, uri.clone());
            }
            let raw = raw.replace("{agent}", &agent).replace("{word}", &word);
            let raw_times = time_sql(&app, &raw, from, &today.to_string()).await;
            println!(
                "| {label} | {} | {:.1?} | {:.1?} | {bytes} | {:.1?} |",
                if filter.is_empty() {
                    "default (30 days)"
                } else {
                    filter
                },
                percentile(&times, 0.5),
                percentile(&times, 0.95),
                percentile(&raw_times, 0.5),
            );
        }
    }
    println!("largest payload: {} bytes ({})", largest.0, largest.1);
    let data = format!("{total} evaluations");
    agent_pages(&app, &data).await;
    report_pages(&app, &data).await;
    // The export, streamed: time to the last byte of 30 days.
    let t = Instant::now();
    let request = Request::get("/api/v1/analytics/evaluations.csv")
        .header("cookie", &cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    let body = response.into_body().collect().await.unwrap().to_bytes();
    println!(
        "CSV of the default 30 days: {} rows, {} KiB in {:.1?}",
        body.iter().filter(|&&b| b == b'\n').count() - 1,
        body.len() / 1024,
        t.elapsed()
    );
    storage(&app).await;
}

/// What the kept figures cost on disk (SQLite's `dbstat`, PostgreSQL's relation sizes with
/// their indexes): each kept table, the index of the words' copied score (0027), and the whole
/// database.
async fn storage(app: &TestApp) {
    let pool = &app.state.pool;
    let postgres = app.on_postgres();
    let total: i64 = sql::query_scalar(if postgres {
        "SELECT pg_database_size(current_database())"
    } else {
        "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
    })
    .fetch_one(pool)
    .await
    .unwrap();
    println!("| kept table or index | rows | MiB | share of the file |");
    println!("|---|---|---|---|");
    let mut kept = 0;
    for name in [
        "evaluation_sums",
        "agent_evaluation_sums",
        "score_sums",
        "agent_score_sums",
        "agent_day_sums",
        "agent_day_score_sums",
        "term_sums",
        "agent_term_sums",
        "tag_sums",
        "agent_tag_sums",
        "record_sums",
        "agent_record_sums",
        "agent_unread",
        "agent_service_sums",
        "evaluation_terms_term_overall",
    ] {
        let bytes: i64 = sql::query_scalar(if postgres {
            "SELECT COALESCE(pg_total_relation_size(to_regclass(?)), 0)"
        } else {
            "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name = ?"
        })
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap();
        let rows: Option<i64> = if name.ends_with("_overall") {
            None
        } else {
            Some(
                sql::query_scalar(&format!("SELECT COUNT(*) FROM {name}"))
                    .fetch_one(pool)
                    .await
                    .unwrap(),
            )
        };
        kept += bytes;
        println!(
            "| {name} | {} | {:.1} | {:.2} % |",
            rows.map_or("(index)".to_owned(), |n| n.to_string()),
            bytes as f64 / 1048576.0,
            bytes as f64 * 100.0 / total as f64
        );
    }
    println!(
        "| all of them | | {:.1} | {:.2} % |",
        kept as f64 / 1048576.0,
        kept as f64 * 100.0 / total as f64
    );
    println!(
        "| the whole database | | {:.1} | |",
        total as f64 / 1048576.0
    );
}

/// `text` percent-encoded for a query string (every byte but ASCII letters and digits).
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
