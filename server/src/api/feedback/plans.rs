//! Verdicts on suggestions and the improvement plans they open: listed, read, submitted,
//! reviewed.

use axum::extract::State;
use chrono::Utc;
use pingjia_domain::feedback::{
    FeedbackItem, ImprovementPlan, NewAssessment, PlanDecision, PlanQuery, PlanReview, PlanStatus,
    PlanSubmission,
};
use pingjia_domain::wire::Role;
use serde_json::json;

use crate::db::analytics::dimension_names;
use crate::db::begin_write;
use crate::db::calendar::work_calendar;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::time::{org_day, org_zone};

use super::evaluations::own_item;
use crate::db::Conn;
use crate::db::feedback::{
    PlanFilter, PlanRow, assess_suggestion, open_plan, plan_row, plan_rows, review, submit_measures,
};

// ---------------------------------------------------------------------------------------------
// Verdicts and plans

/// Judge an evaluation's suggestion.
///
/// Reasonable opens an improvement plan due a number of working days later (setting, 3; the
/// working-day calendar: weekends and holidays skipped, make-up working days counted); not
/// reasonable needs a short reason. Once per evaluation. Audited.
#[utoipa::path(
    post,
    path = "/me/feedback/{number}/assessment",
    tag = "feedback",
    operation_id = "assess_suggestion",
    params(("number" = String, Path, description = "The evaluation's number")),
    request_body = NewAssessment,
    responses(
        (status = 200, description = "Judged; the evaluation with its plan", body = FeedbackItem),
        (status = 403, description = "Another agent's evaluation"),
        (status = 404, description = "No such evaluation"),
        (status = 409, description = "Already judged (`already_assessed`) or without a suggestion (`no_suggestion`)"),
        (status = 422, description = "No reason for an unreasonable one"),
    )
)]
pub(super) async fn assess(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(number): Path<String>,
    Json(body): Json<NewAssessment>,
) -> Result<Json<FeedbackItem>, AppError> {
    let reason = body.check().map_err(AppError::Validation)?;
    let settings = state.settings.get(&state.pool).await?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let row = own_item(&mut tx, &caller, &number).await?;
    if row.suggestion.is_none() {
        return Err(Coded::conflict("no_suggestion", "This evaluation has no suggestion").into());
    }
    if row.assessed_at.is_some() {
        return Err(Coded::conflict(
            "already_assessed",
            "This suggestion has been judged already",
        )
        .into());
    }
    let id = assess_suggestion(
        &mut tx,
        &number,
        caller.id,
        body.reasonable,
        reason.as_deref(),
        now,
    )
    .await?;
    let mut plan_id = None;
    if body.reasonable {
        let calendar = work_calendar(&mut tx).await?;
        let due = calendar
            .add_working_days(
                now.with_timezone(&org_zone()),
                settings.improvement_plan_working_days,
            )
            .with_timezone(&Utc);
        plan_id = Some(open_plan(&mut tx, id, caller.id, now, due).await?);
    }
    let entry = Entry::new(now, Action::SuggestionAssessed)
        .by(Actor::user(&caller, ip))
        .on("evaluation", &number)
        .details(json!({ "reasonable": body.reasonable, "reason": reason, "plan_id": plan_id }));
    audit::record(&mut *tx, &entry).await?;
    let row = own_item(&mut tx, &caller, &number).await?;
    let names = dimension_names(&mut tx).await?;
    let item = row.into_item(&names)?;
    tx.commit().await?;
    Ok(Json(item))
}

/// Whether `caller` may see a plan of `agent_id` in `team_id`: the agent, the team's lead, an
/// admin.
fn may_see_plan(caller: &CurrentUser, agent_id: i64, team_id: Option<i64>) -> bool {
    match caller.role {
        Role::Admin => true,
        Role::Agent => caller.is(agent_id),
        Role::TeamLead => team_id.is_some() && caller.team_id == team_id,
        Role::Customer | Role::QaInspector => false,
    }
}

async fn visible_plan(conn: &mut Conn, caller: &CurrentUser, id: i64) -> Result<PlanRow, AppError> {
    let row = plan_row(conn, id).await?;
    if !may_see_plan(caller, row.agent_id, row.team_id) {
        return Err(AppError::Forbidden(
            "This improvement plan is someone else's".to_owned(),
        ));
    }
    Ok(row)
}

/// Improvement plans.
///
/// An agent's own, a team lead's team's, all for admins; those owing measures first by due
/// time, then the rest newest first.
#[utoipa::path(
    get,
    path = "/improvement-plans",
    tag = "feedback",
    operation_id = "list_improvement_plans",
    params(PlanQuery),
    responses((status = 200, description = "The plans", body = [ImprovementPlan]))
)]
pub(super) async fn list_plans(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<PlanQuery>,
) -> Result<Json<Vec<ImprovementPlan>>, AppError> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let filter = PlanFilter {
        agent_id: (caller.role == Role::Agent).then_some(caller.id),
        team_id: (caller.role == Role::TeamLead).then(|| caller.team_id.unwrap_or(-1)),
        status: query.status.map(PlanStatus::as_str),
        overdue_at: (query.overdue == Some(true)).then_some(now),
    };
    let rows = plan_rows(&mut conn, &filter).await?;
    let mut plans = Vec::with_capacity(rows.len());
    for row in rows {
        plans.push(row.into_plan(&mut conn, now).await?);
    }
    Ok(Json(plans))
}

