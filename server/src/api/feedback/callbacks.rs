//! `/callbacks`: the team lead's callback tasks and recording one.

use axum::extract::State;
use pingjia_domain::feedback::{
    CallbackPage, CallbackQuery, CallbackRecord, CallbackTask, CheckedCall,
    DEFAULT_CALLBACKS_PER_PAGE, MAX_CALLBACKS_PER_PAGE,
};
use pingjia_domain::wire::Role;
use serde_json::json;

use crate::db::begin_write;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

use crate::db::feedback::{attempts_of, callback_page, callback_row, failed_calls, record_call};
use crate::http::paging::check_paging;

/// Callback tasks of low scores.
///
/// A team lead's team's, all for admins, a page at a time (10 by default): open ones
/// (default) due soonest first, or done ones latest first; with the count of open, overdue
/// and done ones.
#[utoipa::path(
    get,
    path = "/callbacks",
    tag = "feedback",
    operation_id = "list_callbacks",
    params(CallbackQuery),
    responses(
        (status = 200, description = "A page of the tasks", body = CallbackPage),
        (status = 422, description = "A page or page size out of range"),
    )
)]
pub(super) async fn list_callbacks(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<CallbackQuery>,
) -> Result<Json<CallbackPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_CALLBACKS_PER_PAGE);
    check_paging(page, per_page, MAX_CALLBACKS_PER_PAGE, None, None)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        callback_page(
            &mut conn,
            caller.team_scope(),
            query.open.unwrap_or(true),
            query
                .number
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty()),
            page,
            per_page,
            state.clock.now(),
            settings.callback_max_attempts,
        )
        .await?,
    ))
}

/// Record a call.
///
/// By the team's lead or an admin. A call that reached the customer ends the task with its
/// outcome (resolved, appeased, escalated) and notes. A failed one (no answer, wrong number)
/// is kept with optional notes and the time of the next attempt, when the task is due again;
/// the last one the settings allow (`callback_max_attempts`) closes the task as unreachable.
/// Audited.
#[utoipa::path(
    post,
    path = "/callbacks/{id}",
    tag = "feedback",
    operation_id = "record_callback",
    params(("id" = i64, Path, description = "The task's id")),
    request_body = CallbackRecord,
    responses(
        (status = 200, description = "Recorded", body = CallbackTask),
        (status = 403, description = "Another team's task"),
        (status = 404, description = "No such task"),
        (status = 409, description = "Recorded already (`callback_done`)"),
        (status = 422, description = "No notes, or no next attempt (or one not within 14 days)"),
    )
)]
pub(super) async fn record_callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<CallbackRecord>,
) -> Result<Json<CallbackTask>, AppError> {
    let now = state.clock.now();
    let settings = state.settings.get(&state.pool).await?;
    let mut tx = begin_write(&state.pool).await?;
    let row = callback_row(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The callback task {id}")))?;
    if caller.role != Role::Admin && (row.team_id.is_none() || row.team_id != caller.team_id) {
        return Err(AppError::Forbidden(
            "This callback belongs to another team".to_owned(),
        ));
    }
    if row.done_at.is_some() {
        return Err(Coded::conflict("callback_done", "This call has been recorded already").into());
    }
    let failed = failed_calls(&mut tx, id).await?;
    let call = body
        .check(failed, settings.callback_max_attempts, now)
        .map_err(AppError::Validation)?;
    record_call(&mut tx, id, &call, caller.id, now).await?;
    let closes = !matches!(
        call,
        CheckedCall::Failed {
            next_attempt_at: Some(_),
            ..
        }
    );
    let entry = Entry::new(now, Action::CallbackRecorded)
        .by(Actor::user(&caller, ip))
        .on("callback", id.to_string())
        .details(json!({
            "outcome": body.outcome.as_str(),
            "attempt": failed + 1,
            "closed": closes,
            "evaluation": row.number,
        }));
    audit::record(&mut *tx, &entry).await?;
    if closes {
        crate::db::events::record(
            &mut tx,
            pingjia_domain::events::EventType::CallbackDone,
            ("callback", id),
            &format!("callback.done:{id}"),
            now,
        )
        .await?;
    }
    let row = callback_row(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("callback task {id} not read back")))?;
    let attempts = attempts_of(&mut tx, &[id]).await?.remove(&id);
    tx.commit().await?;
    state.events.wake();
    Ok(Json(row.into_task(
        now,
        attempts.unwrap_or_default(),
        settings.callback_max_attempts,
    )?))
}
