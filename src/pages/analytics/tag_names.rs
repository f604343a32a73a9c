//! The complaint tags' English names (`/admin/analytics/tags`): the tags the helpdesk put on
//! complaints, most used first, a page at a time and searchable (in the address), each with its
//! English name to set, change or clear; English pages, the report's mail and its CSV show it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::analytics::{TAG_NAME_EN_MAX_CHARS, TagName, TagNamePage, TagNamePatch};

use super::routes::DASHBOARD_PATH;
use crate::api::analytics::TagQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{Loaded, PagedList, Paging};
use crate::components::filters::{FilterActions, submitted_values};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::tr;

/// Where the tags' English names are managed.
pub const TAGS_PATH: &str = "/admin/analytics/tags";

/// The search and page as the address carries them.
fn tag_query_from_params(params: &ParamsMap) -> TagQuery {
    let query: TagQuery = query::from_pairs(params.latest_values(), &[]);
    TagQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the list with this search and page (the first page left out).
fn tags_href(query: &TagQuery) -> String {
    paged_href(TAGS_PATH, query, query::Paging::after_first(query.page))
}

/// The tags page.
#[component]
pub fn TagNamesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(tag_query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::analytics::tags(&query).await }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, analytics.tags_title)) />
        <p class="back-link">
            <A href=DASHBOARD_PATH>{tr(i18n, |l| td_string!(l, analytics.back))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, analytics.tags_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, analytics.tags_intro))}</p>
        <Search query />
        <Loaded resource=list view=move |page| view! { <TagItems page query=query.get_untracked() /> } />
    }
}

/// The search box; the address holds the search.
#[component]
fn Search(query: Memo<TagQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let q = value("q");
        let wanted = TagQuery {
            q: (!q.trim().is_empty()).then(|| q.trim().to_owned()),
            page: 1,
        };
        navigate(&tags_href(&wanted), Default::default());
    };
    view! {
        <form class="filters" role="search" aria-label=move || t_string!(i18n, analytics.tags_search_label) on:submit=on_submit>
            <div class="field filter-search">
                <label for="tags-q">{tr(i18n, |l| td_string!(l, analytics.tags_search))}</label>
                <input
                    id="tags-q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    prop:value=move || query.with(|q| q.q.clone().unwrap_or_default())
                />
            </div>
            <FilterActions
                apply=|l| td_string!(l, analytics.tags_search_apply)
                clear=|l| td_string!(l, analytics.tags_search_clear)
                clear_href=Signal::derive(move || tags_href(&TagQuery::default()))
                filtered=Signal::derive(move || query.with(|q| q.q.is_some()))
            />
        </form>
    }
}

/// One page of the tags and the pager.
#[component]
fn TagItems(page: TagNamePage, query: TagQuery) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(page.page, page.per_page.max(1), page.total, page.tags.len());
    let Paging {
        total, first, last, ..
    } = paging;
    let unnamed = page.unnamed;
    let searched = query.q.is_some();
    let empty = move || {
        let locale = i18n.get_locale();
        if total > 0 {
            td_string!(locale, analytics.tags_page_empty)
        } else if searched {
            td_string!(locale, analytics.tags_empty_search)
        } else {
            td_string!(locale, analytics.tags_empty)
        }
    };
    let href = move |n: u64| {
        tags_href(&TagQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let count = move || {
        td_string!(
            i18n.get_locale(),
            analytics.tags_count,
            count = total.to_string(),
            first = first.to_string(),
            last = last.to_string(),
            unnamed = unnamed.to_string()
        )
    };
    let rows = page
        .tags
        .into_iter()
        .enumerate()
        .map(|(i, tag)| view! { <TagRow tag index=i /> })
        .collect_view();
    view! {
        <PagedList paging href count=count.into_any() empty=empty.into_any()>
            <table class="data-table tag-names">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, analytics.tags_title))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.tags_col_tag))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.tags_col_complaints))}</th>
                        <th scope="col" id="tags-col-name-en">{tr(i18n, |l| td_string!(l, analytics.tags_col_name_en))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </PagedList>
    }
}

