//! The review queue of anomalous evaluations (评价审核, `/admin/moderation`): the status tabs,
//! filters in the address, one page of flagged evaluations with their reasons in words, a
//! selection with bulk decisions, each evaluation's flag and decision history; the
//! abusive-word lexicon has its own page (`terms`).

mod decision;
pub mod terms;

pub use decision::{IdProblem, ReasonProblem, per_id_problems, reason_problem};

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::moderation::{
    AgentStanding, DEFAULT_QUEUE_PER_PAGE, Decision, QueueStatus, ReviewPage,
};
use wasm_bindgen::JsCast;

use crate::api;
use crate::api::moderation::QueueQuery;
use crate::api::query::{self, paged_href};
use crate::components::nav_badge::{Counted, recount};
use crate::components::page::PageTitle;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::rule_name;

use crate::components::data_table::{Loaded, PagedList, Paging};
use crate::components::filters::{
    DateRange, FilterActions, SelectFilter, agent_choices, submitted_values,
};
use decision::DecisionDialog;

mod review;
use review::ReviewCard;

mod model;
use model::{Decided, Pending};
pub use model::{decision_name, decisions_for, listed_status, queue_status_name, status_name};

/// Where the queue lives.
pub const MODERATION_PATH: &str = "/admin/moderation";
/// Where the abusive-word lexicon lives.
pub const TERMS_PATH: &str = "/admin/moderation/terms";
/// The id of the announcement of the last decision, which takes the focus after one.
const ANNOUNCEMENT_ID: &str = "moderation-announcement";

/// The three parts of the queue, in the order of the tabs.
pub const QUEUE_STATUSES: [QueueStatus; 3] = [
    QueueStatus::UnderReview,
    QueueStatus::Deleted,
    QueueStatus::Kept,
];

/// The filters and page of the queue as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> QueueQuery {
    let query: QueueQuery = query::from_pairs(params.latest_values(), &[]);
    QueueQuery {
        page: query.page.max(1),
        per_page: DEFAULT_QUEUE_PER_PAGE,
        ..query
    }
}

/// The address of the queue with these filters and page (the first page, the default status
/// and the page size left out).
pub fn moderation_href(query: &QueueQuery) -> String {
    paged_href(
        MODERATION_PATH,
        query,
        query::Paging::after_first(query.page),
    )
}

/// The review queue page.
#[component]
pub fn AdminModeration() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let decided = RwSignal::new(None::<Decided>);
    let version = RwSignal::new(0u32);
    let queue = LocalResource::new(move || {
        let query = query.get();
        version.track();
        async move { api::moderation::queue(&query).await }
    });
    let agents = agent_choices();
    let on_decided = Callback::new(move |done: Decided| {
        decided.set(Some(done));
        version.update(|v| *v += 1);
        recount(Counted::Review);
        // The buttons that opened the dialog are redrawn with the list: the focus waits on
        // the announcement meanwhile.
        request_animation_frame(|| {
            if let Some(element) = document()
                .get_element_by_id(ANNOUNCEMENT_ID)
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        });
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, moderation.title)) />
        <div class="page-head">
            <h1>{t!(i18n, moderation.title)}</h1>
            <p class="page-actions">
                <A href=TERMS_PATH attr:class="button button-secondary">
                    {t!(i18n, moderation.terms_title)}
                </A>
            </p>
        </div>
        <p class="lead">{t!(i18n, moderation.intro)}</p>
        <StatusTabs query />
        <Filters query agents />
        <p id=ANNOUNCEMENT_ID class="status" role="status" tabindex="-1">
            {move || {
                decided
                    .get()
                    .map(|done| {
                        let count = done.numbers.len();
                        let numbers = done.numbers.join(", ");
                        match done.decision {
                            Decision::Keep => t!(i18n, moderation.done_kept, count, numbers).into_any(),
                            Decision::Delete => {
                                t!(i18n, moderation.done_deleted, count, numbers).into_any()
                            }
                            Decision::Restore => {
                                t!(i18n, moderation.done_restored, count, numbers).into_any()
                            }
                        }
                    })
            }}
        </p>
        <Loaded
            resource=queue
            view=move |page: ReviewPage| {
                let standing = page
                    .agent
                    .clone()
                    .map(|standing| view! { <Standing standing agents /> });
                view! { {standing} <QueueList page query on_decided /> }
            }
        />
    }
}

