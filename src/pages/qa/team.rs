//! A team lead's list of the inspections of their team's services (`/lead/qa/team`, 团队质检):
//! a page at a time, what may still be disputed first (the window closing soonest first), by
//! tab, agent and days of inspection in the address; each disputable one opens the dispute form
//! the agent uses (`dispute_form`), which the lead files on the agent's behalf.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::qa::{TEAM_QA_PATH, TeamInspection, TeamInspectionPage};

use crate::api::qa::TeamInspectionQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{ListWords, Loaded, PagedList, Paging};
use crate::components::filters::{DateRange, FilterActions, SelectFilter, submitted_values};
use crate::components::page::PageTitle;
use crate::components::status_tabs::{StatusTabs, state_tabs};
use crate::format::{local_time, score_text};
use crate::i18n::{t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::dispute_form::DisputeSection;
use crate::pages::qa::{day_text, person_text};

/// The tab, filters and page of the list as the address carries them.
pub fn team_query_from_params(params: &ParamsMap) -> TeamInspectionQuery {
    let query: TeamInspectionQuery = query::from_pairs(params.latest_values(), &[]);
    TeamInspectionQuery {
        page: query.page.max(1),
        disputable: query.disputable.filter(|d| *d),
        ..query
    }
}

/// The address of the list at this tab, these filters and page (the first page left out).
pub fn team_href(query: &TeamInspectionQuery) -> String {
    paged_href(TEAM_QA_PATH, query, query::Paging::after_first(query.page))
}

/// The list with its tabs, filters and pages.
#[component]
pub fn TeamInspectionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(team_query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::qa::team_inspections(&query).await }
    });
    let counts = move || {
        list.get()
            .and_then(Result::ok)
            .map(|p| (p.all, p.disputable))
    };
    let tabs = state_tabs(
        [true],
        move |disputable| {
            team_href(&TeamInspectionQuery {
                disputable,
                page: 1,
                ..query.get()
            })
        },
        |l, disputable| match disputable {
            None => td_string!(l, qa_disputes.team_tab_all),
            Some(_) => td_string!(l, qa_disputes.team_tab_disputable),
        },
        move |disputable| counts().map(|(all, open)| if disputable.is_some() { open } else { all }),
        move || query.with(|q| q.disputable),
    );
    let label = Signal::derive(move || t_string!(i18n, qa_disputes.team_tab_label).to_owned());
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa_disputes.team_title)) />
        <h1>{tr(i18n, |l| td_string!(l, qa_disputes.team_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa_disputes.team_intro))}</p>
        <StatusTabs tabs label class="qa-filters" />
        <Filters query list />
        <Loaded
            resource=list
            view=move |page| view! { <TeamList page query=query.get_untracked() /> }
        />
    }
}

