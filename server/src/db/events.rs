//! Events as stored (`events`, issue 21): recorded by the action that causes them, in its
//! transaction and once per dedupe key; then fanned out by the delivery worker, which reads
//! here what each payload tells.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::events::{EventAgent, EventType};

use crate::db::batch::Batch;
use crate::time::to_db;

/// Adds to `batch` the events `types` about the evaluation `evaluation_id` (in the
/// submission's transaction), each once (`{type}:{id}`). One statement whatever the types, so
/// that its text stays the same (and prepared) from one submission to the next.
pub(crate) fn push_evaluation_events(
    batch: &mut Batch,
    evaluation_id: i64,
    types: &[EventType],
    now: DateTime<Utc>,
) {
    let codes: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    batch
        .statement()
        .push(
            "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
             SELECT t.value, t.value || ':' || e.id, 'evaluation', e.id, ",
        )
        .push_bind(to_db(now))
        .push(" FROM evaluations e, json_each(")
        .push_bind(serde_json::to_string(&codes).unwrap_or_else(|_| "[]".to_owned()))
        .push(") AS t WHERE e.id = ")
        .push_bind(evaluation_id)
        .push(" ON CONFLICT (dedupe_key) DO NOTHING");
}

/// Records the event `event_type` about `(subject_kind, subject_id)` once per `dedupe_key`
/// (in the caller's transaction). Whether it was new.
pub(crate) async fn record(
    conn: &mut Conn,
    event_type: EventType,
    subject: (&str, i64),
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(event_type.as_str())
    .bind(dedupe_key)
    .bind(subject.0)
    .bind(subject.1)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An event not fanned out yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct WaitingEvent {
    pub(crate) id: i64,
    #[sqlx(rename = "type")]
    pub(crate) event_type: String,
    pub(crate) subject_kind: String,
    pub(crate) subject_id: i64,
    pub(crate) created_at: String,
}

/// Up to `limit` events not fanned out yet, oldest first.
pub(crate) async fn waiting(conn: &mut Conn, limit: i64) -> Result<Vec<WaitingEvent>, sqlx::Error> {
    sql::query_as(
        "SELECT id, type, subject_kind, subject_id, created_at FROM events
         WHERE fanned_out_at IS NULL ORDER BY id LIMIT ?",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The events `done` are fanned out at `now`, each with its payload (none when nothing
/// wanted it or its subject is gone): one statement for the batch.
pub(crate) async fn fanned_out(
    conn: &mut Conn,
    done: &[(i64, Option<String>)],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = done.iter().map(|(id, _)| *id).collect();
    sql::query(
        "UPDATE events SET fanned_out_at = ?
         WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))",
    )
    .bind(to_db(now))
    .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned()))
    .execute(&mut *conn)
    .await?;
    // The payloads of the events something wanted (most events of a busy day none).
    for (id, data) in done {
        if let Some(data) = data {
            sql::query("UPDATE events SET data = ? WHERE id = ?")
                .bind(data)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// What an evaluation's events tell.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct EvaluationFacts {
    pub(crate) number: String,
    pub(crate) service_record_id: i64,
    pub(crate) external_id: String,
    pub(crate) service_type: String,
    pub(crate) service_type_name: String,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) overall: i64,
    pub(crate) total_score: f64,
    pub(crate) suggestion: Option<String>,
    pub(crate) submitted_at: String,
    /// The callback task's due time, when it has one.
    pub(crate) callback_due_at: Option<String>,
}

impl EvaluationFacts {
    pub(crate) fn agent(&self) -> EventAgent {
        EventAgent {
            id: self.agent_id,
            agent_no: self.agent_no.clone(),
            name: self.agent_name.clone(),
            team_id: self.team_id,
            team_name: self.team_name.clone(),
        }
    }
}

/// The evaluation `id`'s facts.
pub(crate) async fn evaluation(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<EvaluationFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT e.number, e.service_record_id, r.external_id, e.service_type,
             st.name_zh AS service_type_name, e.agent_id,
             a.employee_no AS agent_no, a.display_name AS agent_name, a.team_id,
             t.name AS team_name, e.overall, e.total_score, e.suggestion, e.submitted_at,
             c.due_at AS callback_due_at
         FROM evaluations e
         JOIN service_records r ON r.id = e.service_record_id
         JOIN service_types st ON st.code = e.service_type
         JOIN users a ON a.id = e.agent_id
         LEFT JOIN teams t ON t.id = a.team_id
         LEFT JOIN callback_tasks c ON c.evaluation_id = e.id
         WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// What an appeal's events tell (and its evaluation's id).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AppealFacts {
    pub(crate) evaluation_id: i64,
    pub(crate) status: String,
    pub(crate) reason: String,
    pub(crate) decision_reason: Option<String>,
    pub(crate) filed_at: String,
    pub(crate) decided_at: Option<String>,
}

