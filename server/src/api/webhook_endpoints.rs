//! `/webhook-endpoints` (admins, issue 21): the endpoints events are sent to (signed webhooks
//! and WeCom, DingTalk and Feishu group robots), each one's delivery log, a test event, a new
//! secret. A signed webhook's secret is answered once, when it is made; a robot's never.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::FieldError;
use pingjia_domain::delivery::{DeliveryState, Purpose};
use pingjia_domain::events::{
    EndpointDelivery, EndpointDeliveryPage, EndpointInput, EndpointKind, EndpointPage,
    EndpointSaved,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::endpoints::{self, EndpointRow};
use crate::error::{AppError, Coded};
use crate::http::authz::{ADMIN, CurrentUser, Rule, delete, get, post, put};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};
use crate::services::delivery::{self, Outgoing, webhook::new_secret};
use crate::services::events;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(get_endpoint, update_endpoint, delete_endpoint))
        .routes(routes!(rotate_secret))
        .routes(routes!(test_endpoint))
        .routes(routes!(endpoint_deliveries))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/webhook-endpoints", ADMIN),
    post("/api/v1/webhook-endpoints", ADMIN),
    get("/api/v1/webhook-endpoints/{id}", ADMIN),
    put("/api/v1/webhook-endpoints/{id}", ADMIN),
    delete("/api/v1/webhook-endpoints/{id}", ADMIN),
    post("/api/v1/webhook-endpoints/{id}/secret", ADMIN),
    post("/api/v1/webhook-endpoints/{id}/test", ADMIN),
    get("/api/v1/webhook-endpoints/{id}/deliveries", ADMIN),
];

const DEFAULT_PER_PAGE: u32 = 50;
const MAX_PER_PAGE: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    per_page: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    status: Option<DeliveryState>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    per_page: Option<u32>,
}

fn not_found(id: i64) -> AppError {
    AppError::NotFound(format!("The endpoint {id}"))
}

/// A 422 naming each team or service type of the filters that does not exist.
async fn check_filters(conn: &mut crate::db::Conn, input: &EndpointInput) -> Result<(), AppError> {
    let (teams, types) =
        endpoints::unknown_filters(conn, &input.team_ids, &input.service_types).await?;
    let mut errors = Vec::new();
    for (i, team) in input.team_ids.iter().enumerate() {
        if teams.contains(team) {
            errors.push(FieldError::new(
                format!("team_ids[{i}]"),
                "unknown",
                "no such team",
            ));
        }
    }
    for (i, code) in input.service_types.iter().enumerate() {
        if types.contains(code) {
            errors.push(FieldError::new(
                format!("service_types[{i}]"),
                "unknown",
                "no such service type",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

async fn found(conn: &mut crate::db::Conn, id: i64) -> Result<EndpointRow, AppError> {
    endpoints::get(conn, id).await?.ok_or_else(|| not_found(id))
}

/// The endpoints, a page at a time.
///
/// By name: kind, URL, the events sent, the filters, whether enabled (and why not), whether a
/// secret is stored (never the secret), and how many deliveries wait or failed.
#[utoipa::path(
    get,
    path = "/webhook-endpoints",
    tag = "webhooks",
    operation_id = "list_webhook_endpoints",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of the endpoints", body = EndpointPage),
        (status = 422, description = "The paging is invalid"),
    )
)]
async fn list_endpoints(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<EndpointPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    check_paging(page, per_page, MAX_PER_PAGE, None, None)?;
    let mut conn = state.pool.acquire().await?;
    let (rows, total) = endpoints::page(&mut conn, page, per_page).await?;
    Ok(Json(EndpointPage {
        items: rows
            .iter()
            .map(EndpointRow::to_wire)
            .collect::<Result<_, _>>()?,
        total,
        page,
        per_page,
    }))
}

/// Register an endpoint.
///
/// A signed webhook gets a secret (`whsec_…`), answered this once (`secret`). A DingTalk or
/// Feishu robot takes its group's signing secret in `secret`, if the group set one. Events that
/// happen from now on are sent to it. Audited (without the secret).
#[utoipa::path(
    post,
    path = "/webhook-endpoints",
    tag = "webhooks",
    operation_id = "create_webhook_endpoint",
    request_body = EndpointInput,
    responses(
        (status = 201, description = "Registered; `secret` for a signed webhook", body = EndpointSaved),
        (status = 422, description = "A field is invalid"),
    )
)]
async fn create_endpoint(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(input): Json<EndpointInput>,
) -> Result<(StatusCode, Json<EndpointSaved>), AppError> {
    let input = input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let made = input.kind.makes_secret().then(new_secret);
    let secret = match &made {
        Some(made) => Some(made.clone()),
        None => input.secret.clone().filter(|s| !s.is_empty()),
    };
    let mut tx = begin_write(&state.pool).await?;
    check_filters(&mut tx, &input).await?;
    let id = endpoints::insert(&mut tx, &input, secret.as_deref(), now).await?;
    let entry = Entry::new(now, Action::WebhookEndpointCreated)
        .by(Actor::user(&caller, ip))
        .on("webhook_endpoint", id)
        .details(json!({
            "name": input.name, "kind": input.kind.as_str(), "url": input.url,
            "events": input.events,
        }));
    audit::record(&mut *tx, &entry).await?;
    let endpoint = found(&mut tx, id).await?.to_wire()?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(EndpointSaved {
            endpoint,
            secret: made,
        }),
    ))
}

