//! `/teams`: the admin's teams and their leads. Changes are audited with old and new values.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::FieldError;
use pingjia_domain::users::{
    NewTeam, Team, TeamPatch, check_team_name, check_team_name_en, clean_team_name_en,
};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::{Conn, teams};
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, patch, post};
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry, change};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_teams, create_team))
        .routes(routes!(update_team))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/teams", ADMIN),
    post("/api/v1/teams", ADMIN),
    patch("/api/v1/teams/{id}", ADMIN),
];

/// Every team, by name.
#[utoipa::path(
    get,
    path = "/teams",
    tag = "users",
    operation_id = "list_teams",
    responses((status = 200, description = "The teams", body = Vec<Team>))
)]
async fn list_teams(State(state): State<AppState>) -> Result<Json<Vec<Team>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(teams::teams(&mut conn).await?))
}

/// The problems with a team's name (trimmed) for team `id` (`None`: a new team).
async fn check_name(
    conn: &mut Conn,
    name: &str,
    id: Option<i64>,
) -> Result<Option<FieldError>, AppError> {
    if let Some(error) = check_team_name("name", name) {
        return Ok(Some(error));
    }
    let taken = teams::name_taken(conn, name, id).await?;
    Ok(taken.then(|| FieldError::new("name", "taken", "another team has this name")))
}

/// The problems with making `lead` the lead of team `id` (`None`: a new team): they must be
/// an enabled `team_lead` who leads no other team.
async fn check_lead(
    conn: &mut Conn,
    lead: i64,
    id: Option<i64>,
) -> Result<Option<FieldError>, AppError> {
    let user = teams::role_and_disabled(conn, lead).await?;
    let error = |code: &str, message: String| Some(FieldError::new("lead_user_id", code, message));
    match user {
        None => return Ok(error("unknown", "no such user".to_owned())),
        Some((role, _)) if role != "team_lead" => {
            return Ok(error(
                "not_team_lead",
                "a team's lead must have the team_lead role".to_owned(),
            ));
        }
        Some((_, true)) => return Ok(error("disabled", "this user is disabled".to_owned())),
        Some(_) => {}
    }
    let other = teams::led_by(conn, lead, id).await?;
    Ok(other.and_then(|name| error("leads_another_team", format!("this user leads {name}"))))
}

/// Create a team.
///
/// The name must be unused; the English name is optional (at most 50 characters); the lead, when given, must be an enabled `team_lead` who leads no
/// other team, and joins this team.
#[utoipa::path(
    post,
    path = "/teams",
    tag = "users",
    operation_id = "create_team",
    request_body = NewTeam,
    responses(
        (status = 201, description = "Created", body = Team),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn create_team(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(new): Json<NewTeam>,
) -> Result<(StatusCode, Json<Team>), AppError> {
    let now = state.clock.now();
    let name = new.name.trim().to_owned();
    let name_en = clean_team_name_en(new.name_en.as_deref());
    let mut tx = begin_write(&state.pool).await?;
    let mut errors: Vec<FieldError> = check_name(&mut tx, &name, None)
        .await?
        .into_iter()
        .collect();
    errors.extend(check_team_name_en("name_en", name_en.as_deref()));
    if let Some(lead) = new.lead_user_id {
        errors.extend(check_lead(&mut tx, lead, None).await?);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let id = teams::insert(&mut tx, &name, name_en.as_deref(), new.lead_user_id).await?;
    if let Some(lead) = new.lead_user_id {
        teams::join(&mut tx, lead, id).await?;
    }
    let entry = Entry::new(now, Action::TeamCreated)
        .by(Actor {
            user_id: Some(caller.id),
            ip,
        })
        .on("team", id)
        .details(json!({ "name": name, "name_en": name_en, "lead_user_id": new.lead_user_id }));
    audit::record(&mut *tx, &entry).await?;
    let team = teams::team(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(team)))
}

/// Change a team.
///
/// Its name, its English name (`null` or blank: none), and its lead (an enabled `team_lead` who leads no other team, who joins this
/// team; `null` for none). The previous lead stays in the team.
#[utoipa::path(
    patch,
    path = "/teams/{id}",
    tag = "users",
    operation_id = "update_team",
    params(("id" = i64, Path, description = "The team")),
    request_body = TeamPatch,
    responses(
        (status = 200, description = "The team as changed", body = Team),
        (status = 404, description = "No such team"),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn update_team(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(patch): Json<TeamPatch>,
) -> Result<Json<Team>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let current = teams::team(&mut tx, id).await?;
    let name = patch
        .name
        .as_deref()
        .map_or(current.name.clone(), |n| n.trim().to_owned());
    let name_en = match &patch.name_en {
        Some(name_en) => clean_team_name_en(name_en.as_deref()),
        None => current.name_en.clone(),
    };
    let lead = patch.lead_user_id.unwrap_or(current.lead_user_id);
    let mut errors = Vec::new();
    if patch.name.is_some() {
        errors.extend(check_name(&mut tx, &name, Some(id)).await?);
    }
    errors.extend(check_team_name_en("name_en", name_en.as_deref()));
    if let Some(lead) = lead.filter(|l| Some(*l) != current.lead_user_id) {
        errors.extend(check_lead(&mut tx, lead, Some(id)).await?);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut changes = serde_json::Map::new();
    change(&mut changes, "name", &current.name, &name);
    change(&mut changes, "name_en", &current.name_en, &name_en);
    change(&mut changes, "lead_user_id", current.lead_user_id, lead);
    if !changes.is_empty() {
        teams::update(&mut tx, id, &name, name_en.as_deref(), lead).await?;
        if let Some(lead) = lead.filter(|l| Some(*l) != current.lead_user_id) {
            teams::join(&mut tx, lead, id).await?;
        }
        let entry = Entry::new(now, Action::TeamUpdated)
            .by(Actor {
                user_id: Some(caller.id),
                ip,
            })
            .on("team", id)
            .details(json!({ "changes": changes }));
        audit::record(&mut *tx, &entry).await?;
    }
    let team = teams::team(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(team))
}