/// One improvement plan, with the agent's scores before and after it.
#[utoipa::path(
    get,
    path = "/improvement-plans/{id}",
    tag = "feedback",
    operation_id = "get_improvement_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan", body = ImprovementPlan),
        (status = 403, description = "Another agent's or team's plan"),
        (status = 404, description = "No such plan"),
    )
)]
pub(super) async fn get_plan(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ImprovementPlan>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let row = visible_plan(&mut conn, &caller, id).await?;
    Ok(Json(row.into_plan(&mut conn, state.clock.now()).await?))
}

/// Submit the plan's measures.
///
/// By the agent, while the plan is open or sent back; the same submission again is harmless
/// (it stays submitted). Audited.
#[utoipa::path(
    put,
    path = "/improvement-plans/{id}",
    tag = "feedback",
    operation_id = "submit_improvement_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    request_body = PlanSubmission,
    responses(
        (status = 200, description = "Submitted", body = ImprovementPlan),
        (status = 403, description = "Another agent's plan"),
        (status = 404, description = "No such plan"),
        (status = 409, description = "Submitted or acknowledged already (`plan_not_awaiting`)"),
        (status = 422, description = "Measures missing or a target date in the past"),
    )
)]
pub(super) async fn submit_plan(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<PlanSubmission>,
) -> Result<Json<ImprovementPlan>, AppError> {
    let now = state.clock.now();
    let measures = body.check(org_day(now)).map_err(AppError::Validation)?;
    let mut tx = begin_write(&state.pool).await?;
    let row = plan_row(&mut tx, id).await?;
    if !caller.is(row.agent_id) {
        return Err(AppError::Forbidden(
            "Only the agent writes their plan".to_owned(),
        ));
    }
    let status = PlanStatus::parse(&row.status);
    let same = row.measures.as_deref() == Some(measures.as_str())
        && row.target_date.as_deref() == Some(body.target_date.to_string().as_str());
    if status == Some(PlanStatus::Submitted) && same {
        let plan = row.into_plan(&mut tx, now).await?;
        tx.commit().await?;
        return Ok(Json(plan));
    }
    if !status.is_some_and(PlanStatus::awaits_agent) {
        return Err(
            Coded::conflict("plan_not_awaiting", "This plan has been submitted already").into(),
        );
    }
    submit_measures(&mut tx, id, &measures, body.target_date, now).await?;
    let entry = Entry::new(now, Action::ImprovementPlanSubmitted)
        .by(Actor::user(&caller, ip))
        .on("improvement_plan", id.to_string())
        .details(json!({ "target_date": body.target_date }));
    audit::record(&mut *tx, &entry).await?;
    let plan = plan_row(&mut tx, id).await?.into_plan(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Json(plan))
}

/// Acknowledge a submitted plan or send it back with a comment.
///
/// By the agent's team lead or an admin. Audited.
#[utoipa::path(
    post,
    path = "/improvement-plans/{id}/review",
    tag = "feedback",
    operation_id = "review_improvement_plan",
    params(("id" = i64, Path, description = "The plan's id")),
    request_body = PlanReview,
    responses(
        (status = 200, description = "Reviewed", body = ImprovementPlan),
        (status = 403, description = "Another team's plan"),
        (status = 404, description = "No such plan"),
        (status = 409, description = "Not awaiting review (`plan_not_submitted`)"),
        (status = 422, description = "No comment to send it back with"),
    )
)]
pub(super) async fn review_plan(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<PlanReview>,
) -> Result<Json<ImprovementPlan>, AppError> {
    let comment = body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let row = visible_plan(&mut tx, &caller, id).await?;
    if PlanStatus::parse(&row.status) != Some(PlanStatus::Submitted) {
        return Err(
            Coded::conflict("plan_not_submitted", "This plan is not awaiting review").into(),
        );
    }
    let status = match body.decision {
        PlanDecision::Acknowledge => PlanStatus::Acknowledged,
        PlanDecision::SendBack => PlanStatus::SentBack,
    };
    review(&mut tx, id, status, caller.id, comment.as_deref(), now).await?;
    let event = match status {
        PlanStatus::SentBack => pingjia_domain::events::EventType::PlanSentBack,
        _ => pingjia_domain::events::EventType::PlanAcknowledged,
    };
    crate::db::events::record(
        &mut tx,
        event,
        ("plan", id),
        &format!("{}:{id}:{}", event.as_str(), crate::time::to_db(now)),
        now,
    )
    .await?;
    let entry = Entry::new(now, Action::ImprovementPlanReviewed)
        .by(Actor::user(&caller, ip))
        .on("improvement_plan", id.to_string())
        .details(json!({ "decision": status.as_str(), "comment": comment }));
    audit::record(&mut *tx, &entry).await?;
    let plan = plan_row(&mut tx, id).await?.into_plan(&mut tx, now).await?;
    tx.commit().await?;
    state.events.wake();
    Ok(Json(plan))
}
