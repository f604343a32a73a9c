//! Users as stored: the admin list's rows, the uniqueness checks of a new user, inserting one.

use crate::db::sql;
use crate::db::sql::{Conn, Pool, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::FieldError;
use pingjia_domain::auth::{LoginKind, Me, mask_email, mask_phone, normalize_login};
use pingjia_domain::users::{ContactChange, NewUser, User};
use pingjia_domain::wire::{CustomerType, Role};

use crate::db::{is_unique_violation, like_escaped, parse_stored, push_page};
use crate::error::AppError;
use crate::time::{from_db, to_db};

pub(crate) const USER_SELECT: &str = "SELECT u.id, u.role, u.display_name, u.employee_no, u.customer_no, \
     u.member_no, u.phone, u.email, u.customer_no_generated, u.customer_type, u.team_id, \
     t.name AS team_name, t.name_en AS team_name_en, u.disabled, \
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
    pub(crate) email: Option<String>,
    pub(crate) customer_no_generated: bool,
    pub(crate) customer_type: Option<String>,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) disabled: bool,
    pub(crate) has_password: bool,
    pub(crate) created_at: String,
}

impl UserRow {
    /// The user as sent: the phone number and the e-mail address masked.
    pub(crate) fn into_user(self) -> Result<User, sqlx::Error> {
        Ok(User {
            id: self.id,
            role: parse_stored(&self.role, Role::parse)?,
            display_name: self.display_name,
            employee_no: self.employee_no,
            customer_no: self.customer_no,
            member_no: self.member_no,
            phone: self.phone.as_deref().map(mask_phone),
            email: self.email.as_deref().map(mask_email),
            customer_no_generated: self.customer_no_generated,
            customer_type: self
                .customer_type
                .map(|t| parse_stored(&t, CustomerType::parse))
                .transpose()?,
            team_id: self.team_id,
            team_name: self.team_name,
            team_name_en: self.team_name_en,
            disabled: self.disabled,
            has_password: self.has_password,
            created_at: from_db(&self.created_at)?,
        })
    }
}

pub(crate) async fn load_row(conn: &mut Conn, id: i64) -> Result<UserRow, AppError> {
    sql::query_as(&format!("{USER_SELECT} WHERE u.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The user {id}")))
}

/// What only the database can tell about a normalised new user: identifiers already taken,
/// a team that does not exist. Field names are [`NewUser`]'s.
pub(crate) async fn check_against_database(
    conn: &mut Conn,
    user: &NewUser,
) -> Result<Vec<FieldError>, sqlx::Error> {
    let mut errors = Vec::new();
    let identifiers = [
        ("employee_no", &user.employee_no),
        ("customer_no", &user.customer_no),
        ("member_no", &user.member_no),
        ("phone", &user.phone),
        ("email", &user.email),
    ];
    for (column, value) in identifiers {
        let Some(value) = value else { continue };
        // A customer's address is theirs alone (messages and sign-in codes go to it); staff
        // may share one (a team's mailbox).
        let scope = match column {
            "email" if user.role != Role::Customer => continue,
            "email" => " AND role = 'customer'",
            _ => "",
        };
        let taken: bool = sql::query_scalar(&format!(
            "SELECT EXISTS (SELECT 1 FROM users WHERE {column} = ?{scope})"
        ))
        .bind(value)
        .fetch_one(&mut *conn)
        .await?;
        if taken {
            let message = if column == "email" {
                "another user already has this e-mail address"
            } else {
                "another user already has this number"
            };
            errors.push(FieldError::new(column, "taken", message));
        }
    }
    if let Some(team_id) = user.team_id {
        let exists: bool = sql::query_scalar("SELECT EXISTS (SELECT 1 FROM teams WHERE id = ?)")
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
    conn: &mut Conn,
    user: &NewUser,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    sql::query_scalar(
        "INSERT INTO users (role, display_name, employee_no, customer_no, member_no, phone,
                            email, customer_type, team_id, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         RETURNING id",
    )
    .bind(user.role.as_str())
    .bind(&user.display_name)
    .bind(&user.employee_no)
    .bind(&user.customer_no)
    .bind(&user.member_no)
    .bind(&user.phone)
    .bind(&user.email)
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
            AppError::from(e)
        }
    })
}

