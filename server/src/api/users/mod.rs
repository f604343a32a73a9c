//! `/users`: the admin's user management (list, create, change, set a password, import a CSV
//! file). Every change is audited with the old and new values; phone numbers only ever leave
//! the server masked.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::FieldError;
use pingjia_domain::auth::{mask_email, mask_phone};
use pingjia_domain::users::{
    ContactChange, DEFAULT_PER_PAGE, MAX_PER_PAGE, NewUser, SetPasswordRequest, User, UserPage,
    UserPatch, check_display_name, has_team,
};
use pingjia_domain::wire::{CustomerType, Role};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::auth::identity;
use crate::db::begin_write;
use crate::db::teams;
use crate::db::users::{
    UserQuery, check_against_database, contacts_of, contacts_taken, insert_user, load_row,
    set_password_hash, update_account, update_contacts, user_page,
};
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, patch, post};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::session;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry, change};
use crate::services::password;

mod import;

use import::check_password;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(update_user))
        .routes(routes!(set_password))
        .routes(routes!(import::import_users))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/users", ADMIN),
    post("/api/v1/users", ADMIN),
    post("/api/v1/users/import", ADMIN),
    patch("/api/v1/users/{id}", ADMIN),
    post("/api/v1/users/{id}/password", ADMIN),
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Part of a name or of an employee, customer or member number, or a whole phone number.
    q: Option<String>,
    role: Option<Role>,
    team_id: Option<i64>,
    disabled: Option<bool>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// Users, a page at a time.
///
/// Filters combine: `q` matches part of a display name or of an employee, customer or member
/// number, or a whole phone number (never part of one); `role`, `team_id` and `disabled`
/// match exactly. Oldest accounts first. Phone numbers are masked (`138****0001`).
#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    operation_id = "list_users",
    params(UserFilter),
    responses(
        (status = 200, description = "One page of users", body = UserPage),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "`page` or `per_page` is out of range"),
    )
)]
async fn list_users(
    State(state): State<AppState>,
    Query(filter): Query<UserFilter>,
) -> Result<Json<UserPage>, AppError> {
    let page = filter.page.unwrap_or(1);
    let per_page = filter.per_page.unwrap_or(DEFAULT_PER_PAGE);
    check_paging(page, per_page, MAX_PER_PAGE, None, None)?;
    let query = UserQuery {
        q: filter.q.as_deref(),
        role: filter.role,
        team_id: filter.team_id,
        disabled: filter.disabled,
    };
    let mut conn = state.pool.acquire().await?;
    let (total, users) = user_page(&mut conn, &query, page, per_page).await?;
    Ok(Json(UserPage {
        users,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    }))
}

/// What the audit log keeps of a new user: everything but the password, the phone and the
/// e-mail address masked.
fn audited(user: &NewUser) -> Value {
    json!({
        "role": user.role.as_str(),
        "display_name": user.display_name,
        "employee_no": user.employee_no,
        "customer_no": user.customer_no,
        "member_no": user.member_no,
        "phone": user.phone.as_deref().map(mask_phone),
        "email": user.email.as_deref().map(mask_email),
        "customer_type": user.customer_type.map(CustomerType::as_str),
        "team_id": user.team_id,
        "has_password": user.password.is_some(),
    })
}

