//! "My QA" (我的质检, `/agent/qa` and `/lead/qa`): a page at a time (the pages in the address),
//! the rectifications the signed-in agent or team lead owns, what awaits their report first,
//! each open one with its report form (and the inspector's note when it was sent
//! back), and the inspections of their services with dimension scores, score rates, the items
//! found wanting and the highlights.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::qa::{
    MyDimension, MyInspection, MyQa, Rectification, RectificationStatus, TEAM_QA_PATH,
};

use crate::api;
use crate::api::qa::MyQaQuery;
use crate::api::query;
use crate::components::conversation::QuotedLine;
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging, Rows};
use crate::components::page::PageTitle;
use crate::format::{local_time, score_text, whole_percent_text};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::dispute_form::DisputeSection;
use crate::pages::qa::rectifications::RectificationReportForm;
use crate::pages::qa::{RectificationCard, item_result_class, item_result_name};
use crate::session::use_session;

/// The pages of both lists as the address carries them.
pub fn my_query_from_params(params: &ParamsMap) -> MyQaQuery {
    let query: MyQaQuery = query::from_pairs(params.latest_values(), &[]);
    MyQaQuery {
        inspections_page: query.inspections_page.max(1),
        rectifications_page: query.rectifications_page.max(1),
    }
}

/// The page of an agent or team lead.
#[component]
pub fn MyQaPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(my_query_from_params));
    let mine = LocalResource::new(move || api::qa::mine(query.get()));
    // A team lead disputes for their agents from their team's list.
    let lead = use_location().pathname.get_untracked().starts_with("/lead");
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.mine_title)) />
        <h1>{tr(i18n, |l| td_string!(l, qa.mine_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa.mine_intro))}</p>
        {lead.then(|| view! {
            <p>
                <a href=TEAM_QA_PATH data-testid="team-qa-link">
                    {tr(i18n, |l| td_string!(l, qa_disputes.team_home_link))}
                </a>
            </p>
        })}
        <Loaded
            resource=mine
            view=move |data| view! { <MyQaView mine=data query=query.get_untracked() /> }
        />
    }
}

/// The address of this page (`/agent/qa` or `/lead/qa`) at these pages of its lists.
fn mine_href(path: &str, query: MyQaQuery) -> String {
    query::with_query(path, &query::to_query(&query))
}