/// The parts of the queue as links that keep the other filters; the current one is marked.
#[component]
fn StatusTabs(
    /// The filters in the address.
    query: Memo<QueueQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="status-tabs" aria-label=move || t_string!(i18n, moderation.status_nav)>
            <ul>
                {QUEUE_STATUSES
                    .into_iter()
                    .map(|status| {
                        let href = move || {
                            let mut wanted = query.get();
                            wanted.status = status;
                            wanted.page = 1;
                            moderation_href(&wanted)
                        };
                        let current = move || query.with(|q| q.status == status);
                        view! {
                            <li>
                                <a href=href aria-current=move || current().then_some("page")>
                                    {move || queue_status_name(i18n.get_locale(), status)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The rule, agent and period filters; the address holds them (and the tab).
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<QueueQuery>,
    /// The agents to filter by: id and label.
    agents: Signal<Vec<(i64, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let wanted = QueueQuery {
            status: query.get_untracked().status,
            rule: AnomalyRule::parse(&value("rule")),
            agent_id: value("agent_id").parse().ok(),
            from: value("from").parse().ok(),
            to: value("to").parse().ok(),
            page: 1,
            per_page: DEFAULT_QUEUE_PER_PAGE,
        };
        navigate(&moderation_href(&wanted), Default::default());
    };
    let filtered = move || {
        query.with(|q| {
            q.rule.is_some() || q.agent_id.is_some() || q.from.is_some() || q.to.is_some()
        })
    };
    let cleared = move || {
        moderation_href(&QueueQuery {
            status: query.get().status,
            ..QueueQuery::default()
        })
    };
    view! {
        <form class="filters moderation-filters" role="search" on:submit=on_submit>
            <SelectFilter
                id="moderation-rule"
                name="rule"
                label=|l| td_string!(l, moderation.rule)
                all=|l| td_string!(l, moderation.all_rules)
                options=Signal::derive(move || {
                    let locale = i18n.get_locale();
                    AnomalyRule::ALL.map(|r| (r.as_str().to_owned(), rule_name(locale, r).to_owned())).to_vec()
                })
                selected=Signal::derive(move || query.with(|q| q.rule.map(|r| r.as_str().to_owned()).unwrap_or_default()))
            />
            <SelectFilter
                id="moderation-agent"
                name="agent_id"
                label=|l| td_string!(l, moderation.agent)
                all=|l| td_string!(l, moderation.all_agents)
                options=Signal::derive(move || agents.get().into_iter().map(|(id, label)| (id.to_string(), label)).collect())
                selected=Signal::derive(move || query.with(|q| q.agent_id.map(|a| a.to_string()).unwrap_or_default()))
            />
            <DateRange id="moderation" from_label=|l| td_string!(l, moderation.from) to_label=|l| td_string!(l, moderation.to) from=Signal::derive(move || query.with(|q| q.from)) to=Signal::derive(move || query.with(|q| q.to)) />
            <FilterActions apply=|l| td_string!(l, moderation.apply) clear=|l| td_string!(l, moderation.clear_filters) clear_href=Signal::derive(cleared) filtered=Signal::derive(filtered) />
        </form>
    }
}

/// What the statistics count of the filtered agent now: how many evaluations and their mean
/// total score, so the admin sees what a decision does to the agent.
#[component]
fn Standing(
    /// The agent's standing, as the queue answered it.
    standing: AgentStanding,
    /// The agents by id, for the name and number.
    agents: Signal<Vec<(i64, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let agent_id = standing.agent_id;
    let name = move || {
        agents.with(|agents| {
            agents
                .iter()
                .find(|(id, _)| *id == agent_id)
                .map_or_else(String::new, |(_, label)| label.clone())
        })
    };
    let counted = standing.counted;
    let average = standing
        .average_total
        .map_or_else(|| "—".to_owned(), |a| format!("{a:.2}"));
    view! {
        <p class="agent-standing" data-testid="agent-standing">
            {t!(i18n, moderation.standing, name, counted, average = average.clone())}
        </p>
    }
}

/// One page of the queue: the count, the selection with its bulk actions, the items, the
/// paging, and the decision dialog. Drawn afresh with each load, so a selection never
/// outlives the list it was made on.
#[component]
fn QueueList(
    /// The page as loaded.
    page: ReviewPage,
    /// The filters it was loaded with.
    query: Memo<QueueQuery>,
    /// Called after a decision was taken.
    on_decided: Callback<Decided>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = query.get_untracked();
    let paging = Paging::new(page.page, page.per_page, page.total, page.items.len());
    let Paging {
        total, first, last, ..
    } = paging;
    if page.items.is_empty() {
        let filtered = query.rule.is_some()
            || query.agent_id.is_some()
            || query.from.is_some()
            || query.to.is_some();
        let status = query.status;
        let text = move || {
            let locale = i18n.get_locale();
            if total > 0 {
                td_string!(locale, moderation.page_empty)
            } else if filtered {
                td_string!(locale, moderation.empty_filtered)
            } else {
                match status {
                    QueueStatus::UnderReview => td_string!(locale, moderation.empty_under_review),
                    QueueStatus::Deleted => td_string!(locale, moderation.empty_deleted),
                    QueueStatus::Kept => td_string!(locale, moderation.empty_kept),
                }
            }
        };
        return Either::Left(view! { <p class="notice notice-empty">{text}</p> });
    }
    let ids: Vec<(i64, String)> = page
        .items
        .iter()
        .map(|i| (i.id, i.number.clone()))
        .collect();
    let ids = StoredValue::new(ids);
    let selected = RwSignal::new(Vec::<i64>::new());
    let pending = RwSignal::new(None::<Pending>);
    let all_selected = move || {
        let chosen = selected.get();
        ids.with_value(|ids| ids.iter().all(|(id, _)| chosen.contains(id)))
    };
    let select_all = move |ev: leptos::ev::Event| {
        if event_target_checked(&ev) {
            selected.set(ids.with_value(|ids| ids.iter().map(|(id, _)| *id).collect()));
        } else {
            selected.set(Vec::new());
        }
    };
    let open = Callback::new(move |p: Pending| pending.set(Some(p)));
    let open_bulk = move |decision: Decision| {
        let chosen = selected.get_untracked();
        let targets: Vec<(i64, String)> = ids.with_value(|ids| {
            ids.iter()
                .filter(|(id, _)| chosen.contains(id))
                .cloned()
                .collect()
        });
        if !targets.is_empty() {
            open.run(Pending { decision, targets });
        }
    };
    let bulk = decisions_for(listed_status(query.status));
    let href = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        moderation_href(&query)
    };
    let count = move || selected.with(Vec::len);
    let closed = Callback::new(move |()| pending.set(None));
    let done = Callback::new(move |d: Decided| {
        selected.set(Vec::new());
        on_decided.run(d);
    });
    Either::Right(view! {
        <PagedList
            paging
            href
            count=t!(i18n, moderation.count, count = total, first, last).into_any()
            empty=().into_any()
        >
        <div class="bulk-bar" role="group" aria-label=move || t_string!(i18n, moderation.bulk_label)>
            <label class="checkbox">
                <input type="checkbox" prop:checked=all_selected on:change=select_all />
                <span>{t!(i18n, moderation.select_all)}</span>
            </label>
            <span class="bulk-count">{move || t!(i18n, moderation.selected, count = count())}</span>
            <div class="row-actions">
                {bulk
                    .into_iter()
                    .map(|decision| {
                        view! {
                            <button
                                type="button"
                                class="button button-small"
                                class:button-secondary=decision != Decision::Delete
                                class:button-danger=decision == Decision::Delete
                                disabled=move || count() == 0
                                on:click=move |_| open_bulk(decision)
                            >
                                {move || decision_name(i18n.get_locale(), decision)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
        <ul class="review-list" aria-label=move || t_string!(i18n, moderation.list_label)>
            {page
                .items
                .into_iter()
                .map(|item| view! { <ReviewCard item selected on_action=open /> })
                .collect_view()}
        </ul>
        </PagedList>
        {move || {
            pending
                .get()
                .map(|p| {
                    view! {
                        <DecisionDialog
                            decision=p.decision
                            targets=p.targets
                            on_close=closed
                            done
                        />
                    }
                })
        }}
    })
}
