//! Checklist templates as stored: their dimensions, items and standards.

use crate::db::sql;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::db::sql::Conn;
use pingjia_domain::qa::{
    ChecklistTemplate, NewTemplate, RubricLevel, TemplateDimension, TemplateItem,
};

use crate::db::{from_json, to_json};
use crate::error::AppError;
use crate::time::{from_db, to_db};

#[derive(sqlx::FromRow)]
pub(crate) struct TemplateRow {
    pub(crate) id: i64,
    pub(crate) name_zh: String,
    pub(crate) name_en: String,
    pub(crate) description_zh: String,
    pub(crate) description_en: String,
    pub(crate) updated_at: String,
    pub(crate) in_use: bool,
}

pub(crate) async fn template_rows(
    conn: &mut Conn,
    id: Option<i64>,
) -> Result<Vec<ChecklistTemplate>, sqlx::Error> {
    let rows: Vec<TemplateRow> = sql::query_as(
        "SELECT t.id, t.name_zh, t.name_en, t.description_zh, t.description_en, t.updated_at,
                EXISTS (SELECT 1 FROM qa_plans p WHERE p.template_id = t.id) AS in_use
         FROM qa_templates t WHERE ?1 IS NULL OR t.id = ?1 ORDER BY t.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let dims: Vec<(i64, i64, String, String, String)> = sql::query_as(
        "SELECT id, template_id, name_zh, name_en, levels FROM qa_dimensions
         WHERE ?1 IS NULL OR template_id = ?1 ORDER BY template_id, position, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<(i64, i64, String, String, String, String)> = sql::query_as(
        "SELECT i.id, i.dimension_id, i.name_zh, i.name_en, i.standard_zh, i.standard_en
         FROM qa_items i JOIN qa_dimensions d ON d.id = i.dimension_id
         WHERE ?1 IS NULL OR d.template_id = ?1 ORDER BY i.dimension_id, i.position, i.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut items_of: HashMap<i64, Vec<TemplateItem>> = HashMap::new();
    for (id, dimension_id, name_zh, name_en, standard_zh, standard_en) in items {
        items_of
            .entry(dimension_id)
            .or_default()
            .push(TemplateItem {
                id,
                name_zh,
                name_en,
                standard_zh,
                standard_en,
            });
    }
    let mut dims_of: HashMap<i64, Vec<TemplateDimension>> = HashMap::new();
    for (id, template_id, name_zh, name_en, levels) in dims {
        let levels: Vec<RubricLevel> = from_json("rubric levels", &levels)?;
        dims_of
            .entry(template_id)
            .or_default()
            .push(TemplateDimension {
                id,
                name_zh,
                name_en,
                levels,
                items: items_of.remove(&id).unwrap_or_default(),
            });
    }
    rows.into_iter()
        .map(|r| {
            Ok(ChecklistTemplate {
                dimensions: dims_of.remove(&r.id).unwrap_or_default(),
                id: r.id,
                name_zh: r.name_zh,
                name_en: r.name_en,
                description_zh: r.description_zh,
                description_en: r.description_en,
                in_use: r.in_use,
                updated_at: from_db(&r.updated_at)?,
            })
        })
        .collect()
}

pub(crate) async fn load_template(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<ChecklistTemplate>, sqlx::Error> {
    Ok(template_rows(conn, Some(id)).await?.pop())
}

/// Whether a calibration session scores with template `id`: its answers, agreed answers and
/// guidance refer to the template's items, which saving the template over would delete.
pub(crate) async fn template_in_calibration(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    sql::query_scalar("SELECT EXISTS (SELECT 1 FROM qa_calibrations WHERE template_id = ?)")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Writes the dimensions and items of template `id` (replacing any it had).
async fn write_template_body(
    conn: &mut Conn,
    id: i64,
    template: &NewTemplate,
) -> Result<(), AppError> {
    sql::query("DELETE FROM qa_dimensions WHERE template_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (i, d) in template.dimensions.iter().enumerate() {
        let dimension_id: i64 = sql::query_scalar(
            "INSERT INTO qa_dimensions (template_id, position, name_zh, name_en, levels)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(&d.name_zh)
        .bind(&d.name_en)
        .bind(to_json("rubric levels", &d.levels)?)
        .fetch_one(&mut *conn)
        .await?;
        for (j, item) in d.items.iter().enumerate() {
            sql::query(
                "INSERT INTO qa_items (dimension_id, position, name_zh, name_en, standard_zh,
                                       standard_en)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(dimension_id)
            .bind(j as i64 + 1)
            .bind(&item.name_zh)
            .bind(&item.name_en)
            .bind(&item.standard_zh)
            .bind(&item.standard_en)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Saves `template` at `now`: a new one (`id` `None`) or over the template `id`, its
/// dimensions and items included; the template as saved.
pub(crate) async fn save_template(
    conn: &mut Conn,
    id: Option<i64>,
    template: &NewTemplate,
    now: DateTime<Utc>,
) -> Result<ChecklistTemplate, AppError> {
    let id = match id {
        None => {
            sql::query_scalar(
                "INSERT INTO qa_templates (name_zh, name_en, description_zh, description_en,
                                           updated_at)
                 VALUES (?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&template.name_zh)
            .bind(&template.name_en)
            .bind(&template.description_zh)
            .bind(&template.description_en)
            .bind(to_db(now))
            .fetch_one(&mut *conn)
            .await?
        }
        Some(id) => {
            sql::query(
                "UPDATE qa_templates SET name_zh = ?, name_en = ?, description_zh = ?,
                                         description_en = ?, updated_at = ?
                 WHERE id = ?",
            )
            .bind(&template.name_zh)
            .bind(&template.name_en)
            .bind(&template.description_zh)
            .bind(&template.description_en)
            .bind(to_db(now))
            .bind(id)
            .execute(&mut *conn)
            .await?;
            id
        }
    };
    write_template_body(conn, id, template).await?;
    load_template(conn, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("the template {id} just saved")))
}

/// The checklist template of the plan `plan_id`.
pub(crate) async fn plan_template(
    conn: &mut Conn,
    plan_id: i64,
) -> Result<ChecklistTemplate, AppError> {
    let template_id: i64 = sql::query_scalar("SELECT template_id FROM qa_plans WHERE id = ?")
        .bind(plan_id)
        .fetch_one(&mut *conn)
        .await?;
    load_template(conn, template_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("template {template_id} of a plan")))
}
