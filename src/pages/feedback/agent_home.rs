//! The agent's home (`/agent`, 我的服务反馈): their figures for a period beside the team's,
//! the trend of their mean total score against the team's (by day, week or month), the
//! distribution of their overall scores and a radar of their dimensions against the team's.
//! The period and the granularity are in the address.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use pingjia_domain::analytics::Granularity;
use pingjia_domain::feedback::{AgentSummary, Figures};

use super::coaching_list::CoachingGlance;
use super::period_bar::PeriodBar;
use super::{
    AGENT_HOME_PATH, Area, FEEDBACK_PATH, PeriodChoice, granularity_from_params, href_with,
    summary_query, today,
};
use crate::api;
use crate::charts::dimension_name;
use crate::charts::feedback::{
    AxisLabels, FeedbackChartText, distribution_chart, distribution_is_empty, radar_chart,
    radar_is_empty, trend_chart, trend_is_empty,
};
use crate::components::data_table::Loaded;
use crate::components::echart::{ChartOption, EChart};
use crate::components::page::Greeting;
use crate::components::page::PageTitle;
use crate::format::{percent_text, period_words, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::team_name;
use crate::locale::tr;

/// The agent's home.
#[component]
pub fn AgentHome() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let choice = Memo::new(move |_| query.with(PeriodChoice::from_params));
    let granularity = Memo::new(move |_| query.with(granularity_from_params));
    let today = today();
    let summary = LocalResource::new(move || {
        let wanted = summary_query(choice.get(), Some(granularity.get()), today);
        async move { api::feedback::summary(&wanted).await }
    });
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), homes.agent_title)) />
        <h1>{tr(i18n, |l| td_string!(l, homes.agent_title))}</h1>
        <Greeting />
        <CoachingGlance />
        <PeriodBar path=AGENT_HOME_PATH id="agent-period" keep=&["granularity"] />
        <Loaded
            resource=summary
            view=move |summary| view! { <SummaryView summary /> }
        />
    }
}

/// The series names and the period of the charts.
fn chart_text(
    locale: Locale,
    summary: &AgentSummary,
    title: &str,
    unit: &str,
) -> FeedbackChartText {
    FeedbackChartText {
        title: title.to_owned(),
        subtitle: format!("{} · {unit}", period_words(locale, summary.period)),
        mine: td_string!(locale, feedback.series_mine).to_owned(),
        team: team_series(locale, summary),
    }
}

/// The team's series and column: "华东一组平均" with the team's name in the interface language,
/// "团队平均" without a team.
fn team_series(locale: Locale, summary: &AgentSummary) -> String {
    summary.team_name.as_deref().map_or_else(
        || td_string!(locale, feedback.series_team).to_owned(),
        |zh| {
            let team = team_name(locale, zh, summary.team_name_en.as_deref());
            td_string!(locale, feedback.series_team_named, team = team)
        },
    )
}

/// The granularity's name.
fn granularity_name(locale: Locale, granularity: Granularity) -> &'static str {
    match granularity {
        Granularity::Day => td_string!(locale, feedback.granularity_day),
        Granularity::Week => td_string!(locale, feedback.granularity_week),
        Granularity::Month => td_string!(locale, feedback.granularity_month),
    }
}

/// The agent's summary: what awaits them, their figures beside the team's, and the charts.
#[component]
pub fn SummaryView(
    /// The server's summary.
    summary: AgentSummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let unread = summary.unread;
    let (open_plans, overdue_plans) = (summary.open_plans, summary.overdue_plans);
    let summary = StoredValue::new(summary);
    let waiting = view! {
        <ul class="fb-glance" data-testid="agent-glance">
            <li>
                <A href=format!("{FEEDBACK_PATH}?unread=true")>
                    <strong>{unread}</strong>
                    " "
                    {tr(i18n, |l| td_string!(l, feedback.glance_unread))}
                </A>
            </li>
            <li>
                <A href=Area::Agent.plans_path()>
                    <strong>{open_plans}</strong>
                    " "
                    {tr(i18n, |l| td_string!(l, feedback.glance_open_plans))}
                </A>
            </li>
            <li class:fb-glance-alert=(overdue_plans > 0)>
                <A href=format!("{}?overdue=true", Area::Agent.plans_path())>
                    <strong>{overdue_plans}</strong>
                    " "
                    {tr(i18n, |l| td_string!(l, feedback.glance_overdue_plans))}
                </A>
            </li>
        </ul>
    };
    view! {
        {waiting}
        <FiguresTable summary=summary.get_value() />
        <div class="fb-charts">
            <TrendPanel summary />
            <DistributionPanel summary />
            <RadarPanel summary />
        </div>
    }
}

