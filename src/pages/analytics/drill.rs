//! The drill-down list (`/admin/analytics/evaluations`): the evaluations behind a chart
//! element (the filter bar's query plus the clicked element), paged, newest first, with a way
//! back to the dashboard that keeps the filters and the CSV of every matching row. Customers'
//! suggestions are text, never markup.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use pingjia_domain::analytics::{
    AnalyticsEvaluation, AnalyticsEvaluationPage, AnalyticsFilter, DEFAULT_PER_PAGE, DrillFilter,
    Sentiment,
};

use super::filter_bar::LoadedFilterBar;
use super::routes::{
    csv_href, dashboard_href, drill_from_params, drill_href, evaluation_href, filter_from_params,
    page_from_params,
};
use crate::api;
use crate::components::data_table::Loaded;
use crate::components::page::PageTitle;
use crate::components::pager::Pager;
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::rule_name;
use crate::labels::{channel_name, customer_type_name, in_language, lang};
use crate::locale::tr;
use pingjia_domain::users::team_name_in;

/// The narrowing of a drill-down in words, one line per clicked element's part; `dimension`
/// names a dimension code (from the listed evaluations, else the code itself).
pub fn drill_words(
    locale: Locale,
    drill: &DrillFilter,
    dimension: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(code) = &drill.dimension {
        lines.push(td_string!(
            locale,
            analytics.drill_dimension,
            dimension = dimension(code)
        ));
        if let Some(score) = drill.score {
            lines.push(td_string!(
                locale,
                analytics.drill_score,
                score = score.to_string()
            ));
        }
    }
    if let Some(overall) = drill.overall {
        lines.push(td_string!(
            locale,
            analytics.drill_overall,
            overall = overall.to_string()
        ));
    }
    if let Some(tag) = &drill.complaint_tag {
        let name = if tag.is_empty() {
            td_string!(locale, analytics.untagged).to_owned()
        } else {
            tag.clone()
        };
        lines.push(td_string!(locale, analytics.drill_tag, tag = &name));
    }
    if let Some(word) = &drill.word {
        let part = match drill.sentiment {
            Some(Sentiment::Praise) => td_string!(locale, analytics.drill_in_praise),
            Some(Sentiment::Complaints) => td_string!(locale, analytics.drill_in_complaints),
            None => "",
        };
        lines.push(format!(
            "{}{part}",
            td_string!(locale, analytics.drill_word, word = word)
        ));
    }
    lines
}

/// An evaluation's status in words.
pub fn status_words(locale: Locale, status: &str) -> String {
    match status {
        "active" => td_string!(locale, analytics.status_active).to_owned(),
        "under_review" => td_string!(locale, analytics.status_under_review).to_owned(),
        other => other.to_owned(),
    }
}

/// The drill-down page: filter bar, what the list is narrowed to, the way back, the CSV and
/// the list.
#[component]
pub fn AnalyticsDrillPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(filter_from_params));
    let drill = Memo::new(move |_| query.with(drill_from_params));
    let page = Memo::new(move |_| query.with(page_from_params));
    let options = LocalResource::new(api::analytics::options);
    let list = LocalResource::new(move || {
        let (filter, drill, page) = (filter.get(), drill.get(), page.get());
        async move { api::analytics::evaluations(&filter, &drill, page, DEFAULT_PER_PAGE).await }
    });
    let csv = csv_href(filter.into(), drill.into());
    let back = move || dashboard_href(&filter.get());
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), analytics.drill_title)) />
        <p class="breadcrumb">
            <A href=back>{tr(i18n, |l| td_string!(l, analytics.back))}</A>
        </p>
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, analytics.drill_title))}</h1>
            <p class="page-actions">
                <a class="button button-secondary" href=move || csv.get() download="">
                    {tr(i18n, |l| td_string!(l, analytics.export_csv))}
                </a>
            </p>
        </div>
        <LoadedFilterBar options />
        <Loaded
            resource=list
            view=move |loaded| view! {
                        <DrillList page=loaded filter=filter.get_untracked() drill=drill.get_untracked() />
                    }
        />
    }
}

