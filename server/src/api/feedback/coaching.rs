//! Coaching sessions (辅导记录, issue 25): `/coaching/...`.
//!
//! A team lead records a session with an agent of their team (an admin with any agent), from
//! an inspection, an evaluation or an improvement plan or on its own; the agent acknowledges
//! it; the lead records the follow-up. Who sees what: an agent their own sessions, a lead their
//! team's (the agent's team now), admins all. The route table lets the roles in, the handlers
//! check the rows.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use pingjia_domain::FieldError;
use pingjia_domain::events::EventType;
use pingjia_domain::feedback::{
    CoachingAcknowledgement, CoachingAgent, CoachingDetail, CoachingPage, CoachingSession,
    CoachingSource, CoachingSourceKind, CoachingState, CoachingTarget, DEFAULT_COACHING_PER_PAGE,
    MAX_COACHING_PER_PAGE, NewCoaching, plan_compare_days,
};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::Conn;
use crate::db::begin_write;
use crate::db::feedback::{
    CoachedAgent, CoachingFilter, CoachingRow, NewSession, acknowledge_coaching, agent_by_no,
    coaching_agent_choices, coaching_counts, coaching_page, coaching_row, compare,
    follow_up_coaching, insert_coaching, qa_window, source_agent, target_choices,
};
use crate::error::{AppError, Coded};
use crate::http::authz::{AGENT, CurrentUser, LEADS, PLAN_READERS, Rule, get, post};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::events;
use crate::time::org_day;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, record))
        .routes(routes!(draft))
        .routes(routes!(detail))
        .routes(routes!(acknowledge))
        .routes(routes!(follow_up))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/coaching", PLAN_READERS),
    post("/api/v1/coaching", LEADS),
    get("/api/v1/coaching/draft", LEADS),
    get("/api/v1/coaching/{id}", PLAN_READERS),
    post("/api/v1/coaching/{id}/acknowledge", AGENT),
    post("/api/v1/coaching/{id}/follow-up", LEADS),
];

/// Whether `caller` may coach an agent of `team_id`: an admin, the team's lead.
fn may_coach(caller: &CurrentUser, team_id: Option<i64>) -> bool {
    match caller.role {
        Role::Admin => true,
        Role::TeamLead => team_id.is_some() && caller.team_id == team_id,
        _ => false,
    }
}

/// The session `id` if `caller` may see it: the agent's own, their team lead's, an admin's.
async fn visible(conn: &mut Conn, caller: &CurrentUser, id: i64) -> Result<CoachingRow, AppError> {
    let row = coaching_row(conn, id).await?;
    let seen = match caller.role {
        Role::Agent => caller.is(row.agent_id),
        _ => may_coach(caller, row.team_id),
    };
    if !seen {
        return Err(AppError::Forbidden(
            "This coaching session is someone else's".to_owned(),
        ));
    }
    Ok(row)
}

/// The agent and the template a new session is about: the source's agent (it must exist,
/// `unknown`), else the agent numbered `agent_no` (`unknown`); refused when the caller does
/// not lead the agent's team.
async fn coached(
    conn: &mut Conn,
    caller: &CurrentUser,
    agent_no: Option<&str>,
    source: Option<&CoachingSource>,
) -> Result<(CoachedAgent, Option<i64>), AppError> {
    let found = match source {
        Some(source) => source_agent(conn, source).await?.ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "source",
                "unknown",
                "there is no such inspection, evaluation or plan",
            )])
        })?,
        None => {
            let no = agent_no.map(str::trim).unwrap_or_default();
            let agent = agent_by_no(conn, no).await?.ok_or_else(|| {
                AppError::Validation(vec![FieldError::new(
                    "agent_no",
                    "unknown",
                    "there is no such agent",
                )])
            })?;
            (agent, None)
        }
    };
    if !may_coach(caller, found.0.team_id) {
        return Err(AppError::Forbidden(
            "Only the agent's team lead or an admin coaches them".to_owned(),
        ));
    }
    Ok(found)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DraftQuery {
    /// The agent's employee number, when there is no source.
    agent_no: Option<String>,
    /// What the session is recorded from; with `source_ref`.
    #[param(inline)]
    source_kind: Option<CoachingSourceKind>,
    /// The inspection's or plan's id, the evaluation's number.
    source_ref: Option<String>,
}

