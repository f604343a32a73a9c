//! The rating form: 1 to 5 stars per dimension (radio groups, so arrows and space choose), the
//! overall satisfaction 1 to 10 and a suggestion. Answers are kept on this device as they are
//! given; a submission goes through the outbox (see `store`): sent with one idempotency key
//! however often it is sent, again after a reload, a failure or when the browser is back
//! online, so the server records one evaluation.

use std::cell::RefCell;
use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use pingjia_domain::FieldError;
use pingjia_domain::evaluations::{FormDimension, NewEvaluation, RecordInfo, SUGGESTION_MAX_CHARS};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::net::{self, Failure};
use crate::store::{self, Draft, Entry};
use crate::texts::*;
use crate::wire;
use crate::{
    RecordFacts, dt, failure_text, field_error_text, local_time, server_now, time_left_words,
};

/// The problem code of a 409 whose record has an evaluation already.
const ALREADY_RATED: &str = "already_rated";

/// Where the submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    /// Being sent now.
    Sending,
    /// Kept on this device, to be sent again.
    Saved,
}

thread_local! {
    /// Resolves the sender's current wait (a timer, or the browser coming back online).
    static WAKE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static RUNNING: RefCell<bool> = const { RefCell::new(false) };
}

fn wake() {
    if let Some(resolve) = WAKE.with_borrow_mut(Option::take) {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// Waits `millis`, or until the browser is back online.
async fn nap(millis: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis as i32);
        }
        WAKE.with_borrow_mut(|w| *w = Some(resolve));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// 1 s after the first failure, doubling up to a minute, ±20 %; never sooner than the
/// server's `Retry-After`.
fn backoff_ms(failures: u32, retry_after: Option<u32>) -> u32 {
    let base = (1_000u32 << failures.saturating_sub(1).min(6)).min(60_000);
    let spread = 0.8 + 0.4 * js_sys::Math::random();
    let delay = (f64::from(base) * spread) as u32;
    delay.max(retry_after.map_or(0, |s| s.saturating_mul(1_000)))
}

/// What the form shows of the sender's work.
#[derive(Clone, Copy)]
struct Sender {
    record_id: i64,
    pending: RwSignal<Option<Pending>>,
    errors: RwSignal<Vec<FieldError>>,
    refusal: RwSignal<Option<Failure>>,
    on_rated: Callback<()>,
}

/// Sends the kept submission until the server answers it for good.
async fn run(token: String, sender: Sender) {
    if RUNNING.with_borrow(|r| *r) {
        wake();
        return;
    }
    RUNNING.with_borrow_mut(|r| *r = true);
    let record_id = sender.record_id;
    while let Some(mut entry) = store::pending(record_id) {
        let _ = sender.pending.try_set(Some(Pending::Sending));
        entry.attempts += 1;
        store::keep(record_id, &entry);
        let body = wire::new_evaluation(&entry.body);
        let answer = net::call("POST", &token, "/evaluation", Some(&body), Some(&entry.key)).await;
        match answer {
            Err(failure) if failure.passing() => {
                let _ = sender.pending.try_set(Some(Pending::Saved));
                nap(backoff_ms(entry.attempts, failure.retry_after())).await;
            }
            Ok(_) => {
                done(record_id);
                sender.on_rated.run(());
            }
            Err(failure) if failure.status() == 409 && failure.code() == Some(ALREADY_RATED) => {
                done(record_id);
                sender.on_rated.run(());
            }
            Err(failure) => {
                store::drop_pending(record_id);
                let fields = failure
                    .problem()
                    .map(|p| p.errors.clone())
                    .unwrap_or_default();
                let _ = sender.errors.try_set(fields);
                let _ = sender.refusal.try_set(Some(failure));
                let _ = sender.pending.try_set(None);
            }
        }
    }
    RUNNING.with_borrow_mut(|r| *r = false);
}

/// The server has the record's evaluation: the submission and the draft go.
fn done(record_id: i64) {
    store::drop_pending(record_id);
    store::clear_draft(record_id);
}

/// Sends again at once when the browser comes back online.
fn listen_for_online() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_online = Closure::<dyn Fn()>::new(wake);
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
}

