//! The audit log (审计日志, `/admin/audit`): every entry, newest first, filtered by action,
//! actor, target and period (kept in the address), a page at a time.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::audit::{AuditEntry, AuditLogPage, detail_lines};

use crate::api;
use crate::api::moderation::AuditQuery;
use crate::api::query::{self, paged_href};
use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging};
use crate::components::filters::{DateRange, FilterActions, SelectFilter, submitted_values};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::{lang, role_name};

/// Where the log lives.
pub const AUDIT_PATH: &str = "/admin/audit";

/// What entries can be about, as the server names them, for the filter.
pub const TARGET_TYPES: [&str; 14] = [
    "evaluation",
    "appeal",
    "abusive_term",
    "user",
    "team",
    "dimension",
    "service_type",
    "setting",
    "calendar_day",
    "calendar_year",
    "api_key",
    "stop_word",
    "improvement_plan",
    "callback",
];

/// The filters and page of the log as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> AuditQuery {
    let query: AuditQuery = query::from_pairs(params.latest_values(), &[]);
    AuditQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the log with these filters and page (the first page left out).
pub fn audit_href(query: &AuditQuery) -> String {
    paged_href(AUDIT_PATH, query, query::Paging::after_first(query.page))
}

/// An action's name in words, when this app knows it (`evaluation.deleted` → 删除评价): the
/// domain's table, which names every action the server writes.
pub fn action_label(locale: Locale, action: &str) -> Option<&'static str> {
    pingjia_domain::audit::action_label(action, crate::labels::lang(locale))
}

/// A target type's name in words, when this app knows it.
pub fn target_type_label(locale: Locale, target_type: &str) -> Option<&'static str> {
    Some(match target_type {
        "evaluation" => td_string!(locale, audit.t_evaluation),
        "appeal" => td_string!(locale, audit.t_appeal),
        "abusive_term" => td_string!(locale, audit.t_abusive_term),
        "user" => td_string!(locale, audit.t_user),
        "team" => td_string!(locale, audit.t_team),
        "dimension" => td_string!(locale, audit.t_dimension),
        "service_type" => td_string!(locale, audit.t_service_type),
        "setting" => td_string!(locale, audit.t_setting),
        "calendar_day" => td_string!(locale, audit.t_calendar_day),
        "calendar_year" => td_string!(locale, audit.t_calendar_year),
        "api_key" => td_string!(locale, audit.t_api_key),
        "qa_template" => td_string!(locale, audit.t_qa_template),
        "stop_word" => td_string!(locale, audit.t_stop_word),
        "improvement_plan" => td_string!(locale, audit.t_improvement_plan),
        "callback" => td_string!(locale, audit.t_callback),
        "report_subscription" => td_string!(locale, audit.t_report_subscription),
        "report_delivery" => td_string!(locale, audit.t_report_delivery),
        "smtp_settings" => td_string!(locale, audit.t_smtp_settings),
        "qa_plan" => td_string!(locale, audit.t_qa_plan),
        "qa_sample" => td_string!(locale, audit.t_qa_sample),
        "qa_rectification" => td_string!(locale, audit.t_qa_rectification),
        "service_record" => td_string!(locale, audit.t_service_record),
        "tag" => td_string!(locale, audit.t_tag),
        "coaching" => td_string!(locale, audit.t_coaching),
        "qa_calibration" => td_string!(locale, audit.t_qa_calibration),
        "qa_dispute" => td_string!(locale, audit.t_qa_dispute),
        _ => return None,
    })
}

/// The audit log page.
#[component]
pub fn AdminAudit() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let log = LocalResource::new(move || {
        let query = query.get();
        async move { api::moderation::audit_log(&query).await }
    });
    // The action names of the last answer, for the filter, kept while the next one loads.
    let actions = RwSignal::new(Vec::<String>::new());
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, audit.title)) />
        <h1>{t!(i18n, audit.title)}</h1>
        <p class="lead">{t!(i18n, audit.intro)}</p>
        <Filters query actions />
        <Loaded
            resource=log
            view=move |page: AuditLogPage| {
                actions.set(page.actions.clone());
                view! { <EntryList page query /> }
            }
        />
    }
}

