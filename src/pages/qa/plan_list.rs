//! The inspection plans (`/qa/plans`): a page at a time, those with records the signed-in
//! inspector has still to inspect first (any inspector's for an admin), then newest; by state
//! (all, in progress, finished, each with its count) and inspector, in the address.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::qa::{PlanPage, PlanState};

use crate::api::qa::PlanQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{ListWords, Loaded, PagedList, Paging};
use crate::components::filters::{FilterActions, SelectFilter, submitted_values};
use crate::components::page::PageTitle;
use crate::components::status_tabs::{StatusTabs, state_tabs};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::{NEW_PLAN_PATH, PLANS_PATH, PlanTable};

/// The filters and page of the list as the address carries them.
pub fn plan_query_from_params(params: &ParamsMap) -> PlanQuery {
    let query: PlanQuery = query::from_pairs(params.latest_values(), &[]);
    PlanQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the list with these filters and page (the first page left out).
pub fn plans_href(query: &PlanQuery) -> String {
    paged_href(PLANS_PATH, query, query::Paging::after_first(query.page))
}

/// A state tab's name: 全部, 进行中, 已完成.
pub fn plan_state_name(locale: Locale, state: Option<PlanState>) -> &'static str {
    match state {
        None => td_string!(locale, qa.filter_all),
        Some(PlanState::Active) => td_string!(locale, qa.plan_state_active),
        Some(PlanState::Finished) => td_string!(locale, qa.plan_state_finished),
    }
}

/// Every plan, a page at a time (`/qa/plans`).
#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(plan_query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::qa::plans(&query).await }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.plans_heading)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, qa.plans_heading))}</h1>
            <p class="page-actions">
                <A href=NEW_PLAN_PATH attr:class="button">{tr(i18n, |l| td_string!(l, qa.new_plan))}</A>
            </p>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa.plans_order_note))}</p>
        <StateTabs query list />
        <Filters query list />
        <Loaded
            resource=list
            view=move |page| view! { <PlanItems page query=query.get_untracked() /> }
        />
    }
}

/// The state tabs as links that keep the inspector filter, with their counts once loaded.
#[component]
fn StateTabs(
    /// The filters in the address.
    query: Memo<PlanQuery>,
    /// The list, for the counts.
    list: LocalResource<Result<PlanPage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = state_tabs(
        PlanState::ALL,
        move |state| {
            plans_href(&PlanQuery {
                state,
                page: 1,
                ..query.get()
            })
        },
        plan_state_name,
        move |state| list.get().and_then(Result::ok).map(|p| p.counts.of(state)),
        move || query.with(|q| q.state),
    );
    let label = Signal::derive(move || t_string!(i18n, qa.filter_status).to_owned());
    view! { <StatusTabs tabs label class="qa-filters" /> }
}

/// The inspector filter; the address holds it (and the state).
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<PlanQuery>,
    /// The list, whose answer carries the inspectors to choose from.
    list: LocalResource<Result<PlanPage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    // The last choices answered, kept while the list loads again.
    let choices = RwSignal::new(Vec::new());
    Effect::new(move || {
        if let Some(Ok(page)) = list.get() {
            choices.set(page.inspectors);
        }
    });
    let inspectors = Signal::derive(move || {
        choices.with(|people| {
            people
                .iter()
                .map(|p| (p.id.to_string(), format!("{} {}", p.name, p.no)))
                .collect::<Vec<_>>()
        })
    });
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let wanted = PlanQuery {
            state: query.get_untracked().state,
            inspector_id: value("inspector_id").parse().ok(),
            page: 1,
        };
        navigate(&plans_href(&wanted), Default::default());
    };
    let cleared = move || {
        plans_href(&PlanQuery {
            state: query.get().state,
            ..PlanQuery::default()
        })
    };
    view! {
        <form class="filters" role="search" aria-label=move || t_string!(i18n, qa.plan_filters) on:submit=on_submit>
            <SelectFilter
                id="plan-inspector"
                name="inspector_id"
                label=|l| td_string!(l, qa.inspector)
                all=|l| td_string!(l, qa.all_inspectors)
                options=inspectors
                selected=Signal::derive(move || query.with(|q| q.inspector_id.map(|id| id.to_string()).unwrap_or_default()))
            />
            <FilterActions
                apply=|l| td_string!(l, qa.apply_filters)
                clear=|l| td_string!(l, qa.clear_filters)
                clear_href=Signal::derive(cleared)
                filtered=Signal::derive(move || query.with(PlanQuery::filtered))
            />
        </form>
    }
}

/// One page of the list and the pager.
#[component]
fn PlanItems(
    /// The page as loaded.
    page: PlanPage,
    /// The filters it was loaded with.
    query: PlanQuery,
) -> impl IntoView {
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.plans.len(),
    );
    let filtered = query.filtered() || query.state.is_some();
    let href = move |n: u64| {
        plans_href(&PlanQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let (count, empty) = ListWords {
        count: |l, count, first, last| {
            td_string!(
                l,
                qa.plans_count,
                count = count.to_string(),
                first = first.to_string(),
                last = last.to_string()
            )
            .to_string()
        },
        page_empty: |l| td_string!(l, qa.plans_page_empty),
        filtered: |l| td_string!(l, qa.plans_empty_filtered),
        none: |l| td_string!(l, qa.plans_empty),
    }
    .views(paging, filtered);
    let plans = page.plans;
    view! {
        <PagedList paging href count empty>
            <PlanTable plans />
        </PagedList>
    }
}
