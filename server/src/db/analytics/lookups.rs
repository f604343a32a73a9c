//! Small look-ups and roundings the analytics queries share.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::Conn;
use pingjia_domain::analytics::{DimensionName, OptionItem};

// ---------------------------------------------------------------------------------------------
// Shared look-ups

pub(crate) async fn dimension_names(
    conn: &mut Conn,
) -> Result<Vec<(DimensionName, i64)>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> =
        sql::query_as("SELECT code, name_zh, name_en, position FROM dimensions ORDER BY position")
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

pub(crate) async fn team_names(conn: &mut Conn) -> Result<HashMap<i64, String>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sql::query_as("SELECT id, name FROM teams")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The English names of the teams that have one (issue 24).
pub(crate) async fn team_names_en(conn: &mut Conn) -> Result<HashMap<i64, String>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sql::query_as("SELECT id, name_en FROM teams WHERE name_en IS NOT NULL")
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

/// What the filter bar offers: the teams by name, the agents by employee number (with their
/// team), the service types in their order.
pub(crate) async fn filter_options(
    conn: &mut Conn,
) -> Result<(Vec<OptionItem>, Vec<OptionItem>, Vec<OptionItem>), sqlx::Error> {
    let teams: Vec<(i64, String, Option<String>)> =
        sql::query_as("SELECT id, name, name_en FROM teams ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    let agents: Vec<(String, String, Option<i64>)> = sql::query_as(
        "SELECT employee_no, display_name, team_id FROM users
         WHERE role = 'agent' AND employee_no IS NOT NULL ORDER BY employee_no",
    )
    .fetch_all(&mut *conn)
    .await?;
    let types: Vec<(String, String, String)> =
        sql::query_as("SELECT code, name_zh, name_en FROM service_types ORDER BY position")
            .fetch_all(&mut *conn)
            .await?;
    let teams = teams
        .into_iter()
        .map(|(id, name, name_en)| OptionItem {
            value: id.to_string(),
            name_en: name_en.unwrap_or_else(|| name.clone()),
            name_zh: name,
            team_id: Some(id),
        })
        .collect();
    let agents = agents
        .into_iter()
        .map(|(no, name, team_id)| OptionItem {
            name_zh: format!("{name}（{no}）"),
            name_en: format!("{name} ({no})"),
            value: no,
            team_id,
        })
        .collect();
    let types = types
        .into_iter()
        .map(|(code, name_zh, name_en)| OptionItem {
            value: code,
            name_zh,
            name_en,
            team_id: None,
        })
        .collect();
    Ok((teams, agents, types))
}
