//! Callback tasks as their team lead lists them, and the calls recorded on them.

use std::collections::HashMap;

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::feedback::{
    CallResult, CallbackAttempt, CallbackOutcome, CallbackPage, CallbackTask, CheckedCall,
};

use crate::error::AppError;
use crate::time::{from_db, to_db};

// ---------------------------------------------------------------------------------------------
// Callbacks

pub(crate) const CALLBACK_SELECT: &str = "SELECT k.id, e.number, e.overall, e.total_score, e.suggestion, \
     a.employee_no AS agent_no, a.display_name AS agent_name, t.name AS team_name, k.team_id, \
     c.display_name AS customer_name, c.phone AS customer_phone, st.name_zh AS type_name_zh, \
     st.name_en AS type_name_en, k.created_at, k.due_at, k.outcome, k.notes, k.done_at, \
     d.display_name AS done_by \
     FROM callback_tasks k \
     JOIN evaluations e ON e.id = k.evaluation_id \
     JOIN users a ON a.id = k.agent_id \
     JOIN users c ON c.id = e.customer_id \
     JOIN service_types st ON st.code = e.service_type \
     LEFT JOIN teams t ON t.id = k.team_id \
     LEFT JOIN users d ON d.id = k.done_by";

#[derive(sqlx::FromRow)]
pub(crate) struct CallbackRow {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) overall: i64,
    pub(crate) total_score: f64,
    pub(crate) suggestion: Option<String>,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_name: Option<String>,
    pub(crate) team_id: Option<i64>,
    pub(crate) customer_name: String,
    pub(crate) customer_phone: Option<String>,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) created_at: String,
    pub(crate) due_at: String,
    pub(crate) outcome: Option<String>,
    pub(crate) notes: Option<String>,
    pub(crate) done_at: Option<String>,
    pub(crate) done_by: Option<String>,
}

impl CallbackRow {
    /// The task, with its failed calls (`attempts`, oldest first) and the setting's
    /// `max_attempts`.
    pub(crate) fn into_task(
        self,
        now: DateTime<Utc>,
        attempts: Vec<CallbackAttempt>,
        max_attempts: u32,
    ) -> Result<CallbackTask, sqlx::Error> {
        let due_at = from_db(&self.due_at)?;
        Ok(CallbackTask {
            id: self.id,
            evaluation_number: self.number,
            overall: u8::try_from(self.overall).unwrap_or(0),
            total_score: self.total_score,
            suggestion: self.suggestion,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            customer_name: self.customer_name,
            customer_phone: self.customer_phone,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            created_at: from_db(&self.created_at)?,
            due_at,
            overdue: self.done_at.is_none() && now > due_at,
            outcome: self.outcome.as_deref().and_then(CallbackOutcome::parse),
            notes: self.notes,
            done_at: self.done_at.as_deref().map(from_db).transpose()?,
            done_by: self.done_by,
            attempts,
            max_attempts,
        })
    }
}

/// The tasks of one team's when `team` is given: a page of the open ones (due soonest first,
/// so overdue ones lead) or of the done ones (latest first), or the task of the evaluation
/// `number` alone, with the count of each tab.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn callback_page(
    conn: &mut Conn,
    team: Option<i64>,
    open: bool,
    number: Option<&str>,
    page: u32,
    per_page: u32,
    now: DateTime<Utc>,
    max_attempts: u32,
) -> Result<CallbackPage, AppError> {
    let mut q = QueryBuilder::new(
        "SELECT COALESCE(SUM(CASE WHEN done_at IS NULL THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN done_at IS NULL AND due_at < ",
    );
    q.push_bind(to_db(now)).push(
        " THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN done_at IS NULL THEN 0 ELSE 1 END), 0) FROM callback_tasks",
    );
    if let Some(team) = team {
        q.push(" WHERE team_id = ").push_bind(team);
    }
    let (open_count, overdue, done): (i64, i64, i64) =
        q.build_query_as().fetch_one(&mut *conn).await?;
    let mut q = QueryBuilder::new(format!("{CALLBACK_SELECT} WHERE"));
    match number {
        Some(number) => q.push(" e.number = ").push_bind(number.to_owned()),
        None if open => q.push(" k.done_at IS NULL"),
        None => q.push(" k.done_at IS NOT NULL"),
    };
    if let Some(team) = team {
        q.push(" AND k.team_id = ").push_bind(team);
    }
    q.push(if open {
        " ORDER BY k.due_at, k.id"
    } else {
        " ORDER BY k.done_at DESC, k.id DESC"
    });
    q.push(" LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
    let rows: Vec<CallbackRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    let rows_empty = rows.is_empty();
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(CallbackPage {
        callbacks: with_attempts(conn, rows, now, max_attempts).await?,
        total: match number {
            Some(_) => u64::from(!rows_empty),
            None => count(if open { open_count } else { done }),
        },
        page,
        per_page,
        open: count(open_count),
        overdue: count(overdue),
        done: count(done),
    })
}

/// How many callback tasks are open, of one team's when `team` is given, and how many of
/// them are past their due time.
pub(crate) async fn open_callback_counts(
    conn: &mut Conn,
    team: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(u64, u64), AppError> {
    let mut q = QueryBuilder::new("SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at < ");
    q.push_bind(to_db(now))
        .push(" THEN 1 ELSE 0 END), 0) FROM callback_tasks WHERE done_at IS NULL");
    if let Some(team) = team {
        q.push(" AND team_id = ").push_bind(team);
    }
    let (open, overdue): (i64, i64) = q.build_query_as().fetch_one(&mut *conn).await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok((count(open), count(overdue)))
}

/// The tasks of `rows` with their failed calls.
async fn with_attempts(
    conn: &mut Conn,
    rows: Vec<CallbackRow>,
    now: DateTime<Utc>,
    max_attempts: u32,
) -> Result<Vec<CallbackTask>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut attempts = attempts_of(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let of_task = attempts.remove(&r.id).unwrap_or_default();
            r.into_task(now, of_task, max_attempts)
        })
        .collect::<Result<_, _>>()?)
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    task_id: i64,
    result: String,
    notes: Option<String>,
    attempted_at: String,
    by_name: String,
    next_attempt_at: Option<String>,
}

