//! The moderation queue as stored: flagged evaluations with their scores, flags and
//! decisions, and the decisions themselves (the abusive-word lexicon is in `db::lexicons`).

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Days, NaiveDate, Utc};
use pingjia_domain::anomalies::{AnomalyRule, Finding};
use pingjia_domain::auth::mask_phone;
use pingjia_domain::evaluations::DimensionScore;
use pingjia_domain::moderation::{
    DecidedEvaluation, Decision, DecisionRecord, FlagReason, ModerationStatus, QueueStatus,
    ReviewItem,
};

use crate::db::evaluations::{self, COUNTED};
use crate::db::{decode, parse_stored, push_page};
use crate::time::{from_db, org_day_start, to_db};

const ITEM_SELECT: &str = "SELECT e.id, e.number, e.status, e.submitted_at, \
     e.service_record_id, e.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, \
     e.customer_id, c.customer_no, c.phone, e.service_type, st.name_zh AS type_name_zh, \
     st.name_en AS type_name_en, e.total_score, e.overall, e.suggestion, e.form_seconds, \
     (SELECT MAX(d.id) FROM moderation_decisions d WHERE d.evaluation_id = e.id) \
         AS last_decision_id \
     FROM evaluations e \
     JOIN users a ON a.id = e.agent_id \
     JOIN users c ON c.id = e.customer_id \
     JOIN service_types st ON st.code = e.service_type";

/// Evaluations the queue holds: flagged, or decided on at least once.
const IN_QUEUE: &str = "(EXISTS (SELECT 1 FROM evaluation_flags f WHERE f.evaluation_id = e.id) \
     OR EXISTS (SELECT 1 FROM moderation_decisions d WHERE d.evaluation_id = e.id))";

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    number: String,
    status: String,
    submitted_at: String,
    service_record_id: i64,
    agent_id: i64,
    agent_no: Option<String>,
    agent_name: String,
    customer_id: i64,
    customer_no: Option<String>,
    phone: Option<String>,
    service_type: String,
    type_name_zh: String,
    type_name_en: String,
    total_score: f64,
    overall: i64,
    suggestion: Option<String>,
    form_seconds: Option<i64>,
    last_decision_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct FlagRow {
    evaluation_id: i64,
    detail: String,
    created_at: String,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    evaluation_id: i64,
    #[sqlx(flatten)]
    score: evaluations::ScoreRow,
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    evaluation_id: i64,
    decision: String,
    reason: String,
    decided_by: i64,
    decided_by_name: String,
    decided_at: String,
}

impl DecisionRow {
    fn into_record(self) -> Result<DecisionRecord, sqlx::Error> {
        Ok(DecisionRecord {
            id: self.id,
            decision: parse_stored(&self.decision, Decision::parse)?,
            reason: self.reason,
            decided_by_id: self.decided_by,
            decided_by_name: self.decided_by_name,
            decided_at: from_db(&self.decided_at)?,
        })
    }
}

const DECISION_SELECT: &str = "SELECT d.id, d.evaluation_id, d.decision, d.reason, \
     d.decided_by, u.display_name AS decided_by_name, d.decided_at \
     FROM moderation_decisions d JOIN users u ON u.id = d.decided_by";

/// `IN (?, ?, ...)` of `ids` (`IN (NULL)`, nothing, of none: `IN ()` is SQLite's only).
fn push_ids(query: &mut QueryBuilder<'_>, ids: &[i64]) {
    if ids.is_empty() {
        query.push(" IN (NULL)");
        return;
    }
    query.push(" IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    query.push(")");
}

/// The items of `rows`, with their scores, flags and latest decision, in `rows`' order.
async fn items(conn: &mut Conn, rows: Vec<ItemRow>) -> Result<Vec<ReviewItem>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();

    let mut query = QueryBuilder::new(
        "SELECT evaluation_id, dimension, name_zh, name_en, optional, score \
         FROM evaluation_scores WHERE evaluation_id",
    );
    push_ids(&mut query, &ids);
    query.push(" ORDER BY evaluation_id, position, dimension");
    let mut scores: HashMap<i64, Vec<DimensionScore>> = HashMap::new();
    for s in query
        .build_query_as::<ScoreRow>()
        .fetch_all(&mut *conn)
        .await?
    {
        scores
            .entry(s.evaluation_id)
            .or_default()
            .push(s.score.into_score()?);
    }

    let mut query = QueryBuilder::new(
        "SELECT evaluation_id, detail, created_at FROM evaluation_flags WHERE evaluation_id",
    );
    push_ids(&mut query, &ids);
    query.push(" ORDER BY id");
    let mut reasons: HashMap<i64, Vec<FlagReason>> = HashMap::new();
    for f in query
        .build_query_as::<FlagRow>()
        .fetch_all(&mut *conn)
        .await?
    {
        let finding: Finding = serde_json::from_str(&f.detail)
            .map_err(|e| decode(format!("flag of evaluation {}: {e}", f.evaluation_id)))?;
        reasons
            .entry(f.evaluation_id)
            .or_default()
            .push(FlagReason::new(finding, from_db(&f.created_at)?));
    }

    let last_ids: Vec<i64> = rows.iter().filter_map(|r| r.last_decision_id).collect();
    let mut last: HashMap<i64, DecisionRecord> = HashMap::new();
    if !last_ids.is_empty() {
        let mut query = QueryBuilder::new(format!("{DECISION_SELECT} WHERE d.id"));
        push_ids(&mut query, &last_ids);
        for d in query
            .build_query_as::<DecisionRow>()
            .fetch_all(&mut *conn)
            .await?
        {
            last.insert(d.evaluation_id, d.into_record()?);
        }
    }

    rows.into_iter()
        .map(|r| {
            Ok(ReviewItem {
                status: parse_stored(&r.status, ModerationStatus::parse)?,
                submitted_at: from_db(&r.submitted_at)?,
                agent_no: r
                    .agent_no
                    .ok_or_else(|| decode(format!("evaluation {}: employee_no", r.id)))?,
                customer_no: r
                    .customer_no
                    .ok_or_else(|| decode(format!("evaluation {}: customer_no", r.id)))?,
                customer_phone: r.phone.as_deref().map(mask_phone),
                overall: u8::try_from(r.overall)
                    .map_err(|_| decode(format!("overall score {}", r.overall)))?,
                form_seconds: r.form_seconds.and_then(|s| u32::try_from(s).ok()),
                scores: scores.remove(&r.id).unwrap_or_default(),
                reasons: reasons.remove(&r.id).unwrap_or_default(),
                last_decision: last.remove(&r.id),
                id: r.id,
                number: r.number,
                service_record_id: r.service_record_id,
                agent_id: r.agent_id,
                agent_name: r.agent_name,
                customer_id: r.customer_id,
                service_type: r.service_type,
                service_type_name_zh: r.type_name_zh,
                service_type_name_en: r.type_name_en,
                total_score: r.total_score,
                suggestion: r.suggestion,
            })
        })
        .collect()
}

