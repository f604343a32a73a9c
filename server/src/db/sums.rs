//! The kept sums (migration 0022): what the reports add up, per day and group, kept by triggers
//! in the transaction of every change of an evaluation, its scores or its terms. Here: filling
//! them when they are empty, recomputing them from the evaluations (`rebuild`), and comparing
//! the kept ones with a recomputation (`verify`, `pingjia-server sums verify`). The overall
//! score copied beside each word of a suggestion (migration 0027) is verified and rebuilt with
//! them.
//!
//! The recomputation is a second formulation of the same figures (a `GROUP BY` over the
//! evaluations, their scores joined through the evaluation, not their copied columns): when it
//! and the triggers agree, both are right.

use crate::db::sql::{self, Conn, count_if, sum_int};
use pingjia_domain::settings::Settings;

/// A kept table, the recomputation of its rows, and its key columns.
struct Kept {
    table: &'static str,
    keys: &'static [&'static str],
    /// `SELECT` of every column in the table's order, grouped by the key.
    recompute: String,
}

/// Counted: not deleted by moderation, with its day (the catch-up fills it for evaluations
/// written without it).
const COUNTED: &str = "e.submitted_day IS NOT NULL AND e.status <> 'deleted'";

/// The evaluation sums' columns after the key, as sums over the evaluations `e` of a group.
fn evaluation_columns() -> String {
    let tenths = "CAST(ROUND(e.total_score * 10) AS INTEGER)";
    let mut columns = vec![
        "COUNT(*)".to_owned(),
        sum_int(tenths),
        sum_int(&format!("{tenths} * {tenths}")),
        sum_int("e.overall"),
        sum_int("e.overall * e.overall"),
        count_if("e.suggestion IS NOT NULL"),
        count_if("e.category = 'complaint'"),
    ];
    columns.extend((1..=10).map(|k| count_if(&format!("e.overall = {k}"))));
    columns.extend(
        (1..=10).map(|k| count_if(&format!("e.overall = {k} AND e.suggestion IS NOT NULL"))),
    );
    columns.join(", ")
}

/// The score sums' columns after the key, over the scores `s` of a group.
fn score_columns() -> String {
    let mut columns = vec![
        "COUNT(*)".to_owned(),
        sum_int("s.score"),
        sum_int("s.score * s.score"),
    ];
    columns.extend((1..=5).map(|k| count_if(&format!("s.score = {k}"))));
    columns.join(", ")
}

/// The service records' sums' columns after the key, over the records `r` of a group, on time
/// by the SLA minutes of `settings`.
fn record_columns(settings: &Settings) -> String {
    format!(
        "COUNT(*), {}, {}, COUNT(r.handling_seconds), COALESCE({}, 0)",
        count_if(&format!(
            "r.response_seconds <= 60 * CASE r.urgency WHEN 'high' THEN {} \
             WHEN 'normal' THEN {} WHEN 'low' THEN {} END",
            settings.sla_high_minutes, settings.sla_normal_minutes, settings.sla_low_minutes
        )),
        count_if("r.resolved_first_contact"),
        sum_int("r.handling_seconds"),
    )
}

/// The kept tables of the service records (migration 0023).
const RECORD_TABLES: [&str; 2] = ["record_sums", "agent_record_sums"];