/// The code of what is wrong with a refused name (`other` when the refusal names none).
fn refusal_code(error: &ApiError) -> String {
    error
        .problem()
        .and_then(|p| p.field("name_en"))
        .map_or_else(|| "other".to_owned(), |f| f.code.clone())
}

/// What is wrong with a name, in words, by its code.
fn name_problem(locale: Locale, code: &str) -> String {
    match code {
        "too_long" => td_string!(
            locale,
            field_errors.too_long,
            max = TAG_NAME_EN_MAX_CHARS.to_string()
        ),
        "control_character" => td_string!(locale, field_errors.control_character).to_owned(),
        _ => td_string!(locale, analytics.tags_save_failed).to_owned(),
    }
}

/// A tag's row: the tag, its complaints, and its English name's form.
#[component]
fn TagRow(tag: TagName, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("tag-name-{index}");
    let tag_id = format!("tag-{index}");
    let error_id = format!("tag-name-{index}-error");
    let status_id = format!("tag-name-{index}-status");
    let saved_name = RwSignal::new(tag.name_en.clone().unwrap_or_default());
    let value = RwSignal::new(tag.name_en.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let name = StoredValue::new(tag.tag.clone());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let patch = TagNamePatch {
            name_en: Some(value.get_untracked()),
        };
        if let Err(errors) = patch.check() {
            error.set(errors.into_iter().next().map(|e| e.code));
            return;
        }
        pending.set(true);
        saved.set(false);
        leptos::task::spawn_local(async move {
            let tag = name.get_value();
            match api::analytics::name_tag(&tag, &patch).await {
                Ok(named) => {
                    let name_en = named.name_en.unwrap_or_default();
                    value.set(name_en.clone());
                    saved_name.set(name_en);
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(refusal_code(&e))),
            }
            pending.set(false);
        });
    };
    let changed = move || value.with(|v| v.trim() != saved_name.with(|s| s.trim().to_owned()));
    let described_by = {
        let (error_id, status_id) = (error_id.clone(), status_id.clone());
        move || {
            if error.with(Option::is_some) {
                error_id.clone()
            } else {
                status_id.clone()
            }
        }
    };
    view! {
        <tr>
            <th scope="row" id=tag_id.clone() data-label=move || t_string!(i18n, analytics.tags_col_tag) data-verbatim="">
                {tag.tag.clone()}
            </th>
            <td class="num" data-label=move || t_string!(i18n, analytics.tags_col_complaints)>{tag.complaints}</td>
            <td data-label=move || t_string!(i18n, analytics.tags_col_name_en)>
                <form class="field tag-name-form" class:field-invalid=move || error.with(Option::is_some) on:submit=on_submit>
                    // Named by its column and its row ("English name 服务态度"): the tag is
                    // the helpdesk's word, not the interface's.
                    <input
                        id=input_id.clone()
                        aria-labelledby=format!("tags-col-name-en {tag_id}")
                        type="text"
                        maxlength=TAG_NAME_EN_MAX_CHARS.to_string()
                        autocomplete="off"
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        aria-describedby=described_by
                        prop:value=move || value.get()
                        on:input=move |ev| {
                            value.set(event_target_value(&ev));
                            error.set(None);
                            saved.set(false);
                        }
                    />
                    <button type="submit" class="button button-secondary" disabled=move || pending.get() || !changed()>
                        {tr(i18n, |l| td_string!(l, analytics.tags_save))}
                    </button>
                </form>
                {move || error.with(|e| e.as_deref().map(|e| name_problem(i18n.get_locale(), e))).map(|text| view! {
                    <p id=error_id.clone() class="field-error">{text}</p>
                })}
                <p id=status_id class="field-hint" role="status">
                    {move || saved.get().then(|| td_string!(i18n.get_locale(), analytics.tags_saved))}
                </p>
            </td>
        </tr>
    }
}
