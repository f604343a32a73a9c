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
use crate::components::data_table::{Column, DataTable, Loaded, Rows};
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
        <Loaded
            resource=plans
            view=move |plans| view! { <PlanTable plans area /> }
        />
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
    let mut columns = vec![
        Column::new(
            |l| td_string!(l, feedback.evaluation_number),
            |plan: &ImprovementPlan| plan.evaluation_number.clone(),
        )
        .row_header(Some(|plan: &ImprovementPlan| {
            format!("plan-{}-number", plan.id)
        }))
        .class("mono"),
    ];
    if area.reviews() {
        columns.push(Column::new(
            |l| td_string!(l, feedback.agent),
            |plan: &ImprovementPlan| format!("{} ({})", plan.agent_name, plan.agent_no),
        ));
    }
    columns.extend([
        Column::new(|l| td_string!(l, feedback.suggestion), |plan: &ImprovementPlan| {
            view! { <span class="fb-clamp">{plan.suggestion.clone()}</span> }
        }),
        Column::new(|l| td_string!(l, feedback.status), move |plan: &ImprovementPlan| {
            let status = plan.status;
            view! { <span class=plan_status_class(status)>{move || plan_status_name(i18n.get_locale(), status)}</span> }
        }),
        Column::new(|l| td_string!(l, feedback.due_column), move |plan: &ImprovementPlan| {
            let due = plan.due_at;
            view! {
                <span>{move || due_text(i18n.get_locale(), due)}</span>
                {plan.overdue.then(|| view! {
                    " " <span class="badge badge-new" data-testid="plan-overdue">{tr(i18n, |l| td_string!(l, feedback.overdue_badge))}</span>
                })}
            }
        }),
        Column::new(|l| td_string!(l, feedback.actions), move |plan: &ImprovementPlan| {
            let id = plan.id;
            let link_id = format!("plan-{id}-link");
            view! {
                <A
                    href=area.plan_href(id)
                    attr:id=link_id.clone()
                    attr:aria-labelledby=format!("{link_id} plan-{id}-number")
                >
                    {tr(i18n, |l| td_string!(l, feedback.view_plan))}
                </A>
            }
        }),
    ]);
    let rows = Rows::default()
        .testid(|plan: &ImprovementPlan| format!("plan-row-{}", plan.id))
        .flag("fb-overdue-row", |plan: &ImprovementPlan| {
            Signal::stored(plan.overdue)
        });
    Either::Right(view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="plan-table-caption">
            <DataTable
                class="data-table fb-plan-table"
                testid="plan-table"
                caption=|l| td_string!(l, feedback.plans_caption)
                caption_id="plan-table-caption"
                columns
                rows=plans
                row=rows
            />
        </div>
    })
}
