//! The admin's appeal review (`/admin/appeals`, 申诉审核): the queue filtered by status in the
//! address (pending by default, oldest first), each appeal with the evaluation as submitted
//! beside the change asked for, the customer's reason and history of appeals; approving
//! (the requested change, or an edited one) or rejecting, with a reason either way.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use pingjia_domain::FieldError;
use pingjia_domain::appeals::{
    AdminAppeal, AdminAppealPage, AppealDecision, AppealStatus, CustomerAppeals,
    DECISION_REASON_MAX_CHARS, Decision, EvaluationValues,
};

use serde::{Deserialize, Serialize};

use crate::api::query;
use crate::api::{self, ApiError};
use crate::components::appeal::{
    ChangeFields, appeal_status_class, appeal_status_name, unprefixed,
};
use crate::components::data_table::Loaded;
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::form::failure::FormFailure;
use crate::components::form::focus_first_invalid;
use crate::components::form::rating::{OverallScale, SuggestionField};
use crate::components::form::reason::ReasonField;
use crate::components::nav_badge::{Counted, recount};
use crate::components::page::PageTitle;
use crate::components::pager::Pager;
use crate::format::{local_time, total_text};
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;

/// Where the queue lives.
pub const ADMIN_APPEALS_PATH: &str = "/admin/appeals";

/// Appeals per page.
pub const PER_PAGE: u32 = 10;

/// The status and page of the queue as the address carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    /// Pending unless the address names another.
    #[serde(skip_serializing_if = "is_pending")]
    pub status: AppealStatus,
    /// From 1.
    #[serde(skip_serializing_if = "is_first")]
    pub page: u32,
}

impl Default for QueueQuery {
    fn default() -> Self {
        QueueQuery {
            status: AppealStatus::Pending,
            page: 1,
        }
    }
}

fn is_pending(status: &AppealStatus) -> bool {
    *status == AppealStatus::Pending
}

fn is_first(page: &u32) -> bool {
    *page <= 1
}

/// Reads the queue's status and page from the address.
pub fn query_from_params(params: &ParamsMap) -> QueueQuery {
    let query: QueueQuery = query::from_pairs(params.latest_values(), &[]);
    QueueQuery {
        page: query.page.max(1),
        ..query
    }
}

/// The address of the queue with this status and page (pending and the first page left out).
pub fn queue_href(query: QueueQuery) -> String {
    query::with_query(ADMIN_APPEALS_PATH, &query::to_query(&query))
}

/// What the last decision did, announced on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Done {
    Approved(String),
    Rejected(String),
    AlreadyDecided,
}

/// The queue: status filter, one page of appeals with their actions, and paging.
#[component]
pub fn AdminAppeals() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let refreshed = RwSignal::new(0u32);
    let appeals = LocalResource::new(move || {
        let query = query.get();
        refreshed.track();
        async move { api::appeals::queue(Some(query.status), query.page, PER_PAGE).await }
    });
    let announcement = RwSignal::new(None::<Done>);
    let dialog = RwSignal::new(None::<(Decision, AdminAppeal)>);
    let open = Callback::new(move |chosen: (Decision, AdminAppeal)| {
        announcement.set(None);
        dialog.set(Some(chosen));
    });
    let closed = Callback::new(move |()| dialog.set(None));
    let done = Callback::new(move |message: Done| {
        announcement.set(Some(message));
        refreshed.update(|n| *n += 1);
        recount(Counted::Appeals);
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, appeals.admin_title)) />
        <h1>{tr(i18n, |l| td_string!(l, appeals.admin_title))}</h1>
        <StatusFilter query />
        <p class="status" role="status" aria-live="polite">
            {move || {
                announcement
                    .get()
                    .map(|done| match done {
                        Done::Approved(number) => t!(i18n, appeals.approved_done, number).into_any(),
                        Done::Rejected(number) => t!(i18n, appeals.rejected_done, number).into_any(),
                        Done::AlreadyDecided => {
                            tr(i18n, |l| td_string!(l, appeals.already_decided)).into_any()
                        }
                    })
            }}
        </p>
        <Loaded
            resource=appeals
            view=move |page| view! { <QueuePage page query=query.get_untracked() on_action=open /> }
        />
        {move || {
            dialog.get().map(|(decision, appeal)| view! { <DecideDialog appeal decision on_close=closed done /> })
        }}
    }
}

