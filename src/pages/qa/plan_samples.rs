//! A plan's sampled records on its page (`/qa/plans/:id`): a page at a time from the server,
//! the signed-in inspector's records still to inspect first, then the others still to inspect,
//! then the inspected ones; by status (with counts), agent and inspector, in the address.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::qa::{SamplePage, SampleStatus};

use crate::api::qa::SampleQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{Loaded, PagedList, Paging};
use crate::components::filters::{FilterActions, SelectFilter, submitted_values};
use crate::components::status_tabs::{StatusTab, StatusTabs};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::{SampleTable, plan_href, sample_status_name};

/// The filters and page of the records as the address carries them.
pub fn sample_query_from_params(params: &ParamsMap) -> SampleQuery {
    let query: SampleQuery = query::from_pairs(params.latest_values(), &[]);
    SampleQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of plan `plan`'s page with these filters and page of its records.
pub fn samples_href(plan: i64, query: &SampleQuery) -> String {
    paged_href(
        &plan_href(plan),
        query,
        query::Paging::after_first(query.page),
    )
}

/// A status tab's name: 全部, 待检查, 已检查.
fn status_name(locale: Locale, status: Option<SampleStatus>) -> &'static str {
    match status {
        None => td_string!(locale, qa.filter_all),
        Some(status) => sample_status_name(locale, status),
    }
}

/// The sampled records of plan `plan_id`, with their tabs, filters and pages.
#[component]
pub fn PlanSamples(
    /// The plan.
    plan_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(sample_query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::qa::plan_samples(plan_id, &query).await }
    });
    view! {
        <p class="field-hint">{tr(i18n, |l| td_string!(l, qa.samples_order_note))}</p>
        <SampleTabs plan_id query list />
        <Filters plan_id query list />
        <Loaded
            resource=list
            view=move |page| view! { <SampleItems plan_id page query=query.get_untracked() /> }
        />
    }
}

/// The status tabs as links that keep the other filters, with their counts once loaded.
#[component]
fn SampleTabs(
    plan_id: i64,
    query: Memo<SampleQuery>,
    list: LocalResource<Result<SamplePage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = std::iter::once(None)
        .chain(SampleStatus::ALL.map(Some))
        .map(|status| StatusTab {
            href: Signal::derive(move || {
                samples_href(
                    plan_id,
                    &SampleQuery {
                        status,
                        page: 1,
                        ..query.get()
                    },
                )
            }),
            label: Signal::derive(move || status_name(i18n.get_locale(), status).to_owned()),
            count: Signal::derive(move || {
                list.get().and_then(Result::ok).map(|p| p.counts.of(status))
            }),
            current: Signal::derive(move || query.with(|q| q.status == status)),
        })
        .collect();
    let label = Signal::derive(move || t_string!(i18n, qa.filter_status).to_owned());
    view! { <StatusTabs tabs label class="qa-filters" /> }
}

/// The agent and inspector filters; the address holds them (and the status).
#[component]
fn Filters(
    plan_id: i64,
    query: Memo<SampleQuery>,
    list: LocalResource<Result<SamplePage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    // The last choices answered, kept while the list loads again.
    let choices = RwSignal::new((Vec::new(), Vec::new()));
    Effect::new(move || {
        if let Some(Ok(page)) = list.get() {
            choices.set((page.agents, page.inspectors));
        }
    });
    let options = |pick: fn(&(Vec<_>, Vec<_>)) -> &Vec<pingjia_domain::qa::Person>| {
        Signal::derive(move || {
            choices.with(|c| {
                pick(c)
                    .iter()
                    .map(|p| (p.id.to_string(), format!("{} {}", p.name, p.no)))
                    .collect::<Vec<_>>()
            })
        })
    };
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let wanted = SampleQuery {
            status: query.get_untracked().status,
            agent_id: value("agent_id").parse().ok(),
            inspector_id: value("inspector_id").parse().ok(),
            page: 1,
        };
        navigate(&samples_href(plan_id, &wanted), Default::default());
    };
    let cleared = move || {
        samples_href(
            plan_id,
            &SampleQuery {
                status: query.get().status,
                ..SampleQuery::default()
            },
        )
    };
    let chosen = |id: fn(&SampleQuery) -> Option<i64>| {
        Signal::derive(move || query.with(|q| id(q).map(|id| id.to_string()).unwrap_or_default()))
    };
    view! {
        <form class="filters" role="search" aria-label=move || t_string!(i18n, qa.sample_filters) on:submit=on_submit>
            <SelectFilter
                id="sample-agent"
                name="agent_id"
                label=|l| td_string!(l, qa.agent)
                all=|l| td_string!(l, qa.all_agents)
                options=options(|c| &c.0)
                selected=chosen(|q| q.agent_id)
            />
            <SelectFilter
                id="sample-inspector"
                name="inspector_id"
                label=|l| td_string!(l, qa.inspector)
                all=|l| td_string!(l, qa.all_inspectors)
                options=options(|c| &c.1)
                selected=chosen(|q| q.inspector_id)
            />
            <FilterActions
                apply=|l| td_string!(l, qa.apply_filters)
                clear=|l| td_string!(l, qa.clear_filters)
                clear_href=Signal::derive(cleared)
                filtered=Signal::derive(move || query.with(SampleQuery::filtered))
            />
        </form>
    }
}

/// One page of the records and the pager.
#[component]
fn SampleItems(plan_id: i64, page: SamplePage, query: SampleQuery) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.samples.len(),
    );
    let Paging {
        total, first, last, ..
    } = paging;
    let filtered = query.filtered() || query.status.is_some();
    let empty = move || {
        let locale = i18n.get_locale();
        if total > 0 {
            td_string!(locale, qa.samples_page_empty)
        } else if filtered {
            td_string!(locale, qa.samples_empty_filtered)
        } else {
            td_string!(locale, qa.samples_none)
        }
    };
    let href = move |n: u64| {
        samples_href(
            plan_id,
            &SampleQuery {
                page: u32::try_from(n).unwrap_or(1),
                ..query.clone()
            },
        )
    };
    let count = move || {
        td_string!(
            i18n.get_locale(),
            qa.samples_count,
            count = total.to_string(),
            first = first.to_string(),
            last = last.to_string()
        )
    };
    let samples = page.samples;
    view! {
        <PagedList paging href count=count.into_any() empty=empty.into_any()>
            <SampleTable samples caption=Signal::derive(move || t_string!(i18n, qa.samples_heading).to_owned()) />
        </PagedList>
    }
}
