//! `GET /catalog`: the dimension library and the service types with their ordered
//! dimensions; `/dimensions` and `/service-types`: the admin's changes to them, audited.
//!
//! What is in use cannot be deleted, only archived: a service type that service records
//! refer to, a dimension that a service type uses or an evaluation was given. Evaluations
//! keep a snapshot of the dimensions they were given (`evaluation_scores`), so changing a
//! type's dimension set never changes an evaluation already submitted.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::FieldError;
use pingjia_domain::catalog::{
    DimensionPatch, NewDimension, NewServiceType, ServiceTypeOrder, ServiceTypePatch,
};
use pingjia_domain::wire::{Catalog, Dimension, ServiceType, TypeDimension};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::{self, Conn};
use crate::error::AppError;
use crate::http::authz::{ADMIN, Access, CurrentUser, Rule, delete, get, patch, post, put};
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry, change};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalog))
        .routes(routes!(create_dimension))
        .routes(routes!(update_dimension, delete_dimension))
        .routes(routes!(create_service_type))
        .routes(routes!(reorder_service_types))
        .routes(routes!(update_service_type, delete_service_type))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/catalog", Access::Authenticated),
    post("/api/v1/dimensions", ADMIN),
    patch("/api/v1/dimensions/{code}", ADMIN),
    delete("/api/v1/dimensions/{code}", ADMIN),
    post("/api/v1/service-types", ADMIN),
    put("/api/v1/service-types/order", ADMIN),
    patch("/api/v1/service-types/{code}", ADMIN),
    delete("/api/v1/service-types/{code}", ADMIN),
];

/// The catalogue of dimensions and service types.
///
/// What the rating form and the admin screens are built from: archived entries included
/// (flagged), each list in its configured order, each type's dimensions in the type's order.
#[utoipa::path(
    get,
    path = "/catalog",
    tag = "catalog",
    operation_id = "catalog",
    responses(
        (status = 200, description = "The catalogue", body = Catalog),
        (status = 500, description = "The server failed"),
    )
)]
async fn catalog(State(state): State<AppState>) -> Result<Json<Catalog>, AppError> {
    Ok(Json(load(&state.pool).await?))
}

pub use crate::db::catalog::load;

async fn dimension(conn: &mut Conn, code: &str) -> Result<Dimension, AppError> {
    db::catalog::load_with(conn)
        .await?
        .dimensions
        .into_iter()
        .find(|d| d.code == code)
        .ok_or_else(|| AppError::NotFound(format!("The dimension {code}")))
}

async fn service_type(conn: &mut Conn, code: &str) -> Result<ServiceType, AppError> {
    db::catalog::load_with(conn)
        .await?
        .service_types
        .into_iter()
        .find(|t| t.code == code)
        .ok_or_else(|| AppError::NotFound(format!("The service type {code}")))
}

