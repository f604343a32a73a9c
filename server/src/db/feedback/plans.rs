//! Improvement plans (改进计划) as stored, with their working-day window.

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::feedback::{
    ImprovementPlan, PlanStatus, PlanWindow, plan_compare_days, plan_overdue,
};

use crate::db::analytics::{count, round};
use crate::error::AppError;
use crate::time::{from_db, org_day, org_day_start, to_db};

pub(crate) const PLAN_SELECT: &str = "SELECT p.id, e.number, a.employee_no AS agent_no, \
     a.display_name AS agent_name, a.team_id, t.name AS team_name, t.name_en AS team_name_en, \
     e.suggestion, e.overall, \
     p.status, p.created_at, p.due_at, p.measures, p.target_date, p.submitted_at, \
     r.display_name AS reviewer_name, p.review_comment, p.reviewed_at, p.agent_id \
     FROM improvement_plans p \
     JOIN evaluations e ON e.id = p.evaluation_id \
     JOIN users a ON a.id = p.agent_id \
     LEFT JOIN teams t ON t.id = a.team_id \
     LEFT JOIN users r ON r.id = p.reviewed_by";

#[derive(sqlx::FromRow)]
pub(crate) struct PlanRow {
    pub(crate) id: i64,
    pub(crate) number: String,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) suggestion: Option<String>,
    pub(crate) overall: i64,
    pub(crate) status: String,
    pub(crate) created_at: String,
    pub(crate) due_at: String,
    pub(crate) measures: Option<String>,
    pub(crate) target_date: Option<String>,
    pub(crate) submitted_at: Option<String>,
    pub(crate) reviewer_name: Option<String>,
    pub(crate) review_comment: Option<String>,
    pub(crate) reviewed_at: Option<String>,
    pub(crate) agent_id: i64,
}

/// An agent's evaluations submitted on the days `[first, end)` (the organisation's), from
/// the agent's kept day sums alone: a plan's window costs the same whatever the agent's
/// history.
pub(crate) async fn window(
    conn: &mut Conn,
    agent_id: i64,
    (first, end): (NaiveDate, NaiveDate),
) -> Result<PlanWindow, sqlx::Error> {
    let (n, total, overall): (i64, Option<f64>, Option<f64>) = sql::query_as(
        "SELECT COALESCE(SUM(k.evaluations), 0),
                CAST(SUM(k.total_tenths) AS DOUBLE PRECISION) / 10,
                CAST(SUM(k.overall_sum) AS DOUBLE PRECISION)
         FROM agent_day_sums k WHERE k.agent_id = ? AND k.day >= ? AND k.day < ?",
    )
    .bind(agent_id)
    .bind(first.to_string())
    .bind(end.to_string())
    .fetch_one(conn)
    .await?;
    let (from, to) = (org_day_start(first), org_day_start(end));
    let mean = |sum: Option<f64>| sum.filter(|_| n > 0).map(|s| s / n as f64);
    Ok(PlanWindow {
        from,
        to,
        count: count(n),
        average_total: round(mean(total), 2),
        average_overall: round(mean(overall), 2),
    })
}

/// The agent's scores in the 30 days before `at` (a plan opened, a coaching session held)
/// and, once they have passed, in the 30 days after; the change of the mean total score.
pub(crate) async fn compare(
    conn: &mut Conn,
    agent_id: i64,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(PlanWindow, Option<PlanWindow>, Option<f64>), sqlx::Error> {
    let [before_days, after_days] = plan_compare_days(org_day(at));
    let before = window(conn, agent_id, before_days).await?;
    let after = if now >= org_day_start(after_days.1) {
        Some(window(conn, agent_id, after_days).await?)
    } else {
        None
    };
    let change = after
        .as_ref()
        .and_then(|a| Some(a.average_total? - before.average_total?))
        .map(|c| (c * 100.0).round() / 100.0);
    Ok((before, after, change))
}

impl PlanRow {
    pub(crate) async fn into_plan(
        self,
        conn: &mut Conn,
        now: DateTime<Utc>,
    ) -> Result<ImprovementPlan, AppError> {
        let status = PlanStatus::parse(&self.status)
            .ok_or_else(|| AppError::Internal(format!("plan status {}", self.status)))?;
        let created_at = from_db(&self.created_at)?;
        let due_at = from_db(&self.due_at)?;
        let (before, after, change) = compare(conn, self.agent_id, created_at, now).await?;
        let optional_time = |t: &Option<String>| t.as_deref().map(from_db).transpose();
        Ok(ImprovementPlan {
            id: self.id,
            evaluation_number: self.number,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
            team_name_en: self.team_name_en,
            suggestion: self.suggestion.unwrap_or_default(),
            overall: u8::try_from(self.overall).unwrap_or(0),
            status,
            created_at,
            due_at,
            overdue: plan_overdue(status, due_at, now),
            measures: self.measures,
            target_date: self
                .target_date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            submitted_at: optional_time(&self.submitted_at)?,
            reviewer_name: self.reviewer_name,
            review_comment: self.review_comment,
            reviewed_at: optional_time(&self.reviewed_at)?,
            before,
            after,
            change,
        })
    }
}

pub(crate) async fn plan_row(conn: &mut Conn, id: i64) -> Result<PlanRow, AppError> {
    sql::query_as(&format!("{PLAN_SELECT} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The improvement plan {id}")))
}

