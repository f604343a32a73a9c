//! "My QA" (我的质检, `/agent/qa` and `/lead/qa`): the rectifications the signed-in agent or team
//! lead owns, each open one with its report form (and the inspector's note when it was sent
//! back), and the inspections of their services with dimension scores, score rates, the items
//! found wanting and the highlights.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::qa::{MyDimension, MyInspection, MyQa, Rectification, RectificationStatus};

use crate::api;
use crate::components::data_table::{Column, DataTable, Loaded, Rows};
use crate::components::page::PageTitle;
use crate::format::{local_time, score_text, whole_percent_text};
use crate::i18n::{t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::RectificationCard;
use crate::pages::qa::rectifications::RectificationReportForm;
use crate::session::use_session;

/// The page of an agent or team lead.
#[component]
pub fn MyQaPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = LocalResource::new(api::qa::mine);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.mine_title)) />
        <h1>{tr(i18n, |l| td_string!(l, qa.mine_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa.mine_intro))}</p>
        <Loaded
            resource=mine
            view=move |data| view! { <MyQaView mine=data /> }
        />
    }
}

/// The loaded page: rectifications, then inspections.
#[component]
pub fn MyQaView(
    /// What the caller may see.
    mine: MyQa,
) -> impl IntoView {
    let i18n = use_i18n();
    let MyQa {
        inspections,
        rectifications,
    } = mine;
    let rect_views = if rectifications.is_empty() {
        Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.mine_no_rectifications))}</p>
        })
    } else {
        Either::Right(view! {
            <ul class="qa-rect-list">
                {rectifications
                    .into_iter()
                    .map(|r| view! { <li><OwnedRectification rectification=r /></li> })
                    .collect_view()}
            </ul>
        })
    };
    let inspection_views = if inspections.is_empty() {
        Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.mine_no_inspections))}</p>
        })
    } else {
        Either::Right(
            inspections
                .into_iter()
                .map(|inspection| view! { <MyInspectionCard inspection /> })
                .collect_view(),
        )
    };
    view! {
        <section class="panel" aria-labelledby="my-rect-title">
            <h2 id="my-rect-title">{tr(i18n, |l| td_string!(l, qa.mine_rectifications))}</h2>
            {rect_views}
        </section>
        <section class="panel" aria-labelledby="my-inspections-title">
            <h2 id="my-inspections-title">{tr(i18n, |l| td_string!(l, qa.mine_inspections))}</h2>
            {inspection_views}
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
            {highlights}
        </article>
    }
}
