//! Callback tasks as their team lead lists them.

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::feedback::{CallbackOutcome, CallbackTask};

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
    pub(crate) fn into_task(self, now: DateTime<Utc>) -> Result<CallbackTask, sqlx::Error> {
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
        })
    }
}

/// The open (or the latest 200 done) callback tasks, of one team's when `team` is given.
pub(crate) async fn callbacks_of(
    conn: &mut Conn,
    team: Option<i64>,
    open: bool,
    now: DateTime<Utc>,
) -> Result<Vec<CallbackTask>, AppError> {
    let mut q = QueryBuilder::new(format!("{CALLBACK_SELECT} WHERE"));
    q.push(if open {
        " k.done_at IS NULL"
    } else {
        " k.done_at IS NOT NULL"
    });
    if let Some(team) = team {
        q.push(" AND k.team_id = ").push_bind(team);
    }
    q.push(if open {
        " ORDER BY k.due_at, k.id"
    } else {
        " ORDER BY k.done_at DESC, k.id DESC LIMIT 200"
    });
    let rows: Vec<CallbackRow> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_task(now))
        .collect::<Result<_, _>>()?)
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

/// Records the call of the task `id` by `by`: its outcome and notes.
pub(crate) async fn record_call(
    conn: &mut Conn,
    id: i64,
    outcome: CallbackOutcome,
    notes: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
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
