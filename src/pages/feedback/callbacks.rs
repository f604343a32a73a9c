//! Low-score callbacks (回访) on the team lead's home: the open tasks (overdue marked) with the
//! customer's name and a number to call, the record of a call (the customer reached and how it
//! ended, or not reached and when to call again), and the done tasks in a second tab; a page
//! at a time, the tab and page in the address. A new or overdue callback's notification
//! refetches the list, so it shows without a reload.

use chrono::{DateTime, Duration, Local, NaiveDateTime, TimeZone, Timelike, Utc};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::FieldError;
use pingjia_domain::events::EventType;
use pingjia_domain::feedback::{
    CallResult, CallbackPage, CallbackQuery, CallbackRecord, CallbackTask,
};
use pingjia_domain::feedback::{CoachingSourceKind, new_coaching_href};

use super::{FeedbackErrors, RequestKey, call_result_name, due_text, href_with, outcome_name};
use crate::api::{self, ApiError};
use crate::components::data_table::{Loaded, PagedList, Paging};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::fields::{ErrorLine, InputField, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::notification_bell::use_notification_centre;
use crate::format::{local_time, score_text};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;

/// The address parameters of the panel: its tab (`callbacks=done`) and page, and one
/// evaluation's task alone (`callback=PJ…`, a notification's link).
const TAB_PARAM: &str = "callbacks";
const PAGE_PARAM: &str = "callbacks_page";
const ONE_PARAM: &str = "callback";

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

/// The tab and page of the callbacks the address asks for (open ones, page 1 by default).
pub fn callbacks_query(params: &ParamsMap) -> CallbackQuery {
    let page = params
        .get(PAGE_PARAM)
        .and_then(|p| p.trim().parse::<u32>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    CallbackQuery {
        open: Some(params.get(TAB_PARAM).as_deref() != Some("done")),
        number: params
            .get(ONE_PARAM)
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        page: Some(page),
        per_page: None,
    }
}

/// The address of the page `path?…` with the callbacks' tab and page set to `open` and
/// `page`, the page's other parameters kept, at the panel.
pub fn callbacks_href(path: &str, params: &ParamsMap, open: bool, page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = params
        .latest_values()
        .filter(|(name, _)| ![TAB_PARAM, PAGE_PARAM, ONE_PARAM].contains(&name.as_ref()))
        .map(|(name, value)| (name.as_ref(), value.to_owned()))
        .collect();
    if !open {
        pairs.push((TAB_PARAM, "done".to_owned()));
    }
    if page > 1 {
        pairs.push((PAGE_PARAM, page.to_string()));
    }
    format!("{}#callbacks", href_with(path, &pairs))
}

/// The callbacks of the lead's team: open ones, or done ones in the second tab, a page at a
/// time.
#[component]
pub fn CallbacksPanel() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let location = use_location();
    let query = Memo::new(move |_| params.with(callbacks_query));
    let refreshed = RwSignal::new(0u32);
    let news = use_notification_centre().map(|centre| centre.arrivals_of(CALLBACK_NEWS));
    let tasks = LocalResource::new(move || {
        let query = query.get();
        refreshed.track();
        if let Some(news) = news {
            news.track();
        }
        async move { api::feedback::callbacks(&query).await }
    });
    let dialog = RwSignal::new(None::<CallbackTask>);
    let announcement = RwSignal::new(None::<CallbackTask>);
    let href = move |open: bool, page: u32| {
        params.with_untracked(|p| callbacks_href(&location.pathname.get_untracked(), p, open, page))
    };
    let on_record = Callback::new(move |t| dialog.set(Some(t)));
    view! {
        <section class="panel" id="callbacks" aria-labelledby="callbacks-title" data-testid="callbacks">
            <h2 id="callbacks-title">{tr(i18n, |l| td_string!(l, feedback.callbacks_heading))}</h2>
            <p class="status" role="status" aria-live="polite">
                {move || announcement.get().map(|task| {
                    let locale = i18n.get_locale();
                    match (task.outcome, task.attempts.last()) {
                        (None, Some(attempt)) => format!(
                            "{} {}",
                            td_string!(locale, feedback.callback_recorded),
                            td_string!(
                                locale,
                                feedback.attempt_next,
                                at = attempt.next_attempt_at.map(local_time).unwrap_or_default()
                            )
                        ),
                        _ => td_string!(locale, feedback.callback_recorded).to_owned(),
                    }
                })}
            </p>
            <Loaded resource=tasks view=move |page: CallbackPage| {
                let query = query.get_untracked();
                let open = query.open != Some(false);
                let one = query.number.map(|number| view! {
                    <p class="notice" data-testid="callbacks-one">
                        {move || td_string!(i18n.get_locale(), feedback.callbacks_one, number = number.clone())}
                        " " <A href=href(true, 1)>{tr(i18n, |l| td_string!(l, feedback.callbacks_show_all))}</A>
                    </p>
                });
                view! {
                    <CallbackTabs page=page.clone() open href />
                    {one}
                    <CallbackList page open href on_record />
                }
            } />
            {move || dialog.get().map(|task| view! {
                <CallbackDialog
                    task
                    on_close=Callback::new(move |()| dialog.set(None))
                    done=Callback::new(move |task| {
                        announcement.set(Some(task));
                        refreshed.update(|n| *n += 1);
                    })
                />
            })}
        </section>
    }
}

/// The two tabs, links with their counts (and how many open ones are overdue).
#[component]
fn CallbackTabs(
    page: CallbackPage,
    open: bool,
    href: impl Fn(bool, u32) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (open_count, done_count, overdue) = (page.open, page.done, page.overdue);
    view! {
        <nav class="preset-group" aria-label=move || td_string!(i18n.get_locale(), feedback.callbacks_heading)>
            <A
                href=href(true, 1)
                attr:class="button button-secondary button-small switch-option"
                attr:aria-current=open.then_some("page")
                attr:data-testid="callbacks-tab-open"
            >
                {move || td_string!(i18n.get_locale(), feedback.callbacks_open_count, count = open_count.to_string())}
            </A>
            <A
                href=href(false, 1)
                attr:class="button button-secondary button-small switch-option"
                attr:aria-current=(!open).then_some("page")
                attr:data-testid="callbacks-tab-done"
            >
                {move || td_string!(i18n.get_locale(), feedback.callbacks_done_count, count = done_count.to_string())}
            </A>
        </nav>
        {(overdue > 0).then(|| view! {
            <p class="fb-overdue-count" data-testid="callbacks-overdue">
                {move || td_string!(i18n.get_locale(), feedback.callbacks_overdue_count, count = overdue.to_string())}
            </p>
        })}
    }
}

/// A page of callbacks with its count line and pager, or why there is none.
#[component]
fn CallbackList(
    page: CallbackPage,
    open: bool,
    href: impl Fn(bool, u32) -> String + Copy + Send + Sync + 'static,
    on_record: Callback<CallbackTask>,
) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(page.page, page.per_page, page.total, page.callbacks.len());
    let (total, first, last) = (paging.total, paging.first, paging.last);
    let past_the_end = page.callbacks.is_empty() && page.total > 0;
    let empty = move || {
        let locale = i18n.get_locale();
        if past_the_end {
            td_string!(locale, feedback.callbacks_page_empty)
        } else if open {
            td_string!(locale, feedback.callbacks_empty)
        } else {
            td_string!(locale, feedback.callbacks_done_empty)
        }
    };
    let empty = view! {
        {empty}
        {past_the_end.then(|| view! {
            " " <A href=href(open, 1)>{tr(i18n, |l| td_string!(l, feedback.callbacks_first_page))}</A>
        })}
    };
    let count = move || {
        td_string!(
            i18n.get_locale(),
            feedback.callbacks_count,
            count = total.to_string(),
            first = first.to_string(),
            last = last.to_string()
        )
    };
    let cards = page
        .callbacks
        .into_iter()
        .map(|task| view! { <li><CallbackCard task on_record /></li> })
        .collect_view();
    view! {
        <PagedList
            paging
            href=move |n| href(open, u32::try_from(n).unwrap_or(1))
            count=count.into_any()
            empty=empty.into_any()
        >
            <ul class="fb-callbacks">{cards}</ul>
        </PagedList>
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
            if task.attempts.is_empty() {
                |l| td_string!(l, feedback.callback_due)
            } else {
                |l| td_string!(l, feedback.next_attempt)
            },
            view! {
                <span>{move || due_text(i18n.get_locale(), due)}</span>
                {task.overdue.then(|| view! {
                    " " <span class="badge badge-new" data-testid="callback-overdue">{tr(i18n, |l| td_string!(l, feedback.overdue_badge))}</span>
                })}
            }
            .into_any(),
        ),
    ];
    if !task.attempts.is_empty() {
        let (count, max) = (task.attempts.len(), task.max_attempts);
        let lines = task
            .attempts
            .iter()
            .map(|attempt| {
                let (at, result, by) = (local_time(attempt.at), attempt.result, attempt.by.clone());
                let notes = attempt.notes.clone().map(|n| view! { " — " {n} });
                view! {
                    <li>
                        {move || td_string!(
                            i18n.get_locale(),
                            feedback.attempt_line,
                            at = at.clone(),
                            result = call_result_name(i18n.get_locale(), result),
                            by = by.clone()
                        )}
                        {notes}
                    </li>
                }
            })
            .collect_view();
        facts.push(fact(
            |l| td_string!(l, feedback.attempts_heading),
            view! {
                <span data-testid="callback-attempts">
                    {move || td_string!(i18n.get_locale(), feedback.attempts_made, count = count.to_string(), max = max.to_string())}
                </span>
                <ul class="fb-attempts">{lines}</ul>
            }
            .into_any(),
        ));
    }
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
    let notes = task.notes.clone().filter(|n| !n.is_empty()).map(|notes| {
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
    let coach_id = format!("callback-{id}-coach");
    let coach_labelled = format!("{coach_id} {heading_id}");
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
            <p>
                <a
                    href=new_coaching_href(CoachingSourceKind::Evaluation, &task.evaluation_number)
                    id=coach_id
                    aria-labelledby=coach_labelled
                    data-testid="callback-coach"
                >
                    {tr(i18n, |l| td_string!(l, coaching.from_source))}
                </a>
            </p>
        </article>
    }
}

