//! The working-day calendar as stored: holidays and make-up workdays (调休).

use crate::db::sql;
use crate::db::sql::{Conn, Dialect};
use pingjia_domain::calendar::{CalendarDay, DayKind, WorkCalendar};

use crate::db::{parse_stored, stored_date};

/// A stored `(day, kind, name)` row.
fn calendar_day((day, kind, name): (String, String, String)) -> Result<CalendarDay, sqlx::Error> {
    Ok(CalendarDay {
        date: stored_date(&day)?,
        kind: parse_stored(&kind, DayKind::parse)?,
        name,
    })
}

/// The organisation's working-day calendar, read as the JSON array of its `[day, kind, name]`
/// rows ([`calendar_json`]).
pub(crate) fn work_calendar_of(json: &str) -> Result<WorkCalendar, sqlx::Error> {
    let rows: Vec<(String, String, String)> = crate::db::from_json("calendar", json)?;
    let days = rows
        .into_iter()
        .map(calendar_day)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(WorkCalendar::from_days(&days))
}

/// The calendar's days as one JSON array of `[day, kind, name]` (an expression, for a
/// statement that reads it beside other things: [`work_calendar_of`]).
pub(crate) fn calendar_json(dialect: Dialect) -> String {
    format!(
        "(SELECT {} FROM calendar_days)",
        dialect.json_rows(&["day", "kind", "name"], "")
    )
}

/// The organisation's working-day calendar.
pub(crate) async fn work_calendar(conn: &mut Conn) -> Result<WorkCalendar, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sql::query_as("SELECT day, kind, name FROM calendar_days")
            .fetch_all(conn)
            .await?;
    let days = rows
        .into_iter()
        .map(calendar_day)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(WorkCalendar::from_days(&days))
}

/// The first and last day of `year`, as stored.
fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// The holidays and make-up workdays of `year`, in date order.
pub(crate) async fn year_days(conn: &mut Conn, year: i32) -> Result<Vec<CalendarDay>, sqlx::Error> {
    let (first, last) = year_bounds(year);
    let rows: Vec<(String, String, String)> = sql::query_as(
        "SELECT day, kind, name FROM calendar_days WHERE day >= ? AND day <= ? ORDER BY day",
    )
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(calendar_day).collect()
}

/// Sets one day; what it was (kind, name) before.
pub(crate) async fn set_day(
    conn: &mut Conn,
    day: &CalendarDay,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let old: Option<(String, String)> =
        sql::query_as("SELECT kind, name FROM calendar_days WHERE day = ?")
            .bind(day.date.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    sql::query(
        "INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )
    .bind(day.date.to_string())
    .bind(day.kind.as_str())
    .bind(&day.name)
    .execute(&mut *conn)
    .await?;
    Ok(old)
}

/// Clears the day `date`; what it was (kind, name), `None` when it was an ordinary day.
pub(crate) async fn delete_day(
    conn: &mut Conn,
    date: chrono::NaiveDate,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sql::query_as("DELETE FROM calendar_days WHERE day = ? RETURNING kind, name")
        .bind(date.to_string())
        .fetch_optional(conn)
        .await
}

/// Replaces the days of `year` with `days` (names trimmed).
pub(crate) async fn replace_year(
    conn: &mut Conn,
    year: i32,
    days: &[CalendarDay],
) -> Result<(), sqlx::Error> {
    let (first, last) = year_bounds(year);
    sql::query("DELETE FROM calendar_days WHERE day >= ? AND day <= ?")
        .bind(first)
        .bind(last)
        .execute(&mut *conn)
        .await?;
    for day in days {
        sql::query("INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)")
            .bind(day.date.to_string())
            .bind(day.kind.as_str())
            .bind(day.name.trim())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
