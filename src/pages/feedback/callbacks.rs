//! Low-score callbacks (回访) on the team lead's home: the open tasks (overdue marked) with the
//! customer's name and a number to call, the record of a call (outcome and notes), and the
//! done tasks in a second tab. A new or overdue callback's notification refetches the list, so
//! it shows without a reload.

use leptos::either::EitherOf3;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::events::EventType;
use pingjia_domain::feedback::{CallbackOutcome, CallbackRecord, CallbackTask};

use super::{FeedbackErrors, RequestKey, due_text, outcome_name};
use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::fields::{ErrorLine, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::loading::Loading;
use crate::components::notification_bell::use_notification_centre;
use crate::format::{local_time, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;

/// A phone number as a `tel:` address: digits and a leading `+` only.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .enumerate()
        .filter(|(i, c)| c.is_ascii_digit() || (*i == 0 && *c == '+'))
        .map(|(_, c)| c)
        .collect();
    format!("tel:{digits}")
}

/// The notifications that say the team's callbacks changed.
const CALLBACK_NEWS: &[EventType] = &[EventType::CallbackOpened, EventType::CallbackOverdue];

/// The callbacks of the lead's team: open ones, or done ones in the second tab.
#[component]
pub fn CallbacksPanel() -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(true);
    let refreshed = RwSignal::new(0u32);
    let news = use_notification_centre().map(|centre| centre.arrivals_of(CALLBACK_NEWS));
    let tasks = LocalResource::new(move || {
        let open = open.get();
        refreshed.track();
        if let Some(news) = news {
            news.track();
        }
        async move { api::feedback::callbacks(open).await }
    });
    let dialog = RwSignal::new(None::<CallbackTask>);
    let announcement = RwSignal::new(false);
    let tab = move |is_open: bool| {
        view! {
            <button
                type="button"
                class="button button-secondary button-small switch-option"
                aria-pressed=move || (open.get() == is_open).to_string()
                on:click=move |_| {
                    announcement.set(false);
                    open.set(is_open);
                }
            >
                {move || if is_open {
                    td_string!(i18n.get_locale(), feedback.callbacks_open)
                } else {
                    td_string!(i18n.get_locale(), feedback.callbacks_done)
                }}
            </button>
        }
    };
    view! {
        <section class="panel" aria-labelledby="callbacks-title" data-testid="callbacks">
            <h2 id="callbacks-title">{tr(i18n, |l| td_string!(l, feedback.callbacks_heading))}</h2>
            <div class="preset-group" role="group" aria-label=move || td_string!(i18n.get_locale(), feedback.callbacks_heading)>
                {tab(true)}
                {tab(false)}
            </div>
            <p class="status" role="status" aria-live="polite">
                {move || announcement.get().then(|| td_string!(i18n.get_locale(), feedback.callback_recorded))}
            </p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match tasks.await {
                        Ok(list) if list.is_empty() => EitherOf3::A(view! {
                            <p class="notice notice-empty">
                                {move || if open.get_untracked() {
                                    td_string!(i18n.get_locale(), feedback.callbacks_empty)
                                } else {
                                    td_string!(i18n.get_locale(), feedback.callbacks_done_empty)
                                }}
                            </p>
                        }),
                        Ok(list) => EitherOf3::B(view! {
                            <ul class="fb-callbacks">
                                {list
                                    .into_iter()
                                    .map(|task| view! {
                                        <li><CallbackCard task on_record=Callback::new(move |t| dialog.set(Some(t))) /></li>
                                    })
                                    .collect_view()}
                            </ul>
                        }),
                        Err(error) => EitherOf3::C(view! {
                            <ErrorPanel error on_retry=Callback::new(move |()| tasks.refetch()) />
                        }),
                    }
                })}
            </Transition>
            {move || dialog.get().map(|task| view! {
                <CallbackDialog
                    task
                    on_close=Callback::new(move |()| dialog.set(None))
                    done=Callback::new(move |_| {
                        announcement.set(true);
                        refreshed.update(|n| *n += 1);
                    })
                />
            })}
        </section>
    }
}

