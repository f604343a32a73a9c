//! Coaching sessions (辅导记录) as stored: recorded, listed a page at a time, acknowledged,
//! followed up; the agent a source names, the targets it offers, and the QA scores of a
//! window beside the plan's customer scores.

use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::feedback::{
    CoachingAgent, CoachingCounts, CoachingSession, CoachingSource, CoachingSourceKind,
    CoachingState, CoachingTarget, CoachingTargetKind, QaWindow, follow_up_overdue,
};

use crate::db::analytics::{count, dimension_names, round};
use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use crate::error::AppError;
use crate::time::{from_db, org_day_start, to_db};

const SELECT: &str = "SELECT c.id, c.agent_id, a.employee_no AS agent_no, \
     a.display_name AS agent_name, a.team_id, t.name AS team_name, t.name_en AS team_name_en, \
     k.display_name AS coach_name, c.source_kind, c.source_ref, c.discussion, c.targets_json, \
     c.action, c.follow_up_date, c.created_at, c.acknowledged_at, c.agent_comment, \
     c.followed_up_at \
     FROM coaching_sessions c \
     JOIN users a ON a.id = c.agent_id \
     JOIN users k ON k.id = c.coach_id \
     LEFT JOIN teams t ON t.id = a.team_id";

#[derive(sqlx::FromRow)]
pub(crate) struct CoachingRow {
    pub(crate) id: i64,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    /// The agent's team now.
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) coach_name: String,
    pub(crate) source_kind: Option<String>,
    pub(crate) source_ref: Option<String>,
    pub(crate) discussion: String,
    pub(crate) targets_json: String,
    pub(crate) action: String,
    pub(crate) follow_up_date: String,
    pub(crate) created_at: String,
    pub(crate) acknowledged_at: Option<String>,
    pub(crate) agent_comment: Option<String>,
    pub(crate) followed_up_at: Option<String>,
}

impl CoachingRow {
    pub(crate) fn state(&self) -> CoachingState {
        CoachingState::of(
            self.acknowledged_at.is_some(),
            self.followed_up_at.is_some(),
        )
    }

    pub(crate) fn created_at(&self) -> Result<DateTime<Utc>, AppError> {
        Ok(from_db(&self.created_at)?)
    }

    pub(crate) fn into_session(self, today: NaiveDate) -> Result<CoachingSession, AppError> {
        let state = self.state();
        let follow_up_date = NaiveDate::parse_from_str(&self.follow_up_date, "%Y-%m-%d")
            .map_err(|e| AppError::Internal(format!("follow-up date: {e}")))?;
        let source = match (self.source_kind.as_deref(), self.source_ref) {
            (Some(kind), Some(reference)) => Some(CoachingSource {
                kind: CoachingSourceKind::parse(kind)
                    .ok_or_else(|| AppError::Internal(format!("coaching source {kind}")))?,
                reference,
            }),
            _ => None,
        };
        let targets: Vec<CoachingTarget> = serde_json::from_str(&self.targets_json)
            .map_err(|e| AppError::Internal(format!("coaching targets: {e}")))?;
        let optional_time = |t: &Option<String>| t.as_deref().map(from_db).transpose();
        Ok(CoachingSession {
            id: self.id,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            team_name_en: self.team_name_en,
            coach_name: self.coach_name,
            source,
            discussion: self.discussion,
            targets,
            action: self.action,
            follow_up_date,
            created_at: from_db(&self.created_at)?,
            state,
            acknowledged_at: optional_time(&self.acknowledged_at)?,
            agent_comment: self.agent_comment,
            followed_up_at: optional_time(&self.followed_up_at)?,
            follow_up_overdue: follow_up_overdue(state, follow_up_date, today),
        })
    }
}

pub(crate) async fn coaching_row(conn: &mut Conn, id: i64) -> Result<CoachingRow, AppError> {
    sql::query_as(&format!("{SELECT} WHERE c.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The coaching session {id}")))
}