/// An endpoint.
#[utoipa::path(
    get,
    path = "/webhook-endpoints/{id}",
    tag = "webhooks",
    operation_id = "get_webhook_endpoint",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The endpoint", body = pingjia_domain::events::Endpoint),
        (status = 404, description = "No such endpoint"),
    )
)]
async fn get_endpoint(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<pingjia_domain::events::Endpoint>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(found(&mut conn, id).await?.to_wire()?))
}

/// Change an endpoint.
///
/// Every field as on registering. Leaving `secret` out keeps a robot's stored secret, an empty
/// one removes it (a signed webhook's secret changes only with `POST …/secret`). Enabling a
/// disabled endpoint sends the events that waited for it, in order. Audited.
#[utoipa::path(
    put,
    path = "/webhook-endpoints/{id}",
    tag = "webhooks",
    operation_id = "update_webhook_endpoint",
    params(("id" = i64, Path, description = "The endpoint's id")),
    request_body = EndpointInput,
    responses(
        (status = 200, description = "Saved", body = EndpointSaved),
        (status = 404, description = "No such endpoint"),
        (status = 409, description = "A signed webhook cannot become a robot or back (`endpoint_kind_fixed`)"),
        (status = 422, description = "A field is invalid"),
    )
)]
async fn update_endpoint(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(input): Json<EndpointInput>,
) -> Result<Json<EndpointSaved>, AppError> {
    let input = input.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = found(&mut tx, id).await?;
    check_filters(&mut tx, &input).await?;
    let kind = before.kind()?;
    if kind.makes_secret() != input.kind.makes_secret() {
        return Err(Coded::conflict(
            "endpoint_kind_fixed",
            "A signed webhook cannot become a chat robot or back: register a new endpoint",
        )
        .into());
    }
    let secret = match (input.kind, &input.secret) {
        (EndpointKind::Webhook, _) | (_, None) => None,
        (_, Some(secret)) => Some(Some(secret.as_str()).filter(|s| !s.is_empty())),
    };
    endpoints::update(&mut tx, id, &input, secret, now).await?;
    let entry = Entry::new(now, Action::WebhookEndpointChanged)
        .by(Actor::user(&caller, ip))
        .on("webhook_endpoint", id)
        .details(json!({
            "before": { "name": before.name, "url": before.url, "enabled": before.enabled },
            "after": { "name": input.name, "url": input.url, "enabled": input.enabled,
                       "events": input.events },
            "secret_changed": secret.is_some(),
        }));
    audit::record(&mut *tx, &entry).await?;
    let endpoint = found(&mut tx, id).await?.to_wire()?;
    tx.commit().await?;
    state.outbox.wake();
    Ok(Json(EndpointSaved {
        endpoint,
        secret: None,
    }))
}

/// Delete an endpoint.
///
/// Nothing more is sent to it; its waiting deliveries are given up. Its log stays in the
/// delivery log. Audited.
#[utoipa::path(
    delete,
    path = "/webhook-endpoints/{id}",
    tag = "webhooks",
    operation_id = "delete_webhook_endpoint",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such endpoint"),
    )
)]
async fn delete_endpoint(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = found(&mut tx, id).await?;
    endpoints::delete(&mut tx, id, "端点已删除 / the endpoint was deleted", now).await?;
    let entry = Entry::new(now, Action::WebhookEndpointDeleted)
        .by(Actor::user(&caller, ip))
        .on("webhook_endpoint", id)
        .details(json!({ "name": before.name, "url": before.url }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Make a new signing secret.
///
/// For a signed webhook: the old secret stops working at once; the answer shows the new one
/// this once. Audited (without the secret).
#[utoipa::path(
    post,
    path = "/webhook-endpoints/{id}/secret",
    tag = "webhooks",
    operation_id = "rotate_webhook_endpoint_secret",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The endpoint and its new secret", body = EndpointSaved),
        (status = 404, description = "No such endpoint"),
        (status = 409, description = "A robot's secret is its group's (`endpoint_secret_not_ours`)"),
    )
)]
async fn rotate_secret(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<EndpointSaved>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let before = found(&mut tx, id).await?;
    if !before.kind()?.makes_secret() {
        return Err(Coded::conflict(
            "endpoint_secret_not_ours",
            "A chat robot's secret is set in its group: change it there and save it here",
        )
        .into());
    }
    let secret = new_secret();
    endpoints::set_secret(&mut tx, id, &secret, now).await?;
    let entry = Entry::new(now, Action::WebhookEndpointSecretRotated)
        .by(Actor::user(&caller, ip))
        .on("webhook_endpoint", id);
    audit::record(&mut *tx, &entry).await?;
    let endpoint = found(&mut tx, id).await?.to_wire()?;
    tx.commit().await?;
    Ok(Json(EndpointSaved {
        endpoint,
        secret: Some(secret),
    }))
}

