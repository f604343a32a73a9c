//! Users as stored: the admin list's rows, the uniqueness checks of a new user, inserting one.

use chrono::{DateTime, Utc};
use pingjia_domain::FieldError;
use pingjia_domain::auth::mask_phone;
use pingjia_domain::users::{NewUser, User};
use pingjia_domain::wire::{CustomerType, Role};
use sqlx::SqliteConnection;

use crate::db::{is_unique_violation, parse_stored};
use crate::error::AppError;
use crate::time::{from_db, to_db};

pub(crate) const USER_SELECT: &str = "SELECT u.id, u.role, u.display_name, u.employee_no, u.customer_no, \
     u.member_no, u.phone, u.customer_type, u.team_id, t.name AS team_name, u.disabled, \
     u.password_hash IS NOT NULL AS has_password, u.created_at \
     FROM users u LEFT JOIN teams t ON t.id = u.team_id";

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) role: String,
    pub(crate) display_name: String,
    pub(crate) employee_no: Option<String>,
    pub(crate) customer_no: Option<String>,
    pub(crate) member_no: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) customer_type: Option<String>,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) disabled: bool,
    pub(crate) has_password: bool,
    pub(crate) created_at: String,
}

impl UserRow {
    /// The user as sent: the phone number masked.
    pub(crate) fn into_user(self) -> Result<User, sqlx::Error> {
        Ok(User {
            id: self.id,
            role: parse_stored(&self.role, Role::parse)?,
            display_name: self.display_name,
            employee_no: self.employee_no,
            customer_no: self.customer_no,
            member_no: self.member_no,
            phone: self.phone.as_deref().map(mask_phone),
            customer_type: self
                .customer_type
                .map(|t| parse_stored(&t, CustomerType::parse))
                .transpose()?,
            team_id: self.team_id,
            team_name: self.team_name,
            disabled: self.disabled,
            has_password: self.has_password,
            created_at: from_db(&self.created_at)?,
        })
    }
}

pub(crate) async fn load_row(conn: &mut SqliteConnection, id: i64) -> Result<UserRow, AppError> {
    sqlx::query_as(&format!("{USER_SELECT} WHERE u.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The user {id}")))
}

/// What only the database can tell about a normalised new user: identifiers already taken,
/// a team that does not exist. Field names are [`NewUser`]'s.
pub(crate) async fn check_against_database(
    conn: &mut SqliteConnection,
    user: &NewUser,
) -> Result<Vec<FieldError>, sqlx::Error> {
    let mut errors = Vec::new();
    let identifiers = [
        ("employee_no", &user.employee_no),
        ("customer_no", &user.customer_no),
        ("member_no", &user.member_no),
        ("phone", &user.phone),
    ];
    for (column, value) in identifiers {
        let Some(value) = value else { continue };
        let taken: bool = sqlx::query_scalar(&format!(
            "SELECT EXISTS (SELECT 1 FROM users WHERE {column} = ?)"
        ))
        .bind(value)
        .fetch_one(&mut *conn)
        .await?;
        if taken {
            errors.push(FieldError::new(
                column,
                "taken",
                "another user already has this number",
            ));
        }
    }
    if let Some(team_id) = user.team_id {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?)")
            .bind(team_id)
            .fetch_one(&mut *conn)
            .await?;
        if !exists {
            errors.push(FieldError::new("team_id", "unknown", "no such team"));
        }
    }
    Ok(errors)
}

pub(crate) async fn insert_user(
    conn: &mut SqliteConnection,
    user: &NewUser,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "INSERT INTO users (role, display_name, employee_no, customer_no, member_no, phone,
                            customer_type, team_id, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(user.role.as_str())
    .bind(&user.display_name)
    .bind(&user.employee_no)
    .bind(&user.customer_no)
    .bind(&user.member_no)
    .bind(&user.phone)
    .bind(user.customer_type.map(CustomerType::as_str))
    .bind(user.team_id)
    .bind(password_hash)
    .bind(to_db(now))
    .fetch_one(conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict(
                "Another user took one of these numbers meanwhile; try again".to_owned(),
            )
        } else {
            AppError::Database(e)
        }
    })
}
