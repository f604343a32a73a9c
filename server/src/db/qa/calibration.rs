//! Calibration sessions between QA inspectors (issue 25) as stored: the session, its records
//! and inspectors, each inspector's answers, the agreed answers and notes, and the items'
//! guidance. Kept apart from the inspections (no kept sum, report or agent page reads them).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use pingjia_domain::qa::{
    AgreedAnswers, AgreedComparison, CalibrationAnswers, CalibrationInspector,
    CalibrationItemAnswer, CalibrationRecord, CalibrationScore, CalibrationStatus,
    CalibrationSummary, ComparedAnswer, InspectorAnswers, ItemGuidance, ItemNote, ItemResult,
    NewCalibration, Person,
};

use crate::db::records::load_conversation;
use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use crate::db::{parse_stored, push_page, small};
use crate::error::AppError;
use crate::time::{from_db, org_day_start, org_zone, to_db};

use super::count;

const SUMMARY_SELECT: &str = "SELECT c.id, c.name, c.template_id, t.name_zh AS template_name_zh, \
     t.name_en AS template_name_en, c.created_by, u.employee_no AS lead_no, \
     u.display_name AS lead_name, c.status, c.created_at, c.closed_at, c.agreed_at, \
     (SELECT COUNT(*) FROM qa_calibration_records r WHERE r.calibration_id = c.id) AS record_count, \
     (SELECT COUNT(*) FROM qa_calibration_inspectors i WHERE i.calibration_id = c.id) \
       AS inspector_count, \
     (SELECT COUNT(*) FROM qa_calibration_inspectors i WHERE i.calibration_id = c.id \
       AND i.submitted_at IS NOT NULL) AS submitted_count, \
     EXISTS (SELECT 1 FROM qa_calibration_inspectors i WHERE i.calibration_id = c.id \
       AND i.submitted_at IS NULL AND i.user_id = ";

const SUMMARY_FROM: &str = ") AS my_turn \
     FROM qa_calibrations c \
     JOIN qa_templates t ON t.id = c.template_id \
     JOIN users u ON u.id = c.created_by";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    template_id: i64,
    template_name_zh: String,
    template_name_en: String,
    created_by: i64,
    lead_no: Option<String>,
    lead_name: String,
    status: String,
    created_at: String,
    closed_at: Option<String>,
    agreed_at: Option<String>,
    record_count: i64,
    inspector_count: i64,
    submitted_count: i64,
    my_turn: bool,
}

impl SummaryRow {
    fn summary(self) -> Result<CalibrationSummary, sqlx::Error> {
        let status = parse_stored(&self.status, CalibrationStatus::parse)?;
        Ok(CalibrationSummary {
            id: self.id,
            name: self.name,
            template_id: self.template_id,
            template_name_zh: self.template_name_zh,
            template_name_en: self.template_name_en,
            lead: Person {
                id: self.created_by,
                no: self.lead_no.unwrap_or_default(),
                name: self.lead_name,
            },
            status,
            created_at: from_db(&self.created_at)?,
            closed_at: self.closed_at.as_deref().map(from_db).transpose()?,
            record_count: u32::try_from(self.record_count).unwrap_or(0),
            inspector_count: u32::try_from(self.inspector_count).unwrap_or(0),
            submitted_count: u32::try_from(self.submitted_count).unwrap_or(0),
            agreed: self.agreed_at.is_some(),
            my_turn: self.my_turn && status == CalibrationStatus::Open,
        })
    }
}

fn push_status(q: &mut QueryBuilder<'_>, status: Option<CalibrationStatus>) {
    if let Some(status) = status {
        q.push(" WHERE c.status = ").push_bind(status.as_str());
    }
}

/// A page of sessions (of `status` when given), newest first, with the caller `me`'s turn.
pub(crate) async fn calibration_page(
    conn: &mut Conn,
    status: Option<CalibrationStatus>,
    me: i64,
    page: u32,
    per_page: u32,
) -> Result<(Vec<CalibrationSummary>, u64), AppError> {
    let mut q = QueryBuilder::new(SUMMARY_SELECT);
    q.push_bind(me).push(SUMMARY_FROM);
    push_status(&mut q, status);
    q.push(" ORDER BY c.created_at DESC, c.id DESC");
    push_page(&mut q, page, per_page);
    let rows: Vec<SummaryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let sessions = rows
        .into_iter()
        .map(SummaryRow::summary)
        .collect::<Result<_, _>>()?;
    let mut q = QueryBuilder::new("SELECT COUNT(*) FROM qa_calibrations c");
    push_status(&mut q, status);
    let total: i64 = q.build_query_scalar().fetch_one(&mut *conn).await?;
    Ok((sessions, count(total)))
}

