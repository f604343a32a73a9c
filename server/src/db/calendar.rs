//! The working-day calendar as stored: holidays and make-up workdays (调休).

use pingjia_domain::calendar::{CalendarDay, DayKind, WorkCalendar};
use sqlx::SqliteConnection;

use crate::db::{parse_stored, stored_date};

/// The organisation's working-day calendar.
pub(crate) async fn work_calendar(
    conn: &mut SqliteConnection,
) -> Result<WorkCalendar, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT day, kind, name FROM calendar_days")
            .fetch_all(conn)
            .await?;
    let days = rows
        .into_iter()
        .map(|(day, kind, name)| {
            Ok(CalendarDay {
                date: stored_date(&day)?,
                kind: parse_stored(&kind, DayKind::parse)?,
                name,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(WorkCalendar::from_days(&days))
}