/// What signing in needs of an account.
#[derive(sqlx::FromRow)]
pub(crate) struct Account {
    pub(crate) id: i64,
    pub(crate) password_hash: Option<String>,
    pub(crate) disabled: bool,
}

/// The account a login names: customers by mobile or member number, staff by employee number.
pub(crate) async fn account(
    pool: &Pool,
    kind: LoginKind,
    login: &str,
) -> Result<Option<Account>, sqlx::Error> {
    let sql = match kind {
        LoginKind::Customer => {
            "SELECT id, password_hash, disabled FROM users
             WHERE role = 'customer' AND (phone = ?1 OR member_no = ?1)"
        }
        LoginKind::Staff => {
            "SELECT id, password_hash, disabled FROM users
             WHERE role <> 'customer' AND employee_no = ?1"
        }
    };
    sql::query_as(sql).bind(login).fetch_optional(pool).await
}

/// A user's name, password hash and the identifiers they sign in with.
#[derive(sqlx::FromRow)]
pub(crate) struct IdentityRow {
    pub(crate) display_name: String,
    pub(crate) password_hash: Option<String>,
    pub(crate) employee_no: Option<String>,
    pub(crate) customer_no: Option<String>,
    pub(crate) member_no: Option<String>,
    pub(crate) phone: Option<String>,
}