/// The filters; the address holds them.
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<AuditQuery>,
    /// Every action name the log holds.
    actions: RwSignal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        let Some(field) = submitted_values(&ev) else {
            return;
        };
        let value = |name: &str| Some(field(name));
        let wanted = AuditQuery {
            action: value("action"),
            actor: value("actor"),
            target_type: value("target_type"),
            target_id: value("target_id"),
            from: value("from").and_then(|d| d.parse().ok()),
            to: value("to").and_then(|d| d.parse().ok()),
            page: 1,
        };
        navigate(&audit_href(&wanted), Default::default());
    };
    let filtered = move || query.with(|q| !query::to_query(q).is_empty());
    let text = move |f: fn(&AuditQuery) -> Option<String>| {
        move || query.with(|q| f(q).unwrap_or_default())
    };
    view! {
        <form class="filters audit-filters" role="search" on:submit=on_submit>
            <SelectFilter
                id="audit-action"
                name="action"
                label=|l| td_string!(l, audit.action)
                all=|l| td_string!(l, audit.all_actions)
                options=Signal::derive(move || {
                    let locale = i18n.get_locale();
                    let mut names = actions.get();
                    // The filtered action stays choosable while the list loads.
                    if let Some(current) = query.with(|q| q.action.clone())
                        && !names.contains(&current)
                    {
                        names.push(current);
                    }
                    names
                        .into_iter()
                        .map(|name| {
                            let label = action_label(locale, &name)
                                .map_or_else(|| name.clone(), str::to_owned);
                            (name, label)
                        })
                        .collect()
                })
                selected=Signal::derive(text(|q| q.action.clone()))
            />
            <div class="field">
                <label for="audit-actor">{t!(i18n, audit.actor)}</label>
                <input
                    id="audit-actor"
                    name="actor"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="audit-actor-hint"
                    prop:value=text(|q| q.actor.clone())
                />
                <p id="audit-actor-hint" class="field-hint">{t!(i18n, audit.actor_hint)}</p>
            </div>
            <SelectFilter
                id="audit-target-type"
                name="target_type"
                label=|l| td_string!(l, audit.target_type)
                all=|l| td_string!(l, audit.all_targets)
                options=Signal::derive(move || {
                    let locale = i18n.get_locale();
                    TARGET_TYPES
                        .map(|kind| (kind.to_owned(), target_type_label(locale, kind).unwrap_or(kind).to_owned()))
                        .to_vec()
                })
                selected=Signal::derive(text(|q| q.target_type.clone()))
            />
            <div class="field">
                <label for="audit-target-id">{t!(i18n, audit.target_id)}</label>
                <input
                    id="audit-target-id"
                    name="target_id"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="audit-target-id-hint"
                    prop:value=text(|q| q.target_id.clone())
                />
                <p id="audit-target-id-hint" class="field-hint">{t!(i18n, audit.target_id_hint)}</p>
            </div>
            <DateRange id="audit" from_label=|l| td_string!(l, audit.from) to_label=|l| td_string!(l, audit.to) from=Signal::derive(move || query.with(|q| q.from)) to=Signal::derive(move || query.with(|q| q.to)) />
            <FilterActions apply=|l| td_string!(l, audit.apply) clear=|l| td_string!(l, audit.clear_filters) clear_href=AUDIT_PATH.to_owned() filtered=Signal::derive(filtered) />
        </form>
    }
}