/// The status filter: one link per status, the chosen one marked.
#[component]
fn StatusFilter(
    /// The queue's status and page.
    query: Memo<QueueQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let links = AppealStatus::ALL
        .into_iter()
        .map(|status| {
            let href = queue_href(QueueQuery { status, page: 1 });
            view! {
                <li>
                    <a
                        href=href
                        aria-current=move || (query.get().status == status).then_some("page")
                    >
                        {move || appeal_status_name(i18n.get_locale(), status)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="status-tabs" aria-label=move || t_string!(i18n, appeals.filter_status)>
            <ul>{links}</ul>
        </nav>
    }
}

/// One page of the queue, with the paging.
#[component]
fn QueuePage(
    /// The page as loaded.
    page: AdminAppealPage,
    /// The status and page it was loaded for.
    query: QueueQuery,
    /// Opens the approve or reject dialog of an appeal.
    on_action: Callback<(Decision, AdminAppeal)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (total, pending) = (page.total, page.pending);
    let pages = u32::try_from(page.total.div_ceil(u64::from(page.per_page.max(1))))
        .unwrap_or(u32::MAX)
        .max(1);
    let current = page.page;
    if page.appeals.is_empty() {
        return Either::Left(view! {
            <p class="list-count">{t!(i18n, appeals.admin_count, total, pending)}</p>
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, appeals.admin_empty))}</p>
        });
    }
    let href = move |page: u32| queue_href(QueueQuery { page, ..query });
    let previous = (current > 1).then(|| href(current - 1));
    let next = (current < pages).then(|| href(current + 1));
    let items = page
        .appeals
        .into_iter()
        .map(|appeal| view! { <AppealReview appeal on_action /> })
        .collect_view();
    Either::Right(view! {
        <p class="list-count">{t!(i18n, appeals.admin_count, total, pending)}</p>
        <ul class="appeal-queue">{items}</ul>
        <Pager previous next page={u64::from(current)} pages={u64::from(pages)} />
    })
}

/// A score cell's text: "4 ★", or "—" when unanswered.
fn stars(score: Option<u8>) -> String {
    score.map_or_else(|| "—".to_owned(), |s| format!("{s} ★"))
}