/// Create a user.
///
/// Any role, with the identifiers of that role (see `NewUser`). Identifiers are normalised
/// (upper case, no spaces or hyphens) and must be unused; a password, when given, must pass
/// the password rules (field errors `too_short`, `too_long`, `contains_login`, `too_common`).
#[utoipa::path(
    post,
    path = "/users",
    tag = "users",
    operation_id = "create_user",
    request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 409, description = "An identifier was taken meanwhile"),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn create_user(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(new): Json<NewUser>,
) -> Result<(StatusCode, Json<User>), AppError> {
    let now = state.clock.now();
    let new = new.normalized();
    let mut conn = state.pool.acquire().await?;
    let mut errors = new.validate();
    errors.extend(check_against_database(&mut conn, &new).await?);
    check_password(&new, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    drop(conn);
    let hash = match &new.password {
        Some(password) => Some(password::hash(password.clone()).await?),
        None => None,
    };
    let mut tx = begin_write(&state.pool).await?;
    let id = insert_user(&mut tx, &new, hash, now).await?;
    let entry = Entry::new(now, Action::UserCreated)
        .by(Actor {
            user_id: Some(caller.id),
            ip,
        })
        .on("user", id)
        .details(audited(&new));
    audit::record(&mut *tx, &entry).await?;
    let user = load_row(&mut tx, id).await?.into_user()?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Change a user.
///
/// Display name, role (within staff roles; a customer stays a customer), team (agents and
/// team leads only; `null` takes them out) and whether they are disabled. Disabling ends
/// every session of the user. An admin cannot disable themselves or give up their own admin
/// role, and a team lead who leads a team keeps the role and the team until the team gets
/// another lead (409).
#[utoipa::path(
    patch,
    path = "/users/{id}",
    tag = "users",
    operation_id = "update_user",
    params(("id" = i64, Path, description = "The user")),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The user as changed", body = User),
        (status = 404, description = "No such user"),
        (status = 409, description = "The change would lock the admin out or leave a team with a lead who is not its team lead"),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn update_user(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(patch): Json<UserPatch>,
) -> Result<Json<User>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let current = load_row(&mut tx, id).await?.into_user()?;

    let display_name = patch
        .display_name
        .as_deref()
        .map_or(current.display_name.clone(), |n| n.trim().to_owned());
    let role = patch.role.unwrap_or(current.role);
    let team_id = patch.team_id.unwrap_or(current.team_id);
    let disabled = patch.disabled.unwrap_or(current.disabled);

    let mut errors = Vec::new();
    if patch.display_name.is_some() {
        errors.extend(check_display_name("display_name", &display_name));
    }
    if (role == Role::Customer) != (current.role == Role::Customer) {
        errors.push(FieldError::new(
            "role",
            "not_allowed",
            "customers and staff have different identifiers: create a new account instead",
        ));
    }
    if team_id.is_some() && !has_team(role) {
        errors.push(FieldError::new(
            "team_id",
            "not_allowed",
            "only agents and team leads belong to a team",
        ));
    } else if let Some(team) = team_id.filter(|t| Some(*t) != current.team_id)
        && !teams::exists(&mut tx, team).await?
    {
        errors.push(FieldError::new("team_id", "unknown", "no such team"));
    }
    let contacts = match patch.contacts(current.role == Role::Customer) {
        Ok(contacts) => {
            errors.extend(contacts_taken(&mut tx, id, &contacts).await?);
            contacts
        }
        Err(found) => {
            errors.extend(found);
            ContactChange::default()
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if caller.is(id) && disabled {
        return Err(AppError::Conflict(
            "You cannot disable your own account".to_owned(),
        ));
    }
    if caller.is(id) && role != Role::Admin {
        return Err(AppError::Conflict(
            "You cannot give up your own admin role; another admin can".to_owned(),
        ));
    }
    if let Some((led_id, led_name)) = teams::led_team(&mut tx, id).await?
        && (role != Role::TeamLead || team_id != Some(led_id))
    {
        return Err(AppError::Conflict(format!(
            "{} leads the team {led_name}: give the team another lead first",
            current.display_name
        )));
    }

    let mut changes = serde_json::Map::new();
    change(
        &mut changes,
        "display_name",
        &current.display_name,
        &display_name,
    );
    change(&mut changes, "role", current.role.as_str(), role.as_str());
    change(&mut changes, "team_id", current.team_id, team_id);
    change(&mut changes, "disabled", current.disabled, disabled);
    // The log names contacts masked, as the user list shows them.
    let (phone_before, email_before) = contacts_of(&mut tx, id).await?;
    let masked = |value: &Option<String>, mask: fn(&str) -> String| value.as_deref().map(mask);
    if let Some(phone) = contacts.phone.as_ref().filter(|p| **p != phone_before) {
        let (old, new) = (masked(&phone_before, mask_phone), masked(phone, mask_phone));
        changes.insert("phone".to_owned(), json!({ "old": old, "new": new }));
    }
    if let Some(email) = contacts.email.as_ref().filter(|e| **e != email_before) {
        let (old, new) = (masked(&email_before, mask_email), masked(email, mask_email));
        changes.insert("email".to_owned(), json!({ "old": old, "new": new }));
    }
    if !changes.is_empty() {
        update_account(&mut tx, id, &display_name, role, team_id, disabled).await?;
        update_contacts(&mut tx, id, &contacts).await?;
        let mut details = json!({ "changes": changes });
        if disabled && !current.disabled {
            details["sessions_ended"] = session::revoke_all(&mut *tx, id, None, now).await?.into();
        }
        let entry = Entry::new(now, Action::UserUpdated)
            .by(Actor {
                user_id: Some(caller.id),
                ip,
            })
            .on("user", id)
            .details(details);
        audit::record(&mut *tx, &entry).await?;
    }
    let user = load_row(&mut tx, id).await?.into_user()?;
    tx.commit().await?;
    Ok(Json(user))
}

/// Set a user's password.
///
/// For a user who forgot theirs or never had one. The password rules apply (field errors on
/// `new_password`); every session of the user ends (the admin's own current one excepted).
#[utoipa::path(
    post,
    path = "/users/{id}/password",
    tag = "users",
    operation_id = "set_user_password",
    params(("id" = i64, Path, description = "The user")),
    request_body = SetPasswordRequest,
    responses(
        (status = 204, description = "Set; the user's sessions ended"),
        (status = 404, description = "No such user"),
        (status = 422, description = "The password is refused"),
    )
)]
async fn set_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(request): Json<SetPasswordRequest>,
) -> Result<StatusCode, AppError> {
    let now = state.clock.now();
    identity(&state.pool, id)
        .await?
        .check_new_password("new_password", &request.new_password)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let hash = password::hash(request.new_password).await?;
    let keep = caller.is(id).then_some(caller.session_id);
    let mut tx = begin_write(&state.pool).await?;
    set_password_hash(&mut tx, id, &hash).await?;
    let ended = session::revoke_all(&mut *tx, id, keep, now).await?;
    let entry = Entry::new(now, Action::UserPasswordReset)
        .by(Actor {
            user_id: Some(caller.id),
            ip,
        })
        .on("user", id)
        .details(json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
