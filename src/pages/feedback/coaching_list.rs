//! Coaching sessions (辅导记录, `/coaching`): an agent's own, a team lead's team's, every one
//! for an admin; a page at a time, those awaiting the agent's acknowledgement first; by state
//! (each with its count), agent and the days they were recorded, in the address. Leads and
//! admins see how many follow-ups are overdue and record a new session from here.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::feedback::{
    COACHING_PATH, CoachingPage, CoachingSession, CoachingState, coaching_href,
};
use pingjia_domain::wire::Role;

use super::day_with_weekday;
use crate::api::coaching::CoachingQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{
    Column, DataTable, ListWords, Loaded, PagedList, Paging, Rows,
};
use crate::components::filters::{DateRange, FilterActions, SelectFilter, submitted_values};
use crate::components::page::PageTitle;
use crate::components::status_tabs::{StatusTabs, state_tabs};
use crate::format::local_time;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::lang;
use crate::locale::tr;
use crate::session::use_session;

/// The address of the new session's form.
pub const NEW_COACHING_PATH: &str = "/coaching/new";

/// The filters and page of the list as the address carries them.
pub fn coaching_query_from_params(params: &ParamsMap) -> CoachingQuery {
    let query: CoachingQuery = query::from_pairs(params.latest_values(), &[]);
    CoachingQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the list with these filters and page (the first page left out).
pub fn coaching_list_href(query: &CoachingQuery) -> String {
    paged_href(COACHING_PATH, query, query::Paging::after_first(query.page))
}

/// A state's name (待确认, 已确认, 已跟进), or 全部.
pub fn coaching_state_name(locale: Locale, state: Option<CoachingState>) -> &'static str {
    match state {
        None => td_string!(locale, coaching.filter_all),
        Some(state) => state.label(lang(locale)),
    }
}

/// The badge class of a state.
pub fn coaching_state_class(state: CoachingState) -> &'static str {
    match state {
        CoachingState::Awaiting => "badge badge-warn",
        CoachingState::Acknowledged => "badge badge-off",
        CoachingState::FollowedUp => "badge",
    }
}

/// The list of sessions (`/coaching`).
#[component]
pub fn CoachingListPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let coaches = move || session.role().is_some_and(|r| r != Role::Agent);
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(coaching_query_from_params));
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::coaching::list(&query).await }
    });
    let overdue = move || {
        list.get()
            .and_then(Result::ok)
            .map(|p| p.overdue)
            .filter(|&n| n > 0 && coaches())
            .map(|n| {
                view! {
                    <p class="notice notice-warn" data-testid="coaching-overdue">
                        {move || td_string!(i18n.get_locale(), coaching.overdue_count, count = n.to_string())}
                    </p>
                }
            })
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, coaching.list_heading)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, coaching.list_heading))}</h1>
            <Show when=coaches>
                <p class="page-actions">
                    <A href=NEW_COACHING_PATH attr:class="button" attr:data-testid="coaching-new">
                        {tr(i18n, |l| td_string!(l, coaching.record))}
                    </A>
                </p>
            </Show>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, coaching.list_lead))}</p>
        {overdue}
        <StateTabs query list />
        <Filters query list coaches=Signal::derive(coaches) />
        <Loaded
            resource=list
            view=move |page| view! { <Items page query=query.get_untracked() coaches=coaches() /> }
        />
    }
}

/// The state tabs as links that keep the other filters, with their counts once loaded.
#[component]
fn StateTabs(
    /// The filters in the address.
    query: Memo<CoachingQuery>,
    /// The list, for the counts.
    list: LocalResource<Result<CoachingPage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = state_tabs(
        CoachingState::ALL,
        move |state| {
            coaching_list_href(&CoachingQuery {
                state,
                page: 1,
                ..query.get()
            })
        },
        coaching_state_name,
        move |state| list.get().and_then(Result::ok).map(|p| p.counts.of(state)),
        move || query.with(|q| q.state),
    );
    let label = Signal::derive(move || t_string!(i18n, coaching.filter_state).to_owned());
    view! { <StatusTabs tabs label class="coaching-filters" /> }
}

