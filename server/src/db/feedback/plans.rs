//! Improvement plans (改进计划) as stored, with their working-day window.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use pingjia_domain::feedback::{
    ImprovementPlan, PLAN_COMPARE_DAYS, PlanStatus, PlanWindow, plan_overdue,
};
use sqlx::SqliteConnection;

use crate::db::analytics::{count, round};
use crate::error::AppError;
use crate::time::{from_db, to_db};

pub(crate) const PLAN_SELECT: &str = "SELECT p.id, e.number, a.employee_no AS agent_no, \
     a.display_name AS agent_name, a.team_id, t.name AS team_name, e.suggestion, e.overall, \
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

pub(crate) async fn window(
    conn: &mut SqliteConnection,
    agent_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<PlanWindow, sqlx::Error> {
    let (n, total, overall): (i64, Option<f64>, Option<f64>) = sqlx::query_as(
        "SELECT COUNT(*), AVG(total_score), AVG(overall) FROM evaluations
         WHERE agent_id = ? AND submitted_at >= ? AND submitted_at < ? AND status <> 'deleted'",
    )
    .bind(agent_id)
    .bind(to_db(from))
    .bind(to_db(to))
    .fetch_one(conn)
    .await?;
    Ok(PlanWindow {
        from,
        to,
        count: count(n),
        average_total: round(total, 2),
        average_overall: round(overall, 2),
    })
}

impl PlanRow {
    pub(crate) async fn into_plan(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<ImprovementPlan, AppError> {
        let status = PlanStatus::parse(&self.status)
            .ok_or_else(|| AppError::Internal(format!("plan status {}", self.status)))?;
        let created_at = from_db(&self.created_at)?;
        let due_at = from_db(&self.due_at)?;
        let days = Duration::days(PLAN_COMPARE_DAYS);
        let before = window(conn, self.agent_id, created_at - days, created_at).await?;
        let after = if now >= created_at + days {
            Some(window(conn, self.agent_id, created_at, created_at + days).await?)
        } else {
            None
        };
        let change = after
            .as_ref()
            .and_then(|a| Some(a.average_total? - before.average_total?))
            .map(|c| (c * 100.0).round() / 100.0);
        let optional_time = |t: &Option<String>| t.as_deref().map(from_db).transpose();
        Ok(ImprovementPlan {
            id: self.id,
            evaluation_number: self.number,
            agent_no: self.agent_no.unwrap_or_default(),
            agent_name: self.agent_name,
            team_name: self.team_name,
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

pub(crate) async fn plan_row(conn: &mut SqliteConnection, id: i64) -> Result<PlanRow, AppError> {
    sqlx::query_as(&format!("{PLAN_SELECT} WHERE p.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The improvement plan {id}")))
}
