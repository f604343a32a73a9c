//! `/report-subscriptions`: who gets which report by mail.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pingjia_domain::FieldError;
use pingjia_domain::reports::{Subscription, SubscriptionInput, check_address};
use pingjia_domain::wire::Role;
use serde_json::json;

use crate::db::begin_write;
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::idempotency::{HashedJson, IdempotencyKey, idempotent};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::delivery;
use crate::time::org_day;

use super::scope::scope_team;
use crate::db::Conn;
use crate::db::reports::{self, SubscriptionValues, subscription};

// ---------------------------------------------------------------------------------------------
// Subscriptions

/// The subscriptions.
///
/// Admins see all; a team lead their team's.
#[utoipa::path(
    get,
    path = "/report-subscriptions",
    tag = "reports",
    operation_id = "list_subscriptions",
    responses(
        (status = 200, description = "The subscriptions", body = Vec<Subscription>),
    )
)]
pub(super) async fn list_subscriptions(
    State(state): State<AppState>,
    caller: CurrentUser,
) -> Result<Json<Vec<Subscription>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    let team = if caller.role == Role::Admin {
        None
    } else {
        scope_team(&mut conn, &caller, None).await?
    };
    Ok(Json(reports::subscriptions(&mut conn, team).await?))
}

/// Checks a subscription's input for the caller: its recipients, and a scope they may
/// subscribe to (a lead: their own team).
async fn check_subscription(
    conn: &mut Conn,
    caller: &CurrentUser,
    input: &SubscriptionInput,
) -> Result<Vec<String>, AppError> {
    let mut errors = match input.check() {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    };
    for (i, address) in input.recipients.iter().enumerate() {
        if !address.trim().is_empty()
            && check_address(address).is_ok()
            && address.trim().parse::<lettre::Address>().is_err()
        {
            errors.push(FieldError::new(
                format!("recipients[{i}]"),
                "invalid",
                format!("{:?} is not an e-mail address", address.trim()),
            ));
        }
    }
    if caller.role == Role::TeamLead && input.team_id.is_none() {
        return Err(AppError::Forbidden(
            "Team leads subscribe to their own team's reports".to_owned(),
        ));
    }
    scope_team(conn, caller, input.team_id).await?;
    if errors.is_empty() {
        input.check().map_err(AppError::Validation)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Subscribe addresses to a report.
///
/// The weekly or monthly report of the company or a team (a lead: their own team), mailed to
/// each address: at once for the period closed last, then as each period closes. With an
/// `Idempotency-Key`: a retry of the same request answers the same subscription. Audited.
#[utoipa::path(
    post,
    path = "/report-subscriptions",
    tag = "reports",
    operation_id = "create_subscription",
    request_body = SubscriptionInput,
    params(("Idempotency-Key" = String, Header, description = "A key unique to this subscription, the same on retries")),
    responses(
        (status = 201, description = "Subscribed", body = Subscription),
        (status = 400, description = "No `Idempotency-Key`"),
        (status = 403, description = "Another team"),
        (status = 422, description = "A bad address, none, too many, or an unknown team"),
    )
)]
pub(super) async fn create_subscription(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<SubscriptionInput>,
) -> Result<Response, AppError> {
    idempotent(
        &state,
        caller.id,
        &key,
        SUBSCRIPTION_ROUTE,
        &body.hash,
        async |idempotency| {
            let input = body.value;
            let now = state.clock.now();
            let mut tx = begin_write(&state.pool).await?;
            let recipients = check_subscription(&mut tx, &caller, &input).await?;
            let first_key = input.kind.key(input.kind.last_closed(org_day(now)));
            let values = SubscriptionValues {
                input: &input,
                recipients: &recipients,
                first_key: &first_key,
            };
            let id = reports::insert_subscription(&mut tx, &values, caller.id, now).await?;
            let entry = Entry::new(now, Action::ReportSubscriptionCreated)
                .by(Actor::user(&caller, ip))
                .on("report_subscription", id)
                .details(json!({
                    "kind": input.kind.as_str(),
                    "team": input.team_id,
                    "recipients": recipients,
                    "active": input.active,
                }));
            audit::record(&mut *tx, &entry).await?;
            let created = subscription(&mut tx, id)
                .await?
                .ok_or_else(|| AppError::Internal(format!("subscription {id} vanished")))?;
            let body = serde_json::to_string(&created)
                .map_err(|e| AppError::Internal(format!("subscription {id}: {e}")))?;
            let response = idempotency
                .finish(tx, StatusCode::CREATED, None, body, now)
                .await?;
            state.mailer.wake();
            Ok(response)
        },
    )
    .await
}