/// Moves the focus to the first answer marked invalid.
fn focus_first_invalid() {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[aria-invalid=true]").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = found {
        let _ = element.focus();
    }
}

/// A score's name, e.g. 满意 / Satisfied.
pub fn score_label(score: u8) -> &'static str {
    t(match score {
        1 => RATING_SCORE_1,
        2 => RATING_SCORE_2,
        3 => RATING_SCORE_3,
        4 => RATING_SCORE_4,
        _ => RATING_SCORE_5,
    })
}

/// The message of `field` among `errors`, with its id, when there is one.
fn error_view(errors: RwSignal<Vec<FieldError>>, field: String, id: String) -> impl IntoView {
    move || {
        errors.with(|all| {
            all.iter()
                .find(|e| e.field == field)
                .map(|e| {
                    let e = e.clone();
                    view! { <p id=id.clone() class="field-error">{dt(move || field_error_text(&e))}</p> }
                })
        })
    }
}

/// One radio group: `count` options named by `name_of`, the chosen one in `value`.
#[allow(clippy::too_many_arguments)]
fn choice_group(
    name: String,
    count: u8,
    class: &'static str,
    value: RwSignal<Option<u8>>,
    invalid: Signal<bool>,
    legend: AnyView,
    hint: AnyView,
    chosen: fn(u8) -> String,
    name_of: fn(u8) -> AnyView,
    error: AnyView,
) -> impl IntoView {
    let options = (1..=count)
        .map(|n| {
            let id = format!("{name}-{n}");
            view! {
                <input
                    type="radio"
                    class="choice-input"
                    id=id.clone()
                    name=name.clone()
                    value=n
                    aria-invalid=move || invalid.get().then_some("true")
                    prop:checked=move || value.get() == Some(n)
                    on:change=move |_| value.set(Some(n))
                />
                <label for=id class="choice" class:on=move || value.get().is_some_and(|v| v >= n)>
                    {name_of(n)}
                </label>
            }
        })
        .collect_view();
    let value_id = format!("{name}-value");
    let error_id = format!("{name}-error");
    let described = format!("{name}-hint {value_id}");
    view! {
        <fieldset
            class=format!("field {class}")
            class:field-invalid=move || invalid.get()
            aria-describedby=move || {
                if invalid.get() { format!("{described} {error_id}") } else { described.clone() }
            }
        >
            <legend>{legend}</legend>
            <p id=format!("{name}-hint") class="hint">{hint}</p>
            <div class="choices">{options}</div>
            {(class == "scale").then(|| view! {
                <p class="ends" aria-hidden="true">
                    <span>{tr(RATING_OVERALL_LOW)}</span>
                    <span>{tr(RATING_OVERALL_HIGH)}</span>
                </p>
            })}
            <p id=value_id class="value">
                {dt(move || match value.get() {
                    Some(n) => chosen(n),
                    None => t(RATING_NOT_CHOSEN).to_owned(),
                })}
            </p>
            {error}
        </fieldset>
    }
}