/// The appeal `id`'s facts.
pub(crate) async fn appeal(conn: &mut Conn, id: i64) -> Result<Option<AppealFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT evaluation_id, status, reason, decision_reason, filed_at, decided_at
         FROM appeals WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// How the customer of an appeal is reached: their phone and e-mail address, and the channel
/// their invitation of the appealed service used, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AppealCustomer {
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) invitation_channel: Option<String>,
}

/// The customer of the appeal `id`.
pub(crate) async fn appeal_customer(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<AppealCustomer>, sqlx::Error> {
    sql::query_as(
        "SELECT u.phone, u.email, i.channel AS invitation_channel
         FROM appeals a
         JOIN users u ON u.id = a.customer_id
         JOIN evaluations e ON e.id = a.evaluation_id
         LEFT JOIN invitations i ON i.service_record_id = e.service_record_id
         WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The evaluation of the callback task `id`.
pub(crate) async fn callback_evaluation(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT evaluation_id FROM callback_tasks WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// What a plan's events tell (and its evaluation's id).
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PlanFacts {
    pub(crate) evaluation_id: i64,
    pub(crate) status: String,
    pub(crate) due_at: String,
    pub(crate) review_comment: Option<String>,
}

/// The improvement plan `id`'s facts.
pub(crate) async fn plan(conn: &mut Conn, id: i64) -> Result<Option<PlanFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT evaluation_id, status, due_at, review_comment FROM improvement_plans WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// What a rectification's events tell.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct RectificationFacts {
    pub(crate) owner_id: i64,
    pub(crate) owner_no: Option<String>,
    pub(crate) owner_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) item: String,
    pub(crate) deadline: String,
    pub(crate) status: String,
    pub(crate) result: Option<String>,
    pub(crate) check_note: Option<String>,
    pub(crate) inspector_id: i64,
}

/// The rectification `id`'s facts.
pub(crate) async fn rectification(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<RectificationFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT q.owner_id, u.employee_no AS owner_no, u.display_name AS owner_name, u.team_id,
             t.name AS team_name, i.name_zh AS item, q.deadline, q.status, q.result, q.check_note,
             n.inspector_id
         FROM qa_rectifications q
         JOIN qa_inspections n ON n.id = q.inspection_id
         JOIN users u ON u.id = q.owner_id
         LEFT JOIN teams t ON t.id = u.team_id
         JOIN qa_items i ON i.id = q.item_id
         WHERE q.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// What a coaching session's events tell.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CoachingFacts {
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) coach_id: i64,
    pub(crate) coach_name: String,
    pub(crate) action: String,
    pub(crate) follow_up_date: String,
    pub(crate) created_at: String,
    pub(crate) acknowledged_at: Option<String>,
    pub(crate) followed_up_at: Option<String>,
}

impl CoachingFacts {
    pub(crate) fn agent(&self) -> EventAgent {
        EventAgent {
            id: self.agent_id,
            agent_no: self.agent_no.clone(),
            name: self.agent_name.clone(),
            team_id: self.team_id,
            team_name: self.team_name.clone(),
        }
    }
}

/// The coaching session `id`'s facts (the agent's team now).
pub(crate) async fn coaching(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<CoachingFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT c.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, a.team_id,
             t.name AS team_name, c.coach_id, co.display_name AS coach_name, c.action,
             c.follow_up_date, c.created_at, c.acknowledged_at, c.followed_up_at
         FROM coaching_sessions c
         JOIN users a ON a.id = c.agent_id
         LEFT JOIN teams t ON t.id = a.team_id
         JOIN users co ON co.id = c.coach_id
         WHERE c.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// What a dispute's events tell beside the dispute itself: its agent as payloads name them
/// and the inspected service's type.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DisputeFacts {
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) service_type: String,
}

impl DisputeFacts {
    pub(crate) fn agent(&self) -> EventAgent {
        EventAgent {
            id: self.agent_id,
            agent_no: self.agent_no.clone(),
            name: self.agent_name.clone(),
            team_id: self.team_id,
            team_name: self.team_name.clone(),
        }
    }
}