/// What the form of a new session starts from.
///
/// The agent the source (or `agent_no`) names, the targets to choose from (the inspection's
/// checklist items, else the rating dimensions), the agents the caller may coach and today.
#[utoipa::path(
    get,
    path = "/coaching/draft",
    tag = "feedback",
    operation_id = "coaching_draft",
    params(DraftQuery),
    responses(
        (status = 200, description = "The form's start", body = pingjia_domain::feedback::CoachingDraft),
        (status = 403, description = "An agent of another team"),
        (status = 422, description = "No such source or agent"),
    )
)]
async fn draft(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<DraftQuery>,
) -> Result<Json<pingjia_domain::feedback::CoachingDraft>, AppError> {
    let source = match (query.source_kind, query.source_ref) {
        (Some(kind), Some(reference)) => Some(CoachingSource { kind, reference }),
        _ => None,
    };
    let mut conn = state.pool.acquire().await?;
    let wanted = query.agent_no.as_deref().filter(|n| !n.trim().is_empty());
    let (agent, template) = if source.is_some() || wanted.is_some() {
        let (agent, template) = coached(&mut conn, &caller, wanted, source.as_ref()).await?;
        (
            Some(CoachingAgent {
                no: agent.no,
                name: agent.name,
            }),
            template,
        )
    } else {
        (None, None)
    };
    let team = (caller.role == Role::TeamLead).then(|| caller.team_id.unwrap_or(-1));
    let agents = coaching_agent_choices(&mut conn, team, false).await?;
    Ok(Json(pingjia_domain::feedback::CoachingDraft {
        agent,
        source,
        choices: target_choices(&mut conn, template).await?,
        agents,
        today: state.today(),
    }))
}

/// Record a coaching session.
///
/// By the agent's team lead or an admin. 422 with field errors: `discussion`, `action`
/// (`required`, `too_long`), `follow_up_date` (`not_future`), `targets` (`duplicate`,
/// `too_many`, `unknown`: not among the draft's choices), `agent_no` (`required`, `unknown`),
/// `source` (`unknown`).
#[utoipa::path(
    post,
    path = "/coaching",
    tag = "feedback",
    operation_id = "record_coaching",
    request_body = NewCoaching,
    responses(
        (status = 201, description = "Recorded", body = CoachingSession),
        (status = 403, description = "An agent of another team"),
        (status = 422, description = "Invalid fields"),
    )
)]
async fn record(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<NewCoaching>,
) -> Result<(StatusCode, Json<CoachingSession>), AppError> {
    let today = state.today();
    let checked = body.check(today).map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let (agent, template) = coached(
        &mut tx,
        &caller,
        body.agent_no.as_deref(),
        body.source.as_ref(),
    )
    .await?;
    let choices = target_choices(&mut tx, template).await?;
    let mut targets: Vec<CoachingTarget> = Vec::with_capacity(body.targets.len());
    for wanted in &body.targets {
        let Some(found) = choices
            .iter()
            .find(|c| c.kind == wanted.kind && c.code == wanted.code)
        else {
            return Err(AppError::Validation(vec![FieldError::new(
                "targets",
                "unknown",
                "a target is not among the choices",
            )]));
        };
        targets.push(found.clone());
    }
    let id = insert_coaching(
        &mut tx,
        &NewSession {
            agent_id: agent.id,
            team_id: agent.team_id,
            coach_id: caller.id,
            source: body.source.as_ref(),
            discussion: &checked.discussion,
            targets: &targets,
            action: &checked.action,
            follow_up_date: body.follow_up_date,
        },
        now,
    )
    .await?;
    let entry = Entry::new(now, Action::CoachingRecorded)
        .by(Actor::user(&caller, ip))
        .on("coaching", id)
        .details(json!({ "user": agent.id }));
    audit::record(&mut *tx, &entry).await?;
    let session = coaching_row(&mut tx, id).await?.into_session(today)?;
    events::commit_with_event(
        &state,
        tx,
        EventType::CoachingRecorded,
        ("coaching", id),
        now,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListQuery {
    /// Only this agent's (employee number).
    agent_no: Option<String>,
    #[param(inline)]
    state: Option<CoachingState>,
    /// Recorded from this day (organisation zone).
    from: Option<NaiveDate>,
    /// …to this day, included.
    to: Option<NaiveDate>,
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// Coaching sessions, a page at a time.
///
/// An agent's own, a team lead's team's, all for admins: those awaiting the agent's
/// acknowledgement first, then those acknowledged, then newest first; with the count of each
/// state and of overdue follow-ups under the other filters.
#[utoipa::path(
    get,
    path = "/coaching",
    tag = "feedback",
    operation_id = "list_coaching",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of the sessions", body = CoachingPage),
        (status = 400, description = "The query string is malformed (e.g. an unknown state)"),
        (status = 422, description = "The paging or the period is invalid"),
    )
)]
async fn list(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<CoachingPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_COACHING_PER_PAGE);
    check_paging(page, per_page, MAX_COACHING_PER_PAGE, query.from, query.to)?;
    let today = state.today();
    let filter = CoachingFilter {
        agent_id: (caller.role == Role::Agent).then_some(caller.id),
        team_id: (caller.role == Role::TeamLead).then(|| caller.team_id.unwrap_or(-1)),
        agent_no: query.agent_no.filter(|n| !n.trim().is_empty()),
        state: query.state,
        from: query.from,
        to: query.to,
    };
    let mut conn = state.pool.acquire().await?;
    let (counts, overdue) = coaching_counts(&mut conn, &filter, today).await?;
    let rows = coaching_page(&mut conn, &filter, page, per_page).await?;
    let items = rows
        .into_iter()
        .map(|r| r.into_session(today))
        .collect::<Result<_, _>>()?;
    let agents = match caller.role {
        Role::Agent => Vec::new(),
        Role::TeamLead => coaching_agent_choices(&mut conn, filter.team_id, false).await?,
        _ => coaching_agent_choices(&mut conn, None, true).await?,
    };
    Ok(Json(CoachingPage {
        items,
        total: counts.of(filter.state),
        page,
        per_page,
        counts,
        overdue,
        agents,
    }))
}