/// `time` as a `datetime-local` input's value in the user's zone, e.g. `2026-12-07T10:30`.
pub fn local_input_value(time: DateTime<Utc>) -> String {
    time.with_timezone(&Local)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A `datetime-local` input's value as a time (in the user's zone); `None` when blank or
/// not a time.
pub fn from_local_input(value: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M").ok()?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The next attempt offered after a failed call: two hours on, at the next half hour.
pub fn suggested_next_attempt(now: DateTime<Utc>) -> DateTime<Utc> {
    let later = now + Duration::hours(2);
    let past_half = i64::from(later.minute() % 30) * 60 + i64::from(later.second());
    later + Duration::seconds(if past_half == 0 { 0 } else { 1800 - past_half })
        - Duration::nanoseconds(i64::from(later.nanosecond()))
}

/// The record of a call: the customer reached and how it ended (已解决 / 已安抚 / 已升级,
/// with what was said), or not reached (未接通 / 号码错误) and when to call again, unless
/// it is the last attempt the settings allow. A message goes as soon as its field is right.
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
    let failed_so_far = task.attempts.len();
    let max_attempts = task.max_attempts;
    let last = task.last_attempt();
    let outcome = RwSignal::new(None::<CallResult>);
    let notes = RwSignal::new(String::new());
    let next = RwSignal::new(local_input_value(suggested_next_attempt(Utc::now())));
    let errors = FeedbackErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let key = RequestKey::<CallbackRecord>::default();
    let failed_call = Memo::new(move |_| outcome.get().is_some_and(|r| r.outcome().is_none()));
    // What the form holds, checked as the server will check it.
    let checked = move || {
        let chosen = outcome.get();
        let next_value = next.get();
        let outcome = chosen.unwrap_or(CallResult::Resolved);
        let body = CallbackRecord {
            outcome,
            notes: notes.get(),
            // Asked for after a failed call that is not the last only.
            next_attempt_at: (outcome.outcome().is_none() && !last)
                .then(|| from_local_input(&next_value))
                .flatten(),
        };
        let mut found = Vec::new();
        if chosen.is_none() {
            found.push(FieldError::new("outcome", "required", "choose an outcome"));
        }
        if let Err(more) = body.check(failed_so_far, max_attempts, Utc::now()) {
            found.extend(more);
        }
        (body, found)
    };
    Effect::new(move |_| {
        let (_, found) = checked();
        errors.recheck(&found);
    });
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
        let (body, found) = untrack(checked);
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
    let radio = move |value: CallResult| {
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
                <span>{move || call_result_name(i18n.get_locale(), value)}</span>
            </label>
        }
    };
    let group = move |reached: bool| {
        let options = CallResult::ALL
            .into_iter()
            .filter(|r| r.outcome().is_some() == reached)
            .map(radio)
            .collect_view();
        view! {
            <div class="radio-subgroup">
                <p class="radio-subgroup-title">
                    {move || if reached {
                        td_string!(i18n.get_locale(), feedback.call_reached)
                    } else {
                        td_string!(i18n.get_locale(), feedback.call_failed)
                    }}
                </p>
                <div class="radio-options">{options}</div>
            </div>
        }
    };
    let phone = task.customer_phone.clone().map(|phone| {
        view! { " · " <a href=tel_href(&phone)>{phone.clone()}</a> }
    });
    let attempt_number = failed_so_far + 1;
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
                    <legend>{tr(i18n, |l| td_string!(l, feedback.call_result))}</legend>
                    {group(true)}
                    {group(false)}
                    <ErrorLine id="callback-outcome-error".to_owned() error=outcome_error />
                </fieldset>
                {move || (failed_call.get() && !last).then(|| view! {
                    <InputField
                        id="callback-next-attempt"
                        label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.next_attempt).to_owned())
                        value=next
                        error=errors.of("next_attempt_at".into())
                        input_type="datetime-local"
                        required=true
                        hint=Signal::derive(move || td_string!(i18n.get_locale(), feedback.next_attempt_hint).to_owned())
                    />
                })}
                {move || (failed_call.get() && last).then(|| view! {
                    <p class="notice notice-warning" data-testid="callback-last-attempt">
                        {td_string!(i18n.get_locale(), feedback.last_attempt_note, n = attempt_number.to_string())}
                    </p>
                })}
                {move || {
                    let optional = failed_call.get();
                    view! {
                        <TextAreaField
                            id="callback-notes"
                            label=Signal::derive(move || td_string!(i18n.get_locale(), feedback.notes).to_owned())
                            value=notes
                            error=errors.of("notes".into())
                            required=!optional
                            optional
                            rows=4
                        />
                    }
                }}
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

    #[test]
    fn the_next_attempt_is_offered_at_a_half_hour_two_hours_on() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            suggested_next_attempt(at("2026-12-07T02:10:15.5Z")),
            at("2026-12-07T04:30:00Z")
        );
        assert_eq!(
            suggested_next_attempt(at("2026-12-07T02:30:00Z")),
            at("2026-12-07T04:30:00Z")
        );
        let value = local_input_value(at("2026-12-07T04:30:00Z"));
        assert_eq!(from_local_input(&value), Some(at("2026-12-07T04:30:00Z")));
        assert_eq!(from_local_input(""), None);
        assert_eq!(from_local_input("tomorrow"), None);
    }

    #[test]
    fn the_address_keeps_the_period_and_sets_the_tab_and_page() {
        let params = ParamsMap::from_iter([
            ("days".to_owned(), "7".to_owned()),
            ("callbacks_page".to_owned(), "3".to_owned()),
        ]);
        assert_eq!(
            callbacks_href("/lead", &params, false, 2),
            "/lead?days=7&callbacks=done&callbacks_page=2#callbacks"
        );
        assert_eq!(
            callbacks_href("/lead", &params, true, 1),
            "/lead?days=7#callbacks"
        );
        let query = callbacks_query(&params);
        assert_eq!((query.open, query.page), (Some(true), Some(3)));
        let one = ParamsMap::from_iter([("callback".to_owned(), " PJ20261207-000003 ".to_owned())]);
        assert_eq!(
            callbacks_query(&one).number.as_deref(),
            Some("PJ20261207-000003")
        );
        assert_eq!(callbacks_href("/lead", &one, true, 1), "/lead#callbacks");
        let bad = ParamsMap::from_iter([("callbacks_page".to_owned(), "0".to_owned())]);
        assert_eq!(callbacks_query(&bad).page, Some(1));
    }
}
