//! The catalogue as stored: the dimension library and the service types with their ordered
//! dimensions.

use crate::db::sql;
use crate::db::sql::{Conn, Pool};
use pingjia_domain::catalog::{NewDimension, NewServiceType};
use pingjia_domain::wire::{Catalog, Dimension, ServiceType, TypeDimension};

use crate::db::is_unique_violation;
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct DimensionRow {
    code: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    archived: bool,
}

#[derive(sqlx::FromRow)]
struct ServiceTypeRow {
    code: String,
    name_zh: String,
    name_en: String,
    archived: bool,
}

#[derive(sqlx::FromRow)]
struct TypeDimensionRow {
    service_type: String,
    dimension: String,
    optional: bool,
}

/// Reads the catalogue from the database.
pub async fn load(pool: &Pool) -> Result<Catalog, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    load_with(&mut conn).await
}

/// Reads the catalogue through `conn`.
pub(crate) async fn load_with(conn: &mut Conn) -> Result<Catalog, sqlx::Error> {
    let dimensions: Vec<DimensionRow> = sql::query_as(
        "SELECT code, name_zh, name_en, description_zh, description_en, archived
         FROM dimensions ORDER BY position, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let types: Vec<ServiceTypeRow> = sql::query_as(
        "SELECT code, name_zh, name_en, archived FROM service_types ORDER BY position, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let type_dimensions: Vec<TypeDimensionRow> = sql::query_as(
        "SELECT service_type, dimension, optional FROM service_type_dimensions
         ORDER BY service_type, position, dimension",
    )
    .fetch_all(&mut *conn)
    .await?;

    let service_types = types
        .into_iter()
        .map(|t| ServiceType {
            dimensions: type_dimensions
                .iter()
                .filter(|d| d.service_type == t.code)
                .map(|d| TypeDimension {
                    code: d.dimension.clone(),
                    optional: d.optional,
                })
                .collect(),
            code: t.code,
            name_zh: t.name_zh,
            name_en: t.name_en,
            archived: t.archived,
        })
        .collect();
    let dimensions = dimensions
        .into_iter()
        .map(|d| Dimension {
            code: d.code,
            name_zh: d.name_zh,
            name_en: d.name_en,
            description_zh: d.description_zh,
            description_en: d.description_en,
            archived: d.archived,
        })
        .collect();
    Ok(Catalog {
        dimensions,
        service_types,
    })
}

/// A UNIQUE violation of a code: the field error `code` `taken`.
fn taken(what: &str) -> impl Fn(sqlx::Error) -> AppError + '_ {
    move |e| {
        if is_unique_violation(&e) {
            AppError::field("code", "taken", format!("another {what} has this code"))
        } else {
            AppError::from(e)
        }
    }
}

/// Adds a dimension, last in the library's order (its code taken: a field error).
pub(crate) async fn insert_dimension(
    conn: &mut Conn,
    code: &str,
    new: &NewDimension,
) -> Result<(), AppError> {
    sql::query(
        "INSERT INTO dimensions (code, name_zh, name_en, description_zh, description_en, position)
         VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM dimensions))",
    )
    .bind(code)
    .bind(new.name_zh.trim())
    .bind(new.name_en.trim())
    .bind(new.description_zh.trim())
    .bind(new.description_en.trim())
    .execute(conn)
    .await
    .map_err(taken("dimension"))?;
    Ok(())
}

/// Writes a dimension's names, descriptions and archived flag.
pub(crate) async fn update_dimension(conn: &mut Conn, new: &Dimension) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE dimensions SET name_zh = ?, name_en = ?, description_zh = ?,
             description_en = ?, archived = ?
         WHERE code = ?",
    )
    .bind(&new.name_zh)
    .bind(&new.name_en)
    .bind(&new.description_zh)
    .bind(&new.description_en)
    .bind(new.archived)
    .bind(&new.code)
    .execute(conn)
    .await?;
    Ok(())
}

/// The Chinese names of the service types using the dimension `code`, in their order.
pub(crate) async fn types_using(conn: &mut Conn, code: &str) -> Result<Vec<String>, sqlx::Error> {
    sql::query_scalar(
        "SELECT t.name_zh FROM service_type_dimensions d
         JOIN service_types t ON t.code = d.service_type
         WHERE d.dimension = ? ORDER BY t.position",
    )
    .bind(code)
    .fetch_all(conn)
    .await
}

/// Whether an evaluation was given the dimension `code`.
pub(crate) async fn dimension_evaluated(conn: &mut Conn, code: &str) -> Result<bool, sqlx::Error> {
    sql::query_scalar("SELECT EXISTS (SELECT 1 FROM evaluation_scores WHERE dimension = ?)")
        .bind(code)
        .fetch_one(conn)
        .await
}

/// What [`delete`] deletes.
pub(crate) enum Kind {
    Dimension,
    ServiceType,
}

/// Deletes the dimension or service type `code`.
pub(crate) async fn delete(conn: &mut Conn, kind: Kind, code: &str) -> Result<(), sqlx::Error> {
    let table = match kind {
        Kind::Dimension => "dimensions",
        Kind::ServiceType => "service_types",
    };
    sql::query(&format!("DELETE FROM {table} WHERE code = ?"))
        .bind(code)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the ordered dimension set of the service type `code`.
pub(crate) async fn write_dimensions(
    conn: &mut Conn,
    code: &str,
    dimensions: &[TypeDimension],
) -> Result<(), sqlx::Error> {
    sql::query("DELETE FROM service_type_dimensions WHERE service_type = ?")
        .bind(code)
        .execute(&mut *conn)
        .await?;
    for (position, d) in dimensions.iter().enumerate() {
        sql::query(
            "INSERT INTO service_type_dimensions (service_type, dimension, position, optional)
             VALUES (?, ?, ?, ?)",
        )
        .bind(code)
        .bind(&d.code)
        .bind(position as i64)
        .bind(d.optional)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a service type, last in the order (its code taken: a field error); its dimensions
/// are written apart.
pub(crate) async fn insert_service_type(
    conn: &mut Conn,
    code: &str,
    new: &NewServiceType,
) -> Result<(), AppError> {
    sql::query(
        "INSERT INTO service_types (code, name_zh, name_en, position)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM service_types))",
    )
    .bind(code)
    .bind(new.name_zh.trim())
    .bind(new.name_en.trim())
    .execute(conn)
    .await
    .map_err(taken("service type"))?;
    Ok(())
}

/// Writes a service type's names and archived flag.
pub(crate) async fn update_service_type(
    conn: &mut Conn,
    code: &str,
    name_zh: &str,
    name_en: &str,
    archived: bool,
) -> Result<(), sqlx::Error> {
    sql::query("UPDATE service_types SET name_zh = ?, name_en = ?, archived = ? WHERE code = ?")
        .bind(name_zh)
        .bind(name_en)
        .bind(archived)
        .bind(code)
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts the service types in the order of `codes`.
pub(crate) async fn reorder_service_types(
    conn: &mut Conn,
    codes: &[String],
) -> Result<(), sqlx::Error> {
    for (position, code) in codes.iter().enumerate() {
        sql::query("UPDATE service_types SET position = ? WHERE code = ?")
            .bind(position as i64)
            .bind(code)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// How many service records are of the type `code`.
pub(crate) async fn service_type_records(conn: &mut Conn, code: &str) -> Result<i64, sqlx::Error> {
    sql::query_scalar("SELECT COUNT(*) FROM service_records WHERE service_type = ?")
        .bind(code)
        .fetch_one(conn)
        .await
}