/// The evaluation as submitted beside each other version of it (the change asked for, the one
/// applied), one row per dimension, then the total, overall score and suggestion; a value
/// that differs from the submitted one is highlighted and named as changed.
#[component]
fn CompareTable(
    /// The evaluation when the appeal was filed.
    current: EvaluationValues,
    /// The other columns: their heading and values.
    columns: Vec<(&'static str, EvaluationValues)>,
    /// The table's caption, for assistive technology.
    caption: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let changed = move || {
        view! { <span class="visually-hidden">{tr(i18n, |l| td_string!(l, appeals.changed_mark))}</span> }
    };
    let cell = move |text: String, differs: bool| {
        view! {
            <td class:diff=differs>
                {text}
                {differs.then(changed)}
            </td>
        }
    };
    let headings = columns
        .iter()
        .map(|(heading, _)| {
            let heading = *heading;
            view! { <th scope="col">{heading}</th> }
        })
        .collect_view();
    let rows = current
        .scores
        .iter()
        .map(|d| {
            let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
            let others = columns
                .iter()
                .map(|(_, values)| {
                    let score = values.score_of(&d.code);
                    cell(stars(score), score != d.score)
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</th>
                    <td>{stars(d.score)}</td>
                    {others}
                </tr>
            }
        })
        .collect_view();
    let totals = columns
        .iter()
        .map(|(_, v)| {
            cell(
                total_text(v.total_score),
                v.total_score != current.total_score,
            )
        })
        .collect_view();
    let overalls = columns
        .iter()
        .map(|(_, v)| cell(v.overall.to_string(), v.overall != current.overall))
        .collect_view();
    let suggestion_text = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".to_owned());
    let suggestions = columns
        .iter()
        .map(|(_, v)| {
            cell(
                suggestion_text(&v.suggestion),
                v.suggestion != current.suggestion,
            )
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="compare-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, appeals.dimension))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, appeals.as_submitted))}</th>
                        {headings}
                    </tr>
                </thead>
                <tbody>
                    {rows}
                    <tr>
                        <th scope="row">{tr(i18n, |l| td_string!(l, rating.total_score))}</th>
                        <td>{total_text(current.total_score)}</td>
                        {totals}
                    </tr>
                    <tr>
                        <th scope="row">{tr(i18n, |l| td_string!(l, rating.overall_legend))}</th>
                        <td>{current.overall}</td>
                        {overalls}
                    </tr>
                    <tr>
                        <th scope="row">{tr(i18n, |l| td_string!(l, rating.suggestion_label))}</th>
                        <td class="compare-text">{suggestion_text(&current.suggestion)}</td>
                        {suggestions}
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// One appeal of the queue.
#[component]
fn AppealReview(
    /// The appeal, with its evaluation, customer and their appeals.
    appeal: AdminAppeal,
    /// Opens the approve or reject dialog.
    on_action: Callback<(Decision, AdminAppeal)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let item = appeal.clone();
    let AdminAppeal {
        appeal,
        customer,
        customer_appeals,
        ..
    } = appeal;
    let id = appeal.id;
    let heading_id = format!("appeal-{id}-number");
    let labelled_by = heading_id.clone();
    let number = appeal.evaluation_number.clone();
    let status = appeal.status;
    let filed = local_time(appeal.filed_at);
    let locale = i18n.get_locale_untracked();
    let mut columns = Vec::new();
    if let Some(requested) = appeal.requested.clone() {
        columns.push((td_string!(locale, appeals.requested_heading), requested));
    }
    if let Some(applied) = appeal
        .applied
        .clone()
        .filter(|a| Some(a) != appeal.requested.as_ref())
    {
        columns.push((td_string!(locale, appeals.applied_heading), applied));
    }
    let caption = number.clone();
    let decision = appeal.decided_at.map(|decided| {
        let time = local_time(decided);
        view! {
            <p class="record-meta">{t!(i18n, appeals.decided_at, time)}</p>
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.decision_reason))}</p>
            <p class="suggestion-text">{appeal.decision_reason.clone().unwrap_or_default()}</p>
        }
    });
    let actions = (status == AppealStatus::Pending).then(|| {
        let (approve, reject) = (item.clone(), item);
        view! {
            <div class="row-actions">
                <button
                    type="button"
                    class="button"
                    id=format!("appeal-{id}-approve")
                    aria-labelledby=format!("appeal-{id}-approve appeal-{id}-number")
                    on:click=move |_| on_action.run((Decision::Approve, approve.clone()))
                >
                    {tr(i18n, |l| td_string!(l, appeals.approve))}
                </button>
                <button
                    type="button"
                    class="button button-secondary"
                    id=format!("appeal-{id}-reject")
                    aria-labelledby=format!("appeal-{id}-reject appeal-{id}-number")
                    on:click=move |_| on_action.run((Decision::Reject, reject.clone()))
                >
                    {tr(i18n, |l| td_string!(l, appeals.reject))}
                </button>
            </div>
        }
    });
    view! {
        <li>
            <article class="appeal-review" aria-labelledby=labelled_by>
                <div class="appeal-head">
                    <h2 id=heading_id class="record-title mono">{number}</h2>
                    <span class=appeal_status_class(status)>{move || appeal_status_name(i18n.get_locale(), status)}</span>
                </div>
                <p class="record-meta">
                    {tr(i18n, |l| td_string!(l, appeals.customer))} " " {customer.display_name} " · "
                    <span class="mono">{customer.customer_no}</span> " · "
                    {t!(i18n, appeals.filed_at, time = filed)}
                </p>
                <CompareTable current=appeal.current columns caption />
                {appeal.requested.is_none().then(|| view! {
                    <p class="muted">{tr(i18n, |l| td_string!(l, appeals.no_requested))}</p>
                })}
                <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.customer_reason))}</p>
                <p class="suggestion-text">{appeal.reason}</p>
                {decision}
                <CustomerHistory appeals=customer_appeals />
                {actions}
            </article>
        </li>
    }
}

