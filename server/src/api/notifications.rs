//! `/me/notifications` (every staff role, each their own; issue 21): the notification
//! centre's list with the unread count, mark read, the live feed, and one's on/off per kind.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use pingjia_domain::FieldError;
use pingjia_domain::notifications::{
    MAX_MARK_READ, MarkRead, NotificationAlert, NotificationPage, NotificationSettings, kinds_for,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::notifications as stored;
use crate::error::AppError;
use crate::http::authz::{CurrentUser, Rule, STAFF, get, post, put};
use crate::http::extract::{Json, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_notifications))
        .routes(routes!(read))
        .routes(routes!(notification_stream))
        .routes(routes!(get_settings, put_settings))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/me/notifications", STAFF),
    post("/api/v1/me/notifications/read", STAFF),
    get("/api/v1/me/notifications/stream", STAFF),
    get("/api/v1/me/notification-settings", STAFF),
    put("/api/v1/me/notification-settings", STAFF),
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only the unread ones.
    #[serde(default)]
    unread_only: bool,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// My notifications, a page at a time.
///
/// Newest first (the unread ones only with `unread_only`), with the unread count: what needs
/// me (a low score's callback for a lead, an appeal for an admin, a plan sent back for an
/// agent, a rectification for its owner, …), each with the page of the app to open.
#[utoipa::path(
    get,
    path = "/me/notifications",
    tag = "notifications",
    operation_id = "my_notifications",
    params(ListQuery),
    responses(
        (status = 200, description = "One page and the unread count", body = NotificationPage),
        (status = 422, description = "The paging is invalid"),
    )
)]
async fn my_notifications(
    State(state): State<AppState>,
    caller: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<NotificationPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(20);
    check_paging(page, per_page, 100, None, None)?;
    let mut conn = state.pool.acquire().await?;
    let (items, total) =
        stored::page(&mut conn, caller.id, query.unread_only, page, per_page).await?;
    let unread = stored::unread(&mut conn, caller.id).await?;
    Ok(Json(NotificationPage {
        items,
        total,
        unread,
        page,
        per_page,
    }))
}

/// Mark notifications read.
///
/// The ones listed (ids not mine are ignored), or all of mine with `all`: my unread count
/// afterwards.
#[utoipa::path(
    post,
    path = "/me/notifications/read",
    tag = "notifications",
    operation_id = "read_notifications",
    request_body = MarkRead,
    responses(
        (status = 200, description = "Read: my unread count", body = NotificationAlert),
        (status = 422, description = "Too many ids"),
    )
)]
async fn read(
    State(state): State<AppState>,
    caller: CurrentUser,
    Json(body): Json<MarkRead>,
) -> Result<Json<NotificationAlert>, AppError> {
    if body.ids.len() > MAX_MARK_READ {
        return Err(AppError::Validation(vec![FieldError::new(
            "ids",
            "too_many",
            format!("at most {MAX_MARK_READ} at once"),
        )]));
    }
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    if body.all {
        stored::mark_read(&mut tx, caller.id, None, now).await?;
    } else {
        for id in &body.ids {
            stored::mark_read(&mut tx, caller.id, Some(*id), now).await?;
        }
    }
    let unread = stored::unread(&mut tx, caller.id).await?;
    tx.commit().await?;
    Ok(Json(NotificationAlert {
        notification: None,
        unread,
    }))
}

/// My notifications, live.
///
/// Server-Sent Events: a `notification` event (`NotificationAlert`: the new notification and
/// my unread count) whenever something needs me. A listener that fell behind gets the count
/// without a notification, and re-reads the list.
#[utoipa::path(
    get,
    path = "/me/notifications/stream",
    tag = "notifications",
    operation_id = "my_notification_stream",
    responses((status = 200, description = "The event stream", content_type = "text/event-stream"))
)]
async fn notification_stream(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.notices.subscribe();
    let me = caller.id;
    let events =
        futures_util::stream::unfold((receiver, state), move |(mut receiver, state)| async move {
            use tokio::sync::broadcast::error::RecvError;
            let notification = loop {
                match receiver.recv().await {
                    Ok((user, notification)) if user == me => break Some(notification),
                    Ok(_) => continue,
                    Err(RecvError::Lagged(_)) => break None,
                    Err(RecvError::Closed) => return None,
                }
            };
            let unread = match state.pool.acquire().await {
                Ok(mut conn) => stored::unread(&mut conn, me).await.unwrap_or(0),
                Err(_) => 0,
            };
            let alert = NotificationAlert {
                notification,
                unread,
            };
            let event = Event::default()
                .event("notification")
                .json_data(&alert)
                .unwrap_or_else(|_| Event::default().event("notification"));
            Some((Ok(event), (receiver, state)))
        });
    // Fused: polled again after its end, an unfold panics.
    Sse::new(futures_util::StreamExt::fuse(events)).keep_alive(KeepAlive::default())
}

/// My notification settings.
///
/// Every kind I may be told of (by my role): in the app unless I turned it off, by e-mail if I
/// turned it on; and where my e-mail goes (my address, set by an admin).
#[utoipa::path(
    get,
    path = "/me/notification-settings",
    tag = "notifications",
    operation_id = "my_notification_settings",
    responses((status = 200, description = "My settings", body = NotificationSettings))
)]
async fn get_settings(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<NotificationSettings>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let kinds = stored::settings(&mut conn, caller.id, &kinds_for(caller.role)).await?;
    let email_to = stored::email_to(&mut conn, caller.id).await?;
    Ok(Json(NotificationSettings { kinds, email_to }))
}

/// Set my notification settings.
///
/// Kinds I may not be told of (by my role) are refused; kinds left out keep their setting.
#[utoipa::path(
    put,
    path = "/me/notification-settings",
    tag = "notifications",
    operation_id = "put_my_notification_settings",
    request_body = NotificationSettings,
    responses(
        (status = 200, description = "Saved: my settings", body = NotificationSettings),
        (status = 422, description = "A kind I am never told of"),
    )
)]
async fn put_settings(
    State(state): State<AppState>,
    caller: CurrentUser,
    Json(body): Json<NotificationSettings>,
) -> Result<Json<NotificationSettings>, AppError> {
    let allowed = kinds_for(caller.role);
    let errors: Vec<FieldError> = body
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| !allowed.contains(&k.event_type))
        .map(|(i, _)| {
            FieldError::new(
                format!("kinds[{i}].event_type"),
                "not_for_role",
                "a kind of notification your role is never sent",
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = begin_write(&state.pool).await?;
    stored::set_settings(&mut tx, caller.id, &body.kinds).await?;
    let kinds = stored::settings(&mut tx, caller.id, &allowed).await?;
    let email_to = stored::email_to(&mut tx, caller.id).await?;
    tx.commit().await?;
    Ok(Json(NotificationSettings { kinds, email_to }))
}
