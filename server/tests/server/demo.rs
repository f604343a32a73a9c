//! The demo organisation: floors, stable identities, realism, determinism, idempotence.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use pingjia_domain::auth::Me;
use pingjia_server::demo::{
    DEMO_LOGINS, DEMO_PASSWORD, DEMO_SEED, DemoPlan, logins_table, seed_if_empty,
};
use sqlx::SqlitePool;

use crate::common::{TestApp, body_json};

fn now() -> DateTime<Utc> {
    "2026-11-22T06:30:00Z".parse().unwrap()
}

async fn seeded() -> TestApp {
    let app = TestApp::new().await;
    let started = Instant::now();
    let summary = seed_if_empty(&app.state.pool, now())
        .await
        .unwrap()
        .unwrap();
    eprintln!("seeded {summary:?} in {:?}", started.elapsed());
    app
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn ratio(pool: &SqlitePool, condition: &str) -> f64 {
    let sql =
        format!("SELECT AVG(CASE WHEN {condition} THEN 1.0 ELSE 0.0 END) FROM service_records");
    sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn the_demo_meets_its_floors() {
    let app = seeded().await;
    let pool = &app.state.pool;
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM teams WHERE lead_user_id IS NOT NULL"
        )
        .await,
        3
    );
    assert!(
        count(
            pool,
            "SELECT COUNT(*) FROM users WHERE role = 'agent' AND team_id IS NOT NULL"
        )
        .await
            >= 15
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM users WHERE role = 'team_lead'").await,
        3
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM users WHERE role = 'qa_inspector'"
        )
        .await,
        1
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM users WHERE role = 'admin'").await,
        1
    );
    assert!(count(pool, "SELECT COUNT(*) FROM users WHERE role = 'customer'").await >= 240);
    for kind in ["new", "returning", "member"] {
        let sql = format!("SELECT COUNT(*) FROM users WHERE customer_type = '{kind}'");
        assert!(count(pool, &sql).await >= 40, "{kind}");
    }
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM users WHERE customer_type = 'member' AND member_no IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM users WHERE role = 'customer' AND NOT (phone GLOB '1[358][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' AND customer_no GLOB 'C[0-9][0-9][0-9][0-9][0-9][0-9]')").await,
        0
    );
    // The leads lead the team they belong to.
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM teams t JOIN users u ON u.id = t.lead_user_id WHERE u.role = 'team_lead' AND u.team_id = t.id").await,
        3
    );

    let ninety_days_ago = pingjia_server::time::to_db(now() - Duration::days(90));
    let sql =
        format!("SELECT COUNT(*) FROM service_records WHERE started_at >= '{ninety_days_ago}'");
    assert!(count(pool, &sql).await >= 6000);
}

#[tokio::test]
async fn the_stable_demo_identities_exist() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let one = |sql: &'static str| count(pool, sql);
    assert_eq!(
        one("SELECT COUNT(*) FROM users WHERE employee_no = 'A0001' AND role = 'admin'").await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM users WHERE employee_no = 'Q0001' AND role = 'qa_inspector'")
            .await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM users u JOIN teams t ON t.lead_user_id = u.id WHERE u.employee_no = 'L0001' AND u.role = 'team_lead' AND t.id = 1").await,
        1
    );
    assert_eq!(one("SELECT COUNT(*) FROM users WHERE employee_no = 'E1001' AND role = 'agent' AND team_id = 1").await, 1);
    assert_eq!(
        one("SELECT COUNT(*) FROM users WHERE phone = '13800000001' AND customer_type = 'member' AND member_no = 'M000001' AND customer_no = 'C000001'").await,
        1
    );
    assert_eq!(
        one("SELECT COUNT(*) FROM users WHERE phone = '13800000002' AND customer_no = 'C000002'")
            .await,
        1
    );

    let shared = "FROM service_records r JOIN users a ON a.id = r.agent_id JOIN users c ON c.id = r.customer_id
                  WHERE a.employee_no = 'E1001' AND c.phone = '13800000001'";
    assert!(count(pool, &format!("SELECT COUNT(*) {shared}")).await >= 5);
    let week_ago = pingjia_server::time::to_db(now() - Duration::days(7));
    let recent = format!("SELECT COUNT(*) {shared} AND r.ended_at >= '{week_ago}'");
    assert!(count(pool, &recent).await >= 3);
}

