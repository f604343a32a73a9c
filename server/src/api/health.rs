//! `GET /health`: what is running and whether its database answers.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::wire::{DatabaseHealth, Health, HealthStatus};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db;
use crate::http::authz::{Access, Rule, get};
use crate::http::extract::Json;
use crate::http::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[get("/api/v1/health", Access::Public)];

/// Health of the server and its database.
///
/// `200` with status `ok` when the database answers, `503` with status `degraded` and the
/// database's error otherwise. Never cached.
#[utoipa::path(
    get,
    path = "/health",
    tag = "system",
    operation_id = "health",
    responses(
        (status = 200, description = "Everything answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = match db::schema_version(&state.pool).await {
        Ok(schema_version) => DatabaseHealth {
            ok: true,
            schema_version,
            error: None,
        },
        Err(e) => {
            tracing::warn!(error = %e, "health check: the database does not answer");
            DatabaseHealth {
                ok: false,
                schema_version: None,
                error: Some(e.to_string()),
            }
        }
    };
    let (status, code) = if database.ok {
        (HealthStatus::Ok, StatusCode::OK)
    } else {
        (HealthStatus::Degraded, StatusCode::SERVICE_UNAVAILABLE)
    };
    let health = Health {
        status,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database,
    };
    (code, Json(health))
}
