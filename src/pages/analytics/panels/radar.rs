//! The radar panel: an agent's dimensions against their team's.

use super::*;

/// One agent's dimensions against their team's average.
#[component]
pub fn RadarPanel(
    /// The filter bar.
    filter: Memo<AnalyticsFilter>,
    /// The agents of the filter, loading (shared with the leaderboard).
    report: LocalResource<Result<AgentReport, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel analytics-panel" aria-labelledby="radar-title">
            <h2 id="radar-title">{tr(i18n, |l| td_string!(l, analytics.radar_heading))}</h2>
            {loaded!(report, |report| view! { <RadarView report filter=filter.get_untracked() /> })}
        </section>
    }
}

/// The radar of one loaded agent report, with the agent to show chosen in a select.
#[component]
pub(super) fn RadarView(report: AgentReport, filter: AnalyticsFilter) -> impl IntoView {
    let i18n = use_i18n();
    let Some(first) = radar_agent(&report, filter.agent.as_deref()).map(|a| a.agent_no.clone())
    else {
        return Either::Left(view! { <Empty text=|l| td_string!(l, analytics.agents_empty) /> });
    };
    let chosen = RwSignal::new(first);
    let report = StoredValue::new(report);
    let filter = StoredValue::new(filter);
    let agent = Memo::new(move |_| {
        let no = chosen.get();
        report.with_value(|r| radar_agent(r, Some(&no)).cloned())
    });
    let option = Signal::derive(move || {
        let locale = i18n.get_locale();
        let agent = agent.get();
        report.with_value(|r| {
            let labels = RadarLabels {
                text: chart_text(
                    locale,
                    td_string!(
                        locale,
                        analytics.radar_title,
                        name = agent.as_ref().map(agent_label).unwrap_or_default()
                    ),
                    period_words(locale, r.period),
                    "pingjia-radar",
                ),
                no_team: td_string!(locale, analytics.no_team).to_owned(),
            };
            match &agent {
                Some(agent) => ChartOption::from(radar_chart(r, agent, locale, &labels)),
                None => ChartOption::from(serde_json::json!({})),
            }
        })
    });
    let label = Signal::derive(move || {
        let name = agent.get().as_ref().map(agent_label).unwrap_or_default();
        td_string!(i18n.get_locale(), analytics.radar_title, name = &name)
    });
    let href_for = move |series: usize| {
        agent.get_untracked().map(|agent| {
            let narrowed =
                report.with_value(|r| filter.with_value(|f| radar_drill(r, &agent, f, series)));
            drill_href(&narrowed, &DrillFilter::default(), 1)
        })
    };
    let on_click = drill_to(move |click| href_for(click.series_index));
    let agent_href = move || {
        agent.get().map(|agent| {
            let narrowed =
                report.with_value(|r| filter.with_value(|f| radar_drill(r, &agent, f, 0)));
            drill_href(&narrowed, &DrillFilter::default(), 1)
        })
    };
    let choices = report.with_value(|r| {
        r.agents
            .iter()
            .map(|a| {
                let no = a.agent_no.clone();
                let value = no.clone();
                let text = agent_label(a);
                view! {
                    <option value=value prop:selected=move || chosen.with(|c| *c == no)>{text}</option>
                }
            })
            .collect_view()
    });
    let rows = move || {
        let locale = i18n.get_locale();
        let agent = agent.get();
        report.with_value(|r| {
            let team = agent.as_ref().and_then(|a| agent_team(r, a));
            r.dimensions
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let mine = agent
                        .as_ref()
                        .and_then(|a| a.dimensions.get(i).copied().flatten());
                    let theirs = team.and_then(|t| t.dimensions.get(i).copied().flatten());
                    view! {
                        <tr>
                            <th scope="row">{dimension_name(locale, d)}</th>
                            <td class="num">{score_text(mine)}</td>
                            <td class="num">{score_text(theirs)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    Either::Right(view! {
        <div class="field radar-agent">
            <label for="radar-agent">{tr(i18n, |l| td_string!(l, analytics.radar_agent))}</label>
            <select id="radar-agent" on:change=move |ev| chosen.set(event_target_value(&ev))>
                {choices}
            </select>
        </div>
        <EChart option label on_click />
        <p class="chart-links">
            {move || agent_href().map(|href| view! {
                <A href=href>{tr(i18n, |l| td_string!(l, analytics.agent_evaluations))}</A>
            })}
        </p>
        <ChartData>
            <table class="compact-table">
                <caption>{label}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, analytics.dimension))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_agent))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.team_col))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </ChartData>
    })
}