/// One page of entries with the count and the paging.
#[component]
fn EntryList(
    /// The page as loaded.
    page: AuditLogPage,
    /// The filters it was loaded with.
    query: Memo<AuditQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = query.get_untracked();
    let paging = Paging::new(page.page, page.per_page, page.total, page.entries.len());
    let Paging {
        total, first, last, ..
    } = paging;
    let empty = move || {
        if total == 0 {
            t_string!(i18n, audit.empty)
        } else {
            t_string!(i18n, audit.page_empty)
        }
    };
    let href = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        audit_href(&query)
    };
    view! {
        <PagedList
            paging
            href
            count=t!(i18n, audit.count, count = total, first, last).into_any()
            empty=empty.into_any()
        >
            <DataTable
                class="data-table audit-table"
                caption=|l| td_string!(l, audit.caption)
                columns=entry_columns()
                rows=page.entries
            />
        </PagedList>
    }
}

/// The columns of the log: when, who, what, on what, the details and the address.
fn entry_columns() -> Vec<Column<AuditEntry>> {
    let i18n = use_i18n();
    vec![
        Column::new(
            |l| td_string!(l, audit.time),
            |entry: &AuditEntry| {
                view! { <time datetime=entry.at.to_rfc3339()>{local_time(entry.at)}</time> }
            },
        ),
        Column::new(
            |l| td_string!(l, audit.actor),
            move |entry: &AuditEntry| {
                let by_system = entry.actor_id.is_none() && !entry.action.starts_with("auth.");
                match (entry.actor_name.clone(), entry.actor_role) {
                    (Some(name), role) => {
                        let number = entry.actor_no.clone();
                        Either::Left(view! {
                            <span class="audit-actor">
                                <span data-verbatim="">{name}</span>
                                {number.map(|n| view! { " " <span class="mono muted">{n}</span> })}
                                {role
                                    .map(|role| {
                                        view! {
                                            <span class="muted">" · " {move || role_name(i18n.get_locale(), role)}</span>
                                        }
                                    })}
                            </span>
                        })
                    }
                    (None, _) => Either::Right(view! {
                        <span class="muted">
                            {move || {
                                if by_system {
                                    t_string!(i18n, audit.system)
                                } else {
                                    t_string!(i18n, audit.nobody)
                                }
                            }}
                        </span>
                    }),
                }
            },
        ),
        Column::new(
            |l| td_string!(l, audit.action),
            move |entry: &AuditEntry| {
                let action = entry.action.clone();
                view! {
                    <span class="audit-action">
                        {move || {
                            action_label(i18n.get_locale(), &action)
                                .map_or_else(|| action.clone(), str::to_owned)
                        }}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, audit.target),
            move |entry: &AuditEntry| {
                let target_type = entry.target_type.clone();
                let target_id = entry.target_id.clone();
                move || {
                    let locale = i18n.get_locale();
                    let kind = target_type
                        .as_deref()
                        .map(|t| target_type_label(locale, t).unwrap_or(t).to_owned());
                    match (kind, target_id.clone()) {
                        (Some(kind), Some(id)) => format!("{kind} {id}"),
                        (Some(kind), None) => kind,
                        (None, Some(id)) => id,
                        (None, None) => "—".to_owned(),
                    }
                }
            },
        ),
        Column::new(
            |l| td_string!(l, audit.detail),
            move |entry: &AuditEntry| {
                let details = entry.details.clone();
                move || {
                    let details = detail_lines(&details, lang(i18n.get_locale()));
                    if details.is_empty() {
                        Either::Left("—")
                    } else {
                        Either::Right(view! {
                            <dl class="audit-details">
                                {details
                                    .into_iter()
                                    .map(|(name, value)| {
                                        view! {
                                            <div>
                                                <dt>{name}</dt>
                                                <dd data-verbatim="">{value}</dd>
                                            </div>
                                        }
                                    })
                                    .collect_view()}
                            </dl>
                        })
                    }
                }
            },
        ),
        Column::new(
            |l| td_string!(l, audit.ip),
            |entry: &AuditEntry| entry.actor_ip.clone().unwrap_or_else(|| "—".to_owned()),
        )
        .class("mono"),
    ]
}