/// Every kept table with its recomputation (the records' on time by `settings`).
fn kept(settings: &Settings) -> Vec<Kept> {
    let segment = "e.service_type, COALESCE(e.channel, ''), COALESCE(e.customer_type, '')";
    let evaluations = |agent: &str| {
        format!(
            "SELECT {agent}e.submitted_day, {segment}, {} FROM evaluations e WHERE {COUNTED} \
             GROUP BY {agent}e.submitted_day, {segment}",
            evaluation_columns()
        )
    };
    let scores = |agent: &str| {
        format!(
            "SELECT {agent}e.submitted_day, s.dimension, {segment}, {} \
             FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id \
             WHERE {COUNTED} AND s.score IS NOT NULL \
             GROUP BY {agent}e.submitted_day, s.dimension, {segment}",
            score_columns()
        )
    };
    // Per agent and day without the segments (migration 0030).
    let agent_days = format!(
        "SELECT e.agent_id, e.submitted_day, {} FROM evaluations e WHERE {COUNTED} \
         GROUP BY e.agent_id, e.submitted_day",
        evaluation_columns()
    );
    let agent_day_scores = format!(
        "SELECT e.agent_id, e.submitted_day, s.dimension, {} \
         FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id \
         WHERE {COUNTED} AND s.score IS NOT NULL \
         GROUP BY e.agent_id, e.submitted_day, s.dimension",
        score_columns()
    );
    let records = |agent: &str| {
        let day = format!(
            "date(r.started_at, '{}')",
            crate::time::org_sqlite_modifier()
        );
        let segment = "r.service_type, r.channel, COALESCE(c.customer_type, '')";
        format!(
            "SELECT {agent}{day}, {segment}, {} \
             FROM service_records r JOIN users c ON c.id = r.customer_id \
             GROUP BY {agent}{day}, {segment}",
            record_columns(settings)
        )
    };
    vec![
        Kept {
            table: "record_sums",
            keys: &["day", "service_type", "channel", "customer_type"],
            recompute: records(""),
        },
        Kept {
            table: "agent_record_sums",
            keys: &[
                "agent_id",
                "day",
                "service_type",
                "channel",
                "customer_type",
            ],
            recompute: records("r.agent_id, "),
        },
        Kept {
            table: "evaluation_sums",
            keys: &["day", "service_type", "channel", "customer_type"],
            recompute: evaluations(""),
        },
        Kept {
            table: "agent_evaluation_sums",
            keys: &[
                "agent_id",
                "day",
                "service_type",
                "channel",
                "customer_type",
            ],
            recompute: evaluations("e.agent_id, "),
        },
        Kept {
            table: "score_sums",
            keys: &[
                "day",
                "dimension",
                "service_type",
                "channel",
                "customer_type",
            ],
            recompute: scores(""),
        },
        Kept {
            table: "agent_score_sums",
            keys: &[
                "agent_id",
                "day",
                "dimension",
                "service_type",
                "channel",
                "customer_type",
            ],
            recompute: scores("e.agent_id, "),
        },
        Kept {
            table: "agent_day_sums",
            keys: &["agent_id", "day"],
            recompute: agent_days,
        },
        Kept {
            table: "agent_day_score_sums",
            keys: &["agent_id", "day", "dimension"],
            recompute: agent_day_scores,
        },
        Kept {
            table: "tag_sums",
            keys: &["day", "tag"],
            recompute: format!(
                "SELECT e.submitted_day, COALESCE(j.value, ''), COUNT(*) \
                 FROM evaluations e JOIN service_records r ON r.id = e.service_record_id \
                 LEFT JOIN json_each(r.tags) j ON TRUE \
                 WHERE {COUNTED} AND e.category = 'complaint' \
                 GROUP BY e.submitted_day, COALESCE(j.value, '')"
            ),
        },
        Kept {
            table: "agent_tag_sums",
            keys: &["agent_id", "day", "tag"],
            recompute: format!(
                "SELECT e.agent_id, e.submitted_day, COALESCE(j.value, ''), COUNT(*) \
                 FROM evaluations e JOIN service_records r ON r.id = e.service_record_id \
                 LEFT JOIN json_each(r.tags) j ON TRUE \
                 WHERE {COUNTED} AND e.category = 'complaint' \
                 GROUP BY e.agent_id, e.submitted_day, COALESCE(j.value, '')"
            ),
        },
        Kept {
            table: "agent_term_sums",
            keys: &["agent_id", "day", "overall", "term"],
            recompute: "SELECT e.agent_id, t.submitted_day, e.overall, t.term, COUNT(*) \
                 FROM evaluation_terms t JOIN evaluations e ON e.id = t.evaluation_id \
                 WHERE e.status <> 'deleted' \
                 GROUP BY e.agent_id, t.submitted_day, e.overall, t.term"
                .to_owned(),
        },
        Kept {
            table: "agent_service_sums",
            keys: &["agent_id", "day"],
            recompute: format!(
                "SELECT r.agent_id, date(r.ended_at, '{}'), COUNT(*), \
                 {} \
                 FROM evaluations e JOIN service_records r ON r.id = e.service_record_id \
                 WHERE e.status <> 'deleted' \
                 GROUP BY r.agent_id, date(r.ended_at, '{}')",
                crate::time::org_sqlite_modifier(),
                sum_int("CAST(ROUND(e.total_score * 10) AS INTEGER)"),
                crate::time::org_sqlite_modifier()
            ),
        },
        Kept {
            table: "agent_unread",
            keys: &["agent_id"],
            recompute: "SELECT e.agent_id, COUNT(*) FROM evaluations e \
                 WHERE e.agent_read_at IS NULL AND e.status <> 'deleted' GROUP BY e.agent_id"
                .to_owned(),
        },
        Kept {
            table: "term_sums",
            keys: &["day", "overall", "term"],
            recompute: "SELECT t.submitted_day, e.overall, t.term, COUNT(*) \
                 FROM evaluation_terms t JOIN evaluations e ON e.id = t.evaluation_id \
                 WHERE e.status <> 'deleted' GROUP BY t.submitted_day, e.overall, t.term"
                .to_owned(),
        },
    ]
}