/// The notice of an empty page of a list: past its end, or nothing at all.
fn empty_notice(total: u64, none: fn(Locale) -> &'static str) -> impl Fn() -> &'static str {
    let i18n = use_i18n();
    move || {
        let locale = i18n.get_locale();
        if total > 0 {
            td_string!(locale, qa.mine_page_empty)
        } else {
            none(locale)
        }
    }
}

/// The loaded page: a page of rectifications (what awaits the caller's report first), then a
/// page of inspections, each with its pager.
#[component]
pub fn MyQaView(
    /// What the caller may see.
    mine: MyQa,
    /// The pages it was loaded at.
    #[prop(optional)]
    query: MyQaQuery,
) -> impl IntoView {
    let i18n = use_i18n();
    let path = use_location().pathname.get_untracked();
    let MyQa {
        inspections,
        inspections_total,
        inspections_page,
        rectifications,
        rectifications_total,
        rectifications_page,
        per_page,
        awaiting_report,
    } = mine;
    let rect_paging = Paging::new(
        rectifications_page,
        per_page,
        rectifications_total,
        rectifications.len(),
    );
    let inspection_paging = Paging::new(
        inspections_page,
        per_page,
        inspections_total,
        inspections.len(),
    );
    let rect_href = {
        let path = path.clone();
        move |n: u64| {
            let page = u32::try_from(n).unwrap_or(1);
            mine_href(
                &path,
                MyQaQuery {
                    rectifications_page: page,
                    ..query
                },
            )
        }
    };
    let inspection_href = move |n: u64| {
        let page = u32::try_from(n).unwrap_or(1);
        mine_href(
            &path,
            MyQaQuery {
                inspections_page: page,
                ..query
            },
        )
    };
    let rect_count = move || {
        td_string!(
            i18n.get_locale(),
            qa.mine_rect_count,
            count = rect_paging.total.to_string(),
            first = rect_paging.first.to_string(),
            last = rect_paging.last.to_string()
        )
    };
    let inspection_count = move || {
        td_string!(
            i18n.get_locale(),
            qa.mine_inspections_count,
            count = inspection_paging.total.to_string(),
            first = inspection_paging.first.to_string(),
            last = inspection_paging.last.to_string()
        )
    };
    let awaiting = (awaiting_report > 0).then(|| {
        view! {
            <p class="notice" data-testid="my-awaiting-report">
                {move || td_string!(i18n.get_locale(), qa.mine_awaiting, count = awaiting_report.to_string())}
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="my-rect-title">
            <h2 id="my-rect-title">{tr(i18n, |l| td_string!(l, qa.mine_rectifications))}</h2>
            {awaiting}
            <PagedList
                paging=rect_paging
                href=rect_href
                count=rect_count.into_any()
                empty=empty_notice(rectifications_total, |l| td_string!(l, qa.mine_no_rectifications)).into_any()
            >
                <ul class="qa-rect-list" data-testid="my-rect-list">
                    {rectifications
                        .into_iter()
                        .map(|r| view! { <li><OwnedRectification rectification=r /></li> })
                        .collect_view()}
                </ul>
            </PagedList>
        </section>
        <section class="panel" aria-labelledby="my-inspections-title">
            <h2 id="my-inspections-title">{tr(i18n, |l| td_string!(l, qa.mine_inspections))}</h2>
            <PagedList
                paging=inspection_paging
                href=inspection_href
                count=inspection_count.into_any()
                empty=empty_notice(inspections_total, |l| td_string!(l, qa.mine_no_inspections)).into_any()
            >
                {inspections
                    .into_iter()
                    .map(|inspection| view! { <MyInspectionCard inspection /> })
                    .collect_view()}
            </PagedList>
        </section>
    }
}

/// A rectification as its owner sees it: with the report form while it is open and theirs.
#[component]
fn OwnedRectification(
    /// The rectification.
    rectification: Rectification,
) -> impl IntoView {
    let session = use_session();
    let current = RwSignal::new(rectification);
    let on_reported = Callback::new(move |updated: Rectification| current.set(updated));
    move || {
        let r = current.get();
        let mine = session.me().is_some_and(|me| me.id == r.owner.id);
        let form = (mine && r.status == RectificationStatus::Open)
            .then(|| view! { <RectificationReportForm rectification=r.clone() on_reported /> });
        view! { <RectificationCard rectification=r>{form}</RectificationCard> }
    }
}

/// One inspection of the caller's service.
#[component]
fn MyInspectionCard(
    /// The inspection.
    inspection: MyInspection,
) -> impl IntoView {
    let i18n = use_i18n();
    let sample = inspection.sample;
    let heading_id = format!("my-inspection-{}", sample.id);
    let labelled_by = heading_id.clone();
    let columns = vec![
        Column::new(
            |l| td_string!(l, qa.dimension),
            move |d: &MyDimension| {
                let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        )
        .row_header(None),
        Column::new(
            |l| td_string!(l, qa.rubric_score),
            |d: &MyDimension| d.score,
        ),
        Column::new(
            |l| td_string!(l, qa.score_rate),
            |d: &MyDimension| whole_percent_text(d.score_rate),
        ),
        Column::new(
            |l| td_string!(l, qa.wanting_items),
            |d: &MyDimension| {
                if d.wanting.is_empty() {
                    "—".to_owned()
                } else {
                    d.wanting.join("；")
                }
            },
        ),
    ];
    let flagged = Rows::default().flag("qa-flagged", |d: &MyDimension| Signal::stored(d.score < 3));
    let quotes = (!inspection.quotes.is_empty()).then(|| {
        let findings = inspection
            .quotes
            .into_iter()
            .map(|q| {
                let (zh, en) = (q.item_name_zh, q.item_name_en);
                let result = q.result;
                let quote = q.quote;
                view! {
                    <li>
                        <span>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</span>
                        " "
                        <span class=item_result_class(result)>{move || item_result_name(i18n.get_locale(), result)}</span>
                        <QuotedLine quote />
                    </li>
                }
            })
            .collect_view();
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa.quoted_findings))}</p>
            <ul class="brief-list" data-testid="my-quoted-findings">{findings}</ul>
        }
    });
    let highlights = inspection.highlights.map(|h| {
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa.highlights))}</p>
            <p class="suggestion-text">{h}</p>
        }
    });
    view! {
        <article class="card qa-my-inspection" aria-labelledby=labelled_by>
            <h3 id=heading_id>
                <span class="mono">{sample.external_id.clone()}</span> " · " {sample.plan_name.clone()}
            </h3>
            <p class="record-meta">
                {tr(i18n, |l| td_string!(l, qa.qa_score))} " " {score_text(sample.qa_score)} " · "
                {local_time(inspection.submitted_at)}
            </p>
            <div class="table-scroll">
                <DataTable
                    class="data-table qa-table"
                    caption=|l| td_string!(l, qa.dimension_scores)
                    columns
                    rows=inspection.dimensions
                    row=flagged
                />
            </div>
            {quotes}
            {highlights}
            <DisputeSection sample_id=sample.id state=inspection.dispute />
        </article>
    }
}