/// The agent's figures beside the team's: count, means, attainment and each dimension.
#[component]
fn FiguresTable(
    /// The server's summary.
    summary: AgentSummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let period = summary.period;
    let team_heading = {
        let summary = summary.clone();
        move || team_series(i18n.get_locale(), &summary)
    };
    let no_team = summary.team.is_none();
    let team = summary.team.clone().unwrap_or_default();
    let mine = summary.mine.clone();
    let team_figure = move |text: String| if no_team { "—".to_owned() } else { text };
    let row = |label: AnyView, mine: String, team: String, testid: String| {
        view! {
            <tr data-testid=testid>
                <th scope="row">{label}</th>
                <td data-label=move || td_string!(i18n.get_locale(), feedback.series_mine)>{mine}</td>
                <td data-label=move || td_string!(i18n.get_locale(), feedback.series_team)>{team}</td>
            </tr>
        }
    };
    let figure_rows = |mine: &Figures, team: &Figures| {
        vec![
            row(
                tr(i18n, |l| td_string!(l, feedback.figure_count)).into_any(),
                mine.count.to_string(),
                team_figure(team.count.to_string()),
                "figure-count".to_owned(),
            ),
            row(
                tr(i18n, |l| td_string!(l, feedback.figure_total)).into_any(),
                score_text(mine.average_total),
                team_figure(score_text(team.average_total)),
                "figure-total".to_owned(),
            ),
            row(
                tr(i18n, |l| td_string!(l, feedback.figure_overall)).into_any(),
                score_text(mine.average_overall),
                team_figure(score_text(team.average_overall)),
                "figure-overall".to_owned(),
            ),
            row(
                tr(i18n, |l| td_string!(l, feedback.figure_attainment)).into_any(),
                percent_text(mine.attainment_rate),
                team_figure(percent_text(team.attainment_rate)),
                "figure-attainment".to_owned(),
            ),
        ]
    };
    let mut rows = figure_rows(&mine, &team);
    for (i, dimension) in summary.dimensions.iter().enumerate() {
        let dimension = dimension.clone();
        let code = dimension.code.clone();
        let mean = |f: &Figures| f.dimensions.get(i).copied().flatten();
        rows.push(row(
            (move || dimension_name(i18n.get_locale(), &dimension)).into_any(),
            score_text(mean(&mine)),
            team_figure(score_text(mean(&team))),
            format!("figure-dimension-{code}"),
        ));
    }
    view! {
        <section class="panel" aria-labelledby="agent-figures-title">
            <h2 id="agent-figures-title">{tr(i18n, |l| td_string!(l, feedback.figures_heading))}</h2>
            <p class="field-hint">{move || period_words(i18n.get_locale(), period)}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="agent-figures-title">
                <table class="data-table fb-figures" data-testid="agent-figures">
                    <caption class="visually-hidden">
                        {tr(i18n, |l| td_string!(l, feedback.figures_heading))}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, feedback.figure))}</th>
                            <th scope="col">{tr(i18n, |l| td_string!(l, feedback.series_mine))}</th>
                            <th scope="col">{team_heading}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {no_team.then(|| view! {
                <p class="field-hint">{tr(i18n, |l| td_string!(l, feedback.no_team))}</p>
            })}
            <p class="field-hint">{tr(i18n, |l| td_string!(l, feedback.figures_units))}</p>
        </section>
    }
}

