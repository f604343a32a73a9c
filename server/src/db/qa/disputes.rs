//! Disputes of a QA score as stored (migration 0040): the dispute and its items, the decision
//! written over the inspection's answers and scores, the inspection's versions, and the
//! dispute rates of a plan's report.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pingjia_domain::qa::{
    DimensionScore, Dispute, DisputeDecision, DisputeItem, DisputeOutcome, DisputeStatus,
    InspectionVersion, InspectorDisputes, ItemAnswer, ItemDisputes, ItemResult, Person,
};

use super::{count, person};
use crate::db::parse_stored;
use crate::db::small;
use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use crate::error::AppError;
use crate::time::{from_db, to_db};

const DISPUTE_SELECT: &str = "SELECT d.id, d.sample_id, s.plan_id, p.name AS plan_name, \
     r.external_id, a.id AS agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, \
     d.inspector_id, iu.employee_no AS inspector_no, iu.display_name AS inspector_name, \
     d.filed_by, f.employee_no AS filed_no, f.display_name AS filed_name, d.filed_at, d.status, \
     d.qa_score_before, d.qa_score_after, d.decided_by, x.employee_no AS decided_no, \
     x.display_name AS decided_name, d.decided_at \
     FROM qa_disputes d JOIN qa_samples s ON s.id = d.sample_id \
     JOIN qa_plans p ON p.id = s.plan_id JOIN service_records r ON r.id = s.service_record_id \
     JOIN users a ON a.id = r.agent_id JOIN users iu ON iu.id = d.inspector_id \
     JOIN users f ON f.id = d.filed_by LEFT JOIN users x ON x.id = d.decided_by WHERE 1 = 1";

#[derive(sqlx::FromRow)]
struct DisputeRow {
    id: i64,
    sample_id: i64,
    plan_id: i64,
    plan_name: String,
    external_id: String,
    agent_id: i64,
    agent_no: Option<String>,
    agent_name: String,
    inspector_id: i64,
    inspector_no: Option<String>,
    inspector_name: String,
    filed_by: i64,
    filed_no: Option<String>,
    filed_name: String,
    filed_at: String,
    status: String,
    qa_score_before: f64,
    qa_score_after: Option<f64>,
    decided_by: Option<i64>,
    decided_no: Option<String>,
    decided_name: Option<String>,
    decided_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    dispute_id: i64,
    item_id: i64,
    item_name_zh: String,
    item_name_en: String,
    dimension_id: i64,
    dimension_name_zh: String,
    dimension_name_en: String,
    reason: String,
    result_before: String,
    score_before: i64,
    outcome: Option<String>,
    result_after: Option<String>,
    score_after: Option<i64>,
    decision_reason: Option<String>,
}

fn who(id: i64, no: Option<String>, name: String) -> Person {
    Person {
        id,
        no: no.unwrap_or_default(),
        name,
    }
}

impl ItemRow {
    fn into_item(self) -> Result<DisputeItem, sqlx::Error> {
        Ok(DisputeItem {
            item_id: self.item_id,
            item_name_zh: self.item_name_zh,
            item_name_en: self.item_name_en,
            dimension_id: self.dimension_id,
            dimension_name_zh: self.dimension_name_zh,
            dimension_name_en: self.dimension_name_en,
            reason: self.reason,
            result_before: parse_stored(&self.result_before, ItemResult::parse)?,
            score_before: small("score", self.score_before)?,
            outcome: (self.outcome.as_deref())
                .map(|o| parse_stored(o, DisputeOutcome::parse))
                .transpose()?,
            result_after: (self.result_after.as_deref())
                .map(|r| parse_stored(r, ItemResult::parse))
                .transpose()?,
            score_after: self.score_after.map(|s| small("score", s)).transpose()?,
            decision_reason: self.decision_reason,
        })
    }
}

