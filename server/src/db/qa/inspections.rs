//! Inspections as stored: one sampled record's sheet, its owners and customer view, and
//! writing an inspection with its rectifications.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::NaiveDate;
use pingjia_domain::qa::{
    CustomerScore, CustomerView, DimensionScore, Inspection, ItemAnswer, ItemResult, NewInspection,
    Person, qa_score,
};

use crate::db::evaluations::counted;
use crate::db::parse_stored;
use crate::db::small;
use crate::error::AppError;
use crate::time::{from_db, to_db};

use super::{person, rectifications_where};

// ---------------------------------------------------------------------------------------------
// Inspections
// ---------------------------------------------------------------------------------------------

pub(crate) async fn load_inspection(
    conn: &mut Conn,
    sample_id: i64,
    today: NaiveDate,
) -> Result<Option<Inspection>, AppError> {
    let row: Option<(i64, i64, Option<String>, f64, String)> = sql::query_as(
        "SELECT id, inspector_id, highlights, qa_score, submitted_at FROM qa_inspections
         WHERE sample_id = ?",
    )
    .bind(sample_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, inspector_id, highlights, qa_score, submitted_at)) = row else {
        return Ok(None);
    };
    let answers: Vec<(i64, String, Option<String>, Option<String>)> = sql::query_as(
        "SELECT item_id, result, problem, quote FROM qa_answers WHERE inspection_id = ?",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let scores: Vec<(i64, i64)> =
        sql::query_as("SELECT dimension_id, score FROM qa_scores WHERE inspection_id = ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some(Inspection {
        id,
        sample_id,
        inspector: person(&mut *conn, inspector_id).await?,
        submitted_at: from_db(&submitted_at)?,
        answers: answers
            .into_iter()
            .map(|(item_id, result, problem, quote)| {
                Ok(ItemAnswer {
                    item_id,
                    result: parse_stored(&result, ItemResult::parse)?,
                    problem,
                    quote,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        scores: scores
            .into_iter()
            .map(|(dimension_id, score)| {
                Ok(DimensionScore {
                    dimension_id,
                    score: small("QA score", score)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        highlights,
        qa_score,
        rectifications: rectifications_where(conn, "i.id = ?", &[id], today).await?,
    }))
}

/// The agent of a record and their team lead: who may own a rectification of it.
pub(crate) async fn owners(conn: &mut Conn, agent_id: i64) -> Result<Vec<Person>, AppError> {
    let mut people = vec![person(&mut *conn, agent_id).await?];
    let lead: Option<i64> = sql::query_scalar(
        "SELECT t.lead_user_id FROM users u JOIN teams t ON t.id = u.team_id
         WHERE u.id = ? AND t.lead_user_id IS NOT NULL",
    )
    .bind(agent_id)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    if let Some(lead) = lead.filter(|l| *l != agent_id) {
        people.push(person(&mut *conn, lead).await?);
    }
    Ok(people)
}

pub(crate) async fn customer_view(
    conn: &mut Conn,
    record_id: i64,
) -> Result<Option<CustomerView>, AppError> {
    let row: Option<(i64, String, f64, i64, Option<String>, String)> = sql::query_as(&format!(
        "SELECT id, number, total_score, overall, suggestion, submitted_at FROM evaluations
         WHERE service_record_id = ? AND {}",
        counted("")
    ))
    .bind(record_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, number, total_score, overall, suggestion, submitted_at)) = row else {
        return Ok(None);
    };
    let scores: Vec<(String, String, Option<i64>)> = sql::query_as(
        "SELECT name_zh, name_en, score FROM evaluation_scores WHERE evaluation_id = ?
         ORDER BY position, dimension",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(CustomerView {
        number,
        total_score,
        overall: small("overall score", overall)?,
        suggestion,
        scores: scores
            .into_iter()
            .map(|(name_zh, name_en, score)| {
                Ok(CustomerScore {
                    name_zh,
                    name_en,
                    score: score.map(|s| small("score", s)).transpose()?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        submitted_at: from_db(&submitted_at)?,
    }))
}

/// Writes the inspection `body` (checked) of sample `sample_id` by `inspector_id`, replacing
/// the inspection `existing`: its QA score.
pub(crate) async fn write_inspection(
    tx: &mut Conn,
    sample_id: i64,
    inspector_id: i64,
    existing: Option<i64>,
    body: &NewInspection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<f64, AppError> {
    let scores: Vec<u8> = body.scores.iter().map(|s| s.score).collect();
    let score = qa_score(&scores)
        .ok_or_else(|| AppError::Internal("an inspection without scores".to_owned()))?;
    let highlights = body
        .highlights
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    if let Some(existing) = existing {
        sql::query("DELETE FROM qa_inspections WHERE id = ?")
            .bind(existing)
            .execute(&mut *tx)
            .await?;
    }
    let inspection_id: i64 = sql::query_scalar(
        "INSERT INTO qa_inspections (sample_id, inspector_id, highlights, qa_score, submitted_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(sample_id)
    .bind(inspector_id)
    .bind(highlights)
    .bind(score)
    .bind(to_db(now))
    .fetch_one(&mut *tx)
    .await?;
    for answer in &body.answers {
        let problem = answer
            .problem
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let quote = answer
            .quote
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty());
        sql::query(
            "INSERT INTO qa_answers (inspection_id, item_id, result, problem, quote)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(inspection_id)
        .bind(answer.item_id)
        .bind(answer.result.as_str())
        .bind(problem)
        .bind(quote)
        .execute(&mut *tx)
        .await?;
    }
    for s in &body.scores {
        sql::query("INSERT INTO qa_scores (inspection_id, dimension_id, score) VALUES (?, ?, ?)")
            .bind(inspection_id)
            .bind(s.dimension_id)
            .bind(i64::from(s.score))
            .execute(&mut *tx)
            .await?;
    }
    for r in &body.rectifications {
        super::open_rectification(
            &mut *tx,
            inspection_id,
            r.item_id,
            r.owner_id,
            r.deadline,
            now,
        )
        .await?;
    }
    Ok(score)
}