/// One callback task: the evaluation, the agent, whom to call and by when; a done one with how
/// it ended.
#[component]
pub fn CallbackCard(
    /// The task.
    task: CallbackTask,
    /// Opens the record of the call (open tasks).
    on_record: Callback<CallbackTask>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = task.id;
    let heading_id = format!("callback-{id}-title");
    let due = task.due_at;
    let (zh, en) = (
        task.service_type_name_zh.clone(),
        task.service_type_name_en.clone(),
    );
    let fact = |term: fn(Locale) -> &'static str, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{move || term(i18n.get_locale())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let phone = match task.customer_phone.clone() {
        Some(phone) => {
            view! { <a href=tel_href(&phone) data-testid="callback-phone">{phone.clone()}</a> }
                .into_any()
        }
        None => tr(i18n, |l| td_string!(l, feedback.no_phone)).into_any(),
    };
    let mut facts = vec![
        fact(
            |l| td_string!(l, feedback.customer),
            task.customer_name.clone().into_any(),
        ),
        fact(|l| td_string!(l, feedback.phone), phone),
        fact(
            |l| td_string!(l, feedback.agent),
            format!("{} ({})", task.agent_name, task.agent_no).into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.service_type),
            (move || in_language(i18n.get_locale(), &zh, &en).to_owned()).into_any(),
        ),
        fact(
            |l| td_string!(l, feedback.callback_due),
            view! {
                <span>{move || due_text(i18n.get_locale(), due)}</span>
                {task.overdue.then(|| view! {
                    " " <span class="badge badge-new" data-testid="callback-overdue">{tr(i18n, |l| td_string!(l, feedback.overdue_badge))}</span>
                })}
            }
            .into_any(),
        ),
    ];
    if let Some(outcome) = task.outcome {
        facts.push(fact(
            |l| td_string!(l, feedback.outcome),
            (move || outcome_name(i18n.get_locale(), outcome)).into_any(),
        ));
    }
    if let Some(at) = task.done_at {
        let by = task.done_by.clone().unwrap_or_default();
        facts.push(fact(
            |l| td_string!(l, feedback.done_at),
            format!("{} · {by}", local_time(at)).into_any(),
        ));
    }
    let notes = task.notes.clone().map(|notes| {
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.notes))}</p>
            <p class="suggestion-text">{notes}</p>
        }
    });
    let suggestion = task.suggestion.clone().map(|text| {
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, feedback.suggestion))}</p>
            <p class="suggestion-text">{text}</p>
        }
    });
    let open = task.outcome.is_none();
    let (overall, total) = (task.overall, task.total_score);
    let button_id = format!("callback-{id}-record");
    let labelled = format!("{button_id} {heading_id}");
    let article_labelled = heading_id.clone();
    view! {
        <article class="card fb-callback" class:fb-overdue=task.overdue aria-labelledby=article_labelled data-testid=format!("callback-{id}")>
            <div class="fb-card-head">
                <h3 id=heading_id class="fb-card-title">
                    <span class="mono">{task.evaluation_number.clone()}</span>
                </h3>
                <span class="badge badge-new">
                    {move || td_string!(i18n.get_locale(), feedback.overall_of, overall = overall.to_string())}
                </span>
                <span class="badge badge-off">
                    {move || td_string!(i18n.get_locale(), feedback.total_of, total = score_text(Some(total)))}
                </span>
            </div>
            {suggestion}
            <dl class="facts">{facts}</dl>
            {notes}
            {open.then(|| {
                let task = task.clone();
                view! {
                    <div class="row-actions">
                        <button
                            type="button"
                            class="button"
                            id=button_id
                            aria-labelledby=labelled
                            on:click=move |_| on_record.run(task.clone())
                        >
                            {tr(i18n, |l| td_string!(l, feedback.record_call))}
                        </button>
                    </div>
                }
            })}
        </article>
    }
}

