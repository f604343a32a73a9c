//! Rectifications as stored: the items found wanting, their owners, results and re-checks.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::qa::{
    ItemResult, Person, Rectification, RectificationResult, RectificationStatus,
    rectification_overdue,
};

use crate::db::parse_stored;
use crate::db::stored_date;
use crate::error::AppError;
use crate::time::{from_db, to_db};

// ---------------------------------------------------------------------------------------------
// Rectifications
// ---------------------------------------------------------------------------------------------

pub(crate) const RECT_SELECT: &str = "SELECT x.id, s.plan_id, p.name AS plan_name, s.id AS sample_id, \
     r.id AS record_id, r.external_id, r.agent_id, a.employee_no AS agent_no, \
     a.display_name AS agent_name, x.item_id, it.name_zh AS item_name_zh, \
     it.name_en AS item_name_en, d.name_zh AS dimension_name_zh, d.name_en AS dimension_name_en, \
     an.result AS found, COALESCE(an.problem, '') AS problem, an.quote, x.owner_id, \
     o.employee_no AS owner_no, o.display_name AS owner_name, x.deadline, x.status, x.result, \
     x.owner_note, x.reported_at, x.check_note, x.checked_by, ck.employee_no AS checker_no, \
     ck.display_name AS checker_name, x.checked_at, i.inspector_id, \
     q.employee_no AS inspector_no, q.display_name AS inspector_name \
     FROM qa_rectifications x \
     JOIN qa_inspections i ON i.id = x.inspection_id \
     JOIN qa_samples s ON s.id = i.sample_id \
     JOIN qa_plans p ON p.id = s.plan_id \
     JOIN service_records r ON r.id = s.service_record_id \
     JOIN users a ON a.id = r.agent_id \
     JOIN qa_items it ON it.id = x.item_id \
     JOIN qa_dimensions d ON d.id = it.dimension_id \
     JOIN qa_answers an ON an.inspection_id = i.id AND an.item_id = x.item_id \
     JOIN users o ON o.id = x.owner_id \
     JOIN users q ON q.id = i.inspector_id \
     LEFT JOIN users ck ON ck.id = x.checked_by";

#[derive(sqlx::FromRow)]
pub(crate) struct RectRow {
    pub(crate) id: i64,
    pub(crate) plan_id: i64,
    pub(crate) plan_name: String,
    pub(crate) sample_id: i64,
    pub(crate) record_id: i64,
    pub(crate) external_id: String,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) item_id: i64,
    pub(crate) item_name_zh: String,
    pub(crate) item_name_en: String,
    pub(crate) dimension_name_zh: String,
    pub(crate) dimension_name_en: String,
    pub(crate) found: String,
    pub(crate) problem: String,
    pub(crate) quote: Option<String>,
    pub(crate) owner_id: i64,
    pub(crate) owner_no: Option<String>,
    pub(crate) owner_name: String,
    pub(crate) deadline: String,
    pub(crate) status: String,
    pub(crate) result: Option<String>,
    pub(crate) owner_note: Option<String>,
    pub(crate) reported_at: Option<String>,
    pub(crate) check_note: Option<String>,
    pub(crate) checked_by: Option<i64>,
    pub(crate) checker_no: Option<String>,
    pub(crate) checker_name: Option<String>,
    pub(crate) checked_at: Option<String>,
    pub(crate) inspector_id: i64,
    pub(crate) inspector_no: Option<String>,
    pub(crate) inspector_name: String,
}

