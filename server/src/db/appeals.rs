//! Appeals as stored: the evaluation an appeal is about as it stands, the appeals themselves,
//! and the new version an approval makes.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::appeals::{
    Appeal, AppealBrief, AppealList, AppealStatus, CustomerAppeals, EvaluationValues,
};

use crate::db::evaluations::{evaluation_row, scores_of, version_number};
use crate::db::{from_json, parse_stored, small, to_json};
use crate::error::AppError;
use crate::time::{from_db, to_db};

/// What filing and deciding need of an evaluation: its current version.
pub(crate) struct Current {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) customer_id: i64,
    pub(crate) submitted_at: DateTime<Utc>,
    pub(crate) version: u32,
    pub(crate) values: EvaluationValues,
}

/// The evaluation numbered `number` (normalised), as it stands.
pub(crate) async fn current(conn: &mut Conn, number: &str) -> Result<Option<Current>, sqlx::Error> {
    let Some(row) = evaluation_row(&mut *conn, number).await? else {
        return Ok(None);
    };
    Ok(Some(Current {
        values: EvaluationValues {
            scores: scores_of(&mut *conn, row.id).await?,
            total_score: row.total_score,
            overall: small("overall score", row.overall)?,
            suggestion: row.suggestion,
        },
        id: row.id,
        number: row.number,
        customer_id: row.customer_id,
        submitted_at: from_db(&row.submitted_at)?,
        version: version_number(row.version)?,
    }))
}

/// The id and customer of the evaluation numbered `number`.
pub(crate) async fn evaluation_owner(
    conn: &mut Conn,
    number: &str,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sql::query_as("SELECT id, customer_id FROM evaluations WHERE number = ?")
        .bind(number)
        .fetch_optional(conn)
        .await
}

const APPEAL_SELECT: &str = "SELECT a.id, e.number, a.customer_id, a.status, a.reason, a.version, \
     a.current_json, a.requested_json, a.filed_at, a.decision_reason, a.decided_at, \
     a.applied_json, a.new_version, a.seen_by_customer \
     FROM appeals a JOIN evaluations e ON e.id = a.evaluation_id";

#[derive(sqlx::FromRow)]
pub(crate) struct AppealRow {
    id: i64,
    number: String,
    pub(crate) customer_id: i64,
    status: String,
    reason: String,
    version: i64,
    current_json: String,
    requested_json: Option<String>,
    filed_at: String,
    decision_reason: Option<String>,
    decided_at: Option<String>,
    applied_json: Option<String>,
    new_version: Option<i64>,
    seen_by_customer: bool,
}

impl AppealRow {
    pub(crate) fn into_appeal(self) -> Result<Appeal, sqlx::Error> {
        Ok(Appeal {
            id: self.id,
            evaluation_number: self.number,
            status: parse_stored(&self.status, AppealStatus::parse)?,
            reason: self.reason,
            version: version_number(self.version)?,
            current: from_json("appeal values", &self.current_json)?,
            requested: self
                .requested_json
                .as_deref()
                .map(|j| from_json("requested change", j))
                .transpose()?,
            filed_at: from_db(&self.filed_at)?,
            decision_reason: self.decision_reason,
            decided_at: self.decided_at.as_deref().map(from_db).transpose()?,
            applied: self
                .applied_json
                .as_deref()
                .map(|j| from_json("applied change", j))
                .transpose()?,
            new_version: self.new_version.map(version_number).transpose()?,
            seen_by_customer: self.seen_by_customer,
        })
    }
}

