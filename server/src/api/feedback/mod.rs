//! The agent's side (issue 7): `/me/feedback/...` (the agent's figures beside their team's,
//! their evaluations with read state, the live stream of new ones, verdicts on suggestions),
//! `/improvement-plans/...` (改进计划), `/callbacks/...` (回访 of low scores, for team leads)
//! and `/team/summary` (the team lead's home).
//!
//! Who sees what: an agent only their own evaluations and plans; a team lead their team's
//! plans and callbacks (the agent's team now); admins everything. The route table lets the
//! roles in, the handlers check the rows ([`may_see_plan`], [`may_handle_callback`]).

use axum::extract::State;
use pingjia_domain::feedback::{
    AgentSummary, SummaryQuery, TEAM_SUMMARY_PLANS, TeamAgent, TeamSummary,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::analytics::{Scope, overall_distribution};
use crate::db::feedback::{
    Sums, dims_of, open_callback_counts, period_of, plan_counts, sums_by_agent,
    team_open_plan_counts, team_open_plans, trend, unread_count,
};
use crate::db::teams;
use crate::error::{AppError, Coded};
use crate::http::authz::{
    AGENT, CurrentUser, LEADS, PLAN_READERS, Rule, TEAM_LEAD, get, post, put,
};
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;

mod callbacks;
pub mod coaching;
mod evaluations;
mod plans;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(evaluations::list))
        .routes(routes!(evaluations::unread))
        .routes(routes!(evaluations::stream))
        .routes(routes!(evaluations::mark_read))
        .routes(routes!(evaluations::mark_all_read))
        .routes(routes!(plans::assess))
        .routes(routes!(plans::list_plans))
        .routes(routes!(plans::get_plan, plans::submit_plan))
        .routes(routes!(plans::review_plan))
        .routes(routes!(callbacks::list_callbacks))
        .routes(routes!(callbacks::record_callback))
        .routes(routes!(team_summary))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/me/feedback/summary", AGENT),
    get("/api/v1/me/feedback", AGENT),
    get("/api/v1/me/feedback/unread", AGENT),
    get("/api/v1/me/feedback/stream", AGENT),
    post("/api/v1/me/feedback/{number}/read", AGENT),
    post("/api/v1/me/feedback/read-all", AGENT),
    post("/api/v1/me/feedback/{number}/assessment", AGENT),
    get("/api/v1/improvement-plans", PLAN_READERS),
    get("/api/v1/improvement-plans/{id}", PLAN_READERS),
    put("/api/v1/improvement-plans/{id}", AGENT),
    post("/api/v1/improvement-plans/{id}/review", LEADS),
    get("/api/v1/callbacks", LEADS),
    post("/api/v1/callbacks/{id}", LEADS),
    get("/api/v1/team/summary", TEAM_LEAD),
];