/// The customer's other appeals: counts, and the latest behind a disclosure.
#[component]
fn CustomerHistory(
    /// Their appeals, this one left out.
    appeals: CustomerAppeals,
) -> impl IntoView {
    let i18n = use_i18n();
    let CustomerAppeals {
        total,
        approved,
        rejected,
        pending,
        appeals,
    } = appeals;
    let counts = move || {
        t!(
            i18n,
            appeals.customer_counts,
            total,
            approved,
            rejected,
            pending
        )
    };
    if appeals.is_empty() {
        return Either::Left(view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, appeals.customer_history))}</p>
            <p class="record-meta">{counts}</p>
        });
    }
    let items = appeals
        .into_iter()
        .map(|brief| {
            let status = brief.status;
            let filed = local_time(brief.filed_at);
            view! {
                <li>
                    <span class="mono">{brief.evaluation_number}</span> " "
                    <span class=appeal_status_class(status)>{move || appeal_status_name(i18n.get_locale(), status)}</span>
                    " " <span class="muted">{filed}</span>
                    <p class="suggestion-text">{brief.reason}</p>
                    {brief.decision_reason.map(|reason| view! {
                        <p class="suggestion-text muted">{tr(i18n, |l| td_string!(l, appeals.decision_reason))} "：" {reason}</p>
                    })}
                </li>
            }
        })
        .collect_view();
    Either::Right(view! {
        <details class="customer-history">
            <summary>{tr(i18n, |l| td_string!(l, appeals.customer_history))} " · " {counts}</summary>
            <ul class="brief-list">{items}</ul>
        </details>
    })
}

/// The words of a decision's field error.
fn decision_error_text(locale: Locale, error: &FieldError) -> Option<&'static str> {
    match (error.field.as_str(), error.code.as_str()) {
        ("reason", "too_long") => Some(td_string!(locale, appeals.decision_reason_too_long)),
        ("reason", _) => Some(td_string!(locale, appeals.decision_reason_required)),
        ("applied", "unchanged") => Some(td_string!(locale, appeals.applied_unchanged)),
        _ => None,
    }
}

