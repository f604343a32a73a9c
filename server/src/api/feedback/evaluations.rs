//! `/me/feedback/...`: the agent's evaluations, unread alerts and their live stream.

use std::convert::Infallible;
use std::time::Duration as StdDuration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use pingjia_domain::feedback::{
    DEFAULT_PER_PAGE, FeedbackAlert, FeedbackPage, FeedbackQuery, MAX_PER_PAGE,
};

use crate::db::Conn;
use crate::db::analytics::{count, dimension_names};
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{Json, Path, Query};
use crate::http::state::AppState;
use crate::services::alerts::NewEvaluation;

use crate::db::feedback::{
    ItemRow, agent_items, load_item, mark_agent_read, mark_number_read, unread_count,
};

/// The agent's own evaluation `number`: 404 when there is none (or it was deleted), 403 when
/// it is another agent's.
pub(super) async fn own_item(
    conn: &mut Conn,
    caller: &CurrentUser,
    number: &str,
) -> Result<ItemRow, AppError> {
    let row = load_item(conn, number)
        .await?
        .filter(|r| r.status != "deleted")
        .ok_or_else(|| AppError::NotFound(format!("The evaluation {number}")))?;
    if row.agent_id != caller.id {
        return Err(AppError::Forbidden(
            "This evaluation is another agent's".to_owned(),
        ));
    }
    Ok(row)
}

/// The agent's evaluations.
///
/// Newest first, a page at a time, filtered by period (organisation days), service type,
/// score band, "has a suggestion" and "unread". The customer's number is masked.
/// Evaluations an admin deleted are not shown.
#[utoipa::path(
    get,
    path = "/me/feedback",
    tag = "feedback",
    operation_id = "my_feedback",
    params(FeedbackQuery),
    responses(
        (status = 200, description = "A page", body = FeedbackPage),
        (status = 422, description = "The filter or paging is invalid"),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<FeedbackQuery>,
) -> Result<Json<FeedbackPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    crate::http::paging::check_paging(page, per_page, MAX_PER_PAGE, query.from, query.to)?;
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let (total, rows) =
        agent_items(&mut conn, caller.id, &query, &settings, page, per_page).await?;
    let names = dimension_names(&mut conn).await?;
    let items = rows
        .into_iter()
        .map(|r| r.into_item(&names))
        .collect::<Result<_, _>>()?;
    Ok(Json(FeedbackPage {
        items,
        total: count(total),
        page,
        per_page,
        unread: unread_count(&mut conn, caller.id).await?,
    }))
}

fn alert(unread: u64) -> FeedbackAlert {
    FeedbackAlert {
        number: None,
        overall: None,
        total_score: None,
        unread,
    }
}

/// How many of the agent's evaluations are unread (the polling fallback of the stream).
#[utoipa::path(
    get,
    path = "/me/feedback/unread",
    tag = "feedback",
    operation_id = "my_feedback_unread",
    responses((status = 200, description = "The unread count", body = FeedbackAlert))
)]
pub(super) async fn unread(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<FeedbackAlert>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(alert(unread_count(&mut conn, caller.id).await?)))
}

/// Mark one evaluation read.
///
/// Answers the unread count after it. Reading an evaluation again changes nothing.
#[utoipa::path(
    post,
    path = "/me/feedback/{number}/read",
    tag = "feedback",
    operation_id = "mark_feedback_read",
    params(("number" = String, Path, description = "The evaluation's number")),
    responses(
        (status = 200, description = "Read", body = FeedbackAlert),
        (status = 403, description = "Another agent's evaluation"),
        (status = 404, description = "No such evaluation"),
    )
)]
pub(super) async fn mark_read(
    State(state): State<AppState>,
    caller: CurrentUser,
    Path(number): Path<String>,
) -> Result<Json<FeedbackAlert>, AppError> {
    let mut conn = state.pool.acquire().await?;
    own_item(&mut conn, &caller, &number).await?;
    mark_number_read(&mut conn, &number, state.clock.now()).await?;
    Ok(Json(alert(unread_count(&mut conn, caller.id).await?)))
}

/// Mark all the agent's evaluations read.
#[utoipa::path(
    post,
    path = "/me/feedback/read-all",
    tag = "feedback",
    operation_id = "mark_all_feedback_read",
    responses((status = 200, description = "All read", body = FeedbackAlert))
)]
pub(super) async fn mark_all_read(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<FeedbackAlert>, AppError> {
    let mut conn = state.pool.acquire().await?;
    mark_agent_read(&mut conn, caller.id, state.clock.now()).await?;
    Ok(Json(alert(0)))
}

/// New evaluations, live.
///
/// Server-Sent Events: an `evaluation` event (a `FeedbackAlert` with the new evaluation's
/// number and scores and the unread count) for each evaluation of the agent submitted while
/// the stream is open; a comment every 15 s keeps it alive. Browsers reconnect by themselves;
/// the unread count is in `GET /me/feedback/unread` whatever was missed.
#[utoipa::path(
    get,
    path = "/me/feedback/stream",
    tag = "feedback",
    operation_id = "my_feedback_stream",
    responses((status = 200, description = "The event stream", content_type = "text/event-stream"))
)]
pub(super) async fn stream(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.alerts.subscribe();
    let agent = caller.id;
    let events =
        futures_util::stream::unfold((receiver, state), move |(mut receiver, state)| async move {
            loop {
                match receiver.recv().await {
                    Ok(NewEvaluation {
                        agent_id,
                        number,
                        overall,
                        total_score,
                    }) if agent_id == agent => {
                        let unread = match state.pool.acquire().await {
                            Ok(mut conn) => unread_count(&mut conn, agent).await.unwrap_or(0),
                            Err(_) => 0,
                        };
                        let data = FeedbackAlert {
                            number: Some(number),
                            overall: Some(overall),
                            total_score: Some(total_score),
                            unread,
                        };
                        let event = Event::default()
                            .event("evaluation")
                            .json_data(&data)
                            .unwrap_or_else(|_| Event::default().event("evaluation"));
                        return Some((Ok(event), (receiver, state)));
                    }
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        // Missed some: tell the count, the app re-reads its list.
                        let unread = match state.pool.acquire().await {
                            Ok(mut conn) => unread_count(&mut conn, agent).await.unwrap_or(0),
                            Err(_) => 0,
                        };
                        let event = Event::default()
                            .event("evaluation")
                            .json_data(alert(unread))
                            .unwrap_or_else(|_| Event::default().event("evaluation"));
                        return Some((Ok(event), (receiver, state)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    // Fused: polled again after its end, an unfold panics.
    Sse::new(futures_util::StreamExt::fuse(events))
        .keep_alive(KeepAlive::new().interval(StdDuration::from_secs(15)))
}