/// What the queue lists: evaluations in `status`, flagged by `rule`, of `agent_id`, submitted
/// in `from..=to` (each filter when given).
pub(crate) struct Queue {
    pub(crate) status: QueueStatus,
    pub(crate) rule: Option<AnomalyRule>,
    pub(crate) agent_id: Option<i64>,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
}

fn push_queue_filters(query: &mut QueryBuilder<'_>, filter: &Queue) {
    query.push(" WHERE ").push(IN_QUEUE);
    let status = match filter.status {
        QueueStatus::UnderReview => "under_review",
        QueueStatus::Deleted => "deleted",
        QueueStatus::Kept => "active",
    };
    query.push(" AND e.status = ").push_bind(status);
    if let Some(rule) = filter.rule {
        query
            .push(
                " AND EXISTS (SELECT 1 FROM evaluation_flags f \
                 WHERE f.evaluation_id = e.id AND f.rule = ",
            )
            .push_bind(rule.as_str())
            .push(")");
    }
    if let Some(agent_id) = filter.agent_id {
        query.push(" AND e.agent_id = ").push_bind(agent_id);
    }
    if let Some(from) = filter.from {
        query
            .push(" AND e.submitted_at >= ")
            .push_bind(to_db(org_day_start(from)));
    }
    if let Some(to) = filter.to.and_then(|to| to.checked_add_days(Days::new(1))) {
        query
            .push(" AND e.submitted_at < ")
            .push_bind(to_db(org_day_start(to)));
    }
}

/// How many evaluations `queue` holds, and one page of them.
pub(crate) async fn queue_page(
    conn: &mut Conn,
    queue: &Queue,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<ReviewItem>), sqlx::Error> {
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM evaluations e");
    push_queue_filters(&mut count, queue);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::new(ITEM_SELECT);
    push_queue_filters(&mut select, queue);
    select.push(match queue.status {
        QueueStatus::UnderReview => " ORDER BY e.submitted_at, e.id",
        QueueStatus::Deleted | QueueStatus::Kept => {
            " ORDER BY last_decision_id DESC NULLS LAST, e.submitted_at DESC, e.id DESC"
        }
    });
    push_page(&mut select, page, per_page);
    let rows: Vec<ItemRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    Ok((total, items(conn, rows).await?))
}

/// How many of an agent's evaluations count in statistics, and their average total score.
pub(crate) async fn agent_standing(
    conn: &mut Conn,
    agent_id: i64,
) -> Result<(i64, Option<f64>), sqlx::Error> {
    sql::query_as(&format!(
        "SELECT COUNT(*), AVG(e.total_score) FROM evaluations e
         WHERE e.agent_id = ? AND {COUNTED}"
    ))
    .bind(agent_id)
    .fetch_one(conn)
    .await
}

/// The evaluation `id` as moderation sees it.
pub(crate) async fn item(conn: &mut Conn, id: i64) -> Result<Option<ReviewItem>, sqlx::Error> {
    let row: Option<ItemRow> = sql::query_as(&format!("{ITEM_SELECT} WHERE e.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(items(conn, vec![row]).await?.pop())
}

/// Every decision on the evaluation `id`, oldest first.
pub(crate) async fn decisions(
    conn: &mut Conn,
    id: i64,
) -> Result<Vec<DecisionRecord>, sqlx::Error> {
    let decisions: Vec<DecisionRow> = sql::query_as(&format!(
        "{DECISION_SELECT} WHERE d.evaluation_id = ? ORDER BY d.id"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    decisions
        .into_iter()
        .map(DecisionRow::into_record)
        .collect()
}

/// The number and moderation status of the evaluation `id`.
pub(crate) async fn number_and_status(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(String, ModerationStatus)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sql::query_as("SELECT number, status FROM evaluations WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|(number, status)| Ok((number, parse_stored(&status, ModerationStatus::parse)?)))
        .transpose()
}

/// Gives an evaluation its decided status and records the decision.
pub(crate) async fn record_decision(
    conn: &mut Conn,
    decided: &DecidedEvaluation,
    decision: Decision,
    reason: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE evaluations SET status = ? WHERE id = ?")
        .bind(decided.status.as_str())
        .bind(decided.id)
        .execute(&mut *conn)
        .await?;
    sql::query(
        "INSERT INTO moderation_decisions (evaluation_id, decision, reason, decided_by, decided_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(decided.id)
    .bind(decision.as_str())
    .bind(reason)
    .bind(by)
    .bind(to_db(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