/// The rating form of a record awaiting its rating.
#[component]
pub fn RatingFormView(
    record: RecordInfo,
    dimensions: Vec<FormDimension>,
    /// `rate_until`, milliseconds.
    until: i64,
    /// The server's clock minus this browser's.
    offset: RwSignal<i64>,
    token: String,
    on_rated: Callback<()>,
) -> impl IntoView {
    let record_id = record.id;
    let draft = store::load_draft(record_id).unwrap_or_else(|| Draft {
        opened_at: js_sys::Date::now(),
        ..Draft::default()
    });
    let opened_at = draft.opened_at;
    let answers: Vec<(FormDimension, RwSignal<Option<u8>>)> = dimensions
        .iter()
        .map(|d| {
            let kept = draft
                .scores
                .get(&d.code)
                .copied()
                .filter(|s| (1..=5).contains(s));
            (d.clone(), RwSignal::new(kept))
        })
        .collect();
    let answers = StoredValue::new(answers);
    let dimensions = StoredValue::new(dimensions);
    let overall = RwSignal::new(draft.overall.filter(|o| (1..=10).contains(o)));
    let suggestion = RwSignal::new(draft.suggestion);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let refusal = RwSignal::new(None::<Failure>);
    let pending = RwSignal::new(store::pending(record_id).map(|_| Pending::Sending));
    let sender = Sender {
        record_id,
        pending,
        errors,
        refusal,
        on_rated,
    };
    let scores = move || -> BTreeMap<String, u8> {
        // Inserted one by one: collecting into a map sorts, and the sort weighs 4 KB of wasm.
        let mut scores = BTreeMap::new();
        answers.with_value(|answers| {
            for (d, v) in answers {
                if let Some(s) = v.get() {
                    scores.insert(d.code.clone(), s);
                }
            }
        });
        scores
    };
    // Every change is kept on this device.
    Effect::new(move || {
        let draft = Draft {
            scores: scores(),
            overall: overall.get(),
            suggestion: suggestion.get(),
            opened_at,
        };
        store::save_draft(record_id, &draft);
    });
    listen_for_online();
    // A submission kept on this device (sent before a reload) goes out again.
    let token = StoredValue::new(token);
    if pending.get_untracked().is_some() {
        spawn_local(run(token.get_value(), sender));
    }
    let missing = move || {
        let scores = scores();
        let mut names: Vec<String> = dimensions.with_value(|dims| {
            dims.iter()
                .filter(|d| !d.optional && !scores.contains_key(&d.code))
                .map(|d| lang().pick(&d.name_zh, &d.name_en).to_owned())
                .collect()
        });
        if overall.get().is_none() {
            names.push(t(RATING_OVERALL_LEGEND).to_owned());
        }
        (!names.is_empty()).then(|| names.join(t(RATING_LIST_SEPARATOR)))
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // While a submission is on its way, nothing more is sent.
        if pending.get_untracked().is_some() {
            return;
        }
        let chosen_overall = overall.get_untracked();
        let text = suggestion.get_untracked();
        let body = NewEvaluation {
            service_record_id: record_id,
            scores: untrack(scores),
            overall: chosen_overall.unwrap_or(0),
            suggestion: Some(text.trim().to_owned()).filter(|s| !s.is_empty()),
            form_seconds: Some(((js_sys::Date::now() - opened_at).max(0.0) / 1000.0) as u32),
        };
        refusal.set(None);
        match dimensions.with_value(|dims| body.check(dims)) {
            Ok(_) => {
                errors.set(Vec::new());
                let entry = store::pending(record_id).unwrap_or_else(|| Entry {
                    key: net::new_key(),
                    body,
                    attempts: 0,
                });
                store::keep(record_id, &entry);
                pending.set(Some(Pending::Sending));
                spawn_local(run(token.get_value(), sender));
            }
            Err(mut found) => {
                if chosen_overall.is_none() {
                    for e in found.iter_mut().filter(|e| e.field == "overall") {
                        e.code = "required".to_owned();
                    }
                }
                errors.set(found);
                focus_first_invalid();
            }
        }
    };
    let invalid = move |field: String| {
        Signal::derive(move || errors.with(|e| e.iter().any(|e| e.field == field)))
    };
    let stars = answers.with_value(|answers| {
        answers
            .iter()
            .map(|(d, value)| {
                let name = format!("score-{}", d.code);
                let field = format!("scores.{}", d.code);
                let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                let (dzh, den) = (d.description_zh.clone(), d.description_en.clone());
                let optional = d.optional;
                let legend = view! {
                    {dt(move || lang().pick(&zh, &en).to_owned())}
                    {optional.then(|| view! { <span class="optional">{tr(FORM_OPTIONAL)}</span> })}
                }
                .into_any();
                let hint = dt(move || lang().pick(&dzh, &den).to_owned()).into_any();
                let error = error_view(errors, field.clone(), format!("{name}-error")).into_any();
                choice_group(
                    name,
                    5,
                    "stars",
                    *value,
                    invalid(field),
                    legend,
                    hint,
                    |n| {
                        tf(RATING_CHOSEN, &[("score", &n.to_string()), ("label", score_label(n))])
                    },
                    |n| {
                        view! {
                            <span class="star" aria-hidden="true">"★"</span>
                            <span class="sr">
                                {dt(move || tf(RATING_STAR_NAME, &[("score", &n.to_string()), ("label", score_label(n))]))}
                            </span>
                        }
                        .into_any()
                    },
                    error,
                )
            })
            .collect_view()
    });
    let overall_group = choice_group(
        "overall".to_owned(),
        10,
        "scale",
        overall,
        invalid("overall".to_owned()),
        tr(RATING_OVERALL_LEGEND).into_any(),
        tr(RATING_OVERALL_HINT).into_any(),
        |n| tf(RATING_OVERALL_CHOSEN, &[("score", &n.to_string())]),
        |n| n.into_any(),
        error_view(errors, "overall".to_owned(), "overall-error".to_owned()).into_any(),
    );
    let count = move || suggestion.with(|s| s.trim().chars().count());
    let over = move || count() > SUGGESTION_MAX_CHARS;
    let suggestion_invalid = invalid("suggestion".to_owned());
    let left = move || {
        time_left_words(server_now(offset.get()), until)
            .map(|left| tf(RATING_TIME_LEFT, &[("left", &left)]))
    };
    view! {
        <section class="panel" aria-labelledby="record-heading">
            <h2 id="record-heading">{tr(RATING_RECORD_HEADING)}</h2>
            <RecordFacts record />
            <p class="deadline">
                {dt(move || format!("{} {}", tf(LINK_RATE_UNTIL, &[("until", &local_time(until))]), left().unwrap_or_default()))}
            </p>
        </section>
        <form id="rating-form" class="panel form" novalidate on:submit=on_submit>
            <p class="muted">{tr(RATING_FORM_INTRO)}</p>
            {stars}
            {overall_group}
            <div class="field" class:field-invalid=move || suggestion_invalid.get()>
                <label for="suggestion">
                    {tr(RATING_SUGGESTION_LABEL)}
                    <span class="optional">{tr(FORM_OPTIONAL)}</span>
                </label>
                <textarea
                    id="suggestion"
                    name="suggestion"
                    rows="4"
                    aria-invalid=move || suggestion_invalid.get().then_some("true")
                    aria-describedby=move || {
                        if suggestion_invalid.get() { "suggestion-count suggestion-error" } else { "suggestion-count" }
                    }
                    bind:value=suggestion
                ></textarea>
                <p id="suggestion-count" class="hint count" class:over=over>
                    {count} "/" {SUGGESTION_MAX_CHARS}
                </p>
                {error_view(errors, "suggestion".to_owned(), "suggestion-error".to_owned())}
            </div>
            <div role="alert">
                {move || refusal.get().map(|failure| {
                    view! { <p class="notice notice-error">{dt(move || refusal_text(&failure))}</p> }
                })}
            </div>
            <div class="actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || (missing().is_some() || pending.get().is_some()).then_some("true")
                    aria-describedby="rating-submit-status"
                >
                    {dt(move || t(if pending.get() == Some(Pending::Sending) { RATING_SENDING } else { RATING_SUBMIT }).to_owned())}
                </button>
                <p id="rating-submit-status" class="hint" aria-live="polite">
                    {dt(move || match (pending.get(), missing()) {
                        (Some(Pending::Sending), _) => t(RATING_SENDING_DETAIL).to_owned(),
                        (Some(Pending::Saved), _) => t(RATING_SAVED_OFFLINE).to_owned(),
                        (None, Some(items)) => tf(RATING_MISSING, &[("items", &items)]),
                        (None, None) => t(RATING_READY).to_owned(),
                    })}
                </p>
            </div>
        </form>
    }
}

/// Why a submission was refused, in words.
fn refusal_text(failure: &Failure) -> String {
    match failure.code() {
        Some("rating_window_closed") => t(RATING_WINDOW_CLOSED).to_owned(),
        Some("service_not_ended") => t(RATING_NOT_ENDED_NOTICE).to_owned(),
        Some("idempotency_key_reused") => t(RATING_KEY_REUSED).to_owned(),
        Some(ALREADY_RATED) => t(RATING_ALREADY_RATED).to_owned(),
        _ if failure.status() == 422 => t(RATING_CHECK_FIELDS).to_owned(),
        _ => failure_text(failure),
    }
}
