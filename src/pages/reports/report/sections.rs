//! The report's tables: problems, agents, appeals and plans.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::reports::Report;

use crate::format::{local_time, percent_text, score_text};
use crate::i18n::{td_string, use_i18n};
use crate::labels::team_name;
use crate::locale::tr;
use crate::pages::reports::{ReportArea, showing_of};

use super::cells::{Empty, label_of};

/// The frequent problems with example suggestions (customers' words, shown as text).
#[component]
pub(super) fn ProblemTable(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    if report.problems.is_empty() {
        return Either::Left(view! { <Empty text=|l| td_string!(l, reports.problems_empty) /> });
    }
    let rows = report
        .problems
        .into_iter()
        .map(|problem| {
            let examples = problem
                .examples
                .into_iter()
                .map(|example| {
                    let (number, overall) = (example.number, example.overall);
                    view! {
                        <li>
                            <q class="report-quote">{example.suggestion}</q>
                            <span class="muted">
                                {move || td_string!(i18n.get_locale(), reports.example_source, number = &number, overall = overall.to_string())}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row" data-label=label_of(i18n, |l| td_string!(l, reports.col_term))>{problem.term}</th>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_count))>{problem.count}</td>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_examples))>
                        <ul class="report-examples">{examples}</ul>
                    </td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll">
            <table class="data-table report-table" data-testid="report-problem-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.problems_heading))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_term))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_count))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_examples))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The agent ranking: satisfaction, then resolution.
#[component]
pub(super) fn AgentTable(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    if report.agents.is_empty() {
        return Either::Left(view! { <Empty text=|l| td_string!(l, reports.agents_empty) /> });
    }
    let rows = report
        .agents
        .into_iter()
        .map(|agent| {
            view! {
                <tr>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_rank))>{agent.rank}</td>
                    <th scope="row" data-label=label_of(i18n, |l| td_string!(l, reports.col_agent))>
                        {format!("{} {}", agent.agent_no, agent.name)}
                    </th>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_team))>
                        {
                            let (zh, en) = (agent.team_name.clone(), agent.team_name_en.clone());
                            move || zh.as_deref().map_or_else(
                                || "—".to_owned(),
                                |zh| team_name(i18n.get_locale(), zh, en.as_deref()),
                            )
                        }
                    </td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_evaluations))>{agent.evaluations}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.col_average_total))>{score_text(agent.average_total)}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, analytics.col_average_overall))>{score_text(agent.average_overall)}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_satisfaction))>{percent_text(agent.attainment_rate)}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_records))>{agent.records}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_resolution))>{percent_text(agent.first_contact_rate)}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_invited))>{agent.invited}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_response_rate))>{percent_text(agent.response_rate)}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll">
            <table class="data-table report-table" data-testid="report-agent-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.agents_heading))}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_rank))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_agent))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_team))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_evaluations))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_average_total))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, analytics.col_average_overall))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_satisfaction))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_records))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_resolution))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_invited))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_response_rate))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// How many rows of how many a list shows, when it does not show them all.
#[component]
pub(super) fn Showing(shown: usize, count: u64) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        showing_of(i18n.get_locale(), shown, count)
            .map(|text| view! { <p class="report-showing muted">{text}</p> })
    }
}

/// The appeals awaiting a decision.
#[component]
pub(super) fn AppealTable(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let count = report.open_appeal_count;
    let total = move || {
        td_string!(
            i18n.get_locale(),
            reports.appeals_count,
            count = count.to_string()
        )
    };
    if report.open_appeals.is_empty() {
        return Either::Left(view! {
            <Empty text=|l| td_string!(l, reports.appeals_empty) />
        });
    }
    let shown = report.open_appeals.len();
    let rows = report
        .open_appeals
        .into_iter()
        .map(|appeal| {
            let days = appeal.days_open;
            view! {
                <tr>
                    <th scope="row" class="mono" data-label=label_of(i18n, |l| td_string!(l, reports.col_number))>{appeal.evaluation_number}</th>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_agent))>{format!("{} {}", appeal.agent_no, appeal.agent_name)}</td>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_filed))>{local_time(appeal.filed_at)}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_days_open))>{days}</td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <p class="report-count">{total}</p>
        <Showing shown count />
        <div class="table-scroll">
            <table class="data-table report-table" data-testid="report-appeal-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.appeals_heading))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_number))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_agent))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_filed))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_days_open))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The improvement plans past their due date, each linked.
#[component]
pub(super) fn PlanTable(report: Report, area: ReportArea) -> impl IntoView {
    let i18n = use_i18n();
    let count = report.overdue_plan_count;
    let total = move || {
        td_string!(
            i18n.get_locale(),
            reports.plans_count,
            count = count.to_string()
        )
    };
    if report.overdue_plans.is_empty() {
        return Either::Left(view! { <Empty text=|l| td_string!(l, reports.plans_empty) /> });
    }
    let shown = report.overdue_plans.len();
    let rows = report
        .overdue_plans
        .into_iter()
        .map(|plan| {
            let row_id = format!("report-plan-{}", plan.id);
            let link_id = format!("report-plan-{}-link", plan.id);
            view! {
                <tr>
                    <th scope="row" class="mono" id=row_id.clone() data-label=label_of(i18n, |l| td_string!(l, reports.col_number))>{plan.evaluation_number}</th>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_agent))>{format!("{} {}", plan.agent_no, plan.agent_name)}</td>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_due))>{local_time(plan.due_at)}</td>
                    <td class="num" data-label=label_of(i18n, |l| td_string!(l, reports.col_days_overdue))>{plan.days_overdue}</td>
                    <td data-label=label_of(i18n, |l| td_string!(l, reports.col_plan))>
                        <A href=area.plan_href(plan.id) attr:id=link_id.clone() attr:aria-labelledby=format!("{link_id} {row_id}")>
                            {tr(i18n, |l| td_string!(l, reports.view_plan))}
                        </A>
                    </td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <p class="report-count">{total}</p>
        <Showing shown count />
        <div class="table-scroll">
            <table class="data-table report-table" data-testid="report-plan-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.plans_heading))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_number))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_agent))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_due))}</th>
                        <th scope="col" class="num">{tr(i18n, |l| td_string!(l, reports.col_days_overdue))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_plan))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
