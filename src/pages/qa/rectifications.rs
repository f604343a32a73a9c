//! Rectification tracking (`/qa/rectifications`, 整改跟踪): a page at a time, what waits for
//! someone's action first, by tab (all, open, reported, closed, overdue, each with its count),
//! agent, team, plan and deadline in the address; and the inspector's re-check of
//! a reported one: accept it, or send it back with a note. Also the owner's report form, which
//! the agent's and team lead's page uses.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    Recheck, Rectification, RectificationPage, RectificationReport, RectificationResult,
    RectificationState, RectificationStatus,
};

use crate::api::qa::RectificationQuery;
use crate::api::query::{self, paged_href};
use crate::api::{self, ApiError};
use crate::components::data_table::{ListWords, Loaded, PagedList, Paging};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::error_message;
use crate::components::filters::{DateRange, FilterActions, SelectFilter, submitted_values};
use crate::components::form::error_id;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::fields::{ErrorLine, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::form::focus_invalid_in;
use crate::components::page::PageTitle;
use crate::components::status_tabs::{StatusTabs, state_tabs};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::{
    QaErrors, RECTIFICATIONS_PATH, RectificationCard, rectification_result_name,
    rectification_status_name,
};

/// The filters and page of the list as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> RectificationQuery {
    let query: RectificationQuery = query::from_pairs(params.latest_values(), &[]);
    RectificationQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the list with these filters and page (the first page left out).
pub fn rectifications_href(query: &RectificationQuery) -> String {
    paged_href(
        RECTIFICATIONS_PATH,
        query,
        query::Paging::after_first(query.page),
    )
}

/// The address of one tab of the list, no other filter set.
pub fn tab_href(state: RectificationState) -> String {
    rectifications_href(&RectificationQuery {
        status: Some(state),
        ..RectificationQuery::default()
    })
}

/// A tab's name: 全部, 整改中, 待复查, 已关闭, 已逾期.
pub fn filter_name(locale: Locale, state: Option<RectificationState>) -> &'static str {
    match state {
        None => td_string!(locale, qa.filter_all),
        Some(RectificationState::Open) => {
            rectification_status_name(locale, RectificationStatus::Open)
        }
        Some(RectificationState::Reported) => {
            rectification_status_name(locale, RectificationStatus::Reported)
        }
        Some(RectificationState::Closed) => {
            rectification_status_name(locale, RectificationStatus::Closed)
        }
        Some(RectificationState::Overdue) => td_string!(locale, qa.filter_overdue),
    }
}

/// The list with its tabs, filters, pages and the re-check dialog.
#[component]
pub fn RectificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let refreshed = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let query = query.get();
        refreshed.track();
        async move { api::qa::rectifications(&query).await }
    });
    let dialog = RwSignal::new(None::<(bool, Rectification)>);
    let announcement = RwSignal::new(None::<&'static str>);
    let open = Callback::new(move |chosen: (bool, Rectification)| {
        announcement.set(None);
        dialog.set(Some(chosen));
    });
    let done = Callback::new(move |accepted: bool| {
        announcement.set(Some(if accepted { "accepted" } else { "sent_back" }));
        refreshed.update(|n| *n += 1);
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.rectifications_title)) />
        <h1>{tr(i18n, |l| td_string!(l, qa.rectifications_title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa.rect_order_note))}</p>
        <Tabs query list />
        <Filters query list />
        <p class="status" role="status" aria-live="polite">
            {move || announcement.get().map(|done| {
                if done == "accepted" {
                    tr(i18n, |l| td_string!(l, qa.recheck_accepted)).into_any()
                } else {
                    tr(i18n, |l| td_string!(l, qa.recheck_sent_back)).into_any()
                }
            })}
        </p>
        <Loaded
            resource=list
            view=move |page| view! { <RectificationItems page query=query.get_untracked() on_recheck=open /> }
        />
        {move || dialog.get().map(|(accept, rectification)| view! {
            <RecheckDialog rectification accept on_close=Callback::new(move |()| dialog.set(None)) done />
        })}
    }
}