impl RectRow {
    pub(crate) fn into_rectification(self, today: NaiveDate) -> Result<Rectification, sqlx::Error> {
        let status = parse_stored(&self.status, RectificationStatus::parse)?;
        let deadline = stored_date(&self.deadline)?;
        Ok(Rectification {
            id: self.id,
            plan_id: self.plan_id,
            plan_name: self.plan_name,
            sample_id: self.sample_id,
            record_id: self.record_id,
            external_id: self.external_id,
            agent: Person {
                id: self.agent_id,
                no: self.agent_no.unwrap_or_default(),
                name: self.agent_name,
            },
            item_id: self.item_id,
            item_name_zh: self.item_name_zh,
            item_name_en: self.item_name_en,
            dimension_name_zh: self.dimension_name_zh,
            dimension_name_en: self.dimension_name_en,
            result_found: parse_stored(&self.found, ItemResult::parse)?,
            problem: self.problem,
            quote: self.quote,
            owner: Person {
                id: self.owner_id,
                no: self.owner_no.unwrap_or_default(),
                name: self.owner_name,
            },
            deadline,
            status,
            overdue: rectification_overdue(status, deadline, today),
            result: self
                .result
                .as_deref()
                .map(|r| parse_stored(r, RectificationResult::parse))
                .transpose()?,
            owner_note: self.owner_note,
            reported_at: self.reported_at.as_deref().map(from_db).transpose()?,
            check_note: self.check_note,
            checked_by: self.checked_by.map(|id| Person {
                id,
                no: self.checker_no.unwrap_or_default(),
                name: self.checker_name.unwrap_or_default(),
            }),
            checked_at: self.checked_at.as_deref().map(from_db).transpose()?,
            inspector: Person {
                id: self.inspector_id,
                no: self.inspector_no.unwrap_or_default(),
                name: self.inspector_name,
            },
        })
    }
}

pub(crate) async fn rectifications_where(
    conn: &mut Conn,
    condition: &str,
    binds: &[i64],
    today: NaiveDate,
) -> Result<Vec<Rectification>, AppError> {
    let sql = format!("{RECT_SELECT} WHERE {condition} ORDER BY x.deadline, x.id");
    let mut query = sql::query_as::<RectRow>(&sql);
    for bind in binds {
        query = query.bind(bind);
    }
    let rows = query.fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_rectification(today))
        .collect::<Result<_, _>>()?)
}

pub(crate) async fn rectification(
    conn: &mut Conn,
    id: i64,
    today: NaiveDate,
) -> Result<Rectification, AppError> {
    rectifications_where(conn, "x.id = ?", &[id], today)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("The rectification {id}")))
}

/// Opens the rectification of item `item_id` of inspection `inspection_id`, owned by
/// `owner_id` until `deadline`, and records its `rectification.assigned` event: what an item
/// found wanting gets when its inspection is saved, or when a dispute's decision finds it
/// wanting. Its id.
pub(crate) async fn open_rectification(
    tx: &mut Conn,
    inspection_id: i64,
    item_id: i64,
    owner_id: i64,
    deadline: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let rectification: i64 = sql::query_scalar(
        "INSERT INTO qa_rectifications (inspection_id, item_id, owner_id, deadline)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(inspection_id)
    .bind(item_id)
    .bind(owner_id)
    .bind(deadline.to_string())
    .fetch_one(&mut *tx)
    .await?;
    crate::db::events::record(
        &mut *tx,
        pingjia_domain::events::EventType::RectificationAssigned,
        ("rectification", rectification),
        &format!("rectification.assigned:{rectification}"),
        now,
    )
    .await?;
    Ok(rectification)
}

/// Records the owner's report on the rectification `id`: its result and note.
pub(crate) async fn record_report(
    conn: &mut Conn,
    id: i64,
    result: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE qa_rectifications SET status = 'reported', result = ?, owner_note = ?,
                                      reported_at = ?
         WHERE id = ?",
    )
    .bind(result)
    .bind(note)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the inspector's re-check of the rectification `id` by `by`: closed when accepted,
/// open again otherwise.
pub(crate) async fn record_recheck(
    conn: &mut Conn,
    id: i64,
    accepted: bool,
    note: Option<&str>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE qa_rectifications SET status = ?, check_note = ?, checked_by = ?, checked_at = ?
         WHERE id = ?",
    )
    .bind(if accepted { "closed" } else { "open" })
    .bind(note)
    .bind(by)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