#[tokio::test]
async fn the_records_keep_time_order_and_fit_their_agents() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let now = pingjia_server::time::to_db(now());
    let disorder = format!(
        "SELECT COUNT(*) FROM service_records WHERE NOT (
             requested_at <= first_response_at AND first_response_at <= started_at
             AND started_at <= ended_at AND (resolved_at IS NULL OR ended_at <= resolved_at)
             AND ended_at <= '{now}' AND (resolved_at IS NULL OR resolved_at <= '{now}'))"
    );
    assert_eq!(count(pool, &disorder).await, 0);
    // Every stored time has the one sortable shape.
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM service_records WHERE length(started_at) <> 20 OR started_at NOT LIKE '____-__-__T__:__:__Z'").await,
        0
    );
    // Channel follows the type; each team handles its own types.
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM service_records WHERE (service_type IN ('online_chat', 'phone_follow_up')) <> (channel = 'online')").await,
        0
    );
    assert_eq!(
        count(pool, "SELECT COUNT(DISTINCT u.team_id) FROM service_records r JOIN users u ON u.id = r.agent_id WHERE r.service_type = 'online_chat'").await,
        1
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM service_records r JOIN users u ON u.id = r.agent_id WHERE u.role <> 'agent'").await,
        0
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM service_records WHERE service_type IN ('delivery', 'after_sales_repair') AND order_no IS NULL").await,
        0
    );
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM service_records WHERE json_array_length(tags) NOT BETWEEN 1 AND 2"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_mixes_are_realistic() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let high = ratio(pool, "urgency = 'high'").await;
    let low = ratio(pool, "urgency = 'low'").await;
    assert!(
        (0.12..0.18).contains(&high) && (0.17..0.23).contains(&low),
        "{high} {low}"
    );
    let complaints = ratio(pool, "category = 'complaint'").await;
    let consultations = ratio(pool, "category = 'consultation'").await;
    assert!(
        (0.12..0.18).contains(&complaints) && consultations > 0.5,
        "{complaints}"
    );
    let first_contact = ratio(pool, "resolved_first_contact = 1").await;
    assert!((0.70..=0.80).contains(&first_contact), "{first_contact}");

    let by_agent: Vec<f64> = sqlx::query_scalar(
        "SELECT AVG(resolved_first_contact * 1.0) FROM service_records GROUP BY agent_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let spread = by_agent.iter().copied().fold(f64::MIN, f64::max)
        - by_agent.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        spread > 0.08,
        "first-contact resolution varies by agent: {by_agent:?}"
    );

    // Most first responses within the SLA of their urgency, a realistic minority late.
    let late = ratio(
        pool,
        "(julianday(first_response_at) - julianday(requested_at)) * 86400 >
             CASE urgency WHEN 'high' THEN 900 WHEN 'normal' THEN 7200 ELSE 86400 END",
    )
    .await;
    assert!((0.03..0.15).contains(&late), "{late}");

    // Busier on weekdays and in business hours (Shanghai time).
    let weekday: f64 = sqlx::query_scalar(
        "SELECT AVG(CASE WHEN strftime('%w', started_at, '+8 hours') IN ('0', '6') THEN 0.0 ELSE 1.0 END) FROM service_records",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(weekday > 5.0 / 7.0 + 0.05, "{weekday}");
    let office: f64 = sqlx::query_scalar(
        "SELECT AVG(CASE WHEN CAST(strftime('%H', started_at, '+8 hours') AS INTEGER) BETWEEN 9 AND 17 THEN 1.0 ELSE 0.0 END) FROM service_records",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let evening = ratio(
        pool,
        "CAST(strftime('%H', started_at, '+8 hours') AS INTEGER) BETWEEN 18 AND 22",
    )
    .await;
    assert!(office > 0.7 && evening > 0.05, "{office} {evening}");
}

async fn dump(pool: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT json_array(external_id, customer_id, agent_id, service_type, channel, started_at,
                ended_at, order_no, urgency, category, tags, requested_at, first_response_at,
                resolved_at, resolved_first_contact)
         FROM service_records ORDER BY external_id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_rows() {
    let (a, b) = (seeded().await, seeded().await);
    let rows = dump(&a.state.pool).await;
    assert!(rows.len() >= 6000);
    assert_eq!(rows, dump(&b.state.pool).await);
    let users = "SELECT json_array(id, role, display_name, employee_no, customer_no, member_no, phone, customer_type, team_id) FROM users ORDER BY id";
    let users_a: Vec<String> = sqlx::query_scalar(users)
        .fetch_all(&a.state.pool)
        .await
        .unwrap();
    let users_b: Vec<String> = sqlx::query_scalar(users)
        .fetch_all(&b.state.pool)
        .await
        .unwrap();
    assert_eq!(users_a, users_b);

    assert_ne!(
        DemoPlan::generate(DEMO_SEED + 1, now()),
        DemoPlan::generate(DEMO_SEED, now())
    );
}

#[tokio::test]
async fn now_only_moves_the_times() {
    // A week later: same weekdays, same hours, so the same records a week later.
    let plan = DemoPlan::generate(DEMO_SEED, now());
    let later = DemoPlan::generate(DEMO_SEED, now() + Duration::days(7));
    assert_eq!(plan.users, later.users);
    assert_eq!(plan.records.len(), later.records.len());
    for (a, b) in plan.records.iter().zip(&later.records) {
        assert_eq!(
            (
                a.customer_id,
                a.agent_id,
                a.service_type,
                a.urgency,
                a.category,
                &a.tags
            ),
            (
                b.customer_id,
                b.agent_id,
                b.service_type,
                b.urgency,
                b.category,
                &b.tags
            )
        );
        assert_eq!(a.started_at + Duration::days(7), b.started_at);
        assert_eq!(a.requested_at + Duration::days(7), b.requested_at);
    }
}

#[tokio::test]
async fn seeding_twice_seeds_nothing_the_second_time() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let records = count(pool, "SELECT COUNT(*) FROM service_records").await;
    let users = count(pool, "SELECT COUNT(*) FROM users").await;
    assert_eq!(
        seed_if_empty(pool, now() + Duration::days(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM service_records").await,
        records
    );
    assert_eq!(count(pool, "SELECT COUNT(*) FROM users").await, users);
}

#[tokio::test]
async fn every_demo_login_signs_in_with_the_demo_password() {
    let app = seeded().await;
    let pool = &app.state.pool;
    assert_eq!(
        count(
            pool,
            "SELECT COUNT(*) FROM users WHERE password_hash IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        count(pool, "SELECT COUNT(DISTINCT password_hash) FROM users").await,
        1,
        "hashed once and shared"
    );
    for demo in DEMO_LOGINS {
        let response = app.login(demo.kind, demo.login, DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "{}", demo.login);
        let me: Me = serde_json::from_value(body_json(response).await).unwrap();
        assert_eq!(me.role, demo.role, "{}", demo.login);
    }
    let table = logins_table();
    for demo in DEMO_LOGINS {
        assert!(table.contains(demo.login), "{table}");
    }
    assert!(table.contains(DEMO_PASSWORD) && table.contains("team_lead"));
}
