//! Admin analytics (数据分析, `/admin/analytics`): the dashboard a service director opens
//! every morning: one filter bar kept in the address, the KPI cards against the previous
//! period, the charts (trend, dimension ranking, segments, distribution and complaints, agent
//! radar), the agent leaderboard and the suggestion word cloud. A click on a chart element, or
//! a link of its data table, opens the evaluations behind it (`/admin/analytics/evaluations`),
//! each of which opens (`/admin/analytics/evaluations/:number`); the word cloud's extra stop words have their own page (`/admin/analytics/stop-words`), and
//! so do the complaint tags' English names (`/admin/analytics/tags`).

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
pub mod evaluation;
pub mod filter_bar;
pub mod kpis;
pub mod leaderboard;
pub mod panels;
pub mod routes;
pub mod stop_words;
pub mod tag_names;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use pingjia_domain::analytics::DrillFilter;

use crate::api;
use crate::components::page::PageTitle;
use crate::i18n::{td_string, use_i18n};
use crate::locale::tr;

pub use filter_bar::LoadedFilterBar;
use kpis::KpiPanel;
use leaderboard::LeaderboardPanel;
use panels::{
    DimensionPanel, DistributionPanel, RadarPanel, ResponsePanel, SegmentPanel, TrendPanel,
    WordPanel,
};
pub use routes::{
    DASHBOARD_PATH, DRILL_PATH, STOP_WORDS_PATH, csv_href, dashboard_href, drill_from_params,
    drill_href, filter_from_params, page_from_params,
};

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
            <ResponsePanel filter />
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
