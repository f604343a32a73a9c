//! `/settings/smtp`: the admin's mail server, read, set and tried.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::reports::{
    SmtpSettings, SmtpSettingsInput, TestMail, TestMailSent, check_address,
};
use serde_json::json;

use crate::db::begin_write;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::delivery::email::smtp_row;
use crate::services::reports::{self as engine};

use crate::db::reports::{set_smtp, smtp_password, smtp_settings};

// ---------------------------------------------------------------------------------------------
// The mail server

/// The mail server.
///
/// Host, port, security, user, sender and the address links in mails start with; whether a
/// password is set, never the password. Empty `host` until an admin sets it up.
#[utoipa::path(
    get,
    path = "/settings/smtp",
    tag = "reports",
    operation_id = "get_smtp_settings",
    responses((status = 200, description = "The mail server", body = SmtpSettings))
)]
pub(super) async fn get_smtp(
    State(state): State<AppState>,
) -> Result<Json<SmtpSettings>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(smtp_settings(&mut conn).await?))
}

/// Set the mail server.
///
/// `password` absent keeps the stored one, empty removes it. Mails waiting for a mail server
/// are sent. Audited (without the password).
#[utoipa::path(
    put,
    path = "/settings/smtp",
    tag = "reports",
    operation_id = "put_smtp_settings",
    request_body = SmtpSettingsInput,
    responses(
        (status = 200, description = "Saved", body = SmtpSettings),
        (status = 422, description = "A field is invalid"),
    )
)]
pub(super) async fn put_smtp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<SmtpSettingsInput>,
) -> Result<Json<SmtpSettings>, AppError> {
    let input = input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = smtp_settings(&mut tx).await?;
    let old_password = smtp_password(&mut tx).await?;
    let password = match &input.password {
        None => old_password.clone(),
        Some(p) if p.is_empty() => None,
        Some(p) => Some(p.clone()),
    };
    set_smtp(&mut tx, &input, password.as_deref(), caller.id, now).await?;
    let entry = Entry::new(now, Action::SmtpSettingsChanged)
        .by(Actor::user(&caller, ip))
        .on("smtp_settings", 1)
        .details(json!({
            "before": {
                "host": before.host, "port": before.port,
                "security": before.security.as_str(), "username": before.username,
                "from_address": before.from_address, "link_base": before.link_base,
            },
            "after": {
                "host": input.host, "port": input.port,
                "security": input.security.as_str(), "username": input.username,
                "from_address": input.from_address, "link_base": input.link_base,
            },
            "password_changed": password != old_password,
        }));
    audit::record(&mut *tx, &entry).await?;
    let saved = smtp_settings(&mut tx).await?;
    tx.commit().await?;
    state.mailer.wake();
    state.outbox.wake();
    Ok(Json(saved))
}

/// Send a test mail.
///
/// Through the saved mail server, at once: the server's reply, or 502 with its error.
/// Audited.
#[utoipa::path(
    post,
    path = "/settings/smtp/test",
    tag = "reports",
    operation_id = "test_smtp_settings",
    request_body = TestMail,
    responses(
        (status = 200, description = "The mail server accepted it", body = TestMailSent),
        (status = 409, description = "No mail server is set up (`smtp_not_configured`)"),
        (status = 422, description = "Not an e-mail address"),
        (status = 502, description = "The mail server refused or could not be reached (`smtp_failed`)"),
    )
)]
pub(super) async fn test_smtp(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(body): Json<TestMail>,
) -> Result<Json<TestMailSent>, AppError> {
    let to = check_address(&body.to)
        .ok()
        .filter(|a| a.parse::<lettre::Address>().is_ok())
        .ok_or_else(|| AppError::field("to", "invalid", "an e-mail address"))?;
    let smtp = {
        let mut conn = state.pool.acquire().await?;
        smtp_row(&mut conn).await?
    }
    .ok_or_else(|| {
        AppError::from(Coded::conflict(
            "smtp_not_configured",
            "Set up the mail server first",
        ))
    })?;
    let base = if smtp.link_base.is_empty() {
        state.mailer.default_link_base()
    } else {
        smtp.link_base.clone()
    };
    let result = engine::send(&smtp, &to, &engine::test_mail(&base)).await;
    let now = state.clock.now();
    let entry = Entry::new(now, Action::SmtpTestMailSent)
        .by(Actor::user(&caller, ip))
        .on("smtp_settings", 1)
        .details(json!({
            "to": to,
            "ok": result.is_ok(),
            "reply": result.as_ref().unwrap_or_else(|e| e),
        }));
    audit::record(&state.pool, &entry).await?;
    match result {
        Ok(reply) => Ok(Json(TestMailSent { to, reply })),
        Err(error) => Err(Coded::new(StatusCode::BAD_GATEWAY, "smtp_failed", error).into()),
    }
}
