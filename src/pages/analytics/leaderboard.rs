//! The agent leaderboard: a table of the agents of the filter, sortable by each figure (the
//! column headers are buttons, the sorted one says so with `aria-sort`); each agent links to
//! their evaluations.

use std::cmp::Ordering;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::analytics::{AgentReport, AgentStat, AnalyticsFilter, DrillFilter};

use super::routes::drill_href;
use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::format::{percent_text, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::lang;
use crate::locale::tr;
use pingjia_domain::users::team_name_in;

/// A column the leaderboard sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentColumn {
    AverageTotal,
    AverageOverall,
    Attainment,
    Count,
}

/// Which way a column is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Descending,
    Ascending,
}

impl SortOrder {
    /// The `aria-sort` value.
    pub fn aria(self) -> &'static str {
        match self {
            SortOrder::Descending => "descending",
            SortOrder::Ascending => "ascending",
        }
    }
}

impl AgentColumn {
    /// The sortable columns, in the table's order.
    pub const ALL: [AgentColumn; 4] = [
        AgentColumn::AverageTotal,
        AgentColumn::AverageOverall,
        AgentColumn::Attainment,
        AgentColumn::Count,
    ];

    /// The column's header.
    pub fn name(self, locale: Locale) -> &'static str {
        match self {
            AgentColumn::AverageTotal => td_string!(locale, analytics.col_average_total),
            AgentColumn::AverageOverall => td_string!(locale, analytics.col_average_overall),
            AgentColumn::Attainment => td_string!(locale, analytics.col_attainment),
            AgentColumn::Count => td_string!(locale, analytics.col_count),
        }
    }

    fn value(self, agent: &AgentStat) -> Option<f64> {
        match self {
            AgentColumn::AverageTotal => agent.average_total,
            AgentColumn::AverageOverall => agent.average_overall,
            AgentColumn::Attainment => agent.attainment_rate,
            AgentColumn::Count => Some(agent.count as f64),
        }
    }

    /// The agent's figure in this column as the table shows it.
    pub fn text(self, agent: &AgentStat) -> String {
        match self {
            AgentColumn::Attainment => percent_text(agent.attainment_rate),
            AgentColumn::Count => agent.count.to_string(),
            _ => score_text(self.value(agent)),
        }
    }
}

/// Sorts the agents by a column; agents without a figure come last either way, ties by
/// employee number.
pub fn sort_agents(agents: &mut [AgentStat], column: AgentColumn, order: SortOrder) {
    agents.sort_by(|a, b| {
        let by_value = match (column.value(a), column.value(b)) {
            (Some(x), Some(y)) => match order {
                SortOrder::Descending => y.total_cmp(&x),
                SortOrder::Ascending => x.total_cmp(&y),
            },
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_value.then_with(|| a.agent_no.cmp(&b.agent_no))
    });
}

/// The leaderboard of the filter's agents.
#[component]
pub fn LeaderboardPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
    /// The agents of the filter, loading (shared with the radar).
    report: LocalResource<Result<AgentReport, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel analytics-panel analytics-wide" aria-labelledby="leaderboard-title">
            <h2 id="leaderboard-title">{tr(i18n, |l| td_string!(l, analytics.leaderboard_heading))}</h2>
            {loaded!(report, |report| view! { <Leaderboard report filter=filter.get_untracked() /> })}
        </section>
    }
}

/// The sortable table of one report's agents.
#[component]
pub fn Leaderboard(
    /// The agents, best average first.
    report: AgentReport,
    /// The filter the report was loaded with (each agent links to their evaluations in it).
    filter: AnalyticsFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    if report.agents.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, analytics.agents_empty))}</p>
        });
    }
    let sort = RwSignal::new((AgentColumn::AverageTotal, SortOrder::Descending));
    let agents = StoredValue::new(report.agents);
    let filter = StoredValue::new(filter);
    let rows = move || {
        let (column, order) = sort.get();
        let mut sorted = agents.get_value();
        sort_agents(&mut sorted, column, order);
        sorted
            .into_iter()
            .enumerate()
            .map(|(i, agent)| {
                let href = filter.with_value(|f| {
                    let narrowed = AnalyticsFilter {
                        agent: Some(agent.agent_no.clone()),
                        ..f.clone()
                    };
                    drill_href(&narrowed, &DrillFilter::default(), 1)
                });
                let label = format!("{} {}", agent.name, agent.agent_no);
                let (team, team_en) = (agent.team_name.clone().unwrap_or_default(), agent.team_name_en.clone());
                let cells = AgentColumn::ALL
                    .into_iter()
                    .map(|c| {
                        let text = c.text(&agent);
                        view! {
                            <td class="num" data-label=move || c.name(i18n.get_locale())>{text}</td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <td class="num" data-label=move || td_string!(i18n.get_locale(), analytics.rank)>{i + 1}</td>
                        <th scope="row" data-label=move || td_string!(i18n.get_locale(), analytics.col_agent)>
                            <A href=href>{label}</A>
                        </th>
                        <td data-label=move || td_string!(i18n.get_locale(), analytics.col_team)>
                            {move || team_name_in(lang(i18n.get_locale()), &team, team_en.as_deref()).to_owned()}
                        </td>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    let headers = AgentColumn::ALL
        .into_iter()
        .map(|column| {
            let sorted = move || {
                let (current, order) = sort.get();
                (current == column).then(|| order.aria())
            };
            let toggle = move |_| {
                sort.update(|(current, order)| {
                    if *current == column {
                        *order = match *order {
                            SortOrder::Descending => SortOrder::Ascending,
                            SortOrder::Ascending => SortOrder::Descending,
                        };
                    } else {
                        *current = column;
                        *order = SortOrder::Descending;
                    }
                });
            };
            let arrow = move || match sorted() {
                Some("descending") => "▼",
                Some(_) => "▲",
                None => "↕",
            };
            view! {
                <th scope="col" class="num" aria-sort=sorted>
                    <button type="button" class="sort-button" on:click=toggle>
                        {move || column.name(i18n.get_locale())}
                        <span class="sort-arrow" aria-hidden="true">{arrow}</span>
                    </button>
                </th>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="leaderboard-caption">
            <table class="data-table leaderboard">
                <caption id="leaderboard-caption">{tr(i18n, |l| td_string!(l, analytics.leaderboard_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.rank))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.col_agent))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.col_team))}</th>
                        {headers}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