/// The trend with its day / week / month switch.
#[component]
fn TrendPanel(
    /// The server's summary.
    summary: StoredValue<AgentSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let current = summary.with_value(|s| s.granularity);
    let switch = Granularity::ALL
        .into_iter()
        .map(|granularity| {
            let navigate = navigate.clone();
            view! {
                <button
                    type="button"
                    class="button button-secondary button-small switch-option"
                    aria-pressed=(granularity == current).to_string()
                    on:click=move |_| {
                        let mut pairs = query.with_untracked(PeriodChoice::from_params).params();
                        pairs.push(("granularity", granularity.as_str().to_owned()));
                        navigate(
                            &href_with(AGENT_HOME_PATH, &pairs),
                            NavigateOptions { scroll: false, ..NavigateOptions::default() },
                        );
                    }
                >
                    {move || granularity_name(i18n.get_locale(), granularity)}
                </button>
            }
        })
        .collect_view();
    let empty = summary.with_value(trend_is_empty);
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        summary.with_value(|s| {
            let labels = AxisLabels {
                text: chart_text(
                    locale,
                    s,
                    td_string!(locale, feedback.trend_title),
                    td_string!(locale, feedback.unit_total),
                ),
                x_axis: granularity_name(locale, s.granularity).to_owned(),
                y_axis: td_string!(locale, feedback.axis_total).to_owned(),
            };
            ChartOption::from(trend_chart(s, &labels))
        })
    });
    view! {
        <section class="panel fb-chart-panel fb-wide" aria-labelledby="agent-trend-title">
            <h2 id="agent-trend-title">{tr(i18n, |l| td_string!(l, feedback.trend_title))}</h2>
            <div class="preset-group" role="group" aria-label=move || td_string!(i18n.get_locale(), feedback.granularity)>
                {switch}
            </div>
            {if empty {
                Either::Left(view! {
                    <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.chart_empty))}</p>
                })
            } else {
                Either::Right(view! {
                    <EChart option label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.trend_title).to_owned()) />
                })
            }}
        </section>
    }
}

/// The distribution of the agent's overall scores, 1-10.
#[component]
fn DistributionPanel(
    /// The server's summary.
    summary: StoredValue<AgentSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = summary.with_value(|s| distribution_is_empty(&s.distribution));
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        summary.with_value(|s| {
            let mut text = chart_text(
                locale,
                s,
                td_string!(locale, feedback.distribution_title),
                td_string!(locale, feedback.unit_count),
            );
            text.mine = td_string!(locale, feedback.series_count).to_owned();
            let labels = AxisLabels {
                text,
                x_axis: td_string!(locale, feedback.axis_overall).to_owned(),
                y_axis: td_string!(locale, feedback.axis_count).to_owned(),
            };
            ChartOption::from(distribution_chart(&s.distribution, &labels))
        })
    });
    view! {
        <section class="panel fb-chart-panel" aria-labelledby="agent-distribution-title">
            <h2 id="agent-distribution-title">{tr(i18n, |l| td_string!(l, feedback.distribution_title))}</h2>
            {if empty {
                Either::Left(view! {
                    <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.chart_empty))}</p>
                })
            } else {
                Either::Right(view! {
                    <EChart option label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.distribution_title).to_owned()) />
                })
            }}
        </section>
    }
}

/// The agent's dimensions against the team's.
#[component]
fn RadarPanel(
    /// The server's summary.
    summary: StoredValue<AgentSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let empty = summary.with_value(|s| radar_is_empty(&s.dimensions, &s.mine));
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        summary.with_value(|s| {
            let text = chart_text(
                locale,
                s,
                td_string!(locale, feedback.radar_title),
                td_string!(locale, feedback.unit_dimension),
            );
            ChartOption::from(radar_chart(
                &s.dimensions,
                &s.mine,
                s.team.as_ref(),
                locale,
                &text,
            ))
        })
    });
    view! {
        <section class="panel fb-chart-panel" aria-labelledby="agent-radar-title">
            <h2 id="agent-radar-title">{tr(i18n, |l| td_string!(l, feedback.radar_title))}</h2>
            {if empty {
                Either::Left(view! {
                    <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.chart_empty))}</p>
                })
            } else {
                Either::Right(view! {
                    <EChart option label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.radar_title).to_owned()) />
                })
            }}
        </section>
    }
}
