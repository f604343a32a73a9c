//! The complaint tags' English names: the tags in use, most complained of first, and an admin's
//! English name for one (English pages show it, the report's mail and CSV beside the tag).

use axum::extract::State;
use pingjia_domain::analytics::{
    DEFAULT_TAGS_PER_PAGE, MAX_TAGS_PER_PAGE, TagName, TagNamePage, TagNamePatch,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use crate::db::{begin_write, tags};
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::extract::{ClientIp, Json, Path, Query};
use crate::http::paging::check_paging;
use crate::http::state::AppState;
use crate::services::audit::{self, Action, Actor, Entry, change};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct TagQuery {
    /// Only tags containing this text, in the tag or its English name.
    q: Option<String>,
    /// The page, from 1.
    #[param(minimum = 1, default = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    per_page: Option<u32>,
}

/// The complaint tags in use, a page at a time.
///
/// The service records' tags that complaints carried, with how many and the English name an
/// admin gave; most complained of first.
#[utoipa::path(
    get,
    path = "/analytics/tags",
    tag = "analytics",
    operation_id = "list_tags",
    params(TagQuery),
    responses(
        (status = 200, description = "One page of the tags", body = TagNamePage),
        (status = 422, description = "The paging is invalid"),
    )
)]
pub(super) async fn list_tags(
    State(state): State<AppState>,
    Query(query): Query<TagQuery>,
) -> Result<Json<TagNamePage>, AppError> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_TAGS_PER_PAGE);
    check_paging(page, per_page, MAX_TAGS_PER_PAGE, None, None)?;
    let mut conn = state.pool.acquire().await?;
    let (tags, total, unnamed) =
        tags::tag_page(&mut conn, query.q.as_deref(), page, per_page).await?;
    Ok(Json(TagNamePage {
        tags,
        total,
        page,
        per_page,
        unnamed,
    }))
}

/// Name a tag in English.
///
/// The tag as listed (percent-encoded in the path); a blank or `null` name clears it. At most
/// 50 characters on one line. Audited (`tag.named`).
#[utoipa::path(
    put,
    path = "/analytics/tags/{tag}",
    tag = "analytics",
    operation_id = "name_tag",
    params(("tag" = String, Path, description = "The tag, e.g. `%E6%9C%8D%E5%8A%A1%E6%80%81%E5%BA%A6` (服务态度)")),
    request_body = TagNamePatch,
    responses(
        (status = 200, description = "The tag as named", body = TagName),
        (status = 404, description = "No complaint carries this tag"),
        (status = 422, description = "The name is too long or not one line"),
    )
)]
pub(super) async fn name_tag(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: CurrentUser,
    Path(tag): Path<String>,
    Json(patch): Json<TagNamePatch>,
) -> Result<Json<TagName>, AppError> {
    let name_en = patch.check().map_err(AppError::Validation)?;
    let now = state.clock.now();
    let mut tx = begin_write(&state.pool).await?;
    let Some(mut named) = tags::tag(&mut tx, &tag).await? else {
        return Err(AppError::NotFound(format!("The tag {tag:?}")));
    };
    let before = named.name_en.clone();
    let mut changes = serde_json::Map::new();
    change(&mut changes, "name_en", &before, &name_en);
    if !changes.is_empty() {
        tags::set_name_en(&mut tx, &tag, name_en.as_deref()).await?;
        let entry = Entry::new(now, Action::TagNamed)
            .by(Actor::user(&caller, ip))
            .on("tag", &tag)
            .details(json!({ "changes": changes }));
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    named.name_en = name_en;
    Ok(Json(named))
}