/// The session `id` as the caller `me` sees it in the list; 404 when there is none.
pub(crate) async fn calibration_summary(
    conn: &mut Conn,
    id: i64,
    me: i64,
) -> Result<CalibrationSummary, AppError> {
    let mut q = QueryBuilder::new(SUMMARY_SELECT);
    q.push_bind(me)
        .push(SUMMARY_FROM)
        .push(" WHERE c.id = ")
        .push_bind(id);
    let row: Option<SummaryRow> = q.build_query_as().fetch_optional(&mut *conn).await?;
    let row = row.ok_or_else(|| AppError::NotFound(format!("The calibration session {id}")))?;
    Ok(row.summary()?)
}

/// The ids of the service records numbered `numbers`, in order (`None`: no such record).
pub(crate) async fn record_ids_by_number(
    conn: &mut Conn,
    numbers: &[String],
) -> Result<Vec<Option<i64>>, AppError> {
    let mut ids = Vec::new();
    for number in numbers {
        let id: Option<i64> =
            sql::query_scalar("SELECT id FROM service_records WHERE external_id = ?")
                .bind(number.trim())
                .fetch_optional(&mut *conn)
                .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Writes a new session of `new` with the records `record_ids`, started by `lead` at `now`.
pub(crate) async fn insert_calibration(
    conn: &mut Conn,
    new: &NewCalibration,
    record_ids: &[i64],
    lead: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let id: i64 = sql::query_scalar(
        "INSERT INTO qa_calibrations (name, template_id, created_by, created_at)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(new.name.trim())
    .bind(new.template_id)
    .bind(lead)
    .bind(to_db(now))
    .fetch_one(&mut *conn)
    .await?;
    for (position, record) in record_ids.iter().enumerate() {
        sql::query(
            "INSERT INTO qa_calibration_records (calibration_id, service_record_id, position)
             VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(*record)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    for inspector in &new.inspector_ids {
        sql::query("INSERT INTO qa_calibration_inspectors (calibration_id, user_id) VALUES (?, ?)")
            .bind(id)
            .bind(*inspector)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// The records of session `id` in order, with their conversations.
pub(crate) async fn calibration_records(
    conn: &mut Conn,
    id: i64,
) -> Result<Vec<CalibrationRecord>, AppError> {
    let rows: Vec<(i64, String, i64, Option<String>, String, String)> = sql::query_as(
        "SELECT r.id, r.external_id, a.id, a.employee_no, a.display_name, r.ended_at
         FROM qa_calibration_records cr
         JOIN service_records r ON r.id = cr.service_record_id
         JOIN users a ON a.id = r.agent_id
         WHERE cr.calibration_id = ? ORDER BY cr.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut records = Vec::new();
    for (record, external_id, agent, no, name, ended_at) in rows {
        records.push(CalibrationRecord {
            id: record,
            external_id,
            agent: Person {
                id: agent,
                no: no.unwrap_or_default(),
                name,
            },
            ended_at: from_db(&ended_at)?,
            conversation: load_conversation(conn, record).await?,
        });
    }
    Ok(records)
}

/// The inspectors of session `id`, by staff number.
pub(crate) async fn calibration_inspectors(
    conn: &mut Conn,
    id: i64,
) -> Result<Vec<CalibrationInspector>, AppError> {
    let rows: Vec<(i64, Option<String>, String, Option<String>)> = sql::query_as(
        "SELECT u.id, u.employee_no, u.display_name, i.submitted_at
         FROM qa_calibration_inspectors i JOIN users u ON u.id = i.user_id
         WHERE i.calibration_id = ? ORDER BY u.employee_no, u.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, no, name, submitted)| {
            Ok(CalibrationInspector {
                person: Person {
                    id,
                    no: no.unwrap_or_default(),
                    name,
                },
                submitted_at: submitted.as_deref().map(from_db).transpose()?,
            })
        })
        .collect()
}

/// The answers of session `id` of each of `inspector_ids` who has answered, in that order.
pub(crate) async fn load_answers(
    conn: &mut Conn,
    id: i64,
    inspector_ids: &[i64],
) -> Result<Vec<InspectorAnswers>, AppError> {
    let mut all = Vec::new();
    for &user in inspector_ids {
        let answers: Vec<(i64, i64, String)> = sql::query_as(
            "SELECT service_record_id, item_id, result FROM qa_calibration_answers
             WHERE calibration_id = ? AND user_id = ? ORDER BY service_record_id, item_id",
        )
        .bind(id)
        .bind(user)
        .fetch_all(&mut *conn)
        .await?;
        let scores: Vec<(i64, i64, i64)> = sql::query_as(
            "SELECT service_record_id, dimension_id, score FROM qa_calibration_scores
             WHERE calibration_id = ? AND user_id = ? ORDER BY service_record_id, dimension_id",
        )
        .bind(id)
        .bind(user)
        .fetch_all(&mut *conn)
        .await?;
        if answers.is_empty() && scores.is_empty() {
            continue;
        }
        all.push(InspectorAnswers {
            inspector_id: user,
            answers: CalibrationAnswers {
                answers: item_answers(answers)?,
                scores: score_rows(scores)?,
            },
        });
    }
    Ok(all)
}

fn item_answers(rows: Vec<(i64, i64, String)>) -> Result<Vec<CalibrationItemAnswer>, AppError> {
    Ok(rows
        .into_iter()
        .map(|(record_id, item_id, result)| {
            Ok::<_, sqlx::Error>(CalibrationItemAnswer {
                record_id,
                item_id,
                result: parse_stored(&result, ItemResult::parse)?,
            })
        })
        .collect::<Result<_, _>>()?)
}

fn score_rows(rows: Vec<(i64, i64, i64)>) -> Result<Vec<CalibrationScore>, AppError> {
    Ok(rows
        .into_iter()
        .map(|(record_id, dimension_id, score)| {
            Ok::<_, sqlx::Error>(CalibrationScore {
                record_id,
                dimension_id,
                score: small("calibration score", score)?,
            })
        })
        .collect::<Result<_, _>>()?)
}

/// Replaces `user`'s answers on session `id` and marks them submitted at `now`.
pub(crate) async fn write_answers(
    conn: &mut Conn,
    id: i64,
    user: i64,
    answers: &CalibrationAnswers,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for table in ["qa_calibration_answers", "qa_calibration_scores"] {
        sql::query(&format!(
            "DELETE FROM {table} WHERE calibration_id = ? AND user_id = ?"
        ))
        .bind(id)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    for a in &answers.answers {
        sql::query(
            "INSERT INTO qa_calibration_answers
                 (calibration_id, user_id, service_record_id, item_id, result)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(user)
        .bind(a.record_id)
        .bind(a.item_id)
        .bind(a.result.as_str())
        .execute(&mut *conn)
        .await?;
    }
    for s in &answers.scores {
        sql::query(
            "INSERT INTO qa_calibration_scores
                 (calibration_id, user_id, service_record_id, dimension_id, score)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(user)
        .bind(s.record_id)
        .bind(s.dimension_id)
        .bind(i64::from(s.score))
        .execute(&mut *conn)
        .await?;
    }
    sql::query(
        "UPDATE qa_calibration_inspectors SET submitted_at = ? WHERE calibration_id = ? AND user_id = ?",
    )
    .bind(to_db(now))
    .bind(id)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Closes session `id` at `now` (nothing more is scored; the results show).
pub(crate) async fn close_calibration(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sql::query(
        "UPDATE qa_calibrations SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The agreed answers and notes of session `id`, `None` before the lead recorded any.
pub(crate) async fn load_agreed(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<AgreedAnswers>, AppError> {
    let agreed_at: Option<Option<String>> =
        sql::query_scalar("SELECT agreed_at FROM qa_calibrations WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if agreed_at.flatten().is_none() {
        return Ok(None);
    }
    let answers: Vec<(i64, i64, String)> = sql::query_as(
        "SELECT service_record_id, item_id, result FROM qa_calibration_agreed
         WHERE calibration_id = ? ORDER BY service_record_id, item_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let scores: Vec<(i64, i64, i64)> = sql::query_as(
        "SELECT service_record_id, dimension_id, score FROM qa_calibration_agreed_scores
         WHERE calibration_id = ? ORDER BY service_record_id, dimension_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let notes: Vec<(i64, String)> = sql::query_as(
        "SELECT item_id, note FROM qa_calibration_notes WHERE calibration_id = ? ORDER BY item_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(AgreedAnswers {
        answers: item_answers(answers)?,
        scores: score_rows(scores)?,
        notes: notes
            .into_iter()
            .map(|(item_id, note)| ItemNote { item_id, note })
            .collect(),
    }))
}

/// Replaces the agreed answers and notes of session `id`; each non-empty note becomes its
/// item's guidance.
pub(crate) async fn write_agreed(
    conn: &mut Conn,
    id: i64,
    agreed: &AgreedAnswers,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for table in [
        "qa_calibration_agreed",
        "qa_calibration_agreed_scores",
        "qa_calibration_notes",
    ] {
        sql::query(&format!("DELETE FROM {table} WHERE calibration_id = ?"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for a in &agreed.answers {
        sql::query(
            "INSERT INTO qa_calibration_agreed (calibration_id, service_record_id, item_id, result)
             VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(a.record_id)
        .bind(a.item_id)
        .bind(a.result.as_str())
        .execute(&mut *conn)
        .await?;
    }
    for s in &agreed.scores {
        sql::query(
            "INSERT INTO qa_calibration_agreed_scores
                 (calibration_id, service_record_id, dimension_id, score)
             VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(s.record_id)
        .bind(s.dimension_id)
        .bind(i64::from(s.score))
        .execute(&mut *conn)
        .await?;
    }
    for n in agreed.notes.iter().filter(|n| !n.note.trim().is_empty()) {
        let note = n.note.trim();
        sql::query(
            "INSERT INTO qa_calibration_notes (calibration_id, item_id, note) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(n.item_id)
        .bind(note)
        .execute(&mut *conn)
        .await?;
        sql::query(
            "INSERT INTO qa_item_guidance (item_id, note, calibration_id, updated_at)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (item_id) DO UPDATE SET note = excluded.note,
                 calibration_id = excluded.calibration_id, updated_at = excluded.updated_at",
        )
        .bind(n.item_id)
        .bind(note)
        .bind(id)
        .bind(to_db(now))
        .execute(&mut *conn)
        .await?;
    }
    sql::query("UPDATE qa_calibrations SET agreed_at = ? WHERE id = ?")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The guidance of the items of template `template_id`.
pub(crate) async fn template_guidance(
    conn: &mut Conn,
    template_id: i64,
) -> Result<Vec<ItemGuidance>, AppError> {
    let rows: Vec<(i64, String, i64, String)> = sql::query_as(
        "SELECT g.item_id, g.note, g.calibration_id, g.updated_at
         FROM qa_item_guidance g
         JOIN qa_items i ON i.id = g.item_id
         JOIN qa_dimensions d ON d.id = i.dimension_id
         WHERE d.template_id = ? ORDER BY d.position, i.position",
    )
    .bind(template_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(item_id, note, calibration_id, updated_at)| {
            Ok(ItemGuidance {
                item_id,
                note,
                calibration_id,
                updated_at: from_db(&updated_at)?,
            })
        })
        .collect()
}

/// Every inspector's answer compared with the agreed one, in the sessions started from `from`
/// to `to` (organisation days), each dated by its session's month; and the inspectors.
pub(crate) async fn agreed_comparisons(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<AgreedComparison>, Vec<Person>), AppError> {
    let (start, end) = (
        to_db(org_day_start(from)),
        to_db(org_day_start(to + chrono::Duration::days(1))),
    );
    let items: Vec<(i64, String, bool)> = sql::query_as(
        "SELECT a.user_id, c.created_at, a.result <> g.result
         FROM qa_calibrations c
         JOIN qa_calibration_agreed g ON g.calibration_id = c.id
         JOIN qa_calibration_answers a ON a.calibration_id = c.id
             AND a.service_record_id = g.service_record_id AND a.item_id = g.item_id
         WHERE c.created_at >= ? AND c.created_at < ?",
    )
    .bind(&start)
    .bind(&end)
    .fetch_all(&mut *conn)
    .await?;
    let scores: Vec<(i64, String, i64)> = sql::query_as(
        "SELECT a.user_id, c.created_at, a.score - g.score
         FROM qa_calibrations c
         JOIN qa_calibration_agreed_scores g ON g.calibration_id = c.id
         JOIN qa_calibration_scores a ON a.calibration_id = c.id
             AND a.service_record_id = g.service_record_id AND a.dimension_id = g.dimension_id
         WHERE c.created_at >= ? AND c.created_at < ?",
    )
    .bind(&start)
    .bind(&end)
    .fetch_all(&mut *conn)
    .await?;
    let month = |at: &str| -> Result<NaiveDate, sqlx::Error> {
        let day = from_db(at)?.with_timezone(&org_zone()).date_naive();
        Ok(day.with_day(1).unwrap_or(day))
    };
    let mut comparisons = Vec::new();
    for (inspector_id, at, differs) in items {
        comparisons.push(AgreedComparison {
            inspector_id,
            month: month(&at)?,
            kind: ComparedAnswer::Item { differs },
        });
    }
    for (inspector_id, at, difference) in scores {
        comparisons.push(AgreedComparison {
            inspector_id,
            month: month(&at)?,
            kind: ComparedAnswer::Score {
                difference: i32::try_from(difference).unwrap_or(0),
            },
        });
    }
    let mut ids: Vec<i64> = comparisons.iter().map(|c| c.inspector_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut people = Vec::new();
    for id in ids {
        people.push(super::person(conn, id).await?);
    }
    Ok((comparisons, people))
}
