//! `/api-keys`: the keys the helpdesk's ingestion authenticates with (admins). A key's secret
//! is shown once, in the answer that creates it; only its SHA-256 and first characters are
//! kept.

use axum::extract::State;
use axum::http::StatusCode;
use pingjia_domain::problem::name_length_error;
use pingjia_domain::wire::{ApiKey, CreatedApiKey, NewApiKey};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::api_keys;
use crate::db::begin_write;
use crate::error::AppError;
use crate::http::apikey::{generate, visible_prefix};
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, post};
use crate::http::extract::{ClientIp, Json, Path};
use crate::http::session::token_hash;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/api-keys", ADMIN),
    post("/api/v1/api-keys", ADMIN),
    post("/api/v1/api-keys/{id}/revoke", ADMIN),
];

/// Longest name of a key.
const MAX_KEY_NAME_LEN: usize = 50;

/// Every API key, newest first.
///
/// Name, visible prefix, when created, last used and revoked; never the secret.
#[utoipa::path(
    get,
    path = "/api-keys",
    tag = "records",
    operation_id = "list_api_keys",
    responses((status = 200, description = "The keys", body = Vec<ApiKey>))
)]
async fn list_keys(State(state): State<AppState>) -> Result<Json<Vec<ApiKey>>, AppError> {
    let mut conn = state.pool.acquire().await?;
    Ok(Json(api_keys::keys(&mut conn).await?))
}

/// Create an API key.
///
/// The answer holds the secret key, this once: configure it in the helpdesk, which sends it
/// as `Authorization: Bearer <key>` to `POST /ingest/service-records`.
#[utoipa::path(
    post,
    path = "/api-keys",
    tag = "records",
    operation_id = "create_api_key",
    request_body = NewApiKey,
    responses(
        (status = 201, description = "Created; the secret is shown only now", body = CreatedApiKey),
        (status = 422, description = "The name is invalid"),
    )
)]
async fn create_key(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(new): Json<NewApiKey>,
) -> Result<(StatusCode, Json<CreatedApiKey>), AppError> {
    let name = new.name.trim();
    if let Some(error) =
        name_length_error("name", name, "enter what the key is for", MAX_KEY_NAME_LEN)
    {
        return Err(AppError::Validation(vec![error]));
    }
    let now = state.clock.now();
    let secret = generate();
    let prefix = visible_prefix(&secret);
    let mut tx = begin_write(&state.pool).await?;
    let id = api_keys::insert(&mut tx, name, &prefix, &token_hash(&secret), caller.id, now).await?;
    let entry = Entry::new(now, Action::ApiKeyCreated)
        .by(Actor::user(&caller, ip))
        .on("api_key", id)
        .details(json!({ "name": name, "prefix": prefix }));
    audit::record(&mut *tx, &entry).await?;
    let key = api_keys::key(&mut tx, id).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CreatedApiKey { key, secret })))
}

/// Revoke an API key.
///
/// From now on it is refused (401). Revoking a revoked key changes nothing.
#[utoipa::path(
    post,
    path = "/api-keys/{id}/revoke",
    tag = "records",
    operation_id = "revoke_api_key",
    params(("id" = i64, Path, description = "The key")),
    responses(
        (status = 200, description = "The key, revoked", body = ApiKey),
        (status = 404, description = "No such key"),
    )
)]
async fn revoke_key(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ApiKey>, AppError> {
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let key = api_keys::key(&mut tx, id).await?;
    if key.revoked_at.is_none() {
        api_keys::revoke(&mut tx, id, now).await?;
        let entry = Entry::new(now, Action::ApiKeyRevoked)
            .by(Actor::user(&caller, ip))
            .on("api_key", id)
            .details(json!({ "name": key.name, "prefix": key.prefix }));
        audit::record(&mut *tx, &entry).await?;
    }
    let key = api_keys::key(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(key))
}
