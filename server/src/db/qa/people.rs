//! The people QA deals with: a person by id, the inspectors; and the service types it samples.

use crate::db::sql;
use crate::db::sql::Conn;
use pingjia_domain::qa::{Person, ServiceTypeOption};

// ---------------------------------------------------------------------------------------------
// People, templates
// ---------------------------------------------------------------------------------------------

pub(crate) async fn person(conn: &mut Conn, id: i64) -> Result<Person, sqlx::Error> {
    let (no, name): (Option<String>, String) =
        sql::query_as("SELECT employee_no, display_name FROM users WHERE id = ?")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(Person {
        id,
        no: no.unwrap_or_default(),
        name,
    })
}

pub(crate) async fn inspectors(conn: &mut Conn) -> Result<Vec<Person>, sqlx::Error> {
    let rows: Vec<(i64, Option<String>, String)> = sql::query_as(
        "SELECT id, employee_no, display_name FROM users
         WHERE role IN ('qa_inspector', 'admin') AND disabled = FALSE
         ORDER BY role = 'admin', employee_no",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, no, name)| Person {
            id,
            no: no.unwrap_or_default(),
            name,
        })
        .collect())
}

/// The service types a plan may sample (not archived), in their order.
pub(crate) async fn service_type_options(
    conn: &mut Conn,
) -> Result<Vec<ServiceTypeOption>, sqlx::Error> {
    let types: Vec<(String, String, String)> = sql::query_as(
        "SELECT code, name_zh, name_en FROM service_types WHERE archived = FALSE ORDER BY position",
    )
    .fetch_all(conn)
    .await?;
    Ok(types
        .into_iter()
        .map(|(code, name_zh, name_en)| ServiceTypeOption {
            code,
            name_zh,
            name_en,
        })
        .collect())
}