/// A session to store: whom, by whom, from what, and what was said and agreed.
pub(crate) struct NewSession<'a> {
    pub(crate) agent_id: i64,
    pub(crate) team_id: Option<i64>,
    pub(crate) coach_id: i64,
    pub(crate) source: Option<&'a CoachingSource>,
    pub(crate) discussion: &'a str,
    pub(crate) targets: &'a [CoachingTarget],
    pub(crate) action: &'a str,
    pub(crate) follow_up_date: NaiveDate,
}

/// Stores a session; its id.
pub(crate) async fn insert_coaching(
    conn: &mut Conn,
    new: &NewSession<'_>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let targets = serde_json::to_string(new.targets)
        .map_err(|e| AppError::Internal(format!("coaching targets: {e}")))?;
    Ok(sql::query_scalar(
        "INSERT INTO coaching_sessions (agent_id, team_id, coach_id, source_kind, source_ref,
             discussion, targets_json, action, follow_up_date, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.agent_id)
    .bind(new.team_id)
    .bind(new.coach_id)
    .bind(new.source.map(|s| s.kind.as_str()))
    .bind(new.source.map(|s| s.reference.trim().to_owned()))
    .bind(new.discussion)
    .bind(targets)
    .bind(new.action)
    .bind(new.follow_up_date.to_string())
    .bind(to_db(now))
    .fetch_one(conn)
    .await?)
}

/// Records the agent's acknowledgement (once: only a session not acknowledged yet changes);
/// whether it changed.
pub(crate) async fn acknowledge_coaching(
    conn: &mut Conn,
    id: i64,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "UPDATE coaching_sessions SET acknowledged_at = ?, agent_comment = ?
         WHERE id = ? AND acknowledged_at IS NULL",
    )
    .bind(to_db(now))
    .bind(comment)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the lead's follow-up of an acknowledged session; whether it changed.
pub(crate) async fn follow_up_coaching(
    conn: &mut Conn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sql::query(
        "UPDATE coaching_sessions SET followed_up_at = ?
         WHERE id = ? AND acknowledged_at IS NOT NULL AND followed_up_at IS NULL",
    )
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which sessions a list shows.
#[derive(Default)]
pub(crate) struct CoachingFilter {
    /// Only this agent's (an agent's own list).
    pub(crate) agent_id: Option<i64>,
    /// Only the agents of this team now (a lead's list; `-1` for none).
    pub(crate) team_id: Option<i64>,
    pub(crate) agent_no: Option<String>,
    pub(crate) state: Option<CoachingState>,
    /// Recorded on these days of the organisation, both included.
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
}

const STATE_AWAITING: &str = "c.acknowledged_at IS NULL AND c.followed_up_at IS NULL";
const STATE_ACKNOWLEDGED: &str = "c.acknowledged_at IS NOT NULL AND c.followed_up_at IS NULL";
const STATE_FOLLOWED_UP: &str = "c.followed_up_at IS NOT NULL";

fn state_sql(state: CoachingState) -> &'static str {
    match state {
        CoachingState::Awaiting => STATE_AWAITING,
        CoachingState::Acknowledged => STATE_ACKNOWLEDGED,
        CoachingState::FollowedUp => STATE_FOLLOWED_UP,
    }
}

/// The filter but the state, after a `WHERE 1 = 1`.
fn push_filter(q: &mut QueryBuilder, filter: &CoachingFilter) {
    if let Some(agent_id) = filter.agent_id {
        q.push(" AND c.agent_id = ").push_bind(agent_id);
    }
    if let Some(team_id) = filter.team_id {
        q.push(" AND a.team_id = ").push_bind(team_id);
    }
    if let Some(no) = &filter.agent_no {
        q.push(" AND a.employee_no = ").push_bind(no.clone());
    }
    if let Some(from) = filter.from {
        q.push(" AND c.created_at >= ")
            .push_bind(to_db(org_day_start(from)));
    }
    if let Some(to) = filter.to {
        q.push(" AND c.created_at < ")
            .push_bind(to_db(org_day_start(to + chrono::Days::new(1))));
    }
}

