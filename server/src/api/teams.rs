//! `/teams`: the admin's teams and their leads. Changes are audited with old and new values.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use pingjia_domain::FieldError;
use pingjia_domain::users::{NewTeam, Team, TeamPatch, check_team_name};
use serde_json::json;
use sqlx::SqliteConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::is_unique_violation;
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, patch, post};
use crate::http::extract::{ClientIp, Json};
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

const TEAM_SELECT: &str = "SELECT t.id, t.name, t.lead_user_id, l.display_name AS lead_name, \
     (SELECT COUNT(*) FROM users m WHERE m.team_id = t.id) AS members \
     FROM teams t LEFT JOIN users l ON l.id = t.lead_user_id";

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    name: String,
    lead_user_id: Option<i64>,
    lead_name: Option<String>,
    members: i64,
}

impl From<TeamRow> for Team {
    fn from(row: TeamRow) -> Team {
        Team {
            id: row.id,
            name: row.name,
            lead_user_id: row.lead_user_id,
            lead_name: row.lead_name,
            members: u64::try_from(row.members).unwrap_or_default(),
        }
    }
}

async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Team, AppError> {
    sqlx::query_as::<_, TeamRow>(&format!("{TEAM_SELECT} WHERE t.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(Team::from)
        .ok_or_else(|| AppError::NotFound(format!("The team {id}")))
}

/// Every team, by name.
#[utoipa::path(
    get,
    path = "/teams",
    tag = "users",
    operation_id = "list_teams",
    responses((status = 200, description = "The teams", body = Vec<Team>))
)]
async fn list_teams(State(state): State<AppState>) -> Result<Json<Vec<Team>>, AppError> {
    let rows: Vec<TeamRow> = sqlx::query_as(&format!("{TEAM_SELECT} ORDER BY t.name"))
        .fetch_all(&state.pool)
        .await?;
    Ok(Json(rows.into_iter().map(Team::from).collect()))
}

/// The problems with a team's name (trimmed) for team `id` (`None`: a new team).
async fn check_name(
    conn: &mut SqliteConnection,
    name: &str,
    id: Option<i64>,
) -> Result<Option<FieldError>, sqlx::Error> {
    if let Some(error) = check_team_name("name", name) {
        return Ok(Some(error));
    }
    let taken: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM teams WHERE name = ? AND id IS NOT ?)")
            .bind(name.trim())
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(taken.then(|| FieldError::new("name", "taken", "another team has this name")))
}

/// The problems with making `lead` the lead of team `id` (`None`: a new team): they must be
/// an enabled `team_lead` who leads no other team.
async fn check_lead(
    conn: &mut SqliteConnection,
    lead: i64,
    id: Option<i64>,
) -> Result<Option<FieldError>, sqlx::Error> {
    let user: Option<(String, bool)> =
        sqlx::query_as("SELECT role, disabled FROM users WHERE id = ?")
            .bind(lead)
            .fetch_optional(&mut *conn)
            .await?;
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
    let other: Option<String> =
        sqlx::query_scalar("SELECT name FROM teams WHERE lead_user_id = ? AND id IS NOT ?")
            .bind(lead)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(other.and_then(|name| error("leads_another_team", format!("this user leads {name}"))))
}

fn taken_meanwhile(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::Conflict("Another team took this name meanwhile".to_owned())
    } else {
        AppError::Database(e)
    }
}

/// Create a team.
///
/// The name must be unused; the lead, when given, must be an enabled `team_lead` who leads no
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
    let mut tx = state.pool.begin().await?;
    let mut errors: Vec<FieldError> = check_name(&mut tx, &name, None)
        .await?
        .into_iter()
        .collect();
    if let Some(lead) = new.lead_user_id {
        errors.extend(check_lead(&mut tx, lead, None).await?);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let id: i64 =
        sqlx::query_scalar("INSERT INTO teams (name, lead_user_id) VALUES (?, ?) RETURNING id")
            .bind(&name)
            .bind(new.lead_user_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(taken_meanwhile)?;
    if let Some(lead) = new.lead_user_id {
        join(&mut tx, lead, id).await?;
    }
    let entry = Entry::new(now, Action::TeamCreated)
        .by(Actor {
            user_id: Some(caller.id),
            ip,
        })
        .on("team", id)
        .details(json!({ "name": name, "lead_user_id": new.lead_user_id }));
    audit::record(&mut *tx, &entry).await?;
    let team = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(team)))
}

/// Puts a team's new lead into the team.
async fn join(conn: &mut SqliteConnection, lead: i64, team: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET team_id = ? WHERE id = ?")
        .bind(team)
        .bind(lead)
        .execute(conn)
        .await?;
    Ok(())
}

/// Change a team.
///
/// Its name, and its lead (an enabled `team_lead` who leads no other team, who joins this
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
    let mut tx = state.pool.begin().await?;
    let current = load(&mut tx, id).await?;
    let name = patch
        .name
        .as_deref()
        .map_or(current.name.clone(), |n| n.trim().to_owned());
    let lead = patch.lead_user_id.unwrap_or(current.lead_user_id);
    let mut errors = Vec::new();
    if patch.name.is_some() {
        errors.extend(check_name(&mut tx, &name, Some(id)).await?);
    }
    if let Some(lead) = lead.filter(|l| Some(*l) != current.lead_user_id) {
        errors.extend(check_lead(&mut tx, lead, Some(id)).await?);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut changes = serde_json::Map::new();
    change(&mut changes, "name", &current.name, &name);
    change(&mut changes, "lead_user_id", current.lead_user_id, lead);
    if !changes.is_empty() {
        sqlx::query("UPDATE teams SET name = ?, lead_user_id = ? WHERE id = ?")
            .bind(&name)
            .bind(lead)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(taken_meanwhile)?;
        if let Some(lead) = lead.filter(|l| Some(*l) != current.lead_user_id) {
            join(&mut tx, lead, id).await?;
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
    let team = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(team))
}