/// Records the agent's verdict on the suggestion of the evaluation numbered `number`, which
/// counts as reading it; the evaluation's id.
pub(crate) async fn assess_suggestion(
    conn: &mut Conn,
    number: &str,
    agent_id: i64,
    reasonable: bool,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sql::query_scalar("SELECT id FROM evaluations WHERE number = ?")
        .bind(number)
        .fetch_one(&mut *conn)
        .await?;
    sql::query(
        "INSERT INTO suggestion_assessments (evaluation_id, agent_id, reasonable, reason, assessed_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(agent_id)
    .bind(reasonable)
    .bind(reason)
    .bind(to_db(now))
    .execute(&mut *conn)
    .await?;
    sql::query("UPDATE evaluations SET agent_read_at = ? WHERE id = ? AND agent_read_at IS NULL")
        .bind(to_db(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Opens an improvement plan of `agent_id` on the evaluation `evaluation_id`, due at `due`;
/// its id.
pub(crate) async fn open_plan(
    conn: &mut Conn,
    evaluation_id: i64,
    agent_id: i64,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sql::query_scalar(
        "INSERT INTO improvement_plans (evaluation_id, agent_id, created_at, due_at)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(evaluation_id)
    .bind(agent_id)
    .bind(to_db(now))
    .bind(to_db(due))
    .fetch_one(conn)
    .await
}

/// Which plans a list shows: of one agent or one team (or all), in one status, only those
/// overdue at a time.
pub(crate) struct PlanFilter<'a> {
    pub(crate) agent_id: Option<i64>,
    pub(crate) team_id: Option<i64>,
    pub(crate) status: Option<&'a str>,
    pub(crate) overdue_at: Option<DateTime<Utc>>,
}

/// The plans `filter` selects (at most 500): those owing measures first by due time, then
/// the rest newest first.
pub(crate) async fn plan_rows(
    conn: &mut Conn,
    filter: &PlanFilter<'_>,
) -> Result<Vec<PlanRow>, sqlx::Error> {
    let mut q = QueryBuilder::new(format!("{PLAN_SELECT} WHERE 1 = 1"));
    if let Some(agent_id) = filter.agent_id {
        q.push(" AND p.agent_id = ").push_bind(agent_id);
    }
    if let Some(team_id) = filter.team_id {
        q.push(" AND a.team_id = ").push_bind(team_id);
    }
    if let Some(status) = filter.status {
        q.push(" AND p.status = ").push_bind(status);
    }
    if let Some(now) = filter.overdue_at {
        q.push(" AND p.status IN ('open', 'sent_back') AND p.due_at < ")
            .push_bind(to_db(now));
    }
    q.push(
        " ORDER BY CASE WHEN p.status IN ('open', 'sent_back') THEN 0 \
         WHEN p.status = 'submitted' THEN 1 ELSE 2 END, \
         CASE WHEN p.status = 'acknowledged' THEN NULL ELSE p.due_at END, p.created_at DESC \
         LIMIT 500",
    );
    q.build_query_as().fetch_all(conn).await
}

/// Records the measures of the plan `id` and its target date: submitted.
pub(crate) async fn submit_measures(
    conn: &mut Conn,
    id: i64,
    measures: &str,
    target_date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE improvement_plans SET status = 'submitted', measures = ?, target_date = ?,
             submitted_at = ? WHERE id = ?",
    )
    .bind(measures)
    .bind(target_date.to_string())
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the review of the plan `id` by `by`: its new status and the comment.
pub(crate) async fn review(
    conn: &mut Conn,
    id: i64,
    status: PlanStatus,
    by: i64,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE improvement_plans SET status = ?, reviewed_by = ?, review_comment = ?,
             reviewed_at = ? WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(by)
    .bind(comment)
    .bind(to_db(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The first `limit` plans of a team awaiting the lead's review (`submitted`), or with the
/// agents (neither submitted nor acknowledged), by due time.
pub(crate) async fn team_open_plans(
    conn: &mut Conn,
    team_id: i64,
    awaiting_review: bool,
    limit: u32,
) -> Result<Vec<PlanRow>, sqlx::Error> {
    let status = if awaiting_review {
        "p.status = 'submitted'"
    } else {
        "p.status NOT IN ('submitted', 'acknowledged')"
    };
    sql::query_as(&format!(
        "{PLAN_SELECT} WHERE a.team_id = ? AND {status} ORDER BY p.due_at, p.id LIMIT ?"
    ))
    .bind(team_id)
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await
}

/// How many plans of a team await the lead's review, and how many are with the agents.
pub(crate) async fn team_open_plan_counts(
    conn: &mut Conn,
    team_id: i64,
) -> Result<(u64, u64), sqlx::Error> {
    let (review, agents): (i64, i64) = sql::query_as(
        "SELECT COALESCE(SUM(CASE WHEN p.status = 'submitted' THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN p.status = 'submitted' THEN 0 ELSE 1 END), 0) \
         FROM improvement_plans p JOIN users a ON a.id = p.agent_id \
         WHERE a.team_id = ? AND p.status <> 'acknowledged'",
    )
    .bind(team_id)
    .fetch_one(conn)
    .await?;
    Ok((count(review), count(agents)))
}