/// Approve or reject an appeal, with a reason; approving applies the requested change or an
/// edited one.
#[component]
fn DecideDialog(
    /// The appeal.
    appeal: AdminAppeal,
    /// What is being decided.
    decision: Decision,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with what was done, to announce it.
    done: Callback<Done>,
) -> impl IntoView {
    const FORM_ID: &str = "decide-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let id = appeal.appeal.id;
    let number = appeal.appeal.evaluation_number.clone();
    let requested = appeal.appeal.requested.clone();
    let current = EvaluationValues {
        scores: appeal.evaluation.scores.clone(),
        total_score: appeal.evaluation.total_score,
        overall: appeal.evaluation.overall,
        suggestion: appeal.evaluation.suggestion.clone(),
    };
    let approving = decision == Decision::Approve;
    let has_request = requested.is_some();
    let prefill = requested.as_ref().unwrap_or(&current).to_change();
    let change = ChangeFields::new(&prefill, &current.scores);
    // Without a requested change, approving means editing one.
    let edit = RwSignal::new(!has_request);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let requested = StoredValue::new(requested);
    let current = StoredValue::new(current);

    let send = Action::new_local(move |body: &AppealDecision| {
        let body = body.clone();
        let number = number.clone();
        async move {
            match api::appeals::decide(id, &body).await {
                Ok(_) => {
                    done.run(match body.decision {
                        Decision::Approve => Done::Approved(number),
                        Decision::Reject => Done::Rejected(number),
                    });
                    close_dialog(node);
                }
                Err(error) if error.code() == Some("appeal_already_decided") => {
                    done.run(Done::AlreadyDecided);
                    close_dialog(node);
                }
                Err(error) => {
                    let fields: Vec<FieldError> = error
                        .problem()
                        .map(|p| {
                            p.errors
                                .iter()
                                .map(|e| unprefixed(e.clone(), "applied"))
                                .collect()
                        })
                        .unwrap_or_default();
                    let has_fields = !fields.is_empty();
                    errors.set(fields);
                    if has_fields {
                        focus_first_invalid(FORM_ID);
                    } else {
                        failure.set(Some(error));
                    }
                }
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let body = AppealDecision {
            decision,
            reason: reason.get_untracked(),
            applied: (approving && edit.get_untracked()).then(|| change.to_change()),
        };
        let checked = requested.with_value(|requested| {
            current.with_value(|current| body.check(requested.as_ref(), current))
        });
        match checked {
            Ok(_) => {
                errors.set(Vec::new());
                send.dispatch_local(body);
            }
            Err(found) => {
                errors.set(
                    found
                        .into_iter()
                        .map(|e| unprefixed(e, "applied"))
                        .collect(),
                );
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.iter().find(|e| e.field == field).cloned()))
    };
    let message_of = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|e| {
                e.iter().find(|e| e.field == field).map(|e| {
                    decision_error_text(i18n.get_locale(), e)
                        .map_or_else(|| e.message.clone(), str::to_owned)
                })
            })
        })
    };
    let title = move || {
        if approving {
            t_string!(i18n, appeals.approve_title)
        } else {
            t_string!(i18n, appeals.reject_title)
        }
    };
    let heading = appeal.appeal.evaluation_number.clone();
    let editor = approving.then(|| {
        let choice = has_request.then(|| {
            view! {
                <fieldset class="field radio-group">
                    <legend>{tr(i18n, |l| td_string!(l, appeals.apply_legend))}</legend>
                    <div class="radio-options">
                        <label class="radio-option" for="apply-requested">
                            <input type="radio" id="apply-requested" name="apply" prop:checked=move || !edit.get() on:change=move |_| edit.set(false) />
                            <span>{tr(i18n, |l| td_string!(l, appeals.apply_requested))}</span>
                        </label>
                        <label class="radio-option" for="apply-edited">
                            <input type="radio" id="apply-edited" name="apply" prop:checked=move || edit.get() on:change=move |_| edit.set(true) />
                            <span>{tr(i18n, |l| td_string!(l, appeals.apply_edited))}</span>
                        </label>
                    </div>
                </fieldset>
            }
        });
        view! {
            {choice}
            <div class="appeal-change" hidden=move || !edit.get()>
                {move || {
                    message_of("applied")
                        .get()
                        .map(|text| view! { <p class="field-error">{text}</p> })
                }}
                {change.view(errors)}
                <OverallScale value=change.overall error=field_error("overall") />
                <SuggestionField value=change.suggestion error=field_error("suggestion") />
            </div>
        }
    });
    view! {
        <FormDialog
            node_ref=node
            title_id="decide-title"
            title=view! { {title} " · " <span class="mono">{heading}</span> }.into_any()
            outside=true
            form_id=FORM_ID
            form_class="form decide-form"
            on_submit
            on_close
            submit=Signal::derive(move || if approving { t_string!(i18n, appeals.confirm_approve) } else { t_string!(i18n, appeals.confirm_reject) })
            pending=send.pending()
        >

                {editor}
                <ReasonField
                    id="decision-reason"
                    label=Signal::derive(move || t_string!(i18n, appeals.decision_reason_label))
                    value=reason
                    max=DECISION_REASON_MAX_CHARS
                    error=message_of("reason")
                />
                <FormFailure failure region=true />
        </FormDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_queue_address_keeps_status_and_page_and_defaults_to_pending() {
        let pending = QueueQuery {
            status: AppealStatus::Pending,
            page: 1,
        };
        assert_eq!(queue_href(pending), "/admin/appeals");
        assert_eq!(
            queue_href(QueueQuery {
                status: AppealStatus::Rejected,
                page: 3
            }),
            "/admin/appeals?status=rejected&page=3"
        );
        let mut params = ParamsMap::new();
        assert_eq!(query_from_params(&params), pending);
        params.insert("status", "approved".to_owned());
        params.insert("page", "0".to_owned());
        assert_eq!(
            query_from_params(&params),
            QueueQuery {
                status: AppealStatus::Approved,
                page: 1
            }
        );
    }
}