/// The failed calls of the tasks `ids`, oldest first, by task.
pub(crate) async fn attempts_of(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<CallbackAttempt>>, sqlx::Error> {
    let mut found: HashMap<i64, Vec<CallbackAttempt>> = HashMap::new();
    if ids.is_empty() {
        return Ok(found);
    }
    let mut q = QueryBuilder::new(
        "SELECT k.task_id, k.result, k.notes, k.attempted_at, u.display_name AS by_name, \
         k.next_attempt_at FROM callback_attempts k JOIN users u ON u.id = k.attempted_by \
         WHERE k.task_id IN (",
    );
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(") ORDER BY k.task_id, k.id");
    let rows: Vec<AttemptRow> = q.build_query_as().fetch_all(conn).await?;
    for row in rows {
        let attempt = CallbackAttempt {
            result: CallResult::parse(&row.result).unwrap_or(CallResult::NoAnswer),
            notes: row.notes,
            at: from_db(&row.attempted_at)?,
            by: row.by_name,
            next_attempt_at: row.next_attempt_at.as_deref().map(from_db).transpose()?,
        };
        found.entry(row.task_id).or_default().push(attempt);
    }
    Ok(found)
}

/// How many calls of the task `id` failed.
pub(crate) async fn failed_calls(conn: &mut Conn, id: i64) -> Result<usize, sqlx::Error> {
    let n: i64 = sql::query_scalar("SELECT COUNT(*) FROM callback_attempts WHERE task_id = ?")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The callback task `id`.
pub(crate) async fn callback_row(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<CallbackRow>, sqlx::Error> {
    sql::query_as(&format!("{CALLBACK_SELECT} WHERE k.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Records a call of the task `id` by `by`: a reached customer ends the task with its
/// outcome and notes; a failed call is kept and either makes the task due again at its next
/// attempt or, the last one, closes it as unreachable (with the call's notes).
pub(crate) async fn record_call(
    conn: &mut Conn,
    id: i64,
    call: &CheckedCall,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let (outcome, notes) = match call {
        CheckedCall::Reached { outcome, notes } => (*outcome, notes.clone()),
        CheckedCall::Failed {
            result,
            notes,
            next_attempt_at,
        } => {
            sql::query(
                "INSERT INTO callback_attempts \
                 (task_id, result, notes, attempted_at, attempted_by, next_attempt_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(result.as_str())
            .bind(notes.clone())
            .bind(to_db(now))
            .bind(by)
            .bind(next_attempt_at.map(to_db))
            .execute(&mut *conn)
            .await?;
            if let Some(next) = next_attempt_at {
                sql::query("UPDATE callback_tasks SET due_at = ? WHERE id = ?")
                    .bind(to_db(*next))
                    .bind(id)
                    .execute(conn)
                    .await?;
                return Ok(());
            }
            (
                CallbackOutcome::Unreachable,
                notes.clone().unwrap_or_default(),
            )
        }
    };
    sql::query(
        "UPDATE callback_tasks SET outcome = ?, notes = ?, done_at = ?, done_by = ? WHERE id = ?",
    )
    .bind(outcome.as_str())
    .bind(notes)
    .bind(to_db(now))
    .bind(by)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
