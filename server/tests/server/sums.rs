//! The kept sums (issue 22): after every kind of change they equal their recomputation from the
//! evaluations; `verify` finds a difference and `rebuild` mends it.

use pingjia_server::db::sql;
use pingjia_server::db::sql::Pool;
use pingjia_server::db::sums;

use crate::demo::{count, seeded};

/// Asserts that every kept sum equals its recomputation.
pub(crate) async fn assert_sums_agree(pool: &Pool) {
    let mut conn = pool.acquire().await.unwrap();
    let differences = sums::verify(&mut conn).await.unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
}

#[tokio::test]
async fn the_demo_data_is_summed_and_a_wrong_sum_is_found_and_mended() {
    let app = seeded().await;
    let pool = &app.state.pool;
    assert_sums_agree(pool).await;
    // A rated complaint's record gets other tags; it is deleted by moderation, then restored,
    // read and unread; its customer becomes a member; it moves to another agent.
    let complaint = count(
        pool,
        "SELECT MIN(id) FROM evaluations WHERE category = 'complaint' AND status = 'active'",
    )
    .await;
    for change in [
        "UPDATE service_records SET tags = '[\"新标签\",\"新标签\",\"物流延迟\"]'
         WHERE id = (SELECT service_record_id FROM evaluations WHERE id = ?)",
        // Unread, deleted while unread, restored, read by its agent.
        "UPDATE evaluations SET agent_read_at = NULL WHERE id = ?",
        "UPDATE evaluations SET status = 'deleted' WHERE id = ?",
        "UPDATE evaluations SET status = 'active' WHERE id = ?",
        "UPDATE evaluations SET agent_read_at = '2026-12-01T00:00:00Z' WHERE id = ?",
        "UPDATE evaluations SET agent_read_at = NULL WHERE id = ?",
        "UPDATE users SET customer_type = 'member'
         WHERE id = (SELECT customer_id FROM evaluations WHERE id = ?)",
        // Its service ends a day later and passes to another agent (its score goes with it).
        "UPDATE service_records SET ended_at = strftime('%Y-%m-%dT%H:%M:%SZ', ended_at, '+1 day'),
             agent_id = (SELECT MAX(id) FROM users WHERE role = 'agent'
                         AND id <> service_records.agent_id)
         WHERE id = (SELECT service_record_id FROM evaluations WHERE id = ?)",
        // Its scores change (an approved appeal).
        "UPDATE evaluations SET total_score = 6 - total_score WHERE id = ?",
        // Moved to another agent (its counts by agent move with it).
        "UPDATE evaluations SET agent_id =
             (SELECT MAX(id) FROM users WHERE role = 'agent' AND id <> evaluations.agent_id)
         WHERE id = ?",
    ] {
        sql::query(change)
            .bind(complaint)
            .execute(pool)
            .await
            .unwrap();
        assert_sums_agree(pool).await;
    }
    // An evaluation with words moved to another agent: its words go with it.
    let worded = count(pool, "SELECT MIN(evaluation_id) FROM evaluation_terms").await;
    let terms = count(
        pool,
        &format!("SELECT COUNT(*) FROM evaluation_terms WHERE evaluation_id = {worded}"),
    )
    .await;
    assert!(terms > 0);
    sql::query(
        "UPDATE evaluations SET agent_id =
             (SELECT MAX(id) FROM users WHERE role = 'agent' AND id <> evaluations.agent_id)
         WHERE id = ?",
    )
    .bind(worded)
    .execute(pool)
    .await
    .unwrap();
    assert_sums_agree(pool).await;
    // Its overall score changes (an approved appeal): the score beside its words follows.
    sql::query("UPDATE evaluations SET overall = 11 - overall WHERE id = ?")
        .bind(worded)
        .execute(pool)
        .await
        .unwrap();
    assert_sums_agree(pool).await;
    assert_eq!(
        count(
            pool,
            &format!(
                "SELECT COUNT(*) FROM evaluation_terms t JOIN evaluations e ON e.id = t.evaluation_id
                 WHERE t.evaluation_id = {worded} AND t.overall = e.overall"
            ),
        )
        .await,
        terms
    );
    assert_eq!(
        count(
            pool,
            "SELECT SUM(evaluations) FROM tag_sums WHERE tag = '新标签'"
        )
        .await,
        2
    );
    // Each table holds the demo's figures, not nothing.
    for (table, total) in [
        ("evaluation_sums", "SUM(evaluations)"),
        ("agent_evaluation_sums", "SUM(evaluations)"),
        ("score_sums", "SUM(answered)"),
        ("agent_score_sums", "SUM(answered)"),
        ("agent_day_sums", "SUM(evaluations)"),
        ("agent_day_score_sums", "SUM(answered)"),
        ("term_sums", "SUM(evaluations)"),
        ("tag_sums", "SUM(evaluations)"),
        ("agent_term_sums", "SUM(evaluations)"),
        ("agent_tag_sums", "SUM(evaluations)"),
        ("record_sums", "SUM(records)"),
        ("agent_record_sums", "SUM(records)"),
        ("agent_unread", "SUM(evaluations)"),
        ("agent_service_sums", "SUM(evaluations)"),
    ] {
        let kept = count(pool, &format!("SELECT {total} FROM {table}")).await;
        assert!(kept > 0, "{table}");
    }
    let counted = count(
        pool,
        "SELECT COUNT(*) FROM evaluations WHERE status <> 'deleted'",
    )
    .await;
    assert_eq!(
        count(pool, "SELECT SUM(evaluations) FROM evaluation_sums").await,
        counted
    );
    assert_eq!(
        count(pool, "SELECT SUM(evaluations) FROM agent_evaluation_sums").await,
        counted
    );
    assert_eq!(
        count(pool, "SELECT SUM(evaluations) FROM agent_day_sums").await,
        counted
    );

    // One wrong figure and one missing row: both found, then mended.
    sql::query(
        "UPDATE evaluation_sums SET o3 = o3 + 1
         WHERE day = (SELECT MAX(day) FROM evaluation_sums)",
    )
    .execute(pool)
    .await
    .unwrap();
    sql::query("DELETE FROM term_sums WHERE day = (SELECT MIN(day) FROM term_sums)")
        .execute(pool)
        .await
        .unwrap();
    sql::query(
        "UPDATE evaluation_terms SET overall = NULL, submitted_at = NULL WHERE evaluation_id = ?",
    )
    .bind(worded)
    .execute(pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let differences = sums::verify(&mut conn).await.unwrap();
    let tables: Vec<&str> = differences.iter().map(|d| d.table).collect();
    assert_eq!(tables, ["evaluation_sums", "term_sums", "evaluation_terms"]);
    assert_eq!(differences[2].kept_only, u64::try_from(terms).unwrap());
    assert!(differences[0].kept_only > 0 && differences[0].recomputed_only > 0);
    assert!(!differences[0].example.is_empty());
    assert_eq!(differences[1].kept_only, 0);
    assert!(differences[1].recomputed_only > 0);
    drop(conn);
    let mut tx = pingjia_server::db::begin_write(pool).await.unwrap();
    sums::rebuild(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_sums_agree(pool).await;
}

#[tokio::test]
async fn a_database_from_before_the_sums_gets_them_at_start() {
    let app = seeded().await;
    let pool = &app.state.pool;
    for table in [
        "evaluation_sums",
        "agent_evaluation_sums",
        "score_sums",
        "agent_score_sums",
        "agent_day_sums",
        "agent_day_score_sums",
        "term_sums",
        "tag_sums",
        "record_sums",
        "agent_record_sums",
        "agent_term_sums",
        "agent_tag_sums",
        "agent_unread",
        "agent_service_sums",
    ] {
        sql::query(&format!("DELETE FROM {table}"))
            .execute(pool)
            .await
            .unwrap();
    }
    let mut tx = pingjia_server::db::begin_write(pool).await.unwrap();
    assert!(sums::fill_if_empty(&mut tx).await.unwrap());
    assert!(!sums::fill_if_empty(&mut tx).await.unwrap(), "once");
    tx.commit().await.unwrap();
    assert_sums_agree(pool).await;
}

/// `pingjia-server sums verify` and `sums rebuild` on a database file: the verdict on stdout,
/// exit status 1 while a sum is wrong, 0 once rebuilt.
#[tokio::test]
async fn the_command_line_verifies_and_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pingjia.db");
    let pool = pingjia_server::db::open_with(&path, pingjia_server::db::BUSY_TIMEOUT)
        .await
        .unwrap();
    pingjia_server::demo::seed_if_empty(&pool, chrono::Utc::now())
        .await
        .unwrap();
    let sums = |action: &'static str| {
        let path = path.clone();
        async move {
            tokio::process::Command::new(env!("CARGO_BIN_EXE_pingjia-server"))
                .arg("--database")
                .arg(&path)
                .args(["sums", action])
                .env("RUST_LOG", "error")
                .output()
                .await
                .unwrap()
        }
    };
    let verified = sums("verify").await;
    assert!(verified.status.success(), "{verified:?}");
    assert!(String::from_utf8_lossy(&verified.stdout).contains("equal"));

    sql::query("UPDATE agent_score_sums SET c5 = c5 + 2 WHERE day = (SELECT MAX(day) FROM agent_score_sums)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let verified = sums("verify").await;
    assert_eq!(verified.status.code(), Some(1), "{verified:?}");
    let said = String::from_utf8_lossy(&verified.stdout);
    assert!(said.starts_with("agent_score_sums: "), "{said}");

    let rebuilt = sums("rebuild").await;
    assert!(rebuilt.status.success(), "{rebuilt:?}");
    assert!(sums("verify").await.status.success());
}

/// The records' sums: on time by the SLA minutes, recounted when an SLA setting changes; a
/// customer whose type changes moves their records' sums.
#[tokio::test]
async fn record_sums_follow_the_sla_settings_and_the_customers_type() {
    use pingjia_domain::settings::Settings;

    let admin = crate::common::AdminClient::new().await;
    let pool = &admin.app.state.pool;
    let p = &admin.people;
    // Responded after 10, 30 and 90 minutes, at each urgency; one never answered.
    for (i, (urgency, minutes)) in [
        ("high", Some(10)),
        ("high", Some(30)),
        ("normal", Some(90)),
        ("low", None),
    ]
    .into_iter()
    .enumerate()
    {
        sql::query(
            "INSERT INTO service_records (external_id, customer_id, agent_id, service_type,
                 channel, started_at, ended_at, urgency, category, requested_at,
                 first_response_at, resolved_at, resolved_first_contact, created_at)
             VALUES (?1, ?2, ?3, (SELECT code FROM service_types ORDER BY code LIMIT 1),
                 'online', '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z', ?4, 'complaint',
                 '2026-12-01T02:00:00Z',
                 strftime('%Y-%m-%dT%H:%M:%SZ', '2026-12-01T02:00:00Z', ?5 || ' minutes'),
                 '2026-12-01T05:00:00Z', ?6, '2026-12-01T02:00:00Z')",
        )
        .bind(format!("SLA-{i}"))
        .bind(if i % 2 == 0 { p.member } else { p.customer })
        .bind(p.agent)
        .bind(urgency)
        .bind(minutes.map(|m: i64| format!("+{m}")))
        .bind(i % 2 == 1)
        .execute(pool)
        .await
        .unwrap();
    }
    assert_sums_agree(pool).await;
    let on_time = || count(pool, "SELECT SUM(on_time) FROM record_sums");
    // Defaults: high 15 minutes, normal 120: the first and the third.
    assert_eq!(on_time().await, 2);
    assert_eq!(
        count(pool, "SELECT SUM(records) FROM agent_record_sums").await,
        4
    );

    let stricter = Settings {
        sla_normal_minutes: 60,
        sla_high_minutes: 30,
        ..Settings::default()
    };
    let response = admin
        .send(
            axum::http::Method::PUT,
            "/api/v1/settings",
            serde_json::to_value(&stricter).unwrap(),
        )
        .await;
    assert_eq!(response.status(), axum::http::StatusCode::OK);
    assert_eq!(on_time().await, 2, "the first two now, not the third");
    assert_sums_agree(pool).await;

    sql::query("UPDATE users SET customer_type = 'member' WHERE id = ?")
        .bind(p.customer)
        .execute(pool)
        .await
        .unwrap();
    assert_sums_agree(pool).await;
    assert_eq!(
        count(
            pool,
            "SELECT COALESCE(SUM(records), 0) FROM record_sums WHERE customer_type = 'member'"
        )
        .await,
        4
    );
}