/// One coaching session, with the agent's scores before and after it.
///
/// The 30 days before the session's day against the 30 days after, once those have passed
/// (as an improvement plan's): customer scores, and the QA scores of the inspections of the
/// agent's services that ended in them.
#[utoipa::path(
    get,
    path = "/coaching/{id}",
    tag = "feedback",
    operation_id = "get_coaching",
    params(("id" = i64, Path, description = "The session's id")),
    responses(
        (status = 200, description = "The session", body = CoachingDetail),
        (status = 403, description = "Another agent's or team's session"),
        (status = 404, description = "No such session"),
    )
)]
async fn detail(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CoachingDetail>, AppError> {
    let now = state.clock.now();
    let mut conn = state.pool.acquire().await?;
    let row = visible(&mut conn, &caller, id).await?;
    let (agent_id, created_at) = (row.agent_id, row.created_at()?);
    let (before, after, change) = compare(&mut conn, agent_id, created_at, now).await?;
    let [before_days, after_days] = plan_compare_days(org_day(created_at));
    let qa_before = qa_window(&mut conn, agent_id, before_days).await?;
    let qa_after = match after {
        Some(_) => Some(qa_window(&mut conn, agent_id, after_days).await?),
        None => None,
    };
    // The agent does not read QA reports.
    let qa_report_plan = match caller.role {
        Role::Agent => None,
        _ => {
            let inspection = (row.source_kind.as_deref() == Some("inspection"))
                .then(|| row.source_ref.as_deref().and_then(|r| r.parse().ok()))
                .flatten();
            let days = (before_days.0, after_days.1);
            crate::db::qa::coaching_report_plan(&mut conn, agent_id, inspection, days).await?
        }
    };
    Ok(Json(CoachingDetail {
        session: row.into_session(state.today())?,
        before,
        after,
        change,
        qa_before,
        qa_after,
        qa_report_plan,
    }))
}

/// Acknowledge a coaching session, with a comment or not.
///
/// By the agent, once: a second time answers 409 `coaching_acknowledged`.
#[utoipa::path(
    post,
    path = "/coaching/{id}/acknowledge",
    tag = "feedback",
    operation_id = "acknowledge_coaching",
    params(("id" = i64, Path, description = "The session's id")),
    request_body = CoachingAcknowledgement,
    responses(
        (status = 200, description = "Acknowledged", body = CoachingSession),
        (status = 403, description = "Another agent's session"),
        (status = 404, description = "No such session"),
        (status = 409, description = "Acknowledged already (`coaching_acknowledged`)"),
        (status = 422, description = "The comment is too long"),
    )
)]
async fn acknowledge(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<CoachingAcknowledgement>,
) -> Result<Json<CoachingSession>, AppError> {
    let comment = body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let row = visible(&mut tx, &caller, id).await?;
    if !row.state().may_acknowledge()
        || !acknowledge_coaching(&mut tx, id, comment.as_deref(), now).await?
    {
        return Err(Coded::conflict(
            "coaching_acknowledged",
            "This coaching session has been acknowledged already",
        )
        .into());
    }
    let entry = Entry::new(now, Action::CoachingAcknowledged)
        .by(Actor::user(&caller, ip))
        .on("coaching", id);
    audit::record(&mut *tx, &entry).await?;
    let session = coaching_row(&mut tx, id)
        .await?
        .into_session(state.today())?;
    events::commit_with_event(
        &state,
        tx,
        EventType::CoachingAcknowledged,
        ("coaching", id),
        now,
    )
    .await?;
    Ok(Json(session))
}

/// Record the follow-up of an acknowledged coaching session.
///
/// By the agent's team lead or an admin, once the agent acknowledged it.
#[utoipa::path(
    post,
    path = "/coaching/{id}/follow-up",
    tag = "feedback",
    operation_id = "follow_up_coaching",
    params(("id" = i64, Path, description = "The session's id")),
    responses(
        (status = 200, description = "Followed up", body = CoachingSession),
        (status = 403, description = "Another team's session"),
        (status = 404, description = "No such session"),
        (status = 409, description = "Not acknowledged yet or followed up already (`coaching_not_acknowledged`)"),
    )
)]
async fn follow_up(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CoachingSession>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let row = visible(&mut tx, &caller, id).await?;
    if !row.state().may_follow_up() || !follow_up_coaching(&mut tx, id, now).await? {
        return Err(Coded::conflict(
            "coaching_not_acknowledged",
            "This coaching session awaits the agent's acknowledgement or was followed up already",
        )
        .into());
    }
    let entry = Entry::new(now, Action::CoachingFollowedUp)
        .by(Actor::user(&caller, ip))
        .on("coaching", id);
    audit::record(&mut *tx, &entry).await?;
    let session = coaching_row(&mut tx, id)
        .await?
        .into_session(state.today())?;
    tx.commit().await?;
    Ok(Json(session))
}