/// The [`IdentityRow`] of the user `user_id`.
pub(crate) async fn identity_row(
    pool: &Pool,
    user_id: i64,
) -> Result<Option<IdentityRow>, sqlx::Error> {
    sql::query_as(
        "SELECT display_name, password_hash, employee_no, customer_no, member_no, phone
         FROM users WHERE id = ?",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

#[derive(sqlx::FromRow)]
struct MeRow {
    id: i64,
    role: String,
    display_name: String,
    employee_no: Option<String>,
    customer_no: Option<String>,
    customer_type: Option<String>,
    team_id: Option<i64>,
    team_name: Option<String>,
    team_name_en: Option<String>,
}

/// The signed-in user `user_id`, whose session expires at `session_expires_at`; 404 when
/// there is no such user.
pub(crate) async fn me(
    pool: &Pool,
    user_id: i64,
    session_expires_at: DateTime<Utc>,
) -> Result<Me, AppError> {
    let row: MeRow = sql::query_as(
        "SELECT u.id, u.role, u.display_name, u.employee_no, u.customer_no, u.customer_type,
                u.team_id, t.name AS team_name, t.name_en AS team_name_en
         FROM users u LEFT JOIN teams t ON t.id = u.team_id
         WHERE u.id = ?",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("The user {user_id}")))?;
    let customer_type = row
        .customer_type
        .map(|t| parse_stored(&t, CustomerType::parse))
        .transpose()?;
    Ok(Me {
        id: row.id,
        role: parse_stored(&row.role, Role::parse)?,
        display_name: row.display_name,
        employee_no: row.employee_no,
        customer_no: row.customer_no,
        customer_type,
        team_id: row.team_id,
        team_name: row.team_name,
        team_name_en: row.team_name_en,
        session_expires_at,
    })
}

/// Sets the password hash of the user `id`.
pub(crate) async fn set_password_hash(
    conn: &mut Conn,
    id: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Which users the admin list shows: `q` matches part of a display name or of an employee,
/// customer or member number, or a whole phone number; the others exactly (each when given).
pub(crate) struct UserQuery<'a> {
    pub(crate) q: Option<&'a str>,
    pub(crate) role: Option<Role>,
    pub(crate) team_id: Option<i64>,
    pub(crate) disabled: Option<bool>,
}

/// `%` and `_` are wildcards of LIKE: searched for literally.
fn like_pattern(text: &str) -> String {
    format!("%{}%", like_escaped(text))
}

fn push_filters(query: &mut QueryBuilder<'_>, filter: &UserQuery<'_>) {
    query.push(" WHERE 1 = 1");
    if let Some(q) = filter.q.map(str::trim).filter(|q| !q.is_empty()) {
        let name = like_pattern(q);
        let number = like_pattern(&normalize_login(q));
        query
            .push(" AND (u.display_name LIKE ")
            .push_bind(name)
            .push(" ESCAPE '\\'");
        for column in ["u.employee_no", "u.customer_no", "u.member_no"] {
            query
                .push(format!(" OR {column} LIKE "))
                .push_bind(number.clone())
                .push(" ESCAPE '\\'");
        }
        query
            .push(" OR u.phone = ")
            .push_bind(normalize_login(q))
            .push(")");
    }
    if let Some(role) = filter.role {
        query.push(" AND u.role = ").push_bind(role.as_str());
    }
    if let Some(team_id) = filter.team_id {
        query.push(" AND u.team_id = ").push_bind(team_id);
    }
    if let Some(disabled) = filter.disabled {
        query.push(" AND u.disabled = ").push_bind(disabled);
    }
}

/// How many users `filter` selects, and one page of them, oldest accounts first.
pub(crate) async fn user_page(
    conn: &mut Conn,
    filter: &UserQuery<'_>,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<User>), sqlx::Error> {
    let mut count = QueryBuilder::new("SELECT COUNT(*) FROM users u");
    push_filters(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::new(USER_SELECT);
    push_filters(&mut select, filter);
    select.push(" ORDER BY u.id");
    push_page(&mut select, page, per_page);
    let rows: Vec<UserRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let users = rows
        .into_iter()
        .map(UserRow::into_user)
        .collect::<Result<_, _>>()?;
    Ok((total, users))
}

/// The mobile number and e-mail address of the user `id`, as stored (not masked).
pub(crate) async fn contacts_of(
    conn: &mut Conn,
    id: i64,
) -> Result<(Option<String>, Option<String>), sqlx::Error> {
    sql::query_as("SELECT phone, email FROM users WHERE id = ?")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The contacts of `change` another user already has (field `phone` or `email`, `taken`).
pub(crate) async fn contacts_taken(
    conn: &mut Conn,
    id: i64,
    change: &ContactChange,
) -> Result<Vec<FieldError>, sqlx::Error> {
    let mut errors = Vec::new();
    let wanted = [
        (
            "phone",
            &change.phone,
            "another user already has this number",
        ),
        (
            "email",
            &change.email,
            "another user already has this e-mail address",
        ),
    ];
    for (column, value, message) in wanted {
        let Some(Some(value)) = value else { continue };
        // An address is unique among customers only ([`check_against_database`]).
        let scope = if column == "email" {
            " AND role = 'customer' AND (SELECT role FROM users WHERE id = ?2) = 'customer'"
        } else {
            ""
        };
        let taken: bool = sql::query_scalar(&format!(
            "SELECT EXISTS (SELECT 1 FROM users WHERE {column} = ?1 AND id <> ?2{scope})"
        ))
        .bind(value)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        if taken {
            errors.push(FieldError::new(column, "taken", message));
        }
    }
    Ok(errors)
}

/// Applies `change` to the contacts of the user `id` (what it leaves out stays).
pub(crate) async fn update_contacts(
    conn: &mut Conn,
    id: i64,
    change: &ContactChange,
) -> Result<(), sqlx::Error> {
    if *change == ContactChange::default() {
        return Ok(());
    }
    sql::query(
        "UPDATE users SET phone = CASE WHEN ?1 THEN ?2 ELSE phone END,
             email = CASE WHEN ?3 THEN ?4 ELSE email END WHERE id = ?5",
    )
    .bind(change.phone.is_some())
    .bind(change.phone.clone().flatten())
    .bind(change.email.is_some())
    .bind(change.email.clone().flatten())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Changes the name, role, team and disabled flag of the user `id`.
pub(crate) async fn update_account(
    conn: &mut Conn,
    id: i64,
    display_name: &str,
    role: Role,
    team_id: Option<i64>,
    disabled: bool,
) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE users SET display_name = ?, role = ?, team_id = ?, disabled = ? WHERE id = ?",
    )
    .bind(display_name)
    .bind(role.as_str())
    .bind(team_id)
    .bind(disabled)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_searched_literally() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