/// The disputes of `rows` with their items, in the rows' order.
async fn with_items(conn: &mut Conn, rows: Vec<DisputeRow>) -> Result<Vec<Dispute>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(
        "SELECT di.dispute_id, di.item_id, it.name_zh AS item_name_zh, it.name_en AS item_name_en, \
         dm.id AS dimension_id, dm.name_zh AS dimension_name_zh, \
         dm.name_en AS dimension_name_en, di.reason, di.result_before, di.score_before, \
         di.outcome, di.result_after, di.score_after, di.decision_reason \
         FROM qa_dispute_items di JOIN qa_items it ON it.id = di.item_id \
         JOIN qa_dimensions dm ON dm.id = it.dimension_id WHERE di.dispute_id IN (",
    );
    let mut ids = q.separated(", ");
    for r in &rows {
        ids.push_bind(r.id);
    }
    q.push(") ORDER BY dm.position, it.position");
    let items: Vec<ItemRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut by_dispute: HashMap<i64, Vec<DisputeItem>> = HashMap::new();
    for item in items {
        by_dispute
            .entry(item.dispute_id)
            .or_default()
            .push(item.into_item()?);
    }
    rows.into_iter()
        .map(|r| {
            Ok(Dispute {
                items: by_dispute.remove(&r.id).unwrap_or_default(),
                id: r.id,
                sample_id: r.sample_id,
                plan_id: r.plan_id,
                plan_name: r.plan_name,
                external_id: r.external_id,
                agent: who(r.agent_id, r.agent_no, r.agent_name),
                inspector: who(r.inspector_id, r.inspector_no, r.inspector_name),
                filed_by: who(r.filed_by, r.filed_no, r.filed_name),
                filed_at: from_db(&r.filed_at)?,
                status: parse_stored(&r.status, DisputeStatus::parse)?,
                qa_score_before: r.qa_score_before,
                qa_score_after: r.qa_score_after,
                decided_by: r
                    .decided_by
                    .map(|id| who(id, r.decided_no, r.decided_name.unwrap_or_default())),
                decided_at: r.decided_at.as_deref().map(from_db).transpose()?,
                may_decide: false,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

async fn dispute_where(
    conn: &mut Conn,
    column: &str,
    value: i64,
) -> Result<Option<Dispute>, AppError> {
    let mut q = QueryBuilder::new(DISPUTE_SELECT);
    q.push(format!(" AND d.{column} = ")).push_bind(value);
    let rows: Vec<DisputeRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(with_items(conn, rows).await?.pop())
}

/// The dispute `id`.
pub(crate) async fn dispute(conn: &mut Conn, id: i64) -> Result<Option<Dispute>, AppError> {
    dispute_where(conn, "id", id).await
}

/// The dispute of the inspection of sample `sample_id`, if one was filed.
pub(crate) async fn dispute_of_sample(
    conn: &mut Conn,
    sample_id: i64,
) -> Result<Option<Dispute>, AppError> {
    dispute_where(conn, "sample_id", sample_id).await
}

/// The state of the dispute of each of `samples` that has one.
pub(crate) async fn dispute_states(
    conn: &mut Conn,
    samples: &[i64],
) -> Result<HashMap<i64, DisputeStatus>, AppError> {
    if samples.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = QueryBuilder::new("SELECT sample_id, status FROM qa_disputes WHERE sample_id IN (");
    let mut ids = q.separated(", ");
    for s in samples {
        ids.push_bind(*s);
    }
    q.push(")");
    let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(conn).await?;
    rows.into_iter()
        .map(|(s, status)| Ok((s, parse_stored(&status, DisputeStatus::parse)?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// A disputed item as filed: item, reason, its result and its dimension's score then.
pub(crate) struct FiledItem<'a> {
    pub(crate) item_id: i64,
    pub(crate) reason: &'a str,
    pub(crate) result: ItemResult,
    pub(crate) score: u8,
}

/// Files the dispute of sample `sample_id`'s inspection (by `inspector_id`, QA score
/// `qa_score`) by `filed_by`; `None` when one was filed already (the sample is unique).
pub(crate) async fn insert_dispute(
    tx: &mut Conn,
    sample_id: i64,
    inspector_id: i64,
    filed_by: i64,
    qa_score: f64,
    items: &[FiledItem<'_>],
    now: DateTime<Utc>,
) -> Result<Option<i64>, AppError> {
    let id: Option<i64> = sql::query_scalar(
        "INSERT INTO qa_disputes (sample_id, inspector_id, filed_by, filed_at, qa_score_before)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (sample_id) DO NOTHING RETURNING id",
    )
    .bind(sample_id)
    .bind(inspector_id)
    .bind(filed_by)
    .bind(to_db(now))
    .bind(qa_score)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    for item in items {
        sql::query(
            "INSERT INTO qa_dispute_items (dispute_id, item_id, reason, result_before, score_before)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(item.item_id)
        .bind(item.reason.trim())
        .bind(item.result.as_str())
        .bind(i64::from(item.score))
        .execute(&mut *tx)
        .await?;
    }
    Ok(Some(id))
}

/// Records the decision of the open dispute `id` by `by`; false when it is no longer open.
pub(crate) async fn record_decision(
    tx: &mut Conn,
    id: i64,
    decision: &DisputeDecision,
    qa_score_after: f64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let done = sql::query(
        "UPDATE qa_disputes SET status = 'decided', qa_score_after = ?, decided_by = ?,
         decided_at = ? WHERE id = ? AND status = 'open'",
    )
    .bind(qa_score_after)
    .bind(by)
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    for d in &decision.items {
        let changed = d.outcome == DisputeOutcome::Changed;
        sql::query(
            "UPDATE qa_dispute_items SET outcome = ?, result_after = ?, score_after = ?,
             decision_reason = ? WHERE dispute_id = ? AND item_id = ?",
        )
        .bind(d.outcome.as_str())
        .bind(d.result.filter(|_| changed).map(|r| r.as_str()))
        .bind(d.score.filter(|_| changed).map(i64::from))
        .bind(d.reason.trim())
        .bind(id)
        .bind(d.item_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(true)
}

/// Writes the decided answers and scores over inspection `inspection_id`'s, with its QA score.
pub(crate) async fn overwrite_inspection(
    tx: &mut Conn,
    inspection_id: i64,
    answers: &[ItemAnswer],
    scores: &[DimensionScore],
    qa_score: f64,
) -> Result<(), AppError> {
    for a in answers {
        sql::query(
            "UPDATE qa_answers SET result = ?, problem = ? WHERE inspection_id = ? AND item_id = ?",
        )
        .bind(a.result.as_str())
        .bind(a.problem.as_deref())
        .bind(inspection_id)
        .bind(a.item_id)
        .execute(&mut *tx)
        .await?;
    }
    for s in scores {
        sql::query("UPDATE qa_scores SET score = ? WHERE inspection_id = ? AND dimension_id = ?")
            .bind(i64::from(s.score))
            .bind(inspection_id)
            .bind(s.dimension_id)
            .execute(&mut *tx)
            .await?;
    }
    sql::query("UPDATE qa_inspections SET qa_score = ? WHERE id = ?")
        .bind(qa_score)
        .bind(inspection_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Closes the rectifications of `items` of inspection `inspection_id` not yet closed (their
/// item no longer found wanting), noting the decision's `note` as the check by `by`.
pub(crate) async fn close_rectifications(
    tx: &mut Conn,
    inspection_id: i64,
    items: &[i64],
    note: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let mut closed = 0;
    for item in items {
        closed += sql::query(
            "UPDATE qa_rectifications SET status = 'closed', check_note = ?, checked_by = ?,
             checked_at = ? WHERE inspection_id = ? AND item_id = ? AND status <> 'closed'",
        )
        .bind(note)
        .bind(by)
        .bind(to_db(now))
        .bind(inspection_id)
        .bind(*item)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    Ok(closed)
}

/// A version to keep: its number is the next of the sample's.
pub(crate) struct NewVersion<'a> {
    pub(crate) saved_at: DateTime<Utc>,
    pub(crate) saved_by: i64,
    pub(crate) dispute_id: Option<i64>,
    pub(crate) qa_score: f64,
    pub(crate) answers: &'a [ItemAnswer],
    pub(crate) scores: &'a [DimensionScore],
}

/// Keeps `version` of sample `sample_id`'s inspection as the next version.
pub(crate) async fn push_version(
    tx: &mut Conn,
    sample_id: i64,
    version: &NewVersion<'_>,
) -> Result<(), AppError> {
    let answers = serde_json::to_string(version.answers)
        .map_err(|e| AppError::Internal(format!("an inspection's answers: {e}")))?;
    let scores = serde_json::to_string(version.scores)
        .map_err(|e| AppError::Internal(format!("an inspection's scores: {e}")))?;
    sql::query(
        "INSERT INTO qa_inspection_versions
           (sample_id, version, saved_at, saved_by, dispute_id, qa_score, answers_json, scores_json)
         SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ?, ?, ?
         FROM qa_inspection_versions WHERE sample_id = ?",
    )
    .bind(sample_id)
    .bind(to_db(version.saved_at))
    .bind(version.saved_by)
    .bind(version.dispute_id)
    .bind(version.qa_score)
    .bind(answers)
    .bind(scores)
    .bind(sample_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// version, saved at, by, dispute, QA score, answers, scores.
type VersionRow = (i64, String, i64, Option<i64>, f64, String, String);

/// The versions kept of sample `sample_id`'s inspection, the original first (none until a
/// dispute changed it).
pub(crate) async fn versions(
    conn: &mut Conn,
    sample_id: i64,
) -> Result<Vec<InspectionVersion>, AppError> {
    let rows: Vec<VersionRow> = sql::query_as(
        "SELECT version, saved_at, saved_by, dispute_id, qa_score, answers_json, scores_json
         FROM qa_inspection_versions WHERE sample_id = ? ORDER BY version",
    )
    .bind(sample_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (version, saved_at, saved_by, dispute_id, qa_score, answers, scores) in rows {
        let decode = |e: serde_json::Error| sqlx::Error::Decode(e.into());
        out.push(InspectionVersion {
            version: u32::try_from(version).unwrap_or(0),
            saved_at: from_db(&saved_at)?,
            saved_by: person(&mut *conn, saved_by).await?,
            dispute_id,
            qa_score,
            answers: serde_json::from_str(&answers).map_err(decode)?,
            scores: serde_json::from_str(&scores).map_err(decode)?,
        });
    }
    Ok(out)
}

/// What the reviewers' list is filtered by.
#[derive(Debug, Default)]
pub(crate) struct DisputeFilter {
    pub(crate) status: Option<DisputeStatus>,
    pub(crate) plan_id: Option<i64>,
    pub(crate) inspector_id: Option<i64>,
}

fn push_filter(q: &mut QueryBuilder<'_>, filter: &DisputeFilter, with_status: bool) {
    if let Some(status) = filter.status.filter(|_| with_status) {
        q.push(" AND d.status = ").push_bind(status.as_str());
    }
    if let Some(plan) = filter.plan_id {
        q.push(" AND s.plan_id = ").push_bind(plan);
    }
    if let Some(inspector) = filter.inspector_id {
        q.push(" AND d.inspector_id = ").push_bind(inspector);
    }
}

/// A page of disputes: open ones first, the longest waiting first; then decided ones, the
/// latest decided first.
pub(crate) async fn dispute_page(
    conn: &mut Conn,
    filter: &DisputeFilter,
    page: u32,
    per_page: u32,
) -> Result<Vec<Dispute>, AppError> {
    let mut q = QueryBuilder::new(DISPUTE_SELECT);
    push_filter(&mut q, filter, true);
    q.push(
        " ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, \
         CASE WHEN d.status = 'open' THEN d.filed_at END, d.decided_at DESC, d.id",
    );
    q.push(" LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page.saturating_sub(1)) * i64::from(per_page));
    let rows: Vec<DisputeRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    with_items(conn, rows).await
}

/// Open and decided disputes under the filter's plan and inspector.
pub(crate) async fn dispute_counts(
    conn: &mut Conn,
    filter: &DisputeFilter,
) -> Result<(u64, u64), AppError> {
    let mut q = QueryBuilder::new(
        "SELECT COALESCE(SUM(CASE WHEN d.status = 'open' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN d.status = 'decided' THEN 1 ELSE 0 END), 0) \
         FROM qa_disputes d JOIN qa_samples s ON s.id = d.sample_id WHERE 1 = 1",
    );
    push_filter(&mut q, filter, false);
    let (open, decided): (i64, i64) = q.build_query_as().fetch_one(conn).await?;
    Ok((count(open), count(decided)))
}

/// Per inspector of plan `plan_id`: inspections, disputes, disputes that changed something.
pub(crate) async fn inspector_disputes(
    conn: &mut Conn,
    plan_id: i64,
) -> Result<Vec<InspectorDisputes>, AppError> {
    let rows: Vec<(i64, Option<String>, String, i64, i64, i64)> = sql::query_as(
        "SELECT u.id, u.employee_no, u.display_name, COUNT(*),
                COUNT(d.id),
                COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM qa_dispute_items di
                     WHERE di.dispute_id = d.id AND di.outcome = 'changed') THEN 1 ELSE 0 END), 0)
         FROM qa_inspections i JOIN qa_samples s ON s.id = i.sample_id
         JOIN users u ON u.id = i.inspector_id
         LEFT JOIN qa_disputes d ON d.sample_id = s.id
         WHERE s.plan_id = ? GROUP BY u.id, u.employee_no, u.display_name ORDER BY u.employee_no",
    )
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, no, name, inspected, disputed, changed)| InspectorDisputes {
                inspector: who(id, no, name),
                inspected: count(inspected),
                disputed: count(disputed),
                changed: count(changed),
            },
        )
        .collect())
}

/// Per item disputed in plan `plan_id`: inspections that answered it, disputes, changes; in
/// the checklist's order.
pub(crate) async fn item_disputes(
    conn: &mut Conn,
    plan_id: i64,
) -> Result<Vec<ItemDisputes>, AppError> {
    let rows: Vec<(i64, String, String, i64, i64, i64)> = sql::query_as(
        "SELECT it.id, it.name_zh, it.name_en,
                (SELECT COUNT(*) FROM qa_answers an JOIN qa_inspections i2 ON i2.id = an.inspection_id
                 JOIN qa_samples s2 ON s2.id = i2.sample_id
                 WHERE s2.plan_id = ? AND an.item_id = it.id),
                COUNT(*),
                COALESCE(SUM(CASE WHEN di.outcome = 'changed' THEN 1 ELSE 0 END), 0)
         FROM qa_dispute_items di JOIN qa_disputes d ON d.id = di.dispute_id
         JOIN qa_samples s ON s.id = d.sample_id JOIN qa_items it ON it.id = di.item_id
         JOIN qa_dimensions dm ON dm.id = it.dimension_id
         WHERE s.plan_id = ?
         GROUP BY it.id, it.name_zh, it.name_en, dm.position, it.position
         ORDER BY dm.position, it.position",
    )
    .bind(plan_id)
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(item_id, item_name_zh, item_name_en, inspected, disputed, changed)| ItemDisputes {
                item_id,
                item_name_zh,
                item_name_en,
                inspected: count(inspected),
                disputed: count(disputed),
                changed: count(changed),
            },
        )
        .collect())
}