/// The agent's figures.
///
/// For the period (default the last 30 days): count, mean total score, mean overall
/// satisfaction, attainment rate and each dimension's mean, beside the team's; the trend by
/// day, week or month, theirs and the team's; the overall-score distribution; unread
/// evaluations and plans owed.
#[utoipa::path(
    get,
    path = "/me/feedback/summary",
    tag = "feedback",
    operation_id = "my_feedback_summary",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The figures", body = AgentSummary),
        (status = 422, description = "The period is backwards or too long"),
    )
)]
async fn summary(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<AgentSummary>, AppError> {
    let period = period_of(state.today(), query.from, query.to)?;
    let granularity = query.granularity.unwrap_or_default();
    let settings = state.settings.get(&state.pool).await?;
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let (agent_no, name, team_id, team_name, team_name_en) =
        teams::member_card(&mut conn, caller.id).await?;
    let mine_scope = Scope::of(period, Some(caller.id), None);
    let mine = sums_by_agent(&mut conn, &mine_scope, &settings)
        .await?
        .remove(&caller.id)
        .unwrap_or_default();
    let team_scope = team_id.map(|team| Scope::of(period, None, Some(team)));
    let team = match &team_scope {
        Some(scope) => {
            let mut all = Sums::default();
            for sums in sums_by_agent(&mut conn, scope, &settings).await?.values() {
                all.add(sums);
            }
            Some(all)
        }
        None => None,
    };
    let dims = dims_of(&mut conn, &[&mine]).await?;
    let buckets = period.buckets(granularity);
    let (trend_mine, trend_counts) = trend(&mut conn, &mine_scope, &buckets).await?;
    let team_trend = match &team_scope {
        Some(scope) => trend(&mut conn, scope, &buckets).await?.0,
        None => vec![None; buckets.len()],
    };
    let distribution = overall_distribution(&mut conn, &mine_scope, period).await?;
    let unread = unread_count(&mut conn, caller.id).await?;
    let (open_plans, overdue_plans) = plan_counts(&mut conn, caller.id, now).await?;
    Ok(Json(AgentSummary {
        period,
        granularity,
        agent_no: agent_no.unwrap_or_default(),
        name,
        team_name,
        team_name_en,
        mine: mine.figures(&dims),
        team: team.map(|t| t.figures(&dims)),
        dimensions: dims,
        buckets,
        trend: trend_mine,
        trend_counts,
        team_trend,
        distribution,
        unread,
        open_plans,
        overdue_plans,
    }))
}

// ---------------------------------------------------------------------------------------------
// The team lead's home

/// The lead's team side by side.
///
/// Each agent's figures for the period (default the last 30 days) with the team's, the plans
/// not yet acknowledged and how many callbacks are open and overdue (`GET /callbacks` lists
/// them).
#[utoipa::path(
    get,
    path = "/team/summary",
    tag = "feedback",
    operation_id = "team_summary",
    params(SummaryQuery),
    responses(
        (status = 200, description = "The team", body = TeamSummary),
        (status = 409, description = "The lead has no team (`no_team`)"),
        (status = 422, description = "The period is backwards or too long"),
    )
)]
async fn team_summary(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<TeamSummary>, AppError> {
    let period = period_of(state.today(), query.from, query.to)?;
    let Some(team_id) = caller.team_id else {
        return Err(Coded::conflict("no_team", "You lead no team yet").into());
    };
    let settings = state.settings.get(&state.pool).await?;
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let (team_name, team_name_en) = teams::team_name(&mut conn, team_id).await?;
    let by_agent = sums_by_agent(
        &mut conn,
        &Scope::of(period, None, Some(team_id)),
        &settings,
    )
    .await?;
    let mut all = Sums::default();
    for sums in by_agent.values() {
        all.add(sums);
    }
    let dims = dims_of(&mut conn, &[&all]).await?;
    let members = teams::agents_of(&mut conn, team_id).await?;
    let mut agents = Vec::with_capacity(members.len());
    for (id, no, name) in members {
        let (open_plans, overdue_plans) = plan_counts(&mut conn, id, now).await?;
        agents.push(TeamAgent {
            agent_no: no.unwrap_or_default(),
            name,
            figures: by_agent
                .get(&id)
                .cloned()
                .unwrap_or_default()
                .figures(&dims),
            open_plans,
            overdue_plans,
        });
    }
    let (open_callbacks, overdue_callbacks) =
        open_callback_counts(&mut conn, caller.team_scope(), now).await?;
    let mut plans = Vec::new();
    for awaiting_review in [true, false] {
        for row in team_open_plans(&mut conn, team_id, awaiting_review, TEAM_SUMMARY_PLANS).await? {
            plans.push(row.into_plan(&mut conn, now).await?);
        }
    }
    let (plans_awaiting_review, plans_with_agents) =
        team_open_plan_counts(&mut conn, team_id).await?;
    Ok(Json(TeamSummary {
        period,
        team_id,
        team_name,
        team_name_en,
        team: all.figures(&dims),
        dimensions: dims,
        agents,
        plans,
        plans_awaiting_review,
        plans_with_agents,
        open_callbacks,
        overdue_callbacks,
    }))
}