/// The dispute `id`'s agent and service type.
pub(crate) async fn dispute(conn: &mut Conn, id: i64) -> Result<Option<DisputeFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT r.agent_id, a.employee_no AS agent_no, a.display_name AS agent_name, a.team_id,
             t.name AS team_name, r.service_type
         FROM qa_disputes d
         JOIN qa_samples s ON s.id = d.sample_id
         JOIN service_records r ON r.id = s.service_record_id
         JOIN users a ON a.id = r.agent_id
         LEFT JOIN teams t ON t.id = a.team_id
         WHERE d.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// What a report's event tells.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ReportFacts {
    pub(crate) kind: String,
    pub(crate) period_key: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
}

/// The kept report `id`'s facts.
pub(crate) async fn report(conn: &mut Conn, id: i64) -> Result<Option<ReportFacts>, sqlx::Error> {
    sql::query_as(
        "SELECT r.kind, r.period_key, NULLIF(r.scope_team_id, 0) AS team_id, t.name AS team_name,
                t.name_en AS team_name_en
         FROM reports r LEFT JOIN teams t ON t.id = r.scope_team_id WHERE r.id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Records the events of what became due soon or overdue in `(from, now]`, where `from` is
/// where the last check stopped (a day ago the first time): callbacks and improvement plans
/// past their due time undone, plans due within a day, rectifications past their deadline
/// (the day after it, China time) not closed. Each once (its dedupe key names its due time).
/// How many were recorded.
pub(crate) async fn record_due(conn: &mut Conn, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    const CHECK: &str = "due";
    let last: Option<String> =
        sql::query_scalar("SELECT checked_until FROM event_checks WHERE name = ?")
            .bind(CHECK)
            .fetch_optional(&mut *conn)
            .await?;
    let from = match last.as_deref().map(crate::time::from_db).transpose()? {
        Some(from) if from <= now => from,
        _ => now - chrono::Duration::days(1),
    };
    let day = chrono::Duration::days(1);
    let (from_db, now_db) = (to_db(from), to_db(now));
    let mut recorded = 0;
    for (sql, lower, upper) in [
        (
            "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
             SELECT 'callback.overdue', 'callback.overdue:' || id || ':' || due_at, 'callback',
                 id, ?3
             FROM callback_tasks WHERE done_at IS NULL AND due_at > ?1 AND due_at <= ?2
             ORDER BY due_at, id
             ON CONFLICT (dedupe_key) DO NOTHING",
            from_db.clone(),
            now_db.clone(),
        ),
        (
            "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
             SELECT 'plan.overdue', 'plan.overdue:' || id || ':' || due_at, 'plan', id, ?3
             FROM improvement_plans
             WHERE status IN ('open', 'sent_back') AND due_at > ?1 AND due_at <= ?2
             ORDER BY due_at, id
             ON CONFLICT (dedupe_key) DO NOTHING",
            from_db.clone(),
            now_db.clone(),
        ),
        (
            "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
             SELECT 'plan.due_soon', 'plan.due_soon:' || id || ':' || due_at, 'plan', id, ?3
             FROM improvement_plans
             WHERE status IN ('open', 'sent_back') AND due_at > ?1 AND due_at <= ?2
             ORDER BY due_at, id
             ON CONFLICT (dedupe_key) DO NOTHING",
            to_db(from + day),
            to_db(now + day),
        ),
        (
            "INSERT INTO events (type, dedupe_key, subject_kind, subject_id, created_at)
             SELECT 'rectification.overdue', 'rectification.overdue:' || id || ':' || deadline,
                 'rectification', id, ?3
             FROM qa_rectifications
             WHERE status <> 'closed' AND deadline >= ?1 AND deadline <= ?2
             ORDER BY deadline, id
             ON CONFLICT (dedupe_key) DO NOTHING",
            crate::time::org_day(from).to_string(),
            (crate::time::org_day(now) - day).to_string(),
        ),
    ] {
        recorded += sql::query(sql)
            .bind(lower)
            .bind(upper)
            .bind(&now_db)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    sql::query(
        "INSERT INTO event_checks (name, checked_until) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET checked_until = ?2",
    )
    .bind(CHECK)
    .bind(&now_db)
    .execute(conn)
    .await?;
    Ok(recorded)
}
