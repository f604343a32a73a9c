//! The bench's data written by PostgreSQL itself: the same rows as the SQLite generator
//! (`super::generate`, the same formulas), in PostgreSQL's SQL, so that ten million evaluations
//! need no SQLite file of their own first (at ten million that file and its copy would not fit
//! beside each other on the machine's disk).
//!
//! The rows are written as a restore writes them (`session_replication_role = replica`: no
//! per-row triggers, no foreign-key checks: every key below is taken from the tables it
//! points to), with the copies the triggers would make written in the same statements; the
//! kept sums are then rebuilt set-based, as `pingjia-server sums rebuild` does, and the
//! identities moved past the rows written with explicit ids.

use sqlx::{Connection, PgPool};

use pingjia_server::services::analytics;

use super::{PHRASES, evaluations};

/// A UTC time text as the server stores it (`2026-12-04T08:30:00Z`) of whole seconds since 1970.
fn stamp(seconds: &str) -> String {
    format!("to_char(to_timestamp({seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
}

pub async fn generate(pool: &PgPool, now: chrono::DateTime<chrono::Utc>) {
    let mut conn = pool.acquire().await.unwrap().detach();
    let mut tx = conn.begin().await.unwrap();
    for setting in [
        "SET LOCAL session_replication_role = replica",
        "SET LOCAL work_mem = '512MB'",
        "SET LOCAL maintenance_work_mem = '1GB'",
    ] {
        sqlx::query(setting).execute(&mut *tx).await.unwrap();
    }
    let script = [
        "CREATE TEMP TABLE bench_agents (k BIGINT PRIMARY KEY, id BIGINT NOT NULL) ON COMMIT DROP",
        "INSERT INTO bench_agents SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM users WHERE role = 'agent'",
        "CREATE TEMP TABLE bench_customers (k BIGINT PRIMARY KEY, id BIGINT NOT NULL, kind TEXT) ON COMMIT DROP",
        "INSERT INTO bench_customers SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id, customer_type FROM users WHERE role = 'customer'",
        "CREATE TEMP TABLE bench_types (k BIGINT PRIMARY KEY, code TEXT NOT NULL) ON COMMIT DROP",
        "INSERT INTO bench_types SELECT ROW_NUMBER() OVER (ORDER BY position) - 1, code FROM service_types",
        "CREATE TEMP TABLE bench_texts (k BIGINT PRIMARY KEY, text TEXT NOT NULL) ON COMMIT DROP",
        "CREATE TEMP TABLE bench_text_terms (k BIGINT NOT NULL, term TEXT NOT NULL) ON COMMIT DROP",
    ];
    for sql in script {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    for (k, text) in PHRASES.iter().enumerate() {
        sqlx::query("INSERT INTO bench_texts VALUES ($1, $2)")
            .bind(k as i64)
            .bind(text)
            .execute(&mut *tx)
            .await
            .unwrap();
        for (term, form) in analytics::terms(text) {
            sqlx::query("INSERT INTO bench_text_terms VALUES ($1, $2)")
                .bind(k as i64)
                .bind(&term)
                .execute(&mut *tx)
                .await
                .unwrap();
            // The form shown for it (the word cloud looks it up).
            sqlx::query(
                "INSERT INTO term_forms (term, form, uses) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING",
            )
            .bind(term)
            .bind(form)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
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
    // Records evenly spread over the year before two hours ago (a million: one every 31.5 s).
    sqlx::query(&format!(
        "INSERT INTO service_records (id, external_id, customer_id, agent_id, service_type,
             channel, started_at, ended_at, urgency, category, tags, requested_at,
             first_response_at, resolved_at, resolved_first_contact, created_at)
         SELECT $3 + i, 'BENCH' || i, c.id, a.id, ty.code,
             CASE WHEN i % 5 < 3 THEN 'online' ELSE 'offline' END,
             {started}, {ended},
             CASE i % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'normal' ELSE 'low' END,
             CASE i % 4 WHEN 0 THEN 'consultation' WHEN 1 THEN 'complaint'
                        WHEN 2 THEN 'suggestion' ELSE 'praise' END,
             CASE i % 5 WHEN 0 THEN '[\"物流延迟\"]' WHEN 1 THEN '[\"退换货\",\"产品质量\"]'
                        WHEN 2 THEN '[\"服务态度\"]' WHEN 3 THEN '[\"响应慢\"]' ELSE '[]' END,
             {requested}, {responded},
             CASE WHEN i % 11 = 0 THEN NULL ELSE {resolved} END,
             i % 4 <> 0, {started}
         FROM (SELECT i, $2 - 7200 - i * 31536000 / $1 AS at
               FROM generate_series(0::BIGINT, $1 - 1) AS i) t
         JOIN bench_customers c ON c.k = (i * 7919) % $4
         JOIN bench_agents a ON a.k = (i * 31) % $5
         JOIN bench_types ty ON ty.k = i % $6",
        started = stamp("at"),
        ended = stamp("at + 1200"),
        requested = stamp("at - 300"),
        responded = stamp("at - 300 + (i * 37) % 10800"),
        resolved = stamp("at + 1200 + (i * 13) % 86400"),
    ))
    .bind(evaluations())
    .bind(now.timestamp())
    .bind(first)
    .bind(customers)
    .bind(agents)
    .bind(types)
    .execute(&mut *tx)
    .await
    .unwrap();
    // Five scores per record, agents a little apart.
    sqlx::query(
        "CREATE TEMP TABLE bench_scores ON COMMIT DROP AS
         SELECT r.id, r.customer_id, r.agent_id, r.service_type, r.channel, r.category,
                pj_unixepoch(r.ended_at) + 1800 AS submitted,
                LEAST(5, 1 + (r.id * 17 + r.agent_id) % 5 + (r.agent_id % 3 = 0)::INT) AS s1,
                LEAST(5, 1 + (r.id * 29) % 5 + r.id % 2) AS s2,
                LEAST(5, 1 + (r.id * 41 + r.agent_id) % 5) AS s3,
                LEAST(5, 2 + (r.id * 53) % 4) AS s4,
                LEAST(5, 1 + (r.id * 67) % 5 + (r.id % 3 = 0)::INT) AS s5
         FROM service_records r WHERE r.id >= $1",
    )
    .bind(first)
    .execute(&mut *tx)
    .await
    .unwrap();
    // Written as the submissions write them: the copied columns the reports read and the
    // terms marked indexed.
    sqlx::query(&format!(
        "INSERT INTO evaluations (id, number, service_record_id, customer_id, agent_id,
             service_type, submitted_at, total_score, overall, suggestion, status, channel,
             category, customer_type, submitted_day, terms_indexed)
         SELECT s.id, 'PB' || s.id, s.id, s.customer_id, s.agent_id, s.service_type,
             {submitted},
             ROUND((s1 + s2 + s3 + s4 + s5) / 5.0, 1),
             GREATEST(1, LEAST(10, (s1 + s2 + s3 + s4 + s5) * 2 / 5 + s.id % 3 - 1)),
             x.text,
             CASE WHEN s.id % 997 = 0 THEN 'deleted' ELSE 'active' END,
             s.channel, s.category, c.kind,
             to_char(to_timestamp(s.submitted + $1) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
             s.id % 20 < 9
         FROM bench_scores s JOIN bench_customers c ON c.id = s.customer_id
         LEFT JOIN bench_texts x ON s.id % 20 < 9 AND x.k = (s.id * 7) % 30",
        submitted = stamp("s.submitted"),
    ))
    .bind(i64::from(pingjia_server::time::ORG_UTC_OFFSET_SECONDS))
    .execute(&mut *tx)
    .await
    .unwrap();
    // The terms of each phrase, segmented once, given to every evaluation that wrote it.
    sqlx::query(
        "INSERT INTO evaluation_terms (evaluation_id, term, submitted_day, overall, submitted_at)
         SELECT e.id, t.term, e.submitted_day, e.overall, e.submitted_at
         FROM evaluations e JOIN bench_text_terms t ON t.k = (e.id * 7) % 30
         WHERE e.id >= $1 AND e.id % 20 < 9
         ON CONFLICT DO NOTHING",
    )
    .bind(first)
    .execute(&mut *tx)
    .await
    .unwrap();
    // The scores with their evaluation's copied columns (what `evaluation_scores_copy` copies).
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
                 name_zh, name_en, score, submitted_day, status, agent_id, service_type,
                 channel, customer_type)
             SELECT s.id, d.code, {position}, FALSE, d.name_zh, d.name_en, s.{column},
                 e.submitted_day, e.status, e.agent_id, e.service_type, e.channel,
                 e.customer_type
             FROM bench_scores s JOIN evaluations e ON e.id = s.id
             JOIN dimensions d ON d.code = '{code}'"
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    for table in ["service_records", "evaluations"] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    conn.close().await.unwrap();
}
