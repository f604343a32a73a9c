//! The demo organisation: floors, stable identities, realism, determinism, idempotence, and
//! the evaluations with their patterns.

use pingjia_server::db::sql;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use pingjia_domain::auth::Me;
use pingjia_domain::evaluations::{RatingState, normalize_number, rating_state};
use pingjia_domain::rules::total_score;
use pingjia_server::db::sql::Pool;
use pingjia_server::demo::{
    DEMO_CUSTOMER_PHONE, DEMO_LOGINS, DEMO_MEMBER_PHONE, DEMO_PASSWORD, DEMO_SEED, DemoPlan,
    logins_table, seed_if_empty,
};
use pingjia_server::time::{from_db, org_day};

use crate::common::{TestApp, body_json};
use crate::demo_rows::{dump, dump_evaluations};

/// The time the demo is seeded at in these tests.
pub(crate) fn now() -> DateTime<Utc> {
    "2026-11-22T06:30:00Z".parse().unwrap()
}

/// An app on the demo organisation seeded at [`now`]: a copy of the run's one seeding (on
/// SQLite `common::sqlite_template`, on PostgreSQL `crate::postgres::database`).
pub(crate) async fn seeded() -> TestApp {
    TestApp::open(true, false, pingjia_server::db::BUSY_TIMEOUT, true).await
}

/// Seeds the demo into `app`'s empty database.
async fn fresh_seed(app: TestApp) -> TestApp {
    let started = Instant::now();
    let summary = seed_if_empty(&app.state.pool, now())
        .await
        .unwrap()
        .unwrap();
    eprintln!("seeded {summary:?} in {:?}", started.elapsed());
    app
}

pub(crate) async fn count(pool: &Pool, sql: &str) -> i64 {
    sql::query_scalar(sql).fetch_one(pool).await.unwrap()
}