/// How many sessions each state holds under the filter (its state aside), and how many of
/// all those have an overdue follow-up on `today`.
pub(crate) async fn coaching_counts(
    conn: &mut Conn,
    filter: &CoachingFilter,
    today: NaiveDate,
) -> Result<(CoachingCounts, u64), sqlx::Error> {
    let mut q = QueryBuilder::new(format!(
        "SELECT COALESCE({}, 0), COALESCE({}, 0), COALESCE({}, 0), COALESCE({}, 0) \
         FROM coaching_sessions c JOIN users a ON a.id = c.agent_id WHERE 1 = 1",
        sql::count_if(STATE_AWAITING),
        sql::count_if(STATE_ACKNOWLEDGED),
        sql::count_if(STATE_FOLLOWED_UP),
        sql::count_if(&format!(
            "c.followed_up_at IS NULL AND c.follow_up_date < '{today}'"
        )),
    ));
    push_filter(&mut q, filter);
    let (awaiting, acknowledged, followed_up, overdue): (i64, i64, i64, i64) =
        q.build_query_as().fetch_one(conn).await?;
    Ok((
        CoachingCounts {
            awaiting: count(awaiting),
            acknowledged: count(acknowledged),
            followed_up: count(followed_up),
        },
        count(overdue),
    ))
}

/// One page of the sessions the filter selects: those awaiting acknowledgement first, then
/// those whose follow-up is still to come by follow-up day, then the rest newest first.
pub(crate) async fn coaching_page(
    conn: &mut Conn,
    filter: &CoachingFilter,
    page: u32,
    per_page: u32,
) -> Result<Vec<CoachingRow>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!("{SELECT} WHERE 1 = 1"));
    push_filter(&mut q, filter);
    if let Some(state) = filter.state {
        q.push(" AND ").push(state_sql(state));
    }
    q.push(format!(
        " ORDER BY CASE WHEN {STATE_AWAITING} THEN 0 WHEN {STATE_ACKNOWLEDGED} THEN 1 ELSE 2 END, \
         c.created_at DESC, c.id DESC LIMIT "
    ))
    .push_bind(i64::from(per_page))
    .push(" OFFSET ")
    .push_bind(i64::from(page.saturating_sub(1)) * i64::from(per_page));
    q.build_query_as().fetch_all(conn).await
}

/// The agents a filter or a form offers: of the team (`Some`) or all, only those with a
/// session or not.
pub(crate) async fn coaching_agent_choices(
    conn: &mut Conn,
    team_id: Option<i64>,
    coached_only: bool,
) -> Result<Vec<CoachingAgent>, sqlx::Error> {
    let mut q = QueryBuilder::new(
        "SELECT a.employee_no, a.display_name FROM users a WHERE a.role = 'agent' \
         AND a.employee_no IS NOT NULL",
    );
    if let Some(team) = team_id {
        q.push(" AND a.team_id = ").push_bind(team);
    }
    if coached_only {
        q.push(" AND a.id IN (SELECT agent_id FROM coaching_sessions)");
    }
    q.push(" ORDER BY a.employee_no LIMIT 500");
    let rows: Vec<(String, String)> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(no, name)| CoachingAgent { no, name })
        .collect())
}

/// An agent as coaching reads them: id, team, number and name.
pub(crate) struct CoachedAgent {
    pub(crate) id: i64,
    pub(crate) team_id: Option<i64>,
    pub(crate) no: String,
    pub(crate) name: String,
}

/// The enabled agent numbered `no`, if any.
pub(crate) async fn agent_by_no(
    conn: &mut Conn,
    no: &str,
) -> Result<Option<CoachedAgent>, sqlx::Error> {
    let row: Option<(i64, Option<i64>, String, String)> = sql::query_as(
        "SELECT id, team_id, employee_no, display_name FROM users
         WHERE employee_no = ? AND role = 'agent' AND NOT disabled",
    )
    .bind(no)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, team_id, no, name)| CoachedAgent {
        id,
        team_id,
        no,
        name,
    }))
}

