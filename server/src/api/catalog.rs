//! `GET /catalog`: the dimension library and the service types with their ordered dimensions.

use axum::extract::State;
use pingjia_domain::Problem;
use pingjia_domain::wire::{Catalog, Dimension, ServiceType, TypeDimension};
use sqlx::SqlitePool;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::extract::Json;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(catalog))
}

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
        (status = 500, description = "The server failed", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn catalog(State(state): State<AppState>) -> Result<Json<Catalog>, AppError> {
    Ok(Json(load(&state.pool).await?))
}

#[derive(sqlx::FromRow)]
struct DimensionRow {
    code: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    archived: bool,
}

#[derive(sqlx::FromRow)]
struct ServiceTypeRow {
    code: String,
    name_zh: String,
    name_en: String,
    archived: bool,
}

#[derive(sqlx::FromRow)]
struct TypeDimensionRow {
    service_type: String,
    dimension: String,
    optional: bool,
}

/// Reads the catalogue from the database.
pub async fn load(pool: &SqlitePool) -> Result<Catalog, sqlx::Error> {
    let dimensions: Vec<DimensionRow> = sqlx::query_as(
        "SELECT code, name_zh, name_en, description_zh, description_en, archived
         FROM dimensions ORDER BY position, code",
    )
    .fetch_all(pool)
    .await?;
    let types: Vec<ServiceTypeRow> = sqlx::query_as(
        "SELECT code, name_zh, name_en, archived FROM service_types ORDER BY position, code",
    )
    .fetch_all(pool)
    .await?;
    let type_dimensions: Vec<TypeDimensionRow> = sqlx::query_as(
        "SELECT service_type, dimension, optional FROM service_type_dimensions
         ORDER BY service_type, position, dimension",
    )
    .fetch_all(pool)
    .await?;

    let service_types = types
        .into_iter()
        .map(|t| ServiceType {
            dimensions: type_dimensions
                .iter()
                .filter(|d| d.service_type == t.code)
                .map(|d| TypeDimension {
                    code: d.dimension.clone(),
                    optional: d.optional,
                })
                .collect(),
            code: t.code,
            name_zh: t.name_zh,
            name_en: t.name_en,
            archived: t.archived,
        })
        .collect();
    let dimensions = dimensions
        .into_iter()
        .map(|d| Dimension {
            code: d.code,
            name_zh: d.name_zh,
            name_en: d.name_en,
            description_zh: d.description_zh,
            description_en: d.description_en,
            archived: d.archived,
        })
        .collect();
    Ok(Catalog {
        dimensions,
        service_types,
    })
}
