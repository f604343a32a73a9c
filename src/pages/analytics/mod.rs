//! Admin analytics (数据分析, `/admin/analytics`): the dashboard a service director opens
//! every morning: one filter bar kept in the address, the KPI cards against the previous
//! period, the charts (trend, dimension ranking, segments, distribution and complaints, agent
//! radar), the agent leaderboard and the suggestion word cloud. A click on a chart element, or
//! a link of its data table, opens the evaluations behind it (`/admin/analytics/evaluations`);
//! the word cloud's extra stop words have their own page (`/admin/analytics/stop-words`).

/// A report's states: loading (the first time), updating (after a filter change, the last
/// report stays), failed (with a retry) and loaded (`$view` with the report as `$report`).
macro_rules! loaded {
    ($resource:ident, |$report:ident| $view:expr) => {{
        let i18n = $crate::i18n::use_i18n();
        let pending = RwSignal::new(false);
        view! {
            <div class="report-body" aria-busy=move || pending.get().to_string()>
                <p class="status report-updating" role="status">
                    {move || {
                        pending
                            .get()
                            .then(|| $crate::i18n::td_string!(i18n.get_locale(), analytics.updating))
                    }}
                </p>
                <Transition fallback=Loading set_pending=pending.write_only()>
                    {move || Suspend::new(async move {
                        match $resource.await {
                            Ok($report) => Either::Left($view),
                            Err(error) => Either::Right(view! {
                                <ErrorPanel error on_retry=Callback::new(move |()| $resource.refetch()) />
                            }),
                        }
                    })}
                </Transition>
            </div>
        }
    }};
}

pub mod drill;
pub mod filter_bar;
pub mod kpis;
pub mod leaderboard;
pub mod panels;
pub mod stop_words;

use chrono::NaiveDate;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use pingjia_domain::analytics::{AnalyticsFilter, AnalyticsOptions, DrillFilter, Sentiment};
use pingjia_domain::wire::{Channel, CustomerType};

use crate::api::analytics::with_query;
use crate::api::{self, ApiError, DEFAULT_API_BASE};
use crate::components::error_panel::ErrorPanel;
use crate::components::page::PageTitle;
use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

use crate::components::loading::Loading;
use filter_bar::FilterBar;
use kpis::KpiPanel;
use leaderboard::LeaderboardPanel;
use panels::{DimensionPanel, DistributionPanel, RadarPanel, SegmentPanel, TrendPanel, WordPanel};

/// Where the dashboard lives.
pub const DASHBOARD_PATH: &str = "/admin/analytics";
/// Where the drill-down list lives.
pub const DRILL_PATH: &str = "/admin/analytics/evaluations";
/// Where the word cloud's stop words are managed.
pub const STOP_WORDS_PATH: &str = "/admin/analytics/stop-words";

/// The filter bar as the address carries it; anything unreadable is left out (all).
pub fn filter_from_params(params: &ParamsMap) -> AnalyticsFilter {
    let text = |key: &str| {
        params
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let day = |key: &str| text(key).and_then(|d| d.parse::<NaiveDate>().ok());
    AnalyticsFilter {
        from: day("from"),
        to: day("to"),
        team: text("team").and_then(|t| t.parse().ok()),
        agent: text("agent"),
        service_type: text("service_type"),
        channel: text("channel").and_then(|c| Channel::parse(&c)),
        customer_type: text("customer_type").and_then(|c| CustomerType::parse(&c)),
    }
}

/// The clicked element of a drill-down as the address carries it.
pub fn drill_from_params(params: &ParamsMap) -> DrillFilter {
    let text = |key: &str| {
        params
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    DrillFilter {
        dimension: text("dimension"),
        score: text("score").and_then(|s| s.parse().ok()),
        overall: text("overall").and_then(|s| s.parse().ok()),
        // "" is a tag of its own: the complaints without one.
        complaint_tag: params.get("complaint_tag").map(|t| t.trim().to_owned()),
        word: text("word"),
        sentiment: text("sentiment").and_then(|s| Sentiment::parse(&s)),
    }
}

/// The page of the drill-down list in the address (from 1).
pub fn page_from_params(params: &ParamsMap) -> u32 {
    params
        .get("page")
        .and_then(|p| p.parse().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// The dashboard's address with this filter.
pub fn dashboard_href(filter: &AnalyticsFilter) -> String {
    with_query(DASHBOARD_PATH, filter, &DrillFilter::default(), &[])
}

/// The drill-down list's address: the filter, the clicked element and the page (the first
/// page left out).
pub fn drill_href(filter: &AnalyticsFilter, drill: &DrillFilter, page: u32) -> String {
    let extra: Vec<(&str, String)> = if page > 1 {
        vec![("page", page.to_string())]
    } else {
        Vec::new()
    };
    with_query(DRILL_PATH, filter, drill, &extra)
}

/// The dashboard page.
#[component]
pub fn AnalyticsDashboard() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_params));
    let options = LocalResource::new(api::analytics::options);
    let loaded = Signal::derive(move || options.get().and_then(Result::ok));
    let agents = LocalResource::new(move || {
        let filter = filter.get();
        async move { api::analytics::agents(&filter).await }
    });
    let csv = csv_href(filter.into(), Signal::stored(DrillFilter::default()));
    let all_href = move || drill_href(&filter.get(), &DrillFilter::default(), 1);
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), analytics.title)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, analytics.title))}</h1>
            <p class="page-actions">
                <A href=all_href attr:class="button button-secondary">
                    {tr(i18n, |l| td_string!(l, analytics.all_evaluations))}
                </A>
                <a class="button button-secondary" href=move || csv.get() download="">
                    {tr(i18n, |l| td_string!(l, analytics.export_csv))}
                </a>
            </p>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, analytics.intro))}</p>
        <LoadedFilterBar options />
        <div class="analytics-grid">
            <KpiPanel filter options=loaded />
            <TrendPanel filter />
            <DimensionPanel filter />
            <SegmentPanel filter />
            <DistributionPanel filter options=loaded />
            <LeaderboardPanel filter report=agents />
            <RadarPanel filter report=agents />
            <WordPanel filter options=loaded />
        </div>
    }
}

/// The CSV address of the filtered (and drilled) evaluations, under the configured API base
/// once it is known.
pub fn csv_href(filter: Signal<AnalyticsFilter>, drill: Signal<DrillFilter>) -> RwSignal<String> {
    let csv = RwSignal::new(String::new());
    Effect::new(move || {
        let (wanted, drilled) = (filter.get(), drill.get());
        csv.set(api::analytics::evaluations_csv_url(
            DEFAULT_API_BASE,
            &wanted,
            &drilled,
        ));
        leptos::task::spawn_local(async move {
            let href = api::analytics::evaluations_csv_href(&wanted, &drilled).await;
            csv.try_set(href);
        });
    });
    csv
}

/// The filter bar once its choices are loaded, with the loading and error states.
#[component]
pub fn LoadedFilterBar(
    /// The choices of the filter bar, loading.
    options: LocalResource<Result<AnalyticsOptions, ApiError>>,
) -> impl IntoView {
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match options.await {
                    Ok(options) => Either::Left(view! { <FilterBar options /> }),
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| options.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}
