//! A plan's report: what was inspected, dimension means, the customers' scores and the
//! composite, aggregated from the stored inspections.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::NaiveDate;
use pingjia_domain::qa::{ItemAnswers, ItemResult, Person, round_to};

use crate::db::parse_stored;
use crate::error::AppError;
use crate::time::{org_day_start, to_db};

use super::count;

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub(crate) struct InspectedRow {
    pub(crate) id: i64,
    pub(crate) employee_no: Option<String>,
    pub(crate) display_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) external_id: String,
    pub(crate) qa_score: f64,
    pub(crate) highlights: Option<String>,
}

/// One inspection of a plan as the report reads it.
pub(crate) struct Inspected {
    pub(crate) agent: Person,
    pub(crate) team: Option<(i64, String)>,
    pub(crate) external_id: String,
    pub(crate) qa_score: f64,
    pub(crate) highlights: Option<String>,
}

pub(crate) async fn inspected(conn: &mut Conn, plan_id: i64) -> Result<Vec<Inspected>, AppError> {
    let rows: Vec<InspectedRow> = sql::query_as(
        "SELECT a.id, a.employee_no, a.display_name, t.id AS team_id, t.name AS team_name,
                r.external_id, i.qa_score, i.highlights
         FROM qa_inspections i JOIN qa_samples s ON s.id = i.sample_id
         JOIN service_records r ON r.id = s.service_record_id
         JOIN users a ON a.id = r.agent_id LEFT JOIN teams t ON t.id = a.team_id
         WHERE s.plan_id = ? ORDER BY i.id",
    )
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Inspected {
            agent: Person {
                id: r.id,
                no: r.employee_no.unwrap_or_default(),
                name: r.display_name,
            },
            team: r.team_id.zip(r.team_name),
            external_id: r.external_id,
            qa_score: r.qa_score,
            highlights: r.highlights,
        })
        .collect())
}

/// Mean rubric score per dimension of a plan, by dimension id.
pub(crate) async fn dimension_means(
    conn: &mut Conn,
    plan_id: i64,
) -> Result<HashMap<i64, f64>, AppError> {
    let rows: Vec<(i64, f64)> = sql::query_as(
        "SELECT q.dimension_id, AVG(q.score) FROM qa_scores q
         JOIN qa_inspections i ON i.id = q.inspection_id JOIN qa_samples s ON s.id = i.sample_id
         WHERE s.plan_id = ? GROUP BY q.dimension_id",
    )
    .bind(plan_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(d, m)| (d, round_to(m, 2))).collect())
}

/// The customers' current, undeleted evaluations of the services each of `agents` ended in
/// `from..=to` (days of the organisation): per agent, the sum of their total scores and how
/// many. From the agents' kept sums per day a service ended (`agent_service_sums`, migration
/// 0029): the cost follows the period and the agents, not the evaluations.
pub(crate) async fn customer_sums(
    conn: &mut Conn,
    agents: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i64, (f64, u64)>, AppError> {
    if agents.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = QueryBuilder::new(
        "SELECT k.agent_id, SUM(k.total_tenths), SUM(k.evaluations) \
         FROM agent_service_sums k WHERE k.agent_id IN (",
    );
    let mut ids = q.separated(", ");
    for agent in agents {
        ids.push_bind(*agent);
    }
    q.push(") AND k.day BETWEEN ")
        .push_bind(from.to_string())
        .push(" AND ")
        .push_bind(to.to_string())
        .push(" GROUP BY k.agent_id");
    let rows: Vec<(i64, i64, i64)> = q.build_query_as().fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(agent, tenths, n)| (agent, (tenths as f64 / 10.0, count(n))))
        .collect())
}