/// The agent and the days of inspection; the address holds them (and the tab).
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<TeamInspectionQuery>,
    /// The list, whose answer carries the team's agents.
    list: LocalResource<Result<TeamInspectionPage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    // The last agents answered, kept while the list loads again.
    let agents = RwSignal::new(Vec::new());
    Effect::new(move || {
        if let Some(Ok(page)) = list.get() {
            agents.set(
                (page.agents.iter())
                    .map(|a| (a.id.to_string(), person_text(a)))
                    .collect::<Vec<_>>(),
            );
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let wanted = TeamInspectionQuery {
            disputable: query.get_untracked().disputable,
            agent_id: value("agent_id").parse().ok(),
            from: value("from").parse().ok(),
            to: value("to").parse().ok(),
            page: 1,
        };
        navigate(&team_href(&wanted), Default::default());
    };
    let cleared = move || {
        team_href(&TeamInspectionQuery {
            disputable: query.get().disputable,
            ..TeamInspectionQuery::default()
        })
    };
    view! {
        <form
            class="filters rect-filters"
            role="search"
            aria-label=move || t_string!(i18n, qa_disputes.team_filters)
            on:submit=on_submit
        >
            <SelectFilter
                id="team-agent"
                name="agent_id"
                label=|l| td_string!(l, qa.agent)
                all=|l| td_string!(l, qa.all_agents)
                options=agents
                selected=Signal::derive(move || {
                    query.with(|q| q.agent_id.map(|id| id.to_string()).unwrap_or_default())
                })
            />
            <DateRange
                id="team-inspected"
                from_label=|l| td_string!(l, qa_disputes.team_from)
                to_label=|l| td_string!(l, qa_disputes.team_to)
                from=Signal::derive(move || query.with(|q| q.from))
                to=Signal::derive(move || query.with(|q| q.to))
            />
            <FilterActions
                apply=|l| td_string!(l, qa.apply_filters)
                clear=|l| td_string!(l, qa.clear_filters)
                clear_href=Signal::derive(cleared)
                filtered=Signal::derive(move || query.with(TeamInspectionQuery::filtered))
            />
        </form>
    }
}

/// One page of inspections and the pager.
#[component]
fn TeamList(page: TeamInspectionPage, query: TeamInspectionQuery) -> impl IntoView {
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.inspections.len(),
    );
    let (count, empty) = ListWords {
        count: |l, count, first, last| {
            td_string!(
                l,
                qa_disputes.team_count,
                count = count.to_string(),
                first = first.to_string(),
                last = last.to_string()
            )
            .to_string()
        },
        page_empty: |l| td_string!(l, qa_disputes.team_page_empty),
        filtered: |l| td_string!(l, qa_disputes.team_empty_filtered),
        none: |l| td_string!(l, qa_disputes.team_empty),
    }
    .views(paging, query.filtered() || query.disputable.is_some());
    let href = move |n: u64| {
        team_href(&TeamInspectionQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let cards = page
        .inspections
        .into_iter()
        .map(|inspection| view! { <li><TeamInspectionCard inspection /></li> })
        .collect_view();
    view! {
        <PagedList paging href count empty>
            <ul class="qa-rect-list" data-testid="team-inspections">{cards}</ul>
        </PagedList>
    }
}

/// An inspection in the list: record, plan, agent, QA score, when, until when it may be
/// disputed, and the dispute (its form while one may be filed).
#[component]
pub fn TeamInspectionCard(
    /// The inspection.
    inspection: TeamInspection,
) -> impl IntoView {
    let i18n = use_i18n();
    let TeamInspection {
        sample,
        submitted_at,
        last_day,
        may_dispute,
        dispute,
    } = inspection;
    let id = sample.id;
    let title_id = format!("team-inspection-{id}-title");
    let labelled_by = title_id.clone();
    let agent = person_text(&sample.agent);
    let (score, at) = (score_text(sample.qa_score), local_time(submitted_at));
    let wanting = sample.wanting.to_string();
    let day = day_text(last_day);
    let window = if may_dispute {
        view! {
            <span class="badge badge-warn" data-testid=format!("team-inspection-{id}-window")>
                {move || td_string!(i18n.get_locale(), qa_disputes.team_until, day = day.clone())}
            </span>
        }
        .into_any()
    } else if dispute.is_none() {
        view! {
            <span class="muted">
                {move || td_string!(i18n.get_locale(), qa_disputes.team_closed, day = day.clone())}
            </span>
        }
        .into_any()
    } else {
        ().into_any()
    };
    let section = (may_dispute || dispute.is_some())
        .then(|| view! { <DisputeSection sample_id=id state=dispute /> });
    view! {
        <article class="card qa-rect-card" aria-labelledby=labelled_by data-testid=format!("team-inspection-{id}")>
            <h3 id=title_id>
                <span class="mono">{sample.external_id.clone()}</span> " · " {sample.plan_name.clone()}
            </h3>
            <p class="record-meta">
                {tr(i18n, |l| td_string!(l, qa_disputes.agent))} " " {agent} " · "
                {tr(i18n, |l| td_string!(l, qa.qa_score))} " " {score} " · "
                {move || td_string!(i18n.get_locale(), qa_disputes.team_wanting, count = wanting.clone())}
            </p>
            <p class="record-meta">
                {move || td_string!(i18n.get_locale(), qa_disputes.team_inspected_at, at = at.clone())}
            </p>
            <p>{window}</p>
            {section}
        </article>
    }
}
