//! `GET /stats/...`: figures for the charts, aggregated in SQL.

use axum::extract::State;
use pingjia_domain::wire::ServiceVolume;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::records;
use crate::error::AppError;
use crate::http::authz::{ADMIN, Rule, get};
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(service_volume))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[get("/api/v1/stats/service-volume", ADMIN)];

/// The period of [`service_volume`] when none is asked for.
pub const DEFAULT_VOLUME_DAYS: i64 = 90;
/// The longest period of [`service_volume`].
pub const MAX_VOLUME_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolumeParams {
    /// How many days, today included, in the organisation's time zone (Asia/Shanghai).
    #[param(minimum = 1, maximum = 366, default = 90)]
    days: Option<i64>,
}

/// Service records started per day and channel.
///
/// Over the last `days` days, today included; days are days in the organisation's time zone
/// (Asia/Shanghai, UTC+8), oldest first, and days without records count zero.
#[utoipa::path(
    get,
    path = "/stats/service-volume",
    tag = "stats",
    operation_id = "service_volume",
    params(VolumeParams),
    responses(
        (status = 200, description = "Records per day and channel", body = ServiceVolume),
        (status = 400, description = "The query string is malformed"),
        (status = 422, description = "`days` is outside 1..=366"),
        (status = 500, description = "The server failed"),
    )
)]
async fn service_volume(
    State(state): State<AppState>,
    Query(params): Query<VolumeParams>,
) -> Result<Json<ServiceVolume>, AppError> {
    let days = params.days.unwrap_or(DEFAULT_VOLUME_DAYS);
    let days = u64::try_from(days)
        .ok()
        .filter(|d| (1..=MAX_VOLUME_DAYS as u64).contains(d))
        .ok_or_else(|| {
            AppError::field(
                "days",
                "out_of_range",
                format!("days must be between 1 and {MAX_VOLUME_DAYS}"),
            )
        })?;
    let mut conn = state.pool.acquire().await?;
    Ok(Json(
        records::volume(&mut conn, state.clock.now(), days).await?,
    ))
}