/// Send a test event.
///
/// A `webhook.test` event (a robot: a short test message) sent to the endpoint at once, signed
/// as every event, as a delivery of its log (purpose `test`, not retried): the delivery,
/// `sent` with the receiver's answer or `failed` with the reason. Audited.
#[utoipa::path(
    post,
    path = "/webhook-endpoints/{id}/test",
    tag = "webhooks",
    operation_id = "test_webhook_endpoint",
    params(("id" = i64, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "Tried: the delivery tells how it went", body = EndpointDelivery),
        (status = 404, description = "No such endpoint"),
    )
)]
async fn test_endpoint(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<EndpointDelivery>, AppError> {
    let now = state.clock.now();
    let delivery_id = {
        let mut tx = begin_write(&state.pool).await?;
        let endpoint = found(&mut tx, id).await?;
        let content = events::test_content(&endpoint, now)?;
        let key = format!(
            "test:endpoint:{id}:{}",
            now.timestamp_nanos_opt().unwrap_or(0)
        );
        let enqueued = delivery::enqueue(
            &mut tx,
            now,
            &Outgoing {
                purpose: Purpose::Test,
                subject: Some(("webhook_endpoint", id)),
                recipient: &endpoint.name,
                content,
                dedupe_key: &key,
                not_before: None,
            },
        )
        .await?;
        crate::db::deliveries::set_endpoint(&mut tx, enqueued.id, id, None).await?;
        tx.commit().await?;
        enqueued.id
    };
    let sent = delivery::send_now(&state, delivery_id, false).await?;
    let entry = Entry::new(now, Action::ChannelTestSent)
        .by(Actor::user(&caller, ip))
        .on("delivery", delivery_id)
        .details(json!({
            "endpoint": id,
            "ok": sent.status == DeliveryState::Sent, "error": sent.last_error,
        }));
    audit::record(&state.pool, &entry).await?;
    let mut conn = state.pool.acquire().await?;
    let (items, _) = endpoints::deliveries(&mut conn, id, None, 1, 1).await?;
    items
        .into_iter()
        .find(|d| d.entry.id == delivery_id)
        .map(Json)
        .ok_or_else(|| AppError::Internal(format!("test delivery {delivery_id} vanished")))
}

/// An endpoint's deliveries, a page at a time.
///
/// Newest first, of one `status` when given: each event's delivery with the body posted (as
/// signed), the receiver's last answer, the attempts, the next one and the last error. A
/// failed one is sent again with `POST /deliveries/{id}/retry` (the same `webhook-id`).
#[utoipa::path(
    get,
    path = "/webhook-endpoints/{id}/deliveries",
    tag = "webhooks",
    operation_id = "webhook_endpoint_deliveries",
    params(("id" = i64, Path, description = "The endpoint's id"), DeliveriesQuery),
    responses(
        (status = 200, description = "One page of the endpoint's deliveries", body = EndpointDeliveryPage),
        (status = 404, description = "No such endpoint"),
        (status = 422, description = "The paging is invalid"),
    )
)]
async fn endpoint_deliveries(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<DeliveriesQuery>,
) -> Result<Json<EndpointDeliveryPage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    check_paging(page, per_page, MAX_PER_PAGE, None, None)?;
    let mut conn = state.pool.acquire().await?;
    found(&mut conn, id).await?;
    let (items, total) = endpoints::deliveries(&mut conn, id, query.status, page, per_page).await?;
    Ok(Json(EndpointDeliveryPage {
        items,
        total,
        page,
        per_page,
    }))
}

