//! The paged QA lists (issue 24): plans, a plan's sampled records, a person's own inspections
//! and rectifications, a page at a time with what needs action first, and the counts and
//! choices of their filters.

use chrono::{DateTime, NaiveDate, Utc};
use pingjia_domain::qa::{
    DEFAULT_SAMPLES_PER_PAGE, Person, PlanChoice, PlanCounts, PlanDetail, PlanState, PlanSummary,
    Rectification, SampleCounts, SampleRow, SampleStatus,
};

use super::{
    PLAN_SELECT, PlanRow, RECT_SELECT, RectRow, SAMPLE_SELECT, SampleDbRow, count, plan_row,
};
use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use crate::error::AppError;
use crate::time::{from_db, to_db};

/// `LIMIT … OFFSET …` of page `page` (from 1).
fn push_page(q: &mut QueryBuilder<'_>, page: u32, per_page: u32) {
    q.push(" LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page.saturating_sub(1)) * i64::from(per_page));
}

fn people(rows: Vec<(i64, Option<String>, String)>) -> Vec<Person> {
    rows.into_iter()
        .map(|(id, no, name)| Person {
            id,
            no: no.unwrap_or_default(),
            name,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

/// What the plan list is filtered by.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PlanFilter {
    pub(crate) state: Option<PlanState>,
    /// Plans dealing records to this inspector.
    pub(crate) inspector_id: Option<i64>,
}

/// Whether plan `p` has a record not inspected yet (of `inspector` when given).
fn push_has_pending(q: &mut QueryBuilder<'_>, inspector: Option<i64>) {
    q.push(
        "EXISTS (SELECT 1 FROM qa_samples s2 LEFT JOIN qa_inspections i2 ON i2.sample_id = s2.id \
         WHERE s2.plan_id = p.id AND i2.id IS NULL",
    );
    if let Some(inspector) = inspector {
        q.push(" AND s2.inspector_id = ").push_bind(inspector);
    }
    q.push(")");
}

/// ` WHERE …`: the inspector filter.
fn push_plan_filters(q: &mut QueryBuilder<'_>, filter: &PlanFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(inspector) = filter.inspector_id {
        q.push(
            " AND EXISTS (SELECT 1 FROM qa_plan_inspectors pi WHERE pi.plan_id = p.id \
             AND pi.user_id = ",
        )
        .push_bind(inspector)
        .push(")");
    }
}

/// One page of the plans the filter keeps: those with records `me` has still to inspect first
/// (any inspector's when `me` is `None`), then newest first.
pub(crate) async fn plan_page(
    conn: &mut Conn,
    filter: &PlanFilter,
    me: Option<i64>,
    page: u32,
    per_page: u32,
) -> Result<Vec<PlanSummary>, AppError> {
    let mut q = QueryBuilder::new(PLAN_SELECT);
    push_plan_filters(&mut q, filter);
    match filter.state {
        None => {}
        Some(PlanState::Active) => {
            q.push(" AND ");
            push_has_pending(&mut q, None);
        }
        Some(PlanState::Finished) => {
            q.push(" AND NOT ");
            push_has_pending(&mut q, None);
        }
    }
    q.push(" ORDER BY CASE WHEN ");
    push_has_pending(&mut q, me);
    q.push(" THEN 0 ELSE 1 END, p.id DESC");
    push_page(&mut q, page, per_page);
    let rows: Vec<PlanRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .map(PlanRow::summary)
        .collect::<Result<_, _>>()?)
}

/// How many plans each state holds under the filter's inspector.
pub(crate) async fn plan_counts(
    conn: &mut Conn,
    filter: &PlanFilter,
) -> Result<PlanCounts, AppError> {
    let mut q = QueryBuilder::new("SELECT COALESCE(SUM(CASE WHEN ");
    push_has_pending(&mut q, None);
    q.push(" THEN 1 ELSE 0 END), 0), COUNT(*) FROM qa_plans p");
    push_plan_filters(&mut q, filter);
    let (active, all): (i64, i64) = q.build_query_as().fetch_one(&mut *conn).await?;
    Ok(PlanCounts {
        active: count(active),
        finished: count(all - active),
    })
}

/// Everyone some plan deals records to, by employee number.
pub(crate) async fn plan_inspector_choices(conn: &mut Conn) -> Result<Vec<Person>, AppError> {
    let rows: Vec<(i64, Option<String>, String)> = sql::query_as(
        "SELECT DISTINCT u.id, u.employee_no, u.display_name FROM qa_plan_inspectors pi \
         JOIN users u ON u.id = pi.user_id ORDER BY u.employee_no, u.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(people(rows))
}

/// Every plan with a rectification, newest first: what the tracking list's plan filter
/// offers.
pub(crate) async fn rectification_plan_choices(
    conn: &mut Conn,
) -> Result<Vec<PlanChoice>, AppError> {
    let rows: Vec<(i64, String)> = sql::query_as(
        "SELECT p.id, p.name FROM qa_plans p WHERE EXISTS (SELECT 1 FROM qa_rectifications x \
         JOIN qa_inspections i ON i.id = x.inspection_id \
         JOIN qa_samples s ON s.id = i.sample_id WHERE s.plan_id = p.id) ORDER BY p.id DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| PlanChoice { id, name })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Sampled records
// ---------------------------------------------------------------------------------------------

/// What a list of sampled records is filtered by.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SampleFilter {
    pub(crate) plan_id: Option<i64>,
    pub(crate) status: Option<SampleStatus>,
    /// The agent who served the record.
    pub(crate) agent_id: Option<i64>,
    pub(crate) inspector_id: Option<i64>,
}

/// ` WHERE …`: every filter but the status.
fn push_sample_filters(q: &mut QueryBuilder<'_>, filter: &SampleFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(plan) = filter.plan_id {
        q.push(" AND s.plan_id = ").push_bind(plan);
    }
    if let Some(agent) = filter.agent_id {
        q.push(" AND r.agent_id = ").push_bind(agent);
    }
    if let Some(inspector) = filter.inspector_id {
        q.push(" AND s.inspector_id = ").push_bind(inspector);
    }
}

/// One page of the sampled records the filter keeps: those `me` has still to inspect first,
/// then the others still to inspect, then the inspected ones; newest plan first, then in the
/// order they were drawn.
pub(crate) async fn sample_page(
    conn: &mut Conn,
    filter: &SampleFilter,
    me: i64,
    page: u32,
    per_page: u32,
) -> Result<Vec<SampleRow>, AppError> {
    let mut q = QueryBuilder::new(SAMPLE_SELECT);
    push_sample_filters(&mut q, filter);
    match filter.status {
        None => {}
        Some(SampleStatus::Pending) => {
            q.push(" AND i.id IS NULL");
        }
        Some(SampleStatus::Inspected) => {
            q.push(" AND i.id IS NOT NULL");
        }
    }
    q.push(" ORDER BY CASE WHEN i.id IS NULL AND s.inspector_id = ")
        .push_bind(me)
        .push(" THEN 0 WHEN i.id IS NULL THEN 1 ELSE 2 END, s.plan_id DESC, s.id");
    push_page(&mut q, page, per_page);
    let rows: Vec<SampleDbRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(SampleDbRow::into_row)
        .collect::<Result<_, _>>()?)
}

/// How many sampled records each status holds under the filter's other parts.
pub(crate) async fn sample_counts(
    conn: &mut Conn,
    filter: &SampleFilter,
) -> Result<SampleCounts, AppError> {
    let mut q = QueryBuilder::new(
        "SELECT COALESCE(SUM(CASE WHEN i.id IS NULL THEN 1 ELSE 0 END), 0), COUNT(*) \
         FROM qa_samples s JOIN service_records r ON r.id = s.service_record_id \
         LEFT JOIN qa_inspections i ON i.sample_id = s.id",
    );
    push_sample_filters(&mut q, filter);
    let (pending, all): (i64, i64) = q.build_query_as().fetch_one(&mut *conn).await?;
    Ok(SampleCounts {
        pending: count(pending),
        inspected: count(all - pending),
    })
}

/// The agents of a plan's records, by employee number: what its agent filter offers.
pub(crate) async fn sample_agent_choices(
    conn: &mut Conn,
    plan_id: i64,
) -> Result<Vec<Person>, AppError> {
    let rows: Vec<(i64, Option<String>, String)> = sql::query_as(
        "SELECT DISTINCT a.id, a.employee_no, a.display_name FROM qa_samples s \
         JOIN service_records r ON r.id = s.service_record_id JOIN users a ON a.id = r.agent_id \
         WHERE s.plan_id = ? ORDER BY a.employee_no, a.id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(people(rows))
}

/// A plan with the first page of its sampled records in the order `me` sees them
/// ([`sample_page`]).
pub(crate) async fn plan_detail(conn: &mut Conn, id: i64, me: i64) -> Result<PlanDetail, AppError> {
    let row = plan_row(&mut *conn, id).await?;
    let people: Vec<(i64, Option<String>, String)> = sql::query_as(
        "SELECT u.id, u.employee_no, u.display_name FROM qa_plan_inspectors pi
         JOIN users u ON u.id = pi.user_id WHERE pi.plan_id = ? ORDER BY u.employee_no",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(PlanDetail {
        plan: row.summary()?,
        scope: row.scope()?,
        strata: row.strata()?,
        inspectors: people
            .into_iter()
            .map(|(id, no, name)| Person {
                id,
                no: no.unwrap_or_default(),
                name,
            })
            .collect(),
        samples: sample_page(
            conn,
            &SampleFilter {
                plan_id: Some(id),
                ..SampleFilter::default()
            },
            me,
            1,
            DEFAULT_SAMPLES_PER_PAGE,
        )
        .await?,
    })
}

// ---------------------------------------------------------------------------------------------
// A lead's team's inspections
// ---------------------------------------------------------------------------------------------

/// What a lead's list of their team's inspections is filtered by.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TeamInspectionFilter {
    /// The team whose agents served the records.
    pub(crate) team_id: i64,
    pub(crate) agent_id: Option<i64>,
    /// Saved at or after this instant.
    pub(crate) saved_from: Option<DateTime<Utc>>,
    /// Saved before this instant.
    pub(crate) saved_before: Option<DateTime<Utc>>,
    /// Only those that may still be disputed.
    pub(crate) disputable_only: bool,
    /// The first instant an inspection may have been saved at to be disputed still
    /// (`pingjia_domain::qa::dispute_earliest_saved_day`'s start).
    pub(crate) disputable_since: DateTime<Utc>,
}

