//! `/qa/templates`: the checklist templates, listed, read, created and edited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pingjia_domain::qa::{ChecklistTemplate, NewTemplate};
use serde_json::json;

use crate::db::begin_write;
use crate::db::to_json;
use crate::error::{AppError, Coded};
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::idempotency::{HashedJson, IdempotencyKey, idempotent};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

use crate::db::qa::{load_template, save_template, template_in_calibration, template_rows};

const TEMPLATE_ROUTE: &str = "POST /api/v1/qa/templates";

/// The checklist templates, the seeded ones first.
#[utoipa::path(
    get,
    path = "/qa/templates",
    tag = "qa",
    operation_id = "list_qa_templates",
    responses((status = 200, description = "Every template with its dimensions and items", body = Vec<ChecklistTemplate>))
)]
pub(super) async fn list_templates(
    State(state): State<AppState>,
) -> Result<Json<Vec<ChecklistTemplate>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(template_rows(&mut conn, None).await?))
}

/// One checklist template.
#[utoipa::path(
    get,
    path = "/qa/templates/{id}",
    tag = "qa",
    operation_id = "get_qa_template",
    params(("id" = i64, Path, description = "The template's id")),
    responses(
        (status = 200, description = "The template", body = ChecklistTemplate),
        (status = 404, description = "No such template"),
    )
)]
pub(super) async fn get_template(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<ChecklistTemplate>, AppError> {
    let mut conn = state.pool.acquire().await?;
    load_template(&mut conn, id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("The checklist template {id}")))
}

/// Create a checklist template (with an `Idempotency-Key`).
///
/// 422 with one entry per invalid field (`name_zh`, `dimensions`,
/// `dimensions.{i}.items.{j}.standard_zh`, `dimensions.{i}.levels.{k}.score`…). English names
/// left empty take the Chinese.
#[utoipa::path(
    post,
    path = "/qa/templates",
    tag = "qa",
    operation_id = "create_qa_template",
    params(("Idempotency-Key" = String, Header, description = "8 to 128 visible ASCII characters")),
    request_body = NewTemplate,
    responses(
        (status = 201, description = "Created", body = ChecklistTemplate),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn create_template(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    key: IdempotencyKey,
    body: HashedJson<NewTemplate>,
) -> Result<Response, AppError> {
    idempotent(
        &state,
        caller.id,
        &key,
        TEMPLATE_ROUTE,
        &body.hash,
        async |idempotency| {
            body.value.check().map_err(AppError::Validation)?;
            let template = body.value.normalized();
            let now = state.clock.now();
            let mut tx = begin_write(&state.pool).await?;
            let saved = save_template(&mut tx, None, &template, now).await?;
            let id = saved.id;
            let entry = Entry::new(now, Action::QaTemplateSaved)
                .by(Actor::user(&caller, ip))
                .on("qa_template", id)
                .details(json!({ "name": saved.name_zh, "created": true }));
            audit::record(&mut *tx, &entry).await?;
            let body = to_json("template", &saved)?;
            idempotency
                .finish(tx, StatusCode::CREATED, None, body, now)
                .await
        },
    )
    .await
}

/// Replace a checklist template that no plan and no calibration session uses yet.
///
/// A template a plan uses answers 409 `template_in_use`: its past inspections refer to its
/// items; one a calibration session scores with answers 409 `template_in_calibration`: its
/// answers and agreed answers refer to the items. Create a copy instead.
#[utoipa::path(
    put,
    path = "/qa/templates/{id}",
    tag = "qa",
    operation_id = "update_qa_template",
    params(("id" = i64, Path, description = "The template's id")),
    request_body = NewTemplate,
    responses(
        (status = 200, description = "Saved", body = ChecklistTemplate),
        (status = 404, description = "No such template"),
        (status = 409, description = "`template_in_use`, `template_in_calibration`"),
        (status = 422, description = "Invalid fields"),
    )
)]
pub(super) async fn update_template(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<NewTemplate>,
) -> Result<Json<ChecklistTemplate>, AppError> {
    body.check().map_err(AppError::Validation)?;
    let template = body.normalized();
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let existing = load_template(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The checklist template {id}")))?;
    if existing.in_use {
        return Err(Coded::conflict(
            "template_in_use",
            "A plan uses this template and its inspections refer to its items; copy it into a \
             new template to change it",
        )
        .into());
    }
    if template_in_calibration(&mut tx, id).await? {
        return Err(Coded::conflict(
            "template_in_calibration",
            "A calibration session scores with this template and its answers refer to its \
             items; copy it into a new template to change it",
        )
        .into());
    }
    let saved = save_template(&mut tx, Some(id), &template, now).await?;
    let entry = Entry::new(now, Action::QaTemplateSaved)
        .by(Actor::user(&caller, ip))
        .on("qa_template", id)
        .details(json!({ "name": saved.name_zh, "created": false }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(Json(saved))
}