/// The agent a source is about (the inspected service's, the evaluation's, the plan's) and,
/// for an inspection, its template; `None` when there is no such source.
pub(crate) async fn source_agent(
    conn: &mut Conn,
    source: &CoachingSource,
) -> Result<Option<(CoachedAgent, Option<i64>)>, sqlx::Error> {
    let reference = source.reference.trim();
    let id = reference.parse::<i64>().ok();
    let found: Option<(i64, Option<i64>)> = match source.kind {
        CoachingSourceKind::Inspection => {
            sql::query_as(
                "SELECT r.agent_id, p.template_id FROM qa_inspections i
                 JOIN qa_samples s ON s.id = i.sample_id
                 JOIN qa_plans p ON p.id = s.plan_id
                 JOIN service_records r ON r.id = s.service_record_id
                 WHERE i.id = ?",
            )
            .bind(id.unwrap_or(-1))
            .fetch_optional(&mut *conn)
            .await?
        }
        CoachingSourceKind::Evaluation => {
            sql::query_as("SELECT agent_id, NULL FROM evaluations WHERE number = ?")
                .bind(reference)
                .fetch_optional(&mut *conn)
                .await?
        }
        CoachingSourceKind::Plan => {
            sql::query_as("SELECT agent_id, NULL FROM improvement_plans WHERE id = ?")
                .bind(id.unwrap_or(-1))
                .fetch_optional(&mut *conn)
                .await?
        }
    };
    let Some((agent_id, template)) = found else {
        return Ok(None);
    };
    let row: (i64, Option<i64>, Option<String>, String) =
        sql::query_as("SELECT id, team_id, employee_no, display_name FROM users WHERE id = ?")
            .bind(agent_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some((
        CoachedAgent {
            id: row.0,
            team_id: row.1,
            no: row.2.unwrap_or_default(),
            name: row.3,
        },
        template,
    )))
}

/// What a session may target: the template's checklist items (an inspection's), else the
/// rating dimensions.
pub(crate) async fn target_choices(
    conn: &mut Conn,
    template: Option<i64>,
) -> Result<Vec<CoachingTarget>, sqlx::Error> {
    if let Some(template) = template {
        let rows: Vec<(i64, String, String)> = sql::query_as(
            "SELECT it.id, it.name_zh, it.name_en FROM qa_items it
             JOIN qa_dimensions d ON d.id = it.dimension_id
             WHERE d.template_id = ? ORDER BY d.position, it.position",
        )
        .bind(template)
        .fetch_all(conn)
        .await?;
        return Ok(rows
            .into_iter()
            .map(|(id, name_zh, name_en)| CoachingTarget {
                kind: CoachingTargetKind::Item,
                code: id.to_string(),
                name_zh,
                name_en,
            })
            .collect());
    }
    Ok(dimension_names(conn)
        .await?
        .into_iter()
        .map(|(d, _)| CoachingTarget {
            kind: CoachingTargetKind::Dimension,
            code: d.code,
            name_zh: d.name_zh,
            name_en: d.name_en,
        })
        .collect())
}

/// The QA scores of the inspections of the agent's services that ended on the days
/// `[first, end)` (the organisation's).
pub(crate) async fn qa_window(
    conn: &mut Conn,
    agent_id: i64,
    (first, end): (NaiveDate, NaiveDate),
) -> Result<QaWindow, sqlx::Error> {
    let (n, sum): (i64, Option<f64>) = sql::query_as(
        "SELECT COUNT(i.id), CAST(SUM(i.qa_score) AS DOUBLE PRECISION)
         FROM service_records r
         JOIN qa_samples s ON s.service_record_id = r.id
         JOIN qa_inspections i ON i.sample_id = s.id
         WHERE r.agent_id = ? AND r.ended_at >= ? AND r.ended_at < ?",
    )
    .bind(agent_id)
    .bind(to_db(org_day_start(first)))
    .bind(to_db(org_day_start(end)))
    .fetch_one(conn)
    .await?;
    Ok(QaWindow {
        count: count(n),
        average: round(sum.filter(|_| n > 0).map(|s| s / n as f64), 2),
    })
}