/// The tabs (every rectification, then each state) as links that keep the other filters, each
/// with its count once the list has loaded; the current one is marked.
#[component]
fn Tabs(
    /// The filters in the address.
    query: Memo<RectificationQuery>,
    /// The list, for the counts.
    list: LocalResource<Result<RectificationPage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tabs = state_tabs(
        RectificationState::ALL,
        move |status| {
            rectifications_href(&RectificationQuery {
                status,
                page: 1,
                ..query.get()
            })
        },
        filter_name,
        move |state| list.get().and_then(Result::ok).map(|p| p.counts.of(state)),
        move || query.with(|q| q.status),
    );
    let label = Signal::derive(move || t_string!(i18n, qa.filter_status).to_owned());
    view! { <StatusTabs tabs label class="qa-filters" /> }
}

/// The agent, team, plan and deadline filters; the address holds them (and the tab).
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<RectificationQuery>,
    /// The list, whose answer carries the agents, teams and plans to choose from (the user
    /// directory is the admins' alone).
    list: LocalResource<Result<RectificationPage, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    // The last choices answered, kept while the list loads again.
    let choices = RwSignal::new((Vec::new(), Vec::new(), Vec::new()));
    Effect::new(move || {
        if let Some(Ok(page)) = list.get() {
            choices.set((page.agents, page.teams, page.plans));
        }
    });
    let agents = Signal::derive(move || {
        choices.with(|(agents, _, _)| {
            agents
                .iter()
                .map(|a| (a.id.to_string(), format!("{} {}", a.name, a.no)))
                .collect::<Vec<_>>()
        })
    });
    let teams = Signal::derive(move || {
        choices.with(|(_, teams, _)| {
            teams
                .iter()
                .map(|t| (t.id.to_string(), t.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let plans = Signal::derive(move || {
        choices.with(|(_, _, plans)| {
            plans
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let on_submit = move |ev: SubmitEvent| {
        let Some(value) = submitted_values(&ev) else {
            return;
        };
        let wanted = RectificationQuery {
            status: query.get_untracked().status,
            agent_id: value("agent_id").parse().ok(),
            team_id: value("team_id").parse().ok(),
            plan_id: value("plan_id").parse().ok(),
            from: value("from").parse().ok(),
            to: value("to").parse().ok(),
            page: 1,
        };
        navigate(&rectifications_href(&wanted), Default::default());
    };
    let cleared = move || {
        rectifications_href(&RectificationQuery {
            status: query.get().status,
            ..RectificationQuery::default()
        })
    };
    let chosen = |id: fn(&RectificationQuery) -> Option<i64>| {
        Signal::derive(move || query.with(|q| id(q).map(|id| id.to_string()).unwrap_or_default()))
    };
    view! {
        <form class="filters rect-filters" role="search" aria-label=move || t_string!(i18n, qa.rect_filters) on:submit=on_submit>
            <SelectFilter
                id="rect-agent"
                name="agent_id"
                label=|l| td_string!(l, qa.agent)
                all=|l| td_string!(l, qa.all_agents)
                options=agents
                selected=chosen(|q| q.agent_id)
            />
            <SelectFilter
                id="rect-team"
                name="team_id"
                label=|l| td_string!(l, qa.team)
                all=|l| td_string!(l, qa.all_teams)
                options=teams
                selected=chosen(|q| q.team_id)
            />
            <SelectFilter
                id="rect-plan"
                name="plan_id"
                label=|l| td_string!(l, qa.plan)
                all=|l| td_string!(l, qa.all_plans_filter)
                options=plans
                selected=chosen(|q| q.plan_id)
            />
            <DateRange
                id="rect-deadline"
                from_label=|l| td_string!(l, qa.deadline_from)
                to_label=|l| td_string!(l, qa.deadline_to)
                from=Signal::derive(move || query.with(|q| q.from))
                to=Signal::derive(move || query.with(|q| q.to))
            />
            <FilterActions
                apply=|l| td_string!(l, qa.apply_filters)
                clear=|l| td_string!(l, qa.clear_filters)
                clear_href=Signal::derive(cleared)
                filtered=Signal::derive(move || query.with(RectificationQuery::filtered))
            />
        </form>
    }
}

/// One page of the list, each reported rectification with its re-check buttons, and the
/// pager.
#[component]
fn RectificationItems(
    /// The page as loaded.
    page: RectificationPage,
    /// The filters it was loaded with.
    query: RectificationQuery,
    /// Opens the re-check dialog: accept (true) or send back (false).
    on_recheck: Callback<(bool, Rectification)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.rectifications.len(),
    );
    let filtered = query.filtered();
    let cards = page
        .rectifications
        .into_iter()
        .map(|r| {
            let id = r.id;
            let actions = (r.status == RectificationStatus::Reported).then(|| {
                let (accept, back) = (r.clone(), r.clone());
                view! {
                    <div class="row-actions">
                        <button
                            type="button"
                            class="button"
                            id=format!("rect-{id}-accept")
                            aria-labelledby=format!("rect-{id}-accept rect-{id}-title")
                            on:click=move |_| on_recheck.run((true, accept.clone()))
                        >
                            {tr(i18n, |l| td_string!(l, qa.recheck_accept))}
                        </button>
                        <button
                            type="button"
                            class="button button-secondary"
                            id=format!("rect-{id}-back")
                            aria-labelledby=format!("rect-{id}-back rect-{id}-title")
                            on:click=move |_| on_recheck.run((false, back.clone()))
                        >
                            {tr(i18n, |l| td_string!(l, qa.recheck_send_back))}
                        </button>
                    </div>
                }
            });
            view! {
                <li>
                    <RectificationCard rectification=r>{actions}</RectificationCard>
                </li>
            }
        })
        .collect_view();
    let href = move |n: u64| {
        rectifications_href(&RectificationQuery {
            page: u32::try_from(n).unwrap_or(1),
            ..query.clone()
        })
    };
    let (count, empty) = ListWords {
        count: |l, count, first, last| {
            td_string!(
                l,
                qa.rect_count,
                count = count.to_string(),
                first = first.to_string(),
                last = last.to_string()
            )
            .to_string()
        },
        page_empty: |l| td_string!(l, qa.rect_page_empty),
        filtered: |l| td_string!(l, qa.rect_empty_filtered),
        none: |l| td_string!(l, qa.rectifications_empty),
    }
    .views(paging, filtered);
    view! {
        <PagedList paging href count empty>
            <ul class="qa-rect-list" data-testid="rect-list">{cards}</ul>
        </PagedList>
    }
}

/// The re-check of a reported rectification: accept it (a note is optional) or send it back
/// (a note is required).
#[component]
fn RecheckDialog(
    /// The rectification.
    rectification: Rectification,
    /// Accepting (true) or sending back (false).
    accept: bool,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called after the re-check, with whether it was accepted.
    done: Callback<bool>,
) -> impl IntoView {
    const RECHECK_FORM: &str = "recheck-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let id = rectification.id;
    let note = RwSignal::new(String::new());
    let errors = QaErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |body: &Recheck| {
        let body = body.clone();
        async move {
            match api::qa::recheck(id, &body).await {
                Ok(_) => {
                    done.run(body.accepted);
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(RECHECK_FORM);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let body = Recheck {
            accepted: accept,
            note: note.get_untracked().trim().to_owned(),
        };
        match body.check() {
            Ok(()) => {
                errors.set(Vec::new());
                send.dispatch_local(body);
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(RECHECK_FORM);
            }
        }
    };
    let result = rectification.result;
    let owner_note = rectification.owner_note.clone().unwrap_or_default();
    view! {
        <FormDialog
            node_ref=node
            title_id="recheck-title"
            title=view! { {move || if accept { t_string!(i18n, qa.recheck_accept_title) } else { t_string!(i18n, qa.recheck_back_title) }} }.into_any()
            outside=true
            about=view! { <p class="record-meta">
                <span class="mono">{rectification.external_id.clone()}</span> " · " {rectification.owner.name.clone()}
                {result.map(|r| view! { " · " {move || rectification_result_name(i18n.get_locale(), r)} })}
            </p>
            <p class="suggestion-text">{owner_note}</p> }.into_any()
            form_id=RECHECK_FORM
            on_submit
            on_close
            submit=Signal::derive(move || if accept { t_string!(i18n, qa.recheck_confirm_accept) } else { t_string!(i18n, qa.recheck_confirm_back) })
            pending=send.pending()
            disable=true
        >

                <TextAreaField
                    id="recheck-note"
                    label=Signal::derive(move || t_string!(i18n, qa.recheck_note).to_owned())
                    value=note
                    error=errors.of("note".into())
                    required=!accept
                    optional=accept
                />
                <FormFailure failure region=true />
        </FormDialog>
    }
}

/// The owner's report of a rectification: the result (已整改 / 未整改 / 需持续改进) and a
/// required note of what was done; `on_reported` receives the updated rectification.
#[component]
pub fn RectificationReportForm(
    /// The rectification, open.
    rectification: Rectification,
    /// Called with the rectification once reported.
    on_reported: Callback<Rectification>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = rectification.id;
    let form_id = format!("rect-{id}-report");
    let result = RwSignal::new(None::<RectificationResult>);
    let note = RwSignal::new(String::new());
    let errors = QaErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let focus_id = StoredValue::new(form_id.clone());
    let send = Action::new_local(move |body: &RectificationReport| {
        let body = body.clone();
        async move {
            match api::qa::report_rectification(id, &body).await {
                Ok(updated) => on_reported.run(updated),
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_invalid_in(focus_id.get_value());
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let chosen = result.get_untracked();
        let body = RectificationReport {
            result: chosen.unwrap_or(RectificationResult::Rectified),
            note: note.get_untracked().trim().to_owned(),
        };
        let mut found = Vec::new();
        if chosen.is_none() {
            found.push(FieldError::new("result", "required", "choose a result"));
        }
        if let Err(more) = body.check() {
            found.extend(more);
        }
        if found.is_empty() {
            errors.set(Vec::new());
            send.dispatch_local(body);
        } else {
            errors.set(found);
            focus_invalid_in(focus_id.get_value());
        }
    };
    let result_error = errors.of("result".into());
    let result_invalid = move || result_error.with(Option::is_some);
    let group = format!("rect-{id}-result");
    let result_message = error_id(&group);
    let described = result_message.clone();
    let radios = RectificationResult::ALL
        .into_iter()
        .map(|value| {
            let radio_id = format!("{group}-{}", value.as_str());
            let label_for = radio_id.clone();
            let name = group.clone();
            view! {
                <label class="radio-option" for=label_for>
                    <input
                        type="radio"
                        id=radio_id
                        name=name
                        value=value.as_str()
                        prop:checked=move || result.get() == Some(value)
                        aria-invalid=move || result_invalid().then_some("true")
                        on:change=move |_| result.set(Some(value))
                    />
                    <span>{move || rectification_result_name(i18n.get_locale(), value)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form id=form_id class="form qa-report-form" novalidate on:submit=on_submit data-testid=format!("rect-{id}-report-form")>
            <h4 class="qa-form-title">{tr(i18n, |l| td_string!(l, qa.report_heading))}</h4>
            <fieldset
                class="field radio-group"
                class:field-invalid=result_invalid
                aria-describedby=move || result_invalid().then(|| described.clone())
            >
                <legend>{tr(i18n, |l| td_string!(l, qa.rect_result))}</legend>
                <div class="radio-options">{radios}</div>
                <ErrorLine id=result_message error=result_error />
            </fieldset>
            <TextAreaField
                id=format!("rect-{id}-note")
                label=Signal::derive(move || t_string!(i18n, qa.report_note).to_owned())
                hint=Signal::derive(move || t_string!(i18n, qa.report_note_hint).to_owned())
                value=note
                error=errors.of("note".into())
                required=true
            />
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || send.pending().get()>
                    {tr(i18n, |l| td_string!(l, qa.report_submit))}
                </button>
            </div>
        </form>
    }
}
