//! The lists of improvement plans (改进计划): the agent's own (`/agent/plans`), the team
//! lead's team's (`/lead/plans`) and every plan for admins (`/admin/plans`), filtered by status
//! or overdue in the address; overdue plans are marked.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use pingjia_domain::feedback::{ImprovementPlan, PlanQuery, PlanStatus};

use super::{Area, due_text, plan_status_class, plan_status_name};
use crate::api;
use crate::api::query;
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;

/// Which plans a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlanFilter {
    #[default]
    All,
    Status(PlanStatus),
    Overdue,
}

impl PlanFilter {
    /// Every filter, in the order of the tabs.
    pub const ALL: [PlanFilter; 6] = [
        PlanFilter::All,
        PlanFilter::Status(PlanStatus::Open),
        PlanFilter::Status(PlanStatus::SentBack),
        PlanFilter::Status(PlanStatus::Submitted),
        PlanFilter::Status(PlanStatus::Acknowledged),
        PlanFilter::Overdue,
    ];

    /// Reads `?status=` or `?overdue=true`; anything else is all.
    pub fn from_params(params: &ParamsMap) -> PlanFilter {
        let read: PlanQuery = query::from_pairs(params.latest_values(), &[]);
        if read.overdue == Some(true) {
            return PlanFilter::Overdue;
        }
        read.status.map_or(PlanFilter::All, PlanFilter::Status)
    }

    /// The list's address in `area` with this filter.
    pub fn href(self, area: Area) -> String {
        match self {
            PlanFilter::All => area.plans_path().to_owned(),
            PlanFilter::Status(status) => {
                format!("{}?status={}", area.plans_path(), status.as_str())
            }
            PlanFilter::Overdue => format!("{}?overdue=true", area.plans_path()),
        }
    }

    /// The API's query.
    pub fn query(self) -> PlanQuery {
        match self {
            PlanFilter::All => PlanQuery::default(),
            PlanFilter::Status(status) => PlanQuery {
                status: Some(status),
                overdue: None,
            },
            PlanFilter::Overdue => PlanQuery {
                status: None,
                overdue: Some(true),
            },
        }
    }

    fn name(self, locale: Locale) -> &'static str {
        match self {
            PlanFilter::All => td_string!(locale, feedback.filter_all),
            PlanFilter::Status(status) => plan_status_name(locale, status),
            PlanFilter::Overdue => td_string!(locale, feedback.filter_overdue),
        }
    }
}

/// The title of an area's list.
fn list_title(locale: Locale, area: Area) -> &'static str {
    match area {
        Area::Agent => td_string!(locale, feedback.plans_title_agent),
        Area::Lead => td_string!(locale, feedback.plans_title_lead),
        Area::Admin => td_string!(locale, feedback.plans_title_admin),
    }
}

/// The list of plans of an area.
#[component]
pub fn ImprovementPlansPage(
    /// Whose plans.
    area: Area,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(PlanFilter::from_params));
    let plans = LocalResource::new(move || {
        let wanted = filter.get().query();
        async move { api::feedback::plans(&wanted).await }
    });
    let tabs = PlanFilter::ALL
        .into_iter()
        .map(|f| {
            view! {
                <li>
                    <A href=f.href(area) attr:aria-current=move || (filter.get() == f).then_some("page")>
                        {move || f.name(i18n.get_locale())}
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <PageTitle page=Signal::derive(move || list_title(i18n.get_locale(), area)) />
        <h1>{move || list_title(i18n.get_locale(), area)}</h1>
        <nav class="status-tabs" aria-label=move || td_string!(i18n.get_locale(), feedback.filter_status)>
            <ul>{tabs}</ul>
        </nav>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match plans.await {
                    Ok(plans) => Either::Left(view! { <PlanTable plans area /> }),
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| plans.refetch()) />
                    }),
                }
            })}
        </Transition>
    }
}

/// A table of plans: evaluation, agent (for leads and admins), suggestion, status, due time
/// (overdue marked) and a link to each.
#[component]
pub fn PlanTable(
    /// The plans.
    plans: Vec<ImprovementPlan>,
    /// Whose plans, for the links and the agent column.
    area: Area,
) -> impl IntoView {
    let i18n = use_i18n();
    if plans.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, feedback.plans_empty))}</p>
        });
    }
    let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
    let show_agent = area.reviews();
    let rows = plans
        .into_iter()
        .map(|plan| {
            let status = plan.status;
            let due = plan.due_at;
            let overdue = plan.overdue;
            let id = plan.id;
            let row_id = format!("plan-{id}-number");
            let link_id = format!("plan-{id}-link");
            view! {
                <tr class:fb-overdue-row=overdue data-testid=format!("plan-row-{id}")>
                    <th scope="row" id=row_id.clone() class="mono" data-label=label(|l| td_string!(l, feedback.evaluation_number))>
                        {plan.evaluation_number.clone()}
                    </th>
                    {show_agent.then(|| view! {
                        <td data-label=label(|l| td_string!(l, feedback.agent))>
                            {format!("{} ({})", plan.agent_name, plan.agent_no)}
                        </td>
                    })}
                    <td data-label=label(|l| td_string!(l, feedback.suggestion))>
                        <span class="fb-clamp">{plan.suggestion.clone()}</span>
                    </td>
                    <td data-label=label(|l| td_string!(l, feedback.status))>
                        <span class=plan_status_class(status)>{move || plan_status_name(i18n.get_locale(), status)}</span>
                    </td>
                    <td data-label=label(|l| td_string!(l, feedback.due))>
                        <span>{move || due_text(i18n.get_locale(), due)}</span>
                        {overdue.then(|| view! {
                            " " <span class="badge badge-new" data-testid="plan-overdue">{tr(i18n, |l| td_string!(l, feedback.overdue_badge))}</span>
                        })}
                    </td>
                    <td data-label=label(|l| td_string!(l, feedback.actions))>
                        <A
                            href=area.plan_href(id)
                            attr:id=link_id.clone()
                            attr:aria-labelledby=format!("{link_id} {row_id}")
                        >
                            {tr(i18n, |l| td_string!(l, feedback.view_plan))}
                        </A>
                    </td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="plan-table-caption">
            <table class="data-table fb-plan-table" data-testid="plan-table">
                <caption id="plan-table-caption" class="visually-hidden">{tr(i18n, |l| td_string!(l, feedback.plans_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, feedback.evaluation_number))}</th>
                        {show_agent.then(|| view! { <th scope="col">{tr(i18n, |l| td_string!(l, feedback.agent))}</th> })}
                        <th scope="col">{tr(i18n, |l| td_string!(l, feedback.suggestion))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, feedback.status))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, feedback.due))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, feedback.actions))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