const SUBSCRIPTION_ROUTE: &str = "POST /api/v1/report-subscriptions";

/// The subscription if the caller may change it.
async fn own_subscription(
    conn: &mut Conn,
    caller: &CurrentUser,
    id: i64,
) -> Result<Subscription, AppError> {
    let found = subscription(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The subscription {id}")))?;
    if caller.role != Role::Admin {
        if found.team_id.is_none() {
            return Err(AppError::Forbidden(
                "The company's reports are for admins".to_owned(),
            ));
        }
        scope_team(conn, caller, found.team_id).await?;
    }
    Ok(found)
}

/// Change a subscription.
///
/// Its kind, scope, recipients, or pause it (`active: false`). Changing the kind starts it
/// again from the period closed last. Audited.
#[utoipa::path(
    put,
    path = "/report-subscriptions/{id}",
    tag = "reports",
    operation_id = "update_subscription",
    params(("id" = i64, Path, description = "The subscription's id")),
    request_body = SubscriptionInput,
    responses(
        (status = 200, description = "Changed", body = Subscription),
        (status = 403, description = "Another team's"),
        (status = 404, description = "No such subscription"),
        (status = 422, description = "A bad address, none, too many, or an unknown team"),
    )
)]
pub(super) async fn update_subscription(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<SubscriptionInput>,
) -> Result<Json<Subscription>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = own_subscription(&mut tx, &caller, id).await?;
    let recipients = check_subscription(&mut tx, &caller, &input).await?;
    let first_key = if before.kind == input.kind && before.team_id == input.team_id {
        before.first_key.clone()
    } else {
        input.kind.key(input.kind.last_closed(org_day(now)))
    };
    let values = SubscriptionValues {
        input: &input,
        recipients: &recipients,
        first_key: &first_key,
    };
    reports::update_subscription(&mut tx, id, &values).await?;
    let entry = Entry::new(now, Action::ReportSubscriptionUpdated)
        .by(Actor::user(&caller, ip))
        .on("report_subscription", id)
        .details(json!({
            "before": {
                "kind": before.kind.as_str(), "team": before.team_id,
                "recipients": before.recipients, "active": before.active,
            },
            "after": {
                "kind": input.kind.as_str(), "team": input.team_id,
                "recipients": recipients, "active": input.active,
            },
        }));
    audit::record(&mut *tx, &entry).await?;
    let changed = subscription(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("subscription {id} vanished")))?;
    tx.commit().await?;
    state.mailer.wake();
    Ok(Json(changed))
}

/// Remove a subscription.
///
/// No more reports are mailed to it; its mails already sent stay in the list. Removing it
/// again answers 204 as well. Audited.
#[utoipa::path(
    delete,
    path = "/report-subscriptions/{id}",
    tag = "reports",
    operation_id = "remove_subscription",
    params(("id" = i64, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Another team's"),
        (status = 404, description = "No such subscription"),
    )
)]
pub(super) async fn remove_subscription(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    // Removing a removed subscription again (a double click, a retry) is done already.
    if let Some(team) = reports::removed_subscription_team(&mut tx, id).await? {
        if caller.role != Role::Admin {
            scope_team(&mut tx, &caller, team.or(Some(0))).await?;
        }
        return Ok(StatusCode::NO_CONTENT);
    }
    let before = own_subscription(&mut tx, &caller, id).await?;
    reports::remove_subscription(&mut tx, id, now).await?;
    // Its mails still waiting are not sent.
    let waiting = reports::waiting_mails_of(&mut tx, id).await?;
    delivery::cancel(
        &mut tx,
        &waiting,
        "订阅已删除 / the subscription was removed",
    )
    .await?;
    let entry = Entry::new(now, Action::ReportSubscriptionRemoved)
        .by(Actor::user(&caller, ip))
        .on("report_subscription", id)
        .details(json!({
            "kind": before.kind.as_str(), "team": before.team_id,
            "recipients": before.recipients,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