/// ` WHERE …`: inspected records of the team's agents under every filter but the disputable
/// one.
fn push_team_filters(q: &mut QueryBuilder<'_>, filter: &TeamInspectionFilter) {
    q.push(" WHERE i.id IS NOT NULL AND a.team_id = ")
        .push_bind(filter.team_id);
    if let Some(agent) = filter.agent_id {
        q.push(" AND r.agent_id = ").push_bind(agent);
    }
    if let Some(from) = filter.saved_from {
        q.push(" AND i.submitted_at >= ").push_bind(to_db(from));
    }
    if let Some(before) = filter.saved_before {
        q.push(" AND i.submitted_at < ").push_bind(to_db(before));
    }
}

/// Whether the inspection may still be disputed: none filed, saved within the window.
fn push_disputable(q: &mut QueryBuilder<'_>, filter: &TeamInspectionFilter) {
    q.push(
        "(NOT EXISTS (SELECT 1 FROM qa_disputes dx WHERE dx.sample_id = s.id) \
         AND i.submitted_at >= ",
    )
    .push_bind(to_db(filter.disputable_since))
    .push(")");
}

/// One page of the inspections the filter keeps, each with when it was saved: those that may
/// still be disputed first (the window closing soonest first), then the others, newest first.
pub(crate) async fn team_inspection_page(
    conn: &mut Conn,
    filter: &TeamInspectionFilter,
    page: u32,
    per_page: u32,
) -> Result<Vec<(SampleRow, DateTime<Utc>)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        sample: SampleDbRow,
        submitted_at: Option<String>,
    }
    let mut q = QueryBuilder::new(SAMPLE_SELECT);
    push_team_filters(&mut q, filter);
    if filter.disputable_only {
        q.push(" AND ");
        push_disputable(&mut q, filter);
    }
    q.push(" ORDER BY CASE WHEN ");
    push_disputable(&mut q, filter);
    q.push(" THEN 0 ELSE 1 END, CASE WHEN ");
    push_disputable(&mut q, filter);
    q.push(" THEN i.submitted_at ELSE '' END, i.submitted_at DESC, s.id");
    push_page(&mut q, page, per_page);
    let rows: Vec<Row> = q.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|r| {
            let at = from_db(r.submitted_at.as_deref().unwrap_or_default())?;
            Ok((r.sample.into_row()?, at))
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

/// How many inspections the filter keeps but the disputable part, and how many of those may
/// still be disputed.
pub(crate) async fn team_inspection_counts(
    conn: &mut Conn,
    filter: &TeamInspectionFilter,
) -> Result<(u64, u64), AppError> {
    let mut q = QueryBuilder::new("SELECT COUNT(*), COALESCE(SUM(CASE WHEN ");
    push_disputable(&mut q, filter);
    q.push(
        " THEN 1 ELSE 0 END), 0) FROM qa_samples s \
         JOIN service_records r ON r.id = s.service_record_id \
         JOIN users a ON a.id = r.agent_id JOIN qa_inspections i ON i.sample_id = s.id",
    );
    push_team_filters(&mut q, filter);
    let (all, disputable): (i64, i64) = q.build_query_as().fetch_one(&mut *conn).await?;
    Ok((count(all), count(disputable)))
}

/// The agents of team `team_id`, by employee number: what the lead's agent filter offers.
pub(crate) async fn team_agent_choices(
    conn: &mut Conn,
    team_id: i64,
) -> Result<Vec<Person>, AppError> {
    let rows: Vec<(i64, Option<String>, String)> = sql::query_as(
        "SELECT id, employee_no, display_name FROM users WHERE team_id = ? AND role = 'agent' \
         ORDER BY employee_no, id",
    )
    .bind(team_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(people(rows))
}

// ---------------------------------------------------------------------------------------------
// A person's own rectifications
// ---------------------------------------------------------------------------------------------

/// One page of the rectifications `me` owns or that concern the services `me` gave, in the
/// order of `pingjia_domain::qa::sort_for_owner`: open ones `me` owns first (overdue ones
/// first, then soonest deadline), then those awaiting a re-check, then open ones owned by
/// someone else, then closed ones (latest deadline first).
pub(crate) async fn my_rectification_page(
    conn: &mut Conn,
    me: i64,
    today: NaiveDate,
    page: u32,
    per_page: u32,
) -> Result<Vec<Rectification>, AppError> {
    let mut q = QueryBuilder::new(RECT_SELECT);
    q.push(" WHERE (x.owner_id = ")
        .push_bind(me)
        .push(" OR r.agent_id = ")
        .push_bind(me)
        .push(") ORDER BY CASE WHEN x.status = 'open' AND x.owner_id = ")
        .push_bind(me)
        .push(
            " THEN 0 WHEN x.status = 'reported' THEN 1 WHEN x.status = 'open' THEN 2 ELSE 3 END, \
             CASE WHEN x.status = 'open' AND x.deadline < ",
        )
        .push_bind(today.to_string())
        .push(
            " THEN 0 ELSE 1 END, \
             CASE WHEN x.status = 'closed' THEN '' ELSE x.deadline END, \
             CASE WHEN x.status = 'closed' THEN x.deadline ELSE '' END DESC, x.id",
        );
    push_page(&mut q, page, per_page);
    let rows: Vec<RectRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_rectification(today))
        .collect::<Result<_, _>>()?)
}

/// How many rectifications `me` owns or that concern the services `me` gave, and how many of
/// them are open and owned by `me` (awaiting their report).
pub(crate) async fn my_rectification_counts(
    conn: &mut Conn,
    me: i64,
) -> Result<(u64, u64), AppError> {
    let (all, awaiting): (i64, i64) = sql::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN x.status = 'open' AND x.owner_id = ? \
         THEN 1 ELSE 0 END), 0) FROM qa_rectifications x \
         JOIN qa_inspections i ON i.id = x.inspection_id \
         JOIN qa_samples s ON s.id = i.sample_id \
         JOIN service_records r ON r.id = s.service_record_id \
         WHERE x.owner_id = ? OR r.agent_id = ?",
    )
    .bind(me)
    .bind(me)
    .bind(me)
    .fetch_one(&mut *conn)
    .await?;
    Ok((count(all), count(awaiting)))
}
