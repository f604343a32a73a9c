//! `/settings`: the organisation's settings (admins). Every changed key is audited with its
//! old and new value; a change takes effect at once (the cache is replaced on write).

use axum::extract::State;
use pingjia_domain::settings::Settings;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::settings::{self, load};
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, get, put};
use crate::http::extract::{ClientIp, Json};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/settings", ADMIN),
    put("/api/v1/settings", ADMIN),
];

/// The settings.
///
/// Rating and appeal windows, the improvement plan's deadline in working days, the response
/// SLA per urgency, the satisfaction and callback thresholds, the composite weights and the
/// anomaly thresholds. The organisation's time zone is UTC+8 and not a setting.
#[utoipa::path(
    get,
    path = "/settings",
    tag = "settings",
    operation_id = "get_settings",
    responses((status = 200, description = "The settings", body = Settings))
)]
async fn get_settings(State(state): State<AppState>) -> Result<Json<Settings>, AppError> {
    Ok(Json(state.settings.get(&state.pool).await?))
}

/// Change the settings.
///
/// The whole set (a key left out takes its default). Checked as a whole: ranges, high ≤
/// normal ≤ low SLA, callback threshold below the satisfaction threshold, weights adding up
/// to 100 (422 with one entry per field). Each changed key is audited (`setting.changed`,
/// with old and new value) and applies at once.
#[utoipa::path(
    put,
    path = "/settings",
    tag = "settings",
    operation_id = "put_settings",
    request_body = Settings,
    responses(
        (status = 200, description = "The settings as stored", body = Settings),
        (status = 422, description = "Some settings are invalid"),
    )
)]
async fn put_settings(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(new): Json<Settings>,
) -> Result<Json<Settings>, AppError> {
    let errors = new.validate();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let current = load(&mut tx).await?;
    let old = current.to_map();
    for (key, value) in new.to_map() {
        let before = old.get(&key).cloned().unwrap_or_default();
        if before == value {
            continue;
        }
        settings::set(&mut tx, &key, &value.to_string(), caller.id, now).await?;
        let entry = Entry::new(now, Action::SettingChanged)
            .by(Actor::user(&caller, ip))
            .on("setting", &key)
            .details(json!({ "old": before, "new": value }));
        audit::record(&mut *tx, &entry).await?;
    }
    // The records' kept on-time counts are by the SLA minutes: recounted with the new ones.
    let sla = |s: &Settings| (s.sla_high_minutes, s.sla_normal_minutes, s.sla_low_minutes);
    if sla(&current) != sla(&new) {
        crate::db::sums::rebuild_records(&mut tx).await?;
    }
    tx.commit().await?;
    state.settings.set(new.clone()).await;
    crate::services::cluster::tell(&state, crate::services::cluster::Message::Settings).await;
    Ok(Json(new))
}
