//! `/calendar`: the working-day calendar (admins): public holidays and make-up workdays
//! (调休); every other Monday to Friday is a working day. Changes are audited.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use pingjia_domain::FieldError;
use pingjia_domain::calendar::{CalendarBulk, CalendarDay, CalendarYear, DayEntry, check_day};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::begin_write;
use crate::db::calendar;
use crate::error::AppError;
use crate::http::authz::{ADMIN, CurrentUser, Rule, delete, get, post, put};
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_year))
        .routes(routes!(put_day, delete_day))
        .routes(routes!(replace_year))
}

/// Who may call this module's routes (enforced by `http::authz` before a handler runs).
pub const RULES: &[Rule] = &[
    get("/api/v1/calendar", ADMIN),
    put("/api/v1/calendar/{date}", ADMIN),
    delete("/api/v1/calendar/{date}", ADMIN),
    post("/api/v1/calendar/bulk", ADMIN),
];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year, e.g. 2026.
    #[param(minimum = 2000, maximum = 2100)]
    year: i32,
}

fn check_year(year: i32) -> Result<(), AppError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::field(
            "year",
            "out_of_range",
            "use a year from 2000 to 2100",
        ))
    }
}

/// A year's holidays and make-up workdays.
///
/// In date order; days not listed are working days from Monday to Friday.
#[utoipa::path(
    get,
    path = "/calendar",
    tag = "settings",
    operation_id = "get_calendar",
    params(YearParams),
    responses(
        (status = 200, description = "The year's configured days", body = CalendarYear),
        (status = 400, description = "`year` is missing or not a number"),
        (status = 422, description = "`year` is out of range"),
    )
)]
async fn get_year(
    State(state): State<AppState>,
    Query(params): Query<YearParams>,
) -> Result<Json<CalendarYear>, AppError> {
    check_year(params.year)?;
    let mut conn = state.pool.acquire().await?;
    let days = calendar::year_days(&mut conn, params.year).await?;
    Ok(Json(CalendarYear {
        year: params.year,
        days,
    }))
}

fn parse_date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| {
            AppError::field(
                "date",
                "invalid",
                "use a date from 2000 to 2100 as YYYY-MM-DD",
            )
        })
}

/// Set one day.
///
/// A holiday (any day), or a make-up workday (a Saturday or Sunday only); replaces what the
/// day was.
#[utoipa::path(
    put,
    path = "/calendar/{date}",
    tag = "settings",
    operation_id = "put_calendar_day",
    params(("date" = String, Path, format = Date, pattern = r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$", description = "The day, `YYYY-MM-DD`, from 2000 to 2100")),
    request_body = DayEntry,
    responses(
        (status = 200, description = "The day as stored", body = CalendarDay),
        (status = 422, description = "Some fields are invalid"),
    )
)]
async fn put_day(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(date): Path<String>,
    Json(entry): Json<DayEntry>,
) -> Result<Json<CalendarDay>, AppError> {
    let date = parse_date(&date)?;
    let errors = check_day("", date, entry.kind, &entry.name);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let day = CalendarDay {
        date,
        kind: entry.kind,
        name: entry.name.trim().to_owned(),
    };
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let old = calendar::set_day(&mut tx, &day).await?;
    let audit_entry = Entry::new(now, Action::CalendarDaySet)
        .by(Actor::user(&caller, ip))
        .on("calendar_day", date)
        .details(json!({
            "old": old.map(|(kind, name)| json!({ "kind": kind, "name": name })),
            "new": { "kind": day.kind.as_str(), "name": day.name },
        }));
    audit::record(&mut *tx, &audit_entry).await?;
    tx.commit().await?;
    Ok(Json(day))
}

/// Clear one day.
///
/// It becomes an ordinary day again (a working day from Monday to Friday).
#[utoipa::path(
    delete,
    path = "/calendar/{date}",
    tag = "settings",
    operation_id = "delete_calendar_day",
    params(("date" = String, Path, format = Date, pattern = r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$", description = "The day, `YYYY-MM-DD`, from 2000 to 2100")),
    responses(
        (status = 204, description = "Cleared"),
        (status = 404, description = "The day is not configured"),
        (status = 422, description = "The date is invalid"),
    )
)]
async fn delete_day(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(date): Path<String>,
) -> Result<StatusCode, AppError> {
    let date = parse_date(&date)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let Some((kind, name)) = calendar::delete_day(&mut tx, date).await? else {
        return Err(AppError::NotFound(format!(
            "A holiday or workday on {date}"
        )));
    };
    let entry = Entry::new(now, Action::CalendarDayDeleted)
        .by(Actor::user(&caller, ip))
        .on("calendar_day", date)
        .details(json!({ "old": { "kind": kind, "name": name } }));
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace a year's days.
///
/// Every holiday and make-up workday of `year` at once (for the State Council's yearly
/// notice): checked as a whole (dates in the year, none twice, names, make-up days on
/// weekends; 422 naming `days[i].field`), then the year's current days are replaced in one
/// transaction.
#[utoipa::path(
    post,
    path = "/calendar/bulk",
    tag = "settings",
    operation_id = "replace_calendar_year",
    request_body = CalendarBulk,
    responses(
        (status = 200, description = "The year as stored", body = CalendarYear),
        (status = 422, description = "Some days are invalid; nothing changed"),
    )
)]
async fn replace_year(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Json(bulk): Json<CalendarBulk>,
) -> Result<Json<CalendarYear>, AppError> {
    let errors: Vec<FieldError> = bulk.validate();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now();
    let year = bulk.year;
    let mut tx = begin_write(&state.pool).await?;
    let before = calendar::year_days(&mut tx, year).await?.len();
    calendar::replace_year(&mut tx, year, &bulk.days).await?;
    let entry = Entry::new(now, Action::CalendarYearReplaced)
        .by(Actor::user(&caller, ip))
        .on("calendar_year", year)
        .details(json!({
            "days_before": before,
            "days": bulk.days.iter().map(|d| json!({
                "date": d.date, "kind": d.kind.as_str(), "name": d.name.trim(),
            })).collect::<Vec<_>>(),
        }));
    audit::record(&mut *tx, &entry).await?;
    let days = calendar::year_days(&mut tx, year).await?;
    tx.commit().await?;
    Ok(Json(CalendarYear { year, days }))
}
