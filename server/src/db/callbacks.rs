//! Callback tasks (回访) as stored: opening one for a low-scored evaluation.

use chrono::{DateTime, Utc};

use crate::db::batch::Batch;
use crate::time::{org_zone, to_db};
use pingjia_domain::calendar::WorkCalendar;

/// When the callback task of a low-scored evaluation submitted at `now` is due: one working
/// day later, by the working-day `calendar` (read before the submission takes the write lock).
pub(crate) fn due_at(calendar: &WorkCalendar, now: DateTime<Utc>) -> DateTime<Utc> {
    calendar
        .add_working_days(now.with_timezone(&org_zone()), 1)
        .with_timezone(&Utc)
}

/// Adds to `batch` the opening of the callback task of a low-scored evaluation (in the
/// submission's transaction): for the agent's team, due at `due` ([`due_at`]).
pub(crate) fn push_open(
    batch: &mut Batch,
    evaluation_id: i64,
    agent_id: i64,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) {
    batch
        .statement()
        .push("INSERT INTO callback_tasks (evaluation_id, agent_id, team_id, created_at, due_at) VALUES (")
        .push_bind(evaluation_id)
        .push(", ")
        .push_bind(agent_id)
        .push(", (SELECT team_id FROM users WHERE id = ")
        .push_bind(agent_id)
        .push("), ")
        .push_bind(to_db(now))
        .push(", ")
        .push_bind(to_db(due))
        .push(") ON CONFLICT (evaluation_id) DO NOTHING");
}