/// The events an endpoint may be sent, and the schema of each one's `data`: written into the
/// document's `webhooks` (OpenAPI 3.1), one operation per event, with the Standard Webhooks
/// headers.
const DOCUMENTED: &[(&str, &str, &str)] = &[
    (
        "evaluation.created",
        "EvaluationEvent",
        "A customer rated a service.",
    ),
    (
        "evaluation.low_score",
        "EvaluationEvent",
        "A rating at or below the callback threshold (the organisation's settings).",
    ),
    (
        "evaluation.flagged",
        "EvaluationEvent",
        "The anomaly rules flagged a new evaluation for review.",
    ),
    (
        "evaluation.kept",
        "EvaluationEvent",
        "A reviewer kept a flagged evaluation: it counts as any other.",
    ),
    (
        "evaluation.deleted",
        "EvaluationEvent",
        "A reviewer deleted a flagged evaluation: it no longer counts anywhere.",
    ),
    (
        "callback.opened",
        "CallbackEvent",
        "A callback task was opened for the agent's team lead, due one working day later.",
    ),
    (
        "callback.overdue",
        "CallbackEvent",
        "A callback task passed its due time undone (checked every minute; told once).",
    ),
    (
        "callback.done",
        "CallbackEvent",
        "A team lead recorded the callback.",
    ),
    (
        "appeal.filed",
        "AppealEvent",
        "A customer appealed an evaluation.",
    ),
    (
        "appeal.decided",
        "AppealEvent",
        "An admin approved or rejected an appeal.",
    ),
    (
        "plan.due_soon",
        "PlanEvent",
        "An improvement plan is due within a day and not yet submitted (told once).",
    ),
    (
        "plan.overdue",
        "PlanEvent",
        "An improvement plan passed its due time not submitted (told once).",
    ),
    (
        "plan.sent_back",
        "PlanEvent",
        "A team lead sent an improvement plan back to its agent, with a comment.",
    ),
    (
        "plan.acknowledged",
        "PlanEvent",
        "A team lead acknowledged an improvement plan.",
    ),
    (
        "rectification.assigned",
        "RectificationEvent",
        "A QA inspection found an item wanting and gave its owner a rectification.",
    ),
    (
        "rectification.overdue",
        "RectificationEvent",
        "A rectification passed its deadline (the day after it, China time) not closed.",
    ),
    (
        "rectification.rechecked",
        "RectificationEvent",
        "An inspector re-checked a reported rectification (`result`, `check_note`).",
    ),
    (
        "coaching.recorded",
        "CoachingEvent",
        "A team lead (or an admin) recorded a coaching session with an agent.",
    ),
    (
        "coaching.acknowledged",
        "CoachingEvent",
        "The agent acknowledged a coaching session (`acknowledged_at`).",
    ),
    (
        "dispute.filed",
        "DisputeEvent",
        "An agent, or their team lead, disputed items of a QA inspection.",
    ),
    (
        "dispute.decided",
        "DisputeEvent",
        "Another QA inspector or an admin upheld or changed each disputed item \
         (`items[].outcome`, `qa_score_after`).",
    ),
    (
        "report.ready",
        "ReportEvent",
        "A weekly or monthly report was built and kept.",
    ),
    (
        pingjia_domain::events::TEST_EVENT,
        "TestEvent",
        "Sent by an admin's \"send test event\" (`POST /webhook-endpoints/{id}/test`).",
    ),
];

/// Adds `webhooks` to `openapi` (see [`DOCUMENTED`]).
pub(super) fn describe_events(openapi: &mut utoipa::openapi::OpenApi) {
    let header = |name: &str, description: &str| {
        json!({"name": name, "in": "header", "required": true, "description": description,
               "schema": {"type": "string"}})
    };
    let mut webhooks = serde_json::Map::new();
    for (event, schema, what) in DOCUMENTED {
        let operation = json!({
            "post": {
                "operationId": format!("event_{}", event.replace('.', "_")),
                "tags": ["webhooks"],
                "summary": what,
                "description": "Posted to each enabled signed-webhook endpoint that wants this \
                    event (a chat robot gets a message for its chat instead), at least once and \
                    in order per endpoint; retried for more than a day (5 s, 5 min, 30 min, 2 h, \
                    5 h, 10 h, 10 h) until the receiver answers 2xx, then the endpoint is \
                    disabled. Verify `webhook-signature` (`v1,` + base64 HMAC-SHA256 of \
                    `{webhook-id}.{webhook-timestamp}.{body}` keyed by the base64 part of the \
                    `whsec_` secret) and drop a repeat by `webhook-id`.",
                "parameters": [
                    header("webhook-id", "The message's id: the same on every attempt"),
                    header("webhook-timestamp", "When this attempt was signed (Unix seconds)"),
                    header("webhook-signature", "`v1,<base64 signature>`"),
                ],
                "requestBody": {
                    "required": true,
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["type", "timestamp", "data"],
                        "properties": {
                            "type": {"type": "string", "const": event},
                            "timestamp": {"type": "string", "format": "date-time",
                                          "description": "When it happened"},
                            "data": {"$ref": format!("#/components/schemas/{schema}")},
                        },
                    }}},
                },
                "responses": {"2XX": {"description": "Received"}},
            }
        });
        webhooks.insert((*event).to_owned(), operation);
    }
    openapi
        .extensions
        .get_or_insert_with(Default::default)
        .insert("webhooks".to_owned(), serde_json::Value::Object(webhooks));
}
