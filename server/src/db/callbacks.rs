//! Callback tasks (回访) as stored: opening one for a low-scored evaluation.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::db::calendar::work_calendar;
use crate::error::AppError;
use crate::time::{org_zone, to_db};

/// Opens the callback task of a low-scored evaluation (in the submission's transaction): for
/// the agent's team, due one working day later.
pub(crate) async fn open(
    conn: &mut SqliteConnection,
    evaluation_id: i64,
    agent_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let team: Option<i64> = sqlx::query_scalar("SELECT team_id FROM users WHERE id = ?")
        .bind(agent_id)
        .fetch_one(&mut *conn)
        .await?;
    let calendar = work_calendar(&mut *conn).await?;
    let due = calendar
        .add_working_days(now.with_timezone(&org_zone()), 1)
        .with_timezone(&Utc);
    sqlx::query(
        "INSERT INTO callback_tasks (evaluation_id, agent_id, team_id, created_at, due_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (evaluation_id) DO NOTHING",
    )
    .bind(evaluation_id)
    .bind(agent_id)
    .bind(team)
    .bind(to_db(now))
    .bind(to_db(due))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
