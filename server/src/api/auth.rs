//! `/auth/...`: login, logout, who is signed in, changing one's own password.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pingjia_domain::FieldError;
use pingjia_domain::auth::{ChangePasswordRequest, LoginRequest, Me, normalize_login};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::{Pool, users};
use crate::error::AppError;
use crate::http::authz::{Access, CurrentUser, Rule, get, post};
use crate::http::extract::{ClientIp, Json};
use crate::http::state::AppState;
use crate::http::{session, throttle};
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::password;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    post("/api/v1/auth/login", Access::Public),
    post("/api/v1/auth/logout", Access::Authenticated),
    get("/api/v1/auth/me", Access::Authenticated),
    post("/api/v1/auth/password", Access::Authenticated),
];

/// The one answer to every failed login, whatever failed.
pub const LOGIN_FAILED: &str = "The login or password is wrong";

/// Sign in.
///
/// Customers sign in with their mobile number or member number (`kind: customer`), staff with
/// their employee number (`kind: staff`). On success the answer sets the session cookie
/// `pingjia_session` (HttpOnly, SameSite=Strict, Secure behind HTTPS): it ends after 2 hours
/// without a request and 12 hours after the login at the latest. Every failure, whatever its
/// cause, is the same 401. After 5 failed logins for one login from one address, or 20 from one
/// address whatever the logins, within 15 minutes, that address's attempts are refused with
/// 429 and `Retry-After` until the oldest of those failures is 15 minutes old, even with the
/// right password; other addresses are not refused. After 5 failed logins for one login from
/// any addresses within 15 minutes, every attempt for it is answered only after a delay that
/// doubles with each further failure (1, 2, 4, … up to 30 seconds).
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Me,
         headers(("set-cookie" = String, description = "`pingjia_session=...; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200`"))),
        (status = 401, description = "The login or password is wrong"),
        (status = 422, description = "The body is not a login request"),
        (status = 429, description = "Too many failed logins from this address; try again after `Retry-After` seconds",
         headers(("retry-after" = u64, description = "Seconds until an attempt is heard again"))),
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let pool = &state.pool;
    let login = normalize_login(&request.login);
    let key = throttle::login_key(request.kind, &login);
    let attempt = json!({ "login": key });
    let anonymous = Actor { user_id: None, ip };

    let delay_seconds = match throttle::verdict(pool, &key, ip, now).await? {
        throttle::Verdict::Refused { retry_after } => {
            let entry = Entry::new(now, Action::LoginThrottled)
                .by(anonymous)
                .details(json!({ "login": key, "retry_after": retry_after }));
            audit::record(pool, &entry).await?;
            return Err(AppError::TooManyAttempts { retry_after });
        }
        throttle::Verdict::Heard { delay_seconds } => delay_seconds,
    };
    // Guessed at from many addresses: every attempt waits, the owner's too, but none is
    // refused.
    state.clock.wait_seconds(delay_seconds).await;
    let with_delay = |mut details: serde_json::Value| {
        if delay_seconds > 0 {
            details["delayed_seconds"] = json!(delay_seconds);
        }
        details
    };
    let attempt = with_delay(attempt);

    let account = users::account(pool, request.kind, &login).await?;
    let stored_hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = password::verify(request.password, stored_hash).await?;
    let failure = match &account {
        None => Some("unknown_login"),
        Some(a) if a.password_hash.is_none() => Some("no_password"),
        Some(_) if !matches => Some("wrong_password"),
        Some(a) if a.disabled => Some("disabled"),
        Some(_) => None,
    };
    let succeeded = failure.is_none();
    throttle::note(pool, &key, ip, now, succeeded).await?;
    let account = match (failure, account) {
        (None, Some(account)) => account,
        (reason, account) => {
            let mut entry = Entry::new(now, Action::LoginFailed)
                .by(anonymous)
                .details(with_delay(json!({ "login": key, "reason": reason })));
            if let Some(account) = account {
                entry = entry.on("user", account.id);
            }
            audit::record(pool, &entry).await?;
            return Err(AppError::Unauthorized(LOGIN_FAILED.to_owned()));
        }
    };

    open_session(&state, &headers, ip, account.id, attempt).await
}