/// Every answer of the inspections of plan `plan_id`: item, result and the problem described,
/// in the order of the inspections.
pub(crate) async fn item_answers(conn: &mut Conn, plan_id: i64) -> Result<ItemAnswers, AppError> {
    let rows: Vec<(i64, String, Option<String>)> = sql::query_as(
        "SELECT a.item_id, a.result, a.problem FROM qa_answers a
         JOIN qa_inspections i ON i.id = a.inspection_id JOIN qa_samples s ON s.id = i.sample_id
         WHERE s.plan_id = ? ORDER BY i.id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let answers = rows
        .into_iter()
        .map(|(item, result, problem)| {
            Ok((item, parse_stored(&result, ItemResult::parse)?, problem))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(ItemAnswers::new(answers))
}

// ---------------------------------------------------------------------------------------------
// A report anchored on a coaching session
// ---------------------------------------------------------------------------------------------

/// The inspections of an agent's services that ended in a window, on one checklist: their QA
/// scores, the mean rubric score per dimension (by id) and every answer.
#[derive(Default)]
pub(crate) struct AgentWindow {
    pub(crate) qa_scores: Vec<f64>,
    pub(crate) means: HashMap<i64, f64>,
    pub(crate) answers: ItemAnswers,
}

/// `select` (from a table joined to the inspection `i`), then the joins and conditions of
/// `agent_id`'s inspections on template `template_id` of services that ended in
/// `[from, to)`, then `tail`.
fn in_window<'a>(
    select: &str,
    (template_id, agent_id): (i64, i64),
    (from, to): (&str, &str),
    tail: &str,
) -> QueryBuilder<'a> {
    let mut q = QueryBuilder::new(select);
    q.push(
        " JOIN qa_samples s ON s.id = i.sample_id JOIN qa_plans p ON p.id = s.plan_id \
         JOIN service_records r ON r.id = s.service_record_id WHERE p.template_id = ",
    )
    .push_bind(template_id)
    .push(" AND r.agent_id = ")
    .push_bind(agent_id)
    .push(" AND r.ended_at >= ")
    .push_bind(from.to_owned())
    .push(" AND r.ended_at < ")
    .push_bind(to.to_owned())
    .push(tail);
    q
}

/// The inspections of `agent_id`'s services that ended on the days `[first, end)` (the
/// organisation's, as `db::feedback::qa_window` counts them) in the plans on template
/// `template_id`.
pub(crate) async fn agent_window(
    conn: &mut Conn,
    template_id: i64,
    agent_id: i64,
    (first, end): (NaiveDate, NaiveDate),
) -> Result<AgentWindow, AppError> {
    let (from, to) = (to_db(org_day_start(first)), to_db(org_day_start(end)));
    let (who, when) = ((template_id, agent_id), (from.as_str(), to.as_str()));
    let qa_scores: Vec<f64> = in_window(
        "SELECT i.qa_score FROM qa_inspections i",
        who,
        when,
        " ORDER BY i.id",
    )
    .build_query_scalar()
    .fetch_all(&mut *conn)
    .await?;
    let means: Vec<(i64, f64)> = in_window(
        "SELECT q.dimension_id, AVG(q.score) FROM qa_scores q \
         JOIN qa_inspections i ON i.id = q.inspection_id",
        who,
        when,
        " GROUP BY q.dimension_id",
    )
    .build_query_as()
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<(i64, String, Option<String>)> = in_window(
        "SELECT a.item_id, a.result, a.problem FROM qa_answers a \
         JOIN qa_inspections i ON i.id = a.inspection_id",
        who,
        when,
        " ORDER BY i.id",
    )
    .build_query_as()
    .fetch_all(&mut *conn)
    .await?;
    let answers = rows
        .into_iter()
        .map(|(item, result, problem)| {
            Ok((item, parse_stored(&result, ItemResult::parse)?, problem))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(AgentWindow {
        qa_scores,
        means: means
            .into_iter()
            .map(|(d, m)| (d, round_to(m, 2)))
            .collect(),
        answers: ItemAnswers::new(answers),
    })
}

/// The plan a coaching session's QA report is read in: the plan of the inspection it was
/// recorded from, else the latest plan with an inspection of `agent_id`'s services that ended
/// on the days `[first, end)`; none without either.
pub(crate) async fn coaching_report_plan(
    conn: &mut Conn,
    agent_id: i64,
    inspection: Option<i64>,
    (first, end): (NaiveDate, NaiveDate),
) -> Result<Option<i64>, AppError> {
    if let Some(inspection) = inspection {
        let plan: Option<i64> = sql::query_scalar(
            "SELECT s.plan_id FROM qa_inspections i JOIN qa_samples s ON s.id = i.sample_id \
             WHERE i.id = ?",
        )
        .bind(inspection)
        .fetch_optional(&mut *conn)
        .await?;
        if plan.is_some() {
            return Ok(plan);
        }
    }
    let plan: Option<i64> = sql::query_scalar(
        "SELECT MAX(s.plan_id) FROM qa_inspections i JOIN qa_samples s ON s.id = i.sample_id \
         JOIN service_records r ON r.id = s.service_record_id \
         WHERE r.agent_id = ? AND r.ended_at >= ? AND r.ended_at < ?",
    )
    .bind(agent_id)
    .bind(to_db(org_day_start(first)))
    .bind(to_db(org_day_start(end)))
    .fetch_one(&mut *conn)
    .await?;
    Ok(plan)
}