/// A plan's before and after windows (whole days from the kept sums, the end days from the
/// evaluations) count what the evaluations in them count, on the demo's plans.
#[tokio::test]
async fn plan_windows_count_what_the_evaluations_count() {
    use pingjia_domain::feedback::TeamSummary;

    let app = seeded().await;
    let pool = &app.state.pool;
    let mut checked = 0;
    for lead in ["L0001", "L0002", "L0003"] {
        let id: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = ?")
            .bind(lead)
            .fetch_one(pool)
            .await
            .unwrap();
        let cookie = app.session(id).await;
        let request = axum::http::Request::get("/api/v1/team/summary")
            .header("cookie", cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.request(request).await;
        assert_eq!(response.status(), axum::http::StatusCode::OK, "{lead}");
        let summary: TeamSummary =
            serde_json::from_value(crate::common::body_json(response).await).unwrap();
        for plan in &summary.plans {
            for window in std::iter::once(&plan.before).chain(plan.after.as_ref()) {
                let (n, average): (i64, Option<f64>) = sql::query_as(
                    "SELECT COUNT(*), ROUND(AVG(e.total_score), 2) FROM evaluations e
                     WHERE e.agent_id = (SELECT p.agent_id FROM improvement_plans p WHERE p.id = ?)
                       AND e.submitted_at >= ? AND e.submitted_at < ?
                       AND e.status <> 'deleted'",
                )
                .bind(plan.id)
                .bind(pingjia_server::time::to_db(window.from))
                .bind(pingjia_server::time::to_db(window.to))
                .fetch_one(pool)
                .await
                .unwrap();
                assert_eq!(window.count, n as u64, "plan {}", plan.id);
                assert_eq!(window.average_total, average, "plan {}", plan.id);
                checked += usize::from(n > 0);
            }
        }
    }
    assert!(checked > 0, "some window holds evaluations");
}