/// The record of a call: how it ended (已解决 / 已安抚 / 已升级) and what was said; both are
/// required.
#[component]
pub fn CallbackDialog(
    /// The task.
    task: CallbackTask,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with the task once recorded.
    done: Callback<CallbackTask>,
) -> impl IntoView {
    const FORM: &str = "callback-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let id = task.id;
    let outcome = RwSignal::new(None::<CallbackOutcome>);
    let notes = RwSignal::new(String::new());
    let errors = FeedbackErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let key = RequestKey::<CallbackRecord>::default();
    let send = Action::new_local(move |body: &CallbackRecord| {
        let body = body.clone();
        async move {
            match api::feedback::record_callback(&key.of(&body), id, &body).await {
                Ok(task) => {
                    done.run(task);
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM);
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
        let chosen = outcome.get_untracked();
        let body = CallbackRecord {
            outcome: chosen.unwrap_or(CallbackOutcome::Resolved),
            notes: notes.get_untracked(),
        };
        let mut found = Vec::new();
        if chosen.is_none() {
            found.push(FieldError::new("outcome", "required", "choose an outcome"));
        }
        if let Err(more) = body.check() {
            found.extend(more);
        }
        if found.is_empty() {
            errors.set(Vec::new());
            send.dispatch_local(body);
        } else {
            errors.set(found);
            focus_first_invalid(FORM);
        }
    };
    let outcome_error = errors.of("outcome".into());
    let outcome_invalid = move || outcome_error.with(Option::is_some);
    let radios = CallbackOutcome::ALL
        .into_iter()
        .map(|value| {
            let radio_id = format!("callback-outcome-{}", value.as_str());
            let label_for = radio_id.clone();
            view! {
                <label class="radio-option" for=label_for>
                    <input
                        type="radio"
                        id=radio_id
                        name="callback-outcome"
                        value=value.as_str()
                        prop:checked=move || outcome.get() == Some(value)
                        aria-invalid=move || outcome_invalid().then_some("true")
                        on:change=move |_| outcome.set(Some(value))
                    />
                    <span>{move || outcome_name(i18n.get_locale(), value)}</span>
                </label>
            }
        })
        .collect_view();
    let phone = task.customer_phone.clone().map(|phone| {
        view! { " · " <a href=tel_href(&phone)>{phone.clone()}</a> }
    });
    view! {
        <FormDialog
            node_ref=node
            title_id="callback-title"
            title=view! { {tr(i18n, |l| td_string!(l, feedback.record_call_title))} }.into_any()
            outside=true
            about=view! { <p class="record-meta">
                <span class="mono">{task.evaluation_number.clone()}</span>
                " · " {task.customer_name.clone()}
                {phone}
            </p> }.into_any()
            form_id=FORM
            on_submit
            on_close
            submit=Signal::derive(move || if send.pending().get() {
                            td_string!(i18n.get_locale(), feedback.sending)
                        } else {
                            td_string!(i18n.get_locale(), feedback.save_call)
                        })
            pending=send.pending()
            disable=true
        >

                <fieldset
                    class="field radio-group"
                    class:field-invalid=outcome_invalid
                    aria-describedby=move || outcome_invalid().then_some("callback-outcome-error")
                >
                    <legend>{tr(i18n, |l| td_string!(l, feedback.outcome))}</legend>
                    <div class="radio-options">{radios}</div>
                    <ErrorLine id="callback-outcome-error".to_owned() error=outcome_error />
                </fieldset>
                <TextAreaField
                    id="callback-notes"
                    label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.notes).to_owned())
                    value=notes
                    error=errors.of("notes".into())
                    required=true
                    rows=4
                />
                <FormFailure
                    failure
                    region=true
                    explain=|l, e: &ApiError| {
                        (e.code() == Some(api::feedback::CALLBACK_DONE)).then(|| td_string!(l, feedback.callback_done))
                    }
                />
        </FormDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn phone_numbers_become_tel_addresses() {
        assert_eq!(tel_href("138 0000 0001"), "tel:13800000001");
        assert_eq!(tel_href("+86-138-0000-0001"), "tel:+8613800000001");
        assert_eq!(tel_href("javascript:alert(1)"), "tel:1");
    }
}
