//! Small look-ups and roundings the analytics queries share.

use std::collections::HashMap;

use pingjia_domain::analytics::DimensionName;
use sqlx::SqliteConnection;

// ---------------------------------------------------------------------------------------------
// Shared look-ups

pub(crate) async fn dimension_names(
    conn: &mut SqliteConnection,
) -> Result<Vec<(DimensionName, i64)>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT code, name_zh, name_en, position FROM dimensions ORDER BY position")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name_zh, name_en, position)| {
            (
                DimensionName {
                    code,
                    name_zh,
                    name_en,
                },
                position,
            )
        })
        .collect())
}

/// The dimensions of `codes`, in the library's order.
pub(crate) fn named(
    all: &[(DimensionName, i64)],
    codes: impl Fn(&str) -> bool,
) -> Vec<DimensionName> {
    all.iter()
        .filter(|(d, _)| codes(&d.code))
        .map(|(d, _)| d.clone())
        .collect()
}

pub(crate) async fn team_names(
    conn: &mut SqliteConnection,
) -> Result<HashMap<i64, String>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM teams")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

pub(crate) fn round(value: Option<f64>, places: i32) -> Option<f64> {
    let factor = 10f64.powi(places);
    value.map(|v| (v * factor).round() / factor)
}

pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
