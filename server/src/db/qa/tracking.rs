//! Rectification tracking (整改跟踪): one page of the rectifications under a filter, what needs
//! action first, and the count of each tab.

use chrono::NaiveDate;
use pingjia_domain::qa::{
    Person, Rectification, RectificationCounts, RectificationState, TeamChoice,
};

use super::{RECT_SELECT, RectRow, count};
use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use crate::error::AppError;

/// What the list is filtered by.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TrackingFilter {
    /// The tab; every rectification without it.
    pub(crate) state: Option<RectificationState>,
    /// The agent who served the record.
    pub(crate) agent_id: Option<i64>,
    /// That agent's team.
    pub(crate) team_id: Option<i64>,
    pub(crate) plan_id: Option<i64>,
    /// Deadlines from and to (inclusive).
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
}

/// A rectification's tab as SQL: `overdue` when still open past its deadline (the rule of
/// `pingjia_domain::qa::rectification_overdue`: today after the deadline), its status otherwise.
fn push_state(q: &mut QueryBuilder<'_>, today: NaiveDate) {
    q.push("(CASE WHEN x.status = 'open' AND x.deadline < ")
        .push_bind(today.to_string())
        .push(" THEN 'overdue' ELSE x.status END)");
}

/// ` WHERE …`: every filter but the tab.
fn push_filters(q: &mut QueryBuilder<'_>, filter: &TrackingFilter) {
    q.push(" WHERE 1 = 1");
    if let Some(agent) = filter.agent_id {
        q.push(" AND r.agent_id = ").push_bind(agent);
    }
    if let Some(team) = filter.team_id {
        q.push(" AND a.team_id = ").push_bind(team);
    }
    if let Some(plan) = filter.plan_id {
        q.push(" AND s.plan_id = ").push_bind(plan);
    }
    if let Some(from) = filter.from {
        q.push(" AND x.deadline >= ").push_bind(from.to_string());
    }
    if let Some(to) = filter.to {
        q.push(" AND x.deadline <= ").push_bind(to.to_string());
    }
}

/// One page of the rectifications the filter keeps: those that wait for someone's action
/// first (reported ones for the inspector's re-check, then overdue ones, then open ones, each
/// soonest deadline first), closed ones last (latest deadline first).
pub(crate) async fn rectification_page(
    conn: &mut Conn,
    filter: &TrackingFilter,
    today: NaiveDate,
    page: u32,
    per_page: u32,
) -> Result<Vec<Rectification>, AppError> {
    let mut q = QueryBuilder::new(RECT_SELECT);
    push_filters(&mut q, filter);
    match filter.state {
        None => {}
        Some(RectificationState::Open) => {
            // The open tab holds the overdue ones too, as the status does.
            q.push(" AND x.status = 'open'");
        }
        Some(state) => {
            q.push(" AND ");
            push_state(&mut q, today);
            q.push(" = ").push_bind(state.as_str());
        }
    }
    q.push(" ORDER BY CASE ");
    push_state(&mut q, today);
    q.push(
        " WHEN 'reported' THEN 0 WHEN 'overdue' THEN 1 WHEN 'open' THEN 2 ELSE 3 END, \
         CASE WHEN x.status = 'closed' THEN '' ELSE x.deadline END, \
         CASE WHEN x.status = 'closed' THEN x.deadline ELSE '' END DESC, x.id LIMIT ",
    )
    .push_bind(i64::from(per_page))
    .push(" OFFSET ")
    .push_bind(i64::from(page.saturating_sub(1)) * i64::from(per_page));
    let rows: Vec<RectRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_rectification(today))
        .collect::<Result<_, _>>()?)
}

/// How many rectifications each tab holds under the filter's other parts.
pub(crate) async fn rectification_counts(
    conn: &mut Conn,
    filter: &TrackingFilter,
    today: NaiveDate,
) -> Result<RectificationCounts, AppError> {
    let mut q = QueryBuilder::new("SELECT ");
    push_state(&mut q, today);
    q.push(
        " AS state, COUNT(*) FROM qa_rectifications x \
         JOIN qa_inspections i ON i.id = x.inspection_id \
         JOIN qa_samples s ON s.id = i.sample_id \
         JOIN service_records r ON r.id = s.service_record_id \
         JOIN users a ON a.id = r.agent_id",
    );
    push_filters(&mut q, filter);
    q.push(" GROUP BY 1");
    let rows: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut *conn).await?;
    let mut counts = RectificationCounts::default();
    for (state, n) in rows {
        let n = count(n);
        match RectificationState::parse(&state) {
            Some(RectificationState::Open) => counts.open += n,
            Some(RectificationState::Overdue) => {
                counts.open += n;
                counts.overdue += n;
            }
            Some(RectificationState::Reported) => counts.reported += n,
            Some(RectificationState::Closed) => counts.closed += n,
            None => {}
        }
    }
    Ok(counts)
}

/// The rectifications' agents joined to their records, for the filters' choices.
const AGENTS_OF_RECTIFICATIONS: &str = "FROM qa_rectifications x \
     JOIN qa_inspections i ON i.id = x.inspection_id \
     JOIN qa_samples s ON s.id = i.sample_id \
     JOIN service_records r ON r.id = s.service_record_id \
     JOIN users a ON a.id = r.agent_id";

/// What the filters offer: every agent with a rectification (by employee number) and their
/// teams (by name). Read here rather than from the user directory, which only admins may
/// read.
pub(crate) async fn tracking_choices(
    conn: &mut Conn,
) -> Result<(Vec<Person>, Vec<TeamChoice>), AppError> {
    let agents: Vec<(i64, Option<String>, String)> = sql::query_as(&format!(
        "SELECT DISTINCT a.id, a.employee_no, a.display_name {AGENTS_OF_RECTIFICATIONS} \
         ORDER BY a.employee_no, a.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let teams: Vec<(i64, String)> = sql::query_as(&format!(
        "SELECT DISTINCT t.id, t.name {AGENTS_OF_RECTIFICATIONS} \
         JOIN teams t ON t.id = a.team_id ORDER BY t.name, t.id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok((
        agents
            .into_iter()
            .map(|(id, no, name)| Person {
                id,
                no: no.unwrap_or_default(),
                name,
            })
            .collect(),
        teams
            .into_iter()
            .map(|(id, name)| TeamChoice { id, name })
            .collect(),
    ))
}
