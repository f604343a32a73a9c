//! The team lead's home (`/lead`, 我的团队): for a period in the address, the team's agents
//! side by side with the team's own line; the plans awaiting the lead's review (acknowledge or
//! send back) and those still with the agents; the open low-score callbacks.

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use pingjia_domain::feedback::{Figures, PlanStatus, TEAM_SUMMARY_PLANS, TeamSummary};
use pingjia_domain::qa::TEAM_QA_PATH;

use super::callbacks::CallbacksPanel;
use super::coaching_list::CoachingGlance;
use super::period_bar::PeriodBar;
use super::plan::ReviewActions;
use super::plans::PlanTable;
use super::{Area, LEAD_HOME_PATH, PeriodChoice, due_text, summary_query, today};
use crate::api;
use crate::charts::dimension_name;
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::components::page::Greeting;
use crate::components::page::PageTitle;
use crate::format::{percent_text, period_words, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::team_name;
use crate::locale::tr;

/// The team lead's home.
#[component]
pub fn LeadHome() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let choice = Memo::new(move |_| query.with(PeriodChoice::from_params));
    let refreshed = RwSignal::new(0u32);
    let today = today();
    let summary = LocalResource::new(move || {
        let wanted = summary_query(choice.get(), None, today);
        refreshed.track();
        async move { api::feedback::team_summary(&wanted).await }
    });
    let reviewed = Callback::new(move |()| refreshed.update(|n| *n += 1));
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), homes.team_lead_title)) />
        <h1>{tr(i18n, |l| td_string!(l, homes.team_lead_title))}</h1>
        <Greeting />
        <PeriodBar path=LEAD_HOME_PATH id="lead-period" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(summary) => EitherOf3::A(view! { <TeamView summary reviewed /> }),
                    Err(error) if error.code() == Some(api::feedback::NO_TEAM) => EitherOf3::B(view! {
                        <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.lead_no_team))}</p>
                    }),
                    Err(error) => EitherOf3::C(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| summary.refetch()) />
                    }),
                }
            })}
        </Transition>
        <TeamQaLink />
        <CoachingGlance />
        <CallbacksPanel />
    }
}

/// The way to the team's inspection results, where the lead disputes one for an agent.
#[component]
fn TeamQaLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="lead-team-qa-title" data-testid="lead-team-qa">
            <h2 id="lead-team-qa-title">{tr(i18n, |l| td_string!(l, qa_disputes.team_title))}</h2>
            <p>{tr(i18n, |l| td_string!(l, qa_disputes.team_home_lead))}</p>
            <p>
                <a class="button button-secondary" href=TEAM_QA_PATH>
                    {tr(i18n, |l| td_string!(l, qa_disputes.team_home_link))}
                </a>
            </p>
        </section>
    }
}

/// Plans awaiting review, and plans with the agents, the home shows at most (the server sends
/// no more; the rest are a link away, on the team's plans).
pub const LEAD_HOME_LIST_LEN: usize = TEAM_SUMMARY_PLANS as usize;

/// The team's table and the plans.
#[component]
pub fn TeamView(
    /// The server's summary.
    summary: TeamSummary,
    /// Called after a plan was reviewed here.
    reviewed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (awaiting, mut with_agents): (Vec<_>, Vec<_>) = summary
        .plans
        .iter()
        .cloned()
        .partition(|p| p.status == PlanStatus::Submitted);
    let (awaiting_total, with_agents_total) = (
        usize::try_from(summary.plans_awaiting_review).unwrap_or(usize::MAX),
        usize::try_from(summary.plans_with_agents).unwrap_or(usize::MAX),
    );
    with_agents.truncate(LEAD_HOME_LIST_LEN);
    let review_items = awaiting
        .into_iter()
        .take(LEAD_HOME_LIST_LEN)
        .map(|plan| {
            let id = plan.id;
            let due = plan.due_at;
            let href = Area::Lead.plan_href(id);
            view! {
                <li>
                    <article class="card fb-review" aria-labelledby=format!("review-{id}-title") data-testid=format!("review-{id}")>
                        <h3 id=format!("review-{id}-title") class="fb-card-title">
                            <a href=href>
                                <span class="mono">{plan.evaluation_number.clone()}</span>
                                " · " {format!("{} ({})", plan.agent_name, plan.agent_no)}
                            </a>
                        </h3>
                        <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.suggestion))}</p>
                        <p class="suggestion-text">{plan.suggestion.clone()}</p>
                        <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.measures))}</p>
                        <p class="suggestion-text">{plan.measures.clone().unwrap_or_default()}</p>
                        <p class="field-hint">
                            {tr(i18n, |l| td_string!(l, feedback.due))} " "
                            {move || due_text(i18n.get_locale(), due)}
                        </p>
                        <ReviewActions id on_reviewed=Callback::new(move |_| reviewed.run(())) />
                    </article>
                </li>
            }
        })
        .collect_view();
    let has_awaiting = !summary
        .plans
        .iter()
        .all(|p| p.status != PlanStatus::Submitted);
    view! {
        <TeamTable summary=summary.clone() />
        <section class="panel" aria-labelledby="lead-reviews-title" data-testid="lead-reviews">
            <h2 id="lead-reviews-title">{tr(i18n, |l| td_string!(l, feedback.reviews_heading))}</h2>
            {if has_awaiting {
                Either::Left(view! {
                    <ul class="fb-reviews">{review_items}</ul>
                    {(awaiting_total > LEAD_HOME_LIST_LEN).then(|| view! {
                        <p>
                            <a href=format!("{}?status=submitted", Area::Lead.plans_path()) data-testid="lead-reviews-all">
                                {move || td_string!(i18n.get_locale(), feedback.show_all_count, count = awaiting_total.to_string())}
                            </a>
                        </p>
                    })}
                })
            } else {
                Either::Right(view! {
                    <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.reviews_empty))}</p>
                })
            }}
            <h3>{tr(i18n, |l| td_string!(l, feedback.plans_with_agents))}</h3>
            <PlanTable plans=with_agents area=Area::Lead />
            <p>
                {(with_agents_total > LEAD_HOME_LIST_LEN).then(|| view! {
                    <span class="list-count" data-testid="lead-plans-shown">
                        {move || td_string!(
                            i18n.get_locale(),
                            feedback.first_of,
                            shown = LEAD_HOME_LIST_LEN.to_string(),
                            count = with_agents_total.to_string()
                        )}
                    </span>
                    " "
                })}
                <a href=Area::Lead.plans_path()>{tr(i18n, |l| td_string!(l, feedback.all_plans))}</a>
            </p>
        </section>
    }
}

