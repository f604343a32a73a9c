//! Teams as stored: their names, leads and member counts.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::Conn;
use pingjia_domain::users::Team;

use crate::db::is_unique_violation;
use crate::error::AppError;

const TEAM_SELECT: &str = "SELECT t.id, t.name, t.name_en, t.lead_user_id, l.display_name AS lead_name, \
     (SELECT COUNT(*) FROM users m WHERE m.team_id = t.id) AS members \
     FROM teams t LEFT JOIN users l ON l.id = t.lead_user_id";

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    name: String,
    name_en: Option<String>,
    lead_user_id: Option<i64>,
    lead_name: Option<String>,
    members: i64,
}

impl From<TeamRow> for Team {
    fn from(row: TeamRow) -> Team {
        Team {
            id: row.id,
            name: row.name,
            name_en: row.name_en,
            lead_user_id: row.lead_user_id,
            lead_name: row.lead_name,
            members: u64::try_from(row.members).unwrap_or_default(),
        }
    }
}

/// The team `id`; not found is a 404.
pub(crate) async fn team(conn: &mut Conn, id: i64) -> Result<Team, AppError> {
    sql::query_as::<TeamRow>(&format!("{TEAM_SELECT} WHERE t.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(Team::from)
        .ok_or_else(|| AppError::NotFound(format!("The team {id}")))
}

/// Every team, by name.
pub(crate) async fn teams(conn: &mut Conn) -> Result<Vec<Team>, sqlx::Error> {
    let rows: Vec<TeamRow> = sql::query_as(&format!("{TEAM_SELECT} ORDER BY t.name"))
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(Team::from).collect())
}

/// Whether a team other than `id` is named `name` (trimmed).
pub(crate) async fn name_taken(
    conn: &mut Conn,
    name: &str,
    id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    sql::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM teams WHERE name = ? AND id IS DISTINCT FROM ?)",
    )
    .bind(name.trim())
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The role and disabled flag of the user `id`.
pub(crate) async fn role_and_disabled(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(String, bool)>, sqlx::Error> {
    sql::query_as("SELECT role, disabled FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The name of the team other than `id` that `lead` leads.
pub(crate) async fn led_by(
    conn: &mut Conn,
    lead: i64,
    id: Option<i64>,
) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT name FROM teams WHERE lead_user_id = ? AND id IS DISTINCT FROM ?")
        .bind(lead)
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A team name taken by a concurrent request: 409.
fn taken_meanwhile(e: sqlx::Error) -> AppError {
    if is_unique_violation(&e) {
        AppError::Conflict("Another team took this name meanwhile".to_owned())
    } else {
        AppError::from(e)
    }
}

/// Adds a team (its Chinese and optional English name); its id.
pub(crate) async fn insert(
    conn: &mut Conn,
    name: &str,
    name_en: Option<&str>,
    lead: Option<i64>,
) -> Result<i64, AppError> {
    sql::query_scalar(
        "INSERT INTO teams (name, name_en, lead_user_id) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(name_en)
    .bind(lead)
    .fetch_one(conn)
    .await
    .map_err(taken_meanwhile)
}

/// Renames the team `id` (both names) and gives it the lead `lead`.
pub(crate) async fn update(
    conn: &mut Conn,
    id: i64,
    name: &str,
    name_en: Option<&str>,
    lead: Option<i64>,
) -> Result<(), AppError> {
    sql::query("UPDATE teams SET name = ?, name_en = ?, lead_user_id = ? WHERE id = ?")
        .bind(name)
        .bind(name_en)
        .bind(lead)
        .bind(id)
        .execute(conn)
        .await
        .map_err(taken_meanwhile)?;
    Ok(())
}

/// Puts a team's new lead into the team.
pub(crate) async fn join(conn: &mut Conn, lead: i64, team: i64) -> Result<(), sqlx::Error> {
    sql::query("UPDATE users SET team_id = ? WHERE id = ?")
        .bind(team)
        .bind(lead)
        .execute(conn)
        .await?;
    Ok(())
}

/// A user's employee number, name and team: (employee number, name, team, its name, its
/// English name).
pub(crate) type MemberCard = (
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// A user's [`MemberCard`].
pub(crate) async fn member_card(conn: &mut Conn, user_id: i64) -> Result<MemberCard, sqlx::Error> {
    sql::query_as(
        "SELECT u.employee_no, u.display_name, u.team_id, t.name, t.name_en
             FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.id = ?",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await
}

/// The name and English name of the team `id`.
pub(crate) async fn team_name(
    conn: &mut Conn,
    id: i64,
) -> Result<(String, Option<String>), sqlx::Error> {
    sql::query_as("SELECT name, name_en FROM teams WHERE id = ?")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The agents of the team `id` (id, employee number, name), by employee number.
pub(crate) async fn agents_of(
    conn: &mut Conn,
    id: i64,
) -> Result<Vec<(i64, Option<String>, String)>, sqlx::Error> {
    sql::query_as(
        "SELECT id, employee_no, display_name FROM users
         WHERE team_id = ? AND role = 'agent' ORDER BY employee_no",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Every team's id by its name.
pub(crate) async fn ids_by_name(conn: &mut Conn) -> Result<HashMap<String, i64>, sqlx::Error> {
    Ok(sql::query_as::<(i64, String)>("SELECT id, name FROM teams")
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|(id, name)| (name, id))
        .collect())
}

/// Whether the team `id` exists.
pub(crate) async fn exists(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar("SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?)")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The team (id, name) the user `user_id` leads.
pub(crate) async fn led_team(
    conn: &mut Conn,
    user_id: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sql::query_as("SELECT id, name FROM teams WHERE lead_user_id = ?")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}