/// Recomputes every kept sum from the evaluations and records, in `conn`'s transaction.
pub async fn rebuild(conn: &mut Conn) -> Result<(), sqlx::Error> {
    rebuild_where(conn, |_| true).await?;
    sql::query(&format!(
        "UPDATE evaluation_terms SET overall = ({TERM_OVERALL}), submitted_at = ({TERM_AT}) \
         WHERE {}",
        term_stale()
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The overall score of a word's evaluation, copied beside the word (migration 0027).
const TERM_OVERALL: &str =
    "SELECT e.overall FROM evaluations e WHERE e.id = evaluation_terms.evaluation_id";

/// The submission time of a word's evaluation, copied beside the word (migration 0031).
const TERM_AT: &str =
    "SELECT e.submitted_at FROM evaluations e WHERE e.id = evaluation_terms.evaluation_id";

/// A word whose copies of its evaluation's figures differ from the evaluation's.
fn term_stale() -> String {
    format!(
        "overall IS DISTINCT FROM ({TERM_OVERALL}) OR submitted_at IS DISTINCT FROM ({TERM_AT})"
    )
}

/// Recomputes the service records' sums (their on-time counts follow the SLA settings: after a
/// change of one, in the settings' transaction).
pub async fn rebuild_records(conn: &mut Conn) -> Result<(), sqlx::Error> {
    rebuild_where(conn, |table| RECORD_TABLES.contains(&table)).await
}

async fn rebuild_where(conn: &mut Conn, wanted: impl Fn(&str) -> bool) -> Result<(), sqlx::Error> {
    let settings = crate::db::settings::load(&mut *conn).await?;
    for kept in kept(&settings).into_iter().filter(|k| wanted(k.table)) {
        sql::query(&format!("DELETE FROM {}", kept.table))
            .execute(&mut *conn)
            .await?;
        sql::query(&format!("INSERT INTO {} {}", kept.table, kept.recompute))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Fills the kept sums that are empty while what they sum is not (a database from before
/// them, or one whose sums were cleared): at start-up, in `conn`'s write transaction. Whether
/// it filled any.
pub async fn fill_if_empty(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    let settings = crate::db::settings::load(&mut *conn).await?;
    let mut empty = Vec::new();
    for kept in kept(&settings) {
        let missing: bool = sql::query_scalar(&format!(
            "SELECT NOT EXISTS (SELECT 1 FROM {}) AND EXISTS ({})",
            kept.table, kept.recompute
        ))
        .fetch_one(&mut *conn)
        .await?;
        if missing {
            empty.push(kept.table);
        }
    }
    if empty.is_empty() {
        return Ok(false);
    }
    rebuild_where(conn, |table| empty.contains(&table)).await?;
    Ok(true)
}

/// A kept table whose rows differ from the recomputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub table: &'static str,
    /// Rows kept that the recomputation does not give (wrong or extra).
    pub kept_only: u64,
    /// Rows the recomputation gives that are not kept (missing or wrong).
    pub recomputed_only: u64,
    /// The key of the first differing row, for a look.
    pub example: String,
}

/// Compares every kept table with its recomputation: the tables that differ (none: all agree).
pub async fn verify(conn: &mut Conn) -> Result<Vec<Difference>, sqlx::Error> {
    let settings = crate::db::settings::load(&mut *conn).await?;
    let mut differences = Vec::new();
    for kept in kept(&settings) {
        let count =
            |left: &str, right: &str| format!("SELECT COUNT(*) FROM ({left} EXCEPT {right}) d");
        let table = format!("SELECT * FROM {}", kept.table);
        // The recomputation under the table's column names (a compound takes its first
        // part's).
        let recomputed = format!(
            "SELECT * FROM ({table} WHERE FALSE UNION ALL {}) r",
            kept.recompute
        );
        let kept_only: i64 = sql::query_scalar(&count(&table, &recomputed))
            .fetch_one(&mut *conn)
            .await?;
        let recomputed_only: i64 = sql::query_scalar(&count(&recomputed, &table))
            .fetch_one(&mut *conn)
            .await?;
        if kept_only == 0 && recomputed_only == 0 {
            continue;
        }
        let keys = kept.keys.join(" || ' ' || ");
        let example: Option<String> = sql::query_scalar(&format!(
            "SELECT {keys} FROM ({table} EXCEPT {recomputed}) d UNION ALL \
             SELECT {keys} FROM ({recomputed} EXCEPT {table}) d LIMIT 1"
        ))
        .fetch_optional(&mut *conn)
        .await?;
        differences.push(Difference {
            table: kept.table,
            kept_only: u64::try_from(kept_only).unwrap_or_default(),
            recomputed_only: u64::try_from(recomputed_only).unwrap_or_default(),
            example: example.unwrap_or_default(),
        });
    }
    let (stale, example): (i64, Option<String>) = sql::query_as(&format!(
        "SELECT COUNT(*), MIN(evaluation_id || ' ' || term) FROM evaluation_terms \
         WHERE {}",
        term_stale()
    ))
    .fetch_one(&mut *conn)
    .await?;
    if stale > 0 {
        differences.push(Difference {
            table: "evaluation_terms",
            kept_only: u64::try_from(stale).unwrap_or_default(),
            recomputed_only: u64::try_from(stale).unwrap_or_default(),
            example: example.unwrap_or_default(),
        });
    }
    Ok(differences)
}
