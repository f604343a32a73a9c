//! Rectification tracking (`/qa/rectifications`, 整改跟踪): every rectification filtered by
//! status in the address (all, open, reported, closed, overdue), and the inspector's re-check of
//! a reported one: accept it, or send it back with a note. Also the owner's report form, which
//! the agent's and team lead's page uses.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    Recheck, Rectification, RectificationReport, RectificationResult, RectificationStatus,
};

use crate::api::qa::RectificationFilter;
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::error_message;
use crate::components::form::error_id;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::fields::{ErrorLine, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::form::focus_invalid_in;
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::{
    QaErrors, RECTIFICATIONS_PATH, RectificationCard, rectification_result_name,
    rectification_status_name,
};

/// The address of the list with this filter.
pub fn rectifications_href(filter: RectificationFilter) -> String {
    match filter.as_param() {
        Some(status) => format!("{RECTIFICATIONS_PATH}?status={status}"),
        None => RECTIFICATIONS_PATH.to_owned(),
    }
}

/// A filter's name: 全部, 整改中, 待复查, 已关闭, 已逾期.
pub fn filter_name(locale: Locale, filter: RectificationFilter) -> &'static str {
    match filter {
        RectificationFilter::All => td_string!(locale, qa.filter_all),
        RectificationFilter::Status(status) => rectification_status_name(locale, status),
        RectificationFilter::Overdue => td_string!(locale, qa.filter_overdue),
    }
}

/// The list with its filter and the re-check dialog.
#[component]
pub fn RectificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter =
        Memo::new(move |_| query.with(|q| RectificationFilter::parse(q.get("status").as_deref())));
    let refreshed = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let filter = filter.get();
        refreshed.track();
        api::qa::rectifications(filter)
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
    let tabs = RectificationFilter::ALL
        .into_iter()
        .map(|f| {
            view! {
                <li>
                    <a href=rectifications_href(f) aria-current=move || (filter.get() == f).then_some("page")>
                        {move || filter_name(i18n.get_locale(), f)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.rectifications_title)) />
        <h1>{tr(i18n, |l| td_string!(l, qa.rectifications_title))}</h1>
        <nav class="status-tabs qa-filters" aria-label=move || t_string!(i18n, qa.filter_status)>
            <ul>{tabs}</ul>
        </nav>
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
            view=move |items| view! { <RectificationItems items on_recheck=open /> }
        />
        {move || dialog.get().map(|(accept, rectification)| view! {
            <RecheckDialog rectification accept on_close=Callback::new(move |()| dialog.set(None)) done />
        })}
    }
}

/// The listed rectifications, each reported one with its re-check buttons.
#[component]
fn RectificationItems(
    /// The rectifications.
    items: Vec<Rectification>,
    /// Opens the re-check dialog: accept (true) or send back (false).
    on_recheck: Callback<(bool, Rectification)>,
) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.rectifications_empty))}</p>
        });
    }
    let count = items.len();
    let cards = items
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
    Either::Right(view! {
        <p class="list-count">{move || td_string!(i18n.get_locale(), qa.count, count = count.to_string())}</p>
        <ul class="qa-rect-list">{cards}</ul>
    })
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