/// The team's agents side by side, the team's own line last.
#[component]
fn TeamTable(
    /// The server's summary.
    summary: TeamSummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
    let dimensions = summary.dimensions.clone();
    let dimension_count = dimensions.len();
    let dimension_heads = dimensions
        .iter()
        .cloned()
        .map(|d| view! { <th scope="col">{move || dimension_name(i18n.get_locale(), &d)}</th> })
        .collect_view();
    let cells = move |figures: &Figures| {
        let means = (0..dimension_count)
            .map(|i| {
                let d = dimensions[i].clone();
                let value = score_text(figures.dimensions.get(i).copied().flatten());
                view! { <td data-label=move || dimension_name(i18n.get_locale(), &d)>{value}</td> }
            })
            .collect_view();
        view! {
            <td data-label=label(|l| td_string!(l, feedback.figure_count))>{figures.count}</td>
            <td data-label=label(|l| td_string!(l, feedback.figure_total))>{score_text(figures.average_total)}</td>
            <td data-label=label(|l| td_string!(l, feedback.figure_overall))>{score_text(figures.average_overall)}</td>
            <td data-label=label(|l| td_string!(l, feedback.figure_attainment))>{percent_text(figures.attainment_rate)}</td>
            {means}
        }
    };
    let rows = summary
        .agents
        .iter()
        .map(|agent| {
            view! {
                <tr data-testid=format!("team-agent-{}", agent.agent_no)>
                    <th scope="row" data-label=label(|l| td_string!(l, feedback.agent))>
                        {format!("{} ({})", agent.name, agent.agent_no)}
                    </th>
                    {cells(&agent.figures)}
                    <td data-label=label(|l| td_string!(l, feedback.plans_open_overdue))>
                        {agent.open_plans} " / "
                        <span class:fb-overdue-count=(agent.overdue_plans > 0)>{agent.overdue_plans}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let team_row = view! {
        <tr class="fb-team-row" data-testid="team-line">
            <th scope="row" data-label=label(|l| td_string!(l, feedback.agent))>
                {
                    let (zh, en) = (summary.team_name.clone(), summary.team_name_en.clone());
                    move || team_name(i18n.get_locale(), &zh, en.as_deref())
                }
                " · " {tr(i18n, |l| td_string!(l, feedback.team_line))}
            </th>
            {cells(&summary.team)}
            <td data-label=label(|l| td_string!(l, feedback.plans_open_overdue))>
                {summary.agents.iter().map(|a| a.open_plans).sum::<u64>()} " / "
                {summary.agents.iter().map(|a| a.overdue_plans).sum::<u64>()}
            </td>
        </tr>
    };
    let period = summary.period;
    view! {
        <section class="panel" aria-labelledby="team-table-title">
            <h2 id="team-table-title">{tr(i18n, |l| td_string!(l, feedback.team_heading))}</h2>
            <p class="field-hint">{move || period_words(i18n.get_locale(), period)}</p>
            {if summary.agents.is_empty() {
                Either::Left(view! {
                    <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.team_empty))}</p>
                })
            } else {
                Either::Right(view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="team-table-title">
                        <table class="data-table fb-team-table" data-testid="team-table">
                            <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, feedback.team_heading))}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, feedback.agent))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, feedback.figure_count))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, feedback.figure_total))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, feedback.figure_overall))}</th>
                                    <th scope="col">{tr(i18n, |l| td_string!(l, feedback.figure_attainment))}</th>
                                    {dimension_heads}
                                    <th scope="col">{tr(i18n, |l| td_string!(l, feedback.plans_open_overdue))}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                            <tfoot>{team_row}</tfoot>
                        </table>
                    </div>
                })
            }}
            <p class="field-hint">{tr(i18n, |l| td_string!(l, feedback.figures_units))}</p>
        </section>
    }
}