/// The agent filter (for leads and admins) and the days; the address holds them.
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<CoachingQuery>,
    /// The list, whose answer carries the agents to choose from.
    list: LocalResource<Result<CoachingPage, ApiError>>,
    /// Whether the viewer coaches (a lead or an admin): they filter by agent.
    coaches: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let choices = RwSignal::new(Vec::new());
    Effect::new(move || {
        if let Some(Ok(page)) = list.get() {
            choices.set(page.agents);
        }
    });
    let agents = Signal::derive(move || {
        choices.with(|agents| {
            agents
                .iter()
                .map(|a| (a.no.clone(), format!("{} {}", a.name, a.no)))
                .collect::<Vec<_>>()
        })
    });
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let agent = value("agent_no");
        let wanted = CoachingQuery {
            state: query.get_untracked().state,
            agent_no: (!agent.trim().is_empty()).then_some(agent),
            from: value("from").parse().ok(),
            to: value("to").parse().ok(),
            page: 1,
        };
        navigate(&coaching_list_href(&wanted), Default::default());
    };
    let cleared = move || {
        coaching_list_href(&CoachingQuery {
            state: query.get().state,
            ..CoachingQuery::default()
        })
    };
    view! {
        <form class="filters" role="search" aria-label=move || t_string!(i18n, coaching.filters) on:submit=on_submit>
            <Show when=move || coaches.get()>
                <SelectFilter
                    id="coaching-agent"
                    name="agent_no"
                    label=|l| td_string!(l, coaching.agent)
                    all=|l| td_string!(l, coaching.all_agents)
                    options=agents
                    selected=Signal::derive(move || query.with(|q| q.agent_no.clone().unwrap_or_default()))
                />
            </Show>
            <DateRange
                id="coaching-days"
                from_label=|l| td_string!(l, coaching.recorded_from)
                to_label=|l| td_string!(l, coaching.recorded_to)
                from=Signal::derive(move || query.with(|q| q.from))
                to=Signal::derive(move || query.with(|q| q.to))
            />
            <FilterActions
                apply=|l| td_string!(l, coaching.apply_filters)
                clear=|l| td_string!(l, coaching.clear_filters)
                clear_href=Signal::derive(cleared)
                filtered=Signal::derive(move || query.with(CoachingQuery::filtered))
            />
        </form>
    }
}

