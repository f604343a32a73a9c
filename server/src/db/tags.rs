//! The complaint tags' English names (`tag_names`, migration 0038). The tags in use come from
//! the kept complaint counts (`tag_sums`: a row per day and tag), so listing them reads a few
//! thousand rows whatever the number of evaluations.

use std::collections::HashMap;

use pingjia_domain::analytics::TagName;

use crate::db::sql::{self, Conn, QueryBuilder};
use crate::db::{like_escaped, push_page};

/// `WITH … SELECT {select} FROM …`: the tags in use with their counted complaints and English
/// names, searched by `search` (in the tag or its English name).
fn tags_query(select: &str, search: Option<&str>) -> QueryBuilder<'static> {
    let mut q = QueryBuilder::new(format!(
        "WITH t AS (SELECT k.tag AS tag, SUM(k.evaluations) AS n FROM tag_sums k \
         WHERE k.tag <> '' GROUP BY k.tag) \
         SELECT {select} FROM t LEFT JOIN tag_names m ON m.tag = t.tag"
    ));
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", like_escaped(search));
        q.push(" WHERE (t.tag LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR m.name_en LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
    q
}

/// One page of the tags in use, most complained of first; how many match `search`, and how
/// many of those have no English name.
pub(crate) async fn tag_page(
    conn: &mut Conn,
    search: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<(Vec<TagName>, u64, u64), sqlx::Error> {
    let (total, unnamed): (i64, i64) = tags_query("COUNT(*), COUNT(*) - COUNT(m.name_en)", search)
        .build_query_as()
        .fetch_one(&mut *conn)
        .await?;
    let mut q = tags_query("t.tag, t.n, m.name_en", search);
    q.push(" ORDER BY t.n DESC, t.tag");
    push_page(&mut q, page, per_page);
    let rows: Vec<(String, i64, Option<String>)> = q.build_query_as().fetch_all(conn).await?;
    let count = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok((
        rows.into_iter()
            .map(|(tag, n, name_en)| TagName {
                tag,
                complaints: count(n),
                name_en,
            })
            .collect(),
        count(total),
        count(unnamed),
    ))
}

/// The English name of `tag`, if it has one.
pub(crate) async fn name_en(conn: &mut Conn, tag: &str) -> Result<Option<String>, sqlx::Error> {
    sql::query_scalar("SELECT name_en FROM tag_names WHERE tag = ?")
        .bind(tag)
        .fetch_optional(conn)
        .await
}

/// The tag `tag` if complaints carried it, with their count and its English name.
pub(crate) async fn tag(conn: &mut Conn, tag: &str) -> Result<Option<TagName>, sqlx::Error> {
    let complaints: Option<i64> = sql::query_scalar(
        "SELECT SUM(evaluations) FROM tag_sums WHERE tag = ? AND tag <> '' GROUP BY tag",
    )
    .bind(tag)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(complaints) = complaints else {
        return Ok(None);
    };
    Ok(Some(TagName {
        tag: tag.to_owned(),
        complaints: u64::try_from(complaints).unwrap_or_default(),
        name_en: name_en(conn, tag).await?,
    }))
}

/// Sets (or with `None` clears) the English name of `tag`.
pub(crate) async fn set_name_en(
    conn: &mut Conn,
    tag: &str,
    name_en: Option<&str>,
) -> Result<(), sqlx::Error> {
    match name_en {
        Some(name) => {
            sql::query(
                "INSERT INTO tag_names (tag, name_en) VALUES (?, ?) \
                 ON CONFLICT (tag) DO UPDATE SET name_en = excluded.name_en",
            )
            .bind(tag)
            .bind(name)
            .execute(conn)
            .await?;
        }
        None => {
            sql::query("DELETE FROM tag_names WHERE tag = ?")
                .bind(tag)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// The English names of the tags that have one.
pub(crate) async fn names_en(conn: &mut Conn) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sql::query_as("SELECT tag, name_en FROM tag_names")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}