async fn ratio(pool: &Pool, condition: &str) -> f64 {
    let sql = format!("SELECT AVG(CASE WHEN {condition} THEN 1 ELSE 0 END) FROM service_records");
    sql::query_scalar(&sql).fetch_one(pool).await.unwrap()
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
        3
    );
    // A closed calibration of the three on two records, agreed, one note the item's guidance
    // (what the pages show of it: `qa_calibration::the_demo_calibration_shows_…`).
    let closed =
        "SELECT COUNT(*) FROM qa_calibrations WHERE status = 'closed' AND agreed_at IS NOT NULL";
    assert_eq!(count(pool, closed).await, 1);
    let scored = "SELECT COUNT(DISTINCT user_id) * 10 + COUNT(DISTINCT service_record_id) FROM qa_calibration_answers";
    assert_eq!(count(pool, scored).await, 32);
    let guided = "SELECT COUNT(*) FROM qa_item_guidance";
    assert_eq!(count(pool, guided).await, 1);
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
    // Mobile numbers of 11 digits starting 13, 15 or 18; customer numbers C and 6 digits.
    let customers: Vec<(Option<String>, Option<String>)> =
        sql::query_as("SELECT phone, customer_no FROM users WHERE role = 'customer'")
            .fetch_all(pool)
            .await
            .unwrap();
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    for (phone, number) in &customers {
        let phone = phone.as_deref().unwrap_or_default();
        let number = number.as_deref().unwrap_or_default();
        assert!(
            phone.len() == 11 && digits(phone) && ["13", "15", "18"].contains(&&phone[..2]),
            "{phone}"
        );
        assert!(
            number.len() == 7 && number.starts_with('C') && digits(&number[1..]),
            "{number}"
        );
    }
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
    let first_contact = ratio(pool, "resolved_first_contact = TRUE").await;
    assert!((0.70..=0.80).contains(&first_contact), "{first_contact}");

    let by_agent: Vec<f64> = sql::query_scalar(
        "SELECT AVG(CASE WHEN resolved_first_contact THEN 1 ELSE 0 END) FROM service_records \
         GROUP BY agent_id",
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
    let starts: Vec<String> = sql::query_scalar("SELECT started_at FROM service_records")
        .fetch_all(pool)
        .await
        .unwrap();
    let local: Vec<chrono::NaiveDateTime> = starts
        .iter()
        .map(|at| from_db(at).unwrap().naive_utc() + Duration::hours(8))
        .collect();
    let share = |f: &dyn Fn(&chrono::NaiveDateTime) -> bool| {
        local.iter().filter(|t| f(t)).count() as f64 / local.len() as f64
    };
    use chrono::{Datelike, Timelike, Weekday};
    let weekday = share(&|t| !matches!(t.weekday(), Weekday::Sat | Weekday::Sun));
    assert!(weekday > 5.0 / 7.0 + 0.05, "{weekday}");
    let office = share(&|t| (9..=17).contains(&t.hour()));
    let evening = share(&|t| (18..=22).contains(&t.hour()));
    assert!(office > 0.7 && evening > 0.05, "{office} {evening}");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_rows() {
    // The run's one seeding (which `seeded` copies) and one of its own.
    let (a, b) = (seeded().await, fresh_seed(TestApp::new().await).await);
    let rows = dump(&a.state.pool).await;
    assert!(rows.len() >= 6000);
    assert_eq!(rows, dump(&b.state.pool).await);
    let evaluations = dump_evaluations(&a.state.pool).await;
    assert!(evaluations.len() >= 4000);
    assert_eq!(evaluations, dump_evaluations(&b.state.pool).await);
    let users = format!(
        "SELECT {} FROM users ORDER BY id",
        a.state.pool.dialect().json_array(
            "id, role, display_name, employee_no, customer_no, member_no, phone, customer_type, \
             team_id"
        )
    );
    let users = users.as_str();
    let users_a: Vec<String> = sql::query_scalar(users)
        .fetch_all(&a.state.pool)
        .await
        .unwrap();
    let users_b: Vec<String> = sql::query_scalar(users)
        .fetch_all(&b.state.pool)
        .await
        .unwrap();
    assert_eq!(users_a, users_b);

    assert_ne!(
        DemoPlan::generate(DEMO_SEED + 1, now()),
        DemoPlan::generate(DEMO_SEED, now())
    );
    assert_eq!(
        DemoPlan::generate(DEMO_SEED, now()),
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

/// Share of `part` in `whole`.
fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

#[tokio::test]
async fn most_ended_records_are_rated_within_their_window() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let rows: Vec<(String, Option<String>, Option<String>, String)> = sql::query_as(
        "SELECT r.ended_at, e.submitted_at, e.status, c.customer_type
         FROM service_records r JOIN users c ON c.id = r.customer_id
         LEFT JOIN evaluations e ON e.service_record_id = r.id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let window = Duration::days(7);
    let (mut closed, mut closed_rated, mut recent, mut recent_rated) = (0, 0, 0, 0);
    let mut by_type: HashMap<String, (usize, usize)> = HashMap::new();
    for (ended, submitted, status, customer_type) in &rows {
        let ended = from_db(ended).unwrap();
        assert!(ended <= now());
        if let Some(submitted) = submitted {
            let submitted = from_db(submitted).unwrap();
            assert!(
                ended <= submitted && submitted <= now() && submitted <= ended + window,
                "{ended} {submitted}"
            );
            assert_eq!(status.as_deref(), Some("active"));
        }
        if ended + window < now() {
            closed += 1;
            closed_rated += usize::from(submitted.is_some());
            let entry = by_type.entry(customer_type.clone()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(submitted.is_some());
        } else if ended + Duration::days(2) > now() {
            recent += 1;
            recent_rated += usize::from(submitted.is_some());
        }
    }
    let closed_share = share(closed_rated, closed);
    assert!((0.68..0.82).contains(&closed_share), "{closed_share}");
    let rated = rows.iter().filter(|r| r.1.is_some()).count();
    assert!(share(rated, rows.len()) > 0.65, "{rated} of {}", rows.len());
    // Records that ended in the last two days have had less time.
    assert!(share(recent_rated, recent) < closed_share - 0.1);
    let rate = |kind: &str| share(by_type[kind].1, by_type[kind].0);
    assert!(
        rate("member") > rate("returning") && rate("returning") > rate("new"),
        "{by_type:?}"
    );

    // An evaluation copies its record's customer, agent and service type.
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM evaluations e JOIN service_records r ON r.id = e.service_record_id
                     WHERE e.customer_id <> r.customer_id OR e.agent_id <> r.agent_id OR e.service_type <> r.service_type").await,
        0
    );
    // Form times: median around a minute, 20 s to 10 min but for a handful.
    let mut seconds: Vec<i64> = sql::query_scalar("SELECT form_seconds FROM evaluations")
        .fetch_all(pool)
        .await
        .unwrap();
    seconds.sort_unstable();
    let median = seconds[seconds.len() / 2];
    assert!((50..=100).contains(&median), "{median}");
    let quick = seconds.iter().filter(|&&s| s < 10).count();
    assert!(quick > 0 && share(quick, seconds.len()) < 0.03, "{quick}");
    assert!(*seconds.last().unwrap() <= 600);
}

#[tokio::test]
async fn every_total_score_is_the_rule_of_its_scores() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let totals: HashMap<i64, (f64, i64, String)> = sql::query_as::<(i64, f64, i64, String)>(
        "SELECT id, total_score, overall, service_type FROM evaluations",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(id, total, overall, service_type)| (id, (total, overall, service_type)))
    .collect();
    // The scores snapshot the type's dimension set with the library's names.
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM evaluation_scores s
                     JOIN evaluations e ON e.id = s.evaluation_id
                     LEFT JOIN service_type_dimensions t ON t.service_type = e.service_type AND t.dimension = s.dimension
                     JOIN dimensions d ON d.code = s.dimension
                     WHERE t.dimension IS NULL OR t.position <> s.position OR t.optional <> s.optional
                        OR d.name_zh <> s.name_zh OR d.name_en <> s.name_en").await,
        0
    );
    assert_eq!(
        count(pool, "SELECT COUNT(*) FROM evaluations e WHERE (SELECT COUNT(*) FROM evaluation_scores s WHERE s.evaluation_id = e.id)
                     <> (SELECT COUNT(*) FROM service_type_dimensions t WHERE t.service_type = e.service_type)").await,
        0
    );
    let scores: Vec<(i64, Option<i64>, bool)> = sql::query_as(
        "SELECT evaluation_id, score, optional FROM evaluation_scores ORDER BY evaluation_id, position",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut by_evaluation: BTreeMap<i64, Vec<Option<u8>>> = BTreeMap::new();
    let (mut optional, mut unanswered) = (0, 0);
    for (id, score, is_optional) in scores {
        assert!(score.is_some() || is_optional);
        optional += usize::from(is_optional);
        unanswered += usize::from(score.is_none());
        by_evaluation
            .entry(id)
            .or_default()
            .push(score.map(|s| u8::try_from(s).unwrap()));
    }
    assert_eq!(by_evaluation.len(), totals.len());
    let (mut consistent, mut all_five, mut all_one) = (0, 0, 0);
    for (id, scores) in &by_evaluation {
        let (total, overall, _) = &totals[id];
        assert_eq!(total_score(scores), Some(*total), "evaluation {id}");
        assert!((1.0..=5.0).contains(total));
        let answered: Vec<f64> = scores.iter().flatten().map(|&s| f64::from(s)).collect();
        let mean = answered.iter().sum::<f64>() / answered.len() as f64;
        consistent += usize::from((*overall as f64 - 2.0 * mean).abs() <= 1.5);
        all_five += usize::from(answered.iter().all(|&s| s == 5.0));
        all_one += usize::from(answered.iter().all(|&s| s == 1.0));
    }
    let n = by_evaluation.len();
    let unanswered = share(unanswered, optional);
    assert!((0.12..0.3).contains(&unanswered), "{unanswered}");
    assert!(share(consistent, n) > 0.85, "{consistent} of {n}");
    assert!(share(consistent, n) < 0.995, "a few are inconsistent");
    assert!(
        share(all_five, n) > 0.02 && share(all_five, n) < 0.3,
        "{all_five}"
    );
    assert!(
        share(all_one, n) > 0.003 && share(all_one, n) < 0.05,
        "{all_one}"
    );
}

#[tokio::test]
async fn evaluation_numbers_count_each_day_from_one() {
    let app = seeded().await;
    let rows: Vec<(String, String)> =
        sql::query_as("SELECT number, submitted_at FROM evaluations ORDER BY submitted_at, id")
            .fetch_all(&app.state.pool)
            .await
            .unwrap();
    let mut last: HashMap<String, u32> = HashMap::new();
    for (number, submitted) in &rows {
        assert_eq!(normalize_number(number).as_deref(), Some(number.as_str()));
        let day = org_day(from_db(submitted).unwrap())
            .format("%Y%m%d")
            .to_string();
        assert_eq!(number[2..10], day, "{number} {submitted}");
        let sequence: u32 = number[11..].parse().unwrap();
        let previous = last.insert(day, sequence).unwrap_or(0);
        assert_eq!(sequence, previous + 1, "{number}");
    }
    assert_eq!(
        count(
            &app.state.pool,
            "SELECT COUNT(DISTINCT number) FROM evaluations"
        )
        .await as usize,
        rows.len()
    );
}

#[tokio::test]
async fn the_scores_follow_agents_categories_and_causes() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let by_agent: Vec<(String, f64, i64)> = sql::query_as(
        "SELECT a.employee_no, AVG(e.total_score), COUNT(e.id) FROM users a
         LEFT JOIN evaluations e ON e.agent_id = a.id
         WHERE a.role = 'agent' GROUP BY a.id ORDER BY a.employee_no",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(by_agent.iter().all(|(_, _, n)| *n >= 50), "{by_agent:?}");
    let max = by_agent.iter().map(|a| a.1).fold(f64::MIN, f64::max);
    let min = by_agent.iter().map(|a| a.1).fold(f64::MAX, f64::min);
    assert!(max - min >= 0.8, "{by_agent:?}");
    eprintln!("agents' average totals: {by_agent:?}");

    let average = |sql: &'static str| async move {
        sql::query_scalar::<f64>(sql).fetch_one(pool).await.unwrap()
    };
    let complaints = average("SELECT AVG(e.total_score) FROM evaluations e JOIN service_records r ON r.id = e.service_record_id WHERE r.category = 'complaint'").await;
    let consultations = average("SELECT AVG(e.total_score) FROM evaluations e JOIN service_records r ON r.id = e.service_record_id WHERE r.category = 'consultation'").await;
    assert!(
        complaints < consultations - 0.7,
        "{complaints} {consultations}"
    );
    let offline = average("SELECT AVG(total_score) FROM evaluations e JOIN service_records r ON r.id = e.service_record_id WHERE r.channel = 'offline'").await;
    let online = average("SELECT AVG(total_score) FROM evaluations e JOIN service_records r ON r.id = e.service_record_id WHERE r.channel = 'online'").await;
    assert!(offline > online, "{offline} {online}");
    let members = average("SELECT AVG(total_score) FROM evaluations e JOIN users c ON c.id = e.customer_id WHERE c.customer_type = 'member'").await;
    let new = average("SELECT AVG(total_score) FROM evaluations e JOIN users c ON c.id = e.customer_id WHERE c.customer_type = 'new'").await;
    assert!(members < new, "{members} {new}");

    // A late first response lowers responsiveness more than the rest.
    let late = "(julianday(r.first_response_at) - julianday(r.requested_at)) * 86400 >
                CASE r.urgency WHEN 'high' THEN 900 WHEN 'normal' THEN 7200 ELSE 86400 END";
    let gap = |dimension: &str, condition: &str| {
        format!(
            "SELECT AVG(CASE WHEN {condition} THEN s.score END) - AVG(CASE WHEN NOT ({condition}) THEN s.score END)
             FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id
             JOIN service_records r ON r.id = e.service_record_id WHERE s.dimension = '{dimension}'"
        )
    };
    let scalar = |sql: String| async move {
        sql::query_scalar::<f64>(&sql)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    let late_speed = scalar(gap("responsiveness", late)).await;
    let late_attitude = scalar(gap("attitude", late)).await;
    assert!(
        late_speed < late_attitude - 0.5,
        "{late_speed} {late_attitude}"
    );
    let unresolved = "r.resolved_first_contact = FALSE";
    let unresolved_resolution = scalar(gap("resolution", unresolved)).await;
    let unresolved_attitude = scalar(gap("attitude", unresolved)).await;
    assert!(
        unresolved_resolution < unresolved_attitude - 0.4,
        "{unresolved_resolution} {unresolved_attitude}"
    );
}

#[tokio::test]
async fn suggestions_are_bilingual_short_and_follow_the_scores() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let rows: Vec<(Option<String>, f64)> =
        sql::query_as("SELECT suggestion, total_score FROM evaluations")
            .fetch_all(pool)
            .await
            .unwrap();
    let texts: Vec<(&str, f64)> = rows
        .iter()
        .filter_map(|(s, t)| Some((s.as_deref()?, *t)))
        .collect();
    let with = share(texts.len(), rows.len());
    assert!((0.38..0.52).contains(&with), "{with}");
    let chinese = texts
        .iter()
        .filter(|(s, _)| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        .count();
    let english = texts
        .iter()
        .filter(|(s, _)| s.is_ascii() && s.chars().any(|c| c.is_ascii_alphabetic()))
        .count();
    assert_eq!(chinese + english, texts.len());
    let english_share = share(english, texts.len());
    assert!((0.1..0.2).contains(&english_share), "{english_share}");
    for (text, _) in &texts {
        assert!(text.chars().count() <= 500 && text.trim() == *text && !text.is_empty());
        assert!(!text.contains(['<', '>']), "{text}");
    }
    // Stock phrases recur across customers.
    for stock in ["很好", "满意", "Great service"] {
        assert!(
            texts.iter().filter(|(s, _)| *s == stock).count() >= 3,
            "{stock}"
        );
    }
    // Complaint words on low scores, praise words on high ones.
    let low: Vec<&str> = texts
        .iter()
        .filter(|(_, t)| *t < 2.8)
        .map(|p| p.0)
        .collect();
    let high: Vec<&str> = texts
        .iter()
        .filter(|(_, t)| *t >= 4.2)
        .map(|p| p.0)
        .collect();
    let mentions = |texts: &[&str], word: &str| {
        share(
            texts.iter().filter(|s| s.contains(word)).count(),
            texts.len(),
        )
    };
    for word in ["慢", "没有解决", "态度很差", "退款"] {
        let (on_low, on_high) = (mentions(&low, word), mentions(&high, word));
        assert!(
            on_low > 0.01 && on_low > 5.0 * on_high,
            "{word}: {on_low} {on_high}"
        );
    }
    for word in ["耐心", "及时", "清楚", "专业"] {
        let (on_low, on_high) = (mentions(&low, word), mentions(&high, word));
        assert!(
            on_high > 0.02 && on_high > 3.0 * on_low,
            "{word}: {on_low} {on_high}"
        );
    }
    // The topic follows the service type.
    let delivery: i64 = count(pool, "SELECT COUNT(*) FROM evaluations WHERE service_type = 'delivery' AND (suggestion LIKE '%快递%' OR suggestion LIKE '%送货%' OR suggestion LIKE '%配送%')").await;
    let elsewhere: i64 = count(pool, "SELECT COUNT(*) FROM evaluations WHERE service_type <> 'delivery' AND (suggestion LIKE '%快递%' OR suggestion LIKE '%送货%' OR suggestion LIKE '%配送%')").await;
    assert!(delivery > 20 && elsewhere == 0, "{delivery} {elsewhere}");
}

/// The demo customer's records, by rating state at `at`: (awaiting with 2 h to 5 days since the
/// end, rated).
fn rateable(plan: &DemoPlan, phone: &str, at: DateTime<Utc>) -> (usize, usize) {
    let customer = plan
        .users
        .iter()
        .find(|u| u.phone.as_deref() == Some(phone))
        .unwrap()
        .id;
    let (mut awaiting, mut rated) = (0, 0);
    for (index, record) in plan.records.iter().enumerate() {
        if record.customer_id != customer {
            continue;
        }
        let is_rated = plan
            .evaluations
            .iter()
            .any(|e| e.service_record_id == index as i64 + 1);
        match rating_state(record.ended_at, is_rated, at, 7) {
            RatingState::Awaiting
                if record.ended_at <= at - Duration::hours(2)
                    && record.ended_at >= at - Duration::days(5) =>
            {
                awaiting += 1
            }
            RatingState::Rated => rated += 1,
            _ => {}
        }
    }
    (awaiting, rated)
}

#[tokio::test]
async fn the_demo_customers_have_records_to_rate() {
    let app = seeded().await;
    let pool = &app.state.pool;
    let window: i64 = 7;
    for (phone, floor) in [(DEMO_MEMBER_PHONE, 10), (DEMO_CUSTOMER_PHONE, 8)] {
        let rows: Vec<(String, bool)> = sql::query_as(
            "SELECT r.ended_at, e.id IS NOT NULL FROM service_records r
             JOIN users c ON c.id = r.customer_id
             LEFT JOIN evaluations e ON e.service_record_id = r.id WHERE c.phone = ?",
        )
        .bind(phone)
        .fetch_all(pool)
        .await
        .unwrap();
        let states: Vec<(DateTime<Utc>, RatingState)> = rows
            .iter()
            .map(|(ended, rated)| {
                let ended = from_db(ended).unwrap();
                (ended, rating_state(ended, *rated, now(), window as u32))
            })
            .collect();
        let awaiting = states
            .iter()
            .filter(|(ended, state)| {
                *state == RatingState::Awaiting
                    && *ended <= now() - Duration::hours(2)
                    && *ended >= now() - Duration::days(5)
            })
            .count();
        let rated = states
            .iter()
            .filter(|(_, state)| *state == RatingState::Rated)
            .count();
        assert!(awaiting >= floor, "{phone}: {awaiting} awaiting");
        assert!(
            rated >= if floor == 10 { 5 } else { 3 },
            "{phone}: {rated} rated"
        );
    }
    // Whatever the time of day the demo is seeded at.
    for minutes in (0..24 * 60).step_by(97) {
        let at = now() + Duration::minutes(minutes);
        let plan = DemoPlan::generate(DEMO_SEED, at);
        let (awaiting, rated) = rateable(&plan, DEMO_MEMBER_PHONE, at);
        assert!(awaiting >= 10 && rated >= 5, "{at}: {awaiting} {rated}");
        let (awaiting, rated) = rateable(&plan, DEMO_CUSTOMER_PHONE, at);
        assert!(awaiting >= 8 && rated >= 3, "{at}: {awaiting} {rated}");
    }
}