/// Signs `user_id` in from `ip` (a password or a one-time code was right): ends the session the
/// request came with, makes a new one, audits `auth.login` with `details`, and answers the
/// signed-in user with the session cookie.
pub(crate) async fn open_session(
    state: &AppState,
    headers: &HeaderMap,
    ip: std::net::IpAddr,
    user_id: i64,
    details: serde_json::Value,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let pool = &state.pool;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let mut tx = begin_write(pool).await?;
    if let Some(previous) = session::token_from(headers) {
        session::revoke_token(&mut *tx, &previous, now).await?;
    }
    let new = session::create(&mut *tx, user_id, now, ip, user_agent).await?;
    let entry = Entry::new(now, Action::Login)
        .by(Actor {
            user_id: Some(user_id),
            ip,
        })
        .on("user", user_id)
        .details(details);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    if let Err(e) = session::prune(pool, now).await {
        tracing::warn!(error = %e, "could not delete old sessions");
    }

    let me = users::me(pool, user_id, new.expires_at).await?;
    let cookie = session::set_cookie(&new.token, state.https());
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// Sign out.
///
/// Ends the session on the server (its cookie no longer signs anyone in) and clears the
/// cookie.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    operation_id = "logout",
    responses(
        (status = 204, description = "Signed out; the cookie is cleared",
         headers(("set-cookie" = String, description = "`pingjia_session=; Max-Age=0; ...`"))),
    )
)]
async fn logout(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    session::revoke(&mut *tx, user.session_id, now).await?;
    let entry = Entry::new(now, Action::Logout)
        .by(Actor {
            user_id: Some(user.id),
            ip,
        })
        .on("user", user.id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    let cookie = session::clear_cookie(state.https());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// Who is signed in.
#[utoipa::path(
    get,
    path = "/auth/me",
    tag = "auth",
    operation_id = "me",
    responses((status = 200, description = "The signed-in user", body = Me))
)]
async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>, AppError> {
    Ok(Json(
        users::me(&state.pool, user.id, user.session_expires_at).await?,
    ))
}

/// Change one's own password.
///
/// The current password must be right (otherwise a 422 field error on `current_password`);
/// the new one must be at least 10 characters, not contain the user's login and not be easy
/// to guess (field errors on `new_password`: `too_short`, `too_long`, `contains_login`,
/// `too_common`, `unchanged`). Every other session of the user ends; this one stays.
#[utoipa::path(
    post,
    path = "/auth/password",
    tag = "auth",
    operation_id = "change_password",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 422, description = "The current password is wrong or the new one is refused"),
    )
)]
async fn change_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: CurrentUser,
    Json(request): Json<ChangePasswordRequest>,
) -> Result<StatusCode, AppError> {
    let now = state.clock.now();
    let pool = &state.pool;
    let identity = identity(pool, user.id).await?;
    if !password::verify(
        request.current_password.clone(),
        identity.password_hash.clone(),
    )
    .await?
    {
        return Err(AppError::field(
            "current_password",
            "wrong",
            "the current password is wrong",
        ));
    }
    if request.new_password == request.current_password {
        return Err(AppError::field(
            "new_password",
            "unchanged",
            "choose a password different from the current one",
        ));
    }
    identity
        .check_new_password("new_password", &request.new_password)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let hash = password::hash(request.new_password).await?;

    let mut tx = begin_write(pool).await?;
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    let ended = session::revoke_all(&mut *tx, user.id, Some(user.session_id), now).await?;
    let entry = Entry::new(now, Action::PasswordChanged)
        .by(Actor {
            user_id: Some(user.id),
            ip,
        })
        .on("user", user.id)
        .details(json!({ "sessions_ended": ended }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a user's password is checked against.
pub struct Identity {
    pub display_name: String,
    pub password_hash: Option<String>,
    /// Employee, customer and member numbers and phone: a password must not contain them.
    pub identifiers: Vec<String>,
}

impl Identity {
    /// The rules for a new password of this user ([`password::check_new`]).
    pub fn check_new_password(&self, field: &str, new: &str) -> Result<(), FieldError> {
        let identifiers: Vec<&str> = self.identifiers.iter().map(String::as_str).collect();
        password::check_new(field, new, &identifiers, &self.display_name)
    }
}

/// A user's [`Identity`]; 404 when there is no such user.
pub async fn identity(pool: &Pool, user_id: i64) -> Result<Identity, AppError> {
    let row = users::identity_row(pool, user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The user {user_id}")))?;
    Ok(Identity {
        display_name: row.display_name,
        password_hash: row.password_hash,
        identifiers: [row.employee_no, row.customer_no, row.member_no, row.phone]
            .into_iter()
            .flatten()
            .collect(),
    })
}