/// One page of the list and the pager.
#[component]
fn Items(
    /// The page as loaded.
    page: CoachingPage,
    /// The filters it was loaded with.
    query: CoachingQuery,
    /// Whether the viewer coaches: the agent's column.
    coaches: bool,
) -> impl IntoView {
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.items.len(),
    );
    let filtered = query.filtered() || query.state.is_some();
    let href = move |n: u64| {
        coaching_list_href(&CoachingQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let (count, empty) = ListWords {
        count: |l, count, first, last| {
            td_string!(
                l,
                coaching.count,
                count = count.to_string(),
                first = first.to_string(),
                last = last.to_string()
            )
            .to_string()
        },
        page_empty: |l| td_string!(l, coaching.page_empty),
        filtered: |l| td_string!(l, coaching.empty_filtered),
        none: |l| td_string!(l, coaching.empty),
    }
    .views(paging, filtered);
    let sessions = page.items;
    view! {
        <PagedList paging href count empty>
            <CoachingTable sessions coaches />
        </PagedList>
    }
}

/// The sessions as a table (cards at phone width).
#[component]
pub fn CoachingTable(
    /// The sessions.
    sessions: Vec<CoachingSession>,
    /// Whether the agent's column is shown.
    coaches: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut columns = vec![
        Column::new(
            |l| td_string!(l, coaching.recorded_at),
            |s: &CoachingSession| local_time(s.created_at),
        )
        .row_header(Some(|s: &CoachingSession| {
            format!("coaching-{}-when", s.id)
        })),
    ];
    if coaches {
        columns.push(Column::new(
            |l| td_string!(l, coaching.agent),
            |s: &CoachingSession| format!("{} ({})", s.agent_name, s.agent_no),
        ));
    } else {
        columns.push(Column::new(
            |l| td_string!(l, coaching.coach),
            |s: &CoachingSession| s.coach_name.clone(),
        ));
    }
    columns.extend([
        Column::new(|l| td_string!(l, coaching.action), |s: &CoachingSession| {
            view! { <span class="fb-clamp">{s.action.clone()}</span> }
        }),
        Column::new(
            |l| td_string!(l, coaching.state),
            move |s: &CoachingSession| {
                let state = s.state;
                view! {
                    <span class=coaching_state_class(state) data-testid="coaching-state">
                        {move || state.label(lang(i18n.get_locale()))}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, coaching.follow_up),
            move |s: &CoachingSession| {
                let day = s.follow_up_date;
                view! {
                    <span>{move || day_with_weekday(i18n.get_locale(), day)}</span>
                    {s.follow_up_overdue.then(|| view! {
                        " " <span class="badge badge-new" data-testid="coaching-overdue-badge">{tr(i18n, |l| td_string!(l, coaching.overdue_badge))}</span>
                    })}
                }
            },
        ),
        Column::new(|l| td_string!(l, coaching.open), move |s: &CoachingSession| {
            let id = s.id;
            let link_id = format!("coaching-{id}-link");
            view! {
                <A
                    href=coaching_href(id)
                    attr:id=link_id.clone()
                    attr:aria-labelledby=format!("{link_id} coaching-{id}-when")
                >
                    {tr(i18n, |l| td_string!(l, coaching.view))}
                </A>
            }
        }),
    ]);
    let rows = Rows::default()
        .testid(|s: &CoachingSession| format!("coaching-row-{}", s.id))
        .flag("fb-overdue-row", |s: &CoachingSession| {
            Signal::stored(s.follow_up_overdue)
        });
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="coaching-table-caption">
            <DataTable
                class="data-table fb-plan-table"
                testid="coaching-table"
                caption=|l| td_string!(l, coaching.table_caption)
                caption_id="coaching-table-caption"
                columns
                rows=sessions
                row=rows
            />
        </div>
    }
}

/// The homes' line about coaching: for an agent the sessions awaiting their acknowledgement,
/// for a lead those awaiting and the overdue follow-ups; each a link to the list.
#[component]
pub fn CoachingGlance() -> impl IntoView {
    let i18n = use_i18n();
    let agent = use_session().role() == Some(Role::Agent);
    let list =
        LocalResource::new(|| async { api::coaching::list(&CoachingQuery::default()).await });
    let awaiting_href = coaching_list_href(&CoachingQuery {
        state: Some(CoachingState::Awaiting),
        ..CoachingQuery::default()
    });
    move || {
        let page = list.get().and_then(Result::ok)?;
        let (awaiting, overdue) = (page.counts.awaiting, page.overdue);
        let href = awaiting_href.clone();
        Some(view! {
            <ul class="fb-glance" data-testid="coaching-glance">
                <li class:fb-glance-alert=(agent && awaiting > 0)>
                    <A href=href>
                        {move || if agent {
                            td_string!(i18n.get_locale(), coaching.home_awaiting, count = awaiting.to_string())
                        } else {
                            td_string!(i18n.get_locale(), coaching.home_awaiting_team, count = awaiting.to_string())
                        }}
                    </A>
                </li>
                {(!agent).then(|| view! {
                    <li class:fb-glance-alert=(overdue > 0)>
                        <A href=COACHING_PATH>
                            {move || td_string!(i18n.get_locale(), coaching.home_overdue, count = overdue.to_string())}
                        </A>
                    </li>
                })}
                <li>
                    <A href=COACHING_PATH>{tr(i18n, |l| td_string!(l, coaching.home_link))}</A>
                </li>
            </ul>
        })
    }
}