/// Add a dimension to the library.
///
/// Code (lower-case letters, digits and `_`; unused), names and descriptions in Chinese and
/// English. It comes last in the library's order.
#[utoipa::path(
    post,
    path = "/dimensions",
    tag = "catalog",
    operation_id = "create_dimension",
    request_body = NewDimension,
    responses(
        (status = 201, description = "Created", body = Dimension),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn create_dimension(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(new): Json<NewDimension>,
) -> Result<(StatusCode, Json<Dimension>), AppError> {
    let errors = new.validate();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let code = new.code.trim();
    let mut tx = db::begin_write(&state.pool).await?;
    db::catalog::insert_dimension(&mut tx, code, &new).await?;
    let created = dimension(&mut tx, code).await?;
    let entry = Entry::new(state.clock.now(), Action::DimensionCreated)
        .by(Actor::user(&caller, ip))
        .on("dimension", code)
        .details(json!({ "name_zh": created.name_zh, "name_en": created.name_en }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a dimension.
///
/// Names, descriptions, and whether it is archived. An archived dimension stays in the
/// service types that use it; it cannot be added to another type. Evaluations already
/// submitted keep the names they were shown.
#[utoipa::path(
    patch,
    path = "/dimensions/{code}",
    tag = "catalog",
    operation_id = "update_dimension",
    params(("code" = String, Path, description = "The dimension")),
    request_body = DimensionPatch,
    responses(
        (status = 200, description = "The dimension as changed", body = Dimension),
        (status = 404, description = "No such dimension"),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn update_dimension(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(code): Path<String>,
    Json(patch): Json<DimensionPatch>,
) -> Result<Json<Dimension>, AppError> {
    let errors = patch.validate();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = db::begin_write(&state.pool).await?;
    let old = dimension(&mut tx, &code).await?;
    let text = |new: &Option<String>, old: &str| {
        new.as_deref()
            .map_or_else(|| old.to_owned(), |n| n.trim().to_owned())
    };
    let new = Dimension {
        code: old.code.clone(),
        name_zh: text(&patch.name_zh, &old.name_zh),
        name_en: text(&patch.name_en, &old.name_en),
        description_zh: text(&patch.description_zh, &old.description_zh),
        description_en: text(&patch.description_en, &old.description_en),
        archived: patch.archived.unwrap_or(old.archived),
    };
    let mut changes = serde_json::Map::new();
    change(&mut changes, "name_zh", &old.name_zh, &new.name_zh);
    change(&mut changes, "name_en", &old.name_en, &new.name_en);
    change(
        &mut changes,
        "description_zh",
        &old.description_zh,
        &new.description_zh,
    );
    change(
        &mut changes,
        "description_en",
        &old.description_en,
        &new.description_en,
    );
    change(&mut changes, "archived", old.archived, new.archived);
    if !changes.is_empty() {
        db::catalog::update_dimension(&mut tx, &new).await?;
        let entry = Entry::new(state.clock.now(), Action::DimensionUpdated)
            .by(Actor::user(&caller, ip))
            .on("dimension", &code)
            .details(json!({ "changes": changes }));
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(Json(new))
}

/// Delete a dimension.
///
/// Only one nothing uses: a dimension that a service type uses or an evaluation was given is
/// kept for history and answered 409; archive it instead.
#[utoipa::path(
    delete,
    path = "/dimensions/{code}",
    tag = "catalog",
    operation_id = "delete_dimension",
    params(("code" = String, Path, description = "The dimension")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such dimension"),
        (status = 409, description = "The dimension is in use; archive it instead"),
    )
)]
async fn delete_dimension(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(code): Path<String>,
) -> Result<StatusCode, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let old = dimension(&mut tx, &code).await?;
    let types = db::catalog::types_using(&mut tx, &code).await?;
    if !types.is_empty() {
        return Err(AppError::Conflict(format!(
            "The dimension {} is used by the service types {}; it cannot be deleted, archive it \
             instead",
            old.name_zh,
            types.join("、")
        )));
    }
    if db::catalog::dimension_evaluated(&mut tx, &code).await? {
        return Err(AppError::Conflict(format!(
            "Evaluations were given the dimension {}; it cannot be deleted, archive it instead",
            old.name_zh
        )));
    }
    db::catalog::delete(&mut tx, db::catalog::Kind::Dimension, &code).await?;
    let entry = Entry::new(state.clock.now(), Action::DimensionDeleted)
        .by(Actor::user(&caller, ip))
        .on("dimension", &code)
        .details(json!({ "name_zh": old.name_zh, "name_en": old.name_en }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The database's checks of a dimension set: every code a known dimension, none archived
/// unless `kept` (already in the type).
async fn check_dimensions_exist(
    conn: &mut Conn,
    dimensions: &[TypeDimension],
    kept: &HashSet<String>,
) -> Result<Vec<FieldError>, AppError> {
    let library = db::catalog::load_with(conn).await?.dimensions;
    let mut errors = Vec::new();
    for (index, d) in dimensions.iter().enumerate() {
        match library.iter().find(|l| l.code == d.code) {
            None => errors.push(FieldError::new(
                format!("dimensions[{index}]"),
                "unknown",
                format!("no dimension has the code {}", d.code),
            )),
            Some(l) if l.archived && !kept.contains(&d.code) => errors.push(FieldError::new(
                format!("dimensions[{index}]"),
                "archived",
                format!("the dimension {} is archived", l.name_zh),
            )),
            Some(_) => {}
        }
    }
    Ok(errors)
}

/// Add a service type.
///
/// Code (unused), names, and its ordered dimension set: known, unarchived dimensions, none
/// twice, at least one required. It comes last in the order.
#[utoipa::path(
    post,
    path = "/service-types",
    tag = "catalog",
    operation_id = "create_service_type",
    request_body = NewServiceType,
    responses(
        (status = 201, description = "Created", body = ServiceType),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn create_service_type(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(new): Json<NewServiceType>,
) -> Result<(StatusCode, Json<ServiceType>), AppError> {
    let code = new.code.trim();
    let mut tx = db::begin_write(&state.pool).await?;
    let mut errors = new.validate();
    errors.extend(check_dimensions_exist(&mut tx, &new.dimensions, &HashSet::new()).await?);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    db::catalog::insert_service_type(&mut tx, code, &new).await?;
    db::catalog::write_dimensions(&mut tx, code, &new.dimensions).await?;
    let created = service_type(&mut tx, code).await?;
    let entry = Entry::new(state.clock.now(), Action::ServiceTypeCreated)
        .by(Actor::user(&caller, ip))
        .on("service_type", code)
        .details(json!({
            "name_zh": created.name_zh,
            "name_en": created.name_en,
            "dimensions": created.dimensions,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a service type.
///
/// Names, its ordered dimension set (which applies to evaluations submitted from now on;
/// those already submitted keep theirs), and whether it is archived: an archived type takes
/// no new service records.
#[utoipa::path(
    patch,
    path = "/service-types/{code}",
    tag = "catalog",
    operation_id = "update_service_type",
    params(("code" = String, Path, description = "The service type")),
    request_body = ServiceTypePatch,
    responses(
        (status = 200, description = "The service type as changed", body = ServiceType),
        (status = 404, description = "No such service type"),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn update_service_type(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(code): Path<String>,
    Json(patch): Json<ServiceTypePatch>,
) -> Result<Json<ServiceType>, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let old = service_type(&mut tx, &code).await?;
    let mut errors = patch.validate();
    if let Some(dimensions) = &patch.dimensions {
        let kept = old.dimensions.iter().map(|d| d.code.clone()).collect();
        errors.extend(check_dimensions_exist(&mut tx, dimensions, &kept).await?);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let name = |new: &Option<String>, old: &str| {
        new.as_deref()
            .map_or_else(|| old.to_owned(), |n| n.trim().to_owned())
    };
    let name_zh = name(&patch.name_zh, &old.name_zh);
    let name_en = name(&patch.name_en, &old.name_en);
    let archived = patch.archived.unwrap_or(old.archived);
    let dimensions = patch.dimensions.unwrap_or_else(|| old.dimensions.clone());
    let mut changes = serde_json::Map::new();
    change(&mut changes, "name_zh", &old.name_zh, &name_zh);
    change(&mut changes, "name_en", &old.name_en, &name_en);
    change(&mut changes, "archived", old.archived, archived);
    change(&mut changes, "dimensions", &old.dimensions, &dimensions);
    if !changes.is_empty() {
        db::catalog::update_service_type(&mut tx, &code, &name_zh, &name_en, archived).await?;
        if changes.contains_key("dimensions") {
            db::catalog::write_dimensions(&mut tx, &code, &dimensions).await?;
        }
        let entry = Entry::new(state.clock.now(), Action::ServiceTypeUpdated)
            .by(Actor::user(&caller, ip))
            .on("service_type", &code)
            .details(json!({ "changes": changes }));
        audit::record(&mut *tx, &entry).await?;
    }
    let updated = service_type(&mut tx, &code).await?;
    tx.commit().await?;
    Ok(Json(updated))
}

/// Reorder the service types.
///
/// `codes` lists every service type, archived ones included, each once, in the new order.
#[utoipa::path(
    put,
    path = "/service-types/order",
    tag = "catalog",
    operation_id = "reorder_service_types",
    request_body = ServiceTypeOrder,
    responses(
        (status = 200, description = "The catalogue in the new order", body = Catalog),
        (status = 422, description = "The list is not every type exactly once"),
    )
)]
async fn reorder_service_types(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(order): Json<ServiceTypeOrder>,
) -> Result<Json<Catalog>, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let old: Vec<String> = db::catalog::load_with(&mut tx)
        .await?
        .service_types
        .into_iter()
        .map(|t| t.code)
        .collect();
    let mut sorted_new = order.codes.clone();
    sorted_new.sort();
    let mut sorted_old = old.clone();
    sorted_old.sort();
    if sorted_new != sorted_old {
        return Err(AppError::field(
            "codes",
            "not_a_permutation",
            format!("list every service type exactly once: {}", old.join(", ")),
        ));
    }
    if order.codes != old {
        db::catalog::reorder_service_types(&mut tx, &order.codes).await?;
        let entry = Entry::new(state.clock.now(), Action::ServiceTypesReordered)
            .by(Actor::user(&caller, ip))
            .details(json!({ "old": old, "new": order.codes }));
        audit::record(&mut *tx, &entry).await?;
    }
    let catalog = db::catalog::load_with(&mut tx).await?;
    tx.commit().await?;
    Ok(Json(catalog))
}

/// Delete a service type.
///
/// Only one no service record refers to; a type in use is kept for history and answered
/// 409: archive it instead.
#[utoipa::path(
    delete,
    path = "/service-types/{code}",
    tag = "catalog",
    operation_id = "delete_service_type",
    params(("code" = String, Path, description = "The service type")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such service type"),
        (status = 409, description = "Service records refer to the type; archive it instead"),
    )
)]
async fn delete_service_type(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(code): Path<String>,
) -> Result<StatusCode, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let old = service_type(&mut tx, &code).await?;
    let records = db::catalog::service_type_records(&mut tx, &code).await?;
    if records > 0 {
        return Err(AppError::Conflict(format!(
            "{records} service records are of the type {}; it cannot be deleted, archive it \
             instead",
            old.name_zh
        )));
    }
    db::catalog::delete(&mut tx, db::catalog::Kind::ServiceType, &code).await?;
    let entry = Entry::new(state.clock.now(), Action::ServiceTypeDeleted)
        .by(Actor::user(&caller, ip))
        .on("service_type", &code)
        .details(json!({
            "name_zh": old.name_zh,
            "name_en": old.name_en,
            "dimensions": old.dimensions,
        }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
