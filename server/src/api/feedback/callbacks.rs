//! `/callbacks`: the team lead's callback tasks and recording one.

use axum::extract::State;
use pingjia_domain::feedback::{CallbackQuery, CallbackRecord, CallbackTask};
use pingjia_domain::wire::Role;
use serde_json::json;

use crate::db::begin_write;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

use crate::db::feedback::{callback_row, callbacks_of, record_call};

/// Callback tasks of low scores.
///
/// A team lead's team's, all for admins; open ones (default) oldest due first, or done ones
/// newest first.
#[utoipa::path(
    get,
    path = "/callbacks",
    tag = "feedback",
    operation_id = "list_callbacks",
    params(CallbackQuery),
    responses((status = 200, description = "The tasks", body = [CallbackTask]))
)]
pub(super) async fn list_callbacks(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<CallbackQuery>,
) -> Result<Json<Vec<CallbackTask>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let open = query.open.unwrap_or(true);
    Ok(Json(
        callbacks_of(&mut conn, caller.team_scope(), open, state.clock.now()).await?,
    ))
}

/// Record the call.
///
/// Its outcome (resolved, appeased, escalated) and notes, by the team's lead or an admin;
/// once. Audited.
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
        (status = 422, description = "No notes"),
    )
)]
pub(super) async fn record_callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<CallbackRecord>,
) -> Result<Json<CallbackTask>, AppError> {
    let notes = body.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
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
    record_call(&mut tx, id, body.outcome, &notes, caller.id, now).await?;
    let entry = Entry::new(now, Action::CallbackRecorded)
        .by(Actor::user(&caller, ip))
        .on("callback", id.to_string())
        .details(json!({ "outcome": body.outcome.as_str(), "evaluation": row.number }));
    audit::record(&mut *tx, &entry).await?;
    crate::db::events::record(
        &mut tx,
        pingjia_domain::events::EventType::CallbackDone,
        ("callback", id),
        &format!("callback.done:{id}"),
        now,
    )
    .await?;
    let row = callback_row(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("callback task {id} not read back")))?;
    tx.commit().await?;
    state.events.wake();
    Ok(Json(row.into_task(now)?))
}