/// One loaded page of the drill-down: what it is narrowed to, the count, the table and the
/// paging.
#[component]
pub fn DrillList(
    /// The page as loaded.
    page: AnalyticsEvaluationPage,
    /// The filter it was loaded with.
    filter: AnalyticsFilter,
    /// The clicked element it was loaded with.
    drill: DrillFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    let names: Vec<(String, String, String)> = page
        .evaluations
        .iter()
        .flat_map(|e| e.scores.iter())
        .map(|s| (s.dimension.clone(), s.name_zh.clone(), s.name_en.clone()))
        .collect();
    let narrowed = {
        let drill = drill.clone();
        move || {
            let locale = i18n.get_locale();
            drill_words(locale, &drill, |code| {
                names.iter().find(|(c, _, _)| c == code).map_or_else(
                    || code.to_owned(),
                    |(_, zh, en)| in_language(locale, zh, en).to_owned(),
                )
            })
        }
    };
    let drilled = drill != DrillFilter::default();
    let everything = drill_href(&filter, &DrillFilter::default(), 1);
    let total = page.total;
    let per_page = u64::from(page.per_page.max(1));
    let pages = total.div_ceil(per_page).max(1);
    let current = u64::from(page.page.max(1));
    let first = (current - 1) * per_page + 1;
    let last = (first + page.evaluations.len() as u64).saturating_sub(1);
    let href_of = {
        let (filter, drill) = (filter.clone(), drill.clone());
        move |p: u64| drill_href(&filter, &drill, u32::try_from(p).unwrap_or(1))
    };
    let previous = (current > 1).then(|| href_of(current - 1));
    let next = (current < pages).then(|| href_of(current + 1));
    let narrowing = drilled.then(|| {
        view! {
            <section class="drill-narrowed" aria-labelledby="drill-narrowed-title">
                <h2 id="drill-narrowed-title">{tr(i18n, |l| td_string!(l, analytics.drill_narrowed))}</h2>
                <ul class="chips">
                    {move || narrowed().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
                <A href=everything>{tr(i18n, |l| td_string!(l, analytics.clear_drill))}</A>
            </section>
        }
    });
    if page.evaluations.is_empty() {
        let text = move || {
            let locale = i18n.get_locale();
            if total > 0 {
                td_string!(locale, analytics.page_empty)
            } else {
                td_string!(locale, analytics.list_empty)
            }
        };
        return Either::Left(view! {
            {narrowing}
            <p class="notice notice-empty">{text}</p>
        });
    }
    let count = move || {
        td_string!(
            i18n.get_locale(),
            analytics.list_count,
            total = total.to_string(),
            first = first.to_string(),
            last = last.to_string()
        )
    };
    let rows = page
        .evaluations
        .into_iter()
        .map(|evaluation| {
            let href = evaluation_href(
                &evaluation.number,
                &filter,
                &drill,
                u32::try_from(current).unwrap_or(1),
            );
            view! { <DrillRow evaluation href /> }
        })
        .collect_view();
    Either::Right(view! {
        {narrowing}
        <p class="list-count">{count}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="drill-caption">
            <table class="data-table drill-table">
                <caption id="drill-caption">{tr(i18n, |l| td_string!(l, analytics.list_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">
                            {tr(i18n, |l| td_string!(l, analytics.col_number))}
                            <span class="th-sub">{tr(i18n, |l| td_string!(l, analytics.col_time))}</span>
                        </th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.col_agent))}</th>
                        <th scope="col">
                            {tr(i18n, |l| td_string!(l, analytics.col_type))}
                            <span class="th-sub">
                                {tr(i18n, |l| td_string!(l, analytics.channel))} " · "
                                {tr(i18n, |l| td_string!(l, analytics.customer_type))}
                            </span>
                        </th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_total))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_overall))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.col_suggestion))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.col_flags))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.col_status))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager previous next page=current pages />
    })
}

/// One evaluation of the list, its number a link to its page. The suggestion is a text node.
#[component]
fn DrillRow(
    evaluation: AnalyticsEvaluation,
    /// The evaluation's page.
    href: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |text: fn(Locale) -> &'static str| move || text(i18n.get_locale());
    let AnalyticsEvaluation {
        number,
        submitted_at,
        agent_no,
        agent_name,
        team_name,
        team_name_en,
        service_type_name_zh,
        service_type_name_en,
        channel,
        customer_type,
        total_score,
        overall,
        suggestion,
        flags,
        status,
        ..
    } = evaluation;
    let agent = move || match &team_name {
        Some(team) => {
            let team = team_name_in(lang(i18n.get_locale()), team, team_name_en.as_deref());
            format!("{agent_name} {agent_no} · {team}")
        }
        None => format!("{agent_name} {agent_no}"),
    };
    let flags_text = move || {
        let locale = i18n.get_locale();
        if flags.is_empty() {
            td_string!(locale, analytics.no_flags).to_owned()
        } else {
            flags
                .iter()
                .map(|rule| rule_name(locale, *rule))
                .collect::<Vec<_>>()
                .join(td_string!(locale, analytics.list_separator))
        }
    };
    let suggestion = match suggestion.filter(|s| !s.trim().is_empty()) {
        Some(text) => Either::Left(view! { <span class="suggestion-text">{text}</span> }),
        None => Either::Right(view! {
            <span class="muted">{label(|l| td_string!(l, analytics.no_suggestion))}</span>
        }),
    };
    view! {
        <tr>
            <th scope="row" class="drill-number" data-label=label(|l| td_string!(l, analytics.col_number))>
                <A href=href attr:class="mono drill-open">{number}</A>
                <span class="td-sub">{local_time(submitted_at)}</span>
            </th>
            <td data-label=label(|l| td_string!(l, analytics.col_agent))>{agent}</td>
            <td data-label=label(|l| td_string!(l, analytics.col_type))>
                {move || in_language(i18n.get_locale(), &service_type_name_zh, &service_type_name_en).to_owned()}
                <span class="td-sub">
                    {move || channel_name(i18n.get_locale(), channel)} " · "
                    {move || match customer_type {
                        Some(kind) => customer_type_name(i18n.get_locale(), kind),
                        None => td_string!(i18n.get_locale(), analytics.unknown_customer_type),
                    }}
                </span>
            </td>
            <td class="num" data-label=label(|l| td_string!(l, analytics.col_total))>{format!("{total_score:.1}")}</td>
            <td class="num" data-label=label(|l| td_string!(l, analytics.col_overall))>{overall}</td>
            <td class="drill-suggestion" data-label=label(|l| td_string!(l, analytics.col_suggestion))>{suggestion}</td>
            <td data-label=label(|l| td_string!(l, analytics.col_flags))>{flags_text}</td>
            <td data-label=label(|l| td_string!(l, analytics.col_status))>
                {move || status_words(i18n.get_locale(), &status)}
            </td>
        </tr>
    }
}
