//! A team lead's list of the inspections of their team's services (`/team/qa/inspections`,
//! issue 25): what may still be disputed first, so that the lead files a dispute on an
//! agent's behalf (`/me/qa/samples/{id}/dispute`, which lets the lead in already).

use axum::extract::State;
use chrono::NaiveDate;
use pingjia_domain::qa::{
    TeamInspection, TeamInspectionPage, dispute_earliest_saved_day, dispute_last_day,
    dispute_window_open,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::calendar::work_calendar;
use crate::db::qa::{
    TeamInspectionFilter, dispute_states, team_agent_choices, team_inspection_counts,
    team_inspection_page,
};
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;
use crate::time::{org_day, org_day_start};

use super::QaPaging;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct TeamInspectionQuery {
    /// Only this agent's services (an agent of the caller's team; another answers 404).
    agent_id: Option<i64>,
    /// Only those saved on or after this day (the organisation's).
    from: Option<NaiveDate>,
    /// Only those saved on or before this day (the organisation's).
    to: Option<NaiveDate>,
    /// `true`: only those that may still be disputed.
    disputable: Option<bool>,
}

/// The inspections of the services of the caller's team's agents, a page at a time: those that
/// may still be disputed first (the window closing soonest first), then the others, newest
/// first; each with the last day of its dispute window and its dispute's state; with how many
/// there are and how many may still be disputed under the agent and period filters, and the
/// team's agents.
///
/// 409 `no_team` for a lead of no team; 404 for an agent of another team; 422 for a period
/// that ends before it starts (`to`) or paging out of range.
#[utoipa::path(
    get,
    path = "/team/qa/inspections",
    tag = "qa",
    operation_id = "team_qa_inspections",
    params(TeamInspectionQuery, QaPaging),
    responses(
        (status = 200, description = "One page of the team's inspections", body = TeamInspectionPage),
        (status = 400, description = "The query string is malformed"),
        (status = 404, description = "The agent is not of the caller's team"),
        (status = 409, description = "The lead has no team (`no_team`)"),
        (status = 422, description = "The period or the paging is invalid"),
    )
)]
pub(super) async fn team_inspections(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<TeamInspectionQuery>,
    Query(paging): Query<QaPaging>,
) -> Result<Json<TeamInspectionPage>, AppError> {
    let (page, per_page) = paging.checked_over(query.from, query.to)?;
    let Some(team_id) = caller.team_id else {
        return Err(Coded::conflict("no_team", "You lead no team yet").into());
    };
    let now = state.clock.now();
    let today = org_day(now);
    let settings = state.settings.get(&state.pool).await?;
    let working_days = settings.qa_dispute_working_days;
    let mut conn = state.pool.acquire().await?;
    let agents = team_agent_choices(&mut conn, team_id).await?;
    if let Some(agent) = query.agent_id
        && !agents.iter().any(|a| a.id == agent)
    {
        return Err(AppError::NotFound(format!(
            "The agent {agent} of your team"
        )));
    }
    let calendar = work_calendar(&mut conn).await?;
    let filter = TeamInspectionFilter {
        team_id,
        agent_id: query.agent_id,
        saved_from: query.from.map(org_day_start),
        saved_before: (query.to).and_then(|to| to.succ_opt()).map(org_day_start),
        disputable_only: query.disputable.unwrap_or(false),
        disputable_since: org_day_start(dispute_earliest_saved_day(&calendar, today, working_days)),
    };
    let (all, disputable) = team_inspection_counts(&mut conn, &filter).await?;
    let rows = team_inspection_page(&mut conn, &filter, page, per_page).await?;
    let ids: Vec<i64> = rows.iter().map(|(s, _)| s.id).collect();
    let disputes = dispute_states(&mut conn, &ids).await?;
    let inspections = rows
        .into_iter()
        .map(|(sample, submitted_at)| {
            let last_day = dispute_last_day(&calendar, org_day(submitted_at), working_days);
            let dispute = disputes.get(&sample.id).copied();
            TeamInspection {
                may_dispute: dispute.is_none() && dispute_window_open(last_day, today),
                dispute,
                last_day,
                submitted_at,
                sample,
            }
        })
        .collect();
    Ok(Json(TeamInspectionPage {
        inspections,
        total: if filter.disputable_only {
            disputable
        } else {
            all
        },
        all,
        page,
        per_page,
        disputable,
        agents,
    }))
}
