//! `GET /stats/...`: figures for the charts, aggregated in SQL.

use axum::extract::State;
use chrono::{DateTime, Days, NaiveDate, Utc};
use pingjia_domain::wire::{Channel, ChannelSeries, ServiceVolume};
use serde::Deserialize;
use sqlx::SqlitePool;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::AppError;
use crate::http::authz::{ADMIN, Rule, get};
use crate::http::extract::{Json, Query};
use crate::http::state::AppState;
use crate::time::{org_day, org_day_start, org_sqlite_modifier, to_db};

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
    Ok(Json(volume(&state.pool, state.clock.now(), days).await?))
}

#[derive(sqlx::FromRow)]
struct VolumeRow {
    day: String,
    channel: String,
    records: i64,
}

/// Counts the records started on each of the `days` organisation days ending with the day of
/// `now`, per channel.
pub async fn volume(
    pool: &SqlitePool,
    now: DateTime<Utc>,
    days: u64,
) -> Result<ServiceVolume, sqlx::Error> {
    let today = org_day(now);
    let first = today - Days::new(days.saturating_sub(1));
    let period: Vec<NaiveDate> = first.iter_days().take(days as usize).collect();
    let rows: Vec<VolumeRow> = sqlx::query_as(
        "SELECT date(started_at, ?) AS day, channel, COUNT(*) AS records
         FROM service_records
         WHERE started_at >= ? AND started_at < ?
         GROUP BY day, channel",
    )
    .bind(org_sqlite_modifier())
    .bind(to_db(org_day_start(first)))
    .bind(to_db(org_day_start(today + Days::new(1))))
    .fetch_all(pool)
    .await?;

    let mut series: Vec<ChannelSeries> = Channel::ALL
        .into_iter()
        .map(|channel| ChannelSeries {
            channel,
            counts: vec![0; period.len()],
        })
        .collect();
    for row in rows {
        let day = NaiveDate::parse_from_str(&row.day, "%Y-%m-%d")
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let index = usize::try_from((day - first).num_days())
            .ok()
            .filter(|&i| i < period.len());
        let channel = Channel::parse(&row.channel);
        let (Some(index), Some(channel)) = (index, channel) else {
            return Err(sqlx::Error::Decode(
                format!("unexpected volume row {} {}", row.day, row.channel).into(),
            ));
        };
        let slot = series
            .iter_mut()
            .find(|s| s.channel == channel)
            .expect("one series per channel");
        slot.counts[index] = u64::try_from(row.records).unwrap_or_default();
    }
    let total = series.iter().flat_map(|s| &s.counts).sum();
    Ok(ServiceVolume {
        days: period,
        series,
        total,
        generated_at: now,
    })
}