/// The appeal `id`.
async fn appeal_row(conn: &mut Conn, id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
    sql::query_as(&format!("{APPEAL_SELECT} WHERE a.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The appeal `id`; not found is a 404.
pub(crate) async fn by_id(conn: &mut Conn, id: i64) -> Result<AppealRow, AppError> {
    appeal_row(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The appeal {id}")))
}

/// Appeals as a customer's list: newest first, with the count of decisions not seen yet.
fn list(rows: Vec<AppealRow>) -> Result<AppealList, sqlx::Error> {
    let appeals = rows
        .into_iter()
        .map(AppealRow::into_appeal)
        .collect::<Result<Vec<_>, _>>()?;
    let unseen = appeals
        .iter()
        .filter(|a| a.status != AppealStatus::Pending && !a.seen_by_customer)
        .count();
    Ok(AppealList {
        appeals,
        unseen: unseen as u64,
    })
}

/// The appeals of the evaluation `evaluation_id`, newest first.
pub(crate) async fn of_evaluation(
    conn: &mut Conn,
    evaluation_id: i64,
) -> Result<AppealList, sqlx::Error> {
    let rows: Vec<AppealRow> = sql::query_as(&format!(
        "{APPEAL_SELECT} WHERE a.evaluation_id = ? ORDER BY a.filed_at DESC, a.id DESC"
    ))
    .bind(evaluation_id)
    .fetch_all(conn)
    .await?;
    list(rows)
}

/// The appeals of the customer `customer_id`, newest first.
pub(crate) async fn of_customer(
    conn: &mut Conn,
    customer_id: i64,
) -> Result<AppealList, sqlx::Error> {
    let rows: Vec<AppealRow> = sql::query_as(&format!(
        "{APPEAL_SELECT} WHERE a.customer_id = ? ORDER BY a.filed_at DESC, a.id DESC"
    ))
    .bind(customer_id)
    .fetch_all(conn)
    .await?;
    list(rows)
}

/// The pending appeal of the evaluation `evaluation_id`, if any.
pub(crate) async fn pending_of(
    conn: &mut Conn,
    evaluation_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT id FROM appeals WHERE evaluation_id = ? AND status = 'pending'")
        .bind(evaluation_id)
        .fetch_optional(conn)
        .await
}

/// The reasons of the decided appeals of the evaluation `evaluation_id`.
pub(crate) async fn decided_reasons(
    conn: &mut Conn,
    evaluation_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sql::query_scalar("SELECT reason FROM appeals WHERE evaluation_id = ? AND status <> 'pending'")
        .bind(evaluation_id)
        .fetch_all(conn)
        .await
}

/// Files an appeal of `evaluation` as it stands; its id.
pub(crate) async fn insert(
    conn: &mut Conn,
    evaluation: &Current,
    reason: &str,
    requested: Option<&EvaluationValues>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let requested = requested
        .map(|r| to_json("requested change", r))
        .transpose()?;
    Ok(sql::query_scalar(
        "INSERT INTO appeals (evaluation_id, customer_id, version, reason, current_json,
                              requested_json, filed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(evaluation.id)
    .bind(evaluation.customer_id)
    .bind(i64::from(evaluation.version))
    .bind(reason)
    .bind(to_json("evaluation values", &evaluation.values)?)
    .bind(&requested)
    .bind(to_db(now))
    .fetch_one(conn)
    .await?)
}

/// Marks the decision of the appeal `id` seen by its customer (a pending one is left alone).
pub(crate) async fn mark_seen(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sql::query("UPDATE appeals SET seen_by_customer = TRUE WHERE id = ? AND status <> 'pending'")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many appeals are in `status` (all of them when `None`), and how many are pending.
pub(crate) async fn counts(
    conn: &mut Conn,
    status: Option<&str>,
) -> Result<(i64, i64), sqlx::Error> {
    let total: i64 =
        sql::query_scalar("SELECT COUNT(*) FROM appeals WHERE ?1 IS NULL OR status = ?1")
            .bind(status)
            .fetch_one(&mut *conn)
            .await?;
    let pending: i64 = sql::query_scalar("SELECT COUNT(*) FROM appeals WHERE status = 'pending'")
        .fetch_one(&mut *conn)
        .await?;
    Ok((total, pending))
}

/// One page of the admin queue: pending first, then oldest first.
pub(crate) async fn queue_page(
    conn: &mut Conn,
    status: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<Vec<AppealRow>, sqlx::Error> {
    sql::query_as(&format!(
        "{APPEAL_SELECT} WHERE ?1 IS NULL OR a.status = ?1
         ORDER BY a.status = 'pending' DESC, a.filed_at, a.id LIMIT ?2 OFFSET ?3"
    ))
    .bind(status)
    .bind(i64::from(per_page))
    .bind(i64::from(page - 1) * i64::from(per_page))
    .fetch_all(conn)
    .await
}

/// A customer's number and display name.
pub(crate) async fn customer(
    conn: &mut Conn,
    customer_id: i64,
) -> Result<(Option<String>, String), sqlx::Error> {
    sql::query_as("SELECT customer_no, display_name FROM users WHERE id = ?")
        .bind(customer_id)
        .fetch_one(conn)
        .await
}

/// A customer's appeals other than `except`: counts and the latest `latest`.
pub(crate) async fn customer_appeals(
    conn: &mut Conn,
    customer_id: i64,
    except: i64,
    latest: u32,
) -> Result<CustomerAppeals, sqlx::Error> {
    let counts: Vec<(String, i64)> = sql::query_as(
        "SELECT status, COUNT(*) FROM appeals WHERE customer_id = ? AND id <> ? GROUP BY status",
    )
    .bind(customer_id)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    let count = |status: &str| {
        counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or_default())
    };
    let rows: Vec<AppealRow> = sql::query_as(&format!(
        "{APPEAL_SELECT} WHERE a.customer_id = ? AND a.id <> ?
         ORDER BY a.filed_at DESC, a.id DESC LIMIT ?"
    ))
    .bind(customer_id)
    .bind(except)
    .bind(i64::from(latest))
    .fetch_all(&mut *conn)
    .await?;
    let appeals = rows
        .into_iter()
        .map(|r| {
            let a = r.into_appeal()?;
            Ok(AppealBrief {
                id: a.id,
                evaluation_number: a.evaluation_number,
                status: a.status,
                reason: a.reason,
                filed_at: a.filed_at,
                decision_reason: a.decision_reason,
                decided_at: a.decided_at,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let (pending, approved, rejected) = (count("pending"), count("approved"), count("rejected"));
    Ok(CustomerAppeals {
        total: pending + approved + rejected,
        approved,
        rejected,
        pending,
        appeals,
    })
}

/// A decision of the appeal `id`, by `by` at `now`.
pub(crate) struct Decided<'a> {
    pub(crate) id: i64,
    pub(crate) by: i64,
    pub(crate) reason: &'a str,
    pub(crate) now: DateTime<Utc>,
}

/// Records the decision on an appeal: approved with what was applied and the version it
/// made, or rejected (`None`).
pub(crate) async fn record_decision(
    conn: &mut Conn,
    decided: &Decided<'_>,
    approved: Option<(&EvaluationValues, u32)>,
) -> Result<(), AppError> {
    let applied = approved
        .map(|(applied, _)| to_json("applied change", applied))
        .transpose()?;
    sql::query(
        "UPDATE appeals SET status = ?, decided_at = ?, decided_by = ?, decision_reason = ?,
                applied_json = ?, new_version = ?
         WHERE id = ?",
    )
    .bind(if approved.is_some() {
        "approved"
    } else {
        "rejected"
    })
    .bind(to_db(decided.now))
    .bind(decided.by)
    .bind(decided.reason)
    .bind(applied)
    .bind(approved.map(|(_, version)| i64::from(version)))
    .bind(decided.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Makes `applied` the current version of `evaluation`, keeping the current one in
/// `evaluation_versions` (replaced by the approval `decided`).
pub(crate) async fn new_version_of(
    conn: &mut Conn,
    evaluation: &Current,
    applied: &EvaluationValues,
    decided: &Decided<'_>,
) -> Result<(), AppError> {
    // When the current version was made: the submission, or the approval that replaced the
    // version before it.
    let created_at: String = if evaluation.version == 1 {
        to_db(evaluation.submitted_at)
    } else {
        sql::query_scalar(
            "SELECT replaced_at FROM evaluation_versions WHERE evaluation_id = ? AND version = ?",
        )
        .bind(evaluation.id)
        .bind(i64::from(evaluation.version - 1))
        .fetch_one(&mut *conn)
        .await?
    };
    let old = &evaluation.values;
    sql::query(
        "INSERT INTO evaluation_versions (evaluation_id, version, total_score, overall,
             suggestion, scores_json, created_at, replaced_at, replaced_by, reason, appeal_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(evaluation.id)
    .bind(i64::from(evaluation.version))
    .bind(old.total_score)
    .bind(i64::from(old.overall))
    .bind(&old.suggestion)
    .bind(to_json("version scores", &old.scores)?)
    .bind(created_at)
    .bind(to_db(decided.now))
    .bind(decided.by)
    .bind(decided.reason)
    .bind(decided.id)
    .execute(&mut *conn)
    .await?;
    sql::query(
        "UPDATE evaluations SET total_score = ?, overall = ?, suggestion = ?, version = ?
         WHERE id = ?",
    )
    .bind(applied.total_score)
    .bind(i64::from(applied.overall))
    .bind(&applied.suggestion)
    .bind(i64::from(evaluation.version + 1))
    .bind(evaluation.id)
    .execute(&mut *conn)
    .await?;
    for score in &applied.scores {
        sql::query(
            "UPDATE evaluation_scores SET score = ? WHERE evaluation_id = ? AND dimension = ?",
        )
        .bind(score.score.map(i64::from))
        .bind(evaluation.id)
        .bind(&score.code)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
